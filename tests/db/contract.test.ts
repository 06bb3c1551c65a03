// The driver contract: what src/db/driver.ts promises, checked the same way against every
// driver (golang-migrate's database/testing), on PostgreSQL, MariaDB and PGlite. Each capability
// flag is checked against what the driver does, so that a flag cannot lie to the runner. The
// drivers' own files (postgres.test.ts, ...) test what only one of them has.
//
// Every test opens its own drivers and names its own tables and locks (contract-kit.ts), all let
// go after it, also when it fails. Where the databases need different SQL to set something up,
// the test spells out each; what the driver answers is checked the same way for all: against
// its own flags, or against SERVER_SAYS where the servers' codes differ.

import { afterAll, beforeAll, expect, it } from "vitest";
import { RetortError } from "../../src/core/errors.js";
import { DatabaseError, type Driver } from "../../src/db/driver.js";
import { BACKENDS, describeBackend, queryOnce, type Backend } from "../servers.js";
import { APPLICATION, embedded, openEmbedded, relay, scratchFor, unique, within, type Scratch } from "./contract-kit.js";

/** What each database says for the same mistakes (the codes are the server's own). */
const SERVER_SAYS: Record<Backend["name"], { missingTable: string; syntax: string; positions: boolean }> = {
  postgresql: { missingTable: "42P01", syntax: "42601", positions: true },
  pglite: { missingTable: "42P01", syntax: "42601", positions: true },
  // MySQL reports no character offset, only `at line N` in the message.
  mariadb: { missingTable: "ER_NO_SUCH_TABLE", syntax: "ER_PARSE_ERROR", positions: false },
};

const HOSTILE = ["'); DROP TABLE {t};--", "it's", "\\", "\\'; DROP TABLE {t}; --", "? $1 :x @y", '"double" `back`', "$$ $q$", "/* c */ -- c # c", "é€😀", ""];

async function rejection(p: Promise<unknown>): Promise<DatabaseError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(DatabaseError);
  return e as DatabaseError;
}

