// The graph through Alembic (src/alembic/graph.ts), where the static reader cannot decide a
// value, compared with the real Alembic (Debian's 1.8.1): the same heads, history and branches
// as `alembic heads|history|branches`, one note saying Alembic was asked and why, and on the
// fixtures the static reader reads, the same values whichever way they are read. Without
// Alembic, one clear error.

import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { alembicScripts } from "../../src/alembic/graph.js";
import { main } from "../../src/cli/main.js";
import { historyJson } from "../../src/commands/inspect.js";
import { RevisionGraph } from "../../src/core/graph.js";
import { alembicRevision, listAlembicScripts, readAlembicRevisions } from "../../src/load/alembic-files.js";
import { parseAlembicScript, withAlembicAnswer } from "../../src/load/alembic-script.js";
import { detectSource, loadGraph, type AlembicSource } from "../../src/load/directory.js";
import { ModuleResolver } from "../../src/load/python-refs.js";
import { ALEMBIC_COMMAND as ALEMBIC, alembicAvailable as available, PYTHON } from "../alembic-kit.js";

const NEUTRON = "tests/fixtures/alembic-graph-neutron";
const NEUTRON_INI = join(NEUTRON, "quark/db/migration/alembic.ini");
const COMPUTED = "tests/fixtures/alembic-graph-computed";

/** Alembic prints labels and a branch point's children in Python set order, and 1.8.1 lists
 *  heads in directory order (current Alembic, and retort, sort the files): compare as sets. */
const sortLabels = (text: string, command: readonly string[] = []) =>
  (command[0] === "heads" ? text.split("\n").filter(Boolean).sort().map((l) => `${l}\n`).join("") : text)
    .replace(/\(([^()]*, [^()]*)\)/g, (_, inner: string) => `(${inner.split(", ").sort().join(", ")})`)
    .replace(/(?:^ +-> .*\n)+/gm, (run) => run.split("\n").filter(Boolean).sort().map((l) => `${l}\n`).join(""));

/** Alembic 1.8.1 itself, in `cwd`. */
function alembic(cwd: string, ...args: string[]): string {
  return execFileSync(PYTHON, ["-m", "alembic", ...args], { cwd, env: { ...process.env }, stdio: ["ignore", "pipe", "pipe"] }).toString();
}

