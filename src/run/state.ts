// What retort keeps in the database: Alembic's version table (one row per head, version-table.ts)
// and the audit history (audit-alembic's `alembic_version_history`, extended with retort's
// columns, history-table.ts), both found and checked by tables.ts. StateStore is the one object
// the runner and the front ends use.
//
// Every statement here must mean the same whatever a revision left in the session before it:
// tables are named with the schema resolved once, before any revision runs (a revision may
// `SET search_path`, `USE other_db` or create a temporary table of the same name); values are
// server-side parameters or session-proof literals (sessionProofLiteral); the driver pins the
// session modes its own statements depend on (Driver.sessionModes). What retort writes is
// bounded to what its columns hold.

import type { RetortError } from "../core/errors.js";
import type { RevisionGraph } from "../core/graph.js";
import type { VersionChange } from "../core/plan.js";
import type { VersionTable } from "../core/sql.js";
import type { Driver } from "../db/driver.js";
import type { CheckedChange } from "../db/protocol.js";
import { HistoryTable, type AppliedChecksum, type HistoryRow, type UnfinishedRun } from "./history-table.js";
import type { VersionNumRoom } from "./long-ids.js";
import type { OwnStatement, OwnStatements } from "./own-failure.js";
import { DEFAULT_HISTORY_TABLE, HISTORY_WRITES, Tables, VERSION_WRITES } from "./tables.js";
import { VersionRows } from "./version-table.js";

export { indexName, isoUtc, utcTimestamp, type AppliedChecksum, type HistoryRow, type UnfinishedRun } from "./history-table.js";
export type { OwnStatement, OwnStatements } from "./own-failure.js";
export { DEFAULT_HISTORY_TABLE } from "./tables.js";

export class StateStore {
  private readonly t: Tables;
  private readonly version: VersionRows;
  private readonly rows: HistoryTable;

  constructor(driver: Driver, versionTable: VersionTable, historyTable: string = DEFAULT_HISTORY_TABLE, graph: RevisionGraph | null = null) {
    this.t = new Tables(driver, versionTable, historyTable);
    this.version = new VersionRows(this.t);
    this.rows = new HistoryTable(this.t, graph ? (revision) => graph.nodeOf(revision) !== undefined : () => true);
  }

  /** The version table as configured, for messages. */
  get versionTableName(): string {
    return this.t.versionTableName;
  }

  /** The schema (MySQL: database) of both tables: the configured one, or the session's before
   *  any revision ran. Resolve it before handing the session to a revision. */
  schema(): Promise<string> {
    return this.t.schema();
  }

  /** The history table in SQL, schema-qualified, for statements built elsewhere (Alembic's
   *  bootstrap writes its rows on Alembic's connection). Needs the names resolved (any read or
   *  ensureHistoryTable does that). */
  get historySql(): string {
    return this.t.n.history;
  }

  /** The value of `version_table` in this store's history rows. */
  get versionTableKey(): string {
    return this.t.vt.table;
  }

  /** The statements of retort's own that travel in scripts with revision SQL, for ownFailure. */
  get statements(): OwnStatements {
    return this.t.statements;
  }

  /** The error for a failed statement of retort's own; `state` says where the database stands. */
  ownFailure(statement: OwnStatement, e: unknown, state = ""): RetortError {
    return this.t.ownFailure(statement, e, state);
  }

  /** Revision SQL is about to run on this session (see Tables.revisionSqlRan). */
  revisionSqlRan(): void {
    this.t.revisionSqlRan();
  }

  /** The statement that drops temporary tables a revision left under the names of the version
   *  and history tables (Driver.dropHidingTables); null where none can. */
  get dropHidingSql(): string | null {
    return this.t.dropHidingSql;
  }

  /** Before a run writes, and before it changes anything: checks that retort can write the
   *  tables there (a table, not a view, with room for `revisions`, no NOT NULL column retort
   *  does not write, the privileges to change its rows; a history table that is an audit
   *  history), then creates what is missing and adds retort's missing history columns. */
  async ensureTables(revisions: readonly string[]): Promise<void> {
    const { version, versionShown, history, historyShown } = await this.t.names();
    const versionInfo = await this.t.table(this.t.vt.table);
    const historyInfo = await this.t.history();
    if (versionInfo) await this.t.checkWritable(versionInfo, "version table", versionShown, version, VERSION_WRITES, revisions, "SELECT, INSERT, UPDATE, DELETE");
    if (historyInfo) await this.t.checkWritable(historyInfo, "history table", historyShown, history, HISTORY_WRITES, revisions, "SELECT, INSERT, UPDATE");
    await this.version.ensureVersionTable(revisions);
    await this.rows.ensureHistoryTable(revisions);
  }

  // The version table (see version-table.ts).
  readHeads(): Promise<string[]> {
    return this.version.readHeads();
  }
  readKnownHeads(graph: RevisionGraph, migrations: string): Promise<string[]> {
    return this.version.readKnownHeads(graph, migrations);
  }
  ensureVersionTable(revisions: readonly string[] = []): Promise<void> {
    return this.version.ensureVersionTable(revisions);
  }
  versionNumRoom(): Promise<VersionNumRoom> {
    return this.version.versionNumRoom();
  }
  refuseLongIds(revisions: readonly string[]): Promise<void> {
    return this.version.refuseLongIds(revisions);
  }
  applyChange(change: VersionChange): Promise<void> {
    return this.version.applyChange(change);
  }
  checkedChanges(changes: readonly VersionChange[]): CheckedChange[] {
    return this.version.checkedChanges(changes);
  }
  checkedChangeFailure(message: string, changes: readonly VersionChange[]): RetortError | null {
    return this.version.checkedChangeFailure(message, changes);
  }

  // The history table (see history-table.ts).
  ensureHistoryTable(revisions: readonly string[] = []): Promise<void> {
    return this.rows.ensureHistoryTable(revisions);
  }
  appendHistory(row: HistoryRow): Promise<void> {
    return this.rows.appendHistory(row);
  }
  markReached(revision: string, statement: number): Promise<void> {
    return this.rows.markReached(revision, statement);
  }
  finishHistory(revision: string, success: boolean, durationMs: number, error: string | null, failedStatement: number | null): Promise<boolean> {
    return this.rows.finishHistory(revision, success, durationMs, error, failedStatement);
  }
  finishRun(id: number, success: boolean, note: string): Promise<void> {
    return this.rows.finishRun(id, success, note);
  }
  reachedSql(revision: string, statement: number): string {
    return this.rows.reachedSql(revision, statement);
  }
  finishHistorySql(revision: string, durationSql: string): string {
    return this.rows.finishHistorySql(revision, durationSql);
  }
  historyInsertSql(row: HistoryRow, options: { durationSql?: string } = {}): string {
    return this.rows.historyInsertSql(row, options);
  }
  historyValues(row: HistoryRow): [string, unknown][] {
    return this.rows.historyValues(row);
  }
  unfinished(): Promise<UnfinishedRun[]> {
    return this.rows.unfinished();
  }
  recentDurations(limit: number): Promise<Map<string, number>> {
    return this.rows.recentDurations(limit);
  }
  readHistory(limit: number): Promise<Record<string, unknown>[]> {
    return this.rows.readHistory(limit);
  }
  appliedChecksums(): Promise<Map<string, AppliedChecksum>> {
    return this.rows.appliedChecksums();
  }
}
