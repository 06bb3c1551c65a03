import { describe, expect, it } from "vitest";
import { MultipleHeadsError, parseRelative, ResolutionError, Resolver } from "../../src/core/target.js";
import { graphOf, rev } from "../helpers.js";

// base0001 -> abc10001 -> {abc20002 (label shop) -> shop0003, abd30003 (label blog)}
const g = graphOf(
  rev("base0001", null),
  rev("abc10001", "base0001"),
  rev("abc20002", "abc10001", { labels: ["shop"] }),
  rev("shop0003", "abc20002"),
  rev("abd30003", "abc10001", { labels: ["blog"] }),
);
const r = new Resolver(g);
const ids = (nodes: number[]) => g.ids(nodes);

describe("symbols", () => {
  it("heads is every real head, base is nothing", () => {
    expect(ids(r.getRevisions("heads"))).toEqual(["shop0003", "abd30003"]);
    expect(r.getRevisions("base")).toEqual([]);
  });
  it("head with several heads raises Alembic's multiple-heads message", () => {
    expect(() => r.getRevisions("head")).toThrow(MultipleHeadsError);
    expect(() => r.getRevisions("head")).toThrow(
      "Multiple head revisions are present for given argument 'head'; please specify a specific target revision, " +
        "'<branchname>@head' to narrow to a specific head, or 'heads' for all heads",
    );
  });
  it("X@head, X@heads and X@base stay on X's line", () => {
    expect(ids(r.getRevisions("shop@head"))).toEqual(["shop0003"]);
    expect(ids(r.getRevisions("blog@heads"))).toEqual(["abd30003"]);
    expect(ids(r.getRevisions("abc20002@head"))).toEqual(["shop0003"]);
    expect(r.getRevisions("shop@base")).toEqual([]);
    // abc10001 lies below both heads: its @head is ambiguous.
    expect(() => r.getRevisions("abc10001@head")).toThrow(/given argument 'abc10001@head'/);
  });
});

describe("ids, prefixes and labels", () => {
  it("an exact id, a unique prefix and a label resolve", () => {
    expect(ids(r.getRevisions("abc20002"))).toEqual(["abc20002"]);
    expect(ids(r.getRevisions("abd3"))).toEqual(["abd30003"]);
    expect(ids(r.getRevisions("shop"))).toEqual(["abc20002"]); // a bare label: the declaring revision
    expect(ids(r.getRevisions("blo"))).toEqual(["abd30003"]); // prefixes match labels too (keys over 3 chars)
    expect(() => r.getRevisions("sh")).toThrow("Multiple revisions start with 'sh': 'shop0003', 'shop'...");
  });
  it("an ambiguous prefix lists the candidates", () => {
    expect(() => r.getRevisions("abc")).toThrow("Multiple revisions start with 'abc': 'abc10001', 'abc20002'...");
  });
  it("an unknown revision says so, and asks for four characters when fewer were given", () => {
    expect(() => r.getRevisions("zz")).toThrow(ResolutionError);
    expect(() => r.getRevisions("zz")).toThrow(
      "No such revision or branch 'zz'; please ensure at least four characters are present for partial revision identifier matches",
    );
    expect(() => r.getRevisions("zzzzzz")).toThrow(/^No such revision or branch 'zzzzzz'$/);
  });
  it("an empty revision is refused everywhere, never taken for base (Alembic asserts on it)", () => {
    const message = /names nothing: give head, heads, base \(never assumed/;
    for (const text of ["", "@", "shop@"]) {
      expect(() => r.getRevisions(text), JSON.stringify(text)).toThrow(ResolutionError);
      expect(() => r.getRevision(text), JSON.stringify(text)).toThrow(message);
      expect(() => r.upgradeTargets([], text), JSON.stringify(text)).toThrow(message);
      expect(() => r.downgradeTarget(["shop0003"], text), JSON.stringify(text)).toThrow(message);
    }
    expect(() => r.downgradeTarget(["shop0003"], "shop@")).toThrow("'shop@' has an empty revision after '@' and names nothing");
    // base stays what it always was.
    expect(r.downgradeTarget(["shop0003"], "base")).toEqual({ branch: null, node: null });
    expect(r.getRevisions("shop@base")).toEqual([]);
  });
  it("X@rev requires rev to be on X's line", () => {
    expect(ids(r.getRevisions("shop@abc1"))).toEqual(["abc10001"]);
    expect(() => r.getRevisions("shop@abd30003")).toThrow("Revision abd30003 is not a member of branch 'shop'");
    // A prefix is only looked for on the branch's line.
    expect(() => r.getRevisions("shop@abd3")).toThrow("No such revision or branch 'abd3'");
    expect(() => r.getRevisions("nosuch@head")).toThrow("No such revision or branch 'nosuch'");
    expect(() => r.getRevisions("nosuch@abc1")).toThrow("No such branch: 'nosuch'");
  });
});

describe("relative targets", () => {
  it("parses Alembic's relative syntax", () => {
    expect(parseRelative("+2")).toEqual({ branch: null, symbol: null, relative: "+2", steps: 2 });
    expect(parseRelative("ae10-1")).toEqual({ branch: null, symbol: "ae10", relative: "-1", steps: -1 });
    expect(parseRelative("shop@head-2")).toEqual({ branch: "shop", symbol: "head", relative: "-2", steps: -2 });
    expect(parseRelative("shop@+1")).toEqual({ branch: "shop", symbol: null, relative: "+1", steps: 1 });
    expect(parseRelative("abc20002")).toBeNull();
  });
  it("+N walks up from the current heads, one edge at a time", () => {
    expect(ids(r.upgradeTargets([], "+1"))).toEqual(["base0001"]);
    expect(ids(r.upgradeTargets([], "+2"))).toEqual(["abc10001"]);
    expect(ids(r.upgradeTargets(["abc20002"], "+1"))).toEqual(["shop0003"]);
  });
  it("+N through a branch point is an ambiguous walk unless a branch is named", () => {
    expect(() => r.upgradeTargets(["abc10001"], "+1")).toThrow(/Ambiguous walk/);
    expect(ids(r.upgradeTargets(["abc10001"], "blog@+1"))).toEqual(["abd30003"]);
  });
  it("+N from several current heads is ambiguous", () => {
    expect(() => r.upgradeTargets(["shop0003", "abd30003"], "+1")).toThrow("Ambiguous upgrade from multiple current revisions");
  });
  it("walking off the graph says so", () => {
    expect(() => r.upgradeTargets(["shop0003"], "+1")).toThrow("Relative revision +1 didn't produce 1 migrations");
    expect(() => r.upgradeTargets([], "shop0003+1")).toThrow("Walked too far from shop0003 by +1");
    expect(() => r.upgradeTargets([], "-1")).toThrow("Relative revision -1 didn't produce 1 migrations");
  });
  it("sym-N walks down from a symbol", () => {
    expect(ids(r.upgradeTargets([], "shop0003-2"))).toEqual(["abc10001"]);
    expect(r.downgradeTarget(["shop0003"], "shop0003-1").node).toBe(g.nodeOf("abc20002"));
    expect(r.downgradeTarget(["shop0003"], "-4").node).toBeNull(); // past the base: base
    expect(() => r.downgradeTarget(["shop0003"], "-5")).toThrow("Relative revision -5 didn't produce 5 migrations");
  });
  it("downgrade +N is refused", () => {
    expect(() => r.downgradeTarget(["shop0003"], "+1")).toThrow("Relative revision +1 didn't produce 1 migrations");
  });
});
