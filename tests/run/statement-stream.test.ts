// The characterisation of the apply path: the exact statements the runner sends, in order, for a
// few representative plans on each backend, recorded from a real driver and held in
// statement-stream/<backend>.txt. The apply path is the benchmark (one round trip per revision,
// up to 50 one-statement revisions per trip): a reshape of the runner must leave these streams
// exactly as they are. Only what varies from run to run is normalised: timestamps, durations
// (Date.now stands still while the runner runs), the throw-away database's name and paths.

import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { RevisionGraph } from "../../src/core/graph.js";
import { planDowngrade, planUpgrade, type Plan } from "../../src/core/plan.js";
import type { Revision } from "../../src/core/revision.js";
import { DEFAULT_VERSION_TABLE } from "../../src/core/sql.js";
import type { Driver } from "../../src/db/driver.js";
import { Runner, type TransactionMode } from "../../src/run/runner.js";
import { DEFAULT_HISTORY_TABLE } from "../../src/run/state.js";
import { BACKENDS, connect, describeBackend } from "../servers.js";

function revision(n: number, upgrade: string, transaction = true): Revision {
  const id = `${String(n).repeat(4)}0000000${n}`;
  return {
    id,
    downRevisions: n === 1 ? [] : [`${String(n - 1).repeat(4)}0000000${n - 1}`],
    branchLabels: [],
    dependsOn: [],
    message: `r${n}`,
    createDate: null,
    path: `migrations/${id}_r${n}.sql`,
    upgrade: { sql: upgrade, line: 7, transaction },
    downgrade: { sql: `DROP TABLE t${n};`, line: 10, transaction: true },
  };
}

/** r1, r2, r4, r6, r7, r9: one statement; r3 two; r5 two, outside a transaction; r7 a temporary
 *  table (on MariaDB one that could hide retort's tables); r8 fails. */
const GRAPH = RevisionGraph.build([
  revision(1, "CREATE TABLE t1 (id INT PRIMARY KEY);"),
  revision(2, "CREATE TABLE t2 (id INT PRIMARY KEY);"),
  revision(3, "CREATE TABLE t3 (id INT PRIMARY KEY);\nINSERT INTO t3 (id) VALUES (1);"),
  revision(4, "CREATE TABLE t4 (id INT);"),
  revision(5, "CREATE TABLE t5 (id INT);\nINSERT INTO t5 (id) VALUES (5);", false),
  revision(6, "CREATE TABLE t6 (id INT);"),
  revision(7, "CREATE TEMPORARY TABLE t7 (id INT);"),
  revision(8, "INSERT INTO t_nowhere (id) VALUES (8);"),
  revision(9, "CREATE TABLE t9 (id INT);"),
]);
const id = (n: number) => GRAPH.revisions.find((r) => r.message === `r${n}`)!.id;

interface Scenario {
  readonly name: string;
  readonly plan: (heads: readonly string[]) => Plan;
  readonly transaction?: TransactionMode;
}

const SCENARIOS: readonly Scenario[] = [
  { name: "upgrade to r4: a batch of two, a two-statement revision, one more", plan: (h) => planUpgrade(GRAPH, h, id(4)) },
  { name: "downgrade to r2", plan: (h) => planDowngrade(GRAPH, h, id(2)) },
  { name: "upgrade to r6 with --transaction all (r5 is transaction:false)", plan: (h) => planUpgrade(GRAPH, h, id(6)), transaction: "all" },
  { name: "downgrade to r4", plan: (h) => planDowngrade(GRAPH, h, id(4)) },
  { name: "upgrade to head: r5 transaction:false, then a batch whose third revision fails", plan: (h) => planUpgrade(GRAPH, h, "head") },
];

/** Records every statement the driver is sent (query and script, at any depth: begin() is a
 *  query too) and the lock calls, as one line each. */
function record(driver: Driver, lines: string[]): void {
  const d = driver as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const method of ["query", "script", "tryLock", "unlock", "lockHolder"]) {
    const original = d[method]!.bind(driver);
    d[method] = async (...args: unknown[]) => {
      lines.push(`${method} ${JSON.stringify(args)}`);
      return original(...args);
    };
  }
}

function normalise(lines: readonly string[], database: string): string {
  return `${lines
    .map((l) =>
      l
        .split(database)
        .join("<db>")
        .replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}/g, "<timestamp>")
        .replace(/\/tmp\/[^\s"\\]*/g, "<path>")
        // The server measures the steps of a shared round trip.
        .replace(/^(info Running .*) \.\.\. \d+ ms$/, "$1 ... <ms>"),
    )
    .join("\n")}\n`;
}

async function run(url: string, scenario: Scenario, stepByStep: boolean): Promise<string[]> {
  const driver = await connect(url);
  if (stepByStep) Object.defineProperty(driver, "anonymousBlocks", { value: false });
  const lines: string[] = [];
  record(driver, lines);
  const runner = new Runner(
    driver,
    GRAPH,
    {
      migrations: "migrations",
      versionTable: DEFAULT_VERSION_TABLE,
      historyTable: DEFAULT_HISTORY_TABLE,
      lockTimeoutSeconds: 5,
      onDrift: "warn",
      transaction: scenario.transaction ?? "per-revision",
      identity: { actor: "tester", commitSha: "abc123", runUrl: "https://ci.example/run/7", retortVersion: "9.9.9" },
    },
    { info: (line) => lines.push(`info ${line}`), warn: (line) => lines.push(`warn ${line}`) },
  );
  const now = Date.now();
  const clock = vi.spyOn(Date, "now").mockReturnValue(now);
  try {
    await runner.withLock(async () => {
      const { heads, drift } = await runner.readState();
      runner.enforceDrift(drift);
      return runner.execute(scenario.plan(heads));
    });
  } catch (e) {
    lines.push(`error ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    clock.mockRestore();
    await driver.close();
  }
  return lines;
}

const PATHS = [
  ...BACKENDS.map((backend) => ({ backend, stepByStep: false, file: backend.name })),
  // MySQL 8 has no anonymous blocks: MariaDB with the capability off takes its path.
  ...BACKENDS.filter((b) => b.name === "mariadb").map((backend) => ({ backend, stepByStep: true, file: "mysql-step-by-step" })),
];

for (const { backend, stepByStep, file } of PATHS) {
  describeBackend(backend, `the statements the runner sends${stepByStep ? " step by step" : ""}`, () => {
    let db: { url: string; drop: () => Promise<void> };
    beforeAll(async () => {
      db = await backend.create();
    }, 60_000);
    afterAll(async () => {
      await db?.drop();
    });

    it("are exactly the recorded ones, plan by plan", async () => {
      const database = backend.name === "pglite" ? "\u0000" : new URL(db.url).pathname.slice(1);
      const streams: string[] = [];
      for (const scenario of SCENARIOS) {
        streams.push(`## ${scenario.name}\n${normalise(await run(db.url, scenario, stepByStep), database)}`);
      }
      await expect(streams.join("\n")).toMatchFileSnapshot(`./statement-stream/${file}.txt`);
    }, 120_000);
  });
}
