// The whole benchmark in one command: `npm run bench` (node bench/run.mjs).
// Builds retort if dist/ is missing, makes sure PostgreSQL and MariaDB are up, installs the
// peers if missing (bench/peers.mjs), runs the five sections and prints them as markdown:
//   1. apply    N trivial revisions from an empty database vs the floor and the peers (apply.mjs)
//   2. status   no-op status / upgrade with 1,000 and 4,000 applied (status.mjs)
//   3. graph    graph scale, no database (graph.mjs)
//   4. startup  retort --help and the Action bundle's start vs node -e 0 (startup.mjs)
//   5. alembic-graph  heads / history / history -v / branches on a 300-revision Alembic project,
//                 retort's static reading vs Alembic (alembic-graph.mjs)
// `--write` rewrites bench/RESULTS.md with the date, the machine and all sections run.
// Node.js: BENCH_NODE, else the one running this (under `npm run bench`: node_modules/.bin/node,
// the devDependency, when installed; `node bench/run.mjs`: the node on PATH).
// Env: BENCH_SECTIONS (e.g. "apply,status"), BENCH_RUNS (overrides every section's runs),
//      BENCH_BASELINE=DIR (an earlier build of retort, run round-robin beside this one),
//      BENCH_QUICK=1 (small sizes, one run: a smoke test of a few minutes), and the knobs of each
//      section (see their headers). Progress goes to stderr, the tables to stdout.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { release } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const write = process.argv.includes("--write");
const started = Date.now();
const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH);
const say = (message) => console.error(`[bench] ${message}`);

// retort itself.
if (!existsSync(join(ROOT, "node_modules"))) {
  say("installing retort's dependencies (npm ci)");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  // Under `npm run bench` the Node.js is node_modules/.bin/node (the devDependency) whenever it is
  // installed: the same on the first run of a fresh machine as on later ones.
  const projectNode = join(ROOT, "node_modules", ".bin", "node");
  if (process.env.npm_lifecycle_event === "bench" && !process.env.BENCH_NODE && existsSync(projectNode)) process.env.BENCH_NODE = projectNode;
}
if (!existsSync(join(ROOT, "dist", "cli.js")) || !existsSync(join(ROOT, "dist", "action.js"))) {
  say("building retort (npm run build)");
  execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
}

// Loaded only now: they pick the Node.js to run (BENCH_NODE) when imported.
const { ensurePeers } = await import("./peers.mjs");
const { QUICK, log, machine, servers } = await import("./lib.mjs");

