// The GitHub Action front end: inputs → the same commands the CLI runs → outputs, job summary,
// annotations and the pull-request comment. No migration logic lives here.

import * as core from "@actions/core";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RetortError } from "../core/errors.js";
import { offlineUpgradeResult } from "../commands/offline.js";
import * as online from "../commands/online.js";
import { commentPlan } from "../commands/publish.js";
import { detectSource } from "../load/directory.js";
import { renderJobSummary, type CommentFrame } from "../report/comment.js";
import type { PlanResult } from "../report/model.js";
import { renderPlan } from "../report/plan.js";
import { neutralise } from "../report/safe-text.js";
import { scrubSecrets } from "../db/target.js";
import { readInputs, type ActionSettings } from "./inputs.js";

declare const RETORT_VERSION: string | undefined;
const VERSION = typeof RETORT_VERSION === "string" ? RETORT_VERSION : "0.0.0-dev";

/** The secrets of the database-url input: the runner masks them in the log, but the comment,
 *  the summary and the files go elsewhere (a revision's SQL may quote one). */
let secrets: readonly string[] = [];
const clean = (text: string) => scrubSecrets(text, secrets);

/** Everything the Action logs can carry text from the database, Alembic, revisions or an API:
 *  neutralised, so none of it becomes a workflow command or a terminal escape. Only these two
 *  (and fail) write to the log. */
const info = (text: string) => core.info(neutralise(text));
const warning = (text: string) => core.warning(neutralise(text));
const session: online.Session = { log: { info, warn: warning }, notice: info };

export async function run(): Promise<void> {
  try {
    const s = readInputs(VERSION);
    secrets = s.secrets;
    refuseUntrustedCode(s);
    info(`retort ${VERSION}: ${s.command}${s.dryRun ? " (dry run)" : ""} (${s.reason}), migrations ${s.options.migrations}, target ${s.target}`);
    switch (s.command) {
      case "check": {
        requireDatabase(s);
        info(await online.check(s.options, session, s.target));
        return;
      }
      case "plan":
        await report(s, await planOnly(s));
        return;
      case "upgrade":
      case "downgrade": {
        requireDatabase(s);
        const r = await online.migrateResult(s.options, session, s.command, s.target, s.dryRun);
        info(r.text.trimEnd());
        await report(s, r.result);
        return;
      }
    }
  } catch (e) {
    fail(e);
  }
}

/** `pull_request_target` runs with the base repository's secrets and a write token, on a
 *  pull request anyone may open: nothing the pull request brings may run there. retort reads
 *  native revisions as text (a plan executes none of them), so planning is safe; applying them,
 *  or running an Alembic project's env.py and revisions (Python), is not. */
function refuseUntrustedCode(s: ActionSettings): void {
  if (s.event !== "pull_request_target") return;
  const applies = (s.command === "upgrade" || s.command === "downgrade") && !s.dryRun;
  if (applies) {
    throw new RetortError(
      "usage",
      `command '${s.command}' on pull_request_target would run the pull request's SQL with this job's secrets: apply on push ` +
        `(after review and merge) or workflow_dispatch, and plan pull requests with command: plan.`,
    );
  }
  if (detectSource(s.options).kind === "alembic") {
    throw new RetortError(
      "usage",
      `${s.options.migrations} is an Alembic project: planning it runs its env.py and revisions (Python from the pull request), and ` +
        `pull_request_target gives that code this job's secrets and write token. Plan it on pull_request instead (a fork's ` +
        `pull request then plans offline, without secrets); see the README's security section.`,
    );
  }
}

function requireDatabase(s: ActionSettings): void {
  if (!s.options.databaseUrl) {
    throw new RetortError("usage", `command '${s.command}' needs the database-url input (e.g. database-url: \${{ secrets.DATABASE_URL }}).`);
  }
}

/** A plan against the database, or, with no database URL (fork pull requests get no
 *  secrets), offline from the `from` input. */
async function planOnly(s: ActionSettings): Promise<PlanResult> {
  if (s.options.databaseUrl) return (await online.migrateResult(s.options, session, "upgrade", s.target, true)).result;
  return offlineUpgradeResult(s.options, { start: { from: s.from, source: "the from input" }, target: s.target }, warning);
}

async function report(s: ActionSettings, r: PlanResult): Promise<void> {
  const dir = process.env.RUNNER_TEMP || tmpdir();
  mkdirSync(dir, { recursive: true });
  const name = `retort-${(s.environment || "plan").replace(/[^A-Za-z0-9_.-]/g, "_")}`;
  const sqlFile = join(dir, `${name}.sql`);
  const planFile = join(dir, `${name}.json`);
  writeFileSync(sqlFile, clean(renderPlan(r, "sql")));
  writeFileSync(planFile, clean(renderPlan(r, "json")));

  const frame = { environment: s.environment, commitSha: s.commitSha, retortVersion: VERSION, detailsHint: "the job summary and the sql-file output" };
  const summary = renderJobSummary(r, frame);
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(clean(summary)).write();
  else info("No GITHUB_STEP_SUMMARY: the job summary is skipped (not running on GitHub Actions?).");

  const isPlan = s.command === "plan" || s.dryRun;
  const commentUrl = isPlan && s.comment && s.pullRequest && s.token ? await comment(s.pullRequest, s.token, { result: r, frame }) : null;
  setOutputs({ r, sqlFile, planFile, commentUrl });
}

/** The pull-request comment, through the CLI's own path (commands/publish.ts); its URL, or null
 *  when it was not written (a warning says why: the plan is in the job summary anyway). */
async function comment(pr: NonNullable<ActionSettings["pullRequest"]>, token: string, plan: { result: PlanResult; frame: CommentFrame }): Promise<string | null> {
  try {
    const dest = { kind: "github", target: { owner: pr.owner, repo: pr.repo, issueNumber: pr.number }, token } as const;
    const { upsert } = await commentPlan(dest, plan, clean);
    if (upsert.action === "forbidden") {
      warning(`Could not write the pull-request comment (${upsert.message ?? "forbidden"}); the plan is in the job summary. Give the job 'pull-requests: write'.`);
      return null;
    }
    info(`Pull-request comment ${upsert.action}${upsert.url ? `: ${upsert.url}` : ""}`);
    return upsert.url;
  } catch (e) {
    warning(`Could not write the pull-request comment: ${e instanceof Error ? e.message : String(e)}; the plan is in the job summary.`);
    return null;
  }
}

function setOutputs(o: { r: PlanResult; sqlFile: string; planFile: string; commentUrl: string | null }): void {
  const { plan, outcomes } = o.r;
  core.setOutput("current", plan.headsBefore.join(" "));
  core.setOutput("target", plan.headsAfter.join(" "));
  core.setOutput("pending-count", String(plan.steps.length));
  core.setOutput("pending-revisions", JSON.stringify(plan.steps.map((x) => x.revision.id)));
  core.setOutput("applied-count", String(outcomes.length));
  core.setOutput("sql-file", o.sqlFile);
  core.setOutput("plan-file", o.planFile);
  core.setOutput("comment-url", o.commentUrl ?? "");
}

/** One clear failure: an annotation on the file and line when there is one. */
function fail(e: unknown): void {
  const message = neutralise(e instanceof Error ? e.message : String(e));
  if (e instanceof RetortError && e.location) {
    core.error(message, {
      title: "retort",
      file: e.location.file,
      startLine: e.location.line,
      ...(e.location.column ? { startColumn: e.location.column } : {}),
    });
  }
  core.setFailed(message);
}
