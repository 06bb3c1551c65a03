// The bundled CLI (dist/cli.js) as users run it: a separate node process, real exit codes.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";

const CLI = "dist/cli.js";

beforeAll(() => {
  if (!existsSync(CLI)) execFileSync("npm", ["run", "build"], { stdio: "ignore" });
}, 60_000);

/** The environment without RETORT_MIGRATIONS, so that only --migrations and the default count,
 *  and without the variables of a CI whose log takes commands (machine output on a pipe is
 *  fenced there; tests/cli/untrusted-output.test.ts covers that). */
const ENV = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !["RETORT_MIGRATIONS", "GITHUB_ACTIONS", "TF_BUILD", "TEAMCITY_VERSION"].includes(k)),
);

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: ENV });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("dist/cli.js", () => {
  it("--help exits 0 with the usage on stdout", () => {
    const r = cli("--help");
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toMatch(/^Usage: retort \[options\] \[command\]\n/);
  });

  it("--version prints the package version", () => {
    const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    expect(cli("--version")).toEqual({ code: 0, out: `${version}\n`, err: "" });
  });

  it("heads against migrations/ exits 0", () => {
    expect(cli("--migrations", "migrations", "heads")).toEqual({ code: 0, out: "5f2c8e91d0a4 (marketplace) (head)\n", err: "" });
  });

  it("reads migrations/ by default", () => {
    expect(cli("heads", "--json")).toEqual({ code: 0, out: '{\n  "heads": [\n    "5f2c8e91d0a4"\n  ]\n}\n', err: "" });
  });

  it("an error exits 2 with a single line on stderr", () => {
    const r = cli("--migrations", "migrations", "show", "ffffffff");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toBe("retort: No such revision or branch 'ffffffff'\n");
  });

  it("a usage error exits 2", () => {
    const r = cli("--migrations", "migrations", "downgrade", "head", "--sql");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err.trimEnd().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/^retort: downgrade with --sql requires <fromrev>:<torev>/);
  });

  it("upgrade --sql writes the whole script to stdout", () => {
    const r = cli("--migrations", "migrations", "upgrade", "head", "--sql");
    expect(r.code).toBe(0);
    expect(r.out.startsWith("BEGIN;\n\nCREATE TABLE alembic_version (")).toBe(true);
    expect(r.out.endsWith("COMMIT;\n\n")).toBe(true);
  });
});
