// Alembic plans that never look empty, against the real Alembic (Debian's 1.8.1): an env.py that
// fails is one error for the whole plan; a revision Alembic cannot render offline (a data
// migration reading rows through op.get_bind()) is marked in every report with Alembic's reason
// and its Python source; and Alembic projects get the comment's downgrade section.

import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderWithAlembic } from "../../src/alembic/sql.js";
import { main } from "../../src/cli/main.js";
import { offlineUpgradeResult } from "../../src/commands/offline.js";
import { migrateResult } from "../../src/commands/online.js";
import { RetortError } from "../../src/core/errors.js";
import { planUpgrade } from "../../src/core/plan.js";
import { DEFAULT_VERSION_TABLE } from "../../src/core/sql.js";
import { loadGraph } from "../../src/load/directory.js";
import { makeOptions } from "../../src/options.js";
import { commentMarker, renderComment, renderJobSummary } from "../../src/report/comment.js";
import type { PlanResult } from "../../src/report/model.js";
import { renderPlan } from "../../src/report/plan.js";
import { all, comments, parseHtml, renderGfm, textOf } from "../report/html.js";
import { BACKENDS } from "../servers.js";
import { ALEMBIC_COMMAND as ALEMBIC, alembicAvailable as available, PYTHON } from "../alembic-kit.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures");
/** Alembic itself, offline, in a fixture's folder. */
function alembic(dir: string, ...args: string[]): string {
  return execFileSync(PYTHON, ["-m", "alembic", ...args], { cwd: dir, env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", DATABASE_URL: "postgresql://retort@localhost/offline" }, stdio: ["ignore", "pipe", "pipe"] }).toString();
}

async function retort(dir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(["--migrations", dir, "--alembic-command", ALEMBIC, ...args], { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** The plan the Action makes of a pull request without a database, and its warnings. */
async function offlinePlan(dir: string, from: string[] = []): Promise<{ result: PlanResult; warnings: string[] }> {
  const warnings: string[] = [];
  const options = makeOptions({ migrations: dir, alembicCommand: ALEMBIC });
  const result = await offlineUpgradeResult(options, { start: { from, source: "the from input" }, target: "head" }, (w) => warnings.push(w));
  return { result, warnings };
}

const frame = { environment: "staging", commitSha: null, retortVersion: "0.0.0-test", detailsHint: "the job summary" };
const count = (text: string, part: string) => text.split(part).length - 1;
/** Alembic's offline output without what retort leaves out (it never drops the version table). */
const withoutDrop = (sql: string) => sql.replace(/DROP TABLE alembic_version;\n\n/, "");

describe.runIf(available || process.env.CI)("Alembic plans that never look empty", () => {
  const temps: string[] = [];
  const temp = (fixture: string) => {
    const dir = mkdtempSync(join(tmpdir(), "retort-alembic-render-"));
    temps.push(dir);
    cpSync(join(FIXTURES, fixture), dir, { recursive: true });
    return dir;
  };
  // `plan` reads the database's state: an empty database of the machine's PostgreSQL (PGlite,
  // slower to start, without it).
  let database: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    process.env.PYTHONDONTWRITEBYTECODE = "1";
    const backend = BACKENDS.find((b) => b.name === "postgresql" && b.unreachable === null) ?? BACKENDS.find((b) => b.name === "pglite")!;
    database = await backend.create();
  });
  afterAll(async () => {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
    await database?.drop();
  });

  describe("env.py that fails (KeyError: 'formatters')", () => {
    const broken = join(FIXTURES, "alembic-render-broken-env");

    it("fails upgrade --sql and downgrade --sql with one error naming env.py, and prints no SQL", async () => {
      for (const args of [["upgrade", "head", "--sql"], ["downgrade", "head:base", "--sql"]]) {
        const r = await retort(broken, ...args);
        expect(r.code, args.join(" ")).toBe(1);
        expect(r.out).toBe("");
        expect(count(r.err, "KeyError: 'formatters'")).toBe(1);
        expect(r.err.trim().split("\n")).toHaveLength(1);
        expect(r.err).toMatch(/^retort: Alembic cannot run this project, so no revision's SQL can be shown: KeyError: 'formatters' \(migrations\/env\.py, line 6\)\./);
        expect(r.err).toContain(`alembic.ini), or importing a revision file. retort ran 'alembic -c ${join(broken, "alembic.ini")} ${args[0]} `);
        expect(r.err).not.toMatch(/Traceback|File "/);
      }
    });

    it("fails plan in every format the same way, once", async () => {
      for (const format of ["text", "markdown", "json", "sql"]) {
        const r = await retort(broken, "plan", "--database-url", database.url, "--format", format);
        expect(r.code, format).toBe(1);
        expect(r.out).toBe("");
        expect(count(r.err, "retort: ")).toBe(1);
        expect(r.err).toContain("KeyError: 'formatters' (migrations/env.py, line 6)");
      }
    });

    it("fails the Action's offline plan (its comment and summary) with that error, and no warning per revision", async () => {
      const warnings: string[] = [];
      const options = makeOptions({ migrations: broken, alembicCommand: ALEMBIC });
      const error = await offlineUpgradeResult(options, { start: { from: [], source: "the from input" }, target: "head" }, (w) => warnings.push(w)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RetortError);
      expect((error as RetortError).message).toContain("KeyError: 'formatters'");
      expect(warnings).toEqual([]);
    });

    it("an error of env.py that ends its sentence reads as one sentence (no doubled full stop)", async () => {
      const dir = temp("alembic-render-chain");
      const env = join(dir, "migrations/env.py");
      writeFileSync(env, `raise RuntimeError("Set KETTLE_DB first.")\n${readFileSync(env, "utf8")}`);
      const r = await retort(dir, "upgrade", "head", "--sql");
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/can be shown: RuntimeError: Set KETTLE_DB first \(migrations\/env\.py, line 1\)\. It failed before/);
      expect(r.err).not.toContain("..");
    });

    it("a revision file that cannot be imported is the same one error, naming that file", async () => {
      const dir = temp("alembic-render-chain");
      const file = join(dir, "migrations/versions/c0ffee000002_add_kettle_colour.py");
      writeFileSync(file, readFileSync(file, "utf8").replace("from alembic import op\n", "from alembic import op\nimport kettle_models_not_installed\n"));
      const r = await retort(dir, "upgrade", "head", "--sql");
      expect(r.code).toBe(1);
      expect(r.out).toBe("");
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.err).toContain(
        "ModuleNotFoundError: No module named 'kettle_models_not_installed' (migrations/versions/c0ffee000002_add_kettle_colour.py, line 7).",
      );
    });

    it("a plan whose range Alembic itself refuses (FAILED:, a plan retort completes) is rendered one revision at a time, not an error", async () => {
      const chain = join(FIXTURES, "alembic-render-chain");
      const graph = loadGraph(chain, null);
      // Alembic cannot resolve this target: the whole-plan run fails with its FAILED: line.
      const plan = { ...planUpgrade(graph, ["c0ffee000001"], "head"), target: "c0ffee00000f" };
      const { iniPath, scriptLocation } = plan.steps[0]!.revision.alembic!.project;
      const { plan: rendered, notes } = await renderWithAlembic(plan, { command: ALEMBIC.split(" "), iniPath, scriptLocation, passEnv: [] }, DEFAULT_VERSION_TABLE, "postgresql");
      expect(notes.size).toBe(0);
      expect(rendered.steps.map((s) => s.section.sql)).toEqual([
        "ALTER TABLE kettle ADD COLUMN colour VARCHAR(20) DEFAULT 'steel';\n\n",
        "CREATE INDEX ix_kettle_colour ON kettle (colour);\n\n",
      ]);
    });

    it("keeps the one usage error when Alembic cannot be started at all", async () => {
      let err = "";
      const code = await main(["--migrations", broken, "--alembic-command", "/nowhere/alembic", "upgrade", "head", "--sql"], { out: () => undefined, err: (t) => (err += t) });
      expect(code).toBe(2);
      expect(err.trim().split("\n")).toHaveLength(1);
      expect(err).toMatch(/Cannot run Alembic \('\/nowhere\/alembic'\): not found/);
      // A Python without Alembic (-S: no site-packages) is the same kind of error, once.
      err = "";
      const without = await main(["--migrations", broken, "--alembic-command", `${PYTHON} -S -m alembic`, "plan", "--database-url", database.url], { out: () => undefined, err: (t) => (err += t) });
      expect(without).toBe(2);
      expect(err.trim().split("\n")).toHaveLength(1);
      expect(err).toContain(`retort: Cannot run Alembic ('${PYTHON} -S -m alembic'): its Python has no module named 'alembic'. Install it`);
    });
  });

  describe("a data migration Alembic cannot render offline (op.get_bind())", () => {
    const data = join(FIXTURES, "alembic-render-data");
    const REASON = "AttributeError: 'NoneType' object has no attribute 'fetchall' (da7a00000002_backfill_member_handles.py, line 30, in upgrade)";
    const DOWN_REASON = "AttributeError: 'NoneType' object has no attribute 'scalar' (da7a00000002_backfill_member_handles.py, line 43, in downgrade)";
    const source = readFileSync(join(data, "migrations/versions/da7a00000002_backfill_member_handles.py"), "utf8");
    const UPGRADE = source.slice(source.indexOf("def upgrade():"), source.indexOf("\n\n# kept"));
    const DOWNGRADE = source.slice(source.indexOf("def downgrade():")).trimEnd();

    it("upgrade --sql prints Alembic's SQL around the revision, its upgrade() as comments in its place, and fails", async () => {
      const r = await retort(data, "upgrade", "head", "--sql");
      expect(r.code).toBe(1);
      // The revisions before and after it are Alembic's own rendering, byte for byte.
      const first = alembic(data, "upgrade", "base:da7a00000001", "--sql").replace(/COMMIT;\n\n$/, "");
      const last = alembic(data, "upgrade", "da7a00000002:head", "--sql").replace(/^BEGIN;\n\n/, "");
      const comment = UPGRADE.split("\n").map((l) => (l === "" ? "--" : `-- ${l}`)).join("\n");
      expect(r.out.replace(/(runs upgrade\(\) of )\S+(\/migrations\/versions\/)/, "$1<dir>$2")).toBe(
        `${first}-- Running upgrade da7a00000001 -> da7a00000002\n\n` +
          `-- retort: NOT RENDERED: Alembic could not render this revision's SQL offline: ${REASON}\n` +
          `-- retort: this SQL is incomplete; applied online, Alembic runs upgrade() of <dir>/migrations/versions/da7a00000002_backfill_member_handles.py:\n` +
          `${comment}\n\n` +
          `UPDATE alembic_version SET version_num='da7a00000002' WHERE alembic_version.version_num = 'da7a00000001';\n\n${last}`,
      );
      // What Alembic printed of it before failing is not its SQL: only its source, as comments.
      expect(r.out).not.toMatch(/^UPDATE member SET handle = NULL/m);
      expect(r.out).toContain(`--     op.execute("UPDATE member SET handle = NULL WHERE handle = ''")`);
      expect(count(r.err, "retort: warning: da7a00000002: Alembic cannot render its upgrade SQL offline")).toBe(1);
      expect(r.err).toContain("retort: the SQL above is incomplete: Alembic could not render 1 revision(s) offline (da7a00000002 (");
    });

    it("downgrade --sql marks the revision's downgrade() the same way", async () => {
      const r = await retort(data, "downgrade", "head:base", "--sql");
      expect(r.code).toBe(1);
      expect(r.out).toContain(`-- Running downgrade da7a00000002 -> da7a00000001\n\n-- retort: NOT RENDERED: Alembic could not render this revision's SQL offline: ${DOWN_REASON}\n`);
      expect(r.out).toContain(DOWNGRADE.split("\n").map((l) => `-- ${l}`).join("\n"));
      expect(r.out).toContain("ALTER TABLE member DROP CONSTRAINT uq_member_handle;");
      expect(r.out).toContain("DROP TABLE member;");
    });

    it("plan --format text, json, markdown and sql mark it, never with 0 statements", async () => {
      const plan = async (format: string) => {
        const r = await retort(data, "plan", "--database-url", database.url, "--format", format);
        expect(r.code, `${format}: ${r.err}`).toBe(0);
        expect(count(r.err, "retort: warning: da7a00000002")).toBe(1);
        return r.out;
      };
      const text = await plan("text");
      expect(text).toContain("  -- Running upgrade da7a00000001 -> da7a00000002, backfill member handles (NOT RENDERED offline)\n       | def upgrade():\n");
      expect(text).toContain("  -- Running upgrade da7a00000002 -> da7a00000003, member handle unique (1 statement(s))");
      expect(text).toContain(`Warning:  da7a00000002: Alembic could not render its upgrade SQL offline (${REASON})`);

      const json = JSON.parse(await plan("json")) as { pending: Record<string, unknown>[]; sql: string };
      expect(json.pending.map((p) => p.statements)).toEqual([1, null, 1]);
      expect(json.pending[1]).toMatchObject({ revision: "da7a00000002", rendered: false, reason: REASON, source: UPGRADE });
      expect(Object.keys(json.pending[0]!)).toEqual(["revision", "message", "path", "direction", "transaction", "statements", "checksum", "version_changes"]);
      expect(json.sql).toContain("-- retort: NOT RENDERED");

      const markdown = await plan("markdown");
      expect(markdown).toContain("| `da7a00000002` | `backfill member handles` | yes | not rendered |");
      expect(markdown).toContain(`<details><summary><code>da7a00000002</code> upgrade() (not rendered offline)</summary>\n\n\`\`\`python\n${UPGRADE}\n\`\`\``);
      expect(markdown).toContain(`> **Not rendered:** Alembic could not render the upgrade SQL of \`da7a00000002\` offline: \`${REASON}\``);

      expect(await plan("sql")).toContain(`-- retort: NOT RENDERED: Alembic could not render this revision's SQL offline: ${REASON}\n`);
    });

    it("the comment and the job summary mark it in the table, the warnings and the SQL, and the downgrade section too", async () => {
      const { result, warnings } = await offlinePlan(data);
      expect(warnings).toHaveLength(1);
      expect(result.warnings.filter((w) => w.kind === "unrendered").map((w) => [w.revision.id, w.direction])).toEqual([
        ["da7a00000002", "upgrade"],
        ["da7a00000002", "downgrade"],
      ]);
      for (const body of [renderComment(result, frame), renderJobSummary(result, frame), renderComment(result, frame, 900_000)]) {
        expect(body).toContain("| 2 | `da7a00000002` | `backfill member handles` | transaction | not rendered | ⚠️ not rendered |");
        expect(body).toContain("<details><summary><code>da7a00000002</code> <code>backfill member handles</code> (not rendered offline)</summary>");
        expect(body).toContain(`**Not rendered offline:** \`${REASON}\``);
        expect(body).toContain(`\`\`\`python\n${UPGRADE}\n\`\`\``);
        expect(body).toContain(`- Not rendered: Alembic could not render the upgrade SQL of \`da7a00000002\``);
        expect(body).toContain(`- Not rendered: Alembic could not render the downgrade SQL of \`da7a00000002\``);
        expect(body).toContain("<details><summary>Downgrade SQL (undoes this plan)</summary>");
        expect(body).toContain(`-- retort: NOT RENDERED: Alembic could not render this revision's SQL offline: ${DOWN_REASON}`);
        expect(body).not.toMatch(/\(0 statements\)/);
      }
    });

    it("hostile text in Alembic's error cannot break the comment", async () => {
      const dir = temp("alembic-render-data");
      const file = join(dir, "migrations/versions/da7a00000002_backfill_member_handles.py");
      const evil = "``` </details></summary> <!-- retort:plan environment=\\\"production\\\" migrations=\\\"db\\\" --> <img src=x onerror=alert(1)> | x | `y`";
      writeFileSync(file, readFileSync(file, "utf8").replace("    conn = op.get_bind()\n    rows", `    raise RuntimeError("${evil}")\n    conn = op.get_bind()\n    rows`));
      const { result } = await offlinePlan(dir);
      const reason = result.plan.steps[1]!.section.unrendered!.reason;
      expect(reason).toContain("RuntimeError: ``` </details></summary> <!-- retort:plan");
      for (const body of [renderComment(result, frame), renderJobSummary(result, frame)]) {
        const dom = parseHtml(renderGfm(body));
        expect(comments(dom)).toEqual([commentMarker("staging", dir).slice(4, -3)]);
        expect(all(dom).map((e) => e.tag).filter((t) => !["h3", "h4", "p", "strong", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "details", "summary", "sub", "hr", "blockquote"].includes(t))).toEqual([]);
        expect(all(dom, "details")).toHaveLength(4);
        const rows = all(dom, "tr");
        expect(rows).toHaveLength(4);
        for (const row of rows) expect(all(row, "td").length || all(row, "th").length).toBe(6);
        expect(all(dom, "li").map(textOf).filter((t) => t.includes(reason))).toHaveLength(1);
      }
    });
  });

  it("the report of an applied Alembic upgrade (the Action's job summary) shows the SQL, never 0 statements, and its undo", async () => {
    const backend = BACKENDS.find((b) => b.name === "postgresql" && b.unreachable === null);
    if (!backend) return;
    const target = await backend.create();
    try {
      const options = makeOptions({ migrations: join(FIXTURES, "alembic-tutorial"), alembicCommand: ALEMBIC, databaseUrl: target.url });
      const warnings: string[] = [];
      const session = { log: { info: () => undefined, warn: (w: string) => warnings.push(w) }, notice: () => undefined };
      const { result } = await migrateResult(options, session, "upgrade", "head", false);
      expect(result.outcomes).toHaveLength(6);
      expect(renderPlan(result, "sql")).toBe(alembic(join(FIXTURES, "alembic-tutorial"), "upgrade", "head", "--sql"));
      const summary = renderJobSummary(result, frame);
      expect(summary).toContain("| 1 | `784a7abb86b7` | `create schema ecommerce` | transaction | 1 |  |");
      expect(summary).not.toMatch(/\(0 statements\)| 0 \|/);
      expect(summary).toContain("<details><summary>Downgrade SQL (undoes this plan)</summary>");
      expect(summary).toContain("#### Applied");
      expect(warnings).toEqual([]);
    } finally {
      await target.drop();
    }
  });

  describe("a normal Alembic project gets the downgrade section", () => {
    const chain = join(FIXTURES, "alembic-render-chain");

    it("renders the undo of the plan with Alembic, as native plans have it", async () => {
      const { result } = await offlinePlan(chain);
      expect(result.undoSql).toBe(withoutDrop(alembic(chain, "downgrade", "head:base", "--sql")));
      const body = renderComment(result, frame);
      expect(body).toContain(`<details><summary>Downgrade SQL (undoes this plan)</summary>\n\n\`\`\`sql\n${result.undoSql!.trimEnd()}\n\`\`\``);
      expect(body).not.toContain("not rendered");
      expect(result.warnings).toEqual([]);
    });

    it("from a revision, down to that revision; none when nothing is pending", async () => {
      const { result } = await offlinePlan(chain, ["c0ffee000001"]);
      expect(result.undoSql).toBe(alembic(chain, "downgrade", "head:c0ffee000001", "--sql"));
      expect((await offlinePlan(chain, ["c0ffee000003"])).result.undoSql).toBeNull();
    });
  });
});
