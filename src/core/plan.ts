// Plans: which revisions an upgrade or downgrade runs, in which order, and how each step
// changes the version table. Mirrors Alembic's `_collect_upgrade_revisions`,
// `_collect_downgrade_revisions`, `_topological_sort` and `HeadMaintainer.update_to_step`.

import { RetortError } from "./errors.js";
import type { RevisionGraph } from "./graph.js";
import type { Revision, Section } from "./revision.js";
import { TargetRangeError, Resolver } from "./target.js";

export type Direction = "upgrade" | "downgrade";

export type VersionChange =
  | { readonly op: "insert"; readonly revision: string }
  | { readonly op: "delete"; readonly revision: string }
  | { readonly op: "update"; readonly from: string; readonly to: string };

export interface PlanStep {
  readonly revision: Revision;
  readonly direction: Direction;
  /** The SQL section this step runs. */
  readonly section: Section;
  /** Sides of Alembic's `-- Running upgrade A -> B` line (down revisions, no dependencies). */
  readonly from: readonly string[];
  readonly to: readonly string[];
  /** Version-table rows this step inserts, updates and deletes, in order. */
  readonly versionChanges: readonly VersionChange[];
  /** The version table's rows after this step. */
  readonly headsAfter: readonly string[];
}

export interface Plan {
  readonly direction: Direction;
  /** The target as given. */
  readonly target: string;
  /** The version table's rows before the plan. */
  readonly headsBefore: readonly string[];
  readonly steps: readonly PlanStep[];
  /** The version table's rows after the plan. */
  readonly headsAfter: readonly string[];
}

/** Revisions an `upgrade target` runs from `current` (the version table's rows). */
export function planUpgrade(graph: RevisionGraph, current: readonly string[], target: string): Plan {
  const resolver = new Resolver(graph);
  const currentNodes = resolveCurrent(resolver, current);
  const targets = resolver.upgradeTargets(graph.ids(currentNodes), target);
  checkOverlap(graph, targets);
  checkOverlap(graph, currentNodes);
  const applied = graph.ancestors(currentNodes);
  const needs = new Set([...graph.ancestors(targets)].filter((n) => !applied.has(n)));
  const order = topologicalSort(graph, needs, targets).reverse();
  return buildPlan(graph, "upgrade", target, currentNodes, order);
}

/** The downgrade that undoes `plan` (from where it ends back to where it starts), or null when
 *  there is none to show: nothing pending, a start of several heads, or no such downgrade. */
export function undoPlan(graph: RevisionGraph, plan: Plan): Plan | null {
  if (plan.steps.length === 0 || plan.headsBefore.length > 1) return null;
  try {
    return planDowngrade(graph, plan.headsAfter, plan.headsBefore[0] ?? "base");
  } catch {
    return null;
  }
}

/** Revisions a `downgrade target` runs from `current`. */
export function planDowngrade(graph: RevisionGraph, current: readonly string[], target: string): Plan {
  const resolver = new Resolver(graph);
  const currentNodes = resolveCurrent(resolver, current);
  const { branch, node } = resolver.downgradeTarget(graph.ids(currentNodes), target);
  let roots = node === null ? [...graph.bases] : [...graph.children[node]!];
  if (branch && roots.length > 1) {
    const onBranch = graph.ancestors([resolver.resolveBranch(branch)], false);
    roots = roots.filter((r) => onBranch.has(r));
    if (roots.length === 0) throw new TargetRangeError(`Not a valid downgrade target from current heads: ${target}`);
  }
  // No overlap check here: Alembic itself leaves a dependency's row beside the revision that
  // depends on it (downgrading past a depends_on), and goes on downgrading from such rows.
  const active = graph.ancestors(currentNodes);
  const drop = new Set([...graph.descendants(roots)].filter((n) => active.has(n)));
  if (node !== null && drop.size === 0 && !currentNodes.includes(node)) {
    throw new TargetRangeError(
      `Destination ${target} is not a valid downgrade target from current head(s) ` +
        `(${graph.ids(currentNodes).join(", ") || "base"}): it is not below them.`,
    );
  }
  const order = topologicalSort(graph, drop, currentNodes);
  const irreversible = order.find((n) => graph.revisions[n]!.downgrade === null);
  if (irreversible !== undefined) {
    const rev = graph.revisions[irreversible]!;
    throw new RetortError(
      "irreversible",
      rev.alembic
        ? `Revision ${rev.id} (${rev.path}) is irreversible: it defines no downgrade(), so downgrade ${target} cannot pass it ` +
            `(Alembic would fail on it). Pick a target above ${rev.id}, or add a downgrade() (one that does nothing: 'pass').`
        : `Revision ${rev.id} (${rev.path}) is irreversible: it has no "-- migrate:downgrade" section, so ` +
          `downgrade ${target} cannot pass it. Pick a target above ${rev.id}, or add a downgrade section ` +
          `(an empty one is a no-op).`,
    );
  }
  return buildPlan(graph, "downgrade", target, currentNodes, order);
}

