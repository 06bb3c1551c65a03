import { describe, expect, it } from "vitest";
import { splitStatements } from "../../src/core/sql.js";
import { GITLAB_NOTE_LIMIT } from "../../src/commands/publish.js";
import { carriesMarker, commentMarker, DEFAULT_COMMENT_LIMIT, JOB_SUMMARY_LIMIT, renderComment, renderJobSummary } from "../../src/report/comment.js";
import { visible } from "../../src/report/markdown.js";
import { planResult } from "../../src/report/model.js";
import { renderPlan } from "../../src/report/plan.js";
import { FOREIGN_MARKERS, HOSTILE, hostileCase, varied, type HostileCase } from "./hostile-plan.js";
import { all, children, comments, parseHtml, renderGfm, textOf, type Element } from "./html.js";

// Every report retort writes for reviewers (the pull-request comment, the GitLab note, the job
// summary and `plan --format markdown`), rendered by a real GFM renderer from a plan whose every
// value is hostile: rows keep their cells, each cell says what it should, warnings stay, and
// no element exists that retort did not write.

/** What the reports are made of: Markdown's own elements and the few retort writes as HTML
 *  (details, summary, code, sub). */
const ALLOWED = new Set(["h3", "h4", "p", "strong", "em", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "details", "summary", "sub", "hr", "blockquote"]);

/** How a value must read: on one line, with what no one could see (terminal escapes, NUL,
 *  bidirectional overrides, zero-width characters) shown as what it is. */
