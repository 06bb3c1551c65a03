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
import { DatabaseError, type ConnectOptions, type Driver, type LockConnection, type LockHolder, type QueryResult } from "./driver.js";
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
  readonly multiStatement = true;
  /** MariaDB (10.1+) runs `BEGIN NOT ATOMIC ... END` outside stored programs; MySQL does not. */
  readonly anonymousBlocks: boolean;
  readonly transactionalDdl = false;
  readonly sharedLock = true;
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
      const [raw] = await connection.query(sql, params.length > 0 ? (params as unknown[]) : undefined);
      return toQueryResult(raw);
    } catch (e) {
      throw toMysqlDatabaseError(e, this.options.target);
    }
  }

  async begin(): Promise<void> {
    await this.query("START TRANSACTION");
  }
  async commit(): Promise<void> {
    await this.query("COMMIT");
  }
  async rollback(): Promise<void> {
    await this.query("ROLLBACK");
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
      const [raw] = await connection.query(sql, params);
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
