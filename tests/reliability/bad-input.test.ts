// Bad input: valid revision files mutated at random (truncation, garbage bytes, duplicate keys,
// bad ids, cycles, missing parents, huge files, non-UTF-8, empty files), random targets and
// URLs. Every case must end with exit code 2 (or a clean success when the mutation happens to
// be harmless), one line on stderr naming the file or value, and never a stack trace.
// RETORT_HEAVY=1 runs 1,000+ cases; the default run a few hundred.

import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { prng } from "../prng.js";

const HEAVY = process.env.RETORT_HEAVY === "1";
const CASES = HEAVY ? 1200 : 240;

type Mutation = (text: string, r: () => number, all: string[]) => string | Buffer;
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const MUTATIONS: [string, Mutation][] = [
  ["truncate", (t, r) => t.slice(0, Math.floor(r() * t.length))],
  ["garbage bytes", (t, r) => { const i = Math.floor(r() * t.length); return t.slice(0, i) + "\u0000\u0007\uFFFD\\'\";$$" + t.slice(i); }],
  ["duplicate key", (t) => t.replace("-- Revises:", "-- Revision ID: dup0dup0\n-- Revises:")],
  ["bad id", (t, r) => t.replace(/Revision ID: \S+/, `Revision ID: ${pick(r, ["a-b", "x@y", "p+q", "c:d", "x".repeat(40), "", "two words"])}`)],
  ["missing parent", (t) => t.replace(/Revises: \S+/, "Revises: ffffffffffff")],
  ["cycle", (t, _r, all) => t.replace(/Revises:.*/, `Revises: ${all.at(-1)}`)],
  ["no upgrade section", (t) => t.replace("-- migrate:upgrade", "-- migrate:upgrayedd")],
  ["duplicate section", (t) => `${t}\n-- migrate:upgrade\nSELECT 1;\n`],
  ["unknown option", (t) => t.replace("-- migrate:upgrade", "-- migrate:upgrade transaction:maybe")],
  ["empty file", () => ""],
  ["non-UTF-8", () => Buffer.from([0xff, 0xfe, 0xfd, 0x2d, 0x2d, 0x20, 0xc3, 0x28, 0x0a])],
  ["huge file", (t) => t + "\n-- " + "x".repeat(10 * 1024 * 1024) + "\n"],
  ["sql before section", (t) => t.replace("-- migrate:upgrade", "DROP TABLE everything;\n-- migrate:upgrade")],
  ["label clash", (t) => t.replace(/(-- Revision ID: (\S+))/, "$1\n-- Branch Labels: $2")],
];
const TARGETS = ["", "@", "head@", "@@", "+", "-", "+-1", "heads+1", "base-1", "x@y@z", "zz", "\u0000", "head:", ":head", "1e9999", "../../etc", "marketplace@+99"];
const URLS = ["postgres://", "mysql://:@:0/", "http://x", "postgresql://u:Pw-9@[::1", "mariadb://root@127.0.0.1:1/x", "%%%", "postgresql://u@h:99999/db"];

let base: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), "retort-badinput-"));
  cpSync("migrations", join(base, "pristine"), { recursive: true });
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

async function run(argv: string[]) {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

function expectClean(r: { code: number; out: string; err: string }, what: string) {
  expect([0, 1, 2], `${what}: exit ${r.code}\n${r.err}`).toContain(r.code);
  expect(r.err, what).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
  expect(r.err, what).not.toMatch(/unexpected error/);
  if (r.code !== 0) {
    expect(r.err.startsWith("retort: "), `${what}: ${r.err}`).toBe(true);
  }
}

it(`${CASES} mutated revision directories: one clear error each, never a crash`, async () => {
  const r = prng(20261125);
  const files = readdirSync(join(base, "pristine")).sort();
  const ids = files.map((f) => f.split("_")[0]!);
  const counts = new Map<string, number>();
  for (let c = 0; c < CASES; c++) {
    const dir = join(base, `case-${c}`);
    cpSync(join(base, "pristine"), dir, { recursive: true });
    const [name, mutate] = pick(r, MUTATIONS);
    const file = pick(r, files);
    writeFileSync(join(dir, file), mutate(readFileSync(join(dir, file), "utf8"), r, ids));
    const command = pick(r, [["heads"], ["history"], ["upgrade", "head", "--sql"], ["show", "head"], ["branches"]]);
    const result = await run(["--migrations", dir, ...command]);
    expectClean(result, `${name} in ${file}, ${command.join(" ")}`);
    if (result.code === 2 && !["label clash"].includes(name)) {
      // The message names the file (or the graph's files), or the value.
      expect(result.err, name).toMatch(/\.sql|revision|Revision|Branch name|Cycle|migrations/);
    }
    counts.set(name, (counts.get(name) ?? 0) + (result.code === 2 ? 1 : 0));
    rmSync(dir, { recursive: true, force: true });
  }
  // Mutations that always break the file are always reported.
  for (const name of ["bad id", "missing parent", "no upgrade section", "duplicate section", "unknown option", "empty file", "non-UTF-8", "sql before section"]) {
    expect(counts.get(name) ?? 0, name).toBeGreaterThan(0);
  }
}, 300_000);

it("random targets and URLs: exit 1 or 2 with one line, never a crash, never the password", async () => {
  const r = prng(7);
  for (let c = 0; c < (HEAVY ? 400 : 80); c++) {
    const target = pick(r, TARGETS) + (r() < 0.3 ? pick(r, TARGETS) : "");
    const offline = await run(["--migrations", join(base, "pristine"), "upgrade", target, "--sql"]);
    expectClean(offline, `target ${JSON.stringify(target)}`);
    const url = pick(r, URLS);
    const online = await run(["--migrations", join(base, "pristine"), "current", "--database-url", url]);
    expectClean(online, `url ${url}`);
    expect(online.code, url).not.toBe(0);
    expect(online.err).not.toContain("Pw-9");
  }
}, 120_000);
