// Fake HTTP APIs (GitHub's, GitLab's) on 127.0.0.1 for the tests of the comment path, written
// once: a route table, every request recorded, and every server closed after its test (or its
// suite) even when the test failed, with any connection a route held open destroyed, so no
// server outlives its test and none keeps the run waiting.

import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach } from "vitest";

/** A request as the fake received it. */
export interface SeenRequest {
  readonly method: string;
  /** The path and query, as sent. */
  readonly path: string;
  /** `path` parsed against the fake's own origin. */
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  /** The body parsed as JSON, or null when there was none. */
  readonly body: unknown;
  /** The body as sent. */
  readonly raw: string;
}

/** An answer: `body` is sent as JSON (content-type application/json unless `headers` says
 *  otherwise), `text` as it is. */
export interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly text?: string;
  readonly headers?: Record<string, string>;
}

/** A route: an answer, or undefined when it answered on `res` itself (holding it open, half a
 *  body, a redirect without a body). */
export type Handler = (req: SeenRequest, res: ServerResponse) => Answer | undefined;

export interface Route {
  /** "GET", "POST", ...; "*" for any. */
  readonly method: string;
  /** The pathname (no query): equal to a string, or matching a RegExp (its groups go to `match`). */
  readonly path: string | RegExp;
  readonly handle: (req: SeenRequest & { readonly match: RegExpExecArray | null }, res: ServerResponse) => Answer | undefined | "next";
}

export interface FakeHost {
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  readonly requests: SeenRequest[];
  /** "METHOD path" of every request, in order. */
  calls(): string[];
  close(): Promise<void>;
}

/** What a request no route takes gets. */
const NO_ROUTE: Answer = { status: 404, body: { message: "no fake for this request" } };

function json(raw: string): unknown {
  if (raw === "") return null;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function send(res: ServerResponse, answer: Answer): void {
  const text = answer.text ?? JSON.stringify(answer.body ?? null);
  res.writeHead(answer.status, { "content-type": "application/json; charset=utf-8", ...answer.headers });
  res.end(text);
}

function matches(route: Route, req: SeenRequest): RegExpExecArray | null | false {
  if (route.method !== "*" && route.method !== req.method) return false;
  if (typeof route.path === "string") return route.path === req.url.pathname ? null : false;
  return route.path.exec(req.url.pathname) ?? false;
}

/** Serves `routes` on 127.0.0.1: the first route whose method and path match a request answers
 *  it (a route answering "next" passes it on); no match is a 404. Close it yourself, or start it
 *  through `fakeHosts`. */
export async function startFakeHost(routes: readonly Route[]): Promise<FakeHost> {
  const requests: SeenRequest[] = [];
  let origin = "";
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += String(chunk)));
    req.on("end", () => {
      const path = req.url ?? "/";
      const seen: SeenRequest = { method: req.method ?? "", path, url: new URL(path, origin), headers: req.headers, body: json(raw), raw };
      requests.push(seen);
      for (const route of routes) {
        const match = matches(route, seen);
        if (match === false) continue;
        const answer = route.handle({ ...seen, match }, res);
        if (answer === "next") continue;
        if (answer !== undefined) send(res, answer);
        return;
      }
      send(res, NO_ROUTE);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closed: Promise<void> | null = null;
  return {
    origin,
    requests,
    calls: () => requests.map((r) => `${r.method} ${r.path}`),
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** `startFakeHost` for a test file: every host it starts is closed after each test ("each",
 *  for hosts a test or beforeEach starts) or after the file's tests ("all", for beforeAll),
 *  whether the test passed or not. Call it at the top level of the file or of a describe. */
export function fakeHosts(scope: "each" | "all" = "each"): { start: (routes: readonly Route[]) => Promise<FakeHost> } {
  const open: FakeHost[] = [];
  const closeAll = async () => {
    await Promise.all(open.splice(0).map((host) => host.close()));
  };
  if (scope === "each") afterEach(closeAll);
  else afterAll(closeAll);
  return {
    start: async (routes) => {
      const host = await startFakeHost(routes);
      open.push(host);
      return host;
    },
  };
}

/** A route for any request on any path: `handle` sees them all (a fake with one handler). */
export function anyRequest(handle: Handler): Route {
  return { method: "*", path: /^/, handle: (req, res) => handle(req, res) };
}
