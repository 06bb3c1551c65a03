// The only place the Action reads its inputs and the workflow's context: everything becomes
// the same Options object the CLI builds, plus what only the Action needs.

import * as core from "@actions/core";
import { context } from "@actions/github";
import { RetortError } from "../core/errors.js";
import { libpqEnv, secretForms, secretsOf } from "../db/target.js";
import { currentOsUser, identityFromEnv, makeOptions, type Options } from "../options.js";

export type ActionCommand = "plan" | "upgrade" | "downgrade" | "check";

export interface ActionSettings {
  readonly options: Options;
  /** What this run does, after `auto` and `dry-run` were applied. */
  readonly command: ActionCommand;
  /** Why: "auto on push", "command input", ... (for the log). */
  readonly reason: string;
  readonly target: string;
  /** Plan an upgrade or downgrade against the database instead of running it. */
  readonly dryRun: boolean;
  readonly comment: boolean;
  readonly environment: string;
  readonly token: string;
  /** Revisions to plan from when there is no database URL. */
  readonly from: readonly string[];
  readonly pullRequest: { owner: string; repo: string; number: number } | null;
  readonly commitSha: string | null;
}

const PLAN_EVENTS = new Set(["pull_request", "pull_request_target", "merge_group"]);
const APPLY_EVENTS = new Set(["push", "workflow_dispatch", "schedule", "release"]);
const COMMANDS = ["auto", "plan", "upgrade", "downgrade", "check"] as const;

/** Registers every secret of the database URL with the runner (the whole value, and each
 *  password in each form a message may quote it: see the connection target) before anything
 *  is printed, and returns them. */
export function registerSecrets(): readonly string[] {
  const url = core.getInput("database-url");
  const pg = libpqEnv(process.env);
  const secrets = [...(url ? [url] : []), ...secretsOf(url, pg), ...(pg.PGPASSWORD ? secretForms(pg.PGPASSWORD) : [])];
  for (const secret of secrets) core.setSecret(secret);
  // What the runner masks in the log must not reach the comment, summary or files either.
  return secrets;
}

function bool(name: string): boolean {
  const v = core.getInput(name).trim().toLowerCase();
  if (v === "" || v === "false") return false;
  if (v === "true") return true;
  throw new RetortError("usage", `Input '${name}' is '${v}': use true or false.`);
}

export function readInputs(version: string): ActionSettings {
  const commandInput = (core.getInput("command") || "auto").toLowerCase();
  if (!(COMMANDS as readonly string[]).includes(commandInput)) {
    throw new RetortError("usage", `Input 'command' is '${commandInput}': use one of ${COMMANDS.join(", ")}.`);
  }
  const dryRun = bool("dry-run");
  const event = context.eventName;
  let command: ActionCommand;
  let reason: string;
  if (commandInput === "auto") {
    command = PLAN_EVENTS.has(event) ? "plan" : APPLY_EVENTS.has(event) ? "upgrade" : "plan";
    reason = `auto on ${event || "an unknown event"}`;
  } else {
    command = commandInput as ActionCommand;
    reason = "the command input";
  }
  if (dryRun && (command === "upgrade" || command === "downgrade")) {
    reason += ", dry-run";
  }
  const target = core.getInput("target") || "head";
  if (command === "downgrade" && !core.getInput("target")) {
    throw new RetortError("usage", "command 'downgrade' needs a target input (base, an id, -1, ...).");
  }
  const env = process.env;
  const options = makeOptions({
    migrations: core.getInput("migrations") || "migrations",
    alembicConfig: core.getInput("alembic-config") || undefined,
    alembicCommand: core.getInput("alembic-command") || undefined,
    databaseUrl: core.getInput("database-url") || undefined,
    databaseEnv: libpqEnv(env),
    lockTimeout: core.getInput("lock-timeout") || undefined,
    onDrift: core.getInput("on-drift") || undefined,
    versionTable: core.getInput("version-table") || undefined,
    historyTable: core.getInput("history-table") || undefined,
    identity: identityFromEnv(env, currentOsUser(), version),
  });
  if (options.databaseUrl?.toLowerCase().startsWith("pglite:")) {
    throw new RetortError("usage", "The Action applies to PostgreSQL or MySQL/MariaDB: give database-url a postgresql:// or mysql:// URL (the embedded PGlite database is for the CLI).");
  }
  const pr = context.payload.pull_request;
  return {
    options,
    command,
    dryRun,
    reason,
    target,
    comment: core.getInput("comment") === "" ? true : bool("comment"),
    environment: core.getInput("environment").trim(),
    token: core.getInput("github-token"),
    from: core
      .getInput("from")
      .split(/[\s,]+/)
      .filter(Boolean),
    pullRequest: pr && env.GITHUB_REPOSITORY ? { ...context.repo, number: pr.number as number } : null,
    commitSha: (pr?.head as { sha?: string } | undefined)?.sha ?? env.GITHUB_SHA ?? null,
  };
}

