// What retort keeps in the database: Alembic's version table (one row per head) and the audit
// history (audit-alembic's `alembic_version_history`, extended with retort's columns).
//
// Every statement here must mean the same whatever a revision left in the session before it:
// tables are named with the schema resolved once, before any revision runs (a revision may
// `SET search_path`, `USE other_db` or create a temporary table of the same name); values are
// server-side parameters or session-proof literals (sessionProofLiteral); the driver pins the
// session modes its own statements depend on (Driver.sessionModes). What retort writes is
// bounded to what its columns hold.

import { createHash } from "node:crypto";
import { RetortError } from "../core/errors.js";
import type { RevisionGraph } from "../core/graph.js";
import type { VersionChange } from "../core/plan.js";
import { MAX_ID_LENGTH } from "../core/revision.js";
import { VERSION_NUM_CHARS, type VersionTable } from "../core/sql.js";
import type { BookkeepingSql } from "../db/bookkeeping.js";
import { DatabaseError, type ColumnInfo, type Driver, type TableInfo } from "../db/driver.js";
import type { CheckedChange } from "../db/protocol.js";

export const DEFAULT_HISTORY_TABLE = "alembic_version_history";

/** Starts the message of the error raised by `checkedChangesSql`'s block. */
const CHECKED_CHANGE_MARK = "retort-version-check:";

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

/** audit-alembic's columns: a table with all of them is an audit history retort may extend. */
const AUDIT_COLUMNS = ["id", "alembic_version", "prev_alembic_version", "operation_type", "operation_direction", "user_version", "changed_at"];

/** retort's columns, added to an audit-alembic table in place. `version_table` keys every row
 *  by the version table it belongs to: applications with different version tables share one
 *  history table. */
const RETORT_COLUMNS: readonly [string, string][] = [
  ["revision", `VARCHAR(${MAX_ID_LENGTH})`],
  ["checksum", "VARCHAR(80)"],
  ["duration_ms", "INTEGER"],
  ["success", "BOOLEAN"],
  ["error_message", "TEXT"],
  ["failed_statement", "INTEGER"],
  ["actor", "VARCHAR(255)"],
  ["commit_sha", "VARCHAR(64)"],
  ["run_url", "VARCHAR(1024)"],
  ["retort_version", "VARCHAR(32)"],
  ["version_table", "VARCHAR(64)"],
];

/** The columns retort writes; the last one is the one its privilege probes use. */
const VERSION_WRITES = ["version_num"];
const HISTORY_WRITES = [...AUDIT_COLUMNS.slice(2), ...RETORT_COLUMNS.map(([c]) => c), "alembic_version"].filter((c, i, all) => all.indexOf(c) === i);

/** One of retort's own statements, for the error when it fails. */
export interface OwnStatement {
  /** What retort was doing, after "retort could not": "change the version table public.v". */
  readonly doing: string;
  /** The table it works on, for advice; null for statements on no table. */
  readonly table: string | null;
  /** What the user retort connects as needs for it ("SELECT, INSERT on public.t"). */
  readonly needs: string | null;
}

/** The statements of retort's own that travel in scripts with revision SQL. */
export interface OwnStatements {
  readonly versionChange: OwnStatement;
  readonly historyRow: OwnStatement;
  readonly started: OwnStatement;
  readonly reached: OwnStatement;
  readonly session: OwnStatement;
  readonly hiding: OwnStatement;
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

/** Where the version table and the history table are, resolved once per store. */
interface Names {
  readonly schema: string;
  /** For SQL: `schema.table`, quoted where needed. */
  readonly version: string;
  readonly history: string;
  /** For messages. */
  readonly versionShown: string;
  readonly historyShown: string;
}

export class StateStore {
  private readonly driver: Driver;
  private readonly vt: VersionTable;
  private readonly historyTable: string;
  /** Whether a revision id belongs to this store's migrations: rows written before the history
   *  kept their version table (and audit-alembic's) count as this application's when they name
   *  its revisions. */
  private readonly knows: (revision: string) => boolean;
  private resolved: Names | null = null;
  private readonly probed = new Set<string>();
  private readonly tables = new Map<string, Promise<TableInfo | null>>();
  /** The history's columns as the catalog has them, for bound() (the SQL builders are
   *  synchronous): filled by ensureHistoryTable. */
  private sizes = new Map<string, ColumnInfo>();
  private described: OwnStatements | null = null;
  /** Whether revision SQL has run on this session (see revisionSqlRan). */
  private afterRevisionSql = false;

