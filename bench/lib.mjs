// Shared by the benchmarks: whole-process measurement (wall time and the client CPU of the
// process and its children), medians, the two database servers, markdown tables, and cleanup
// of the databases and temporary directories a benchmark made (all named bench_*).
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { NODE, PYTHON } from "./peers.mjs";

export const QUICK = process.env.BENCH_QUICK === "1";

/** BENCH_RUNS overrides every section's default number of runs. */
export function runs(defaultRuns) {
  if (process.env.BENCH_RUNS) return Math.max(1, Number(process.env.BENCH_RUNS));
  return QUICK ? 1 : defaultRuns;
}

export const log = (message) => console.error(`[bench] ${message}`);

export function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Rotates `list` left by `by`: run r of a round-robin starts with a different tool. */
export const rotate = (list, by) => list.map((_, i) => list[(i + by) % list.length]);

// Runs the command under a tiny Python parent that takes the wall time around posix_spawn and
// wait4, and reads the child's rusage from wait4: user + system CPU of the process and of all
// the descendants it waited for (node's workers, psql, Alembic's Python). The command's stdout
// goes to its stderr; the wrapper's stdout carries only the JSON figures.
// Ctrl-C: the wrapper ignores SIGINT and waits for the command, which keeps the default action
// and dies of it; measure() then throws, and the exit handler cleans up.
const WRAPPER = `
import os, sys, time, json, signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
a = sys.argv[1:]
t = time.perf_counter()
p = os.posix_spawnp(a[0], a, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, 2, 1)], setsigdef=(signal.SIGINT,))
_, s, r = os.wait4(p, 0)
w = time.perf_counter() - t
print(json.dumps({"wall": w, "user": r.ru_utime, "sys": r.ru_stime, "code": os.waitstatus_to_exitcode(s)}))
`;

/**
 * Runs one command; returns { ok, wall (s), cpu (s, user+sys), code, output }.
 * `stdinFile` feeds a file to the command's standard input.
 */
export function measure(cmd, { env = process.env, cwd, stdinFile, timeoutMs = 30 * 60_000 } = {}) {
  const fd = stdinFile ? openSync(stdinFile, "r") : "ignore";
  try {
    const r = spawnSync(PYTHON, ["-c", WRAPPER, ...cmd], {
      env,
      cwd,
      stdio: [fd, "pipe", "pipe"],
      encoding: "utf8",
      maxBuffer: 1 << 28,
      timeout: timeoutMs,
    });
    const output = r.stderr ?? "";
    let figures;
    try {
      figures = JSON.parse(r.stdout.trim().split("\n").at(-1));
    } catch {
      return { ok: false, wall: NaN, cpu: NaN, code: r.status ?? -1, output: `${output}\n${r.error?.message ?? "could not run"} ${cmd[0]}` };
    }
    if (figures.code === -2) throw Object.assign(new Error(`interrupted (SIGINT): ${cmd.join(" ")}`), { interrupted: true });
    return { ok: figures.code === 0, wall: figures.wall, cpu: figures.user + figures.sys, code: figures.code, output };
  } finally {
    if (typeof fd === "number") closeSync(fd);
  }
}

/** The line of a tool's output that says why it failed. */
export function errorLine(output) {
  const lines = output.split("\n").map((l) => l.trim()).filter(Boolean);
  const pick =
    lines.find((l) => /out of shared memory/i.test(l)) ??
    lines.findLast((l) => /error|exception|fatal|failed/i.test(l) && !/^\s*at /.test(l)) ??
    lines.at(-1) ??
    "(no output)";
  return pick.length > 160 ? `${pick.slice(0, 157)}...` : pick;
}

// ---------------------------------------------------------------------------------------------
// Servers

const made = { dirs: new Set(), pg: new Set(), mysql: new Set() };

