// No-op benchmark: with 1,000 and 4,000 revisions applied on PostgreSQL, each tool's status and
// nothing-to-do upgrade commands (retort current / plan / upgrade; alembic current / upgrade
// head; dbmate status / up; node-pg-migrate up; knex migrate:status / migrate:latest), with
// `node -e 0` measured in the same run as the yardstick. Round-robin, median, whole process.
//
// Setup applies the revisions for real with each tool into its own database (Alembic in
// upgrades of 1,000 and node-pg-migrate / knex without their all-in-one transaction, which
// 4,000 tables do not fit on stock settings: the recorded state is the same), then checks that
// N tables exist and that the tool itself reports nothing pending.
//
// Usage: node bench/status.mjs  (npm run build first; installs the peers if missing)
// Env: BENCH_RUNS (default 5), BENCH_STATUS_SIZES (default "1000,4000"), BENCH_TOOLS,
//      BENCH_QUICK=1 (100 and 400 revisions, one run).
import { fileURLToPath } from "node:url";
import { NODE, ensurePeers } from "./peers.mjs";
import { QUICK, cleanupOnExit, dropLeftovers, errorLine, fmtInt, log, measure, median, ratio, rotate, runs, servers, table, tempDir, main } from "./lib.mjs";
import { BASELINE, tools } from "./tools.mjs";

const list = (env, fallback) => (process.env[env] ?? fallback).split(",").map((s) => s.trim()).filter(Boolean);
const SIZES = list("BENCH_STATUS_SIZES", QUICK ? "100,400" : "1000,4000").map(Number);
const TOOLS = list("BENCH_TOOLS", `retort,${BASELINE ? "baseline," : ""}alembic,dbmate,nodePgMigrate,knex`).filter((t) => tools[t]?.status);
const server = servers.pg;

/** Applies n revisions with `name` into a new database; returns the commands to time, or throws. */
function setUp(name, n) {
  const tool = tools[name];
  const dir = tempDir(`noop_${name}_${n}`);
  tool.generate(dir, n);
  const db = `bench_noop_${name.toLowerCase()}_${n}`;
  server.create(db);
  const t0 = Date.now();
  for (const c of tool.setup?.(dir, db, server, n) ?? [tool.apply(dir, db, server)]) {
    const m = measure(c.cmd, c);
    if (!m.ok) throw new Error(`${name}: setup failed: ${errorLine(m.output)}`);
  }
  const count = server.countTables(db);
  if (count !== n) throw new Error(`${name}: setup created ${count} of ${n} tables`);
  const check = tool.pendingCheck(dir, db, server, n);
  const m = measure(check.cmd, check);
  if (!m.ok || (check.expect && !check.expect.test(m.output))) {
    throw new Error(`${name}: does not report ${n} revisions applied: ${errorLine(m.output)}`);
  }
  log(`no-op setup: ${name}, ${n} applied in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return tool.status.map((s) => ({ ...s, tool: name, ...tool.run(dir, db, server, s.args) }));
}

function measureSize(n, R) {
  const commands = [{ label: "`node -e 0`", tool: "node", kind: "floor", cmd: [NODE, "-e", "0"] }];
  const failedSetup = [];
  for (const name of TOOLS) {
    try {
      commands.push(...setUp(name, n));
    } catch (e) {
      if (e.interrupted) throw e;
      log(e.message);
      failedSetup.push(...tools[name].status.map((s) => ({ ...s, setupError: e.message })));
    }
  }
  const samples = new Map(commands.map((c) => [c, []]));
  for (let r = 0; r < R; r++) {
    for (const c of rotate(commands, r % commands.length)) {
      const m = measure(c.cmd, c);
      if (!m.ok) log(`no-op ${n}: ${c.label} failed: ${errorLine(m.output)}`);
      samples.get(c).push(m);
    }
    log(`no-op ${n}: run ${r + 1}/${R} done`);
  }
  const result = new Map();
  for (const c of commands) {
    const ok = samples.get(c).filter((m) => m.ok);
    const failed = samples.get(c).find((m) => !m.ok);
    result.set(c.label, { kind: c.kind, ms: ok.length === R ? median(ok.map((m) => m.wall * 1000)) : NaN, why: failed && errorLine(failed.output) });
  }
  for (const c of failedSetup) result.set(c.label, { kind: c.kind, ms: NaN, why: c.setupError });
  return result;
}

export function statusSection() {
  ensurePeers();
  cleanupOnExit();
  dropLeftovers("bench_noop_");
  const R = runs(5);
  const bySize = SIZES.map((n) => {
    const res = measureSize(n, R);
    // Free the databases of this size before the next (4,000 tables each).
    for (const name of TOOLS) server.drop(`bench_noop_${name.toLowerCase()}_${n}`);
    return res;
  });
  const labels = [...new Set(bySize.flatMap((m) => [...m.keys()]))];
  const header = ["command"];
  for (const n of SIZES) header.push(`${fmtInt(n)} applied (ms)`, "× `node -e 0`", "retort ÷ it");
  if (SIZES.length > 1) header.push(`${fmtInt(SIZES.at(-1))} ÷ ${fmtInt(SIZES[0])}`);
  const rows = labels.map((label) => {
    const row = [label];
    bySize.forEach((m) => {
      const x = m.get(label);
      const node = m.get("`node -e 0`").ms;
      const retort = x?.kind === "upgrade" ? m.get("`retort upgrade`")?.ms : m.get("`retort current`")?.ms;
      if (!x || !Number.isFinite(x.ms)) row.push(`FAILED: ${x?.why ?? "not run"}`, "", "");
      else row.push(fmtInt(x.ms), ratio(x.ms, node), x.kind === "floor" || label.startsWith("`retort") ? "" : ratio(retort, x.ms));
    });
    if (SIZES.length > 1) row.push(ratio(bySize.at(-1).get(label)?.ms, bySize[0].get(label)?.ms));
    return row;
  });
  return (
    `${server.version()}, median of ${R} round-robin run${R > 1 ? "s" : ""} of each whole process, \`node -e 0\` in the same runs. ` +
    "Each tool's state was set up by applying the revisions with the tool itself and checked with it (nothing pending). " +
    "`retort ÷ it` compares status commands with `retort current` and nothing-to-do upgrades with `retort upgrade` (below 1: retort is faster).\n\n" +
    table(header, rows)
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main(statusSection);
}
