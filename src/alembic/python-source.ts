// The Python source of one module-level function of a revision file (`upgrade()` or
// `downgrade()`), for a plan that shows what will run where Alembic could not render SQL. Read
// by Python's rules: the function is its `def` line and every following line that is blank, a
// comment, indented deeper than the `def`, or inside a bracket or a string still open (a
// triple-quoted SQL text at column 0 belongs to the function). The last definition wins, as
// it does when Python runs the module. Where the name is bound or used anywhere else in the
// file's code (`upgrade = _other`, `from x import upgrade`, a call at import), or the function
// is not a plain module-level def, the function alone may not be what Alembic runs:
// revisionSource then gives the whole file.

interface Scan {
  /** Open brackets at the start of each line. */
  readonly depth: number[];
  /** Whether each line starts inside a string (a triple-quoted one left open). */
  readonly inString: boolean[];
  /** Whether each line continues the one before (that one ended with a backslash). */
  readonly continued: boolean[];
  /** Each line's code: strings and comments blanked. */
  readonly code: string[];
}

/** Bracket depth and open strings at the start of each line. */
function scan(lines: readonly string[]): Scan {
  const out: Scan = { depth: [], inString: [], continued: [], code: [] };
  const state = { d: 0, quote: null as string | null, continues: false };
  for (const line of lines) {
    out.depth.push(state.d);
    out.inString.push(state.quote !== null);
    out.continued.push(state.continues);
    out.code.push(scanLine(line, state));
  }
  return out;
}

/** One line of `scan`: updates the open brackets, string and continuation; returns its code. */
function scanLine(line: string, state: { d: number; quote: string | null; continues: boolean }): string {
  let code = "";
  let i = 0;
  let comment = false;
  while (i < line.length) {
    if (state.quote !== null) {
      if (line[i] === "\\") i += 2;
      else if (line.startsWith(state.quote, i)) {
        i += 3;
        state.quote = null;
      } else i++;
      code += " ";
      continue;
    }
    const c = line[i]!;
    if (c === "#") {
      comment = true;
      break;
    }
    if (c === '"' || c === "'") {
      if (line.startsWith(c.repeat(3), i)) {
        state.quote = c.repeat(3);
        i += 3;
        code += " ";
        continue;
      }
      // A one-line string: to its closing quote (or the line's end).
      i++;
      while (i < line.length && line[i] !== c) i += line[i] === "\\" ? 2 : 1;
      i++;
      code += " ";
      continue;
    }
    if ("([{".includes(c)) state.d++;
    else if (")]}".includes(c)) state.d = Math.max(0, state.d - 1);
    code += c;
    i++;
  }
  // A backslash ending a line outside a string and a comment joins the next line to it.
  state.continues = state.quote === null && !comment && line.endsWith("\\");
  return code;
}

const indentOf = (line: string) => line.length - line.trimStart().length;
const isBlankOrComment = (line: string) => line.trim() === "" || line.trimStart().startsWith("#");

/** The lines of the last module-level `def NAME(` in `lines` (decorators included), or null. */
function functionRange(lines: readonly string[], at: Scan, name: string): { first: number; end: number } | null {
  const header = new RegExp(`^(async\\s+)?def\\s+${name}\\s*\\(`);
  let start = -1;
  lines.forEach((line, i) => {
    if (at.depth[i] === 0 && !at.inString[i] && !at.continued[i] && header.test(line)) start = i;
  });
  if (start < 0) return null;
  let first = start;
  while (first > 0 && lines[first - 1]!.startsWith("@") && at.depth[first - 1] === 0) first--;
  let end = start + 1;
  for (; end < lines.length; end++) {
    const line = lines[end]!;
    if (at.inString[end] || at.depth[end]! > 0 || at.continued[end] || isBlankOrComment(line)) continue;
    if (indentOf(line) === 0) break;
  }
  // Trailing blank lines and comments belong to what follows.
  while (end > start + 1 && isBlankOrComment(lines[end - 1]!) && !at.inString[end - 1]) end--;
  return { first, end };
}

/** The source of the last module-level `def NAME(` in `text` (decorators included), or null. */
export function pythonFunction(text: string, name: string): string | null {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const range = functionRange(lines, scan(lines), name);
  return range === null ? null : lines.slice(range.first, range.end).join("\n");
}

/** Code that can bind or call a module's names without naming them outside a string (the
 *  multi-database template's `globals()["upgrade_%s" % name]()`), anywhere in the file. */
const REBINDERS = ["globals", "setattr", "exec", "eval", "__dict__", "sys\\s*\\.\\s*modules", "importlib", "__import__"].join("|");

/** What a plan shows of `NAME()` of a revision file: the function, or the whole file (with a
 *  first comment saying why) where the file's code names NAME outside that function (it may
 *  be rebound, imported or called), decorates it, reaches names through REBINDERS, or has no
 *  module-level def of it. */
export function revisionSource(text: string, name: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const at = scan(lines);
  const range = functionRange(lines, at, name);
  const word = new RegExp(`(?<!\\w)${name}(?!\\w)`);
  const binder = new RegExp(`(?<!\\w)(${REBINDERS})(?!\\w)`);
  const outside = (i: number) => range === null || i < range.first || i >= range.end;
  // A decorator is a function defined elsewhere that may replace this one.
  const decorated = range !== null && lines[range.first]!.startsWith("@");
  const other = decorated ? range.first : at.code.findIndex((code, i) => (outside(i) && word.test(code)) || binder.test(code));
  if (range !== null && other < 0) return lines.slice(range.first, range.end).join("\n");
  const why =
    range === null
      ? `this file has no module-level 'def ${name}(':`
      : `line ${other + 1} names ${name} outside its def, decorates it or reaches names indirectly, so the def alone may not be what runs:`;
  return `# retort: ${why} the whole file follows.\n${lines.join("\n").trimEnd()}`;
}
