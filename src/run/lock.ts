// The deploy lock: one run at a time per version table, and none while statements a killed run
// left behind still run on the server. The deploy lock lives on the driver's idle lock
// connection; the work lock, on the main connection, lasts as long as the server still runs
// something that connection was sent (a revision and its COMMIT travel together).

import { RetortError } from "../core/errors.js";
import type { RunContext } from "./context.js";

const POLL_MS = 250;

export class DeployLock {
  private readonly ctx: Pick<RunContext, "driver" | "settings" | "store" | "log">;
  /** The work lock's key while withLock runs. */
  private workKey: string | null = null;

  constructor(ctx: Pick<RunContext, "driver" | "settings" | "store" | "log">) {
    this.ctx = ctx;
  }

  /** Runs `fn` holding the deploy lock of this version table; waits up to the lock timeout. */
  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const { driver, settings, store } = this.ctx;
    const key = `retort:${await store.schema()}.${settings.versionTable.table}`;
    const deadline = Date.now() + settings.lockTimeoutSeconds * 1000;
    // Where no other process can open the database, there is nobody to lock out.
    if (driver.sharedLock) await this.acquire(key, deadline);
    try {
      await this.waitForOrphanedWork(`${key}:work`, deadline);
      this.workKey = `${key}:work`;
      try {
        return await fn();
      } finally {
        this.workKey = null;
        await driver.unlock(`${key}:work`, "main").catch(() => undefined);
      }
    } finally {
      await driver.unlock(key).catch(() => undefined);
    }
  }

  /** Takes the deploy lock `key`, waiting for another deploy until `deadline`. */
  private async acquire(key: string, deadline: number): Promise<void> {
    const { driver, settings, log } = this.ctx;
    let announced = false;
    while (!(await driver.tryLock(key))) {
      const holder = await driver.lockHolder(key);
      const who = holder
        ? `pid ${holder.pid}${holder.application ? `, '${holder.application}'` : ""}${holder.since ? `, since ${holder.since}` : ""}`
        : "another session";
      if (Date.now() >= deadline) {
        throw new RetortError(
          "lock-timeout",
          `Another deploy holds the migration lock on ${driver.target} (${who}); waited ` +
            `${settings.lockTimeoutSeconds} s. Let it finish, or raise --lock-timeout.`,
        );
      }
      if (!announced) {
        log.info(`Waiting for the migration lock held by ${who} ...`);
        announced = true;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** Runs `fn` while a client of its own (Alembic's connection) does the work instead of the
   *  main connection: the work lock is released from the main connection, `fn` gets its key to
   *  take on that client's connection, and afterwards the main connection takes it back,
   *  waiting (as the next run would, see waitForOrphanedWork) until nothing that client sent
   *  still runs. Only inside withLock; the deploy lock keeps every other run out meanwhile. */
  async handOverWork<T>(fn: (key: string) => Promise<T>): Promise<T> {
    const key = this.workKey;
    if (key === null) throw new Error("handOverWork outside withLock");
    await this.ctx.driver.unlock(key, "main");
    let failed = false;
    try {
      return await fn(key);
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      const back = this.takeBackWork(key);
      // fn's own failure says more than a lock that could not be taken back after it.
      if (failed) await back.catch(() => undefined);
      else await back;
    }
  }

  /** The client that had the work lock has just ended; the server lets go of its session a
   *  moment later, which is not worth a message. */
  private async takeBackWork(key: string): Promise<void> {
    for (const quiet = Date.now() + 2000; Date.now() < quiet; ) {
      if (await this.ctx.driver.tryLock(key, "main")) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.waitForOrphanedWork(key, Date.now() + this.ctx.settings.lockTimeoutSeconds * 1000);
  }

  /** The connection that does the work holds a lock of its own. A killed run's lock connection
   *  goes away with the process at once, but the server may still be running what its main
   *  connection sent (a revision and its COMMIT travel together): the next run waits here until
   *  that has finished, so it never reads a state that is about to change. */
  private async waitForOrphanedWork(key: string, deadline: number): Promise<void> {
    const { driver, settings, log } = this.ctx;
    let announced = false;
    while (!(await driver.tryLock(key, "main"))) {
      const holder = await driver.lockHolder(key);
      const who = holder ? `server session ${holder.pid}` : "a server session";
      if (Date.now() >= deadline) {
        throw new RetortError(
          "lock-timeout",
          `A run that has ended left statements running on ${driver.target} (${who}); waited ` +
            `${settings.lockTimeoutSeconds} s for them to finish. Let them finish, raise --lock-timeout, or end that session` +
            `${holder ? ` (${driver.endSessionStatement(holder.pid)})` : ""}; ` +
            `the next run then explains where the database stands.`,
        );
      }
      if (!announced) {
        log.info(`Waiting for the statements a previous run left running (${who}) to finish ...`);
        announced = true;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
}
