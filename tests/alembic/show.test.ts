// `show`, `history -v`, `heads -v` and `branches -v` print Alembic's Script.log_entry byte for
// byte (compared with Debian's Alembic 1.8.1): `Path:` (absolute, as Alembic's), an empty line, then the whole module
// docstring with every line indented four spaces, for docstrings of every shape. A native
// revision prints its header block as the docstring of the equivalent Python revision.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { renderRevisionFile } from "../../src/load/native.js";
import { alembicAvailable as available, PYTHON } from "../alembic-kit.js";

/** Alembic prints labels and the children of a branch point from Python sets (their order
 *  changes with the hash seed): compare those lists, and the ` -> ` lines of `branches`, as sets. */
const asSets = (text: string) =>
  text
    .replace(/^(Branches into|Branch names): (.*)$/gm, (_, key: string, list: string) => `${key}: ${list.split(", ").sort().join(", ")}`)
    .replace(/\(([^()]*, [^()]*)\)/g, (_, inner: string) => `(${inner.split(", ").sort().join(", ")})`)
    .replace(/(?:^ +-> .*\n)+/gm, (run) => run.split("\n").filter(Boolean).sort().map((l) => `${l}\n`).join(""));

/** Alembic's output of each command in `root` (one Python for all: its start is most of the
 *  time). */
function alembic(root: string, commands: readonly (readonly string[])[]): string[] {
  const script = [
    "import json, sys",
    "from alembic.config import main",
    "for argv in json.loads(sys.argv[1]):",
    "    main(argv=argv, prog='alembic')",
    "    sys.stdout.write('\\0')",
  ].join("\n");
  const out = execFileSync(PYTHON, ["-c", script, JSON.stringify(commands)], {
    cwd: root,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  }).toString();
  return out.split("\0").slice(0, commands.length);
}

/** retort's output on the project `root`. */
async function retort(root: string, ...args: string[]): Promise<string> {
  let out = "";
  let err = "";
  const code = await main(["--migrations", root, ...args], { out: (t) => (out += t), err: (t) => (err += t) });
  expect(code, err).toBe(0);
  return out;
}

const COMMANDS = [
  ["history", "-v"],
  ["history", "--verbose", "-r", "base:heads"],
  ["heads", "-v"],
  ["branches", "-v"],
  ["show", "heads"],
];

