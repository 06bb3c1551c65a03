// Bundles each entry point into one ESM file under dist/.
// `--check` builds into a temporary folder and fails when dist/ differs: dist/ is committed
// (the Action runs it straight from the repository), so it must never be stale.
import { build } from "esbuild";
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const { version } = JSON.parse(readFileSync("package.json", "utf8"));
const check = process.argv.includes("--check");
const outdir = check ? mkdtempSync(join(tmpdir(), "retort-dist-")) : "dist";

const common = {
  outdir,
  bundle: true,
  platform: "node",
  format: "esm",
  legalComments: "none",
  logLevel: "warning",
  define: { RETORT_VERSION: JSON.stringify(version) },
  // Bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __retortCreateRequire } from 'node:module';\nconst require = __retortCreateRequire(import.meta.url);",
  },
};

// The CLI: database drivers are loaded from node_modules, and only by commands that open a
// database: PGlite is 27 MB of WebAssembly and data, mysql2 (with iconv-lite) 1.3 MB of
// JavaScript that every `retort --help` would otherwise parse. The CLI is installed with its
// dependencies (npm, the Docker image), so they are there when needed.
await build({
  ...common,
  entryPoints: { cli: "src/cli/index.ts" },
  target: "node20",
  // The same for the GitHub client (plan --comment) and execa (Alembic projects).
  external: ["@electric-sql/pglite", "mysql2", "mysql2/*", "pg", "pg-native", "@actions/github", "@actions/core", "execa"],
});

// The Action runs from the repository without node_modules: everything it uses is inside,
// except PGlite, which the Action never opens (it needs a database URL).
await build({
  ...common,
  entryPoints: { action: "src/action/index.ts" },
  target: "node20",
  external: ["@electric-sql/pglite", "pg-native"],
});

if (check) {
  const stale = [];
  const names = new Set([...readdirSync(outdir), ...(existsSync("dist") ? readdirSync("dist") : [])]);
  for (const name of names) {
    const fresh = join(outdir, name);
    const committed = join("dist", name);
    if (!existsSync(fresh) || !existsSync(committed) || !readFileSync(fresh).equals(readFileSync(committed))) {
      stale.push(committed);
    }
  }
  rmSync(outdir, { recursive: true, force: true });
  if (stale.length > 0) {
    console.error(`dist/ is stale: ${stale.join(", ")} differ from a fresh build. Run \`npm run build\` and commit dist/.`);
    process.exit(1);
  }
  console.log("dist/ is fresh.");
}
