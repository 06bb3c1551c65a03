import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RetortError, RevisionFileError } from "../../src/core/errors.js";
import { GraphError } from "../../src/core/graph.js";
import { alembicRunnerFor } from "../../src/alembic/render.js";
import { planUpgrade } from "../../src/core/plan.js";
import { detectSource, loadGraph, sourceGraph } from "../../src/load/directory.js";
import { listRevisionFiles, loadRevisions } from "../../src/load/native-files.js";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "retort-directory-test-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (relative path -> content) under the temp directory. */
function write(files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const full = join(dir, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
}

/** A valid revision file. */
function revision(id: string, revises: string[] = [], message = `revision ${id}`): string {
  return (
    `-- ${message}\n--\n-- Revision ID: ${id}\n-- Revises: ${revises.join(", ")}\n` +
    `-- Create Date: 2024-04-01 17:18:00.000000\n\n-- migrate:upgrade\nSELECT '${id}';\n\n-- migrate:downgrade\n`
  );
}

/** The error thrown by `fn`; fails the test when it does not throw. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

describe("listRevisionFiles", () => {
  it("finds .sql files recursively, sorted by relative path, with '/' separators", () => {
    write({
      "b.sql": "",
      "a/z.sql": "",
      "a/b.sql": "",
      "a.sql": "",
      "a-c.sql": "",
      "9_x.sql": "",
      "10_x.sql": "",
      "deep/er/still/x.sql": "",
      "B.sql": "",
    });
    // Plain code-unit order: '-' < '.' < '/' < digits < upper case < lower case; not "natural".
    expect(listRevisionFiles(dir)).toEqual([
      "10_x.sql",
      "9_x.sql",
      "B.sql",
      "a-c.sql",
      "a.sql",
      "a/b.sql",
      "a/z.sql",
      "b.sql",
      "deep/er/still/x.sql",
    ]);
  });

  it("ignores files that do not end in .sql, dot-files and dot-directories", () => {
    write({
      "keep.sql": "",
      "sub/keep2.sql": "",
      "README.md": "",
      "notes.txt": "",
      "old.sql.bak": "",
      "sqlfile": "",
      ".hidden.sql": "",
      ".git/objects/x.sql": "",
      "sub/.draft.sql": "",
      "sub/.cache/y.sql": "",
    });
    mkdirSync(join(dir, "empty-dir"));
    expect(listRevisionFiles(dir)).toEqual(["keep.sql", "sub/keep2.sql"]);
  });

  it("returns an empty list for an empty directory", () => {
    expect(listRevisionFiles(dir)).toEqual([]);
    expect(loadRevisions(dir)).toEqual([]);
  });

  it.each([
    ["a missing directory", () => join(dir, "does-not-exist")],
    ["a path that is a file", () => (write({ "file.sql": "" }), join(dir, "file.sql"))],
  ])("rejects %s with a RetortError naming the directory and --migrations", (_name, pathOf) => {
    const missing = pathOf();
    for (const fn of [() => listRevisionFiles(missing), () => loadRevisions(missing), () => loadGraph(missing)]) {
      const err = thrown(fn);
      expect(err).toBeInstanceOf(RetortError);
      expect(err).not.toBeInstanceOf(RevisionFileError);
      const e = err as RetortError;
      expect(e.code).toBe("usage");
      expect(e.message).toContain(`'${missing}'`);
      expect(e.message).toContain("--migrations");
    }
  });
});

describe("loadRevisions", () => {
  it("parses every file in sorted order, with paths joined to the directory", () => {
    write({
      "2_b.sql": revision("bbb", ["aaa"]),
      "1_a.sql": revision("aaa"),
      "sub/3_c.sql": revision("ccc", ["bbb"]),
      "notes.md": "not a revision",
    });
    const revisions = loadRevisions(dir);
    expect(revisions.map((r) => r.id)).toEqual(["aaa", "bbb", "ccc"]);
    expect(revisions.map((r) => r.path)).toEqual([`${dir}/1_a.sql`, `${dir}/2_b.sql`, `${dir}/sub/3_c.sql`]);
    expect(revisions[2]!.downRevisions).toEqual(["bbb"]);
    expect(revisions[0]!.upgrade).toEqual({ sql: "SELECT 'aaa';\n", line: 7, transaction: true });
  });

  it("throws the bad file's error when one file among good ones is bad (nothing is returned)", () => {
    write({
      "1_a.sql": revision("aaa"),
      "sub/2_bad.sql": revision("bbb", ["aaa"]).replace("-- migrate:upgrade", "-- migrate:up"),
      "3_c.sql": revision("ccc", ["bbb"]),
    });
    for (const fn of [() => loadRevisions(dir), () => loadGraph(dir)]) {
      const err = thrown(fn);
      expect(err).toBeInstanceOf(RevisionFileError);
      const e = err as RevisionFileError;
      expect(e.file).toBe(`${dir}/sub/2_bad.sql`);
      expect(e.line).toBe(7);
      expect(e.message).toBe(
        `${dir}/sub/2_bad.sql:7: unknown section '-- migrate:up' (write -- migrate:upgrade). ` +
          `The sections are '-- migrate:upgrade' and '-- migrate:downgrade'`,
      );
    }
  });

  it("reports the first bad file in sorted order when several are bad", () => {
    write({
      "b_bad.sql": "SELECT 1;\n",
      "a_ok.sql": revision("aaa"),
      "a_sub/bad.sql": "\n\nDROP TABLE x;\n",
    });
    const err = thrown(() => loadRevisions(dir)) as RevisionFileError;
    expect(err).toBeInstanceOf(RevisionFileError);
    expect(err.file).toBe(`${dir}/a_sub/bad.sql`);
    expect(err.line).toBe(3);
  });

  it("reads files with a BOM and CRLF line endings", () => {
    write({ "a.sql": "\uFEFF" + revision("aaa").split("\n").join("\r\n") });
    const [rev] = loadRevisions(dir);
    expect(rev!.id).toBe("aaa");
    expect(rev!.message).toBe("revision aaa");
    expect(rev!.upgrade.sql).toBe("SELECT 'aaa';\n");
  });
});

describe("loadGraph", () => {
  it("builds the graph of the directory's revisions in load order", () => {
    write({
      "1.sql": revision("aaa"),
      "2.sql": revision("bbb", ["aaa"]),
      "x/3.sql": revision("ccc", ["aaa"]),
      "x/4.sql": revision("ddd", ["bbb", "ccc"], "merge"),
    });
    const graph = loadGraph(dir);
    expect(graph.size).toBe(4);
    expect(graph.revisions.map((r) => r.id)).toEqual(["aaa", "bbb", "ccc", "ddd"]);
    expect(graph.heads.map((n) => graph.revisions[n]!.id)).toEqual(["ddd"]);
    expect(graph.bases.map((n) => graph.revisions[n]!.id)).toEqual(["aaa"]);
  });

  it("rejects a graph error (a missing down revision) after every file parsed", () => {
    write({ "1.sql": revision("aaa"), "2.sql": revision("bbb", ["zzz"]) });
    expect(loadRevisions(dir)).toHaveLength(2);
    const err = thrown(() => loadGraph(dir));
    expect(err).toBeInstanceOf(GraphError);
    expect((err as GraphError).message).toContain("zzz");
  });
});

describe("the source, detected once", () => {
  const TUTORIAL = resolve("tests/fixtures/alembic-tutorial");

  it("is native for a directory of .sql files, or one that does not exist yet", () => {
    write({ "1.sql": revision("aaa") });
    expect(detectSource(dir)).toEqual({ kind: "native", directory: dir });
    expect(sourceGraph(detectSource(dir)).revisions.map((r) => r.id)).toEqual(["aaa"]);
    expect(detectSource(join(dir, "later"))).toEqual({ kind: "native", directory: join(dir, "later") });
  });

  it("gives each Alembic revision where Alembic runs it, so running it never looks for the project again", () => {
    const source = detectSource(TUTORIAL);
    expect(source).toMatchObject({ kind: "alembic", directory: TUTORIAL, iniPath: join(TUTORIAL, "alembic.ini"), scriptLocation: join(TUTORIAL, "project") });
    const graph = sourceGraph(source);
    expect(graph.size).toBeGreaterThan(0);
    for (const r of graph.revisions) expect(r.alembic?.project).toEqual({ iniPath: join(TUTORIAL, "alembic.ini"), scriptLocation: join(TUTORIAL, "project") });
    // The options' directory is not read again: the plan's revisions say where the project is.
    const options = { migrations: join(dir, "elsewhere"), alembicCommand: ["python3", "-m", "alembic"], alembicEnv: [] };
    const runner = alembicRunnerFor(options, planUpgrade(graph, [], "heads"));
    expect(runner).toEqual({ command: ["python3", "-m", "alembic"], iniPath: join(TUTORIAL, "alembic.ini"), scriptLocation: join(TUTORIAL, "project"), passEnv: [] });
  });
});
