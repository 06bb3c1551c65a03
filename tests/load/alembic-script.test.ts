import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RetortError, RevisionFileError } from "../../src/core/errors.js";
import { parseAlembicScript, type AlembicScript } from "../../src/load/alembic-script.js";

const PATH = "migrations/versions/b1bc43e2f536_create_table_customer.py";
const FILE_NAME = "b1bc43e2f536_create_table_customer.py";
const FIX = "write the value as a string literal, a tuple/list of string literals, or None";

/** Lines joined with LF, with a final newline (as editors save files). */
const file = (...lines: string[]): string => lines.join("\n") + "\n";

function parseError(text: string, fileName = FILE_NAME): RevisionFileError {
  try {
    parseAlembicScript(text, PATH, fileName);
  } catch (e) {
    expect(e).toBeInstanceOf(RevisionFileError);
    return e as RevisionFileError;
  }
  throw new Error("expected parseAlembicScript to throw a RevisionFileError");
}

// ---------------------------------------------------------------------------------------------
// Real-world files
// ---------------------------------------------------------------------------------------------

/** alembic/templates/generic/script.py.mako (Alembic 1.8), rendered for a merge revision with
 *  a branch label and a dependency; the cross-check below renders the installed template and
 *  compares the text. */
const TEMPLATE = file(
  '"""add account table',
  "",
  "Revision ID: ae1027a6acf",
  "Revises: 1975ea83b712, 27c6a30d7c24",
  "Create Date: 2024-04-01 17:25:38.512734",
  "",
  '"""',
  "from alembic import op",
  "import sqlalchemy as sa",
  "",
  "",
  "# revision identifiers, used by Alembic.",
  "revision = 'ae1027a6acf'",
  "down_revision = ('1975ea83b712', '27c6a30d7c24')",
  "branch_labels = ('shop',)",
  "depends_on = '784a7abb86b7'",
  "",
  "",
  "def upgrade() -> None:",
  "    pass",
  "",
  "",
  "def downgrade() -> None:",
  "    pass",
);
const TEMPLATE_EXPECTED = {
  id: "ae1027a6acf",
  downRevisions: ["1975ea83b712", "27c6a30d7c24"],
  branchLabels: ["shop"],
  dependsOn: ["784a7abb86b7"],
  message: "add account table",
  longDoc: "add account table\n\nRevision ID: ae1027a6acf\nRevises: 1975ea83b712, 27c6a30d7c24\nCreate Date: 2024-04-01 17:25:38.512734",
  createDate: "2024-04-01 17:25:38.512734",
};

/** The template of Alembic 1.13 and later: annotated variables. */
const TEMPLATE_ANNOTATED = file(
  '"""add account table',
  "",
  "Revision ID: ae1027a6acf",
  "Revises: 1975ea83b712",
  "Create Date: 2024-04-01 17:25:38.512734",
  "",
  '"""',
  "from typing import Sequence, Union",
  "",
  "from alembic import op",
  "import sqlalchemy as sa",
  "",
  "",
  "# revision identifiers, used by Alembic.",
  "revision: str = 'ae1027a6acf'",
  "down_revision: Union[str, Sequence[str], None] = '1975ea83b712'",
  "branch_labels: Union[str, Sequence[str], None] = None",
  "depends_on: Union[str, Sequence[str], None] = None",
  "",
  "",
  "def upgrade() -> None:",
  '    """Upgrade schema."""',
  "    pass",
  "",
  "",
  "def downgrade() -> None:",
  '    """Downgrade schema."""',
  "    pass",
);

