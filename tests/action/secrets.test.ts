// The Action never writes or sends a secret of its database-url input, in whatever form it was
// given: each secret, in every form a message can quote it, is registered with ::add-mask::
// before anything else is printed, and nothing else it writes (stdout, the pull-request comment
// sent to a fake GitHub API on 127.0.0.1, the job summary, the outputs, the plan-file and
// sql-file) holds one. The Action runs as one step started from action.yml (tests/action/runner.ts),
// against the real PostgreSQL and MariaDB.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { secretForms } from "../../src/db/target.js";
import { renderRevisionFile } from "../../src/load/native.js";
import { fakeHosts } from "../fake-hosts.js";
import { BACKENDS, describeBackend, mariadbUserWithPassword, queryOnce, type Backend } from "../servers.js";
import { FakeGitHub } from "./fake-github.js";
import { loadAction, runStep } from "./runner.js";

const ACTION = loadAction();
const PASSWORD = { postgresql: "Pg-Act10n@p:w/d%x y", mariadb: "My-Act10n@p:w/d%x" } as const;
const KEY_PASSWORD = "Key-Act10n-Passphr@se";
const DECOY = "Decoy-Act10n-9";
const enc = encodeURIComponent;

interface Run {
  code: number;
  /** Everything the Action wrote but its ::add-mask:: lines. */
  written: string;
  /** The values registered with ::add-mask::, unescaped as the runner reads them. */
  masked: Set<string>;
  stdout: string;
}

/** The runner's reading of a command's data (the toolkit escapes %, \r and \n). */
const unescapeData = (s: string) => s.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");

