// The one options object. Each front end (the CLI, the GitHub Action; the Docker image runs the
// CLI) fills it from its own inputs in one place; everything below reads only this.

import { userInfo } from "node:os";
import { checkAlembicEnvNames } from "./alembic/env.js";
import { RetortError } from "./core/errors.js";
import { parseExpectHeads, type ExpectHeads } from "./core/heads.js";
import { describeTarget, secretForms, TargetError, wholeTextSecrets, type ConnectionTarget, type LibpqEnv } from "./db/target.js";
import { DIALECTS, type Dialect, type VersionTable } from "./core/sql.js";
import type { DriftPolicy, Identity, TransactionMode } from "./run/runner.js";
import { SETTINGS, WAIT_WHEN_GIVEN_SECONDS } from "./settings.js";

export interface Options {
  /** Directory holding the revision files (native .sql, or an Alembic project). Default `migrations`. */
  readonly migrations: string;
  /** False when `migrations` is the default, not given (flag, RETORT_MIGRATIONS, Action input):
   *  then an alembic.ini in the current directory names the project wherever it points. */
  readonly migrationsGiven: boolean;
  /** An Alembic project's alembic.ini, when it is not in the migrations directory. */
  readonly alembicConfig: string | null;
  /** ALEMBIC_CONFIG: the ini Alembic reads instead of ./alembic.ini (retort too). Default null. */
  readonly alembicConfigEnv: string | null;
  /** `--version-locations`: an Alembic project's version locations as glob patterns, from the
   *  ini's folder, replacing its version_locations. Default none. */
  readonly versionLocations: readonly string[];
  /** How Alembic is started (for the SQL of Python revisions). Default `alembic`. */
  readonly alembicCommand: readonly string[];
  /** Environment variables Alembic gets besides those it needs to start (names, or `PREFIX*`). Default none. */
  readonly alembicEnv: readonly string[];
  /** SQL flavour of offline output. Default `postgresql`. */
  readonly dialect: Dialect;
  /** Version table name and schema. Default `alembic_version`, no schema. */
  readonly versionTable: VersionTable;
  /** Offline SQL with BEGIN/COMMIT around each revision instead of the whole run. Default false. */
  readonly transactionPerRevision: boolean;
  /** Database URL (or libpq keyword string); null: none given, which means the embedded
   *  PGlite database at .retort/pglite, except under CI (see `ci`). */
  readonly databaseUrl: string | null;
  /** databaseUrl parsed (see ParsedUrl); null when none was given. */
  readonly connection: ParsedUrl | null;
  /** Every secret of databaseUrl, in every form a message may quote it, and PGPASSWORD's. */
  readonly secrets: readonly string[];
  /** The libpq variables (PGHOST, PGUSER, PGPASSWORD, ...) a PostgreSQL URL falls back to. Default none. */
  readonly databaseEnv: LibpqEnv;
  /** The environment variable that showed a CI run (GITHUB_ACTIONS, GITLAB_CI, CI, ...), or
   *  null. Under CI no database URL is an error: a withheld secret must not silently become
   *  an empty embedded database. Default null. */
  readonly ci: string | null;
  /** Seconds to keep retrying the connection. Default 0 (try once). */
  readonly waitSeconds: number;
  /** Seconds to wait for another deploy's lock. Default 60. */
  readonly lockTimeoutSeconds: number;
  /** What drift does: warn (default) or fail. */
  readonly onDrift: DriftPolicy;
  /** Transactions on PostgreSQL: per-revision (default) or all. */
  readonly transaction: TransactionMode;
  /** Audit history table, in the version table's schema. Default alembic_version_history. */
  readonly historyTable: string;
  /** Who runs this (CI actor or OS user), the commit and the CI run, for the history. */
  readonly identity: Identity;
  /** The heads kept on purpose (`--expect-heads`), or null: one head (see core/heads.ts). */
  readonly expectHeads: ExpectHeads | null;
}

/** The database URL, parsed once per invocation (src/db/target.ts): the driver connects with
 *  the target, Alembic gets its connection URL, and messages show its display form. A text
 *  that cannot be used keeps its error, thrown when a command needs the database (a command
 *  that reads only files does not fail for a bad DATABASE_URL). */
export type ParsedUrl = ({ readonly target: ConnectionTarget; readonly error?: undefined } | { readonly target?: undefined; readonly error: unknown }) & {
  /** Every secret the text holds, also when it cannot be used: the target's, else the ones
   *  its refusal saw, else the whole text. */
  readonly secrets: readonly string[];
};

