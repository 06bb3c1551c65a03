// Under CI, no database URL is an error, never the embedded database: a withheld secret (GitLab
// keeps masked variables from unprotected branches) must not turn `plan --comment` into a plan
// of an empty database or `upgrade` into a success. Locally the embedded default stays, and an
// explicit pglite:// works everywhere. The bundled CLI, in a directory of its own, with an
// environment that holds only what each case sets.

import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectCi } from "../../src/options.js";

const CLI = join(process.cwd(), "dist/cli.js");
let root: string;

function workdir(): string {
  const dir = mkdtempSync(join(root, "w-"));
  cpSync("migrations", join(dir, "migrations"), { recursive: true });
  return dir;
}

function retort(cwd: string, env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error("run npm run build first: this test spawns dist/cli.js");
  root = mkdtempSync(join(tmpdir(), "retort-ci-default-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("detectCi", () => {
  it("names the CI system's own variable first, and ignores a generic CI=false", () => {
    expect(detectCi({})).toBeNull();
    expect(detectCi({ CI: "true" })).toBe("CI");
    expect(detectCi({ CI: "true", GITLAB_CI: "true" })).toBe("GITLAB_CI");
    expect(detectCi({ CI: "false" })).toBeNull();
    expect(detectCi({ CI: "0" })).toBeNull();
    expect(detectCi({ CI: "" })).toBeNull();
    // Builds set CI=false to quiet other tools; the vendor's variable still says CI.
    expect(detectCi({ CI: "false", NETLIFY: "true" })).toBe("NETLIFY");
    for (const name of ["GITHUB_ACTIONS", "JENKINS_URL", "BUILDKITE", "CIRCLECI", "TF_BUILD", "BITBUCKET_BUILD_NUMBER", "TEAMCITY_VERSION", "TRAVIS", "CODEBUILD_BUILD_ID", "DRONE", "bamboo_buildKey"]) {
      expect(detectCi({ [name]: "x" }), name).toBe(name);
    }
  });
});

describe("no database URL", () => {
  for (const [variable, value] of [
    ["CI", "true"],
    ["GITLAB_CI", "true"],
    ["GITHUB_ACTIONS", "true"],
    ["JENKINS_URL", "https://jenkins.example/"],
  ] as const) {
    it(`under ${variable}: every database command is one usage error (exit 2), and nothing is created`, () => {
      const dir = workdir();
      for (const args of [["upgrade"], ["plan"], ["plan", "--comment"], ["current"], ["log"], ["check"], ["stamp", "head"], ["downgrade", "base"]]) {
        // An empty DATABASE_URL (a withheld masked variable expands to nothing) is no URL either.
        const r = retort(dir, { [variable]: value, DATABASE_URL: "" }, ...args);
        expect(r.code, `${args.join(" ")}: ${r.err}`).toBe(2);
        expect(r.out).toBe("");
        const lines = r.err.trimEnd().split("\n");
        expect(lines, r.err).toHaveLength(1);
        expect(lines[0]).toBe(
          `retort: No database URL, and ${variable} is set (a CI run): set DATABASE_URL or RETORT_DATABASE_URL (or pass --database-url; CI systems withhold ` +
            "protected or masked variables on some branches), or pass --database-url pglite://PATH to use an embedded database on purpose.",
        );
      }
      expect(readdirSync(dir)).toEqual(["migrations"]);
    });
  }

  it("under CI, commands that need no database still work", () => {
    const dir = workdir();
    expect(retort(dir, { CI: "true" }, "upgrade", "head", "--sql").code).toBe(0);
    expect(retort(dir, { CI: "true" }, "heads").code).toBe(0);
    expect(readdirSync(dir)).toEqual(["migrations"]);
  });

  it("under CI, an explicit pglite:// (flag or variable) is used", () => {
    const dir = workdir();
    const flag = retort(dir, { CI: "true" }, "upgrade", "--database-url", "pglite://db");
    expect(flag.code, flag.err).toBe(0);
    expect(flag.out).toMatch(/Upgraded pglite:\/\/db from base to 5f2c8e91d0a4/);
    expect(flag.err).toBe("");
    const variable = retort(dir, { GITLAB_CI: "true", DATABASE_URL: "pglite://db" }, "current");
    expect(variable.code, variable.err).toBe(0);
    expect(variable.out).toBe("5f2c8e91d0a4 (head) (mergepoint)\n");
    expect(existsSync(join(dir, ".retort"))).toBe(false);
  });

  it("without a CI variable: the embedded default, with its notice", () => {
    const dir = workdir();
    const r = retort(dir, {}, "upgrade");
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe("retort: No database URL given (--database-url, RETORT_DATABASE_URL or DATABASE_URL): using the embedded database at .retort/pglite.\n");
    expect(r.out).toMatch(/Upgraded pglite:\/\/\.retort\/pglite from base to 5f2c8e91d0a4/);
    expect(existsSync(join(dir, ".retort", "pglite"))).toBe(true);
    // CI=false is not a CI.
    expect(retort(dir, { CI: "false" }, "current").code).toBe(0);
  });
});
