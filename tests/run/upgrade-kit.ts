// Upgrading a database to heads with the Runner itself (not the CLI), for the tests that drive
// MariaDB through the path a server without anonymous blocks (MySQL 8) takes.

import { planUpgrade } from "../../src/core/plan.js";
import { DEFAULT_VERSION_TABLE } from "../../src/core/sql.js";
import { loadGraph } from "../../src/load/directory.js";
import { Runner, type StepOutcome } from "../../src/run/runner.js";
import { DEFAULT_HISTORY_TABLE } from "../../src/run/state.js";
import { connect } from "../servers.js";

/** Upgrades `url` to the heads of `dir` under the deploy lock, with the default settings;
 *  `stepByStep` turns the driver's anonymous blocks off. The driver is closed whatever happens. */
export async function upgradeToHeads(url: string, dir: string, options: { stepByStep: boolean }): Promise<StepOutcome[]> {
  const driver = await connect(url);
  if (options.stepByStep) Object.defineProperty(driver, "anonymousBlocks", { value: false });
  const graph = loadGraph(dir);
  const runner = new Runner(
    driver,
    graph,
    {
      migrations: dir,
      versionTable: DEFAULT_VERSION_TABLE,
      historyTable: DEFAULT_HISTORY_TABLE,
      lockTimeoutSeconds: 5,
      onDrift: "warn",
      transaction: "per-revision",
      identity: { actor: "tester", commitSha: null, runUrl: null, retortVersion: "9.9.9" },
    },
    { info: () => undefined, warn: () => undefined },
  );
  try {
    return await runner.withLock(async () => runner.execute(planUpgrade(graph, (await runner.readState()).heads, "heads")));
  } finally {
    await driver.close();
  }
}
