// The fused strategy: each statement of a step travels with retort's bookkeeping, built by the
// driver's protocol (db/protocol.ts), and the version change is checked on the server, so that
// nothing waits for a reply in between. Several steps of one statement at most share one round
// trip (see batchEnd), each still its own transaction, exactly as if sent one after the other.
// The server stops at the first error; which piece failed says which step and statement, and
// the steps before it stand.

import type { PlanStep } from "../core/plan.js";
import { runningLine } from "../core/render-sql.js";
import type { Statement } from "../core/sql.js";
import { DatabaseError, type Driver } from "../db/driver.js";
import type { FusedProtocol, FusedStep } from "../db/protocol.js";
import { historyRow, recordFailure, startedRowSql, stepRan, type RunContext, type StepOutcome, type Unit } from "./context.js";
import { bookkeepingFailure, migrationFailure, ownFailureState, type FailedStep } from "./failure.js";
import { ScriptFailure, type Piece } from "./round-trip.js";
import type { HistoryRow } from "./state.js";

/** At most this many revisions, and about this much SQL, share one round trip (batchEnd). */
const BATCH_STEPS = 50;
const BATCH_BYTES = 64 * 1024;

export type FusedUnit = Unit & { readonly checked: string };

/** Fused units sent together: where the database stood before the first, whether the first
 *  one's start is recorded already (FusedProtocol.recordsNextStart), and the fused step after
 *  the last, whose start the last may record. */
export interface FusedBatch {
  readonly units: readonly FusedUnit[];
  readonly headsBefore: readonly string[];
  readonly startRecorded: boolean;
  readonly next: PlanStep | null;
}

/** The server-checked version change of `step` when it can run fused: the driver has a
 *  protocol and the protocol fuses the step's section. */
export function fusedCheck(ctx: RunContext, step: PlanStep): string | null {
  const protocol = ctx.driver.protocol;
  if (!protocol || !protocol.fuses(step.section)) return null;
  return protocol.checkedChanges(ctx.store.checkedChanges(step.versionChanges));
}

/** Where consecutive fused steps of one statement at most start to share round trips: up to
 *  BATCH_STEPS of them, BATCH_BYTES of SQL. Returns the end of the run starting at `i`. A
 *  statement that changes how the server reads text ends its batch where the server reads a
 *  whole round trip before running it (PostgreSQL): what follows is read as in psql. */
export function batchEnd(driver: Driver, units: readonly Unit[], i: number): number {
  let end = i;
  let bytes = 0;
  while (end < units.length && end - i < BATCH_STEPS) {
    const u = units[end]!;
    if (u.checked === null || u.statements.length > 1) break;
    bytes += u.step.section.sql.length;
    if (end > i && bytes > BATCH_BYTES) break;
    end++;
    if (driver.parsesWholeScript && u.statements.some((s) => driver.changesParsing(s.sql))) break;
  }
  return Math.max(end, i + 1);
}

function protocolOf(ctx: RunContext): FusedProtocol {
  const protocol = ctx.driver.protocol;
  if (!protocol) throw new Error("fused steps on a driver without a protocol");
  return protocol;
}

/** The batch's steps, in as few round trips as they allow: several one-statement steps in
 *  one, or a step's statements one per trip. */
export async function runFused(ctx: RunContext, batch: FusedBatch): Promise<StepOutcome[]> {
  const { units } = batch;
  const started = Date.now();
  const trips: Piece[][] =
    units.length > 1
      ? [units.flatMap((_, k) => pieces(ctx, batch, k, 0))]
      : Array.from({ length: Math.max(1, units[0]!.statements.length) }, (_, i) => pieces(ctx, batch, 0, i));
  for (const trip of trips) {
    try {
      await ctx.trips.send(trip);
    } catch (e) {
      if (!(e instanceof ScriptFailure)) throw e;
      if (e.piece === null && !e.earlierRan && units.length > 1) {
        // The server rejected the whole text without saying where (PostgreSQL parses it
        // first): none of it ran, so each step runs on its own and the failing one fails alone.
        return runEach(ctx, batch);
      }
      // One step's round trip holds at most one of its statements.
      const piece = e.piece ?? (units.length === 1 ? (trip.find((p) => p.statement !== null) ?? null) : null);
      return fusedFailure(ctx, batch, started, new ScriptFailure(piece, e.earlierRan, e.error));
    }
  }
  if (units.length === 1) return [stepRan(ctx, units[0]!.step, Date.now() - started, units[0]!.statements.length)];
  // The server measured each step; one query reads the durations back.
  const durations = await ctx.store.recentDurations(units.length + 1).catch(() => new Map<string, number>());
  return units.map(({ step, statements }) => stepRan(ctx, step, durations.get(step.revision.id) ?? 0, statements.length));
}

/** The steps before the `k`th of the batch, or all of them, each in round trips of its own. */
async function runEach(ctx: RunContext, batch: FusedBatch, k = batch.units.length): Promise<StepOutcome[]> {
  const outcomes: StepOutcome[] = [];
  for (let j = 0; j < k; j++) outcomes.push(...(await runFused(ctx, single(batch, j))));
  return outcomes;
}

/** The `k`th unit of the batch as a batch of its own. */
function single(batch: FusedBatch, k: number): FusedBatch {
  return { units: [batch.units[k]!], headsBefore: headsBefore(batch, k), startRecorded: k > 0 || batch.startRecorded, next: batch.units[k + 1]?.step ?? batch.next };
}

