// A plan in which every value a reviewer sees was chosen by an attacker: ids, messages, paths,
// the environment, the migrations directory, the database, the target, drift, heads, the
// commit, and SQL quoting other environments' comment markers. Used by hostile.test.ts and by
// scripts/render-report.mjs (which renders it in a browser to look at).
//
// Revision ids this hostile cannot come out of the loaders any more (the id rule refuses them),
// but they can come from the database (a version table row is just text), so the reports must
// hold them safely anyway: the plan is built by hand, past the graph's checks.

import type { Plan, PlanStep } from "../../src/core/plan.js";
import type { Revision } from "../../src/core/revision.js";
import { DEFAULT_VERSION_TABLE } from "../../src/core/sql.js";
import { commentMarker, type CommentFrame } from "../../src/report/comment.js";
import { planResult, type PlanResult } from "../../src/report/model.js";
import type { Drift } from "../../src/run/runner.js";

/** Strings that break out of a cell, a code span, an HTML block, a comment marker, a line. */
export const HOSTILE: readonly string[] = [
  "a|b",
  "|",
  "x\\|y",
  "x\\\\|y",
  "` | transaction | 9 |  |",
  "``a|b``",
  "`",
  "<img src=x onerror=alert(1)>",
  "<script>alert(1)</script>",
  "</summary></details><details open><summary>",
  "</code><b>bold</b><code>",
  "<!-- retort:plan environment=\"production\" migrations=\"db\" -->",
  "-->",
  "*emphasis* __strong__ ~~gone~~",
  "[click](https://evil.example/) ![pixel](https://evil.example/p.png)",
  "https://evil.example/x www.evil.example",
  "@octocat #1 mail@evil.example",
  "&lt;img src=x&gt; &#124; &amp;",
  "line\n| 9 | forged | row | transaction | 1 |  |",
  "cr\r| 9 | forged |\r\n|---|---|",
  "<details><summary>x</summary>\n\n# heading\n\n</details>",
  "\n\n## Approved ✅\n\n",
  "```\n</details>\n```",
  " spaced ",
  "\u001b[31mred\u001b[0m \u0000 \u202eevil",
  "$x^2$ :smile: [x]: https://evil.example",
];

/** Other environments' markers, to be quoted in SQL and values. */
export const FOREIGN_MARKERS = [commentMarker("production", "db"), commentMarker("production", "db/migrations"), commentMarker("", "migrations")];

function revision(id: string, message: string, path: string, sql: string, o: { transaction: boolean; reversible: boolean }): Revision {
  return {
    id,
    downRevisions: [],
    branchLabels: [],
    dependsOn: [],
    message,
    createDate: null,
    path,
    upgrade: { sql, line: 7, transaction: o.transaction },
    downgrade: o.reversible ? { sql: "SELECT 1;", line: 9, transaction: true } : null,
  };
}

function step(rev: Revision, from: readonly string[]): PlanStep {
  return {
    revision: rev,
    direction: "upgrade",
    section: rev.upgrade,
    from,
    to: [rev.id],
    versionChanges: from.length === 0 ? [{ op: "insert", revision: rev.id }] : [{ op: "update", from: from[0]!, to: rev.id }],
    headsAfter: [rev.id],
  };
}

export interface HostileCase {
  /** The plan result, with the steps applied (for the job summary's table). */
  readonly result: PlanResult;
  readonly frame: CommentFrame;
  /** Per step, what the table must say. */
  readonly steps: readonly { id: string; message: string; mode: string; flags: string }[];
  readonly drift: readonly Drift[];
}

/** A two-revision plan (the first non-transactional and irreversible, the second neither) whose
 *  every value is built from `h`. */
export function hostileCase(h: string): HostileCase {
  const sql = [
    `SELECT '${h}';`,
    ...FOREIGN_MARKERS.map((m) => `SELECT '${m}';`),
    `-- ${FOREIGN_MARKERS[0]}`,
    "SELECT '```' AS fence, '</details>' AS html;",
  ].join("\n");
  const first = revision(`${h}1`, h, `db/${h}/1.sql`, sql, { transaction: false, reversible: false });
  const second = revision(`${h}2`, `${h} again`, `db/${h}/2.sql`, `SELECT '${h}';`, { transaction: true, reversible: true });
  const steps = [step(first, [h]), step(second, [first.id])];
  const plan: Plan = { direction: "upgrade", target: h, headsBefore: [h], steps, headsAfter: [second.id] };
  const drift: Drift[] = [{ revision: `${h}d`, path: `db/${h}.sql`, appliedAt: h, appliedChecksum: "x", currentChecksum: "y" }];
  const result = planResult(
    {
      database: `postgresql://u:***@h/${h}`,
      migrations: `m/${h}`,
      dialect: "postgresql",
      transactionalDdl: true,
      versionTable: DEFAULT_VERSION_TABLE,
      heads: [first.id, second.id],
      plan,
      drift,
      undoSql: `DROP TABLE x; -- ${h}\n${FOREIGN_MARKERS[0]}`,
      outcomes: steps.map((s, i) => ({ step: s, durationMs: 10 + i, statements: 1 })),
      offlineNote: `planned offline from ${h} (the from input)`,
    },
    () => "c",
  );
  const oneLine = (s: string) => s.replace(/\r\n|\r|\n/g, " ");
  return {
    result,
    frame: { environment: h, commitSha: h, retortVersion: h, detailsHint: "the job summary" },
    steps: [
      { id: oneLine(first.id), message: oneLine(first.message), mode: "no transaction", flags: "⚠️ irreversible, ⚠️ non-transactional" },
      { id: oneLine(second.id), message: oneLine(second.message), mode: "transaction", flags: "" },
    ],
    drift,
  };
}

/** `c` with some of its values replaced: the environment is the comment's frame, the rest the
 *  plan result's. */
export function varied(c: HostileCase, over: { environment?: string; migrations?: string; database?: string; offlineNote?: string }): HostileCase {
  const { environment, ...facts } = over;
  return { ...c, result: { ...c.result, ...facts }, frame: environment === undefined ? c.frame : { ...c.frame, environment } };
}
