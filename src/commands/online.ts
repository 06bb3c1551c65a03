// Commands that talk to the database: current, upgrade, downgrade, stamp, plan, check. Each
// opens the driver, takes the deploy lock before reading the version table, and closes
// everything, also on failure.

import { RetortError } from "../core/errors.js";
import { headsAdvice, headsProblem, judgeHeads } from "../core/heads.js";
import type { RevisionGraph } from "../core/graph.js";
import { planDowngrade, planUpgrade, type Direction, type Plan } from "../core/plan.js";
import { applyWithAlembic } from "../alembic/apply.js";
import { loadGraphWith } from "../alembic/graph.js";
import { projectFolder } from "../load/find-project.js";
import { alembicRunnerFor, withAlembicSql } from "../alembic/render.js";
import { openDriver } from "../db/open.js";
import { connectionUrl, scrubSecrets } from "../db/target.js";
import { connectionTarget, type Options } from "../options.js";
import { describeDrift, type PlanResult } from "../report/model.js";
import { renderPlan, type PlanFormat } from "../report/plan.js";
import { revisionLine } from "../report/revision-text.js";
import { longIdsText } from "../run/long-ids.js";
import { Runner, type Drift, type Logger, type StepOutcome } from "../run/runner.js";
import { planResultFor, withAlembicReport, type PlanFound } from "./plan-result.js";
import { isoUtc } from "../run/state.js";

export interface Session {
  readonly log: Logger;
  /** Notices that are not output (the embedded-database note). */
  readonly notice: (line: string) => void;
}

async function withRunner<T>(options: Options, session: Session, fn: (runner: Runner) => Promise<T>): Promise<T> {
  const graph = await loadGraphWith(options, { notice: session.notice, warn: session.log.warn });
  const driver = await openDriver({
    url: options.databaseUrl,
    target: connectionTarget(options),
    env: options.databaseEnv,
    ci: options.ci,
    waitSeconds: options.waitSeconds,
    applicationName: applicationName(options),
    notice: session.notice,
  });
  try {
    const runner = new Runner(
      driver,
      graph,
      {
        migrations: options.migrations,
        versionTable: options.versionTable,
        historyTable: options.historyTable,
        lockTimeoutSeconds: options.lockTimeoutSeconds,
        onDrift: options.onDrift,
        transaction: options.transaction,
        identity: options.identity,
      },
      session.log,
    );
    return await fn(runner);
  } finally {
    await driver.close();
  }
}

/** The name connections carry: retort, its version and the CI run (for lock holders). */
function applicationName(options: Options): string {
  const run = options.identity.runUrl ? ` ${options.identity.runUrl.split("/").slice(-1)[0]}` : "";
  return `retort ${options.identity.retortVersion}${run}`.slice(0, 63);
}

export async function current(options: Options, session: Session, json: boolean): Promise<string> {
  return withRunner(options, session, async (runner) => {
    const { heads, drift } = await runner.withLock(() => runner.readState());
    if (json) {
      return `${JSON.stringify(
        { database: runner.driver.target, current: heads, drift: drift.map((d) => d.revision) },
        null,
        2,
      )}\n`;
    }
    const g = runner.graph;
    const lines = heads.map((h) => revisionLine(g, g.nodeOf(h)!, {}));
    for (const d of drift) lines.push(`drift: ${describeDrift(d)}`);
    return lines.length ? `${lines.join("\n")}\n` : "";
  });
}

function makePlan(graph: RevisionGraph, direction: Direction, heads: readonly string[], target: string): Plan {
  return direction === "upgrade" ? planUpgrade(graph, heads, target) : planDowngrade(graph, heads, target);
}

/** What a migrate or plan run found and did, for front ends that report more than text. */
export interface MigrateResult {
  readonly text: string;
  readonly result: PlanResult;
}

/** One `upgrade` or `downgrade` (or, with `dryRun`, only its plan). */
interface Migration {
  readonly direction: Direction;
  readonly target: string;
  readonly dryRun: boolean;
}

/** What a run against the database found. */
function foundOnline(runner: Runner, plan: Plan, drift: readonly Drift[], outcomes: readonly StepOutcome[] = []): PlanFound {
  const { driver, graph } = runner;
  return { database: driver.target, offlineNote: null, dialect: driver.dialect, transactionalDdl: driver.transactionalDdl, graph, plan, drift, outcomes };
}

/** What a plan against the database found, with the width of its version_num (a plan warns
 *  of ids that would not fit, before anything runs). */
async function foundPlanned(runner: Runner, plan: Plan, drift: readonly Drift[]): Promise<PlanFound> {
  return { ...foundOnline(runner, plan, drift), versionNum: await runner.store.versionNumRoom() };
}

/** Runs the migration under the lock: what it found and applied, and its text (null for a dry
 *  run, whose text is its plan). */