function headsBefore(batch: FusedBatch, k: number): readonly string[] {
  return k === 0 ? batch.headsBefore : batch.units[k - 1]!.step.headsAfter;
}

/** The pieces of round trip `i` (its statement i + 1) of the batch's `k`th unit. */
function pieces(ctx: RunContext, batch: FusedBatch, k: number, i: number): Piece[] {
  const u = batch.units[k]!;
  const own = ctx.store.statements;
  const next = batch.units[k + 1]?.step ?? batch.next;
  const context = { startRecorded: k > 0 || batch.startRecorded, next: next && fusedStep(ctx, next, [], "") };
  return protocolOf(ctx)
    .trip(fusedStep(ctx, u.step, u.statements, u.checked), i, context)
    .map((p) => ({ sql: p.sql, unit: k, statement: p.statement, own: p.role === null ? null : own[p.role], reached: p.reached }));
}

/** A step's statements and retort's bookkeeping for it, for the driver's protocol. */
function fusedStep(ctx: RunContext, step: PlanStep, statements: readonly Statement[], checked: string): FusedStep {
  const { store } = ctx;
  return {
    statements: statements.map((s) => s.sql),
    checked,
    finishedRow: (durationSql) => store.historyInsertSql(historyRow(ctx, step, 0, null, null), { durationSql }),
    startedRow: () => startedRowSql(ctx, step),
    reached: (statement) => store.reachedSql(step.revision.id, statement),
    finishStarted: (durationSql) => store.finishHistorySql(step.revision.id, durationSql),
  };
}

/** After a fused round trip failed: the steps before the failing one stand (and are run now
 *  where the server ran none of the text), the failing one is recorded and explained. */
async function fusedFailure(ctx: RunContext, batch: FusedBatch, started: number, failure: ScriptFailure): Promise<never> {
  await ctx.driver.rollback().catch(() => undefined);
  const k = await failingUnit(ctx, batch, failure);
  if (!failure.earlierRan && k > 0) {
    // PostgreSQL rejected the whole text while parsing it, so none of it ran: the steps
    // before the one it names run now, and only that one fails.
    await runFused(ctx, { ...batch, units: batch.units.slice(0, k), next: batch.units[k]!.step });
  } else {
    for (const done of batch.units.slice(0, k)) ctx.log.info(`Running ${runningLine(done.step)}, ${done.step.revision.message} ... done`);
  }
  const { step, statements } = batch.units[k]!;
  const failed: FailedStep = { step, statements, headsBefore: headsBefore(batch, k) };
  const e = failure.error;
  const mismatch = e instanceof DatabaseError ? ctx.store.checkedChangeFailure(e.message, step.versionChanges) : null;
  const elapsed = Date.now() - started;
  if (!mismatch && failure.piece?.own) return ownStatementFailed(ctx, failed, failure, elapsed);
  const failedAt = mismatch ? null : (failure.piece?.statement ?? null);
  const statement = failedAt ?? (statements.length > 0 && failure.piece === null ? 1 : null);
  const message = (mismatch ?? (e as Error)).message ?? String(e);
  await recordFusedFailure(ctx, historyRow(ctx, step, elapsed, message, statement));
  throw migrationFailure(failed, statement, mismatch ?? e, protocolOf(ctx).atomic ? "rolled-back" : "took-effect");
}

/** Which unit of the batch failed: the one the failing piece belongs to, or where the driver
 *  could not tell which statement, the one the version table says the batch got to. */
async function failingUnit(ctx: RunContext, batch: FusedBatch, failure: ScriptFailure): Promise<number> {
  if (failure.piece) return failure.piece.unit;
  const heads = await ctx.store.readHeads().catch(() => null);
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((h) => b.includes(h));
  return Math.max(0, heads ? batch.units.findIndex((_, i) => same(headsBefore(batch, i), heads)) : 0);
}

/** One of retort's own statements failed, not the revision's. */
async function ownStatementFailed(ctx: RunContext, failed: FailedStep, failure: ScriptFailure, elapsed: number): Promise<never> {
  const { store } = ctx;
  const own = failure.piece!.own!;
  const reached = failure.piece!.reached;
  const atomic = protocolOf(ctx).atomic;
  const error = store.ownFailure(own, failure.error, ownFailureState(failed, reached, atomic));
  // Where statements took effect, the started row stays unfinished: the next run asks what
  // to do. Elsewhere the failure is recorded, unless the history table itself refused.
  if ((atomic || reached === 0) && own.table !== store.statements.historyRow.table) {
    await recordFusedFailure(ctx, historyRow(ctx, failed.step, elapsed, error.message, null));
  }
  throw bookkeepingFailure(failed.step, error, failure.error);
}

/** A fused step's failure, recorded after its rollback: where the protocol started its row
 *  first, by finishing that row (when it got that far), else as a row of its own. */
async function recordFusedFailure(ctx: RunContext, row: HistoryRow): Promise<void> {
  const finished =
    !protocolOf(ctx).atomic &&
    (await ctx.store.finishHistory(row.revision!, false, row.durationMs ?? 0, row.errorMessage, row.failedStatement).catch(() => false));
  if (!finished) await recordFailure(ctx, row);
}
