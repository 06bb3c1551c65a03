// Reading revision files and alembic.ini as UTF-8, strictly. Node's "utf8" decoding replaces
// every invalid byte with U+FFFD, so a file saved in Latin-1 (or damaged) would be read, shown
// in the plan and applied with characters nobody wrote. Python refuses such a file (a
// SyntaxError for a revision, a UnicodeDecodeError for alembic.ini); so does retort, naming the
// line and column of the first bad byte.

import { lstatSync, readFileSync } from "node:fs";
import { RetortError } from "../core/errors.js";

const STRICT = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (Unicode
 *  table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** 1-based line and column (in bytes) of `offset`; lines end at \n, \r\n or a lone \r, as the
 *  parsers count them. */
function position(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i]!;
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** Where a file is not UTF-8: its line and column and the offending byte, or null. */
export function utf8Problem(bytes: Uint8Array): { line: number; column: number; byte: number } | null {
  try {
    STRICT.decode(bytes);
    return null;
  } catch {
    const offset = firstInvalidUtf8(bytes);
    // The decoder and the scan agree on what is valid; should they not, blame the end.
    const at = offset < 0 ? bytes.length : offset;
    return { ...position(bytes, at), byte: bytes[at] ?? 0 };
  }
}

/** `bytes` as text; a leading byte-order mark is kept (each parser decides about it). Throws
 *  `error(line, message)` when the bytes are not UTF-8, or hold a NUL: valid UTF-8, but no text
 *  anyone writes (Python refuses it in source, PostgreSQL refuses a round trip holding one with
 *  "invalid message format"), and what a file saved as UTF-16 without a byte-order mark is full of. */
export function decodeUtf8(bytes: Uint8Array, error: (line: number, message: string) => Error): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const at = position(bytes, nul);
    throw error(at.line, `holds a NUL byte (0x00) at column ${at.column}; was it saved as UTF-16? Save it as UTF-8 (iconv -f utf-16 -t utf-8)`);
  }
  try {
    return STRICT.decode(bytes);
  } catch {
    const problem = utf8Problem(bytes)!;
    const hex = problem.byte.toString(16).toUpperCase().padStart(2, "0");
    throw error(
      problem.line,
      `not valid UTF-8 (byte 0x${hex} at column ${problem.column}); retort reads this file as UTF-8, as Python does. ` +
        "Save it as UTF-8 (an editor's 'reopen with encoding', or iconv -f latin1 -t utf-8)",
    );
  }
}

/** Reads `file` as strict UTF-8, failing with what `error` makes. */
export function readUtf8(file: string, error: (line: number, message: string) => Error): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw error(1, `cannot be read (${(e as Error).message})`);
  }
  return decodeUtf8(bytes, error);
}

/** The usual error for a file that is not a revision file: RetortError("usage", "file:line: ..."). */
export function usageAt(file: string): (line: number, message: string) => Error {
  return (line, message) => new RetortError("usage", `${file}:${line}: ${message}.`);
}

/** Whether a path built from a name a directory listing gave is not the name on disk: Node
 *  decodes names as UTF-8, replacing bytes that are not with U+FFFD, and such a path leads
 *  nowhere ("no such file" for a file that is there). */
export function undecodable(path: string): boolean {
  if (!path.includes("\uFFFD")) return false;
  try {
    lstatSync(path);
    return false;
  } catch {
    return true;
  }
}

export const NOT_UTF8_NAME = "has a name that is not valid UTF-8 (its bad bytes are shown as U+FFFD), so it cannot be opened by that name; rename it in UTF-8.";