function serverUrl(env, fallback) {
  const u = new URL(process.env[env] ?? fallback);
  return { host: u.hostname, port: u.port, user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
}

const pgConn = serverUrl("BENCH_PG", "postgresql://postgres@127.0.0.1:5432");
const myConn = serverUrl("BENCH_MYSQL", "mysql://root@127.0.0.1:3306");
const auth = (c) => (c.password ? `${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}` : encodeURIComponent(c.user));

const pgEnv = { ...process.env, PGPASSWORD: pgConn.password || process.env.PGPASSWORD || "" };
const myEnv = { ...process.env, MYSQL_PWD: myConn.password || process.env.MYSQL_PWD || "" };
const psqlArgs = (db) => ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", pgConn.host, "-p", pgConn.port || "5432", "-U", pgConn.user, "-d", db];
const mariadbArgs = (db) => ["-h", myConn.host, "-P", myConn.port || "3306", "-u", myConn.user, ...(db ? [db] : [])];

export const servers = {
  pg: {
    key: "pg",
    name: "PostgreSQL",
    env: pgEnv,
    sql(sql, db = "postgres") {
      return execFileSync("psql", [...psqlArgs(db), "-At", "-c", sql], { env: pgEnv, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
    },
    create(db) {
      this.sql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      this.sql(`CREATE DATABASE ${db}`);
      made.pg.add(db);
    },
    drop(db) {
      this.sql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      made.pg.delete(db);
    },
    list(prefix) {
      return this.sql(`SELECT datname FROM pg_database WHERE datname LIKE '${prefix}%'`).split("\n").filter(Boolean);
    },
    countTables(db) {
      return Number(this.sql(`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 't\\_%'`, db));
    },
    version() {
      return `PostgreSQL ${this.sql("SHOW server_version").split(" ")[0]}`;
    },
    settings() {
      const s = (n) => this.sql(`SHOW ${n}`);
      return `max_locks_per_transaction=${s("max_locks_per_transaction")}, max_connections=${s("max_connections")}`;
    },
    /** The floor: the same statements fed to psql, autocommit, one round trip each. */
    floor(file, db) {
      return { cmd: ["psql", ...psqlArgs(db), "-f", file], env: pgEnv };
    },
    floorName: "`psql -f` (autocommit)",
    url: (db) => `postgresql://${auth(pgConn)}@${pgConn.host}:${pgConn.port || 5432}/${db}`,
    alembicUrl: (db) => `postgresql+psycopg2://${auth(pgConn)}@${pgConn.host}:${pgConn.port || 5432}/${db}`,
    dbmateUrl: (db) => `postgres://${auth(pgConn)}@${pgConn.host}:${pgConn.port || 5432}/${db}?sslmode=disable`,
    knexClient: "pg",
  },
  mysql: {
    key: "mysql",
    name: "MariaDB",
    env: myEnv,
    sql(sql, db) {
      return execFileSync("mariadb", [...mariadbArgs(db), "-N", "-B", "-e", sql], { env: myEnv, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
    },
    create(db) {
      this.sql(`DROP DATABASE IF EXISTS ${db}`);
      this.sql(`CREATE DATABASE ${db}`);
      made.mysql.add(db);
    },
    drop(db) {
      this.sql(`DROP DATABASE IF EXISTS ${db}`);
      made.mysql.delete(db);
    },
    list(prefix) {
      return this.sql(`SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE '${prefix}%'`).split("\n").filter(Boolean);
    },
    countTables(db) {
      return Number(this.sql(`SELECT count(*) FROM information_schema.tables WHERE table_schema = '${db}' AND table_name LIKE 't\\\\_%'`));
    },
    version() {
      return `MariaDB ${this.sql("SELECT version()").split("-")[0]}`;
    },
    settings() {
      return `innodb_buffer_pool_size=${Math.round(Number(this.sql("SELECT @@innodb_buffer_pool_size")) / 2 ** 20)} MiB`;
    },
    /** The floor: the same statements fed to the mariadb client (autocommit). */
    floor(file, db) {
      return { cmd: ["mariadb", ...mariadbArgs(db)], env: myEnv, stdinFile: file };
    },
    floorName: "`mariadb < file` (autocommit)",
    url: (db) => `mysql://${auth(myConn)}@${myConn.host}:${myConn.port || 3306}/${db}`,
    alembicUrl: (db) => `mysql+pymysql://${auth(myConn)}@${myConn.host}:${myConn.port || 3306}/${db}`,
    dbmateUrl: (db) => `mysql://${auth(myConn)}@${myConn.host}:${myConn.port || 3306}/${db}`,
    knexClient: "mysql2",
  },
};

/** Drops databases left by an interrupted earlier run of the same benchmark. */
export function dropLeftovers(prefix) {
  for (const server of Object.values(servers)) {
    try {
      for (const db of server.list(prefix)) server.drop(db);
    } catch {
      // a server that is down is reported where it is used
    }
  }
}

export function tempDir(name) {
  const dir = mkdtempSync(join(tmpdir(), `bench_${name}_`));
  made.dirs.add(dir);
  return dir;
}

export function cleanup() {
  for (const key of ["pg", "mysql"]) {
    for (const db of made[key]) {
      try {
        servers[key].drop(db);
      } catch (e) {
        log(`could not drop ${key} database ${db}: ${e.message}`);
      }
    }
  }
  for (const dir of made.dirs) rmSync(dir, { recursive: true, force: true });
  made.dirs.clear();
}

let cleanupInstalled = false;
/**
 * Cleans up at exit, also after Ctrl-C: the command being measured dies of the SIGINT, measure()
 * throws, and the exit handler runs. (Node's own SIGINT is only acknowledged here: the
 * benchmarks are synchronous, so a handler could not run before the loop ends anyway.)
 */
export function cleanupOnExit() {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on("exit", cleanup);
  process.on("SIGINT", () => process.exit(130));
}

/** Runs a section on its own: prints its markdown; Ctrl-C ends it with one line, not a trace. */
export async function main(section) {
  try {
    console.log(await section());
  } catch (e) {
    if (!e.interrupted) throw e;
    log(e.message);
    process.exitCode = 130;
  }
}

// ---------------------------------------------------------------------------------------------
// Formatting

export const fmtInt = (n) => Math.round(n).toLocaleString("en-US");
export const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
export const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : "–");

export function table(header, rows, align) {
  const a = align ?? header.map((_, i) => (i === 0 ? "---" : "---:"));
  return [`| ${header.join(" | ")} |`, `|${a.join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

export function machine() {
  const cpu = cpus();
  const v = (s) => {
    try {
      return s.version();
    } catch {
      return `${s.name} (not reachable)`;
    }
  };
  return {
    cpus: `${cpu.length} × ${cpu[0]?.model.trim() ?? "?"}`,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    node: execFileSync(NODE, ["--version"], { encoding: "utf8" }).trim(),
    pg: v(servers.pg),
    mysql: v(servers.mysql),
  };
}
