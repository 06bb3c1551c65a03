// An empty target is a mistake (`retort downgrade "$TARGET"` or `retort stamp "$REV"` with the
// variable unset, `shop@` with nothing after it), never base: it used to downgrade everything
// and empty the version table, exit 0. Every command refuses it with one usage error before
// anything changes, on every database; base still works when it is named. An empty
// RETORT_TARGET is unset, as every RETORT_* variable is: upgrade's default, head.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { renderRevisionFile } from "../../src/load/native.js";
import { BACKENDS, describeBackend, queryOnce } from "../servers.js";

for (const backend of BACKENDS) {
  describeBackend(backend, "an empty target", () => {
    let url: string;
    let drop: () => Promise<void>;
    let dir: string;
    const run = async (...argv: string[]) => {
      let out = "";
      let err = "";
      const code = await main(["--migrations", dir, ...argv, "--database-url", url], { out: (t) => (out += t), err: (t) => (err += t) });
      return { code, out, err };
    };
    const state = async () => ({
      versions: (await queryOnce(url, "SELECT version_num FROM alembic_version")).map((r) => String(r.version_num)).sort(),
      history: Number((await queryOnce(url, "SELECT COUNT(*) AS n FROM alembic_version_history"))[0]!.n),
      tables: (await queryOnce(url, "SELECT COUNT(*) AS n FROM t_b"))[0]!.n !== undefined,
    });

    beforeAll(async () => {
      ({ url, drop } = await backend.create());
      dir = mkdtempSync(join(tmpdir(), "retort-empty-target-"));
      const write = (id: string, down: string[], name: string, labels: string[] = []) =>
        writeFileSync(
          join(dir, `${id}_r.sql`),
          renderRevisionFile({ id, message: `create ${name}`, downRevisions: down, branchLabels: labels, createDate: "d", upgrade: `CREATE TABLE ${name} (id INT);`, downgrade: `DROP TABLE ${name};` }),
        );
      write("aaaa00000001", [], "t_a", ["app"]);
      write("bbbb00000002", ["aaaa00000001"], "t_b");
    });
    afterAll(async () => {
      await drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it("downgrade, stamp, upgrade and plan refuse it before anything changes; base works when named", async () => {
      expect((await run("upgrade")).code).toBe(0);
      const before = await state();
      expect(before.versions).toEqual(["bbbb00000002"]);
      const refused = [
        ["downgrade", ""],
        ["downgrade", "", "--dry-run"],
        ["downgrade", "@"],
        ["downgrade", "app@"],
        ["stamp", ""],
        ["stamp", "bbbb00000002", ""],
        ["stamp", "app@"],
        ["upgrade", ""],
        ["plan", ""],
      ];
      for (const argv of refused) {
        const r = await run(...argv);
        expect(r.code, `${JSON.stringify(argv)}: ${r.out}${r.err}`).toBe(2);
        expect(r.err, JSON.stringify(argv)).toMatch(/^retort: ('(app)?@' has an empty revision after '@' and|An empty revision) names nothing: give head, heads, base \(never assumed/);
        expect(r.err.trimEnd().split("\n"), JSON.stringify(argv)).toHaveLength(1);
        expect(r.out, JSON.stringify(argv)).toBe("");
      }
      expect(await state()).toEqual(before);

      const down = await run("downgrade", "base");
      expect(down.code, down.err).toBe(0);
      expect((await queryOnce(url, "SELECT version_num FROM alembic_version")).length).toBe(0);
    });

    it("an empty RETORT_TARGET is unset: upgrade goes to head", async () => {
      expect((await run("downgrade", "base")).code).toBe(0);
      const saved = process.env.RETORT_TARGET;
      process.env.RETORT_TARGET = "";
      try {
        const r = await run("upgrade");
        expect(r.code, r.err).toBe(0);
      } finally {
        if (saved === undefined) delete process.env.RETORT_TARGET;
        else process.env.RETORT_TARGET = saved;
      }
      expect((await queryOnce(url, "SELECT version_num FROM alembic_version")).map((r) => r.version_num)).toEqual(["bbbb00000002"]);
    });
  });
}
