// The revision graph, with Alembic's help where the static reader cannot decide a value. Every
// command loads its graph here: native revisions and Alembic revisions whose values are
// literals (or references python-refs.ts resolves) never start Python. When a revision file
// still holds a value only Python can tell (`branch_labels = (make_label(),)`), retort asks
// Alembic itself: the bootstrap (bootstrap.ts, GRAPH_COMMAND) builds Alembic's ScriptDirectory
// from the project's config, offline (a placeholder URL, the allow-listed environment of env.ts,
// env.py not run) and reports what each revision module holds; those values go through the
// same checks as static ones. Loading the graph this way imports the revision modules: the
// pull request's code runs, as it does to render SQL.

import { RetortError } from "../core/errors.js";
import { RevisionGraph } from "../core/graph.js";
import type { Revision } from "../core/revision.js";
import { readAlembicRevisions, alembicRevision, type DeferredScript } from "../load/alembic-files.js";
import { UNDECIDABLE_FIX, withAlembicAnswer, type AlembicAnswer } from "../load/alembic-script.js";
import { checkLoaded, detectSource, sourceGraph, type AlembicSource, type SourceOptions } from "../load/directory.js";
import type { Options } from "../options.js";
import type { AlembicRunner } from "./run.js";

/** One revision module as Alembic's Script loaded it. */
interface AlembicScriptAnswer extends AlembicAnswer {
  readonly path: string;
}

/** The graph of the migrations `options` name (load/directory.ts detectSource); `notice` gets
 *  the one line saying that Alembic was asked, and why, `warn` hears of revision files left
 *  unread. */
export async function loadGraphWith(
  options: SourceOptions & Pick<Options, "alembicCommand" | "alembicEnv">,
  report: { readonly notice: (line: string) => void; readonly warn: (line: string) => void },
): Promise<RevisionGraph> {
  const source = detectSource(options);
  if (source.kind === "native") return sourceGraph(source, report.warn);
  const { revisions, deferred } = readAlembicRevisions(source, true);
  checkLoaded(source, revisions, report.warn);
  if (deferred.length === 0) return RevisionGraph.build(revisions);
  const runner: AlembicRunner = {
    command: options.alembicCommand,
    iniPath: source.iniPath,
    scriptLocation: source.scriptLocation,
    passEnv: options.alembicEnv,
    ...(source.mainOptions ? { mainOptions: source.mainOptions } : {}),
  };
  const answers = await askAlembic(runner, deferred[0]!);
  const first = deferred[0]!.script;
  const u = first.unresolved![0]!;
  const more = deferred.reduce((n, d) => n + d.script.unresolved!.length, 0) - 1;
  report.notice(
    `read the revision graph through Alembic: ${first.path}:${u.line}: ${u.variable} = ${u.expression} cannot be read statically (${u.why})` +
      (more > 0 ? `, and ${more} more value(s)` : ""),
  );
  return RevisionGraph.build(merged(source, revisions, deferred, answers));
}

/** `revisions` with each deferred script's values from Alembic's answer for its file. */
function merged(source: AlembicSource, revisions: readonly Revision[], deferred: readonly DeferredScript[], answers: ReadonlyMap<string, AlembicScriptAnswer>): Revision[] {
  const out = [...revisions];
  for (const d of deferred) {
    const answer = answers.get(d.file);
    if (!answer) {
      const u = d.script.unresolved![0]!;
      throw new RetortError(
        "revision-file",
        `${d.script.path}:${u.line}: Alembic did not load this file (its version locations differ from what retort read), so ` +
          `'${u.variable} = ${u.expression}' cannot be read. To fix, ${UNDECIDABLE_FIX}.`,
        { location: { file: d.script.path, line: u.line } },
      );
    }
    out[d.index] = alembicRevision(source, withAlembicAnswer(d.script, answer), revisions[d.index]!.alembic!.text);
  }
  return out;
}

/** Alembic's answer, by real path; an Alembic that cannot run or load the project is one error
 *  naming the first value that needed it. */
async function askAlembic(runner: AlembicRunner, first: DeferredScript): Promise<Map<string, AlembicScriptAnswer>> {
  const u = first.script.unresolved![0]!;
  try {
    return await alembicScripts(runner);
  } catch (e) {
    if (!(e instanceof RetortError)) throw e;
    throw new RetortError(
      "revision-file",
      `${first.script.path}:${u.line}: cannot read '${u.variable} = ${u.expression}' statically (${u.why}), and Alembic could not be asked ` +
        `for the graph: ${e.message.replace(/\.?$/, ".")} To fix, ${UNDECIDABLE_FIX}.`,
      { location: { file: first.script.path, line: u.line } },
    );
  }
}

/** What Alembic's ScriptDirectory loads from every revision module of the project, by the
 *  module's real path (offline, through the bootstrap's graph command). */
export async function alembicScripts(runner: AlembicRunner, limits: { readonly timeoutMs?: number } = {}): Promise<Map<string, AlembicScriptAnswer>> {
  // Loaded only when Alembic is asked: graph commands on literal values never load the runner.
  const { runAlembic } = await import("./run.js");
  const { GRAPH_COMMAND } = await import("./bootstrap.js");
  let scripts: readonly unknown[] | null = null;
  try {
    await runAlembic(runner, { mode: "offline", dialect: "postgresql" }, [GRAPH_COMMAND], {
      ...limits,
      onEvent: (event) => {
        if (event.e === "graph") scripts = event.scripts;
      },
    });
  } catch (e) {
    if (!(e instanceof RetortError)) throw e;
    throw new RetortError(e.code, e.message.replace(new RegExp(`^alembic ${GRAPH_COMMAND}(?: failed)?: `), "Alembic failed to load the revisions: "), { cause: e });
  }
  if (scripts === null) throw new RetortError("migration-failed", "Alembic gave no answer.");
  const answers = new Map<string, AlembicScriptAnswer>();
  for (const s of scripts as readonly unknown[]) {
    if (typeof s === "object" && s !== null && typeof (s as { path?: unknown }).path === "string") answers.set((s as AlembicScriptAnswer).path, s as AlembicScriptAnswer);
  }
  return answers;
}
