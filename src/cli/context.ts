// What every command's action is handed: the inputs read at the start, the Options they make
// (once per command run), the output, and the commander options of the settings table.

import { Command, Option } from "commander";
import type { RevisionGraph } from "../core/graph.js";
import { loadGraphWith } from "../alembic/graph.js";
import type { Options } from "../options.js";
import type * as online from "../commands/online.js";
import type { PlanFormat } from "../report/plan.js";
import { SETTINGS, type Setting, type SettingName } from "../settings.js";
import { optionsOf, type CliInputs } from "./inputs.js";
import type { Output } from "./output.js";

/** What every command's action needs: the inputs, the options they make, the output. */
export interface Cli {
  readonly inputs: CliInputs;
  readonly session: online.Session;
  /** The command's Options (made once per command run). */
  options(cmd: Command): Options;
  /** The revision graph (through Alembic where only Python can tell a value: alembic/graph.ts). */
  graphOf(cmd: Command): Promise<RevisionGraph>;
  /** Human text, a newline added when missing; nothing for "". */
  print(text: string): void;
  printJson(value: unknown): void;
  /** Output in a format: text for humans, else machine output (JSON, SQL, markdown). */
  printAs(text: string, format: PlanFormat | "json"): void;
}

/** A repeatable flag taking comma separated values. */
export const collect = (value: string, previous: string[]) => [...previous, ...value.split(",").map((s) => s.trim()).filter(Boolean)];

/** The commander option of a setting: its flag, help, choices, variable and default. */
export function settingOption(name: SettingName): Option {
  const s: Setting = SETTINGS[name];
  const option = new Option(s.flag!, s.help);
  if (s.choices) option.choices(s.choices);
  if (s.env) option.env(s.env);
  if (s.list) option.argParser(collect).default([]);
  else if (s.default !== undefined) option.default(s.default);
  return option;
}

export function makeCli(output: Output, inputs: CliInputs): Cli {
  const made = new WeakMap<Command, Options>();
  const options = (cmd: Command): Options => {
    let o = made.get(cmd);
    if (o === undefined) made.set(cmd, (o = optionsOf(cmd.optsWithGlobals(), inputs)));
    return o;
  };
  const session: online.Session = {
    log: { info: (line) => output.out(`${line}\n`), warn: (line) => output.err(`retort: warning: ${line}\n`) },
    notice: (line) => output.err(`retort: ${line}\n`),
  };
  return {
    inputs,
    session,
    options,
    graphOf: (cmd) => loadGraphWith(options(cmd), { notice: session.notice, warn: (line) => output.err(`retort: warning: ${line}\n`) }),
    print: (text) => {
      if (text !== "") output.out(text.endsWith("\n") ? text : `${text}\n`);
    },
    printJson: (value) => output.machine(`${JSON.stringify(value, null, 2)}\n`, "json"),
    printAs: (text, format) => {
      if (text === "") return;
      const whole = text.endsWith("\n") ? text : `${text}\n`;
      if (format === "text") output.out(whole);
      else output.machine(whole, format);
    },
  };
}
