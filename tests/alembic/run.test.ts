// Running the real Alembic (Debian's python3-alembic) through retort's bootstrap: the
// interpreter found from --alembic-command, the environment it gets, and nothing on disk.

import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeTarget } from "../../src/db/target.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alembicEnvironment, checkAlembicEnvNames } from "../../src/alembic/env.js";
import { pythonLaunch, shebangInterpreter, type Lookup } from "../../src/alembic/python.js";
import { runAlembic, splitOfflineSql, sqlalchemyUrl, sweepLegacyCopies, type AlembicRunner } from "../../src/alembic/run.js";

const ALEMBIC = ["/usr/bin/python3", "-m", "alembic"];

it("turns retort URLs into SQLAlchemy URLs with Debian's drivers", () => {
  expect(sqlalchemyUrl("postgresql://u:p@h:5432/d")).toBe("postgresql+psycopg2://u:p@h:5432/d");
  expect(sqlalchemyUrl("postgres://u@h/d")).toBe("postgresql+psycopg2://u@h/d");
  expect(sqlalchemyUrl("mariadb://root@h:3306/d")).toBe("mysql+pymysql://root@h:3306/d");
});

it("splits Alembic's offline output by revision", () => {
  const sql = "BEGIN;\n\nCREATE TABLE alembic_version (x);\n\n-- Running upgrade  -> a1\n\nCREATE TABLE t (id int);\n\nINSERT INTO alembic_version (version_num) VALUES ('a1') RETURNING alembic_version.version_num;\n\n-- Running upgrade a1 -> b2\n\nSELECT 1;\n\nUPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1';\n\nCOMMIT;\n\n";
  const parts = splitOfflineSql(sql);
  expect([...parts.keys()]).toEqual([" -> a1", "a1 -> b2"]);
  expect(parts.get(" -> a1")).toContain("CREATE TABLE t (id int);");
  expect(parts.get("a1 -> b2")).not.toContain("COMMIT");
});

it("finds the interpreter in a script's first line", () => {
  expect(shebangInterpreter("#!/opt/venv/bin/python3\n# -*- coding: utf-8 -*-\n")).toEqual(["/opt/venv/bin/python3"]);
  expect(shebangInterpreter("#!/usr/bin/env python3\n")).toEqual(["/usr/bin/env", "python3"]);
  expect(shebangInterpreter("#!/usr/bin/env -S python3 -E\n")).toEqual(["/usr/bin/env", "python3", "-E"]);
  expect(shebangInterpreter("#!/usr/bin/python3\r\nimport sys\r\n")).toEqual(["/usr/bin/python3"]);
  // pip's launcher where the interpreter's path is too long for a #! line.
  expect(shebangInterpreter(`#!/bin/sh\n'''exec' "/very/long path/venv/bin/python" "$0" "$@"\n' '''\nimport re\n`)).toEqual(["/very/long path/venv/bin/python"]);
  expect(shebangInterpreter('#!/bin/sh\nexec python -m alembic "$@"\n')).toBeNull();
  expect(shebangInterpreter("\u007fELF\u0002\u0001")).toBeNull();
  expect(shebangInterpreter("#!\n")).toBeNull();
});

