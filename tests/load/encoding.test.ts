import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RevisionFileError } from "../../src/core/errors.js";
import { detectSource, loadGraph } from "../../src/load/directory.js";
import { loadRevisions } from "../../src/load/native-files.js";
import { firstInvalidUtf8, utf8Problem } from "../../src/load/text.js";
import { prng } from "../prng.js";
import { retortErrorOf } from "../helpers.js";

// Revision files and alembic.ini are UTF-8 or refused, naming the file, line and column: never
// read with U+FFFD in place of the bytes nobody can see, shown in a plan and applied.

const PYTHON = "/usr/bin/python3";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "retort-encoding-test-"));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(rel: string, bytes: Buffer | string): string {
  const full = join(root, rel);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, bytes);
  return full;
}

const NATIVE_HEAD = "-- add a note\n--\n-- Revision ID: aaa111\n-- Revises:\n\n-- migrate:upgrade\n";

describe("UTF-8 validation", () => {
  // The bad sequences of Unicode's table 3-7, each in the middle of a line.
  const bad: [string, number[]][] = [
    ["a Latin-1 é", [0xe9]],
    ["a lone continuation byte", [0x80]],
    ["an overlong '/' (C0 AF)", [0xc0, 0xaf]],
    ["an overlong 3-byte form (E0 80 AF)", [0xe0, 0x80, 0xaf]],
    ["a surrogate (ED A0 80)", [0xed, 0xa0, 0x80]],
    ["beyond U+10FFFF (F4 90 80 80)", [0xf4, 0x90, 0x80, 0x80]],
    ["F5", [0xf5, 0x80, 0x80, 0x80]],
    ["a 3-byte sequence cut short", [0xe2, 0x82, 0x41]],
    ["FF", [0xff]],
  ];
  for (const [name, bytes] of bad) {
    it(`native .sql: ${name} is refused with the line and column`, () => {
      write("m/1.sql", Buffer.concat([Buffer.from(NATIVE_HEAD + "INSERT INTO note VALUES ('caf"), Buffer.from(bytes), Buffer.from("');\n")]));
      const e = retortErrorOf(() => loadRevisions(join(root, "m")));
      expect(e).toBeInstanceOf(RevisionFileError);
      expect((e as RevisionFileError).line).toBe(7);
      const hex = bytes[0]!.toString(16).toUpperCase();
      expect(e.message).toBe(
        `${join(root, "m")}/1.sql:7: not valid UTF-8 (byte 0x${hex} at column 30); retort reads this file as UTF-8, as Python does. ` +
          "Save it as UTF-8 (an editor's 'reopen with encoding', or iconv -f latin1 -t utf-8)",
      );
    });
  }

  it("a file or directory name that is not UTF-8 is refused by name, not 'no such file'; a real U+FFFD in a name is fine", () => {
    const rev = (id: string, down: string) => `-- m\n--\n-- Revision ID: ${id}\n-- Revises: ${down}\n\n-- migrate:upgrade\nSELECT 1;\n`;
    const bytesPath = (...parts: (string | Buffer)[]) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p)));
    mkdirSync(join(root, "m"));
    writeFileSync(join(root, "m", "aaa111_\uFFFD.sql"), rev("aaa111", ""));
    expect(loadRevisions(join(root, "m")).map((r) => r.id)).toEqual(["aaa111"]);
    for (const [name, path] of [
      ["a file", bytesPath(root, "/m/bbb222_", Buffer.from([0xff]), ".sql")],
      ["a directory", bytesPath(root, "/m/sub", Buffer.from([0xe9]))],
    ] as const) {
      if (name === "a directory") {
        mkdirSync(path);
        writeFileSync(Buffer.concat([path, Buffer.from("/bbb222_x.sql")]), rev("bbb222", "aaa111"));
      } else writeFileSync(path, rev("bbb222", "aaa111"));
      const e = retortErrorOf(() => loadRevisions(join(root, "m")));
      expect(e.message, name).toMatch(/^.*\/m\/(bbb222_\uFFFD\.sql|sub\uFFFD): has a name that is not valid UTF-8 .*rename it in UTF-8\.$/);
      rmSync(path, { recursive: true });
    }
  });

  it("a NUL byte (valid UTF-8, but in no SQL anyone writes) is refused with its line and column, and so is a file saved as UTF-16 without a BOM", () => {
    write("m/1.sql", `${NATIVE_HEAD}SELECT 'a\u0000b';\n`);
    expect(retortErrorOf(() => loadRevisions(join(root, "m"))).message).toBe(
      `${join(root, "m")}/1.sql:7: holds a NUL byte (0x00) at column 10; was it saved as UTF-16? Save it as UTF-8 (iconv -f utf-16 -t utf-8)`,
    );
    write("m/1.sql", Buffer.from(`${NATIVE_HEAD}SELECT 1;\n`, "utf16le"));
    const e = retortErrorOf(() => loadRevisions(join(root, "m")));
    expect(e).toBeInstanceOf(RevisionFileError);
    expect(e.message).toBe(`${join(root, "m")}/1.sql:1: holds a NUL byte (0x00) at column 2; was it saved as UTF-16? Save it as UTF-8 (iconv -f utf-16 -t utf-8)`);
  });

  it("counts lines as the parsers do: LF, CRLF and a lone CR each end one", () => {
    for (const [eol, line] of [["\n", 4], ["\r\n", 4], ["\r", 4]] as const) {
      const text = Buffer.concat([Buffer.from(["a", "b", "c", "x"].join(eol)), Buffer.from([0xe9])]);
      expect(utf8Problem(text)).toEqual({ line, column: 2, byte: 0xe9 });
    }
    // At the very end: a sequence cut off by the end of the file.
    expect(utf8Problem(Buffer.from([0x61, 0x0a, 0xe2, 0x82]))).toEqual({ line: 2, column: 1, byte: 0xe2 });
  });

  it("keeps what is valid: a BOM, every plane, the highest code point", () => {
    write("m/1.sql", "\uFEFF" + NATIVE_HEAD + "SELECT 'é ₂ 𝄞 \u{10FFFF}';\n");
    const [rev] = loadRevisions(join(root, "m"));
    expect(rev!.upgrade.sql).toBe("SELECT 'é ₂ 𝄞 \u{10FFFF}';\n");
    expect(rev!.message).toBe("add a note");
  });

  it("finds the first bad byte exactly where Python's decoder does, on random bytes", () => {
    const random = prng(1311);
    const samples: number[][] = [];
    // The bytes that make or break sequences.
    const pool = [0x41, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
    for (let n = 0; n < 3000; n++) {
      // Valid text of every sequence length, then (mostly) one byte changed.
      const points = Array.from({ length: 1 + Math.floor(random() * 6) }, () =>
        [0x41, 0xe9, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xffff, 0x10000, 0x10ffff][Math.floor(random() * 9)]!,
      );
      const bytes = [...Buffer.from(String.fromCodePoint(...points))];
      if (random() < 0.75) bytes[Math.floor(random() * bytes.length)] = random() < 0.8 ? pool[Math.floor(random() * pool.length)]! : Math.floor(random() * 256);
      if (random() < 0.2) bytes.length = Math.max(1, bytes.length - 1);
      samples.push(bytes);
    }
    const script =
      "import json,sys\nout=[]\nfor s in json.load(sys.stdin):\n  b=bytes(s)\n  try:\n    b.decode('utf-8'); out.append(-1)\n" +
      "  except UnicodeDecodeError as e:\n    out.append(e.start)\nprint(json.dumps(out))\n";
    const python = JSON.parse(execFileSync(PYTHON, ["-c", script], { input: JSON.stringify(samples), encoding: "utf8" })) as number[];
    const strict = new TextDecoder("utf-8", { fatal: true });
    let invalid = 0;
    samples.forEach((s, i) => {
      const ours = firstInvalidUtf8(Uint8Array.from(s));
      expect({ s, ours }).toEqual({ s, ours: python[i] });
      let decoderValid = true;
      try {
        strict.decode(Uint8Array.from(s));
      } catch {
        decoderValid = false;
      }
      expect(decoderValid).toBe(ours === -1);
      if (ours !== -1) invalid++;
    });
    // Both outcomes were exercised.
    expect(invalid).toBeGreaterThan(600);
    expect(invalid).toBeLessThan(2400);
  });
});

