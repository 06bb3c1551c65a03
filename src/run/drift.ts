// What the database holds before a run: its heads, checked against the graph, an unfinished
// run that must be resolved first, and drift (applied revisions whose SQL has changed since).

import { RetortError } from "../core/errors.js";
import { checksum } from "./checksum.js";
import type { RunContext } from "./context.js";

/** A revision the database went through whose SQL has changed since. */
export interface Drift {
  readonly revision: string;
  readonly path: string;
  readonly appliedAt: string;
  readonly appliedChecksum: string;
  readonly currentChecksum: string;
}

/** The one wording of a drifted revision, "<id> (<path>) changed since it was applied on <when>",
 *  each value put through `value` (a code span in Markdown). `verb` is "has changed" where the
 *  sentence goes on (the comment's warning). */
export function describeDrift(d: Drift, how: { value?: (text: string) => string; verb?: string } = {}): string {
  const value = how.value ?? ((text: string) => text);
  return `${value(d.revision)} (${value(d.path)}) ${how.verb ?? "changed"} since it was applied on ${value(d.appliedAt)}`;
}

export interface DatabaseState {
  readonly heads: readonly string[];
  readonly drift: readonly Drift[];
}

/** The current heads (checked against the graph) and drift. Reads only. */
export async function readState(ctx: RunContext): Promise<DatabaseState> {
  const { graph, settings, store } = ctx;
  const heads = await store.readKnownHeads(graph, settings.migrations);
  const unfinished = await store.unfinished();
  if (unfinished.length > 0) {
    const u = unfinished[0]!;
    const rev = graph.nodeOf(u.revision) !== undefined ? graph.revisions[graph.nodeOf(u.revision)!]! : null;
    throw new RetortError(
      "state",
      `Revision ${u.revision}${rev ? ` (${rev.path})` : ""} started to ${u.direction === "down" ? "downgrade" : "upgrade"} on ${u.startedAt}` +
        `${u.actor ? ` by ${u.actor}` : ""} and never finished${u.statement ? ` (it had reached statement ${u.statement})` : ""}: ` +
        `this database cannot undo DDL, so some of its statements may have taken effect. Check the database, then run ` +
        `'retort resolve ${u.revision} --applied' (finish it by hand first if needed) or 'retort resolve ${u.revision} --rolled-back'.`,
    );
  }
  const applied = graph.ancestors(heads.map((h) => graph.nodeOf(h)!));
  const recorded = await store.appliedChecksums();
  const drift: Drift[] = [];
  for (const node of applied) {
    const rev = graph.revisions[node]!;
    const seen = recorded.get(rev.id);
    if (!seen) continue;
    // A Python revision's checksum is its file's (its SQL comes from Alembic).
    const now = checksum(rev.alembic?.text ?? rev.upgrade.sql);
    if (now !== seen.checksum) {
      drift.push({ revision: rev.id, path: rev.path, appliedAt: seen.changedAt, appliedChecksum: seen.checksum, currentChecksum: now });
    }
  }
  return { heads, drift };
}

/** Reports drift; with `--on-drift fail`, refuses to go on. */
export function enforceDrift(ctx: RunContext, drift: readonly Drift[]): void {
  const { settings } = ctx;
  for (const d of drift) {
    ctx.log.warn(`drift: ${describeDrift(d)}`);
  }
  if (drift.length > 0 && settings.onDrift === "fail") {
    throw new RetortError(
      "check-failed",
      `${drift.length} applied revision(s) changed since they were applied (${drift.map((d) => d.revision).join(", ")}). ` +
        `Restore their SQL, or run with --on-drift warn.`,
    );
  }
}
