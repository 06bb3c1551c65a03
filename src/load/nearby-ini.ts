// Where a user who runs retort in the wrong folder of an Alembic project probably meant: the
// alembic.ini above the current directory (run inside versions/ or a package below the ini) or
// a few folders below it (run from the repository root of app/db/migration/alembic.ini).
// Alembic itself finds neither; the missing-folder error names them instead of leaving the
// user with "'migrations' does not exist".

import { readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { kindOf, peekScriptLocation } from "./alembic-config.js";
import { slashed } from "./paths.js";

const BELOW_DEPTH = 4;
const MAX_FOLDERS = 400;
const SKIPPED = new Set(["node_modules", "site-packages", "__pycache__", "venv", "env", "build", "dist"]);

/** The Alembic configs (alembic.ini with a usable script_location) below `root`, breadth first,
 *  a few levels deep, leaving out hidden folders and installed packages. */
function inisBelow(root: string): string[] {
  const found: string[] = [];
  let level = [root];
  let visited = 0;
  for (let depth = 0; depth <= BELOW_DEPTH && level.length > 0 && visited < MAX_FOLDERS; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (++visited > MAX_FOLDERS) break;
      const ini = join(dir, "alembic.ini");
      if (dir !== root && kindOf(ini) === "file" && peekScriptLocation(ini) !== null) found.push(ini);
      try {
        for (const e of readdirSync(dir, { withFileTypes: true })) {
          if (e.isDirectory() && !e.name.startsWith(".") && !SKIPPED.has(e.name)) next.push(join(dir, e.name));
        }
      } catch {
        // An unreadable folder holds nothing to suggest.
      }
    }
    level = next.sort();
  }
  return found;
}

/** A sentence naming the alembic.ini the user probably meant, or "" when there is none. */
export function nearbyIniHint(): string {
  const cwd = process.cwd();
  for (let dir = dirname(cwd); ; dir = dirname(dir)) {
    const ini = join(dir, "alembic.ini");
    const points = kindOf(ini) === "file" ? peekScriptLocation(ini) : null;
    if (points !== null) {
      const up = slashed(relative(cwd, ini));
      return (
        ` '${up}' above is an Alembic config (its scripts are in '${slashed(relative(dir, points)) || "."}' beside it): ` +
        `run retort in its folder, as alembic is run, or pass --alembic-config ${up}.`
      );
    }
    if (dirname(dir) === dir) break;
  }
  const below = inisBelow(cwd).map((ini) => slashed(relative(cwd, ini)));
  if (below.length === 0) return "";
  const shown = below.slice(0, 3).map((p) => `'${p}'`).join(", ") + (below.length > 3 ? `, ... (${below.length})` : "");
  return ` Alembic config${below.length > 1 ? "s" : ""} below: ${shown}: for an Alembic project, pass --alembic-config ${below[0]} (or run retort in its folder).`;
}
