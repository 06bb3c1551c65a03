// The GitHub REST client of the Action and of `plan --comment`: @actions/github's Octokit (its
// proxy support and user agent), loaded only when a comment is written, with every request
// bounded in time. Without the bound, an API that accepts the connection and never answers held
// the job until GitHub's own job timeout.

import type { Octokit } from "./github-comment.js";

/** How long one request (answer and body) may take, like the GitLab path's. */
export const GITHUB_REQUEST_TIMEOUT_MS = 30_000;

export interface GitHubClientOptions {
  /** The REST API root; default GITHUB_API_URL, else https://api.github.com (Octokit's own). */
  readonly baseUrl?: string;
  readonly timeoutMs?: number;
}

/** A request that ran out of time, named by method and path (never the token). */
export class GitHubTimeoutError extends Error {
  constructor(method: string, url: string, timeoutMs: number) {
    let path = url;
    try {
      path = new URL(url).pathname;
    } catch {
      // keep the text as it is
    }
    super(`GitHub did not answer ${method} ${path} within ${timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}`);
    this.name = "GitHubTimeoutError";
  }
}

export async function githubClient(token: string, options: GitHubClientOptions = {}): Promise<Octokit> {
  // Loaded here, not at start-up: importing @actions/github also parses GITHUB_EVENT_PATH, which
  // the front ends have checked by now.
  const { getOctokit } = await import("@actions/github");
  const octokit = getOctokit(token, options.baseUrl ? { baseUrl: options.baseUrl } : {});
  const timeoutMs = options.timeoutMs ?? GITHUB_REQUEST_TIMEOUT_MS;
  octokit.hook.wrap("request", async (request, endpoint) => {
    const signal = AbortSignal.timeout(timeoutMs);
    // The hooks inside this one were bound to this very options object: set the signal on it
    // (on a copy of its `request`, which may be the client's shared defaults).
    endpoint.request = { ...endpoint.request, signal };
    try {
      const response = await request(endpoint);
      // A body cut off by the timeout comes back as an empty answer, not as an error.
      if (signal.aborted) throw new GitHubTimeoutError(String(endpoint.method), String(endpoint.url), timeoutMs);
      return response;
    } catch (error) {
      if (signal.aborted) throw new GitHubTimeoutError(String(endpoint.method), String(endpoint.url), timeoutMs);
      throw error;
    }
  });
  return octokit;
}
