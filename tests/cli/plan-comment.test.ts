// `retort plan --comment` outside the Action: the same comment on a GitLab merge request
// (fake GitLab API on 127.0.0.1) or a GitHub pull request (fake GitHub API), against the real
// PostgreSQL. The comment is scrubbed of every secret of the URL, as the CLI's output is.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { secretForms } from "../../src/db/target.js";
import { renderRevisionFile } from "../../src/load/native.js";
import { anyRequest, fakeHosts } from "../fake-hosts.js";
import { BACKENDS, describeBackend } from "../servers.js";

interface Seen {
  method: string;
  path: string;
  headers: Record<string, unknown>;
  body: Record<string, unknown> | null;
}

/** A fake serving GitLab's or GitHub's notes/comments of one merge/pull request. */
async function fakeApi(hosts: ReturnType<typeof fakeHosts>, kind: "gitlab" | "github", readOnly = false) {
  const notes: { id: number; body: string; author: { username: string }; user: { login: string } }[] = [];
  const host = await hosts.start([
    anyRequest(({ method, url, body }) => {
      const data = body as Record<string, unknown> | null;
      if (url.pathname.endsWith("/user")) return { status: 200, body: kind === "gitlab" ? { username: "deploy-bot" } : { login: "deploy-bot" } };
      if (method === "GET") return { status: 200, body: notes };
      if (readOnly) return { status: 403, body: { message: "403 Forbidden" } };
      if (method === "POST") {
        notes.push({ id: notes.length + 1, body: String(data!.body), author: { username: "deploy-bot" }, user: { login: "deploy-bot" } });
        return { status: 201, body: { ...notes.at(-1), html_url: "https://example.test/c/1" } };
      }
      const note = notes.find((n) => url.pathname.endsWith(`/${n.id}`));
      if (note && (method === "PUT" || method === "PATCH")) {
        note.body = String(data!.body);
        return { status: 200, body: { ...note, html_url: "https://example.test/c/1" } };
      }
      return { status: 404, body: { message: "not found" } };
    }),
  ]);
  const seen = (): Seen[] => host.requests.map((r) => ({ method: r.method, path: r.url.pathname, headers: r.headers, body: r.body as Seen["body"] }));
  return { port: Number(new URL(host.origin).port), notes, seen };
}

