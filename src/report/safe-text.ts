// Text retort did not write (a database's error, Alembic's output, a revision's message or SQL,
// a history row) reaches terminals and CI logs, which treat some text as commands. There it
// must stay data. How the readers decide, from their sources:
//
// - GitHub's runner reads every line of a step's stdout and stderr, split at \n, \r and \r\n
//   (.NET ReadLine). A line is a command when, after its leading white space is trimmed, it
//   starts with `::` (`::name k=v::data`), or when it contains `##[` anywhere (the legacy
//   `##[name k=v;]data` form, still parsed). The comparisons are .NET's culture-aware ones,
//   which skip "ignorable" characters, so `:\u00AD:` may count as `::`. `::stop-commands::T`
//   (or `##[stop-commands]T`) turns commands off until a line that is the command `T`.
// - Azure Pipelines: `##vso[area.event ...]` anywhere in a line (and `##[group]`-style
//   formatting), with no way to turn commands off. TeamCity: `##teamcity[...]`.
// - Buildkite: a line opening with `---`, `+++` or `~~~` and a space starts a (collapsed,
//   expanded, de-emphasised) group of the log, `^^^ +++` opens the previous one: text after
//   such a line can be folded away under a heading someone else chose.
// - Terminals: ESC, CSI (C1 0x9B) and other control bytes; \r rewrites the line on screen.
//
// So human-readable text is neutralised: control and invisible format characters become
// visible escapes, a `::` opening a line becomes `:\:`, `##…[` becomes `##…\[`, and a
// group marker opening a line is followed by a backslash (`---\ name`). Each
// escape inserts a backslash before the last character of what it breaks, so text written in
// pieces is neutralised the same as in one piece (see lineWriter). Machine output keeps its
// meaning: JSON is escaped within its strings (`\u0023`), which every JSON reader reads back
// identically; SQL and markdown, which cannot be escaped without changing them, are left
// exact in a file and, when they go to a GitHub log, fenced by stop-commands with a random
// token. On a terminal or a CI's log, where nothing reads them but a person (or a pipe the
// CI's log shares), what a terminal acts on (ESC, \r, C1, bidi overrides) is shown as escapes
// instead, with a warning that says how to get the exact text.

/** Control characters (but \n and \t), DEL, C1 controls, line and paragraph separators, and
 *  every invisible format or default-ignorable character (bidi overrides, zero-width joiners,
 *  soft hyphen, variation selectors): shown as escapes, never passed on. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\0-\x08\x0B-\x1F\x7F-\x9F\u2028\u2029\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/** `##[`, `##vso[`, `##teamcity[`, ...: a command prefix anywhere in a line. */
const HASH_COMMAND = /##([A-Za-z]*)\[/g;

/** `::` opening a line (after white space other than \n): GitHub's command form. */
const LINE_COMMAND = /^([^\S\n]*):(?=:)/gm;

/** Buildkite's group markers opening a line, before white space on that line (a marker alone
 *  is no heading: Buildkite's own tip for an empty group is `+++` and a space). */
const LINE_GROUP = /^([^\S\n]*)(---|\+\+\+|~~~|\^\^\^)(?=[^\S\n])/gm;

function escapeOf(ch: string): string {
  const cp = ch.codePointAt(0)!;
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, "0")}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, "0")}`;
  return `\\u{${cp.toString(16)}}`;
}

/** Human-readable text made inert for terminals and CI logs (see the top of this file). Only
 *  \n and \t survive of the control characters. */
export function neutralise(text: string): string {
  return neutraliseCommands(text.replace(INVISIBLE, escapeOf));
}

/** Only the command prefixes (`::` and group markers opening a line, `##…[` anywhere), nothing else. */
function neutraliseCommands(text: string): string {
  return text.replace(LINE_COMMAND, "$1:\\").replace(LINE_GROUP, "$1$2\\").replace(HASH_COMMAND, "##$1\\[");
}

/** A writer that neutralises text written in pieces exactly as if it came in one: the part of
 *  the current line already written is kept, and only what the new piece adds is written. */
