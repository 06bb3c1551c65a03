// Running Alembic itself: offline for the SQL of Python revisions, online to apply them. retort
// runs its bootstrap (bootstrap.ts) with the project's interpreter (python.ts) in the ini's
// folder, and hands it everything on standard input: the program, then one JSON line of
// settings with the URL. Nothing is written to disk, so no signal, crash or kill can leave a
// password behind; the URL is in no environment block the child starts with (it sets
// DATABASE_URL for env.py inside the process). Standard input stays open while retort lives:
// its end is how Alembic learns that retort died. The child gets a session of its own, so a
// terminal's Ctrl-C reaches retort, and retort's end, not the child directly.

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { RetortError } from "../core/errors.js";
import type { Dialect } from "../core/sql.js";
import { scrubSecrets } from "../db/target.js";
import { BOOTSTRAP_PY, BOOTSTRAP_STUB, GRAPH_COMMAND } from "./bootstrap.js";
import { alembicEnvironment } from "./env.js";
import { notFound, pythonLaunch, systemLookup, type PythonLaunch } from "./python.js";

export interface AlembicRunner {
  /** How Alembic is started, split into words: ["alembic"] or ["python3", "-m", "alembic"]. */
  readonly command: readonly string[];
  /** The project's alembic.ini; null when the project has none (env.py beside versions/). */
  readonly iniPath: string | null;
  /** The script location, used when the project has no ini. */
  readonly scriptLocation: string;
  /** Main options set on Alembic's Config besides the URL (--version-locations'). */
  readonly mainOptions?: Readonly<Record<string, string>>;
  /** Environment variables Alembic gets besides the allow-list (env.ts): names or `PREFIX*`. */
  readonly passEnv: readonly string[];
}

/** A statement for SQLAlchemy's text(): `:name` parameters and their values. `now` and `ms`
 *  name the parameters the bootstrap fills with the time (UTC) and the step's duration. */
export interface TextStatement {
  readonly sql: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly now?: string;
  readonly ms?: string;
}

/** What the bootstrap does on Alembic's connection for one step of the plan. */
export interface StepBookkeeping {
  readonly direction: "upgrade" | "downgrade";
  readonly revision: string;
  /** Run as the step starts, in its transaction (the started row where DDL commits at once). */
  readonly start: TextStatement | null;
  /** Finishes the started row, in on_version_apply; `insert` when there is none. */
  readonly finish: TextStatement | null;
  /** The step's history row, in on_version_apply (inside the step's transaction). */
  readonly insert: TextStatement;
}

export interface OnlineBookkeeping {
  /** Takes retort's work lock on Alembic's connection; its first column is true or 1 when taken. */
  readonly lock: TextStatement;
  /** The plan's steps, in order: Alembic must be about to run exactly these. */
  readonly steps: readonly StepBookkeeping[];
}

/** Where Alembic runs: offline it learns only the dialect (a placeholder URL); online it gets
 *  the database's URL and, to apply a plan, the bookkeeping to do on its connection. */
export type AlembicTarget =
  | { readonly mode: "offline"; readonly dialect: Dialect }
  | {
      readonly mode: "online";
      /** A full URL with its password (connectionUrl of the connection target). */
      readonly url: string;
      /** Every form of the target's secrets, scrubbed from whatever Alembic prints. */
      readonly secrets: readonly string[];
      readonly bookkeeping: OnlineBookkeeping | null;
    };

export type AlembicEvent =
  | { readonly e: "start"; readonly direction: string; readonly revision: string }
  | { readonly e: "applied"; readonly direction: string; readonly revision: string; readonly ms: number }
  | { readonly e: "fatal"; readonly message: string }
  /** The graph command's answer (alembic/graph.ts). */
  | { readonly e: "graph"; readonly scripts: readonly unknown[] };