const count = async (d: Driver, table: string, where = "1 = 1") => Number((await d.query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`)).rows[0]?.n);

for (const backend of BACKENDS) {
  describeBackend(backend, "Driver contract", () => {
    let db: { url: string; drop: () => Promise<void> };
    // The first PGlite database of a run is made by initdb, which takes seconds on a busy machine.
    beforeAll(async () => {
      db = await backend.create();
    }, 60_000);
    afterAll(async () => db?.drop());
    const s = scratchFor(() => db.url);
    const says = SERVER_SAYS[backend.name];

    queries(s, backend, says);
    scripts(s, backend, says);
    parsing(s, says);
    protocols(s, backend);
    transactions(s, backend);
    catalog(s, backend);
    descriptions(s);
    privileges(s);
    temporaryTables(s);
    locks(s, backend);
    lockLifetime(s, backend);
    sessions(s, backend.name === "mariadb");
  });
}

function queries(s: Scratch, backend: Backend, says: (typeof SERVER_SAYS)[Backend["name"]]): void {
  it("dialect and target: which SQL it speaks, and where it is connected", async () => {
    const d = await s.open();
    expect(d.dialect).toBe(backend.name === "mariadb" ? "mysql" : "postgresql");
    expect(d.target).toBe(s.url());
  });

  it("query: ? parameters are values, never SQL, whatever they hold", async () => {
    const d = await s.open();
    const t = s.object("params");
    await d.query(`CREATE TABLE ${t} (id INT, v VARCHAR(200))`);
    const values = HOSTILE.map((v) => v.replace("{t}", t));
    for (const [i, v] of values.entries()) await d.query(`INSERT INTO ${t} (id, v) VALUES (?, ?)`, [i, v]);
    expect(await d.tableExists(null, t)).toBe(true);
    expect((await d.query(`SELECT id, v FROM ${t} ORDER BY id`)).rows).toEqual(values.map((v, id) => ({ id, v })));
    for (const [i, v] of values.entries()) expect((await d.query(`SELECT id FROM ${t} WHERE v = ?`, [v])).rows).toEqual([{ id: i }]);
    await d.query(`INSERT INTO ${t} (id, v) VALUES (?, ?)`, [-1, null]);
    expect((await d.query(`SELECT v FROM ${t} WHERE id = ?`, [-1])).rows).toEqual([{ v: null }]);
    // Without parameters a ? is the statement's own text (revision SQL).
    expect((await d.query("SELECT '?' AS q")).rows).toEqual([{ q: "?" }]);
  });

  it("query: affectedRows counts the rows inserted, updated (matched) or deleted", async () => {
    const d = await s.open();
    const t = s.object("affected");
    await d.query(`CREATE TABLE ${t} (id INT, v INT)`);
    expect((await d.query(`INSERT INTO ${t} VALUES (1, 1), (2, 1), (3, 2)`)).affectedRows).toBe(3);
    expect((await d.query(`UPDATE ${t} SET v = v WHERE v = ?`, [1])).affectedRows).toBe(2);
    expect((await d.query(`UPDATE ${t} SET v = 5 WHERE id = ?`, [99])).affectedRows).toBe(0);
    expect((await d.query(`DELETE FROM ${t} WHERE id = ?`, [3])).affectedRows).toBe(1);
  });

  // This suite found PostgresDriver.query reporting a SELECT's rows returned (pg's rowCount) as
  // rows changed; both PostgreSQL drivers now share rowsChanged.
  it("query: a SELECT changes no rows (affectedRows 0)", async () => {
    const d = await s.open();
    expect((await d.query("SELECT 1 AS a UNION ALL SELECT 2")).affectedRows).toBe(0);
  });

  it("query: a rejected statement is a DatabaseError with the server's code and a 1-based position", async () => {
    const d = await s.open();
    const e = await rejection(d.query("SELECT 1 FROM\n  nowhere_at_all"));
    expect(e.code).toBe(says.missingTable);
    expect(e.position).toBe(says.positions ? 17 : null);
    expect((await rejection(d.query("SELEC 1"))).code).toBe(says.syntax);
    expect((await rejection(d.query("SELEC 1"))).position).toBe(says.positions ? 1 : null);
    // The connection is still usable after an error.
    expect((await d.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
  });

  it("failureKind: a missing table is missing-table; a syntax error says nothing about the database", async () => {
    const d = await s.open();
    expect(d.failureKind(await rejection(d.query(`SELECT * FROM ${unique("absent")}`)))).toBe("missing-table");
    expect(d.failureKind(await rejection(d.query("SELEC 1")))).toBeNull();
  });

  it("query without parameters runs several statements, stopping at the first error", async () => {
    const d = await s.open();
    const t = s.object("multi");
    await d.query(`CREATE TABLE ${t} (n INT); INSERT INTO ${t} VALUES (1)`);
    expect(await count(d, t)).toBe(1);
    await rejection(d.query(`SELECT * FROM ${unique("absent")}; INSERT INTO ${t} VALUES (2)`));
    expect(await count(d, t, "n = 2")).toBe(0);
  });
}

function scripts(s: Scratch, backend: Backend, says: (typeof SERVER_SAYS)[Backend["name"]]): void {
  it("script: runs the statements in order", async () => {
    const d = await s.open();
    const t = s.object("ordered");
    await d.script([`CREATE TABLE ${t} (n INT)`, `INSERT INTO ${t} VALUES (1)`, `UPDATE ${t} SET n = n * 10`, `INSERT INTO ${t} VALUES (2)`]);
    expect((await d.query(`SELECT n FROM ${t} ORDER BY n`)).rows).toEqual([{ n: 2 }, { n: 10 }]);
  });

  // An embedded database has no wire to count round trips on.
  it.skipIf(embedded(backend))("script: sends all its statements in one round trip", async () => {
    const r = await relay(s.url());
    s.finally(() => r.close());
    const d = await s.open(r.url);
    const t = s.object("trip");
    const before = r.turns();
    await d.script([`CREATE TABLE ${t} (n INT)`, `INSERT INTO ${t} VALUES (1)`, `INSERT INTO ${t} VALUES (2)`, `UPDATE ${t} SET n = n + 1`]);
    expect(r.turns() - before).toBe(1);
    expect(await count(d, t)).toBe(2);
  });

  it("script: stops at the first error and names it; the statements before it ran", async () => {
    const d = await s.open();
    const t = s.object("stops");
    await d.query(`CREATE TABLE ${t} (n INT)`);
    const e = await rejection(d.script(["BEGIN", `INSERT INTO ${t} VALUES (1)`, "COMMIT", "SELECT 1 AS one", "SELECT 1 FROM\n  nowhere_at_all", `INSERT INTO ${t} VALUES (2)`]));
    expect(e).toMatchObject({ code: says.missingTable, statement: 4, earlierRan: true });
    // The position counts from the failing statement, not from the whole text.
    expect(e.position).toBe(says.positions ? 17 : null);
    expect((await d.query(`SELECT n FROM ${t}`)).rows).toEqual([{ n: 1 }]);
  });
}

function parsing(s: Scratch, says: (typeof SERVER_SAYS)[Backend["name"]]): void {
  it("parsesWholeScript: a syntax error in a later statement stops the ones before it exactly where the driver says the server reads the whole text first", async () => {
    const d = await s.open();
    const t = s.object("parsed");
    await d.query(`CREATE TABLE ${t} (n INT)`);
    const e = await rejection(d.script([`INSERT INTO ${t} VALUES (1)`, "SELEC oops"]));
    expect(e).toMatchObject({ code: says.syntax, statement: 1, earlierRan: !d.parsesWholeScript });
    expect(e.position).toBe(says.positions ? 1 : null);
    expect(await count(d, t)).toBe(d.parsesWholeScript ? 0 : 1);
  });

  it("changesParsing: a statement that changes how text is read takes effect where parsesWholeScript says", async () => {
    const d = await s.open();
    if (d.dialect === "mysql") {
      // Each statement is read when it is reached: the mode applies to the next one at once, so
      // nothing has to end the round trip.
      const mode = "SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES'";
      expect(d.changesParsing(mode)).toBe(false);
      expect(d.parsesWholeScript).toBe(false);
      await d.script([mode, "SET @contract_v = 'a\\'"]);
      expect((await d.query("SELECT @contract_v AS v")).rows).toEqual([{ v: "a\\" }]);
      return;
    }
    const off = "SET standard_conforming_strings = off";
    expect(d.changesParsing(off)).toBe(true);
    expect(d.changesParsing("SELECT 1")).toBe(false);
    expect(d.changesParsing("RESET ALL")).toBe(true);
    expect(d.parsesWholeScript).toBe(true);
    // The text after it in the same round trip was read before it ran: '\' is still a string...
    const t = s.object("lexed");
    await d.script([off, `CREATE TABLE ${t} AS SELECT 'a\\' AS v`]);
    expect((await d.query(`SELECT v FROM ${t}`)).rows).toEqual([{ v: "a\\" }]);
    // ...and only the next round trip reads it as an escaped quote.
    expect((await rejection(d.script(["SELECT 'a\\' AS v"]))).code).toBe(says.syntax);
  });

  it("anonymousBlocks: the server runs an anonymous procedural block exactly when the driver says so", async () => {
    const d = await s.open();
    const block =
      d.dialect === "mysql"
        ? "BEGIN NOT ATOMIC SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'from the block'; END"
        : "DO $contract$ BEGIN RAISE EXCEPTION 'from the block'; END $contract$";
    const e = await rejection(d.query(block));
    if (d.anonymousBlocks) expect(e.message).toBe("from the block");
    else expect(e.code).toBe(says.syntax);
  });
}

function protocols(s: Scratch, backend: Backend): void {
  it("protocol: fused exactly where anonymous blocks run, atomic exactly where DDL is transactional", async () => {
    const d = await s.open();
    expect(d.protocol === null).toBe(!d.anonymousBlocks);
    if (d.protocol) expect(d.protocol.atomic).toBe(d.transactionalDdl);
  });

  it.each([
    ["touches one row: passes", 1, null],
    ["touches no row: raises the mark and the count", 99, "0"],
  ])("protocol.checkedChanges: an UPDATE that %s", async (_what, n, raised) => {
    const d = await s.open();
    if (!d.protocol) return;
    const t = s.object("checked");
    await d.query(`CREATE TABLE ${t} (v INT)`);
    await d.query(`INSERT INTO ${t} VALUES (1)`);
    const mark = "contract-mark:";
    const sql = d.protocol.checkedChanges([{ sql: `UPDATE ${t} SET v = v + 10 WHERE v = ${n}`, mark: d.bookkeeping.literal(mark) }]);
    if (raised === null) {
      await d.query(sql);
      expect((await d.query(`SELECT v FROM ${t}`)).rows).toEqual([{ v: 11 }]);
    } else {
      expect((await rejection(d.query(sql))).message).toContain(`${mark}${raised}`);
    }
  });

  // An embedded database has no other session to run it from.
  it.skipIf(embedded(backend))("endSessionStatement: run by another session, it ends the holder's session and so frees its lock", async () => {
    const d = await s.open();
    const key = s.lockKey("ended");
    expect(await d.tryLock(key, "main")).toBe(true);
    const holder = await d.lockHolder(key);
    expect(holder).not.toBeNull();
    if (!holder) return;
    const other = await s.open();
    await other.query(d.endSessionStatement(holder.pid));
    expect(await within(5000, () => other.tryLock(key))).toBe(true);
  });
}

function transactions(s: Scratch, backend: Backend): void {
  it("begin/rollback discards rows; begin/commit keeps them, for other sessions too", async () => {
    const d = await s.open();
    const t = s.object("tx");
    await d.query(`CREATE TABLE ${t} (n INT)${d.dialect === "mysql" ? " ENGINE=InnoDB" : ""}`);
    await d.begin();
    await d.query(`INSERT INTO ${t} VALUES (1)`);
    expect(await count(d, t)).toBe(1);
    await d.rollback();
    expect(await count(d, t)).toBe(0);
    await d.begin();
    await d.query(`INSERT INTO ${t} VALUES (2)`);
    // Another session sees nothing until the commit (an embedded database has no other).
    const other = embedded(backend) ? null : await s.open();
    if (other) expect(await count(other, t)).toBe(0);
    await d.commit();
    expect(await count(other ?? d, t)).toBe(1);
  });

  it("transactionalDdl: a CREATE TABLE rolled back is gone exactly when the driver says so", async () => {
    const d = await s.open();
    const t = s.object("ddl");
    await d.begin();
    await d.query(`CREATE TABLE ${t} (n INT)`);
    await d.rollback();
    expect(await d.tableExists(null, t)).toBe(!d.transactionalDdl);
  });
}

function catalog(s: Scratch, backend: Backend): void {
  const quote = (d: Driver, name: string) => (d.dialect === "mysql" ? `\`${name}\`` : `"${name}"`);

  it("currentSchema is where unqualified names go; tableExists finds a table there, qualified or not", async () => {
    const d = await s.open();
    const schema = await d.currentSchema();
    expect(schema).toBe(backend.name === "mariadb" ? new URL(s.url()).pathname.slice(1) : "public");
    const t = s.object("here");
    expect(await d.tableExists(null, t)).toBe(false);
    await d.query(`CREATE TABLE ${t} (n INT)`);
    expect(await d.tableExists(null, t)).toBe(true);
    expect(await d.tableExists(schema, t)).toBe(true);
    expect(await d.tableExists(unique("elsewhere"), t)).toBe(false);
    // Names are values too.
    expect(await d.tableExists(null, `${t}'); DROP TABLE ${t};--`)).toBe(false);
    expect(await d.tableExists(null, t)).toBe(true);
  });

  it("columns: the table's column names, lower case; none for a missing table", async () => {
    const d = await s.open();
    const t = s.object("cols");
    await d.query(`CREATE TABLE ${t} (id INT, ${quote(d, "MixedCase")} INT, plain INT)`);
    expect((await d.columns(null, t)).sort()).toEqual(["id", "mixedcase", "plain"]);
    expect((await d.columns(await d.currentSchema(), t)).sort()).toEqual(["id", "mixedcase", "plain"]);
    expect(await d.columns(null, unique("absent"))).toEqual([]);
  });
}

