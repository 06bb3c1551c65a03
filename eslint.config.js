// Lint: the recommended JavaScript and type-aware TypeScript rules, nothing exotic.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", ".retort/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: "readonly", console: "readonly", URL: "readonly" },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": ["error"],
    },
  },
  {
    // Functions a reader holds in their head: none far past a screen.
    files: ["src/**"],
    rules: { "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true }] },
  },
  {
    // The core is pure: no file system, network, clock or process, and nothing from outside it.
    files: ["src/core/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["node:*", "../*"], message: "src/core is pure: import only from src/core and pure libraries." }] },
      ],
      "no-restricted-globals": ["error", "process", "Date", "setTimeout", "fetch"],
    },
  },
  {
    // Only front ends and tooling print.
    files: ["src/cli/**", "scripts/**", "bench/**", "tests/**"],
    rules: { "no-console": "off" },
  },
);
