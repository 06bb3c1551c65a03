// The runner: lock → read the version table → plan → run each step (its SQL, its version-table
// change and its history row together) → unlock. It composes the pure core with one Driver and
// never asks which database it talks to.

import { RetortError, type FileLocation } from "../core/errors.js";
import type { RevisionGraph } from "../core/graph.js";
import { planDowngrade, planUpgrade, requireNativeSql, type Plan, type PlanStep, type VersionChange } from "../core/plan.js";
import { runningLine } from "../core/render-sql.js";
import type { Statement, VersionTable } from "../core/sql.js";
import { Resolver } from "../core/target.js";
import { DatabaseError, type Driver } from "../db/driver.js";
import type { FusedStep } from "../db/protocol.js";
import { checksum } from "./checksum.js";
import { StateStore, type HistoryRow, type OwnStatement } from "./state.js";

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

/** A revision the database went through whose SQL has changed since. */
export interface Drift {
  readonly revision: string;
  readonly path: string;
  readonly appliedAt: string;
  readonly appliedChecksum: string;
  readonly currentChecksum: string;
}

export interface DatabaseState {
  readonly heads: readonly string[];
  readonly drift: readonly Drift[];
}

export interface StepOutcome {
  readonly step: PlanStep;
  readonly durationMs: number;
  readonly statements: number;
}

const POLL_MS = 250;
/** At most this many revisions, and about this much SQL, share one round trip (runBatch). */
const BATCH_STEPS = 50;
const BATCH_BYTES = 64 * 1024;

/** A plan step with its statements, and its server-checked version change when it can run
 *  fused (runFused). */
interface Unit {
  readonly step: PlanStep;
  readonly statements: Statement[];
  readonly checked: string | null;
}
type FusedUnit = Unit & { readonly checked: string };

/** One statement of a round trip: the revision's (`statement`, 1-based, in its section), or one
 *  of retort's own (`own`, for the error when it fails; null for the BEGIN and COMMIT around a
 *  revision, whose failure is the revision's). `unit` indexes the steps sent together. */
interface Piece {
  readonly sql: string;
  readonly unit: number;
  readonly statement: number | null;
  readonly own: OwnStatement | null;
  /** How many of the unit's statements have run when this piece runs. */
  readonly reached: number;
}

/** A round trip that failed, and the piece the server rejected (null when it cannot tell). */
class ScriptFailure extends Error {
  readonly piece: Piece | null;
  readonly earlierRan: boolean;
  readonly error: unknown;
  constructor(piece: Piece | null, earlierRan: boolean, error: unknown) {
    super(error instanceof Error ? error.message : String(error));
    this.piece = piece;
    this.earlierRan = earlierRan;
    this.error = error;
  }
}

export class Runner {
  readonly driver: Driver;
  readonly graph: RevisionGraph;
  readonly settings: RunSettings;
  readonly store: StateStore;
  private readonly log: Logger;

  constructor(driver: Driver, graph: RevisionGraph, settings: RunSettings, log: Logger) {
    this.driver = driver;
    this.graph = graph;
    this.settings = settings;
    this.store = new StateStore(driver, settings.versionTable, settings.historyTable, graph);
    this.log = log;
  }

