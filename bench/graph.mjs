// Graph-scale benchmark (no database): `retort heads` and `retort upgrade heads --sql` over
// generated migration directories of 1,000 / 10,000 / 50,000 revisions with branches and
// merges, whole process (node dist/cli.js), median of BENCH_RUNS (default 5) runs, against
// `node -e 0`, and Alembic's `heads` / `upgrade heads --sql` on the same graph (up to
// BENCH_GRAPH_ALEMBIC_MAX revisions, default 10,000).
// Usage: npm run build && node bench/graph.mjs [sizes...]   e.g. node bench/graph.mjs 1000 10000
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { QUICK, cleanupOnExit, fmtInt, main, measure, median, ratio, runs, table, tempDir } from "./lib.mjs";
import { NODE, ensurePeers, peers } from "./peers.mjs";
import { CLI, alembicProject } from "./tools.mjs";

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
  return files;
}

/** The same graph as an Alembic project (alembic.ini, env.py, versions/*.py) in dir. */
function generateAlembic(dir, files) {
  const versions = alembicProject(dir);
  const py = (ids) => (ids.length === 0 ? "None" : ids.length === 1 ? `'${ids[0]}'` : `(${ids.map((i) => `'${i}'`).join(", ")})`);
  for (const [id, down] of files) {
    const text =
      `"""revision ${id}\n\nRevision ID: ${id}\nRevises: ${down.join(", ")}\nCreate Date: 2026-01-01 00:00:00.000000\n\n"""\n` +
      `from alembic import op\n\nrevision = '${id}'\ndown_revision = ${py(down)}\nbranch_labels = None\ndepends_on = None\n\n\n` +
      `def upgrade() -> None:\n    op.execute("CREATE TABLE t_${id} (id int primary key, name text)")\n\n\n` +
      `def downgrade() -> None:\n    op.execute("DROP TABLE t_${id}")\n`;
    writeFileSync(join(versions, `${id}_revision.py`), text);
  }
}

function time(cmd, R, options) {
  const samples = [];
  for (let i = 0; i < R; i++) {
    const m = measure(cmd, options);
    if (!m.ok) throw new Error(`${cmd.join(" ")} failed: ${m.output.slice(0, 2000)}`);
    samples.push(m.wall * 1000);
  }
  return median(samples);
}

const ALEMBIC_MAX = Number(process.env.BENCH_GRAPH_ALEMBIC_MAX ?? 10_000);

export function graphSection(sizes = QUICK ? [1_000] : [1_000, 10_000, 50_000]) {
  ensurePeers();
  cleanupOnExit();
  const R = runs(5);
  const root = tempDir("graph");
  const node = NODE;
  const floor = time([node, "-e", "0"], R);
  const rows = [];
  for (const size of sizes) {
    const dir = join(root, String(size));
    const files = generateDir(dir, size);
    const heads = time([node, CLI, "--migrations", dir, "heads"], R);
    const sql = time([node, CLI, "--migrations", dir, "upgrade", "heads", "--sql"], R);
    const row = [fmtInt(size), fmtInt(heads), ratio(heads, floor), fmtInt(sql), ratio(sql, floor)];
    if (size <= ALEMBIC_MAX) {
      // Alembic on the same graph; offline (--sql) needs only a URL's dialect, no server.
      const adir = join(root, `alembic${size}`);
      generateAlembic(adir, files);
      const options = { cwd: adir, env: { ...process.env, BENCH_DATABASE_URL: "postgresql+psycopg2://bench@127.0.0.1/bench" } };
      const alembic = [...peers.alembic, "-c", join(adir, "alembic.ini")];
      const aHeads = time([...alembic, "heads"], R, options);
      const aSql = time([...alembic, "upgrade", "heads", "--sql"], R, options);
      row.push(fmtInt(aHeads), ratio(heads, aHeads), fmtInt(aSql), ratio(sql, aSql));
    } else {
      row.push("–", "", "–", "");
    }
    rows.push(row);
    rmSync(dir, { recursive: true, force: true });
  }
  return (
    `Median of ${R} whole-process run${R > 1 ? "s" : ""} of each command; \`node -e 0\`: ${fmtInt(floor)} ms. ` +
    "The graphs are a main line that forks every 50 revisions into two branches of 20 revisions that merge again; " +
    `Alembic (run up to ${fmtInt(ALEMBIC_MAX)} revisions) reads the same graph as .py revisions. \`retort ÷ Alembic\` below 1: retort is faster.\n\n` +
    table(
      ["revisions", "retort `heads` (ms)", "× `node -e 0`", "retort `upgrade heads --sql` (ms)", "× `node -e 0`", "Alembic `heads` (ms)", "retort ÷ Alembic", "Alembic `upgrade heads --sql` (ms)", "retort ÷ Alembic"],
      rows,
    )
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = process.argv.slice(2).map(Number).filter(Boolean);
  await main(() => graphSection(sizes.length ? sizes : undefined));
}
