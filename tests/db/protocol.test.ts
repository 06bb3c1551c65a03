// The fused protocols the drivers pick (db/protocol.ts): which pieces each trip of a step holds,
// with which of retort's roles, and the server-checked version change each writes. Pure: the
// statements they build run against real servers in tests/run (statement-stream, batch-failures).

import { describe, expect, it } from "vitest";
import type { FusedStep } from "../../src/db/protocol.js";
import { TRACKED_PROTOCOL } from "../../src/db/tracked.js";
import { TRANSACTIONAL_PROTOCOL } from "../../src/db/transactional.js";

function step(name: string, statements: string[]): FusedStep {
  return {
    statements,
    checked: `CHECK ${name}`,
    finishedRow: (duration) => `FINISHED ${name} ${duration}`,
    startedRow: () => `STARTED ${name}`,
    reached: (n) => `REACHED ${name} ${n}`,
    finishStarted: (duration) => `FINISH ${name} ${duration}`,
  };
}
const shape = (pieces: { sql: string; statement: number | null; role: string | null; reached: number }[]) =>
  pieces.map((p) => [p.sql.split(" ").slice(0, 2).join(" "), p.statement, p.role, p.reached]);

describe("the transactional protocol (PostgreSQL, PGlite)", () => {
  it("sends BEGIN with the first statement and the check, the history row and COMMIT with the last", () => {
    const s = step("a", ["S1", "S2"]);
    expect(shape(TRANSACTIONAL_PROTOCOL.trip(s, 0, { startRecorded: false, next: null }))).toEqual([
      ["BEGIN", null, null, 0],
      ["S1", 1, null, 0],
    ]);
    expect(shape(TRANSACTIONAL_PROTOCOL.trip(s, 1, { startRecorded: false, next: null }))).toEqual([
      ["S2", 2, null, 1],
      ["CHECK a", null, "versionChange", 2],
      ["FINISHED a", null, "historyRow", 2],
      ["COMMIT", null, null, 2],
    ]);
    expect(TRANSACTIONAL_PROTOCOL.trip(s, 1, { startRecorded: false, next: null })[2]!.sql).toContain("pg_catalog.clock_timestamp() - pg_catalog.now()");
  });

  it("runs a step without statements in one trip, and leaves transaction:false sections apart", () => {
    expect(shape(TRANSACTIONAL_PROTOCOL.trip(step("e", []), 0, { startRecorded: false, next: null })).map((p) => p[0])).toEqual(["BEGIN", "CHECK e", "FINISHED e", "COMMIT"]);
    expect(TRANSACTIONAL_PROTOCOL.fuses({ transaction: false })).toBe(false);
    expect(TRANSACTIONAL_PROTOCOL.fuses({ transaction: true })).toBe(true);
    expect(TRANSACTIONAL_PROTOCOL.atomic).toBe(true);
  });

  it("checks UPDATE and DELETE on the server in a DO block whose tag the body does not hold", () => {
    const sql = TRANSACTIONAL_PROTOCOL.checkedChanges([
      { sql: "INSERT INTO v VALUES ('$retort$')", mark: null },
      { sql: "DELETE FROM v", mark: "'m:1:'" },
    ]);
    expect(sql).toBe(
      "DO $retort1$DECLARE n bigint; BEGIN INSERT INTO v VALUES ('$retort$'); DELETE FROM v; GET DIAGNOSTICS n = ROW_COUNT; IF n <> 1 THEN RAISE EXCEPTION '%', 'm:1:' || n; END IF; END$retort1$",
    );
  });
});

describe("the tracked protocol (MariaDB)", () => {
  it("commits the started row first, marks each later statement reached, and closes with a transaction that starts the next step", () => {
    const s = step("a", ["S1", "S2"]);
    const next = step("b", ["T1"]);
    expect(shape(TRACKED_PROTOCOL.trip(s, 0, { startRecorded: false, next }))).toEqual([
      ["STARTED a", null, "started", 0],
      ["SET @retort_started", null, "session", 0],
      ["S1", 1, null, 0],
    ]);
    expect(shape(TRACKED_PROTOCOL.trip(s, 1, { startRecorded: false, next }))).toEqual([
      ["BEGIN NOT", null, "reached", 1],
      ["S2", 2, null, 1],
      ["START TRANSACTION", null, "historyRow", 2],
      ["CHECK a", null, "versionChange", 2],
      ["FINISH a", null, "historyRow", 2],
      ["STARTED b", null, "started", 2],
      ["COMMIT", null, "historyRow", 2],
    ]);
    expect(TRACKED_PROTOCOL.trip(s, 1, { startRecorded: false, next })[0]!.sql).toBe("BEGIN NOT ATOMIC DECLARE CONTINUE HANDLER FOR 1099, 1100 BEGIN END; REACHED a 2; END");
    expect(TRACKED_PROTOCOL.trip(s, 1, { startRecorded: false, next })[4]!.sql).toBe("FINISH a TIMESTAMPDIFF(MICROSECOND, @retort_started, NOW(6)) DIV 1000");
  });

  it("does not start a step twice, fuses every section, and is not atomic", () => {
    expect(shape(TRACKED_PROTOCOL.trip(step("a", ["S1"]), 0, { startRecorded: true, next: null })).map((p) => p[0])).toEqual([
      "SET @retort_started",
      "S1",
      "START TRANSACTION",
      "CHECK a",
      "FINISH a",
      "COMMIT",
    ]);
    expect(TRACKED_PROTOCOL.fuses({ transaction: false })).toBe(true);
    expect(TRACKED_PROTOCOL.atomic).toBe(false);
    expect(TRACKED_PROTOCOL.recordsNextStart).toBe(true);
  });

  it("checks UPDATE and DELETE on the server in a BEGIN NOT ATOMIC block", () => {
    expect(TRACKED_PROTOCOL.checkedChanges([{ sql: "UPDATE v SET x = 1", mark: "'m:0:'" }])).toBe(
      "BEGIN NOT ATOMIC DECLARE n BIGINT; DECLARE m VARCHAR(128); UPDATE v SET x = 1; SET n = ROW_COUNT(); IF n <> 1 THEN SET m = CONCAT('m:0:', n); SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = m; END IF; END",
    );
  });
});
