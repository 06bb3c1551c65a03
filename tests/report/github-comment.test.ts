import { getOctokit } from "@actions/github";
import { beforeEach, describe, expect, it } from "vitest";
import { carriesMarker, commentMarker, renderComment } from "../../src/report/comment.js";
import { upsertComment, type Octokit } from "../../src/report/github-comment.js";
import { fakeHosts, type Answer, type FakeHost, type Route } from "../fake-hosts.js";
import { hostileCase, varied, type HostileCase } from "./hostile-plan.js";

// A fake GitHub REST API: issue comments in memory, GET /user, and writes that can be refused.

interface FakeComment {
  id: number;
  issue: string;
  body: string;
  login: string;
}

interface Recorded {
  method: string;
  path: string;
  body: unknown;
}

const hosts = fakeHosts();

class FakeGitHub {
  readonly comments: FakeComment[] = [];
  /** The account the token writes as. */
  writer = "github-actions[bot]";
  /** GET /user: answers with the writer's login, or 403 as it does to GITHUB_TOKEN. */
  userEndpoint: "ok" | "forbidden" = "forbidden";
  /** Status for POST and PATCH (null: accept). */
  refuseWrites: number | null = null;
  /** Status for PATCH only (null: as refuseWrites says). */
  refuseUpdates: number | null = null;
  private host: FakeHost | null = null;
  private nextId = 1000;
  baseUrl = "";

  get requests(): Recorded[] {
    return this.host!.requests.map(({ method, path, body }) => ({ method, path, body }));
  }

  get authorizations(): Set<string> {
    return new Set(this.host!.requests.map((r) => String(r.headers.authorization)));
  }

  forget(): void {
    this.host!.requests.length = 0;
  }

  async start(): Promise<void> {
    this.host = await hosts.start(this.routes());
    this.baseUrl = this.host.origin;
  }

  seed(issue: number, login: string, body: string): FakeComment {
    const c = { id: this.nextId++, issue: `o/r/${issue}`, body, login };
    this.comments.push(c);
    return c;
  }

  on(issue: number): FakeComment[] {
    return this.comments.filter((c) => c.issue === `o/r/${issue}`);
  }

