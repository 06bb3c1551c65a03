// MySQL and MariaDB through `mysql2/promise`: one connection for the work, a second one, opened
// on first use and never sent anything but lock statements, for the session-level GET_LOCK.
//
// Dates: `dateStrings: true`, so DATE, DATETIME and TIMESTAMP values come back as the server's
// own text (`2024-01-02 03:04:05`) instead of being reinterpreted in the Node process's local
// time zone. The session time zone is set to UTC right after connecting, so that text is UTC
// (NOW(), CURRENT_TIMESTAMP and TIMESTAMP columns alike), and `timezone: "Z"` makes any Date
// passed as a parameter be written as UTC text too.
//
// UPDATE's affectedRows counts matched rows, not only changed ones (mysql2 sets the FOUND_ROWS
// client flag by default), like PostgreSQL's row count.

import { createHash } from "node:crypto";
import type mysql from "mysql2/promise";

/** mysql2, loaded on first connect: commands that open no database never load it. */
let mysqlModule: typeof mysql | null = null;
import { RetortError } from "../core/errors.js";
import type { Section } from "../core/revision.js";
import { sessionProofLiteral, splitStatements, type Statement } from "../core/sql.js";
import { MYSQL_BOOKKEEPING } from "./bookkeeping.js";
import type { FusedProtocol } from "./protocol.js";
import { TRACKED_PROTOCOL } from "./tracked.js";
import {
  DatabaseError,
  type ConnectOptions,
  type Driver,
  type FailureKind,
  type LockConnection,
  type LockHolder,
  type QueryResult,
  type SessionModes,
  type TableInfo,
} from "./driver.js";
import { connectionError } from "./postgres.js";
import { scrubSecrets, tlsOptions, type ServerTarget } from "./target.js";

/** GET_LOCK names longer than this are rejected by MySQL 5.7+. */
const MAX_LOCK_NAME = 64;
/** The longest wait_timeout the server accepts: an idle lock connection must not be dropped
 *  (and its lock silently released) while a long migration runs on the main connection. */
const LOCK_WAIT_TIMEOUT = 31_536_000;

/** The GET_LOCK name for `key`: the key itself when it fits, else `retort:` and a sha256 prefix. */
export function lockName(key: string): string {
  if (key.length <= MAX_LOCK_NAME) return key;
  const prefix = "retort:";
  return prefix + createHash("sha256").update(key).digest("hex").slice(0, MAX_LOCK_NAME - prefix.length);
}

interface MysqlServerError extends Error {
  code?: string;
  errno: number;
  sqlState: string;
}

function isServerError(e: unknown): e is MysqlServerError {
  return e instanceof Error && typeof (e as { errno?: unknown }).errno === "number" && typeof (e as { sqlState?: unknown }).sqlState === "string";
}

/** A server error as a DatabaseError (code e.g. `ER_PARSE_ERROR`; MySQL reports no character
 *  offset, only `at line N` inside the message, which is kept as it is). */
export function toMysqlDatabaseError(e: unknown, target: { readonly secrets: readonly string[] } | null): Error {
  const secrets = target?.secrets ?? [];
  if (isServerError(e)) {
    return new DatabaseError(scrubSecrets(e.message, secrets), e.code ?? String(e.errno), null);
  }
  return e instanceof Error ? new Error(scrubSecrets(e.message, secrets)) : new Error(scrubSecrets(String(e), secrets));
}

/** `?` placeholders filled client-side with literals that mean the same in every sql_mode and
 *  character set (mysql2's own substitution escapes with backslashes, which NO_BACKSLASH_ESCAPES
 *  turns into quotes that end the string). Only retort's own statements have placeholders. */
export function fillPlaceholders(sql: string, params: readonly unknown[]): string {
  const pieces = sql.split("?");
  if (pieces.length !== params.length + 1) throw new Error(`${params.length} parameter(s) for ${pieces.length - 1} placeholder(s) in: ${sql}`);
  return pieces.reduce((out, piece, i) => out + mysqlValue(params[i - 1]) + piece);
}

