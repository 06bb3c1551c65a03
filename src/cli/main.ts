// The command-line front end: argv → Options → command → stdout, and errors → one line on
// stderr with an exit code (0 success, 1 a migration or check failed, 2 bad input or usage).

import { randomBytes } from "node:crypto";
import { Command, CommanderError, Option } from "commander";
import { RetortError, RUN_FAILURES } from "../core/errors.js";
import type { RevisionGraph } from "../core/graph.js";
import { loadGraph } from "../load/directory.js";
import { currentOsUser, DEFAULT_LOCK_TIMEOUT, detectCi, identityFromEnv, makeOptions, type Options, DEFAULT_MIGRATIONS } from "../options.js";
import * as online from "../commands/online.js";
import { PLAN_FORMATS, type PlanFormat } from "../report/plan.js";
import { libpqEnv, scrubSecrets, secretsGiven } from "../db/target.js";
import { commandLogOf, guardMachineText, lineWriter, safeJson, visibleControls, type MachineFormat } from "../report/safe-text.js";
import { writeRevision } from "../commands/author.js";
import { branchesText, headsJson, headsText, historyJson, historyText, showText } from "../commands/inspect.js";
import { offlineSql } from "../commands/offline.js";
import { DIALECTS } from "../core/sql.js";

declare const RETORT_VERSION: string | undefined;
const VERSION = typeof RETORT_VERSION === "string" ? RETORT_VERSION : "0.0.0-dev";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** stdout goes to a terminal, a pipe or a CI log rather than a file: machine output (SQL,
   *  markdown) is then fenced against CI commands. Default false (exact bytes). */
  outIsLog?: boolean;
  /** stdout is a terminal: what a terminal acts on in machine output (ESC, \r, ...) is shown
   *  as escapes, as it is on a pipe under CI (the job's log). Default false. */
  outIsTerminal?: boolean;
}

/** What the CLI writes: human text (neutralised: no control bytes, no CI command can be
 *  forged), and machine output in a format that stays exact. Every secret is scrubbed. */
interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
  machine: (text: string, format: "json" | MachineFormat) => void;
}

function makeOutput(io: Io, secrets: readonly string[], env: Readonly<Record<string, string | undefined>>): Output {
  const out = lineWriter(io.out);
  const err = lineWriter(io.err);
  const log = io.outIsLog ? commandLogOf(env) : null;
  // A person reads a terminal; under CI, a pipe is the job's log (a viewer that renders ESC
  // sequences and \r): a revision's bytes must not move the cursor, erase or hide a line there.
  const shown = io.outIsTerminal === true || (io.outIsLog === true && detectCi(env) !== null);
  const clean = (text: string) => scrubSecrets(text, secrets);
  return {
    out: (text) => out(clean(text)),
    err: (text) => err(clean(text)),
    machine: (text, format) => {
      const scrubbed = clean(text);
      if (format === "json") return out(safeJson(scrubbed));
      const what = format === "sql" ? "SQL" : "markdown";
      // SQL and markdown are meant to be exact: when scrubbing changed them, say so.
      if (scrubbed !== text) {
        err(
          `retort: warning: the ${what} held a secret of the database URL, replaced by ***. If that text was not the secret ` +
            `(a short or common password matches ordinary words), use a stronger password.\n`,
        );
      }
      let body = scrubbed;
      if (shown) {
        const visible = visibleControls(body);
        body = visible.text;
        if (visible.changedLines > 0) {
          err(
            `retort: warning: ${visible.changedLines} line(s) of the ${what} held control characters (ESC, \\r, bidi overrides, ...), ` +
              `shown as escapes (\\x1b, ...) so that they cannot act on the terminal or the CI log. Redirect the output to a file (> FILE) for the exact text.\n`,
          );
        }
      }
      if (log === null) return io.out(body);
      const guarded = guardMachineText(body, format, log, `retort-${randomBytes(16).toString("hex")}`);
      io.out(guarded.text);
      if (guarded.changedLines > 0) {
        err(
          `retort: warning: ${guarded.changedLines} line(s) of the ${what} held '##...[', which this CI's log reads ` +
            `as a command: a backslash was added before '['. Redirect the output to a file (> FILE) for the exact text.\n`,
        );
      }
    },
  };
}

const collect = (value: string, previous: string[]) => [...previous, ...value.split(",").map((s) => s.trim()).filter(Boolean)];

