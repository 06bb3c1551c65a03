// The history rows a run writes for its steps.

import type { PlanStep } from "../core/plan.js";
import { checksum } from "./checksum.js";
import type { Identity } from "./context.js";
import type { HistoryRow } from "./state.js";

/** The history row of one step. A Python revision's checksum is its file's (its SQL comes
 *  from Alembic); a native revision's is its section's. */
export function stepHistoryRow(step: PlanStep, identity: Identity, durationMs: number, error: string | null, failedStatement: number | null): HistoryRow {
  return {
    alembicVersion: step.to.join("##"),
    prevAlembicVersion: step.from.join("##"),
    operationType: "migration",
    operationDirection: step.direction === "upgrade" ? "up" : "down",
    userVersion: JSON.stringify({ user: identity.actor, version: identity.retortVersion }),
    changedAt: new Date(),
    revision: step.revision.id,
    checksum: checksum(step.revision.alembic?.text ?? step.section.sql),
    durationMs,
    success: error === null,
    errorMessage: error,
    failedStatement,
    ...identity,
  };
}
