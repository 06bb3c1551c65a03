// SQL text: splitting a section into statements (dbgate-query-splitter knows dollar quotes,
// comments, MySQL DELIMITER), and the version-table statements Alembic emits.

import { mysqlSplitterOptions, postgreSplitterOptions, splitQuery } from "dbgate-query-splitter";

/** The splitter's rich result (its type is not exported from the package root). */
interface SplitItem {
  text: string;
  trimStart: { position: number; line: number };
  trimEnd: { position: number; line: number };
}
import type { Section } from "./revision.js";

export type Dialect = "postgresql" | "mysql";
export const DIALECTS: readonly Dialect[] = ["postgresql", "mysql"];

/** What differs between databases, as flags rather than `if (dialect === ...)` elsewhere. */
export interface DialectTraits {
  /** DDL runs inside transactions (PostgreSQL yes, MySQL/MariaDB no). */
  readonly transactionalDdl: boolean;
  /** INSERT ... RETURNING, as SQLAlchemy renders Alembic's version insert. */
  readonly returning: boolean;
  readonly quote: string;
  /** Backslash escapes inside string literals. */
  readonly backslashEscapes: boolean;
  /** Statements that contain `;` (procedure bodies) need `DELIMITER` around them in a script
   *  for the command-line client. */
  readonly clientDelimiter: boolean;
}

export const TRAITS: Record<Dialect, DialectTraits> = {
  postgresql: { transactionalDdl: true, returning: true, quote: '"', backslashEscapes: false, clientDelimiter: false },
  mysql: { transactionalDdl: false, returning: false, quote: "`", backslashEscapes: true, clientDelimiter: true },
};

/** MySQL also comments with `#` to the end of the line; the splitter does not know that, so
 *  such a comment is declared to it as a string that ends at the newline (a `;` inside it
 *  then ends nothing). */
const MYSQL_OPTIONS = {
  ...mysqlSplitterOptions,
  stringsBegins: [...mysqlSplitterOptions.stringsBegins, "#"],
  stringsEnds: { ...mysqlSplitterOptions.stringsEnds, "#": "\n" },
  stringEscapes: { ...mysqlSplitterOptions.stringEscapes, "#": "\n" },
};

export interface Statement {
  /** The statement without its terminating semicolon. */
  readonly sql: string;
  /** 1-based line in the revision file where `sql` begins (a leading comment included). */
  readonly line: number;
}

/** What can make a `;` not end a statement, or hide one: quotes, dollar quotes, comments,
 *  MySQL's DELIMITER. A section without any of them splits at its semicolons alone. */
