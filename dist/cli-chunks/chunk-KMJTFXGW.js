#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  DEFAULT_VERSION_TABLE,
  RetortError,
  TRAITS,
  createVersionTableSql,
  deleteVersionSql,
  insertVersionSql,
  splitStatements,
  updateVersionSql
} from "./chunk-JXQG5S6Z.js";

// src/core/render-sql.ts
function versionChangeSql(change, vt, dialect) {
  switch (change.op) {
    case "insert":
      return insertVersionSql(vt, dialect, change.revision);
    case "delete":
      return deleteVersionSql(vt, dialect, change.revision);
    case "update":
      return updateVersionSql(vt, dialect, change.from, change.to);
  }
}
function runningLine(step) {
  return `${step.direction} ${step.from.join(", ")} -> ${step.to.join(", ")}`;
}
function renderPlanSql(plan, options) {
  const { dialect } = options;
  const vt = options.versionTable ?? DEFAULT_VERSION_TABLE;
  const transactional = TRAITS[dialect].transactionalDdl;
  const perRevision = options.transactionPerRevision ?? false;
  const chunks = [];
  const emit = (text) => chunks.push(`${text}

`);
  const statement = (sql) => emit(`${sql};`);
  if (transactional && !perRevision) emit("BEGIN;");
  let heads = plan.headsBefore.length;
  for (const step of plan.steps) {
    if (transactional && perRevision) emit("BEGIN;");
    if (step.direction === "upgrade" && heads === 0) statement(createVersionTableSql(vt, dialect));
    emit(`-- Running ${runningLine(step)}`);
    if (step.section.verbatim) {
      if (step.section.sql.trim() !== "") chunks.push(step.section.sql.replace(/\s*$/, "\n\n"));
      for (const change of step.versionChanges) statement(versionChangeSql(change, vt, dialect));
      if (transactional && perRevision) emit("COMMIT;");
      heads = step.headsAfter.length;
      continue;
    }
    const statements = splitStatements(step.section, dialect);
    const outside = transactional && !step.section.transaction && statements.length > 0;
    if (outside) emit("COMMIT;");
    for (const s of statements) {
      if (TRAITS[dialect].clientDelimiter && s.sql.includes(";")) {
        emit("DELIMITER //");
        emit(`${s.sql}//`);
        emit("DELIMITER ;");
      } else {
        statement(s.sql);
      }
    }
    if (outside) emit("BEGIN;");
    for (const change of step.versionChanges) statement(versionChangeSql(change, vt, dialect));
    if (transactional && perRevision) emit("COMMIT;");
    heads = step.headsAfter.length;
  }
  if (transactional && !perRevision) emit("COMMIT;");
  return chunks.join("");
}