async function runMigration(options: Options, session: Session, m: Migration): Promise<{ text: string | null; found: PlanFound }> {
  return withRunner(options, session, (runner) =>
    runner.withLock(async () => {
      const { heads, drift } = await runner.readState();
      let plan = makePlan(runner.graph, m.direction, heads, m.target);
      runner.enforceDrift(drift);
      if (m.dryRun) plan = await withAlembicSql(plan, options, runner.driver.dialect, session.log.warn);
      if (m.dryRun) return { text: null, found: await foundPlanned(runner, plan, drift) };
      if (plan.steps.length === 0) return { text: `Nothing to do: the database is at ${heads.join(", ") || "base"}.\n`, found: foundOnline(runner, plan, drift) };
      const started = Date.now();
      const outcomes = plan.steps.some((s) => s.revision.alembic) ? await applyAlembic(options, runner, plan, session) : await runner.execute(plan);
      const seconds = ((Date.now() - started) / 1000).toFixed(2);
      const text =
        `${m.direction === "upgrade" ? "Upgraded" : "Downgraded"} ${runner.driver.target} from ${heads.join(", ") || "base"} ` +
        `to ${plan.headsAfter.join(", ") || "base"}: ${outcomes.length} revision(s) in ${seconds} s.\n`;
      return { text, found: foundOnline(runner, plan, drift, outcomes) };
    }),
  );
}

/** `upgrade` / `downgrade`: run the plan under the lock (or, with `dryRun`, only plan). */
export async function migrateResult(
  options: Options,
  session: Session,
  direction: Direction,
  target: string,
  dryRun: boolean,
): Promise<MigrateResult> {
  const { text, found } = await runMigration(options, session, { direction, target, dryRun });
  const result = planResultFor(await withAlembicReport(found, options, session.log.warn), options);
  return { text: text ?? renderPlan(result, "text"), result };
}

export async function migrate(options: Options, session: Session, direction: Direction, target: string, dryRun: boolean): Promise<string> {
  const { text, found } = await runMigration(options, session, { direction, target, dryRun });
  return text ?? renderPlan(planResultFor(found, options, { undo: false }), "text");
}

/** `plan`: what `upgrade target` would run against this database, in a chosen format. */
export async function plan(options: Options, session: Session, target: string, format: PlanFormat): Promise<string> {
  return withRunner(options, session, (runner) =>
    runner.withLock(async () => {
      const { heads, drift } = await runner.readState();
      const planned = await withAlembicSql(planUpgrade(runner.graph, heads, target), options, runner.driver.dialect, session.log.warn);
      const result = planResultFor(await foundPlanned(runner, planned, drift), options, { undo: false });
      // JSON and SQL have no place for it: the warning text and markdown show goes to stderr.
      if (format === "json" || format === "sql") for (const w of result.warnings) if (w.kind === "long-ids") session.log.warn(longIdsText(w.longIds));
      return renderPlan(result, format);
    }),
  );
}

export async function stamp(options: Options, session: Session, revisions: readonly string[], purge: boolean): Promise<string> {
  return withRunner(options, session, (runner) =>
    runner.withLock(async () => {
      const { before, after } = await runner.stamp(revisions, purge);
      return `Stamped ${runner.driver.target}: ${before.join(", ") || "base"} -> ${after.join(", ") || "base"}\n`;
    }),
  );
}

/** `check`: fails (exit 1) when revisions are pending (for `target`), the directory has a head
 *  nobody intended (core/heads.ts: one head, `--expect-heads`, or with the target `heads` one
 *  head per branch label), or applied revisions drifted. */
export async function check(options: Options, session: Session, target = "head"): Promise<string> {
  return withRunner(options, session, (runner) =>
    runner.withLock(async () => {
      const g = runner.graph;
      const problems: string[] = [];
      const verdict = judgeHeads(g, options.expectHeads, target);
      if (verdict) problems.push(`${projectFolder(g, options)} has ${headsProblem(verdict)}. ${headsAdvice(verdict)}`);
      const { heads, drift } = await runner.readState();
      if (!verdict) {
        // `head` with the intended heads is all of them: what the deploy upgrades to.
        const pending = planUpgrade(g, heads, target.trim() === "head" ? "heads" : target).steps;
        if (pending.length > 0) {
          problems.push(`${pending.length} revision(s) pending on ${runner.driver.target}: ${pending.map((s) => s.revision.id).join(", ")}`);
        }
      }
      for (const d of drift) problems.push(`drift: ${describeDrift(d)}`);
      if (problems.length > 0) throw new RetortError("check-failed", `check failed:\n  ${problems.join("\n  ")}`);
      const headsText = g.heads.length > 1 ? `${g.heads.length} intended heads (${g.ids(g.heads).join(", ")})` : "one head";
      return `OK: ${runner.driver.target} is at ${heads.join(", ") || "base"}, nothing pending, ${headsText}, no drift.\n`;
    }),
  );
}

