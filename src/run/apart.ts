// The step-by-step strategy, a round trip per statement, for every step that cannot run fused:
// a driver without a fused protocol (MySQL: no anonymous block to check the version change
// with), a `transaction: false` revision where DDL is transactional (outside any transaction,
// recorded as started before it runs), and every step of `--transaction all`.

import { RetortError } from "../core/errors.js";
import { historyRow, recordFailure, stepRan, unrecorded, type RunContext, type StepOutcome } from "./context.js";
import { apartOwnFailureState, bookkeepingFailure, migrationFailure, type FailedStep, type FailureEffect } from "./failure.js";
import { ScriptFailure } from "./round-trip.js";
import type { HistoryRow } from "./state.js";

/** With --transaction all, the run's one transaction, and what its rollback must say. */
export class RunTransaction {
  /** The heads as last committed. */
  committed: readonly string[];
  /** The transaction:false revisions whose statements ran outside the transaction since. */
  ranOutside: string[] = [];
  /** A failure's history row, written once the whole run is rolled back. */
  pendingFailure: HistoryRow | null = null;
  constructor(headsBefore: readonly string[]) {
    this.committed = headsBefore;
  }
}

export interface ApartStep extends FailedStep {
  /** The step runs in a transaction: DDL is transactional and its section allows one. */
  readonly transactional: boolean;
  /** With --transaction all, the run's transaction; null: the step has its own, or none. */
  readonly run: RunTransaction | null;
}

/** How far a step run apart got. */
interface Progress {
  /** Recorded as started before it runs (see runApart). */
  readonly tracked: boolean;
  readonly started: number;
  /** The statement running (1-based), or the last one that ran. */
  index: number;
  /** A transaction of the step's own is open. */
  open: boolean;
  /** Every statement ran. */
  ran: boolean;
}

export async function runApart(ctx: RunContext, job: ApartStep): Promise<StepOutcome> {
  const { store } = ctx;
  const { step, statements } = job;
  // A revision that cannot run inside a transaction is recorded as started before it runs, so
  // that a run killed half-way is found and explained by the next one.
  const p: Progress = { tracked: !job.transactional && statements.length > 0, started: Date.now(), index: 0, open: false, ran: false };
  try {
    if (p.tracked) await store.appendHistory({ ...historyRow(ctx, step, 0, null, 1), success: null });
    await opening(ctx, job, p);
    for (const s of statements) {
      p.index++;
      if (p.tracked && p.index > 1) await store.markReached(step.revision.id, p.index);
      await ctx.trips.send([{ sql: s.sql, unit: 0, statement: p.index, own: null, reached: p.index - 1 }]);
    }
    p.ran = true;
    await closing(ctx, job, p);
  } catch (caught) {
    return failed(ctx, job, p, caught);
  }
  return stepRan(ctx, step, Date.now() - p.started, statements.length);
}

async function opening(ctx: RunContext, job: ApartStep, p: Progress): Promise<void> {
  const { run, step } = job;
  if (run && !step.section.transaction) {
    // Like Alembic's autocommit_block: commit what came before, run outside, begin again.
    await ctx.driver.commit();
    run.committed = job.headsBefore;
    run.ranOutside = [];
  } else if (!run && job.transactional) {
    p.open = true;
    await ctx.driver.begin();
  }
}

async function closing(ctx: RunContext, job: ApartStep, p: Progress): Promise<void> {
  const { driver, store } = ctx;
  const { run, step, statements } = job;
  const rev = step.revision;
  if (run && !step.section.transaction) {
    run.ranOutside = [rev.id];
    await driver.begin();
  } else if (!run && !p.open) {
    // The version row and the history row still change together.
    await driver.begin();
    p.open = true;
  }
  for (const change of step.versionChanges) await store.applyChange(change);
  const row = historyRow(ctx, step, Date.now() - p.started, null, null);
  if (p.tracked) {
    await store.finishHistory(rev.id, true, row.durationMs ?? 0, null, null);
    if (p.open) await driver.commit();
  } else if (p.open) {
    // The history row and COMMIT in one round trip: an error stops before the COMMIT.
    await ctx.trips.send([
      { sql: store.historyInsertSql(row), unit: 0, statement: null, own: store.statements.historyRow, reached: statements.length },
      { sql: "COMMIT", unit: 0, statement: null, own: null, reached: statements.length },
    ]);
  } else {
    await store.appendHistory(row);
  }
  p.open = false;
}

/** Rolls back what is open, records the failure and throws the error that explains it. */
async function failed(ctx: RunContext, job: ApartStep, p: Progress, caught: unknown): Promise<never> {
  const { store } = ctx;
  const { run, step, statements } = job;
  if (p.open) await ctx.driver.rollback().catch(() => undefined);
  const own = caught instanceof ScriptFailure ? (caught.piece?.own ?? null) : null;
  const e = caught instanceof ScriptFailure ? caught.error : caught;
  const bookkeeping = (e instanceof RetortError && e.code === "bookkeeping") || own !== null;
  const failedAt = p.index > 0 && p.index <= statements.length && !p.ran && !(e instanceof RetortError) && own === null ? p.index : null;
  const message = e instanceof Error ? e.message : String(e);
  // The failure is history too; it is written after the rollback, on its own (with
  // --transaction all, once the whole run is rolled back).
  const row = historyRow(ctx, step, Date.now() - p.started, message, failedAt);
  if (p.tracked && !(bookkeeping && p.ran)) {
    await store
      .finishHistory(step.revision.id, false, row.durationMs ?? 0, message, failedAt)
      .catch(unrecorded(ctx.log));
  } else if (run) run.pendingFailure = row;
  else if (!p.tracked) await recordFailure(ctx, row);
  if (bookkeeping) {
    const state = apartOwnFailureState(job, run ? "run-rolled-back" : job.transactional ? "rolled-back" : "took-effect", p.ran);
    const error = own ? store.ownFailure(own, e, state) : new RetortError("bookkeeping", state ? `${message} ${state}` : message, { cause: e });
    throw bookkeepingFailure(step, error, e);
  }
  throw migrationFailure(job, failedAt, e, effect(job));
}

/** A transaction:false revision's statements ran outside the run's transaction. */
function effect(job: ApartStep): FailureEffect {
  if (job.run) return job.step.section.transaction ? "run-rolled-back" : "took-effect";
  return job.transactional ? "rolled-back" : "took-effect";
}
