// The command-line front end, called in-process: `main(argv, io)` with captured output. The
// example project (migrations/) is read-only here; anything that writes works on a temp copy.

import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { loadGraph } from "../../src/load/directory.js";

const MIGRATIONS = "migrations";
const DEPENDS_ON = "tests/fixtures/depends-on";

const HEAD = "5f2c8e91d0a4";
const SCHEMA = "784a7abb86b7";
const CUSTOMER = "b1bc43e2f536";
const CATEGORY = "d5e376c66584"; // the branch point
const INSERT = "33083bd5e3b1";
const ORDER = "358cebb507a0";
const SELLER = "b036a88df8fb"; // label `marketplace`

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(...args: string[]): Promise<Run> {
  let out = "";
  let err = "";
  const code = await main(args, {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
  });
  return { code, out, err };
}

/** `run` with `--migrations MIGRATIONS` in front. */
const example = (...args: string[]) => run("--migrations", MIGRATIONS, ...args);

/** The `-- Running ...` lines of offline SQL, in order. */
const runningLines = (sql: string) => sql.split("\n").filter((l) => l.startsWith("-- Running "));

/** The chunks of offline SQL (every chunk ends with a blank line). */
const chunks = (sql: string) => sql.split("\n\n").filter((c) => c !== "");

const VERSION_TABLE_DDL =
  "CREATE TABLE alembic_version (\n" +
  "    version_num VARCHAR(32) NOT NULL, \n" +
  "    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n" +
  ");";

const UPGRADE_ALL = [
  `-- Running upgrade  -> ${SCHEMA}`,
  `-- Running upgrade ${SCHEMA} -> ${CUSTOMER}`,
  `-- Running upgrade ${CUSTOMER} -> ${CATEGORY}`,
  `-- Running upgrade ${CATEGORY} -> ${SELLER}`,
  `-- Running upgrade ${CATEGORY} -> ${INSERT}`,
  `-- Running upgrade ${INSERT} -> ${ORDER}`,
  `-- Running upgrade ${ORDER}, ${SELLER} -> ${HEAD}`,
];

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), "retort-cli-test-"));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** A copy of the example project in the temp directory; returns its path. */
function copyExample(): string {
  const dir = join(tmp, "migrations");
  cpSync(MIGRATIONS, dir, { recursive: true });
  return dir;
}

describe("heads", () => {
  it("prints the head with its labels", async () => {
    expect(await example("heads")).toEqual({ code: 0, out: `${HEAD} (marketplace) (head)\n`, err: "" });
  });

  it("--json prints {heads: [ids]}", async () => {
    const r = await example("heads", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ heads: [HEAD] });
    expect(r.out).toBe(`{\n  "heads": [\n    "${HEAD}"\n  ]\n}\n`);
  });

  it("--resolve-dependencies drops heads that another revision depends on", async () => {
    // aaaa00000002 is revised by nothing, but bbbb00000001 depends on it.
    expect((await run("--migrations", DEPENDS_ON, "heads")).out).toBe(
      "aaaa00000002 (effective head)\nbbbb00000001 (audit) (head)\n",
    );
    expect((await run("--migrations", DEPENDS_ON, "heads", "--resolve-dependencies")).out).toBe(
      "bbbb00000001 (audit) (head)\n",
    );
    expect(JSON.parse((await run("--migrations", DEPENDS_ON, "heads", "--json")).out)).toEqual({
      heads: ["aaaa00000002", "bbbb00000001"],
    });
    expect(JSON.parse((await run("--migrations", DEPENDS_ON, "heads", "--json", "--resolve-dependencies")).out)).toEqual({
      heads: ["bbbb00000001"],
    });
  });
});

describe("branches", () => {
  it("prints each branch point and the revisions it branches into, then a blank line (as Alembic)", async () => {
    const pad = " ".repeat(12);
    expect(await example("branches")).toEqual({
      code: 0,
      out: `${CATEGORY} (branchpoint)\n${pad} -> ${INSERT}\n${pad} -> ${SELLER} (marketplace)\n\n`,
      err: "",
    });
  });
});

