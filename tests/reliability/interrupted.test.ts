// A revision MariaDB cannot run in a transaction is killed half-way: the next run stops and
// says which revision, when, by whom and which statement it had reached; `retort resolve`
// records the user's decision; then the upgrade finishes. The lock is not stale.

import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { renderRevisionFile } from "../../src/load/native.js";
import { BACKENDS, describeBackend, queryOnce } from "../servers.js";

const CLI = join(process.cwd(), "dist/cli.js");
const mariadb = BACKENDS.find((b) => b.name === "mariadb")!;

describeBackend(mariadb, "interrupted revisions", () => {
  let dir: string;
  let db: { url: string; drop: () => Promise<void> };
  const migrations = () => join(dir, "migrations");
  const cli = (...args: string[]) =>
    new Promise<{ code: number; out: string; err: string }>((resolve) =>
      execFile(process.execPath, [CLI, "--migrations", migrations(), ...args, "--database-url", db.url, "--lock-timeout", "5"], (error, out, err) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out, err }),
      ),
    );
  const query = (sql: string) => queryOnce(db.url, sql);
  /** Starts an upgrade and kills it (SIGKILL) once it is inside the slow statement; then ends
   *  the server session the dead run left sleeping. */
  const killMidway = async () => {
    const child = spawn(process.execPath, [CLI, "--migrations", migrations(), "upgrade", "--database-url", db.url], { stdio: "ignore" });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const rows = await query("SELECT failed_statement FROM alembic_version_history WHERE revision = 'bbbb00000002' AND success IS NULL").catch(() => []);
      if (rows.length > 0 && Number(rows[0]!.failed_statement) === 2) break;
      if (Date.now() > deadline) throw new Error("the upgrade never reached statement 2");
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    // If the server is still sleeping in what the dead run sent (MariaDB may notice the
    // disconnect only later), the next run waits for it, then names the session and how to end
    // it: end it, as a user would.
    const waiting = await cli("current");
    const m = /A run that has ended left statements running on \S+ \(server session (\d+)\); waited 5 s .*\(KILL \1\)/.exec(waiting.err);
    if (!m) return;
    await query(`KILL ${m[1]}`);
    for (let i = 0; (await query(`SELECT 1 AS r FROM information_schema.processlist WHERE id = ${m[1]}`)).length > 0; i++) {
      if (i > 100) throw new Error("the session did not end");
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "retort-interrupted-"));
    mkdirSync(migrations());
    const write = (id: string, down: string[], upgrade: string, downgrade: string) =>
      writeFileSync(join(migrations(), `${id}_r.sql`), renderRevisionFile({ id, message: `r ${id}`, downRevisions: down, createDate: "d", upgrade, downgrade }));
    write("aaaa00000001", [], "CREATE TABLE t_a (id INT PRIMARY KEY);", "DROP TABLE t_a;");
    write("bbbb00000002", ["aaaa00000001"], "CREATE TABLE t_b1 (id INT);\nSELECT SLEEP(30);\nCREATE TABLE t_b2 (id INT);", "DROP TABLE t_b2;\nDROP TABLE t_b1;");
    db = await mariadb.create();
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("stops on a started-but-unfinished revision, explains it, and resumes after resolve", async () => {
    await killMidway();
    // The next run is not held up by a stale lock, and refuses to guess.
    const started = Date.now();
    const blocked = await cli("upgrade");
    expect(Date.now() - started).toBeLessThan(4000);
    expect(blocked.code).toBe(1);
    expect(blocked.err).toMatch(/Revision bbbb00000002 \(.*bbbb00000002_r\.sql\) started to upgrade on \d{4}-.*Z by \S+ and never finished \(it had reached statement 2\)/);
    expect(blocked.err).toContain("retort resolve bbbb00000002 --applied");
    expect((await query("SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual(["aaaa00000001"]);

    // The user undoes the first statement by hand and says so.
    await query("DROP TABLE t_b1");
    const resolved = await cli("resolve", "bbbb00000002", "--rolled-back");
    expect(resolved.code, resolved.err).toBe(0);
    expect(resolved.out).toContain("bbbb00000002: recorded as rolled back; the database is at aaaa00000001");

    // Killed again, this time finished by hand and marked applied.
    await killMidway();
    await query("CREATE TABLE t_b2 (id INT)");
    expect((await cli("resolve", "bbbb00000002", "--applied")).code).toBe(0);
    expect((await query("SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual(["bbbb00000002"]);
    const upgrade = await cli("upgrade");
    expect(upgrade.code, upgrade.err).toBe(0);
    expect(upgrade.out).toContain("Nothing to do");

    // Nothing was lost from the history: every start, with its outcome.
    const history = await query("SELECT revision, success, error_message FROM alembic_version_history WHERE revision = 'bbbb00000002' ORDER BY id");
    expect(history.map((h) => [Number(h.success), h.error_message])).toEqual([
      [0, expect.stringMatching(/resolved by .*: rolled back/)],
      [1, expect.stringMatching(/resolved by .*: applied/)],
    ]);
  }, 120_000);
});
