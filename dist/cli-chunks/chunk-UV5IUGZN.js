#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  RetortError
} from "./chunk-L5Z724Z2.js";

// src/db/target.ts
import { readFileSync } from "node:fs";
var DEFAULT_PGLITE_DIR = ".retort/pglite";
var LIBPQ_VARIABLES = ["PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD", "PGSSLMODE"];
function libpqEnv(env) {
  const out = {};
  for (const name of LIBPQ_VARIABLES) {
    const value = env[name];
    if (value) out[name] = value;
  }
  return out;
}
var TargetError = class extends RetortError {
  secrets;
  constructor(message, secrets) {
    super("usage", message);
    this.name = "TargetError";
    this.secrets = secrets;
  }
};
var SCHEMES = {
  postgres: "postgresql",
  postgresql: "postgresql",
  mysql: "mysql",
  mariadb: "mysql",
  pglite: "pglite"
};
var EXPECTED = "expected postgresql://USER:PASSWORD@HOST:PORT/DB, a libpq keyword string (host=... user=... dbname=...), mysql://USER:PASSWORD@HOST:PORT/DB or pglite://PATH (set --database-url, RETORT_DATABASE_URL or DATABASE_URL)";
var ENCODE_HINT = "percent-encode '/' as %2F, '?' as %3F, '#' as %23 and '@' as %40 in the user name and password";
var PG_PARAMETERS = /* @__PURE__ */ new Set([
  "host",
  "port",
  "dbname",
  "user",
  "password",
  "sslmode",
  "ssl",
  "sslrootcert",
  "sslcert",
  "sslkey",
  "sslpassword",
  "uselibpqcompat",
  "sslnegotiation",
  "options",
  "application_name",
  "fallback_application_name",
  "client_encoding",
  "connect_timeout",
  "statement_timeout",
  "lock_timeout",
  "idle_in_transaction_session_timeout",
  "query_timeout"
]);
var PG_PASSTHROUGH = [
  "sslnegotiation",
  "options",
  "fallback_application_name",
  "client_encoding",
  "statement_timeout",
  "lock_timeout",
  "idle_in_transaction_session_timeout",
  "query_timeout"
];
var MYSQL_PARAMETERS = /* @__PURE__ */ new Set(["password", "ssl-mode", "sslmode", "ssl-ca", "ssl-cert", "ssl-key", "sslpassword"]);
var SECRET_PARAMETERS = /* @__PURE__ */ new Set(["password", "sslpassword"]);
var KNOWN_NAMES = /* @__PURE__ */ new Set([
  ...PG_PARAMETERS,
  ...MYSQL_PARAMETERS,
  // libpq keywords retort's drivers do not support
  "hostaddr",
  "passfile",
  "require_auth",
  "channel_binding",
  "keepalives",
  "keepalives_idle",
  "keepalives_interval",
  "keepalives_count",
  "tcp_user_timeout",
  "replication",
  "gssencmode",
  "requiressl",
  "sslcompression",
  "sslcertmode",
  "sslcrl",
  "sslcrldir",
  "sslsni",
  "sslkeylogfile",
  "requirepeer",
  "ssl_min_protocol_version",
  "ssl_max_protocol_version",
  "min_protocol_version",
  "max_protocol_version",
  "krbsrvname",
  "gsslib",
  "gssdelegation",
  "service",
  "target_session_attrs",
  "load_balance_hosts",
  // other drivers' and ORMs' parameters
  "database",
  "db",
  "binary",
  "encoding",
  "schema",
  "search_path",
  "currentschema",
  "connection_limit",
  "pool_timeout",
  "pgbouncer",
  "sslaccept",
  "sslidentity",
  "socket_timeout",
  "statement_cache_size",
  "ssl_mode",
  "ssl_ca",
  "ssl_cert",
  "ssl_key",
  "sslca",
  "charset",
  "timezone",
  "connecttimeout",
  "socket",
  "socketpath",
  "multiplestatements",
  "datestrings",
  "allowpublickeyretrieval",
  "usessl",
  "servertimezone",
  "characterencoding",
  "compress",
  "flags",
  "insecureauth",
  "debug",
  "trace",
  "localaddress",
  "supportbignumbers",
  "bignumberstrings"
]);
function nameOf(name, index) {
  return KNOWN_NAMES.has(name.toLowerCase()) ? `'${name}'` : `number ${index + 1} (a name retort does not know)`;
}
var Secrets = class {
  seen = /* @__PURE__ */ new Set();
  add(value, ...written) {
    if (!value) return;
    for (const form of secretForms(value)) this.seen.add(form);
    for (const w of written) if (w) this.seen.add(w);
  }
  list() {
    return [...this.seen].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  }
};
function secretForms(value) {
  const forms = /* @__PURE__ */ new Set([value]);
  const encodings = [encodeURIComponent(value), encodeURI(value), userinfoEncoded(value), new URLSearchParams({ x: value }).toString().slice(2)];
  for (const e of encodings) {
    forms.add(e);
    forms.add(e.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  }
  forms.add(JSON.stringify(value).slice(1, -1));
  forms.add(value.replace(/'/g, "''"));
  forms.add(value.replace(/\\/g, "\\\\").replace(/'/g, "\\'"));
  forms.delete("");
  return [...forms];
}
function userinfoEncoded(value) {
  try {
    const u = new URL("x://h");
    u.password = value;
    return u.password;
  } catch {
    return encodeURIComponent(value);
  }
}
function scrubSecrets(text, secrets) {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) if (s.length > 0) out = out.split(s).join("***");
  return out;
}
function percentDecode(raw, what, secrets) {
  if (!raw.includes("%")) return raw;
  const bytes = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < raw.length; ) {
    if (raw[i] === "%") {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) {
        throw new TargetError(
          `The database URL has a '%' in ${what} that does not start a percent-escape: write a literal '%' as %25 (and percent-encode other special characters the same way).`,
          secrets.list()
        );
      }
      const byte = parseInt(hex, 16);
      if (byte === 0) throw new TargetError(`The database URL has %00 in ${what}: a NUL character cannot be sent to the database.`, secrets.list());
      bytes.push(byte);
      i += 3;
    } else {
      const cp = raw.codePointAt(i);
      const ch = String.fromCodePoint(cp);
      bytes.push(...encoder.encode(ch));
      i += ch.length;
    }
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    throw new TargetError(`The percent-escapes in ${what} of the database URL are not UTF-8: encode the text as UTF-8 before percent-encoding it.`, secrets.list());
  }
}
function describeTarget(text, env = {}) {
  const secrets = new Secrets();
  const trimmed = text.trim();
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(trimmed);
  const isUrl = schemeMatch !== null && (trimmed.slice(schemeMatch[0].length).startsWith("//") || schemeMatch[1].toLowerCase() === "pglite");
  if (!isUrl) {
    if (/^\s*[A-Za-z_][A-Za-z0-9_]*\s*=/.test(trimmed)) return keywordTarget(trimmed, env, secrets);
    secrets.add(trimmed);
    secrets.add(text);
    throw new TargetError(`The database URL is not a URL or a keyword string: ${EXPECTED}.`, secrets.list());
  }
  const given = schemeMatch[1].toLowerCase();
  const scheme = SCHEMES[given];
  if (!scheme) {
    harvest(trimmed, secrets);
    throw new TargetError(
      `Unsupported database URL scheme '${/^[a-z0-9+.-]{1,20}$/.test(given) ? given : "?"}:': use postgresql:// (or postgres://), mysql:// (or mariadb://) or pglite://.`,
      secrets.list()
    );
  }
  if (scheme === "pglite") return pgliteTarget(trimmed.slice(schemeMatch[0].length), secrets);
  try {
    return urlTarget(given, scheme, trimmed.slice(schemeMatch[0].length + 2), env, secrets);
  } catch (e) {
    if (!(e instanceof TargetError)) throw e;
    harvest(trimmed, secrets);
    throw new TargetError(e.message, secrets.list());
  }
}
function wholeTextSecrets(text) {
  const secrets = new Secrets();
  secrets.add(text);
  return secrets.list();
}
function harvest(text, secrets) {
  const rest = text.replace(/^[^:]*:\/\//, "");
  const at = rest.lastIndexOf("@");
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(":");
    if (colon >= 0) addWritten(userinfo.slice(colon + 1), secrets);
  }
  for (const m of rest.matchAll(/(?:^|[?&\s])(?:password|sslpassword)=([^&\s#]*)/gi)) addWritten(m[1], secrets);
}
function addWritten(written, secrets) {
  if (written === "") return;
  let decoded;
  try {
    decoded = decodeURIComponent(written);
  } catch {
    decoded = written.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
  secrets.add(decoded, written);
}
function pgliteTarget(rest, secrets) {
  let path = rest.startsWith("//") ? rest.slice(2) : rest;
  const q = path.search(/[?#]/);
  if (q >= 0) {
    throw new TargetError("A pglite:// URL takes no parameters or fragment: write pglite://PATH or pglite://memory (percent-encode '?' as %3F and '#' as %23 in a path).", secrets.list());
  }
  path = percentDecode(path, "the PGlite path", secrets);
  const location = /^memory\/?$/i.test(path) ? null : path === "" ? DEFAULT_PGLITE_DIR : path;
  return { scheme: "pglite", location, display: `pglite://${location ?? "memory"}`, secrets: [] };
}
function urlTarget(given, scheme, rest, env, secrets) {
  const end = rest.search(/[/?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const tail = end < 0 ? "" : rest.slice(end);
  const at = authority.lastIndexOf("@");
  const userinfo = at >= 0 ? authority.slice(0, at) : null;
  const hostport = at >= 0 ? authority.slice(at + 1) : authority;
  const colon = userinfo === null ? -1 : userinfo.indexOf(":");
  const writtenUser = userinfo === null ? null : colon >= 0 ? userinfo.slice(0, colon) : userinfo;
  const writtenPassword = userinfo !== null && colon >= 0 ? userinfo.slice(colon + 1) : null;
  if (writtenPassword !== null) addWritten(writtenPassword, secrets);
  for (const m of tail.matchAll(/[?&](?:password|sslpassword)=([^&#]*)/gi)) addWritten(m[1], secrets);
  if (tail.includes("#")) {
    throw new TargetError(`The database URL has a '#' (a URL fragment, which no database driver reads): ${ENCODE_HINT}.`, secrets.list());
  }
  const qmark = tail.indexOf("?");
  const pathPart = qmark >= 0 ? tail.slice(0, qmark) : tail;
  const query = qmark >= 0 ? tail.slice(qmark + 1) : "";
  if (pathPart.includes("@")) {
    throw new TargetError(`The database URL has an '@' after the host: ${ENCODE_HINT}.`, secrets.list());
  }
  const password = writtenPassword === null ? null : percentDecode(writtenPassword, "the password", secrets);
  const user = writtenUser === null || writtenUser === "" ? null : percentDecode(writtenUser, "the user name", secrets);
  const { host, port } = hostAndPort(hostport, secrets);
  const database = pathPart === "" || pathPart === "/" ? null : percentDecode(pathPart.slice(1), "the database name", secrets);
  const settings = query === "" ? [] : queryParameters(query, secrets);
  return serverTarget({ given, scheme, parts: { host, port, user, password, database }, settings, env, secrets, kind: "URL" });
}
function hostAndPort(hostport, secrets) {
  let hostText = hostport;
  let portText = null;
  const v6 = /^\[([^\]]*)\](?::(.*))?$/.exec(hostport);
  if (v6) {
    hostText = v6[1];
    portText = v6[2] ?? null;
  } else if (hostport.includes(",")) {
    throw new TargetError("The database URL names several hosts: retort connects to one; give a single host:port.", secrets.list());
  } else {
    const colon = hostport.lastIndexOf(":");
    if (colon >= 0) {
      hostText = hostport.slice(0, colon);
      portText = hostport.slice(colon + 1);
    }
  }
  if (!v6 && hostText.includes(":")) {
    throw new TargetError(`The host part of the database URL has several ':': write an IPv6 address in brackets ([::1]:5432), and ${ENCODE_HINT}.`, secrets.list());
  }
  const host = percentDecode(hostText, "the host", secrets);
  const port = portText === null || portText === "" ? null : portNumber(portText, "after the host", secrets);
  return { host, port };
}
function queryParameters(query, secrets) {
  const settings = [];
  const pairs = query.split("&");
  pairs.forEach((pair, index) => {
    if (pair === "") return;
    const eq = pair.indexOf("=");
    if (eq < 0 || !KNOWN_NAMES.has(pair.slice(0, eq).toLowerCase())) {
      const previous = index > 0 ? pairs[index - 1].slice(pairs[index - 1].indexOf("=") + 1) : null;
      addWritten(pair, secrets);
      if (previous) addWritten(`${previous}&${pair}`, secrets);
    }
    if (eq < 0) {
      throw new TargetError(
        `Query parameter number ${index + 1} of the database URL has no '=': write name=value, and ${ENCODE_HINT} ('&' as %26).`,
        secrets.list()
      );
    }
    const rawName = pair.slice(0, eq);
    const written = pair.slice(eq + 1);
    const name = percentDecode(rawName, `the name of query parameter number ${index + 1}`, secrets);
    const what = SECRET_PARAMETERS.has(name.toLowerCase()) ? `parameter '${name}'` : `parameter ${nameOf(name, index)}`;
    settings.push({ name, value: percentDecode(written, what, secrets), written });
  });
  return settings;
}
function portNumber(text, where, secrets) {
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 65535)) {
    throw new TargetError(`The port ${where} in the database URL is not a number from 1 to 65535: check it, and ${ENCODE_HINT}.`, secrets.list());
  }
  return n;
}
function keywordTarget(text, env, secrets) {
  const { parsed, problem } = scanKeywords(text, secrets);
  if (problem !== null) throw new TargetError(`The database connection string is not valid: ${problem}.`, secrets.list());
  const settings = [];
  parsed.forEach(({ name, value, written }, index) => {
    if (name === "") throw new TargetError(`Setting number ${index + 1} of the connection string has no keyword before '='.`, secrets.list());
    settings.push({ name, value, written });
  });
  const parts = { host: "", port: null, user: null, password: null, database: null };
  return serverTarget({ given: "postgresql", scheme: "postgresql", parts, settings, env, secrets, kind: "connection string" });
}
var isSpace = (c) => c !== void 0 && /\s/.test(c);
function scanKeywords(text, secrets) {
  const parsed = [];
  let i = 0;
  while (i < text.length) {
    while (isSpace(text[i])) i++;
    if (i >= text.length) break;
    const start = i;
    while (i < text.length && !isSpace(text[i]) && text[i] !== "=") i++;
    const name = text.slice(start, i);
    while (isSpace(text[i])) i++;
    if (text[i] !== "=") {
      const previous = parsed.at(-1);
      secrets.add(previous ? text.slice(previous.start) : text.slice(start));
      const problem = `word number ${parsed.length + 1} of the connection string has no '=' after it: write keyword=value, and quote values with spaces in single quotes (password='a b')`;
      return { parsed, problem };
    }
    i++;
    while (isSpace(text[i])) i++;
    const valueStart = i;
    const scanned = text[i] === "'" ? quotedValue(text, i + 1) : bareValue(text, i);
    if (scanned.end === null) {
      secrets.add(text.slice(valueStart));
      secrets.add(scanned.value);
      return { parsed, problem: "the connection string has a quoted value without its closing quote: end it with ' (write \\' for a quote inside)" };
    }
    i = scanned.end;
    const { value } = scanned;
    const written = text.slice(valueStart, i);
    parsed.push({ name, value, written, start: valueStart });
    if (SECRET_PARAMETERS.has(name.toLowerCase()) || !KNOWN_NAMES.has(name.toLowerCase())) secrets.add(value, written);
  }
  return { parsed, problem: null };
}
function quotedValue(text, i) {
  let value = "";
  while (i < text.length) {
    const c = text[i];
    if (c === "\\" && i + 1 < text.length) {
      value += text[i + 1];
      i += 2;
    } else if (c === "'") {
      return { value, end: i + 1 };
    } else {
      value += c;
      i++;
    }
  }
  return { value, end: null };
}
function bareValue(text, i) {
  let value = "";
  while (i < text.length && !isSpace(text[i])) {
    if (text[i] === "\\" && i + 1 < text.length) {
      value += text[i + 1];
      i += 2;
    } else {
      value += text[i];
      i++;
    }
  }
  return { value, end: i };
}
function serverTarget(input) {
  const { scheme, parts, secrets, kind } = input;
  const pg = scheme === "postgresql";
  const params = checkedParameters(input);
  const param = (name) => {
    const v = params.get(name)?.value;
    return v === void 0 || v === "" ? null : v;
  };
  const resolved = { params, param, fromEnv: (name) => pg ? input.env[name] ?? null : null };
  const { fromEnv } = resolved;
  const passwordSource = params.has("password") ? params.get("password").value : parts.password;
  const password = passwordSource !== null && passwordSource !== "" ? passwordSource : fromEnv("PGPASSWORD");
  secrets.add(password);
  const keyPassword = param("sslpassword");
  secrets.add(keyPassword);
  const address = addressOf(input, resolved);
  const { host, port } = address;
  const user = param("user") ?? parts.user ?? fromEnv("PGUSER");
  const database = param("dbname") ?? parts.database ?? fromEnv("PGDATABASE");
  const tls = pg ? pgTls(param, fromEnv("PGSSLMODE"), keyPassword, secrets) : mysqlTls(param, keyPassword, secrets);
  const settingsOut = {};
  if (pg) for (const name of PG_PASSTHROUGH) {
    const v = param(name);
    if (v !== null) settingsOut[name] = v;
  }
  const connectTimeoutMs = connectTimeoutOf(param, kind, secrets);
  const where = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  const negotiation = param("sslnegotiation");
  if (negotiation !== null && negotiation !== "postgres" && negotiation !== "direct") {
    throw new TargetError("sslnegotiation in the database URL must be postgres or direct.", secrets.list());
  }
  const shownAddress = { host: address.hostGiven ?? fromEnv("PGHOST"), port: address.portShown };
  const display = scrubSecrets(
    displayOf(input.given, { ...shownAddress, user, password: password !== null, database }, input.settings, params),
    secrets.list()
  );
  return {
    scheme,
    host,
    port,
    where,
    user,
    password,
    database,
    tls,
    settings: settingsOut,
    parameters: Object.fromEntries([...params].filter(([name]) => !["host", "port", "user", "password", "dbname"].includes(name)).map(([name, p]) => [name, p.value])),
    connectTimeoutMs,
    applicationName: param("application_name"),
    display,
    secrets: secrets.list()
  };
}
function checkedParameters({ scheme, settings, secrets, kind }) {
  const allowed = scheme === "postgresql" ? PG_PARAMETERS : MYSQL_PARAMETERS;
  const params = /* @__PURE__ */ new Map();
  settings.forEach((s, index) => {
    const name = s.name.toLowerCase();
    if (SECRET_PARAMETERS.has(name)) secrets.add(s.value, s.written);
    if (!allowed.has(name)) {
      const driver = scheme === "postgresql" ? "PostgreSQL" : "MySQL/MariaDB";
      const supported = [...allowed].join(", ");
      const hint = name === "schema" || name === "search_path" || name === "currentschema" ? " (for the version table's schema use --version-schema; PostgreSQL's search_path goes in options=-csearch_path%3DNAME)" : "";
      throw new TargetError(
        `The database ${kind} has parameter ${nameOf(s.name, index)}, which retort's ${driver} driver does not understand${hint}: remove it. Supported: ${supported}.`,
        secrets.list()
      );
    }
    params.set(name, s);
  });
  return params;
}
function addressOf({ scheme, parts, secrets, kind }, { param, fromEnv }) {
  const pg = scheme === "postgresql";
  const hostGiven = param("host") ?? (parts.host !== "" ? parts.host : null);
  if (hostGiven !== null && pg && hostGiven.includes(",")) {
    throw new TargetError(`The database ${kind} names several hosts: retort connects to one; give a single host.`, secrets.list());
  }
  const host = hostGiven ?? fromEnv("PGHOST") ?? "localhost";
  const portParam = param("port");
  const portGiven = portParam !== null ? portNumber(portParam, "parameter", secrets) : parts.port;
  const envPort = fromEnv("PGPORT");
  const port = portGiven ?? (envPort !== null ? portNumber(envPort, "in PGPORT", secrets) : pg ? 5432 : 3306);
  return { host, port, hostGiven, portShown: portGiven ?? (envPort !== null ? port : null) };
}
function connectTimeoutOf(param, kind, secrets) {
  const timeout = param("connect_timeout");
  if (timeout === null) return null;
  const seconds = Number(timeout);
  if (!Number.isInteger(seconds) || seconds < 0) throw new TargetError(`connect_timeout in the database ${kind} is not a whole number of seconds.`, secrets.list());
  return seconds === 0 ? null : Math.max(seconds, 2) * 1e3;
}
function displayOf(scheme, p, settings, params) {
  const enc = (s) => encodeURIComponent(s);
  const userinfo = p.user !== null || p.password ? `${p.user !== null ? enc(p.user) : ""}${p.password ? ":***" : ""}@` : "";
  const host = p.host === null ? "" : p.host.includes(":") ? `[${p.host}]` : enc(p.host);
  const port = p.port !== null ? `:${p.port}` : "";
  const db = p.database !== null ? `/${enc(p.database)}` : "";
  const shown = /* @__PURE__ */ new Set(["host", "port", "user", "password", "dbname"]);
  const query = settings.filter((s) => !shown.has(s.name.toLowerCase()) && params.get(s.name.toLowerCase()) === s).map((s) => `${enc(s.name)}=${SECRET_PARAMETERS.has(s.name.toLowerCase()) ? "***" : enc(s.value)}`);
  return `${scheme}://${userinfo}${host}${port}${db}${query.length ? `?${query.join("&")}` : ""}`;
}
function pgTls(param, envMode, keyPassword, secrets) {
  const files = { rootCertFile: param("sslrootcert"), certFile: param("sslcert"), keyFile: param("sslkey"), keyPassword };
  const libpq = param("uselibpqcompat");
  if (libpq !== null && libpq !== "true" && libpq !== "false") {
    throw new TargetError("uselibpqcompat in the database URL must be true or false.", secrets.list());
  }
  const mode = param("sslmode");
  const ssl = param("ssl");
  const modes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full", "no-verify"];
  if (mode !== null && !modes.includes(mode)) {
    throw new TargetError(`sslmode in the database URL must be one of ${modes.join(", ")}.`, secrets.list());
  }
  if (mode === "disable") return null;
  if (mode === "no-verify") return { verify: "no-verify", ...files };
  if (mode !== null) {
    if (libpq !== "true") return { verify: "verify-full", ...files };
    switch (mode) {
      case "prefer":
      case "require":
        return { verify: files.rootCertFile !== null && mode === "require" ? "verify-ca" : "no-verify", ...files };
      case "verify-ca":
        if (files.rootCertFile === null) throw new TargetError("sslmode=verify-ca needs sslrootcert (the CA certificate file).", secrets.list());
        return { verify: "verify-ca", ...files };
      default:
        return { verify: "verify-full", ...files };
    }
  }
  if (ssl !== null) {
    if (ssl === "true" || ssl === "1") return { verify: "verify-full", ...files };
    if (ssl === "false" || ssl === "0") return null;
    if (ssl === "no-verify") return { verify: "no-verify", ...files };
    throw new TargetError("ssl in the database URL must be true, false or no-verify (or use sslmode).", secrets.list());
  }
  if (files.rootCertFile !== null || files.certFile !== null || files.keyFile !== null) return { verify: "verify-full", ...files };
  switch (envMode) {
    case "prefer":
    case "require":
    case "verify-ca":
    case "verify-full":
      return { verify: "verify-full", ...files };
    case "no-verify":
      return { verify: "no-verify", ...files };
    default:
      return null;
  }
}
function mysqlTls(param, keyPassword, secrets) {
  const files = { rootCertFile: param("ssl-ca"), certFile: param("ssl-cert"), keyFile: param("ssl-key"), keyPassword };
  const mode = (param("ssl-mode") ?? param("sslmode"))?.toUpperCase().replace(/-/g, "_") ?? null;
  switch (mode) {
    case null:
      return files.rootCertFile !== null || files.certFile !== null || files.keyFile !== null ? { verify: "verify-full", ...files } : null;
    case "DISABLED":
      return null;
    case "REQUIRED":
      return { verify: files.rootCertFile !== null ? "verify-ca" : "no-verify", ...files };
    case "VERIFY_CA":
      return { verify: "verify-ca", ...files };
    case "VERIFY_IDENTITY":
      return { verify: "verify-full", ...files };
    default:
      throw new TargetError(
        "ssl-mode in the database URL must be DISABLED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY (PREFERRED cannot be honoured: pick REQUIRED or DISABLED).",
        secrets.list()
      );
  }
}
function connectionUrl(target) {
  const enc = (s) => encodeURIComponent(s);
  const userinfo = target.user !== null || target.password !== null ? `${enc(target.user ?? "")}${target.password !== null ? `:${enc(target.password)}` : ""}@` : "";
  const socket = target.host.startsWith("/");
  const host = socket ? "" : target.host.includes(":") ? `[${target.host}]` : enc(target.host);
  const params = [...socket ? [["host", target.host]] : [], ...Object.entries(target.parameters)].map(([k, v]) => `${enc(k)}=${enc(v)}`);
  return `${target.scheme}://${userinfo}${host}:${target.port}/${enc(target.database ?? "")}${params.length ? `?${params.join("&")}` : ""}`;
}
function tlsOptions(tls) {
  if (tls === null) return false;
  const read = (path, what) => {
    if (path === null) return void 0;
    try {
      return readFileSync(path, "utf8");
    } catch (e) {
      const code = e.code ?? (e instanceof Error ? e.message : String(e));
      throw new RetortError("usage", `Cannot read the ${what} file '${path}' named in the database URL (${code}).`);
    }
  };
  const options = { rejectUnauthorized: tls.verify !== "no-verify" };
  const ca = read(tls.rootCertFile, "root certificate (sslrootcert / ssl-ca)");
  const cert = read(tls.certFile, "client certificate (sslcert / ssl-cert)");
  const key = read(tls.keyFile, "client key (sslkey / ssl-key)");
  if (ca !== void 0) options.ca = ca;
  if (cert !== void 0) options.cert = cert;
  if (key !== void 0) options.key = key;
  if (tls.keyPassword !== null) options.passphrase = tls.keyPassword;
  if (tls.verify === "verify-ca") options.checkServerIdentity = () => void 0;
  return options;
}

export {
  DEFAULT_PGLITE_DIR,
  libpqEnv,
  TargetError,
  secretForms,
  scrubSecrets,
  describeTarget,
  wholeTextSecrets,
  connectionUrl,
  tlsOptions
};
