// PGlite: PostgreSQL compiled to WebAssembly, running inside this process, in memory or on a data
// directory. One backend, one connection; no server to lock against, so the lock is a file.
//
// Locking. PGlite has no postmaster.pid: two processes can open the same data directory at once,
// and neither refuses. Each works on its own copy of the buffers and the last one to write wins,
// so rows committed by the other are silently lost. A lock taken only when the runner calls
// tryLock (after connect) would come too late: opening the directory is already the danger, and
// read-only commands never lock at all. So connect() takes the lock file `<datadir>.lock` BEFORE
// opening the directory, waiting up to connectTimeoutMs for a live holder, and close() removes
// it after PGlite has closed. While a driver is connected it owns the directory, so
// tryLock(key) only checks that the file is still ours (taking it back if it vanished or went
// stale), and unlock(key) leaves the file in place: removing it while the directory is open would
// let another process open it too.
//
// The file holds {pid, hostname, since, application, token}; `token` names one driver, so two
// drivers in the same process contend as well. It is created with the `wx` flag (atomic). A
// holder is stale, and its file is taken over, when it names a process on this host that no
// longer exists (a killed process never blocks the next run), or this very process but a driver
// that is no longer open (a container that reuses the pid of the run before it). A holder on
// another host cannot be checked and counts as alive.

import { randomUUID } from "node:crypto";
import { readFileSync, unlinkSync } from "node:fs";
import { mkdir, readdir, readFile, stat, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, resolve } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { RetortError } from "../core/errors.js";
import { rowsChanged, type ConnectOptions, type Driver, type LockConnection, type LockHolder, type QueryResult } from "./driver.js";
import { numberPlaceholders, PostgresSql, scriptError, toDatabaseError } from "./postgres.js";
import { describeTarget, type PgliteTarget } from "./target.js";

/** The data directory a `pglite://` URL names, as written (relative to the current directory
 *  unless it starts with `/`), or null for `pglite://memory`; an empty path is the default
 *  directory. For callers holding a WHATWG URL (which folds `..` after the first segment:
 *  `pglite://../../x` arrives as `../x`); the connection target reads the text as written. */
export function pgliteLocation(url: URL): string | null {
  const rest = url.href.slice(url.protocol.length, url.href.length - url.search.length - url.hash.length);
  const target = describeTarget(`pglite:${rest}`);
  return target.scheme === "pglite" ? target.location : null;
}

interface LockFile {
  pid: number;
  hostname: string;
  since: string;
  application: string | null;
  token: string;
}

/** Drivers of this process that own or want a lock file (token → path). A file naming this
 *  process and a token not in here is stale; the files are removed on a plain exit without close(). */
const open = new Map<string, string>();
let exitHookInstalled = false;

function register(token: string, path: string): void {
  open.set(token, path);
  if (!exitHookInstalled) {
    process.on("exit", releaseAllSync);
    exitHookInstalled = true;
  }
}

function releaseAllSync(): void {
  for (const [token, path] of open) {
    try {
      if (parseLockFile(readFileSync(path, "utf8"))?.token === token) unlinkSync(path);
    } catch {
      // Already gone, or unreadable: nothing of ours to remove.
    }
  }
  open.clear();
}

function parseLockFile(text: string): LockFile | null {
  try {
    const v = JSON.parse(text) as Partial<LockFile>;
    if (typeof v.pid !== "number" || typeof v.hostname !== "string" || typeof v.token !== "string") return null;
    return {
      pid: v.pid,
      hostname: v.hostname,
      since: typeof v.since === "string" ? v.since : "",
      application: typeof v.application === "string" ? v.application : null,
      token: v.token,
    };
  } catch {
    return null;
  }
}

/** An unreadable lock file younger than this may be one being written right now. */
const UNREADABLE_GRACE_MS = 5_000;

function isErrno(e: unknown, code: string): boolean {
  return (e as { code?: unknown } | null)?.code === code;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return !isErrno(e, "ESRCH");
  }
}

function isStale(lock: LockFile | null, ageMs: number): boolean {
  if (!lock) return ageMs > UNREADABLE_GRACE_MS;
  if (lock.hostname !== hostname()) return false;
  if (lock.pid === process.pid) return !open.has(lock.token);
  return !processAlive(lock.pid);
}

type Observed = { state: "missing" } | { state: "present"; text: string; lock: LockFile | null; stale: boolean };

