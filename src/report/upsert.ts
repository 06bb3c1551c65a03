// One plan comment per pull or merge request and marker, for every host: found again among all
// the request's comments, updated in place, created only when there is something to say, and
// only comments written by the account retort writes as are ever touched. The hosts (GitHub:
// github-comment.ts, GitLab: gitlab-note.ts) are small adapters to this one algorithm.

import { RetortError } from "../core/errors.js";
import { carriesMarker } from "./comment.js";

export type UpsertResult = {
  action: "created" | "updated" | "unchanged" | "not-created" | "forbidden";
  url: string | null;
  message?: string;
};

/** A comment as the host lists it. */
export interface HostComment {
  /** Grows with time on both hosts: the lowest id is the oldest comment. */
  readonly id: number;
  readonly body: string;
  /** Its web address, or null when the host gives none. */
  readonly url: string | null;
}

/** How a host answered a write. "no-permission": the token may not write there (401, 403).
 *  "gone": what was written to is not there any more (404, 410: a comment deleted since it was
 *  listed, or a request this token cannot see). Any other failure is thrown, a RetortError. */
export type WriteAnswer =
  | { readonly kind: "written"; readonly url: string | null }
  | { readonly kind: "no-permission" | "gone"; readonly message: string };

/** What the algorithm needs of a host. */
export interface CommentHost<C extends HostComment> {
  /** The request, for messages: "o/r#7", "merge request !7 of project 42". */
  readonly where: string;
  /** What the host calls a comment: "comment", "note". */
  readonly noun: string;
  /** Who retort writes as, asked once before listing: a test of whether a comment's author is
   *  that account (never a test of its body; `upsert` checks the marker). */
  author(): Promise<(comment: C) => boolean>;
  /** The request's comments, a page at a time, in any order; `upsert` bounds the pages. */
  pages(): AsyncIterable<readonly C[]>;
  create(body: string): Promise<WriteAnswer>;
  update(comment: C, body: string): Promise<WriteAnswer>;
}

/** 100 comments a page: a request with more than 100,000 comments is not one we keep looking
 *  through (a next page that never ends would page forever). */
export const MAX_COMMENT_PAGES = 1000;

/** Looking for retort's comment stopped at the page bound: nothing was written. */
export class TooManyPagesError extends RetortError {
  constructor(where: string, noun: string, pages: number) {
    super(
      "connection",
      `More than ${pages} pages of ${noun}s on ${where}; retort stopped looking for its ${noun} and wrote none (a new one could duplicate it).`,
    );
    this.name = "TooManyPagesError";
  }
}

const normalize = (body: string) => body.replace(/\r\n/g, "\n");

/** Our comment carrying `marker` (its first line, see carriesMarker), the oldest when several
 *  do: every page is read, so the same one is found whatever order the host lists them in. */
async function findOurs<C extends HostComment>(host: CommentHost<C>, marker: string, maxPages: number): Promise<C | undefined> {
  const ours = await host.author();
  let found: C | undefined;
  let pages = 0;
  for await (const page of host.pages()) {
    if (++pages > maxPages) throw new TooManyPagesError(host.where, host.noun, maxPages);
    for (const c of page) if (carriesMarker(c.body, marker) && ours(c) && (found === undefined || c.id < found.id)) found = c;
  }
  return found;
}

/**
 * Create or update retort's comment carrying `marker`. When several of ours carry it, the
 * oldest is kept up to date. A write the host refuses for want of permission answers
 * "forbidden" (a warning for the front ends) instead of throwing; a comment gone since it was
 * listed is as if there had been none (created when `createIfMissing`); a request that is gone
 * answers "forbidden" too. Any other failure throws a RetortError.
 */
export async function upsert<C extends HostComment>(
  host: CommentHost<C>,
  marker: string,
  body: string,
  options: { createIfMissing: boolean; maxPages?: number },
): Promise<UpsertResult> {
  const ours = await findOurs(host, marker, options.maxPages ?? MAX_COMMENT_PAGES);
  if (ours !== undefined) {
    if (normalize(ours.body) === normalize(body)) return { action: "unchanged", url: ours.url };
    const answer = await host.update(ours, body);
    if (answer.kind === "written") return { action: "updated", url: answer.url };
    if (answer.kind === "no-permission") return { action: "forbidden", url: null, message: answer.message };
  }
  if (!options.createIfMissing) return { action: "not-created", url: null };
  const answer = await host.create(body);
  if (answer.kind === "written") return { action: "created", url: answer.url };
  return { action: "forbidden", url: null, message: answer.message };
}
