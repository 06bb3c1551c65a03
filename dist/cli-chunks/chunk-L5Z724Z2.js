#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);

// src/core/errors.ts
var RUN_FAILURES = /* @__PURE__ */ new Set(["connection", "state", "lock-timeout", "migration-failed", "bookkeeping", "check-failed"]);
var RetortError = class extends Error {
  code;
  location;
  constructor(code, message, options) {
    super(message, options);
    this.name = "RetortError";
    this.code = code;
    this.location = options?.location ?? null;
  }
};
var RevisionFileError = class extends RetortError {
  file;
  line;
  constructor(file, line, message) {
    super("revision-file", `${file}:${line}: ${message}`, { location: { file, line } });
    this.name = "RevisionFileError";
    this.file = file;
    this.line = line;
  }
};

export {
  RUN_FAILURES,
  RetortError,
  RevisionFileError
};
