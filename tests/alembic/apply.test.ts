// Applying Alembic projects: Alembic runs the revision bodies under retort's lock, retort
// records the history. The rows must be exactly those Alembic leaves by itself, on PostgreSQL
// and on MariaDB; a failing revision is recorded with Alembic's error.

import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { sqlalchemyUrl } from "../../src/alembic/run.js";
import { planDowngrade, planUpgrade, type Plan } from "../../src/core/plan.js";
import { loadGraph } from "../../src/load/directory.js";
import { currentOsUser, identityFromEnv } from "../../src/options.js";
import { checksum } from "../../src/run/checksum.js";
import { BACKENDS, describeBackend, queryOnce, withDriver } from "../servers.js";

const PYTHON = "/usr/bin/python3";
const HEAD = "6c3b8e1f0a47";

for (const backend of BACKENDS.filter((b) => b.name !== "pglite")) {
  describeBackend(backend, "Alembic projects applied through Alembic", () => {
    let project: string;
    const drops: (() => Promise<void>)[] = [];
    const fresh = async () => {
      const { url, drop } = await backend.create();
      drops.push(drop);
      return url;
    };
    const retort = async (url: string, ...args: string[]) => {
      let out = "";
      let err = "";
      const code = await main(["--migrations", project, "--alembic-command", `${PYTHON} -m alembic`, ...args, "--database-url", url], {
        out: (t) => (out += t),
        err: (t) => (err += t),
      });
      return { code, out, err };
    };
    const alembic = (url: string, ...args: string[]) =>
      execFileSync(PYTHON, ["-m", "alembic", ...args], {
        cwd: project,
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", DATABASE_URL: sqlalchemyUrl(url) },
        stdio: ["ignore", "pipe", "pipe"],
      }).toString();
    const query = (url: string, sql: string) => queryOnce(url, sql);
    const versions = (url: string) =>
      withDriver(url, async (d) => {
        if (!(await d.tableExists(null, "alembic_version"))) return [];
        return (await d.query("SELECT version_num FROM alembic_version")).rows.map((r) => String(r.version_num)).sort();
      });

    /** The history rows, as retort writes them for every step (native or Alembic): the plan's
     *  from/to, the file's checksum, who ran it; Alembic's steps measured by the bootstrap. */
    const historyOf = async (url: string) =>
      (
        await query(
          url,
          "SELECT id, alembic_version, prev_alembic_version, operation_type, operation_direction, user_version, changed_at, revision, checksum, " +
            "duration_ms, success, error_message, failed_statement, actor, commit_sha, run_url, retort_version FROM alembic_version_history ORDER BY id",
        )
      ).map((r): Record<string, unknown> => ({ ...r, success: r.success === null ? null : r.success === true || Number(r.success) === 1 }));
    const expectRows = (rows: Record<string, unknown>[], plan: Plan) => {
      const graph = loadGraph(project);
      const identity = identityFromEnv(process.env, currentOsUser(), "0.0.0-dev");
      expect(rows).toHaveLength(plan.steps.length);
      plan.steps.forEach((step, i) => {
        const row = rows[i]!;
        expect(row).toMatchObject({
          alembic_version: step.to.join("##"),
          prev_alembic_version: step.from.join("##"),
          operation_type: "migration",
          operation_direction: step.direction === "upgrade" ? "up" : "down",
          user_version: JSON.stringify({ user: identity.actor, version: identity.retortVersion }),
          revision: step.revision.id,
          checksum: checksum(graph.revisions[graph.nodeOf(step.revision.id)!]!.alembic!.text),
          success: true,
          error_message: null,
          failed_statement: null,
          actor: identity.actor,
          commit_sha: identity.commitSha,
          run_url: identity.runUrl,
          retort_version: identity.retortVersion,
        });
        expect(Number(row.duration_ms)).toBeGreaterThanOrEqual(0);
        expect(row.changed_at).not.toBeNull();
      });
    };

    beforeAll(() => {
      process.env.PYTHONDONTWRITEBYTECODE = "1";
      project = mkdtempSync(join(tmpdir(), "retort-alembic-apply-"));
      cpSync("tests/fixtures/alembic-branches", project, { recursive: true });
    });
    afterAll(async () => {
      for (const d of drops) await d();
      rmSync(project, { recursive: true, force: true });
    });

    it("upgrade head leaves exactly Alembic's rows, with a history row per revision", async () => {
      const byRetort = await fresh();
      const byAlembic = await fresh();
      const r = await retort(byRetort, "upgrade", "head");
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(/Running upgrade .* -> 3f2a9c1e7b10/); // Alembic's log, streamed
      alembic(byAlembic, "upgrade", "head");
      expect(await versions(byRetort)).toEqual([HEAD]);
      expect(await versions(byRetort)).toEqual(await versions(byAlembic));
      expect(r.err).toBe(""); // no warning: every row came through the hook
      const graph = loadGraph(project);
      expectRows(await historyOf(byRetort), planUpgrade(graph, [], "head"));
      // Nothing has drifted: the checksums are the files'.
      const current = await retort(byRetort, "current", "--json");
      expect(JSON.parse(current.out).drift).toEqual([]);
      // And downgrade through the merges, back to base, through Alembic as well.
      const down = await retort(byRetort, "downgrade", "base");
      expect(down.code, down.err).toBe(0);
      expect(await versions(byRetort)).toEqual([]);
      expectRows((await historyOf(byRetort)).slice(7), planDowngrade(graph, [HEAD], "base"));
    });

    it("a failing revision is recorded as failed, with Alembic's error", async () => {
      const url = await fresh();
      writeFileSync(
        join(project, "alembic", "versions", "f00dfeed0001_broken.py"),
        `"""broken\n\nRevision ID: f00dfeed0001\n"""\nfrom alembic import op\nrevision = "f00dfeed0001"\ndown_revision = "${HEAD}"\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    op.execute("THIS IS NOT SQL")\n\n\ndef downgrade():\n    pass\n`,
      );
      try {
        const r = await retort(url, "upgrade", "head");
        expect(r.code).toBe(1);
        expect(r.err).toMatch(/upgrade f00dfeed0001 \(.*f00dfeed0001_broken\.py\) failed: alembic upgrade head failed: .*(syntax|SQL syntax)/i);
        const failed = (await historyOf(url)).filter((h) => h.success === false);
        expect(failed).toHaveLength(1);
        expect(failed[0]).toMatchObject({
          revision: "f00dfeed0001",
          prev_alembic_version: HEAD,
          alembic_version: "f00dfeed0001",
          checksum: checksum(readFileSync(join(project, "alembic", "versions", "f00dfeed0001_broken.py"), "utf8")),
          failed_statement: null,
        });
        expect(String(failed[0]!.error_message)).toMatch(/^alembic upgrade head failed: .*syntax/i);
        // No row claims a step that did not stay: on PostgreSQL the run was one transaction.
        const succeeded = (await historyOf(url)).filter((h) => h.success !== false);
        expect(succeeded).toHaveLength(backend.name === "postgresql" ? 0 : 7);
        expect(succeeded.every((h) => h.success === true)).toBe(true);
        if (backend.name === "postgresql") {
          // Alembic ran the whole upgrade in one transaction: nothing stayed, not even its table.
          expect(await versions(url)).toEqual([]);
        } else {
          // MariaDB committed every revision before the broken one.
          expect(await versions(url)).toEqual([HEAD]);
        }
      } finally {
        rmSync(join(project, "alembic", "versions", "f00dfeed0001_broken.py"));
      }
    });
  });
}

