// End to end: the bundled dist/action.js runs as a child process, as the Actions runner runs
// it (INPUT_* variables, the event file, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), against a fake
// GitHub REST API on 127.0.0.1 and the machine's real PostgreSQL and MariaDB.

import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { renderRevisionFile } from "../../src/load/native.js";
import { BACKENDS, connect, describeBackend, type Backend } from "../servers.js";

const ACTION = join(process.cwd(), "dist/action.js");
/** Node 24 (what GitHub runs the Action on), from the npm package `node`, and the machine's own. */
const NODE_24 = join(process.cwd(), "node_modules/node/bin/node");
/** The machine's Node.js (20 here): the first `node` on PATH outside node_modules. */
const SYSTEM_NODE = (process.env.PATH ?? "")
  .split(delimiter)
  .filter((d) => !d.includes("node_modules"))
  .map((d) => join(d, "node"))
  .find((n) => existsSync(n));
const NODES = [NODE_24, SYSTEM_NODE].filter((n): n is string => n !== undefined && existsSync(n));
const version = (node: string) => execFileSync(node, ["--version"]).toString().trim();

it("runs the bundle on Node 24 (as GitHub does) and on the machine's Node 20", () => {
  expect(NODES).toHaveLength(2);
  expect(version(NODES[0]!)).toMatch(/^v24\./);
  expect(Number(version(NODES[1]!).slice(1).split(".")[0])).toBeGreaterThanOrEqual(20);
});
const PASSWORD = "Act10n-Secret-pw";

interface Comment {
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

/** A fake of the few GitHub endpoints the Action uses: comments of one pull request. */
class FakeGitHub {
  comments: Comment[] = [];
  requests: Request[] = [];
  forbidWrites = false;
  private nextId = 1000;
  private server: Server | null = null;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.port = (this.server!.address() as { port: number }).port;
  }
  stop(): Promise<void> {
    return new Promise((r) => this.server?.close(() => r()));
  }
  add(body: string, login: string): void {
    const id = this.nextId++;
    this.comments.push({ id, body, user: { login, type: "Bot" }, html_url: `https://github.test/o/r/pull/7#issuecomment-${id}` });
  }
  ours(): Comment[] {
    return this.comments.filter((c) => c.user.login === "github-actions[bot]" && c.body.includes("retort:plan"));
  }
  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
    const url = new URL(req.url!, `http://127.0.0.1:${this.port}`);
    this.requests.push({ method: req.method!, path: `${url.pathname}${url.search}`, body });
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(data));
    };
    if (req.method === "GET" && url.pathname === "/user") return send(403, { message: "Resource not accessible by integration" });
    if (req.method === "GET" && url.pathname === "/repos/o/r/issues/7/comments") {
      const per = Number(url.searchParams.get("per_page") ?? 30);
      const page = Number(url.searchParams.get("page") ?? 1);
      const last = Math.max(1, Math.ceil(this.comments.length / per));
      const link =
        page < last ? { link: `<http://127.0.0.1:${this.port}/repos/o/r/issues/7/comments?per_page=${per}&page=${page + 1}>; rel="next"` } : {};
      return send(200, this.comments.slice((page - 1) * per, page * per), link as Record<string, string>);
    }
    if (this.forbidWrites && (req.method === "POST" || req.method === "PATCH")) return send(403, { message: "Resource not accessible by integration" });
    if (req.method === "POST" && url.pathname === "/repos/o/r/issues/7/comments") {
      this.add(String(body!.body), "github-actions[bot]");
      return send(201, this.comments.at(-1));
    }
    const m = /^\/repos\/o\/r\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (req.method === "PATCH" && m) {
      const c = this.comments.find((x) => x.id === Number(m[1]));
      if (!c) return send(404, { message: "Not Found" });
      c.body = String(body!.body);
      return send(200, c);
    }
    send(404, { message: `no fake for ${req.method} ${url.pathname}` });
  }
}

