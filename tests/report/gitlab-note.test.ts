import { beforeEach, describe, expect, it } from "vitest";
import { RetortError } from "../../src/core/errors.js";
import { GITLAB_NOTE_LIMIT } from "../../src/commands/publish.js";
import { commentMarker, renderComment } from "../../src/report/comment.js";
import { GitLabApiError, isGitLabBot, upsertGitLabNote, type GitLabTarget } from "../../src/report/gitlab-note.js";
import { TooManyPagesError } from "../../src/report/upsert.js";
import { fakeHosts, type Answer, type FakeHost, type Route, type SeenRequest } from "../fake-hosts.js";
import { hostileCase, varied, type HostileCase } from "./hostile-plan.js";

// A fake GitLab REST API (v4) under /api/v4: merge-request notes in memory, newest first as
// GitLab lists them, GET /user, writes that can be refused, and every request recorded.

interface FakeNote {
  id: number;
  mr: string; // "<project>/<iid>", project as it appears decoded in the path
  body: string;
  username: string;
  system: boolean;
}

interface Recorded {
  method: string;
  path: string;
  body: unknown;
  privateToken: string | undefined;
  jobToken: string | undefined;
}

const hosts = fakeHosts();

class FakeGitLab {
  readonly notes: FakeNote[] = [];
  /** The account the token writes as. */
  writer = "retort-ci";
  /** GET /user: the writer's username, or a refusal as to a job token (401) or a token without the scope (403). */
  userEndpoint: "ok" | 401 | 403 | 500 = "ok";
  /** Status for POST and PUT (null: accept). */
  refuseWrites: number | null = null;
  /** Status for PUT only (null: as refuseWrites says). */
  refuseUpdates: number | null = null;
  /** Status for the notes list (null: answer). */
  refuseList: number | null = null;
  /** Which pagination headers to send. */
  pagination: "both" | "x-next-page" | "link" = "both";
  /** Host written into Link headers (GitLab writes its external URL). */
  linkHost = "";
  /** Answer every request with a redirect to this path. */
  redirectTo: string | null = null;
  private host: FakeHost | null = null;
  private nextId = 5000;
  baseUrl = "";

  get apiUrl(): string {
    return `${this.baseUrl}/api/v4`;
  }

  get requests(): Recorded[] {
    const header = (r: SeenRequest, name: string) => {
      const v = r.headers[name];
      return Array.isArray(v) ? v.join(",") : v;
    };
    return this.host!.requests.map((r) => ({ method: r.method, path: r.path, body: r.body, privateToken: header(r, "private-token"), jobToken: header(r, "job-token") }));
  }

  forget(): void {
    this.host!.requests.length = 0;
  }

  async start(): Promise<void> {
    this.host = await hosts.start(this.routes());
    this.baseUrl = this.host.origin;
  }

  async stop(): Promise<void> {
    await this.host?.close();
  }

  seed(iid: number, username: string, body: string, options: { project?: string; system?: boolean } = {}): FakeNote {
    const n = { id: this.nextId++, mr: `${options.project ?? "42"}/${iid}`, body, username, system: options.system ?? false };
    this.notes.push(n);
    return n;
  }

  on(iid: number, project = "42"): FakeNote[] {
    return this.notes.filter((n) => n.mr === `${project}/${iid}`);
  }

  private json(n: FakeNote) {
    const [project, iid] = [n.mr.slice(0, n.mr.lastIndexOf("/")), n.mr.slice(n.mr.lastIndexOf("/") + 1)];
    return {
      id: n.id,
      type: null,
      body: n.body,
      attachment: null,
      author: { id: 1, username: n.username, name: n.username, state: "active", locked: false, web_url: `https://gitlab.example/${n.username}` },
      created_at: "2024-01-01T00:00:00.000Z",
      updated_at: "2024-01-01T00:00:00.000Z",
      system: n.system,
      noteable_id: 900,
      noteable_type: "MergeRequest",
      project_id: /^\d+$/.test(project) ? Number(project) : 77,
      noteable_iid: Number(iid),
      resolvable: false,
      confidential: false,
      internal: false,
    };
  }

