// Plans without a database: `upgrade --sql` and `downgrade --sql` (the plan from a given
// starting point, rendered as SQL), and the Action's plan of a pull request that gets no
// database URL (a fork's), reported like any other plan.

import { RetortError } from "../core/errors.js";
import type { RevisionGraph } from "../core/graph.js";
import { planDowngrade, planUpgrade, requireNativeSql, type Direction, type Plan } from "../core/plan.js";
import { renderPlanSql } from "../core/render-sql.js";
import { TRAITS, VERSION_NUM_CHARS } from "../core/sql.js";
import { Resolver } from "../core/target.js";
import { withAlembicSql } from "../alembic/render.js";
import { loadGraphWith } from "../alembic/graph.js";
import type { Options } from "../options.js";
import type { PlanResult } from "../report/model.js";
import { longIdsOf, longIdsText, type VersionNumRoom } from "../run/long-ids.js";
import { planResultFor, withAlembicReport } from "./plan-result.js";

/** Offline, the version table is Alembic's default one (VARCHAR(32)). */
const OFFLINE_VERSION_NUM: VersionNumRoom = { chars: VERSION_NUM_CHARS, source: "offline" };

/** Splits `FROM:TO` (FROM may list several revisions, comma separated). */
export function parseOfflineRange(direction: Direction, spec: string): { from: string[]; to: string } {
  const colon = spec.indexOf(":");
  if (colon < 0) {
    if (direction === "downgrade") {
      throw new RetortError("usage", `downgrade with --sql requires <fromrev>:<torev> (got '${spec}'), e.g. 'downgrade head:-1 --sql'.`);
    }
    return { from: [], to: spec };
  }
  const from = spec.slice(0, colon).trim();
  const to = spec.slice(colon + 1).trim();
  if (to === "") throw new RetortError("usage", `'${spec}' has no target after ':'; write FROM:TO, e.g. 'base:head'.`);
  return { from: from === "" || from === "base" ? [] : from.split(",").map((s) => s.trim()), to };
}

export function offlinePlan(graph: RevisionGraph, direction: Direction, spec: string): Plan {
  const { from, to } = parseOfflineRange(direction, spec);
  // Like Alembic's starting_rev, each FROM must name exactly one revision.
  const resolver = new Resolver(graph);
  const current = from.map((f) => {
    const node = resolver.getRevision(f);
    if (node === null) throw new RetortError("usage", `'${f}' in '${spec}' names no revision; use 'base' alone for an empty database.`);
    return graph.id(node);
  });
  return direction === "upgrade" ? planUpgrade(graph, current, to) : planDowngrade(graph, current, to);
}

/** `upgrade --sql` / `downgrade --sql`: the SQL, and, when Alembic could not render some of
 *  its revisions offline (their Python source is in the SQL as comments), the error the command
 *  ends with after printing it: SQL missing a data migration must not pass for a whole script,
 *  as Alembic's own `--sql` fails on such a revision. */
export async function offlineSqlResult(
  graph: RevisionGraph,
  options: Options,
  direction: Direction,
  spec: string,
  warn: (line: string) => void = () => undefined,
): Promise<{ sql: string; incomplete: RetortError | null }> {
  // An Alembic project's SQL comes from Alembic (offline: only the dialect matters).
  const plan = await withAlembicSql(offlinePlan(graph, direction, spec), options, options.dialect, warn);
  requireNativeSql(plan);
  // The SQL is Alembic's, for its default version table: say when an id will not fit in it.
  const longIds = longIdsOf(plan, OFFLINE_VERSION_NUM, options);
  if (longIds) warn(longIdsText(longIds));
  const sql = renderPlanSql(plan, {
    dialect: options.dialect,
    versionTable: options.versionTable,
    transactionPerRevision: options.transactionPerRevision,
  });
  const missing = plan.steps.filter((s) => s.section.unrendered);
  const incomplete =
    missing.length === 0
      ? null
      : new RetortError(
          "migration-failed",
          `the SQL above is incomplete: Alembic could not render ${missing.length} revision(s) offline ` +
            `(${missing.map((s) => `${s.revision.id} (${s.revision.path})`).join(", ")}); ` +
            `their ${direction}() source is printed in their place as '-- ' comments. Apply them online (retort ${direction} without --sql), ` +
            `or make them renderable offline (no results read from op.get_bind()).`,
        );
  return { sql, incomplete };
}

/** What an offline upgrade plan starts from: the revisions `from` names (each may name several,
 *  as `heads` does; none is base), and where they came from, for the note. */
export interface OfflineStart {
  readonly from: readonly string[];
  /** e.g. "the from input". */
  readonly source: string;
}

/** The upgrade to `target` planned without a database, from `start`, in the dialect of the
 *  offline commands (`options.dialect`): the plan result every report renders, with a note saying
 *  that it was not planned from the database. */
export async function offlineUpgradeResult(
  options: Options,
  request: { start: OfflineStart; target: string },
  warn: (line: string) => void,
): Promise<PlanResult> {
  const graph = await loadGraphWith(options, { notice: warn, warn });
  const resolver = new Resolver(graph);
  const { from: names, source } = request.start;
  const from = names.flatMap((f) => graph.ids(resolver.getRevisions(f)));
  const plan = await withAlembicSql(planUpgrade(graph, from, request.target), options, options.dialect, warn);
  const offlineNote =
    `No database URL on this run (pull requests from forks get no secrets): planned offline from ` +
    `${from.length ? from.join(", ") : "base"}${names.length ? ` (${source})` : ""}, not from the database.`;
  const found = {
    database: "",
    offlineNote,
    dialect: options.dialect,
    transactionalDdl: TRAITS[options.dialect].transactionalDdl,
    graph,
    plan,
    drift: [],
    outcomes: [],
    versionNum: OFFLINE_VERSION_NUM,
  };
  return planResultFor(await withAlembicReport(found, options, warn), options);
}
