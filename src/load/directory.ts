// The migrations directory: what kind of source it is, decided once, and its revision graph.
//
// Which Alembic project a run means (an explicit ini, the ini Alembic itself would read, one in
// or above the folder, an env.py folder without one) is find-project.ts's decision; anything
// else is native `.sql` revisions (native-files.ts), and the folder need not exist yet.
// `--version-locations` replaces the project's version locations (version-globs.ts). A source
// that yields no revision where its files show that this is a mistake is an error saying what
// was found and what to pass (empty-source.ts).
//
// Everything after the detection works from the source it returns: the loader reads that
// source's files, and each revision of an Alembic project carries where Alembic runs it, so
// rendering and applying its SQL never look at the directory again.

import { resolve } from "node:path";
import { RetortError } from "../core/errors.js";
import { RevisionGraph } from "../core/graph.js";
import type { Revision } from "../core/revision.js";
import type { AlembicProject } from "./alembic-config.js";
import { loadAlembicRevisions } from "./alembic-files.js";
import { explainEmptyAlembic, explainEmptyNative, ignoredSubfolders } from "./empty-source.js";
import { findAlembicProject, hereIni, type HereIni, type SourceOptions } from "./find-project.js";
import { loadRevisions } from "./native-files.js";
import { alembicVersionOptions, expandVersionLocations } from "./version-globs.js";

export type { SourceOptions } from "./find-project.js";

/** Native `.sql` revisions in `directory`. */
export interface NativeSource {
  readonly kind: "native";
  /** The migrations directory as given (paths in errors and revisions start with it). */
  readonly directory: string;
  /** The ini Alembic would read in the current directory, which names another folder: for the
   *  hint when the folder holds no revisions. */
  readonly hereIni?: HereIni;
}

/** An Alembic project (Python revisions, read statically; their SQL comes from Alembic). */
export interface AlembicSource extends AlembicProject {
  readonly kind: "alembic";
  /** The migrations directory as given. */
  readonly directory: string;
}

export type MigrationSource = NativeSource | AlembicSource;

/** `project` with the version locations of --version-locations, which Alembic is told too. */
function withVersionLocations(project: AlembicProject, versionLocations: string[]): AlembicProject {
  const mainOptions = { ...project.mainOptions, ...alembicVersionOptions(versionLocations, project.pathSeparator) };
  return { ...project, versionLocations, versionLocationsGiven: true, mainOptions };
}

/** The options of a source: SourceOptions, or (the older form) the migrations folder and
 *  `--alembic-config`, the folder counting as given. */
function sourceOptions(o: SourceOptions | string, alembicConfig?: string | null): SourceOptions {
  return typeof o === "string" ? { migrations: o, alembicConfig: alembicConfig ?? null } : o;
}

/** What the options point at (see find-project.ts for the order). `alembicConfig` is relative
 *  to the current directory, as are the folder and ALEMBIC_CONFIG. Throws RetortError("usage")
 *  for a config that exists but cannot be used, or a choice retort will not guess. */
export function detectSource(options: SourceOptions | string, alembicConfig?: string | null): MigrationSource {
  const o = sourceOptions(options, alembicConfig);
  const found = findAlembicProject(o);
  if (found === null) {
    if ((o.versionLocations ?? []).length > 0) {
      throw new RetortError(
        "usage",
        `--version-locations is for an Alembic project, and '${o.migrations}' is none (no alembic.ini found for it, no env.py in it). ` +
          `Pass --migrations the folder that holds env.py, or --alembic-config its alembic.ini.`,
      );
    }
    const here = samePlace(o.migrations) ? null : hereIni(o.alembicConfigEnv);
    return { kind: "native", directory: o.migrations, ...(here ? { hereIni: here } : {}) };
  }
  const patterns = o.versionLocations ?? [];
  const project: AlembicProject =
    patterns.length === 0
      ? found.project
      : withVersionLocations(found.project, expandVersionLocations(patterns, found.project.root));
  return { kind: "alembic", directory: found.directory, ...project };
}

/** What every loader of `source` does with the revisions it read: none is an error where the
 *  files show a mistake (see empty-source.ts); revision files left unread go to `warn`. */
export function checkLoaded(source: MigrationSource, revisions: readonly Revision[], warn: (line: string) => void): void {
  if (revisions.length > 0) {
    if (source.kind === "alembic") for (const line of ignoredSubfolders(source)) warn(line);
    return;
  }
  const why =
    source.kind === "alembic"
      ? explainEmptyAlembic(source, source.versionLocationsGiven === true)
      : explainEmptyNative(source.directory, source.hereIni ?? null);
  if (why) throw why;
}

/** Every revision of `source`, in its load order (Alembic's map order), checked (checkLoaded). */
function sourceRevisions(source: MigrationSource, warn: (line: string) => void): Revision[] {
  const revisions = source.kind === "alembic" ? loadAlembicRevisions(source) : loadRevisions(source.directory);
  checkLoaded(source, revisions, warn);
  return revisions;
}

/** Whether `dir` is the current directory (whose alembic.ini is then no hint). */
const samePlace = (dir: string): boolean => resolve(dir) === process.cwd();

const quiet = (): void => undefined;

/** The revision graph of `source`; `warn` hears of revision files left unread. */
export function sourceGraph(source: MigrationSource, warn: (line: string) => void = quiet): RevisionGraph {
  return RevisionGraph.build(sourceRevisions(source, warn));
}

/** The revision graph of the source the options point at (see detectSource); `warn` hears of
 *  revision files left unread. */
export function loadGraph(options: SourceOptions | string, alembicConfig: string | null = null, warn: (line: string) => void = quiet): RevisionGraph {
  return sourceGraph(detectSource(options, alembicConfig), warn);
}
