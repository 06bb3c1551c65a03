// The databases the server-backed suites run against: the machine's PostgreSQL and MariaDB
// (a throw-away database each) and embedded PGlite (a temp data directory). A suite whose
// server is unreachable is skipped with one clear line, unless RETORT_REQUIRE_SERVERS=1
// (set by .ci/run), where that is a failure.

import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "vitest";
import type { Driver } from "../src/db/driver.js";
import { openDriver } from "../src/db/open.js";

export type BackendName = "postgresql" | "mariadb" | "pglite";

export interface Backend {
  readonly name: BackendName;
  /** Why it cannot be used, or null. */
  readonly unreachable: string | null;
  /** A fresh, empty database: its URL and how to remove it. */
  create(): Promise<{ url: string; drop: () => Promise<void> }>;
}

const PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres";
const MYSQL_ADMIN = "mysql://root@127.0.0.1:3306/";

export async function connect(url: string): Promise<Driver> {
  return openDriver({ url, waitSeconds: 0, applicationName: "retort tests", notice: () => undefined });
}

export type Row = Record<string, unknown>;

/** One of the test's own statements: its text, or its text and the values of its `?`
 *  placeholders (sent apart from the text, never read as SQL). */
export type Statement = string | readonly [sql: string, params: readonly unknown[]];

/** The rows of one query, on a connection of its own (opened for it and closed after): the
 *  test's own setup and checks of what the database holds. `params` fill `?` placeholders. */
export async function queryOnce(url: string, sql: string, params?: readonly unknown[]): Promise<Row[]>;
/** Several statements, one after another on one connection of its own, stopping at the first
 *  error: the rows of each. */
export async function queryOnce(url: string, statements: readonly Statement[]): Promise<Row[][]>;
export async function queryOnce(url: string, sql: string | readonly Statement[], params: readonly unknown[] = []): Promise<Row[] | Row[][]> {
  return withDriver(url, async (d) => {
    if (typeof sql === "string") return [...(await d.query(sql, params)).rows];
    const results: Row[][] = [];
    for (const statement of sql) {
      const [text, values] = typeof statement === "string" ? [statement, []] : statement;
      results.push([...(await d.query(text, values)).rows]);
    }
    return results;
  });
}

/** `use` on a driver of its own, closed after, for the checks a query cannot make alone
 *  (tableExists, columns). */
export async function withDriver<T>(url: string, use: (d: Driver) => Promise<T>): Promise<T> {
  const d = await connect(url);
  try {
    return await use(d);
  } finally {
    await d.close();
  }
}

/** A MariaDB user with a real password and every grant on the database of `adminUrl` (the
 *  servers' admin users authenticate without one; PostgreSQL's trust auth ignores passwords).
 *  Returns how to drop it. */
export async function mariadbUserWithPassword(adminUrl: string, user: string, password: string): Promise<() => Promise<void>> {
  await queryOnce(adminUrl, [
    ["DROP USER IF EXISTS ?@'%'", [user]],
    ["CREATE USER ?@'%' IDENTIFIED BY ?", [user, password]],
    [`GRANT ALL ON \`${new URL(adminUrl).pathname.slice(1)}\`.* TO ?@'%'`, [user]],
  ]);
  return async () => {
    await queryOnce(adminUrl, "DROP USER IF EXISTS ?@'%'", [user]);
  };
}

async function probe(url: string): Promise<string | null> {
  try {
    const d = await connect(url);
    await d.close();
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function serverBackend(name: "postgresql" | "mariadb", admin: string, unreachable: string | null): Backend {
  return {
    name,
    unreachable,
    async create() {
      const db = `retort_t_${randomBytes(5).toString("hex")}`;
      await queryOnce(admin, name === "postgresql" ? `CREATE DATABASE ${db}` : `CREATE DATABASE \`${db}\``);
      const base = new URL(admin);
      base.pathname = `/${db}`;
      return {
        url: base.href,
        drop: async () => {
          await queryOnce(admin, name === "postgresql" ? `DROP DATABASE IF EXISTS ${db} WITH (FORCE)` : `DROP DATABASE IF EXISTS \`${db}\``);
        },
      };
    },
  };
}

// A fresh PGlite data directory costs an initdb (2-4 s); copying one made once is much faster.
let pgliteTemplate: Promise<string> | null = null;
function template(): Promise<string> {
  pgliteTemplate ??= (async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "retort-pglite-template-")), "db");
    const d = await connect(`pglite://${dir}`);
    await d.close();
    process.on("exit", () => rmSync(join(dir, ".."), { recursive: true, force: true }));
    return dir;
  })();
  return pgliteTemplate;
}

const pgliteBackend: Backend = {
  name: "pglite",
  unreachable: null,
  async create() {
    const dir = mkdtempSync(join(tmpdir(), "retort-pglite-"));
    cpSync(await template(), join(dir, "db"), { recursive: true });
    return { url: `pglite://${join(dir, "db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

export const BACKENDS: readonly Backend[] = [
  serverBackend("postgresql", PG_ADMIN, await probe(PG_ADMIN)),
  serverBackend("mariadb", MYSQL_ADMIN, await probe(MYSQL_ADMIN)),
  pgliteBackend,
];

/** describe() for one backend: skipped with its reason when unreachable, failing instead
 *  under RETORT_REQUIRE_SERVERS=1. */
export function describeBackend(backend: Backend, title: string, body: () => void): void {
  if (backend.unreachable !== null && process.env.RETORT_REQUIRE_SERVERS === "1") {
    describe(`${title} [${backend.name}]`, () => {
      it(`needs ${backend.name} (RETORT_REQUIRE_SERVERS=1)`, () => {
        throw new Error(`${backend.name} is unreachable: ${backend.unreachable}`);
      });
    });
    return;
  }
  const name = backend.unreachable === null ? `${title} [${backend.name}]` : `${title} [${backend.name}: skipped, unreachable: ${backend.unreachable}]`;
  describe.skipIf(backend.unreachable !== null)(name, body);
}
