// Finding an Alembic project and its revision files the way Alembic does, without Python.
//
// Layouts detected (first match wins):
//   1. `--alembic-config PATH`: that ini file (an error if it is missing).
//   2. `DIR/alembic.ini`: the `alembic init` layout (DIR is the project root, the ini names
//      script_location), or Flask-Migrate's `migrations/alembic.ini` next to `env.py` and
//      `versions/` (DIR is migrations/; its ini has no script_location because Flask-Migrate
//      sets it in code to the migrations directory, so an ini without script_location whose
//      directory holds env.py means script_location = that directory).
//   3. `DIR/env.py` next to `DIR/versions/`, no ini: DIR is the script location, all defaults.
//
// The ini is read like Alembic reads it (Python's configparser.ConfigParser with the defaults
// {"here": <the ini's directory>}): `key = value` or `key: value`, indented continuation
// lines, full-line `#` and `;` comments only (a `# ...` after a value is part of the value),
// keys case-insensitive, section names case-sensitive, `%(name)s` interpolation from the same
// section or [DEFAULT] (`%(here)s` is predefined) and `%%` for a literal `%`.
//
// Where retort deliberately differs from Alembic:
//   - Relative script_location and version_locations: Alembic resolves them against the
//     current directory of the `alembic` process (os.path.abspath), which works only when it
//     is run from the ini's directory, as it normally is. retort resolves them against the
//     ini's directory, whatever its own current directory is.
//   - Package resources (`script_location = myapp:migrations`): Alembic imports the package;
//     retort reads files only, so this is an error that asks for a path.
//   - Sourceless revisions (`sourceless = true`, `.pyc` files without a `.py`): retort reads
//     the source only, so only `*.py` files are listed.
//   - Alembic 1.8 lists a version directory with os.listdir() (file system order); 1.10 and
//     later sort it, and added recursive_version_locations. retort always sorts, as current
//     Alembic does.

import { Buffer } from "node:buffer";
import { readdirSync, readlinkSync, realpathSync, statSync, type Dirent } from "node:fs";
import { basename, delimiter, dirname, isAbsolute, join, resolve } from "node:path";
import { RetortError } from "../core/errors.js";
import { quoted } from "../core/revision.js";
import { NOT_UTF8_NAME, readUtf8, undecodable, usageAt } from "./text.js";

export interface AlembicProject {
  /** The directory holding alembic.ini, or the env.py directory when there is no ini. */
  root: string;
  /** Absolute path of the ini file, or null for the env.py layout without one. */
  iniPath: string | null;
  /** Absolute path of the directory holding env.py (Alembic's script_location). */
  scriptLocation: string;
  /** Absolute paths in configured order; default `<scriptLocation>/versions`. */
  versionLocations: string[];
  /** recursive_version_locations: also read sub-directories (Alembic >= 1.10). Default false. */
  recursive: boolean;
  /** file_template after interpolation; default "%(rev)s_%(slug)s". */
  fileTemplate: string;
  /** truncate_slug_length; default 40 (0 also means 40, as in Alembic). */
  truncateSlugLength: number;
}

export const DEFAULT_FILE_TEMPLATE = "%(rev)s_%(slug)s";
export const DEFAULT_TRUNCATE_SLUG_LENGTH = 40;
/** Alembic's main section (`alembic -n NAME` can pick another; retort reads this one). */
export const ALEMBIC_SECTION = "alembic";

// ---------------------------------------------------------------------------------------------
// The ini file, as configparser reads it

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

const pyStrip = (s: string): string => s.replace(PY_STRIP, "");

function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && PY_SPACE_CHAR.test(line[i]!)) i++;
  return i;
}

/** Parses ini text as Python's configparser.ConfigParser() does with its default settings
 *  (strict, empty lines allowed in values, no inline comments). Throws RetortError("usage")
 *  naming the file and line for what configparser rejects. */