export function lineWriter(write: (text: string) => void, transform: (text: string) => string = neutralise): (text: string) => void {
  let line = "";
  return (text: string) => {
    if (text === "") return;
    const before = transform(line);
    const after = transform(line + text);
    write(after.startsWith(before) ? after.slice(before.length) : transform(text));
    const all = line + text;
    const nl = all.lastIndexOf("\n");
    line = nl >= 0 ? all.slice(nl + 1) : all;
    // A long line has long left its start, where `::` matters: keep its end, after a letter.
    if (line.length > 512) line = `x${line.slice(-256)}`;
  };
}

/** JSON text whose every string is safe in a log: `#` of `##…[` as \u0023, invisible and
 *  control characters as \uXXXX. Valid only for JSON (those characters can occur only inside
 *  strings there); JSON.parse gives back exactly the same value. */
export function safeJson(json: string): string {
  return json
    .replace(HASH_COMMAND, "#\\u0023$1[")
    .replace(INVISIBLE, (ch) => [...ch].map((c) => unicodeEscapes(c)).join(""));
}

function unicodeEscapes(ch: string): string {
  let out = "";
  for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, "0")}`;
  return out;
}

/** What a terminal or a CI log viewer acts on in text it shows: control characters but \n and
 *  \t (ESC sequences move the cursor, erase lines, set colours that hide text; \r rewrites a
 *  line), DEL, C1 controls (0x9B is CSI), and the bidi embeddings, overrides and isolates that
 *  show text in another order than it runs (Trojan Source). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const DISPLAY_CONTROLS = /[\0-\x08\x0B-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069]/gu;

/** Machine text (SQL, markdown) for a terminal or a CI log: what DISPLAY_CONTROLS matches shown
 *  as visible escapes (\x1b, \u202e), everything else exact. The SQL stays SQL (an escape
 *  changes a literal's data, never the statements), and changedLines says how many lines
 *  differ, for a warning. */
export function visibleControls(text: string): GuardedOutput {
  let changed = 0;
  const out = text
    .split("\n")
    .map((line) => {
      const shown = line.replace(DISPLAY_CONTROLS, escapeOf);
      if (shown !== line) changed++;
      return shown;
    })
    .join("\n");
  return { text: out, changedLines: changed };
}

/** The CI systems whose logs take commands, as the environment tells. */
export type CommandLog = "github" | "azure" | "teamcity";

export function commandLogOf(env: Readonly<Record<string, string | undefined>>): CommandLog | null {
  if (env.GITHUB_ACTIONS === "true") return "github";
  if (env.TF_BUILD) return "azure";
  if (env.TEAMCITY_VERSION) return "teamcity";
  return null;
}

/** How machine output is written: `sql` and `markdown` as comment lines of their own. */
export type MachineFormat = "sql" | "markdown";

export interface GuardedOutput {
  readonly text: string;
  /** Lines that had to change (Azure Pipelines and TeamCity, which cannot turn commands off). */
  readonly changedLines: number;
}

/** SQL or markdown for a CI log, with its meaning intact. GitHub: the text exactly, between a
 *  stop-commands line and the line that resumes them, both written as comments of the format
 *  (the legacy `##[...]` form is read anywhere in a line, so `-- ##[stop-commands]T` stops
 *  commands and is still a SQL comment for psql or mysql reading the same pipe). Azure and
 *  TeamCity have no such switch: the command prefixes are escaped and counted. */
export function guardMachineText(text: string, format: MachineFormat, log: CommandLog, token: string): GuardedOutput {
  if (log === "github") {
    if (!/^[A-Za-z0-9_-]{16,}$/.test(token)) throw new Error("a stop-commands token must be long and random");
    const body = text.endsWith("\n") || text === "" ? text : `${text}\n`;
    const stop = format === "sql" ? `-- ##[stop-commands]${token}\n` : `<!--\n##[stop-commands]${token}\n-->\n`;
    const resume = format === "sql" ? `-- ##[${token}]\n` : `<!--\n##[${token}]\n-->\n`;
    return { text: `${stop}${body}${resume}`, changedLines: 0 };
  }
  const lines = text.split("\n");
  let changed = 0;
  const out = lines.map((l) => {
    const n = l.replace(HASH_COMMAND, "##$1\\[");
    if (n !== l) changed++;
    return n;
  });
  return { text: out.join("\n"), changedLines: changed };
}
