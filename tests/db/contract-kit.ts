// What the driver contract suite (contract.test.ts) needs around each test: drivers that are
// closed after it, names no other test uses, and whatever the test created dropped after it,
// also when it failed; and a TCP relay that counts round trips.

import { randomBytes } from "node:crypto";
import { createConnection, createServer, type Socket } from "node:net";
import { afterEach } from "vitest";
import type { Driver } from "../../src/db/driver.js";
import { PgliteDriver } from "../../src/db/pglite.js";
import { describeTarget, type PgliteTarget } from "../../src/db/target.js";
import { connect, queryOnce, type Backend } from "../servers.js";

export const APPLICATION = "retort tests";

/** A name no other test (nor an earlier run) uses: `stem` and 8 hex digits, lower case. */
export function unique(stem: string): string {
  return `${stem}_${randomBytes(4).toString("hex")}`;
}

/** What one test holds: everything is let go in afterEach, also when the test failed: the
 *  objects dropped, the drivers closed, then the accounts removed. */
export interface Scratch {
  /** The suite's database. */
  url(): string;
  /** A driver on the suite's database (or `url`), closed after the test. */
  open(url?: string): Promise<Driver>;
  /** A unique table (or view, or sequence) name, dropped after the test. */
  object(stem: string, kind?: "table" | "view" | "sequence"): string;
  /** A unique lock key (locks go with the drivers that hold them). */
  lockKey(stem: string): string;
  /** Says the test's session no longer sees its objects as a new session would (a temporary
   *  table hides one, another role may not drop them): they are dropped on a new connection. */
  sessionChanged(): void;
  /** Runs after the objects are dropped (accounts, which own grants on them). */
  finally(cleanup: () => Promise<void>): void;
}

/** The suite's database and a Scratch per test. `url()` is valid once beforeAll has run. */
export function scratchFor(url: () => string): Scratch {
  let drivers: Driver[] = [];
  let objects: { name: string; kind: string }[] = [];
  let cleanups: (() => Promise<void>)[] = [];
  let changed = false;

  afterEach(async () => {
    const [held, dropped, last, fresh] = [drivers, objects, cleanups, changed];
    [drivers, objects, cleanups, changed] = [[], [], [], false];
    const statements = dropped.reverse().map((o) => `DROP ${o.kind.toUpperCase()} IF EXISTS ${o.name}`);
    // On the test's first driver when it can (an embedded database opens slowly), else on a
    // connection of its own once every driver is closed (an embedded one takes one at a time).
    const first = held[0];
    const done = statements.length === 0 || (!fresh && first !== undefined && (await dropOn(first, statements)));
    await Promise.all(held.map((d) => d.close()));
    const failures: unknown[] = [];
    if (!done) await queryOnce(url(), statements).catch((e: unknown) => failures.push(e));
    for (const cleanup of last.reverse()) await cleanup().catch((e: unknown) => failures.push(e));
    if (failures.length > 0) throw failures[0];
  });

  return {
    url,
    async open(at = url()) {
      const d = await connect(at);
      drivers.push(d);
      return d;
    },
    object(stem, kind = "table") {
      const name = unique(stem);
      objects.push({ name, kind });
      return name;
    },
    lockKey: (stem) => `retort-contract:${unique(stem)}`,
    sessionChanged() {
      changed = true;
    },
    finally(cleanup) {
      cleanups.push(cleanup);
    },
  };
}

/** Whether `statements` ran on `d`, after ending any transaction a failed test left open. */
async function dropOn(d: Driver, statements: readonly string[]): Promise<boolean> {
  try {
    await d.rollback().catch(() => undefined);
    for (const statement of statements) await d.query(statement);
    return true;
  } catch {
    return false;
  }
}

/** An embedded database (PGlite) is opened by one driver at a time: its lock is the open itself,
 *  and a second driver has to wait for the first to close. */
export function embedded(backend: Backend): boolean {
  return backend.name === "pglite";
}

/** Opens an embedded database with a short wait for its lock file, for the test that shows a
 *  second driver is refused while the first holds it. */
export function openEmbedded(url: string, connectTimeoutMs: number): Promise<PgliteDriver> {
  return PgliteDriver.connect({ target: describeTarget(url) as PgliteTarget, applicationName: APPLICATION, connectTimeoutMs });
}

/** Polls `f` every 100 ms until it gives true or `ms` have passed (the server sees a closed
 *  connection go a moment after the client does). */
export async function within(ms: number, f: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await f()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Relay {
  /** `url` with its host and port replaced by the relay's. */
  readonly url: string;
  /** How many times the client has spoken after the server (or first): its round trips. */
  turns(): number;
  close(): Promise<void>;
}

/** A TCP relay between a client and the server of `url` that counts the client's turns. A
 *  round trip is one turn however many packets either side sends in it. */
export async function relay(url: string): Promise<Relay> {
  const target = new URL(url);
  let turns = 0;
  let clientSpokeLast = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => undefined);
      s.on("close", () => sockets.delete(s));
    }
    client.on("data", (chunk) => {
      if (!clientSpokeLast) turns++;
      clientSpokeLast = true;
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      clientSpokeLast = false;
      client.write(chunk);
    });
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the relay has no port");
  const relayed = new URL(url);
  relayed.hostname = "127.0.0.1";
  relayed.port = String(address.port);
  return {
    url: relayed.href,
    turns: () => turns,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
