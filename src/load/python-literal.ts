// Reading Python literals without running Python: a small tokenizer (strings with their
// escapes and prefixes, f-strings, comments, brackets, line continuations) splits source into
// logical lines, so that a '#', '=', ')' or newline inside a string never confuses a reader,
// and `literal` reads the value a run of tokens spells when it is a string, None, or a tuple
// or list of them. What the values mean is the reader's business (alembic-script.ts).

export interface Token {
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

export interface LogicalLine {
  readonly tokens: Token[];
  readonly line: number;
  /** Column of the first token, tabs expanded to multiples of 8 as Python does. */
  readonly indent: number;
}

/** How a string literal is delimited: its quote character, tripled or not, and whether it is
 *  an f-string (or t-string), whose replacement fields may hold other strings. */
interface StringKind {
  readonly quote: string;
  readonly triple: boolean;
  readonly formatted: boolean;
}

const OPERATORS = [
  "**=", "//=", ">>=", "<<=", "...", "!=", "%=", "&=", "**", "*=", "+=", "-=", "->", "//", "/=",
  ":=", "<<", "<=", "==", ">=", ">>", "@=", "^=", "|=",
];
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
    const end = this.scanBody({ quote, triple, formatted: prefix.includes("f") || prefix.includes("t") }, line);
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
  private scanBody({ quote, triple, formatted }: StringKind, startLine: number): number {
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
    this.i = this.scanBody({ quote, triple, formatted: prefix.includes("f") || prefix.includes("t") }, line) + (triple ? 3 : 1);
  }
}

/** The logical lines of Python source `src` (newlines already "\n"): tokens with their lines
 *  and bracket depths; comments and line continuations gone. `fail(line, message)` reports
 *  what Python could not tokenize either. */
export function logicalLines(src: string, fail: (line: number, message: string) => never): LogicalLine[] {
  return new Tokenizer(src, fail).run();
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
  // No escape: the body itself (not rebuilt a character at a time, which takes seconds and
  // gigabytes for the megabytes of SQL a data migration may hold).
  if (!body.includes("\\")) return { value: body, namedEscapes: false };
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

export type Value = { kind: "str"; value: string } | { kind: "none" } | { kind: "seq"; items: Value[] };

/** The dotted name (`a`, `a.b.c`) starting at `i`, the index after it, and whether a call,
 *  subscript or stray dot follows. */
function dottedName(tokens: readonly Token[], i: number): { parts: string[]; next: number; called: boolean } {
  const is = (j: number, text: string) => tokens[j]?.kind === "op" && tokens[j]!.text === text;
  const parts = [tokens[i]!.text];
  let j = i + 1;
  while (is(j, ".") && tokens[j + 1]?.kind === "name") {
    parts.push(tokens[j + 1]!.text);
    j += 2;
  }
  return { parts, next: j, called: is(j, "(") || is(j, "[") || is(j, ".") };
}

/** The literal `tokens` spell, or null when they are anything else (a call, an operator, ...).
 *  A name or dotted name (`NAME`, `cli.EXPAND_BRANCH`) is a literal only through `reference`,
 *  which gives its value (null: unknown); without it, a name is not a literal. */
export function literal(tokens: readonly Token[], reference?: (parts: string[]) => Value | null): Value | null {
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
    if (t.kind === "name" && reference) {
      const r = dottedName(tokens, i);
      i = r.next;
      // A call or subscript (`f()`, `x[0]`) is not a reference.
      return r.called ? null : reference(r.parts);
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
