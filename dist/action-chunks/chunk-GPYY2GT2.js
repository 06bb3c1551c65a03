#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  DatabaseError,
  rowsChanged
} from "./chunk-QFBBDEGR.js";
import {
  createVersionTableSql,
  quoteIdent,
  sessionProofLiteral,
  splitStatements,
  versionTableName
} from "./chunk-DKZ2M3U5.js";
import {
  scrubSecrets,
  tlsOptions
} from "./chunk-MK6CWJHS.js";
import {
  RetortError
} from "./chunk-ORFVBTCF.js";

// src/db/postgres.ts
import { createHash } from "node:crypto";

// src/db/bookkeeping.ts
function dialectSql(dialect) {
  return {
    ident: (name) => quoteIdent(name, dialect),
    literal: (value) => sessionProofLiteral(value, dialect),
    table: (table) => versionTableName(table, dialect),
    createVersionTable: (table) => createVersionTableSql(table, dialect)
  };
}
var POSTGRES_BOOKKEEPING = {
  ...dialectSql("postgresql"),
  historyId: "id BIGSERIAL NOT NULL",
  timestampType: "TIMESTAMP WITHOUT TIME ZONE",
  tableOptions: "",
  createPrivilege: (schema) => `CREATE on schema ${schema}`
};
var MYSQL_BOOKKEEPING = {
  ...dialectSql("mysql"),
  historyId: "id BIGINT NOT NULL AUTO_INCREMENT",
  timestampType: "DATETIME(6)",
  // Whatever the server's default character set, the table holds any text.
  tableOptions: " DEFAULT CHARACTER SET utf8mb4",
  createPrivilege: (schema) => `CREATE on database ${schema}`
};

// src/db/transactional.ts
var DURATION_SINCE_BEGIN = "(EXTRACT(EPOCH FROM pg_catalog.clock_timestamp() - pg_catalog.now()) * 1000)::int";
var TRANSACTIONAL_PROTOCOL = {
  atomic: true,
  recordsNextStart: false,
  // A transaction:false revision runs outside a transaction, so apart.
  fuses: (section) => section.transaction,
  checkedChanges(changes) {
    const text = changes.map((c) => c.mark === null ? `${c.sql};` : `${c.sql}; GET DIAGNOSTICS n = ROW_COUNT; IF n <> 1 THEN RAISE EXCEPTION '%', ${c.mark} || n; END IF;`).join(" ");
    let tag = "$retort$";
    for (let n = 1; text.includes(tag); n++) tag = `$retort${n}$`;
    return `DO ${tag}DECLARE n bigint; BEGIN ${text} END${tag}`;
  },
  trip(step, i) {
    const out = [];
    if (i === 0) out.push({ sql: "BEGIN", statement: null, role: null, reached: i });
    const statement = step.statements[i];
    if (statement !== void 0) out.push({ sql: statement, statement: i + 1, role: null, reached: i });
    if (i >= step.statements.length - 1) {
      const reached = statement !== void 0 ? i + 1 : i;
      out.push({ sql: step.checked, statement: null, role: "versionChange", reached });
      out.push({ sql: step.finishedRow(DURATION_SINCE_BEGIN), statement: null, role: "historyRow", reached });
      out.push({ sql: "COMMIT", statement: null, role: null, reached });
    }
    return out;
  }
};

