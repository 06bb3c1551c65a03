import { createHash } from "node:crypto";
import { checksumInput, formatChecksum } from "../core/checksum.js";

/** `v1:<sha256 hex>` of a section's SQL. */
export function checksum(sql: string): string {
  return formatChecksum(createHash("sha256").update(checksumInput(sql), "utf8").digest("hex"));
}
