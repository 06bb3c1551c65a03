// The migrations directory: what kind of source it is, decided once, and its revision graph.
//
// Layouts detected (first match wins):
//   1. `--alembic-config PATH`: that ini file (an error if it is missing).
//   2. `DIR/alembic.ini`: the `alembic init` layout (DIR is the project root, the ini names
//      script_location), or Flask-Migrate's `migrations/alembic.ini` next to `env.py` and
//      `versions/` (DIR is migrations/; see alembic-config.ts for its missing script_location).
//   3. `DIR/env.py` next to `DIR/versions/`, no ini: DIR is the script location, all defaults.
//   4. Anything else: native `.sql` revisions (native-files.ts), DIR need not exist yet.
//
// Everything after the detection works from the source it returns: the loader reads that
// source's files, and each revision of an Alembic project carries where Alembic runs it, so
// rendering and applying its SQL never look at the directory again.

import { join, resolve } from "node:path";
import { RetortError } from "../core/errors.js";
import { RevisionGraph } from "../core/graph.js";
import type { Revision } from "../core/revision.js";
import { defaultProject, kindOf, readAlembicConfig, type AlembicProject } from "./alembic-config.js";
import { loadAlembicRevisions } from "./alembic-files.js";
import { loadRevisions } from "./native-files.js";

/** Native `.sql` revisions in `directory`. */
export interface NativeSource {
  readonly kind: "native";
  /** The migrations directory as given (paths in errors and revisions start with it). */
  readonly directory: string;
}

/** An Alembic project (Python revisions, read statically; their SQL comes from Alembic). */
export interface AlembicSource extends AlembicProject {
  readonly kind: "alembic";
  /** The migrations directory as given. */
  readonly directory: string;
}

export type MigrationSource = NativeSource | AlembicSource;

/** What `directory` holds (see the layouts above). `alembicConfig` (the `--alembic-config`
 *  option, relative to the current directory; null, undefined or "" when not given) names the
 *  ini explicitly. Throws RetortError("usage") for a config that exists but cannot be used. */
export function detectSource(directory: string, alembicConfig?: string | null): MigrationSource {
  const project = alembicProjectIn(directory, alembicConfig);
  return project ? { kind: "alembic", directory, ...project } : { kind: "native", directory };
}

function alembicProjectIn(dir: string, alembicConfig?: string | null): AlembicProject | null {
  if (alembicConfig !== undefined && alembicConfig !== null && alembicConfig !== "") {
    return readAlembicConfig(givenConfig(dir, alembicConfig));
  }
  const root = resolve(dir);
  const ini = join(root, "alembic.ini");
  if (kindOf(ini) === "file") return readAlembicConfig(ini);
  if (kindOf(join(root, "env.py")) === "file" && kindOf(join(root, "versions")) === "dir") return defaultProject(root);
  return null;
}

/** The absolute path of the `--alembic-config` file, which must be one. */
function givenConfig(dir: string, alembicConfig: string): string {
  const ini = resolve(alembicConfig);
  const kind = kindOf(ini);
  if (kind === null) {
    throw new RetortError(
      "usage",
      `Alembic config '${alembicConfig}' does not exist. Pass the path of your alembic.ini to --alembic-config ` +
        `(relative to the current directory), or leave it out to detect alembic.ini in '${dir}'.`,
    );
  }
  if (kind !== "file") {
    throw new RetortError("usage", `Alembic config '${alembicConfig}' is not a file. Pass the alembic.ini file itself to --alembic-config.`);
  }
  return ini;
}

/** Every revision of `source`, in its load order (Alembic's map order). */
function sourceRevisions(source: MigrationSource): Revision[] {
  return source.kind === "alembic" ? loadAlembicRevisions(source) : loadRevisions(source.directory);
}

/** The revision graph of `source`. */
export function sourceGraph(source: MigrationSource): RevisionGraph {
  return RevisionGraph.build(sourceRevisions(source));
}

/** The revision graph of the source detected in `dir` (see detectSource). */
export function loadGraph(dir: string, alembicConfig: string | null = null): RevisionGraph {
  return sourceGraph(detectSource(dir, alembicConfig));
}
