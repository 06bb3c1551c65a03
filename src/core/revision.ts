// The revision: one node of the graph, as every loader produces it.

export interface Section {
  /** The SQL text of the section, exactly as written (without the section marker line). */
  readonly sql: string;
  /** 1-based line of the section marker in the file. */
  readonly line: number;
  /** false for `-- migrate:upgrade transaction:false`: run the statements outside a transaction. */
  readonly transaction: boolean;
  /** The SQL is already laid out as offline output (each statement ending in `;` and a blank
   *  line), as Alembic printed it: emitted as is, never re-split. */
  readonly verbatim?: boolean;
  /** Set on an Alembic revision's section that Alembic could not render offline (a data
   *  migration that needs a connection): its SQL is then unknown (`sql` is empty), and every
   *  report shows `reason` and the Python function Alembic runs instead. */
  readonly unrendered?: Unrendered;
}

/** Why a section of an Alembic revision has no SQL, and what runs in its place. */
export interface Unrendered {
  /** Alembic's exception line (scrubbed), and where in the file it was raised when known. */
  readonly reason: string;
  /** The Python function Alembic runs for the section (`upgrade()` or `downgrade()`), from the
   *  revision file, or a line saying it was not found. */
  readonly source: string;
}

/** Where Alembic runs the revisions of an Alembic project: with its ini, or, for a project
 *  without one, in its script location (the directory holding env.py). */
export interface AlembicLocation {
  /** Absolute path of alembic.ini, or null. */
  readonly iniPath: string | null;
  /** Absolute path of the directory holding env.py. */
  readonly scriptLocation: string;
  /** Main options retort sets on Alembic's Config (--version-locations' version_locations and
   *  the separator they are joined with); absent: none. */
  readonly mainOptions?: Readonly<Record<string, string>>;
}

export interface Revision {
  readonly id: string;
  /** Alembic's `down_revision` as a list: empty for a base, several for a merge. */
  readonly downRevisions: readonly string[];
  /** Labels declared by this revision (the graph spreads them; see RevisionGraph.labelsOf). */
  readonly branchLabels: readonly string[];
  /** Alembic's `depends_on`: ids or branch labels. */
  readonly dependsOn: readonly string[];
  /** The first line of the header: Alembic's doc. */
  readonly message: string;
  /** Alembic's `Script.longdoc`, which `show` and `history -v` print: the whole module
   *  docstring, stripped (a Python file), or the header comment block without its `--`
   *  markers, stripped (a native file). Absent: `message` stands for it. */
  readonly longDoc?: string;
  readonly createDate: string | null;
  /** Path of the file as the user names it (the migrations directory joined with the file's
   *  path inside it), with forward slashes. */
  readonly path: string;
  readonly upgrade: Section;
  /** null when the file has no downgrade section: the revision is irreversible. */
  readonly downgrade: Section | null;
  /** Set for a revision of an Alembic project (a Python file): its SQL is not in the file but
   *  comes from Alembic itself, run in `project`; `upgrade` and `downgrade` are then empty
   *  placeholders. */
  readonly alembic?: { readonly text: string; readonly project: AlembicLocation; readonly rendered?: boolean };
}

/** Alembic forbids these in ids because they are target syntax (`x@head`, `-1`, `a:b`). */
const FORBIDDEN_ID_CHARS = ["@", "-", "+", ":"];
/** Alembic sets no limit; retort takes ids that fit a file name with their slug and its history
 *  column. The version table Alembic creates holds 32 (VERSION_NUM_CHARS): longer ids (word ids
 *  such as `merge_ce91d3657d20_add_user_dashboards`) need a wider version_num, as in Alembic. */
export const MAX_ID_LENGTH = 128;
/** What a revision id may hold. Ids are also file names (`<id>_<slug>.sql`), SQL literals in
 *  the version and history tables, and text in PR comments and terminals: letters, digits, `_`
 *  and `.` cover every id real projects use (Alembic's hex, `0001`, `kilo`, `merge_<hex>_x`) and
 *  none of them is a path separator, a quote, a table or HTML delimiter, or invisible. */
