// `--version-locations` (RETORT_VERSION_LOCATIONS, the Action's version-locations input): the
// version locations of an Alembic project whose env.py or code sets them (neutron's
// versions/<release>/expand|contract, keystone's, one folder per dialect), as glob patterns
// instead of an ini listing every folder.
//
// Patterns are taken from the ini's folder (the env.py folder for a project without an ini),
// as retort takes every relative path of an Alembic project. `*` and `?` match within one path
// segment, `**` matches any number of folders (none included); anything else is literal. As in
// Python's glob, `*` and `?` do not match names starting with '.' unless the segment does;
// `__pycache__` is never a version location. A pattern expands to folders only, in sorted
// order (code points, segment by segment), so the result never depends on the file system's
// order; patterns keep the order given, a folder reached twice counts once (where first
// reached), and Alembic then reads the locations in that order, as it reads version_locations.
// A pattern that matches no folder is an error naming it.

import { Buffer } from "node:buffer";
import { lstatSync, readdirSync, realpathSync } from "node:fs";
import { delimiter, isAbsolute, join, parse, resolve } from "node:path";
import { RetortError } from "../core/errors.js";
import { kindOf } from "./alembic-config.js";
import { isWithin } from "./paths.js";

const byCodePoint = (a: string, b: string): number => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

const hasWildcard = (segment: string): boolean => /[*?]/.test(segment);

/** A segment with `*` and `?` as a regular expression over one name. */
function segmentPattern(segment: string): RegExp {
  const body = segment.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]");
  return new RegExp(`^${body}$`, "u");
}

/** The sub-folders of `dir` (links to folders included), sorted; none when it cannot be read. */
function subfolders(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n !== "__pycache__" && kindOf(join(dir, n)) === "dir").sort(byCodePoint);
}

/** `dir` and every folder below it, depth first, sorted; hidden folders and links to folders
 *  are not entered (a link could lead back up). */
function allBelow(dir: string, out: string[]): void {
  out.push(dir);
  for (const name of subfolders(dir)) {
    if (name.startsWith(".")) continue;
    const path = join(dir, name);
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      continue;
    }
    if (real === resolve(path)) allBelow(path, out);
  }
}

/** `dir/name`, a folder a wildcard reached; a symbolic link from inside `root` to a folder
 *  outside it is one error.
 *  A pull request can add such a link (versions/x -> /), and a pattern's wildcard would then
 *  read revisions from anywhere on the machine; a folder named without wildcards is taken as
 *  given. */
function insideRoot(dir: string, name: string, root: string): string {
  const path = join(dir, name);
  let real: string;
  let base: string;
  try {
    if (!lstatSync(path).isSymbolicLink()) return path;
    real = realpathSync(path);
    base = realpathSync(root);
    if (!isWithin(base, realpathSync(dir))) return path; // a folder outside, named by the pattern
  } catch {
    return path;
  }
  if (isWithin(base, real)) return path;
  throw new RetortError(
    "usage",
    `--version-locations: '${path}' is a symbolic link to '${real}', outside '${base}', and a wildcard reached it. ` +
      `Name the folder in the pattern without wildcards if it is meant to be read, or remove the link.`,
  );
}

function step(dirs: readonly string[], segment: string, root: string): string[] {
  if (segment === "**") {
    const out: string[] = [];
    for (const dir of dirs) allBelow(dir, out);
    return out;
  }
  if (!hasWildcard(segment)) return dirs.map((d) => join(d, segment)).filter((p) => kindOf(p) === "dir");
  const re = segmentPattern(segment);
  return dirs.flatMap((dir) =>
    subfolders(dir)
      .filter((name) => re.test(name) && (!name.startsWith(".") || segment.startsWith(".")))
      .map((name) => insideRoot(dir, name, root)),
  );
}

/** The folders one pattern names, from `root`, in sorted order. */
export function expandPattern(pattern: string, root: string): string[] {
  const start = isAbsolute(pattern) ? parse(resolve(pattern)).root : root;
  const segments = pattern.split(/[/\\]+/).filter((s) => s !== "");
  let dirs = [start];
  for (const segment of segments) dirs = step(dirs, segment, root);
  return dirs.map((d) => resolve(d));
}

/** The version locations `patterns` name, from `root` (see above). Throws RetortError("usage")
 *  for a pattern that names no folder, or a folder Alembic could not be told about. */
export function expandVersionLocations(patterns: readonly string[], root: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const pattern of patterns) {
    const found = expandPattern(pattern, root);
    if (found.length === 0) {
      throw new RetortError(
        "usage",
        `--version-locations: '${pattern}' matches no folder in '${root}' (patterns are taken from the folder of ` +
          `alembic.ini, or of env.py without one; '*' and '?' match within a name, '**' any number of folders). Fix the pattern.`,
      );
    }
    for (const dir of found) {
      let real = dir;
      try {
        real = realpathSync(dir);
      } catch {
        // Gone meanwhile: the loader says so.
      }
      if (seen.has(real)) continue;
      seen.add(real);
      out.push(dir);
    }
  }
  return out;
}

/** Separators of path_separator that Alembic 1.8's version_path_separator also knows. */
const SEPARATORS: Readonly<Record<string, string>> = { space: " ", os: delimiter, ":": ":", ";": ";" };

/** `locations` as main options of Alembic's Config, so that Alembic reads the same files:
 *  joined with the ini's path_separator when Alembic 1.8 knows it too (so prepend_sys_path, which
 *  current Alembic splits with it, keeps its meaning), else with os.pathsep and
 *  version_path_separator = os (which also replaces the 1.8 template's unusable
 *  'version_path_separator = os  # Use os.pathsep...'). Throws RetortError("usage") for a folder
 *  whose path holds the separator. */
export function alembicVersionOptions(locations: readonly string[], pathSeparator: string | undefined): Record<string, string> {
  const named = pathSeparator !== undefined && Object.prototype.hasOwnProperty.call(SEPARATORS, pathSeparator) ? pathSeparator : null;
  const char = named === null ? delimiter : SEPARATORS[named]!;
  const bad = locations.find((l) => l.includes(char));
  if (bad !== undefined) {
    throw new RetortError(
      "usage",
      `--version-locations: the folder '${bad}' has '${char}' in its path, which separates Alembic's version_locations ` +
        `here${named === null ? "" : ` (path_separator = ${named})`}. Rename the folder, or list the locations in alembic.ini.`,
    );
  }
  const joined = locations.join(char);
  if (named !== null) return { version_locations: joined, version_path_separator: named };
  return { version_locations: joined, version_path_separator: "os", ...(pathSeparator !== undefined ? { path_separator: "os" } : {}) };
}
