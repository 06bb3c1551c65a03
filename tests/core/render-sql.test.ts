import { describe, expect, it } from "vitest";
import { planDowngrade, planUpgrade } from "../../src/core/plan.js";
import { renderPlanSql } from "../../src/core/render-sql.js";
import { graphOf, rev } from "../helpers.js";

// The spec's section 6 example: account table, then a column.
const g = graphOf(
  rev("1975ea83b712", null, {
    upgrade: "\nCREATE TABLE account (\n    id SERIAL NOT NULL, \n    name VARCHAR(50) NOT NULL, \n    PRIMARY KEY (id)\n);\n",
    downgrade: "DROP TABLE account;",
  }),
  rev("ae1027a6acf", "1975ea83b712", {
    upgrade: "ALTER TABLE account ADD COLUMN last_transaction_date TIMESTAMP WITHOUT TIME ZONE;",
    downgrade: "ALTER TABLE account DROP COLUMN last_transaction_date;",
  }),
);

describe("offline SQL in Alembic's layout", () => {
  it("reproduces the spec's PostgreSQL example byte for byte", () => {
    expect(renderPlanSql(planUpgrade(g, [], "head"), { dialect: "postgresql" })).toBe(
      `BEGIN;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> 1975ea83b712

CREATE TABLE account (
    id SERIAL NOT NULL, 
    name VARCHAR(50) NOT NULL, 
    PRIMARY KEY (id)
);

INSERT INTO alembic_version (version_num) VALUES ('1975ea83b712') RETURNING alembic_version.version_num;

-- Running upgrade 1975ea83b712 -> ae1027a6acf

ALTER TABLE account ADD COLUMN last_transaction_date TIMESTAMP WITHOUT TIME ZONE;

UPDATE alembic_version SET version_num='ae1027a6acf' WHERE alembic_version.version_num = '1975ea83b712';

COMMIT;

`,
    );
  });

  it("MySQL: no BEGIN/COMMIT and no RETURNING", () => {
    const sql = renderPlanSql(planUpgrade(g, [], "head"), { dialect: "mysql" });
    expect(sql.startsWith("CREATE TABLE alembic_version (\n")).toBe(true);
    expect(sql).not.toMatch(/BEGIN|COMMIT|RETURNING/);
    expect(sql).toContain("INSERT INTO alembic_version (version_num) VALUES ('1975ea83b712');\n\n");
  });

  it("creates the version table only when starting from no heads", () => {
    const sql = renderPlanSql(planUpgrade(g, ["1975ea83b712"], "head"), { dialect: "postgresql" });
    expect(sql).not.toContain("CREATE TABLE alembic_version");
    expect(sql).toBe(
      "BEGIN;\n\n-- Running upgrade 1975ea83b712 -> ae1027a6acf\n\n" +
        "ALTER TABLE account ADD COLUMN last_transaction_date TIMESTAMP WITHOUT TIME ZONE;\n\n" +
        "UPDATE alembic_version SET version_num='ae1027a6acf' WHERE alembic_version.version_num = '1975ea83b712';\n\n" +
        "COMMIT;\n\n",
    );
  });

  it("downgrade lines leave a trailing space at base and never drop the version table", () => {
    const sql = renderPlanSql(planDowngrade(g, ["ae1027a6acf"], "base"), { dialect: "postgresql" });
    expect(sql).toBe(
      "BEGIN;\n\n-- Running downgrade ae1027a6acf -> 1975ea83b712\n\n" +
        "ALTER TABLE account DROP COLUMN last_transaction_date;\n\n" +
        "UPDATE alembic_version SET version_num='1975ea83b712' WHERE alembic_version.version_num = 'ae1027a6acf';\n\n" +
        "-- Running downgrade 1975ea83b712 -> \n\n" +
        "DROP TABLE account;\n\n" +
        "DELETE FROM alembic_version WHERE alembic_version.version_num = '1975ea83b712';\n\n" +
        "COMMIT;\n\n",
    );
  });

  it("one transaction per revision on request", () => {
    const sql = renderPlanSql(planUpgrade(g, [], "head"), { dialect: "postgresql", transactionPerRevision: true });
    expect(sql.match(/^BEGIN;$/gm)).toHaveLength(2);
    expect(sql.match(/^COMMIT;$/gm)).toHaveLength(2);
    expect(sql.indexOf("CREATE TABLE alembic_version")).toBeGreaterThan(sql.indexOf("BEGIN;"));
    expect(sql.indexOf("CREATE TABLE alembic_version")).toBeLessThan(sql.indexOf("COMMIT;"));
  });

  it("runs transaction:false revisions outside the transaction, like autocommit_block", () => {
    const g2 = graphOf(
      rev("a1", null, { upgrade: "CREATE TABLE t (id int);" }),
      rev("b2", "a1", { upgrade: "CREATE INDEX CONCURRENTLY t_id ON t (id);", transaction: false }),
    );
    const sql = renderPlanSql(planUpgrade(g2, ["a1"], "head"), { dialect: "postgresql" });
    expect(sql).toBe(
      "BEGIN;\n\n-- Running upgrade a1 -> b2\n\nCOMMIT;\n\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n\nBEGIN;\n\n" +
        "UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1';\n\nCOMMIT;\n\n",
    );
  });

  it("names a version table in another schema the way SQLAlchemy does", () => {
    const sql = renderPlanSql(planUpgrade(g, [], "1975ea83b712"), {
      dialect: "postgresql",
      versionTable: { table: "versions", schema: "ops" },
    });
    expect(sql).toContain("CREATE TABLE ops.versions (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT versions_pkc PRIMARY KEY (version_num)\n);");
    expect(sql).toContain("INSERT INTO ops.versions (version_num) VALUES ('1975ea83b712') RETURNING ops.versions.version_num;");
  });

  it("merges write a DELETE then an UPDATE; ids joined by ', ' in Running lines", () => {
    const g3 = graphOf(rev("base1", null), rev("left1", "base1"), rev("right1", "base1"), rev("merge1", ["left1", "right1"]));
    const sql = renderPlanSql(planUpgrade(g3, ["left1", "right1"], "head"), { dialect: "postgresql" });
    expect(sql).toContain("-- Running upgrade left1, right1 -> merge1\n\n");
    expect(sql).toContain(
      "DELETE FROM alembic_version WHERE alembic_version.version_num = 'left1';\n\n" +
        "UPDATE alembic_version SET version_num='merge1' WHERE alembic_version.version_num = 'right1';\n\n",
    );
  });

  it("an empty section runs no statement but still moves the version", () => {
    const g4 = graphOf(rev("a1", null, { upgrade: "\n-- nothing to do\n" }));
    expect(renderPlanSql(planUpgrade(g4, [], "head"), { dialect: "mysql" })).toBe(
      "CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);\n\n" +
        "-- Running upgrade  -> a1\n\nINSERT INTO alembic_version (version_num) VALUES ('a1');\n\n",
    );
  });
});
