// Interoperability with the real Alembic (Debian's python3-alembic 1.8.1 with psycopg2 and
// pymysql): ONE revision graph, written twice (retort's native .sql files and an Alembic
// project whose Python revisions carry the same ids, down revisions, branch labels,
// depends_on and SQL), run against the same PostgreSQL and MariaDB databases. A database
// migrated by Alembic continues with retort and the other way round; both tools must leave
// the same version rows and tables. (PGlite is skipped: Alembic cannot connect to it.)
//
// Every `alembic` call is a real `python3 -m alembic` process (~0.4 s), so each test
// prepares with retort where it can and calls Alembic only for the step under test.

import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as online from "../../src/commands/online.js";
import { renderRevisionFile } from "../../src/load/native.js";
import { makeOptions, type Options } from "../../src/options.js";
import { BACKENDS, describeBackend, queryOnce, type Backend } from "../servers.js";

const PYTHON = "/usr/bin/python3";

function alembicUnavailable(): string | null {
  try {
    execFileSync(PYTHON, ["-c", "import alembic, psycopg2, pymysql"], { stdio: "ignore" });
    return null;
  } catch {
    return `${PYTHON} cannot import alembic, psycopg2 and pymysql (apt-get install python3-alembic python3-psycopg2 python3-pymysql)`;
  }
}
const NO_ALEMBIC = alembicUnavailable();

interface Spec {
  readonly id: string;
  readonly name: string;
  readonly down: readonly string[];
  readonly labels?: readonly string[];
  readonly deps?: readonly string[];
  /** One statement per item: pymysql runs one statement per execute. */
  readonly upgrade: readonly string[];
  readonly downgrade: readonly string[];
}

// The graph (ids of 12 hex characters, like new Alembic ids):
//
//   A -> B -+-> L (branch label "left") -----------+-> M (merge of L and R2) -> D
//           +-> R1 -> R2 (depends_on L) -----------+
//
// R2 copies the row L wrote, so it only works when L ran first.
const A = "aaaa00000001";
const B = "bbbb00000002";
const L = "cccc00000003";
const R1 = "cccc00000004";
const R2 = "cccc00000005";
const M = "dddd00000006";
const D = "eeee00000007";

const create = (name: string) => `CREATE TABLE ${name} (id INT PRIMARY KEY)`;
const GRAPH: readonly Spec[] = [
  { id: A, name: "A", down: [], upgrade: [create("t_a")], downgrade: ["DROP TABLE t_a"] },
  { id: B, name: "B", down: [A], upgrade: [create("t_b")], downgrade: ["DROP TABLE t_b"] },
  { id: L, name: "L", down: [B], labels: ["left"], upgrade: [create("t_l"), "INSERT INTO t_l (id) VALUES (7)"], downgrade: ["DROP TABLE t_l"] },
  { id: R1, name: "R1", down: [B], upgrade: [create("t_r1")], downgrade: ["DROP TABLE t_r1"] },
  { id: R2, name: "R2", down: [R1], deps: [L], upgrade: [create("t_r2"), "INSERT INTO t_r2 (id) SELECT id FROM t_l"], downgrade: ["DROP TABLE t_r2"] },
  { id: M, name: "M", down: [L, R2], upgrade: [create("t_m")], downgrade: ["DROP TABLE t_m"] },
  { id: D, name: "D", down: [M], upgrade: [create("t_d")], downgrade: ["DROP TABLE t_d"] },
];
const ALL_TABLES = ["t_a", "t_b", "t_d", "t_l", "t_m", "t_r1", "t_r2"];

/** A Python string literal (JSON strings of ASCII text are valid Python). */
const py = (s: string) => JSON.stringify(s);
const pyTuple = (xs: readonly string[] | undefined) =>
  !xs || xs.length === 0 ? "None" : xs.length === 1 ? py(xs[0]!) : `(${xs.map(py).join(", ")})`;

const ENV_PY = `# Minimal online env.py: the URL comes from TEST_DB_URL.
import os

from alembic import context
from sqlalchemy import create_engine, pool

engine = create_engine(os.environ["TEST_DB_URL"], poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
`;

interface Projects {
  /** retort's migrations directory. */
  readonly native: string;
  /** The Alembic project (alembic.ini, env.py, versions/). */
  readonly alembic: string;
}

/** Writes the graph as retort native files under `dir/native` and as an Alembic project under
 *  `dir/alembic`. */
