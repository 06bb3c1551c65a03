// Every setting a user can give retort, once: its CLI flag, environment variable and Action
// input, its default and what it means. The CLI's options (src/cli/program.ts), makeOptions'
// defaults (src/options.ts) and the Action's inputs (src/action/inputs.ts) are read from here;
// action.yml, which GitHub reads before any of retort runs, stays a static file that
// tests/action/metadata.test.ts holds equal to this table; the README's tables of inputs,
// outputs and environment variables are written from it by `npm run docs`.

import { DEFAULT_VERSION_TABLE, DIALECTS } from "./core/sql.js";
import { PLAN_FORMATS } from "./report/plan.js";
import { DEFAULT_HISTORY_TABLE } from "./run/state.js";

/** Which commands take a setting's flag: every command (`global`), those that open a database,
 *  `upgrade`/`downgrade`, `plan`, `plan` and `check` (`heads`), `log`; `argument` is a command's positional argument;
 *  `action` exists only as an Action input. */
export type SettingScope = "global" | "database" | "migrate" | "plan" | "heads" | "log" | "argument" | "action";

export interface ActionInput {
  /** The input's name in action.yml. */
  readonly name: string;
  /** action.yml's description (what GitHub's UI and the README show). */
  readonly description: string;
  /** action.yml's default, when it is not the setting's own (`""` where the CLI default needs
   *  a decision the Action makes itself, such as the downgrade target). */
  readonly default?: string;
  /** The default as the README's table of inputs says it, when action.yml's is empty. */
  readonly defaultDoc?: string;
}

export interface Setting {
  readonly scope: SettingScope;
  /** The flag as commander takes it, with its value placeholder (`--lock-timeout <seconds>`). */
  readonly flag?: string;
  /** The CLI's help line for the flag. */
  readonly help?: string;
  /** What the flag means, for the README's tables of options (markdown). */
  readonly doc?: string;
  /** The environment variable the CLI also reads (the flag wins). */
  readonly env?: string;
  /** A second variable, read when neither the flag nor `env` gives a value. */
  readonly envFallback?: string;
  /** The value when none is given; absent: none (see `defaultDoc`). */
  readonly default?: string;
  /** The default as the README says it, when it is not the value itself (markdown). */
  readonly defaultDoc?: string;
  readonly choices?: readonly string[];
  /** The flag repeats and takes comma separated values (its value is a list, default empty). */
  readonly list?: true;
  readonly action?: ActionInput;
}

