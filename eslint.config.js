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
    // Only front ends and tooling print.
    files: ["src/cli/**", "scripts/**", "bench/**", "tests/**"],
    rules: { "no-console": "off" },
  },
);
