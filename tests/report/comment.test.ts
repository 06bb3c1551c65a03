import { describe, expect, it } from "vitest";
import { planUpgrade } from "../../src/core/plan.js";
import { DEFAULT_VERSION_TABLE } from "../../src/core/sql.js";
import { commentMarker, renderComment, type CommentFrame } from "../../src/report/comment.js";
import { planResult, type PlanFacts, type PlanResult } from "../../src/report/model.js";
import { graphOf, rev } from "../helpers.js";

const g = graphOf(
  rev("aaa111", null, { message: "create account", upgrade: "CREATE TABLE account (id int);\nCREATE INDEX ix ON account (id);" }),
  rev("bbb222", "aaa111", { message: "add column", upgrade: "ALTER TABLE account ADD COLUMN name text;" }),
  rev("ccc333", "bbb222", { message: "backfill | rename\nsecond line", downgrade: null, transaction: false, upgrade: "UPDATE account SET name = 'x';" }),
);

/** A plan result and the frame of its comment, from one flat set of values. */
function input(over: Partial<PlanFacts & CommentFrame> = {}): [PlanResult, CommentFrame] {
  const all: PlanFacts & CommentFrame = {
    environment: "staging",
    migrations: "db/migrations",
    database: "postgresql://ci:***@db:5432/app",
    offlineNote: null,
    plan: planUpgrade(g, ["aaa111"], "heads"),
    undoSql: "DROP TABLE x;\n",
    dialect: "postgresql",
    versionTable: DEFAULT_VERSION_TABLE,
    transactionalDdl: true,
    drift: [],
    heads: ["ccc333"],
    commitSha: "0123456789abcdef0123456789abcdef01234567",
    retortVersion: "0.1.0",
    detailsHint: "the job summary and the sql-file output",
    outcomes: [],
    ...over,
  };
  const { environment, commitSha, retortVersion, detailsHint, ...facts } = all;
  return [planResult(facts), { environment, commitSha, retortVersion, detailsHint }];
}