describe("history", () => {
  it("lists every revision newest first, one line each", async () => {
    const r = await example("history");
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        `${ORDER}, ${SELLER} -> ${HEAD} (marketplace) (head) (mergepoint), merge orders and sellers`,
        `${INSERT} -> ${ORDER}, create table order`,
        `${CATEGORY} -> ${INSERT}, insert a new product_category`,
        `${CATEGORY} -> ${SELLER} (marketplace), create table seller`,
        `${CUSTOMER} -> ${CATEGORY} (branchpoint), create table product_category`,
        `${SCHEMA} -> ${CUSTOMER}, create table customer`,
        `<base> -> ${SCHEMA}, create schema ecommerce`,
      ].join("\n") + "\n",
    );
  });

  it("shows dependencies next to the down revisions", async () => {
    const r = await run("--migrations", DEPENDS_ON, "history");
    expect(r.out.split("\n")[0]).toBe("<base> (aaaa00000002) -> bbbb00000001 (audit) (head), audit log");
  });

  it("-r START:END limits the range, both ends included", async () => {
    const r = await example("history", "-r", `${CATEGORY}:${ORDER}`);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        `${INSERT} -> ${ORDER}, create table order`,
        `${CATEGORY} -> ${INSERT}, insert a new product_category`,
        `${CUSTOMER} -> ${CATEGORY} (branchpoint), create table product_category`,
      ].join("\n") + "\n",
    );
  });

  it("-r with an open end runs to the heads; an open start from base", async () => {
    expect((await example("history", "-r", `:${CUSTOMER}`)).out).toBe(
      `${SCHEMA} -> ${CUSTOMER}, create table customer\n<base> -> ${SCHEMA}, create schema ecommerce\n`,
    );
    const merge = `${ORDER}, ${SELLER} -> ${HEAD} (marketplace) (head) (mergepoint), merge orders and sellers`;
    expect((await example("history", "-r", `${ORDER}:`)).out).toBe(`${merge}\n${INSERT} -> ${ORDER}, create table order\n`);
    // only descendants of the start: not the other branch's revisions below the merge
    expect((await example("history", "-r", `${SELLER}:`)).out).toBe(
      `${merge}\n${CATEGORY} -> ${SELLER} (marketplace), create table seller\n`,
    );
  });

  it("-r without a colon is a usage error", async () => {
    const r = await example("history", "-r", "foo");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toBe(
      "retort: History range 'foo' is invalid: history range requires [start]:[end], [start]:, or :[end].\n",
    );
  });

  it("-v prints full entries", async () => {
    const r = await example("history", "-v", "-r", `${CUSTOMER}:${CATEGORY}`);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      `Rev: ${CATEGORY} (branchpoint)\n` +
        `Parent: ${CUSTOMER}\n` +
        `Branches into: ${INSERT}, ${SELLER}\n` +
        `Path: ${resolve(`migrations/${CATEGORY}_create_table_product_category.sql`)}\n` +
        `\n` +
        `    create table product_category\n` +
        `    \n` +
        `    Revision ID: ${CATEGORY}\n` +
        `    Revises: ${CUSTOMER}\n` +
        `    Create Date: 2024-04-01 17:40:00.000000\n` +
        `\n` +
        `Rev: ${CUSTOMER}\n` +
        `Parent: ${SCHEMA}\n` +
        `Path: ${resolve(`migrations/${CUSTOMER}_create_table_customer.sql`)}\n` +
        `\n` +
        `    create table customer\n` +
        `    \n` +
        `    Revision ID: ${CUSTOMER}\n` +
        `    Revises: ${SCHEMA}\n` +
        `    Create Date: 2024-04-01 17:25:00.000000\n` +
        `\n`,
    );
  });

  it("--json prints every revision with exactly the documented keys", async () => {
    const r = await example("history", "--json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { revisions: Record<string, unknown>[] };
    expect(Object.keys(json)).toEqual(["revisions"]);
    expect(json.revisions.map((x) => x.revision)).toEqual([HEAD, ORDER, INSERT, SELLER, CATEGORY, CUSTOMER, SCHEMA]);
    for (const entry of json.revisions) {
      expect(Object.keys(entry).sort()).toEqual(
        [
          "branch_labels",
          "depends_on",
          "down_revisions",
          "is_branch_point",
          "is_head",
          "is_merge_point",
          "message",
          "path",
          "revision",
        ].sort(),
      );
    }
    expect(json.revisions[0]).toEqual({
      revision: HEAD,
      down_revisions: [ORDER, SELLER],
      branch_labels: ["marketplace"],
      depends_on: [],
      message: "merge orders and sellers",
      path: `migrations/${HEAD}_merge_orders_and_sellers.sql`,
      is_head: true,
      is_branch_point: false,
      is_merge_point: true,
    });
    expect(json.revisions[4]).toMatchObject({ revision: CATEGORY, is_head: false, is_branch_point: true, is_merge_point: false });
    expect(json.revisions[6]).toMatchObject({ revision: SCHEMA, down_revisions: [], branch_labels: [] });
  });

  it("--json shows depends_on", async () => {
    const json = JSON.parse((await run("--migrations", DEPENDS_ON, "history", "--json")).out) as {
      revisions: { revision: string; depends_on: string[] }[];
    };
    expect(json.revisions.find((x) => x.revision === "bbbb00000001")!.depends_on).toEqual(["aaaa00000002"]);
  });
});

