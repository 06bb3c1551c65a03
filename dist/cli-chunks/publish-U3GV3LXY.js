#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  cellCode,
  code,
  describeDrift,
  fenced,
  headsAdvice,
  headsProblem,
  htmlCode,
  longIdsText,
  prose,
  runningLine,
  versionChangeSql
} from "./chunk-P5SDKHTP.js";
import {
  TRAITS,
  splitStatements
} from "./chunk-R35MOS62.js";
import {
  RetortError
} from "./chunk-L5Z724Z2.js";
import "./chunk-KTFMP3DX.js";

// src/commands/publish.ts
import { readFileSync } from "node:fs";

// src/report/comment.ts
var DEFAULT_COMMENT_LIMIT = 65e3;
function markerValue(value2) {
  return value2.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/[\p{Cc}\u2028\u2029]/gu, (c) => `&#${c.charCodeAt(0)};`).replace(/--/g, "-&#45;");
}
function commentMarker(environment, migrations) {
  return `<!-- retort:plan environment="${markerValue(environment)}" migrations="${markerValue(migrations)}" -->`;
}
function carriesMarker(body, marker) {
  const end = body.search(/\r\n|\r|\n/);
  return (end < 0 ? body : body.slice(0, end)) === marker;
}
function headList(heads) {
  return heads.length === 0 ? code("base") : heads.map(code).join(", ");
}
function plural(n, word, many = `${word}s`) {
  return `${n} ${n === 1 ? word : many}`;
}
function stepSql(step, statementsSql, r) {
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
function heading(r, frame) {
  const title = frame.environment === "" ? "retort plan" : `retort plan: ${code(frame.environment)}`;
  const head = [commentMarker(frame.environment, r.migrations), `### \u{1F9EA} ${title}`, ""];
  const meta = [`**Migrations:** ${code(r.migrations)}`];
  if (r.database !== "") meta.push(`**Database:** ${code(r.database)}`);
  meta.push(`**Heads:** ${headList(r.plan.headsBefore)} \u2192 ${headList(r.plan.headsAfter)}`);
  head.push(meta.join(" \xB7 "), "");
  if (r.offlineNote !== null && r.offlineNote.trim() !== "") {
    head.push("> [!IMPORTANT]", ...r.offlineNote.trim().split(/\r\n|\r|\n/).map((line) => `> ${prose(line)}`), "");
  }
  return head.join("\n").trimEnd();
}
function warningText(w) {
  switch (w.kind) {
    case "several-heads":
      if (w.verdict) return `The migrations directory has ${headsProblem(w.verdict, code)}: their revisions run in an order nobody chose. ${headsAdvice(w.verdict, code)}`;
      return `The migrations directory has ${w.heads.length} heads (${w.heads.map(code).join(", ")}): their revisions run in an order nobody chose. Merge them with ${code('retort merge heads -m "merge heads"')}.`;
    case "drift":
      return `Drift: ${describeDrift(w.drift, { value: code, verb: "has changed" })}; the database still has the old version.`;
    case "irreversible":
      return `Irreversible: ${code(w.revision.id)} (${code(w.revision.path)}) has no downgrade section; it cannot be rolled back.`;
    case "non-transactional":
      return `Non-transactional: ${code(w.revision.id)} (${code(w.revision.path)}) runs outside a transaction; if it fails part-way, the statements before the failure stay applied.`;
    case "implicit-commits":
      return "MySQL/MariaDB commit every DDL statement implicitly: a revision that fails part-way leaves its earlier statements applied and the version table unchanged, and needs fixing by hand.";
    case "long-ids":
      return longIdsText(w.longIds, code);
    case "unrendered":
      return `Not rendered: Alembic could not render the ${w.direction} SQL of ${code(w.revision.id)} (${code(w.revision.path)}) offline: ${code(w.reason)}. Its ${w.direction}() source is shown ${w.direction === "upgrade" ? "instead" : "in the downgrade SQL"}; Alembic runs it online when applied.`;
  }
}
function stepPieces(r) {
  const rows = [];
  const revisionSql = [];
  for (const [i, step] of r.plan.steps.entries()) {
    const rev = step.revision;
    const unrendered = step.section.unrendered;
    const statements = splitStatements(step.section, r.dialect).map((s) => s.sql);
    const flags = [
      ...rev.downgrade === null ? ["\u26A0\uFE0F irreversible"] : [],
      ...step.section.transaction ? [] : ["\u26A0\uFE0F non-transactional"],
      ...unrendered ? ["\u26A0\uFE0F not rendered"] : []
    ];
    const count = unrendered ? "not rendered" : `${statements.length}`;
    rows.push(`| ${i + 1} | ${cellCode(rev.id)} | ${cellCode(rev.message)} | ${step.section.transaction ? "transaction" : "no transaction"} | ${count} | ${flags.join(", ")} |`);
    const summary = [htmlCode(rev.id), htmlCode(rev.message), unrendered ? "(not rendered offline)" : `(${plural(statements.length, "statement")})`];
    const body = unrendered ? `**Not rendered offline:** ${code(unrendered.reason)}

${step.direction}() of ${code(rev.path)}, which Alembic runs online:

${fenced(unrendered.source, "python")}` : fenced(stepSql(step, statements, r), "sql");
    revisionSql.push(`<details><summary>${summary.filter(Boolean).join(" ")}</summary>

${body}

</details>`);
  }
  return { rows, revisionSql };
}
function footer(frame) {
  const bits = [`retort ${prose(frame.retortVersion)}`];
  if (frame.commitSha) bits.unshift(`commit ${code(frame.commitSha.slice(0, 7))}`);
  return `---
<sub>${bits.join(" \xB7 ")}</sub>`;
}
function pieces(r, frame) {
  const pending = r.plan.steps.length > 0;
  const tableHead = [
    `**${plural(r.plan.steps.length, "pending revision")}** (upgrade to ${code(r.plan.target)}):`,
    "",
    "| # | revision | message | mode | statements | warnings |",
    "|---:|---|---|---|---:|---|"
  ].join("\n");
  const downgrade = pending && r.undoSql !== null && r.undoSql.trim() !== "" ? `<details><summary>Downgrade SQL (undoes this plan)</summary>

${fenced(r.undoSql, "sql")}

</details>` : null;
  return {
    head: heading(r, frame),
    pending,
    tableHead,
    ...stepPieces(r),
    warnings: r.warnings.map(warningText),
    downgrade,
    footer: footer(frame),
    idle: `No pending migrations: the database is at ${headList(r.plan.headsBefore)}.`,
    detailsHint: frame.detailsHint
  };
}
function assemble(p, cut) {
  const blocks = [p.head];
  if (!p.pending) {
    blocks.push(p.idle);
  } else {
    const rows = p.rows.slice(0, cut.rows);
    const omittedRows = p.rows.length - rows.length;
    let table = [p.tableHead, ...rows].join("\n");
    if (omittedRows > 0) table += `

_${plural(omittedRows, "more revision")} omitted to fit GitHub's comment limit._`;
    blocks.push(table);
  }
  if (p.warnings.length > 0) {
    const shown2 = p.warnings.slice(0, cut.warnings);
    const omitted = p.warnings.length - shown2.length;
    const lines = ["#### \u26A0\uFE0F Warnings", "", ...shown2.map((w) => `- ${w}`)];
    if (omitted > 0) lines.push(`- _${plural(omitted, "more warning")} omitted to fit GitHub's comment limit._`);
    blocks.push(lines.join("\n"));
  }
  if (p.pending) {
    const sections = p.revisionSql.slice(0, cut.revisionSql);
    const cutRevisions = p.revisionSql.length - sections.length;
    const cutDowngrade = p.downgrade !== null && !cut.downgrade;
    if (sections.length > 0 || p.downgrade !== null && cut.downgrade) blocks.push("#### SQL");
    blocks.push(...sections);
    if (p.downgrade !== null && cut.downgrade) blocks.push(p.downgrade);
    if (cutRevisions > 0 || cutDowngrade) {
      const what = [];
      if (cutRevisions > 0) {
        what.push(cutRevisions === p.revisionSql.length ? "the upgrade SQL" : `the upgrade SQL of ${cutRevisions} of ${p.revisionSql.length} revisions`);
      }
      if (cutDowngrade) what.push("the downgrade SQL");
      blocks.push(`> \u2702\uFE0F SQL cut to fit GitHub's comment limit: see ${p.detailsHint} (${what.join(" and ")} left out).`);
    }
  }
  blocks.push(p.footer);
  return `${blocks.join("\n\n")}
`;
}
function largest(max, fits) {
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
function renderComment(r, frame, limit = DEFAULT_COMMENT_LIMIT) {
  const p = pieces(r, frame);
  const all = { revisionSql: p.revisionSql.length, downgrade: true, rows: p.rows.length, warnings: p.warnings.length };
  const text = (cut) => assemble(p, cut);
  const fits = (cut) => text(cut).length <= limit;
  if (fits(all)) return text(all);
  const noDowngrade = { ...all, downgrade: false };
  if (fits(noDowngrade)) return text(noDowngrade);
  const noSql = { ...noDowngrade, revisionSql: 0 };
  if (fits(noSql)) {
    const keep = largest(p.revisionSql.length, (n) => fits({ ...noSql, revisionSql: n }));
    return text({ ...noSql, revisionSql: keep });
  }
  const noRows = { ...noSql, rows: 0 };
  if (fits(noRows)) {
    const keep = largest(p.rows.length, (n) => fits({ ...noRows, rows: n }));
    return text({ ...noRows, rows: keep });
  }
  const noWarnings = { ...noRows, warnings: 0 };
  if (fits(noWarnings)) {
    const keep = largest(p.warnings.length, (n) => fits({ ...noWarnings, warnings: n }));
    return text({ ...noWarnings, warnings: keep });
  }
  const note = "\n\n_\u2026 cut to fit GitHub's comment limit._\n";
  const whole = text(noWarnings);
  if (limit <= note.length) return whole.slice(0, Math.max(0, limit));
  const kept = whole.slice(0, limit - note.length);
  const lineEnd = kept.lastIndexOf("\n");
  return (lineEnd > 0 ? kept.slice(0, lineEnd) : kept) + note;
}

// src/report/github-client.ts
var GITHUB_REQUEST_TIMEOUT_MS = 3e4;
var GitHubTimeoutError = class extends RetortError {
  constructor(method, url, timeoutMs) {
    let path = url;
    try {
      path = new URL(url).pathname;
    } catch {
    }
    super("connection", `GitHub did not answer ${method} ${path} within ${timeoutMs % 1e3 === 0 ? `${timeoutMs / 1e3} s` : `${timeoutMs} ms`}`);
    this.name = "GitHubTimeoutError";
  }
};
var GitHubHostError = class extends RetortError {
  constructor(apiOrigin, url) {
    let origin = "another host";
    try {
      origin = new URL(url).origin;
    } catch {
    }
    super(
      "connection",
      `GitHub's answer pointed retort to ${origin}, which is not the API's host (${apiOrigin}): retort sends its token only to the API and stopped (GITHUB_API_URL names the API).`
    );
    this.name = "GitHubHostError";
  }
};
var quiet = () => void 0;
async function githubClient(token, options = {}) {
  const { getOctokit } = await import("@actions/github");
  const log = { debug: quiet, info: quiet, warn: quiet, error: quiet };
  const octokit = getOctokit(token, { log, ...options.baseUrl ? { baseUrl: options.baseUrl } : {} });
  const timeoutMs = options.timeoutMs ?? GITHUB_REQUEST_TIMEOUT_MS;
  const apiOrigin = new URL(octokit.request.endpoint.DEFAULTS.baseUrl).origin;
  const foreign = (url) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(url) && originOf(url) !== apiOrigin;
  octokit.hook.wrap("request", async (request, endpoint) => {
    if (foreign(String(endpoint.url))) throw new GitHubHostError(apiOrigin, String(endpoint.url));
    const signal = AbortSignal.timeout(timeoutMs);
    endpoint.request = { ...endpoint.request, signal, log };
    try {
      const response = await request(endpoint);
      if (signal.aborted) throw new GitHubTimeoutError(String(endpoint.method), String(endpoint.url), timeoutMs);
      if (response.url && foreign(response.url)) throw new GitHubHostError(apiOrigin, response.url);
      return response;
    } catch (error) {
      if (signal.aborted) throw new GitHubTimeoutError(String(endpoint.method), String(endpoint.url), timeoutMs);
      const answered = error.response?.url;
      if (typeof answered === "string" && foreign(answered)) throw new GitHubHostError(apiOrigin, answered);
      throw error;
    }
  });
  return octokit;
}
function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

// src/report/upsert.ts
var MAX_COMMENT_PAGES = 1e3;
var TooManyPagesError = class extends RetortError {
  constructor(where3, noun, pages) {
    super(
      "connection",
      `More than ${pages} pages of ${noun}s on ${where3}; retort stopped looking for its ${noun} and wrote none (a new one could duplicate it).`
    );
    this.name = "TooManyPagesError";
  }
};
var normalize = (body) => body.replace(/\r\n/g, "\n");
async function findOurs(host, marker, maxPages) {
  const ours = await host.author();
  let found;
  let pages = 0;
  for await (const page of host.pages()) {
    if (++pages > maxPages) throw new TooManyPagesError(host.where, host.noun, maxPages);
    for (const c of page) if (carriesMarker(c.body, marker) && ours(c) && (found === void 0 || c.id < found.id)) found = c;
  }
  return found;
}
async function upsert(host, marker, body, options) {
  const ours = await findOurs(host, marker, options.maxPages ?? MAX_COMMENT_PAGES);
  if (ours !== void 0) {
    if (normalize(ours.body) === normalize(body)) return { action: "unchanged", url: ours.url };
    const answer2 = await host.update(ours, body);
    if (answer2.kind === "written") return { action: "updated", url: answer2.url };
    if (answer2.kind === "no-permission") return { action: "forbidden", url: null, message: answer2.message };
  }
  if (!options.createIfMissing) return { action: "not-created", url: null };
  const answer = await host.create(body);
  if (answer.kind === "written") return { action: "created", url: answer.url };
  return { action: "forbidden", url: null, message: answer.message };
}

// src/report/github-comment.ts
var ACTIONS_BOT_LOGIN = "github-actions[bot]";
async function authorLogin(octokit) {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    if (typeof data.login === "string" && data.login !== "") return data.login;
  } catch {
  }
  return ACTIONS_BOT_LOGIN;
}
function statusOf(error) {
  if (typeof error === "object" && error !== null && "status" in error && typeof error.status === "number") return error.status;
  return null;
}
function githubMessage(error) {
  let message = "";
  if (typeof error === "object" && error !== null) {
    const data = "response" in error ? error.response?.data : void 0;
    if (typeof data === "object" && data !== null && "message" in data && typeof data.message === "string") message = data.message;
    else if (error instanceof Error) message = error.message;
  }
  return message.replace(/\b(gh[pousr]_[A-Za-z0-9_]+|github_pat_[A-Za-z0-9_]+)/g, "[REDACTED]");
}
var GitHubApiError = class extends RetortError {
  status;
  constructor(status, message, options) {
    super("connection", message, options);
    this.name = "GitHubApiError";
    this.status = status;
  }
};
function apiError(error, doing) {
  if (error instanceof RetortError) return error;
  const status = statusOf(error);
  const why = githubMessage(error);
  return new GitHubApiError(status, `${status !== null ? `GitHub answered ${status}` : "GitHub was not reached"} when retort tried to ${doing}${why ? ` (${why})` : ""}.`, {
    cause: error
  });
}
function refusal(error) {
  const status = statusOf(error);
  if (status === 401 || status === 403) return "no-permission";
  if (status === 404 || status === 410) return "gone";
  return null;
}
function refused(error, verb, target) {
  const kind = refusal(error);
  if (kind === null) throw apiError(error, `${verb} its comment on ${where(target)}`);
  const why = githubMessage(error);
  return {
    kind,
    message: `GitHub answered ${statusOf(error)} when retort tried to ${verb} its comment on ${where(target)}${why ? ` (${why})` : ""}. A pull request from a fork gets a read-only token; otherwise give the job \`permissions: pull-requests: write\`.`
  };
}
var where = (target) => `${target.owner}/${target.repo}#${target.issueNumber}`;
async function* commentPages(octokit, target) {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100
  });
  try {
    for await (const page of pages) {
      yield page.data.map((c) => ({ id: c.id, body: c.body ?? "", url: c.html_url, login: (c.user?.login ?? "").toLowerCase() }));
    }
  } catch (error) {
    throw apiError(error, `list the comments of ${where(target)}`);
  }
}
function githubHost(octokit, target) {
  const { owner, repo } = target;
  return {
    where: where(target),
    noun: "comment",
    async author() {
      const login = (await authorLogin(octokit)).toLowerCase();
      return (c) => c.login === login;
    },
    pages: () => commentPages(octokit, target),
    async create(body) {
      try {
        const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: target.issueNumber, body });
        return { kind: "written", url: data.html_url };
      } catch (error) {
        return refused(error, "create", target);
      }
    },
    async update(comment, body) {
      try {
        const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: comment.id, body });
        return { kind: "written", url: data.html_url };
      } catch (error) {
        return refused(error, "update", target);
      }
    }
  };
}
function upsertComment(octokit, target, marker, body, options) {
  return upsert(githubHost(octokit, target), marker, body, options);
}