export const REVISION_ID_RULE = `Revision ids are 1 to ${MAX_ID_LENGTH} ASCII letters, digits, '_' or '.' (not starting with '.')`;
const ID_CHAR = /^[A-Za-z0-9_.]$/;

/** `value` quoted for an error message: control and invisible characters (which a terminal or
 *  a CI log would act on, or not show) written as escapes. */
export function quoted(value: string): string {
  return `'${value.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`)}'`;
}

/** Why `id` cannot be a revision id, or null when it can. */
export function invalidRevisionId(id: string): string | null {
  if (id.length === 0) return "a revision id cannot be empty";
  if (id.length > MAX_ID_LENGTH) {
    // A pull request's megabyte-long id is not quoted whole into every message.
    const shown = id.length > 2 * MAX_ID_LENGTH ? `${quoted(id.slice(0, MAX_ID_LENGTH))}...` : quoted(id);
    return `revision id ${shown} is ${id.length} characters long; retort takes at most ${MAX_ID_LENGTH}`;
  }
  if (/\s|,/.test(id)) return `revision id ${quoted(id)} contains white space or a comma`;
  const bad = FORBIDDEN_ID_CHARS.filter((c) => id.includes(c)).sort();
  if (bad.length > 0) {
    return `Character(s) '${bad.join(", ")}' not allowed in revision identifier ${quoted(id)}`;
  }
  const other = [...new Set([...id].filter((c) => !ID_CHAR.test(c)))];
  if (other.length > 0) {
    return `revision id ${quoted(id)} contains ${other.map(quoted).join(", ")}, which would break file names, SQL or reports`;
  }
  if (id.startsWith(".")) return `revision id ${quoted(id)} starts with '.', which would make its file hidden`;
  return null;
}

/** Why `label` cannot be a branch label (or a `depends_on` entry, which names a label or an
 *  id), or null when it can. Labels are target syntax (`label@head`) and are shown in reports
 *  and terminals, but are neither file names nor SQL, so any visible non-delimiter character
 *  goes (`shop`, `feature/x`, `my-app`). */
export function invalidBranchLabel(label: string): string | null {
  if (/[\s@:,]/.test(label)) return `branch label ${quoted(label)} contains white space, '@', ':' or ','`;
  if (/[\p{Cc}\p{Cf}]/u.test(label)) return `branch label ${quoted(label)} contains a control or invisible character`;
  const bad = [...new Set([...label].filter((c) => "|<>'\"`\\".includes(c)))];
  if (bad.length > 0) return `branch label ${quoted(label)} contains ${bad.map((c) => `'${c}'`).join(", ")}; use letters, digits, '_', '-', '.' or '/'`;
  return null;
}

/** Alembic's slug: the words (`\w+`) of the message joined by `_`, lower case; a slug over 40
 *  characters is cut to 40, back to its last `_`, and ends in `_` (script/base.py `_rev_path`).
 *  Characters are code points, as Python counts them: counting UTF-16 units would cut a letter
 *  outside the Basic Multilingual Plane in half and put half a surrogate pair in the file name. */
export function slugify(message: string, truncateAt = 40): string {
  const words = message.match(/[\p{L}\p{N}\p{M}_]+/gu) ?? [];
  let slug = words.join("_").toLowerCase();
  const points = Array.from(slug);
  if (points.length > truncateAt) {
    const cut = points.slice(0, truncateAt).join("");
    const last = cut.lastIndexOf("_");
    slug = (last >= 0 ? cut.slice(0, last) : cut) + "_";
  }
  return slug;
}

/** A new id as Alembic makes it: 12 lower-case hex characters. `randomHex` comes from the
 *  caller (the core has no randomness of its own). */
export function newRevisionId(randomHex: string): string {
  const id = randomHex.toLowerCase().replace(/[^0-9a-f]/g, "").slice(-12);
  if (id.length !== 12) throw new Error("newRevisionId needs at least 12 hex characters");
  return id;
}
