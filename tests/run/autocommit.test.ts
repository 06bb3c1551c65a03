// A revision on MySQL/MariaDB that turns autocommit off and then fails: retort records how far
// it got before each statement (the run may die half-way), and that record commits what came
// before, so the failure's message must say exactly that: the statements before the failing one
// took effect, and their rows are there. Both paths: MariaDB's (anonymous blocks) and MySQL's
// (step by step), which retort takes on MariaDB with the capability turned off.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { renderRevisionFile } from "../../src/load/native.js";
import { BACKENDS, describeBackend, queryOnce } from "../servers.js";
import { upgradeToHeads } from "./upgrade-kit.js";

const mariadb = BACKENDS.find((b) => b.name === "mariadb")!;

describeBackend(mariadb, "a failing revision that turned autocommit off", () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  for (const path of ["anonymous blocks", "step by step"] as const) {
    it(`${path}: what the failure says took effect is what the database holds`, async () => {
      const db = await mariadb.create();
      cleanup.push(db.drop);
      const dir = mkdtempSync(join(tmpdir(), "retort-autocommit-"));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      const write = (id: string, down: string[], upgrade: string) =>
        writeFileSync(join(dir, `${id}_r.sql`), renderRevisionFile({ id, message: `r ${id}`, downRevisions: down, createDate: "d", upgrade, downgrade: "SELECT 1;" }));
      write("aaaa00000001", [], "CREATE TABLE t (id INT) ENGINE=InnoDB;");
      write("bbbb00000002", ["aaaa00000001"], "SET autocommit = 0;\nINSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2);\nSELECT no_such_column FROM t;");

      const error = await upgradeToHeads(db.url, dir, { stepByStep: path === "step by step" }).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(
        /^upgrade bbbb00000002 \(r bbbb00000002\) failed at \S+bbbb00000002_r\.sql:11 \(statement 4 of 4\): Unknown column 'no_such_column'.*\. Statements 1 to 3 of this revision already took effect/,
      );
      expect(await queryOnce(db.url, "SELECT COUNT(*) AS n FROM t")).toEqual([{ n: 2 }]);
      expect((await queryOnce(db.url, "SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual(["aaaa00000001"]);
      const rows = await queryOnce(db.url, "SELECT revision, success, failed_statement FROM alembic_version_history ORDER BY id");
      expect(rows.map((r) => [r.revision, Number(r.success), r.failed_statement])).toEqual([
        ["aaaa00000001", 1, null],
        ["bbbb00000002", 0, 4],
      ]);
    });
  }
});
