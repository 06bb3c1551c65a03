// Why a project gave no revisions at all, when that is a mistake rather than a new project: the
// error says what is there and what to pass, instead of an empty plan, exit 0 and "one head".
//
//   - An Alembic project whose version locations hold no revision file, but whose sub-folders
//     hold Python files (a layout by release or by dialect; Alembic reads sub-folders only with
//     recursive_version_locations), or none of whose configured locations exists.
//   - A folder read as native (no env.py beside versions/, no ini) that holds no .sql revision
//     but Python revision files, or an env.py: an Alembic project retort did not recognise.
// A new native project (an empty or missing folder) and a new Alembic project (`alembic init`,
// versions/ empty) stay fine.

import { readdirSync, readFileSync, type Dirent } from "node:fs";
import { join, relative, resolve } from "node:path";
import { RetortError } from "../core/errors.js";
import { kindOf, type AlembicProject } from "./alembic-config.js";
import { shownPath, type HereIni } from "./find-project.js";
import { slashed } from "./paths.js";

/** How deep below a folder Python files are looked for (neutron: versions/<release>/expand). */
const DEPTH = 4;
/** How many entries are looked at, at most (a folder that is a whole repository stays quick). */
const MAX_ENTRIES = 5000;
/** Alembic's revision file names (alembic-files.ts REVISION_FILE). */
const PY_FILE = /^(?!\.#|__init__)[^\n]*\.py$/;
/** A Python file that declares a revision as Alembic's templates write it. */
const DECLARES_REVISION = /^(down_revision|revision)\s*(:[^=\n]*)?=/m;

interface PyFiles {
  /** Files below the folder (not in it), by the sub-folder holding them (relative, `/`). */
  readonly byFolder: Map<string, number>;
  readonly count: number;
  readonly example: string | null;
}

function isRevisionFile(path: string): boolean {
  try {
    return DECLARES_REVISION.test(readFileSync(path, "utf8"));
  } catch {
    return false;
  }
}

/** The Python revision files below `top` (down to DEPTH), by folder; `ownFiles` also counts
 *  the files of `top` itself. Hidden folders and __pycache__ are skipped. */
function pythonBelow(top: string, ownFiles: boolean): PyFiles {
  const byFolder = new Map<string, number>();
  let example: string | null = null;
  let count = 0;
  let seen = 0;
  const visit = (dir: string, depth: number) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      return;
    }
    for (const entry of entries) {
      if (++seen > MAX_ENTRIES) return;
      const name = entry.name;
      const path = join(dir, name);
      const kind = entry.isDirectory() ? "dir" : entry.isFile() ? "file" : entry.isSymbolicLink() ? kindOf(path) : "other";
      if (kind === "dir" && depth < DEPTH && !name.startsWith(".") && name !== "__pycache__") visit(path, depth + 1);
      else if (kind === "file" && (depth > 0 || ownFiles) && PY_FILE.test(name) && isRevisionFile(path)) {
        const folder = slashed(relative(top, dir));
        byFolder.set(folder, (byFolder.get(folder) ?? 0) + 1);
        example ??= slashed(relative(top, path));
        count++;
      }
    }
  };
  visit(top, 0);
  return { byFolder, count, example };
}

const files = (n: number): string => `${n} .py revision file${n === 1 ? "" : "s"}`;

/** `--version-locations` patterns that reach the folders holding the files: one `*` per level. */
function patternsFor(location: string, root: string, py: PyFiles): string[] {
  const base = slashed(relative(root, location));
  const depths = [...new Set([...py.byFolder.keys()].map((f) => f.split("/").length))].sort();
  return depths.map((d) => [base === "" ? "." : base, ...Array<string>(d).fill("*")].join("/"));
}

