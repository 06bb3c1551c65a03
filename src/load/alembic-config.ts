// An Alembic project's settings, read from its alembic.ini the way Alembic reads them, without
// Python: where its scripts are (script_location), where its revision files are
// (version_locations, recursive_version_locations) and how new ones are named (file_template,
// truncate_slug_length). The ini syntax itself is ini.ts's job; which layout a migrations
// directory has is decided in directory.ts.
//
// Where retort deliberately differs from Alembic:
//   - Relative script_location and version_locations: Alembic resolves them against the
//     current directory of the `alembic` process (os.path.abspath), which works only when it
//     is run from the ini's directory, as it normally is. retort resolves them against the
//     ini's directory, whatever its own current directory is.
//   - Package resources (`script_location = myapp:migrations`): Alembic imports the package and
//     takes the folder `migrations` inside it (importlib.resources.files("myapp") / "migrations");
//     retort reads files only, so this is an error that asks for that folder's path, found
//     beside the ini or under prepend_sys_path when the package is there.
//   - Flask-Migrate's `migrations/alembic.ini` has no script_location, because Flask-Migrate
//     sets it in code to the migrations directory: an ini without script_location whose
//     directory holds env.py means script_location = that directory.

import { statSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { RetortError } from "../core/errors.js";
import { iniValue, parseIni, pyStrip, type IniFile } from "./ini.js";
import { readUtf8, usageAt } from "./text.js";

export interface AlembicProject {
  /** The directory holding alembic.ini, or the env.py directory when there is no ini. */
  readonly root: string;
  /** Absolute path of the ini file, or null for the env.py layout without one. */
  readonly iniPath: string | null;
  /** Absolute path of the directory holding env.py (Alembic's script_location). */
  readonly scriptLocation: string;
  /** Absolute paths in configured order; default `<scriptLocation>/versions`. */
  readonly versionLocations: readonly string[];
  /** True when `--version-locations` replaced the ini's (Alembic is then told them too). */
  readonly versionLocationsGiven?: boolean;
  /** The ini's path_separator (current Alembic's name for version_path_separator), when set. */
  readonly pathSeparator?: string;
  /** Main options retort sets on Alembic's Config when it runs the project (see AlembicLocation). */
  readonly mainOptions?: Readonly<Record<string, string>>;
  /** prepend_sys_path's entries as written (relative ones are taken from the ini's folder);
   *  absent without an ini or the setting. */
  readonly prependSysPath?: readonly string[];
  /** recursive_version_locations: also read sub-directories (Alembic >= 1.10). Default false. */
  readonly recursive: boolean;
  /** file_template after interpolation; default "%(rev)s_%(slug)s". */
  readonly fileTemplate: string;
  /** truncate_slug_length; default 40 (0 also means 40, as in Alembic). */
  readonly truncateSlugLength: number;
}

export const DEFAULT_FILE_TEMPLATE = "%(rev)s_%(slug)s";
export const DEFAULT_TRUNCATE_SLUG_LENGTH = 40;
/** Alembic's main section (`alembic -n NAME` can pick another; retort reads this one). */
export const ALEMBIC_SECTION = "alembic";

/** What is at `path`: a file, a directory, something else, or nothing (null). */
export function kindOf(path: string): "file" | "dir" | "other" | null {
  try {
    const s = statSync(path);
    return s.isDirectory() ? "dir" : s.isFile() ? "file" : "other";
  } catch {
    return null;
  }
}

/** The project of an env.py directory without an ini: every setting at Alembic's default. */
export function defaultProject(root: string): AlembicProject {
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

/** The [alembic] section of one ini file, as the readers of its settings see it. */
interface Settings {
  readonly iniPath: string;
  /** The ini's directory: %(here)s, and what relative paths are taken from. */
  readonly root: string;
  /** The interpolated value of `key`, undefined when it is not set. */
  readonly get: (key: string) => string | undefined;
  /** `file:line` of `key`, for errors. */
  readonly at: (key: string) => string;
}

function readIni(iniPath: string): IniFile {
  let text: string;
  try {
    text = readUtf8(iniPath, usageAt(iniPath));
  } catch (e) {
    if (e instanceof RetortError) throw e;
    throw new RetortError("usage", `Cannot read Alembic config '${iniPath}': ${(e as Error).message}.`, { cause: e });
  }
  return parseIni(text, iniPath);
}

/** The project an alembic.ini (an absolute path) describes. Throws RetortError("usage") naming
 *  the file and line of a setting retort cannot use. */
export function readAlembicConfig(iniPath: string): AlembicProject {
  const ini = readIni(iniPath);
  const root = dirname(iniPath);
  if (!ini.sections.has(ALEMBIC_SECTION)) {
    throw new RetortError(
      "usage",
      `${iniPath} has no [${ALEMBIC_SECTION}] section, so it is not an Alembic config file. ` +
        `Pass your project's alembic.ini with --alembic-config.`,
    );
  }
  const settings: Settings = {
    iniPath,
    root,
    get: (key) => iniValue(ini, ALEMBIC_SECTION, key, { here: root }),
    at: (key) => `${iniPath}:${ini.sections.get(ALEMBIC_SECTION)?.get(key)?.line ?? ini.defaults.get(key)?.line ?? 0}`,
  };
  const scriptLocation = scriptLocationOf(settings);
  const versionLocations = splitVersionLocations(settings).map((entry) =>
    resolvePath(entry, "version_locations entry", settings.at("version_locations"), settings),
  );
  const truncateSlugLength = truncateSlugLengthOf(settings);
  const sysPath = prependSysPath(settings.get);
  return {
    root,
    iniPath,
    scriptLocation,
    versionLocations: versionLocations.length > 0 ? versionLocations : [join(scriptLocation, "versions")],
    // Alembic compares with the string "true": "True" or "yes" mean false.
    recursive: settings.get("recursive_version_locations") === "true",
    fileTemplate: settings.get("file_template") ?? DEFAULT_FILE_TEMPLATE,
    truncateSlugLength,
    ...(sysPath.length > 0 ? { prependSysPath: sysPath } : {}),
    ...(settings.get("path_separator") !== undefined ? { pathSeparator: settings.get("path_separator") } : {}),
    // Flask-Migrate's ini has none: Alembic is told the one Flask-Migrate would set.
    ...(settings.get("script_location") === undefined ? { mainOptions: { script_location: scriptLocation } } : {}),
  };
}

/** script_location: the directory holding env.py (absolute, and there). */
function scriptLocationOf({ iniPath, root, get, at }: Settings): string {
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
    return root;
  }
  if (location === "") {
    // Alembic would look for the empty path and report that it does not exist.
    throw new RetortError(
      "usage",
      `${at("script_location")}: script_location is empty. Name the directory that holds env.py and versions/, ` +
        `e.g. 'script_location = %(here)s/alembic'.`,
    );
  }
  const scriptLocation = resolvePath(location, "script_location", at("script_location"), { root, get });
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
  return scriptLocation;
}

function truncateSlugLengthOf({ get, at }: Settings): number {
  const tsl = get("truncate_slug_length");
  if (tsl === undefined) return DEFAULT_TRUNCATE_SLUG_LENGTH;
  // Python's int(): optional sign, digits, single underscores between digits.
  if (!/^\+?\d+(_\d+)*$/.test(tsl)) {
    throw new RetortError("usage", `${at("truncate_slug_length")}: truncate_slug_length '${tsl}' is not a non-negative integer; the default is 40.`);
  }
  // Alembic: `truncate_slug_length or 40`, so 0 means the default.
  return Number(tsl.replace(/_/g, "")) || DEFAULT_TRUNCATE_SLUG_LENGTH;
}

/** `package:path` is an importlib resource to Alembic (util.coerce_resource_to_filename). */
const isPackageResource = (p: string): boolean => !isAbsolute(p) && p.includes(":");

/** Where the folder of a package resource `pkg.sub:a:b` is when the package sits in the ini's
 *  folder or in one of prepend_sys_path's (which Alembic puts on sys.path, taken from the ini's
 *  folder as retort runs Alembic there): `<dir>/pkg/sub/a/b`, as Alembic's
 *  importlib.resources.files("pkg.sub") / "a" / "b" finds it. The first candidate whose package
 *  folder exists; else the one beside the ini, marked as not found. */
export function packageResourceFolder(value: string, root: string, sysPath: readonly string[] = []): { path: string; found: boolean } {
  const [pkg = "", ...parts] = value.split(":");
  const inside = [...pkg.split("."), ...parts.filter((p) => p !== "")];
  const bases = [root, ...sysPath.map((p) => resolve(root, p))];
  for (const base of bases) {
    if (kindOf(join(base, ...pkg.split("."))) === "dir") return { path: join(base, ...inside), found: true };
  }
  return { path: join(root, ...inside), found: false };
}

/** prepend_sys_path's entries, split as Alembic splits them: by path_separator where current
 *  Alembic's is set, else (as Alembic 1.8 always does) on spaces, commas and colons; [] when
 *  unset. version_path_separator is for version_locations only. */
function prependSysPath(get: Settings["get"]): string[] {
  const value = get("prepend_sys_path");
  if (value === undefined || value === "") return [];
  const name = get("path_separator") ?? "";
  const char = Object.prototype.hasOwnProperty.call(SEPARATORS, name) ? SEPARATORS[name] : undefined;
  return (char === undefined ? value.split(/, *| +|:/) : value.split(char)).map(pyStrip).filter((x) => x !== "");
}

/** `%(here)s/...` for an absolute path below the ini's folder, else the path itself. */
const hereForm = (path: string, root: string): string => {
  const rel = relative(root, path);
  return rel === "" ? "%(here)s" : rel.startsWith("..") || isAbsolute(rel) ? path : `%(here)s/${rel.split(sep).join("/")}`;
};

function resolvePath(value: string, what: string, where: string, settings: Pick<Settings, "root" | "get">): string {
  if (isPackageResource(value)) {
    const folder = packageResourceFolder(value, settings.root, prependSysPath(settings.get));
    const [pkg] = value.split(":");
    const there = folder.found
      ? `Write it as that folder's path instead: '${hereForm(folder.path, settings.root)}'.`
      : `Write it as the path of that folder instead, e.g. '${hereForm(folder.path, settings.root)}' when the package ` +
        `'${pkg}' sits beside the ini (retort found no folder '${pkg}' there or under prepend_sys_path).`;
    throw new RetortError(
      "usage",
      `${where}: ${what} '${value}' is a Python package resource (package:path): Alembic imports '${pkg}' and takes the ` +
        `folder '${value.split(":").slice(1).join("/")}' inside it, which retort cannot do. ${there}`,
    );
  }
  return resolve(settings.root, value);
}

/** Where an ini's script_location points, without judging the ini: the absolute path it names
 *  (taken from the ini's folder; a package resource where packageResourceFolder finds it), the
 *  ini's own folder for a Flask-Migrate ini (no script_location, env.py beside it), or null
 *  for a file that is no readable Alembic config. For finding which ini belongs to a folder;
 *  readAlembicConfig then reads the chosen one and says what is wrong with it. */
export function peekScriptLocation(iniPath: string): string | null {
  let ini: IniFile;
  try {
    ini = readIni(iniPath);
  } catch {
    return null;
  }
  if (!ini.sections.has(ALEMBIC_SECTION)) return null;
  const root = dirname(iniPath);
  let location: string | undefined;
  let sysPath: string[];
  try {
    const get = (key: string) => iniValue(ini, ALEMBIC_SECTION, key, { here: root });
    location = get("script_location");
    sysPath = prependSysPath(get);
  } catch {
    return null;
  }
  if (location === undefined) return kindOf(join(root, "env.py")) === "file" ? root : null;
  if (location === "") return null;
  return isPackageResource(location) ? packageResourceFolder(location, root, sysPath).path : resolve(root, location);
}

// Alembic's separator names for version_path_separator ("newline" only in newer Alembic).
const SEPARATORS: Readonly<Record<string, string>> = { space: " ", newline: "\n", os: delimiter, ":": ":", ";": ";" };
// Alembic's legacy split when no separator is configured: ", *| +" (not on newlines).
const LEGACY_SPLIT = /, *| +/;

/** The entries of version_locations, split as ScriptDirectory.from_config splits them; [] when
 *  the option is unset or empty. */
function splitVersionLocations({ get, at }: Settings): string[] {
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


/** Stops a run of Alembic's env.py on a multi-database project (`alembic init -t multidb`:
 *  `databases = engine1, engine2` in [alembic]). Its env.py connects to each database named in
 *  the ini's own sections, not the one retort was given, and offline writes each database's SQL
 *  to a `<name>.sql` file in the current directory instead of printing it: retort can neither
 *  show nor apply what it does. The graph commands, `current` and `check` need no env.py. */
export function refuseMultidb(iniPath: string | null, what: string): void {
  if (iniPath === null) return;
  let names: string | undefined;
  try {
    const ini = readIni(iniPath);
    names = iniValue(ini, ALEMBIC_SECTION, "databases", { here: dirname(iniPath) });
  } catch {
    return;
  }
  if (names === undefined || names.trim() === "") return;
  throw new RetortError(
    "usage",
    `${iniPath} lists several databases ([${ALEMBIC_SECTION}] databases = ${names.trim()}): a multi-database project ` +
      `(alembic init -t multidb), whose env.py connects to each database of its own sections and writes offline SQL to ` +
      `one <name>.sql file per database. retort runs one database per project, so it cannot ${what} it; heads, history, ` +
      `show, current and check work. Use alembic itself for this project.`,
  );
}
