// The revision graph: Alembic's RevisionMap (alembic/script/revision.py), built from revisions
// in load order with no I/O. Nodes are kept as integer indices into `revisions` (load order =
// Alembic's map order) so that every walk is linear in the size of the graph.

import { RetortError } from "./errors.js";
import { invalidRevisionId, type Revision } from "./revision.js";

export type Edges = readonly (readonly number[])[];

export class GraphError extends RetortError {
  constructor(message: string) {
    super("graph", message);
    this.name = "GraphError";
  }
}

/** Revision id to node; every id valid and used once. */
function indexIds(revisions: readonly Revision[]): Map<string, number> {
  const byId = new Map<string, number>();
  revisions.forEach((rev, i) => {
    const bad = invalidRevisionId(rev.id);
    if (bad) throw new GraphError(`${rev.path}: ${bad}. Choose another Revision ID.`);
    const other = byId.get(rev.id);
    if (other !== undefined) {
      throw new GraphError(
        `Revision ${rev.id} is present more than once: in ${revisions[other]!.path} and in ${rev.path}. ` +
          `Give one of them a new Revision ID (and update whatever revises it).`,
      );
    }
    byId.set(rev.id, i);
  });
  return byId;
}

/** Declared branch label to node: labels share one namespace with ids. */
function indexLabels(revisions: readonly Revision[], byId: ReadonlyMap<string, number>): Map<string, number> {
  const byLabel = new Map<string, number>();
  revisions.forEach((rev, i) => {
    for (const label of rev.branchLabels) {
      const owner = byLabel.get(label) ?? byId.get(label);
      if (owner !== undefined) {
        throw new GraphError(
          `Branch name '${label}' in revision ${rev.id} (${rev.path}) already used by revision ` +
            `${revisions[owner]!.id} (${revisions[owner]!.path}). Choose another branch label.`,
        );
      }
      byLabel.set(label, i);
    }
  });
  return byLabel;
}

/** Versioned children (`nextrev`) and children through either edge (`_all_nextrev`). */
function childrenOf(down: Edges, deps: Edges): { children: number[][]; allChildren: number[][] } {
  const n = down.length;
  const children: number[][] = Array.from({ length: n }, () => []);
  const allChildren: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (const d of down[i]!) children[d]!.push(i);
    for (const d of down[i]!) allChildren[d]!.push(i);
    for (const d of deps[i]!) if (!down[i]!.includes(d)) allChildren[d]!.push(i);
  }
  return { children, allChildren };
}

export class RevisionGraph {
  /** Revisions in load order; a node is an index into this array. */
  readonly revisions: readonly Revision[];
  /** Versioned down revisions (`down_revision`). */
  readonly down: Edges;
  /** `depends_on`, resolved to revisions. */
  readonly deps: Edges;
  /** Down revisions plus the dependencies not already declared by a versioned ancestor:
   *  Alembic's `_normalized_down_revisions`, the "from" set of a step. */
  readonly normDown: Edges;
  /** Versioned children (`nextrev`). */
  readonly children: Edges;
  /** Children through down revisions or dependencies (`_all_nextrev`). */
  readonly allChildren: Edges;
  /** Revisions no revision revises: `head`. In load order. */
  readonly heads: readonly number[];
  /** Revisions nothing revises or depends on: `heads`. In load order. */
  readonly realHeads: readonly number[];
  /** Revisions with no down revision. In load order. */
  readonly bases: readonly number[];

  private readonly byId: Map<string, number>;
  private readonly byLabel: Map<string, number>;
  private readonly labels: Set<string>[];

  private constructor(revisions: readonly Revision[]) {
    this.revisions = revisions;
    const n = revisions.length;
    this.byId = indexIds(revisions);
    this.byLabel = indexLabels(revisions, this.byId);

    const down: number[][] = [];
    const deps: number[][] = [];
    for (let i = 0; i < n; i++) {
      const rev = revisions[i]!;
      down.push(unique(rev.downRevisions).map((d) => this.edgeTarget(rev, d, "revises")));
      deps.push(unique(rev.dependsOn).map((d) => this.edgeTarget(rev, d, "depends on")));
    }
    this.down = down;
    this.deps = deps;
    const { children, allChildren } = childrenOf(down, deps);
    this.children = children;
    this.allChildren = allChildren;

    const idx = [...Array(n).keys()];
    this.heads = idx.filter((i) => children[i]!.length === 0);
    this.realHeads = idx.filter((i) => allChildren[i]!.length === 0);
    this.bases = idx.filter((i) => down[i]!.length === 0);
    const realBases = idx.filter((i) => down[i]!.length === 0 && deps[i]!.length === 0);

    this.detectCycles(this.heads, this.bases, down, children, "Cycle");
    const allDown = idx.map((i) => (deps[i]!.length === 0 ? down[i]! : [...new Set([...down[i]!, ...deps[i]!])]));
    this.detectCycles(this.realHeads, realBases, allDown, allChildren, "Dependency cycle");

    this.normDown = idx.map((i) => this.normalizedDown(i));
    this.labels = revisions.map((r) => new Set(r.branchLabels));
    this.spreadLabels();
  }

