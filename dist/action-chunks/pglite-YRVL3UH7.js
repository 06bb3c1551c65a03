#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  PostgresSql,
  numberPlaceholders,
  scriptError,
  toDatabaseError
} from "./chunk-GPYY2GT2.js";
import {
  rowsChanged
} from "./chunk-QFBBDEGR.js";
import "./chunk-DKZ2M3U5.js";
import {
  describeTarget
} from "./chunk-MK6CWJHS.js";
import {
  RetortError
} from "./chunk-ORFVBTCF.js";
import "./chunk-TNZW6T2I.js";

// src/db/pglite.ts
import { randomUUID } from "node:crypto";
import { readFileSync, unlinkSync } from "node:fs";
import { mkdir, readdir, readFile, stat, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, resolve } from "node:path";
function pgliteLocation(url) {
  const rest = url.href.slice(url.protocol.length, url.href.length - url.search.length - url.hash.length);
  const target = describeTarget(`pglite:${rest}`);
  return target.scheme === "pglite" ? target.location : null;
}
var open = /* @__PURE__ */ new Map();
var exitHookInstalled = false;
function register(token, path) {
  open.set(token, path);
  if (!exitHookInstalled) {
    process.on("exit", releaseAllSync);
    exitHookInstalled = true;
  }
}
function releaseAllSync() {
  for (const [token, path] of open) {
    try {
      if (parseLockFile(readFileSync(path, "utf8"))?.token === token) unlinkSync(path);
    } catch {
    }
  }
  open.clear();
}
function parseLockFile(text) {
  try {
    const v = JSON.parse(text);
    if (typeof v.pid !== "number" || typeof v.hostname !== "string" || typeof v.token !== "string") return null;
    return {
      pid: v.pid,
      hostname: v.hostname,
      since: typeof v.since === "string" ? v.since : "",
      application: typeof v.application === "string" ? v.application : null,
      token: v.token
    };
  } catch {
    return null;
  }
}
var UNREADABLE_GRACE_MS = 5e3;
function isErrno(e, code) {
  return e?.code === code;
}
function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return !isErrno(e, "ESRCH");
  }
}
function isStale(lock, ageMs) {
  if (!lock) return ageMs > UNREADABLE_GRACE_MS;
  if (lock.hostname !== hostname()) return false;
  if (lock.pid === process.pid) return !open.has(lock.token);
  return !processAlive(lock.pid);
}
async function observe(path) {
  try {
    const [text, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
    const lock = parseLockFile(text);
    return { state: "present", text, lock, stale: isStale(lock, Date.now() - info.mtimeMs) };
  } catch (e) {
    if (isErrno(e, "ENOENT")) return { state: "missing" };
    throw e;
  }
}
async function takeLockFile(path, mine) {
  let holder = null;
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
    const again = await observe(path);
    if (again.state === "present" && again.text === seen.text) await unlink(path).catch(() => void 0);
  }
  return { ok: false, holder };
}
async function releaseLockFile(path, token) {
  open.delete(token);
  const seen = await observe(path).catch(() => null);
  if (seen?.state === "present" && seen.lock?.token === token) await unlink(path).catch(() => void 0);
}
function describeHolder(holder) {
  if (!holder) return "another process (the lock file is unreadable)";
  const where = holder.hostname === hostname() ? "" : ` on host ${holder.hostname}`;
  const app = holder.application ? ` (${holder.application})` : "";
  const since = holder.since ? ` since ${holder.since}` : "";
  return `process ${holder.pid}${where}${app}${since}`;
}
function holderOf(lock) {
  const pid = lock.hostname === hostname() ? String(lock.pid) : `${lock.pid}@${lock.hostname}`;
  return { pid, application: lock.application, since: lock.since || null };
}
var sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitForLockFile(path, mine, timeoutMs, target) {
  const deadline = Date.now() + Math.max(0, timeoutMs);
  for (; ; ) {
    const got = await takeLockFile(path, mine);
    if (got.ok) return;
    if (Date.now() >= deadline) {
      throw new RetortError(
        "lock-timeout",
        `PGlite database '${target}' is in use by ${describeHolder(got.holder)}; gave up after ${timeoutMs} ms. Wait for it to finish, or delete ${path} if that process is gone.`
      );
    }
    await sleep(Math.min(100, Math.max(1, deadline - Date.now())));
  }
}
async function checkDataDir(dir, shown) {
  let entries;
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
      `Cannot open PGlite database '${shown}': ${dir} is not empty and is not a PostgreSQL data directory (no PG_VERSION). Point pglite:// at a new or empty directory.`
    );
  }
}
var PgliteDriver = class _PgliteDriver extends PostgresSql {
  dialect = "postgresql";
  transactionalDdl = true;
  sharedLock;
  target;
  db;
  /** Absolute lock file path and our token; null in memory. */
  lock;
  closed = false;
  constructor(db, target, lock) {
    super();
    this.db = db;
    this.target = target;
    this.lock = lock;
    this.sharedLock = lock !== null;
  }
  static async connect(options) {
    const location = options.target.location;
    const target = options.target.display;
    let lock = null;
    let dataDir;
    if (location !== null) {
      dataDir = resolve(location);
      const path = `${dataDir}.lock`;
      const mine = {
        pid: process.pid,
        hostname: hostname(),
        since: (/* @__PURE__ */ new Date()).toISOString(),
        application: options.applicationName,
        token: randomUUID()
      };
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
      const { PGlite } = await import("@electric-sql/pglite");
      const parsers = { 1114: (v) => /* @__PURE__ */ new Date(`${v.replace(" ", "T")}Z`) };
      const db = await PGlite.create(dataDir === void 0 ? { parsers } : { dataDir, parsers });
      return new _PgliteDriver(db, target, lock);
    } catch (e) {
      if (lock) await releaseLockFile(lock.path, lock.mine.token);
      const message = e instanceof Error ? e.message : JSON.stringify(e);
      throw new RetortError("connection", `Cannot open PGlite database '${target}': ${message}`, { cause: e });
    }
  }
  /** A revision's SQL that names client_encoding (or SET NAMES) may have changed it: PGlite reads
   *  and writes UTF-8 only (and reports no parameter changes), so the next statement puts it
   *  back first (see PostgresDriver). */
  encodingMayHaveChanged = false;
  async utf8() {
    if (!this.encodingMayHaveChanged) return;
    this.encodingMayHaveChanged = false;
    await this.db.exec("SET client_encoding = 'UTF8'");
  }
  async query(sql, params = []) {
    try {
      await this.utf8();
      const results = params.length > 0 ? [await this.db.query(numberPlaceholders(sql), [...params])] : await this.db.exec(sql);
      const last = results[results.length - 1];
      const changed = rowsChanged(last?.command, last?.rowCount);
      return { rows: last?.rows ?? [], affectedRows: changed };
    } catch (e) {
      throw toDatabaseError(e, null);
    }
  }
  async script(statements) {
    const text = new TextEncoder().encode(statements.join(";\n"));
    const message = new Uint8Array(text.length + 6);
    message[0] = 81;
    new DataView(message.buffer).setInt32(1, text.length + 5);
    message.set(text, 5);
    let result;
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
  async tryLock(_key, on = "lock") {
    if (!this.lock || on === "main") return true;
    if (this.closed) return false;
    return (await takeLockFile(this.lock.path, this.lock.mine)).ok;
  }
  /** No other client can open an embedded database while this driver has it. */
  lockStatement(_key) {
    return { sql: "SELECT ? AS got", params: [false] };
  }
  async lockHolder(_key) {
    if (!this.lock) return null;
    const seen = await observe(this.lock.path);
    if (seen.state === "missing" || seen.stale || !seen.lock) return null;
    return holderOf(seen.lock);
  }
  /** The lock file keeps guarding the open data directory until close(). */
  async unlock(_key) {
  }
  async close() {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.db.closed) await this.db.close();
    } finally {
      if (this.lock) await releaseLockFile(this.lock.path, this.lock.mine.token);
    }
  }
};
export {
  PgliteDriver,
  pgliteLocation
};
