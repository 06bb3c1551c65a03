// Graph-scale benchmark (no database): `retort heads` and `retort upgrade heads --sql` over
// generated migration directories of 1,000 / 10,000 / 50,000 revisions with branches and
// merges, whole process (node dist/cli.js), median of several runs, against `node -e 0`.
// Usage: npm run build && node bench/graph.mjs [sizes...]   e.g. node bench/graph.mjs 1000 10000
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const sizes = process.argv.slice(2).map(Number).filter(Boolean);
if (sizes.length === 0) sizes.push(1_000, 10_000, 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const cli = join(process.cwd(), "dist/cli.js");

/** A line that forks every 50 revisions into two branches of 20 that merge again. */
function generateDir(dir, total) {
  mkdirSync(dir, { recursive: true });
  const files = [];
  const add = (id, down) => {
    files.push([id, down]);
  };
  let tip = "r0";
  add(tip, []);
  let n = 1;
  while (files.length < total) {
    if (n % 50 === 0 && total - files.length > 41) {
      let a = tip;
      let b = tip;
      for (let k = 0; k < 20; k++) {
        add(`a${n}x${k}`, [a]);
        add(`b${n}x${k}`, [b]);
        a = `a${n}x${k}`;
        b = `b${n}x${k}`;
      }
      tip = `m${n}`;
      add(tip, [a, b]);
      n += 41;
    } else {
      const down = files.at(-1)[0];
      tip = `r${n}`;
      add(tip, [down]);
      n++;
    }
  }
  for (const [id, down] of files) {
    const text = `-- revision ${id}\n--\n-- Revision ID: ${id}\n-- Revises: ${down.join(", ")}\n\n-- migrate:upgrade\nCREATE TABLE t_${id} (id int primary key, name text);\n\n-- migrate:downgrade\nDROP TABLE t_${id};\n`;
    writeFileSync(join(dir, `${id}_revision.sql`), text);
  }
}

function time(args) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, args, { stdio: ["ignore", "ignore", "inherit"], maxBuffer: 1 << 30 });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const root = mkdtempSync(join(tmpdir(), "retort-bench-"));
try {
  const floor = time(["-e", "0"]);
  console.log(`machine: ${process.platform} ${process.arch}, node ${process.version}, ${RUNS} runs each, median ms`);
  console.log(`node -e 0: ${floor.toFixed(0)} ms`);
  console.log("| revisions | heads (ms) | × node -e 0 | upgrade heads --sql (ms) | × node -e 0 |");
  console.log("|---:|---:|---:|---:|---:|");
  for (const size of sizes) {
    const dir = join(root, String(size));
    generateDir(dir, size);
    const heads = time([cli, "--migrations", dir, "heads"]);
    const sql = time([cli, "--migrations", dir, "upgrade", "heads", "--sql"]);
    console.log(`| ${size} | ${heads.toFixed(0)} | ${(heads / floor).toFixed(2)} | ${sql.toFixed(0)} | ${(sql / floor).toFixed(2)} |`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
