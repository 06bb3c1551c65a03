// The README's tables of the Action's inputs and outputs and of the environment variables are
// written from src/settings.ts by `npm run docs`: a change to the table that was not carried
// into the README fails here (and in .ci/run), as actions/checkout's stale usage docs fail its CI.

import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("the README's generated tables", () => {
  it("are what npm run docs writes", () => {
    expect(() => execFileSync(process.execPath, ["scripts/docs.mjs", "--check"], { encoding: "utf8", stdio: "pipe" })).not.toThrow();
  });
});
