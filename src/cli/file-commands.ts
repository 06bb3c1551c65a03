// Commands that read only the revision files (and write one): heads, branches, history,
// show, revision, merge.

import type { Command } from "commander";
import { writeRevision } from "../commands/author.js";
import { branchesText, headsJson, headsText, historyJson, historyText, showText } from "../commands/inspect.js";
import { quoted } from "../core/revision.js";
import { collect, type Cli } from "./context.js";

export function registerFileCommands(program: Command, cli: Cli): void {
  registerInspection(program, cli);
  registerAuthoring(program, cli);
}

function registerInspection(program: Command, cli: Cli): void {
  program
    .command("heads")
    .description("show the head revisions (no revision revises them)")
    .option("--json", 'print {"heads": [ids]}')
    .option("--resolve-dependencies", "only heads that no revision depends on either")
    .option("-v, --verbose", "full entries")
    .action(async (o, cmd: Command) => {
      const graph = await cli.graphOf(cmd);
      if (o.json) cli.printJson(headsJson(graph, Boolean(o.resolveDependencies)));
      else cli.print(headsText(graph, { resolveDependencies: Boolean(o.resolveDependencies), verbose: Boolean(o.verbose) }));
    });

  program
    .command("branches")
    .description("show branch points and the revisions they branch into")
    .option("-v, --verbose", "full entries")
    .action(async (o, cmd: Command) => cli.print(branchesText(await cli.graphOf(cmd), Boolean(o.verbose))));

  program
    .command("history")
    .description("list revisions, newest first")
    .option("-r, --rev-range <start:end>", "limit to a range, e.g. base:head, ae10:, :-1")
    .option("-v, --verbose", "full entries")
    .option("--json", 'print {"revisions": [...]}')
    .action(async (o, cmd: Command) => {
      const graph = await cli.graphOf(cmd);
      if (o.json) cli.printJson(historyJson(graph, o.revRange));
      else cli.print(historyText(graph, o.revRange, Boolean(o.verbose)));
    });

  program
    .command("show")
    .description("show one revision (an id, a prefix, a label, head, ...)")
    .argument("<rev>", "revision")
    .action(async (rev: string, _o, cmd: Command) => {
      const text = showText(await cli.graphOf(cmd), rev);
      if (text === "") cli.session.notice(`${quoted(rev)} names no revision (base is before the first one): nothing to show, as with Alembic.`);
      cli.print(text);
    });
}

function registerAuthoring(program: Command, cli: Cli): void {
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
      const path = writeRevision(cli.options(cmd).migrations, {
        message: o.message,
        heads: [o.head],
        branchLabels: o.branchLabel,
        dependsOn: o.dependsOn,
        revId: o.revId,
        splice: Boolean(o.splice),
        isMerge: false,
        source: cli.options(cmd),
      });
      cli.print(`Generating ${path} ...  done`);
    });

  program
    .command("merge")
    .description("write a revision that merges several heads")
    .argument("<revs...>", "revisions to merge, or heads")
    .requiredOption("-m, --message <msg>", "the revision's message")
    .option("--branch-label <label>", "branch label(s) for the merge revision", collect, [])
    .option("--rev-id <id>", "use this id instead of a random one")
    .action((revs: string[], o, cmd: Command) => {
      const path = writeRevision(cli.options(cmd).migrations, {
        message: o.message,
        heads: revs,
        branchLabels: o.branchLabel,
        dependsOn: [],
        revId: o.revId,
        splice: false,
        isMerge: true,
        source: cli.options(cmd),
      });
      cli.print(`Generating ${path} ...  done`);
    });
}
