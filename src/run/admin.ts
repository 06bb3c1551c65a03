// The two admin commands: `resolve` records the user's decision about a run that never
// finished, `stamp` sets the version table without running any SQL.

import { RetortError } from "../core/errors.js";
import { planDowngrade, planUpgrade, type VersionChange } from "../core/plan.js";
import { Resolver } from "../core/target.js";
import type { RunContext } from "./context.js";

/** `resolve REV --applied|--rolled-back`: records the user's decision about a revision whose
 *  run never finished. Applied: the version table moves as the step would have moved it. */
export async function resolve(ctx: RunContext, revision: string, applied: boolean): Promise<string> {
  const { driver, graph, settings, store } = ctx;
  const open = (await store.unfinished()).find((u) => u.revision === revision);
  if (!open) throw new RetortError("usage", `Revision ${revision} has no unfinished run to resolve (see 'retort log').`);
  const heads = await store.readKnownHeads(graph, settings.migrations);
  await store.ensureTables([revision]);
  await driver.begin();
  try {
    if (applied) {
      const plan = open.direction === "down" ? planDowngrade(graph, heads, `${revision}-1`) : planUpgrade(graph, heads, revision);
      const step = plan.steps.find((s) => s.revision.id === revision);
      if (!step || plan.steps.length !== 1) {
        throw new RetortError("state", `Cannot mark ${revision} applied from ${heads.join(", ") || "base"}: it is not the next step.`);
      }
      for (const change of step.versionChanges) await store.applyChange(change);
    }
    const actor = settings.identity.actor ?? "a user";
    await store.finishRun(open.id, applied, `resolved by ${actor}: ${applied ? "applied" : "rolled back"}`);
    await driver.commit();
  } catch (e) {
    await driver.rollback().catch(() => undefined);
    throw e;
  }
  return `${revision}: recorded as ${applied ? "applied" : "rolled back"}; the database is at ${(await store.readHeads()).join(", ") || "base"}.\n`;
}

/**
 * `stamp`: sets the version table to `targets` without running any SQL. A current row on the
 * same line as a target (its ancestor or descendant) is replaced; other rows stay. `purge`
 * (or `base`) empties the table first.
 */
export async function stamp(ctx: RunContext, targets: readonly string[], purge: boolean): Promise<{ before: string[]; after: string[] }> {
  const { driver, graph, settings, store } = ctx;
  const resolver = new Resolver(graph);
  const nodes = [...new Set(targets.flatMap((t) => resolver.getRevisions(t)))];
  const before = purge ? await store.readHeads() : await store.readKnownHeads(graph, settings.migrations);
  // `base` names no revision: it empties the table, as in Alembic.
  const keep = purge || nodes.length === 0
    ? []
    : before.filter((h) => {
        const node = graph.nodeOf(h)!;
        return !nodes.some((t) => graph.sharesLineage(node, [t], true));
      });
  const after = [...keep, ...graph.ids(nodes)];
  const changes: VersionChange[] = [
    ...before.filter((h) => !after.includes(h)).map((h) => ({ op: "delete" as const, revision: h })),
    ...after.filter((h) => !before.includes(h)).map((h) => ({ op: "insert" as const, revision: h })),
  ];
  await store.ensureTables(after);
  await driver.begin();
  try {
    for (const c of changes) await store.applyChange(c);
    const downward = nodes.length === 0;
    await store.appendHistory({
      alembicVersion: after.join("##"),
      prevAlembicVersion: before.join("##"),
      operationType: "stamp",
      operationDirection: downward ? "down" : "up",
      userVersion: JSON.stringify({ user: settings.identity.actor, version: settings.identity.retortVersion }),
      changedAt: new Date(),
      revision: null,
      checksum: null,
      durationMs: 0,
      success: true,
      errorMessage: null,
      failedStatement: null,
      ...settings.identity,
    });
    await driver.commit();
  } catch (e) {
    await driver.rollback().catch(() => undefined);
    throw e;
  }
  return { before, after };
}
