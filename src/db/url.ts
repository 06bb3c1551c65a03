// Database URLs: which driver, and how to show one without its password.

import { RetortError } from "../core/errors.js";

export type Scheme = "postgresql" | "mysql" | "pglite";

const SCHEMES: Record<string, Scheme> = {
  "postgres:": "postgresql",
  "postgresql:": "postgresql",
  "mysql:": "mysql",
  "mariadb:": "mysql",
  "pglite:": "pglite",
};

/** The embedded database used when no URL is given. */
export const DEFAULT_PGLITE_DIR = ".retort/pglite";

export function parseDatabaseUrl(text: string): { url: URL; scheme: Scheme } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RetortError(
      "usage",
      `Invalid database URL '${redactText(text)}': expected postgresql://USER:PASSWORD@HOST:PORT/DB, ` +
        `mysql://USER:PASSWORD@HOST:PORT/DB or pglite://PATH (set --database-url, RETORT_DATABASE_URL or DATABASE_URL).`,
    );
  }
  const scheme = SCHEMES[url.protocol];
  if (!scheme) {
    throw new RetortError(
      "usage",
      `Unsupported database URL scheme '${url.protocol}' in '${redact(url)}': use postgresql://, mysql:// (or mariadb://) or pglite://.`,
    );
  }
  return { url, scheme };
}

/** The URL with its password replaced by `***`. */
export function redact(url: URL): string {
  if (url.password === "") return url.href;
  const copy = new URL(url.href);
  copy.password = "***";
  return copy.href;
}

/** Best effort for text that is not even a URL: hide whatever sits between `:` and `@`. */
export function redactText(text: string): string {
  return text.replace(/(\/\/[^:/@]*:)[^@]*@/, "$1***@");
}

/** host:port as errors name it. */
export function hostPort(url: URL, defaultPort: number): string {
  return `${url.hostname || "localhost"}:${url.port || defaultPort}`;
}

/** Removes every form of the password from a message (plain and URL-encoded). */
export function scrub(message: string, url: URL | null): string {
  if (!url || url.password === "") return message;
  let out = message;
  const forms = new Set([url.password, decodeURIComponent(url.password)]);
  for (const f of forms) if (f.length > 0) out = out.split(f).join("***");
  return out;
}
