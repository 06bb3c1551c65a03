// One plan comment per pull request and marker: found again among all the pull request's
// comments, updated in place, created only when there is something to say. Only comments
// written by the account retort writes as are ever touched.

import type { getOctokit } from "@actions/github";
import { carriesMarker } from "./comment.js";

export type Octokit = ReturnType<typeof getOctokit>;

export interface CommentTarget {
  readonly owner: string;
  readonly repo: string;
  readonly issueNumber: number;
}

export type UpsertResult = {
  action: "created" | "updated" | "unchanged" | "not-created" | "forbidden";
  url: string | null;
  message?: string;
};

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

function forbidden(error: unknown, verb: string, target: CommentTarget): UpsertResult {
  const status = statusOf(error)!;
  const why = githubMessage(error);
  return {
    action: "forbidden",
    url: null,
    message:
      `GitHub answered ${status} when retort tried to ${verb} its comment on ${target.owner}/${target.repo}#${target.issueNumber}` +
      `${why ? ` (${why})` : ""}. A pull request from a fork gets a read-only token; otherwise give the job ` +
      "`permissions: pull-requests: write`.",
  };
}

const isForbidden = (error: unknown) => statusOf(error) === 403 || statusOf(error) === 404;

const normalize = (body: string) => body.replace(/\r\n/g, "\n");

/** 100 comments a page: a pull request with more than 100,000 comments is not one we keep
 *  looking through (a `Link: rel="next"` that never ends would page forever). */
export const MAX_COMMENT_PAGES = 1000;

/** Looking for retort's comment stopped at the page bound: nothing was written. */
export class TooManyPagesError extends Error {
  constructor(target: CommentTarget, pages: number) {
    super(
      `More than ${pages} pages of comments on ${target.owner}/${target.repo}#${target.issueNumber}; retort stopped looking for its ` +
        "comment and wrote none (a new one could duplicate it).",
    );
    this.name = "TooManyPagesError";
  }
}

/** Every comment of the pull request, page by page, at most `maxPages` pages. */
async function listComments(octokit: Octokit, target: CommentTarget, maxPages: number) {
  const comments = [];
  let pages = 0;
  const pagesOf = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100,
  });
  for await (const page of pagesOf) {
    if (++pages > maxPages) throw new TooManyPagesError(target, maxPages);
    comments.push(...page.data);
  }
  return comments;
}

/**
 * Create or update retort's comment carrying `marker` on the pull request (or issue). Pages
 * through every comment (at most `maxPages` pages, else TooManyPagesError); matches the author
 * and the marker as the body's first line (see carriesMarker: a marker quoted anywhere else in
 * a body never counts). A 403 or 404 on writing answers "forbidden" instead of throwing; any
 * other error throws (a request that takes too long: see github-client.ts).
 */
export async function upsertComment(
  octokit: Octokit,
  target: CommentTarget,
  marker: string,
  body: string,
  options: { createIfMissing: boolean; maxPages?: number },
): Promise<UpsertResult> {
  const login = (await authorLogin(octokit)).toLowerCase();
  const { owner, repo } = target;
  const comments = await listComments(octokit, target, options.maxPages ?? MAX_COMMENT_PAGES);
  const ours = comments.find((c) => carriesMarker(c.body ?? "", marker) && (c.user?.login ?? "").toLowerCase() === login);

  if (ours !== undefined) {
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
