// One conformance suite for every database: PostgreSQL, MariaDB and PGlite run the same
// revisions through the same commands and must leave the same version rows and history.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as online from "../../src/commands/online.js";
import { RetortError } from "../../src/core/errors.js";
import { renderRevisionFile } from "../../src/load/native.js";
import { makeOptions, type Options, type RawOptions } from "../../src/options.js";
import { BACKENDS, connect, describeBackend, queryOnce } from "../servers.js";

interface Spec {
  id: string;
  down: string[];
  upgrade: string;
  downgrade: string;
  labels?: string[];
}

// a -> b -> {c1 (label left), c2 (label right)} -> m (merge) -> d
const GRAPH: Spec[] = [
  { id: "aaaa00000001", down: [], upgrade: "CREATE TABLE t_a (id INT PRIMARY KEY);", downgrade: "DROP TABLE t_a;" },
  { id: "bbbb00000002", down: ["aaaa00000001"], upgrade: "CREATE TABLE t_b (id INT PRIMARY KEY);\nINSERT INTO t_b (id) VALUES (1);", downgrade: "DROP TABLE t_b;" },
  { id: "cccc00000003", down: ["bbbb00000002"], upgrade: "CREATE TABLE t_c1 (id INT PRIMARY KEY);", downgrade: "DROP TABLE t_c1;", labels: ["left"] },
  { id: "cccc00000004", down: ["bbbb00000002"], upgrade: "CREATE TABLE t_c2 (id INT PRIMARY KEY);", downgrade: "DROP TABLE t_c2;", labels: ["right"] },
  { id: "dddd00000005", down: ["cccc00000003", "cccc00000004"], upgrade: "CREATE TABLE t_m (id INT PRIMARY KEY);", downgrade: "DROP TABLE t_m;" },
  { id: "eeee00000006", down: ["dddd00000005"], upgrade: "CREATE TABLE t_d (id INT PRIMARY KEY);", downgrade: "DROP TABLE t_d;" },
];

function writeGraph(dir: string, specs: Spec[]): void {
  for (const s of specs) {
    const text = renderRevisionFile({
      id: s.id,
      message: `make ${s.id}`,
      downRevisions: s.down,
      createDate: "2026-11-25 10:00:00.000000",
      branchLabels: s.labels ?? [],
      upgrade: s.upgrade,
      downgrade: s.downgrade,
    });
    writeFileSync(join(dir, `${s.id}_make.sql`), text);
  }
}

const quiet: online.Session = { log: { info: () => undefined, warn: () => undefined }, notice: () => undefined };

