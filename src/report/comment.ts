// The pull-request comment: the plan as Markdown, one comment per (environment, migrations),
// found again through a hidden marker. Pure: no I/O. The body never exceeds the limit given
// (GitHub refuses comments over 65,536 characters): SQL goes first, then table rows, then
// warning lines.

import { headsAdvice, headsProblem } from "../core/heads.js";
import type { PlanStep } from "../core/plan.js";
import { runningLine, versionChangeSql } from "../core/render-sql.js";
import { splitStatements, TRAITS } from "../core/sql.js";
import { cellCode, code, fenced, htmlCode, prose } from "./markdown.js";
import { longIdsText } from "../run/long-ids.js";
import { describeDrift, type PlanResult, type PlanWarning } from "./model.js";

/** Where the comment is shown, beside the plan result it renders. */
export interface CommentFrame {
  /** May be "". */
  readonly environment: string;
  readonly commitSha: string | null;
  readonly retortVersion: string;
  /** Where the full SQL is when the comment cuts it, e.g. "the job summary and the sql-file output". */
  readonly detailsHint: string;
}

/** GitHub's limit is 65,536 characters; stay a little below it. */
export const DEFAULT_COMMENT_LIMIT = 65_000;

/** Text for an attribute value inside an HTML comment: no quote, no `--`, no `>`, no line break
 *  or other control character, and distinct inputs stay distinct (`&` is escaped first). */
function markerValue(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/"/g, "&quot;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\p{Cc}\u2028\u2029]/gu, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/--/g, "-&#45;");
}

/** The hidden line that identifies retort's comment for one environment and migrations
 *  directory. It is always the body's first line, and only there does it count (`carriesMarker`). */
export function commentMarker(environment: string, migrations: string): string {
  return `<!-- retort:plan environment="${markerValue(environment)}" migrations="${markerValue(migrations)}" -->`;
}

/** Whether `body` is the comment `marker` names: its first line is the marker, exactly. A
 *  marker anywhere else (quoted SQL, a message, another tool's text) never counts, so no content
 *  can make one environment's run take another environment's comment. */
export function carriesMarker(body: string, marker: string): boolean {
  const end = body.search(/\r\n|\r|\n/);
  return (end < 0 ? body : body.slice(0, end)) === marker;
}