function descriptions(s: Scratch): void {
  it("describeTable: kind, columns in order with notNull, hasDefault and lengths; null for nothing", async () => {
    const d = await s.open();
    const schema = await d.currentSchema();
    const t = s.object("described");
    const serial = d.dialect === "mysql" ? "INT NOT NULL AUTO_INCREMENT" : "SERIAL";
    await d.query(`CREATE TABLE ${t} (id ${serial} PRIMARY KEY, name VARCHAR(40) NOT NULL, note VARCHAR(10) DEFAULT 'x', n INT)`);
    const info = await d.describeTable(schema, t);
    expect(info?.kind).toBe("table");
    expect(info?.columns.map(({ name, notNull, maxChars }) => ({ name, notNull, maxChars }))).toEqual([
      { name: "id", notNull: true, maxChars: null },
      { name: "name", notNull: true, maxChars: 40 },
      { name: "note", notNull: false, maxChars: 10 },
      { name: "n", notNull: false, maxChars: null },
    ]);
    // hasDefault decides whether an INSERT may leave a NOT NULL column out; for a nullable
    // column without a default MariaDB says true (its default is NULL) and PostgreSQL false.
    expect(info?.columns.slice(0, 3).map((c) => c.hasDefault)).toEqual([true, false, true]);
    // Bytes where the server bounds them (MySQL: characters times the character set's width).
    const bytes = info!.columns.map((c) => c.maxBytes);
    if (d.dialect === "mysql") expect(bytes[1]).toBeGreaterThanOrEqual(40);
    else expect(bytes).toEqual([null, null, null, null]);
    if (info?.privileges) {
      expect(info.privileges).toEqual({ select: true, insert: true, update: true, delete: true, schema: true, sequences: [] });
    }
    expect(await d.describeTable(schema, unique("absent"))).toBeNull();
  });

  it("describeTable: a view is a view, a sequence is something else", async () => {
    const d = await s.open();
    const schema = await d.currentSchema();
    const t = s.object("base");
    const v = s.object("seen", "view");
    const q = s.object("numbers", "sequence");
    await d.query(`CREATE TABLE ${t} (n INT)`);
    await d.query(`CREATE VIEW ${v} AS SELECT n FROM ${t}`);
    await d.query(`CREATE SEQUENCE ${q}`);
    const view = await d.describeTable(schema, v);
    expect(view?.kind).toBe("view");
    expect(view?.columns.map((c) => c.name)).toEqual(["n"]);
    expect((await d.describeTable(schema, q))?.kind).toBe("other");
  });
}

