// Revisions that leave the session in modes that change how the server reads SQL, or where
// unqualified names point, and then fail with a message written to break out of a string
// literal. retort's own statements (version table, history rows, their literals) must stay
// exactly what retort meant: the failure recorded verbatim, no statement of the message run,
// the other application's (decoy) tables untouched, and the next run finds no drift. Modes are
// set per session by the revisions themselves (never globally on the shared servers).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import * as online from "../../src/commands/online.js";
import { RetortError } from "../../src/core/errors.js";
import { renderRevisionFile } from "../../src/load/native.js";
import { makeOptions, type Options } from "../../src/options.js";
import { BACKENDS, describeBackend, queryOnce } from "../servers.js";

const quiet: online.Session = { log: { info: () => undefined, warn: () => undefined }, notice: () => undefined };
/** CI identity values are text retort did not write either. */
const IDENTITY = { actor: "o'brien\\'; --", commitSha: "abc\\'def", runUrl: "https://ci.example/run/7?q='\\\\'&x=é", retortVersion: "9.9.9" };
/** What the failing revision's message is: it closes a literal and runs statements if quoted
 *  as MySQL's client-side escaping quotes it under NO_BACKSLASH_ESCAPES. */
const HOSTILE = "x'); DELETE FROM alembic_version_history; DROP TABLE alembic_version_history; -- \\'";

interface Rev {
  readonly id: string;
  readonly upgrade: string;
  readonly downgrade?: string;
}