  /** Alembic's `_normalized_down_revisions` of node `i` (once `down` and `deps` are set). */
  private normalizedDown(i: number): readonly number[] {
    const { down, deps } = this;
    if (deps[i]!.length === 0) return down[i]!;
    const redundant = new Set<number>();
    for (const a of this.walk([i], down)) {
      if (a !== i) for (const d of deps[a]!) redundant.add(d);
    }
    return [...new Set([...down[i]!, ...deps[i]!.filter((d) => !redundant.has(d))])];
  }

  /** Builds and validates the graph; throws a GraphError naming the files involved. */
  static build(revisions: readonly Revision[]): RevisionGraph {
    return new RevisionGraph(revisions);
  }

  get size(): number {
    return this.revisions.length;
  }

  /** The node of an exact revision id, or undefined. */
  nodeOf(id: string): number | undefined {
    return this.byId.get(id);
  }

  /** The node declaring an exact branch label, or undefined. */
  labelNode(label: string): number | undefined {
    return this.byLabel.get(label);
  }

  /** Every revision id and branch label, in map order (Alembic's `_revision_map` keys). */
  *keys(): Iterable<[string, number]> {
    yield* this.byId;
    yield* this.byLabel;
  }

  id(node: number): string {
    return this.revisions[node]!.id;
  }

  ids(nodes: Iterable<number>): string[] {
    return Array.from(nodes, (n) => this.revisions[n]!.id);
  }

  /** Branch labels of a revision after Alembic's spreading (declared ones included). */
  labelsOf(node: number): ReadonlySet<string> {
    return this.labels[node]!;
  }

  isHead(node: number): boolean {
    return this.children[node]!.length === 0;
  }
  isRealHead(node: number): boolean {
    return this.allChildren[node]!.length === 0;
  }
  isBranchPoint(node: number): boolean {
    return this.children[node]!.length > 1;
  }
  isMergePoint(node: number): boolean {
    return this.down[node]!.length > 1;
  }

  /** Nodes reachable from `starts` along `edges`, starts included, each once. Depth first,
   *  last pushed first, like Alembic's `_iterate_related_revisions`. */
  walk(starts: Iterable<number>, edges: Edges): number[] {
    const seen = new Uint8Array(this.size);
    const out: number[] = [];
    const stack: number[] = [];
    for (const s of starts) {
      stack.push(s);
      while (stack.length > 0) {
        const node = stack.pop()!;
        if (seen[node]) continue;
        seen[node] = 1;
        out.push(node);
        for (const next of edges[node]!) if (!seen[next]) stack.push(next);
      }
    }
    return out;
  }

  /** Ancestors including the starts, through down revisions and dependencies. */
  ancestors(starts: Iterable<number>, includeDependencies = true): Set<number> {
    return new Set(this.walk(starts, includeDependencies ? this.normDown : this.down));
  }

  /** Descendants including the starts. */
  descendants(starts: Iterable<number>, includeDependencies = true): Set<number> {
    return new Set(this.walk(starts, includeDependencies ? this.allChildren : this.children));
  }

  /** Whether `a` and any of `others` lie on one line: one is an ancestor or descendant of the
   *  other (Alembic's `_shares_lineage`). */
  sharesLineage(a: number, others: readonly number[], includeDependencies = false): boolean {
    if (others.length === 0) return true;
    const wanted = new Set(others);
    for (const n of this.walk([a], includeDependencies ? this.normDown : this.down)) if (wanted.has(n)) return true;
    for (const n of this.walk([a], includeDependencies ? this.allChildren : this.children)) if (wanted.has(n)) return true;
    return false;
  }

  /** The members of `targets` that are ancestors of (or equal to) some node of `from`, through
   *  normalized down revisions. The search never goes below the lowest-ranked target, so it
   *  only visits the part of the graph between the two sets. */
  ancestorsAmong(from: Iterable<number>, targets: readonly number[]): Set<number> {
    const found = new Set<number>();
    if (targets.length === 0) return found;
    const { rank } = this.sortIndex();
    const wanted = new Set(targets);
    let floor = Infinity;
    for (const t of targets) floor = Math.min(floor, rank[t]!);
    const seen = new Set<number>();
    const stack = [...from];
    while (stack.length > 0 && found.size < wanted.size) {
      const x = stack.pop()!;
      if (seen.has(x)) continue;
      seen.add(x);
      if (wanted.has(x)) found.add(x);
      for (const d of this.normDown[x]!) if (!seen.has(d) && rank[d]! >= floor) stack.push(d);
    }
    return found;
  }

