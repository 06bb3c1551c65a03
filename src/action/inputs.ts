// The only place the Action reads its inputs and the workflow's context: everything becomes
// the same Options object the CLI builds, plus what only the Action needs.

import * as core from "@actions/core";
import { readFileSync } from "node:fs";
import { RetortError } from "../core/errors.js";
import { libpqEnv, type LibpqEnv } from "../db/target.js";
import { currentOsUser, identityFromEnv, makeOptions, parseDatabaseUrl, secretsOfUrls, type Options, type ParsedUrl } from "../options.js";
import { SETTINGS, type ActionInputName } from "../settings.js";

export type ActionCommand = "plan" | "upgrade" | "downgrade" | "check";

export interface ActionSettings {
  readonly options: Options;
  /** The database URL's secrets, registered with the runner: the comment, the summary and the
   *  files (which the runner does not mask) are scrubbed of them too. */
  readonly secrets: readonly string[];
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
const COMMANDS = SETTINGS.command.choices;

/** An input, by its name in the settings table (action.yml declares the same inputs). */
const getInput = (name: ActionInputName): string => core.getInput(name);

function bool(name: ActionInputName): boolean {
  const v = getInput(name).trim().toLowerCase();
  if (v === "" || v === "false") return false;
  if (v === "true") return true;
  throw new RetortError("usage", `Input '${name}' is '${v}': use true or false.`);
}

/** The database-url input, parsed once, and every secret of it (the whole value, and each
 *  password in each form a message may quote it: see the connection target) and of PGPASSWORD,
 *  registered with the runner before anything is printed. */
function readDatabaseUrl(databaseEnv: LibpqEnv): { url: string; connection: ParsedUrl | undefined; secrets: readonly string[] } {
  const url = getInput("database-url");
  const connection = url ? parseDatabaseUrl(url, databaseEnv) : undefined;
  const secrets = [...(url ? [url] : []), ...secretsOfUrls([connection], databaseEnv)];
  for (const secret of secrets) core.setSecret(secret);
  return { url, connection, secrets };
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

/** What the run does: the command input, or for `auto` what the event calls for. */
function commandOf(input: string, event: string, dryRun: boolean): { command: ActionCommand; reason: string } {
  let command: ActionCommand;
  let reason: string;
  if (input === "auto") {
    command = PLAN_EVENTS.has(event) ? "plan" : APPLY_EVENTS.has(event) ? "upgrade" : "plan";
    reason = `auto on ${event || "an unknown event"}`;
  } else {
    command = input as ActionCommand;
    reason = "the command input";
  }
  if (dryRun && (command === "upgrade" || command === "downgrade")) reason += ", dry-run";
  return { command, reason };
}

/** The Options of the inputs, as the CLI makes them from its flags. */
function optionsOf(database: ReturnType<typeof readDatabaseUrl>, databaseEnv: LibpqEnv, env: NodeJS.ProcessEnv, version: string): Options {
  const options = makeOptions({
    migrations: getInput("migrations") || undefined,
    alembicConfig: getInput("alembic-config") || undefined,
    // The job's ALEMBIC_CONFIG, as the CLI (and Alembic) read it.
    alembicConfigEnv: env.ALEMBIC_CONFIG || undefined,
    versionLocations: getInput("version-locations"),
    alembicCommand: getInput("alembic-command") || undefined,
    alembicEnv: getInput("alembic-env").split(/[\s,]+/).filter(Boolean),
    databaseUrl: database.url || undefined,
    connection: database.connection,
    databaseEnv,
    lockTimeout: getInput("lock-timeout") || undefined,
    onDrift: getInput("on-drift") || undefined,
    versionTable: getInput("version-table") || undefined,
    historyTable: getInput("history-table") || undefined,
    identity: identityFromEnv(env, currentOsUser(), version),
    expectHeads: getInput("expect-heads") || undefined,
  });
  if (options.databaseUrl?.toLowerCase().startsWith("pglite:")) {
    throw new RetortError("usage", "The Action applies to PostgreSQL or MySQL/MariaDB: give database-url a postgresql:// or mysql:// URL (the embedded PGlite database is for the CLI).");
  }
  return options;
}

/** Reads every input, the database URL's secrets first (registered before anything can be
 *  printed). Defaults come from action.yml (the runner fills in an input's default before the
 *  Action starts; tests hold it equal to the settings table) and, for values left empty, from
 *  makeOptions, the CLI's defaults. */
export function readInputs(version: string): ActionSettings {
  const env = process.env;
  const databaseEnv = libpqEnv(env);
  const database = readDatabaseUrl(databaseEnv);
  const commandInput = (getInput("command") || SETTINGS.command.default).toLowerCase();
  if (!(COMMANDS as readonly string[]).includes(commandInput)) {
    throw new RetortError("usage", `Input 'command' is '${commandInput}': use one of ${COMMANDS.join(", ")}.`);
  }
  const dryRun = bool("dry-run");
  const event = readEvent(env);
  const { command, reason } = commandOf(commandInput, event.name, dryRun);
  const targetInput = getInput("target");
  if (command === "downgrade" && !targetInput) {
    throw new RetortError("usage", "command 'downgrade' needs the target input (base, an id, -1, ...): retort never guesses how far down to go.");
  }
  const options = optionsOf(database, databaseEnv, env, version);
  const pr = event.payload.pull_request as { head?: { sha?: unknown } } | undefined;
  const headSha = typeof pr?.head?.sha === "string" ? pr.head.sha : null;
  return {
    options,
    secrets: database.secrets,
    command,
    dryRun,
    reason,
    target: targetInput || SETTINGS.target.default,
    comment: getInput("comment") === "" ? true : bool("comment"),
    environment: getInput("environment").trim(),
    token: getInput("github-token"),
    from: getInput("from").split(/[\s,]+/).filter(Boolean),
    pullRequest: pullRequestOf(event.payload, env.GITHUB_REPOSITORY),
    commitSha: headSha ?? env.GITHUB_SHA ?? null,
    event: event.name,
  };
}
