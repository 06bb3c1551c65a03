#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);

// src/db/driver.ts
function rowsChanged(command, rowCount) {
  return /^(INSERT|UPDATE|DELETE|MERGE)\b/.test(command ?? "") ? rowCount ?? 0 : 0;
}
var DatabaseError = class extends Error {
  code;
  position;
  /** From Driver.script: the index of the statement the server rejected (or was running when
   *  the connection failed); null when that cannot be told. */
  statement;
  /** From Driver.script: whether the statements before `statement` ran. False where the server
   *  rejected the whole text before running any of it (PostgreSQL parses a multi-statement
   *  text first, so a syntax error anywhere stops all of it). */
  earlierRan;
  constructor(message, code, position, script) {
    super(message);
    this.name = "DatabaseError";
    this.code = code;
    this.position = position;
    this.statement = script?.statement ?? null;
    this.earlierRan = script?.earlierRan ?? true;
  }
};

export {
  rowsChanged,
  DatabaseError
};
