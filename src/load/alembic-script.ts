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
// Each value must be a literal: a string, None, or a tuple or list of strings. A small Python
// tokenizer (strings with their escapes and prefixes, f-strings, comments, brackets, line
// continuations) splits the file into logical lines, so that a '#', '=', ')' or newline inside
// a string never confuses the reader; bodies of `def` and `class` are skipped.

import { RevisionFileError } from "../core/errors.js";
import { invalidBranchLabel, invalidRevisionId, REVISION_ID_RULE } from "../core/revision.js";

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
}

const VARIABLES = ["revision", "down_revision", "branch_labels", "depends_on"] as const;
type Variable = (typeof VARIABLES)[number];
const isVariable = (name: string): name is Variable => (VARIABLES as readonly string[]).includes(name);

const FIX = "write the value as a string literal, a tuple/list of string literals, or None";
/** Alembic's legacy id: `re.match(r"([a-f0-9]+)\.py$", filename)` (anchored at the start). */
const LEGACY_FILE_NAME = /^([a-f0-9]+)\.py$/;

// ---------------------------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------------------------

interface Token {
  readonly kind: "name" | "number" | "string" | "op";
  /** The source text (for a string, with its prefix and quotes). */
  readonly text: string;
  readonly line: number;
  readonly start: number;
  readonly end: number;
  /** Bracket depth inside the logical line (a bracket itself counts as outside). */
  readonly depth: number;
  /** Strings: the lower-case prefix ("", "r", "u", "b", "rb", "f", ...). */
  readonly prefix?: string;
  /** Strings: the value, escapes decoded; undefined for f-/t-strings, whose value is computed. */
  readonly value?: string;
  /** Strings: the value holds `\N{...}` escapes, left undecoded. */
  readonly namedEscapes?: boolean;
}

interface LogicalLine {
  readonly tokens: Token[];
  readonly line: number;
  /** Column of the first token, tabs expanded to multiples of 8 as Python does. */
  readonly indent: number;
}

const OPERATORS = [
  "**=", "//=", ">>=", "<<=", "...", "!=", "%=", "&=", "**", "*=", "+=", "-=", "->", "//", "/=",
  ":=", "<<", "<=", "==", ">=", ">>", "@=", "^=", "|=",
];
const AUGMENTED = new Set(["+=", "-=", "*=", "/=", "//=", "%=", "**=", ">>=", "<<=", "&=", "^=", "|=", "@="]);
const CLOSING: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
const STRING_PREFIX = /^(?:[rubft]|br|rb|fr|rf|tr|rt)$/i;
const NAME_START = /[\p{L}\p{Nl}_]/u;
const NAME_PART = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]/u;

class Tokenizer {
  private i = 0;
  private line = 1;
  private lineStart = 0;
  private readonly brackets: { char: string; line: number }[] = [];
  private current: Token[] = [];
  private currentIndent = 0;
  readonly lines: LogicalLine[] = [];

  private readonly src: string;
  private readonly fail: (line: number, message: string) => never;

  constructor(src: string, fail: (line: number, message: string) => never) {
    this.src = src;
    this.fail = fail;
  }

