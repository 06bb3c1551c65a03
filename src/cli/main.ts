// The command-line front end: argv and the environment → CliInputs → Options → command →
// stdout, and errors → one line on stderr with an exit code (0 success, 1 a migration or check
// failed, 2 bad input or usage).

import { CommanderError } from "commander";
import { RetortError, RUN_FAILURES } from "../core/errors.js";
import { readCliInputs } from "./inputs.js";
import { makeOutput, type Io, type Output } from "./output.js";
import { buildProgram } from "./program.js";

export type { Io } from "./output.js";

declare const RETORT_VERSION: string | undefined;
const VERSION = typeof RETORT_VERSION === "string" ? RETORT_VERSION : "0.0.0-dev";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Runs the CLI; returns the exit code instead of exiting so tests can call it in-process. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const inputs = readCliInputs(argv, process.env, VERSION);
  const output = makeOutput(io, inputs);
  const program = buildProgram(output, inputs, VERSION);
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT_OK;
  } catch (e) {
    return failure(e, output, argv.includes("--debug"));
  }
}

/** The exit code of an error, after saying it in one line (and its stack with --debug). */
function failure(e: unknown, output: Output, debug: boolean): number {
  if (e instanceof CommanderError) {
    return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (e instanceof RetortError) {
    output.err(`retort: ${e.message}\n`);
    if (debug && e.stack) output.err(`${e.stack}\n`);
    return RUN_FAILURES.has(e.code) ? EXIT_FAILED : EXIT_USAGE;
  }
  const message = e instanceof Error ? e.message : String(e);
  output.err(`retort: unexpected error: ${message}${debug ? "" : " (run with --debug for the stack trace)"}\n`);
  if (debug && e instanceof Error && e.stack) output.err(`${e.stack}\n`);
  return EXIT_FAILED;
}
