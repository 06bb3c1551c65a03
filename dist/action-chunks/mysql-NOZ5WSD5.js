#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  connectionError
} from "./chunk-AEV7HVQC.js";
import {
  DatabaseError,
  scrubSecrets,
  tlsOptions
} from "./chunk-GZVEDAZT.js";
import {
  RetortError
} from "./chunk-ORFVBTCF.js";
import "./chunk-TNZW6T2I.js";

// src/db/mysql.ts
import { createHash } from "node:crypto";
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
  multiStatement = true;
  /** MariaDB (10.1+) runs `BEGIN NOT ATOMIC ... END` outside stored programs; MySQL does not. */
  anonymousBlocks;
  transactionalDdl = false;
  sharedLock = true;
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
      mysqlModule ??= (await import("./promise-LWDOMGYS.js")).default;
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
      const [raw] = await connection.query(sql, params.length > 0 ? params : void 0);
      return toQueryResult(raw);
    } catch (e) {
      throw toMysqlDatabaseError(e, this.options.target);
    }
  }
  async begin() {
    await this.query("START TRANSACTION");
  }
  async commit() {
    await this.query("COMMIT");
  }
  async rollback() {
    await this.query("ROLLBACK");
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
      const [raw] = await connection.query(sql, params);
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
  MysqlDriver,
  lockName,
  toMysqlDatabaseError
};
