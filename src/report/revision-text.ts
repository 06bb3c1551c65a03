// Text and JSON forms of revisions, as Alembic's `heads`, `history`, `branches` and `show`
// print them (Script.cmd_format and Script.log_entry).

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

/** A block, Alembic's `log_entry` (`show`, `history -v`). */
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
  lines.push(`Path: ${rev.path}`);
  if (rev.createDate) lines.push(`Create Date: ${rev.createDate}`);
  lines.push("", `    ${rev.message}`, "");
  return lines.join("\n");
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
