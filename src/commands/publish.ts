// Where the plan comment goes (a GitLab merge-request note or a GitHub pull-request comment:
// from the CI environment for `retort plan --comment`, from its inputs for the Action), and the
// one call both front ends write it with.

import { readFileSync } from "node:fs";
import { RetortError } from "../core/errors.js";
import { commentMarker, DEFAULT_COMMENT_LIMIT, renderComment, type CommentFrame } from "../report/comment.js";
import { githubClient } from "../report/github-client.js";
import { upsertComment, type CommentTarget } from "../report/github-comment.js";
import { upsertGitLabNote, type GitLabTarget } from "../report/gitlab-note.js";
import type { PlanResult } from "../report/model.js";
import type { UpsertResult } from "../report/upsert.js";

export type CommentDestination =
  | { readonly kind: "gitlab"; readonly target: GitLabTarget }
  | {
      readonly kind: "github";
      readonly target: CommentTarget;
      readonly token: string;
      /** GITHUB_API_URL, else https://api.github.com; absent: Octokit's own (GITHUB_API_URL when @actions/github loaded). */
      readonly apiUrl?: string;
    };

/** GitLab keeps notes up to 1,000,000 characters; stay well below it. GitHub: see comment.ts. */
export const GITLAB_NOTE_LIMIT = 900_000;

const DEFAULT_GITHUB_API_URL = "https://api.github.com";

/** A set, non-blank value. */
function value(env: Record<string, string | undefined>, name: string): string | null {
  const v = env[name]?.trim();
  return v ? v : null;
}

function gitlabFromEnv(env: Record<string, string | undefined>): CommentDestination | null {
  const iid = value(env, "CI_MERGE_REQUEST_IID");
  const apiUrl = value(env, "CI_API_V4_URL");
  const projectId = value(env, "CI_PROJECT_ID");
  const token = value(env, "RETORT_GITLAB_TOKEN") ?? value(env, "GITLAB_TOKEN");
  if (!iid || !apiUrl || !projectId || !token) return null;
  // The merge request's iid counts in its target project, which is not the pipeline's project
  // when a fork's merge request runs in the fork.
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
      mergeRequestUrl: projectUrl ? `${projectUrl.replace(/\/+$/, "")}/-/merge_requests/${iid}` : null,
    },
  };
}

function githubFromEnv(env: Record<string, string | undefined>): CommentDestination | null {
  if (value(env, "GITHUB_ACTIONS") !== "true") return null;
  const repository = value(env, "GITHUB_REPOSITORY");
  const eventPath = value(env, "GITHUB_EVENT_PATH");
  const token = value(env, "RETORT_GITHUB_TOKEN") ?? value(env, "GITHUB_TOKEN");
  if (!repository || !eventPath || !token) return null;
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(repository);
  if (!m) return null;
  let event: unknown;
  try {
    event = JSON.parse(readFileSync(eventPath, "utf8"));
  } catch {
    return null;
  }
  const number = (event as { pull_request?: { number?: unknown } } | null)?.pull_request?.number;
  if (typeof number !== "number" || !Number.isSafeInteger(number) || number <= 0) return null;
  return {
    kind: "github",
    target: { owner: m[1]!, repo: m[2]!, issueNumber: number },
    token,
    apiUrl: (value(env, "GITHUB_API_URL") ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, ""),
  };
}

/** Where `retort plan --comment` reports: GitLab when CI_MERGE_REQUEST_IID, CI_API_V4_URL,
 *  CI_PROJECT_ID and a token (RETORT_GITLAB_TOKEN, else GITLAB_TOKEN) are set; GitHub when
 *  GITHUB_ACTIONS=true with GITHUB_REPOSITORY, GITHUB_EVENT_PATH holding a pull_request, and a
 *  token (RETORT_GITHUB_TOKEN, else GITHUB_TOKEN), using the same upsertComment as the Action
 *  (getOctokit(token), which honours GITHUB_API_URL); otherwise null.
 *
 *  Details: blank values count as unset. GitLab: the project is CI_MERGE_REQUEST_PROJECT_ID
 *  when set (a fork's merge request), else CI_PROJECT_ID; a token equal to CI_JOB_TOKEN is sent
 *  as JOB-TOKEN, any other as PRIVATE-TOKEN (CI_JOB_TOKEN alone is not used: it cannot write
 *  notes); note links come from CI_MERGE_REQUEST_PROJECT_URL (or CI_PROJECT_URL). GitHub:
 *  GITHUB_API_URL is read from `env` here, not from the process environment when
 *  @actions/github was loaded. An unreadable event file, or one without a pull_request, is null. */
export function commentTargetFromEnv(env: Record<string, string | undefined>): CommentDestination | null {
  return gitlabFromEnv(env) ?? githubFromEnv(env);
}

/** "GitLab merge request !7 of project 42" / "GitHub pull request o/r#7", for messages. */
export function describeDestination(dest: CommentDestination): string {
  return dest.kind === "gitlab"
    ? `GitLab merge request !${dest.target.mergeRequestIid} of project ${dest.target.projectId}`
    : `GitHub pull request ${dest.target.owner}/${dest.target.repo}#${dest.target.issueNumber}`;
}

/** The longest body the destination takes (renderComment's `limit`). */
export function commentLimit(dest: CommentDestination): number {
  return dest.kind === "gitlab" ? GITLAB_NOTE_LIMIT : DEFAULT_COMMENT_LIMIT;
}

/** Creates or updates retort's comment carrying `marker`. A refused write answers "forbidden"
 *  (with a message, never the token); any other failure throws a RetortError. */
export async function publishComment(dest: CommentDestination, marker: string, body: string, createIfMissing: boolean): Promise<UpsertResult> {
  if (dest.kind === "gitlab") return upsertGitLabNote(dest.target, marker, body, { createIfMissing });
  try {
    const octokit = await githubClient(dest.token, dest.apiUrl ? { baseUrl: dest.apiUrl } : {});
    return await upsertComment(octokit, dest.target, marker, body, { createIfMissing });
  } catch (error) {
    // GitHub's answers are quoted in messages: whatever one echoes of the token is removed.
    const text = error instanceof Error ? error.message : String(error);
    const why = dest.token === "" ? text : text.split(dest.token).join("[REDACTED]");
    if (error instanceof RetortError && why === error.message) throw error;
    const message = error instanceof RetortError ? why : `Could not write the comment on ${describeDestination(dest)}: ${why}.`;
    throw new RetortError(error instanceof RetortError ? error.code : "connection", message, { cause: error });
  }
}

/** The plan comment on `dest`: rendered to the destination's size limit, with `scrub` applied
 *  (the secrets of the database URL that the revisions' SQL may quote), written by
 *  `publishComment`, created only when something is pending. `scrubbed`: whether scrubbing
 *  changed the text. */
export async function commentPlan(
  dest: CommentDestination,
  plan: { result: PlanResult; frame: CommentFrame },
  scrub: (text: string) => string,
): Promise<{ upsert: UpsertResult; scrubbed: boolean }> {
  const body = renderComment(plan.result, plan.frame, commentLimit(dest));
  const scrubbed = scrub(body);
  const marker = commentMarker(plan.frame.environment, plan.result.migrations);
  const upsert = await publishComment(dest, marker, scrubbed, plan.result.plan.steps.length > 0);
  return { upsert, scrubbed: scrubbed !== body };
}
