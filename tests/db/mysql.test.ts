// MysqlDriver against the real MariaDB (or MySQL) server at 127.0.0.1:3306, user root with an
// empty password, in a throw-away database per run. The whole file is skipped, with one message,
// when the server is unreachable, unless RETORT_REQUIRE_SERVERS=1, where that is a failure.

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RetortError } from "../../src/core/errors.js";
import { DatabaseError, type ConnectOptions } from "../../src/db/driver.js";
import { lockName, MysqlDriver } from "../../src/db/mysql.js";
import { describeTarget, type ServerTarget } from "../../src/db/target.js";

const SERVER = "mysql://root@127.0.0.1:3306";
const RUN = randomBytes(4).toString("hex");
const DB = `retort_t_${RUN}`;
const PW_USER = `retort_pw_${RUN}`;
const PASSWORD = "s3cr3t-pw";

function options(url: string, connectTimeoutMs = 5000): ConnectOptions<ServerTarget> {
  return { target: describeTarget(url) as ServerTarget, applicationName: `retort test ${RUN}`, connectTimeoutMs };
}

/** Tries the lock every 100 ms until it is taken or `ms` have passed. */
async function lockWithin(driver: MysqlDriver, key: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await driver.tryLock(key)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function probe(): Promise<string | null> {
  try {
    const d = await MysqlDriver.connect(options(`${SERVER}/`, 3000));
    await d.close();
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

const unreachable = await probe();
const required = process.env.RETORT_REQUIRE_SERVERS === "1";

if (unreachable !== null && required) {
  describe("MysqlDriver", () => {
    it("needs MariaDB at 127.0.0.1:3306 (RETORT_REQUIRE_SERVERS=1)", () => {
      throw new Error(`MariaDB is unreachable: ${unreachable}`);
    });
  });
}

const title = unreachable === null ? "MysqlDriver (MariaDB at 127.0.0.1:3306)" : `MysqlDriver: skipped, MariaDB at 127.0.0.1:3306 is unreachable (${unreachable})`;

describe.skipIf(unreachable !== null)(title, () => {
  let admin: MysqlDriver;
  let d: MysqlDriver;
  const opened: MysqlDriver[] = [];
  const children: ChildProcess[] = [];

  async function connect(db = DB): Promise<MysqlDriver> {
    const driver = await MysqlDriver.connect(options(`${SERVER}/${db}`));
    opened.push(driver);
    return driver;
  }

  beforeAll(async () => {
    admin = await MysqlDriver.connect(options(`${SERVER}/`));
    await admin.query(`CREATE DATABASE \`${DB}\``);
    d = await connect();
  });

  afterAll(async () => {
    for (const c of children) c.kill("SIGKILL");
    await Promise.all(opened.map((o) => o.close()));
    if (admin) {
      await admin.query(`DROP USER IF EXISTS '${PW_USER}'@'%'`);
      await admin.query(`DROP DATABASE IF EXISTS \`${DB}\``);
      await admin.close();
    }
  });

  describe("queries", () => {
    beforeAll(async () => {
      await d.query("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40), Price INT, at DATETIME NULL) ENGINE=InnoDB");
    });

    it("describes itself", () => {
      expect(d.dialect).toBe("mysql");
      expect(d.transactionalDdl).toBe(false);
      expect(d.sharedLock).toBe(true);
      expect(d.target).toBe(`mysql://root@127.0.0.1:3306/${DB}`);
    });

    it("fills ? placeholders in order and returns rows", async () => {
      await d.query("INSERT INTO items (id, name, Price) VALUES (?, ?, ?), (?, ?, ?)", [1, "apple", 3, 2, "it's", 5]);
      const { rows, affectedRows } = await d.query("SELECT id, name FROM items WHERE Price > ? ORDER BY id", [0]);
      expect(rows).toEqual([
        { id: 1, name: "apple" },
        { id: 2, name: "it's" },
      ]);
      expect(affectedRows).toBe(0);
    });

    it("leaves ? alone when there are no params (revision SQL)", async () => {
      const { rows } = await d.query("SELECT '?' AS q, 'a ? b' AS r");
      expect(rows).toEqual([{ q: "?", r: "a ? b" }]);
    });

    it("reports affectedRows for UPDATE and DELETE (matched rows, even when unchanged)", async () => {
      expect((await d.query("UPDATE items SET Price = Price + 1")).affectedRows).toBe(2);
      expect((await d.query("UPDATE items SET name = name WHERE id = ?", [1])).affectedRows).toBe(1);
      expect((await d.query("UPDATE items SET name = 'x' WHERE id = ?", [99])).affectedRows).toBe(0);
    });

    it("works in UTC and returns dates as the server's text", async () => {
      const { rows } = await d.query("SELECT @@session.time_zone AS tz, NOW() AS now");
      expect(rows[0]?.tz).toBe("+00:00");
      const now = String(rows[0]?.now);
      expect(now).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      expect(Math.abs(Date.parse(`${now.replace(" ", "T")}Z`) - Date.now())).toBeLessThan(60_000);
      await d.query("UPDATE items SET at = ? WHERE id = 1", [new Date("2024-01-02T03:04:05Z")]);
      expect((await d.query("SELECT at FROM items WHERE id = 1")).rows).toEqual([{ at: "2024-01-02 03:04:05" }]);
    });

    it("begin/rollback discards an insert into an InnoDB table", async () => {
      await d.begin();
      await d.query("INSERT INTO items (id, name) VALUES (10, 'ghost')");
      expect((await d.query("SELECT COUNT(*) AS n FROM items WHERE id = 10")).rows[0]?.n).toBe(1);
      await d.rollback();
      expect((await d.query("SELECT COUNT(*) AS n FROM items WHERE id = 10")).rows[0]?.n).toBe(0);
    });

    it("begin/commit keeps it", async () => {
      await d.begin();
      await d.query("INSERT INTO items (id, name) VALUES (11, 'kept')");
      await d.commit();
      expect((await d.query("SELECT COUNT(*) AS n FROM items WHERE id = 11")).rows[0]?.n).toBe(1);
    });

    it("DDL commits implicitly: CREATE TABLE inside begin() survives rollback(), and so does the insert before it", async () => {
      await d.begin();
      await d.query("INSERT INTO items (id, name) VALUES (12, 'committed by DDL')");
      await d.query("CREATE TABLE made_in_tx (id INT) ENGINE=InnoDB");
      await d.rollback();
      expect(await d.tableExists(null, "made_in_tx")).toBe(true);
      expect((await d.query("SELECT COUNT(*) AS n FROM items WHERE id = 12")).rows[0]?.n).toBe(1);
    });

    it("currentSchema is the URL's database", async () => {
      expect(await d.currentSchema()).toBe(DB);
    });

    it("currentSchema without a database in the URL is a usage error", async () => {
      const err = await admin.currentSchema().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RetortError);
      expect((err as RetortError).code).toBe("usage");
      expect((err as RetortError).message).toMatch(/names no database/);
    });

    it("tableExists and columns, in the current database or a named one", async () => {
      expect(await d.tableExists(null, "items")).toBe(true);
      expect(await d.tableExists(DB, "items")).toBe(true);
      expect(await d.tableExists(null, "nope")).toBe(false);
      expect(await d.tableExists("mysql", "items")).toBe(false);
      expect(await admin.tableExists(DB, "items")).toBe(true);
      expect(await admin.tableExists(null, "items")).toBe(false);
      expect(await d.columns(null, "items")).toEqual(["id", "name", "price", "at"]);
      expect(await admin.columns(DB, "items")).toEqual(["id", "name", "price", "at"]);
      expect(await d.columns(null, "nope")).toEqual([]);
    });

    it("a syntax error is a DatabaseError with code ER_PARSE_ERROR and the server's message", async () => {
      const err = await d.query("SELEC 1").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseError);
      expect((err as DatabaseError).code).toBe("ER_PARSE_ERROR");
      expect((err as DatabaseError).position).toBeNull();
      expect((err as DatabaseError).message).toMatch(/SQL syntax.*near 'SELEC 1' at line 1/);
    });

    it("other server errors keep their code", async () => {
      const err = await d.query("SELECT * FROM missing_table").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseError);
      expect((err as DatabaseError).code).toBe("ER_NO_SUCH_TABLE");
    });

    it("runs several statements in one query, in order, stopping at the first error", async () => {
      await d.query("CREATE TABLE multi_t (id INT)");
      const err = await d.query("INSERT INTO multi_t VALUES (1); INSERT INTO nowhere VALUES (2); INSERT INTO multi_t VALUES (3)").catch((e: unknown) => e);
      expect((err as DatabaseError).code).toBe("ER_NO_SUCH_TABLE");
      expect((await d.query("SELECT id FROM multi_t")).rows).toEqual([{ id: 1 }]);
      await d.query("DROP TABLE multi_t");
    });

    it("script names the statement that failed, whatever results the statements before it sent", async () => {
      await d.script(["CREATE PROCEDURE rows_p() BEGIN SELECT 1 AS a; SELECT 2 AS b; END", "CREATE PROCEDURE fail_p() BEGIN SELECT 1 AS a; SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'in fail_p'; END"]);
      const failing = (statements: string[]) => d.script(statements).then(() => null, (e: unknown) => e as DatabaseError);
      const cases: [string[], number][] = [
        [["SET @a = 1", "SELECT 1", "SELECT * FROM nowhere", "SET @b = 1"], 2],
        [["SET @a = 1", "CALL rows_p()", "SELECT * FROM nowhere", "SET @b = 1"], 2],
        [["SET @a = 1", "-- a comment\n/* and another */ call rows_p()", "SET @b = 1", "SELECT * FROM nowhere"], 3],
        [["SET @a = 1", "CALL fail_p()", "SET @b = 1"], 1],
        [["SET @a = 1", "BEGIN NOT ATOMIC SELECT 1; SELECT 2; END", "SELECT * FROM nowhere"], 2],
        [["SET @a = 1", "l1: BEGIN NOT ATOMIC SELECT 1; SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'x'; END", "SET @b = 1"], 1],
        [["SELECT * FROM nowhere"], 0],
      ];
      for (const [statements, index] of cases) {
        const err = await failing(statements);
        expect(err, statements.join("; ")).toBeInstanceOf(DatabaseError);
        expect(err!.statement, statements.join("; ")).toBe(index);
      }
      await d.script(["DROP PROCEDURE rows_p", "DROP PROCEDURE fail_p"]);
    });

    it("knows MariaDB runs anonymous blocks (BEGIN NOT ATOMIC)", async () => {
      expect(d.anonymousBlocks).toBe(true);
      const err = await d.query("BEGIN NOT ATOMIC SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'from the block'; END").catch((e: unknown) => e);
      expect((err as DatabaseError).message).toBe("from the block");
    });
  });

  describe("connection errors", () => {
    beforeAll(async () => {
      await admin.query(`CREATE USER '${PW_USER}'@'%' IDENTIFIED BY '${PASSWORD}'`);
      await admin.query(`GRANT ALL ON \`${DB}\`.* TO '${PW_USER}'@'%'`);
    });

    it("a wrong password is a connection error naming host and port, never the password", async () => {
      const wrong = "wr0ng-pw-9d1";
      const err = await MysqlDriver.connect(options(`mysql://${PW_USER}:${wrong}@127.0.0.1:3306/${DB}`)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RetortError);
      expect((err as RetortError).code).toBe("connection");
      const message = (err as RetortError).message;
      expect(message).toContain("127.0.0.1:3306");
      expect(message).toContain(`'${PW_USER}'`);
      expect(message).toMatch(/authentication failed/);
      expect(message).not.toContain(wrong);
    });

    it("with the right password, the target and server messages hide it", async () => {
      const driver = await MysqlDriver.connect(options(`mysql://${PW_USER}:${PASSWORD}@127.0.0.1:3306/${DB}`));
      opened.push(driver);
      expect(driver.target).toBe(`mysql://${PW_USER}:***@127.0.0.1:3306/${DB}`);
      const err = await driver.query(`SELECT * FROM \`${PASSWORD}\``).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseError);
      expect((err as DatabaseError).code).toBe("ER_NO_SUCH_TABLE");
      expect((err as DatabaseError).message).toContain("***");
      expect((err as DatabaseError).message).not.toContain(PASSWORD);
    });

    it("an unknown database says so", async () => {
      const err = await MysqlDriver.connect(options(`${SERVER}/retort_no_such_db_${RUN}`)).catch((e: unknown) => e);
      expect((err as RetortError).code).toBe("connection");
      expect((err as RetortError).message).toMatch(/database 'retort_no_such_db_\w+' does not exist/);
    });

    it("a refused port is one line saying connection refused", async () => {
      const err = await MysqlDriver.connect(options("mysql://root:pw-refused@127.0.0.1:1/x")).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RetortError);
      expect((err as RetortError).code).toBe("connection");
      const message = (err as RetortError).message;
      expect(message).toMatch(/^Cannot connect to 127\.0\.0\.1:1: connection refused\./);
      expect(message).not.toContain("\n");
      expect(message).not.toContain("pw-refused");
    });
  });

  describe("lock", () => {
    it("one holder at a time; the other sees who holds it; unlock hands it over", async () => {
      const key = `retort-test-lock-${RUN}`;
      const a = await connect();
      const b = await connect();
      expect(await b.lockHolder(key)).toBeNull();
      expect(await a.tryLock(key)).toBe(true);
      expect(await b.tryLock(key)).toBe(false);

      const holder = await b.lockHolder(key);
      expect(holder).not.toBeNull();
      expect(holder?.pid).toMatch(/^\d+$/);
      // The lock lives on a's second connection, not on its main one.
      const aMain = (await a.query("SELECT CONNECTION_ID() AS id")).rows[0]?.id;
      expect(holder?.pid).not.toBe(String(aMain));
      expect(holder?.since).not.toBeNull();
      expect(Math.abs(Date.parse(holder?.since ?? "") - Date.now())).toBeLessThan(60_000);
      // program_name when performance_schema is on, else USER@HOST.
      expect(holder?.application).toMatch(new RegExp(`^(retort test ${RUN} \\(lock\\)|root@.+)$`));

      await a.unlock(key);
      expect(await b.lockHolder(key)).toBeNull();
      expect(await b.tryLock(key)).toBe(true);
      expect(await a.tryLock(key)).toBe(false);
      await b.unlock(key);
    });

    it("the pid is the holder's connection: killing it frees the lock", async () => {
      const key = `retort-test-kill-${RUN}`;
      const a = await connect();
      const b = await connect();
      expect(await a.tryLock(key)).toBe(true);
      const holder = await b.lockHolder(key);
      await b.query(`KILL ${Number(holder?.pid)}`);
      expect(await lockWithin(b, key, 5000)).toBe(true);
      await b.unlock(key);
    });

    it("a key longer than 64 characters is hashed to a name that fits, and still excludes", async () => {
      const key = `retort-test-long-${RUN}-${"x".repeat(80)}`;
      expect(lockName(key)).toHaveLength(64);
      expect(lockName(key)).toMatch(/^retort:[0-9a-f]{57}$/);
      expect(lockName("short")).toBe("short");
      const a = await connect();
      const b = await connect();
      expect(await a.tryLock(key)).toBe(true);
      expect(await b.tryLock(key)).toBe(false);
      expect((await b.lockHolder(key))?.pid).toMatch(/^\d+$/);
      await a.unlock(key);
      expect(await b.tryLock(key)).toBe(true);
      await b.unlock(key);
    });

    it("a process killed with SIGKILL releases its lock", async () => {
      const key = `retort-test-sigkill-${RUN}`;
      const script = `
        const mysql = require(process.env.MYSQL2_PATH);
        (async () => {
          const c = await mysql.createConnection({ host: "127.0.0.1", port: 3306, user: "root" });
          const [rows] = await c.query("SELECT GET_LOCK(?, 0) AS got", [process.env.LOCK_NAME]);
          if (rows[0].got !== 1) { console.log("busy"); process.exit(1); }
          console.log("locked " + c.threadId);
          setInterval(() => undefined, 1000);
        })().catch((e) => { console.log("error " + e.message); process.exit(1); });
      `;
      const child = spawn(process.execPath, ["-e", script], {
        env: { ...process.env, MYSQL2_PATH: createRequire(import.meta.url).resolve("mysql2/promise"), LOCK_NAME: lockName(key) },
        stdio: ["ignore", "pipe", "inherit"],
      });
      children.push(child);
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout?.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes("\n")) resolve(out.trim());
        });
        child.on("exit", (code) => reject(new Error(`child exited (${code}) before locking: ${out}`)));
      });
      expect(line).toMatch(/^locked \d+$/);
      const childConnection = line.split(" ")[1];

      const b = await connect();
      expect(await b.tryLock(key)).toBe(false);
      expect((await b.lockHolder(key))?.pid).toBe(childConnection);

      const exited = new Promise((resolve) => child.on("exit", resolve));
      child.kill("SIGKILL");
      await exited;
      expect(await lockWithin(b, key, 5000)).toBe(true);
      await b.unlock(key);
    });
  });

  describe("close", () => {
    it("ends both connections and is safe to call twice", async () => {
      const key = `retort-test-close-${RUN}`;
      const a = await MysqlDriver.connect(options(`${SERVER}/${DB}`));
      expect(await a.tryLock(key)).toBe(true);
      await a.close();
      await a.close();
      // Closing the lock connection released the lock (once the server has seen it go).
      expect(await lockWithin(d, key, 5000)).toBe(true);
      await d.unlock(key);
      await expect(a.query("SELECT 1")).rejects.toThrow(/closed/);
    });
  });
});
