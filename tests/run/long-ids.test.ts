// Word ids longer than Alembic's version_num (VARCHAR(32)), such as
// `merge_ce91d3657d20_add_user_dashboards`, load and plan like any other. Applying them needs a
// version table with a wider column, as with Alembic. Before anything runs, a plan warns (naming
// the id, its length, the column's width and the statement that makes room), and `upgrade`
// refuses: on a fresh database, against Alembic's 32-character table, and on the path where
// Alembic runs the revisions (which would find out only after a revision's DDL). Offline, the
// SQL is for Alembic's default table: `upgrade --sql` and offline plans warn. With the wider
// table they apply and their history rows keep the whole id.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { offlineSqlResult, offlineUpgradeResult } from "../../src/commands/offline.js";
import * as online from "../../src/commands/online.js";
import { RetortError } from "../../src/core/errors.js";
import { loadGraph } from "../../src/load/directory.js";
import { renderRevisionFile } from "../../src/load/native.js";
import { makeOptions } from "../../src/options.js";
import { renderComment } from "../../src/report/comment.js";
import { BACKENDS, describeBackend, queryOnce } from "../servers.js";

const quiet: online.Session = { log: { info: () => undefined, warn: () => undefined }, notice: () => undefined };
const BASE = "ce91d3657d20";
const LONG = "merge_ce91d3657d20_add_user_dashboards";
const ALEMBIC_PROJECT = "tests/fixtures/alembic-show-long-ids";
const ALEMBIC_LONG = "0002_add_reading_lists_to_the_library_catalogue";
const FRAME = { environment: "", commitSha: null, retortVersion: "0.0.0-test", detailsHint: "the job summary" };

/** The error `run` fails with (null when it does not). */
const failure = (run: Promise<unknown>) =>
  run.then(
    () => null,
    (e: unknown) => e as RetortError,
  );

/** The statement a refusal names after "e.g. ". */
const fixOf = (error: RetortError) => /e\.g\. (.*); nothing was changed\.$/.exec(error.message)![1]!;

function nativeProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "retort-long-ids-"));
  const file = (id: string, down: string[], upgrade: string) =>
    writeFileSync(join(dir, `${id}_r.sql`), renderRevisionFile({ id, message: `r ${id}`, downRevisions: down, createDate: "d", upgrade, downgrade: "SELECT 1;" }));
  file(BASE, [], "CREATE TABLE t_base (id INT);");
  file(LONG, [BASE], "CREATE TABLE t_dash (id INT);");
  return dir;
}

