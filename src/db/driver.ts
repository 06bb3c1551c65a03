// The one small interface every database driver implements. The runner composes drivers; it
// never asks which database it talks to, only for the capabilities below.

import type { Section } from "../core/revision.js";
import type { Dialect, Statement } from "../core/sql.js";
import type { BookkeepingSql } from "./bookkeeping.js";
import type { FusedProtocol } from "./protocol.js";
import type { ConnectionTarget } from "./target.js";

export interface QueryResult {
  readonly rows: readonly Record<string, unknown>[];
  /** Rows inserted, updated or deleted by the statement. */
  readonly affectedRows: number;
}

/** QueryResult.affectedRows of a PostgreSQL result (the server's and PGlite's): its rowCount
 *  counts the rows a SELECT returned too, which are not rows changed. */
export function rowsChanged(command: string | null | undefined, rowCount: number | null | undefined): number {
  return /^(INSERT|UPDATE|DELETE|MERGE)\b/.test(command ?? "") ? (rowCount ?? 0) : 0;
}

/** Who holds a lock, as far as the database can tell. */
export interface LockHolder {
  readonly pid: string;
  readonly application: string | null;
  /** When the holder's session started or last changed state (ISO text), if known. */
  readonly since: string | null;
}

/** A statement the server rejected. `position` is the 1-based character offset inside the
 *  statement when the server reports one. */
export class DatabaseError extends Error {
  readonly code: string | null;
  readonly position: number | null;
  /** From Driver.script: the index of the statement the server rejected (or was running when
   *  the connection failed); null when that cannot be told. */
  readonly statement: number | null;
  /** From Driver.script: whether the statements before `statement` ran. False where the server
   *  rejected the whole text before running any of it (PostgreSQL parses a multi-statement
   *  text first, so a syntax error anywhere stops all of it). */
  readonly earlierRan: boolean;
  constructor(message: string, code: string | null, position: number | null, script?: { statement: number | null; earlierRan: boolean }) {
    super(message);
    this.name = "DatabaseError";
    this.code = code;
    this.position = position;
    this.statement = script?.statement ?? null;
    this.earlierRan = script?.earlierRan ?? true;
  }
}

/** What a failed statement of retort's own says about the database, for the advice in its
 *  error: the role may not do it, the session or server is read-only, a NOT NULL column retort
 *  does not write, a view where a table belongs, a table or column that is not there, a value
 *  longer than its column, table locks the session holds (MySQL's LOCK TABLES: no other table
 *  may be touched meanwhile), a table, column or index that is there already (another session
 *  made it meanwhile). */
export type FailureKind = "privilege" | "read-only" | "not-null" | "not-a-table" | "missing-table" | "missing-column" | "too-long" | "table-locks" | "exists";

export interface ColumnInfo {
  /** Lower case. */
  readonly name: string;
  readonly notNull: boolean;
  /** A default, an identity or auto-increment, or a generated value: an INSERT may leave it out. */
  readonly hasDefault: boolean;
  /** The most characters, and bytes (UTF-8 counted), the column holds; null when unbounded. */
  readonly maxChars: number | null;
  readonly maxBytes: number | null;
}

export interface TableInfo {
  /** A table (rows can be written), a view, or something else (a sequence, ...). */
  readonly kind: "table" | "view" | "other";
  /** In the table's order. */
  readonly columns: readonly ColumnInfo[];
  /** What this session may do with it, or null when the driver cannot tell without trying. */
  readonly privileges: TablePrivileges | null;
}

export interface TablePrivileges {
  readonly select: boolean;
  readonly insert: boolean;
  readonly update: boolean;
  readonly delete: boolean;
  /** The table's schema may be used (PostgreSQL's USAGE): without it, none of the above can. */
  readonly schema: boolean;
  /** Sequences the defaults of its columns take values from that this session may not use
   *  (an INSERT that leaves such a column out fails). */
  readonly sequences: readonly { readonly column: string; readonly sequence: string }[];
}

/** Statements that switch the session into the modes retort's own statements are written for,
 *  and back (see Driver.sessionModes). */
export interface SessionModes {
  /** Saves the session's modes (the first time: entering twice keeps the first save) and pins
   *  retort's. */
  readonly enter: string;
  /** Restores what `enter` saved (nothing when not entered). */
  readonly leave: string;
}

export interface Driver {
  /** SQL flavour of the version-table statements and of offline SQL. */
  readonly dialect: Dialect;
  /** Where this driver is connected, without the password, e.g. `postgresql://ci@db:5432/app`. */
  readonly target: string;
  /** DDL runs inside transactions (PostgreSQL, PGlite) rather than committing implicitly: a
   *  revision, and `--transaction all`, can be rolled back. */
  readonly transactionalDdl: boolean;
  /** Whether another process can contend for the lock (false for in-memory PGlite, which no
   *  other process can open): without one, withLock takes no lock. */
  readonly sharedLock: boolean;
  /** The server runs anonymous procedural blocks (PostgreSQL's `DO`, MariaDB's `BEGIN NOT
   *  ATOMIC`; not MySQL), with which retort checks its version-table change on the server
   *  instead of in a round trip of its own: `protocol` follows it. */
  readonly anonymousBlocks: boolean;
  /** How this server runs a revision's statement and retort's bookkeeping in one round trip
   *  (see FusedProtocol); null where it cannot (no anonymous blocks): each statement then takes
   *  a round trip of its own. `query` without parameters and `script` take several
   *  `;`-separated statements in one round trip on every driver. */
  readonly protocol: FusedProtocol | null;
  /** The SQL of retort's own tables as this database writes it. */
  readonly bookkeeping: BookkeepingSql;

