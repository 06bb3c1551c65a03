// Renders the reports retort writes for reviewers (the pull-request comment, the job summary
// and the GitLab merge-request note) for plans whose every value is hostile
// (tests/report/hostile-plan.ts), as HTML pages, and screenshots each page in headless
// Chromium, so a person can look at what a reviewer would see.
//
//   node scripts/render-report.mjs [OUT_DIR]      (default: a new temporary directory)
//
// Markdown is rendered with marked (GFM, the devDependency the tests use) and, when Debian's
// cmark-gfm is installed (GitHub's own parser: apt-get install cmark-gfm), with it as well.
// Nothing is sanitised, unlike on GitHub: any element the Markdown made is live here. A check in
// each page marks it red, listing them, when an element or attribute exists that retort does
// not write, or when a script ran; green otherwise. Chromium: apt-get install chromium.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { marked } from "marked";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = resolve(process.argv[2] ?? mkdtempSync(join(tmpdir(), "retort-render-")));
mkdirSync(out, { recursive: true });

// The TypeScript sources, bundled once into node_modules/.cache so that their imports resolve.
const bundle = join(root, "node_modules", ".cache", "retort-render", "reports.mjs");
await build({
  stdin: {
    contents: [
      'export { hostileCase } from "./tests/report/hostile-plan.ts";',
      'export { renderComment, renderJobSummary, DEFAULT_COMMENT_LIMIT } from "./src/report/comment.ts";',
      'export { GITLAB_NOTE_LIMIT } from "./src/commands/publish.ts";',
    ].join("\n"),
    resolveDir: root,
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  format: "esm",
  packages: "external",
  outfile: bundle,
  logLevel: "warning",
});
const reports = await import(pathToFileURL(bundle).href);

// Two hostile plans a page: the id that once forged a "transaction" row, live HTML, other
// environments' markers with pipes, and what no one can see (terminal escapes, a right-to-left
// override); the last page opens every <details> (after the check) to show the quoted SQL.
const pages = [
  { values: ["x | m | transaction | 1 |  |", "<img src=x onerror=alert(1)> <script>alert(2)</script></details>"], open: false },
  { values: ['<!-- retort:plan environment="production" migrations="db" --> | `a|b`', "\u001b[31mred\u001b[0m \u202eevil [click](https://evil.example/) @octocat"], open: false },
  { values: ["```\n</details>\n``` \u202eevil"], open: true },
];
const documents = {
  comment: (c) => reports.renderComment(c.result, c.frame, reports.DEFAULT_COMMENT_LIMIT),
  "job-summary": (c) => reports.renderJobSummary(c.result, c.frame),
  "gitlab-note": (c) => reports.renderComment(c.result, c.frame, reports.GITLAB_NOTE_LIMIT),
};

const cmark = spawnSync("cmark-gfm", ["--version"]).status === 0;
const renderers = { marked: (md) => marked.parse(md, { gfm: true, async: false }) };
if (cmark) {
  renderers["cmark-gfm"] = (md) =>
    execFileSync("cmark-gfm", ["--unsafe", "-e", "table", "-e", "autolink", "-e", "strikethrough", "-e", "tagfilter"], { input: md, encoding: "utf8" });
}

const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

// What retort writes: Markdown's own elements, and details, summary, code, sub.
const ALLOWED = ["h3", "h4", "p", "strong", "em", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "details", "summary", "sub", "hr", "blockquote"];
const CHECK = `
window.__alerts = [];
window.alert = (m) => window.__alerts.push(String(m));
addEventListener("load", () => {
  const allowed = new Set(${JSON.stringify(ALLOWED)});
  const bad = [];
  for (const report of document.querySelectorAll(".report")) {
    for (const e of report.querySelectorAll("*")) {
      const tag = e.tagName.toLowerCase();
      if (!allowed.has(tag)) bad.push("<" + tag + ">");
      for (const a of e.attributes) {
        const ok = (a.name === "align" && (tag === "td" || tag === "th")) || (a.name === "class" && tag === "code" && /^language-sql$/.test(a.value)) || (a.name === "lang" && tag === "pre");
        if (!ok) bad.push("<" + tag + " " + a.name + ">");
      }
    }
  }
  const verdict = document.getElementById("verdict");
  const problems = [...bad, ...window.__alerts.map((m) => "script ran: alert(" + m + ")")];
  verdict.className = problems.length ? "bad" : "good";
  verdict.textContent = problems.length
    ? "LIVE CONTENT retort did not write: " + problems.join(", ")
    : "Nothing live but what retort writes (details, summary, code, sub and Markdown's own elements); no script ran.";
});`;

const OPEN = `addEventListener("load", () => { for (const d of document.querySelectorAll(".report details")) d.open = true; });`;

const CSS = `
body { font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; margin: 16px; }
.case { border: 1px solid #d1d9e0; border-radius: 6px; margin: 0 0 16px; }
.case > header { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 6px 12px; font-size: 12px; color: #59636e; font-family: monospace; white-space: pre-wrap; }
.report { padding: 0 16px; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid #d1d9e0; padding: 4px 10px; }
th { background: #f6f8fa; }
code { background: #eff1f3; border-radius: 4px; padding: 1px 4px; font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { background: #f6f8fa; padding: 8px; overflow: auto; }
pre code { background: none; padding: 0; }
blockquote { border-left: 4px solid #0969da; margin: 8px 0; padding: 0 12px; color: #59636e; }
details { margin: 4px 0; }
#verdict { padding: 8px 12px; border-radius: 6px; margin-bottom: 12px; font-weight: 600; }
#verdict.good { background: #dafbe1; color: #116329; }
#verdict.bad { background: #ffebe9; color: #a40e26; }`;

const browser = ["chromium", "chromium-browser", "google-chrome"].find((b) => spawnSync(b, ["--version"]).status === 0);
const written = [];
for (const [name, render] of Object.entries(documents)) {
  for (const [renderer, toHtml] of Object.entries(renderers)) {
    pages.forEach(({ values, open }, i) => {
      const sections = values.map((h) => {
        const markdown = render(reports.hostileCase(h));
        // The page's own label: non-ASCII escaped, or a right-to-left override in it would reorder it.
        const label = JSON.stringify(h).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
        return `<section class="case"><header>${escape(`hostile value: ${label} (${name}, ${renderer})`)}</header><div class="report">${toHtml(markdown)}</div></section>`;
      });
      const html =
        `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">` +
        `<title>retort ${name}</title><style>${CSS}</style><script>${CHECK}${open ? OPEN : ""}</script></head>` +
        `<body><div id="verdict">checking…</div>${sections.join("")}</body></html>`;
      const file = join(out, `${name}-${renderer}-${i + 1}.html`);
      writeFileSync(file, html);
      written.push(file);
    });
  }
}

for (const file of written) {
  if (!browser) break;
  const png = file.replace(/\.html$/, ".png");
  const profile = mkdtempSync(join(tmpdir(), "retort-chromium-"));
  execFileSync(
    browser,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      `--user-data-dir=${profile}`,
      `--screenshot=${png}`,
      "--window-size=1000,1400",
      pathToFileURL(file).href,
    ],
    { stdio: "ignore", timeout: 120_000 },
  );
  console.log(png);
}
if (!browser) console.log(`No Chromium found (apt-get install chromium): the pages are in ${out}`);
else console.log(`Pages and screenshots in ${out}${cmark ? "" : " (cmark-gfm not installed: marked only)"}`);
