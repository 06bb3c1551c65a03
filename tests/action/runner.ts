// A stand-in for GitHub's Actions runner, for the Action's tests: it starts from action.yml the
// way the runner does, so the file GitHub reads, its defaults and its `runs:` section are what
// the tests exercise.
//
// - action.yml is parsed with a strict YAML parser (duplicate keys, `: ` in a plain scalar and
//   the like are errors, as in the runner) and validated against GitHub's own action schema
//   (@actions/workflow-parser, the parser of GitHub's Actions language service).
// - The step's environment is built from the declared inputs: `with:` values, else each input's
//   default (`${{ github.token }}` stands for the job's token; no other expression is evaluated),
//   as `INPUT_<NAME>` with spaces as `_` and the name upper-cased (hyphens stay), plus the
//   variables the runner sets for every step (GITHUB_*, RUNNER_TEMP, CI).
// - `runs.main` runs with the Node.js major `runs.using` names (node24: the npm package `node`).

import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { NoOperationTraceWriter } from "@actions/workflow-parser";
import { parseAction } from "@actions/workflow-parser/actions/index";
import YAML from "yaml";

export const ACTION_DIR = process.cwd();

/** The Node.js binaries this machine can run an action with, by the `runs.using` value. */
const NODE_BINARIES: Record<string, string> = {
  // GitHub runs `using: node24` actions on Node 24: the npm package `node` (a devDependency).
  node24: join(ACTION_DIR, "node_modules/node/bin/node"),
};

export interface ActionInput {
  readonly description: string;
  readonly required: boolean;
  readonly default: string | undefined;
}

export interface ActionMetadata {
  /** The folder holding action.yml: what `uses:` checks out. */
  readonly dir: string;
  readonly inputs: Readonly<Record<string, ActionInput>>;
  readonly outputs: readonly string[];
  readonly using: string;
  readonly main: string;
}

/** Parses YAML the way GitHub does: strictly, with unique keys; throws naming the file. */
export function parseYamlStrict(text: string, file: string): unknown {
  const docs = YAML.parseAllDocuments(text, { strict: true, uniqueKeys: true, prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const problems = list.flatMap((d) => [...d.errors, ...d.warnings]).map((e) => e.message);
  if (problems.length > 0) throw new Error(`${file} is not valid YAML:\n${problems.join("\n")}`);
  if (list.length !== 1) throw new Error(`${file} holds ${list.length} YAML documents; one is expected.`);
  return list[0]!.toJS();
}

/** Errors of GitHub's action schema for `text` (empty when it is a valid action.yml). */
export function actionSchemaErrors(text: string, file = "action.yml"): string[] {
  const result = parseAction({ name: file, content: text }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((e) => e.message);
}

/** Reads and checks action.yml: strict YAML, GitHub's schema, a Node action. */
export function loadAction(path = join(ACTION_DIR, "action.yml")): ActionMetadata {
  const text = readFileSync(path, "utf8");
  const doc = parseYamlStrict(text, path) as {
    inputs?: Record<string, { description?: unknown; required?: unknown; default?: unknown }>;
    outputs?: Record<string, unknown>;
    runs?: { using?: unknown; main?: unknown };
  };
  const errors = actionSchemaErrors(text, path);
  if (errors.length > 0) throw new Error(`${path} does not follow GitHub's action schema:\n${errors.join("\n")}`);
  const inputs: Record<string, ActionInput> = {};
  for (const [name, spec] of Object.entries(doc.inputs ?? {})) {
    inputs[name] = {
      description: String(spec.description ?? ""),
      required: spec.required === true || spec.required === "true",
      // The runner hands every value over as a string.
      default: spec.default === undefined || spec.default === null ? undefined : String(spec.default),
    };
  }
  const using = String(doc.runs?.using ?? "");
  const main = String(doc.runs?.main ?? "");
  if (!/^node\d+$/.test(using) || main === "") throw new Error(`${path}: runs must be a Node action (using: nodeNN, main: FILE).`);
  return { dir: dirname(resolve(path)), inputs, outputs: Object.keys(doc.outputs ?? {}), using, main };
}

/** The environment variable the runner sets for input `name`. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

/** An input's default as the runner evaluates it: `${{ github.token }}` is the job's token;
 *  any other expression is not something these tests can evaluate. */
function evaluateDefault(value: string, token: string): string {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_m, expr: string) => {
    if (expr === "github.token") return token;
    throw new Error(`action.yml default '${value}' uses the expression '${expr}', which this test runner cannot evaluate.`);
  });
}

export interface StepOptions {
  /** The step's `with:` values, by input name as action.yml spells it. */
  readonly with?: Readonly<Record<string, string>>;
  /** GITHUB_EVENT_NAME, and the payload written to GITHUB_EVENT_PATH (a string is written as is). */
  readonly event: string;
  readonly payload?: unknown;
  /** The job's working directory (GITHUB_WORKSPACE), where the step runs. */
  readonly workspace: string;
  /** Variables of the job (`env:`) and of the runner; they win over the defaults below. */
  readonly env?: Readonly<Record<string, string>>;
  /** What `${{ github.token }}` evaluates to. */
  readonly token?: string;
  /** Another Node.js binary than the one `runs.using` names (to check the bundle on Node 20). */
  readonly node?: string;
}

export interface StepResult {
  readonly code: number;
  /** stdout and stderr, as the runner's log shows them. */
  readonly log: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  /** Inputs given in `with:` that action.yml does not declare (the runner warns about them). */
  readonly unexpectedInputs: readonly string[];
  /** The step's environment, for tests that check what the Action was given. */
  readonly env: Readonly<Record<string, string>>;
}

/** The values of GITHUB_OUTPUT, in the heredoc form @actions/core writes. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^(.+?)<<(ghadelimiter_[^\n]+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

/** The Node.js binary for `runs.using`, checked to be that major version. */
export function nodeFor(using: string): string {
  const binary = NODE_BINARIES[using];
  if (!binary || !existsSync(binary)) throw new Error(`No Node.js for 'runs.using: ${using}' on this machine.`);
  const major = execFileSync(binary, ["--version"]).toString().trim().replace(/^v(\d+).*$/, "$1");
  if (`node${major}` !== using) throw new Error(`${binary} is Node ${major}, not what 'runs.using: ${using}' names.`);
  return binary;
}

/** The INPUT_* variables of a step: every declared input, from `with:` or its default; inputs
 *  action.yml does not declare are passed on too (the runner warns about them). */
export function inputEnvironment(
  action: ActionMetadata,
  given: Readonly<Record<string, string>>,
  token: string,
): { inputs: Record<string, string>; unexpectedInputs: string[] } {
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    inputs[inputVariable(name)] = name in given ? given[name]! : spec.default !== undefined ? evaluateDefault(spec.default, token) : "";
  }
  const unexpectedInputs = Object.keys(given).filter((k) => !(k in action.inputs));
  for (const name of unexpectedInputs) inputs[inputVariable(name)] = given[name]!;
  return { inputs, unexpectedInputs };
}

