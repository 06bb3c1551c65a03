// GitHub-flavoured Markdown rendered to HTML by a real renderer (marked, GFM on), and that HTML
// read back into a small tree, so tests can check what a reviewer would see: how many cells a
// row has, what each says, which elements exist. marked escapes every character of text it
// emits, so each `<` in its output is an element (or a comment) that the Markdown produced.

import { marked } from "marked";

export function renderGfm(markdown: string): string {
  return marked.parse(markdown, { gfm: true, async: false });
}

export interface Element {
  readonly tag: string;
  readonly attributes: Record<string, string>;
  readonly children: Node[];
}
export type Node = Element | { readonly text: string } | { readonly comment: string };

const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]);

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return String.fromCodePoint(code);
    }
    const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };
    return named[name.toLowerCase()] ?? all;
  });
}

/** A lenient HTML reader: elements, text and comments; an unmatched end tag closes up to its
 *  element when one is open, and is dropped otherwise, as browsers do. */
export function parseHtml(html: string): Element {
  const root: Element = { tag: "#root", attributes: {}, children: [] };
  const stack: Element[] = [root];
  const token = /<!--([\s\S]*?)-->|<\/([a-zA-Z][\w-]*)\s*>|<([a-zA-Z][\w-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>|([^<]+)|(<)/g;
  for (const m of html.matchAll(token)) {
    const top = stack[stack.length - 1]!;
    if (m[1] !== undefined) top.children.push({ comment: m[1] });
    else if (m[2] !== undefined) {
      const tag = m[2].toLowerCase();
      const at = stack.map((e) => e.tag).lastIndexOf(tag);
      if (at > 0) stack.length = at;
    } else if (m[3] !== undefined) {
      const attributes: Record<string, string> = {};
      for (const a of m[4]!.matchAll(/([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
        attributes[a[1]!.toLowerCase()] = decodeEntities(a[2] ?? a[3] ?? a[4] ?? "");
      }
      const element: Element = { tag: m[3].toLowerCase(), attributes, children: [] };
      top.children.push(element);
      if (!VOID.has(element.tag)) stack.push(element);
    } else {
      top.children.push({ text: decodeEntities(m[5] ?? m[6]!) });
    }
  }
  return root;
}

export const isElement = (n: Node): n is Element => "tag" in n;

export function all(root: Element, tag?: string): Element[] {
  const out: Element[] = [];
  const walk = (e: Element) => {
    for (const c of e.children) {
      if (!isElement(c)) continue;
      if (tag === undefined || c.tag === tag) out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

export function comments(root: Element): string[] {
  const out: string[] = [];
  const walk = (e: Element) => {
    for (const c of e.children) {
      if ("comment" in c) out.push(c.comment);
      else if (isElement(c)) walk(c);
    }
  };
  walk(root);
  return out;
}

/** The text a reader sees in `e` (no trimming). */
export function textOf(e: Element): string {
  return e.children.map((c) => ("text" in c ? c.text : isElement(c) ? textOf(c) : "")).join("");
}

export function children(e: Element, tag: string): Element[] {
  return e.children.filter((c): c is Element => isElement(c) && c.tag === tag);
}
