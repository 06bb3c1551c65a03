// Entry point of dist/cli.js (the package's `retort` bin).
import { fstatSync } from "node:fs";
import { main } from "./main.js";

/** Whether stdout is a file (machine output then stays byte for byte what was asked for) or
 *  something a CI may read as its log: a pipe, a terminal, a socket. */
function stdoutIsLog(): boolean {
  try {
    const s = fstatSync(1);
    return !(s.isFile() || (s.isCharacterDevice() && !process.stdout.isTTY));
  } catch {
    return true;
  }
}

process.exitCode = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  outIsLog: stdoutIsLog(),
  outIsTerminal: process.stdout.isTTY === true,
});