function privileges(s: Scratch): void {
  it("a role that may only read: describeTable says what it may do, and a write fails as failureKind privilege", async () => {
    const d = await s.open();
    const schema = await d.currentSchema();
    const t = s.object("guarded");
    // The session may end as the reader, who may not drop the table.
    s.sessionChanged();
    const reader = d.dialect === "mysql" ? await mysqlReader(s, d, schema, t) : await postgresReader(s, d, schema, t);
    const privileges = (await reader.describeTable(schema, t))?.privileges ?? null;
    if (d.dialect === "mysql") {
      // MySQL cannot tell without trying.
      expect(privileges).toBeNull();
    } else {
      expect(privileges).toEqual({ select: true, insert: false, update: false, delete: false, schema: true, sequences: [{ column: "id", sequence: `${schema}.${t}_id_seq` }] });
    }
    expect(reader.failureKind(await rejection(reader.query(`INSERT INTO ${t} (n) VALUES (1)`)))).toBe("privilege");
  });
}

const READER_PASSWORD = "contract-pw";

/** A second driver, as a user that may only SELECT from `table` (dropped after the test). */
async function mysqlReader(s: Scratch, d: Driver, schema: string, table: string): Promise<Driver> {
  const user = unique("retort_contract");
  await d.query(`CREATE TABLE ${table} (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, n INT)`);
  await d.query("CREATE USER ?@'%' IDENTIFIED BY ?", [user, READER_PASSWORD]);
  s.finally(async () => {
    await queryOnce(s.url(), "DROP USER IF EXISTS ?@'%'", [user]);
  });
  await d.query(`GRANT SELECT ON \`${schema}\`.${table} TO ?@'%'`, [user]);
  const url = new URL(s.url());
  url.username = user;
  url.password = READER_PASSWORD;
  const reader = await s.open(url.href);
  expect(reader.target).toBe(url.href.replace(`:${READER_PASSWORD}@`, ":***@"));
  return reader;
}

