import { describe, expect, it } from "vitest";
import { RetortError } from "../../src/core/errors.js";
import { historyOrder, planDowngrade, planUpgrade, type Plan } from "../../src/core/plan.js";
import { graphOf, rev, workedExample } from "../helpers.js";

const order = (p: Plan) => p.steps.map((s) => s.revision.id);
const changes = (p: Plan) =>
  p.steps.map((s) =>
    s.versionChanges.map((c) => (c.op === "update" ? `UPDATE ${c.from}->${c.to}` : `${c.op.toUpperCase()} ${c.revision}`)).join(", "),
  );

describe("the worked example (spec section 4)", () => {
  const g = workedExample();

  it("upgrades head from empty in Alembic's order with every version-table change", () => {
    const p = planUpgrade(g, [], "head");
    expect(order(p)).toEqual(["1975ea83b712", "27c6a30d7c24", "ae1027a6acf", "53fffde5ad5"]);
    expect(changes(p)).toEqual([
      "INSERT 1975ea83b712",
      "UPDATE 1975ea83b712->27c6a30d7c24",
      "INSERT ae1027a6acf",
      "DELETE ae1027a6acf, UPDATE 27c6a30d7c24->53fffde5ad5",
    ]);
    expect(p.steps.map((s) => s.headsAfter)).toEqual([
      ["1975ea83b712"],
      ["27c6a30d7c24"],
      ["27c6a30d7c24", "ae1027a6acf"],
      ["53fffde5ad5"],
    ]);
    expect(p.headsAfter).toEqual(["53fffde5ad5"]);
  });

  it("downgrades to base in reverse, unmerging then deleting", () => {
    const p = planDowngrade(g, ["53fffde5ad5"], "base");
    expect(order(p)).toEqual(["53fffde5ad5", "ae1027a6acf", "27c6a30d7c24", "1975ea83b712"]);
    expect(changes(p)).toEqual([
      "INSERT ae1027a6acf, UPDATE 53fffde5ad5->27c6a30d7c24",
      "DELETE ae1027a6acf",
      "UPDATE 27c6a30d7c24->1975ea83b712",
      "DELETE 1975ea83b712",
    ]);
    expect(p.headsAfter).toEqual([]);
  });

  it("Running lines name down revisions and targets", () => {
    const p = planUpgrade(g, [], "head");
    expect(p.steps.map((s) => `${s.from.join(", ")} -> ${s.to.join(", ")}`)).toEqual([
      " -> 1975ea83b712",
      "1975ea83b712 -> 27c6a30d7c24",
      "1975ea83b712 -> ae1027a6acf",
      "ae1027a6acf, 27c6a30d7c24 -> 53fffde5ad5",
    ]);
  });

  it("does nothing, without error, when already at or past the target", () => {
    expect(planUpgrade(g, ["53fffde5ad5"], "head").steps).toEqual([]);
    expect(planUpgrade(g, ["53fffde5ad5"], "27c6a30d7c24").steps).toEqual([]);
  });

  it("upgrades one step at a time with +1 and comes back with -1", () => {
    expect(order(planUpgrade(g, [], "+1"))).toEqual(["1975ea83b712"]);
    expect(order(planUpgrade(g, ["27c6a30d7c24"], "+1"))).toEqual(["ae1027a6acf", "53fffde5ad5"]);
    const down = planDowngrade(g, ["27c6a30d7c24", "ae1027a6acf"], "ae1027a6acf@-1");
    expect(order(down)).toEqual(["ae1027a6acf"]);
    expect(down.headsAfter).toEqual(["27c6a30d7c24"]);
    // From a merge point one step down has two ways to go, as in Alembic.
    expect(() => planDowngrade(g, ["53fffde5ad5"], "-1")).toThrow(/Ambiguous walk/);
  });

  it("refuses a downgrade target that is not below the current heads", () => {
    expect(() => planDowngrade(g, ["27c6a30d7c24"], "ae1027a6acf")).toThrow(
      /Destination ae1027a6acf is not a valid downgrade target from current head\(s\)/,
    );
  });
});

describe("depends_on (spec section 4)", () => {
  const g = graphOf(rev("a1", null), rev("a2", "a1"), rev("n1", null), rev("n2", "n1", { deps: ["a2"] }));

  it("upgrading n2 from {n1, a2} deletes a2 and updates n1 to n2", () => {
    const p = planUpgrade(g, ["n1", "a2"], "n2");
    expect(order(p)).toEqual(["n2"]);
    expect(changes(p)).toEqual(["DELETE a2, UPDATE n1->n2"]);
  });

  it("downgrading n2 to n1 inserts a2 and updates n2 to n1", () => {
    const p = planDowngrade(g, ["n2"], "n1");
    expect(order(p)).toEqual(["n2"]);
    expect(changes(p)).toEqual(["INSERT a2, UPDATE n2->n1"]);
    expect(p.headsAfter).toEqual(["a2", "n1"]);
  });

  it("upgrading n2 from empty pulls in its dependency first", () => {
    const p = planUpgrade(g, [], "n2");
    expect(order(p)).toEqual(["a1", "a2", "n1", "n2"]);
    expect(p.headsAfter).toEqual(["n2"]);
  });

  it("downgrading a2 also downgrades what depends on it", () => {
    const p = planDowngrade(g, ["n2"], "a1");
    expect(order(p)).toEqual(["n2", "a2"]);
    expect(p.headsAfter).toEqual(["a1", "n1"]);
  });
});