/** Revisions in Alembic's `history` order (newest first) for `-r start:end`; both optional. */
export function historyOrder(graph: RevisionGraph, start: string | null, end: string | null): number[] {
  const resolver = new Resolver(graph);
  const lower = start || "base";
  const upper = end || "heads";
  let targets = resolver.upgradeTargets(lower === "base" ? [] : [lower], upper);
  if (lower.includes("@")) {
    // `branch@...:` limits the range to revisions carrying that branch's label.
    let branch = lower.slice(0, lower.indexOf("@"));
    const branchNode = resolver.getRevision(branch);
    if (branchNode !== null && graph.id(branchNode) === branch) {
      const labels = [...graph.labelsOf(branchNode)];
      if (labels.length !== 1) {
        throw new RetortError("usage", `Revision ${branch} has ${labels.length} branch labels; name one of them instead of '${branch}@'.`);
      }
      branch = labels[0]!;
    }
    targets = targets.filter((t) => graph.labelsOf(t).has(branch));
  }
  checkOverlap(graph, targets);
  const required = graph.ancestors(targets);
  const lowerNodes = resolver.getRevisions(lower);
  if (lowerNodes.some((n) => !required.has(n))) {
    throw new TargetRangeError(
      `Requested range ${lower}:${upper} does not refer to ancestor/descendant revisions along the same branch`,
    );
  }
  const below = graph.ancestors(lowerNodes);
  const needs = new Set([...required].filter((n) => !below.has(n)));
  for (const n of lowerNodes) needs.add(n);
  if (lowerNodes.length > 0) {
    const above = graph.descendants(lowerNodes, false);
    for (const n of needs) if (!above.has(n)) needs.delete(n);
  }
  return topologicalSort(graph, needs, targets);
}

function resolveCurrent(resolver: Resolver, current: readonly string[]): number[] {
  const nodes = new Set<number>();
  for (const c of current) for (const n of resolver.getRevisions(c)) nodes.add(n);
  return [...nodes];
}

/** Alembic's `check=True`: no requested revision may be an ancestor of another. */
function checkOverlap(graph: RevisionGraph, nodes: readonly number[]): void {
  if (nodes.length < 2) return;
  for (const n of nodes) {
    const others = nodes.filter((o) => o !== n);
    const overlaps = [...graph.ancestorsAmong([n], others)];
    if (overlaps.length > 0) {
      throw new TargetRangeError(
        `Requested revision ${graph.id(n)} overlaps with other requested revision ${graph.ids(overlaps).join(", ")}`,
      );
    }
  }
}

/**
 * Alembic's `_topological_sort`: revisions of `todo` from the top down, descendants before
 * ancestors. It keeps a front of branch tips, starting at `startHeads` (in map order), and walks
 * down the current tip unless it is an ancestor of another tip, in which case it switches to the
 * first such tip. Alembic tests "is an ancestor of tip k" against full ancestor sets; here a
 * revision whose every child is already emitted cannot be one (every pending revision lies
 * below some tip), and otherwise a search from each tip, pruned by topological rank, answers
 * the same question. The order is Alembic's; the cost stays near linear.
 */
export function topologicalSort(graph: RevisionGraph, todoSet: ReadonlySet<number>, startHeads: readonly number[]): number[] {
  const n = graph.size;
  const todo = new Uint8Array(n);
  for (const t of todoSet) todo[t] = 1;
  const emitted = new Uint8Array(n);
  const inFront = new Uint8Array(n);
  const fronts = [...new Set(startHeads)].filter((h) => todo[h]).sort((a, b) => a - b);
  for (const f of fronts) inFront[f] = 1;
  const { normChildren, rank } = graph.sortIndex();
  const reaches = descendantTest(graph, rank);
  const mayBeBelowAnotherTip = (c: number): boolean => normChildren[c]!.some((x) => !emitted[x]);
  /** The first other tip that `fronts[i]` lies below, or -1. */
  const tipAbove = (i: number): number => {
    const c = fronts[i]!;
    if (fronts.length < 2 || !mayBeBelowAnotherTip(c)) return -1;
    return fronts.findIndex((f, k) => k !== i && reaches(f, c));
  };

  const out: number[] = [];
  let i = 0;
  while (fronts.length > 0) {
    const redirect = tipAbove(i);
    if (redirect >= 0) {
      i = redirect;
      continue;
    }
    const c = fronts[i]!;
    if (todo[c]) {
      out.push(c);
      todo[c] = 0;
      emitted[c] = 1;
    }
    const downs = graph.normDown[c]!.filter((d) => todo[d] && !inFront[d]);
    inFront[c] = 0;
    if (downs.length === 0) {
      fronts.splice(i, 1);
      i = Math.max(i - 1, 0);
    } else {
      fronts[i] = downs[0]!;
      for (const d of downs.slice(1)) fronts.push(d);
      for (const d of downs) inFront[d] = 1;
    }
  }
  return out;
}

