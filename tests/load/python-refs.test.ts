// References instead of literals in revision files (src/load/python-refs.ts): module-level
// constants of the same file and of the project's modules are read statically; what only
// Python can tell is left for Alembic (with `defer`) or is one error naming the file, line
// and expression.

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RetortError } from "../../src/core/errors.js";
import { parseAlembicScript, type AlembicScript } from "../../src/load/alembic-script.js";
import { loadGraph } from "../../src/load/directory.js";
import { ModuleResolver } from "../../src/load/python-refs.js";
import { retortErrorOf } from "../helpers.js";

const NEUTRON = "tests/fixtures/alembic-graph-neutron";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "retort-python-refs-"));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

function parse(text: string, defer = false): AlembicScript {
  return parseAlembicScript(text, "versions/x.py", "x.py", { modules: new ModuleResolver([root]), defer });
}

const HEAD = "revision = 'b2'\n";

describe("references to constants of the same file", () => {
  it("reads a name assigned a literal (or another name) at module level before its use", () => {
    const s = parse(`BASE = 'a1'\nPARENT = BASE\n${HEAD}down_revision = PARENT\nLABELS = ('x', "y")\nbranch_labels = LABELS\n`);
    expect(s).toMatchObject({ id: "b2", downRevisions: ["a1"], branchLabels: ["x", "y"] });
    expect(s.unresolved).toBeUndefined();
  });

  it("takes the binding in effect on the line that uses it, as Python does", () => {
    expect(parse(`P = 'a1'\n${HEAD}down_revision = P\nP = 'zz'\n`).downRevisions).toEqual(["a1"]);
    expect(parse(`P = 'a1'\nP = 'a2'\n${HEAD}down_revision = P\n`).downRevisions).toEqual(["a2"]);
    expect(parse(`P = 'a1'; ${HEAD}down_revision = P; P = 'zz'\n`).downRevisions).toEqual(["a1"]);
    // A statement's own name is not bound yet where its value is read.
    expect(parse(`P = P\n${HEAD}down_revision = P\n`, true).unresolved?.[0]?.why).toMatch(/'P' is not assigned at module level before it is used/);
    // A name inside a function is local; it does not rebind the module's.
    expect(parse(`P = 'a1'\ndef f():\n    P = 'no'\n${HEAD}down_revision = P\n`).downRevisions).toEqual(["a1"]);
  });

  it("leaves for Alembic what only Python can tell, saying why", () => {
    const cases: [string, RegExp][] = [
      [`${HEAD}down_revision = P\nP = 'a1'\n`, /'P' is not assigned at module level before it is used/],
      [`if True:\n    P = 'a1'\n${HEAD}down_revision = P\n`, /'P' is bound in a way retort does not follow \(line 2\)/],
      [`P = 'a1'\nP += 'x'\n${HEAD}down_revision = P\n`, /bound in a way retort does not follow/],
      [`P = 'a1'\n(P, Q) = 'b', 'c'\n${HEAD}down_revision = P\n`, /bound in a way retort does not follow/],
      [`P = 'a1'\nfor P in ['b']: pass\n${HEAD}down_revision = P\n`, /bound in a way retort does not follow/],
      [`P = 'a1'\ntry:\n    from x import P\nexcept ImportError:\n    pass\n${HEAD}down_revision = P\n`, /bound in a way retort does not follow/],
      [`def P():\n    return 'a1'\n${HEAD}down_revision = P\n`, /bound in a way retort does not follow/],
      [`P = 'a1'\nfrom os import *\n${HEAD}down_revision = P\n`, /may come from an 'import \*'/],
      [`${HEAD}down_revision = make('a1')\n`, /it calls a function/],
      [`${HEAD}down_revision = 'a' + '1'\n`, /it computes a value/],
      [`${HEAD}down_revision = None if 1 else ('a1',)\n`, /it computes a value/],
      [`X = 'a1'\n${HEAD}down_revision = f"{X}"\n`, /it is an f-string/],
      [`${HEAD}down_revision = True\n`, /'True' is not assigned/],
    ];
    for (const [text, why] of cases) {
      const s = parse(text, true);
      expect(s.unresolved, text).toHaveLength(1);
      expect(s.unresolved![0], text).toMatchObject({ variable: "down_revision", line: text.split("\n").findIndex((l) => l.startsWith("down_revision")) + 1 });
      expect(s.unresolved![0]!.why, text).toMatch(why);
      expect(s.downRevisions).toEqual([]);
    }
  });

  it("without defer, one error naming the file, line, expression and what to do", () => {
    const e = retortErrorOf(() => parse(`${HEAD}down_revision = make_parent()\n`));
    expect(e.message).toBe(
      "versions/x.py:2: cannot read the value of 'down_revision' without running Python: make_parent() (it calls a function). To fix, write the value " +
        "as a literal (a string, a tuple/list of strings, or None) or a name assigned one at module level (here or in a module of the project), or make " +
        "Alembic available (--alembic-command) so that retort reads the graph through Alembic",
    );
    expect(e.location).toEqual({ file: "versions/x.py", line: 2 });
  });

  it("checks a resolved value as a literal one", () => {
    expect(retortErrorOf(() => parse(`L = 'has space'\n${HEAD}down_revision = None\nbranch_labels = (L,)\n`)).message).toMatch(
      /versions\/x\.py:4: in 'branch_labels': branch label 'has space' contains white space/,
    );
    expect(retortErrorOf(() => parse(`R = None\nrevision = R\ndown_revision = None\n`)).message).toMatch(/'revision' must be a string literal/);
  });
});

