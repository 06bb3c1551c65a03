// Characterisation: every report retort renders (the comment at several limits, the job summary,
// the GitLab note, `plan --format text|markdown|json|sql`), byte for byte, on a set of fixture
// plans: ordinary ones, MySQL, offline, drift, nothing pending, long plans that get cut, and
// the hostile values of hostile-plan.ts. The snapshot was written before the plan result
// (report/model.ts) replaced the five shapes the reports used to take; it pins that none of
// them changed what it prints.

import { describe, expect, it } from "vitest";
import { planUpgrade, type Plan } from "../../src/core/plan.js";
import { DEFAULT_VERSION_TABLE } from "../../src/core/sql.js";
import { renderComment, renderJobSummary, type CommentFrame } from "../../src/report/comment.js";
import { planResult, type PlanFacts, type PlanResult } from "../../src/report/model.js";
import { renderPlan, PLAN_FORMATS } from "../../src/report/plan.js";
import type { Drift, StepOutcome } from "../../src/run/runner.js";
import { graphOf, rev } from "../helpers.js";
import { HOSTILE, hostileCase } from "./hostile-plan.js";

const g = graphOf(
  rev("aaa111", null, { message: "create account", upgrade: "CREATE TABLE account (id int);\nCREATE INDEX ix ON account (id);" }),
  rev("bbb222", "aaa111", { message: "add column", upgrade: "ALTER TABLE account ADD COLUMN name text;" }),
  rev("ccc333", "bbb222", { message: "backfill | rename\nsecond line", downgrade: null, transaction: false, upgrade: "UPDATE account SET name = 'x';" }),
);

const mysqlGraph = graphOf(
  rev("m1", null, { message: "proc", upgrade: "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END;\nCREATE TABLE t (id int);" }),
  rev("m2", "m1", { message: "more", upgrade: "ALTER TABLE t ADD COLUMN x int;" }),
);

function longChain(n: number, o: { irreversible?: boolean; sql?: string } = {}): Plan {
  const revs = Array.from({ length: n }, (_, i) =>
    rev(`r${String(i).padStart(5, "0")}`, i === 0 ? null : `r${String(i - 1).padStart(5, "0")}`, {
      message: `step ${i}`,
      upgrade: o.sql ?? `CREATE TABLE t${i} (id int, note text DEFAULT '${"x".repeat(40)}');`,
      ...(o.irreversible ? { downgrade: null } : {}),
    }),
  );
  return planUpgrade(graphOf(...revs), [], "heads");
}

const drift: Drift[] = [
  { revision: "aaa111", path: "db/migrations/aaa111.sql", appliedAt: "2024-05-01T10:00:00Z", appliedChecksum: "a", currentChecksum: "b" },
  { revision: "bbb222", path: "db/migrations/bbb222.sql", appliedAt: "2024-05-02T10:00:00Z", appliedChecksum: "c", currentChecksum: "d" },
];

/** One fixture: a plan result and the frame of its comment. */
interface Fixture {
  readonly result: PlanResult;
  readonly frame: CommentFrame;
}

/** The values of the shapes the reports took before the plan result, under their old names. */
type Legacy = Omit<PlanFacts, "undoSql" | "outcomes"> & CommentFrame & { readonly downgradeSql: string | null };

function fixture(over: Partial<Legacy> = {}, outcomes: readonly StepOutcome[] = []): Fixture {
  const all: Legacy = {
    environment: "staging",
    migrations: "db/migrations",
    database: "postgresql://ci:***@db:5432/app",
    offlineNote: null,
    plan: planUpgrade(g, ["aaa111"], "heads"),
    downgradeSql: "DROP TABLE x;\n",
    dialect: "postgresql",
    versionTable: DEFAULT_VERSION_TABLE,
    transactionalDdl: true,
    drift: [],
    heads: ["ccc333"],
    commitSha: "0123456789abcdef0123456789abcdef01234567",
    retortVersion: "0.1.0",
    detailsHint: "the job summary and the sql-file output",
    ...over,
  };
  const { environment, commitSha, retortVersion, detailsHint, downgradeSql, ...facts } = all;
  return {
    result: planResult({ ...facts, undoSql: downgradeSql, outcomes }, (sql) => `sum:${sql.length}`),
    frame: { environment, commitSha, retortVersion, detailsHint },
  };
}

const applied = (plan: Plan): StepOutcome[] => plan.steps.map((step, i) => ({ step, durationMs: 12.4 + i * 100, statements: 1 }));