/** The error for an Alembic project that gave no revisions, or null when that is fine. */
export function explainEmptyAlembic(project: AlembicProject, patternsGiven: boolean): RetortError | null {
  const where = project.iniPath ? shownPath(project.iniPath) : "alembic.ini";
  const existing = project.versionLocations.filter((l) => kindOf(l) === "dir");
  if (existing.length === 0) {
    return new RetortError(
      "usage",
      `None of the Alembic version locations exists (${project.versionLocations.map((l) => `'${shownPath(l)}'`).join(", ")}), ` +
        `so there are no revisions. Fix ${patternsGiven ? "--version-locations" : `version_locations in ${where}`}.`,
    );
  }
  if (project.recursive) return null;
  for (const location of existing) {
    const py = pythonBelow(location, false);
    if (py.count === 0) continue;
    const folders = [...py.byFolder.keys()];
    const shownFolders = folders.slice(0, 3).map((f) => `${f}/`).join(", ") + (folders.length > 3 ? ", ..." : "");
    const patterns = patternsFor(location, project.root, py);
    return new RetortError(
      "usage",
      `Alembic version location '${shownPath(location)}' holds no revision files, but ${folders.length} sub-folder` +
        `${folders.length === 1 ? " of it holds" : "s of it hold"} ${files(py.count)} (${shownFolders}), which Alembic does not read ` +
        `without recursive_version_locations. Set 'recursive_version_locations = true' in ${where} (Alembic 1.10+), or pass ` +
        `--version-locations '${patterns.join(" ")}' (patterns are taken from ` +
        `the ${project.iniPath ? "ini's" : "env.py"} folder, '${shownPath(project.root)}').`,
    );
  }
  return null;
}

/** Warnings for an Alembic project that gave revisions while sub-folders of its version
 *  locations, which Alembic does not read without recursive_version_locations, hold more: one
 *  release's revisions at the top and the rest by release is a graph missing most of itself;
 *  an archive folder may be meant. Only sub-folders are looked into (the files at the top are
 *  not read again). */
export function ignoredSubfolders(project: AlembicProject): string[] {
  if (project.recursive) return [];
  const where = project.iniPath ? shownPath(project.iniPath) : "alembic.ini";
  return project.versionLocations.flatMap((location) => {
    if (kindOf(location) !== "dir") return [];
    const py = pythonBelow(location, false);
    // A sub-folder that is a version location of its own is read (neutron lists versions/ and
    // versions/<release>/expand, ...).
    const read = new Set(project.versionLocations.map((l) => resolve(l)));
    const folders = [...py.byFolder.keys()].filter((f) => !read.has(resolve(location, f)));
    const count = folders.reduce((n, f) => n + py.byFolder.get(f)!, 0);
    if (count === 0) return [];
    const shownFolders = folders.slice(0, 3).map((f) => `${f}/`).join(", ") + (folders.length > 3 ? ", ..." : "");
    return [
      `sub-folders of the Alembic version location '${shownPath(location)}' hold ${files(count)} (${shownFolders}), which ` +
        `retort, like Alembic, does not read without recursive_version_locations. If they belong to the project, set ` +
        `'recursive_version_locations = true' in ${where} or pass --version-locations with their folders.`,
    ];
  });
}

/** The error for a native folder that gave no revisions, or null when that is fine (a new
 *  project). `here` is the ini Alembic would read in the current directory, for the hint. */
export function explainEmptyNative(dir: string, here: HereIni | null): RetortError | null {
  if (kindOf(dir) !== "dir") return null;
  const envPy = kindOf(join(dir, "env.py")) === "file";
  const py = pythonBelow(dir, true);
  if (!envPy && py.count === 0) return null;
  const hint =
    here !== null && here.points !== null
      ? ` (${here.shown} has script_location '${shownPath(here.points)}': leave --migrations out to use it)`
      : "";
  if (envPy) {
    return new RetortError(
      "usage",
      `'${dir}' holds an env.py but no versions/ folder and no .sql revisions, so it is neither an Alembic project retort ` +
        `can read nor a native one with revisions. Create '${dir}/versions' (alembic init does), or pass --version-locations ` +
        `with the folders of its revision files (from '${dir}'), or --alembic-config with its alembic.ini${hint}.`,
    );
  }
  return new RetortError(
    "usage",
    `'${dir}' holds no .sql revisions but ${files(py.count)} (e.g. '${dir}/${py.example}') and no env.py, so retort reads it as a ` +
      `native project and finds nothing to run. For an Alembic project, pass --migrations the folder that holds env.py and ` +
      `versions/, or --alembic-config its alembic.ini${hint}; Alembic cannot run the revisions without an env.py either.`,
  );
}