describe.runIf(available || process.env.CI)("show and history -v, as Alembic prints them", () => {
  const fixtures = {
    "alembic-show-docs": [
      ["show", "1a2b3c4d5e6f"], // branch point; a multi-paragraph docstring, indented lines, a tab
      ["show", "2b3c"], // a docstring of white space only
      ["show", "3c4d5e6f7081"], // no docstring; a branch label
      ["show", "4d5e6f708192"], // merge point and branch point; ''' quotes
      ["show", "5e6f708192a3"], // escapes, concatenated literals, Python's other line boundaries; depends_on
      ["show", "lending"],
      ["history", "-v", "-r", "2b3c4d5e6f70:4d5e6f708192"],
      ["history", "-v", "-r", "3c4d5e6f7081:"],
    ],
    "alembic-tutorial": [["show", "b1bc43e2f536"]],
    "alembic-branches": [["history", "-v", "-r", ":e08f6d2c4b97"]],
  };
  for (const [fixture, extra] of Object.entries(fixtures)) {
    it(`${fixture}: the full entries equal Alembic's, byte for byte`, async () => {
      const root = join("tests/fixtures", fixture);
      const commands = [...COMMANDS, ...extra];
      const theirs = alembic(root, commands);
      for (const [i, command] of commands.entries()) {
        if (command[0] !== "branches") expect(theirs[i], command.join(" ")).toMatch(/^Rev: /m);
        expect(asSets(await retort(root, ...command)), command.join(" ")).toBe(asSets(theirs[i]!));
      }
    });
  }

  it("show base prints nothing and succeeds, as Alembic's does, and says why on stderr", async () => {
    const root = join("tests/fixtures", "alembic-show-docs");
    expect(alembic(root, [["show", "base"]])).toEqual([""]);
    let out = "";
    let err = "";
    expect(await main(["--migrations", root, "show", "base"], { out: (t) => (out += t), err: (t) => (err += t) })).toBe(0);
    expect(out).toBe("");
    expect(err).toBe("retort: 'base' names no revision (base is before the first one): nothing to show, as with Alembic.\n");
  });

  it("the empty and the missing docstring give an empty line, not four spaces", async () => {
    const out = await retort("tests/fixtures/alembic-show-docs", "show", "2b3c4d5e6f70");
    const path = resolve("tests/fixtures/alembic-show-docs/migrations/versions/2b3c4d5e6f70_empty_docstring.py");
    expect(out).toBe(`Rev: 2b3c4d5e6f70\nParent: 1a2b3c4d5e6f\nPath: ${path}\n\n\n\n`);
  });

  describe("a native revision prints its header as the docstring of the equivalent Python revision", () => {
    const dir = mkdtempSync(join(tmpdir(), "retort-show-native-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const native = join(dir, "native");
    const python = join(dir, "python");
    mkdirSync(native);
    mkdirSync(join(python, "versions"), { recursive: true });
    writeFileSync(join(python, "alembic.ini"), "[alembic]\nscript_location = .\n");
    writeFileSync(join(python, "env.py"), "raise SystemExit('not run')\n");
    writeFileSync(join(python, "script.py.mako"), "");
    // A base with the template's header, and a revision with free text between its message and
    // its keys, as the Python file would have them in its docstring.
    writeFileSync(
      join(native, "a1b2c3d4e5f6_base.sql"),
      renderRevisionFile({ id: "a1b2c3d4e5f6", message: "create base", downRevisions: [], createDate: "2026-10-01 10:00:00.000000", upgrade: "SELECT 1;" }),
    );
    writeFileSync(
      join(native, "b2c3d4e5f6a7_notes.sql"),
      [
        "-- Add notes",
        "--",
        "-- Notes keep a history;",
        "--   indented by two, after the marker's space.",
        "--",
        "-- Revision ID: b2c3d4e5f6a7",
        "-- Revises: a1b2c3d4e5f6",
        "-- Create Date: 2026-10-02 10:00:00.000000",
        "",
        "-- migrate:upgrade",
        "SELECT 2;",
        "",
      ].join("\n"),
    );
    const py = (id: string, down: string | null, doc: string) =>
      writeFileSync(
        join(python, "versions", `${id}_x.py`),
        `"""${doc}"""\nrevision = ${JSON.stringify(id)}\ndown_revision = ${down === null ? "None" : JSON.stringify(down)}\n`,
      );
    // The base's Revises line is empty: Alembic's template writes "Revises: " there, a native
    // header has the line without its trailing space.
    py("a1b2c3d4e5f6", null, "create base\n\nRevision ID: a1b2c3d4e5f6\nRevises:\nCreate Date: 2026-10-01 10:00:00.000000\n\n");
    py(
      "b2c3d4e5f6a7",
      "a1b2c3d4e5f6",
      "Add notes\n\nNotes keep a history;\n  indented by two, after the marker's space.\n\nRevision ID: b2c3d4e5f6a7\nRevises: a1b2c3d4e5f6\nCreate Date: 2026-10-02 10:00:00.000000\n",
    );

    it("show and history -v equal Alembic's for the twin project, apart from the path", async () => {
      const path = (text: string) => text.replace(/^Path: .*$/gm, "Path: <file>");
      const commands = [["history", "-v"], ["show", "b2c3"], ["show", "a1b2c3d4e5f6"]];
      const theirs = alembic(python, commands);
      for (const [i, command] of commands.entries()) {
        expect(path(await retort(native, ...command)), command.join(" ")).toBe(path(theirs[i]!));
      }
    });
  });
});
