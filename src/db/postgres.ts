// PostgreSQL through `pg`: one connection for the work, a second one, idle outside any
// transaction, for the session-level advisory lock.

import { createHash } from "node:crypto";
import type pg from "pg";

/** `pg`, loaded on first connect: commands that open no database never load it. */
let pgModule: typeof pg | null = null;
async function loadPg(): Promise<typeof pg> {
  pgModule ??= (await import("pg")).default;
  return pgModule;
}
import { RetortError } from "../core/errors.js";
import type { Section } from "../core/revision.js";
import { splitStatements, type Statement } from "../core/sql.js";
import { POSTGRES_BOOKKEEPING } from "./bookkeeping.js";
import type { FusedProtocol } from "./protocol.js";
import { TRANSACTIONAL_PROTOCOL } from "./transactional.js";
import {
  DatabaseError,
  rowsChanged,
  type ConnectOptions,
  type Driver,
  type FailureKind,
  type LockConnection,
  type LockHolder,
  type QueryResult,
  type TableInfo,
} from "./driver.js";
import { scrubSecrets, tlsOptions, type ServerTarget } from "./target.js";

/** `?` placeholders (retort's own statements only) to PostgreSQL's `$1, $2, ...`. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Two 32-bit halves of sha256(key): the two-argument advisory lock space. */
export function advisoryKey(key: string): [number, number] {
  const digest = createHash("sha256").update(key).digest();
  return [digest.readInt32BE(0), digest.readInt32BE(4)];
}

/** Scrubs with the target's secrets (null: a target without any, such as PGlite). */
export function toDatabaseError(e: unknown, target: { readonly secrets: readonly string[] } | null): Error {
  const secrets = target?.secrets ?? [];
  if (e instanceof Error && typeof (e as { code?: unknown }).code === "string" && (e as { severity?: unknown }).severity) {
    const err = e as Error & { code: string; position?: string };
    return new DatabaseError(scrubSecrets(err.message, secrets), err.code, err.position ? Number(err.position) : null);
  }
  return e instanceof Error ? new Error(scrubSecrets(e.message, secrets)) : new Error(scrubSecrets(String(e), secrets));
}

/** One clear line for a connection that failed, naming host and port, never a secret. */
export function connectionError(e: unknown, target: ServerTarget): RetortError {
  if (e instanceof RetortError) return e;
  const where = target.where;
  const code = (e as { code?: string }).code;
  const message = scrubSecrets(e instanceof Error ? e.message : String(e), target.secrets);
  const database = target.database ?? "(default)";
  const user = target.user ?? "(default)";
  let text: string;
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
  // The names above come from the target; a user name equal to the password is still a secret.
  return new RetortError("connection", scrubSecrets(text, target.secrets), { cause: e });
}

const TIMESTAMP_WITHOUT_TIME_ZONE = 1114;

/** pg reads TIMESTAMP WITHOUT TIME ZONE in the machine's local zone; retort writes UTC there
 *  (audit-alembic's changed_at), so it is read back as UTC. */
function typeParser(oid: number, format?: "text" | "binary"): (value: string) => unknown {
  if (oid === TIMESTAMP_WITHOUT_TIME_ZONE && format !== "binary") return (v: string) => new Date(`${v.replace(" ", "T")}Z`);
  return pgModule!.types.getTypeParser(oid, format as "text") as (value: string) => unknown;
}

/** How statements are joined into one text by Driver.script. */
const SCRIPT_SEPARATOR = ";\n";

/** How the server counts the characters of a position: in characters (code points), or in bytes
 *  where the database's encoding is SQL_ASCII (the server then does not know characters). */
export type PositionUnit = "characters" | "bytes";

const UTF8_ENCODER = new TextEncoder();

/** Driver.script's error, from the error of the whole text and how many of its statements the
 *  server reported complete. PostgreSQL reports a position in the whole text (see PositionUnit):
 *  it names the statement, also when the server rejected the text while parsing it, before
 *  running any of it (then nothing completed); without a position the failing statement is the
 *  first not completed. The error's position counts characters of its statement. */
