// Commands that talk to the database: upgrade, downgrade (and their offline --sql), current,
// plan, stamp, log, resolve, check.

import type { Command } from "commander";
import { RetortError } from "../core/errors.js";
import * as online from "../commands/online.js";
import { offlineSqlResult } from "../commands/offline.js";
import type { PlanFormat } from "../report/plan.js";
import { DATABASE_OPTIONS } from "../settings.js";
import { settingOption, type Cli } from "./context.js";
import { targetOf } from "./inputs.js";

/** The options of every command that talks to a database. */
function withDatabase(cmd: Command): Command {
  for (const name of DATABASE_OPTIONS) cmd.addOption(settingOption(name));
  return cmd;
}

export function registerDatabaseCommands(program: Command, cli: Cli): void {
  for (const direction of ["upgrade", "downgrade"] as const) registerMigrate(program, cli, direction);
  registerCurrent(program, cli);
  registerPlan(program, cli);
  registerBookkeeping(program, cli);
}

function registerCurrent(program: Command, cli: Cli): void {
  withDatabase(program.command("current").description("show the database's current revisions").option("--json", 'print {"database", "current": [ids], "drift": [ids]}')).action(
    async (o, cmd: Command) => cli.printAs(await online.current(cli.options(cmd), cli.session, Boolean(o.json)), o.json ? "json" : "text"),
  );
}

function registerMigrate(program: Command, cli: Cli, direction: "upgrade" | "downgrade"): void {
  const up = direction === "upgrade";
  withDatabase(
    program
      .command(direction)
      .description(
        up
          ? "upgrade the database to TARGET (default head); --sql prints the SQL instead (TARGET or FROM:TO)"
          : "downgrade the database to TARGET; --sql prints the SQL instead (FROM:TO)",
      )
      .argument(up ? "[target]" : "<target>", up ? "head, heads, an id, a label, X@head, +N, ...; with --sql also FROM:TO" : "base, an id, -N, X@-N, X@base, ...; with --sql FROM:TO")
      .option("--dry-run", "read the database, print the plan, change nothing")
      .option("--sql", "print the SQL instead of running it (offline mode: no database)")
      .addOption(settingOption("dialect"))
      .option("--transaction-per-revision", "--sql: BEGIN/COMMIT around each revision instead of the whole run")
      .addOption(settingOption("transaction")),
  ).action(async (target: string | undefined, o, cmd: Command) => {
    const t = targetOf(target, cli.inputs);
    if (o.sql) {
      const { sql, incomplete } = await offlineSqlResult(await cli.graphOf(cmd), cli.options(cmd), direction, t, cli.session.log.warn);
      cli.printAs(sql, "sql");
      if (incomplete) throw incomplete;
      return;
    }
    cli.print(await online.migrate(cli.options(cmd), cli.session, direction, t, Boolean(o.dryRun)));
  });
}

function registerPlan(program: Command, cli: Cli): void {
  withDatabase(
    program
      .command("plan")
      .description("what upgrade TARGET would run against the database (default head)")
      .argument("[target]", "upgrade target (default head; also RETORT_TARGET)")
      .addOption(settingOption("format"))
      .option("--comment", "also keep one comment with the plan on the pull/merge request (GitLab CI, or GitHub Actions)")
      .addOption(settingOption("environment"))
      .addOption(settingOption("expectHeads")),
  ).action(async (target: string | undefined, o, cmd: Command) => {
    const t = targetOf(target, cli.inputs);
    const format = o.format as PlanFormat;
    if (o.comment) cli.printAs(await online.planAndComment(cli.options(cmd), cli.session, t, format, o.environment, { ...cli.inputs.env }), format);
    else cli.printAs(await online.plan(cli.options(cmd), cli.session, t, format), format);
  });
}

/** stamp, log, resolve and check: the version table and the history. */
function registerBookkeeping(program: Command, cli: Cli): void {
  withDatabase(
    program
      .command("stamp")
      .description("set the version table to REVS without running any SQL")
      .argument("<revs...>", "revisions (heads, base, ids, labels)")
      .option("--purge", "empty the version table first"),
  ).action(async (revs: string[], o, cmd: Command) => cli.print(await online.stamp(cli.options(cmd), cli.session, revs, Boolean(o.purge))));

  withDatabase(
    program
      .command("log")
      .description("show the audit history: every step, who ran it, when, how long, and failures")
      .addOption(settingOption("limit"))
      .option("--json", 'print {"database", "history": [...]}'),
  ).action(async (o, cmd: Command) => {
    const limit = Number(o.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new RetortError("usage", `Invalid --limit '${o.limit}': give a whole number of rows.`);
    cli.printAs(await online.log(cli.options(cmd), cli.session, limit, Boolean(o.json)), o.json ? "json" : "text");
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
    cli.print(await online.resolve(cli.options(cmd), cli.session, rev, Boolean(o.applied)));
  });

  withDatabase(
    program
      .command("check")
      .description("exit 1 when revisions are pending, the directory has a head nobody intended, or applied revisions drifted")
      .argument("[target]", "what the deploy upgrades to (default head; heads: one head per branch label; also RETORT_TARGET)")
      .addOption(settingOption("expectHeads")),
  ).action(async (target: string | undefined, _o, cmd: Command) => cli.print(await online.check(cli.options(cmd), cli.session, targetOf(target, cli.inputs))));
}
