import { describe, expect, it } from "vitest";
import { GraphError } from "../../src/core/graph.js";
import { graphOf, rev, workedExample } from "../helpers.js";

const labelsOf = (g: ReturnType<typeof graphOf>, id: string) => [...g.labelsOf(g.nodeOf(id)!)].sort();

describe("RevisionGraph structure", () => {
  it("finds heads, bases, branch points and merge points (worked example)", () => {
    const g = workedExample();
    expect(g.ids(g.heads)).toEqual(["53fffde5ad5"]);
    expect(g.ids(g.realHeads)).toEqual(["53fffde5ad5"]);
    expect(g.ids(g.bases)).toEqual(["1975ea83b712"]);
    expect(g.isBranchPoint(g.nodeOf("1975ea83b712")!)).toBe(true);
    expect(g.isMergePoint(g.nodeOf("53fffde5ad5")!)).toBe(true);
    expect(g.isMergePoint(g.nodeOf("27c6a30d7c24")!)).toBe(false);
  });

  it("keeps heads and bases in load order", () => {
    const g = graphOf(rev("b", null), rev("a", null), rev("c", "a"), rev("d", "b"));
    expect(g.ids(g.heads)).toEqual(["c", "d"]);
    expect(g.ids(g.bases)).toEqual(["b", "a"]);
  });

  it("separates heads (head) from real heads (heads) when depends_on points at a head", () => {
    const g = graphOf(rev("a1", null), rev("a2", "a1"), rev("n1", null), rev("n2", "n1", { deps: ["a2"] }));
    expect(g.ids(g.heads)).toEqual(["a2", "n2"]);
    expect(g.ids(g.realHeads)).toEqual(["n2"]);
    expect(g.isHead(g.nodeOf("a2")!)).toBe(true);
    expect(g.isRealHead(g.nodeOf("a2")!)).toBe(false);
  });

  it("resolves depends_on given as a branch label", () => {
    const g = graphOf(rev("a1", null, { labels: ["accounts"] }), rev("n1", null), rev("n2", "n1", { deps: ["accounts"] }));
    expect(g.ids(g.normDown[g.nodeOf("n2")!]!)).toEqual(["n1", "a1"]);
  });

  it("normalizes down revisions: a dependency an ancestor already declared is dropped", () => {
    // Alembic's NormalizedDownRevTest.
    const g = graphOf(
      rev("a1", null),
      rev("a2", "a1"),
      rev("a3", "a2"),
      rev("b1", null),
      rev("b2", "b1", { deps: ["a3"] }),
      rev("b3", "b2"),
      rev("b4", "b3", { deps: ["a3"] }),
      rev("b5", "b4"),
    );
    expect(g.ids(g.normDown[g.nodeOf("b4")!]!)).toEqual(["b3"]);
    expect(g.ids(g.normDown[g.nodeOf("b2")!]!)).toEqual(["b1", "a3"]);
  });
});

describe("branch labels", () => {
  it("spread to descendants and down to the nearest branch point", () => {
    const g = graphOf(rev("p", null), rev("q", "p"), rev("a", "p", { labels: ["x"] }), rev("b", "a"), rev("c", "b"));
    expect(labelsOf(g, "a")).toEqual(["x"]);
    expect(labelsOf(g, "b")).toEqual(["x"]);
    expect(labelsOf(g, "c")).toEqual(["x"]);
    expect(labelsOf(g, "p")).toEqual([]); // p is a branch point
    expect(labelsOf(g, "q")).toEqual([]);
  });

  it("spread down to the base of an unbranched line", () => {
    const g = graphOf(rev("base0", null), rev("a", "base0", { labels: ["x"] }), rev("b", "a"));
    expect(labelsOf(g, "base0")).toEqual(["x"]);
  });

  it("follow Alembic in starting the downward walk from the last descendant", () => {
    // Below `a` the line branches at b, so Alembic's walk from the last descendant stops at b
    // and never reaches base0.
    const g = graphOf(rev("base0", null), rev("a", "base0", { labels: ["x"] }), rev("b", "a"), rev("c1", "b"), rev("c2", "b"));
    expect(labelsOf(g, "c1")).toEqual(["x"]);
    expect(labelsOf(g, "c2")).toEqual(["x"]);
    expect(labelsOf(g, "base0")).toEqual([]);
  });
});