/** The tutorial's second revision, with an upgrade body full of strings and brackets. */
const TUTORIAL = file(
  '"""create table customer',
  "",
  "Revision ID: b1bc43e2f536",
  "Revises: 784a7abb86b7",
  "Create Date: 2024-04-01 17:25:38.123456",
  "",
  '"""',
  "from alembic import op",
  "import sqlalchemy as sa",
  "",
  "",
  "# revision identifiers, used by Alembic.",
  "revision = 'b1bc43e2f536'",
  "down_revision = '784a7abb86b7'",
  "branch_labels = None",
  "depends_on = None",
  "",
  "",
  "def upgrade():",
  "    op.create_table(",
  "        'customer',",
  "        sa.Column('id', sa.Integer, primary_key=True),",
  "        sa.Column('name', sa.String(50), nullable=False),",
  "        sa.Column('note', sa.Unicode(200)),  # free text (may hold '#')",
  "    )",
  "    op.execute(\"UPDATE customer SET note = 'revision = x' WHERE note LIKE '%)%'\")",
  "",
  "",
  "def downgrade():",
  "    op.drop_table('customer')",
);
const TUTORIAL_EXPECTED = {
  id: "b1bc43e2f536",
  downRevisions: ["784a7abb86b7"],
  branchLabels: [],
  dependsOn: [],
  message: "create table customer",
  longDoc: "create table customer\n\nRevision ID: b1bc43e2f536\nRevises: 784a7abb86b7\nCreate Date: 2024-04-01 17:25:38.123456",
  createDate: "2024-04-01 17:25:38.123456",
};

// ---------------------------------------------------------------------------------------------
// Valid files, table-driven
// ---------------------------------------------------------------------------------------------

interface ValidCase {
  name: string;
  text: string;
  fileName?: string;
  expected: Partial<AlembicScript>;
  /** false: not cross-checked against Alembic (Python 3.12 syntax; Debian's Python is 3.11). */
  alembic?: boolean;
}

/** A script without docstring: `revision = 'abc'` plus `lines`. */
const vars = (...lines: string[]): string => file("revision = 'abc'", ...lines);

