// Text from outside retort becomes inert in terminals and CI logs, and machine output keeps its
// meaning: checked against a model of the readers (tests/ci-log.ts), by examples and at random.

import { describe, expect, it } from "vitest";
import { guardMachineText, lineWriter, neutralise, safeJson, visibleControls } from "../../src/report/safe-text.js";
import { commandsIn, controlBytesIn, HOSTILE_LINES } from "../ci-log.js";
import { prng } from "../prng.js";

const PIECES = ["---", "+++", "~~~", "^^^", "-", ":", "::", ":\u00AD", "#", "##", "[", "]", "vso[", "teamcity[", "stop-commands", "error", " ", "\t", "\n", "\r", "\r\n", "\u00AD", "\u200B", "\u2060", "\uFE0F", "\x1b", "\x9b", "\x07", "\u2028", "\u202E", "\u3000", "\u00A0", "a", "é", "😀", "%0A", "\\"];

function randomText(random: () => number, pieces = 24): string {
  let s = "";
  const n = Math.floor(random() * pieces);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(random() * PIECES.length)];
  return s;
}

describe("neutralise", () => {
  it("leaves ordinary text alone", () => {
    const ordinary = "retort: upgrade aaaa -> bbbb failed: syntax error at or near \"::\" (a::b, #1 [x]) é ü 😀\n\tnext line\n";
    expect(neutralise(ordinary)).toBe(ordinary);
  });

  it("makes every hostile line inert, with only \\n and \\t left of the control characters", () => {
    const text = HOSTILE_LINES.join("\n");
    // Each line alone is a command (the forged stop-commands would silence the ones after it).
    expect(HOSTILE_LINES.filter((l) => commandsIn(l).length > 0).length).toBeGreaterThanOrEqual(9);
    expect(commandsIn(text, "azure")).toHaveLength(1);
    const safe = neutralise(text);
    for (const ci of ["github", "azure", "teamcity", "buildkite"] as const) expect(commandsIn(safe, ci)).toEqual([]);
    expect(controlBytesIn(safe)).toEqual([]);
    // Still readable: the escapes name what was there.
    expect(safe).toContain(":\\:error file=a,line=1::forged");
    expect(safe).toContain("data ##\\[error]forged legacy");
    expect(safe).toContain("\\x1b[31mred");
    expect(safe).toContain("over\\x0d::error::forged-after-cr");
  });

  it("breaks Buildkite's group markers opening a line, and only those", () => {
    expect(neutralise("--- forged\n  +++ \n~~~\tx\n^^^ +++\n")).toBe("---\\ forged\n  +++\\ \n~~~\\\tx\n^^^\\ +++\n");
    const ordinary = "a --- b\n---- x\n---x\n---\n-- SQL comment\n+ ++ +\n";
    expect(neutralise(ordinary)).toBe(ordinary);
    expect(commandsIn(neutralise(HOSTILE_LINES.join("\n")), "buildkite")).toEqual([]);
    expect(commandsIn(HOSTILE_LINES.join("\n"), "buildkite")).toHaveLength(3);
  });

  it("at random: nothing a CI reads as a command, no control byte, whatever the pieces", () => {
    const random = prng(4242);
    for (let i = 0; i < 3000; i++) {
      const text = randomText(random);
      const safe = neutralise(text);
      for (const ci of ["github", "azure", "teamcity", "buildkite"] as const) expect(commandsIn(safe, ci), JSON.stringify(text)).toEqual([]);
      expect(controlBytesIn(safe), JSON.stringify(text)).toEqual([]);
    }
  });

  it("written in pieces, the text comes out as if written at once", () => {
    const random = prng(99);
    for (let i = 0; i < 1000; i++) {
      const text = randomText(random, 40);
      let out = "";
      const write = lineWriter((t) => (out += t));
      for (let at = 0; at < text.length; ) {
        const n = 1 + Math.floor(random() * 4);
        write(text.slice(at, at + n));
        at += n;
      }
      expect(out, JSON.stringify(text)).toBe(neutralise(text));
    }
  });
});

