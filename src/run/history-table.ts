// The audit history (audit-alembic's `alembic_version_history`, extended with retort's
// columns): creating or extending the table, writing a step's rows (started, reached, finished)
// and reading them back (unfinished runs, durations, checksums for drift, the log). What retort
// writes is bounded to what its columns hold.

import { createHash } from "node:crypto";
import { RetortError } from "../core/errors.js";
import { DatabaseError, type ColumnInfo } from "../db/driver.js";
import type { OwnStatement } from "./own-failure.js";
import { DECLARED_SIZES, HISTORY_WRITES, RETORT_COLUMNS, type Tables } from "./tables.js";

/** The longest error message a history row keeps. */
const MAX_ERROR_CHARS = 4000;

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

export interface AppliedChecksum {
  readonly checksum: string;
  readonly changedAt: string;
}

export interface UnfinishedRun {
  /** The history row's id. */
  readonly id: number;
  readonly revision: string;
  readonly direction: string;
  readonly startedAt: string;
  readonly actor: string | null;
  readonly statement: number | null;
}

export class HistoryTable {
  private readonly t: Tables;
  /** Whether a revision id belongs to this store's migrations: rows written before the history
   *  kept their version table (and audit-alembic's) count as this application's when they name
   *  its revisions. */
  private readonly knows: (revision: string) => boolean;
  /** The history's columns as the catalog has them, for bound() (the SQL builders are
   *  synchronous): filled by ensureHistoryTable. */
  private sizes = new Map<string, ColumnInfo>();

  constructor(tables: Tables, knows: (revision: string) => boolean) {
    this.t = tables;
    this.knows = knows;
  }

  /** Creates the history table, or adds retort's missing columns to an existing audit-alembic
   *  (or older retort) table; refuses any other table, and one retort could not write, before
   *  anything runs. */
  async ensureHistoryTable(revisions: readonly string[] = []): Promise<void> {
    const { schema, history, historyShown } = await this.t.names();
    const existing = await this.t.history();
    if (!existing) {
      const columns = [
        this.t.sql.historyId,
        "alembic_version VARCHAR(255)",
        "prev_alembic_version VARCHAR(255)",
        "operation_type VARCHAR(32) NOT NULL",
        "operation_direction VARCHAR(32) NOT NULL",
        "user_version VARCHAR(255)",
        `changed_at ${this.t.sql.timestampType}`,
        ...RETORT_COLUMNS.map(([c, type]) => `${c} ${type}`),
        "PRIMARY KEY (id)",
        "CONSTRAINT alembic_versions_nonnull CHECK (coalesce(alembic_version, prev_alembic_version) IS NOT NULL)",
      ];
      const create = `CREATE TABLE ${history} (\n    ${columns.join(",\n    ")}\n)${this.t.sql.tableOptions}`;
      const creating = { doing: `create the history table ${historyShown}`, table: historyShown, needs: this.t.sql.createPrivilege(schema) };
      try {
        await this.t.own(creating, () => this.t.driver.query(create));
      } catch (e) {
        // Another application's run (its own version table, so not under this run's lock) may
        // have created the table it shares meanwhile: then it is an existing table.
        if (await this.historyAppeared(e)) return this.ensureHistoryTable(revisions);
        throw e;
      }
      await this.t.own(creating, () => this.t.driver.query(this.revisionIndexSql()));
      this.t.forget(this.t.historyTable);
      this.sizes = new Map(((await this.t.history())?.columns ?? []).map((c) => [c.name, c]));
      return;
    }
    const missing = RETORT_COLUMNS.filter(([c]) => !existing.columns.some((col) => col.name === c));
    if (missing.length > 0) {
      const alter = `ALTER TABLE ${history} ${missing.map(([c, type]) => `ADD COLUMN ${c} ${type}`).join(", ")}`;
      const statements = [alter, ...(missing.some(([c]) => c === "revision") ? [this.revisionIndexSql()] : [])];
      for (const sql of statements) {
        try {
          await this.t.driver.query(sql);
        } catch (e) {
          if (!(e instanceof DatabaseError)) throw e;
          // Another application's run added them meanwhile (see above): it adds the index too.
          if (await this.historyAppeared(e, missing.map(([c]) => c))) break;
          throw new RetortError(
            "bookkeeping",
            `The history table ${historyShown} lacks retort's column(s) ${missing.map(([c]) => c).join(", ")}, and adding them failed: ${e.message.replace(/\.?\s*$/, "")}. ` +
              `Run as its owner: ${statements.join("; ")}; (reading commands work meanwhile).`,
            { cause: e },
          );
        }
      }
      this.t.forget(this.t.historyTable);
    }
    // MySQL may show no table for a moment while another session's ALTER swaps it.
    const info = (await this.t.history()) ?? ((await this.historyAppeared("exists")) ? (await this.t.history())! : null);
    if (!info) throw new RetortError("bookkeeping", `The history table ${historyShown} vanished while retort extended it: did another session drop it?`);
    this.sizes = new Map(info.columns.map((c) => [c.name, c]));
    await this.t.checkWritable(info, "history table", historyShown, history, HISTORY_WRITES, revisions, "SELECT, INSERT, UPDATE");
  }

