// The one result of a plan (and, after an upgrade or downgrade, of what was applied) that every
// report renders: the pull-request comment, the job summary, the GitLab note and
// `plan --format text|markdown|json|sql`. It is built in one place (`planResult`), so the
// warnings a reviewer reads and the checksums the JSON shows are derived once, the same way for
// the Action and the CLI. Pure: no I/O.

import type { RevisionGraph } from "../core/graph.js";
import type { HeadsVerdict } from "../core/heads.js";
import { undoPlan, type Direction, type Plan, type PlanStep } from "../core/plan.js";
import { renderPlanSql } from "../core/render-sql.js";
import type { Revision } from "../core/revision.js";
import type { Dialect, VersionTable } from "../core/sql.js";
import { checksum } from "../run/checksum.js";
import { describeDrift } from "../run/drift.js";
import { longIdsOf, type LongIds, type VersionNumRoom } from "../run/long-ids.js";
import type { Drift, StepOutcome } from "../run/runner.js";

export { describeDrift };

/** Something a reviewer should know before approving the plan. */
export type PlanWarning =
  | { readonly kind: "several-heads"; readonly heads: readonly string[]; readonly verdict?: HeadsVerdict | null }
  | { readonly kind: "drift"; readonly drift: Drift }
  | { readonly kind: "irreversible"; readonly revision: Revision }
  | { readonly kind: "non-transactional"; readonly revision: Revision }
  /** MySQL/MariaDB: a revision that fails part-way cannot be rolled back. */
  | { readonly kind: "implicit-commits" }
  /** Ids longer than the version table's version_num holds (run/long-ids.ts). */
  | { readonly kind: "long-ids"; readonly longIds: LongIds }
  /** An Alembic revision whose SQL (of `direction`: the plan's, or the undo's downgrade) Alembic
   *  could not render offline: the reports show its Python function instead. */
  | { readonly kind: "unrendered"; readonly revision: Revision; readonly direction: Direction; readonly reason: string };

/** What a plan run found, before anything is derived from it. */
export interface PlanFacts {
  /** The redacted database target, or "" when planned offline. */
  readonly database: string;
  /** The migrations directory. */
  readonly migrations: string;
  readonly dialect: Dialect;
  /** false for MySQL/MariaDB: DDL commits implicitly. */
  readonly transactionalDdl: boolean;
  readonly versionTable: VersionTable;
  /** The migrations directory's heads. */
  readonly heads: readonly string[];
  /** What is wrong with them (core/heads.ts), null when they are the intended ones; when
   *  absent, more than one head is a warning. */
  readonly headsVerdict?: HeadsVerdict | null;
  readonly plan: Plan;
  readonly drift: readonly Drift[];
  /** SQL that would undo the plan, or null (see `undoSql`; also null where no report of the
   *  result shows it: commands/plan-result.ts). */
  readonly undoSql: string | null;
  /** The steps of the undo's downgrade that Alembic could not render (each shown in `undoSql`
   *  as comments with its downgrade() source). */
  readonly undoUnrendered?: readonly PlanStep[];
  /** Steps applied (empty for a plan or a dry run). */
  readonly outcomes: readonly StepOutcome[];
  /** Why the plan ran without a database (a fork's pull request), or null. */
  readonly offlineNote: string | null;
  /** How many characters version_num holds where the plan writes its ids; absent: not checked. */
  readonly versionNum?: VersionNumRoom;
}

export interface PlanResult extends PlanFacts {
  /** In the order the comment lists them: heads, drift, each step's, the undo's, then the dialect's. */
  readonly warnings: readonly PlanWarning[];
  /** Each step's section checksum (run/checksum.ts), in plan order. */
  readonly checksums: readonly string[];
}

function planWarnings(f: PlanFacts): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  const verdict = f.headsVerdict;
  if (verdict === undefined ? f.heads.length > 1 : verdict !== null) warnings.push({ kind: "several-heads", heads: f.heads, verdict: verdict ?? null });
  for (const drift of f.drift) warnings.push({ kind: "drift", drift });
  const longIds = f.versionNum ? longIdsOf(f.plan, f.versionNum, f) : null;
  if (longIds) warnings.push({ kind: "long-ids", longIds });
  for (const step of f.plan.steps) {
    if (step.revision.downgrade === null) warnings.push({ kind: "irreversible", revision: step.revision });
    if (!step.section.transaction) warnings.push({ kind: "non-transactional", revision: step.revision });
    const u = step.section.unrendered;
    if (u) warnings.push({ kind: "unrendered", revision: step.revision, direction: step.direction, reason: u.reason });
  }
  for (const step of f.undoUnrendered ?? []) {
    warnings.push({ kind: "unrendered", revision: step.revision, direction: step.direction, reason: step.section.unrendered?.reason ?? "" });
  }
  if (f.plan.steps.length > 0 && !f.transactionalDdl) warnings.push({ kind: "implicit-commits" });
  return warnings;
}

/** The plan result: the facts, with the warnings and checksums derived from them.
 *  `checksumOf` is for tests that show a fixed checksum. */
export function planResult(facts: PlanFacts, checksumOf: (sql: string) => string = checksum): PlanResult {
  // A section without SQL (Alembic could not render it) is known by its file, as in the history.
  const sumOf = (s: PlanStep) => checksumOf(s.section.unrendered ? (s.revision.alembic?.text ?? "") : s.section.sql);
  return { ...facts, warnings: planWarnings(facts), checksums: facts.plan.steps.map(sumOf) };
}

/** The SQL that would undo `plan`: null when it cannot be expressed as one target, would be
 *  irreversible, or belongs to Alembic revisions (Alembic renders those). */
export function undoSql(graph: RevisionGraph, plan: Plan, sql: { dialect: Dialect; versionTable: VersionTable }): string | null {
  const down = plan.steps.some((s) => s.revision.alembic) ? null : undoPlan(graph, plan);
  if (down === null) return null;
  try {
    return renderPlanSql(down, sql);
  } catch {
    return null;
  }
}