export interface AlembicHooks {
  /** Alembic's output, line by line as it comes (scrubbed of the password). */
  readonly onLine?: (line: string) => void;
  readonly onEvent?: (event: AlembicEvent) => void;
  /** How long an offline run may take (OFFLINE_TIMEOUT_MS by default); online runs apply
   *  migrations, which take what they take, and have no limit unless one is given. */
  readonly timeoutMs?: number;
}

/** An offline run (the graph, SQL rendering) reads revision modules and renders SQL: seconds
 *  on the largest projects. A revision or env.py that sleeps, loops or waits for input is
 *  stopped after this long, so a pull request cannot hold retort's job forever. */
export const OFFLINE_TIMEOUT_MS = 120_000;

/** What retort keeps of Alembic's output: offline SQL far beyond any real plan, and the end of
 *  what it printed on stderr (where Python puts the exception). An offline run printing more
 *  stdout is stopped, so a revision printing without end cannot exhaust retort's memory. */
export const MAX_STDOUT_CHARS = 64 * 1024 * 1024;
const MAX_STDERR_CHARS = 1024 * 1024;
/** Alembic's (a revision author's) words quoted in retort's messages. */
const MAX_WHY_CHARS = 2000;

const clip = (text: string, max = MAX_WHY_CHARS) => (text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text);

export interface AlembicResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** A URL Alembic can take the dialect from when there is no database. */
export function placeholderUrl(dialect: Dialect): string {
  return dialect === "mysql" ? "mysql://retort@localhost/offline" : "postgresql://retort@localhost/offline";
}

/** The SQLAlchemy URL for a retort URL: PostgreSQL through psycopg2, MySQL/MariaDB through
 *  PyMySQL (what Debian's python3-psycopg2 and python3-pymysql provide). */
export function sqlalchemyUrl(url: string, asyncDriver = false): string {
  // An env.py of `alembic init -t async` makes an async engine, which psycopg2 cannot drive.
  const [postgres, mysql] = asyncDriver ? ["asyncpg", "aiomysql"] : ["psycopg2", "pymysql"];
  return url.replace(/^postgres(ql)?:\/\//, `postgresql+${postgres}://`).replace(/^(mysql|mariadb):\/\//, `mysql+${mysql}://`);
}

/** Whether the env.py of `scriptLocation` makes an async engine (`alembic init -t async`: it
 *  imports sqlalchemy.ext.asyncio, for AsyncEngine in Alembic 1.8, async_engine_from_config later). */
export function usesAsyncEngine(scriptLocation: string): boolean {
  try {
    return /\bsqlalchemy\.ext\.asyncio\b|\b(async_engine_from_config|create_async_engine)\b/.test(readFileSync(join(scriptLocation, "env.py"), "utf8"));
  } catch {
    return false;
  }
}

/** Earlier versions of retort gave Alembic a private (0600) copy of alembic.ini with the
 *  password, in `<tmp>/retort-alembic-XXXXXX/`, which a killed run left behind. Such a copy is removed when
 *  no living process names it (its Alembic had it in its command line); without /proc, where
 *  that cannot be told, copies stay. Returns the folders removed. */
export function sweepLegacyCopies(temp = tmpdir()): string[] {
  let names: string[];
  try {
    names = readdirSync(temp).filter((n) => /^retort-alembic-[A-Za-z0-9]{6}$/.test(n));
  } catch {
    return [];
  }
  const uid = process.getuid?.();
  const candidates = names
    .map((n) => join(temp, n))
    .filter((dir) => {
      try {
        const entries = readdirSync(dir);
        const ini = lstatSync(join(dir, "alembic.ini"));
        return entries.length === 1 && ini.isFile() && (ini.mode & 0o077) === 0 && (uid === undefined || ini.uid === uid);
      } catch {
        return false;
      }
    });
  if (candidates.length === 0 || !existsSync("/proc/self/cmdline")) return [];
  const inUse = new Set<string>();
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      continue;
    }
    for (const dir of candidates) if (cmdline.includes(dir)) inUse.add(dir);
  }
  const removed = candidates.filter((dir) => !inUse.has(dir));
  for (const dir of removed) rmSync(dir, { recursive: true, force: true });
  return removed;
}