  private sortCache: { normChildren: number[][]; rank: Int32Array } | undefined;

  /** Reverse of `normDown`, and a topological rank (every ancestor ranks lower than its
   *  descendants) for pruning searches. Computed once, on first use. */
  sortIndex(): { normChildren: Edges; rank: Int32Array } {
    if (this.sortCache) return this.sortCache;
    const n = this.size;
    const normChildren: number[][] = Array.from({ length: n }, () => []);
    const pending = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      pending[i] = this.normDown[i]!.length;
      for (const d of this.normDown[i]!) normChildren[d]!.push(i);
    }
    const rank = new Int32Array(n);
    const queue: number[] = [];
    for (let i = 0; i < n; i++) if (pending[i] === 0) queue.push(i);
    for (let head = 0; head < queue.length; head++) {
      const x = queue[head]!;
      rank[x] = head;
      for (const c of normChildren[x]!) if (--pending[c]! === 0) queue.push(c);
    }
    this.sortCache = { normChildren, rank };
    return this.sortCache;
  }

  private edgeTarget(rev: Revision, target: string, verb: "revises" | "depends on"): number {
    if (target === rev.id) {
      const kind = verb === "revises" ? "Self-loop" : "Dependency self-loop";
      throw new GraphError(`${kind} is detected in revisions (${rev.id}): ${rev.path} ${verb} itself.`);
    }
    const node = this.byId.get(target) ?? (verb === "depends on" ? this.byLabel.get(target) : undefined);
    if (node !== undefined) return node;
    const label = this.byLabel.get(target);
    const hint =
      label !== undefined
        ? ` '${target}' is a branch label of ${this.revisions[label]!.id}; Revises takes revision ids: write ${this.revisions[label]!.id}.`
        : ` Add the missing revision, or correct the id in ${rev.path}.`;
    throw new GraphError(`Revision ${target} referenced from ${rev.id} (${rev.path}, ${verb}) is not present.${hint}`);
  }

  /** Alembic's `_detect_cycles`: every node must be reachable down from a head and up from a
   *  base; what is not lies on or behind a cycle. */
  private detectCycles(heads: readonly number[], bases: readonly number[], downEdges: Edges, upEdges: Edges, kind: string): void {
    const n = this.size;
    if (n === 0) return;
    let stuck: number[];
    if (heads.length === 0 || bases.length === 0) {
      stuck = [...Array(n).keys()];
    } else {
      const fromHeads = new Uint8Array(n);
      for (const x of this.walk(heads, downEdges)) fromHeads[x] = 1;
      const fromBases = new Uint8Array(n);
      for (const x of this.walk(bases, upEdges)) fromBases[x] = 1;
      stuck = [...Array(n).keys()].filter((i) => !(fromHeads[i] && fromBases[i]));
    }
    if (stuck.length === 0) return;
    const ids = this.ids(stuck).sort();
    const files = stuck.map((i) => this.revisions[i]!.path).sort();
    throw new GraphError(
      `${kind} is detected in revisions (${ids.join(", ")}). Files: ${files.join(", ")}. ` +
        `Break the cycle by correcting a Revises${kind === "Cycle" ? "" : " or Depends On"} line.`,
    );
  }

  /** Alembic's `_add_branches`: a label spreads to every versioned descendant of the revision
   *  declaring it; then, starting from the last descendant visited, down through single-parent
   *  revisions until a branch point or merge point. Alembic walks descendants in hash order;
   *  retort walks them in load order, so the result is the same on every run. */
  private spreadLabels(): void {
    for (let i = 0; i < this.size; i++) {
      if (this.revisions[i]!.branchLabels.length === 0) continue;
      const spread = [...this.labels[i]!];
      const visited = this.walk([i], this.children);
      for (const node of visited) for (const l of spread) this.labels[node]!.add(l);
      let parent: number | undefined = visited[visited.length - 1];
      while (parent !== undefined && this.allChildren[parent]!.length <= 1 && this.down[parent]!.length <= 1) {
        for (const l of spread) this.labels[parent]!.add(l);
        parent = this.down[parent]![0];
      }
    }
  }
}

function unique(values: readonly string[]): readonly string[] {
  return values.length < 2 ? values : [...new Set(values)];
}