// src/report/markdown.ts
var LINE_ENDING = /\r\n|\r|\n/g;
var INVISIBLE = /(?![\t\n\r])[\p{Cc}\p{Cf}\u2028\u2029]/gu;
function visible(text) {
  return text.replace(INVISIBLE, (c) => `[U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}]`);
}
function code(text) {
  const oneLine = visible(text.replace(LINE_ENDING, " "));
  if (oneLine === "") return "";
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = "`".repeat(longest + 1);
  const pad = oneLine.startsWith("`") || oneLine.endsWith("`") || oneLine.startsWith(" ") && oneLine.endsWith(" ") && oneLine.trim() !== "" ? " " : "";
  return `${ticks}${pad}${oneLine}${pad}${ticks}`;
}
function cellCode(text) {
  return text.replace(LINE_ENDING, " ").split("|").map(code).join("\\|");
}
function html(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
function htmlCode(text) {
  const oneLine = visible(text.replace(LINE_ENDING, " "));
  return oneLine === "" ? "" : `<code>${html(oneLine)}</code>`;
}
function prose(text) {
  return visible(text.replace(LINE_ENDING, " ")).replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}
function fenced(sql, info) {
  const text = visible(sql);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${info}
${text.trimEnd()}
${fence}`;
}

// src/run/checksum.ts
import { createHash } from "node:crypto";

// src/core/checksum.ts
var CHECKSUM_VERSION = "v1";
function checksumInput(sql) {
  return sql.replace(/\r\n?/g, "\n");
}
function formatChecksum(hexDigest) {
  return `${CHECKSUM_VERSION}:${hexDigest}`;
}

// src/run/checksum.ts
function checksum(sql) {
  return formatChecksum(createHash("sha256").update(checksumInput(sql), "utf8").digest("hex"));
}

// src/run/drift.ts
function describeDrift(d, how = {}) {
  const value = how.value ?? ((text) => text);
  return `${value(d.revision)} (${value(d.path)}) ${how.verb ?? "changed"} since it was applied on ${value(d.appliedAt)}`;
}
async function readState(ctx) {
  const { graph, settings, store } = ctx;
  const heads = await store.readKnownHeads(graph, settings.migrations);
  const unfinished = await store.unfinished();
  if (unfinished.length > 0) {
    const u = unfinished[0];
    const rev = graph.nodeOf(u.revision) !== void 0 ? graph.revisions[graph.nodeOf(u.revision)] : null;
    throw new RetortError(
      "state",
      `Revision ${u.revision}${rev ? ` (${rev.path})` : ""} started to ${u.direction === "down" ? "downgrade" : "upgrade"} on ${u.startedAt}${u.actor ? ` by ${u.actor}` : ""} and never finished${u.statement ? ` (it had reached statement ${u.statement})` : ""}: this database cannot undo DDL, so some of its statements may have taken effect. Check the database, then run 'retort resolve ${u.revision} --applied' (finish it by hand first if needed) or 'retort resolve ${u.revision} --rolled-back'.`
    );
  }
  const applied = graph.ancestors(heads.map((h) => graph.nodeOf(h)));
  const recorded = await store.appliedChecksums();
  const drift = [];
  for (const node of applied) {
    const rev = graph.revisions[node];
    const seen = recorded.get(rev.id);
    if (!seen) continue;
    const now = checksum(rev.alembic?.text ?? rev.upgrade.sql);
    if (now !== seen.checksum) {
      drift.push({ revision: rev.id, path: rev.path, appliedAt: seen.changedAt, appliedChecksum: seen.checksum, currentChecksum: now });
    }
  }
  return { heads, drift };
}
function enforceDrift(ctx, drift) {
  const { settings } = ctx;
  for (const d of drift) {
    ctx.log.warn(`drift: ${describeDrift(d)}`);
  }
  if (drift.length > 0 && settings.onDrift === "fail") {
    throw new RetortError(
      "check-failed",
      `${drift.length} applied revision(s) changed since they were applied (${drift.map((d) => d.revision).join(", ")}). Restore their SQL, or run with --on-drift warn.`
    );
  }
}

// src/core/target.ts
var ResolutionError = class extends RetortError {
  /** The text that could not be resolved. */
  argument;
  constructor(message, argument) {
    super("resolution", message);
    this.name = "ResolutionError";
    this.argument = argument;
  }
};
var MultipleHeadsError = class extends RetortError {
  heads;
  argument;
  constructor(heads, argument) {
    super(
      "multiple-heads",
      `Multiple head revisions are present for given argument '${argument}'; please specify a specific target revision, '<branchname>@${argument}' to narrow to a specific head, or 'heads' for all heads (heads: ${heads.join(", ")})`
    );
    this.name = "MultipleHeadsError";
    this.heads = heads;
    this.argument = argument;
  }
};
var TargetRangeError = class extends RetortError {
  constructor(message) {
    super("range", message);
    this.name = "TargetRangeError";
  }
};
var RELATIVE = /^(?:(.+?)@)?([\p{L}\p{N}_]+)?([+-]\d+)/u;
function parseRelative(target) {
  const m = RELATIVE.exec(target);
  if (!m) return null;
  return { branch: m[1] ?? null, symbol: m[2] ?? null, relative: m[3], steps: Number.parseInt(m[3], 10) };
}
function emptyRevision(text) {
  return new ResolutionError(
    `${text === "" ? "An empty revision" : `'${text}' has an empty revision after '@' and`} names nothing: give head, heads, base (never assumed: name it to go all the way down), a revision id or a prefix of 4+ characters, a branch label, X@head or \xB1N.`,
    text
  );
}
var Resolver = class {
  graph;
  constructor(graph) {
    this.graph = graph;
  }
  /** Alembic's `_resolve_revision_number`: split `branch@id` and expand the symbols. */
  resolveNumber(text) {
    let branch = null;
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
  currentHead(branch) {
    let heads = this.graph.heads;
    if (branch) heads = this.filterForLineage(heads, branch);
    if (heads.length > 1) throw new MultipleHeadsError(this.graph.ids(heads), branch ? `${branch}@head` : "head");
    return heads[0] ?? null;
  }
  /** The targets that share a line of descent with `checkAgainst` (a label, id or `x@y`). */
  filterForLineage(targets, checkAgainst, includeDependencies = false) {
    const { ids, branch } = this.resolveNumber(checkAgainst);
    const shares = [...branch ? [branch] : [], ...ids].map((s) => this.forIdent(s));
    const nodes = shares.filter((n) => n !== null);
    return targets.filter((t) => this.graph.sharesLineage(t, nodes, includeDependencies));
  }
  /** Alembic's `_resolve_branch`: a label, else any revision reference. */
  resolveBranch(branch) {
    const exact = this.graph.nodeOf(branch) ?? this.graph.labelNode(branch);
    if (exact !== void 0) return exact;
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
  forIdent(ident, checkBranch = null) {
    const g = this.graph;
    const branchNode = checkBranch ? this.resolveBranch(checkBranch) : null;
    let node;
    if (ident === "" || ident === "base") {
      node = null;
    } else {
      const exact = g.nodeOf(ident) ?? g.labelNode(ident);
      if (exact !== void 0) {
        node = exact;
      } else {
        let keys = [];
        for (const [key] of g.keys()) if (key.length > 3 && key.startsWith(ident)) keys.push(key);
        if (checkBranch && branchNode !== null) {
          keys = keys.filter((k) => g.sharesLineage(this.forIdent(k), [branchNode]));
        }
        if (keys.length === 0) {
          const hint = ident.length < 4 ? "; please ensure at least four characters are present for partial revision identifier matches" : "";
          throw new ResolutionError(`No such revision or branch '${ident}'${hint}`, ident);
        }
        if (keys.length > 1) {
          throw new ResolutionError(
            `Multiple revisions start with '${ident}': ${keys.slice(0, 3).map((k) => `'${k}'`).join(", ")}${keys.length > 3 ? ", ..." : "..."}`,
            ident
          );
        }
        node = g.nodeOf(keys[0]) ?? g.labelNode(keys[0]);
      }
    }
    if (checkBranch && node !== null && branchNode !== null && !g.sharesLineage(node, [branchNode])) {
      throw new ResolutionError(`Revision ${g.id(node)} is not a member of branch '${checkBranch}'`, ident);
    }
    return node;
  }
  /** Alembic's `get_revisions` for one text: every revision it names. */
  getRevisions(text) {
    const { ids, branch } = this.resolveNumber(text);
    if (ids.length === 1 && /^\s*[+-]?\d+\s*$/.test(ids[0])) {
      const n = Number.parseInt(ids[0], 10);
      if (n < 0) {
        let heads = this.graph.realHeads;
        if (branch !== null) heads = heads.filter((h) => this.graph.labelsOf(h).has(branch));
        return heads.map((h) => {
          const r = this.walk(h, n);
          if (typeof r !== "number") throw new TargetRangeError(`Relative revision ${ids[0]} didn't produce ${-n} migrations`);
          return r;
        });
      }
    }
    return ids.map((id) => this.forIdent(id, branch)).filter((n) => n !== null);
  }
  /** Alembic's `get_revision`: at most one revision (null for base). */
  getRevision(text) {
    const { ids, branch } = this.resolveNumber(text);
    if (ids.length > 1) throw new MultipleHeadsError(ids, text);
    return this.forIdent(ids[0] ?? "", branch);
  }
  /** Alembic's `_walk`: `steps` edges up (positive) or down (negative) from `start` (null =
   *  below the bases). Returns "base" when walking down past a base, null when the walk left
   *  the graph. Several candidates at one step: "Ambiguous walk". */
  walk(start, steps, branch = null) {
    const g = this.graph;
    let current = start;
    for (let s = 0; s < Math.abs(steps); s++) {
      let next;
      if (steps > 0) {
        if (current === "base") return null;
        const up = current === null ? g.bases : g.children[current];
        next = branch ? this.filterForLineage(up, branch) : [...up];
      } else if (current === "base") {
        next = [];
      } else {
        next = [...current === null ? g.heads : g.down[current]];
        if (next.length === 0) next = ["base"];
      }
      if (next.length === 0) return null;
      if (next.length > 1) {
        throw new TargetRangeError(
          `Ambiguous walk: ${steps > 0 ? "+" : ""}${steps} from ${typeof current === "number" ? g.id(current) : "base"} can go to ${next.map((x) => typeof x === "number" ? g.id(x) : "base").join(", ")}; name the branch (e.g. <branch>@${steps > 0 ? "+" : ""}${steps}) or a revision`
        );
      }
      current = next[0];
    }
    return current;
  }
  /** Alembic's `_parse_upgrade_target`: the revisions an upgrade to `target` must reach, from
   *  the current heads `current`. */
  upgradeTargets(current, target) {
    const rel = parseRelative(target);
    if (!rel) return this.getRevisions(target);
    const g = this.graph;
    if (rel.steps > 0) {
      if (rel.symbol === null) {
        let starts = current.length > 0 ? current.map((c) => this.forIdent(c)) : [null];
        if (rel.branch) {
          const currentNodes = starts.filter((n) => n !== null);
          starts = this.filterForLineage(currentNodes, rel.branch);
          if (starts.length === 0) {
            const active = this.filterForLineage([...g.ancestors(currentNodes)], rel.branch);
            const below = new Set(active.flatMap((r4) => g.normDown[r4]));
            starts = active.filter((r4) => !below.has(r4));
            if (starts.length === 0) starts = [null];
          }
        }
        if (starts.length > 1) throw new TargetRangeError("Ambiguous upgrade from multiple current revisions");
        const r3 = this.walk(starts[0], rel.steps, rel.branch);
        if (typeof r3 !== "number") {
          throw new TargetRangeError(`Relative revision ${rel.relative} didn't produce ${rel.steps} migrations`);
        }
        return [r3];
      }
      const r2 = this.walk(this.getRevision(rel.symbol), rel.steps, rel.branch);
      if (typeof r2 !== "number") throw new TargetRangeError(`Walked too far from ${rel.symbol} by ${rel.relative}`);
      return [r2];
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
  downgradeTarget(current, target) {
    const rel = parseRelative(target);
    if (rel) return rel.steps >= 0 ? this.downgradeForward(rel) : this.downgradeBack(current, rel);
    const at = target.lastIndexOf("@");
    const branch = at > 0 ? target.slice(0, at) : null;
    if (at >= 0 && at === target.length - 1) throw emptyRevision(target);
    return { branch, node: this.getRevision(at >= 0 ? target.slice(at + 1) : target) };
  }
  /** `sym+N` as a downgrade target (from a symbol, never from the current revisions). */
  downgradeForward(rel) {
    if (rel.symbol === null) {
      throw new TargetRangeError(`Relative revision ${rel.relative} didn't produce ${Math.abs(rel.steps)} migrations`);
    }
    const r = this.walk(this.getRevision(rel.symbol), rel.steps, rel.branch);
    if (r === null) throw new TargetRangeError(`Walked too far from ${rel.symbol} by ${rel.relative}`);
    return { branch: rel.branch, node: r === "base" ? null : r };
  }
  /** `-N`, `branch@-N` (from the current revisions) or `sym-N`, `branch@sym-N`. */
  downgradeBack(current, rel) {
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
    const start = this.getRevision(branch === null ? symbol : `${branch}@${symbol}`);
    const r = this.walk(start, rel.steps);
    if (r === null) {
      throw new TargetRangeError(
        relativeToCurrent ? `Relative revision ${rel.relative} didn't produce ${Math.abs(rel.steps)} migrations` : `Walked too far from ${symbol} by ${rel.relative}`
      );
    }
    return { branch, node: r === "base" ? null : r };
  }
  /** The one current revision on `branch`, for `branch@-N`. */
  currentOnBranch(current, branch, rel) {
    const currentNodes = current.map((c) => this.forIdent(c)).filter((n) => n !== null);
    let onBranch = this.filterForLineage(currentNodes, branch);
    if (onBranch.length === 0) {
      const applied = this.graph.ancestors(currentNodes);
      const tips = [...applied].filter((r) => !this.graph.children[r].some((c) => applied.has(c)));
      onBranch = this.filterForLineage(tips, branch);
    }
    if (onBranch.length !== 1) {
      throw new TargetRangeError(`${branch}@${rel.relative} is ambiguous: the branch '${branch}' has ${onBranch.length} current revisions`);
    }
    return this.graph.id(onBranch[0]);
  }
  /** The one current revision, for `-N`. */
  soleCurrent(current, rel) {
    if (current.length === 0) {
      throw new TargetRangeError(`Relative revision ${rel.relative} didn't produce ${Math.abs(rel.steps)} migrations`);
    }
    const distinct = [...new Set(current)];
    if (distinct.length > 1) {
      throw new TargetRangeError(
        `downgrade ${rel.relative} from multiple heads (${distinct.join(", ")}) is ambiguous; use <branch>@${rel.relative} or a revision id`
      );
    }
    return distinct[0];
  }
};

// src/core/plan.ts
function planUpgrade(graph, current, target) {
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
function planDowngrade(graph, current, target) {
  const resolver = new Resolver(graph);
  const currentNodes = resolveCurrent(resolver, current);
  const { branch, node } = resolver.downgradeTarget(graph.ids(currentNodes), target);
  let roots = node === null ? [...graph.bases] : [...graph.children[node]];
  if (branch && roots.length > 1) {
    const onBranch = graph.ancestors([resolver.resolveBranch(branch)], false);
    roots = roots.filter((r) => onBranch.has(r));
    if (roots.length === 0) throw new TargetRangeError(`Not a valid downgrade target from current heads: ${target}`);
  }
  const active = graph.ancestors(currentNodes);
  const drop = new Set([...graph.descendants(roots)].filter((n) => active.has(n)));
  if (node !== null && drop.size === 0 && !currentNodes.includes(node)) {
    throw new TargetRangeError(
      `Destination ${target} is not a valid downgrade target from current head(s) (${graph.ids(currentNodes).join(", ") || "base"}): it is not below them.`
    );
  }
  const order = topologicalSort(graph, drop, currentNodes);
  const irreversible = order.find((n) => graph.revisions[n].downgrade === null);
  if (irreversible !== void 0) {
    const rev = graph.revisions[irreversible];
    throw new RetortError(
      "irreversible",
      `Revision ${rev.id} (${rev.path}) is irreversible: it has no "-- migrate:downgrade" section, so downgrade ${target} cannot pass it. Pick a target above ${rev.id}, or add a downgrade section (an empty one is a no-op).`
    );
  }
  return buildPlan(graph, "downgrade", target, currentNodes, order);
}
function historyOrder(graph, start, end) {
  const resolver = new Resolver(graph);
  const lower = start || "base";
  const upper = end || "heads";
  let targets = resolver.upgradeTargets(lower === "base" ? [] : [lower], upper);
  if (lower.includes("@")) {
    let branch = lower.slice(0, lower.indexOf("@"));
    const branchNode = resolver.getRevision(branch);
    if (branchNode !== null && graph.id(branchNode) === branch) {
      const labels = [...graph.labelsOf(branchNode)];
      if (labels.length !== 1) {
        throw new RetortError("usage", `Revision ${branch} has ${labels.length} branch labels; name one of them instead of '${branch}@'.`);
      }
      branch = labels[0];
    }
    targets = targets.filter((t) => graph.labelsOf(t).has(branch));
  }
  checkOverlap(graph, targets);
  const required = graph.ancestors(targets);
  const lowerNodes = resolver.getRevisions(lower);
  if (lowerNodes.some((n) => !required.has(n))) {
    throw new TargetRangeError(
      `Requested range ${lower}:${upper} does not refer to ancestor/descendant revisions along the same branch`
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
function resolveCurrent(resolver, current) {
  const nodes = /* @__PURE__ */ new Set();
  for (const c of current) for (const n of resolver.getRevisions(c)) nodes.add(n);
  return [...nodes];
}
function checkOverlap(graph, nodes) {
  if (nodes.length < 2) return;
  for (const n of nodes) {
    const others = nodes.filter((o) => o !== n);
    const overlaps = [...graph.ancestorsAmong([n], others)];
    if (overlaps.length > 0) {
      throw new TargetRangeError(
        `Requested revision ${graph.id(n)} overlaps with other requested revision ${graph.ids(overlaps).join(", ")}`
      );
    }
  }
}
function topologicalSort(graph, todoSet, startHeads) {
  const n = graph.size;
  const todo = new Uint8Array(n);
  for (const t of todoSet) todo[t] = 1;
  const emitted = new Uint8Array(n);
  const inFront = new Uint8Array(n);
  const fronts = [...new Set(startHeads)].filter((h) => todo[h]).sort((a, b) => a - b);
  for (const f of fronts) inFront[f] = 1;
  const { normChildren, rank } = graph.sortIndex();
  const reaches = descendantTest(graph, rank);
  const mayBeBelowAnotherTip = (c) => normChildren[c].some((x) => !emitted[x]);
  const tipAbove = (i2) => {
    const c = fronts[i2];
    if (fronts.length < 2 || !mayBeBelowAnotherTip(c)) return -1;
    return fronts.findIndex((f, k) => k !== i2 && reaches(f, c));
  };
  const out = [];
  let i = 0;
  while (fronts.length > 0) {
    const redirect = tipAbove(i);
    if (redirect >= 0) {
      i = redirect;
      continue;
    }
    const c = fronts[i];
    if (todo[c]) {
      out.push(c);
      todo[c] = 0;
      emitted[c] = 1;
    }
    const downs = graph.normDown[c].filter((d) => todo[d] && !inFront[d]);
    inFront[c] = 0;
    if (downs.length === 0) {
      fronts.splice(i, 1);
      i = Math.max(i - 1, 0);
    } else {
      fronts[i] = downs[0];
      for (const d of downs.slice(1)) fronts.push(d);
      for (const d of downs) inFront[d] = 1;
    }
  }
  return out;
}
function descendantTest(graph, rank) {
  const seenAt = new Int32Array(graph.size);
  let epoch = 0;
  return (from, target) => {
    if (from === target) return true;
    epoch++;
    const floor = rank[target];
    const stack = [from];
    while (stack.length > 0) {
      const x = stack.pop();
      for (const d of graph.normDown[x]) {
        if (d === target) return true;
        if (seenAt[d] === epoch || rank[d] < floor) continue;
        seenAt[d] = epoch;
        stack.push(d);
      }
    }
    return false;
  };
}
function buildPlan(graph, direction, target, current, order) {
  const heads = new Set(graph.ids(current));
  const headsBefore = sortByLoad(graph, heads);
  const steps = [];
  for (const node of order) {
    const revision = graph.revisions[node];
    const versionChanges = versionChangesFor(graph, node, direction, heads);
    const versioned = graph.ids(graph.down[node]);
    steps.push({
      revision,
      direction,
      section: direction === "upgrade" ? revision.upgrade : revision.downgrade,
      from: direction === "upgrade" ? versioned : [revision.id],
      to: direction === "upgrade" ? [revision.id] : versioned,
      versionChanges,
      headsAfter: sortByLoad(graph, heads)
    });
  }
  return { direction, target, headsBefore, steps, headsAfter: sortByLoad(graph, heads) };
}
function sortByLoad(graph, ids) {
  return [...ids].sort((a, b) => (graph.nodeOf(a) ?? 0) - (graph.nodeOf(b) ?? 0));
}
function versionChangesFor(graph, node, direction, heads) {
  const step = new VersionStep(graph, node, direction, heads);
  if (step.shouldDeleteBranch()) step.remove(step.id);
  else if (step.shouldCreateBranch()) step.insert(step.id);
  else if (step.shouldMergeBranches()) step.mergeBranches();
  else if (step.shouldUnmergeBranches()) step.unmergeBranches();
  else step.updateVersion();
  return step.changes;
}
var VersionStep = class {
  id;
  changes = [];
  /** Normalized down revisions: down_revision plus dependencies not already ancestors. */
  downs;
  /** down_revision alone (the rows a merge or unmerge prefers to keep). */
  versioned;
  unmergeTargets;
  graph;
  node;
  direction;
  heads;
  constructor(graph, node, direction, heads) {
    this.graph = graph;
    this.node = node;
    this.direction = direction;
    this.heads = heads;
    this.id = graph.id(node);
    this.downs = graph.ids(graph.normDown[node]);
    this.versioned = new Set(graph.ids(graph.down[node]));
  }
  /** Downgrading a head whose down revisions are all below other heads (or none): its row goes. */
  shouldDeleteBranch() {
    return this.direction === "downgrade" && this.heads.has(this.id) && this.unmergeTo().length === 0;
  }
  /** Upgrading from nothing present: a base, or a new branch beside the other heads. */
  shouldCreateBranch() {
    return this.direction === "upgrade" && (this.downs.length === 0 || this.present().length === 0);
  }
  /** Upgrading a merge point while more than one of its down revisions is a row. */
  shouldMergeBranches() {
    return this.direction === "upgrade" && this.downs.length > 1 && this.present().length > 1;
  }
  /** Downgrading a head that is a merge point (what to unmerge to is not empty: see above). */
  shouldUnmergeBranches() {
    return this.direction === "downgrade" && this.heads.has(this.id) && this.downs.length > 1;
  }
  mergeBranches() {
    const [deletes, kept] = this.pickKept(this.notBelowOtherHeads(this.present(), new Set(this.downs)));
    for (const r of deletes) this.remove(r);
    this.update(kept, this.id);
  }
  unmergeBranches() {
    const [inserts, kept] = this.pickKept(this.unmergeTo());
    for (const r of inserts) this.insert(r);
    this.update(this.id, kept);
  }
  updateVersion() {
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
  insert(r) {
    if (this.heads.has(r)) this.broken(`insert ${r} again`);
    this.heads.add(r);
    this.changes.push({ op: "insert", revision: r });
  }
  remove(r) {
    if (!this.heads.delete(r)) this.broken(`delete ${r}`);
    this.changes.push({ op: "delete", revision: r });
  }
  update(from, to) {
    if (!this.heads.delete(from)) this.broken(`update ${from} to ${to}`);
    if (this.heads.has(to)) this.broken(`update ${from} to ${to}, which is already there`);
    this.heads.add(to);
    this.changes.push({ op: "update", from, to });
  }
  broken(what) {
    throw new TargetRangeError(
      `Can't ${this.direction} ${this.id}: it would ${what}, but the version table holds ${[...this.heads].join(", ") || "no rows"}. Check the version table against 'retort heads'.`
    );
  }
  /** The down revisions that are rows now. */
  present() {
    return this.downs.filter((d) => this.heads.has(d));
  }
  /** A downgrade's rows to come back: the down revisions not below another head (computed
   *  before any row changes, once). */
  unmergeTo() {
    this.unmergeTargets ??= this.downs.length === 0 ? [] : this.notBelowOtherHeads(this.downs, /* @__PURE__ */ new Set([this.id]));
    return this.unmergeTargets;
  }
  /** `candidates` minus the ancestors of the heads not in `exclude`. */
  notBelowOtherHeads(candidates, exclude) {
    const { graph } = this;
    const others = [...this.heads].filter((h) => !exclude.has(h));
    if (others.length === 0) return candidates;
    const below = graph.ancestorsAmong(
      others.map((h) => graph.nodeOf(h)),
      candidates.map((c) => graph.nodeOf(c))
    );
    return candidates.filter((c) => !below.has(graph.nodeOf(c)));
  }
  /** Split into rows to touch and the one row to update: the last versioned one if any. */
  pickKept(revs) {
    let kept = revs[revs.length - 1];
    for (const r of revs) if (this.versioned.has(r)) kept = r;
    return [revs.filter((r) => r !== kept), kept];
  }
};
function scalarDown(graph, node, downs, heads, direction) {
  if (downs.length === 1) return downs[0];
  const present = downs.filter((d) => heads.has(d));
  if (present.length !== 1) {
    throw new TargetRangeError(
      `Can't ${direction} ${graph.id(node)}: the version table (${[...heads].join(", ") || "empty"}) does not hold exactly one of its down revisions (${downs.join(", ")})`
    );
  }
  return present[0];
}
function requireNativeSql(plan, purpose = "render") {
  const python = plan.steps.filter((s) => s.revision.alembic && (purpose === "run" || !s.revision.alembic.rendered));
  if (python.length > 0) {
    throw new RetortError(
      "usage",
      `${python.length} revision(s) of this plan are Alembic (Python) revisions (${python[0].revision.path}${python.length > 1 ? ", ..." : ""}): ` + (purpose === "run" ? `retort reads their graph and renders their SQL through Alembic, but applying them through Alembic is not available in this version. ` : `their SQL must first be rendered through Alembic. `) + `Run alembic for that step; heads, history, branches, show, current, plan and check work.`
    );
  }
}

// src/report/model.ts
function planWarnings(f) {
  const warnings = [];
  if (f.heads.length > 1) warnings.push({ kind: "several-heads", heads: f.heads });
  for (const drift of f.drift) warnings.push({ kind: "drift", drift });
  for (const step of f.plan.steps) {
    if (step.revision.downgrade === null) warnings.push({ kind: "irreversible", revision: step.revision });
    if (!step.section.transaction) warnings.push({ kind: "non-transactional", revision: step.revision });
  }
  if (f.plan.steps.length > 0 && !f.transactionalDdl) warnings.push({ kind: "implicit-commits" });
  return warnings;
}
function planResult(facts, checksumOf = checksum) {
  return { ...facts, warnings: planWarnings(facts), checksums: facts.plan.steps.map((s) => checksumOf(s.section.sql)) };
}
function undoSql(graph, plan, sql) {
  const before = plan.headsBefore;
  if (plan.steps.length === 0 || before.length > 1 || plan.steps.some((s) => s.revision.alembic)) return null;
  try {
    return renderPlanSql(planDowngrade(graph, plan.headsAfter, before[0] ?? "base"), sql);
  } catch {
    return null;
  }
}

export {
  MultipleHeadsError,
  Resolver,
  planUpgrade,
  planDowngrade,
  historyOrder,
  requireNativeSql,
  versionChangeSql,
  runningLine,
  renderPlanSql,
  code,
  cellCode,
  htmlCode,
  prose,
  fenced,
  checksum,
  describeDrift,
  readState,
  enforceDrift,
  planResult,
  undoSql
};
