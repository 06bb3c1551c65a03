// Entry point of dist/cli.js (the package's `retort` bin).
import { main } from "./main.js";

process.exitCode = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
