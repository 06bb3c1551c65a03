// The command-line front end: argv → Options → command → stdout, and errors → one line on
// stderr with an exit code (0 success, 1 a migration or check failed, 2 bad input or usage).

import { Command, CommanderError, Option } from "commander";
import { RetortError } from "../core/errors.js";
import type { RevisionGraph } from "../core/graph.js";
import { loadGraph } from "../load/directory.js";
import { makeOptions, type Options, DEFAULT_MIGRATIONS } from "../options.js";
import { writeRevision } from "../commands/author.js";
import { branchesText, headsJson, headsText, historyJson, historyText, showText } from "../commands/inspect.js";
import { offlineSql } from "../commands/offline.js";
import { DIALECTS } from "../core/sql.js";

declare const RETORT_VERSION: string | undefined;
const VERSION = typeof RETORT_VERSION === "string" ? RETORT_VERSION : "0.0.0-dev";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const collect = (value: string, previous: string[]) => [...previous, ...value.split(",").map((s) => s.trim()).filter(Boolean)];

function buildProgram(io: Io): Command {
  const program = new Command("retort");
  program
    .description("Alembic-compatible database migrations for CI/CD.")
    .version(VERSION, "-V, --version", "print the version")
    .addOption(
      new Option("--migrations <dir>", "directory of revision files").env("RETORT_MIGRATIONS").default(DEFAULT_MIGRATIONS),
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
      dialect: o.dialect,
      versionTable: o.versionTable,
      versionSchema: o.versionSchema,
      transactionPerRevision: o.transactionPerRevision,
    });
  };
  const graphOf = (cmd: Command): RevisionGraph => loadGraph(options(cmd).migrations);
  const print = (text: string) => {
    if (text !== "") io.out(text.endsWith("\n") ? text : `${text}\n`);
  };
  const printJson = (value: unknown) => io.out(`${JSON.stringify(value, null, 2)}\n`);

  program
    .command("heads")
    .description("show the head revisions (no revision revises them)")
    .option("--json", 'print {"heads": [ids]}')
    .option("--resolve-dependencies", "only heads that no revision depends on either")
    .option("-v, --verbose", "full entries")
    .action((o, cmd: Command) => {
      const graph = graphOf(cmd);
      if (o.json) printJson(headsJson(graph, Boolean(o.resolveDependencies)));
      else print(headsText(graph, Boolean(o.resolveDependencies), Boolean(o.verbose)));
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
    program
      .command(direction)
      .description(
        direction === "upgrade"
          ? "print the SQL of an upgrade (--sql): TARGET from an empty database, or FROM:TO"
          : "print the SQL of a downgrade (--sql): FROM:TO",
      )
      .argument("<target>", direction === "upgrade" ? "TARGET or FROM:TO, e.g. head, base:ae10, ae10:+2" : "FROM:TO, e.g. head:-1, 53ff:base")
      .option("--sql", "print the SQL instead of running it (offline mode)")
      .addOption(new Option("--dialect <name>", "SQL flavour").choices(DIALECTS).default("postgresql"))
      .option("--version-table <name>", "version table name", "alembic_version")
      .option("--version-schema <name>", "schema of the version table")
      .option("--transaction-per-revision", "BEGIN/COMMIT around each revision instead of the whole run")
      .action((target: string, o, cmd: Command) => {
        if (!o.sql) {
          throw new RetortError(
            "usage",
            `${direction} against a database is not available in this version: retort cannot connect to databases yet. ` +
              `Use '${direction} ${target} --sql' to print the SQL.`,
          );
        }
        print(offlineSql(graphOf(cmd), options(cmd), direction, target));
      });
  }

  return program;
}

/** Runs the CLI; returns the exit code instead of exiting so tests can call it in-process. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    const debug = argv.includes("--debug");
    if (e instanceof RetortError) {
      io.err(`retort: ${e.message}\n`);
      if (debug && e.stack) io.err(`${e.stack}\n`);
      return EXIT_USAGE;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.err(`retort: unexpected error: ${message}${debug ? "" : " (run with --debug for the stack trace)"}\n`);
    if (debug && e instanceof Error && e.stack) io.err(`${e.stack}\n`);
    return EXIT_FAILED;
  }
}
