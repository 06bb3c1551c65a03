import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

// GitHub's workflow parser (tests/action/runner.ts, tests/repo/) imports its JSON schemas without
// import attributes, which Node rejects: it is run through Vite's transform instead. Its files
// point to source maps it does not ship; loading them without the map comment keeps Vite quiet.
const WORKFLOW_PARSER = /node_modules\/@actions\/(workflow-parser|expressions)\//;

export default defineConfig({
  plugins: [
    {
      name: "workflow-parser-without-source-maps",
      enforce: "pre",
      load(id) {
        if (!WORKFLOW_PARSER.test(id) || !id.endsWith(".js")) return null;
        return { code: readFileSync(id, "utf8").replace(/^\/\/# sourceMappingURL=.*$/m, ""), map: null };
      },
    },
  ],
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 30_000,
    // Set-up and clean-up create and drop databases (thousands of tables in some suites); on a
    // loaded 2-core machine that outlasts vitest's 10 s default, which then fails a green run.
    hookTimeout: 60_000,
    server: { deps: { inline: [WORKFLOW_PARSER] } },
  },
});
