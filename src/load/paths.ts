// Path questions the loaders ask in several places: whether a path lies within a folder (the
// bound every link and module lookup keeps to), and a path written with `/` as messages and
// reports show it on every system.

import { isAbsolute, relative, sep } from "node:path";

/** Whether `path` is `base` or below it (both already resolved, links followed where it matters). */
export function isWithin(base: string, path: string): boolean {
  const within = relative(base, path);
  return within === "" || (!within.startsWith("..") && !isAbsolute(within));
}

/** `path` with `/` between its parts. */
export const slashed = (path: string): string => path.split(sep).join("/");
