// Attacks on the static readers of a pull request's files (src/load/python-refs.ts,
// version-globs.ts, python-literal.ts): a referenced module of 50 MB, a module that is a FIFO
// or a link to /dev/zero, modules importing each other, a revision holding megabytes of SQL,
// and --version-locations patterns that climb out or reach /proc. Each ends quickly, with the
// value left for Alembic (saying why) or one clear error, never a hang or gigabytes of memory.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseAlembicScript } from "../../src/load/alembic-script.js";
import { loadGraph } from "../../src/load/directory.js";
import { ModuleResolver } from "../../src/load/python-refs.js";
import { expandVersionLocations } from "../../src/load/version-globs.js";
import { retortErrorOf } from "../helpers.js";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "retort-attack-refs-"));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const parse = (text: string) => parseAlembicScript(text, "versions/x.py", "x.py", { modules: new ModuleResolver([root]), defer: true });
const HEAD = "revision = 'b2'\ndown_revision = None\n";

describe("references into hostile modules", () => {
  it("a module over 1 MB is not read: the value is left for Alembic, saying why", () => {
    write("shop/__init__.py", "");
    write("shop/big.py", `${"A = 'x' * 10\n".repeat(100_000)}LABEL = 'big'\n`);
    const started = Date.now();
    const s = parse(`from shop import big\n${HEAD}branch_labels = (big.LABEL,)\n`);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(s.unresolved?.[0]?.why).toMatch(/big\.py is 1\.\d MB, more than retort reads of a module for a reference \(1 MB\)/);
  });

  it.runIf(process.platform !== "win32")("a module that is a FIFO or a link to /dev/zero is never opened", () => {
    write("shop/__init__.py", "");
    execFileSync("mkfifo", [join(root, "shop/fifo.py")]);
    symlinkSync("/dev/zero", join(root, "shop/zero.py"));
    for (const name of ["fifo", "zero"]) {
      const s = parse(`from shop import ${name}\n${HEAD}branch_labels = (${name}.LABEL,)\n`);
      expect(s.unresolved?.[0]?.why).toMatch(/is not a \.py file of the project/);
    }
  });

  it("modules importing each other in a circle end as undecidable", () => {
    write("shop/__init__.py", "");
    write("shop/a.py", "from shop.b import X\n");
    write("shop/b.py", "from shop.a import X\n");
    const s = parse(`from shop import a\n${HEAD}branch_labels = (a.X,)\n`);
    expect(s.unresolved?.[0]?.why).toMatch(/nest too deep \(or import each other in a circle\)/);
  });

  it("a revision holding 16 MB of SQL in a string is read in well under seconds per megabyte", () => {
    const sql = "INSERT INTO t VALUES (1, 'xxxxxxxxxxxxxxxxxxxx');\n".repeat(350_000);
    const started = Date.now();
    const s = parse(`${HEAD}SQL = """\n${sql}"""\n\ndef upgrade():\n    op.execute(SQL)\n`);
    expect(s.id).toBe("b2");
    // A string decoded a character at a time took 15 s and 2.4 GB for 66 MB; 1.6 s and 0.3 GB now.
    expect(Date.now() - started).toBeLessThan(2_500);
  });
});

describe("--version-locations patterns", () => {
  beforeEach(() => {
    mkdirSync(join(root, "project/versions/a"), { recursive: true });
    mkdirSync(join(root, "outside/x"), { recursive: true });
    symlinkSync(join(root, "outside"), join(root, "project/versions/link"));
  });

  it("'**' does not follow a link out of the project, nor a link back up", () => {
    symlinkSync(join(root, "project"), join(root, "project/versions/a/up"));
    const found = expandVersionLocations(["versions/**"], join(root, "project"));
    expect(found).toEqual([join(root, "project/versions"), join(root, "project/versions/a")]);
  });

  it("a wildcard reaching a link out of the project is one error naming it; the folder named without wildcards is read", () => {
    const e = retortErrorOf(() => expandVersionLocations(["versions/*"], join(root, "project")));
    expect(e.code).toBe("usage");
    expect(e.message).toMatch(/^--version-locations: '.*versions\/link' is a symbolic link to '.*outside', outside '.*project', and a wildcard reached it\. Name the folder/);
    expect(expandVersionLocations(["versions/link"], join(root, "project"))).toEqual([join(root, "project/versions/link")]);
    // Links inside the project are followed; a pattern that starts outside it is taken as given.
    mkdirSync(join(root, "project/other"));
    symlinkSync(join(root, "project/other"), join(root, "project/versions/b"));
    rmSync(join(root, "project/versions/link"));
    expect(expandVersionLocations(["versions/*"], join(root, "project"))).toEqual([join(root, "project/versions/a"), join(root, "project/versions/b")]);
    symlinkSync("/", join(root, "outside/root"));
    expect(expandVersionLocations([`${root}/outside/*`], join(root, "project"))).toEqual([join(root, "outside/root"), join(root, "outside/x")]);
  });

  it("a pattern matching no folder is one error naming it, whatever it holds", () => {
    const e = retortErrorOf(() => expandVersionLocations(["versions/\u001b[2J*nothing"], join(root, "project")));
    expect(e.code).toBe("usage");
    expect(e.message).toContain("'versions/\u001b[2J*nothing' matches no folder");
  });
});

describe("revision files that are links", () => {
  it("a link to a .py file outside the project is one error naming it; nothing there is read", () => {
    write("project/alembic.ini", "[alembic]\nscript_location = migrations\n");
    write("project/migrations/env.py", "");
    write("project/migrations/versions/a1.py", "revision = 'a1'\ndown_revision = None\n");
    write("elsewhere/secret.py", "revision = 'TOKEN'\ndown_revision = 'a1'\n");
    symlinkSync(join(root, "elsewhere/secret.py"), join(root, "project/migrations/versions/b2.py"));
    const e = retortErrorOf(() => loadGraph(join(root, "project/migrations"), join(root, "project/alembic.ini")));
    expect(e.code).toBe("revision-file");
    expect(e.message).toMatch(/b2\.py: is a symbolic link to '.*elsewhere\/secret\.py', outside the project \('.*project'\) and the current directory/);
    expect(e.message).not.toContain("TOKEN");
  });
});