const VALID: ValidCase[] = [
  { name: "rendered template (Alembic 1.8)", text: TEMPLATE, fileName: "ae1027a6acf_add_account_table.py", expected: TEMPLATE_EXPECTED },
  {
    name: "annotated template (Alembic 1.13+)",
    text: TEMPLATE_ANNOTATED,
    fileName: "ae1027a6acf_add_account_table.py",
    expected: { ...TEMPLATE_EXPECTED, downRevisions: ["1975ea83b712"], branchLabels: [], dependsOn: [], longDoc: TEMPLATE_EXPECTED.longDoc.replace(", 27c6a30d7c24", "") },
  },
  { name: "tutorial", text: TUTORIAL, expected: TUTORIAL_EXPECTED },
  {
    name: "plain, double quotes",
    text: file('revision = "abc"', 'down_revision = "def"', 'branch_labels = "shop"', 'depends_on = "ghi"'),
    expected: { id: "abc", downRevisions: ["def"], branchLabels: ["shop"], dependsOn: ["ghi"] },
  },
  {
    name: "triple quotes",
    text: file("revision = '''abc'''", 'down_revision = """def"""'),
    expected: { id: "abc", downRevisions: ["def"] },
  },
  {
    name: "r, u, R, U and br-free prefixes",
    text: file("revision = r'abc'", 'down_revision = u"def"', "branch_labels = R'shop'", "depends_on = U'ghi'"),
    expected: { id: "abc", downRevisions: ["def"], branchLabels: ["shop"], dependsOn: ["ghi"] },
  },
  {
    name: "escapes are decoded",
    text: file(
      "'''it\\'s a \\\\ back\\x20slash'''",
      "revision = 'abc'",
      "down_revision = 'd\\x65\\u0066'",
      "branch_labels = '\\163hop'",
      "depends_on = 'a\\x2fb'",
    ),
    expected: { downRevisions: ["def"], branchLabels: ["shop"], dependsOn: ["a/b"], message: "it's a \\ back slash", longDoc: "it's a \\ back slash" },
  },
  {
    name: "a raw string keeps its backslashes",
    text: file("r'''a\\x65 \\' b'''", "revision = 'abc'", "down_revision = None"),
    expected: { message: "a\\x65 \\' b", longDoc: "a\\x65 \\' b" },
  },
  {
    name: "typing annotations, None",
    text: file(
      "from typing import Optional, Sequence, Tuple, Union",
      "revision: str = 'abc'",
      "down_revision: Union[str, None] = None",
      "branch_labels: Union[str, Sequence[str], None] = None",
      "depends_on: Optional[Tuple[str, ...]] = None",
    ),
    expected: { id: "abc", downRevisions: [] },
  },
  {
    name: "tuple, list and 1-tuple",
    text: vars("down_revision = ('d1', 'd2')", "branch_labels = ['shop', \"web\"]", "depends_on = ('ghi',)"),
    expected: { downRevisions: ["d1", "d2"], branchLabels: ["shop", "web"], dependsOn: ["ghi"] },
  },
  {
    name: "empty tuple and list mean None",
    text: vars("down_revision = ()", "branch_labels = []", "depends_on = ( )"),
    expected: { downRevisions: [] },
  },
  {
    name: "an empty string down_revision or depends_on means None (tuple_rev_as_scalar)",
    text: vars("down_revision = ''", 'depends_on = ""'),
    expected: { downRevisions: [] },
  },
  {
    name: "a parenthesised string is a string; a bare tuple is a tuple",
    text: vars("down_revision = ('def')", "depends_on = 'd1', 'd2'"),
    expected: { downRevisions: ["def"], dependsOn: ["d1", "d2"] },
  },
  {
    name: "multi-line values with trailing commas and comments",
    text: file(
      "revision = 'abc'",
      "down_revision = (  # the merged heads",
      "    'd1',  # shop (see #12)",
      "    # a comment line",
      '    "d2",',
      ")",
      "branch_labels = [",
      "    'shop',",
      "]",
      "depends_on = (",
      "    'ghi'",
      ")",
    ),
    expected: { downRevisions: ["d1", "d2"], branchLabels: ["shop"], dependsOn: ["ghi"] },
  },
  {
    name: "annotated multi-line tuple",
    text: file("from typing import Sequence, Union", "revision: str = 'abc'", "down_revision: Union[str, Sequence[str], None] = (", "    'd1',", "    'd2',", ")"),
    expected: { downRevisions: ["d1", "d2"] },
  },
  {
    name: "backslash continuation",
    text: file("revision = \\", "    'abc'", "down_revision = None"),
    expected: {},
  },
  {
    name: "strings holding '#', ')', '=' and newlines",
    text: file(
      "NOTE = '''revision = 'zzz'",
      "down_revision = None ) #",
      "'''",
      "revision = ('ab'  # ) ( '",
      "            'cd')",
      "down_revision = ('d1',  # ) ( '",
      "                 'd2')  # 'd3'",
      "SQL = \"revision = 'yyy' # )\"",
      "DOC = 'depends_on = (\"x)\", # ='",
    ),
    expected: { id: "abcd", downRevisions: ["d1", "d2"], dependsOn: [] },
  },
  {
    name: "variables inside def and class bodies are not taken",
    text: file(
      "revision = 'abc'",
      "down_revision = None",
      "",
      "def upgrade():",
      "    revision = 'zzz'",
      "    down_revision = get_parent()",
      "    if True:",
      "        depends_on = ('x',)",
      "",
      "",
      "class Helper:",
      "    branch_labels = ('nope',)",
      "",
      "    @staticmethod",
      "    def f():",
      "        revision = f'{x}'",
      "",
      "@staticmethod",
      "def downgrade():",
      "    revision: str = 'yyy'",
      "",
      "def g(): revision = 'www'",
    ),
    expected: { downRevisions: [] },
  },
  {
    name: "a duplicate assignment: the last one wins, as in Python",
    text: file("revision = 'abc'", "down_revision = 'd1'", "revision = 'xyz'", "down_revision = None"),
    expected: { id: "xyz", downRevisions: [] },
  },
  {
    name: "chained assignment and semicolons",
    text: file("revision = 'abc'; down_revision = 'def'", "branch_labels = depends_on = None"),
    expected: { downRevisions: ["def"] },
  },
  {
    name: "a bare annotation binds nothing; attributes and subscripts are not the variables",
    text: vars(
      "import types",
      "from typing import Sequence",
      "down_revision = None",
      "depends_on: Sequence[str]",
      "config = types.SimpleNamespace()",
      "config.revision = str()",
      "registry = {}",
      "registry[revision] = 1",
    ),
    expected: { downRevisions: [] },
  },
  {
    name: "keyword arguments and comparisons at module level are not assignments",
    text: vars("down_revision = None", "dict(revision='x', depends_on=str())", "assert revision == 'abc'"),
    expected: { downRevisions: [] },
  },
  {
    name: "legacy file: the id comes from the file name <hex>.py",
    text: file('"""add a column"""', "down_revision = None"),
    fileName: "ae1027a6acf.py",
    expected: { id: "ae1027a6acf", message: "add a column", longDoc: "add a column", downRevisions: [] },
  },
  // Docstrings: Script.longdoc = __doc__.strip(); Script.doc = re.split("\n\n", longdoc)[0].
  {
    name: "''' docstring after a shebang and an encoding comment",
    text: file("#!/usr/bin/env python", "# -*- coding: utf-8 -*-", "", "'''Add index", "", "Create Date: 2024-05-06 07:08:09'''", "revision = 'abc'", "down_revision = None"),
    expected: { message: "Add index", longDoc: "Add index\n\nCreate Date: 2024-05-06 07:08:09", createDate: "2024-05-06 07:08:09" },
  },
  {
    name: "the first paragraph may span several lines; the doc keeps its newlines",
    text: file('"""', "  Add index", "on customer.name", "  ", "second paragraph? no: a line of spaces is not an empty line", "", "Revision ID: abc", '"""', "revision = 'abc'", "down_revision = None"),
    expected: {
      message: "Add index\non customer.name\n  \nsecond paragraph? no: a line of spaces is not an empty line",
      longDoc: "Add index\non customer.name\n  \nsecond paragraph? no: a line of spaces is not an empty line\n\nRevision ID: abc",
    },
  },
  {
    name: "a one-line docstring with escapes, and a raw docstring",
    text: file('"tab\\there\\nnext"', "revision = 'abc'", "down_revision = None"),
    expected: { message: "tab\there\nnext", longDoc: "tab\there\nnext" },
  },
  {
    name: "a raw docstring",
    text: file('r"""C:\\new\\table', "", 'x"""', "revision = 'abc'", "down_revision = None"),
    expected: { message: "C:\\new\\table", longDoc: "C:\\new\\table\n\nx" },
  },
  {
    name: "adjacent literals form the docstring",
    text: file('("create "', ' "table")', "revision = 'abc'", "down_revision = None"),
    expected: { message: "create table", longDoc: "create table" },
  },
  {
    name: "a string after the first statement is no docstring",
    text: file("import sqlalchemy as sa", '"""create table"""', "revision = 'abc'", "down_revision = None"),
    expected: { message: "", longDoc: "" },
  },
  {
    name: "a bytes string is no docstring",
    text: file('b"""create table"""', "revision = 'abc'", "down_revision = None"),
    expected: { message: "", longDoc: "" },
  },
  {
    name: "CRLF line endings, a BOM and a Create Date with a time zone",
    text: "\uFEFF" + file('"""create table', "", "Create Date: 2024-04-01 17:25:38.123456+02:00  ", '"""', "revision = 'abc'", "down_revision = None").replace(/\n/g, "\r\n"),
    expected: { message: "create table", longDoc: "create table\n\nCreate Date: 2024-04-01 17:25:38.123456+02:00", createDate: "2024-04-01 17:25:38.123456+02:00" },
  },
  {
    name: "f-strings with nested quotes, format specs and braces do not confuse the tokenizer",
    text: file(
      "revision = 'abc'",
      "def upgrade():",
      "    op.execute(f\"SELECT {cols['a']!r:>{width}} FROM t WHERE x = '{{)}}'\")",
      "    op.execute(rf'''{",
      "        name",
      "    } ( \\' ''')",
      "down_revision = 'def'",
    ),
    expected: { downRevisions: ["def"] },
  },
  {
    name: "PEP 701 f-strings: reused quotes, comments in fields (Python 3.12)",
    text: file(
      "revision = 'abc'",
      'X = f"{d["key"]} )"',
      "def upgrade():",
      "    op.execute(f'''{",
      "        name  # a comment inside a field: ' ) }",
      "    }''')",
      "down_revision = 'def'",
    ),
    expected: { downRevisions: ["def"] },
    alembic: false,
  },
];

