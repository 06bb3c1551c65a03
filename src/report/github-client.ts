// The GitHub REST client of the Action and of `plan --comment`: @actions/github's Octokit (its
// proxy support and user agent), loaded only when a comment is written, with every request
// bounded in time and to the API's host. Without the time bound, an API that accepts the
// connection and never answered held the job until GitHub's own job timeout; without the host
// bound, a `Link: rel="next"` naming another host was followed with the token.

import { RetortError } from "../core/errors.js";
import type { Octokit } from "./github-comment.js";

/** How long one request (answer and body) may take, like the GitLab path's. */
export const GITHUB_REQUEST_TIMEOUT_MS = 30_000;

export interface GitHubClientOptions {
  /** The REST API root; default GITHUB_API_URL, else https://api.github.com (Octokit's own). */
  readonly baseUrl?: string;
  readonly timeoutMs?: number;
}

/** A request that ran out of time, named by method and path (never the token). */
export class GitHubTimeoutError extends RetortError {
  constructor(method: string, url: string, timeoutMs: number) {
    let path = url;
    try {
      path = new URL(url).pathname;
    } catch {
      // keep the text as it is
    }
    super("connection", `GitHub did not answer ${method} ${path} within ${timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}`);
    this.name = "GitHubTimeoutError";
  }
}

/** The API answered with an address on another host (a `Link: rel="next"` or a redirect): the
 *  token is not sent there, and what came from there is not used. */
export class GitHubHostError extends RetortError {
  constructor(apiOrigin: string, url: string) {
    let origin = "another host";
    try {
      origin = new URL(url).origin;
    } catch {
      // keep the words
    }
    super(
      "connection",
      `GitHub's answer pointed retort to ${origin}, which is not the API's host (${apiOrigin}): retort sends its token only to the API ` +
        "and stopped (GITHUB_API_URL names the API).",
    );
    this.name = "GitHubHostError";
  }
}

const quiet = () => undefined;

export async function githubClient(token: string, options: GitHubClientOptions = {}): Promise<Octokit> {
  // Loaded here, not at start-up: importing @actions/github also parses GITHUB_EVENT_PATH, which
  // the front ends have checked by now.
  const { getOctokit } = await import("@actions/github");
  // Octokit's log (the client's, and each request's, set below) writes header values of the API's
  // answers (a deprecation's sunset) to the console, where a CI reads commands: nothing of it is
  // printed.
  const log = { debug: quiet, info: quiet, warn: quiet, error: quiet };
  const octokit = getOctokit(token, { log, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) });
  const timeoutMs = options.timeoutMs ?? GITHUB_REQUEST_TIMEOUT_MS;
  // Pagination follows the absolute URL of each `Link: rel="next"`, with the token: an answer
  // naming another host would get it. Like the GitLab path, the token goes to the API only.
  const apiOrigin = new URL(octokit.request.endpoint.DEFAULTS.baseUrl).origin;
  const foreign = (url: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(url) && originOf(url) !== apiOrigin;
  octokit.hook.wrap("request", async (request, endpoint) => {
    if (foreign(String(endpoint.url))) throw new GitHubHostError(apiOrigin, String(endpoint.url));
    const signal = AbortSignal.timeout(timeoutMs);
    // The hooks inside this one were bound to this very options object: set the signal on it
    // (on a copy of its `request`, which may be the client's shared defaults).
    endpoint.request = { ...endpoint.request, signal, log };
    try {
      const response = await request(endpoint);
      // A body cut off by the timeout comes back as an empty answer, not as an error.
      if (signal.aborted) throw new GitHubTimeoutError(String(endpoint.method), String(endpoint.url), timeoutMs);
      // fetch follows redirects (without the token when they leave the host): an answer from
      // elsewhere is not GitHub's.
      if (response.url && foreign(response.url)) throw new GitHubHostError(apiOrigin, response.url);
      return response;
    } catch (error) {
      if (signal.aborted) throw new GitHubTimeoutError(String(endpoint.method), String(endpoint.url), timeoutMs);
      const answered = (error as { response?: { url?: unknown } }).response?.url;
      if (typeof answered === "string" && foreign(answered)) throw new GitHubHostError(apiOrigin, answered);
      throw error;
    }
  });
  return octokit;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
