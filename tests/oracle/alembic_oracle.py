#!/usr/bin/python3
"""Reference oracle: answers revision-graph queries with the REAL Alembic
library (Debian python3-alembic 1.8.1), so retort can be checked against it.

Run:  PYTHONHASHSEED=0 /usr/bin/python3 tests/oracle/alembic_oracle.py < in.json

Input (stdin, one JSON document):
  {
    "revisions": [ {"id": "a1",
                    "down": null | "x" | ["x", "y"],
                    "labels": ["l1"],        (optional)
                    "deps": ["z"]},          (optional)
                   ... ],                    (load order == Alembic map order)
    "queries": [ {"op": ...}, ... ]
  }

Output (stdout, one JSON document):
  {"results": [ {"ok": value} | {"error": str(e), "type": class name}, ... ],
   "warnings": [ {"query": index or null, "message": "..."} ]}
  or, if building the map fails:
  {"map_error": str(e), "type": class name, "warnings": [...]}

"warnings" holds whatever alembic.util.warn() emitted (null query index =
while building the map). Error entries for upgrade/downgrade whose failure
happened while *applying* steps also carry "steps_before_error".

Query ops:
  heads | real_heads | bases          -> map.heads / map._real_heads / map.bases
  labels                             -> {id: sorted(branch_labels)} (load order)
  normalized_down  {rev}             -> list(rev._normalized_down_revisions)
  history                            -> ids in `alembic history` order
  resolve          {target}          -> map.get_revisions(target) as ids
  upgrade          {current, target} -> steps (see below)
  downgrade        {current, target} -> steps
  walk             {start, steps, branch} -> map._walk(...) as id/"base"/null

How things map onto Alembic:
  * Revisions are real alembic.script.base.Script objects (a Revision
    subclass) built from a fake module namespace, exactly like Alembic does
    for a versions/*.py file; the RevisionMap is the real one.
  * ScriptDirectory methods (_upgrade_revs, _downgrade_revs, walk_revisions,
    _catch_revision_errors) are the REAL methods, called on a ScriptDirectory
    created with __new__ (skipping __init__, which only checks that a
    directory exists) whose only attribute is revision_map.  Nothing is
    copied from Alembic.
  * `alembic history` with no range calls
    script.walk_revisions(base="base", head="heads"), i.e.
    revision_map.iterate_revisions("heads", "base", inclusive=True,
    assert_relative_length=False) wrapped in _catch_revision_errors
    (start="base", end="heads").  We call walk_revisions itself.
  * upgrade/downgrade: `alembic upgrade X` runs
    script._upgrade_revs(X, heads) (downgrade: _downgrade_revs), where heads
    is the tuple of version-table rows; then for each step
    HeadMaintainer.update_to_step(step).  We use the real HeadMaintainer with
    a tiny fake MigrationContext: as_sql=True (so rowcount checks are
    skipped) and a fake version table whose insert/update/delete builders
    plus impl._exec record ["insert", v] / ["delete", v] /
    ["update", from, to].
    Each step: {"revision": id, "changes": [...], "heads_after": sorted}.
"""

import io
import json
import sys
import types
import warnings

from alembic.runtime.migration import HeadMaintainer
from alembic.script.base import Script, ScriptDirectory
from alembic.script.revision import Revision, RevisionMap


# --------------------------------------------------------------------------
# fake version table / migration context for HeadMaintainer

def _version_of(lit):
    # HeadMaintainer passes literal_column("'%s'" % version)
    text = getattr(lit, "text", None) or getattr(lit, "name")
    if len(text) >= 2 and text[0] == "'" and text[-1] == "'":
        return text[1:-1]
    return text


class _Cond:
    def __init__(self, value):
        self.value = value


class _FakeColumn:
    def __eq__(self, other):  # version_num == literal_column(...)
        return _Cond(_version_of(other))

    __hash__ = object.__hash__


class _FakeStmt:
    def __init__(self, kind):
        self.kind = kind
        self.to = None
        self.where_ = None

    def values(self, version_num):
        self.to = _version_of(version_num)
        return self

    def where(self, cond):
        self.where_ = cond.value
        return self


class _FakeTable:
    def __init__(self):
        self.c = types.SimpleNamespace(version_num=_FakeColumn())

    def insert(self):
        return _FakeStmt("insert")

    def delete(self):
        return _FakeStmt("delete")

    def update(self):
        return _FakeStmt("update")


class _FakeImpl:
    def __init__(self):
        self.log = []

    def _exec(self, stmt):
        if stmt.kind == "insert":
            self.log.append(["insert", stmt.to])
        elif stmt.kind == "delete":
            self.log.append(["delete", stmt.where_])
        else:
            self.log.append(["update", stmt.where_, stmt.to])
        return None


class _FakeContext:
    as_sql = True  # skips the rowcount checks in HeadMaintainer
    version_table = "alembic_version"

    def __init__(self):
        self.impl = _FakeImpl()
        self._version = _FakeTable()
        self.dialect = types.SimpleNamespace(supports_sane_rowcount=False)