export function parseIni(text: string, file: string): IniFile {
  const defaults = new Map<string, { lines: string[]; line: number }>();
  const sections = new Map<string, Map<string, { lines: string[]; line: number }>>();
  const added = new Set<string>();
  const bogus: number[] = [];
  let current: Map<string, { lines: string[]; line: number }> | null = null;
  let sectionName = "";
  let option: string | null = null;
  let indentLevel = 0;

  if (text.startsWith("\uFEFF")) {
    // configparser (as Alembic reads the file) takes the mark for part of the first line.
    throw new RetortError(
      "usage",
      `${file}:1: the file starts with a byte-order mark, which Alembic's configparser cannot read ` +
        "(File contains no section headers); save it as UTF-8 without BOM.",
    );
  }
  // Python's universal newlines: \r\n, \r and \n end a line, nothing else does.
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((line, index) => {
    const lineno = index + 1;
    const stripped = pyStrip(line);
    const comment = stripped.startsWith("#") || stripped.startsWith(";");
    const value = comment ? "" : stripped;
    if (value === "") {
      // A blank line may belong to a multi-line value; a comment line never does, but it does
      // not end the value either.
      if (!comment && current !== null && option !== null) current.get(option)?.lines.push("");
      return;
    }
    const indent = indentOf(line);
    if (current !== null && option !== null && indent > indentLevel) {
      current.get(option)!.lines.push(value);
      return;
    }
    indentLevel = indent;
    const header = SECTION_HEADER.exec(value);
    if (header) {
      sectionName = header[1]!;
      if (added.has(`[${sectionName}]`)) {
        throw new RetortError("usage", `${file}:${lineno}: section [${sectionName}] appears twice; merge the two into one.`);
      }
      if (sectionName === "DEFAULT") {
        current = defaults;
      } else {
        added.add(`[${sectionName}]`);
        current = new Map();
        sections.set(sectionName, current);
      }
      option = null;
      return;
    }
    if (current === null) {
      throw new RetortError(
        "usage",
        `${file}:${lineno}: '${value}' comes before any [section] header; an Alembic config starts with [alembic].`,
      );
    }
    const opt = OPTION_LINE.exec(value);
    const name = opt ? pyStrip(opt[1]!).toLowerCase() : "";
    if (!opt || name === "") {
      // configparser records the line and goes on; it fails at the end, listing all of them.
      bogus.push(lineno);
      option = null;
      return;
    }
    const key = `${sectionName}\u0000${name}`;
    if (added.has(key)) {
      throw new RetortError("usage", `${file}:${lineno}: option '${name}' appears twice in [${sectionName}]; keep one.`);
    }
    added.add(key);
    current.set(name, { lines: [pyStrip(opt[3]!)], line: lineno });
    option = name;
  });
  if (bogus.length > 0) {
    throw new RetortError(
      "usage",
      `${file}:${bogus[0]}: not a 'key = value' line (configparser cannot read line${bogus.length > 1 ? "s" : ""} ` +
        `${bogus.join(", ")}); indent it to continue the value above, or start it with '#' to make it a comment.`,
    );
  }
  const finish = (m: Map<string, { lines: string[]; line: number }>): Map<string, IniOption> =>
    new Map([...m].map(([k, v]) => [k, { raw: v.lines.join("\n").replace(PY_RSTRIP, ""), line: v.line }]));
  return { file, defaults: finish(defaults), sections: new Map([...sections].map(([k, v]) => [k, finish(v)])) };
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
  const expand = (rest: string, depth: number): void => {
    if (depth > MAX_INTERPOLATION_DEPTH) {
      throw new RetortError("usage", `${where}: '${key}' nests %(...)s references more than ${MAX_INTERPOLATION_DEPTH} deep (a loop?).`);
    }
    while (rest !== "") {
      const p = rest.indexOf("%");
      if (p < 0) {
        out.push(rest);
        return;
      }
      out.push(rest.slice(0, p));
      rest = rest.slice(p);
      const next = rest.slice(1, 2);
      if (next === "%") {
        out.push("%");
        rest = rest.slice(2);
      } else if (next === "(") {
        const m = INTERPOLATION_REF.exec(rest);
        if (!m) {
          throw new RetortError("usage", `${where}: bad interpolation in '${key}' at '${rest}'; write %(name)s, or %% for a literal '%'.`);
        }
        const ref = m[1]!.toLowerCase();
        rest = rest.slice(m[0].length);
        const v = lookup(ref);
        if (v === undefined) {
          throw new RetortError(
            "usage",
            `${where}: '${key}' refers to %(${m[1]})s, which is not set in [${section}] or [DEFAULT] ` +
              `(only %(here)s is predefined); write %% for a literal '%'.`,
          );
        }
        if (v.includes("%")) expand(v, depth + 1);
        else out.push(v);
      } else {
        throw new RetortError("usage", `${where}: '%' in '${key}' must be followed by '%' or '(' (found '${rest}'); write %% for a literal '%'.`);
      }
    }
  };
  expand(raw, 1);
  return out.join("");
}

