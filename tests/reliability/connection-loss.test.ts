// Connection loss: the server kills retort's connection in the middle of a revision
// (pg_terminate_backend, MariaDB KILL). One clear error; PostgreSQL stays exactly at the
// previous revision; MariaDB's unfinished revision is reported by the next run.

import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { renderRevisionFile } from "../../src/load/native.js";
import { BACKENDS, connect, describeBackend } from "../servers.js";

const CLI = join(process.cwd(), "dist/cli.js");

for (const backend of BACKENDS.filter((b) => b.name !== "pglite")) {
  describeBackend(backend, "connection loss", () => {
    let dir: string;
    let db: { url: string; drop: () => Promise<void> };
    const pg = backend.name === "postgresql";
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "retort-connloss-"));
      mkdirSync(join(dir, "m"));
      const write = (id: string, down: string[], upgrade: string) =>
        writeFileSync(join(dir, "m", `${id}_r.sql`), renderRevisionFile({ id, message: `r ${id}`, downRevisions: down, createDate: "d", upgrade, downgrade: "" }));
      write("aaaa00000001", [], "CREATE TABLE t_a (id INT PRIMARY KEY);");
      write("bbbb00000002", ["aaaa00000001"], `CREATE TABLE t_b (id INT);\n${pg ? "SELECT pg_sleep(30)" : "SELECT SLEEP(30)"};`);
      db = await backend.create();
    });
    afterAll(async () => {
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it("one clear error, and the database in a state the next run explains", async () => {
      const run = new Promise<{ code: number; err: string }>((resolve) =>
        execFile(process.execPath, [CLI, "--migrations", join(dir, "m"), "upgrade", "--database-url", db.url], (error, _out, err) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, err }),
        ),
      );
      const admin = await connect(db.url);
      try {
        // Wait for the sleep, then kill the connection running it.
        const deadline = Date.now() + 20_000;
        let killed = false;
        while (!killed && Date.now() < deadline) {
          const rows = pg
            ? (await admin.query("SELECT pid AS id FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid() AND datname = current_database()")).rows
            : (await admin.query("SELECT id FROM information_schema.processlist WHERE info LIKE '%SLEEP(30)%' AND id <> CONNECTION_ID() AND db = DATABASE()")).rows;
          if (rows.length > 0) {
            await admin.query(pg ? `SELECT pg_terminate_backend(${Number(rows[0]!.id)})` : `KILL ${Number(rows[0]!.id)}`);
            killed = true;
          } else await new Promise((r) => setTimeout(r, 100));
        }
        expect(killed).toBe(true);
        const r = await run;
        expect(r.code).toBe(1);
        expect(r.err.trim().split("\n").filter((l) => !l.startsWith("retort: warning:"))).toHaveLength(1);
        expect(r.err).toMatch(/^retort: upgrade bbbb00000002 \(r bbbb00000002\) failed at .*bbbb00000002_r\.sql:\d+ \(statement 2 of 2\)/m);
        expect(r.err).not.toMatch(/\n\s+at /);
        const versions = (await admin.query("SELECT version_num FROM alembic_version")).rows.map((x) => x.version_num);
        expect(versions).toEqual(["aaaa00000001"]);
        if (pg) {
          // Rolled back with the connection: no trace of the revision.
          expect(await admin.tableExists(null, "t_b")).toBe(false);
        } else {
          // The next run explains the unfinished revision instead of guessing.
          const next = await new Promise<string>((resolve) =>
            execFile(process.execPath, [CLI, "--migrations", join(dir, "m"), "upgrade", "--database-url", db.url], (_e, _o, err) => resolve(err)),
          );
          expect(next).toMatch(/Revision bbbb00000002 .* never finished \(it had reached statement 2\)/);
        }
      } finally {
        await admin.close();
      }
    }, 60_000);
  });
}
