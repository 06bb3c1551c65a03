// What the tests that compare retort with the real Alembic share: Debian's Python with Alembic
// 1.8.1 (the `python3` on a developer's PATH may be another, without it), whether it is
// there, retort's CLI run from a folder as a user would run it, and the normalisation of the
// one place Alembic's offline SQL follows a Python set.

import { execFileSync } from "node:child_process";
import { main } from "../src/cli/main.js";

export const PYTHON = "/usr/bin/python3";
/** `--alembic-command` for that Python. */
export const ALEMBIC_COMMAND = `${PYTHON} -m alembic`;

/** Whether PYTHON can import Alembic (suites run anyway under CI, where it must). */
export const alembicAvailable: boolean = (() => {
  try {
    execFileSync(PYTHON, ["-c", "import alembic"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** retort's CLI (with ALEMBIC_COMMAND) run from `cwd`, the current directory restored after. */
export async function retortIn(cwd: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(["--alembic-command", ALEMBIC_COMMAND, ...args], { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  } finally {
    process.chdir(previous);
  }
}

/** Which row a merge (or a step onto a dependency) keeps comes from a Python set in Alembic:
 *  the DELETE and UPDATE of such a step are compared as "the rows change", not by value. */
export const mergeRows = (sql: string): string =>
  sql.replace(/DELETE FROM alembic_version WHERE .*;\n\nUPDATE alembic_version SET .*;\n/g, "<merge: DELETE one parent, UPDATE the other>\n");