  /** After a failed CREATE or ALTER of the history table: whether it is there now (with
   *  `columns`), made by someone else meanwhile. MySQL may refuse the CREATE a moment before
   *  its catalog shows the other's table: where the server said so, it is given a few seconds. */
  private async historyAppeared(e: unknown, columns: readonly string[] = []): Promise<boolean> {
    const cause = e instanceof RetortError ? e.cause : e;
    const attempts = e === "exists" || (cause instanceof DatabaseError && this.t.driver.failureKind(cause) === "exists") ? 25 : 1;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 200));
      this.t.forget(this.t.historyTable);
      const now = await this.t.history().catch(() => null);
      if (now !== null && columns.every((c) => now.columns.some((col) => col.name === c))) return true;
    }
    return false;
  }

  /** The started row of a revision is found by its revision: without an index every lookup
   *  reads the whole history, and applying N revisions on MySQL would take N² row reads. */
  private revisionIndexSql(): string {
    return `CREATE INDEX ${this.t.sql.ident(indexName(this.t.historyTable, "revision"))} ON ${this.t.n.history} (revision)`;
  }

  async appendHistory(row: HistoryRow): Promise<void> {
    await this.t.names();
    await this.t.history();
    const values = this.historyValues(row);
    await this.t.own(this.t.statements.historyRow, () =>
      this.t.driver.query(
        `INSERT INTO ${this.t.n.history} (${values.map(([c]) => this.t.sql.ident(c)).join(", ")}) ` +
          `VALUES (${values.map(() => "?").join(", ")})`,
        values.map(([, v]) => v),
      ),
    );
  }

  /** Marks which statement the unfinished run of `revision` has reached (1-based). Skipped while
   *  the revision holds LOCK TABLES (see reachedSql). */
  async markReached(revision: string, statement: number): Promise<void> {
    try {
      await this.t.driver.query(this.reachedSql(revision, statement));
    } catch (e) {
      if (e instanceof DatabaseError && this.t.driver.failureKind(e) === "table-locks") return;
      throw this.t.ownFailure(this.t.statements.reached, e);
    }
  }

  /** Finishes this version table's started row of `revision`: success or failure, duration,
   *  error, statement. False when there was no started row. */
  async finishHistory(revision: string, success: boolean, durationMs: number, error: string | null, failedStatement: number | null): Promise<boolean> {
    await this.t.names();
    const { affectedRows } = await this.t.own(this.t.statements.historyRow, () =>
      this.t.driver.query(
        `UPDATE ${this.t.n.history} SET success = ?, duration_ms = ?, error_message = ?, failed_statement = ? WHERE revision = ? AND success IS NULL AND version_table = ?`,
        [success, Math.trunc(durationMs), this.bound("error_message", error), failedStatement, revision, this.t.vt.table],
      ),
    );
    return affectedRows > 0;
  }

  /** Finishes the unfinished row `id` (see unfinished), as `resolve` records the user's decision. */
  async finishRun(id: number, success: boolean, note: string): Promise<void> {
    await this.t.names();
    await this.t.own(this.t.statements.historyRow, () =>
      this.t.driver.query(`UPDATE ${this.t.n.history} SET success = ?, duration_ms = ?, error_message = ? WHERE id = ? AND success IS NULL`, [
        success,
        0,
        this.bound("error_message", note),
        id,
      ]),
    );
  }

  /** This version table's started row of `revision`, in SQL. */
  private startedRow(revision: string): string {
    const lit = (v: string) => this.t.sql.literal(v);
    return `revision = ${lit(revision)} AND success IS NULL AND version_table = ${lit(this.t.vt.table)}`;
  }

  /** `markReached` with literal values, to travel with a revision's statement. */
  reachedSql(revision: string, statement: number): string {
    return `UPDATE ${this.t.n.history} SET failed_statement = ${Math.trunc(statement)} WHERE ${this.startedRow(revision)}`;
  }

  /** A successful `finishHistory` with literal values, its duration the server's `durationSql`. */
  finishHistorySql(revision: string, durationSql: string): string {
    return (
      `UPDATE ${this.t.n.history} SET success = TRUE, duration_ms = ${durationSql}, ` +
      `error_message = NULL, failed_statement = NULL WHERE ${this.startedRow(revision)}`
    );
  }

  /** The rows that are this version table's: its own, and rows written before the history kept
   *  version tables (or by audit-alembic) when they name one of its revisions (or none). */
  private ours(columns: Set<string>, r: Record<string, unknown>): boolean {
    if (columns.has("version_table") && r.version_table !== null && r.version_table !== undefined) return String(r.version_table) === this.t.vt.table;
    const named = [r.revision, ...String(r.alembic_version ?? "").split("##"), ...String(r.prev_alembic_version ?? "").split("##")]
      .filter((v) => v !== null && v !== undefined && v !== "")
      .map(String);
    return named.length === 0 || named.some((id) => this.knows(id));
  }

  /** SQL for the rows that may be ours (ours() decides about the older ones). */
  private mayBeOurs(columns: Set<string>): string {
    return columns.has("version_table") ? `(version_table = ${this.t.sql.literal(this.t.vt.table)} OR version_table IS NULL)` : "1 = 1";
  }

  private select(columns: Set<string>, wanted: readonly string[]): string {
    return wanted.filter((c) => columns.has(c)).map((c) => this.t.sql.ident(c)).join(", ");
  }

  private reading(): OwnStatement {
    return { doing: `read the history table ${this.t.n.historyShown}`, table: this.t.n.historyShown, needs: `SELECT on ${this.t.n.historyShown}` };
  }

  /** This version table's revisions whose run started and never finished (the process died,
   *  the connection broke). */
  async unfinished(): Promise<UnfinishedRun[]> {
    const columns = await this.t.historyColumns();
    if (!columns || !columns.has("success") || !columns.has("revision")) return [];
    const { rows } = await this.t.own(this.reading(), () =>
      this.t.driver.query(
        `SELECT ${this.select(columns, ["id", "revision", "operation_direction", "changed_at", "actor", "failed_statement", "version_table"])} FROM ${this.t.n.history} ` +
          `WHERE success IS NULL AND revision IS NOT NULL AND operation_type = 'migration' AND ${this.mayBeOurs(columns)} ORDER BY id`,
      ),
    );
    return rows
      .filter((r) => this.ours(columns, r) && this.knows(String(r.revision)))
      .map((r) => ({
        id: Number(r.id),
        revision: String(r.revision),
        direction: String(r.operation_direction),
        startedAt: isoUtc(r.changed_at) ?? "?",
        actor: r.actor === null || r.actor === undefined ? null : String(r.actor),
        statement: r.failed_statement === null || r.failed_statement === undefined ? null : Number(r.failed_statement),
      }));
  }

  /** The same INSERT with literal values, to travel in one round trip with other statements;
   *  `durationSql` is the server's measure of duration_ms, when it measures it. */
  historyInsertSql(row: HistoryRow, options: { durationSql?: string } = {}): string {
    const literal = (v: unknown): string =>
      v === null || v === undefined
        ? "NULL"
        : typeof v === "number"
          ? String(Math.trunc(v))
          : typeof v === "boolean"
            ? v
              ? "TRUE"
              : "FALSE"
            : this.t.sql.literal(String(v));
    const values = this.historyValues(row);
    const value = ([c, v]: [string, unknown]) => (options.durationSql !== undefined && c === "duration_ms" ? options.durationSql : literal(v));
    return (
      `INSERT INTO ${this.t.n.history} (${values.map(([c]) => this.t.sql.ident(c)).join(", ")}) ` +
      `VALUES (${values.map(value).join(", ")})`
    );
  }

  /** The columns of a history row and their values (changed_at as UTC text), each bounded to
   *  its column. */
  historyValues(row: HistoryRow): [string, unknown][] {
    const text = (column: string, v: string | null): string | null => this.bound(column, v);
    return [
      ["alembic_version", text("alembic_version", row.alembicVersion)],
      ["prev_alembic_version", text("prev_alembic_version", row.prevAlembicVersion)],
      ["operation_type", row.operationType],
      ["operation_direction", row.operationDirection],
      ["user_version", text("user_version", row.userVersion)],
      ["changed_at", utcTimestamp(row.changedAt)],
      ["revision", row.revision],
      ["checksum", text("checksum", row.checksum)],
      ["duration_ms", row.durationMs === null ? null : Math.trunc(row.durationMs)],
      ["success", row.success],
      ["error_message", text("error_message", row.errorMessage)],
      ["failed_statement", row.failedStatement],
      ["actor", text("actor", row.actor)],
      ["commit_sha", text("commit_sha", row.commitSha)],
      ["run_url", text("run_url", row.runUrl)],
      ["retort_version", text("retort_version", row.retortVersion)],
      ["version_table", this.t.vt.table],
    ];
  }

  /** `value` as the history's `column` can hold it: no NUL (PostgreSQL text cannot hold one),
   *  cut to the column's size (and error messages to MAX_ERROR_CHARS) with "...". */
  private bound(column: string, value: string | null): string | null {
    if (value === null) return null;
    const clean = value.includes("\0") ? value.split("\0").join("\uFFFD") : value;
    const info = this.sizes.get(column);
    const chars = Math.min(info ? (info.maxChars ?? Infinity) : (DECLARED_SIZES[column] ?? Infinity), column === "error_message" ? MAX_ERROR_CHARS : Infinity);
    return cut(clean, chars, info?.maxBytes ?? null);
  }

  /** How long the revisions of this version table's newest `limit` history rows ran, by
   *  revision (successful migration rows only). */
  async recentDurations(limit: number): Promise<Map<string, number>> {
    const columns = (await this.t.historyColumns()) ?? new Set<string>();
    const { rows } = await this.t.own(this.reading(), () =>
      this.t.driver.query(
        `SELECT revision, duration_ms, success FROM ${this.t.n.history} ` +
          `${columns.has("version_table") ? `WHERE version_table = ${this.t.sql.literal(this.t.vt.table)} ` : ""}ORDER BY id DESC LIMIT ${Math.max(1, Math.floor(limit))}`,
      ),
    );
    const out = new Map<string, number>();
    for (const r of rows) {
      const ok = r.success === true || Number(r.success) === 1;
      if (ok && r.revision !== null && !out.has(String(r.revision))) out.set(String(r.revision), Number(r.duration_ms ?? 0));
    }
    return out;
  }

  /** This version table's newest `limit` history rows, oldest first (empty without a history
   *  table), with the columns the table has. */
  async readHistory(limit: number): Promise<Record<string, unknown>[]> {
    const columns = await this.t.historyColumns();
    if (!columns) return [];
    const wanted = ["id", "changed_at", "operation_type", "operation_direction", "prev_alembic_version", "alembic_version",
      "revision", "duration_ms", "success", "error_message", "failed_statement", "actor", "commit_sha", "run_url", "retort_version", "user_version", "version_table"];
    const out: Record<string, unknown>[] = [];
    const want = Math.max(1, Math.floor(limit));
    // Older rows that are not ours are left out after reading: page back until there are enough.
    for (let before: number | null = null; out.length < want; ) {
      const page = Math.max(100, want - out.length);
      const { rows } = await this.t.own(this.reading(), () =>
        this.t.driver.query(
          `SELECT ${this.select(columns, wanted)} FROM ${this.t.n.history} WHERE ${this.mayBeOurs(columns)}${before === null ? "" : ` AND id < ${before}`} ORDER BY id DESC LIMIT ${page}`,
        ),
      );
      for (const r of rows) if (out.length < want && this.ours(columns, r)) out.push(r);
      if (rows.length < page) break;
      before = Number(rows[rows.length - 1]!.id);
    }
    return out.reverse();
  }

  /** For every revision of this version table, the checksum of its upgrade SQL when it was
   *  last applied. */
  async appliedChecksums(): Promise<Map<string, AppliedChecksum>> {
    const out = new Map<string, AppliedChecksum>();
    const columns = await this.t.historyColumns();
    if (!columns || !columns.has("checksum") || !columns.has("revision") || !columns.has("success")) return out;
    const { rows } = await this.t.own(this.reading(), () =>
      this.t.driver.query(
        `SELECT ${this.select(columns, ["revision", "checksum", "changed_at", "version_table", "alembic_version", "prev_alembic_version"])} FROM ${this.t.n.history} ` +
          `WHERE success = TRUE AND operation_type = 'migration' AND operation_direction = 'up' AND checksum IS NOT NULL AND ${this.mayBeOurs(columns)} ORDER BY id`,
      ),
    );
    for (const r of rows) {
      if (this.ours(columns, r)) out.set(String(r.revision), { checksum: String(r.checksum), changedAt: isoUtc(r.changed_at) ?? "?" });
    }
    return out;
  }
}

