// Target syntax: turning `head`, `heads`, `base`, ids and prefixes, branch labels, `X@head`,
// `X@rev`, `+N`, `-N`, `sym±N` and `branch@±N` into revisions, as Alembic's RevisionMap does
// (get_revisions, _revision_for_ident, _walk, _parse_upgrade_target, _parse_downgrade_target).

import { RetortError } from "./errors.js";
import type { RevisionGraph } from "./graph.js";

/** A resolved revision, or null for "base" (no revision). */
export type Node = number | null;

export class ResolutionError extends RetortError {
  /** The text that could not be resolved. */
  readonly argument: string;
  constructor(message: string, argument: string) {
    super("resolution", message);
    this.name = "ResolutionError";
    this.argument = argument;
  }
}

export class MultipleHeadsError extends RetortError {
  readonly heads: readonly string[];
  readonly argument: string;
  constructor(heads: readonly string[], argument: string) {
    super(
      "multiple-heads",
      `Multiple head revisions are present for given argument '${argument}'; please specify a specific ` +
        `target revision, '<branchname>@${argument}' to narrow to a specific head, or 'heads' for all heads ` +
        `(heads: ${heads.join(", ")})`,
    );
    this.name = "MultipleHeadsError";
    this.heads = heads;
    this.argument = argument;
  }
}

/** A target that cannot be reached from where the database is (Alembic's RevisionError). */
export class TargetRangeError extends RetortError {
  constructor(message: string) {
    super("range", message);
    this.name = "TargetRangeError";
  }
}

/** Alembic's `_relative_destination`, anchored at the start only (Python's re.match). */
const RELATIVE = /^(?:(.+?)@)?([\p{L}\p{N}_]+)?([+-]\d+)/u;

export interface RelativeTarget {
  branch: string | null;
  symbol: string | null;
  relative: string;
  steps: number;
}

export function parseRelative(target: string): RelativeTarget | null {
  const m = RELATIVE.exec(target);
  if (!m) return null;
  return { branch: m[1] ?? null, symbol: m[2] ?? null, relative: m[3]!, steps: Number.parseInt(m[3]!, 10) };
}

/** An empty revision text (`downgrade ""`, `stamp "$REV"` with REV unset, `shop@`) is a mistake,
 *  never base: taken as base it silently downgraded everything or emptied the version table.
 *  Alembic refuses it too (an assertion in _revision_for_ident). */
function emptyRevision(text: string): ResolutionError {
  return new ResolutionError(
    `${text === "" ? "An empty revision" : `'${text}' has an empty revision after '@' and`} names nothing: give head, heads, base ` +
      "(never assumed: name it to go all the way down), a revision id or a prefix of 4+ characters, a branch label, X@head or ±N.",
    text,
  );
}

/** Resolution of target text against one graph. */
export class Resolver {
  readonly graph: RevisionGraph;
  constructor(graph: RevisionGraph) {
    this.graph = graph;
  }

  /** Alembic's `_resolve_revision_number`: split `branch@id` and expand the symbols. */
  resolveNumber(text: string): { ids: string[]; branch: string | null } {
    let branch: string | null = null;
    let id = text;
    const at = text.indexOf("@");
    if (at >= 0) {
      branch = text.slice(0, at);
      id = text.slice(at + 1);
    }
    if (id === "") throw emptyRevision(text);
    const g = this.graph;
    if (id === "heads") {
      return { ids: branch ? g.ids(this.filterForLineage(g.heads, branch)) : g.ids(g.realHeads), branch };
    }
    if (id === "head") {
      const head = this.currentHead(branch);
      return { ids: head === null ? [] : [g.id(head)], branch };
    }
    if (id === "base") return { ids: [], branch };
    return { ids: [id], branch };
  }

