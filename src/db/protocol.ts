// How a server runs a revision's statement together with retort's bookkeeping in one round
// trip (the "fused" path): the runner asks the driver's protocol for the pieces of each trip and
// never asks which database it talks to. A server without one (MySQL: no anonymous block to
// check the version change with) runs each statement in a round trip of its own.

/** Which of retort's own statements a piece is, for the advice when it fails. */
export type OwnRole = "versionChange" | "historyRow" | "started" | "reached" | "session";

/** One statement of a fused round trip. */
export interface ProtocolPiece {
  readonly sql: string;
  /** The revision's statement (1-based, in its section), or null for one of retort's. */
  readonly statement: number | null;
  /** Which of retort's statements this is; null for the revision's, and for the BEGIN and
   *  COMMIT around a revision, whose failure is the revision's. */
  readonly role: OwnRole | null;
  /** How many of the step's statements have run when this piece runs. */
  readonly reached: number;
}

/** One version-table change of a step, for the protocol's server-side check: `mark` (a
 *  session-proof literal) starts the error raised when an UPDATE or DELETE does not touch
 *  exactly one row, followed by the count; null for an INSERT, which needs no check. */
export interface CheckedChange {
  readonly sql: string;
  readonly mark: string | null;
}

/** A step's statements and retort's bookkeeping for it, as the runner gives them. */
export interface FusedStep {
  /** The revision's statements, in order. */
  readonly statements: readonly string[];
  /** The step's version change, checked on the server (FusedProtocol.checkedChanges). */
  readonly checked: string;
  /** The INSERT of the step's finished history row, `durationSql` giving its duration_ms. */
  finishedRow(durationSql: string): string;
  /** The INSERT of the step's started row (success NULL). */
  startedRow(): string;
  /** The UPDATE marking statement `statement` (1-based) reached in the started row. */
  reached(statement: number): string;
  /** The UPDATE finishing the started row as a success, `durationSql` giving its duration_ms. */
  finishStarted(durationSql: string): string;
}

export interface TripContext {
  /** The step's started row is committed already (by the step before it, see recordsNextStart). */
  readonly startRecorded: boolean;
  /** The fused step that runs after this one, whose start this one's last trip may record. */
  readonly next: FusedStep | null;
}

export interface FusedProtocol {
  /** A step's statements, its version change and its history row commit together or not at
   *  all (DDL is transactional): a failure leaves nothing of the step. Otherwise its started
   *  row is committed before its first statement runs, and a failure finishes that row. */
  readonly atomic: boolean;
  /** A step's closing transaction records the start of the next fused step. */
  readonly recordsNextStart: boolean;
  /** Whether a section with these options can run fused. */
  fuses(section: { readonly transaction: boolean }): boolean;
  /** The version changes as one statement that checks on the server that every UPDATE and
   *  DELETE touches exactly one row, raising `<mark><count>` otherwise. */
  checkedChanges(changes: readonly CheckedChange[]): string;
  /** The pieces of round trip `i` of `step` (its statement i + 1; a step without statements
   *  has one trip). */
  trip(step: FusedStep, i: number, context: TripContext): ProtocolPiece[];
}
