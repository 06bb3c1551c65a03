// Start-up and no-op benchmark: `node -e 0`, `retort --help`, the Action bundle's start, and
// `retort current` / `plan` / `upgrade` with nothing to do at 1,000 and 4,000 applied revisions
// on the machine's PostgreSQL. Median of BENCH_RUNS (default 5) whole-process runs.
// Usage: npm run build && node bench/noop.mjs
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PG = process.env.BENCH_PG ?? "postgresql://postgres@127.0.0.1:5432";
const cli = join(process.cwd(), "dist/cli.js");
const action = join(process.cwd(), "dist/action.js");

function time(file, args, env = process.env) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    try {
      execFileSync(file, args, { stdio: "ignore", env });
    } catch {
      // the Action exits 1 without inputs: its start-up is still measured
    }
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const root = mkdtempSync(join(tmpdir(), "retort-noop-"));
const psql = (sql) => execFileSync("psql", ["-q", "-d", `${PG}/postgres`, "-c", sql], { stdio: "ignore" });
try {
  const floor = time(process.execPath, ["-e", "0"]);
  const rows = [["`node -e 0`", floor]];
  rows.push(["`retort --help`", time(process.execPath, [cli, "--help"])]);
  rows.push(["Action bundle start (no inputs)", time(process.execPath, [action], { PATH: process.env.PATH })]);
  for (const n of [1000, 4000]) {
    const dir = join(root, String(n));
    mkdirSync(dir);
    let prev = "";
    for (let i = 0; i < n; i++) {
      const id = `n${String(i).padStart(7, "0")}`;
      writeFileSync(join(dir, `${id}_t.sql`), `-- t ${i}\n--\n-- Revision ID: ${id}\n-- Revises: ${prev}\n\n-- migrate:upgrade\nCREATE TABLE t_${i} (id int primary key, name text);\n\n-- migrate:downgrade\nDROP TABLE t_${i};\n`);
      prev = id;
    }
    const db = `retort_noop_${n}`;
    psql(`DROP DATABASE IF EXISTS ${db}`);
    psql(`CREATE DATABASE ${db}`);
    const url = `${PG}/${db}`;
    execFileSync(process.execPath, [cli, "--migrations", dir, "upgrade", "--database-url", url], { stdio: "ignore" });
    for (const command of ["current", "plan", "upgrade"]) {
      rows.push([`\`retort ${command}\`, nothing to do, ${n} applied`, time(process.execPath, [cli, "--migrations", dir, command, "--database-url", url])]);
    }
    psql(`DROP DATABASE IF EXISTS ${db}`);
  }
  console.log(`node ${process.version}, ${RUNS} runs each, median`);
  console.log("| what | ms | × `node -e 0` |\n|---|---:|---:|");
  for (const [what, ms] of rows) console.log(`| ${what} | ${ms.toFixed(0)} | ${(ms / floor).toFixed(2)} |`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
