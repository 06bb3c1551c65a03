// One description of a connection target, parsed once from the text the user gave (a URL, or
// for PostgreSQL a libpq keyword string) and the libpq environment variables. Everything that
// shows, scrubs or registers a secret derives from it: `display` (what driver.target, `--json`
// database, comments and messages show), `secrets` (every secret in every form a message can
// carry it, for scrubbing and for the Action's add-mask) and the parts the drivers connect with.
// The drivers never parse the URL again, and nothing else percent-decodes a part of it.
//
// The syntax is libpq's (postgresql:// URIs and keyword strings), which mysql:// URLs share:
// query parameters override the authority, `+` is a plus sign (not a space), every escape is
// decoded, and a `%` that starts no escape is an error instead of a guess. A parameter the
// driver does not understand is an error naming it: silently ignoring `?sslmode=...` or
// `?schema=...` connects somewhere else than the user meant.

import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import { RetortError } from "../core/errors.js";

export type Scheme = "postgresql" | "mysql" | "pglite";

/** The embedded database used when no URL is given. */
export const DEFAULT_PGLITE_DIR = ".retort/pglite";

/** TLS as the drivers apply it. `verify-full`: certificate and host name checked; `verify-ca`:
 *  certificate only; `no-verify`: encrypted, not verified. */
export interface TlsSettings {
  readonly verify: "verify-full" | "verify-ca" | "no-verify";
  /** Files, read by the driver when it connects. */
  readonly rootCertFile: string | null;
  readonly certFile: string | null;
  readonly keyFile: string | null;
  /** Passphrase of the key file (libpq's sslpassword). A secret. */
  readonly keyPassword: string | null;
}

interface TargetBase {
  /** Where this points, with every secret replaced by `***`. Safe to print anywhere. */
  readonly display: string;
  /** Every secret this target holds, in every form a message may quote it (as written,
   *  percent-decoded, percent-encoded, quoted, ...), longest first. */
  readonly secrets: readonly string[];
}

export interface ServerTarget extends TargetBase {
  readonly scheme: "postgresql" | "mysql";
  /** Host name or address (no brackets), or a Unix socket directory (PostgreSQL). */
  readonly host: string;
  readonly port: number;
  /** `host:port` as messages name it. */
  readonly where: string;
  readonly user: string | null;
  readonly password: string | null;
  readonly database: string | null;
  /** null: no TLS. */
  readonly tls: TlsSettings | null;
  /** PostgreSQL settings passed to pg as they are (options, statement_timeout, ...). */
  readonly settings: Readonly<Record<string, string>>;
  /** Every parameter given, by lower-case name, but host, port, user, password and dbname
   *  (sslpassword included: a secret). For connectionUrl. */
  readonly parameters: Readonly<Record<string, string>>;
  /** connect_timeout, in milliseconds, when the URL sets one. */
  readonly connectTimeoutMs: number | null;
  /** application_name, when the URL sets one (it replaces retort's). */
  readonly applicationName: string | null;
}

export interface PgliteTarget extends TargetBase {
  readonly scheme: "pglite";
  /** The data directory as written, or null for `pglite://memory`. */
  readonly location: string | null;
}

export type ConnectionTarget = ServerTarget | PgliteTarget;

/** The environment variables libpq (and pg) read, which retort honours for PostgreSQL. */
export const LIBPQ_VARIABLES = ["PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD", "PGSSLMODE"] as const;
export type LibpqEnv = Readonly<Partial<Record<(typeof LIBPQ_VARIABLES)[number], string>>>;

/** The libpq variables of an environment (empty values are unset, as libpq treats them). */
export function libpqEnv(env: Readonly<Record<string, string | undefined>>): LibpqEnv {
  const out: Partial<Record<(typeof LIBPQ_VARIABLES)[number], string>> = {};
  for (const name of LIBPQ_VARIABLES) {
    const value = env[name];
    if (value) out[name] = value;
  }
  return out;
}

/** A database URL that cannot be used. Never holds a secret; `secrets` lists what the text
 *  seemed to hold, so callers can still scrub messages. */
