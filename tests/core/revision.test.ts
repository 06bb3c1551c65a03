import { describe, expect, it } from "vitest";
import { invalidBranchLabel, invalidRevisionId, quoted, slugify } from "../../src/core/revision.js";
import { GraphError } from "../../src/core/graph.js";
import { graphOf, rev } from "../helpers.js";

// Revision ids are file names, SQL literals and text in reviews and terminals: the rule keeps
// every id real projects use and refuses what would break one of those.

describe("invalidRevisionId", () => {
  it("accepts the ids real projects use", () => {
    for (const id of [
      "kilo",
      "11ee96se625f3",
      "ae1027a6acf",
      "1975ea83b712",
      "0001",
      "0001_initial",
      "merge_ce91d3657d20_add_user_dash",
      // A word id from a real project: longer than Alembic's version_num (32), which such
      // projects widen.
      "merge_ce91d3657d20_add_user_dashboards",
      "v1.2.3",
      "A_Z_09",
      "a".repeat(32),
      "a".repeat(128),
    ]) {
      expect({ id, bad: invalidRevisionId(id) }).toEqual({ id, bad: null });
    }
  });

  it("refuses every character that breaks a table, an HTML report, a path or a SQL literal, naming it", () => {
    for (const c of ["|", "<", ">", "/", "\\", "'", '"', "`", "&", ";", "$", "%", "*", "?", "#", "(", ")", "[", "]", "{", "}", "=", "!", "~", "^"]) {
      expect(invalidRevisionId(`ab${c}cd`)).toBe(`revision id 'ab${c}cd' contains '${c}', which would break file names, SQL or reports`);
    }
  });

  it("refuses control, invisible and non-ASCII characters, shown as escapes so the message itself is safe", () => {
    expect(invalidRevisionId("a\u001b[31mb")).toBe("revision id 'a\\u{1b}[31mb' contains '\\u{1b}', '[', which would break file names, SQL or reports");
    expect(invalidRevisionId("a\u0000b")).toMatch(/contains '\\u\{0\}'/);
    expect(invalidRevisionId("ab\u202ecd")).toMatch(/^revision id 'ab\\u\{202e\}cd' contains '\\u\{202e\}'/);
    expect(invalidRevisionId("ab\u200bcd")).toMatch(/contains '\\u\{200b\}'/);
    // A homoglyph: Cyrillic а in an id that looks like `abc123`.
    expect(invalidRevisionId("\u0430bc123")).toBe("revision id 'аbc123' contains 'а', which would break file names, SQL or reports");
    expect(invalidRevisionId("café")).toMatch(/contains 'é'/);
  });

  it("keeps Alembic's own rules and messages", () => {
    expect(invalidRevisionId("a-b")).toBe("Character(s) '-' not allowed in revision identifier 'a-b'");
    expect(invalidRevisionId("a+b@c")).toBe("Character(s) '+, @' not allowed in revision identifier 'a+b@c'");
    expect(invalidRevisionId("a b")).toBe("revision id 'a b' contains white space or a comma");
    expect(invalidRevisionId("a\nb")).toBe("revision id 'a\\u{a}b' contains white space or a comma");
    expect(invalidRevisionId("")).toBe("a revision id cannot be empty");
    expect(invalidRevisionId("a".repeat(129))).toBe(`revision id '${"a".repeat(129)}' is 129 characters long; retort takes at most 128`);
  });

  it("refuses '.', '..' and other ids starting with '.' (their file would be hidden)", () => {
    for (const id of [".", "..", ".x", "..%2f"]) expect(invalidRevisionId(id)).not.toBeNull();
    expect(invalidRevisionId("..")).toBe("revision id '..' starts with '.', which would make its file hidden");
    expect(invalidRevisionId("a..b")).toBeNull();
  });

  it("is enforced by the graph too, whatever loader made the revision", () => {
    expect(() => graphOf(rev("x|y", null))).toThrow(GraphError);
    expect(() => graphOf(rev("x|y", null))).toThrow(/migrations\/x\|y\.sql: revision id 'x\|y' contains '\|'/);
  });
});

describe("invalidBranchLabel", () => {
  it("accepts labels people write", () => {
    for (const label of ["shop", "feature_x", "my-app", "team/feature", "v1.0", "Ünïcode"]) expect(invalidBranchLabel(label)).toBeNull();
  });

  it("refuses target syntax, delimiters, quotes and what no one can see", () => {
    expect(invalidBranchLabel("a@b")).toBe("branch label 'a@b' contains white space, '@', ':' or ','");
    expect(invalidBranchLabel("a b")).toMatch(/white space/);
    for (const c of ["|", "<", ">", "'", '"', "`", "\\"]) {
      expect(invalidBranchLabel(`a${c}b`)).toBe(`branch label 'a${c}b' contains '${c}'; use letters, digits, '_', '-', '.' or '/'`);
    }
    expect(invalidBranchLabel("a\u202eb")).toBe("branch label 'a\\u{202e}b' contains a control or invisible character");
    expect(invalidBranchLabel("a\u0007b")).toMatch(/control or invisible/);
  });
});

describe("quoted", () => {
  it("quotes a value for a message, writing control and invisible characters as escapes", () => {
    expect(quoted("plain")).toBe("'plain'");
    expect(quoted("a\u001b]8;;http://x\u0007b")).toBe("'a\\u{1b}]8;;http://x\\u{7}b'");
    expect(quoted("\u2028\u200f\ufeff")).toBe("'\\u{2028}\\u{200f}\\u{feff}'");
  });
});

describe("slugify", () => {
  it("makes Alembic's slug: words joined by '_', lower case, cut to 40 characters back to a '_'", () => {
    expect(slugify("Add the users' table!")).toBe("add_the_users_table");
    expect(slugify("create table order_items with a rather long description")).toBe("create_table_order_items_with_a_rather_");
    expect(slugify("--- ../..")).toBe("");
  });

  it("counts characters as Python does, so a letter beyond the Basic Multilingual Plane is never cut in half", () => {
    const bold = "\u{1D400}"; // MATHEMATICAL BOLD CAPITAL A, a letter; two UTF-16 units
    // What Alembic's _rev_path gives for the same messages (Python 3).
    expect(slugify(`a${bold.repeat(40)}`)).toBe(`a${bold.repeat(39)}_`);
    expect(slugify(`add ${bold.repeat(30)} table`)).toBe(`add_${bold.repeat(30)}_table`);
    for (let n = 1; n < 60; n++) {
      const slug = slugify(`x ${"y".repeat(n % 7)}${bold.repeat(n)}`);
      expect(slug, String(n)).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      expect(Array.from(slug).length).toBeLessThanOrEqual(41);
    }
  });
});
