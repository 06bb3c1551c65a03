// Text and JSON forms of revisions, as Alembic's `heads`, `history`, `branches` and `show`
// print them (Script.cmd_format and Script.log_entry).

import { resolve } from "node:path";
import type { RevisionGraph } from "../core/graph.js";

export interface FormatFlags {
  includeBranches?: boolean;
  includeDoc?: boolean;
  includeParents?: boolean;
  treeIndicators?: boolean;
}

function labels(graph: RevisionGraph, node: number): string[] {
  return [...graph.labelsOf(node)].sort();
}

function downText(graph: RevisionGraph, node: number): string {
  const down = graph.revisions[node]!.downRevisions;
  return down.length === 0 ? "<base>" : down.join(", ");
}

/** One line, Alembic's `cmd_format(verbose=False, ...)`. */
export function revisionLine(graph: RevisionGraph, node: number, flags: FormatFlags): string {
  const rev = graph.revisions[node]!;
  let text = rev.id;
  if (flags.includeParents) {
    text = rev.dependsOn.length
      ? `${downText(graph, node)} (${rev.dependsOn.join(", ")}) -> ${text}`
      : `${downText(graph, node)} -> ${text}`;
  }
  const l = labels(graph, node);
  if (flags.includeBranches && l.length > 0) text += ` (${l.join(", ")})`;
  if (graph.isRealHead(node)) text += " (head)";
  else if (graph.isHead(node)) text += " (effective head)";
  if (flags.treeIndicators ?? true) {
    if (graph.isBranchPoint(node)) text += " (branchpoint)";
    if (graph.isMergePoint(node)) text += " (mergepoint)";
  }
  if (flags.includeDoc) text += `, ${rev.message}`;
  return text;
}

/** Python's str.splitlines(): the line boundaries it knows, none kept, no empty last line. */
export function pySplitLines(text: string): string[] {
  // eslint-disable-next-line no-control-regex -- Python's boundaries include \x1c to \x1e
  const lines = text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** A block, Alembic's `Script.log_entry` (`show`, `history -v`, `heads -v`), ending in "\n"
 *  as Alembic's does: the header lines, `Path:` (absolute, as Alembic's), an empty line, then every line of the whole
 *  docstring (`longdoc`) indented four spaces (an empty docstring gives one empty line; an
 *  empty line inside it gives four spaces). Alembic prints it with one more "\n". */
export function revisionEntry(graph: RevisionGraph, node: number): string {
  const rev = graph.revisions[node]!;
  const flags = [
    graph.isHead(node) ? " (head)" : "",
    graph.isBranchPoint(node) ? " (branchpoint)" : "",
    graph.isMergePoint(node) ? " (mergepoint)" : "",
  ].join("");
  const lines = [`Rev: ${rev.id}${flags}`];
  lines.push(`${graph.isMergePoint(node) ? "Merges" : "Parent"}: ${downText(graph, node)}`);
  if (rev.dependsOn.length) lines.push(`Also depends on: ${rev.dependsOn.join(", ")}`);
  if (graph.isBranchPoint(node)) lines.push(`Branches into: ${graph.ids(graph.children[node]!).join(", ")}`);
  const l = labels(graph, node);
  if (l.length) lines.push(`Branch names: ${l.join(", ")}`);
  // Alembic prints the absolute path (os.path.abspath of the version location).
  lines.push(`Path: ${resolve(rev.path)}`);
  const doc = pySplitLines(rev.longDoc ?? rev.message).map((line) => `    ${line}`);
  return `${lines.join("\n")}\n\n${doc.join("\n")}\n`;
}

/** Entries as Alembic's commands print them, each followed by a newline of its own. */
export function revisionEntries(graph: RevisionGraph, nodes: readonly number[]): string {
  return nodes.map((n) => `${revisionEntry(graph, n)}\n`).join("");
}

/** The stable JSON shape of one revision (documented in the README). */
export function revisionJson(graph: RevisionGraph, node: number) {
  const rev = graph.revisions[node]!;
  return {
    revision: rev.id,
    down_revisions: [...rev.downRevisions],
    branch_labels: labels(graph, node),
    depends_on: [...rev.dependsOn],
    message: rev.message,
    path: rev.path,
    is_head: graph.isHead(node),
    is_branch_point: graph.isBranchPoint(node),
    is_merge_point: graph.isMergePoint(node),
  };
}
