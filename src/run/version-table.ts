// Alembic's version table: one row per head. Reading the heads, creating the table as Alembic
// does, and changing its rows, each UPDATE and DELETE touching exactly one row (checked on the
// server where the change travels with a revision's SQL).

import { RetortError } from "../core/errors.js";
import type { RevisionGraph } from "../core/graph.js";
import type { VersionChange } from "../core/plan.js";
import type { CheckedChange } from "../db/protocol.js";
import { versionNumRoomOf, type VersionNumRoom } from "./long-ids.js";
import { VERSION_WRITES, type Tables } from "./tables.js";

/** Starts the message of the error raised by a failed check of `checkedChanges`. */
const CHECKED_CHANGE_MARK = "retort-version-check:";

export class VersionRows {
  private readonly t: Tables;

  constructor(tables: Tables) {
    this.t = tables;
  }

  /** The version table's rows (empty when the table does not exist yet). */
  async readHeads(): Promise<string[]> {
    const info = await this.t.table(this.t.vt.table);
    if (!info) return [];
    if (!info.columns.some((c) => c.name === "version_num")) {
      throw new RetortError(
        "usage",
        `${this.t.n.versionShown} is not an Alembic version table (it has no version_num column): name the version table with --version-table (and --version-schema).`,
      );
    }
    this.t.refuseUnusableSchema(info, "version table", this.t.n.versionShown);
    const { rows } = await this.t.own({ doing: `read the version table ${this.t.n.versionShown}`, table: this.t.n.versionShown, needs: `SELECT on ${this.t.n.versionShown}` }, () =>
      this.t.driver.query(`SELECT version_num FROM ${this.t.n.version}`),
    );
    return rows.map((r) => String(r.version_num));
  }

  /** The rows, checked against the graph: a row that names no revision means the database is
   *  ahead of (or diverged from) the migrations directory. */
  async readKnownHeads(graph: RevisionGraph, migrations: string): Promise<string[]> {
    const heads = await this.readHeads();
    const unknown = heads.filter((h) => graph.nodeOf(h) === undefined);
    if (unknown.length > 0) {
      throw new RetortError(
        "state",
        `The database is ahead of or diverged from ${migrations}: its version table ${this.t.versionTableName} holds ` +
          `${unknown.map((u) => `'${u}'`).join(", ")}, which no revision file defines. Deploy the migrations that ` +
          `wrote it, or, if the schema was changed by hand, set the rows with 'retort stamp'.`,
      );
    }
    return heads;
  }

  /** Creates the version table (see ensureTables). */
  async ensureVersionTable(revisions: readonly string[] = []): Promise<void> {
    const { schema, version, versionShown } = await this.t.names();
    const info = await this.t.table(this.t.vt.table);
    if (!info) {
      this.t.refuseLongIds(null, revisions);
      await this.t.own({ doing: `create the version table ${versionShown}`, table: versionShown, needs: this.t.sql.createPrivilege(schema) }, () =>
        this.t.driver.query(this.t.sql.createVersionTable({ table: this.t.vt.table, schema })),
      );
      this.t.forget(this.t.vt.table);
      return;
    }
    await this.t.checkWritable(info, "version table", versionShown, version, VERSION_WRITES, revisions, "SELECT, INSERT, UPDATE, DELETE");
  }

  /** How many characters version_num holds where a plan's ids will be written: the table's
   *  column, or the 32 of the table retort or Alembic will create. */
  async versionNumRoom(): Promise<VersionNumRoom> {
    await this.t.names();
    return versionNumRoomOf(await this.t.table(this.t.vt.table));
  }

  /** Refuses, before Alembic runs a plan, ids the version table (existing, or the one Alembic
   *  will create) cannot hold: Alembic would find out after a revision's DDL had run. */
  async refuseLongIds(revisions: readonly string[]): Promise<void> {
    await this.t.names();
    this.t.refuseLongIds(await this.t.table(this.t.vt.table), revisions);
  }

  /** Applies one version-table change; like Alembic online, an UPDATE or DELETE must touch
   *  exactly one row. */
  async applyChange(change: VersionChange): Promise<void> {
    await this.t.names();
    const { affectedRows } = await this.t.own(this.t.statements.versionChange, () => this.t.driver.query(this.changeSql(change)));
    if (change.op !== "insert" && affectedRows !== 1) throw new RetortError("state", this.mismatch(change, String(affectedRows)));
  }

  /** A version-table change as retort sends it at run time (offline SQL keeps Alembic's text). */
  private changeSql(change: VersionChange): string {
    const name = this.t.n.version;
    const lit = (v: string) => this.t.sql.literal(v);
    switch (change.op) {
      case "insert":
        return `INSERT INTO ${name} (version_num) VALUES (${lit(change.revision)})`;
      case "delete":
        return `DELETE FROM ${name} WHERE version_num = ${lit(change.revision)}`;
      case "update":
        return `UPDATE ${name} SET version_num = ${lit(change.to)} WHERE version_num = ${lit(change.from)}`;
    }
  }

  private mismatch(change: VersionChange, found: string): string {
    const what = change.op === "update" ? `updating '${change.from}' to '${change.to}'` : `deleting '${change.revision}'`;
    return (
      `Online migration expected to match one row when ${what} in '${this.t.vt.table}'; ${found} found. ` +
      `Another process changed the version table: check it with 'retort current'.`
    );
  }

  /** The version-table changes for the driver's protocol to check on the server that every
   *  UPDATE and DELETE touches exactly one row (FusedProtocol.checkedChanges), so that they can
   *  travel in one round trip with the revision's SQL and the history row: the failed check
   *  raises `CHECKED_CHANGE_MARK<change>:<rows>`, which `checkedChangeFailure` turns back into
   *  applyChange's message. */
  checkedChanges(changes: readonly VersionChange[]): CheckedChange[] {
    return changes.map((change, i) => ({
      sql: this.changeSql(change),
      mark: change.op === "insert" ? null : this.t.sql.literal(`${CHECKED_CHANGE_MARK}${i}:`),
    }));
  }

  /** applyChange's error for a failed check of `checkedChangesSql(changes)`, or null when
   *  `message` is not such a failure. */
  checkedChangeFailure(message: string, changes: readonly VersionChange[]): RetortError | null {
    const m = new RegExp(`^${CHECKED_CHANGE_MARK}(\\d+):(\\d+)$`).exec(message.trim());
    const change = m ? changes[Number(m[1])] : undefined;
    return change ? new RetortError("state", this.mismatch(change, m![2]!)) : null;
  }
}
