// The Python source of one module-level function of a revision file (`upgrade()` or
// `downgrade()`), for a plan that shows what will run where Alembic could not render SQL. Read
// by Python's rules: the function is its `def` line and every following line that is blank, a
// comment, indented deeper than the `def`, or inside a bracket or a string still open (a
// triple-quoted SQL text at column 0 belongs to the function). The last definition wins, as
// it does when Python runs the module.

interface Scan {
  /** Open brackets at the start of each line. */
  readonly depth: number[];
  /** Whether each line starts inside a string (a triple-quoted one left open). */
  readonly inString: boolean[];
}

/** Bracket depth and open strings at the start of each line. */
function scan(lines: readonly string[]): Scan {
  const depth: number[] = [];
  const inString: boolean[] = [];
  let d = 0;
  let quote: string | null = null; // the closing quote of an open triple-quoted string
  for (const line of lines) {
    depth.push(d);
    inString.push(quote !== null);
    let i = 0;
    while (i < line.length) {
      if (quote !== null) {
        if (line[i] === "\\") i += 2;
        else if (line.startsWith(quote, i)) {
          i += 3;
          quote = null;
        } else i++;
        continue;
      }
      const c = line[i]!;
      if (c === "#") break;
      if (c === '"' || c === "'") {
        if (line.startsWith(c.repeat(3), i)) {
          quote = c.repeat(3);
          i += 3;
          continue;
        }
        // A one-line string: to its closing quote (or the line's end).
        i++;
        while (i < line.length && line[i] !== c) i += line[i] === "\\" ? 2 : 1;
        i++;
        continue;
      }
      if ("([{".includes(c)) d++;
      else if (")]}".includes(c)) d = Math.max(0, d - 1);
      i++;
    }
  }
  return { depth, inString };
}

const indentOf = (line: string) => line.length - line.trimStart().length;
const isBlankOrComment = (line: string) => line.trim() === "" || line.trimStart().startsWith("#");

/** The source of the last module-level `def NAME(` in `text` (decorators included), or null. */
export function pythonFunction(text: string, name: string): string | null {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const { depth, inString } = scan(lines);
  const header = new RegExp(`^(async\\s+)?def\\s+${name}\\s*\\(`);
  let start = -1;
  lines.forEach((line, i) => {
    if (depth[i] === 0 && !inString[i] && header.test(line)) start = i;
  });
  if (start < 0) return null;
  let first = start;
  while (first > 0 && lines[first - 1]!.startsWith("@") && depth[first - 1] === 0) first--;
  let end = start + 1;
  for (; end < lines.length; end++) {
    const line = lines[end]!;
    if (inString[end] || depth[end]! > 0 || isBlankOrComment(line)) continue;
    if (indentOf(line) === 0) break;
  }
  // Trailing blank lines and comments belong to what follows.
  while (end > start + 1 && isBlankOrComment(lines[end - 1]!) && !inString[end - 1]) end--;
  return lines.slice(first, end).join("\n");
}