/** `reaches(from, target)`: whether `target` is `from` or lies below it (via normalized down
 *  revisions), by a search that never goes below `target`'s topological rank. */
function descendantTest(graph: RevisionGraph, rank: ArrayLike<number>): (from: number, target: number) => boolean {
  const seenAt = new Int32Array(graph.size);
  let epoch = 0;
  return (from, target) => {
    if (from === target) return true;
    epoch++;
    const floor = rank[target]!;
    const stack = [from];
    while (stack.length > 0) {
      const x = stack.pop()!;
      for (const d of graph.normDown[x]!) {
        if (d === target) return true;
        if (seenAt[d] === epoch || rank[d]! < floor) continue;
        seenAt[d] = epoch;
        stack.push(d);
      }
    }
    return false;
  };
}

function buildPlan(graph: RevisionGraph, direction: Direction, target: string, current: number[], order: number[]): Plan {
  const heads = new Set(graph.ids(current));
  const headsBefore = sortByLoad(graph, heads);
  const steps: PlanStep[] = [];
  for (const node of order) {
    const revision = graph.revisions[node]!;
    const versionChanges = versionChangesFor(graph, node, direction, heads);
    const versioned = graph.ids(graph.down[node]!);
    steps.push({
      revision,
      direction,
      section: direction === "upgrade" ? revision.upgrade : revision.downgrade!,
      from: direction === "upgrade" ? versioned : [revision.id],
      to: direction === "upgrade" ? [revision.id] : versioned,
      versionChanges,
      headsAfter: sortByLoad(graph, heads),
    });
  }
  return { direction, target, headsBefore, steps, headsAfter: sortByLoad(graph, heads) };
}

function sortByLoad(graph: RevisionGraph, ids: Iterable<string>): string[] {
  return [...ids].sort((a, b) => (graph.nodeOf(a) ?? 0) - (graph.nodeOf(b) ?? 0));
}

/**
 * The version-table change of one step (Alembic's HeadMaintainer.update_to_step), applied to
 * `heads` in place: the first rule whose predicate holds. Where Alembic picks the row to keep
 * from a Python set (an order that changes from run to run), retort keeps the last down
 * revision (not a dependency): the same rows result, in a stable order.
 */
function versionChangesFor(graph: RevisionGraph, node: number, direction: Direction, heads: Set<string>): VersionChange[] {
  const step = new VersionStep(graph, node, direction, heads);
  if (step.shouldDeleteBranch()) step.remove(step.id);
  else if (step.shouldCreateBranch()) step.insert(step.id);
  else if (step.shouldMergeBranches()) step.mergeBranches();
  else if (step.shouldUnmergeBranches()) step.unmergeBranches();
  else step.updateVersion();
  return step.changes;
}

/** One step against the version table's rows (`heads`, changed in place): the predicates and
 *  the row changes of Alembic's MigrationStep and HeadMaintainer. */
class VersionStep {
  readonly id: string;
  readonly changes: VersionChange[] = [];
  /** Normalized down revisions: down_revision plus dependencies not already ancestors. */
  private readonly downs: string[];
  /** down_revision alone (the rows a merge or unmerge prefers to keep). */
  private readonly versioned: Set<string>;
  private unmergeTargets: string[] | undefined;
  private readonly graph: RevisionGraph;
  private readonly node: number;
  private readonly direction: Direction;
  private readonly heads: Set<string>;

  constructor(graph: RevisionGraph, node: number, direction: Direction, heads: Set<string>) {
    this.graph = graph;
    this.node = node;
    this.direction = direction;
    this.heads = heads;
    this.id = graph.id(node);
    this.downs = graph.ids(graph.normDown[node]!);
    this.versioned = new Set(graph.ids(graph.down[node]!));
  }

  /** Downgrading a head whose down revisions are all below other heads (or none): its row goes. */
  shouldDeleteBranch(): boolean {
    return this.direction === "downgrade" && this.heads.has(this.id) && this.unmergeTo().length === 0;
  }

  /** Upgrading from nothing present: a base, or a new branch beside the other heads. */
  shouldCreateBranch(): boolean {
    return this.direction === "upgrade" && (this.downs.length === 0 || this.present().length === 0);
  }

  /** Upgrading a merge point while more than one of its down revisions is a row. */
  shouldMergeBranches(): boolean {
    return this.direction === "upgrade" && this.downs.length > 1 && this.present().length > 1;
  }

