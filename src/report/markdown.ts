// Putting values into GitHub-flavoured Markdown (PR comments, job summaries, GitLab notes,
// `plan --format markdown`) so that no value can change what a reviewer sees around it.
//
// Every value that comes from a revision file, the database, the CI environment or the user
// goes into a code span (Markdown) or a <code> element (HTML). A code span is the one Markdown
// context that is taken literally by every renderer: no emphasis, links, autolinks, entities,
// HTML, emoji or @mentions (GitHub and GitLab skip code when they link references). What can
// still break out of one is handled here: line endings (a value must stay on its line: a table
// row or a list item is one line), backtick runs (the fence is longer), and in a table cell the
// `|`, which GFM splits cells on even inside code spans. Characters a reader cannot see but a
// browser acts on (bidirectional overrides that reorder the text around them, zero-width
// characters, terminal escapes, NUL, which GitHub's API refuses) are shown as what they are,
// in values and in the quoted SQL alike.

/** CommonMark's line endings: \n, \r\n and a lone \r. */
const LINE_ENDING = /\r\n|\r|\n/g;

/** Control characters other than tab and line endings, and invisible format characters
 *  (bidirectional controls, zero-width characters, the line and paragraph separators). */
const INVISIBLE = /(?![\t\n\r])[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** `text` with each invisible character written as [U+XXXX], which reads the same in every
 *  font (control pictures such as ␛ are missing from many). */
export function visible(text: string): string {
  return text.replace(INVISIBLE, (c) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}]`);
}

/** A code span showing `text` literally on one line; "" for an empty value (an empty code span
 *  is not one: it would show its backticks). Line endings become spaces. Not for table cells:
 *  see `cellCode`. */
export function code(text: string): string {
  const oneLine = visible(text.replace(LINE_ENDING, " "));
  if (oneLine === "") return "";
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = "`".repeat(longest + 1);
  // A span that starts or ends with a backtick needs a space inside its fence; a span of only
  // spaces keeps them (CommonMark strips one space from each side only when there is text).
  const pad = oneLine.startsWith("`") || oneLine.endsWith("`") || (oneLine.startsWith(" ") && oneLine.endsWith(" ") && oneLine.trim() !== "") ? " " : "";
  return `${ticks}${pad}${oneLine}${pad}${ticks}`;
}

/** `code(text)` for a GFM table cell. GFM splits a row on every `|` that is not escaped as
 *  `\|`, inside code spans too, and renderers disagree on `\\|` (cmark-gfm, which GitHub uses,
 *  takes it as an escaped pipe; marked as a backslash and a cell break). So no `|` is ever put
 *  inside a span: the value is cut at each `|` into spans joined by `\|` outside them, where a
 *  backtick, never a backslash, stands before the escape. */
export function cellCode(text: string): string {
  return text
    .replace(LINE_ENDING, " ")
    .split("|")
    .map(code)
    .join("\\|");
}

/** Text for HTML element content or a double- or single-quoted attribute value. */
export function html(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** A <code> element for an HTML context (a <summary>), on one line; "" for an empty value.
 *  The content of an HTML block is not Markdown, so HTML escaping is all it needs. */
export function htmlCode(text: string): string {
  const oneLine = visible(text.replace(LINE_ENDING, " "));
  return oneLine === "" ? "" : `<code>${html(oneLine)}</code>`;
}

/** retort's own prose with values in it (the offline note, the footer): every ASCII punctuation
 *  character backslash-escaped (CommonMark allows it before any of them and shows the character
 *  itself), `<` and `&` included, so no emphasis, link, HTML or URL autolink; one line. */
export function prose(text: string): string {
  return visible(text.replace(LINE_ENDING, " ")).replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

/** A fenced code block that no run of backticks inside `text` can close. */
export function fenced(sql: string, info: string): string {
  const text = visible(sql);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text.trimEnd()}\n${fence}`;
}
