// Reading a migrations directory: every `*.sql` file below it, in sorted path order (the
// order plays the role of Alembic's map order). Either every file loads and the graph is valid,
// or one error says which file to fix: nothing is half-loaded.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, sep } from "node:path";
import { RetortError } from "../core/errors.js";
import { RevisionGraph } from "../core/graph.js";
import type { Revision } from "../core/revision.js";
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

export function loadGraph(dir: string, alembicConfig: string | null = null): RevisionGraph {
  void alembicConfig;
  return RevisionGraph.build(loadRevisions(dir));
}