for (const backend of BACKENDS) {
  describeBackend(backend, "revision ids longer than Alembic's version_num", () => {
    let dir: string;
    let url: string;
    let drop: () => Promise<void>;
    const mysql = backend.name === "mariadb";
    const tables = async () =>
      (
        await queryOnce(url, `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ${mysql ? "DATABASE()" : "current_schema()"}`)
      )
        .map((r) => String(r.t))
        .sort();
    const versions = async () => (await queryOnce(url, "SELECT version_num FROM alembic_version")).map((r) => String(r.version_num));

    beforeAll(async () => {
      ({ url, drop } = await backend.create());
      dir = nativeProject();
    });
    afterAll(async () => {
      await drop();
      rmSync(dir, { recursive: true, force: true });
    });
    const options = () => makeOptions({ migrations: dir, databaseUrl: url, lockTimeout: "5" });

    it("on a fresh database the plan warns, with the CREATE TABLE; upgrade refuses before changing anything", async () => {
      const warned: string[] = [];
      const plan = await online.plan(options(), { ...quiet, log: { ...quiet.log, warn: (w) => warned.push(w) } }, "head", "json");
      expect((JSON.parse(plan) as { pending: { revision: string }[] }).pending.map((p) => p.revision)).toEqual([BASE, LONG]);
      expect(warned).toEqual([expect.stringMatching(new RegExp(`^Revision id '${LONG}' is 38 characters long, and the version table retort creates`))]);
      const text = await online.plan(options(), quiet, "head", "text");
      expect(text).toMatch(
        new RegExp(`^Warning:  Revision id '${LONG}' is 38 characters long, and the version table retort creates, like Alembic's, holds 32: upgrade will refuse before running anything\\. Create '\\S*alembic_version\\S*' first with a wider version_num: 'CREATE TABLE .*VARCHAR\\(64\\).*'\\.$`, "m"),
      );
      const error = await failure(online.migrate(options(), quiet, "upgrade", "head", false));
      expect(error).toBeInstanceOf(RetortError);
      expect(error!.code).toBe("bookkeeping");
      expect(error!.message).toMatch(new RegExp(`^Revision id '${LONG}' is 38 characters long, and the version table retort creates, like Alembic's, holds 32: create \\S+alembic_version yourself with a wider version_num, e\\.g\\. CREATE TABLE .*VARCHAR\\(64\\).*; nothing was changed\\.$`));
      expect(await tables()).toEqual([]);
      // The statement it names is one the server takes (then gone again, for the next test).
      await queryOnce(url, fixOf(error!));
      expect((await queryOnce(url, `SELECT character_maximum_length AS n FROM information_schema.columns WHERE table_name = 'alembic_version' AND table_schema = ${mysql ? "DATABASE()" : "current_schema()"}`)).map((r) => Number(r.n))).toEqual([64]);
      await queryOnce(url, "DROP TABLE alembic_version");
    });

    it("against Alembic's 32-character table the plan and the comment warn with the ALTER; upgrade refuses before the first revision; the ALTER makes room", async () => {
      await online.migrate(options(), quiet, "upgrade", BASE, false); // retort's table is Alembic's: VARCHAR(32)
      const { result } = await online.migrateResult(options(), quiet, "upgrade", "head", true);
      const warning = result.warnings.find((w) => w.kind === "long-ids");
      expect(warning).toMatchObject({ longIds: { ids: [LONG], chars: 32, source: "table" } });
      const alter = mysql ? /ALTER TABLE \S*alembic_version\S* MODIFY version_num VARCHAR\(64\) NOT NULL/ : /ALTER TABLE \S*alembic_version\S* ALTER COLUMN version_num TYPE VARCHAR\(64\)/;
      const comment = renderComment(result, FRAME);
      expect(comment).toMatch(new RegExp(`Revision id \`${LONG}\` is 38 characters long, but \`\\S*alembic_version\\S*.version_num\` holds 32: upgrade will refuse before running anything\\. Widen the column first: \`${alter.source}\``));
      expect(await online.plan(options(), quiet, "head", "text")).toMatch(alter);

      const error = await failure(online.migrate(options(), quiet, "upgrade", "head", false));
      expect(error?.message).toMatch(new RegExp(`^Revision id '${LONG}' is 38 characters long, longer than \\S+alembic_version\\.version_num holds \\(32 characters\\): widen the column first, e\\.g\\. ${alter.source}; nothing was changed\\.$`));
      expect(await tables()).not.toContain("t_dash");
      expect(await versions()).toEqual([BASE]);

      await queryOnce(url, fixOf(error!));
      expect(await online.plan(options(), quiet, "head", "text")).not.toMatch(/Warning:/);
      await online.migrate(options(), quiet, "upgrade", "head", false);
      expect(await versions()).toEqual([LONG]);
      const history = await queryOnce(url, "SELECT revision, success FROM alembic_version_history ORDER BY id");
      expect(history.map((r) => [String(r.revision), Boolean(Number(r.success) || r.success === true)])).toEqual([
        [BASE, true],
        [LONG, true],
      ]);
      expect(await online.current(options(), quiet, false)).toContain(LONG);
    });
  });
}