const shown = (s: string) =>
  s
    .replace(/\r\n|\r|\n/g, " ")
    .replace(/(?!\t)[\p{Cc}\p{Cf}\u2028\u2029]/gu, (c) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}]`);

function checkElements(dom: Element): void {
  for (const e of all(dom)) {
    expect(ALLOWED, `<${e.tag}> is not an element retort writes`).toContain(e.tag);
    for (const [name, value] of Object.entries(e.attributes)) {
      const expected = (name === "align" && (e.tag === "th" || e.tag === "td")) || (name === "class" && e.tag === "code" && (value === "language-sql" || value === "language-python"));
      expect(expected, `<${e.tag} ${name}="${value}">`).toBe(true);
    }
  }
}

function rows(table: Element): { head: string[]; body: string[][] } {
  const cells = (tr: Element, tag: string) => children(tr, tag).map(textOf);
  const head = all(children(table, "thead")[0]!, "tr").map((tr) => cells(tr, "th"));
  const body = all(children(table, "tbody")[0] ?? { tag: "tbody", attributes: {}, children: [] }, "tr").map((tr) => cells(tr, "td"));
  expect(head).toHaveLength(1);
  return { head: head[0]!, body };
}

function statements(c: HostileCase, i: number): number {
  return splitStatements(c.result.plan.steps[i]!.section, "postgresql").length;
}

function checkComment(c: HostileCase, markdown: string, applied: boolean): void {
  const h = c.frame.environment;
  const dom = parseHtml(renderGfm(markdown));
  checkElements(dom);
  // The marker is the one comment: hostile text never becomes a live one.
  expect(comments(dom)).toEqual([commentMarker(h, c.result.migrations).slice(4, -3)]);
  expect(carriesMarker(markdown, commentMarker(h, c.result.migrations))).toBe(true);
  for (const foreign of FOREIGN_MARKERS) expect(carriesMarker(markdown, foreign)).toBe(false);

  expect(all(dom, "h3").map(textOf)).toEqual([`🧪 retort plan: ${shown(h)}`]);
  const meta = all(dom, "p").map(textOf).find((t) => t.startsWith("Migrations:"));
  expect(meta).toBe(`Migrations: ${shown(`m/${h}`)} · Database: ${shown(c.result.database)} · Heads: ${shown(h)} → ${shown(`${h}2`)}`);
  // The note is retort's prose, line by line: a value's line breaks stay line breaks in it.
  const spaces = (t: string) => t.replace(/\s+/g, " ").trim();
  expect(all(dom, "blockquote").map(textOf).map(spaces)).toEqual([spaces(`[!IMPORTANT] planned offline from ${shown(h)} (the from input)`)]);

  const tables = all(dom, "table");
  expect(tables).toHaveLength(applied ? 2 : 1);
  const plan = rows(tables[0]!);
  expect(plan.head).toEqual(["#", "revision", "message", "mode", "statements", "warnings"]);
  expect(plan.body).toEqual(c.steps.map((s, i) => [String(i + 1), shown(s.id), shown(s.message), s.mode, String(statements(c, i)), s.flags]));
  if (applied) {
    const done = rows(tables[1]!);
    expect(done.head).toEqual(["revision", "message", "duration"]);
    expect(done.body).toEqual(c.steps.map((s, i) => [shown(s.id), shown(s.message), `${10 + i} ms`]));
  }

  const [id1, id2] = c.steps.map((s) => shown(s.id));
  const [path1] = c.result.plan.steps.map((s) => shown(s.revision.path));
  const warnings = all(dom, "ul").flatMap((ul) => children(ul, "li")).map(textOf);
  expect(warnings).toEqual([
    `The migrations directory has 2 heads (${id1}, ${id2}): their revisions run in an order nobody chose. Merge them with retort merge heads -m "merge heads".`,
    `Drift: ${shown(c.drift[0]!.revision)} (${shown(c.drift[0]!.path)}) has changed since it was applied on ${shown(h)}; the database still has the old version.`,
    `Irreversible: ${id1} (${path1}) has no downgrade section; it cannot be rolled back.`,
    `Non-transactional: ${id1} (${path1}) runs outside a transaction; if it fails part-way, the statements before the failure stay applied.`,
  ]);

  const details = all(dom, "details");
  expect(details.map((d) => children(d, "summary").map(textOf))).toEqual([
    [`${id1} ${shown(c.steps[0]!.message)} (${statements(c, 0)} statement${statements(c, 0) === 1 ? "" : "s"})`],
    [`${id2} ${shown(c.steps[1]!.message)} (1 statement)`],
    ["Downgrade SQL (undoes this plan)"],
  ]);
  // The SQL is shown whole and verbatim, other environments' markers and fences included.
  const sql = all(details[0]!, "pre").map(textOf).join("");
  for (const m of FOREIGN_MARKERS) expect(sql).toContain(`SELECT '${m}';`);
  expect(sql).toContain("SELECT '```' AS fence, '</details>' AS html;");
  expect(all(details[2]!, "pre").map(textOf).join("")).toContain(FOREIGN_MARKERS[0]);
  expect(all(dom, "sub").map(textOf)).toEqual([`commit ${shown(h.slice(0, 7))} · retort ${shown(h)}`]);
}

describe.each(HOSTILE.map((h) => [JSON.stringify(h), h] as const))("hostile values %s", (_name, h) => {
  const c = hostileCase(h);

  it("the pull-request comment keeps every cell, warning and section, and no HTML but retort's", () => {
    const body = renderComment(c.result, c.frame, DEFAULT_COMMENT_LIMIT);
    expect(body).not.toContain("cut to fit");
    checkComment(c, body, false);
  });

  it("the GitLab note too", () => {
    checkComment(c, renderComment(c.result, c.frame, GITLAB_NOTE_LIMIT), false);
  });

  it("the job summary too, with its table of applied revisions", () => {
    checkComment(c, renderJobSummary(c.result, c.frame), true);
    expect(renderJobSummary({ ...c.result, outcomes: [] }, c.frame)).toBe(renderComment(c.result, c.frame, JOB_SUMMARY_LIMIT));
  });

  it("plan --format markdown too", () => {
    const dom = parseHtml(renderGfm(renderPlan(c.result, "markdown")));
    checkElements(dom);
    expect(comments(dom)).toEqual([]);
    expect(all(dom, "h3").map(textOf)).toEqual([`retort plan: ${shown(h)} → ${shown(`${h}2`)}`]);
    expect(all(dom, "p").map(textOf)[0]).toBe(`Database ${shown(c.result.database)}, target ${shown(h)}: 2 pending revision(s).`);
    const [table] = all(dom, "table");
    const { head, body } = rows(table!);
    expect(head).toEqual(["revision", "message", "transaction", "statements"]);
    expect(body).toEqual(c.steps.map((s, i) => [shown(s.id), shown(s.message), i === 0 ? "no" : "yes", String(statements(c, i))]));
    const details = all(dom, "details");
    expect(details.map((d) => children(d, "summary").map(textOf))).toEqual([["SQL"]]);
    expect(all(details[0]!, "pre").map(textOf).join("")).toContain(`SELECT '${FOREIGN_MARKERS[0]}';`);
    expect(all(dom, "blockquote").map(textOf).map((t) => t.trim())).toEqual([
      `Drift: ${shown(`${h}d`)} (${shown(`db/${h}.sql`)}) changed since it was applied on ${shown(h)}.`,
    ]);
  });
});