  private json(c: FakeComment) {
    const [owner, repo, n] = c.issue.split("/");
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${this.baseUrl}/repos/${owner}/${repo}/issues/comments/${c.id}`,
      html_url: `https://github.com/${owner}/${repo}/pull/${n}#issuecomment-${c.id}`,
      body: c.body,
      user: { login: c.login, id: 1, type: c.login.endsWith("[bot]") ? "Bot" : "User" },
      created_at: "2024-01-01T00:00:00Z",
      updated_at: "2024-01-01T00:00:00Z",
    };
  }

  private list(url: URL, issue: string): Answer {
    const all = this.comments.filter((c) => c.issue === issue);
    const perPage = Math.min(Number(url.searchParams.get("per_page") ?? "30"), 100);
    const page = Number(url.searchParams.get("page") ?? "1");
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (p: number, rel: string) => `<${this.baseUrl}${url.pathname}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
    const links: string[] = [];
    if (page > 1) links.push(link(page - 1, "prev"), link(1, "first"));
    if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
    const slice = all.slice((page - 1) * perPage, page * perPage).map((c) => this.json(c));
    return { status: 200, body: slice, headers: links.length > 0 ? { link: links.join(", ") } : {} };
  }

  private routes(): Route[] {
    const refuse = (status: number): Answer => ({
      status,
      body: {
        message: status === 403 ? "Resource not accessible by integration" : "Not Found",
        documentation_url: "https://docs.github.com/rest/issues/comments",
        status: String(status),
      },
    });
    const comments = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/;
    const comment = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/;
    return [
      {
        method: "GET",
        path: "/user",
        handle: () => (this.userEndpoint === "forbidden" ? refuse(403) : { status: 200, body: { login: this.writer, id: 42, type: "User" } }),
      },
      { method: "GET", path: comments, handle: ({ url, match: m }) => this.list(url, `${m![1]}/${m![2]}/${m![3]}`) },
      {
        method: "POST",
        path: comments,
        handle: ({ body, match: m }) => {
          if (this.refuseWrites !== null) return refuse(this.refuseWrites);
          const c = { id: this.nextId++, issue: `${m![1]}/${m![2]}/${m![3]}`, body: (body as { body: string }).body, login: this.writer };
          this.comments.push(c);
          return { status: 201, body: this.json(c) };
        },
      },
      {
        method: "PATCH",
        path: comment,
        handle: ({ body, match: m }) => {
          const refused = this.refuseUpdates ?? this.refuseWrites;
          if (refused !== null) return refuse(refused);
          const c = this.comments.find((x) => x.id === Number(m![3]));
          if (!c) return refuse(404);
          c.body = (body as { body: string }).body;
          return { status: 200, body: this.json(c) };
        },
      },
      { method: "*", path: /^/, handle: () => refuse(404) },
    ];
  }
}

const TOKEN = "test-token";
const target = { owner: "o", repo: "r", issueNumber: 7 };
const marker = commentMarker("staging", "db/migrations");
const body = (text: string, m = marker) => `${m}\n### 🧪 retort plan: staging\n\n${text}\n`;
const LIST = "/repos/o/r/issues/7/comments?per_page=100";

let gh: FakeGitHub;
let octokit: Octokit;

beforeEach(async () => {
  gh = new FakeGitHub();
  await gh.start();
  octokit = getOctokit(TOKEN, { baseUrl: gh.baseUrl });
});

const calls = () => gh.requests.map((r) => `${r.method} ${r.path}`);

describe("upsertComment against a fake GitHub API", () => {
  it("creates the comment on the first run", async () => {
    const result = await upsertComment(octokit, target, marker, body("3 pending"), { createIfMissing: true });
    expect(result.action).toBe("created");
    expect(result.url).toMatch(/^https:\/\/github\.com\/o\/r\/pull\/7#issuecomment-\d+$/);
    expect(gh.requests).toEqual([
      { method: "GET", path: "/user", body: null },
      { method: "GET", path: LIST, body: null },
      { method: "POST", path: "/repos/o/r/issues/7/comments", body: { body: body("3 pending") } },
    ]);
    expect(gh.on(7)).toEqual([expect.objectContaining({ login: "github-actions[bot]", body: body("3 pending") })]);
    expect([...gh.authorizations]).toEqual([`token ${TOKEN}`]);
  });

  it("updates the same comment on the second run", async () => {
    const first = await upsertComment(octokit, target, marker, body("3 pending"), { createIfMissing: true });
    gh.forget();
    const second = await upsertComment(octokit, target, marker, body("2 pending"), { createIfMissing: true });
    const id = gh.on(7)[0]!.id;
    expect(second).toEqual({ action: "updated", url: first.url });
    expect(gh.requests).toEqual([
      { method: "GET", path: "/user", body: null },
      { method: "GET", path: LIST, body: null },
      { method: "PATCH", path: `/repos/o/r/issues/comments/${id}`, body: { body: body("2 pending") } },
    ]);
    expect(gh.on(7)).toHaveLength(1);
    expect(gh.on(7)[0]!.body).toBe(body("2 pending"));
  });

  it("sends no PATCH when the body is identical", async () => {
    const existing = gh.seed(7, "github-actions[bot]", body("same"));
    const result = await upsertComment(octokit, target, marker, body("same"), { createIfMissing: true });
    expect(result).toEqual({ action: "unchanged", url: `https://github.com/o/r/pull/7#issuecomment-${existing.id}` });
    expect(calls()).toEqual(["GET /user", `GET ${LIST}`]);
  });

  it("pages through all comments: ours is on page 2 behind 150 others, updated, no duplicate", async () => {
    for (let i = 0; i < 150; i++) gh.seed(7, i % 2 ? "alice" : "renovate[bot]", `comment ${i}`);
    const ours = gh.seed(7, "github-actions[bot]", body("old"));
    gh.seed(7, "bob", "after ours");
    const result = await upsertComment(octokit, target, marker, body("new"), { createIfMissing: true });
    expect(result.action).toBe("updated");
    expect(calls()).toEqual([
      "GET /user",
      `GET ${LIST}`,
      `GET ${LIST}&page=2`,
      `PATCH /repos/o/r/issues/comments/${ours.id}`,
    ]);
    expect(gh.on(7)).toHaveLength(152);
    expect(ours.body).toBe(body("new"));
  });

  it("leaves another author's comment with the same marker alone and creates its own", async () => {
    const foreign = gh.seed(7, "other-bot[bot]", body("someone copied our marker"));
    const human = gh.seed(7, "mallory", body("so did I"));
    const result = await upsertComment(octokit, target, marker, body("ours"), { createIfMissing: true });
    expect(result.action).toBe("created");
    expect(calls()).toEqual(["GET /user", `GET ${LIST}`, "POST /repos/o/r/issues/7/comments"]);
    expect(foreign.body).toBe(body("someone copied our marker"));
    expect(human.body).toBe(body("so did I"));
    expect(gh.on(7).filter((c) => c.login === "github-actions[bot]")).toHaveLength(1);
  });

  it("creates nothing when nothing is pending and there is no comment yet", async () => {
    gh.seed(7, "alice", "lgtm");
    const result = await upsertComment(octokit, target, marker, body("No pending migrations"), { createIfMissing: false });
    expect(result).toEqual({ action: "not-created", url: null });
    expect(calls()).toEqual(["GET /user", `GET ${LIST}`]);
    expect(gh.on(7)).toHaveLength(1);
  });

  it("still updates an existing comment when nothing is pending any more", async () => {
    const ours = gh.seed(7, "github-actions[bot]", body("1 pending"));
    const result = await upsertComment(octokit, target, marker, body("No pending migrations"), { createIfMissing: false });
    expect(result.action).toBe("updated");
    expect(calls()).toEqual(["GET /user", `GET ${LIST}`, `PATCH /repos/o/r/issues/comments/${ours.id}`]);
    expect(ours.body).toBe(body("No pending migrations"));
  });

  it("a 403 on create answers 'forbidden' with GitHub's message, without throwing or leaking the token", async () => {
    gh.refuseWrites = 403;
    const result = await upsertComment(octokit, target, marker, body("x"), { createIfMissing: true });
    expect(result.action).toBe("forbidden");
    expect(result.url).toBeNull();
    expect(result.message).toContain("403");
    expect(result.message).toContain("Resource not accessible by integration");
    expect(result.message).toContain("o/r#7");
    expect(result.message).not.toContain(TOKEN);
    expect(calls()).toEqual(["GET /user", `GET ${LIST}`, "POST /repos/o/r/issues/7/comments"]);
    expect(gh.on(7)).toHaveLength(0);
  });

  it("a 403 or 404 on update answers 'forbidden' too", async () => {
    const ours = gh.seed(7, "github-actions[bot]", body("old"));
    for (const status of [403, 404]) {
      gh.refuseWrites = status;
      const result = await upsertComment(octokit, target, marker, body("new"), { createIfMissing: true });
      expect(result.action).toBe("forbidden");
      expect(result.message).toContain(String(status));
      expect(result.message).not.toContain(TOKEN);
    }
    expect(ours.body).toBe(body("old"));
  });

  it("keeps the oldest of several of our comments carrying the marker up to date", async () => {
    const older = gh.seed(7, "github-actions[bot]", body("old 1"));
    const newer = gh.seed(7, "github-actions[bot]", body("old 2"));
    const result = await upsertComment(octokit, target, marker, body("new"), { createIfMissing: true });
    expect(result.action).toBe("updated");
    expect(calls()).toEqual(["GET /user", `GET ${LIST}`, `PATCH /repos/o/r/issues/comments/${older.id}`]);
    expect(older.body).toBe(body("new"));
    expect(newer.body).toBe(body("old 2"));
  });

  it("a comment gone since it was listed (404 on update) is as if there were none: a new one is created", async () => {
    const ours = gh.seed(7, "github-actions[bot]", body("old"));
    gh.refuseUpdates = 404;
    const result = await upsertComment(octokit, target, marker, body("new"), { createIfMissing: true });
    expect(result.action).toBe("created");
    expect(calls()).toEqual(["GET /user", `GET ${LIST}`, `PATCH /repos/o/r/issues/comments/${ours.id}`, "POST /repos/o/r/issues/7/comments"]);
    gh.forget();
    expect(await upsertComment(octokit, target, marker, body("newer"), { createIfMissing: false })).toEqual({ action: "not-created", url: null });
    expect(calls()).toEqual(["GET /user", `GET ${LIST}`, `PATCH /repos/o/r/issues/comments/${ours.id}`]);
  });

  it("a 401 on update answers 'forbidden' (as on GitLab)", async () => {
    const ours = gh.seed(7, "github-actions[bot]", body("old"));
    gh.refuseUpdates = 401;
    const result = await upsertComment(octokit, target, marker, body("new"), { createIfMissing: true });
    expect(result.action).toBe("forbidden");
    expect(result.message).toContain("401");
    expect(calls()).toEqual(["GET /user", `GET ${LIST}`, `PATCH /repos/o/r/issues/comments/${ours.id}`]);
  });

  it("other errors throw", async () => {
    gh.refuseWrites = 500;
    await expect(upsertComment(octokit, target, marker, body("x"), { createIfMissing: true })).rejects.toMatchObject({ status: 500 });
  });

  it("uses the login from GET /user when the token may read it", async () => {
    gh.userEndpoint = "ok";
    gh.writer = "retort-ci";
    const actionsBot = gh.seed(7, "github-actions[bot]", body("written by GITHUB_TOKEN earlier"));
    const mine = gh.seed(7, "retort-ci", body("old"));
    const result = await upsertComment(octokit, target, marker, body("new"), { createIfMissing: true });
    expect(result.action).toBe("updated");
    expect(calls()).toEqual(["GET /user", `GET ${LIST}`, `PATCH /repos/o/r/issues/comments/${mine.id}`]);
    expect(mine.body).toBe(body("new"));
    expect(actionsBot.body).toBe(body("written by GITHUB_TOKEN earlier"));
  });

  it("falls back to github-actions[bot] when GET /user answers 403", async () => {
    gh.userEndpoint = "forbidden";
    const ours = gh.seed(7, "github-actions[bot]", body("old"));
    gh.seed(7, "retort-ci", body("a PAT's comment"));
    const result = await upsertComment(octokit, target, marker, body("new"), { createIfMissing: true });
    expect(result.action).toBe("updated");
    expect(gh.requests[0]).toEqual({ method: "GET", path: "/user", body: null });
    expect(calls()).toEqual(["GET /user", `GET ${LIST}`, `PATCH /repos/o/r/issues/comments/${ours.id}`]);
    expect(ours.body).toBe(body("new"));
  });

  it("keeps one comment per marker: two environments, two comments", async () => {
    const staging = commentMarker("staging", "db/migrations");
    const production = commentMarker("production", "db/migrations");
    expect((await upsertComment(octokit, target, staging, body("s1", staging), { createIfMissing: true })).action).toBe("created");
    expect((await upsertComment(octokit, target, production, body("p1", production), { createIfMissing: true })).action).toBe("created");
    expect((await upsertComment(octokit, target, staging, body("s2", staging), { createIfMissing: true })).action).toBe("updated");
    expect((await upsertComment(octokit, target, production, body("p1", production), { createIfMissing: true })).action).toBe("unchanged");
    expect(gh.on(7).map((c) => c.body)).toEqual([body("s2", staging), body("p1", production)]);
    expect(calls().filter((c) => !c.startsWith("GET"))).toEqual([
      "POST /repos/o/r/issues/7/comments",
      "POST /repos/o/r/issues/7/comments",
      `PATCH /repos/o/r/issues/comments/${gh.on(7)[0]!.id}`,
    ]);
  });

  it("looks only at the pull request it is given", async () => {
    gh.seed(8, "github-actions[bot]", body("on another pull request"));
    const result = await upsertComment(octokit, target, marker, body("x"), { createIfMissing: true });
    expect(result.action).toBe("created");
    expect(gh.on(7)).toHaveLength(1);
    expect(gh.on(8)[0]!.body).toBe(body("on another pull request"));
  });
});

describe("marker forgery: only the marker on a body's first line counts", () => {
  // One environment's plan whose SQL, messages, ids, paths, drift and even environment name
  // quote other environments' markers (hostile-plan.ts); the other environment's run must
  // never take that comment for its own.
  const production = commentMarker("production", "db");
  const variants: [string, HostileCase][] = [
    ["every value is another environment's marker", hostileCase(production)],
    ["staging's SQL, messages, ids, paths and drift quote production's marker", varied(hostileCase(production), { environment: "staging", migrations: "db" })],
    ["an environment named after the marker and a line break", varied(hostileCase("x"), { environment: `\n${production}`, migrations: "db" })],
  ];
  for (const [name, input] of variants) {
    it(name, async () => {
      const own = commentMarker(input.frame.environment, input.result.migrations);
      const body = renderComment(input.result, input.frame);
      expect(body).toContain(production);
      expect((await upsertComment(octokit, target, own, body, { createIfMissing: true })).action).toBe("created");
      const theirs = `${production}\n### 🧪 retort plan: production\n\nits own plan\n`;
      expect((await upsertComment(octokit, target, production, theirs, { createIfMissing: true })).action).toBe("created");
      expect(gh.on(7).map((c) => c.body)).toEqual([body, theirs]);
      // Each run finds its own comment again, and only it.
      expect((await upsertComment(octokit, target, own, body, { createIfMissing: true })).action).toBe("unchanged");
      expect((await upsertComment(octokit, target, production, `${theirs}v2\n`, { createIfMissing: true })).action).toBe("updated");
      expect(gh.on(7).map((c) => c.body)).toEqual([body, `${theirs}v2\n`]);
    });
  }

  it("a comment of ours that merely quotes the marker below its first line is not the marker's (production overwrote staging's)", async () => {
    const staging = commentMarker("staging", "db");
    const quoting = gh.seed(7, "github-actions[bot]", `${staging}\n\n\`\`\`sql\nSELECT '${production}';\n\`\`\`\n`);
    expect((await upsertComment(octokit, target, production, `${production}\nnew\n`, { createIfMissing: true })).action).toBe("created");
    expect(quoting.body).toContain(`SELECT '${production}'`);
    expect(quoting.body.startsWith(staging)).toBe(true);
  });

  it("matches the first line exactly: line endings aside, nothing before or after the marker", () => {
    const m = commentMarker("staging", "db");
    expect(carriesMarker(`${m}\nx`, m)).toBe(true);
    expect(carriesMarker(`${m}\r\nx`, m)).toBe(true);
    expect(carriesMarker(`${m}\rx`, m)).toBe(true);
    expect(carriesMarker(m, m)).toBe(true);
    for (const body of [` ${m}\n`, `${m} \n`, `\n${m}\n`, `> ${m}\n`, `x${m}`, `${m.slice(0, -1)}\n`, `<!-- quoted: ${m} -->\n`]) {
      expect(carriesMarker(body, m)).toBe(false);
    }
  });
});
