// The runner: lock → read the version table → plan → run each step (its SQL, its version-table
// change and its history row together) → unlock. It composes the pure core with one Driver and
// never asks which database it talks to; each of its jobs is a file of its own: the deploy lock
// (lock.ts), the state and drift before a run (drift.ts), running a plan (execute.ts, with its
// two strategies fused.ts and apart.ts, and failure.ts for what a failure says), and the admin
// commands (admin.ts).

import type { RevisionGraph } from "../core/graph.js";
import type { Plan } from "../core/plan.js";
import type { Driver } from "../db/driver.js";
import { resolve, stamp } from "./admin.js";
import type { Logger, RunContext, RunSettings, StepOutcome } from "./context.js";
import { enforceDrift, readState, type DatabaseState, type Drift } from "./drift.js";
import { executePlan } from "./execute.js";
import { DeployLock } from "./lock.js";
import { RoundTrips } from "./round-trip.js";
import { StateStore } from "./state.js";

export type { DriftPolicy, Identity, Logger, RunSettings, StepOutcome, TransactionMode } from "./context.js";
export type { DatabaseState, Drift } from "./drift.js";

export class Runner {
  readonly driver: Driver;
  readonly graph: RevisionGraph;
  readonly settings: RunSettings;
  readonly store: StateStore;
  private readonly ctx: RunContext;
  private readonly lock: DeployLock;

  constructor(driver: Driver, graph: RevisionGraph, settings: RunSettings, log: Logger) {
    this.driver = driver;
    this.graph = graph;
    this.settings = settings;
    this.store = new StateStore(driver, settings.versionTable, settings.historyTable, graph);
    this.ctx = { driver, graph, settings, store: this.store, log, trips: new RoundTrips(driver, this.store) };
    this.lock = new DeployLock(this.ctx);
  }

  /** Runs `fn` holding the deploy lock of this version table; waits up to the lock timeout. */
  withLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.lock.withLock(fn);
  }

  /** Runs `fn` while a client of its own (Alembic's connection) does the work instead of the
   *  main connection, with the key of the work lock to take there (see DeployLock). */
  handOverWork<T>(fn: (key: string) => Promise<T>): Promise<T> {
    return this.lock.handOverWork(fn);
  }

  /** The current heads (checked against the graph) and drift. Reads only. */
  readState(): Promise<DatabaseState> {
    return readState(this.ctx);
  }

  /** Reports drift; with `--on-drift fail`, refuses to go on. */
  enforceDrift(drift: readonly Drift[]): void {
    enforceDrift(this.ctx, drift);
  }

  /** Runs the steps of `plan`; on failure records it and throws a "migration-failed" error
   *  that says where the database stands. */
  execute(plan: Plan): Promise<StepOutcome[]> {
    return executePlan(this.ctx, plan);
  }

  /** `resolve REV --applied|--rolled-back` (see admin.ts). */
  resolve(revision: string, applied: boolean): Promise<string> {
    return resolve(this.ctx, revision, applied);
  }

  /** `stamp` (see admin.ts). */
  stamp(targets: readonly string[], purge: boolean): Promise<{ before: string[]; after: string[] }> {
    return stamp(this.ctx, targets, purge);
  }
}
