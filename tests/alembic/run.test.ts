// Running the real Alembic (Debian's python3-alembic) with a private copy of alembic.ini.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { privateIni, runAlembic, splitOfflineSql, sqlalchemyUrl } from "../../src/alembic/run.js";

const ALEMBIC = ["/usr/bin/python3", "-m", "alembic"];

it("turns retort URLs into SQLAlchemy URLs with Debian's drivers", () => {
  expect(sqlalchemyUrl("postgresql://u:p@h:5432/d")).toBe("postgresql+psycopg2://u:p@h:5432/d");
  expect(sqlalchemyUrl("postgres://u@h/d")).toBe("postgresql+psycopg2://u@h/d");
  expect(sqlalchemyUrl("mariadb://root@h:3306/d")).toBe("mysql+pymysql://root@h:3306/d");
});

it("writes the URL into a copy of alembic.ini, escaping % and pinning %(here)s", () => {
  const ini = "[alembic]\nscript_location = %(here)s/alembic\nsqlalchemy.url = driver://user:pass@localhost/dbname\n\n[loggers]\nkeys = root\n";
  expect(privateIni(ini, "/proj", "postgresql+psycopg2://u:p%40ss@h/d")).toBe(
    "[alembic]\nscript_location = /proj/alembic\nsqlalchemy.url = postgresql+psycopg2://u:p%%40ss@h/d\n\n[loggers]\nkeys = root\n",
  );
  // No sqlalchemy.url line: one is added to [alembic].
  expect(privateIni("[alembic]\nscript_location = a\n[x]\n", "/p", "sqlite://")).toBe("[alembic]\nscript_location = a\nsqlalchemy.url = sqlite://\n[x]\n");
});

it("splits Alembic's offline output by revision", () => {
  const sql = "BEGIN;\n\nCREATE TABLE alembic_version (x);\n\n-- Running upgrade  -> a1\n\nCREATE TABLE t (id int);\n\nINSERT INTO alembic_version (version_num) VALUES ('a1') RETURNING alembic_version.version_num;\n\n-- Running upgrade a1 -> b2\n\nSELECT 1;\n\nUPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1';\n\nCOMMIT;\n\n";
  const parts = splitOfflineSql(sql);
  expect([...parts.keys()]).toEqual([" -> a1", "a1 -> b2"]);
  expect(parts.get(" -> a1")).toContain("CREATE TABLE t (id int);");
  expect(parts.get("a1 -> b2")).not.toContain("COMMIT");
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
  const tempDirs = () => readdirSync(tmpdir()).filter((n) => n.startsWith("retort-alembic-"));
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "retort-alembic-project-"));
    mkdirSync(join(dir, "alembic", "versions"), { recursive: true });
    writeFileSync(join(dir, "alembic.ini"), "[alembic]\nscript_location = alembic\nsqlalchemy.url = driver://user:pass@localhost/dbname\n");
    writeFileSync(
      join(dir, "alembic", "env.py"),
      [
        "from alembic import context",
        "config = context.config",
        "if context.is_offline_mode():",
        "    context.configure(url=config.get_main_option('sqlalchemy.url'), literal_binds=True)",
        "    with context.begin_transaction():",
        "        context.run_migrations()",
        "else:",
        "    raise SystemExit('offline only')",
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(dir, "alembic", "versions", "a1_first.py"),
      '"""first\n\nRevision ID: aaaa00000001\n"""\nfrom alembic import op\nrevision = "aaaa00000001"\ndown_revision = None\nbranch_labels = None\ndepends_on = None\ndef upgrade():\n    op.execute("CREATE TABLE t_a (id INT)")\ndef downgrade():\n    op.execute("DROP TABLE t_a")\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("renders offline SQL with the URL's dialect and removes its private ini", async () => {
    const before = tempDirs();
    const { stdout } = await runAlembic({ command: ALEMBIC, iniPath: join(dir, "alembic.ini"), scriptLocation: join(dir, "alembic") }, "postgresql://ci:Hidden-pw@db.invalid/app", ["upgrade", "head", "--sql"]);
    expect(stdout).toContain("-- Running upgrade  -> aaaa00000001");
    expect(stdout).toContain("CREATE TABLE t_a (id INT);");
    expect(stdout).toContain("RETURNING alembic_version.version_num"); // the PostgreSQL dialect
    expect(tempDirs()).toEqual(before);
  });

  it("a failing Alembic is one error without the password, and still cleans up", async () => {
    const before = tempDirs();
    await expect(
      runAlembic({ command: ALEMBIC, iniPath: join(dir, "alembic.ini"), scriptLocation: join(dir, "alembic") }, "postgresql://ci:Hidden-pw@db.invalid/app", ["upgrade", "head"]),
    ).rejects.toThrow(/^alembic upgrade head failed: .*offline only/);
    await expect(
      runAlembic({ command: ALEMBIC, iniPath: join(dir, "alembic.ini"), scriptLocation: join(dir, "alembic") }, "postgresql://ci:Hidden-pw@db.invalid/app", ["upgrade", "nosuchrev", "--sql"]),
    ).rejects.not.toThrow(/Hidden-pw/);
    expect(tempDirs()).toEqual(before);
  });

  it("says how to install Alembic when it cannot be started", async () => {
    await expect(runAlembic({ command: ["no-such-alembic-binary"], iniPath: join(dir, "alembic.ini"), scriptLocation: join(dir, "alembic") }, "postgresql://x@h/d", ["heads"])).rejects.toThrow(
      /Cannot run Alembic \('no-such-alembic-binary'\): not found\. Install it/,
    );
  });
});
