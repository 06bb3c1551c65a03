// References instead of literals, resolved without Python. neutron writes
// `branch_labels = (cli.EXPAND_BRANCH,)` with `from neutron.db.migration import cli`, others
// `down_revision = BASE` with `BASE = 'a1b2'` a few lines up. A reference is resolved when it is:
//   - a name bound at module level of the same file, before the statement that uses it, by a plain
//     assignment (`NAME = <literal or reference>`), the last such binding winning as in Python;
//   - `module.NAME` / `pkg.module.NAME` where `import pkg.module [as module]` or
//     `from pkg import module` bound it, or `NAME` bound by `from pkg.module import NAME [as X]`,
//     when the module is a `.py` file of the project (`pkg/module.py` or
//     `pkg/module/__init__.py` under a search root, below) whose module level assigns NAME
//     a literal (or a reference resolved the same way).
// Search roots, in Python's order of sys.path as Alembic runs: `prepend_sys_path` of the ini
// (taken from the ini's folder), the ini's folder (the current directory Alembic runs in), the
// script location (which env.py files often put on sys.path), then the folders above the script location up to the project's root (the first holding `.git`,
// `pyproject.toml`, `setup.py` or `setup.cfg`, wherever retort runs from; without one, up to the
// current directory when it is above the script location): where the project's
// own package is, as neutron's `neutron/db/migration/alembic.ini` finds `neutron`. A module file
// must stay inside the root it was found under (a symbolic link out is not followed).
//
// Anything else (a call, an f-string, a name bound inside an `if`, a `def`, an `import *`, a
// module that is not a file of the project) is undecidable: the caller asks Alembic itself.

