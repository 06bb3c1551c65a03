// Applying an Alembic project's plan: Alembic itself runs the revision bodies (one
// `alembic upgrade|downgrade TARGET` for the plan retort computed, the same plan Alembic
// computes), under retort's lock, with its output streamed through. The bootstrap
// (bootstrap.ts) does retort's part on Alembic's own connection: it takes the work lock there
// (handed over by the main connection, so a next run waits for anything this connection left
// running on the server after a kill), refuses to start when Alembic's steps are not retort's
// plan, and writes each step's history row through on_version_apply inside the step's own
// transaction, exactly the row retort would write. So a killed run loses no row of a step that
// took effect, and no run records a step it did not see. Where DDL commits at once (MySQL,
// MariaDB) the row is started in the step's transaction, as native revisions are, so that a
// run killed half-way is found by the next one. retort writes the failure row itself, after
// Alembic has ended and rolled back, with Alembic's error.

import { RetortError } from "../core/errors.js";
import { refuseMultidb } from "../load/alembic-config.js";
import type { Plan, PlanStep } from "../core/plan.js";
import type { BookkeepingSql } from "../db/bookkeeping.js";
import { unrecorded } from "../run/context.js";
import { idsWritten } from "../run/long-ids.js";
import { stepHistoryRow } from "../run/history.js";
import type { Logger, Runner, StepOutcome } from "../run/runner.js";
import type { HistoryRow, StateStore } from "../run/state.js";
import { runAlembic, type AlembicRunner, type StepBookkeeping, type TextStatement } from "./run.js";

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(" ") === [...b].sort().join(" ");
}

/** text() reads `:name` as a parameter: a colon of retort's own SQL (a quoted name) is escaped. */
const escapeColons = (sql: string) => sql.replace(/:/g, "\\:");

/** A driver statement with `?` placeholders (and no names in it) as a text() statement. */
export function textStatement(sql: string, params: readonly unknown[]): TextStatement {
  let i = 0;
  const named: Record<string, unknown> = {};
  const text = escapeColons(sql).replace(/\?/g, () => {
    named[`p${i}`] = params[i];
    return `:p${i++}`;
  });
  if (i !== params.length) throw new Error(`${params.length} parameters for ${i} placeholders`);
  return { sql: text, params: named };
}

/** The INSERT of `row` (appendHistory's), with the time and duration left to the bootstrap. */
export function historyInsert(store: StateStore, sql: BookkeepingSql, row: HistoryRow): TextStatement {
  const values = store.historyValues(row);
  const params: Record<string, unknown> = {};
  let now: string | undefined;
  let ms: string | undefined;
  values.forEach(([column, value], i) => {
    params[`p${i}`] = value;
    if (column === "changed_at") now = `p${i}`;
    if (column === "duration_ms") ms = `p${i}`;
  });
  const columns = values.map(([c]) => escapeColons(sql.ident(c)));
  return {
    sql: `INSERT INTO ${escapeColons(store.historySql)} (${columns.join(", ")}) VALUES (${values.map((_, i) => `:p${i}`).join(", ")})`,
    params,
    ...(now ? { now } : {}),
    ...(ms ? { ms } : {}),
  };
}

/** StateStore.finishHistory's UPDATE for a successful step (keep the two alike). */
export function historyFinish(store: StateStore, revision: string): TextStatement {
  return {
    sql:
      `UPDATE ${escapeColons(store.historySql)} SET success = :ok, duration_ms = :ms, error_message = NULL, ` +
      `failed_statement = NULL WHERE revision = :rev AND success IS NULL AND version_table = :vt`,
    params: { ok: true, ms: 0, rev: revision, vt: store.versionTableKey },
    ms: "ms",
  };
}

const keyOf = (direction: string, revision: string) => `${direction} ${revision}`;

/** What Alembic's run reported: when each step started, how long each applied one took (by
 *  `direction revision`), the last one started, and the failure, if any. */
interface AlembicRun {
  readonly startedAt: Map<string, number>;
  readonly applied: Map<string, number>;
  last: string | null;
  failure: RetortError | null;
}