  run(): LogicalLine[] {
    const { src } = this;
    while (this.i < src.length) {
      const c = src[this.i]!;
      if (c === " " || c === "\t" || c === "\f") {
        this.i++;
      } else if (c === "#") {
        while (this.i < src.length && src[this.i] !== "\n") this.i++;
      } else if (c === "\n") {
        this.newline(this.i + 1);
        this.i++;
        if (this.brackets.length === 0) this.endLogicalLine();
      } else if (c === "\\" && src[this.i + 1] === "\n") {
        this.newline(this.i + 2);
        this.i += 2;
      } else if (c === '"' || c === "'") {
        this.string(this.i, "");
      } else if (NAME_START.test(c)) {
        const start = this.i;
        while (this.i < src.length && NAME_PART.test(src[this.i]!)) this.i++;
        const text = src.slice(start, this.i);
        if ((src[this.i] === '"' || src[this.i] === "'") && STRING_PREFIX.test(text)) this.string(start, text.toLowerCase());
        else this.push("name", start);
      } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(src[this.i + 1] ?? ""))) {
        const start = this.i;
        // Numbers are never values we read: take the digits, letters, dots and exponent signs.
        const hex = /^0[xX]/.test(src.slice(start, start + 2));
        while (this.i < src.length) {
          const d = src[this.i]!;
          if (!(/[\w.]/.test(d) || (!hex && /[+-]/.test(d) && /[eE]/.test(src[this.i - 1]!)))) break;
          this.i++;
        }
        this.push("number", start);
      } else {
        this.operator();
      }
    }
    if (this.brackets.length > 0) {
      const open = this.brackets[this.brackets.length - 1]!;
      this.fail(open.line, `'${open.char}' is never closed; Python cannot import this file either`);
    }
    this.endLogicalLine();
    return this.lines;
  }

  private newline(nextLineStart: number): void {
    this.line++;
    this.lineStart = nextLineStart;
  }

  private push(kind: Token["kind"], start: number, extra: Partial<Token> = {}, line = this.line): void {
    if (this.current.length === 0) this.currentIndent = column(this.src.slice(this.lineStart, start));
    const token = { kind, text: this.src.slice(start, this.i), line, start, end: this.i, depth: this.brackets.length, ...extra };
    this.current.push(token);
  }

  private endLogicalLine(): void {
    if (this.current.length > 0) this.lines.push({ tokens: this.current, line: this.current[0]!.line, indent: this.currentIndent });
    this.current = [];
  }

  private operator(): void {
    const { src } = this;
    const start = this.i;
    const c = src[start]!;
    if (c === "(" || c === "[" || c === "{") {
      this.i++;
      this.push("op", start);
      this.brackets.push({ char: c, line: this.line });
      return;
    }
    if (c in CLOSING) {
      const open = this.brackets.pop();
      if (!open) this.fail(this.line, `unmatched '${c}'; Python cannot import this file either`);
      if (open!.char !== CLOSING[c]) {
        this.fail(this.line, `'${c}' does not close the '${open!.char}' opened on line ${open!.line}; Python cannot import this file either`);
      }
      this.i++;
      this.push("op", start);
      return;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, start)) ?? c;
    this.i += op.length;
    this.push("op", start);
  }

  /** A string literal starting at `start` (its prefix, if any, included). */
  private string(start: number, prefix: string): void {
    const line = this.line;
    const bodyStart = start + prefix.length;
    const quote = this.src[bodyStart]!;
    const triple = this.src.startsWith(quote.repeat(3), bodyStart);
    const open = triple ? 3 : 1;
    this.i = bodyStart + open;
    const end = this.scanBody(quote, triple, prefix.includes("f") || prefix.includes("t"), line);
    const body = this.src.slice(bodyStart + open, end);
    this.i = end + open;
    if (prefix.includes("f") || prefix.includes("t")) {
      this.push("string", start, { prefix }, line);
    } else {
      const { value, namedEscapes } = prefix.includes("r") ? { value: body, namedEscapes: false } : decodeEscapes(body, prefix.includes("b"));
      this.push("string", start, { prefix, value, namedEscapes }, line);
    }
  }

  /** Moves past the body of a string; returns the index of its closing quote(s). */
  private scanBody(quote: string, triple: boolean, formatted: boolean, startLine: number): number {
    const { src } = this;
    const close = triple ? quote.repeat(3) : quote;
    for (;;) {
      if (this.i >= src.length) this.fail(startLine, "unterminated string; Python cannot import this file either");
      const c = src[this.i]!;
      if (src.startsWith(close, this.i)) return this.i;
      if (c === "\\") {
        // Raw or not, a backslash keeps the next character (a quote, a newline) in the string.
        if (src[this.i + 1] === "\n") this.newline(this.i + 2);
        this.i += 2;
      } else if (c === "\n") {
        if (!triple) this.fail(startLine, "unterminated string; Python cannot import this file either");
        this.newline(this.i + 1);
        this.i++;
      } else if (formatted && c === "{") {
        if (src[this.i + 1] === "{") this.i += 2;
        else {
          this.i++;
          this.replacementField(startLine);
        }
      } else {
        this.i++;
      }
    }
  }

  /** Moves past an f-string replacement field, from after its '{' to after its '}'. Since
   *  Python 3.12 (PEP 701) the expression may hold any string, even with the same quotes. */
  private replacementField(startLine: number): void {
    const { src } = this;
    let depth = 0;
    while (this.i < src.length) {
      const c = src[this.i]!;
      if (c === '"' || c === "'") {
        this.nestedString("");
      } else if (NAME_START.test(c)) {
        const start = this.i;
        while (this.i < src.length && NAME_PART.test(src[this.i]!)) this.i++;
        const text = src.slice(start, this.i);
        if ((src[this.i] === '"' || src[this.i] === "'") && STRING_PREFIX.test(text)) this.nestedString(text.toLowerCase());
      } else if (c === "#") {
        while (this.i < src.length && src[this.i] !== "\n") this.i++;
      } else if (c === "\n") {
        this.newline(this.i + 1);
        this.i++;
      } else if (c === "(" || c === "[" || c === "{") {
        depth++;
        this.i++;
      } else if (c === ")" || c === "]") {
        depth--;
        this.i++;
      } else if (c === "}") {
        this.i++;
        if (depth === 0) return;
        depth--;
      } else if (c === ":" && depth === 0) {
        // The format spec: literal text up to the closing '}', with nested fields.
        this.i++;
        while (this.i < src.length && src[this.i] !== "}") {
          if (src[this.i] === "{") {
            this.i++;
            this.replacementField(startLine);
          } else {
            if (src[this.i] === "\n") this.newline(this.i + 1);
            this.i++;
          }
        }
        this.i++;
        return;
      } else {
        this.i++;
      }
    }
    this.fail(startLine, "unterminated string; Python cannot import this file either");
  }

  private nestedString(prefix: string): void {
    const line = this.line;
    const bodyStart = this.i;
    const quote = this.src[bodyStart]!;
    const triple = this.src.startsWith(quote.repeat(3), bodyStart);
    this.i = bodyStart + (triple ? 3 : 1);
    this.i = this.scanBody(quote, triple, prefix.includes("f") || prefix.includes("t"), line) + (triple ? 3 : 1);
  }
}

