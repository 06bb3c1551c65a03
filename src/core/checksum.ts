// Checksums of revision SQL, versioned so a later algorithm never invalidates history:
// `v1:` + sha256 of the section text with line endings normalised to \n. The hash itself is
// computed by the caller's sha256 function (the core does no I/O and carries no crypto).

export const CHECKSUM_VERSION = "v1";

/** The text that is hashed: line endings normalised, nothing else changed. */
export function checksumInput(sql: string): string {
  return sql.replace(/\r\n?/g, "\n");
}

export function formatChecksum(hexDigest: string): string {
  return `${CHECKSUM_VERSION}:${hexDigest}`;
}