  private user(): Answer {
    if (this.userEndpoint === 401) return { status: 401, body: { message: "401 Unauthorized" } };
    if (this.userEndpoint === 403) {
      return {
        status: 403,
        body: { error: "insufficient_scope", error_description: "The request requires higher privileges than provided by the access token.", scope: "api read_user" },
      };
    }
    if (this.userEndpoint === 500) return { status: 500, body: { message: "500 Internal Server Error" } };
    return { status: 200, body: { id: 42, username: this.writer, name: this.writer, state: "active", bot: this.writer.includes("_bot") } };
  }

  private list(url: URL, m: RegExpExecArray): Answer {
    if (this.refuseList !== null) return { status: this.refuseList, body: { message: `${this.refuseList} Forbidden` } };
    const mr = `${decodeURIComponent(m[1]!)}/${m[2]}`;
    const all = this.notes.filter((n) => n.mr === mr).sort((a, b) => b.id - a.id); // newest first
    const perPage = Math.min(Number(url.searchParams.get("per_page") ?? "20"), 100);
    const page = Number(url.searchParams.get("page") ?? "1");
    const totalPages = Math.max(1, Math.ceil(all.length / perPage));
    const headers: Record<string, string> = {
      "x-page": String(page),
      "x-per-page": String(perPage),
      "x-total": String(all.length),
      "x-total-pages": String(totalPages),
      "x-prev-page": page > 1 ? String(page - 1) : "",
    };
    const host = this.linkHost || this.baseUrl;
    const link = (p: number, rel: string) => `<${host}${url.pathname}?id=${m[1]}&noteable_id=${m[2]}&page=${p}&per_page=${perPage}>; rel="${rel}"`;
    const links = [link(1, "first"), link(totalPages, "last")];
    if (page < totalPages) links.unshift(link(page + 1, "next"));
    if (this.pagination !== "link") headers["x-next-page"] = page < totalPages ? String(page + 1) : "";
    if (this.pagination !== "x-next-page") headers.link = links.join(", ");
    return { status: 200, body: all.slice((page - 1) * perPage, page * perPage).map((n) => this.json(n)), headers };
  }

  private routes(): Route[] {
    // The project id arrives percent-encoded (group%2Fproject); `pathname` keeps it so.
    const notes = /^\/api\/v4\/projects\/([^/]+)\/merge_requests\/(\d+)\/notes$/;
    const note = /^\/api\/v4\/projects\/([^/]+)\/merge_requests\/(\d+)\/notes\/(\d+)$/;
    return [
      {
        method: "*",
        path: /^/,
        handle: (req, res) => {
          if (this.redirectTo !== null) {
            res.writeHead(301, { location: `${this.baseUrl}${this.redirectTo}` });
            res.end();
            return undefined;
          }
          const authenticated = req.headers["private-token"] !== undefined || req.headers["job-token"] !== undefined;
          return authenticated ? "next" : { status: 401, body: { message: "401 Unauthorized" } };
        },
      },
      { method: "GET", path: "/api/v4/user", handle: () => this.user() },
      { method: "GET", path: notes, handle: ({ url, match }) => this.list(url, match!) },
      {
        method: "POST",
        path: notes,
        handle: ({ body, match: m }) => {
          if (this.refuseWrites !== null) return { status: this.refuseWrites, body: { message: `${this.refuseWrites} Forbidden` } };
          const n = { id: this.nextId++, mr: `${decodeURIComponent(m![1]!)}/${m![2]}`, body: (body as { body: string }).body, username: this.writer, system: false };
          this.notes.push(n);
          return { status: 201, body: this.json(n) };
        },
      },
      {
        method: "PUT",
        path: note,
        handle: ({ body, match: m }) => {
          const refused = this.refuseUpdates ?? this.refuseWrites;
          if (refused !== null) return { status: refused, body: { message: `${refused} Forbidden` } };
          const n = this.notes.find((x) => x.id === Number(m![3]) && x.mr === `${decodeURIComponent(m![1]!)}/${m![2]}`);
          if (!n) return { status: 404, body: { message: "404 Not found" } };
          n.body = (body as { body: string }).body;
          return { status: 200, body: this.json(n) };
        },
      },
      { method: "*", path: notes, handle: () => ({ status: 405, body: { message: "405 Method Not Allowed" } }) },
      { method: "*", path: note, handle: () => ({ status: 405, body: { message: "405 Method Not Allowed" } }) },
      { method: "*", path: /^/, handle: () => ({ status: 404, body: { message: "404 Not Found" } }) },
    ];
  }
}