let swept = false;

/** Runs `alembic [-c ini] ...args` through the bootstrap in the ini's folder. */
export async function runAlembic(runner: AlembicRunner, target: AlembicTarget, args: readonly string[], hooks: AlembicHooks = {}): Promise<AlembicResult> {
  if (!swept) {
    swept = true;
    sweepLegacyCopies();
  }
  const launch = pythonLaunch(runner.command, systemLookup(process.env.PATH));
  const secrets = target.mode === "online" ? target.secrets : [];
  const scrub = (text: string) => scrubSecrets(text, secrets);
  const marker = `\u001eretort-${randomBytes(8).toString("hex")}:`;

  const [file, ...pre] = launch.python;
  const child = spawn(file!, [...pre, "-c", BOOTSTRAP_STUB], {
    cwd: runner.iniPath ? dirname(runner.iniPath) : dirname(runner.scriptLocation),
    env: alembicEnvironment(process.env, runner.passEnv),
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  const exited = new Promise<Exit>((resolve) => {
    child.once("error", (error: NodeJS.ErrnoException) => resolve({ code: null, signal: null, error }));
    child.once("close", (code, signal) => resolve({ code, signal, error: null }));
  });
  // A child that exits at once (not found, a wrapper without stdin) closes the pipe early.
  child.stdin.on("error", () => undefined);
  child.stdin.write(`${JSON.stringify(BOOTSTRAP_PY)}\n${JSON.stringify(bootstrapSettings(runner, target, launch, args, marker))}\n`);

  const output = collectOutput(child, marker, hooks, scrub, target.mode === "offline");
  const timeoutMs = hooks.timeoutMs ?? (target.mode === "offline" ? OFFLINE_TIMEOUT_MS : undefined);
  const timer = timeoutMs === undefined ? null : setTimeout(() => output.stop(`Alembic did not finish within ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
  output.onStop = () => killTree(child);
  // A process env.py or a revision started in a session of its own (setsid) may hold
  // Alembic's stdout and stderr open after Alembic exited: retort does not wait for it.
  child.once("exit", () => setTimeout(() => closeOutput(child), EXIT_GRACE_MS).unref());

  const result = await exited;
  if (timer) clearTimeout(timer);
  child.stdin.destroy();
  // What env.py or a revision left running in Alembic's process group ends with the run.
  killGroup(child);
  if (result.error) {
    if (result.error.code === "ENOENT") throw notFound(runner.command);
    throw new RetortError("migration-failed", `Cannot run Alembic ('${runner.command.join(" ")}'): ${scrub(result.error.message)}`);
  }
  const stopped = output.stopped;
  if (stopped !== null) {
    const why = `${stopped} (a revision or env.py that sleeps, loops, waits for input or prints without end); it was stopped`;
    throw new AlembicFailure(`alembic ${args.join(" ")} failed: ${why}`, { stdout: scrub(output.stdout), stderr: scrub(output.stderr), why });
  }
  if (output.fatal !== null) throw new RetortError("state", `alembic ${args.join(" ")}: ${clip(scrub(output.fatal))}`);
  if (result.code !== 0) {
    const why = clip(failureText(output, result, scrub));
    throw new AlembicFailure(`alembic ${args.join(" ")} failed: ${why}`, { stdout: scrub(output.stdout), stderr: scrub(output.stderr), why });
  }
  return { stdout: output.stdout, stderr: output.stderr };
}

/** How long retort reads what Alembic printed after it exited (whatever still holds its pipes). */
const EXIT_GRACE_MS = 2_000;

function closeOutput(child: ChildProcess): void {
  child.stdout?.destroy();
  child.stderr?.destroy();
}

/** Kills the child and what it started: it leads a process group of its own (detached); what
 *  left that group keeps no pipe of retort's open. */
function killTree(child: ChildProcess): void {
  child.stdin?.destroy();
  if (!killGroup(child)) child.kill("SIGKILL");
  closeOutput(child);
}

/** SIGKILL to the child's process group (its pid: it was started detached); false when none. */
function killGroup(child: ChildProcess): boolean {
  try {
    if (child.pid === undefined) return false;
    process.kill(-child.pid, "SIGKILL");
    return true;
  } catch {
    return false;
  }
}

interface Output {
  stdout: string;
  stderr: string;
  fatal: string | null;
  /** Why the run was stopped (too long, too much output), or null. */
  stopped: string | null;
  onStop: () => void;
  stop(why: string): void;
}

/** Alembic's stdout and stderr as they come, with retort's marked events taken out; at most
 *  MAX_STDOUT_CHARS of stdout, the last MAX_STDERR_CHARS of stderr. Offline, more stdout (the
 *  SQL) stops the run; online, where stopping would kill a migration half-way, only the end
 *  is kept (every line went to onLine as it came). */
function collectOutput(child: ChildProcess, marker: string, hooks: AlembicHooks, scrub: (text: string) => string, offline: boolean): Output {
  const output: Output = {
    stdout: "",
    stderr: "",
    fatal: null,
    stopped: null,
    onStop: () => undefined,
    stop(why) {
      if (this.stopped !== null) return;
      this.stopped = why;
      this.onStop();
    },
  };
  const take = (collect: (line: string) => void) => (line: string) => {
    const at = line.indexOf(marker);
    if (at >= 0) {
      const event = parseEvent(line.slice(at + marker.length));
      if (event?.e === "fatal") output.fatal = event.message;
      if (event) hooks.onEvent?.(event);
      line = line.slice(0, at);
    }
    collect(line);
    if (hooks.onLine && line.trim() !== "") hooks.onLine(scrub(line));
  };
  const mb = MAX_STDOUT_CHARS / 1024 / 1024;
  const tooLong = () => {
    if (offline) output.stop(`Alembic printed a line longer than ${mb} MB`);
  };
  eachLine(child.stdout!, take((line) => {
    if (output.stopped !== null) return;
    output.stdout += `${line}\n`;
    if (output.stdout.length <= MAX_STDOUT_CHARS) return;
    if (offline) output.stop(`Alembic printed more than ${mb} MB`);
    else output.stdout = output.stdout.slice(-MAX_STDOUT_CHARS / 2);
  }), tooLong);
  eachLine(child.stderr!, take((line) => {
    if (line.trim() === "") return;
    output.stderr += `${line}\n`;
    if (output.stderr.length > 2 * MAX_STDERR_CHARS) output.stderr = output.stderr.slice(-MAX_STDERR_CHARS);
  }), tooLong);
  return output;
}

/** A run of Alembic that ended in failure, with what it printed (scrubbed): offline, what it
 *  printed before failing tells where it failed (sql.ts). */
export class AlembicFailure extends RetortError {
  readonly stdout: string;
  readonly stderr: string;
  /** Alembic's own words: the exception line (and SQLAlchemy's [SQL: ...] line). */
  readonly why: string;

  constructor(message: string, output: { readonly stdout: string; readonly stderr: string; readonly why: string }) {
    super("migration-failed", message);
    this.name = "AlembicFailure";
    this.stdout = output.stdout;
    this.stderr = output.stderr;
    this.why = output.why;
  }
}

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly error: NodeJS.ErrnoException | null;
}

/** The one JSON line of settings the bootstrap reads after its program. */
function bootstrapSettings(runner: AlembicRunner, target: AlembicTarget, launch: PythonLaunch, args: readonly string[], marker: string) {
  const url = target.mode === "online" ? target.url : placeholderUrl(target.dialect);
  const sa = sqlalchemyUrl(url, target.mode === "online" && usesAsyncEngine(runner.scriptLocation));
  return {
    marker,
    parent: process.pid,
    argv: [...launch.alembicOptions, ...(runner.iniPath ? ["-c", runner.iniPath] : []), ...args],
    no_config_file: runner.iniPath === null,
    main_options: { "sqlalchemy.url": sa, ...(runner.iniPath ? {} : { script_location: runner.scriptLocation }), ...runner.mainOptions },
    // What env.py files have always been able to read; offline they name the placeholder.
    environ: { DATABASE_URL: sa, SQLALCHEMY_URL: sa, RETORT_DATABASE_URL: url },
    online: target.mode === "online" ? target.bookkeeping : null,
    graph_command: GRAPH_COMMAND,
  };
}

/** Calls `take` with each line of `stream` (the last one also without its newline); a line
 *  longer than MAX_STDOUT_CHARS is dropped and `tooLong` called. */
function eachLine(stream: NodeJS.ReadableStream, take: (line: string) => void, tooLong: () => void): void {
  let pending = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    const parts = (pending + chunk).split("\n");
    pending = parts.pop() ?? "";
    for (const part of parts) take(part);
    if (pending.length > MAX_STDOUT_CHARS) {
      pending = "";
      tooLong();
    }
  });
  stream.on("end", () => {
    if (pending !== "") take(pending);
  });
}

/** What a failed Alembic run says went wrong, scrubbed. */
function failureText(output: { readonly stdout: string; readonly stderr: string }, result: Exit, scrub: (text: string) => string): string {
  const text = scrub(`${output.stderr}\n${output.stdout}`.trim());
  // Python's traceback ends with the exception line (and SQLAlchemy's [SQL: ...] line):
  // those say what went wrong; the frames above them do not.
  const all = text.split("\n").map((l) => l.trim()).filter(Boolean);
  const errorLine = [...all].reverse().find((l) => /^[\w.]+(Error|Exception|Failure)\b.*:/.test(l) || l.startsWith("FAILED:"));
  const sqlLine = [...all].reverse().find((l) => l.startsWith("[SQL:"));
  const last = [errorLine, sqlLine].filter(Boolean).join(" ") || all.slice(-3).join(" | ");
  const how = result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`;
  return last || how;
}

/** A marked line's event, or null for anything but one of the shapes the bootstrap writes:
 *  env.py and the revisions run in the bootstrap's process and can learn the marker, so what
 *  follows it is checked like any other input. */
function parseEvent(text: string): AlembicEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  const str = (name: string) => typeof v[name] === "string";
  switch (v.e) {
    case "start":
      return str("direction") && str("revision") ? (v as AlembicEvent) : null;
    case "applied":
      return str("direction") && str("revision") && typeof v.ms === "number" ? (v as AlembicEvent) : null;
    case "fatal":
      return str("message") ? (v as AlembicEvent) : null;
    case "graph":
      return Array.isArray(v.scripts) ? (v as AlembicEvent) : null;
    default:
      return null;
  }
}

/** Alembic's offline output split per revision, keyed by `from -> to` of its
 *  `-- Running upgrade A -> B` line (the text up to the next such line). */
export function splitOfflineSql(sql: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /^-- Running (?:upgrade|downgrade) (.*?) -> (.*)$/gm;
  const marks = [...sql.matchAll(re)];
  marks.forEach((m, i) => {
    const end = i + 1 < marks.length ? marks[i + 1]!.index! : sql.length;
    let chunk = sql.slice(m.index!, end);
    // The trailing COMMIT of the whole run is not the revision's.
    chunk = chunk.replace(/\n*COMMIT;\s*$/, "\n");
    out.set(`${m[1]!.trim()} -> ${m[2]!.trim()}`, chunk.trimEnd() + "\n");
  });
  return out;
}
