// A plan result as text, Markdown, JSON or SQL (`retort plan --format`).

import { requireNativeSql } from "../core/plan.js";
import { renderPlanSql, runningLine, versionChangeSql } from "../core/render-sql.js";
import { splitStatements } from "../core/sql.js";
import { longIdsText } from "../run/long-ids.js";
import { cellCode, code, fenced, htmlCode } from "./markdown.js";
import { describeDrift, type PlanResult } from "./model.js";

export type PlanFormat = "text" | "markdown" | "json" | "sql";
export const PLAN_FORMATS: readonly PlanFormat[] = ["text", "markdown", "json", "sql"];

function pendingRows(r: PlanResult) {
  return r.plan.steps.map((s, i) => {
    const u = s.section.unrendered;
    return {
      revision: s.revision.id,
      message: s.revision.message,
      path: s.revision.path,
      direction: s.direction,
      transaction: s.section.transaction,
      // Not known where Alembic could not render the SQL: never a count of 0.
      statements: u ? null : splitStatements(s.section, r.dialect).length,
      checksum: r.checksums[i]!,
      version_changes: s.versionChanges.map((c) => versionChangeSql(c, r.versionTable, r.dialect)),
      ...(u ? { rendered: false, reason: u.reason, source: u.source } : {}),
    };
  });
}

/** The plan's unrendered revisions: what a reviewer must read as Python, not SQL. */
function unrenderedWarnings(r: PlanResult) {
  return r.warnings.flatMap((w) => (w.kind === "unrendered" ? [w] : []));
}

type Row = ReturnType<typeof pendingRows>[number];

function json(r: PlanResult, rows: readonly Row[], sql: string): string {
  const doc = {
    database: r.database,
    direction: r.plan.direction,
    current: r.plan.headsBefore,
    target: r.plan.target,
    heads_after: r.plan.headsAfter,
    pending: rows,
    drift: r.drift.map((d) => ({ revision: d.revision, path: d.path, applied_at: d.appliedAt })),
    sql,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function markdown(r: PlanResult, rows: readonly Row[], sql: string): string {
  // Every value in a code span (see markdown.ts): nothing a revision, the database or the
  // user wrote can add a cell, a link or HTML to the report.
  const heads = (ids: readonly string[]) => (ids.length === 0 ? `${code("base")} (empty)` : ids.map(code).join(", "));
  const lines = [
    `### retort plan: ${heads(r.plan.headsBefore)} → ${heads(r.plan.headsAfter)}`,
    "",
    `Database ${code(r.database)}, target ${code(r.plan.target)}: ${rows.length === 0 ? "nothing to do." : `${rows.length} pending revision(s).`}`,
    "",
  ];
  if (rows.length > 0) {
    lines.push("| revision | message | transaction | statements |", "|---|---|---|---:|");
    for (const p of rows) lines.push(`| ${cellCode(p.revision)} | ${cellCode(p.message)} | ${p.transaction ? "yes" : "no"} | ${p.statements ?? "not rendered"} |`);
    lines.push("", "<details><summary>SQL</summary>", "", fenced(sql, "sql"), "", "</details>", "");
    for (const p of rows) {
      if (p.rendered !== false) continue;
      lines.push(`<details><summary>${htmlCode(p.revision)} ${p.direction}() (not rendered offline)</summary>`, "", fenced(p.source ?? "", "python"), "", "</details>", "");
    }
  }
  for (const d of r.drift) lines.push(`> **Drift:** ${describeDrift(d, { value: code })}.`);
  for (const w of unrenderedWarnings(r)) {
    lines.push(`> **Not rendered:** Alembic could not render the ${w.direction} SQL of ${code(w.revision.id)} offline: ${code(w.reason)}; its ${w.direction}() source is shown instead.`);
  }
  for (const w of r.warnings) if (w.kind === "long-ids") lines.push(`> **Warning:** ${longIdsText(w.longIds, code)}`);
  return `${lines.join("\n")}\n`;
}

function text(r: PlanResult, rows: readonly Row[]): string {
  const current = r.plan.headsBefore.join(", ") || "base (empty)";
  const after = r.plan.headsAfter.join(", ") || "base (empty)";
  const lines = [`Database: ${r.database}`, `Current:  ${current}`, `Target:   ${r.plan.target} (${after})`];
  if (rows.length === 0) lines.push("Nothing to do.");
  else {
    lines.push(`Pending:  ${rows.length} revision(s)`);
    for (const [i, p] of rows.entries()) {
      const mode = p.transaction ? "" : ", outside a transaction";
      const count = p.rendered === false ? "NOT RENDERED offline" : `${p.statements} statement(s)`;
      lines.push(`  -- Running ${runningLine(r.plan.steps[i]!)}, ${p.message} (${count}${mode})`);
      if (p.rendered === false) lines.push(...(p.source ?? "").split(/\r\n|\r|\n/).map((l) => `       | ${l}`));
    }
  }
  for (const d of r.drift) lines.push(`Drift:    ${describeDrift(d)}`);
  for (const w of unrenderedWarnings(r)) {
    lines.push(`Warning:  ${w.revision.id}: Alembic could not render its ${w.direction} SQL offline (${w.reason}); its ${w.direction}() source is shown above.`);
  }
  for (const w of r.warnings) if (w.kind === "long-ids") lines.push(`Warning:  ${longIdsText(w.longIds)}`);
  return `${lines.join("\n")}\n`;
}

export function renderPlan(r: PlanResult, format: PlanFormat): string {
  requireNativeSql(r.plan);
  const sql = renderPlanSql(r.plan, { dialect: r.dialect, versionTable: r.versionTable });
  const rows = pendingRows(r);
  switch (format) {
    case "sql":
      return sql;
    case "json":
      return json(r, rows, sql);
    case "markdown":
      return markdown(r, rows, sql);
    case "text":
      return text(r, rows);
  }
}
