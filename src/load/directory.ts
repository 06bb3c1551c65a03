// Reading a migrations directory: every `*.sql` file below it, in sorted path order (the
// order plays the role of Alembic's map order). Either every file loads and the graph is valid,
// or one error says which file to fix: nothing is half-loaded.
//
// Symbolic links are followed, to files and to directories (Alembic reads a linked revision
// file too), and nothing below the directory is passed over without a word: a link that points
// nowhere, a link loop, a directory link back into its own ancestors, a `.sql` name that is not
// a regular file, and two paths reaching the same file are each an error naming the path.
// Names starting with '.' are not read (.git, editor swap files).

import { readdirSync, readlinkSync, realpathSync, statSync, type Dirent, type Stats } from "node:fs";
import { basename, join, relative, sep } from "node:path";
import { RetortError, RevisionFileError } from "../core/errors.js";
import { RevisionGraph } from "../core/graph.js";
import { quoted, type Revision } from "../core/revision.js";
import { detectAlembicProject, listAlembicScripts, type AlembicProject } from "./alembic-config.js";
import { parseAlembicScript } from "./alembic-script.js";
import { parseRevisionFile } from "./native.js";
import { NOT_UTF8_NAME, readUtf8, undecodable } from "./text.js";

/** Paths as the user names them: the directory as given, joined with `/`. */
function shownBase(dir: string): string {
  return dir.split(sep).join("/").replace(/\/+$/, "");
}

function joinShown(base: string, rel: string): string {
  return base === "" || base === "." ? rel : `${base}/${rel}`;
}

function pathError(shown: string, why: string): RetortError {
  return new RetortError("revision-file", `${shown}: ${why}`, { location: { file: shown, line: 1 } });
}

/** What the symbolic link at `full` (shown as `shown`) ends at, following every hop. */
function followLink(full: string, shown: string): { stats: Stats; real: string } {
  try {
    return { stats: statSync(full), real: realpathSync(full) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ELOOP") {
      throw pathError(shown, "is a symbolic link loop (following it leads back to it); remove the link, or point it at a revision file or directory.");
    }
    if (code === "ENOENT" || code === "ENOTDIR") {
      let target = "";
      try {
        target = ` to ${quoted(readlinkSync(full))}`;
      } catch {
        // Gone meanwhile: say what is known.
      }
      throw pathError(shown, `is a symbolic link${target}, which does not exist; fix the link or remove it.`);
    }
    throw pathError(shown, `is a symbolic link that cannot be followed (${(e as Error).message}).`);
  }
}

