// Two applications in one schema, each with its own --version-table, share the default history
// table. Everything retort reads back from it (drift, unfinished runs, durations, `log`,
// `resolve`) is the application's own: rows are keyed by version table; rows written before the
// key existed (and audit-alembic's) count for the application whose revisions they name.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import * as online from "../../src/commands/online.js";
import { DEFAULT_VERSION_TABLE } from "../../src/core/sql.js";
import { loadGraph } from "../../src/load/directory.js";
import { renderRevisionFile } from "../../src/load/native.js";
import { makeOptions, type Options } from "../../src/options.js";
import { StateStore, type HistoryRow } from "../../src/run/state.js";
import { BACKENDS, connect, describeBackend, queryOnce } from "../servers.js";

const quiet: online.Session = { log: { info: () => undefined, warn: () => undefined }, notice: () => undefined };
const FIRST = "base00000001";
const SECOND = "next00000002";

/** A killed run's started row, as the runner writes it before a revision that commits at once. */
function startedRow(revision: string, from: string): HistoryRow {
  return {
    alembicVersion: revision,
    prevAlembicVersion: from,
    operationType: "migration",
    operationDirection: "up",
    userVersion: null,
    changedAt: new Date(),
    revision,
    checksum: "v1:x",
    durationMs: 0,
    success: null,
    errorMessage: null,
    failedStatement: 1,
    actor: "killed",
    commitSha: null,
    runUrl: null,
    retortVersion: "9.9.9",
  };
}

