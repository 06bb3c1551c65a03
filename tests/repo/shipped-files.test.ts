// Every YAML and JSON file the project ships, and every YAML or JSON example the README gives,
// parses with a strict parser; workflow files (ours and the README's GitHub examples) follow
// GitHub's workflow schema. A broken file or example fails CI instead of a user's pipeline.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { describe, expect, it } from "vitest";
import { parseYamlStrict } from "../action/runner.js";

const shipped = execFileSync("git", ["ls-files", "-z"], { encoding: "utf8" })
  .split("\0")
  .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.startsWith("dist/"));

/** Errors of GitHub's workflow schema (empty for a valid workflow). */
function workflowErrors(name: string, content: string): string[] {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((e) => e.message);
}

interface Example {
  readonly where: string;
  readonly lang: string;
  readonly text: string;
}

/** The README's fenced ```yaml and ```json blocks, each named by its line and heading. */
function readmeExamples(): Example[] {
  const lines = readFileSync("README.md", "utf8").split("\n");
  const out: Example[] = [];
  let heading = "(top)";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^#+ /.test(line)) heading = line.replace(/^#+ /, "");
    const open = /^```(\w+)\s*$/.exec(line);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    out.push({ where: `README.md:${start + 1} (${heading})`, lang: open[1]!, text: `${body.join("\n")}\n` });
  }
  return out;
}

/** A README example that is a GitHub Actions workflow (the others are GitLab, CircleCI, ...). */
const isGithubWorkflow = (doc: unknown) => {
  const d = doc as { jobs?: Record<string, { "runs-on"?: unknown }> } | null;
  return !!d?.jobs && Object.values(d.jobs).every((job) => job && "runs-on" in job);
};

describe("shipped files", () => {
  it("are found (the list is not empty by accident)", () => {
    expect(shipped).toEqual(expect.arrayContaining(["action.yml", "package.json", ".github/workflows/ci.yml", ".github/workflows/self-test.yml"]));
  });

  for (const file of shipped) {
    it(`${file} parses strictly`, () => {
      const text = readFileSync(file, "utf8");
      if (file.endsWith(".json")) expect(() => JSON.parse(text)).not.toThrow();
      else expect(() => parseYamlStrict(text, file)).not.toThrow();
    });
  }

  for (const file of shipped.filter((f) => f.startsWith(".github/workflows/"))) {
    it(`${file} follows GitHub's workflow schema`, () => {
      expect(workflowErrors(file, readFileSync(file, "utf8"))).toEqual([]);
    });
  }

  it("the schema check can fail", () => {
    expect(workflowErrors("bad.yml", "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: a/b@v1\n        whith: {}\n").join("\n")).toMatch(/whith/);
  });
});

describe("the README's examples", () => {
  const examples = readmeExamples();

  it("are found", () => {
    expect(examples.filter((e) => e.lang === "yaml").length).toBeGreaterThanOrEqual(6);
    expect(examples.filter((e) => e.lang === "yaml" && isGithubWorkflow(parseYamlStrict(e.text, e.where))).length).toBeGreaterThanOrEqual(2);
  });

  for (const e of examples.filter((x) => x.lang === "yaml" || x.lang === "json")) {
    it(`${e.where} parses strictly${e.lang === "yaml" ? " (and a GitHub workflow follows the schema)" : ""}`, () => {
      if (e.lang === "json") {
        expect(() => JSON.parse(e.text)).not.toThrow();
        return;
      }
      const doc = parseYamlStrict(e.text, e.where);
      if (isGithubWorkflow(doc)) expect(workflowErrors(e.where, e.text)).toEqual([]);
    });
  }
});