describe("references to modules of the project", () => {
  beforeEach(() => {
    write("pkg/__init__.py", "");
    write("pkg/db/__init__.py", "NAME_IN_INIT = 'init'\n");
    write("pkg/db/cli.py", "import os\nEXPAND = 'expand'\nALIAS = EXPAND\nclass Branches:\n    EXPAND = 'nested'\n");
  });

  it("follows import, import as, from-import of a module and of a name", () => {
    const forms: [string, string][] = [
      ["from pkg.db import cli", "cli.EXPAND"],
      ["import pkg.db.cli", "pkg.db.cli.EXPAND"],
      ["import pkg.db.cli as c", "c.ALIAS"],
      ["from pkg.db.cli import EXPAND", "EXPAND"],
      ["from pkg.db.cli import ALIAS as A", "A"],
      ["from pkg import db", "db.cli.EXPAND"],
    ];
    for (const [imp, ref] of forms) {
      const s = parse(`${imp}\n${HEAD}down_revision = None\nbranch_labels = (${ref},)\n`);
      expect(s.branchLabels, imp).toEqual(["expand"]);
    }
    expect(parse(`from pkg.db import NAME_IN_INIT\n${HEAD}down_revision = None\nbranch_labels = NAME_IN_INIT\n`).branchLabels).toEqual(["init"]);
  });

  it("leaves for Alembic a module outside the project, an attribute of a class, a module itself", () => {
    const cases: [string, RegExp][] = [
      ["from elsewhere import cli\nL = cli.EXPAND", /module 'elsewhere\.cli' is not a \.py file of the project/],
      ["from pkg.db import cli\nL = cli.Branches.EXPAND", /is an attribute of a value/],
      ["from pkg.db import cli\nL = cli", /is a module, not a string/],
      ["from pkg.db import cli\nL = cli.MISSING", /'MISSING' is not assigned at module level/],
    ];
    for (const [lines, why] of cases) {
      const s = parse(`${lines}\n${HEAD}down_revision = None\nbranch_labels = (L,)\n`, true);
      expect(s.unresolved?.[0]?.why, lines).toMatch(why);
    }
  });

  it("gives up on modules that import each other's names in a circle", () => {
    write("pkg/a.py", "from pkg.b import Y as X\n");
    write("pkg/b.py", "from pkg.a import X as Y\n");
    const s = parse(`from pkg.a import X\n${HEAD}down_revision = None\nbranch_labels = X\n`, true);
    expect(s.unresolved?.[0]?.why).toMatch(/in a circle/);
  });

  it("does not follow a module file linked from outside its search root", () => {
    const outside = mkdtempSync(join(tmpdir(), "retort-python-refs-outside-"));
    try {
      writeFileSync(join(outside, "secret.py"), "TOKEN = 'leaked'\n");
      symlinkSync(join(outside, "secret.py"), join(root, "pkg", "secret.py"));
      const s = parse(`from pkg.secret import TOKEN\n${HEAD}down_revision = None\nbranch_labels = TOKEN\n`, true);
      expect(s.unresolved?.[0]?.why).toMatch(/module 'pkg\.secret' is not a \.py file of the project/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe("a neutron-like project (tests/fixtures/alembic-graph-neutron)", () => {
  it("finds the package above the ini's folder and reads every reference statically", () => {
    const graph = loadGraph(NEUTRON, join(NEUTRON, "quark/db/migration/alembic.ini"));
    const labels = (id: string) => [...graph.labelsOf(graph.nodeOf(id)!)].sort();
    expect(graph.ids(graph.heads).sort()).toEqual(["4ffceebfada", "52c5312f6baf"]);
    expect(labels("52c5312f6baf")).toEqual(["expand"]);
    expect(labels("4ffceebfada")).toEqual(["contract"]);
    expect(graph.revisions.find((r) => r.id === "4ffceebfada")).toMatchObject({ downRevisions: ["30018084ec99"], dependsOn: ["52c5312f6baf"] });
    expect(graph.revisions.find((r) => r.id === "kilo")).toMatchObject({ downRevisions: [] });
  });

  it("finds the package from the ini's folder too (where alembic is run), up to the project's marker", () => {
    const project = { iniPath: join(root, "app/db/migration/alembic.ini"), scriptLocation: join(root, "app/db/migration/alembic_migrations"), root: join(root, "app/db/migration") };
    write("setup.cfg", "");
    const fromIniFolder = ModuleResolver.forProject(project, join(root, "app/db/migration"));
    const fromElsewhere = ModuleResolver.forProject(project, tmpdir());
    for (const resolver of [fromIniFolder, fromElsewhere]) {
      expect((resolver as unknown as { roots: string[] }).roots).toEqual([
        join(root, "app/db/migration"),
        join(root, "app/db/migration/alembic_migrations"),
        join(root, "app/db"),
        join(root, "app"),
        root,
      ]);
    }
  });

  it("takes prepend_sys_path entries as search roots, from the ini's folder", () => {
    write("alembic.ini", "[alembic]\nscript_location = %(here)s/db\nprepend_sys_path = src\n");
    write("db/env.py", "");
    write("src/app/consts.py", "ROOT = 'r00t'\n");
    write("db/versions/r00t.py", "from app.consts import ROOT\nrevision = ROOT\ndown_revision = None\n");
    expect(loadGraph(root).revisions.map((r) => r.id)).toEqual(["r00t"]);
  });

  it("an undecidable value is an error for the static loader", () => {
    const e = retortErrorOf(() => loadGraph("tests/fixtures/alembic-graph-computed"));
    expect(e).toBeInstanceOf(RetortError);
    expect(e.message).toMatch(/c9f8e7d6b5a4_reports_branch\.py:12: cannot read the value of 'branch_labels' without running Python: \(labels\.label\("reports"\),\) \(it calls a function\)/);
  });
});