// The servers: the project's test script starts them if they are down (and installs Alembic).
const up = () => {
  try {
    servers.pg.version();
    servers.mysql.version();
    return true;
  } catch {
    return false;
  }
};
if (!up() && existsSync(join(ROOT, "scripts", "test-services.sh"))) {
  log("starting PostgreSQL / MariaDB (scripts/test-services.sh)");
  execFileSync("bash", [join(ROOT, "scripts", "test-services.sh")], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
}
if (!up()) throw new Error("PostgreSQL (127.0.0.1:5432, BENCH_PG) or MariaDB (127.0.0.1:3306, BENCH_MYSQL) is not reachable");

const versions = ensurePeers();

const SECTIONS = [
  {
    key: "apply",
    title: "1. Apply N revisions from an empty database",
    target: "Target: retort within 1.10× of the floor on both servers, at most 0.3 ms client CPU per revision; 4,000 revisions on stock settings must succeed.",
    load: async () => (await import("./apply.mjs")).applySection(),
  },
  {
    key: "status",
    title: "2. No-op status with revisions applied",
    target: "Target: `retort current` / `plan` / `upgrade` within 1.5× of `node -e 0` measured in the same run, and linear in the number of revisions.",
    load: async () => (await import("./status.mjs")).statusSection(),
  },
  {
    key: "graph",
    title: "3. Graph scale (no database)",
    target: "",
    load: async () => (await import("./graph.mjs")).graphSection(),
  },
  {
    key: "startup",
    title: "4. Start-up",
    target: "",
    load: async () => (await import("./startup.mjs")).startupSection(),
  },
  {
    key: "alembic-graph",
    title: "5. Graph commands on an Alembic project (no database)",
    target: "Target: static reading stays the default and stays fast: below Alembic's own `heads` / `history` on the same project.",
    load: async () => (await import("./alembic-graph.mjs")).alembicGraphSection(),
  },
];
const alias = { noop: "status", "no-op": "status", "start-up": "startup", alembic: "alembic-graph" };
const wanted = (process.env.BENCH_SECTIONS ?? SECTIONS.map((s) => s.key).join(","))
  .split(",")
  .map((s) => s.trim().toLowerCase())
  .map((s) => alias[s] ?? s)
  .filter(Boolean);
const unknown = wanted.filter((w) => !SECTIONS.some((s) => s.key === w));
if (unknown.length) throw new Error(`unknown BENCH_SECTIONS ${unknown.join(", ")}: use ${SECTIONS.map((s) => s.key).join(", ")}`);

const m = machine();
const commit = spawnSync("git", ["-C", ROOT, "describe", "--always", "--dirty"], { encoding: "utf8" }).stdout?.trim() || "?";
const knobs = ["BENCH_RUNS", "BENCH_QUICK", "BENCH_SECTIONS", "BENCH_TOOLS", "BENCH_SERVERS", "BENCH_APPLY_SIZES", "BENCH_APPLY_BIG", "BENCH_STATUS_SIZES", "BENCH_GRAPH_ALEMBIC_MAX", "BENCH_ALEMBIC_GRAPH_SIZE", "BENCH_NODE"]
  .filter((k) => process.env[k])
  .map((k) => `${k}=${process.env[k]}`);
const date = new Date().toISOString().slice(0, 10);
const intro = [
  `\`${process.env.npm_lifecycle_event === "bench" ? `npm run bench${write ? " -- --write" : ""}` : `node bench/run.mjs${write ? " --write" : ""}`}\` on ${date}${QUICK ? " (BENCH_QUICK=1: a smoke run, not figures to quote)" : ""}.`,
  "",
  `- Machine: ${m.cpus}, ${m.memory}, Linux ${release()}, Node.js ${m.node}; ${m.pg} and ${m.mysql} on 127.0.0.1, stock settings.`,
  `- retort: ${commit} (dist/ as built).`,
  `- Peers: Alembic ${versions.alembic}; dbmate ${versions.dbmate}; node-pg-migrate ${versions["node-pg-migrate"]}; knex ${versions.knex}; drivers pg ${versions.pg}, mysql2 ${versions.mysql2} (installed by bench/peers.mjs into bench/.peers).`,
  `- Figures are medians of whole-process runs, the tools run round-robin in one session (the machine is noisy: read the ratios, not the last digit).${knobs.length ? ` Settings: ${knobs.join(", ")}.` : ""}`,
].join("\n");

console.log(`# Benchmark results\n\n${intro}\n`);
const parts = [];
for (const section of SECTIONS.filter((s) => wanted.includes(s.key))) {
  const t0 = Date.now();
  log(`section ${section.key}...`);
  let body;
  try {
    body = await section.load();
  } catch (e) {
    if (!e.interrupted) throw e;
    log(e.message);
    process.exit(130);
  }
  const took = (Date.now() - t0) / 1000;
  log(`section ${section.key} took ${took.toFixed(0)} s`);
  const text = `## ${section.title}\n\n${section.target ? `${section.target}\n\n` : ""}${body}\n\n(${section.key}: ${Math.round(took)} s)`;
  parts.push(text);
  console.log(`${text}\n`);
}
const total = `Total: ${Math.round((Date.now() - started) / 1000)} s.`;
console.log(total);
if (write) {
  writeFileSync(join(BENCH, "RESULTS.md"), `# Benchmark results\n\n${intro}\n\n${parts.join("\n\n")}\n\n${total}\n`);
  log("wrote bench/RESULTS.md");
}
