// The tools compared, each with its own native project layout generated for N trivial
// revisions (`CREATE TABLE t_i (id int primary key, name text)`, a linear chain), and how each
// is run. Every peer runs with the defaults a new project of that tool gets:
//   - retort: native .sql revisions; one transaction per revision (the default).
//   - Alembic: `alembic init`'s generic env.py (transaction_per_migration not set, i.e. False:
//     one transaction around the whole upgrade), its alembic.ini logging (INFO for alembic),
//     revisions calling op.execute(); URL from the environment. Its first run in a project
//     writes __pycache__, which later runs reuse (as on a developer's machine).
//   - dbmate (the Go binary from the npm package, run directly): migrations/*.sql with `-- migrate:up` / `-- migrate:down`, a transaction per
//     migration (its default); --no-dump-schema (the schema dump needs pg_dump/mysqldump and is
//     not part of applying).
//   - node-pg-migrate: .sql migrations (`-- Up Migration`), defaults: --single-transaction (all
//     pending migrations in one transaction), advisory lock, --verbose.
//   - knex: knexfile.js + JS migrations calling knex.raw(); `migrate:latest` (when every
//     migration uses a transaction, knex runs the whole batch in one).
//   - baseline (only with BENCH_BASELINE=DIR): retort as built in DIR (a checkout of an earlier
//     commit with its node_modules), run exactly as retort is, round-robin with it: the
//     before/after comparison of a change, in one session on one machine.
import { mkdirSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { NODE, PEERS, ROOT, peers } from "./peers.mjs";

export const CLI = join(ROOT, "dist", "cli.js");
/** An earlier build of retort to compare with (BENCH_BASELINE), and its commit. */
export const BASELINE = process.env.BENCH_BASELINE ? resolve(process.env.BENCH_BASELINE) : null;
const baselineRev = () => {
  try {
    return execFileSync("git", ["-C", BASELINE, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  } catch {
    return BASELINE;
  }
};
const create = (i) => `CREATE TABLE t_${i} (id int primary key, name text)`;
const drop = (i) => `DROP TABLE t_${i}`;
const id = (i) => `r${String(i).padStart(7, "0")}`;

/** The id of the last revision of a chain of n (retort and Alembic share the ids). */
export const headId = (n) => id(n - 1);

function writeAll(dir, n, name, text) {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) writeFileSync(join(dir, name(i)), text(i));
}

/** Writes alembic.ini and alembic/env.py into dir; returns the versions directory. */
export function alembicProject(dir) {
  mkdirSync(join(dir, "alembic", "versions"), { recursive: true });
  writeFileSync(join(dir, "alembic.ini"), ALEMBIC_INI.replace("@DIR@", join(dir, "alembic")));
  writeFileSync(join(dir, "alembic", "env.py"), ALEMBIC_ENV);
  return join(dir, "alembic", "versions");
}

export const tools = {
  floor: {
    label: (server) => `floor: ${server.floorName}`,
    servers: ["pg", "mysql"],
    generate(dir, n) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "all.sql"), Array.from({ length: n }, (_, i) => `${create(i)};\n`).join(""));
    },
    apply(dir, db, server) {
      return server.floor(join(dir, "all.sql"), db);
    },
  },

  retort: {
    label: () => "**retort**",
    servers: ["pg", "mysql"],
    generate(dir, n) {
      writeAll(
        dir,
        n,
        (i) => `${id(i)}_t_${i}.sql`,
        (i) =>
          `-- t ${i}\n--\n-- Revision ID: ${id(i)}\n-- Revises: ${i ? id(i - 1) : ""}\n-- Create Date: 2026-01-01 00:00:00.000000\n\n` +
          `-- migrate:upgrade\n${create(i)};\n\n-- migrate:downgrade\n${drop(i)};\n`,
      );
    },
    run(dir, db, server, args) {
      return { cmd: [NODE, CLI, "--migrations", dir, ...args, "--database-url", server.url(db)] };
    },
    apply(dir, db, server) {
      return this.run(dir, db, server, ["upgrade"]);
    },
    status: [
      { label: "`retort current`", args: ["current"], kind: "status" },
      { label: "`retort plan`", args: ["plan"], kind: "status" },
      { label: "`retort upgrade`", args: ["upgrade"], kind: "upgrade" },
    ],
    /** Nothing pending: `retort check` exits 0. */
    pendingCheck(dir, db, server) {
      return this.run(dir, db, server, ["check"]);
    },
  },

  alembic: {
    label: () => "Alembic",
    servers: ["pg", "mysql"],
    generate(dir, n) {
      writeAll(
        alembicProject(dir),
        n,
        (i) => `${id(i)}_t_${i}.py`,
        (i) =>
          `"""t ${i}\n\nRevision ID: ${id(i)}\nRevises: ${i ? id(i - 1) : ""}\nCreate Date: 2026-01-01 00:00:00.000000\n\n"""\n` +
          `from alembic import op\n\n\n# revision identifiers, used by Alembic.\nrevision = '${id(i)}'\n` +
          `down_revision = ${i ? `'${id(i - 1)}'` : "None"}\nbranch_labels = None\ndepends_on = None\n\n\n` +
          `def upgrade() -> None:\n    op.execute("${create(i)}")\n\n\ndef downgrade() -> None:\n    op.execute("${drop(i)}")\n`,
      );
    },
    run(dir, db, server, args) {
      return { cmd: [...peers.alembic, "-c", join(dir, "alembic.ini"), ...args], cwd: dir, env: { ...process.env, BENCH_DATABASE_URL: server.alembicUrl(db) } };
    },
    apply(dir, db, server) {
      return this.run(dir, db, server, ["upgrade", "head"]);
    },
    /** Setup for the no-op runs: upgrades of at most 1,000 revisions each (the default env.py
     *  runs one upgrade in one transaction, which 4,000 tables do not fit on stock PostgreSQL). */
    setup(dir, db, server, n) {
      const steps = [];
      for (let to = Math.min(n, 1000); ; to = Math.min(n, to + 1000)) {
        steps.push(this.run(dir, db, server, ["upgrade", id(to - 1)]));
        if (to === n) return steps;
      }
    },
    status: [
      { label: "`alembic current`", args: ["current"], kind: "status" },
      { label: "`alembic upgrade head`", args: ["upgrade", "head"], kind: "upgrade" },
    ],
    pendingCheck(dir, db, server, n) {
      return { ...this.run(dir, db, server, ["current"]), expect: new RegExp(`${headId(n)} \\(head\\)`) };
    },
  },

  dbmate: {
    label: () => "dbmate",
    servers: ["pg", "mysql"],
    generate(dir, n) {
      writeAll(
        join(dir, "migrations"),
        n,
        (i) => `${String(i + 1).padStart(14, "0")}_t_${i}.sql`,
        (i) => `-- migrate:up\n${create(i)};\n\n-- migrate:down\n${drop(i)};\n`,
      );
    },
    run(dir, db, server, args) {
      return { cmd: [...peers.dbmate, "--url", server.dbmateUrl(db), "--migrations-dir", join(dir, "migrations"), "--no-dump-schema", ...args], cwd: dir };
    },
    apply(dir, db, server) {
      return this.run(dir, db, server, ["up"]);
    },
    status: [
      { label: "`dbmate status`", args: ["status"], kind: "status" },
      { label: "`dbmate up`", args: ["up"], kind: "upgrade" },
    ],
    pendingCheck(dir, db, server) {
      return this.run(dir, db, server, ["status", "--exit-code"]);
    },
  },

  nodePgMigrate: {
    label: () => "node-pg-migrate",
    servers: ["pg"],
    generate(dir, n) {
      writeAll(
        join(dir, "migrations"),
        n,
        (i) => `${1_700_000_000_000 + i}_t-${i}.sql`,
        (i) => `-- Up Migration\n${create(i)};\n\n-- Down Migration\n${drop(i)};\n`,
      );
    },
    run(dir, db, server, args) {
      return { cmd: [...peers.nodePgMigrate, ...args, "-m", join(dir, "migrations")], cwd: dir, env: { ...process.env, DATABASE_URL: server.url(db) } };
    },
    apply(dir, db, server) {
      return this.run(dir, db, server, ["up"]);
    },
    /** Setup for the no-op runs: a transaction per migration, so that 4,000 fit. */
    setup(dir, db, server) {
      return [this.run(dir, db, server, ["up", "--no-single-transaction"])];
    },
    status: [{ label: "`node-pg-migrate up`", args: ["up"], kind: "upgrade" }],
    pendingCheck(dir, db, server) {
      return { ...this.run(dir, db, server, ["up", "--dry-run"]), expect: /No migrations to run/ };
    },
  },

  knex: {
    label: () => "knex",
    servers: ["pg", "mysql"],
    generate(dir, n) {
      writeAll(
        join(dir, "migrations"),
        n,
        (i) => `${String(i + 1).padStart(14, "0")}_t_${i}.js`,
        (i) => `exports.up = (knex) => knex.raw("${create(i)}");\n\nexports.down = (knex) => knex.raw("${drop(i)}");\n`,
      );
      writeFileSync(join(dir, "knexfile.js"), KNEXFILE);
    },
    run(dir, db, server, args) {
      return {
        cmd: [...peers.knex, "--knexfile", join(dir, "knexfile.js"), ...args],
        cwd: dir,
        // KNEX_PATH: where the CLI finds knex (and knex its drivers) for a project outside bench/.peers.
        env: { ...process.env, KNEX_PATH: join(PEERS, "node_modules", "knex"), BENCH_KNEX_CLIENT: server.knexClient, BENCH_DATABASE_URL: server.url(db) },
      };
    },
    apply(dir, db, server) {
      return this.run(dir, db, server, ["migrate:latest"]);
    },
    /** Setup for the no-op runs: no batch transaction, so that 4,000 fit (the state is the same). */
    setup(dir, db, server) {
      return [this.run(dir, db, server, ["migrate:latest", "--disable-transactions"])];
    },
    status: [
      { label: "`knex migrate:status`", args: ["migrate:status"], kind: "status" },
      { label: "`knex migrate:latest`", args: ["migrate:latest"], kind: "upgrade" },
    ],
    pendingCheck(dir, db, server) {
      return { ...this.run(dir, db, server, ["migrate:status"]), expect: /No Pending Migration/i };
    },
  },
};

