// What an Alembic project's code (env.py and the revisions, a pull request's code on a pull
// request) can see of retort's secrets. Offline runs (plan, upgrade --dry-run, the pull-request
// plan, upgrade --sql) need only the dialect: they get a placeholder URL and no secret at all,
// even when retort read the plan's start from the real database. Online runs (upgrade) get the
// URL, inside the process only, and nothing else secret. Neither gets the CI's tokens or the
// Action's inputs; both get the variables named with --alembic-env (or RETORT_ALEMBIC_ENV).

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { sqlalchemyUrl } from "../../src/alembic/run.js";
import { BACKENDS, describeBackend } from "../servers.js";

const PYTHON = "/usr/bin/python3";
const PASSWORD = "Alembic-secret-pw";
const TOKEN = "ghs_FakeTokenForTheTest";

// env.py and the revision record what they see, one file per process and moment.
const DUMP = `
def dump(where):
    import json, os, sys
    from alembic import context
    folder = os.environ.get("RETORT_TEST_DUMP_DIR")
    if not folder:
        return
    seen = {
        "where": where,
        "offline": context.is_offline_mode(),
        "url": context.config.get_main_option("sqlalchemy.url"),
        "environ": dict(os.environ),
        "initial": open("/proc/self/environ", "rb").read().decode("utf-8", "replace"),
        "argv": sys.argv,
    }
    with open(os.path.join(folder, "%s-%d-%d.json" % (where, os.getpid(), len(os.listdir(folder)))), "w") as f:
        json.dump(seen, f)
`;

const ENV_PY = `import os
from alembic import context
from sqlalchemy import create_engine, pool
${DUMP}
dump("env")
config = context.config
if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(os.environ["DATABASE_URL"], poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
`;

const REVISION = `"""first

Revision ID: aaaa00000001
"""
from alembic import op
${DUMP}
revision = "aaaa00000001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    dump("revision")
    op.execute("CREATE TABLE t_seen (id INT)")


def downgrade():
    op.execute("DROP TABLE t_seen")
`;

interface Seen {
  where: string;
  offline: boolean;
  url: string;
  environ: Record<string, string>;
  initial: string;
  argv: string[];
}

/** What the CI and the Action put in retort's environment, secrets among it. */
const CI_ENV: Record<string, string> = {
  GITHUB_TOKEN: TOKEN,
  ACTIONS_RUNTIME_TOKEN: TOKEN,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: TOKEN,
  "INPUT_GITHUB-TOKEN": TOKEN,
  GITHUB_ACTIONS: "true",
  RETORT_TEST_UNNAMED: "not-for-alembic",
  RETORT_TEST_NAMED_ONE: "for-alembic-1",
  RETORT_TEST_NAMED_TWO: "for-alembic-2",
};