export function scriptError(err: Error, statements: readonly string[], completed: number, unit: PositionUnit = "characters"): DatabaseError {
  const code = err instanceof DatabaseError ? err.code : null;
  const position = err instanceof DatabaseError ? err.position : null;
  const length = (s: string) => (unit === "bytes" ? UTF8_ENCODER.encode(s).length : Array.from(s).length);
  if (position !== null && statements.length > 0) {
    let chars = 0;
    for (let i = 0; i < statements.length; i++) {
      const statement = statements[i]!;
      const own = length(statement);
      const last = i === statements.length - 1;
      if (position <= chars + own + (last ? 1 : SCRIPT_SEPARATOR.length) || last) {
        const at = Math.max(1, Math.min(position - chars, own + 1));
        // Statements before this one ran unless nothing did: the server parses the whole text
        // before running any of it, and a statement that completed shows it got past that.
        return new DatabaseError(err.message, code, unit === "bytes" ? charactersIn(statement, at) : at, { statement: i, earlierRan: i === 0 || completed > 0 });
      }
      chars += own + SCRIPT_SEPARATOR.length;
    }
  }
  // Nothing completed and no position: the server rejected the text before running any of it
  // (a statement that fails at once still follows a BEGIN or another that completed).
  if (completed === 0 && statements.length > 1 && err instanceof DatabaseError) return new DatabaseError(err.message, code, null, { statement: null, earlierRan: false });
  return new DatabaseError(err.message, code, null, { statement: Math.min(completed, Math.max(0, statements.length - 1)), earlierRan: true });
}

/** The 1-based character position of the 1-based byte position `at` of `text` (UTF-8). */
function charactersIn(text: string, at: number): number {
  let bytes = 0;
  let chars = 0;
  for (const c of text) {
    if (bytes >= at - 1) break;
    bytes += UTF8_ENCODER.encode(c).length;
    chars++;
  }
  return chars + 1 + Math.max(0, at - 1 - bytes);
}

/** SQLSTATEs retort explains when one of its own statements fails. */
const FAILURE_KINDS: Record<string, FailureKind> = {
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
  "23505": "exists",
};

/** What PostgreSQL and PGlite share: everything but the connection and the lock. */
export abstract class PostgresSql {
  abstract query(sql: string, params?: readonly unknown[]): Promise<QueryResult>;

  readonly sessionModes = null;
  readonly parsesWholeScript = true;
  readonly anonymousBlocks = true;
  readonly protocol: FusedProtocol = TRANSACTIONAL_PROTOCOL;
  readonly bookkeeping = POSTGRES_BOOKKEEPING;

  splitStatements(section: Section): Statement[] {
    return splitStatements(section, "postgresql");
  }

  endSessionStatement(pid: string): string {
    return `SELECT pg_terminate_backend(${pid})`;
  }

  dropHidingTables(): null {
    return null;
  }

  mayCreateTemporaryTables(): boolean {
    return false;
  }

  /** The settings that change how PostgreSQL lexes text (and RESET ALL / DISCARD ALL, which put
   *  them back). */
  changesParsing(sql: string): boolean {
    return /standard_conforming_strings|backslash_quote|client_encoding|set_config|\bset\s+names\b|\b(reset|discard)\s+all\b/i.test(sql);
  }

  failureKind(e: DatabaseError): FailureKind | null {
    return (e.code && FAILURE_KINDS[e.code]) || null;
  }

  async describeTable(schema: string, table: string): Promise<TableInfo | null> {
    // The catalog, not information_schema, which hides what the role may not use.
    const { rows } = await this.query(
      "SELECT c.relkind::text AS kind, a.attname AS name, a.attnotnull AS not_null, " +
        "(a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '') AS has_default, " +
        "CASE WHEN a.atttypid IN (1042, 1043) AND a.atttypmod > 4 THEN a.atttypmod - 4 END AS max_chars, " +
        "pg_catalog.has_table_privilege(c.oid, 'SELECT') AS can_select, pg_catalog.has_table_privilege(c.oid, 'INSERT') AS can_insert, " +
        "pg_catalog.has_table_privilege(c.oid, 'UPDATE') AS can_update, pg_catalog.has_table_privilege(c.oid, 'DELETE') AS can_delete, " +
        "pg_catalog.has_schema_privilege(n.oid, 'USAGE') AS can_use_schema, " +
        // The sequences a column's default takes values from (serial columns): nextval needs
        // USAGE (or UPDATE) on them, which a table's grants do not give.
        "(SELECT pg_catalog.string_agg(pg_catalog.quote_ident(sn.nspname) || '.' || pg_catalog.quote_ident(s.relname), pg_catalog.chr(10)) " +
        "FROM pg_catalog.pg_attrdef ad JOIN pg_catalog.pg_depend dep ON dep.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass AND dep.objid = ad.oid " +
        "AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass JOIN pg_catalog.pg_class s ON s.oid = dep.refobjid " +
        "JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace WHERE ad.adrelid = c.oid AND ad.adnum = a.attnum " +
        // CASE: has_sequence_privilege fails on a relation that is not a sequence.
        "AND CASE WHEN s.relkind = 'S' THEN NOT (pg_catalog.has_sequence_privilege(s.oid, 'USAGE') OR pg_catalog.has_sequence_privilege(s.oid, 'UPDATE')) END) AS blocked_sequences " +
        "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " +
        "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped " +
        "WHERE n.nspname = ? AND c.relname = ? ORDER BY a.attnum",
      [schema, table],
    );
    const first = rows[0];
    if (!first) return null;
    const kind = String(first.kind);
    return {
      kind: ["r", "p", "f"].includes(kind) ? "table" : kind === "v" || kind === "m" ? "view" : "other",
      columns: rows
        .filter((r) => r.name !== null && r.name !== undefined)
        .map((r) => ({
          name: String(r.name).toLowerCase(),
          notNull: r.not_null === true,
          hasDefault: r.has_default === true,
          maxChars: r.max_chars === null || r.max_chars === undefined ? null : Number(r.max_chars),
          maxBytes: null,
        })),
      privileges: {
        select: first.can_select === true,
        insert: first.can_insert === true,
        update: first.can_update === true,
        delete: first.can_delete === true,
        schema: first.can_use_schema === true,
        sequences: rows.flatMap((r) =>
          typeof r.blocked_sequences === "string" && r.name ? r.blocked_sequences.split("\n").map((sequence) => ({ column: String(r.name).toLowerCase(), sequence })) : [],
        ),
      },
    };
  }