it("a data migration that cannot be rendered offline is marked with its source; upgrade --sql prints the rest and fails", async () => {
  const project = mkdtempSync(join(tmpdir(), "retort-alembic-data-"));
  try {
    cpSync("tests/fixtures/alembic-branches", project, { recursive: true });
    writeFileSync(
      join(project, "alembic", "versions", "da7a00000001_backfill.py"),
      `"""backfill\n\nRevision ID: da7a00000001\n"""\nfrom alembic import op\nrevision = "da7a00000001"\ndown_revision = "${HEAD}"\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    rows = op.get_bind().execute("SELECT 1").fetchall()\n\n\ndef downgrade():\n    pass\n`,
    );
    let out = "";
    let err = "";
    const code = await main(["--migrations", project, "--alembic-command", `${PYTHON} -m alembic`, "upgrade", "head", "--sql"], {
      out: (t) => (out += t),
      err: (t) => (err += t),
    });
    expect(code, err).toBe(1);
    expect(err).toMatch(/warning: da7a00000001: Alembic cannot render its upgrade SQL offline/);
    expect(err).toMatch(/retort: the SQL above is incomplete/);
    expect(out).toContain("-- Running upgrade 6c3b8e1f0a47 -> da7a00000001");
    expect(out).toMatch(/-- retort: NOT RENDERED: .*\n.*\n-- def upgrade\(\):\n-- {5}rows = op.get_bind\(\)/);
    expect(out).toContain("CREATE TABLE t_accounts"); // the others are rendered
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
});

const pg = BACKENDS.find((b) => b.name === "postgresql")!;
describeBackend(pg, "the tutorial's Alembic project", () => {
  it("upgrade through retort and through Alembic leave the same rows and tables", async () => {
    const a = await pg.create();
    const b = await pg.create();
    try {
      let err = "";
      const code = await main(
        ["--migrations", "tests/fixtures/alembic-tutorial", "--alembic-command", `${PYTHON} -m alembic`, "upgrade", "--database-url", a.url],
        { out: () => undefined, err: (t) => (err += t) },
      );
      expect(code, err).toBe(0);
      execFileSync(PYTHON, ["-m", "alembic", "upgrade", "head"], {
        cwd: "tests/fixtures/alembic-tutorial",
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", DATABASE_URL: sqlalchemyUrl(b.url) },
        stdio: "ignore",
      });
      const state = async (url: string) => {
        const [versions, tables, categories] = await queryOnce(url, [
          "SELECT version_num FROM alembic_version",
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'ecommerce_olist' ORDER BY 1",
          "SELECT count(*)::int AS n FROM ecommerce_olist.product_category",
        ]);
        return { rows: versions!.map((r) => r.version_num), tables: tables!.map((r) => r.table_name), categories: categories![0]!.n };
      };
      expect(await state(a.url)).toEqual({ rows: ["b036a88df8fb"], tables: ["customers", "orders", "product_category", "sellers"], categories: 2 });
      expect(await state(a.url)).toEqual(await state(b.url));
    } finally {
      await a.drop();
      await b.drop();
    }
  });
});

describeBackend(pg, "Alembic's steps against retort's plan", () => {
  it("when Alembic would run other steps than retort planned (env.py's own version_table), nothing runs and nothing is recorded", async () => {
    const project = mkdtempSync(join(tmpdir(), "retort-alembic-mismatch-"));
    const db = await pg.create();
    try {
      cpSync("tests/fixtures/alembic-branches", project, { recursive: true });
      const envPy = join(project, "alembic", "env.py");
      writeFileSync(
        envPy,
        readFileSync(envPy, "utf8").replace(
          "context.configure(\n            connection=connection, target_metadata=target_metadata\n        )",
          'context.configure(connection=connection, target_metadata=target_metadata, version_table=os.environ.get("TEST_VERSION_TABLE") or "alembic_version")',
        ),
      );
      const run = async (...args: string[]) => {
        let err = "";
        const code = await main(["--migrations", project, "--alembic-command", `${PYTHON} -m alembic`, "--alembic-env", "TEST_VERSION_TABLE", ...args, "--database-url", db.url], {
          out: () => undefined,
          err: (t) => (err += t),
        });
        return { code, err };
      };
      const first = await run("upgrade", "3f2a9c1e7b10");
      expect(first.code, first.err).toBe(0);
      const rows = () => queryOnce(db.url, "SELECT revision, success FROM alembic_version_history ORDER BY id");
      expect(await rows()).toHaveLength(1);

      // Alembic reads an empty table of its own and would start from base; retort planned from 3f2a.
      process.env.TEST_VERSION_TABLE = "other_version";
      const second = await run("upgrade", "head");
      expect(second.code).toBe(1);
      expect(second.err).toMatch(/Alembic would run upgrade 3f2a9c1e7b10, .*, but retort planned upgrade [0-9a-f]{12}, .*; nothing was run\. No revision was started: the database stands at 3f2a9c1e7b10\./);
      expect(await rows()).toHaveLength(1);
      const tables = await queryOnce(db.url, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'alembic_version_history' ORDER BY 1");
      expect(tables.map((t) => t.table_name)).toEqual(["alembic_version", "t_accounts"]);
    } finally {
      delete process.env.TEST_VERSION_TABLE;
      await db.drop();
      rmSync(project, { recursive: true, force: true });
    }
  });
});
