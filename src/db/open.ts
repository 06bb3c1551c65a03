// Opening a database from a URL: the scheme picks the driver, loaded only when used (PGlite is
// large; pg and mysql2 are not needed by commands that read no database).

import { RetortError } from "../core/errors.js";
import type { ConnectOptions, Driver } from "./driver.js";
import { DEFAULT_PGLITE_DIR, parseDatabaseUrl } from "./url.js";

export interface OpenOptions {
  /** The URL, or null for the embedded default (PGlite at .retort/pglite). */
  readonly url: string | null;
  /** Keep retrying a refused or failing connection for this many seconds (0: try once). */
  readonly waitSeconds: number;
  readonly applicationName: string;
  /** Told once when the embedded default is used. */
  readonly notice: (line: string) => void;
}

const CONNECT_TIMEOUT_MS = 10_000;
const RETRY_MS = 500;

export async function openDriver(options: OpenOptions): Promise<Driver> {
  let text = options.url;
  if (!text) {
    text = `pglite://${DEFAULT_PGLITE_DIR}`;
    options.notice(`No database URL given (--database-url, RETORT_DATABASE_URL or DATABASE_URL): using the embedded database at ${DEFAULT_PGLITE_DIR}.`);
  }
  const { url, scheme } = parseDatabaseUrl(text);
  const connect: ConnectOptions = { url, applicationName: options.applicationName, connectTimeoutMs: CONNECT_TIMEOUT_MS };
  const open = async (): Promise<Driver> => {
    switch (scheme) {
      case "postgresql":
        return (await import("./postgres.js")).PostgresDriver.connect(connect);
      case "mysql":
        return (await import("./mysql.js")).MysqlDriver.connect(connect);
      case "pglite":
        return (await import("./pglite.js")).PgliteDriver.connect(connect);
    }
  };
  const deadline = Date.now() + options.waitSeconds * 1000;
  for (;;) {
    try {
      return await open();
    } catch (e) {
      const retry = e instanceof RetortError && e.code === "connection" && Date.now() < deadline;
      if (!retry) throw e;
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }
}
