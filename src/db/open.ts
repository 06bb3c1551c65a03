// Opening a database from a URL: the scheme picks the driver, loaded only when used (PGlite is
// large; pg and mysql2 are not needed by commands that read no database).

import { RetortError } from "../core/errors.js";
import type { ConnectOptions, Driver } from "./driver.js";
import { DEFAULT_PGLITE_DIR, describeTarget, type ConnectionTarget, type LibpqEnv, type PgliteTarget, type ServerTarget } from "./target.js";

export interface OpenOptions {
  /** The URL (or libpq keyword string), or null for the embedded default (PGlite at .retort/pglite). */
  readonly url: string | null;
  /** `url` already described (the front end parsed it once); described here when absent. */
  readonly target?: ConnectionTarget | null;
  /** The libpq variables (PGPASSWORD, ...) a PostgreSQL target honours. Default none. */
  readonly env?: LibpqEnv;
  /** The variable that showed a CI run (e.g. GITLAB_CI), or null when none did: under CI a
   *  missing URL is an error instead of the embedded default. Default null. */
  readonly ci?: string | null;
  /** Keep retrying a refused or failing connection for this many seconds (0: try once). */
  readonly waitSeconds: number;
  readonly applicationName: string;
  /** Told once when the embedded default is used. */
  readonly notice: (line: string) => void;
}

const CONNECT_TIMEOUT_MS = 10_000;
const RETRY_MS = 500;

/** The error for no URL under CI: a masked variable withheld on an unprotected branch must not
 *  turn into a plan or an upgrade of an empty embedded database that reports success. */
export function noUrlUnderCi(ci: string): RetortError {
  return new RetortError(
    "usage",
    `No database URL, and ${ci} is set (a CI run): set DATABASE_URL or RETORT_DATABASE_URL (or pass --database-url; CI systems withhold ` +
      `protected or masked variables on some branches), or pass --database-url pglite://PATH to use an embedded database on purpose.`,
  );
}

export async function openDriver(options: OpenOptions): Promise<Driver> {
  let text = options.url;
  if (!text) {
    if (options.ci) throw noUrlUnderCi(options.ci);
    text = `pglite://${DEFAULT_PGLITE_DIR}`;
    options.notice(`No database URL given (--database-url, RETORT_DATABASE_URL or DATABASE_URL): using the embedded database at ${DEFAULT_PGLITE_DIR}.`);
  }
  const target = options.target ?? describeTarget(text, options.env ?? {});
  const base = { applicationName: options.applicationName, connectTimeoutMs: CONNECT_TIMEOUT_MS };
  const open = async (): Promise<Driver> => {
    switch (target.scheme) {
      case "postgresql":
        return (await import("./postgres.js")).PostgresDriver.connect({ ...base, target } satisfies ConnectOptions<ServerTarget>);
      case "mysql":
        return (await import("./mysql.js")).MysqlDriver.connect({ ...base, target } satisfies ConnectOptions<ServerTarget>);
      case "pglite":
        return (await import("./pglite.js")).PgliteDriver.connect({ ...base, target } satisfies ConnectOptions<PgliteTarget>);
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