function mysqlValue(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "boolean") return v ? "TRUE" : "FALSE";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`Cannot send ${v} to MySQL.`);
    return String(v);
  }
  if (typeof v === "bigint") return String(v);
  if (v instanceof Date) return sessionProofLiteral(v.toISOString().replace("T", " ").replace("Z", ""), "mysql");
  if (typeof v === "string") return sessionProofLiteral(v, "mysql");
  throw new Error(`Cannot send a ${typeof v} to MySQL as a parameter.`);
}

/** The session variables a revision may change that retort's own statements depend on, and the
 *  value retort pins each to: sql_mode (NO_BACKSLASH_ESCAPES, ANSI_QUOTES, PIPES_AS_CONCAT,
 *  ORACLE, EMPTY_STRING_IS_NULL, strictness: retort bounds what it writes and prefers a row
 *  with a replaced character to no row), autocommit (its writes outside transactions must
 *  commit), time_zone (its times are UTC), sql_select_limit (it reads every version row),
 *  sql_safe_updates, the character sets mysql2 speaks (UTF-8; the connection's too: in ucs2,
 *  utf16 or utf32 the server misreads plain literals such as a time zone), and insert_id (the
 *  AUTO_INCREMENT value the next INSERT takes, which would give a history row an id that is
 *  taken). Values are literals with an introducer, which the connection's character set, read
 *  before the SET pins it, does not change. */
const PINNED: readonly [string, string, "number" | "text"][] = [
  ["sql_mode", "_utf8mb4'NO_ENGINE_SUBSTITUTION'", "text"],
  ["autocommit", "1", "number"],
  ["time_zone", "_utf8mb4'+00:00'", "text"],
  ["sql_select_limit", "DEFAULT", "number"],
  ["sql_safe_updates", "0", "number"],
  ["character_set_client", "_utf8mb4'utf8mb4'", "text"],
  ["character_set_results", "_utf8mb4'utf8mb4'", "text"],
  ["collation_connection", "_utf8mb4'utf8mb4_unicode_ci'", "text"],
  ["insert_id", "0", "number"],
];

/** A saved value or the session's: IF() over a user variable that was never set gives text,
 *  which numeric variables refuse, so those are cast. */
function savedOr(variable: string, type: "number" | "text"): string {
  const typed = (v: string) => (type === "number" ? `CAST(${v} AS UNSIGNED)` : v);
  return `IF(@retort_pinned, ${typed(`@retort_${variable}`)}, ${typed(`@@SESSION.${variable}`)})`;
}

/** Idempotent: `enter` saves the session's values only when they are not saved already (a
 *  statement after enter may fail before leave runs), `leave` restores only what was saved. */
export const MYSQL_SESSION_MODES: SessionModes = {
  enter:
    `SET ${PINNED.map(([v, , type]) => `@retort_${v} = ${savedOr(v, type)}`).join(", ")}, @retort_pinned = 1, ` +
    PINNED.map(([v, value]) => `SESSION ${v} = ${value}`).join(", "),
  leave: `SET ${PINNED.map(([v, , type]) => `SESSION ${v} = ${savedOr(v, type)}`).join(", ")}, @retort_pinned = NULL`,
};

