// Text from the database, Alembic and revisions is data: a revision that raises an error full
// of workflow commands, terminal escapes and \r (PostgreSQL's RAISE EXCEPTION, MariaDB's
// SIGNAL), and a revision message and an Alembic revision that print the same, never make the
// CLI write a line a CI would run (tests/ci-log.ts models GitHub's runner, Azure Pipelines, Buildkite and
// TeamCity) or a control byte other than \n and \t. In-process and through the bundled CLI on a
// pipe and a terminal; machine output stays exact in a file and on a pipe outside CI, is fenced
// in a GitHub log, and shows what a terminal acts on as escapes on a terminal or a CI's log.

import { spawnSync } from "node:child_process";
import { closeSync, cpSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { renderRevisionFile } from "../../src/load/native.js";
import { visibleControls } from "../../src/report/safe-text.js";
import { commandsIn, controlBytesIn, HOSTILE_LINES } from "../ci-log.js";
import { BACKENDS, describeBackend, queryOnce, type Backend } from "../servers.js";

const CLI = join(process.cwd(), "dist/cli.js");
const HOSTILE = HOSTILE_LINES.join("\n");
/** As a revision file holds it: the loader reads a lone \r as a line break. */
const HOSTILE_LOADED = HOSTILE.replace(/\r\n?/g, "\n");
/** One header line: everything but line breaks. */
const HOSTILE_MESSAGE = "msg ##[error]forged \x1b[2J ##vso[task.complete result=Failed] \u00AD\u202E";

/** An environment that says nothing about CI but what a test adds. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...extra };
}

/** What a terminal or a log viewer acts on: controls but \n and \t, DEL, C1, bidi overrides. */
// eslint-disable-next-line no-control-regex -- what must not reach a terminal
const ACTS_ON_DISPLAY = /[\0-\x08\x0B-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069]/u;

/** Human text: nothing any CI runs, no control byte. */
function expectInert(text: string, what: string): void {
  for (const ci of ["github", "azure", "teamcity", "buildkite"] as const) expect(commandsIn(text, ci), `${what} (${ci})`).toEqual([]);
  expect(controlBytesIn(text), what).toEqual([]);
}

/** A literal holding the bytes as they are, raw line breaks and escapes included (PostgreSQL
 *  reads backslashes literally; MariaDB's default sql_mode takes them as escapes). */
const rawLit = (backend: Backend, s: string) => `'${(backend.name === "mariadb" ? s.replace(/\\/g, "\\\\") : s).replace(/'/g, "''")}'`;

for (const backend of BACKENDS.filter((b): b is Backend => b.name !== "pglite")) {
  describeBackend(backend, "text from the database and revisions stays data", () => {
    let url: string;
    let drop: () => Promise<void>;
    let dir: string;
    const inProcess = async (...argv: string[]) => {
      let out = "";
      let err = "";
      const code = await main(["--migrations", dir, ...argv, "--database-url", url], { out: (t) => (out += t), err: (t) => (err += t) });
      return { code, out, err };
    };
    const spawned = (argv: string[], env: Record<string, string>, stdout: "pipe" | number = "pipe") => {
      const r = spawnSync(process.execPath, [CLI, "--migrations", dir, ...argv, "--database-url", url], {
        encoding: "utf8",
        env: cleanEnv(env),
        stdio: ["ignore", stdout, "pipe"],
      });
      return { code: r.status, out: r.stdout ?? "", err: r.stderr };
    };

    beforeAll(async () => {
      if (!existsSync(CLI)) throw new Error("run npm run build first: this test spawns dist/cli.js");
      ({ url, drop } = await backend.create());
      dir = mkdtempSync(join(tmpdir(), "retort-hostile-"));
      const write = (id: string, down: string[], message: string, upgrade: string) =>
        writeFileSync(join(dir, `${id}_r.sql`), renderRevisionFile({ id, message, downRevisions: down, createDate: "d", upgrade, downgrade: "SELECT 1;" }));
      write("aaaa00000001", [], HOSTILE_MESSAGE, `SELECT ${rawLit(backend, HOSTILE)} AS forged;`);
      write(
        "bbbb00000002",
        ["aaaa00000001"],
        "raises",
        backend.name === "postgresql"
          ? `DO $$ BEGIN RAISE EXCEPTION '%', ${rawLit(backend, `x\n${HOSTILE}`)}; END $$;`
          : `SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = ${rawLit(backend, `x\n${HOSTILE}`)};`,
      );
    });
    afterAll(async () => {
      await drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it("in-process: upgrade, log, current and text plans are inert; JSON keeps the exact text", async () => {
      const plan = await inProcess("plan");
      expect(plan.code).toBe(0);
      expect(plan.out).toContain("msg ##\\[error]forged \\x1b[2J");
      const planJson = await inProcess("plan", "--format", "json");
      const parsed = JSON.parse(planJson.out) as { pending: { message: string }[]; sql: string };
      expect(parsed.pending[0]!.message).toBe(HOSTILE_MESSAGE); // exact data
      expect(parsed.sql).toContain(rawLit(backend, `x\n${HOSTILE_LOADED}`));
      expectInert(planJson.out, "plan --format json");
      const failed = await inProcess("upgrade");
      expect(failed.code).toBe(1);
      expect(failed.err).toContain("forged");
      const log = await inProcess("log");
      expect(log.out).toContain("FAILED: ");
      const current = await inProcess("current");
      for (const [what, r] of Object.entries({ plan, failed, log, current })) {
        expectInert(r.out, `${what} stdout`);
        expectInert(r.err, `${what} stderr`);
      }
      const json = await inProcess("log", "--json");
      const history = (JSON.parse(json.out) as { history: { error: string | null }[] }).history;
      // The data itself is exact: the error as the server raised it (after the x and \n).
      expect(history.map((h) => h.error).find((e) => e?.includes("forged"))).toContain(HOSTILE_LINES.slice(0, 6).join("\n"));
      expectInert(json.out, "log --json");
    });

    it("the bundled CLI on a pipe under GitHub Actions: inert, and machine SQL fenced by stop-commands", async () => {
      const env = { GITHUB_ACTIONS: "true", CI: "true" };
      const runs = {
        upgrade: spawned(["upgrade"], env),
        log: spawned(["log"], env),
        current: spawned(["current"], env),
        plan: spawned(["plan"], env),
        logJson: spawned(["log", "--json"], env),
        currentJson: spawned(["current", "--json"], env),
      };
      expect(runs.upgrade.code).toBe(1);
      for (const [what, r] of Object.entries(runs)) {
        expectInert(r.out, `${what} stdout`);
        expectInert(r.err, `${what} stderr`);
      }
      const sql = spawned(["plan", "--format", "sql"], env);
      expect(sql.code, sql.err).toBe(0);
      expect(commandsIn(sql.out)).toEqual([]);
      const exact = (await inProcess("plan", "--format", "sql")).out;
      expect(exact).toContain(rawLit(backend, `x\n${HOSTILE_LOADED}`)); // the exact SQL holds the raw text
      const fence = /^-- ##\[stop-commands\](retort-[0-9a-f]{32})\n([\s\S]*)-- ##\[\1\]\n$/.exec(sql.out);
      expect(fence, sql.out.slice(0, 200)).not.toBeNull();
      // The job's log renders ESC sequences and \r: what a terminal acts on is shown as escapes.
      expect(fence![2]).toBe(visibleControls(exact).text);
      expect(ACTS_ON_DISPLAY.test(sql.out)).toBe(false);
      expect(sql.err).toMatch(/^retort: warning: \d+ line\(s\) of the SQL held control characters \(ESC, \\r, bidi overrides, \.\.\.\), shown as escapes/m);
      const md = spawned(["plan", "--format", "markdown"], env);
      expect(commandsIn(md.out)).toEqual([]);
      expect(md.out).toMatch(/^<!--\n##\[stop-commands\]retort-[0-9a-f]{32}\n-->\n/);
    });

    it("on a terminal, and on a pipe under any CI, machine SQL and markdown show what a terminal acts on as escapes, with a warning", async () => {
      const exact = (await inProcess("plan", "--format", "sql")).out;
      expect(ACTS_ON_DISPLAY.test(exact)).toBe(true);
      // In-process, as the bundled CLI sees a terminal.
      for (const format of ["sql", "markdown"]) {
        let out = "";
        let err = "";
        const code = await main(["--migrations", dir, "plan", "--format", format, "--database-url", url], { out: (t) => (out += t), err: (t) => (err += t), outIsLog: true, outIsTerminal: true });
        expect(code, err).toBe(0);
        expect(ACTS_ON_DISPLAY.test(out), format).toBe(false);
        // The markdown report escapes such text itself; the SQL is exact but for the escapes.
        if (format === "sql") {
          expect(out).toBe(visibleControls(exact).text);
          expect(err).toMatch(/^retort: warning: \d+ line\(s\) of the SQL held control characters/m);
        }
      }
      // The bundled CLI on a real terminal (script gives it a pty; the pty turns \n into \r\n).
      const tty = spawnSync("script", ["-qec", `${process.execPath} ${CLI} --migrations ${dir} upgrade head --sql`, "/dev/null"], {
        encoding: "utf8",
        env: cleanEnv(),
      });
      expect(tty.status, tty.stdout).toBe(0);
      const screen = tty.stdout.replace(/\r\n/g, "\n");
      expect(screen).toContain("SELECT ");
      expect(ACTS_ON_DISPLAY.test(screen), screen.slice(0, 300)).toBe(false);
      expect(screen).toMatch(/^retort: warning: \d+ line\(s\) of the SQL held control characters/m);
      // On a pipe under GitLab CI (the job's log); a pipe outside any CI stays exact.
      const gitlab = spawned(["plan", "--format", "sql"], { GITLAB_CI: "true", CI: "true" });
      expect(gitlab.code, gitlab.err).toBe(0);
      expect(gitlab.out).toBe(visibleControls(exact).text);
      expect(gitlab.err).toMatch(/^retort: warning: \d+ line\(s\) of the SQL held control characters/m);
      const local = spawned(["plan", "--format", "sql"], {});
      expect(local.out).toBe(exact);
      expect(local.err).toBe("");
    });

    it("machine output written to a file is the exact bytes, under GitHub Actions too", async () => {
      const file = join(dir, "plan.out");
      for (const format of ["sql", "markdown", "json"]) {
        const fd = openSync(file, "w");
        try {
          expect(spawned(["plan", "--format", format], { GITHUB_ACTIONS: "true" }, fd).code).toBe(0);
        } finally {
          closeSync(fd);
        }
        expect(readFileSync(file, "utf8"), format).toBe((await inProcess("plan", "--format", format)).out);
      }
    });

    it("Azure Pipelines cannot stop commands: ##vso[ in machine SQL is escaped, with a warning", () => {
      const r = spawned(["plan", "--format", "sql"], { TF_BUILD: "True" });
      expect(r.code).toBe(0);
      expect(commandsIn(r.out, "azure")).toEqual([]);
      expect(r.err).toMatch(/retort: warning: \d+ line\(s\) of the SQL held '##...\[', which this CI's log reads as a command/);
    });
  });
}

const pg = BACKENDS.find((b) => b.name === "postgresql")!;
describeBackend(pg, "fenced SQL and Alembic's streamed lines", () => {
  let dir: string;
  const drops: (() => Promise<void>)[] = [];
  const fresh = async () => {
    const { url, drop } = await pg.create();
    drops.push(drop);
    return url;
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "retort-hostile-alembic-"));
  });
  afterAll(async () => {
    for (const drop of drops) await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("upgrade --sql fenced for a GitHub log is still SQL: piped into psql, it applies", async () => {
    const url = await fresh();
    const migrations = join(dir, "native");
    cpSync("migrations", migrations, { recursive: true });
    writeFileSync(
      join(migrations, "ffff00000001_forge.sql"),
      renderRevisionFile({ id: "ffff00000001", message: "forge", downRevisions: ["5f2c8e91d0a4"], createDate: "d", upgrade: `SELECT ${rawLit(pg, HOSTILE)} AS forged;` }),
    );
    const r = spawnSync(process.execPath, [CLI, "--migrations", migrations, "upgrade", "head", "--sql"], { encoding: "utf8", env: cleanEnv({ GITHUB_ACTIONS: "true" }) });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.startsWith("-- ##[stop-commands]retort-")).toBe(true);
    expect(commandsIn(r.stdout)).toEqual([]);
    const db = new URL(url).pathname.slice(1);
    const psql = spawnSync("psql", ["-X", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-v", "ON_ERROR_STOP=1"], {
      input: r.stdout,
      encoding: "utf8",
      env: { ...cleanEnv(), PGCONNECT_TIMEOUT: "5" },
    });
    expect(psql.status, psql.stderr).toBe(0);
    expect(await queryOnce(url, "SELECT version_num FROM alembic_version")).toEqual([{ version_num: "ffff00000001" }]);
  });

  it("Alembic's streamed output is inert too", async () => {
    const url = await fresh();
    const project = join(dir, "alembic");
    cpSync("tests/fixtures/alembic-tutorial", project, { recursive: true });
    rmSync(join(project, "project", "versions"), { recursive: true, force: true });
    cpSync("tests/fixtures/alembic-tutorial/project/versions", join(project, "project", "versions"), {
      recursive: true,
      filter: (src) => !src.endsWith(".py"),
    });
    writeFileSync(
      join(project, "project", "versions", "ffff00000002_hostile.py"),
      [
        '"""hostile output',
        "",
        "Revision ID: ffff00000002",
        "Revises: ",
        "Create Date: 2024-04-01 17:18:00",
        "",
        '"""',
        "import sys",
        "from alembic import op",
        "",
        'revision = "ffff00000002"',
        "down_revision = None",
        "branch_labels = None",
        "depends_on = None",
        "",
        "",
        "def upgrade() -> None:",
        `    print(${JSON.stringify(HOSTILE)}, flush=True)`,
        `    sys.stderr.write(${JSON.stringify(`${HOSTILE}\n`)})`,
        '    op.execute("SELECT 1")',
        "",
        "",
        "def downgrade() -> None:",
        "    pass",
        "",
      ].join("\n"),
    );
    const r = spawnSync(
      process.execPath,
      [CLI, "--migrations", project, "--alembic-command", "/usr/bin/python3 -m alembic", "upgrade", "--database-url", url],
      { encoding: "utf8", env: cleanEnv({ GITHUB_ACTIONS: "true", PYTHONDONTWRITEBYTECODE: "1" }) },
    );
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout + r.stderr).toContain("forged-mask");
    expectInert(r.stdout, "alembic stdout");
    expectInert(r.stderr, "alembic stderr");
  });
});