async function observe(path: string): Promise<Observed> {
  try {
    const [text, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
    const lock = parseLockFile(text);
    return { state: "present", text, lock, stale: isStale(lock, Date.now() - info.mtimeMs) };
  } catch (e) {
    if (isErrno(e, "ENOENT")) return { state: "missing" };
    throw e;
  }
}

/** Takes the lock file, or confirms it is already ours. Returns the live holder otherwise. */
async function takeLockFile(path: string, mine: LockFile): Promise<{ ok: true } | { ok: false; holder: LockFile | null }> {
  let holder: LockFile | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await writeFile(path, JSON.stringify(mine) + "\n", { flag: "wx" });
      return { ok: true };
    } catch (e) {
      if (!isErrno(e, "EEXIST")) throw e;
    }
    const seen = await observe(path);
    if (seen.state === "missing") continue;
    if (seen.lock?.token === mine.token) return { ok: true };
    if (!seen.stale) return { ok: false, holder: seen.lock };
    holder = seen.lock;
    // Remove the stale file only if it is still the one judged stale, so a file another process
    // just created in its place survives.
    const again = await observe(path);
    if (again.state === "present" && again.text === seen.text) await unlink(path).catch(() => undefined);
  }
  return { ok: false, holder };
}

async function releaseLockFile(path: string, token: string): Promise<void> {
  open.delete(token);
  const seen = await observe(path).catch(() => null);
  if (seen?.state === "present" && seen.lock?.token === token) await unlink(path).catch(() => undefined);
}

function describeHolder(holder: LockFile | null): string {
  if (!holder) return "another process (the lock file is unreadable)";
  const where = holder.hostname === hostname() ? "" : ` on host ${holder.hostname}`;
  const app = holder.application ? ` (${holder.application})` : "";
  const since = holder.since ? ` since ${holder.since}` : "";
  return `process ${holder.pid}${where}${app}${since}`;
}

function holderOf(lock: LockFile): LockHolder {
  const pid = lock.hostname === hostname() ? String(lock.pid) : `${lock.pid}@${lock.hostname}`;
  return { pid, application: lock.application, since: lock.since || null };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Takes the lock file, polling while a live process holds it, for up to `timeoutMs`. */
async function waitForLockFile(path: string, mine: LockFile, timeoutMs: number, target: string): Promise<void> {
  const deadline = Date.now() + Math.max(0, timeoutMs);
  for (;;) {
    const got = await takeLockFile(path, mine);
    if (got.ok) return;
    if (Date.now() >= deadline) {
      throw new RetortError(
        "lock-timeout",
        `PGlite database '${target}' is in use by ${describeHolder(got.holder)}; gave up after ${timeoutMs} ms. ` +
          `Wait for it to finish, or delete ${path} if that process is gone.`,
      );
    }
    await sleep(Math.min(100, Math.max(1, deadline - Date.now())));
  }
}

/** Refuses paths PGlite would mishandle: a file (it fails with a bare errno) or a non-empty
 *  directory that is not a PostgreSQL data directory (it would run initdb among those files). */
async function checkDataDir(dir: string, shown: string): Promise<void> {
  let entries: string[];
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) {
      throw new RetortError("connection", `Cannot open PGlite database '${shown}': ${dir} is not a directory.`);
    }
    entries = await readdir(dir);
  } catch (e) {
    if (isErrno(e, "ENOENT")) return;
    throw e;
  }
  if (entries.length > 0 && !entries.includes("PG_VERSION")) {
    throw new RetortError(
      "connection",
      `Cannot open PGlite database '${shown}': ${dir} is not empty and is not a PostgreSQL data directory (no PG_VERSION). ` +
        `Point pglite:// at a new or empty directory.`,
    );
  }
}

export class PgliteDriver extends PostgresSql implements Driver {
  readonly dialect = "postgresql" as const;
  readonly transactionalDdl = true;
  readonly sharedLock: boolean;
  readonly target: string;
  private readonly db: PGlite;
  /** Absolute lock file path and our token; null in memory. */
  private readonly lock: { path: string; mine: LockFile } | null;
  private closed = false;

  private constructor(db: PGlite, target: string, lock: { path: string; mine: LockFile } | null) {
    super();
    this.db = db;
    this.target = target;
    this.lock = lock;
    this.sharedLock = lock !== null;
  }