for (const backend of BACKENDS) {
  describeBackend(backend, "driver conformance", () => {
    let url: string;
    let drop: () => Promise<void>;
    let dir: string;
    const dirs: string[] = [];

    const options = (extra: RawOptions = {}): Options =>
      makeOptions({
        migrations: dir,
        databaseUrl: url,
        lockTimeout: "2",
        identity: { actor: "tester", commitSha: "abc123", runUrl: "https://ci.example/run/7", retortVersion: "9.9.9" },
        ...extra,
      });
    const sql = async <T = Record<string, unknown>>(text: string): Promise<T[]> => (await queryOnce(url, text)) as T[];
    const versions = async () => (await sql<{ version_num: string }>("SELECT version_num FROM alembic_version")).map((r) => r.version_num).sort();
    const tables = async () => {
      const rows = await sql<{ t: string }>(
        backend.name === "mariadb"
          ? "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 't\\_%'"
          : "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 't\\_%'",
      );
      return rows.map((r) => r.t).sort();
    };
    const history = async () =>
      sql<{
        alembic_version: string;
        prev_alembic_version: string;
        operation_type: string;
        operation_direction: string;
        revision: string | null;
        checksum: string | null;
        success: unknown;
        error_message: string | null;
        failed_statement: number | null;
        actor: string | null;
        commit_sha: string | null;
        run_url: string | null;
        retort_version: string | null;
      }>("SELECT * FROM alembic_version_history ORDER BY id");
    const truthy = (v: unknown) => v === true || v === 1 || v === "1";
    const revisionIndexed = async () =>
      (
        await sql(
          backend.name === "mariadb"
            ? "SELECT 1 AS i FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'alembic_version_history' AND column_name = 'revision' AND seq_in_index = 1"
            : "SELECT 1 AS i FROM pg_indexes WHERE tablename = 'alembic_version_history' AND indexdef LIKE '%(revision)'",
        )
      ).length > 0;

    const fresh = async (specs: Spec[] = GRAPH) => {
      if (drop) await drop();
      ({ url, drop } = await backend.create());
      dir = mkdtempSync(join(tmpdir(), "retort-conf-"));
      dirs.push(dir);
      writeGraph(dir, specs);
    };

    beforeAll(async () => {
      await fresh();
    });
    afterAll(async () => {
      if (drop) await drop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    it("upgrades to head once, with Alembic's version row and a history row per revision", async () => {
      await fresh();
      const out = await online.migrate(options(), quiet, "upgrade", "head", false);
      expect(out).toMatch(/Upgraded .* from base to eeee00000006: 6 revision\(s\)/);
      expect(await versions()).toEqual(["eeee00000006"]);
      expect(await tables()).toEqual(["t_a", "t_b", "t_c1", "t_c2", "t_d", "t_m"]);
      const h = await history();
      expect(h).toHaveLength(6);
      expect(h.every((r) => truthy(r.success) && r.operation_type === "migration" && r.operation_direction === "up")).toBe(true);
      expect(h.every((r) => /^v1:[0-9a-f]{64}$/.test(r.checksum ?? ""))).toBe(true);
      expect(h[0]).toMatchObject({ alembic_version: "aaaa00000001", prev_alembic_version: "", revision: "aaaa00000001" });
      expect(h[4]).toMatchObject({ alembic_version: "dddd00000005", prev_alembic_version: "cccc00000003##cccc00000004" });
      expect(h[0]).toMatchObject({ actor: "tester", commit_sha: "abc123", run_url: "https://ci.example/run/7", retort_version: "9.9.9" });
      // Nothing left to do, and nothing written for it.
      expect(await online.migrate(options(), quiet, "upgrade", "head", false)).toMatch(/Nothing to do/);
      expect(await history()).toHaveLength(6);
      expect(await online.current(options(), quiet, false)).toBe("eeee00000006 (head)\n");
      // The audit log reads the same on every database: ISO UTC times, one row per step.
      const log = JSON.parse(await online.log(options(), quiet, 50, true));
      expect(log.history).toHaveLength(6);
      expect(log.history[0]).toMatchObject({ operation: "migration up", from: "", to: "aaaa00000001", success: true, actor: "tester" });
      expect(log.history.every((h: { changed_at: string }) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(h.changed_at))).toBe(true);
      expect(Math.abs(Date.parse(log.history[5].changed_at) - Date.now())).toBeLessThan(60_000);
    });

    it("downgrades through the merge and the branch point, then back up one branch at a time", async () => {
      await online.migrate(options(), quiet, "downgrade", "bbbb00000002", false);
      expect(await versions()).toEqual(["bbbb00000002"]);
      expect(await tables()).toEqual(["t_a", "t_b"]);
      // (A label spreads to the revisions after it, merge included: left@head is the head.)
      await online.migrate(options(), quiet, "upgrade", "left@cccc00000003", false);
      expect(await versions()).toEqual(["cccc00000003"]);
      await online.migrate(options(), quiet, "upgrade", "cccc00000004", false);
      expect(await versions()).toEqual(["cccc00000003", "cccc00000004"]);
      await online.migrate(options(), quiet, "upgrade", "heads", false);
      expect(await versions()).toEqual(["eeee00000006"]);
      await online.migrate(options(), quiet, "downgrade", "base", false);
      expect(await versions()).toEqual([]);
      expect(await tables()).toEqual([]);
      const down = (await history()).filter((r) => r.operation_direction === "down");
      expect(down).toHaveLength(4 + 6);
      expect(new Set(down.slice(-6).map((r) => r.revision))).toEqual(new Set(GRAPH.map((g) => g.id)));
      expect(down.at(-1)).toMatchObject({ alembic_version: "", prev_alembic_version: "aaaa00000001" });
    });

    it("--dry-run and plan change nothing", async () => {
      await fresh();
      const text = await online.migrate(options(), quiet, "upgrade", "head", true);
      expect(text).toContain("Pending:  6 revision(s)");
      const json = JSON.parse(await online.plan(options(), quiet, "head", "json"));
      expect(json.current).toEqual([]);
      expect(json.pending.map((p: { revision: string }) => p.revision)).toHaveLength(6);
      expect(json.database).not.toContain("@@");
      expect(await tables()).toEqual([]);
    });

    it("a failing statement leaves the database at the previous revision, with the failure in the history", async () => {
      const broken = GRAPH.map((s) =>
        s.id === "cccc00000004" ? { ...s, upgrade: "CREATE TABLE t_c2 (id INT PRIMARY KEY);\nTHIS IS NOT SQL;\nCREATE TABLE t_c3 (id INT);" } : s,
      );
      await fresh(broken);
      let error: unknown;
      try {
        await online.migrate(options(), quiet, "upgrade", "head", false);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RetortError);
      const message = (error as RetortError).message;
      expect((error as RetortError).code).toBe("migration-failed");
      expect(message).toMatch(/upgrade cccc00000004 .* failed at .*cccc00000004_make\.sql:\d+/);
      expect(message).toContain("(statement 2 of 3)");
      // The server's position, mapped to the file: the bad statement is on line 10, column 1.
      expect(message).toContain(backend.name === "mariadb" ? "cccc00000004_make.sql:10" : "cccc00000004_make.sql:10:1");
      // The other branch (c1) ran first or after: either way the rows name only completed revisions.
      const rows = await versions();
      expect(rows.every((r) => ["bbbb00000002", "cccc00000003"].includes(r))).toBe(true);
      const failure = (await history()).find((r) => !truthy(r.success))!;
      expect(failure).toMatchObject({ revision: "cccc00000004", failed_statement: 2 });
      expect(failure.error_message).toBeTruthy();
      if (backend.name === "mariadb") {
        expect(message).toContain("Statements 1 to 1 of this revision already took effect");
        expect(await tables()).toContain("t_c2");
      } else {
        expect(message).toContain("The revision was rolled back");
        expect(await tables()).not.toContain("t_c2");
      }
    });

    it("reports drift when an applied revision's SQL changes; --on-drift fail refuses", async () => {
      await fresh();
      await online.migrate(options(), quiet, "upgrade", "bbbb00000002", false);
      const file = join(dir, "aaaa00000001_make.sql");
      writeFileSync(file, readFileSync(file, "utf8").replace("t_a (id INT PRIMARY KEY)", "t_a (id INT PRIMARY KEY, x INT)"));
      const current = JSON.parse(await online.current(options(), quiet, true));
      expect(current).toMatchObject({ current: ["bbbb00000002"], drift: ["aaaa00000001"] });
      await expect(online.check(options(), quiet)).rejects.toThrow(/drift: aaaa00000001/);
      await expect(online.migrate(options({ onDrift: "fail" }), quiet, "upgrade", "head", false)).rejects.toThrow(/changed since they were applied/);
      expect(await versions()).toEqual(["bbbb00000002"]);
      // CRLF line endings are not a change.
      writeFileSync(file, readFileSync(file, "utf8").replace("t_a (id INT PRIMARY KEY, x INT)", "t_a (id INT PRIMARY KEY)").replace(/\n/g, "\r\n"));
      expect(JSON.parse(await online.current(options(), quiet, true)).drift).toEqual([]);
    });

    it("check passes only with nothing pending", async () => {
      await fresh();
      await expect(online.check(options(), quiet)).rejects.toThrow(/6 revision\(s\) pending/);
      await online.migrate(options(), quiet, "upgrade", "head", false);
      await expect(online.check(options(), quiet)).resolves.toMatch(/^OK/);
    });

    it("a version row no revision defines is a clear error", async () => {
      await fresh();
      await online.migrate(options(), quiet, "upgrade", "aaaa00000001", false);
      await queryOnce(url, "INSERT INTO alembic_version (version_num) VALUES ('deadbeef0000')");
      await expect(online.current(options(), quiet, false)).rejects.toThrow(/ahead of or diverged from .* holds 'deadbeef0000'/);
    });

    it("stamp moves the rows without running SQL, and records it", async () => {
      await fresh();
      await online.stamp(options(), quiet, ["cccc00000003"], false);
      expect(await versions()).toEqual(["cccc00000003"]);
      expect(await tables()).toEqual([]);
      await online.stamp(options(), quiet, ["cccc00000004"], false);
      expect(await versions()).toEqual(["cccc00000003", "cccc00000004"]);
      await online.stamp(options(), quiet, ["base"], true);
      expect(await versions()).toEqual([]);
      expect((await history()).map((r) => r.operation_type)).toEqual(["stamp", "stamp", "stamp"]);
    });

    it("extends an existing audit-alembic history table in place", async () => {
      await fresh();
      const mysql = backend.name === "mariadb";
      await queryOnce(url, [
        `CREATE TABLE alembic_version_history (id ${mysql ? "BIGINT NOT NULL AUTO_INCREMENT" : "BIGSERIAL NOT NULL"}, ` +
          "alembic_version VARCHAR(255), prev_alembic_version VARCHAR(255), operation_type VARCHAR(32) NOT NULL, " +
          `operation_direction VARCHAR(32) NOT NULL, user_version VARCHAR(255), changed_at ${mysql ? "DATETIME" : "TIMESTAMP WITHOUT TIME ZONE"}, PRIMARY KEY (id))`,
        "INSERT INTO alembic_version_history (alembic_version, prev_alembic_version, operation_type, operation_direction, user_version) " +
          "VALUES ('old1', '', 'migration', 'up', '{\"user\": \"r0my\"}')",
      ]);
      await online.migrate(options(), quiet, "upgrade", "aaaa00000001", false);
      const h = await history();
      expect(h).toHaveLength(2);
      expect(h[0]).toMatchObject({ alembic_version: "old1", user_version: '{"user": "r0my"}', revision: null });
      expect(h[1]).toMatchObject({ alembic_version: "aaaa00000001", revision: "aaaa00000001" });
      expect(await revisionIndexed()).toBe(true);
    });

    it("indexes the history by revision, so finding a revision's row never reads the whole table", async () => {
      await fresh();
      await online.migrate(options(), quiet, "upgrade", "aaaa00000001", false);
      expect(await revisionIndexed()).toBe(true);
    });

    if (backend.name !== "pglite") {
      it("waits for another deploy's lock, then names the holder", async () => {
        await fresh();
        const holder = await connect(url);
        const schema = await holder.currentSchema();
        expect(await holder.tryLock(`retort:${schema}.alembic_version`)).toBe(true);
        const started = Date.now();
        await expect(online.migrate(options({ lockTimeout: "1" }), quiet, "upgrade", "head", false)).rejects.toThrow(
          /Another deploy holds the migration lock on .* \(pid \d+.*waited 1 s/,
        );
        expect(Date.now() - started).toBeGreaterThanOrEqual(900);
        await holder.close();
        // Closing the holder's connection frees the lock.
        await online.migrate(options({ lockTimeout: "5" }), quiet, "upgrade", "head", false);
        expect(await versions()).toEqual(["eeee00000006"]);
      });
    }

    it("maps an error in a later statement to its own line, and rolls the revision back", async () => {
      await fresh([
        GRAPH[0]!,
        { id: "bbbb00000002", down: ["aaaa00000001"], upgrade: "CREATE TABLE t_b (id INT PRIMARY KEY);\nINSERT INTO t_b (id) VALUES (1);\nINSERT INTO t_b (id) VALUES (1);", downgrade: "DROP TABLE t_b;" },
      ]);
      const error = await online.migrate(options(), quiet, "upgrade", "head", false).then(() => null, (e: unknown) => e as RetortError);
      expect(error?.message).toMatch(/bbbb00000002_make\.sql:10(:\d+)? \(statement 3 of 3\)/);
      expect(await versions()).toEqual(["aaaa00000001"]);
      const failed = (await history()).filter((r) => r.revision === "bbbb00000002");
      expect(failed).toHaveLength(1);
      expect(truthy(failed[0]!.success)).toBe(false);
      expect(Number(failed[0]!.failed_statement)).toBe(3);
      if (backend.name !== "mariadb") expect(await tables()).toEqual(["t_a"]); // rolled back with its transaction
    });

    it("refuses a version change that matches no row (the revision changed the version table), leaving the rows as they were", async () => {
      await fresh([GRAPH[0]!, { id: "bbbb00000002", down: ["aaaa00000001"], upgrade: "CREATE TABLE t_b (id INT PRIMARY KEY);\nDELETE FROM alembic_version;", downgrade: "DROP TABLE t_b;" }]);
      const error = await online.migrate(options(), quiet, "upgrade", "head", false).then(() => null, (e: unknown) => e as RetortError);
      expect(error).toBeInstanceOf(RetortError);
      expect(error!.message).toContain("Online migration expected to match one row when updating 'aaaa00000001' to 'bbbb00000002' in 'alembic_version'; 0 found.");
      expect(error!.message).not.toContain("retort: ");
      const failed = (await history()).filter((r) => r.revision === "bbbb00000002");
      expect(failed.map((r) => truthy(r.success))).toEqual([false]);
      if (backend.name !== "mariadb") {
        // One transaction: the DELETE and the table went with the rollback.
        expect(await versions()).toEqual(["aaaa00000001"]);
        expect(await tables()).toEqual(["t_a"]);
      }
    });

    it("one-statement revisions sharing a round trip: a failure in the middle leaves the ones before it applied, each with its history row", async () => {
      const chain: Spec[] = ["a", "b", "c", "d", "e"].map((x, i, all) => ({
        id: `${x.repeat(4)}0000000${i + 1}`,
        down: i === 0 ? [] : [`${all[i - 1]!.repeat(4)}0000000${i}`],
        upgrade: x === "d" ? "INSERT INTO t_nowhere (id) VALUES (1);" : `CREATE TABLE t_${x} (id INT PRIMARY KEY);`,
        downgrade: `DROP TABLE t_${x};`,
      }));
      await fresh(chain);
      const error = await online.migrate(options(), quiet, "upgrade", "head", false).then(() => null, (e: unknown) => e as RetortError);
      expect(error?.message).toMatch(/upgrade dddd00000004 \(make dddd00000004\) failed at .*dddd00000004_make\.sql:8(:\d+)? \(statement 1 of 1\)/);
      expect(error?.message).toContain("stays at cccc00000003");
      expect(await versions()).toEqual(["cccc00000003"]);
      expect(await tables()).toEqual(["t_a", "t_b", "t_c"]);
      const h = await history();
      expect(h.map((r) => [r.revision, truthy(r.success)])).toEqual([
        ["aaaa00000001", true],
        ["bbbb00000002", true],
        ["cccc00000003", true],
        ["dddd00000004", false],
      ]);
      expect(Number(h[3]!.failed_statement)).toBe(1);
      // Fixed, the rest goes through.
      writeFileSync(join(dir, "dddd00000004_make.sql"), readFileSync(join(dir, "dddd00000004_make.sql"), "utf8").replace("INSERT INTO t_nowhere (id) VALUES (1);", "CREATE TABLE t_d (id INT PRIMARY KEY);"));
      await online.migrate(options(), quiet, "upgrade", "head", false);
      expect(await versions()).toEqual(["eeee00000005"]);
      expect(await tables()).toEqual(["t_a", "t_b", "t_c", "t_d", "t_e"]);
    });

    it("a version table whose name holds the server-side check's quote tag still upgrades and checks", async () => {
      await fresh(GRAPH.slice(0, 2));
      const table = "ver$retort$t";
      await online.migrate(options({ versionTable: table }), quiet, "upgrade", "head", false);
      const quoted = backend.name === "mariadb" ? `\`${table}\`` : `"${table}"`;
      expect((await sql<{ version_num: string }>(`SELECT version_num FROM ${quoted}`)).map((r) => r.version_num)).toEqual(["bbbb00000002"]);
      expect(await tables()).toEqual(["t_a", "t_b"]);
    });

    it("records how long each revision ran", async () => {
      const sleep = backend.name === "mariadb" ? "SELECT SLEEP(0.3);" : "SELECT pg_sleep(0.3);";
      await fresh([GRAPH[0]!, { id: "bbbb00000002", down: ["aaaa00000001"], upgrade: `CREATE TABLE t_b (id INT PRIMARY KEY);\n${sleep}`, downgrade: "DROP TABLE t_b;" }]);
      await online.migrate(options(), quiet, "upgrade", "head", false);
      const rows = await sql<{ revision: string; duration_ms: number }>("SELECT revision, duration_ms FROM alembic_version_history ORDER BY id");
      const slow = Number(rows.find((r) => r.revision === "bbbb00000002")!.duration_ms);
      expect(slow).toBeGreaterThanOrEqual(290);
      expect(slow).toBeLessThan(5000);
      expect(Number(rows.find((r) => r.revision === "aaaa00000001")!.duration_ms)).toBeLessThan(slow);
    });

    if (backend.name !== "mariadb") {
      it("--transaction all rolls the whole run back on failure", async () => {
        const broken = GRAPH.map((s) => (s.id === "eeee00000006" ? { ...s, upgrade: "CREATE TABLE t_d (id INT PRIMARY KEY);\nSELECT no_such_column FROM t_d;" } : s));
        await fresh(broken);
        await expect(online.migrate(options({ transaction: "all" }), quiet, "upgrade", "head", false)).rejects.toThrow(/whole run was rolled back/);
        expect(await versions()).toEqual([]);
        expect(await tables()).toEqual([]);
        const h = await history();
        expect(h).toHaveLength(1);
        expect(h[0]).toMatchObject({ revision: "eeee00000006", failed_statement: 2 });
      });

      it("--transaction all: the failure says where the rolled-back run leaves the database, not what a revision on its own would have", async () => {
        // A failure in a revision's third statement: nothing of it stays, nothing to undo by hand.
        const broken = GRAPH.map((s) => (s.id === "bbbb00000002" ? { ...s, upgrade: "CREATE TABLE t_b (id INT PRIMARY KEY);\nINSERT INTO t_b (id) VALUES (1);\nSELECT no_such_column FROM t_b;" } : s));
        await fresh(broken);
        const e = await online.migrate(options({ transaction: "all" }), quiet, "upgrade", "head", false).then(() => null, (x: unknown) => x as RetortError);
        expect(e?.message).toMatch(/\(statement 3 of 3\): column "no_such_column" does not exist\. The whole run was rolled back \(--transaction all\): the database stays at base\.$/);
        expect(await versions()).toEqual([]);
        expect(await tables()).toEqual([]);

        // After a transaction:false revision, which commits what came before it and runs outside.
        const outside = [GRAPH[0]!, { ...GRAPH[1]!, upgrade: "CREATE INDEX CONCURRENTLY t_a_id ON t_a (id);", downgrade: "DROP INDEX t_a_id;" }, { ...GRAPH[2]!, upgrade: "SELECT no_such_column FROM t_a;" }];
        await fresh(outside);
        const file = join(dir, "bbbb00000002_make.sql");
        writeFileSync(file, readFileSync(file, "utf8").replace("-- migrate:upgrade", "-- migrate:upgrade transaction:false"));
        const after = await online.migrate(options({ transaction: "all" }), quiet, "upgrade", "cccc00000003", false).then(() => null, (x: unknown) => x as RetortError);
        expect(after?.message).toContain(
          "The run was rolled back to its last commit, before the transaction:false revision (--transaction all): the database stays at aaaa00000001. " +
            "The statements of bbbb00000002 (transaction:false) ran outside the transaction and took effect; the version table does not show them",
        );
        expect(await versions()).toEqual(["aaaa00000001"]);
        expect(await sql("SELECT indexname FROM pg_indexes WHERE indexname = 't_a_id'")).toHaveLength(1);
      });

      it("maps an error in a revision's first statement to its file, line and column", async () => {
        await fresh([{ id: "aaaa00000001", down: [], upgrade: "SELECT nope_col FROM nowhere_table;", downgrade: "" }]);
        await expect(online.migrate(options(), quiet, "upgrade", "head", false)).rejects.toThrow(/aaaa00000001_make\.sql:8:\d+ \(statement 1 of 1\)/);
        let message = "";
        try {
          await online.migrate(options(), quiet, "upgrade", "head", false);
        } catch (e) {
          message = (e as Error).message;
        }
        // PostgreSQL points at the missing table: column 22 of "SELECT nope_col FROM nowhere_table".
        expect(message).toContain("aaaa00000001_make.sql:8:22");
        expect(await sql("SELECT 1 AS one")).toEqual([{ one: 1 }]); // the connection is usable again
      });

      it("runs transaction:false revisions outside a transaction (CREATE INDEX CONCURRENTLY) under the lock", async () => {
        const withIndex = [
          ...GRAPH.slice(0, 2),
          {
            id: "ffff00000007",
            down: ["bbbb00000002"],
            upgrade: "CREATE INDEX CONCURRENTLY t_b_id ON t_b (id);",
            downgrade: "DROP INDEX CONCURRENTLY t_b_id;",
          },
        ];
        await fresh(withIndex);
        const file = join(dir, "ffff00000007_make.sql");
        writeFileSync(file, readFileSync(file, "utf8").replace("-- migrate:upgrade", "-- migrate:upgrade transaction:false").replace("-- migrate:downgrade", "-- migrate:downgrade transaction:false"));
        await online.migrate(options(), quiet, "upgrade", "head", false);
        expect(await versions()).toEqual(["ffff00000007"]);
        expect(await sql("SELECT indexname FROM pg_indexes WHERE indexname = 't_b_id'")).toHaveLength(1);
        await online.migrate(options(), quiet, "downgrade", "bbbb00000002", false);
        expect(await sql("SELECT indexname FROM pg_indexes WHERE indexname = 't_b_id'")).toHaveLength(0);
      });
    }
  });
}
