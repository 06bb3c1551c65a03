// Running a plan's steps: each step's statements, its version change and its history row
// together, by the fused strategy where the driver's protocol allows it (fused.ts) and step by
// step otherwise (apart.ts); with --transaction all, inside one transaction whose rollback
// says where it leaves the database.

import { RetortError } from "../core/errors.js";
import { requireNativeSql, type Plan } from "../core/plan.js";
import { runApart, RunTransaction } from "./apart.js";
import { recordFailure, type RunContext, type StepOutcome, type Unit } from "./context.js";
import { batchEnd, fusedCheck, runFused, type FusedUnit } from "./fused.js";

/** Runs the steps of `plan`; on failure records it and throws a "migration-failed" error
 *  that says where the database stands. */
export async function executePlan(ctx: RunContext, plan: Plan): Promise<StepOutcome[]> {
  if (plan.steps.length === 0) return [];
  requireNativeSql(plan, "run");
  await ctx.store.ensureTables(plan.steps.map((s) => s.revision.id));
  // Only where DDL is transactional can the whole run be one transaction.
  if (ctx.settings.transaction !== "all" || !ctx.driver.transactionalDdl) return runSteps(ctx, plan, null);
  const run = new RunTransaction(plan.headsBefore);
  await ctx.driver.begin();
  try {
    const outcomes = await runSteps(ctx, plan, run);
    await ctx.driver.commit();
    return outcomes;
  } catch (e) {
    throw await rolledBack(ctx, plan, run, e);
  }
}

/** The steps in order, consecutive fused ones in shared round trips (see batchEnd). */
async function runSteps(ctx: RunContext, plan: Plan, run: RunTransaction | null): Promise<StepOutcome[]> {
  const { driver } = ctx;
  const units: Unit[] = plan.steps.map((step) => ({ step, statements: driver.splitStatements(step.section), checked: run ? null : fusedCheck(ctx, step) }));
  const outcomes: StepOutcome[] = [];
  let heads = plan.headsBefore;
  for (let i = 0; i < units.length; ) {
    const end = batchEnd(driver, units, i);
    const unit = units[i]!;
    if (unit.checked !== null) {
      // A protocol that records the next step's start has recorded this one's (see runFused).
      const startRecorded = i > 0 && units[i - 1]!.checked !== null && driver.protocol?.recordsNextStart === true;
      const next = units[end]?.checked ? units[end]!.step : null;
      outcomes.push(...(await runFused(ctx, { units: units.slice(i, end) as FusedUnit[], headsBefore: heads, startRecorded, next })));
    } else {
      const transactional = driver.transactionalDdl && unit.step.section.transaction;
      outcomes.push(await runApart(ctx, { step: unit.step, statements: unit.statements, headsBefore: heads, transactional, run }));
    }
    heads = units[end - 1]!.step.headsAfter;
    i = end;
  }
  return outcomes;
}

/** After a step of --transaction all failed: the run's transaction is rolled back, the failure
 *  recorded, and its error says where that leaves the database. */
async function rolledBack(ctx: RunContext, plan: Plan, run: RunTransaction, e: unknown): Promise<unknown> {
  await ctx.driver.rollback().catch(() => undefined);
  if (run.pendingFailure) await recordFailure(ctx, run.pendingFailure);
  run.pendingFailure = null;
  if (!(e instanceof RetortError && (e.code === "migration-failed" || e.code === "bookkeeping"))) return e;
  // A transaction:false revision commits what came before it, and its own statements
  // take effect at once; the version table shows neither after the rollback.
  const stands = run.committed.join(", ") || "base";
  const outside = run.ranOutside.length
    ? ` The statements of ${run.ranOutside.join(", ")} (transaction:false) ran outside the transaction and took effect; the version table does not show them: check them, then 'retort stamp' the revision the database is at.`
    : "";
  const whole = run.committed === plan.headsBefore ? "The whole run was rolled back" : "The run was rolled back to its last commit, before the transaction:false revision";
  return new RetortError(e.code, `${e.message} ${whole} (--transaction all): the database stays at ${stands}.${outside}`, {
    cause: e.cause,
    ...(e.location ? { location: e.location } : {}),
  });
}
