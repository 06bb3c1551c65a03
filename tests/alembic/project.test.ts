// Alembic projects read without Python, compared with the real Alembic (Debian's 1.8.1) on the
// fixtures: heads, history and branches as Alembic prints them, and offline SQL byte for byte.

import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { alembicAvailable as available, mergeRows, PYTHON } from "../alembic-kit.js";

/** Alembic prints a revision's labels, and the children of a branch point, in Python set
 *  order (it changes with the hash seed); retort sorts labels and lists children in load
 *  order. Compare them as sets. */
const sortLabels = (text: string) =>
  text
    .replace(/\(([^()]*, [^()]*)\)/g, (_, inner: string) => `(${inner.split(", ").sort().join(", ")})`)
    .replace(/(?:^ +-> .*\n)+/gm, (run) => run.split("\n").filter(Boolean).sort().map((l) => `${l}\n`).join(""));

function alembic(fixture: string, ...args: string[]): string {
  return execFileSync(PYTHON, ["-m", "alembic", ...args], {
    cwd: join("tests/fixtures", fixture),
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", DATABASE_URL: "postgresql://retort@localhost/offline" },
    stdio: ["ignore", "pipe", "pipe"],
  }).toString();
}

async function retort(fixture: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["--migrations", join("tests/fixtures", fixture), "--alembic-command", `${PYTHON} -m alembic`, ...args], {
    out: (t) => (out += t),
    err: (t) => (err += t),
  });
  return { code, out, err };
}

describe.runIf(available || process.env.CI)("Alembic projects", () => {
  beforeAll(() => {
    process.env.PYTHONDONTWRITEBYTECODE = "1";
  });

  for (const fixture of ["alembic-tutorial", "alembic-branches"]) {
    it(`${fixture}: heads, history and branches equal Alembic's, without Python`, async () => {
      for (const command of [["heads"], ["history"], ["branches"], ["heads", "--resolve-dependencies"]]) {
        const ours = await retort(fixture, ...command);
        expect(ours.code, ours.err).toBe(0);
        expect(sortLabels(ours.out), command.join(" ")).toBe(sortLabels(alembic(fixture, ...command)));
      }
    });

    it(`${fixture}: upgrade --sql is Alembic's offline output, byte for byte`, async () => {
      const ours = await retort(fixture, "upgrade", "head", "--sql");
      expect(ours.code, ours.err).toBe(0);
      expect(mergeRows(ours.out)).toBe(mergeRows(alembic(fixture, "upgrade", "head", "--sql")));
      if (fixture === "alembic-tutorial") expect(ours.out).toBe(alembic(fixture, "upgrade", "head", "--sql"));
    });
  }

  it("a range and a downgrade render as Alembic renders them", async () => {
    const up = await retort("alembic-tutorial", "upgrade", "b1bc43e2f536:head", "--sql");
    expect(up.out).toBe(alembic("alembic-tutorial", "upgrade", "b1bc43e2f536:head", "--sql"));
    const down = await retort("alembic-tutorial", "downgrade", "head:d5e376c66584", "--sql");
    expect(down.out).toContain("-- Running downgrade b036a88df8fb -> 358cebb507a0");
    expect(down.out).toBe(alembic("alembic-tutorial", "downgrade", "head:d5e376c66584", "--sql").replace(/DROP TABLE alembic_version;\n\n/, ""));
  });

  it("the Flask-Migrate layout (no script_location) reads its graph", async () => {
    const r = await retort("flask-migrate/migrations", "history");
    expect(r.code, r.err).toBe(0);
    expect(r.out.trim().split("\n")).toHaveLength(2);
    expect(r.out).toMatch(/e1f3a5c7b9d2 -> 2c4d6e8f0a1b \(head\)/);
  });

  it("retort revision refuses to write into an Alembic project", async () => {
    const r = await retort("alembic-tutorial", "revision", "-m", "x");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is an Alembic project: create its revisions with 'alembic revision -m MSG'/);
  });
});
