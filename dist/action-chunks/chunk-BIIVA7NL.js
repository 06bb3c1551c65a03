#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  BOOTSTRAP_PY,
  BOOTSTRAP_STUB,
  GRAPH_COMMAND
} from "./chunk-7QJGXDRK.js";
import {
  scrubSecrets
} from "./chunk-MK6CWJHS.js";
import {
  RetortError
} from "./chunk-ORFVBTCF.js";

// src/alembic/run.ts
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join as join2 } from "node:path";

// src/alembic/env.ts
var ALLOWED = /* @__PURE__ */ new Set([
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "LANG",
  "LANGUAGE",
  "TZ",
  "TMPDIR",
  "TMP",
  "TEMP",
  "VIRTUAL_ENV",
  "CONDA_PREFIX",
  "LD_LIBRARY_PATH",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  // Windows: Python cannot start (or find its sockets and temp folder) without these.
  "SYSTEMROOT",
  "WINDIR",
  "COMSPEC",
  "PATHEXT",
  "USERPROFILE",
  "APPDATA",
  "LOCALAPPDATA"
]);
var ALLOWED_PREFIXES = ["LC_", "PYTHON", "XDG_"];
var NEVER = /* @__PURE__ */ new Set(["PYTHONINSPECT", "DATABASE_URL", "SQLALCHEMY_URL", "RETORT_DATABASE_URL"]);
var NAME = /^[A-Za-z_][A-Za-z0-9_]*\*?$/;
function checkAlembicEnvNames(names) {
  for (const name of names) {
    if (!NAME.test(name)) {
      throw new RetortError(
        "usage",
        `Invalid --alembic-env name '${name}': give environment variable names (letters, digits and _), comma separated, or a prefix followed by * (APP_*).`
      );
    }
  }
  return [...names];
}
function named(name, patterns) {
  return patterns.some((p) => p.endsWith("*") ? name.startsWith(p.slice(0, -1)) : name === p);
}
function alembicEnvironment(parent, passed, windows = process.platform === "win32") {
  const out = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value === void 0) continue;
    const key = windows ? name.toUpperCase() : name;
    if (NEVER.has(name.toUpperCase())) continue;
    const allowed = ALLOWED.has(key) || ALLOWED_PREFIXES.some((p) => key.startsWith(p));
    if (allowed || named(name, passed)) out[name] = value;
  }
  return out;
}

