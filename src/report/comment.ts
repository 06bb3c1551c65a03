// The pull-request comment: the plan as Markdown, one comment per (environment, migrations),
// found again through a hidden marker. Pure: no I/O. The body never exceeds the limit given
// (GitHub refuses comments over 65,536 characters): SQL goes first, then table rows, then
// warning lines.

import type { Plan, PlanStep } from "../core/plan.js";
import { runningLine, versionChangeSql } from "../core/render-sql.js";
import { splitStatements, TRAITS, type Dialect, type VersionTable } from "../core/sql.js";
import type { Drift, StepOutcome } from "../run/runner.js";
import { cellCode, code, fenced, htmlCode, prose } from "./markdown.js";

export interface CommentInput {
  /** May be "". */
  readonly environment: string;
  /** The migrations directory. */
  readonly migrations: string;
  /** The redacted database target, or "" when planned offline. */
  readonly database: string;
  /** Why the plan ran without a database (a fork's pull request): shown prominently. */
  readonly offlineNote: string | null;
  /** The upgrade plan. */
  readonly plan: Plan;
  /** SQL that would undo the plan, or null. */
  readonly downgradeSql: string | null;
  readonly dialect: Dialect;
  readonly versionTable: VersionTable;
  /** false for MySQL/MariaDB: DDL commits implicitly. */
  readonly transactionalDdl: boolean;
  readonly drift: readonly Drift[];
  /** The migrations directory's heads. */
  readonly heads: readonly string[];
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
function stepSql(step: PlanStep, statementsSql: readonly string[], input: CommentInput): string {
  const out = [`-- Running ${runningLine(step)}`];
  for (const sql of statementsSql) {
    if (TRAITS[input.dialect].clientDelimiter && sql.includes(";")) {
      out.push("DELIMITER //", `${sql}//`, "DELIMITER ;");
    } else {
      out.push(`${sql};`);
    }
  }
  for (const change of step.versionChanges) out.push(`${versionChangeSql(change, input.versionTable, input.dialect)};`);
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
}

interface Cut {
  /** Per-revision SQL sections kept (a prefix). */
  readonly revisionSql: number;
  readonly downgrade: boolean;
  readonly rows: number;
  readonly warnings: number;
}

function pieces(input: CommentInput): Pieces {
  const { plan } = input;
  const title = input.environment === "" ? "retort plan" : `retort plan: ${code(input.environment)}`;
  const head: string[] = [commentMarker(input.environment, input.migrations), `### 🧪 ${title}`, ""];
  const meta = [`**Migrations:** ${code(input.migrations)}`];
  if (input.database !== "") meta.push(`**Database:** ${code(input.database)}`);
  meta.push(`**Heads:** ${headList(plan.headsBefore)} → ${headList(plan.headsAfter)}`);
  head.push(meta.join(" · "), "");
  if (input.offlineNote !== null && input.offlineNote.trim() !== "") {
    head.push("> [!IMPORTANT]", ...input.offlineNote.trim().split(/\r\n|\r|\n/).map((line) => `> ${prose(line)}`), "");
  }

  const pending = plan.steps.length > 0;
  const warnings: string[] = [];
  if (input.heads.length > 1) {
    warnings.push(
      `The migrations directory has ${input.heads.length} heads (${input.heads.map(code).join(", ")}): ` +
        `their revisions run in an order nobody chose. Merge them with ${code('retort merge heads -m "merge heads"')}.`,
    );
  }
  for (const d of input.drift) {
    warnings.push(
      `Drift: ${code(d.revision)} (${code(d.path)}) has changed since it was applied on ${code(d.appliedAt)}; ` +
        `the database still has the old version.`,
    );
  }
  const rows: string[] = [];
  const revisionSql: string[] = [];
  for (const [i, step] of plan.steps.entries()) {
    const rev = step.revision;
    const statements = splitStatements(step.section, input.dialect).map((s) => s.sql);
    const irreversible = rev.downgrade === null;
    const outside = !step.section.transaction;
    const flags = [...(irreversible ? ["⚠️ irreversible"] : []), ...(outside ? ["⚠️ non-transactional"] : [])];
    rows.push(
      `| ${i + 1} | ${cellCode(rev.id)} | ${cellCode(rev.message)} | ${step.section.transaction ? "transaction" : "no transaction"} | ` +
        `${statements.length} | ${flags.join(", ")} |`,
    );
    if (irreversible) {
      warnings.push(`Irreversible: ${code(rev.id)} (${code(rev.path)}) has no downgrade section; it cannot be rolled back.`);
    }
    if (outside) {
      warnings.push(
        `Non-transactional: ${code(rev.id)} (${code(rev.path)}) runs outside a transaction; ` +
          `if it fails part-way, the statements before the failure stay applied.`,
      );
    }
    const summary = [htmlCode(rev.id), htmlCode(rev.message), `(${plural(statements.length, "statement")})`].filter(Boolean).join(" ");
    revisionSql.push(
      `<details><summary>${summary}</summary>\n\n${fenced(stepSql(step, statements, input), "sql")}\n\n</details>`,
    );
  }
  if (pending && !input.transactionalDdl) {
    warnings.push(
      "MySQL/MariaDB commit every DDL statement implicitly: a revision that fails part-way leaves its earlier " +
        "statements applied and the version table unchanged, and needs fixing by hand.",
    );
  }

  const tableHead = [
    `**${plural(plan.steps.length, "pending revision")}** (upgrade to ${code(plan.target)}):`,
    "",
    "| # | revision | message | mode | statements | warnings |",
    "|---:|---|---|---|---:|---|",
  ].join("\n");
  const downgrade =
    pending && input.downgradeSql !== null && input.downgradeSql.trim() !== ""
      ? `<details><summary>Downgrade SQL (undoes this plan)</summary>\n\n${fenced(input.downgradeSql, "sql")}\n\n</details>`
      : null;
  const footerBits = [`retort ${prose(input.retortVersion)}`];
  if (input.commitSha) footerBits.unshift(`commit ${code(input.commitSha.slice(0, 7))}`);
  return {
    head: head.join("\n").trimEnd(),
    pending,
    tableHead,
    rows,
    warnings,
    revisionSql,
    downgrade,
    footer: `---\n<sub>${footerBits.join(" · ")}</sub>`,
  };
}

function assemble(p: Pieces, input: CommentInput, cut: Cut): string {
  const blocks: string[] = [p.head];
  if (!p.pending) {
    blocks.push(`No pending migrations: the database is at ${headList(input.plan.headsBefore)}.`);
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
      blocks.push(`> ✂️ SQL cut to fit GitHub's comment limit: see ${input.detailsHint} (${what.join(" and ")} left out).`);
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
export function renderComment(input: CommentInput, limit: number = DEFAULT_COMMENT_LIMIT): string {
  const p = pieces(input);
  const all: Cut = { revisionSql: p.revisionSql.length, downgrade: true, rows: p.rows.length, warnings: p.warnings.length };
  const text = (cut: Cut) => assemble(p, input, cut);
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
  const frame = text(noWarnings);
  if (limit <= note.length) return frame.slice(0, Math.max(0, limit));
  const kept = frame.slice(0, limit - note.length);
  const lineEnd = kept.lastIndexOf("\n");
  return (lineEnd > 0 ? kept.slice(0, lineEnd) : kept) + note;
}

/** GitHub's job summary takes up to 1 MiB per step; the plan gets all of its SQL within this. */
export const JOB_SUMMARY_LIMIT = 900_000;

/** The Action's job summary: the comment's content with room for all the SQL, and, after an
 *  upgrade or downgrade, a table of the revisions applied and how long each took. */
export function renderJobSummary(input: CommentInput, applied: readonly StepOutcome[]): string {
  const summary = renderComment(input, JOB_SUMMARY_LIMIT);
  if (applied.length === 0) return summary;
  const rows = applied.map((o) => `| ${cellCode(o.step.revision.id)} | ${cellCode(o.step.revision.message)} | ${Math.round(o.durationMs)} ms |`);
  return `${summary}\n\n#### Applied\n\n| revision | message | duration |\n|---|---|---:|\n${rows.join("\n")}\n`;
}
