// Running Alembic itself (for the SQL of Python revisions), through execa. The database URL
// reaches Alembic without touching the project: a private (0600) copy of alembic.ini with
// `sqlalchemy.url` set, in a temp directory removed afterwards (also on failure), and the
// DATABASE_URL environment variable for env.py files that read it.

import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { RetortError } from "../core/errors.js";
import { scrub } from "../db/url.js";

export interface AlembicRunner {
  /** How Alembic is started, split into words: ["alembic"] or ["python3", "-m", "alembic"]. */
  readonly command: readonly string[];
  /** The project's alembic.ini; null when the project has none (env.py beside versions/). */
  readonly iniPath: string | null;
  /** The script location, used to write an ini when the project has none. */
  readonly scriptLocation: string;
}

/** The SQLAlchemy URL for a retort URL: PostgreSQL through psycopg2, MySQL/MariaDB through
 *  PyMySQL (what Debian's python3-psycopg2 and python3-pymysql provide). */
export function sqlalchemyUrl(url: string): string {
  return url.replace(/^postgres(ql)?:\/\//, "postgresql+psycopg2://").replace(/^(mysql|mariadb):\/\//, "mysql+pymysql://");
}

/** alembic.ini with `sqlalchemy.url` replaced and `%(here)s` pinned to the original folder. */
export function privateIni(text: string, iniDir: string, url: string): string {
  const value = url.replace(/%/g, "%%");
  const lines = text.replace(/%\(here\)s/g, iniDir.replace(/%/g, "%%")).split(/\r?\n/);
  let section = "";
  let done = false;
  const out: string[] = [];
  for (const line of lines) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      if (section === "alembic" && !done) {
        out.push(`sqlalchemy.url = ${value}`);
        done = true;
      }
      section = header[1]!.trim();
    } else if (section === "alembic" && /^\s*sqlalchemy\.url\s*[=:]/.test(line)) {
      if (!done) out.push(`sqlalchemy.url = ${value}`);
      done = true;
      continue;
    }
    out.push(line);
  }
  if (!done) {
    if (section !== "alembic") out.push("[alembic]");
    out.push(`sqlalchemy.url = ${value}`);
  }
  return out.join("\n");
}

export interface AlembicResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `alembic -c <private ini> ...args` in the ini's folder. `url` is a retort URL. */
export async function runAlembic(
  runner: AlembicRunner,
  url: string,
  args: readonly string[],
  onLine?: (line: string) => void,
): Promise<AlembicResult> {
  const iniDir = runner.iniPath ? dirname(runner.iniPath) : dirname(runner.scriptLocation);
  const iniText = runner.iniPath ? readFileSync(runner.iniPath, "utf8") : `[alembic]\nscript_location = ${runner.scriptLocation}\n`;
  const temp = mkdtempSync(join(tmpdir(), "retort-alembic-"));
  const ini = join(temp, "alembic.ini");
  const sa = sqlalchemyUrl(url);
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  try {
    writeFileSync(ini, privateIni(iniText, iniDir, sa), { mode: 0o600 });
    chmodSync(ini, 0o600);
    const [file, ...pre] = runner.command;
    // execa is loaded only when Alembic runs (start-up of every other command stays lean).
    const { execa } = await import("execa");
    const child = execa(file!, [...pre, "-c", ini, ...args], {
      cwd: iniDir,
      env: { DATABASE_URL: sa, RETORT_DATABASE_URL: url, SQLALCHEMY_URL: sa },
      reject: false,
    });
    if (onLine) {
      // Alembic's log goes to stderr: pass it on line by line as it comes (never the password).
      for (const stream of [child.stdout, child.stderr]) {
        let pending = "";
        stream?.on("data", (chunk: Buffer) => {
          const lines = (pending + chunk.toString()).split("\n");
          pending = lines.pop() ?? "";
          for (const line of lines) if (line.trim() !== "") onLine(scrub(line, parsed));
        });
        stream?.on("end", () => {
          if (pending.trim() !== "") onLine(scrub(pending, parsed));
        });
      }
    }
    const result = await child;
    if (result.failed) {
      const started = (result as { code?: string }).code === "ENOENT";
      if (started) {
        throw new RetortError(
          "usage",
          `Cannot run Alembic ('${runner.command.join(" ")}'): not found. Install it (pip install alembic, or Debian's ` +
            `python3-alembic), pass --alembic-command (e.g. 'python3 -m alembic'), or use the retort image's alembic variant.`,
        );
      }
      const text = scrub(`${String(result.stderr ?? "")}\n${String(result.stdout ?? "")}`.trim(), parsed);
      // Python's traceback ends with the exception line (and SQLAlchemy's [SQL: ...] line):
      // those say what went wrong; the frames above them do not.
      const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
      const errorLine = [...lines].reverse().find((l) => /^[\w.]+(Error|Exception|Failure)\b.*:/.test(l) || l.startsWith("FAILED:"));
      const sqlLine = [...lines].reverse().find((l) => l.startsWith("[SQL:"));
      const last = [errorLine, sqlLine].filter(Boolean).join(" ") || lines.slice(-3).join(" | ");
      throw new RetortError("migration-failed", `alembic ${args.join(" ")} failed: ${last || `exit code ${result.exitCode}`}`);
    }
    return { stdout: String(result.stdout ?? ""), stderr: String(result.stderr ?? "") };
  } finally {
    rmSync(temp, { recursive: true, force: true });
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
