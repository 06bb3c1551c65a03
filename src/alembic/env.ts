// The environment Alembic runs in. env.py and the revisions are the project's code, and on a
// pull request they are the pull request's: they get what Python, Alembic and a database driver
// need to start and nothing else (no CI tokens, no INPUT_* of the Action, no retort settings),
// plus the variables the user names with --alembic-env. The database URL never travels here:
// the bootstrap receives it on standard input and sets it inside the Alembic process only
// (see run.ts), and offline runs get a placeholder instead.

import { RetortError } from "../core/errors.js";

/** Passed as they are: where programs, the home directory, temp space, the interpreter's
 *  environment and certificates are, and the locale. None of them holds a secret. */
const ALLOWED = new Set([
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "LANG",
  "LANGUAGE",
  "TZ",
  "TMPDIR",
  "TMP",
  "TEMP",
  "VIRTUAL_ENV",
  "CONDA_PREFIX",
  "LD_LIBRARY_PATH",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  // Windows: Python cannot start (or find its sockets and temp folder) without these.
  "SYSTEMROOT",
  "WINDIR",
  "COMSPEC",
  "PATHEXT",
  "USERPROFILE",
  "APPDATA",
  "LOCALAPPDATA",
]);
/** Families passed whole: the locale (LC_ALL, LC_CTYPE, ...), the interpreter's own settings
 *  (PYTHONPATH, PYTHONHOME, PYTHONDONTWRITEBYTECODE, PYTHONUTF8, ...), the XDG base folders. */
const ALLOWED_PREFIXES = ["LC_", "PYTHON", "XDG_"];
/** Never passed, even when named: Python would stay interactive on retort's pipe after the
 *  bootstrap ends (PYTHONINSPECT); and the variables the bootstrap sets inside the process to
 *  the URL Alembic may see (run.ts), which in the starting environment would hand the real URL
 *  to offline runs (`--alembic-env DATABASE_*` for an env.py's own DATABASE_POOL_SIZE named it
 *  too): /proc/PID/environ shows that block whatever the process sets later. */
const NEVER = new Set(["PYTHONINSPECT", "DATABASE_URL", "SQLALCHEMY_URL", "RETORT_DATABASE_URL"]);

const NAME = /^[A-Za-z_][A-Za-z0-9_]*\*?$/;

/** Checks `--alembic-env` names: variable names, or a prefix followed by `*`. */
export function checkAlembicEnvNames(names: readonly string[]): string[] {
  for (const name of names) {
    if (!NAME.test(name)) {
      throw new RetortError(
        "usage",
        `Invalid --alembic-env name '${name}': give environment variable names (letters, digits and _), ` +
          `comma separated, or a prefix followed by * (APP_*).`,
      );
    }
  }
  return [...names];
}

function named(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.endsWith("*") ? name.startsWith(p.slice(0, -1)) : name === p));
}

/** The variables of `parent` that Alembic gets: the allow-list and the `passed` names. */
export function alembicEnvironment(parent: Readonly<Record<string, string | undefined>>, passed: readonly string[], windows = process.platform === "win32"): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value === undefined) continue;
    // Windows spells them as it likes (Path, SystemRoot).
    const key = windows ? name.toUpperCase() : name;
    if (NEVER.has(name.toUpperCase())) continue;
    const allowed = ALLOWED.has(key) || ALLOWED_PREFIXES.some((p) => key.startsWith(p));
    if (allowed || named(name, passed)) out[name] = value;
  }
  return out;
}
