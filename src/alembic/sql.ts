// The SQL of an Alembic project's plan comes from Alembic's offline mode: one
// `upgrade FROM:TO --sql` for the whole plan when it can be expressed so, split back into
// revisions by its `-- Running upgrade A -> B` lines. The plan's revisions then hold that SQL
// in their sections, so every renderer (SQL, JSON, comment, summary) works unchanged.
//
// Where a run fails tells what failed. Alembic prints `-- Running upgrade A -> B` before it
// calls a revision's upgrade(): a run that failed before printing any such line failed in
// env.py, its imports or the configuration, and no revision can be rendered (one error for the
// whole plan). A run that failed after one failed in that revision: the revisions before it
// keep their SQL, its partial output is dropped, it is marked unrendered (Alembic's reason and
// its Python function shown instead), and the run resumes after it. Revisions the runs did not
// reach are rendered one at a time.

import { basename, dirname, isAbsolute, relative } from "node:path";
import { RetortError } from "../core/errors.js";
import type { Plan, PlanStep } from "../core/plan.js";
import type { Unrendered } from "../core/revision.js";
import { versionTableName, type Dialect, type VersionTable } from "../core/sql.js";
import { refuseMultidb } from "../load/alembic-config.js";
import { revisionSource } from "./python-source.js";
import { AlembicFailure, runAlembic, splitOfflineSql, type AlembicRunner } from "./run.js";
import { isWithin } from "../load/paths.js";

export interface RenderedPlan {
  readonly plan: Plan;
  /** Revision id → why its SQL could not be rendered offline (also in its section's `unrendered`). */
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
      (n) => t.startsWith(`insert into ${n} `) || t.startsWith(`update ${n} `) || t.startsWith(`delete from ${n} `) || t.startsWith(`create table ${n} `) || t === `drop table ${n}`,
    );
  };
  // Every statement ends in `;` and a blank line; the chunk's last one, cut from the rest of
  // the output, in `;` alone.
  const statements = chunk
    .replace(/^-- Running .*\n/, "")
    .trimEnd()
    .replace(/;$/, "")
    .split(/;\n\n/)
    .map((s) => s.trim())
    .filter((s) => s !== "" && !/^(BEGIN|COMMIT)$/i.test(s) && !isVersion(s));
  return statements.length === 0 ? "" : `${statements.join(";\n\n")};\n\n`;
}

/** What one offline run gave: the chunks of the revisions it rendered, and, when it failed in
 *  a revision, that revision's key and Alembic's reason. */
interface OfflineRun {
  readonly chunks: Map<string, string>;
  readonly failed: { readonly key: string; readonly failure: AlembicFailure } | null;
}

/** The `File "...", line N, in F` frames of a Python traceback, innermost last. */
function frames(stderr: string): { file: string; line: number; fn: string }[] {
  // A SyntaxError's last frame has no `in F`.
  return [...stderr.matchAll(/^\s*File "([^"\n]+)", line (\d+)(?:, in (\S+))?\s*$/gm)].map((m) => ({ file: m[1]!, line: Number(m[2]), fn: m[3] ?? "" }));
}

/** Alembic's reason, on one line and of a reasonable length. */
function oneLine(text: string, max = 500): string {
  const line = text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, " ").trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** The error for a run that failed before any revision: env.py, its imports or the config. */
function cannotRun(failure: AlembicFailure, runner: AlembicRunner, args: readonly string[]): RetortError {
  // The interpreter has no Alembic at all: the error of Alembic not found, with what to do.
  if (/^ModuleNotFoundError: No module named 'alembic'/.test(failure.why)) {
    return new RetortError(
      "usage",
      `Cannot run Alembic ('${runner.command.join(" ")}'): its Python has no module named 'alembic'. Install it for that Python ` +
        `(pip install alembic, or Debian's python3-alembic), or pass --alembic-command naming the Python that has it ` +
        `(e.g. '/opt/venv/bin/python -m alembic').`,
      { cause: failure },
    );
  }
  const home = runner.iniPath ? dirname(runner.iniPath) : runner.scriptLocation;
  const inProject = frames(failure.stderr).filter((f) => isAbsolute(f.file) && isWithin(home, f.file));
  const at = inProject.at(-1);
  const where = at ? ` (${relative(home, at.file) || basename(at.file)}, line ${at.line})` : "";
  const config = runner.iniPath ? `${runner.iniPath}` : `${runner.scriptLocation} (no alembic.ini)`;
  return new RetortError(
    "migration-failed",
    `Alembic cannot run this project, so no revision's SQL can be shown: ${oneLine(failure.why).replace(/\.+$/, "")}${where}. ` +
      `It failed before running any revision: in env.py, its imports or its configuration (${config}), or importing a revision file. ` +
      `retort ran 'alembic ${runner.iniPath ? `-c ${runner.iniPath} ` : ""}${args.join(" ")}' offline, with a placeholder sqlalchemy.url and only the environment variables ` +
      `of --alembic-env: make that work (the Python of --alembic-command needs the project's packages; pass the variables env.py ` +
      `reads with --alembic-env NAME), then run retort again.`,
    { cause: failure },
  );
}

/** One `alembic VERB RANGE --sql`: its chunks, or where it failed. Alembic that cannot start,
 *  or that failed before any revision, throws; but where `refusable`, Alembic refusing the
 *  range itself (its `FAILED:` line, no traceback: a plan retort completes where Alembic's
 *  walk does not) gives no chunks, for the revisions to be rendered one at a time. */
