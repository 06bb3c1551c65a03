// Reading a migrations directory: every `*.sql` file below it, in sorted path order (the
// order plays the role of Alembic's map order). Either every file loads and the graph is valid,
// or one error says which file to fix: nothing is half-loaded.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative, sep } from "node:path";
import { RetortError } from "../core/errors.js";
import { RevisionGraph } from "../core/graph.js";
import type { Revision } from "../core/revision.js";
import { detectAlembicProject, listAlembicScripts, type AlembicProject } from "./alembic-config.js";
import { parseAlembicScript } from "./alembic-script.js";
import { parseRevisionFile } from "./native.js";

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
  const files: string[] = [];
  const visit = (prefix: string) => {
    for (const entry of readdirSync(prefix === "" ? dir : join(dir, prefix), { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) visit(rel);
      else if (entry.isFile() && entry.name.endsWith(".sql")) files.push(rel);
    }
  };
  visit("");
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Parses every revision file under `dir` (paths in errors and revisions are relative to the
 *  current directory, as the user typed them). */
export function loadRevisions(dir: string): Revision[] {
  const base = dir.split(sep).join("/").replace(/\/+$/, "");
  return listRevisionFiles(dir).map((file) => {
    const path = base === "" || base === "." ? file : `${base}/${file}`;
    return parseRevisionFile(readFileSync(path, "utf8"), path);
  });
}

/** The revision graph of `dir`: an Alembic project (alembic.ini, or env.py beside versions/,
 *  or `alembicConfig`) read statically, else native `.sql` revisions. */
export function loadGraph(dir: string, alembicConfig: string | null = null): RevisionGraph {
  const project = detectAlembicProject(dir, alembicConfig);
  return RevisionGraph.build(project ? loadAlembicRevisions(project) : loadRevisions(dir));
}

/** Every revision file of an Alembic project, in Alembic's load order, read without Python. */
export function loadAlembicRevisions(project: AlembicProject): Revision[] {
  return listAlembicScripts(project).map((file) => {
    const text = readFileSync(file, "utf8");
    const path = relative(process.cwd(), file).split(sep).join("/") || file;
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
