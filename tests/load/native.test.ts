import { describe, expect, it } from "vitest";
import { RetortError, RevisionFileError } from "../../src/core/errors.js";
import type { Revision } from "../../src/core/revision.js";
import { parseRevisionFile, renderRevisionFile } from "../../src/load/native.js";

const PATH = "migrations/sub/358cebb507a0_create_table_order.sql";

/** Lines joined with LF, with a final newline (as editors save files). */
const file = (...lines: string[]): string => lines.join("\n") + "\n";

/** The error parseRevisionFile throws for `text`; fails the test when it does not throw. */
function parseError(text: string, path = PATH): RevisionFileError {
  try {
    parseRevisionFile(text, path);
  } catch (e) {
    expect(e).toBeInstanceOf(RevisionFileError);
    return e as RevisionFileError;
  }
  throw new Error("expected parseRevisionFile to throw a RevisionFileError");
}

function expectFileError(text: string, line: number, patterns: readonly RegExp[], path = PATH): void {
  const err = parseError(text, path);
  expect(err).toBeInstanceOf(RetortError);
  expect(err.code).toBe("revision-file");
  expect(err.file).toBe(path);
  expect(err.line).toBe(line);
  expect(err.message.startsWith(`${path}:${line}: `)).toBe(true);
  for (const p of patterns) expect(err.message).toMatch(p);
}

// Lines 1-4: a header for a base revision; line 5 is blank.
const HEADER = ["-- Create table order", "--", "-- Revision ID: abc123", "-- Revises:"];

// ---------------------------------------------------------------------------------------------
// Valid files
// ---------------------------------------------------------------------------------------------

const FULL_LINES = [
  /*  1 */ "-- Create table order",
  /*  2 */ "--",
  /*  3 */ "-- Orders reference customers: see the design notes.",
  /*  4 */ "-- A second line of free text, also with a colon: here.",
  /*  5 */ "--",
  /*  6 */ "-- Revision ID: 358cebb507a0",
  /*  7 */ "-- Revises: 33083bd5e3b1, b1bc43e2f536,d5e376c66584",
  /*  8 */ "-- Create Date: 2024-04-01 18:02:00.000000",
  /*  9 */ "-- Branch Labels: shop, order-lines",
  /* 10 */ "-- Depends On: b036a88df8fb, 784a7abb86b7",
  /* 11 */ "",
  /* 12 */ "-- migrate:upgrade transaction:false",
  /* 13 */ "CREATE TABLE orders (id int);",
  /* 14 */ "CREATE INDEX CONCURRENTLY orders_id ON orders (id);",
  /* 15 */ "",
  /* 16 */ "-- migrate:downgrade",
  /* 17 */ "DROP TABLE orders;",
];
const FULL_TEXT = file(...FULL_LINES);
const FULL_EXPECTED: Revision = {
  id: "358cebb507a0",
  downRevisions: ["33083bd5e3b1", "b1bc43e2f536", "d5e376c66584"],
  branchLabels: ["shop", "order-lines"],
  dependsOn: ["b036a88df8fb", "784a7abb86b7"],
  message: "Create table order",
  // The header without its `--` markers: what show and history -v print, as Alembic prints the
  // docstring of a Python revision.
  longDoc: FULL_LINES.slice(0, 10)
    .map((l) => l.slice(3))
    .join("\n"),
  createDate: "2024-04-01 18:02:00.000000",
  path: PATH,
  upgrade: {
    sql: "CREATE TABLE orders (id int);\nCREATE INDEX CONCURRENTLY orders_id ON orders (id);\n",
    line: 12,
    transaction: false,
  },
  downgrade: { sql: "DROP TABLE orders;\n", line: 16, transaction: true },
};