const pg = BACKENDS.find((b) => b.name === "postgresql")!;
describeBackend(pg, "plan --comment", () => {
  let db: { url: string; drop: () => Promise<void> };
  const hosts = fakeHosts();
  const run = async (env: Record<string, string>, argv: string[] = ["--database-url", db.url]) => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    let out = "";
    let err = "";
    try {
      const code = await main(["plan", "--comment", "--environment", "staging", ...argv], { out: (t) => (out += t), err: (t) => (err += t) });
      return { code, out, err };
    } finally {
      for (const k of Object.keys(env)) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  };

  beforeAll(async () => {
    db = await pg.create();
  });
  afterAll(async () => {
    await db.drop();
  });

  it("keeps one note on a GitLab merge request", async () => {
    const gitlab = await fakeApi(hosts, "gitlab");
    const port = gitlab.port;
    const env = {
      CI_MERGE_REQUEST_IID: "7",
      CI_API_V4_URL: `http://127.0.0.1:${port}/api/v4`,
      CI_PROJECT_ID: "42",
      RETORT_GITLAB_TOKEN: "glpat-secret-token-123",
    };
    const first = await run(env);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain("Pending:  7 revision(s)");
    const posts = gitlab.seen().filter((s) => s.method === "POST");
    expect(posts.map((p) => p.path)).toEqual(["/api/v4/projects/42/merge_requests/7/notes"]);
    expect(posts[0]!.headers["private-token"]).toBe("glpat-secret-token-123");
    expect(String(posts[0]!.body!.body)).toContain('<!-- retort:plan environment="staging" migrations="migrations" -->');
    expect(String(posts[0]!.body!.body)).toContain("CREATE SCHEMA IF NOT EXISTS ecommerce_olist;");
    const second = await run(env);
    expect(second.code, second.err).toBe(0);
    expect(gitlab.seen().filter((s) => s.method === "POST")).toHaveLength(1);
    expect(gitlab.seen().filter((s) => s.method === "PUT")).toHaveLength(0); // identical body: nothing to change
    expect(gitlab.notes).toHaveLength(1);
    expect(first.out + first.err + second.out + second.err).not.toContain("glpat-secret-token-123");
  });

  it("uses the GitHub comment code under GitHub Actions outside the Action", async () => {
    const github = await fakeApi(hosts, "github");
    const port = github.port;
    const dir = mkdtempSync(join(tmpdir(), "retort-gh-event-"));
    try {
      writeFileSync(join(dir, "event.json"), JSON.stringify({ pull_request: { number: 9 } }));
      const r = await run({
        GITHUB_ACTIONS: "true",
        GITHUB_REPOSITORY: "o/r",
        GITHUB_EVENT_NAME: "pull_request",
        GITHUB_EVENT_PATH: join(dir, "event.json"),
        GITHUB_API_URL: `http://127.0.0.1:${port}`,
        RETORT_GITHUB_TOKEN: "ghs_secret_token_456",
      });
      expect(r.code, r.err).toBe(0);
      const posts = github.seen().filter((s) => s.method === "POST");
      expect(posts.map((p) => p.path)).toEqual(["/repos/o/r/issues/9/comments"]);
      expect(String(posts[0]!.body!.body)).toContain("retort:plan");
      expect(r.out + r.err).not.toContain("ghs_secret_token_456");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the note and the comment never hold a secret of the database URL, whatever the revisions quote", async () => {
    // PostgreSQL's trust authentication takes any password: the run connects, and the secrets
    // must still never reach the API (a public merge request publishes what it is sent).
    const password = "N0te-S3cr@t:pw%x";
    const pgpassword = "Env-Pgpa55word-7";
    const dir = mkdtempSync(join(tmpdir(), "retort-comment-secret-"));
    try {
      writeFileSync(
        join(dir, "aaaa00000001_r.sql"),
        renderRevisionFile({
          id: "aaaa00000001",
          message: "a role with the deploy password",
          downRevisions: [],
          createDate: "d",
          upgrade: `SELECT '${password}' AS a, '${encodeURIComponent(password)}' AS b, '${pgpassword}' AS c;`,
        }),
      );
      const base = new URL(db.url);
      const withPassword = `postgresql://${base.username}:${encodeURIComponent(password)}@${base.host}${base.pathname}`;
      const gitlab = await fakeApi(hosts, "gitlab");
      const github = await fakeApi(hosts, "github");
      const gitlabPort = gitlab.port;
      const githubPort = github.port;
      writeFileSync(join(dir, "event.json"), JSON.stringify({ pull_request: { number: 9 } }));
      const gitlabEnv = { CI_MERGE_REQUEST_IID: "7", CI_API_V4_URL: `http://127.0.0.1:${gitlabPort}/api/v4`, CI_PROJECT_ID: "42", RETORT_GITLAB_TOKEN: "glpat-x-token-1" };
      const githubEnv = {
        GITHUB_ACTIONS: "true",
        GITHUB_REPOSITORY: "o/r",
        GITHUB_EVENT_PATH: join(dir, "event.json"),
        GITHUB_API_URL: `http://127.0.0.1:${githubPort}`,
        RETORT_GITHUB_TOKEN: "ghs_x_token_2",
      };
      const written = () => [...gitlab.seen(), ...github.seen()].filter((s) => s.method !== "GET").map((s) => String(s.body!.body));
      const check = (bodies: string[], secret: string) => {
        expect(bodies.length).toBeGreaterThan(0);
        for (const body of bodies) {
          expect(body).toContain("retort:plan");
          for (const form of secretForms(secret)) expect(body.includes(form), `the comment holds '${form}'`).toBe(false);
        }
      };
      const runs = [
        await run(gitlabEnv, ["--migrations", dir, "--database-url", withPassword]),
        await run(githubEnv, ["--migrations", dir, "--database-url", withPassword]),
      ];
      check(written(), password);
      for (const body of written()) expect(body).toContain("SELECT '***' AS a, '***' AS b");
      // The password from PGPASSWORD, for a URL without one.
      const before = new Set(written());
      runs.push(await run({ ...gitlabEnv, PGPASSWORD: pgpassword }, ["--migrations", dir, "--database-url", db.url]));
      check(written().filter((b) => !before.has(b)), pgpassword);
      for (const r of runs) expect(r.code, r.err).toBe(0);
      expect(runs[0]!.err).toMatch(/retort: warning: the comment held a secret of the database URL, replaced by \*\*\*/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a GitLab token without write access is a warning, not a failure", async () => {
    const gitlab = await fakeApi(hosts, "gitlab", true);
    const port = gitlab.port;
    const r = await run({
      CI_MERGE_REQUEST_IID: "7",
      CI_API_V4_URL: `http://127.0.0.1:${port}/api/v4`,
      CI_PROJECT_ID: "42",
      GITLAB_TOKEN: "glpat-readonly-999",
    });
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/retort: warning: could not comment on GitLab merge request !7/);
    expect(r.out).toContain("Pending:");
    expect(r.out + r.err).not.toContain("glpat-readonly-999");
  });

  it("without a merge or pull request it says so and still prints the plan", async () => {
    const r = await run({});
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/--comment: no pull or merge request in this environment/);
    expect(r.out).toContain("Pending:");
  });
});
