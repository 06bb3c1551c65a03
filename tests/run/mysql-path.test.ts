// MySQL 8 has no anonymous blocks (MariaDB's BEGIN NOT ATOMIC), so there retort cannot check
// the version change on the server and runs each revision step by step instead. No MySQL 8
// server runs here: this drives MariaDB through that path by turning the capability off.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { renderRevisionFile } from "../../src/load/native.js";
import { BACKENDS, describeBackend, queryOnce } from "../servers.js";
import { upgradeToHeads } from "./upgrade-kit.js";

const mariadb = BACKENDS.find((b) => b.name === "mariadb")!;

describeBackend(mariadb, "the step-by-step path (servers without anonymous blocks)", () => {
  let dir: string;
  let db: { url: string; drop: () => Promise<void> };
  const write = (id: string, down: string[], upgrade: string) =>
    writeFileSync(join(dir, `${id}_r.sql`), renderRevisionFile({ id, message: `r ${id}`, downRevisions: down, createDate: "d", upgrade, downgrade: "SELECT 1;" }));

  const upgrade = () => upgradeToHeads(db.url, dir, { stepByStep: true });
  const q = (sql: string) => queryOnce(db.url, sql);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "retort-mysql-path-"));
    db = await mariadb.create();
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("applies revisions with their version rows and finished history rows, and reports a failing statement", async () => {
    expect(mariadb.unreachable).toBeNull();
    write("aaaa00000001", [], "CREATE TABLE t_a (id INT PRIMARY KEY);");
    write("bbbb00000002", ["aaaa00000001"], "CREATE TABLE t_b (id INT PRIMARY KEY);\nINSERT INTO t_b VALUES (1);");
    const outcomes = await upgrade();
    expect(outcomes.map((o) => o.step.revision.id)).toEqual(["aaaa00000001", "bbbb00000002"]);
    expect((await q("SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual(["bbbb00000002"]);
    expect((await q("SELECT revision, success, failed_statement FROM alembic_version_history ORDER BY id")).map((r) => [r.revision, Number(r.success), r.failed_statement])).toEqual([
      ["aaaa00000001", 1, null],
      ["bbbb00000002", 1, null],
    ]);

    write("cccc00000003", ["bbbb00000002"], "CREATE TABLE t_c (id INT PRIMARY KEY);\nINSERT INTO t_nowhere VALUES (1);");
    await expect(upgrade()).rejects.toThrow(/cccc00000003_r\.sql:9 \(statement 2 of 2\).*Statements 1 to 1 of this revision already took effect/);
    expect((await q("SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual(["bbbb00000002"]);
    const failed = await q("SELECT success, failed_statement FROM alembic_version_history WHERE revision = 'cccc00000003'");
    expect(failed.map((r) => [Number(r.success), Number(r.failed_statement)])).toEqual([[0, 2]]);
  });

  it("a revision's temporary tables named like retort's, its table locks and insert_id leave the history and version rows where they belong", async () => {
    write("cccc00000003", ["bbbb00000002"], "CREATE TEMPORARY TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);");
    write("dddd00000004", ["cccc00000003"], "CREATE TEMPORARY TABLE alembic_version_history (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, revision VARCHAR(32), success BOOLEAN, failed_statement INT);\nSET insert_id = 1;");
    write("eeee00000005", ["dddd00000004"], "CREATE TABLE t_e (v INT);\nLOCK TABLES t_e WRITE;\nINSERT INTO t_e VALUES (1);\nINSERT INTO t_e VALUES (2);");
    const before = (await q("SELECT COUNT(*) AS n FROM alembic_version_history"))[0]!.n;
    await upgrade();
    expect((await q("SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual(["eeee00000005"]);
    const rows = await q(`SELECT revision, success, failed_statement FROM alembic_version_history ORDER BY id LIMIT 100 OFFSET ${Number(before)}`);
    expect(rows.map((r) => [r.revision, Number(r.success), r.failed_statement])).toEqual([
      ["cccc00000003", 1, null],
      ["dddd00000004", 1, null],
      ["eeee00000005", 1, null],
    ]);
    expect((await q("SELECT v FROM t_e ORDER BY v")).map((r) => r.v)).toEqual([1, 2]);
  });
});
