// GitLab as a host of the plan comment (upsert.ts): the merge request's notes, who retort writes
// as, and how GitLab says no. Plain `fetch`, no client library.
//
// Who "we" are: GET /user. When the token may not read /user (401 or 403: a CI job token, or a
// token without the api/read_api/read_user scope) the author is unknown; retort then matches its
// marker only among notes written by GitLab bot users (project and group access-token bots,
// service accounts), never among a person's notes. Such tokens cannot write notes today
// anyway (the write answers "forbidden"), so this only keeps retort from ever touching a
// person's note on a guess.
//
// The token goes only to `apiUrl`: pagination takes the page number from GitLab's headers but
// never its host, and redirects are not followed (a redirect would carry the token header to
// wherever it points). The token never appears in a message.

import { RetortError } from "../core/errors.js";
import { upsert, type CommentHost, type HostComment, type UpsertResult, type WriteAnswer } from "./upsert.js";

export type { UpsertResult } from "./upsert.js";

export interface GitLabTarget {
  /** The REST API root, e.g. https://gitlab.com/api/v4 (CI_API_V4_URL). */
  apiUrl: string;
  /** The project's numeric id or its full path (`group/project`); encoded here. */
  projectId: string;
  /** The merge request's project-level id (CI_MERGE_REQUEST_IID). */
  mergeRequestIid: string;
  token: string;
  /** "job" sends JOB-TOKEN (a CI_JOB_TOKEN), "private" (default) sends PRIVATE-TOKEN. */
  tokenKind?: "private" | "job";
  /** The merge request's web page; result URLs are `${mergeRequestUrl}#note_${id}`. Without it they are null. */
  mergeRequestUrl?: string | null;
}

/** A GitLab API failure other than a refused write. `status` is null when GitLab was not reached. */
export class GitLabApiError extends RetortError {
  readonly status: number | null;

  constructor(status: number | null, message: string, options?: { cause?: unknown }) {
    super("connection", message, options);
    this.name = "GitLabApiError";
    this.status = status;
  }
}

interface NoteAuthor {
  username?: unknown;
  bot?: unknown;
}

