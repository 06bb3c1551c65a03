// The only place the CLI reads what it was given: argv and the environment, once per
// invocation, into one CliInputs; everything after reads that object. (Commander reads the
// RETORT_* variable of each option the settings table gives it, as part of parsing argv.)

import { libpqEnv, type LibpqEnv } from "../db/target.js";
import { currentOsUser, detectCi, identityFromEnv, makeOptions, parseDatabaseUrl, secretsOfUrls, type Options, type ParsedUrl } from "../options.js";
import type { Identity } from "../run/runner.js";
import { SETTINGS } from "../settings.js";

export type Environment = Readonly<Record<string, string | undefined>>;

export interface CliInputs {
  readonly argv: readonly string[];
  /** The environment as retort started with it: for the comment's destination and the CI's log. */
  readonly env: Environment;
  /** The libpq variables (PGHOST, PGPASSWORD, ...) a PostgreSQL URL falls back to. */
  readonly databaseEnv: LibpqEnv;
  /** The variable that showed a CI run, or null. */
  readonly ci: string | null;
  readonly identity: Identity;
  /** DATABASE_URL: the URL when neither --database-url nor RETORT_DATABASE_URL gives one. */
  readonly fallbackUrl: string | undefined;
  /** Whether the migrations folder was given (`--migrations`, RETORT_MIGRATIONS) rather than
   *  left to its default. */
  readonly migrationsGiven: boolean;
  /** ALEMBIC_CONFIG, which Alembic reads instead of ./alembic.ini. */
  readonly alembicConfigEnv: string | undefined;
  /** RETORT_TARGET: the target when the command line gives none. */
  readonly target: string | undefined;
  /** Each database URL text given (flag, variables, secret-shaped words), parsed once. */
  readonly urls: ReadonlyMap<string, ParsedUrl>;
  /** Every secret of every text in `urls` and PGPASSWORD's: scrubbed from all output. */
  readonly secrets: readonly string[];
}

export function readCliInputs(argv: readonly string[], env: Environment, version: string): CliInputs {
  const databaseEnv = libpqEnv(env);
  const urls = new Map<string, ParsedUrl>();
  for (const text of urlCandidates(argv, env)) {
    if (text && text.trim() !== "" && !urls.has(text)) urls.set(text, parseDatabaseUrl(text, databaseEnv));
  }
  const secrets = secretsOfUrls([...urls.values()], databaseEnv);
  return {
    argv,
    env,
    databaseEnv,
    ci: detectCi(env),
    identity: identityFromEnv(env, currentOsUser(), version),
    // An empty variable is unset, as every RETORT_* variable is.
    fallbackUrl: env[SETTINGS.databaseUrl.envFallback] || undefined,
    target: env[SETTINGS.target.env] || undefined,
    migrationsGiven: migrationsGiven(argv, env),
    alembicConfigEnv: env.ALEMBIC_CONFIG || undefined,
    urls,
    secrets,
  };
}

/** Whether argv or the environment names the migrations folder: commander fills in the default
 *  without saying so, and without a folder the ini in the current directory decides. Words after
 *  `--` are arguments, not options. */
function migrationsGiven(argv: readonly string[], env: Environment): boolean {
  const end = argv.indexOf("--");
  const words = end < 0 ? argv : argv.slice(0, end);
  return words.some((a) => a === "--migrations" || a.startsWith("--migrations=")) || Boolean(env[SETTINGS.migrations.env]?.trim());
}

/** A command-line word that holds a connection's secret wherever it stands: a URL with a user
 *  (and so maybe a password) or a password parameter, a libpq keyword string with one. */
const SECRET_SHAPED = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#\s]*@|password\s*=/i;

/** Every database URL retort may have been given (the flag, both variables), known before
 *  anything is printed: whatever fails, and wherever a driver, a database or Alembic quotes
 *  one, its secrets never reach the output. That includes a URL given where no URL goes (as a
 *  target, after a misspelt option): the error that names the bad value must not name its
 *  password. */
function urlCandidates(argv: readonly string[], env: Environment): (string | undefined)[] {
  const candidates = [env[SETTINGS.databaseUrl.env], env[SETTINGS.databaseUrl.envFallback]];
  argv.forEach((a, i) => {
    if (a === "--database-url") candidates.push(argv[i + 1]);
    for (const word of [a, a.slice(a.indexOf("=") + 1)]) if (SECRET_SHAPED.test(word)) candidates.push(word);
  });
  return candidates;
}

/** What commander parsed for a command (its options and the global ones). */
export interface ParsedFlags {
  readonly [name: string]: unknown;
}

/** Options from the flags commander parsed and the inputs read at the start. */
export function optionsOf(flags: ParsedFlags, inputs: CliInputs): Options {
  const o = flags as Record<string, string | undefined>;
  // `--database-url`, else RETORT_DATABASE_URL (commander reads it), else DATABASE_URL.
  const databaseUrl = o.databaseUrl || inputs.fallbackUrl || undefined;
  return makeOptions({
    migrations: inputs.migrationsGiven ? o.migrations : undefined,
    alembicConfig: o.alembicConfig,
    alembicConfigEnv: inputs.alembicConfigEnv,
    versionLocations: flags.versionLocations as string[] | undefined,
    alembicCommand: o.alembicCommand,
    alembicEnv: flags.alembicEnv as string[] | undefined,
    dialect: o.dialect,
    versionTable: o.versionTable,
    versionSchema: o.versionSchema,
    transactionPerRevision: flags.transactionPerRevision as boolean | undefined,
    databaseUrl,
    connection: databaseUrl === undefined ? undefined : inputs.urls.get(databaseUrl),
    databaseEnv: inputs.databaseEnv,
    ci: inputs.ci,
    wait: flags.wait as string | boolean | undefined,
    lockTimeout: o.lockTimeout,
    onDrift: o.onDrift,
    transaction: o.transaction,
    historyTable: o.historyTable,
    identity: inputs.identity,
    expectHeads: o.expectHeads,
  });
}

/** The target argument, else RETORT_TARGET, else head. An empty RETORT_TARGET is unset; an
 *  empty argument is refused by the resolver (it is never base). */
export function targetOf(argument: string | undefined, inputs: CliInputs): string {
  return argument ?? (inputs.target || SETTINGS.target.default);
}
