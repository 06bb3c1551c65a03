// Which Alembic project (if any) a run means: the ini a user expects retort to read, found the
// way `alembic` finds its own and the way projects lay theirs out.
//
// In order:
//   1. `--alembic-config PATH` (RETORT_ALEMBIC_CONFIG): that ini, whatever else is there.
//   2. The ini Alembic itself would read here: ALEMBIC_CONFIG (Alembic 1.8 and current both
//      honour it), else `./alembic.ini` in the current directory (`alembic init migrations`
//      puts it in the project root with `script_location = migrations`). It is the project
//      when its script_location is the migrations folder, or when no --migrations was given at
//      all (RETORT_MIGRATIONS, the Action's migrations input count as given). When it points
//      elsewhere and the migrations folder holds a project of its own, nothing is guessed: the
//      error names both and what to pass.
//   3. `DIR/alembic.ini`: an ini in the migrations folder (Flask-Migrate's
//      `migrations/alembic.ini`, or DIR given as the project root).
//   4. An `alembic.ini` in a folder above DIR whose script_location is DIR.
//   5. `DIR/env.py` beside `DIR/versions/`, no ini: DIR is the script location.
//   6. Nothing: DIR is a native project (or none).
// Two inis configuring the same folder (./alembic.ini and DIR/alembic.ini) are an error asking
// for --alembic-config.

import { realpathSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { RetortError } from "../core/errors.js";
import type { RevisionGraph } from "../core/graph.js";
import { defaultProject, kindOf, peekScriptLocation, readAlembicConfig, type AlembicProject } from "./alembic-config.js";
import { listRevisionFiles } from "./native-files.js";
import { isWithin, slashed } from "./paths.js";

/** What decides the source (a subset of Options). */
export interface SourceOptions {
  /** The migrations folder (`--migrations`, default `migrations`). */
  readonly migrations: string;
  /** `--alembic-config`; null, undefined or "" when not given. */
  readonly alembicConfig?: string | null;
  /** False when `migrations` is the default, not given by the user. Default true. */
  readonly migrationsGiven?: boolean;
  /** ALEMBIC_CONFIG: the ini Alembic reads instead of ./alembic.ini. */
  readonly alembicConfigEnv?: string | null;
  /** `--version-locations` patterns; empty: the ini's version_locations. */
  readonly versionLocations?: readonly string[];
}

/** The ini Alembic would read in the current directory, and how a message names it. */
export interface HereIni {
  readonly path: string;
  readonly shown: string;
  /** Where its script_location points (see peekScriptLocation), or null. */
  readonly points: string | null;
}

export interface FoundProject {
  readonly project: AlembicProject;
  /** The migrations directory to show (the folder given, or the ini's script location). */
  readonly directory: string;
}

const given = (v: string | null | undefined): v is string => v !== undefined && v !== null && v.trim() !== "";

/** A path as messages show it: relative to the current directory when below it. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" ? "." : isWithin(process.cwd(), path) ? slashed(rel) : path;
}

/** The folder messages and reports name as the project's: the one given to --migrations, or
 *  else (`migrations` being only the default, which a project found through ./alembic.ini or
 *  --alembic-config may not have) an Alembic project's script location, where its env.py is. */
export function projectFolder(graph: RevisionGraph, options: { readonly migrations: string; readonly migrationsGiven?: boolean }): string {
  const location = graph.revisions.find((r) => r.alembic)?.alembic?.project.scriptLocation;
  return location === undefined || options.migrationsGiven !== false ? options.migrations : shownPath(location);
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

export const samePath = (a: string, b: string): boolean => real(a) === real(b);

/** ALEMBIC_CONFIG's ini (which must exist, as Alembic needs it), else ./alembic.ini, else null.
 *  Current Alembic takes an ALEMBIC_CONFIG named pyproject.toml as its TOML file and still reads
 *  ./alembic.ini; retort reads ini files only, so it does the same. */
export function hereIni(alembicConfigEnv: string | null | undefined): HereIni | null {
  if (given(alembicConfigEnv) && basename(alembicConfigEnv) !== "pyproject.toml") {
    const path = resolve(alembicConfigEnv);
    if (kindOf(path) !== "file") {
      throw new RetortError(
        "usage",
        `ALEMBIC_CONFIG is '${alembicConfigEnv}', which ${kindOf(path) === null ? "does not exist" : "is not a file"}. ` +
          `Alembic and retort read it instead of ./alembic.ini: point it at your alembic.ini, or unset it.`,
      );
    }
    return { path, shown: `ALEMBIC_CONFIG's '${alembicConfigEnv}'`, points: peekScriptLocation(path) };
  }
  const path = resolve("alembic.ini");
  return kindOf(path) === "file" ? { path, shown: "./alembic.ini", points: peekScriptLocation(path) } : null;
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

/** An alembic.ini in a folder above `target` whose script_location is `target`. */
function iniAbove(target: string, skip: string | null): string | null {
  for (let dir = dirname(target); ; dir = dirname(dir)) {
    const ini = join(dir, "alembic.ini");
    if (kindOf(ini) === "file" && (skip === null || !samePath(ini, skip))) {
      const points = peekScriptLocation(ini);
      if (points !== null && samePath(points, target)) return ini;
    }
    if (dirname(dir) === dir) return null;
  }
}

/** What `target` holds that makes it a project of its own, for the message; null for nothing. */
function ownProject(target: string): string | null {
  if (kindOf(join(target, "alembic.ini")) === "file") return "an alembic.ini";
  if (kindOf(join(target, "env.py")) === "file") return "an env.py (an Alembic script directory without an ini)";
  if (kindOf(target) !== "dir") return null;
  try {
    const n = listRevisionFiles(target).length;
    return n > 0 ? `${n} native .sql revision${n === 1 ? "" : "s"}` : null;
  } catch {
    return null;
  }
}

const pointsText = (here: HereIni): string =>
  here.points === null ? "names no usable script_location" : `has script_location '${shownPath(here.points)}'`;

/** The here-ini decides when it names `target`, or when no folder was given (then it is the
 *  project unless the default folder holds one of its own). */
function fromHereIni(here: HereIni, o: SourceOptions, target: string): FoundProject | null {
  const own = join(target, "alembic.ini");
  if (samePath(here.path, own)) return null;
  if (here.points !== null && samePath(here.points, target)) {
    if (kindOf(own) === "file") {
      throw new RetortError(
        "usage",
        `Both ${here.shown} and '${shownPath(own)}' configure the Alembic scripts in '${o.migrations}'. ` +
          `Pass --alembic-config with the one retort should read.`,
      );
    }
    return { project: readAlembicConfig(here.path), directory: o.migrations };
  }
  if (o.migrationsGiven !== false) return null;
  const holds = ownProject(target);
  if (holds !== null) {
    throw new RetortError(
      "usage",
      `${here.shown} ${pointsText(here)}, but the default migrations folder '${o.migrations}' holds ${holds}. ` +
        `Pass --alembic-config ${shownPath(here.path)} to use the ini's project, or --migrations ${o.migrations} to use '${o.migrations}'.`,
    );
  }
  const project = readAlembicConfig(here.path);
  return { project, directory: shownPath(project.scriptLocation) };
}

/** The Alembic project `o` means (see the order above), or null for a native one. */
export function findAlembicProject(o: SourceOptions): FoundProject | null {
  const dir = o.migrations;
  if (given(o.alembicConfig)) return { project: readAlembicConfig(givenConfig(dir, o.alembicConfig)), directory: dir };
  const target = resolve(dir);
  const here = hereIni(o.alembicConfigEnv);
  const fromHere = here ? fromHereIni(here, o, target) : null;
  if (fromHere) return fromHere;
  const own = join(target, "alembic.ini");
  if (kindOf(own) === "file") return { project: readAlembicConfig(own), directory: dir };
  const above = iniAbove(target, here?.path ?? null);
  if (above) return { project: readAlembicConfig(above), directory: dir };
  const envPy = kindOf(join(target, "env.py")) === "file";
  if (here && (envPy || kindOf(target) === null)) {
    const useHere = `To use that ini's project, leave --migrations out (or pass --alembic-config ${shownPath(here.path)})`;
    throw new RetortError(
      "usage",
      envPy
        ? `'${dir}' holds an env.py but no alembic.ini, and ${here.shown} ${pointsText(here)}, not '${dir}'. ${useHere}; ` +
            `for '${dir}', pass --alembic-config with its own alembic.ini.`
        : `The migrations folder '${dir}' does not exist, and ${here.shown} ${pointsText(here)}. ${useHere}.`,
    );
  }
  const locationsGiven = (o.versionLocations ?? []).length > 0;
  if (envPy && (locationsGiven || kindOf(join(target, "versions")) === "dir")) return { project: defaultProject(target), directory: dir };
  return null;
}