export const SETTINGS = {
  databaseUrl: {
    scope: "database",
    flag: "--database-url <url>",
    help: "postgresql://, a libpq keyword string, mysql:// or pglite://PATH (default: embedded .retort/pglite, except under CI); also DATABASE_URL",
    doc: "`postgresql://` (or `postgres://`), `mysql://` (or `mariadb://`), `pglite://PATH` or `pglite://memory`, or for PostgreSQL a libpq keyword string (`host=db user=ci password='…' dbname=app`)",
    env: "RETORT_DATABASE_URL",
    envFallback: "DATABASE_URL",
    defaultDoc: "the embedded `pglite://.retort/pglite`, outside CI only",
    action: {
      name: "database-url",
      description:
        "postgresql://, mysql:// (mariadb://) URL of the target database. Registered as a secret. Empty on a pull request (fork PRs get no secrets): " +
        "the plan is computed offline from `from` (or base) and the comment says so.",
      default: "",
      defaultDoc: "none: plans offline",
    },
  },
  migrations: {
    scope: "global",
    flag: "--migrations <dir>",
    help: "directory of revision files (default: migrations, or the script_location of ./alembic.ini)",
    doc: "directory of revision files (native `.sql`, or an Alembic project); when not given, an `./alembic.ini` (or `ALEMBIC_CONFIG`) names the project",
    env: "RETORT_MIGRATIONS",
    default: "migrations",
    defaultDoc: "`migrations`, or the `script_location` of `./alembic.ini`",
    action: {
      name: "migrations",
      description: "Directory of revision files. Empty: migrations, or the script_location of the alembic.ini in the working directory.",
      default: "",
    },
  },
  target: {
    scope: "argument",
    env: "RETORT_TARGET",
    default: "head",
    defaultDoc: "`head` (`downgrade` needs one)",
    action: {
      name: "target",
      description:
        "Upgrade or downgrade target, in Alembic's syntax (head, heads, an id, a label, X@head, +1, base, -1, ...). " +
        "Empty means head for plan and upgrade; downgrade needs one.",
      default: "",
      defaultDoc: "`head` for plan and upgrade",
    },
  },
  dryRun: {
    scope: "action",
    default: "false",
    action: { name: "dry-run", description: "Turn any apply into a plan (read the database, change nothing)." },
  },
  command: {
    scope: "action",
    default: "auto",
    choices: ["auto", "plan", "upgrade", "downgrade", "check"],
    action: {
      name: "command",
      description:
        "auto (default: plan and comment on pull_request and merge_group; upgrade on push, workflow_dispatch, schedule and release; plan on other events), " +
        "plan, upgrade, downgrade or check.",
    },
  },
  githubToken: {
    scope: "action",
    default: "${{ github.token }}",
    action: { name: "github-token", description: "Token for the pull-request comment (needs `pull-requests: write`)." },
  },
  comment: {
    scope: "action",
    default: "true",
    action: { name: "comment", description: "Post (and keep updating) one plan comment on the pull request." },
  },
  environment: {
    scope: "plan",
    flag: "--environment <name>",
    help: "name in the comment; one comment per environment",
    env: "RETORT_ENVIRONMENT",
    default: "",
    defaultDoc: "none",
    action: { name: "environment", description: "A name shown in the comment; one comment is kept per environment and migrations directory." },
  },
  lockTimeout: {
    scope: "database",
    flag: "--lock-timeout <seconds>",
    help: "how long to wait for another deploy's lock",
    doc: "how long to wait for another deploy's lock; then the error names the holder",
    env: "RETORT_LOCK_TIMEOUT",
    default: "60",
    action: { name: "lock-timeout", description: "Seconds to wait for another deploy's lock before failing with the holder's name." },
  },
  onDrift: {
    scope: "database",
    flag: "--on-drift <policy>",
    help: "when applied revisions changed since",
    doc: "what an applied revision whose SQL changed does",
    env: "RETORT_ON_DRIFT",
    default: "warn",
    choices: ["warn", "fail"],
    action: { name: "on-drift", description: "What an applied revision whose SQL changed does: warn or fail." },
  },
  versionTable: {
    scope: "database",
    flag: "--version-table <name>",
    help: "version table name",
    doc: "Alembic's version table",
    env: "RETORT_VERSION_TABLE",
    default: DEFAULT_VERSION_TABLE.table,
    action: { name: "version-table", description: "Alembic's version table." },
  },
  historyTable: {
    scope: "database",
    flag: "--history-table <name>",
    help: "audit history table",
    doc: "the audit history table (in the version table's schema)",
    env: "RETORT_HISTORY_TABLE",
    default: DEFAULT_HISTORY_TABLE,
    action: { name: "history-table", description: "The audit history table." },
  },
  alembicConfig: {
    scope: "global",
    flag: "--alembic-config <path>",
    help: "an Alembic project's alembic.ini (default: ALEMBIC_CONFIG or ./alembic.ini naming --migrations, else one in or above it)",
    doc: "an Alembic project's `alembic.ini`, when retort does not find it (see [Alembic projects](#alembic-projects))",
    env: "RETORT_ALEMBIC_CONFIG",
    defaultDoc: "`ALEMBIC_CONFIG`, `./alembic.ini`, or one in or above `--migrations`",
    action: {
      name: "alembic-config",
      description: "An Alembic project's alembic.ini, when retort does not find it (ALEMBIC_CONFIG, ./alembic.ini, or one in or above the migrations directory).",
      default: "",
      defaultDoc: "found as the CLI finds it",
    },
  },
  versionLocations: {
    scope: "global",
    flag: "--version-locations <patterns>",
    help: "an Alembic project's version locations, as glob patterns from the ini's folder (e.g. 'versions/*/expand versions/*/contract')",
    doc:
      "an Alembic project's version locations instead of the ini's `version_locations`: folders or glob patterns (`*`, `?`, `**`), " +
      "space or comma separated, repeatable, taken from the ini's folder",
    env: "RETORT_VERSION_LOCATIONS",
    list: true,
    defaultDoc: "the ini's `version_locations`",
    action: {
      name: "version-locations",
      description:
        "For an Alembic project whose version_locations are set in code: its version locations as glob patterns (*, ?, **), " +
        "space separated, from the folder of alembic.ini (e.g. versions/*/expand versions/*/contract).",
      default: "",
    },
  },
  alembicCommand: {
    scope: "global",
    flag: "--alembic-command <command>",
    help: "how to run Alembic for Python revisions, e.g. 'python3 -m alembic'",
    doc: "how to run Alembic for an Alembic project's SQL",
    env: "RETORT_ALEMBIC_COMMAND",
    default: "alembic",
    action: { name: "alembic-command", description: "How to run Alembic for an Alembic project's SQL (e.g. `python3 -m alembic`)." },
  },
  alembicEnv: {
    scope: "global",
    flag: "--alembic-env <names>",
    help: "environment variables Alembic also gets (comma separated; PREFIX* for a family)",
    doc: "environment variables Alembic also gets (comma separated, repeatable, `PREFIX*`)",
    env: "RETORT_ALEMBIC_ENV",
    list: true,
    defaultDoc: "none",
    action: {
      name: "alembic-env",
      description:
        "For an Alembic project: environment variables its env.py needs beyond the basics (comma or space separated names, PREFIX* for a family). " +
        "Alembic gets no other variable of the job.",
      default: "",
    },
  },
  expectHeads: {
    scope: "heads",
    flag: "--expect-heads <heads>",
    help: "the heads the project keeps on purpose: branch labels (expand,contract), one head each, or a number",
    doc: "the heads kept on purpose (`plan`, `check`, the Action): branch labels (`expand,contract`: each has one head, every head is on one) or a number of heads; any other head is still reported",
    env: "RETORT_EXPECT_HEADS",
    defaultDoc: "one head (target `heads`: one per branch label)",
    action: {
      name: "expect-heads",
      description:
        "The heads the project keeps on purpose: branch labels (e.g. `expand,contract`, each with one head, every head on one of them) or a number. " +
        "Empty: one head, or with target `heads` one head per branch label.",
      default: "",
    },
  },
  from: {
    scope: "action",
    default: "",
    defaultDoc: "base",
    action: {
      name: "from",
      description: "Without a database URL: the deployed revision(s) to plan from (space or comma separated); empty plans from base.",
    },
  },
  debug: {
    scope: "global",
    flag: "--debug",
    help: "print stack traces of errors",
    doc: "print stack traces with errors",
    defaultDoc: "off",
  },
  wait: {
    scope: "database",
    flag: "--wait [seconds]",
    help: "wait for the database to accept connections (default 30 s when given)",
    doc: "keep retrying the connection (a database starting beside retort)",
    env: "RETORT_WAIT",
    defaultDoc: "off; 30 s when given without a value",
  },
  versionSchema: {
    scope: "database",
    flag: "--version-schema <name>",
    help: "schema of the version table (default: the connection's)",
    doc: "the version table's schema",
    env: "RETORT_VERSION_SCHEMA",
    defaultDoc: "the connection's",
  },
  transaction: {
    scope: "migrate",
    flag: "--transaction <mode>",
    help: "PostgreSQL: a transaction per revision, or one around the run",
    doc: "(`upgrade`, `downgrade`) PostgreSQL: a transaction per revision, or one around the run",
    env: "RETORT_TRANSACTION",
    default: "per-revision",
    choices: ["per-revision", "all"],
  },
  dialect: {
    scope: "migrate",
    flag: "--dialect <name>",
    help: "SQL flavour of --sql",
    env: "RETORT_DIALECT",
    default: "postgresql",
    choices: DIALECTS,
  },
  format: {
    scope: "plan",
    flag: "--format <format>",
    help: "output",
    default: "text",
    choices: PLAN_FORMATS,
  },
  limit: {
    scope: "log",
    flag: "-n, --limit <n>",
    help: "how many rows (newest)",
    default: "50",
  },
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;

/** The options every command takes, in the order help and the README list them. */
export const GLOBAL_OPTIONS = ["migrations", "alembicConfig", "versionLocations", "alembicCommand", "alembicEnv", "debug"] as const satisfies readonly SettingName[];

/** The options of every command that talks to a database, in that order. */
export const DATABASE_OPTIONS = ["databaseUrl", "wait", "lockTimeout", "versionTable", "versionSchema", "historyTable", "onDrift"] as const satisfies readonly SettingName[];

/** The Action's input names, as action/inputs.ts reads them. */
export type ActionInputName = {
  [K in SettingName]: (typeof SETTINGS)[K] extends { action: { name: infer N } } ? N : never;
}[SettingName];

/** `--wait` given without a value: seconds to keep retrying the connection. */
export const WAIT_WHEN_GIVEN_SECONDS = 30;

/** What the Action sets (action.yml's outputs), in the order the README lists them. */
export const ACTION_OUTPUTS = [
  { name: "current", description: "The database's heads before the run, space separated (empty for base)." },
  { name: "target", description: "The heads the plan leads to, space separated." },
  { name: "pending-count", description: "Number of revisions the plan runs." },
  { name: "pending-revisions", description: "JSON array of the ids of the revisions the plan runs, in order." },
  { name: "applied-count", description: "Number of revisions applied (0 for a plan)." },
  { name: "sql-file", description: "Path of a file with the planned SQL (Alembic's offline layout)." },
  { name: "plan-file", description: "Path of a file with the JSON plan." },
  { name: "comment-url", description: "URL of the pull-request comment, when one was written or updated." },
] as const;

/** Every setting, with its name, in the table's order. */
export function allSettings(): readonly (Setting & { readonly name: SettingName })[] {
  return (Object.keys(SETTINGS) as SettingName[]).map((name) => ({ name, ...(SETTINGS[name] as Setting) }));
}

/** An Action input's default as action.yml declares it. */
export function actionDefault(setting: Setting): string {
  return setting.action?.default ?? setting.default ?? "";
}
