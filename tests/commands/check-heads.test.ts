// Intended heads (src/core/heads.ts): a project that keeps several heads on purpose (neutron's
// expand and contract branches, deployed with `alembic upgrade heads`) declares them with
// `--expect-heads` or checks with the target `heads`; `check`, the plan's warning and the
// Action then complain only about a head nobody intended, with advice for the project's kind.
// Also: `revision`/`merge` refuse an Alembic project named by `--alembic-config`.

import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run as run_ } from "../../src/action/main.js";
import { main } from "../../src/cli/main.js";
import { offlineUpgradeResult } from "../../src/commands/offline.js";
import { headsAdvice, headsProblem, judgeHeads, parseExpectHeads, type HeadsVerdict } from "../../src/core/heads.js";
import { makeOptions } from "../../src/options.js";
import { renderComment } from "../../src/report/comment.js";
import { inputVariable } from "../action/runner.js";
import { BACKENDS, describeBackend } from "../servers.js";
import { graphOf, rev, retortErrorOf } from "../helpers.js";

const NEUTRON = "tests/fixtures/alembic-graph-neutron";
const INI = "quark/db/migration/alembic.ini";
const EXPAND_HEAD = "52c5312f6baf";
const CONTRACT_HEAD = "4ffceebfada";

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

/** expand and contract branches from one root, each labelled; `extra` adds heads. */
function twoBranches(...extra: ReturnType<typeof rev>[]) {
  return graphOf(
    rev("root", null),
    rev("e1", "root", { labels: ["expand"] }),
    rev("c1", "root", { labels: ["contract"] }),
    ...extra,
  );
}

describe("judgeHeads", () => {
  it("one head is expected unless said otherwise", () => {
    expect(judgeHeads(graphOf(rev("a", null), rev("b", "a")), null, "head")).toBeNull();
    const v = judgeHeads(twoBranches(), null, "head")!;
    expect(v).toMatchObject({ heads: ["e1", "c1"], merge: ["e1", "c1"], problem: { kind: "several" }, alembic: false });
    expect(headsProblem(v)).toBe("2 heads (e1, c1), where one is expected");
    expect(headsAdvice(v)).toBe(
      `Merge them with 'retort merge heads -m "merge heads"', or declare the heads kept on purpose with '--expect-heads LABEL,LABEL' (the Action's 'expect-heads' input) ` +
        `(or use the target 'heads' when each is the only head of a branch label).`,
    );
  });

  it("the target heads accepts one head per branch label, and no second head on a branch", () => {
    expect(judgeHeads(twoBranches(), null, "heads")).toBeNull();
    // One head needs no label.
    expect(judgeHeads(graphOf(rev("a", null), rev("b", "a")), null, "heads")).toBeNull();
    const onExpand = judgeHeads(twoBranches(rev("e2", "e1"), rev("e3", "e1")), null, "heads")!;
    expect(onExpand).toMatchObject({ merge: ["e2", "e3"], problem: { kind: "unlabelled" } });
    expect(headsProblem(onExpand)).toBe("3 heads (c1, e2, e3): e2, e3 are not the only heads of any branch label");
    expect(headsAdvice(onExpand)).toMatch(/^Merge them with 'retort merge e2 e3 -m "merge heads"'/);
    // An unlabelled second line of work is not intended either.
    expect(judgeHeads(twoBranches(rev("loose", "root")), null, "heads")).toMatchObject({ merge: ["loose"] });
  });

  it("--expect-heads labels: one head on each, every head on one", () => {
    const labels = parseExpectHeads("expand, contract");
    expect(labels).toEqual({ labels: ["expand", "contract"] });
    expect(judgeHeads(twoBranches(), labels, "head")).toBeNull();
    const two = judgeHeads(twoBranches(rev("e2", "e1"), rev("e3", "e1")), labels, "heads")!;
    expect(headsProblem(two)).toBe("2 heads on the branch expand (e2, e3), where one is expected (--expect-heads)");
    expect(headsAdvice(two)).toBe(`Merge them with 'retort merge e2 e3 -m "merge heads"', or update '--expect-heads'.`);
    const stray = judgeHeads(twoBranches(rev("loose", "root")), labels, "heads")!;
    expect(headsProblem(stray)).toBe("3 heads (e1, c1, loose): loose is on none of the expected branches (--expect-heads expand,contract)");
    expect(retortErrorOf(() => judgeHeads(twoBranches(), parseExpectHeads("expand,nope"), "head")).message).toMatch(
      /--expect-heads names 'nope', which is not a branch label of the revisions \(labels: expand, contract\)/,
    );
  });

  it("--expect-heads N: exactly N heads", () => {
    expect(judgeHeads(twoBranches(), parseExpectHeads("2"), "head")).toBeNull();
    const three = judgeHeads(twoBranches(rev("loose", "root")), parseExpectHeads("2"), "head")!;
    expect(headsProblem(three)).toBe("3 heads (e1, c1, loose), where 2 are expected (--expect-heads 2)");
    expect(three.merge).toEqual(["e1", "c1", "loose"]);
  });

  it("refuses values that are neither labels nor a number", () => {
    expect(parseExpectHeads("")).toBeNull();
    expect(parseExpectHeads("  ")).toBeNull();
    for (const bad of ["0", "expand,2", "a@b", "x|y"]) expect(() => parseExpectHeads(bad), bad).toThrow(/Invalid --expect-heads/);
  });

  it("advises alembic merge for an Alembic project", () => {
    const v: HeadsVerdict = { heads: ["a", "b"], merge: ["a", "b"], problem: { kind: "several" }, alembic: true };
    expect(headsAdvice(v)).toMatch(/^Merge them with 'alembic merge -m "merge heads" heads'/);
  });
});