interface RunResult {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^(.+?)<<(ghadelimiter_[^\n]+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

for (const backend of BACKENDS.filter((b): b is Backend => b.name !== "pglite")) {
  describeBackend(backend, "the Action, end to end", () => {
    const github = new FakeGitHub();
    let work: string;
    let url: string;
    let drop: () => Promise<void>;
    const written: string[] = [];

    const revision = (id: string, down: string[], upgrade: string) =>
      writeFileSync(
        join(work, "migrations", `${id}_r.sql`),
        renderRevisionFile({ id, message: `create ${id}`, downRevisions: down, createDate: "d", upgrade, downgrade: `DROP TABLE t_${id};` }),
      );

    const runAction = (inputs: Record<string, string>, event: string, payload: unknown, node = NODES[0]!): Promise<RunResult> => {
      const dir = mkdtempSync(join(work, "run-"));
      const eventPath = join(dir, "event.json");
      writeFileSync(eventPath, JSON.stringify(payload));
      const outputPath = join(dir, "output");
      const summaryPath = join(dir, "summary");
      writeFileSync(outputPath, "");
      writeFileSync(summaryPath, "");
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? "",
        GITHUB_EVENT_NAME: event,
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_OUTPUT: outputPath,
        GITHUB_STEP_SUMMARY: summaryPath,
        GITHUB_REPOSITORY: "o/r",
        GITHUB_API_URL: `http://127.0.0.1:${github.port}`,
        GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
        GITHUB_ACTOR: "octocat",
        GITHUB_RUN_ID: "42",
        GITHUB_SERVER_URL: "https://github.test",
        RUNNER_TEMP: dir,
        "INPUT_GITHUB-TOKEN": "ghs_faketoken",
        INPUT_MIGRATIONS: "migrations",
        INPUT_COMMENT: "true",
      };
      for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
      return new Promise((resolve) => {
        execFile(node, [ACTION], { cwd: work, env }, (error, stdout, stderr) => {
          const result = {
            code: error ? ((error as { code?: number }).code ?? 1) : 0,
            stdout: stdout + stderr,
            outputs: parseOutputs(readFileSync(outputPath, "utf8")),
            summary: readFileSync(summaryPath, "utf8"),
          };
          written.push(result.stdout, readFileSync(outputPath, "utf8"), result.summary);
          for (const f of [result.outputs["sql-file"], result.outputs["plan-file"]]) if (f && existsSync(f)) written.push(readFileSync(f, "utf8"));
          resolve(result);
        });
      });
    };
    const pr = { pull_request: { number: 7, head: { sha: "feedfacefeedfacefeedfacefeedfacefeedface" } } };
    const versions = async () => {
      const d = await connect(url.replace(`:${PASSWORD}@`, "@"));
      try {
        if (!(await d.tableExists(null, "alembic_version"))) return [];
        return (await d.query("SELECT version_num FROM alembic_version")).rows.map((r) => String(r.version_num)).sort();
      } finally {
        await d.close();
      }
    };

    beforeAll(async () => {
      await github.start();
      work = mkdtempSync(join(tmpdir(), "retort-action-"));
      ({ url, drop } = await backend.create());
      if (backend.name === "postgresql") {
        const u = new URL(url);
        u.password = PASSWORD; // trust auth ignores it; it must still never show
        url = u.href;
      }
      mkdirSync(join(work, "migrations"));
      revision("aaaa00000001", [], "CREATE TABLE t_aaaa00000001 (id INT PRIMARY KEY);");
      revision("bbbb00000002", ["aaaa00000001"], "CREATE TABLE t_bbbb00000002 (id INT PRIMARY KEY);");
    });
    afterAll(async () => {
      await github.stop();
      await drop();
      rmSync(work, { recursive: true, force: true });
    });

    it("plans on a pull request: creates one comment, then updates it in place", async () => {
      for (let i = 0; i < 150; i++) github.add(`comment ${i} <!-- retort:plan environment="" migrations="migrations" -->`, i === 3 ? "other-bot[bot]" : "someone");
      const first = await runAction({ "DATABASE-URL": url, ENVIRONMENT: "staging" }, "pull_request", pr);
      expect(first.code, first.stdout).toBe(0);
      expect(first.outputs).toMatchObject({ current: "", target: "bbbb00000002", "pending-count": "2", "applied-count": "0" });
      expect(JSON.parse(first.outputs["pending-revisions"]!)).toEqual(["aaaa00000001", "bbbb00000002"]);
      expect(readFileSync(first.outputs["sql-file"]!, "utf8")).toContain("-- Running upgrade aaaa00000001 -> bbbb00000002");
      expect(JSON.parse(readFileSync(first.outputs["plan-file"]!, "utf8")).pending).toHaveLength(2);
      expect(first.summary).toContain("staging");
      expect(first.summary).toContain("CREATE TABLE t_bbbb00000002");
      // Paged through all 150, then created ours: nobody else's comment was touched.
      const gets = github.requests.filter((r) => r.method === "GET" && r.path.startsWith("/repos/o/r/issues/7/comments"));
      expect(gets.map((r) => r.path)).toEqual(["/repos/o/r/issues/7/comments?per_page=100", "/repos/o/r/issues/7/comments?per_page=100&page=2"]);
      expect(github.requests.filter((r) => r.method === "POST")).toHaveLength(1);
      expect(github.requests.filter((r) => r.method === "PATCH")).toHaveLength(0);
      expect(github.ours()).toHaveLength(1);
      expect(first.outputs["comment-url"]).toBe(github.ours()[0]!.html_url);
      expect(github.ours()[0]!.body).toContain("aaaa00000001");
      expect(await versions()).toEqual([]); // a plan changes nothing

      github.requests = [];
      revision("cccc00000003", ["bbbb00000002"], "CREATE TABLE t_cccc00000003 (id INT PRIMARY KEY);");
      const second = await runAction({ "DATABASE-URL": url, ENVIRONMENT: "staging" }, "pull_request", pr, NODES.at(-1));
      expect(second.code, second.stdout).toBe(0);
      expect(github.requests.filter((r) => r.method === "POST")).toHaveLength(0);
      const patches = github.requests.filter((r) => r.method === "PATCH");
      expect(patches.map((r) => r.path)).toEqual([`/repos/o/r/issues/comments/${github.ours()[0]!.id}`]);
      expect(github.ours()).toHaveLength(1);
      expect(github.ours()[0]!.body).toContain("cccc00000003");
      expect(github.comments.find((c) => c.user.login === "other-bot[bot]")!.body).toBe('comment 3 <!-- retort:plan environment="" migrations="migrations" -->');

      // A second environment gets its own comment.
      const other = await runAction({ "DATABASE-URL": url, ENVIRONMENT: "production" }, "pull_request", pr);
      expect(other.code, other.stdout).toBe(0);
      expect(github.ours()).toHaveLength(2);
    });

    it("a fork's pull request without database URL plans offline from `from`; a 403 is a warning", async () => {
      github.forbidWrites = true;
      try {
        const r = await runAction({ FROM: "aaaa00000001", ENVIRONMENT: "fork" }, "pull_request", pr);
        expect(r.code, r.stdout).toBe(0);
        expect(r.outputs).toMatchObject({ current: "aaaa00000001", "pending-count": "2", "comment-url": "" });
        expect(r.stdout).toMatch(/::warning::Could not write the pull-request comment/);
        expect(r.summary).toContain("planned offline from aaaa00000001");
      } finally {
        github.forbidWrites = false;
      }
    });

    it("dry-run on push changes nothing; push applies under the lock and records history", async () => {
      const dry = await runAction({ "DATABASE-URL": url, "DRY-RUN": "true" }, "push", {});
      expect(dry.code, dry.stdout).toBe(0);
      expect(dry.outputs["applied-count"]).toBe("0");
      expect(await versions()).toEqual([]);

      const applied = await runAction({ "DATABASE-URL": url }, "push", {});
      expect(applied.code, applied.stdout).toBe(0);
      expect(applied.outputs).toMatchObject({ current: "", target: "cccc00000003", "applied-count": "3" });
      expect(applied.summary).toContain("#### Applied");
      expect(await versions()).toEqual(["cccc00000003"]);
      const d = await connect(url.replace(`:${PASSWORD}@`, "@"));
      const { rows } = await d.query("SELECT actor, commit_sha, run_url FROM alembic_version_history ORDER BY id");
      await d.close();
      expect(rows).toHaveLength(3);
      expect(rows[0]).toMatchObject({ actor: "octocat", commit_sha: "0123456789abcdef0123456789abcdef01234567", run_url: "https://github.test/o/r/actions/runs/42" });
    });

    it("nothing pending: the existing comment says so, no new one is made", async () => {
      github.requests = [];
      const before = github.ours().length;
      const r = await runAction({ "DATABASE-URL": url, ENVIRONMENT: "staging" }, "pull_request", pr);
      expect(r.code, r.stdout).toBe(0);
      expect(r.outputs["pending-count"]).toBe("0");
      expect(github.requests.filter((x) => x.method === "POST")).toHaveLength(0);
      expect(github.ours()).toHaveLength(before);
      expect(github.ours().find((c) => c.body.includes("staging"))!.body).toMatch(/No pending migrations/);
    });

    it("a failing revision fails the step with an annotation on the file and line", async () => {
      revision("dddd00000004", ["cccc00000003"], "CREATE TABLE t_dddd00000004 (id INT PRIMARY KEY);\nTHIS IS NOT SQL;");
      const r = await runAction({ "DATABASE-URL": url }, "push", {});
      expect(r.code).not.toBe(0);
      expect(r.stdout).toMatch(/::error title=retort,file=migrations\/dddd00000004_r\.sql,line=\d+.*::upgrade dddd00000004/);
      expect(r.stdout).toMatch(/::error::upgrade dddd00000004 .* failed/);
      expect(await versions()).toEqual(["cccc00000003"]);
      rmSync(join(work, "migrations", "dddd00000004_r.sql"));
    });

    it("never wrote or sent the password, except to register it as a secret", () => {
      const everything = [...written, ...github.requests.map((r) => JSON.stringify(r))].join("\n");
      const lines = everything.split("\n").filter((l) => !l.startsWith("::add-mask::"));
      if (backend.name === "postgresql") {
        expect(everything).toContain(`::add-mask::${PASSWORD}`);
        expect(lines.join("\n")).not.toContain(PASSWORD);
      }
      expect(lines.join("\n")).not.toContain("ghs_faketoken");
    });
  });
}

it("refuses an embedded pglite:// database with a clear error", () => {
  const dir = mkdtempSync(join(tmpdir(), "retort-action-pglite-"));
  try {
    writeFileSync(join(dir, "event.json"), "{}");
    let out = "";
    let code = 0;
    try {
      execFileSync(NODES[0]!, [ACTION], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? "", GITHUB_EVENT_NAME: "push", GITHUB_EVENT_PATH: join(dir, "event.json"), "INPUT_DATABASE-URL": "pglite://memory" },
        stdio: "pipe",
      });
    } catch (e) {
      code = (e as { status: number }).status;
      out = String((e as { stdout: Buffer }).stdout);
    }
    expect(code).not.toBe(0);
    expect(out).toContain("::error::The Action applies to PostgreSQL or MySQL/MariaDB");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describeBackend(BACKENDS.find((b) => b.name === "postgresql")!, "the Action on an Alembic project", () => {
  const github = new FakeGitHub();
  let url: string;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    await github.start();
    ({ url, drop } = await BACKENDS.find((b) => b.name === "postgresql")!.create());
  });
  afterAll(async () => {
    await github.stop();
    await drop();
  });

  it("comments Alembic's own SQL for the tutorial project", async () => {
    const dir = mkdtempSync(join(tmpdir(), "retort-action-alembic-"));
    try {
      const event = join(dir, "event.json");
      writeFileSync(event, JSON.stringify({ pull_request: { number: 7, head: { sha: "feedfacefeedfacefeedfacefeedfacefeedface" } } }));
      writeFileSync(join(dir, "output"), "");
      writeFileSync(join(dir, "summary"), "");
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(
          NODES[0]!,
          [ACTION],
          {
            cwd: process.cwd(),
            env: {
              PATH: process.env.PATH ?? "",
              PYTHONDONTWRITEBYTECODE: "1",
              GITHUB_EVENT_NAME: "pull_request",
              GITHUB_EVENT_PATH: event,
              GITHUB_OUTPUT: join(dir, "output"),
              GITHUB_STEP_SUMMARY: join(dir, "summary"),
              GITHUB_REPOSITORY: "o/r",
              GITHUB_API_URL: `http://127.0.0.1:${github.port}`,
              RUNNER_TEMP: dir,
              "INPUT_GITHUB-TOKEN": "ghs_faketoken",
              INPUT_MIGRATIONS: "tests/fixtures/alembic-tutorial",
              "INPUT_ALEMBIC-COMMAND": "/usr/bin/python3 -m alembic",
              "INPUT_DATABASE-URL": url,
              INPUT_COMMENT: "true",
            },
          },
          (error, out, err) => (error ? reject(new Error(`${error.message}\n${out}\n${err}`)) : resolve(out)),
        ),
      );
      expect(stdout).toContain("plan (auto on pull_request)");
      const outputs = parseOutputs(readFileSync(join(dir, "output"), "utf8"));
      expect(outputs["pending-count"]).toBe("6");
      const body = github.ours()[0]!.body;
      // The SQL is what Alembic renders from the Python revisions.
      expect(body).toContain("CREATE SCHEMA IF NOT EXISTS ecommerce_olist;");
      expect(body).toContain("-- Running upgrade 784a7abb86b7 -> b1bc43e2f536");
      expect(readFileSync(outputs["sql-file"]!, "utf8")).toContain("CREATE TABLE IF NOT EXISTS ecommerce_olist.customers");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