export async function applyWithAlembic(
  plan: Plan,
  alembic: AlembicRunner,
  database: { readonly url: string; readonly secrets: readonly string[] },
  runner: Runner,
  log: Logger,
): Promise<StepOutcome[]> {
  refuseMultidb(alembic.iniPath, "apply");
  if (plan.steps.length === 0) return [];
  const { store, driver, settings } = runner;
  // Alembic would find an id too long for version_num only after the revision's DDL ran.
  await store.refuseLongIds(idsWritten(plan));
  await store.ensureHistoryTable();
  // Where DDL commits at once, a step's row is started before its body runs (see above).
  const tracked = !driver.transactionalDdl;
  const rowOf = (step: PlanStep, ms: number, error: string | null) => stepHistoryRow(step, settings.identity, ms, error, null);
  const steps: StepBookkeeping[] = plan.steps.map((step) => ({
    direction: step.direction,
    revision: step.revision.id,
    start: tracked ? historyInsert(store, driver.bookkeeping, { ...rowOf(step, 0, null), success: null }) : null,
    finish: tracked ? historyFinish(store, step.revision.id) : null,
    insert: historyInsert(store, driver.bookkeeping, rowOf(step, 0, null)),
  }));
  const run = await runUnderWorkLock(plan, alembic, database, runner, { log, steps });
  const ended = Date.now();
  const rows = await store.readHeads();
  if (run.failure === null) return succeeded(plan, run, rows, { store, log, rowOf });

  const error: RetortError = run.failure;
  const stands = rows.join(", ") || "base";
  const failedIndex = run.last === null ? -1 : plan.steps.findIndex((s) => keyOf(s.direction, s.revision.id) === run.last);
  const failed = failedIndex >= 0 ? plan.steps[failedIndex]! : null;
  if (failed === null) {
    // Alembic ended before any step started: no revision failed, and none gets a row.
    throw new RetortError(error.code, `${error.message}. No revision was started: the database stands at ${stands}.`, { cause: error });
  }
  // Which steps took effect: the longest prefix of the plan whose rows are what the table holds.
  let done = 0;
  for (let i = plan.steps.length; i >= 0; i--) {
    if (same(i === 0 ? plan.headsBefore : plan.steps[i - 1]!.headsAfter, rows)) {
      done = i;
      break;
    }
  }
  const ms = Math.max(0, ended - (run.startedAt.get(run.last!) ?? ended));
  const finished = tracked && (await store.finishHistory(failed.revision.id, false, ms, error.message, null).catch(() => false));
  if (!finished) {
    await store
      .appendHistory(rowOf(failed, ms, error.message))
      .catch(unrecorded(log));
  }
  throw new RetortError(
    "migration-failed",
    `${plan.direction} ${failed.revision.id} (${failed.revision.path}) failed: ${error.message}. ` +
      `The database stands at ${stands}${done > 0 ? ` (${done} revision(s) of the plan took effect)` : ""}.`,
    { cause: error, location: { file: failed.revision.path, line: failed.section.line } },
  );
}

/** Runs Alembic on the plan with the work lock handed over to its connection; Alembic's
 *  failure (other than a usage error) is returned, for the caller to record and explain. */
async function runUnderWorkLock(
  plan: Plan,
  alembic: AlembicRunner,
  database: { readonly url: string; readonly secrets: readonly string[] },
  runner: Runner,
  job: { readonly log: Logger; readonly steps: StepBookkeeping[] },
): Promise<AlembicRun> {
  const run: AlembicRun = { startedAt: new Map(), applied: new Map(), last: null, failure: null };
  await runner.handOverWork(async (workKey) => {
    const lock = runner.driver.lockStatement(workKey);
    try {
      await runAlembic(
        alembic,
        { mode: "online", url: database.url, secrets: database.secrets, bookkeeping: { lock: textStatement(lock.sql, lock.params), steps: job.steps } },
        [plan.direction, plan.target],
        {
          onLine: (line) => job.log.info(line),
          onEvent: (event) => {
            if (event.e === "start") {
              run.last = keyOf(event.direction, event.revision);
              run.startedAt.set(run.last, Date.now());
            } else if (event.e === "applied") {
              run.applied.set(keyOf(event.direction, event.revision), event.ms);
            }
          },
        },
      );
    } catch (e) {
      if (!(e instanceof RetortError) || e.code === "usage") throw e;
      run.failure = e;
    }
  });
  return run;
}

/** Alembic finished: the version table must hold what the plan leads to; a step Alembic ran
 *  without retort's hook gets its history row now. */
async function succeeded(
  plan: Plan,
  run: AlembicRun,
  rows: readonly string[],
  ctx: { readonly store: StateStore; readonly log: Logger; readonly rowOf: (step: PlanStep, ms: number, error: string | null) => HistoryRow },
): Promise<StepOutcome[]> {
  if (!same(rows, plan.headsAfter)) {
    throw new RetortError(
      "state",
      `Alembic finished, but the version table holds ${rows.join(", ") || "no rows"} where the plan leads to ${plan.headsAfter.join(", ") || "base"}. Check it with 'retort current'.`,
    );
  }
  const outcomes: StepOutcome[] = [];
  for (const step of plan.steps) {
    const ms = run.applied.get(keyOf(step.direction, step.revision.id));
    if (ms === undefined) {
      // env.py ran Alembic's steps past EnvironmentContext.configure (its own
      // MigrationContext): the version table says they took effect, so their rows come now.
      ctx.log.warn(`${step.revision.id}: Alembic ran it without retort's hook (does env.py call context.configure?); its history row is written afterwards`);
      await ctx.store.appendHistory(ctx.rowOf(step, 0, null));
    }
    outcomes.push({ step, durationMs: ms ?? 0, statements: 0 });
  }
  return outcomes;
}