async function offlineRun(runner: AlembicRunner, dialect: Dialect, args: readonly string[], refusable = false): Promise<OfflineRun> {
  try {
    const { stdout } = await runAlembic(runner, { mode: "offline", dialect }, args);
    return { chunks: splitOfflineSql(stdout), failed: null };
  } catch (e) {
    if (!(e instanceof AlembicFailure)) throw e;
    const chunks = splitOfflineSql(e.stdout);
    const key = [...chunks.keys()].at(-1);
    if (key === undefined && refusable && e.why.startsWith("FAILED:") && frames(e.stderr).length === 0) return { chunks, failed: null };
    if (key === undefined) throw cannotRun(e, runner, args);
    // The revision it was running when it failed: its partial output is not its SQL.
    chunks.delete(key);
    return { chunks, failed: { key, failure: e } };
  }
}

/** Why the revision of `step` failed, with the line of its file that raised when known. */
function reasonOf(step: PlanStep, failure: AlembicFailure): string {
  const name = basename(step.revision.path);
  const at = frames(failure.stderr)
    .filter((f) => basename(f.file) === name)
    .at(-1);
  return oneLine(`${failure.why}${at ? ` (${name}, line ${at.line}${at.fn ? `, in ${at.fn}` : ""})` : ""}`);
}

/** Renders the plan's Alembic revisions offline. Alembic learns only the dialect: env.py and
 *  the revisions (a pull request's code, on a pull request) never see the database's URL. */
export async function renderWithAlembic(plan: Plan, runner: AlembicRunner, versionTable: VersionTable, dialect: Dialect): Promise<RenderedPlan> {
  if (!plan.steps.some((s) => s.revision.alembic)) return { plan, notes: new Map() };
  refuseMultidb(runner.iniPath, "render the SQL of");
  const chunks = new Map<string, string>();
  const failed = new Map<string, string>();
  const take = (run: OfflineRun) => {
    for (const [k, v] of run.chunks) chunks.set(k, v);
    const step = run.failed ? plan.steps.find((s) => key(s) === run.failed!.key) : undefined;
    if (run.failed && step) failed.set(key(step), reasonOf(step, run.failed.failure));
    return step;
  };
  const verb = plan.direction;

  // One run for the whole plan, when it starts at a single revision (or base) and ends at one
  // (a failed revision is then skipped by running on from the state after it).
  if (plan.headsBefore.length <= 1) {
    let range = `${plan.headsBefore[0] ?? "base"}:${plan.target}`;
    for (let runs = 0; runs <= plan.steps.length; runs++) {
      const stopped = take(await offlineRun(runner, dialect, [verb, range, "--sql"], true));
      if (!stopped || plan.headsAfter.length > 1 || stopped.headsAfter.length !== 1 || stopped === plan.steps.at(-1)) break;
      // On from the state after the failed revision, to where the plan ends (not a relative target).
      range = `${stopped.headsAfter[0]!}:${plan.headsAfter[0] ?? "base"}`;
    }
  }
  const notes = new Map<string, string>();
  for (const step of plan.steps) {
    if (!step.revision.alembic || chunks.has(key(step)) || failed.has(key(step))) continue;
    const range =
      verb === "upgrade" ? `${step.revision.downRevisions[0] ?? "base"}:${step.revision.id}` : `${step.revision.id}:${step.revision.downRevisions[0] ?? "base"}`;
    take(await offlineRun(runner, dialect, [verb, range, "--sql"]));
    if (!chunks.has(key(step)) && !failed.has(key(step))) failed.set(key(step), `Alembic's offline output for ${range} has no section for ${key(step)}`);
  }
  const rendered = plan.steps.map((step) => {
    const reason = failed.get(key(step));
    if (reason !== undefined && step.revision.alembic) notes.set(step.revision.id, reason);
    return withSql(step, chunks.get(key(step)), reason, { versionTable, dialect, verb });
  });
  return { plan: { ...plan, steps: rendered }, notes };
}

/** What runs in place of SQL Alembic could not render: the revision's Python function. */
function unrenderedOf(step: PlanStep, reason: string, verb: Plan["direction"]): Unrendered {
  const text = step.revision.alembic?.text ?? "";
  return { reason, source: revisionSource(text, verb) };
}

/** `step` with the SQL Alembic rendered for it (`chunk`), or, when it could not, marked
 *  unrendered with the reason: the revision keeps its place in the plan. Native steps are kept. */
function withSql(step: PlanStep, chunk: string | undefined, reason: string | undefined, at: { versionTable: VersionTable; dialect: Dialect; verb: Plan["direction"] }): PlanStep {
  if (!step.revision.alembic) return step;
  const section =
    chunk !== undefined
      ? { ...step.section, sql: bodyOf(chunk, at.versionTable, at.dialect), verbatim: true }
      : { ...step.section, sql: "", verbatim: true, unrendered: unrenderedOf(step, reason ?? "Alembic rendered no SQL for it", at.verb) };
  const revision = {
    ...step.revision,
    alembic: { ...step.revision.alembic, rendered: true },
    ...(at.verb === "upgrade" ? { upgrade: section } : { downgrade: section }),
  };
  return { ...step, revision, section };
}

/** `plan` with every Alembic step not yet rendered marked unrendered for `reason`. */
export function markUnrendered(plan: Plan, reason: string): Plan {
  const at = { versionTable: { table: "", schema: null }, dialect: "postgresql" as const, verb: plan.direction };
  return { ...plan, steps: plan.steps.map((s) => (s.revision.alembic && !s.revision.alembic.rendered ? withSql(s, undefined, reason, at) : s)) };
}