export class TargetError extends RetortError {
  readonly secrets: readonly string[];
  constructor(message: string, secrets: readonly string[]) {
    super("usage", message);
    this.name = "TargetError";
    this.secrets = secrets;
  }
}

const SCHEMES: Record<string, Scheme> = {
  postgres: "postgresql",
  postgresql: "postgresql",
  mysql: "mysql",
  mariadb: "mysql",
  pglite: "pglite",
};

const EXPECTED =
  "expected postgresql://USER:PASSWORD@HOST:PORT/DB, a libpq keyword string (host=... user=... dbname=...), " +
  "mysql://USER:PASSWORD@HOST:PORT/DB or pglite://PATH (set --database-url, RETORT_DATABASE_URL or DATABASE_URL)";

const ENCODE_HINT = "percent-encode '/' as %2F, '?' as %3F, '#' as %23 and '@' as %40 in the user name and password";

/** Parameters (URL query, or keywords of a keyword string) each driver understands, with what
 *  they are. Anything else is refused. */
const PG_PARAMETERS = new Set([
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
  "query_timeout",
]);
/** Passed to pg as they are. */
const PG_PASSTHROUGH = [
  "sslnegotiation",
  "options",
  "fallback_application_name",
  "client_encoding",
  "statement_timeout",
  "lock_timeout",
  "idle_in_transaction_session_timeout",
  "query_timeout",
] as const;
const MYSQL_PARAMETERS = new Set(["password", "ssl-mode", "sslmode", "ssl-ca", "ssl-cert", "ssl-key", "sslpassword"]);
/** Parameter names that carry a secret (their values are scrubbed and never shown). */
const SECRET_PARAMETERS = new Set(["password", "sslpassword"]);

/** Names other tools accept, which an error may quote: a name outside this list might be a
 *  piece of a password whose `&` or `?` was not percent-encoded, so it is never echoed. */
const KNOWN_NAMES = new Set([
  ...PG_PARAMETERS,
  ...MYSQL_PARAMETERS,
  // libpq keywords retort's drivers do not support
  "hostaddr", "passfile", "require_auth", "channel_binding", "keepalives", "keepalives_idle", "keepalives_interval",
  "keepalives_count", "tcp_user_timeout", "replication", "gssencmode", "requiressl", "sslcompression", "sslcertmode",
  "sslcrl", "sslcrldir", "sslsni", "sslkeylogfile", "requirepeer", "ssl_min_protocol_version", "ssl_max_protocol_version",
  "min_protocol_version", "max_protocol_version", "krbsrvname", "gsslib", "gssdelegation", "service",
  "target_session_attrs", "load_balance_hosts",
  // other drivers' and ORMs' parameters
  "database", "db", "binary", "encoding", "schema", "search_path", "currentschema", "connection_limit", "pool_timeout",
  "pgbouncer", "sslaccept", "sslidentity", "socket_timeout", "statement_cache_size", "ssl_mode", "ssl_ca", "ssl_cert",
  "ssl_key", "sslca", "charset", "timezone", "connecttimeout", "socket", "socketpath", "multiplestatements",
  "datestrings", "allowpublickeyretrieval", "usessl", "servertimezone", "characterencoding", "compress", "flags",
  "insecureauth", "debug", "trace", "localaddress", "supportbignumbers", "bignumberstrings",
]);

/** How a parameter is named in an error: by name when it is surely a name. */
function nameOf(name: string, index: number): string {
  return KNOWN_NAMES.has(name.toLowerCase()) ? `'${name}'` : `number ${index + 1} (a name retort does not know)`;
}

interface Setting {
  readonly name: string;
  readonly value: string;
  /** The value exactly as written, before decoding or unquoting. */
  readonly written: string;
}

/** Collects every secret seen while parsing, so a failure can still say what to scrub. */
class Secrets {
  private readonly seen = new Set<string>();
  add(value: string | null | undefined, ...written: string[]): void {
    if (!value) return;
    for (const form of secretForms(value)) this.seen.add(form);
    for (const w of written) if (w) this.seen.add(w);
  }
  list(): string[] {
    return [...this.seen].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  }
}

