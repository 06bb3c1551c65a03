// The plan of a pull request that gets no database URL (the Action on a fork's pull request):
// planned offline, in the dialect the offline commands use (options.dialect), not a dialect
// written into the Action.

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { offlineUpgradeResult } from "../../src/commands/offline.js";
import { makeOptions } from "../../src/options.js";
import { renderPlan } from "../../src/report/plan.js";

const SHOP = join(import.meta.dirname, "..", "fixtures", "mysql-shop");
const start = (from: string[]) => ({ from, source: "the from input" });

describe("offlineUpgradeResult", () => {
  it("plans from base in options.dialect, with the offline note, no database and no drift", async () => {
    const options = makeOptions({ migrations: SHOP, dialect: "mysql" });
    const r = await offlineUpgradeResult(options, { start: start([]), target: "heads" }, () => undefined);
    expect(r.dialect).toBe("mysql");
    expect(r.transactionalDdl).toBe(false);
    expect(r.database).toBe("");
    expect(r.drift).toEqual([]);
    expect(r.outcomes).toEqual([]);
    expect(r.plan.headsBefore).toEqual([]);
    expect(r.plan.steps.map((s) => s.revision.id)).toEqual(["1a2b3c4d5e6f", "3c4d5e6f7081", "2b3c4d5e6f70", "4d5e6f708192"]);
    expect(r.offlineNote).toBe(
      "No database URL on this run (pull requests from forks get no secrets): planned offline from base, not from the database.",
    );
    expect(r.warnings).toContainEqual({ kind: "implicit-commits" });
    // MySQL's SQL: no transactional DDL, backquoted identifiers as written.
    expect(renderPlan(r, "sql")).toContain("CREATE TABLE `customers`");
    expect(renderPlan(r, "sql")).not.toContain("BEGIN;");
  });

  it("the default dialect is PostgreSQL, as the Action had it; `from` names the start", async () => {
    const options = makeOptions({ migrations: SHOP });
    const r = await offlineUpgradeResult(options, { start: start(["1a2b3c4d5e6f"]), target: "heads" }, () => undefined);
    expect(r.dialect).toBe("postgresql");
    expect(r.transactionalDdl).toBe(true);
    expect(r.plan.headsBefore).toEqual(["1a2b3c4d5e6f"]);
    expect(r.offlineNote).toBe(
      "No database URL on this run (pull requests from forks get no secrets): planned offline from 1a2b3c4d5e6f (the from input), not from the database.",
    );
    expect(r.undoSql).toContain("DROP TABLE");
  });
});
