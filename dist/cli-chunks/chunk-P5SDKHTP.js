#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  DEFAULT_VERSION_TABLE,
  TRAITS,
  VERSION_NUM_CHARS,
  createVersionTableSql,
  deleteVersionSql,
  insertVersionSql,
  splitStatements,
  updateVersionSql,
  versionTableName
} from "./chunk-R35MOS62.js";
import {
  RetortError
} from "./chunk-L5Z724Z2.js";

// src/core/revision.ts
var FORBIDDEN_ID_CHARS = ["@", "-", "+", ":"];
var MAX_ID_LENGTH = 128;
var REVISION_ID_RULE = `Revision ids are 1 to ${MAX_ID_LENGTH} ASCII letters, digits, '_' or '.' (not starting with '.')`;
var ID_CHAR = /^[A-Za-z0-9_.]$/;
function quoted(value) {
  return `'${value.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (c) => `\\u{${c.codePointAt(0).toString(16)}}`)}'`;
}
function invalidRevisionId(id) {
  if (id.length === 0) return "a revision id cannot be empty";
  if (id.length > MAX_ID_LENGTH) {
    const shown = id.length > 2 * MAX_ID_LENGTH ? `${quoted(id.slice(0, MAX_ID_LENGTH))}...` : quoted(id);
    return `revision id ${shown} is ${id.length} characters long; retort takes at most ${MAX_ID_LENGTH}`;
  }
  if (/\s|,/.test(id)) return `revision id ${quoted(id)} contains white space or a comma`;
  const bad = FORBIDDEN_ID_CHARS.filter((c) => id.includes(c)).sort();
  if (bad.length > 0) {
    return `Character(s) '${bad.join(", ")}' not allowed in revision identifier ${quoted(id)}`;
  }
  const other = [...new Set([...id].filter((c) => !ID_CHAR.test(c)))];
  if (other.length > 0) {
    return `revision id ${quoted(id)} contains ${other.map(quoted).join(", ")}, which would break file names, SQL or reports`;
  }
  if (id.startsWith(".")) return `revision id ${quoted(id)} starts with '.', which would make its file hidden`;
  return null;
}
function invalidBranchLabel(label) {
  if (/[\s@:,]/.test(label)) return `branch label ${quoted(label)} contains white space, '@', ':' or ','`;
  if (/[\p{Cc}\p{Cf}]/u.test(label)) return `branch label ${quoted(label)} contains a control or invisible character`;
  const bad = [...new Set([...label].filter((c) => "|<>'\"`\\".includes(c)))];
  if (bad.length > 0) return `branch label ${quoted(label)} contains ${bad.map((c) => `'${c}'`).join(", ")}; use letters, digits, '_', '-', '.' or '/'`;
  return null;
}
function slugify(message, truncateAt = 40) {
  const words = message.match(/[\p{L}\p{N}\p{M}_]+/gu) ?? [];
  let slug = words.join("_").toLowerCase();
  const points = Array.from(slug);
  if (points.length > truncateAt) {
    const cut = points.slice(0, truncateAt).join("");
    const last = cut.lastIndexOf("_");
    slug = (last >= 0 ? cut.slice(0, last) : cut) + "_";
  }
  return slug;
}
function newRevisionId(randomHex) {
  const id = randomHex.toLowerCase().replace(/[^0-9a-f]/g, "").slice(-12);
  if (id.length !== 12) throw new Error("newRevisionId needs at least 12 hex characters");
  return id;
}

