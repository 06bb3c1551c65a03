// What retort keeps in the database: Alembic's version table (one row per head) and the audit
// history (audit-alembic's `alembic_version_history`, extended with retort's columns).

import { RetortError } from "../core/errors.js";
import type { RevisionGraph } from "../core/graph.js";
import type { VersionChange } from "../core/plan.js";
import { versionChangeSql } from "../core/render-sql.js";
import { createVersionTableSql, quoteIdent, quoteLiteral, versionTableName, type Dialect, type VersionTable } from "../core/sql.js";
import type { Driver } from "../db/driver.js";

export const DEFAULT_HISTORY_TABLE = "alembic_version_history";

/** Starts the message of the error raised by `checkedChangesSql`'s block. */
const CHECKED_CHANGE_MARK = "retort-version-check:";

/** One step of the audit history. The first seven fields are audit-alembic's. */
export interface HistoryRow {
  /** Destination revisions joined by `##` ('' for base). */
  readonly alembicVersion: string;
  /** Source revisions joined by `##` ('' for base). */
  readonly prevAlembicVersion: string;
  readonly operationType: "migration" | "stamp";
  readonly operationDirection: "up" | "down";
  readonly userVersion: string | null;
  readonly changedAt: Date;
  readonly revision: string | null;
  readonly checksum: string | null;
  readonly durationMs: number | null;
  /** null: started and not finished yet (a revision that cannot run in a transaction). */
  readonly success: boolean | null;
  readonly errorMessage: string | null;
  /** 1-based index of the statement that failed within its section. */
  readonly failedStatement: number | null;
  readonly actor: string | null;
  readonly commitSha: string | null;
  readonly runUrl: string | null;
  readonly retortVersion: string;
}

/** retort's columns, added to an audit-alembic table in place. */
const RETORT_COLUMNS: readonly [string, Record<Dialect, string>][] = [
  ["revision", { postgresql: "VARCHAR(32)", mysql: "VARCHAR(32)" }],
  ["checksum", { postgresql: "VARCHAR(80)", mysql: "VARCHAR(80)" }],
  ["duration_ms", { postgresql: "INTEGER", mysql: "INTEGER" }],
  ["success", { postgresql: "BOOLEAN", mysql: "BOOLEAN" }],
  ["error_message", { postgresql: "TEXT", mysql: "TEXT" }],
  ["failed_statement", { postgresql: "INTEGER", mysql: "INTEGER" }],
  ["actor", { postgresql: "VARCHAR(255)", mysql: "VARCHAR(255)" }],
  ["commit_sha", { postgresql: "VARCHAR(64)", mysql: "VARCHAR(64)" }],
  ["run_url", { postgresql: "VARCHAR(1024)", mysql: "VARCHAR(1024)" }],
  ["retort_version", { postgresql: "VARCHAR(32)", mysql: "VARCHAR(32)" }],
];

export interface AppliedChecksum {
  readonly checksum: string;
  readonly changedAt: string;
}

export class StateStore {
  private readonly driver: Driver;
  private readonly vt: VersionTable;
  private readonly historyTable: string;

  constructor(driver: Driver, versionTable: VersionTable, historyTable: string = DEFAULT_HISTORY_TABLE) {
    this.driver = driver;
    this.vt = versionTable;
    this.historyTable = historyTable;
  }

  private get dialect(): Dialect {
    return this.driver.dialect;
  }

  get versionTableName(): string {
    return versionTableName(this.vt, this.dialect);
  }

  get historyTableName(): string {
    return versionTableName({ table: this.historyTable, schema: this.vt.schema }, this.dialect);
  }

  private historyColumnsCache: Promise<Set<string> | null> | null = null;

  /** The history table's columns (lower case), or null when it does not exist. Read once per
   *  store: the deploy lock keeps anyone else from changing the table meanwhile. */
  private historyColumns(): Promise<Set<string> | null> {
    this.historyColumnsCache ??= (async () =>
      (await this.driver.tableExists(this.vt.schema, this.historyTable))
        ? new Set(await this.driver.columns(this.vt.schema, this.historyTable))
        : null)();
    return this.historyColumnsCache;
  }

  /** The version table's rows (empty when the table does not exist yet). */
  async readHeads(): Promise<string[]> {
    if (!(await this.driver.tableExists(this.vt.schema, this.vt.table))) return [];
    const { rows } = await this.driver.query(`SELECT version_num FROM ${this.versionTableName}`);
    return rows.map((r) => String(r.version_num));
  }

