// Intended heads. A project may keep several heads on purpose (neutron's expand and contract
// branches, each with a branch label, deployed with `alembic upgrade heads`): `check`, the
// plan's warnings and the Action then complain only about a head nobody intended. A project
// says which heads it intends in one of two ways:
//   - `--expect-heads LABEL[,LABEL...]` (RETORT_EXPECT_HEADS, the Action's `expect-heads`): each
//     label's branch has exactly one head, and every head is on one of those branches; or
//     `--expect-heads N`: exactly N heads;
//   - the target `heads` (what such projects deploy with): each head must be the only head of
//     one of its branch labels, so an unlabelled second head, or two heads on one branch (two
//     pull requests that each added a revision to `expand`), is still an unexpected head.
// Otherwise one head is expected, as before.

import { RetortError } from "./errors.js";
import type { RevisionGraph } from "./graph.js";
import { invalidBranchLabel } from "./revision.js";

export type ExpectHeads = { readonly labels: readonly string[] } | { readonly count: number };

/** What is wrong with the heads, or null when they are the intended ones. */
export interface HeadsVerdict {
  /** Every head of the graph. */
  readonly heads: readonly string[];
  /** The heads a merge would join (empty when no merge is the fix). */
  readonly merge: readonly string[];
  readonly problem: HeadsProblem;
  /** An Alembic project (the advice names `alembic merge`) or native (`retort merge`). */
  readonly alembic: boolean;
}

export type HeadsProblem =
  /** More than one head, where one is expected. */
  | { readonly kind: "several" }
  /** Not the number `--expect-heads N` gives. */
  | { readonly kind: "count"; readonly expected: number }
  /** A declared branch with several heads (`merge` holds them). */
  | { readonly kind: "branch"; readonly label: string }
  /** Heads on none of the declared branches. */
  | { readonly kind: "stray"; readonly stray: readonly string[]; readonly labels: readonly string[] }
  /** With the target `heads`: heads that are not the only head of any of their labels. */
  | { readonly kind: "unlabelled" };

/** `--expect-heads`: a number of heads, or branch labels separated by commas or white space;
 *  "" or undefined is none. */
export function parseExpectHeads(text: string | undefined | null, where = "--expect-heads"): ExpectHeads | null {
  const value = (text ?? "").trim();
  if (value === "") return null;
  if (/^\d+$/.test(value)) {
    const count = Number(value);
    if (count < 1 || !Number.isSafeInteger(count)) throw new RetortError("usage", `Invalid ${where} '${value}': give a number of heads (1 or more) or branch labels.`);
    return { count };
  }
  const labels = value.split(/[\s,]+/).filter(Boolean);
  for (const label of labels) {
    const bad = /^\d+$/.test(label) ? "a number among labels" : invalidBranchLabel(label);
    if (bad) throw new RetortError("usage", `Invalid ${where} '${value}': ${bad}. Give branch labels (expand,contract) or a number of heads.`);
  }
  return { labels: [...new Set(labels)] };
}

/** Whether the graph's heads are the intended ones, for `target` (the plan's or check's). */
export function judgeHeads(graph: RevisionGraph, expect: ExpectHeads | null, target: string): HeadsVerdict | null {
  const heads = graph.heads;
  const alembic = graph.revisions.some((r) => r.alembic);
  const verdict = (merge: readonly number[], problem: HeadsProblem): HeadsVerdict => ({ heads: graph.ids(heads), merge: graph.ids(merge), problem, alembic });
  if (expect && "count" in expect) {
    if (heads.length === expect.count) return null;
    return verdict(heads.length > expect.count ? heads : [], { kind: "count", expected: expect.count });
  }
  if (expect) return judgeLabels(graph, expect.labels, verdict);
  if (heads.length <= 1) return null;
  if (target.trim() === "heads") {
    // Each head must be the only head of one of its branch labels.
    const unsure = heads.filter((h) => ![...graph.labelsOf(h)].some((l) => heads.every((o) => o === h || !graph.labelsOf(o).has(l))));
    return unsure.length === 0 ? null : verdict(unsure, { kind: "unlabelled" });
  }
  return verdict(heads, { kind: "several" });
}

function judgeLabels(graph: RevisionGraph, labels: readonly string[], verdict: (merge: readonly number[], problem: HeadsProblem) => HeadsVerdict): HeadsVerdict | null {
  const heads = graph.heads;
  for (const label of labels) {
    if (graph.labelNode(label) === undefined) {
      const known = [...new Set(graph.revisions.flatMap((r) => r.branchLabels))];
      throw new RetortError(
        "usage",
        `--expect-heads names '${label}', which is not a branch label of the revisions (${known.length ? `labels: ${known.join(", ")}` : "they declare none"}). ` +
          `Give the labels of the intended heads' branches, or their number.`,
      );
    }
    const on = heads.filter((h) => graph.labelsOf(h).has(label));
    if (on.length > 1) return verdict(on, { kind: "branch", label });
  }
  const stray = heads.filter((h) => !labels.some((l) => graph.labelsOf(h).has(l)));
  return stray.length === 0 ? null : verdict([], { kind: "stray", stray: graph.ids(stray), labels });
}

/** What is wrong, as a phrase after "The migrations directory has"; `code` formats ids,
 *  labels and options (a code span in markdown). */
export function headsProblem(v: HeadsVerdict, code: (text: string) => string = (t) => t): string {
  const list = (ids: readonly string[]) => ids.map(code).join(", ");
  const all = `${v.heads.length} heads (${list(v.heads)})`;
  const p = v.problem;
  switch (p.kind) {
    case "several":
      return `${all}, where one is expected`;
    case "count":
      return `${all}, where ${p.expected} ${p.expected === 1 ? "is" : "are"} expected (${code(`--expect-heads ${p.expected}`)})`;
    case "branch":
      return `${v.merge.length} heads on the branch ${code(p.label)} (${list(v.merge)}), where one is expected (${code("--expect-heads")})`;
    case "stray":
      return `${all}: ${list(p.stray)} ${p.stray.length > 1 ? "are" : "is"} on none of the expected branches (${code(`--expect-heads ${p.labels.join(",")}`)})`;
    case "unlabelled":
      return `${all}: ${list(v.merge)} ${v.merge.length > 1 ? "are not the only heads" : "is not the only head"} of any branch label`;
  }
}

/** The command that merges `heads` in this kind of project. */
export function mergeCommand(verdict: HeadsVerdict): string {
  const revs = verdict.merge.length === verdict.heads.length ? ["heads"] : verdict.merge;
  return verdict.alembic ? `alembic merge -m "merge heads" ${revs.join(" ")}` : `retort merge ${revs.join(" ")} -m "merge heads"`;
}

/** What to do, as one sentence; `code` formats a command (a code span in markdown). */
export function headsAdvice(verdict: HeadsVerdict, code: (text: string) => string = (t) => `'${t}'`): string {
  const kind = verdict.problem.kind;
  const declare =
    kind === "several" || kind === "unlabelled"
      ? `declare the heads kept on purpose with ${code("--expect-heads LABEL,LABEL")} (the Action's ${code("expect-heads")} input)` +
        (kind === "several" ? ` (or use the target ${code("heads")} when each is the only head of a branch label)` : "")
      : `update ${code("--expect-heads")}`;
  if (verdict.merge.length === 0) return `Merge a stray head into its branch, or ${declare}.`;
  return `Merge them with ${code(mergeCommand(verdict))}, or ${declare}.`;
}
