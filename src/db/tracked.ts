// The fused protocol where DDL commits at once (MariaDB): a revision's started row is committed
// before its first statement runs (by the previous revision's closing transaction, or with the
// statement), the statement reached is recorded with each later statement, and the last one is
// followed by a transaction that checks the version change, finishes the history row and starts
// the next revision's, so that a killed run is found and explained by the next one. The server
// measures the duration from a session variable set with the first statement.

import type { CheckedChange, FusedProtocol, FusedStep, ProtocolPiece, TripContext } from "./protocol.js";

const START_CLOCK = "SET @retort_started = NOW(6)";
const SINCE_CLOCK = "TIMESTAMPDIFF(MICROSECOND, @retort_started, NOW(6)) DIV 1000";

/** A revision may hold LOCK TABLES between its statements, and the session may then touch no
 *  other table (errors 1099, 1100): the mark is skipped on the server rather than the revision
 *  failed half-way (the history then says an earlier statement). */
const skippedUnderTableLocks = (update: string) => `BEGIN NOT ATOMIC DECLARE CONTINUE HANDLER FOR 1099, 1100 BEGIN END; ${update}; END`;

export const TRACKED_PROTOCOL: FusedProtocol = {
  atomic: false,
  recordsNextStart: true,
  // transaction:false only matters where DDL is transactional: here every revision runs so.
  fuses: () => true,

  checkedChanges(changes: readonly CheckedChange[]): string {
    const text = changes
      .map((c) =>
        c.mark === null ? `${c.sql};` : `${c.sql}; SET n = ROW_COUNT(); IF n <> 1 THEN SET m = CONCAT(${c.mark}, n); SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = m; END IF;`,
      )
      .join(" ");
    return `BEGIN NOT ATOMIC DECLARE n BIGINT; DECLARE m VARCHAR(128); ${text} END`;
  },

  trip(step: FusedStep, i: number, context: TripContext): ProtocolPiece[] {
    const out: ProtocolPiece[] = [];
    const own = (sql: string, role: ProtocolPiece["role"], reached = i): ProtocolPiece => ({ sql, statement: null, role, reached });
    if (i === 0) {
      if (!context.startRecorded) out.push(own(step.startedRow(), "started"));
      out.push(own(START_CLOCK, "session"));
    } else out.push(own(skippedUnderTableLocks(step.reached(i + 1)), "reached"));
    const statement = step.statements[i];
    if (statement !== undefined) out.push({ sql: statement, statement: i + 1, role: null, reached: i });
    if (i >= step.statements.length - 1) {
      const reached = statement !== undefined ? i + 1 : i;
      out.push(own("START TRANSACTION", "historyRow", reached));
      out.push(own(step.checked, "versionChange", reached));
      out.push(own(step.finishStarted(SINCE_CLOCK), "historyRow", reached));
      if (context.next) out.push(own(context.next.startedRow(), "started", reached));
      out.push(own("COMMIT", "historyRow", reached));
    }
    return out;
  },
};