describe("the interpreter behind --alembic-command", () => {
  const files: Record<string, string> = {
    "/usr/bin/alembic": "#!/usr/bin/python3\nfrom alembic.config import main\n",
    "/opt/venv/bin/alembic": "#!/opt/venv/bin/python3.12\n",
    "/usr/local/bin/env-alembic": "#!/usr/bin/env python3\n",
    "/usr/local/bin/sh-alembic": '#!/bin/sh\nexec python3 -m alembic "$@"\n',
    "/usr/local/bin/ruby-alembic": "#!/usr/bin/ruby\n",
  };
  const onPath: Record<string, string> = { alembic: "/usr/bin/alembic", "env-alembic": "/usr/local/bin/env-alembic" };
  const look: Lookup = { which: (name) => onPath[name] ?? null, head: (path) => files[path] ?? null };
  const launch = (command: string) => pythonLaunch(command.split(" "), look);

  it.for([
    ["python3 -m alembic", ["python3"], []],
    ["/opt/venv/bin/python -X dev -m alembic -n db2", ["/opt/venv/bin/python", "-X", "dev"], ["-n", "db2"]],
    ["poetry run python -m alembic", ["poetry", "run", "python"], []],
    ["alembic", ["/usr/bin/python3"], []],
    ["alembic -n db2", ["/usr/bin/python3"], ["-n", "db2"]],
    ["/opt/venv/bin/alembic", ["/opt/venv/bin/python3.12"], []],
    ["env-alembic", ["/usr/bin/env", "python3"], []],
    ["python3.11 /opt/venv/bin/alembic", ["python3.11"], []],
    ["poetry run alembic", ["poetry", "run", "python"], []],
    ["conda run -n app alembic -x tenant=a", ["conda", "run", "-n", "app", "python"], ["-x", "tenant=a"]],
  ] as const)("%s", ([command, python, options]) => {
    expect(launch(command)).toEqual({ python, alembicOptions: options });
  });

  it("refuses what it cannot tell, with the forms it understands", () => {
    expect(() => launch("make migrate")).toThrow(/Cannot tell which Python runs Alembic in --alembic-command 'make migrate' .*'PYTHON -m alembic'.*'poetry run alembic'/);
    expect(() => launch("ruby -m alembic")).toThrow(/no Python interpreter before '-m alembic'/);
    expect(() => launch("/usr/local/bin/sh-alembic")).toThrow(/sh-alembic does not start with a '#!' line naming Python/);
    expect(() => launch("/usr/local/bin/ruby-alembic")).toThrow(/ruby-alembic does not start with a '#!' line naming Python/);
  });

  it("says how to install Alembic when the script does not exist", () => {
    expect(() => launch("/nowhere/alembic")).toThrow(/Cannot run Alembic \('\/nowhere\/alembic'\): not found\. Install it/);
    expect(() => launch("no-such-alembic-binary")).toThrow(/Cannot run Alembic \('no-such-alembic-binary'\): not found/);
  });
});

