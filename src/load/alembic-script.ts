// Alembic revision files (`versions/*.py`), read statically: retort never runs Python. Only
// the module-level identifiers and the module docstring matter:
//
//   """Create table customer                   <- the docstring: Alembic's doc is its first
//                                                  paragraph, its longdoc the whole of it
//   Revision ID: b1bc43e2f536
//   Revises: 784a7abb86b7
//   Create Date: 2024-04-01 17:25:38.123456    <- the create date, when present
//
//   """
//   revision: str = 'b1bc43e2f536'             <- else (legacy) the file name `<hex>.py`
//   down_revision: Union[str, None] = '784a7abb86b7'   <- required: None for a base
//   branch_labels = None                       <- optional
//   depends_on = None                          <- optional
//
// Each value must be a literal: a string, None, or a tuple or list of strings, read by the
// Python-literal reader (python-literal.ts) from the file's logical lines; bodies of `def` and
// `class` are skipped. A value may also name module-level constants of the file or of the
// project's modules (`branch_labels = (cli.EXPAND_BRANCH,)`), resolved by python-refs.ts; one
// that is still undecidable is, when the caller allows it, left for Alembic to answer
// (`unresolved`), else an error naming the file, the line and the expression.

import { RevisionFileError } from "../core/errors.js";
import { invalidBranchLabel, invalidRevisionId, REVISION_ID_RULE } from "../core/revision.js";
import { literal, logicalLines, type LogicalLine, type Token, type Value } from "./python-literal.js";
import { moduleBindings, Undecidable, type ModuleBindings, type ModuleResolver } from "./python-refs.js";

export interface AlembicScript {
  /** `revision`, or for a legacy file without it, the id of a file named `<hex>.py`. */
  id: string;
  /** `down_revision` as a list: None, '' and () give []; a string gives [string]. */
  downRevisions: string[];
  branchLabels: string[];
  dependsOn: string[];
  /** Alembic's `Script.doc`: the stripped docstring up to its first "\n\n" (it may hold
   *  single newlines); "" without a docstring. */
  message: string;
  /** Alembic's `Script.longdoc`: the module docstring, stripped as Python's str.strip(). */
  longDoc: string;
  /** The value of the docstring's "Create Date:" line, if any. */
  createDate: string | null;
  path: string;
  /** Values retort could not decide statically (only with `defer`): their fields hold
   *  placeholders ("" for the id, [] for the lists) until Alembic's answer replaces them. */
  unresolved?: Unresolved[];
}

/** A value of a revision file that only Python can tell. */
export interface Unresolved {
  readonly variable: "revision" | "down_revision" | "branch_labels" | "depends_on";
  readonly line: number;
  /** The expression as written (shortened). */
  readonly expression: string;
  /** Why it could not be read. */
  readonly why: string;
}

/** How references are read: the project's modules, and whether an undecidable value is left
 *  for Alembic (`defer`) or an error. */
export interface ReferenceOptions {
  readonly modules: ModuleResolver;
  readonly defer: boolean;
}

/** What to do with an undecidable value besides a literal (the end of the error). */
export const UNDECIDABLE_FIX =
  "write the value as a literal (a string, a tuple/list of strings, or None) or a name assigned one at module level (here or in a module of the project), " +
  "or make Alembic available (--alembic-command) so that retort reads the graph through Alembic";

const VARIABLES = ["revision", "down_revision", "branch_labels", "depends_on"] as const;
type Variable = (typeof VARIABLES)[number];
const isVariable = (name: string): name is Variable => (VARIABLES as readonly string[]).includes(name);

const FIX = "write the value as a string literal, a tuple/list of string literals, or None";
/** Alembic's legacy id: `re.match(r"([a-f0-9]+)\.py$", filename)` (anchored at the start). */
const LEGACY_FILE_NAME = /^([a-f0-9]+)\.py$/;

interface Assignment {
  readonly line: number;
  readonly value: readonly Token[];
}

const AUGMENTED = new Set(["+=", "-=", "*=", "/=", "//=", "%=", "**=", ">>=", "<<=", "&=", "^=", "|=", "@="]);
const COMPOUND = new Set(["if", "elif", "else", "for", "while", "try", "except", "finally", "with", "async", "match", "case"]);

/** What every step of reading one file needs: how to fail (naming the file and line) and how
 *  to quote the source; how to resolve references, and the values left for Alembic. */
