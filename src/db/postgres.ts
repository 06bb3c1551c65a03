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
import { DatabaseError, type ConnectOptions, type Driver, type LockConnection, type LockHolder, type QueryResult } from "./driver.js";
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

/** What PostgreSQL and PGlite share: everything but the connection and the lock. */
export abstract class PostgresSql {
  abstract query(sql: string, params?: readonly unknown[]): Promise<QueryResult>;

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
    const { rows } = await this.query("SELECT current_schema() AS s");
    return String(rows[0]?.s ?? "public");
  }

  async tableExists(schema: string | null, table: string): Promise<boolean> {
    const { rows } = await this.query("SELECT to_regclass(?) IS NOT NULL AS e", [schema ? `"${schema}"."${table}"` : `"${table}"`]);
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
  readonly multiStatement = true;
  readonly anonymousBlocks = true;
  readonly target: string;
  private readonly client: pg.Client;
  private lockClient: pg.Client | null = null;
  private readonly options: ConnectOptions<ServerTarget>;

  private constructor(client: pg.Client, options: ConnectOptions<ServerTarget>) {
    super();
    this.client = client;
    this.options = options;
    this.target = options.target.display;
  }

  static async connect(options: ConnectOptions<ServerTarget>): Promise<PostgresDriver> {
    await loadPg();
    // An application_name in the URL replaces retort's (for both connections).
    const named = { ...options, applicationName: options.target.applicationName ?? options.applicationName };
    // Throws a RetortError of its own for an unreadable certificate or key file.
    const client = PostgresDriver.newClient(named);
    try {
      await client.connect();
    } catch (e) {
      await client.end().catch(() => undefined);
      throw connectionError(e, options.target);
    }
    // A connection that dies under us must not crash the process with an unhandled error.
    client.on("error", () => undefined);
    return new PostgresDriver(client, named);
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

  async query(sql: string, params: readonly unknown[] = []): Promise<QueryResult> {
    try {
      const result = await this.client.query(params.length > 0 ? numberPlaceholders(sql) : sql, params as unknown[]);
      // A multi-statement string gives an array of results; retort sends one statement at a time.
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return { rows: last?.rows ?? [], affectedRows: last?.rowCount ?? 0 };
    } catch (e) {
      throw toDatabaseError(e, this.options.target);
    }
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