describe("commentMarker", () => {
  it("is a hidden HTML comment naming the environment and the migrations directory", () => {
    expect(commentMarker("staging", "db/migrations")).toBe('<!-- retort:plan environment="staging" migrations="db/migrations" -->');
    expect(commentMarker("", "migrations")).toBe('<!-- retort:plan environment="" migrations="migrations" -->');
  });

  it("escapes quotes, `--` and line breaks so the comment cannot end early", () => {
    const m = commentMarker('a"b--c-->d', "x\ny---z");
    expect(m.startsWith("<!-- ")).toBe(true);
    expect(m.endsWith(" -->")).toBe(true);
    const inner = m.slice(5, -4);
    expect(inner).not.toContain("--");
    expect(inner).not.toContain(">");
    expect(inner).not.toContain("\n");
    expect(inner.match(/"/g)).toHaveLength(4);
  });

  it("is unique per (environment, migrations)", () => {
    const pairs: [string, string][] = [
      ["", "db"],
      ["", "db/migrations"],
      ["staging", "db"],
      ["prod", "db"],
      ['a" migrations="b', "c"],
      ["a", '" migrations="b c'],
      ["&quot;", "x"],
      ['"', "x"],
      ["a--", "x"],
      ["a-&#45;", "x"],
    ];
    const markers = pairs.map(([e, m]) => commentMarker(e, m));
    expect(new Set(markers).size).toBe(pairs.length);
    // No marker is found inside a comment that carries another one.
    for (const [i, a] of markers.entries()) for (const [j, b] of markers.entries()) if (i !== j) expect(b.includes(a)).toBe(false);
  });
});

describe("renderComment", () => {
  it("starts with the marker and a title naming the environment", () => {
    const body = renderComment(...input());
    expect(body.split("\n")[0]).toBe(commentMarker("staging", "db/migrations"));
    expect(body.split("\n")[1]).toBe("### 🧪 retort plan: `staging`");
    expect(renderComment(...input({ environment: "" })).split("\n")[1]).toBe("### 🧪 retort plan");
    expect(body).toContain("**Migrations:** `db/migrations`");
    expect(body).toContain("**Database:** `postgresql://ci:***@db:5432/app`");
    expect(body).toContain("**Heads:** `aaa111` → `ccc333`");
    expect(body).not.toContain("\n\n\n");
  });

  it("shows base for an empty version table", () => {
    const body = renderComment(...input({ plan: planUpgrade(g, [], "heads") }));
    expect(body).toContain("**Heads:** `base` → `ccc333`");
    expect(body).toContain("**3 pending revisions** (upgrade to `heads`)");
  });

  it("says clearly when nothing is pending, keeping the title and the footer", () => {
    const body = renderComment(...input({ plan: planUpgrade(g, ["ccc333"], "heads"), undoSql: null }));
    expect(body).toContain("No pending migrations: the database is at `ccc333`.");
    expect(body).toContain("### 🧪 retort plan: `staging`");
    expect(body).toContain("<sub>commit `0123456` · retort 0\\.1\\.0</sub>");
    expect(body).not.toContain("| revision |");
    expect(body).not.toContain("<details>");
    expect(body).not.toContain("Warnings");
    const empty = renderComment(...input({ plan: { direction: "upgrade", target: "heads", headsBefore: [], steps: [], headsAfter: [] } }));
    expect(empty).toContain("No pending migrations: the database is at `base`.");
  });

  it("tables the pending revisions with mode, statement count and warnings", () => {
    const body = renderComment(...input());
    expect(body).toContain("| # | revision | message | mode | statements | warnings |");
    expect(body).toContain("| 1 | `bbb222` | `add column` | transaction | 1 |  |");
    // `|` and the line break in the message cannot break the row (tests/report/hostile.test.ts
    // renders it): the `|` stands escaped between code spans.
    expect(body).toContain("| 2 | `ccc333` | `backfill `\\|` rename second line` | no transaction | 1 | ⚠️ irreversible, ⚠️ non-transactional |");
    expect(body).not.toContain("aaa111` |");
    const fromBase = renderComment(...input({ plan: planUpgrade(g, [], "heads") }));
    expect(fromBase).toContain("| 1 | `aaa111` | `create account` | transaction | 2 |  |");
  });

  it("shows each revision's SQL in a collapsed section, and the downgrade SQL in one", () => {
    const body = renderComment(...input());
    expect(body).toContain(
      "<details><summary><code>bbb222</code> <code>add column</code> (1 statement)</summary>\n\n```sql\n" +
        "-- Running upgrade aaa111 -> bbb222\n\n" +
        "ALTER TABLE account ADD COLUMN name text;\n\n" +
        "UPDATE alembic_version SET version_num='bbb222' WHERE alembic_version.version_num = 'aaa111';\n```\n\n</details>",
    );
    expect(body).toContain("<summary><code>ccc333</code> <code>backfill | rename second line</code> (1 statement)</summary>");
    expect(body).toContain("<details><summary>Downgrade SQL (undoes this plan)</summary>\n\n```sql\nDROP TABLE x;\n```\n\n</details>");
    expect(renderComment(...input({ undoSql: null }))).not.toContain("Downgrade SQL");
    expect(body).not.toContain("cut to fit");
  });

  it("counts statements with the splitter and escapes HTML in summaries", () => {
    const h = graphOf(
      rev("p1", null, {
        message: "<script> & co",
        upgrade: "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql;\n-- only a comment;\nSELECT 1;",
      }),
    );
    const body = renderComment(...input({ plan: planUpgrade(h, [], "heads") }));
    expect(body).toContain("| 1 | `p1` | `<script> & co` | transaction | 2 |  |");
    expect(body).toContain("<summary><code>p1</code> <code>&lt;script&gt; &amp; co</code> (2 statements)</summary>");
  });

  it("uses a fence longer than any run of backticks in the SQL", () => {
    const h = graphOf(rev("f1", null, { upgrade: "SELECT '```' AS a, '````' AS b;" }));
    const body = renderComment(...input({ plan: planUpgrade(h, [], "heads"), undoSql: "SELECT '```';" }));
    expect(body).toContain("`````sql\n-- Running upgrade  -> f1\n\nSELECT '```' AS a, '````' AS b;\n\n");
    expect(body).toMatch(/RETURNING alembic_version\.version_num;\n`````\n\n<\/details>/);
    expect(body).toContain("````sql\nSELECT '```';\n````");
  });

  it("MySQL: DELIMITER around bodies with `;`, and a warning about implicit commits", () => {
    const h = graphOf(rev("m1", null, { upgrade: "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END//\nDELIMITER ;\n" }));
    const body = renderComment(...input({ plan: planUpgrade(h, [], "heads"), dialect: "mysql", transactionalDdl: false }));
    expect(body).toContain("DELIMITER //\n\nCREATE PROCEDURE p() BEGIN SELECT 1; END//\n\nDELIMITER ;");
    expect(body).toContain("INSERT INTO alembic_version (version_num) VALUES ('m1');");
    expect(body).toContain("MySQL/MariaDB commit every DDL statement implicitly");
    const idle = renderComment(...input({ plan: planUpgrade(h, ["m1"], "heads"), dialect: "mysql", transactionalDdl: false }));
    expect(idle).not.toContain("implicitly");
  });

  it("lists warnings: several heads, drift, irreversible and non-transactional revisions", () => {
    const body = renderComment(
      ...input({
        heads: ["ccc333", "ddd444"],
        drift: [
          { revision: "aaa111", path: "db/migrations/aaa111.sql", appliedAt: "2024-05-01T10:00:00Z", appliedChecksum: "x", currentChecksum: "y" },
        ],
      }),
    );
    const warnings = body.slice(body.indexOf("#### ⚠️ Warnings"));
    expect(warnings).toContain("- The migrations directory has 2 heads (`ccc333`, `ddd444`)");
    expect(warnings).toContain('`retort merge heads -m "merge heads"`');
    expect(warnings).toContain("- Drift: `aaa111` (`db/migrations/aaa111.sql`) has changed since it was applied on `2024-05-01T10:00:00Z`");
    expect(warnings).toContain("- Irreversible: `ccc333` (`migrations/ccc333.sql`) has no downgrade section");
    expect(warnings).toContain("- Non-transactional: `ccc333` (`migrations/ccc333.sql`) runs outside a transaction");
    expect(warnings).not.toContain("MySQL");
    // Drift and heads warnings show even when nothing is pending.
    const idle = renderComment(
      ...input({
        plan: planUpgrade(g, ["ccc333"], "heads"),
        heads: ["ccc333", "ddd444"],
        drift: [{ revision: "aaa111", path: "p.sql", appliedAt: "2024-05-01", appliedChecksum: "x", currentChecksum: "y" }],
      }),
    );
    expect(idle).toContain("has 2 heads");
    expect(idle).toContain("Drift: `aaa111`");
  });

  it("shows the offline note prominently and no database", () => {
    const body = renderComment(
      ...input({ database: "", offlineNote: "Planned without a database: this pull request comes from a fork.\nSecrets are not available." }),
    );
    expect(body).not.toContain("**Database:**");
    expect(body).toContain(
      "> [!IMPORTANT]\n> Planned without a database\\: this pull request comes from a fork\\.\n> Secrets are not available\\.\n",
    );
    expect(body.indexOf("[!IMPORTANT]")).toBeLessThan(body.indexOf("pending revision"));
  });

  it("ends with the short commit SHA and the retort version", () => {
    expect(renderComment(...input()).endsWith("---\n<sub>commit `0123456` · retort 0\\.1\\.0</sub>\n")).toBe(true);
    expect(renderComment(...input({ commitSha: null })).endsWith("---\n<sub>retort 0\\.1\\.0</sub>\n")).toBe(true);
  });
});

describe("renderComment within GitHub's limit", () => {
  function longChain(n: number, o: { sqlLength?: number; irreversible?: boolean } = {}) {
    const revs = [];
    const filler = "x".repeat(o.sqlLength ?? 2_000);
    for (let i = 0; i < n; i++) {
      const id = `r${String(i).padStart(5, "0")}`;
      revs.push(
        rev(id, i === 0 ? null : `r${String(i - 1).padStart(5, "0")}`, {
          message: `revision number ${i} with a fairly long message`,
          upgrade: `CREATE TABLE t_${i} (note text DEFAULT '${filler}');\nCREATE INDEX ix_${i} ON t_${i} (note);`,
          downgrade: o.irreversible ? null : `DROP TABLE t_${i};`,
        }),
      );
    }
    return planUpgrade(graphOf(...revs), [], "heads");
  }

  it("2,000 revisions of long SQL: under the limit, SQL and rows cut with counts, warnings and footer kept", () => {
    const plan = longChain(2_000);
    const body = renderComment(...input({ plan, undoSql: "DROP TABLE t;\n".repeat(2_000), heads: ["r01999", "zzz"] }));
    expect(body.length).toBeLessThanOrEqual(65_000);
    expect(body.startsWith(`${commentMarker("staging", "db/migrations")}\n### 🧪 retort plan: \`staging\`\n`)).toBe(true);
    expect(body).toContain("SQL cut to fit GitHub's comment limit: see the job summary and the sql-file output");
    expect(body).not.toContain("```sql");
    expect(body).not.toContain("Downgrade SQL");
    const omitted = /_(\d+) more revisions omitted to fit GitHub's comment limit\._/.exec(body);
    expect(omitted).not.toBeNull();
    const rows = body.split("\n").filter((l) => /^\| \d+ \| `r\d+`/.test(l));
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.length + Number(omitted![1])).toBe(2_000);
    expect(rows[0]).toContain("`r00000`");
    expect(body).toContain("has 2 heads");
    expect(body.endsWith("<sub>commit `0123456` · retort 0\\.1\\.0</sub>\n")).toBe(true);
    // Close to the limit: the cut keeps as much as fits.
    expect(body.length).toBeGreaterThan(64_000);
  });

  it("a few large revisions: keeps the whole table and the SQL that fits, cuts the rest", () => {
    const plan = longChain(40, { sqlLength: 3_000 });
    const body = renderComment(...input({ plan }));
    expect(body.length).toBeLessThanOrEqual(65_000);
    expect(body.split("\n").filter((l) => /^\| \d+ \| `r\d+`/.test(l))).toHaveLength(40);
    expect(body).not.toContain("omitted");
    const kept = body.match(/<details><summary><code>r\d+<\/code>/g) ?? [];
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(40);
    expect(body).toContain(`(the upgrade SQL of ${40 - kept.length} of 40 revisions and the downgrade SQL left out)`);
    expect(body).toContain("see the job summary and the sql-file output");
  });

  it("drops only the downgrade SQL when that is enough", () => {
    const plan = longChain(2, { sqlLength: 10 });
    const undoSql = "DROP TABLE t;\n".repeat(100);
    const full = renderComment(...input({ plan, undoSql }));
    const limit = full.length - 10;
    const body = renderComment(...input({ plan, undoSql }), limit);
    expect(body.length).toBeLessThanOrEqual(limit);
    expect(body).toContain("(the downgrade SQL left out)");
    expect(body.match(/<details><summary><code>/g)).toHaveLength(2);
    expect(body).not.toContain("Downgrade SQL");
  });

  it("2,000 irreversible revisions: cuts the warning list too", () => {
    const body = renderComment(...input({ plan: longChain(2_000, { irreversible: true }) }));
    expect(body.length).toBeLessThanOrEqual(65_000);
    expect(body).toMatch(/more warnings omitted to fit GitHub's comment limit/);
    expect(body).toContain("- Irreversible: `r00000`");
    expect(body.endsWith("retort 0\\.1\\.0</sub>\n")).toBe(true);
  });

  it("never exceeds even an absurdly small limit", () => {
    for (const limit of [0, 10, 200, 1_000, 5_000]) {
      expect(renderComment(...input({ plan: longChain(50) }), limit).length).toBeLessThanOrEqual(limit);
    }
  });
});