  /** The rows, checked against the graph: a row that names no revision means the database is
   *  ahead of (or diverged from) the migrations directory. */
  async readKnownHeads(graph: RevisionGraph, migrations: string): Promise<string[]> {
    const heads = await this.readHeads();
    const unknown = heads.filter((h) => graph.nodeOf(h) === undefined);
    if (unknown.length > 0) {
      throw new RetortError(
        "state",
        `The database is ahead of or diverged from ${migrations}: its version table ${this.versionTableName} holds ` +
          `${unknown.map((u) => `'${u}'`).join(", ")}, which no revision file defines. Deploy the migrations that ` +
          `wrote it, or, if the schema was changed by hand, set the rows with 'retort stamp'.`,
      );
    }
    return heads;
  }

  async ensureVersionTable(): Promise<void> {
    if (await this.driver.tableExists(this.vt.schema, this.vt.table)) return;
    await this.driver.query(createVersionTableSql(this.vt, this.dialect));
  }

  /** Applies one version-table change; like Alembic online, an UPDATE or DELETE must touch
   *  exactly one row. */
  async applyChange(change: VersionChange): Promise<void> {
    const { affectedRows } = await this.driver.query(versionChangeSql(change, this.vt, this.dialect));
    if (change.op !== "insert" && affectedRows !== 1) throw new RetortError("state", this.mismatch(change, String(affectedRows)));
  }

  private mismatch(change: VersionChange, found: string): string {
    const what = change.op === "update" ? `updating '${change.from}' to '${change.to}'` : `deleting '${change.revision}'`;
    return (
      `Online migration expected to match one row when ${what} in '${this.vt.table}'; ${found} found. ` +
      `Another process changed the version table: check it with 'retort current'.`
    );
  }

  /** The version-table changes as one statement that checks on the server that every UPDATE
   *  and DELETE touches exactly one row, so that they can travel in one round trip with the
   *  revision's SQL and the history row: a PostgreSQL `DO` block, or a MariaDB `BEGIN NOT
   *  ATOMIC` block, raising `CHECKED_CHANGE_MARK<change>:<rows>`, which `checkedChangeFailure`
   *  turns back into applyChange's message. null where the server has no such block (MySQL). */
  checkedChangesSql(changes: readonly VersionChange[]): string | null {
    if (!this.driver.anonymousBlocks) return null;
    const pg = this.dialect === "postgresql";
    const body: string[] = [];
    changes.forEach((change, i) => {
      const sql = versionChangeSql(change, this.vt, this.dialect);
      if (change.op === "insert") {
        body.push(`${sql.replace(/ RETURNING .*$/, "")};`);
        return;
      }
      const mark = quoteLiteral(`${CHECKED_CHANGE_MARK}${i}:`, this.dialect);
      body.push(
        pg
          ? `${sql}; GET DIAGNOSTICS n = ROW_COUNT; IF n <> 1 THEN RAISE EXCEPTION '%', ${mark} || n; END IF;`
          : `${sql}; SET n = ROW_COUNT(); IF n <> 1 THEN SET m = CONCAT(${mark}, n); SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = m; END IF;`,
      );
    });
    const text = body.join(" ");
    if (pg) {
      // A dollar-quote tag the body does not contain (a quoted name or id might).
      let tag = "$retort$";
      for (let n = 1; text.includes(tag); n++) tag = `$retort${n}$`;
      return `DO ${tag}DECLARE n bigint; BEGIN ${text} END${tag}`;
    }
    return `BEGIN NOT ATOMIC DECLARE n BIGINT; DECLARE m VARCHAR(128); ${text} END`;
  }

  /** applyChange's error for a failed check of `checkedChangesSql(changes)`, or null when
   *  `message` is not such a failure. */
  checkedChangeFailure(message: string, changes: readonly VersionChange[]): RetortError | null {
    const m = new RegExp(`^${CHECKED_CHANGE_MARK}(\\d+):(\\d+)$`).exec(message.trim());
    const change = m ? changes[Number(m[1])] : undefined;
    return change ? new RetortError("state", this.mismatch(change, m![2]!)) : null;
  }