/** A copy of the neutron-like fixture with a second head on the expand branch. */
function withExtraExpandHead(dir: string): string {
  cpSync(NEUTRON, dir, { recursive: true });
  writeFileSync(
    join(dir, "quark/db/migration/alembic_migrations/versions/liberty/expand/6a7b8c9d0e1f_add_index.py"),
    `"""add an index\n\nRevision ID: 6a7b8c9d0e1f\nRevises: 354db87e3225\n"""\nrevision = '6a7b8c9d0e1f'\ndown_revision = '354db87e3225'\n\n\ndef upgrade():\n    pass\n`,
  );
  return dir;
}

describe("the plan's warning (the Action's comment), offline", () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), "retort-check-heads-"));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  const FRAME = { environment: "", commitSha: null, retortVersion: "test", detailsHint: "the job log" };
  async function warnings(dir: string, target: string, expectHeads?: string, more: string[] = []): Promise<string[]> {
    const options = makeOptions({ migrations: dir, alembicConfig: join(dir, INI), ...(expectHeads ? { expectHeads } : {}) });
    // At the contract head (which depends on the expand head): nothing pending, no Alembic run.
    const from = [CONTRACT_HEAD, ...more];
    const result = await offlineUpgradeResult(options, { start: { from, source: "the from input" }, target }, () => undefined);
    return result.warnings.filter((w) => w.kind === "several-heads").map(() => renderComment(result, FRAME));
  }

  it("says nothing of the intended heads, and names an extra one with Alembic's merge", async () => {
    expect(await warnings(NEUTRON, "heads")).toEqual([]);
    expect(await warnings(NEUTRON, "heads", "expand,contract")).toEqual([]);
    const dir = withExtraExpandHead(join(tmp, "p"));
    const [comment] = await warnings(dir, "heads", undefined, ["6a7b8c9d0e1f"]);
    expect(comment).toContain(
      "The migrations directory has 3 heads (`52c5312f6baf`, `6a7b8c9d0e1f`, `4ffceebfada`): `52c5312f6baf`, `6a7b8c9d0e1f` are not the only heads of any " +
        "branch label: their revisions run in an order nobody chose. Merge them with `alembic merge -m \"merge heads\" 52c5312f6baf 6a7b8c9d0e1f`, or declare",
    );
    const [labelled] = await warnings(dir, "heads", "expand,contract", ["6a7b8c9d0e1f"]);
    expect(labelled).toContain("has 2 heads on the branch `expand` (`52c5312f6baf`, `6a7b8c9d0e1f`), where one is expected (`--expect-heads`)");
  });
});

