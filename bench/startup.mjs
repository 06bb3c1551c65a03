// Start-up benchmark: `node -e 0`, `retort --help` and the GitHub Action bundle's start (no
// inputs: it stops at the first missing input, so this is its load time), round-robin, median
// of BENCH_RUNS (default 10) whole-process runs. The no-op runs against a database with
// revisions applied are in bench/status.mjs.
// Usage: npm run build && node bench/startup.mjs
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { NODE, ROOT } from "./peers.mjs";
import { fmtInt, measure, median, ratio, rotate, runs, table, main } from "./lib.mjs";
import { BASELINE, CLI } from "./tools.mjs";

export function startupSection() {
  const R = runs(10);
  const commands = [
    { label: "`node -e 0`", cmd: [NODE, "-e", "0"] },
    { label: "`retort --help`", cmd: [NODE, CLI, "--help"] },
    // The Action exits 1 without its inputs: its start-up is still what is measured.
    { label: "Action bundle start (no inputs)", cmd: [NODE, join(ROOT, "dist", "action.js")], env: { PATH: process.env.PATH }, mayFail: true },
    ...(BASELINE
      ? [
          { label: "baseline `retort --help`", cmd: [NODE, join(BASELINE, "dist", "cli.js"), "--help"] },
          { label: "baseline Action bundle start", cmd: [NODE, join(BASELINE, "dist", "action.js")], env: { PATH: process.env.PATH }, mayFail: true },
        ]
      : []),
  ];
  const samples = new Map(commands.map((c) => [c, []]));
  for (let r = 0; r < R; r++) {
    for (const c of rotate(commands, r % commands.length)) {
      const m = measure(c.cmd, c);
      if (!m.ok && !c.mayFail) throw new Error(`${c.label} failed: ${m.output}`);
      samples.get(c).push(m.wall * 1000);
    }
  }
  const floor = median(samples.get(commands[0]));
  const rows = commands.map((c) => {
    const ms = median(samples.get(c));
    return [c.label, fmtInt(ms), ratio(ms, floor)];
  });
  return `Median of ${R} round-robin run${R > 1 ? "s" : ""} of each whole process.\n\n` + table(["what", "ms", "× `node -e 0`"], rows);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main(startupSection);
}