  constructor(driver: Driver, versionTable: VersionTable, historyTable: string = DEFAULT_HISTORY_TABLE, graph: RevisionGraph | null = null) {
    this.driver = driver;
    this.vt = versionTable;
    this.historyTable = historyTable;
    this.knows = graph ? (revision) => graph.nodeOf(revision) !== undefined : () => true;
  }

  /** The SQL of retort's tables as the driver's database writes it. */
  private get sql(): BookkeepingSql {
    return this.driver.bookkeeping;
  }

  /** The version table as configured, for messages. */
  get versionTableName(): string {
    return this.sql.table(this.vt);
  }

  /** The schema (MySQL: database) of both tables: the configured one, or the session's before
   *  any revision ran. Resolve it before handing the session to a revision. */
  async schema(): Promise<string> {
    return (await this.names()).schema;
  }

  private async names(): Promise<Names> {
    if (!this.resolved) {
      const schema = this.vt.schema ?? (await this.driver.currentSchema());
      const sql = (table: string) => this.sql.table({ table, schema });
      this.resolved = { schema, version: sql(this.vt.table), history: sql(this.historyTable), versionShown: `${schema}.${this.vt.table}`, historyShown: `${schema}.${this.historyTable}` };
    }
    return this.resolved;
  }

  /** The history table in SQL, schema-qualified, for statements built elsewhere (Alembic's
   *  bootstrap writes its rows on Alembic's connection). Needs the names resolved (any read or
   *  ensureHistoryTable does that). */
  get historySql(): string {
    return this.n.history;
  }

  /** The value of `version_table` in this store's history rows. */
  get versionTableKey(): string {
    return this.vt.table;
  }

  /** For the SQL builders below, which run after the first read resolved the names. */
  private get n(): Names {
    if (!this.resolved) throw new Error("StateStore: names used before they were resolved");
    return this.resolved;
  }

  /** What the catalog says about one of the two tables, read once when it is there (the deploy
   *  lock keeps other deploys from changing it meanwhile; retort forgets it when it changes the
   *  table itself). */
  private async table(name: string): Promise<TableInfo | null> {
    const { schema } = await this.names();
    let info = this.tables.get(name);
    if (!info) {
      info = this.own({ doing: `read the catalog entry of ${schema}.${name}`, table: null, needs: null }, () => this.driver.describeTable(schema, name));
      this.tables.set(name, info);
      // A table that is not there yet may be created by someone else meanwhile (Alembic).
      info.then(
        (found) => found ?? this.tables.delete(name),
        () => this.tables.delete(name),
      );
    }
    return info;
  }

  /** The history table, or null when there is none; refused when it is not an audit history. */
  private async history(): Promise<TableInfo | null> {
    const info = await this.table(this.historyTable);
    if (info) {
      const missing = AUDIT_COLUMNS.filter((c) => !info.columns.some((col) => col.name === c));
      if (info.kind === "other" || missing.length > 0) {
        throw new RetortError(
          "usage",
          `The history table ${this.n.historyShown} is not an audit history: it ${info.kind === "other" ? "is not a table or view" : `lacks audit-alembic's column(s) ${missing.join(", ")}`}. ` +
            `retort keeps its history in a table of its own or extends audit-alembic's (${AUDIT_COLUMNS.join(", ")}), and changes nothing else: ` +
            `name another table with --history-table (a new one is created), or rename this one.`,
        );
      }
      this.refuseUnusableSchema(info, "history table", this.n.historyShown);
    }
    return info;
  }