// src/core/heads.ts
function parseExpectHeads(text, where = "--expect-heads") {
  const value = (text ?? "").trim();
  if (value === "") return null;
  if (/^\d+$/.test(value)) {
    const count = Number(value);
    if (count < 1 || !Number.isSafeInteger(count)) throw new RetortError("usage", `Invalid ${where} '${value}': give a number of heads (1 or more) or branch labels.`);
    return { count };
  }
  const labels = value.split(/[\s,]+/).filter(Boolean);
  for (const label of labels) {
    const bad = /^\d+$/.test(label) ? "a number among labels" : invalidBranchLabel(label);
    if (bad) throw new RetortError("usage", `Invalid ${where} '${value}': ${bad}. Give branch labels (expand,contract) or a number of heads.`);
  }
  return { labels: [...new Set(labels)] };
}
function judgeHeads(graph, expect, target) {
  const heads = graph.heads;
  const alembic = graph.revisions.some((r) => r.alembic);
  const verdict = (merge, problem) => ({ heads: graph.ids(heads), merge: graph.ids(merge), problem, alembic });
  if (expect && "count" in expect) {
    if (heads.length === expect.count) return null;
    return verdict(heads.length > expect.count ? heads : [], { kind: "count", expected: expect.count });
  }
  if (expect) return judgeLabels(graph, expect.labels, verdict);
  if (heads.length <= 1) return null;
  if (target.trim() === "heads") {
    const unsure = heads.filter((h) => ![...graph.labelsOf(h)].some((l) => heads.every((o) => o === h || !graph.labelsOf(o).has(l))));
    return unsure.length === 0 ? null : verdict(unsure, { kind: "unlabelled" });
  }
  return verdict(heads, { kind: "several" });
}
function judgeLabels(graph, labels, verdict) {
  const heads = graph.heads;
  for (const label of labels) {
    if (graph.labelNode(label) === void 0) {
      const known = [...new Set(graph.revisions.flatMap((r) => r.branchLabels))];
      throw new RetortError(
        "usage",
        `--expect-heads names '${label}', which is not a branch label of the revisions (${known.length ? `labels: ${known.join(", ")}` : "they declare none"}). Give the labels of the intended heads' branches, or their number.`
      );
    }
    const on = heads.filter((h) => graph.labelsOf(h).has(label));
    if (on.length > 1) return verdict(on, { kind: "branch", label });
  }
  const stray = heads.filter((h) => !labels.some((l) => graph.labelsOf(h).has(l)));
  return stray.length === 0 ? null : verdict([], { kind: "stray", stray: graph.ids(stray), labels });
}
function headsProblem(v, code2 = (t) => t) {
  const list = (ids) => ids.map(code2).join(", ");
  const all = `${v.heads.length} heads (${list(v.heads)})`;
  const p = v.problem;
  switch (p.kind) {
    case "several":
      return `${all}, where one is expected`;
    case "count":
      return `${all}, where ${p.expected} ${p.expected === 1 ? "is" : "are"} expected (${code2(`--expect-heads ${p.expected}`)})`;
    case "branch":
      return `${v.merge.length} heads on the branch ${code2(p.label)} (${list(v.merge)}), where one is expected (${code2("--expect-heads")})`;
    case "stray":
      return `${all}: ${list(p.stray)} ${p.stray.length > 1 ? "are" : "is"} on none of the expected branches (${code2(`--expect-heads ${p.labels.join(",")}`)})`;
    case "unlabelled":
      return `${all}: ${list(v.merge)} ${v.merge.length > 1 ? "are not the only heads" : "is not the only head"} of any branch label`;
  }
}
function mergeCommand(verdict) {
  const revs = verdict.merge.length === verdict.heads.length ? ["heads"] : verdict.merge;
  return verdict.alembic ? `alembic merge -m "merge heads" ${revs.join(" ")}` : `retort merge ${revs.join(" ")} -m "merge heads"`;
}
function headsAdvice(verdict, code2 = (t) => `'${t}'`) {
  const kind = verdict.problem.kind;
  const declare = kind === "several" || kind === "unlabelled" ? `declare the heads kept on purpose with ${code2("--expect-heads LABEL,LABEL")} (the Action's ${code2("expect-heads")} input)` + (kind === "several" ? ` (or use the target ${code2("heads")} when each is the only head of a branch label)` : "") : `update ${code2("--expect-heads")}`;
  if (verdict.merge.length === 0) return `Merge a stray head into its branch, or ${declare}.`;
  return `Merge them with ${code2(mergeCommand(verdict))}, or ${declare}.`;
}

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
function sqlComment(text) {
  return text.split(/\r\n|[\r\n\u0085\u2028\u2029]/).map((line) => line === "" ? "--" : `-- ${line}`).join("\n");
}
function unrenderedSql(step) {
  const u = step.section.unrendered;
  if (!u) return "";
  const what = `${step.direction}() of ${step.revision.path}`;
  return [
    sqlComment(`retort: NOT RENDERED: Alembic could not render this revision's SQL offline: ${u.reason}`),
    sqlComment(`retort: this SQL is incomplete; applied online, Alembic runs ${what}:`),
    sqlComment(u.source)
  ].join("\n");
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
      if (step.section.unrendered) emit(unrenderedSql(step));
      else if (step.section.sql.trim() !== "") chunks.push(step.section.sql.replace(/\s*$/, "\n\n"));
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

// src/run/long-ids.ts
function versionNumRoomOf(info) {
  if (info === null) return { chars: VERSION_NUM_CHARS, source: "new" };
  return { chars: info.columns.find((c) => c.name === "version_num")?.maxChars ?? null, source: "table" };
}
var widthFor = (longest) => Math.max(64, longest);
function widenVersionNumSql(vt, dialect, chars) {
  const name = versionTableName(vt, dialect);
  return dialect === "postgresql" ? `ALTER TABLE ${name} ALTER COLUMN version_num TYPE VARCHAR(${chars})` : `ALTER TABLE ${name} MODIFY version_num VARCHAR(${chars}) NOT NULL`;
}
function wideVersionTableSql(vt, dialect, chars) {
  return createVersionTableSql(vt, dialect).replace(`VARCHAR(${VERSION_NUM_CHARS})`, `VARCHAR(${chars})`).replace(/\s*\n\s*/g, "\n").replace("(\n", "(").replace("\n)", ")").replace(/,\n/g, ", ");
}
function idsWritten(plan) {
  const ids = plan.steps.flatMap((s) => s.versionChanges.flatMap((c) => c.op === "insert" ? [c.revision] : c.op === "update" ? [c.to] : []));
  return [...new Set(ids)];
}
function longIdsOf(plan, room, sql) {
  const chars = room.chars;
  if (chars === null) return null;
  const ids = idsWritten(plan).filter((id) => id.length > chars).sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  if (ids.length === 0) return null;
  const width = widthFor(ids[0].length);
  const fromBase = plan.headsBefore.length === 0;
  const create = room.source === "new" || room.source === "offline" && fromBase;
  const fix = create ? wideVersionTableSql(sql.versionTable, sql.dialect, width) : widenVersionNumSql(sql.versionTable, sql.dialect, width);
  return { ids, chars, source: room.source, table: versionTableName(sql.versionTable, sql.dialect), fix };
}
function longIdsText(l, code2 = (v) => `'${v}'`) {
  const first = l.ids[0];
  const others = l.ids.length > 1 ? ` (and ${l.ids.length - 1} other id(s) over ${l.chars})` : "";
  const id = `Revision id ${code2(first)} is ${first.length} characters long${others}`;
  switch (l.source) {
    case "table":
      return `${id}, but ${code2(`${l.table}.version_num`)} holds ${l.chars}: upgrade will refuse before running anything. Widen the column first: ${code2(l.fix)}.`;
    case "new":
      return `${id}, and the version table retort creates, like Alembic's, holds ${l.chars}: upgrade will refuse before running anything. Create ${code2(l.table)} first with a wider version_num: ${code2(l.fix)}.`;
    case "offline":
      return l.fix.startsWith("CREATE") ? `${id}, and this SQL creates Alembic's version table with VARCHAR(${l.chars}), where it cannot be written: create ${code2(l.table)} with a wider version_num instead: ${code2(l.fix)}.` : `${id}; Alembic's default version table holds VARCHAR(${l.chars}) (planned offline: the database's is not known). If the database's is that narrow, widen it first: ${code2(l.fix)}.`;
  }
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
function undoPlan(graph, plan) {
  if (plan.steps.length === 0 || plan.headsBefore.length > 1) return null;
  try {
    return planDowngrade(graph, plan.headsAfter, plan.headsBefore[0] ?? "base");
  } catch {
    return null;
  }
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
      rev.alembic ? `Revision ${rev.id} (${rev.path}) is irreversible: it defines no downgrade(), so downgrade ${target} cannot pass it (Alembic would fail on it). Pick a target above ${rev.id}, or add a downgrade() (one that does nothing: 'pass').` : `Revision ${rev.id} (${rev.path}) is irreversible: it has no "-- migrate:downgrade" section, so downgrade ${target} cannot pass it. Pick a target above ${rev.id}, or add a downgrade section (an empty one is a no-op).`
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
  const verdict = f.headsVerdict;
  if (verdict === void 0 ? f.heads.length > 1 : verdict !== null) warnings.push({ kind: "several-heads", heads: f.heads, verdict: verdict ?? null });
  for (const drift of f.drift) warnings.push({ kind: "drift", drift });
  const longIds = f.versionNum ? longIdsOf(f.plan, f.versionNum, f) : null;
  if (longIds) warnings.push({ kind: "long-ids", longIds });
  for (const step of f.plan.steps) {
    if (step.revision.downgrade === null) warnings.push({ kind: "irreversible", revision: step.revision });
    if (!step.section.transaction) warnings.push({ kind: "non-transactional", revision: step.revision });
    const u = step.section.unrendered;
    if (u) warnings.push({ kind: "unrendered", revision: step.revision, direction: step.direction, reason: u.reason });
  }
  for (const step of f.undoUnrendered ?? []) {
    warnings.push({ kind: "unrendered", revision: step.revision, direction: step.direction, reason: step.section.unrendered?.reason ?? "" });
  }
  if (f.plan.steps.length > 0 && !f.transactionalDdl) warnings.push({ kind: "implicit-commits" });
  return warnings;
}
function planResult(facts, checksumOf = checksum) {
  const sumOf = (s) => checksumOf(s.section.unrendered ? s.revision.alembic?.text ?? "" : s.section.sql);
  return { ...facts, warnings: planWarnings(facts), checksums: facts.plan.steps.map(sumOf) };
}
function undoSql(graph, plan, sql) {
  const down = plan.steps.some((s) => s.revision.alembic) ? null : undoPlan(graph, plan);
  if (down === null) return null;
  try {
    return renderPlanSql(down, sql);
  } catch {
    return null;
  }
}

export {
  MAX_ID_LENGTH,
  REVISION_ID_RULE,
  quoted,
  invalidRevisionId,
  invalidBranchLabel,
  slugify,
  newRevisionId,
  parseExpectHeads,
  judgeHeads,
  headsProblem,
  headsAdvice,
  MultipleHeadsError,
  Resolver,
  planUpgrade,
  undoPlan,
  planDowngrade,
  historyOrder,
  requireNativeSql,
  versionChangeSql,
  runningLine,
  renderPlanSql,
  versionNumRoomOf,
  widthFor,
  widenVersionNumSql,
  wideVersionTableSql,
  idsWritten,
  longIdsOf,
  longIdsText,
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
