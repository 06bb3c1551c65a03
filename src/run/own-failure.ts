// retort's own statements and what their failure tells the user: which statement failed, on
// which table, and what to grant or change.

import { RetortError } from "../core/errors.js";
import type { FailureKind } from "../db/driver.js";

/** One of retort's own statements, for the error when it fails. */
export interface OwnStatement {
  /** What retort was doing, after "retort could not": "change the version table public.v". */
  readonly doing: string;
  /** The table it works on, for advice; null for statements on no table. */
  readonly table: string | null;
  /** What the user retort connects as needs for it ("SELECT, INSERT on public.t"). */
  readonly needs: string | null;
}

/** The statements of retort's own that travel in scripts with revision SQL. */
export interface OwnStatements {
  readonly versionChange: OwnStatement;
  readonly historyRow: OwnStatement;
  readonly started: OwnStatement;
  readonly reached: OwnStatement;
  readonly session: OwnStatement;
  readonly hiding: OwnStatement;
}

/** The statements of retort's own that travel in scripts with revision SQL, on the version
 *  table `versionShown` and the history table `historyShown` (as messages name them). */
export function ownStatementsOf(versionShown: string, historyShown: string): OwnStatements {
  return {
    versionChange: { doing: `change the version table ${versionShown}`, table: versionShown, needs: `SELECT, INSERT, UPDATE, DELETE on ${versionShown}` },
    historyRow: { doing: `write the history row in ${historyShown}`, table: historyShown, needs: `SELECT, INSERT, UPDATE on ${historyShown}` },
    started: { doing: `record the start of the revision in ${historyShown}`, table: historyShown, needs: `SELECT, INSERT, UPDATE on ${historyShown}` },
    reached: { doing: `record the statement the revision reached in ${historyShown}`, table: historyShown, needs: `SELECT, INSERT, UPDATE on ${historyShown}` },
    session: { doing: "set the session modes of its own statements", table: null, needs: null },
    hiding: { doing: `drop temporary tables a revision left under the names of ${versionShown} and ${historyShown}, which would hide them`, table: null, needs: null },
  };
}

/** What a failure of an own statement depends on besides the server's error: what the server's
 *  error means (Driver.failureKind), where the database stands when that needs saying, and
 *  whether revision SQL has run on the session (a role it switched to may be the cause). */
export interface OwnFailureContext {
  readonly kind: FailureKind | null;
  readonly state: string;
  readonly afterRevisionSql: boolean;
}

/** The error for a failed statement of retort's own. */
export function ownStatementError(statement: OwnStatement, e: unknown, context: OwnFailureContext): RetortError {
  const reason = (e instanceof Error ? e.message : String(e)).replace(/\.?\s*$/, "");
      const on = statement.table ?? "it";
  // retort's statements share the revisions' session, and so the role a revision set.
  const role = context.afterRevisionSql
    ? " If a revision switched to another role (SET ROLE), retort's statements after it ran as that role: grant that role too, or switch back at the end of the revision (RESET ROLE)."
    : "";
  const advice: Record<string, string> = {
    privilege: (statement.needs ? `Grant ${statement.needs} to the user retort connects as.` : "Grant the user retort connects as what it needs.") + role,
    "read-only":
      "The session is read-only (the server, the role's default, or a revision that set it): point retort at a writable primary, or remove the setting.",
    "not-null": `${on} has a NOT NULL column without a default that retort does not write: give it a DEFAULT, or allow NULL.`,
    "not-a-table": `${on} is not a table retort can write (a view?): make it a table, or name another one.`,
    "missing-table": `${on} is not there: did a revision drop or rename it?`,
    "missing-column": `${on} lacks a column retort reads or writes: did a revision alter it?`,
    "too-long": `A value is longer than its column in ${on}.`,
    "table-locks": `The session holds table locks (LOCK TABLES) that leave ${on} out: end them with UNLOCK TABLES in the revision.`,
  };
  const text = context.kind ? advice[context.kind] : "";
  return new RetortError("bookkeeping", `retort could not ${statement.doing}: ${reason}.${text ? ` ${text}` : ""}${context.state ? ` ${context.state}` : ""}`, { cause: e });
}
