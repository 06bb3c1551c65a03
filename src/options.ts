// The one options object. Each front end (the CLI now; the Action and the Docker entrypoint
// later) fills it from its own inputs in one place; everything below reads only this.

import { RetortError } from "./core/errors.js";
import { DEFAULT_VERSION_TABLE, DIALECTS, type Dialect, type VersionTable } from "./core/sql.js";

export interface Options {
  /** Directory holding the revision files. Default `migrations`. */
  readonly migrations: string;
  /** SQL flavour of offline output. Default `postgresql`. */
  readonly dialect: Dialect;
  /** Version table name and schema. Default `alembic_version`, no schema. */
  readonly versionTable: VersionTable;
  /** Offline SQL with BEGIN/COMMIT around each revision instead of the whole run. Default false. */
  readonly transactionPerRevision: boolean;
}

export const DEFAULT_MIGRATIONS = "migrations";

export interface RawOptions {
  migrations?: string | undefined;
  dialect?: string | undefined;
  versionTable?: string | undefined;
  versionSchema?: string | undefined;
  transactionPerRevision?: boolean | undefined;
}

/** Validates raw values (from flags, environment or Action inputs) into Options. */
export function makeOptions(raw: RawOptions): Options {
  const dialect = (raw.dialect ?? "postgresql").toLowerCase();
  if (!DIALECTS.includes(dialect as Dialect)) {
    throw new RetortError("usage", `Unknown dialect '${raw.dialect}'. Use one of: ${DIALECTS.join(", ")}.`);
  }
  const table = raw.versionTable?.trim() || DEFAULT_VERSION_TABLE.table;
  const schema = raw.versionSchema?.trim() || null;
  for (const [what, value] of [["version table", table], ["version schema", schema]] as const) {
    if (value !== null && (value.length > 63 || /[\s."`;]/.test(value))) {
      throw new RetortError("usage", `Invalid ${what} '${value}': use a plain identifier (no dots, quotes, spaces).`);
    }
  }
  return {
    migrations: raw.migrations?.trim() || DEFAULT_MIGRATIONS,
    dialect: dialect as Dialect,
    versionTable: { table, schema },
    transactionPerRevision: raw.transactionPerRevision ?? false,
  };
}