describe("Alembic projects", () => {
  const INI = "[alembic]\nscript_location = %(here)s/alembic\n";
  const rev = (doc: string, coding = "") => `${coding}"""${doc}"""\nrevision = 'a1'\ndown_revision = None\n`;

  function alembicImports(file: string): boolean {
    try {
      execFileSync(PYTHON, ["-c", "import importlib.util as u,sys\ns=u.spec_from_file_location('m',sys.argv[1]);m=u.module_from_spec(s);s.loader.exec_module(m)", file], {
        stdio: "ignore",
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
      });
      return true;
    } catch {
      return false;
    }
  }

  it("a revision with invalid UTF-8 is refused with its line; Python refuses it too", () => {
    write("alembic.ini", INI);
    write("alembic/env.py", "");
    const file = write("alembic/versions/a1_x.py", Buffer.concat([Buffer.from('"""add a note\n\nmore '), Buffer.from([0xe9]), Buffer.from('"""\nrevision = "a1"\ndown_revision = None\n')]));
    const e = retortErrorOf(() => loadGraph(root));
    expect(e).toBeInstanceOf(RevisionFileError);
    expect((e as RevisionFileError).line).toBe(3);
    expect(e.message).toMatch(/a1_x\.py:3: not valid UTF-8 \(byte 0xE9 at column 6\)/);
    expect(alembicImports(file)).toBe(false);
  });

  it("a revision file or directory name that is not UTF-8 is refused by name (Python reads it; Node cannot open it by the name it lists)", () => {
    write("alembic.ini", `${INI}recursive_version_locations = true\n`);
    write("alembic/env.py", "");
    write("alembic/versions/a0_ok.py", `"""first"""\nrevision = 'a0'\ndown_revision = None\n`);
    expect(loadGraph(root).revisions.map((r) => r.id)).toEqual(["a0"]);
    const versions = Buffer.from(join(root, "alembic", "versions"));
    for (const [name, path] of [
      ["a file", Buffer.concat([versions, Buffer.from("/a1_"), Buffer.from([0xff]), Buffer.from(".py")])],
      ["a directory", Buffer.concat([versions, Buffer.from("/sub"), Buffer.from([0xe9])])],
    ] as const) {
      if (name === "a directory") {
        mkdirSync(path);
        writeFileSync(Buffer.concat([path, Buffer.from("/a1_x.py")]), rev("x"));
      } else writeFileSync(path, rev("x"));
      const e = retortErrorOf(() => loadGraph(root));
      expect(e.code, name).toBe("revision-file");
      expect(e.message, name).toMatch(/\/alembic\/versions\/(a1_\uFFFD\.py|sub\uFFFD): has a name that is not valid UTF-8 .*rename it in UTF-8\.$/);
      rmSync(path, { recursive: true });
    }
  });

  it("a revision holding a NUL byte is refused with its line; Python refuses it too", () => {
    write("alembic.ini", INI);
    write("alembic/env.py", "");
    const file = write("alembic/versions/a1_x.py", `"""add a note"""\nrevision = "a1"\ndown_revision = None\n# \u0000\n`);
    const e = retortErrorOf(() => loadGraph(root));
    expect(e.message).toMatch(/a1_x\.py:4: holds a NUL byte \(0x00\) at column 3/);
    expect(alembicImports(file)).toBe(false);
  });

  it("a coding declaration: UTF-8 or ASCII content is read; another encoding with non-ASCII content is refused at the declaration", () => {
    write("alembic.ini", INI);
    write("alembic/env.py", "");
    const file = join(root, "alembic/versions/a1_x.py");
    write("alembic/versions/a1_x.py", rev("café", "# -*- coding: utf-8 -*-\n"));
    expect(loadGraph(root).revisions[0]!.message).toBe("café");
    write("alembic/versions/a1_x.py", rev("plain", "#!/usr/bin/env python\n# vim: set fileencoding=latin-1 :\n"));
    expect(loadGraph(root).revisions[0]!.message).toBe("plain");
    // Python would read these bytes as "cafÃ©": retort refuses rather than read something else.
    write("alembic/versions/a1_x.py", rev("café", "# coding: latin-1\n"));
    expect(alembicImports(file)).toBe(true);
    const e = retortErrorOf(() => loadGraph(root));
    expect((e as RevisionFileError).line).toBe(1);
    expect(e.message).toMatch(/a1_x\.py:1: declares the source encoding 'latin-1' and holds non-ASCII text; retort reads revision files as UTF-8/);
    // A Latin-1 file that says so: not UTF-8 at all; the declaration is what to fix.
    write("alembic/versions/a1_x.py", Buffer.concat([Buffer.from('# coding: latin-1\n"""caf'), Buffer.from([0xe9]), Buffer.from('"""\nrevision = "a1"\ndown_revision = None\n')]));
    expect(retortErrorOf(() => loadGraph(root)).message).toMatch(/a1_x\.py:2: not valid UTF-8/);
    // A declaration only counts on the first two lines, the second only after a comment line.
    write("alembic/versions/a1_x.py", rev("café", "import os\n# coding: latin-1\n"));
    expect(loadGraph(root).revisions[0]!.message).toBe("");
  });

  it("alembic.ini with invalid UTF-8 is refused with its line; with a BOM, with the reason (configparser fails on it too)", () => {
    write("alembic/env.py", "");
    mkdirSync(join(root, "alembic/versions"));
    const ini = write("alembic.ini", Buffer.concat([Buffer.from("[alembic]\nscript_location = %(here)s/alembic\n# caf"), Buffer.from([0xe9]), Buffer.from("\n")]));
    let e = retortErrorOf(() => detectSource(root));
    expect(e.code).toBe("usage");
    expect(e.message).toMatch(new RegExp(`^${ini.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3: not valid UTF-8 \\(byte 0xE9 at column 6\\)`));
    writeFileSync(ini, "\uFEFF" + INI);
    e = retortErrorOf(() => detectSource(root));
    expect(e.message).toBe(`${ini}:1: the file starts with a byte-order mark, which Alembic's configparser cannot read (File contains no section headers); save it as UTF-8 without BOM.`);
    const python = "import configparser,sys\nc=configparser.ConfigParser()\ntry:\n  c.read([sys.argv[1]]); print('read')\nexcept configparser.Error: print('error')";
    expect(execFileSync(PYTHON, ["-c", python, ini], { encoding: "utf8" }).trim()).toBe("error");
    writeFileSync(ini, INI);
    expect(detectSource(root)).toMatchObject({ kind: "alembic", scriptLocation: join(root, "alembic") });
  });
});