describe("branches", () => {
  // base -> {x1 -> x2 (label xb), y1 (label yb)}
  const g = graphOf(rev("base", null), rev("x1", "base"), rev("x2", "x1", { labels: ["xb"] }), rev("y1", "base", { labels: ["yb"] }));

  it("head is ambiguous with two heads; heads upgrades both", () => {
    expect(() => planUpgrade(g, [], "head")).toThrow(
      /Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads/,
    );
    const p = planUpgrade(g, [], "heads");
    expect(new Set(order(p))).toEqual(new Set(["base", "x1", "x2", "y1"]));
    expect(p.headsAfter).toEqual(["x2", "y1"]);
  });

  it("branch@head upgrades one branch only", () => {
    const p = planUpgrade(g, [], "yb@head");
    expect(order(p)).toEqual(["base", "y1"]);
    expect(changes(p)).toEqual(["INSERT base", "UPDATE base->y1"]);
  });

  it("a second branch starts with an INSERT", () => {
    const p = planUpgrade(g, ["y1"], "xb@head");
    expect(order(p)).toEqual(["x1", "x2"]);
    expect(changes(p)).toEqual(["INSERT x1", "UPDATE x1->x2"]);
  });

  it("branch@-1 walks down one branch", () => {
    const p = planDowngrade(g, ["x2", "y1"], "xb@-1");
    expect(order(p)).toEqual(["x2"]);
    expect(p.headsAfter).toEqual(["x1", "y1"]);
  });

  it("downgrade -1 from several heads is refused instead of guessed", () => {
    expect(() => planDowngrade(g, ["x2", "y1"], "-1")).toThrow(/ambiguous; use <branch>@-1/);
  });

  it("branch@base downgrades only that branch when the branches have their own bases", () => {
    const g2 = graphOf(rev("xa", null, { labels: ["xb"] }), rev("xc", "xa"), rev("ya", null, { labels: ["yb"] }));
    const p = planDowngrade(g2, ["xc", "ya"], "xb@base");
    expect(order(p)).toEqual(["xc", "xa"]);
    expect(p.headsAfter).toEqual(["ya"]);
    // With one shared base Alembic has a single root to drop, so everything goes.
    expect(order(planDowngrade(g, ["x2", "y1"], "xb@base"))).toHaveLength(4);
  });

  it("overlapping current revisions are an error", () => {
    expect(() => planUpgrade(g, ["x2", "x1"], "heads")).toThrow(/Requested revision x2 overlaps with other requested revision x1/);
  });
});

describe("irreversible revisions", () => {
  const g = graphOf(rev("a", null), rev("b", "a", { downgrade: null }), rev("c", "b"));
  it("a downgrade through one is refused with the file and the fix", () => {
    expect(() => planDowngrade(g, ["c"], "a")).toThrow(RetortError);
    expect(() => planDowngrade(g, ["c"], "a")).toThrow(/Revision b \(migrations\/b\.sql\) is irreversible.*migrate:downgrade/);
  });
  it("a downgrade above it is fine", () => {
    expect(order(planDowngrade(g, ["c"], "b"))).toEqual(["c"]);
  });
});

describe("history order", () => {
  it("lists newest first in Alembic's traversal order", () => {
    const g = workedExample();
    expect(g.ids(historyOrder(g, null, null))).toEqual(["53fffde5ad5", "ae1027a6acf", "27c6a30d7c24", "1975ea83b712"]);
  });
  it("takes ranges, inclusive of the start", () => {
    const g = workedExample();
    expect(g.ids(historyOrder(g, "27c6a30d7c24", null))).toEqual(["53fffde5ad5", "27c6a30d7c24"]);
    expect(g.ids(historyOrder(g, null, "27c6a30d7c24"))).toEqual(["27c6a30d7c24", "1975ea83b712"]);
  });
  it("rejects a range whose ends are not on one line", () => {
    const g = workedExample();
    expect(() => historyOrder(g, "ae1027a6acf", "27c6a30d7c24")).toThrow(
      /Requested range ae1027a6acf:27c6a30d7c24 does not refer to ancestor\/descendant revisions along the same branch/,
    );
  });
});

describe("scale", () => {
  it("plans a 10,000-revision graph with branches and merges", () => {
    // Every 50 revisions the line forks into two branches of 20 that merge again.
    const revs = [rev("r0", null)];
    let tip = "r0";
    let n = 1;
    while (n < 10_000) {
      if (n % 50 === 0) {
        let a = tip;
        let b = tip;
        for (let k = 0; k < 20; k++) {
          const ra = `a${n}_${k}`;
          const rb = `b${n}_${k}`;
          revs.push(rev(ra, a), rev(rb, b));
          a = ra;
          b = rb;
        }
        const m = `m${n}`;
        revs.push(rev(m, [a, b]));
        tip = m;
        n += 41;
      } else {
        const r = `r${n}`;
        revs.push(rev(r, tip));
        tip = r;
        n++;
      }
    }
    const g = graphOf(...revs);
    const up = planUpgrade(g, [], "head");
    expect(up.steps).toHaveLength(g.size);
    // Every revision comes after all of its down revisions.
    const position = new Map(up.steps.map((s, i) => [s.revision.id, i]));
    for (const s of up.steps) for (const d of s.revision.downRevisions) expect(position.get(d)!).toBeLessThan(position.get(s.revision.id)!);
    expect(up.headsAfter).toEqual([tip]);
    const down = planDowngrade(g, [tip], "base");
    expect(down.steps.map((s) => s.revision.id)).toEqual(up.steps.map((s) => s.revision.id).reverse());
    expect(down.headsAfter).toEqual([]);
  });
});
