// Interoperability with the real Alembic (Debian's python3-alembic 1.8.1 with psycopg2 and
// pymysql): ONE revision graph, written twice (retort's native .sql files and an Alembic
// project whose Python revisions carry the same ids, down revisions, branch labels,
// depends_on and SQL), run against the same PostgreSQL and MariaDB databases. A database
// migrated by Alembic continues with retort and the other way round; both tools must leave
// the same version rows and tables. (PGlite is skipped: Alembic cannot connect to it.)

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as online from "../../src/commands/online.js";
import { renderRevisionFile } from "../../src/load/native.js";
import { makeOptions, type Options } from "../../src/options.js";
import { BACKENDS, connect, describeBackend, type Backend } from "../servers.js";

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
  readonly down: readonly string[];
  readonly labels?: readonly string[];
  readonly deps?: readonly string[];
  /** One statement per item: pymysql runs one statement per execute. */
  readonly upgrade: readonly string[];
  readonly downgrade: readonly string[];
}

// The graph (ids are 12 hex characters, like new Alembic ids):
//
//   A -> B -+-> L (label "left") ----------------+-> M (merge L, R2) -> D
//           +-> R1 -> R2 (depends_on L) ---------+
//
// R2 reads a row L wrote, so running it before L fails on both tools.
const A = "aaaa00000001";
const B = "bbbb00000002";
const L = "cccc00000003";
const R1 = "cccc00000004";
const R2 = "cccc00000005";
const M = "dddd00000006";
const D = "eeee00000007";
const NAMES: Record<string, string> = { [A]: "A", [B]: "B", [L]: "L", [R1]: "R1", [R2]: "R2", [M]: "M", [D]: "D" };

const table = (name: string) => `CREATE TABLE ${name} (id INT PRIMARY KEY)`;
const GRAPH: readonly Spec[] = [
  { id: A, down: [], upgrade: [table("t_a")], downgrade: ["DROP TABLE t_a"] },
  { id: B, down: [A], upgrade: [table("t_b")], downgrade: ["DROP TABLE t_b"] },
  { id: L, down: [B], labels: ["left"], upgrade: [table("t_l"), "INSERT INTO t_l (id) VALUES (7)"], downgrade: ["DROP TABLE t_l"] },
  { id: R1, down: [B], upgrade: [table("t_r1")], downgrade: ["DROP TABLE t_r1"] },
  { id: R2, down: [R1], deps: [L], upgrade: [table("t_r2"), "INSERT INTO t_r2 (id) SELECT id FROM t_l"], downgrade: ["DROP TABLE t_r2"] },
  { id: M, down: [L, R2], upgrade: [table("t_m")], downgrade: ["DROP TABLE t_m"] },
  { id: D, down: [M], upgrade: [table("t_d")], downgrade: ["DROP TABLE t_d"] },
];

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

/** Writes the graph as retort native files under `dir/native` and as an Alembic project under
 *  `dir/alembic`. */