// ---------------------------------------------------------------------------------------------
// Detection

function kindOf(path: string): "file" | "dir" | "other" | null {
  try {
    const s = statSync(path);
    return s.isDirectory() ? "dir" : s.isFile() ? "file" : "other";
  } catch {
    return null;
  }
}

/** The Alembic project in `dir`, or null when `dir` holds none (see the layouts above).
 *  `alembicConfig` (the `--alembic-config` option, relative to the current directory; null,
 *  undefined or "" when not given) names the ini explicitly. Throws RetortError("usage") for
 *  a config that exists but cannot be used. */
export function detectAlembicProject(dir: string, alembicConfig?: string | null): AlembicProject | null {
  if (alembicConfig !== undefined && alembicConfig !== null && alembicConfig !== "") {
    const ini = resolve(alembicConfig);
    const kind = kindOf(ini);
    if (kind === null) {
      throw new RetortError(
        "usage",
        `Alembic config '${alembicConfig}' does not exist. Pass the path of your alembic.ini to --alembic-config ` +
          `(relative to the current directory), or leave it out to detect alembic.ini in '${dir}'.`,
      );
    }
    if (kind !== "file") {
      throw new RetortError("usage", `Alembic config '${alembicConfig}' is not a file. Pass the alembic.ini file itself to --alembic-config.`);
    }
    return projectFromIni(ini);
  }
  const root = resolve(dir);
  const ini = join(root, "alembic.ini");
  if (kindOf(ini) === "file") return projectFromIni(ini);
  if (kindOf(join(root, "env.py")) === "file" && kindOf(join(root, "versions")) === "dir") {
    return {
      root,
      iniPath: null,
      scriptLocation: root,
      versionLocations: [join(root, "versions")],
      recursive: false,
      fileTemplate: DEFAULT_FILE_TEMPLATE,
      truncateSlugLength: DEFAULT_TRUNCATE_SLUG_LENGTH,
    };
  }
  return null;
}

/** `package:path` is an importlib resource to Alembic (util.coerce_resource_to_filename). */
const isPackageResource = (p: string): boolean => !isAbsolute(p) && p.includes(":");

