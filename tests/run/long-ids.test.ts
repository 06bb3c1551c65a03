// Word ids longer than Alembic's version_num (VARCHAR(32)), such as
// `merge_ce91d3657d20_add_user_dashboards`, load and plan like any other. Applying them needs a
// version table with a wider column, as with Alembic: on a fresh database retort says so, with
// the statement to run, before it changes anything; with the wider table they apply and their
// history rows keep the whole id.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as online from "../../src/commands/online.js";
import { RetortError } from "../../src/core/errors.js";
import { renderRevisionFile } from "../../src/load/native.js";
import { makeOptions } from "../../src/options.js";
import { BACKENDS, describeBackend, queryOnce } from "../servers.js";

const quiet: online.Session = { log: { info: () => undefined, warn: () => undefined }, notice: () => undefined };
const BASE = "ce91d3657d20";
const LONG = "merge_ce91d3657d20_add_user_dashboards";

for (const backend of BACKENDS) {
  describeBackend(backend, "revision ids longer than Alembic's version_num", () => {
    let dir: string;
    let url: string;
    let drop: () => Promise<void>;
    const mysql = backend.name === "mariadb";
    const tables = async () =>
      (
        await queryOnce(url, `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ${mysql ? "DATABASE()" : "current_schema()"}`)
      ).map((r) => String(r.t));

    beforeAll(async () => {
      ({ url, drop } = await backend.create());
      dir = mkdtempSync(join(tmpdir(), "retort-long-ids-"));
      const file = (id: string, down: string[], upgrade: string) =>
        writeFileSync(join(dir, `${id}_r.sql`), renderRevisionFile({ id, message: `r ${id}`, downRevisions: down, createDate: "d", upgrade, downgrade: "SELECT 1;" }));
      file(BASE, [], "CREATE TABLE t_base (id INT);");
      file(LONG, [BASE], "CREATE TABLE t_dash (id INT);");
    });
    afterAll(async () => {
      await drop();
      rmSync(dir, { recursive: true, force: true });
    });
    const options = () => makeOptions({ migrations: dir, databaseUrl: url, lockTimeout: "5" });

    it("plan shows them; upgrade on a fresh database refuses before changing anything, naming the fix", async () => {
      const plan = await online.plan(options(), quiet, "head", "json");
      expect((JSON.parse(plan) as { pending: { revision: string }[] }).pending.map((p) => p.revision)).toEqual([BASE, LONG]);
      const error = await online.migrate(options(), quiet, "upgrade", "head", false).then(
        () => null,
        (e: unknown) => e as RetortError,
      );
      expect(error).toBeInstanceOf(RetortError);
      expect(error!.code).toBe("bookkeeping");
      expect(error!.message).toMatch(new RegExp(`^Revision id '${LONG}' is 38 characters long, and the version table retort creates, like Alembic's, holds 32: create \\S+alembic_version yourself with a wider version_num, e\\.g\\. CREATE TABLE .*VARCHAR\\(64\\).*; nothing was changed\\.$`));
      expect(await tables()).toEqual([]);
    });

    it("with a wider version table they apply, and the history keeps the whole id", async () => {
      const create = "CREATE TABLE alembic_version (version_num VARCHAR(64) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))";
      await queryOnce(url, create);
      await online.migrate(options(), quiet, "upgrade", "head", false);
      expect((await queryOnce(url, "SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual([LONG]);
      const history = await queryOnce(url, "SELECT revision, success FROM alembic_version_history ORDER BY id");
      expect(history.map((r) => [String(r.revision), Boolean(Number(r.success) || r.success === true)])).toEqual([
        [BASE, true],
        [LONG, true],
      ]);
      expect(await online.current(options(), quiet, false)).toContain(LONG);
    });
  });
}
