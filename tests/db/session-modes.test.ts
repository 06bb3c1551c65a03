// retort's own statements mean the same whatever modes a revision leaves in the session:
// values (as parameters, and as the literals its round-trip scripts carry) come back exactly,
// under every mode of the class that changes how the server reads text: PostgreSQL's
// standard_conforming_strings and client_encoding, MySQL's NO_BACKSLASH_ESCAPES, ANSI_QUOTES,
// PIPES_AS_CONCAT, EMPTY_STRING_IS_NULL, ORACLE, its client character sets, sql_select_limit.
// Each mode is set the way a revision sets it: by SQL sent through Driver.script, per session
// (nothing global on the shared servers).

import { afterAll, beforeAll, expect, it } from "vitest";
import { sessionProofLiteral } from "../../src/core/sql.js";
import type { Driver } from "../../src/db/driver.js";
import { BACKENDS, connect, describeBackend, queryOnce } from "../servers.js";

/** Text built to break quoting: quotes of every kind, backslashes before quotes, comment and
 *  dollar-quote starters, wildcards, control characters, multi-byte text (including the bytes
 *  of GBK's and Big5's backslash-swallowing lead bytes), an empty string, a long one. */
const NASTY = [
  "plain",
  "it's",
  "\\",
  "\\'",
  "'\\''",
  "aa\\bb",
  "\\\\server\\share",
  "x'; DROP TABLE alembic_version_history; --",
  "it''s \\'; DELETE FROM alembic_version_history; -- ",
  '"double" `back` [square]',
  "$retort$ $$ $1",
  "/* c */ -- c # c",
  "%_?",
  "a\nb\r\nc\td",
  "\u0001\u001b[31m\u007f",
  "é€😀 ünïcödé",
  "縗' 稞' 乗\\' ｜\\",
  "",
  "NULL",
  "x".repeat(5000),
];

const MODES: Record<string, string[][]> = {
  postgresql: [
    ["SET standard_conforming_strings = off"],
    ["SET standard_conforming_strings = off", "SET backslash_quote = on", "SET escape_string_warning = off"],
    ["SET client_encoding = 'LATIN1'"],
    ["SET client_encoding = 'SJIS'"],
  ],
  mariadb: [
    ["SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES'"],
    ["SET SESSION sql_mode = 'ANSI_QUOTES,PIPES_AS_CONCAT,EMPTY_STRING_IS_NULL,STRICT_ALL_TABLES'"],
    ["SET SESSION sql_mode = 'ORACLE'"],
    ["SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES'", "SET NAMES gbk"],
    ["SET NAMES big5"],
    ["SET SESSION character_set_client = 'latin1'", "SET SESSION character_set_results = 'latin1'"],
    // Connection character sets in which the server misreads plain literals (a time zone).
    ["SET character_set_connection = 'ucs2'"],
    ["SET character_set_connection = 'utf32'", "SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES'"],
  ],
};
MODES.pglite = MODES.postgresql!.filter((m) => !m.some((s) => s.includes("SJIS")));

