// Giving an Alembic project's plan its SQL (through Alembic), for the commands and the Action.

import { RetortError } from "../core/errors.js";
import type { Plan } from "../core/plan.js";
import type { Dialect } from "../core/sql.js";
import { detectAlembicProject } from "../load/alembic-config.js";
import type { Options } from "../options.js";
import { placeholderUrl, renderWithAlembic } from "./sql.js";

/** `plan` with the SQL of its Alembic revisions filled in; native plans come back unchanged.
 *  `url`: the database's URL (its dialect is used; Alembic does not connect offline), or null. */
export async function withAlembicSql(plan: Plan, options: Options, url: string | null, dialect: Dialect, warn: (line: string) => void): Promise<Plan> {
  if (!plan.steps.some((s) => s.revision.alembic && !s.revision.alembic.rendered)) return plan;
  const project = detectAlembicProject(options.migrations, options.alembicConfig);
  if (!project) throw new RetortError("usage", `${options.migrations} holds Alembic revisions but no Alembic project was found.`);
  const rendered = await renderWithAlembic(
    plan,
    { command: options.alembicCommand, iniPath: project.iniPath, scriptLocation: project.scriptLocation },
    url ?? placeholderUrl(dialect),
    options.versionTable,
    dialect,
  );
  for (const [id, note] of rendered.notes) warn(`${id}: ${note}`);
  return rendered.plan;
}
