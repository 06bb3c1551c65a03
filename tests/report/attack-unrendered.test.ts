// Attacks through the Python source a plan shows for an Alembic revision not rendered offline
// (alembic/python-source.ts into report/*): a 200 KB revision file whose function and module
// hold fences, `</details>`, retort's own comment marker, HTML, bidi controls, CRLF and tabs,
// shown whole (it rebinds upgrade). The comment stays within GitHub's limit and, rendered as
// GFM, holds only retort's elements and its one marker; the job summary shows the source exactly.

import { describe, expect, it } from "vitest";
import { revisionSource } from "../../src/alembic/python-source.js";
import { carriesMarker, commentMarker, DEFAULT_COMMENT_LIMIT, renderComment, renderJobSummary } from "../../src/report/comment.js";
import { visible } from "../../src/report/markdown.js";
import { planResult } from "../../src/report/model.js";
import { FOREIGN_MARKERS, hostileCase } from "./hostile-plan.js";
import { all, comments, parseHtml, renderGfm, textOf } from "./html.js";

const ALLOWED = new Set(["h3", "h4", "p", "strong", "em", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "details", "summary", "sub", "hr", "blockquote"]);

const HOSTILE_LINES = [
  "```",
  "````python",
  "</details>",
  "</pre></code>",
  FOREIGN_MARKERS[0]!,
  "<!-- retort:plan {\"environment\": \"production\"} -->",
  "<script>alert(1)</script><img src=x onerror=alert(1)>",
  "\u202eevil\u202c \u2066isolate\u2069 zero\u200bwidth",
  "::error::forged",
  "\ttabbed\r",
];

function hostileFile(): string {
  const filler = Array.from({ length: 5_000 }, (_, i) => `    # ${i}: ${HOSTILE_LINES[i % HOSTILE_LINES.length]}`).join("\r\n");
  return [
    '"""hostile data migration"""',
    "from alembic import op",
    "",
    "",
    "def upgrade():",
    '    op.execute("""',
    ...HOSTILE_LINES,
    '""")',
    filler,
    "    op.get_bind().execute('SELECT 1').fetchall()",
    "",
    "",
    "def _other():",
    '    op.execute("DROP TABLE users")',
    "",
    "",
    "upgrade = _other",
    "",
  ].join("\r\n");
}

describe("an unrendered revision's source, hostile and 200 KB", () => {
  const text = hostileFile();
  const source = revisionSource(text, "upgrade");
  const c = hostileCase("h");
  const steps = c.result.plan.steps.map((s, i) => (i === 1 ? { ...s, section: { ...s.section, sql: "", verbatim: true, unrendered: { reason: "AttributeError: 'NoneType' object has no attribute 'fetchall'", source } } } : s));
  const result = planResult({ ...c.result, plan: { ...c.result.plan, steps } }, () => "c");

  it("is the whole file, saying why (upgrade is rebound to a function that drops a table)", () => {
    expect(text.length).toBeGreaterThan(100_000);
    expect(source.split("\n")[0]).toMatch(/^# retort: line \d+ names upgrade outside its def/);
    expect(source).toContain("upgrade = _other");
    expect(source).toContain('op.execute("DROP TABLE users")');
  });

  it("the comment stays within GitHub's limit, with retort's elements and marker only", () => {
    const body = renderComment(result, c.frame);
    expect(body.length).toBeLessThanOrEqual(DEFAULT_COMMENT_LIMIT);
    expect(carriesMarker(body, commentMarker("h", c.result.migrations))).toBe(true);
    const dom = parseHtml(renderGfm(body));
    for (const e of all(dom)) expect(ALLOWED, `<${e.tag}>`).toContain(e.tag);
    expect(comments(dom)).toEqual([commentMarker("h", c.result.migrations).slice(4, -3)]);
  });

  it("the job summary shows the whole source in one code block, exactly but for invisible characters", () => {
    const summary = renderJobSummary(result, c.frame);
    const dom = parseHtml(renderGfm(summary));
    for (const e of all(dom)) expect(ALLOWED, `<${e.tag}>`).toContain(e.tag);
    expect(comments(dom)).toHaveLength(1);
    const pre = all(dom, "pre").map(textOf);
    expect(pre).toContain(`${visible(source).replace(/\r\n?/g, "\n")}\n`);
    expect(summary).not.toMatch(/[\u202e\u2066\u200b]/);
  });
});
