// No secret appears in any output, error, JSON or history row, in any form the user gave it:
// every form a driver takes a secret in (userinfo, ?password=, ?host=&password=, a libpq
// keyword string, sslpassword, percent-encoded specials, PGPASSWORD, and a raw % that must be
// refused), against the real PostgreSQL (trust auth ignores the password, which must still
// never show) and MariaDB (a user with a real password, created and dropped here), through
// every database command, a failing revision whose error quotes the URL and the password, a
// refused connection and bad credentials; and a URL given where no URL goes.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { secretForms } from "../../src/db/target.js";
import { renderRevisionFile } from "../../src/load/native.js";
import { BACKENDS, describeBackend, mariadbUserWithPassword, queryOnce, type Backend } from "../servers.js";

const CLI = join(process.cwd(), "dist/cli.js");
/** Specials that must be percent-encoded in a URL, and a space (quoted in a keyword string). */
const PASSWORD = { postgresql: "Pg-S3cr@t:w/rd%x y", mariadb: "My-S3cr@t:w/rd%x" } as const;
const KEY_PASSWORD = "Key-Passphr@se-77";
const WRONG = "Wr0ng-Passw0rd-42";
const enc = encodeURIComponent;

/** Every form of every secret the runs were given, as written too. */
function forbidden(...secrets: string[]): string[] {
  return [...new Set(secrets.flatMap((s) => [...secretForms(s), s]))];
}

function expectNone(haystack: string, secrets: readonly string[], what: string): void {
  for (const s of secrets) expect(haystack.includes(s), `${what} holds '${s}'`).toBe(false);
}

interface Form {
  readonly name: string;
  /** The text given as --database-url. */
  readonly url: string;
  /** Secrets in it (decoded). */
  readonly secrets: readonly string[];
  /** Whether it connects: false for forms the driver cannot use here (no TLS on the test server). */
  readonly connects: boolean;
}

function formsFor(backend: Backend, base: URL, user: string, password: string): Form[] {
  const host = base.hostname;
  const port = base.port;
  const db = base.pathname.slice(1);
  const scheme = backend.name === "postgresql" ? "postgresql" : "mysql";
  const forms: Form[] = [
    { name: "userinfo, percent-encoded specials", url: `${scheme}://${user}:${enc(password)}@${host}:${port}/${db}`, secrets: [password], connects: true },
    { name: "?password=", url: `${scheme}://${user}@${host}:${port}/${db}?password=${enc(password)}`, secrets: [password], connects: true },
    {
      name: "?password= beating a userinfo decoy",
      url: `${scheme}://${user}:Decoy-Pw-9@${host}:${port}/${db}?password=${enc(password)}`,
      secrets: [password, "Decoy-Pw-9"],
      connects: true,
    },
  ];
  if (backend.name === "postgresql") {
    forms.push(
      {
        name: "?host=&password= (pg honours both)",
        url: `postgresql:///${db}?host=${host}&port=${port}&user=${user}&password=${enc(password)}`,
        secrets: [password],
        connects: true,
      },
      {
        name: "libpq keyword string",
        url: `host=${host} port=${port} user=${user} dbname=${db} password='${password.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`,
        secrets: [password],
        connects: true,
      },
      {
        name: "sslpassword",
        url: `postgresql://${user}:${enc(password)}@${host}:${port}/${db}?sslmode=disable&sslpassword=${enc(KEY_PASSWORD)}`,
        secrets: [password, KEY_PASSWORD],
        connects: true,
      },
    );
  } else {
    forms.push(
      // mysql2 takes no host parameter: refused by name, the password still never shown.
      { name: "?host=&password= (refused)", url: `mysql://${user}@/${db}?host=${host}&password=${enc(password)}`, secrets: [password], connects: false },
      {
        name: "sslpassword (the server has no TLS)",
        url: `mysql://${user}:${enc(password)}@${host}:${port}/${db}?ssl-mode=REQUIRED&sslpassword=${enc(KEY_PASSWORD)}`,
        secrets: [password, KEY_PASSWORD],
        connects: false,
      },
    );
  }
  return forms;
}

