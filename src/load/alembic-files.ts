// An Alembic project's revision files: found the way Alembic finds them (its version
// locations, in its load order) and read without Python (alembic-script.ts reads each one).
//
// Where retort deliberately differs from Alembic:
//   - Sourceless revisions (`sourceless = true`, `.pyc` files without a `.py`): retort reads
//     the source only, so only `*.py` files are listed.
//   - Alembic 1.8 lists a version directory with os.listdir() (file system order); 1.10 and
//     later sort it, and added recursive_version_locations. retort always sorts, as current
//     Alembic does.

import { Buffer } from "node:buffer";
import { readdirSync, readlinkSync, realpathSync, type Dirent } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { RetortError, RevisionFileError } from "../core/errors.js";
import { quoted, type Revision } from "../core/revision.js";
import { kindOf, type AlembicProject } from "./alembic-config.js";
import { parseAlembicScript, type AlembicScript } from "./alembic-script.js";
import { ModuleResolver } from "./python-refs.js";
import { NOT_UTF8_NAME, readUtf8, undecodable } from "./text.js";
import { isWithin, slashed } from "./paths.js";

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
          `Alembic versions directory '${location}' does not exist. Create it ('alembic init' does), set ` +
            `version_locations in ${project.iniPath ?? "alembic.ini"}, or pass --version-locations.`,
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
      // As for native revisions: a pull request's link does not make retort read the machine.
      const roots = [process.cwd(), project.iniPath ? dirname(project.iniPath) : project.scriptLocation, location].map((r) => resolveLoose(r).path);
      if (!roots.some((r) => isWithin(r, real.path))) {
        throw fail(`is a symbolic link to ${quoted(real.path)}, outside the project (${quoted(roots[1]!)}) and the current directory: retort follows links only within them. Move or copy the file into the project.`);
      }
      out.push(real.path);
    }
  }
  return out;
}

/** PEP 263's coding declaration, on the first or second line. */
const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

/** A Python source file's text, as Python would decode it or not at all: UTF-8 (the default),
 *  with or without a BOM. A file declaring another encoding is read only when it is ASCII
 *  (which every such encoding reads the same); otherwise retort would see other characters
 *  than Python, so it refuses. */
function pythonSource(file: string, path: string): string {
  const fail = (line: number, message: string) => new RevisionFileError(path, line, message);
  const text = readUtf8(file, fail);
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/, 2);
  for (const [i, line] of lines.entries()) {
    const declared = CODING.exec(line)?.[1];
    if (declared === undefined) {
      if (/^[ \t\f]*(#.*)?$/.test(line)) continue;
      break;
    }
    const name = declared.toLowerCase().replace(/_/g, "-");
    if (!/^(utf-?8|u8|cp65001)(-.*)?$/.test(name) && /[^\p{ASCII}]/u.test(text.replace(/^\uFEFF/, ""))) {
      throw fail(
        i + 1,
        `declares the source encoding '${declared}' and holds non-ASCII text; retort reads revision files as UTF-8. ` +
          "Convert the file to UTF-8 and remove the coding line",
      );
    }
    break;
  }
  return text;
}

/** Every revision file of an Alembic project, in Alembic's load order, read without Python. */
export function loadAlembicRevisions(project: AlembicProject): Revision[] {
  return readAlembicRevisions(project, false).revisions;
}

/** A revision file with values only Python can tell (`defer`): its revision (at `index`)
 *  holds placeholders for them (see AlembicScript.unresolved). */
export interface DeferredScript {
  readonly index: number;
  /** The real path, as Alembic's Script.path gives it. */
  readonly file: string;
  readonly script: AlembicScript;
}

/** The revisions of an Alembic project, read without Python; references to constants are
 *  resolved (python-refs.ts). A value still undecidable is an error, or with `defer` left in
 *  `deferred` for Alembic to answer (alembic/graph.ts). */
export function readAlembicRevisions(project: AlembicProject, defer: boolean): { revisions: Revision[]; deferred: DeferredScript[] } {
  const refs = { modules: ModuleResolver.forProject(project), defer };
  const deferred: DeferredScript[] = [];
  const revisions = listAlembicScripts(project).map((file, index) => {
    const path = slashed(relative(process.cwd(), file)) || file;
    const text = pythonSource(file, path);
    const script = parseAlembicScript(text, path, basename(file), refs);
    if (script.unresolved) deferred.push({ index, file, script });
    return alembicRevision(project, script, text);
  });
  return { revisions, deferred };
}

/** Whether the module defines `name` at its top level (a def, async def, or an assignment). */
function definesFunction(text: string, name: string): boolean {
  return new RegExp(`^(?:(?:async[ \\t]+)?def[ \\t]+${name}\\b|${name}[ \\t]*=)`, "m").test(text);
}

/** The Revision of a revision file read as `script`. */
export function alembicRevision(project: AlembicProject, script: AlembicScript, text: string): Revision {
  const location = {
    iniPath: project.iniPath,
    scriptLocation: project.scriptLocation,
    ...(project.mainOptions ? { mainOptions: project.mainOptions } : {}),
  };
  const path = script.path;
  const lineOf = (name: string) => {
    const def = new RegExp(`^def ${name}\\b`);
    const index = text.split(/\r?\n/).findIndex((l) => def.test(l));
    return index >= 0 ? index + 1 : 1;
  };
  return {
    id: script.id,
    downRevisions: script.downRevisions,
    branchLabels: script.branchLabels,
    dependsOn: script.dependsOn,
    message: script.message,
    longDoc: script.longDoc,
    createDate: script.createDate,
    path,
    // The SQL comes from Alembic; the sections only mark where the functions are.
    upgrade: { sql: "", line: lineOf("upgrade"), transaction: true },
    // No downgrade() (neutron's revisions have none): irreversible, as Alembic fails on it.
    downgrade: definesFunction(text, "downgrade") ? { sql: "", line: lineOf("downgrade"), transaction: true } : null,
    alembic: { text, project: location },
  };
}

