#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  DEFAULT_VERSION_TABLE,
  TRAITS,
  createVersionTableSql,
  deleteVersionSql,
  insertVersionSql,
  splitStatements,
  updateVersionSql
} from "./chunk-DKZ2M3U5.js";
import {
  RetortError
} from "./chunk-ORFVBTCF.js";

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

// src/report/comment.ts
var DEFAULT_COMMENT_LIMIT = 65e3;
function markerValue(value) {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/[\p{Cc}\u2028\u2029]/gu, (c) => `&#${c.charCodeAt(0)};`).replace(/--/g, "-&#45;");
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
function stepSql(step, statementsSql, input) {
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
function pieces(input) {
  const { plan } = input;
  const title = input.environment === "" ? "retort plan" : `retort plan: ${code(input.environment)}`;
  const head = [commentMarker(input.environment, input.migrations), `### \u{1F9EA} ${title}`, ""];
  const meta = [`**Migrations:** ${code(input.migrations)}`];
  if (input.database !== "") meta.push(`**Database:** ${code(input.database)}`);
  meta.push(`**Heads:** ${headList(plan.headsBefore)} \u2192 ${headList(plan.headsAfter)}`);
  head.push(meta.join(" \xB7 "), "");
  if (input.offlineNote !== null && input.offlineNote.trim() !== "") {
    head.push("> [!IMPORTANT]", ...input.offlineNote.trim().split(/\r\n|\r|\n/).map((line) => `> ${prose(line)}`), "");
  }
  const pending = plan.steps.length > 0;
  const warnings = [];
  if (input.heads.length > 1) {
    warnings.push(
      `The migrations directory has ${input.heads.length} heads (${input.heads.map(code).join(", ")}): their revisions run in an order nobody chose. Merge them with ${code('retort merge heads -m "merge heads"')}.`
    );
  }
  for (const d of input.drift) {
    warnings.push(
      `Drift: ${code(d.revision)} (${code(d.path)}) has changed since it was applied on ${code(d.appliedAt)}; the database still has the old version.`
    );
  }
  const rows = [];
  const revisionSql = [];
  for (const [i, step] of plan.steps.entries()) {
    const rev = step.revision;
    const statements = splitStatements(step.section, input.dialect).map((s) => s.sql);
    const irreversible = rev.downgrade === null;
    const outside = !step.section.transaction;
    const flags = [...irreversible ? ["\u26A0\uFE0F irreversible"] : [], ...outside ? ["\u26A0\uFE0F non-transactional"] : []];
    rows.push(
      `| ${i + 1} | ${cellCode(rev.id)} | ${cellCode(rev.message)} | ${step.section.transaction ? "transaction" : "no transaction"} | ${statements.length} | ${flags.join(", ")} |`
    );
    if (irreversible) {
      warnings.push(`Irreversible: ${code(rev.id)} (${code(rev.path)}) has no downgrade section; it cannot be rolled back.`);
    }
    if (outside) {
      warnings.push(
        `Non-transactional: ${code(rev.id)} (${code(rev.path)}) runs outside a transaction; if it fails part-way, the statements before the failure stay applied.`
      );
    }
    const summary = [htmlCode(rev.id), htmlCode(rev.message), `(${plural(statements.length, "statement")})`].filter(Boolean).join(" ");
    revisionSql.push(
      `<details><summary>${summary}</summary>

${fenced(stepSql(step, statements, input), "sql")}

</details>`
    );
  }
  if (pending && !input.transactionalDdl) {
    warnings.push(
      "MySQL/MariaDB commit every DDL statement implicitly: a revision that fails part-way leaves its earlier statements applied and the version table unchanged, and needs fixing by hand."
    );
  }
  const tableHead = [
    `**${plural(plan.steps.length, "pending revision")}** (upgrade to ${code(plan.target)}):`,
    "",
    "| # | revision | message | mode | statements | warnings |",
    "|---:|---|---|---|---:|---|"
  ].join("\n");
  const downgrade = pending && input.downgradeSql !== null && input.downgradeSql.trim() !== "" ? `<details><summary>Downgrade SQL (undoes this plan)</summary>

${fenced(input.downgradeSql, "sql")}

</details>` : null;
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
    footer: `---
<sub>${footerBits.join(" \xB7 ")}</sub>`
  };
}
function assemble(p, input, cut) {
  const blocks = [p.head];
  if (!p.pending) {
    blocks.push(`No pending migrations: the database is at ${headList(input.plan.headsBefore)}.`);
  } else {
    const rows = p.rows.slice(0, cut.rows);
    const omittedRows = p.rows.length - rows.length;
    let table = [p.tableHead, ...rows].join("\n");
    if (omittedRows > 0) table += `

_${plural(omittedRows, "more revision")} omitted to fit GitHub's comment limit._`;
    blocks.push(table);
  }
  if (p.warnings.length > 0) {
    const shown = p.warnings.slice(0, cut.warnings);
    const omitted = p.warnings.length - shown.length;
    const lines = ["#### \u26A0\uFE0F Warnings", "", ...shown.map((w) => `- ${w}`)];
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
      blocks.push(`> \u2702\uFE0F SQL cut to fit GitHub's comment limit: see ${input.detailsHint} (${what.join(" and ")} left out).`);
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
function renderComment(input, limit = DEFAULT_COMMENT_LIMIT) {
  const p = pieces(input);
  const all = { revisionSql: p.revisionSql.length, downgrade: true, rows: p.rows.length, warnings: p.warnings.length };
  const text = (cut) => assemble(p, input, cut);
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
  const frame = text(noWarnings);
  if (limit <= note.length) return frame.slice(0, Math.max(0, limit));
  const kept = frame.slice(0, limit - note.length);
  const lineEnd = kept.lastIndexOf("\n");
  return (lineEnd > 0 ? kept.slice(0, lineEnd) : kept) + note;
}
var JOB_SUMMARY_LIMIT = 9e5;
function renderJobSummary(input, applied) {
  const summary = renderComment(input, JOB_SUMMARY_LIMIT);
  if (applied.length === 0) return summary;
  const rows = applied.map((o) => `| ${cellCode(o.step.revision.id)} | ${cellCode(o.step.revision.message)} | ${Math.round(o.durationMs)} ms |`);
  return `${summary}

#### Applied

| revision | message | duration |
|---|---|---:|
${rows.join("\n")}
`;
}

// src/report/github-client.ts
var GITHUB_REQUEST_TIMEOUT_MS = 3e4;
var GitHubTimeoutError = class extends Error {
  constructor(method, url, timeoutMs) {
    let path = url;
    try {
      path = new URL(url).pathname;
    } catch {
    }
    super(`GitHub did not answer ${method} ${path} within ${timeoutMs % 1e3 === 0 ? `${timeoutMs / 1e3} s` : `${timeoutMs} ms`}`);
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
  const { getOctokit } = await import("./github-3ZER5RGC.js");
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
function forbidden(error, verb, target) {
  const status = statusOf(error);
  const why = githubMessage(error);
  return {
    action: "forbidden",
    url: null,
    message: `GitHub answered ${status} when retort tried to ${verb} its comment on ${target.owner}/${target.repo}#${target.issueNumber}${why ? ` (${why})` : ""}. A pull request from a fork gets a read-only token; otherwise give the job \`permissions: pull-requests: write\`.`
  };
}
var isForbidden = (error) => statusOf(error) === 403 || statusOf(error) === 404;
var normalize = (body) => body.replace(/\r\n/g, "\n");
var MAX_COMMENT_PAGES = 1e3;
var TooManyPagesError = class extends Error {
  constructor(target, pages) {
    super(
      `More than ${pages} pages of comments on ${target.owner}/${target.repo}#${target.issueNumber}; retort stopped looking for its comment and wrote none (a new one could duplicate it).`
    );
    this.name = "TooManyPagesError";
  }
};
async function listComments(octokit, target, maxPages) {
  const comments = [];
  let pages = 0;
  const pagesOf = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100
  });
  for await (const page of pagesOf) {
    if (++pages > maxPages) throw new TooManyPagesError(target, maxPages);
    comments.push(...page.data);
  }
  return comments;
}
async function upsertComment(octokit, target, marker, body, options) {
  const login = (await authorLogin(octokit)).toLowerCase();
  const { owner, repo } = target;
  const comments = await listComments(octokit, target, options.maxPages ?? MAX_COMMENT_PAGES);
  const ours = comments.find((c) => carriesMarker(c.body ?? "", marker) && (c.user?.login ?? "").toLowerCase() === login);
  if (ours !== void 0) {
    if (normalize(ours.body ?? "") === normalize(body)) return { action: "unchanged", url: ours.html_url };
    try {
      const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: ours.id, body });
      return { action: "updated", url: data.html_url };
    } catch (error) {
      if (isForbidden(error)) return forbidden(error, "update", target);
      throw error;
    }
  }
  if (!options.createIfMissing) return { action: "not-created", url: null };
  try {
    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: target.issueNumber, body });
    return { action: "created", url: data.html_url };
  } catch (error) {
    if (isForbidden(error)) return forbidden(error, "create", target);
    throw error;
  }
}

export {
  versionChangeSql,
  runningLine,
  renderPlanSql,
  code,
  cellCode,
  fenced,
  DEFAULT_COMMENT_LIMIT,
  commentMarker,
  carriesMarker,
  renderComment,
  renderJobSummary,
  githubClient,
  upsertComment
};