for (const backend of BACKENDS.filter((b): b is Backend => b.name !== "pglite")) {
  describeBackend(backend, "the Action never reveals a secret of database-url", () => {
    const github = new FakeGitHub(fakeHosts("all"));
    const password = PASSWORD[backend.name as "postgresql" | "mariadb"];
    let dropUser: (() => Promise<void>) | undefined;
    const mysqlUser = `retort_act_${process.pid}`;
    let work: string;
    let admin: string;
    let drop: () => Promise<void>;
    let base: URL;
    let user: string;

    const revision = (id: string, down: string[], upgrade: string) =>
      writeFileSync(join(work, "migrations", `${id}_r.sql`), renderRevisionFile({ id, message: `r ${id}`, downRevisions: down, createDate: "d", upgrade, downgrade: "SELECT 1;" }));

    const runAction = async (databaseUrl: string, event: "pull_request" | "push"): Promise<Run> => {
      const requestsBefore = github.bodies.length;
      const r = await runStep(ACTION, {
        with: { "database-url": databaseUrl, environment: "staging" },
        event,
        payload: event === "pull_request" ? { pull_request: { number: 7, head: { sha: "f".repeat(40) } } } : {},
        workspace: work,
        token: "ghs_faketoken",
        env: { GITHUB_REPOSITORY: "o/r", GITHUB_API_URL: `http://127.0.0.1:${github.port}`, GITHUB_SHA: "0".repeat(40) },
      });
      const files = [r.outputs["sql-file"], r.outputs["plan-file"]].filter((f): f is string => !!f);
      expect(files.length, r.log).toBe(r.log.includes("::error") ? files.length : 2);
      const lines = r.log.split("\n");
      const masked = new Set(lines.filter((l) => l.startsWith("::add-mask::")).map((l) => unescapeData(l.slice("::add-mask::".length))));
      const written = [
        lines.filter((l) => !l.startsWith("::add-mask::")).join("\n"),
        JSON.stringify(r.outputs),
        r.summary,
        ...files.filter((f) => existsSync(f)).map((f) => readFileSync(f, "utf8")),
        ...github.bodies.slice(requestsBefore),
      ].join("\n");
      return { code: r.code, written, masked, stdout: r.log };
    };

    /** The forms of database-url under test, and the secrets each holds. */
    /** `secrets` decoded (each is registered in every form), `written`: also as written. */
    const forms = (): { name: string; url: string; secrets: string[]; written?: string[]; ok: boolean }[] => {
      const h = `${base.hostname}:${base.port}`;
      const db = base.pathname.slice(1);
      const scheme = backend.name === "postgresql" ? "postgresql" : "mysql";
      const list = [
        { name: "userinfo, percent-encoded specials", url: `${scheme}://${user}:${enc(password)}@${h}/${db}`, secrets: [password], ok: true },
        { name: "?password=", url: `${scheme}://${user}@${h}/${db}?password=${enc(password)}`, secrets: [password], ok: true },
        { name: "?password= over a decoy", url: `${scheme}://${user}:${DECOY}@${h}/${db}?password=${enc(password)}`, secrets: [password, DECOY], ok: true },
        { name: "raw %", url: `${scheme}://${user}:${enc(password)}%zz@${h}/${db}`, secrets: [`${password}%zz`], written: [`${enc(password)}%zz`], ok: false },
      ];
      if (backend.name === "postgresql") {
        list.push(
          { name: "?host=&password=", url: `postgresql:///${db}?host=${base.hostname}&port=${base.port}&user=${user}&password=${enc(password)}`, secrets: [password], ok: true },
          { name: "keyword string", url: `host=${base.hostname} port=${base.port} user=${user} dbname=${db} password='${password}'`, secrets: [password], ok: true },
          { name: "sslpassword", url: `postgresql://${user}:${enc(password)}@${h}/${db}?sslmode=disable&sslpassword=${enc(KEY_PASSWORD)}`, secrets: [password, KEY_PASSWORD], ok: true },
        );
      } else {
        list.push({
          name: "sslpassword (no TLS on the server)",
          url: `mysql://${user}:${enc(password)}@${h}/${db}?ssl-mode=REQUIRED&sslpassword=${enc(KEY_PASSWORD)}`,
          secrets: [password, KEY_PASSWORD],
          ok: false,
        });
      }
      return list;
    };

    beforeAll(async () => {
      await github.start();
      work = mkdtempSync(join(tmpdir(), "retort-action-secrets-"));
      ({ url: admin, drop } = await backend.create());
      base = new URL(admin);
      user = base.username;
      if (backend.name === "mariadb") {
        user = mysqlUser;
        dropUser = await mariadbUserWithPassword(admin, user, password);
      }
      mkdirSync(join(work, "migrations"));
      revision("aaaa00000001", [], "CREATE TABLE IF NOT EXISTS t_a (id INT);");
    });
    afterAll(async () => {
      await github.stop();
      await dropUser?.().catch(() => undefined);
      await drop();
      rmSync(work, { recursive: true, force: true });
    });

    it("plans on a pull request and applies on push with every form, and registers every secret", async () => {
      for (const form of forms()) {
        // A revision whose failure quotes the input as given and the password.
        const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
        revision(
          "bbbb00000002",
          ["aaaa00000001"],
          backend.name === "postgresql"
            ? `DO $q$ BEGIN RAISE EXCEPTION 'quoting % and %', ${quote(form.url)}, ${quote(password)}; END $q$;`
            : `SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = ${quote(`quoting ${form.url} and ${password}`)};`,
        );
        await queryOnce(admin, "DROP TABLE IF EXISTS alembic_version");
        const runs = [await runAction(form.url, "pull_request"), await runAction(form.url, "push")];
        if (form.ok) {
          expect(runs[0]!.code, `${form.name}: ${runs[0]!.stdout}`).toBe(0);
          expect(runs[1]!.code, form.name).not.toBe(0); // bbbb fails, quoting the secrets
          expect(runs[1]!.stdout, form.name).toMatch(/::error::upgrade bbbb00000002 .*quoting/);
        } else {
          for (const r of runs) expect(r.code, form.name).not.toBe(0);
        }
        for (const r of runs) {
          for (const f of [...form.secrets.flatMap((secret) => secretForms(secret)), ...(form.written ?? [])]) {
            expect(r.masked.has(f), `${form.name}: ${f} registered`).toBe(true);
            expect(r.written.includes(f), `${form.name}: ${f} written`).toBe(false);
          }
          expect(r.masked.has(form.url), form.name).toBe(true);
        }
      }
      // What reached the database's history holds none either.
      const errors = (await queryOnce(admin, "SELECT error_message FROM alembic_version_history")).map((row) => String(row.error_message ?? ""));
      expect(errors.some((e) => e.includes("quoting"))).toBe(true);
      for (const s of [password, KEY_PASSWORD, DECOY]) for (const f of secretForms(s)) expect(errors.join("\n").includes(f), f).toBe(false);
    });
  });
}