  /** The single head (of a branch): Alembic's `get_current_head`. */
  currentHead(branch: string | null): number | null {
    let heads = this.graph.heads;
    if (branch) heads = this.filterForLineage(heads, branch);
    if (heads.length > 1) throw new MultipleHeadsError(this.graph.ids(heads), branch ? `${branch}@head` : "head");
    return heads[0] ?? null;
  }

  /** The targets that share a line of descent with `checkAgainst` (a label, id or `x@y`). */
  filterForLineage(targets: readonly number[], checkAgainst: string, includeDependencies = false): number[] {
    const { ids, branch } = this.resolveNumber(checkAgainst);
    const shares = [...(branch ? [branch] : []), ...ids].map((s) => this.forIdent(s));
    const nodes = shares.filter((n): n is number => n !== null);
    return targets.filter((t) => this.graph.sharesLineage(t, nodes, includeDependencies));
  }

  /** Alembic's `_resolve_branch`: a label, else any revision reference. */
  resolveBranch(branch: string): number {
    const exact = this.graph.nodeOf(branch) ?? this.graph.labelNode(branch);
    if (exact !== undefined) return exact;
    try {
      const node = this.forIdent(branch);
      if (node === null) throw new ResolutionError(`No such branch: '${branch}'`, branch);
      return node;
    } catch (e) {
      if (e instanceof ResolutionError) throw new ResolutionError(`No such branch: '${branch}'`, branch);
      throw e;
    }
  }

  /** Alembic's `_revision_for_ident`: an exact id or label, else a unique prefix (of keys over
   *  3 characters), optionally required to lie on `checkBranch`'s line. */
  forIdent(ident: string, checkBranch: string | null = null): Node {
    const g = this.graph;
    const branchNode = checkBranch ? this.resolveBranch(checkBranch) : null;
    let node: Node;
    if (ident === "" || ident === "base") {
      node = null;
    } else {
      const exact = g.nodeOf(ident) ?? g.labelNode(ident);
      if (exact !== undefined) {
        node = exact;
      } else {
        let keys: string[] = [];
        for (const [key] of g.keys()) if (key.length > 3 && key.startsWith(ident)) keys.push(key);
        if (checkBranch && branchNode !== null) {
          keys = keys.filter((k) => g.sharesLineage(this.forIdent(k)!, [branchNode]));
        }
        if (keys.length === 0) {
          const hint =
            ident.length < 4 ? "; please ensure at least four characters are present for partial revision identifier matches" : "";
          throw new ResolutionError(`No such revision or branch '${ident}'${hint}`, ident);
        }
        if (keys.length > 1) {
          throw new ResolutionError(
            `Multiple revisions start with '${ident}': ${keys
              .slice(0, 3)
              .map((k) => `'${k}'`)
              .join(", ")}${keys.length > 3 ? ", ..." : "..."}`,
            ident,
          );
        }
        node = (g.nodeOf(keys[0]!) ?? g.labelNode(keys[0]!))!;
      }
    }
    if (checkBranch && node !== null && branchNode !== null && !g.sharesLineage(node, [branchNode])) {
      throw new ResolutionError(`Revision ${g.id(node)} is not a member of branch '${checkBranch}'`, ident);
    }
    return node;
  }

  /** Alembic's `get_revisions` for one text: every revision it names. */
  getRevisions(text: string): number[] {
    const { ids, branch } = this.resolveNumber(text);
    if (ids.length === 1 && /^\s*[+-]?\d+\s*$/.test(ids[0]!)) {
      const n = Number.parseInt(ids[0]!, 10);
      if (n < 0) {
        // branch@-n: walk down from the heads (of that branch).
        let heads = this.graph.realHeads;
        if (branch !== null) heads = heads.filter((h) => this.graph.labelsOf(h).has(branch));
        return heads.map((h) => {
          const r = this.walk(h, n);
          if (typeof r !== "number") throw new TargetRangeError(`Relative revision ${ids[0]} didn't produce ${-n} migrations`);
          return r;
        });
      }
    }
    return ids.map((id) => this.forIdent(id, branch)).filter((n): n is number => n !== null);
  }

