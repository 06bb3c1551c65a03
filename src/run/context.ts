// What every part of a run works with, as one object: the driver, the graph, the settings, the
// state store and the log; and the types the front ends read.

import type { RevisionGraph } from "../core/graph.js";
import type { PlanStep } from "../core/plan.js";
import { runningLine } from "../core/render-sql.js";
import type { Statement, VersionTable } from "../core/sql.js";
import type { Driver } from "../db/driver.js";
import type { RoundTrips } from "./round-trip.js";
import { stepHistoryRow } from "./history.js";
import type { HistoryRow, StateStore } from "./state.js";

export type TransactionMode = "per-revision" | "all";
export type DriftPolicy = "warn" | "fail";

/** Who runs this, recorded in every history row. */
export interface Identity {
  readonly actor: string | null;
  readonly commitSha: string | null;
  readonly runUrl: string | null;
  readonly retortVersion: string;
}

export interface RunSettings {
  /** The migrations directory, for messages. */
  readonly migrations: string;
  readonly versionTable: VersionTable;
  readonly historyTable: string;
  /** How long to wait for another deploy's lock, in seconds. */
  readonly lockTimeoutSeconds: number;
  readonly onDrift: DriftPolicy;
  /** PostgreSQL: one transaction per revision (default) or one around the whole run. */
  readonly transaction: TransactionMode;
  readonly identity: Identity;
}

export interface Logger {
  info(line: string): void;
  warn(line: string): void;
}

export interface StepOutcome {
  readonly step: PlanStep;
  readonly durationMs: number;
  readonly statements: number;
}

/** One runner's parts, handed to each of its jobs. */
export interface RunContext {
  readonly driver: Driver;
  readonly graph: RevisionGraph;
  readonly settings: RunSettings;
  readonly store: StateStore;
  readonly log: Logger;
  /** The main connection's round trips (they remember what revisions left in the session). */
  readonly trips: RoundTrips;
}

/** A plan step with its statements, where the database stood before it, and its
 *  server-checked version change when it can run fused (see fused.ts). */
export interface Unit {
  readonly step: PlanStep;
  readonly statements: Statement[];
  readonly checked: string | null;
}

/** The history row of `step` in this run. */
export function historyRow(ctx: RunContext, step: PlanStep, durationMs: number, error: string | null, failedStatement: number | null): HistoryRow {
  return stepHistoryRow(step, ctx.settings.identity, durationMs, error, failedStatement);
}

/** The started row of `step` (success NULL), in SQL. */
export function startedRowSql(ctx: RunContext, step: PlanStep): string {
  return ctx.store.historyInsertSql({ ...historyRow(ctx, step, 0, null, 1), success: null });
}

/** A history table that refuses a failure's row is a warning, not a second failure. */
export function unrecorded(log: Logger): (err: unknown) => void {
  return (err) => log.warn(`could not record the failure in the history table: ${(err as Error).message}`);
}

/** Writes a failure's history row on its own (see unrecorded). */
export async function recordFailure(ctx: RunContext, row: HistoryRow): Promise<void> {
  await ctx.store.appendHistory(row).catch(unrecorded(ctx.log));
}

/** Logs a step that ran, like Alembic's "Running upgrade A -> B". */
export function stepRan(ctx: RunContext, step: PlanStep, durationMs: number, statements: number): StepOutcome {
  ctx.log.info(`Running ${runningLine(step)}, ${step.revision.message} ... ${durationMs} ms`);
  return { step, durationMs, statements };
}
