// GitHub as a host of the plan comment (upsert.ts): the pull request's issue comments through
// Octokit, who retort writes as, and how GitHub says no.

import type { getOctokit } from "@actions/github";
import { RetortError } from "../core/errors.js";
import { upsert, type CommentHost, type HostComment, type UpsertResult, type WriteAnswer } from "./upsert.js";

export { MAX_COMMENT_PAGES, TooManyPagesError, type UpsertResult } from "./upsert.js";

export type Octokit = ReturnType<typeof getOctokit>;

export interface CommentTarget {
  readonly owner: string;
  readonly repo: string;
  readonly issueNumber: number;
}

/** Who GITHUB_TOKEN writes as; GET /user answers 403 to that token. */
export const ACTIONS_BOT_LOGIN = "github-actions[bot]";

/** The login comments are written as: GET /user, or github-actions[bot] when that fails. */
async function authorLogin(octokit: Octokit): Promise<string> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    if (typeof data.login === "string" && data.login !== "") return data.login;
  } catch {
    // An installation token (GITHUB_TOKEN) may not read /user: it writes as the Actions bot.
  }
  return ACTIONS_BOT_LOGIN;
}

function statusOf(error: unknown): number | null {
  if (typeof error === "object" && error !== null && "status" in error && typeof error.status === "number") return error.status;
  return null;
}

/** GitHub's own message (from the response body when there is one), with anything shaped like
 *  a token removed; the request, and so the Authorization header, is never looked at. */
function githubMessage(error: unknown): string {
  let message = "";
  if (typeof error === "object" && error !== null) {
    const data = "response" in error ? (error.response as { data?: unknown } | undefined)?.data : undefined;
    if (typeof data === "object" && data !== null && "message" in data && typeof data.message === "string") message = data.message;
    else if (error instanceof Error) message = error.message;
  }
  return message.replace(/\b(gh[pousr]_[A-Za-z0-9_]+|github_pat_[A-Za-z0-9_]+)/g, "[REDACTED]");
}

/** A failure of the GitHub API other than a refused write (a refused read, a server error),
 *  with GitHub's status and message, never the token. */
export class GitHubApiError extends RetortError {
  readonly status: number | null;

  constructor(status: number | null, message: string, options?: { cause?: unknown }) {
    super("connection", message, options);
    this.name = "GitHubApiError";
    this.status = status;
  }
}

/** What a request that failed becomes: RetortErrors (a timeout, another host: github-client.ts)
 *  stay as they are; the API's own failures say what retort was doing. */
function apiError(error: unknown, doing: string): RetortError {
  if (error instanceof RetortError) return error;
  const status = statusOf(error);
  const why = githubMessage(error);
  return new GitHubApiError(status, `${status !== null ? `GitHub answered ${status}` : "GitHub was not reached"} when retort tried to ${doing}${why ? ` (${why})` : ""}.`, {
    cause: error,
  });
}

/** How GitHub said no to a write, or null for any other failure. */
function refusal(error: unknown): "no-permission" | "gone" | null {
  const status = statusOf(error);
  if (status === 401 || status === 403) return "no-permission";
  if (status === 404 || status === 410) return "gone";
  return null;
}

function refused(error: unknown, verb: string, target: CommentTarget): WriteAnswer {
  const kind = refusal(error);
  if (kind === null) throw apiError(error, `${verb} its comment on ${where(target)}`);
  const why = githubMessage(error);
  return {
    kind,
    message:
      `GitHub answered ${statusOf(error)} when retort tried to ${verb} its comment on ${where(target)}` +
      `${why ? ` (${why})` : ""}. A pull request from a fork gets a read-only token; otherwise give the job ` +
      "`permissions: pull-requests: write`.",
  };
}

const where = (target: CommentTarget) => `${target.owner}/${target.repo}#${target.issueNumber}`;

interface GitHubComment extends HostComment {
  readonly login: string;
}

/** The pull request's comments through Octokit's pagination (which follows `Link: rel="next"`). */
async function* commentPages(octokit: Octokit, target: CommentTarget): AsyncIterable<GitHubComment[]> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100,
  });
  try {
    for await (const page of pages) {
      yield page.data.map((c) => ({ id: c.id, body: c.body ?? "", url: c.html_url, login: (c.user?.login ?? "").toLowerCase() }));
    }
  } catch (error) {
    throw apiError(error, `list the comments of ${where(target)}`);
  }
}

/** GitHub as a comment host: issue comments of one pull request (or issue). */
export function githubHost(octokit: Octokit, target: CommentTarget): CommentHost<GitHubComment> {
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
    },
  };
}

/** Create or update retort's comment carrying `marker` on the pull request (or issue): `upsert`
 *  (upsert.ts) on GitHub. Bounded in time and to the API's host by the client (github-client.ts). */
export function upsertComment(
  octokit: Octokit,
  target: CommentTarget,
  marker: string,
  body: string,
  options: { createIfMissing: boolean; maxPages?: number },
): Promise<UpsertResult> {
  return upsert(githubHost(octokit, target), marker, body, options);
}