  /** Alembic's `get_revision`: at most one revision (null for base). */
  getRevision(text: string): Node {
    const { ids, branch } = this.resolveNumber(text);
    if (ids.length > 1) throw new MultipleHeadsError(ids, text);
    return this.forIdent(ids[0] ?? "", branch);
  }

  /** Alembic's `_walk`: `steps` edges up (positive) or down (negative) from `start` (null =
   *  below the bases). Returns "base" when walking down past a base, null when the walk left
   *  the graph. Several candidates at one step: "Ambiguous walk". */
  walk(start: Node | "base", steps: number, branch: string | null = null): Node | "base" {
    const g = this.graph;
    let current: Node | "base" = start;
    for (let s = 0; s < Math.abs(steps); s++) {
      let next: (number | "base")[];
      if (steps > 0) {
        if (current === "base") return null;
        const up = current === null ? g.bases : g.children[current]!;
        next = branch ? this.filterForLineage(up, branch) : [...up];
      } else if (current === "base") {
        next = [];
      } else {
        next = [...(current === null ? g.heads : g.down[current]!)];
        if (next.length === 0) next = ["base"];
      }
      if (next.length === 0) return null;
      if (next.length > 1) {
        throw new TargetRangeError(
          `Ambiguous walk: ${steps > 0 ? "+" : ""}${steps} from ${typeof current === "number" ? g.id(current) : "base"} ` +
            `can go to ${next.map((x) => (typeof x === "number" ? g.id(x) : "base")).join(", ")}; name the branch (e.g. <branch>@${steps > 0 ? "+" : ""}${steps}) or a revision`,
        );
      }
      current = next[0]!;
    }
    return current;
  }

  /** Alembic's `_parse_upgrade_target`: the revisions an upgrade to `target` must reach, from
   *  the current heads `current`. */
  upgradeTargets(current: readonly string[], target: string): number[] {
    const rel = parseRelative(target);
    if (!rel) return this.getRevisions(target);
    const g = this.graph;
    if (rel.steps > 0) {
      if (rel.symbol === null) {
        let starts: Node[] = current.length > 0 ? current.map((c) => this.forIdent(c)) : [null];
        if (rel.branch) {
          const currentNodes = starts.filter((n): n is number => n !== null);
          starts = this.filterForLineage(currentNodes, rel.branch);
          if (starts.length === 0) {
            // The branch is not at a current head: start from its tip among the applied revisions.
            const active = this.filterForLineage([...g.ancestors(currentNodes)], rel.branch);
            const below = new Set(active.flatMap((r) => g.normDown[r]!));
            starts = active.filter((r) => !below.has(r));
            if (starts.length === 0) starts = [null];
          }
        }
        if (starts.length > 1) throw new TargetRangeError("Ambiguous upgrade from multiple current revisions");
        const r = this.walk(starts[0]!, rel.steps, rel.branch);
        if (typeof r !== "number") {
          throw new TargetRangeError(`Relative revision ${rel.relative} didn't produce ${rel.steps} migrations`);
        }
        return [r];
      }
      const r = this.walk(this.getRevision(rel.symbol), rel.steps, rel.branch);
      if (typeof r !== "number") throw new TargetRangeError(`Walked too far from ${rel.symbol} by ${rel.relative}`);
      return [r];
    }
    if (rel.symbol === null) {
      throw new TargetRangeError(`Relative revision ${rel.steps} didn't produce ${Math.abs(rel.steps)} migrations`);
    }
    const start = this.getRevision(rel.branch === null ? rel.symbol : `${rel.branch}@${rel.symbol}`);
    const r = this.walk(start, rel.steps);
    if (r === null) throw new TargetRangeError(`Walked too far from ${rel.symbol} by ${rel.relative}`);
    return r === "base" ? [] : [r];
  }

