// How CI logs find commands in a step's output, modelled from their sources and made stricter
// where they are loose, so a test that finds nothing here has found nothing the runner would:
//
// - GitHub's runner (ActionCommand.TryParseV2 / TryParse, ActionCommandManager): lines split at
//   \n, \r and \r\n; `::` opening a line after leading white space, or `##[` anywhere; names are
//   case-insensitive; `stop-commands` with data T ignores everything until the command `T`. Its
//   comparisons are culture-aware and skip ignorable characters, so this model deletes every
//   control, format and default-ignorable character before it looks, and counts any `::`
//   opening a line as a command (the runner needs a registered name and a second `::`).
// - Azure Pipelines: `##vso[` anywhere in a line. TeamCity: `##teamcity[` anywhere.
// - Buildkite: `---`, `+++`, `~~~` or `^^^` and white space opening a line (its log groups),
//   after any leading white space (stricter than the agent, which wants them first).

export type CiLog = "github" | "azure" | "teamcity" | "buildkite";

export interface FoundCommand {
  readonly line: number;
  readonly text: string;
}

// eslint-disable-next-line no-control-regex -- what the runner's comparisons skip
const IGNORED = /[\0-\x08\x0B-\x1F\x7F-\x9F\u2028\u2029\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/** The commands `ci` would run from `output`. */
export function commandsIn(output: string, ci: CiLog = "github"): FoundCommand[] {
  const found: FoundCommand[] = [];
  let stopped: string | null = null;
  output.split(/\r\n|\r|\n/).forEach((raw, line) => {
    const text = raw.replace(IGNORED, "");
    if (ci === "azure") {
      if (/##vso\[/i.test(text)) found.push({ line, text: raw });
      return;
    }
    if (ci === "buildkite") {
      if (/^\s*(---|\+\+\+|~~~|\^\^\^)\s/.test(text)) found.push({ line, text: raw });
      return;
    }
    if (ci === "teamcity") {
      if (/##teamcity\[/i.test(text)) found.push({ line, text: raw });
      return;
    }
    const trimmed = text.replace(/^[\s\u0085]+/u, "");
    let name: string | null = null;
    let data = "";
    if (trimmed.startsWith("::")) {
      const end = trimmed.indexOf("::", 2);
      const info = end < 0 ? trimmed.slice(2) : trimmed.slice(2, end);
      name = info.split(" ")[0]!;
      data = end < 0 ? "" : trimmed.slice(end + 2);
    } else {
      const at = text.indexOf("##[");
      if (at >= 0) {
        const close = text.indexOf("]", at);
        const info = close < 0 ? text.slice(at + 3) : text.slice(at + 3, close);
        name = info.split(" ")[0]!;
        data = close < 0 ? "" : text.slice(close + 1);
      }
    }
    if (name === null) return;
    if (stopped !== null) {
      if (name.toLowerCase() === stopped.toLowerCase()) stopped = null;
      return;
    }
    if (name.toLowerCase() === "stop-commands" && data !== "") {
      stopped = data;
      return;
    }
    found.push({ line, text: raw });
  });
  return found;
}

/** Control bytes that survive (\n and \t are allowed), and invisible format characters. */
export function controlBytesIn(output: string): string[] {
  // eslint-disable-next-line no-control-regex -- what must not survive
  return [...output.matchAll(/[\0-\x08\x0B-\x1F\x7F-\x9F\u2028\u2029\p{Cf}]/gu)].map((m) => `U+${m[0].codePointAt(0)!.toString(16).padStart(4, "0")}`);
}

/** The hostile text the tests put in revision messages, failing SQL and history rows. */
export const HOSTILE_LINES = [
  "::error file=a,line=1::forged",
  "::add-mask::forged-mask",
  "  ::set-output name=x::forged",
  "\t::warning::forged",
  ":\u00AD:error::forged-soft-hyphen",
  "::stop-commands::forged-token",
  "data ##[error]forged legacy",
  "##[set-output name=x;]forged",
  "##vso[task.setvariable variable=x]forged",
  "##teamcity[buildStatus text='forged']",
  "\x1b[31mred\x1b[0m \x1b]0;title\x07 \x9b2J",
  "over\r::error::forged-after-cr",
  "\u2028::error::forged-after-ls",
  "\u202Edesrever",
  "--- forged-group",
  "+++ forged-open-group",
  "  ~~~\tforged-quiet-group",
];
