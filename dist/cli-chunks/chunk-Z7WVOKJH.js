#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  RetortError
} from "./chunk-FRPSWLC2.js";

// src/db/driver.ts
var DatabaseError = class extends Error {
  code;
  position;
  constructor(message, code, position) {
    super(message);
    this.name = "DatabaseError";
    this.code = code;
    this.position = position;
  }
};

// src/db/url.ts
var SCHEMES = {
  "postgres:": "postgresql",
  "postgresql:": "postgresql",
  "mysql:": "mysql",
  "mariadb:": "mysql",
  "pglite:": "pglite"
};
var DEFAULT_PGLITE_DIR = ".retort/pglite";
function parseDatabaseUrl(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new RetortError(
      "usage",
      `Invalid database URL '${redactText(text)}': expected postgresql://USER:PASSWORD@HOST:PORT/DB, mysql://USER:PASSWORD@HOST:PORT/DB or pglite://PATH (set --database-url, RETORT_DATABASE_URL or DATABASE_URL).`
    );
  }
  const scheme = SCHEMES[url.protocol];
  if (!scheme) {
    throw new RetortError(
      "usage",
      `Unsupported database URL scheme '${url.protocol}' in '${redact(url)}': use postgresql://, mysql:// (or mariadb://) or pglite://.`
    );
  }
  return { url, scheme };
}
function redact(url) {
  if (url.password === "") return url.href;
  const copy = new URL(url.href);
  copy.password = "***";
  return copy.href;
}
function redactText(text) {
  return text.replace(/(\/\/[^:/@]*:)[^@]*@/, "$1***@");
}
function hostPort(url, defaultPort) {
  return `${url.hostname || "localhost"}:${url.port || defaultPort}`;
}
function scrub(message, url) {
  if (!url || url.password === "") return message;
  let out = message;
  const forms = /* @__PURE__ */ new Set([url.password, decodeURIComponent(url.password)]);
  for (const f of forms) if (f.length > 0) out = out.split(f).join("***");
  return out;
}

export {
  DatabaseError,
  DEFAULT_PGLITE_DIR,
  parseDatabaseUrl,
  redact,
  hostPort,
  scrub
};
