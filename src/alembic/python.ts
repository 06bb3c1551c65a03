// Which Python runs Alembic. retort does not run `--alembic-command` as given: it runs its
// bootstrap (bootstrap.ts) with the interpreter behind that command, so that Alembic gets no
// password file, dies with retort and records its steps in their own transactions. The
// interpreter is found from the command's usual shapes; any other shape is one clear error
// (running the command without the bootstrap would silently give up those guarantees).

import { accessSync, closeSync, constants, openSync, readSync, statSync } from "node:fs";
import { basename, delimiter, isAbsolute, join } from "node:path";
import { RetortError } from "../core/errors.js";

export interface PythonLaunch {
  /** The words that start the interpreter: ["python3"], ["/venv/bin/python"], ["poetry", "run", "python"]. */
  readonly python: readonly string[];
  /** Words of the command after Alembic itself (Alembic's global options, e.g. `-n db2`). */
  readonly alembicOptions: readonly string[];
}

/** How to look at the machine: PATH lookup and the start of a file (injected by tests). */
export interface Lookup {
  which(name: string): string | null;
  head(path: string): string | null;
}

const PYTHON = /^(python|pypy)(\d+(\.\d+)*)?(\.exe)?$/i;
const ALEMBIC = /^alembic(\.exe)?$/i;
const isPython = (word: string) => PYTHON.test(basename(word));

/** The interpreter a script's first line names: `#!/venv/bin/python3`, `#!/usr/bin/env python3`
 *  (`env -S ...` too), or the `#!/bin/sh` launcher pip writes for long paths
 *  (`'''exec' "/long/path/python" "$0" "$@"`). null for anything else. */
export function shebangInterpreter(text: string): string[] | null {
  const first = text.split("\n", 1)[0]!.replace(/\r$/, "");
  if (!first.startsWith("#!")) return null;
  const words = first.slice(2).trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  if (/^(sh|bash|dash)$/.test(basename(words[0]!))) {
    const m = /^'''exec' (?:"([^"]+)"|(\S+)) "\$0" "\$@"/m.exec(text);
    return m ? [m[1] ?? m[2]!] : null;
  }
  if (basename(words[0]!) === "env" && words[1] === "-S") words.splice(1, 1);
  return words;
}

function cannotTell(command: readonly string[], why: string): RetortError {
  return new RetortError(
    "usage",
    `Cannot tell which Python runs Alembic in --alembic-command '${command.join(" ")}' (${why}): retort runs Alembic ` +
      `through a small bootstrap of its own with that interpreter. Give the command as 'PYTHON -m alembic' ` +
      `(e.g. '/opt/venv/bin/python -m alembic'), as the alembic script ('alembic', '/opt/venv/bin/alembic'), or as a ` +
      `runner followed by alembic ('poetry run alembic', 'uv run alembic').`,
  );
}

export function notFound(command: readonly string[]): RetortError {
  return new RetortError(
    "usage",
    `Cannot run Alembic ('${command.join(" ")}'): not found. Install it (pip install alembic, or Debian's ` +
      `python3-alembic), pass --alembic-command (e.g. 'python3 -m alembic'), or use the retort image's alembic variant.`,
  );
}

/** The interpreter behind `command`:
 *  - `... -m alembic [options]`: the words before `-m` (`python3`, `poetry run python`);
 *  - `[python] path/to/alembic [options]` after words naming Python: those words;
 *  - `alembic` or a path to it alone (or any one word): the interpreter of the script's first line;
 *  - `RUNNER... alembic` (poetry run, uv run, pipenv run, conda run -n x, ...): the runner with
 *    `python` in place of alembic. */
export function pythonLaunch(command: readonly string[], look: Lookup): PythonLaunch {
  const m = command.findIndex((w, i) => w === "-m" && command[i + 1] === "alembic");
  if (m >= 0) {
    const python = command.slice(0, m);
    if (!python.some(isPython)) throw cannotTell(command, "no Python interpreter before '-m alembic'");
    return { python, alembicOptions: command.slice(m + 2) };
  }
  let a = -1;
  command.forEach((w, i) => {
    if (ALEMBIC.test(basename(w))) a = i;
  });
  // One word of another name: a script of its own (an alembic entry point under another name).
  if (a < 0 && command.length === 1) a = 0;
  if (a < 0) throw cannotTell(command, "it names neither 'alembic' nor '-m alembic'");
  const before = command.slice(0, a);
  const alembicOptions = command.slice(a + 1);
  if (before.some(isPython)) return { python: before, alembicOptions };
  if (before.length > 0) return { python: [...before, "python"], alembicOptions };
  const word = command[a]!;
  const script = word.includes("/") || isAbsolute(word) ? word : look.which(word);
  const head = script === null ? null : look.head(script);
  if (head === null) throw notFound(command);
  const python = shebangInterpreter(head);
  if (python === null || !python.some(isPython)) {
    throw cannotTell(command, `${script} does not start with a '#!' line naming Python`);
  }
  return { python, alembicOptions };
}

/** The machine's PATH lookup and file heads. */
export function systemLookup(path: string | undefined): Lookup {
  return {
    which(name) {
      for (const dir of (path ?? "").split(delimiter)) {
        if (dir === "") continue;
        const candidate = join(dir, name);
        try {
          accessSync(candidate, constants.X_OK);
          if (statSync(candidate).isFile()) return candidate;
        } catch {
          // not here
        }
      }
      return null;
    },
    head(file) {
      try {
        const fd = openSync(file, "r");
        try {
          const buf = Buffer.alloc(1024);
          const n = readSync(fd, buf, 0, buf.length, 0);
          return buf.subarray(0, n).toString("utf8");
        } finally {
          closeSync(fd);
        }
      } catch {
        return null;
      }
    },
  };
}
