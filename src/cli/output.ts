// What the CLI writes: human text (neutralised: no control bytes, no CI command can be
// forged), and machine output in a format that stays exact. Every secret is scrubbed.

import { randomBytes } from "node:crypto";
import { scrubSecrets } from "../db/target.js";
import { commandLogOf, guardMachineText, lineWriter, safeJson, visibleControls, type CommandLog, type MachineFormat } from "../report/safe-text.js";
import type { CliInputs } from "./inputs.js";

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** stdout goes to a terminal, a pipe or a CI log rather than a file: machine output (SQL,
   *  markdown) is then fenced against CI commands. Default false (exact bytes). */
  outIsLog?: boolean;
  /** stdout is a terminal: what a terminal acts on in machine output (ESC, \r, ...) is shown
   *  as escapes, as it is on a pipe under CI (the job's log). Default false. */
  outIsTerminal?: boolean;
}

export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
  machine: (text: string, format: "json" | MachineFormat) => void;
}

/** How machine output reaches stdout: where it goes decides what is escaped or fenced. */
interface MachineSink {
  readonly io: Io;
  readonly err: (text: string) => void;
  /** The CI log stdout feeds, whose commands are fenced, or null (exact bytes). */
  readonly log: CommandLog | null;
  /** Control characters are shown as escapes (a terminal, or a CI's log). */
  readonly shown: boolean;
}

export function makeOutput(io: Io, inputs: Pick<CliInputs, "secrets" | "env" | "ci">): Output {
  const out = lineWriter(io.out);
  const err = lineWriter(io.err);
  // A person reads a terminal; under CI, a pipe is the job's log (a viewer that renders ESC
  // sequences and \r): a revision's bytes must not move the cursor, erase or hide a line there.
  const sink: MachineSink = {
    io,
    err,
    log: io.outIsLog ? commandLogOf(inputs.env) : null,
    shown: io.outIsTerminal === true || (io.outIsLog === true && inputs.ci !== null),
  };
  const clean = (text: string) => scrubSecrets(text, inputs.secrets);
  return {
    out: (text) => out(clean(text)),
    err: (text) => err(clean(text)),
    machine: (text, format) => {
      const scrubbed = clean(text);
      if (format === "json") return out(safeJson(scrubbed));
      writeMachine(sink, scrubbed, format, scrubbed !== text);
    },
  };
}

function writeMachine(sink: MachineSink, scrubbed: string, format: MachineFormat, wasScrubbed: boolean): void {
  const what = format === "sql" ? "SQL" : "markdown";
  // SQL and markdown are meant to be exact: when scrubbing changed them, say so.
  if (wasScrubbed) {
    sink.err(
      `retort: warning: the ${what} held a secret of the database URL, replaced by ***. If that text was not the secret ` +
        `(a short or common password matches ordinary words), use a stronger password.\n`,
    );
  }
  const body = sink.shown ? escapeControls(sink, scrubbed, what) : scrubbed;
  if (sink.log === null) return sink.io.out(body);
  const guarded = guardMachineText(body, format, sink.log, `retort-${randomBytes(16).toString("hex")}`);
  sink.io.out(guarded.text);
  if (guarded.changedLines > 0) {
    sink.err(
      `retort: warning: ${guarded.changedLines} line(s) of the ${what} held '##...[', which this CI's log reads ` +
        `as a command: a backslash was added before '['. Redirect the output to a file (> FILE) for the exact text.\n`,
    );
  }
}

function escapeControls(sink: MachineSink, body: string, what: string): string {
  const visible = visibleControls(body);
  if (visible.changedLines > 0) {
    sink.err(
      `retort: warning: ${visible.changedLines} line(s) of the ${what} held control characters (ESC, \\r, bidi overrides, ...), ` +
        `shown as escapes (\\x1b, ...) so that they cannot act on the terminal or the CI log. Redirect the output to a file (> FILE) for the exact text.\n`,
    );
  }
  return visible.text;
}
