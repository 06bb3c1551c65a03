// The one small interface every database driver implements. The runner composes drivers; it
// never asks which database it talks to, only for the capabilities below.

import type { Dialect } from "../core/sql.js";
import type { ConnectionTarget } from "./target.js";

export interface QueryResult {
  readonly rows: readonly Record<string, unknown>[];
  /** Rows inserted, updated or deleted by the statement. */
  readonly affectedRows: number;
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
  constructor(message: string, code: string | null, position: number | null) {
    super(message);
    this.name = "DatabaseError";
    this.code = code;
    this.position = position;
  }
}

export interface Driver {
  /** SQL flavour of the version-table statements and of offline SQL. */
  readonly dialect: Dialect;
  /** Where this driver is connected, without the password, e.g. `postgresql://ci@db:5432/app`. */
  readonly target: string;
  /** DDL runs inside transactions (PostgreSQL, PGlite) rather than committing implicitly. */
  readonly transactionalDdl: boolean;
  /** Whether two processes can contend for the lock (false for in-memory PGlite). */
  readonly sharedLock: boolean;
  /** `query` without parameters takes several `;`-separated statements in one round trip,
   *  stopping at the first error (PostgreSQL's simple protocol, MySQL's multi-statements). */
  readonly multiStatement: boolean;
  /** The server runs anonymous procedural blocks (PostgreSQL's `DO`, MariaDB's `BEGIN NOT
   *  ATOMIC`; not MySQL), with which retort checks its version-table change on the server
   *  instead of in a round trip of its own. */
  readonly anonymousBlocks: boolean;

  /** Runs one statement on the main connection. `params` fill `?` placeholders, in order; they
   *  are only used with retort's own statements, never with revision SQL. Rejects with a
   *  DatabaseError. */
  query(sql: string, params?: readonly unknown[]): Promise<QueryResult>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;

  /** The schema (PostgreSQL) or database (MySQL) unqualified names resolve to. */
  currentSchema(): Promise<string>;
  tableExists(schema: string | null, table: string): Promise<boolean>;
  /** Column names of a table, lower case. */
  columns(schema: string | null, table: string): Promise<string[]>;

  /** Tries once to take the session-level lock `key`. The lock lives on a connection of its
   *  own that stays idle outside any transaction, so statements such as `CREATE INDEX
   *  CONCURRENTLY` on the main connection never wait for it, and it goes away with the
   *  process. */
  tryLock(key: string, on?: LockConnection): Promise<boolean>;
  /** Who holds `key`, or null when nobody does or the database cannot tell. */
  lockHolder(key: string): Promise<LockHolder | null>;
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