for (const backend of BACKENDS.filter((b) => b.name !== "pglite")) {
  const pg = backend.name === "postgresql";
  describeBackend(backend, "what Alembic's code sees of retort's secrets", () => {
    let work: string;
    let project: string;
    let dumps: string;
    let url: string;
    let dbName: string;
    let drop: () => Promise<void>;
    const saved = new Map<string, string | undefined>();

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), "retort-alembic-secrets-"));
      project = join(work, "project");
      dumps = join(work, "dumps");
      mkdirSync(join(project, "alembic", "versions"), { recursive: true });
      mkdirSync(dumps);
      writeFileSync(join(project, "alembic.ini"), "[alembic]\nscript_location = %(here)s/alembic\nsqlalchemy.url = driver://user:pass@localhost/dbname\n");
      writeFileSync(join(project, "alembic", "env.py"), ENV_PY);
      writeFileSync(join(project, "alembic", "versions", "aaaa00000001_first.py"), REVISION);
      ({ url, drop } = await backend.create());
      const u = new URL(url);
      dbName = u.pathname.slice(1);
      // PostgreSQL's trust authentication ignores a password; MariaDB's root has none.
      if (pg) u.password = PASSWORD;
      url = u.href;
      const env = { ...CI_ENV, DATABASE_URL: url, "INPUT_DATABASE-URL": url, RETORT_TEST_DUMP_DIR: dumps, PYTHONDONTWRITEBYTECODE: "1" };
      for (const [k, v] of Object.entries(env)) {
        saved.set(k, process.env[k]);
        process.env[k] = v;
      }
    });
    afterAll(async () => {
      for (const [k, v] of saved) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await drop?.();
      rmSync(work, { recursive: true, force: true });
    });

    const retort = async (...args: string[]) => {
      let out = "";
      let err = "";
      const code = await main(["--migrations", project, "--alembic-command", `${PYTHON} -m alembic`, ...args], { out: (t) => (out += t), err: (t) => (err += t) });
      return { code, out, err };
    };
    /** The dumps written since the last call. */
    const taken = () => {
      const files = readdirSync(dumps);
      const seen = files.map((f) => JSON.parse(readFileSync(join(dumps, f), "utf8")) as Seen);
      for (const f of files) rmSync(join(dumps, f));
      return seen;
    };
    const noCiSecrets = (s: Seen) => {
      for (const name of ["GITHUB_TOKEN", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "INPUT_GITHUB-TOKEN", "INPUT_DATABASE-URL", "GITHUB_ACTIONS", "RETORT_TEST_UNNAMED"]) {
        expect(s.environ, `${s.where}: ${name}`).not.toHaveProperty(name);
      }
      expect(s.initial).not.toContain(TOKEN);
      expect(JSON.stringify(s.environ)).not.toContain(TOKEN);
    };

    it("plan, upgrade --dry-run and upgrade --sql: a placeholder of the dialect, no secret", async () => {
      const placeholder = pg ? "postgresql+psycopg2://retort@localhost/offline" : "mysql+pymysql://retort@localhost/offline";
      const runs = [
        ["--alembic-env", "RETORT_TEST_DUMP_DIR", "plan", "--database-url", url],
        ["--alembic-env", "RETORT_TEST_DUMP_DIR,RETORT_TEST_NAMED_*", "plan", "--format", "json", "--database-url", url],
        ["--alembic-env", "RETORT_TEST_DUMP_DIR", "plan", "--format", "sql", "--database-url", url],
        ["--alembic-env", "RETORT_TEST_DUMP_DIR", "upgrade", "--dry-run", "--database-url", url],
        ["--alembic-env", "RETORT_TEST_DUMP_DIR", "upgrade", "head", "--sql", "--dialect", pg ? "postgresql" : "mysql"],
        // Families an env.py's settings come in that also hold retort's URL variables: named,
        // those still never reach Alembic's starting environment.
        ["--alembic-env", "RETORT_TEST_DUMP_DIR,DATABASE_*,RETORT_DATABASE_*,SQLALCHEMY_*", "plan", "--database-url", url],
      ];
      for (const args of runs) {
        const r = await retort(...args);
        expect(r.code, r.err).toBe(0);
        expect(r.err).not.toMatch(/cannot be rendered/);
        const seen = taken();
        expect(seen.map((s) => s.where).sort(), args.join(" ")).toEqual(["env", "revision"]);
        for (const s of seen) {
          expect(s.offline).toBe(true);
          expect(s.url).toBe(placeholder);
          expect(s.environ.DATABASE_URL).toBe(placeholder);
          expect(s.environ.SQLALCHEMY_URL).toBe(placeholder);
          noCiSecrets(s);
          // Nothing of the real database: not its password, not even its name.
          const everything = JSON.stringify(s);
          if (pg) expect(everything).not.toContain(PASSWORD);
          expect(everything).not.toContain(dbName);
        }
        if (args[1]!.includes("RETORT_TEST_NAMED_*")) {
          expect(seen[0]!.environ).toMatchObject({ RETORT_TEST_NAMED_ONE: "for-alembic-1", RETORT_TEST_NAMED_TWO: "for-alembic-2" });
        } else {
          expect(seen[0]!.environ).not.toHaveProperty("RETORT_TEST_NAMED_ONE");
        }
      }
    });

    it("upgrade: the URL inside Alembic's process, nothing else secret, nothing in its starting environment", async () => {
      saved.set("RETORT_ALEMBIC_ENV", process.env.RETORT_ALEMBIC_ENV);
      process.env.RETORT_ALEMBIC_ENV = "RETORT_TEST_DUMP_DIR,RETORT_TEST_NAMED_ONE,DATABASE_*";
      const r = await retort("upgrade", "--database-url", url);
      expect(r.code, r.err).toBe(0);
      const seen = taken();
      expect(seen.map((s) => s.where).sort()).toEqual(["env", "revision"]);
      for (const s of seen) {
        expect(s.offline).toBe(false);
        expect(s.url).toBe(sqlalchemyUrl(url));
        expect(s.environ.DATABASE_URL).toBe(sqlalchemyUrl(url));
        expect(s.environ.RETORT_TEST_NAMED_ONE).toBe("for-alembic-1");
        expect(s.environ).not.toHaveProperty("RETORT_TEST_NAMED_TWO");
        noCiSecrets(s);
        // /proc/PID/environ shows the block the process started with: the URL is not in it.
        if (pg) expect(s.initial).not.toContain(PASSWORD);
        expect(s.initial).not.toContain(dbName);
        expect(s.initial).toContain("RETORT_TEST_DUMP_DIR=");
      }
    });

    it.skipIf(!pg)("a libpq keyword string or a ?password= URL reaches Alembic as one working URL; its output never shows the password", async () => {
      const u = new URL(url);
      const keywords = `host=${u.hostname} port=${u.port} user=${u.username} password='${PASSWORD}' dbname=${dbName}`;
      const query = `postgresql://${u.username}@${u.host}/${dbName}?password=${PASSWORD}`;
      const down = await retort("downgrade", "base", "--database-url", keywords);
      expect(down.code, down.err).toBe(0);
      taken();
      const up = await retort("upgrade", "--database-url", query);
      expect(up.code, up.err).toBe(0);
      const seen = taken();
      expect(seen.map((s) => s.where).sort()).toEqual(["env", "revision"]);
      for (const s of seen) expect(s.url).toBe(`postgresql+psycopg2://${u.username}:${PASSWORD}@${u.hostname}:${u.port}/${dbName}`);
      for (const r of [down, up]) expect(r.out + r.err).not.toContain(PASSWORD);
    });
  });
}