interface Reader {
  readonly fail: (line: number, message: string) => never;
  readonly snippet: (tokens: readonly Token[]) => string;
  readonly refs: ReferenceOptions | undefined;
  /** The file's module-level bindings (read on first use). */
  readonly bindings: () => ModuleBindings;
  readonly unresolved: Unresolved[];
}

/** The module-level assignments of the variables, and the module docstring. */
interface Module {
  readonly assignments: Map<Variable, Assignment>;
  readonly docstring: string | null;
}

/** An open block of a compound statement. */
interface Block {
  readonly indent: number;
  readonly keyword: string;
  readonly line: number;
  /** A `def` or `class` body: not module level at all. */
  readonly def: boolean;
}

/** Parses one Alembic revision file. `path` is used in errors and kept; `fileName` (the base
 *  name) gives the id of a legacy file without a `revision` variable. */
export function parseAlembicScript(text: string, path: string, fileName: string, refs?: ReferenceOptions): AlembicScript {
  const src = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  let bindings: ModuleBindings | null = null;
  const fail = (line: number, message: string): never => {
    throw new RevisionFileError(path, line, message);
  };
  const lines = logicalLines(src, fail);
  const reader: Reader = {
    fail,
    snippet: (tokens) => {
      const s = src.slice(tokens[0]!.start, tokens[tokens.length - 1]!.end).replace(/\s+/g, " ");
      return s.length > 60 ? s.slice(0, 57) + "..." : s;
    },
    refs,
    bindings: () => (bindings ??= moduleBindings(lines)),
    unresolved: [],
  };
  const { assignments, docstring } = readModule(lines, reader);

  // The values, checked as Alembic's Script and Revision would take them.
  const id = revisionId(assignments, fileName, reader);
  if (!assignments.has("down_revision")) {
    reader.fail(
      assignments.get("revision")?.line ?? 1,
      "missing module-level 'down_revision'; Alembic requires it. Add down_revision = None for a base revision, or " +
        "down_revision = '<parent id>' (a tuple of ids for a merge)",
    );
  }
  const list = (name: Variable, check: (item: string) => string | null) => stringsOf(name, assignments.get(name), check, reader);
  const downRevisions = list("down_revision", (s) => {
    const bad = invalidRevisionId(s);
    return bad && `${bad}. ${REVISION_ID_RULE}`;
  });
  const branchLabels = list("branch_labels", invalidBranchLabel);
  const dependsOn = list("depends_on", invalidBranchLabel);

  // Script.longdoc is `module.__doc__.strip()`, Script.doc `re.split("\n\n", longdoc)[0]`.
  const longDoc = pyStrip(docstring ?? "");
  const createDate = /^[ \t]*Create Date:[ \t]*(.*?)[ \t]*$/m.exec(longDoc)?.[1] || null;
  return {
    id,
    downRevisions,
    branchLabels,
    dependsOn,
    message: longDoc.split("\n\n")[0]!,
    longDoc,
    createDate,
    path,
    ...(reader.unresolved.length > 0 ? { unresolved: reader.unresolved } : {}),
  };
}

/** What Alembic's module said for one revision file's variables (alembic/graph.ts), as JSON:
 *  a string, null, a list of them, or {type, repr} for anything else; absent: not set. */
export type AlembicAnswer = Partial<Record<Variable, unknown>>;

/** `script` with the values it left unresolved taken from Alembic's `answer`, checked as the
 *  static values are (so both ways give the same revisions, or the same errors). */
export function withAlembicAnswer(script: AlembicScript, answer: AlembicAnswer): AlembicScript {
  const reader: Reader = {
    fail: (line, message) => {
      throw new RevisionFileError(script.path, line, message);
    },
    snippet: () => "",
    refs: undefined,
    bindings: () => ({ names: new Map(), stars: [] }),
    unresolved: [],
  };
  const out: AlembicScript = { ...script };
  delete out.unresolved;
  for (const u of script.unresolved ?? []) {
    const v = valueOfAnswer(u, answer[u.variable], reader);
    if (u.variable === "revision") {
      if (v.kind !== "str") reader.fail(u.line, `Alembic reads 'revision' as ${describe(v)}; write revision = '<id>'`);
      const id = (v as { value: string }).value;
      const bad = invalidRevisionId(id);
      if (bad) reader.fail(u.line, `${bad}. ${REVISION_ID_RULE}`);
      out.id = id;
    } else if (u.variable === "down_revision") {
      out.downRevisions = checkedStrings(u.variable, u.line, v, (x) => {
        const bad = invalidRevisionId(x);
        return bad && `${bad}. ${REVISION_ID_RULE}`;
      }, reader);
    } else {
      const list = checkedStrings(u.variable, u.line, v, invalidBranchLabel, reader);
      if (u.variable === "branch_labels") out.branchLabels = list;
      else out.dependsOn = list;
    }
  }
  return out;
}

