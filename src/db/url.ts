// What callers outside src/db use to keep secrets out of text they print. The connection target
// (target.ts) is the one place that knows where a secret can hide; this is its small face.

import { scrubSecrets, secretsOf } from "./target.js";

export { DEFAULT_PGLITE_DIR, scrubSecrets, secretsOf, type Scheme } from "./target.js";

/** Removes every form of every secret `url` holds (password, sslpassword, ...) from a message.
 *  Prefer `scrubSecrets(message, target.secrets)` where the connection target is at hand. */
export function scrub(message: string, url: URL | string | null): string {
  if (!url) return message;
  return scrubSecrets(message, secretsOf(typeof url === "string" ? url : url.href));
}