  /** Creates the history table, or adds retort's columns to an existing audit-alembic table. */
  async ensureHistoryTable(): Promise<void> {
    const name = this.historyTableName;
    const existing = await this.historyColumns();
    this.historyColumnsCache = null; // created or extended below
    if (!existing) {
      const mysql = this.dialect === "mysql";
      const columns = [
        mysql ? "id BIGINT NOT NULL AUTO_INCREMENT" : "id BIGSERIAL NOT NULL",
        "alembic_version VARCHAR(255)",
        "prev_alembic_version VARCHAR(255)",
        "operation_type VARCHAR(32) NOT NULL",
        "operation_direction VARCHAR(32) NOT NULL",
        "user_version VARCHAR(255)",
        mysql ? "changed_at DATETIME(6)" : "changed_at TIMESTAMP WITHOUT TIME ZONE",
        ...RETORT_COLUMNS.map(([c, types]) => `${c} ${types[this.dialect]}`),
        "PRIMARY KEY (id)",
        "CONSTRAINT alembic_versions_nonnull CHECK (coalesce(alembic_version, prev_alembic_version) IS NOT NULL)",
      ];
      await this.driver.query(`CREATE TABLE ${name} (\n    ${columns.join(",\n    ")}\n)`);
      await this.createRevisionIndex();
      return;
    }
    for (const [column, types] of RETORT_COLUMNS) {
      if (!existing.has(column)) await this.driver.query(`ALTER TABLE ${name} ADD COLUMN ${column} ${types[this.dialect]}`);
    }
    if (!existing.has("revision")) await this.createRevisionIndex();
  }

  /** The started row of a revision is found by its revision: without an index every lookup
   *  reads the whole history, and applying N revisions on MySQL would take N² row reads. */
  private async createRevisionIndex(): Promise<void> {
    await this.driver.query(`CREATE INDEX ${quoteIdent(`${this.historyTable}_revision`, this.dialect)} ON ${this.historyTableName} (revision)`);
  }

  async appendHistory(row: HistoryRow): Promise<void> {
    const values = this.historyValues(row);
    await this.driver.query(
      `INSERT INTO ${this.historyTableName} (${values.map(([c]) => quoteIdent(c, this.dialect)).join(", ")}) ` +
        `VALUES (${values.map(() => "?").join(", ")})`,
      values.map(([, v]) => v),
    );
  }

  /** Marks which statement the unfinished run of `revision` has reached (1-based). */
  async markReached(revision: string, statement: number): Promise<void> {
    await this.driver.query(this.reachedSql(revision, statement));
  }

  /** Finishes the started row of `revision`: success or failure, duration, error, statement.
   *  False when there was no started row. */
  async finishHistory(revision: string, success: boolean, durationMs: number, error: string | null, failedStatement: number | null): Promise<boolean> {
    const { affectedRows } = await this.driver.query(
      `UPDATE ${this.historyTableName} SET success = ?, duration_ms = ?, error_message = ?, failed_statement = ? WHERE revision = ? AND success IS NULL`,
      [success, durationMs, error, failedStatement, revision],
    );
    return affectedRows > 0;
  }

  /** MySQL/MariaDB, to travel with other statements: remembers the server's clock for
   *  `finishHistorySql`'s duration. */
  startClockSql(): string {
    return "SET @retort_started = NOW(6)";
  }

  /** `markReached` with literal values. */
  reachedSql(revision: string, statement: number): string {
    return `UPDATE ${this.historyTableName} SET failed_statement = ${Math.trunc(statement)} WHERE revision = ${quoteLiteral(revision, this.dialect)} AND success IS NULL`;
  }

  /** A successful `finishHistory` with literal values, its duration measured by the server
   *  since `startClockSql`. */
  finishHistorySql(revision: string): string {
    return (
      `UPDATE ${this.historyTableName} SET success = TRUE, duration_ms = TIMESTAMPDIFF(MICROSECOND, @retort_started, NOW(6)) DIV 1000, ` +
      `error_message = NULL, failed_statement = NULL WHERE revision = ${quoteLiteral(revision, this.dialect)} AND success IS NULL`
    );
  }

  /** Revisions whose run started and never finished (the process died, the connection broke). */
  async unfinished(): Promise<{ revision: string; direction: string; startedAt: string; actor: string | null; statement: number | null }[]> {
    const columns = await this.historyColumns();
    if (!columns) return [];
    if (!columns.has("success") || !columns.has("revision")) return [];
    const { rows } = await this.driver.query(
      `SELECT revision, operation_direction, changed_at, actor, failed_statement FROM ${this.historyTableName} ` +
        `WHERE success IS NULL AND revision IS NOT NULL AND operation_type = 'migration' ORDER BY id`,
    );
    return rows.map((r) => ({
      revision: String(r.revision),
      direction: String(r.operation_direction),
      startedAt: isoUtc(r.changed_at) ?? "?",
      actor: r.actor === null || r.actor === undefined ? null : String(r.actor),
      statement: r.failed_statement === null || r.failed_statement === undefined ? null : Number(r.failed_statement),
    }));
  }

