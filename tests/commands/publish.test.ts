import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { commentLimit, commentTargetFromEnv, describeDestination, publishComment, type CommentDestination } from "../../src/commands/publish.js";
import { RetortError } from "../../src/core/errors.js";
import { commentMarker, DEFAULT_COMMENT_LIMIT } from "../../src/report/comment.js";
import { anyRequest, fakeHosts, type FakeHost } from "../fake-hosts.js";

// A small fake HTTP API (GitLab notes, or GitHub issue comments) on 127.0.0.1 recording every
// request; the full GitLab behaviour is covered in tests/report/gitlab-note.test.ts.

type Handler = (method: string, url: URL, body: unknown) => { status: number; data: unknown; headers?: Record<string, string> };

const hosts = fakeHosts();

function fakeApi(handler: Handler): Promise<FakeHost> {
  return hosts.start([
    anyRequest((req) => {
      const { status, data, headers } = handler(req.method, req.url, req.body);
      return { status, body: data, ...(headers ? { headers } : {}) };
    }),
  ]);
}

/** GitLab notes on one merge request, written as `writer`; writes refused with `refuse` when set. */
function gitlabHandler(state: { notes: { id: number; body: string; username: string }[]; refuse: number | null }): Handler {
  let nextId = 300;
  const json = (n: { id: number; body: string; username: string }) => ({ id: n.id, body: n.body, system: false, author: { id: 9, username: n.username } });
  return (method, url, body) => {
    if (method === "GET" && url.pathname === "/api/v4/user") return { status: 200, data: { id: 9, username: "retort-ci" } };
    const m = /^\/api\/v4\/projects\/42\/merge_requests\/7\/notes(?:\/(\d+))?$/.exec(url.pathname);
    if (!m) return { status: 404, data: { message: "404 Not Found" } };
    if (method === "GET") return { status: 200, data: [...state.notes].reverse().map(json), headers: { "x-next-page": "" } };
    if (state.refuse !== null) return { status: state.refuse, data: { message: "403 Forbidden" } };
    if (method === "POST") {
      const n = { id: nextId++, body: (body as { body: string }).body, username: "retort-ci" };
      state.notes.push(n);
      return { status: 201, data: json(n) };
    }
    const n = state.notes.find((x) => x.id === Number(m[1]));
    if (method === "PUT" && n) {
      n.body = (body as { body: string }).body;
      return { status: 200, data: json(n) };
    }
    return { status: 404, data: { message: "404 Not Found" } };
  };
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "retort-publish-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function eventFile(name: string, payload: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(payload));
  return file;
}

const GITLAB_ENV = {
  CI: "true",
  GITLAB_CI: "true",
  CI_API_V4_URL: "https://gitlab.example.com/api/v4",
  CI_PROJECT_ID: "42",
  CI_PROJECT_URL: "https://gitlab.example.com/group/app",
  CI_MERGE_REQUEST_IID: "7",
  CI_MERGE_REQUEST_PROJECT_ID: "42",
  CI_MERGE_REQUEST_PROJECT_URL: "https://gitlab.example.com/group/app",
  CI_JOB_TOKEN: "glcbt-jobtoken-0123456789",
  GITLAB_TOKEN: "glpat-gitlab-token-0123456789",
};

describe("commentTargetFromEnv: GitLab", () => {
  it("a merge-request pipeline with GITLAB_TOKEN", () => {
    expect(commentTargetFromEnv(GITLAB_ENV)).toEqual({
      kind: "gitlab",
      target: {
        apiUrl: "https://gitlab.example.com/api/v4",
        projectId: "42",
        mergeRequestIid: "7",
        token: "glpat-gitlab-token-0123456789",
        tokenKind: "private",
        mergeRequestUrl: "https://gitlab.example.com/group/app/-/merge_requests/7",
      },
    });
  });

  it("RETORT_GITLAB_TOKEN wins over GITLAB_TOKEN", () => {
    const dest = commentTargetFromEnv({ ...GITLAB_ENV, RETORT_GITLAB_TOKEN: "glpat-retort-0123456789" });
    expect(dest).toMatchObject({ kind: "gitlab", target: { token: "glpat-retort-0123456789", tokenKind: "private" } });
  });

  it("a token equal to CI_JOB_TOKEN is sent as a job token; CI_JOB_TOKEN alone is not used", () => {
    expect(commentTargetFromEnv({ ...GITLAB_ENV, GITLAB_TOKEN: GITLAB_ENV.CI_JOB_TOKEN })).toMatchObject({
      kind: "gitlab",
      target: { token: GITLAB_ENV.CI_JOB_TOKEN, tokenKind: "job" },
    });
    expect(commentTargetFromEnv({ ...GITLAB_ENV, GITLAB_TOKEN: undefined })).toBeNull();
  });

  it("a fork's merge request: the merge request's own project and page", () => {
    const dest = commentTargetFromEnv({
      ...GITLAB_ENV,
      CI_PROJECT_ID: "99",
      CI_PROJECT_URL: "https://gitlab.example.com/someone/app-fork",
    });
    expect(dest).toMatchObject({
      kind: "gitlab",
      target: { projectId: "42", mergeRequestUrl: "https://gitlab.example.com/group/app/-/merge_requests/7" },
    });
  });

  it("without the merge-request variables (a branch pipeline), or with blank ones: null", () => {
    for (const name of ["CI_MERGE_REQUEST_IID", "CI_API_V4_URL", "CI_PROJECT_ID", "GITLAB_TOKEN"] as const) {
      expect(commentTargetFromEnv({ ...GITLAB_ENV, [name]: undefined }), name).toBeNull();
      expect(commentTargetFromEnv({ ...GITLAB_ENV, [name]: "  " }), name).toBeNull();
    }
  });

  it("GitLab is chosen when both GitLab and GitHub variables are present", () => {
    const event = eventFile("both.json", { pull_request: { number: 5 } });
    const dest = commentTargetFromEnv({ ...GITLAB_ENV, GITHUB_ACTIONS: "true", GITHUB_REPOSITORY: "o/r", GITHUB_EVENT_PATH: event, GITHUB_TOKEN: "t" });
    expect(dest?.kind).toBe("gitlab");
  });
});

