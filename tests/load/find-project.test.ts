// Finding the project as a user expects (issue 13, items 2, 6, 7), on layouts written into a
// temporary folder: which ini decides, --version-locations' patterns, and the errors that
// replace an empty result.

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readInputs } from "../../src/action/inputs.js";
import { optionsOf, readCliInputs } from "../../src/cli/inputs.js";
import { main } from "../../src/cli/main.js";
import { detectSource, loadGraph, type SourceOptions } from "../../src/load/directory.js";
import { alembicVersionOptions, expandVersionLocations } from "../../src/load/version-globs.js";
import { retortErrorOf } from "../helpers.js";

let root: string;
let previous: string;

beforeEach(() => {
  previous = process.cwd();
  root = mkdtempSync(join(tmpdir(), "retort-find-test-"));
  process.chdir(root);
});
afterEach(() => {
  process.chdir(previous);
  rmSync(root, { recursive: true, force: true });
});

function write(files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const full = join(root, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
}

const pyRevision = (id: string, down: string | null = null) =>
  `"""${id}"""\nrevision = "${id}"\ndown_revision = ${down === null ? "None" : `"${down}"`}\n\n\ndef upgrade():\n    pass\n`;
const sqlRevision = (id: string) => `-- ${id}\n--\n-- Revision ID: ${id}\n-- Revises:\n-- Create Date: 2025-01-01 00:00:00.000000\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\n`;
const ini = (scriptLocation: string, extra = "") => `[alembic]\nscript_location = ${scriptLocation}\n${extra}`;

/** An `alembic init DIR` script directory with revisions `ids` (a chain). */
function scripts(dir: string, ids: string[] = ["aaa", "bbb"]): void {
  write({ [`${dir}/env.py`]: "# env\n" });
  mkdirSync(join(root, dir, "versions"), { recursive: true });
  ids.forEach((id, i) => write({ [`${dir}/versions/${id}_r.py`]: pyRevision(id, i === 0 ? null : ids[i - 1]!) }));
}

const defaults = (o: Partial<SourceOptions> = {}): SourceOptions => ({ migrations: "migrations", migrationsGiven: false, ...o });
const ids = (o: SourceOptions) => loadGraph(o).revisions.map((r) => r.id);

describe("which ini decides", () => {
  it("the `alembic init migrations` layout: ./alembic.ini naming the folder, given or not", () => {
    write({ "alembic.ini": ini("migrations") });
    scripts("migrations");
    for (const o of [defaults(), defaults({ migrationsGiven: true })]) {
      expect(detectSource(o)).toMatchObject({ kind: "alembic", iniPath: join(root, "alembic.ini"), scriptLocation: join(root, "migrations") });
      expect(ids(o)).toEqual(["aaa", "bbb"]);
    }
    // The older positional form counts the folder as given.
    expect(detectSource("migrations")).toMatchObject({ kind: "alembic", iniPath: join(root, "alembic.ini") });
  });

  it("without --migrations, ./alembic.ini's project wherever it points, shown by its folder", () => {
    write({ "alembic.ini": ini("%(here)s/db/alembic") });
    scripts("db/alembic");
    expect(detectSource(defaults())).toMatchObject({ kind: "alembic", directory: "db/alembic", scriptLocation: join(root, "db/alembic") });
  });

  it("ALEMBIC_CONFIG replaces ./alembic.ini, as in Alembic, and must exist", () => {
    write({ "alembic.ini": ini("other"), "conf/dev.ini": ini("%(here)s/../migrations") });
    scripts("migrations");
    scripts("other", ["zzz"]);
    expect(ids(defaults({ alembicConfigEnv: "conf/dev.ini" }))).toEqual(["aaa", "bbb"]);
    // A pyproject.toml is current Alembic's TOML file: ./alembic.ini still counts.
    expect(retortErrorOf(() => detectSource(defaults({ alembicConfigEnv: "pyproject.toml" }))).message).toMatch(
      /^\.\/alembic\.ini has script_location 'other', but the default migrations folder 'migrations' holds an env\.py/,
    );
    expect(retortErrorOf(() => detectSource(defaults({ alembicConfigEnv: "conf/missing.ini" }))).message).toMatch(
      /^ALEMBIC_CONFIG is 'conf\/missing\.ini', which does not exist\./,
    );
  });

  it("an ini pointing elsewhere while the default folder holds a project: says so, and what to pass", () => {
    write({ "alembic.ini": ini("alembic"), "migrations/0001.sql": sqlRevision("n1") });
    scripts("alembic");
    const e = retortErrorOf(() => detectSource(defaults()));
    expect(e.message).toBe(
      "./alembic.ini has script_location 'alembic', but the default migrations folder 'migrations' holds 1 native .sql revision. " +
        "Pass --alembic-config alembic.ini to use the ini's project, or --migrations migrations to use 'migrations'.",
    );
    // Both ways out work.
    expect(detectSource(defaults({ migrationsGiven: true }))).toEqual({ kind: "native", directory: "migrations", hereIni: expect.anything() });
    expect(ids(defaults({ alembicConfig: "alembic.ini" }))).toEqual(["aaa", "bbb"]);
  });

  it("--migrations naming an env.py folder while ./alembic.ini names another: an error, not a guess", () => {
    write({ "alembic.ini": ini("alembic") });
    scripts("alembic");
    scripts("migrations");
    expect(retortErrorOf(() => detectSource(defaults({ migrationsGiven: true }))).message).toMatch(
      /^'migrations' holds an env\.py but no alembic\.ini, and \.\/alembic\.ini has script_location 'alembic', not 'migrations'\. To use that ini's project, leave --migrations out/,
    );
  });

  it("a --migrations folder that does not exist, with ./alembic.ini beside: names the ini", () => {
    write({ "alembic.ini": ini("migrations") });
    scripts("migrations");
    expect(retortErrorOf(() => detectSource({ migrations: "nowhere" })).message).toBe(
      "The migrations folder 'nowhere' does not exist, and ./alembic.ini has script_location 'migrations'. " +
        "To use that ini's project, leave --migrations out (or pass --alembic-config alembic.ini).",
    );
  });

  it("two inis for one folder: asks which", () => {
    write({ "alembic.ini": ini("migrations"), "migrations/alembic.ini": "[alembic]\n" });
    scripts("migrations");
    expect(retortErrorOf(() => detectSource(defaults())).message).toBe(
      "Both ./alembic.ini and 'migrations/alembic.ini' configure the Alembic scripts in 'migrations'. Pass --alembic-config with the one retort should read.",
    );
  });

  it("Flask-Migrate's migrations/alembic.ini keeps working, given or not", () => {
    write({ "migrations/alembic.ini": "[alembic]\n" });
    scripts("migrations");
    for (const o of [defaults(), defaults({ migrationsGiven: true })]) {
      expect(detectSource(o)).toMatchObject({ kind: "alembic", iniPath: join(root, "migrations/alembic.ini"), scriptLocation: join(root, "migrations") });
    }
  });

  it("an ini two folders above whose script_location is the folder; one naming another folder is passed over", () => {
    write({ "svc/alembic.ini": ini("%(here)s/db/alembic"), "svc/db/alembic.ini": ini("elsewhere") });
    scripts("svc/db/alembic");
    expect(detectSource({ migrations: "svc/db/alembic" })).toMatchObject({ kind: "alembic", iniPath: join(root, "svc/alembic.ini") });
  });

  it("an ini-less env.py folder, and a new native project, stay as they were", async () => {
    scripts("db");
    expect(detectSource({ migrations: "db" })).toMatchObject({ kind: "alembic", iniPath: null, scriptLocation: join(root, "db") });
    expect(detectSource(defaults())).toEqual({ kind: "native", directory: "migrations" });
    let err = "";
    const code = await main(["revision", "-m", "first"], { out: () => undefined, err: (t) => (err += t) });
    expect(code, err).toBe(0);
    expect(loadGraph(defaults()).size).toBe(1);
  });
});

describe("what the CLI was given", () => {
  const options = (argv: string[], env: Record<string, string> = {}, flags: Record<string, unknown> = {}) =>
    optionsOf({ migrations: "migrations", ...flags }, readCliInputs(argv, env, "0.0.0"));

  it("--migrations given or not (commander fills in the default without saying so)", () => {
    expect(options(["heads"]).migrationsGiven).toBe(false);
    expect(options(["--migrations", "migrations", "heads"]).migrationsGiven).toBe(true);
    expect(options(["heads", "--migrations=db"], {}, { migrations: "db" })).toMatchObject({ migrations: "db", migrationsGiven: true });
    expect(options(["heads"], { RETORT_MIGRATIONS: "db" }, { migrations: "db" }).migrationsGiven).toBe(true);
    expect(options(["revision", "--", "--migrations"]).migrationsGiven).toBe(false);
  });

  it("ALEMBIC_CONFIG, and --version-locations split on spaces and commas", () => {
    expect(options(["heads"], { ALEMBIC_CONFIG: "conf/alembic.ini" }).alembicConfigEnv).toBe("conf/alembic.ini");
    expect(options(["heads"], {}, { versionLocations: ["a/*/expand b/*/contract", "c,d"] }).versionLocations).toEqual([
      "a/*/expand",
      "b/*/contract",
      "c",
      "d",
    ]);
  });

  it("the Action's inputs: migrations empty by default (not given), version-locations, the job's ALEMBIC_CONFIG", () => {
    const set = { "INPUT_MIGRATIONS": "", "INPUT_VERSION-LOCATIONS": "versions/*/expand versions/*/contract", ALEMBIC_CONFIG: "db/alembic.ini" };
    const saved = Object.fromEntries(Object.keys(set).map((k) => [k, process.env[k]]));
    Object.assign(process.env, set);
    try {
      expect(readInputs("0.0.0").options).toMatchObject({
        migrations: "migrations",
        migrationsGiven: false,
        alembicConfigEnv: "db/alembic.ini",
        versionLocations: ["versions/*/expand", "versions/*/contract"],
      });
      process.env.INPUT_MIGRATIONS = "db";
      expect(readInputs("0.0.0").options).toMatchObject({ migrations: "db", migrationsGiven: true });
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it("retort revision refuses the `alembic init` layout found through ./alembic.ini", async () => {
    write({ "alembic.ini": ini("migrations") });
    scripts("migrations");
    let err = "";
    expect(await main(["revision", "-m", "x"], { out: () => undefined, err: (t) => (err += t) })).toBe(2);
    expect(err).toMatch(/migrations is an Alembic project: create its revisions with 'alembic revision -m MSG'/);
  });
});

describe("--version-locations", () => {
  beforeEach(() => {
    write({ "alembic.ini": ini("%(here)s/schema") });
    scripts("schema", []);
    for (const [rel, id, down] of [
      ["r2/expand/b.py", "e2", "e1"],
      ["r1/expand/a.py", "e1", null],
      ["r1/contract/a.py", "c1", null],
      ["r10/contract/a.py", "c2", "c1"],
      [".hidden/expand/x.py", "h1", null],
    ] as const) {
      write({ [`schema/versions/${rel}`]: pyRevision(id, down) });
    }
  });

  it("expands patterns in the order given, each sorted, from the ini's folder", () => {
    const loc = (p: string) => join(root, "schema/versions", p);
    expect(expandVersionLocations(["schema/versions/*/expand", "schema/versions/*/contract"], root)).toEqual([
      loc("r1/expand"),
      loc("r2/expand"),
      loc("r1/contract"),
      loc("r10/contract"),
    ]);
    expect(expandVersionLocations(["schema/versions/r?/*", "schema/**/expand"], root)).toEqual([
      loc("r1/contract"),
      loc("r1/expand"),
      loc("r2/expand"),
    ]);
    expect(expandVersionLocations(["schema/versions/.*/expand"], root)).toEqual([loc(".hidden/expand")]);
  });

  it("replaces the ini's version_locations, and the graph loads", () => {
    const o = defaults({ versionLocations: ["schema/versions/*/expand", "schema/versions/*/contract"] });
    const source = detectSource(o);
    expect(source).toMatchObject({ kind: "alembic", versionLocationsGiven: true });
    expect(ids(o)).toEqual(["e1", "e2", "c1", "c2"]);
    const graph = loadGraph(o);
    expect(graph.ids(graph.heads)).toEqual(["e2", "c2"]);
    // Alembic is told the same folders.
    expect(graph.revisions[0]!.alembic?.project.mainOptions).toEqual({
      version_locations: ["r1/expand", "r2/expand", "r1/contract", "r10/contract"].map((p) => join(root, "schema/versions", p)).join(":"),
      version_path_separator: "os",
    });
  });

  it("is refused for a native project, which has no version locations", () => {
    mkdirSync(join(root, "native"));
    expect(retortErrorOf(() => detectSource({ migrations: "native", versionLocations: ["x"] })).message).toMatch(
      /^--version-locations is for an Alembic project, and 'native' is none/,
    );
  });

  it("a pattern that matches nothing is an error naming it", () => {
    const e = retortErrorOf(() => detectSource(defaults({ versionLocations: ["schema/versions/*/expand", "schema/versions/*/contrac"] })));
    expect(e.message).toMatch(/^--version-locations: 'schema\/versions\/\*\/contrac' matches no folder in '/);
  });

  it("a folder reached twice counts once; a link to a folder is followed", () => {
    symlinkSync(join(root, "schema/versions/r1"), join(root, "schema/versions/r3"));
    expect(expandVersionLocations(["schema/versions/r1/expand", "schema/versions/*/expand"], root)).toEqual(
      ["r1/expand", "r2/expand"].map((p) => join(root, "schema/versions", p)),
    );
  });

  it("joins the folders with the ini's path_separator when Alembic 1.8 knows it too", () => {
    expect(alembicVersionOptions(["/a", "/b"], ";")).toEqual({ version_locations: "/a;/b", version_path_separator: ";" });
    expect(alembicVersionOptions(["/a", "/b"], "newline")).toEqual({ version_locations: "/a:/b", version_path_separator: "os", path_separator: "os" });
    expect(retortErrorOf(() => alembicVersionOptions(["/a b"], "space")).message).toMatch(/'\/a b' has ' ' in its path/);
  });
});

describe("an empty result is explained", () => {
  it("version locations holding only sub-folders of revisions: what to set or pass", () => {
    write({ "alembic.ini": ini("migrations") });
    scripts("migrations", []);
    write({ "migrations/versions/2024/a.py": pyRevision("a1"), "migrations/versions/2025/b.py": pyRevision("b1", "a1") });
    const e = retortErrorOf(() => loadGraph(defaults()));
    expect(e.message).toBe(
      "Alembic version location 'migrations/versions' holds no revision files, but 2 sub-folders of it hold 2 .py revision files " +
        "(2024/, 2025/), which Alembic does not read without recursive_version_locations. Set 'recursive_version_locations = true' " +
        "in alembic.ini (Alembic 1.10+), or pass --version-locations 'migrations/versions/*' (patterns are taken from the ini's folder, '.').",
    );
    // Either way out works.
    expect(ids(defaults({ versionLocations: ["migrations/versions/*"] }))).toEqual(["a1", "b1"]);
    write({ "alembic.ini": ini("migrations", "recursive_version_locations = true\n") });
    expect(ids(defaults())).toEqual(["a1", "b1"]);
  });

  it("revisions at the top and more in sub-folders: the graph loads, with a warning", async () => {
    write({ "alembic.ini": ini("migrations") });
    scripts("migrations", ["a1"]);
    write({ "migrations/versions/2025/b.py": pyRevision("b1", "a1"), "migrations/versions/2025/notes.py": "X = 1\n" });
    const warnings: string[] = [];
    expect(loadGraph(defaults(), null, (line) => warnings.push(line)).size).toBe(1);
    expect(warnings).toEqual([
      "sub-folders of the Alembic version location 'migrations/versions' hold 1 .py revision file (2025/), which retort, like " +
        "Alembic, does not read without recursive_version_locations. If they belong to the project, set " +
        "'recursive_version_locations = true' in alembic.ini or pass --version-locations with their folders.",
    ]);
    let out = "";
    let err = "";
    expect(await main(["heads"], { out: (t) => (out += t), err: (t) => (err += t) })).toBe(0);
    expect(out).toBe("a1 (head)\n");
    expect(err).toBe(`retort: warning: ${warnings[0]}\n`);
  });

  it("a new `alembic init` project (versions/ empty) is fine", () => {
    write({ "alembic.ini": ini("migrations") });
    scripts("migrations", []);
    expect(loadGraph(defaults()).size).toBe(0);
  });

  it("configured version locations of which none exists", () => {
    write({ "alembic.ini": ini("migrations", "version_locations = %(here)s/a %(here)s/b\n") });
    scripts("migrations", []);
    expect(retortErrorOf(() => loadGraph(defaults())).message).toBe(
      "None of the Alembic version locations exists ('a', 'b'), so there are no revisions. Fix version_locations in alembic.ini.",
    );
  });

  it("Python revisions without env.py: not read as a native project without a word", () => {
    write({ "migrations/versions/a_x.py": pyRevision("a1"), "migrations/versions/b_x.py": pyRevision("b1", "a1"), "migrations/helper.py": "X = 1\n" });
    expect(retortErrorOf(() => loadGraph(defaults())).message).toBe(
      "'migrations' holds no .sql revisions but 2 .py revision files (e.g. 'migrations/versions/a_x.py') and no env.py, so retort reads " +
        "it as a native project and finds nothing to run. For an Alembic project, pass --migrations the folder that holds env.py and " +
        "versions/, or --alembic-config its alembic.ini; Alembic cannot run the revisions without an env.py either.",
    );
  });

  it("env.py without versions/: says what to create or pass", () => {
    write({ "migrations/env.py": "# env\n" });
    expect(retortErrorOf(() => loadGraph(defaults())).message).toMatch(/^'migrations' holds an env\.py but no versions\/ folder/);
    write({ "migrations/revs/a.py": pyRevision("a1") });
    expect(ids(defaults({ versionLocations: ["revs"] }))).toEqual(["a1"]);
  });

  it("an empty or missing native folder stays fine (or says how to start)", () => {
    mkdirSync(join(root, "migrations"));
    expect(loadGraph(defaults()).size).toBe(0);
  });
});
