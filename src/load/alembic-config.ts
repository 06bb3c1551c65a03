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
//   - Package resources (`script_location = myapp:migrations`): Alembic imports the package;
//     retort reads files only, so this is an error that asks for a path.
//   - Flask-Migrate's `migrations/alembic.ini` has no script_location, because Flask-Migrate
//     sets it in code to the migrations directory: an ini without script_location whose
//     directory holds env.py means script_location = that directory.

import { statSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";
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
    resolvePath(entry, "version_locations entry", settings.at("version_locations"), root),
  );
  const truncateSlugLength = truncateSlugLengthOf(settings);
  return {
    root,
    iniPath,
    scriptLocation,
    versionLocations: versionLocations.length > 0 ? versionLocations : [join(scriptLocation, "versions")],
    // Alembic compares with the string "true": "True" or "yes" mean false.
    recursive: settings.get("recursive_version_locations") === "true",
    fileTemplate: settings.get("file_template") ?? DEFAULT_FILE_TEMPLATE,
    truncateSlugLength,
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
  const scriptLocation = resolvePath(location, "script_location", at("script_location"), root);
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