function projectFromIni(iniPath: string): AlembicProject {
  let text: string;
  try {
    text = readUtf8(iniPath, usageAt(iniPath));
  } catch (e) {
    if (e instanceof RetortError) throw e;
    throw new RetortError("usage", `Cannot read Alembic config '${iniPath}': ${(e as Error).message}.`, { cause: e });
  }
  const ini = parseIni(text, iniPath);
  const root = dirname(iniPath);
  const get = (key: string): string | undefined => iniValue(ini, ALEMBIC_SECTION, key, { here: root });
  const at = (key: string): string => `${iniPath}:${ini.sections.get(ALEMBIC_SECTION)?.get(key)?.line ?? ini.defaults.get(key)?.line ?? 0}`;

  if (!ini.sections.has(ALEMBIC_SECTION)) {
    throw new RetortError(
      "usage",
      `${iniPath} has no [${ALEMBIC_SECTION}] section, so it is not an Alembic config file. ` +
        `Pass your project's alembic.ini with --alembic-config.`,
    );
  }

  let scriptLocation: string;
  const location = get("script_location");
  if (location === undefined) {
    // Flask-Migrate's alembic.ini has no script_location: Flask-Migrate passes the directory
    // holding the ini (migrations/) in code.
    if (kindOf(join(root, "env.py")) !== "file") {
      throw new RetortError(
        "usage",
        `${iniPath}: [${ALEMBIC_SECTION}] has no script_location. Add one naming the directory that holds env.py ` +
          `and versions/, e.g. 'script_location = %(here)s/alembic'.`,
      );
    }
    scriptLocation = root;
  } else {
    if (location === "") {
      // Alembic would look for the empty path and report that it does not exist.
      throw new RetortError(
        "usage",
        `${at("script_location")}: script_location is empty. Name the directory that holds env.py and versions/, ` +
          `e.g. 'script_location = %(here)s/alembic'.`,
      );
    }
    scriptLocation = resolvePath(location, "script_location", at("script_location"), root);
    const kind = kindOf(scriptLocation);
    if (kind !== "dir") {
      throw new RetortError(
        "usage",
        `${at("script_location")}: script_location '${location}' is '${scriptLocation}', which ` +
          `${kind === null ? "does not exist" : "is not a directory"}. retort takes relative paths from the ini's ` +
          `directory (Alembic from the directory it runs in); fix the path (e.g. %(here)s/alembic) or create ` +
          `the scripts directory with 'alembic init'.`,
      );
    }
  }

  const versionLocations = splitVersionLocations(get, at).map((entry) =>
    resolvePath(entry, "version_locations entry", at("version_locations"), root),
  );

  const tsl = get("truncate_slug_length");
  let truncateSlugLength = DEFAULT_TRUNCATE_SLUG_LENGTH;
  if (tsl !== undefined) {
    // Python's int(): optional sign, digits, single underscores between digits.
    if (!/^\+?\d+(_\d+)*$/.test(tsl)) {
      throw new RetortError("usage", `${at("truncate_slug_length")}: truncate_slug_length '${tsl}' is not a non-negative integer; the default is 40.`);
    }
    // Alembic: `truncate_slug_length or 40`, so 0 means the default.
    truncateSlugLength = Number(tsl.replace(/_/g, "")) || DEFAULT_TRUNCATE_SLUG_LENGTH;
  }

  return {
    root,
    iniPath,
    scriptLocation,
    versionLocations: versionLocations.length > 0 ? versionLocations : [join(scriptLocation, "versions")],
    // Alembic compares with the string "true": "True" or "yes" mean false.
    recursive: get("recursive_version_locations") === "true",
    fileTemplate: get("file_template") ?? DEFAULT_FILE_TEMPLATE,
    truncateSlugLength,
  };
}

function resolvePath(value: string, what: string, where: string, root: string): string {
  if (isPackageResource(value)) {
    throw new RetortError(
      "usage",
      `${where}: ${what} '${value}' is a Python package resource (package:path), which retort cannot import. ` +
        `Write it as a path instead, e.g. '%(here)s/${value.split(":").slice(1).join("/") || "alembic"}'.`,
    );
  }
  return resolve(root, value);
}

// Alembic's separator names for version_path_separator ("newline" only in newer Alembic).
const SEPARATORS: Readonly<Record<string, string>> = { space: " ", newline: "\n", os: delimiter, ":": ":", ";": ";" };
// Alembic's legacy split when no separator is configured: ", *| +" (not on newlines).
const LEGACY_SPLIT = /, *| +/;

