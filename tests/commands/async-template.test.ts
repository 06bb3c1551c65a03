// `alembic init -t async` projects: their env.py makes an async engine, which psycopg2 (the
// driver retort names in the URL it gives Alembic) cannot drive. retort names the async driver
// instead (asyncpg, aiomysql), so the project runs where its own driver is installed, and fails
// naming that driver where it is not, instead of "the loaded 'psycopg2' is not async".

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sqlalchemyUrl, usesAsyncEngine } from "../../src/alembic/run.js";
import { main } from "../../src/cli/main.js";
import { BACKENDS } from "../servers.js";
import { alembicAvailable as available, PYTHON } from "../alembic-kit.js";

const temps: string[] = [];
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), "retort-async-template-"));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe("async env.py", () => {
  it("an async env.py gets the async drivers' URL; any other the sync one", () => {
    expect(sqlalchemyUrl("postgresql://u:p@h:5432/d", true)).toBe("postgresql+asyncpg://u:p@h:5432/d");
    expect(sqlalchemyUrl("mariadb://root@h:3306/d", true)).toBe("mysql+aiomysql://root@h:3306/d");
    expect(sqlalchemyUrl("postgres://u@h/d")).toBe("postgresql+psycopg2://u@h/d");
    const dir = temp();
    expect(usesAsyncEngine(dir)).toBe(false);
    writeFileSync(join(dir, "env.py"), "from sqlalchemy.ext.asyncio import AsyncEngine\n");
    expect(usesAsyncEngine(dir)).toBe(true);
    writeFileSync(join(dir, "env.py"), "from sqlalchemy import engine_from_config\n");
    expect(usesAsyncEngine(dir)).toBe(false);
  });

  const pg = BACKENDS.find((b) => b.name === "postgresql" && b.unreachable === null);
  it.runIf(available && pg)("`alembic init -t async` on PostgreSQL: runs with asyncpg, or says asyncpg is missing", async () => {
    const dir = temp();
    execFileSync(PYTHON, ["-m", "alembic", "init", "-t", "async", "migrations"], { cwd: dir, stdio: "ignore" });
    execFileSync(PYTHON, ["-m", "alembic", "revision", "-m", "one", "--rev-id", "a5c1"], { cwd: dir, stdio: "ignore", env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" } });
    const database = await pg!.create();
    let err = "";
    const previous = process.cwd();
    process.chdir(dir);
    try {
      const code = await main(["--alembic-command", `${PYTHON} -m alembic`, "upgrade", "--database-url", database.url], { out: () => {}, err: (t) => (err += t) });
      let hasAsyncpg = true;
      try {
        execFileSync(PYTHON, ["-c", "import asyncpg"], { stdio: "ignore" });
      } catch {
        hasAsyncpg = false;
      }
      if (hasAsyncpg) expect(code, err).toBe(0);
      else expect(err).toContain("No module named 'asyncpg'");
      expect(err).not.toContain("psycopg2");
    } finally {
      process.chdir(previous);
      await database.drop();
    }
  });
});
