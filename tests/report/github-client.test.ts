// The GitHub client is bounded: a request that never gets an answer (or whose body never ends)
// fails after the timeout, the token never leaves the API's host, a pull request whose comment
// pages never end stops at the page bound, writing nothing, and nothing of an answer is printed.
// Against fake APIs on 127.0.0.1 that misbehave on purpose.

import type { ServerResponse } from "node:http";
import { expect, it } from "vitest";
import { githubClient, GitHubHostError, GitHubTimeoutError } from "../../src/report/github-client.js";
import { TooManyPagesError, upsertComment } from "../../src/report/github-comment.js";
import { anyRequest, fakeHosts } from "../fake-hosts.js";

// A response a fake holds open is ended when the fake closes, after the test.
const hosts = fakeHosts();

/** A fake answering every request through `handler`, on the response itself; its origin. */
async function serve(handler: (path: string, res: ServerResponse) => void): Promise<string> {
  const host = await hosts.start([anyRequest((req, res) => void handler(req.path, res))]);
  return host.origin;
}

const target = { owner: "o", repo: "r", issueNumber: 7 };

it("a request that is never answered fails after the timeout, naming the request", async () => {
  const baseUrl = await serve((path, res) => {
    if (path === "/user") {
      res.writeHead(403, { "content-type": "application/json" }).end("{}");
      return;
    }
    // accepted, never answered
  });
  const octokit = await githubClient("ghs_secret_token", { baseUrl, timeoutMs: 300 });
  const started = Date.now();
  const error = await upsertComment(octokit, target, "<!-- m -->", "body", { createIfMissing: true }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(GitHubTimeoutError);
  expect((error as Error).message).toBe("GitHub did not answer GET /repos/o/r/issues/7/comments within 300 ms");
  expect((error as Error).message).not.toContain("ghs_secret_token");
  expect(Date.now() - started).toBeLessThan(20_000);
});

it("a body that never ends fails after the timeout too", async () => {
  const baseUrl = await serve((_path, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"login": "'); // headers and half a body, then silence
  });
  const octokit = await githubClient("t", { baseUrl, timeoutMs: 300 });
  await expect(octokit.rest.users.getAuthenticated()).rejects.toBeInstanceOf(GitHubTimeoutError);
});

it("comment pages that never end stop at the bound and nothing is written", async () => {
  const writes: string[] = [];
  let pages = 0;
  const baseUrl = await serve((path, res) => {
    const url = new URL(path, "http://x");
    if (url.pathname === "/user") {
      res.writeHead(403, { "content-type": "application/json" }).end("{}");
      return;
    }
    if (url.pathname !== "/repos/o/r/issues/7/comments" || res.req.method !== "GET") {
      writes.push(`${res.req.method} ${url.pathname}`);
      res.writeHead(201, { "content-type": "application/json" }).end("{}");
      return;
    }
    pages++;
    const page = Number(url.searchParams.get("page") ?? 1);
    // Every page points to one more.
    res
      .writeHead(200, { "content-type": "application/json", link: `<${baseUrlOf(res)}/repos/o/r/issues/7/comments?per_page=100&page=${page + 1}>; rel="next"` })
      .end(JSON.stringify([{ id: page, body: "hi", user: { login: "someone" }, html_url: "x" }]));
  });
  const baseUrlOf = (res: ServerResponse) => `http://${res.req.headers.host}`;
  const octokit = await githubClient("t", { baseUrl });
  const error = await upsertComment(octokit, target, "<!-- m -->", "body", { createIfMissing: true, maxPages: 25 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TooManyPagesError);
  expect((error as Error).message).toBe(
    "More than 25 pages of comments on o/r#7; retort stopped looking for its comment and wrote none (a new one could duplicate it).",
  );
  expect(pages).toBe(26);
  expect(writes).toEqual([]);
});

it("the token goes to the API's host only: a Link or a redirect to another host stops the run, nothing is written", async () => {
  const elsewhere: { method: string; authorization: string | undefined }[] = [];
  const other = await serve((_path, res) => {
    elsewhere.push({ method: res.req.method ?? "", authorization: res.req.headers.authorization });
    res.writeHead(200, { "content-type": "application/json" }).end("[]");
  });
  for (const how of ["link", "redirect"] as const) {
    elsewhere.length = 0;
    const writes: string[] = [];
    const baseUrl = await serve((path, res) => {
      const url = new URL(path, "http://x");
      if (url.pathname === "/user") return void res.writeHead(403, { "content-type": "application/json" }).end("{}");
      if (res.req.method !== "GET") {
        writes.push(`${res.req.method} ${url.pathname}`);
        return void res.writeHead(201, { "content-type": "application/json" }).end("{}");
      }
      if (how === "redirect") return void res.writeHead(302, { location: `${other}/elsewhere` }).end();
      res
        .writeHead(200, { "content-type": "application/json", link: `<${other}/repos/o/r/issues/7/comments?page=2>; rel="next"` })
        .end(JSON.stringify([{ id: 1, body: "hi", user: { login: "someone" }, html_url: "x" }]));
    });
    const octokit = await githubClient("ghs_secret_token", { baseUrl });
    const error = await upsertComment(octokit, target, "<!-- m -->", "body", { createIfMissing: true }).catch((e: unknown) => e);
    expect(error, how).toBeInstanceOf(GitHubHostError);
    expect((error as Error).message, how).toBe(
      `GitHub's answer pointed retort to ${other}, which is not the API's host (${baseUrl}): retort sends its token only to the API and stopped (GITHUB_API_URL names the API).`,
    );
    expect(elsewhere.filter((r) => r.authorization !== undefined), how).toEqual([]);
    expect(writes, how).toEqual([]);
  }
});

it("header values of the API's answers are never printed (Octokit's deprecation notice quotes them)", async () => {
  const baseUrl = await serve((_path, res) => {
    res.writeHead(200, { "content-type": "application/json", deprecation: "true", sunset: "##[error]forged ::error::forged" }).end('{"login": "me"}');
  });
  const printed: unknown[] = [];
  const saved = { warn: console.warn, log: console.log, error: console.error, info: console.info };
  console.warn = console.log = console.error = console.info = (...args: unknown[]) => void printed.push(args);
  try {
    const octokit = await githubClient("t", { baseUrl });
    expect((await octokit.rest.users.getAuthenticated()).data.login).toBe("me");
  } finally {
    Object.assign(console, saved);
  }
  expect(JSON.stringify(printed)).toBe("[]");
});
