// The SQL of retort's own tables as one database writes it: names, literals, the version
// table's CREATE, the history table's column types. The state store (run/) writes its
// statements with these and never asks which database it talks to.

import { createVersionTableSql, quoteIdent, sessionProofLiteral, versionTableName, type Dialect, type VersionTable } from "../core/sql.js";

export interface BookkeepingSql {
  /** A name, quoted where needed. */
  ident(name: string): string;
  /** A string literal that means `value` whatever modes the session is in (sessionProofLiteral). */
  literal(value: string): string;
  /** A table, schema-qualified when `schema` is set, quoted where needed. */
  table(table: VersionTable): string;
  /** Alembic's CREATE TABLE of the version table. */
  createVersionTable(table: VersionTable): string;
  /** The history table's `id` column: an auto-incrementing key. */
  readonly historyId: string;
  /** The type of `changed_at`, which retort writes in UTC with microseconds. */
  readonly timestampType: string;
  /** What follows the history table's CREATE TABLE (...): "" or options with a leading space. */
  readonly tableOptions: string;
  /** The privilege creating a table in `schema` needs, for advice. */
  createPrivilege(schema: string): string;
}

/** The parts every database shares, with `dialect`'s quoting. */
function dialectSql(dialect: Dialect): Pick<BookkeepingSql, "ident" | "literal" | "table" | "createVersionTable"> {
  return {
    ident: (name) => quoteIdent(name, dialect),
    literal: (value) => sessionProofLiteral(value, dialect),
    table: (table) => versionTableName(table, dialect),
    createVersionTable: (table) => createVersionTableSql(table, dialect),
  };
}

export const POSTGRES_BOOKKEEPING: BookkeepingSql = {
  ...dialectSql("postgresql"),
  historyId: "id BIGSERIAL NOT NULL",
  timestampType: "TIMESTAMP WITHOUT TIME ZONE",
  tableOptions: "",
  createPrivilege: (schema) => `CREATE on schema ${schema}`,
};

export const MYSQL_BOOKKEEPING: BookkeepingSql = {
  ...dialectSql("mysql"),
  historyId: "id BIGINT NOT NULL AUTO_INCREMENT",
  timestampType: "DATETIME(6)",
  // Whatever the server's default character set, the table holds any text.
  tableOptions: " DEFAULT CHARACTER SET utf8mb4",
  createPrivilege: (schema) => `CREATE on database ${schema}`,
};