describe("parseRevisionFile: a full valid file", () => {
  it("reads every field, the section SQL and the 1-based marker lines", () => {
    expect(parseRevisionFile(FULL_TEXT, PATH)).toEqual(FULL_EXPECTED);
  });

  it.each([
    ["CRLF line endings", FULL_LINES.join("\r\n") + "\r\n"],
    ["a UTF-8 BOM", "\uFEFF" + FULL_TEXT],
    ["a UTF-8 BOM and CRLF line endings", "\uFEFF" + FULL_LINES.join("\r\n") + "\r\n"],
  ])("parses %s exactly as LF", (_name, text) => {
    const rev = parseRevisionFile(text, PATH);
    expect(rev).toEqual(FULL_EXPECTED);
    expect(rev.upgrade.sql).not.toContain("\r");
    expect(rev.message.charCodeAt(0)).not.toBe(0xfeff);
  });

  it("keeps the file without a final newline the same apart from the last section's text", () => {
    const rev = parseRevisionFile(FULL_LINES.join("\n"), PATH);
    expect(rev).toEqual({ ...FULL_EXPECTED, downgrade: { sql: "DROP TABLE orders;", line: 16, transaction: true } });
  });
});

interface ValidCase {
  name: string;
  text: string;
  expected: Partial<Revision>;
}