/** The width of a line's leading white space, tabs to the next multiple of 8 as Python does. */
function column(prefix: string): number {
  let col = 0;
  for (const c of prefix) col = c === "\t" ? (Math.floor(col / 8) + 1) * 8 : c === "\f" ? 0 : col + 1;
  return col;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v",
};

/** Decodes the escapes of a non-raw string body as Python does. `\N{name}` needs the Unicode
 *  name table, so it is left as written (and reported). An unknown escape keeps its backslash. */
function decodeEscapes(body: string, bytes: boolean): { value: string; namedEscapes: boolean } {
  let value = "";
  let namedEscapes = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\" || i + 1 >= body.length) {
      value += c;
      continue;
    }
    const e = body[++i]!;
    if (e === "\n") continue;
    if (e in SIMPLE_ESCAPES) {
      value += SIMPLE_ESCAPES[e];
    } else if (/[0-7]/.test(e)) {
      const digits = /^[0-7]{1,3}/.exec(body.slice(i))![0];
      value += String.fromCodePoint(parseInt(digits, 8));
      i += digits.length - 1;
    } else if (e === "x" || (!bytes && (e === "u" || e === "U"))) {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === n ? parseInt(hex, 16) : NaN;
      // Python refuses a short or out of range escape (a syntax error); keep it as written.
      if (Number.isNaN(code) || code > 0x10ffff) value += "\\" + e;
      else {
        value += String.fromCodePoint(code);
        i += n;
      }
    } else if (e === "N" && !bytes && body[i + 1] === "{" && body.indexOf("}", i) > 0) {
      const close = body.indexOf("}", i);
      value += body.slice(i - 1, close + 1);
      namedEscapes = true;
      i = close;
    } else {
      value += "\\" + e;
    }
  }
  return { value, namedEscapes };
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

type Value = { kind: "str"; value: string } | { kind: "none" } | { kind: "seq"; items: Value[] };

/** The literal `tokens` spell, or null when they are anything else (a name, a call, ...). */
function literal(tokens: readonly Token[]): Value | null {
  let i = 0;
  const is = (text: string): boolean => tokens[i]?.kind === "op" && tokens[i]!.text === text;
  // items: item (',' item)* [','] up to `close` (or the end); `single` is a lone item.
  const items = (close: string | null): { values: Value[]; comma: boolean } | null => {
    const values: Value[] = [];
    let comma = false;
    while (i < tokens.length && !(close !== null && is(close))) {
      const v = item();
      if (!v) return null;
      values.push(v);
      if (is(",")) {
        comma = true;
        i++;
      } else break;
    }
    if (close !== null) {
      if (!is(close)) return null;
      i++;
    }
    return { values, comma };
  };
  const item = (): Value | null => {
    const t = tokens[i];
    if (!t) return null;
    if (t.kind === "string") {
      let value = "";
      for (; tokens[i]?.kind === "string"; i++) {
        const s = tokens[i]!;
        if (s.value === undefined || s.namedEscapes || s.prefix!.includes("b")) return null;
        value += s.value;
      }
      return { kind: "str", value };
    }
    if (t.kind === "name" && t.text === "None") {
      i++;
      return { kind: "none" };
    }
    if (is("(")) {
      i++;
      const r = items(")");
      if (!r) return null;
      return r.values.length === 1 && !r.comma ? r.values[0]! : { kind: "seq", items: r.values };
    }
    if (is("[")) {
      i++;
      const r = items("]");
      return r && { kind: "seq", items: r.values };
    }
    return null;
  };
  const r = items(null);
  if (!r || i < tokens.length || r.values.length === 0) return null;
  return r.values.length === 1 && !r.comma ? r.values[0]! : { kind: "seq", items: r.values };
}