function writeProjects(dir: string, specs: readonly Spec[]): Projects {
  const native = join(dir, "native");
  const alembic = join(dir, "alembic");
  mkdirSync(native);
  mkdirSync(join(alembic, "versions"), { recursive: true });
  writeFileSync(join(alembic, "alembic.ini"), `[alembic]\nscript_location = ${alembic}\n`);
  writeFileSync(join(alembic, "env.py"), ENV_PY);
  for (const s of specs) {
    writeFileSync(
      join(native, `${s.id}_make_${s.name.toLowerCase()}.sql`),
      renderRevisionFile({
        id: s.id,
        message: `make ${s.name}`,
        downRevisions: s.down,
        createDate: "2026-11-25 10:00:00.000000",
        branchLabels: s.labels ?? [],
        dependsOn: s.deps ?? [],
        upgrade: s.upgrade.map((q) => `${q};`).join("\n"),
        downgrade: s.downgrade.map((q) => `${q};`).join("\n"),
      }),
    );
    writeFileSync(
      join(alembic, "versions", `${s.id}_make_${s.name.toLowerCase()}.py`),
      [
        `"""make ${s.name}`,
        "",
        `Revision ID: ${s.id}`,
        `Revises: ${s.down.join(", ")}`,
        "Create Date: 2026-11-25 10:00:00.000000",
        "",
        '"""',
        "from alembic import op",
        "",
        `revision = ${py(s.id)}`,
        `down_revision = ${pyTuple(s.down)}`,
        `branch_labels = ${pyTuple(s.labels)}`,
        `depends_on = ${pyTuple(s.deps)}`,
        "",
        "",
        "def upgrade():",
        ...s.upgrade.map((q) => `    op.execute(${py(q)})`),
        "",
        "",
        "def downgrade():",
        ...s.downgrade.map((q) => `    op.execute(${py(q)})`),
        "",
      ].join("\n"),
    );
  }
  return { native, alembic };
}

/** retort's URL as SQLAlchemy's, with the drivers Debian ships. */
function sqlalchemyUrl(url: string): string {
  const u = new URL(url);
  const scheme = u.protocol === "mysql:" || u.protocol === "mariadb:" ? "mysql+pymysql:" : "postgresql+psycopg2:";
  return `${scheme}//${u.username}@${u.host}${u.pathname}`;
}

let work: string | null = null;
let project: Projects;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "retort-alembic-interop-"));
  project = writeProjects(work, GRAPH);
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const run = promisify(execFile);

/** Runs `python3 -m alembic ARGS` in the Alembic project (against `url`, when given); resolves
 *  to stdout, or rejects with the end of Alembic's stderr. Asynchronous, so that the tests of
 *  a suite (concurrent) overlap their Python processes. */
async function alembic(url: string | null, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await run(PYTHON, ["-m", "alembic", ...args], {
      cwd: project.alembic,
      env: { ...process.env, TEST_DB_URL: url === null ? "" : sqlalchemyUrl(url), PYTHONDONTWRITEBYTECODE: "1" },
      encoding: "utf8",
    });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`alembic ${args.join(" ")} failed: ${(err.stderr || err.stdout || err.message).trim().split("\n").slice(-3).join("\n")}`);
  }
}

/** The revision ids `alembic current` lists (first word of each line), sorted. */
const alembicCurrent = async (url: string): Promise<string[]> =>
  (await alembic(url, "current"))
    .split("\n")
    .map((l) => l.trim().split(/\s+/)[0]!)
    .filter(Boolean)
    .sort();

const quiet: online.Session = { log: { info: () => undefined, warn: () => undefined }, notice: () => undefined };

if (NO_ALEMBIC !== null && process.env.RETORT_REQUIRE_SERVERS === "1") {
  it("needs Alembic (RETORT_REQUIRE_SERVERS=1)", () => {
    throw new Error(NO_ALEMBIC);
  });
}

describe.skipIf(NO_ALEMBIC !== null)(`the Alembic project${NO_ALEMBIC === null ? "" : ` [skipped: ${NO_ALEMBIC}]`}`, () => {
  it("describes the same graph: Alembic loads every revision, with one head", async () => {
    // history and heads read only the files (env.py does not run).
    const history = await alembic(null, "history");
    for (const s of GRAPH) expect(history).toContain(s.id);
    expect(history).toContain(`${R1} (${L}) -> ${R2}`);
    expect(history).toContain(`${L}, ${R2} -> ${M} (left) (mergepoint)`);
    expect((await alembic(null, "heads")).trim()).toBe(`${D} (left) (head)`);
  });
});

