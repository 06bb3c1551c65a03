// Attacks on the source a plan shows where Alembic could not render a revision offline
// (alembic/python-source.ts): a reviewer reads it instead of SQL, so it must be all of what
// runs. A function cut short by a backslash continuation at column 0, a harmless def rebound to
// another function, a def inside an `if`, or code reached through globals() must not show a
// harmless excerpt.

import { describe, expect, it } from "vitest";
import { pythonFunction, revisionSource } from "../../src/alembic/python-source.js";

describe("the source shown for an unrendered revision", () => {
  it("a backslash continuation at column 0 does not end the function", () => {
    const text = 'def upgrade():\n    x = 1 + \\\n2\n    op.execute("DROP TABLE users")\n\n\ndef downgrade():\n    pass\n';
    expect(pythonFunction(text, "upgrade")).toBe('def upgrade():\n    x = 1 + \\\n2\n    op.execute("DROP TABLE users")');
    expect(revisionSource(text, "upgrade")).toBe(pythonFunction(text, "upgrade"));
    // A backslash in a comment or a string joins nothing.
    const comment = 'def upgrade():\n    pass  # \\\nX = 1\n';
    expect(pythonFunction(comment, "upgrade")).toBe("def upgrade():\n    pass  # \\");
  });

  it.each([
    ["rebound after its def", 'def upgrade():\n    pass\n\n\ndef _real():\n    op.execute("DROP TABLE users")\n\n\nupgrade = _real\n', /line 9 names upgrade/],
    ["imported", 'def upgrade():\n    pass\n\n\nfrom evil import upgrade\n', /line 5 names upgrade/],
    ["redefined in an if", 'def upgrade():\n    pass\n\n\nif True:\n    def upgrade():\n        op.execute("DROP TABLE users")\n', /line 6 names upgrade/],
    ["set through globals()", 'def upgrade():\n    pass\n\n\nglobals()["up" + "grade"] = lambda: op.execute("DROP TABLE users")\n', /line 5 names upgrade outside its def, decorates it or reaches names indirectly/],
    ["dispatched as the multi-database template does", 'def upgrade(engine_name):\n    globals()["upgrade_%s" % engine_name]()\n\n\ndef upgrade_engine1():\n    op.execute("DROP TABLE users")\n', /line 2/],
    ["decorated by a function defined elsewhere", 'def swap(f):\n    return lambda: op.execute("DROP TABLE users")\n\n\n@swap\ndef upgrade():\n    pass\n', /line 5 names upgrade outside its def, decorates it/],
    ["not a def at all", 'upgrade = make_upgrade("DROP TABLE users")\n', /this file has no module-level 'def upgrade\('/],
  ])("a def %s: the whole file is shown, saying why", (_name, text, why) => {
    const shown = revisionSource(text, "upgrade");
    expect(shown.split("\n")[0]).toMatch(why);
    expect(shown).toContain(text.trimEnd());
  });

  it("mentions in strings, comments, docstrings and other names keep the function alone", () => {
    const text = [
      '"""upgrade the users table',
      "",
      "Revision ID: a1",
      '"""',
      "import upgrade_helpers  # upgrade() below",
      'MESSAGE = "call upgrade() twice"',
      "",
      "",
      "def upgrade():",
      "    upgrade_helpers.run()",
      "",
      "",
      "def downgrade():",
      "    pass",
    ].join("\r\n");
    expect(revisionSource(text, "upgrade")).toBe("def upgrade():\n    upgrade_helpers.run()");
  });
});