/** The entries of version_locations, split as ScriptDirectory.from_config splits them; [] when
 *  the option is unset or empty. */
function splitVersionLocations(get: (key: string) => string | undefined, at: (key: string) => string): string[] {
  const value = get("version_locations");
  if (value === undefined || value === "") return [];
  // Alembic >= 1.16 names the option path_separator (and keeps reading version_path_separator);
  // Alembic 1.8 knows only version_path_separator. Only read when version_locations is set, as
  // Alembic does: the 1.8 template's 'version_path_separator = os  # Use os.pathsep...' is
  // harmless until then.
  const key = get("path_separator") !== undefined ? "path_separator" : "version_path_separator";
  const separator = get(key);
  let entries: string[];
  if (separator === undefined) {
    entries = value.split(LEGACY_SPLIT);
  } else {
    const char = Object.prototype.hasOwnProperty.call(SEPARATORS, separator) ? SEPARATORS[separator]! : undefined;
    if (char === undefined) {
      const hint = /[#;]/.test(separator)
        ? " An ini comment must be on a line of its own: configparser keeps '# ...' after a value as part of the value."
        : "";
      throw new RetortError(
        "usage",
        `${at(key)}: ${key} '${separator}' is not valid; expected 'space', 'newline', 'os', ':' or ';'.${hint}`,
      );
    }
    // Alembic drops empty entries ("a::b"); current Alembic then strips each entry (1.8 did not).
    entries = value
      .split(char)
      .filter((x) => x !== "")
      .map(pyStrip);
  }
  if (entries.includes("")) {
    // The legacy split leaves one for ", ," or " ,"; a separator leaves one for "a: :b".
    throw new RetortError(
      "usage",
      `${at("version_locations")}: version_locations '${value}' has an empty entry, which Alembic would take ` +
        `as its current directory. Remove the stray separator.`,
    );
  }
  const multiLine = entries.find((x) => x.includes("\n"));
  if (multiLine !== undefined) {
    throw new RetortError(
      "usage",
      `${at("version_locations")}: version_locations spans several lines, but ${key} does not split on newlines ` +
        `('${multiLine.replace(/\n/g, "\\n")}' would be one path). Set '${key} = newline', or put the paths on one line.`,
    );
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Listing revision files

/** Alembic's _only_source_rev_file: `*.py` except names starting with `.#` (editor lock files)
 *  or `__init__`. */
const REVISION_FILE = /^(?!\.#|__init__)[^\n]*\.py$/;

/** Python's sorted() on str: code point order (UTF-8 byte order is the same thing). */
function byCodePoint(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

function isDirEntry(dir: string, entry: Dirent): boolean {
  if (entry.isDirectory()) return true;
  return entry.isSymbolicLink() && kindOf(join(dir, entry.name)) === "dir";
}

/** os.walk(top, topdown=True) as Alembic >= 1.10 uses it: a directory's own files (sorted)
 *  before its sub-directories (sorted, depth first, symlinked ones not entered); files in a
 *  directory whose path ends with `__pycache__` are skipped. Non-recursive: the top only. */
function walk(top: string, recursive: boolean, out: string[]): void {
  const entries = readdirSync(top, { withFileTypes: true });
  const files: string[] = [];
  const dirs: string[] = [];
  for (const e of entries) {
    // Python reads such a name (as surrogate escapes); Node cannot open it by the name it gives.
    if ((e.isDirectory() || e.isSymbolicLink() || e.name.endsWith(".py")) && undecodable(join(top, e.name))) {
      const file = join(top, e.name);
      throw new RetortError("revision-file", `${file}: ${NOT_UTF8_NAME}`, { location: { file, line: 1 } });
    }
    if (isDirEntry(top, e)) {
      if (e.isDirectory()) dirs.push(e.name);
    } else {
      files.push(e.name);
    }
  }
  if (!top.endsWith("__pycache__")) {
    for (const f of files.sort(byCodePoint)) out.push(join(top, f));
  }
  if (!recursive) return;
  for (const d of dirs.sort(byCodePoint)) walk(join(top, d), true, out);
}

/** Where `path` ends after following its symbolic links, as Python's non-strict
 *  Path.resolve() answers: the real path; for a dangling link, the path its last link names
 *  (`missing`); for a link loop, the path itself (`loop`). */
function resolveLoose(path: string): { path: string; problem: "missing" | "loop" | null } {
  try {
    return { path: realpathSync(path), problem: null };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ELOOP") return { path, problem: "loop" };
    let current = path;
    // Python gives up on a chain this long too (and so does the kernel, at 40).
    for (let hop = 0; hop < 40; hop++) {
      let target: string;
      try {
        target = readlinkSync(current);
      } catch {
        break;
      }
      current = resolve(dirname(current), target);
    }
    return { path: current, problem: "missing" };
  }
}

/** Absolute paths of the project's revision files in Alembic's load order (the order of its
 *  revision map, which decides traversal order), as current Alembic (1.19) finds them: version
 *  locations in configured order, each as `walk` lists it; each entry's symbolic links
 *  followed (Path.resolve()) and the *real* file taken, kept when the real file's name is
 *  `*.py` (so a link `x.py` to a file `x.txt` is not a revision, and a link `x` to `a.py` is)
 *  and given by its real path, as Alembic's Script.path is; a real file reached twice
 *  (overlapping locations, links) counts once, where it was first found (Alembic warns "loaded
 *  twice! ignoring"). A link that ends nowhere or loops, named as a revision file, is an error
 *  naming it (Alembic fails there too: "Can't find Python file"). Alembic 1.8 tested the link's
 *  own name and kept the link's path; it reads the same files but for links whose name and
 *  target's name disagree about `.py`. A configured location that does not exist is skipped,
 *  as in Alembic; a missing default `<script_location>/versions` is an error. */
export function listAlembicScripts(project: AlembicProject): string[] {
  const defaultOnly =
    project.versionLocations.length === 1 && project.versionLocations[0] === join(project.scriptLocation, "versions");
  const seen = new Set<string>();
  const out: string[] = [];
  for (const location of project.versionLocations) {
    const kind = kindOf(location);
    if (kind === null) {
      if (defaultOnly) {
        throw new RetortError(
          "usage",
          `Alembic versions directory '${location}' does not exist. Create it ('alembic init' does), or set ` +
            `version_locations in ${project.iniPath ?? "alembic.ini"}.`,
        );
      }
      continue;
    }
    if (kind !== "dir") {
      throw new RetortError(
        "usage",
        `Alembic version location '${location}' is not a directory. Fix version_locations in ${project.iniPath ?? "alembic.ini"}.`,
      );
    }
    const files: string[] = [];
    walk(location, project.recursive, files);
    for (const file of files) {
      const real = resolveLoose(file);
      const name = basename(real.problem === "loop" ? file : real.path);
      if (seen.has(real.path)) continue;
      seen.add(real.path);
      if (!REVISION_FILE.test(name)) continue;
      const fail = (why: string) => new RetortError("revision-file", `${file}: ${why}`, { location: { file, line: 1 } });
      if (real.problem === "loop") throw fail("is a symbolic link loop; Alembic cannot load it either. Remove the link or point it at a revision file.");
      if (real.problem === "missing") {
        throw fail(`is a symbolic link to ${quoted(real.path)}, which does not exist; Alembic fails on it too ("Can't find Python file"). Fix or remove the link.`);
      }
      if (kindOf(real.path) !== "file") throw fail(`leads to ${quoted(real.path)}, which is not a regular file; a revision must be a Python file.`);
      out.push(real.path);
    }
  }
  return out;
}