describe("show", () => {
  it("resolves a prefix and prints the full entry", async () => {
    expect(await example("show", "5f2c")).toEqual({
      code: 0,
      out:
        `Rev: ${HEAD} (head) (mergepoint)\n` +
        `Merges: ${ORDER}, ${SELLER}\n` +
        `Branch names: marketplace\n` +
        `Path: ${resolve(`migrations/${HEAD}_merge_orders_and_sellers.sql`)}\n` +
        `\n` +
        `    merge orders and sellers\n` +
        `    \n` +
        `    Order items need both branches: the orders and the sellers.\n` +
        `    \n` +
        `    Revision ID: ${HEAD}\n` +
        `    Revises: ${ORDER}, ${SELLER}\n` +
        `    Create Date: 2024-04-01 18:30:00.000000\n` +
        `\n`,
      err: "",
    });
  });

  it("resolves a branch label to the revision declaring it", async () => {
    const r = await example("show", "marketplace");
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      `Rev: ${SELLER}\n` +
        `Parent: ${CATEGORY}\n` +
        `Branch names: marketplace\n` +
        `Path: ${resolve(`migrations/${SELLER}_create_table_seller.sql`)}\n` +
        `\n` +
        `    create table seller\n` +
        `    \n` +
        `    Sellers are developed on their own branch, labelled "marketplace": they need the schema and\n` +
        `    the categories, not the orders.\n` +
        `    \n` +
        `    Revision ID: ${SELLER}\n` +
        `    Revises: ${CATEGORY}\n` +
        `    Create Date: 2024-04-01 18:10:00.000000\n` +
        `    Branch Labels: marketplace\n` +
        `\n`,
    );
  });

  it("shows Also depends on", async () => {
    const r = await run("--migrations", DEPENDS_ON, "show", "audit");
    expect(r.out.split("\n").slice(0, 4)).toEqual([
      "Rev: bbbb00000001 (head)",
      "Parent: <base>",
      "Also depends on: aaaa00000002",
      "Branch names: audit",
    ]);
  });

  it("takes a short prefix, and hints at four characters when it matches nothing", async () => {
    // Like Alembic: only the ids must be over 3 characters, not the prefix.
    expect((await example("show", "5f2")).out.split("\n")[0]).toBe(`Rev: ${HEAD} (head) (mergepoint)`);
    const r = await example("show", "5fx");
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      "retort: No such revision or branch '5fx'; please ensure at least four characters are present for partial revision identifier matches\n",
    );
  });

  it("refuses an ambiguous prefix", async () => {
    const r = await run("--migrations", DEPENDS_ON, "show", "aaaa");
    expect(r.code).toBe(2);
    expect(r.err).toBe("retort: Multiple revisions start with 'aaaa': 'aaaa00000001', 'aaaa00000002'...\n");
  });
});

