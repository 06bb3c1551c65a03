// Attacks on the graph read through Alembic (src/alembic/graph.ts, run.ts, bootstrap.ts): the
// revision modules Alembic imports come from the pull request. They must not learn retort's
// secrets (its own environment is readable as /proc/PID/environ by any process of the same
// user), hold retort forever (sleeping, waiting on standard input), exhaust its memory
// (printing without end) or fill its messages with their own megabytes. Fixtures are written
// here, one temp project per test.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { alembicScripts } from "../../src/alembic/graph.js";
import { RetortError } from "../../src/core/errors.js";
import { main } from "../../src/cli/main.js";
import { ALEMBIC_COMMAND as ALEMBIC, alembicAvailable as available, PYTHON } from "../alembic-kit.js";

/** Whether this kernel has Landlock (the bootstrap's confinement is best effort). */
const landlock = (() => {
  try {
    const probe = "import ctypes;l=ctypes.CDLL(None);l.syscall.restype=ctypes.c_long;print(l.syscall(444,None,ctypes.c_size_t(0),ctypes.c_uint32(1)))";
    return Number(execFileSync(PYTHON, ["-c", probe]).toString().trim()) >= 1;
  } catch {
    return false;
  }
})();

const ENV_PY = `from alembic import context

context.configure(url=context.config.get_main_option("sqlalchemy.url"), literal_binds=True)
with context.begin_transaction():
    context.run_migrations()
`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A project whose one revision runs `body` at import, and computes its id (so that retort
 *  must ask Alembic). */
function project(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), "retort-attack-graph-"));
  dirs.push(dir);
  mkdirSync(join(dir, "migrations/versions"), { recursive: true });
  writeFileSync(join(dir, "alembic.ini"), "[alembic]\nscript_location = migrations\n");
  writeFileSync(join(dir, "migrations/env.py"), ENV_PY);
  writeFileSync(
    join(dir, "migrations/versions/a1_hostile.py"),
    `"""hostile"""\nimport os, sys, time\n\n${body}\n\nrevision = "a1" + "b2"\ndown_revision = None\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n`,
  );
  return dir;
}

const runner = (dir: string) => ({ command: ALEMBIC.split(" "), iniPath: join(dir, "alembic.ini"), scriptLocation: join(dir, "migrations"), passEnv: [] });

async function failure(promise: Promise<unknown>): Promise<RetortError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(RetortError);
    return e as RetortError;
  }
  throw new Error("expected a RetortError");
}