interface Note extends HostComment {
  readonly system: boolean;
  readonly author: NoteAuthor | null;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

const REQUEST_TIMEOUT_MS = 30_000;

/** Bot users: project and group access-token bots (project_42_bot, project_42_bot1,
 *  project_42_bot_<hex>, group_7_bot_<hex>), service accounts, or an author marked `bot`. */
export function isGitLabBot(author: { username?: unknown; bot?: unknown } | null | undefined): boolean {
  if (!author) return false;
  if (author.bot === true) return true;
  const username = typeof author.username === "string" ? author.username : "";
  return /^(project|group)_\d+_bot(\d+|_[0-9a-z]+)?$/i.test(username) || /^service_account_/i.test(username);
}

/** Anything shaped like a GitLab token, the token itself, and the credentials of any URL
 *  (fetch's own errors quote the URL whole: "Request cannot be constructed from a URL that
 *  includes credentials: https://user:password@..."), removed. */
function redact(text: string, token: string): string {
  let out = text;
  if (token.length >= 4) out = out.split(token).join("[REDACTED]");
  return out.replace(/\bgl[a-z]{2,6}-[A-Za-z0-9_.-]{8,}/g, "[REDACTED]").replace(/\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^\s/?#]*@/g, "$1");
}

/** The API root without a trailing slash, and without credentials for messages. */
const root = (apiUrl: string) => apiUrl.replace(/\/+$/, "");

function shown(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    return url;
  }
}

/** GitLab's own message from an error body: `message` (a string, a list, or field → errors),
 *  or `error` and `error_description`; otherwise a short plain-text body. */
function gitlabMessage(answer: Answer): string {
  let data: unknown = null;
  try {
    data = JSON.parse(answer.text);
  } catch {
    const text = answer.text.trim();
    return text.startsWith("<") ? "" : text.slice(0, 300);
  }
  if (typeof data !== "object" || data === null) return "";
  const d = data as { message?: unknown; error?: unknown; error_description?: unknown };
  const flat = (v: unknown): string =>
    typeof v === "string"
      ? v
      : Array.isArray(v)
        ? v.map(flat).join(", ")
        : typeof v === "object" && v !== null
          ? Object.entries(v)
              .map(([k, x]) => `${k} ${flat(x)}`)
              .join("; ")
          : "";
  const parts: string[] = [];
  if (d.message !== undefined) parts.push(flat(d.message));
  if (typeof d.error === "string") parts.push(d.error);
  if (typeof d.error_description === "string") parts.push(d.error_description);
  return parts.filter(Boolean).join(": ").slice(0, 500);
}

function notesPath(target: GitLabTarget): string {
  return `/projects/${encodeURIComponent(target.projectId)}/merge_requests/${encodeURIComponent(target.mergeRequestIid)}/notes`;
}

function where(target: GitLabTarget): string {
  return `merge request !${target.mergeRequestIid} of project ${target.projectId}`;
}

async function call(target: GitLabTarget, method: string, path: string, body?: unknown): Promise<Answer> {
  const url = `${root(target.apiUrl)}${path}`;
  const headers: Record<string, string> = {
    accept: "application/json",
    [target.tokenKind === "job" ? "JOB-TOKEN" : "PRIVATE-TOKEN"]: target.token,
  };
  if (body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: "manual",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const why = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw new GitLabApiError(null, redact(`Could not reach GitLab at ${shown(root(target.apiUrl))} (${method} ${path}): ${why}`, target.token), {
      cause: error,
    });
  }
  const text = await response.text();
  const answer = { status: response.status, headers: response.headers, text };
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get("location") ?? "";
    throw new GitLabApiError(
      response.status,
      redact(
        `GitLab answered ${response.status} to ${method} ${shown(url)} with a redirect${location ? ` to ${shown(location)}` : ""}; ` +
          "retort does not follow it with the token. Give the API address the redirect ends at (CI_API_V4_URL).",
        target.token,
      ),
    );
  }
  return answer;
}

function failure(target: GitLabTarget, method: string, path: string, answer: Answer): GitLabApiError {
  const why = gitlabMessage(answer);
  const hint =
    answer.status === 401
      ? " The token is invalid, expired or revoked, or is a CI job token, which cannot read merge-request notes."
      : answer.status === 403
        ? " The token needs the api scope (read_api to read) and access to the project."
        : "";
  return new GitLabApiError(
    answer.status,
    redact(`GitLab answered ${answer.status} to ${method} ${shown(root(target.apiUrl))}${path}${why ? `: ${why}` : ""}.${hint}`, target.token),
  );
}

function parseJson(target: GitLabTarget, method: string, path: string, answer: Answer): unknown {
  try {
    return JSON.parse(answer.text);
  } catch (error) {
    throw new GitLabApiError(answer.status, `GitLab answered ${method} ${shown(root(target.apiUrl))}${path} with something that is not JSON.`, { cause: error });
  }
}

/** The username notes are written as: GET /user, or null when the token may not read it. */
async function authorUsername(target: GitLabTarget): Promise<string | null> {
  const answer = await call(target, "GET", "/user");
  if (answer.status === 401 || answer.status === 403) return null;
  if (answer.status !== 200) throw failure(target, "GET", "/user", answer);
  const data = parseJson(target, "GET", "/user", answer) as { username?: unknown } | null;
  return typeof data?.username === "string" && data.username !== "" ? data.username : null;
}

/** The next page from x-next-page, else from Link rel="next" (its page number only). */
function nextPage(headers: Headers): number | null {
  const header = headers.get("x-next-page")?.trim();
  if (header) return /^\d+$/.test(header) ? Number(header) : null;
  const link = headers.get("link");
  if (!link) return null;
  for (const part of link.split(",")) {
    const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (!m || !/\brel\s*=\s*"?next"?/.test(m[2]!)) continue;
    try {
      const page = new URL(m[1]!, "http://x").searchParams.get("page");
      return page && /^\d+$/.test(page) ? Number(page) : null;
    } catch {
      return null;
    }
  }
  return null;
}

