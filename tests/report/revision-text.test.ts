// Alembic's Script.log_entry, without Python (tests/alembic/show.test.ts compares with the real
// Alembic): `Path:` (absolute), an empty line, every line of the whole docstring indented four spaces, and
// Python's own line boundaries.

import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { pySplitLines, revisionEntries, revisionEntry } from "../../src/report/revision-text.js";
import { graphOf, rev } from "../helpers.js";

describe("pySplitLines", () => {
  it("splits where Python's str.splitlines() does, keeping no line end and no empty last line", () => {
    expect(pySplitLines("")).toEqual([]);
    expect(pySplitLines("a\n")).toEqual(["a"]);
    expect(pySplitLines("a\n\nb")).toEqual(["a", "", "b"]);
    expect(pySplitLines("a\r\nb\rc\vd\fe\x1cf\x1dg\x1eh\x85i\u2028j\u2029k")).toEqual(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"]);
    // Not boundaries for Python: \x1f and the tab.
    expect(pySplitLines("a\x1fb\tc")).toEqual(["a\x1fb\tc"]);
  });
});

describe("revisionEntry", () => {
  const g = graphOf(
    { ...rev("aaaa00000001", null), longDoc: "first\n\nRevision ID: aaaa00000001\n\n    indented\tline" },
    { ...rev("aaaa00000002", "aaaa00000001", { labels: ["x"] }), longDoc: "" },
    rev("aaaa00000003", "aaaa00000001", { deps: ["aaaa00000002"], message: "no longDoc: the message stands for it" }),
  );

  it("prints the whole docstring, an empty line inside it as four spaces, and no Create Date line", () => {
    expect(revisionEntry(g, g.nodeOf("aaaa00000001")!)).toBe(
      "Rev: aaaa00000001 (branchpoint)\n" +
        "Parent: <base>\n" +
        "Branches into: aaaa00000002, aaaa00000003\n" +
        `Path: ${resolve("migrations/aaaa00000001.sql")}\n` +
        "\n" +
        "    first\n" +
        "    \n" +
        "    Revision ID: aaaa00000001\n" +
        "    \n" +
        "        indented\tline\n",
    );
  });

  it("prints an empty docstring as one empty line, and falls back on the message", () => {
    expect(revisionEntry(g, g.nodeOf("aaaa00000002")!)).toBe(`Rev: aaaa00000002 (head)\nParent: aaaa00000001\nBranch names: x\nPath: ${resolve("migrations/aaaa00000002.sql")}\n\n\n`);
    expect(revisionEntry(g, g.nodeOf("aaaa00000003")!)).toBe(
      `Rev: aaaa00000003 (head)\nParent: aaaa00000001\nAlso depends on: aaaa00000002\nPath: ${resolve("migrations/aaaa00000003.sql")}\n\n    no longDoc: the message stands for it\n`,
    );
  });

  it("entries are followed by a newline each, as Alembic's print_stdout adds one", () => {
    const nodes = [g.nodeOf("aaaa00000002")!, g.nodeOf("aaaa00000003")!];
    expect(revisionEntries(g, nodes)).toBe(nodes.map((n) => `${revisionEntry(g, n)}\n`).join(""));
    expect(revisionEntries(g, [])).toBe("");
  });
});
