// An Alembic project applied by a retort that is killed (SIGKILL: OOM, a runner kill) or
// cancelled (SIGTERM, SIGINT: what a cancelled CI job sends) while Alembic runs a slow
// revision. Alembic must die with retort (also as a grandchild, behind a wrapper such as
// `poetry run`), no file holding the password may be left (or ever written), the next run must
// wait for the statement the dead Alembic left running on the server, and the history must
// hold exactly one row per revision applied, none for a step that did not happen.
//
// The projects run dist/cli.js: `npm run build` first.

import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { BACKENDS, describeBackend, queryOnce } from "../servers.js";

const CLI = join(process.cwd(), "dist/cli.js");
const PYTHON = "/usr/bin/python3";
const PASSWORD = "Kill-test-pa55";
const SLEEP_S = 6;
/** Generous for a loaded machine; a parent-death signal or the end of stdin takes milliseconds. */
const GONE_MS = 5_000;

const ENV_PY = `import os
from alembic import context
from sqlalchemy import create_engine, pool

config = context.config
if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(os.environ["DATABASE_URL"], poolclass=pool.NullPool)
    with engine.connect() as connection:
        # Each revision commits on its own, so a killed run has applied A, and its row must stay.
        context.configure(connection=connection, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()
`;

function revision(id: string, down: string | null, body: string[]): string {
  return [
    `"""${id}\n\nRevision ID: ${id}\n"""`,
    "from alembic import op",
    `revision = ${JSON.stringify(id)}`,
    `down_revision = ${down === null ? "None" : JSON.stringify(down)}`,
    "branch_labels = None",
    "depends_on = None",
    "",
    "def upgrade():",
    ...body.map((q) => `    op.execute(${JSON.stringify(q)})`),
    "",
    "def downgrade():",
    "    pass",
    "",
  ].join("\n");
}

const A = "aaaa0000000a";
const B = "bbbb0000000b";
const C = "cccc0000000c";

/** The parent pid of every process, from /proc. */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      out.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** `pid` and everything below it. */
function tree(pid: number): number[] {
  const all = parents();
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [child, parent] of all) if (parent === out[i]) out.push(child);
  return out;
}

const cmdline = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
};

/** Gone, or a zombie nobody has reaped yet (it runs nothing). */
function gone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