  async begin(): Promise<void> {
    await this.query("BEGIN");
  }
  async commit(): Promise<void> {
    await this.query("COMMIT");
  }
  async rollback(): Promise<void> {
    await this.query("ROLLBACK");
  }

  async currentSchema(): Promise<string> {
    const { rows } = await this.query("SELECT pg_catalog.current_schema() AS s");
    return String(rows[0]?.s ?? "public");
  }

  async tableExists(schema: string | null, table: string): Promise<boolean> {
    const quote = (name: string) => `"${name.split('"').join('""')}"`;
    const { rows } = await this.query("SELECT pg_catalog.to_regclass(?) IS NOT NULL AS e", [schema ? `${quote(schema)}.${quote(table)}` : quote(table)]);
    return rows[0]?.e === true;
  }

  async columns(schema: string | null, table: string): Promise<string[]> {
    const { rows } = await this.query(
      "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = coalesce(?, current_schema()) AND table_name = ?",
      [schema, table],
    );
    return rows.map((r) => String(r.c).toLowerCase());
  }
}

export class PostgresDriver extends PostgresSql implements Driver {
  readonly dialect = "postgresql" as const;
  readonly transactionalDdl = true;
  readonly sharedLock = true;
  readonly target: string;
  private readonly client: pg.Client;
  private lockClient: pg.Client | null = null;
  private readonly options: ConnectOptions<ServerTarget>;
  /** How the server counts positions in the text retort sends (see PositionUnit). */
  private readonly positions: PositionUnit;

  private constructor(client: pg.Client, options: ConnectOptions<ServerTarget>, positions: PositionUnit) {
    super();
    this.client = client;
    this.options = options;
    this.target = options.target.display;
    this.positions = positions;
  }

  static async connect(options: ConnectOptions<ServerTarget>): Promise<PostgresDriver> {
    await loadPg();
    // An application_name in the URL replaces retort's (for both connections).
    const named = { ...options, applicationName: options.target.applicationName ?? options.applicationName };
    // Throws a RetortError of its own for an unreadable certificate or key file.
    const client = PostgresDriver.newClient(named);
    // The server says its encoding once, while the connection starts.
    let positions: PositionUnit = "characters";
    (client as unknown as { connection: { on: (event: string, f: (m: { parameterName: string; parameterValue: string }) => void) => void } }).connection.on(
      "parameterStatus",
      (m) => {
        if (m.parameterName === "server_encoding") positions = /^sql_ascii$/i.test(m.parameterValue) ? "bytes" : "characters";
      },
    );
    try {
      await client.connect();
    } catch (e) {
      await client.end().catch(() => undefined);
      throw connectionError(e, options.target);
    }
    // A connection that dies under us must not crash the process with an unhandled error.
    client.on("error", () => undefined);
    return new PostgresDriver(client, named, positions);
  }

  /** Explicit settings from the target: pg never parses a connection string, so nothing in
   *  the URL reaches pg but what the target understood. */
  private static newClient(options: ConnectOptions<ServerTarget>): pg.Client {
    const t = options.target;
    const settings: Record<string, unknown> = { ...t.settings };
    if (t.settings.query_timeout !== undefined) settings.query_timeout = Number(t.settings.query_timeout);
    return new pgModule!.Client({
      ...settings,
      host: t.host,
      port: t.port,
      ...(t.user !== null ? { user: t.user } : {}),
      ...(t.password !== null ? { password: t.password } : {}),
      ...(t.database !== null ? { database: t.database } : {}),
      ssl: tlsOptions(t.tls),
      application_name: options.applicationName,
      connectionTimeoutMillis: t.connectTimeoutMs ?? options.connectTimeoutMs,
      types: { getTypeParser: typeParser },
    } as pg.ClientConfig);
  }

