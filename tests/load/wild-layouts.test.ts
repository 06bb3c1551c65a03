// Layouts as a new user meets them (tests/fixtures/alembic-wild-*), run from the folders users
// run them from and compared with the real Alembic (Debian's 1.8.1) where Alembic reads them:
//   - Flask-Migrate's migrations/alembic.ini (no script_location, which Flask-Migrate sets in
//     code): its SQL is rendered, Alembic being told the script location;
//   - an ini inside a package (app/db/migration/alembic.ini, release folders in
//     version_locations, branch labels imported from the package): `check` names the
//     project's scripts folder, not the default `migrations` it never had;
//   - revision files as they are written: multi-paragraph docstrings with tabs, an empty one,
//     typed (Union[...]) values, `# type: ignore`, a legacy file named by its id, a string
//     branch label, depends_on, `Revises: a, b` merges, `;` on one line, line continuations;
//   - run from a folder below the ini: the error names the ini above, not `migrations`.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { offlineUpgradeResult } from "../../src/commands/offline.js";
import { makeOptions } from "../../src/options.js";
import { renderComment } from "../../src/report/comment.js";
import { alembicAvailable as available, mergeRows, PYTHON, retortIn as retort } from "../alembic-kit.js";

const FIXTURES = resolve("tests/fixtures");
const FLASK = join(FIXTURES, "alembic-wild-flask");
const PACKAGE = join(FIXTURES, "alembic-wild-package");
const INI_FOLDER = join(PACKAGE, "app/db/migration");
const TYPED = join(FIXTURES, "alembic-wild-typed");
function alembic(cwd: string, ...args: string[]): string {
  return execFileSync(PYTHON, ["-m", "alembic", ...args], {
    cwd,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", PYTHONPATH: PACKAGE },
    stdio: ["ignore", "pipe", "pipe"],
  }).toString();
}

/** Which row a step onto a dependency keeps comes from a Python set in Alembic (as in
 *  tests/alembic/project.test.ts): compared as "the rows change". */
