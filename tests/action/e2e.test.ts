// End to end: the Action runs as one step of a job, started from action.yml the way GitHub's
// runner starts it (tests/action/runner.ts: its declared inputs and defaults as INPUT_*, the
// event file, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, `runs.main` on the Node.js `runs.using`
// names), against a fake GitHub REST API on 127.0.0.1 and the machine's real PostgreSQL and
// MariaDB.

import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { renderRevisionFile } from "../../src/load/native.js";
import { fakeHosts } from "../fake-hosts.js";
import { BACKENDS, describeBackend, queryOnce, withDriver, type Backend } from "../servers.js";
import { FakeGitHub } from "./fake-github.js";
import { loadAction, nodeFor, runStep, type StepOptions, type StepResult } from "./runner.js";

const ACTION = loadAction();
/** The Node.js action.yml names (24, as on GitHub), and the machine's own (20 here: the first
 *  `node` on PATH outside node_modules), on which the bundle must run too. */
const NODE_OF_ACTION = nodeFor(ACTION.using);
const SYSTEM_NODE = (process.env.PATH ?? "")
  .split(delimiter)
  .filter((d) => !d.includes("node_modules"))
  .map((d) => join(d, "node"))
  .find((n) => existsSync(n));
const version = (node: string) => execFileSync(node, ["--version"]).toString().trim();
const TOKEN = "ghs_faketoken";

it("runs the bundle on the Node.js action.yml names (24, as GitHub does) and on the machine's Node 20", () => {
  expect(ACTION.using).toBe("node24");
  expect(version(NODE_OF_ACTION)).toMatch(/^v24\./);
  expect(SYSTEM_NODE).toBeDefined();
  expect(Number(version(SYSTEM_NODE!).slice(1).split(".")[0])).toBeGreaterThanOrEqual(20);
});
const PASSWORD = "Act10n-Secret-pw";

