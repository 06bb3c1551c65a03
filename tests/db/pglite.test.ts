// The PGlite driver, in memory and on temporary data directories (no server needed).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RetortError } from "../../src/core/errors.js";
import { DatabaseError, type ConnectOptions } from "../../src/db/driver.js";
import { PgliteDriver, pgliteLocation } from "../../src/db/pglite.js";
import { DEFAULT_PGLITE_DIR } from "../../src/db/target.js";
import { describeTarget, type PgliteTarget } from "../../src/db/target.js";

const options = (url: string, connectTimeoutMs = 2_000): ConnectOptions<PgliteTarget> => ({
  target: describeTarget(url) as PgliteTarget,
  applicationName: "retort test",
  connectTimeoutMs,
});

/** The error `promise` rejects with; fails the test when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}

/** A child process that exited: its pid names nobody any more. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((r) => child.once("exit", r));
  return child.pid!;
}

/** A child process that stays alive until killed. */
function liveChild(): ChildProcess {
  return spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill();
  await exited;
}

function lockText(pid: number, host = hostname(), token = "someone-else"): string {
  return JSON.stringify({ pid, hostname: host, since: "2025-01-02T03:04:05.000Z", application: "other deploy", token }) + "\n";
}

describe("pgliteLocation", () => {
  const at = (s: string) => pgliteLocation(new URL(s));
  it("reads memory, relative and absolute locations", () => {
    expect(at("pglite://memory")).toBeNull();
    expect(at("pglite://MEMORY/")).toBeNull();
    expect(at("pglite://.retort/pglite")).toBe(".retort/pglite");
    expect(at("pglite://./memory")).toBe("./memory");
    expect(at("pglite://data")).toBe("data");
    expect(at("pglite:///abs/path")).toBe("/abs/path");
    expect(at("pglite:///abs/path/")).toBe("/abs/path/");
    expect(at("pglite:../../up")).toBe("../../up");
    expect(at("pglite://my%20dir/db")).toBe("my dir/db");
    expect(at("pglite://data/db?x=1#frag")).toBe("data/db");
  });
  it("takes an empty path for the default directory", () => {
    expect(at("pglite://")).toBe(DEFAULT_PGLITE_DIR);
  });
});

describe("module loading", () => {
  it("imports PGlite lazily, never at the top of the module", async () => {
    const text = await readFile(new URL("../../src/db/pglite.ts", import.meta.url), "utf8");
    const topLevel = text.split("\n").filter((l) => /^import\b/.test(l) && l.includes("@electric-sql/pglite"));
    expect(topLevel.length).toBeGreaterThan(0);
    for (const line of topLevel) expect(line).toMatch(/^import type /);
    expect(text).toContain('await import("@electric-sql/pglite")');
  });
});

