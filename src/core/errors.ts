// One error family for everything a user can cause. Only front ends print errors or exit;
// everything below them throws a RetortError whose message names the bad value and the fix.

/** What kind of failure this is; front ends map it to an exit code. */
export type ErrorCode =
  | "usage" // bad command line or option value
  | "revision-file" // a revision file cannot be read
  | "graph" // the revisions do not form a valid graph (duplicates, missing parents, cycles)
  | "resolution" // a target names no revision, or several
  | "multiple-heads" // `head` (or a new revision) is ambiguous
  | "range" // a plan is impossible from the current state
  | "irreversible" // a downgrade would cross a revision without downgrade SQL
  | "connection" // the database cannot be reached, or refuses us
  | "state" // the database's version table does not match the migrations directory
  | "lock-timeout" // another deploy holds the lock
  | "migration-failed" // a revision's SQL failed
  | "bookkeeping" // one of retort's own statements on its tables failed (privileges, the tables' shape)
  | "check-failed"; // `check` found pending revisions, several heads or drift

/** Failures of the run itself (exit 1), as opposed to bad input (exit 2). */
export const RUN_FAILURES: ReadonlySet<ErrorCode> = new Set(["connection", "state", "lock-timeout", "migration-failed", "bookkeeping", "check-failed"]);

/** A place in a revision file, for annotations. */
export interface FileLocation {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
}

export class RetortError extends Error {
  readonly code: ErrorCode;
  readonly location: FileLocation | null;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; location?: FileLocation }) {
    super(message, options);
    this.name = "RetortError";
    this.code = code;
    this.location = options?.location ?? null;
  }
}

/** A problem inside one revision file, with the place to fix it. */
export class RevisionFileError extends RetortError {
  readonly file: string;
  readonly line: number;

  constructor(file: string, line: number, message: string) {
    super("revision-file", `${file}:${line}: ${message}`, { location: { file, line } });
    this.name = "RevisionFileError";
    this.file = file;
    this.line = line;
  }
}