function interop(backend: Backend): void {
  // Concurrent: the tests overlap their Python processes and database round trips.
  describe.skipIf(NO_ALEMBIC !== null).concurrent("Alembic 1.8.1", { timeout: 60_000 }, () => {
    const drops: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const drop of drops) await drop();
    });
    const fresh = async (): Promise<string> => {
      const { url, drop } = await backend.create();
      drops.push(drop);
      return url;
    };

    const options = (url: string): Options =>
      makeOptions({
        migrations: project.native,
        databaseUrl: url,
        lockTimeout: "5",
        identity: { actor: "tester", commitSha: null, runUrl: null, retortVersion: "9.9.9" },
      });
    const retort = {
      upgrade: (url: string, target: string) => online.migrate(options(url), quiet, "upgrade", target, false),
      downgrade: (url: string, target: string) => online.migrate(options(url), quiet, "downgrade", target, false),
      stamp: (url: string, revisions: string[], purge = false) => online.stamp(options(url), quiet, revisions, purge),
      /** `current --json`'s ids, sorted. */
      current: async (url: string): Promise<string[]> =>
        (JSON.parse(await online.current(options(url), quiet, true)) as { current: string[] }).current.slice().sort(),
    };

    const sql = async <T = Record<string, unknown>>(url: string, text: string): Promise<T[]> => (await queryOnce(url, text)) as T[];
    const here = backend.name === "mariadb" ? "DATABASE()" : "current_schema()";
    const tableNames = async (url: string): Promise<string[]> =>
      (await sql<{ t: string }>(url, `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ${here}`)).map((r) => r.t).sort();
    /** The version rows, sorted; [] when there is no version table. */
    const versions = async (url: string): Promise<string[]> =>
      (await tableNames(url)).includes("alembic_version")
        ? (await sql<{ version_num: string }>(url, "SELECT version_num FROM alembic_version")).map((r) => r.version_num).sort()
        : [];
    const userTables = async (url: string) => (await tableNames(url)).filter((t) => t.startsWith("t_"));
    const state = async (url: string) => ({ versions: await versions(url), tables: await userTables(url) });
    /** The number of history rows, or null without a history table. */
    const historyRows = async (url: string): Promise<number | null> =>
      (await tableNames(url)).includes("alembic_version_history")
        ? Number((await sql<{ n: unknown }>(url, "SELECT COUNT(*) AS n FROM alembic_version_history"))[0]!.n)
        : null;
    /** What the version table is made of: columns, types, nullability, primary key. */
    const versionTableShape = (url: string) =>
      sql(
        url,
        backend.name === "mariadb"
          ? "SELECT c.column_name, c.column_type, c.is_nullable, c.column_key, c.collation_name, t.engine FROM information_schema.columns c " +
              "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name " +
              "WHERE c.table_schema = DATABASE() AND c.table_name = 'alembic_version' ORDER BY c.ordinal_position"
          : "SELECT c.column_name, c.data_type, c.character_maximum_length, c.is_nullable, k.constraint_name FROM information_schema.columns c " +
              "LEFT JOIN information_schema.key_column_usage k ON k.table_schema = c.table_schema AND k.table_name = c.table_name AND k.column_name = c.column_name " +
              "WHERE c.table_schema = current_schema() AND c.table_name = 'alembic_version' ORDER BY c.ordinal_position",
      );

    it("direction 1: retort upgrades one branch, Alembic continues to the heads; same rows as retort alone", async ({ expect }) => {
      const mixed = await fresh();
      await retort.upgrade(mixed, L);
      expect(await versions(mixed)).toEqual([L]);
      expect(await alembicCurrent(mixed)).toEqual([L]);
      await alembic(mixed, "upgrade", "heads");

      const alone = await fresh();
      await retort.upgrade(alone, "heads");

      expect(await state(mixed)).toEqual({ versions: [D], tables: ALL_TABLES });
      expect(await state(mixed)).toEqual(await state(alone));
      expect(await sql(mixed, "SELECT id FROM t_r2")).toEqual([{ id: 7 }]);
      expect(await alembicCurrent(mixed)).toEqual(await versions(alone));
      expect(await retort.current(mixed)).toEqual([D]);
      // Alembic left retort's history alone: the rows of A, B and L.
      expect(await historyRows(mixed)).toBe(3);
    });

    it("direction 2: Alembic stops with two rows (both branches before the merge), retort reads them and continues", async ({ expect }) => {
      const mixed = await fresh();
      await alembic(mixed, "upgrade", L);
      await alembic(mixed, "upgrade", R1);
      expect(await versions(mixed)).toEqual([L, R1]);
      expect(await alembicCurrent(mixed)).toEqual([L, R1]);
      expect(await retort.current(mixed)).toEqual([L, R1]);
      expect((await online.current(options(mixed), quiet, false)).split("\n").sort()).toEqual(["", L, R1]);
      // Alembic keeps no history, and reading the state does not create one.
      expect(await historyRows(mixed)).toBeNull();
      expect(await retort.upgrade(mixed, "head")).toMatch(new RegExp(`from (${L}, ${R1}|${R1}, ${L}) to ${D}: 3 revision`));

      const alone = await fresh();
      await alembic(alone, "upgrade", "head");

      expect(await state(mixed)).toEqual({ versions: [D], tables: ALL_TABLES });
      expect(await state(mixed)).toEqual(await state(alone));
      expect(await sql(mixed, "SELECT id FROM t_r2")).toEqual([{ id: 7 }]);
      // retort wrote a history row for each revision it ran (R2, M, D), none for Alembic's.
      expect(await historyRows(mixed)).toBe(3);
      expect(await historyRows(alone)).toBeNull();
    });

    it("depends_on across tools: upgrading to R2 runs L too and leaves the one row R2, with either tool", async ({ expect }) => {
      const byRetort = await fresh();
      await retort.upgrade(byRetort, R2);
      const byAlembic = await fresh();
      await alembic(byAlembic, "upgrade", R2);
      expect(await state(byRetort)).toEqual({ versions: [R2], tables: ["t_a", "t_b", "t_l", "t_r1", "t_r2"] });
      expect(await state(byAlembic)).toEqual(await state(byRetort));

      // Both read the one row as R2 with L applied through the dependency (`alembic current`
      // also names L, see the next test); both continue from there.
      expect(await retort.current(byAlembic)).toEqual([R2]);
      await retort.upgrade(byAlembic, "heads");
      await alembic(byRetort, "upgrade", "heads");
      expect(await state(byRetort)).toEqual({ versions: [D], tables: ALL_TABLES });
      expect(await state(byAlembic)).toEqual(await state(byRetort));
    });

    it("`alembic current` names a dependency the version table leaves implicit; `retort current` lists the rows only", async ({ expect }) => {
      // Not a version-table difference: both tools write the single row R2. Alembic's
      // `current` prints get_all_current(rows), which adds L (applied through depends_on);
      // retort prints the rows, as its README says.
      const url = await fresh();
      await retort.upgrade(url, R2);
      expect(await versions(url)).toEqual([R2]);
      expect(await alembicCurrent(url)).toEqual([L, R2]);
      expect(await online.current(options(url), quiet, false)).toBe(`${R2}\n`);
    });

    it("downgrades across tools: to base both ways, leaving no rows and no tables; Alembic ignores retort's history table", async ({ expect }) => {
      const byAlembic = await fresh();
      await alembic(byAlembic, "upgrade", "head");
      const byRetort = await fresh();
      await retort.upgrade(byRetort, "head");
      // Both create the same version table.
      expect(await versionTableShape(byRetort)).toEqual(await versionTableShape(byAlembic));
      expect(await historyRows(byAlembic)).toBeNull();

      // retort takes the database Alembic brought to head down to base ...
      expect(await retort.current(byAlembic)).toEqual([D]);
      await retort.downgrade(byAlembic, "base");
      expect(await state(byAlembic)).toEqual({ versions: [], tables: [] });
      expect(await historyRows(byAlembic)).toBe(GRAPH.length);

      // ... and Alembic the one retort brought there, over retort's history table.
      await alembic(byRetort, "downgrade", "base");
      expect(await state(byRetort)).toEqual({ versions: [], tables: [] });
      expect(await retort.current(byRetort)).toEqual([]);
      expect(await historyRows(byRetort)).toBe(GRAPH.length);
      // Up again with Alembic: the history table is still not Alembic's business.
      await alembic(byRetort, "upgrade", "heads");
      expect(await state(byRetort)).toEqual({ versions: [D], tables: ALL_TABLES });
      expect(await historyRows(byRetort)).toBe(GRAPH.length);
    });

    it.for([
      { target: R1, rows: [L, R1], tables: ["t_a", "t_b", "t_l", "t_r1"] },
      { target: `left@${B}`, rows: [R1], tables: ["t_a", "t_b", "t_r1"] },
    ])("downgrade from head to $target: Alembic (after retort's upgrade) and retort leave the same rows", async ({ target, rows, tables }, { expect }) => {
      const mixed = await fresh();
      await retort.upgrade(mixed, "head");
      await alembic(mixed, "downgrade", target);
      const alone = await fresh();
      await retort.upgrade(alone, "head");
      await retort.downgrade(alone, target);
      expect(await state(alone)).toEqual({ versions: rows, tables });
      expect(await state(mixed)).toEqual(await state(alone));
    });

    it("downgrade from head to R2: both tools leave the rows L and R2, which block upgrades in both; Alembic still downgrades", async ({ expect }) => {
      // Down to R2 undoes D and M only; M's two down revisions come back as rows, though L is
      // below R2 through depends_on. Neither tool can upgrade from there.
      const mixed = await fresh();
      await retort.upgrade(mixed, "head");
      await alembic(mixed, "downgrade", R2);
      const alone = await fresh();
      await retort.upgrade(alone, "head");
      await retort.downgrade(alone, R2);
      expect(await state(alone)).toEqual({ versions: [L, R2], tables: ["t_a", "t_b", "t_l", "t_r1", "t_r2"] });
      expect(await state(mixed)).toEqual(await state(alone));

      await expect(alembic(mixed, "upgrade", "heads")).rejects.toThrow(/Requested revision cccc00000005 overlaps with other requested revisions cccc00000003/);
      await expect(retort.upgrade(mixed, "heads")).rejects.toThrow(/Requested revision cccc00000005 overlaps with other requested revision cccc00000003/);
      expect(await versions(mixed)).toEqual([L, R2]);
      await alembic(mixed, "downgrade", "base");
      expect(await state(mixed)).toEqual({ versions: [], tables: [] });
    });

    // From the rows [L, R2], which both tools write (`downgrade R2` from head), retort goes on
    // downgrading like Alembic (L is below R2 only through depends_on).
    it("retort downgrades to base from the rows L and R2, like Alembic", async ({ expect }) => {
      const url = await fresh();
      await retort.upgrade(url, "head");
      await retort.downgrade(url, R2);
      await retort.downgrade(url, "base");
      expect(await state(url)).toEqual({ versions: [], tables: [] });
    });

    it("downgrade -1 with two rows: Alembic warns and drops one head, retort refuses and changes nothing", async ({ expect }) => {
      // A deliberate difference (src/core/target.ts: "a deploy tool must not guess").
      const byAlembic = await fresh();
      const byRetort = await fresh();
      for (const url of [byAlembic, byRetort]) {
        await retort.upgrade(url, L);
        await retort.upgrade(url, R1);
      }
      await alembic(byAlembic, "downgrade", "-1");
      const left = await versions(byAlembic);
      expect(left.length === 1 && [L, R1].includes(left[0]!)).toBe(true);
      await expect(retort.downgrade(byRetort, "-1")).rejects.toThrow(/downgrade -1 from multiple heads \(.*\) is ambiguous/);
      expect(await state(byRetort)).toEqual({ versions: [L, R1], tables: ["t_a", "t_b", "t_l", "t_r1"] });
    });

    it("stamp: a second branch is added beside the first; Alembic's `stamp base` and retort's `stamp --purge base` empty the table", async ({ expect }) => {
      const byAlembic = await fresh();
      const byRetort = await fresh();
      for (const url of [byAlembic, byRetort]) await retort.upgrade(url, L);
      await alembic(byAlembic, "stamp", R1);
      await retort.stamp(byRetort, [R1]);
      expect(await versions(byRetort)).toEqual([L, R1]);
      expect(await state(byAlembic)).toEqual(await state(byRetort));

      await alembic(byAlembic, "stamp", "base");
      await retort.stamp(byRetort, ["base"], true);
      expect(await state(byRetort)).toEqual({ versions: [], tables: ["t_a", "t_b", "t_l"] });
      expect(await state(byAlembic)).toEqual(await state(byRetort));
    });

    // Alembic's `stamp base` deletes every row; so does retort's, with or without --purge.
    it("retort's `stamp base` (without --purge) empties the version table, like Alembic's", async ({ expect }) => {
      const url = await fresh();
      await retort.upgrade(url, L);
      await retort.upgrade(url, R1);
      await retort.stamp(url, ["base"]);
      expect(await versions(url)).toEqual([]);
    });
  });
}

for (const backend of BACKENDS) {
  if (backend.name === "pglite") continue; // Alembic cannot connect to an embedded PGlite
  describeBackend(backend, "Alembic interop", () => interop(backend));
}
