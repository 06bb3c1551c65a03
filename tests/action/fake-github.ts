// A fake of the GitHub endpoints the Action uses, for the tests that run it as the runner does
// (e2e.test.ts, secrets.test.ts), on 127.0.0.1 through fakeHosts.

import { fakeHosts, type Answer, type FakeHost, type Route } from "../fake-hosts.js";

export interface Comment {
  id: number;
  body: string;
  user: { login: string; type: string };
  html_url: string;
}
interface Request {
  method: string;
  path: string;
  body: unknown;
}

/** A fake of the few GitHub endpoints the Action uses: comments of one pull request. Started
 *  through `hosts` (fakeHosts), which closes it after the suite whatever happened. */
export class FakeGitHub {
  comments: Comment[] = [];
  forbidWrites = false;
  /** Every page of comments links to one more. */
  endlessPages = false;
  private nextId = 1000;
  private host: FakeHost | null = null;
  port = 0;

  private readonly hosts: ReturnType<typeof fakeHosts>;

  constructor(hosts: ReturnType<typeof fakeHosts>) {
    this.hosts = hosts;
  }

  /** Every request since the start (or `forget`): method, path and query, JSON body. */
  get requests(): Request[] {
    return this.host!.requests.map(({ method, path, body }) => ({ method, path, body }));
  }
  /** Each request as "METHOD path" and its body, as sent. */
  get bodies(): string[] {
    return this.host!.requests.map((r) => `${r.method} ${r.path}\n${r.raw}`);
  }
  forget(): void {
    this.host!.requests.length = 0;
  }
  async start(): Promise<void> {
    this.host = await this.hosts.start(this.routes());
    this.port = Number(new URL(this.host.origin).port);
  }
  stop(): Promise<void> {
    return this.host!.close();
  }
  add(body: string, login: string): void {
    const id = this.nextId++;
    this.comments.push({ id, body, user: { login, type: "Bot" }, html_url: `https://github.test/o/r/pull/7#issuecomment-${id}` });
  }
  ours(): Comment[] {
    return this.comments.filter((c) => c.user.login === "github-actions[bot]" && c.body.includes("retort:plan"));
  }
  private list(url: URL): Answer {
    const per = Number(url.searchParams.get("per_page") ?? 30);
    const page = Number(url.searchParams.get("page") ?? 1);
    const last = this.endlessPages ? page + 1 : Math.max(1, Math.ceil(this.comments.length / per));
    const link = page < last ? { link: `<http://127.0.0.1:${this.port}/repos/o/r/issues/7/comments?per_page=${per}&page=${page + 1}>; rel="next"` } : {};
    return { status: 200, body: this.comments.slice((page - 1) * per, page * per), headers: link as Record<string, string> };
  }
  private routes(): Route[] {
    const comments = "/repos/o/r/issues/7/comments";
    const refused: Answer = { status: 403, body: { message: "Resource not accessible by integration" } };
    return [
      { method: "GET", path: "/user", handle: () => refused },
      { method: "GET", path: comments, handle: ({ url }) => this.list(url) },
      { method: "*", path: /^/, handle: ({ method }) => (this.forbidWrites && (method === "POST" || method === "PATCH") ? refused : "next") },
      {
        method: "POST",
        path: comments,
        handle: ({ body }) => {
          this.add(String((body as Record<string, unknown>).body), "github-actions[bot]");
          return { status: 201, body: this.comments.at(-1) };
        },
      },
      {
        method: "PATCH",
        path: /^\/repos\/o\/r\/issues\/comments\/(\d+)$/,
        handle: ({ body, match }) => {
          const c = this.comments.find((x) => x.id === Number(match![1]));
          if (!c) return { status: 404, body: { message: "Not Found" } };
          c.body = String((body as Record<string, unknown>).body);
          return { status: 200, body: c };
        },
      },
      { method: "*", path: /^/, handle: ({ method, url }) => ({ status: 404, body: { message: `no fake for ${method} ${url.pathname}` } }) },
    ];
  }
}