const VALID: ValidCase[] = [
  {
    name: "an empty Revises is a base",
    text: file(...HEADER, "", "-- migrate:upgrade", "SELECT 1;"),
    expected: { id: "abc123", downRevisions: [], branchLabels: [], dependsOn: [], createDate: null },
  },
  {
    name: "Revises: <base> is a base",
    text: file("-- m", "--", "-- Revision ID: abc123", "-- Revises: <base>", "", "-- migrate:upgrade"),
    expected: { downRevisions: [] },
  },
  {
    name: "one down revision",
    text: file("-- m", "--", "-- Revision ID: abc123", "-- Revises: 784a7abb86b7", "", "-- migrate:upgrade"),
    expected: { downRevisions: ["784a7abb86b7"] },
  },
  {
    name: "several down revisions, comma separated with and without spaces",
    text: file("-- m", "--", "-- Revision ID: abc123", "-- Revises:  a1 ,b2,  c3  ", "", "-- migrate:upgrade"),
    expected: { downRevisions: ["a1", "b2", "c3"] },
  },
  {
    name: "header keys are matched case-insensitively",
    text: file(
      "-- m",
      "--",
      "-- revision id: abc123",
      "-- REVISES: p1, p2",
      "-- create DATE: 2026-11-25 10:00:00.000000",
      "-- branch labels: lbl",
      "-- DEPENDS ON: d1",
      "",
      "-- migrate:upgrade",
    ),
    expected: {
      id: "abc123",
      downRevisions: ["p1", "p2"],
      createDate: "2026-11-25 10:00:00.000000",
      branchLabels: ["lbl"],
      dependsOn: ["d1"],
    },
  },
  {
    name: "extra spaces around and inside a key",
    text: file("-- m", "--", "--   Revision   ID :  abc123  ", "--Revises:", "", "-- migrate:upgrade"),
    expected: { id: "abc123", downRevisions: [] },
  },
  {
    name: "a message containing a colon stays the message",
    text: file("-- Fix: widen column name", "--", "-- Revision ID: abc123", "-- Revises:", "", "-- migrate:upgrade"),
    expected: { message: "Fix: widen column name" },
  },
  {
    name: "a description paragraph after the message (free text with colons) is allowed",
    text: file(
      "-- merge orders and sellers",
      "--",
      "-- Order items need both branches: the orders and the sellers.",
      "-- Author: someone (free text, not a key, in its own paragraph)",
      "--",
      "-- Revision ID: 5f2c8e91d0a4",
      "-- Revises: 358cebb507a0, b036a88df8fb",
      "",
      "-- migrate:upgrade",
    ),
    expected: { message: "merge orders and sellers", id: "5f2c8e91d0a4", downRevisions: ["358cebb507a0", "b036a88df8fb"] },
  },
  {
    name: "a file without a message line has an empty message",
    text: file("-- Revision ID: abc123", "-- Revises:", "", "-- migrate:upgrade"),
    expected: { message: "", id: "abc123" },
  },
  {
    name: "an id of exactly 32 characters",
    text: file("-- m", "--", `-- Revision ID: ${"a".repeat(32)}`, "-- Revises:", "", "-- migrate:upgrade"),
    expected: { id: "a".repeat(32) },
  },
  {
    name: "comment lines between the header and the first section are ignored",
    text: file(...HEADER, "", "-- a note for readers", "", "-- migrate:upgrade", "SELECT 1;"),
    expected: { upgrade: { sql: "SELECT 1;\n", line: 8, transaction: true } },
  },
  {
    name: "an absent downgrade section is null (irreversible)",
    text: file(...HEADER, "", "-- migrate:upgrade", "CREATE TABLE t (id int);"),
    expected: { upgrade: { sql: "CREATE TABLE t (id int);\n", line: 6, transaction: true }, downgrade: null },
  },
  {
    name: "a present but empty downgrade section is a blank section",
    text: file(...HEADER, "", "-- migrate:upgrade", "SELECT 1;", "", "-- migrate:downgrade"),
    expected: {
      upgrade: { sql: "SELECT 1;\n", line: 6, transaction: true },
      downgrade: { sql: "", line: 9, transaction: true },
    },
  },
  {
    name: "a downgrade section holding only blank lines keeps them",
    text: file(...HEADER, "", "-- migrate:upgrade", "SELECT 1;", "-- migrate:downgrade", "", ""),
    expected: { downgrade: { sql: "\n\n", line: 8, transaction: true } },
  },
  {
    name: "the downgrade section may come first",
    text: file(...HEADER, "", "-- migrate:downgrade", "DROP TABLE t;", "-- migrate:upgrade", "CREATE TABLE t ();"),
    expected: {
      upgrade: { sql: "CREATE TABLE t ();\n", line: 8, transaction: true },
      downgrade: { sql: "DROP TABLE t;", line: 6, transaction: true },
    },
  },
  {
    name: "transaction:true and transaction:false options on either section",
    text: file(...HEADER, "", "-- migrate:upgrade transaction:true", "A;", "-- migrate:downgrade   transaction:false", "B;"),
    expected: {
      upgrade: { sql: "A;", line: 6, transaction: true },
      downgrade: { sql: "B;\n", line: 8, transaction: false },
    },
  },
  {
    name: "no space after -- in a section marker",
    text: file(...HEADER, "", "--migrate:upgrade", "A;"),
    expected: { upgrade: { sql: "A;\n", line: 6, transaction: true } },
  },
  {
    name: "leading blank lines before the header",
    text: "\n\n" + file(...HEADER, "", "-- migrate:upgrade", "A;"),
    expected: { message: "Create table order", upgrade: { sql: "A;\n", line: 8, transaction: true } },
  },
];

describe("parseRevisionFile: valid variants", () => {
  it.each(VALID.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const rev = parseRevisionFile(c.text, PATH);
    expect(rev.path).toBe(PATH);
    expect(rev).toMatchObject(c.expected);
    // toMatchObject treats arrays exactly, but re-check the lists to be explicit.
    for (const key of ["downRevisions", "branchLabels", "dependsOn"] as const) {
      if (c.expected[key]) expect(rev[key]).toEqual(c.expected[key]);
    }
    if ("downgrade" in c.expected) expect(rev.downgrade).toEqual(c.expected.downgrade);
  });
});

// ---------------------------------------------------------------------------------------------
// Bad files
// ---------------------------------------------------------------------------------------------

interface BadCase {
  name: string;
  text: string;
  line: number;
  /** The problem, and what to write instead. */
  patterns: RegExp[];
}