const DEFAULTS = { id: "abc", downRevisions: [], branchLabels: [], dependsOn: [], message: "", longDoc: "", createDate: null };
const expectedOf = (c: ValidCase): AlembicScript => ({ ...DEFAULTS, ...c.expected, path: PATH });

describe("parseAlembicScript: valid files", () => {
  it.each(VALID)("$name", (c) => {
    expect(parseAlembicScript(c.text, PATH, c.fileName ?? FILE_NAME)).toEqual(expectedOf(c));
  });

  it("keeps the path as given", () => {
    expect(parseAlembicScript(TUTORIAL, "a/b/x.py", "x.py").path).toBe("a/b/x.py");
  });
});

// ---------------------------------------------------------------------------------------------
// Errors, table-driven
// ---------------------------------------------------------------------------------------------

interface ErrorCase {
  name: string;
  text: string;
  fileName?: string;
  line: number;
  patterns: RegExp[];
  /** The real Alembic fails on this file too (cross-checked). */
  alembicFails?: boolean;
}

const escape = (s: string): RegExp => new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
const NOT_STATIC = (name: string, value: string): RegExp[] => [escape(`cannot read the value of '${name}' without running Python: ${value}.`), escape(FIX)];

const ERRORS: ErrorCase[] = [
  { name: "a call", text: file('"""doc"""', "revision = get_id()", "down_revision = None"), line: 2, patterns: NOT_STATIC("revision", "get_id()"), alembicFails: true },
  { name: "a name", text: vars("down_revision = PARENT"), line: 2, patterns: NOT_STATIC("down_revision", "PARENT"), alembicFails: true },
  { name: "an f-string", text: vars("down_revision = None", "branch_labels = f'{x}'"), line: 3, patterns: NOT_STATIC("branch_labels", "f'{x}'") },
  { name: "concatenation with +", text: file("revision = 'ab' + 'c'", "down_revision = None"), line: 1, patterns: NOT_STATIC("revision", "'ab' + 'c'") },
  { name: "a conditional", text: vars("x = 1", "down_revision = 'a' if x else None"), line: 3, patterns: NOT_STATIC("down_revision", "'a' if x else None") },
  {
    name: "a call inside a multi-line tuple: the line of the assignment",
    text: vars("down_revision = None", "", "depends_on = (", "    'a',", "    other(),", ")"),
    line: 4,
    patterns: NOT_STATIC("depends_on", "( 'a', other(), )"),
  },
  { name: "a bytes string", text: file("revision = b'abc'", "down_revision = None"), line: 1, patterns: NOT_STATIC("revision", "b'abc'") },
  { name: "a number", text: vars("down_revision = 1"), line: 2, patterns: NOT_STATIC("down_revision", "1") },
  { name: "a \\N{} escape", text: vars("down_revision = 'a\\N{BULLET}'"), line: 2, patterns: [/Write the characters of \\N\{\.\.\.\} escapes themselves/] },
  { name: "a number in a tuple", text: vars("down_revision = ('a', 1)"), line: 2, patterns: NOT_STATIC("down_revision", "('a', 1)") },
  { name: "a nested tuple", text: vars("down_revision = ('a', ('b',))"), line: 2, patterns: [/'down_revision' holds a nested tuple or list among its items; write the value as a string literal/] },
  { name: "None in a tuple", text: vars("down_revision = ('a', None)"), line: 2, patterns: [/'down_revision' holds None among its items; /] },
  { name: "revision = None", text: file("revision = None", "down_revision = None"), line: 1, patterns: [/'revision' must be a string literal \(the revision id\), not None/], alembicFails: true },
  { name: "revision as a tuple", text: file("x = 1", "revision = ('a', 'b')", "down_revision = None"), line: 2, patterns: [/'revision' must be a string literal \(the revision id\), not a tuple or list/] },
  {
    name: "an id with a forbidden character",
    text: file("revision = 'aa-1111'", "down_revision = None"),
    line: 1,
    patterns: [/Character\(s\) '-' not allowed in revision identifier 'aa-1111'/],
    alembicFails: true,
  },
  { name: "an empty id", text: file("revision = ''", "down_revision = None"), line: 1, patterns: [/a revision id cannot be empty/] },
  { name: "a bad id in down_revision", text: vars("down_revision = ('d1', 'd:2')"), line: 2, patterns: [/in 'down_revision': Character\(s\) ':' not allowed in revision identifier 'd:2'/] },
  { name: "an empty id in down_revision", text: vars("down_revision = ('d1', '')"), line: 2, patterns: [/'down_revision' holds an empty string; write None for none/] },
  { name: "an empty branch label", text: vars("down_revision = None", "branch_labels = ''"), line: 3, patterns: [/'branch_labels' holds an empty string/] },
  { name: "a branch label with a space", text: vars("down_revision = None", "branch_labels = ('a b',)"), line: 3, patterns: [/in 'branch_labels': branch label 'a b' contains white space/] },
  {
    name: "missing down_revision: on the line of revision",
    text: file('"""doc"""', "", "revision = 'abc'"),
    line: 3,
    patterns: [/missing module-level 'down_revision'; Alembic requires it\. Add down_revision = None for a base revision/],
    alembicFails: true,
  },
  {
    name: "missing down_revision and revision: line 1",
    text: file('"""doc"""'),
    fileName: "ae1027a6acf.py",
    line: 1,
    patterns: [/missing module-level 'down_revision'/],
    alembicFails: true,
  },
  {
    name: "a legacy file whose name is not <hex>.py (Alembic's re.match is anchored at the start)",
    text: file('"""add a column"""', "", "down_revision = '1975ea83b712'"),
    fileName: "ae1027a6acf_add_column.py",
    line: 3,
    patterns: [/missing module-level 'revision', and the file name 'ae1027a6acf_add_column\.py' is not '<hex id>\.py'/, /Add revision = '<id>'/],
    alembicFails: true,
  },
  { name: "an augmented assignment", text: vars("revision += 'x'", "down_revision = None"), line: 2, patterns: [/cannot read 'revision' from 'revision \+= 'x''; assign it on its own line/] },
  { name: "unpacking", text: file("revision, down_revision = 'abc', None"), line: 1, patterns: [/cannot read 'revision' from 'revision, down_revision = 'abc', None'/, escape(FIX)] },
  { name: "parenthesised unpacking", text: vars("(down_revision, x) = (None, 1)"), line: 2, patterns: [/cannot read 'down_revision' from/] },
  { name: "an import", text: vars("from .common import (x,", "    down_revision)"), line: 3, patterns: [/cannot read 'down_revision' from 'from \.common import \(x, down_revision\)'/] },
  {
    name: "inside an if block at module level",
    text: file("revision = 'abc'", "if TESTING:", "    down_revision = None", "else:", "    down_revision = 'def'"),
    line: 3,
    patterns: [/'down_revision' is assigned inside the 'if' statement of line 2; retort reads only plain module-level assignments/, escape(FIX)],
  },
  {
    name: "annotated, inside a try block",
    text: file("revision = 'abc'", "down_revision = None", "try:", "    import x", "    depends_on: str = 'a'", "except ImportError:", "    pass"),
    line: 5,
    patterns: [/'depends_on' is assigned inside the 'try' statement of line 3/],
  },
  { name: "a one-line if", text: vars("if X: down_revision = None"), line: 2, patterns: [/'down_revision' is assigned inside the 'if' statement of line 2/] },
  { name: "a for loop", text: vars("down_revision = None", "for depends_on in []:", "    pass"), line: 3, patterns: [/'depends_on' is assigned inside the 'for' statement of line 3/] },
  {
    name: "the last of duplicate assignments is the one read",
    text: file("revision = 'abc'", "down_revision = None", "down_revision = parent()"),
    line: 3,
    patterns: NOT_STATIC("down_revision", "parent()"),
    alembicFails: true,
  },
  {
    name: "line numbers count the lines of the tutorial's docstring",
    text: TUTORIAL.replace("down_revision = '784a7abb86b7'", "down_revision = PARENT"),
    line: 14,
    patterns: NOT_STATIC("down_revision", "PARENT"),
    alembicFails: true,
  },
  {
    name: "line numbers count multi-line strings, f-strings and continuations",
    text: file('"""a', "", 'b"""', "revision = 'abc'", "X = f'''{", "1", "}'''", "Y = 'a\\", "b' \\", "  'c'", "down_revision = x"),
    line: 11,
    patterns: NOT_STATIC("down_revision", "x"),
    alembicFails: true,
  },
  { name: "an unterminated string", text: file("revision = 'abc", "down_revision = None"), line: 1, patterns: [/unterminated string; Python cannot import this file either/], alembicFails: true },
  { name: "an unterminated docstring", text: file('"""doc', "revision = 'abc'"), line: 1, patterns: [/unterminated string/], alembicFails: true },
  { name: "an unclosed bracket", text: file("revision = 'abc'", "down_revision = ('a',", "", "def upgrade(): pass"), line: 2, patterns: [/'\(' is never closed/], alembicFails: true },
  { name: "a mismatched bracket", text: file("revision = 'abc'", "down_revision = ('a']"), line: 2, patterns: [/'\]' does not close the '\(' opened on line 2/], alembicFails: true },
];

