// Crashes: a retort upgrade of a long chain is killed with SIGKILL at random moments. After
// each kill the next run is not held up by a stale lock, finds the database in a state it can
// explain (PostgreSQL: exactly at a revision boundary; MariaDB: at a boundary, or the
// interrupted revision reported as such and resolved as a user would), and the history table
// loses nothing. At the end the upgrade finishes with every revision applied exactly once.
//
// The kill points come from a seeded PRNG: the seed is in the test name, and
// RETORT_CRASH_SEED=N replays the same choices (the timing of the machine still varies).
// RETORT_HEAVY=1 kills 20 times per server instead of 3.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Driver } from "../../src/db/driver.js";
import { renderRevisionFile } from "../../src/load/native.js";
import { prng } from "../prng.js";
import { BACKENDS, describeBackend, withDriver } from "../servers.js";

const HEAVY = process.env.RETORT_HEAVY === "1";
const KILLS = HEAVY ? 20 : 3;
const REVISIONS = 300;
const CLI = join(process.cwd(), "dist/cli.js");
/** A stale lock would hold the next run for the whole timeout and then fail it. */
const LOCK_TIMEOUT_S = 5;
const PROMPT_MS = 4_000;

const SEED = (() => {
  const given = process.env.RETORT_CRASH_SEED;
  if (given === undefined || given === "") return Math.floor(Math.random() * 2 ** 31);
  const n = Number(given);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`RETORT_CRASH_SEED must be a whole number, not '${given}'`);
  return n;
})();


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Revision i: CREATE TABLE t_i; when i % 3 >= 1 also CREATE INDEX ix_i; when i % 3 == 2 also
// a row (i) in t_0. So a third of the revisions have one statement, a third two, a third three.
const ids = Array.from({ length: REVISIONS }, (_, i) => `c${String(i).padStart(11, "0")}`);
const statementsOf = (i: number) => 1 + (i % 3 >= 1 ? 1 : 0) + (i % 3 === 2 ? 1 : 0);
function upgradeSql(i: number): string {
  const s = [`CREATE TABLE t_${i} (id INT PRIMARY KEY, name VARCHAR(20));`];
  if (i % 3 >= 1) s.push(`CREATE INDEX ix_${i} ON t_${i} (name);`);
  if (i % 3 === 2) s.push(`INSERT INTO t_0 (id, name) VALUES (${i}, 'r${i}');`);
  return s.join("\n");
}
const downgradeSql = (i: number) => (i % 3 === 2 ? `DELETE FROM t_0 WHERE id = ${i};\n` : "") + `DROP TABLE t_${i};`;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  ms: number;
}

/** A snapshot of what the database holds. */
interface DbState {
  versions: string[];
  tables: Set<number>;
  indexes: Set<number>;
  marks: Set<number>;
  history: Record<string, string | null>[];
}

/** The history columns that say which step a row is; they never change once written. */
const IDENTITY = ["id", "alembic_version", "prev_alembic_version", "operation_type", "operation_direction", "user_version", "changed_at", "revision", "checksum"];

function normalize(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "boolean") return v ? "1" : "0";
  return String(v);
}

