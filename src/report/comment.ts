// The pull-request comment: the plan as Markdown, one comment per (environment, migrations),
// found again through a hidden marker. Pure: no I/O. The body never exceeds the limit given
// (GitHub refuses comments over 65,536 characters): SQL goes first, then table rows, then
// warning lines.

import type { Plan, PlanStep } from "../core/plan.js";
import { runningLine, versionChangeSql } from "../core/render-sql.js";
import { splitStatements, TRAITS, type Dialect, type VersionTable } from "../core/sql.js";
import type { Drift } from "../run/runner.js";

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

/** Text for an attribute value inside an HTML comment: no quote, no `--`, no line break, and
 *  distinct inputs stay distinct (`&` is escaped first). */
function markerValue(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/"/g, "&quot;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r/g, "&#13;")
    .replace(/\n/g, "&#10;")
    .replace(/--/g, "-&#45;");
}

/** The hidden line that identifies retort's comment for one environment and migrations directory. */
export function commentMarker(environment: string, migrations: string): string {
  return `<!-- retort:plan environment="${markerValue(environment)}" migrations="${markerValue(migrations)}" -->`;
}

/** An inline code span that no backtick in `text` can close early. */
function code(text: string): string {
  const oneLine = text.replace(/\r?\n/g, " ");
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = "`".repeat(longest + 1);
  const pad = oneLine.startsWith("`") || oneLine.endsWith("`") ? " " : "";
  return `${ticks}${pad}${oneLine}${pad}${ticks}`;
}

/** A fenced block that no run of backticks inside `text` can close. */
function fenced(text: string, info: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text.trimEnd()}\n${fence}`;
}

function html(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A Markdown table cell: one line, no `|` that would end it, no HTML. */
function cell(text: string): string {
  return html(text)
    .replace(/\r?\n|\r/g, " ")
    .replace(/\|/g, "\\|")
    .trim();
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
  const title = input.environment === "" ? "retort plan" : `retort plan: ${input.environment.replace(/\r?\n|\r/g, " ")}`;
  const head: string[] = [commentMarker(input.environment, input.migrations), `### 🧪 ${title}`, ""];
  const meta = [`**Migrations:** ${code(input.migrations)}`];
  if (input.database !== "") meta.push(`**Database:** ${code(input.database)}`);
  meta.push(`**Heads:** ${headList(plan.headsBefore)} → ${headList(plan.headsAfter)}`);
  head.push(meta.join(" · "), "");
  if (input.offlineNote !== null && input.offlineNote.trim() !== "") {
    head.push("> [!IMPORTANT]", ...input.offlineNote.trim().split(/\r?\n/).map((line) => `> ${line}`), "");
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
      `Drift: ${code(d.revision)} (${code(d.path)}) has changed since it was applied on ${html(d.appliedAt)}; ` +
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
      `| ${i + 1} | ${code(rev.id)} | ${cell(rev.message)} | ${step.section.transaction ? "transaction" : "no transaction"} | ` +
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
    const summary = `<code>${html(rev.id)}</code> ${html(rev.message.replace(/\r?\n|\r/g, " "))} (${plural(statements.length, "statement")})`;
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
  const footerBits = [`retort ${html(input.retortVersion)}`];
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
  // 4. Even the frame is too long (a huge environment name or note): cut the text itself.
  const note = "\n\n_… cut to fit GitHub's comment limit._\n";
  const frame = text(noWarnings);
  return limit > note.length ? frame.slice(0, limit - note.length) + note : frame.slice(0, Math.max(0, limit));
}
