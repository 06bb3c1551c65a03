// The database password never appears in any output, error or JSON: every database command
// runs against the real PostgreSQL with a password in its URL (trust auth ignores it).

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { renderRevisionFile } from "../../src/load/native.js";
import { BACKENDS, describeBackend } from "../servers.js";

const PASSWORD = "Sekr1t-pa55word";
const backend = BACKENDS.find((b) => b.name === "postgresql")!;

describeBackend(backend, "secrets", () => {
  let url: string;
  let drop: () => Promise<void>;
  let dir: string;
  const outputs: string[] = [];

  const run = async (...argv: string[]) => {
    let out = "";
    let err = "";
    const code = await main(["--migrations", dir, ...argv, "--database-url", url], { out: (t) => (out += t), err: (t) => (err += t) });
    outputs.push(out, err);
    return { code, out, err };
  };

  beforeAll(async () => {
    ({ url, drop } = await backend.create());
    const u = new URL(url);
    u.password = PASSWORD;
    url = u.href;
    dir = mkdtempSync(join(tmpdir(), "retort-secrets-"));
    const file = (id: string, down: string[], upgrade: string) =>
      writeFileSync(
        join(dir, `${id}_r.sql`),
        renderRevisionFile({ id, message: `r ${id}`, downRevisions: down, createDate: "d", upgrade, downgrade: "SELECT 1;" }),
      );
    file("aaaa00000001", [], "CREATE TABLE t_a (id INT);");
    file("bbbb00000002", ["aaaa00000001"], "SELECT no_such_column FROM t_a;");
  });
  afterAll(async () => {
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("never shows the password, in output, errors or JSON", async () => {
    expect((await run("upgrade", "aaaa00000001")).code).toBe(0);
    expect((await run("current", "--json")).code).toBe(0);
    expect((await run("plan", "--format", "json")).code).toBe(0);
    expect((await run("plan", "--format", "markdown")).code).toBe(0);
    expect((await run("upgrade", "--dry-run")).code).toBe(0);
    expect((await run("log", "--json")).code).toBe(0);
    expect((await run("check")).code).toBe(1);
    const failed = await run("upgrade", "--debug");
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/no_such_column/);
    const all = outputs.join("\n");
    expect(all).toContain("***@127.0.0.1"); // the target is shown, redacted
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(encodeURIComponent(PASSWORD));
  });

  it("never shows it on error paths: refused connection, bad credentials, failing SQL that quotes the URL", async () => {
    const seen: string[] = [];
    const attempt = async (databaseUrl: string, ...argv: string[]) => {
      let out = "";
      let err = "";
      const code = await main(["--migrations", dir, ...argv, "--database-url", databaseUrl], { out: (t) => (out += t), err: (t) => (err += t) });
      seen.push(out, err);
      return { code, err };
    };
    // Nothing listens on port 9.
    const refused = await attempt(`postgresql://ci:${PASSWORD}@127.0.0.1:9/app`, "current");
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/refused/);
    const mariadb = BACKENDS.find((b) => b.name === "mariadb")!;
    if (mariadb.unreachable === null) {
      // MariaDB's root has no password here: giving one is refused.
      const denied = await attempt(`mysql://root:${PASSWORD}@127.0.0.1:3306/mysql`, "current");
      expect(denied.code).not.toBe(0);
      expect(denied.err).toMatch(/Access denied|password/i);
    }
    // A revision whose failing SQL quotes the connection URL, password and all.
    writeFileSync(
      join(dir, "cccc00000003_r.sql"),
      renderRevisionFile({ id: "cccc00000003", message: "quotes the URL", downRevisions: ["bbbb00000002"], createDate: "d", upgrade: `SELECT '${url}'::int;`, downgrade: "SELECT 1;" }),
    );
    writeFileSync(
      join(dir, "bbbb00000002_r.sql"),
      renderRevisionFile({ id: "bbbb00000002", message: "r bbbb00000002", downRevisions: ["aaaa00000001"], createDate: "d", upgrade: "SELECT 1;", downgrade: "SELECT 1;" }),
    );
    const quoted = await attempt(url, "upgrade", "--debug");
    expect(quoted.code).toBe(1);
    expect(quoted.err).toMatch(/invalid input syntax for type integer/);
    expect((await attempt(url, "log", "--json")).code).toBe(0); // the failure's history row, as stored
    const all = seen.join("\n");
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(encodeURIComponent(PASSWORD));
  });
});