describe("revision", () => {
  /** The one line `revision` prints; returns the path it names. */
  function generated(r: Run): string {
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const m = /^Generating (.+) \.\.\. {2}done\n$/.exec(r.out);
    expect(m, r.out).not.toBeNull();
    return m![1]!;
  }

  it("writes <id>_<slug>.sql on top of the head and prints its path", async () => {
    const dir = copyExample();
    const path = generated(await run("--migrations", dir, "revision", "-m", "Add a thing!"));
    const m = new RegExp(`^${dir}/([0-9a-f]{12})_add_a_thing\\.sql$`).exec(path);
    expect(m, path).not.toBeNull();
    const id = m![1]!;
    expect(existsSync(path)).toBe(true);
    expect(readdirSync(dir)).toHaveLength(8);

    const graph = loadGraph(dir);
    const node = graph.nodeOf(id)!;
    expect(node).toBeDefined();
    const revision = graph.revisions[node]!;
    expect(revision.downRevisions).toEqual([HEAD]);
    expect(revision.message).toBe("Add a thing!");
    expect(revision.branchLabels).toEqual([]);
    expect(revision.dependsOn).toEqual([]);
    expect(revision.createDate).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    expect(revision.upgrade.sql.trim()).toBe("");
    expect(revision.downgrade?.sql.trim()).toBe("");
    expect(graph.ids(graph.heads)).toEqual([id]);
    // and the CLI sees the new head
    expect((await run("--migrations", dir, "heads")).out).toBe(`${id} (marketplace) (head)\n`);
  });

  it("creates the migrations directory for the first revision", async () => {
    const dir = join(tmp, "new", "versions");
    const path = generated(await run("--migrations", dir, "revision", "-m", "first", "--rev-id", "first1"));
    expect(path).toBe(`${dir}/first1_first.sql`);
    const graph = loadGraph(dir);
    expect(graph.ids(graph.bases)).toEqual(["first1"]);
    expect(graph.revisions[0]!.downRevisions).toEqual([]);
  });

  it("--rev-id, --branch-label and --depends-on (a prefix, resolved to the full id)", async () => {
    const dir = copyExample();
    const path = generated(
      await run(
        "--migrations", dir, "revision", "-m", "ship orders", "--rev-id", "abc123",
        "--branch-label", "shipping,logistics", "--branch-label", "ops", "--depends-on", "b036",
      ),
    );
    expect(path).toBe(`${dir}/abc123_ship_orders.sql`);
    const text = readFileSync(path, "utf8");
    expect(text).toContain("\n-- Branch Labels: shipping, logistics, ops\n");
    expect(text).toContain(`\n-- Depends On: ${SELLER}\n`);
    const graph = loadGraph(dir);
    const revision = graph.revisions[graph.nodeOf("abc123")!]!;
    expect(revision.downRevisions).toEqual([HEAD]);
    expect(revision.branchLabels).toEqual(["shipping", "logistics", "ops"]);
    expect(revision.dependsOn).toEqual([SELLER]);
  });

  it("--depends-on keeps a branch label as written", async () => {
    const dir = copyExample();
    const path = generated(await run("--migrations", dir, "revision", "-m", "x", "--rev-id", "dep1", "--depends-on", "marketplace"));
    expect(loadGraph(dir).revisions.find((r) => r.path === path)!.dependsOn).toEqual(["marketplace"]);
  });

  it("--depends-on naming nothing is refused and writes nothing", async () => {
    const dir = copyExample();
    const r = await run("--migrations", dir, "revision", "-m", "x", "--depends-on", "ffffffff");
    expect(r.code).toBe(2);
    expect(r.err).toBe("retort: No such revision or branch 'ffffffff'\n");
    expect(readdirSync(dir)).toHaveLength(7);
  });

  it("--head base starts a new root", async () => {
    const dir = copyExample();
    generated(await run("--migrations", dir, "revision", "-m", "other root", "--head", "base", "--rev-id", "root2"));
    const graph = loadGraph(dir);
    expect(graph.revisions[graph.nodeOf("root2")!]!.downRevisions).toEqual([]);
    expect(graph.ids(graph.bases)).toEqual([SCHEMA, "root2"]);
    expect((await run("--migrations", dir, "heads")).out).toBe(`${HEAD} (marketplace) (head)\nroot2 (head)\n`);
  });

  it("--head on a revision that is not a head is refused unless --splice", async () => {
    const dir = copyExample();
    const refused = await run("--migrations", dir, "revision", "-m", "x", "--head", CATEGORY.slice(0, 6));
    expect(refused.code).toBe(2);
    expect(refused.out).toBe("");
    expect(refused.err).toBe(
      `retort: Revision ${CATEGORY} is not a head revision; please specify --splice to create a new branch from this revision.\n`,
    );
    expect(readdirSync(dir)).toHaveLength(7);

    generated(await run("--migrations", dir, "revision", "-m", "x", "--head", CATEGORY.slice(0, 6), "--splice", "--rev-id", "spl1"));
    const graph = loadGraph(dir);
    expect(graph.revisions[graph.nodeOf("spl1")!]!.downRevisions).toEqual([CATEGORY]);
    expect(graph.ids(graph.heads)).toEqual([HEAD, "spl1"]);
  });

  it("with two heads, is refused (exit 2, mentions --head and merge) and writes nothing; merge joins them", async () => {
    const dir = copyExample();
    generated(await run("--migrations", dir, "revision", "-m", "other root", "--head", "base", "--rev-id", "root2"));
    const before = readdirSync(dir).sort();

    const refused = await run("--migrations", dir, "revision", "-m", "on top");
    expect(refused.code).toBe(2);
    expect(refused.out).toBe("");
    expect(refused.err).toMatch(/^retort: Multiple heads are present/);
    expect(refused.err).toContain("--head");
    expect(refused.err).toContain("merge");
    expect(refused.err).toContain(`Heads: ${HEAD}, root2`);
    expect(refused.err.trimEnd().split("\n")).toHaveLength(1);
    expect(readdirSync(dir).sort()).toEqual(before);

    const path = generated(await run("--migrations", dir, "merge", "heads", "-m", "join the roots", "--rev-id", "mrg1"));
    expect(path).toBe(`${dir}/mrg1_join_the_roots.sql`);
    expect(readFileSync(path, "utf8")).toContain(`\n-- Revises: ${HEAD}, root2\n`);
    const graph = loadGraph(dir);
    expect(graph.revisions[graph.nodeOf("mrg1")!]!.downRevisions).toEqual([HEAD, "root2"]);
    expect(graph.isMergePoint(graph.nodeOf("mrg1")!)).toBe(true);
    expect((await run("--migrations", dir, "heads")).out).toBe("mrg1 (marketplace) (head)\n");
  });

  it("merge of named revisions that are not heads is refused", async () => {
    const dir = copyExample();
    const r = await run("--migrations", dir, "merge", ORDER, SELLER, "-m", "again");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^retort: Revision (${ORDER}|${SELLER}) is not a head revision`));
    expect(readdirSync(dir)).toHaveLength(7);
  });

  it("refuses a message starting with 'migrate:'", async () => {
    const dir = copyExample();
    for (const message of ["migrate:upgrade", "  Migrate: later"]) {
      const r = await run("--migrations", dir, "revision", "-m", message);
      expect(r.code).toBe(2);
      expect(r.err).toBe(
        `retort: The message '${message}' would read as a section marker; do not start it with 'migrate:'.\n`,
      );
    }
    expect(readdirSync(dir)).toHaveLength(7);
  });

  it("refuses an empty message", async () => {
    const dir = copyExample();
    const r = await run("--migrations", dir, "revision", "-m", "   ");
    expect(r.code).toBe(2);
    expect(r.err).toBe("retort: The message (-m) is empty; say what the revision does.\n");
  });

  it("refuses an invalid --rev-id, naming the character", async () => {
    const dir = copyExample();
    const r = await run("--migrations", dir, "revision", "-m", "x", "--rev-id", "a-b");
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      "retort: --rev-id: Character(s) '-' not allowed in revision identifier 'a-b'. " +
        "Revision ids are 1 to 128 ASCII letters, digits, '_' or '.' (not starting with '.').\n",
    );
    expect(readdirSync(dir)).toHaveLength(7);
  });

  it("refuses a --rev-id or a branch label already in use, writing nothing", async () => {
    const dir = copyExample();
    const dup = await run("--migrations", dir, "revision", "-m", "x", "--rev-id", HEAD);
    expect(dup.code).toBe(2);
    expect(dup.err).toMatch(new RegExp(`^retort: Revision ${HEAD} is present more than once`));
    const label = await run("--migrations", dir, "revision", "-m", "x", "--rev-id", "q1", "--branch-label", "marketplace");
    expect(label.code).toBe(2);
    expect(label.err).toMatch(/^retort: Branch name 'marketplace' in revision q1 .* already used by revision b036a88df8fb/);
    expect(readdirSync(dir)).toHaveLength(7);
  });

  it("keeps a multi-line message on one header line", async () => {
    const dir = copyExample();
    generated(await run("--migrations", dir, "revision", "-m", "line one\nline two", "--rev-id", "ml1"));
    const graph = loadGraph(dir);
    expect(graph.revisions[graph.nodeOf("ml1")!]!.message).toBe("line one line two");
  });

  // BUG: a message that reads like a header key ("Revision ID: ...") is refused: the parser
  // takes the first header paragraph for the key block and then finds 'Revision ID' twice. The
  // error names a file that was never written (`<dir>/q2_revision_id_42_follow_up.sql:3:
  // duplicate header key 'Revision ID' (first on line 1)`). Alembic takes any message.
  it("takes a message that looks like a header key", async () => {
    const dir = copyExample();
    const r = await run("--migrations", dir, "revision", "-m", "Revision ID: 42 follow-up", "--rev-id", "q2");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const graph = loadGraph(dir);
    expect(graph.revisions[graph.nodeOf("q2")!]!.message).toBe("Revision ID: 42 follow-up");
  });

  // BUG: renderRevisionFile folds only '\n' in a message, but the parser also splits lines at a
  // lone '\r'; the rest of the message lands below the header and the check fails with
  // `<dir>/q4_line_one_line_two.sql:1: missing '-- Revision ID: <id>' in the header`.
  it("keeps a message with a carriage return on one header line", async () => {
    const dir = copyExample();
    const r = await run("--migrations", dir, "revision", "-m", "line one\rline two", "--rev-id", "q4");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const graph = loadGraph(dir);
    expect(graph.revisions[graph.nodeOf("q4")!]!.message).toBe("line one line two");
  });
});

describe("upgrade --sql", () => {
  it("from an empty database: BEGIN, the version table, each revision, COMMIT", async () => {
    const r = await example("upgrade", "head", "--sql");
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out.startsWith(`BEGIN;\n\n${VERSION_TABLE_DDL}\n\n-- Running upgrade  -> ${SCHEMA}\n\n`)).toBe(true);
    expect(r.out.endsWith("\n\nCOMMIT;\n\n")).toBe(true);
    expect(runningLines(r.out)).toEqual(UPGRADE_ALL);
    expect(r.out.split(VERSION_TABLE_DDL)).toHaveLength(2);
    expect(r.out.match(/^BEGIN;$/gm)).toHaveLength(1);
    expect(r.out.match(/^COMMIT;$/gm)).toHaveLength(1);
    const c = chunks(r.out);
    expect(c).toContain(`INSERT INTO alembic_version (version_num) VALUES ('${SCHEMA}') RETURNING alembic_version.version_num;`);
    expect(c).toContain(`UPDATE alembic_version SET version_num='${CUSTOMER}' WHERE alembic_version.version_num = '${SCHEMA}';`);
    expect(c).toContain("CREATE SCHEMA IF NOT EXISTS ecommerce_olist;");
    // the merge deletes one row and updates the other
    const merge = c.slice(c.indexOf(UPGRADE_ALL[6]!));
    expect(merge.slice(2)).toEqual([
      `DELETE FROM alembic_version WHERE alembic_version.version_num = '${ORDER}';`,
      `UPDATE alembic_version SET version_num='${HEAD}' WHERE alembic_version.version_num = '${SELLER}';`,
      "COMMIT;",
    ]);
  });

  it("a bare target and base:TARGET are the same", async () => {
    const bare = await example("upgrade", CATEGORY, "--sql");
    expect(runningLines(bare.out)).toEqual(UPGRADE_ALL.slice(0, 3));
    expect((await example("upgrade", `base:${CATEGORY}`, "--sql")).out).toBe(bare.out);
  });

  it("FROM:TO starts after FROM and does not create the version table", async () => {
    const r = await example("upgrade", `${CATEGORY}:head`, "--sql");
    expect(r.code).toBe(0);
    expect(r.out).not.toContain("CREATE TABLE alembic_version");
    expect(r.out.startsWith(`BEGIN;\n\n${UPGRADE_ALL[3]}\n\n`)).toBe(true);
    expect(r.out.endsWith("\n\nCOMMIT;\n\n")).toBe(true);
    expect(runningLines(r.out)).toEqual(UPGRADE_ALL.slice(3));
    expect(chunks(r.out)).toContain(
      `UPDATE alembic_version SET version_num='${SELLER}' WHERE alembic_version.version_num = '${CATEGORY}';`,
    );
  });

  it("FROM may list several revisions (a database on two branches)", async () => {
    const r = await example("upgrade", `${ORDER},${SELLER}:head`, "--sql");
    expect(r.code).toBe(0);
    expect(runningLines(r.out)).toEqual([UPGRADE_ALL[6]]);
    expect(r.out).not.toContain("CREATE TABLE alembic_version");
  });

  it("with two heads, 'head' is ambiguous (exit 2) and 'heads' upgrades both", async () => {
    const dir = copyExample();
    expect((await run("--migrations", dir, "revision", "-m", "other root", "--head", "base", "--rev-id", "root2")).code).toBe(0);
    const ambiguous = await run("--migrations", dir, "upgrade", "head", "--sql");
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.out).toBe("");
    expect(ambiguous.err).toMatch(/^retort: Multiple head revisions are present for given argument 'head'/);
    expect(ambiguous.err).toContain(`(heads: ${HEAD}, root2)`);

    const both = await run("--migrations", dir, "upgrade", "heads", "--sql");
    expect(both.code).toBe(0);
    expect(runningLines(both.out)).toHaveLength(8);
    expect(runningLines(both.out)).toContain("-- Running upgrade  -> root2");
    expect(both.out.split(VERSION_TABLE_DDL)).toHaveLength(2);
    expect(chunks(both.out)).toContain("INSERT INTO alembic_version (version_num) VALUES ('root2') RETURNING alembic_version.version_num;");
  });

  it("--dialect mysql: no BEGIN/COMMIT, no RETURNING", async () => {
    const r = await example("upgrade", "head", "--sql", "--dialect", "mysql");
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/^(BEGIN|COMMIT);$/m);
    expect(r.out).not.toContain("RETURNING");
    expect(r.out.startsWith(`${VERSION_TABLE_DDL}\n\n`)).toBe(true);
    expect(runningLines(r.out)).toEqual(UPGRADE_ALL);
    expect(chunks(r.out)).toContain(`INSERT INTO alembic_version (version_num) VALUES ('${SCHEMA}');`);
  });

  it("--transaction-per-revision: BEGIN/COMMIT around each revision", async () => {
    const r = await example("upgrade", "head", "--sql", "--transaction-per-revision");
    expect(r.code).toBe(0);
    const c = chunks(r.out);
    expect(c.filter((x) => x === "BEGIN;")).toHaveLength(7);
    expect(c.filter((x) => x === "COMMIT;")).toHaveLength(7);
    // each revision sits in its own BEGIN ... COMMIT, the version table in the first one
    expect(c.slice(0, 3)).toEqual(["BEGIN;", VERSION_TABLE_DDL, UPGRADE_ALL[0]]);
    for (const line of UPGRADE_ALL.slice(1)) {
      const i = c.indexOf(line);
      expect(c[i - 1]).toBe("BEGIN;");
      expect(c[i - 2]).toBe("COMMIT;");
    }
    expect(c[c.length - 1]).toBe("COMMIT;");
  });

  it("--transaction-per-revision with mysql emits no transactions at all", async () => {
    const r = await example("upgrade", "head", "--sql", "--transaction-per-revision", "--dialect", "mysql");
    expect(r.out).not.toMatch(/^(BEGIN|COMMIT);$/m);
  });

  it("--version-table and --version-schema name the qualified table everywhere", async () => {
    const r = await example("upgrade", "head", "--sql", "--version-table", "my_versions", "--version-schema", "ops");
    expect(r.code).toBe(0);
    expect(r.out).not.toContain("alembic_version");
    const c = chunks(r.out);
    expect(c[1]).toBe(
      "CREATE TABLE ops.my_versions (\n" +
        "    version_num VARCHAR(32) NOT NULL, \n" +
        "    CONSTRAINT my_versions_pkc PRIMARY KEY (version_num)\n" +
        ");",
    );
    expect(c).toContain(`INSERT INTO ops.my_versions (version_num) VALUES ('${SCHEMA}') RETURNING ops.my_versions.version_num;`);
    expect(c).toContain(`UPDATE ops.my_versions SET version_num='${CUSTOMER}' WHERE ops.my_versions.version_num = '${SCHEMA}';`);
    expect(c).toContain(`DELETE FROM ops.my_versions WHERE ops.my_versions.version_num = '${ORDER}';`);
  });

  it("quotes version table names that need it", async () => {
    const pg = await example("upgrade", SCHEMA, "--sql", "--version-table", "Versions");
    expect(chunks(pg.out)[1]).toMatch(/^CREATE TABLE "Versions" \(\n[^]*CONSTRAINT "Versions_pkc" PRIMARY KEY/);
    const my = await example("upgrade", SCHEMA, "--sql", "--version-table", "Versions", "--dialect", "mysql");
    expect(chunks(my.out)[0]).toMatch(/^CREATE TABLE `Versions` \(/);
  });

  // BUG: quoteIdent only quotes names outside [a-z_][a-z0-9_]*; reserved words pass unquoted,
  // so `--version-table order` prints `CREATE TABLE order (` and PostgreSQL rejects it
  // ("syntax error at or near "order""). SQLAlchemy, whose output Alembic prints, quotes them.
  it("quotes a reserved word used as the version table name", async () => {
    const r = await example("upgrade", SCHEMA, "--sql", "--version-table", "order");
    expect(r.code).toBe(0);
    expect(chunks(r.out)[1]).toMatch(/^CREATE TABLE "order" \(/);
  });

  it("refuses an invalid version table name", async () => {
    const r = await example("upgrade", "head", "--sql", "--version-table", "a.b");
    expect(r.code).toBe(2);
    expect(r.err).toBe("retort: Invalid version table 'a.b': use a plain identifier (no dots, quotes, spaces; at most 63 bytes in UTF-8).\n");
  });

  it("refuses a table name PostgreSQL would cut (over 63 bytes, counted in UTF-8), not only one over 63 characters", async () => {
    for (const [option, name] of [["--version-table", "é".repeat(32)], ["--history-table", "h".repeat(64)]] as const) {
      const r = await example("upgrade", "head", "--sql", option, name);
      expect(r.code, name).toBe(2);
      expect(r.err).toContain(`'${name}': use a plain identifier (no dots, quotes, spaces; at most 63 bytes in UTF-8).`);
    }
    const ok = await example("upgrade", "head", "--sql", "--version-table", "é".repeat(31));
    expect(ok.code).toBe(0);
  });

  it("refuses an unknown dialect", async () => {
    const r = await example("upgrade", "head", "--sql", "--dialect", "sqlite");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain("sqlite");
  });

  it("without --sql it runs against a database: an unreachable one is one clear line, exit 1", async () => {
    const r = await example("upgrade", "head", "--database-url", "postgresql://ci:hunter2-pw@127.0.0.1:1/app");
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toBe("retort: Cannot connect to 127.0.0.1:1: connection refused. Is the database running? (--wait SECONDS waits for it)\n");
    expect(r.err).not.toContain("hunter2");
  });
});

describe("downgrade --sql", () => {
  it("head:base runs every downgrade, newest first, and empties the version table", async () => {
    const r = await example("downgrade", "head:base", "--sql");
    expect(r.code).toBe(0);
    expect(r.out.startsWith("BEGIN;\n\n")).toBe(true);
    expect(r.out.endsWith(`DELETE FROM alembic_version WHERE alembic_version.version_num = '${SCHEMA}';\n\nCOMMIT;\n\n`)).toBe(true);
    expect(r.out).not.toContain("CREATE TABLE alembic_version");
    expect(r.out).not.toContain("DROP TABLE alembic_version");
    expect(runningLines(r.out)).toEqual([
      `-- Running downgrade ${HEAD} -> ${ORDER}, ${SELLER}`,
      `-- Running downgrade ${ORDER} -> ${INSERT}`,
      `-- Running downgrade ${INSERT} -> ${CATEGORY}`,
      `-- Running downgrade ${SELLER} -> ${CATEGORY}`,
      `-- Running downgrade ${CATEGORY} -> ${CUSTOMER}`,
      `-- Running downgrade ${CUSTOMER} -> ${SCHEMA}`,
      `-- Running downgrade ${SCHEMA} -> `,
    ]);
    expect(chunks(r.out)).toContain("DROP SCHEMA IF EXISTS ecommerce_olist CASCADE;");
  });

  it("FROM:TO stops at TO", async () => {
    const r = await example("downgrade", `${HEAD}:${CATEGORY}`, "--sql");
    expect(r.code).toBe(0);
    expect(runningLines(r.out)).toHaveLength(4);
    const c = chunks(r.out);
    expect(c[c.length - 2]).toBe(`UPDATE alembic_version SET version_num='${CATEGORY}' WHERE alembic_version.version_num = '${SELLER}';`);
  });

  it("refuses to cross an irreversible revision, naming its file", async () => {
    writeFileSync(join(tmp, "a1_first.sql"), "-- first\n--\n-- Revision ID: a1\n-- Revises:\n\n-- migrate:upgrade\nSELECT 1;\n");
    writeFileSync(
      join(tmp, "b2_second.sql"),
      "-- second\n--\n-- Revision ID: b2\n-- Revises: a1\n\n-- migrate:upgrade\nSELECT 2;\n\n-- migrate:downgrade\n",
    );
    const r = await run("--migrations", tmp, "downgrade", "head:base", "--sql");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(new RegExp(`^retort: Revision a1 \\(${tmp}/a1_first\\.sql\\) is irreversible`));
    // down to a1 only crosses b2, whose downgrade section is empty: a no-op
    const ok = await run("--migrations", tmp, "downgrade", "head:a1", "--sql");
    expect(ok.code).toBe(0);
    expect(chunks(ok.out)).toEqual([
      "BEGIN;",
      "-- Running downgrade b2 -> a1",
      "UPDATE alembic_version SET version_num='a1' WHERE alembic_version.version_num = 'b2';",
      "COMMIT;",
    ]);
  });

  it("a bare target is a usage error: it needs FROM:TO", async () => {
    const r = await example("downgrade", "head", "--sql");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain("requires <fromrev>:<torev>");
    expect(r.err).toMatch(/^retort: /);
  });

  it("refuses a target above FROM", async () => {
    const r = await example("downgrade", `${CATEGORY}:${HEAD}`, "--sql");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^retort: Destination ${HEAD} is not a valid downgrade target`));
  });
});

describe("errors", () => {
  it("an unknown revision: exit 2, one line on stderr, no stack trace", async () => {
    const r = await example("show", "ffffffff");
    expect(r).toEqual({ code: 2, out: "", err: "retort: No such revision or branch 'ffffffff'\n" });
    expect(r.err).not.toContain("    at ");
    const upgrade = await example("upgrade", "ffffffff", "--sql");
    expect(upgrade.code).toBe(2);
    expect(upgrade.out).toBe("");
    expect(upgrade.err).toBe("retort: No such revision or branch 'ffffffff'\n");
  });

  it("--debug adds the stack trace", async () => {
    const r = await example("--debug", "show", "ffffffff");
    expect(r.code).toBe(2);
    const lines = r.err.trimEnd().split("\n");
    expect(lines[0]).toBe("retort: No such revision or branch 'ffffffff'");
    expect(lines[1]).toBe("ResolutionError: No such revision or branch 'ffffffff'");
    expect(lines.filter((l) => l.startsWith("    at ")).length).toBeGreaterThan(0);
  });

  it("a bad revision file: the message names file:line", async () => {
    const file = join(tmp, "abc1_broken.sql");
    writeFileSync(file, "-- broken\n--\n-- Revision ID: abc1\n-- Revises:\n\n-- migrate:up\nSELECT 1;\n");
    const r = await run("--migrations", tmp, "heads");
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err.startsWith(`retort: ${tmp}/abc1_broken.sql:6: unknown section '-- migrate:up' (write -- migrate:upgrade)`)).toBe(
      true,
    );
    expect(r.err.endsWith("\n")).toBe(true);
    expect(r.err.trimEnd().split("\n")).toHaveLength(1);
  });

  it("a missing migrations directory: the message names it and --migrations", async () => {
    const missing = join(tmp, "nowhere");
    const r = await run("--migrations", missing, "history");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^retort: Migrations directory '${missing}' does not exist\\. Pass --migrations DIR`));
    expect(r.err.trimEnd().split("\n")).toHaveLength(1);
  });

  it("an unknown command or option: exit 2", async () => {
    const command = await example("frobnicate");
    expect(command.code).toBe(2);
    expect(command.out).toBe("");
    expect(command.err).toContain("unknown command 'frobnicate'");
    const option = await example("heads", "--bogus");
    expect(option.code).toBe(2);
    expect(option.err).toContain("unknown option '--bogus'");
    const missing = await example("revision");
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("required option '-m, --message <msg>' not specified");
  });

  it("--help and --version: exit 0 on stdout", async () => {
    const help = await run("--help");
    expect(help.code).toBe(0);
    expect(help.err).toBe("");
    expect(help.out).toMatch(/^Usage: retort \[options\] \[command\]\n/);
    for (const command of ["heads", "branches", "history", "show", "revision", "merge", "upgrade", "downgrade"]) {
      expect(help.out).toMatch(new RegExp(`^  ${command} `, "m"));
    }
    const sub = await run("upgrade", "--help");
    expect(sub.code).toBe(0);
    expect(sub.out).toContain("--transaction-per-revision");
    const version = await run("--version");
    expect(version).toEqual({ code: 0, out: "0.0.0-dev\n", err: "" });
  });

  it("honours RETORT_MIGRATIONS, and --migrations wins over it", async () => {
    const saved = process.env.RETORT_MIGRATIONS;
    try {
      process.env.RETORT_MIGRATIONS = DEPENDS_ON;
      expect((await run("heads", "--resolve-dependencies")).out).toBe("bbbb00000001 (audit) (head)\n");
      expect((await run("--migrations", MIGRATIONS, "heads")).out).toBe(`${HEAD} (marketplace) (head)\n`);
      process.env.RETORT_MIGRATIONS = join(tmp, "nowhere");
      const r = await run("heads");
      expect(r.code).toBe(2);
      expect(r.err).toContain(`'${join(tmp, "nowhere")}'`);
    } finally {
      if (saved === undefined) delete process.env.RETORT_MIGRATIONS;
      else process.env.RETORT_MIGRATIONS = saved;
    }
  });

  it("takes every option from the environment too (RETORT_TARGET, RETORT_DIALECT, RETORT_VERSION_TABLE)", async () => {
    const saved = { ...process.env };
    try {
      process.env.RETORT_TARGET = "b1bc43e2f536";
      process.env.RETORT_DIALECT = "mysql";
      process.env.RETORT_VERSION_TABLE = "schema_versions";
      const r = await run("--migrations", MIGRATIONS, "upgrade", "--sql");
      expect(r.code, r.err).toBe(0);
      expect(r.out.match(/^-- Running upgrade/gm)).toHaveLength(2);
      expect(r.out).not.toContain("BEGIN;");
      expect(r.out).toContain("UPDATE schema_versions SET version_num='b1bc43e2f536' WHERE schema_versions.version_num = '784a7abb86b7';");
      // A flag still wins.
      expect((await run("--migrations", MIGRATIONS, "upgrade", "784a7abb86b7", "--sql", "--dialect", "postgresql")).out).toContain("BEGIN;");
    } finally {
      for (const k of ["RETORT_TARGET", "RETORT_DIALECT", "RETORT_VERSION_TABLE"]) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });
});