  static async connect(options: ConnectOptions<PgliteTarget>): Promise<PgliteDriver> {
    const location = options.target.location;
    const target = options.target.display;
    let lock: { path: string; mine: LockFile } | null = null;
    let dataDir: string | undefined;
    if (location !== null) {
      dataDir = resolve(location);
      const path = `${dataDir}.lock`;
      const mine: LockFile = {
        pid: process.pid,
        hostname: hostname(),
        since: new Date().toISOString(),
        application: options.applicationName,
        token: randomUUID(),
      };
      // Registered before the file exists, so a driver of this process reading it half-way
      // through the write never takes it for a stale one.
      register(mine.token, path);
      try {
        await checkDataDir(dataDir, target);
        await mkdir(dirname(dataDir), { recursive: true });
        await waitForLockFile(path, mine, options.connectTimeoutMs, target);
      } catch (e) {
        open.delete(mine.token);
        if (e instanceof RetortError) throw e;
        const message = e instanceof Error ? e.message : String(e);
        throw new RetortError("connection", `Cannot prepare PGlite database '${target}' or its lock file ${path}: ${message}`, { cause: e });
      }
      lock = { path, mine };
    }
    try {
      // Loaded here, not at the top: the module is large and slow to start, and most commands
      // never touch PGlite.
      const { PGlite } = await import("@electric-sql/pglite");
      // TIMESTAMP WITHOUT TIME ZONE holds UTC (audit-alembic's changed_at): read it as UTC, not
      // in the machine's zone.
      const parsers = { 1114: (v: string) => new Date(`${v.replace(" ", "T")}Z`) };
      const db = await PGlite.create(dataDir === undefined ? { parsers } : { dataDir, parsers });
      return new PgliteDriver(db, target, lock);
    } catch (e) {
      if (lock) await releaseLockFile(lock.path, lock.mine.token);
      const message = e instanceof Error ? e.message : JSON.stringify(e);
      throw new RetortError("connection", `Cannot open PGlite database '${target}': ${message}`, { cause: e });
    }
  }

  /** A revision's SQL that names client_encoding (or SET NAMES) may have changed it: PGlite reads
   *  and writes UTF-8 only (and reports no parameter changes), so the next statement puts it
   *  back first (see PostgresDriver). */
  private encodingMayHaveChanged = false;

  private async utf8(): Promise<void> {
    if (!this.encodingMayHaveChanged) return;
    this.encodingMayHaveChanged = false;
    await this.db.exec("SET client_encoding = 'UTF8'");
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<QueryResult> {
    try {
      await this.utf8();
      // Like `pg`, statements without parameters go through the simple protocol (which takes
      // several statements at once); with parameters, through the extended one.
      const results = params.length > 0 ? [await this.db.query<Record<string, unknown>>(numberPlaceholders(sql), [...params])] : await this.db.exec(sql);
      const last = results[results.length - 1];
      // PGlite's `affectedRows` adds up every statement of the string; `rowCount` is this
      // statement's, but counts SELECTed rows too.
      const changed = rowsChanged(last?.command, last?.rowCount);
      return { rows: last?.rows ?? [], affectedRows: changed };
    } catch (e) {
      throw toDatabaseError(e, null);
    }
  }

  async script(statements: readonly string[]): Promise<void> {
    // The simple-protocol message PGlite's exec() sends, run without throwing so that the
    // statements completed before an error can be counted.
    const text = new TextEncoder().encode(statements.join(";\n"));
    const message = new Uint8Array(text.length + 6);
    message[0] = 0x51; // 'Q'
    new DataView(message.buffer).setInt32(1, text.length + 5);
    message.set(text, 5);
    let result: { messages: readonly { name: string }[] };
    try {
      await this.utf8();
      if (statements.some((s) => /client_encoding|\bset\s+names\b/i.test(s))) this.encodingMayHaveChanged = true;
      result = await this.db.execProtocol(message, { throwOnError: false });
    } catch (e) {
      throw scriptError(toDatabaseError(e, null), statements, 0);
    }
    let completed = 0;
    for (const m of result.messages) {
      if (m.name === "commandComplete") completed++;
      else if (m.name === "error") throw scriptError(toDatabaseError(m, null), statements, completed);
    }
  }

  /** In memory nobody else can see the database. On a data directory the lock file was taken by
   *  connect(); this confirms it is still ours (or takes it back if it vanished or went stale). */
  async tryLock(_key: string, on: LockConnection = "lock"): Promise<boolean> {
    if (!this.lock || on === "main") return true;
    if (this.closed) return false;
    return (await takeLockFile(this.lock.path, this.lock.mine)).ok;
  }

  /** No other client can open an embedded database while this driver has it. */
  lockStatement(_key: string): { sql: string; params: unknown[] } {
    return { sql: "SELECT ? AS got", params: [false] };
  }

  async lockHolder(_key: string): Promise<LockHolder | null> {
    if (!this.lock) return null;
    const seen = await observe(this.lock.path);
    if (seen.state === "missing" || seen.stale || !seen.lock) return null;
    return holderOf(seen.lock);
  }

  /** The lock file keeps guarding the open data directory until close(). */
  async unlock(_key: string): Promise<void> {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.db.closed) await this.db.close();
    } finally {
      if (this.lock) await releaseLockFile(this.lock.path, this.lock.mine.token);
    }
  }
}
