// A failure in a round trip that several one-statement revisions share is the failing
// revision's: its revision, statement, file, line (and column where the server says), its
// history row; the revisions before it stand, the ones after it never ran. PostgreSQL parses
// the whole text of a round trip before running any of it (a syntax error in the third
// revision stops the first two as well); MariaDB runs it statement by statement.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import * as online from "../../src/commands/online.js";
import { RetortError } from "../../src/core/errors.js";
import { renderRevisionFile } from "../../src/load/native.js";
import { makeOptions } from "../../src/options.js";
import { BACKENDS, describeBackend, queryOnce } from "../servers.js";

const quiet: online.Session = { log: { info: () => undefined, warn: () => undefined }, notice: () => undefined };
const IDS = ["aaaa00000001", "bbbb00000002", "cccc00000003"];
const good = (i: number) => `CREATE TABLE t_${i} (id INT PRIMARY KEY);`;

type Kind = "syntax" | "syntax-unplaced" | "runtime" | "runtime-unplaced";

/** A failing statement of each kind, and the column the server points at (null: none;
 *  undefined: depends on the server's version). */
function failing(kind: Kind, backend: string): { sql: string; column: number | null | undefined } {
  const pg = backend !== "mariadb";
  switch (kind) {
    case "syntax": {
      const sql = "CREATE TABLE t_bad (id INT PRIMARY KEY,, x INT);";
      return { sql, column: pg ? sql.indexOf(",,") + 2 : null };
    }
    case "syntax-unplaced":
      // A parse error PostgreSQL 15 reports without a position (17 has one).
      return { sql: "SELECT 1 FETCH FIRST 1 ROWS WITH TIES;", column: backend === "mariadb" ? null : undefined };
    case "runtime": {
      const sql = "INSERT INTO t_nowhere (id) VALUES (1);";
      return { sql, column: pg ? sql.indexOf("t_nowhere") + 1 : null };
    }
    case "runtime-unplaced":
      return { sql: pg ? "SELECT 1 / 0;" : "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'boom';", column: null };
  }
}