describe.runIf(available || process.env.CI)("attacks on the graph read through Alembic", () => {
  it.runIf(landlock)("a revision cannot read retort's environment through /proc, nor its command line", async () => {
    const secret = "ghp_attackTOKEN0123456789";
    process.env.RETORT_ATTACK_TOKEN = secret;
    try {
      const dir = project(
        `seen = []\nfor name in ("environ", "cmdline"):\n    try:\n        seen.append(open("/proc/%d/%s" % (os.getppid(), name), "rb").read().decode("latin-1"))\n` +
          `    except OSError as e:\n        seen.append("denied " + type(e).__name__)\nseen.append(repr(dict(os.environ)))\nraise RuntimeError(" | ".join(seen))`,
      );
      const e = await failure(alembicScripts(runner(dir)));
      expect(e.message).toContain("denied PermissionError");
      expect(e.message).not.toContain(secret);
      expect(e.message).not.toContain("RETORT_ATTACK_TOKEN");
    } finally {
      delete process.env.RETORT_ATTACK_TOKEN;
    }
  });

  it("standard input is empty to the revisions: reading it ends at once instead of waiting for retort", async () => {
    const dir = project(`assert sys.stdin.read() == ""\nassert os.read(0, 100) == b""\n`);
    const answers = await alembicScripts(runner(dir), { timeoutMs: 20_000 });
    expect([...answers.values()].map((a) => a.revision)).toEqual(["a1b2"]);
  });

  it("a revision that sleeps is stopped after the time limit, with what it started, as one clear error", async () => {
    const dir = project(`open(os.path.join(os.path.dirname(__file__), "pid"), "w").write(str(os.getpid()))\ntime.sleep(600)`);
    const started = Date.now();
    const e = await failure(alembicScripts(runner(dir), { timeoutMs: 2_000 }));
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(e.message).toMatch(/^Alembic failed to load the revisions: Alembic did not finish within 2 s \(a revision or env\.py that sleeps/);
    const pid = Number(readFileSync(join(dir, "migrations/versions/pid"), "utf8"));
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it.runIf(process.platform === "linux")("a process a revision started in a session of its own, holding Alembic's output open, does not hold retort", async () => {
    const dir = project(
      `import subprocess
p = subprocess.Popen(["setsid", "sleep", "300"])
open(os.path.join(os.path.dirname(__file__), "pid"), "w").write(str(p.pid))`,
    );
    const started = Date.now();
    try {
      const answers = await alembicScripts(runner(dir), { timeoutMs: 60_000 });
      expect([...answers.values()].map((a) => a.revision)).toEqual(["a1b2"]);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      try {
        process.kill(Number(readFileSync(join(dir, "migrations/versions/pid"), "utf8")), "SIGKILL");
      } catch {
        // gone
      }
    }
  });

  it("events forged with the marker a revision can find: a shape the bootstrap never writes is ignored, values are checked", async () => {
    const forge = (event: string) =>
      project(`import json, __main__
sys.stderr.write("\\n" + __main__.settings["marker"] + json.dumps(${event}) + "\\n")
sys.stderr.flush()
os._exit(0)`);
    const noAnswer = await failure(alembicScripts(runner(forge(`{"e": "graph", "scripts": 5}`))));
    expect(noAnswer.message).toBe("Alembic gave no answer.");
    const fatal = await failure(alembicScripts(runner(forge(`{"e": "fatal", "message": {"x": 1}}`))));
    expect(fatal.message).toBe("Alembic gave no answer.");
    let err = "";
    const dir = forge(`{"e": "graph", "scripts": [{"path": os.path.realpath(__file__), "revision": {"x": 1}, "down_revision": None}]}`);
    const code = await main(["heads", "--migrations", join(dir, "migrations"), "--alembic-config", join(dir, "alembic.ini"), "--alembic-command", ALEMBIC], {
      out: () => undefined,
      err: (t) => void (err += t),
    });
    expect(code).not.toBe(0);
    expect(err).toMatch(/a1_hostile\.py:9: 'revision = "a1" \+ "b2"' gives a value retort cannot use when Alembic imports the file/);
    expect(err).not.toMatch(/unexpected error/);
  });

  it("what a revision leaves running in Alembic's process group ends with the run", async () => {
    const dir = project(
      `import subprocess
p = subprocess.Popen(["sleep", "300"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
open(os.path.join(os.path.dirname(__file__), "pid"), "w").write(str(p.pid))`,
    );
    await alembicScripts(runner(dir), { timeoutMs: 20_000 });
    const pid = Number(readFileSync(join(dir, "migrations/versions/pid"), "utf8"));
    await new Promise((r) => setTimeout(r, 200));
    let alive = true;
    try {
      // A zombie waiting for init is no running process: its state is Z.
      alive = !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
    } catch {
      alive = false;
    }
    if (alive) process.kill(pid, "SIGKILL");
    expect(alive).toBe(false);
  });

  it("a revision printing without end is stopped at the output limit, not kept in memory", async () => {
    const dir = project(`chunk = ("x" * 1023 + "\\n") * 1024\nfor _ in range(100):\n    sys.stdout.write(chunk)\nsys.stdout.flush()`);
    const e = await failure(alembicScripts(runner(dir), { timeoutMs: 60_000 }));
    expect(e.message).toContain("Alembic printed more than 64 MB");
    expect(e.message.length).toBeLessThan(2_000);
  });

  it("an exception message of a megabyte with escapes and workflow commands: clipped, and inert on retort's stderr", async () => {
    const dir = project(`raise RuntimeError("\\x1b[2J\\n::error::forged\\n##[group]x\\n" + "A" * 1000000)`);
    const e = await failure(alembicScripts(runner(dir)));
    expect(e.message.length).toBeLessThan(3_000);
    expect(e.message).toContain("more characters)");
    let err = "";
    const code = await main(["heads", "--migrations", join(dir, "migrations"), "--alembic-config", join(dir, "alembic.ini"), "--alembic-command", ALEMBIC], {
      out: () => undefined,
      err: (t) => void (err += t),
    });
    expect(code).not.toBe(0);
    expect(err.length).toBeLessThan(4_000);
    expect(err).not.toContain("\u001b");
    expect(err).not.toMatch(/^\s*::/m);
    expect(err).not.toContain("##[");
  });
});