for (const backend of BACKENDS.filter((b) => b.name !== "pglite")) {
  describeBackend(backend, "long revision ids run by Alembic", () => {
    let url: string;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      process.env.PYTHONDONTWRITEBYTECODE = "1";
      ({ url, drop } = await backend.create());
    });
    afterAll(async () => drop());
    const options = () => makeOptions({ migrations: ALEMBIC_PROJECT, databaseUrl: url, lockTimeout: "5", alembicCommand: "/usr/bin/python3 -m alembic" });
    const exists = async (table: string) =>
      (await queryOnce(url, `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = '${table}' AND table_schema = ${backend.name === "mariadb" ? "DATABASE()" : "current_schema()"}`)).map((r) => Number(r.n))[0] === 1;

    it("upgrade refuses before Alembic runs anything, on a fresh database and against a 32-character table", async () => {
      const fresh = await failure(online.migrate(options(), quiet, "upgrade", "head", false));
      expect(fresh?.message).toMatch(new RegExp(`^Revision id '${ALEMBIC_LONG}' is 47 characters long, and the version table retort creates, like Alembic's, holds 32: .*VARCHAR\\(64\\)`));
      expect(await exists("catalogue")).toBe(false);
      expect(await exists("alembic_version")).toBe(false);

      await online.migrate(options(), quiet, "upgrade", "0001", false); // Alembic creates its VARCHAR(32) table
      const narrow = await failure(online.migrate(options(), quiet, "upgrade", "head", false));
      expect(narrow?.message).toMatch(new RegExp(`^Revision id '${ALEMBIC_LONG}' is 47 characters long, longer than \\S+\\.version_num holds \\(32 characters\\): widen the column first, e\\.g\\. ALTER TABLE`));
      expect(await exists("reading_list")).toBe(false); // MariaDB would have kept Alembic's DDL

      await queryOnce(url, fixOf(narrow!));
      await online.migrate(options(), quiet, "upgrade", "head", false);
      expect((await queryOnce(url, "SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual([ALEMBIC_LONG]);
      expect(await exists("reading_list")).toBe(true);
    });
  });
}

describe("offline, where the version table is Alembic's default one", () => {
  let dir: string;
  beforeAll(() => {
    dir = nativeProject();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("upgrade --sql warns that the id does not fit the VARCHAR(32) it creates, and still prints Alembic's SQL", async () => {
    const options = makeOptions({ migrations: dir });
    const warnings: string[] = [];
    const { sql } = await offlineSqlResult(loadGraph(dir), options, "upgrade", "head", (w) => warnings.push(w));
    expect(sql).toContain("version_num VARCHAR(32) NOT NULL");
    expect(warnings).toEqual([
      `Revision id '${LONG}' is 38 characters long, and this SQL creates Alembic's version table with VARCHAR(32), where it cannot be written: ` +
        `create 'alembic_version' with a wider version_num instead: 'CREATE TABLE alembic_version (version_num VARCHAR(64) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))'.`,
    ]);
    const fromBase = [] as string[];
    await offlineSqlResult(loadGraph(dir), options, "upgrade", `${BASE}:head`, (w) => fromBase.push(w));
    expect(fromBase).toEqual([
      `Revision id '${LONG}' is 38 characters long; Alembic's default version table holds VARCHAR(32) (planned offline: the database's is not known). ` +
        `If the database's is that narrow, widen it first: 'ALTER TABLE alembic_version ALTER COLUMN version_num TYPE VARCHAR(64)'.`,
    ]);
    const none = [] as string[];
    await offlineSqlResult(loadGraph(dir), options, "upgrade", BASE, (w) => none.push(w));
    expect(none).toEqual([]);
  });

  it("an offline plan (a fork's pull request) carries the warning into the comment", async () => {
    const result = await offlineUpgradeResult(makeOptions({ migrations: dir }), { start: { from: [BASE], source: "the from input" }, target: "head" }, () => undefined);
    expect(result.warnings.filter((w) => w.kind === "long-ids")).toHaveLength(1);
    expect(renderComment(result, FRAME)).toContain(`Revision id \`${LONG}\` is 38 characters long; Alembic's default version table holds VARCHAR(32)`);
  });
});
