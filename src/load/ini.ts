// An ini file read like Alembic reads alembic.ini: Python's configparser.ConfigParser with its
// default settings and the defaults {"here": <the ini's directory>}. `key = value` or
// `key: value`, indented continuation lines, full-line `#` and `;` comments only (a `# ...`
// after a value is part of the value), keys case-insensitive, section names case-sensitive,
// `%(name)s` interpolation from the same section or [DEFAULT] (`%(here)s` is predefined) and
// `%%` for a literal `%`. What Alembic's settings mean is alembic-config.ts's job.

import { RetortError } from "../core/errors.js";

/** One option as written: the raw value (continuation lines joined with "\n", not yet
 *  interpolated) and the line of its key. */
export interface IniOption {
  readonly raw: string;
  readonly line: number;
}

export interface IniFile {
  readonly file: string;
  /** The [DEFAULT] section: its options are visible in every section. */
  readonly defaults: ReadonlyMap<string, IniOption>;
  /** The other sections in file order; keys lower-cased. */
  readonly sections: ReadonlyMap<string, ReadonlyMap<string, IniOption>>;
}

// Python's str.isspace() characters: configparser strips and indents with these, and its
// regexes' \s means the same set (JavaScript's trim() and \s differ: they include U+FEFF and
// leave out U+001C-U+001F and U+0085).
const PY_SPACE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const PY_SPACE_CHAR = new RegExp(`[${PY_SPACE}]`);
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, "g");
const PY_RSTRIP = new RegExp(`[${PY_SPACE}]+$`);
// configparser's SECTCRE and OPTCRE (delimiters `=` and `:`), matched against the stripped line.
const SECTION_HEADER = /^\[(.+)\]/s;
const OPTION_LINE = new RegExp(`^(.*?)[${PY_SPACE}]*([=:])[${PY_SPACE}]*(.*)$`, "s");
// BasicInterpolation's reference syntax and nesting limit.
const INTERPOLATION_REF = /^%\(([^)]+)\)s/;
const MAX_INTERPOLATION_DEPTH = 10;

/** Python's str.strip(). */
export const pyStrip = (s: string): string => s.replace(PY_STRIP, "");

function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && PY_SPACE_CHAR.test(line[i]!)) i++;
  return i;
}

type Pending = Map<string, { lines: string[]; line: number }>;

/** configparser's _read loop: one line at a time, with the state it carries between lines. */
class IniReader {
  readonly defaults: Pending = new Map();
  readonly sections = new Map<string, Pending>();
  /** Lines that are neither a header nor an option: configparser fails at the end, listing all. */
  readonly bogus: number[] = [];
  private readonly added = new Set<string>();
  private current: Pending | null = null;
  private sectionName = "";
  private option: string | null = null;
  private indentLevel = 0;
  private readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  line(line: string, lineno: number): void {
    const stripped = pyStrip(line);
    const comment = stripped.startsWith("#") || stripped.startsWith(";");
    const value = comment ? "" : stripped;
    if (value === "") {
      // A blank line may belong to a multi-line value; a comment line never does, but it does
      // not end the value either.
      if (!comment && this.current !== null && this.option !== null) this.current.get(this.option)?.lines.push("");
      return;
    }
    const indent = indentOf(line);
    if (this.current !== null && this.option !== null && indent > this.indentLevel) {
      this.current.get(this.option)!.lines.push(value);
      return;
    }
    this.indentLevel = indent;
    const header = SECTION_HEADER.exec(value);
    if (header) this.header(header[1]!, lineno);
    else this.optionLine(value, lineno);
  }

  private header(name: string, lineno: number): void {
    this.sectionName = name;
    if (this.added.has(`[${name}]`)) {
      throw new RetortError("usage", `${this.file}:${lineno}: section [${name}] appears twice; merge the two into one.`);
    }
    if (name === "DEFAULT") {
      this.current = this.defaults;
    } else {
      this.added.add(`[${name}]`);
      this.current = new Map();
      this.sections.set(name, this.current);
    }
    this.option = null;
  }

  private optionLine(value: string, lineno: number): void {
    if (this.current === null) {
      throw new RetortError(
        "usage",
        `${this.file}:${lineno}: '${value}' comes before any [section] header; an Alembic config starts with [alembic].`,
      );
    }
    const opt = OPTION_LINE.exec(value);
    const name = opt ? pyStrip(opt[1]!).toLowerCase() : "";
    if (!opt || name === "") {
      // configparser records the line and goes on; it fails at the end, listing all of them.
      this.bogus.push(lineno);
      this.option = null;
      return;
    }
    const key = `${this.sectionName}\u0000${name}`;
    if (this.added.has(key)) {
      throw new RetortError("usage", `${this.file}:${lineno}: option '${name}' appears twice in [${this.sectionName}]; keep one.`);
    }
    this.added.add(key);
    this.current.set(name, { lines: [pyStrip(opt[3]!)], line: lineno });
    this.option = name;
  }
}