describe("graph errors name the files and the fix", () => {
  const cases: [string, () => unknown, RegExp[]][] = [
    [
      "duplicate id",
      () => graphOf(rev("aaaa1111", null), { ...rev("aaaa1111", null), path: "migrations/other.sql" }),
      [/Revision aaaa1111 is present more than once/, /migrations\/aaaa1111\.sql/, /migrations\/other\.sql/, /new Revision ID/],
    ],
    [
      "missing down revision",
      () => graphOf(rev("a", null), rev("b", "zzzz9999")),
      [/Revision zzzz9999 referenced from b \(migrations\/b\.sql, revises\) is not present/],
    ],
    [
      "missing dependency",
      () => graphOf(rev("a", null), rev("b", "a", { deps: ["nope"] })),
      [/Revision nope referenced from b \(migrations\/b\.sql, depends on\) is not present/],
    ],
    [
      "a branch label in Revises",
      () => graphOf(rev("a", null, { labels: ["shop"] }), rev("b", "shop")),
      [/'shop' is a branch label of a/, /write a/],
    ],
    ["self loop", () => graphOf(rev("aaaa1111", "aaaa1111")), [/Self-loop is detected in revisions \(aaaa1111\)/]],
    [
      "dependency self loop",
      () => graphOf(rev("aaaa1111", null, { deps: ["aaaa1111"] })),
      [/Dependency self-loop is detected in revisions \(aaaa1111\)/],
    ],
    [
      "cycle",
      () => graphOf(rev("base0000", null), rev("aaaa1111", ["bbbb2222", "base0000"]), rev("bbbb2222", "aaaa1111")),
      // The spec's message: with no head at all, every revision is reported.
      [/Cycle is detected in revisions \(aaaa1111, base0000, bbbb2222\)/, /migrations\/aaaa1111\.sql/],
    ],
    [
      "cycle beside a healthy line",
      () => graphOf(rev("base0000", null), rev("head0000", "base0000"), rev("aaaa1111", ["bbbb2222", "base0000"]), rev("bbbb2222", "aaaa1111")),
      [/Cycle is detected in revisions \(aaaa1111, bbbb2222\)/],
    ],
    [
      "cycle with no base at all",
      () => graphOf(rev("aaaa1111", "bbbb2222"), rev("bbbb2222", "aaaa1111")),
      [/Cycle is detected in revisions \(aaaa1111, bbbb2222\)/],
    ],
    [
      "dependency cycle",
      () => graphOf(rev("a", null, { deps: ["c"] }), rev("b", "a"), rev("c", null, { deps: ["b"] })),
      [/Dependency cycle is detected in revisions \(a, b, c\)/],
    ],
    [
      "label used twice",
      () => graphOf(rev("aaaa1111", null, { labels: ["x"] }), rev("bbbb2222", null, { labels: ["x"] })),
      [/Branch name 'x' in revision bbbb2222 \(migrations\/bbbb2222\.sql\) already used by revision aaaa1111/],
    ],
    [
      "label equal to an id",
      () => graphOf(rev("aaaa1111", null), rev("bbbb2222", null, { labels: ["aaaa1111"] })),
      [/Branch name 'aaaa1111' in revision bbbb2222 .* already used by revision aaaa1111/],
    ],
    ["forbidden character", () => graphOf(rev("aa-1111", null)), [/Character\(s\) '-' not allowed in revision identifier 'aa-1111'/]],
  ];
  for (const [name, build, patterns] of cases) {
    it(name, () => {
      let error: unknown;
      try {
        build();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(GraphError);
      for (const p of patterns) expect((error as Error).message).toMatch(p);
    });
  }
});