// src/db/postgres.ts
var pgModule = null;
async function loadPg() {
  pgModule ??= (await import("./esm-5AZMHMKB.js")).default;
  return pgModule;
}
function numberPlaceholders(sql) {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
function advisoryKey(key) {
  const digest = createHash("sha256").update(key).digest();
  return [digest.readInt32BE(0), digest.readInt32BE(4)];
}
function toDatabaseError(e, target) {
  const secrets = target?.secrets ?? [];
  if (e instanceof Error && typeof e.code === "string" && e.severity) {
    const err = e;
    return new DatabaseError(scrubSecrets(err.message, secrets), err.code, err.position ? Number(err.position) : null);
  }
  return e instanceof Error ? new Error(scrubSecrets(e.message, secrets)) : new Error(scrubSecrets(String(e), secrets));
}
function connectionError(e, target) {
  if (e instanceof RetortError) return e;
  const where = target.where;
  const code = e.code;
  const message = scrubSecrets(e instanceof Error ? e.message : String(e), target.secrets);
  const database = target.database ?? "(default)";
  const user = target.user ?? "(default)";
  let text;
  switch (code) {
    case "ECONNREFUSED":
      text = `Cannot connect to ${where}: connection refused. Is the database running? (--wait SECONDS waits for it)`;
      break;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      text = `Cannot connect to ${where}: host '${target.host}' not found. Check the database URL.`;
      break;
    case "ETIMEDOUT":
      text = `Cannot connect to ${where}: timed out. Check the host, port and firewall.`;
      break;
    case "28P01":
    case "28000":
    case "ER_ACCESS_DENIED_ERROR":
      text = `Cannot connect to ${where} as user '${user}': authentication failed. Check the user and password in the database URL.`;
      break;
    case "3D000":
    case "ER_BAD_DB_ERROR":
      text = `Cannot connect to ${where}: database '${database}' does not exist. Create it, or fix the database URL.`;
      break;
    default:
      text = `Cannot connect to ${where}: ${message}`;
  }
  return new RetortError("connection", scrubSecrets(text, target.secrets), { cause: e });
}
var TIMESTAMP_WITHOUT_TIME_ZONE = 1114;
function typeParser(oid, format) {
  if (oid === TIMESTAMP_WITHOUT_TIME_ZONE && format !== "binary") return (v) => /* @__PURE__ */ new Date(`${v.replace(" ", "T")}Z`);
  return pgModule.types.getTypeParser(oid, format);
}
var SCRIPT_SEPARATOR = ";\n";
var UTF8_ENCODER = new TextEncoder();
function scriptError(err, statements, completed, unit = "characters") {
  const code = err instanceof DatabaseError ? err.code : null;
  const position = err instanceof DatabaseError ? err.position : null;
  const length = (s) => unit === "bytes" ? UTF8_ENCODER.encode(s).length : Array.from(s).length;
  if (position !== null && statements.length > 0) {
    let chars = 0;
    for (let i = 0; i < statements.length; i++) {
      const statement = statements[i];
      const own = length(statement);
      const last = i === statements.length - 1;
      if (position <= chars + own + (last ? 1 : SCRIPT_SEPARATOR.length) || last) {
        const at = Math.max(1, Math.min(position - chars, own + 1));
        return new DatabaseError(err.message, code, unit === "bytes" ? charactersIn(statement, at) : at, { statement: i, earlierRan: i === 0 || completed > 0 });
      }
      chars += own + SCRIPT_SEPARATOR.length;
    }
  }
  if (completed === 0 && statements.length > 1 && err instanceof DatabaseError) return new DatabaseError(err.message, code, null, { statement: null, earlierRan: false });
  return new DatabaseError(err.message, code, null, { statement: Math.min(completed, Math.max(0, statements.length - 1)), earlierRan: true });
}
function charactersIn(text, at) {
  let bytes = 0;
  let chars = 0;
  for (const c of text) {
    if (bytes >= at - 1) break;
    bytes += UTF8_ENCODER.encode(c).length;
    chars++;
  }
  return chars + 1 + Math.max(0, at - 1 - bytes);
}
var FAILURE_KINDS = {
  "42501": "privilege",
  "25006": "read-only",
  "23502": "not-null",
  "42809": "not-a-table",
  "55000": "not-a-table",
  "42P01": "missing-table",
  "3F000": "missing-table",
  "42703": "missing-column",
  "22001": "too-long",
  "42P07": "exists",
  "42701": "exists",
  "42710": "exists",
  // Two sessions creating one table at once: the second trips over the first's row type.
  "23505": "exists"
};
var PostgresSql = class {
  sessionModes = null;
  parsesWholeScript = true;
  anonymousBlocks = true;
  protocol = TRANSACTIONAL_PROTOCOL;
  bookkeeping = POSTGRES_BOOKKEEPING;
  splitStatements(section) {
    return splitStatements(section, "postgresql");
  }
  endSessionStatement(pid) {
    return `SELECT pg_terminate_backend(${pid})`;
  }
  dropHidingTables() {
    return null;
  }
  mayCreateTemporaryTables() {
    return false;
  }
  /** The settings that change how PostgreSQL lexes text (and RESET ALL / DISCARD ALL, which put
   *  them back). */
  changesParsing(sql) {
    return /standard_conforming_strings|backslash_quote|client_encoding|set_config|\bset\s+names\b|\b(reset|discard)\s+all\b/i.test(sql);
  }
  failureKind(e) {
    return e.code && FAILURE_KINDS[e.code] || null;
  }
  async describeTable(schema, table) {
    const { rows } = await this.query(
      "SELECT c.relkind::text AS kind, a.attname AS name, a.attnotnull AS not_null, (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '') AS has_default, CASE WHEN a.atttypid IN (1042, 1043) AND a.atttypmod > 4 THEN a.atttypmod - 4 END AS max_chars, pg_catalog.has_table_privilege(c.oid, 'SELECT') AS can_select, pg_catalog.has_table_privilege(c.oid, 'INSERT') AS can_insert, pg_catalog.has_table_privilege(c.oid, 'UPDATE') AS can_update, pg_catalog.has_table_privilege(c.oid, 'DELETE') AS can_delete, pg_catalog.has_schema_privilege(n.oid, 'USAGE') AS can_use_schema, (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(sn.nspname) || '.' || pg_catalog.quote_ident(s.relname), pg_catalog.chr(10)) FROM pg_catalog.pg_attrdef ad JOIN pg_catalog.pg_depend dep ON dep.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND dep.objid = ad.oid AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass JOIN pg_catalog.pg_class s ON s.oid = dep.refobjid JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace WHERE ad.adrelid = c.oid AND ad.adnum = a.attnum AND CASE WHEN s.relkind = 'S' THEN NOT (pg_catalog.has_sequence_privilege(s.oid, 'USAGE') OR pg_catalog.has_sequence_privilege(s.oid, 'UPDATE')) END) AS blocked_sequences FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped WHERE n.nspname = ? AND c.relname = ? ORDER BY a.attnum",
      [schema, table]
    );
    const first = rows[0];
    if (!first) return null;
    const kind = String(first.kind);
    return {
      kind: ["r", "p", "f"].includes(kind) ? "table" : kind === "v" || kind === "m" ? "view" : "other",
      columns: rows.filter((r) => r.name !== null && r.name !== void 0).map((r) => ({
        name: String(r.name).toLowerCase(),
        notNull: r.not_null === true,
        hasDefault: r.has_default === true,
        maxChars: r.max_chars === null || r.max_chars === void 0 ? null : Number(r.max_chars),
        maxBytes: null
      })),
      privileges: {
        select: first.can_select === true,
        insert: first.can_insert === true,
        update: first.can_update === true,
        delete: first.can_delete === true,
        schema: first.can_use_schema === true,
        sequences: rows.flatMap(
          (r) => typeof r.blocked_sequences === "string" && r.name ? r.blocked_sequences.split("\n").map((sequence) => ({ column: String(r.name).toLowerCase(), sequence })) : []
        )
      }
    };
  }
  async begin() {
    await this.query("BEGIN");
  }
  async commit() {
    await this.query("COMMIT");
  }
  async rollback() {
    await this.query("ROLLBACK");
  }
  async currentSchema() {
    const { rows } = await this.query("SELECT pg_catalog.current_schema() AS s");
    return String(rows[0]?.s ?? "public");
  }
  async tableExists(schema, table) {
    const quote = (name) => `"${name.split('"').join('""')}"`;
    const { rows } = await this.query("SELECT pg_catalog.to_regclass(?) IS NOT NULL AS e", [schema ? `${quote(schema)}.${quote(table)}` : quote(table)]);
    return rows[0]?.e === true;
  }
  async columns(schema, table) {
    const { rows } = await this.query(
      "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = coalesce(?, current_schema()) AND table_name = ?",
      [schema, table]
    );
    return rows.map((r) => String(r.c).toLowerCase());
  }
};
var PostgresDriver = class _PostgresDriver extends PostgresSql {
  dialect = "postgresql";
  transactionalDdl = true;
  sharedLock = true;
  target;
  client;
  lockClient = null;
  options;
  /** How the server counts positions in the text retort sends (see PositionUnit). */
  positions;
  constructor(client, options, positions) {
    super();
    this.client = client;
    this.options = options;
    this.target = options.target.display;
    this.positions = positions;
  }
  static async connect(options) {
    await loadPg();
    const named = { ...options, applicationName: options.target.applicationName ?? options.applicationName };
    const client = _PostgresDriver.newClient(named);
    let positions = "characters";
    client.connection.on(
      "parameterStatus",
      (m) => {
        if (m.parameterName === "server_encoding") positions = /^sql_ascii$/i.test(m.parameterValue) ? "bytes" : "characters";
      }
    );
    try {
      await client.connect();
    } catch (e) {
      await client.end().catch(() => void 0);
      throw connectionError(e, options.target);
    }
    client.on("error", () => void 0);
    return new _PostgresDriver(client, named, positions);
  }
  /** Explicit settings from the target: pg never parses a connection string, so nothing in
   *  the URL reaches pg but what the target understood. */
  static newClient(options) {
    const t = options.target;
    const settings = { ...t.settings };
    if (t.settings.query_timeout !== void 0) settings.query_timeout = Number(t.settings.query_timeout);
    return new pgModule.Client({
      ...settings,
      host: t.host,
      port: t.port,
      ...t.user !== null ? { user: t.user } : {},
      ...t.password !== null ? { password: t.password } : {},
      ...t.database !== null ? { database: t.database } : {},
      ssl: tlsOptions(t.tls),
      application_name: options.applicationName,
      connectionTimeoutMillis: t.connectTimeoutMs ?? options.connectTimeoutMs,
      types: { getTypeParser: typeParser }
    });
  }
  /** The client_encoding a revision left, when it is not UTF-8 (see utf8). */
  encoding = null;
  watching = false;
  /** pg always sends and reads UTF-8: a client_encoding a revision set would turn every text
   *  retort (or a later revision) sends, and reads, into mojibake. The server reports each
   *  change; the next statement puts UTF-8 back first. */
  async utf8() {
    if (!this.watching) {
      this.watching = true;
      const connection = this.client.connection;
      connection.on("parameterStatus", (m) => {
        if (m.parameterName === "client_encoding") this.encoding = /^utf-?8$/i.test(m.parameterValue) ? null : m.parameterValue;
      });
    }
    if (this.encoding !== null) {
      this.encoding = null;
      await this.client.query("SET client_encoding = 'UTF8'");
    }
  }
  async query(sql, params = []) {
    try {
      await this.utf8();
      const result = await this.client.query(params.length > 0 ? numberPlaceholders(sql) : sql, params);
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return { rows: last?.rows ?? [], affectedRows: rowsChanged(last?.command, last?.rowCount) };
    } catch (e) {
      throw toDatabaseError(e, this.options.target);
    }
  }
  async script(statements) {
    const text = statements.join(SCRIPT_SEPARATOR);
    let completed = 0;
    await this.utf8().catch((e) => {
      throw scriptError(toDatabaseError(e, this.options.target), statements, 0, this.positions);
    });
    await new Promise((resolve, reject) => {
      const query = new pgModule.Query(text, void 0, (err) => {
        if (!err) resolve();
        else reject(scriptError(toDatabaseError(err, this.options.target), statements, completed, this.positions));
      });
      const complete = query.handleCommandComplete.bind(query);
      query.handleCommandComplete = (...args) => {
        completed++;
        complete(...args);
      };
      this.client.query(query);
    });
  }
  async lockConnection() {
    if (!this.lockClient) {
      const client = _PostgresDriver.newClient({ ...this.options, applicationName: `${this.options.applicationName} (lock)` });
      try {
        await client.connect();
      } catch (e) {
        throw connectionError(e, this.options.target);
      }
      client.on("error", () => void 0);
      this.lockClient = client;
    }
    return this.lockClient;
  }
  async tryLock(key, on = "lock") {
    const [a, b] = advisoryKey(key);
    if (on === "main") return (await this.query("SELECT pg_try_advisory_lock(?, ?) AS got", [a, b])).rows[0]?.got === true;
    const client = await this.lockConnection();
    const { rows } = await client.query("SELECT pg_try_advisory_lock($1, $2) AS got", [a, b]);
    return rows[0]?.got === true;
  }
  lockStatement(key) {
    return { sql: "SELECT pg_try_advisory_lock(?, ?) AS got", params: advisoryKey(key) };
  }
  async lockHolder(key) {
    const [a, b] = advisoryKey(key);
    const { rows } = await this.query(
      "SELECT a.pid, a.application_name, a.backend_start, a.state_change FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND l.classid = (?::int)::oid AND l.objid = (?::int)::oid AND l.objsubid = 2 LIMIT 1",
      [a, b]
    );
    const row = rows[0];
    if (!row) return null;
    const since = row.backend_start instanceof Date ? row.backend_start.toISOString() : row.backend_start ? String(row.backend_start) : null;
    return { pid: String(row.pid), application: row.application_name ? String(row.application_name) : null, since };
  }
  async unlock(key, on = "lock") {
    const [a, b] = advisoryKey(key);
    if (on === "main") {
      await this.query("SELECT pg_advisory_unlock(?, ?)", [a, b]);
      return;
    }
    if (!this.lockClient) return;
    await this.lockClient.query("SELECT pg_advisory_unlock($1, $2)", [a, b]);
  }
  async close() {
    const clients = [this.client, this.lockClient].filter((c) => c !== null);
    this.lockClient = null;
    await Promise.all(clients.map((c) => c.end().catch(() => void 0)));
  }
};

export {
  MYSQL_BOOKKEEPING,
  numberPlaceholders,
  advisoryKey,
  toDatabaseError,
  connectionError,
  scriptError,
  PostgresSql,
  PostgresDriver
};