const FIXTURES: Record<string, Fixture> = {
  ordinary: fixture(),
  "from base": fixture({ plan: planUpgrade(g, [], "heads") }),
  "nothing pending": fixture({ plan: planUpgrade(g, ["ccc333"], "heads"), downgradeSql: null }),
  "empty plan": fixture({ plan: { direction: "upgrade", target: "heads", headsBefore: [], steps: [], headsAfter: [] } }),
  "no environment, no commit": fixture({ environment: "", commitSha: null }),
  drift: fixture({ drift, heads: ["ccc333", "zzz999"] }),
  "drift, nothing pending": fixture({ plan: planUpgrade(g, ["ccc333"], "heads"), downgradeSql: null, drift }),
  offline: fixture({ database: "", offlineNote: "Planned without a database: this pull request comes from a fork.\nSecrets are not available." }),
  mysql: fixture({ plan: planUpgrade(mysqlGraph, [], "heads"), dialect: "mysql", transactionalDdl: false, heads: ["m2"] }),
  "mysql, nothing pending": fixture({ plan: planUpgrade(mysqlGraph, ["m2"], "heads"), dialect: "mysql", transactionalDdl: false, heads: ["m2"] }),
  applied: fixture({}, applied(planUpgrade(g, ["aaa111"], "heads"))),
  "long chain": fixture({ plan: longChain(60), downgradeSql: "DROP TABLE t;\n".repeat(60), heads: ["r00059"] }),
  "long irreversible chain": fixture({ plan: longChain(150, { irreversible: true, sql: "SELECT 1;" }), heads: ["r00149"] }),
};

/** An Alembic plan whose second revision Alembic could not render offline (its Python shown
 *  instead), and whose undo's downgrade of it could not be rendered either. */
function unrenderedPlan(reason: string, source: string): Pick<Legacy, "plan" | "undoUnrendered" | "downgradeSql"> {
  const p = planUpgrade(g, [], "heads");
  const steps = p.steps.map((s, i) => {
    const alembic = { text: `revision = "${s.revision.id}"\n`, project: { iniPath: "/p/alembic.ini", scriptLocation: "/p/migrations" }, rendered: true };
    const section = i === 1 ? { ...s.section, sql: "", verbatim: true, unrendered: { reason, source } } : { ...s.section, verbatim: true };
    return { ...s, section, revision: { ...s.revision, alembic, upgrade: section } };
  });
  const down = steps[1]!;
  const undoUnrendered = [{ ...down, direction: "downgrade" as const, section: { ...down.section, unrendered: { reason: `${reason} (downgrade)`, source: "def downgrade():\n    pass" } } }];
  return { plan: { ...p, steps }, undoUnrendered, downgradeSql: "-- Running downgrade bbb222 -> aaa111\n\n-- retort: NOT RENDERED\n" };
}
FIXTURES["alembic, not rendered"] = fixture(
  unrenderedPlan(
    "AttributeError: 'NoneType' object has no attribute 'fetchall' (bbb222_add.py, line 9, in upgrade)",
    'def upgrade():\n    conn = op.get_bind()\n    for row in conn.execute(sa.text("SELECT id FROM account")).fetchall():\n        pass',
  ),
);
FIXTURES["alembic, not rendered, hostile"] = fixture(unrenderedPlan(HOSTILE.join(" "), `def upgrade():\n${HOSTILE.map((h) => `    # ${h}`).join("\n")}`));

for (const h of HOSTILE) {
  const c = hostileCase(h);
  FIXTURES[`hostile ${JSON.stringify(h)}`] = { result: c.result, frame: c.frame };
}

// The functions under test, called as the code of the time calls them.
const comment = (f: Fixture, limit?: number) => renderComment(f.result, f.frame, limit);
const summary = (f: Fixture) => renderJobSummary(f.result, f.frame);
const plan = (f: Fixture, format: (typeof PLAN_FORMATS)[number]) => renderPlan(f.result, format);

describe("every report, byte for byte", () => {
  for (const [name, f] of Object.entries(FIXTURES)) {
    it(name, () => {
      const out: Record<string, string> = {
        comment: comment(f),
        "comment at 4,000": comment(f, 4_000),
        "comment at 1,200": comment(f, 1_200),
        "comment at 300": comment(f, 300),
        "comment at 30": comment(f, 30),
        "gitlab note": comment(f, 900_000),
        "job summary": summary(f),
      };
      for (const format of PLAN_FORMATS) out[`plan ${format}`] = plan(f, format);
      // A report equal to the whole comment is written as a reference, to keep the snapshot small.
      for (const key of Object.keys(out)) if (key !== "comment" && out[key] === out.comment) out[key] = "(the comment, byte for byte)";
      expect(out).toMatchSnapshot();
    });
  }
});
