// The plan result (report/model.ts) of a command's run, from what it found: the one place the
// Action and the CLI, online and offline, turn a plan into what every report renders.

import type { RevisionGraph } from "../core/graph.js";
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
}

/** The plan result of `found`. `undo: false` leaves out the undo SQL (null), which only the
 *  comment and the job summary show: `plan --format` and a dry run's text do not plan the
 *  downgrade of a plan they print. */
export function planResultFor(found: PlanFound, options: Options, what: { undo: boolean } = { undo: true }): PlanResult {
  const { graph, plan, dialect } = found;
  return planResult({
    database: found.database,
    migrations: options.migrations,
    dialect,
    transactionalDdl: found.transactionalDdl,
    versionTable: options.versionTable,
    heads: graph.ids(graph.heads),
    plan,
    drift: found.drift,
    undoSql: what.undo ? undoSql(graph, plan, { dialect, versionTable: options.versionTable }) : null,
    outcomes: found.outcomes,
    offlineNote: found.offlineNote,
    versionNum: found.versionNum,
  });
}
