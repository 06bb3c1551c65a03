// The fused protocol where DDL is transactional (PostgreSQL, PGlite): `BEGIN` travels with a
// revision's first statement; its checked version change, its history row (its duration
// measured by the server) and `COMMIT` with the last, so that a step is one round trip and
// either all of it commits or none of it.

import type { CheckedChange, FusedProtocol, FusedStep, ProtocolPiece } from "./protocol.js";

/** PostgreSQL's now() is the transaction's start: the revision's time, measured by the server. */
const DURATION_SINCE_BEGIN = "(EXTRACT(EPOCH FROM pg_catalog.clock_timestamp() - pg_catalog.now()) * 1000)::int";

export const TRANSACTIONAL_PROTOCOL: FusedProtocol = {
  atomic: true,
  recordsNextStart: false,
  // A transaction:false revision runs outside a transaction, so apart.
  fuses: (section) => section.transaction,

  checkedChanges(changes: readonly CheckedChange[]): string {
    const text = changes
      .map((c) => (c.mark === null ? `${c.sql};` : `${c.sql}; GET DIAGNOSTICS n = ROW_COUNT; IF n <> 1 THEN RAISE EXCEPTION '%', ${c.mark} || n; END IF;`))
      .join(" ");
    // A dollar-quote tag the body does not contain (a quoted name or id might).
    let tag = "$retort$";
    for (let n = 1; text.includes(tag); n++) tag = `$retort${n}$`;
    return `DO ${tag}DECLARE n bigint; BEGIN ${text} END${tag}`;
  },

  trip(step: FusedStep, i: number): ProtocolPiece[] {
    const out: ProtocolPiece[] = [];
    if (i === 0) out.push({ sql: "BEGIN", statement: null, role: null, reached: i });
    const statement = step.statements[i];
    if (statement !== undefined) out.push({ sql: statement, statement: i + 1, role: null, reached: i });
    if (i >= step.statements.length - 1) {
      const reached = statement !== undefined ? i + 1 : i;
      out.push({ sql: step.checked, statement: null, role: "versionChange", reached });
      out.push({ sql: step.finishedRow(DURATION_SINCE_BEGIN), statement: null, role: "historyRow", reached });
      // A COMMIT that fails (a deferred constraint) is the revision's.
      out.push({ sql: "COMMIT", statement: null, role: null, reached });
    }
    return out;
  },
};