for (const backend of BACKENDS.filter((b) => b.name === "postgresql")) {
  describeBackend(backend, "check with intended heads", () => {
    let db: { url: string; drop: () => Promise<void> };
    let tmp: string;
    beforeEach(async () => {
      db = await backend.create();
      tmp = mkdtempSync(join(tmpdir(), "retort-check-heads-"));
    });
    afterEach(async () => {
      await db.drop();
      rmSync(tmp, { recursive: true, force: true });
    });

    const neutron = (dir: string, ...args: string[]) => run("--migrations", dir, "--alembic-config", join(dir, INI), ...args, "--database-url", db.url);

    it("passes at both heads with the target heads or --expect-heads, and fails on a head nobody intended", async () => {
      expect((await neutron(NEUTRON, "stamp", "heads")).code).toBe(0);
      const ok = await neutron(NEUTRON, "check", "heads");
      expect(ok).toMatchObject({ code: 0, err: "" });
      expect(ok.out).toMatch(/nothing pending, 2 intended heads \(52c5312f6baf, 4ffceebfada\), no drift/);
      expect((await neutron(NEUTRON, "check", "--expect-heads", "expand,contract")).code).toBe(0);
      expect((await neutron(NEUTRON, "check", "--expect-heads", "2")).code).toBe(0);

      // Without a word about the heads, two are one too many, and the advice is Alembic's.
      const one = await neutron(NEUTRON, "check");
      expect(one.code).toBe(1);
      expect(one.err).toContain(`has 2 heads (${EXPAND_HEAD}, ${CONTRACT_HEAD}), where one is expected. Merge them with 'alembic merge -m "merge heads" heads'`);
      expect(one.err).toContain("'--expect-heads LABEL,LABEL'");
      expect(one.err).not.toContain("retort merge");

      const extra = withExtraExpandHead(join(tmp, "p"));
      for (const args of [["check", "heads"], ["check", "--expect-heads", "expand,contract"]]) {
        const bad = await neutron(extra, ...args);
        expect(bad.code, args.join(" ")).toBe(1);
        expect(bad.err, args.join(" ")).toContain(`'alembic merge -m "merge heads" ${EXPAND_HEAD} 6a7b8c9d0e1f'`);
      }
    });

    it("the Action's check takes the target and expect-heads inputs", async () => {
      expect((await neutron(NEUTRON, "stamp", "heads")).code).toBe(0);
      const action = async (inputs: Record<string, string>): Promise<{ failed: boolean; log: string }> => {
        const saved = { ...process.env };
        const write = process.stdout.write.bind(process.stdout);
        let log = "";
        process.stdout.write = ((chunk: string | Uint8Array) => ((log += String(chunk)), true)) as typeof process.stdout.write;
        const all = { command: "check", migrations: NEUTRON, "alembic-config": join(NEUTRON, INI), "database-url": db.url, ...inputs };
        for (const [name, value] of Object.entries(all)) process.env[inputVariable(name)] = value;
        Object.assign(process.env, { GITHUB_EVENT_NAME: "push", GITHUB_EVENT_PATH: join(tmp, "event.json") });
        writeFileSync(join(tmp, "event.json"), "{}");
        process.exitCode = 0;
        try {
          await run_();
          return { failed: process.exitCode === 1, log };
        } finally {
          process.stdout.write = write;
          process.exitCode = 0;
          for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
          Object.assign(process.env, saved);
        }
      };
      const heads = await action({ target: "heads" });
      expect(heads.failed, heads.log).toBe(false);
      expect(heads.log).toMatch(/2 intended heads/);
      expect((await action({ "expect-heads": "expand,contract" })).failed).toBe(false);
      const one = await action({});
      expect(one.failed).toBe(true);
      expect(one.log).toContain(`alembic merge -m "merge heads" heads`);
    });

    it("reports pending revisions of every intended head, and reads RETORT_EXPECT_HEADS", async () => {
      expect((await neutron(NEUTRON, "stamp", EXPAND_HEAD)).code).toBe(0);
      const pending = await neutron(NEUTRON, "check", "heads");
      expect(pending.code).toBe(1);
      expect(pending.err).toMatch(/2 revision\(s\) pending on .*: 30018084ec99, 4ffceebfada/);
      process.env.RETORT_EXPECT_HEADS = "expand,contract";
      try {
        const viaEnv = await neutron(NEUTRON, "check");
        expect(viaEnv.err).toMatch(/2 revision\(s\) pending/);
        expect(viaEnv.err).not.toMatch(/heads \(/);
      } finally {
        delete process.env.RETORT_EXPECT_HEADS;
      }
    });
  });
}

describe("revision and merge with --alembic-config", () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), "retort-check-heads-author-"));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it("refuse, as with an Alembic --migrations, and write nothing", async () => {
    const cwd = process.cwd();
    const ini = join(cwd, NEUTRON, INI);
    mkdirSync(join(tmp, "migrations"));
    process.chdir(tmp);
    try {
      const revision = await run("--alembic-config", ini, "revision", "-m", "add a column");
      expect(revision.code).toBe(2);
      expect(revision.err).toBe(
        `retort: --alembic-config ${ini} names an Alembic project: create its revisions with 'alembic -c ${ini} revision -m MSG' ` +
          "(retort writes native .sql revisions, and none into an Alembic project).\n",
      );
      const merge = await run("--alembic-config", ini, "merge", "heads", "-m", "merge");
      expect(merge.code).toBe(2);
      expect(merge.err).toContain(`'alembic -c ${ini} merge -m MSG heads'`);
      expect(readdirSync(tmp)).toEqual(["migrations"]);
      expect(readdirSync(join(tmp, "migrations"))).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });

  it("refuse the project ./alembic.ini names when --migrations is not given, and write nothing", async () => {
    const cwd = process.cwd();
    mkdirSync(join(tmp, "alembic", "versions"), { recursive: true });
    writeFileSync(join(tmp, "alembic", "env.py"), "");
    writeFileSync(join(tmp, "alembic.ini"), "[alembic]\nscript_location = alembic\n");
    process.chdir(tmp);
    try {
      let err = "";
      const revision = await main(["revision", "-m", "add a column"], { out: () => undefined, err: (t) => (err += t) });
      expect(revision).toBe(2);
      expect(err).toMatch(/^retort: alembic is an Alembic project: create its revisions with 'alembic revision -m MSG'/);
      expect(readdirSync(tmp).sort()).toEqual(["alembic", "alembic.ini"]);
      expect(readdirSync(join(tmp, "alembic", "versions"))).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });
});