describe("safeJson", () => {
  it("parses back to the same value and holds no command or control byte", () => {
    const random = prng(7);
    for (let i = 0; i < 1000; i++) {
      const value = { database: randomText(random), history: [{ error: randomText(random), id: i }], [randomText(random, 6)]: [randomText(random)] };
      for (const json of [JSON.stringify(value, null, 2), JSON.stringify(value)]) {
        const safe = safeJson(json);
        expect(JSON.parse(safe)).toEqual(value);
        for (const ci of ["github", "azure", "teamcity", "buildkite"] as const) expect(commandsIn(safe, ci), json).toEqual([]);
        expect(controlBytesIn(safe)).toEqual([]);
      }
    }
  });

  it("leaves JSON without such characters byte for byte", () => {
    const json = JSON.stringify({ heads: ["5f2c8e91d0a4"], message: "a::b #1 [x] é" }, null, 2);
    expect(safeJson(json)).toBe(json);
  });
});

describe("guardMachineText", () => {
  const sql = ["BEGIN;", ...HOSTILE_LINES.map((l) => `SELECT '${l}';`), "# ##vso[task.complete result=Failed]", "COMMIT;", ""].join("\n");
  const token = "retort-0123456789abcdef0123456789abcdef";

  it("GitHub: the SQL exactly, between a stop and a resume that are SQL comments", () => {
    const { text, changedLines } = guardMachineText(sql, "sql", "github", token);
    expect(changedLines).toBe(0);
    expect(text).toBe(`-- ##[stop-commands]${token}\n${sql}-- ##[${token}]\n`);
    expect(commandsIn(text)).toEqual([]);
    // After the resume, commands are read again: the fence does not swallow the rest of the log.
    expect(commandsIn(`${text}::error::after`)).toHaveLength(1);
  });

  it("GitHub: markdown is fenced by lines that render as nothing", () => {
    const md = "## Plan\n\n```sql\n::error::x\n##[error]y\n```\n";
    const { text } = guardMachineText(md, "markdown", "github", token);
    expect(text).toBe(`<!--\n##[stop-commands]${token}\n-->\n${md}<!--\n##[${token}]\n-->\n`);
    expect(commandsIn(text)).toEqual([]);
  });

  it("Azure Pipelines and TeamCity cannot stop commands: the prefixes are escaped and counted", () => {
    const azure = guardMachineText(sql, "sql", "azure", token);
    expect(commandsIn(azure.text, "azure")).toEqual([]);
    expect(azure.changedLines).toBe(5); // ##[, ##[, ##vso[, ##teamcity[, # ##vso[
    expect(azure.text).toContain("# ##vso\\[task.complete result=Failed]");
    const teamcity = guardMachineText(sql, "sql", "teamcity", token);
    expect(commandsIn(teamcity.text, "teamcity")).toEqual([]);
  });

  it("refuses a guessable token", () => {
    expect(() => guardMachineText(sql, "sql", "github", "x")).toThrow(/random/);
  });
});

/** What a terminal or a log viewer acts on: controls but \n and \t, DEL, C1, bidi overrides. */
// eslint-disable-next-line no-control-regex -- what must not reach a terminal
const ACTS_ON_DISPLAY = /[\0-\x08\x0B-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069]/u;

describe("visibleControls", () => {
  it("shows what a terminal acts on as escapes, line by line, and counts the lines", () => {
    const sql = ["BEGIN;", ...HOSTILE_LINES.map((l) => `SELECT '${l}';`), "COMMIT;", ""].join("\n");
    const { text, changedLines } = visibleControls(sql);
    expect(ACTS_ON_DISPLAY.test(text)).toBe(false);
    expect(text).toContain("SELECT '\\x1b[31mred\\x1b[0m \\x1b]0;title\\x07 \\x9b2J';");
    expect(text).toContain("SELECT 'over\\x0d::error::forged-after-cr';");
    expect(text).toContain("SELECT '\\u202edesrever';");
    expect(changedLines).toBe(3);
    expect(text.split("\n")).toHaveLength(sql.split("\n").length);
  });

  it("leaves everything else exact: tabs, line breaks, emoji with their selectors, non-Latin text", () => {
    const sql = "SELECT 'a\tb', 'é ü 😀 ✔️ 👩‍💻 עברית', '##[x]' -- ::comment\n\nCOMMIT;\n";
    expect(visibleControls(sql)).toEqual({ text: sql, changedLines: 0 });
  });

  it("at random: nothing a terminal acts on survives, and text without it is left as it is", () => {
    const random = prng(31);
    for (let i = 0; i < 2000; i++) {
      const text = randomText(random, 30);
      expect(ACTS_ON_DISPLAY.test(visibleControls(text).text), JSON.stringify(text)).toBe(false);
      const plain = text.replace(new RegExp(ACTS_ON_DISPLAY.source, "gu"), "");
      expect(visibleControls(plain), JSON.stringify(plain)).toEqual({ text: plain, changedLines: 0 });
    }
  });
});