// src/report/gitlab-note.ts
var GitLabApiError = class extends RetortError {
  status;
  constructor(status, message, options) {
    super("connection", message, options);
    this.name = "GitLabApiError";
    this.status = status;
  }
};
var REQUEST_TIMEOUT_MS = 3e4;
function isGitLabBot(author) {
  if (!author) return false;
  if (author.bot === true) return true;
  const username = typeof author.username === "string" ? author.username : "";
  return /^(project|group)_\d+_bot(\d+|_[0-9a-z]+)?$/i.test(username) || /^service_account_/i.test(username);
}
function redact(text, token) {
  let out = text;
  if (token.length >= 4) out = out.split(token).join("[REDACTED]");
  return out.replace(/\bgl[a-z]{2,6}-[A-Za-z0-9_.-]{8,}/g, "[REDACTED]").replace(/\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^\s/?#]*@/g, "$1");
}
var root = (apiUrl) => apiUrl.replace(/\/+$/, "");
function shown(url) {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    return url;
  }
}
function gitlabMessage(answer) {
  let data = null;
  try {
    data = JSON.parse(answer.text);
  } catch {
    const text = answer.text.trim();
    return text.startsWith("<") ? "" : text.slice(0, 300);
  }
  if (typeof data !== "object" || data === null) return "";
  const d = data;
  const flat = (v) => typeof v === "string" ? v : Array.isArray(v) ? v.map(flat).join(", ") : typeof v === "object" && v !== null ? Object.entries(v).map(([k, x]) => `${k} ${flat(x)}`).join("; ") : "";
  const parts = [];
  if (d.message !== void 0) parts.push(flat(d.message));
  if (typeof d.error === "string") parts.push(d.error);
  if (typeof d.error_description === "string") parts.push(d.error_description);
  return parts.filter(Boolean).join(": ").slice(0, 500);
}
function notesPath(target) {
  return `/projects/${encodeURIComponent(target.projectId)}/merge_requests/${encodeURIComponent(target.mergeRequestIid)}/notes`;
}
function where2(target) {
  return `merge request !${target.mergeRequestIid} of project ${target.projectId}`;
}
async function call(target, method, path, body) {
  const url = `${root(target.apiUrl)}${path}`;
  const headers = {
    accept: "application/json",
    [target.tokenKind === "job" ? "JOB-TOKEN" : "PRIVATE-TOKEN"]: target.token
  };
  if (body !== void 0) headers["content-type"] = "application/json";
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === void 0 ? void 0 : JSON.stringify(body),
      redirect: "manual",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
    });
  } catch (error) {
    const why = error instanceof Error ? error.cause instanceof Error ? error.cause.message : error.message : String(error);
    throw new GitLabApiError(null, redact(`Could not reach GitLab at ${shown(root(target.apiUrl))} (${method} ${path}): ${why}`, target.token), {
      cause: error
    });
  }
  const text = await response.text();
  const answer = { status: response.status, headers: response.headers, text };
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get("location") ?? "";
    throw new GitLabApiError(
      response.status,
      redact(
        `GitLab answered ${response.status} to ${method} ${shown(url)} with a redirect${location ? ` to ${shown(location)}` : ""}; retort does not follow it with the token. Give the API address the redirect ends at (CI_API_V4_URL).`,
        target.token
      )
    );
  }
  return answer;
}
function failure(target, method, path, answer) {
  const why = gitlabMessage(answer);
  const hint = answer.status === 401 ? " The token is invalid, expired or revoked, or is a CI job token, which cannot read merge-request notes." : answer.status === 403 ? " The token needs the api scope (read_api to read) and access to the project." : "";
  return new GitLabApiError(
    answer.status,
    redact(`GitLab answered ${answer.status} to ${method} ${shown(root(target.apiUrl))}${path}${why ? `: ${why}` : ""}.${hint}`, target.token)
  );
}
function parseJson(target, method, path, answer) {
  try {
    return JSON.parse(answer.text);
  } catch (error) {
    throw new GitLabApiError(answer.status, `GitLab answered ${method} ${shown(root(target.apiUrl))}${path} with something that is not JSON.`, { cause: error });
  }
}
async function authorUsername(target) {
  const answer = await call(target, "GET", "/user");
  if (answer.status === 401 || answer.status === 403) return null;
  if (answer.status !== 200) throw failure(target, "GET", "/user", answer);
  const data = parseJson(target, "GET", "/user", answer);
  return typeof data?.username === "string" && data.username !== "" ? data.username : null;
}
function nextPage(headers) {
  const header = headers.get("x-next-page")?.trim();
  if (header) return /^\d+$/.test(header) ? Number(header) : null;
  const link = headers.get("link");
  if (!link) return null;
  for (const part of link.split(",")) {
    const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (!m || !/\brel\s*=\s*"?next"?/.test(m[2])) continue;
    try {
      const page = new URL(m[1], "http://x").searchParams.get("page");
      return page && /^\d+$/.test(page) ? Number(page) : null;
    } catch {
      return null;
    }
  }
  return null;
}
function asNote(raw, target) {
  if (typeof raw !== "object" || raw === null) return null;
  const r = raw;
  if (typeof r.id !== "number") return null;
  return {
    id: r.id,
    body: typeof r.body === "string" ? r.body : "",
    url: noteUrl(target, r.id),
    system: r.system === true,
    author: typeof r.author === "object" && r.author !== null ? r.author : null
  };
}
async function* notePages(target) {
  const path = notesPath(target);
  let page = 1;
  for (; ; ) {
    const pagePath = `${path}?per_page=100&page=${page}`;
    const answer = await call(target, "GET", pagePath);
    if (answer.status !== 200) throw failure(target, "GET", pagePath, answer);
    const data = parseJson(target, "GET", pagePath, answer);
    if (!Array.isArray(data)) throw new GitLabApiError(answer.status, `GitLab answered GET ${shown(root(target.apiUrl))}${pagePath} with something that is not a list of notes.`);
    yield data.flatMap((raw) => asNote(raw, target) ?? []);
    const next = nextPage(answer.headers);
    if (next === null || next <= page || data.length === 0) return;
    page = next;
  }
}
function written(target, write, answer) {
  const { method, path, verb } = write;
  const ok = method === "POST" ? answer.status === 201 || answer.status === 200 : answer.status === 200;
  if (ok) return { kind: "written", url: noteUrl(target, writtenId(target, write, answer)) };
  if (answer.status === 401 || answer.status === 403 || answer.status === 404 || answer.status === 410) {
    const kind = answer.status === 401 || answer.status === 403 ? "no-permission" : "gone";
    const why = gitlabMessage(answer);
    const hint = answer.status === 401 ? "The token is invalid, expired or revoked, or is a CI job token, which cannot write merge-request notes" : answer.status === 403 ? "A CI job token cannot write merge-request notes; use a project or personal access token with the api scope" : "The merge request is not there for this token: it was deleted, or the token cannot see its project";
    return { kind, message: redact(`GitLab answered ${answer.status} when retort tried to ${verb} its note on ${where2(target)}${why ? ` (${why})` : ""}. ${hint}.`, target.token) };
  }
  throw failure(target, method, path, answer);
}
function noteUrl(target, id) {
  return target.mergeRequestUrl ? `${target.mergeRequestUrl.replace(/\/+$/, "")}#note_${id}` : null;
}
function writtenId(target, write, answer) {
  const data = parseJson(target, write.method, write.path, answer);
  if (typeof data?.id === "number") return data.id;
  if (write.fallback !== null) return write.fallback;
  throw new GitLabApiError(answer.status, `GitLab answered ${write.method} ${shown(root(target.apiUrl))}${write.path} without the note's id.`);
}
function gitlabHost(target) {
  return {
    where: where2(target),
    noun: "note",
    async author() {
      const username = (await authorUsername(target))?.toLowerCase() ?? null;
      const byAuthor = (note) => username !== null ? typeof note.author?.username === "string" && note.author.username.toLowerCase() === username : isGitLabBot(note.author);
      return (note) => !note.system && byAuthor(note);
    },
    pages: () => notePages(target),
    async create(body) {
      const path = notesPath(target);
      return written(target, { method: "POST", path, verb: "create", fallback: null }, await call(target, "POST", path, { body }));
    },
    async update(note, body) {
      const path = `${notesPath(target)}/${note.id}`;
      return written(target, { method: "PUT", path, verb: "update", fallback: note.id }, await call(target, "PUT", path, { body }));
    }
  };
}
function upsertGitLabNote(target, marker, body, options) {
  return upsert(gitlabHost(target), marker, body, options);
}