  /** Without USAGE on the schema no privilege on its tables helps: said before the server says
   *  "permission denied for schema", which a grant on the table does not cure. */
  private refuseUnusableSchema(info: TableInfo, role: string, shown: string): void {
    if (info.privileges && !info.privileges.schema) {
      throw new RetortError("bookkeeping", `The user retort connects as may not use the schema ${this.n.schema}, which holds the ${role} ${shown}: grant USAGE on schema ${this.n.schema} to it.`);
    }
  }

  private async historyColumns(): Promise<Set<string> | null> {
    const info = await this.history();
    return info ? new Set(info.columns.map((c) => c.name)) : null;
  }

  /** Runs one of retort's own statements; a server error becomes one that says which of
   *  retort's statements failed, on which table, and what to grant or change. */
  private async own<T>(statement: OwnStatement, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof DatabaseError) throw this.ownFailure(statement, e);
      throw e;
    }
  }

  /** The error for a failed statement of retort's own (see own). `state` says where the
   *  database stands, when that needs saying. */
  ownFailure(statement: OwnStatement, e: unknown, state = ""): RetortError {
    const reason = (e instanceof Error ? e.message : String(e)).replace(/\.?\s*$/, "");
    const kind = e instanceof DatabaseError ? this.driver.failureKind(e) : null;
    const on = statement.table ?? "it";
    // retort's statements share the revisions' session, and so the role a revision set.
    const role = this.afterRevisionSql
      ? " If a revision switched to another role (SET ROLE), retort's statements after it ran as that role: grant that role too, or switch back at the end of the revision (RESET ROLE)."
      : "";
    const advice: Record<string, string> = {
      privilege: (statement.needs ? `Grant ${statement.needs} to the user retort connects as.` : "Grant the user retort connects as what it needs.") + role,
      "read-only":
        "The session is read-only (the server, the role's default, or a revision that set it): point retort at a writable primary, or remove the setting.",
      "not-null": `${on} has a NOT NULL column without a default that retort does not write: give it a DEFAULT, or allow NULL.`,
      "not-a-table": `${on} is not a table retort can write (a view?): make it a table, or name another one.`,
      "missing-table": `${on} is not there: did a revision drop or rename it?`,
      "missing-column": `${on} lacks a column retort reads or writes: did a revision alter it?`,
      "too-long": `A value is longer than its column in ${on}.`,
      "table-locks": `The session holds table locks (LOCK TABLES) that leave ${on} out: end them with UNLOCK TABLES in the revision.`,
    };
    const text = kind ? advice[kind] : "";
    return new RetortError("bookkeeping", `retort could not ${statement.doing}: ${reason}.${text ? ` ${text}` : ""}${state ? ` ${state}` : ""}`, { cause: e });
  }

  /** Revision SQL is about to run on this session: from now on a refused privilege may be the
   *  role a revision switched to (see ownFailure). */
  revisionSqlRan(): void {
    this.afterRevisionSql = true;
  }

  /** The statements of retort's own that travel in scripts with revision SQL, for ownFailure. */
  get statements(): OwnStatements {
    const { versionShown, historyShown } = this.n;
    return (this.described ??= {
      versionChange: { doing: `change the version table ${versionShown}`, table: versionShown, needs: `SELECT, INSERT, UPDATE, DELETE on ${versionShown}` },
      historyRow: { doing: `write the history row in ${historyShown}`, table: historyShown, needs: `SELECT, INSERT, UPDATE on ${historyShown}` },
      started: { doing: `record the start of the revision in ${historyShown}`, table: historyShown, needs: `SELECT, INSERT, UPDATE on ${historyShown}` },
      reached: { doing: `record the statement the revision reached in ${historyShown}`, table: historyShown, needs: `SELECT, INSERT, UPDATE on ${historyShown}` },
      session: { doing: "set the session modes of its own statements", table: null, needs: null },
      hiding: { doing: `drop temporary tables a revision left under the names of ${versionShown} and ${historyShown}, which would hide them`, table: null, needs: null },
    });
  }

  /** The version table's rows (empty when the table does not exist yet). */
  async readHeads(): Promise<string[]> {
    const info = await this.table(this.vt.table);
    if (!info) return [];
    if (!info.columns.some((c) => c.name === "version_num")) {
      throw new RetortError(
        "usage",
        `${this.n.versionShown} is not an Alembic version table (it has no version_num column): name the version table with --version-table (and --version-schema).`,
      );
    }
    this.refuseUnusableSchema(info, "version table", this.n.versionShown);
    const { rows } = await this.own({ doing: `read the version table ${this.n.versionShown}`, table: this.n.versionShown, needs: `SELECT on ${this.n.versionShown}` }, () =>
      this.driver.query(`SELECT version_num FROM ${this.n.version}`),
    );
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

  /** Before a run writes, and before it changes anything: checks that retort can write the
   *  tables there (a table, not a view, with room for `revisions`, no NOT NULL column retort
   *  does not write, the privileges to change its rows; a history table that is an audit
   *  history), then creates what is missing and adds retort's missing history columns. */
  async ensureTables(revisions: readonly string[]): Promise<void> {
    const { version, versionShown, history, historyShown } = await this.names();
    const versionInfo = await this.table(this.vt.table);
    const historyInfo = await this.history();
    if (versionInfo) await this.checkWritable(versionInfo, "version table", versionShown, version, VERSION_WRITES, revisions, "SELECT, INSERT, UPDATE, DELETE");
    if (historyInfo) await this.checkWritable(historyInfo, "history table", historyShown, history, HISTORY_WRITES, revisions, "SELECT, INSERT, UPDATE");
    await this.ensureVersionTable(revisions);
    await this.ensureHistoryTable(revisions);
  }

  /** Creates the version table (see ensureTables). */
  async ensureVersionTable(revisions: readonly string[] = []): Promise<void> {
    const { schema, version, versionShown } = await this.names();
    const info = await this.table(this.vt.table);
    if (!info) {
      const long = revisions.find((r) => r.length > VERSION_NUM_CHARS);
      if (long !== undefined) {
        const wide = this.sql.createVersionTable({ table: this.vt.table, schema }).replace(
          `VARCHAR(${VERSION_NUM_CHARS})`,
          `VARCHAR(${Math.max(64, long.length)})`,
        );
        throw new RetortError(
          "bookkeeping",
          `Revision id '${long}' is ${long.length} characters long, and the version table retort creates, like Alembic's, holds ` +
            `${VERSION_NUM_CHARS}: create ${versionShown} yourself with a wider version_num, e.g. ${wide.replace(/\s*\n\s*/g, " ")}; nothing was changed.`,
        );
      }
      await this.own({ doing: `create the version table ${versionShown}`, table: versionShown, needs: this.sql.createPrivilege(schema) }, () =>
        this.driver.query(this.sql.createVersionTable({ table: this.vt.table, schema })),
      );
      this.tables.delete(this.vt.table);
      return;
    }
    await this.checkWritable(info, "version table", versionShown, version, VERSION_WRITES, revisions, "SELECT, INSERT, UPDATE, DELETE");
  }

  /** Refuses, before anything runs, a table retort could not write: one error naming it and
   *  the fix instead of a failure half-way through a revision. */
  private async checkWritable(
    info: TableInfo,
    role: string,
    shown: string,
    sql: string,
    writes: readonly string[],
    revisions: readonly string[],
    needs: string,
  ): Promise<void> {
    const option = role === "version table" ? "--version-table" : "--history-table";
    if (info.kind !== "table") {
      throw new RetortError("bookkeeping", `The ${role} ${shown} is ${info.kind === "view" ? "a view" : "not a table"}: retort writes its rows, so it must be a table. Name a table with ${option}.`);
    }
    const blocking = info.columns.filter((c) => c.notNull && !c.hasDefault && !writes.includes(c.name));
    if (blocking.length > 0) {
      throw new RetortError(
        "bookkeeping",
        `The ${role} ${shown} has NOT NULL column(s) without a default that retort does not write (${blocking.map((c) => c.name).join(", ")}): ` +
          `give them a DEFAULT, or allow NULL.`,
      );
    }
    const idColumn = role === "version table" ? "version_num" : "revision";
    const room = info.columns.find((c) => c.name === idColumn)?.maxChars ?? null;
    const long = room === null ? undefined : revisions.find((r) => r.length > room);
    if (long !== undefined) {
      throw new RetortError("bookkeeping", `Revision id '${long}' is longer than ${shown}.${idColumn} holds (${room} characters): widen the column.`);
    }
    const p = info.privileges;
    if (p) {
      this.refuseUnusableSchema(info, role, shown);
      const missing = needs.split(", ").filter((priv) => !p[priv.toLowerCase() as "select" | "insert" | "update" | "delete"]);
      if (missing.length > 0) {
        throw new RetortError("bookkeeping", `The user retort connects as may not ${missing.join(", ")} on the ${role} ${shown}: grant ${needs} on it.`);
      }
      const sequences = p.sequences.filter((s) => !writes.includes(s.column));
      if (sequences.length > 0) {
        const names = [...new Set(sequences.map((s) => s.sequence))].join(", ");
        throw new RetortError(
          "bookkeeping",
          `The user retort connects as may not use the sequence(s) ${names}, from which the ${role} ${shown} fills its column(s) ` +
            `${[...new Set(sequences.map((s) => s.column))].join(", ")}: grant USAGE on sequence ${names} to it.`,
        );
      }
      return;
    }
    // The driver cannot tell (MySQL's grants live at several levels): ask the server with
    // statements that touch no row, and remember the answer.
    if (this.probed.has(shown)) return;
    this.probed.add(shown);
    const column = writes[writes.length - 1]!;
    const probes = [
      `SELECT ${column} FROM ${sql} WHERE 1 = 0`,
      `INSERT INTO ${sql} (${column}) SELECT ${column} FROM ${sql} WHERE 1 = 0`,
      `UPDATE ${sql} SET ${column} = ${column} WHERE 1 = 0`,
      ...(needs.includes("DELETE") ? [`DELETE FROM ${sql} WHERE 1 = 0`] : []),
    ];
    const modes = this.driver.sessionModes;
    await this.own({ doing: `write the ${role} ${shown} (checked before running anything)`, table: shown, needs: `${needs} on ${shown}` }, () =>
      this.driver.script([...(modes ? [modes.enter] : []), ...probes]),
    );
  }

  /** Applies one version-table change; like Alembic online, an UPDATE or DELETE must touch
   *  exactly one row. */
  async applyChange(change: VersionChange): Promise<void> {
    await this.names();
    const { affectedRows } = await this.own(this.statements.versionChange, () => this.driver.query(this.changeSql(change)));
    if (change.op !== "insert" && affectedRows !== 1) throw new RetortError("state", this.mismatch(change, String(affectedRows)));
  }

  /** A version-table change as retort sends it at run time (offline SQL keeps Alembic's text). */
  private changeSql(change: VersionChange): string {
    const name = this.n.version;
    const lit = (v: string) => this.sql.literal(v);
    switch (change.op) {
      case "insert":
        return `INSERT INTO ${name} (version_num) VALUES (${lit(change.revision)})`;
      case "delete":
        return `DELETE FROM ${name} WHERE version_num = ${lit(change.revision)}`;
      case "update":
        return `UPDATE ${name} SET version_num = ${lit(change.to)} WHERE version_num = ${lit(change.from)}`;
    }
  }

  private mismatch(change: VersionChange, found: string): string {
    const what = change.op === "update" ? `updating '${change.from}' to '${change.to}'` : `deleting '${change.revision}'`;
    return (
      `Online migration expected to match one row when ${what} in '${this.vt.table}'; ${found} found. ` +
      `Another process changed the version table: check it with 'retort current'.`
    );
  }

  /** The version-table changes for the driver's protocol to check on the server that every
   *  UPDATE and DELETE touches exactly one row (FusedProtocol.checkedChanges), so that they can
   *  travel in one round trip with the revision's SQL and the history row: the failed check
   *  raises `CHECKED_CHANGE_MARK<change>:<rows>`, which `checkedChangeFailure` turns back into
   *  applyChange's message. */
  checkedChanges(changes: readonly VersionChange[]): CheckedChange[] {
    return changes.map((change, i) => ({
      sql: this.changeSql(change),
      mark: change.op === "insert" ? null : this.sql.literal(`${CHECKED_CHANGE_MARK}${i}:`),
    }));
  }

  /** applyChange's error for a failed check of `checkedChangesSql(changes)`, or null when
   *  `message` is not such a failure. */
  checkedChangeFailure(message: string, changes: readonly VersionChange[]): RetortError | null {
    const m = new RegExp(`^${CHECKED_CHANGE_MARK}(\\d+):(\\d+)$`).exec(message.trim());
    const change = m ? changes[Number(m[1])] : undefined;
    return change ? new RetortError("state", this.mismatch(change, m![2]!)) : null;
  }

  /** Creates the history table, or adds retort's missing columns to an existing audit-alembic
   *  (or older retort) table; refuses any other table, and one retort could not write, before
   *  anything runs. */
  async ensureHistoryTable(revisions: readonly string[] = []): Promise<void> {
    const { schema, history, historyShown } = await this.names();
    const existing = await this.history();
    if (!existing) {
      const columns = [
        this.sql.historyId,
        "alembic_version VARCHAR(255)",
        "prev_alembic_version VARCHAR(255)",
        "operation_type VARCHAR(32) NOT NULL",
        "operation_direction VARCHAR(32) NOT NULL",
        "user_version VARCHAR(255)",
        `changed_at ${this.sql.timestampType}`,
        ...RETORT_COLUMNS.map(([c, type]) => `${c} ${type}`),
        "PRIMARY KEY (id)",
        "CONSTRAINT alembic_versions_nonnull CHECK (coalesce(alembic_version, prev_alembic_version) IS NOT NULL)",
      ];
      const create = `CREATE TABLE ${history} (\n    ${columns.join(",\n    ")}\n)${this.sql.tableOptions}`;
      const creating = { doing: `create the history table ${historyShown}`, table: historyShown, needs: this.sql.createPrivilege(schema) };
      try {
        await this.own(creating, () => this.driver.query(create));
      } catch (e) {
        // Another application's run (its own version table, so not under this run's lock) may
        // have created the table it shares meanwhile: then it is an existing table.
        if (await this.historyAppeared(e)) return this.ensureHistoryTable(revisions);
        throw e;
      }
      await this.own(creating, () => this.driver.query(this.revisionIndexSql()));
      this.tables.delete(this.historyTable);
      this.sizes = new Map(((await this.history())?.columns ?? []).map((c) => [c.name, c]));
      return;
    }
    const missing = RETORT_COLUMNS.filter(([c]) => !existing.columns.some((col) => col.name === c));
    if (missing.length > 0) {
      const alter = `ALTER TABLE ${history} ${missing.map(([c, type]) => `ADD COLUMN ${c} ${type}`).join(", ")}`;
      const statements = [alter, ...(missing.some(([c]) => c === "revision") ? [this.revisionIndexSql()] : [])];
      for (const sql of statements) {
        try {
          await this.driver.query(sql);
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
      this.tables.delete(this.historyTable);
    }
    // MySQL may show no table for a moment while another session's ALTER swaps it.
    const info = (await this.history()) ?? ((await this.historyAppeared("exists")) ? (await this.history())! : null);
    if (!info) throw new RetortError("bookkeeping", `The history table ${historyShown} vanished while retort extended it: did another session drop it?`);
    this.sizes = new Map(info.columns.map((c) => [c.name, c]));
    await this.checkWritable(info, "history table", historyShown, history, HISTORY_WRITES, revisions, "SELECT, INSERT, UPDATE");
  }

  /** After a failed CREATE or ALTER of the history table: whether it is there now (with
   *  `columns`), made by someone else meanwhile. MySQL may refuse the CREATE a moment before
   *  its catalog shows the other's table: where the server said so, it is given a few seconds. */
  private async historyAppeared(e: unknown, columns: readonly string[] = []): Promise<boolean> {
    const cause = e instanceof RetortError ? e.cause : e;
    const attempts = e === "exists" || (cause instanceof DatabaseError && this.driver.failureKind(cause) === "exists") ? 25 : 1;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 200));
      this.tables.delete(this.historyTable);
      const now = await this.history().catch(() => null);
      if (now !== null && columns.every((c) => now.columns.some((col) => col.name === c))) return true;
    }
    return false;
  }

  /** The started row of a revision is found by its revision: without an index every lookup
   *  reads the whole history, and applying N revisions on MySQL would take N² row reads. */
  private revisionIndexSql(): string {
    return `CREATE INDEX ${this.sql.ident(indexName(this.historyTable, "revision"))} ON ${this.n.history} (revision)`;
  }

  async appendHistory(row: HistoryRow): Promise<void> {
    await this.names();
    await this.history();
    const values = this.historyValues(row);
    await this.own(this.statements.historyRow, () =>
      this.driver.query(
        `INSERT INTO ${this.n.history} (${values.map(([c]) => this.sql.ident(c)).join(", ")}) ` +
          `VALUES (${values.map(() => "?").join(", ")})`,
        values.map(([, v]) => v),
      ),
    );
  }

  /** Marks which statement the unfinished run of `revision` has reached (1-based). Skipped while
   *  the revision holds LOCK TABLES (see reachedSql). */
  async markReached(revision: string, statement: number): Promise<void> {
    try {
      await this.driver.query(this.reachedSql(revision, statement));
    } catch (e) {
      if (e instanceof DatabaseError && this.driver.failureKind(e) === "table-locks") return;
      throw this.ownFailure(this.statements.reached, e);
    }
  }

  /** The statement that drops temporary tables a revision left under the names of the version
   *  and history tables, where they would hide them (Driver.dropHidingTables); null where none
   *  can. Needs the names resolved. */
  get dropHidingSql(): string | null {
    return this.driver.dropHidingTables([this.n.version, this.n.history]);
  }

  /** Finishes this version table's started row of `revision`: success or failure, duration,
   *  error, statement. False when there was no started row. */
  async finishHistory(revision: string, success: boolean, durationMs: number, error: string | null, failedStatement: number | null): Promise<boolean> {
    await this.names();
    const { affectedRows } = await this.own(this.statements.historyRow, () =>
      this.driver.query(
        `UPDATE ${this.n.history} SET success = ?, duration_ms = ?, error_message = ?, failed_statement = ? WHERE revision = ? AND success IS NULL AND version_table = ?`,
        [success, Math.trunc(durationMs), this.bound("error_message", error), failedStatement, revision, this.vt.table],
      ),
    );
    return affectedRows > 0;
  }

  /** Finishes the unfinished row `id` (see unfinished), as `resolve` records the user's decision. */
  async finishRun(id: number, success: boolean, note: string): Promise<void> {
    await this.names();
    await this.own(this.statements.historyRow, () =>
      this.driver.query(`UPDATE ${this.n.history} SET success = ?, duration_ms = ?, error_message = ? WHERE id = ? AND success IS NULL`, [
        success,
        0,
        this.bound("error_message", note),
        id,
      ]),
    );
  }

  /** This version table's started row of `revision`, in SQL. */
  private startedRow(revision: string): string {
    const lit = (v: string) => this.sql.literal(v);
    return `revision = ${lit(revision)} AND success IS NULL AND version_table = ${lit(this.vt.table)}`;
  }

  /** `markReached` with literal values, to travel with a revision's statement. */
  reachedSql(revision: string, statement: number): string {
    return `UPDATE ${this.n.history} SET failed_statement = ${Math.trunc(statement)} WHERE ${this.startedRow(revision)}`;
  }

  /** A successful `finishHistory` with literal values, its duration the server's `durationSql`. */
  finishHistorySql(revision: string, durationSql: string): string {
    return (
      `UPDATE ${this.n.history} SET success = TRUE, duration_ms = ${durationSql}, ` +
      `error_message = NULL, failed_statement = NULL WHERE ${this.startedRow(revision)}`
    );
  }

  /** The rows that are this version table's: its own, and rows written before the history kept
   *  version tables (or by audit-alembic) when they name one of its revisions (or none). */
  private ours(columns: Set<string>, r: Record<string, unknown>): boolean {
    if (columns.has("version_table") && r.version_table !== null && r.version_table !== undefined) return String(r.version_table) === this.vt.table;
    const named = [r.revision, ...String(r.alembic_version ?? "").split("##"), ...String(r.prev_alembic_version ?? "").split("##")]
      .filter((v) => v !== null && v !== undefined && v !== "")
      .map(String);
    return named.length === 0 || named.some((id) => this.knows(id));
  }

  /** SQL for the rows that may be ours (ours() decides about the older ones). */
  private mayBeOurs(columns: Set<string>): string {
    return columns.has("version_table") ? `(version_table = ${this.sql.literal(this.vt.table)} OR version_table IS NULL)` : "1 = 1";
  }

  private select(columns: Set<string>, wanted: readonly string[]): string {
    return wanted.filter((c) => columns.has(c)).map((c) => this.sql.ident(c)).join(", ");
  }

  private reading(): OwnStatement {
    return { doing: `read the history table ${this.n.historyShown}`, table: this.n.historyShown, needs: `SELECT on ${this.n.historyShown}` };
  }

  /** This version table's revisions whose run started and never finished (the process died,
   *  the connection broke). */
  async unfinished(): Promise<UnfinishedRun[]> {
    const columns = await this.historyColumns();
    if (!columns || !columns.has("success") || !columns.has("revision")) return [];
    const { rows } = await this.own(this.reading(), () =>
      this.driver.query(
        `SELECT ${this.select(columns, ["id", "revision", "operation_direction", "changed_at", "actor", "failed_statement", "version_table"])} FROM ${this.n.history} ` +
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
            : this.sql.literal(String(v));
    const values = this.historyValues(row);
    const value = ([c, v]: [string, unknown]) => (options.durationSql !== undefined && c === "duration_ms" ? options.durationSql : literal(v));
    return (
      `INSERT INTO ${this.n.history} (${values.map(([c]) => this.sql.ident(c)).join(", ")}) ` +
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
      ["version_table", this.vt.table],
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
    const columns = (await this.historyColumns()) ?? new Set<string>();
    const { rows } = await this.own(this.reading(), () =>
      this.driver.query(
        `SELECT revision, duration_ms, success FROM ${this.n.history} ` +
          `${columns.has("version_table") ? `WHERE version_table = ${this.sql.literal(this.vt.table)} ` : ""}ORDER BY id DESC LIMIT ${Math.max(1, Math.floor(limit))}`,
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
    const columns = await this.historyColumns();
    if (!columns) return [];
    const wanted = ["id", "changed_at", "operation_type", "operation_direction", "prev_alembic_version", "alembic_version",
      "revision", "duration_ms", "success", "error_message", "failed_statement", "actor", "commit_sha", "run_url", "retort_version", "user_version", "version_table"];
    const out: Record<string, unknown>[] = [];
    const want = Math.max(1, Math.floor(limit));
    // Older rows that are not ours are left out after reading: page back until there are enough.
    for (let before: number | null = null; out.length < want; ) {
      const page = Math.max(100, want - out.length);
      const { rows } = await this.own(this.reading(), () =>
        this.driver.query(
          `SELECT ${this.select(columns, wanted)} FROM ${this.n.history} WHERE ${this.mayBeOurs(columns)}${before === null ? "" : ` AND id < ${before}`} ORDER BY id DESC LIMIT ${page}`,
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
    const columns = await this.historyColumns();
    if (!columns || !columns.has("checksum") || !columns.has("revision") || !columns.has("success")) return out;
    const { rows } = await this.own(this.reading(), () =>
      this.driver.query(
        `SELECT ${this.select(columns, ["revision", "checksum", "changed_at", "version_table", "alembic_version", "prev_alembic_version"])} FROM ${this.n.history} ` +
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

/** The sizes of the history's text columns as retort creates them (before the catalog is read). */
const DECLARED_SIZES: Record<string, number> = {
  alembic_version: 255,
  prev_alembic_version: 255,
  user_version: 255,
  ...Object.fromEntries(RETORT_COLUMNS.flatMap(([c, type]) => (/\((\d+)\)/.test(type) ? [[c, Number(/\((\d+)\)/.exec(type)![1])]] : []))),
};

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