describe.runIf(available || process.env.CI)("layouts as users meet them, compared with Alembic", () => {
  let tmp: string;
  const saved = { PYTHONPATH: process.env.PYTHONPATH, PYTHONDONTWRITEBYTECODE: process.env.PYTHONDONTWRITEBYTECODE };
  beforeAll(() => {
    process.env.PYTHONDONTWRITEBYTECODE = "1";
    // What installing the package gives its revision files (`from app.db.migration import cli`).
    process.env.PYTHONPATH = PACKAGE;
    tmp = mkdtempSync(join(tmpdir(), "retort-wild-layouts-"));
  });
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  it("Flask-Migrate (migrations/alembic.ini without script_location): the SQL is Alembic's, from the root and from migrations/", async () => {
    // Alembic is given the script location Flask-Migrate would set, through an equivalent ini.
    const ini = join(tmp, "flask.ini");
    const settings = `[alembic]\nscript_location = ${join(FLASK, "migrations")}\nsqlalchemy.url = postgresql://retort@localhost/offline\n`;
    writeFileSync(ini, readFileSync(join(FLASK, "migrations/alembic.ini"), "utf8").replace("[alembic]\n", settings));
    const expected = alembic(FLASK, "-c", ini, "upgrade", "head", "--sql");
    expect(expected).toContain('CREATE TABLE "user"');
    for (const cwd of [FLASK, join(FLASK, "migrations")]) {
      const r = await retort(cwd, "upgrade", "head", "--sql");
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(r.out).toBe(expected);
    }
  });

  it("an ini inside a package: check names the scripts folder, from the repository root and from the ini's folder", async () => {
    const fromRoot = await retort(PACKAGE, "--alembic-config", "app/db/migration/alembic.ini", "check", "--database-url", "pglite://memory");
    expect(fromRoot.code).toBe(1);
    expect(fromRoot.err).toContain("app/db/migration/alembic_migrations has 2 heads (3c3c3c3c3c3c, 4d4d4d4d4d4d)");
    expect(fromRoot.err).not.toMatch(/\bmigrations has/);
    const fromIni = await retort(INI_FOLDER, "check", "--database-url", "pglite://memory");
    expect(fromIni.err).toContain("\n  alembic_migrations has 2 heads");
    // The intended heads pass the heads check (what is left is the pending revisions).
    for (const args of [["check", "heads"], ["check", "--expect-heads", "expand,contract"]]) {
      const r = await retort(INI_FOLDER, ...args, "--database-url", "pglite://memory");
      expect(r.err).not.toContain("has 2 heads");
      expect(r.err).toContain("5 revision(s) pending");
    }
  });

  it("the pull-request comment names the project's scripts folder, not the default 'migrations'", async () => {
    const previous = process.cwd();
    process.chdir(INI_FOLDER);
    try {
      const options = makeOptions({ alembicCommand: `${PYTHON} -m alembic` });
      const result = await offlineUpgradeResult(options, { start: { from: [], source: "the from input" }, target: "heads" }, () => {});
      const body = renderComment(result, { environment: "staging", commitSha: null, retortVersion: "0.0.0-test", detailsHint: "the job summary" });
      expect(body).toContain("**Migrations:** `alembic_migrations`");
      // Its revisions have no downgrade(): no undo section, and the plan is still made.
      expect(result.undoSql).toBeNull();
      expect(result.plan.steps).toHaveLength(5);
      expect(body.split("\n")[0]).toBe('<!-- retort:plan environment="staging" migrations="alembic_migrations" -->');
    } finally {
      process.chdir(previous);
    }
  });

  it("revisions without downgrade() (as neutron's): irreversible, said before Alembic runs; the plan has no undo instead of failing", async () => {
    const r = await retort(INI_FOLDER, "downgrade", "4d4d4d4d4d4d:base", "--sql");
    expect(r.code).not.toBe(0);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/^retort: Revision 4d4d4d4d4d4d \(.*4d4d4d4d4d4d_rel2_contract\.py\) is irreversible: it defines no downgrade\(\)/);
    expect(r.err).not.toContain("migrate:downgrade");
  });

  it("an ini inside a package: the graph and the SQL of `upgrade heads` equal Alembic's", async () => {
    for (const command of [["heads"], ["history"], ["show", "contract@head"]]) {
      const r = await retort(PACKAGE, "--alembic-config", "app/db/migration/alembic.ini", ...command);
      expect(r.code, r.err).toBe(0);
      expect(r.out.split("\n").sort(), command.join(" ")).toEqual(alembic(INI_FOLDER, ...command).split("\n").sort());
    }
    const sql = await retort(INI_FOLDER, "upgrade", "heads", "--sql");
    expect(sql.err).toBe("");
    expect(mergeRows(sql.out)).toBe(mergeRows(alembic(INI_FOLDER, "upgrade", "heads", "--sql")));
  });

  it("run below the ini (in versions/) or from the repository root without --alembic-config: the error names the ini and what to pass", async () => {
    const below = await retort(join(INI_FOLDER, "alembic_migrations/versions"), "heads");
    expect(below.code).toBe(2);
    expect(below.err).toContain("'../../alembic.ini' above is an Alembic config (its scripts are in 'alembic_migrations' beside it)");
    expect(below.err).toContain("pass --alembic-config ../../alembic.ini");
    // What it says works.
    const ok = await retort(join(INI_FOLDER, "alembic_migrations/versions"), "--alembic-config", "../../alembic.ini", "heads");
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toBe("3c3c3c3c3c3c (expand) (effective head)\n4d4d4d4d4d4d (contract) (head)\n");
    const root = await retort(PACKAGE, "heads");
    expect(root.code).toBe(2);
    expect(root.err).toContain("Alembic config below: 'app/db/migration/alembic.ini': for an Alembic project, pass --alembic-config app/db/migration/alembic.ini");
  });

  it("revision files as they are written: graph, show of each revision and the SQL equal Alembic's", async () => {
    for (const command of [["heads"], ["history"], ["branches"], ["heads", "--resolve-dependencies"]]) {
      const r = await retort(TYPED, ...command);
      expect(r.code, r.err).toBe(0);
      // Alembic 1.8.1 lists the folder in directory order: compared as sets of lines.
      expect(r.out.split("\n").sort(), command.join(" ")).toEqual(alembic(TYPED, ...command).split("\n").sort());
    }
    for (const id of ["1f00aa", "2e00bb", "3d00cc", "4c00dd", "5b00ee", "a1", "b2", "c3", "d4", "side@head", "single@head"]) {
      const r = await retort(TYPED, "show", id);
      expect(r.code, r.err).toBe(0);
      // A branch point's children come in set order in Alembic.
      const children = (t: string) => t.replace(/^(Branches into: )(.*)$/m, (_, h: string, l: string) => h + l.split(", ").sort().join(", "));
      expect(children(r.out), id).toBe(children(alembic(TYPED, "show", id)));
    }
    for (const target of ["5b00ee", "d4"]) {
      const r = await retort(TYPED, "upgrade", target, "--sql");
      expect(r.err).toBe("");
      expect(mergeRows(r.out), target).toBe(mergeRows(alembic(TYPED, "upgrade", target, "--sql")));
    }
  });
});