// ---------------------------------------------------------------------------------------------
// The module
// ---------------------------------------------------------------------------------------------

interface Assignment {
  readonly line: number;
  readonly value: readonly Token[];
}

const COMPOUND = new Set(["if", "elif", "else", "for", "while", "try", "except", "finally", "with", "async", "match", "case"]);

/** Parses one Alembic revision file. `path` is used in errors and kept; `fileName` (the base
 *  name) gives the id of a legacy file without a `revision` variable. */
export function parseAlembicScript(text: string, path: string, fileName: string): AlembicScript {
  const src = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const fail = (line: number, message: string): never => {
    throw new RevisionFileError(path, line, message);
  };
  const snippet = (tokens: readonly Token[]): string => {
    const s = src.slice(tokens[0]!.start, tokens[tokens.length - 1]!.end).replace(/\s+/g, " ");
    return s.length > 60 ? s.slice(0, 57) + "..." : s;
  };
  const lines = new Tokenizer(src, fail).run();

  const assignments = new Map<Variable, Assignment>();
  let docstring: string | null = null;
  // Open blocks of compound statements: `def` and `class` bodies are not module level; the
  // bodies of `if`, `for`, `try`... are, but are not read (an assignment there is an error).
  const blocks: { indent: number; keyword: string; line: number; def: boolean }[] = [];
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
      const block = blocks[blocks.length - 1];
      for (const statement of statements) {
        if (block || isCompound) {
          const bound = boundVariable(statement);
          if (bound) {
            const where = block ?? { keyword, line: logical.line };
            fail(
              bound.line,
              `'${bound.text}' is assigned inside the '${where.keyword}' statement of line ${where.line}; retort reads only ` +
                `plain module-level assignments. Assign it at module level, outside any block, and ${FIX}`,
            );
          }
        } else {
          moduleStatement(statement, assignments, fail, snippet);
        }
      }
    }
    if (last.kind === "op" && last.text === ":" && (isDef || isCompound)) {
      blocks.push({ indent: logical.indent, keyword: keyword === "@" ? "def" : keyword, line: logical.line, def: isDef });
    }
  }

  // The values, checked as Alembic's Script and Revision would take them.
  const revisionAssignment = assignments.get("revision");
  let id: string;
  if (revisionAssignment) {
    const v = valueOf("revision", revisionAssignment, fail, snippet);
    if (v.kind !== "str") {
      fail(revisionAssignment.line, `'revision' must be a string literal (the revision id), not ${describe(v)}; write revision = '<id>'`);
    }
    id = (v as { value: string }).value;
  } else {
    const m = LEGACY_FILE_NAME.exec(fileName);
    if (!m) {
      fail(
        assignments.get("down_revision")?.line ?? 1,
        `missing module-level 'revision', and the file name '${fileName}' is not '<hex id>.py' (the only legacy form ` +
          `Alembic takes the id from). Add revision = '<id>' next to down_revision`,
      );
    }
    id = m![1]!;
  }
  const badId = invalidRevisionId(id);
  if (badId) {
    fail(revisionAssignment?.line ?? 1, `${badId}. ${REVISION_ID_RULE}`);
  }

  const down = assignments.get("down_revision");
  if (!down) {
    fail(
      revisionAssignment?.line ?? 1,
      "missing module-level 'down_revision'; Alembic requires it. Add down_revision = None for a base revision, or " +
        "down_revision = '<parent id>' (a tuple of ids for a merge)",
    );
  }
  const list = (name: Variable, check: (item: string) => string | null): string[] => {
    const a = assignments.get(name);
    if (!a) return [];
    const v = valueOf(name, a, fail, snippet);
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
  };
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
  };
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
  fail: (line: number, message: string) => never,
  snippet: (tokens: readonly Token[]) => string,
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

function valueOf(
  name: Variable,
  a: Assignment,
  fail: (line: number, message: string) => never,
  snippet: (tokens: readonly Token[]) => string,
): Value {
  const v = literal(a.value);
  if (!v) {
    const named = a.value.some((t) => t.namedEscapes);
    fail(
      a.line,
      `cannot read the value of '${name}' without running Python: ${snippet(a.value)}. ` +
        (named ? "Write the characters of \\N{...} escapes themselves, and " : "Retort reads files statically: ") +
        FIX,
    );
  }
  return v!;
}

function describe(v: Value): string {
  return v.kind === "none" ? "None" : v.kind === "seq" ? "a tuple or list" : "a string";
}

/** Python's str.strip(): the characters for which str.isspace() is true. */
function pyStrip(s: string): string {
  const ws = "[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  return s.replace(new RegExp(`^${ws}+|${ws}+$`, "g"), "");
}
