import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadGraph } from "../../src/load/directory.js";
import { listRevisionFiles, loadRevisions } from "../../src/load/native-files.js";
import { retortErrorOf } from "../helpers.js";

// Native migrations directories with symbolic links: followed to files and directories, and
// every link that cannot be followed, or that would read a file twice or forever, is an error
// naming it. Nothing is passed over without a word.

let root: string;
let dir: string;
let previous: string;

// `root` is the project (the current directory), as a checkout is in CI: links may point
// anywhere inside it.
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "retort-symlinks-test-"));
  dir = join(root, "migrations");
  mkdirSync(dir);
  previous = process.cwd();
  process.chdir(root);
});
afterEach(() => {
  process.chdir(previous);
  rmSync(root, { recursive: true, force: true });
});

function write(files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const full = join(root, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
}

/** `link` (relative to root) pointing at `target` (absolute, or relative to the link). */
function link(target: string, at: string): void {
  mkdirSync(dirname(join(root, at)), { recursive: true });
  symlinkSync(target, join(root, at));
}

function revision(id: string, revises: string[] = []): string {
  return `-- revision ${id}\n--\n-- Revision ID: ${id}\n-- Revises: ${revises.join(", ")}\n\n-- migrate:upgrade\nSELECT '${id}';\n\n-- migrate:downgrade\n`;
}

describe("symbolic links in a native migrations directory", () => {
  it("follows a linked file and a linked directory, outside the directory too, by relative or absolute target", () => {
    write({
      "migrations/1_a.sql": revision("aaa"),
      "shared/2_b.sql": revision("bbb", ["aaa"]),
      "library/deep/3_c.sql": revision("ccc", ["bbb"]),
      "library/deep/notes.txt": "not a revision",
    });
    link("../shared/2_b.sql", "migrations/2_b.sql");
    link(join(root, "library"), "migrations/lib");
    expect(listRevisionFiles(dir)).toEqual(["1_a.sql", "2_b.sql", "lib/deep/3_c.sql"]);
    const revisions = loadRevisions(dir);
    expect(revisions.map((r) => [r.id, r.path])).toEqual([
      ["aaa", `${dir}/1_a.sql`],
      ["bbb", `${dir}/2_b.sql`],
      ["ccc", `${dir}/lib/deep/3_c.sql`],
    ]);
    expect(loadGraph(dir).heads.map((n) => loadGraph(dir).id(n))).toEqual(["ccc"]);
  });

  it("a link out of the project (to / or a file elsewhere on the machine) is an error naming it; nothing there is read", () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "retort-symlinks-elsewhere-"));
    try {
      writeFileSync(join(elsewhere, "secret.sql"), revision("sss"));
      write({ "migrations/1_a.sql": revision("aaa") });
      for (const [name, target] of [
        ["2_leak.sql", join(elsewhere, "secret.sql")],
        ["machine", "/"],
        ["up", "../.."],
      ] as const) {
        link(target, `migrations/${name}`);
        const e = retortErrorOf(() => loadGraph(dir));
        expect(e.code).toBe("revision-file");
        expect(e.message).toBe(
          `${dir}/${name}: is a symbolic link to '${target}', outside the migrations directory and the project ('${realpathSync(root)}'): ` +
            "retort follows links only within them. Move or copy what it points to into the project.",
        );
        rmSync(join(dir, name));
      }
      expect(listRevisionFiles(dir)).toEqual(["1_a.sql"]);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("follows a chain of links, and a linked file whose name is not .sql is not a revision (as a plain file would not be)", () => {
    write({ "migrations/1_a.sql": revision("aaa"), "store/real.sql": revision("bbb", ["aaa"]) });
    link(join(root, "store/real.sql"), "hop1.sql");
    link(join(root, "hop1.sql"), "migrations/2_b.sql");
    link(join(root, "store/real.sql"), "migrations/README");
    expect(listRevisionFiles(dir)).toEqual(["1_a.sql", "2_b.sql"]);
  });

  it("a dangling link is an error naming it and its target, whatever its name", () => {
    write({ "migrations/1_a.sql": revision("aaa") });
    for (const name of ["2_gone.sql", "gone-directory"]) {
      link("../nowhere/x", `migrations/${name}`);
      const e = retortErrorOf(() => loadGraph(dir));
      expect(e.code).toBe("revision-file");
      expect(e.message).toBe(`${dir}/${name}: is a symbolic link to '../nowhere/x', which does not exist; fix the link or remove it.`);
      expect(e.location).toEqual({ file: `${dir}/${name}`, line: 1 });
      rmSync(join(dir, name));
    }
    // A link in the middle of a chain that leads nowhere.
    link(join(root, "missing.sql"), "middle.sql");
    link(join(root, "middle.sql"), "migrations/3_c.sql");
    expect(retortErrorOf(() => listRevisionFiles(dir)).message).toMatch(/3_c\.sql: is a symbolic link to '.*middle\.sql', which does not exist/);
  });

  it("a link loop between files is an error naming the link", () => {
    link("loop_b.sql", "migrations/loop_a.sql");
    link("loop_a.sql", "migrations/loop_b.sql");
    expect(retortErrorOf(() => listRevisionFiles(dir)).message).toBe(
      `${dir}/loop_a.sql: is a symbolic link loop (following it leads back to it); remove the link, or point it at a revision file or directory.`,
    );
  });

  it("a directory link to itself or to an ancestor is an error naming it, not an endless walk", () => {
    write({ "migrations/1_a.sql": revision("aaa") });
    for (const [at, target] of [
      ["migrations/self", "."],
      ["migrations/sub/up", ".."],
      ["migrations/sub/deeper/top", "../.."],
      // Out of the directory and back in through its parent.
      ["migrations/project", root],
    ] as const) {
      link(target, at);
      const e = retortErrorOf(() => listRevisionFiles(dir));
      expect(e.message).toContain(`${join(root, at)}: is a symbolic link to '${target}', a directory that holds the link itself (a loop); remove the link.`);
      rmSync(join(root, at));
    }
    expect(listRevisionFiles(dir)).toEqual(["1_a.sql"]);
  });

  it("one file reached by two paths is an error naming both, not a silent duplicate or a dropped file", () => {
    write({ "migrations/1_a.sql": revision("aaa"), "shared/x/2_b.sql": revision("bbb", ["aaa"]) });
    link("1_a.sql", "migrations/1_a_again.sql");
    expect(retortErrorOf(() => listRevisionFiles(dir)).message).toBe(
      `${dir}/1_a_again.sql: is the same file as ${dir}/1_a.sql (through a symbolic link), so it would load twice; keep one of the two paths.`,
    );
    rmSync(join(dir, "1_a_again.sql"));
    // The same directory linked twice.
    link(join(root, "shared"), "migrations/one");
    link(join(root, "shared/x"), "migrations/two");
    expect(retortErrorOf(() => listRevisionFiles(dir)).message).toBe(
      `${dir}/two/2_b.sql: is the same file as ${dir}/one/x/2_b.sql (through a symbolic link), so it would load twice; keep one of the two paths.`,
    );
  });

  it("a .sql name that is not a regular file (a FIFO) is an error, not a hang or a skip", () => {
    write({ "migrations/1_a.sql": revision("aaa") });
    execFileSync("mkfifo", [join(dir, "2_pipe.sql")]);
    expect(retortErrorOf(() => loadRevisions(dir)).message).toBe(`${dir}/2_pipe.sql: is not a regular file (a FIFO, socket or device); a revision file must be a file.`);
    rmSync(join(dir, "2_pipe.sql"));
    execFileSync("mkfifo", [join(root, "pipe")]);
    link(join(root, "pipe"), "migrations/3_linked_pipe.sql");
    expect(retortErrorOf(() => loadRevisions(dir)).message).toMatch(/3_linked_pipe\.sql: is not a regular file/);
  });

  it("links under dot-names are not read, like every dot-name", () => {
    write({ "migrations/1_a.sql": revision("aaa") });
    link("../nowhere", "migrations/.dangling.sql");
    link(".", "migrations/.loop");
    expect(listRevisionFiles(dir)).toEqual(["1_a.sql"]);
  });

  it("reports the same problem on every machine when there are several (entries are walked sorted)", () => {
    link("../nowhere", "migrations/b_gone.sql");
    link("../nowhere", "migrations/a_gone.sql");
    link("../nowhere", "migrations/c_gone.sql");
    expect(retortErrorOf(() => listRevisionFiles(dir)).message).toMatch(/^.*migrations\/a_gone\.sql: /);
  });

  it("the migrations directory given as a link is read as the directory it names", () => {
    write({ "real/1_a.sql": revision("aaa") });
    rmSync(dir, { recursive: true });
    link(join(root, "real"), "migrations");
    expect(loadRevisions(dir).map((r) => r.path)).toEqual([`${dir}/1_a.sql`]);
  });
});
