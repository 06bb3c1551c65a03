// The command line's shape: the global options (from the settings table) and the commands,
// each wired to what runs it. One Cli context travels to every command's registration.

import { Command } from "commander";
import { GLOBAL_OPTIONS } from "../settings.js";
import { makeCli, settingOption } from "./context.js";
import { registerDatabaseCommands } from "./database-commands.js";
import { registerFileCommands } from "./file-commands.js";
import type { CliInputs } from "./inputs.js";
import type { Output } from "./output.js";

export function buildProgram(output: Output, inputs: CliInputs, version: string): Command {
  const program = new Command("retort");
  program.description("Alembic-compatible database migrations for CI/CD.").version(version, "-V, --version", "print the version");
  for (const name of GLOBAL_OPTIONS) program.addOption(settingOption(name));
  program
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: output.out,
      writeErr: output.err,
      // Usage errors look like every other error: one line starting `retort: `.
      outputError: (text, write) => write(`retort: ${text.replace(/^error: /, "")}`),
    })
    .exitOverride();
  const cli = makeCli(output, inputs);
  registerFileCommands(program, cli);
  registerDatabaseCommands(program, cli);
  return program;
}
