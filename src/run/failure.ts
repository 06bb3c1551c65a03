// The text of a failed step: where in the file the server's error is, and where the failure
// leaves the database, in the words a user acts on.

import { RetortError, type FileLocation } from "../core/errors.js";
import type { PlanStep } from "../core/plan.js";
import type { Statement } from "../core/sql.js";
import { DatabaseError } from "../db/driver.js";

/** What became of a failed step's statements: rolled back with it, rolled back with the whole
 *  run's transaction (execute says where that leaves the database), or taken effect as they
 *  ran (DDL that commits at once). */
export type FailureEffect = "rolled-back" | "run-rolled-back" | "took-effect";

/** The step that failed, its statements, and where the database stood before it. */
export interface FailedStep {
  readonly step: PlanStep;
  readonly statements: readonly Statement[];
  readonly headsBefore: readonly string[];
}

/** The "migration-failed" error of a revision statement (`failedAt`, 1-based; null when no
 *  statement can be named), saying where the database stands. */
export function migrationFailure(failed: FailedStep, failedAt: number | null, e: unknown, effect: FailureEffect): RetortError {
  if (e instanceof RetortError) return e;
  const { step, statements } = failed;
  const rev = step.revision;
  const location = failedAt !== null ? locate(rev.path, statements[failedAt - 1]!, e) : { file: rev.path, line: step.section.line };
  const where = `${location.file}:${location.line}${location.column ? `:${location.column}` : ""}`;
  const reason = e instanceof Error ? e.message : String(e);
  const state = failureState(failed.headsBefore, failedAt, effect);
  return new RetortError(
    "migration-failed",
    `${step.direction} ${rev.id} (${rev.message}) failed at ${where}` +
      `${failedAt !== null ? ` (statement ${failedAt} of ${statements.length})` : ""}: ${reason}.${state ? ` ${state}` : ""}`,
    { cause: e, location },
  );
}

function failureState(headsBefore: readonly string[], failedAt: number | null, effect: FailureEffect): string {
  const stands = headsBefore.join(", ") || "base (empty version table)";
  if (effect === "run-rolled-back") return "";
  if (effect === "rolled-back") return `The revision was rolled back: the database stays at ${stands}.`;
  if (failedAt !== null && failedAt > 1) {
    return (
      `Statements 1 to ${failedAt - 1} of this revision already took effect (this database commits DDL at once); ` +
      `the version table stays at ${stands}. Undo them by hand or fix the revision so it can run again.`
    );
  }
  return `Nothing of this revision took effect; the version table stays at ${stands}.`;
}

/** Where a failure of one of retort's own statements leaves the database, after `reached` of
 *  the step's statements ran (`atomic`: the step's transaction was rolled back with them). */
export function ownFailureState(failed: FailedStep, reached: number, atomic: boolean): string {
  const stands = failed.headsBefore.join(", ") || "base";
  if (atomic) return `The revision was rolled back: the database stays at ${stands}.`;
  if (reached === 0) return `Nothing of this revision ran; the version table stays at ${stands}.`;
  if (reached < failed.statements.length) return `Statements 1 to ${reached} of this revision took effect; the version table stays at ${stands}.`;
  return `The revision's statements took effect, but the version table stays at ${stands}: once that is fixed, run 'retort resolve ${failed.step.revision.id} --applied'.`;
}

/** The "bookkeeping" error of a step whose failure was retort's, not the revision's. */
export function bookkeepingFailure(step: PlanStep, error: RetortError, cause: unknown): RetortError {
  return new RetortError("bookkeeping", `${step.direction} ${step.revision.id} (${step.revision.message}): ${error.message}`, { cause });
}

/** Where in the file a server error inside a statement is, when the server says. */
export function locate(path: string, statement: Statement, e: unknown): FileLocation {
  if (e instanceof DatabaseError && e.position !== null) {
    const before = statement.sql.slice(0, Math.max(0, e.position - 1));
    const lines = before.split("\n");
    return { file: path, line: statement.line + lines.length - 1, column: lines[lines.length - 1]!.length + 1 };
  }
  const m = e instanceof Error ? /at line (\d+)/.exec(e.message) : null;
  if (m) return { file: path, line: statement.line + Number(m[1]) - 1 };
  return { file: path, line: statement.line };
}

/** Where a failure of one of retort's own statements in a step run apart leaves the database,
 *  `ran`: after all of the step's statements ran. */
export function apartOwnFailureState(failed: FailedStep, effect: FailureEffect, ran: boolean): string {
  const stands = failed.headsBefore.join(", ") || "base";
  // With --transaction all, execute says where the rolled-back run leaves the database.
  if (effect === "run-rolled-back") return "";
  if (effect === "rolled-back") return `The revision was rolled back: the database stays at ${stands}.`;
  if (ran) return `The revision's statements took effect, but the version table stays at ${stands}: once that is fixed, run 'retort resolve ${failed.step.revision.id} --applied'.`;
  return `The version table stays at ${stands}.`;
}
