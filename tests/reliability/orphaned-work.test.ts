// A run killed while the server executes its last statement: the process and its lock
// connection are gone at once, but the server goes on with what the main connection sent (the
// statement, the version change and COMMIT travel together). The next run must wait for that
// work to end instead of taking the lock and reading a state that is about to change.

import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { renderRevisionFile } from "../../src/load/native.js";
import { BACKENDS, describeBackend, queryOnce } from "../servers.js";

const CLI = join(process.cwd(), "dist/cli.js");

for (const backend of BACKENDS.filter((b) => b.name !== "pglite")) {
  const mysql = backend.name === "mariadb";
  describeBackend(backend, "work left running by a killed run", () => {
    let dir: string;
    let db: { url: string; drop: () => Promise<void> };
    const migrations = () => join(dir, "migrations");
    const cli = (...args: string[]) =>
      new Promise<{ code: number; out: string }>((resolve) =>
        execFile(process.execPath, [CLI, "--migrations", migrations(), ...args, "--database-url", db.url, "--lock-timeout", "20"], (error, out, err) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: out + err }),
        ),
      );
    const query = (sql: string) => queryOnce(db.url, sql);
    const versions = async () => (await query("SELECT version_num FROM alembic_version")).map((r) => String(r.version_num));

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "retort-orphaned-"));
      mkdirSync(migrations());
      const write = (id: string, down: string[], upgrade: string, downgrade: string) =>
        writeFileSync(join(migrations(), `${id}_r.sql`), renderRevisionFile({ id, message: `r ${id}`, downRevisions: down, createDate: "d", upgrade, downgrade }));
      write("aaaa00000001", [], "CREATE TABLE t_a (id INT PRIMARY KEY);", "DROP TABLE t_a;");
      write(
        "bbbb00000002",
        ["aaaa00000001"],
        mysql ? "CREATE TABLE t_b AS SELECT SLEEP(2) AS x;" : "CREATE TABLE t_b AS SELECT 1 AS x FROM pg_sleep(2);",
        "DROP TABLE t_b;",
      );
      db = await backend.create();
    });
    afterAll(async () => {
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it("the next run waits for it, then finds the state it left, and nothing runs twice", async () => {
      expect((await cli("upgrade", "aaaa00000001")).code).toBe(0);
      const child = spawn(process.execPath, [CLI, "--migrations", migrations(), "upgrade", "--database-url", db.url], { stdio: "ignore" });
      const running = mysql
        ? "SELECT 1 AS r FROM information_schema.processlist WHERE info LIKE 'CREATE TABLE t_b%'"
        : "SELECT 1 AS r FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(2)%' AND pid <> pg_backend_pid()";
      const deadline = Date.now() + 15_000;
      while ((await query(running)).length === 0) {
        if (Date.now() > deadline) throw new Error("the slow revision never started");
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));

      const next = await cli("upgrade");
      if (mysql && next.code === 1) {
        // MariaDB may stop the dead session's statements after the CREATE: then the revision is
        // reported as interrupted, never run a second time.
        expect(next.out).toMatch(/Revision bbbb00000002 .* never finished/);
        expect(next.out).not.toMatch(/already exists/);
      } else {
        expect(next.code, next.out).toBe(0);
        expect(next.out).not.toMatch(/already exists|duplicate key/);
        expect(await versions()).toEqual(["bbbb00000002"]);
        const rows = await query("SELECT revision FROM alembic_version_history WHERE revision = 'bbbb00000002' AND success = TRUE");
        expect(rows).toHaveLength(1);
      }
      // Nothing changes behind the next run's back afterwards.
      const after = await versions();
      await new Promise((r) => setTimeout(r, 2500));
      expect(await versions()).toEqual(after);
    }, 60_000);
  });
}