for (const backend of BACKENDS) {
  describeBackend(backend, "failures in a shared round trip", () => {
    const cleanup: (() => Promise<void> | void)[] = [];
    afterAll(async () => {
      for (const c of cleanup.reverse()) await c();
    });

    for (const kind of ["syntax", "syntax-unplaced", "runtime", "runtime-unplaced"] as const) {
      for (const at of [0, 1, 2]) {
        it(`a ${kind} error in revision ${at + 1} of 3 is that revision's; the ones before it stand`, async () => {
          const db = await backend.create();
          cleanup.push(db.drop);
          const dir = mkdtempSync(join(tmpdir(), "retort-batch-"));
          cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
          const bad = failing(kind, backend.name);
          const path = (i: number) => join(dir, `${IDS[i]}_r.sql`);
          const write = (i: number, upgrade: string) =>
            writeFileSync(
              path(i),
              renderRevisionFile({ id: IDS[i]!, message: `r${i + 1}`, downRevisions: i === 0 ? [] : [IDS[i - 1]!], createDate: "d", upgrade, downgrade: `DROP TABLE t_${i};` }),
            );
          IDS.forEach((_, i) => write(i, i === at ? bad.sql : good(i)));
          const options = makeOptions({ migrations: dir, databaseUrl: db.url, lockTimeout: "5", identity: { actor: "t", commitSha: null, runUrl: null, retortVersion: "9.9.9" } });

          const error = await online.migrate(options, quiet, "upgrade", "head", false).then(
            () => null,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(RetortError);
          const e = error as RetortError;
          expect(e.code).toBe("migration-failed");
          const line = readFileSync(path(at), "utf8").split("\n").indexOf(bad.sql) + 1;
          const column = bad.column === undefined ? e.location?.column : bad.column;
          const where = `${path(at)}:${line}${column ? `:${column}` : ""}`;
          expect(e.message).toContain(`upgrade ${IDS[at]} (r${at + 1}) failed at ${where} (statement 1 of 1)`);
          expect(e.message).toContain(`stays at ${at === 0 ? "base" : IDS[at - 1]}`);
          expect(e.location).toEqual({ file: path(at), line, ...(column ? { column } : {}) });

          const q = (sql: string) => queryOnce(db.url, sql);
          expect((await q("SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual(at === 0 ? [] : [IDS[at - 1]]);
          for (let i = 0; i < 3; i++) {
            const here = backend.name === "mariadb" ? "DATABASE()" : "current_schema()";
            const present = (await q(`SELECT 1 AS x FROM information_schema.tables WHERE table_schema = ${here} AND table_name = 't_${i}'`)).length > 0;
            expect(present, `t_${i}`).toBe(i < at);
          }
          const history = await q("SELECT revision, success, failed_statement, error_message FROM alembic_version_history ORDER BY id");
          expect(history.map((h) => [h.revision, h.success === true || Number(h.success) === 1])).toEqual([
            ...IDS.slice(0, at).map((id) => [id, true]),
            [IDS[at], false],
          ]);
          expect(Number(history[at]!.failed_statement)).toBe(1);
          expect(String(history[at]!.error_message)).toBe((e.cause as Error).message);

          // Fixed, the rest applies.
          write(at, good(at));
          await online.migrate(options, quiet, "upgrade", "head", false);
          expect((await q("SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual([IDS[2]]);
        });
      }
    }

    if (backend.name !== "mariadb") {
      it("statements PostgreSQL reads apart (identifiers holding `$`) are counted apart: a failure in the second is its revision's", async () => {
        const db = await backend.create();
        cleanup.push(db.drop);
        const dir = mkdtempSync(join(tmpdir(), "retort-batch-"));
        cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
        // Oracle-style names: `$log$ ... audit$log$` read as a dollar quote made one statement of
        // two, and the failure of the second went to the version change that followed it
        // ("retort could not change the version table").
        const upgrades = ["CREATE TABLE audit$log (id INT);", "CREATE TABLE audit$log$ (id INT); INSERT INTO audit$log$ SELECT 1 / 0;", "CREATE TABLE t_3 (id INT);"];
        upgrades.forEach((upgrade, i) =>
          writeFileSync(
            join(dir, `${IDS[i]}_r.sql`),
            renderRevisionFile({ id: IDS[i]!, message: `r${i + 1}`, downRevisions: i === 0 ? [] : [IDS[i - 1]!], createDate: "d", upgrade, downgrade: "" }),
          ),
        );
        const options = makeOptions({ migrations: dir, databaseUrl: db.url, lockTimeout: "5" });
        const error = await online.migrate(options, quiet, "upgrade", "head", false).then(
          () => null,
          (e: unknown) => e as RetortError,
        );
        expect(error?.code).toBe("migration-failed");
        expect(error?.message).toContain(`upgrade ${IDS[1]} (r2) failed at ${join(dir, `${IDS[1]}_r.sql`)}:8 (statement 2 of 2): division by zero`);
        expect(error?.message).toContain(`The revision was rolled back: the database stays at ${IDS[0]}`);
        const q = (sql: string) => queryOnce(db.url, sql);
        expect((await q("SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual([IDS[0]]);
        const history = await q("SELECT revision, success, failed_statement FROM alembic_version_history ORDER BY id");
        expect(history.map((h) => [h.revision, h.success, h.failed_statement === null ? null : Number(h.failed_statement)])).toEqual([
          [IDS[0], true, null],
          [IDS[1], false, 2],
        ]);
      });
    }

    if (backend.name === "postgresql") {
      it("on a SQL_ASCII database (positions in bytes) a failure after non-ASCII text is the failing revision's, and the ones before it are not run again", async () => {
        const db = await backend.create();
        cleanup.push(db.drop);
        const name = `${new URL(db.url).pathname.slice(1)}_ascii`;
        const ascii = new URL(db.url);
        ascii.pathname = `/${name}`;
        await queryOnce(db.url, `CREATE DATABASE ${name} ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`);
        cleanup.push(() => queryOnce(db.url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => undefined));
        const dir = mkdtempSync(join(tmpdir(), "retort-batch-"));
        cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
        const upgrades = [`CREATE TABLE t_0 (note TEXT DEFAULT 'déjà vu, ${"é".repeat(40)}');`, "CREATE TABLE t_1 (id INT);", "INSERT INTO t_nowhere VALUES (1);"];
        upgrades.forEach((upgrade, i) =>
          writeFileSync(
            join(dir, `${IDS[i]}_r.sql`),
            renderRevisionFile({ id: IDS[i]!, message: `r${i + 1}`, downRevisions: i === 0 ? [] : [IDS[i - 1]!], createDate: "d", upgrade, downgrade: "" }),
          ),
        );
        const options = makeOptions({ migrations: dir, databaseUrl: ascii.href, lockTimeout: "5" });
        const error = await online.migrate(options, quiet, "upgrade", "head", false).then(
          () => null,
          (e: unknown) => e as RetortError,
        );
        expect(error?.code).toBe("migration-failed");
        expect(error?.message).toContain(`upgrade ${IDS[2]} (r3) failed at ${join(dir, `${IDS[2]}_r.sql`)}:8:13 (statement 1 of 1): relation "t_nowhere" does not exist`);
        const q = (sql: string) => queryOnce(ascii.href, sql);
        expect((await q("SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual([IDS[1]]);
        const history = await q("SELECT revision, success FROM alembic_version_history ORDER BY id");
        expect(history.map((h) => [h.revision, h.success])).toEqual([
          [IDS[0], true],
          [IDS[1], true],
          [IDS[2], false],
        ]);
      });
    }

    if (backend.name === "mariadb") {
      // A CALL sends a result set for each SELECT of its procedure and then an OK (a compound
      // statement too): more results than statements.
      const procedures =
        "DELIMITER //\nCREATE PROCEDURE p_rows() BEGIN SELECT 1 AS a; SELECT 2 AS b; END//\n" +
        "CREATE PROCEDURE p_fail() BEGIN SELECT 1 AS a; SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'inside p_fail'; END//\nDELIMITER ;";
      for (const [name, upgrades, at, reason] of [
        ["a failure after a CALL that returned rows is the failing revision's", [procedures, "CALL p_rows();", "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'boom';", "CREATE TABLE t_3 (id INT);"], 2, "boom"],
        ["a failure after a compound statement that returned rows is the failing revision's", [procedures, "DELIMITER //\nBEGIN NOT ATOMIC SELECT 1; SELECT 2; END//\nDELIMITER ;", "INSERT INTO t_nowhere VALUES (1);", "CREATE TABLE t_3 (id INT);"], 2, "t_nowhere"],
        ["a CALL whose procedure fails after returning rows is the CALL's revision's", [procedures, "CALL p_fail();", "CREATE TABLE t_2 (id INT);"], 1, "inside p_fail"],
      ] as const) {
        it(name, async () => {
          const db = await backend.create();
          cleanup.push(db.drop);
          const dir = mkdtempSync(join(tmpdir(), "retort-batch-"));
          cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
          const ids = upgrades.map((_, i) => `${String.fromCharCode(97 + i).repeat(4)}0000000${i + 1}`);
          upgrades.forEach((upgrade, i) =>
            writeFileSync(
              join(dir, `${ids[i]}_r.sql`),
              renderRevisionFile({ id: ids[i]!, message: `r${i + 1}`, downRevisions: i === 0 ? [] : [ids[i - 1]!], createDate: "d", upgrade, downgrade: "" }),
            ),
          );
          const options = makeOptions({ migrations: dir, databaseUrl: db.url, lockTimeout: "5" });
          const error = await online.migrate(options, quiet, "upgrade", "head", false).then(
            () => null,
            (e: unknown) => e as RetortError,
          );
          expect(error?.code).toBe("migration-failed");
          expect(error?.message).toContain(`upgrade ${ids[at]} (r${at + 1}) failed at ${join(dir, `${ids[at]}_r.sql`)}:8 (statement 1 of 1): `);
          expect(error?.message).toContain(reason);
          expect(error?.message).toContain(`the version table stays at ${ids[at - 1]}`);
          const q = (sql: string) => queryOnce(db.url, sql);
          expect((await q("SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual([ids[at - 1]]);
          const history = await q("SELECT revision, success, error_message FROM alembic_version_history ORDER BY id");
          expect(history.map((h) => [h.revision, Number(h.success)])).toEqual([...ids.slice(0, at).map((id) => [id, 1]), [ids[at], 0]]);
          expect(String(history[at]!.error_message)).toContain(reason);
          // Nothing is left for the next run to ask about: the failure was recorded as one.
          expect(JSON.parse(await online.current(options, quiet, true))).toMatchObject({ current: [ids[at - 1]] });
        });
      }
    }
  });
}