for (const backend of BACKENDS) {
  describeBackend(backend, "retort's statements under the session modes a revision can set", () => {
    let db: { url: string; drop: () => Promise<void> };
    const dialect = backend.name === "mariadb" ? "mysql" : "postgresql";
    beforeAll(async () => {
      db = await backend.create();
    });
    afterAll(async () => {
      await db.drop();
    });

    for (const modes of MODES[backend.name]!) {
      it(`values come back exactly after ${modes.join("; ")}`, async () => {
        const d: Driver = await connect(db.url);
        // As the runner sends a revision's statements: after switching back to the revision's
        // modes (MySQL).
        const revision = (sql: string[]) => d.script([...(d.sessionModes ? [d.sessionModes.leave] : []), ...sql]);
        try {
          await revision(modes);
          for (const value of NASTY) {
            // A revision may set the same mode again at any point: nothing retort sent before
            // (the pinning of MySQL's modes) is assumed to hold.
            await revision(modes);
            const viaParameter = await d.query("SELECT ? AS v", [value]);
            expect(viaParameter.rows[0]?.v, `parameter ${JSON.stringify(value.slice(0, 40))}`).toBe(value);
            const viaLiteral = await d.query(`SELECT ${sessionProofLiteral(value, dialect)} AS v`);
            expect(viaLiteral.rows[0]?.v, `literal ${JSON.stringify(value.slice(0, 40))}`).toBe(value);
          }
        } finally {
          await d.close();
        }
      });
    }

    it("a literal in a script after the revision's statements reads as retort wrote it", async () => {
      // The revision's mode is set earlier in the same session, as a revision before it would.
      const d = await connect(db.url);
      try {
        await d.query("CREATE TABLE lit_check (v TEXT)");
        const modes = d.sessionModes;
        await d.script([...(modes ? [modes.leave] : []), ...MODES[backend.name]![0]!]);
        for (const value of NASTY) {
          await d.script([
            ...(modes ? [modes.enter] : []),
            "DELETE FROM lit_check",
            `INSERT INTO lit_check (v) VALUES (${sessionProofLiteral(value, dialect)})`,
            ...(modes ? [modes.leave] : []),
          ]);
          expect((await d.query("SELECT v FROM lit_check")).rows.map((r) => r.v)).toEqual([value]);
        }
      } finally {
        await d.close();
      }
    });

    if (backend.name === "mariadb") {
      it("a revision's sql_select_limit, autocommit and time zone do not reach retort's statements, and are the revision's again afterwards", async () => {
        const d = await connect(db.url);
        try {
          await d.query("CREATE TABLE many (id INT PRIMARY KEY)");
          await d.query("INSERT INTO many VALUES (1), (2), (3)");
          await d.script([d.sessionModes!.leave, "SET sql_select_limit = 1", "SET autocommit = 0", "SET time_zone = '+05:00'", "SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES'"]);
          expect((await d.query("SELECT id FROM many ORDER BY id")).rows).toHaveLength(3);
          expect((await d.query("SELECT @@SESSION.autocommit AS a, @@SESSION.time_zone AS z")).rows[0]).toEqual({ a: 1, z: "+00:00" });
          // A write of retort's commits by itself, whatever autocommit the revision left.
          await d.query("INSERT INTO many VALUES (4)");
          expect((await queryOnce(db.url, "SELECT COUNT(*) AS n FROM many"))[0]?.n).toBe(4);
          // The revision's modes are back for the revision's next statement.
          await d.script([d.sessionModes!.leave, "CREATE TABLE seen AS SELECT @@SESSION.sql_mode AS m, @@SESSION.autocommit AS a, @@SESSION.sql_select_limit AS l, @@SESSION.time_zone AS z"]);
          expect((await d.query("SELECT m, a, l, z FROM seen")).rows[0]).toEqual({ m: "NO_BACKSLASH_ESCAPES", a: 0, l: 1, z: "+05:00" });
        } finally {
          await d.close();
        }
      });

      it("a revision's insert_id and connection collation do not reach retort's statements, and are the revision's again afterwards", async () => {
        const d = await connect(db.url);
        try {
          await d.query("CREATE TABLE numbered (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, v INT)");
          await d.query("INSERT INTO numbered (v) VALUES (1)");
          await d.script([d.sessionModes!.leave, "SET insert_id = 1", "SET collation_connection = 'latin1_bin'"]);
          // retort's INSERT takes the next id, not the one the revision asked for its own.
          await d.query("INSERT INTO numbered (v) VALUES (2)");
          expect((await d.query("SELECT id, v FROM numbered ORDER BY id")).rows).toEqual([
            { id: 1, v: 1 },
            { id: 2, v: 2 },
          ]);
          await d.script([d.sessionModes!.leave, "CREATE TABLE seen_too AS SELECT @@SESSION.insert_id AS i, @@SESSION.collation_connection AS c"]);
          expect((await d.query("SELECT i, c FROM seen_too")).rows[0]).toEqual({ i: 1, c: "latin1_bin" });
        } finally {
          await d.close();
        }
      });
    }
  });
}
