// PostgresDriver specifics: the advisory lock lives on its own idle connection, names its
// holder, and dies with a killed process.

import { spawn } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DatabaseError } from "../../src/db/driver.js";
import { PostgresDriver, advisoryKey, numberPlaceholders, scriptError } from "../../src/db/postgres.js";
import { describeTarget, type ServerTarget } from "../../src/db/target.js";
import { BACKENDS, describeBackend } from "../servers.js";

it("numbers ? placeholders and derives two 32-bit lock keys", () => {
  expect(numberPlaceholders("SELECT ? + ?, ?")).toBe("SELECT $1 + $2, $3");
  const [a, b] = advisoryKey("retort:public.alembic_version");
  expect(Number.isInteger(a) && Number.isInteger(b)).toBe(true);
  expect(advisoryKey("retort:public.alembic_version")).toEqual([a, b]);
  expect(advisoryKey("retort:other.alembic_version")).not.toEqual([a, b]);
});

it("maps an error of a script to its statement: by the server's position (in characters of the whole text), else by the statements completed", () => {
  const statements = ["BEGIN", "SELECT '😀😀' AS x", "SELECT nope"];
  // "BEGIN;\n" is 7 characters, the second statement 16 (each emoji is one character, two in JS).
  const at = (position: number | null, completed: number) => scriptError(new DatabaseError("e", "42601", position), statements, completed);
  expect(at(3, 0)).toMatchObject({ statement: 0, position: 3, earlierRan: true });
  expect(at(7 + 9, 1)).toMatchObject({ statement: 1, position: 9, earlierRan: true });
  expect(at(7 + 16 + 2 + 8, 2)).toMatchObject({ statement: 2, position: 8, earlierRan: true });
  // A parse error in the last statement: nothing ran.
  expect(at(7 + 16 + 2 + 8, 0)).toMatchObject({ statement: 2, earlierRan: false });
  // The separator after a statement belongs to it ("syntax error at or near ;").
  expect(at(6, 0)).toMatchObject({ statement: 0, position: 6 });
  expect(at(null, 2)).toMatchObject({ statement: 2, position: null, earlierRan: true });
  expect(at(null, 0)).toMatchObject({ statement: null, earlierRan: false });
  // Not a server error (the connection broke): the statement that was running.
  expect(scriptError(new Error("Connection terminated"), statements, 1)).toMatchObject({ statement: 1, earlierRan: true });
  // A statement completed, so the server ran the text: the ones before the failing one ran,
  // wherever the position points (never "rejected before running", which reruns them).
  expect(at(7 + 16 + 2 + 8, 1)).toMatchObject({ statement: 2, earlierRan: true });
});

it("counts a position in bytes where the database is SQL_ASCII, and gives the statement's position in characters", () => {
  const statements = ["BEGIN", "SELECT 'ééé' AS x", "SELECT nope"];
  // "SELECT 'ééé' AS x" is 17 characters, 20 bytes.
  const at = (position: number, completed: number) => scriptError(new DatabaseError("e", "42703", position), statements, completed, "bytes");
  expect(at(7 + 20 + 2 + 8, 2)).toMatchObject({ statement: 2, position: 8, earlierRan: true });
  // Inside the second statement, after the three é (9 + 6 bytes in): character 12.
  expect(at(7 + 15, 1)).toMatchObject({ statement: 1, position: 12 });
  expect(scriptError(new DatabaseError("e", "42703", 7 + 20 + 2 + 8), statements, 2)).toMatchObject({ statement: 2, position: 11 });
});

const pg = BACKENDS.find((b) => b.name === "postgresql")!;
describeBackend(pg, "PostgresDriver", () => {
  let url: string;
  let drop: () => Promise<void>;
  const connect = (name = "retort test") => PostgresDriver.connect({ target: describeTarget(url) as ServerTarget, applicationName: name, connectTimeoutMs: 5000 });

  beforeAll(async () => {
    ({ url, drop } = await pg.create());
  });
  afterAll(async () => drop());

  it("maps server errors to DatabaseError with code and position", async () => {
    const d = await connect();
    try {
      const e = await d.query("SELECT 1 FROM\n  nowhere_at_all").catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DatabaseError);
      expect((e as DatabaseError).code).toBe("42P01");
      expect((e as DatabaseError).position).toBe(17);
    } finally {
      await d.close();
    }
  });

  it("reads TIMESTAMP WITHOUT TIME ZONE as UTC, whatever the machine's zone", async () => {
    const zone = process.env.TZ;
    process.env.TZ = "America/New_York";
    const d = await connect();
    try {
      const { rows } = await d.query("SELECT TIMESTAMP '2026-01-02 03:04:05.678' AS t");
      expect((rows[0]!.t as Date).toISOString()).toBe("2026-01-02T03:04:05.678Z");
    } finally {
      await d.close();
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("names the holder of the lock by pid and application name; unlock frees it", async () => {
    const a = await connect("retort holder-app");
    const b = await connect();
    try {
      expect(await a.tryLock("k1")).toBe(true);
      expect(await b.tryLock("k1")).toBe(false);
      const holder = await b.lockHolder("k1");
      expect(holder).toMatchObject({ application: "retort holder-app (lock)" });
      expect(holder!.pid).toMatch(/^\d+$/);
      expect(Date.parse(holder!.since!)).toBeGreaterThan(0);
      // The lock connection is idle, outside any transaction.
      const { rows } = await b.query("SELECT state FROM pg_stat_activity WHERE pid = ?", [Number(holder!.pid)]);
      expect(rows[0]?.state).toBe("idle");
      await a.unlock("k1");
      expect(await b.tryLock("k1")).toBe(true);
      expect(await b.lockHolder("k1")).toMatchObject({ application: "retort test (lock)" });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("a killed process leaves no lock behind", async () => {
    const [k1, k2] = advisoryKey("k2");
    const script = `
      const { Client } = require("pg");
      const c = new Client({ connectionString: ${JSON.stringify(url)} });
      c.connect().then(() => c.query("SELECT pg_try_advisory_lock($1, $2) AS got", [${k1}, ${k2}])).then((r) => {
        console.log(r.rows[0].got ? "locked" : "busy");
        setInterval(() => {}, 1000);
      });`;
    const child = spawn(process.execPath, ["-e", script], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => (d.toString().includes("locked") ? resolve() : reject(new Error(d.toString()))));
    });
    const d = await connect();
    try {
      expect(await d.tryLock("k2")).toBe(false);
      child.kill("SIGKILL");
      const deadline = Date.now() + 10_000;
      let got = false;
      while (!got && Date.now() < deadline) {
        got = await d.tryLock("k2");
        if (!got) await new Promise((r) => setTimeout(r, 100));
      }
      expect(got).toBe(true);
    } finally {
      child.kill("SIGKILL");
      await d.close();
    }
  });
});
