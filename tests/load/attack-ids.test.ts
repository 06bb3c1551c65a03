// Attacks through revision ids (src/core/revision.ts, src/run/long-ids.ts): an id of a
// megabyte is refused in a message of bounded size; the longest id retort takes gives a
// long-id warning and a statement that both dialects accept, in reports that stay inert.

import { describe, expect, it } from "vitest";
import { DEFAULT_VERSION_TABLE } from "../../src/core/sql.js";
import { parseAlembicScript } from "../../src/load/alembic-script.js";
import { ModuleResolver } from "../../src/load/python-refs.js";
import { code } from "../../src/report/markdown.js";
import { longIdsOf, longIdsText } from "../../src/run/long-ids.js";
import { all, parseHtml, renderGfm, textOf } from "../report/html.js";
import { rev } from "../helpers.js";

describe("hostile revision ids", () => {
  it("an id of a megabyte is one error of bounded size naming the file and line", () => {
    let message = "";
    try {
      parseAlembicScript(`revision = '${"a".repeat(1_000_000)}'\ndown_revision = None\n`, "versions/x.py", "x.py", { modules: new ModuleResolver([]), defer: true });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^versions\/x\.py:1: revision id 'a{128}'\.\.\. is 1000000 characters long; retort takes at most 128/);
    expect(message.length).toBeLessThan(1_000);
  });

  it.each(["postgresql", "mysql"] as const)("the longest id retort takes: the warning names it and a width the %s column can take", (dialect) => {
    const id = `merge_${"x".repeat(122)}`;
    const plan = { direction: "upgrade" as const, target: id, headsBefore: ["a1"], headsAfter: [id], steps: [{ revision: rev(id, "a1"), direction: "upgrade" as const, section: rev(id, "a1").upgrade, versionChanges: [{ op: "update" as const, from: "a1", to: id }] }] };
    const l = longIdsOf(plan as never, { chars: 32, source: "table" }, { versionTable: DEFAULT_VERSION_TABLE, dialect })!;
    expect(l.ids).toEqual([id]);
    // utf8mb4 keys hold 3,072 bytes: 128 characters fit a MySQL primary key.
    expect(l.fix).toMatch(/VARCHAR\(128\)/);
    const dom = parseHtml(renderGfm(`- ${longIdsText(l, code)}`));
    expect(all(dom, "code").map(textOf)).toEqual([id, "alembic_version.version_num", l.fix]);
  });
});
