// The plan result (report/model.ts) of a command's run, from what it found: the one place the
// Action and the CLI, online and offline, turn a plan into what every report renders.

import { alembicUndo, withAlembicSql } from "../alembic/render.js";
import { markUnrendered } from "../alembic/sql.js";
import type { RevisionGraph } from "../core/graph.js";
import { judgeHeads } from "../core/heads.js";
import { projectFolder } from "../load/find-project.js";
import type { Plan } from "../core/plan.js";
import type { Dialect } from "../core/sql.js";
import type { Options } from "../options.js";
import { planResult, undoSql, type PlanResult } from "../report/model.js";
import type { VersionNumRoom } from "../run/long-ids.js";
import type { Drift, StepOutcome } from "../run/runner.js";

/** What a plan run found: against the database (online.ts) or from the `from` input (offline.ts). */
export interface PlanFound {
  /** The redacted database target, or "" offline. */
  readonly database: string;
  readonly offlineNote: string | null;
  readonly dialect: Dialect;
  readonly transactionalDdl: boolean;
  readonly graph: RevisionGraph;
  readonly plan: Plan;
  readonly drift: readonly Drift[];
  readonly outcomes: readonly StepOutcome[];
  /** Where the plan's ids are written (see PlanFacts.versionNum). */
  readonly versionNum?: VersionNumRoom;
  /** For an Alembic plan: the undo Alembic rendered (alembic/render.ts alembicUndo), or null
   *  when there is none. Absent: computed from the graph, as for native plans. */
  readonly alembicUndo?: { readonly sql: string; readonly plan: Plan } | null;
}

/** `found` as the reports need it for an Alembic plan: the undo of the plan rendered by
 *  Alembic (the comment's and the job summary's downgrade section) and, after an applied run
 *  (Alembic applied it online, which shows no SQL), the plan's SQL rendered offline. The
 *  reports of an applied run never fail what succeeded: what cannot be rendered then is marked
 *  not rendered, and the undo left out. */
export async function withAlembicReport(found: PlanFound, options: Options, warn: (line: string) => void): Promise<PlanFound> {
  if (!found.plan.steps.some((s) => s.revision.alembic)) return found;
  const applied = found.outcomes.length > 0;
  let plan = found.plan;
  if (applied) {
    try {
      plan = await withAlembicSql(plan, options, found.dialect, warn);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      warn(`The SQL of the revisions Alembic applied cannot be shown: ${why}`);
      plan = markUnrendered(plan, `applied online by Alembic; its SQL could not be rendered offline for this report`);
    }
  }
  let undo: PlanFound["alembicUndo"] = null;
  try {
    undo = await alembicUndo(found.graph, plan, options, found.dialect);
  } catch (e) {
    if (!applied) throw e;
  }
  return { ...found, plan, alembicUndo: undo };
}

/** The undo SQL of `found` (and, for an Alembic plan, its steps Alembic could not render). */
function undoOf(found: PlanFound, options: Options): { undoSql: string | null; undoUnrendered?: Plan["steps"] } {
  if (found.alembicUndo === undefined) return { undoSql: undoSql(found.graph, found.plan, { dialect: found.dialect, versionTable: options.versionTable }) };
  if (found.alembicUndo === null) return { undoSql: null };
  return { undoSql: found.alembicUndo.sql, undoUnrendered: found.alembicUndo.plan.steps.filter((s) => s.section.unrendered) };
}

/** The plan result of `found`. `undo: false` leaves out the undo SQL (null), which only the
 *  comment and the job summary show: `plan --format` and a dry run's text do not plan the
 *  downgrade of a plan they print. */
export function planResultFor(found: PlanFound, options: Options, what: { undo: boolean } = { undo: true }): PlanResult {
  const { graph, plan, dialect } = found;
  return planResult({
    database: found.database,
    migrations: projectFolder(graph, options),
    dialect,
    transactionalDdl: found.transactionalDdl,
    versionTable: options.versionTable,
    heads: graph.ids(graph.heads),
    headsVerdict: judgeHeads(graph, options.expectHeads, plan.target),
    plan,
    drift: found.drift,
    ...(what.undo ? undoOf(found, options) : { undoSql: null }),
    outcomes: found.outcomes,
    offlineNote: found.offlineNote,
    versionNum: found.versionNum,
  });
}