  /** Where a revision's SQL can change how the server reads retort's (MySQL's sql_mode: quotes,
   *  backslashes, `||`; its character set; autocommit; sql_select_limit), the statements that
   *  pin retort's modes around its own: query() enters by itself, scripts carry them between
   *  their parts. null where retort's statements do not depend on the session's modes
   *  (PostgreSQL: names are qualified, literals are session-proof, parameters travel apart). */
  readonly sessionModes: SessionModes | null;
  /** Where a temporary table hides the table of the same name even when the name is
   *  schema-qualified (MySQL, MariaDB), the statement that drops such temporary tables among
   *  `tables` (qualified names as retort's statements write them), never a table: retort sends
   *  it after a revision's SQL, before statements of its own on those tables. null where no
   *  temporary table can hide a qualified name (PostgreSQL keeps them in a schema of their own). */
  dropHidingTables(tables: readonly string[]): string | null;
  /** Whether running `sql` may create a temporary table (dropHidingTables): false where none
   *  can hide a table. Over-approximates: a statement that runs SQL its text does not show
   *  (a CALL, an EXECUTE) may. */
  mayCreateTemporaryTables(sql: string): boolean;
  /** The server lexes a whole multi-statement text before running any of it (PostgreSQL): a
   *  statement that changes how text is read takes effect only for later round trips. */
  readonly parsesWholeScript: boolean;

  /** Runs one of retort's own statements on the main connection, in retort's session modes
   *  whatever a revision left. `params` fill `?` placeholders, in order, as values the server
   *  never reads as SQL. Rejects with a DatabaseError. */
  query(sql: string, params?: readonly unknown[]): Promise<QueryResult>;
  /** Runs `statements` in one round trip, in order, each as written, in whatever modes the
   *  session is in: revision SQL and the bookkeeping that travels with it. Stops at the first
   *  error and rejects with a DatabaseError whose `statement` is its index, `position` counts
   *  from that statement, and `earlierRan` says whether the ones before it ran. */
  script(statements: readonly string[]): Promise<void>;
  /** Whether running `sql` may change how the server reads text sent after it in the same
   *  round trip (see parsesWholeScript). */
  changesParsing(sql: string): boolean;
  /** A section's statements as this server reads them (splitStatements in its dialect). */
  splitStatements(section: Section): Statement[];
  /** What `e`, from one of retort's own statements, says about the database, or null. */
  failureKind(e: DatabaseError): FailureKind | null;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;

  /** The schema (PostgreSQL) or database (MySQL) unqualified names resolve to. */
  currentSchema(): Promise<string>;
  tableExists(schema: string | null, table: string): Promise<boolean>;
  /** Column names of a table, lower case. */
  columns(schema: string | null, table: string): Promise<string[]>;
  /** What retort needs to know about `schema.table` before it reads or writes it, read from
   *  the catalog (whatever the session's search path); null when there is no such relation. */
  describeTable(schema: string, table: string): Promise<TableInfo | null>;

  /** Tries once to take the session-level lock `key`. The lock lives on a connection of its
   *  own that stays idle outside any transaction, so statements such as `CREATE INDEX
   *  CONCURRENTLY` on the main connection never wait for it, and it goes away with the
   *  process. */
  tryLock(key: string, on?: LockConnection): Promise<boolean>;
  /** Who holds `key`, or null when nobody does or the database cannot tell. */
  lockHolder(key: string): Promise<LockHolder | null>;
  /** The statement a user runs to end the server session `pid` (a lock holder's), for advice. */
  endSessionStatement(pid: string): string;
  unlock(key: string, on?: LockConnection): Promise<void>;
  /** The statement with which another client's connection (Alembic's, doing a deploy's work
   *  for it) tries once to take `key` as a session lock, the same lock as tryLock's: `?`
   *  placeholders and their values; its row's first column is true or 1 when taken. */
  lockStatement(key: string): { readonly sql: string; readonly params: readonly unknown[] };

  /** Closes every connection. Safe to call twice. */
  close(): Promise<void>;
}

/** Where a lock is taken: the idle lock connection (the default), or the main connection, whose
 *  lock lasts as long as the server still runs something it was sent (see Runner.withLock). */
export type LockConnection = "lock" | "main";

/** What a driver needs to open a connection. */
export interface ConnectOptions<T extends ConnectionTarget = ConnectionTarget> {
  /** Where to connect, parsed once (the secrets in it never leave the driver; its display and
   *  secrets list are what the driver shows and scrubs). */
  readonly target: T;
  /** `application_name` / connection attribute naming retort and the CI run. */
  readonly applicationName: string;
  /** Connection attempt timeout in milliseconds. */
  readonly connectTimeoutMs: number;
}