function buildProgram(io: Output): Command {
  const program = new Command("retort");
  program
    .description("Alembic-compatible database migrations for CI/CD.")
    .version(VERSION, "-V, --version", "print the version")
    .addOption(
      new Option("--migrations <dir>", "directory of revision files").env("RETORT_MIGRATIONS").default(DEFAULT_MIGRATIONS),
    )
    .addOption(new Option("--alembic-config <path>", "an Alembic project's alembic.ini (default: found in --migrations)").env("RETORT_ALEMBIC_CONFIG"))
    .addOption(new Option("--alembic-command <command>", "how to run Alembic for Python revisions, e.g. 'python3 -m alembic'").env("RETORT_ALEMBIC_COMMAND").default("alembic"))
    .addOption(
      new Option("--alembic-env <names>", "environment variables Alembic also gets (comma separated; PREFIX* for a family)").env("RETORT_ALEMBIC_ENV").argParser(collect).default([]),
    )
    .option("--debug", "print stack traces of errors")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: io.out,
      writeErr: io.err,
      // Usage errors look like every other error: one line starting `retort: `.
      outputError: (text, write) => write(`retort: ${text.replace(/^error: /, "")}`),
    })
    .exitOverride();

  const options = (cmd: Command): Options => {
    const o = cmd.optsWithGlobals();
    return makeOptions({
      migrations: o.migrations,
      alembicConfig: o.alembicConfig,
      alembicCommand: o.alembicCommand,
      alembicEnv: o.alembicEnv,
      dialect: o.dialect,
      versionTable: o.versionTable,
      versionSchema: o.versionSchema,
      transactionPerRevision: o.transactionPerRevision,
      databaseUrl: databaseUrlOf(o.databaseUrl),
      databaseEnv: libpqEnv(process.env),
      ci: detectCi(process.env),
      wait: o.wait,
      lockTimeout: o.lockTimeout,
      onDrift: o.onDrift,
      transaction: o.transaction,
      historyTable: o.historyTable,
      identity: identityFromEnv(process.env, currentOsUser(), VERSION),
    });
  };
  const session: online.Session = {
    log: { info: (line) => io.out(`${line}\n`), warn: (line) => io.err(`retort: warning: ${line}\n`) },
    notice: (line) => io.err(`retort: ${line}\n`),
  };
  /** The options of every command that talks to a database. */
  const withDatabase = (cmd: Command): Command =>
    cmd
      .addOption(
        new Option("--database-url <url>", "postgresql://, a libpq keyword string, mysql:// or pglite://PATH (default: embedded .retort/pglite, except under CI); also DATABASE_URL").env(
          "RETORT_DATABASE_URL",
        ),
      )
      .addOption(new Option("--wait [seconds]", "wait for the database to accept connections (default 30 s when given)").env("RETORT_WAIT"))
      .addOption(new Option("--lock-timeout <seconds>", "how long to wait for another deploy's lock").env("RETORT_LOCK_TIMEOUT").default(String(DEFAULT_LOCK_TIMEOUT)))
      .addOption(new Option("--version-table <name>", "version table name").env("RETORT_VERSION_TABLE").default("alembic_version"))
      .addOption(new Option("--version-schema <name>", "schema of the version table (default: the connection's)").env("RETORT_VERSION_SCHEMA"))
      .addOption(new Option("--history-table <name>", "audit history table").env("RETORT_HISTORY_TABLE").default("alembic_version_history"))
      .addOption(new Option("--on-drift <policy>", "when applied revisions changed since").choices(["warn", "fail"]).env("RETORT_ON_DRIFT").default("warn"));
  const graphOf = (cmd: Command): RevisionGraph => {
    const o = options(cmd);
    return loadGraph(o.migrations, o.alembicConfig);
  };
  const print = (text: string) => {
    if (text !== "") io.out(text.endsWith("\n") ? text : `${text}\n`);
  };
  const printJson = (value: unknown) => io.machine(`${JSON.stringify(value, null, 2)}\n`, "json");
  /** Output in a machine format: JSON, SQL, markdown (text is for humans). */
  const printAs = (text: string, format: PlanFormat | "json") => {
    if (text === "") return;
    const whole = text.endsWith("\n") ? text : `${text}\n`;
    if (format === "text") io.out(whole);
    else io.machine(whole, format);
  };

  program
    .command("heads")
    .description("show the head revisions (no revision revises them)")
    .option("--json", 'print {"heads": [ids]}')
    .option("--resolve-dependencies", "only heads that no revision depends on either")
    .option("-v, --verbose", "full entries")
    .action((o, cmd: Command) => {
      const graph = graphOf(cmd);
      if (o.json) printJson(headsJson(graph, Boolean(o.resolveDependencies)));
      else print(headsText(graph, { resolveDependencies: Boolean(o.resolveDependencies), verbose: Boolean(o.verbose) }));
    });

  program
    .command("branches")
    .description("show branch points and the revisions they branch into")
    .option("-v, --verbose", "full entries")
    .action((o, cmd: Command) => print(branchesText(graphOf(cmd), Boolean(o.verbose))));

  program
    .command("history")
    .description("list revisions, newest first")
    .option("-r, --rev-range <start:end>", "limit to a range, e.g. base:head, ae10:, :-1")
    .option("-v, --verbose", "full entries")
    .option("--json", 'print {"revisions": [...]}')
    .action((o, cmd: Command) => {
      const graph = graphOf(cmd);
      if (o.json) printJson(historyJson(graph, o.revRange));
      else print(historyText(graph, o.revRange, Boolean(o.verbose)));
    });

  program
    .command("show")
    .description("show one revision (an id, a prefix, a label, head, ...)")
    .argument("<rev>", "revision")
    .action((rev: string, _o, cmd: Command) => print(showText(graphOf(cmd), rev)));

  program
    .command("revision")
    .description("write a new revision file")
    .requiredOption("-m, --message <msg>", "the revision's message")
    .option("--head <rev>", "build on this revision instead of head (base: a new root)", "head")
    .option("--splice", "allow --head to name a revision that is not a head (starts a branch)")
    .option("--branch-label <label>", "branch label(s) for the new revision (repeatable, comma separated)", collect, [])
    .option("--depends-on <rev>", "revision(s) the new revision depends on (repeatable, comma separated)", collect, [])
    .option("--rev-id <id>", "use this id instead of a random one")
    .action((o, cmd: Command) => {
      const path = writeRevision(options(cmd).migrations, {
        message: o.message,
        heads: [o.head],
        branchLabels: o.branchLabel,
        dependsOn: o.dependsOn,
        revId: o.revId,
        splice: Boolean(o.splice),
        isMerge: false,
      });
      print(`Generating ${path} ...  done`);
    });

  program
    .command("merge")
    .description("write a revision that merges several heads")
    .argument("<revs...>", "revisions to merge, or heads")
    .requiredOption("-m, --message <msg>", "the revision's message")
    .option("--branch-label <label>", "branch label(s) for the merge revision", collect, [])
    .option("--rev-id <id>", "use this id instead of a random one")
    .action((revs: string[], o, cmd: Command) => {
      const path = writeRevision(options(cmd).migrations, {
        message: o.message,
        heads: revs,
        branchLabels: o.branchLabel,
        dependsOn: [],
        revId: o.revId,
        splice: false,
        isMerge: true,
      });
      print(`Generating ${path} ...  done`);
    });

  for (const direction of ["upgrade", "downgrade"] as const) {
    withDatabase(
      program
        .command(direction)
        .description(
          direction === "upgrade"
            ? "upgrade the database to TARGET (default head); --sql prints the SQL instead (TARGET or FROM:TO)"
            : "downgrade the database to TARGET; --sql prints the SQL instead (FROM:TO)",
        )
        .argument(
          direction === "upgrade" ? "[target]" : "<target>",
          direction === "upgrade" ? "head, heads, an id, a label, X@head, +N, ...; with --sql also FROM:TO" : "base, an id, -N, X@-N, X@base, ...; with --sql FROM:TO",
        )
        .option("--dry-run", "read the database, print the plan, change nothing")
        .option("--sql", "print the SQL instead of running it (offline mode: no database)")
        .addOption(new Option("--dialect <name>", "SQL flavour of --sql").choices(DIALECTS).env("RETORT_DIALECT").default("postgresql"))
        .option("--transaction-per-revision", "--sql: BEGIN/COMMIT around each revision instead of the whole run")
        .addOption(
          new Option("--transaction <mode>", "PostgreSQL: a transaction per revision, or one around the run").choices(["per-revision", "all"]).env("RETORT_TRANSACTION").default("per-revision"),
        ),
    ).action(async (target: string | undefined, o, cmd: Command) => {
      const t = targetOf(target);
      if (o.sql) return printAs(await offlineSql(graphOf(cmd), options(cmd), direction, t, session.log.warn), "sql");
      print(await online.migrate(options(cmd), session, direction, t, Boolean(o.dryRun)));
    });
  }

  withDatabase(program.command("current").description("show the database's current revisions").option("--json", 'print {"database", "current": [ids], "drift": [ids]}')).action(
    async (o, cmd: Command) => printAs(await online.current(options(cmd), session, Boolean(o.json)), o.json ? "json" : "text"),
  );

  withDatabase(
    program
      .command("plan")
      .description("what upgrade TARGET would run against the database (default head)")
      .argument("[target]", "upgrade target (default head; also RETORT_TARGET)")
      .addOption(new Option("--format <format>", "output").choices(PLAN_FORMATS).default("text"))
      .option("--comment", "also keep one comment with the plan on the pull/merge request (GitLab CI, or GitHub Actions)")
      .addOption(new Option("--environment <name>", "name in the comment; one comment per environment").env("RETORT_ENVIRONMENT").default("")),
  ).action(async (target: string | undefined, o, cmd: Command) => {
    const t = targetOf(target);
    if (o.comment) printAs(await online.planAndComment(options(cmd), session, t, o.format as PlanFormat, o.environment, process.env), o.format as PlanFormat);
    else printAs(await online.plan(options(cmd), session, t, o.format as PlanFormat), o.format as PlanFormat);
  });

  withDatabase(
    program
      .command("stamp")
      .description("set the version table to REVS without running any SQL")
      .argument("<revs...>", "revisions (heads, base, ids, labels)")
      .option("--purge", "empty the version table first"),
  ).action(async (revs: string[], o, cmd: Command) => print(await online.stamp(options(cmd), session, revs, Boolean(o.purge))));

  withDatabase(
    program
      .command("log")
      .description("show the audit history: every step, who ran it, when, how long, and failures")
      .option("-n, --limit <n>", "how many rows (newest)", "50")
      .option("--json", 'print {"database", "history": [...]}'),
  ).action(async (o, cmd: Command) => {
    const limit = Number(o.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new RetortError("usage", `Invalid --limit '${o.limit}': give a whole number of rows.`);
    printAs(await online.log(options(cmd), session, limit, Boolean(o.json)), o.json ? "json" : "text");
  });

  withDatabase(
    program
      .command("resolve")
      .description("record what happened to a revision whose run never finished (MySQL/MariaDB, transaction:false)")
      .argument("<rev>", "the unfinished revision")
      .option("--applied", "its statements all took effect (finish it by hand first if needed)")
      .option("--rolled-back", "none of its statements remain (undo them by hand first if needed)"),
  ).action(async (rev: string, o, cmd: Command) => {
    if (Boolean(o.applied) === Boolean(o.rolledBack)) throw new RetortError("usage", "resolve needs exactly one of --applied or --rolled-back.");
    print(await online.resolve(options(cmd), session, rev, Boolean(o.applied)));
  });

  withDatabase(
    program.command("check").description("exit 1 when revisions are pending, the directory has several heads, or applied revisions drifted"),
  ).action(async (_o, cmd: Command) => print(await online.check(options(cmd), session)));

  return program;
}