  /** Alembic's `_parse_downgrade_target`: the branch the downgrade is limited to and the
   *  revision to downgrade to (null = base). */
  downgradeTarget(current: readonly string[], target: string): { branch: string | null; node: Node } {
    const rel = parseRelative(target);
    if (rel) return rel.steps >= 0 ? this.downgradeForward(rel) : this.downgradeBack(current, rel);
    const at = target.lastIndexOf("@");
    const branch = at > 0 ? target.slice(0, at) : null;
    if (at >= 0 && at === target.length - 1) throw emptyRevision(target);
    return { branch, node: this.getRevision(at >= 0 ? target.slice(at + 1) : target) };
  }

  /** `sym+N` as a downgrade target (from a symbol, never from the current revisions). */
  private downgradeForward(rel: RelativeTarget): { branch: string | null; node: Node } {
    if (rel.symbol === null) {
      throw new TargetRangeError(`Relative revision ${rel.relative} didn't produce ${Math.abs(rel.steps)} migrations`);
    }
    const r = this.walk(this.getRevision(rel.symbol), rel.steps, rel.branch);
    if (r === null) throw new TargetRangeError(`Walked too far from ${rel.symbol} by ${rel.relative}`);
    return { branch: rel.branch, node: r === "base" ? null : r };
  }

  /** `-N`, `branch@-N` (from the current revisions) or `sym-N`, `branch@sym-N`. */
  private downgradeBack(current: readonly string[], rel: RelativeTarget): { branch: string | null; node: Node } {
    let branch = rel.branch;
    let symbol = rel.symbol;
    const relativeToCurrent = symbol === null;
    if (relativeToCurrent) {
      if (branch) {
        symbol = this.currentOnBranch(current, branch, rel);
      } else {
        symbol = this.soleCurrent(current, rel);
        branch = symbol;
      }
    }
    const start = this.getRevision(branch === null ? symbol! : `${branch}@${symbol}`);
    const r = this.walk(start, rel.steps);
    if (r === null) {
      throw new TargetRangeError(
        relativeToCurrent
          ? `Relative revision ${rel.relative} didn't produce ${Math.abs(rel.steps)} migrations`
          : `Walked too far from ${symbol} by ${rel.relative}`,
      );
    }
    return { branch, node: r === "base" ? null : r };
  }

  /** The one current revision on `branch`, for `branch@-N`. */
  private currentOnBranch(current: readonly string[], branch: string, rel: RelativeTarget): string {
    const currentNodes = current.map((c) => this.forIdent(c)).filter((n): n is number => n !== null);
    let onBranch = this.filterForLineage(currentNodes, branch);
    if (onBranch.length === 0) {
      // Every branch head is below the current heads (they depend on it): use the tips of
      // the applied revisions instead (Alembic's `_get_all_current`).
      const applied = this.graph.ancestors(currentNodes);
      const tips = [...applied].filter((r) => !this.graph.children[r]!.some((c) => applied.has(c)));
      onBranch = this.filterForLineage(tips, branch);
    }
    if (onBranch.length !== 1) {
      throw new TargetRangeError(`${branch}@${rel.relative} is ambiguous: the branch '${branch}' has ${onBranch.length} current revisions`);
    }
    return this.graph.id(onBranch[0]!);
  }

  /** The one current revision, for `-N`. */
  private soleCurrent(current: readonly string[], rel: RelativeTarget): string {
    if (current.length === 0) {
      throw new TargetRangeError(`Relative revision ${rel.relative} didn't produce ${Math.abs(rel.steps)} migrations`);
    }
    const distinct = [...new Set(current)];
    if (distinct.length > 1) {
      // Alembic only warns here and picks the first head; a deploy tool must not guess.
      throw new TargetRangeError(
        `downgrade ${rel.relative} from multiple heads (${distinct.join(", ")}) is ambiguous; ` +
          `use <branch>@${rel.relative} or a revision id`,
      );
    }
    return distinct[0]!;
  }
}