/** `text` parsed, with `env`'s libpq variables to fall back to. */
export function parseDatabaseUrl(text: string, env: LibpqEnv): ParsedUrl {
  try {
    const target = describeTarget(text, env);
    return { target, secrets: target.secrets };
  } catch (error) {
    if (error instanceof TargetError) return { error, secrets: error.secrets };
    return { error, secrets: wholeTextSecrets(text) };
  }
}

/** The connection target of `options`, or null when no URL was given; throws why the URL given
 *  cannot be used. */
export function connectionTarget(options: Options): ConnectionTarget | null {
  const parsed = options.connection;
  if (parsed === null) return null;
  if (parsed.target === undefined) throw parsed.error;
  return parsed.target;
}

export interface RawOptions {
  databaseUrl?: string | undefined;
  /** databaseUrl already parsed by the front end (which parsed it first to know its secrets). */
  connection?: ParsedUrl | undefined;
  databaseEnv?: LibpqEnv | undefined;
  ci?: string | null | undefined;
  wait?: string | boolean | undefined;
  lockTimeout?: string | undefined;
  onDrift?: string | undefined;
  transaction?: string | undefined;
  historyTable?: string | undefined;
  identity?: Identity | undefined;
  migrations?: string | undefined;
  alembicConfig?: string | undefined;
  alembicConfigEnv?: string | undefined;
  /** Space or comma separated, or already split. */
  versionLocations?: string | readonly string[] | undefined;
  alembicCommand?: string | undefined;
  /** Comma separated, or already split. */
  alembicEnv?: string | readonly string[] | undefined;
  dialect?: string | undefined;
  versionTable?: string | undefined;
  versionSchema?: string | undefined;
  transactionPerRevision?: boolean | undefined;
  expectHeads?: string | undefined;
}

/** Validates raw values (from flags, environment or Action inputs) into Options; what is not
 *  given gets the settings table's default. */
export function makeOptions(raw: RawOptions): Options {
  const databaseUrl = raw.databaseUrl?.trim() || null;
  const databaseEnv = raw.databaseEnv ?? {};
  const connection = databaseUrl === null ? null : (raw.connection ?? parseDatabaseUrl(databaseUrl, databaseEnv));
  const dialect = dialectOf(raw.dialect);
  const tables = tablesOf(raw);
  const onDrift = oneOf("--on-drift", raw.onDrift ?? SETTINGS.onDrift.default, SETTINGS.onDrift.choices);
  const transaction = oneOf("--transaction", raw.transaction ?? SETTINGS.transaction.default, SETTINGS.transaction.choices);
  return {
    migrations: raw.migrations?.trim() || SETTINGS.migrations.default,
    migrationsGiven: Boolean(raw.migrations?.trim()),
    alembicConfig: raw.alembicConfig?.trim() || null,
    alembicConfigEnv: raw.alembicConfigEnv?.trim() || null,
    versionLocations: listOf(raw.versionLocations, /[\s,]+/),
    alembicCommand: (raw.alembicCommand?.trim() || SETTINGS.alembicCommand.default).split(/\s+/),
    alembicEnv: checkAlembicEnvNames(listOf(raw.alembicEnv)),
    dialect,
    versionTable: tables.versionTable,
    transactionPerRevision: raw.transactionPerRevision ?? false,
    databaseUrl,
    connection,
    secrets: secretsOfUrls([connection], databaseEnv),
    databaseEnv,
    ci: raw.ci ?? null,
    waitSeconds: raw.wait === undefined || raw.wait === false ? 0 : raw.wait === true ? WAIT_WHEN_GIVEN_SECONDS : seconds("--wait", raw.wait),
    lockTimeoutSeconds: seconds("--lock-timeout", raw.lockTimeout ?? SETTINGS.lockTimeout.default),
    onDrift,
    transaction,
    historyTable: tables.historyTable,
    identity: raw.identity ?? { actor: null, commitSha: null, runUrl: null, retortVersion: "0.0.0-dev" },
    expectHeads: parseExpectHeads(raw.expectHeads),
  };
}

/** The secrets of the URLs given (as parsed) and PGPASSWORD's, whether a target falls back to it
 *  or not: what every output, comment and file is scrubbed of, and what the Action masks. */
export function secretsOfUrls(parsed: readonly (ParsedUrl | null | undefined)[], env: LibpqEnv): string[] {
  const secrets = parsed.flatMap((p) => [...(p?.secrets ?? [])]);
  if (env.PGPASSWORD) secrets.push(...secretForms(env.PGPASSWORD));
  return secrets;
}

/** A list setting: comma separated text, or values already split (each may hold commas). */
function listOf(value: string | readonly string[] | undefined, separator: RegExp = /,/): string[] {
  return (typeof value === "string" ? [value] : (value ?? []))
    .flatMap((v) => v.split(separator))
    .map((v) => v.trim())
    .filter(Boolean);
}