/** PostgreSQL cuts longer names to 63 bytes; MySQL refuses names over 64 characters. */
const MAX_NAME_BYTES = 63;

/** `<table>_<suffix>`, or where that would be too long a name (a history table named with up to
 *  63 bytes), the table's name cut and a hash of the whole, so that the name still fits and
 *  stays distinct: MySQL would refuse the index after creating the table. */
export function indexName(table: string, suffix: string): string {
  const name = `${table}_${suffix}`;
  const bytes = (s: string) => new TextEncoder().encode(s).length;
  if (bytes(name) <= MAX_NAME_BYTES) return name;
  const tail = `_${createHash("sha256").update(table).digest("hex").slice(0, 8)}_${suffix}`;
  let head = "";
  for (const c of table) {
    if (bytes(head + c) + tail.length > MAX_NAME_BYTES) break;
    head += c;
  }
  return head + tail;
}

/** `value` cut to `chars` characters and `bytes` UTF-8 bytes (null: no limit), "..." marking a cut. */
function cut(value: string, chars: number, bytes: number | null): string {
  // A UTF-16 unit is at most one character and three UTF-8 bytes.
  if (value.length <= chars && (bytes === null || value.length * 3 <= bytes)) return value;
  const points = Array.from(value);
  const size = (s: string) => new TextEncoder().encode(s).length;
  if (points.length <= chars && (bytes === null || size(value) <= bytes)) return value;
  let n = Math.max(0, Math.min(points.length, chars) - 3);
  if (bytes !== null) {
    let used = 0;
    let fit = 0;
    for (; fit < n; fit++) {
      used += size(points[fit]!);
      if (used > bytes - 3) break;
    }
    n = fit;
  }
  return `${points.slice(0, n).join("")}...`;
}

/** `YYYY-MM-DD HH:MM:SS.ffffff` in UTC, for TIMESTAMP WITHOUT TIME ZONE and DATETIME(6). */
export function utcTimestamp(d: Date): string {
  return `${d.toISOString().replace("T", " ").replace("Z", "")}000`;
}

/** A changed_at value as ISO 8601 UTC, whichever way the driver returned it (a Date, or
 *  MySQL's `YYYY-MM-DD HH:MM:SS.ffffff` text, which retort writes in UTC). */
export function isoUtc(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d{1,3})?\d*$/.exec(String(value));
  return m ? `${m[1]}T${m[2]}${(m[3] ?? ".000").padEnd(4, "0")}Z` : String(value);
}
