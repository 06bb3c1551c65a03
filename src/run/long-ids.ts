// Revision ids longer than the version table's version_num holds. Alembic takes ids of any
// length, but the version table it creates (and so retort's) has VARCHAR(32): projects with word
// ids (`merge_ce91d3657d20_add_user_dashboards`) widen the column by hand. A plan says so
// before anything runs (a warning: a plan only reads), with the statement that makes room;
// `upgrade` refuses before the first revision (tables.ts checkWritable, version-table.ts).

import type { Plan } from "../core/plan.js";
import type { TableInfo } from "../db/driver.js";
import { createVersionTableSql, VERSION_NUM_CHARS, versionTableName, type Dialect, type VersionTable } from "../core/sql.js";

/** Where a plan's ids will be written, and how many characters version_num holds there. */
export interface VersionNumRoom {
  /** The column's width; null when unbounded (TEXT). */
  readonly chars: number | null;
  /** `table`: the existing version table's column; `new`: the database has no version table
   *  yet, the one retort (or Alembic) creates holds 32; `offline`: planned without a database,
   *  against Alembic's default table. */
  readonly source: "table" | "new" | "offline";
}

/** The room of the version table `info` describes; null: the database has none yet, and the
 *  one retort or Alembic creates holds 32. */
export function versionNumRoomOf(info: TableInfo | null): VersionNumRoom {
  if (info === null) return { chars: VERSION_NUM_CHARS, source: "new" };
  return { chars: info.columns.find((c) => c.name === "version_num")?.maxChars ?? null, source: "table" };
}

/** Ids of a plan that do not fit, with the statement that makes room. */
export interface LongIds {
  /** The longest first. */
  readonly ids: readonly string[];
  readonly chars: number;
  readonly source: VersionNumRoom["source"];
  /** The version table, as named in SQL. */
  readonly table: string;
  /** The statement that gives them room: an ALTER of the existing table, or the CREATE TABLE
   *  of a wider one (a new table; offline from base, where the SQL would create Alembic's). */
  readonly fix: string;
}

/** The width suggested for `longest`: room to spare, as the existing refusal suggests. */
export const widthFor = (longest: number): number => Math.max(64, longest);

/** The statement that widens an existing version table's version_num to `chars`. */
export function widenVersionNumSql(vt: VersionTable, dialect: Dialect, chars: number): string {
  const name = versionTableName(vt, dialect);
  return dialect === "postgresql"
    ? `ALTER TABLE ${name} ALTER COLUMN version_num TYPE VARCHAR(${chars})`
    : `ALTER TABLE ${name} MODIFY version_num VARCHAR(${chars}) NOT NULL`;
}

/** Alembic's CREATE TABLE of the version table, on one line, with a version_num of `chars`. */
export function wideVersionTableSql(vt: VersionTable, dialect: Dialect, chars: number): string {
  return createVersionTableSql(vt, dialect)
    .replace(`VARCHAR(${VERSION_NUM_CHARS})`, `VARCHAR(${chars})`)
    .replace(/\s*\n\s*/g, "\n")
    .replace("(\n", "(")
    .replace("\n)", ")")
    .replace(/,\n/g, ", ");
}

/** The ids `plan` writes into the version table. */
export function idsWritten(plan: Plan): string[] {
  const ids = plan.steps.flatMap((s) => s.versionChanges.flatMap((c) => (c.op === "insert" ? [c.revision] : c.op === "update" ? [c.to] : [])));
  return [...new Set(ids)];
}

/** The ids of `plan` that `room` cannot hold, or null when all fit. */
export function longIdsOf(plan: Plan, room: VersionNumRoom, sql: { readonly versionTable: VersionTable; readonly dialect: Dialect }): LongIds | null {
  const chars = room.chars;
  if (chars === null) return null;
  const ids = idsWritten(plan)
    .filter((id) => id.length > chars)
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  if (ids.length === 0) return null;
  const width = widthFor(ids[0]!.length);
  const fromBase = plan.headsBefore.length === 0;
  const create = room.source === "new" || (room.source === "offline" && fromBase);
  const fix = create ? wideVersionTableSql(sql.versionTable, sql.dialect, width) : widenVersionNumSql(sql.versionTable, sql.dialect, width);
  return { ids, chars, source: room.source, table: versionTableName(sql.versionTable, sql.dialect), fix };
}

/** The warning, one sentence per fact; `code` marks values (a code span in markdown). */
export function longIdsText(l: LongIds, code: (value: string) => string = (v) => `'${v}'`): string {
  const first = l.ids[0]!;
  const others = l.ids.length > 1 ? ` (and ${l.ids.length - 1} other id(s) over ${l.chars})` : "";
  const id = `Revision id ${code(first)} is ${first.length} characters long${others}`;
  switch (l.source) {
    case "table":
      return (
        `${id}, but ${code(`${l.table}.version_num`)} holds ${l.chars}: upgrade will refuse before running anything. ` +
        `Widen the column first: ${code(l.fix)}.`
      );
    case "new":
      return (
        `${id}, and the version table retort creates, like Alembic's, holds ${l.chars}: upgrade will refuse before ` +
        `running anything. Create ${code(l.table)} first with a wider version_num: ${code(l.fix)}.`
      );
    case "offline":
      return l.fix.startsWith("CREATE")
        ? `${id}, and this SQL creates Alembic's version table with VARCHAR(${l.chars}), where it cannot be written: ` +
            `create ${code(l.table)} with a wider version_num instead: ${code(l.fix)}.`
        : `${id}; Alembic's default version table holds VARCHAR(${l.chars}) (planned offline: the database's is not known). ` +
            `If the database's is that narrow, widen it first: ${code(l.fix)}.`;
  }
}
