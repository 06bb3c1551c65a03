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
//
// The whole header block, without its `--` markers, is the revision's "docstring": what `show`
// and `history -v` print, as Alembic prints a Python revision's (see headerDoc).

import { RevisionFileError } from "../core/errors.js";
import { invalidBranchLabel, invalidRevisionId, REVISION_ID_RULE, type Revision, type Section } from "../core/revision.js";
import { pyStrip } from "./ini.js";

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

/** One file being parsed: its lines and how to fail at one of them. */
interface NativeFile {
  readonly lines: readonly string[];
  /** The last real line (a final newline does not start another). */
  readonly lastLine: number;
  readonly fail: (line: number, message: string) => never;
}

interface HeaderLine {
  readonly line: number;
  /** The text after `--`, trimmed. */
  readonly body: string;
  /** The whole line, trimmed. */
  readonly raw: string;
}

type Fields = ReadonlyMap<Key, { readonly value: string; readonly line: number }>;

interface Header {
  readonly message: string;
  /** The header block as Alembic's longdoc (see headerDoc). */
  readonly longDoc: string;
  readonly fields: Fields;
  /** Index of the first line after the header. */
  readonly end: number;
}

interface SectionText {
  readonly line: number;
  readonly transaction: boolean;
  readonly body: string[];
}

/** Parses one native revision file. `path` is only used in errors and kept on the revision. */
export function parseRevisionFile(text: string, path: string): Revision {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const file: NativeFile = {
    lines,
    // A final newline does not start another line: errors about the end name the last real line.
    lastLine: Math.max(1, lines.length - (lines.length > 1 && lines[lines.length - 1] === "" ? 1 : 0)),
    fail: (line, message) => {
      throw new RevisionFileError(path, line, message);
    },
  };
  const { fail, lastLine } = file;
  const { message, longDoc, fields, end } = readHeader(file);
  const idField = fields.get("id");
  if (!idField) fail(Math.min(end, lastLine), "missing '-- Revision ID: <id>' in the header; add it (new ids are 12 lower-case hex characters)");
  const id = idField!.value;
  const badId = invalidRevisionId(id);
  if (badId) fail(idField!.line, `${badId}. ${REVISION_ID_RULE}`);
  if (!fields.has("revises")) fail(Math.min(end, lastLine), "missing '-- Revises: ...' in the header; write '-- Revises:' with nothing after it for a base revision");

  const sections = readSections(file, end);
  const toSection = (name: string): Section | null => {
    const s = sections.get(name);
    if (!s) return null;
    return { sql: s.body.join("\n"), line: s.line, transaction: s.transaction };
  };
  const upgrade = toSection("upgrade");
  if (!upgrade) fail(lastLine, "missing '-- migrate:upgrade' section. Add a line '-- migrate:upgrade' followed by the upgrade SQL");

  return {
    id,
    downRevisions: listField(fields, "revises", fail),
    branchLabels: listField(fields, "branchLabels", fail),
    dependsOn: listField(fields, "dependsOn", fail),
    message,
    longDoc,
    createDate: fields.get("createDate")?.value ?? null,
    path,
    upgrade: upgrade!,
    downgrade: toSection("downgrade"),
  };
}

/** The header: the comment lines at the top, up to the first line that is not a comment. */
function readHeader(file: NativeFile): Header {
  const { lines, fail } = file;
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === "") i++;
  const start = i;
  if (i >= lines.length || !lines[i]!.trimStart().startsWith("--") || SECTION.test(lines[i]!.trim())) {
    fail(
      Math.min(i + 1, file.lastLine),
      "missing header. Start the file with '-- <message>', a line '--', then '-- Revision ID: <id>' and " +
        "'-- Revises: <down revision ids, empty for a base>'",
    );
  }
  // Paragraphs of the header are separated by empty comment lines (`--`). The first line is
  // the message; a paragraph holding a key must hold only keys; other paragraphs are free text.
  const paragraphs: HeaderLine[][] = [[]];
  for (; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (!raw.startsWith("--") || SECTION.test(raw)) break;
    const body = raw.slice(2).trim();
    if (body === "") paragraphs.push([]);
    else paragraphs[paragraphs.length - 1]!.push({ line: i + 1, body, raw });
  }
  // The first line is the message, whatever it says (a message may well contain a colon),
  // unless the first paragraph is the block of keys itself (a file without a message).
  const firstKeys = new Set(paragraphs[0]!.map((l) => keyOf(l.body)?.key));
  const firstIsKeys = !firstKeys.has(undefined) && firstKeys.has("id") && firstKeys.has("revises");
  const message = firstIsKeys ? "" : (paragraphs[0]!.shift()?.body ?? "");
  return { message, longDoc: headerDoc(lines.slice(start, i)), fields: headerFields(paragraphs, fail), end: i };
}

/** What `show` and `history -v` print of a native revision, as Alembic prints a Python
 *  revision's whole docstring: the header block is the docstring of the equivalent `.py`
 *  file (Alembic's template puts the message, Revision ID, Revises and Create Date there).
 *  Each line loses its `--` marker and the one space after it, the rest of the line is kept,
 *  and the text is stripped as Python's str.strip() strips `__doc__`. */
function headerDoc(header: readonly string[]): string {
  return pyStrip(header.map((line) => line.trimStart().slice(2).replace(/^ /, "")).join("\n"));
}

function keyOf(body: string): { key: Key | undefined; name: string; value: string } | null {
  const m = HEADER_KEY.exec(body);
  if (!m) return null;
  const name = m[1]!.trim();
  return { key: KEYS[name.toLowerCase().replace(/\s+/g, " ") as keyof typeof KEYS], name, value: m[2]!.trim() };
}

/** The keys of the paragraphs that hold any, each once. */
function headerFields(paragraphs: readonly HeaderLine[][], fail: NativeFile["fail"]): Fields {
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
  return fields;
}

/** A comma separated header value as a list ([] when the key is absent). */
function listField(fields: Fields, key: Key, fail: NativeFile["fail"]): string[] {
  const f = fields.get(key);
  if (!f) return [];
  const items = f.value === "" || f.value === "<base>" ? [] : f.value.split(",").map((s) => s.trim());
  for (const item of items) {
    // Depends On may name a branch label as well as a revision.
    const bad = item === "" ? "an empty item" : key === "revises" ? invalidRevisionId(item) : invalidBranchLabel(item);
    if (bad) fail(f.line, `${bad}. Write a comma separated list`);
  }
  return items;
}

/** The sections, from line index `start` (after the header) to the end. */
function readSections(file: NativeFile, start: number): Map<string, SectionText> {
  const { lines, fail } = file;
  const sections = new Map<string, SectionText>();
  let current: string[] | null = null;
  for (let i = start; i < lines.length; i++) {
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
    current = [];
    sections.set(name, { line: i + 1, transaction: transactionOption(m[2]!, i + 1, fail), body: current });
  }
  return sections;
}

/** The options after a section marker: `transaction:false` (or `transaction:true`). */
function transactionOption(options: string, line: number, fail: NativeFile["fail"]): boolean {
  let transaction = true;
  for (const option of options.trim().split(/\s+/).filter(Boolean)) {
    const opt = /^transaction:(true|false)$/.exec(option);
    if (!opt) fail(line, `unknown section option '${option}'. The only option is 'transaction:false' (or 'transaction:true')`);
    transaction = opt![1] === "true";
  }
  return transaction;
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