describe("the environment Alembic gets", () => {
  const parent = {
    PATH: "/usr/bin",
    HOME: "/home/ci",
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    PYTHONPATH: "/app",
    PYTHONDONTWRITEBYTECODE: "1",
    PYTHONINSPECT: "1",
    XDG_CACHE_HOME: "/cache",
    TMPDIR: "/tmp/x",
    VIRTUAL_ENV: "/opt/venv",
    DATABASE_URL: "postgresql://u:secret@db/app",
    RETORT_DATABASE_URL: "postgresql://u:secret@db/app",
    PGPASSWORD: "secret",
    GITHUB_TOKEN: "ghs_secret",
    ACTIONS_RUNTIME_TOKEN: "secret",
    "INPUT_DATABASE-URL": "postgresql://u:secret@db/app",
    INPUT_GITHUB_TOKEN: "ghs_secret",
    AWS_SECRET_ACCESS_KEY: "secret",
    APP_SETTINGS: "prod",
    APP_MODE: "ci",
    APPLE: "no",
  };

  it("is the allow-list: no URL, token, input or key of the parent", () => {
    expect(alembicEnvironment(parent, [], false)).toEqual({
      PATH: "/usr/bin",
      HOME: "/home/ci",
      LANG: "C.UTF-8",
      LC_ALL: "C.UTF-8",
      PYTHONPATH: "/app",
      PYTHONDONTWRITEBYTECODE: "1",
      XDG_CACHE_HOME: "/cache",
      TMPDIR: "/tmp/x",
      VIRTUAL_ENV: "/opt/venv",
    });
  });

  it("adds the variables the user names, exactly or by prefix", () => {
    const env = alembicEnvironment(parent, ["APP_*", "PGPASSWORD"], false);
    expect(env).toMatchObject({ APP_SETTINGS: "prod", APP_MODE: "ci", PGPASSWORD: "secret" });
    expect(env).not.toHaveProperty("APPLE");
    expect(env).not.toHaveProperty("GITHUB_TOKEN");
  });

  it("never passes the URL variables the bootstrap sets, even when named (they would hand the real URL to offline runs)", () => {
    const urls = { DATABASE_URL: "postgresql://u:pw@h/db", SQLALCHEMY_URL: "postgresql://u:pw@h/db", RETORT_DATABASE_URL: "postgresql://u:pw@h/db", DATABASE_POOL: "5" };
    const env = alembicEnvironment({ ...parent, ...urls }, ["DATABASE_*", "SQLALCHEMY_URL", "RETORT_*", "PYTHONINSPECT"], false);
    expect(env).toMatchObject({ DATABASE_POOL: "5" });
    for (const name of ["DATABASE_URL", "SQLALCHEMY_URL", "RETORT_DATABASE_URL", "PYTHONINSPECT"]) expect(env, name).not.toHaveProperty(name);
    expect(alembicEnvironment({ Database_Url: "x", Path: "C:\\bin" }, ["Database_*"], true)).toEqual({ Path: "C:\\bin" });
  });

  it("matches Windows' spellings of the allow-list", () => {
    expect(alembicEnvironment({ Path: "C:\\bin", SystemRoot: "C:\\Windows", GITHUB_TOKEN: "x" }, [], true)).toEqual({ Path: "C:\\bin", SystemRoot: "C:\\Windows" });
  });

  it("--alembic-env takes names and PREFIX*, nothing else", () => {
    expect(checkAlembicEnvNames(["APP_*", "SENTRY_DSN"])).toEqual(["APP_*", "SENTRY_DSN"]);
    for (const bad of ["*", "A B", "A=B", "-X", "A*B", "1ABC"]) {
      expect(() => checkAlembicEnvNames([bad]), bad).toThrow(`Invalid --alembic-env name '${bad}'`);
    }
  });
});

