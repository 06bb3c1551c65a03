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
});
