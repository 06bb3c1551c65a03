// Giving an Alembic project's plan its SQL (through Alembic), for the commands and the Action.

import { RetortError } from "../core/errors.js";
import type { RevisionGraph } from "../core/graph.js";
import { undoPlan, type Plan } from "../core/plan.js";
import { renderPlanSql } from "../core/render-sql.js";
import type { Dialect } from "../core/sql.js";
import type { Options } from "../options.js";
import type { AlembicRunner } from "./run.js";
import { renderWithAlembic } from "./sql.js";

/** How to run the Alembic project whose revisions `plan` holds (each carries where Alembic
 *  runs it: the loader found the project once, so nothing here looks for it again). */
export function alembicRunnerFor(options: Pick<Options, "migrations" | "alembicCommand" | "alembicEnv">, plan: Plan): AlembicRunner {
  const project = plan.steps.find((s) => s.revision.alembic)?.revision.alembic?.project;
  if (!project) throw new RetortError("usage", `${options.migrations} holds Alembic revisions but no Alembic project was found.`);
  const mainOptions = project.mainOptions ? { mainOptions: project.mainOptions } : {};
  return { command: options.alembicCommand, iniPath: project.iniPath, scriptLocation: project.scriptLocation, passEnv: options.alembicEnv, ...mainOptions };
}

/** `plan` with the SQL of its Alembic revisions filled in; native plans come back unchanged.
 *  Alembic renders offline with a placeholder URL of `dialect`: the database's URL is never
 *  handed to env.py and the revisions for a plan, even when retort read the plan's start
 *  from the database. Alembic that cannot run at all (not found, or env.py failing) is one
 *  error; each revision it cannot render offline is one warning, and is marked in the plan. */
export async function withAlembicSql(plan: Plan, options: Options, dialect: Dialect, warn: (line: string) => void): Promise<Plan> {
  if (!plan.steps.some((s) => s.revision.alembic && !s.revision.alembic.rendered)) return plan;
  const rendered = await renderWithAlembic(plan, alembicRunnerFor(options, plan), options.versionTable, dialect);
  for (const [id, note] of rendered.notes) {
    warn(`${id}: Alembic cannot render its ${plan.direction} SQL offline (${note}); the plan shows its ${plan.direction}() source instead.`);
  }
  return rendered.plan;
}

/** The downgrade that undoes an Alembic plan, rendered by Alembic (`downgrade AFTER:BEFORE
 *  --sql`, one run): the SQL and the rendered plan, whose unrendered steps are marked. null
 *  where native plans have none: nothing pending, or a start or end of several heads. */
export async function alembicUndo(graph: RevisionGraph, plan: Plan, options: Options, dialect: Dialect): Promise<{ sql: string; plan: Plan } | null> {
  // Alembic renders one range: from one head back to one.
  const down = plan.headsAfter.length > 1 ? null : undoPlan(graph, plan);
  if (down === null || down.steps.length === 0 || !down.steps.every((s) => s.revision.alembic)) return null;
  const rendered = await renderWithAlembic(down, alembicRunnerFor(options, down), options.versionTable, dialect);
  return { sql: renderPlanSql(rendered.plan, { dialect, versionTable: options.versionTable }), plan: rendered.plan };
}
