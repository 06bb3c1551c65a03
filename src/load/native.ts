// Native revision files: one `.sql` file per revision, a header of comment lines, then
// `-- migrate:upgrade` and (optionally) `-- migrate:downgrade` sections. Parsing is pure.
//
//   -- Create table customer            <- the message (first header line)
//   --
//   -- Revision ID: b1bc43e2f536
//   -- Revises: 784a7abb86b7            <- empty for a base; comma separated for a merge
//   -- Create Date: 2026-11-25 10:00:00.000000
//   -- Branch Labels: shop              <- optional
//   -- Depends On: 1975ea83b712         <- optional
//
//   -- migrate:upgrade [transaction:false]
//   ...
//   -- migrate:downgrade                <- absent: irreversible; empty: a no-op

import { RevisionFileError } from "../core/errors.js";
import { invalidBranchLabel, invalidRevisionId, REVISION_ID_RULE, type Revision, type Section } from "../core/revision.js";

const KEYS = {
  "revision id": "id",
  revises: "revises",
  "create date": "createDate",
  "branch labels": "branchLabels",
  "depends on": "dependsOn",
} as const;
type Key = (typeof KEYS)[keyof typeof KEYS];
const KEY_NAMES = "Revision ID, Revises, Create Date, Branch Labels, Depends On";

const SECTION = /^--\s*migrate:(\S*)(.*)$/i;
const HEADER_KEY = /^([A-Za-z][A-Za-z ]{0,30}?)\s*:(.*)$/;