async function until(what: string, ms: number, test: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every file below `dir` whose content holds `text`. */
function filesHolding(dir: string, text: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    try {
      if (statSync(path).isFile() && readFileSync(path).includes(text)) out.push(path);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

for (const backend of BACKENDS.filter((b) => b.name !== "pglite")) {
  const pg = backend.name === "postgresql";
  describeBackend(backend, "an Alembic run whose retort dies", () => {
    let work: string;
    let project: string;
    let temp: string;
    let bin: string;
    const dbs: (() => Promise<void>)[] = [];
    const users: string[] = [];
    const live = new Set<ChildProcess>();

    beforeAll(() => {
      work = mkdtempSync(join(tmpdir(), "retort-alembic-kill-"));
      project = join(work, "project");
      temp = join(work, "tmp");
      bin = join(work, "bin");
      mkdirSync(join(project, "alembic", "versions"), { recursive: true });
      mkdirSync(temp);
      mkdirSync(bin);
      writeFileSync(join(project, "alembic.ini"), "[alembic]\nscript_location = %(here)s/alembic\nsqlalchemy.url = driver://user:pass@localhost/dbname\n");
      writeFileSync(join(project, "alembic", "env.py"), ENV_PY);
      const sleep = pg ? `SELECT pg_sleep(${SLEEP_S}) AS retort_kill_test` : `SELECT SLEEP(${SLEEP_S}) AS retort_kill_test`;
      writeFileSync(join(project, "alembic", "versions", `${A}_a.py`), revision(A, null, ["CREATE TABLE runs (rev VARCHAR(20))", "INSERT INTO runs (rev) VALUES ('a')"]));
      writeFileSync(join(project, "alembic", "versions", `${B}_b.py`), revision(B, A, ["INSERT INTO runs (rev) VALUES ('b')", sleep]));
      writeFileSync(join(project, "alembic", "versions", `${C}_c.py`), revision(C, B, ["INSERT INTO runs (rev) VALUES ('c')"]));
      // A wrapper that keeps running beside Alembic, as `poetry run` or `uv run` do, and the
      // `python` it finds on PATH.
      writeFileSync(join(bin, "wrap"), '#!/bin/sh\n"$@"\necho "wrapper done"\n');
      chmodSync(join(bin, "wrap"), 0o755);
      symlinkSync(PYTHON, join(bin, "python"));
    });
    afterAll(async () => {
      for (const child of live) child.kill("SIGKILL");
      for (const drop of dbs) await drop();
      for (const user of users) await queryOnce("mysql://root@127.0.0.1:3306/", `DROP USER IF EXISTS ${user}`).catch(() => undefined);
      rmSync(work, { recursive: true, force: true });
    });

    /** A fresh database and its URL with a password in it. */
    const fresh = async (): Promise<string> => {
      const db = await backend.create();
      dbs.push(db.drop);
      const u = new URL(db.url);
      if (pg) {
        u.password = PASSWORD; // trust authentication ignores it
      } else {
        const name = u.pathname.slice(1);
        const user = `'${name}'@'%'`;
        users.push(user, `'${name}'@'localhost'`);
        for (const host of ["%", "localhost"]) {
          await queryOnce(db.url, `CREATE USER '${name}'@'${host}' IDENTIFIED BY '${PASSWORD}'`);
          await queryOnce(db.url, `GRANT ALL ON \`${name}\`.* TO '${name}'@'${host}'`);
        }
        u.username = name;
        u.password = PASSWORD;
      }
      return u.href;
    };

    const start = (url: string, command = `${PYTHON} -m alembic`, args: readonly string[] = ["upgrade"], migrations = project) => {
      const child = spawn(
        process.execPath,
        [CLI, "--migrations", migrations, "--alembic-command", command, ...args, "--database-url", url, "--lock-timeout", "30"],
        { env: { ...process.env, TMPDIR: temp, PATH: `${bin}:${process.env.PATH}`, PYTHONDONTWRITEBYTECODE: "1" }, stdio: ["ignore", "pipe", "pipe"] },
      );
      live.add(child);
      let out = "";
      child.stdout!.setEncoding("utf8").on("data", (t: string) => (out += t));
      child.stderr!.setEncoding("utf8").on("data", (t: string) => (out += t));
      const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) =>
        child.once("close", (code, signal) => {
          live.delete(child);
          resolve({ code, signal, out });
        }),
      );
      return { child, done };
    };

    const running = (url: string) =>
      queryOnce(
        url,
        pg
          ? "SELECT 1 AS r FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%retort_kill_test%' AND pid <> pg_backend_pid()"
          : "SELECT 1 AS r FROM information_schema.processlist WHERE db = DATABASE() AND info LIKE '%retort_kill_test%' AND id <> CONNECTION_ID()",
      );

    /** Starts an upgrade and returns once Alembic runs B's slow statement on the server, with
     *  the processes retort started (the bootstrap's Python among them). */
    const startSlow = async (url: string, command?: string, migrations = project) => {
      const run = start(url, command, ["upgrade"], migrations);
      await until("the slow revision to run on the server", 30_000, async () => (await running(url)).length > 0);
      const below = tree(run.child.pid!).slice(1);
      // The bootstrap's interpreter (a wrapper's command line names it too).
      const python = below.filter((p) => cmdline(p).includes("retort-alembic-bootstrap") && !cmdline(p).includes(join(bin, "wrap")));
      expect(python, below.map(cmdline).join("\n")).toHaveLength(1);
      return { ...run, below, python: python[0]! };
    };

    const history = async (url: string) =>
      (await queryOnce(url, "SELECT revision, success FROM alembic_version_history ORDER BY id")).map((r) => ({
        revision: String(r.revision),
        success: r.success === null ? null : r.success === true || Number(r.success) === 1,
      }));

    it("SIGKILL: Alembic dies at once; the next run waits for its statement, then runs each revision exactly once", async () => {
      const url = await fresh();
      const killed = await startSlow(url);
      expect(filesHolding(temp, PASSWORD)).toEqual([]);
      expect(filesHolding(project, PASSWORD)).toEqual([]);
      killed.child.kill("SIGKILL");
      await killed.done;
      await until(`Alembic (pid ${killed.python}) to die with retort`, GONE_MS, () => gone(killed.python));

      // A committed with its row, in one transaction; B never finished and has none.
      expect(await history(url)).toEqual([{ revision: A, success: true }]);
      expect((await queryOnce(url, "SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual([A]);
      // Its server session still sleeps, holding the work lock: the next run waits for it.
      expect((await running(url)).length).toBe(1);
      // What an earlier retort's killed run left: its private ini with the password, swept now.
      mkdirSync(join(temp, "retort-alembic-Old123"));
      writeFileSync(join(temp, "retort-alembic-Old123", "alembic.ini"), `[alembic]\nsqlalchemy.url = ${url}\n`, { mode: 0o600 });
      const next = await start(url).done;
      expect(next.code, next.out).toBe(0);
      expect(next.out).toMatch(/Waiting for the statements a previous run left running/);
      expect(next.out).not.toContain(PASSWORD);
      expect(next.out).not.toMatch(/warning/);

      expect((await queryOnce(url, "SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual([C]);
      expect((await queryOnce(url, "SELECT rev FROM runs ORDER BY rev")).map((r) => r.rev)).toEqual(["a", "b", "c"]);
      expect(await history(url)).toEqual([
        { revision: A, success: true },
        { revision: B, success: true },
        { revision: C, success: true },
      ]);
      expect(filesHolding(temp, PASSWORD)).toEqual([]);
      expect(readdirSync(temp)).toEqual([]);
      expect(filesHolding(project, PASSWORD)).toEqual([]);
    }, 90_000);

    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      it(`${signal}: retort ends by the signal, Alembic with it, and no file ever held the password`, async () => {
        const url = await fresh();
        const run = await startSlow(url);
        expect(filesHolding(temp, PASSWORD)).toEqual([]);
        run.child.kill(signal);
        const ended = await run.done;
        expect(ended.signal).toBe(signal);
        await until(`Alembic (pid ${run.python}) to die with retort`, GONE_MS, () => gone(run.python));
        expect(filesHolding(temp, PASSWORD)).toEqual([]);
        expect(filesHolding(project, PASSWORD)).toEqual([]);
        expect(readdirSync(temp)).toEqual([]);
        // Nothing of B was recorded; its statement rolls back when the server notices.
        expect((await history(url)).filter((h) => h.revision === B && h.success !== false)).toEqual([]);
      }, 60_000);
    }

    if (!pg) {
      it("SIGKILL inside a revision whose DDL committed: the next run says it never finished, and resolve records it", async () => {
        const ddl = join(work, "ddl");
        const D = "dddd0000000d";
        mkdirSync(join(ddl, "alembic", "versions"), { recursive: true });
        writeFileSync(join(ddl, "alembic.ini"), "[alembic]\nscript_location = %(here)s/alembic\n");
        writeFileSync(join(ddl, "alembic", "env.py"), ENV_PY);
        writeFileSync(join(ddl, "alembic", "versions", `${A}_a.py`), revision(A, null, ["CREATE TABLE runs (rev VARCHAR(20))"]));
        writeFileSync(join(ddl, "alembic", "versions", `${D}_d.py`), revision(D, A, ["CREATE TABLE t_d (id INT)", `SELECT SLEEP(${SLEEP_S}) AS retort_kill_test`]));
        const url = await fresh();
        const killed = await startSlow(url, undefined, ddl);
        killed.child.kill("SIGKILL");
        await killed.done;
        await until(`Alembic (pid ${killed.python}) to die with retort`, GONE_MS, () => gone(killed.python));
        // CREATE TABLE committed D's started row with it: the next run must not run D again.
        const next = await start(url, undefined, ["upgrade"], ddl).done;
        expect(next.code, next.out).toBe(1);
        expect(next.out).toMatch(new RegExp(`Revision ${D} \\(.*${D}_d\\.py\\) started to upgrade on .* and never finished.*retort resolve ${D} --applied`));
        expect(next.out).not.toMatch(/already exists/);
        expect(await history(url)).toEqual([
          { revision: A, success: true },
          { revision: D, success: null },
        ]);
        const resolved = await start(url, undefined, ["resolve", D, "--applied"], ddl).done;
        expect(resolved.code, resolved.out).toBe(0);
        expect((await queryOnce(url, "SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual([D]);
        expect(await history(url)).toEqual([
          { revision: A, success: true },
          { revision: D, success: true },
        ]);
      }, 60_000);
    }

    if (pg) {
      it("behind a wrapper that stays (poetry run, uv run): Alembic, a grandchild, dies with retort, and the wrapper ends too", async () => {
        const url = await fresh();
        const run = await startSlow(url, `${join(bin, "wrap")} alembic`);
        // retort -> sh (the wrapper) -> python (the bootstrap)
        const wrapper = tree(run.child.pid!)[1]!;
        expect(cmdline(wrapper)).toContain(join(bin, "wrap"));
        expect(run.python).not.toBe(wrapper);
        run.child.kill("SIGKILL");
        await run.done;
        await until("Alembic behind the wrapper to die with retort", GONE_MS, () => gone(run.python));
        await until("the wrapper to end", GONE_MS, () => gone(wrapper));
      }, 60_000);
    }
  });
}
