// Small builders for in-memory revisions, shared by the core tests, and the error a loader throws.
import { expect } from "vitest";
import { RetortError } from "../src/core/errors.js";
import { RevisionGraph } from "../src/core/graph.js";
import type { Revision } from "../src/core/revision.js";

export interface RevOptions {
  labels?: string[];
  deps?: string[];
  message?: string;
  upgrade?: string;
  /** null: irreversible (no downgrade section). */
  downgrade?: string | null;
  transaction?: boolean;
}

export function rev(id: string, down: string | string[] | null, o: RevOptions = {}): Revision {
  return {
    id,
    downRevisions: down === null ? [] : Array.isArray(down) ? down : [down],
    branchLabels: o.labels ?? [],
    dependsOn: o.deps ?? [],
    message: o.message ?? `rev ${id}`,
    createDate: null,
    path: `migrations/${id}.sql`,
    upgrade: { sql: o.upgrade ?? `CREATE TABLE t_${id} (id int);`, line: 7, transaction: o.transaction ?? true },
    downgrade: o.downgrade === null ? null : { sql: o.downgrade ?? `DROP TABLE t_${id};`, line: 10, transaction: true },
  };
}

export function graphOf(...revisions: Revision[]): RevisionGraph {
  return RevisionGraph.build(revisions);
}

/** The worked example of the spec (section 4), in its load order. */
export function workedExample(): RevisionGraph {
  return graphOf(
    rev("1975ea83b712", null, { message: "create account table" }),
    rev("27c6a30d7c24", "1975ea83b712", { message: "add a column" }),
    rev("53fffde5ad5", ["ae1027a6acf", "27c6a30d7c24"], { message: "merge" }),
    rev("ae1027a6acf", "1975ea83b712", { message: "add another column" }),
  );
}

/** The RetortError `fn` throws; fails the test when it throws anything else, or nothing. */
export function retortErrorOf(fn: () => unknown): RetortError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RetortError);
    return e as RetortError;
  }
  throw new Error("expected a RetortError");
}
