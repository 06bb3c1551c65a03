// `alembic init -t multidb` projects: their env.py connects to the databases of the ini's own
// sections (not the one retort is given) and offline writes each database's SQL to a
// `<name>.sql` file instead of printing it. retort says so in one error before running env.py
// (no file is written into the project, nothing reads "not rendered" for a revision that is
// fine); the graph commands still work.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alembicAvailable as available, PYTHON, retortIn } from "../alembic-kit.js";

describe.runIf(available || process.env.CI)("a multi-database project (alembic init -t multidb)", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "retort-multidb-template-"));
    const env = { ...process.env, PYTHONDONTWRITEBYTECODE: "1" };
    execFileSync(PYTHON, ["-m", "alembic", "init", "-t", "multidb", "migrations"], { cwd: dir, stdio: "ignore", env });
    // Dialect URLs Alembic can render offline with (the template's are placeholders).
    const ini = join(dir, "alembic.ini");
    writeFileSync(ini, readFileSync(ini, "utf8").replace(/driver:\/\/user:pass@localhost\/dbname(\d)/g, "postgresql://u@localhost/d$1"));
    execFileSync(PYTHON, ["-m", "alembic", "revision", "-m", "one", "--rev-id", "d1b0"], { cwd: dir, stdio: "ignore", env });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const retort = (...args: string[]) => retortIn(dir, ...args);

  it("upgrade --sql and plan: one error naming the ini and its databases, and no <name>.sql written", async () => {
    for (const args of [["upgrade", "head", "--sql"], ["plan", "--database-url", "pglite://memory"]]) {
      const r = await retort(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err).toContain("alembic.ini lists several databases ([alembic] databases = engine1, engine2)");
      expect(r.err).toContain("heads, history, show, current and check work");
      expect(r.err).not.toContain("NOT RENDERED");
    }
    expect(existsSync(join(dir, "engine1.sql"))).toBe(false);
  });

  it("the graph commands work", async () => {
    const r = await retort("heads");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe("d1b0 (head)\n");
  });
});
