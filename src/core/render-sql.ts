// Offline SQL (`upgrade --sql`) in Alembic's layout: every chunk ends with a blank line,
// `-- Running upgrade A -> B` before each revision, the version-table statements after it,
// BEGIN/COMMIT only where DDL is transactional.

import type { Plan, PlanStep, VersionChange } from "./plan.js";
import {
  createVersionTableSql,
  deleteVersionSql,
  insertVersionSql,
  splitStatements,
  TRAITS,
  updateVersionSql,
  DEFAULT_VERSION_TABLE,
  type Dialect,
  type VersionTable,
} from "./sql.js";

export interface RenderOptions {
  readonly dialect: Dialect;
  readonly versionTable?: VersionTable;
  /** One transaction per revision (Alembic's `transaction_per_migration`) instead of one
   *  around the whole run. Default false, like Alembic. */
  readonly transactionPerRevision?: boolean;
}

export function versionChangeSql(change: VersionChange, vt: VersionTable, dialect: Dialect): string {
  switch (change.op) {
    case "insert":
      return insertVersionSql(vt, dialect, change.revision);
    case "delete":
      return deleteVersionSql(vt, dialect, change.revision);
    case "update":
      return updateVersionSql(vt, dialect, change.from, change.to);
  }
}

/** Alembic's `short_log`: `upgrade A, B -> C`. */
export function runningLine(step: PlanStep): string {
  return `${step.direction} ${step.from.join(", ")} -> ${step.to.join(", ")}`;
}

/** Text as `--` comment lines: no line ending of any kind (\r included, which ends a comment
 *  for PostgreSQL) can turn the rest of a line into SQL. */
export function sqlComment(text: string): string {
  return text
    .split(/\r\n|[\r\n\u0085\u2028\u2029]/)
    .map((line) => (line === "" ? "--" : `-- ${line}`))
    .join("\n");
}

/** In place of the SQL of a section Alembic could not render offline: why, that the SQL is
 *  therefore incomplete, and the Python function Alembic runs instead, all as comment lines. */
export function unrenderedSql(step: PlanStep): string {
  const u = step.section.unrendered;
  if (!u) return "";
  const what = `${step.direction}() of ${step.revision.path}`;
  return [
    sqlComment(`retort: NOT RENDERED: Alembic could not render this revision's SQL offline: ${u.reason}`),
    sqlComment(`retort: this SQL is incomplete; applied online, Alembic runs ${what}:`),
    sqlComment(u.source),
  ].join("\n");
}

export function renderPlanSql(plan: Plan, options: RenderOptions): string {
  const { dialect } = options;
  const vt = options.versionTable ?? DEFAULT_VERSION_TABLE;
  const transactional = TRAITS[dialect].transactionalDdl;
  const perRevision = options.transactionPerRevision ?? false;
  const chunks: string[] = [];
  const emit = (text: string) => chunks.push(`${text}\n\n`);
  const statement = (sql: string) => emit(`${sql};`);

  if (transactional && !perRevision) emit("BEGIN;");
  let heads = plan.headsBefore.length;
  for (const step of plan.steps) {
    if (transactional && perRevision) emit("BEGIN;");
    // Alembic creates the table offline whenever the run starts from no heads at all.
    if (step.direction === "upgrade" && heads === 0) statement(createVersionTableSql(vt, dialect));
    emit(`-- Running ${runningLine(step)}`);
    if (step.section.verbatim) {
      // Alembic's own rendering of a Python revision, byte for byte.
      if (step.section.unrendered) emit(unrenderedSql(step));
      else if (step.section.sql.trim() !== "") chunks.push(step.section.sql.replace(/\s*$/, "\n\n"));
      for (const change of step.versionChanges) statement(versionChangeSql(change, vt, dialect));
      if (transactional && perRevision) emit("COMMIT;");
      heads = step.headsAfter.length;
      continue;
    }
    const statements = splitStatements(step.section, dialect);
    const outside = transactional && !step.section.transaction && statements.length > 0;
    // `transaction:false`: like Alembic's autocommit_block, commit, run, begin again.
    if (outside) emit("COMMIT;");
    for (const s of statements) {
      if (TRAITS[dialect].clientDelimiter && s.sql.includes(";")) {
        // A body with `;` inside (a procedure, a trigger): the client must not split it.
        emit("DELIMITER //");
        emit(`${s.sql}//`);
        emit("DELIMITER ;");
      } else {
        statement(s.sql);
      }
    }
    if (outside) emit("BEGIN;");
    for (const change of step.versionChanges) statement(versionChangeSql(change, vt, dialect));
    if (transactional && perRevision) emit("COMMIT;");
    heads = step.headsAfter.length;
  }
  if (transactional && !perRevision) emit("COMMIT;");
  return chunks.join("");
}
