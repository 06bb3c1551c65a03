// Applying an Alembic project's plan: Alembic itself runs the revision bodies (one
// `alembic upgrade|downgrade TARGET` for the plan retort computed, the same plan Alembic
// computes), under retort's lock, with its output streamed through. retort times each step
// from Alembic's `Running upgrade A -> B` log lines, checks the version table it leaves, and
// writes one history row per revision (failures with Alembic's error).

import { RetortError } from "../core/errors.js";
import type { Plan } from "../core/plan.js";
import { stepHistoryRow, type Logger, type RunSettings, type StepOutcome } from "../run/runner.js";
import type { StateStore } from "../run/state.js";
import { runAlembic, type AlembicRunner } from "./run.js";

const RUNNING = /Running (upgrade|downgrade) (.*?) -> ([^,\n]*)/;

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(" ") === [...b].sort().join(" ");
}

export async function applyWithAlembic(
  plan: Plan,
  runner: AlembicRunner,
  url: string,
  store: StateStore,
  settings: RunSettings,
  log: Logger,
): Promise<StepOutcome[]> {
  if (plan.steps.length === 0) return [];
  await store.ensureHistoryTable();
  const starts: number[] = [];
  const started = Date.now();
  let failure: RetortError | null = null;
  try {
    await runAlembic(runner, url, [plan.direction, plan.target], (line) => {
      log.info(line);
      if (RUNNING.test(line)) starts.push(Date.now());
    });
  } catch (e) {
    if (!(e instanceof RetortError)) throw e;
    failure = e;
  }
  const ended = Date.now();
  const rows = await store.readHeads();

  // Which steps took effect: the longest prefix of the plan whose rows are what the table holds.
  let done = 0;
  if (failure === null) done = plan.steps.length;
  else {
    for (let i = plan.steps.length; i >= 0; i--) {
      const expected = i === 0 ? plan.headsBefore : plan.steps[i - 1]!.headsAfter;
      if (same(expected, rows)) {
        done = i;
        break;
      }
    }
  }
  if (failure === null && !same(rows, plan.headsAfter)) {
    throw new RetortError(
      "state",
      `Alembic finished, but the version table holds ${rows.join(", ") || "no rows"} where the plan leads to ${plan.headsAfter.join(", ") || "base"}. Check it with 'retort current'.`,
    );
  }
  const duration = (i: number) => {
    const from = starts[i] ?? started;
    const to = starts[i + 1] ?? ended;
    return Math.max(0, to - from);
  };
  const outcomes: StepOutcome[] = [];
  for (let i = 0; i < done; i++) {
    const step = plan.steps[i]!;
    await store.appendHistory(stepHistoryRow(step, settings.identity, duration(i), null, null));
    outcomes.push({ step, durationMs: duration(i), statements: 0 });
  }
  if (failure !== null) {
    // The failing revision is the last one Alembic started (earlier ones may have been rolled
    // back with it: then they took no effect and get no row).
    const failedIndex = Math.max(done, starts.length - 1);
    const failed = plan.steps[failedIndex];
    if (failed) await store.appendHistory(stepHistoryRow(failed, settings.identity, duration(failedIndex), failure.message, null));
    const stands = rows.join(", ") || "base";
    throw new RetortError(
      "migration-failed",
      `${failed ? `${plan.direction} ${failed.revision.id} (${failed.revision.path}) failed` : "Alembic failed"}: ${failure.message}. ` +
        `The database stands at ${stands}${done > 0 ? ` (${done} revision(s) of the plan took effect)` : ""}.`,
      failed ? { cause: failure, location: { file: failed.revision.path, line: failed.section.line } } : { cause: failure },
    );
  }
  return outcomes;
}