const MISSING_HEADER = [/missing header/, /Start the file with '-- <message>'/, /'-- Revision ID: <id>'/, /'-- Revises: /];

const BAD: BadCase[] = [
  {
    name: "a file starting with SQL",
    text: file("CREATE TABLE t (id int);", "-- migrate:upgrade"),
    line: 1,
    patterns: MISSING_HEADER,
  },
  {
    name: "SQL after leading blank lines",
    text: file("", "", "CREATE TABLE t (id int);"),
    line: 3,
    patterns: MISSING_HEADER,
  },
  {
    name: "a file starting with a section marker",
    text: file("-- migrate:upgrade", "SELECT 1;"),
    line: 1,
    patterns: MISSING_HEADER,
  },
  {
    name: "a missing Revision ID (reported at the end of the header)",
    text: file("-- m", "--", "-- Revises:", "-- Create Date: 2024-01-01", "", "-- migrate:upgrade"),
    line: 4,
    patterns: [/missing '-- Revision ID: <id>'/, /add it/, /12 lower-case hex characters/],
  },
  {
    name: "a missing Revises (reported at the end of the header)",
    text: file("-- m", "--", "-- Revision ID: abc123", "-- Create Date: 2024-01-01", "", "-- migrate:upgrade"),
    line: 4,
    patterns: [/missing '-- Revises: \.\.\.'/, /write '-- Revises:' with nothing after it for a base revision/],
  },
  {
    name: "a misspelt key among the header keys",
    text: file("-- m", "--", "-- Revison ID: abc123", "-- Revises:", "", "-- migrate:upgrade"),
    line: 3,
    patterns: [/unknown header key 'Revison ID'/, /The keys are Revision ID, Revises, Create Date, Branch Labels, Depends On/],
  },
  {
    name: "an unknown key among the header keys",
    text: file("-- m", "--", "-- Revision ID: abc123", "-- Revises:", "-- Author: me", "", "-- migrate:upgrade"),
    line: 5,
    patterns: [/unknown header key 'Author'/, /The keys are Revision ID, Revises/],
  },
  {
    name: "a free-text line inside the key paragraph",
    text: file("-- m", "--", "-- Revision ID: abc123", "-- Create table order", "-- Revises:", "", "-- migrate:upgrade"),
    line: 4,
    patterns: [/unexpected line '-- Create table order' among the header keys/, /own paragraph, after a line '--'/],
  },
  {
    name: "a duplicate header key (differing in case)",
    text: file("-- m", "--", "-- Revision ID: abc123", "-- Revises: a1", "-- revises: b2", "", "-- migrate:upgrade"),
    line: 5,
    patterns: [/duplicate header key 'revises'/, /first on line 4/, /keep one/],
  },
  {
    name: "a duplicate key in a second key paragraph",
    text: file("-- m", "--", "-- Revision ID: abc123", "-- Revises:", "--", "-- Revision ID: def456", "", "-- migrate:upgrade"),
    line: 6,
    patterns: [/duplicate header key 'Revision ID'/, /first on line 3/],
  },
  {
    name: "a duplicate upgrade section",
    text: file(...HEADER, "", "-- migrate:upgrade", "A;", "-- migrate:upgrade", "B;"),
    line: 8,
    patterns: [/duplicate section '-- migrate:upgrade'/, /first on line 6/, /merge them into one/],
  },
  {
    name: "a duplicate downgrade section",
    text: file(...HEADER, "", "-- migrate:upgrade", "-- migrate:downgrade", "-- migrate:downgrade"),
    line: 8,
    patterns: [/duplicate section '-- migrate:downgrade'/, /first on line 7/],
  },
  {
    name: "a missing upgrade section (file without a final newline: its last line)",
    text: [...HEADER, "", "-- migrate:downgrade", "DROP TABLE t;"].join("\n"),
    line: 7,
    patterns: [/missing '-- migrate:upgrade' section/, /Add a line '-- migrate:upgrade' followed by the upgrade SQL/],
  },
  {
    name: "a header and nothing else (no final newline)",
    text: HEADER.join("\n"),
    line: 4,
    patterns: [/missing '-- migrate:upgrade' section/],
  },
  {
    name: "-- migrate:up",
    text: file(...HEADER, "", "-- migrate:up", "A;"),
    line: 6,
    patterns: [/unknown section '-- migrate:up'/, /write -- migrate:upgrade/],
  },
  {
    name: "-- migrate:down",
    text: file(...HEADER, "", "-- migrate:upgrade", "A;", "-- migrate:down", "B;"),
    line: 8,
    patterns: [/unknown section '-- migrate:down'/, /write -- migrate:downgrade/],
  },
  {
    name: "another unknown section name",
    text: file(...HEADER, "", "-- migrate:rollback"),
    line: 6,
    patterns: [/unknown section '-- migrate:rollback'/, /The sections are '-- migrate:upgrade' and '-- migrate:downgrade'/],
  },
  {
    name: "section option transaction:maybe",
    text: file(...HEADER, "", "-- migrate:upgrade transaction:maybe", "A;"),
    line: 6,
    patterns: [/unknown section option 'transaction:maybe'/, /The only option is 'transaction:false'/],
  },
  {
    name: "section option foo on the downgrade",
    text: file(...HEADER, "", "-- migrate:upgrade", "A;", "-- migrate:downgrade foo", "B;"),
    line: 8,
    patterns: [/unknown section option 'foo'/, /'transaction:false'/],
  },
  {
    name: "SQL before the first section",
    text: file(...HEADER, "", "CREATE TABLE t (id int);", "-- migrate:upgrade"),
    line: 6,
    patterns: [/SQL before '-- migrate:upgrade'/, /Put statements inside a '-- migrate:upgrade' or '-- migrate:downgrade' section/],
  },
  ...["@", "-", "+", ":"].map((c) => ({
    name: `an id containing '${c}'`,
    text: file("-- m", "--", `-- Revision ID: ab${c}cd`, "-- Revises:", "", "-- migrate:upgrade"),
    line: 3,
    patterns: [
      new RegExp(`Character\\(s\\) '\\${c}' not allowed in revision identifier 'ab\\${c}cd'`),
      /Revision ids are 1 to 128 ASCII letters, digits, '_' or '\.' \(not starting with '\.'\)/,
    ],
  })),
  {
    name: "an id with several forbidden characters",
    text: file("-- m", "--", "-- Revision ID: a+b@c", "-- Revises:", "", "-- migrate:upgrade"),
    line: 3,
    patterns: [/Character\(s\) '\+, @' not allowed in revision identifier 'a\+b@c'/],
  },
  {
    name: "an id over 128 characters",
    text: file("-- m", "--", "-- Revises:", `-- Revision ID: ${"a".repeat(129)}`, "", "-- migrate:upgrade"),
    line: 4,
    patterns: [/is 129 characters long/, /at most 128/],
  },
  {
    name: "an empty id",
    text: file("-- m", "--", "-- Revision ID:", "-- Revises:", "", "-- migrate:upgrade"),
    line: 3,
    patterns: [/a revision id cannot be empty/, /Revision ids are 1 to 128 ASCII letters/],
  },
  {
    name: "an id with white space",
    text: file("-- m", "--", "-- Revision ID: abc 123", "-- Revises:", "", "-- migrate:upgrade"),
    line: 3,
    patterns: [/contains white space or a comma/],
  },
  {
    name: "an empty item in Revises (a,,b)",
    text: file("-- m", "--", "-- Revision ID: abc123", "-- Revises: a,,b", "", "-- migrate:upgrade"),
    line: 4,
    patterns: [/an empty item/, /Write a comma separated list/],
  },
  {
    name: "a trailing comma in Revises",
    text: file("-- m", "--", "-- Revision ID: abc123", "-- Revises: a, ", "", "-- migrate:upgrade"),
    line: 4,
    patterns: [/an empty item/, /comma separated list/],
  },
  {
    name: "an empty item in Branch Labels",
    text: file(...HEADER, "-- Branch Labels: x,,y", "", "-- migrate:upgrade"),
    line: 5,
    patterns: [/an empty item/, /comma separated list/],
  },
  {
    name: "an empty item in Depends On",
    text: file(...HEADER, "-- Depends On: , d1", "", "-- migrate:upgrade"),
    line: 5,
    patterns: [/an empty item/, /comma separated list/],
  },
  {
    name: "a forbidden character in a Revises item",
    text: file("-- m", "--", "-- Revision ID: abc123", "-- Revises: a1, b@2", "", "-- migrate:upgrade"),
    line: 4,
    patterns: [/Character\(s\) '@' not allowed in revision identifier 'b@2'/],
  },
  {
    name: "a branch label with ':'",
    text: file(...HEADER, "-- Branch Labels: a:b", "", "-- migrate:upgrade"),
    line: 5,
    patterns: [/branch label 'a:b' contains white space, '@', ':' or ','/],
  },
  // Ids are file names, SQL literals and text in reviews: what breaks one of those is refused.
  ...["|", "<", ">", "/", "\\", "'", '"', "`", ";", "&", "\u202e", "\u0007", "é"].map((c) => ({
    name: `an id containing ${JSON.stringify(c)}`,
    text: file("-- m", "--", `-- Revision ID: ab${c}cd`, "-- Revises:", "", "-- migrate:upgrade"),
    line: 3,
    patterns: [/revision id 'ab.+cd' contains '.+', which would break file names, SQL or reports/, /Revision ids are 1 to 128 ASCII letters, digits, '_' or '\.'/],
  })),
  {
    name: "a down revision that could not be an id",
    text: file(...HEADER.slice(0, 3), "-- Revises: abc, x|y", "", "-- migrate:upgrade"),
    line: 4,
    patterns: [/revision id 'x\|y' contains '\|'/],
  },
  {
    name: "an id starting with '.' (its file would be hidden)",
    text: file("-- m", "--", "-- Revision ID: ..", "-- Revises:", "", "-- migrate:upgrade"),
    line: 3,
    patterns: [/revision id '\.\.' starts with '\.'/],
  },
  ...["a|b", "a<b>", "a`b", "a\\b", "a\u202eb"].map((label) => ({
    name: `a branch label or Depends On entry ${JSON.stringify(label)}`,
    text: file(...HEADER, `-- Branch Labels: ok, ${label}`, `-- Depends On: ${label}`, "", "-- migrate:upgrade"),
    line: 5,
    patterns: [/branch label '.+' contains /],
  })),
];

describe("parseRevisionFile: bad files", () => {
  it.each(BAD.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    expectFileError(c.text, c.line, c.patterns);
  });

  it("puts the given path, not a normalised one, in the error", () => {
    expectFileError("SELECT 1;\n", 1, MISSING_HEADER, "./other dir/x.sql");
  });

  it("reports the same line numbers with CRLF endings and a BOM", () => {
    const crlf = "\uFEFF" + [...HEADER, "", "-- migrate:upgrade", "A;", "-- migrate:upgrade"].join("\r\n") + "\r\n";
    expectFileError(crlf, 8, [/duplicate section '-- migrate:upgrade'/, /first on line 6/]);
  });

  it("rejects an empty file as a missing header", () => {
    const err = parseError("");
    expect(err.file).toBe(PATH);
    expect(err.message).toMatch(/missing header/);
  });

  // BUG (src/load/native.ts): for an empty or all-blank file the header check reports
  // `i + 1` with i === lines.length, a line after the end of the file ("" -> line 2).
  it("reports an empty file at line 1", () => {
    expect(parseError("").line).toBe(1);
  });

  // BUG (src/load/native.ts): "missing upgrade section" is reported at lines.length, which is one
  // past the last line when the file ends with a newline (7-line file -> line 8).
  it("reports a missing upgrade section at a line inside the file", () => {
    const text = file(...HEADER, "", "-- migrate:downgrade", "DROP TABLE t;"); // 7 lines
    expect(parseError(text).line).toBeLessThanOrEqual(7);
  });

  // BUG (src/load/native.ts): Depends On items are checked as revision ids, but depends_on may
  // name a branch label (see Revision.dependsOn, and `retort revision --depends-on LABEL` writes
  // the label), and labels may contain '-'.
  it("accepts a branch label with '-' in Depends On", () => {
    const rev = parseRevisionFile(file(...HEADER, "-- Depends On: order-lines", "", "-- migrate:upgrade"), PATH);
    expect(rev.dependsOn).toEqual(["order-lines"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Round trip
// ---------------------------------------------------------------------------------------------

type RenderFields = Parameters<typeof renderRevisionFile>[0];

const ROUND_TRIP: [string, RenderFields][] = [
  [
    "a base revision without SQL",
    { id: "784a7abb86b7", message: "create schema ecommerce", downRevisions: [], createDate: "2024-04-01 17:18:00.000000" },
  ],
  [
    "a merge with labels, dependencies and SQL",
    {
      id: "5f2c8e91d0a4",
      message: "merge orders and sellers",
      downRevisions: ["358cebb507a0", "b036a88df8fb"],
      createDate: "2024-04-01 18:30:00.000000",
      branchLabels: ["shop", "order-lines"],
      dependsOn: ["d5e376c66584"],
      upgrade: "CREATE TABLE t (\n    id int\n);\nINSERT INTO t VALUES (1);",
      downgrade: "DROP TABLE t;",
    },
  ],
  [
    "a message with a colon",
    { id: "abc123", message: "Fix: widen column", downRevisions: ["a1"], createDate: "2026-01-01 00:00:00.000000" },
  ],
];

describe("renderRevisionFile output parses back", () => {
  it.each(ROUND_TRIP)("%s", (_name, fields) => {
    const rev = parseRevisionFile(renderRevisionFile(fields), "r.sql");
    expect(rev.id).toBe(fields.id);
    expect(rev.message).toBe(fields.message);
    expect(rev.downRevisions).toEqual(fields.downRevisions);
    expect(rev.createDate).toBe(fields.createDate);
    expect(rev.branchLabels).toEqual(fields.branchLabels ?? []);
    expect(rev.dependsOn).toEqual(fields.dependsOn ?? []);
    expect(rev.upgrade.sql.trim()).toBe(fields.upgrade ?? "");
    expect(rev.upgrade.transaction).toBe(true);
    expect(rev.downgrade).not.toBeNull();
    expect(rev.downgrade!.sql.trim()).toBe(fields.downgrade ?? "");
  });

  it("writes the header and sections in the documented layout", () => {
    const text = renderRevisionFile({ id: "abc123", message: "m", downRevisions: [], createDate: "d" });
    expect(text).toBe(
      "-- m\n--\n-- Revision ID: abc123\n-- Revises:\n-- Create Date: d\n\n-- migrate:upgrade\n\n\n-- migrate:downgrade\n\n",
    );
  });

  it("folds a multi-line message into one line", () => {
    const text = renderRevisionFile({ id: "abc123", message: "first\n  second", downRevisions: [], createDate: "d" });
    expect(parseRevisionFile(text, "r.sql").message).toBe("first second");
  });

  // A message that looks like a header key is still the message. (One that looks like a
  // section marker is refused by `retort revision`: see tests/cli.)
  for (const message of ["Create date: add column", "Revises: nothing"]) {
    it(`round-trips the message '${message}'`, () => {
      const text = renderRevisionFile({ id: "abc123", message, downRevisions: [], createDate: "d" });
      expect(parseRevisionFile(text, "r.sql").message).toBe(message);
    });
  }
});
