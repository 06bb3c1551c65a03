// Sending statements to the main connection in one round trip (Driver.script), with the
// session-mode switches and temporary-table drops retort's own statements need between the
// revision's; a failure names the piece the server rejected.

import { DatabaseError, type Driver } from "../db/driver.js";
import type { OwnStatement, StateStore } from "./state.js";

/** One statement of a round trip: the revision's (`statement`, 1-based, in its section), or one
 *  of retort's own (`own`, for the error when it fails; null for the BEGIN and COMMIT around a
 *  revision, whose failure is the revision's). `unit` indexes the steps sent together. */
export interface Piece {
  readonly sql: string;
  readonly unit: number;
  readonly statement: number | null;
  readonly own: OwnStatement | null;
  /** How many of the unit's statements have run when this piece runs. */
  readonly reached: number;
}

/** A round trip that failed, and the piece the server rejected (null when it cannot tell). */
export class ScriptFailure extends Error {
  readonly piece: Piece | null;
  readonly earlierRan: boolean;
  readonly error: unknown;
  constructor(piece: Piece | null, earlierRan: boolean, error: unknown) {
    super(error instanceof Error ? error.message : String(error));
    this.piece = piece;
    this.earlierRan = earlierRan;
    this.error = error;
  }
}

export class RoundTrips {
  private readonly driver: Driver;
  private readonly store: StateStore;
  /** A revision statement that may have created a temporary table has run (see send). */
  private hidingArmed = false;

  constructor(driver: Driver, store: StateStore) {
    this.driver = driver;
    this.store = store;
  }

  /** Sends `pieces` in one round trip, with the session-mode switches the driver needs between
   *  retort's statements and the revision's; a failure is a ScriptFailure naming its piece. */
  async send(pieces: readonly Piece[]): Promise<void> {
    const revisionSql = pieces.some((p) => p.statement !== null);
    // From the first revision statement that may create a temporary table on, for the rest of
    // the session (the table lives as long as it).
    this.hidingArmed ||= pieces.some((p) => p.statement !== null && this.driver.mayCreateTemporaryTables(p.sql));
    const hiding = this.hidingArmed ? this.store.dropHidingSql : null;
    const sent = this.withSwitches(pieces, hiding);
    if (revisionSql) this.store.revisionSqlRan();
    try {
      await this.driver.script(sent.map((p) => p.sql));
    } catch (e) {
      // The failure is recorded next, by statements of retort's own.
      if (hiding && revisionSql) await this.driver.script(this.ours(hiding, 0, 0).map((p) => p.sql)).catch(() => undefined);
      const index = e instanceof DatabaseError ? e.statement : null;
      throw new ScriptFailure(index === null ? null : (sent[index] ?? null), e instanceof DatabaseError ? e.earlierRan : true, e);
    }
  }

  /** Back in retort's modes, and rid of temporary tables that would hide its own. */
  private ours(hiding: string | null, unit: number, reached: number): Piece[] {
    const modes = this.driver.sessionModes;
    return [
      ...(modes ? [{ sql: modes.enter, unit, statement: null, own: this.store.statements.session, reached }] : []),
      ...(hiding ? [{ sql: hiding, unit, statement: null, own: this.store.statements.hiding, reached }] : []),
    ];
  }

  /** `pieces` with the switches between the revision's statements and retort's. */
  private withSwitches(pieces: readonly Piece[], hiding: string | null): Piece[] {
    const modes = this.driver.sessionModes;
    const session = this.store.statements.session;
    const sent: Piece[] = [];
    let theirs: boolean | null = null;
    for (const piece of pieces) {
      const revision = piece.statement !== null;
      if (!revision && theirs === true) {
        sent.push(...this.ours(hiding, piece.unit, piece.reached));
        theirs = false;
      } else if (modes && revision !== theirs) {
        const switching = revision ? modes.leave : modes.enter;
        const last = sent[sent.length - 1];
        if (last?.own && /^SET /.test(last.sql) && /^SET /.test(switching)) {
          // One statement less per revision: `SET @retort_started = NOW(6), <leave>`.
          sent[sent.length - 1] = { ...last, sql: `${last.sql}, ${switching.slice(4)}`, own: session };
        } else {
          sent.push({ sql: switching, unit: piece.unit, statement: null, own: session, reached: piece.reached });
        }
        theirs = revision;
      }
      sent.push(piece);
    }
    // Retort's statements sent on their own after this one see the same.
    const last = sent[sent.length - 1];
    if (last && theirs === true) sent.push(...this.ours(hiding, last.unit, last.reached + 1));
    return sent;
  }
}
