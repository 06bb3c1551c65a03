// Bundles each entry point into one ESM file under dist/, with lazily loaded parts in dist/<entry>-chunks/.
// `--check` builds into a temporary folder and fails when dist/ differs: dist/ is committed
// (the Action runs it straight from the repository), so it must never be stale.
import { build } from "esbuild";
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const { version } = JSON.parse(readFileSync("package.json", "utf8"));
const check = process.argv.includes("--check");
const outdir = check ? mkdtempSync(join(tmpdir(), "retort-dist-")) : "dist";
// Chunk names carry a content hash: old ones would pile up.
if (!check) for (const entry of ["cli", "action"]) rmSync(join(outdir, `${entry}-chunks`), { recursive: true, force: true });

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

// Both entry points are split: whatever src/ imports with `await import()` (the drivers, the
// GitHub client, Alembic's runner) lands in a chunk of its own under dist/<entry>-chunks/, and is
// loaded only by the commands that use it, so `retort --help` or a graph command never
// parses pg (180 kB), mysql2 with iconv-lite (1.4 MB) or Octokit. A bundled chunk also loads
// faster than the same package from node_modules (no module resolution, one file).
const split = (entry) => ({ splitting: true, chunkNames: `${entry}-chunks/[name]-[hash]` });

// The CLI: PGlite (27 MB of WebAssembly and data) and the GitHub client stay in
// node_modules; the CLI is installed with its dependencies (npm, the Docker image).
await build({
  ...common,
  ...split("cli"),
  entryPoints: { cli: "src/cli/index.ts" },
  target: "node20",
  external: ["@electric-sql/pglite", "pg-native", "@actions/github", "@actions/core"],
});

// The Action runs from the repository without node_modules: everything it uses is inside,
// except PGlite, which the Action never opens (it needs a database URL).
await build({
  ...common,
  ...split("action"),
  entryPoints: { action: "src/action/index.ts" },
  target: "node20",
  external: ["@electric-sql/pglite", "pg-native"],
});

if (check) {
  const stale = [];
  const files = (dir) => (existsSync(dir) ? readdirSync(dir, { recursive: true }).filter((f) => !statSync(join(dir, f)).isDirectory()) : []);
  const names = new Set([...files(outdir), ...files("dist")]);
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
