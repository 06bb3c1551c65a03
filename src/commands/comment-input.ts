// What a plan comment (pull request, merge request, job summary) is made of, built the same
// way for the Action and for `retort plan --comment`.

import type { RevisionGraph } from "../core/graph.js";
import { planDowngrade, type Plan } from "../core/plan.js";
import { renderPlanSql } from "../core/render-sql.js";
import type { Dialect } from "../core/sql.js";
import type { Options } from "../options.js";
import type { CommentInput } from "../report/comment.js";
import type { Drift } from "../run/runner.js";

/** Everything a report needs about one plan. */
export interface Planned {
  readonly database: string;
  readonly offlineNote: string | null;
  readonly dialect: Dialect;
  readonly transactionalDdl: boolean;
  readonly graph: RevisionGraph;
  readonly plan: Plan;
  readonly drift: readonly Drift[];
}

/** The SQL that would undo `plan`: null when it cannot be expressed as one target, would be
 *  irreversible, or belongs to Alembic revisions (Alembic renders those). */
export function undoSql(p: Planned, options: Options): string | null {
  const before = p.plan.headsBefore;
  if (p.plan.steps.length === 0 || before.length > 1 || p.plan.steps.some((s) => s.revision.alembic)) return null;
  try {
    const undo = planDowngrade(p.graph, p.plan.headsAfter, before[0] ?? "base");
    return renderPlanSql(undo, { dialect: p.dialect, versionTable: options.versionTable });
  } catch {
    return null;
  }
}

export function commentInputFor(
  p: Planned,
  options: Options,
  extra: { environment: string; commitSha: string | null; retortVersion: string; detailsHint: string },
): CommentInput {
  return {
    environment: extra.environment,
    migrations: options.migrations,
    database: p.database,
    offlineNote: p.offlineNote,
    plan: p.plan,
    downgradeSql: undoSql(p, options),
    dialect: p.dialect,
    versionTable: options.versionTable,
    transactionalDdl: p.transactionalDdl,
    drift: p.drift,
    heads: p.graph.ids(p.graph.heads),
    commitSha: extra.commitSha,
    retortVersion: extra.retortVersion,
    detailsHint: extra.detailsHint,
  };
}
