// Concurrency: several retort processes run `upgrade head` at once on the same database. The
// lock must make every revision run exactly once, every process succeed, and the history
// hold one row per revision. RETORT_HEAVY=1 runs more processes and rounds.

import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { renderRevisionFile } from "../../src/load/native.js";
import { BACKENDS, describeBackend, queryOnce } from "../servers.js";

const HEAVY = process.env.RETORT_HEAVY === "1";
const PROCESSES = 8;
const REVISIONS = 200;
const ROUNDS = HEAVY ? 5 : 2;
const CLI = join(process.cwd(), "dist/cli.js");

const run = (args: string[]) =>
  new Promise<{ code: number; out: string }>((resolve) =>
    execFile(process.execPath, [CLI, ...args], { maxBuffer: 1 << 26 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    ),
  );

for (const backend of BACKENDS.filter((b) => b.name !== "pglite")) {
  describeBackend(backend, "concurrent deploys", () => {
    let dir: string;
    let db: { url: string; drop: () => Promise<void> };
    const ids = Array.from({ length: REVISIONS }, (_, i) => `c${String(i).padStart(11, "0")}`);

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "retort-concurrency-"));
      mkdirSync(join(dir, "migrations"));
      ids.forEach((id, i) =>
        writeFileSync(
          join(dir, "migrations", `${id}_t.sql`),
          renderRevisionFile({
            id,
            message: `table ${i}`,
            downRevisions: i === 0 ? [] : [ids[i - 1]!],
            createDate: "d",
            upgrade: `CREATE TABLE t_${i} (id INT PRIMARY KEY, name VARCHAR(20));`,
            downgrade: `DROP TABLE t_${i};`,
          }),
        ),
      );
      db = await backend.create();
    });
    afterAll(async () => {
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it(`${PROCESSES} processes upgrading ${REVISIONS} revisions at once apply each exactly once, ${ROUNDS} rounds`, async () => {
      const migrations = join(dir, "migrations");
      for (let round = 0; round < ROUNDS; round++) {
        const results = await Promise.all(
          Array.from({ length: PROCESSES }, () => run(["--migrations", migrations, "upgrade", "--database-url", db.url, "--lock-timeout", "120"])),
        );
        for (const r of results) expect(r.code, r.out).toBe(0);
        // One process did the work; the others found nothing to do.
        expect(results.filter((r) => r.out.includes(`${REVISIONS} revision(s)`))).toHaveLength(1);
        expect(results.filter((r) => r.out.includes("Nothing to do"))).toHaveLength(PROCESSES - 1);
        const [versions, ups, failed] = await queryOnce(db.url, [
          "SELECT version_num FROM alembic_version",
          ["SELECT revision, COUNT(*) AS n FROM alembic_version_history WHERE operation_direction = 'up' AND success = ? GROUP BY revision", [true]],
          ["SELECT COUNT(*) AS n FROM alembic_version_history WHERE success = ?", [false]],
        ]);
        expect(versions).toEqual([{ version_num: ids.at(-1) }]);
        expect(ups).toHaveLength(REVISIONS);
        expect(ups!.every((r) => Number(r.n) === round + 1)).toBe(true);
        expect(Number(failed![0]!.n)).toBe(0);
        // Back to base for the next round (also under the lock, by several at once).
        const downs = await Promise.all(
          Array.from({ length: 3 }, () => run(["--migrations", migrations, "downgrade", "base", "--database-url", db.url, "--lock-timeout", "120"])),
        );
        for (const r of downs) expect(r.code, r.out).toBe(0);
        expect(downs.filter((r) => r.out.includes(`${REVISIONS} revision(s)`))).toHaveLength(1);
      }
    }, 300_000);
  });
}
