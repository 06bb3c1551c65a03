import { describe, expect, it } from "vitest";
import { iniValue, parseIni } from "../../src/load/ini.js";
import { retortErrorOf } from "../helpers.js";

/** The [alembic] value of `key` in an ini made of `lines`. */
function value(lines: string[], key: string, here = "/proj"): string | undefined {
  return iniValue(parseIni(lines.join("\n"), "alembic.ini"), "alembic", key, { here });
}

describe("parseIni and iniValue (configparser as Alembic uses it)", () => {
  it("reads 'key = value' and 'key: value', lower-cases keys, keeps section names as written", () => {
    const ini = parseIni("[alembic]\nScript_Location = a\nfile_template: b:c = d\n[Alembic]\nx = 1\n", "f.ini");
    expect(iniValue(ini, "alembic", "script_location")).toBe("a");
    expect(iniValue(ini, "alembic", "FILE_TEMPLATE")).toBe("b:c = d");
    expect(iniValue(ini, "Alembic", "x")).toBe("1");
    expect(iniValue(ini, "alembic", "x")).toBeUndefined();
    expect([...ini.sections.keys()]).toEqual(["alembic", "Alembic"]);
  });

  it("joins indented continuation lines, keeps blank lines inside, skips comment lines, drops trailing blanks", () => {
    const lines = ["[alembic]", "v = a", "  b", "  # not part of it", "", "  c", "", "", "w = 1"];
    expect(value(lines, "v")).toBe("a\nb\n\nc");
    expect(value(lines, "w")).toBe("1");
  });

  it("knows full-line '#' and ';' comments only: a '# ...' after a value is part of it", () => {
    const lines = ["# top", "[alembic]", "; a comment", "  # indented comment", "sep = os  # Use os.pathsep.", "x = a;b"];
    expect(value(lines, "sep")).toBe("os  # Use os.pathsep.");
    expect(value(lines, "x")).toBe("a;b");
  });

  it("interpolates %(here)s, %% and other keys of the section or [DEFAULT]", () => {
    const lines = [
      "[DEFAULT]",
      "base = %(here)s/db",
      "[alembic]",
      "script_location = %(base)s/migrations",
      "file_template = %%(year)d_%%(rev)s_%%(slug)s",
      "here_too = %(HERE)s",
    ];
    expect(value(lines, "script_location", "/srv/app")).toBe("/srv/app/db/migrations");
    expect(value(lines, "file_template")).toBe("%(year)d_%(rev)s_%(slug)s");
    expect(value(lines, "here_too", "/x")).toBe("/x");
    expect(value(lines, "base", "/x")).toBe("/x/db");
    // Like configparser, `here` is visible as an option of every section.
    expect(value(lines, "here", "/x")).toBe("/x");
  });

  it("rejects what configparser's interpolation rejects, naming the key and the fix", () => {
    expect(retortErrorOf(() => value(["[alembic]", "a = %(nope)s"], "a")).message).toMatch(/alembic\.ini:2: 'a' refers to %\(nope\)s.*%%/);
    expect(retortErrorOf(() => value(["[alembic]", "a = 100%"], "a")).message).toMatch(/'%' in 'a' must be followed by '%' or '\('/);
    expect(retortErrorOf(() => value(["[alembic]", "a = %(b"], "a")).message).toMatch(/bad interpolation in 'a'/);
    expect(retortErrorOf(() => value(["[alembic]", "a = %(b)s", "b = %(a)s"], "a")).message).toMatch(/more than 10 deep/);
  });

  it("rejects what configparser cannot read, with the line", () => {
    expect(retortErrorOf(() => parseIni("x = 1\n[alembic]\n", "a.ini")).message).toMatch(/^a\.ini:1: .*before any \[section\]/);
    expect(retortErrorOf(() => parseIni("[alembic]\n[alembic]\n", "a.ini")).message).toMatch(/^a\.ini:2: section \[alembic\] appears twice/);
    expect(retortErrorOf(() => parseIni("[alembic]\na = 1\nA = 2\n", "a.ini")).message).toMatch(/^a\.ini:3: option 'a' appears twice/);
    const bogus = retortErrorOf(() => parseIni("[alembic]\njust words\n= 2\nok = 1\n", "a.ini"));
    expect(bogus.code).toBe("usage");
    expect(bogus.message).toMatch(/^a\.ini:2: not a 'key = value' line .*lines 2, 3/);
  });

  it("splits lines as Python's universal newlines do", () => {
    expect(value(["[alembic]\r\na = 1\rb = 2"], "b")).toBe("2");
  });
});
