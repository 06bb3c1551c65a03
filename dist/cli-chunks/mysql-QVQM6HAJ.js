#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  MYSQL_BOOKKEEPING,
  connectionError
} from "./chunk-QUO2DOHV.js";
import {
  DatabaseError
} from "./chunk-RT6IAIP2.js";
import {
  sessionProofLiteral,
  splitStatements
} from "./chunk-R35MOS62.js";
import {
  scrubSecrets,
  tlsOptions
} from "./chunk-UV5IUGZN.js";
import {
  RetortError
} from "./chunk-L5Z724Z2.js";
import "./chunk-KTFMP3DX.js";

// src/db/mysql.ts
import { createHash } from "node:crypto";

// src/db/tracked.ts
var START_CLOCK = "SET @retort_started = NOW(6)";
var SINCE_CLOCK = "TIMESTAMPDIFF(MICROSECOND, @retort_started, NOW(6)) DIV 1000";
var skippedUnderTableLocks = (update) => `BEGIN NOT ATOMIC DECLARE CONTINUE HANDLER FOR 1099, 1100 BEGIN END; ${update}; END`;
var TRACKED_PROTOCOL = {
  atomic: false,
  recordsNextStart: true,
  // transaction:false only matters where DDL is transactional: here every revision runs so.
  fuses: () => true,
  checkedChanges(changes) {
    const text = changes.map(
      (c) => c.mark === null ? `${c.sql};` : `${c.sql}; SET n = ROW_COUNT(); IF n <> 1 THEN SET m = CONCAT(${c.mark}, n); SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = m; END IF;`
    ).join(" ");
    return `BEGIN NOT ATOMIC DECLARE n BIGINT; DECLARE m VARCHAR(128); ${text} END`;
  },
  trip(step, i, context) {
    const out = [];
    const own = (sql, role, reached = i) => ({ sql, statement: null, role, reached });
    if (i === 0) {
      if (!context.startRecorded) out.push(own(step.startedRow(), "started"));
      out.push(own(START_CLOCK, "session"));
    } else out.push(own(skippedUnderTableLocks(step.reached(i + 1)), "reached"));
    const statement = step.statements[i];
    if (statement !== void 0) out.push({ sql: statement, statement: i + 1, role: null, reached: i });
    if (i >= step.statements.length - 1) {
      const reached = statement !== void 0 ? i + 1 : i;
      out.push(own("START TRANSACTION", "historyRow", reached));
      out.push(own(step.checked, "versionChange", reached));
      out.push(own(step.finishStarted(SINCE_CLOCK), "historyRow", reached));
      if (context.next) out.push(own(context.next.startedRow(), "started", reached));
      out.push(own("COMMIT", "historyRow", reached));
    }
    return out;
  }
};

