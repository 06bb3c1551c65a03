// The Python function a plan shows where Alembic could not render a revision's SQL offline:
// cut from the revision file by Python's rules (alembic/python-source.ts).

import { describe, expect, it } from "vitest";
import { pythonFunction } from "../../src/alembic/python-source.js";

describe("pythonFunction", () => {
  it("takes the def and its indented body, not the blank lines and comments after it", () => {
    const text = 'import x\n\n\ndef upgrade() -> None:\n    a = 1\n\n    # note\n    b = 2\n\n# a comment of the module\n\ndef downgrade():\n    pass\n';
    expect(pythonFunction(text, "upgrade")).toBe("def upgrade() -> None:\n    a = 1\n\n    # note\n    b = 2");
    expect(pythonFunction(text, "downgrade")).toBe("def downgrade():\n    pass");
  });

  it("keeps strings and brackets that reach column 0, and comments at column 0 inside the body", () => {
    const text = [
      "def upgrade():",
      '    op.execute("""',
      "UPDATE t SET x = 1",
      "def not_a_function():",
      '""")',
      "# a comment at column 0 does not end the body",
      "    op.execute(",
      "'SELECT 1'",
      "    )",
      "",
      "CONSTANT = 1",
    ].join("\n");
    expect(pythonFunction(text, "upgrade")).toBe(text.split("\nCONSTANT")[0]!.trimEnd());
  });

  it("takes the last module-level definition, with its decorators; never a nested or a quoted one", () => {
    const text = [
      'DOC = """',
      "def upgrade():",
      '    "quoted, not code"',
      '"""',
      "def upgrade():",
      "    first()",
      "@decorated",
      "def upgrade(engine_name: str) -> None:",
      "    def upgrade():",
      "        inner()",
      '    globals()["upgrade_%s" % engine_name]()',
      "def downgrade(): pass",
    ].join("\n");
    expect(pythonFunction(text, "upgrade")).toBe(text.split("\n").slice(6, 11).join("\n"));
    expect(pythonFunction(text, "downgrade")).toBe("def downgrade(): pass");
  });

  it("reads CRLF files and says null when there is no such function", () => {
    expect(pythonFunction("def upgrade():\r\n    pass\r\n", "upgrade")).toBe("def upgrade():\n    pass");
    expect(pythonFunction("upgrade = lambda: None\n", "upgrade")).toBeNull();
    expect(pythonFunction("def upgrade_data():\n    pass\n", "upgrade")).toBeNull();
  });
});