function asNote(raw: unknown, target: GitLabTarget): Note | null {
  if (typeof raw !== "object" || raw === null) return null;
  const r = raw as { id?: unknown; body?: unknown; system?: unknown; author?: unknown };
  if (typeof r.id !== "number") return null;
  return {
    id: r.id,
    body: typeof r.body === "string" ? r.body : "",
    url: noteUrl(target, r.id),
    system: r.system === true,
    author: typeof r.author === "object" && r.author !== null ? (r.author as NoteAuthor) : null,
  };
}

/** Every note on the merge request, a page at a time (`upsert` bounds the pages). */
async function* notePages(target: GitLabTarget): AsyncIterable<Note[]> {
  const path = notesPath(target);
  let page = 1;
  for (;;) {
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

/** How GitLab answered a write of the note: written (with the note's id, else `fallback`'s),
 *  refused, gone, or a failure, thrown. */
function written(target: GitLabTarget, write: { method: string; path: string; verb: string; fallback: number | null }, answer: Answer): WriteAnswer {
  const { method, path, verb } = write;
  const ok = method === "POST" ? answer.status === 201 || answer.status === 200 : answer.status === 200;
  if (ok) return { kind: "written", url: noteUrl(target, writtenId(target, write, answer)) };
  if (answer.status === 401 || answer.status === 403 || answer.status === 404 || answer.status === 410) {
    const kind = answer.status === 401 || answer.status === 403 ? "no-permission" : "gone";
    const why = gitlabMessage(answer);
    const hint =
      answer.status === 401
        ? "The token is invalid, expired or revoked, or is a CI job token, which cannot write merge-request notes"
        : answer.status === 403
          ? "A CI job token cannot write merge-request notes; use a project or personal access token with the api scope"
          : "The merge request is not there for this token: it was deleted, or the token cannot see its project";
    return { kind, message: redact(`GitLab answered ${answer.status} when retort tried to ${verb} its note on ${where(target)}${why ? ` (${why})` : ""}. ${hint}.`, target.token) };
  }
  throw failure(target, method, path, answer);
}

function noteUrl(target: GitLabTarget, id: number): string | null {
  return target.mergeRequestUrl ? `${target.mergeRequestUrl.replace(/\/+$/, "")}#note_${id}` : null;
}

function writtenId(target: GitLabTarget, write: { method: string; path: string; fallback: number | null }, answer: Answer): number {
  const data = parseJson(target, write.method, write.path, answer) as { id?: unknown } | null;
  if (typeof data?.id === "number") return data.id;
  if (write.fallback !== null) return write.fallback;
  throw new GitLabApiError(answer.status, `GitLab answered ${write.method} ${shown(root(target.apiUrl))}${write.path} without the note's id.`);
}

/** GitLab as a comment host: the notes of one merge request. Who "we" are: see the top of
 *  this file; system notes are never ours. */
export function gitlabHost(target: GitLabTarget): CommentHost<Note> {
  return {
    where: where(target),
    noun: "note",
    async author() {
      const username = (await authorUsername(target))?.toLowerCase() ?? null;
      const byAuthor = (note: Note) =>
        username !== null ? typeof note.author?.username === "string" && note.author.username.toLowerCase() === username : isGitLabBot(note.author);
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
    },
  };
}

/** Create or update retort's note carrying `marker` on the merge request: `upsert` (upsert.ts)
 *  on GitLab. Any failure other than a refused write throws a GitLabApiError (a RetortError). */
export function upsertGitLabNote(
  target: GitLabTarget,
  marker: string,
  body: string,
  options: { createIfMissing: boolean; maxPages?: number },
): Promise<UpsertResult> {
  return upsert(gitlabHost(target), marker, body, options);
}
