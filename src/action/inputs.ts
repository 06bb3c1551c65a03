// The only place the Action reads its inputs and the workflow's context: everything becomes
// the same Options object the CLI builds, plus what only the Action needs.

import * as core from "@actions/core";
import { readFileSync } from "node:fs";
import { RetortError } from "../core/errors.js";
import { libpqEnv, secretsGiven } from "../db/target.js";
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
  /** GITHUB_EVENT_NAME. */
  readonly event: string;
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
  const secrets = [...(url ? [url] : []), ...secretsGiven([url], pg)];
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

/** The workflow's event: its name and payload (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH), read here
 *  rather than through @actions/github's context, which parses the file when it is imported and
 *  would end a malformed one in a stack trace. */
export function readEvent(env: Record<string, string | undefined>): { name: string; payload: Record<string, unknown> } {
  const name = env.GITHUB_EVENT_NAME ?? "";
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return { name, payload: {} };
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new RetortError(
      "usage",
      `Cannot read the event file GITHUB_EVENT_PATH='${path}' (${(e as NodeJS.ErrnoException).code ?? String(e)}): run the Action on GitHub Actions, or point GITHUB_EVENT_PATH at the event's JSON.`,
    );
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (e) {
    throw new RetortError(
      "usage",
      `The event file GITHUB_EVENT_PATH='${path}' is not JSON (${(e as Error).message}): it should hold the ${name || "workflow"} event's payload as GitHub writes it.`,
    );
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw new RetortError("usage", `The event file GITHUB_EVENT_PATH='${path}' holds no JSON object: it should hold the ${name || "workflow"} event's payload.`);
  }
  return { name, payload: payload as Record<string, unknown> };
}

/** The pull request of a pull_request-like event, checked enough to address a comment. */
function pullRequestOf(payload: Record<string, unknown>, repository: string | undefined): ActionSettings["pullRequest"] {
  const pr = payload.pull_request as { number?: unknown } | undefined;
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(repository ?? "");
  if (!pr || !m || typeof pr.number !== "number" || !Number.isSafeInteger(pr.number) || pr.number <= 0) return null;
  return { owner: m[1]!, repo: m[2]!, number: pr.number };
}

/** Reads every input. Defaults come from action.yml (the runner fills in an input's default
 *  before the Action starts) and, for values left empty, from makeOptions, the CLI's defaults. */
export function readInputs(version: string): ActionSettings {
  const commandInput = (core.getInput("command") || "auto").toLowerCase();
  if (!(COMMANDS as readonly string[]).includes(commandInput)) {
    throw new RetortError("usage", `Input 'command' is '${commandInput}': use one of ${COMMANDS.join(", ")}.`);
  }
  const dryRun = bool("dry-run");
  const env = process.env;
  const event = readEvent(env);
  let command: ActionCommand;
  let reason: string;
  if (commandInput === "auto") {
    command = PLAN_EVENTS.has(event.name) ? "plan" : APPLY_EVENTS.has(event.name) ? "upgrade" : "plan";
    reason = `auto on ${event.name || "an unknown event"}`;
  } else {
    command = commandInput as ActionCommand;
    reason = "the command input";
  }
  if (dryRun && (command === "upgrade" || command === "downgrade")) {
    reason += ", dry-run";
  }
  const targetInput = core.getInput("target");
  if (command === "downgrade" && !targetInput) {
    throw new RetortError("usage", "command 'downgrade' needs the target input (base, an id, -1, ...): retort never guesses how far down to go.");
  }
  const options = makeOptions({
    migrations: core.getInput("migrations") || undefined,
    alembicConfig: core.getInput("alembic-config") || undefined,
    alembicCommand: core.getInput("alembic-command") || undefined,
    alembicEnv: core.getInput("alembic-env").split(/[\s,]+/).filter(Boolean),
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
  const pr = event.payload.pull_request as { head?: { sha?: unknown } } | undefined;
  const headSha = typeof pr?.head?.sha === "string" ? pr.head.sha : null;
  return {
    options,
    command,
    dryRun,
    reason,
    target: targetInput || "head",
    comment: core.getInput("comment") === "" ? true : bool("comment"),
    environment: core.getInput("environment").trim(),
    token: core.getInput("github-token"),
    from: core
      .getInput("from")
      .split(/[\s,]+/)
      .filter(Boolean),
    pullRequest: pullRequestOf(event.payload, env.GITHUB_REPOSITORY),
    commitSha: headSha ?? env.GITHUB_SHA ?? null,
    event: event.name,
  };
}