async function retort(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

const runnerOf = (source: AlembicSource) => ({ command: ALEMBIC.split(" "), iniPath: source.iniPath, scriptLocation: source.scriptLocation, passEnv: [] });

describe.runIf(available || process.env.CI)("the graph through Alembic", () => {
  const saved = { ...process.env };
  beforeAll(() => {
    process.env.PYTHONDONTWRITEBYTECODE = "1";
    // quark's package is installed nowhere: Python finds it as an installed project would be.
    process.env.PYTHONPATH = resolve(NEUTRON);
  });
  afterAll(() => {
    for (const name of ["PYTHONDONTWRITEBYTECODE", "PYTHONPATH"]) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it("neutron-like references: the static reader and Alembic give the same values, so the same graph", async () => {
    const source = detectSource(NEUTRON, NEUTRON_INI) as AlembicSource;
    const answers = await alembicScripts(runnerOf(source));
    const files = listAlembicScripts(source);
    expect([...answers.keys()].sort()).toEqual([...files].sort());
    const statically = loadGraph(NEUTRON, NEUTRON_INI);
    // Every value taken from Alembic instead, through the same checks.
    const all = ["revision", "down_revision", "branch_labels", "depends_on"] as const;
    const viaAlembic = RevisionGraph.build(
      statically.revisions.map((r, i) => {
        const script = parseAlembicScript(r.alembic!.text, r.path, files[i]!.split("/").pop()!, { modules: ModuleResolver.forProject(source), defer: true });
        const answer = answers.get(files[i]!)!;
        const unresolved = all.filter((v) => v in answer).map((variable) => ({ variable, line: 1, expression: variable, why: "test" }));
        return alembicRevision(source, withAlembicAnswer({ ...script, unresolved }, answer), r.alembic!.text);
      }),
    );
    expect(historyJson(viaAlembic, undefined)).toEqual(historyJson(statically, undefined));
    for (const command of [["heads"], ["history"], ["branches"]]) {
      const ours = await retort("--migrations", NEUTRON, "--alembic-config", NEUTRON_INI, "--alembic-command", "/nonexistent/python3 -m alembic", ...command);
      // No Python was needed (the command names none that exists).
      expect(ours, command.join(" ")).toMatchObject({ code: 0, err: "" });
      expect(sortLabels(ours.out, command), command.join(" ")).toBe(sortLabels(alembic(dirname(NEUTRON_INI), ...command), command));
    }
  });

  it("computed values: heads, history and branches equal Alembic's, with one note naming what needed it", async () => {
    for (const command of [["heads"], ["history"], ["branches"], ["heads", "--resolve-dependencies"]]) {
      const ours = await retort("--migrations", COMPUTED, "--alembic-command", ALEMBIC, ...command);
      expect(ours.code, ours.err).toBe(0);
      expect(sortLabels(ours.out, command), command.join(" ")).toBe(sortLabels(alembic(COMPUTED, ...command), command));
      expect(ours.err).toBe(
        "retort: read the revision graph through Alembic: tests/fixtures/alembic-graph-computed/migrations/versions/c9f8e7d6b5a4_reports_branch.py:12: " +
          'branch_labels = (labels.label("reports"),) cannot be read statically (it calls a function), and 1 more value(s)\n',
      );
    }
    const graph = readAlembicRevisions(detectSource(COMPUTED) as AlembicSource, true);
    expect(graph.deferred.map((d) => d.script.unresolved!.map((u) => [u.variable, u.line, u.expression]))).toEqual([
      [["branch_labels", 12, '(labels.label("reports"),)']],
      [["revision", 8, '"d4e5f6" + "a7b8c9"']],
    ]);
  });

  describe("failures", () => {
    let tmp: string;
    beforeEach(() => {
      tmp = mkdtempSync(join(tmpdir(), "retort-alembic-graph-"));
    });
    afterEach(() => rmSync(tmp, { recursive: true, force: true }));

    it("without Alembic: one error naming the file, line, expression and what to do", async () => {
      for (const command of ["/nonexistent/bin/python3 -m alembic", "alembic-that-is-not-installed"]) {
        const r = await retort("--migrations", COMPUTED, "--alembic-command", command, "heads");
        expect(r.code, command).toBe(2);
        expect(r.out).toBe("");
        expect(r.err.split("\n")).toHaveLength(2);
        expect(r.err).toMatch(
          /^retort: tests\/fixtures\/alembic-graph-computed\/migrations\/versions\/c9f8e7d6b5a4_reports_branch\.py:12: cannot read 'branch_labels = \(labels\.label\("reports"\),\)' statically \(it calls a function\), and Alembic could not be asked for the graph: /,
        );
        expect(r.err).toMatch(/To fix, write the value as a literal .* or make Alembic available \(--alembic-command\)/);
      }
    });

    it("a module Alembic cannot import, and a value Alembic reads as no string, are errors naming the file", async () => {
      const dir = join(tmp, "p");
      cpSync(COMPUTED, dir, { recursive: true });
      const file = join(dir, "migrations/versions/d4e5f6a7b8c9_report_columns.py");
      writeFileSync(file, `revision = "d4e5f6" + "a7b8c9"\ndown_revision = "c9f8e7d6b5a4"\nbranch_labels = (1 + 1,)\n`);
      const wrongType = await retort("--migrations", dir, "--alembic-command", ALEMBIC, "heads");
      expect(wrongType.code).toBe(2);
      expect(wrongType.err).toMatch(/d4e5f6a7b8c9_report_columns\.py:3: 'branch_labels = \(1 \+ 1,\)' gives int 2 when Alembic imports the file/);
      writeFileSync(file, `import not_a_module_anywhere\nrevision = "d4e5f6" + "a7b8c9"\ndown_revision = "c9f8e7d6b5a4"\n`);
      const broken = await retort("--migrations", dir, "--alembic-command", ALEMBIC, "heads");
      expect(broken.code).toBe(2);
      expect(broken.err).toMatch(/Alembic failed to load the revisions: ModuleNotFoundError: No module named 'not_a_module_anywhere'/);
      expect(broken.err).not.toMatch(/Traceback/);
    });
  });
});