/** Server error codes retort explains when one of its own statements fails. */
const FAILURE_KINDS: Record<string, FailureKind> = {
  ER_TABLEACCESS_DENIED_ERROR: "privilege",
  ER_COLUMNACCESS_DENIED_ERROR: "privilege",
  ER_DBACCESS_DENIED_ERROR: "privilege",
  ER_SPECIFIC_ACCESS_DENIED_ERROR: "privilege",
  ER_OPTION_PREVENTS_STATEMENT: "read-only",
  ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION: "read-only",
  ER_NO_DEFAULT_FOR_FIELD: "not-null",
  ER_BAD_NULL_ERROR: "not-null",
  ER_NON_INSERTABLE_TABLE: "not-a-table",
  ER_NON_UPDATABLE_TABLE: "not-a-table",
  ER_WRONG_OBJECT: "not-a-table",
  ER_NO_SUCH_TABLE: "missing-table",
  ER_BAD_DB_ERROR: "missing-table",
  ER_BAD_FIELD_ERROR: "missing-column",
  ER_DATA_TOO_LONG: "too-long",
  ER_TABLE_EXISTS_ERROR: "exists",
  ER_DUP_FIELDNAME: "exists",
  ER_DUP_KEYNAME: "exists",
  ER_TABLE_NOT_LOCKED: "table-locks",
  ER_TABLE_NOT_LOCKED_FOR_WRITE: "table-locks",
};

/** A statement that can send several results: a CALL (each result set its procedure selects,
 *  then an OK) and MariaDB's compound statements outside stored programs (BEGIN NOT ATOMIC,
 *  IF, CASE, LOOP, WHILE, REPEAT, FOR, labelled or not). Leading comments are skipped. */
const MANY_RESULTS = /^(?:\s+|--[^\n]*(?:\n|$)|#[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*(?:\w+\s*:\s*)?(?:call|begin\s+not\s+atomic|if|case|loop|while|repeat|for)\b/i;

/** The index of the statement of `statements` that failed, from the results that came before
 *  the error: every statement sends one (a result set or an OK), except those of MANY_RESULTS,
 *  which send any number of result sets and then an OK. Counting results instead would blame
 *  the statement after a CALL that selected something. */
export function failedStatement(statements: readonly string[], results: readonly unknown[]): number {
  let r = 0;
  for (let i = 0; i < statements.length; i++) {
    if (MANY_RESULTS.test(statements[i]!)) {
      while (r < results.length && Array.isArray(results[r])) r++;
    }
    if (r >= results.length) return i;
    r++;
  }
  return statements.length - 1;
}

function isHeader(value: unknown): value is mysql.ResultSetHeader {
  return typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as { affectedRows?: unknown }).affectedRows === "number";
}

/** Rows of a SELECT; affectedRows of DML; for a CALL (several result sets and a header at the
 *  end), the first result set and the header's count. */
function toQueryResult(raw: unknown): QueryResult {
  if (isHeader(raw)) return { rows: [], affectedRows: raw.affectedRows };
  const parts = raw as unknown[];
  if (parts.length > 0 && parts.every((p) => Array.isArray(p) || isHeader(p))) {
    const sets = parts.filter((p): p is Record<string, unknown>[] => Array.isArray(p));
    const header = parts.filter(isHeader).pop();
    return { rows: sets[0] ?? [], affectedRows: header?.affectedRows ?? 0 };
  }
  return { rows: parts as Record<string, unknown>[], affectedRows: 0 };
}

export class MysqlDriver implements Driver {
  readonly dialect = "mysql" as const;
  /** MariaDB (10.1+) runs `BEGIN NOT ATOMIC ... END` outside stored programs; MySQL does not. */
  readonly anonymousBlocks: boolean;
  readonly transactionalDdl = false;
  readonly sharedLock = true;
  readonly bookkeeping = MYSQL_BOOKKEEPING;
  readonly sessionModes = MYSQL_SESSION_MODES;
  /** Each statement of a multi-statement text is parsed when it is reached. */
  readonly parsesWholeScript = false;
  readonly target: string;
  private connection: mysql.Connection | null;
  private lockConn: mysql.Connection | null = null;
  private readonly options: ConnectOptions<ServerTarget>;

  private constructor(connection: mysql.Connection, options: ConnectOptions<ServerTarget>, mariadb: boolean) {
    this.connection = connection;
    this.anonymousBlocks = mariadb;
    this.options = options;
    this.target = options.target.display;
  }