for (const backend of BACKENDS.filter((b) => b.name !== "pglite")) {
  describeBackend(backend, "crashes", () => {
    const pg = backend.name === "postgresql";
    let dir: string;
    let db: { url: string; drop: () => Promise<void> };
    const live = new Set<ChildProcess>();

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "retort-crash-"));
      mkdirSync(join(dir, "m"));
      ids.forEach((id, i) =>
        writeFileSync(
          join(dir, "m", `${id}_t.sql`),
          renderRevisionFile({
            id,
            message: `table ${i}`,
            downRevisions: i === 0 ? [] : [ids[i - 1]!],
            createDate: "d",
            upgrade: upgradeSql(i),
            downgrade: downgradeSql(i),
          }),
        ),
      );
      db = await backend.create();
    });
    afterAll(async () => {
      for (const c of live) c.kill("SIGKILL");
      await db?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** Starts `retort ARGS`; `running` counts the revisions it reported applied so far. */
    const start = (args: string[], onRunning?: (n: number) => void) => {
      const started = Date.now();
      const child = spawn(process.execPath, [CLI, "--migrations", join(dir, "m"), ...args, "--database-url", db.url, "--lock-timeout", String(LOCK_TIMEOUT_S)], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      live.add(child);
      const state = { running: 0, firstRunningMs: null as number | null };
      let out = "";
      let err = "";
      let partial = "";
      child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
        out += chunk;
        const lines = (partial + chunk).split("\n");
        partial = lines.pop()!;
        for (const line of lines) {
          if (!line.startsWith("Running upgrade ")) continue;
          state.running++;
          state.firstRunningMs ??= Date.now() - started;
          onRunning?.(state.running);
        }
      });
      child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
      const done = new Promise<Run>((resolve) =>
        child.once("close", (code, signal) => {
          live.delete(child);
          resolve({ code, signal, out, err, ms: Date.now() - started });
        }),
      );
      return { child, state, done };
    };
    const cli = (...args: string[]) => start(args).done;

    const withDb = <T,>(fn: (d: Driver) => Promise<T>): Promise<T> => withDriver(db.url, fn);

    const numbered = (rows: readonly Record<string, unknown>[], prefix: string): Set<number> => {
      const out = new Set<number>();
      for (const r of rows) {
        const m = new RegExp(`^${prefix}_(\\d+)$`).exec(String(r.n));
        if (m) out.add(Number(m[1]));
      }
      return out;
    };

    const read = () =>
      withDb(async (d): Promise<DbState> => {
        const names = (
          await d.query(
            pg
              ? "SELECT table_name AS n FROM information_schema.tables WHERE table_schema = current_schema()"
              : "SELECT table_name AS n FROM information_schema.tables WHERE table_schema = DATABASE()",
          )
        ).rows.map((r) => String(r.n));
        const unexpected = names.filter((n) => !/^t_\d+$/.test(n) && n !== "alembic_version" && n !== "alembic_version_history");
        expect(unexpected, "tables retort's revisions never create").toEqual([]);
        const indexes = (
          await d.query(
            pg
              ? "SELECT indexname AS n FROM pg_indexes WHERE schemaname = current_schema()"
              : "SELECT DISTINCT index_name AS n FROM information_schema.statistics WHERE table_schema = DATABASE()",
          )
        ).rows;
        const has = (t: string) => names.includes(t);
        return {
          versions: has("alembic_version") ? (await d.query("SELECT version_num FROM alembic_version")).rows.map((r) => String(r.version_num)) : [],
          tables: numbered(names.map((n) => ({ n })), "t"),
          indexes: numbered(indexes, "ix"),
          marks: has("t_0") ? new Set((await d.query("SELECT id FROM t_0")).rows.map((r) => Number(r.id))) : new Set(),
          history: has("alembic_version_history")
            ? (await d.query("SELECT * FROM alembic_version_history ORDER BY id")).rows.map((r) =>
                Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toLowerCase(), normalize(v)])),
              )
            : [],
        };
      });

    /** Waits until the killed run's sessions are gone from the server (a statement it had sent
     *  may still be running there), so that what is read next stays true. */
    const settle = () =>
      withDb(async (d) => {
        const sql = pg
          ? "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
          : "SELECT COUNT(*) AS n FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()";
        const deadline = Date.now() + 10_000;
        for (;;) {
          const n = Number((await d.query(sql)).rows[0]!.n);
          if (n === 0) return;
          if (Date.now() > deadline) throw new Error(`the killed run's ${n} session(s) are still on the server after 10 s`);
          await sleep(20);
        }
      });

    /** PostgreSQL: transactions rolled back in this database so far (a kill inside a revision's
     *  transaction rolls it back; a kill between revisions does not). */
    const rollbacks = () =>
      withDb(async (d) => Number((await d.query("SELECT xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()")).rows[0]!.n));

    /** Which of revision i's statements took effect, as a count from the first (they must
     *  have taken effect in order). */
    const took = (s: DbState, i: number): number => {
      const present = [s.tables.has(i), ...(i % 3 >= 1 ? [s.indexes.has(i)] : []), ...(i % 3 === 2 ? [s.marks.has(i)] : [])];
      const p = present.indexOf(false) === -1 ? present.length : present.indexOf(false);
      expect(present.slice(p), `revision ${i}'s objects ${JSON.stringify(present)} are not a prefix of its statements`).not.toContain(true);
      return p;
    };

    /**
     * Checks that `s` is explainable and returns the last applied revision's index (-1: none)
     * and the unfinished one, if any. Applied revisions are those since `since` (the history id
     * of the last reset to base).
     */
    const explain = (s: DbState, since: number): { at: number; unfinished: { index: number; statement: number; took: number } | null } => {
      expect(s.versions.length, `version table ${JSON.stringify(s.versions)}`).toBeLessThanOrEqual(1);
      const at = s.versions.length === 0 ? -1 : ids.indexOf(s.versions[0]!);
      expect(s.versions.length === 0 || at >= 0, `unknown version ${s.versions[0]}`).toBe(true);
      const recent = s.history.filter((h) => Number(h.id) > since);
      const open = s.history.filter((h) => h.success === null);
      let unfinished: { index: number; statement: number; took: number } | null = null;
      if (pg) {
        expect(open, "PostgreSQL never leaves a started row").toEqual([]);
      } else {
        expect(open.length, "at most one unfinished revision").toBeLessThanOrEqual(1);
        if (open.length === 1) {
          const o = open[0]!;
          expect(o.revision, "the unfinished revision is the next one").toBe(ids[at + 1]);
          expect(o.operation_direction).toBe("up");
          const statement = Number(o.failed_statement);
          expect(statement).toBeGreaterThanOrEqual(1);
          expect(statement).toBeLessThanOrEqual(statementsOf(at + 1));
          const p = took(s, at + 1);
          // Statements before the one reached took effect; the one reached may have; no later one.
          expect(p, `revision ${at + 1} reached statement ${statement}`).toBeGreaterThanOrEqual(statement - 1);
          expect(p, `revision ${at + 1} reached statement ${statement}`).toBeLessThanOrEqual(statement);
          unfinished = { index: at + 1, statement, took: p };
        }
      }
      // Exactly the objects of revisions 0..at (and the unfinished one's, checked above).
      const upTo = (n: number, f: (i: number) => boolean) => Array.from({ length: n + 1 }, (_, i) => i).filter(f);
      const skip = (i: number) => unfinished === null || i !== unfinished.index;
      expect([...s.tables].filter(skip).sort((a, b) => a - b)).toEqual(upTo(at, () => true));
      expect([...s.indexes].filter(skip).sort((a, b) => a - b)).toEqual(upTo(at, (i) => i % 3 >= 1));
      expect([...s.marks].filter(skip).sort((a, b) => a - b)).toEqual(upTo(at, (i) => i % 3 === 2));
      // One successful upgrade row for each applied revision, none for any other.
      const ups = recent.filter((h) => h.operation_type === "migration" && h.operation_direction === "up" && h.success === "1").map((h) => h.revision);
      expect(ups, "successful upgrade rows since the last reset").toEqual(ids.slice(0, at + 1));
      // The only failures are revisions resolved as rolled back.
      for (const h of recent.filter((x) => x.success === "0")) expect(h.error_message).toMatch(/^resolved by .*: rolled back$/);
      return { at, unfinished };
    };

    /** Every row of `before` is still there: the same step, and unchanged if it was finished. */
    const nothingLost = (before: DbState["history"], after: DbState["history"]) => {
      expect(after.length).toBeGreaterThanOrEqual(before.length);
      const byId = new Map(after.map((h) => [h.id, h]));
      for (const b of before) {
        const a = byId.get(b.id);
        expect(a, `history row ${b.id} (${b.revision}) disappeared`).toBeDefined();
        if (b.success !== null) expect(a).toEqual(b);
        else expect(Object.fromEntries(IDENTITY.map((c) => [c, a![c]]))).toEqual(Object.fromEntries(IDENTITY.map((c) => [c, b[c]])));
      }
    };

    /** `current`: prompt (no stale lock), and on MariaDB either a revision or the explanation. */
    const current = async (expected: { at: number; unfinished: number | null }) => {
      const r = await cli("current", "--json");
      expect(r.ms, `'current' took ${r.ms} ms (lock timeout ${LOCK_TIMEOUT_S} s): ${r.err}`).toBeLessThan(PROMPT_MS);
      if (expected.unfinished !== null) {
        expect(r.code, r.out + r.err).toBe(1);
        expect(r.err).toContain(`Revision ${ids[expected.unfinished]} (`);
      } else {
        expect(r.code, r.err).toBe(0);
        expect(JSON.parse(r.out).current).toEqual(expected.at >= 0 ? [ids[expected.at]] : []);
      }
      return r;
    };

    it(`survives ${KILLS} SIGKILLs during a ${REVISIONS}-revision upgrade (seed ${SEED}; replay with RETORT_CRASH_SEED=${SEED})`, async () => {
      const random = prng(SEED ^ (pg ? 0 : 0x5bd1e995));
      const stats = { midUpgrade: 0, midRevision: 0, boundary: 0, interrupted: 0, resolvedApplied: 0, resolvedRolledBack: 0, nothingRan: 0, finishedFirst: 0, resets: 0, lockWaits: 0 };
      let since = 0; // history id of the last reset to base
      let attempt = 0;
      while (stats.midUpgrade < KILLS) {
        attempt++;
        expect(attempt, `only ${stats.midUpgrade} of ${KILLS} kills landed mid-upgrade in ${attempt - 1} attempts`).toBeLessThanOrEqual(KILLS * 3 + 5);
        const before = await read();
        const { at: from } = explain(before, since);
        const left = REVISIONS - 1 - from;
        // Kill once `k` revisions are reported applied (at least one, so the run has started
        // applying), then after 0-20 ms more: most kills land inside a revision.
        const k = 1 + Math.floor(random() * Math.max(1, Math.floor((1.6 * left) / (KILLS - stats.midUpgrade + 1))));
        const jitter = Math.floor(random() * 21);
        const context = `[${backend.name}, seed ${SEED}, attempt ${attempt}: kill after ${k} revision(s) + ${jitter} ms, from revision ${from}]`;
        try {
          const rolledBackBefore = pg ? await rollbacks() : 0;
          let reached: () => void = () => undefined;
          const reachedK = new Promise<void>((r) => (reached = r));
          const run = start(["upgrade"], (n) => n >= k && reached());
          const ended = await Promise.race([reachedK.then(() => false), run.done.then(() => true)]);
          if (!ended) {
            await sleep(jitter);
            run.child.kill("SIGKILL");
          }
          const r = await run.done;
          if (r.signal !== "SIGKILL") {
            // It finished before the kill: no kill point; start over from base.
            expect(r.code, `${r.out}${r.err}`).toBe(0);
            stats.finishedFirst++;
          } else {
            // The next upgrade started promptly too: the killed run's first revision came soon.
            expect(run.state.firstRunningMs, `the upgrade reported no revision: ${r.err}`).not.toBeNull();
            expect(run.state.firstRunningMs!, "the upgrade waited before applying its first revision").toBeLessThan(PROMPT_MS);
            if (r.out.includes("Waiting for the migration lock")) stats.lockWaits++;
          }

          // The next run is not held up by a stale lock, and explains what it finds.
          const first = await cli("current", "--json");
          expect(first.ms, `'current' right after the kill took ${first.ms} ms (lock timeout ${LOCK_TIMEOUT_S} s): ${first.err}`).toBeLessThan(PROMPT_MS);
          if (first.out.includes("Waiting for the migration lock")) stats.lockWaits++;
          await settle();
          const after = await read();
          const state = explain(after, since);
          nothingLost(before.history, after.history);
          if (state.unfinished === null) {
            expect(first.code, first.err).toBe(0);
            expect(JSON.parse(first.out).current).toEqual(state.at >= 0 ? [ids[state.at]] : []);
          } else {
            expect(first.code, first.out + first.err).toBe(1);
            expect(first.err).toContain(`Revision ${ids[state.unfinished.index]} (`);
          }
          expect(state.at, "the killed run went backwards").toBeGreaterThanOrEqual(from);

          if (state.at === REVISIONS - 1 || r.signal !== "SIGKILL") {
            if (r.signal === "SIGKILL") stats.finishedFirst++;
            const down = await cli("downgrade", "base");
            expect(down.code, down.err).toBe(0);
            stats.resets++;
            const reset = await read();
            explain(reset, (since = Math.max(...reset.history.map((h) => Number(h.id)))));
            nothingLost(after.history, reset.history);
            continue;
          }
          stats.midUpgrade++;
          if (pg) {
            // PostgreSQL: a kill inside a revision leaves a rolled-back transaction, no trace.
            await sleep(50);
            if ((await rollbacks()) > rolledBackBefore) stats.midRevision++;
            else stats.boundary++;
            continue;
          }
          if (state.unfinished === null) {
            stats.boundary++;
            continue;
          }

          // MariaDB, killed inside a revision: the next upgrade stops and says which, and what to do.
          stats.midRevision++;
          stats.interrupted++;
          const u = state.unfinished;
          const id = ids[u.index]!;
          const blocked = await cli("upgrade");
          expect(blocked.ms).toBeLessThan(PROMPT_MS);
          expect(blocked.code, blocked.out + blocked.err).toBe(1);
          expect(blocked.err).toMatch(
            new RegExp(`Revision ${id} \\(.*${id}_t\\.sql\\) started to upgrade on \\d{4}-.*Z by \\S+ and never finished \\(it had reached statement ${u.statement}\\)`),
          );
          expect(blocked.err).toContain(`retort resolve ${id} --applied`);
          expect(blocked.err).toContain(`retort resolve ${id} --rolled-back`);
          // As a user would: all of it took effect, so it is applied; or undo the part that did.
          let resolved: Run;
          if (u.took === statementsOf(u.index)) {
            resolved = await cli("resolve", id, "--applied");
            expect(resolved.out).toContain(`${id}: recorded as applied; the database is at ${id}`);
            stats.resolvedApplied++;
          } else {
            if (u.took > 0) await withDb((d) => d.query(`DROP TABLE t_${u.index}`));
            else stats.nothingRan++;
            resolved = await cli("resolve", id, "--rolled-back");
            expect(resolved.out).toContain(`${id}: recorded as rolled back; the database is at ${state.at >= 0 ? ids[state.at] : "base"}`);
            stats.resolvedRolledBack++;
          }
          expect(resolved.code, resolved.err).toBe(0);
          expect(resolved.ms).toBeLessThan(PROMPT_MS);
          const fixed = await read();
          const now = explain(fixed, since);
          expect(now.unfinished).toBeNull();
          expect(now.at).toBe(u.took === statementsOf(u.index) ? u.index : u.index - 1);
          nothingLost(after.history, fixed.history);
          nothingLost(before.history, fixed.history);
          await current({ at: now.at, unfinished: null });
        } catch (e) {
          if (e instanceof Error) e.message = `${context} ${e.message}`;
          throw e;
        }
      }

      // Then the upgrade finishes: every revision applied exactly once since the last reset.
      const before = await read();
      const last = await cli("upgrade");
      expect(last.code, last.err).toBe(0);
      expect(last.ms).toBeLessThan(60_000);
      const end = await read();
      const { at, unfinished } = explain(end, since);
      expect(at).toBe(REVISIONS - 1);
      expect(unfinished).toBeNull();
      expect(end.versions).toEqual([ids.at(-1)]);
      expect(end.tables.size).toBe(REVISIONS);
      nothingLost(before.history, end.history);
      const ups = new Map<string, number>();
      for (const h of end.history) {
        if (Number(h.id) > since && h.operation_direction === "up" && h.success === "1") ups.set(h.revision!, (ups.get(h.revision!) ?? 0) + 1);
      }
      expect(ups.size).toBe(REVISIONS);
      expect([...ups.values()].every((n) => n === 1)).toBe(true);
      await current({ at: REVISIONS - 1, unfinished: null });

      expect(stats.midUpgrade).toBe(KILLS);
      console.log(`crash [${backend.name}] seed ${SEED}: ${JSON.stringify(stats)}`);
    }, HEAVY ? 1_200_000 : 120_000);
  });
}