// alembic.ini and env.py as `alembic init` (generic template) writes them, less comments, with
// the URL taken from the environment.
const ALEMBIC_INI = `[alembic]
script_location = @DIR@
prepend_sys_path = .
version_path_separator = os
sqlalchemy.url =

[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
`;

const ALEMBIC_ENV = `import os
from logging.config import fileConfig

from sqlalchemy import engine_from_config
from sqlalchemy import pool

from alembic import context

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)
config.set_main_option("sqlalchemy.url", os.environ["BENCH_DATABASE_URL"])

target_metadata = None


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
`;

const KNEXFILE = `module.exports = {
  client: process.env.BENCH_KNEX_CLIENT,
  connection: process.env.BENCH_DATABASE_URL,
  migrations: { directory: __dirname + "/migrations" },
};
`;

// The baseline runs right after retort in every round, with retort's layout and arguments.
if (BASELINE) {
  const rev = baselineRev();
  const cli = join(BASELINE, "dist", "cli.js");
  const entries = Object.entries(tools);
  for (const key of Object.keys(tools)) delete tools[key];
  for (const [key, tool] of entries) {
    tools[key] = tool;
    if (key === "retort") {
      tools.baseline = {
        ...tool,
        label: () => `retort baseline (${rev})`,
        run(dir, db, server, args) {
          return { cmd: [NODE, cli, "--migrations", dir, ...args, "--database-url", server.url(db)] };
        },
        status: tool.status.map((s) => ({ ...s, label: `baseline ${rev}: ${s.label}` })),
      };
    }
  }
}