/** A JSON value from Alembic as a Value; anything else is an error naming what Python holds. */
function valueOfAnswer(u: Unresolved, json: unknown, reader: Reader): Value {
  const convert = (x: unknown): Value | null => {
    if (x === null) return { kind: "none" };
    if (typeof x === "string") return { kind: "str", value: x };
    if (Array.isArray(x)) {
      const items = x.map(convert);
      return items.every((i) => i !== null) ? { kind: "seq", items: items as Value[] } : null;
    }
    return null;
  };
  const v = json === undefined ? null : convert(json);
  if (v === null) {
    // The first item Python holds that is no string, None or list ({type, repr} from the bootstrap).
    const odd = (x: unknown): unknown => (Array.isArray(x) ? x.map(odd).find((y) => y !== undefined) : x === null || typeof x === "string" ? undefined : x);
    const found = odd(json) as { type?: unknown; repr?: unknown } | undefined;
    const held =
      json === undefined
        ? "nothing (the module does not set it)"
        : typeof found === "object" && found !== null && typeof found.type === "string"
          ? `${found.type} ${String(found.repr)}`
          : "a value retort cannot use";
    reader.fail(u.line, `'${u.variable} = ${u.expression}' gives ${held} when Alembic imports the file; ${FIX}`);
  }
  return v!;
}

/** Walks the logical lines: records the module-level assignments and the docstring, and fails
 *  on a variable bound where retort cannot read it. */
function readModule(lines: readonly LogicalLine[], reader: Reader): Module {
  const assignments = new Map<Variable, Assignment>();
  let docstring: string | null = null;
  // Open blocks of compound statements: `def` and `class` bodies are not module level; the
  // bodies of `if`, `for`, `try`... are, but are not read (an assignment there is an error).
  const blocks: Block[] = [];
  for (const [index, logical] of lines.entries()) {
    while (blocks.length > 0 && blocks[blocks.length - 1]!.indent >= logical.indent) blocks.pop();
    const first = logical.tokens[0]!;
    const last = logical.tokens[logical.tokens.length - 1]!;
    const keyword = first.kind === "name" ? first.text : first.text === "@" ? "@" : "";
    const isDef = keyword === "def" || keyword === "class" || keyword === "@" || (keyword === "async" && logical.tokens[1]?.text === "def");
    const isCompound = !isDef && COMPOUND.has(keyword) && logical.tokens.some((t) => t.depth === 0 && t.kind === "op" && t.text === ":");
    if (!blocks.some((b) => b.def) && !isDef) {
      const statements = splitStatements(logical.tokens);
      if (index === 0) docstring = docstringOf(statements[0]!);
      // Inside a block, or the one-line body of a compound statement (`if x: revision = 'a'`).
      const block = blocks[blocks.length - 1] ?? (isCompound ? { keyword, line: logical.line } : undefined);
      for (const statement of statements) {
        if (block) refuseInBlock(statement, block, reader);
        else moduleStatement(statement, assignments, reader);
      }
    }
    if (last.kind === "op" && last.text === ":" && (isDef || isCompound)) {
      blocks.push({ indent: logical.indent, keyword: keyword === "@" ? "def" : keyword, line: logical.line, def: isDef });
    }
  }
  return { assignments, docstring };
}

/** Fails when `statement`, inside the block `where`, binds one of the variables. */
function refuseInBlock(statement: readonly Token[], where: { readonly keyword: string; readonly line: number }, reader: Reader): void {
  const bound = boundVariable(statement);
  if (!bound) return;
  reader.fail(
    bound.line,
    `'${bound.text}' is assigned inside the '${where.keyword}' statement of line ${where.line}; retort reads only ` +
      `plain module-level assignments. Assign it at module level, outside any block, and ${FIX}`,
  );
}

