// When one of retort's own statements cannot work (a read-only role, a view as version table,
// a NOT NULL column retort does not write, a history table an older retort extended, an
// unrelated table named as history, a revision that dropped the history table or made the
// session read-only), the error says which of retort's statements failed on which table and
// what to grant or change, and nothing is half-applied; reading commands work with what is there.

import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import * as online from "../../src/commands/online.js";
import { RetortError } from "../../src/core/errors.js";
import { renderRevisionFile } from "../../src/load/native.js";
import { makeOptions, type Options, type RawOptions } from "../../src/options.js";
import { BACKENDS, describeBackend, queryOnce } from "../servers.js";

const quiet: online.Session = { log: { info: () => undefined, warn: () => undefined }, notice: () => undefined };
const IDS = ["aaaa00000001", "bbbb00000002", "cccc00000003"];

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as RetortError,
  );

for (const backend of BACKENDS) {
  describeBackend(backend, "failures of retort's own statements", () => {
    const cleanup: (() => Promise<void> | void)[] = [];
    afterAll(async () => {
      for (const c of cleanup.reverse()) await Promise.resolve().then(c).catch((e: unknown) => console.error(e));
    });
    const mysql = backend.name === "mariadb";
    const schemaName = (url: string) => (mysql ? new URL(url).pathname.slice(1) : "public");

    async function fresh(upgrades: readonly string[] = IDS.map((_, i) => `CREATE TABLE t_${i} (id INT);`)) {
      const db = await backend.create();
      cleanup.push(db.drop);
      const dir = mkdtempSync(join(tmpdir(), "retort-own-"));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      upgrades.forEach((upgrade, i) =>
        writeFileSync(
          join(dir, `${IDS[i]}_r.sql`),
          renderRevisionFile({ id: IDS[i]!, message: `r${i + 1}`, downRevisions: i === 0 ? [] : [IDS[i - 1]!], createDate: "d", upgrade, downgrade: `DROP TABLE t_${i};` }),
        ),
      );
      const options = (extra: RawOptions = {}): Options => makeOptions({ migrations: dir, databaseUrl: db.url, lockTimeout: "5", ...extra });
      const q = (sql: string) => queryOnce(db.url, sql);
      const tables = async () =>
        (
          await q(
            `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ${mysql ? "DATABASE()" : "current_schema()"} ORDER BY table_name`,
          )
        ).map((r) => String(r.t));
      return { url: db.url, options, q, tables };
    }

    /** A user that may only read (and, with `write`, change rows but not tables). */
    async function limitedUser(url: string, write: boolean): Promise<string> {
      const name = `retort_ro_${randomBytes(4).toString("hex")}`;
      if (mysql) {
        const db = schemaName(url);
        await queryOnce(url, [`CREATE USER '${name}'@'%' IDENTIFIED BY 'pw'`, `GRANT SELECT${write ? ", INSERT, UPDATE, DELETE" : ""} ON \`${db}\`.* TO '${name}'@'%'`]);
        cleanup.push(async () => {
          await queryOnce(url, `DROP USER IF EXISTS '${name}'@'%'`);
        });
        const u = new URL(url);
        u.username = name;
        u.password = "pw";
        return u.href;
      }
      await queryOnce(url, [
        `CREATE ROLE ${name} LOGIN`,
        `GRANT USAGE ON SCHEMA public TO ${name}`,
        `GRANT SELECT${write ? ", INSERT, UPDATE, DELETE" : ""} ON ALL TABLES IN SCHEMA public TO ${name}`,
        ...(write ? [`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${name}`] : []),
      ]);
      cleanup.push(async () => {
        await queryOnce(url, [`DROP OWNED BY ${name}`, `DROP ROLE IF EXISTS ${name}`]);
      });
      const u = new URL(url);
      u.username = name;
      return u.href;
    }

    it("--history-table naming an unrelated table is one clear error, and nothing changes", async () => {
      const { options, q, tables } = await fresh();
      await queryOnce(options().databaseUrl!, [
        "CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(40))",
        "INSERT INTO users VALUES (1, 'ada')",
        // Some of audit-alembic's columns are not enough.
        "CREATE TABLE almost (id INT PRIMARY KEY, alembic_version VARCHAR(255), changed_at TIMESTAMP)",
      ]);
      const columns = async (t: string) =>
        (await q(`SELECT column_name AS c FROM information_schema.columns WHERE table_name = '${t}' AND table_schema = ${mysql ? "DATABASE()" : "current_schema()"} ORDER BY ordinal_position`)).map((r) => String(r.c).toLowerCase());
      for (const [table, missing] of [
        ["users", "alembic_version"],
        ["almost", "prev_alembic_version"],
      ] as const) {
        for (const run of [
          () => online.migrate(options({ historyTable: table }), quiet, "upgrade", "head", false),
          () => online.current(options({ historyTable: table }), quiet, false),
          () => online.log(options({ historyTable: table }), quiet, 10, false),
        ]) {
          const e = await failure(run());
          expect(e).toBeInstanceOf(RetortError);
          expect(e!.code).toBe("usage");
          expect(e!.message).toContain(`The history table ${schemaName(options().databaseUrl!)}.${table} is not an audit history`);
          expect(e!.message).toContain(missing);
          expect(e!.message).toContain("--history-table");
        }
      }
      expect(await columns("users")).toEqual(["id", "name"]);
      expect(await columns("almost")).toEqual(["id", "alembic_version", "changed_at"]);
      expect(await tables()).toEqual(["almost", "users"]);
      expect(await q("SELECT name FROM users")).toEqual([{ name: "ada" }]);
    });

    it("a history table an older retort extended: reading works with what is there; upgrade adds the rest", async () => {
      const { options, q } = await fresh();
      await online.migrate(options(), quiet, "upgrade", IDS[0], false);
      // Take retort's newer columns away again, as an older retort left the table.
      await queryOnce(
        options().databaseUrl!,
        ["error_message", "failed_statement", "actor", "commit_sha", "run_url", "retort_version", "version_table"].map((c) => `ALTER TABLE alembic_version_history DROP COLUMN ${c}`),
      );
      expect(JSON.parse(await online.current(options(), quiet, true))).toMatchObject({ current: [IDS[0]], drift: [] });
      expect(JSON.parse(await online.log(options(), quiet, 10, true)).history).toHaveLength(1);
      expect(JSON.parse(await online.plan(options(), quiet, "head", "json")).pending).toHaveLength(2);
      await expect(online.check(options(), quiet)).rejects.toThrow(/2 revision\(s\) pending/);
      await online.migrate(options(), quiet, "upgrade", "head", false);
      const rows = await q("SELECT revision, actor, version_table FROM alembic_version_history ORDER BY id");
      expect(rows.map((r) => r.version_table)).toEqual([null, "alembic_version", "alembic_version"]);
      expect(JSON.parse(await online.current(options(), quiet, true))).toMatchObject({ current: [IDS[2]], drift: [] });
    });

    it("a history table named with the longest name allowed gets its index too (its name cut to fit, not refused after the table was made)", async () => {
      for (const historyTable of ["h".repeat(63), "é".repeat(31)]) {
        const { options, q } = await fresh();
        await online.migrate(options({ historyTable }), quiet, "upgrade", "head", false);
        expect(await q(`SELECT revision FROM ${mysql ? `\`${historyTable}\`` : `"${historyTable}"`} ORDER BY id`)).toEqual(IDS.map((revision) => ({ revision })));
        const indexes = await q(
          mysql
            ? `SELECT index_name AS i FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = '${historyTable}' AND column_name = 'revision'`
            : `SELECT indexname AS i FROM pg_indexes WHERE schemaname = 'public' AND tablename = '${historyTable}' AND indexdef LIKE '%(revision)'`,
        );
        expect(indexes).toHaveLength(1);
        expect(new TextEncoder().encode(String(indexes[0]!.i)).length).toBeLessThanOrEqual(63);
      }
    });

    it("a view as version table: read through it, refused before anything runs when written", async () => {
      const { options, q, tables } = await fresh();
      await queryOnce(options().databaseUrl!, [
        "CREATE TABLE real_versions (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
        `INSERT INTO real_versions VALUES ('${IDS[0]}')`,
        "CREATE VIEW alembic_version AS SELECT version_num FROM real_versions",
      ]);
      expect(JSON.parse(await online.current(options(), quiet, true))).toMatchObject({ current: [IDS[0]] });
      const e = await failure(online.migrate(options(), quiet, "upgrade", "head", false));
      expect(e?.code).toBe("bookkeeping");
      expect(e?.message).toMatch(/The version table \S+\.alembic_version is a view: retort writes its rows, so it must be a table/);
      expect(await tables()).toEqual(["alembic_version", "real_versions"]);
      expect(await q("SELECT version_num FROM real_versions")).toEqual([{ version_num: IDS[0] }]);
    });

    it("a NOT NULL column retort does not write, in the version or the history table, is refused before anything runs", async () => {
      const { options, q, tables } = await fresh();
      await queryOnce(options().databaseUrl!, [
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY, deployed_by VARCHAR(40) NOT NULL)",
        `CREATE TABLE audit (id ${mysql ? "BIGINT NOT NULL AUTO_INCREMENT" : "BIGSERIAL NOT NULL"}, alembic_version VARCHAR(255), prev_alembic_version VARCHAR(255), ` +
          "operation_type VARCHAR(32) NOT NULL, operation_direction VARCHAR(32) NOT NULL, user_version VARCHAR(255), changed_at TIMESTAMP NULL, " +
          "team VARCHAR(20) NOT NULL, PRIMARY KEY (id))",
      ]);
      const version = await failure(online.migrate(options(), quiet, "upgrade", "head", false));
      expect(version?.code).toBe("bookkeeping");
      expect(version?.message).toMatch(/The version table \S+\.alembic_version has NOT NULL column\(s\) without a default that retort does not write \(deployed_by\): give them a DEFAULT, or allow NULL/);
      await queryOnce(options().databaseUrl!, "DROP TABLE alembic_version");
      const history = await failure(online.migrate(options({ historyTable: "audit" }), quiet, "upgrade", "head", false));
      expect(history?.code).toBe("bookkeeping");
      expect(history?.message).toMatch(/The history table \S+\.audit has NOT NULL column\(s\) .*\(team\)/);
      expect(await tables()).toEqual(["audit"]);
      expect((await q(`SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'audit' AND table_schema = ${mysql ? "DATABASE()" : "current_schema()"}`)).length).toBe(8);
    });

    it("a revision that drops the history table: retort's history row fails, and says so", async () => {
      const { options, q } = await fresh(["CREATE TABLE t_0 (id INT);", "DROP TABLE alembic_version_history;", "CREATE TABLE t_2 (id INT);"]);
      const e = await failure(online.migrate(options(), quiet, "upgrade", "head", false));
      expect(e?.code).toBe("bookkeeping");
      expect(e?.message).toContain(`upgrade ${IDS[1]} (r2): retort could not `);
      expect(e?.message).toMatch(/history (row|table) .*alembic_version_history/);
      expect(e?.message).toContain("is not there: did a revision drop or rename it?");
      expect((await q("SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual([IDS[0]]);
      if (mysql) {
        expect(e?.message).toContain(`The revision's statements took effect, but the version table stays at ${IDS[0]}: once that is fixed, run 'retort resolve ${IDS[1]} --applied'`);
      } else {
        expect(e?.message).toContain(`The revision was rolled back: the database stays at ${IDS[0]}`);
        expect((await q("SELECT revision FROM alembic_version_history ORDER BY id")).map((r) => r.revision)).toEqual([IDS[0]]);
      }
    });

    it("a revision that makes the session read-only: retort's own write fails, and says which and why", async () => {
      const { options, q } = await fresh([
        "CREATE TABLE t_0 (id INT);",
        mysql ? "SET SESSION TRANSACTION READ ONLY;" : "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY;",
        "SELECT 1;",
      ]);
      const e = await failure(online.migrate(options(), quiet, "upgrade", "head", false));
      expect(e?.code).toBe("bookkeeping");
      expect(e?.message).toMatch(/retort could not (change the version table|write the history row|record the start|drop temporary tables a revision left)/);
      expect(e?.message).toContain("The session is read-only");
      const at = (await q("SELECT version_num FROM alembic_version")).map((r) => r.version_num);
      expect(at.length === 1 && IDS.slice(0, 2).includes(String(at[0]))).toBe(true);
    });

    if (backend.name !== "pglite") {
      it("a read-only user: reading commands work; upgrade is one error naming retort's statement and the grant, nothing changed", async () => {
        const { url, options, q, tables } = await fresh();
        await online.migrate(options(), quiet, "upgrade", IDS[0], false);
        const ro = await limitedUser(url, false);
        const asRo = (extra: RawOptions = {}) => options({ databaseUrl: ro, ...extra });
        expect(JSON.parse(await online.current(asRo(), quiet, true))).toMatchObject({ current: [IDS[0]], drift: [] });
        expect(JSON.parse(await online.log(asRo(), quiet, 10, true)).history).toHaveLength(1);
        expect(JSON.parse(await online.plan(asRo(), quiet, "head", "json")).pending).toHaveLength(2);
        const e = await failure(online.migrate(asRo(), quiet, "upgrade", "head", false));
        expect(e?.code).toBe("bookkeeping");
        expect(e?.message).toContain(`${schemaName(url)}.alembic_version`);
        expect(e?.message).toMatch(/[Gg]rant SELECT, INSERT, UPDATE, DELETE on/);
        expect(e?.message).not.toMatch(/unexpected/i);
        expect(await tables()).toEqual(["alembic_version", "alembic_version_history", "t_0"]);
        expect((await q("SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual([IDS[0]]);
        expect(await q("SELECT revision FROM alembic_version_history")).toHaveLength(1);
        // With no version table yet, it says what creating it needs.
        const empty = await fresh();
        const roEmpty = await limitedUser(empty.url, false);
        const create = await failure(online.migrate(empty.options({ databaseUrl: roEmpty }), quiet, "upgrade", "head", false));
        expect(create?.code).toBe("bookkeeping");
        expect(create?.message).toContain(`retort could not create the version table ${schemaName(empty.url)}.alembic_version`);
        expect(create?.message).toContain(`Grant CREATE on ${mysql ? "database" : "schema"} ${schemaName(empty.url)}`);
        expect(await empty.tables()).toEqual([]);
      });

      if (!mysql) {
        it("grants on the tables without USAGE on the history's sequence or on the schema: refused before anything runs, naming that grant", async () => {
          const { url, options, q, tables } = await fresh();
          await queryOnce(url, "CREATE SCHEMA app");
          const appOptions = (extra: RawOptions = {}) => options({ versionSchema: "app", ...extra });
          await online.migrate(appOptions(), quiet, "upgrade", IDS[0], false);
          const name = `retort_seq_${randomBytes(4).toString("hex")}`;
          await queryOnce(url, [
            `CREATE ROLE ${name} LOGIN`,
            `GRANT ALL ON SCHEMA public TO ${name}`,
            // Every privilege on the tables, none on the sequence that fills the history's id.
            `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA app TO ${name}`,
          ]);
          cleanup.push(async () => {
            await queryOnce(url, [`DROP OWNED BY ${name}`, `DROP ROLE IF EXISTS ${name}`]);
          });
          const u = new URL(url);
          u.username = name;
          const asUser = () => appOptions({ databaseUrl: u.href });
          const stands = async () => {
            expect((await q("SELECT version_num FROM app.alembic_version")).map((r) => r.version_num)).toEqual([IDS[0]]);
            expect(await q("SELECT revision FROM app.alembic_version_history")).toHaveLength(1);
            expect(await tables()).toEqual(["t_0"]);
          };
          // No USAGE on the schema: every command says so, not "grant SELECT on the table".
          for (const run of [() => online.current(asUser(), quiet, false), () => online.log(asUser(), quiet, 10, false), () => online.migrate(asUser(), quiet, "upgrade", "head", false)]) {
            const e = await failure(run());
            expect(e?.code).toBe("bookkeeping");
            expect(e?.message).toMatch(/may not use the schema app, which holds the (version|history) table app\.alembic_version(_history)?: grant USAGE on schema app to it/);
          }
          await stands();
          await queryOnce(url, `GRANT USAGE ON SCHEMA app TO ${name}`);
          expect(JSON.parse(await online.current(asUser(), quiet, true))).toMatchObject({ current: [IDS[0]] });
          const e = await failure(online.migrate(asUser(), quiet, "upgrade", "head", false));
          expect(e?.code).toBe("bookkeeping");
          expect(e?.message).toContain(
            "may not use the sequence(s) app.alembic_version_history_id_seq, from which the history table app.alembic_version_history fills its column(s) id: " +
              "grant USAGE on sequence app.alembic_version_history_id_seq to it.",
          );
          await stands();
          await queryOnce(url, `GRANT USAGE ON SEQUENCE app.alembic_version_history_id_seq TO ${name}`);
          await online.migrate(asUser(), quiet, "upgrade", "head", false);
          expect((await q("SELECT version_num FROM app.alembic_version")).map((r) => r.version_num)).toEqual([IDS[2]]);
        });
      }

      if (!mysql) {
        it("a revision that switches to a role without grants on retort's tables: the refusal says that role needs them, or a RESET ROLE", async () => {
          const role = `retort_role_${randomBytes(4).toString("hex")}`;
          const { url, options, q } = await fresh(["CREATE TABLE t_0 (id INT);", `SET ROLE ${role};`, "SELECT 1;"]);
          await queryOnce(url, `CREATE ROLE ${role}`);
          cleanup.push(() => queryOnce(url, `DROP ROLE IF EXISTS ${role}`).then(() => undefined));
          const e = await failure(online.migrate(options(), quiet, "upgrade", "head", false));
          expect(e?.code).toBe("bookkeeping");
          expect(e?.message).toMatch(/^upgrade bbbb00000002 \(r2\): retort could not change the version table public\.alembic_version: permission denied/);
          expect(e?.message).toContain("If a revision switched to another role (SET ROLE), retort's statements after it ran as that role: grant that role too, or switch back at the end of the revision (RESET ROLE).");
          expect(e?.message).toContain(`The revision was rolled back: the database stays at ${IDS[0]}`);
          expect((await q("SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual([IDS[0]]);
          // Reads before any revision ran are not told about roles.
          const ro = await limitedUser(url, false);
          const read = await failure(online.migrate(options({ databaseUrl: ro }), quiet, "upgrade", "head", false));
          expect(read?.message).not.toContain("SET ROLE");
        });
      }

      it("a user that may write rows but not alter tables: the missing history columns are named with the statement to run", async () => {
        const { url, options } = await fresh();
        await online.migrate(options(), quiet, "upgrade", IDS[0], false);
        await queryOnce(url, ["ALTER TABLE alembic_version_history DROP COLUMN version_table", "ALTER TABLE alembic_version_history DROP COLUMN run_url"]);
        const rw = await limitedUser(url, true);
        expect(JSON.parse(await online.current(options({ databaseUrl: rw }), quiet, true))).toMatchObject({ current: [IDS[0]] });
        const e = await failure(online.migrate(options({ databaseUrl: rw }), quiet, "upgrade", "head", false));
        expect(e?.code).toBe("bookkeeping");
        expect(e?.message).toContain(`The history table ${schemaName(url)}.alembic_version_history lacks retort's column(s) run_url, version_table`);
        expect(e?.message).toMatch(/Run as its owner: ALTER TABLE \S+ ADD COLUMN run_url VARCHAR\(1024\), ADD COLUMN version_table VARCHAR\(64\);/);
        expect((await queryOnce(url, "SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual([IDS[0]]);
        // As the owner, the columns are added and the upgrade goes through.
        await online.migrate(options(), quiet, "upgrade", "head", false);
        expect(JSON.parse(await online.current(options({ databaseUrl: rw }), quiet, true))).toMatchObject({ current: [IDS[2]] });
      });
    }
  });
}