// src/alembic/python.ts
import { accessSync, closeSync, constants, openSync, readSync, statSync } from "node:fs";
import { basename, delimiter, isAbsolute, join } from "node:path";
var PYTHON = /^(python|pypy)(\d+(\.\d+)*)?(\.exe)?$/i;
var ALEMBIC = /^alembic(\.exe)?$/i;
var isPython = (word) => PYTHON.test(basename(word));
function shebangInterpreter(text) {
  const first = text.split("\n", 1)[0].replace(/\r$/, "");
  if (!first.startsWith("#!")) return null;
  const words = first.slice(2).trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  if (/^(sh|bash|dash)$/.test(basename(words[0]))) {
    const m = /^'''exec' (?:"([^"]+)"|(\S+)) "\$0" "\$@"/m.exec(text);
    return m ? [m[1] ?? m[2]] : null;
  }
  if (basename(words[0]) === "env" && words[1] === "-S") words.splice(1, 1);
  return words;
}
function cannotTell(command, why) {
  return new RetortError(
    "usage",
    `Cannot tell which Python runs Alembic in --alembic-command '${command.join(" ")}' (${why}): retort runs Alembic through a small bootstrap of its own with that interpreter. Give the command as 'PYTHON -m alembic' (e.g. '/opt/venv/bin/python -m alembic'), as the alembic script ('alembic', '/opt/venv/bin/alembic'), or as a runner followed by alembic ('poetry run alembic', 'uv run alembic').`
  );
}
function notFound(command) {
  return new RetortError(
    "usage",
    `Cannot run Alembic ('${command.join(" ")}'): not found. Install it (pip install alembic, or Debian's python3-alembic), pass --alembic-command (e.g. 'python3 -m alembic'), or use the retort image's alembic variant.`
  );
}
function pythonLaunch(command, look) {
  const m = command.findIndex((w, i) => w === "-m" && command[i + 1] === "alembic");
  if (m >= 0) {
    const python2 = command.slice(0, m);
    if (!python2.some(isPython)) throw cannotTell(command, "no Python interpreter before '-m alembic'");
    return { python: python2, alembicOptions: command.slice(m + 2) };
  }
  let a = -1;
  command.forEach((w, i) => {
    if (ALEMBIC.test(basename(w))) a = i;
  });
  if (a < 0 && command.length === 1) a = 0;
  if (a < 0) throw cannotTell(command, "it names neither 'alembic' nor '-m alembic'");
  const before = command.slice(0, a);
  const alembicOptions = command.slice(a + 1);
  if (before.some(isPython)) return { python: before, alembicOptions };
  if (before.length > 0) return { python: [...before, "python"], alembicOptions };
  const word = command[a];
  const script = word.includes("/") || isAbsolute(word) ? word : look.which(word);
  const head = script === null ? null : look.head(script);
  if (head === null) throw notFound(command);
  const python = shebangInterpreter(head);
  if (python === null || !python.some(isPython)) {
    throw cannotTell(command, `${script} does not start with a '#!' line naming Python`);
  }
  return { python, alembicOptions };
}
function systemLookup(path) {
  return {
    which(name) {
      for (const dir of (path ?? "").split(delimiter)) {
        if (dir === "") continue;
        const candidate = join(dir, name);
        try {
          accessSync(candidate, constants.X_OK);
          if (statSync(candidate).isFile()) return candidate;
        } catch {
        }
      }
      return null;
    },
    head(file) {
      try {
        const fd = openSync(file, "r");
        try {
          const buf = Buffer.alloc(1024);
          const n = readSync(fd, buf, 0, buf.length, 0);
          return buf.subarray(0, n).toString("utf8");
        } finally {
          closeSync(fd);
        }
      } catch {
        return null;
      }
    }
  };
}

// src/alembic/run.ts
var OFFLINE_TIMEOUT_MS = 12e4;
var MAX_STDOUT_CHARS = 64 * 1024 * 1024;
var MAX_STDERR_CHARS = 1024 * 1024;
var MAX_WHY_CHARS = 2e3;
var clip = (text, max = MAX_WHY_CHARS) => text.length > max ? `${text.slice(0, max)}\u2026 (${text.length - max} more characters)` : text;
function placeholderUrl(dialect) {
  return dialect === "mysql" ? "mysql://retort@localhost/offline" : "postgresql://retort@localhost/offline";
}
function sqlalchemyUrl(url, asyncDriver = false) {
  const [postgres, mysql] = asyncDriver ? ["asyncpg", "aiomysql"] : ["psycopg2", "pymysql"];
  return url.replace(/^postgres(ql)?:\/\//, `postgresql+${postgres}://`).replace(/^(mysql|mariadb):\/\//, `mysql+${mysql}://`);
}
function usesAsyncEngine(scriptLocation) {
  try {
    return /\bsqlalchemy\.ext\.asyncio\b|\b(async_engine_from_config|create_async_engine)\b/.test(readFileSync(join2(scriptLocation, "env.py"), "utf8"));
  } catch {
    return false;
  }
}
function sweepLegacyCopies(temp = tmpdir()) {
  let names;
  try {
    names = readdirSync(temp).filter((n) => /^retort-alembic-[A-Za-z0-9]{6}$/.test(n));
  } catch {
    return [];
  }
  const uid = process.getuid?.();
  const candidates = names.map((n) => join2(temp, n)).filter((dir) => {
    try {
      const entries = readdirSync(dir);
      const ini = lstatSync(join2(dir, "alembic.ini"));
      return entries.length === 1 && ini.isFile() && (ini.mode & 63) === 0 && (uid === void 0 || ini.uid === uid);
    } catch {
      return false;
    }
  });
  if (candidates.length === 0 || !existsSync("/proc/self/cmdline")) return [];
  const inUse = /* @__PURE__ */ new Set();
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    let cmdline;
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
var swept = false;
async function runAlembic(runner, target, args, hooks = {}) {
  if (!swept) {
    swept = true;
    sweepLegacyCopies();
  }
  const launch = pythonLaunch(runner.command, systemLookup(process.env.PATH));
  const secrets = target.mode === "online" ? target.secrets : [];
  const scrub = (text) => scrubSecrets(text, secrets);
  const marker = `retort-${randomBytes(8).toString("hex")}:`;
  const [file, ...pre] = launch.python;
  const child = spawn(file, [...pre, "-c", BOOTSTRAP_STUB], {
    cwd: runner.iniPath ? dirname(runner.iniPath) : dirname(runner.scriptLocation),
    env: alembicEnvironment(process.env, runner.passEnv),
    stdio: ["pipe", "pipe", "pipe"],
    detached: true
  });
  const exited = new Promise((resolve) => {
    child.once("error", (error) => resolve({ code: null, signal: null, error }));
    child.once("close", (code, signal) => resolve({ code, signal, error: null }));
  });
  child.stdin.on("error", () => void 0);
  child.stdin.write(`${JSON.stringify(BOOTSTRAP_PY)}
${JSON.stringify(bootstrapSettings(runner, target, launch, args, marker))}
`);
  const output = collectOutput(child, marker, hooks, scrub, target.mode === "offline");
  const timeoutMs = hooks.timeoutMs ?? (target.mode === "offline" ? OFFLINE_TIMEOUT_MS : void 0);
  const timer = timeoutMs === void 0 ? null : setTimeout(() => output.stop(`Alembic did not finish within ${Math.round(timeoutMs / 1e3)} s`), timeoutMs);
  output.onStop = () => killTree(child);
  child.once("exit", () => setTimeout(() => closeOutput(child), EXIT_GRACE_MS).unref());
  const result = await exited;
  if (timer) clearTimeout(timer);
  child.stdin.destroy();
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
var EXIT_GRACE_MS = 2e3;
function closeOutput(child) {
  child.stdout?.destroy();
  child.stderr?.destroy();
}
function killTree(child) {
  child.stdin?.destroy();
  if (!killGroup(child)) child.kill("SIGKILL");
  closeOutput(child);
}
function killGroup(child) {
  try {
    if (child.pid === void 0) return false;
    process.kill(-child.pid, "SIGKILL");
    return true;
  } catch {
    return false;
  }
}
function collectOutput(child, marker, hooks, scrub, offline) {
  const output = {
    stdout: "",
    stderr: "",
    fatal: null,
    stopped: null,
    onStop: () => void 0,
    stop(why) {
      if (this.stopped !== null) return;
      this.stopped = why;
      this.onStop();
    }
  };
  const take = (collect) => (line) => {
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
  eachLine(child.stdout, take((line) => {
    if (output.stopped !== null) return;
    output.stdout += `${line}
`;
    if (output.stdout.length <= MAX_STDOUT_CHARS) return;
    if (offline) output.stop(`Alembic printed more than ${mb} MB`);
    else output.stdout = output.stdout.slice(-MAX_STDOUT_CHARS / 2);
  }), tooLong);
  eachLine(child.stderr, take((line) => {
    if (line.trim() === "") return;
    output.stderr += `${line}
`;
    if (output.stderr.length > 2 * MAX_STDERR_CHARS) output.stderr = output.stderr.slice(-MAX_STDERR_CHARS);
  }), tooLong);
  return output;
}
var AlembicFailure = class extends RetortError {
  stdout;
  stderr;
  /** Alembic's own words: the exception line (and SQLAlchemy's [SQL: ...] line). */
  why;
  constructor(message, output) {
    super("migration-failed", message);
    this.name = "AlembicFailure";
    this.stdout = output.stdout;
    this.stderr = output.stderr;
    this.why = output.why;
  }
};
function bootstrapSettings(runner, target, launch, args, marker) {
  const url = target.mode === "online" ? target.url : placeholderUrl(target.dialect);
  const sa = sqlalchemyUrl(url, target.mode === "online" && usesAsyncEngine(runner.scriptLocation));
  return {
    marker,
    parent: process.pid,
    argv: [...launch.alembicOptions, ...runner.iniPath ? ["-c", runner.iniPath] : [], ...args],
    no_config_file: runner.iniPath === null,
    main_options: { "sqlalchemy.url": sa, ...runner.iniPath ? {} : { script_location: runner.scriptLocation }, ...runner.mainOptions },
    // What env.py files have always been able to read; offline they name the placeholder.
    environ: { DATABASE_URL: sa, SQLALCHEMY_URL: sa, RETORT_DATABASE_URL: url },
    online: target.mode === "online" ? target.bookkeeping : null,
    graph_command: GRAPH_COMMAND
  };
}
function eachLine(stream, take, tooLong) {
  let pending = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk) => {
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
function failureText(output, result, scrub) {
  const text = scrub(`${output.stderr}
${output.stdout}`.trim());
  const all = text.split("\n").map((l) => l.trim()).filter(Boolean);
  const errorLine = [...all].reverse().find((l) => /^[\w.]+(Error|Exception|Failure)\b.*:/.test(l) || l.startsWith("FAILED:"));
  const sqlLine = [...all].reverse().find((l) => l.startsWith("[SQL:"));
  const last = [errorLine, sqlLine].filter(Boolean).join(" ") || all.slice(-3).join(" | ");
  const how = result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`;
  return last || how;
}
function parseEvent(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const v = value;
  const str = (name) => typeof v[name] === "string";
  switch (v.e) {
    case "start":
      return str("direction") && str("revision") ? v : null;
    case "applied":
      return str("direction") && str("revision") && typeof v.ms === "number" ? v : null;
    case "fatal":
      return str("message") ? v : null;
    case "graph":
      return Array.isArray(v.scripts) ? v : null;
    default:
      return null;
  }
}
function splitOfflineSql(sql) {
  const out = /* @__PURE__ */ new Map();
  const re = /^-- Running (?:upgrade|downgrade) (.*?) -> (.*)$/gm;
  const marks = [...sql.matchAll(re)];
  marks.forEach((m, i) => {
    const end = i + 1 < marks.length ? marks[i + 1].index : sql.length;
    let chunk = sql.slice(m.index, end);
    chunk = chunk.replace(/\n*COMMIT;\s*$/, "\n");
    out.set(`${m[1].trim()} -> ${m[2].trim()}`, chunk.trimEnd() + "\n");
  });
  return out;
}

export {
  checkAlembicEnvNames,
  OFFLINE_TIMEOUT_MS,
  MAX_STDOUT_CHARS,
  placeholderUrl,
  sqlalchemyUrl,
  usesAsyncEngine,
  sweepLegacyCopies,
  runAlembic,
  AlembicFailure,
  splitOfflineSql
};
