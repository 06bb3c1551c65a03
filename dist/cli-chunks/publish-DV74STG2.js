#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  DEFAULT_COMMENT_LIMIT,
  carriesMarker
} from "./chunk-AFX5YE5U.js";
import "./chunk-R35MOS62.js";
import {
  RetortError
} from "./chunk-L5Z724Z2.js";
import "./chunk-KTFMP3DX.js";

// src/commands/publish.ts
import { readFileSync } from "node:fs";

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
var MAX_PAGES = 1e3;
var normalize2 = (body) => body.replace(/\r\n/g, "\n");
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
function where(target) {
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
function asNote(raw) {
  if (typeof raw !== "object" || raw === null) return null;
  const r = raw;
  if (typeof r.id !== "number") return null;
  return {
    id: r.id,
    body: typeof r.body === "string" ? r.body : "",
    system: r.system === true,
    author: typeof r.author === "object" && r.author !== null ? r.author : null
  };
}
async function listNotes(target) {
  const path = notesPath(target);
  const notes = [];
  let page = 1;
  for (let fetched = 0; ; fetched++) {
    if (fetched >= MAX_PAGES) {
      throw new GitLabApiError(null, `More than ${MAX_PAGES} pages of notes on ${where(target)}; retort stopped looking for its note.`);
    }
    const pagePath = `${path}?per_page=100&page=${page}`;
    const answer = await call(target, "GET", pagePath);
    if (answer.status !== 200) throw failure(target, "GET", pagePath, answer);
    const data = parseJson(target, "GET", pagePath, answer);
    if (!Array.isArray(data)) throw new GitLabApiError(answer.status, `GitLab answered GET ${shown(root(target.apiUrl))}${pagePath} with something that is not a list of notes.`);
    for (const raw of data) {
      const note = asNote(raw);
      if (note) notes.push(note);
    }
    const next = nextPage(answer.headers);
    if (next === null || next <= page || data.length === 0) return notes;
    page = next;
  }
}
function forbidden2(target, answer, verb) {
  const why = gitlabMessage(answer);
  const hint = answer.status === 401 ? "The token is invalid, expired or revoked, or is a CI job token, which cannot write merge-request notes" : "A CI job token cannot write merge-request notes; use a project or personal access token with the api scope";
  return {
    action: "forbidden",
    url: null,
    message: redact(`GitLab answered ${answer.status} when retort tried to ${verb} its note on ${where(target)}${why ? ` (${why})` : ""}. ${hint}.`, target.token)
  };
}
function noteUrl(target, id) {
  return target.mergeRequestUrl ? `${target.mergeRequestUrl.replace(/\/+$/, "")}#note_${id}` : null;
}
function writtenId(target, method, path, answer, fallback) {
  const data = parseJson(target, method, path, answer);
  if (typeof data?.id === "number") return data.id;
  if (fallback !== null) return fallback;
  throw new GitLabApiError(answer.status, `GitLab answered ${method} ${shown(root(target.apiUrl))}${path} without the note's id.`);
}
async function upsertGitLabNote(target, marker, body, options) {
  const username = (await authorUsername(target))?.toLowerCase() ?? null;
  const isOurs = (note) => !note.system && carriesMarker(note.body, marker) && (username !== null ? typeof note.author?.username === "string" && note.author.username.toLowerCase() === username : isGitLabBot(note.author));
  const ours = (await listNotes(target)).filter(isOurs).sort((a, b) => a.id - b.id)[0];
  if (ours !== void 0) {
    if (normalize2(ours.body) === normalize2(body)) return { action: "unchanged", url: noteUrl(target, ours.id) };
    const path2 = `${notesPath(target)}/${ours.id}`;
    const answer2 = await call(target, "PUT", path2, { body });
    if (answer2.status === 401 || answer2.status === 403) return forbidden2(target, answer2, "update");
    if (answer2.status !== 200) throw failure(target, "PUT", path2, answer2);
    return { action: "updated", url: noteUrl(target, writtenId(target, "PUT", path2, answer2, ours.id)) };
  }
  if (!options.createIfMissing) return { action: "not-created", url: null };
  const path = notesPath(target);
  const answer = await call(target, "POST", path, { body });
  if (answer.status === 401 || answer.status === 403) return forbidden2(target, answer, "create");
  if (answer.status !== 201 && answer.status !== 200) throw failure(target, "POST", path, answer);
  return { action: "created", url: noteUrl(target, writtenId(target, "POST", path, answer, null)) };
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
    return await upsertComment(await githubClient(dest.token, { baseUrl: dest.apiUrl }), dest.target, marker, body, { createIfMissing });
  } catch (error) {
    if (error instanceof RetortError) throw error;
    const status = typeof error === "object" && error !== null && "status" in error && typeof error.status === "number" ? error.status : null;
    const why = (error instanceof Error ? error.message : String(error)).split(dest.token).join("[REDACTED]").replace(/\b(gh[pousr]_[A-Za-z0-9_]+|github_pat_[A-Za-z0-9_]+)/g, "[REDACTED]");
    throw new RetortError(
      "connection",
      `Could not write the comment on ${describeDestination(dest)}: ${status !== null ? `GitHub answered ${status}` : "GitHub was not reached"} (${why}).`,
      { cause: error }
    );
  }
}
export {
  GITLAB_NOTE_LIMIT,
  commentLimit,
  commentTargetFromEnv,
  describeDestination,
  publishComment
};