/** Runs the CLI; returns the exit code instead of exiting so tests can call it in-process. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const output = makeOutput(io, secretsOfInvocation(argv, process.env), process.env);
  const program = buildProgram(output);
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    const debug = argv.includes("--debug");
    if (e instanceof RetortError) {
      output.err(`retort: ${e.message}\n`);
      if (debug && e.stack) output.err(`${e.stack}\n`);
      return RUN_FAILURES.has(e.code) ? EXIT_FAILED : EXIT_USAGE;
    }
    const message = e instanceof Error ? e.message : String(e);
    output.err(`retort: unexpected error: ${message}${debug ? "" : " (run with --debug for the stack trace)"}\n`);
    if (debug && e instanceof Error && e.stack) output.err(`${e.stack}\n`);
    return EXIT_FAILED;
  }
}

/** The target argument, else RETORT_TARGET, else head. An empty RETORT_TARGET is unset, as every
 *  RETORT_* variable is; an empty argument is refused by the resolver (it is never base). */
function targetOf(argument: string | undefined): string {
  return argument ?? (process.env.RETORT_TARGET || "head");
}

/** `--database-url`, else RETORT_DATABASE_URL (commander reads it), else DATABASE_URL. */
function databaseUrlOf(flag: string | undefined): string | undefined {
  return flag || process.env.DATABASE_URL || undefined;
}

/** A command-line word that holds a connection's secret wherever it stands: a URL with a user
 *  (and so maybe a password) or a password parameter, a libpq keyword string with one. */
const SECRET_SHAPED = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#\s]*@|password\s*=/i;

/** Every secret of every database URL retort may have been given (the flag, both variables,
 *  and the libpq variables), known before anything is printed: whatever fails, and wherever
 *  a driver, a database or Alembic quotes one, it never reaches the output. That includes a
 *  URL given where no URL goes (as a target, after a misspelt option): the error that names the
 *  bad value must not name its password. */
function secretsOfInvocation(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string[] {
  const candidates = [env.RETORT_DATABASE_URL, env.DATABASE_URL];
  argv.forEach((a, i) => {
    if (a === "--database-url") candidates.push(argv[i + 1]);
    for (const word of [a, a.slice(a.indexOf("=") + 1)]) if (SECRET_SHAPED.test(word)) candidates.push(word);
  });
  return secretsGiven(candidates, libpqEnv(env));
}