/** Runs the Action as one step of a job, the way the runner would. */
export function runStep(action: ActionMetadata, options: StepOptions): Promise<StepResult> {
  const dir = mkdtempSync(join(options.workspace, ".runner-"));
  const files = {
    GITHUB_EVENT_PATH: join(dir, "event.json"),
    GITHUB_OUTPUT: join(dir, "output"),
    GITHUB_STEP_SUMMARY: join(dir, "summary"),
    GITHUB_ENV: join(dir, "env"),
    GITHUB_PATH: join(dir, "path"),
    GITHUB_STATE: join(dir, "state"),
  };
  writeFileSync(files.GITHUB_EVENT_PATH, typeof options.payload === "string" ? options.payload : JSON.stringify(options.payload ?? {}));
  for (const f of [files.GITHUB_OUTPUT, files.GITHUB_STEP_SUMMARY, files.GITHUB_ENV, files.GITHUB_PATH, files.GITHUB_STATE]) writeFileSync(f, "");

  const { inputs, unexpectedInputs } = inputEnvironment(action, options.with ?? {}, options.token ?? "ghs_jobtoken");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/root",
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_EVENT_NAME: options.event,
    GITHUB_ACTION_PATH: action.dir,
    RUNNER_TEMP: dir,
    RUNNER_OS: "Linux",
    ...files,
    ...inputs,
    ...options.env,
  };

  const node = options.node ?? nodeFor(action.using);
  const main = resolve(action.dir, action.main);
  return new Promise((done) => {
    execFile(node, [main], { cwd: options.workspace, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({
        code: error ? (typeof (error as { code?: unknown }).code === "number" ? ((error as { code: number }).code) : 1) : 0,
        log: stdout + stderr,
        outputs: parseOutputs(readFileSync(files.GITHUB_OUTPUT, "utf8")),
        summary: readFileSync(files.GITHUB_STEP_SUMMARY, "utf8"),
        unexpectedInputs,
        env,
      });
    });
  });
}