/** Parses one native revision file. `path` is only used in errors and kept on the revision. */
export function parseRevisionFile(text: string, path: string): Revision {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  // A final newline does not start another line: errors about the end name the last real line.
  const lastLine = Math.max(1, lines.length - (lines.length > 1 && lines[lines.length - 1] === "" ? 1 : 0));
  const fail = (line: number, message: string): never => {
    throw new RevisionFileError(path, line, message);
  };

  // Header: the comment lines at the top, up to the first line that is not a comment.
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === "") i++;
  if (i >= lines.length || !lines[i]!.trimStart().startsWith("--") || SECTION.test(lines[i]!.trim())) {
    fail(
      Math.min(i + 1, lastLine),
      "missing header. Start the file with '-- <message>', a line '--', then '-- Revision ID: <id>' and " +
        "'-- Revises: <down revision ids, empty for a base>'",
    );
  }
  // Paragraphs of the header are separated by empty comment lines (`--`). The first line is
  // the message; a paragraph holding a key must hold only keys; other paragraphs are free text.
  const paragraphs: { line: number; body: string; raw: string }[][] = [[]];
  for (; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (!raw.startsWith("--") || SECTION.test(raw)) break;
    const body = raw.slice(2).trim();
    if (body === "") paragraphs.push([]);
    else paragraphs[paragraphs.length - 1]!.push({ line: i + 1, body, raw });
  }
  const keyOf = (body: string): { key: Key | undefined; name: string; value: string } | null => {
    const m = HEADER_KEY.exec(body);
    if (!m) return null;
    const name = m[1]!.trim();
    return { key: KEYS[name.toLowerCase().replace(/\s+/g, " ") as keyof typeof KEYS], name, value: m[2]!.trim() };
  };
  // The first line is the message, whatever it says (a message may well contain a colon),
  // unless the first paragraph is the block of keys itself (a file without a message).
  const firstKeys = new Set(paragraphs[0]!.map((l) => keyOf(l.body)?.key));
  const firstIsKeys = !firstKeys.has(undefined) && firstKeys.has("id") && firstKeys.has("revises");
  const message = firstIsKeys ? "" : (paragraphs[0]!.shift()?.body ?? "");
  const fields = new Map<Key, { value: string; line: number }>();
  for (const paragraph of paragraphs) {
    if (!paragraph.some((l) => keyOf(l.body)?.key)) continue;
    for (const { line, body, raw } of paragraph) {
      const k = keyOf(body);
      if (!k) {
        fail(line, `unexpected line '${raw}' among the header keys. Header keys are '-- Key: value' (${KEY_NAMES}); put free text in its own paragraph, after a line '--'`);
      }
      if (!k!.key) fail(line, `unknown header key '${k!.name}'. The keys are ${KEY_NAMES}`);
      const previous = fields.get(k!.key!);
      if (previous) fail(line, `duplicate header key '${k!.name}' (first on line ${previous.line}); keep one`);
      fields.set(k!.key!, { value: k!.value, line });
    }
  }

  const idField = fields.get("id");
  if (!idField) fail(Math.min(i, lastLine), "missing '-- Revision ID: <id>' in the header; add it (new ids are 12 lower-case hex characters)");
  const id = idField!.value;
  const badId = invalidRevisionId(id);
  if (badId) fail(idField!.line, `${badId}. ${REVISION_ID_RULE}`);
  const revisesField = fields.get("revises");
  if (!revisesField) fail(Math.min(i, lastLine), "missing '-- Revises: ...' in the header; write '-- Revises:' with nothing after it for a base revision");
  const list = (key: Key): string[] => {
    const f = fields.get(key);
    if (!f) return [];
    const items = f.value === "" || f.value === "<base>" ? [] : f.value.split(",").map((s) => s.trim());
    for (const item of items) {
      // Depends On may name a branch label as well as a revision.
      const bad = item === "" ? "an empty item" : key === "revises" ? invalidRevisionId(item) : invalidBranchLabel(item);
      if (bad) fail(f.line, `${bad}. Write a comma separated list`);
    }
    return items;
  };

  // Sections.
  const sections = new Map<string, { line: number; transaction: boolean; body: string[] }>();
  let current: string[] | null = null;
  for (; i < lines.length; i++) {
    const raw = lines[i]!;
    const m = SECTION.exec(raw.trim());
    if (!m) {
      if (current) current.push(raw);
      else if (raw.trim() !== "" && !raw.trim().startsWith("--")) {
        fail(i + 1, "SQL before '-- migrate:upgrade'. Put statements inside a '-- migrate:upgrade' or '-- migrate:downgrade' section");
      }
      continue;
    }
    const name = m[1]!.toLowerCase();
    if (name !== "upgrade" && name !== "downgrade") {
      const hint = name === "up" ? " (write -- migrate:upgrade)" : name === "down" ? " (write -- migrate:downgrade)" : "";
      fail(i + 1, `unknown section '-- migrate:${name}'${hint}. The sections are '-- migrate:upgrade' and '-- migrate:downgrade'`);
    }
    const first = sections.get(name);
    if (first) fail(i + 1, `duplicate section '-- migrate:${name}' (first on line ${first.line}); merge them into one`);
    let transaction = true;
    for (const option of m[2]!.trim().split(/\s+/).filter(Boolean)) {
      const opt = /^transaction:(true|false)$/.exec(option);
      if (!opt) fail(i + 1, `unknown section option '${option}'. The only option is 'transaction:false' (or 'transaction:true')`);
      transaction = opt![1] === "true";
    }
    current = [];
    sections.set(name, { line: i + 1, transaction, body: current });
  }
  const toSection = (name: string): Section | null => {
    const s = sections.get(name);
    if (!s) return null;
    return { sql: s.body.join("\n"), line: s.line, transaction: s.transaction };
  };
  const upgrade = toSection("upgrade");
  if (!upgrade) fail(lastLine, "missing '-- migrate:upgrade' section. Add a line '-- migrate:upgrade' followed by the upgrade SQL");

  return {
    id,
    downRevisions: list("revises"),
    branchLabels: list("branchLabels"),
    dependsOn: list("dependsOn"),
    message,
    createDate: fields.get("createDate")?.value ?? null,
    path,
    upgrade: upgrade!,
    downgrade: toSection("downgrade"),
  };
}

/** The text of a new native revision file. */
export function renderRevisionFile(fields: {
  id: string;
  message: string;
  downRevisions: readonly string[];
  createDate: string;
  branchLabels?: readonly string[];
  dependsOn?: readonly string[];
  upgrade?: string;
  downgrade?: string;
}): string {
  const header = [
    `-- ${fields.message.replace(/\s*[\r\n]+\s*/g, " ")}`,
    "--",
    `-- Revision ID: ${fields.id}`,
    `-- Revises: ${fields.downRevisions.join(", ")}`,
    `-- Create Date: ${fields.createDate}`,
  ];
  if (fields.branchLabels?.length) header.push(`-- Branch Labels: ${fields.branchLabels.join(", ")}`);
  if (fields.dependsOn?.length) header.push(`-- Depends On: ${fields.dependsOn.join(", ")}`);
  return (
    header.map((l) => l.trimEnd()).join("\n") +
    `\n\n-- migrate:upgrade\n${fields.upgrade ?? ""}\n\n-- migrate:downgrade\n${fields.downgrade ?? ""}\n`
  );
}