// Ids and labels that would break file names, SQL or reports, however the file spells them.
ERRORS.push(
  ...["a|b", "a<b", "a/b", "a\\\\b", "a'b", 'a\\"b', "a`b", "a\\u202eb", "a\\x1bb"].map((id) => ({
    name: `revision = ${JSON.stringify(id)}`,
    text: file(`revision = "${id}"`, "down_revision = None"),
    line: 1,
    patterns: [/revision id '.+' contains '.+', which would break file names, SQL or reports\. Revision ids are 1 to 128 ASCII letters/],
  })),
  { name: "a down revision with '|'", text: vars("down_revision = ('a1', 'b|2')"), line: 2, patterns: [/in 'down_revision': revision id 'b\|2' contains '\|'/] },
  { name: "a branch label with '<'", text: vars("down_revision = None", "branch_labels = ('ok', '<b>')"), line: 3, patterns: [/in 'branch_labels': branch label '<b>' contains '<', '>'/] },
  { name: "a depends_on entry with '`'", text: vars("down_revision = None", "depends_on = 'a`b'"), line: 3, patterns: [/in 'depends_on': branch label 'a`b' contains '`'/] },
);

describe("parseAlembicScript: errors", () => {
  it.each(ERRORS)("$name", (c) => {
    const err = parseError(c.text, c.fileName);
    expect(err).toBeInstanceOf(RetortError);
    expect(err.code).toBe("revision-file");
    expect(err.file).toBe(PATH);
    expect(err.line).toBe(c.line);
    expect(err.message.startsWith(`${PATH}:${c.line}: `)).toBe(true);
    for (const p of c.patterns) expect(err.message).toMatch(p);
  });
});

