// The layouts of tests/fixtures/alembic-find-*, run through the CLI as a user runs it (from the
// folder the layout needs) and compared with the real Alembic (Debian's 1.8.1) where Alembic
// can read the layout; for --version-locations, Alembic gets an equivalent ini.

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alembicAvailable as available, mergeRows, PYTHON, retortIn as retort } from "../alembic-kit.js";

const FIXTURES = resolve("tests/fixtures");
/** Alembic's own command line, run in `cwd`. */
function alembic(cwd: string, ...args: string[]): string {
  return execFileSync(PYTHON, ["-m", "alembic", ...args], {
    cwd,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", PYTHONHASHSEED: "0", DATABASE_URL: "postgresql://retort@localhost/offline" },
    stdio: ["ignore", "pipe", "pipe"],
  }).toString();
}

/** Alembic 1.8.1 lists a folder in file system order and prints set members in hash order:
 *  compare the lines as a set. */
const lines = (text: string) => text.split("\n").filter(Boolean).sort();

/** Which row a step onto a dependency keeps comes from a Python set in Alembic (as in
 *  tests/alembic/project.test.ts): compared as "the rows change". */
const GRAPH_COMMANDS = [["heads"], ["history"], ["heads", "--resolve-dependencies"]];

async function expectSameGraph(cwd: string, retortArgs: string[], alembicCwd: string, alembicArgs: string[] = []): Promise<void> {
  for (const command of GRAPH_COMMANDS) {
    const ours = await retort(cwd, ...retortArgs, ...command);
    expect(ours.code, ours.err).toBe(0);
    expect(lines(ours.out), command.join(" ")).toEqual(lines(alembic(alembicCwd, ...alembicArgs, ...command)));
  }
}

describe.runIf(available || process.env.CI)("finding Alembic projects, compared with Alembic", () => {
  let tmp: string;
  const hashSeed = process.env.PYTHONHASHSEED;
  beforeAll(() => {
    process.env.PYTHONDONTWRITEBYTECODE = "1";
    process.env.PYTHONHASHSEED = "0";
    tmp = mkdtempSync(join(tmpdir(), "retort-find-alembic-"));
  });
  afterAll(() => {
    if (hashSeed === undefined) delete process.env.PYTHONHASHSEED;
    else process.env.PYTHONHASHSEED = hashSeed;
    rmSync(tmp, { recursive: true, force: true });
  });

  it("`alembic init migrations` (alembic.ini in the root): found from the root with or without --migrations, and from above", async () => {
    const project = join(FIXTURES, "alembic-find-init");
    // The ini's second version location holds the head: without the ini the graph would differ.
    expect(alembic(project, "heads")).toBe("c3d4e5f6a1b2 (head)\n");
    await expectSameGraph(project, [], project);
    await expectSameGraph(project, ["--migrations", "migrations"], project);
    await expectSameGraph(process.cwd(), ["--migrations", "tests/fixtures/alembic-find-init/migrations"], project);
  });

  it("an ini in a folder above --migrations whose script_location is that folder", async () => {
    const fixture = join(FIXTURES, "alembic-find-parent");
    await expectSameGraph(fixture, ["--migrations", "service/db/alembic"], join(fixture, "service"));
  });

  it("an ini-less script directory", async () => {
    const ini = join(tmp, "iniless.ini");
    writeFileSync(ini, `[alembic]\nscript_location = ${join(FIXTURES, "alembic-find-iniless/db")}\n`);
    await expectSameGraph(process.cwd(), ["--migrations", "tests/fixtures/alembic-find-iniless/db"], tmp, ["-c", ini]);
  });

  it("release folders: explained without --version-locations; with it, Alembic's graph and SQL", async () => {
    const fixture = join(FIXTURES, "alembic-find-releases");
    const bare = await retort(fixture, "heads");
    expect(bare.code).toBe(2);
    expect(bare.err).toContain("holds no revision files, but 4 sub-folders of it hold 5 .py revision files");
    expect(bare.err).toContain("--version-locations 'schema/versions/*/*'");

    const patterns = ["--version-locations", "schema/versions/*/expand schema/versions/*/contract"];
    const folders = ["r1/expand", "r2/expand", "r1/contract", "r2/contract"].map((f) => join(fixture, "schema/versions", f));
    const ini = join(tmp, "releases.ini");
    writeFileSync(ini, `[alembic]\nscript_location = ${join(fixture, "schema")}\nversion_path_separator = os\nversion_locations = ${folders.join(":")}\n`);
    await expectSameGraph(fixture, patterns, tmp, ["-c", ini]);
    const heads = await retort(fixture, ...patterns, "heads");
    expect(lines(heads.out)).toEqual(["c2a000000002 (contract) (head)", "e2a000000003 (expand) (effective head)"]);

    // The SQL comes from Alembic, which must be told the same locations.
    const sql = await retort(fixture, ...patterns, "upgrade", "heads", "--sql");
    expect(sql.code, sql.err).toBe(0);
    expect(mergeRows(sql.out)).toBe(mergeRows(alembic(tmp, "-c", ini, "upgrade", "heads", "--sql")));
    // The environment variable does the same.
    process.env.RETORT_VERSION_LOCATIONS = "schema/versions/*/expand,schema/versions/*/contract";
    try {
      expect((await retort(fixture, "heads")).out).toBe(heads.out);
    } finally {
      delete process.env.RETORT_VERSION_LOCATIONS;
    }
  });

  it("a package resource script_location: the hint names the folder Alembic uses", async () => {
    const fixture = join(FIXTURES, "alembic-find-package");
    const r = await retort(fixture, "heads");
    expect(r.code).toBe(2);
    const suggested = /Write it as that folder's path instead: '([^']+)'/.exec(r.err)?.[1];
    expect(suggested).toBe("%(here)s/myapp/migrations");
    // The suggestion, written into an ini, reads what Alembic reads through the package.
    const ini = join(tmp, "package.ini");
    writeFileSync(ini, `[alembic]\nscript_location = ${suggested!.replace("%(here)s", fixture)}\n`);
    for (const command of GRAPH_COMMANDS) {
      const ours = await retort(fixture, "--alembic-config", ini, ...command);
      expect(ours.code, ours.err).toBe(0);
      expect(lines(ours.out)).toEqual(lines(alembic(fixture, ...command)));
    }
  });

  it("Python revisions without env.py: one error saying what was found", async () => {
    const r = await retort(join(FIXTURES, "alembic-find-noenv"), "check");
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      "retort: 'migrations' holds no .sql revisions but 2 .py revision files (e.g. 'migrations/versions/d4e5f6a1b2c3_create_users.py') " +
        "and no env.py, so retort reads it as a native project and finds nothing to run. For an Alembic project, pass --migrations the " +
        "folder that holds env.py and versions/, or --alembic-config its alembic.ini; Alembic cannot run the revisions without an env.py either.\n",
    );
  });
});