/** The forms a secret can take in a message: raw, percent-encoded (each way a library does it,
 *  upper and lower case hex), form-encoded, quoted for JSON, SQL and libpq. */
export function secretForms(value: string): string[] {
  const forms = new Set<string>([value]);
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

/** The WHATWG URL userinfo encoding (what `URL#password` holds and `URL#href` shows). */
function userinfoEncoded(value: string): string {
  try {
    const u = new URL("x://h");
    u.password = value;
    return u.password;
  } catch {
    return encodeURIComponent(value);
  }
}

/** Replaces every secret in `text` by `***`, longest first. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) if (s.length > 0) out = out.split(s).join("***");
  return out;
}

/** Decodes %XX escapes (UTF-8). A `%` that starts no escape, a %00 or bytes that are not UTF-8
 *  are errors naming the part and the fix; the value itself is never quoted. */
function percentDecode(raw: string, what: string, secrets: Secrets): string {
  if (!raw.includes("%")) return raw;
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < raw.length; ) {
    if (raw[i] === "%") {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) {
        throw new TargetError(
          `The database URL has a '%' in ${what} that does not start a percent-escape: write a literal '%' as %25 (and percent-encode other special characters the same way).`,
          secrets.list(),
        );
      }
      const byte = parseInt(hex, 16);
      if (byte === 0) throw new TargetError(`The database URL has %00 in ${what}: a NUL character cannot be sent to the database.`, secrets.list());
      bytes.push(byte);
      i += 3;
    } else {
      const cp = raw.codePointAt(i)!;
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

/** Describes `text`: a URL, or (PostgreSQL) a libpq keyword string; `env` gives the libpq
 *  variables a PostgreSQL target falls back to. Throws a TargetError, which never quotes a
 *  secret. */
export function describeTarget(text: string, env: LibpqEnv = {}): ConnectionTarget {
  const secrets = new Secrets();
  const trimmed = text.trim();
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(trimmed);
  const isUrl = schemeMatch !== null && (trimmed.slice(schemeMatch[0].length).startsWith("//") || schemeMatch[1]!.toLowerCase() === "pglite");
  if (!isUrl) {
    if (/^\s*[A-Za-z_][A-Za-z0-9_]*\s*=/.test(trimmed)) return keywordTarget(trimmed, env, secrets);
    // Not understood at all: it may be a password pasted into the wrong variable, so the
    // whole text is a secret and the message does not quote it.
    secrets.add(trimmed);
    secrets.add(text);
    throw new TargetError(`The database URL is not a URL or a keyword string: ${EXPECTED}.`, secrets.list());
  }
  const given = schemeMatch[1]!.toLowerCase();
  const scheme = SCHEMES[given];
  if (!scheme) {
    // The rest may hold a password: only the scheme is quoted.
    harvest(trimmed, secrets);
    throw new TargetError(
      `Unsupported database URL scheme '${/^[a-z0-9+.-]{1,20}$/.test(given) ? given : "?"}:': use postgresql:// (or postgres://), mysql:// (or mariadb://) or pglite://.`,
      secrets.list(),
    );
  }
  if (scheme === "pglite") return pgliteTarget(trimmed.slice(schemeMatch[0].length), secrets);
  try {
    return urlTarget(given, scheme, trimmed.slice(schemeMatch[0].length + 2), env, secrets);
  } catch (e) {
    if (!(e instanceof TargetError)) throw e;
    // A URL that cannot be parsed may have split its password somewhere unexpected: what
    // looks like one is a secret too.
    harvest(trimmed, secrets);
    throw new TargetError(e.message, secrets.list());
  }
}

/** Every secret `text` holds (for scrubbing and masking), also when it cannot be used. */
export function secretsOf(text: string | null | undefined, env: LibpqEnv = {}): readonly string[] {
  if (!text || text.trim() === "") return [];
  try {
    return describeTarget(text, env).secrets;
  } catch (e) {
    if (e instanceof TargetError) return e.secrets;
    return wholeTextSecrets(text);
  }
}

/** A text that failed in a way that says nothing of where its secrets are: all of it is one. */
export function wholeTextSecrets(text: string): string[] {
  const secrets = new Secrets();
  secrets.add(text);
  return secrets.list();
}

/** Best effort for text that will be refused: the userinfo password and password parameters. */
function harvest(text: string, secrets: Secrets): void {
  const rest = text.replace(/^[^:]*:\/\//, "");
  const at = rest.lastIndexOf("@");
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(":");
    if (colon >= 0) addWritten(userinfo.slice(colon + 1), secrets);
  }
  for (const m of rest.matchAll(/(?:^|[?&\s])(?:password|sslpassword)=([^&\s#]*)/gi)) addWritten(m[1]!, secrets);
}

/** A secret as written: that form, and its decoded forms; with a stray '%', the valid escapes
 *  decoded around it (what the user most likely meant). */
function addWritten(written: string, secrets: Secrets): void {
  if (written === "") return;
  let decoded: string;
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

function pgliteTarget(rest: string, secrets: Secrets): PgliteTarget {
  let path = rest.startsWith("//") ? rest.slice(2) : rest;
  const q = path.search(/[?#]/);
  if (q >= 0) {
    throw new TargetError("A pglite:// URL takes no parameters or fragment: write pglite://PATH or pglite://memory (percent-encode '?' as %3F and '#' as %23 in a path).", secrets.list());
  }
  path = percentDecode(path, "the PGlite path", secrets);
  const location = /^memory\/?$/i.test(path) ? null : path === "" ? DEFAULT_PGLITE_DIR : path;
  return { scheme: "pglite", location, display: `pglite://${location ?? "memory"}`, secrets: [] };
}

/** The parts of `scheme://[user[:password]@][host][:port][/database][?params]`. */
function urlTarget(given: string, scheme: "postgresql" | "mysql", rest: string, env: LibpqEnv, secrets: Secrets): ServerTarget {
  const end = rest.search(/[/?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const tail = end < 0 ? "" : rest.slice(end);
  const at = authority.lastIndexOf("@");
  const userinfo = at >= 0 ? authority.slice(0, at) : null;
  const hostport = at >= 0 ? authority.slice(at + 1) : authority;
  const colon = userinfo === null ? -1 : userinfo.indexOf(":");
  const writtenUser = userinfo === null ? null : colon >= 0 ? userinfo.slice(0, colon) : userinfo;
  const writtenPassword = userinfo !== null && colon >= 0 ? userinfo.slice(colon + 1) : null;
  // Password parameters are secrets before anything can fail.
  if (writtenPassword !== null) addWritten(writtenPassword, secrets);
  for (const m of tail.matchAll(/[?&](?:password|sslpassword)=([^&#]*)/gi)) addWritten(m[1]!, secrets);

  if (tail.includes("#")) {
    throw new TargetError(`The database URL has a '#' (a URL fragment, which no database driver reads): ${ENCODE_HINT}.`, secrets.list());
  }
  const qmark = tail.indexOf("?");
  const pathPart = qmark >= 0 ? tail.slice(0, qmark) : tail;
  const query = qmark >= 0 ? tail.slice(qmark + 1) : "";
  if (pathPart.includes("@")) {
    // `u:pa/ss@host` parses as host `u` and path `/ss@host`: a raw '/' or '?' in the password.
    throw new TargetError(`The database URL has an '@' after the host: ${ENCODE_HINT}.`, secrets.list());
  }

  const password = writtenPassword === null ? null : percentDecode(writtenPassword, "the password", secrets);
  const user = writtenUser === null || writtenUser === "" ? null : percentDecode(writtenUser, "the user name", secrets);
  const { host, port } = hostAndPort(hostport, secrets);
  const database = pathPart === "" || pathPart === "/" ? null : percentDecode(pathPart.slice(1), "the database name", secrets);
  const settings = query === "" ? [] : queryParameters(query, secrets);
  return serverTarget({ given, scheme, parts: { host, port, user, password, database }, settings, env, secrets, kind: "URL" });
}

/** `host[:port]` or `[v6][:port]` of a URL's authority, decoded; a comma means several hosts. */
function hostAndPort(hostport: string, secrets: Secrets): { host: string; port: number | null } {
  let hostText = hostport;
  let portText: string | null = null;
  const v6 = /^\[([^\]]*)\](?::(.*))?$/.exec(hostport);
  if (v6) {
    hostText = v6[1]!;
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

/** The `name=value` pairs after a URL's '?', decoded. */
function queryParameters(query: string, secrets: Secrets): Setting[] {
  const settings: Setting[] = [];
  const pairs = query.split("&");
  pairs.forEach((pair, index) => {
    if (pair === "") return;
    const eq = pair.indexOf("=");
    if (eq < 0 || !KNOWN_NAMES.has(pair.slice(0, eq).toLowerCase())) {
      // Likely the rest of a password whose '&' was not percent-encoded: refused below, and
      // a secret meanwhile, alone and joined to the value before it.
      const previous = index > 0 ? pairs[index - 1]!.slice(pairs[index - 1]!.indexOf("=") + 1) : null;
      addWritten(pair, secrets);
      if (previous) addWritten(`${previous}&${pair}`, secrets);
    }
    if (eq < 0) {
      throw new TargetError(
        `Query parameter number ${index + 1} of the database URL has no '=': write name=value, and ${ENCODE_HINT} ('&' as %26).`,
        secrets.list(),
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

function portNumber(text: string, where: string, secrets: Secrets): number {
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 65535)) {
    throw new TargetError(`The port ${where} in the database URL is not a number from 1 to 65535: check it, and ${ENCODE_HINT}.`, secrets.list());
  }
  return n;
}

/** libpq's `keyword = value` string: values are bare words or single-quoted, and a backslash
 *  escapes the next character in both. PostgreSQL only, as in libpq. */
function keywordTarget(text: string, env: LibpqEnv, secrets: Secrets): ServerTarget {
  // First pass: find every value, so a secret is known before any error can be raised.
  const { parsed, problem } = scanKeywords(text, secrets);
  if (problem !== null) throw new TargetError(`The database connection string is not valid: ${problem}.`, secrets.list());
  const settings: Setting[] = [];
  parsed.forEach(({ name, value, written }, index) => {
    if (name === "") throw new TargetError(`Setting number ${index + 1} of the connection string has no keyword before '='.`, secrets.list());
    settings.push({ name, value, written });
  });
  const parts: UrlParts = { host: "", port: null, user: null, password: null, database: null };
  return serverTarget({ given: "postgresql", scheme: "postgresql", parts, settings, env, secrets, kind: "connection string" });
}

interface ScannedSetting extends Setting {
  /** Where the value starts in the text. */
  readonly start: number;
}

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);

/** Every `keyword = value` of `text` up to the first problem (null: none), each value that may
 *  be a secret added to `secrets` as it is found. */
function scanKeywords(text: string, secrets: Secrets): { parsed: ScannedSetting[]; problem: string | null } {
  const parsed: ScannedSetting[] = [];
  let i = 0;
  while (i < text.length) {
    while (isSpace(text[i])) i++;
    if (i >= text.length) break;
    const start = i;
    while (i < text.length && !isSpace(text[i]) && text[i] !== "=") i++;
    const name = text.slice(start, i);
    while (isSpace(text[i])) i++;
    if (text[i] !== "=") {
      // The previous value and this word may be one password with a space in it.
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

/** The value of a single-quoted value whose text starts at `i` (after the quote), and where it
 *  ends (after the closing quote; null when there is none). */
function quotedValue(text: string, i: number): { value: string; end: number | null } {
  let value = "";
  while (i < text.length) {
    const c = text[i]!;
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

/** The value of a bare word starting at `i`, and where it ends. */
function bareValue(text: string, i: number): { value: string; end: number } {
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

interface UrlParts {
  readonly host: string;
  readonly port: number | null;
  readonly user: string | null;
  readonly password: string | null;
  readonly database: string | null;
}

/** What a server target is built from: the parts the text gave and its parameters. */
interface ServerInput {
  /** The scheme as written (postgres, mariadb, ...), for the display form. */
  readonly given: string;
  readonly scheme: "postgresql" | "mysql";
  readonly parts: UrlParts;
  readonly settings: readonly Setting[];
  readonly env: LibpqEnv;
  readonly secrets: Secrets;
  /** What the user wrote, for messages. */
  readonly kind: "URL" | "connection string";
}

/** A server target's parameters by lower-case name, with the environment behind them. */
interface Resolved {
  readonly params: ReadonlyMap<string, Setting>;
  /** A parameter's value; null when absent or empty. */
  readonly param: Param;
  /** A libpq variable (PostgreSQL only; null for MySQL). */
  readonly fromEnv: (name: keyof LibpqEnv) => string | null;
}

/** Applies the parameters (they beat the authority, as in libpq and pg), then the libpq
 *  environment (PostgreSQL only), then the defaults. */
function serverTarget(input: ServerInput): ServerTarget {
  const { scheme, parts, secrets, kind } = input;
  const pg = scheme === "postgresql";
  const params = checkedParameters(input);
  const param = (name: string): string | null => {
    const v = params.get(name)?.value;
    return v === undefined || v === "" ? null : v;
  };
  const resolved: Resolved = { params, param, fromEnv: (name) => (pg ? (input.env[name] ?? null) : null) };
  const { fromEnv } = resolved;

  const passwordSource = params.has("password") ? params.get("password")!.value : parts.password;
  const password = passwordSource !== null && passwordSource !== "" ? passwordSource : fromEnv("PGPASSWORD");
  secrets.add(password);
  const keyPassword = param("sslpassword");
  secrets.add(keyPassword);

  const address = addressOf(input, resolved);
  const { host, port } = address;
  const user = param("user") ?? parts.user ?? fromEnv("PGUSER");
  const database = param("dbname") ?? parts.database ?? fromEnv("PGDATABASE");
  const tls = pg ? pgTls(param, fromEnv("PGSSLMODE"), keyPassword, secrets) : mysqlTls(param, keyPassword, secrets);
  const settingsOut: Record<string, string> = {};
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
    secrets.list(),
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
    secrets: secrets.list(),
  };
}

/** The parameters by lower-case name; each secret one registered, any the driver does not
 *  understand an error naming it. */
function checkedParameters({ scheme, settings, secrets, kind }: ServerInput): Map<string, Setting> {
  const allowed = scheme === "postgresql" ? PG_PARAMETERS : MYSQL_PARAMETERS;
  const params = new Map<string, Setting>();
  settings.forEach((s, index) => {
    const name = s.name.toLowerCase();
    if (SECRET_PARAMETERS.has(name)) secrets.add(s.value, s.written);
    if (!allowed.has(name)) {
      const driver = scheme === "postgresql" ? "PostgreSQL" : "MySQL/MariaDB";
      const supported = [...allowed].join(", ");
      const hint =
        name === "schema" || name === "search_path" || name === "currentschema"
          ? " (for the version table's schema use --version-schema; PostgreSQL's search_path goes in options=-csearch_path%3DNAME)"
          : "";
      throw new TargetError(
        `The database ${kind} has parameter ${nameOf(s.name, index)}, which retort's ${driver} driver does not understand${hint}: remove it. Supported: ${supported}.`,
        secrets.list(),
      );
    }
    params.set(name, s);
  });
  return params;
}

/** Host and port: a parameter, else the authority, else the libpq environment, else the
 *  default. `hostGiven` and `portShown` are what the display form names. */
function addressOf({ scheme, parts, secrets, kind }: ServerInput, { param, fromEnv }: Resolved) {
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

/** connect_timeout in milliseconds, or null for retort's default. */
function connectTimeoutOf(param: Param, kind: ServerInput["kind"], secrets: Secrets): number | null {
  const timeout = param("connect_timeout");
  if (timeout === null) return null;
  const seconds = Number(timeout);
  if (!Number.isInteger(seconds) || seconds < 0) throw new TargetError(`connect_timeout in the database ${kind} is not a whole number of seconds.`, secrets.list());
  // libpq: 0 means wait forever; retort's default applies instead of hanging a CI job.
  return seconds === 0 ? null : Math.max(seconds, 2) * 1000;
}

/** `scheme://user:***@host:port/db?params`, built from the parts (never from the text), every
 *  secret parameter shown as `***`. */
function displayOf(
  scheme: string,
  p: { host: string | null; port: number | null; user: string | null; password: boolean; database: string | null },
  settings: readonly Setting[],
  params: ReadonlyMap<string, Setting>,
): string {
  const enc = (s: string) => encodeURIComponent(s);
  const userinfo = p.user !== null || p.password ? `${p.user !== null ? enc(p.user) : ""}${p.password ? ":***" : ""}@` : "";
  const host = p.host === null ? "" : p.host.includes(":") ? `[${p.host}]` : enc(p.host);
  const port = p.port !== null ? `:${p.port}` : "";
  const db = p.database !== null ? `/${enc(p.database)}` : "";
  const shown = new Set(["host", "port", "user", "password", "dbname"]);
  const query = settings
    .filter((s) => !shown.has(s.name.toLowerCase()) && params.get(s.name.toLowerCase()) === s)
    .map((s) => `${enc(s.name)}=${SECRET_PARAMETERS.has(s.name.toLowerCase()) ? "***" : enc(s.value)}`);
  return `${scheme}://${userinfo}${host}${port}${db}${query.length ? `?${query.join("&")}` : ""}`;
}

type Param = (name: string) => string | null;

/** TLS as pg 8 applies the same parameters (sslmode other than disable and no-verify verifies
 *  the certificate and host; `uselibpqcompat=true` gives libpq's meanings), plus sslpassword,
 *  which pg itself ignores, as the key's passphrase. */
function pgTls(param: Param, envMode: string | null, keyPassword: string | null, secrets: Secrets): TlsSettings | null {
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

/** TLS for MySQL/MariaDB with MySQL's ssl-mode names (mysql2 cannot fall back, so PREFERRED is
 *  refused rather than guessed). */
function mysqlTls(param: Param, keyPassword: string | null, secrets: Secrets): TlsSettings | null {
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
        secrets.list(),
      );
  }
}

/** The target as a URL with its password, for tools that need one (Alembic): libpq's syntax,
 *  every part percent-encoded, every parameter kept. Never print it. */
export function connectionUrl(target: ServerTarget): string {
  const enc = (s: string) => encodeURIComponent(s);
  const userinfo = target.user !== null || target.password !== null ? `${enc(target.user ?? "")}${target.password !== null ? `:${enc(target.password)}` : ""}@` : "";
  const socket = target.host.startsWith("/");
  const host = socket ? "" : target.host.includes(":") ? `[${target.host}]` : enc(target.host);
  const params = [...(socket ? [["host", target.host]] : []), ...Object.entries(target.parameters)].map(([k, v]) => `${enc(k!)}=${enc(v!)}`);
  return `${target.scheme}://${userinfo}${host}:${target.port}/${enc(target.database ?? "")}${params.length ? `?${params.join("&")}` : ""}`;
}

/** The TLS options both drivers hand to Node's tls.connect, reading the certificate and key
 *  files the target names; false without TLS. */
export function tlsOptions(tls: TlsSettings | null): false | ConnectionOptions {
  if (tls === null) return false;
  const read = (path: string | null, what: string): string | undefined => {
    if (path === null) return undefined;
    try {
      return readFileSync(path, "utf8");
    } catch (e) {
      const code = (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e));
      throw new RetortError("usage", `Cannot read the ${what} file '${path}' named in the database URL (${code}).`);
    }
  };
  const options: ConnectionOptions = { rejectUnauthorized: tls.verify !== "no-verify" };
  const ca = read(tls.rootCertFile, "root certificate (sslrootcert / ssl-ca)");
  const cert = read(tls.certFile, "client certificate (sslcert / ssl-cert)");
  const key = read(tls.keyFile, "client key (sslkey / ssl-key)");
  if (ca !== undefined) options.ca = ca;
  if (cert !== undefined) options.cert = cert;
  if (key !== undefined) options.key = key;
  if (tls.keyPassword !== null) options.passphrase = tls.keyPassword;
  // verify-ca: the certificate chain is checked, the host name is not (libpq's meaning).
  if (tls.verify === "verify-ca") options.checkServerIdentity = () => undefined;
  return options;
}