/** `revision`, or for a legacy file without it, the id its name gives. */
function revisionId(assignments: ReadonlyMap<Variable, Assignment>, fileName: string, reader: Reader): string {
  const assignment = assignments.get("revision");
  let id: string;
  if (assignment) {
    const v = valueOf("revision", assignment, reader);
    if (v === null) return "";
    if (v.kind !== "str") {
      reader.fail(assignment.line, `'revision' must be a string literal (the revision id), not ${describe(v)}; write revision = '<id>'`);
    }
    id = (v as { value: string }).value;
  } else {
    const m = LEGACY_FILE_NAME.exec(fileName);
    if (!m) {
      reader.fail(
        assignments.get("down_revision")?.line ?? 1,
        `missing module-level 'revision', and the file name '${fileName}' is not '<hex id>.py' (the only legacy form ` +
          `Alembic takes the id from). Add revision = '<id>' next to down_revision`,
      );
    }
    id = m![1]!;
  }
  const badId = invalidRevisionId(id);
  if (badId) reader.fail(assignment?.line ?? 1, `${badId}. ${REVISION_ID_RULE}`);
  return id;
}

/** The strings a list variable holds ([] when it is not assigned), each passing `check`. */
function stringsOf(name: Variable, a: Assignment | undefined, check: (item: string) => string | null, reader: Reader): string[] {
  if (!a) return [];
  const v = valueOf(name, a, reader);
  return v === null ? [] : checkedStrings(name, a.line, v, check, reader);
}

/** The strings of value `v` of the list variable `name` (assigned on `line`). */
function checkedStrings(name: Variable, line: number, v: Value, check: (item: string) => string | null, reader: Reader): string[] {
  const { fail } = reader;
  const a = { line };
  // None, () and (for down_revision and depends_on, which Alembic reads through
  // tuple_rev_as_scalar) '' mean nothing.
  if (v.kind === "none" || (v.kind === "str" && v.value === "" && name !== "branch_labels")) return [];
  const items = v.kind === "str" ? [v] : v.kind === "seq" ? v.items : [];
  return items.map((item) => {
    if (item.kind !== "str") fail(a.line, `'${name}' holds ${item.kind === "seq" ? "a nested tuple or list" : "None"} among its items; ${FIX}`);
    const s = (item as { value: string }).value;
    if (s === "") fail(a.line, `'${name}' holds an empty string; write None for none`);
    const bad = check(s);
    if (bad) fail(a.line, `in '${name}': ${bad}`);
    return s;
  });
}

/** The statements of a logical line, split on its top-level ';'. */
function splitStatements(tokens: readonly Token[]): Token[][] {
  const statements: Token[][] = [[]];
  for (const t of tokens) {
    if (t.kind === "op" && t.text === ";" && t.depth === 0) statements.push([]);
    else statements[statements.length - 1]!.push(t);
  }
  return statements.filter((s) => s.length > 0);
}

/** The module docstring, when `statement` (the module's first) is one: string literals only,
 *  neither bytes nor f-strings. */
function docstringOf(statement: readonly Token[] | undefined): string | null {
  if (!statement) return null;
  // Parentheses around the literals change nothing: `("create " "table")` is a docstring.
  let from = 0;
  let to = statement.length;
  while (to - from > 2 && statement[from]!.text === "(" && statement[to - 1]!.text === ")") {
    from++;
    to--;
  }
  const literals = statement.slice(from, to);
  if (!literals.every((t) => t.kind === "string" && t.value !== undefined && !t.prefix!.includes("b"))) return null;
  return literals.map((t) => t.value).join("");
}

/** Reads a statement at module level (outside any block): records an assignment of one of the
 *  variables, or fails when one is bound in a way retort cannot read. */