/** The same driver, switched to a role that may only SELECT from `table` and may not use the
 *  sequence of its id (an embedded database has one connection; roles are the server's, dropped
 *  after the test). */
async function postgresReader(s: Scratch, d: Driver, schema: string, table: string): Promise<Driver> {
  const role = unique("retort_contract");
  await d.query(`CREATE TABLE ${table} (id SERIAL PRIMARY KEY, n INT)`);
  await d.query(`CREATE ROLE ${role} NOLOGIN`);
  s.finally(async () => {
    await queryOnce(s.url(), [`DROP OWNED BY ${role}`, `DROP ROLE IF EXISTS ${role}`]);
  });
  await d.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
  await d.query(`GRANT SELECT ON ${table} TO ${role}`);
  await d.query(`SET ROLE ${role}`);
  return d;
}

function temporaryTables(s: Scratch): void {
  it("dropHidingTables / mayCreateTemporaryTables: a temporary table hides a qualified name exactly where the driver says so", async () => {
    const d = await s.open();
    const schema = await d.currentSchema();
    const t = s.object("hidden");
    const qualified = `${schema}.${t}`;
    await d.query(`CREATE TABLE ${qualified} (n INT)`);
    await d.query(`INSERT INTO ${qualified} VALUES (1)`);
    const temporary = `CREATE TEMPORARY TABLE ${t} (n INT)`;
    s.sessionChanged();
    await d.script([temporary]);
    const drop = d.dropHidingTables([qualified]);
    expect(await count(d, qualified)).toBe(drop === null ? 1 : 0);
    expect(d.mayCreateTemporaryTables(temporary)).toBe(drop !== null);
    expect(d.mayCreateTemporaryTables(`INSERT INTO ${qualified} VALUES (2)`)).toBe(false);
    if (drop === null) return;
    await d.script([drop]);
    expect(await count(d, qualified)).toBe(1);
    // It drops only temporary tables: the table itself stays.
    await d.script([drop]);
    expect(await count(d, qualified)).toBe(1);
  });
}