describe("PgliteDriver in memory", () => {
  let db: PgliteDriver;
  beforeAll(async () => {
    const t = performance.now();
    db = await PgliteDriver.connect(options("pglite://memory"));
    console.log(`PGlite connect, memory: ${Math.round(performance.now() - t)} ms`);
  }, 60_000);
  afterAll(async () => {
    await db.close();
  });

  it("describes itself", () => {
    expect(db.dialect).toBe("postgresql");
    expect(db.transactionalDdl).toBe(true);
    expect(db.sharedLock).toBe(false);
    expect(db.target).toBe("pglite://memory");
  });

  it("runs statements with ? parameters and counts affected rows", async () => {
    expect((await db.query("CREATE TABLE items (id int PRIMARY KEY, name text)")).affectedRows).toBe(0);
    expect((await db.query("INSERT INTO items VALUES (?, ?), (?, ?)", [1, "a", 2, null])).affectedRows).toBe(2);
    expect((await db.query("UPDATE items SET name = ? WHERE name IS NULL", ["b"])).affectedRows).toBe(1);
    const select = await db.query("SELECT id, name FROM items WHERE id >= ? ORDER BY id", [1]);
    expect(select.rows).toEqual([
      { id: 1, name: "a" },
      { id: 2, name: "b" },
    ]);
    expect(select.affectedRows).toBe(0);
    expect((await db.query("DELETE FROM items WHERE id = ?", [99])).affectedRows).toBe(0);
    // Without parameters several statements may share one string; the last one answers.
    const multi = await db.query("INSERT INTO items VALUES (3, 'c'); UPDATE items SET name = 'z' WHERE id < 3");
    expect(multi.affectedRows).toBe(2);
    expect((await db.query("SELECT count(*)::int AS n FROM items; SELECT 'last' AS w")).rows).toEqual([{ w: "last" }]);
  });

  it("answers currentSchema, tableExists and columns", async () => {
    await db.query("CREATE SCHEMA other");
    await db.query('CREATE TABLE other.things (Id int, "Label" text)');
    expect(await db.currentSchema()).toBe("public");
    expect(await db.tableExists(null, "items")).toBe(true);
    expect(await db.tableExists("public", "items")).toBe(true);
    expect(await db.tableExists(null, "things")).toBe(false);
    expect(await db.tableExists("other", "things")).toBe(true);
    expect(await db.tableExists(null, "nothing_here")).toBe(false);
    expect((await db.columns(null, "items")).sort()).toEqual(["id", "name"]);
    expect((await db.columns("other", "things")).sort()).toEqual(["id", "label"]);
    expect(await db.columns(null, "nothing_here")).toEqual([]);
  });

  it("rolls back DDL and rows, and commits them", async () => {
    await db.begin();
    await db.query("CREATE TABLE gone (id int)");
    await db.query("INSERT INTO gone VALUES (1)");
    await db.query("INSERT INTO items VALUES (10, 'rolled back')");
    expect(await db.tableExists(null, "gone")).toBe(true);
    await db.rollback();
    expect(await db.tableExists(null, "gone")).toBe(false);
    expect((await db.query("SELECT count(*)::int AS n FROM items WHERE id = 10")).rows).toEqual([{ n: 0 }]);

    await db.begin();
    await db.query("CREATE TABLE kept (id int)");
    await db.query("INSERT INTO kept VALUES (1)");
    await db.commit();
    expect((await db.query("SELECT id FROM kept")).rows).toEqual([{ id: 1 }]);
  });

  it("rejects bad statements with a DatabaseError carrying code and position", async () => {
    const syntax = await rejection(db.query("SELECT 1;\nSELEC 2"));
    expect(syntax).toBeInstanceOf(DatabaseError);
    expect((syntax as DatabaseError).code).toBe("42601");
    expect((syntax as DatabaseError).position).toBe(11);
    expect(syntax.message).toMatch(/syntax error at or near "SELEC"/);

    const missing = await rejection(db.query("SELECT * FROM nosuch WHERE id = ?", [1]));
    expect(missing).toBeInstanceOf(DatabaseError);
    expect((missing as DatabaseError).code).toBe("42P01");
    expect((missing as DatabaseError).position).toBe(15);

    // A failed statement inside a transaction aborts it; ROLLBACK recovers the connection.
    await db.begin();
    await rejection(db.query("SELECT * FROM nosuch"));
    expect(((await rejection(db.query("SELECT 1"))) as DatabaseError).code).toBe("25P02");
    await db.rollback();
    expect((await db.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
  });

  it("reads TIMESTAMP WITHOUT TIME ZONE as UTC, whatever the machine's zone", async () => {
    const zone = process.env.TZ;
    process.env.TZ = "America/New_York";
    try {
      const { rows } = await db.query("SELECT TIMESTAMP '2026-01-02 03:04:05.678' AS t");
      expect((rows[0]!.t as Date).toISOString()).toBe("2026-01-02T03:04:05.678Z");
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("has nobody to lock against", async () => {
    expect(await db.tryLock("retort")).toBe(true);
    expect(await db.tryLock("retort")).toBe(true);
    expect(await db.lockHolder("retort")).toBeNull();
    await db.unlock("retort");
  });

  it("closes twice without complaint", async () => {
    const other = await PgliteDriver.connect(options("pglite://memory"));
    await other.close();
    await other.close();
  }, 60_000);
});

describe("PgliteDriver on a data directory", () => {
  let root: string;
  let dataDir: string;
  let lockPath: string;
  let url: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "retort-pglite-"));
    dataDir = join(root, "nested", "deeper", "db");
    lockPath = `${dataDir}.lock`;
    url = `pglite://${dataDir}`;
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("creates the directory, holds the lock file while open, and keeps data across reopen", async () => {
    let t = performance.now();
    const first = await PgliteDriver.connect(options(url));
    console.log(`PGlite connect, fresh data directory: ${Math.round(performance.now() - t)} ms`);
    expect(first.sharedLock).toBe(true);
    expect(first.target).toBe(`pglite://${dataDir}`);
    const lock = JSON.parse(await readFile(lockPath, "utf8"));
    expect(lock).toMatchObject({ pid: process.pid, hostname: hostname(), application: "retort test" });
    expect(new Date(lock.since).toISOString()).toBe(lock.since);
    expect(await first.tryLock("retort")).toBe(true);
    expect(await first.lockHolder("retort")).toEqual({ pid: String(process.pid), application: "retort test", since: lock.since });

    await first.query("CREATE TABLE kept (id int, name text)");
    await first.query("INSERT INTO kept VALUES (?, ?)", [1, "one"]);
    await first.begin();
    await first.query("CREATE TABLE gone (id int)");
    await first.query("INSERT INTO kept VALUES (2, 'two')");
    await first.rollback();
    await first.unlock("retort");
    // The file guards the open directory until close, not only until unlock.
    await expect(readFile(lockPath, "utf8")).resolves.toContain(String(process.pid));
    await first.close();
    await first.close();
    await expect(readFile(lockPath, "utf8")).rejects.toMatchObject({ code: "ENOENT" });

    t = performance.now();
    const again = await PgliteDriver.connect(options(url));
    console.log(`PGlite connect, existing data directory: ${Math.round(performance.now() - t)} ms`);
    try {
      expect((await again.query("SELECT id, name FROM kept")).rows).toEqual([{ id: 1, name: "one" }]);
      expect(await again.tableExists(null, "gone")).toBe(false);
    } finally {
      await again.close();
    }
  }, 60_000);

  it("refuses a second driver on the same directory while the first is open", async () => {
    const first = await PgliteDriver.connect(options(url));
    try {
      const t = performance.now();
      const err = await rejection(PgliteDriver.connect(options(url, 300)));
      expect(performance.now() - t).toBeGreaterThanOrEqual(250);
      expect(err).toBeInstanceOf(RetortError);
      expect((err as RetortError).code).toBe("lock-timeout");
      expect(err.message).toContain(`process ${process.pid} (retort test)`);
      expect(err.message).toContain(lockPath);
      expect(await first.tryLock("retort")).toBe(true);
    } finally {
      await first.close();
    }
  }, 60_000);

  it("waits for a live process holding the lock file and names it; takes over once it is dead", async () => {
    const child = liveChild();
    try {
      await writeFile(lockPath, lockText(child.pid!));
      const err = await rejection(PgliteDriver.connect(options(url, 200)));
      expect((err as RetortError).code).toBe("lock-timeout");
      expect(err.message).toContain(`process ${child.pid} (other deploy) since 2025-01-02T03:04:05.000Z`);
      await kill(child);
      const driver = await PgliteDriver.connect(options(url));
      expect(JSON.parse(await readFile(lockPath, "utf8")).pid).toBe(process.pid);
      await driver.close();
    } finally {
      await kill(child);
    }
  }, 60_000);

  it("takes over a lock file left by a dead process, at connect and at tryLock", async () => {
    const dead = await deadPid();
    await writeFile(lockPath, lockText(dead));
    const driver = await PgliteDriver.connect(options(url, 0));
    try {
      expect(JSON.parse(await readFile(lockPath, "utf8")).pid).toBe(process.pid);
      // Someone replaced our file with a dead process's one: tryLock takes it back.
      await writeFile(lockPath, lockText(dead));
      expect(await driver.lockHolder("retort")).toBeNull();
      expect(await driver.tryLock("retort")).toBe(true);
      expect(JSON.parse(await readFile(lockPath, "utf8")).pid).toBe(process.pid);
      // Or removed it: tryLock creates it again.
      await rm(lockPath);
      expect(await driver.tryLock("retort")).toBe(true);
      expect(JSON.parse(await readFile(lockPath, "utf8")).pid).toBe(process.pid);
    } finally {
      await driver.close();
    }
  }, 60_000);

  it("takes over a file naming this process but no open driver (a reused pid)", async () => {
    await writeFile(lockPath, lockText(process.pid, hostname(), "a-driver-long-gone"));
    const driver = await PgliteDriver.connect(options(url, 0));
    await driver.close();
    await expect(readFile(lockPath, "utf8")).rejects.toMatchObject({ code: "ENOENT" });
  }, 60_000);

  it("cannot take, and leaves alone, a lock someone else holds", async () => {
    const driver = await PgliteDriver.connect(options(url));
    const child = liveChild();
    try {
      const theirs = lockText(child.pid!);
      await writeFile(lockPath, theirs);
      expect(await driver.tryLock("retort")).toBe(false);
      expect(await driver.lockHolder("retort")).toEqual({
        pid: String(child.pid),
        application: "other deploy",
        since: "2025-01-02T03:04:05.000Z",
      });
      await driver.unlock("retort");
      await driver.close();
      expect(await readFile(lockPath, "utf8")).toBe(theirs);
    } finally {
      await driver.close();
      await kill(child);
      await rm(lockPath, { force: true });
    }
  }, 60_000);

  it("counts a holder on another host as alive and names the host", async () => {
    const driver = await PgliteDriver.connect(options(url));
    try {
      await writeFile(lockPath, lockText(await deadPid(), "elsewhere.example"));
      expect(await driver.tryLock("retort")).toBe(false);
      expect((await driver.lockHolder("retort"))?.pid).toMatch(/^\d+@elsewhere\.example$/);
      const err = await rejection(PgliteDriver.connect(options(url, 0)));
      expect(err.message).toMatch(/in use by process \d+ on host elsewhere\.example/);
    } finally {
      await driver.close();
      await rm(lockPath, { force: true });
    }
  }, 60_000);

  it("treats an unreadable lock file as held while fresh and as stale once old", async () => {
    await writeFile(lockPath, "");
    const err = await rejection(PgliteDriver.connect(options(url, 0)));
    expect((err as RetortError).code).toBe("lock-timeout");
    expect(err.message).toContain("unreadable");
    const old = new Date(Date.now() - 60_000);
    await utimes(lockPath, old, old);
    const driver = await PgliteDriver.connect(options(url, 0));
    await driver.close();
  }, 60_000);

  it("a driver in a killed process leaves no lock behind it; its committed rows survive", async () => {
    // A real holder: another process with the driver open on the same directory, killed with
    // SIGKILL (no exit handlers, no close).
    const script = join(root, "holder.ts");
    const driverModule = new URL("../../src/db/pglite.js", import.meta.url).pathname.replace(/\.js$/, ".ts");
    await writeFile(
      script,
      `import { PgliteDriver } from ${JSON.stringify(driverModule)};\n` +
        `import { describeTarget } from ${JSON.stringify(driverModule.replace(/pglite\.ts$/, "target.ts"))};\n` +
        `const db = await PgliteDriver.connect({ target: describeTarget(${JSON.stringify(url)}), applicationName: "holder", connectTimeoutMs: 5000 });\n` +
        `await db.query("CREATE TABLE IF NOT EXISTS from_child (id int)");\n` +
        `await db.query("INSERT INTO from_child VALUES (?)", [process.pid]);\n` +
        `console.log("ready " + process.pid);\n` +
        `setInterval(() => {}, 1000);\n`,
    );
    const viteNode = new URL("../../node_modules/vite-node/vite-node.mjs", import.meta.url).pathname;
    const child = spawn(process.execPath, [viteNode, script], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const pid = await new Promise<number>((ok, fail) => {
        let out = "";
        child.stdout!.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const m = /ready (\d+)/.exec(out);
          if (m) ok(Number(m[1]));
        });
        child.once("exit", (code) => fail(new Error(`holder exited with ${code}: ${out}`)));
      });
      expect(pid).toBe(child.pid);
      const err = await rejection(PgliteDriver.connect(options(url, 300)));
      expect((err as RetortError).code).toBe("lock-timeout");
      expect(err.message).toContain(`process ${pid} (holder)`);

      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
      await expect(readFile(lockPath, "utf8")).resolves.toContain(`"pid":${pid}`);
      const driver = await PgliteDriver.connect(options(url, 0));
      try {
        expect((await driver.query("SELECT id FROM from_child")).rows).toEqual([{ id: pid }]);
      } finally {
        await driver.close();
      }
    } finally {
      await kill(child);
    }
  }, 60_000);

  it("refuses a file, or a non-empty directory that holds no database", async () => {
    const file = join(root, "a-file");
    await writeFile(file, "not a database\n");
    const notDir = await rejection(PgliteDriver.connect(options(`pglite://${file}`)));
    expect((notDir as RetortError).code).toBe("connection");
    expect(notDir.message).toContain("is not a directory");

    const junk = join(root, "junk");
    await mkdir(junk);
    await writeFile(join(junk, "notes.txt"), "hello\n");
    const notDb = await rejection(PgliteDriver.connect(options(`pglite://${junk}`)));
    expect((notDb as RetortError).code).toBe("connection");
    expect(notDb.message).toContain("not a PostgreSQL data directory");
    await expect(readFile(`${junk}.lock`, "utf8")).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("resolves a relative location against the current directory", () => {
    expect(resolve(pgliteLocation(new URL("pglite://.retort/pglite"))!)).toBe(join(process.cwd(), ".retort", "pglite"));
  });
});