function moduleStatement(
  statement: readonly Token[],
  assignments: Map<Variable, Assignment>,
  { fail, snippet }: Reader,
): void {
  const isOp = (t: Token | undefined, text: string): boolean => t?.kind === "op" && t.text === text && t.depth === 0;
  const equals = statement.flatMap((t, i) => (isOp(t, "=") ? [i] : []));
  const first = statement[0]!;
  if (equals.length === 0) {
    // Annotation alone (`revision: str`) binds nothing; other forms that bind are errors.
    if (first.kind === "name" && isVariable(first.text) && isOp(statement[1], ":")) return;
    const bound = boundVariable(statement);
    if (bound) fail(bound.line, `cannot read '${bound.text}' from '${snippet(statement)}'; assign it on its own line and ${FIX}`);
    return;
  }
  // `a = b = value`: every part before the last '=' is a target.
  const value = statement.slice(equals[equals.length - 1]! + 1);
  let start = 0;
  for (const end of equals) {
    const target = statement.slice(start, end);
    start = end + 1;
    const name = target[0]!;
    const simple = target.length === 1 || (equals.length === 1 && isOp(target[1], ":"));
    if (name.kind === "name" && isVariable(name.text) && simple) {
      if (value.length === 0) fail(name.line, `'${name.text}' has no value; ${FIX}`);
      assignments.set(name.text, { line: name.line, value });
    } else {
      // Unpacking (`revision, down_revision = ...`) or a starred target binds the names too.
      // An attribute or subscript (`revision.x = `, `d[revision] = `) binds nothing.
      const unpacked = target.find(
        (t, i) =>
          t.kind === "name" &&
          isVariable(t.text) &&
          target[i - 1]?.text !== "." &&
          ![".", "[", "("].includes(target[i + 1]?.text ?? "") &&
          (t.depth === 0 || target[0]!.text === "(" || target[0]!.text === "["),
      );
      if (unpacked) fail(unpacked.line, `cannot read '${unpacked.text}' from '${snippet(statement)}'; assign it on its own line and ${FIX}`);
    }
  }
}

/** One of the variables that `statement` binds (an assignment, augmented assignment, walrus,
 *  `for`, `as` or import), or undefined. */
function boundVariable(statement: readonly Token[]): Token | undefined {
  // Only the targets, before the last top-level '=', are bound (`x = revision, 1` binds x).
  const lastEquals = statement.findLastIndex((t) => t.kind === "op" && t.text === "=" && t.depth === 0);
  const importing = statement[0]?.text === "import" || statement[0]?.text === "from";
  return statement.find((t, i) => {
    if (t.kind !== "name" || !isVariable(t.text)) return false;
    const prev = statement[i - 1];
    const next = statement[i + 1];
    if (prev?.text === ".") return false;
    const target = i < lastEquals;
    if (next?.kind === "op" && (((next.text === "=" || next.text === ",") && t.depth === 0 && target) || next.text === ":=" || AUGMENTED.has(next.text))) return true;
    if (i === 0 && next?.text === ":" && target) return true;
    if (prev?.kind === "name" && (prev.text === "as" || (prev.text === "for" && prev.depth === 0))) return true;
    if (importing && prev?.text === "import") return true;
    if (importing && prev?.text === "," && statement.some((s) => s.text === "import")) return true;
    return false;
  });
}

/** The value of an assignment: a literal, else references resolved (python-refs.ts); null
 *  when it is undecidable and left for Alembic (`refs.defer`), else an error. */
function valueOf(name: Variable, a: Assignment, reader: Reader): Value | null {
  const { fail, snippet, refs } = reader;
  const v = literal(a.value);
  if (v) return v;
  const named = a.value.some((t) => t.namedEscapes);
  if (named) fail(a.line, `cannot read the value of '${name}' without running Python: ${snippet(a.value)}. Write the characters of \\N{...} escapes themselves, and ${FIX}`);
  if (!refs) fail(a.line, `cannot read the value of '${name}' without running Python: ${snippet(a.value)}. Retort reads files statically: ${FIX}`);
  try {
    return refs!.modules.valueOf(a.value, reader.bindings());
  } catch (e) {
    if (!(e instanceof Undecidable)) throw e;
    if (refs!.defer) {
      reader.unresolved.push({ variable: name, line: a.line, expression: snippet(a.value), why: e.message });
      return null;
    }
    return fail(a.line, `cannot read the value of '${name}' without running Python: ${snippet(a.value)} (${e.message}). To fix, ${UNDECIDABLE_FIX}`);
  }
}

function describe(v: Value): string {
  return v.kind === "none" ? "None" : v.kind === "seq" ? "a tuple or list" : "a string";
}

/** Python's str.strip(): the characters for which str.isspace() is true. */
function pyStrip(s: string): string {
  const ws = "[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  return s.replace(new RegExp(`^${ws}+|${ws}+$`, "g"), "");
}