# --------------------------------------------------------------------------
# building the map

def _noop(*a, **kw):
    return None


def _make_script(spec):
    down = spec.get("down")
    if isinstance(down, list):
        down = tuple(down)
    mod = types.SimpleNamespace(
        down_revision=down,
        upgrade=_noop,
        downgrade=_noop,
        __doc__=None,
    )
    labels = spec.get("labels")
    if labels is not None:
        mod.branch_labels = tuple(labels) if isinstance(labels, list) else labels
    deps = spec.get("deps")
    if deps is not None:
        mod.depends_on = tuple(deps) if isinstance(deps, list) else deps
    # Script.__init__ does exactly what ScriptDirectory does for a file:
    # Revision(rev_id, module.down_revision,
    #          branch_labels=to_tuple(module.branch_labels, default=()),
    #          dependencies=to_tuple(module.depends_on, default=()))
    return Script(mod, spec["id"], "<%s>" % spec["id"])


def _rev_out(r):
    if r is None:
        return None
    if isinstance(r, Revision):
        return r.revision
    return r  # "base"


def _err(e):
    return {"error": str(e), "type": type(e).__name__}


# --------------------------------------------------------------------------
# queries

def _apply_steps(steps, current, is_upgrade):
    ctx = _FakeContext()
    hm = HeadMaintainer(ctx, tuple(current))
    out = []
    for step in steps:
        assert step.is_upgrade == is_upgrade
        del ctx.impl.log[:]
        try:
            hm.update_to_step(step)
        except Exception as e:
            res = _err(e)
            res["steps_before_error"] = out
            res["failed_step"] = {
                "revision": step.revision.revision,
                "changes": list(ctx.impl.log),
            }
            return res
        out.append(
            {
                "revision": step.revision.revision,
                "changes": list(ctx.impl.log),
                "heads_after": sorted(hm.heads),
            }
        )
    return {"ok": out}


def run_query(rm, sd, q):
    op = q["op"]
    if op == "heads":
        return list(rm.heads)
    if op == "real_heads":
        return list(rm._real_heads)
    if op == "bases":
        return list(rm.bases)
    if op == "real_bases":
        return list(rm._real_bases)
    if op == "labels":
        return {
            k: sorted(v.branch_labels)
            for k, v in rm._revision_map.items()
            if isinstance(k, str) and v is not None and v.revision == k
        }
    if op == "normalized_down":
        return list(rm._revision_map[q["rev"]]._normalized_down_revisions)
    if op == "history":
        return [s.revision for s in sd.walk_revisions(base="base", head="heads")]
    if op == "resolve":
        return [_rev_out(r) for r in rm.get_revisions(q["target"])]
    if op == "upgrade":
        steps = sd._upgrade_revs(q["target"], tuple(q.get("current") or ()))
        return _apply_steps(steps, q.get("current") or (), True)
    if op == "downgrade":
        steps = sd._downgrade_revs(q["target"], tuple(q.get("current") or ()))
        return _apply_steps(steps, q.get("current") or (), False)
    if op == "walk":
        return _rev_out(
            rm._walk(q.get("start"), int(q["steps"]), q.get("branch"))
        )
    raise ValueError("unknown op %r" % (op,))


def main():
    doc = json.load(sys.stdin)
    # {"batch": [doc, ...]} answers several documents in one process: {"batch": [out, ...]}.
    if "batch" in doc:
        outs = []
        for d in doc["batch"]:
            buf = io.StringIO()
            real, sys.stdout = sys.stdout, buf
            try:
                answer(d)
            finally:
                sys.stdout = real
            outs.append(json.loads(buf.getvalue()))
        json.dump({"batch": outs}, sys.stdout)
        sys.stdout.write("\n")
        return
    answer(doc)


def answer(doc):
    warns = []
    current_query = [None]

    def _showwarning(message, category, filename, lineno, file=None, line=None):
        warns.append({"query": current_query[0], "message": str(message)})

    warnings.simplefilter("always")
    warnings.showwarning = _showwarning

    try:
        scripts = [_make_script(s) for s in doc.get("revisions", [])]
        rm = RevisionMap(lambda: list(scripts))
        rm._revision_map  # force build (heads/bases/labels/cycle checks)
    except Exception as e:
        out = _err(e)
        out = {"map_error": out["error"], "type": out["type"], "warnings": warns}
        json.dump(out, sys.stdout)
        sys.stdout.write("\n")
        return

    # Real ScriptDirectory methods on an instance without a directory.
    sd = ScriptDirectory.__new__(ScriptDirectory)
    sd.revision_map = rm

    results = []
    for i, q in enumerate(doc.get("queries", [])):
        current_query[0] = i
        try:
            val = run_query(rm, sd, q)
            if q.get("op") in ("upgrade", "downgrade"):
                results.append(val)  # already {"ok": ...} or error dict
            else:
                results.append({"ok": val})
        except Exception as e:  # includes KeyError / AssertionError
            results.append(_err(e))
    json.dump({"results": results, "warnings": warns}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