// src/commands/publish.ts
var GITLAB_NOTE_LIMIT = 9e5;
var DEFAULT_GITHUB_API_URL = "https://api.github.com";
function value(env, name) {
  const v = env[name]?.trim();
  return v ? v : null;
}
function gitlabFromEnv(env) {
  const iid = value(env, "CI_MERGE_REQUEST_IID");
  const apiUrl = value(env, "CI_API_V4_URL");
  const projectId = value(env, "CI_PROJECT_ID");
  const token = value(env, "RETORT_GITLAB_TOKEN") ?? value(env, "GITLAB_TOKEN");
  if (!iid || !apiUrl || !projectId || !token) return null;
  const mrProject = value(env, "CI_MERGE_REQUEST_PROJECT_ID") ?? projectId;
  const projectUrl = value(env, "CI_MERGE_REQUEST_PROJECT_URL") ?? (mrProject === projectId ? value(env, "CI_PROJECT_URL") : null);
  const jobToken = value(env, "CI_JOB_TOKEN");
  return {
    kind: "gitlab",
    target: {
      apiUrl,
      projectId: mrProject,
      mergeRequestIid: iid,
      token,
      tokenKind: jobToken !== null && token === jobToken ? "job" : "private",
      mergeRequestUrl: projectUrl ? `${projectUrl.replace(/\/+$/, "")}/-/merge_requests/${iid}` : null
    }
  };
}
function githubFromEnv(env) {
  if (value(env, "GITHUB_ACTIONS") !== "true") return null;
  const repository = value(env, "GITHUB_REPOSITORY");
  const eventPath = value(env, "GITHUB_EVENT_PATH");
  const token = value(env, "RETORT_GITHUB_TOKEN") ?? value(env, "GITHUB_TOKEN");
  if (!repository || !eventPath || !token) return null;
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(repository);
  if (!m) return null;
  let event;
  try {
    event = JSON.parse(readFileSync(eventPath, "utf8"));
  } catch {
    return null;
  }
  const number = event?.pull_request?.number;
  if (typeof number !== "number" || !Number.isSafeInteger(number) || number <= 0) return null;
  return {
    kind: "github",
    target: { owner: m[1], repo: m[2], issueNumber: number },
    token,
    apiUrl: (value(env, "GITHUB_API_URL") ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, "")
  };
}
function commentTargetFromEnv(env) {
  return gitlabFromEnv(env) ?? githubFromEnv(env);
}
function describeDestination(dest) {
  return dest.kind === "gitlab" ? `GitLab merge request !${dest.target.mergeRequestIid} of project ${dest.target.projectId}` : `GitHub pull request ${dest.target.owner}/${dest.target.repo}#${dest.target.issueNumber}`;
}
function commentLimit(dest) {
  return dest.kind === "gitlab" ? GITLAB_NOTE_LIMIT : DEFAULT_COMMENT_LIMIT;
}
async function publishComment(dest, marker, body, createIfMissing) {
  if (dest.kind === "gitlab") return upsertGitLabNote(dest.target, marker, body, { createIfMissing });
  try {
    const octokit = await githubClient(dest.token, dest.apiUrl ? { baseUrl: dest.apiUrl } : {});
    return await upsertComment(octokit, dest.target, marker, body, { createIfMissing });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const why = dest.token === "" ? text : text.split(dest.token).join("[REDACTED]");
    if (error instanceof RetortError && why === error.message) throw error;
    const message = error instanceof RetortError ? why : `Could not write the comment on ${describeDestination(dest)}: ${why}.`;
    throw new RetortError(error instanceof RetortError ? error.code : "connection", message, { cause: error });
  }
}
async function commentPlan(dest, plan, scrub) {
  const body = renderComment(plan.result, plan.frame, commentLimit(dest));
  const scrubbed = scrub(body);
  const marker = commentMarker(plan.frame.environment, plan.result.migrations);
  const upsert2 = await publishComment(dest, marker, scrubbed, plan.result.plan.steps.length > 0);
  return { upsert: upsert2, scrubbed: scrubbed !== body };
}
export {
  GITLAB_NOTE_LIMIT,
  commentLimit,
  commentPlan,
  commentTargetFromEnv,
  describeDestination,
  publishComment
};
