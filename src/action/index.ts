// Entry point of dist/action.js (action.yml: runs.main).
import { run } from "./main.js";

await run();