function headList(heads: readonly string[]): string {
  return heads.length === 0 ? code("base") : heads.map(code).join(", ");
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** One revision's upgrade SQL in the layout of `upgrade --sql`, without BEGIN/COMMIT. */
function stepSql(step: PlanStep, statementsSql: readonly string[], r: PlanResult): string {
  const out = [`-- Running ${runningLine(step)}`];
  for (const sql of statementsSql) {
    if (TRAITS[r.dialect].clientDelimiter && sql.includes(";")) {
      out.push("DELIMITER //", `${sql}//`, "DELIMITER ;");
    } else {
      out.push(`${sql};`);
    }
  }
  for (const change of step.versionChanges) out.push(`${versionChangeSql(change, r.versionTable, r.dialect)};`);
  return out.join("\n\n");
}

interface Pieces {
  readonly head: string;
  readonly pending: boolean;
  readonly tableHead: string;
  readonly rows: readonly string[];
  readonly warnings: readonly string[];
  readonly revisionSql: readonly string[];
  readonly downgrade: string | null;
  readonly footer: string;
  /** The line in place of the table when nothing is pending. */
  readonly idle: string;
  readonly detailsHint: string;
}

interface Cut {
  /** Per-revision SQL sections kept (a prefix). */
  readonly revisionSql: number;
  readonly downgrade: boolean;
  readonly rows: number;
  readonly warnings: number;
}

/** The marker, the title, the facts line and the offline note. */
function heading(r: PlanResult, frame: CommentFrame): string {
  const title = frame.environment === "" ? "retort plan" : `retort plan: ${code(frame.environment)}`;
  const head: string[] = [commentMarker(frame.environment, r.migrations), `### 🧪 ${title}`, ""];
  const meta = [`**Migrations:** ${code(r.migrations)}`];
  if (r.database !== "") meta.push(`**Database:** ${code(r.database)}`);
  meta.push(`**Heads:** ${headList(r.plan.headsBefore)} → ${headList(r.plan.headsAfter)}`);
  head.push(meta.join(" · "), "");
  if (r.offlineNote !== null && r.offlineNote.trim() !== "") {
    head.push("> [!IMPORTANT]", ...r.offlineNote.trim().split(/\r\n|\r|\n/).map((line) => `> ${prose(line)}`), "");
  }
  return head.join("\n").trimEnd();
}

/** One warning line (a list item's text). */
function warningText(w: PlanWarning): string {
  switch (w.kind) {
    case "several-heads":
      if (w.verdict) return `The migrations directory has ${headsProblem(w.verdict, code)}: their revisions run in an order nobody chose. ${headsAdvice(w.verdict, code)}`;
      return (
        `The migrations directory has ${w.heads.length} heads (${w.heads.map(code).join(", ")}): ` +
        `their revisions run in an order nobody chose. Merge them with ${code('retort merge heads -m "merge heads"')}.`
      );
    case "drift":
      return `Drift: ${describeDrift(w.drift, { value: code, verb: "has changed" })}; the database still has the old version.`;
    case "irreversible":
      return `Irreversible: ${code(w.revision.id)} (${code(w.revision.path)}) has no downgrade section; it cannot be rolled back.`;
    case "non-transactional":
      return (
        `Non-transactional: ${code(w.revision.id)} (${code(w.revision.path)}) runs outside a transaction; ` +
        `if it fails part-way, the statements before the failure stay applied.`
      );
    case "implicit-commits":
      return (
        "MySQL/MariaDB commit every DDL statement implicitly: a revision that fails part-way leaves its earlier " +
        "statements applied and the version table unchanged, and needs fixing by hand."
      );
    case "long-ids":
      return longIdsText(w.longIds, code);
    case "unrendered":
      return (
        `Not rendered: Alembic could not render the ${w.direction} SQL of ${code(w.revision.id)} (${code(w.revision.path)}) offline: ` +
        `${code(w.reason)}. Its ${w.direction}() source is shown ${w.direction === "upgrade" ? "instead" : "in the downgrade SQL"}; ` +
        `Alembic runs it online when applied.`
      );
  }
}

/** Each pending revision's table row and collapsed SQL section. */
function stepPieces(r: PlanResult): { rows: string[]; revisionSql: string[] } {
  const rows: string[] = [];
  const revisionSql: string[] = [];
  for (const [i, step] of r.plan.steps.entries()) {
    const rev = step.revision;
    const unrendered = step.section.unrendered;
    const statements = splitStatements(step.section, r.dialect).map((s) => s.sql);
    const flags = [
      ...(rev.downgrade === null ? ["⚠️ irreversible"] : []),
      ...(step.section.transaction ? [] : ["⚠️ non-transactional"]),
      ...(unrendered ? ["⚠️ not rendered"] : []),
    ];
    const count = unrendered ? "not rendered" : `${statements.length}`;
    rows.push(`| ${i + 1} | ${cellCode(rev.id)} | ${cellCode(rev.message)} | ${step.section.transaction ? "transaction" : "no transaction"} | ${count} | ${flags.join(", ")} |`);
    const summary = [htmlCode(rev.id), htmlCode(rev.message), unrendered ? "(not rendered offline)" : `(${plural(statements.length, "statement")})`];
    const body = unrendered
      ? `**Not rendered offline:** ${code(unrendered.reason)}\n\n${step.direction}() of ${code(rev.path)}, which Alembic runs online:\n\n${fenced(unrendered.source, "python")}`
      : fenced(stepSql(step, statements, r), "sql");
    revisionSql.push(`<details><summary>${summary.filter(Boolean).join(" ")}</summary>\n\n${body}\n\n</details>`);
  }
  return { rows, revisionSql };
}

function footer(frame: CommentFrame): string {
  const bits = [`retort ${prose(frame.retortVersion)}`];
  if (frame.commitSha) bits.unshift(`commit ${code(frame.commitSha.slice(0, 7))}`);
  return `---\n<sub>${bits.join(" · ")}</sub>`;
}

function pieces(r: PlanResult, frame: CommentFrame): Pieces {
  const pending = r.plan.steps.length > 0;
  const tableHead = [
    `**${plural(r.plan.steps.length, "pending revision")}** (upgrade to ${code(r.plan.target)}):`,
    "",
    "| # | revision | message | mode | statements | warnings |",
    "|---:|---|---|---|---:|---|",
  ].join("\n");
  const downgrade =
    pending && r.undoSql !== null && r.undoSql.trim() !== ""
      ? `<details><summary>Downgrade SQL (undoes this plan)</summary>\n\n${fenced(r.undoSql, "sql")}\n\n</details>`
      : null;
  return {
    head: heading(r, frame),
    pending,
    tableHead,
    ...stepPieces(r),
    warnings: r.warnings.map(warningText),
    downgrade,
    footer: footer(frame),
    idle: `No pending migrations: the database is at ${headList(r.plan.headsBefore)}.`,
    detailsHint: frame.detailsHint,
  };
}

function assemble(p: Pieces, cut: Cut): string {
  const blocks: string[] = [p.head];
  if (!p.pending) {
    blocks.push(p.idle);
  } else {
    const rows = p.rows.slice(0, cut.rows);
    const omittedRows = p.rows.length - rows.length;
    let table = [p.tableHead, ...rows].join("\n");
    if (omittedRows > 0) table += `\n\n_${plural(omittedRows, "more revision")} omitted to fit GitHub's comment limit._`;
    blocks.push(table);
  }
  if (p.warnings.length > 0) {
    const shown = p.warnings.slice(0, cut.warnings);
    const omitted = p.warnings.length - shown.length;
    const lines = ["#### ⚠️ Warnings", "", ...shown.map((w) => `- ${w}`)];
    if (omitted > 0) lines.push(`- _${plural(omitted, "more warning")} omitted to fit GitHub's comment limit._`);
    blocks.push(lines.join("\n"));
  }
  if (p.pending) {
    const sections = p.revisionSql.slice(0, cut.revisionSql);
    const cutRevisions = p.revisionSql.length - sections.length;
    const cutDowngrade = p.downgrade !== null && !cut.downgrade;
    if (sections.length > 0 || (p.downgrade !== null && cut.downgrade)) blocks.push("#### SQL");
    blocks.push(...sections);
    if (p.downgrade !== null && cut.downgrade) blocks.push(p.downgrade);
    if (cutRevisions > 0 || cutDowngrade) {
      const what: string[] = [];
      if (cutRevisions > 0) {
        what.push(cutRevisions === p.revisionSql.length ? "the upgrade SQL" : `the upgrade SQL of ${cutRevisions} of ${p.revisionSql.length} revisions`);
      }
      if (cutDowngrade) what.push("the downgrade SQL");
      blocks.push(`> ✂️ SQL cut to fit GitHub's comment limit: see ${p.detailsHint} (${what.join(" and ")} left out).`);
    }
  }
  blocks.push(p.footer);
  return `${blocks.join("\n\n")}\n`;
}

/** The largest n in [0, max] for which `fits(n)`, given that fits is monotone and fits(0) is
 *  checked by the caller. */
function largest(max: number, fits: (n: number) => boolean): number {
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The comment body, at most `limit` characters. */
export function renderComment(r: PlanResult, frame: CommentFrame, limit: number = DEFAULT_COMMENT_LIMIT): string {
  const p = pieces(r, frame);
  const all: Cut = { revisionSql: p.revisionSql.length, downgrade: true, rows: p.rows.length, warnings: p.warnings.length };
  const text = (cut: Cut) => assemble(p, cut);
  const fits = (cut: Cut) => text(cut).length <= limit;

  if (fits(all)) return text(all);
  // 1. The SQL: first the downgrade, then upgrade sections from the last revision back.
  const noDowngrade: Cut = { ...all, downgrade: false };
  if (fits(noDowngrade)) return text(noDowngrade);
  const noSql: Cut = { ...noDowngrade, revisionSql: 0 };
  if (fits(noSql)) {
    const keep = largest(p.revisionSql.length, (n) => fits({ ...noSql, revisionSql: n }));
    return text({ ...noSql, revisionSql: keep });
  }
  // 2. Table rows from the end.
  const noRows: Cut = { ...noSql, rows: 0 };
  if (fits(noRows)) {
    const keep = largest(p.rows.length, (n) => fits({ ...noRows, rows: n }));
    return text({ ...noRows, rows: keep });
  }
  // 3. Warning lines from the end (thousands of irreversible revisions, say).
  const noWarnings: Cut = { ...noRows, warnings: 0 };
  if (fits(noWarnings)) {
    const keep = largest(p.warnings.length, (n) => fits({ ...noWarnings, warnings: n }));
    return text({ ...noWarnings, warnings: keep });
  }
  // 4. Even the frame is too long (a huge environment name or note): cut the text itself, at
  // the end of a line. Each line is whole Markdown (no code span or HTML element spans two), so
  // a cut never leaves a span open for what follows it to escape from.
  const note = "\n\n_… cut to fit GitHub's comment limit._\n";
  const whole = text(noWarnings);
  if (limit <= note.length) return whole.slice(0, Math.max(0, limit));
  const kept = whole.slice(0, limit - note.length);
  const lineEnd = kept.lastIndexOf("\n");
  return (lineEnd > 0 ? kept.slice(0, lineEnd) : kept) + note;
}

/** GitHub's job summary takes up to 1 MiB per step; the plan gets all of its SQL within this. */
export const JOB_SUMMARY_LIMIT = 900_000;

/** The Action's job summary: the comment's content with room for all the SQL, and, after an
 *  upgrade or downgrade, a table of the revisions applied and how long each took. */
export function renderJobSummary(r: PlanResult, frame: CommentFrame): string {
  const summary = renderComment(r, frame, JOB_SUMMARY_LIMIT);
  if (r.outcomes.length === 0) return summary;
  const rows = r.outcomes.map((o) => `| ${cellCode(o.step.revision.id)} | ${cellCode(o.step.revision.message)} | ${Math.round(o.durationMs)} ms |`);
  return `${summary}\n\n#### Applied\n\n| revision | message | duration |\n|---|---|---:|\n${rows.join("\n")}\n`;
}