  /** The same INSERT with literal values, to travel in one round trip with other statements. */
  historyInsertSql(row: HistoryRow, options: { durationSinceBegin?: boolean } = {}): string {
    const literal = (v: unknown): string =>
      v === null || v === undefined ? "NULL" : typeof v === "number" ? String(Math.trunc(v)) : typeof v === "boolean" ? (v ? "TRUE" : "FALSE") : quoteLiteral(String(v), this.dialect);
    const values = this.historyValues(row);
    // PostgreSQL's now() is the transaction's start: the revision's time, measured by the server.
    const sinceBegin = options.durationSinceBegin && this.dialect === "postgresql";
    const value = ([c, v]: [string, unknown]) =>
      sinceBegin && c === "duration_ms" ? "(EXTRACT(EPOCH FROM clock_timestamp() - now()) * 1000)::int" : literal(v);
    return (
      `INSERT INTO ${this.historyTableName} (${values.map(([c]) => quoteIdent(c, this.dialect)).join(", ")}) ` +
      `VALUES (${values.map(value).join(", ")})`
    );
  }

  /** The columns of a history row and their values (changed_at as UTC text). */
  historyValues(row: HistoryRow): [string, unknown][] {
    return [
      ["alembic_version", row.alembicVersion],
      ["prev_alembic_version", row.prevAlembicVersion],
      ["operation_type", row.operationType],
      ["operation_direction", row.operationDirection],
      ["user_version", row.userVersion],
      ["changed_at", utcTimestamp(row.changedAt)],
      ["revision", row.revision],
      ["checksum", row.checksum],
      ["duration_ms", row.durationMs],
      ["success", row.success],
      ["error_message", row.errorMessage],
      ["failed_statement", row.failedStatement],
      ["actor", row.actor],
      ["commit_sha", row.commitSha],
      ["run_url", row.runUrl],
      ["retort_version", row.retortVersion],
    ];
  }

  /** How long the revisions of the newest `limit` history rows ran, by revision (successful
   *  migration rows only). */
  async recentDurations(limit: number): Promise<Map<string, number>> {
    const { rows } = await this.driver.query(
      `SELECT revision, duration_ms, success FROM ${this.historyTableName} ORDER BY id DESC LIMIT ${Math.max(1, Math.floor(limit))}`,
    );
    const out = new Map<string, number>();
    for (const r of rows) {
      const ok = r.success === true || Number(r.success) === 1;
      if (ok && r.revision !== null && !out.has(String(r.revision))) out.set(String(r.revision), Number(r.duration_ms ?? 0));
    }
    return out;
  }

  /** The newest `limit` history rows, oldest first (empty without a history table). */
  async readHistory(limit: number): Promise<Record<string, unknown>[]> {
    const columns = await this.historyColumns();
    if (!columns) return [];
    const wanted = ["id", "changed_at", "operation_type", "operation_direction", "prev_alembic_version", "alembic_version",
      "revision", "duration_ms", "success", "error_message", "failed_statement", "actor", "commit_sha", "run_url", "retort_version", "user_version"];
    const present = wanted.filter((c) => columns.has(c));
    const { rows } = await this.driver.query(
      `SELECT ${present.map((c) => quoteIdent(c, this.dialect)).join(", ")} FROM ${this.historyTableName} ORDER BY id DESC LIMIT ${Math.max(1, Math.floor(limit))}`,
    );
    return [...rows].reverse();
  }

  /** For every revision, the checksum of its upgrade SQL when it was last applied. */
  async appliedChecksums(): Promise<Map<string, AppliedChecksum>> {
    const out = new Map<string, AppliedChecksum>();
    const columns = await this.historyColumns();
    if (!columns) return out;
    if (!columns.has("checksum") || !columns.has("revision")) return out;
    const { rows } = await this.driver.query(
      `SELECT revision, checksum, changed_at FROM ${this.historyTableName} ` +
        `WHERE success = ? AND operation_type = 'migration' AND operation_direction = 'up' AND checksum IS NOT NULL ORDER BY id`,
      [true],
    );
    for (const r of rows) {
      out.set(String(r.revision), { checksum: String(r.checksum), changedAt: isoUtc(r.changed_at) ?? "?" });
    }
    return out;
  }
}

/** `YYYY-MM-DD HH:MM:SS.ffffff` in UTC, for TIMESTAMP WITHOUT TIME ZONE and DATETIME(6). */
export function utcTimestamp(d: Date): string {
  return `${d.toISOString().replace("T", " ").replace("Z", "")}000`;
}

/** A changed_at value as ISO 8601 UTC, whichever way the driver returned it (a Date, or
 *  MySQL's `YYYY-MM-DD HH:MM:SS.ffffff` text, which retort writes in UTC). */
export function isoUtc(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d{1,3})?\d*$/.exec(String(value));
  return m ? `${m[1]}T${m[2]}${(m[3] ?? ".000").padEnd(4, "0")}Z` : String(value);
}
