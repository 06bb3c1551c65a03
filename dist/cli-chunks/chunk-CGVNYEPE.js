#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);

// src/alembic/bootstrap.ts
var BOOTSTRAP_STUB = `import sys,json;l=sys.stdin.readline();l or sys.exit("retort: Alembic's standard input is closed: the --alembic-command wrapper does not pass it on (docker needs -i)");exec(compile(json.loads(l),"<retort-alembic-bootstrap>","exec"))`;
var GRAPH_COMMAND = "retort-graph";
var BOOTSTRAP_PY = String.raw`
import datetime
import functools
import json
import os
import signal
import sys
import threading
import time

settings = json.loads(sys.stdin.readline())
_marker = settings["marker"]


def _event(obj):
    sys.stderr.flush()
    os.write(2, ("\n" + _marker + json.dumps(obj) + "\n").encode("utf-8"))


def _fatal(message):
    _event({"e": "fatal", "message": message})
    raise SystemExit(3)


_KILL = getattr(signal, "SIGKILL", signal.SIGTERM)  # Windows has no SIGKILL


def _die():
    try:
        if _own_session:
            os.killpg(os.getpgrp(), _KILL)
    finally:
        os.kill(os.getpid(), _KILL)


# Dying with retort. retort started this process in a session of its own (unless a wrapper such
# as 'poetry run' sits in between and made another), so killing the process group takes what
# env.py or a revision started along; never retort's own group.
try:
    _own_session = os.getsid(0) != os.getsid(settings["parent"])
except Exception:  # the parent is gone already, or no sessions (Windows)
    _own_session = False
if sys.platform.startswith("linux") and os.getppid() == settings["parent"]:
    # Only as retort's direct child: the signal follows the thread that forked, which in a
    # wrapper may end long before the wrapper does.
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(ctypes.c_int(1), ctypes.c_ulong(_KILL), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))
    except Exception:
        pass
    if os.getppid() != settings["parent"]:
        _die()


# Standard input is retort's: the watcher below reads it on a descriptor of its own, and
# env.py and the revisions read an empty one (input() or sys.stdin.read() ends at once instead
# of waiting forever for retort, which never writes more).
_retort_in = os.fdopen(os.dup(0), "r")
_null = os.open(os.devnull, os.O_RDONLY)
os.dup2(_null, 0)
os.close(_null)
sys.stdin = open(os.devnull, "r")


def _watch():
    try:
        while _retort_in.readline():
            pass
    except Exception:
        pass
    _die()


threading.Thread(target=_watch, name="retort-watch", daemon=True).start()



def _confine():
    # Other processes' /proc entries closed to env.py and the revisions (Linux 5.13+ Landlock,
    # best effort): retort's own /proc/PID/environ and cmdline hold what this process was kept
    # from (the CI's tokens, the Action's inputs, the database URL given to retort), and any
    # process of the same user may read them. Reading files elsewhere, writing and running
    # programs stay as they were; this process's own /proc entries too.
    if not sys.platform.startswith("linux"):
        return "not Linux"
    try:
        import ctypes
        import struct

        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        if libc.syscall(ctypes.c_long(444), None, ctypes.c_size_t(0), ctypes.c_uint32(1)) < 1:
            return "no Landlock in this kernel"
        read_file, read_dir = 1 << 2, 1 << 3
        attr = ctypes.create_string_buffer(struct.pack("=Q", read_file | read_dir))
        ruleset = libc.syscall(ctypes.c_long(444), attr, ctypes.c_size_t(8), ctypes.c_uint32(0))
        if ruleset < 0:
            return "Landlock refused a ruleset"
        try:
            def allow(path):
                try:
                    fd = os.open(path, getattr(os, "O_PATH", 0) | os.O_CLOEXEC)
                except OSError:
                    return
                try:
                    access = read_file | read_dir if os.path.isdir(path) else read_file
                    rule = ctypes.create_string_buffer(struct.pack("=Qi", access, fd))
                    libc.syscall(ctypes.c_long(445), ctypes.c_int(ruleset), ctypes.c_int(1), rule, ctypes.c_uint32(0))
                finally:
                    os.close(fd)

            for name in os.listdir("/"):
                if name != "proc":
                    allow("/" + name)
            for name in os.listdir("/proc"):
                # Every process's folder but this one's (self and thread-self lead there).
                if not name.isdigit():
                    allow("/proc/" + name)
            if libc.prctl(ctypes.c_int(38), ctypes.c_ulong(1), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0)) != 0:
                return "no_new_privs refused"
            if libc.syscall(ctypes.c_long(446), ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
                return "Landlock refused to restrict"
        finally:
            os.close(ruleset)
    except Exception as error:
        return "%s: %s" % (type(error).__name__, error)
    return None


_unconfined = _confine()

for _name, _value in settings["environ"].items():
    os.environ[_name] = _value
sys.argv = ["alembic"] + settings["argv"]

from alembic.config import CommandLine  # noqa: E402
from alembic.runtime.environment import EnvironmentContext  # noqa: E402

_run_cmd = CommandLine.run_cmd


def run_cmd(self, config, options):
    if settings["no_config_file"]:
        config.config_file_name = None
    for name, value in settings["main_options"].items():
        config.set_main_option(name, value.replace("%", "%%"))
    return _run_cmd(self, config, options)


CommandLine.run_cmd = run_cmd

online = settings["online"]
if online is not None:
    from sqlalchemy import text

    _expected = [(s["direction"], s["revision"]) for s in online["steps"]]
    _steps = dict(((s["direction"], s["revision"]), s) for s in online["steps"])
    _state = {"locked": False, "planned": False, "current": None, "started": None}

    def _now():
        return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")

    def _run(connection, statement, ms=None):
        params = dict(statement["params"])
        if statement.get("now"):
            params[statement["now"]] = _now()
        if statement.get("ms") and ms is not None:
            params[statement["ms"]] = ms
        return connection.execute(text(statement["sql"]), params)

    def _tuple(value):
        if value is None:
            return ()
        if callable(value):
            return (value,)
        return tuple(value)

    def _checked(fn):
        def planned(heads, context):
            steps = list(fn(heads, context))
            if _state["planned"]:
                _fatal("env.py runs the migrations more than once (several databases?); retort records one database per run")
            _state["planned"] = True
            seen = []
            for step in steps:
                script = getattr(step, "revision", None)
                seen.append(("upgrade" if step.is_upgrade else "downgrade", getattr(script, "revision", None)))
            if seen != _expected:
                show = lambda pairs: ", ".join("%s %s" % pair for pair in pairs) or "nothing"
                _fatal("Alembic would run %s, but retort planned %s; nothing was run" % (show(seen), show(_expected)))
            for step in steps:
                _wrap(step, context)
            return steps

        return planned

    def _wrap(step, context):
        key = ("upgrade" if step.is_upgrade else "downgrade", step.revision.revision)
        body = step.migration_fn

        # Alembic names the step after its function ("Running upgrade A -> B").
        @functools.wraps(body)
        def migration_fn(*args, **kwargs):
            _state["current"] = key
            _state["started"] = time.monotonic()
            _event({"e": "start", "direction": key[0], "revision": key[1]})
            start = _steps[key]["start"]
            if start is not None:
                # Where DDL commits at once: in the step's transaction, so the revision's first
                # DDL statement commits it and a run killed half-way is found by the next one.
                _run(context.connection, start)
            return body(*args, **kwargs)

        step.migration_fn = migration_fn

    def _on_version_apply(ctx, step, heads, run_args):
        key = _state["current"]
        if key is None:
            _fatal("Alembic applied a step retort did not see start")
        row = _steps[key]
        ms = int((time.monotonic() - _state["started"]) * 1000)
        finish = row["finish"]
        if finish is None or _run(ctx.connection, finish, ms).rowcount != 1:
            _run(ctx.connection, row["insert"], ms)
        _state["current"] = None
        _event({"e": "applied", "direction": key[0], "revision": key[1], "ms": ms})

    _configure = EnvironmentContext.configure

    def configure(self, *args, **kwargs):
        kwargs["on_version_apply"] = _tuple(kwargs.get("on_version_apply")) + (_on_version_apply,)
        fn = self.context_opts.get("fn")
        if fn is not None and not getattr(fn, "_retort", False):
            wrapped = _checked(fn)
            wrapped._retort = True
            self.context_opts["fn"] = wrapped
        result = _configure(self, *args, **kwargs)
        context = self.get_context()
        if not _state["locked"] and context.connection is not None and not context.as_sql:
            row = context.connection.execute(text(online["lock"]["sql"]), online["lock"]["params"]).fetchone()
            if row is None or not row[0]:
                _fatal("Alembic's connection could not take retort's work lock: another session holds it")
            _state["locked"] = True
        return result

    EnvironmentContext.configure = configure



def _graph(argv):
    # retort's own command (GRAPH_COMMAND): the values Alembic's Script objects read from every
    # revision module, as JSON, built from the project's config exactly as 'alembic heads'
    # builds it. Offline: no database, env.py is not run; the revision modules are imported.
    import os.path
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    options = CommandLine(prog="alembic").parser.parse_args(argv + ["heads"])
    config = Config(file_=options.config, ini_section=options.name, cmd_opts=options)
    if settings["no_config_file"]:
        config.config_file_name = None
    for name, value in settings["main_options"].items():
        config.set_main_option(name, value.replace("%", "%%"))

    def encode(value):
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, (list, tuple)):
            return [encode(item) for item in value]
        return {"type": type(value).__name__, "repr": repr(value)[:80]}

    try:
        directory = ScriptDirectory.from_config(config)
        # Every revision module, valid graph or not; walk_revisions() (public, but needs a valid
        # graph) where an Alembic lacks the loader.
        loader = getattr(directory, "_load_revisions", None)
        scripts = list(loader()) if loader is not None else list(directory.walk_revisions())
        out = []
        for script in scripts:
            entry = {"path": os.path.realpath(str(script.path))}
            for name in ("revision", "down_revision", "branch_labels", "depends_on"):
                if hasattr(script.module, name):
                    entry[name] = encode(getattr(script.module, name))
            out.append(entry)
    except Exception as error:
        _fatal("%s: %s" % (type(error).__name__, error))
    _event({"e": "graph", "scripts": out})


if settings["argv"][-1:] == [settings.get("graph_command")]:
    _graph(settings["argv"][:-1])
else:
    CommandLine(prog="alembic").main(argv=settings["argv"])
`;

export {
  BOOTSTRAP_STUB,
  GRAPH_COMMAND,
  BOOTSTRAP_PY
};