  /** Runs `fn` holding the deploy lock of this version table; waits up to the lock timeout. */
  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const schema = await this.store.schema();
    const key = `retort:${schema}.${this.settings.versionTable.table}`;
    const deadline = Date.now() + this.settings.lockTimeoutSeconds * 1000;
    let announced = false;
    // Where no other process can open the database, there is nobody to lock out.
    while (this.driver.sharedLock && !(await this.driver.tryLock(key))) {
      const holder = await this.driver.lockHolder(key);
      const who = holder
        ? `pid ${holder.pid}${holder.application ? `, '${holder.application}'` : ""}${holder.since ? `, since ${holder.since}` : ""}`
        : "another session";
      if (Date.now() >= deadline) {
        throw new RetortError(
          "lock-timeout",
          `Another deploy holds the migration lock on ${this.driver.target} (${who}); waited ` +
            `${this.settings.lockTimeoutSeconds} s. Let it finish, or raise --lock-timeout.`,
        );
      }
      if (!announced) {
        this.log.info(`Waiting for the migration lock held by ${who} ...`);
        announced = true;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    try {
      await this.waitForOrphanedWork(`${key}:work`, deadline);
      this.workKey = `${key}:work`;
      try {
        return await fn();
      } finally {
        this.workKey = null;
        await this.driver.unlock(`${key}:work`, "main").catch(() => undefined);
      }
    } finally {
      await this.driver.unlock(key).catch(() => undefined);
    }
  }

  /** The work lock's key while withLock runs. */
  private workKey: string | null = null;
  /** A revision statement that may have created a temporary table has run (see send). */
  private hidingArmed = false;

  /** Runs `fn` while a client of its own (Alembic's connection) does the work instead of the
   *  main connection: the work lock is released from the main connection, `fn` gets its key to
   *  take on that client's connection, and afterwards the main connection takes it back,
   *  waiting (as the next run would, see waitForOrphanedWork) until nothing that client sent
   *  still runs. Only inside withLock; the deploy lock keeps every other run out meanwhile. */
  async handOverWork<T>(fn: (key: string) => Promise<T>): Promise<T> {
    const key = this.workKey;
    if (key === null) throw new Error("handOverWork outside withLock");
    await this.driver.unlock(key, "main");
    let failed = false;
    try {
      return await fn(key);
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      const back = this.takeBackWork(key);
      // fn's own failure says more than a lock that could not be taken back after it.
      if (failed) await back.catch(() => undefined);
      else await back;
    }
  }

  /** The client that had the work lock has just ended; the server lets go of its session a
   *  moment later, which is not worth a message. */
  private async takeBackWork(key: string): Promise<void> {
    for (const quiet = Date.now() + 2000; Date.now() < quiet; ) {
      if (await this.driver.tryLock(key, "main")) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.waitForOrphanedWork(key, Date.now() + this.settings.lockTimeoutSeconds * 1000);
  }

  /** The connection that does the work holds a lock of its own. A killed run's lock connection
   *  goes away with the process at once, but the server may still be running what its main
   *  connection sent (a revision and its COMMIT travel together): the next run waits here until
   *  that has finished, so it never reads a state that is about to change. */
  private async waitForOrphanedWork(key: string, deadline: number): Promise<void> {
    let announced = false;
    while (!(await this.driver.tryLock(key, "main"))) {
      const holder = await this.driver.lockHolder(key);
      const who = holder ? `server session ${holder.pid}` : "a server session";
      if (Date.now() >= deadline) {
        throw new RetortError(
          "lock-timeout",
          `A run that has ended left statements running on ${this.driver.target} (${who}); waited ` +
            `${this.settings.lockTimeoutSeconds} s for them to finish. Let them finish, raise --lock-timeout, or end that session` +
            `${holder ? ` (${this.driver.endSessionStatement(holder.pid)})` : ""}; ` +
            `the next run then explains where the database stands.`,
        );
      }
      if (!announced) {
        this.log.info(`Waiting for the statements a previous run left running (${who}) to finish ...`);
        announced = true;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** The current heads (checked against the graph) and drift. Reads only. */
  async readState(): Promise<DatabaseState> {
    const heads = await this.store.readKnownHeads(this.graph, this.settings.migrations);
    const unfinished = await this.store.unfinished();
    if (unfinished.length > 0) {
      const u = unfinished[0]!;
      const rev = this.graph.nodeOf(u.revision) !== undefined ? this.graph.revisions[this.graph.nodeOf(u.revision)!]! : null;
      throw new RetortError(
        "state",
        `Revision ${u.revision}${rev ? ` (${rev.path})` : ""} started to ${u.direction === "down" ? "downgrade" : "upgrade"} on ${u.startedAt}` +
          `${u.actor ? ` by ${u.actor}` : ""} and never finished${u.statement ? ` (it had reached statement ${u.statement})` : ""}: ` +
          `this database cannot undo DDL, so some of its statements may have taken effect. Check the database, then run ` +
          `'retort resolve ${u.revision} --applied' (finish it by hand first if needed) or 'retort resolve ${u.revision} --rolled-back'.`,
      );
    }
    const applied = this.graph.ancestors(heads.map((h) => this.graph.nodeOf(h)!));
    const recorded = await this.store.appliedChecksums();
    const drift: Drift[] = [];
    for (const node of applied) {
      const rev = this.graph.revisions[node]!;
      const seen = recorded.get(rev.id);
      if (!seen) continue;
      // A Python revision's checksum is its file's (its SQL comes from Alembic).
      const now = checksum(rev.alembic?.text ?? rev.upgrade.sql);
      if (now !== seen.checksum) {
        drift.push({ revision: rev.id, path: rev.path, appliedAt: seen.changedAt, appliedChecksum: seen.checksum, currentChecksum: now });
      }
    }
    return { heads, drift };
  }

  /** Reports drift; with `--on-drift fail`, refuses to go on. */
  enforceDrift(drift: readonly Drift[]): void {
    for (const d of drift) {
      this.log.warn(`drift: ${d.revision} (${d.path}) changed since it was applied on ${d.appliedAt}`);
    }
    if (drift.length > 0 && this.settings.onDrift === "fail") {
      throw new RetortError(
        "check-failed",
        `${drift.length} applied revision(s) changed since they were applied (${drift.map((d) => d.revision).join(", ")}). ` +
          `Restore their SQL, or run with --on-drift warn.`,
      );
    }
  }

  /** Runs the steps of `plan`; on failure records it and throws a "migration-failed" error
   *  that says where the database stands. */
  async execute(plan: Plan): Promise<StepOutcome[]> {
    if (plan.steps.length === 0) return [];
    requireNativeSql(plan, "run");
    const ids = plan.steps.map((s) => s.revision.id);
    await this.store.ensureTables(ids);
    const all = this.settings.transaction === "all" && this.driver.transactionalDdl;
    const outcomes: StepOutcome[] = [];
    let heads = plan.headsBefore;
    this.committed = plan.headsBefore;
    this.ranOutside = [];
    if (all) await this.driver.begin();
    try {
      const units = plan.steps.map((step) => ({ step, statements: this.driver.splitStatements(step.section), checked: this.fusedCheck(step, all) }));
      for (let i = 0; i < units.length; ) {
        const end = this.batchEnd(units, i);
        // A fused MariaDB step has already recorded the start of the next one (see runFused).
        const startRecorded = i > 0 && units[i - 1]!.checked !== null && units[i]!.checked !== null && this.driver.protocol!.recordsNextStart;
        const next = units[end]?.checked ? units[end]!.step : null;
        const unit = units[i]!;
        outcomes.push(
          ...(unit.checked !== null
            ? await this.runFused(units.slice(i, end) as FusedUnit[], heads, next, startRecorded)
            : [await this.runStepApart(unit.step, unit.statements, all, this.driver.transactionalDdl && unit.step.section.transaction, heads)]),
        );
        heads = units[end - 1]!.step.headsAfter;
        i = end;
      }
      if (all) await this.driver.commit();
    } catch (e) {
      if (all) {
        await this.driver.rollback().catch(() => undefined);
        if (this.pendingFailure) await this.recordFailure(this.pendingFailure);
        this.pendingFailure = null;
        if (e instanceof RetortError && (e.code === "migration-failed" || e.code === "bookkeeping")) {
          // A transaction:false revision commits what came before it, and its own statements
          // take effect at once; the version table shows neither after the rollback.
          const stands = this.committed.join(", ") || "base";
          const outside = this.ranOutside.length
            ? ` The statements of ${this.ranOutside.join(", ")} (transaction:false) ran outside the transaction and took effect; the version table does not show them: check them, then 'retort stamp' the revision the database is at.`
            : "";
          const rolledBack = this.committed === plan.headsBefore ? "The whole run was rolled back" : "The run was rolled back to its last commit, before the transaction:false revision";
          throw new RetortError(e.code, `${e.message} ${rolledBack} (--transaction all): the database stays at ${stands}.${outside}`, {
            cause: e.cause,
            ...(e.location ? { location: e.location } : {}),
          });
        }
      }
      throw e;
    }
    return outcomes;
  }

  private pendingFailure: HistoryRow | null = null;
  /** With --transaction all: the heads as last committed, and the transaction:false revisions
   *  whose statements ran outside the transaction since (see execute's rollback). */
  private committed: readonly string[] = [];
  private ranOutside: string[] = [];

  private async recordFailure(row: HistoryRow): Promise<void> {
    await this.store
      .appendHistory(row)
      .catch((err: unknown) => this.log.warn(`could not record the failure in the history table: ${(err as Error).message}`));
  }

  /** The server-checked version change of `step` when it can run fused (see runFused). */
  private fusedCheck(step: PlanStep, all: boolean): string | null {
    const protocol = this.driver.protocol;
    if (all || !protocol || !protocol.fuses(step.section)) return null;
    return protocol.checkedChanges(this.store.checkedChanges(step.versionChanges));
  }

  /** Sends `pieces` in one round trip (Driver.script), with the session-mode switches the driver
   *  needs between retort's statements and the revision's; a failure names its piece. */
  private async send(pieces: readonly Piece[]): Promise<void> {
    const modes = this.driver.sessionModes;
    // From the first revision statement that may create a temporary table on, for the rest of
    // the session (the table lives as long as it).
    this.hidingArmed ||= pieces.some((p) => p.statement !== null && this.driver.mayCreateTemporaryTables(p.sql));
    const hiding = this.hidingArmed ? this.store.dropHidingSql : null;
    const sent: Piece[] = [];
    /** Back in retort's modes, and rid of temporary tables that would hide its own. */
    const ours = (unit: number, reached: number): Piece[] => [
      ...(modes ? [{ sql: modes.enter, unit, statement: null, own: this.store.statements.session, reached }] : []),
      ...(hiding ? [{ sql: hiding, unit, statement: null, own: this.store.statements.hiding, reached }] : []),
    ];
    let theirs: boolean | null = null;
    for (const piece of pieces) {
      const revision = piece.statement !== null;
      if (!revision && theirs === true) {
        sent.push(...ours(piece.unit, piece.reached));
        theirs = false;
      } else if (modes && revision !== theirs) {
        const switching = revision ? modes.leave : modes.enter;
        const last = sent[sent.length - 1];
        if (last?.own && /^SET /.test(last.sql) && /^SET /.test(switching)) {
          // One statement less per revision: `SET @retort_started = NOW(6), <leave>`.
          sent[sent.length - 1] = { ...last, sql: `${last.sql}, ${switching.slice(4)}`, own: this.store.statements.session };
        } else {
          sent.push({ sql: switching, unit: piece.unit, statement: null, own: this.store.statements.session, reached: piece.reached });
        }
        theirs = revision;
      }
      sent.push(piece);
    }
    if (pieces.some((p) => p.statement !== null)) this.store.revisionSqlRan();
    // Retort's statements sent on their own after this one see the same.
    const last = sent[sent.length - 1];
    if (last && theirs === true) sent.push(...ours(last.unit, last.reached + 1));
    try {
      await this.driver.script(sent.map((p) => p.sql));
    } catch (e) {
      // The failure is recorded next, by statements of retort's own.
      if (hiding && pieces.some((p) => p.statement !== null)) await this.driver.script(ours(0, 0).map((p) => p.sql)).catch(() => undefined);
      const index = e instanceof DatabaseError ? e.statement : null;
      throw new ScriptFailure(index === null ? null : (sent[index] ?? null), e instanceof DatabaseError ? e.earlierRan : true, e);
    }
  }

  /** Fused steps, in as few round trips as they allow: each statement travels with retort's
   *  bookkeeping, and the version change is checked on the server (`checked`), so nothing
   *  waits for a reply in between.
   *  - PostgreSQL: `BEGIN` goes with the first statement; the version change, the history row
   *    (its duration measured by the server) and `COMMIT` with the last.
   *  - MariaDB, where DDL commits at once: the revision's started row is committed before its
   *    first statement runs (by the previous revision's bookkeeping, or with the statement),
   *    the statement reached is recorded with each later statement, and the last one is
   *    followed by a transaction that checks the version change, finishes the history row
   *    and starts `next`'s, so a killed run is found and explained by the next one.
   *  Several steps of one statement at most share one round trip (see batchEnd), each still its
   *  own transaction, exactly as if sent one after the other. The server stops at the first
   *  error; which piece failed says which step and statement, and the steps before it stand. */
  private async runFused(units: readonly FusedUnit[], headsBefore: readonly string[], next: PlanStep | null, startRecorded: boolean): Promise<StepOutcome[]> {
    const started = Date.now();
    const trips: Piece[][] =
      units.length > 1
        ? [units.flatMap((u, k) => this.fusedPieces(u, k, 0, k > 0 || startRecorded, units[k + 1]?.step ?? next))]
        : Array.from({ length: Math.max(1, units[0]!.statements.length) }, (_, i) => this.fusedPieces(units[0]!, 0, i, startRecorded, next));
    for (const trip of trips) {
      try {
        await this.send(trip);
      } catch (e) {
        if (!(e instanceof ScriptFailure)) throw e;
        if (e.piece === null && !e.earlierRan && units.length > 1) {
          // The server rejected the whole text without saying where (PostgreSQL parses it
          // first): none of it ran, so each step runs on its own and the failing one fails alone.
          const outcomes: StepOutcome[] = [];
          for (let k = 0; k < units.length; k++) {
            outcomes.push(...(await this.runFused([units[k]!], k === 0 ? headsBefore : units[k - 1]!.step.headsAfter, units[k + 1]?.step ?? next, k > 0 || startRecorded)));
          }
          return outcomes;
        }
        // One step's round trip holds at most one of its statements.
        const piece = e.piece ?? (units.length === 1 ? (trip.find((p) => p.statement !== null) ?? null) : null);
        return this.fusedFailure(units, headsBefore, startRecorded, started, new ScriptFailure(piece, e.earlierRan, e.error));
      }
    }
    if (units.length === 1) return [this.finished(units[0]!.step, started, units[0]!.statements.length)];
    // The server measured each step; one query reads the durations back.
    const durations = await this.store.recentDurations(units.length + 1).catch(() => new Map<string, number>());
    return units.map(({ step, statements }) => this.ran(step, durations.get(step.revision.id) ?? 0, statements.length));
  }

  /** The pieces of round trip `i` (its statement i + 1) of unit `u`, the `k`th of its batch. */
  private fusedPieces(u: FusedUnit, k: number, i: number, startRecorded: boolean, next: PlanStep | null): Piece[] {
    const own = this.store.statements;
    return this.driver.protocol!.trip(this.fusedStep(u.step, u.statements, u.checked), i, { startRecorded, next: next && this.fusedStep(next, [], "") }).map((p) => ({
      sql: p.sql,
      unit: k,
      statement: p.statement,
      own: p.role === null ? null : own[p.role],
      reached: p.reached,
    }));
  }

  /** A step's statements and retort's bookkeeping for it, for the driver's protocol. */
  private fusedStep(step: PlanStep, statements: readonly Statement[], checked: string): FusedStep {
    const { store } = this;
    return {
      statements: statements.map((s) => s.sql),
      checked,
      finishedRow: (durationSql) => store.historyInsertSql(this.historyRow(step, 0, null, null), { durationSql }),
      startedRow: () => this.startedRowSql(step),
      reached: (statement) => store.reachedSql(step.revision.id, statement),
      finishStarted: (durationSql) => store.finishHistorySql(step.revision.id, durationSql),
    };
  }

  /** After a fused round trip failed: the steps before the failing one stand (and are run now
   *  where the server ran none of the text), the failing one is recorded and explained. */
  private async fusedFailure(
    units: readonly FusedUnit[],
    headsBefore: readonly string[],
    startRecorded: boolean,
    started: number,
    failure: ScriptFailure,
  ): Promise<never> {
    const { driver, store } = this;
    const atomic = driver.protocol!.atomic;
    await driver.rollback().catch(() => undefined);
    const before = (k: number) => (k === 0 ? headsBefore : units[k - 1]!.step.headsAfter);
    let k = failure.piece?.unit ?? null;
    if (k === null) {
      // The driver could not tell which statement: the version table tells how far it got.
      const heads = await store.readHeads().catch(() => null);
      const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((h) => b.includes(h));
      k = Math.max(0, heads ? units.findIndex((_, i) => same(before(i), heads)) : 0);
    }
    if (!failure.earlierRan && k > 0) {
      // PostgreSQL rejected the whole text while parsing it, so none of it ran: the steps
      // before the one it names run now, and only that one fails.
      await this.runFused(units.slice(0, k), headsBefore, units[k]!.step, startRecorded);
    } else {
      for (const done of units.slice(0, k)) this.log.info(`Running ${runningLine(done.step)}, ${done.step.revision.message} ... done`);
    }
    const { step, statements } = units[k]!;
    const rev = step.revision;
    const e = failure.error;
    const mismatch = e instanceof DatabaseError ? store.checkedChangeFailure(e.message, step.versionChanges) : null;
    const own = mismatch ? null : (failure.piece?.own ?? null);
    const elapsed = Date.now() - started;
    if (own) {
      // One of retort's own statements failed, not the revision's.
      const reached = failure.piece!.reached;
      const stands = before(k).join(", ") || "base";
      const state = atomic
        ? `The revision was rolled back: the database stays at ${stands}.`
        : reached === 0
          ? `Nothing of this revision ran; the version table stays at ${stands}.`
          : reached < statements.length
            ? `Statements 1 to ${reached} of this revision took effect; the version table stays at ${stands}.`
            : `The revision's statements took effect, but the version table stays at ${stands}: once that is fixed, run 'retort resolve ${rev.id} --applied'.`;
      const error = store.ownFailure(own, e, state);
      // Where statements took effect, the started row stays unfinished: the next run asks what
      // to do. Elsewhere the failure is recorded, unless the history table itself refused.
      if ((atomic || reached === 0) && own.table !== store.statements.historyRow.table) {
        await this.recordFusedFailure(this.historyRow(step, elapsed, error.message, null));
      }
      throw new RetortError("bookkeeping", `${step.direction} ${rev.id} (${rev.message}): ${error.message}`, { cause: e });
    }
    const failedAt = mismatch ? null : (failure.piece?.statement ?? null);
    const message = (mismatch ?? (e as Error)).message ?? String(e);
    await this.recordFusedFailure(this.historyRow(step, elapsed, message, failedAt ?? (statements.length > 0 && failure.piece === null ? 1 : null)));
    throw this.failure(step, statements, failedAt ?? (statements.length > 0 && failure.piece === null ? 1 : null), mismatch ?? e, atomic, before(k));
  }

  /** A fused step's failure, recorded after its rollback: on MariaDB by finishing its started
   *  row (when it got that far), else as a row of its own. */
  private async recordFusedFailure(row: HistoryRow): Promise<void> {
    const finished =
      !this.driver.protocol!.atomic &&
      (await this.store.finishHistory(row.revision!, false, row.durationMs ?? 0, row.errorMessage, row.failedStatement).catch(() => false));
    if (!finished) await this.recordFailure(row);
  }

  private startedRowSql(step: PlanStep): string {
    return this.store.historyInsertSql({ ...this.historyRow(step, 0, null, 1), success: null });
  }

  /** Where consecutive fused steps of one statement at most start to share round trips: up to
   *  BATCH_STEPS of them, BATCH_BYTES of SQL. Returns the end of the run starting at `i`. A
   *  statement that changes how the server reads text ends its batch where the server reads a
   *  whole round trip before running it (PostgreSQL): what follows is read as in psql. */
  private batchEnd(units: readonly Unit[], i: number): number {
    let end = i;
    let bytes = 0;
    while (end < units.length && end - i < BATCH_STEPS) {
      const u = units[end]!;
      if (u.checked === null || u.statements.length > 1) break;
      bytes += u.step.section.sql.length;
      if (end > i && bytes > BATCH_BYTES) break;
      end++;
      if (this.driver.parsesWholeScript && u.statements.some((s) => this.driver.changesParsing(s.sql))) break;
    }
    return Math.max(end, i + 1);
  }

  private finished(step: PlanStep, started: number, statements: number): StepOutcome {
    return this.ran(step, Date.now() - started, statements);
  }

  /** Logs a step that ran, like Alembic's "Running upgrade A -> B". */
  private ran(step: PlanStep, durationMs: number, statements: number): StepOutcome {
    this.log.info(`Running ${runningLine(step)}, ${step.revision.message} ... ${durationMs} ms`);
    return { step, durationMs, statements };
  }

  /** Every other case, a round trip per statement: MySQL (no anonymous blocks to check the
   *  version change with), `transaction: false` revisions on PostgreSQL (outside transactions
   *  where DDL commits at once, recorded as started before they run), `--transaction all`. */
  private async runStepApart(step: PlanStep, statements: Statement[], all: boolean, transactional: boolean, headsBefore: readonly string[]): Promise<StepOutcome> {
    const { driver, store } = this;
    const rev = step.revision;
    // A revision that cannot run inside a transaction is recorded as started before it runs, so
    // that a run killed half-way is found and explained by the next one.
    const tracked = !transactional && statements.length > 0;
    const started = Date.now();
    let index = 0;
    let open = false;
    let ran = false;
    try {
      if (tracked) await store.appendHistory({ ...this.historyRow(step, 0, null, 1), success: null });
      if (all && !step.section.transaction) {
        // Like Alembic's autocommit_block: commit what came before, run outside, begin again.
        await driver.commit();
        this.committed = headsBefore;
        this.ranOutside = [];
      } else if (!all && transactional) {
        open = true;
        await driver.begin();
      }
      for (const s of statements) {
        index++;
        if (tracked && index > 1) await store.markReached(rev.id, index);
        await this.send([{ sql: s.sql, unit: 0, statement: index, own: null, reached: index - 1 }]);
      }
      ran = true;
      if (all && !step.section.transaction) {
        this.ranOutside = [rev.id];
        await driver.begin();
      } else if (!all && !open) {
        // The version row and the history row still change together.
        await driver.begin();
        open = true;
      }
      for (const change of step.versionChanges) await store.applyChange(change);
      const row = this.historyRow(step, Date.now() - started, null, null);
      if (tracked) {
        await store.finishHistory(rev.id, true, row.durationMs ?? 0, null, null);
        if (open) await driver.commit();
      } else if (open) {
        // The history row and COMMIT in one round trip: an error stops before the COMMIT.
        await this.send([
          { sql: store.historyInsertSql(row), unit: 0, statement: null, own: store.statements.historyRow, reached: statements.length },
          { sql: "COMMIT", unit: 0, statement: null, own: null, reached: statements.length },
        ]);
      } else {
        await store.appendHistory(row);
        if (open) await driver.commit();
      }
      open = false;
    } catch (caught) {
      if (open) await driver.rollback().catch(() => undefined);
      const failed = caught instanceof ScriptFailure ? caught.piece : null;
      const e = caught instanceof ScriptFailure ? caught.error : caught;
      const own = failed?.own ?? null;
      const bookkeeping = (e instanceof RetortError && e.code === "bookkeeping") || own !== null;
      const failedAt = index > 0 && index <= statements.length && !ran && !(e instanceof RetortError) && own === null ? index : null;
      const message = e instanceof Error ? e.message : String(e);
      // The failure is history too; it is written after the rollback, on its own (with
      // --transaction all, once the whole run is rolled back).
      const row = this.historyRow(step, Date.now() - started, message, failedAt);
      if (tracked && !(bookkeeping && ran)) {
        await store
          .finishHistory(rev.id, false, row.durationMs ?? 0, message, failedAt)
          .catch((err: unknown) => this.log.warn(`could not record the failure in the history table: ${(err as Error).message}`));
      } else if (all) this.pendingFailure = row;
      else if (!tracked) await this.recordFailure(row);
      if (bookkeeping) {
        const stands = headsBefore.join(", ") || "base";
        // With --transaction all, execute() says where the rolled-back run leaves the database.
        const state = all
          ? ""
          : transactional
            ? `The revision was rolled back: the database stays at ${stands}.`
            : ran
              ? `The revision's statements took effect, but the version table stays at ${stands}: once that is fixed, run 'retort resolve ${rev.id} --applied'.`
              : `The version table stays at ${stands}.`;
        const error = own ? store.ownFailure(own, e, state) : new RetortError("bookkeeping", state ? `${message} ${state}` : message, { cause: e });
        throw new RetortError("bookkeeping", `${step.direction} ${rev.id} (${rev.message}): ${error.message}`, { cause: e });
      }
      // A transaction:false revision's statements ran outside the run's transaction.
      throw this.failure(step, statements, failedAt, e, all ? (step.section.transaction ? "run" : false) : transactional, headsBefore);
    }
    return this.finished(step, started, statements.length);
  }

  private failure(
    step: PlanStep,
    statements: Statement[],
    failedAt: number | null,
    e: unknown,
    /** "run": the whole run's transaction is rolled back, and execute() says where it stands. */
    rolledBack: boolean | "run",
    headsBefore: readonly string[],
  ): RetortError {
    if (e instanceof RetortError) return e;
    const rev = step.revision;
    const location = failedAt !== null ? locate(rev.path, statements[failedAt - 1]!, e) : { file: rev.path, line: step.section.line };
    const where = `${location.file}:${location.line}${location.column ? `:${location.column}` : ""}`;
    const reason = e instanceof Error ? e.message : String(e);
    const stands = headsBefore.join(", ") || "base (empty version table)";
    let state: string;
    if (rolledBack === "run") {
      state = "";
    } else if (rolledBack) {
      state = `The revision was rolled back: the database stays at ${stands}.`;
    } else if (failedAt !== null && failedAt > 1) {
      state =
        `Statements 1 to ${failedAt - 1} of this revision already took effect (this database commits DDL at once); ` +
        `the version table stays at ${stands}. Undo them by hand or fix the revision so it can run again.`;
    } else {
      state = `Nothing of this revision took effect; the version table stays at ${stands}.`;
    }
    return new RetortError(
      "migration-failed",
      `${step.direction} ${rev.id} (${rev.message}) failed at ${where}` +
        `${failedAt !== null ? ` (statement ${failedAt} of ${statements.length})` : ""}: ${reason}.${state ? ` ${state}` : ""}`,
      { cause: e, location },
    );
  }

  private historyRow(step: PlanStep, durationMs: number, error: string | null, failedStatement: number | null): HistoryRow {
    return stepHistoryRow(step, this.settings.identity, durationMs, error, failedStatement);
  }

  /** `resolve REV --applied|--rolled-back`: records the user's decision about a revision whose
   *  run never finished. Applied: the version table moves as the step would have moved it. */
  async resolve(revision: string, applied: boolean): Promise<string> {
    const open = (await this.store.unfinished()).find((u) => u.revision === revision);
    if (!open) throw new RetortError("usage", `Revision ${revision} has no unfinished run to resolve (see 'retort log').`);
    const heads = await this.store.readKnownHeads(this.graph, this.settings.migrations);
    await this.store.ensureTables([revision]);
    await this.driver.begin();
    try {
      if (applied) {
        const plan = open.direction === "down" ? planDowngrade(this.graph, heads, `${revision}-1`) : planUpgrade(this.graph, heads, revision);
        const step = plan.steps.find((s) => s.revision.id === revision);
        if (!step || plan.steps.length !== 1) {
          throw new RetortError("state", `Cannot mark ${revision} applied from ${heads.join(", ") || "base"}: it is not the next step.`);
        }
        for (const change of step.versionChanges) await this.store.applyChange(change);
      }
      const actor = this.settings.identity.actor ?? "a user";
      await this.store.finishRun(open.id, applied, `resolved by ${actor}: ${applied ? "applied" : "rolled back"}`);
      await this.driver.commit();
    } catch (e) {
      await this.driver.rollback().catch(() => undefined);
      throw e;
    }
    return `${revision}: recorded as ${applied ? "applied" : "rolled back"}; the database is at ${(await this.store.readHeads()).join(", ") || "base"}.\n`;
  }

  /**
   * `stamp`: sets the version table to `targets` without running any SQL. A current row on the
   * same line as a target (its ancestor or descendant) is replaced; other rows stay. `purge`
   * (or `base`) empties the table first.
   */
  async stamp(targets: readonly string[], purge: boolean): Promise<{ before: string[]; after: string[] }> {
    const resolver = new Resolver(this.graph);
    const nodes = [...new Set(targets.flatMap((t) => resolver.getRevisions(t)))];
    const before = purge ? await this.store.readHeads() : await this.store.readKnownHeads(this.graph, this.settings.migrations);
    // `base` names no revision: it empties the table, as in Alembic.
    const keep = purge || nodes.length === 0
      ? []
      : before.filter((h) => {
          const node = this.graph.nodeOf(h)!;
          return !nodes.some((t) => this.graph.sharesLineage(node, [t], true));
        });
    const after = [...keep, ...this.graph.ids(nodes)];
    const changes: VersionChange[] = [
      ...before.filter((h) => !after.includes(h)).map((h) => ({ op: "delete" as const, revision: h })),
      ...after.filter((h) => !before.includes(h)).map((h) => ({ op: "insert" as const, revision: h })),
    ];
    await this.store.ensureTables(after);
    await this.driver.begin();
    try {
      for (const c of changes) await this.store.applyChange(c);
      const downward = nodes.length === 0;
      await this.store.appendHistory({
        alembicVersion: after.join("##"),
        prevAlembicVersion: before.join("##"),
        operationType: "stamp",
        operationDirection: downward ? "down" : "up",
        userVersion: JSON.stringify({ user: this.settings.identity.actor, version: this.settings.identity.retortVersion }),
        changedAt: new Date(),
        revision: null,
        checksum: null,
        durationMs: 0,
        success: true,
        errorMessage: null,
        failedStatement: null,
        ...this.settings.identity,
      });
      await this.driver.commit();
    } catch (e) {
      await this.driver.rollback().catch(() => undefined);
      throw e;
    }
    return { before, after };
  }
}

/** The history row of one step. A Python revision's checksum is its file's (its SQL comes
 *  from Alembic); a native revision's is its section's. */
export function stepHistoryRow(step: PlanStep, identity: Identity, durationMs: number, error: string | null, failedStatement: number | null): HistoryRow {
  return {
    alembicVersion: step.to.join("##"),
    prevAlembicVersion: step.from.join("##"),
    operationType: "migration",
    operationDirection: step.direction === "upgrade" ? "up" : "down",
    userVersion: JSON.stringify({ user: identity.actor, version: identity.retortVersion }),
    changedAt: new Date(),
    revision: step.revision.id,
    checksum: checksum(step.revision.alembic?.text ?? step.section.sql),
    durationMs,
    success: error === null,
    errorMessage: error,
    failedStatement,
    ...identity,
  };
}

/** Where in the file a server error inside a statement is, when the server says. */
export function locate(path: string, statement: Statement, e: unknown): FileLocation {
  if (e instanceof DatabaseError && e.position !== null) {
    const before = statement.sql.slice(0, Math.max(0, e.position - 1));
    const lines = before.split("\n");
    return { file: path, line: statement.line + lines.length - 1, column: lines[lines.length - 1]!.length + 1 };
  }
  const m = e instanceof Error ? /at line (\d+)/.exec(e.message) : null;
  if (m) return { file: path, line: statement.line + Number(m[1]) - 1 };
  return { file: path, line: statement.line };
}
