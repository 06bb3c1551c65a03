import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RetortError } from "../../src/core/errors.js";
import { fileInside, writeRevision, type NewRevision } from "../../src/commands/author.js";
import { loadGraph } from "../../src/load/directory.js";

// `revision` and `merge` write exactly one file, directly inside the migrations directory,
// whatever the id, the message or the labels say; bad ones are one usage error, nothing written.

let root: string;
let dir: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "retort-author-test-"));
  dir = join(root, "project", "db", "migrations");
  mkdirSync(dir, { recursive: true });
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const spec = (over: Partial<NewRevision> = {}): NewRevision => ({
  message: "add users",
  heads: ["head"],
  branchLabels: [],
  dependsOn: [],
  splice: false,
  isMerge: false,
  ...over,
});

/** Every file under root, relative. */
function tree(): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();
}

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RetortError);
    expect((e as RetortError).code).toBe("usage");
    return (e as RetortError).message;
  }
  throw new Error("expected a usage error");
}

describe("writeRevision keeps every file it writes inside the migrations directory", () => {
  it("refuses a --rev-id that is a path, naming the id and the rule, and writes nothing anywhere", () => {
    writeRevision(dir, spec({ revId: "base1", heads: ["base"] }));
    const before = tree();
    for (const revId of ["../../x", "../x", "/tmp/x", "a/b", "a\\b", "..", ".", ".hidden", "..\\..\\x", "x\u0000y", "%2e%2e%2fx"]) {
      const message = usage(() => writeRevision(dir, spec({ revId })));
      expect(message).toMatch(/^--rev-id: /);
      expect(message).toContain("Revision ids are 1 to 128 ASCII letters, digits, '_' or '.' (not starting with '.')");
      expect(tree()).toEqual(before);
    }
    expect(usage(() => writeRevision(dir, spec({ revId: "../../x" })))).toBe(
      "--rev-id: revision id '../../x' contains '/', which would break file names, SQL or reports. " +
        "Revision ids are 1 to 128 ASCII letters, digits, '_' or '.' (not starting with '.').",
    );
  });

  it("refuses ids that would break a table, a report or SQL", () => {
    for (const revId of ["a|b", "<img>", "a'b", 'a"b', "a`b", "a;b", "a\u202eb", "a\u001bb"]) {
      expect(usage(() => writeRevision(dir, spec({ revId })))).toMatch(/^--rev-id: revision id '.*' contains /);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it("keeps only word characters of a hostile message in the file name, and the message on one header line", () => {
    const path = writeRevision(dir, spec({ revId: "abc123", heads: ["base"], message: "../../etc/passwd\n-- migrate:downgrade\nDROP TABLE users; | <b>x</b>" }));
    expect(path).toBe(`${dir}/abc123_etc_passwd_migrate_downgrade_drop_table_.sql`);
    expect(tree()).toEqual([`project/db/migrations/abc123_etc_passwd_migrate_downgrade_drop_table_.sql`]);
    const text = readFileSync(path, "utf8");
    expect(text.split("\n")[0]).toBe("-- ../../etc/passwd -- migrate:downgrade DROP TABLE users; | <b>x</b>");
    // The file reads back as one revision with an empty downgrade: the message did not add a section.
    const [rev] = loadGraph(dir).revisions;
    expect(rev!.message).toBe("../../etc/passwd -- migrate:downgrade DROP TABLE users; | <b>x</b>");
    expect(rev!.upgrade).toEqual({ sql: "\n", line: 7, transaction: true });
    expect(rev!.downgrade?.line).toBe(10);
  });

  it("refuses a message with control or invisible characters, and branch labels that would break a report", () => {
    expect(usage(() => writeRevision(dir, spec({ message: "add \u001b[2Jusers" })))).toBe(
      "The message 'add \\u{1b}[2Jusers' contains a control or invisible character; write plain text.",
    );
    expect(usage(() => writeRevision(dir, spec({ message: "add \u202eusers" })))).toMatch(/control or invisible/);
    expect(usage(() => writeRevision(dir, spec({ branchLabels: ["ok", "a|b"] })))).toBe(
      "--branch-label: branch label 'a|b' contains '|'; use letters, digits, '_', '-', '.' or '/'.",
    );
    expect(usage(() => writeRevision(dir, spec({ branchLabels: ["a\nb"] })))).toMatch(/white space/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("does not write through a link that stands where the new file would go", () => {
    const outside = join(root, "outside.sql");
    symlinkSync(outside, join(dir, "abc123_add_users.sql"));
    const e = (() => {
      try {
        writeRevision(dir, spec({ revId: "abc123", heads: ["base"] }));
      } catch (error) {
        return error as RetortError;
      }
      throw new Error("expected an error");
    })();
    expect(e.message).toMatch(/abc123_add_users\.sql: is a symbolic link to '.*outside\.sql', which does not exist/);
    expect(existsSync(outside)).toBe(false);
  });
});

describe("fileInside", () => {
  it("takes a plain file name only", () => {
    expect(fileInside("db/migrations", "abc_x.sql")).toBe("db/migrations/abc_x.sql");
    expect(fileInside(".", "abc_x.sql")).toBe("abc_x.sql");
    for (const name of ["", ".", "..", "../x.sql", "a/b.sql", "a\\b.sql", "/abs.sql", ".hidden.sql", "x\u0000.sql"]) {
      expect(usage(() => fileInside("db/migrations", name))).toMatch(/would not be a file directly inside db\/migrations; pass another --rev-id or message\.$/);
    }
  });
});
