// Commands that read the revision graph and print it: heads, branches, history, show.

import { RetortError } from "../core/errors.js";
import type { RevisionGraph } from "../core/graph.js";
import { historyOrder } from "../core/plan.js";
import { Resolver } from "../core/target.js";
import { revisionEntries, revisionEntry, revisionJson, revisionLine } from "../report/revision-text.js";

/** `heads`: Alembic's heads (no revision revises them); with `resolveDependencies`, only those
 *  nothing depends on either. */
export function headsNodes(graph: RevisionGraph, resolveDependencies: boolean): readonly number[] {
  return resolveDependencies ? graph.realHeads : graph.heads;
}

export function headsText(graph: RevisionGraph, how: { readonly resolveDependencies: boolean; readonly verbose: boolean }): string {
  const { verbose } = how;
  const nodes = headsNodes(graph, how.resolveDependencies);
  if (verbose) return revisionEntries(graph, nodes);
  return nodes.map((n) => revisionLine(graph, n, { includeBranches: true, treeIndicators: false })).join("\n");
}

export function headsJson(graph: RevisionGraph, resolveDependencies: boolean) {
  return { heads: graph.ids(headsNodes(graph, resolveDependencies)) };
}

/** `history -r START:END`: newest first, in Alembic's order. */
export function parseRange(range: string | undefined): { start: string | null; end: string | null } {
  if (range === undefined) return { start: null, end: null };
  const parts = range.trim().split(":");
  if (parts.length !== 2) {
    throw new RetortError("usage", `History range '${range}' is invalid: history range requires [start]:[end], [start]:, or :[end].`);
  }
  return { start: parts[0] || null, end: parts[1] || null };
}

export function historyText(graph: RevisionGraph, range: string | undefined, verbose: boolean): string {
  const { start, end } = parseRange(range);
  const nodes = historyOrder(graph, start, end);
  if (verbose) return revisionEntries(graph, nodes);
  return nodes.map((n) => revisionLine(graph, n, { includeBranches: true, includeDoc: true, includeParents: true })).join("\n");
}

export function historyJson(graph: RevisionGraph, range: string | undefined) {
  const { start, end } = parseRange(range);
  return { revisions: historyOrder(graph, start, end).map((n) => revisionJson(graph, n)) };
}

/** `branches`: each branch point and the revisions it branches into. */
export function branchesText(graph: RevisionGraph, verbose: boolean): string {
  const blocks: string[] = [];
  for (const n of historyOrder(graph, null, null)) {
    if (!graph.isBranchPoint(n)) continue;
    const pad = " ".repeat(graph.id(n).length);
    const lines = graph.children[n]!.map(
      (c) => `${pad} -> ${revisionLine(graph, c, { includeBranches: true, includeDoc: verbose })}`,
    );
    blocks.push(`${verbose ? revisionEntry(graph, n) : revisionLine(graph, n, { includeBranches: true })}\n${lines.join("\n")}\n`);
  }
  return blocks.map((b) => `${b}\n`).join("");
}

/** `show REV`: the full entry of each revision REV names. */
export function showText(graph: RevisionGraph, rev: string): string {
  const nodes = new Resolver(graph).getRevisions(rev);
  // Alembic prints nothing for `show base` (and exits 0): the caller says why on stderr.
  return nodes.length === 0 ? "" : revisionEntries(graph, nodes);
}
