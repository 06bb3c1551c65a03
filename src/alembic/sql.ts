// The SQL of an Alembic project's plan comes from Alembic's offline mode: one
// `upgrade FROM:TO --sql` for the whole plan when it can be expressed so, split back into
// revisions by its `-- Running upgrade A -> B` lines; revisions missing from it (or a failed
// run) are rendered one at a time, and one that cannot be rendered offline (a data migration
// that needs a connection) carries a note instead of SQL. The plan's revisions then hold that
// SQL in their sections, so every renderer (SQL, JSON, comment, summary) works unchanged.

import { RetortError } from "../core/errors.js";
import type { Plan, PlanStep } from "../core/plan.js";
import { versionTableName, type Dialect, type VersionTable } from "../core/sql.js";
import { runAlembic, splitOfflineSql, type AlembicRunner } from "./run.js";

export interface RenderedPlan {
  readonly plan: Plan;
  /** Revision id → why its SQL could not be rendered offline. */
  readonly notes: ReadonlyMap<string, string>;
}

function key(step: PlanStep): string {
  return `${step.from.join(", ")} -> ${step.to.join(", ")}`;
}

/** The revision's own statements from one `-- Running ...` chunk: without the comment line,
 *  BEGIN/COMMIT and the version-table statements (retort writes those itself). */
export function bodyOf(chunk: string, vt: VersionTable, dialect: Dialect): string {
  const table = versionTableName(vt, dialect).toLowerCase();
  const bare = vt.table.toLowerCase();
  const isVersion = (s: string) => {
    const t = s.trim().toLowerCase();
    return [table, bare].some(
      (n) => t.startsWith(`insert into ${n} `) || t.startsWith(`update ${n} `) || t.startsWith(`delete from ${n} `) || t.startsWith(`create table ${n} `),
    );
  };
  const statements = chunk
    .replace(/^-- Running .*\n/, "")
    .split(/;\n\n/)
    .map((s) => s.trim())
    .filter((s) => s !== "" && !/^(BEGIN|COMMIT)$/i.test(s) && !isVersion(s));
  return statements.length === 0 ? "" : `${statements.join(";\n\n")};\n\n`;
}

/** Renders the plan's Alembic revisions offline. Alembic learns only the dialect: env.py and
 *  the revisions (a pull request's code, on a pull request) never see the database's URL. */
export async function renderWithAlembic(plan: Plan, runner: AlembicRunner, versionTable: VersionTable, dialect: Dialect): Promise<RenderedPlan> {
  const steps = plan.steps.filter((s) => s.revision.alembic);
  if (steps.length === 0) return { plan, notes: new Map() };
  const chunks = new Map<string, string>();
  const notes = new Map<string, string>();
  const verb = plan.direction;
  const offline = { mode: "offline", dialect } as const;

  // One run for the whole plan, when the start is a single revision (or base).
  if (plan.headsBefore.length <= 1) {
    const from = plan.headsBefore[0] ?? "base";
    try {
      const { stdout } = await runAlembic(runner, offline, [verb, `${from}:${plan.target}`, "--sql"]);
      for (const [k, v] of splitOfflineSql(stdout)) chunks.set(k, v);
    } catch (e) {
      // Alembic cannot be started at all: one error, not a note on every revision.
      if (e instanceof RetortError && e.code === "usage") throw e;
      // Else fall back to one revision at a time below.
    }
  }
  for (const step of steps) {
    if (chunks.has(key(step))) continue;
    const range =
      verb === "upgrade" ? `${step.revision.downRevisions[0] ?? "base"}:${step.revision.id}` : `${step.revision.id}:${step.revision.downRevisions[0] ?? "base"}`;
    try {
      const { stdout } = await runAlembic(runner, offline, [verb, range, "--sql"]);
      const chunk = splitOfflineSql(stdout).get(key(step));
      if (chunk) chunks.set(key(step), chunk);
      else notes.set(step.revision.id, `Alembic's offline output for ${range} has no section for ${key(step)}`);
    } catch (e) {
      notes.set(step.revision.id, `its SQL cannot be rendered offline (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  const rendered = plan.steps.map((step) => withSql(step, chunks.get(key(step)), notes.get(step.revision.id), { versionTable, dialect, verb }));
  return { plan: { ...plan, steps: rendered }, notes };
}

/** `step` with the SQL Alembic rendered for it (`chunk`), or, when it could not, the reason
 *  (`note`) in its place: the revision keeps its place in the plan. Native steps are kept. */
function withSql(step: PlanStep, chunk: string | undefined, note: string | undefined, at: { versionTable: VersionTable; dialect: Dialect; verb: Plan["direction"] }): PlanStep {
  if (!step.revision.alembic) return step;
  const sql = chunk !== undefined ? bodyOf(chunk, at.versionTable, at.dialect) : `-- retort: ${(note ?? "no SQL").replace(/\s*\n\s*/g, " ")}\n\n`;
  const section = { ...step.section, sql, verbatim: true };
  const revision = {
    ...step.revision,
    alembic: { ...step.revision.alembic, rendered: true },
    ...(at.verb === "upgrade" ? { upgrade: section } : { downgrade: section }),
  };
  return { ...step, revision, section };
}