it("sweeps the password copies earlier versions left in the temp folder, unless a living process names them", async () => {
  const temp = mkdtempSync(join(tmpdir(), "retort-sweep-"));
  const copy = (name: string, mode = 0o600) => {
    mkdirSync(join(temp, name));
    writeFileSync(join(temp, name, "alembic.ini"), "[alembic]\nsqlalchemy.url = postgresql+psycopg2://ci:Hidden-pw@db/app\n", { mode });
    return join(temp, name);
  };
  const stale = copy("retort-alembic-AbC123");
  const live = copy("retort-alembic-Zz9Yy8");
  const readable = copy("retort-alembic-Rw0000", 0o644); // not retort's: it wrote 0600
  const project = copy("retort-alembic-project-Qq1234"); // a folder of another name
  const other = copy("retort-alembic-Xx0000");
  writeFileSync(join(other, "notes.txt"), "not only the ini");
  // An old Alembic still running with its copy.
  const holder = spawn(ALEMBIC[0]!, ["-c", "import time; time.sleep(60)", "-c", join(live, "alembic.ini")], { stdio: "ignore" });
  try {
    const named = () => {
      try {
        return readFileSync(`/proc/${holder.pid}/cmdline`, "utf8").includes(live);
      } catch {
        return false;
      }
    };
    for (let i = 0; !named(); i++) {
      if (i > 200) throw new Error("the holder never started");
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(sweepLegacyCopies(temp)).toEqual([stale]);
    expect(existsSync(stale)).toBe(false);
    for (const kept of [live, readable, project, other]) expect(existsSync(kept), kept).toBe(true);
  } finally {
    holder.kill("SIGKILL");
    rmSync(temp, { recursive: true, force: true });
  }
});

const available = (() => {
  try {
    execFileSync(ALEMBIC[0]!, ["-c", "import alembic"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe.runIf(available || process.env.CI)("runAlembic", () => {
  let dir: string;
  const project = (command: readonly string[], passEnv: readonly string[] = []): AlembicRunner => ({
    command,
    iniPath: join(dir, "alembic.ini"),
    scriptLocation: join(dir, "alembic"),
    passEnv,
  });
  const dump = () =>
    JSON.parse(readFileSync(join(dir, "dump.json"), "utf8")) as { environ: Record<string, string>; initial: string; url: string; ini: string | null; argv: string[] };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "retort-alembic-project-"));
    mkdirSync(join(dir, "alembic", "versions"), { recursive: true });
    writeFileSync(join(dir, "alembic.ini"), "[alembic]\nscript_location = %(here)s/alembic\nsqlalchemy.url = driver://user:pass@localhost/dbname\n");
    writeFileSync(
      join(dir, "alembic", "env.py"),
      [
        "import json, os, sys",
        "from alembic import context",
        "config = context.config",
        "url = config.get_main_option('sqlalchemy.url')",
        // What the project's code can see: its environment, the block it started with, the URL.
        "if os.environ.get('RETORT_TEST_DUMP'):",
        "    with open(os.environ['RETORT_TEST_DUMP'], 'w') as f:",
        "        json.dump({'environ': dict(os.environ), 'initial': open('/proc/self/environ', 'rb').read().decode('utf-8', 'replace'),",
        "                   'url': url, 'ini': config.config_file_name, 'argv': sys.argv}, f)",
        "if context.is_offline_mode():",
        "    context.configure(url=url, literal_binds=True)",
        "    with context.begin_transaction():",
        "        context.run_migrations()",
        "else:",
        "    raise RuntimeError('offline only, not ' + url)",
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(dir, "alembic", "versions", "a1_first.py"),
      '"""first\n\nRevision ID: aaaa00000001\n"""\nfrom alembic import op\nrevision = "aaaa00000001"\ndown_revision = None\nbranch_labels = None\ndepends_on = None\ndef upgrade():\n    op.execute("CREATE TABLE t_a (id INT)")\ndef downgrade():\n    op.execute("DROP TABLE t_a")\n',
    );
    process.env.RETORT_TEST_DUMP = join(dir, "dump.json");
    process.env.RETORT_TEST_SECRET = "Hidden-token";
  });
  afterAll(() => {
    delete process.env.RETORT_TEST_DUMP;
    delete process.env.RETORT_TEST_SECRET;
    rmSync(dir, { recursive: true, force: true });
  });

  it("renders offline SQL with a placeholder URL of the dialect, from the project's own ini", async () => {
    const { stdout } = await runAlembic(project(ALEMBIC, ["RETORT_TEST_DUMP"]), { mode: "offline", dialect: "postgresql" }, ["upgrade", "head", "--sql"]);
    expect(stdout).toContain("-- Running upgrade  -> aaaa00000001");
    expect(stdout).toContain("CREATE TABLE t_a (id INT);");
    expect(stdout).toContain("RETURNING alembic_version.version_num"); // the PostgreSQL dialect
    const seen = dump();
    expect(seen.url).toBe("postgresql+psycopg2://retort@localhost/offline");
    expect(seen.environ.DATABASE_URL).toBe("postgresql+psycopg2://retort@localhost/offline");
    // The project's alembic.ini itself (%(here)s resolves as it always does), no copy of it.
    expect(seen.ini).toBe(join(dir, "alembic.ini"));
    expect(seen.argv).toEqual(["alembic", "-c", join(dir, "alembic.ini"), "upgrade", "head", "--sql"]);
    // Only named variables beyond the allow-list.
    expect(seen.environ).not.toHaveProperty("RETORT_TEST_SECRET");
    expect(seen.environ.RETORT_TEST_DUMP).toBe(join(dir, "dump.json"));

    const mysql = await runAlembic(project(ALEMBIC, ["RETORT_TEST_DUMP"]), { mode: "offline", dialect: "mysql" }, ["upgrade", "head", "--sql"]);
    expect(mysql.stdout).not.toContain("RETURNING");
    expect(dump().url).toBe("mysql+pymysql://retort@localhost/offline");
  });

  it("online, the URL is set inside Alembic's process only, never in the environment it starts with", async () => {
    const url = "postgresql://ci:Hidden-pw@db.invalid/app";
    const failure = runAlembic(project(ALEMBIC, ["RETORT_TEST_DUMP"]), { mode: "online", url, secrets: describeTarget(url).secrets, bookkeeping: null }, [
      "upgrade",
      "head",
    ]);
    // A failing Alembic is one error, without the password (env.py put the URL in its message).
    await expect(failure).rejects.toThrow(/^alembic upgrade head failed: RuntimeError: offline only, not postgresql\+psycopg2:\/\/ci:\*\*\*@db\.invalid\/app$/);
    const seen = dump();
    expect(seen.url).toBe("postgresql+psycopg2://ci:Hidden-pw@db.invalid/app");
    expect(seen.environ.DATABASE_URL).toBe("postgresql+psycopg2://ci:Hidden-pw@db.invalid/app");
    expect(seen.environ.RETORT_DATABASE_URL).toBe(url);
    expect(seen.initial).not.toContain("Hidden-pw");
    expect(seen.initial).not.toContain("Hidden-token");
    expect(seen.initial).toContain("RETORT_TEST_DUMP=");
  });

  it("runs the bootstrap with the interpreter of an alembic script (Debian's /usr/bin/alembic)", async () => {
    const script = join(dir, "bin", "alembic");
    mkdirSync(join(dir, "bin"), { recursive: true });
    writeFileSync(
      script,
      "#!/usr/bin/python3\n# EASY-INSTALL-ENTRY-SCRIPT: 'alembic==1.8.1.dev0','console_scripts','alembic'\nimport sys\nfrom alembic.config import main\nsys.exit(main())\n",
      { mode: 0o755 },
    );
    const { stdout } = await runAlembic(project([script, "--raiseerr"], ["RETORT_TEST_DUMP"]), { mode: "offline", dialect: "postgresql" }, ["upgrade", "head", "--sql"]);
    expect(stdout).toContain("CREATE TABLE t_a (id INT);");
    const seen = dump();
    // The bootstrap ran (the placeholder came from it), with the script's global options first.
    expect(seen.url).toBe("postgresql+psycopg2://retort@localhost/offline");
    expect(seen.argv).toEqual(["alembic", "--raiseerr", "-c", join(dir, "alembic.ini"), "upgrade", "head", "--sql"]);
  });

  it("a project without alembic.ini (env.py beside versions/) runs from its folder, whatever ini lies beside it", async () => {
    // `dir` (Alembic's working directory here) holds the other project's alembic.ini.
    const bare = join(dir, "bare");
    mkdirSync(join(bare, "versions"), { recursive: true });
    writeFileSync(
      join(bare, "env.py"),
      readFileSync(join(dir, "alembic", "env.py"), "utf8").replace("url = config.get_main_option('sqlalchemy.url')", "url = config.get_main_option('sqlalchemy.url')\nassert config.get_main_option('script_location') == " + JSON.stringify(bare)),
    );
    writeFileSync(join(bare, "versions", "b1_bare.py"), readFileSync(join(dir, "alembic", "versions", "a1_first.py"), "utf8").replace("t_a", "t_bare"));
    const { stdout } = await runAlembic({ command: ALEMBIC, iniPath: null, scriptLocation: bare, passEnv: ["RETORT_TEST_DUMP"] }, { mode: "offline", dialect: "postgresql" }, [
      "upgrade",
      "head",
      "--sql",
    ]);
    expect(stdout).toContain("CREATE TABLE t_bare (id INT);");
    expect(dump()).toMatchObject({ ini: null, url: "postgresql+psycopg2://retort@localhost/offline", argv: ["alembic", "upgrade", "head", "--sql"] });
  });

  it("says how to install Alembic when it cannot be started", async () => {
    await expect(runAlembic(project(["no-such-alembic-binary"]), { mode: "offline", dialect: "postgresql" }, ["heads"])).rejects.toThrow(
      /Cannot run Alembic \('no-such-alembic-binary'\): not found\. Install it/,
    );
  });
});