for (const backend of BACKENDS) {
  describeBackend(backend, "retort's bookkeeping under the session a revision leaves", () => {
    const cleanup: (() => Promise<void> | void)[] = [];
    afterAll(async () => {
      for (const c of cleanup.reverse()) await c();
    });
    const mysql = backend.name === "mariadb";

    async function project(revs: readonly Rev[]): Promise<{ url: string; dir: string; options: Options; write: (revs: readonly Rev[]) => void }> {
      const db = await backend.create();
      cleanup.push(db.drop);
      const dir = mkdtempSync(join(tmpdir(), "retort-hostile-"));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      const write = (list: readonly Rev[]) =>
        list.forEach((r, i) =>
          writeFileSync(
            join(dir, `${r.id}_r.sql`),
            renderRevisionFile({ id: r.id, message: `r${i + 1}`, downRevisions: i === 0 ? [] : [list[i - 1]!.id], createDate: "d", upgrade: r.upgrade, downgrade: r.downgrade ?? "" }),
          ),
        );
      write(revs);
      return { url: db.url, dir, write, options: makeOptions({ migrations: dir, databaseUrl: db.url, lockTimeout: "5", identity: IDENTITY }) };
    }

    const id = (n: number) => `${String.fromCharCode(96 + n).repeat(4)}0000000${n}`;
    const truthy = (v: unknown) => v === true || v === 1 || v === "1";

    it("a failure message that would break out of a literal is recorded verbatim, and runs nothing", async () => {
      // A second schema (database) with tables of the same names, where unqualified names would
      // point after the revision moves the session there.
      const decoy = mysql ? `retort_decoy_${Math.random().toString(16).slice(2, 10)}` : "decoy";
      const revs: Rev[] = mysql
        ? [
            { id: id(1), upgrade: "SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES,ANSI_QUOTES,PIPES_AS_CONCAT';" },
            { id: id(2), upgrade: "SET autocommit = 0;" },
            { id: id(3), upgrade: "SET sql_select_limit = 1;" },
            { id: id(4), upgrade: `USE ${decoy};` },
            { id: id(5), upgrade: "SET NAMES gbk;" },
            { id: id(6), upgrade: "CREATE TABLE t_after (id INT);" },
            // Written for the revision's own NO_BACKSLASH_ESCAPES: '' is a quote, \ is itself.
            { id: id(7), upgrade: `SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${HOSTILE.split("'").join("''")}';` },
          ]
        : [
            { id: id(1), upgrade: "SET standard_conforming_strings = off;" },
            { id: id(2), upgrade: "CREATE TEMP TABLE alembic_version (version_num VARCHAR(32) NOT NULL);" },
            { id: id(3), upgrade: `SET search_path = ${decoy};` },
            { id: id(4), upgrade: "SET client_encoding = 'LATIN1';" },
            { id: id(5), upgrade: "SET DateStyle = 'SQL, DMY';" },
            { id: id(6), upgrade: "CREATE TABLE t_after (id INT);" },
            // No backslash or quote in the revision's own literals: it means the same in any mode.
            { id: id(7), upgrade: `DO $$ BEGIN RAISE EXCEPTION '%', ${HOSTILE.split("").map((c) => `chr(${c.charCodeAt(0)})`).join(" || ")}; END $$;` },
          ];
      const p = await project(revs);
      if (mysql) {
        await queryOnce(p.url, `CREATE DATABASE ${decoy}`);
        cleanup.push(async () => {
          await queryOnce(p.url, `DROP DATABASE IF EXISTS ${decoy}`);
        });
      } else {
        await queryOnce(p.url, `CREATE SCHEMA ${decoy}`);
      }
      await queryOnce(p.url, [`CREATE TABLE ${decoy}.alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)`, `CREATE TABLE ${decoy}.alembic_version_history (id INT)`]);

      const error = await online.migrate(p.options, quiet, "upgrade", "head", false).then(
        () => null,
        (e: unknown) => e as RetortError,
      );
      expect(error).toBeInstanceOf(RetortError);
      expect(error!.code).toBe("migration-failed");
      expect(error!.message).toContain(`upgrade ${id(7)} (r7) failed at`);
      expect(error!.message).toContain(HOSTILE);

      const q = (sql: string) => queryOnce(p.url, sql);
      const here = mysql ? "" : "public.";
      expect((await q(`SELECT version_num FROM ${here}alembic_version`)).map((r) => r.version_num)).toEqual([id(6)]);
      expect(await q(`SELECT version_num FROM ${decoy}.alembic_version`)).toEqual([]);
      expect(await q(`SELECT id FROM ${decoy}.alembic_version_history`)).toEqual([]);
      const history = await q(`SELECT revision, success, error_message, actor, commit_sha, run_url, user_version, prev_alembic_version FROM ${here}alembic_version_history ORDER BY id`);
      expect(history.map((h) => [h.revision, truthy(h.success)])).toEqual([...revs.slice(0, 6).map((r) => [r.id, true]), [id(7), false]]);
      expect(history[6]!.error_message).toBe(HOSTILE);
      for (const h of history) {
        expect(h).toMatchObject({ actor: IDENTITY.actor, commit_sha: IDENTITY.commitSha, run_url: IDENTITY.runUrl });
        expect(JSON.parse(String(h.user_version))).toEqual({ user: IDENTITY.actor, version: "9.9.9" });
      }
      expect(history[0]!.prev_alembic_version).toBe("");

      // The audit log reads it back as written; fixed, the rest applies, and nothing drifted.
      const log = JSON.parse(await online.log(p.options, quiet, 50, true)) as { history: { error: string | null; actor: string }[] };
      expect(log.history.at(-1)!.error).toBe(HOSTILE);
      expect(log.history.every((h) => h.actor === IDENTITY.actor)).toBe(true);
      p.write([...revs.slice(0, 6), { id: id(7), upgrade: "SELECT 1;" }]);
      await online.migrate(p.options, quiet, "upgrade", "head", false);
      expect(JSON.parse(await online.current(p.options, quiet, true))).toMatchObject({ current: [id(7)], drift: [] });
      expect(readFileSync(join(p.dir, `${id(7)}_r.sql`), "utf8")).toContain("SELECT 1;");
    });

    it("values longer than their columns are cut to fit, never lose the row", async () => {
      // An older history table with narrow columns, and a failure message longer than any.
      const long = mysql ? "SELECT * FROM t_nowhere_" + "x".repeat(40) + ";" : `DO $$ BEGIN RAISE EXCEPTION '%', repeat('é', 9000); END $$;`;
      const p = await project([
        { id: id(1), upgrade: "CREATE TABLE t_1 (id INT);" },
        { id: id(2), upgrade: long },
      ]);
      await queryOnce(
        p.url,
        `CREATE TABLE alembic_version_history (id ${mysql ? "BIGINT NOT NULL AUTO_INCREMENT" : "BIGSERIAL NOT NULL"}, alembic_version VARCHAR(255), prev_alembic_version VARCHAR(255), ` +
          `operation_type VARCHAR(32) NOT NULL, operation_direction VARCHAR(32) NOT NULL, user_version VARCHAR(20), changed_at ${mysql ? "DATETIME(6)" : "TIMESTAMP"}, ` +
          "actor VARCHAR(8), run_url VARCHAR(16), error_message VARCHAR(60), PRIMARY KEY (id))",
      );
      await expect(online.migrate(p.options, quiet, "upgrade", "head", false)).rejects.toThrow(`upgrade ${id(2)} (r2) failed at`);
      const rows = await queryOnce(p.url, "SELECT revision, actor, run_url, user_version, error_message, success FROM alembic_version_history ORDER BY id");
      expect(rows.map((r) => [r.revision, truthy(r.success)])).toEqual([
        [id(1), true],
        [id(2), false],
      ]);
      for (const r of rows) {
        expect(r.actor).toBe(`${IDENTITY.actor.slice(0, 5)}...`);
        expect(r.run_url).toBe(`${IDENTITY.runUrl.slice(0, 13)}...`);
        expect(String(r.user_version)).toHaveLength(20);
      }
      expect(String(rows[1]!.error_message)).toMatch(/\.\.\.$/);
      expect(String(rows[1]!.error_message).length).toBeLessThanOrEqual(60);
    });

    if (!mysql) {
      it("a revision that changes how text is read ends its shared round trip, and revision files stay UTF-8 whatever client_encoding a revision sets", async () => {
        // PostgreSQL lexes a whole round trip before running it, so a revision after this one in
        // the same text would be read with standard_conforming_strings still on.
        const p = await project([
          { id: id(1), upgrade: "CREATE TABLE t_s (v TEXT);" },
          { id: id(2), upgrade: "SET standard_conforming_strings = off;" },
          { id: id(3), upgrade: "INSERT INTO t_s VALUES ('it\\'s');" },
          { id: id(4), upgrade: "SET client_encoding = 'LATIN1';" },
          { id: id(5), upgrade: "INSERT INTO t_s VALUES ('é€');" },
        ]);
        await online.migrate(p.options, quiet, "upgrade", "head", false);
        expect((await queryOnce(p.url, "SELECT v FROM t_s")).map((r) => r.v)).toEqual(["it's", "é€"]);
      });
    }

    if (mysql) {
      it("temporary tables named like retort's, table locks, insert_id and the connection's character set leave its rows where they belong", async () => {
        const historyColumns =
          "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, alembic_version VARCHAR(255), prev_alembic_version VARCHAR(255), operation_type VARCHAR(32), " +
          "operation_direction VARCHAR(32), user_version VARCHAR(255), changed_at DATETIME(6), revision VARCHAR(32), checksum VARCHAR(80), duration_ms INT, " +
          "success BOOLEAN, error_message TEXT, failed_statement INT, actor VARCHAR(255), commit_sha VARCHAR(64), run_url VARCHAR(1024), retort_version VARCHAR(32), version_table VARCHAR(64)";
        const revs: Rev[] = [
          { id: id(1), upgrade: "CREATE TABLE t_l (v INT);" },
          // On MySQL and MariaDB a temporary table hides the table of its name, qualified or not.
          { id: id(2), upgrade: "CREATE TEMPORARY TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);" },
          { id: id(3), upgrade: `CREATE TEMPORARY TABLE alembic_version_history (${historyColumns});` },
          // Between these statements the session may touch no table but t_l.
          { id: id(4), upgrade: "LOCK TABLES t_l WRITE;\nINSERT INTO t_l (v) VALUES (1);\nUNLOCK TABLES;" },
          // The next AUTO_INCREMENT value, which a history row would take (id 1 is taken).
          { id: id(5), upgrade: "SET insert_id = 1;" },
          // A character set in which the server misreads plain literals.
          { id: id(6), upgrade: "SET character_set_connection = 'ucs2';" },
          // Table locks the revision never ends.
          { id: id(7), upgrade: "LOCK TABLES t_l WRITE;\nINSERT INTO t_l (v) VALUES (2);" },
          { id: id(8), upgrade: "CREATE TABLE t_after (id INT);" },
        ];
        const p = await project(revs);
        await online.migrate(p.options, quiet, "upgrade", "head", false);
        const q = (sql: string) => queryOnce(p.url, sql);
        expect((await q("SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual([id(8)]);
        const history = await q("SELECT id, revision, success, failed_statement FROM alembic_version_history ORDER BY id");
        expect(history.map((h) => [Number(h.id), h.revision, truthy(h.success), h.failed_statement])).toEqual(revs.map((r, i) => [i + 1, r.id, true, null]));
        expect((await q("SELECT v FROM t_l ORDER BY v")).map((r) => r.v)).toEqual([1, 2]);
        expect(JSON.parse(await online.current(p.options, quiet, true))).toMatchObject({ current: [id(8)], drift: [] });

        // A revision that fails while it holds table locks: its failure is recorded, not left
        // as a run that never finished.
        p.write([...revs, { id: id(9), upgrade: "LOCK TABLES t_l WRITE;\nINSERT INTO t_nowhere VALUES (1);" }]);
        await expect(online.migrate(p.options, quiet, "upgrade", "head", false)).rejects.toThrow(`upgrade ${id(9)} (r9) failed at`);
        const failed = await q(`SELECT success, failed_statement FROM alembic_version_history WHERE revision = '${id(9)}'`);
        expect(failed.map((h) => [truthy(h.success), Number(h.failed_statement)])).toEqual([[false, 2]]);
        expect(JSON.parse(await online.current(p.options, quiet, true))).toMatchObject({ current: [id(8)], drift: [] });
      });

      it("a temporary table made where the revision's text does not say so (a procedure it calls) hides none of retort's tables either", async () => {
        const revs: Rev[] = [
          { id: id(1), upgrade: "CREATE TABLE t_c (id INT);" },
          { id: id(2), upgrade: "CALL make_hiding_tables();" },
          { id: id(3), upgrade: "CREATE TABLE t_after (id INT);\nINSERT INTO t_after VALUES (1);" },
          { id: id(4), upgrade: "CREATE TABLE t_last (id INT);" },
        ];
        const p = await project(revs);
        await queryOnce(
          p.url,
          "CREATE PROCEDURE make_hiding_tables() BEGIN " +
            "CREATE TEMPORARY TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY); " +
            "CREATE TEMPORARY TABLE alembic_version_history (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, revision VARCHAR(32), success BOOLEAN, failed_statement INT, version_table VARCHAR(64)); END",
        );
        await online.migrate(p.options, quiet, "upgrade", "head", false);
        const q = (sql: string) => queryOnce(p.url, sql);
        expect((await q("SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual([id(4)]);
        const history = await q("SELECT revision, success FROM alembic_version_history ORDER BY id");
        expect(history.map((h) => [h.revision, truthy(h.success)])).toEqual(revs.map((r) => [r.id, true]));
      });

      it("ORACLE and EMPTY_STRING_IS_NULL modes change none of retort's statements, up and down", async () => {
        const revs: Rev[] = [
          { id: id(1), upgrade: "SET SESSION sql_mode = 'ORACLE,EMPTY_STRING_IS_NULL';", downgrade: "SET SESSION sql_mode = 'ORACLE,EMPTY_STRING_IS_NULL';" },
          { id: id(2), upgrade: "CREATE TABLE t_o (id INT);", downgrade: "DROP TABLE t_o;" },
          { id: id(3), upgrade: "CREATE TABLE t_p (id INT);\nINSERT INTO t_p VALUES (1);", downgrade: "DROP TABLE t_p;" },
        ];
        const p = await project(revs);
        await online.migrate(p.options, quiet, "upgrade", "head", false);
        await online.migrate(p.options, quiet, "downgrade", "base", false);
        const history = await queryOnce(p.url, "SELECT revision, success, alembic_version, prev_alembic_version, operation_direction FROM alembic_version_history ORDER BY id");
        expect(history.map((h) => [h.revision, truthy(h.success), h.operation_direction, h.prev_alembic_version, h.alembic_version])).toEqual([
          [id(1), true, "up", "", id(1)],
          [id(2), true, "up", id(1), id(2)],
          [id(3), true, "up", id(2), id(3)],
          [id(3), true, "down", id(3), id(2)],
          [id(2), true, "down", id(2), id(1)],
          [id(1), true, "down", id(1), ""],
        ]);
        expect(await queryOnce(p.url, "SELECT version_num FROM alembic_version")).toEqual([]);
      });
    }
  });
}