for (const backend of BACKENDS) {
  describeBackend(backend, "applications sharing one history table", () => {
    const cleanup: (() => Promise<void> | void)[] = [];
    afterAll(async () => {
      for (const c of cleanup.reverse()) await c();
    });

    /** Applications `names` on one fresh database: the same revision ids, different SQL. */
    async function apps(...names: string[]): Promise<{ url: string; options: (app: string) => Options; dir: (app: string) => string }> {
      const db = await backend.create();
      cleanup.push(db.drop);
      const root = mkdtempSync(join(tmpdir(), "retort-apps-"));
      cleanup.push(() => rmSync(root, { recursive: true, force: true }));
      for (const app of names) {
        mkdirSync(join(root, app));
        [FIRST, SECOND].forEach((id, i) =>
          writeFileSync(
            join(root, app, `${id}_r.sql`),
            renderRevisionFile({ id, message: `${app} ${i + 1}`, downRevisions: i === 0 ? [] : [FIRST], createDate: "d", upgrade: `CREATE TABLE ${app}_${i + 1} (id INT);`, downgrade: `DROP TABLE ${app}_${i + 1};` }),
          ),
        );
      }
      return {
        url: db.url,
        dir: (app) => join(root, app),
        options: (app) => makeOptions({ migrations: join(root, app), databaseUrl: db.url, versionTable: `${app}_version`, lockTimeout: "5", identity: { actor: app, commitSha: null, runUrl: null, retortVersion: "9.9.9" } }),
      };
    }

    /** Writes a started row for `app`'s revision, as a run killed inside it leaves. */
    async function killedInside(url: string, app: string | null, dir: string, revision: string, from: string): Promise<void> {
      const d = await connect(url);
      try {
        const store = new StateStore(d, app ? { table: `${app}_version`, schema: null } : DEFAULT_VERSION_TABLE, undefined, loadGraph(dir));
        await store.ensureTables([revision]);
        await store.appendHistory(startedRow(revision, from));
      } finally {
        await d.close();
      }
    }

    it("no false drift, and each application's log shows its own rows", async () => {
      const { options } = await apps("alpha", "beta");
      await online.migrate(options("alpha"), quiet, "upgrade", "head", false);
      await online.migrate(options("beta"), quiet, "upgrade", "head", false);
      for (const app of ["alpha", "beta"]) {
        expect(JSON.parse(await online.current(options(app), quiet, true))).toMatchObject({ current: [SECOND], drift: [] });
        await expect(online.check(options(app), quiet)).resolves.toMatch(/^OK/);
        const log = JSON.parse(await online.log(options(app), quiet, 50, true)) as { history: { actor: string; revision: string }[] };
        expect(log.history.map((h) => [h.actor, h.revision])).toEqual([
          [app, FIRST],
          [app, SECOND],
        ]);
      }
      // A re-run writes nothing and reads the durations of its own rows.
      await online.migrate(options("alpha"), quiet, "downgrade", FIRST, false);
      await online.migrate(options("alpha"), quiet, "upgrade", "head", false);
      expect(JSON.parse(await online.current(options("beta"), quiet, true)).drift).toEqual([]);
    });

    it("one application's unfinished revision blocks only that application, and resolve closes only its row", async () => {
      const { url, options, dir } = await apps("alpha", "beta");
      await online.migrate(options("alpha"), quiet, "upgrade", FIRST, false);
      await online.migrate(options("beta"), quiet, "upgrade", FIRST, false);
      await killedInside(url, "alpha", dir("alpha"), SECOND, FIRST);
      await expect(online.current(options("alpha"), quiet, false)).rejects.toThrow(`Revision ${SECOND}`);
      expect(JSON.parse(await online.current(options("beta"), quiet, true))).toMatchObject({ current: [FIRST] });

      await killedInside(url, "beta", dir("beta"), SECOND, FIRST);
      await expect(online.current(options("beta"), quiet, false)).rejects.toThrow("never finished");
      expect(await online.resolve(options("beta"), quiet, SECOND, false)).toContain(`${SECOND}: recorded as rolled back`);
      await expect(online.current(options("alpha"), quiet, false)).rejects.toThrow("never finished");
      await online.migrate(options("beta"), quiet, "upgrade", "head", false);
      expect(JSON.parse(await online.current(options("beta"), quiet, true))).toMatchObject({ current: [SECOND], drift: [] });

      const rows = await queryOnce(url, `SELECT version_table, revision, success, error_message FROM alembic_version_history WHERE revision = '${SECOND}' ORDER BY id`);
      const truthy = (v: unknown) => (v === null ? null : v === true || Number(v) === 1);
      expect(rows.map((r) => [r.version_table, truthy(r.success)])).toEqual([
        ["alpha_version", null],
        ["beta_version", false],
        ["beta_version", true],
      ]);
      expect(String(rows[1]!.error_message)).toMatch(/resolved by beta: rolled back/);
      // resolve in the other application finds its own row.
      expect(await online.resolve(options("alpha"), quiet, SECOND, false)).toContain("recorded as rolled back");
    });

    if (backend.name !== "pglite") {
      it("applications deploying at once, each for the first time, all get the history table one of them creates", async () => {
        // Their locks are their version tables': nothing orders their first statements.
        const names = ["alpha", "beta", "gamma", "delta"];
        const mysql = backend.name === "mariadb";
        for (let round = 0; round < 6; round++) {
          const { url, options } = await apps(...names);
          if (round % 2 === 1) {
            // audit-alembic's table: every run adds retort's columns to it, at once.
            await queryOnce(
              url,
              `CREATE TABLE alembic_version_history (id ${mysql ? "BIGINT NOT NULL AUTO_INCREMENT" : "BIGSERIAL NOT NULL"}, alembic_version VARCHAR(255), ` +
                `prev_alembic_version VARCHAR(255), operation_type VARCHAR(32) NOT NULL, operation_direction VARCHAR(32) NOT NULL, user_version VARCHAR(255), changed_at ${mysql ? "DATETIME(6)" : "TIMESTAMP"}, PRIMARY KEY (id))`,
            );
          }
          const results = await Promise.all(names.map((app) => online.migrate(options(app), quiet, "upgrade", "head", false).then(() => "ok", (e: unknown) => (e as Error).message)));
          expect(results, `round ${round}`).toEqual(names.map(() => "ok"));
          const rows = await queryOnce(url, "SELECT version_table, revision, success FROM alembic_version_history ORDER BY version_table, id");
          expect(rows.map((r) => [r.version_table, r.revision, r.success === true || Number(r.success) === 1])).toEqual(
            names.toSorted().flatMap((app) => [FIRST, SECOND].map((id) => [`${app}_version`, id, true])),
          );
        }
      });
    }

    it("rows written before the history kept version tables belong to the application whose revisions they name", async () => {
      const { url, options, dir } = await apps("alpha");
      mkdirSync(join(dir("alpha"), "..", "gamma"));
      writeFileSync(
        join(dir("alpha"), "..", "gamma", "only00000009_r.sql"),
        renderRevisionFile({ id: "only00000009", message: "gamma 1", downRevisions: [], createDate: "d", upgrade: "CREATE TABLE gamma_1 (id INT);", downgrade: "" }),
      );
      const gamma = makeOptions({ migrations: join(dir("alpha"), "..", "gamma"), databaseUrl: url, lockTimeout: "5" });
      // An older retort's table (no version_table column) with an unfinished run of gamma's
      // (the default version table) and an old row of alpha's with another checksum.
      const mysql = backend.name === "mariadb";
      await queryOnce(url, [
        `CREATE TABLE alembic_version_history (id ${mysql ? "BIGINT NOT NULL AUTO_INCREMENT" : "BIGSERIAL NOT NULL"}, alembic_version VARCHAR(255), ` +
          "prev_alembic_version VARCHAR(255), operation_type VARCHAR(32) NOT NULL, operation_direction VARCHAR(32) NOT NULL, user_version VARCHAR(255), " +
          `changed_at ${mysql ? "DATETIME(6)" : "TIMESTAMP"}, revision VARCHAR(32), checksum VARCHAR(80), duration_ms INTEGER, success BOOLEAN, ` +
          "error_message TEXT, failed_statement INTEGER, actor VARCHAR(255), PRIMARY KEY (id))",
        "INSERT INTO alembic_version_history (alembic_version, prev_alembic_version, operation_type, operation_direction, revision, success, actor, failed_statement) " +
          "VALUES ('only00000009', '', 'migration', 'up', 'only00000009', NULL, 'old', 1)",
        // audit-alembic's own row (no revision column value) naming gamma's revision.
        "INSERT INTO alembic_version_history (alembic_version, prev_alembic_version, operation_type, operation_direction) VALUES ('only00000009', '', 'migration', 'up')",
      ]);
      // alpha is not held up by gamma's old unfinished row, and writes keyed rows from now on.
      await online.migrate(options("alpha"), quiet, "upgrade", "head", false);
      expect(JSON.parse(await online.current(options("alpha"), quiet, true))).toMatchObject({ current: [SECOND], drift: [] });
      const alphaLog = JSON.parse(await online.log(options("alpha"), quiet, 50, true)) as { history: { to: string }[] };
      expect(alphaLog.history.map((h) => h.to)).toEqual([FIRST, SECOND]);
      // gamma (the default version table) is.
      await expect(online.current(gamma, quiet, false)).rejects.toThrow(/Revision only00000009 .* never finished/);
      const gammaLog = JSON.parse(await online.log(gamma, quiet, 50, true)) as { history: { to: string; actor: string | null }[] };
      expect(gammaLog.history.map((h) => [h.to, h.actor])).toEqual([
        ["only00000009", "old"],
        ["only00000009", null],
      ]);
    });
  });
}