/** Whether the real path `path` is `root` or lies below it. */
function inside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Paths (relative, with `/`) of the revision files under `dir`, sorted. */
export function listRevisionFiles(dir: string): string[] {
  let isDir: boolean | null = null;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = null;
  }
  if (isDir === false) {
    throw new RetortError("usage", `Migrations directory '${dir}' is not a directory. Pass --migrations DIR (or set RETORT_MIGRATIONS).`);
  }
  if (isDir === null) {
    throw new RetortError(
      "usage",
      `Migrations directory '${dir}' does not exist. Pass --migrations DIR (or set RETORT_MIGRATIONS), ` +
        `or create the first revision with 'retort revision -m "message"'.`,
    );
  }
  const base = shownBase(dir);
  const files: string[] = [];
  // Real path of each file taken, to the path it was taken at.
  const taken = new Map<string, string>();
  // `chain`: the real paths of the directories from the top down to this one.
  const visit = (prefix: string, realDir: string, chain: readonly string[]) => {
    const here = prefix === "" ? dir : join(dir, prefix);
    // Sorted, so that of several problems the same one is reported on every machine.
    let entries: Dirent[];
    try {
      entries = readdirSync(here, { withFileTypes: true }).sort((a, b) => byCodeUnit(a.name, b.name));
    } catch (e) {
      throw pathError(prefix === "" ? base || dir : joinShown(base, prefix), `cannot be read (${(e as Error).message}).`);
    }
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      const shown = joinShown(base, rel);
      if ((entry.isDirectory() || entry.isSymbolicLink() || entry.name.endsWith(".sql")) && undecodable(join(here, entry.name))) {
        throw pathError(shown, NOT_UTF8_NAME);
      }
      let directory = entry.isDirectory();
      let file = entry.isFile();
      let real = join(realDir, entry.name);
      let link = false;
      if (entry.isSymbolicLink()) {
        const to = followLink(join(here, entry.name), shown);
        if (!roots.some((r) => inside(to.real, r))) {
          throw pathError(
            shown,
            `is a symbolic link to ${quoted(readlinkSync(join(here, entry.name)))}, outside the migrations directory and the project ` +
              `(${quoted(process.cwd())}): retort follows links only within them. Move or copy what it points to into the project.`,
          );
        }
        directory = to.stats.isDirectory();
        file = to.stats.isFile();
        real = to.real;
        link = true;
      }
      if (directory) {
        // A link to a directory on the way down here, or to one that holds it, would lead back
        // here: a loop, caught at the link itself.
        if (link && chain.some((d) => d === real || d.startsWith(real.endsWith(sep) ? real : real + sep))) {
          throw pathError(shown, `is a symbolic link to ${quoted(readlinkSync(join(here, entry.name)))}, a directory that holds the link itself (a loop); remove the link.`);
        }
        visit(rel, real, [...chain, real]);
      } else if (entry.name.endsWith(".sql")) {
        if (!file) throw pathError(shown, "is not a regular file (a FIFO, socket or device); a revision file must be a file.");
        const first = taken.get(real);
        if (first !== undefined) {
          throw pathError(shown, `is the same file as ${joinShown(base, first)} (through a symbolic link), so it would load twice; keep one of the two paths.`);
        }
        taken.set(real, rel);
        files.push(rel);
      }
    }
  };
  const top = realpathSync(dir);
  const roots = [top, realpathSync(process.cwd())];
  visit("", top, [top]);
  return files.sort(byCodeUnit);
}

/** Parses every revision file under `dir` (paths in errors and revisions are relative to the
 *  current directory, as the user typed them). */
export function loadRevisions(dir: string): Revision[] {
  const base = shownBase(dir);
  return listRevisionFiles(dir).map((file) => {
    const path = joinShown(base, file);
    return parseRevisionFile(readUtf8(path, (line, message) => new RevisionFileError(path, line, message)), path);
  });
}

/** The revision graph of `dir`: an Alembic project (alembic.ini, or env.py beside versions/,
 *  or `alembicConfig`) read statically, else native `.sql` revisions. */
export function loadGraph(dir: string, alembicConfig: string | null = null): RevisionGraph {
  const project = detectAlembicProject(dir, alembicConfig);
  return RevisionGraph.build(project ? loadAlembicRevisions(project) : loadRevisions(dir));
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
  return listAlembicScripts(project).map((file) => {
    const path = relative(process.cwd(), file).split(sep).join("/") || file;
    const text = pythonSource(file, path);
    const script = parseAlembicScript(text, path, basename(file));
    const lineOf = (name: string) => {
      const index = text.split(/\r?\n/).findIndex((l) => new RegExp(`^def ${name}\\b`).test(l));
      return index >= 0 ? index + 1 : 1;
    };
    return {
      id: script.id,
      downRevisions: script.downRevisions,
      branchLabels: script.branchLabels,
      dependsOn: script.dependsOn,
      message: script.message,
      createDate: script.createDate,
      path,
      // The SQL comes from Alembic; the sections only mark where the functions are.
      upgrade: { sql: "", line: lineOf("upgrade"), transaction: true },
      downgrade: { sql: "", line: lineOf("downgrade"), transaction: true },
      alembic: { text },
    };
  });
}