describe("commentTargetFromEnv: GitHub", () => {
  const githubEnv = (event: string) => ({
    GITHUB_ACTIONS: "true",
    GITHUB_REPOSITORY: "octo/app",
    GITHUB_EVENT_PATH: event,
    GITHUB_TOKEN: "ghs_installation0123456789",
  });

  it("a pull_request event with GITHUB_TOKEN", () => {
    const event = eventFile("pr.json", { action: "synchronize", number: 12, pull_request: { number: 12, head: { sha: "abc" } } });
    expect(commentTargetFromEnv(githubEnv(event))).toEqual({
      kind: "github",
      target: { owner: "octo", repo: "app", issueNumber: 12 },
      token: "ghs_installation0123456789",
      apiUrl: "https://api.github.com",
    });
  });

  it("RETORT_GITHUB_TOKEN wins; GITHUB_API_URL is honoured (GitHub Enterprise Server)", () => {
    const event = eventFile("pr-ghes.json", { pull_request: { number: 3 } });
    const dest = commentTargetFromEnv({
      ...githubEnv(event),
      RETORT_GITHUB_TOKEN: "ghp_personal0123456789",
      GITHUB_API_URL: "https://ghes.example.com/api/v3/",
    });
    expect(dest).toMatchObject({ kind: "github", token: "ghp_personal0123456789", apiUrl: "https://ghes.example.com/api/v3" });
  });

  it("null: a push event, a missing or broken event file, no token, not in Actions, a bad repository", () => {
    const push = eventFile("push.json", { ref: "refs/heads/main", head_commit: { id: "abc" } });
    const pr = eventFile("pr2.json", { pull_request: { number: 4 } });
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{ not json");
    expect(commentTargetFromEnv(githubEnv(push))).toBeNull();
    expect(commentTargetFromEnv(githubEnv(join(dir, "missing.json")))).toBeNull();
    expect(commentTargetFromEnv(githubEnv(broken))).toBeNull();
    expect(commentTargetFromEnv({ ...githubEnv(pr), GITHUB_TOKEN: undefined })).toBeNull();
    expect(commentTargetFromEnv({ ...githubEnv(pr), GITHUB_ACTIONS: undefined })).toBeNull();
    expect(commentTargetFromEnv({ ...githubEnv(pr), GITHUB_REPOSITORY: "no-slash" })).toBeNull();
    expect(commentTargetFromEnv(githubEnv(pr))?.kind).toBe("github");
  });
});

describe("commentTargetFromEnv: neither", () => {
  it("a laptop, or another CI: null", () => {
    expect(commentTargetFromEnv({})).toBeNull();
    expect(commentTargetFromEnv({ CI: "true", HOME: "/home/me", GITLAB_TOKEN: "glpat-x0123456789", GITHUB_TOKEN: "ghp_x" })).toBeNull();
  });
});

describe("describeDestination and commentLimit", () => {
  it("name the place and its size limit", () => {
    const gitlab = commentTargetFromEnv(GITLAB_ENV)!;
    const github: CommentDestination = { kind: "github", target: { owner: "o", repo: "r", issueNumber: 7 }, token: "t", apiUrl: "https://api.github.com" };
    expect(describeDestination(gitlab)).toBe("GitLab merge request !7 of project 42");
    expect(describeDestination(github)).toBe("GitHub pull request o/r#7");
    expect(commentLimit(github)).toBe(DEFAULT_COMMENT_LIMIT);
    expect(commentLimit(gitlab)).toBeGreaterThan(DEFAULT_COMMENT_LIMIT);
    expect(commentLimit(gitlab)).toBeLessThanOrEqual(1_000_000);
  });
});

const marker = commentMarker("", "migrations");
const body = (text: string) => `${marker}\n### retort plan\n\n${text}\n`;

describe("publishComment to GitLab", () => {
  let api: FakeHost;
  let state: { notes: { id: number; body: string; username: string }[]; refuse: number | null };
  let dest: CommentDestination;

  beforeEach(async () => {
    state = { notes: [], refuse: null };
    api = await fakeApi(gitlabHandler(state));
    dest = commentTargetFromEnv({ ...GITLAB_ENV, CI_API_V4_URL: `${api.origin}/api/v4` })!;
  });

  const calls = () => api.requests.map((r) => `${r.method} ${r.path}`);

  it("creates, updates, leaves alone, and never creates when nothing is pending", async () => {
    expect(await publishComment(dest, marker, body("No pending migrations"), false)).toEqual({ action: "not-created", url: null });
    const created = await publishComment(dest, marker, body("2 pending"), true);
    expect(created).toEqual({ action: "created", url: `https://gitlab.example.com/group/app/-/merge_requests/7#note_${state.notes[0]!.id}` });
    expect((await publishComment(dest, marker, body("1 pending"), true)).action).toBe("updated");
    expect(await publishComment(dest, marker, body("1 pending"), true)).toEqual({ action: "unchanged", url: created.url });
    expect(state.notes).toEqual([expect.objectContaining({ body: body("1 pending"), username: "retort-ci" })]);
    const id = state.notes[0]!.id;
    expect(calls().filter((c) => !c.startsWith("GET"))).toEqual(["POST /api/v4/projects/42/merge_requests/7/notes", `PUT /api/v4/projects/42/merge_requests/7/notes/${id}`]);
    expect(new Set(api.requests.map((r) => r.headers["private-token"]))).toEqual(new Set([GITLAB_ENV.GITLAB_TOKEN]));
  });

  it("a refused write answers 'forbidden' without the token", async () => {
    state.refuse = 403;
    const result = await publishComment(dest, marker, body("x"), true);
    expect(result.action).toBe("forbidden");
    expect(result.message).not.toContain(GITLAB_ENV.GITLAB_TOKEN);
  });
});

describe("publishComment to GitHub", () => {
  it("goes through upsertComment to the API URL from the environment", async () => {
    const comments: { id: number; body: string }[] = [];
    const api = await fakeApi((method, url, body) => {
      if (url.pathname === "/user") return { status: 403, data: { message: "Resource not accessible by integration" } };
      if (url.pathname === "/repos/octo/app/issues/12/comments" && method === "GET") {
        return { status: 200, data: comments.map((c) => ({ id: c.id, body: c.body, user: { login: "github-actions[bot]" }, html_url: `https://github.example/c/${c.id}` })) };
      }
      if (url.pathname === "/repos/octo/app/issues/12/comments" && method === "POST") {
        const c = { id: 77, body: (body as { body: string }).body };
        comments.push(c);
        return { status: 201, data: { id: c.id, body: c.body, user: { login: "github-actions[bot]" }, html_url: `https://github.example/c/${c.id}` } };
      }
      return { status: 500, data: { message: "boom ghs_installation0123456789" } };
    });
    const event = eventFile("pr-publish.json", { pull_request: { number: 12 } });
    const dest = commentTargetFromEnv({
      GITHUB_ACTIONS: "true",
      GITHUB_REPOSITORY: "octo/app",
      GITHUB_EVENT_PATH: event,
      GITHUB_TOKEN: "ghs_installation0123456789",
      GITHUB_API_URL: api.origin,
    })!;
    expect(await publishComment(dest, marker, body("1 pending"), true)).toEqual({ action: "created", url: "https://github.example/c/77" });
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /user",
      "GET /repos/octo/app/issues/12/comments?per_page=100",
      "POST /repos/octo/app/issues/12/comments",
    ]);
    expect(api.requests[2]!.headers.authorization).toBe("token ghs_installation0123456789");

    // A failure other than a refusal becomes a RetortError, with the token removed.
    const broken: CommentDestination = { ...dest, kind: "github", target: { owner: "octo", repo: "app", issueNumber: 13 } } as CommentDestination;
    const error = await publishComment(broken, marker, body("x"), true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetortError);
    expect((error as Error).message).toContain("GitHub answered 500");
    expect((error as Error).message).toContain("octo/app#13");
    expect((error as Error).message).not.toContain("ghs_installation0123456789");
  });
});