for (const backend of BACKENDS.filter((b): b is Backend => b.name !== "pglite")) {
  describeBackend(backend, "the Action, end to end", () => {
    const github = new FakeGitHub(fakeHosts("all"));
    let work: string;
    let url: string;
    let drop: () => Promise<void>;
    const written: string[] = [];

    const revision = (id: string, down: string[], upgrade: string) =>
      writeFileSync(
        join(work, "migrations", `${id}_r.sql`),
        renderRevisionFile({ id, message: `create ${id}`, downRevisions: down, createDate: "d", upgrade, downgrade: `DROP TABLE t_${id};` }),
      );

    /** One step `uses: ./` with `inputs` as its `with:`, on `event` with `payload`. */
    const runAction = async (inputs: Record<string, string>, event: string, payload: unknown, node?: string): Promise<StepResult> => {
      const options: StepOptions = {
        with: inputs,
        event,
        payload,
        workspace: work,
        token: TOKEN,
        env: {
          GITHUB_REPOSITORY: "o/r",
          GITHUB_API_URL: `http://127.0.0.1:${github.port}`,
          GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
          GITHUB_ACTOR: "octocat",
          GITHUB_RUN_ID: "42",
          GITHUB_SERVER_URL: "https://github.test",
        },
        ...(node ? { node } : {}),
      };
      const result = await runStep(ACTION, options);
      expect(result.unexpectedInputs).toEqual([]);
      written.push(result.log, JSON.stringify(result.outputs), result.summary);
      for (const f of [result.outputs["sql-file"], result.outputs["plan-file"]]) if (f && existsSync(f)) written.push(readFileSync(f, "utf8"));
      return result;
    };
    const pr = { pull_request: { number: 7, head: { sha: "feedfacefeedfacefeedfacefeedfacefeedface" } } };
    const versions = () =>
      withDriver(url.replace(`:${PASSWORD}@`, "@"), async (d) => {
        if (!(await d.tableExists(null, "alembic_version"))) return [];
        return (await d.query("SELECT version_num FROM alembic_version")).rows.map((r) => String(r.version_num)).sort();
      });

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
      const first = await runAction({ "database-url": url, environment: "staging" }, "pull_request", pr);
      expect(first.code, first.log).toBe(0);
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

      github.forget();
      revision("cccc00000003", ["bbbb00000002"], "CREATE TABLE t_cccc00000003 (id INT PRIMARY KEY);");
      const second = await runAction({ "database-url": url, environment: "staging" }, "pull_request", pr, SYSTEM_NODE);
      expect(second.code, second.log).toBe(0);
      expect(github.requests.filter((r) => r.method === "POST")).toHaveLength(0);
      const patches = github.requests.filter((r) => r.method === "PATCH");
      expect(patches.map((r) => r.path)).toEqual([`/repos/o/r/issues/comments/${github.ours()[0]!.id}`]);
      expect(github.ours()).toHaveLength(1);
      expect(github.ours()[0]!.body).toContain("cccc00000003");
      expect(github.comments.find((c) => c.user.login === "other-bot[bot]")!.body).toBe('comment 3 <!-- retort:plan environment="" migrations="migrations" -->');

      // A second environment gets its own comment.
      const other = await runAction({ "database-url": url, environment: "production" }, "pull_request", pr);
      expect(other.code, other.log).toBe(0);
      expect(github.ours()).toHaveLength(2);
    });

    it("runs from what `uses:` downloads: action.yml and the committed dist/, no node_modules", async () => {
      const checkout = mkdtempSync(join(tmpdir(), "retort-action-checkout-"));
      try {
        cpSync("action.yml", join(checkout, "action.yml"));
        cpSync("dist", join(checkout, "dist"), { recursive: true });
        const downloaded = loadAction(join(checkout, "action.yml"));
        const r = await runStep(downloaded, {
          with: { "database-url": url, environment: "downloaded" },
          event: "pull_request",
          payload: pr,
          workspace: work,
          token: TOKEN,
          env: { GITHUB_REPOSITORY: "o/r", GITHUB_API_URL: `http://127.0.0.1:${github.port}` },
        });
        written.push(r.log, r.summary);
        expect(r.code, r.log).toBe(0);
        expect(r.env.GITHUB_ACTION_PATH).toBe(checkout);
        expect(r.outputs["pending-count"]).toBe("3");
        expect(github.ours().some((c) => c.body.includes("retort plan: `downloaded`"))).toBe(true);
      } finally {
        rmSync(checkout, { recursive: true, force: true });
      }
    });

    it("a fork's pull request without database URL plans offline from `from`; a 403 is a warning", async () => {
      github.forbidWrites = true;
      try {
        const r = await runAction({ from: "aaaa00000001", environment: "fork" }, "pull_request", pr);
        expect(r.code, r.log).toBe(0);
        expect(r.outputs).toMatchObject({ current: "aaaa00000001", "pending-count": "2", "comment-url": "" });
        expect(r.log).toMatch(/::warning::Could not write the pull-request comment/);
        expect(r.summary).toContain("planned offline from aaaa00000001");
      } finally {
        github.forbidWrites = false;
      }
    });

    it("comment pages that never end: a warning after the page bound, the plan in the summary, the step succeeds", async () => {
      github.endlessPages = true;
      github.forget();
      try {
        const r = await runAction({ "database-url": url, environment: "endless" }, "pull_request", pr);
        expect(r.code, r.log).toBe(0);
        expect(r.log).toMatch(/::warning::Could not write the pull-request comment: More than 1000 pages of comments on o\/r#7; retort stopped looking/);
        expect(r.summary).toContain("retort plan: `endless`");
        expect(r.outputs["comment-url"]).toBe("");
        expect(github.requests.filter((x) => x.method !== "GET")).toEqual([]);
      } finally {
        github.endlessPages = false;
      }
    });

    it("pull_request_target: plans (native SQL is only read), refuses to apply the pull request's SQL", async () => {
      const plan = await runAction({ "database-url": url, environment: "target" }, "pull_request_target", pr);
      expect(plan.code, plan.log).toBe(0);
      expect(plan.log).toContain("plan (auto on pull_request_target)");
      expect(github.ours().some((c) => c.body.includes("retort plan: `target`"))).toBe(true);
      const before = await versions();
      const apply = await runAction({ "database-url": url, command: "upgrade" }, "pull_request_target", pr);
      expect(apply.code).toBe(1);
      expect(apply.log).toContain("::error::command 'upgrade' on pull_request_target would run the pull request's SQL with this job's secrets");
      expect(await versions()).toEqual(before);
    });

    it("dry-run on push changes nothing; push applies under the lock and records history", async () => {
      const dry = await runAction({ "database-url": url, "dry-run": "true" }, "push", {});
      expect(dry.code, dry.log).toBe(0);
      expect(dry.outputs["applied-count"]).toBe("0");
      expect(await versions()).toEqual([]);

      const applied = await runAction({ "database-url": url }, "push", {});
      expect(applied.code, applied.log).toBe(0);
      expect(applied.outputs).toMatchObject({ current: "", target: "cccc00000003", "applied-count": "3" });
      expect(applied.summary).toContain("#### Applied");
      expect(await versions()).toEqual(["cccc00000003"]);
      const rows = await queryOnce(url.replace(`:${PASSWORD}@`, "@"), "SELECT actor, commit_sha, run_url FROM alembic_version_history ORDER BY id");
      expect(rows).toHaveLength(3);
      expect(rows[0]).toMatchObject({ actor: "octocat", commit_sha: "0123456789abcdef0123456789abcdef01234567", run_url: "https://github.test/o/r/actions/runs/42" });
    });

    it("nothing pending: the existing comment says so, no new one is made", async () => {
      github.forget();
      const before = github.ours().length;
      const r = await runAction({ "database-url": url, environment: "staging" }, "pull_request", pr);
      expect(r.code, r.log).toBe(0);
      expect(r.outputs["pending-count"]).toBe("0");
      expect(github.requests.filter((x) => x.method === "POST")).toHaveLength(0);
      expect(github.ours()).toHaveLength(before);
      expect(github.ours().find((c) => c.body.includes("staging"))!.body).toMatch(/No pending migrations/);
    });

    it("a failing revision fails the step with an annotation on the file and line", async () => {
      revision("dddd00000004", ["cccc00000003"], "CREATE TABLE t_dddd00000004 (id INT PRIMARY KEY);\nTHIS IS NOT SQL;");
      const r = await runAction({ "database-url": url }, "push", {});
      expect(r.code).not.toBe(0);
      expect(r.log).toMatch(/::error title=retort,file=migrations\/dddd00000004_r\.sql,line=\d+.*::upgrade dddd00000004/);
      expect(r.log).toMatch(/::error::upgrade dddd00000004 .* failed/);
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

/** A step outside the database suites, in a fresh workspace, removed afterwards. */
async function inWorkspace<T>(fn: (workspace: string) => Promise<T>): Promise<T> {
  const workspace = mkdtempSync(join(tmpdir(), "retort-action-ws-"));
  try {
    return await fn(workspace);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** What a step must never show: a JavaScript stack trace. */
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

it("refuses an embedded pglite:// database with a clear error", async () => {
  const r = await inWorkspace((workspace) => runStep(ACTION, { with: { "database-url": "pglite://memory" }, event: "push", workspace }));
  expect(r.code).not.toBe(0);
  expect(r.log).toContain("::error::The Action applies to PostgreSQL or MySQL/MariaDB");
});

it("a malformed event file is one clear error naming the file, not a stack trace", async () => {
  for (const payload of ["{ not json", "[1, 2]", ""]) {
    const r = await inWorkspace((workspace) => runStep(ACTION, { with: { "database-url": "postgresql://u@127.0.0.1:1/db" }, event: "pull_request", payload, workspace }));
    expect(r.code, r.log).toBe(1);
    expect(r.log).toMatch(/::error::The event file GITHUB_EVENT_PATH='[^']*event\.json' (is not JSON|holds no JSON object)/);
    expect(r.log).not.toMatch(STACK_FRAME);
    expect(r.log.match(/::error::/g)).toHaveLength(1);
  }
});

it("command downgrade without a target fails before connecting (the default target is empty, never head)", async () => {
  expect(ACTION.inputs.target!.default).toBe("");
  const r = await inWorkspace((workspace) =>
    // A URL nothing listens on: the step must fail on its input, not on the connection.
    runStep(ACTION, { with: { "database-url": "postgresql://u@127.0.0.1:1/db", command: "downgrade" }, event: "workflow_dispatch", workspace }),
  );
  expect(r.code).toBe(1);
  expect(r.log).toContain("::error::command 'downgrade' needs the target input");
  expect(r.log).not.toMatch(/connect|ECONNREFUSED/i);
});

describeBackend(BACKENDS.find((b) => b.name === "postgresql")!, "the Action on an Alembic project", () => {
  const github = new FakeGitHub(fakeHosts("all"));
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

  it("refuses to run an Alembic project's Python on pull_request_target", async () => {
    const workspace = mkdtempSync(join(tmpdir(), "retort-action-alembic-"));
    try {
      cpSync(join(process.cwd(), "tests/fixtures/alembic-tutorial"), join(workspace, "db"), { recursive: true });
      // A revision that would leave a mark if Alembic ran it.
      const mark = join(workspace, "ran");
      writeFileSync(join(workspace, "db/project/env.py"), `open(${JSON.stringify(mark)}, "w").write("x")\n` + readFileSync(join(workspace, "db/project/env.py"), "utf8"));
      const r = await runStep(ACTION, {
        with: { migrations: "db", "alembic-command": "/usr/bin/python3 -m alembic", "database-url": url },
        event: "pull_request_target",
        payload: { pull_request: { number: 7, head: { sha: "feedfacefeedfacefeedfacefeedfacefeedface" } } },
        workspace,
        env: { GITHUB_REPOSITORY: "o/r", GITHUB_API_URL: `http://127.0.0.1:${github.port}` },
      });
      expect(r.code).toBe(1);
      expect(r.log).toMatch(/::error::db is an Alembic project: planning it runs its env\.py and revisions/);
      expect(existsSync(mark)).toBe(false);
      expect(github.ours()).toEqual([]);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  it("comments Alembic's own SQL for the tutorial project", async () => {
    const workspace = mkdtempSync(join(tmpdir(), "retort-action-alembic-"));
    try {
      // The project as a repository holds it: the workspace is the checkout.
      cpSync(join(process.cwd(), "tests/fixtures/alembic-tutorial"), join(workspace, "db"), { recursive: true });
      const r = await runStep(ACTION, {
        with: { migrations: "db", "alembic-command": "/usr/bin/python3 -m alembic", "database-url": url },
        event: "pull_request",
        payload: { pull_request: { number: 7, head: { sha: "feedfacefeedfacefeedfacefeedfacefeedface" } } },
        workspace,
        token: TOKEN,
        env: { GITHUB_REPOSITORY: "o/r", GITHUB_API_URL: `http://127.0.0.1:${github.port}`, PYTHONDONTWRITEBYTECODE: "1" },
      });
      expect(r.code, r.log).toBe(0);
      expect(r.log).toContain("plan (auto on pull_request)");
      expect(r.outputs["pending-count"]).toBe("6");
      const body = github.ours()[0]!.body;
      // The SQL is what Alembic renders from the Python revisions.
      expect(body).toContain("CREATE SCHEMA IF NOT EXISTS ecommerce_olist;");
      expect(body).toContain("-- Running upgrade 784a7abb86b7 -> b1bc43e2f536");
      expect(readFileSync(r.outputs["sql-file"]!, "utf8")).toContain("CREATE TABLE IF NOT EXISTS ecommerce_olist.customers");
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});
