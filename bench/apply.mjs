// Apply benchmark: N trivial revisions (`CREATE TABLE t_i (id int primary key, name text)`)
// from an empty database, on PostgreSQL and MariaDB, retort against the floor (the same SQL fed
// to psql / the mariadb client, autocommit) and the peers (Alembic, dbmate, node-pg-migrate,
// knex), each in its own native format and with its defaults (see bench/tools.mjs).
//
// Round-robin: run r runs every tool once, starting with a different tool each run, so the
// machine's noise hits all tools alike. Each run gets a fresh database (created, then a second
// of rest: runs right after CREATE DATABASE are erratic) and is checked to have created N
// tables; a tool that fails is reported as FAILED with the line that says why. Wall time and
// client CPU (user + system of the tool's process and its children) are whole-process figures.
// Then one run per tool of BENCH_APPLY_BIG (4,000) revisions on stock server settings: ok or
// failed (why), and how long.
//
// Usage: node bench/apply.mjs  (npm run build first; installs the peers if missing)
// Env: BENCH_RUNS (default 7 at N <= 100, 5 above), BENCH_APPLY_SIZES (default "100,1000"),
//      BENCH_APPLY_BIG (default 4000; 0 skips), BENCH_SERVERS ("pg,mysql"), BENCH_TOOLS
//      (e.g. "floor,retort,dbmate"), BENCH_QUICK=1 (N=50, big 300, one run).
import { fileURLToPath } from "node:url";
import { ensurePeers } from "./peers.mjs";
import {
  QUICK, cleanupOnExit, dropLeftovers, errorLine, fmt, fmtInt, log, main, measure, median, ratio, rotate, runs, servers, sleep, table, tempDir,
} from "./lib.mjs";
import { tools } from "./tools.mjs";

const list = (env, fallback) => (process.env[env] ?? fallback).split(",").map((s) => s.trim()).filter(Boolean);
const SIZES = list("BENCH_APPLY_SIZES", QUICK ? "50" : "100,1000").map(Number);
const BIG = Number(process.env.BENCH_APPLY_BIG ?? (QUICK ? 300 : 4000));
const SERVERS = list("BENCH_SERVERS", "pg,mysql");
const TOOLS = list("BENCH_TOOLS", Object.keys(tools).join(","));
const REST_MS = 1000;

/** One timed run of `tool` into a fresh database: { ok, wall, cpu, why }. */
function runOnce(name, dir, server, n) {
  const db = `bench_apply_${name.toLowerCase()}`;
  server.create(db);
  sleep(REST_MS);
  try {
    const c = tools[name].apply(dir, db, server);
    const m = measure(c.cmd, c);
    if (!m.ok) return { ...m, ok: false, why: `exit ${m.code}: ${errorLine(m.output)}` };
    const count = server.countTables(db);
    if (count !== n) return { ...m, ok: false, why: `created ${count} of ${n} tables` };
    return m;
  } finally {
    server.drop(db);
  }
}

function toolsFor(server) {
  return TOOLS.filter((t) => tools[t]?.servers.includes(server.key));
}

function generate(server, names, n) {
  const dirs = {};
  for (const name of names) {
    dirs[name] = tempDir(`apply_${name}_${n}`);
    tools[name].generate(dirs[name], n);
  }
  return dirs;
}

/** Round-robin runs of every tool at size n; returns the markdown section. */
function roundRobin(server, n) {
  const names = toolsFor(server);
  const dirs = generate(server, names, n);
  const R = runs(n <= 100 ? 7 : 5);
  const results = Object.fromEntries(names.map((t) => [t, []]));
  for (let r = 0; r < R; r++) {
    for (const name of rotate(names, r % names.length)) {
      const res = runOnce(name, dirs[name], server, n);
      results[name].push(res);
      log(`${server.name} N=${n} run ${r + 1}/${R} ${name}: ${res.ok ? `${fmt(res.wall)} s, cpu ${fmt(res.cpu)} s` : `FAILED ${res.why}`}`);
    }
  }
  const summary = Object.fromEntries(
    names.map((t) => {
      const ok = results[t].filter((x) => x.ok);
      return [t, { ok: ok.length, failed: results[t].find((x) => !x.ok), wall: ok.length ? median(ok.map((x) => x.wall)) : NaN, walls: ok.map((x) => x.wall), cpu: ok.length ? median(ok.map((x) => x.cpu)) : NaN }];
    }),
  );
  const floor = summary.floor?.wall ?? NaN;
  const retort = summary.retort?.wall ?? NaN;
  const rows = names.map((t) => {
    const s = summary[t];
    const label = tools[t].label(server);
    if (!s.ok) return [label, `FAILED (${R}/${R}): ${s.failed.why}`, "", "", "", ""];
    const note = s.ok < R ? ` (${R - s.ok} of ${R} failed: ${s.failed.why})` : "";
    return [
      label + note,
      fmt(s.wall),
      `${fmt(Math.min(...s.walls))}–${fmt(Math.max(...s.walls))}`,
      ratio(s.wall, floor),
      t === "retort" ? "1.00×" : ratio(retort, s.wall),
      fmt((s.cpu / n) * 1000),
    ];
  });
  return (
    `### ${server.version()}, N = ${fmtInt(n)} (median of ${R} round-robin run${R > 1 ? "s" : ""})\n\n` +
    table(["tool", "wall (s)", "min–max (s)", "× floor", "retort ÷ tool", "client CPU (ms/revision)"], rows)
  );
}

/** One run per tool at the big size on stock settings: ok / failed (why) and wall time. */
function bigRuns(server) {
  const names = toolsFor(server);
  const dirs = generate(server, names, BIG);
  const rows = [];
  for (const name of names) {
    const res = runOnce(name, dirs[name], server, BIG);
    log(`${server.name} N=${BIG} ${name}: ${res.ok ? `${fmt(res.wall)} s` : `FAILED ${res.why}`}`);
    rows.push([tools[name].label(server), res.ok ? "ok" : `**failed**: ${res.why}`, fmt(res.wall, 1), res.ok ? fmt((res.cpu / BIG) * 1000) : "–"]);
  }
  return (
    `### ${server.version()}, N = ${fmtInt(BIG)} on stock settings (${server.settings()}), one run each\n\n` +
    table(["tool", "result", "wall (s)", "client CPU (ms/revision)"], rows, ["---", "---", "---:", "---:"])
  );
}

export function applySection() {
  ensurePeers();
  cleanupOnExit();
  dropLeftovers("bench_apply_");
  const parts = [
    "Apply N revisions of `CREATE TABLE t_i (id int primary key, name text)` to an empty database, " +
      "each tool in its own format with its defaults (bench/tools.mjs). Wall time and client CPU are of the " +
      "whole process and its children; `retort ÷ tool` below 1 means retort is faster. Each run gets a fresh " +
      "database and a second of rest after `CREATE DATABASE`, and is checked to have created N tables.",
  ];
  for (const key of SERVERS) {
    const server = servers[key];
    for (const n of SIZES) parts.push(roundRobin(server, n));
  }
  if (BIG > 0) for (const key of SERVERS) parts.push(bigRuns(servers[key]));
  return parts.join("\n\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main(applySection);
}