const SPLIT_HAZARDS = /['"`$\\#]|--|\/\*|delimiter/i;

/** The statements of a section, in order; comment-only pieces are dropped. */
export function splitStatements(section: Section, dialect: Dialect): Statement[] {
  return simpleSplit(section) ?? splitWithParser(section, dialect);
}

/** The common case without the parser (most revisions are a statement or two of plain DDL):
 *  null when the text holds anything that needs it. Gives what splitWithParser gives. */
function simpleSplit(section: Section): Statement[] | null {
  const text = section.sql;
  if (SPLIT_HAZARDS.test(text)) return null;
  const out: Statement[] = [];
  let line = section.line + 1;
  let start = 0;
  for (;;) {
    const end = text.indexOf(";", start);
    const piece = text.slice(start, end < 0 ? text.length : end);
    const sql = piece.trim();
    if (sql !== "") {
      const lead = piece.length - piece.trimStart().length;
      let newlines = 0;
      for (let i = start; i < start + lead; i++) if (text.charCodeAt(i) === 10) newlines++;
      out.push({ sql, line: line + newlines });
    }
    if (end < 0) break;
    for (let i = start; i <= end; i++) if (text.charCodeAt(i) === 10) line++;
    start = end + 1;
  }
  return out;
}

/** The statements as dbgate-query-splitter finds them. Exported for the test that holds the
 *  fast path to the same answers. */
export function splitWithParser(section: Section, dialect: Dialect): Statement[] {
  const pg = dialect === "postgresql";
  const text = pg ? asPostgresLexes(section.sql) : section.sql;
  const items = splitQuery(text, { ...(pg ? postgreSplitterOptions : MYSQL_OPTIONS), returnRichInfo: true }) as unknown as SplitItem[];
  const out: Statement[] = [];
  for (const item of items) {
    // The statement as written, where the splitter found it in the text it was given.
    const sql = pg ? section.sql.slice(item.trimStart.position, item.trimEnd.position) : item.text;
    if (isCommentOnly(sql)) continue;
    // The section text starts on the line after its marker.
    // The splitter's text starts at trimStart (white space skipped, comments kept).
    out.push({ sql: sql.trim(), line: section.line + 1 + item.trimStart.line });
  }
  return out;
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_CONT = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

/**
 * `sql` as the splitter must see it to end statements where PostgreSQL does: the splitter
 * takes any `$tag$` for a dollar quote and knows neither E'...' strings nor nested comments.
 * A `$` inside an identifier (`a$$`, `x$y$`: PostgreSQL's identifiers may hold `$`) becomes `_`,
 * a quote escaped with a backslash in an E'...' string becomes `_`, and the inner delimiters of
 * a nested block comment become spaces. Every other character stays where it is, so positions
 * and lines are the text's. Otherwise the splitter would take several statements for one
 * (their failures then blamed on what follows them) or cut one in two.
 */
export function asPostgresLexes(sql: string): string {
  const out = sql.split("");
  const n = sql.length;
  /** The end of the quoted text opened at `at` (standard: `''` escapes; E: backslashes too). */
  const quoted = (at: number, backslashes: boolean): number => {
    for (let i = at + 1; i < n; i++) {
      if (backslashes && sql[i] === "\\") {
        if (sql[i + 1] === "'") out[i + 1] = "_";
        i++;
      } else if (sql[i] === "'") {
        if (sql[i + 1] !== "'") return i + 1;
        i++;
      }
    }
    return n;
  };
  let i = 0;
  while (i < n) {
    const c = sql[i]!;
    if (c === "-" && sql[i + 1] === "-") {
      const nl = sql.indexOf("\n", i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === "/" && sql[i + 1] === "*") {
      let depth = 1;
      for (i += 2; i < n && depth > 0; ) {
        const pair = sql.slice(i, i + 2);
        if (pair === "/*" || pair === "*/") {
          depth += pair === "/*" ? 1 : -1;
          if (depth > 0) out[i] = out[i + 1] = " ";
          i += 2;
        } else i++;
      }
    } else if (c === "'") {
      i = quoted(i, false);
    } else if (c === '"') {
      const end = sql.indexOf('"', i + 1);
      i = end < 0 ? n : end + 1;
    } else if (c === "$") {
      DOLLAR_TAG.lastIndex = i;
      const tag = DOLLAR_TAG.exec(sql)?.[0];
      const end = tag ? sql.indexOf(tag, i + tag.length) : -1;
      i = !tag ? i + 1 : end < 0 ? n : end + tag.length;
    } else if ((c === "E" || c === "e") && sql[i + 1] === "'") {
      i = quoted(i + 1, true);
    } else if (IDENT_START.test(c)) {
      for (i++; i < n && IDENT_CONT.test(sql[i]!); i++) if (sql[i] === "$") out[i] = "_";
    } else i++;
  }
  return out.join("");
}

/** Whether a piece of SQL holds nothing but white space and comments. Comments can only come
 *  before the first token, so stripping leading ones is enough (no string can hide a `--`). */
function isCommentOnly(text: string): boolean {
  let rest = text.trimStart();
  while (rest !== "") {
    if (rest.startsWith("--") || rest.startsWith("#")) {
      const nl = rest.indexOf("\n");
      rest = nl < 0 ? "" : rest.slice(nl + 1).trimStart();
    } else if (rest.startsWith("/*")) {
      const end = rest.indexOf("*/");
      if (end < 0) return false;
      rest = rest.slice(end + 2).trimStart();
    } else {
      return false;
    }
  }
  return true;
}

export interface VersionTable {
  readonly table: string;
  readonly schema: string | null;
}

export const DEFAULT_VERSION_TABLE: VersionTable = { table: "alembic_version", schema: null };

/** Words SQLAlchemy quotes as identifiers on PostgreSQL or MySQL (reserved in either). */
const RESERVED = new Set(
  (
    "accessible add all alter analyse analyze and any array as asc asensitive asymmetric before between bigint binary " +
    "blob both by call cascade case cast change char character check collate column condition constraint continue " +
    "convert create cross current_catalog current_date current_role current_schema current_time current_timestamp " +
    "current_user cursor database databases day_hour day_microsecond day_minute day_second dec decimal declare default " +
    "deferrable delayed delete desc describe deterministic distinct distinctrow div do double drop dual each else " +
    "elseif enclosed end escaped except exists exit explain false fetch float float4 float8 for force foreign freeze " +
    "from full fulltext generated get grant group having high_priority hour_microsecond hour_minute hour_second if " +
    "ignore ilike in index infile initially inner inout insensitive insert int int1 int2 int3 int4 int8 integer " +
    "intersect interval into io_after_gtids io_before_gtids is isnull iterate join key keys kill lateral leading " +
    "leave left like limit linear lines load localtime localtimestamp lock long longblob longtext loop low_priority " +
    "master_bind master_ssl_verify_server_cert match maxvalue mediumblob mediumint mediumtext middleint " +
    "minute_microsecond minute_second mod modifies natural not notnull no_write_to_binlog null numeric of offset on " +
    "only optimize optimizer_costs option optionally or order out outer outfile overlaps partition placing precision " +
    "primary procedure purge range read reads read_write real references regexp release rename repeat replace require " +
    "resignal restrict return returning revoke right rlike schema schemas second_microsecond select sensitive " +
    "separator session_user set show signal similar smallint some spatial specific sql sqlexception sqlstate " +
    "sqlwarning sql_big_result sql_calc_found_rows sql_small_result ssl starting stored straight_join symmetric " +
    "table terminated then tinyblob tinyint tinytext to trailing trigger true undo union unique unlock unsigned " +
    "update usage use user using utc_date utc_time utc_timestamp values varbinary varchar varcharacter variadic " +
    "varying verbose virtual when where while window with write xor year_month zerofill"
  ).split(" "),
);

export function quoteIdent(name: string, dialect: Dialect): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name)) return name;
  const q = TRAITS[dialect].quote;
  return q + name.split(q).join(q + q) + q;
}