  /** MariaDB checks the version change in an anonymous block; without one (MySQL) each
   *  statement takes a round trip of its own. Read each time: the tests turn the capability
   *  off on a MariaDB connection to drive MySQL's path. */
  get protocol(): FusedProtocol | null {
    return this.anonymousBlocks ? TRACKED_PROTOCOL : null;
  }

  splitStatements(section: Section): Statement[] {
    return splitStatements(section, "mysql");
  }

  endSessionStatement(pid: string): string {
    return `KILL ${pid}`;
  }

  static async connect(options: ConnectOptions<ServerTarget>): Promise<MysqlDriver> {
    const connection = await MysqlDriver.open(options, options.applicationName, true);
    let version: string;
    try {
      const [raw] = await connection.query("SET time_zone = '+00:00'; SELECT VERSION() AS v");
      version = String(toQueryResult(raw).rows[0]?.v ?? "");
    } catch (e) {
      connection.destroy();
      throw toMysqlDatabaseError(e, options.target);
    }
    return new MysqlDriver(connection, options, /mariadb/i.test(version));
  }

  /** One connection, or a RetortError("connection") naming host and port. Every setting comes
   *  from the target; mysql2 never sees the URL. */
  private static async open(options: ConnectOptions<ServerTarget>, programName: string, multipleStatements = false): Promise<mysql.Connection> {
    const t = options.target;
    // Throws a RetortError of its own for an unreadable certificate or key file.
    const tls = tlsOptions(t.tls);
    // mysql2 checks the host name only when asked (verifyIdentity), unlike tls.connect.
    const ssl: mysql.SslOptions | undefined = tls
      ? {
          ...(typeof tls.ca === "string" ? { ca: tls.ca } : {}),
          ...(typeof tls.cert === "string" ? { cert: tls.cert } : {}),
          ...(typeof tls.key === "string" ? { key: tls.key } : {}),
          ...(tls.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
          rejectUnauthorized: tls.rejectUnauthorized !== false,
          verifyIdentity: t.tls?.verify === "verify-full",
        }
      : undefined;
    let connection: mysql.Connection;
    try {
      mysqlModule ??= (await import("mysql2/promise")).default;
      connection = await mysqlModule.createConnection({
        host: t.host,
        port: t.port,
        user: t.user ?? undefined,
        password: t.password ?? undefined,
        database: t.database ?? undefined,
        ...(ssl ? { ssl } : {}),
        connectTimeout: t.connectTimeoutMs ?? options.connectTimeoutMs,
        // Only on the main connection, and only ever used with retort's own quoting.
        multipleStatements,
        dateStrings: true,
        timezone: "Z",
        connectAttributes: { program_name: programName },
      });
    } catch (e) {
      throw connectionError(e, t);
    }
    // A connection that dies under us must not crash the process with an unhandled error.
    connection.on("error", () => undefined);
    return connection;
  }

  private main(): mysql.Connection {
    if (!this.connection) throw new Error(`The connection to ${this.target} is closed.`);
    return this.connection;
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<QueryResult> {
    const connection = this.main();
    try {
      const [raw] = await connection.query(`${MYSQL_SESSION_MODES.enter};\n${params.length > 0 ? fillPlaceholders(sql, params) : sql}`);
      const parts = raw as unknown[];
      return toQueryResult(parts.length === 2 ? parts[1] : parts.slice(1));
    } catch (e) {
      throw toMysqlDatabaseError(e, this.options.target);
    }
  }

  async script(statements: readonly string[]): Promise<void> {
    // The core connection's Query, which keeps the results that had come when an error came.
    const core = (this.main() as unknown as { connection: { query: (sql: string, cb: (err: Error | null) => void) => { _rows?: unknown[] } } }).connection;
    await new Promise<void>((resolve, reject) => {
      const query = core.query(statements.join(";\n"), (err) => {
        if (!err) return resolve();
        const base = toMysqlDatabaseError(err, this.options.target);
        const index = Array.isArray(query._rows) ? failedStatement(statements, query._rows) : null;
        reject(new DatabaseError(base.message, base instanceof DatabaseError ? base.code : null, null, { statement: index, earlierRan: true }));
      });
    });
  }

  changesParsing(): boolean {
    return false;
  }

  /** A temporary table shadows the table of its name for the session, qualified or not: a
   *  revision's `CREATE TEMPORARY TABLE alembic_version_history (...)` would take retort's rows
   *  and lose them with the session. DROP TEMPORARY never touches a table (and needs no
   *  privilege). */
  dropHidingTables(tables: readonly string[]): string {
    return `DROP TEMPORARY TABLE IF EXISTS ${tables.join(", ")}`;
  }

  /** Only a statement that says TEMPORARY, or runs SQL its text does not show (a CALL, an
   *  EXECUTE of a prepared statement, a compound statement), can create a temporary table. */
  mayCreateTemporaryTables(sql: string): boolean {
    return /temporary/i.test(sql) || MANY_RESULTS.test(sql) || /^(?:\s+|--[^\n]*(?:\n|$)|#[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*execute\b/i.test(sql);
  }

  failureKind(e: DatabaseError): FailureKind | null {
    return (e.code && FAILURE_KINDS[e.code]) || null;
  }

  async describeTable(schema: string, table: string): Promise<TableInfo | null> {
    // No join: MariaDB would read the columns of every database for it.
    const read = () =>
      this.query(
        "SELECT (SELECT table_type FROM information_schema.tables WHERE table_schema = ? AND table_name = ?) AS kind, column_name AS name, " +
          "is_nullable AS nullable, column_default AS dflt, extra, character_maximum_length AS max_chars, character_octet_length AS max_bytes " +
          "FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        [schema, table, schema, table],
      );
    let { rows } = await read();
    // Columns without a table: another session's ALTER TABLE is swapping the table in that
    // moment (another application adding retort's columns to the history table they share).
    for (let attempt = 0; attempt < 20 && rows.length > 0 && (rows[0]!.kind === null || rows[0]!.kind === undefined); attempt++) {
      await new Promise((r) => setTimeout(r, 100));
      ({ rows } = await read());
    }
    const first = rows[0];
    if (!first) return null;
    const kind = String(first.kind);
    const count = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return {
      kind: kind === "BASE TABLE" || kind === "SYSTEM VERSIONED" ? "table" : kind === "VIEW" ? "view" : "other",
      columns: rows
        .filter((r) => r.name !== null && r.name !== undefined)
        .map((r) => ({
          name: String(r.name).toLowerCase(),
          notNull: String(r.nullable) === "NO",
          hasDefault: r.dflt !== null || /auto_increment|generated/i.test(String(r.extra ?? "")),
          maxChars: count(r.max_chars),
          maxBytes: count(r.max_bytes),
        })),
      privileges: null,
    };
  }

  async begin(): Promise<void> {
    await this.query("START TRANSACTION");
  }
  async commit(): Promise<void> {
    await this.query("COMMIT");
  }
  /** Also ends the table locks a failed revision may hold (LOCK TABLES, which ROLLBACK leaves):
   *  retort's statements after it, recording the failure, must reach their tables. */
  async rollback(): Promise<void> {
    await this.script([MYSQL_SESSION_MODES.enter, "ROLLBACK", "UNLOCK TABLES"]);
  }

  async currentSchema(): Promise<string> {
    const { rows } = await this.query("SELECT DATABASE() AS s");
    const name = rows[0]?.s;
    if (name === null || name === undefined) {
      throw new RetortError(
        "usage",
        `The database URL '${this.target}' names no database: add one after the port, e.g. mysql://USER:PASSWORD@HOST:3306/DATABASE.`,
      );
    }
    return String(name);
  }

  async tableExists(schema: string | null, table: string): Promise<boolean> {
    const { rows } = await this.query(
      "SELECT 1 AS e FROM information_schema.tables WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ? LIMIT 1",
      [schema, table],
    );
    return rows.length > 0;
  }

  async columns(schema: string | null, table: string): Promise<string[]> {
    const { rows } = await this.query(
      "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ? " +
        "ORDER BY ordinal_position",
      [schema, table],
    );
    return rows.map((r) => String(r.c).toLowerCase());
  }

  private async lockConnection(): Promise<mysql.Connection> {
    if (!this.lockConn) {
      const connection = await MysqlDriver.open(this.options, `${this.options.applicationName} (lock)`);
      await connection.query(`SET SESSION wait_timeout = ${LOCK_WAIT_TIMEOUT}`).catch(() => undefined);
      this.lockConn = connection;
    }
    return this.lockConn;
  }

  private async lockQuery(sql: string, params: unknown[]): Promise<Record<string, unknown> | undefined> {
    const connection = await this.lockConnection();
    try {
      const [raw] = await connection.query(fillPlaceholders(sql, params));
      return toQueryResult(raw).rows[0];
    } catch (e) {
      throw toMysqlDatabaseError(e, this.options.target);
    }
  }

  async tryLock(key: string, on: LockConnection = "lock"): Promise<boolean> {
    // 1: taken (or already held by this session: MySQL and MariaDB count nested GET_LOCKs);
    // 0: held by another session; NULL: an error such as the session being killed.
    const sql = "SELECT GET_LOCK(?, 0) AS got";
    const row = on === "main" ? (await this.query(sql, [lockName(key)])).rows[0] : await this.lockQuery(sql, [lockName(key)]);
    return Number(row?.got) === 1;
  }

  lockStatement(key: string): { sql: string; params: unknown[] } {
    return { sql: "SELECT GET_LOCK(?, 0) AS got", params: [lockName(key)] };
  }

  async lockHolder(key: string): Promise<LockHolder | null> {
    const { rows } = await this.query("SELECT IS_USED_LOCK(?) AS id", [lockName(key)]);
    const id = rows[0]?.id;
    if (id === null || id === undefined) return null;
    const pid = String(id);
    // Without the PROCESS privilege, only the user's own sessions are listed.
    const { rows: procs } = await this.query("SELECT user AS u, host AS h, time AS t FROM information_schema.processlist WHERE id = ?", [id]);
    const proc = procs[0];
    if (!proc) return { pid, application: null, since: null };
    const seconds = Number(proc.t);
    const since = Number.isFinite(seconds) ? new Date(Date.now() - seconds * 1000).toISOString() : null;
    const application = (await this.programName(id)) ?? `${String(proc.u)}@${String(proc.h)}`;
    return { pid, application, since };
  }

  /** The holder's program_name connection attribute, when performance_schema is on and readable. */
  private async programName(id: unknown): Promise<string | null> {
    try {
      const { rows } = await this.query(
        "SELECT attr_value AS v FROM performance_schema.session_connect_attrs WHERE processlist_id = ? AND attr_name = 'program_name' LIMIT 1",
        [id],
      );
      const value = rows[0]?.v;
      return value === null || value === undefined || value === "" ? null : String(value);
    } catch {
      return null;
    }
  }

  async unlock(key: string, on: LockConnection = "lock"): Promise<void> {
    if (on === "main") {
      await this.query("SELECT RELEASE_LOCK(?) AS released", [lockName(key)]);
      return;
    }
    if (!this.lockConn) return;
    await this.lockQuery("SELECT RELEASE_LOCK(?) AS released", [lockName(key)]);
  }

  async close(): Promise<void> {
    const connections = [this.connection, this.lockConn].filter((c): c is mysql.Connection => c !== null);
    this.connection = null;
    this.lockConn = null;
    await Promise.all(
      connections.map((c) =>
        c.end().catch(() => {
          c.destroy();
        }),
      ),
    );
  }
}