const TOKEN = "glpat-Secret0123456789abcdef";
const marker = commentMarker("staging", "db/migrations");
const body = (text: string, m = marker) => `${m}\n### 🧪 retort plan: staging\n\n${text}\n`;
const NOTES = "/api/v4/projects/42/merge_requests/7/notes";
const page = (n: number) => `${NOTES}?per_page=100&page=${n}`;
const MR_URL = "https://gitlab.example/group/app/-/merge_requests/7";

let gl: FakeGitLab;
let target: GitLabTarget;

beforeEach(async () => {
  gl = new FakeGitLab();
  await gl.start();
  target = { apiUrl: gl.apiUrl, projectId: "42", mergeRequestIid: "7", token: TOKEN, mergeRequestUrl: MR_URL };
});

const calls = () => gl.requests.map((r) => `${r.method} ${r.path}`);

describe("upsertGitLabNote against a fake GitLab API", () => {
  it("creates the note on the first run", async () => {
    const result = await upsertGitLabNote(target, marker, body("3 pending"), { createIfMissing: true });
    const created = gl.on(7)[0]!;
    expect(result).toEqual({ action: "created", url: `${MR_URL}#note_${created.id}` });
    expect(gl.requests.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      { method: "GET", path: "/api/v4/user", body: null },
      { method: "GET", path: page(1), body: null },
      { method: "POST", path: NOTES, body: { body: body("3 pending") } },
    ]);
    expect(gl.on(7)).toEqual([expect.objectContaining({ username: "retort-ci", body: body("3 pending") })]);
    expect(new Set(gl.requests.map((r) => r.privateToken))).toEqual(new Set([TOKEN]));
    expect(gl.requests.every((r) => r.jobToken === undefined)).toBe(true);
  });

  it("updates the same note with PUT on the second run", async () => {
    const first = await upsertGitLabNote(target, marker, body("3 pending"), { createIfMissing: true });
    gl.forget();
    const second = await upsertGitLabNote(target, marker, body("2 pending"), { createIfMissing: true });
    const id = gl.on(7)[0]!.id;
    expect(second).toEqual({ action: "updated", url: first.url });
    expect(gl.requests.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      { method: "GET", path: "/api/v4/user", body: null },
      { method: "GET", path: page(1), body: null },
      { method: "PUT", path: `${NOTES}/${id}`, body: { body: body("2 pending") } },
    ]);
    expect(gl.on(7)).toHaveLength(1);
    expect(gl.on(7)[0]!.body).toBe(body("2 pending"));
  });

  it("sends no PUT when the body is identical (line endings aside)", async () => {
    const existing = gl.seed(7, "retort-ci", body("same").replace(/\n/g, "\r\n"));
    const result = await upsertGitLabNote(target, marker, body("same"), { createIfMissing: true });
    expect(result).toEqual({ action: "unchanged", url: `${MR_URL}#note_${existing.id}` });
    expect(calls()).toEqual(["GET /api/v4/user", `GET ${page(1)}`]);
  });

  it("pages through all notes with x-next-page: ours is on page 2 behind 150 newer ones, updated, no duplicate", async () => {
    gl.pagination = "x-next-page";
    const ours = gl.seed(7, "retort-ci", body("old"));
    for (let i = 0; i < 150; i++) gl.seed(7, i % 2 ? "alice" : "project_42_bot_0a1b2c", `note ${i}`);
    const result = await upsertGitLabNote(target, marker, body("new"), { createIfMissing: true });
    expect(result).toEqual({ action: "updated", url: `${MR_URL}#note_${ours.id}` });
    expect(calls()).toEqual(["GET /api/v4/user", `GET ${page(1)}`, `GET ${page(2)}`, `PUT ${NOTES}/${ours.id}`]);
    expect(gl.on(7)).toHaveLength(151);
    expect(ours.body).toBe(body("new"));
  });

  it("reads every page before creating: 250 notes of others, three pages, one POST", async () => {
    for (let i = 0; i < 250; i++) gl.seed(7, "alice", `note ${i}`);
    const result = await upsertGitLabNote(target, marker, body("x"), { createIfMissing: true });
    expect(result.action).toBe("created");
    expect(calls()).toEqual(["GET /api/v4/user", `GET ${page(1)}`, `GET ${page(2)}`, `GET ${page(3)}`, `POST ${NOTES}`]);
    expect(gl.on(7)).toHaveLength(251);
  });

  it("follows Link rel=next by its page number only, never to the host it names", async () => {
    gl.pagination = "link";
    gl.linkHost = "http://gitlab.invalid"; // following this would fail (and send the token there)
    const ours = gl.seed(7, "retort-ci", body("old"));
    for (let i = 0; i < 120; i++) gl.seed(7, "alice", `note ${i}`);
    const result = await upsertGitLabNote(target, marker, body("new"), { createIfMissing: true });
    expect(result.action).toBe("updated");
    expect(calls()).toEqual(["GET /api/v4/user", `GET ${page(1)}`, `GET ${page(2)}`, `PUT ${NOTES}/${ours.id}`]);
  });

  it("leaves another user's note with our marker alone (and system notes) and creates its own", async () => {
    const human = gl.seed(7, "mallory", body("someone copied our marker"));
    const otherBot = gl.seed(7, "project_42_bot_ffff", body("another token's note"));
    const system = gl.seed(7, "retort-ci", body("a system note"), { system: true });
    const result = await upsertGitLabNote(target, marker, body("ours"), { createIfMissing: true });
    expect(result.action).toBe("created");
    expect(calls()).toEqual(["GET /api/v4/user", `GET ${page(1)}`, `POST ${NOTES}`]);
    expect(human.body).toBe(body("someone copied our marker"));
    expect(otherBot.body).toBe(body("another token's note"));
    expect(system.body).toBe(body("a system note"));
    expect(gl.on(7).filter((n) => n.username === "retort-ci" && !n.system)).toHaveLength(1);
  });

  it("matches the author case-insensitively and keeps the oldest of duplicate notes", async () => {
    gl.writer = "Retort-CI";
    const older = gl.seed(7, "retort-ci", body("old 1"));
    const newer = gl.seed(7, "retort-ci", body("old 2"));
    const result = await upsertGitLabNote(target, marker, body("new"), { createIfMissing: true });
    expect(result).toEqual({ action: "updated", url: `${MR_URL}#note_${older.id}` });
    expect(older.body).toBe(body("new"));
    expect(newer.body).toBe(body("old 2"));
  });

  it("creates nothing when nothing is pending and there is no note yet", async () => {
    gl.seed(7, "alice", "lgtm");
    const result = await upsertGitLabNote(target, marker, body("No pending migrations"), { createIfMissing: false });
    expect(result).toEqual({ action: "not-created", url: null });
    expect(calls()).toEqual(["GET /api/v4/user", `GET ${page(1)}`]);
    expect(gl.on(7)).toHaveLength(1);
  });

  it("still updates an existing note when nothing is pending any more", async () => {
    const ours = gl.seed(7, "retort-ci", body("1 pending"));
    const result = await upsertGitLabNote(target, marker, body("No pending migrations"), { createIfMissing: false });
    expect(result.action).toBe("updated");
    expect(calls()).toEqual(["GET /api/v4/user", `GET ${page(1)}`, `PUT ${NOTES}/${ours.id}`]);
    expect(ours.body).toBe(body("No pending migrations"));
  });

  it("a 403 on create answers 'forbidden' with GitLab's message, without throwing or leaking the token", async () => {
    gl.refuseWrites = 403;
    const result = await upsertGitLabNote(target, marker, body("x"), { createIfMissing: true });
    expect(result.action).toBe("forbidden");
    expect(result.url).toBeNull();
    expect(result.message).toContain("403");
    expect(result.message).toContain("403 Forbidden");
    expect(result.message).toContain("!7");
    expect(result.message).not.toContain(TOKEN);
    expect(calls()).toEqual(["GET /api/v4/user", `GET ${page(1)}`, `POST ${NOTES}`]);
    expect(gl.on(7)).toHaveLength(0);
  });

  it("a 401 or 403 on update answers 'forbidden' too", async () => {
    const ours = gl.seed(7, "retort-ci", body("old"));
    for (const status of [401, 403]) {
      gl.refuseWrites = status;
      const result = await upsertGitLabNote(target, marker, body("new"), { createIfMissing: true });
      expect(result.action).toBe("forbidden");
      expect(result.message).toContain(String(status));
      expect(result.message).not.toContain(TOKEN);
    }
    expect(ours.body).toBe(body("old"));
  });

  it("a note gone since it was listed (404 on update) is as if there were none: a new one is created", async () => {
    const ours = gl.seed(7, "retort-ci", body("old"));
    gl.refuseUpdates = 404;
    const result = await upsertGitLabNote(target, marker, body("new"), { createIfMissing: true });
    expect(result.action).toBe("created");
    expect(calls()).toEqual(["GET /api/v4/user", `GET ${page(1)}`, `PUT ${NOTES}/${ours.id}`, `POST ${NOTES}`]);
  });

  it("a merge request gone on create (404) answers 'forbidden', without the token", async () => {
    gl.refuseWrites = 404;
    const result = await upsertGitLabNote(target, marker, body("x"), { createIfMissing: true });
    expect(result.action).toBe("forbidden");
    expect(result.message).toContain("404");
    expect(result.message).not.toContain(TOKEN);
  });

  it("stops at the page bound and writes nothing, as on GitHub", async () => {
    for (let i = 0; i < 250; i++) gl.seed(7, "alice", `note ${i}`);
    const error = await upsertGitLabNote(target, marker, body("x"), { createIfMissing: true, maxPages: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyPagesError);
    expect(error).toBeInstanceOf(RetortError);
    expect((error as Error).message).toBe(
      "More than 2 pages of notes on merge request !7 of project 42; retort stopped looking for its note and wrote none (a new one could duplicate it).",
    );
    expect(calls()).toEqual(["GET /api/v4/user", `GET ${page(1)}`, `GET ${page(2)}`, `GET ${page(3)}`]);
  });

  it("other failures throw a RetortError with the status and GitLab's message, token removed", async () => {
    gl.refuseWrites = 500;
    const error = await upsertGitLabNote(target, marker, body("x"), { createIfMissing: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetortError);
    expect(error).toBeInstanceOf(GitLabApiError);
    expect(error).toMatchObject({ status: 500, code: "connection" });
    expect((error as Error).message).toContain("500");
    expect((error as Error).message).toContain("500 Forbidden");
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it("a refused list (e.g. 401) throws: it is a read, not a write", async () => {
    gl.refuseList = 401;
    await expect(upsertGitLabNote(target, marker, body("x"), { createIfMissing: true })).rejects.toMatchObject({
      name: "GitLabApiError",
      status: 401,
    });
    expect(calls()).toEqual(["GET /api/v4/user", `GET ${page(1)}`]);
  });

  it("an unreachable GitLab throws a RetortError with a null status", async () => {
    await gl.stop();
    const error = await upsertGitLabNote(target, marker, body("x"), { createIfMissing: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitLabApiError);
    expect(error).toMatchObject({ status: null });
    expect((error as Error).message).toContain("Could not reach GitLab");
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it("never shows the credentials of an API URL that holds some, whatever fails", async () => {
    const withCredentials = { ...target, apiUrl: target.apiUrl.replace("://", "://api-user:Ap1-Passw0rd@") };
    const error = await upsertGitLabNote(withCredentials, marker, body("x"), { createIfMissing: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitLabApiError);
    expect((error as Error).message).toContain("Could not reach GitLab at http://127.0.0.1:");
    expect((error as Error).message).not.toMatch(/api-user|Ap1-Passw0rd/);
  });

  it("does not follow redirects (the token header would go with them)", async () => {
    gl.redirectTo = "/elsewhere/api/v4/user";
    const error = await upsertGitLabNote(target, marker, body("x"), { createIfMissing: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitLabApiError);
    expect(error).toMatchObject({ status: 301 });
    expect(calls()).toEqual(["GET /api/v4/user"]);
  });

  describe("when the token may not read GET /user", () => {
    it("401: matches the marker only among bot users' notes; a person's note is left alone", async () => {
      gl.userEndpoint = 401;
      gl.writer = "project_42_bot_9f8e7d";
      const ours = gl.seed(7, "project_42_bot_9f8e7d", body("old"));
      const human = gl.seed(7, "alice", body("alice pasted the marker"));
      const result = await upsertGitLabNote(target, marker, body("new"), { createIfMissing: true });
      expect(result.action).toBe("updated");
      expect(calls()).toEqual(["GET /api/v4/user", `GET ${page(1)}`, `PUT ${NOTES}/${ours.id}`]);
      expect(ours.body).toBe(body("new"));
      expect(human.body).toBe(body("alice pasted the marker"));
    });

    it("401 with only a person's note carrying the marker: creates its own instead of touching it", async () => {
      gl.userEndpoint = 401;
      const human = gl.seed(7, "alice", body("old"));
      const result = await upsertGitLabNote(target, marker, body("new"), { createIfMissing: true });
      expect(result.action).toBe("created");
      expect(calls()).toEqual(["GET /api/v4/user", `GET ${page(1)}`, `POST ${NOTES}`]);
      expect(human.body).toBe(body("old"));
    });

    it("403 (insufficient scope) falls back the same way", async () => {
      gl.userEndpoint = 403;
      const ours = gl.seed(7, "group_11_bot_abc123", body("same"));
      const result = await upsertGitLabNote(target, marker, body("same"), { createIfMissing: true });
      expect(result).toEqual({ action: "unchanged", url: `${MR_URL}#note_${ours.id}` });
    });

    it("any other failure of GET /user throws", async () => {
      gl.userEndpoint = 500;
      await expect(upsertGitLabNote(target, marker, body("x"), { createIfMissing: true })).rejects.toMatchObject({ status: 500 });
      expect(calls()).toEqual(["GET /api/v4/user"]);
    });

    it("a job token is sent as JOB-TOKEN; its refused write is 'forbidden'", async () => {
      gl.userEndpoint = 401;
      gl.refuseWrites = 403;
      const result = await upsertGitLabNote({ ...target, tokenKind: "job" }, marker, body("x"), { createIfMissing: true });
      expect(result.action).toBe("forbidden");
      expect(result.message).toContain("job token");
      expect(result.message).not.toContain(TOKEN);
      expect(gl.requests.every((r) => r.jobToken === TOKEN && r.privateToken === undefined)).toBe(true);
    });
  });

  it("keeps one note per marker: two environments, two notes", async () => {
    const staging = commentMarker("staging", "db/migrations");
    const production = commentMarker("production", "db/migrations");
    expect((await upsertGitLabNote(target, staging, body("s1", staging), { createIfMissing: true })).action).toBe("created");
    expect((await upsertGitLabNote(target, production, body("p1", production), { createIfMissing: true })).action).toBe("created");
    expect((await upsertGitLabNote(target, staging, body("s2", staging), { createIfMissing: true })).action).toBe("updated");
    expect((await upsertGitLabNote(target, production, body("p1", production), { createIfMissing: true })).action).toBe("unchanged");
    expect(gl.on(7).map((n) => n.body)).toEqual([body("s2", staging), body("p1", production)]);
    expect(calls().filter((c) => !c.startsWith("GET"))).toEqual([`POST ${NOTES}`, `POST ${NOTES}`, `PUT ${NOTES}/${gl.on(7)[0]!.id}`]);
  });

  it("looks only at the merge request it is given", async () => {
    gl.seed(8, "retort-ci", body("on another merge request"));
    const result = await upsertGitLabNote(target, marker, body("x"), { createIfMissing: true });
    expect(result.action).toBe("created");
    expect(gl.on(7)).toHaveLength(1);
    expect(gl.on(8)[0]!.body).toBe(body("on another merge request"));
  });

  it("encodes a project path, and a trailing slash on the API URL does no harm; no web URL → null url", async () => {
    const t = { apiUrl: `${gl.apiUrl}/`, projectId: "group/sub/app", mergeRequestIid: "3", token: TOKEN };
    const result = await upsertGitLabNote(t, marker, body("x"), { createIfMissing: true });
    expect(result).toEqual({ action: "created", url: null });
    expect(calls()).toEqual([
      "GET /api/v4/user",
      "GET /api/v4/projects/group%2Fsub%2Fapp/merge_requests/3/notes?per_page=100&page=1",
      "POST /api/v4/projects/group%2Fsub%2Fapp/merge_requests/3/notes",
    ]);
    expect(gl.on(3, "group/sub/app")).toHaveLength(1);
  });
});

describe("isGitLabBot", () => {
  it("knows access-token bots and service accounts, not people", () => {
    for (const username of ["project_42_bot", "project_42_bot1", "project_42_bot_0a1b2c3d", "group_7_bot_ff00", "service_account_group_7_abc"]) {
      expect(isGitLabBot({ username }), username).toBe(true);
    }
    expect(isGitLabBot({ username: "renovate", bot: true })).toBe(true);
    for (const username of ["alice", "project_bot", "my_project_42_bot", "project_42_botany"]) {
      expect(isGitLabBot({ username }), username).toBe(false);
    }
    expect(isGitLabBot(null)).toBe(false);
  });
});

describe("marker forgery: only the marker on a note's first line counts", () => {
  const production = commentMarker("production", "db");
  const variants: [string, HostileCase][] = [
    ["every value is another environment's marker", hostileCase(production)],
    ["staging's SQL, messages, ids, paths and drift quote production's marker", varied(hostileCase(production), { environment: "staging", migrations: "db" })],
    ["an environment named after the marker and a line break", varied(hostileCase("x"), { environment: `\r\n${production}`, migrations: "db" })],
  ];
  for (const [name, input] of variants) {
    it(name, async () => {
      const own = commentMarker(input.frame.environment, input.result.migrations);
      const note = renderComment(input.result, input.frame, GITLAB_NOTE_LIMIT);
      expect(note).toContain(production);
      expect((await upsertGitLabNote(target, own, note, { createIfMissing: true })).action).toBe("created");
      const theirs = `${production}\n### 🧪 retort plan: production\n\nits own plan\n`;
      expect((await upsertGitLabNote(target, production, theirs, { createIfMissing: true })).action).toBe("created");
      expect((await upsertGitLabNote(target, own, note, { createIfMissing: true })).action).toBe("unchanged");
      expect((await upsertGitLabNote(target, production, `${theirs}v2\n`, { createIfMissing: true })).action).toBe("updated");
      expect(gl.on(7).map((n) => n.body).sort()).toEqual([note, `${theirs}v2\n`].sort());
    });
  }

  it("an older note of ours quoting the marker below its first line is not taken, even as the oldest match", async () => {
    const staging = commentMarker("staging", "db");
    const quoting = gl.seed(7, "retort-ci", `${staging}\n\n\`\`\`sql\nSELECT '${production}';\n\`\`\`\n`);
    expect((await upsertGitLabNote(target, production, `${production}\nnew\n`, { createIfMissing: true })).action).toBe("created");
    expect(quoting.body.startsWith(staging)).toBe(true);
    expect(quoting.body).toContain(`SELECT '${production}'`);
  });
});
