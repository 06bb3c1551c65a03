// Reading a native migrations directory: every `*.sql` file below it, in sorted path order (the
// order plays the role of Alembic's map order). Either every file loads and the graph is valid,
// or one error says which file to fix: nothing is half-loaded.
//
// Symbolic links are followed, to files and to directories (Alembic reads a linked revision
// file too), and nothing below the directory is passed over without a word: a link that points
// nowhere, a link loop, a directory link back into its own ancestors, a `.sql` name that is not
// a regular file, and two paths reaching the same file are each an error naming the path.
// Names starting with '.' are not read (.git, editor swap files).

import { readdirSync, readlinkSync, realpathSync, statSync, type Dirent, type Stats } from "node:fs";
import { join, sep } from "node:path";
import { RetortError, RevisionFileError } from "../core/errors.js";
import { quoted, type Revision } from "../core/revision.js";
import { parseRevisionFile } from "./native.js";
import { nearbyIniHint } from "./nearby-ini.js";
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

/** Stops with a usage error unless `dir` is a directory. */
function requireDirectory(dir: string): void {
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
        `or create the first revision with 'retort revision -m "message"'.${nearbyIniHint()}`,
    );
  }
}

/** One entry of a directory being listed. */
interface Entry {
  readonly dirent: Dirent;
  /** Its path inside the migrations directory, with `/`. */
  readonly rel: string;
  /** Its path as the user names it. */
  readonly shown: string;
  /** Its path on disk, to read it by. */
  readonly full: string;
}

/** The walk down a migrations directory: what it found so far and what it must not find twice. */
class RevisionTree {
  readonly files: string[] = [];
  /** Real path of each file taken, to the path it was taken at. */
  private readonly taken = new Map<string, string>();
  private readonly base: string;
  private readonly dir: string;
  /** Where links may lead: the migrations directory and the project (the current directory). */
  private readonly roots: readonly string[];

  constructor(dir: string, top: string) {
    this.dir = dir;
    this.base = shownBase(dir);
    this.roots = [top, realpathSync(process.cwd())];
  }

  /** Lists the directory at `prefix`; `chain`: the real paths of the directories from the top
   *  down to it (the last is its own). */
  visit(prefix: string, chain: readonly string[]): void {
    const here = prefix === "" ? this.dir : join(this.dir, prefix);
    // Sorted, so that of several problems the same one is reported on every machine.
    let entries: Dirent[];
    try {
      entries = readdirSync(here, { withFileTypes: true }).sort((a, b) => byCodeUnit(a.name, b.name));
    } catch (e) {
      throw pathError(prefix === "" ? this.base || this.dir : joinShown(this.base, prefix), `cannot be read (${(e as Error).message}).`);
    }
    for (const dirent of entries) {
      if (dirent.name.startsWith(".")) continue;
      const rel = prefix === "" ? dirent.name : `${prefix}/${dirent.name}`;
      this.entry({ dirent, rel, shown: joinShown(this.base, rel), full: join(here, dirent.name) }, chain);
    }
  }

  private entry(entry: Entry, chain: readonly string[]): void {
    const { dirent, shown } = entry;
    if ((dirent.isDirectory() || dirent.isSymbolicLink() || dirent.name.endsWith(".sql")) && undecodable(entry.full)) {
      throw pathError(shown, NOT_UTF8_NAME);
    }
    const link = dirent.isSymbolicLink();
    const to = link ? this.followInside(entry) : null;
    const real = to ? to.real : join(chain[chain.length - 1]!, dirent.name);
    if (to ? to.stats.isDirectory() : dirent.isDirectory()) {
      // A link to a directory on the way down here, or to one that holds it, would lead back
      // here: a loop, caught at the link itself.
      if (link && chain.some((d) => d === real || d.startsWith(real.endsWith(sep) ? real : real + sep))) {
        throw pathError(shown, `is a symbolic link to ${quoted(readlinkSync(entry.full))}, a directory that holds the link itself (a loop); remove the link.`);
      }
      this.visit(entry.rel, [...chain, real]);
    } else if (dirent.name.endsWith(".sql")) {
      this.take(entry, real, to ? to.stats.isFile() : dirent.isFile());
    }
  }

  /** Where the link `entry` leads, when that is within the roots. */
  private followInside(entry: Entry): { stats: Stats; real: string } {
    const to = followLink(entry.full, entry.shown);
    if (!this.roots.some((r) => inside(to.real, r))) {
      throw pathError(
        entry.shown,
        `is a symbolic link to ${quoted(readlinkSync(entry.full))}, outside the migrations directory and the project ` +
          `(${quoted(process.cwd())}): retort follows links only within them. Move or copy what it points to into the project.`,
      );
    }
    return to;
  }

  private take(entry: Entry, real: string, file: boolean): void {
    const { shown } = entry;
    if (!file) throw pathError(shown, "is not a regular file (a FIFO, socket or device); a revision file must be a file.");
    const first = this.taken.get(real);
    if (first !== undefined) {
      throw pathError(shown, `is the same file as ${joinShown(this.base, first)} (through a symbolic link), so it would load twice; keep one of the two paths.`);
    }
    this.taken.set(real, entry.rel);
    this.files.push(entry.rel);
  }
}

/** Paths (relative, with `/`) of the revision files under `dir`, sorted. */
export function listRevisionFiles(dir: string): string[] {
  requireDirectory(dir);
  const top = realpathSync(dir);
  const tree = new RevisionTree(dir, top);
  tree.visit("", [top]);
  return tree.files.sort(byCodeUnit);
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
