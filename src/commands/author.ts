// `revision` and `merge`: write a new native revision file. The new revision is checked
// against the whole graph before anything is written.

import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, isAbsolute, join, relative, resolve } from "node:path";
import { RetortError } from "../core/errors.js";
import { RevisionGraph } from "../core/graph.js";
import { invalidBranchLabel, invalidRevisionId, newRevisionId, quoted, REVISION_ID_RULE, slugify, type Revision } from "../core/revision.js";
import { MultipleHeadsError, Resolver } from "../core/target.js";
import { detectSource, type SourceOptions } from "../load/directory.js";
import { listRevisionFiles, loadRevisions } from "../load/native-files.js";
import { parseRevisionFile, renderRevisionFile } from "../load/native.js";

export interface NewRevision {
  message: string;
  /** Revisions to build on: `head` by default; `base` for a new root; several for a merge. */
  heads: readonly string[];
  branchLabels: readonly string[];
  dependsOn: readonly string[];
  revId?: string | undefined;
  /** Allow building on a revision that is not a head (a new branch). */
  splice: boolean;
  /** `merge`: the error for several heads names merge instead of --head. */
  isMerge: boolean;
  /** How the source is found (`--alembic-config`, ./alembic.ini, ALEMBIC_CONFIG, ...): an
   *  Alembic project found so refuses a native revision. Default: `dir` alone. */
  source?: SourceOptions | undefined;
}

/** `dir/name`, with `/`, when `name` is one plain file name directly inside `dir`; a usage
 *  error otherwise. The id rule and the slug (word characters only) already keep a revision's
 *  name so; this makes sure of it whatever either becomes: nothing is written outside `dir`. */
export function fileInside(dir: string, name: string): string {
  const where = relative(resolve(dir), resolve(dir, name));
  if (name === "" || basename(name) !== name || where !== name || isAbsolute(where) || name.startsWith(".") || /[/\\\0]/.test(name)) {
    throw new RetortError("usage", `The revision file name ${quoted(name)} would not be a file directly inside ${dir}; pass another --rev-id or message.`);
  }
  return join(dir, name).split("\\").join("/");
}

/** Writes the file and returns its path. */
export function writeRevision(dir: string, spec: NewRevision, now: Date = new Date()): string {
  checkSpec(spec);
  refuseAlembic(dir, spec);
  const revisions: Revision[] = existsSync(dir) ? loadRevisions(dir) : [];
  const graph = RevisionGraph.build(revisions);
  const resolver = new Resolver(graph);
  const id = spec.revId ?? newRevisionId(randomBytes(16).toString("hex"));
  const bad = invalidRevisionId(id);
  if (bad) throw new RetortError("usage", `--rev-id: ${bad}. ${REVISION_ID_RULE}.`);
  const heads = baseRevisions(graph, resolver, spec);
  const dependsOn = spec.dependsOn.map((d) => {
    const node = resolver.getRevision(d);
    if (node === null) throw new RetortError("usage", `--depends-on '${d}' names no revision.`);
    // Keep branch labels as written; resolve partial ids to full ones (like Alembic).
    return graph.labelsOf(node).has(d) ? d : graph.id(node);
  });
  const text = renderRevisionFile({
    id,
    message: spec.message,
    downRevisions: graph.ids(heads),
    createDate: createDateOf(now),
    branchLabels: spec.branchLabels,
    dependsOn,
  });
  const slug = slugify(spec.message);
  const name = slug ? `${id}_${slug}.sql` : `${id}_.sql`;
  const path = fileInside(dir, name);
  if (existsSync(dir) && listRevisionFiles(dir).includes(name)) {
    throw new RetortError("usage", `${path} already exists; pass another --rev-id.`);
  }
  // Validate the new revision against the graph before writing: nothing half-done.
  RevisionGraph.build([...revisions, parseRevisionFile(text, path)]);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, text, { flag: "wx" });
  return path;
}

/** Refuses to write a native revision into an Alembic project: the one the options find (the
 *  folder's own, `--alembic-config`, or the ./alembic.ini Alembic reads): its revisions are
 *  Alembic's to write. */
function refuseAlembic(dir: string, spec: NewRevision): void {
  const options: SourceOptions = spec.source ?? { migrations: dir };
  const config = options.alembicConfig?.trim() || null;
  const source = detectSource(options);
  if (source.kind !== "alembic") return;
  const alembic = `alembic${config ? ` -c ${config}` : ""}`;
  const command = spec.isMerge ? `${alembic} merge -m MSG ${spec.heads.join(" ")}` : `${alembic} revision -m MSG`;
  const what = config ? `--alembic-config ${config} names an Alembic project` : `${relative(process.cwd(), source.scriptLocation) || "."} is an Alembic project`;
  throw new RetortError("usage", `${what}: create its revisions with '${command}' (retort writes native .sql revisions, and none into an Alembic project).`);
}

/** Refuses a message or branch label that would not read back as written. */
function checkSpec(spec: NewRevision): void {
  if (spec.message.trim() === "") throw new RetortError("usage", "The message (-m) is empty; say what the revision does.");
  if (/^\s*migrate:/i.test(spec.message)) {
    throw new RetortError("usage", `The message ${quoted(spec.message)} would read as a section marker; do not start it with 'migrate:'.`);
  }
  // Line breaks become spaces in the file; any other control character is no text anyone means.
  if (/[\p{Cc}\p{Cf}]/u.test(spec.message.replace(/[\r\n\t]/g, ""))) {
    throw new RetortError("usage", `The message ${quoted(spec.message)} contains a control or invisible character; write plain text.`);
  }
  for (const label of spec.branchLabels) {
    const bad = invalidBranchLabel(label);
    if (bad) throw new RetortError("usage", `--branch-label: ${bad}.`);
  }
}

/** The revisions the new one revises: `spec.heads` resolved, each once, heads unless spliced. */
function baseRevisions(graph: RevisionGraph, resolver: Resolver, spec: NewRevision): number[] {
  let heads: number[];
  try {
    heads = spec.heads.flatMap((h) => resolver.getRevisions(h));
  } catch (e) {
    if (e instanceof MultipleHeadsError && !spec.isMerge) {
      throw new RetortError(
        "multiple-heads",
        `Multiple heads are present; please specify the head revision on which the new revision should be based ` +
          `(--head REV), or perform a merge ('retort merge heads -m MSG'). Heads: ${e.heads.join(", ")}`,
      );
    }
    throw e;
  }
  if (new Set(heads).size !== heads.length) throw new RetortError("usage", "Duplicate head revisions specified.");
  if (spec.splice) return heads;
  for (const h of heads) {
    if (!graph.isHead(h)) {
      throw new RetortError(
        "usage",
        spec.isMerge
          ? `Revision ${graph.id(h)} is not a head revision; merge joins heads only (see 'retort heads').`
          : `Revision ${graph.id(h)} is not a head revision; please specify --splice to create a new branch from this revision.`,
      );
    }
  }
  return heads;
}

/** Alembic's create date: local time, microseconds (retort has milliseconds). */
function createDateOf(now: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return (
    `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ` +
    `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${pad(now.getMilliseconds(), 3)}000`
  );
}