/** `log`: the audit history, newest last: when, what, how long, whether it worked, who. */
export async function log(options: Options, session: Session, limit: number, json: boolean): Promise<string> {
  return withRunner(options, session, async (runner) => {
    const rows = await runner.store.readHistory(limit);
    const norm = rows.map((r) => ({
      id: Number(r.id),
      changed_at: isoUtc(r.changed_at),
      operation: `${r.operation_type ?? ""} ${r.operation_direction ?? ""}`.trim(),
      from: String(r.prev_alembic_version ?? ""),
      to: String(r.alembic_version ?? ""),
      revision: (r.revision as string | null | undefined) ?? null,
      duration_ms: r.duration_ms === null || r.duration_ms === undefined ? null : Number(r.duration_ms),
      success: r.success === null || r.success === undefined ? null : r.success === true || Number(r.success) === 1,
      error: (r.error_message as string | null | undefined) ?? null,
      actor: (r.actor as string | null | undefined) ?? null,
      commit_sha: (r.commit_sha as string | null | undefined) ?? null,
      run_url: (r.run_url as string | null | undefined) ?? null,
    }));
    if (json) return `${JSON.stringify({ database: runner.driver.target, history: norm }, null, 2)}\n`;
    if (norm.length === 0) return `No history yet on ${runner.driver.target}.\n`;
    return `${norm
      .map((h) => {
        const status = h.success === false ? `FAILED: ${h.error ?? ""}` : h.duration_ms === null ? "" : `${h.duration_ms} ms`;
        const who = [h.actor, h.commit_sha?.slice(0, 12)].filter(Boolean).join(" @ ");
        return `${h.changed_at ?? "?"}  ${h.operation.padEnd(14)} ${h.from || "base"} -> ${h.to || "base"}  ${status}${who ? `  (${who})` : ""}`;
      })
      .join("\n")}\n`;
  });
}

/** An Alembic project's plan, run by Alembic itself under retort's lock. */
async function applyAlembic(options: Options, runner: Runner, plan: Plan, session: Session): Promise<readonly StepOutcome[]> {
  const target = connectionTarget(options);
  if (!target || target.scheme === "pglite") {
    throw new RetortError("usage", "Alembic cannot connect to the embedded PGlite database: give --database-url a postgresql:// or mysql:// URL.");
  }
  // Alembic gets the target as one URL (whichever form it was given in, PGPASSWORD included),
  // and its output is scrubbed of every form of its secrets.
  return applyWithAlembic(plan, alembicRunnerFor(options, plan), { url: connectionUrl(target), secrets: target.secrets }, runner, session.log);
}

/** `plan --comment`: the plan in `format`, and the same content as the Action's comment on
 *  the pull or merge request the CI environment names (GitLab CI, or GitHub Actions outside
 *  the Action). A token that cannot comment is a warning, not a failure. */
export async function planAndComment(
  options: Options,
  session: Session,
  target: string,
  format: PlanFormat,
  environment: string,
  env: Record<string, string | undefined>,
): Promise<string> {
  const { result } = await migrateResult(options, session, "upgrade", target, true);
  const text = renderPlan(result, format);
  // The GitHub and GitLab clients load only for --comment.
  const { commentPlan, commentTargetFromEnv, describeDestination } = await import("./publish.js");
  const dest = commentTargetFromEnv(env);
  if (!dest) {
    session.log.warn(
      "--comment: no pull or merge request in this environment (GitLab CI needs CI_MERGE_REQUEST_IID, CI_API_V4_URL, CI_PROJECT_ID " +
        "and RETORT_GITLAB_TOKEN or GITLAB_TOKEN; GitHub Actions a pull_request event and RETORT_GITHUB_TOKEN or GITHUB_TOKEN).",
    );
    return text;
  }
  const frame = {
    environment,
    commitSha: env.GITHUB_SHA || env.CI_COMMIT_SHA || null,
    retortVersion: options.identity.retortVersion,
    detailsHint: "the job log",
  };
  // The comment goes through the API, not the log, and quotes the revisions' SQL verbatim: a
  // merge request publishes whatever secret of the URL that SQL holds, so it is scrubbed as the
  // CLI's own output is (and as the Action's comment is).
  const secrets = options.secrets;
  try {
    const { upsert, scrubbed } = await commentPlan(dest, { result, frame }, (body) => scrubSecrets(body, secrets));
    if (scrubbed) {
      session.log.warn(
        "the comment held a secret of the database URL, replaced by *** (if that text was not the secret, as a short or common password " +
          "matches ordinary words, use a stronger password).",
      );
    }
    if (upsert.action === "forbidden") session.log.warn(`could not comment on ${describeDestination(dest)}: ${upsert.message ?? "forbidden"}`);
    else session.notice(`${describeDestination(dest)}: comment ${upsert.action}${upsert.url ? ` (${upsert.url})` : ""}`);
  } catch (e) {
    session.log.warn(`could not comment on ${describeDestination(dest)}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return text;
}

/** `resolve REV --applied|--rolled-back`: after a run died in a revision that could not run in
 *  a transaction, record what the user found in the database. */
export async function resolve(options: Options, session: Session, revision: string, applied: boolean): Promise<string> {
  return withRunner(options, session, (runner) => runner.withLock(() => runner.resolve(revision, applied)));
}