function writeProjects(dir: string, specs: readonly Spec[]): { native: string; alembic: string } {
  const native = join(dir, "native");
  const alembic = join(dir, "alembic");
  mkdirSync(native);
  mkdirSync(join(alembic, "versions"), { recursive: true });
  writeFileSync(join(alembic, "alembic.ini"), `[alembic]\nscript_location = ${alembic}\n`);
  writeFileSync(join(alembic, "env.py"), ENV_PY);
  for (const s of specs) {
    writeFileSync(
      join(native, `${s.id}_make.sql`),
      renderRevisionFile({
        id: s.id,
        message: `make ${NAMES[s.id] ?? s.id}`,
        downRevisions: s.down,
        createDate: "2026-11-25 10:00:00.000000",
        branchLabels: s.labels ?? [],
        dependsOn: s.deps ?? [],
        upgrade: s.upgrade.map((q) => `${q};`).join("\n"),
        downgrade: s.downgrade.map((q) => `${q};`).join("\n"),
      }),
    );
    writeFileSync(
      join(alembic, "versions", `${s.id}_make.py`),
      [
        `"""make ${NAMES[s.id] ?? s.id}`,
        "",
        `Revision ID: ${s.id}`,
        `Revises: ${s.down.join(", ")}`,
        `Create Date: 2026-11-25 10:00:00.000000`,
        `"""`,
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
  const scheme = u.protocol === "mysql:" ? "mysql+pymysql:" : "postgresql+psycopg2:";
  return `${scheme}//${u.username}@${u.host}${u.pathname}`;
}

const quiet: online.Session = { log: { info: () => undefined, warn: () => undefined }, notice: () => undefined };

function interop(backend: Backend): void {
  describe.skipIf(NO_ALEMBIC !== null)(NO_ALEMBIC === null ? "Alembic 1.8.1" : `Alembic: skipped, ${NO_ALEMBIC}`, () => {
    let work: string;
    let project: { native: string; alembic: string };
    const drops: (() => Promise<void>)[] = [];

    beforeAll(() => {
      work = mkdtempSync(join(tmpdir(), "retort-alembic-interop-"));
      project = writeProjects(work, GRAPH);
    });
    afterAll(async () => {
      for (const drop of drops) await drop();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    const fresh = async (): Promise<string> => {
      const { url, drop } = await backend.create();
      drops.push(drop);
      return url;
    };

    /** Runs `python3 -m alembic ARGS` in the Alembic project against `url`; returns stdout. */
    const alembic = (url: string, ...args: string[]): string => {
      try {
        return execFileSync(PYTHON, ["-m", "alembic", ...args], {
          cwd: project.alembic,
          env: { ...process.env, TEST_DB_URL: sqlalchemyUrl(url), PYTHONDONTWRITEBYTECODE: "1" },
          encoding: "utf8",
          stdio: ["ignore", "pipe", "pipe"],
        });
      } catch (e) {
        const err = e as { stderr?: string; stdout?: string; message: string };
        throw new Error(`alembic ${args.join(" ")} failed: ${err.stderr || err.stdout || err.message}`);
      }
    };
    /** The revision ids `alembic current` lists (first word of each line), sorted. */
    const alembicCurrent = (url: string): string[] =>
      alembic(url, "current")
        .split("\n")
        .map((l) => l.trim().split(/\s+/)[0]!)
        .filter(Boolean)
        .sort();

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
      current: async (url: string): Promise<string[]> =>
        (JSON.parse(await online.current(options(url), quiet, true)) as { current: string[] }).current.slice().sort(),
    };

    const sql = async <T = Record<string, unknown>>(url: string, text: string): Promise<T[]> => {
      const d = await connect(url);
      try {
        return (await d.query(text)).rows as T[];
      } finally {
        await d.close();
      }
    };
    const here = backend.name === "mariadb" ? "DATABASE()" : "current_schema()";
    const tableNames = async (url: string): Promise<string[]> =>
      (await sql<{ t: string }>(url, `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ${here}`)).map((r) => r.t).sort();
    /** The version rows, sorted; [] when Alembic's table does not exist. */
    const versions = async (url: string): Promise<string[]> =>
      (await tableNames(url)).includes("alembic_version")
        ? (await sql<{ version_num: string }>(url, "SELECT version_num FROM alembic_version")).map((r) => r.version_num).sort()
        : [];
    const userTables = async (url: string) => (await tableNames(url)).filter((t) => t.startsWith("t_"));
    /** History rows, or null when there is no history table. */
    const historyRows = async (url: string): Promise<number | null> =>
      (await tableNames(url)).includes("alembic_version_history")
        ? Number((await sql<{ n: unknown }>(url, "SELECT COUNT(*) AS n FROM alembic_version_history"))[0]!.n)
        : null;
    const state = async (url: string) => ({ versions: await versions(url), tables: await userTables(url) });

    it("both projects describe the same graph: Alembic sees every revision and one head", () => {
      const url = "postgresql://nobody@127.0.0.1:1/unused"; // history and heads never connect
      const history = alembic(url, "history");
      for (const s of GRAPH) expect(history).toContain(s.id);
      expect(alembic(url, "heads").trim().split(/\s+/)[0]).toBe(D);
    });

    it.each([A, B, L, R1, R2, M, D, "heads", "left@head", `left@${L}`, "+3"])("upgrade from base to %s: same rows and tables", async (target) => {
      const byAlembic = await fresh();
      const byRetort = await fresh();
      alembic(byAlembic, "upgrade", target);
      await retort.upgrade(byRetort, target);
      console.log("upgrade", target, await state(byAlembic), await state(byRetort));
      expect(await state(byRetort)).toEqual(await state(byAlembic));
    });

    it.each([M, R2, R1, L, B, A, "base", "-1", "-2", "-3", `left@${B}`])("downgrade from head to %s: same rows and tables", async (target) => {
      const byAlembic = await fresh();
      const byRetort = await fresh();
      alembic(byAlembic, "upgrade", "head");
      await retort.upgrade(byRetort, "head");
      let a: unknown = null;
      let r: unknown = null;
      try { alembic(byAlembic, "downgrade", target); } catch (e) { a = (e as Error).message.slice(-300); }
      try { await retort.downgrade(byRetort, target); } catch (e) { r = (e as Error).message; }
      console.log("downgrade", target, a, r, await state(byAlembic), await state(byRetort));
      expect(await state(byRetort)).toEqual(await state(byAlembic));
    });

    it("direction 1: retort upgrades one branch, Alembic continues to the heads; same rows as retort alone", async () => {
      const mixed = await fresh();
      await retort.upgrade(mixed, L);
      expect(await versions(mixed)).toEqual([L]);
      expect(alembicCurrent(mixed)).toEqual([L]);
      alembic(mixed, "upgrade", "heads");

      const alone = await fresh();
      await retort.upgrade(alone, "heads");

      expect(await versions(mixed)).toEqual([D]);
      expect(await state(mixed)).toEqual(await state(alone));
      expect(alembicCurrent(mixed)).toEqual(alembicCurrent(alone));
      expect(alembicCurrent(alone)).toEqual([D]);
      expect(await retort.current(mixed)).toEqual([D]);
      // Alembic left retort's history alone: the rows of A, B and L.
      expect(await historyRows(mixed)).toBe(3);
    });

    it("direction 2: Alembic stops with two rows (both branches before the merge), retort reads them and continues", async () => {
      const mixed = await fresh();
      alembic(mixed, "upgrade", L);
      alembic(mixed, "upgrade", R1);
      expect(await versions(mixed)).toEqual([L, R1]);
      expect(alembicCurrent(mixed)).toEqual([L, R1]);
      expect(await retort.current(mixed)).toEqual([L, R1]);
      // Alembic keeps no history; reading the state does not create one.
      expect(await historyRows(mixed)).toBeNull();
      expect(await retort.upgrade(mixed, "head")).toMatch(new RegExp(`from ${L}, ${R1}|from ${R1}, ${L}`));

      const alone = await fresh();
      alembic(alone, "upgrade", "head");

      expect(await versions(mixed)).toEqual([D]);
      expect(await state(mixed)).toEqual(await state(alone));
      expect(alembicCurrent(mixed)).toEqual([D]);
      // retort wrote a history row for each revision it ran (R2, M, D) and none for Alembic's.
      expect(await historyRows(mixed)).toBe(3);
      expect(await historyRows(alone)).toBeNull();
    });

    it("retort downgrades to base a database Alembic brought to head", async () => {
      const url = await fresh();
      alembic(url, "upgrade", "head");
      expect(await retort.current(url)).toEqual([D]);
      await retort.downgrade(url, "base");
      expect(await state(url)).toEqual({ versions: [], tables: [] });
      expect(alembicCurrent(url)).toEqual([]);
      expect(await historyRows(url)).toBe(GRAPH.length);
    });

    it("Alembic downgrades to base a database retort brought to head, ignoring retort's history table", async () => {
      const url = await fresh();
      await retort.upgrade(url, "head");
      expect(alembicCurrent(url)).toEqual([D]);
      alembic(url, "downgrade", "base");
      expect(await state(url)).toEqual({ versions: [], tables: [] });
      expect(await retort.current(url)).toEqual([]);
      expect(await historyRows(url)).toBe(GRAPH.length);
      // And up again with Alembic over retort's history table.
      alembic(url, "upgrade", "heads");
      expect(await state(url)).toEqual({ versions: [D], tables: ["t_a", "t_b", "t_d", "t_l", "t_m", "t_r1", "t_r2"] });
      expect(await historyRows(url)).toBe(GRAPH.length);
    });
  });
}

for (const backend of BACKENDS) {
  if (backend.name === "pglite") continue; // Alembic cannot connect to an embedded PGlite
  describeBackend(backend, "Alembic interop", () => interop(backend));
}