// ---------------------------------------------------------------------------------------------
// Cross-check against the real Alembic (Debian's python3-alembic), when installed
// ---------------------------------------------------------------------------------------------

const PYTHON = "/usr/bin/python3";
const TEMPLATE_MAKO = "/usr/lib/python3/dist-packages/alembic/templates/generic/script.py.mako";

function alembicAvailable(): boolean {
  try {
    execFileSync(PYTHON, ["-c", "import alembic, mako"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

// Loads each file as Alembic does (Script._from_filename) and reports what its revision map
// uses: down revisions and dependencies are falsy-to-empty as in RevisionMap.
const LOAD_SCRIPTS = `
import json, sys, types
from alembic import util
from alembic.script.base import Script
out = []
for d, f in zip(sys.argv[1::2], sys.argv[2::2]):
    try:
        s = Script._from_filename(types.SimpleNamespace(sourceless=False), d, f)
        out.append({
            "id": s.revision,
            "downRevisions": list(util.to_tuple(s.down_revision)) if s.down_revision else [],
            "branchLabels": list(s._orig_branch_labels),
            "dependsOn": list(util.to_tuple(s.dependencies)) if s.dependencies else [],
            "message": s.doc,
            "longDoc": s.longdoc,
        })
    except BaseException as e:
        out.append({"error": type(e).__name__ + ": " + str(e)})
print(json.dumps(out))
`;

const RENDER_TEMPLATE = `
import datetime, sys
from alembic import util
util.template_to_file(
    sys.argv[1], sys.argv[2], "utf-8",
    up_revision="ae1027a6acf",
    down_revision=("1975ea83b712", "27c6a30d7c24"),
    branch_labels=("shop",),
    depends_on="784a7abb86b7",
    create_date=datetime.datetime(2024, 4, 1, 17, 25, 38, 512734),
    comma=util.format_as_comma,
    message="add account table",
    imports="",
    upgrades=None,
    downgrades=None,
)
`;

/** The fields Alembic has too (it has no create date; the path differs). */
const alembicFields = (s: Omit<AlembicScript, "path">) => ({
  id: s.id,
  downRevisions: s.downRevisions,
  branchLabels: s.branchLabels,
  dependsOn: s.dependsOn,
  message: s.message,
  longDoc: s.longDoc,
});

describe.skipIf(!alembicAvailable())("parseAlembicScript agrees with Alembic", () => {
  const root = mkdtempSync(join(tmpdir(), "retort-alembic-script-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let dirs = 0;

  /** What Alembic makes of each file: its fields, or the error it raises. */
  function alembicLoads(files: { text: string; fileName: string }[]): Record<string, unknown>[] {
    const args: string[] = [];
    files.forEach((f) => {
      const dir = join(root, `case${++dirs}`);
      mkdirSync(dir);
      writeFileSync(join(dir, f.fileName), f.text);
      args.push(dir, f.fileName);
    });
    return JSON.parse(execFileSync(PYTHON, ["-c", LOAD_SCRIPTS, ...args], { cwd: root, encoding: "utf8" })) as Record<string, unknown>[];
  }

  it("the installed template renders to the TEMPLATE fixture", () => {
    const dest = join(root, "rendered.py");
    execFileSync(PYTHON, ["-c", RENDER_TEMPLATE, TEMPLATE_MAKO, dest]);
    const rendered = readFileSync(dest, "utf8");
    expect(rendered).toBe(TEMPLATE);
    expect(alembicLoads([{ text: rendered, fileName: "ae1027a6acf_add_account_table.py" }])[0]).toEqual(alembicFields(TEMPLATE_EXPECTED));
  });

  it("every valid file: id, down revisions, labels, dependencies, doc and longdoc", () => {
    const cases = VALID.filter((c) => c.alembic !== false);
    const results = alembicLoads(cases.map((c) => ({ text: c.text, fileName: c.fileName ?? FILE_NAME })));
    cases.forEach((c, i) => {
      const ours = alembicFields(parseAlembicScript(c.text, PATH, c.fileName ?? FILE_NAME));
      expect({ name: c.name, ...results[i] }).toEqual({ name: c.name, ...ours });
    });
  });

  it("Alembic fails on the files marked so", () => {
    const cases = ERRORS.filter((c) => c.alembicFails);
    const results = alembicLoads(cases.map((c) => ({ text: c.text, fileName: c.fileName ?? FILE_NAME })));
    cases.forEach((c, i) => expect({ name: c.name, ...results[i] }).toHaveProperty("error"));
  });
});