describe("what no one could see", () => {
  it("terminal escapes, NUL and a right-to-left override read as what they are", () => {
    const c = hostileCase("\u001b[31mred\u001b[0m \u0000 \u202eevil");
    const dom = parseHtml(renderGfm(renderComment(c.result, c.frame)));
    expect(all(dom, "h3").map(textOf)).toEqual(["🧪 retort plan: [U+001B][31mred[U+001B][0m [U+0000] [U+202E]evil"]);
    // In the quoted SQL too: a Trojan-source override would reorder what the reviewer reads.
    const sql = all(all(dom, "details")[0]!, "pre").map(textOf).join("");
    expect(sql).toContain("SELECT '[U+001B][31mred[U+001B][0m [U+0000] [U+202E]evil';");
    expect(sql).not.toContain("\u202e");
    expect(sql).not.toContain("\u001b");
  });
});

describe("a frame too long for the limit", () => {
  it("is cut at a line end, so no half code span lets a huge hostile value out", () => {
    // Values that also go into the marker (environment, migrations) small enough for it to fit.
    const huge = "<img src=x onerror=alert(1)> | ".repeat(3_000);
    const large = "<img src=x onerror=alert(1)> | ".repeat(1_300);
    for (const over of [{ environment: large }, { migrations: large }, { database: huge }, { offlineNote: huge }, { environment: huge }]) {
      const c = varied(hostileCase("x"), over);
      const body = renderComment(c.result, c.frame);
      expect(body.length).toBeLessThanOrEqual(DEFAULT_COMMENT_LIMIT);
      expect(body).toContain("cut to fit GitHub's comment limit");
      checkElements(parseHtml(renderGfm(body)));
      const marker = commentMarker(over.environment ?? "x", over.migrations ?? "m/x");
      // A marker longer than the limit cannot be kept (that comment is then hidden whole).
      expect(carriesMarker(body, marker)).toBe(marker.length < DEFAULT_COMMENT_LIMIT);
    }
  });
});

describe("the old bug, rendered", () => {
  it("an id with `|` once made a non-transactional, irreversible revision read 'transaction' with no warning flag", () => {
    // What the table used to write for such an id, for the record: the renderer agrees it broke.
    const id = "x | m | transaction | 1 |  |";
    const old = `| # | revision | message | mode | statements | warnings |\n|---:|---|---|---|---:|---|\n| 1 | \`${id}\` | m | no transaction | 1 | ⚠️ irreversible |\n`;
    const cells = rows(all(parseHtml(renderGfm(old)), "table")[0]!).body[0]!;
    expect(cells[3]).toBe("transaction");
    expect(cells[5]).toBe("");
    // Now: the same id.
    const c = hostileCase(id);
    const fixed = rows(all(parseHtml(renderGfm(renderComment(c.result, c.frame))), "table")[0]!).body[0]!;
    expect(fixed[3]).toBe("no transaction");
    expect(fixed[5]).toBe("⚠️ irreversible, ⚠️ non-transactional");
  });
});

