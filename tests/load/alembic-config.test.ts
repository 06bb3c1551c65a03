import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RetortError } from "../../src/core/errors.js";
import type { AlembicProject } from "../../src/load/alembic-config.js";
import { listAlembicScripts } from "../../src/load/alembic-files.js";
import { detectSource, type AlembicSource } from "../../src/load/directory.js";
import { iniValue, parseIni } from "../../src/load/ini.js";
import { retortErrorOf } from "../helpers.js";

const FIXTURES = resolve("tests/fixtures");
const TUTORIAL = join(FIXTURES, "alembic-tutorial");
const BRANCHES = join(FIXTURES, "alembic-branches");
const FLASK = join(FIXTURES, "flask-migrate", "migrations");

let tmp: string;

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "retort-alembic-config-test-"));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** Writes `files` (relative path -> content) under the temp directory. */
function write(files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const full = join(tmp, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
}


/** The Alembic project detected in `dir`; fails the test when it holds none. */
function alembicIn(dir: string, config?: string | null): AlembicSource {
  const source = detectSource(dir, config);
  expect(source.kind).toBe("alembic");
  return source as AlembicSource;
}

/** A temp project: alembic.ini with `settings` under [alembic], plus alembic/env.py. */
function project(settings: string[], extra: Record<string, string> = {}): AlembicProject {
  write({ "alembic.ini": ["[alembic]", "script_location = alembic", ...settings, ""].join("\n"), "alembic/env.py": "", ...extra });
  return alembicIn(tmp);
}

const names = (paths: readonly string[], base: string): string[] => paths.map((p) => relative(base, p).split("\\").join("/"));

describe("detectSource (Alembic layouts)", () => {
  it("finds the `alembic init` layout and resolves a relative script_location against the ini's directory", () => {
    // The fixture says `script_location = alembic`; the test runs from the repository root.
    expect(detectSource(BRANCHES)).toEqual({
      kind: "alembic",
      directory: BRANCHES,
      root: BRANCHES,
      iniPath: join(BRANCHES, "alembic.ini"),
      scriptLocation: join(BRANCHES, "alembic"),
      versionLocations: [join(BRANCHES, "alembic", "versions"), join(BRANCHES, "alembic", "versions_extra")],
      prependSysPath: ["."],
      recursive: false,
      fileTemplate: "%(rev)s_%(slug)s",
      truncateSlugLength: 40,
    });
  });

  it("reads %(here)s and a dated file_template (the tutorial's project)", () => {
    expect(detectSource(TUTORIAL)).toEqual({
      kind: "alembic",
      directory: TUTORIAL,
      root: TUTORIAL,
      iniPath: join(TUTORIAL, "alembic.ini"),
      scriptLocation: join(TUTORIAL, "project"),
      versionLocations: [join(TUTORIAL, "project", "versions")],
      prependSysPath: ["."],
      recursive: false,
      fileTemplate: "%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s",
      truncateSlugLength: 40,
    });
  });

  it("finds Flask-Migrate's migrations/ (its alembic.ini has no script_location: the ini's directory is it)", () => {
    expect(detectSource(FLASK)).toEqual({
      kind: "alembic",
      directory: FLASK,
      root: FLASK,
      iniPath: join(FLASK, "alembic.ini"),
      scriptLocation: FLASK,
      versionLocations: [join(FLASK, "versions")],
      recursive: false,
      fileTemplate: "%(rev)s_%(slug)s",
      truncateSlugLength: 40,
      // Alembic is told the script location Flask-Migrate sets in code.
      mainOptions: { script_location: FLASK },
    });
  });

  it("finds env.py next to versions/ without an ini, with every default", () => {
    write({ "env.py": "", "versions/a1_x.py": "" });
    expect(detectSource(tmp)).toEqual({
      kind: "alembic",
      directory: tmp,
      root: tmp,
      iniPath: null,
      scriptLocation: tmp,
      versionLocations: [join(tmp, "versions")],
      recursive: false,
      fileTemplate: "%(rev)s_%(slug)s",
      truncateSlugLength: 40,
    });
  });

  it("returns null where there is no Alembic project", () => {
    expect(detectSource(tmp)).toEqual({ kind: "native", directory: tmp });
    write({ "env.py": "" }); // env.py without versions/
    expect(detectSource(tmp)).toEqual({ kind: "native", directory: tmp });
    expect(detectSource(join(tmp, "missing"))).toEqual({ kind: "native", directory: join(tmp, "missing") });
    expect(detectSource(join(FIXTURES, "depends-on"))).toEqual({ kind: "native", directory: join(FIXTURES, "depends-on") });
  });

  it("uses --alembic-config (relative to the current directory) over DIR", () => {
    const p = alembicIn(tmp, "tests/fixtures/alembic-tutorial/alembic.ini");
    expect(p?.iniPath).toBe(join(TUTORIAL, "alembic.ini"));
    expect(p?.root).toBe(TUTORIAL);
    expect(p?.scriptLocation).toBe(join(TUTORIAL, "project"));
    expect(alembicIn(tmp, join(FLASK, "alembic.ini")).scriptLocation).toBe(FLASK);
    // Empty means not given (an unset Action input).
    expect(alembicIn(TUTORIAL, "").iniPath).toBe(join(TUTORIAL, "alembic.ini"));
  });

  it("rejects a missing --alembic-config, or a directory, naming it", () => {
    const missing = retortErrorOf(() => detectSource(TUTORIAL, "nope/alembic.ini"));
    expect(missing.code).toBe("usage");
    expect(missing.message).toMatch(/Alembic config 'nope\/alembic\.ini' does not exist\. Pass the path of your alembic\.ini/);
    expect(retortErrorOf(() => detectSource(tmp, TUTORIAL)).message).toMatch(/is not a file/);
  });

  it("rejects an ini without [alembic], or without script_location and env.py", () => {
    write({ "alembic.ini": "[loggers]\nkeys = root\n" });
    expect(retortErrorOf(() => detectSource(tmp)).message).toMatch(/has no \[alembic\] section/);
    write({ "alembic.ini": "[alembic]\nsqlalchemy.url = x\n" });
    expect(retortErrorOf(() => detectSource(tmp)).message).toMatch(/has no script_location.*%\(here\)s\/alembic/);
  });

  it("rejects a script_location that does not exist, or is a package resource", () => {
    write({ "alembic.ini": "[alembic]\nscript_location = migrations\n" });
    const e = retortErrorOf(() => detectSource(tmp));
    expect(e.message).toContain(`alembic.ini:2: script_location 'migrations' is '${join(tmp, "migrations")}', which does not exist`);
    write({ "alembic.ini": "[alembic]\nscript_location =\n" });
    expect(retortErrorOf(() => detectSource(tmp)).message).toMatch(/alembic\.ini:2: script_location is empty/);
    write({ "alembic.ini": "[alembic]\nscript_location = myapp:db/migrations\n" });
    expect(retortErrorOf(() => detectSource(tmp)).message).toMatch(/Python package resource.*'%\(here\)s\/myapp\/db\/migrations'/);
  });

  it("reads prepend_sys_path as Alembic splits it: on spaces, commas and colons, or on path_separator where it is set", () => {
    expect(project(["prepend_sys_path = . src:lib, vendor"]).prependSysPath).toEqual([".", "src", "lib", "vendor"]);
    expect(project(["prepend_sys_path = a b;c", "path_separator = ;"]).prependSysPath).toEqual(["a b", "c"]);
    // version_path_separator is version_locations' alone.
    expect(project(["prepend_sys_path = a;b c", "version_path_separator = ;"]).prependSysPath).toEqual(["a;b", "c"]);
    expect(project([]).prependSysPath).toBeUndefined();
  });

  describe("version_locations", () => {
    const locations = (settings: string[]): string[] => names(project(settings).versionLocations, tmp);

    it("defaults to <script_location>/versions (also when empty)", () => {
      expect(locations([])).toEqual(["alembic/versions"]);
      expect(locations(["version_locations ="])).toEqual(["alembic/versions"]);
    });

    it("splits on spaces and commas without a separator setting (Alembic's legacy rule)", () => {
      expect(locations(["version_locations = a, b c,d"])).toEqual(["a", "b", "c", "d"]);
      expect(retortErrorOf(() => project(["version_locations = a ,b"])).message).toMatch(/has an empty entry/);
    });

    it("splits on version_path_separator: os, space, newline, ':' and ';'", () => {
      expect(locations(["version_locations = a:b c", "version_path_separator = os"])).toEqual(["a", "b c"]);
      expect(locations(["version_locations = a b", "version_path_separator = space"])).toEqual(["a", "b"]);
      expect(locations(["version_locations = a:%(here)s/b::", "version_path_separator = :"])).toEqual(["a", "b"]);
      expect(locations(["version_locations = a; b", "version_path_separator = ;"])).toEqual(["a", "b"]);
      expect(locations(["version_locations =", "  a", "  b c", "version_path_separator = newline"])).toEqual(["a", "b c"]);
    });

    it("prefers path_separator (newer Alembic) over version_path_separator", () => {
      expect(locations(["version_locations = a;b", "path_separator = ;", "version_path_separator = space"])).toEqual(["a", "b"]);
    });

    it("rejects an unknown separator, and explains the inline comment of Alembic 1.8's template", () => {
      const e = retortErrorOf(() => project(["version_locations = a", "version_path_separator = os  # Use os.pathsep."]));
      expect(e.message).toMatch(/alembic\.ini:4: version_path_separator 'os {2}# Use os\.pathsep\.' is not valid.*on a line of its own/);
      expect(retortErrorOf(() => project(["version_locations = a", "version_path_separator = comma"])).message).toMatch(
        /'comma' is not valid; expected 'space', 'newline', 'os', ':' or ';'\.$/,
      );
    });

    it("ignores the separator while version_locations is unset, as Alembic does", () => {
      expect(locations(["version_path_separator = os  # Use os.pathsep."])).toEqual(["alembic/versions"]);
    });

    it("rejects several lines that nothing splits", () => {
      expect(retortErrorOf(() => project(["version_locations =", "  a", "  b"])).message).toMatch(/spans several lines.*= newline/);
    });

    it("rejects package resources", () => {
      expect(retortErrorOf(() => project(["version_locations = pkg:versions"])).message).toMatch(/version_locations entry 'pkg:versions' is a Python package resource/);
    });
  });

  it("reads recursive_version_locations as Alembic does: only 'true' is true", () => {
    expect(project(["recursive_version_locations = true"]).recursive).toBe(true);
    expect(project(["recursive_version_locations = True"]).recursive).toBe(false);
  });

  it("reads truncate_slug_length (0 means the default, as in Alembic)", () => {
    expect(project(["truncate_slug_length = 12"]).truncateSlugLength).toBe(12);
    expect(project(["truncate_slug_length = 0"]).truncateSlugLength).toBe(40);
    expect(retortErrorOf(() => project(["truncate_slug_length = forty"])).message).toMatch(/truncate_slug_length 'forty' is not a non-negative integer/);
  });
});

describe("listAlembicScripts", () => {
  it("lists *.py in sorted (code point) order, without __init__*, .#* and other files; no sub-directories", () => {
    const p = project([], {
      "alembic/versions/b2_second.py": "",
      "alembic/versions/B1_upper.py": "",
      "alembic/versions/a1_first.py": "",
      "alembic/versions/.a0_hidden.py": "",
      "alembic/versions/__init__.py": "",
      "alembic/versions/.#a1_first.py": "",
      "alembic/versions/c3.pyc": "",
      "alembic/versions/README": "",
      "alembic/versions/sub/d4_nested.py": "",
    });
    expect(names(listAlembicScripts(p), join(tmp, "alembic/versions"))).toEqual([".a0_hidden.py", "B1_upper.py", "a1_first.py", "b2_second.py"]);
  });

  it("walks sub-directories when recursive: a directory's files first, then its sub-directories in order", () => {
    const p = project(["recursive_version_locations = true"], {
      "alembic/versions/z9_top.py": "",
      "alembic/versions/a1_top.py": "",
      "alembic/versions/b/b2.py": "",
      "alembic/versions/b/a/ba1.py": "",
      "alembic/versions/b/c3.py": "",
      "alembic/versions/a/a2.py": "",
      "alembic/versions/__pycache__/x1.py": "",
    });
    expect(names(listAlembicScripts(p), join(tmp, "alembic/versions"))).toEqual(["a1_top.py", "z9_top.py", "a/a2.py", "b/b2.py", "b/c3.py", "b/a/ba1.py"]);
  });

  it("takes version locations in configured order, skips missing ones and reads a file once", () => {
    const p = project(["version_locations = %(here)s/two %(here)s/missing %(here)s/one %(here)s/two"], {
      "one/a1.py": "",
      "two/b2.py": "",
      "two/a3.py": "",
    });
    expect(names(listAlembicScripts(p), tmp)).toEqual(["two/a3.py", "two/b2.py", "one/a1.py"]);
  });

  it("reads a file reached through a symlink once, where it was first found, by its real path", () => {
    const p = project(["version_locations = %(here)s/one %(here)s/two"], { "one/a1.py": "", "two/b2.py": "" });
    symlinkSync(join(tmp, "two", "b2.py"), join(tmp, "one", "z9.py"));
    expect(names(listAlembicScripts(p), tmp)).toEqual(["one/a1.py", "two/b2.py"]);
  });

  describe("symbolic links, as current Alembic (Path.resolve(), then the real file's name) takes them", () => {
    it("follows a link to a revision file elsewhere, taking the real file's path and name", () => {
      const p = project([], { "alembic/versions/a1_first.py": "", "shared/c3_shared.py": "", "shared/notes.txt": "" });
      symlinkSync(join(tmp, "shared", "c3_shared.py"), join(tmp, "alembic/versions", "b2_link.py"));
      // A link without .py to a .py file is a revision; a link named .py to a .txt file is not.
      symlinkSync(join(tmp, "shared", "c3_shared.py"), join(tmp, "alembic/versions", "zz_link_without_extension"));
      symlinkSync(join(tmp, "shared", "notes.txt"), join(tmp, "alembic/versions", "c0_notes.py"));
      // Relative link targets resolve against the link's directory.
      write({ "alembic/other/d4_rel.py": "" });
      symlinkSync("../other/d4_rel.py", join(tmp, "alembic/versions", "d4_rel.py"));
      expect(names(listAlembicScripts(p), tmp)).toEqual(["alembic/versions/a1_first.py", "shared/c3_shared.py", "alembic/other/d4_rel.py"]);
    });

    it("a dangling link named as a revision is an error naming it (Alembic: Can't find Python file); others are passed over as Alembic does", () => {
      const p = project([], { "alembic/versions/a1_first.py": "" });
      symlinkSync(join(tmp, "nowhere", "x.txt"), join(tmp, "alembic/versions", "b2_to_text.py"));
      expect(names(listAlembicScripts(p), tmp)).toEqual(["alembic/versions/a1_first.py"]);
      symlinkSync(join(tmp, "nowhere", "gone.py"), join(tmp, "alembic/versions", "c3_dead.py"));
      const e = retortErrorOf(() => listAlembicScripts(p));
      expect(e.code).toBe("revision-file");
      expect(e.message).toContain(join(tmp, "alembic/versions", "c3_dead.py"));
      expect(e.message).toMatch(/is a symbolic link to '.*nowhere[/\\]gone\.py', which does not exist; Alembic fails on it too/);
    });

    it("a link loop named as a revision is an error naming it", () => {
      const p = project([], { "alembic/versions/a1_first.py": "" });
      symlinkSync(join(tmp, "alembic/versions", "l2.py"), join(tmp, "alembic/versions", "l1.py"));
      symlinkSync(join(tmp, "alembic/versions", "l1.py"), join(tmp, "alembic/versions", "l2.py"));
      const e = retortErrorOf(() => listAlembicScripts(p));
      expect(e.message).toMatch(/l1\.py: is a symbolic link loop/);
    });

    it("does not enter a linked directory, recursive or not (os.walk without followlinks)", () => {
      for (const recursive of [false, true]) {
        rmSync(tmp, { recursive: true, force: true });
        mkdirSync(tmp);
        const p = project(recursive ? ["recursive_version_locations = true"] : [], {
          "alembic/versions/a1_first.py": "",
          "alembic/versions/sub/b2_sub.py": "",
          "elsewhere/c3_linked.py": "",
        });
        symlinkSync(join(tmp, "elsewhere"), join(tmp, "alembic/versions", "linked"));
        expect(names(listAlembicScripts(p), join(tmp, "alembic/versions"))).toEqual(recursive ? ["a1_first.py", "sub/b2_sub.py"] : ["a1_first.py"]);
      }
    });
  });

  it("rejects a missing default versions directory, and a location that is a file", () => {
    const e = retortErrorOf(() => listAlembicScripts(project([])));
    expect(e.message).toMatch(/versions directory '.*alembic[/\\]versions' does not exist\. Create it/);
    const p = project(["version_locations = %(here)s/file.py"], { "file.py": "" });
    expect(retortErrorOf(() => listAlembicScripts(p)).message).toMatch(/file\.py' is not a directory\. Fix version_locations/);
  });

  it("lists the fixtures", () => {
    const tutorial = names(listAlembicScripts(alembicIn(TUTORIAL)), join(TUTORIAL, "project/versions"));
    expect(tutorial).toEqual([
      "2024_04_01_1718-784a7abb86b7_create_schema_ecommerce.py",
      "2024_04_01_1721-b1bc43e2f536_create_table_customer.py",
      "2024_04_01_1736-d5e376c66584_create_table_product_category.py",
      "2024_04_01_1738-33083bd5e3b1_insert_a_new_product_category.py",
      "2024_04_01_1752-358cebb507a0_create_table_order.py",
      "2024_04_01_1753-b036a88df8fb_create_table_seller.py",
    ]);
    expect(names(listAlembicScripts(alembicIn(BRANCHES)), join(BRANCHES, "alembic"))).toEqual([
      "versions/3f2a9c1e7b10_create_accounts_table.py",
      "versions/6c3b8e1f0a47_merge_audit_into_main.py",
      "versions/8d41c0b2e6f3_create_orders_table.py",
      "versions/c7e5a13f9d02_create_reports_table.py",
      "versions/e08f6d2c4b97_merge_orders_and_reporting.py",
      "versions_extra/0b7c3e9a5d18_create_audit_log_table.py",
      "versions_extra/9a6d2f4c1e83_create_audit_events_table.py",
    ]);
    expect(names(listAlembicScripts(alembicIn(FLASK)), join(FLASK, "versions"))).toEqual([
      "2c4d6e8f0a1b_create_posts_table.py",
      "e1f3a5c7b9d2_create_users_table.py",
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Agreement with the real Alembic (Debian's python3-alembic 1.8.1) and configparser


// The revision map's own order: its keys in insertion order (branch labels are keys too; keep
// the entries whose key is the revision's id). Alembic 1.8 lists a version directory with
// os.listdir(), in file system order; Alembic 1.10+ sorts the names. With `sorted`, the
// listing is sorted first, giving the order of current Alembic. Paths are real paths, as
// current Alembic's Script.path is (it resolves each file; 1.8 kept the path as listed).
const ALEMBIC_LOAD_ORDER = `
import json, os, sys
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.script.base import Script
req = json.loads(sys.argv[1])
if req["sorted"]:
    listing = Script._list_py_dir.__func__
    Script._list_py_dir = classmethod(lambda cls, sd, path: sorted(listing(cls, sd, path)))
config = Config(req["ini"])
if req["script_location"]:
    # What Flask-Migrate does (Migrate.get_config).
    config.set_main_option("script_location", req["script_location"])
script = ScriptDirectory.from_config(config)
rmap = script.revision_map._revision_map
print(json.dumps([os.path.realpath(s.path) for k, s in rmap.items() if s is not None and k == s.revision]))
`;

function alembicLoadOrder(ini: string, options: { sorted: boolean; scriptLocation?: string }): string[] {
  const out = execFileSync(
    PYTHON,
    ["-c", ALEMBIC_LOAD_ORDER, JSON.stringify({ ini, sorted: options.sorted, script_location: options.scriptLocation ?? null })],
    // Alembic resolves relative paths against its current directory: run it where users do.
    { cwd: dirname(ini), encoding: "utf8", env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  return JSON.parse(out) as string[];
}

// configparser.ConfigParser({"here": ...}) reading a file, as alembic.config.Config does:
// every [alembic] option (including inherited ones) with its interpolated value, or the error.
const CONFIGPARSER = `
import configparser, json, sys
req = json.loads(sys.argv[1])
cp = configparser.ConfigParser({"here": req["here"]})
try:
    cp.read([req["ini"]])
    out = {}
    for key in cp.options("alembic"):
        try:
            out[key] = {"value": cp.get("alembic", key)}
        except configparser.Error as e:
            out[key] = {"error": type(e).__name__}
    print(json.dumps({"options": out}))
except configparser.Error as e:
    print(json.dumps({"error": type(e).__name__}))
`;
import { alembicAvailable, PYTHON } from "../alembic-kit.js";

type ConfigParserResult = { options: Record<string, { value?: string; error?: string }> } | { error: string };

function configparserRead(ini: string, here: string): ConfigParserResult {
  const out = execFileSync(PYTHON, ["-c", CONFIGPARSER, JSON.stringify({ ini, here })], { encoding: "utf8" });
  return JSON.parse(out) as ConfigParserResult;
}

describe.runIf(alembicAvailable || process.env.CI)("agreement with the real Alembic", () => {
  const cases: { name: string; dir: string; ini: string; scriptLocation?: string }[] = [
    { name: "alembic-tutorial", dir: TUTORIAL, ini: join(TUTORIAL, "alembic.ini") },
    { name: "alembic-branches", dir: BRANCHES, ini: join(BRANCHES, "alembic.ini") },
    { name: "flask-migrate", dir: FLASK, ini: join(FLASK, "alembic.ini"), scriptLocation: FLASK },
  ];

  for (const c of cases) {
    it(`${c.name}: the load order is Alembic's revision map order`, () => {
      const ours = listAlembicScripts(alembicIn(c.dir));
      expect(ours).toEqual(alembicLoadOrder(c.ini, { sorted: true, scriptLocation: c.scriptLocation }));
      // Unpatched 1.8.1: the same files, version location by version location.
      const raw = alembicLoadOrder(c.ini, { sorted: false, scriptLocation: c.scriptLocation });
      expect([...raw].sort()).toEqual([...ours].sort());
      expect(raw.map(dirname)).toEqual(ours.map(dirname));
    });
  }

  describe("symbolic links", () => {
    const revision = (id: string, down: string | null) => `revision = '${id}'\ndown_revision = ${down ? `'${down}'` : "None"}\n`;
    const linkedProject = () => {
      write({
        "alembic.ini": "[alembic]\nscript_location = %(here)s/alembic\n",
        "alembic/env.py": "",
        "alembic/versions/a1_first.py": revision("a1", null),
        "shared/b2_second.py": revision("b2", "a1"),
        "elsewhere/c3_third.py": revision("c3", "b2"),
      });
      symlinkSync(join(tmp, "shared", "b2_second.py"), join(tmp, "alembic", "versions", "b2_second.py"));
      symlinkSync(join(tmp, "elsewhere"), join(tmp, "alembic", "versions", "linked_dir"));
      return join(tmp, "alembic.ini");
    };

    it("Alembic reads a linked revision file and does not enter a linked directory; so does retort", () => {
      const ini = linkedProject();
      const ours = listAlembicScripts(alembicIn(tmp));
      expect(names(ours, tmp)).toEqual(["alembic/versions/a1_first.py", "shared/b2_second.py"]);
      expect(ours).toEqual(alembicLoadOrder(ini, { sorted: true }));
      expect([...alembicLoadOrder(ini, { sorted: false })].sort()).toEqual([...ours].sort());
    });

    it("a dangling revision link: Alembic fails, and so does retort, naming the link", () => {
      const ini = linkedProject();
      symlinkSync(join(tmp, "gone", "d4_fourth.py"), join(tmp, "alembic", "versions", "d4_fourth.py"));
      expect(() => alembicLoadOrder(ini, { sorted: true })).toThrow(/Can't find Python file/);
      expect(retortErrorOf(() => listAlembicScripts(alembicIn(tmp))).message).toMatch(/d4_fourth\.py: is a symbolic link to .* which does not exist/);
    });
  });

  // Variants of the branches fixture's settings, in a temp ini pointing at its directories.
  const variants: Record<string, string[]> = {
    "locations reversed, space separator": [
      `version_locations = ${BRANCHES}/alembic/versions_extra ${BRANCHES}/alembic/versions`,
      "version_path_separator = space",
    ],
    "legacy comma split": [`version_locations = ${BRANCHES}/alembic/versions_extra, ${BRANCHES}/alembic/versions`],
    "';' separator with a missing location": [
      `version_locations = ${BRANCHES}/alembic/missing;${BRANCHES}/alembic/versions;${BRANCHES}/alembic/versions_extra`,
      "version_path_separator = ;",
    ],
    "a location listed twice": [
      `version_locations = ${BRANCHES}/alembic/versions:${BRANCHES}/alembic/versions_extra:${BRANCHES}/alembic/versions`,
      "version_path_separator = :",
    ],
    "relative locations": ["version_locations = alembic/versions_extra alembic/versions"],
  };
  for (const [name, settings] of Object.entries(variants)) {
    it(`branches, ${name}: the load order is Alembic's`, () => {
      // Relative entries reach the fixture through symlinks in the temp directory: Alembic runs
      // from the ini's directory, retort resolves against it, so both see the same paths.
      mkdirSync(join(tmp, "alembic"));
      for (const d of ["versions", "versions_extra"]) symlinkSync(join(BRANCHES, "alembic", d), join(tmp, "alembic", d));
      const ini = join(tmp, "alembic.ini");
      writeFileSync(ini, ["[alembic]", `script_location = ${BRANCHES}/alembic`, ...settings, ""].join("\n"));
      const ours = listAlembicScripts(alembicIn(tmp));
      expect(ours.length).toBeGreaterThan(0);
      expect(ours).toEqual(alembicLoadOrder(ini, { sorted: true }));
    });
  }

  const inis: Record<string, string> = {
    "the fixtures' ini": "",
    "continuations, comments and blanks": "[alembic]\nv = a\n  b\n\n  ; c\n\n  d\n\n\nw: x = y\n",
    "interpolation and [DEFAULT]": "[DEFAULT]\nbase = %(here)s/db\n[alembic]\nloc = %(BASE)s/m\ntpl = %%(rev)s\n",
    "inline comments and odd spacing": "[alembic]\n  a = 1 # one\n\tb\t:\t2\t\nc=\n",
    "indented key after a value": "[alembic]\na = 1\n   b = 2\nc = 3\n",
    "CR line ends": "[alembic]\r\na = 1\r  cont\rb = 2\r\n",
    "a missing reference": "[alembic]\na = %(nope)s\nb = 1\n",
    "a bad percent": "[alembic]\na = 100%\n",
    "a duplicate option": "[alembic]\na = 1\nA = 2\n",
    "a line without delimiter": "[alembic]\na = 1\nwords\n",
    "no section header": "a = 1\n[alembic]\n",
  };
  for (const [name, text] of Object.entries(inis)) {
    it(`reads an ini like configparser: ${name}`, () => {
      const files = text === "" ? cases.map((c) => c.ini) : [join(tmp, "alembic.ini")];
      if (text !== "") writeFileSync(files[0]!, text);
      for (const file of files) {
        const here = dirname(file);
        const expected = configparserRead(file, here);
        let ini: ReturnType<typeof parseIni>;
        try {
          ini = parseIni(text === "" ? readFileSync(file, "utf8") : text, file);
        } catch (e) {
          expect(e).toBeInstanceOf(RetortError);
          expect(expected).toHaveProperty("error");
          continue;
        }
        expect(expected).toHaveProperty("options");
        const options = (expected as { options: Record<string, { value?: string; error?: string }> }).options;
        for (const [key, want] of Object.entries(options)) {
          if (want.error !== undefined) {
            expect(() => iniValue(ini, "alembic", key, { here })).toThrow(RetortError);
          } else {
            expect(iniValue(ini, "alembic", key, { here })).toBe(want.value);
          }
        }
      }
    });
  }
});