export function quoteLiteral(value: string, dialect: Dialect): string {
  let v = value.split("'").join("''");
  if (TRAITS[dialect].backslashEscapes) v = v.split("\\").join("\\\\");
  return `'${v}'`;
}

/** Printable ASCII: the same bytes in every client character set either server accepts. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const UTF8 = new TextEncoder();

/**
 * A string literal for retort's own statements at run time that means `value` whatever modes
 * the session is in, whichever a revision may have left behind: PostgreSQL's
 * `standard_conforming_strings` (on or off), MySQL's `NO_BACKSLASH_ESCAPES`, `ANSI_QUOTES`, and
 * the client character set of either. Printable ASCII without a backslash is a plain literal
 * (doubling `'` means the same in every mode); PostgreSQL writes other printable ASCII as an
 * `E'...'` literal, whose backslash escapes hold whatever standard_conforming_strings says;
 * anything else travels as UTF-8 hex digits. Offline SQL keeps quoteLiteral (Alembic's bytes).
 * PostgreSQL text cannot hold NUL: callers replace it first.
 */
export function sessionProofLiteral(value: string, dialect: Dialect): string {
  if (PRINTABLE_ASCII.test(value)) {
    const quoted = value.split("'").join("''");
    if (!value.includes("\\")) return `'${quoted}'`;
    if (dialect === "postgresql") return `E'${quoted.split("\\").join("\\\\")}'`;
  }
  let hex = "";
  for (const byte of UTF8.encode(value)) hex += byte.toString(16).padStart(2, "0");
  return dialect === "postgresql" ? `pg_catalog.convert_from(pg_catalog.decode('${hex}', 'hex'), 'UTF8')` : `_utf8mb4 X'${hex}'`;
}

/** The version table's name as SQLAlchemy renders it (schema-qualified when a schema is set). */
export function versionTableName(vt: VersionTable, dialect: Dialect): string {
  const table = quoteIdent(vt.table, dialect);
  return vt.schema ? `${quoteIdent(vt.schema, dialect)}.${table}` : table;
}

/** The width of `version_num` in the version table Alembic (and so retort) creates: longer ids
 *  need a table created by hand with a wider column, as with Alembic. */
export const VERSION_NUM_CHARS = 32;

/** Alembic's CREATE TABLE for the version table, byte for byte (SQLAlchemy leaves a space
 *  after each comma). */
export function createVersionTableSql(vt: VersionTable, dialect: Dialect): string {
  return (
    `CREATE TABLE ${versionTableName(vt, dialect)} (\n` +
    `    version_num VARCHAR(${VERSION_NUM_CHARS}) NOT NULL, \n` +
    `    CONSTRAINT ${quoteIdent(`${vt.table}_pkc`, dialect)} PRIMARY KEY (version_num)\n` +
    `)`
  );
}

export function insertVersionSql(vt: VersionTable, dialect: Dialect, revision: string): string {
  const name = versionTableName(vt, dialect);
  const returning = TRAITS[dialect].returning ? ` RETURNING ${name}.version_num` : "";
  return `INSERT INTO ${name} (version_num) VALUES (${quoteLiteral(revision, dialect)})${returning}`;
}

export function updateVersionSql(vt: VersionTable, dialect: Dialect, from: string, to: string): string {
  const name = versionTableName(vt, dialect);
  return `UPDATE ${name} SET version_num=${quoteLiteral(to, dialect)} WHERE ${name}.version_num = ${quoteLiteral(from, dialect)}`;
}

export function deleteVersionSql(vt: VersionTable, dialect: Dialect, revision: string): string {
  const name = versionTableName(vt, dialect);
  return `DELETE FROM ${name} WHERE ${name}.version_num = ${quoteLiteral(revision, dialect)}`;
}
