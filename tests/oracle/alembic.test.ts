// Differential test: random revision graphs (branches, merges, labels, depends_on, shuffled
// load order) are answered by retort's core and by the real Alembic (Debian's
// python3-alembic, through tests/oracle/alembic_oracle.py), and the answers must agree:
// heads, bases, history order, normalized down revisions, upgrade and downgrade order and the
// version table after every step.

import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RevisionGraph } from "../../src/core/graph.js";
import { historyOrder, planDowngrade, planUpgrade, type Plan } from "../../src/core/plan.js";
import type { Revision } from "../../src/core/revision.js";
import { rev } from "../helpers.js";
import { prng } from "../prng.js";
import { alembicAvailable, PYTHON } from "../alembic-kit.js";

const ORACLE = "tests/oracle/alembic_oracle.py";

/** A seeded random source (tests/prng.ts), so every run checks the same graphs. */
function random(seed: number) {
  const next = prng(seed);
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
  };
}

interface Spec {
  id: string;
  down: string[];
  labels: string[];
  deps: string[];
}

function randomGraph(seed: number): Spec[] {
  const r = random(seed);
  const n = 3 + r.int(20);
  const specs: Spec[] = [];
  const ancestors = new Map<string, Set<string>>();
  for (let i = 0; i < n; i++) {
    const id = (r.int(0xffffff) + 0x1000000).toString(16).slice(1) + String(i).padStart(2, "0");
    let down: string[] = [];
    const roll = r.next();
    if (i > 0 && roll > 0.1) {
      const childless = specs.filter((s) => !specs.some((o) => o.down.includes(s.id))).map((s) => s.id);
      if (roll > 0.8 && childless.length >= 2) {
        const a = r.pick(childless);
        const b = r.pick(childless.filter((c) => c !== a));
        down = [a, b];
      } else {
        down = [r.next() < 0.7 && childless.length ? r.pick(childless) : r.pick(specs).id];
      }
    }
    const anc = new Set<string>();
    for (const d of down) {
      anc.add(d);
      for (const x of ancestors.get(d)!) anc.add(x);
    }
    const deps: string[] = [];
    if (i > 1 && r.next() < 0.12) {
      const d = r.pick(specs);
      deps.push(d.labels.length && r.next() < 0.5 ? d.labels[0]! : d.id);
      anc.add(d.id);
      for (const x of ancestors.get(d.id)!) anc.add(x);
    }
    ancestors.set(id, anc);
    specs.push({ id, down, labels: r.next() < 0.15 ? [`lab${i}`] : [], deps });
  }
  // Files load in name order, not in creation order.
  for (let i = specs.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [specs[i], specs[j]] = [specs[j]!, specs[i]!];
  }
  return specs;
}

/** Sets of current heads: antichains of the graph (no member an ancestor of another). */
function randomState(r: ReturnType<typeof random>, g: RevisionGraph): string[] {
  const picked = new Set<number>();
  const count = r.int(3);
  for (let k = 0; k < count; k++) picked.add(r.int(g.size));
  const nodes = [...picked];
  return g.ids(nodes.filter((x) => !nodes.some((y) => y !== x && g.ancestors([y]).has(x))));
}

interface Query {
  op: string;
  current?: string[];
  target?: string;
  rev?: string;
}

function queriesFor(seed: number, g: RevisionGraph): Query[] {
  const r = random(seed * 7919 + 1);
  const ids = g.revisions.map((x) => x.id);
  const labels = g.revisions.flatMap((x) => x.branchLabels);
  const qs: Query[] = [{ op: "heads" }, { op: "real_heads" }, { op: "bases" }, { op: "history" }];
  for (const id of ids) qs.push({ op: "normalized_down", rev: id });
  const upTargets = ["heads", "head", "+1", "+2", r.pick(ids), r.pick(ids).slice(0, 5), `${r.pick(ids)}+1`, `${r.pick(ids)}-1`];
  const downTargets = ["base", "-1", "-2", r.pick(ids), `${r.pick(ids)}@base`, `${r.pick(ids)}-1`];
  for (const l of labels) {
    upTargets.push(`${l}@head`, `${l}@+1`, l);
    downTargets.push(`${l}@base`, `${l}@-1`);
  }
  for (let k = 0; k < 14; k++) qs.push({ op: "upgrade", current: randomState(r, g), target: r.pick(upTargets) });
  for (let k = 0; k < 10; k++) {
    const current = randomState(r, g);
    if (current.length > 0) qs.push({ op: "downgrade", current, target: r.pick(downTargets) });
  }
  return qs;
}

type Outcome = { ok: unknown } | { error: string };

function retortAnswer(g: RevisionGraph, q: Query): Outcome {
  const steps = (p: Plan) =>
    p.steps.map((s) => ({
      revision: s.revision.id,
      changes: s.versionChanges.map((c) => c.op).sort(),
      heads_after: [...s.headsAfter].sort(),
    }));
  try {
    switch (q.op) {
      case "heads":
        return { ok: g.ids(g.heads) };
      case "real_heads":
        return { ok: g.ids(g.realHeads) };
      case "bases":
        return { ok: g.ids(g.bases) };
      case "history":
        return { ok: g.ids(historyOrder(g, null, null)) };
      case "normalized_down":
        return { ok: g.ids(g.normDown[g.nodeOf(q.rev!)!]!) };
      case "upgrade":
        return { ok: steps(planUpgrade(g, q.current!, q.target!)) };
      case "downgrade":
        return { ok: steps(planDowngrade(g, q.current!, q.target!)) };
    }
  } catch (e) {
    return { error: (e as Error).message };
  }
  throw new Error(`unknown op ${q.op}`);
}