/** `c` with its second revision one Alembic could not render offline: Alembic's reason and
 *  the revision's Python, both hostile, shown in its place. */
function unrendered(c: HostileCase, h: string): { c: HostileCase; source: string } {
  const source = `def upgrade():\n    op.execute("""${h}""")\n    # \`\`\`\n    # </details>\n    # ${FOREIGN_MARKERS[0]}`;
  const steps = c.result.plan.steps.map((s, i) => (i === 1 ? { ...s, section: { ...s.section, sql: "", verbatim: true, unrendered: { reason: `RuntimeError: ${h}`, source } } } : s));
  const plan = { ...c.result.plan, steps };
  return { c: { ...c, result: planResult({ ...c.result, plan }, () => "c") }, source };
}

describe.each(HOSTILE.map((h) => [JSON.stringify(h), h] as const))("an Alembic revision not rendered offline, hostile values %s", (_name, h) => {
  const { c, source } = unrendered(hostileCase(h), h);
  const reason = `RuntimeError: ${h}`;

  it("the comment, the GitLab note and the job summary mark it, with its reason and its source, and no HTML but retort's", () => {
    for (const body of [renderComment(c.result, c.frame), renderComment(c.result, c.frame, GITLAB_NOTE_LIMIT), renderJobSummary(c.result, c.frame)]) {
      const dom = parseHtml(renderGfm(body));
      checkElements(dom);
      expect(comments(dom)).toEqual([commentMarker(h, c.result.migrations).slice(4, -3)]);
      const row = rows(all(dom, "table")[0]!).body[1]!;
      expect(row.slice(3)).toEqual(["transaction", "not rendered", "⚠️ not rendered"]);
      const warnings = all(dom, "ul").flatMap((ul) => children(ul, "li")).map(textOf);
      expect(warnings.filter((w) => w.startsWith("Not rendered:"))).toEqual([
        `Not rendered: Alembic could not render the upgrade SQL of ${shown(c.steps[1]!.id)} (${shown(c.result.plan.steps[1]!.revision.path)}) offline: ${shown(reason)}. Its upgrade() source is shown instead; Alembic runs it online when applied.`,
      ]);
      const details = all(dom, "details");
      expect(details).toHaveLength(3);
      expect(children(details[1]!, "summary").map(textOf)).toEqual([`${shown(c.steps[1]!.id)} ${shown(c.steps[1]!.message)} (not rendered offline)`]);
      expect(all(details[1]!, "strong").map(textOf)).toEqual(["Not rendered offline:"]);
      expect(all(details[1]!, "pre").map(textOf).join("")).toBe(`${visible(source).replace(/\r\n?/g, "\n")}\n`);
    }
  });

  it("plan --format markdown marks it and shows its source; json and sql carry it as data and comments", () => {
    const dom = parseHtml(renderGfm(renderPlan(c.result, "markdown")));
    checkElements(dom);
    expect(comments(dom)).toEqual([]);
    expect(rows(all(dom, "table")[0]!).body[1]![3]).toBe("not rendered");
    expect(all(dom, "details").map((d) => children(d, "summary").map(textOf))).toEqual([["SQL"], [`${shown(c.steps[1]!.id)} upgrade() (not rendered offline)`]]);
    const json = JSON.parse(renderPlan(c.result, "json")) as { pending: Record<string, unknown>[] };
    expect(json.pending[1]).toMatchObject({ statements: null, rendered: false, reason, source });
    // In SQL, every line of the reason and the source is a comment: none can end one early.
    const sql = renderPlan(c.result, "sql");
    const lines = sql.slice(sql.indexOf("-- retort: NOT RENDERED")).split(/\r\n|\r|\n|\u0085|\u2028|\u2029/);
    const end = lines.findIndex((l) => l === "");
    expect(end).toBeGreaterThan(6);
    expect(lines.slice(0, end).every((l) => l.startsWith("--"))).toBe(true);
  });
});