it("a URL given where no URL goes (a target, a misspelt option, a keyword string) is named in the error without its secrets", async () => {
  const password = "Mis-Plac3d@pw:x";
  const p = enc(password);
  const forms = [
    ["show", `postgresql://u:${p}@h/db`],
    ["upgrade", `mysql://u:${p}@h:3306/db`, "--sql"],
    ["history", "-r", `postgresql://u@h/db?password=${p}:`],
    ["current", `--datbase-url=postgresql://u:${p}@h/db`],
    ["current", "--database_url", `postgresql://u:${p}@h/db`],
    ["downgrade", `postgres://u:${p}@h/db`, "--database-url", "pglite://memory"],
    ["stamp", `host=h user=u password='${password}' dbname=d`, "--database-url", "pglite://memory"],
  ];
  if (!existsSync(CLI)) throw new Error("run npm run build first: this test spawns dist/cli.js");
  for (const argv of forms) {
    let out = "";
    let err = "";
    const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
    expect(code, argv.join(" ")).toBe(2);
    expect(err, argv.join(" ")).toMatch(/^retort: /);
    expectNone(out + err, forbidden(password), argv.join(" "));
    const spawned = spawnSync(process.execPath, [CLI, ...argv], { encoding: "utf8", env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" } });
    expect(spawned.status, argv.join(" ")).toBe(2);
    expectNone(spawned.stdout + spawned.stderr, forbidden(password), `${argv.join(" ")} (dist/cli.js)`);
  }
});

for (const backend of BACKENDS.filter((b) => b.name !== "pglite")) {
  describeBackend(backend, "secrets in every form", () => {
    let admin: string;
    let drop: () => Promise<void>;
    let dir: string;
    let url: URL;
    let user: string;
    const password = backend.name === "postgresql" ? PASSWORD.postgresql : PASSWORD.mariadb;
    let dropUser: (() => Promise<void>) | undefined;
    const mysqlUser = `retort_pw_${process.pid}`;
    const outputs: string[] = [];

    const run = async (databaseUrl: string, ...argv: string[]) => {
      let out = "";
      let err = "";
      const code = await main(["--migrations", dir, ...argv, "--database-url", databaseUrl], { out: (t) => (out += t), err: (t) => (err += t) });
      outputs.push(out, err);
      return { code, out, err };
    };
    const revision = (id: string, down: string[], upgrade: string) =>
      writeFileSync(join(dir, `${id}_r.sql`), renderRevisionFile({ id, message: `r ${id}`, downRevisions: down, createDate: "d", upgrade, downgrade: "SELECT 1;" }));
    const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
    /** A revision whose failure quotes the URL as given and the password itself. */
    const quoting = (text: string) =>
      revision(
        "bbbb00000002",
        ["aaaa00000001"],
        backend.name === "postgresql"
          ? `DO $q$ BEGIN RAISE EXCEPTION 'quoting % and %', ${lit(text)}, ${lit(password)}; END $q$;`
          : `SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = ${lit(`quoting ${text} and ${password}`)};`,
      );

    beforeAll(async () => {
      ({ url: admin, drop } = await backend.create());
      url = new URL(admin);
      user = url.username;
      if (backend.name === "mariadb") {
        user = mysqlUser;
        dropUser = await mariadbUserWithPassword(admin, user, password);
      }
      dir = mkdtempSync(join(tmpdir(), "retort-secrets-"));
      revision("aaaa00000001", [], "CREATE TABLE IF NOT EXISTS t_a (id INT);");
    });
    afterAll(async () => {
      await dropUser?.().catch(() => undefined);
      await drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it("runs every command with each form, and never shows a secret", async () => {
      const all = forbidden(password, KEY_PASSWORD, "Decoy-Pw-9", WRONG);
      for (const form of formsFor(backend, url, user, password)) {
        const start = outputs.length;
        quoting(form.url);
        if (form.connects) {
          expect((await run(form.url, "stamp", "base", "--purge")).code, form.name).toBe(0);
          expect((await run(form.url, "upgrade", "aaaa00000001")).code, form.name).toBe(0);
          const current = await run(form.url, "current", "--json");
          expect(current.code, form.name).toBe(0);
          const shown = (JSON.parse(current.out) as { database: string }).database;
          expect(shown, form.name).toMatch(/^(postgresql|mysql):\/\/[^/]*:\*\*\*@/);
          for (const format of ["text", "markdown", "json", "sql"]) {
            const plan = await run(form.url, "plan", "--format", format);
            expect(plan.code, `${form.name} ${format}`).toBe(0);
            // The pending revision's SQL quotes the secrets: exact formats say they changed.
            if (format === "sql" || format === "markdown") expect(plan.err).toMatch(/^retort: warning: the (SQL|markdown) held a secret of the database URL, replaced by \*\*\*/);
          }
          expect((await run(form.url, "upgrade", "--dry-run")).code).toBe(0);
          expect((await run(form.url, "check")).code).toBe(1);
          const failed = await run(form.url, "upgrade", "--debug");
          expect(failed.code, form.name).toBe(1);
          expect(failed.err, form.name).toMatch(/quoting .*\*\*\*.* and \*\*\*/);
          expect((await run(form.url, "log", "--json")).code).toBe(0);
          expect((await run(form.url, "log")).code).toBe(0);
          expect((await run(form.url, "stamp", "aaaa00000001")).code).toBe(0);
          // The same form with a port nothing listens on, and with credentials the server refuses
          // (PostgreSQL's trust auth takes any password, so there an unknown role).
          const wrongPort = form.url.replace(new RegExp(`(:|port=)${url.port}\\b`), (_m, before: string) => `${before}9`);
          expect(wrongPort).not.toBe(form.url);
          const refused = await run(wrongPort, "current");
          expect(refused.code, form.name).toBe(1);
          expect(refused.err, form.name).toMatch(/^retort: Cannot connect to 127\.0\.0\.1:9: connection refused/);
          const badCredentials =
            backend.name === "postgresql"
              ? form.url.replace(/(\/\/|user=)postgres(?=[:@&\s])/, "$1no_such_role_x")
              : form.url.split(enc(password)).join(enc(WRONG));
          expect(badCredentials).not.toBe(form.url);
          const denied = await run(badCredentials, "current");
          expect(denied.code, form.name).toBe(1);
          expect(denied.err, form.name).toMatch(/authentication failed/);
        } else {
          const refused = await run(form.url, "current");
          expect(refused.code, form.name).not.toBe(0);
          expect(refused.err.trimEnd().split("\n"), form.name).toHaveLength(1);
        }
        expectNone(outputs.slice(start).join("\n"), all, form.name);
      }
    });

    it("a refused port, bad credentials and a raw % fail clearly, never showing a secret", async () => {
      const start = outputs.length;
      const scheme = backend.name === "postgresql" ? "postgresql" : "mysql";
      const refused = await run(`${scheme}://${user}:${enc(password)}@127.0.0.1:9/x?password=${enc(password)}`, "current");
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/^retort: Cannot connect to 127\.0\.0\.1:9: connection refused/);
      // PostgreSQL's trust auth takes any password, not an unknown role; MariaDB checks the password.
      const who = backend.name === "postgresql" ? "no_such_role_x" : user;
      const denied = await run(`${scheme}://${who}:${enc(WRONG)}@${url.host}${url.pathname}`, "current");
      expect(denied.code).toBe(1);
      expect(denied.err).toMatch(/authentication failed|does not exist/);
      for (const raw of [`${scheme}://${user}:ab%zz${enc(password)}@${url.host}${url.pathname}`, `${scheme}://${user}@${url.host}${url.pathname}?password=${enc(password)}%`]) {
        const r = await run(raw, "upgrade");
        expect(r.code).toBe(2);
        expect(r.err).toMatch(/^retort: The database URL has a '%' in (the password|parameter 'password') that does not start a percent-escape: write a literal '%' as %25/);
        expect(r.err).not.toMatch(/URI malformed/);
        expect(r.err.trimEnd().split("\n")).toHaveLength(1);
      }
      expectNone(outputs.slice(start).join("\n"), forbidden(password, WRONG, `ab%zz${enc(password)}`), "error paths");
    });

    it("the history table holds no secret in any error_message", async () => {
      const rows = await queryOnce(admin, "SELECT error_message FROM alembic_version_history");
      const errors = rows.map((r) => String(r.error_message ?? ""));
      expect(errors.filter((e) => e.includes("quoting")).length).toBeGreaterThan(0);
      expectNone(errors.join("\n"), forbidden(password, KEY_PASSWORD, "Decoy-Pw-9"), "alembic_version_history.error_message");
    });

    if (backend.name === "postgresql") {
      it("PGPASSWORD: honoured for a URL without a password, never shown (the bundled CLI)", () => {
        if (!existsSync(CLI)) throw new Error("run npm run build first: this test spawns dist/cli.js");
        const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PGPASSWORD: password };
        const argv = ["--migrations", dir];
        const noPw = `postgresql://${user}@${url.host}${url.pathname}`;
        const current = spawnSync(process.execPath, [CLI, ...argv, "current", "--json", "--database-url", noPw], { encoding: "utf8", env });
        expect(current.status, current.stderr).toBe(0);
        expect(JSON.parse(current.stdout).database).toBe(`postgresql://${user}:***@${url.host}${url.pathname}`);
        quoting(noPw);
        const failed = spawnSync(process.execPath, [CLI, ...argv, "upgrade", "--debug", "--database-url", noPw], { encoding: "utf8", env });
        expect(failed.status).toBe(1);
        expect(failed.stderr).toMatch(/quoting/);
        expectNone(current.stdout + current.stderr + failed.stdout + failed.stderr, forbidden(password), "PGPASSWORD run");
      });
    }
  });
}