// src/db/mysql.ts
var mysqlModule = null;
var MAX_LOCK_NAME = 64;
var LOCK_WAIT_TIMEOUT = 31536e3;
function lockName(key) {
  if (key.length <= MAX_LOCK_NAME) return key;
  const prefix = "retort:";
  return prefix + createHash("sha256").update(key).digest("hex").slice(0, MAX_LOCK_NAME - prefix.length);
}
function isServerError(e) {
  return e instanceof Error && typeof e.errno === "number" && typeof e.sqlState === "string";
}
function toMysqlDatabaseError(e, target) {
  const secrets = target?.secrets ?? [];
  if (isServerError(e)) {
    return new DatabaseError(scrubSecrets(e.message, secrets), e.code ?? String(e.errno), null);
  }
  return e instanceof Error ? new Error(scrubSecrets(e.message, secrets)) : new Error(scrubSecrets(String(e), secrets));
}
function fillPlaceholders(sql, params) {
  const pieces = sql.split("?");
  if (pieces.length !== params.length + 1) throw new Error(`${params.length} parameter(s) for ${pieces.length - 1} placeholder(s) in: ${sql}`);
  return pieces.reduce((out, piece, i) => out + mysqlValue(params[i - 1]) + piece);
}
function mysqlValue(v) {
  if (v === null || v === void 0) return "NULL";
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
var PINNED = [
  ["sql_mode", "_utf8mb4'NO_ENGINE_SUBSTITUTION'", "text"],
  ["autocommit", "1", "number"],
  ["time_zone", "_utf8mb4'+00:00'", "text"],
  ["sql_select_limit", "DEFAULT", "number"],
  ["sql_safe_updates", "0", "number"],
  ["character_set_client", "_utf8mb4'utf8mb4'", "text"],
  ["character_set_results", "_utf8mb4'utf8mb4'", "text"],
  ["collation_connection", "_utf8mb4'utf8mb4_unicode_ci'", "text"],
  ["insert_id", "0", "number"]
];
function savedOr(variable, type) {
  const typed = (v) => type === "number" ? `CAST(${v} AS UNSIGNED)` : v;
  return `IF(@retort_pinned, ${typed(`@retort_${variable}`)}, ${typed(`@@SESSION.${variable}`)})`;
}
var MYSQL_SESSION_MODES = {
  enter: `SET ${PINNED.map(([v, , type]) => `@retort_${v} = ${savedOr(v, type)}`).join(", ")}, @retort_pinned = 1, ` + PINNED.map(([v, value]) => `SESSION ${v} = ${value}`).join(", "),
  leave: `SET ${PINNED.map(([v, , type]) => `SESSION ${v} = ${savedOr(v, type)}`).join(", ")}, @retort_pinned = NULL`
};
var FAILURE_KINDS = {
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
  ER_TABLE_NOT_LOCKED_FOR_WRITE: "table-locks"
};
var MANY_RESULTS = /^(?:\s+|--[^\n]*(?:\n|$)|#[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*(?:\w+\s*:\s*)?(?:call|begin\s+not\s+atomic|if|case|loop|while|repeat|for)\b/i;
function failedStatement(statements, results) {
  let r = 0;
  for (let i = 0; i < statements.length; i++) {
    if (MANY_RESULTS.test(statements[i])) {
      while (r < results.length && Array.isArray(results[r])) r++;
    }
    if (r >= results.length) return i;
    r++;
  }
  return statements.length - 1;
}
function isHeader(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value) && typeof value.affectedRows === "number";
}
function toQueryResult(raw) {
  if (isHeader(raw)) return { rows: [], affectedRows: raw.affectedRows };
  const parts = raw;
  if (parts.length > 0 && parts.every((p) => Array.isArray(p) || isHeader(p))) {
    const sets = parts.filter((p) => Array.isArray(p));
    const header = parts.filter(isHeader).pop();
    return { rows: sets[0] ?? [], affectedRows: header?.affectedRows ?? 0 };
  }
  return { rows: parts, affectedRows: 0 };
}
var MysqlDriver = class _MysqlDriver {
  dialect = "mysql";
  /** MariaDB (10.1+) runs `BEGIN NOT ATOMIC ... END` outside stored programs; MySQL does not. */
  anonymousBlocks;
  transactionalDdl = false;
  sharedLock = true;
  bookkeeping = MYSQL_BOOKKEEPING;
  sessionModes = MYSQL_SESSION_MODES;
  /** Each statement of a multi-statement text is parsed when it is reached. */
  parsesWholeScript = false;
  target;
  connection;
  lockConn = null;
  options;
  constructor(connection, options, mariadb) {
    this.connection = connection;
    this.anonymousBlocks = mariadb;
    this.options = options;
    this.target = options.target.display;
  }
  /** MariaDB checks the version change in an anonymous block; without one (MySQL) each
   *  statement takes a round trip of its own. Read each time: the tests turn the capability
   *  off on a MariaDB connection to drive MySQL's path. */
  get protocol() {
    return this.anonymousBlocks ? TRACKED_PROTOCOL : null;
  }
  splitStatements(section) {
    return splitStatements(section, "mysql");
  }
  endSessionStatement(pid) {
    return `KILL ${pid}`;
  }
  static async connect(options) {
    const connection = await _MysqlDriver.open(options, options.applicationName, true);
    let version;
    try {
      const [raw] = await connection.query("SET time_zone = '+00:00'; SELECT VERSION() AS v");
      version = String(toQueryResult(raw).rows[0]?.v ?? "");
    } catch (e) {
      connection.destroy();
      throw toMysqlDatabaseError(e, options.target);
    }
    return new _MysqlDriver(connection, options, /mariadb/i.test(version));
  }
  /** One connection, or a RetortError("connection") naming host and port. Every setting comes
   *  from the target; mysql2 never sees the URL. */
  static async open(options, programName, multipleStatements = false) {
    const t = options.target;
    const tls = tlsOptions(t.tls);
    const ssl = tls ? {
      ...typeof tls.ca === "string" ? { ca: tls.ca } : {},
      ...typeof tls.cert === "string" ? { cert: tls.cert } : {},
      ...typeof tls.key === "string" ? { key: tls.key } : {},
      ...tls.passphrase !== void 0 ? { passphrase: tls.passphrase } : {},
      rejectUnauthorized: tls.rejectUnauthorized !== false,
      verifyIdentity: t.tls?.verify === "verify-full"
    } : void 0;
    let connection;
    try {
      mysqlModule ??= (await import("./promise-PISJCZFW.js")).default;
      connection = await mysqlModule.createConnection({
        host: t.host,
        port: t.port,
        user: t.user ?? void 0,
        password: t.password ?? void 0,
        database: t.database ?? void 0,
        ...ssl ? { ssl } : {},
        connectTimeout: t.connectTimeoutMs ?? options.connectTimeoutMs,
        // Only on the main connection, and only ever used with retort's own quoting.
        multipleStatements,
        dateStrings: true,
        timezone: "Z",
        connectAttributes: { program_name: programName }
      });
    } catch (e) {
      throw connectionError(e, t);
    }
    connection.on("error", () => void 0);
    return connection;
  }
  main() {
    if (!this.connection) throw new Error(`The connection to ${this.target} is closed.`);
    return this.connection;
  }
  async query(sql, params = []) {
    const connection = this.main();
    try {
      const [raw] = await connection.query(`${MYSQL_SESSION_MODES.enter};
${params.length > 0 ? fillPlaceholders(sql, params) : sql}`);
      const parts = raw;
      return toQueryResult(parts.length === 2 ? parts[1] : parts.slice(1));
    } catch (e) {
      throw toMysqlDatabaseError(e, this.options.target);
    }
  }
  async script(statements) {
    const core = this.main().connection;
    await new Promise((resolve, reject) => {
      const query = core.query(statements.join(";\n"), (err) => {
        if (!err) return resolve();
        const base = toMysqlDatabaseError(err, this.options.target);
        const index = Array.isArray(query._rows) ? failedStatement(statements, query._rows) : null;
        reject(new DatabaseError(base.message, base instanceof DatabaseError ? base.code : null, null, { statement: index, earlierRan: true }));
      });
    });
  }
  changesParsing() {
    return false;
  }
  /** A temporary table shadows the table of its name for the session, qualified or not: a
   *  revision's `CREATE TEMPORARY TABLE alembic_version_history (...)` would take retort's rows
   *  and lose them with the session. DROP TEMPORARY never touches a table (and needs no
   *  privilege). */
  dropHidingTables(tables) {
    return `DROP TEMPORARY TABLE IF EXISTS ${tables.join(", ")}`;
  }
  /** Only a statement that says TEMPORARY, or runs SQL its text does not show (a CALL, an
   *  EXECUTE of a prepared statement, a compound statement), can create a temporary table. */
  mayCreateTemporaryTables(sql) {
    return /temporary/i.test(sql) || MANY_RESULTS.test(sql) || /^(?:\s+|--[^\n]*(?:\n|$)|#[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*execute\b/i.test(sql);
  }
  failureKind(e) {
    return e.code && FAILURE_KINDS[e.code] || null;
  }
  async describeTable(schema, table) {
    const read = () => this.query(
      "SELECT (SELECT table_type FROM information_schema.tables WHERE table_schema = ? AND table_name = ?) AS kind, column_name AS name, is_nullable AS nullable, column_default AS dflt, extra, character_maximum_length AS max_chars, character_octet_length AS max_bytes FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
      [schema, table, schema, table]
    );
    let { rows } = await read();
    for (let attempt = 0; attempt < 20 && rows.length > 0 && (rows[0].kind === null || rows[0].kind === void 0); attempt++) {
      await new Promise((r) => setTimeout(r, 100));
      ({ rows } = await read());
    }
    const first = rows[0];
    if (!first) return null;
    const kind = String(first.kind);
    const count = (v) => v === null || v === void 0 ? null : Number(v);
    return {
      kind: kind === "BASE TABLE" || kind === "SYSTEM VERSIONED" ? "table" : kind === "VIEW" ? "view" : "other",
      columns: rows.filter((r) => r.name !== null && r.name !== void 0).map((r) => ({
        name: String(r.name).toLowerCase(),
        notNull: String(r.nullable) === "NO",
        hasDefault: r.dflt !== null || /auto_increment|generated/i.test(String(r.extra ?? "")),
        maxChars: count(r.max_chars),
        maxBytes: count(r.max_bytes)
      })),
      privileges: null
    };
  }
  async begin() {
    await this.query("START TRANSACTION");
  }
  async commit() {
    await this.query("COMMIT");
  }
  /** Also ends the table locks a failed revision may hold (LOCK TABLES, which ROLLBACK leaves):
   *  retort's statements after it, recording the failure, must reach their tables. */
  async rollback() {
    await this.script([MYSQL_SESSION_MODES.enter, "ROLLBACK", "UNLOCK TABLES"]);
  }
  async currentSchema() {
    const { rows } = await this.query("SELECT DATABASE() AS s");
    const name = rows[0]?.s;
    if (name === null || name === void 0) {
      throw new RetortError(
        "usage",
        `The database URL '${this.target}' names no database: add one after the port, e.g. mysql://USER:PASSWORD@HOST:3306/DATABASE.`
      );
    }
    return String(name);
  }
  async tableExists(schema, table) {
    const { rows } = await this.query(
      "SELECT 1 AS e FROM information_schema.tables WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ? LIMIT 1",
      [schema, table]
    );
    return rows.length > 0;
  }
  async columns(schema, table) {
    const { rows } = await this.query(
      "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ? ORDER BY ordinal_position",
      [schema, table]
    );
    return rows.map((r) => String(r.c).toLowerCase());
  }
  async lockConnection() {
    if (!this.lockConn) {
      const connection = await _MysqlDriver.open(this.options, `${this.options.applicationName} (lock)`);
      await connection.query(`SET SESSION wait_timeout = ${LOCK_WAIT_TIMEOUT}`).catch(() => void 0);
      this.lockConn = connection;
    }
    return this.lockConn;
  }
  async lockQuery(sql, params) {
    const connection = await this.lockConnection();
    try {
      const [raw] = await connection.query(fillPlaceholders(sql, params));
      return toQueryResult(raw).rows[0];
    } catch (e) {
      throw toMysqlDatabaseError(e, this.options.target);
    }
  }
  async tryLock(key, on = "lock") {
    const sql = "SELECT GET_LOCK(?, 0) AS got";
    const row = on === "main" ? (await this.query(sql, [lockName(key)])).rows[0] : await this.lockQuery(sql, [lockName(key)]);
    return Number(row?.got) === 1;
  }
  lockStatement(key) {
    return { sql: "SELECT GET_LOCK(?, 0) AS got", params: [lockName(key)] };
  }
  async lockHolder(key) {
    const { rows } = await this.query("SELECT IS_USED_LOCK(?) AS id", [lockName(key)]);
    const id = rows[0]?.id;
    if (id === null || id === void 0) return null;
    const pid = String(id);
    const { rows: procs } = await this.query("SELECT user AS u, host AS h, time AS t FROM information_schema.processlist WHERE id = ?", [id]);
    const proc = procs[0];
    if (!proc) return { pid, application: null, since: null };
    const seconds = Number(proc.t);
    const since = Number.isFinite(seconds) ? new Date(Date.now() - seconds * 1e3).toISOString() : null;
    const application = await this.programName(id) ?? `${String(proc.u)}@${String(proc.h)}`;
    return { pid, application, since };
  }
  /** The holder's program_name connection attribute, when performance_schema is on and readable. */
  async programName(id) {
    try {
      const { rows } = await this.query(
        "SELECT attr_value AS v FROM performance_schema.session_connect_attrs WHERE processlist_id = ? AND attr_name = 'program_name' LIMIT 1",
        [id]
      );
      const value = rows[0]?.v;
      return value === null || value === void 0 || value === "" ? null : String(value);
    } catch {
      return null;
    }
  }
  async unlock(key, on = "lock") {
    if (on === "main") {
      await this.query("SELECT RELEASE_LOCK(?) AS released", [lockName(key)]);
      return;
    }
    if (!this.lockConn) return;
    await this.lockQuery("SELECT RELEASE_LOCK(?) AS released", [lockName(key)]);
  }
  async close() {
    const connections = [this.connection, this.lockConn].filter((c) => c !== null);
    this.connection = null;
    this.lockConn = null;
    await Promise.all(
      connections.map(
        (c) => c.end().catch(() => {
          c.destroy();
        })
      )
    );
  }
};
export {
  MYSQL_SESSION_MODES,
  MysqlDriver,
  failedStatement,
  fillPlaceholders,
  lockName,
  toMysqlDatabaseError
};