  /** Downgrading a head that is a merge point (what to unmerge to is not empty: see above). */
  shouldUnmergeBranches(): boolean {
    return this.direction === "downgrade" && this.heads.has(this.id) && this.downs.length > 1;
  }

  mergeBranches(): void {
    // Only rows that exist are merged away (Alembic also tries to delete a dependency that is
    // an ancestor of another down revision, and fails with a KeyError).
    const [deletes, kept] = this.pickKept(this.notBelowOtherHeads(this.present(), new Set(this.downs)));
    for (const r of deletes) this.remove(r);
    this.update(kept, this.id);
  }

  unmergeBranches(): void {
    const [inserts, kept] = this.pickKept(this.unmergeTo());
    for (const r of inserts) this.insert(r);
    this.update(this.id, kept);
  }

  updateVersion(): void {
    const { graph, node, downs, heads, direction, id } = this;
    if (direction === "upgrade") {
      this.update(scalarDown(graph, node, downs, heads, direction), id);
      return;
    }
    if (!heads.has(id)) {
      throw new TargetRangeError(`Can't downgrade ${id}: the version table (${[...heads].join(", ") || "empty"}) does not hold it`);
    }
    this.update(id, scalarDown(graph, node, downs, heads, direction));
  }

  insert(r: string): void {
    if (this.heads.has(r)) this.broken(`insert ${r} again`);
    this.heads.add(r);
    this.changes.push({ op: "insert", revision: r });
  }

  remove(r: string): void {
    if (!this.heads.delete(r)) this.broken(`delete ${r}`);
    this.changes.push({ op: "delete", revision: r });
  }

  private update(from: string, to: string): void {
    if (!this.heads.delete(from)) this.broken(`update ${from} to ${to}`);
    if (this.heads.has(to)) this.broken(`update ${from} to ${to}, which is already there`);
    this.heads.add(to);
    this.changes.push({ op: "update", from, to });
  }

  private broken(what: string): never {
    throw new TargetRangeError(
      `Can't ${this.direction} ${this.id}: it would ${what}, but the version table holds ${[...this.heads].join(", ") || "no rows"}. ` +
        `Check the version table against 'retort heads'.`,
    );
  }

  /** The down revisions that are rows now. */
  private present(): string[] {
    return this.downs.filter((d) => this.heads.has(d));
  }

  /** A downgrade's rows to come back: the down revisions not below another head (computed
   *  before any row changes, once). */
  private unmergeTo(): string[] {
    this.unmergeTargets ??= this.downs.length === 0 ? [] : this.notBelowOtherHeads(this.downs, new Set([this.id]));
    return this.unmergeTargets;
  }

  /** `candidates` minus the ancestors of the heads not in `exclude`. */
  private notBelowOtherHeads(candidates: string[], exclude: Set<string>): string[] {
    const { graph } = this;
    const others = [...this.heads].filter((h) => !exclude.has(h));
    if (others.length === 0) return candidates;
    const below = graph.ancestorsAmong(
      others.map((h) => graph.nodeOf(h)!),
      candidates.map((c) => graph.nodeOf(c)!),
    );
    return candidates.filter((c) => !below.has(graph.nodeOf(c)!));
  }

  /** Split into rows to touch and the one row to update: the last versioned one if any. */
  private pickKept(revs: string[]): [string[], string] {
    let kept = revs[revs.length - 1]!;
    for (const r of revs) if (this.versioned.has(r)) kept = r;
    return [revs.filter((r) => r !== kept), kept];
  }
}

function scalarDown(graph: RevisionGraph, node: number, downs: string[], heads: Set<string>, direction: Direction): string {
  if (downs.length === 1) return downs[0]!;
  const present = downs.filter((d) => heads.has(d));
  if (present.length !== 1) {
    throw new TargetRangeError(
      `Can't ${direction} ${graph.id(node)}: the version table (${[...heads].join(", ") || "empty"}) does not ` +
        `hold exactly one of its down revisions (${downs.join(", ")})`,
    );
  }
  return present[0]!;
}

/** Refuses to run or render `plan` itself when its revisions are Alembic (Python) revisions,
 *  whose SQL only Alembic can produce. */
export function requireNativeSql(plan: Plan, purpose: "render" | "run" = "render"): void {
  const python = plan.steps.filter((s) => s.revision.alembic && (purpose === "run" || !s.revision.alembic.rendered));
  if (python.length > 0) {
    throw new RetortError(
      "usage",
      `${python.length} revision(s) of this plan are Alembic (Python) revisions (${python[0]!.revision.path}${python.length > 1 ? ", ..." : ""}): ` +
        (purpose === "run"
          ? `retort reads their graph and renders their SQL through Alembic, but applying them through Alembic is not available in this version. `
          : `their SQL must first be rendered through Alembic. `) +
        `Run alembic for that step; heads, history, branches, show, current, plan and check work.`,
    );
  }
}
