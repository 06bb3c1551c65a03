// The peers the benchmarks compare retort with, installed by the benchmark itself from this
// machine's registries and kept out of retort's own package.json:
//   - dbmate, node-pg-migrate, knex (+ the pg and mysql2 drivers) from npm, into bench/.peers
//     (git-ignored): `npm install --prefix bench/.peers --no-save ...`;
//   - Alembic with its PostgreSQL and MySQL drivers from Debian (python3-alembic,
//     python3-psycopg2, python3-pymysql), run with /usr/bin/python3.
// Idempotent and quiet when everything is there. `node bench/peers.mjs` installs and prints the
// versions; the other benchmarks import `ensurePeers()`.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const BENCH = dirname(fileURLToPath(import.meta.url));
export const ROOT = dirname(BENCH);
export const PEERS = join(BENCH, ".peers");
export const PYTHON = "/usr/bin/python3";
/** The Node.js that runs retort, node -e 0, node-pg-migrate and knex: BENCH_NODE, or the one
 *  running the benchmark (under `npm run bench`, npm puts node_modules/.bin first on PATH, so
 *  that is the devDependency `node` when it is installed). */
export const NODE = process.env.BENCH_NODE || process.execPath;

/** npm packages, major versions pinned (all run on Node 20). */
const NPM = { dbmate: "2", "node-pg-migrate": "9", knex: "3", pg: "8", mysql2: "3" };
const APT = ["python3-alembic", "python3-psycopg2", "python3-pymysql"];

const modules = join(PEERS, "node_modules");
const arch = { x64: "x64", arm64: "arm64", arm: "arm", ia32: "ia32" }[process.arch];

/** How to run each peer: [file, ...leading args]. */
export const peers = {
  // dbmate's npm package is a Node launcher for a Go binary shipped in @dbmate/<platform>:
  // the binary is run directly, as users of the release binary or the Docker image do.
  dbmate: [join(modules, "@dbmate", `${process.platform}-${arch}`, "bin", "dbmate")],
  nodePgMigrate: [NODE, join(modules, "node-pg-migrate", "bin", "node-pg-migrate.js")],
  knex: [NODE, join(modules, "knex", "bin", "cli.js")],
  alembic: [PYTHON, "-m", "alembic"],
};

function npmVersion(name) {
  try {
    return JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8")).version;
  } catch {
    return null;
  }
}

function pythonHasAlembic() {
  return spawnSync(PYTHON, ["-c", "import alembic, psycopg2, pymysql"], { stdio: "ignore" }).status === 0;
}

function aptInstall() {
  const install = () =>
    spawnSync("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...APT], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    }).status === 0;
  if (install()) return;
  execFileSync("apt-get", ["update", "-q"], { stdio: ["ignore", "ignore", "inherit"] });
  if (!install()) throw new Error(`apt-get install ${APT.join(" ")} failed`);
}

/** Installs what is missing; returns the peers' versions. */
export function ensurePeers({ log = (m) => console.error(m) } = {}) {
  const missing = Object.keys(NPM).filter((name) => !npmVersion(name));
  if (!existsSync(peers.dbmate[0])) missing.push("@dbmate binary");
  if (missing.length) {
    log(`peers: installing ${Object.keys(NPM).join(", ")} from npm into bench/.peers (missing: ${missing.join(", ")})`);
    execFileSync(
      "npm",
      ["install", "--prefix", PEERS, "--no-save", "--no-audit", "--no-fund", "--loglevel=error", ...Object.entries(NPM).map(([n, v]) => `${n}@${v}`)],
      { stdio: ["ignore", "ignore", "inherit"], cwd: ROOT },
    );
  }
  if (!pythonHasAlembic()) {
    log(`peers: installing ${APT.join(", ")} from Debian`);
    aptInstall();
    if (!pythonHasAlembic()) throw new Error(`${PYTHON} still cannot import alembic, psycopg2, pymysql`);
  }
  return versions();
}

export function versions() {
  const alembic = spawnSync(PYTHON, ["-c", "import alembic; print(alembic.__version__)"], { encoding: "utf8" }).stdout.trim();
  const dbmate = spawnSync(peers.dbmate[0], ["--version"], { encoding: "utf8" }).stdout.trim().replace(/^dbmate version /, "");
  return {
    alembic: `${alembic} (Debian python3-alembic, ${spawnSync(PYTHON, ["--version"], { encoding: "utf8" }).stdout.trim()})`,
    dbmate: `${dbmate} (npm dbmate ${npmVersion("dbmate")}, Go binary)`,
    "node-pg-migrate": npmVersion("node-pg-migrate"),
    knex: npmVersion("knex"),
    pg: npmVersion("pg"),
    mysql2: npmVersion("mysql2"),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const v = ensurePeers();
  for (const [name, version] of Object.entries(v)) console.log(`${name}: ${version}`);
}