function dialectOf(given: string | undefined): Dialect {
  const dialect = (given ?? SETTINGS.dialect.default).toLowerCase();
  if (!DIALECTS.includes(dialect as Dialect)) {
    throw new RetortError("usage", `Unknown dialect '${given}'. Use one of: ${DIALECTS.join(", ")}.`);
  }
  return dialect as Dialect;
}

/** The version table, its schema and the history table, checked as names PostgreSQL and MySQL
 *  keep as they are. */
function tablesOf(raw: RawOptions): Pick<Options, "versionTable" | "historyTable"> {
  const table = raw.versionTable?.trim() || SETTINGS.versionTable.default;
  const schema = raw.versionSchema?.trim() || null;
  const historyTable = raw.historyTable?.trim() || SETTINGS.historyTable.default;
  for (const [what, value] of [["version table", table], ["version schema", schema], ["history table", historyTable]] as const) {
    // PostgreSQL cuts a longer name to 63 bytes (not characters) without a word: retort would
    // then never find the table it created.
    if (value !== null && (new TextEncoder().encode(value).length > 63 || /[\s."`;]/.test(value))) {
      throw new RetortError("usage", `Invalid ${what} '${value}': use a plain identifier (no dots, quotes, spaces; at most 63 bytes in UTF-8).`);
    }
  }
  return { versionTable: { table, schema }, historyTable };
}

function oneOf<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new RetortError("usage", `Invalid ${flag} '${value}': use ${choices.slice(0, -1).join(", ")} or ${choices[choices.length - 1]}.`);
  }
  return value as T;
}

function seconds(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new RetortError("usage", `Invalid ${flag} '${value}': give a number of seconds.`);
  return n;
}

/** Variables CI systems set, the specific ones first (so the message names the system):
 *  GitHub Actions (also Gitea and Forgejo), GitLab, Azure Pipelines, Jenkins, Buildkite,
 *  CircleCI, Bitbucket, TeamCity, Travis, AppVeyor, AWS CodeBuild, Drone and Woodpecker,
 *  Semaphore, Cirrus, Bamboo, GoCD, Hudson, Bitrise, Buddy, Harness, Codemagic, Netlify,
 *  Vercel, Render, Cloudflare Pages, then the generic ones most of them also set. */
const CI_VARIABLES = [
  "GITHUB_ACTIONS",
  "GITLAB_CI",
  "TF_BUILD",
  "JENKINS_URL",
  "BUILDKITE",
  "CIRCLECI",
  "BITBUCKET_BUILD_NUMBER",
  "TEAMCITY_VERSION",
  "TRAVIS",
  "APPVEYOR",
  "CODEBUILD_BUILD_ID",
  "DRONE",
  "WOODPECKER_CI",
  "SEMAPHORE",
  "CIRRUS_CI",
  "bamboo_buildKey",
  "GO_PIPELINE_NAME",
  "HUDSON_URL",
  "BITRISE_IO",
  "BUDDY_WORKSPACE_ID",
  "HARNESS_BUILD_ID",
  "CM_BUILD_ID",
  "NETLIFY",
  "VERCEL",
  "RENDER",
  "CF_PAGES",
  "CI",
  "CONTINUOUS_INTEGRATION",
] as const;

/** The first CI variable set in `env`, or null when none is. A generic `CI=false` (or 0)
 *  says no; a vendor's own variable always counts (builds set CI=false for other tools). */
export function detectCi(env: Readonly<Record<string, string | undefined>>): string | null {
  for (const name of CI_VARIABLES) {
    const value = env[name]?.trim();
    if (!value) continue;
    if ((name === "CI" || name === "CONTINUOUS_INTEGRATION") && /^(false|0|no)$/i.test(value)) continue;
    return name;
  }
  return null;
}

/** The OS user name, or null where the platform cannot tell (some containers). */
export function currentOsUser(): string | null {
  try {
    return userInfo().username;
  } catch {
    return null;
  }
}

/** Who runs retort, from the CI's environment (GitHub Actions, GitLab CI) or the OS user. */
export function identityFromEnv(env: Record<string, string | undefined>, osUser: string | null, retortVersion: string): Identity {
  const github = env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY;
  return {
    actor: env.GITHUB_ACTOR || env.GITLAB_USER_LOGIN || env.BUILD_USER_ID || osUser,
    commitSha: env.GITHUB_SHA || env.CI_COMMIT_SHA || env.GIT_COMMIT || null,
    runUrl: github
      ? `${env.GITHUB_SERVER_URL || "https://github.com"}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : env.CI_JOB_URL || env.BUILD_URL || null,
    retortVersion,
  };
}