function locks(s: Scratch, backend: Backend): void {
  it("tryLock: true, then false from a second driver; lockHolder names the holder; unlock frees it", async () => {
    const key = s.lockKey("held");
    const a = await s.open();
    if (embedded(backend)) {
      // The lock is the open database: a second driver cannot open it at all.
      expect(await a.tryLock(key)).toBe(true);
      expect(await a.lockHolder(key)).toMatchObject({ pid: String(process.pid), application: APPLICATION });
      const e = await openEmbedded(s.url(), 200).then(
        (d) => d.close().then(() => null),
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(RetortError);
      expect((e as RetortError).code).toBe("lock-timeout");
      // The file guards the open directory until close, not until unlock.
      await a.unlock(key);
      expect(await a.tryLock(key)).toBe(true);
      return;
    }
    const b = await s.open();
    expect(await b.lockHolder(key)).toBeNull();
    expect(await a.tryLock(key)).toBe(true);
    expect(await b.tryLock(key)).toBe(false);
    const holder = await b.lockHolder(key);
    expect(holder?.pid).toMatch(/^\d+$/);
    expect(Math.abs(Date.parse(holder?.since ?? "") - Date.now())).toBeLessThan(120_000);
    // The lock connection's name (MariaDB keeps it when performance_schema is on, else the
    // holder is USER@HOST).
    expect(holder?.application).toMatch(a.dialect === "mysql" ? /^(retort tests \(lock\)|\w+@.+)$/ : /^retort tests \(lock\)$/);
    await a.unlock(key);
    expect(await b.lockHolder(key)).toBeNull();
    expect(await b.tryLock(key)).toBe(true);
    expect(await a.tryLock(key)).toBe(false);
  });

  it("sharedLock: two drivers contend for one lock where the driver says they can", async () => {
    const key = s.lockKey("shared");
    const a = await s.open();
    expect(a.sharedLock).toBe(true);
    expect(await a.tryLock(key)).toBe(true);
    if (embedded(backend)) {
      expect((await openEmbedded(s.url(), 200).catch((e: unknown) => e)) as RetortError).toMatchObject({ code: "lock-timeout" });
      return;
    }
    expect(await (await s.open()).tryLock(key)).toBe(false);
  });

  it("a lock on the main connection is a lock of its own session: the lock connection and other drivers wait for it", async () => {
    const key = s.lockKey("main");
    const a = await s.open();
    expect(await a.tryLock(key, "main")).toBe(true);
    if (embedded(backend)) {
      // Nobody else can reach an embedded database: both connections are the one driver's.
      expect(await a.tryLock(key)).toBe(true);
      await a.unlock(key, "main");
      return;
    }
    expect(await a.tryLock(key)).toBe(false);
    const b = await s.open();
    expect(await b.tryLock(key)).toBe(false);
    const holder = await b.lockHolder(key);
    const main = (await a.query(a.dialect === "mysql" ? "SELECT CONNECTION_ID() AS id" : "SELECT pg_backend_pid() AS id")).rows[0]?.id;
    expect(holder?.pid).toBe(String(main));
    await a.unlock(key, "main");
    expect(await b.tryLock(key)).toBe(true);
  });
}

function lockLifetime(s: Scratch, backend: Backend): void {
  it("lockStatement takes the same lock from another client's connection", async () => {
    const key = s.lockKey("statement");
    const a = await s.open();
    const { sql, params } = a.lockStatement(key);
    const taken = (rows: readonly Record<string, unknown>[]) => [true, 1, "1"].includes(Object.values(rows[0] ?? {})[0] as never);
    expect(await a.tryLock(key)).toBe(true);
    if (embedded(backend)) {
      // No other client can open the database while this driver has it.
      expect(taken((await a.query(sql, params)).rows)).toBe(false);
      return;
    }
    const b = await s.open();
    expect(taken((await b.query(sql, params)).rows)).toBe(false);
    await a.unlock(key);
    expect(taken((await b.query(sql, params)).rows)).toBe(true);
    expect(await a.tryLock(key)).toBe(false);
  });

  it("the lock goes away when its holder closes", async () => {
    const key = s.lockKey("closed");
    const a = await s.open();
    expect(await a.tryLock(key)).toBe(true);
    await a.close();
    const b = await s.open();
    expect(await within(5000, () => b.tryLock(key))).toBe(true);
  });

  it("close() twice is safe; a closed driver runs nothing", async () => {
    const d = await s.open();
    await d.tryLock(s.lockKey("close"));
    await d.close();
    await d.close();
    await expect(d.query("SELECT 1")).rejects.toThrow();
  });
}

function sessions(s: Scratch, mysql: boolean): void {
  it.runIf(mysql)("sessionModes: query pins retort's modes; leave gives a revision back the modes it set", async () => {
    const d = await s.open();
    const modes = d.sessionModes!;
    expect(modes).not.toBeNull();
    await d.script(["SET SESSION sql_mode = 'ANSI_QUOTES'"]);
    // query() enters by itself, and entering twice keeps the revision's modes saved.
    expect((await d.query("SELECT @@SESSION.sql_mode AS m")).rows).toEqual([{ m: "NO_ENGINE_SUBSTITUTION" }]);
    await d.script([modes.enter]);
    await d.script([modes.leave, "SET @contract_seen = @@SESSION.sql_mode"]);
    expect((await d.query("SELECT @contract_seen AS m")).rows).toEqual([{ m: "ANSI_QUOTES" }]);
    // Leaving twice restores nothing more.
    await d.script([modes.leave, modes.leave, "SET @contract_seen = @@SESSION.sql_mode"]);
    expect((await d.query("SELECT @contract_seen AS m")).rows).toEqual([{ m: "ANSI_QUOTES" }]);
  });

  it.runIf(!mysql)("sessionModes: none needed, a revision's settings do not change how parameters read", async () => {
    const d = await s.open();
    expect(d.sessionModes).toBeNull();
    await d.script(["SET standard_conforming_strings = off"]);
    expect((await d.query("SELECT ? AS v", ["a\\'b"])).rows).toEqual([{ v: "a\\'b" }]);
  });
}