/** Alembic's steps in the shape retort reports (which of a merge's rows Alembic keeps comes
 *  from a Python set, so only the kinds of change are compared; the rows after each step are). */
function normalizeAlembic(q: Query, outcome: Outcome): Outcome {
  if (!("ok" in outcome) || (q.op !== "upgrade" && q.op !== "downgrade")) return outcome;
  const steps = outcome.ok as { revision: string; changes: string[][]; heads_after: string[] }[];
  return {
    ok: steps.map((s) => ({ revision: s.revision, changes: s.changes.map((c) => c[0]).sort(), heads_after: [...s.heads_after].sort() })),
  };
}

/** Places where retort deliberately differs: it refuses what Alembic only warns about, and it
 *  completes plans on which Alembic crashes (KeyError / AssertionError inside Alembic). */
function deliberateDifference(ours: Outcome, theirs: Outcome & { type?: string }): boolean {
  if ("error" in ours) return /from multiple heads .* is ambiguous|Walked too far|didn't produce/.test(ours.error);
  return "error" in theirs && (theirs.type === "KeyError" || theirs.type === "AssertionError");
}

/** After every step the rows name only applied revisions, and every applied revision lies at
 *  or below a row: the version table describes exactly what is applied. */
function checkRowsAreTips(g: RevisionGraph, q: Query, where: string) {
  if (q.op !== "upgrade" && q.op !== "downgrade") return;
  let plan: Plan;
  try {
    plan = q.op === "upgrade" ? planUpgrade(g, q.current!, q.target!) : planDowngrade(g, q.current!, q.target!);
  } catch {
    return;
  }
  const applied = g.ancestors(q.current!.map((c) => g.nodeOf(c)!));
  for (const step of plan.steps) {
    const node = g.nodeOf(step.revision.id)!;
    if (q.op === "upgrade") applied.add(node);
    else applied.delete(node);
    const rows = step.headsAfter.map((h) => g.nodeOf(h)!);
    const covered = g.ancestors(rows);
    const at = `${where}, after ${step.revision.id}`;
    expect.soft(rows.every((r) => applied.has(r)), `${at}: rows are applied`).toBe(true);
    expect.soft([...applied].every((a) => covered.has(a)), `${at}: rows cover what is applied`).toBe(true);
  }
}

const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1);

describe.runIf(alembicAvailable || process.env.CI)("agreement with the real Alembic", () => {
  const graphs = SEEDS.map((seed) => {
    const specs = randomGraph(seed);
    const revisions: Revision[] = specs.map((s) => rev(s.id, s.down, { labels: s.labels, deps: s.deps }));
    const g = RevisionGraph.build(revisions);
    return { seed, specs, g, queries: queriesFor(seed, g) };
  });
  const documents = graphs.map(({ seed, specs, queries }) => {
    const doc = {
      revisions: specs.map((s) => ({ id: s.id, down: s.down.length === 0 ? null : s.down, labels: s.labels, deps: s.deps })),
      queries,
    };
    // ORACLE_DUMP=dir keeps each input for running the oracle by hand.
    if (process.env.ORACLE_DUMP) writeFileSync(`${process.env.ORACLE_DUMP}/oracle-${seed}.json`, JSON.stringify(doc));
    return doc;
  });
  // One Python process answers every graph (starting Alembic 60 times would dominate the run).
  const out = execFileSync(PYTHON, [ORACLE], {
    input: JSON.stringify({ batch: documents }),
    env: { ...process.env, PYTHONHASHSEED: "0" },
    maxBuffer: 1 << 28,
  });
  const answers = (JSON.parse(out.toString()) as { batch: { results: Outcome[]; map_error?: string }[] }).batch;

  it("checks a meaningful number of plans", () => {
    const plans = answers.flatMap((a, i) =>
      a.results.filter((r, k) => "ok" in r && ["upgrade", "downgrade"].includes(graphs[i]!.queries[k]!.op)),
    );
    expect(answers.every((a) => a.map_error === undefined)).toBe(true);
    expect(plans.length).toBeGreaterThan(300);
    if (process.env.ORACLE_STATS) console.log(`plans compared: ${plans.length}, queries: ${answers.reduce((n, a) => n + a.results.length, 0)}`);
  });

  for (const [i, { seed, g, queries }] of graphs.entries()) {
    it(`graph #${seed} (${g.size} revisions)`, () => {
      const theirs = answers[i]!.results;
      for (const [k, q] of queries.entries()) {
        const ours = retortAnswer(g, q);
        const expected = normalizeAlembic(q, theirs[k]!);
        const where = `seed ${seed}, query ${JSON.stringify(q)}`;
        checkRowsAreTips(g, q, where);
        if ("error" in expected || "error" in ours) {
          if ("error" in ours && "error" in expected) continue;
          if (deliberateDifference(ours, expected)) continue;
          expect.soft(ours, where).toEqual(expected);
          continue;
        }
        expect.soft(ours.ok, where).toEqual(expected.ok);
      }
    });
  }
});