  /** The client_encoding a revision left, when it is not UTF-8 (see utf8). */
  private encoding: string | null = null;
  private watching = false;

  /** pg always sends and reads UTF-8: a client_encoding a revision set would turn every text
   *  retort (or a later revision) sends, and reads, into mojibake. The server reports each
   *  change; the next statement puts UTF-8 back first. */
  private async utf8(): Promise<void> {
    if (!this.watching) {
      this.watching = true;
      const connection = (this.client as unknown as { connection: { on: (event: string, f: (m: { parameterName: string; parameterValue: string }) => void) => void } }).connection;
      connection.on("parameterStatus", (m) => {
        if (m.parameterName === "client_encoding") this.encoding = /^utf-?8$/i.test(m.parameterValue) ? null : m.parameterValue;
      });
    }
    if (this.encoding !== null) {
      this.encoding = null;
      await this.client.query("SET client_encoding = 'UTF8'");
    }
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<QueryResult> {
    try {
      await this.utf8();
      const result = await this.client.query(params.length > 0 ? numberPlaceholders(sql) : sql, params as unknown[]);
      // A multi-statement string gives an array of results; retort sends one statement at a time.
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return { rows: last?.rows ?? [], affectedRows: rowsChanged(last?.command, last?.rowCount) };
    } catch (e) {
      throw toDatabaseError(e, this.options.target);
    }
  }

  async script(statements: readonly string[]): Promise<void> {
    // pg's Query, counting the statements the server reports complete before an error.
    const text = statements.join(SCRIPT_SEPARATOR);
    let completed = 0;
    await this.utf8().catch((e: unknown) => {
      throw scriptError(toDatabaseError(e, this.options.target), statements, 0, this.positions);
    });
    await new Promise<void>((resolve, reject) => {
      const query = new pgModule!.Query(text, undefined, (err: Error | undefined) => {
        if (!err) resolve();
        else reject(scriptError(toDatabaseError(err, this.options.target), statements, completed, this.positions));
      }) as unknown as { handleCommandComplete: (...args: unknown[]) => void };
      const complete = query.handleCommandComplete.bind(query);
      query.handleCommandComplete = (...args: unknown[]) => {
        completed++;
        complete(...args);
      };
      this.client.query(query as unknown as pg.Query);
    });
  }

  private async lockConnection(): Promise<pg.Client> {
    if (!this.lockClient) {
      const client = PostgresDriver.newClient({ ...this.options, applicationName: `${this.options.applicationName} (lock)` });
      try {
        await client.connect();
      } catch (e) {
        throw connectionError(e, this.options.target);
      }
      client.on("error", () => undefined);
      this.lockClient = client;
    }
    return this.lockClient;
  }

  async tryLock(key: string, on: LockConnection = "lock"): Promise<boolean> {
    const [a, b] = advisoryKey(key);
    if (on === "main") return (await this.query("SELECT pg_try_advisory_lock(?, ?) AS got", [a, b])).rows[0]?.got === true;
    const client = await this.lockConnection();
    const { rows } = await client.query("SELECT pg_try_advisory_lock($1, $2) AS got", [a, b]);
    return rows[0]?.got === true;
  }

  lockStatement(key: string): { sql: string; params: unknown[] } {
    return { sql: "SELECT pg_try_advisory_lock(?, ?) AS got", params: advisoryKey(key) };
  }

  async lockHolder(key: string): Promise<LockHolder | null> {
    const [a, b] = advisoryKey(key);
    // The two-argument form stores the keys in classid and objid, objsubid 2.
    const { rows } = await this.query(
      "SELECT a.pid, a.application_name, a.backend_start, a.state_change FROM pg_locks l " +
        "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted " +
        "AND l.classid = (?::int)::oid AND l.objid = (?::int)::oid AND l.objsubid = 2 LIMIT 1",
      [a, b],
    );
    const row = rows[0];
    if (!row) return null;
    const since = row.backend_start instanceof Date ? row.backend_start.toISOString() : row.backend_start ? String(row.backend_start) : null;
    return { pid: String(row.pid), application: row.application_name ? String(row.application_name) : null, since };
  }

  async unlock(key: string, on: LockConnection = "lock"): Promise<void> {
    const [a, b] = advisoryKey(key);
    if (on === "main") {
      await this.query("SELECT pg_advisory_unlock(?, ?)", [a, b]);
      return;
    }
    if (!this.lockClient) return;
    await this.lockClient.query("SELECT pg_advisory_unlock($1, $2)", [a, b]);
  }

  async close(): Promise<void> {
    const clients = [this.client, this.lockClient].filter((c): c is pg.Client => c !== null);
    this.lockClient = null;
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}
