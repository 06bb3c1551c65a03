// action.yml is what GitHub reads before anything of retort runs: it must parse strictly, follow
// GitHub's action schema, declare exactly the inputs the Action reads and the outputs it sets,
// give the defaults the CLI has, and be what the README documents.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readInputs } from "../../src/action/inputs.js";
import { makeOptions } from "../../src/options.js";
import { ACTION_OUTPUTS, actionDefault, allSettings } from "../../src/settings.js";
import { actionSchemaErrors, inputEnvironment, inputVariable, loadAction, parseYamlStrict } from "./runner.js";

const ACTION = loadAction();
const TEXT = readFileSync("action.yml", "utf8");
const ACTION_SOURCES = ["src/action/inputs.ts", "src/action/main.ts"].map((f) => readFileSync(f, "utf8")).join("\n");

describe("the checks themselves", () => {
  it("reject a plain scalar holding ': ' (the bug that kept the Action from loading on GitHub)", () => {
    const broken = TEXT.replace('description: "What an applied revision whose SQL changed does: warn or fail."', "description: What an applied revision whose SQL changed does: warn or fail.");
    expect(broken).not.toBe(TEXT);
    expect(() => parseYamlStrict(broken, "action.yml")).toThrow(/action\.yml is not valid YAML/);
    expect(actionSchemaErrors(broken).join("\n")).toMatch(/Nested mappings are not allowed/);
  });

  it("reject duplicate keys, an unknown runtime and unknown keys", () => {
    expect(() => parseYamlStrict("name: a\nname: b\n", "x.yml")).toThrow(/not valid YAML/);
    expect(actionSchemaErrors(TEXT.replace("using: node24", "using: node99")).join("\n")).toMatch(/node99/);
    expect(actionSchemaErrors(TEXT.replace("branding:", "brandnig:")).join("\n")).toMatch(/brandnig/);
  });
});

describe("action.yml", () => {
  it("parses strictly and follows GitHub's action schema", () => {
    expect(() => parseYamlStrict(TEXT, "action.yml")).not.toThrow();
    expect(actionSchemaErrors(TEXT)).toEqual([]);
    expect(ACTION.using).toBe("node24");
    expect(ACTION.main).toBe("dist/action.js");
  });

  it("declares exactly the inputs the Action reads", () => {
    const read = new Set([...ACTION_SOURCES.matchAll(/(?:getInput|bool)\("([a-z-]+)"\)/g)].map((m) => m[1]!));
    expect([...read].sort()).toEqual(Object.keys(ACTION.inputs).sort());
  });

  it("declares exactly the outputs the Action sets", () => {
    const set = new Set([...ACTION_SOURCES.matchAll(/setOutput\("([a-z-]+)"/g)].map((m) => m[1]!));
    expect([...set].sort()).toEqual([...ACTION.outputs].sort());
  });

  it("declares the settings table's inputs, with its defaults and descriptions (src/settings.ts)", () => {
    const table = Object.fromEntries(
      allSettings().flatMap((s) => (s.action ? [[s.action.name, { description: s.action.description, required: false, default: actionDefault(s) }]] : [])),
    );
    expect(ACTION.inputs).toEqual(table);
  });

  it("declares the settings table's outputs, with its descriptions", () => {
    const doc = parseYamlStrict(TEXT, "action.yml") as { outputs: Record<string, { description: string }> };
    expect(Object.entries(doc.outputs).map(([name, o]) => ({ name, description: o.description }))).toEqual(ACTION_OUTPUTS.map((o) => ({ ...o })));
  });

  it("every input is optional with a described default (the Action decides what a run needs)", () => {
    for (const [name, input] of Object.entries(ACTION.inputs)) {
      expect(input.required, name).toBe(false);
      expect(input.default, name).toBeDefined();
      expect(input.description.length, name).toBeGreaterThan(10);
    }
  });

  it("the README documents every input and output, and no other", () => {
    const readme = readFileSync("README.md", "utf8");
    const table = (header: string) => {
      const start = readme.indexOf(`\n${header}\n`);
      expect(start, header).toBeGreaterThan(0);
      const rows = readme.slice(start + 1).split("\n\n")[0]!.split("\n").slice(2);
      return rows.flatMap((row) => [...row.split("|")[1]!.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]!)).sort();
    };
    expect(table("| input | meaning | default |")).toEqual(Object.keys(ACTION.inputs).sort());
    expect(table("| output | meaning |")).toEqual([...ACTION.outputs].sort());
  });
});

describe("the defaults users get", () => {
  const saved = { ...process.env };
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "retort-action-defaults-"));
  });
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    rmSync(dir, { recursive: true, force: true });
  });

  /** readInputs() in this process, with the environment the runner gives a step. */
  const inputsFor = (given: Record<string, string>, event: string, payload: unknown) => {
    for (const k of Object.keys(process.env)) if (k.startsWith("INPUT_") || k.startsWith("GITHUB_")) delete process.env[k];
    writeFileSync(join(dir, "event.json"), JSON.stringify(payload));
    Object.assign(process.env, inputEnvironment(ACTION, given, "ghs_jobtoken").inputs, {
      GITHUB_EVENT_NAME: event,
      GITHUB_EVENT_PATH: join(dir, "event.json"),
      GITHUB_REPOSITORY: "o/r",
    });
    return readInputs("1.2.3");
  };

  it("are the CLI's defaults", () => {
    const s = inputsFor({ "database-url": "postgresql://ci@db/app" }, "pull_request", { pull_request: { number: 7 } });
    expect(s.options).toEqual(makeOptions({ databaseUrl: "postgresql://ci@db/app", identity: s.options.identity }));
    expect(s).toMatchObject({
      command: "plan",
      target: "head",
      dryRun: false,
      comment: true,
      environment: "",
      token: "ghs_jobtoken",
      from: [],
      pullRequest: { owner: "o", repo: "r", number: 7 },
    });
  });

  it("each input reaches the settings under its runner name", () => {
    expect(inputVariable("database-url")).toBe("INPUT_DATABASE-URL");
    expect(inputVariable("a b")).toBe("INPUT_A_B");
    const s = inputsFor(
      { "database-url": "mysql://ci@db/app", migrations: "db/m", target: "ae10", "lock-timeout": "5", "on-drift": "fail", "version-table": "v", "history-table": "h", command: "upgrade", "alembic-env": "APP_*, SETTINGS_MODULE" },
      "push",
      {},
    );
    expect(s.command).toBe("upgrade");
    expect(s.target).toBe("ae10");
    expect(s.options).toMatchObject({ migrations: "db/m", lockTimeoutSeconds: 5, onDrift: "fail", versionTable: { table: "v" }, historyTable: "h" });
    expect(s.options.alembicEnv).toEqual(["APP_*", "SETTINGS_MODULE"]);
  });

  it("command auto follows the event", () => {
    expect(inputsFor({}, "push", {}).command).toBe("upgrade");
    expect(inputsFor({}, "merge_group", {}).command).toBe("plan");
    expect(inputsFor({}, "issue_comment", {}).command).toBe("plan");
  });
});