import { existsSync, realpathSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { literal, logicalLines, type LogicalLine, type Token, type Value } from "./python-literal.js";
import { readUtf8 } from "./text.js";
import { isWithin } from "./paths.js";

/** How a module-level name was last bound. */
type Binding = BindingKind & {
  readonly line: number;
  /** Where in the source the binding takes effect (the end of its statement). */
  readonly at: number;
};
type BindingKind =
  | { readonly kind: "value"; readonly tokens: readonly Token[] }
  /** `import a.b.c` binds `a` to module `a`; `import a.b as x` binds x to `a.b`. */
  | { readonly kind: "module"; readonly module: string }
  /** `from m import n [as x]`: module `m.n`, or attribute `n` of module `m`. */
  | { readonly kind: "from"; readonly module: string; readonly name: string }
  /** Bound in a way retort cannot follow (a block, a def, an unpacking, `import *`...). */
  | { readonly kind: "unknown" };

/** The module-level bindings of one file, each name's in source order. */
export interface ModuleBindings {
  readonly names: ReadonlyMap<string, readonly Binding[]>;
  /** Where each `from m import *` is (any later name may come from there). */
  readonly stars: readonly { readonly line: number; readonly at: number }[];
}

const AUGMENTED = new Set(["+=", "-=", "*=", "/=", "//=", "%=", "**=", ">>=", "<<=", "&=", "^=", "|=", "@="]);
const COMPOUND = new Set(["if", "elif", "else", "for", "while", "try", "except", "finally", "with", "async", "match", "case"]);
const MAX_DEPTH = 12;
/** Modules of constants are a few kilobytes (neutron's cli.py: 30 KB); a larger file is not
 *  read (a pull request's 50 MB module would take the static reader seconds and gigabytes). */
const MAX_MODULE_BYTES = 1024 * 1024;
/** Python's keywords that may stand before a '(' without calling anything. */
const KEYWORDS = new Set(["and", "or", "not", "in", "is", "if", "else", "lambda", "await", "yield", "return", "assert", "del", "for", "from", "import", "as"]);

const isOp = (t: Token | undefined, text: string): boolean => t?.kind === "op" && t.text === text;

/** The module-level bindings of `lines` (from logicalLines). */
export function moduleBindings(lines: readonly LogicalLine[]): ModuleBindings {
  const names = new Map<string, Binding[]>();
  const stars: { line: number; at: number }[] = [];
  const bind = (name: string, b: Binding) => {
    const list = names.get(name);
    if (list) list.push(b);
    else names.set(name, [b]);
  };
  const blocks: { indent: number; def: boolean }[] = [];
  for (const logical of lines) {
    while (blocks.length > 0 && blocks[blocks.length - 1]!.indent >= logical.indent) blocks.pop();
    const tokens = logical.tokens;
    const first = tokens[0]!;
    const keyword = first.kind === "name" ? first.text : first.text === "@" ? "@" : "";
    const isDef = keyword === "def" || keyword === "class" || keyword === "@" || (keyword === "async" && tokens[1]?.text === "def");
    const opensBlock = isOp(tokens[tokens.length - 1], ":") && (isDef || COMPOUND.has(keyword));
    const inDef = blocks.some((b) => b.def);
    if (!inDef) {
      if (isDef) {
        const name = tokens.find((t, i) => i > 0 && t.kind === "name" && ["def", "class"].includes(tokens[i - 1]!.text));
        if (name) bind(name.text, { line: logical.line, at: name.end, kind: "unknown" });
      } else {
        for (const statement of splitStatements(tokens)) {
          if (blocks.length > 0 || COMPOUND.has(keyword)) bindUnknown(statement, bind);
          else bindStatement(statement, bind, stars);
        }
      }
    }
    if (opensBlock) blocks.push({ indent: logical.indent, def: isDef });
  }
  return { names, stars };
}

function splitStatements(tokens: readonly Token[]): Token[][] {
  const out: Token[][] = [[]];
  for (const t of tokens) {
    if (isOp(t, ";") && t.depth === 0) out.push([]);
    else out[out.length - 1]!.push(t);
  }
  return out.filter((s) => s.length > 0);
}

/** Every name `statement` may bind, as unknown bindings (inside a block, or a form retort does
 *  not follow). */
function bindUnknown(statement: readonly Token[], bind: (name: string, b: Binding) => void): void {
  const importing = statement[0]?.text === "import" || statement[0]?.text === "from";
  const afterImport = statement.findIndex((t) => t.text === "import");
  statement.forEach((t, i) => {
    if (t.kind !== "name") return;
    const prev = statement[i - 1];
    const next = statement[i + 1];
    if (prev?.text === ".") return;
    const binds =
      (next?.kind === "op" && (next.text === "=" || next.text === ":=" || AUGMENTED.has(next.text) || (next.text === "," && t.depth === 0))) ||
      (next?.kind === "op" && next.text === ":" && i === 0) ||
      (prev?.kind === "name" && (prev.text === "as" || prev.text === "for")) ||
      (importing && afterImport >= 0 && i > afterImport && t.text !== "as");
    if (binds) bind(t.text, { line: t.line, at: t.end, kind: "unknown" });
  });
}

/** A module-level statement: plain assignments and imports are followed, anything else that
 *  binds a name makes it unknown. */
function bindStatement(statement: readonly Token[], bind: (name: string, b: Binding) => void, stars: { line: number; at: number }[]): void {
  const line = statement[0]!.line;
  const at = statement[statement.length - 1]!.end;
  if (statement[0]!.text === "import" && statement[0]!.kind === "name") return bindImport(statement, bind);
  if (statement[0]!.text === "from" && statement[0]!.kind === "name") return bindFrom(statement, bind, stars);
  const equals = statement.flatMap((t, i) => (isOp(t, "=") && t.depth === 0 ? [i] : []));
  const simpleTarget = (target: readonly Token[]) =>
    target.length === 1 && target[0]!.kind === "name" ? target[0]!.text : target.length >= 2 && target[0]!.kind === "name" && isOp(target[1], ":") && equals.length === 1 ? target[0]!.text : null;
  if (equals.length === 0) return bindUnknown(statement, bind);
  const value = statement.slice(equals[equals.length - 1]! + 1);
  let start = 0;
  for (const end of equals) {
    const target = statement.slice(start, end);
    start = end + 1;
    const name = simpleTarget(target);
    if (name !== null && value.length > 0) bind(name, { line, at, kind: "value", tokens: value });
    else {
      // Unpacking (`a, (b, c) = ...`, `*rest`) binds every plain name of the target; an
      // attribute or subscript (`x.y = `, `d[k] = `) binds none.
      target.forEach((t, i) => {
        if (t.kind === "name" && !isOp(target[i - 1], ".") && ![".", "[", "("].includes(target[i + 1]?.text ?? "")) bind(t.text, { line, at, kind: "unknown" });
      });
    }
  }
  // A walrus inside the value binds too.
  bindUnknown(value.filter((t, i) => isOp(value[i + 1], ":=") || isOp(t, ":=")), bind);
}

/** The dotted name starting at `i`: its text and the index after it. */
function dotted(tokens: readonly Token[], i: number): { name: string; next: number } | null {
  if (tokens[i]?.kind !== "name") return null;
  let name = tokens[i]!.text;
  let j = i + 1;
  while (isOp(tokens[j], ".") && tokens[j + 1]?.kind === "name") {
    name += `.${tokens[j + 1]!.text}`;
    j += 2;
  }
  return { name, next: j };
}

function bindImport(statement: readonly Token[], bind: (name: string, b: Binding) => void): void {
  const line = statement[0]!.line;
  const at = statement[statement.length - 1]!.end;
  let i = 1;
  while (i < statement.length) {
    const d = dotted(statement, i);
    if (!d) return bindUnknown(statement, bind);
    i = d.next;
    if (statement[i]?.text === "as" && statement[i + 1]?.kind === "name") {
      bind(statement[i + 1]!.text, { line, at, kind: "module", module: d.name });
      i += 2;
    } else {
      const top = d.name.split(".")[0]!;
      bind(top, { line, at, kind: "module", module: top });
    }
    if (isOp(statement[i], ",")) i++;
    else break;
  }
}

function bindFrom(statement: readonly Token[], bind: (name: string, b: Binding) => void, stars: { line: number; at: number }[]): void {
  const line = statement[0]!.line;
  const at = statement[statement.length - 1]!.end;
  const d = dotted(statement, 1);
  const importAt = statement.findIndex((t) => t.kind === "name" && t.text === "import");
  // Relative imports (`from . import x`) have no package in a revision file: not followed.
  if (!d || importAt !== d.next) return bindUnknown(statement, bind);
  const names = statement.slice(importAt + 1).filter((t) => !isOp(t, "(") && !isOp(t, ")"));
  if (names.some((t) => isOp(t, "*"))) {
    stars.push({ line, at });
    return;
  }
  for (let i = 0; i < names.length; i++) {
    const t = names[i]!;
    if (t.kind !== "name") continue;
    if (names[i + 1]?.text === "as" && names[i + 2]?.kind === "name") {
      bind(names[i + 2]!.text, { line, at, kind: "from", module: d.name, name: t.text });
      i += 2;
    } else {
      bind(t.text, { line, at, kind: "from", module: d.name, name: t.text });
    }
  }
}

const PROJECT_MARKERS = ["pyproject.toml", "setup.py", "setup.cfg", ".git"];

/** The folders above `scriptLocation`, nearest first, up to the project's root: the first
 *  holding a project marker, wherever the current directory is (alembic is usually run from
 *  the ini's folder, below the root). Without a marker, up to the current directory when it is
 *  one of them; else none. */
function projectAncestors(scriptLocation: string, cwd: string): string[] {
  const ancestors: string[] = [];
  let upToCwd: string[] | null = null;
  for (let dir = dirname(scriptLocation); ; dir = dirname(dir)) {
    ancestors.push(dir);
    if (PROJECT_MARKERS.some((m) => existsSync(join(dir, m)))) return ancestors;
    if (upToCwd === null && dir === resolve(cwd)) upToCwd = [...ancestors];
    if (dirname(dir) === dir) return upToCwd ?? [];
  }
}

/** Why a reference could not be resolved (for the note naming it). */
export class Undecidable extends Error {}

/** Resolves references for one project: finds module files and reads their bindings once. */
export class ModuleResolver {
  private readonly roots: readonly string[];
  private readonly cache = new Map<string, ModuleBindings | null>();

  constructor(roots: readonly string[]) {
    this.roots = roots;
  }

  /** The search roots of an Alembic project (see the top of this file). */
  static forProject(
    project: { readonly iniPath: string | null; readonly scriptLocation: string; readonly root: string; readonly prependSysPath?: readonly string[] },
    cwd = process.cwd(),
  ): ModuleResolver {
    const roots: string[] = [];
    const add = (dir: string) => {
      if (!roots.includes(dir)) roots.push(dir);
    };
    const base = project.iniPath ? dirname(project.iniPath) : project.root;
    for (const entry of project.prependSysPath ?? []) add(resolve(base, entry));
    add(base);
    // env.py often puts its own folder on sys.path before the revisions load.
    add(project.scriptLocation);
    for (const dir of projectAncestors(project.scriptLocation, cwd)) add(dir);
    return new ModuleResolver(roots);
  }

  /** The value `tokens` (a statement's value, in the module whose `bindings` are given) spell,
   *  references resolved as they stand where `tokens` are; throws Undecidable naming what could
   *  not be. */
  valueOf(tokens: readonly Token[], bindings: ModuleBindings, depth = 0): Value {
    const at = tokens[0]?.start ?? 0;
    if (depth > MAX_DEPTH) throw new Undecidable("references nest too deep");
    let why: string | null = null;
    const v = literal(tokens, (ref) => {
      try {
        return this.reference(ref, bindings, at, depth);
      } catch (e) {
        if (!(e instanceof Undecidable)) throw e;
        why ??= e.message;
        return null;
      }
    });
    if (v === null) throw new Undecidable(why ?? whatItIs(tokens));
    return v;
  }

  /** A dotted reference (`NAME`, `mod.NAME`, `pkg.mod.NAME`) used at offset `at`. */
  private reference(parts: readonly string[], bindings: ModuleBindings, at: number, depth: number): Value {
    // Modules may import each other's names in a circle.
    if (depth > MAX_DEPTH) throw new Undecidable("references nest too deep (or import each other in a circle)");
    const [head, ...rest] = parts;
    const binding = [...(bindings.names.get(head!) ?? [])].reverse().find((b) => b.at <= at);
    const text = parts.join(".");
    if (!binding || bindings.stars.some((s) => s.at > binding.at && s.at <= at)) {
      throw new Undecidable(binding ? `'${head}' may come from an 'import *'` : `'${head}' is not assigned at module level before it is used`);
    }
    switch (binding.kind) {
      case "unknown":
        throw new Undecidable(`'${head}' is bound in a way retort does not follow (line ${binding.line})`);
      case "value":
        if (rest.length > 0) throw new Undecidable(`'${text}' is an attribute of a value`);
        return this.valueOf(binding.tokens, bindings, depth + 1);
      case "module":
        return this.inModule(binding.module, rest, text, depth);
      case "from":
        // `from pkg import mod` then `mod.NAME`, or `from pkg.mod import NAME`.
        if (rest.length > 0 || this.file(`${binding.module}.${binding.name}`) !== null) return this.inModule(`${binding.module}.${binding.name}`, rest, text, depth);
        return this.inModule(binding.module, [binding.name], text, depth);
    }
  }

  /** Attribute `rest` (submodules, then a name) of module `module`. */
  private inModule(module: string, rest: readonly string[], text: string, depth: number): Value {
    if (rest.length === 0) throw new Undecidable(`'${text}' is a module, not a string`);
    // The longest prefix that is a module file: `a.b.c.NAME` may be module a.b.c's NAME.
    for (let cut = rest.length - 1; cut >= 0; cut--) {
      const name = [module, ...rest.slice(0, cut)].join(".");
      const bindings = this.bindingsOf(name);
      if (bindings === null) continue;
      const attr = rest.slice(cut);
      if (attr.length > 1) throw new Undecidable(`'${text}' is an attribute of a value in module '${name}'`);
      return this.reference(attr, bindings, Number.MAX_SAFE_INTEGER, depth + 1);
    }
    throw new Undecidable(`module '${module}' is not a .py file of the project (looked in ${this.roots.join(", ")})`);
  }

  /** The file of module `name` under a search root, or null. */
  file(name: string): string | null {
    if (!/^[\p{L}_][\p{L}\p{N}_]*(\.[\p{L}_][\p{L}\p{N}_]*)*$/u.test(name)) return null;
    const parts = name.split(".");
    for (const root of this.roots) {
      for (const candidate of [join(root, ...parts) + ".py", join(root, ...parts, "__init__.py")]) {
        try {
          if (!statSync(candidate).isFile()) continue;
          const real = realpathSync(candidate);
          if (!isWithin(realpathSync(root), real)) continue;
          return real;
        } catch {
          // not there
        }
      }
    }
    return null;
  }

  private bindingsOf(name: string): ModuleBindings | null {
    if (this.cache.has(name)) return this.cache.get(name)!;
    const file = this.file(name);
    let bindings: ModuleBindings | null = null;
    if (file !== null) {
      const size = statSync(file).size;
      if (size > MAX_MODULE_BYTES) {
        throw new Undecidable(`${file} is ${(size / 1024 / 1024).toFixed(1)} MB, more than retort reads of a module for a reference (${MAX_MODULE_BYTES / 1024 / 1024} MB)`);
      }
      try {
        const fail = (line: number, message: string): never => {
          throw new Undecidable(`${file}:${line}: ${message}`);
        };
        const text = readUtf8(file, (line, message) => new Undecidable(`${file}:${line}: ${message}`)).replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
        bindings = moduleBindings(logicalLines(text, fail));
      } catch (e) {
        if (!(e instanceof Undecidable)) throw e;
        bindings = null;
      }
    }
    this.cache.set(name, bindings);
    return bindings;
  }
}

/** Why an expression is no literal, in a few words. */
function whatItIs(tokens: readonly Token[]): string {
  const callee = (t: Token | undefined) => (t?.kind === "name" && !KEYWORDS.has(t.text)) || isOp(t, ")") || isOp(t, "]");
  if (tokens.some((t, i) => isOp(t, "(") && callee(tokens[i - 1]))) return "it calls a function";
  if (tokens.some((t) => t.kind === "string" && t.value === undefined)) return "it is an f-string";
  if (tokens.some((t) => t.kind === "string" && t.prefix!.includes("b"))) return "it is a bytes literal";
  if (tokens.some((t) => (t.kind === "op" && !["(", ")", "[", "]", ",", "."].includes(t.text)) || (t.kind === "name" && KEYWORDS.has(t.text)))) return "it computes a value";
  return "it is not a literal";
}