const finish = (m: Pending): Map<string, IniOption> =>
  new Map([...m].map(([k, v]) => [k, { raw: v.lines.join("\n").replace(PY_RSTRIP, ""), line: v.line }]));

/** Parses ini text as Python's configparser.ConfigParser() does with its default settings
 *  (strict, empty lines allowed in values, no inline comments). Throws RetortError("usage")
 *  naming the file and line for what configparser rejects. */
export function parseIni(text: string, file: string): IniFile {
  if (text.startsWith("\uFEFF")) {
    // configparser (as Alembic reads the file) takes the mark for part of the first line.
    throw new RetortError(
      "usage",
      `${file}:1: the file starts with a byte-order mark, which Alembic's configparser cannot read ` +
        "(File contains no section headers); save it as UTF-8 without BOM.",
    );
  }
  const reader = new IniReader(file);
  // Python's universal newlines: \r\n, \r and \n end a line, nothing else does.
  text.split(/\r\n|\r|\n/).forEach((line, index) => reader.line(line, index + 1));
  const { bogus } = reader;
  if (bogus.length > 0) {
    throw new RetortError(
      "usage",
      `${file}:${bogus[0]}: not a 'key = value' line (configparser cannot read line${bogus.length > 1 ? "s" : ""} ` +
        `${bogus.join(", ")}); indent it to continue the value above, or start it with '#' to make it a comment.`,
    );
  }
  return { file, defaults: finish(reader.defaults), sections: new Map([...reader.sections].map(([k, v]) => [k, finish(v)])) };
}

/** An option's value as configparser's get() returns it: looked up in `section`, then
 *  [DEFAULT], then `vars` (Alembic passes {here: <ini directory>}), with `%(name)s` and `%%`
 *  interpolated. undefined when the option is not set anywhere. */
export function iniValue(ini: IniFile, section: string, key: string, vars: Readonly<Record<string, string>> = {}): string | undefined {
  const lookup = (name: string): string | undefined => {
    const own = ini.sections.get(section)?.get(name) ?? ini.defaults.get(name);
    if (own !== undefined) return own.raw;
    return Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
  };
  const name = key.toLowerCase();
  const raw = lookup(name);
  if (raw === undefined) return undefined;
  const where = `${ini.file}:${(ini.sections.get(section)?.get(name) ?? ini.defaults.get(name))?.line ?? 0}`;
  const out: string[] = [];
  interpolate(raw, { key, section, where, lookup, out }, 1);
  return out.join("");
}

/** What BasicInterpolation needs while it expands one option's value. */
interface Interpolation {
  readonly key: string;
  readonly section: string;
  /** `file:line` of the option, for errors. */
  readonly where: string;
  readonly lookup: (name: string) => string | undefined;
  readonly out: string[];
}

function interpolate(value: string, it: Interpolation, depth: number): void {
  const { key, where } = it;
  if (depth > MAX_INTERPOLATION_DEPTH) {
    throw new RetortError("usage", `${where}: '${key}' nests %(...)s references more than ${MAX_INTERPOLATION_DEPTH} deep (a loop?).`);
  }
  let rest = value;
  while (rest !== "") {
    const p = rest.indexOf("%");
    if (p < 0) {
      it.out.push(rest);
      return;
    }
    it.out.push(rest.slice(0, p));
    rest = rest.slice(p);
    const next = rest.slice(1, 2);
    if (next === "%") {
      it.out.push("%");
      rest = rest.slice(2);
    } else if (next === "(") {
      rest = reference(rest, it, depth);
    } else {
      throw new RetortError("usage", `${where}: '%' in '${key}' must be followed by '%' or '(' (found '${rest}'); write %% for a literal '%'.`);
    }
  }
}

/** Expands the `%(name)s` that `rest` starts with; returns what follows it. */
function reference(rest: string, it: Interpolation, depth: number): string {
  const { key, where } = it;
  const m = INTERPOLATION_REF.exec(rest);
  if (!m) {
    throw new RetortError("usage", `${where}: bad interpolation in '${key}' at '${rest}'; write %(name)s, or %% for a literal '%'.`);
  }
  const v = it.lookup(m[1]!.toLowerCase());
  if (v === undefined) {
    throw new RetortError(
      "usage",
      `${where}: '${key}' refers to %(${m[1]})s, which is not set in [${it.section}] or [DEFAULT] ` +
        `(only %(here)s is predefined); write %% for a literal '%'.`,
    );
  }
  if (v.includes("%")) interpolate(v, it, depth + 1);
  else it.out.push(v);
  return rest.slice(m[0].length);
}
