// Where retort's two tables are (resolved once, before any revision runs), which columns they
// have, what the catalog says about them, and whether retort may write them; and running one of
// retort's own statements so that its failure says what to do.

import { RetortError } from "../core/errors.js";
import { MAX_ID_LENGTH } from "../core/revision.js";
import type { VersionTable } from "../core/sql.js";
import type { BookkeepingSql } from "../db/bookkeeping.js";
import { DatabaseError, type Driver, type TableInfo } from "../db/driver.js";
import { versionNumRoomOf, widenVersionNumSql, wideVersionTableSql, widthFor } from "./long-ids.js";
import { ownStatementError, ownStatementsOf, type OwnStatement, type OwnStatements } from "./own-failure.js";

export const DEFAULT_HISTORY_TABLE = "alembic_version_history";

/** audit-alembic's columns: a table with all of them is an audit history retort may extend. */
export const AUDIT_COLUMNS = ["id", "alembic_version", "prev_alembic_version", "operation_type", "operation_direction", "user_version", "changed_at"];

/** retort's columns, added to an audit-alembic table in place. `version_table` keys every row
 *  by the version table it belongs to: applications with different version tables share one
 *  history table. */
export const RETORT_COLUMNS: readonly [string, string][] = [
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
export const VERSION_WRITES = ["version_num"];
export const HISTORY_WRITES = [...AUDIT_COLUMNS.slice(2), ...RETORT_COLUMNS.map(([c]) => c), "alembic_version"].filter((c, i, all) => all.indexOf(c) === i);

/** The sizes of the history's text columns as retort creates them (before the catalog is read). */
export const DECLARED_SIZES: Record<string, number> = {
  alembic_version: 255,
  prev_alembic_version: 255,
  user_version: 255,
  ...Object.fromEntries(RETORT_COLUMNS.flatMap(([c, type]) => (/\((\d+)\)/.test(type) ? [[c, Number(/\((\d+)\)/.exec(type)![1])]] : []))),
};

/** Where the version table and the history table are, resolved once per store. */
export interface Names {
  readonly schema: string;
  /** For SQL: `schema.table`, quoted where needed. */
  readonly version: string;
  readonly history: string;
  /** For messages. */
  readonly versionShown: string;
  readonly historyShown: string;
}

export class Tables {
  readonly driver: Driver;
  readonly vt: VersionTable;
  readonly historyTable: string;
  private resolved: Names | null = null;
  private readonly probed = new Set<string>();
  private readonly catalog = new Map<string, Promise<TableInfo | null>>();
  private described: OwnStatements | null = null;
  /** Whether revision SQL has run on this session (see revisionSqlRan). */
  private afterRevisionSql = false;

  constructor(driver: Driver, versionTable: VersionTable, historyTable: string) {
    this.driver = driver;
    this.vt = versionTable;
    this.historyTable = historyTable;
  }

  /** The catalog entry of `name` changed (retort created or altered it): read it again. */
  forget(name: string): void {
    this.catalog.delete(name);
  }

  /** The error for a failed statement of retort's own (see own). `state` says where the
   *  database stands, when that needs saying. */
  ownFailure(statement: OwnStatement, e: unknown, state = ""): RetortError {
    const kind = e instanceof DatabaseError ? this.driver.failureKind(e) : null;
    return ownStatementError(statement, e, { kind, state, afterRevisionSql: this.afterRevisionSql });
  }

  /** Revision SQL is about to run on this session: from now on a refused privilege may be the
   *  role a revision switched to (see ownFailure). */
  revisionSqlRan(): void {
    this.afterRevisionSql = true;
  }

  /** The SQL of retort's tables as the driver's database writes it. */
  get sql(): BookkeepingSql {
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

  /** Both tables' names, resolved once (the first call runs before any revision SQL). */
  async names(): Promise<Names> {
    if (!this.resolved) {
      const schema = this.vt.schema ?? (await this.driver.currentSchema());
      const sql = (table: string) => this.sql.table({ table, schema });
      this.resolved = { schema, version: sql(this.vt.table), history: sql(this.historyTable), versionShown: `${schema}.${this.vt.table}`, historyShown: `${schema}.${this.historyTable}` };
    }
    return this.resolved;
  }

  /** For the SQL builders below, which run after the first read resolved the names. */
  get n(): Names {
    if (!this.resolved) throw new Error("StateStore: names used before they were resolved");
    return this.resolved;
  }

  /** What the catalog says about one of the two tables, read once when it is there (the deploy
   *  lock keeps other deploys from changing it meanwhile; retort forgets it when it changes the
   *  table itself). */
  async table(name: string): Promise<TableInfo | null> {
    const { schema } = await this.names();
    let info = this.catalog.get(name);
    if (!info) {
      info = this.own({ doing: `read the catalog entry of ${schema}.${name}`, table: null, needs: null }, () => this.driver.describeTable(schema, name));
      this.catalog.set(name, info);
      // A table that is not there yet may be created by someone else meanwhile (Alembic).
      info.then(
        (found) => found ?? this.catalog.delete(name),
        () => this.catalog.delete(name),
      );
    }
    return info;
  }

  /** The history table, or null when there is none; refused when it is not an audit history. */
  async history(): Promise<TableInfo | null> {
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
  refuseUnusableSchema(info: TableInfo, role: string, shown: string): void {
    if (info.privileges && !info.privileges.schema) {
      throw new RetortError("bookkeeping", `The user retort connects as may not use the schema ${this.n.schema}, which holds the ${role} ${shown}: grant USAGE on schema ${this.n.schema} to it.`);
    }
  }

  async historyColumns(): Promise<Set<string> | null> {
    const info = await this.history();
    return info ? new Set(info.columns.map((c) => c.name)) : null;
  }

  /** Runs one of retort's own statements; a server error becomes one that says which of
   *  retort's statements failed, on which table, and what to grant or change. */
  async own<T>(statement: OwnStatement, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof DatabaseError) throw this.ownFailure(statement, e);
      throw e;
    }
  }

  /** Refuses, before anything runs, a table retort could not write: one error naming it and
   *  the fix instead of a failure half-way through a revision. */
  async checkWritable(
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
    if (role === "version table") this.refuseLongIds(info, revisions);
    const room = info.columns.find((c) => c.name === "revision")?.maxChars ?? null;
    const long = room === null || role === "version table" ? undefined : revisions.find((r) => r.length > room);
    if (long !== undefined) {
      throw new RetortError("bookkeeping", `Revision id '${long}' is longer than ${shown}.revision holds (${room} characters): widen the column.`);
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

  /** Refuses, before anything runs, revision ids longer than the version table's version_num
   *  holds: `info` is the table, or null when it does not exist yet and is about to be created
   *  as Alembic creates it (VARCHAR(32)), by retort or by Alembic. Needs the names resolved. */
  refuseLongIds(info: TableInfo | null, revisions: readonly string[]): void {
    const room = versionNumRoomOf(info).chars;
    const long = room === null ? undefined : [...revisions].sort((a, b) => b.length - a.length).find((r) => r.length > room);
    if (long === undefined) return;
    const vt = { table: this.vt.table, schema: this.n.schema };
    const width = widthFor(long.length);
    const dialect = this.driver.dialect;
    throw new RetortError(
      "bookkeeping",
      info === null
        ? `Revision id '${long}' is ${long.length} characters long, and the version table retort creates, like Alembic's, holds ` +
            `${room}: create ${this.n.versionShown} yourself with a wider version_num, e.g. ${wideVersionTableSql(vt, dialect, width)}; nothing was changed.`
        : `Revision id '${long}' is ${long.length} characters long, longer than ${this.n.versionShown}.version_num holds (${room} characters): ` +
            `widen the column first, e.g. ${widenVersionNumSql(vt, dialect, width)}; nothing was changed.`,
    );
  }

  /** The statements of retort's own that travel in scripts with revision SQL, for ownFailure. */
  get statements(): OwnStatements {
    const { versionShown, historyShown } = this.n;
    return (this.described ??= ownStatementsOf(versionShown, historyShown));
  }

  /** The statement that drops temporary tables a revision left under the names of the version
   *  and history tables, where they would hide them (Driver.dropHidingTables); null where none
   *  can. Needs the names resolved. */
  get dropHidingSql(): string | null {
    return this.driver.dropHidingTables([this.n.version, this.n.history]);
  }
}
