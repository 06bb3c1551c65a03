#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  MAX_ID_LENGTH,
  MultipleHeadsError,
  REVISION_ID_RULE,
  Resolver,
  cellCode,
  checksum,
  code,
  describeDrift,
  enforceDrift,
  fenced,
  headsAdvice,
  headsProblem,
  historyOrder,
  htmlCode,
  idsWritten,
  invalidBranchLabel,
  invalidRevisionId,
  judgeHeads,
  longIdsOf,
  longIdsText,
  newRevisionId,
  parseExpectHeads,
  planDowngrade,
  planResult,
  planUpgrade,
  quoted,
  readState,
  renderPlanSql,
  requireNativeSql,
  runningLine,
  slugify,
  undoPlan,
  undoSql,
  versionChangeSql,
  versionNumRoomOf,
  wideVersionTableSql,
  widenVersionNumSql,
  widthFor
} from "./cli-chunks/chunk-P5SDKHTP.js";
import {
  AlembicFailure,
  checkAlembicEnvNames,
  runAlembic,
  splitOfflineSql
} from "./cli-chunks/chunk-RKPUG4IU.js";
import "./cli-chunks/chunk-CGVNYEPE.js";
import {
  DatabaseError
} from "./cli-chunks/chunk-RT6IAIP2.js";
import {
  DEFAULT_VERSION_TABLE,
  DIALECTS,
  VERSION_NUM_CHARS,
  splitStatements,
  versionTableName
} from "./cli-chunks/chunk-R35MOS62.js";
import {
  DEFAULT_PGLITE_DIR,
  TargetError,
  connectionUrl,
  describeTarget,
  libpqEnv,
  scrubSecrets,
  secretForms,
  wholeTextSecrets
} from "./cli-chunks/chunk-UV5IUGZN.js";
import {
  RUN_FAILURES,
  RetortError,
  RevisionFileError
} from "./cli-chunks/chunk-L5Z724Z2.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./cli-chunks/chunk-KTFMP3DX.js";

// node_modules/commander/lib/error.js
var require_error = __commonJS({
  "node_modules/commander/lib/error.js"(exports) {
    var CommanderError2 = class extends Error {
      /**
       * Constructs the CommanderError class
       * @param {number} exitCode suggested exit code which could be used with process.exit
       * @param {string} code an id string representing the error
       * @param {string} message human-readable description of the error
       */
      constructor(exitCode, code2, message) {
        super(message);
        Error.captureStackTrace(this, this.constructor);
        this.name = this.constructor.name;
        this.code = code2;
        this.exitCode = exitCode;
        this.nestedError = void 0;
      }
    };
    var InvalidArgumentError2 = class extends CommanderError2 {
      /**
       * Constructs the InvalidArgumentError class
       * @param {string} [message] explanation of why argument is invalid
       */
      constructor(message) {
        super(1, "commander.invalidArgument", message);
        Error.captureStackTrace(this, this.constructor);
        this.name = this.constructor.name;
      }
    };
    exports.CommanderError = CommanderError2;
    exports.InvalidArgumentError = InvalidArgumentError2;
  }
});

// node_modules/commander/lib/argument.js
var require_argument = __commonJS({
  "node_modules/commander/lib/argument.js"(exports) {
    var { InvalidArgumentError: InvalidArgumentError2 } = require_error();
    var Argument2 = class {
      /**
       * Initialize a new command argument with the given name and description.
       * The default is that the argument is required, and you can explicitly
       * indicate this with <> around the name. Put [] around the name for an optional argument.
       *
       * @param {string} name
       * @param {string} [description]
       */
      constructor(name, description) {
        this.description = description || "";
        this.variadic = false;
        this.parseArg = void 0;
        this.defaultValue = void 0;
        this.defaultValueDescription = void 0;
        this.argChoices = void 0;
        switch (name[0]) {
          case "<":
            this.required = true;
            this._name = name.slice(1, -1);
            break;
          case "[":
            this.required = false;
            this._name = name.slice(1, -1);
            break;
          default:
            this.required = true;
            this._name = name;
            break;
        }
        if (this._name.endsWith("...")) {
          this.variadic = true;
          this._name = this._name.slice(0, -3);
        }
      }
      /**
       * Return argument name.
       *
       * @return {string}
       */
      name() {
        return this._name;
      }
      /**
       * @package
       */
      _collectValue(value, previous) {
        if (previous === this.defaultValue || !Array.isArray(previous)) {
          return [value];
        }
        previous.push(value);
        return previous;
      }
      /**
       * Set the default value, and optionally supply the description to be displayed in the help.
       *
       * @param {*} value
       * @param {string} [description]
       * @return {Argument}
       */
      default(value, description) {
        this.defaultValue = value;
        this.defaultValueDescription = description;
        return this;
      }
      /**
       * Set the custom handler for processing CLI command arguments into argument values.
       *
       * @param {Function} [fn]
       * @return {Argument}
       */
      argParser(fn) {
        this.parseArg = fn;
        return this;
      }
      /**
       * Only allow argument value to be one of choices.
       *
       * @param {string[]} values
       * @return {Argument}
       */
      choices(values) {
        this.argChoices = values.slice();
        this.parseArg = (arg, previous) => {
          if (!this.argChoices.includes(arg)) {
            throw new InvalidArgumentError2(
              `Allowed choices are ${this.argChoices.join(", ")}.`
            );
          }
          if (this.variadic) {
            return this._collectValue(arg, previous);
          }
          return arg;
        };
        return this;
      }
      /**
       * Make argument required.
       *
       * @returns {Argument}
       */
      argRequired() {
        this.required = true;
        return this;
      }
      /**
       * Make argument optional.
       *
       * @returns {Argument}
       */
      argOptional() {
        this.required = false;
        return this;
      }
    };
    function humanReadableArgName(arg) {
      const nameOutput = arg.name() + (arg.variadic === true ? "..." : "");
      return arg.required ? "<" + nameOutput + ">" : "[" + nameOutput + "]";
    }
    exports.Argument = Argument2;
    exports.humanReadableArgName = humanReadableArgName;
  }
});

// node_modules/commander/lib/help.js
var require_help = __commonJS({
  "node_modules/commander/lib/help.js"(exports) {
    var { humanReadableArgName } = require_argument();
    var Help2 = class {
      constructor() {
        this.helpWidth = void 0;
        this.minWidthToWrap = 40;
        this.sortSubcommands = false;
        this.sortOptions = false;
        this.showGlobalOptions = false;
      }
      /**
       * prepareContext is called by Commander after applying overrides from `Command.configureHelp()`
       * and just before calling `formatHelp()`.
       *
       * Commander just uses the helpWidth and the rest is provided for optional use by more complex subclasses.
       *
       * @param {{ error?: boolean, helpWidth?: number, outputHasColors?: boolean }} contextOptions
       */
      prepareContext(contextOptions) {
        this.helpWidth = this.helpWidth ?? contextOptions.helpWidth ?? 80;
      }
      /**
       * Get an array of the visible subcommands. Includes a placeholder for the implicit help command, if there is one.
       *
       * @param {Command} cmd
       * @returns {Command[]}
       */
      visibleCommands(cmd) {
        const visibleCommands = cmd.commands.filter((cmd2) => !cmd2._hidden);
        const helpCommand = cmd._getHelpCommand();
        if (helpCommand && !helpCommand._hidden) {
          visibleCommands.push(helpCommand);
        }
        if (this.sortSubcommands) {
          visibleCommands.sort((a, b) => {
            return a.name().localeCompare(b.name());
          });
        }
        return visibleCommands;
      }
      /**
       * Compare options for sort.
       *
       * @param {Option} a
       * @param {Option} b
       * @returns {number}
       */
      compareOptions(a, b) {
        const getSortKey = (option) => {
          return option.short ? option.short.replace(/^-/, "") : option.long.replace(/^--/, "");
        };
        return getSortKey(a).localeCompare(getSortKey(b));
      }
      /**
       * Get an array of the visible options. Includes a placeholder for the implicit help option, if there is one.
       *
       * @param {Command} cmd
       * @returns {Option[]}
       */
      visibleOptions(cmd) {
        const visibleOptions = cmd.options.filter((option) => !option.hidden);
        const helpOption = cmd._getHelpOption();
        if (helpOption && !helpOption.hidden) {
          const removeShort = helpOption.short && cmd._findOption(helpOption.short);
          const removeLong = helpOption.long && cmd._findOption(helpOption.long);
          if (!removeShort && !removeLong) {
            visibleOptions.push(helpOption);
          } else if (helpOption.long && !removeLong) {
            visibleOptions.push(
              cmd.createOption(helpOption.long, helpOption.description)
            );
          } else if (helpOption.short && !removeShort) {
            visibleOptions.push(
              cmd.createOption(helpOption.short, helpOption.description)
            );
          }
        }
        if (this.sortOptions) {
          visibleOptions.sort(this.compareOptions);
        }
        return visibleOptions;
      }
      /**
       * Get an array of the visible global options. (Not including help.)
       *
       * @param {Command} cmd
       * @returns {Option[]}
       */
      visibleGlobalOptions(cmd) {
        if (!this.showGlobalOptions) return [];
        const globalOptions = [];
        for (let ancestorCmd = cmd.parent; ancestorCmd; ancestorCmd = ancestorCmd.parent) {
          const visibleOptions = ancestorCmd.options.filter(
            (option) => !option.hidden
          );
          globalOptions.push(...visibleOptions);
        }
        if (this.sortOptions) {
          globalOptions.sort(this.compareOptions);
        }
        return globalOptions;
      }
      /**
       * Get an array of the arguments if any have a description.
       *
       * @param {Command} cmd
       * @returns {Argument[]}
       */
      visibleArguments(cmd) {
        if (cmd._argsDescription) {
          cmd.registeredArguments.forEach((argument) => {
            argument.description = argument.description || cmd._argsDescription[argument.name()] || "";
          });
        }
        if (cmd.registeredArguments.find((argument) => argument.description)) {
          return cmd.registeredArguments;
        }
        return [];
      }
      /**
       * Get the command term to show in the list of subcommands.
       *
       * @param {Command} cmd
       * @returns {string}
       */
      subcommandTerm(cmd) {
        const args = cmd.registeredArguments.map((arg) => humanReadableArgName(arg)).join(" ");
        return cmd._name + (cmd._aliases[0] ? "|" + cmd._aliases[0] : "") + (cmd.options.length ? " [options]" : "") + // simplistic check for non-help option
        (args ? " " + args : "");
      }
      /**
       * Get the option term to show in the list of options.
       *
       * @param {Option} option
       * @returns {string}
       */
      optionTerm(option) {
        return option.flags;
      }
      /**
       * Get the argument term to show in the list of arguments.
       *
       * @param {Argument} argument
       * @returns {string}
       */
      argumentTerm(argument) {
        return argument.name();
      }
      /**
       * Get the longest command term length.
       *
       * @param {Command} cmd
       * @param {Help} helper
       * @returns {number}
       */
      longestSubcommandTermLength(cmd, helper) {
        return helper.visibleCommands(cmd).reduce((max, command) => {
          return Math.max(
            max,
            this.displayWidth(
              helper.styleSubcommandTerm(helper.subcommandTerm(command))
            )
          );
        }, 0);
      }
      /**
       * Get the longest option term length.
       *
       * @param {Command} cmd
       * @param {Help} helper
       * @returns {number}
       */
      longestOptionTermLength(cmd, helper) {
        return helper.visibleOptions(cmd).reduce((max, option) => {
          return Math.max(
            max,
            this.displayWidth(helper.styleOptionTerm(helper.optionTerm(option)))
          );
        }, 0);
      }
      /**
       * Get the longest global option term length.
       *
       * @param {Command} cmd
       * @param {Help} helper
       * @returns {number}
       */
      longestGlobalOptionTermLength(cmd, helper) {
        return helper.visibleGlobalOptions(cmd).reduce((max, option) => {
          return Math.max(
            max,
            this.displayWidth(helper.styleOptionTerm(helper.optionTerm(option)))
          );
        }, 0);
      }
      /**
       * Get the longest argument term length.
       *
       * @param {Command} cmd
       * @param {Help} helper
       * @returns {number}
       */
      longestArgumentTermLength(cmd, helper) {
        return helper.visibleArguments(cmd).reduce((max, argument) => {
          return Math.max(
            max,
            this.displayWidth(
              helper.styleArgumentTerm(helper.argumentTerm(argument))
            )
          );
        }, 0);
      }
      /**
       * Get the command usage to be displayed at the top of the built-in help.
       *
       * @param {Command} cmd
       * @returns {string}
       */
      commandUsage(cmd) {
        let cmdName = cmd._name;
        if (cmd._aliases[0]) {
          cmdName = cmdName + "|" + cmd._aliases[0];
        }
        let ancestorCmdNames = "";
        for (let ancestorCmd = cmd.parent; ancestorCmd; ancestorCmd = ancestorCmd.parent) {
          ancestorCmdNames = ancestorCmd.name() + " " + ancestorCmdNames;
        }
        return ancestorCmdNames + cmdName + " " + cmd.usage();
      }
      /**
       * Get the description for the command.
       *
       * @param {Command} cmd
       * @returns {string}
       */
      commandDescription(cmd) {
        return cmd.description();
      }
      /**
       * Get the subcommand summary to show in the list of subcommands.
       * (Fallback to description for backwards compatibility.)
       *
       * @param {Command} cmd
       * @returns {string}
       */
      subcommandDescription(cmd) {
        return cmd.summary() || cmd.description();
      }
      /**
       * Get the option description to show in the list of options.
       *
       * @param {Option} option
       * @return {string}
       */
      optionDescription(option) {
        const extraInfo = [];
        if (option.argChoices) {
          extraInfo.push(
            // use stringify to match the display of the default value
            `choices: ${option.argChoices.map((choice) => JSON.stringify(choice)).join(", ")}`
          );
        }
        if (option.defaultValue !== void 0) {
          const showDefault = option.required || option.optional || option.isBoolean() && typeof option.defaultValue === "boolean";
          if (showDefault) {
            extraInfo.push(
              `default: ${option.defaultValueDescription || JSON.stringify(option.defaultValue)}`
            );
          }
        }
        if (option.presetArg !== void 0 && option.optional) {
          extraInfo.push(`preset: ${JSON.stringify(option.presetArg)}`);
        }
        if (option.envVar !== void 0) {
          extraInfo.push(`env: ${option.envVar}`);
        }
        if (extraInfo.length > 0) {
          const extraDescription = `(${extraInfo.join(", ")})`;
          if (option.description) {
            return `${option.description} ${extraDescription}`;
          }
          return extraDescription;
        }
        return option.description;
      }
      /**
       * Get the argument description to show in the list of arguments.
       *
       * @param {Argument} argument
       * @return {string}
       */
      argumentDescription(argument) {
        const extraInfo = [];
        if (argument.argChoices) {
          extraInfo.push(
            // use stringify to match the display of the default value
            `choices: ${argument.argChoices.map((choice) => JSON.stringify(choice)).join(", ")}`
          );
        }
        if (argument.defaultValue !== void 0) {
          extraInfo.push(
            `default: ${argument.defaultValueDescription || JSON.stringify(argument.defaultValue)}`
          );
        }
        if (extraInfo.length > 0) {
          const extraDescription = `(${extraInfo.join(", ")})`;
          if (argument.description) {
            return `${argument.description} ${extraDescription}`;
          }
          return extraDescription;
        }
        return argument.description;
      }
      /**
       * Format a list of items, given a heading and an array of formatted items.
       *
       * @param {string} heading
       * @param {string[]} items
       * @param {Help} helper
       * @returns string[]
       */
      formatItemList(heading, items, helper) {
        if (items.length === 0) return [];
        return [helper.styleTitle(heading), ...items, ""];
      }
      /**
       * Group items by their help group heading.
       *
       * @param {Command[] | Option[]} unsortedItems
       * @param {Command[] | Option[]} visibleItems
       * @param {Function} getGroup
       * @returns {Map<string, Command[] | Option[]>}
       */
      groupItems(unsortedItems, visibleItems, getGroup) {
        const result = /* @__PURE__ */ new Map();
        unsortedItems.forEach((item) => {
          const group = getGroup(item);
          if (!result.has(group)) result.set(group, []);
        });
        visibleItems.forEach((item) => {
          const group = getGroup(item);
          if (!result.has(group)) {
            result.set(group, []);
          }
          result.get(group).push(item);
        });
        return result;
      }
      /**
       * Generate the built-in help text.
       *
       * @param {Command} cmd
       * @param {Help} helper
       * @returns {string}
       */
      formatHelp(cmd, helper) {
        const termWidth = helper.padWidth(cmd, helper);
        const helpWidth = helper.helpWidth ?? 80;
        function callFormatItem(term, description) {
          return helper.formatItem(term, termWidth, description, helper);
        }
        let output = [
          `${helper.styleTitle("Usage:")} ${helper.styleUsage(helper.commandUsage(cmd))}`,
          ""
        ];
        const commandDescription = helper.commandDescription(cmd);
        if (commandDescription.length > 0) {
          output = output.concat([
            helper.boxWrap(
              helper.styleCommandDescription(commandDescription),
              helpWidth
            ),
            ""
          ]);
        }
        const argumentList = helper.visibleArguments(cmd).map((argument) => {
          return callFormatItem(
            helper.styleArgumentTerm(helper.argumentTerm(argument)),
            helper.styleArgumentDescription(helper.argumentDescription(argument))
          );
        });
        output = output.concat(
          this.formatItemList("Arguments:", argumentList, helper)
        );
        const optionGroups = this.groupItems(
          cmd.options,
          helper.visibleOptions(cmd),
          (option) => option.helpGroupHeading ?? "Options:"
        );
        optionGroups.forEach((options, group) => {
          const optionList = options.map((option) => {
            return callFormatItem(
              helper.styleOptionTerm(helper.optionTerm(option)),
              helper.styleOptionDescription(helper.optionDescription(option))
            );
          });
          output = output.concat(this.formatItemList(group, optionList, helper));
        });
        if (helper.showGlobalOptions) {
          const globalOptionList = helper.visibleGlobalOptions(cmd).map((option) => {
            return callFormatItem(
              helper.styleOptionTerm(helper.optionTerm(option)),
              helper.styleOptionDescription(helper.optionDescription(option))
            );
          });
          output = output.concat(
            this.formatItemList("Global Options:", globalOptionList, helper)
          );
        }
        const commandGroups = this.groupItems(
          cmd.commands,
          helper.visibleCommands(cmd),
          (sub) => sub.helpGroup() || "Commands:"
        );
        commandGroups.forEach((commands, group) => {
          const commandList = commands.map((sub) => {
            return callFormatItem(
              helper.styleSubcommandTerm(helper.subcommandTerm(sub)),
              helper.styleSubcommandDescription(helper.subcommandDescription(sub))
            );
          });
          output = output.concat(this.formatItemList(group, commandList, helper));
        });
        return output.join("\n");
      }
      /**
       * Return display width of string, ignoring ANSI escape sequences. Used in padding and wrapping calculations.
       *
       * @param {string} str
       * @returns {number}
       */
      displayWidth(str) {
        return stripColor(str).length;
      }
      /**
       * Style the title for displaying in the help. Called with 'Usage:', 'Options:', etc.
       *
       * @param {string} str
       * @returns {string}
       */
      styleTitle(str) {
        return str;
      }
      styleUsage(str) {
        return str.split(" ").map((word) => {
          if (word === "[options]") return this.styleOptionText(word);
          if (word === "[command]") return this.styleSubcommandText(word);
          if (word[0] === "[" || word[0] === "<")
            return this.styleArgumentText(word);
          return this.styleCommandText(word);
        }).join(" ");
      }
      styleCommandDescription(str) {
        return this.styleDescriptionText(str);
      }
      styleOptionDescription(str) {
        return this.styleDescriptionText(str);
      }
      styleSubcommandDescription(str) {
        return this.styleDescriptionText(str);
      }
      styleArgumentDescription(str) {
        return this.styleDescriptionText(str);
      }
      styleDescriptionText(str) {
        return str;
      }
      styleOptionTerm(str) {
        return this.styleOptionText(str);
      }
      styleSubcommandTerm(str) {
        return str.split(" ").map((word) => {
          if (word === "[options]") return this.styleOptionText(word);
          if (word[0] === "[" || word[0] === "<")
            return this.styleArgumentText(word);
          return this.styleSubcommandText(word);
        }).join(" ");
      }
      styleArgumentTerm(str) {
        return this.styleArgumentText(str);
      }
      styleOptionText(str) {
        return str;
      }
      styleArgumentText(str) {
        return str;
      }
      styleSubcommandText(str) {
        return str;
      }
      styleCommandText(str) {
        return str;
      }
      /**
       * Calculate the pad width from the maximum term length.
       *
       * @param {Command} cmd
       * @param {Help} helper
       * @returns {number}
       */
      padWidth(cmd, helper) {
        return Math.max(
          helper.longestOptionTermLength(cmd, helper),
          helper.longestGlobalOptionTermLength(cmd, helper),
          helper.longestSubcommandTermLength(cmd, helper),
          helper.longestArgumentTermLength(cmd, helper)
        );
      }
      /**
       * Detect manually wrapped and indented strings by checking for line break followed by whitespace.
       *
       * @param {string} str
       * @returns {boolean}
       */
      preformatted(str) {
        return /\n[^\S\r\n]/.test(str);
      }
      /**
       * Format the "item", which consists of a term and description. Pad the term and wrap the description, indenting the following lines.
       *
       * So "TTT", 5, "DDD DDDD DD DDD" might be formatted for this.helpWidth=17 like so:
       *   TTT  DDD DDDD
       *        DD DDD
       *
       * @param {string} term
       * @param {number} termWidth
       * @param {string} description
       * @param {Help} helper
       * @returns {string}
       */
      formatItem(term, termWidth, description, helper) {
        const itemIndent = 2;
        const itemIndentStr = " ".repeat(itemIndent);
        if (!description) return itemIndentStr + term;
        const paddedTerm = term.padEnd(
          termWidth + term.length - helper.displayWidth(term)
        );
        const spacerWidth = 2;
        const helpWidth = this.helpWidth ?? 80;
        const remainingWidth = helpWidth - termWidth - spacerWidth - itemIndent;
        let formattedDescription;
        if (remainingWidth < this.minWidthToWrap || helper.preformatted(description)) {
          formattedDescription = description;
        } else {
          const wrappedDescription = helper.boxWrap(description, remainingWidth);
          formattedDescription = wrappedDescription.replace(
            /\n/g,
            "\n" + " ".repeat(termWidth + spacerWidth)
          );
        }
        return itemIndentStr + paddedTerm + " ".repeat(spacerWidth) + formattedDescription.replace(/\n/g, `
${itemIndentStr}`);
      }
      /**
       * Wrap a string at whitespace, preserving existing line breaks.
       * Wrapping is skipped if the width is less than `minWidthToWrap`.
       *
       * @param {string} str
       * @param {number} width
       * @returns {string}
       */
      boxWrap(str, width) {
        if (width < this.minWidthToWrap) return str;
        const rawLines = str.split(/\r\n|\n/);
        const chunkPattern = /[\s]*[^\s]+/g;
        const wrappedLines = [];
        rawLines.forEach((line) => {
          const chunks = line.match(chunkPattern);
          if (chunks === null) {
            wrappedLines.push("");
            return;
          }
          let sumChunks = [chunks.shift()];
          let sumWidth = this.displayWidth(sumChunks[0]);
          chunks.forEach((chunk) => {
            const visibleWidth = this.displayWidth(chunk);
            if (sumWidth + visibleWidth <= width) {
              sumChunks.push(chunk);
              sumWidth += visibleWidth;
              return;
            }
            wrappedLines.push(sumChunks.join(""));
            const nextChunk = chunk.trimStart();
            sumChunks = [nextChunk];
            sumWidth = this.displayWidth(nextChunk);
          });
          wrappedLines.push(sumChunks.join(""));
        });
        return wrappedLines.join("\n");
      }
    };
    function stripColor(str) {
      const sgrPattern = /\x1b\[\d*(;\d*)*m/g;
      return str.replace(sgrPattern, "");
    }
    exports.Help = Help2;
    exports.stripColor = stripColor;
  }
});

// node_modules/commander/lib/option.js
var require_option = __commonJS({
  "node_modules/commander/lib/option.js"(exports) {
    var { InvalidArgumentError: InvalidArgumentError2 } = require_error();
    var Option2 = class {
      /**
       * Initialize a new `Option` with the given `flags` and `description`.
       *
       * @param {string} flags
       * @param {string} [description]
       */
      constructor(flags, description) {
        this.flags = flags;
        this.description = description || "";
        this.required = flags.includes("<");
        this.optional = flags.includes("[");
        this.variadic = /\w\.\.\.[>\]]$/.test(flags);
        this.mandatory = false;
        const optionFlags = splitOptionFlags(flags);
        this.short = optionFlags.shortFlag;
        this.long = optionFlags.longFlag;
        this.negate = false;
        if (this.long) {
          this.negate = this.long.startsWith("--no-");
        }
        this.defaultValue = void 0;
        this.defaultValueDescription = void 0;
        this.presetArg = void 0;
        this.envVar = void 0;
        this.parseArg = void 0;
        this.hidden = false;
        this.argChoices = void 0;
        this.conflictsWith = [];
        this.implied = void 0;
        this.helpGroupHeading = void 0;
      }
      /**
       * Set the default value, and optionally supply the description to be displayed in the help.
       *
       * @param {*} value
       * @param {string} [description]
       * @return {Option}
       */
      default(value, description) {
        this.defaultValue = value;
        this.defaultValueDescription = description;
        return this;
      }
      /**
       * Preset to use when option used without option-argument, especially optional but also boolean and negated.
       * The custom processing (parseArg) is called.
       *
       * @example
       * new Option('--color').default('GREYSCALE').preset('RGB');
       * new Option('--donate [amount]').preset('20').argParser(parseFloat);
       *
       * @param {*} arg
       * @return {Option}
       */
      preset(arg) {
        this.presetArg = arg;
        return this;
      }
      /**
       * Add option name(s) that conflict with this option.
       * An error will be displayed if conflicting options are found during parsing.
       *
       * @example
       * new Option('--rgb').conflicts('cmyk');
       * new Option('--js').conflicts(['ts', 'jsx']);
       *
       * @param {(string | string[])} names
       * @return {Option}
       */
      conflicts(names) {
        this.conflictsWith = this.conflictsWith.concat(names);
        return this;
      }
      /**
       * Specify implied option values for when this option is set and the implied options are not.
       *
       * The custom processing (parseArg) is not called on the implied values.
       *
       * @example
       * program
       *   .addOption(new Option('--log', 'write logging information to file'))
       *   .addOption(new Option('--trace', 'log extra details').implies({ log: 'trace.txt' }));
       *
       * @param {object} impliedOptionValues
       * @return {Option}
       */
      implies(impliedOptionValues) {
        let newImplied = impliedOptionValues;
        if (typeof impliedOptionValues === "string") {
          newImplied = { [impliedOptionValues]: true };
        }
        this.implied = Object.assign(this.implied || {}, newImplied);
        return this;
      }
      /**
       * Set environment variable to check for option value.
       *
       * An environment variable is only used if when processed the current option value is
       * undefined, or the source of the current value is 'default' or 'config' or 'env'.
       *
       * @param {string} name
       * @return {Option}
       */
      env(name) {
        this.envVar = name;
        return this;
      }
      /**
       * Set the custom handler for processing CLI option arguments into option values.
       *
       * @param {Function} [fn]
       * @return {Option}
       */
      argParser(fn) {
        this.parseArg = fn;
        return this;
      }
      /**
       * Whether the option is mandatory and must have a value after parsing.
       *
       * @param {boolean} [mandatory=true]
       * @return {Option}
       */
      makeOptionMandatory(mandatory = true) {
        this.mandatory = !!mandatory;
        return this;
      }
      /**
       * Hide option in help.
       *
       * @param {boolean} [hide=true]
       * @return {Option}
       */
      hideHelp(hide = true) {
        this.hidden = !!hide;
        return this;
      }
      /**
       * @package
       */
      _collectValue(value, previous) {
        if (previous === this.defaultValue || !Array.isArray(previous)) {
          return [value];
        }
        previous.push(value);
        return previous;
      }
      /**
       * Only allow option value to be one of choices.
       *
       * @param {string[]} values
       * @return {Option}
       */
      choices(values) {
        this.argChoices = values.slice();
        this.parseArg = (arg, previous) => {
          if (!this.argChoices.includes(arg)) {
            throw new InvalidArgumentError2(
              `Allowed choices are ${this.argChoices.join(", ")}.`
            );
          }
          if (this.variadic) {
            return this._collectValue(arg, previous);
          }
          return arg;
        };
        return this;
      }
      /**
       * Return option name.
       *
       * @return {string}
       */
      name() {
        if (this.long) {
          return this.long.replace(/^--/, "");
        }
        return this.short.replace(/^-/, "");
      }
      /**
       * Return option name, in a camelcase format that can be used
       * as an object attribute key.
       *
       * @return {string}
       */
      attributeName() {
        if (this.negate) {
          return camelcase(this.name().replace(/^no-/, ""));
        }
        return camelcase(this.name());
      }
      /**
       * Set the help group heading.
       *
       * @param {string} heading
       * @return {Option}
       */
      helpGroup(heading) {
        this.helpGroupHeading = heading;
        return this;
      }
      /**
       * Check if `arg` matches the short or long flag.
       *
       * @param {string} arg
       * @return {boolean}
       * @package
       */
      is(arg) {
        return this.short === arg || this.long === arg;
      }
      /**
       * Return whether a boolean option.
       *
       * Options are one of boolean, negated, required argument, or optional argument.
       *
       * @return {boolean}
       * @package
       */
      isBoolean() {
        return !this.required && !this.optional && !this.negate;
      }
    };
    var DualOptions = class {
      /**
       * @param {Option[]} options
       */
      constructor(options) {
        this.positiveOptions = /* @__PURE__ */ new Map();
        this.negativeOptions = /* @__PURE__ */ new Map();
        this.dualOptions = /* @__PURE__ */ new Set();
        options.forEach((option) => {
          if (option.negate) {
            this.negativeOptions.set(option.attributeName(), option);
          } else {
            this.positiveOptions.set(option.attributeName(), option);
          }
        });
        this.negativeOptions.forEach((value, key2) => {
          if (this.positiveOptions.has(key2)) {
            this.dualOptions.add(key2);
          }
        });
      }
      /**
       * Did the value come from the option, and not from possible matching dual option?
       *
       * @param {*} value
       * @param {Option} option
       * @returns {boolean}
       */
      valueFromOption(value, option) {
        const optionKey = option.attributeName();
        if (!this.dualOptions.has(optionKey)) return true;
        const preset = this.negativeOptions.get(optionKey).presetArg;
        const negativeValue = preset !== void 0 ? preset : false;
        return option.negate === (negativeValue === value);
      }
    };
    function camelcase(str) {
      return str.split("-").reduce((str2, word) => {
        return str2 + word[0].toUpperCase() + word.slice(1);
      });
    }
    function splitOptionFlags(flags) {
      let shortFlag;
      let longFlag;
      const shortFlagExp = /^-[^-]$/;
      const longFlagExp = /^--[^-]/;
      const flagParts = flags.split(/[ |,]+/).concat("guard");
      if (shortFlagExp.test(flagParts[0])) shortFlag = flagParts.shift();
      if (longFlagExp.test(flagParts[0])) longFlag = flagParts.shift();
      if (!shortFlag && shortFlagExp.test(flagParts[0]))
        shortFlag = flagParts.shift();
      if (!shortFlag && longFlagExp.test(flagParts[0])) {
        shortFlag = longFlag;
        longFlag = flagParts.shift();
      }
      if (flagParts[0].startsWith("-")) {
        const unsupportedFlag = flagParts[0];
        const baseError = `option creation failed due to '${unsupportedFlag}' in option flags '${flags}'`;
        if (/^-[^-][^-]/.test(unsupportedFlag))
          throw new Error(
            `${baseError}
- a short flag is a single dash and a single character
  - either use a single dash and a single character (for a short flag)
  - or use a double dash for a long option (and can have two, like '--ws, --workspace')`
          );
        if (shortFlagExp.test(unsupportedFlag))
          throw new Error(`${baseError}
- too many short flags`);
        if (longFlagExp.test(unsupportedFlag))
          throw new Error(`${baseError}
- too many long flags`);
        throw new Error(`${baseError}
- unrecognised flag format`);
      }
      if (shortFlag === void 0 && longFlag === void 0)
        throw new Error(
          `option creation failed due to no flags found in '${flags}'.`
        );
      return { shortFlag, longFlag };
    }
    exports.Option = Option2;
    exports.DualOptions = DualOptions;
  }
});

// node_modules/commander/lib/suggestSimilar.js
var require_suggestSimilar = __commonJS({
  "node_modules/commander/lib/suggestSimilar.js"(exports) {
    var maxDistance = 3;
    function editDistance(a, b) {
      if (Math.abs(a.length - b.length) > maxDistance)
        return Math.max(a.length, b.length);
      const d = [];
      for (let i = 0; i <= a.length; i++) {
        d[i] = [i];
      }
      for (let j = 0; j <= b.length; j++) {
        d[0][j] = j;
      }
      for (let j = 1; j <= b.length; j++) {
        for (let i = 1; i <= a.length; i++) {
          let cost = 1;
          if (a[i - 1] === b[j - 1]) {
            cost = 0;
          } else {
            cost = 1;
          }
          d[i][j] = Math.min(
            d[i - 1][j] + 1,
            // deletion
            d[i][j - 1] + 1,
            // insertion
            d[i - 1][j - 1] + cost
            // substitution
          );
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
            d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
          }
        }
      }
      return d[a.length][b.length];
    }
    function suggestSimilar(word, candidates) {
      if (!candidates || candidates.length === 0) return "";
      candidates = Array.from(new Set(candidates));
      const searchingOptions = word.startsWith("--");
      if (searchingOptions) {
        word = word.slice(2);
        candidates = candidates.map((candidate) => candidate.slice(2));
      }
      let similar = [];
      let bestDistance = maxDistance;
      const minSimilarity = 0.4;
      candidates.forEach((candidate) => {
        if (candidate.length <= 1) return;
        const distance = editDistance(word, candidate);
        const length = Math.max(word.length, candidate.length);
        const similarity = (length - distance) / length;
        if (similarity > minSimilarity) {
          if (distance < bestDistance) {
            bestDistance = distance;
            similar = [candidate];
          } else if (distance === bestDistance) {
            similar.push(candidate);
          }
        }
      });
      similar.sort((a, b) => a.localeCompare(b));
      if (searchingOptions) {
        similar = similar.map((candidate) => `--${candidate}`);
      }
      if (similar.length > 1) {
        return `
(Did you mean one of ${similar.join(", ")}?)`;
      }
      if (similar.length === 1) {
        return `
(Did you mean ${similar[0]}?)`;
      }
      return "";
    }
    exports.suggestSimilar = suggestSimilar;
  }
});

// node_modules/commander/lib/command.js
var require_command = __commonJS({
  "node_modules/commander/lib/command.js"(exports) {
    var EventEmitter = __require("node:events").EventEmitter;
    var childProcess = __require("node:child_process");
    var path = __require("node:path");
    var fs = __require("node:fs");
    var process2 = __require("node:process");
    var { Argument: Argument2, humanReadableArgName } = require_argument();
    var { CommanderError: CommanderError2 } = require_error();
    var { Help: Help2, stripColor } = require_help();
    var { Option: Option2, DualOptions } = require_option();
    var { suggestSimilar } = require_suggestSimilar();
    var Command3 = class _Command extends EventEmitter {
      /**
       * Initialize a new `Command`.
       *
       * @param {string} [name]
       */
      constructor(name) {
        super();
        this.commands = [];
        this.options = [];
        this.parent = null;
        this._allowUnknownOption = false;
        this._allowExcessArguments = false;
        this.registeredArguments = [];
        this._args = this.registeredArguments;
        this.args = [];
        this.rawArgs = [];
        this.processedArgs = [];
        this._scriptPath = null;
        this._name = name || "";
        this._optionValues = {};
        this._optionValueSources = {};
        this._storeOptionsAsProperties = false;
        this._actionHandler = null;
        this._executableHandler = false;
        this._executableFile = null;
        this._executableDir = null;
        this._defaultCommandName = null;
        this._exitCallback = null;
        this._aliases = [];
        this._combineFlagAndOptionalValue = true;
        this._description = "";
        this._summary = "";
        this._argsDescription = void 0;
        this._enablePositionalOptions = false;
        this._passThroughOptions = false;
        this._lifeCycleHooks = {};
        this._showHelpAfterError = false;
        this._showSuggestionAfterError = true;
        this._savedState = null;
        this._outputConfiguration = {
          writeOut: (str) => process2.stdout.write(str),
          writeErr: (str) => process2.stderr.write(str),
          outputError: (str, write) => write(str),
          getOutHelpWidth: () => process2.stdout.isTTY ? process2.stdout.columns : void 0,
          getErrHelpWidth: () => process2.stderr.isTTY ? process2.stderr.columns : void 0,
          getOutHasColors: () => useColor() ?? (process2.stdout.isTTY && process2.stdout.hasColors?.()),
          getErrHasColors: () => useColor() ?? (process2.stderr.isTTY && process2.stderr.hasColors?.()),
          stripColor: (str) => stripColor(str)
        };
        this._hidden = false;
        this._helpOption = void 0;
        this._addImplicitHelpCommand = void 0;
        this._helpCommand = void 0;
        this._helpConfiguration = {};
        this._helpGroupHeading = void 0;
        this._defaultCommandGroup = void 0;
        this._defaultOptionGroup = void 0;
      }
      /**
       * Copy settings that are useful to have in common across root command and subcommands.
       *
       * (Used internally when adding a command using `.command()` so subcommands inherit parent settings.)
       *
       * @param {Command} sourceCommand
       * @return {Command} `this` command for chaining
       */
      copyInheritedSettings(sourceCommand) {
        this._outputConfiguration = sourceCommand._outputConfiguration;
        this._helpOption = sourceCommand._helpOption;
        this._helpCommand = sourceCommand._helpCommand;
        this._helpConfiguration = sourceCommand._helpConfiguration;
        this._exitCallback = sourceCommand._exitCallback;
        this._storeOptionsAsProperties = sourceCommand._storeOptionsAsProperties;
        this._combineFlagAndOptionalValue = sourceCommand._combineFlagAndOptionalValue;
        this._allowExcessArguments = sourceCommand._allowExcessArguments;
        this._enablePositionalOptions = sourceCommand._enablePositionalOptions;
        this._showHelpAfterError = sourceCommand._showHelpAfterError;
        this._showSuggestionAfterError = sourceCommand._showSuggestionAfterError;
        return this;
      }
      /**
       * @returns {Command[]}
       * @private
       */
      _getCommandAndAncestors() {
        const result = [];
        for (let command = this; command; command = command.parent) {
          result.push(command);
        }
        return result;
      }
      /**
       * Define a command.
       *
       * There are two styles of command: pay attention to where to put the description.
       *
       * @example
       * // Command implemented using action handler (description is supplied separately to `.command`)
       * program
       *   .command('clone <source> [destination]')
       *   .description('clone a repository into a newly created directory')
       *   .action((source, destination) => {
       *     console.log('clone command called');
       *   });
       *
       * // Command implemented using separate executable file (description is second parameter to `.command`)
       * program
       *   .command('start <service>', 'start named service')
       *   .command('stop [service]', 'stop named service, or all if no name supplied');
       *
       * @param {string} nameAndArgs - command name and arguments, args are `<required>` or `[optional]` and last may also be `variadic...`
       * @param {(object | string)} [actionOptsOrExecDesc] - configuration options (for action), or description (for executable)
       * @param {object} [execOpts] - configuration options (for executable)
       * @return {Command} returns new command for action handler, or `this` for executable command
       */
      command(nameAndArgs, actionOptsOrExecDesc, execOpts) {
        let desc = actionOptsOrExecDesc;
        let opts = execOpts;
        if (typeof desc === "object" && desc !== null) {
          opts = desc;
          desc = null;
        }
        opts = opts || {};
        const [, name, args] = nameAndArgs.match(/([^ ]+) *(.*)/);
        const cmd = this.createCommand(name);
        if (desc) {
          cmd.description(desc);
          cmd._executableHandler = true;
        }
        if (opts.isDefault) this._defaultCommandName = cmd._name;
        cmd._hidden = !!(opts.noHelp || opts.hidden);
        cmd._executableFile = opts.executableFile || null;
        if (args) cmd.arguments(args);
        this._registerCommand(cmd);
        cmd.parent = this;
        cmd.copyInheritedSettings(this);
        if (desc) return this;
        return cmd;
      }
      /**
       * Factory routine to create a new unattached command.
       *
       * See .command() for creating an attached subcommand, which uses this routine to
       * create the command. You can override createCommand to customise subcommands.
       *
       * @param {string} [name]
       * @return {Command} new command
       */
      createCommand(name) {
        return new _Command(name);
      }
      /**
       * You can customise the help with a subclass of Help by overriding createHelp,
       * or by overriding Help properties using configureHelp().
       *
       * @return {Help}
       */
      createHelp() {
        return Object.assign(new Help2(), this.configureHelp());
      }
      /**
       * You can customise the help by overriding Help properties using configureHelp(),
       * or with a subclass of Help by overriding createHelp().
       *
       * @param {object} [configuration] - configuration options
       * @return {(Command | object)} `this` command for chaining, or stored configuration
       */
      configureHelp(configuration) {
        if (configuration === void 0) return this._helpConfiguration;
        this._helpConfiguration = configuration;
        return this;
      }
      /**
       * The default output goes to stdout and stderr. You can customise this for special
       * applications. You can also customise the display of errors by overriding outputError.
       *
       * The configuration properties are all functions:
       *
       *     // change how output being written, defaults to stdout and stderr
       *     writeOut(str)
       *     writeErr(str)
       *     // change how output being written for errors, defaults to writeErr
       *     outputError(str, write) // used for displaying errors and not used for displaying help
       *     // specify width for wrapping help
       *     getOutHelpWidth()
       *     getErrHelpWidth()
       *     // color support, currently only used with Help
       *     getOutHasColors()
       *     getErrHasColors()
       *     stripColor() // used to remove ANSI escape codes if output does not have colors
       *
       * @param {object} [configuration] - configuration options
       * @return {(Command | object)} `this` command for chaining, or stored configuration
       */
      configureOutput(configuration) {
        if (configuration === void 0) return this._outputConfiguration;
        this._outputConfiguration = {
          ...this._outputConfiguration,
          ...configuration
        };
        return this;
      }
      /**
       * Display the help or a custom message after an error occurs.
       *
       * @param {(boolean|string)} [displayHelp]
       * @return {Command} `this` command for chaining
       */
      showHelpAfterError(displayHelp = true) {
        if (typeof displayHelp !== "string") displayHelp = !!displayHelp;
        this._showHelpAfterError = displayHelp;
        return this;
      }
      /**
       * Display suggestion of similar commands for unknown commands, or options for unknown options.
       *
       * @param {boolean} [displaySuggestion]
       * @return {Command} `this` command for chaining
       */
      showSuggestionAfterError(displaySuggestion = true) {
        this._showSuggestionAfterError = !!displaySuggestion;
        return this;
      }
      /**
       * Add a prepared subcommand.
       *
       * See .command() for creating an attached subcommand which inherits settings from its parent.
       *
       * @param {Command} cmd - new subcommand
       * @param {object} [opts] - configuration options
       * @return {Command} `this` command for chaining
       */
      addCommand(cmd, opts) {
        if (!cmd._name) {
          throw new Error(`Command passed to .addCommand() must have a name
- specify the name in Command constructor or using .name()`);
        }
        opts = opts || {};
        if (opts.isDefault) this._defaultCommandName = cmd._name;
        if (opts.noHelp || opts.hidden) cmd._hidden = true;
        this._registerCommand(cmd);
        cmd.parent = this;
        cmd._checkForBrokenPassThrough();
        return this;
      }
      /**
       * Factory routine to create a new unattached argument.
       *
       * See .argument() for creating an attached argument, which uses this routine to
       * create the argument. You can override createArgument to return a custom argument.
       *
       * @param {string} name
       * @param {string} [description]
       * @return {Argument} new argument
       */
      createArgument(name, description) {
        return new Argument2(name, description);
      }
      /**
       * Define argument syntax for command.
       *
       * The default is that the argument is required, and you can explicitly
       * indicate this with <> around the name. Put [] around the name for an optional argument.
       *
       * @example
       * program.argument('<input-file>');
       * program.argument('[output-file]');
       *
       * @param {string} name
       * @param {string} [description]
       * @param {(Function|*)} [parseArg] - custom argument processing function or default value
       * @param {*} [defaultValue]
       * @return {Command} `this` command for chaining
       */
      argument(name, description, parseArg, defaultValue) {
        const argument = this.createArgument(name, description);
        if (typeof parseArg === "function") {
          argument.default(defaultValue).argParser(parseArg);
        } else {
          argument.default(parseArg);
        }
        this.addArgument(argument);
        return this;
      }
      /**
       * Define argument syntax for command, adding multiple at once (without descriptions).
       *
       * See also .argument().
       *
       * @example
       * program.arguments('<cmd> [env]');
       *
       * @param {string} names
       * @return {Command} `this` command for chaining
       */
      arguments(names) {
        names.trim().split(/ +/).forEach((detail) => {
          this.argument(detail);
        });
        return this;
      }
      /**
       * Define argument syntax for command, adding a prepared argument.
       *
       * @param {Argument} argument
       * @return {Command} `this` command for chaining
       */
      addArgument(argument) {
        const previousArgument = this.registeredArguments.slice(-1)[0];
        if (previousArgument?.variadic) {
          throw new Error(
            `only the last argument can be variadic '${previousArgument.name()}'`
          );
        }
        if (argument.required && argument.defaultValue !== void 0 && argument.parseArg === void 0) {
          throw new Error(
            `a default value for a required argument is never used: '${argument.name()}'`
          );
        }
        this.registeredArguments.push(argument);
        return this;
      }
      /**
       * Customise or override default help command. By default a help command is automatically added if your command has subcommands.
       *
       * @example
       *    program.helpCommand('help [cmd]');
       *    program.helpCommand('help [cmd]', 'show help');
       *    program.helpCommand(false); // suppress default help command
       *    program.helpCommand(true); // add help command even if no subcommands
       *
       * @param {string|boolean} enableOrNameAndArgs - enable with custom name and/or arguments, or boolean to override whether added
       * @param {string} [description] - custom description
       * @return {Command} `this` command for chaining
       */
      helpCommand(enableOrNameAndArgs, description) {
        if (typeof enableOrNameAndArgs === "boolean") {
          this._addImplicitHelpCommand = enableOrNameAndArgs;
          if (enableOrNameAndArgs && this._defaultCommandGroup) {
            this._initCommandGroup(this._getHelpCommand());
          }
          return this;
        }
        const nameAndArgs = enableOrNameAndArgs ?? "help [command]";
        const [, helpName, helpArgs] = nameAndArgs.match(/([^ ]+) *(.*)/);
        const helpDescription = description ?? "display help for command";
        const helpCommand = this.createCommand(helpName);
        helpCommand.helpOption(false);
        if (helpArgs) helpCommand.arguments(helpArgs);
        if (helpDescription) helpCommand.description(helpDescription);
        this._addImplicitHelpCommand = true;
        this._helpCommand = helpCommand;
        if (enableOrNameAndArgs || description) this._initCommandGroup(helpCommand);
        return this;
      }
      /**
       * Add prepared custom help command.
       *
       * @param {(Command|string|boolean)} helpCommand - custom help command, or deprecated enableOrNameAndArgs as for `.helpCommand()`
       * @param {string} [deprecatedDescription] - deprecated custom description used with custom name only
       * @return {Command} `this` command for chaining
       */
      addHelpCommand(helpCommand, deprecatedDescription) {
        if (typeof helpCommand !== "object") {
          this.helpCommand(helpCommand, deprecatedDescription);
          return this;
        }
        this._addImplicitHelpCommand = true;
        this._helpCommand = helpCommand;
        this._initCommandGroup(helpCommand);
        return this;
      }
      /**
       * Lazy create help command.
       *
       * @return {(Command|null)}
       * @package
       */
      _getHelpCommand() {
        const hasImplicitHelpCommand = this._addImplicitHelpCommand ?? (this.commands.length && !this._actionHandler && !this._findCommand("help"));
        if (hasImplicitHelpCommand) {
          if (this._helpCommand === void 0) {
            this.helpCommand(void 0, void 0);
          }
          return this._helpCommand;
        }
        return null;
      }
      /**
       * Add hook for life cycle event.
       *
       * @param {string} event
       * @param {Function} listener
       * @return {Command} `this` command for chaining
       */
      hook(event, listener) {
        const allowedValues = ["preSubcommand", "preAction", "postAction"];
        if (!allowedValues.includes(event)) {
          throw new Error(`Unexpected value for event passed to hook : '${event}'.
Expecting one of '${allowedValues.join("', '")}'`);
        }
        if (this._lifeCycleHooks[event]) {
          this._lifeCycleHooks[event].push(listener);
        } else {
          this._lifeCycleHooks[event] = [listener];
        }
        return this;
      }
      /**
       * Register callback to use as replacement for calling process.exit.
       *
       * @param {Function} [fn] optional callback which will be passed a CommanderError, defaults to throwing
       * @return {Command} `this` command for chaining
       */
      exitOverride(fn) {
        if (fn) {
          this._exitCallback = fn;
        } else {
          this._exitCallback = (err) => {
            if (err.code !== "commander.executeSubCommandAsync") {
              throw err;
            } else {
            }
          };
        }
        return this;
      }
      /**
       * Call process.exit, and _exitCallback if defined.
       *
       * @param {number} exitCode exit code for using with process.exit
       * @param {string} code an id string representing the error
       * @param {string} message human-readable description of the error
       * @return never
       * @private
       */
      _exit(exitCode, code2, message) {
        if (this._exitCallback) {
          this._exitCallback(new CommanderError2(exitCode, code2, message));
        }
        process2.exit(exitCode);
      }
      /**
       * Register callback `fn` for the command.
       *
       * @example
       * program
       *   .command('serve')
       *   .description('start service')
       *   .action(function() {
       *      // do work here
       *   });
       *
       * @param {Function} fn
       * @return {Command} `this` command for chaining
       */
      action(fn) {
        const listener = (args) => {
          const expectedArgsCount = this.registeredArguments.length;
          const actionArgs = args.slice(0, expectedArgsCount);
          if (this._storeOptionsAsProperties) {
            actionArgs[expectedArgsCount] = this;
          } else {
            actionArgs[expectedArgsCount] = this.opts();
          }
          actionArgs.push(this);
          return fn.apply(this, actionArgs);
        };
        this._actionHandler = listener;
        return this;
      }
      /**
       * Factory routine to create a new unattached option.
       *
       * See .option() for creating an attached option, which uses this routine to
       * create the option. You can override createOption to return a custom option.
       *
       * @param {string} flags
       * @param {string} [description]
       * @return {Option} new option
       */
      createOption(flags, description) {
        return new Option2(flags, description);
      }
      /**
       * Wrap parseArgs to catch 'commander.invalidArgument'.
       *
       * @param {(Option | Argument)} target
       * @param {string} value
       * @param {*} previous
       * @param {string} invalidArgumentMessage
       * @private
       */
      _callParseArg(target, value, previous, invalidArgumentMessage) {
        try {
          return target.parseArg(value, previous);
        } catch (err) {
          if (err.code === "commander.invalidArgument") {
            const message = `${invalidArgumentMessage} ${err.message}`;
            this.error(message, { exitCode: err.exitCode, code: err.code });
          }
          throw err;
        }
      }
      /**
       * Check for option flag conflicts.
       * Register option if no conflicts found, or throw on conflict.
       *
       * @param {Option} option
       * @private
       */
      _registerOption(option) {
        const matchingOption = option.short && this._findOption(option.short) || option.long && this._findOption(option.long);
        if (matchingOption) {
          const matchingFlag = option.long && this._findOption(option.long) ? option.long : option.short;
          throw new Error(`Cannot add option '${option.flags}'${this._name && ` to command '${this._name}'`} due to conflicting flag '${matchingFlag}'
-  already used by option '${matchingOption.flags}'`);
        }
        this._initOptionGroup(option);
        this.options.push(option);
      }
      /**
       * Check for command name and alias conflicts with existing commands.
       * Register command if no conflicts found, or throw on conflict.
       *
       * @param {Command} command
       * @private
       */
      _registerCommand(command) {
        const knownBy = (cmd) => {
          return [cmd.name()].concat(cmd.aliases());
        };
        const alreadyUsed = knownBy(command).find(
          (name) => this._findCommand(name)
        );
        if (alreadyUsed) {
          const existingCmd = knownBy(this._findCommand(alreadyUsed)).join("|");
          const newCmd = knownBy(command).join("|");
          throw new Error(
            `cannot add command '${newCmd}' as already have command '${existingCmd}'`
          );
        }
        this._initCommandGroup(command);
        this.commands.push(command);
      }
      /**
       * Add an option.
       *
       * @param {Option} option
       * @return {Command} `this` command for chaining
       */
      addOption(option) {
        this._registerOption(option);
        const oname = option.name();
        const name = option.attributeName();
        if (option.negate) {
          const positiveLongFlag = option.long.replace(/^--no-/, "--");
          if (!this._findOption(positiveLongFlag)) {
            this.setOptionValueWithSource(
              name,
              option.defaultValue === void 0 ? true : option.defaultValue,
              "default"
            );
          }
        } else if (option.defaultValue !== void 0) {
          this.setOptionValueWithSource(name, option.defaultValue, "default");
        }
        const handleOptionValue = (val, invalidValueMessage, valueSource) => {
          if (val == null && option.presetArg !== void 0) {
            val = option.presetArg;
          }
          const oldValue = this.getOptionValue(name);
          if (val !== null && option.parseArg) {
            val = this._callParseArg(option, val, oldValue, invalidValueMessage);
          } else if (val !== null && option.variadic) {
            val = option._collectValue(val, oldValue);
          }
          if (val == null) {
            if (option.negate) {
              val = false;
            } else if (option.isBoolean() || option.optional) {
              val = true;
            } else {
              val = "";
            }
          }
          this.setOptionValueWithSource(name, val, valueSource);
        };
        this.on("option:" + oname, (val) => {
          const invalidValueMessage = `error: option '${option.flags}' argument '${val}' is invalid.`;
          handleOptionValue(val, invalidValueMessage, "cli");
        });
        if (option.envVar) {
          this.on("optionEnv:" + oname, (val) => {
            const invalidValueMessage = `error: option '${option.flags}' value '${val}' from env '${option.envVar}' is invalid.`;
            handleOptionValue(val, invalidValueMessage, "env");
          });
        }
        return this;
      }
      /**
       * Internal implementation shared by .option() and .requiredOption()
       *
       * @return {Command} `this` command for chaining
       * @private
       */
      _optionEx(config, flags, description, fn, defaultValue) {
        if (typeof flags === "object" && flags instanceof Option2) {
          throw new Error(
            "To add an Option object use addOption() instead of option() or requiredOption()"
          );
        }
        const option = this.createOption(flags, description);
        option.makeOptionMandatory(!!config.mandatory);
        if (typeof fn === "function") {
          option.default(defaultValue).argParser(fn);
        } else if (fn instanceof RegExp) {
          const regex = fn;
          fn = (val, def) => {
            const m = regex.exec(val);
            return m ? m[0] : def;
          };
          option.default(defaultValue).argParser(fn);
        } else {
          option.default(fn);
        }
        return this.addOption(option);
      }
      /**
       * Define option with `flags`, `description`, and optional argument parsing function or `defaultValue` or both.
       *
       * The `flags` string contains the short and/or long flags, separated by comma, a pipe or space. A required
       * option-argument is indicated by `<>` and an optional option-argument by `[]`.
       *
       * See the README for more details, and see also addOption() and requiredOption().
       *
       * @example
       * program
       *     .option('-p, --pepper', 'add pepper')
       *     .option('--pt, --pizza-type <TYPE>', 'type of pizza') // required option-argument
       *     .option('-c, --cheese [CHEESE]', 'add extra cheese', 'mozzarella') // optional option-argument with default
       *     .option('-t, --tip <VALUE>', 'add tip to purchase cost', parseFloat) // custom parse function
       *
       * @param {string} flags
       * @param {string} [description]
       * @param {(Function|*)} [parseArg] - custom option processing function or default value
       * @param {*} [defaultValue]
       * @return {Command} `this` command for chaining
       */
      option(flags, description, parseArg, defaultValue) {
        return this._optionEx({}, flags, description, parseArg, defaultValue);
      }
      /**
       * Add a required option which must have a value after parsing. This usually means
       * the option must be specified on the command line. (Otherwise the same as .option().)
       *
       * The `flags` string contains the short and/or long flags, separated by comma, a pipe or space.
       *
       * @param {string} flags
       * @param {string} [description]
       * @param {(Function|*)} [parseArg] - custom option processing function or default value
       * @param {*} [defaultValue]
       * @return {Command} `this` command for chaining
       */
      requiredOption(flags, description, parseArg, defaultValue) {
        return this._optionEx(
          { mandatory: true },
          flags,
          description,
          parseArg,
          defaultValue
        );
      }
      /**
       * Alter parsing of short flags with optional values.
       *
       * @example
       * // for `.option('-f,--flag [value]'):
       * program.combineFlagAndOptionalValue(true);  // `-f80` is treated like `--flag=80`, this is the default behaviour
       * program.combineFlagAndOptionalValue(false) // `-fb` is treated like `-f -b`
       *
       * @param {boolean} [combine] - if `true` or omitted, an optional value can be specified directly after the flag.
       * @return {Command} `this` command for chaining
       */
      combineFlagAndOptionalValue(combine = true) {
        this._combineFlagAndOptionalValue = !!combine;
        return this;
      }
      /**
       * Allow unknown options on the command line.
       *
       * @param {boolean} [allowUnknown] - if `true` or omitted, no error will be thrown for unknown options.
       * @return {Command} `this` command for chaining
       */
      allowUnknownOption(allowUnknown = true) {
        this._allowUnknownOption = !!allowUnknown;
        return this;
      }
      /**
       * Allow excess command-arguments on the command line. Pass false to make excess arguments an error.
       *
       * @param {boolean} [allowExcess] - if `true` or omitted, no error will be thrown for excess arguments.
       * @return {Command} `this` command for chaining
       */
      allowExcessArguments(allowExcess = true) {
        this._allowExcessArguments = !!allowExcess;
        return this;
      }
      /**
       * Enable positional options. Positional means global options are specified before subcommands which lets
       * subcommands reuse the same option names, and also enables subcommands to turn on passThroughOptions.
       * The default behaviour is non-positional and global options may appear anywhere on the command line.
       *
       * @param {boolean} [positional]
       * @return {Command} `this` command for chaining
       */
      enablePositionalOptions(positional = true) {
        this._enablePositionalOptions = !!positional;
        return this;
      }
      /**
       * Pass through options that come after command-arguments rather than treat them as command-options,
       * so actual command-options come before command-arguments. Turning this on for a subcommand requires
       * positional options to have been enabled on the program (parent commands).
       * The default behaviour is non-positional and options may appear before or after command-arguments.
       *
       * @param {boolean} [passThrough] for unknown options.
       * @return {Command} `this` command for chaining
       */
      passThroughOptions(passThrough = true) {
        this._passThroughOptions = !!passThrough;
        this._checkForBrokenPassThrough();
        return this;
      }
      /**
       * @private
       */
      _checkForBrokenPassThrough() {
        if (this.parent && this._passThroughOptions && !this.parent._enablePositionalOptions) {
          throw new Error(
            `passThroughOptions cannot be used for '${this._name}' without turning on enablePositionalOptions for parent command(s)`
          );
        }
      }
      /**
       * Whether to store option values as properties on command object,
       * or store separately (specify false). In both cases the option values can be accessed using .opts().
       *
       * @param {boolean} [storeAsProperties=true]
       * @return {Command} `this` command for chaining
       */
      storeOptionsAsProperties(storeAsProperties = true) {
        if (this.options.length) {
          throw new Error("call .storeOptionsAsProperties() before adding options");
        }
        if (Object.keys(this._optionValues).length) {
          throw new Error(
            "call .storeOptionsAsProperties() before setting option values"
          );
        }
        this._storeOptionsAsProperties = !!storeAsProperties;
        return this;
      }
      /**
       * Retrieve option value.
       *
       * @param {string} key
       * @return {object} value
       */
      getOptionValue(key2) {
        if (this._storeOptionsAsProperties) {
          return this[key2];
        }
        return this._optionValues[key2];
      }
      /**
       * Store option value.
       *
       * @param {string} key
       * @param {object} value
       * @return {Command} `this` command for chaining
       */
      setOptionValue(key2, value) {
        return this.setOptionValueWithSource(key2, value, void 0);
      }
      /**
       * Store option value and where the value came from.
       *
       * @param {string} key
       * @param {object} value
       * @param {string} source - expected values are default/config/env/cli/implied
       * @return {Command} `this` command for chaining
       */
      setOptionValueWithSource(key2, value, source) {
        if (this._storeOptionsAsProperties) {
          this[key2] = value;
        } else {
          this._optionValues[key2] = value;
        }
        this._optionValueSources[key2] = source;
        return this;
      }
      /**
       * Get source of option value.
       * Expected values are default | config | env | cli | implied
       *
       * @param {string} key
       * @return {string}
       */
      getOptionValueSource(key2) {
        return this._optionValueSources[key2];
      }
      /**
       * Get source of option value. See also .optsWithGlobals().
       * Expected values are default | config | env | cli | implied
       *
       * @param {string} key
       * @return {string}
       */
      getOptionValueSourceWithGlobals(key2) {
        let source;
        this._getCommandAndAncestors().forEach((cmd) => {
          if (cmd.getOptionValueSource(key2) !== void 0) {
            source = cmd.getOptionValueSource(key2);
          }
        });
        return source;
      }
      /**
       * Get user arguments from implied or explicit arguments.
       * Side-effects: set _scriptPath if args included script. Used for default program name, and subcommand searches.
       *
       * @private
       */
      _prepareUserArgs(argv, parseOptions) {
        if (argv !== void 0 && !Array.isArray(argv)) {
          throw new Error("first parameter to parse must be array or undefined");
        }
        parseOptions = parseOptions || {};
        if (argv === void 0 && parseOptions.from === void 0) {
          if (process2.versions?.electron) {
            parseOptions.from = "electron";
          }
          const execArgv = process2.execArgv ?? [];
          if (execArgv.includes("-e") || execArgv.includes("--eval") || execArgv.includes("-p") || execArgv.includes("--print")) {
            parseOptions.from = "eval";
          }
        }
        if (argv === void 0) {
          argv = process2.argv;
        }
        this.rawArgs = argv.slice();
        let userArgs;
        switch (parseOptions.from) {
          case void 0:
          case "node":
            this._scriptPath = argv[1];
            userArgs = argv.slice(2);
            break;
          case "electron":
            if (process2.defaultApp) {
              this._scriptPath = argv[1];
              userArgs = argv.slice(2);
            } else {
              userArgs = argv.slice(1);
            }
            break;
          case "user":
            userArgs = argv.slice(0);
            break;
          case "eval":
            userArgs = argv.slice(1);
            break;
          default:
            throw new Error(
              `unexpected parse option { from: '${parseOptions.from}' }`
            );
        }
        if (!this._name && this._scriptPath)
          this.nameFromFilename(this._scriptPath);
        this._name = this._name || "program";
        return userArgs;
      }
      /**
       * Parse `argv`, setting options and invoking commands when defined.
       *
       * Use parseAsync instead of parse if any of your action handlers are async.
       *
       * Call with no parameters to parse `process.argv`. Detects Electron and special node options like `node --eval`. Easy mode!
       *
       * Or call with an array of strings to parse, and optionally where the user arguments start by specifying where the arguments are `from`:
       * - `'node'`: default, `argv[0]` is the application and `argv[1]` is the script being run, with user arguments after that
       * - `'electron'`: `argv[0]` is the application and `argv[1]` varies depending on whether the electron application is packaged
       * - `'user'`: just user arguments
       *
       * @example
       * program.parse(); // parse process.argv and auto-detect electron and special node flags
       * program.parse(process.argv); // assume argv[0] is app and argv[1] is script
       * program.parse(my-args, { from: 'user' }); // just user supplied arguments, nothing special about argv[0]
       *
       * @param {string[]} [argv] - optional, defaults to process.argv
       * @param {object} [parseOptions] - optionally specify style of options with from: node/user/electron
       * @param {string} [parseOptions.from] - where the args are from: 'node', 'user', 'electron'
       * @return {Command} `this` command for chaining
       */
      parse(argv, parseOptions) {
        this._prepareForParse();
        const userArgs = this._prepareUserArgs(argv, parseOptions);
        this._parseCommand([], userArgs);
        return this;
      }
      /**
       * Parse `argv`, setting options and invoking commands when defined.
       *
       * Call with no parameters to parse `process.argv`. Detects Electron and special node options like `node --eval`. Easy mode!
       *
       * Or call with an array of strings to parse, and optionally where the user arguments start by specifying where the arguments are `from`:
       * - `'node'`: default, `argv[0]` is the application and `argv[1]` is the script being run, with user arguments after that
       * - `'electron'`: `argv[0]` is the application and `argv[1]` varies depending on whether the electron application is packaged
       * - `'user'`: just user arguments
       *
       * @example
       * await program.parseAsync(); // parse process.argv and auto-detect electron and special node flags
       * await program.parseAsync(process.argv); // assume argv[0] is app and argv[1] is script
       * await program.parseAsync(my-args, { from: 'user' }); // just user supplied arguments, nothing special about argv[0]
       *
       * @param {string[]} [argv]
       * @param {object} [parseOptions]
       * @param {string} parseOptions.from - where the args are from: 'node', 'user', 'electron'
       * @return {Promise}
       */
      async parseAsync(argv, parseOptions) {
        this._prepareForParse();
        const userArgs = this._prepareUserArgs(argv, parseOptions);
        await this._parseCommand([], userArgs);
        return this;
      }
      _prepareForParse() {
        if (this._savedState === null) {
          this.saveStateBeforeParse();
        } else {
          this.restoreStateBeforeParse();
        }
      }
      /**
       * Called the first time parse is called to save state and allow a restore before subsequent calls to parse.
       * Not usually called directly, but available for subclasses to save their custom state.
       *
       * This is called in a lazy way. Only commands used in parsing chain will have state saved.
       */
      saveStateBeforeParse() {
        this._savedState = {
          // name is stable if supplied by author, but may be unspecified for root command and deduced during parsing
          _name: this._name,
          // option values before parse have default values (including false for negated options)
          // shallow clones
          _optionValues: { ...this._optionValues },
          _optionValueSources: { ...this._optionValueSources }
        };
      }
      /**
       * Restore state before parse for calls after the first.
       * Not usually called directly, but available for subclasses to save their custom state.
       *
       * This is called in a lazy way. Only commands used in parsing chain will have state restored.
       */
      restoreStateBeforeParse() {
        if (this._storeOptionsAsProperties)
          throw new Error(`Can not call parse again when storeOptionsAsProperties is true.
- either make a new Command for each call to parse, or stop storing options as properties`);
        this._name = this._savedState._name;
        this._scriptPath = null;
        this.rawArgs = [];
        this._optionValues = { ...this._savedState._optionValues };
        this._optionValueSources = { ...this._savedState._optionValueSources };
        this.args = [];
        this.processedArgs = [];
      }
      /**
       * Throw if expected executable is missing. Add lots of help for author.
       *
       * @param {string} executableFile
       * @param {string} executableDir
       * @param {string} subcommandName
       */
      _checkForMissingExecutable(executableFile, executableDir, subcommandName) {
        if (fs.existsSync(executableFile)) return;
        const executableDirMessage = executableDir ? `searched for local subcommand relative to directory '${executableDir}'` : "no directory for search for local subcommand, use .executableDir() to supply a custom directory";
        const executableMissing = `'${executableFile}' does not exist
 - if '${subcommandName}' is not meant to be an executable command, remove description parameter from '.command()' and use '.description()' instead
 - if the default executable name is not suitable, use the executableFile option to supply a custom name or path
 - ${executableDirMessage}`;
        throw new Error(executableMissing);
      }
      /**
       * Execute a sub-command executable.
       *
       * @private
       */
      _executeSubCommand(subcommand, args) {
        args = args.slice();
        let launchWithNode = false;
        const sourceExt = [".js", ".ts", ".tsx", ".mjs", ".cjs"];
        function findFile(baseDir, baseName) {
          const localBin = path.resolve(baseDir, baseName);
          if (fs.existsSync(localBin)) return localBin;
          if (sourceExt.includes(path.extname(baseName))) return void 0;
          const foundExt = sourceExt.find(
            (ext) => fs.existsSync(`${localBin}${ext}`)
          );
          if (foundExt) return `${localBin}${foundExt}`;
          return void 0;
        }
        this._checkForMissingMandatoryOptions();
        this._checkForConflictingOptions();
        let executableFile = subcommand._executableFile || `${this._name}-${subcommand._name}`;
        let executableDir = this._executableDir || "";
        if (this._scriptPath) {
          let resolvedScriptPath;
          try {
            resolvedScriptPath = fs.realpathSync(this._scriptPath);
          } catch {
            resolvedScriptPath = this._scriptPath;
          }
          executableDir = path.resolve(
            path.dirname(resolvedScriptPath),
            executableDir
          );
        }
        if (executableDir) {
          let localFile = findFile(executableDir, executableFile);
          if (!localFile && !subcommand._executableFile && this._scriptPath) {
            const legacyName = path.basename(
              this._scriptPath,
              path.extname(this._scriptPath)
            );
            if (legacyName !== this._name) {
              localFile = findFile(
                executableDir,
                `${legacyName}-${subcommand._name}`
              );
            }
          }
          executableFile = localFile || executableFile;
        }
        launchWithNode = sourceExt.includes(path.extname(executableFile));
        let proc;
        if (process2.platform !== "win32") {
          if (launchWithNode) {
            args.unshift(executableFile);
            args = incrementNodeInspectorPort(process2.execArgv).concat(args);
            proc = childProcess.spawn(process2.argv[0], args, { stdio: "inherit" });
          } else {
            proc = childProcess.spawn(executableFile, args, { stdio: "inherit" });
          }
        } else {
          this._checkForMissingExecutable(
            executableFile,
            executableDir,
            subcommand._name
          );
          args.unshift(executableFile);
          args = incrementNodeInspectorPort(process2.execArgv).concat(args);
          proc = childProcess.spawn(process2.execPath, args, { stdio: "inherit" });
        }
        if (!proc.killed) {
          const signals = ["SIGUSR1", "SIGUSR2", "SIGTERM", "SIGINT", "SIGHUP"];
          signals.forEach((signal) => {
            process2.on(signal, () => {
              if (proc.killed === false && proc.exitCode === null) {
                proc.kill(signal);
              }
            });
          });
        }
        const exitCallback = this._exitCallback;
        proc.on("close", (code2) => {
          code2 = code2 ?? 1;
          if (!exitCallback) {
            process2.exit(code2);
          } else {
            exitCallback(
              new CommanderError2(
                code2,
                "commander.executeSubCommandAsync",
                "(close)"
              )
            );
          }
        });
        proc.on("error", (err) => {
          if (err.code === "ENOENT") {
            this._checkForMissingExecutable(
              executableFile,
              executableDir,
              subcommand._name
            );
          } else if (err.code === "EACCES") {
            throw new Error(`'${executableFile}' not executable`);
          }
          if (!exitCallback) {
            process2.exit(1);
          } else {
            const wrappedError = new CommanderError2(
              1,
              "commander.executeSubCommandAsync",
              "(error)"
            );
            wrappedError.nestedError = err;
            exitCallback(wrappedError);
          }
        });
        this.runningCommand = proc;
      }
      /**
       * @private
       */
      _dispatchSubcommand(commandName, operands, unknown) {
        const subCommand = this._findCommand(commandName);
        if (!subCommand) this.help({ error: true });
        subCommand._prepareForParse();
        let promiseChain;
        promiseChain = this._chainOrCallSubCommandHook(
          promiseChain,
          subCommand,
          "preSubcommand"
        );
        promiseChain = this._chainOrCall(promiseChain, () => {
          if (subCommand._executableHandler) {
            this._executeSubCommand(subCommand, operands.concat(unknown));
          } else {
            return subCommand._parseCommand(operands, unknown);
          }
        });
        return promiseChain;
      }
      /**
       * Invoke help directly if possible, or dispatch if necessary.
       * e.g. help foo
       *
       * @private
       */
      _dispatchHelpCommand(subcommandName) {
        if (!subcommandName) {
          this.help();
        }
        const subCommand = this._findCommand(subcommandName);
        if (subCommand && !subCommand._executableHandler) {
          subCommand.help();
        }
        return this._dispatchSubcommand(
          subcommandName,
          [],
          [this._getHelpOption()?.long ?? this._getHelpOption()?.short ?? "--help"]
        );
      }
      /**
       * Check this.args against expected this.registeredArguments.
       *
       * @private
       */
      _checkNumberOfArguments() {
        this.registeredArguments.forEach((arg, i) => {
          if (arg.required && this.args[i] == null) {
            this.missingArgument(arg.name());
          }
        });
        if (this.registeredArguments.length > 0 && this.registeredArguments[this.registeredArguments.length - 1].variadic) {
          return;
        }
        if (this.args.length > this.registeredArguments.length) {
          this._excessArguments(this.args);
        }
      }
      /**
       * Process this.args using this.registeredArguments and save as this.processedArgs!
       *
       * @private
       */
      _processArguments() {
        const myParseArg = (argument, value, previous) => {
          let parsedValue = value;
          if (value !== null && argument.parseArg) {
            const invalidValueMessage = `error: command-argument value '${value}' is invalid for argument '${argument.name()}'.`;
            parsedValue = this._callParseArg(
              argument,
              value,
              previous,
              invalidValueMessage
            );
          }
          return parsedValue;
        };
        this._checkNumberOfArguments();
        const processedArgs = [];
        this.registeredArguments.forEach((declaredArg, index) => {
          let value = declaredArg.defaultValue;
          if (declaredArg.variadic) {
            if (index < this.args.length) {
              value = this.args.slice(index);
              if (declaredArg.parseArg) {
                value = value.reduce((processed, v) => {
                  return myParseArg(declaredArg, v, processed);
                }, declaredArg.defaultValue);
              }
            } else if (value === void 0) {
              value = [];
            }
          } else if (index < this.args.length) {
            value = this.args[index];
            if (declaredArg.parseArg) {
              value = myParseArg(declaredArg, value, declaredArg.defaultValue);
            }
          }
          processedArgs[index] = value;
        });
        this.processedArgs = processedArgs;
      }
      /**
       * Once we have a promise we chain, but call synchronously until then.
       *
       * @param {(Promise|undefined)} promise
       * @param {Function} fn
       * @return {(Promise|undefined)}
       * @private
       */
      _chainOrCall(promise, fn) {
        if (promise?.then && typeof promise.then === "function") {
          return promise.then(() => fn());
        }
        return fn();
      }
      /**
       *
       * @param {(Promise|undefined)} promise
       * @param {string} event
       * @return {(Promise|undefined)}
       * @private
       */
      _chainOrCallHooks(promise, event) {
        let result = promise;
        const hooks = [];
        this._getCommandAndAncestors().reverse().filter((cmd) => cmd._lifeCycleHooks[event] !== void 0).forEach((hookedCommand) => {
          hookedCommand._lifeCycleHooks[event].forEach((callback) => {
            hooks.push({ hookedCommand, callback });
          });
        });
        if (event === "postAction") {
          hooks.reverse();
        }
        hooks.forEach((hookDetail) => {
          result = this._chainOrCall(result, () => {
            return hookDetail.callback(hookDetail.hookedCommand, this);
          });
        });
        return result;
      }
      /**
       *
       * @param {(Promise|undefined)} promise
       * @param {Command} subCommand
       * @param {string} event
       * @return {(Promise|undefined)}
       * @private
       */
      _chainOrCallSubCommandHook(promise, subCommand, event) {
        let result = promise;
        if (this._lifeCycleHooks[event] !== void 0) {
          this._lifeCycleHooks[event].forEach((hook) => {
            result = this._chainOrCall(result, () => {
              return hook(this, subCommand);
            });
          });
        }
        return result;
      }
      /**
       * Process arguments in context of this command.
       * Returns action result, in case it is a promise.
       *
       * @private
       */
      _parseCommand(operands, unknown) {
        const parsed = this.parseOptions(unknown);
        this._parseOptionsEnv();
        this._parseOptionsImplied();
        operands = operands.concat(parsed.operands);
        unknown = parsed.unknown;
        this.args = operands.concat(unknown);
        if (operands && this._findCommand(operands[0])) {
          return this._dispatchSubcommand(operands[0], operands.slice(1), unknown);
        }
        if (this._getHelpCommand() && operands[0] === this._getHelpCommand().name()) {
          return this._dispatchHelpCommand(operands[1]);
        }
        if (this._defaultCommandName) {
          this._outputHelpIfRequested(unknown);
          return this._dispatchSubcommand(
            this._defaultCommandName,
            operands,
            unknown
          );
        }
        if (this.commands.length && this.args.length === 0 && !this._actionHandler && !this._defaultCommandName) {
          this.help({ error: true });
        }
        this._outputHelpIfRequested(parsed.unknown);
        this._checkForMissingMandatoryOptions();
        this._checkForConflictingOptions();
        const checkForUnknownOptions = () => {
          if (parsed.unknown.length > 0) {
            this.unknownOption(parsed.unknown[0]);
          }
        };
        const commandEvent = `command:${this.name()}`;
        if (this._actionHandler) {
          checkForUnknownOptions();
          this._processArguments();
          let promiseChain;
          promiseChain = this._chainOrCallHooks(promiseChain, "preAction");
          promiseChain = this._chainOrCall(
            promiseChain,
            () => this._actionHandler(this.processedArgs)
          );
          if (this.parent) {
            promiseChain = this._chainOrCall(promiseChain, () => {
              this.parent.emit(commandEvent, operands, unknown);
            });
          }
          promiseChain = this._chainOrCallHooks(promiseChain, "postAction");
          return promiseChain;
        }
        if (this.parent?.listenerCount(commandEvent)) {
          checkForUnknownOptions();
          this._processArguments();
          this.parent.emit(commandEvent, operands, unknown);
        } else if (operands.length) {
          if (this._findCommand("*")) {
            return this._dispatchSubcommand("*", operands, unknown);
          }
          if (this.listenerCount("command:*")) {
            this.emit("command:*", operands, unknown);
          } else if (this.commands.length) {
            this.unknownCommand();
          } else {
            checkForUnknownOptions();
            this._processArguments();
          }
        } else if (this.commands.length) {
          checkForUnknownOptions();
          this.help({ error: true });
        } else {
          checkForUnknownOptions();
          this._processArguments();
        }
      }
      /**
       * Find matching command.
       *
       * @private
       * @return {Command | undefined}
       */
      _findCommand(name) {
        if (!name) return void 0;
        return this.commands.find(
          (cmd) => cmd._name === name || cmd._aliases.includes(name)
        );
      }
      /**
       * Return an option matching `arg` if any.
       *
       * @param {string} arg
       * @return {Option}
       * @package
       */
      _findOption(arg) {
        return this.options.find((option) => option.is(arg));
      }
      /**
       * Display an error message if a mandatory option does not have a value.
       * Called after checking for help flags in leaf subcommand.
       *
       * @private
       */
      _checkForMissingMandatoryOptions() {
        this._getCommandAndAncestors().forEach((cmd) => {
          cmd.options.forEach((anOption) => {
            if (anOption.mandatory && cmd.getOptionValue(anOption.attributeName()) === void 0) {
              cmd.missingMandatoryOptionValue(anOption);
            }
          });
        });
      }
      /**
       * Display an error message if conflicting options are used together in this.
       *
       * @private
       */
      _checkForConflictingLocalOptions() {
        const definedNonDefaultOptions = this.options.filter((option) => {
          const optionKey = option.attributeName();
          if (this.getOptionValue(optionKey) === void 0) {
            return false;
          }
          return this.getOptionValueSource(optionKey) !== "default";
        });
        const optionsWithConflicting = definedNonDefaultOptions.filter(
          (option) => option.conflictsWith.length > 0
        );
        optionsWithConflicting.forEach((option) => {
          const conflictingAndDefined = definedNonDefaultOptions.find(
            (defined) => option.conflictsWith.includes(defined.attributeName())
          );
          if (conflictingAndDefined) {
            this._conflictingOption(option, conflictingAndDefined);
          }
        });
      }
      /**
       * Display an error message if conflicting options are used together.
       * Called after checking for help flags in leaf subcommand.
       *
       * @private
       */
      _checkForConflictingOptions() {
        this._getCommandAndAncestors().forEach((cmd) => {
          cmd._checkForConflictingLocalOptions();
        });
      }
      /**
       * Parse options from `argv` removing known options,
       * and return argv split into operands and unknown arguments.
       *
       * Side effects: modifies command by storing options. Does not reset state if called again.
       *
       * Examples:
       *
       *     argv => operands, unknown
       *     --known kkk op => [op], []
       *     op --known kkk => [op], []
       *     sub --unknown uuu op => [sub], [--unknown uuu op]
       *     sub -- --unknown uuu op => [sub --unknown uuu op], []
       *
       * @param {string[]} args
       * @return {{operands: string[], unknown: string[]}}
       */
      parseOptions(args) {
        const operands = [];
        const unknown = [];
        let dest = operands;
        function maybeOption(arg) {
          return arg.length > 1 && arg[0] === "-";
        }
        const negativeNumberArg = (arg) => {
          if (!/^-(\d+|\d*\.\d+)(e[+-]?\d+)?$/.test(arg)) return false;
          return !this._getCommandAndAncestors().some(
            (cmd) => cmd.options.map((opt) => opt.short).some((short) => /^-\d$/.test(short))
          );
        };
        let activeVariadicOption = null;
        let activeGroup = null;
        let i = 0;
        while (i < args.length || activeGroup) {
          const arg = activeGroup ?? args[i++];
          activeGroup = null;
          if (arg === "--") {
            if (dest === unknown) dest.push(arg);
            dest.push(...args.slice(i));
            break;
          }
          if (activeVariadicOption && (!maybeOption(arg) || negativeNumberArg(arg))) {
            this.emit(`option:${activeVariadicOption.name()}`, arg);
            continue;
          }
          activeVariadicOption = null;
          if (maybeOption(arg)) {
            const option = this._findOption(arg);
            if (option) {
              if (option.required) {
                const value = args[i++];
                if (value === void 0) this.optionMissingArgument(option);
                this.emit(`option:${option.name()}`, value);
              } else if (option.optional) {
                let value = null;
                if (i < args.length && (!maybeOption(args[i]) || negativeNumberArg(args[i]))) {
                  value = args[i++];
                }
                this.emit(`option:${option.name()}`, value);
              } else {
                this.emit(`option:${option.name()}`);
              }
              activeVariadicOption = option.variadic ? option : null;
              continue;
            }
          }
          if (arg.length > 2 && arg[0] === "-" && arg[1] !== "-") {
            const option = this._findOption(`-${arg[1]}`);
            if (option) {
              if (option.required || option.optional && this._combineFlagAndOptionalValue) {
                this.emit(`option:${option.name()}`, arg.slice(2));
              } else {
                this.emit(`option:${option.name()}`);
                activeGroup = `-${arg.slice(2)}`;
              }
              continue;
            }
          }
          if (/^--[^=]+=/.test(arg)) {
            const index = arg.indexOf("=");
            const option = this._findOption(arg.slice(0, index));
            if (option && (option.required || option.optional)) {
              this.emit(`option:${option.name()}`, arg.slice(index + 1));
              continue;
            }
          }
          if (dest === operands && maybeOption(arg) && !(this.commands.length === 0 && negativeNumberArg(arg))) {
            dest = unknown;
          }
          if ((this._enablePositionalOptions || this._passThroughOptions) && operands.length === 0 && unknown.length === 0) {
            if (this._findCommand(arg)) {
              operands.push(arg);
              unknown.push(...args.slice(i));
              break;
            } else if (this._getHelpCommand() && arg === this._getHelpCommand().name()) {
              operands.push(arg, ...args.slice(i));
              break;
            } else if (this._defaultCommandName) {
              unknown.push(arg, ...args.slice(i));
              break;
            }
          }
          if (this._passThroughOptions) {
            dest.push(arg, ...args.slice(i));
            break;
          }
          dest.push(arg);
        }
        return { operands, unknown };
      }
      /**
       * Return an object containing local option values as key-value pairs.
       *
       * @return {object}
       */
      opts() {
        if (this._storeOptionsAsProperties) {
          const result = {};
          const len = this.options.length;
          for (let i = 0; i < len; i++) {
            const key2 = this.options[i].attributeName();
            result[key2] = key2 === this._versionOptionName ? this._version : this[key2];
          }
          return result;
        }
        return this._optionValues;
      }
      /**
       * Return an object containing merged local and global option values as key-value pairs.
       *
       * @return {object}
       */
      optsWithGlobals() {
        return this._getCommandAndAncestors().reduce(
          (combinedOptions, cmd) => Object.assign(combinedOptions, cmd.opts()),
          {}
        );
      }
      /**
       * Display error message and exit (or call exitOverride).
       *
       * @param {string} message
       * @param {object} [errorOptions]
       * @param {string} [errorOptions.code] - an id string representing the error
       * @param {number} [errorOptions.exitCode] - used with process.exit
       */
      error(message, errorOptions) {
        this._outputConfiguration.outputError(
          `${message}
`,
          this._outputConfiguration.writeErr
        );
        if (typeof this._showHelpAfterError === "string") {
          this._outputConfiguration.writeErr(`${this._showHelpAfterError}
`);
        } else if (this._showHelpAfterError) {
          this._outputConfiguration.writeErr("\n");
          this.outputHelp({ error: true });
        }
        const config = errorOptions || {};
        const exitCode = config.exitCode || 1;
        const code2 = config.code || "commander.error";
        this._exit(exitCode, code2, message);
      }
      /**
       * Apply any option related environment variables, if option does
       * not have a value from cli or client code.
       *
       * @private
       */
      _parseOptionsEnv() {
        this.options.forEach((option) => {
          if (option.envVar && option.envVar in process2.env) {
            const optionKey = option.attributeName();
            if (this.getOptionValue(optionKey) === void 0 || ["default", "config", "env"].includes(
              this.getOptionValueSource(optionKey)
            )) {
              if (option.required || option.optional) {
                this.emit(`optionEnv:${option.name()}`, process2.env[option.envVar]);
              } else {
                this.emit(`optionEnv:${option.name()}`);
              }
            }
          }
        });
      }
      /**
       * Apply any implied option values, if option is undefined or default value.
       *
       * @private
       */
      _parseOptionsImplied() {
        const dualHelper = new DualOptions(this.options);
        const hasCustomOptionValue = (optionKey) => {
          return this.getOptionValue(optionKey) !== void 0 && !["default", "implied"].includes(this.getOptionValueSource(optionKey));
        };
        this.options.filter(
          (option) => option.implied !== void 0 && hasCustomOptionValue(option.attributeName()) && dualHelper.valueFromOption(
            this.getOptionValue(option.attributeName()),
            option
          )
        ).forEach((option) => {
          Object.keys(option.implied).filter((impliedKey) => !hasCustomOptionValue(impliedKey)).forEach((impliedKey) => {
            this.setOptionValueWithSource(
              impliedKey,
              option.implied[impliedKey],
              "implied"
            );
          });
        });
      }
      /**
       * Argument `name` is missing.
       *
       * @param {string} name
       * @private
       */
      missingArgument(name) {
        const message = `error: missing required argument '${name}'`;
        this.error(message, { code: "commander.missingArgument" });
      }
      /**
       * `Option` is missing an argument.
       *
       * @param {Option} option
       * @private
       */
      optionMissingArgument(option) {
        const message = `error: option '${option.flags}' argument missing`;
        this.error(message, { code: "commander.optionMissingArgument" });
      }
      /**
       * `Option` does not have a value, and is a mandatory option.
       *
       * @param {Option} option
       * @private
       */
      missingMandatoryOptionValue(option) {
        const message = `error: required option '${option.flags}' not specified`;
        this.error(message, { code: "commander.missingMandatoryOptionValue" });
      }
      /**
       * `Option` conflicts with another option.
       *
       * @param {Option} option
       * @param {Option} conflictingOption
       * @private
       */
      _conflictingOption(option, conflictingOption) {
        const findBestOptionFromValue = (option2) => {
          const optionKey = option2.attributeName();
          const optionValue = this.getOptionValue(optionKey);
          const negativeOption = this.options.find(
            (target) => target.negate && optionKey === target.attributeName()
          );
          const positiveOption = this.options.find(
            (target) => !target.negate && optionKey === target.attributeName()
          );
          if (negativeOption && (negativeOption.presetArg === void 0 && optionValue === false || negativeOption.presetArg !== void 0 && optionValue === negativeOption.presetArg)) {
            return negativeOption;
          }
          return positiveOption || option2;
        };
        const getErrorMessage = (option2) => {
          const bestOption = findBestOptionFromValue(option2);
          const optionKey = bestOption.attributeName();
          const source = this.getOptionValueSource(optionKey);
          if (source === "env") {
            return `environment variable '${bestOption.envVar}'`;
          }
          return `option '${bestOption.flags}'`;
        };
        const message = `error: ${getErrorMessage(option)} cannot be used with ${getErrorMessage(conflictingOption)}`;
        this.error(message, { code: "commander.conflictingOption" });
      }
      /**
       * Unknown option `flag`.
       *
       * @param {string} flag
       * @private
       */
      unknownOption(flag) {
        if (this._allowUnknownOption) return;
        let suggestion = "";
        if (flag.startsWith("--") && this._showSuggestionAfterError) {
          let candidateFlags = [];
          let command = this;
          do {
            const moreFlags = command.createHelp().visibleOptions(command).filter((option) => option.long).map((option) => option.long);
            candidateFlags = candidateFlags.concat(moreFlags);
            command = command.parent;
          } while (command && !command._enablePositionalOptions);
          suggestion = suggestSimilar(flag, candidateFlags);
        }
        const message = `error: unknown option '${flag}'${suggestion}`;
        this.error(message, { code: "commander.unknownOption" });
      }
      /**
       * Excess arguments, more than expected.
       *
       * @param {string[]} receivedArgs
       * @private
       */
      _excessArguments(receivedArgs) {
        if (this._allowExcessArguments) return;
        const expected = this.registeredArguments.length;
        const s = expected === 1 ? "" : "s";
        const forSubcommand = this.parent ? ` for '${this.name()}'` : "";
        const message = `error: too many arguments${forSubcommand}. Expected ${expected} argument${s} but got ${receivedArgs.length}.`;
        this.error(message, { code: "commander.excessArguments" });
      }
      /**
       * Unknown command.
       *
       * @private
       */
      unknownCommand() {
        const unknownName = this.args[0];
        let suggestion = "";
        if (this._showSuggestionAfterError) {
          const candidateNames = [];
          this.createHelp().visibleCommands(this).forEach((command) => {
            candidateNames.push(command.name());
            if (command.alias()) candidateNames.push(command.alias());
          });
          suggestion = suggestSimilar(unknownName, candidateNames);
        }
        const message = `error: unknown command '${unknownName}'${suggestion}`;
        this.error(message, { code: "commander.unknownCommand" });
      }
      /**
       * Get or set the program version.
       *
       * This method auto-registers the "-V, --version" option which will print the version number.
       *
       * You can optionally supply the flags and description to override the defaults.
       *
       * @param {string} [str]
       * @param {string} [flags]
       * @param {string} [description]
       * @return {(this | string | undefined)} `this` command for chaining, or version string if no arguments
       */
      version(str, flags, description) {
        if (str === void 0) return this._version;
        this._version = str;
        flags = flags || "-V, --version";
        description = description || "output the version number";
        const versionOption = this.createOption(flags, description);
        this._versionOptionName = versionOption.attributeName();
        this._registerOption(versionOption);
        this.on("option:" + versionOption.name(), () => {
          this._outputConfiguration.writeOut(`${str}
`);
          this._exit(0, "commander.version", str);
        });
        return this;
      }
      /**
       * Set the description.
       *
       * @param {string} [str]
       * @param {object} [argsDescription]
       * @return {(string|Command)}
       */
      description(str, argsDescription) {
        if (str === void 0 && argsDescription === void 0)
          return this._description;
        this._description = str;
        if (argsDescription) {
          this._argsDescription = argsDescription;
        }
        return this;
      }
      /**
       * Set the summary. Used when listed as subcommand of parent.
       *
       * @param {string} [str]
       * @return {(string|Command)}
       */
      summary(str) {
        if (str === void 0) return this._summary;
        this._summary = str;
        return this;
      }
      /**
       * Set an alias for the command.
       *
       * You may call more than once to add multiple aliases. Only the first alias is shown in the auto-generated help.
       *
       * @param {string} [alias]
       * @return {(string|Command)}
       */
      alias(alias) {
        if (alias === void 0) return this._aliases[0];
        let command = this;
        if (this.commands.length !== 0 && this.commands[this.commands.length - 1]._executableHandler) {
          command = this.commands[this.commands.length - 1];
        }
        if (alias === command._name)
          throw new Error("Command alias can't be the same as its name");
        const matchingCommand = this.parent?._findCommand(alias);
        if (matchingCommand) {
          const existingCmd = [matchingCommand.name()].concat(matchingCommand.aliases()).join("|");
          throw new Error(
            `cannot add alias '${alias}' to command '${this.name()}' as already have command '${existingCmd}'`
          );
        }
        command._aliases.push(alias);
        return this;
      }
      /**
       * Set aliases for the command.
       *
       * Only the first alias is shown in the auto-generated help.
       *
       * @param {string[]} [aliases]
       * @return {(string[]|Command)}
       */
      aliases(aliases) {
        if (aliases === void 0) return this._aliases;
        aliases.forEach((alias) => this.alias(alias));
        return this;
      }
      /**
       * Set / get the command usage `str`.
       *
       * @param {string} [str]
       * @return {(string|Command)}
       */
      usage(str) {
        if (str === void 0) {
          if (this._usage) return this._usage;
          const args = this.registeredArguments.map((arg) => {
            return humanReadableArgName(arg);
          });
          return [].concat(
            this.options.length || this._helpOption !== null ? "[options]" : [],
            this.commands.length ? "[command]" : [],
            this.registeredArguments.length ? args : []
          ).join(" ");
        }
        this._usage = str;
        return this;
      }
      /**
       * Get or set the name of the command.
       *
       * @param {string} [str]
       * @return {(string|Command)}
       */
      name(str) {
        if (str === void 0) return this._name;
        this._name = str;
        return this;
      }
      /**
       * Set/get the help group heading for this subcommand in parent command's help.
       *
       * @param {string} [heading]
       * @return {Command | string}
       */
      helpGroup(heading) {
        if (heading === void 0) return this._helpGroupHeading ?? "";
        this._helpGroupHeading = heading;
        return this;
      }
      /**
       * Set/get the default help group heading for subcommands added to this command.
       * (This does not override a group set directly on the subcommand using .helpGroup().)
       *
       * @example
       * program.commandsGroup('Development Commands:);
       * program.command('watch')...
       * program.command('lint')...
       * ...
       *
       * @param {string} [heading]
       * @returns {Command | string}
       */
      commandsGroup(heading) {
        if (heading === void 0) return this._defaultCommandGroup ?? "";
        this._defaultCommandGroup = heading;
        return this;
      }
      /**
       * Set/get the default help group heading for options added to this command.
       * (This does not override a group set directly on the option using .helpGroup().)
       *
       * @example
       * program
       *   .optionsGroup('Development Options:')
       *   .option('-d, --debug', 'output extra debugging')
       *   .option('-p, --profile', 'output profiling information')
       *
       * @param {string} [heading]
       * @returns {Command | string}
       */
      optionsGroup(heading) {
        if (heading === void 0) return this._defaultOptionGroup ?? "";
        this._defaultOptionGroup = heading;
        return this;
      }
      /**
       * @param {Option} option
       * @private
       */
      _initOptionGroup(option) {
        if (this._defaultOptionGroup && !option.helpGroupHeading)
          option.helpGroup(this._defaultOptionGroup);
      }
      /**
       * @param {Command} cmd
       * @private
       */
      _initCommandGroup(cmd) {
        if (this._defaultCommandGroup && !cmd.helpGroup())
          cmd.helpGroup(this._defaultCommandGroup);
      }
      /**
       * Set the name of the command from script filename, such as process.argv[1],
       * or require.main.filename, or __filename.
       *
       * (Used internally and public although not documented in README.)
       *
       * @example
       * program.nameFromFilename(require.main.filename);
       *
       * @param {string} filename
       * @return {Command}
       */
      nameFromFilename(filename) {
        this._name = path.basename(filename, path.extname(filename));
        return this;
      }
      /**
       * Get or set the directory for searching for executable subcommands of this command.
       *
       * @example
       * program.executableDir(__dirname);
       * // or
       * program.executableDir('subcommands');
       *
       * @param {string} [path]
       * @return {(string|null|Command)}
       */
      executableDir(path2) {
        if (path2 === void 0) return this._executableDir;
        this._executableDir = path2;
        return this;
      }
      /**
       * Return program help documentation.
       *
       * @param {{ error: boolean }} [contextOptions] - pass {error:true} to wrap for stderr instead of stdout
       * @return {string}
       */
      helpInformation(contextOptions) {
        const helper = this.createHelp();
        const context = this._getOutputContext(contextOptions);
        helper.prepareContext({
          error: context.error,
          helpWidth: context.helpWidth,
          outputHasColors: context.hasColors
        });
        const text2 = helper.formatHelp(this, helper);
        if (context.hasColors) return text2;
        return this._outputConfiguration.stripColor(text2);
      }
      /**
       * @typedef HelpContext
       * @type {object}
       * @property {boolean} error
       * @property {number} helpWidth
       * @property {boolean} hasColors
       * @property {function} write - includes stripColor if needed
       *
       * @returns {HelpContext}
       * @private
       */
      _getOutputContext(contextOptions) {
        contextOptions = contextOptions || {};
        const error = !!contextOptions.error;
        let baseWrite;
        let hasColors;
        let helpWidth;
        if (error) {
          baseWrite = (str) => this._outputConfiguration.writeErr(str);
          hasColors = this._outputConfiguration.getErrHasColors();
          helpWidth = this._outputConfiguration.getErrHelpWidth();
        } else {
          baseWrite = (str) => this._outputConfiguration.writeOut(str);
          hasColors = this._outputConfiguration.getOutHasColors();
          helpWidth = this._outputConfiguration.getOutHelpWidth();
        }
        const write = (str) => {
          if (!hasColors) str = this._outputConfiguration.stripColor(str);
          return baseWrite(str);
        };
        return { error, write, hasColors, helpWidth };
      }
      /**
       * Output help information for this command.
       *
       * Outputs built-in help, and custom text added using `.addHelpText()`.
       *
       * @param {{ error: boolean } | Function} [contextOptions] - pass {error:true} to write to stderr instead of stdout
       */
      outputHelp(contextOptions) {
        let deprecatedCallback;
        if (typeof contextOptions === "function") {
          deprecatedCallback = contextOptions;
          contextOptions = void 0;
        }
        const outputContext = this._getOutputContext(contextOptions);
        const eventContext = {
          error: outputContext.error,
          write: outputContext.write,
          command: this
        };
        this._getCommandAndAncestors().reverse().forEach((command) => command.emit("beforeAllHelp", eventContext));
        this.emit("beforeHelp", eventContext);
        let helpInformation = this.helpInformation({ error: outputContext.error });
        if (deprecatedCallback) {
          helpInformation = deprecatedCallback(helpInformation);
          if (typeof helpInformation !== "string" && !Buffer.isBuffer(helpInformation)) {
            throw new Error("outputHelp callback must return a string or a Buffer");
          }
        }
        outputContext.write(helpInformation);
        if (this._getHelpOption()?.long) {
          this.emit(this._getHelpOption().long);
        }
        this.emit("afterHelp", eventContext);
        this._getCommandAndAncestors().forEach(
          (command) => command.emit("afterAllHelp", eventContext)
        );
      }
      /**
       * You can pass in flags and a description to customise the built-in help option.
       * Pass in false to disable the built-in help option.
       *
       * @example
       * program.helpOption('-?, --help' 'show help'); // customise
       * program.helpOption(false); // disable
       *
       * @param {(string | boolean)} flags
       * @param {string} [description]
       * @return {Command} `this` command for chaining
       */
      helpOption(flags, description) {
        if (typeof flags === "boolean") {
          if (flags) {
            if (this._helpOption === null) this._helpOption = void 0;
            if (this._defaultOptionGroup) {
              this._initOptionGroup(this._getHelpOption());
            }
          } else {
            this._helpOption = null;
          }
          return this;
        }
        this._helpOption = this.createOption(
          flags ?? "-h, --help",
          description ?? "display help for command"
        );
        if (flags || description) this._initOptionGroup(this._helpOption);
        return this;
      }
      /**
       * Lazy create help option.
       * Returns null if has been disabled with .helpOption(false).
       *
       * @returns {(Option | null)} the help option
       * @package
       */
      _getHelpOption() {
        if (this._helpOption === void 0) {
          this.helpOption(void 0, void 0);
        }
        return this._helpOption;
      }
      /**
       * Supply your own option to use for the built-in help option.
       * This is an alternative to using helpOption() to customise the flags and description etc.
       *
       * @param {Option} option
       * @return {Command} `this` command for chaining
       */
      addHelpOption(option) {
        this._helpOption = option;
        this._initOptionGroup(option);
        return this;
      }
      /**
       * Output help information and exit.
       *
       * Outputs built-in help, and custom text added using `.addHelpText()`.
       *
       * @param {{ error: boolean }} [contextOptions] - pass {error:true} to write to stderr instead of stdout
       */
      help(contextOptions) {
        this.outputHelp(contextOptions);
        let exitCode = Number(process2.exitCode ?? 0);
        if (exitCode === 0 && contextOptions && typeof contextOptions !== "function" && contextOptions.error) {
          exitCode = 1;
        }
        this._exit(exitCode, "commander.help", "(outputHelp)");
      }
      /**
       * // Do a little typing to coordinate emit and listener for the help text events.
       * @typedef HelpTextEventContext
       * @type {object}
       * @property {boolean} error
       * @property {Command} command
       * @property {function} write
       */
      /**
       * Add additional text to be displayed with the built-in help.
       *
       * Position is 'before' or 'after' to affect just this command,
       * and 'beforeAll' or 'afterAll' to affect this command and all its subcommands.
       *
       * @param {string} position - before or after built-in help
       * @param {(string | Function)} text - string to add, or a function returning a string
       * @return {Command} `this` command for chaining
       */
      addHelpText(position2, text2) {
        const allowedValues = ["beforeAll", "before", "after", "afterAll"];
        if (!allowedValues.includes(position2)) {
          throw new Error(`Unexpected value for position to addHelpText.
Expecting one of '${allowedValues.join("', '")}'`);
        }
        const helpEvent = `${position2}Help`;
        this.on(helpEvent, (context) => {
          let helpStr;
          if (typeof text2 === "function") {
            helpStr = text2({ error: context.error, command: context.command });
          } else {
            helpStr = text2;
          }
          if (helpStr) {
            context.write(`${helpStr}
`);
          }
        });
        return this;
      }
      /**
       * Output help information if help flags specified
       *
       * @param {Array} args - array of options to search for help flags
       * @private
       */
      _outputHelpIfRequested(args) {
        const helpOption = this._getHelpOption();
        const helpRequested = helpOption && args.find((arg) => helpOption.is(arg));
        if (helpRequested) {
          this.outputHelp();
          this._exit(0, "commander.helpDisplayed", "(outputHelp)");
        }
      }
    };
    function incrementNodeInspectorPort(args) {
      return args.map((arg) => {
        if (!arg.startsWith("--inspect")) {
          return arg;
        }
        let debugOption;
        let debugHost = "127.0.0.1";
        let debugPort = "9229";
        let match;
        if ((match = arg.match(/^(--inspect(-brk)?)$/)) !== null) {
          debugOption = match[1];
        } else if ((match = arg.match(/^(--inspect(-brk|-port)?)=([^:]+)$/)) !== null) {
          debugOption = match[1];
          if (/^\d+$/.test(match[3])) {
            debugPort = match[3];
          } else {
            debugHost = match[3];
          }
        } else if ((match = arg.match(/^(--inspect(-brk|-port)?)=([^:]+):(\d+)$/)) !== null) {
          debugOption = match[1];
          debugHost = match[3];
          debugPort = match[4];
        }
        if (debugOption && debugPort !== "0") {
          return `${debugOption}=${debugHost}:${parseInt(debugPort) + 1}`;
        }
        return arg;
      });
    }
    function useColor() {
      if (process2.env.NO_COLOR || process2.env.FORCE_COLOR === "0" || process2.env.FORCE_COLOR === "false")
        return false;
      if (process2.env.FORCE_COLOR || process2.env.CLICOLOR_FORCE !== void 0)
        return true;
      return void 0;
    }
    exports.Command = Command3;
    exports.useColor = useColor;
  }
});

// node_modules/commander/index.js
var require_commander = __commonJS({
  "node_modules/commander/index.js"(exports) {
    var { Argument: Argument2 } = require_argument();
    var { Command: Command3 } = require_command();
    var { CommanderError: CommanderError2, InvalidArgumentError: InvalidArgumentError2 } = require_error();
    var { Help: Help2 } = require_help();
    var { Option: Option2 } = require_option();
    exports.program = new Command3();
    exports.createCommand = (name) => new Command3(name);
    exports.createOption = (flags, description) => new Option2(flags, description);
    exports.createArgument = (name, description) => new Argument2(name, description);
    exports.Command = Command3;
    exports.Option = Option2;
    exports.Argument = Argument2;
    exports.Help = Help2;
    exports.CommanderError = CommanderError2;
    exports.InvalidArgumentError = InvalidArgumentError2;
    exports.InvalidOptionArgumentError = InvalidArgumentError2;
  }
});

// src/cli/index.ts
import { fstatSync } from "node:fs";

// node_modules/commander/esm.mjs
var import_index = __toESM(require_commander(), 1);
var {
  program,
  createCommand,
  createArgument,
  createOption,
  CommanderError,
  InvalidArgumentError,
  InvalidOptionArgumentError,
  // deprecated old name
  Command,
  Argument,
  Option,
  Help
} = import_index.default;

// src/options.ts
import { userInfo } from "node:os";

// src/report/plan.ts
var PLAN_FORMATS = ["text", "markdown", "json", "sql"];
function pendingRows(r) {
  return r.plan.steps.map((s, i) => {
    const u = s.section.unrendered;
    return {
      revision: s.revision.id,
      message: s.revision.message,
      path: s.revision.path,
      direction: s.direction,
      transaction: s.section.transaction,
      // Not known where Alembic could not render the SQL: never a count of 0.
      statements: u ? null : splitStatements(s.section, r.dialect).length,
      checksum: r.checksums[i],
      version_changes: s.versionChanges.map((c) => versionChangeSql(c, r.versionTable, r.dialect)),
      ...u ? { rendered: false, reason: u.reason, source: u.source } : {}
    };
  });
}
function unrenderedWarnings(r) {
  return r.warnings.flatMap((w) => w.kind === "unrendered" ? [w] : []);
}
function json(r, rows, sql) {
  const doc = {
    database: r.database,
    direction: r.plan.direction,
    current: r.plan.headsBefore,
    target: r.plan.target,
    heads_after: r.plan.headsAfter,
    pending: rows,
    drift: r.drift.map((d) => ({ revision: d.revision, path: d.path, applied_at: d.appliedAt })),
    sql
  };
  return `${JSON.stringify(doc, null, 2)}
`;
}
function markdown(r, rows, sql) {
  const heads = (ids) => ids.length === 0 ? `${code("base")} (empty)` : ids.map(code).join(", ");
  const lines = [
    `### retort plan: ${heads(r.plan.headsBefore)} \u2192 ${heads(r.plan.headsAfter)}`,
    "",
    `Database ${code(r.database)}, target ${code(r.plan.target)}: ${rows.length === 0 ? "nothing to do." : `${rows.length} pending revision(s).`}`,
    ""
  ];
  if (rows.length > 0) {
    lines.push("| revision | message | transaction | statements |", "|---|---|---|---:|");
    for (const p of rows) lines.push(`| ${cellCode(p.revision)} | ${cellCode(p.message)} | ${p.transaction ? "yes" : "no"} | ${p.statements ?? "not rendered"} |`);
    lines.push("", "<details><summary>SQL</summary>", "", fenced(sql, "sql"), "", "</details>", "");
    for (const p of rows) {
      if (p.rendered !== false) continue;
      lines.push(`<details><summary>${htmlCode(p.revision)} ${p.direction}() (not rendered offline)</summary>`, "", fenced(p.source ?? "", "python"), "", "</details>", "");
    }
  }
  for (const d of r.drift) lines.push(`> **Drift:** ${describeDrift(d, { value: code })}.`);
  for (const w of unrenderedWarnings(r)) {
    lines.push(`> **Not rendered:** Alembic could not render the ${w.direction} SQL of ${code(w.revision.id)} offline: ${code(w.reason)}; its ${w.direction}() source is shown instead.`);
  }
  for (const w of r.warnings) if (w.kind === "long-ids") lines.push(`> **Warning:** ${longIdsText(w.longIds, code)}`);
  return `${lines.join("\n")}
`;
}
function text(r, rows) {
  const current2 = r.plan.headsBefore.join(", ") || "base (empty)";
  const after = r.plan.headsAfter.join(", ") || "base (empty)";
  const lines = [`Database: ${r.database}`, `Current:  ${current2}`, `Target:   ${r.plan.target} (${after})`];
  if (rows.length === 0) lines.push("Nothing to do.");
  else {
    lines.push(`Pending:  ${rows.length} revision(s)`);
    for (const [i, p] of rows.entries()) {
      const mode = p.transaction ? "" : ", outside a transaction";
      const count = p.rendered === false ? "NOT RENDERED offline" : `${p.statements} statement(s)`;
      lines.push(`  -- Running ${runningLine(r.plan.steps[i])}, ${p.message} (${count}${mode})`);
      if (p.rendered === false) lines.push(...(p.source ?? "").split(/\r\n|\r|\n/).map((l) => `       | ${l}`));
    }
  }
  for (const d of r.drift) lines.push(`Drift:    ${describeDrift(d)}`);
  for (const w of unrenderedWarnings(r)) {
    lines.push(`Warning:  ${w.revision.id}: Alembic could not render its ${w.direction} SQL offline (${w.reason}); its ${w.direction}() source is shown above.`);
  }
  for (const w of r.warnings) if (w.kind === "long-ids") lines.push(`Warning:  ${longIdsText(w.longIds)}`);
  return `${lines.join("\n")}
`;
}
function renderPlan(r, format) {
  requireNativeSql(r.plan);
  const sql = renderPlanSql(r.plan, { dialect: r.dialect, versionTable: r.versionTable });
  const rows = pendingRows(r);
  switch (format) {
    case "sql":
      return sql;
    case "json":
      return json(r, rows, sql);
    case "markdown":
      return markdown(r, rows, sql);
    case "text":
      return text(r, rows);
  }
}

// src/run/history-table.ts
import { createHash } from "node:crypto";

// src/run/own-failure.ts
function ownStatementsOf(versionShown, historyShown) {
  return {
    versionChange: { doing: `change the version table ${versionShown}`, table: versionShown, needs: `SELECT, INSERT, UPDATE, DELETE on ${versionShown}` },
    historyRow: { doing: `write the history row in ${historyShown}`, table: historyShown, needs: `SELECT, INSERT, UPDATE on ${historyShown}` },
    started: { doing: `record the start of the revision in ${historyShown}`, table: historyShown, needs: `SELECT, INSERT, UPDATE on ${historyShown}` },
    reached: { doing: `record the statement the revision reached in ${historyShown}`, table: historyShown, needs: `SELECT, INSERT, UPDATE on ${historyShown}` },
    session: { doing: "set the session modes of its own statements", table: null, needs: null },
    hiding: { doing: `drop temporary tables a revision left under the names of ${versionShown} and ${historyShown}, which would hide them`, table: null, needs: null }
  };
}
function ownStatementError(statement, e, context) {
  const reason = (e instanceof Error ? e.message : String(e)).replace(/\.?\s*$/, "");
  const on = statement.table ?? "it";
  const role = context.afterRevisionSql ? " If a revision switched to another role (SET ROLE), retort's statements after it ran as that role: grant that role too, or switch back at the end of the revision (RESET ROLE)." : "";
  const advice = {
    privilege: (statement.needs ? `Grant ${statement.needs} to the user retort connects as.` : "Grant the user retort connects as what it needs.") + role,
    "read-only": "The session is read-only (the server, the role's default, or a revision that set it): point retort at a writable primary, or remove the setting.",
    "not-null": `${on} has a NOT NULL column without a default that retort does not write: give it a DEFAULT, or allow NULL.`,
    "not-a-table": `${on} is not a table retort can write (a view?): make it a table, or name another one.`,
    "missing-table": `${on} is not there: did a revision drop or rename it?`,
    "missing-column": `${on} lacks a column retort reads or writes: did a revision alter it?`,
    "too-long": `A value is longer than its column in ${on}.`,
    "table-locks": `The session holds table locks (LOCK TABLES) that leave ${on} out: end them with UNLOCK TABLES in the revision.`
  };
  const text2 = context.kind ? advice[context.kind] : "";
  return new RetortError("bookkeeping", `retort could not ${statement.doing}: ${reason}.${text2 ? ` ${text2}` : ""}${context.state ? ` ${context.state}` : ""}`, { cause: e });
}

// src/run/tables.ts
var DEFAULT_HISTORY_TABLE = "alembic_version_history";
var AUDIT_COLUMNS = ["id", "alembic_version", "prev_alembic_version", "operation_type", "operation_direction", "user_version", "changed_at"];
var RETORT_COLUMNS = [
  ["revision", `VARCHAR(${MAX_ID_LENGTH})`],
  ["checksum", "VARCHAR(80)"],
  ["duration_ms", "INTEGER"],
  ["success", "BOOLEAN"],
  ["error_message", "TEXT"],
  ["failed_statement", "INTEGER"],
  ["actor", "VARCHAR(255)"],
  ["commit_sha", "VARCHAR(64)"],
  ["run_url", "VARCHAR(1024)"],
  ["retort_version", "VARCHAR(32)"],
  ["version_table", "VARCHAR(64)"]
];
var VERSION_WRITES = ["version_num"];
var HISTORY_WRITES = [...AUDIT_COLUMNS.slice(2), ...RETORT_COLUMNS.map(([c]) => c), "alembic_version"].filter((c, i, all) => all.indexOf(c) === i);
var DECLARED_SIZES = {
  alembic_version: 255,
  prev_alembic_version: 255,
  user_version: 255,
  ...Object.fromEntries(RETORT_COLUMNS.flatMap(([c, type]) => /\((\d+)\)/.test(type) ? [[c, Number(/\((\d+)\)/.exec(type)[1])]] : []))
};
var Tables = class {
  driver;
  vt;
  historyTable;
  resolved = null;
  probed = /* @__PURE__ */ new Set();
  catalog = /* @__PURE__ */ new Map();
  described = null;
  /** Whether revision SQL has run on this session (see revisionSqlRan). */
  afterRevisionSql = false;
  constructor(driver, versionTable, historyTable) {
    this.driver = driver;
    this.vt = versionTable;
    this.historyTable = historyTable;
  }
  /** The catalog entry of `name` changed (retort created or altered it): read it again. */
  forget(name) {
    this.catalog.delete(name);
  }
  /** The error for a failed statement of retort's own (see own). `state` says where the
   *  database stands, when that needs saying. */
  ownFailure(statement, e, state = "") {
    const kind = e instanceof DatabaseError ? this.driver.failureKind(e) : null;
    return ownStatementError(statement, e, { kind, state, afterRevisionSql: this.afterRevisionSql });
  }
  /** Revision SQL is about to run on this session: from now on a refused privilege may be the
   *  role a revision switched to (see ownFailure). */
  revisionSqlRan() {
    this.afterRevisionSql = true;
  }
  /** The SQL of retort's tables as the driver's database writes it. */
  get sql() {
    return this.driver.bookkeeping;
  }
  /** The version table as configured, for messages. */
  get versionTableName() {
    return this.sql.table(this.vt);
  }
  /** The schema (MySQL: database) of both tables: the configured one, or the session's before
   *  any revision ran. Resolve it before handing the session to a revision. */
  async schema() {
    return (await this.names()).schema;
  }
  /** Both tables' names, resolved once (the first call runs before any revision SQL). */
  async names() {
    if (!this.resolved) {
      const schema = this.vt.schema ?? await this.driver.currentSchema();
      const sql = (table) => this.sql.table({ table, schema });
      this.resolved = { schema, version: sql(this.vt.table), history: sql(this.historyTable), versionShown: `${schema}.${this.vt.table}`, historyShown: `${schema}.${this.historyTable}` };
    }
    return this.resolved;
  }
  /** For the SQL builders below, which run after the first read resolved the names. */
  get n() {
    if (!this.resolved) throw new Error("StateStore: names used before they were resolved");
    return this.resolved;
  }
  /** What the catalog says about one of the two tables, read once when it is there (the deploy
   *  lock keeps other deploys from changing it meanwhile; retort forgets it when it changes the
   *  table itself). */
  async table(name) {
    const { schema } = await this.names();
    let info = this.catalog.get(name);
    if (!info) {
      info = this.own({ doing: `read the catalog entry of ${schema}.${name}`, table: null, needs: null }, () => this.driver.describeTable(schema, name));
      this.catalog.set(name, info);
      info.then(
        (found) => found ?? this.catalog.delete(name),
        () => this.catalog.delete(name)
      );
    }
    return info;
  }
  /** The history table, or null when there is none; refused when it is not an audit history. */
  async history() {
    const info = await this.table(this.historyTable);
    if (info) {
      const missing = AUDIT_COLUMNS.filter((c) => !info.columns.some((col) => col.name === c));
      if (info.kind === "other" || missing.length > 0) {
        throw new RetortError(
          "usage",
          `The history table ${this.n.historyShown} is not an audit history: it ${info.kind === "other" ? "is not a table or view" : `lacks audit-alembic's column(s) ${missing.join(", ")}`}. retort keeps its history in a table of its own or extends audit-alembic's (${AUDIT_COLUMNS.join(", ")}), and changes nothing else: name another table with --history-table (a new one is created), or rename this one.`
        );
      }
      this.refuseUnusableSchema(info, "history table", this.n.historyShown);
    }
    return info;
  }
  /** Without USAGE on the schema no privilege on its tables helps: said before the server says
   *  "permission denied for schema", which a grant on the table does not cure. */
  refuseUnusableSchema(info, role, shown) {
    if (info.privileges && !info.privileges.schema) {
      throw new RetortError("bookkeeping", `The user retort connects as may not use the schema ${this.n.schema}, which holds the ${role} ${shown}: grant USAGE on schema ${this.n.schema} to it.`);
    }
  }
  async historyColumns() {
    const info = await this.history();
    return info ? new Set(info.columns.map((c) => c.name)) : null;
  }
  /** Runs one of retort's own statements; a server error becomes one that says which of
   *  retort's statements failed, on which table, and what to grant or change. */
  async own(statement, fn) {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof DatabaseError) throw this.ownFailure(statement, e);
      throw e;
    }
  }
  /** Refuses, before anything runs, a table retort could not write: one error naming it and
   *  the fix instead of a failure half-way through a revision. */
  async checkWritable(info, role, shown, sql, writes, revisions, needs) {
    const option = role === "version table" ? "--version-table" : "--history-table";
    if (info.kind !== "table") {
      throw new RetortError("bookkeeping", `The ${role} ${shown} is ${info.kind === "view" ? "a view" : "not a table"}: retort writes its rows, so it must be a table. Name a table with ${option}.`);
    }
    const blocking = info.columns.filter((c) => c.notNull && !c.hasDefault && !writes.includes(c.name));
    if (blocking.length > 0) {
      throw new RetortError(
        "bookkeeping",
        `The ${role} ${shown} has NOT NULL column(s) without a default that retort does not write (${blocking.map((c) => c.name).join(", ")}): give them a DEFAULT, or allow NULL.`
      );
    }
    if (role === "version table") this.refuseLongIds(info, revisions);
    const room = info.columns.find((c) => c.name === "revision")?.maxChars ?? null;
    const long = room === null || role === "version table" ? void 0 : revisions.find((r) => r.length > room);
    if (long !== void 0) {
      throw new RetortError("bookkeeping", `Revision id '${long}' is longer than ${shown}.revision holds (${room} characters): widen the column.`);
    }
    const p = info.privileges;
    if (p) {
      this.refuseUnusableSchema(info, role, shown);
      const missing = needs.split(", ").filter((priv) => !p[priv.toLowerCase()]);
      if (missing.length > 0) {
        throw new RetortError("bookkeeping", `The user retort connects as may not ${missing.join(", ")} on the ${role} ${shown}: grant ${needs} on it.`);
      }
      const sequences = p.sequences.filter((s) => !writes.includes(s.column));
      if (sequences.length > 0) {
        const names = [...new Set(sequences.map((s) => s.sequence))].join(", ");
        throw new RetortError(
          "bookkeeping",
          `The user retort connects as may not use the sequence(s) ${names}, from which the ${role} ${shown} fills its column(s) ${[...new Set(sequences.map((s) => s.column))].join(", ")}: grant USAGE on sequence ${names} to it.`
        );
      }
      return;
    }
    if (this.probed.has(shown)) return;
    this.probed.add(shown);
    const column2 = writes[writes.length - 1];
    const probes = [
      `SELECT ${column2} FROM ${sql} WHERE 1 = 0`,
      `INSERT INTO ${sql} (${column2}) SELECT ${column2} FROM ${sql} WHERE 1 = 0`,
      `UPDATE ${sql} SET ${column2} = ${column2} WHERE 1 = 0`,
      ...needs.includes("DELETE") ? [`DELETE FROM ${sql} WHERE 1 = 0`] : []
    ];
    const modes = this.driver.sessionModes;
    await this.own(
      { doing: `write the ${role} ${shown} (checked before running anything)`, table: shown, needs: `${needs} on ${shown}` },
      () => this.driver.script([...modes ? [modes.enter] : [], ...probes])
    );
  }
  /** Refuses, before anything runs, revision ids longer than the version table's version_num
   *  holds: `info` is the table, or null when it does not exist yet and is about to be created
   *  as Alembic creates it (VARCHAR(32)), by retort or by Alembic. Needs the names resolved. */
  refuseLongIds(info, revisions) {
    const room = versionNumRoomOf(info).chars;
    const long = room === null ? void 0 : [...revisions].sort((a, b) => b.length - a.length).find((r) => r.length > room);
    if (long === void 0) return;
    const vt = { table: this.vt.table, schema: this.n.schema };
    const width = widthFor(long.length);
    const dialect = this.driver.dialect;
    throw new RetortError(
      "bookkeeping",
      info === null ? `Revision id '${long}' is ${long.length} characters long, and the version table retort creates, like Alembic's, holds ${room}: create ${this.n.versionShown} yourself with a wider version_num, e.g. ${wideVersionTableSql(vt, dialect, width)}; nothing was changed.` : `Revision id '${long}' is ${long.length} characters long, longer than ${this.n.versionShown}.version_num holds (${room} characters): widen the column first, e.g. ${widenVersionNumSql(vt, dialect, width)}; nothing was changed.`
    );
  }
  /** The statements of retort's own that travel in scripts with revision SQL, for ownFailure. */
  get statements() {
    const { versionShown, historyShown } = this.n;
    return this.described ??= ownStatementsOf(versionShown, historyShown);
  }
  /** The statement that drops temporary tables a revision left under the names of the version
   *  and history tables, where they would hide them (Driver.dropHidingTables); null where none
   *  can. Needs the names resolved. */
  get dropHidingSql() {
    return this.driver.dropHidingTables([this.n.version, this.n.history]);
  }
};

// src/run/history-table.ts
var MAX_ERROR_CHARS = 4e3;
var HistoryTable = class {
  t;
  /** Whether a revision id belongs to this store's migrations: rows written before the history
   *  kept their version table (and audit-alembic's) count as this application's when they name
   *  its revisions. */
  knows;
  /** The history's columns as the catalog has them, for bound() (the SQL builders are
   *  synchronous): filled by ensureHistoryTable. */
  sizes = /* @__PURE__ */ new Map();
  constructor(tables, knows) {
    this.t = tables;
    this.knows = knows;
  }
  /** Creates the history table, or adds retort's missing columns to an existing audit-alembic
   *  (or older retort) table; refuses any other table, and one retort could not write, before
   *  anything runs. */
  async ensureHistoryTable(revisions = []) {
    const { schema, history, historyShown } = await this.t.names();
    const existing = await this.t.history();
    if (!existing) {
      const columns = [
        this.t.sql.historyId,
        "alembic_version VARCHAR(255)",
        "prev_alembic_version VARCHAR(255)",
        "operation_type VARCHAR(32) NOT NULL",
        "operation_direction VARCHAR(32) NOT NULL",
        "user_version VARCHAR(255)",
        `changed_at ${this.t.sql.timestampType}`,
        ...RETORT_COLUMNS.map(([c, type]) => `${c} ${type}`),
        "PRIMARY KEY (id)",
        "CONSTRAINT alembic_versions_nonnull CHECK (coalesce(alembic_version, prev_alembic_version) IS NOT NULL)"
      ];
      const create = `CREATE TABLE ${history} (
    ${columns.join(",\n    ")}
)${this.t.sql.tableOptions}`;
      const creating = { doing: `create the history table ${historyShown}`, table: historyShown, needs: this.t.sql.createPrivilege(schema) };
      try {
        await this.t.own(creating, () => this.t.driver.query(create));
      } catch (e) {
        if (await this.historyAppeared(e)) return this.ensureHistoryTable(revisions);
        throw e;
      }
      await this.t.own(creating, () => this.t.driver.query(this.revisionIndexSql()));
      this.t.forget(this.t.historyTable);
      this.sizes = new Map(((await this.t.history())?.columns ?? []).map((c) => [c.name, c]));
      return;
    }
    const missing = RETORT_COLUMNS.filter(([c]) => !existing.columns.some((col) => col.name === c));
    if (missing.length > 0) {
      const alter = `ALTER TABLE ${history} ${missing.map(([c, type]) => `ADD COLUMN ${c} ${type}`).join(", ")}`;
      const statements = [alter, ...missing.some(([c]) => c === "revision") ? [this.revisionIndexSql()] : []];
      for (const sql of statements) {
        try {
          await this.t.driver.query(sql);
        } catch (e) {
          if (!(e instanceof DatabaseError)) throw e;
          if (await this.historyAppeared(e, missing.map(([c]) => c))) break;
          throw new RetortError(
            "bookkeeping",
            `The history table ${historyShown} lacks retort's column(s) ${missing.map(([c]) => c).join(", ")}, and adding them failed: ${e.message.replace(/\.?\s*$/, "")}. Run as its owner: ${statements.join("; ")}; (reading commands work meanwhile).`,
            { cause: e }
          );
        }
      }
      this.t.forget(this.t.historyTable);
    }
    const info = await this.t.history() ?? (await this.historyAppeared("exists") ? await this.t.history() : null);
    if (!info) throw new RetortError("bookkeeping", `The history table ${historyShown} vanished while retort extended it: did another session drop it?`);
    this.sizes = new Map(info.columns.map((c) => [c.name, c]));
    await this.t.checkWritable(info, "history table", historyShown, history, HISTORY_WRITES, revisions, "SELECT, INSERT, UPDATE");
  }
  /** After a failed CREATE or ALTER of the history table: whether it is there now (with
   *  `columns`), made by someone else meanwhile. MySQL may refuse the CREATE a moment before
   *  its catalog shows the other's table: where the server said so, it is given a few seconds. */
  async historyAppeared(e, columns = []) {
    const cause = e instanceof RetortError ? e.cause : e;
    const attempts = e === "exists" || cause instanceof DatabaseError && this.t.driver.failureKind(cause) === "exists" ? 25 : 1;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 200));
      this.t.forget(this.t.historyTable);
      const now = await this.t.history().catch(() => null);
      if (now !== null && columns.every((c) => now.columns.some((col) => col.name === c))) return true;
    }
    return false;
  }
  /** The started row of a revision is found by its revision: without an index every lookup
   *  reads the whole history, and applying N revisions on MySQL would take N² row reads. */
  revisionIndexSql() {
    return `CREATE INDEX ${this.t.sql.ident(indexName(this.t.historyTable, "revision"))} ON ${this.t.n.history} (revision)`;
  }
  async appendHistory(row) {
    await this.t.names();
    await this.t.history();
    const values = this.historyValues(row);
    await this.t.own(
      this.t.statements.historyRow,
      () => this.t.driver.query(
        `INSERT INTO ${this.t.n.history} (${values.map(([c]) => this.t.sql.ident(c)).join(", ")}) VALUES (${values.map(() => "?").join(", ")})`,
        values.map(([, v]) => v)
      )
    );
  }
  /** Marks which statement the unfinished run of `revision` has reached (1-based). Skipped while
   *  the revision holds LOCK TABLES (see reachedSql). */
  async markReached(revision, statement) {
    try {
      await this.t.driver.query(this.reachedSql(revision, statement));
    } catch (e) {
      if (e instanceof DatabaseError && this.t.driver.failureKind(e) === "table-locks") return;
      throw this.t.ownFailure(this.t.statements.reached, e);
    }
  }
  /** Finishes this version table's started row of `revision`: success or failure, duration,
   *  error, statement. False when there was no started row. */
  async finishHistory(revision, success, durationMs, error, failedStatement) {
    await this.t.names();
    const { affectedRows } = await this.t.own(
      this.t.statements.historyRow,
      () => this.t.driver.query(
        `UPDATE ${this.t.n.history} SET success = ?, duration_ms = ?, error_message = ?, failed_statement = ? WHERE revision = ? AND success IS NULL AND version_table = ?`,
        [success, Math.trunc(durationMs), this.bound("error_message", error), failedStatement, revision, this.t.vt.table]
      )
    );
    return affectedRows > 0;
  }
  /** Finishes the unfinished row `id` (see unfinished), as `resolve` records the user's decision. */
  async finishRun(id, success, note) {
    await this.t.names();
    await this.t.own(
      this.t.statements.historyRow,
      () => this.t.driver.query(`UPDATE ${this.t.n.history} SET success = ?, duration_ms = ?, error_message = ? WHERE id = ? AND success IS NULL`, [
        success,
        0,
        this.bound("error_message", note),
        id
      ])
    );
  }
  /** This version table's started row of `revision`, in SQL. */
  startedRow(revision) {
    const lit = (v) => this.t.sql.literal(v);
    return `revision = ${lit(revision)} AND success IS NULL AND version_table = ${lit(this.t.vt.table)}`;
  }
  /** `markReached` with literal values, to travel with a revision's statement. */
  reachedSql(revision, statement) {
    return `UPDATE ${this.t.n.history} SET failed_statement = ${Math.trunc(statement)} WHERE ${this.startedRow(revision)}`;
  }
  /** A successful `finishHistory` with literal values, its duration the server's `durationSql`. */
  finishHistorySql(revision, durationSql) {
    return `UPDATE ${this.t.n.history} SET success = TRUE, duration_ms = ${durationSql}, error_message = NULL, failed_statement = NULL WHERE ${this.startedRow(revision)}`;
  }
  /** The rows that are this version table's: its own, and rows written before the history kept
   *  version tables (or by audit-alembic) when they name one of its revisions (or none). */
  ours(columns, r) {
    if (columns.has("version_table") && r.version_table !== null && r.version_table !== void 0) return String(r.version_table) === this.t.vt.table;
    const named = [r.revision, ...String(r.alembic_version ?? "").split("##"), ...String(r.prev_alembic_version ?? "").split("##")].filter((v) => v !== null && v !== void 0 && v !== "").map(String);
    return named.length === 0 || named.some((id) => this.knows(id));
  }
  /** SQL for the rows that may be ours (ours() decides about the older ones). */
  mayBeOurs(columns) {
    return columns.has("version_table") ? `(version_table = ${this.t.sql.literal(this.t.vt.table)} OR version_table IS NULL)` : "1 = 1";
  }
  select(columns, wanted) {
    return wanted.filter((c) => columns.has(c)).map((c) => this.t.sql.ident(c)).join(", ");
  }
  reading() {
    return { doing: `read the history table ${this.t.n.historyShown}`, table: this.t.n.historyShown, needs: `SELECT on ${this.t.n.historyShown}` };
  }
  /** This version table's revisions whose run started and never finished (the process died,
   *  the connection broke). */
  async unfinished() {
    const columns = await this.t.historyColumns();
    if (!columns || !columns.has("success") || !columns.has("revision")) return [];
    const { rows } = await this.t.own(
      this.reading(),
      () => this.t.driver.query(
        `SELECT ${this.select(columns, ["id", "revision", "operation_direction", "changed_at", "actor", "failed_statement", "version_table"])} FROM ${this.t.n.history} WHERE success IS NULL AND revision IS NOT NULL AND operation_type = 'migration' AND ${this.mayBeOurs(columns)} ORDER BY id`
      )
    );
    return rows.filter((r) => this.ours(columns, r) && this.knows(String(r.revision))).map((r) => ({
      id: Number(r.id),
      revision: String(r.revision),
      direction: String(r.operation_direction),
      startedAt: isoUtc(r.changed_at) ?? "?",
      actor: r.actor === null || r.actor === void 0 ? null : String(r.actor),
      statement: r.failed_statement === null || r.failed_statement === void 0 ? null : Number(r.failed_statement)
    }));
  }
  /** The same INSERT with literal values, to travel in one round trip with other statements;
   *  `durationSql` is the server's measure of duration_ms, when it measures it. */
  historyInsertSql(row, options = {}) {
    const literal2 = (v) => v === null || v === void 0 ? "NULL" : typeof v === "number" ? String(Math.trunc(v)) : typeof v === "boolean" ? v ? "TRUE" : "FALSE" : this.t.sql.literal(String(v));
    const values = this.historyValues(row);
    const value = ([c, v]) => options.durationSql !== void 0 && c === "duration_ms" ? options.durationSql : literal2(v);
    return `INSERT INTO ${this.t.n.history} (${values.map(([c]) => this.t.sql.ident(c)).join(", ")}) VALUES (${values.map(value).join(", ")})`;
  }
  /** The columns of a history row and their values (changed_at as UTC text), each bounded to
   *  its column. */
  historyValues(row) {
    const text2 = (column2, v) => this.bound(column2, v);
    return [
      ["alembic_version", text2("alembic_version", row.alembicVersion)],
      ["prev_alembic_version", text2("prev_alembic_version", row.prevAlembicVersion)],
      ["operation_type", row.operationType],
      ["operation_direction", row.operationDirection],
      ["user_version", text2("user_version", row.userVersion)],
      ["changed_at", utcTimestamp(row.changedAt)],
      ["revision", row.revision],
      ["checksum", text2("checksum", row.checksum)],
      ["duration_ms", row.durationMs === null ? null : Math.trunc(row.durationMs)],
      ["success", row.success],
      ["error_message", text2("error_message", row.errorMessage)],
      ["failed_statement", row.failedStatement],
      ["actor", text2("actor", row.actor)],
      ["commit_sha", text2("commit_sha", row.commitSha)],
      ["run_url", text2("run_url", row.runUrl)],
      ["retort_version", text2("retort_version", row.retortVersion)],
      ["version_table", this.t.vt.table]
    ];
  }
  /** `value` as the history's `column` can hold it: no NUL (PostgreSQL text cannot hold one),
   *  cut to the column's size (and error messages to MAX_ERROR_CHARS) with "...". */
  bound(column2, value) {
    if (value === null) return null;
    const clean = value.includes("\0") ? value.split("\0").join("\uFFFD") : value;
    const info = this.sizes.get(column2);
    const chars = Math.min(info ? info.maxChars ?? Infinity : DECLARED_SIZES[column2] ?? Infinity, column2 === "error_message" ? MAX_ERROR_CHARS : Infinity);
    return cut(clean, chars, info?.maxBytes ?? null);
  }
  /** How long the revisions of this version table's newest `limit` history rows ran, by
   *  revision (successful migration rows only). */
  async recentDurations(limit) {
    const columns = await this.t.historyColumns() ?? /* @__PURE__ */ new Set();
    const { rows } = await this.t.own(
      this.reading(),
      () => this.t.driver.query(
        `SELECT revision, duration_ms, success FROM ${this.t.n.history} ${columns.has("version_table") ? `WHERE version_table = ${this.t.sql.literal(this.t.vt.table)} ` : ""}ORDER BY id DESC LIMIT ${Math.max(1, Math.floor(limit))}`
      )
    );
    const out = /* @__PURE__ */ new Map();
    for (const r of rows) {
      const ok = r.success === true || Number(r.success) === 1;
      if (ok && r.revision !== null && !out.has(String(r.revision))) out.set(String(r.revision), Number(r.duration_ms ?? 0));
    }
    return out;
  }
  /** This version table's newest `limit` history rows, oldest first (empty without a history
   *  table), with the columns the table has. */
  async readHistory(limit) {
    const columns = await this.t.historyColumns();
    if (!columns) return [];
    const wanted = [
      "id",
      "changed_at",
      "operation_type",
      "operation_direction",
      "prev_alembic_version",
      "alembic_version",
      "revision",
      "duration_ms",
      "success",
      "error_message",
      "failed_statement",
      "actor",
      "commit_sha",
      "run_url",
      "retort_version",
      "user_version",
      "version_table"
    ];
    const out = [];
    const want = Math.max(1, Math.floor(limit));
    for (let before = null; out.length < want; ) {
      const page = Math.max(100, want - out.length);
      const { rows } = await this.t.own(
        this.reading(),
        () => this.t.driver.query(
          `SELECT ${this.select(columns, wanted)} FROM ${this.t.n.history} WHERE ${this.mayBeOurs(columns)}${before === null ? "" : ` AND id < ${before}`} ORDER BY id DESC LIMIT ${page}`
        )
      );
      for (const r of rows) if (out.length < want && this.ours(columns, r)) out.push(r);
      if (rows.length < page) break;
      before = Number(rows[rows.length - 1].id);
    }
    return out.reverse();
  }
  /** For every revision of this version table, the checksum of its upgrade SQL when it was
   *  last applied. */
  async appliedChecksums() {
    const out = /* @__PURE__ */ new Map();
    const columns = await this.t.historyColumns();
    if (!columns || !columns.has("checksum") || !columns.has("revision") || !columns.has("success")) return out;
    const { rows } = await this.t.own(
      this.reading(),
      () => this.t.driver.query(
        `SELECT ${this.select(columns, ["revision", "checksum", "changed_at", "version_table", "alembic_version", "prev_alembic_version"])} FROM ${this.t.n.history} WHERE success = TRUE AND operation_type = 'migration' AND operation_direction = 'up' AND checksum IS NOT NULL AND ${this.mayBeOurs(columns)} ORDER BY id`
      )
    );
    for (const r of rows) {
      if (this.ours(columns, r)) out.set(String(r.revision), { checksum: String(r.checksum), changedAt: isoUtc(r.changed_at) ?? "?" });
    }
    return out;
  }
};
var MAX_NAME_BYTES = 63;
function indexName(table, suffix) {
  const name = `${table}_${suffix}`;
  const bytes = (s) => new TextEncoder().encode(s).length;
  if (bytes(name) <= MAX_NAME_BYTES) return name;
  const tail = `_${createHash("sha256").update(table).digest("hex").slice(0, 8)}_${suffix}`;
  let head = "";
  for (const c of table) {
    if (bytes(head + c) + tail.length > MAX_NAME_BYTES) break;
    head += c;
  }
  return head + tail;
}
function cut(value, chars, bytes) {
  if (value.length <= chars && (bytes === null || value.length * 3 <= bytes)) return value;
  const points = Array.from(value);
  const size = (s) => new TextEncoder().encode(s).length;
  if (points.length <= chars && (bytes === null || size(value) <= bytes)) return value;
  let n = Math.max(0, Math.min(points.length, chars) - 3);
  if (bytes !== null) {
    let used = 0;
    let fit = 0;
    for (; fit < n; fit++) {
      used += size(points[fit]);
      if (used > bytes - 3) break;
    }
    n = fit;
  }
  return `${points.slice(0, n).join("")}...`;
}
function utcTimestamp(d) {
  return `${d.toISOString().replace("T", " ").replace("Z", "")}000`;
}
function isoUtc(value) {
  if (value === null || value === void 0) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d{1,3})?\d*$/.exec(String(value));
  return m ? `${m[1]}T${m[2]}${(m[3] ?? ".000").padEnd(4, "0")}Z` : String(value);
}

// src/run/version-table.ts
var CHECKED_CHANGE_MARK = "retort-version-check:";
var VersionRows = class {
  t;
  constructor(tables) {
    this.t = tables;
  }
  /** The version table's rows (empty when the table does not exist yet). */
  async readHeads() {
    const info = await this.t.table(this.t.vt.table);
    if (!info) return [];
    if (!info.columns.some((c) => c.name === "version_num")) {
      throw new RetortError(
        "usage",
        `${this.t.n.versionShown} is not an Alembic version table (it has no version_num column): name the version table with --version-table (and --version-schema).`
      );
    }
    this.t.refuseUnusableSchema(info, "version table", this.t.n.versionShown);
    const { rows } = await this.t.own(
      { doing: `read the version table ${this.t.n.versionShown}`, table: this.t.n.versionShown, needs: `SELECT on ${this.t.n.versionShown}` },
      () => this.t.driver.query(`SELECT version_num FROM ${this.t.n.version}`)
    );
    return rows.map((r) => String(r.version_num));
  }
  /** The rows, checked against the graph: a row that names no revision means the database is
   *  ahead of (or diverged from) the migrations directory. */
  async readKnownHeads(graph, migrations) {
    const heads = await this.readHeads();
    const unknown = heads.filter((h) => graph.nodeOf(h) === void 0);
    if (unknown.length > 0) {
      throw new RetortError(
        "state",
        `The database is ahead of or diverged from ${migrations}: its version table ${this.t.versionTableName} holds ${unknown.map((u) => `'${u}'`).join(", ")}, which no revision file defines. Deploy the migrations that wrote it, or, if the schema was changed by hand, set the rows with 'retort stamp'.`
      );
    }
    return heads;
  }
  /** Creates the version table (see ensureTables). */
  async ensureVersionTable(revisions = []) {
    const { schema, version, versionShown } = await this.t.names();
    const info = await this.t.table(this.t.vt.table);
    if (!info) {
      this.t.refuseLongIds(null, revisions);
      await this.t.own(
        { doing: `create the version table ${versionShown}`, table: versionShown, needs: this.t.sql.createPrivilege(schema) },
        () => this.t.driver.query(this.t.sql.createVersionTable({ table: this.t.vt.table, schema }))
      );
      this.t.forget(this.t.vt.table);
      return;
    }
    await this.t.checkWritable(info, "version table", versionShown, version, VERSION_WRITES, revisions, "SELECT, INSERT, UPDATE, DELETE");
  }
  /** How many characters version_num holds where a plan's ids will be written: the table's
   *  column, or the 32 of the table retort or Alembic will create. */
  async versionNumRoom() {
    await this.t.names();
    return versionNumRoomOf(await this.t.table(this.t.vt.table));
  }
  /** Refuses, before Alembic runs a plan, ids the version table (existing, or the one Alembic
   *  will create) cannot hold: Alembic would find out after a revision's DDL had run. */
  async refuseLongIds(revisions) {
    await this.t.names();
    this.t.refuseLongIds(await this.t.table(this.t.vt.table), revisions);
  }
  /** Applies one version-table change; like Alembic online, an UPDATE or DELETE must touch
   *  exactly one row. */
  async applyChange(change) {
    await this.t.names();
    const { affectedRows } = await this.t.own(this.t.statements.versionChange, () => this.t.driver.query(this.changeSql(change)));
    if (change.op !== "insert" && affectedRows !== 1) throw new RetortError("state", this.mismatch(change, String(affectedRows)));
  }
  /** A version-table change as retort sends it at run time (offline SQL keeps Alembic's text). */
  changeSql(change) {
    const name = this.t.n.version;
    const lit = (v) => this.t.sql.literal(v);
    switch (change.op) {
      case "insert":
        return `INSERT INTO ${name} (version_num) VALUES (${lit(change.revision)})`;
      case "delete":
        return `DELETE FROM ${name} WHERE version_num = ${lit(change.revision)}`;
      case "update":
        return `UPDATE ${name} SET version_num = ${lit(change.to)} WHERE version_num = ${lit(change.from)}`;
    }
  }
  mismatch(change, found) {
    const what = change.op === "update" ? `updating '${change.from}' to '${change.to}'` : `deleting '${change.revision}'`;
    return `Online migration expected to match one row when ${what} in '${this.t.vt.table}'; ${found} found. Another process changed the version table: check it with 'retort current'.`;
  }
  /** The version-table changes for the driver's protocol to check on the server that every
   *  UPDATE and DELETE touches exactly one row (FusedProtocol.checkedChanges), so that they can
   *  travel in one round trip with the revision's SQL and the history row: the failed check
   *  raises `CHECKED_CHANGE_MARK<change>:<rows>`, which `checkedChangeFailure` turns back into
   *  applyChange's message. */
  checkedChanges(changes) {
    return changes.map((change, i) => ({
      sql: this.changeSql(change),
      mark: change.op === "insert" ? null : this.t.sql.literal(`${CHECKED_CHANGE_MARK}${i}:`)
    }));
  }
  /** applyChange's error for a failed check of `checkedChangesSql(changes)`, or null when
   *  `message` is not such a failure. */
  checkedChangeFailure(message, changes) {
    const m = new RegExp(`^${CHECKED_CHANGE_MARK}(\\d+):(\\d+)$`).exec(message.trim());
    const change = m ? changes[Number(m[1])] : void 0;
    return change ? new RetortError("state", this.mismatch(change, m[2])) : null;
  }
};

// src/run/state.ts
var StateStore = class {
  t;
  version;
  rows;
  constructor(driver, versionTable, historyTable = DEFAULT_HISTORY_TABLE, graph = null) {
    this.t = new Tables(driver, versionTable, historyTable);
    this.version = new VersionRows(this.t);
    this.rows = new HistoryTable(this.t, graph ? (revision) => graph.nodeOf(revision) !== void 0 : () => true);
  }
  /** The version table as configured, for messages. */
  get versionTableName() {
    return this.t.versionTableName;
  }
  /** The schema (MySQL: database) of both tables: the configured one, or the session's before
   *  any revision ran. Resolve it before handing the session to a revision. */
  schema() {
    return this.t.schema();
  }
  /** The history table in SQL, schema-qualified, for statements built elsewhere (Alembic's
   *  bootstrap writes its rows on Alembic's connection). Needs the names resolved (any read or
   *  ensureHistoryTable does that). */
  get historySql() {
    return this.t.n.history;
  }
  /** The value of `version_table` in this store's history rows. */
  get versionTableKey() {
    return this.t.vt.table;
  }
  /** The statements of retort's own that travel in scripts with revision SQL, for ownFailure. */
  get statements() {
    return this.t.statements;
  }
  /** The error for a failed statement of retort's own; `state` says where the database stands. */
  ownFailure(statement, e, state = "") {
    return this.t.ownFailure(statement, e, state);
  }
  /** Revision SQL is about to run on this session (see Tables.revisionSqlRan). */
  revisionSqlRan() {
    this.t.revisionSqlRan();
  }
  /** The statement that drops temporary tables a revision left under the names of the version
   *  and history tables (Driver.dropHidingTables); null where none can. */
  get dropHidingSql() {
    return this.t.dropHidingSql;
  }
  /** Before a run writes, and before it changes anything: checks that retort can write the
   *  tables there (a table, not a view, with room for `revisions`, no NOT NULL column retort
   *  does not write, the privileges to change its rows; a history table that is an audit
   *  history), then creates what is missing and adds retort's missing history columns. */
  async ensureTables(revisions) {
    const { version, versionShown, history, historyShown } = await this.t.names();
    const versionInfo = await this.t.table(this.t.vt.table);
    const historyInfo = await this.t.history();
    if (versionInfo) await this.t.checkWritable(versionInfo, "version table", versionShown, version, VERSION_WRITES, revisions, "SELECT, INSERT, UPDATE, DELETE");
    if (historyInfo) await this.t.checkWritable(historyInfo, "history table", historyShown, history, HISTORY_WRITES, revisions, "SELECT, INSERT, UPDATE");
    await this.version.ensureVersionTable(revisions);
    await this.rows.ensureHistoryTable(revisions);
  }
  // The version table (see version-table.ts).
  readHeads() {
    return this.version.readHeads();
  }
  readKnownHeads(graph, migrations) {
    return this.version.readKnownHeads(graph, migrations);
  }
  ensureVersionTable(revisions = []) {
    return this.version.ensureVersionTable(revisions);
  }
  versionNumRoom() {
    return this.version.versionNumRoom();
  }
  refuseLongIds(revisions) {
    return this.version.refuseLongIds(revisions);
  }
  applyChange(change) {
    return this.version.applyChange(change);
  }
  checkedChanges(changes) {
    return this.version.checkedChanges(changes);
  }
  checkedChangeFailure(message, changes) {
    return this.version.checkedChangeFailure(message, changes);
  }
  // The history table (see history-table.ts).
  ensureHistoryTable(revisions = []) {
    return this.rows.ensureHistoryTable(revisions);
  }
  appendHistory(row) {
    return this.rows.appendHistory(row);
  }
  markReached(revision, statement) {
    return this.rows.markReached(revision, statement);
  }
  finishHistory(revision, success, durationMs, error, failedStatement) {
    return this.rows.finishHistory(revision, success, durationMs, error, failedStatement);
  }
  finishRun(id, success, note) {
    return this.rows.finishRun(id, success, note);
  }
  reachedSql(revision, statement) {
    return this.rows.reachedSql(revision, statement);
  }
  finishHistorySql(revision, durationSql) {
    return this.rows.finishHistorySql(revision, durationSql);
  }
  historyInsertSql(row, options = {}) {
    return this.rows.historyInsertSql(row, options);
  }
  historyValues(row) {
    return this.rows.historyValues(row);
  }
  unfinished() {
    return this.rows.unfinished();
  }
  recentDurations(limit) {
    return this.rows.recentDurations(limit);
  }
  readHistory(limit) {
    return this.rows.readHistory(limit);
  }
  appliedChecksums() {
    return this.rows.appliedChecksums();
  }
};

// src/settings.ts
var SETTINGS = {
  databaseUrl: {
    scope: "database",
    flag: "--database-url <url>",
    help: "postgresql://, a libpq keyword string, mysql:// or pglite://PATH (default: embedded .retort/pglite, except under CI); also DATABASE_URL",
    doc: "`postgresql://` (or `postgres://`), `mysql://` (or `mariadb://`), `pglite://PATH` or `pglite://memory`, or for PostgreSQL a libpq keyword string (`host=db user=ci password='\u2026' dbname=app`)",
    env: "RETORT_DATABASE_URL",
    envFallback: "DATABASE_URL",
    defaultDoc: "the embedded `pglite://.retort/pglite`, outside CI only",
    action: {
      name: "database-url",
      description: "postgresql://, mysql:// (mariadb://) URL of the target database. Registered as a secret. Empty on a pull request (fork PRs get no secrets): the plan is computed offline from `from` (or base) and the comment says so.",
      default: "",
      defaultDoc: "none: plans offline"
    }
  },
  migrations: {
    scope: "global",
    flag: "--migrations <dir>",
    help: "directory of revision files (default: migrations, or the script_location of ./alembic.ini)",
    doc: "directory of revision files (native `.sql`, or an Alembic project); when not given, an `./alembic.ini` (or `ALEMBIC_CONFIG`) names the project",
    env: "RETORT_MIGRATIONS",
    default: "migrations",
    defaultDoc: "`migrations`, or the `script_location` of `./alembic.ini`",
    action: {
      name: "migrations",
      description: "Directory of revision files. Empty: migrations, or the script_location of the alembic.ini in the working directory.",
      default: ""
    }
  },
  target: {
    scope: "argument",
    env: "RETORT_TARGET",
    default: "head",
    defaultDoc: "`head` (`downgrade` needs one)",
    action: {
      name: "target",
      description: "Upgrade or downgrade target, in Alembic's syntax (head, heads, an id, a label, X@head, +1, base, -1, ...). Empty means head for plan and upgrade; downgrade needs one.",
      default: "",
      defaultDoc: "`head` for plan and upgrade"
    }
  },
  dryRun: {
    scope: "action",
    default: "false",
    action: { name: "dry-run", description: "Turn any apply into a plan (read the database, change nothing)." }
  },
  command: {
    scope: "action",
    default: "auto",
    choices: ["auto", "plan", "upgrade", "downgrade", "check"],
    action: {
      name: "command",
      description: "auto (default: plan and comment on pull_request and merge_group; upgrade on push, workflow_dispatch, schedule and release; plan on other events), plan, upgrade, downgrade or check."
    }
  },
  githubToken: {
    scope: "action",
    default: "${{ github.token }}",
    action: { name: "github-token", description: "Token for the pull-request comment (needs `pull-requests: write`)." }
  },
  comment: {
    scope: "action",
    default: "true",
    action: { name: "comment", description: "Post (and keep updating) one plan comment on the pull request." }
  },
  environment: {
    scope: "plan",
    flag: "--environment <name>",
    help: "name in the comment; one comment per environment",
    env: "RETORT_ENVIRONMENT",
    default: "",
    defaultDoc: "none",
    action: { name: "environment", description: "A name shown in the comment; one comment is kept per environment and migrations directory." }
  },
  lockTimeout: {
    scope: "database",
    flag: "--lock-timeout <seconds>",
    help: "how long to wait for another deploy's lock",
    doc: "how long to wait for another deploy's lock; then the error names the holder",
    env: "RETORT_LOCK_TIMEOUT",
    default: "60",
    action: { name: "lock-timeout", description: "Seconds to wait for another deploy's lock before failing with the holder's name." }
  },
  onDrift: {
    scope: "database",
    flag: "--on-drift <policy>",
    help: "when applied revisions changed since",
    doc: "what an applied revision whose SQL changed does",
    env: "RETORT_ON_DRIFT",
    default: "warn",
    choices: ["warn", "fail"],
    action: { name: "on-drift", description: "What an applied revision whose SQL changed does: warn or fail." }
  },
  versionTable: {
    scope: "database",
    flag: "--version-table <name>",
    help: "version table name",
    doc: "Alembic's version table",
    env: "RETORT_VERSION_TABLE",
    default: DEFAULT_VERSION_TABLE.table,
    action: { name: "version-table", description: "Alembic's version table." }
  },
  historyTable: {
    scope: "database",
    flag: "--history-table <name>",
    help: "audit history table",
    doc: "the audit history table (in the version table's schema)",
    env: "RETORT_HISTORY_TABLE",
    default: DEFAULT_HISTORY_TABLE,
    action: { name: "history-table", description: "The audit history table." }
  },
  alembicConfig: {
    scope: "global",
    flag: "--alembic-config <path>",
    help: "an Alembic project's alembic.ini (default: ALEMBIC_CONFIG or ./alembic.ini naming --migrations, else one in or above it)",
    doc: "an Alembic project's `alembic.ini`, when retort does not find it (see [Alembic projects](#alembic-projects))",
    env: "RETORT_ALEMBIC_CONFIG",
    defaultDoc: "`ALEMBIC_CONFIG`, `./alembic.ini`, or one in or above `--migrations`",
    action: {
      name: "alembic-config",
      description: "An Alembic project's alembic.ini, when retort does not find it (ALEMBIC_CONFIG, ./alembic.ini, or one in or above the migrations directory).",
      default: "",
      defaultDoc: "found as the CLI finds it"
    }
  },
  versionLocations: {
    scope: "global",
    flag: "--version-locations <patterns>",
    help: "an Alembic project's version locations, as glob patterns from the ini's folder (e.g. 'versions/*/expand versions/*/contract')",
    doc: "an Alembic project's version locations instead of the ini's `version_locations`: folders or glob patterns (`*`, `?`, `**`), space or comma separated, repeatable, taken from the ini's folder",
    env: "RETORT_VERSION_LOCATIONS",
    list: true,
    defaultDoc: "the ini's `version_locations`",
    action: {
      name: "version-locations",
      description: "For an Alembic project whose version_locations are set in code: its version locations as glob patterns (*, ?, **), space separated, from the folder of alembic.ini (e.g. versions/*/expand versions/*/contract).",
      default: ""
    }
  },
  alembicCommand: {
    scope: "global",
    flag: "--alembic-command <command>",
    help: "how to run Alembic for Python revisions, e.g. 'python3 -m alembic'",
    doc: "how to run Alembic for an Alembic project's SQL",
    env: "RETORT_ALEMBIC_COMMAND",
    default: "alembic",
    action: { name: "alembic-command", description: "How to run Alembic for an Alembic project's SQL (e.g. `python3 -m alembic`)." }
  },
  alembicEnv: {
    scope: "global",
    flag: "--alembic-env <names>",
    help: "environment variables Alembic also gets (comma separated; PREFIX* for a family)",
    doc: "environment variables Alembic also gets (comma separated, repeatable, `PREFIX*`)",
    env: "RETORT_ALEMBIC_ENV",
    list: true,
    defaultDoc: "none",
    action: {
      name: "alembic-env",
      description: "For an Alembic project: environment variables its env.py needs beyond the basics (comma or space separated names, PREFIX* for a family). Alembic gets no other variable of the job.",
      default: ""
    }
  },
  expectHeads: {
    scope: "heads",
    flag: "--expect-heads <heads>",
    help: "the heads the project keeps on purpose: branch labels (expand,contract), one head each, or a number",
    doc: "the heads kept on purpose (`plan`, `check`, the Action): branch labels (`expand,contract`: each has one head, every head is on one) or a number of heads; any other head is still reported",
    env: "RETORT_EXPECT_HEADS",
    defaultDoc: "one head (target `heads`: one per branch label)",
    action: {
      name: "expect-heads",
      description: "The heads the project keeps on purpose: branch labels (e.g. `expand,contract`, each with one head, every head on one of them) or a number. Empty: one head, or with target `heads` one head per branch label.",
      default: ""
    }
  },
  from: {
    scope: "action",
    default: "",
    defaultDoc: "base",
    action: {
      name: "from",
      description: "Without a database URL: the deployed revision(s) to plan from (space or comma separated); empty plans from base."
    }
  },
  debug: {
    scope: "global",
    flag: "--debug",
    help: "print stack traces of errors",
    doc: "print stack traces with errors",
    defaultDoc: "off"
  },
  wait: {
    scope: "database",
    flag: "--wait [seconds]",
    help: "wait for the database to accept connections (default 30 s when given)",
    doc: "keep retrying the connection (a database starting beside retort)",
    env: "RETORT_WAIT",
    defaultDoc: "off; 30 s when given without a value"
  },
  versionSchema: {
    scope: "database",
    flag: "--version-schema <name>",
    help: "schema of the version table (default: the connection's)",
    doc: "the version table's schema",
    env: "RETORT_VERSION_SCHEMA",
    defaultDoc: "the connection's"
  },
  transaction: {
    scope: "migrate",
    flag: "--transaction <mode>",
    help: "PostgreSQL: a transaction per revision, or one around the run",
    doc: "(`upgrade`, `downgrade`) PostgreSQL: a transaction per revision, or one around the run",
    env: "RETORT_TRANSACTION",
    default: "per-revision",
    choices: ["per-revision", "all"]
  },
  dialect: {
    scope: "migrate",
    flag: "--dialect <name>",
    help: "SQL flavour of --sql",
    env: "RETORT_DIALECT",
    default: "postgresql",
    choices: DIALECTS
  },
  format: {
    scope: "plan",
    flag: "--format <format>",
    help: "output",
    default: "text",
    choices: PLAN_FORMATS
  },
  limit: {
    scope: "log",
    flag: "-n, --limit <n>",
    help: "how many rows (newest)",
    default: "50"
  }
};
var GLOBAL_OPTIONS = ["migrations", "alembicConfig", "versionLocations", "alembicCommand", "alembicEnv", "debug"];
var DATABASE_OPTIONS = ["databaseUrl", "wait", "lockTimeout", "versionTable", "versionSchema", "historyTable", "onDrift"];
var WAIT_WHEN_GIVEN_SECONDS = 30;

// src/options.ts
function parseDatabaseUrl(text2, env) {
  try {
    const target = describeTarget(text2, env);
    return { target, secrets: target.secrets };
  } catch (error) {
    if (error instanceof TargetError) return { error, secrets: error.secrets };
    return { error, secrets: wholeTextSecrets(text2) };
  }
}
function connectionTarget(options) {
  const parsed = options.connection;
  if (parsed === null) return null;
  if (parsed.target === void 0) throw parsed.error;
  return parsed.target;
}
function makeOptions(raw) {
  const databaseUrl = raw.databaseUrl?.trim() || null;
  const databaseEnv = raw.databaseEnv ?? {};
  const connection = databaseUrl === null ? null : raw.connection ?? parseDatabaseUrl(databaseUrl, databaseEnv);
  const dialect = dialectOf(raw.dialect);
  const tables = tablesOf(raw);
  const onDrift = oneOf("--on-drift", raw.onDrift ?? SETTINGS.onDrift.default, SETTINGS.onDrift.choices);
  const transaction = oneOf("--transaction", raw.transaction ?? SETTINGS.transaction.default, SETTINGS.transaction.choices);
  return {
    migrations: raw.migrations?.trim() || SETTINGS.migrations.default,
    migrationsGiven: Boolean(raw.migrations?.trim()),
    alembicConfig: raw.alembicConfig?.trim() || null,
    alembicConfigEnv: raw.alembicConfigEnv?.trim() || null,
    versionLocations: listOf(raw.versionLocations, /[\s,]+/),
    alembicCommand: (raw.alembicCommand?.trim() || SETTINGS.alembicCommand.default).split(/\s+/),
    alembicEnv: checkAlembicEnvNames(listOf(raw.alembicEnv)),
    dialect,
    versionTable: tables.versionTable,
    transactionPerRevision: raw.transactionPerRevision ?? false,
    databaseUrl,
    connection,
    secrets: secretsOfUrls([connection], databaseEnv),
    databaseEnv,
    ci: raw.ci ?? null,
    waitSeconds: raw.wait === void 0 || raw.wait === false ? 0 : raw.wait === true ? WAIT_WHEN_GIVEN_SECONDS : seconds("--wait", raw.wait),
    lockTimeoutSeconds: seconds("--lock-timeout", raw.lockTimeout ?? SETTINGS.lockTimeout.default),
    onDrift,
    transaction,
    historyTable: tables.historyTable,
    identity: raw.identity ?? { actor: null, commitSha: null, runUrl: null, retortVersion: "0.0.0-dev" },
    expectHeads: parseExpectHeads(raw.expectHeads)
  };
}
function secretsOfUrls(parsed, env) {
  const secrets = parsed.flatMap((p) => [...p?.secrets ?? []]);
  if (env.PGPASSWORD) secrets.push(...secretForms(env.PGPASSWORD));
  return secrets;
}
function listOf(value, separator = /,/) {
  return (typeof value === "string" ? [value] : value ?? []).flatMap((v) => v.split(separator)).map((v) => v.trim()).filter(Boolean);
}
function dialectOf(given2) {
  const dialect = (given2 ?? SETTINGS.dialect.default).toLowerCase();
  if (!DIALECTS.includes(dialect)) {
    throw new RetortError("usage", `Unknown dialect '${given2}'. Use one of: ${DIALECTS.join(", ")}.`);
  }
  return dialect;
}
function tablesOf(raw) {
  const table = raw.versionTable?.trim() || SETTINGS.versionTable.default;
  const schema = raw.versionSchema?.trim() || null;
  const historyTable = raw.historyTable?.trim() || SETTINGS.historyTable.default;
  for (const [what, value] of [["version table", table], ["version schema", schema], ["history table", historyTable]]) {
    if (value !== null && (new TextEncoder().encode(value).length > 63 || /[\s."`;]/.test(value))) {
      throw new RetortError("usage", `Invalid ${what} '${value}': use a plain identifier (no dots, quotes, spaces; at most 63 bytes in UTF-8).`);
    }
  }
  return { versionTable: { table, schema }, historyTable };
}
function oneOf(flag, value, choices) {
  if (!choices.includes(value)) {
    throw new RetortError("usage", `Invalid ${flag} '${value}': use ${choices.slice(0, -1).join(", ")} or ${choices[choices.length - 1]}.`);
  }
  return value;
}
function seconds(flag, value) {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new RetortError("usage", `Invalid ${flag} '${value}': give a number of seconds.`);
  return n;
}
var CI_VARIABLES = [
  "GITHUB_ACTIONS",
  "GITLAB_CI",
  "TF_BUILD",
  "JENKINS_URL",
  "BUILDKITE",
  "CIRCLECI",
  "BITBUCKET_BUILD_NUMBER",
  "TEAMCITY_VERSION",
  "TRAVIS",
  "APPVEYOR",
  "CODEBUILD_BUILD_ID",
  "DRONE",
  "WOODPECKER_CI",
  "SEMAPHORE",
  "CIRRUS_CI",
  "bamboo_buildKey",
  "GO_PIPELINE_NAME",
  "HUDSON_URL",
  "BITRISE_IO",
  "BUDDY_WORKSPACE_ID",
  "HARNESS_BUILD_ID",
  "CM_BUILD_ID",
  "NETLIFY",
  "VERCEL",
  "RENDER",
  "CF_PAGES",
  "CI",
  "CONTINUOUS_INTEGRATION"
];
function detectCi(env) {
  for (const name of CI_VARIABLES) {
    const value = env[name]?.trim();
    if (!value) continue;
    if ((name === "CI" || name === "CONTINUOUS_INTEGRATION") && /^(false|0|no)$/i.test(value)) continue;
    return name;
  }
  return null;
}
function currentOsUser() {
  try {
    return userInfo().username;
  } catch {
    return null;
  }
}
function identityFromEnv(env, osUser, retortVersion) {
  const github = env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY;
  return {
    actor: env.GITHUB_ACTOR || env.GITLAB_USER_LOGIN || env.BUILD_USER_ID || osUser,
    commitSha: env.GITHUB_SHA || env.CI_COMMIT_SHA || env.GIT_COMMIT || null,
    runUrl: github ? `${env.GITHUB_SERVER_URL || "https://github.com"}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : env.CI_JOB_URL || env.BUILD_URL || null,
    retortVersion
  };
}

// src/cli/inputs.ts
function readCliInputs(argv, env, version) {
  const databaseEnv = libpqEnv(env);
  const urls = /* @__PURE__ */ new Map();
  for (const text2 of urlCandidates(argv, env)) {
    if (text2 && text2.trim() !== "" && !urls.has(text2)) urls.set(text2, parseDatabaseUrl(text2, databaseEnv));
  }
  const secrets = secretsOfUrls([...urls.values()], databaseEnv);
  return {
    argv,
    env,
    databaseEnv,
    ci: detectCi(env),
    identity: identityFromEnv(env, currentOsUser(), version),
    // An empty variable is unset, as every RETORT_* variable is.
    fallbackUrl: env[SETTINGS.databaseUrl.envFallback] || void 0,
    target: env[SETTINGS.target.env] || void 0,
    migrationsGiven: migrationsGiven(argv, env),
    alembicConfigEnv: env.ALEMBIC_CONFIG || void 0,
    urls,
    secrets
  };
}
function migrationsGiven(argv, env) {
  const end = argv.indexOf("--");
  const words = end < 0 ? argv : argv.slice(0, end);
  return words.some((a) => a === "--migrations" || a.startsWith("--migrations=")) || Boolean(env[SETTINGS.migrations.env]?.trim());
}
var SECRET_SHAPED = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#\s]*@|password\s*=/i;
function urlCandidates(argv, env) {
  const candidates = [env[SETTINGS.databaseUrl.env], env[SETTINGS.databaseUrl.envFallback]];
  argv.forEach((a, i) => {
    if (a === "--database-url") candidates.push(argv[i + 1]);
    for (const word of [a, a.slice(a.indexOf("=") + 1)]) if (SECRET_SHAPED.test(word)) candidates.push(word);
  });
  return candidates;
}
function optionsOf(flags, inputs) {
  const o = flags;
  const databaseUrl = o.databaseUrl || inputs.fallbackUrl || void 0;
  return makeOptions({
    migrations: inputs.migrationsGiven ? o.migrations : void 0,
    alembicConfig: o.alembicConfig,
    alembicConfigEnv: inputs.alembicConfigEnv,
    versionLocations: flags.versionLocations,
    alembicCommand: o.alembicCommand,
    alembicEnv: flags.alembicEnv,
    dialect: o.dialect,
    versionTable: o.versionTable,
    versionSchema: o.versionSchema,
    transactionPerRevision: flags.transactionPerRevision,
    databaseUrl,
    connection: databaseUrl === void 0 ? void 0 : inputs.urls.get(databaseUrl),
    databaseEnv: inputs.databaseEnv,
    ci: inputs.ci,
    wait: flags.wait,
    lockTimeout: o.lockTimeout,
    onDrift: o.onDrift,
    transaction: o.transaction,
    historyTable: o.historyTable,
    identity: inputs.identity,
    expectHeads: o.expectHeads
  });
}
function targetOf(argument, inputs) {
  return argument ?? (inputs.target || SETTINGS.target.default);
}

// src/cli/output.ts
import { randomBytes } from "node:crypto";

// src/report/safe-text.ts
var INVISIBLE = /[\0-\x08\x0B-\x1F\x7F-\x9F\u2028\u2029\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
var HASH_COMMAND = /##([A-Za-z]*)\[/g;
var LINE_COMMAND = /^([^\S\n]*):(?=:)/gm;
var LINE_GROUP = /^([^\S\n]*)(---|\+\+\+|~~~|\^\^\^)(?=[^\S\n])/gm;
function escapeOf(ch) {
  const cp = ch.codePointAt(0);
  if (cp <= 255) return `\\x${cp.toString(16).padStart(2, "0")}`;
  if (cp <= 65535) return `\\u${cp.toString(16).padStart(4, "0")}`;
  return `\\u{${cp.toString(16)}}`;
}
function neutralise(text2) {
  return neutraliseCommands(text2.replace(INVISIBLE, escapeOf));
}
function neutraliseCommands(text2) {
  return text2.replace(LINE_COMMAND, "$1:\\").replace(LINE_GROUP, "$1$2\\").replace(HASH_COMMAND, "##$1\\[");
}
function lineWriter(write, transform = neutralise) {
  let line = "";
  return (text2) => {
    if (text2 === "") return;
    const before = transform(line);
    const after = transform(line + text2);
    write(after.startsWith(before) ? after.slice(before.length) : transform(text2));
    const all = line + text2;
    const nl = all.lastIndexOf("\n");
    line = nl >= 0 ? all.slice(nl + 1) : all;
    if (line.length > 512) line = `x${line.slice(-256)}`;
  };
}
function safeJson(json2) {
  return json2.replace(HASH_COMMAND, "#\\u0023$1[").replace(INVISIBLE, (ch) => [...ch].map((c) => unicodeEscapes(c)).join(""));
}
function unicodeEscapes(ch) {
  let out = "";
  for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, "0")}`;
  return out;
}
var DISPLAY_CONTROLS = /[\0-\x08\x0B-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069]/gu;
function visibleControls(text2) {
  let changed = 0;
  const out = text2.split("\n").map((line) => {
    const shown = line.replace(DISPLAY_CONTROLS, escapeOf);
    if (shown !== line) changed++;
    return shown;
  }).join("\n");
  return { text: out, changedLines: changed };
}
function commandLogOf(env) {
  if (env.GITHUB_ACTIONS === "true") return "github";
  if (env.TF_BUILD) return "azure";
  if (env.TEAMCITY_VERSION) return "teamcity";
  return null;
}
function guardMachineText(text2, format, log2, token) {
  if (log2 === "github") {
    if (!/^[A-Za-z0-9_-]{16,}$/.test(token)) throw new Error("a stop-commands token must be long and random");
    const body = text2.endsWith("\n") || text2 === "" ? text2 : `${text2}
`;
    const stop = format === "sql" ? `-- ##[stop-commands]${token}
` : `<!--
##[stop-commands]${token}
-->
`;
    const resume = format === "sql" ? `-- ##[${token}]
` : `<!--
##[${token}]
-->
`;
    return { text: `${stop}${body}${resume}`, changedLines: 0 };
  }
  const lines = text2.split("\n");
  let changed = 0;
  const out = lines.map((l) => {
    const n = l.replace(HASH_COMMAND, "##$1\\[");
    if (n !== l) changed++;
    return n;
  });
  return { text: out.join("\n"), changedLines: changed };
}

// src/cli/output.ts
function makeOutput(io, inputs) {
  const out = lineWriter(io.out);
  const err = lineWriter(io.err);
  const sink = {
    io,
    err,
    log: io.outIsLog ? commandLogOf(inputs.env) : null,
    shown: io.outIsTerminal === true || io.outIsLog === true && inputs.ci !== null
  };
  const clean = (text2) => scrubSecrets(text2, inputs.secrets);
  return {
    out: (text2) => out(clean(text2)),
    err: (text2) => err(clean(text2)),
    machine: (text2, format) => {
      const scrubbed = clean(text2);
      if (format === "json") return out(safeJson(scrubbed));
      writeMachine(sink, scrubbed, format, scrubbed !== text2);
    }
  };
}
function writeMachine(sink, scrubbed, format, wasScrubbed) {
  const what = format === "sql" ? "SQL" : "markdown";
  if (wasScrubbed) {
    sink.err(
      `retort: warning: the ${what} held a secret of the database URL, replaced by ***. If that text was not the secret (a short or common password matches ordinary words), use a stronger password.
`
    );
  }
  const body = sink.shown ? escapeControls(sink, scrubbed, what) : scrubbed;
  if (sink.log === null) return sink.io.out(body);
  const guarded = guardMachineText(body, format, sink.log, `retort-${randomBytes(16).toString("hex")}`);
  sink.io.out(guarded.text);
  if (guarded.changedLines > 0) {
    sink.err(
      `retort: warning: ${guarded.changedLines} line(s) of the ${what} held '##...[', which this CI's log reads as a command: a backslash was added before '['. Redirect the output to a file (> FILE) for the exact text.
`
    );
  }
}
function escapeControls(sink, body, what) {
  const visible = visibleControls(body);
  if (visible.changedLines > 0) {
    sink.err(
      `retort: warning: ${visible.changedLines} line(s) of the ${what} held control characters (ESC, \\r, bidi overrides, ...), shown as escapes (\\x1b, ...) so that they cannot act on the terminal or the CI log. Redirect the output to a file (> FILE) for the exact text.
`
    );
  }
  return visible.text;
}

// src/core/graph.ts
var GraphError = class extends RetortError {
  constructor(message) {
    super("graph", message);
    this.name = "GraphError";
  }
};
function indexIds(revisions) {
  const byId = /* @__PURE__ */ new Map();
  revisions.forEach((rev, i) => {
    const bad = invalidRevisionId(rev.id);
    if (bad) throw new GraphError(`${rev.path}: ${bad}. Choose another Revision ID.`);
    const other = byId.get(rev.id);
    if (other !== void 0) {
      throw new GraphError(
        `Revision ${rev.id} is present more than once: in ${revisions[other].path} and in ${rev.path}. Give one of them a new Revision ID (and update whatever revises it).`
      );
    }
    byId.set(rev.id, i);
  });
  return byId;
}
function indexLabels(revisions, byId) {
  const byLabel = /* @__PURE__ */ new Map();
  revisions.forEach((rev, i) => {
    for (const label of rev.branchLabels) {
      const owner = byLabel.get(label) ?? byId.get(label);
      if (owner !== void 0) {
        throw new GraphError(
          `Branch name '${label}' in revision ${rev.id} (${rev.path}) already used by revision ${revisions[owner].id} (${revisions[owner].path}). Choose another branch label.`
        );
      }
      byLabel.set(label, i);
    }
  });
  return byLabel;
}
function childrenOf(down, deps) {
  const n = down.length;
  const children = Array.from({ length: n }, () => []);
  const allChildren = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (const d of down[i]) children[d].push(i);
    for (const d of down[i]) allChildren[d].push(i);
    for (const d of deps[i]) if (!down[i].includes(d)) allChildren[d].push(i);
  }
  return { children, allChildren };
}
var RevisionGraph = class _RevisionGraph {
  /** Revisions in load order; a node is an index into this array. */
  revisions;
  /** Versioned down revisions (`down_revision`). */
  down;
  /** `depends_on`, resolved to revisions. */
  deps;
  /** Down revisions plus the dependencies not already declared by a versioned ancestor:
   *  Alembic's `_normalized_down_revisions`, the "from" set of a step. */
  normDown;
  /** Versioned children (`nextrev`). */
  children;
  /** Children through down revisions or dependencies (`_all_nextrev`). */
  allChildren;
  /** Revisions no revision revises: `head`. In load order. */
  heads;
  /** Revisions nothing revises or depends on: `heads`. In load order. */
  realHeads;
  /** Revisions with no down revision. In load order. */
  bases;
  byId;
  byLabel;
  labels;
  constructor(revisions) {
    this.revisions = revisions;
    const n = revisions.length;
    this.byId = indexIds(revisions);
    this.byLabel = indexLabels(revisions, this.byId);
    const down = [];
    const deps = [];
    for (let i = 0; i < n; i++) {
      const rev = revisions[i];
      down.push(unique(rev.downRevisions).map((d) => this.edgeTarget(rev, d, "revises")));
      deps.push(unique(rev.dependsOn).map((d) => this.edgeTarget(rev, d, "depends on")));
    }
    this.down = down;
    this.deps = deps;
    const { children, allChildren } = childrenOf(down, deps);
    this.children = children;
    this.allChildren = allChildren;
    const idx = [...Array(n).keys()];
    this.heads = idx.filter((i) => children[i].length === 0);
    this.realHeads = idx.filter((i) => allChildren[i].length === 0);
    this.bases = idx.filter((i) => down[i].length === 0);
    const realBases = idx.filter((i) => down[i].length === 0 && deps[i].length === 0);
    this.detectCycles(this.heads, this.bases, down, children, "Cycle");
    const allDown = idx.map((i) => deps[i].length === 0 ? down[i] : [.../* @__PURE__ */ new Set([...down[i], ...deps[i]])]);
    this.detectCycles(this.realHeads, realBases, allDown, allChildren, "Dependency cycle");
    this.normDown = idx.map((i) => this.normalizedDown(i));
    this.labels = revisions.map((r) => new Set(r.branchLabels));
    this.spreadLabels();
  }
  /** Alembic's `_normalized_down_revisions` of node `i` (once `down` and `deps` are set). */
  normalizedDown(i) {
    const { down, deps } = this;
    if (deps[i].length === 0) return down[i];
    const redundant = /* @__PURE__ */ new Set();
    for (const a of this.walk([i], down)) {
      if (a !== i) for (const d of deps[a]) redundant.add(d);
    }
    return [.../* @__PURE__ */ new Set([...down[i], ...deps[i].filter((d) => !redundant.has(d))])];
  }
  /** Builds and validates the graph; throws a GraphError naming the files involved. */
  static build(revisions) {
    return new _RevisionGraph(revisions);
  }
  get size() {
    return this.revisions.length;
  }
  /** The node of an exact revision id, or undefined. */
  nodeOf(id) {
    return this.byId.get(id);
  }
  /** The node declaring an exact branch label, or undefined. */
  labelNode(label) {
    return this.byLabel.get(label);
  }
  /** Every revision id and branch label, in map order (Alembic's `_revision_map` keys). */
  *keys() {
    yield* this.byId;
    yield* this.byLabel;
  }
  id(node) {
    return this.revisions[node].id;
  }
  ids(nodes) {
    return Array.from(nodes, (n) => this.revisions[n].id);
  }
  /** Branch labels of a revision after Alembic's spreading (declared ones included). */
  labelsOf(node) {
    return this.labels[node];
  }
  isHead(node) {
    return this.children[node].length === 0;
  }
  isRealHead(node) {
    return this.allChildren[node].length === 0;
  }
  isBranchPoint(node) {
    return this.children[node].length > 1;
  }
  isMergePoint(node) {
    return this.down[node].length > 1;
  }
  /** Nodes reachable from `starts` along `edges`, starts included, each once. Depth first,
   *  last pushed first, like Alembic's `_iterate_related_revisions`. */
  walk(starts, edges) {
    const seen = new Uint8Array(this.size);
    const out = [];
    const stack = [];
    for (const s of starts) {
      stack.push(s);
      while (stack.length > 0) {
        const node = stack.pop();
        if (seen[node]) continue;
        seen[node] = 1;
        out.push(node);
        for (const next of edges[node]) if (!seen[next]) stack.push(next);
      }
    }
    return out;
  }
  /** Ancestors including the starts, through down revisions and dependencies. */
  ancestors(starts, includeDependencies = true) {
    return new Set(this.walk(starts, includeDependencies ? this.normDown : this.down));
  }
  /** Descendants including the starts. */
  descendants(starts, includeDependencies = true) {
    return new Set(this.walk(starts, includeDependencies ? this.allChildren : this.children));
  }
  /** Whether `a` and any of `others` lie on one line: one is an ancestor or descendant of the
   *  other (Alembic's `_shares_lineage`). */
  sharesLineage(a, others, includeDependencies = false) {
    if (others.length === 0) return true;
    const wanted = new Set(others);
    for (const n of this.walk([a], includeDependencies ? this.normDown : this.down)) if (wanted.has(n)) return true;
    for (const n of this.walk([a], includeDependencies ? this.allChildren : this.children)) if (wanted.has(n)) return true;
    return false;
  }
  /** The members of `targets` that are ancestors of (or equal to) some node of `from`, through
   *  normalized down revisions. The search never goes below the lowest-ranked target, so it
   *  only visits the part of the graph between the two sets. */
  ancestorsAmong(from, targets) {
    const found = /* @__PURE__ */ new Set();
    if (targets.length === 0) return found;
    const { rank } = this.sortIndex();
    const wanted = new Set(targets);
    let floor = Infinity;
    for (const t of targets) floor = Math.min(floor, rank[t]);
    const seen = /* @__PURE__ */ new Set();
    const stack = [...from];
    while (stack.length > 0 && found.size < wanted.size) {
      const x = stack.pop();
      if (seen.has(x)) continue;
      seen.add(x);
      if (wanted.has(x)) found.add(x);
      for (const d of this.normDown[x]) if (!seen.has(d) && rank[d] >= floor) stack.push(d);
    }
    return found;
  }
  sortCache;
  /** Reverse of `normDown`, and a topological rank (every ancestor ranks lower than its
   *  descendants) for pruning searches. Computed once, on first use. */
  sortIndex() {
    if (this.sortCache) return this.sortCache;
    const n = this.size;
    const normChildren = Array.from({ length: n }, () => []);
    const pending = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      pending[i] = this.normDown[i].length;
      for (const d of this.normDown[i]) normChildren[d].push(i);
    }
    const rank = new Int32Array(n);
    const queue = [];
    for (let i = 0; i < n; i++) if (pending[i] === 0) queue.push(i);
    for (let head = 0; head < queue.length; head++) {
      const x = queue[head];
      rank[x] = head;
      for (const c of normChildren[x]) if (--pending[c] === 0) queue.push(c);
    }
    this.sortCache = { normChildren, rank };
    return this.sortCache;
  }
  edgeTarget(rev, target, verb) {
    if (target === rev.id) {
      const kind = verb === "revises" ? "Self-loop" : "Dependency self-loop";
      throw new GraphError(`${kind} is detected in revisions (${rev.id}): ${rev.path} ${verb} itself.`);
    }
    const node = this.byId.get(target) ?? (verb === "depends on" ? this.byLabel.get(target) : void 0);
    if (node !== void 0) return node;
    const label = this.byLabel.get(target);
    const hint = label !== void 0 ? ` '${target}' is a branch label of ${this.revisions[label].id}; Revises takes revision ids: write ${this.revisions[label].id}.` : ` Add the missing revision, or correct the id in ${rev.path}.`;
    throw new GraphError(`Revision ${target} referenced from ${rev.id} (${rev.path}, ${verb}) is not present.${hint}`);
  }
  /** Alembic's `_detect_cycles`: every node must be reachable down from a head and up from a
   *  base; what is not lies on or behind a cycle. */
  detectCycles(heads, bases, downEdges, upEdges, kind) {
    const n = this.size;
    if (n === 0) return;
    let stuck;
    if (heads.length === 0 || bases.length === 0) {
      stuck = [...Array(n).keys()];
    } else {
      const fromHeads = new Uint8Array(n);
      for (const x of this.walk(heads, downEdges)) fromHeads[x] = 1;
      const fromBases = new Uint8Array(n);
      for (const x of this.walk(bases, upEdges)) fromBases[x] = 1;
      stuck = [...Array(n).keys()].filter((i) => !(fromHeads[i] && fromBases[i]));
    }
    if (stuck.length === 0) return;
    const ids = this.ids(stuck).sort();
    const files2 = stuck.map((i) => this.revisions[i].path).sort();
    throw new GraphError(
      `${kind} is detected in revisions (${ids.join(", ")}). Files: ${files2.join(", ")}. Break the cycle by correcting a Revises${kind === "Cycle" ? "" : " or Depends On"} line.`
    );
  }
  /** Alembic's `_add_branches`: a label spreads to every versioned descendant of the revision
   *  declaring it; then, starting from the last descendant visited, down through single-parent
   *  revisions until a branch point or merge point. Alembic walks descendants in hash order;
   *  retort walks them in load order, so the result is the same on every run. */
  spreadLabels() {
    for (let i = 0; i < this.size; i++) {
      if (this.revisions[i].branchLabels.length === 0) continue;
      const spread = [...this.labels[i]];
      const visited = this.walk([i], this.children);
      for (const node of visited) for (const l of spread) this.labels[node].add(l);
      let parent = visited[visited.length - 1];
      while (parent !== void 0 && this.allChildren[parent].length <= 1 && this.down[parent].length <= 1) {
        for (const l of spread) this.labels[parent].add(l);
        parent = this.down[parent][0];
      }
    }
  }
};
function unique(values) {
  return values.length < 2 ? values : [...new Set(values)];
}

// src/load/alembic-files.ts
import { Buffer as Buffer2 } from "node:buffer";
import { readdirSync, readlinkSync, realpathSync as realpathSync2 } from "node:fs";
import { basename, dirname as dirname3, join as join3, relative as relative3, resolve as resolve3 } from "node:path";

// src/load/alembic-config.ts
import { statSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

// src/load/ini.ts
var PY_SPACE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
var PY_SPACE_CHAR = new RegExp(`[${PY_SPACE}]`);
var PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, "g");
var PY_RSTRIP = new RegExp(`[${PY_SPACE}]+$`);
var SECTION_HEADER = /^\[(.+)\]/s;
var OPTION_LINE = new RegExp(`^(.*?)[${PY_SPACE}]*([=:])[${PY_SPACE}]*(.*)$`, "s");
var INTERPOLATION_REF = /^%\(([^)]+)\)s/;
var MAX_INTERPOLATION_DEPTH = 10;
var pyStrip = (s) => s.replace(PY_STRIP, "");
function indentOf(line) {
  let i = 0;
  while (i < line.length && PY_SPACE_CHAR.test(line[i])) i++;
  return i;
}
var IniReader = class {
  defaults = /* @__PURE__ */ new Map();
  sections = /* @__PURE__ */ new Map();
  /** Lines that are neither a header nor an option: configparser fails at the end, listing all. */
  bogus = [];
  added = /* @__PURE__ */ new Set();
  current = null;
  sectionName = "";
  option = null;
  indentLevel = 0;
  file;
  constructor(file) {
    this.file = file;
  }
  line(line, lineno) {
    const stripped = pyStrip(line);
    const comment = stripped.startsWith("#") || stripped.startsWith(";");
    const value = comment ? "" : stripped;
    if (value === "") {
      if (!comment && this.current !== null && this.option !== null) this.current.get(this.option)?.lines.push("");
      return;
    }
    const indent = indentOf(line);
    if (this.current !== null && this.option !== null && indent > this.indentLevel) {
      this.current.get(this.option).lines.push(value);
      return;
    }
    this.indentLevel = indent;
    const header = SECTION_HEADER.exec(value);
    if (header) this.header(header[1], lineno);
    else this.optionLine(value, lineno);
  }
  header(name, lineno) {
    this.sectionName = name;
    if (this.added.has(`[${name}]`)) {
      throw new RetortError("usage", `${this.file}:${lineno}: section [${name}] appears twice; merge the two into one.`);
    }
    if (name === "DEFAULT") {
      this.current = this.defaults;
    } else {
      this.added.add(`[${name}]`);
      this.current = /* @__PURE__ */ new Map();
      this.sections.set(name, this.current);
    }
    this.option = null;
  }
  optionLine(value, lineno) {
    if (this.current === null) {
      throw new RetortError(
        "usage",
        `${this.file}:${lineno}: '${value}' comes before any [section] header; an Alembic config starts with [alembic].`
      );
    }
    const opt = OPTION_LINE.exec(value);
    const name = opt ? pyStrip(opt[1]).toLowerCase() : "";
    if (!opt || name === "") {
      this.bogus.push(lineno);
      this.option = null;
      return;
    }
    const key2 = `${this.sectionName}\0${name}`;
    if (this.added.has(key2)) {
      throw new RetortError("usage", `${this.file}:${lineno}: option '${name}' appears twice in [${this.sectionName}]; keep one.`);
    }
    this.added.add(key2);
    this.current.set(name, { lines: [pyStrip(opt[3])], line: lineno });
    this.option = name;
  }
};
var finish = (m) => new Map([...m].map(([k, v]) => [k, { raw: v.lines.join("\n").replace(PY_RSTRIP, ""), line: v.line }]));
function parseIni(text2, file) {
  if (text2.startsWith("\uFEFF")) {
    throw new RetortError(
      "usage",
      `${file}:1: the file starts with a byte-order mark, which Alembic's configparser cannot read (File contains no section headers); save it as UTF-8 without BOM.`
    );
  }
  const reader = new IniReader(file);
  text2.split(/\r\n|\r|\n/).forEach((line, index) => reader.line(line, index + 1));
  const { bogus } = reader;
  if (bogus.length > 0) {
    throw new RetortError(
      "usage",
      `${file}:${bogus[0]}: not a 'key = value' line (configparser cannot read line${bogus.length > 1 ? "s" : ""} ${bogus.join(", ")}); indent it to continue the value above, or start it with '#' to make it a comment.`
    );
  }
  return { file, defaults: finish(reader.defaults), sections: new Map([...reader.sections].map(([k, v]) => [k, finish(v)])) };
}
function iniValue(ini, section, key2, vars = {}) {
  const lookup = (name2) => {
    const own = ini.sections.get(section)?.get(name2) ?? ini.defaults.get(name2);
    if (own !== void 0) return own.raw;
    return Object.prototype.hasOwnProperty.call(vars, name2) ? vars[name2] : void 0;
  };
  const name = key2.toLowerCase();
  const raw = lookup(name);
  if (raw === void 0) return void 0;
  const where = `${ini.file}:${(ini.sections.get(section)?.get(name) ?? ini.defaults.get(name))?.line ?? 0}`;
  const out = [];
  interpolate(raw, { key: key2, section, where, lookup, out }, 1);
  return out.join("");
}
function interpolate(value, it, depth) {
  const { key: key2, where } = it;
  if (depth > MAX_INTERPOLATION_DEPTH) {
    throw new RetortError("usage", `${where}: '${key2}' nests %(...)s references more than ${MAX_INTERPOLATION_DEPTH} deep (a loop?).`);
  }
  let rest = value;
  while (rest !== "") {
    const p = rest.indexOf("%");
    if (p < 0) {
      it.out.push(rest);
      return;
    }
    it.out.push(rest.slice(0, p));
    rest = rest.slice(p);
    const next = rest.slice(1, 2);
    if (next === "%") {
      it.out.push("%");
      rest = rest.slice(2);
    } else if (next === "(") {
      rest = reference(rest, it, depth);
    } else {
      throw new RetortError("usage", `${where}: '%' in '${key2}' must be followed by '%' or '(' (found '${rest}'); write %% for a literal '%'.`);
    }
  }
}
function reference(rest, it, depth) {
  const { key: key2, where } = it;
  const m = INTERPOLATION_REF.exec(rest);
  if (!m) {
    throw new RetortError("usage", `${where}: bad interpolation in '${key2}' at '${rest}'; write %(name)s, or %% for a literal '%'.`);
  }
  const v = it.lookup(m[1].toLowerCase());
  if (v === void 0) {
    throw new RetortError(
      "usage",
      `${where}: '${key2}' refers to %(${m[1]})s, which is not set in [${it.section}] or [DEFAULT] (only %(here)s is predefined); write %% for a literal '%'.`
    );
  }
  if (v.includes("%")) interpolate(v, it, depth + 1);
  else it.out.push(v);
  return rest.slice(m[0].length);
}

// src/load/text.ts
import { lstatSync, readFileSync } from "node:fs";
var STRICT = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
function firstInvalidUtf8(bytes) {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 128) {
      i++;
      continue;
    }
    let need;
    let lo = 128;
    let hi = 191;
    if (b >= 194 && b <= 223) need = 1;
    else if (b >= 224 && b <= 239) {
      need = 2;
      if (b === 224) lo = 160;
      if (b === 237) hi = 159;
    } else if (b >= 240 && b <= 244) {
      need = 3;
      if (b === 240) lo = 144;
      if (b === 244) hi = 143;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === void 0 || c < (k === 1 ? lo : 128) || c > (k === 1 ? hi : 191)) return i;
    }
    i += need + 1;
  }
  return -1;
}
function position(bytes, offset) {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i];
    if (b === 10 || b === 13 && bytes[i + 1] !== 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}
function utf8Problem(bytes) {
  try {
    STRICT.decode(bytes);
    return null;
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const at = offset < 0 ? bytes.length : offset;
    return { ...position(bytes, at), byte: bytes[at] ?? 0 };
  }
}
function decodeUtf8(bytes, error) {
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const at = position(bytes, nul);
    throw error(at.line, `holds a NUL byte (0x00) at column ${at.column}; was it saved as UTF-16? Save it as UTF-8 (iconv -f utf-16 -t utf-8)`);
  }
  try {
    return STRICT.decode(bytes);
  } catch {
    const problem = utf8Problem(bytes);
    const hex = problem.byte.toString(16).toUpperCase().padStart(2, "0");
    throw error(
      problem.line,
      `not valid UTF-8 (byte 0x${hex} at column ${problem.column}); retort reads this file as UTF-8, as Python does. Save it as UTF-8 (an editor's 'reopen with encoding', or iconv -f latin1 -t utf-8)`
    );
  }
}
function readUtf8(file, error) {
  let bytes;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw error(1, `cannot be read (${e.message})`);
  }
  return decodeUtf8(bytes, error);
}
function usageAt(file) {
  return (line, message) => new RetortError("usage", `${file}:${line}: ${message}.`);
}
function undecodable(path) {
  if (!path.includes("\uFFFD")) return false;
  try {
    lstatSync(path);
    return false;
  } catch {
    return true;
  }
}
var NOT_UTF8_NAME = "has a name that is not valid UTF-8 (its bad bytes are shown as U+FFFD), so it cannot be opened by that name; rename it in UTF-8.";

// src/load/alembic-config.ts
var DEFAULT_FILE_TEMPLATE = "%(rev)s_%(slug)s";
var DEFAULT_TRUNCATE_SLUG_LENGTH = 40;
var ALEMBIC_SECTION = "alembic";
function kindOf(path) {
  try {
    const s = statSync(path);
    return s.isDirectory() ? "dir" : s.isFile() ? "file" : "other";
  } catch {
    return null;
  }
}
function defaultProject(root) {
  return {
    root,
    iniPath: null,
    scriptLocation: root,
    versionLocations: [join(root, "versions")],
    recursive: false,
    fileTemplate: DEFAULT_FILE_TEMPLATE,
    truncateSlugLength: DEFAULT_TRUNCATE_SLUG_LENGTH
  };
}
function readIni(iniPath) {
  let text2;
  try {
    text2 = readUtf8(iniPath, usageAt(iniPath));
  } catch (e) {
    if (e instanceof RetortError) throw e;
    throw new RetortError("usage", `Cannot read Alembic config '${iniPath}': ${e.message}.`, { cause: e });
  }
  return parseIni(text2, iniPath);
}
function readAlembicConfig(iniPath) {
  const ini = readIni(iniPath);
  const root = dirname(iniPath);
  if (!ini.sections.has(ALEMBIC_SECTION)) {
    throw new RetortError(
      "usage",
      `${iniPath} has no [${ALEMBIC_SECTION}] section, so it is not an Alembic config file. Pass your project's alembic.ini with --alembic-config.`
    );
  }
  const settings = {
    iniPath,
    root,
    get: (key2) => iniValue(ini, ALEMBIC_SECTION, key2, { here: root }),
    at: (key2) => `${iniPath}:${ini.sections.get(ALEMBIC_SECTION)?.get(key2)?.line ?? ini.defaults.get(key2)?.line ?? 0}`
  };
  const scriptLocation = scriptLocationOf(settings);
  const versionLocations = splitVersionLocations(settings).map(
    (entry) => resolvePath(entry, "version_locations entry", settings.at("version_locations"), settings)
  );
  const truncateSlugLength = truncateSlugLengthOf(settings);
  const sysPath = prependSysPath(settings.get);
  return {
    root,
    iniPath,
    scriptLocation,
    versionLocations: versionLocations.length > 0 ? versionLocations : [join(scriptLocation, "versions")],
    // Alembic compares with the string "true": "True" or "yes" mean false.
    recursive: settings.get("recursive_version_locations") === "true",
    fileTemplate: settings.get("file_template") ?? DEFAULT_FILE_TEMPLATE,
    truncateSlugLength,
    ...sysPath.length > 0 ? { prependSysPath: sysPath } : {},
    ...settings.get("path_separator") !== void 0 ? { pathSeparator: settings.get("path_separator") } : {},
    // Flask-Migrate's ini has none: Alembic is told the one Flask-Migrate would set.
    ...settings.get("script_location") === void 0 ? { mainOptions: { script_location: scriptLocation } } : {}
  };
}
function scriptLocationOf({ iniPath, root, get, at }) {
  const location = get("script_location");
  if (location === void 0) {
    if (kindOf(join(root, "env.py")) !== "file") {
      throw new RetortError(
        "usage",
        `${iniPath}: [${ALEMBIC_SECTION}] has no script_location. Add one naming the directory that holds env.py and versions/, e.g. 'script_location = %(here)s/alembic'.`
      );
    }
    return root;
  }
  if (location === "") {
    throw new RetortError(
      "usage",
      `${at("script_location")}: script_location is empty. Name the directory that holds env.py and versions/, e.g. 'script_location = %(here)s/alembic'.`
    );
  }
  const scriptLocation = resolvePath(location, "script_location", at("script_location"), { root, get });
  const kind = kindOf(scriptLocation);
  if (kind !== "dir") {
    throw new RetortError(
      "usage",
      `${at("script_location")}: script_location '${location}' is '${scriptLocation}', which ${kind === null ? "does not exist" : "is not a directory"}. retort takes relative paths from the ini's directory (Alembic from the directory it runs in); fix the path (e.g. %(here)s/alembic) or create the scripts directory with 'alembic init'.`
    );
  }
  return scriptLocation;
}
function truncateSlugLengthOf({ get, at }) {
  const tsl = get("truncate_slug_length");
  if (tsl === void 0) return DEFAULT_TRUNCATE_SLUG_LENGTH;
  if (!/^\+?\d+(_\d+)*$/.test(tsl)) {
    throw new RetortError("usage", `${at("truncate_slug_length")}: truncate_slug_length '${tsl}' is not a non-negative integer; the default is 40.`);
  }
  return Number(tsl.replace(/_/g, "")) || DEFAULT_TRUNCATE_SLUG_LENGTH;
}
var isPackageResource = (p) => !isAbsolute(p) && p.includes(":");
function packageResourceFolder(value, root, sysPath = []) {
  const [pkg = "", ...parts] = value.split(":");
  const inside2 = [...pkg.split("."), ...parts.filter((p) => p !== "")];
  const bases = [root, ...sysPath.map((p) => resolve(root, p))];
  for (const base of bases) {
    if (kindOf(join(base, ...pkg.split("."))) === "dir") return { path: join(base, ...inside2), found: true };
  }
  return { path: join(root, ...inside2), found: false };
}
function prependSysPath(get) {
  const value = get("prepend_sys_path");
  if (value === void 0 || value === "") return [];
  const name = get("path_separator") ?? "";
  const char = Object.prototype.hasOwnProperty.call(SEPARATORS, name) ? SEPARATORS[name] : void 0;
  return (char === void 0 ? value.split(/, *| +|:/) : value.split(char)).map(pyStrip).filter((x) => x !== "");
}
var hereForm = (path, root) => {
  const rel = relative(root, path);
  return rel === "" ? "%(here)s" : rel.startsWith("..") || isAbsolute(rel) ? path : `%(here)s/${rel.split(sep).join("/")}`;
};
function resolvePath(value, what, where, settings) {
  if (isPackageResource(value)) {
    const folder = packageResourceFolder(value, settings.root, prependSysPath(settings.get));
    const [pkg] = value.split(":");
    const there = folder.found ? `Write it as that folder's path instead: '${hereForm(folder.path, settings.root)}'.` : `Write it as the path of that folder instead, e.g. '${hereForm(folder.path, settings.root)}' when the package '${pkg}' sits beside the ini (retort found no folder '${pkg}' there or under prepend_sys_path).`;
    throw new RetortError(
      "usage",
      `${where}: ${what} '${value}' is a Python package resource (package:path): Alembic imports '${pkg}' and takes the folder '${value.split(":").slice(1).join("/")}' inside it, which retort cannot do. ${there}`
    );
  }
  return resolve(settings.root, value);
}
function peekScriptLocation(iniPath) {
  let ini;
  try {
    ini = readIni(iniPath);
  } catch {
    return null;
  }
  if (!ini.sections.has(ALEMBIC_SECTION)) return null;
  const root = dirname(iniPath);
  let location;
  let sysPath;
  try {
    const get = (key2) => iniValue(ini, ALEMBIC_SECTION, key2, { here: root });
    location = get("script_location");
    sysPath = prependSysPath(get);
  } catch {
    return null;
  }
  if (location === void 0) return kindOf(join(root, "env.py")) === "file" ? root : null;
  if (location === "") return null;
  return isPackageResource(location) ? packageResourceFolder(location, root, sysPath).path : resolve(root, location);
}
var SEPARATORS = { space: " ", newline: "\n", os: delimiter, ":": ":", ";": ";" };
var LEGACY_SPLIT = /, *| +/;
function splitVersionLocations({ get, at }) {
  const value = get("version_locations");
  if (value === void 0 || value === "") return [];
  const key2 = get("path_separator") !== void 0 ? "path_separator" : "version_path_separator";
  const separator = get(key2);
  let entries;
  if (separator === void 0) {
    entries = value.split(LEGACY_SPLIT);
  } else {
    const char = Object.prototype.hasOwnProperty.call(SEPARATORS, separator) ? SEPARATORS[separator] : void 0;
    if (char === void 0) {
      const hint = /[#;]/.test(separator) ? " An ini comment must be on a line of its own: configparser keeps '# ...' after a value as part of the value." : "";
      throw new RetortError(
        "usage",
        `${at(key2)}: ${key2} '${separator}' is not valid; expected 'space', 'newline', 'os', ':' or ';'.${hint}`
      );
    }
    entries = value.split(char).filter((x) => x !== "").map(pyStrip);
  }
  if (entries.includes("")) {
    throw new RetortError(
      "usage",
      `${at("version_locations")}: version_locations '${value}' has an empty entry, which Alembic would take as its current directory. Remove the stray separator.`
    );
  }
  const multiLine = entries.find((x) => x.includes("\n"));
  if (multiLine !== void 0) {
    throw new RetortError(
      "usage",
      `${at("version_locations")}: version_locations spans several lines, but ${key2} does not split on newlines ('${multiLine.replace(/\n/g, "\\n")}' would be one path). Set '${key2} = newline', or put the paths on one line.`
    );
  }
  return entries;
}
function refuseMultidb(iniPath, what) {
  if (iniPath === null) return;
  let names;
  try {
    const ini = readIni(iniPath);
    names = iniValue(ini, ALEMBIC_SECTION, "databases", { here: dirname(iniPath) });
  } catch {
    return;
  }
  if (names === void 0 || names.trim() === "") return;
  throw new RetortError(
    "usage",
    `${iniPath} lists several databases ([${ALEMBIC_SECTION}] databases = ${names.trim()}): a multi-database project (alembic init -t multidb), whose env.py connects to each database of its own sections and writes offline SQL to one <name>.sql file per database. retort runs one database per project, so it cannot ${what} it; heads, history, show, current and check work. Use alembic itself for this project.`
  );
}

// src/load/python-literal.ts
var OPERATORS = [
  "**=",
  "//=",
  ">>=",
  "<<=",
  "...",
  "!=",
  "%=",
  "&=",
  "**",
  "*=",
  "+=",
  "-=",
  "->",
  "//",
  "/=",
  ":=",
  "<<",
  "<=",
  "==",
  ">=",
  ">>",
  "@=",
  "^=",
  "|="
];
var CLOSING = { ")": "(", "]": "[", "}": "{" };
var STRING_PREFIX = /^(?:[rubft]|br|rb|fr|rf|tr|rt)$/i;
var NAME_START = /[\p{L}\p{Nl}_]/u;
var NAME_PART = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]/u;
var Tokenizer = class {
  i = 0;
  line = 1;
  lineStart = 0;
  brackets = [];
  current = [];
  currentIndent = 0;
  lines = [];
  src;
  fail;
  constructor(src, fail) {
    this.src = src;
    this.fail = fail;
  }
  run() {
    const { src } = this;
    while (this.i < src.length) {
      const c = src[this.i];
      if (c === " " || c === "	" || c === "\f") {
        this.i++;
      } else if (c === "#") {
        while (this.i < src.length && src[this.i] !== "\n") this.i++;
      } else if (c === "\n") {
        this.newline(this.i + 1);
        this.i++;
        if (this.brackets.length === 0) this.endLogicalLine();
      } else if (c === "\\" && src[this.i + 1] === "\n") {
        this.newline(this.i + 2);
        this.i += 2;
      } else if (c === '"' || c === "'") {
        this.string(this.i, "");
      } else if (NAME_START.test(c)) {
        const start = this.i;
        while (this.i < src.length && NAME_PART.test(src[this.i])) this.i++;
        const text2 = src.slice(start, this.i);
        if ((src[this.i] === '"' || src[this.i] === "'") && STRING_PREFIX.test(text2)) this.string(start, text2.toLowerCase());
        else this.push("name", start);
      } else if (/[0-9]/.test(c) || c === "." && /[0-9]/.test(src[this.i + 1] ?? "")) {
        const start = this.i;
        const hex = /^0[xX]/.test(src.slice(start, start + 2));
        while (this.i < src.length) {
          const d = src[this.i];
          if (!(/[\w.]/.test(d) || !hex && /[+-]/.test(d) && /[eE]/.test(src[this.i - 1]))) break;
          this.i++;
        }
        this.push("number", start);
      } else {
        this.operator();
      }
    }
    if (this.brackets.length > 0) {
      const open = this.brackets[this.brackets.length - 1];
      this.fail(open.line, `'${open.char}' is never closed; Python cannot import this file either`);
    }
    this.endLogicalLine();
    return this.lines;
  }
  newline(nextLineStart) {
    this.line++;
    this.lineStart = nextLineStart;
  }
  push(kind, start, extra = {}, line = this.line) {
    if (this.current.length === 0) this.currentIndent = column(this.src.slice(this.lineStart, start));
    const token = { kind, text: this.src.slice(start, this.i), line, start, end: this.i, depth: this.brackets.length, ...extra };
    this.current.push(token);
  }
  endLogicalLine() {
    if (this.current.length > 0) this.lines.push({ tokens: this.current, line: this.current[0].line, indent: this.currentIndent });
    this.current = [];
  }
  operator() {
    const { src } = this;
    const start = this.i;
    const c = src[start];
    if (c === "(" || c === "[" || c === "{") {
      this.i++;
      this.push("op", start);
      this.brackets.push({ char: c, line: this.line });
      return;
    }
    if (c in CLOSING) {
      const open = this.brackets.pop();
      if (!open) this.fail(this.line, `unmatched '${c}'; Python cannot import this file either`);
      if (open.char !== CLOSING[c]) {
        this.fail(this.line, `'${c}' does not close the '${open.char}' opened on line ${open.line}; Python cannot import this file either`);
      }
      this.i++;
      this.push("op", start);
      return;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, start)) ?? c;
    this.i += op.length;
    this.push("op", start);
  }
  /** A string literal starting at `start` (its prefix, if any, included). */
  string(start, prefix) {
    const line = this.line;
    const bodyStart = start + prefix.length;
    const quote = this.src[bodyStart];
    const triple = this.src.startsWith(quote.repeat(3), bodyStart);
    const open = triple ? 3 : 1;
    this.i = bodyStart + open;
    const end = this.scanBody({ quote, triple, formatted: prefix.includes("f") || prefix.includes("t") }, line);
    const body = this.src.slice(bodyStart + open, end);
    this.i = end + open;
    if (prefix.includes("f") || prefix.includes("t")) {
      this.push("string", start, { prefix }, line);
    } else {
      const { value, namedEscapes } = prefix.includes("r") ? { value: body, namedEscapes: false } : decodeEscapes(body, prefix.includes("b"));
      this.push("string", start, { prefix, value, namedEscapes }, line);
    }
  }
  /** Moves past the body of a string; returns the index of its closing quote(s). */
  scanBody({ quote, triple, formatted }, startLine) {
    const { src } = this;
    const close = triple ? quote.repeat(3) : quote;
    for (; ; ) {
      if (this.i >= src.length) this.fail(startLine, "unterminated string; Python cannot import this file either");
      const c = src[this.i];
      if (src.startsWith(close, this.i)) return this.i;
      if (c === "\\") {
        if (src[this.i + 1] === "\n") this.newline(this.i + 2);
        this.i += 2;
      } else if (c === "\n") {
        if (!triple) this.fail(startLine, "unterminated string; Python cannot import this file either");
        this.newline(this.i + 1);
        this.i++;
      } else if (formatted && c === "{") {
        if (src[this.i + 1] === "{") this.i += 2;
        else {
          this.i++;
          this.replacementField(startLine);
        }
      } else {
        this.i++;
      }
    }
  }
  /** Moves past an f-string replacement field, from after its '{' to after its '}'. Since
   *  Python 3.12 (PEP 701) the expression may hold any string, even with the same quotes. */
  replacementField(startLine) {
    const { src } = this;
    let depth = 0;
    while (this.i < src.length) {
      const c = src[this.i];
      if (c === '"' || c === "'") {
        this.nestedString("");
      } else if (NAME_START.test(c)) {
        const start = this.i;
        while (this.i < src.length && NAME_PART.test(src[this.i])) this.i++;
        const text2 = src.slice(start, this.i);
        if ((src[this.i] === '"' || src[this.i] === "'") && STRING_PREFIX.test(text2)) this.nestedString(text2.toLowerCase());
      } else if (c === "#") {
        while (this.i < src.length && src[this.i] !== "\n") this.i++;
      } else if (c === "\n") {
        this.newline(this.i + 1);
        this.i++;
      } else if (c === "(" || c === "[" || c === "{") {
        depth++;
        this.i++;
      } else if (c === ")" || c === "]") {
        depth--;
        this.i++;
      } else if (c === "}") {
        this.i++;
        if (depth === 0) return;
        depth--;
      } else if (c === ":" && depth === 0) {
        this.i++;
        while (this.i < src.length && src[this.i] !== "}") {
          if (src[this.i] === "{") {
            this.i++;
            this.replacementField(startLine);
          } else {
            if (src[this.i] === "\n") this.newline(this.i + 1);
            this.i++;
          }
        }
        this.i++;
        return;
      } else {
        this.i++;
      }
    }
    this.fail(startLine, "unterminated string; Python cannot import this file either");
  }
  nestedString(prefix) {
    const line = this.line;
    const bodyStart = this.i;
    const quote = this.src[bodyStart];
    const triple = this.src.startsWith(quote.repeat(3), bodyStart);
    this.i = bodyStart + (triple ? 3 : 1);
    this.i = this.scanBody({ quote, triple, formatted: prefix.includes("f") || prefix.includes("t") }, line) + (triple ? 3 : 1);
  }
};
function logicalLines(src, fail) {
  return new Tokenizer(src, fail).run();
}
function column(prefix) {
  let col = 0;
  for (const c of prefix) col = c === "	" ? (Math.floor(col / 8) + 1) * 8 : c === "\f" ? 0 : col + 1;
  return col;
}
var SIMPLE_ESCAPES = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "	",
  v: "\v"
};
function decodeEscapes(body, bytes) {
  if (!body.includes("\\")) return { value: body, namedEscapes: false };
  let value = "";
  let namedEscapes = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== "\\" || i + 1 >= body.length) {
      value += c;
      continue;
    }
    const e = body[++i];
    if (e === "\n") continue;
    if (e in SIMPLE_ESCAPES) {
      value += SIMPLE_ESCAPES[e];
    } else if (/[0-7]/.test(e)) {
      const digits = /^[0-7]{1,3}/.exec(body.slice(i))[0];
      value += String.fromCodePoint(parseInt(digits, 8));
      i += digits.length - 1;
    } else if (e === "x" || !bytes && (e === "u" || e === "U")) {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + n);
      const code2 = /^[0-9a-fA-F]+$/.test(hex) && hex.length === n ? parseInt(hex, 16) : NaN;
      if (Number.isNaN(code2) || code2 > 1114111) value += "\\" + e;
      else {
        value += String.fromCodePoint(code2);
        i += n;
      }
    } else if (e === "N" && !bytes && body[i + 1] === "{" && body.indexOf("}", i) > 0) {
      const close = body.indexOf("}", i);
      value += body.slice(i - 1, close + 1);
      namedEscapes = true;
      i = close;
    } else {
      value += "\\" + e;
    }
  }
  return { value, namedEscapes };
}
function dottedName(tokens, i) {
  const is = (j2, text2) => tokens[j2]?.kind === "op" && tokens[j2].text === text2;
  const parts = [tokens[i].text];
  let j = i + 1;
  while (is(j, ".") && tokens[j + 1]?.kind === "name") {
    parts.push(tokens[j + 1].text);
    j += 2;
  }
  return { parts, next: j, called: is(j, "(") || is(j, "[") || is(j, ".") };
}
function literal(tokens, reference2) {
  let i = 0;
  const is = (text2) => tokens[i]?.kind === "op" && tokens[i].text === text2;
  const items = (close) => {
    const values = [];
    let comma = false;
    while (i < tokens.length && !(close !== null && is(close))) {
      const v = item();
      if (!v) return null;
      values.push(v);
      if (is(",")) {
        comma = true;
        i++;
      } else break;
    }
    if (close !== null) {
      if (!is(close)) return null;
      i++;
    }
    return { values, comma };
  };
  const item = () => {
    const t = tokens[i];
    if (!t) return null;
    if (t.kind === "string") {
      let value = "";
      for (; tokens[i]?.kind === "string"; i++) {
        const s = tokens[i];
        if (s.value === void 0 || s.namedEscapes || s.prefix.includes("b")) return null;
        value += s.value;
      }
      return { kind: "str", value };
    }
    if (t.kind === "name" && t.text === "None") {
      i++;
      return { kind: "none" };
    }
    if (t.kind === "name" && reference2) {
      const r2 = dottedName(tokens, i);
      i = r2.next;
      return r2.called ? null : reference2(r2.parts);
    }
    if (is("(")) {
      i++;
      const r2 = items(")");
      if (!r2) return null;
      return r2.values.length === 1 && !r2.comma ? r2.values[0] : { kind: "seq", items: r2.values };
    }
    if (is("[")) {
      i++;
      const r2 = items("]");
      return r2 && { kind: "seq", items: r2.values };
    }
    return null;
  };
  const r = items(null);
  if (!r || i < tokens.length || r.values.length === 0) return null;
  return r.values.length === 1 && !r.comma ? r.values[0] : { kind: "seq", items: r.values };
}

// src/load/python-refs.ts
import { existsSync, realpathSync, statSync as statSync2 } from "node:fs";
import { dirname as dirname2, join as join2, resolve as resolve2 } from "node:path";

// src/load/paths.ts
import { isAbsolute as isAbsolute2, relative as relative2, sep as sep2 } from "node:path";
function isWithin(base, path) {
  const within = relative2(base, path);
  return within === "" || !within.startsWith("..") && !isAbsolute2(within);
}
var slashed = (path) => path.split(sep2).join("/");

// src/load/python-refs.ts
var AUGMENTED = /* @__PURE__ */ new Set(["+=", "-=", "*=", "/=", "//=", "%=", "**=", ">>=", "<<=", "&=", "^=", "|=", "@="]);
var COMPOUND = /* @__PURE__ */ new Set(["if", "elif", "else", "for", "while", "try", "except", "finally", "with", "async", "match", "case"]);
var MAX_DEPTH = 12;
var MAX_MODULE_BYTES = 1024 * 1024;
var KEYWORDS = /* @__PURE__ */ new Set(["and", "or", "not", "in", "is", "if", "else", "lambda", "await", "yield", "return", "assert", "del", "for", "from", "import", "as"]);
var isOp = (t, text2) => t?.kind === "op" && t.text === text2;
function moduleBindings(lines) {
  const names = /* @__PURE__ */ new Map();
  const stars = [];
  const bind = (name, b) => {
    const list = names.get(name);
    if (list) list.push(b);
    else names.set(name, [b]);
  };
  const blocks = [];
  for (const logical of lines) {
    while (blocks.length > 0 && blocks[blocks.length - 1].indent >= logical.indent) blocks.pop();
    const tokens = logical.tokens;
    const first = tokens[0];
    const keyword = first.kind === "name" ? first.text : first.text === "@" ? "@" : "";
    const isDef = keyword === "def" || keyword === "class" || keyword === "@" || keyword === "async" && tokens[1]?.text === "def";
    const opensBlock = isOp(tokens[tokens.length - 1], ":") && (isDef || COMPOUND.has(keyword));
    const inDef = blocks.some((b) => b.def);
    if (!inDef) {
      if (isDef) {
        const name = tokens.find((t, i) => i > 0 && t.kind === "name" && ["def", "class"].includes(tokens[i - 1].text));
        if (name) bind(name.text, { line: logical.line, at: name.end, kind: "unknown" });
      } else {
        for (const statement of splitStatements2(tokens)) {
          if (blocks.length > 0 || COMPOUND.has(keyword)) bindUnknown(statement, bind);
          else bindStatement(statement, bind, stars);
        }
      }
    }
    if (opensBlock) blocks.push({ indent: logical.indent, def: isDef });
  }
  return { names, stars };
}
function splitStatements2(tokens) {
  const out = [[]];
  for (const t of tokens) {
    if (isOp(t, ";") && t.depth === 0) out.push([]);
    else out[out.length - 1].push(t);
  }
  return out.filter((s) => s.length > 0);
}
function bindUnknown(statement, bind) {
  const importing = statement[0]?.text === "import" || statement[0]?.text === "from";
  const afterImport = statement.findIndex((t) => t.text === "import");
  statement.forEach((t, i) => {
    if (t.kind !== "name") return;
    const prev = statement[i - 1];
    const next = statement[i + 1];
    if (prev?.text === ".") return;
    const binds = next?.kind === "op" && (next.text === "=" || next.text === ":=" || AUGMENTED.has(next.text) || next.text === "," && t.depth === 0) || next?.kind === "op" && next.text === ":" && i === 0 || prev?.kind === "name" && (prev.text === "as" || prev.text === "for") || importing && afterImport >= 0 && i > afterImport && t.text !== "as";
    if (binds) bind(t.text, { line: t.line, at: t.end, kind: "unknown" });
  });
}
function bindStatement(statement, bind, stars) {
  const line = statement[0].line;
  const at = statement[statement.length - 1].end;
  if (statement[0].text === "import" && statement[0].kind === "name") return bindImport(statement, bind);
  if (statement[0].text === "from" && statement[0].kind === "name") return bindFrom(statement, bind, stars);
  const equals = statement.flatMap((t, i) => isOp(t, "=") && t.depth === 0 ? [i] : []);
  const simpleTarget = (target) => target.length === 1 && target[0].kind === "name" ? target[0].text : target.length >= 2 && target[0].kind === "name" && isOp(target[1], ":") && equals.length === 1 ? target[0].text : null;
  if (equals.length === 0) return bindUnknown(statement, bind);
  const value = statement.slice(equals[equals.length - 1] + 1);
  let start = 0;
  for (const end of equals) {
    const target = statement.slice(start, end);
    start = end + 1;
    const name = simpleTarget(target);
    if (name !== null && value.length > 0) bind(name, { line, at, kind: "value", tokens: value });
    else {
      target.forEach((t, i) => {
        if (t.kind === "name" && !isOp(target[i - 1], ".") && ![".", "[", "("].includes(target[i + 1]?.text ?? "")) bind(t.text, { line, at, kind: "unknown" });
      });
    }
  }
  bindUnknown(value.filter((t, i) => isOp(value[i + 1], ":=") || isOp(t, ":=")), bind);
}
function dotted(tokens, i) {
  if (tokens[i]?.kind !== "name") return null;
  let name = tokens[i].text;
  let j = i + 1;
  while (isOp(tokens[j], ".") && tokens[j + 1]?.kind === "name") {
    name += `.${tokens[j + 1].text}`;
    j += 2;
  }
  return { name, next: j };
}
function bindImport(statement, bind) {
  const line = statement[0].line;
  const at = statement[statement.length - 1].end;
  let i = 1;
  while (i < statement.length) {
    const d = dotted(statement, i);
    if (!d) return bindUnknown(statement, bind);
    i = d.next;
    if (statement[i]?.text === "as" && statement[i + 1]?.kind === "name") {
      bind(statement[i + 1].text, { line, at, kind: "module", module: d.name });
      i += 2;
    } else {
      const top = d.name.split(".")[0];
      bind(top, { line, at, kind: "module", module: top });
    }
    if (isOp(statement[i], ",")) i++;
    else break;
  }
}
function bindFrom(statement, bind, stars) {
  const line = statement[0].line;
  const at = statement[statement.length - 1].end;
  const d = dotted(statement, 1);
  const importAt = statement.findIndex((t) => t.kind === "name" && t.text === "import");
  if (!d || importAt !== d.next) return bindUnknown(statement, bind);
  const names = statement.slice(importAt + 1).filter((t) => !isOp(t, "(") && !isOp(t, ")"));
  if (names.some((t) => isOp(t, "*"))) {
    stars.push({ line, at });
    return;
  }
  for (let i = 0; i < names.length; i++) {
    const t = names[i];
    if (t.kind !== "name") continue;
    if (names[i + 1]?.text === "as" && names[i + 2]?.kind === "name") {
      bind(names[i + 2].text, { line, at, kind: "from", module: d.name, name: t.text });
      i += 2;
    } else {
      bind(t.text, { line, at, kind: "from", module: d.name, name: t.text });
    }
  }
}
var PROJECT_MARKERS = ["pyproject.toml", "setup.py", "setup.cfg", ".git"];
function projectAncestors(scriptLocation, cwd) {
  const ancestors = [];
  let upToCwd = null;
  for (let dir = dirname2(scriptLocation); ; dir = dirname2(dir)) {
    ancestors.push(dir);
    if (PROJECT_MARKERS.some((m) => existsSync(join2(dir, m)))) return ancestors;
    if (upToCwd === null && dir === resolve2(cwd)) upToCwd = [...ancestors];
    if (dirname2(dir) === dir) return upToCwd ?? [];
  }
}
var Undecidable = class extends Error {
};
var ModuleResolver = class _ModuleResolver {
  roots;
  cache = /* @__PURE__ */ new Map();
  constructor(roots) {
    this.roots = roots;
  }
  /** The search roots of an Alembic project (see the top of this file). */
  static forProject(project, cwd = process.cwd()) {
    const roots = [];
    const add = (dir) => {
      if (!roots.includes(dir)) roots.push(dir);
    };
    const base = project.iniPath ? dirname2(project.iniPath) : project.root;
    for (const entry of project.prependSysPath ?? []) add(resolve2(base, entry));
    add(base);
    add(project.scriptLocation);
    for (const dir of projectAncestors(project.scriptLocation, cwd)) add(dir);
    return new _ModuleResolver(roots);
  }
  /** The value `tokens` (a statement's value, in the module whose `bindings` are given) spell,
   *  references resolved as they stand where `tokens` are; throws Undecidable naming what could
   *  not be. */
  valueOf(tokens, bindings, depth = 0) {
    const at = tokens[0]?.start ?? 0;
    if (depth > MAX_DEPTH) throw new Undecidable("references nest too deep");
    let why = null;
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
  reference(parts, bindings, at, depth) {
    if (depth > MAX_DEPTH) throw new Undecidable("references nest too deep (or import each other in a circle)");
    const [head, ...rest] = parts;
    const binding = [...bindings.names.get(head) ?? []].reverse().find((b) => b.at <= at);
    const text2 = parts.join(".");
    if (!binding || bindings.stars.some((s) => s.at > binding.at && s.at <= at)) {
      throw new Undecidable(binding ? `'${head}' may come from an 'import *'` : `'${head}' is not assigned at module level before it is used`);
    }
    switch (binding.kind) {
      case "unknown":
        throw new Undecidable(`'${head}' is bound in a way retort does not follow (line ${binding.line})`);
      case "value":
        if (rest.length > 0) throw new Undecidable(`'${text2}' is an attribute of a value`);
        return this.valueOf(binding.tokens, bindings, depth + 1);
      case "module":
        return this.inModule(binding.module, rest, text2, depth);
      case "from":
        if (rest.length > 0 || this.file(`${binding.module}.${binding.name}`) !== null) return this.inModule(`${binding.module}.${binding.name}`, rest, text2, depth);
        return this.inModule(binding.module, [binding.name], text2, depth);
    }
  }
  /** Attribute `rest` (submodules, then a name) of module `module`. */
  inModule(module, rest, text2, depth) {
    if (rest.length === 0) throw new Undecidable(`'${text2}' is a module, not a string`);
    for (let cut2 = rest.length - 1; cut2 >= 0; cut2--) {
      const name = [module, ...rest.slice(0, cut2)].join(".");
      const bindings = this.bindingsOf(name);
      if (bindings === null) continue;
      const attr = rest.slice(cut2);
      if (attr.length > 1) throw new Undecidable(`'${text2}' is an attribute of a value in module '${name}'`);
      return this.reference(attr, bindings, Number.MAX_SAFE_INTEGER, depth + 1);
    }
    throw new Undecidable(`module '${module}' is not a .py file of the project (looked in ${this.roots.join(", ")})`);
  }
  /** The file of module `name` under a search root, or null. */
  file(name) {
    if (!/^[\p{L}_][\p{L}\p{N}_]*(\.[\p{L}_][\p{L}\p{N}_]*)*$/u.test(name)) return null;
    const parts = name.split(".");
    for (const root of this.roots) {
      for (const candidate of [join2(root, ...parts) + ".py", join2(root, ...parts, "__init__.py")]) {
        try {
          if (!statSync2(candidate).isFile()) continue;
          const real2 = realpathSync(candidate);
          if (!isWithin(realpathSync(root), real2)) continue;
          return real2;
        } catch {
        }
      }
    }
    return null;
  }
  bindingsOf(name) {
    if (this.cache.has(name)) return this.cache.get(name);
    const file = this.file(name);
    let bindings = null;
    if (file !== null) {
      const size = statSync2(file).size;
      if (size > MAX_MODULE_BYTES) {
        throw new Undecidable(`${file} is ${(size / 1024 / 1024).toFixed(1)} MB, more than retort reads of a module for a reference (${MAX_MODULE_BYTES / 1024 / 1024} MB)`);
      }
      try {
        const fail = (line, message) => {
          throw new Undecidable(`${file}:${line}: ${message}`);
        };
        const text2 = readUtf8(file, (line, message) => new Undecidable(`${file}:${line}: ${message}`)).replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
        bindings = moduleBindings(logicalLines(text2, fail));
      } catch (e) {
        if (!(e instanceof Undecidable)) throw e;
        bindings = null;
      }
    }
    this.cache.set(name, bindings);
    return bindings;
  }
};
function whatItIs(tokens) {
  const callee = (t) => t?.kind === "name" && !KEYWORDS.has(t.text) || isOp(t, ")") || isOp(t, "]");
  if (tokens.some((t, i) => isOp(t, "(") && callee(tokens[i - 1]))) return "it calls a function";
  if (tokens.some((t) => t.kind === "string" && t.value === void 0)) return "it is an f-string";
  if (tokens.some((t) => t.kind === "string" && t.prefix.includes("b"))) return "it is a bytes literal";
  if (tokens.some((t) => t.kind === "op" && !["(", ")", "[", "]", ",", "."].includes(t.text) || t.kind === "name" && KEYWORDS.has(t.text))) return "it computes a value";
  return "it is not a literal";
}

// src/load/alembic-script.ts
var UNDECIDABLE_FIX = "write the value as a literal (a string, a tuple/list of strings, or None) or a name assigned one at module level (here or in a module of the project), or make Alembic available (--alembic-command) so that retort reads the graph through Alembic";
var VARIABLES = ["revision", "down_revision", "branch_labels", "depends_on"];
var isVariable = (name) => VARIABLES.includes(name);
var FIX = "write the value as a string literal, a tuple/list of string literals, or None";
var LEGACY_FILE_NAME = /^([a-f0-9]+)\.py$/;
var AUGMENTED2 = /* @__PURE__ */ new Set(["+=", "-=", "*=", "/=", "//=", "%=", "**=", ">>=", "<<=", "&=", "^=", "|=", "@="]);
var COMPOUND2 = /* @__PURE__ */ new Set(["if", "elif", "else", "for", "while", "try", "except", "finally", "with", "async", "match", "case"]);
function parseAlembicScript(text2, path, fileName, refs) {
  const src = text2.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  let bindings = null;
  const fail = (line, message) => {
    throw new RevisionFileError(path, line, message);
  };
  const lines = logicalLines(src, fail);
  const reader = {
    fail,
    snippet: (tokens) => {
      const s = src.slice(tokens[0].start, tokens[tokens.length - 1].end).replace(/\s+/g, " ");
      return s.length > 60 ? s.slice(0, 57) + "..." : s;
    },
    refs,
    bindings: () => bindings ??= moduleBindings(lines),
    unresolved: []
  };
  const { assignments, docstring } = readModule(lines, reader);
  const id = revisionId(assignments, fileName, reader);
  if (!assignments.has("down_revision")) {
    reader.fail(
      assignments.get("revision")?.line ?? 1,
      "missing module-level 'down_revision'; Alembic requires it. Add down_revision = None for a base revision, or down_revision = '<parent id>' (a tuple of ids for a merge)"
    );
  }
  const list = (name, check2) => stringsOf(name, assignments.get(name), check2, reader);
  const downRevisions = list("down_revision", (s) => {
    const bad = invalidRevisionId(s);
    return bad && `${bad}. ${REVISION_ID_RULE}`;
  });
  const branchLabels = list("branch_labels", invalidBranchLabel);
  const dependsOn = list("depends_on", invalidBranchLabel);
  const longDoc = pyStrip2(docstring ?? "");
  const createDate = /^[ \t]*Create Date:[ \t]*(.*?)[ \t]*$/m.exec(longDoc)?.[1] || null;
  return {
    id,
    downRevisions,
    branchLabels,
    dependsOn,
    message: longDoc.split("\n\n")[0],
    longDoc,
    createDate,
    path,
    ...reader.unresolved.length > 0 ? { unresolved: reader.unresolved } : {}
  };
}
function withAlembicAnswer(script, answer) {
  const reader = {
    fail: (line, message) => {
      throw new RevisionFileError(script.path, line, message);
    },
    snippet: () => "",
    refs: void 0,
    bindings: () => ({ names: /* @__PURE__ */ new Map(), stars: [] }),
    unresolved: []
  };
  const out = { ...script };
  delete out.unresolved;
  for (const u of script.unresolved ?? []) {
    const v = valueOfAnswer(u, answer[u.variable], reader);
    if (u.variable === "revision") {
      if (v.kind !== "str") reader.fail(u.line, `Alembic reads 'revision' as ${describe(v)}; write revision = '<id>'`);
      const id = v.value;
      const bad = invalidRevisionId(id);
      if (bad) reader.fail(u.line, `${bad}. ${REVISION_ID_RULE}`);
      out.id = id;
    } else if (u.variable === "down_revision") {
      out.downRevisions = checkedStrings(u.variable, u.line, v, (x) => {
        const bad = invalidRevisionId(x);
        return bad && `${bad}. ${REVISION_ID_RULE}`;
      }, reader);
    } else {
      const list = checkedStrings(u.variable, u.line, v, invalidBranchLabel, reader);
      if (u.variable === "branch_labels") out.branchLabels = list;
      else out.dependsOn = list;
    }
  }
  return out;
}
function valueOfAnswer(u, json2, reader) {
  const convert = (x) => {
    if (x === null) return { kind: "none" };
    if (typeof x === "string") return { kind: "str", value: x };
    if (Array.isArray(x)) {
      const items = x.map(convert);
      return items.every((i) => i !== null) ? { kind: "seq", items } : null;
    }
    return null;
  };
  const v = json2 === void 0 ? null : convert(json2);
  if (v === null) {
    const odd = (x) => Array.isArray(x) ? x.map(odd).find((y) => y !== void 0) : x === null || typeof x === "string" ? void 0 : x;
    const found = odd(json2);
    const held = json2 === void 0 ? "nothing (the module does not set it)" : typeof found === "object" && found !== null && typeof found.type === "string" ? `${found.type} ${String(found.repr)}` : "a value retort cannot use";
    reader.fail(u.line, `'${u.variable} = ${u.expression}' gives ${held} when Alembic imports the file; ${FIX}`);
  }
  return v;
}
function readModule(lines, reader) {
  const assignments = /* @__PURE__ */ new Map();
  let docstring = null;
  const blocks = [];
  for (const [index, logical] of lines.entries()) {
    while (blocks.length > 0 && blocks[blocks.length - 1].indent >= logical.indent) blocks.pop();
    const first = logical.tokens[0];
    const last = logical.tokens[logical.tokens.length - 1];
    const keyword = first.kind === "name" ? first.text : first.text === "@" ? "@" : "";
    const isDef = keyword === "def" || keyword === "class" || keyword === "@" || keyword === "async" && logical.tokens[1]?.text === "def";
    const isCompound = !isDef && COMPOUND2.has(keyword) && logical.tokens.some((t) => t.depth === 0 && t.kind === "op" && t.text === ":");
    if (!blocks.some((b) => b.def) && !isDef) {
      const statements = splitStatements3(logical.tokens);
      if (index === 0) docstring = docstringOf(statements[0]);
      const block = blocks[blocks.length - 1] ?? (isCompound ? { keyword, line: logical.line } : void 0);
      for (const statement of statements) {
        if (block) refuseInBlock(statement, block, reader);
        else moduleStatement(statement, assignments, reader);
      }
    }
    if (last.kind === "op" && last.text === ":" && (isDef || isCompound)) {
      blocks.push({ indent: logical.indent, keyword: keyword === "@" ? "def" : keyword, line: logical.line, def: isDef });
    }
  }
  return { assignments, docstring };
}
function refuseInBlock(statement, where, reader) {
  const bound = boundVariable(statement);
  if (!bound) return;
  reader.fail(
    bound.line,
    `'${bound.text}' is assigned inside the '${where.keyword}' statement of line ${where.line}; retort reads only plain module-level assignments. Assign it at module level, outside any block, and ${FIX}`
  );
}
function revisionId(assignments, fileName, reader) {
  const assignment = assignments.get("revision");
  let id;
  if (assignment) {
    const v = valueOf("revision", assignment, reader);
    if (v === null) return "";
    if (v.kind !== "str") {
      reader.fail(assignment.line, `'revision' must be a string literal (the revision id), not ${describe(v)}; write revision = '<id>'`);
    }
    id = v.value;
  } else {
    const m = LEGACY_FILE_NAME.exec(fileName);
    if (!m) {
      reader.fail(
        assignments.get("down_revision")?.line ?? 1,
        `missing module-level 'revision', and the file name '${fileName}' is not '<hex id>.py' (the only legacy form Alembic takes the id from). Add revision = '<id>' next to down_revision`
      );
    }
    id = m[1];
  }
  const badId = invalidRevisionId(id);
  if (badId) reader.fail(assignment?.line ?? 1, `${badId}. ${REVISION_ID_RULE}`);
  return id;
}
function stringsOf(name, a, check2, reader) {
  if (!a) return [];
  const v = valueOf(name, a, reader);
  return v === null ? [] : checkedStrings(name, a.line, v, check2, reader);
}
function checkedStrings(name, line, v, check2, reader) {
  const { fail } = reader;
  const a = { line };
  if (v.kind === "none" || v.kind === "str" && v.value === "" && name !== "branch_labels") return [];
  const items = v.kind === "str" ? [v] : v.kind === "seq" ? v.items : [];
  return items.map((item) => {
    if (item.kind !== "str") fail(a.line, `'${name}' holds ${item.kind === "seq" ? "a nested tuple or list" : "None"} among its items; ${FIX}`);
    const s = item.value;
    if (s === "") fail(a.line, `'${name}' holds an empty string; write None for none`);
    const bad = check2(s);
    if (bad) fail(a.line, `in '${name}': ${bad}`);
    return s;
  });
}
function splitStatements3(tokens) {
  const statements = [[]];
  for (const t of tokens) {
    if (t.kind === "op" && t.text === ";" && t.depth === 0) statements.push([]);
    else statements[statements.length - 1].push(t);
  }
  return statements.filter((s) => s.length > 0);
}
function docstringOf(statement) {
  if (!statement) return null;
  let from = 0;
  let to = statement.length;
  while (to - from > 2 && statement[from].text === "(" && statement[to - 1].text === ")") {
    from++;
    to--;
  }
  const literals = statement.slice(from, to);
  if (!literals.every((t) => t.kind === "string" && t.value !== void 0 && !t.prefix.includes("b"))) return null;
  return literals.map((t) => t.value).join("");
}
function moduleStatement(statement, assignments, { fail, snippet }) {
  const isOp2 = (t, text2) => t?.kind === "op" && t.text === text2 && t.depth === 0;
  const equals = statement.flatMap((t, i) => isOp2(t, "=") ? [i] : []);
  const first = statement[0];
  if (equals.length === 0) {
    if (first.kind === "name" && isVariable(first.text) && isOp2(statement[1], ":")) return;
    const bound = boundVariable(statement);
    if (bound) fail(bound.line, `cannot read '${bound.text}' from '${snippet(statement)}'; assign it on its own line and ${FIX}`);
    return;
  }
  const value = statement.slice(equals[equals.length - 1] + 1);
  let start = 0;
  for (const end of equals) {
    const target = statement.slice(start, end);
    start = end + 1;
    const name = target[0];
    const simple = target.length === 1 || equals.length === 1 && isOp2(target[1], ":");
    if (name.kind === "name" && isVariable(name.text) && simple) {
      if (value.length === 0) fail(name.line, `'${name.text}' has no value; ${FIX}`);
      assignments.set(name.text, { line: name.line, value });
    } else {
      const unpacked = target.find(
        (t, i) => t.kind === "name" && isVariable(t.text) && target[i - 1]?.text !== "." && ![".", "[", "("].includes(target[i + 1]?.text ?? "") && (t.depth === 0 || target[0].text === "(" || target[0].text === "[")
      );
      if (unpacked) fail(unpacked.line, `cannot read '${unpacked.text}' from '${snippet(statement)}'; assign it on its own line and ${FIX}`);
    }
  }
}
function boundVariable(statement) {
  const lastEquals = statement.findLastIndex((t) => t.kind === "op" && t.text === "=" && t.depth === 0);
  const importing = statement[0]?.text === "import" || statement[0]?.text === "from";
  return statement.find((t, i) => {
    if (t.kind !== "name" || !isVariable(t.text)) return false;
    const prev = statement[i - 1];
    const next = statement[i + 1];
    if (prev?.text === ".") return false;
    const target = i < lastEquals;
    if (next?.kind === "op" && ((next.text === "=" || next.text === ",") && t.depth === 0 && target || next.text === ":=" || AUGMENTED2.has(next.text))) return true;
    if (i === 0 && next?.text === ":" && target) return true;
    if (prev?.kind === "name" && (prev.text === "as" || prev.text === "for" && prev.depth === 0)) return true;
    if (importing && prev?.text === "import") return true;
    if (importing && prev?.text === "," && statement.some((s) => s.text === "import")) return true;
    return false;
  });
}
function valueOf(name, a, reader) {
  const { fail, snippet, refs } = reader;
  const v = literal(a.value);
  if (v) return v;
  const named = a.value.some((t) => t.namedEscapes);
  if (named) fail(a.line, `cannot read the value of '${name}' without running Python: ${snippet(a.value)}. Write the characters of \\N{...} escapes themselves, and ${FIX}`);
  if (!refs) fail(a.line, `cannot read the value of '${name}' without running Python: ${snippet(a.value)}. Retort reads files statically: ${FIX}`);
  try {
    return refs.modules.valueOf(a.value, reader.bindings());
  } catch (e) {
    if (!(e instanceof Undecidable)) throw e;
    if (refs.defer) {
      reader.unresolved.push({ variable: name, line: a.line, expression: snippet(a.value), why: e.message });
      return null;
    }
    return fail(a.line, `cannot read the value of '${name}' without running Python: ${snippet(a.value)} (${e.message}). To fix, ${UNDECIDABLE_FIX}`);
  }
}
function describe(v) {
  return v.kind === "none" ? "None" : v.kind === "seq" ? "a tuple or list" : "a string";
}
function pyStrip2(s) {
  const ws = "[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  return s.replace(new RegExp(`^${ws}+|${ws}+$`, "g"), "");
}

// src/load/alembic-files.ts
var REVISION_FILE = /^(?!\.#|__init__)[^\n]*\.py$/;
function byCodePoint(a, b) {
  return Buffer2.compare(Buffer2.from(a, "utf8"), Buffer2.from(b, "utf8"));
}
function isDirEntry(dir, entry) {
  if (entry.isDirectory()) return true;
  return entry.isSymbolicLink() && kindOf(join3(dir, entry.name)) === "dir";
}
function walk(top, recursive, out) {
  const entries = readdirSync(top, { withFileTypes: true });
  const files2 = [];
  const dirs = [];
  for (const e of entries) {
    if ((e.isDirectory() || e.isSymbolicLink() || e.name.endsWith(".py")) && undecodable(join3(top, e.name))) {
      const file = join3(top, e.name);
      throw new RetortError("revision-file", `${file}: ${NOT_UTF8_NAME}`, { location: { file, line: 1 } });
    }
    if (isDirEntry(top, e)) {
      if (e.isDirectory()) dirs.push(e.name);
    } else {
      files2.push(e.name);
    }
  }
  if (!top.endsWith("__pycache__")) {
    for (const f of files2.sort(byCodePoint)) out.push(join3(top, f));
  }
  if (!recursive) return;
  for (const d of dirs.sort(byCodePoint)) walk(join3(top, d), true, out);
}
function resolveLoose(path) {
  try {
    return { path: realpathSync2(path), problem: null };
  } catch (e) {
    if (e.code === "ELOOP") return { path, problem: "loop" };
    let current2 = path;
    for (let hop = 0; hop < 40; hop++) {
      let target;
      try {
        target = readlinkSync(current2);
      } catch {
        break;
      }
      current2 = resolve3(dirname3(current2), target);
    }
    return { path: current2, problem: "missing" };
  }
}
function listAlembicScripts(project) {
  const defaultOnly = project.versionLocations.length === 1 && project.versionLocations[0] === join3(project.scriptLocation, "versions");
  const seen = /* @__PURE__ */ new Set();
  const out = [];
  for (const location of project.versionLocations) {
    const kind = kindOf(location);
    if (kind === null) {
      if (defaultOnly) {
        throw new RetortError(
          "usage",
          `Alembic versions directory '${location}' does not exist. Create it ('alembic init' does), set version_locations in ${project.iniPath ?? "alembic.ini"}, or pass --version-locations.`
        );
      }
      continue;
    }
    if (kind !== "dir") {
      throw new RetortError(
        "usage",
        `Alembic version location '${location}' is not a directory. Fix version_locations in ${project.iniPath ?? "alembic.ini"}.`
      );
    }
    const files2 = [];
    walk(location, project.recursive, files2);
    for (const file of files2) {
      const real2 = resolveLoose(file);
      const name = basename(real2.problem === "loop" ? file : real2.path);
      if (seen.has(real2.path)) continue;
      seen.add(real2.path);
      if (!REVISION_FILE.test(name)) continue;
      const fail = (why) => new RetortError("revision-file", `${file}: ${why}`, { location: { file, line: 1 } });
      if (real2.problem === "loop") throw fail("is a symbolic link loop; Alembic cannot load it either. Remove the link or point it at a revision file.");
      if (real2.problem === "missing") {
        throw fail(`is a symbolic link to ${quoted(real2.path)}, which does not exist; Alembic fails on it too ("Can't find Python file"). Fix or remove the link.`);
      }
      if (kindOf(real2.path) !== "file") throw fail(`leads to ${quoted(real2.path)}, which is not a regular file; a revision must be a Python file.`);
      const roots = [process.cwd(), project.iniPath ? dirname3(project.iniPath) : project.scriptLocation, location].map((r) => resolveLoose(r).path);
      if (!roots.some((r) => isWithin(r, real2.path))) {
        throw fail(`is a symbolic link to ${quoted(real2.path)}, outside the project (${quoted(roots[1])}) and the current directory: retort follows links only within them. Move or copy the file into the project.`);
      }
      out.push(real2.path);
    }
  }
  return out;
}
var CODING = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
function pythonSource(file, path) {
  const fail = (line, message) => new RevisionFileError(path, line, message);
  const text2 = readUtf8(file, fail);
  const lines = text2.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/, 2);
  for (const [i, line] of lines.entries()) {
    const declared = CODING.exec(line)?.[1];
    if (declared === void 0) {
      if (/^[ \t\f]*(#.*)?$/.test(line)) continue;
      break;
    }
    const name = declared.toLowerCase().replace(/_/g, "-");
    if (!/^(utf-?8|u8|cp65001)(-.*)?$/.test(name) && /[^\p{ASCII}]/u.test(text2.replace(/^\uFEFF/, ""))) {
      throw fail(
        i + 1,
        `declares the source encoding '${declared}' and holds non-ASCII text; retort reads revision files as UTF-8. Convert the file to UTF-8 and remove the coding line`
      );
    }
    break;
  }
  return text2;
}
function loadAlembicRevisions(project) {
  return readAlembicRevisions(project, false).revisions;
}
function readAlembicRevisions(project, defer) {
  const refs = { modules: ModuleResolver.forProject(project), defer };
  const deferred = [];
  const revisions = listAlembicScripts(project).map((file, index) => {
    const path = slashed(relative3(process.cwd(), file)) || file;
    const text2 = pythonSource(file, path);
    const script = parseAlembicScript(text2, path, basename(file), refs);
    if (script.unresolved) deferred.push({ index, file, script });
    return alembicRevision(project, script, text2);
  });
  return { revisions, deferred };
}
function definesFunction(text2, name) {
  return new RegExp(`^(?:(?:async[ \\t]+)?def[ \\t]+${name}\\b|${name}[ \\t]*=)`, "m").test(text2);
}
function alembicRevision(project, script, text2) {
  const location = {
    iniPath: project.iniPath,
    scriptLocation: project.scriptLocation,
    ...project.mainOptions ? { mainOptions: project.mainOptions } : {}
  };
  const path = script.path;
  const lineOf = (name) => {
    const def = new RegExp(`^def ${name}\\b`);
    const index = text2.split(/\r?\n/).findIndex((l) => def.test(l));
    return index >= 0 ? index + 1 : 1;
  };
  return {
    id: script.id,
    downRevisions: script.downRevisions,
    branchLabels: script.branchLabels,
    dependsOn: script.dependsOn,
    message: script.message,
    longDoc: script.longDoc,
    createDate: script.createDate,
    path,
    // The SQL comes from Alembic; the sections only mark where the functions are.
    upgrade: { sql: "", line: lineOf("upgrade"), transaction: true },
    // No downgrade() (neutron's revisions have none): irreversible, as Alembic fails on it.
    downgrade: definesFunction(text2, "downgrade") ? { sql: "", line: lineOf("downgrade"), transaction: true } : null,
    alembic: { text: text2, project: location }
  };
}

// src/load/directory.ts
import { resolve as resolve7 } from "node:path";

// src/load/empty-source.ts
import { readdirSync as readdirSync4, readFileSync as readFileSync2 } from "node:fs";
import { join as join7, relative as relative6, resolve as resolve5 } from "node:path";

// src/load/find-project.ts
import { realpathSync as realpathSync4 } from "node:fs";
import { basename as basename2, dirname as dirname5, join as join6, relative as relative5, resolve as resolve4 } from "node:path";

// src/load/native-files.ts
import { readdirSync as readdirSync3, readlinkSync as readlinkSync2, realpathSync as realpathSync3, statSync as statSync3 } from "node:fs";
import { join as join5, sep as sep3 } from "node:path";

// src/load/native.ts
var KEYS = {
  "revision id": "id",
  revises: "revises",
  "create date": "createDate",
  "branch labels": "branchLabels",
  "depends on": "dependsOn"
};
var KEY_NAMES = "Revision ID, Revises, Create Date, Branch Labels, Depends On";
var SECTION = /^--\s*migrate:(\S*)(.*)$/i;
var HEADER_KEY = /^([A-Za-z][A-Za-z ]{0,30}?)\s*:(.*)$/;
function parseRevisionFile(text2, path) {
  const lines = text2.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const file = {
    lines,
    // A final newline does not start another line: errors about the end name the last real line.
    lastLine: Math.max(1, lines.length - (lines.length > 1 && lines[lines.length - 1] === "" ? 1 : 0)),
    fail: (line, message2) => {
      throw new RevisionFileError(path, line, message2);
    }
  };
  const { fail, lastLine } = file;
  const { message, longDoc, fields, end } = readHeader(file);
  const idField = fields.get("id");
  if (!idField) fail(Math.min(end, lastLine), "missing '-- Revision ID: <id>' in the header; add it (new ids are 12 lower-case hex characters)");
  const id = idField.value;
  const badId = invalidRevisionId(id);
  if (badId) fail(idField.line, `${badId}. ${REVISION_ID_RULE}`);
  if (!fields.has("revises")) fail(Math.min(end, lastLine), "missing '-- Revises: ...' in the header; write '-- Revises:' with nothing after it for a base revision");
  const sections = readSections(file, end);
  const toSection = (name) => {
    const s = sections.get(name);
    if (!s) return null;
    return { sql: s.body.join("\n"), line: s.line, transaction: s.transaction };
  };
  const upgrade = toSection("upgrade");
  if (!upgrade) fail(lastLine, "missing '-- migrate:upgrade' section. Add a line '-- migrate:upgrade' followed by the upgrade SQL");
  return {
    id,
    downRevisions: listField(fields, "revises", fail),
    branchLabels: listField(fields, "branchLabels", fail),
    dependsOn: listField(fields, "dependsOn", fail),
    message,
    longDoc,
    createDate: fields.get("createDate")?.value ?? null,
    path,
    upgrade,
    downgrade: toSection("downgrade")
  };
}
function readHeader(file) {
  const { lines, fail } = file;
  let i = 0;
  while (i < lines.length && lines[i].trim() === "") i++;
  const start = i;
  if (i >= lines.length || !lines[i].trimStart().startsWith("--") || SECTION.test(lines[i].trim())) {
    fail(
      Math.min(i + 1, file.lastLine),
      "missing header. Start the file with '-- <message>', a line '--', then '-- Revision ID: <id>' and '-- Revises: <down revision ids, empty for a base>'"
    );
  }
  const paragraphs = [[]];
  for (; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (!raw.startsWith("--") || SECTION.test(raw)) break;
    const body = raw.slice(2).trim();
    if (body === "") paragraphs.push([]);
    else paragraphs[paragraphs.length - 1].push({ line: i + 1, body, raw });
  }
  const firstKeys = new Set(paragraphs[0].map((l) => keyOf(l.body)?.key));
  const firstIsKeys = !firstKeys.has(void 0) && firstKeys.has("id") && firstKeys.has("revises");
  const message = firstIsKeys ? "" : paragraphs[0].shift()?.body ?? "";
  return { message, longDoc: headerDoc(lines.slice(start, i)), fields: headerFields(paragraphs, fail), end: i };
}
function headerDoc(header) {
  return pyStrip(header.map((line) => line.trimStart().slice(2).replace(/^ /, "")).join("\n"));
}
function keyOf(body) {
  const m = HEADER_KEY.exec(body);
  if (!m) return null;
  const name = m[1].trim();
  return { key: KEYS[name.toLowerCase().replace(/\s+/g, " ")], name, value: m[2].trim() };
}
function headerFields(paragraphs, fail) {
  const fields = /* @__PURE__ */ new Map();
  for (const paragraph of paragraphs) {
    if (!paragraph.some((l) => keyOf(l.body)?.key)) continue;
    for (const { line, body, raw } of paragraph) {
      const k = keyOf(body);
      if (!k) {
        fail(line, `unexpected line '${raw}' among the header keys. Header keys are '-- Key: value' (${KEY_NAMES}); put free text in its own paragraph, after a line '--'`);
      }
      if (!k.key) fail(line, `unknown header key '${k.name}'. The keys are ${KEY_NAMES}`);
      const previous = fields.get(k.key);
      if (previous) fail(line, `duplicate header key '${k.name}' (first on line ${previous.line}); keep one`);
      fields.set(k.key, { value: k.value, line });
    }
  }
  return fields;
}
function listField(fields, key2, fail) {
  const f = fields.get(key2);
  if (!f) return [];
  const items = f.value === "" || f.value === "<base>" ? [] : f.value.split(",").map((s) => s.trim());
  for (const item of items) {
    const bad = item === "" ? "an empty item" : key2 === "revises" ? invalidRevisionId(item) : invalidBranchLabel(item);
    if (bad) fail(f.line, `${bad}. Write a comma separated list`);
  }
  return items;
}
function readSections(file, start) {
  const { lines, fail } = file;
  const sections = /* @__PURE__ */ new Map();
  let current2 = null;
  for (let i = start; i < lines.length; i++) {
    const raw = lines[i];
    const m = SECTION.exec(raw.trim());
    if (!m) {
      if (current2) current2.push(raw);
      else if (raw.trim() !== "" && !raw.trim().startsWith("--")) {
        fail(i + 1, "SQL before '-- migrate:upgrade'. Put statements inside a '-- migrate:upgrade' or '-- migrate:downgrade' section");
      }
      continue;
    }
    const name = m[1].toLowerCase();
    if (name !== "upgrade" && name !== "downgrade") {
      const hint = name === "up" ? " (write -- migrate:upgrade)" : name === "down" ? " (write -- migrate:downgrade)" : "";
      fail(i + 1, `unknown section '-- migrate:${name}'${hint}. The sections are '-- migrate:upgrade' and '-- migrate:downgrade'`);
    }
    const first = sections.get(name);
    if (first) fail(i + 1, `duplicate section '-- migrate:${name}' (first on line ${first.line}); merge them into one`);
    current2 = [];
    sections.set(name, { line: i + 1, transaction: transactionOption(m[2], i + 1, fail), body: current2 });
  }
  return sections;
}
function transactionOption(options, line, fail) {
  let transaction = true;
  for (const option of options.trim().split(/\s+/).filter(Boolean)) {
    const opt = /^transaction:(true|false)$/.exec(option);
    if (!opt) fail(line, `unknown section option '${option}'. The only option is 'transaction:false' (or 'transaction:true')`);
    transaction = opt[1] === "true";
  }
  return transaction;
}
function renderRevisionFile(fields) {
  const header = [
    `-- ${fields.message.replace(/\s*[\r\n]+\s*/g, " ")}`,
    "--",
    `-- Revision ID: ${fields.id}`,
    `-- Revises: ${fields.downRevisions.join(", ")}`,
    `-- Create Date: ${fields.createDate}`
  ];
  if (fields.branchLabels?.length) header.push(`-- Branch Labels: ${fields.branchLabels.join(", ")}`);
  if (fields.dependsOn?.length) header.push(`-- Depends On: ${fields.dependsOn.join(", ")}`);
  return header.map((l) => l.trimEnd()).join("\n") + `

-- migrate:upgrade
${fields.upgrade ?? ""}

-- migrate:downgrade
${fields.downgrade ?? ""}
`;
}

// src/load/nearby-ini.ts
import { readdirSync as readdirSync2 } from "node:fs";
import { dirname as dirname4, join as join4, relative as relative4 } from "node:path";
var BELOW_DEPTH = 4;
var MAX_FOLDERS = 400;
var SKIPPED = /* @__PURE__ */ new Set(["node_modules", "site-packages", "__pycache__", "venv", "env", "build", "dist"]);
function inisBelow(root) {
  const found = [];
  let level = [root];
  let visited = 0;
  for (let depth = 0; depth <= BELOW_DEPTH && level.length > 0 && visited < MAX_FOLDERS; depth++) {
    const next = [];
    for (const dir of level) {
      if (++visited > MAX_FOLDERS) break;
      const ini = join4(dir, "alembic.ini");
      if (dir !== root && kindOf(ini) === "file" && peekScriptLocation(ini) !== null) found.push(ini);
      try {
        for (const e of readdirSync2(dir, { withFileTypes: true })) {
          if (e.isDirectory() && !e.name.startsWith(".") && !SKIPPED.has(e.name)) next.push(join4(dir, e.name));
        }
      } catch {
      }
    }
    level = next.sort();
  }
  return found;
}
function nearbyIniHint() {
  const cwd = process.cwd();
  for (let dir = dirname4(cwd); ; dir = dirname4(dir)) {
    const ini = join4(dir, "alembic.ini");
    const points = kindOf(ini) === "file" ? peekScriptLocation(ini) : null;
    if (points !== null) {
      const up = slashed(relative4(cwd, ini));
      return ` '${up}' above is an Alembic config (its scripts are in '${slashed(relative4(dir, points)) || "."}' beside it): run retort in its folder, as alembic is run, or pass --alembic-config ${up}.`;
    }
    if (dirname4(dir) === dir) break;
  }
  const below = inisBelow(cwd).map((ini) => slashed(relative4(cwd, ini)));
  if (below.length === 0) return "";
  const shown = below.slice(0, 3).map((p) => `'${p}'`).join(", ") + (below.length > 3 ? `, ... (${below.length})` : "");
  return ` Alembic config${below.length > 1 ? "s" : ""} below: ${shown}: for an Alembic project, pass --alembic-config ${below[0]} (or run retort in its folder).`;
}

// src/load/native-files.ts
function shownBase(dir) {
  return dir.split(sep3).join("/").replace(/\/+$/, "");
}
function joinShown(base, rel) {
  return base === "" || base === "." ? rel : `${base}/${rel}`;
}
function pathError(shown, why) {
  return new RetortError("revision-file", `${shown}: ${why}`, { location: { file: shown, line: 1 } });
}
function followLink(full, shown) {
  try {
    return { stats: statSync3(full), real: realpathSync3(full) };
  } catch (e) {
    const code2 = e.code;
    if (code2 === "ELOOP") {
      throw pathError(shown, "is a symbolic link loop (following it leads back to it); remove the link, or point it at a revision file or directory.");
    }
    if (code2 === "ENOENT" || code2 === "ENOTDIR") {
      let target = "";
      try {
        target = ` to ${quoted(readlinkSync2(full))}`;
      } catch {
      }
      throw pathError(shown, `is a symbolic link${target}, which does not exist; fix the link or remove it.`);
    }
    throw pathError(shown, `is a symbolic link that cannot be followed (${e.message}).`);
  }
}
function inside(path, root) {
  return path === root || path.startsWith(root.endsWith(sep3) ? root : root + sep3);
}
var byCodeUnit = (a, b) => a < b ? -1 : a > b ? 1 : 0;
function requireDirectory(dir) {
  let isDir = null;
  try {
    isDir = statSync3(dir).isDirectory();
  } catch {
    isDir = null;
  }
  if (isDir === false) {
    throw new RetortError("usage", `Migrations directory '${dir}' is not a directory. Pass --migrations DIR (or set RETORT_MIGRATIONS).`);
  }
  if (isDir === null) {
    throw new RetortError(
      "usage",
      `Migrations directory '${dir}' does not exist. Pass --migrations DIR (or set RETORT_MIGRATIONS), or create the first revision with 'retort revision -m "message"'.${nearbyIniHint()}`
    );
  }
}
var RevisionTree = class {
  files = [];
  /** Real path of each file taken, to the path it was taken at. */
  taken = /* @__PURE__ */ new Map();
  base;
  dir;
  /** Where links may lead: the migrations directory and the project (the current directory). */
  roots;
  constructor(dir, top) {
    this.dir = dir;
    this.base = shownBase(dir);
    this.roots = [top, realpathSync3(process.cwd())];
  }
  /** Lists the directory at `prefix`; `chain`: the real paths of the directories from the top
   *  down to it (the last is its own). */
  visit(prefix, chain) {
    const here = prefix === "" ? this.dir : join5(this.dir, prefix);
    let entries;
    try {
      entries = readdirSync3(here, { withFileTypes: true }).sort((a, b) => byCodeUnit(a.name, b.name));
    } catch (e) {
      throw pathError(prefix === "" ? this.base || this.dir : joinShown(this.base, prefix), `cannot be read (${e.message}).`);
    }
    for (const dirent of entries) {
      if (dirent.name.startsWith(".")) continue;
      const rel = prefix === "" ? dirent.name : `${prefix}/${dirent.name}`;
      this.entry({ dirent, rel, shown: joinShown(this.base, rel), full: join5(here, dirent.name) }, chain);
    }
  }
  entry(entry, chain) {
    const { dirent, shown } = entry;
    if ((dirent.isDirectory() || dirent.isSymbolicLink() || dirent.name.endsWith(".sql")) && undecodable(entry.full)) {
      throw pathError(shown, NOT_UTF8_NAME);
    }
    const link = dirent.isSymbolicLink();
    const to = link ? this.followInside(entry) : null;
    const real2 = to ? to.real : join5(chain[chain.length - 1], dirent.name);
    if (to ? to.stats.isDirectory() : dirent.isDirectory()) {
      if (link && chain.some((d) => d === real2 || d.startsWith(real2.endsWith(sep3) ? real2 : real2 + sep3))) {
        throw pathError(shown, `is a symbolic link to ${quoted(readlinkSync2(entry.full))}, a directory that holds the link itself (a loop); remove the link.`);
      }
      this.visit(entry.rel, [...chain, real2]);
    } else if (dirent.name.endsWith(".sql")) {
      this.take(entry, real2, to ? to.stats.isFile() : dirent.isFile());
    }
  }
  /** Where the link `entry` leads, when that is within the roots. */
  followInside(entry) {
    const to = followLink(entry.full, entry.shown);
    if (!this.roots.some((r) => inside(to.real, r))) {
      throw pathError(
        entry.shown,
        `is a symbolic link to ${quoted(readlinkSync2(entry.full))}, outside the migrations directory and the project (${quoted(process.cwd())}): retort follows links only within them. Move or copy what it points to into the project.`
      );
    }
    return to;
  }
  take(entry, real2, file) {
    const { shown } = entry;
    if (!file) throw pathError(shown, "is not a regular file (a FIFO, socket or device); a revision file must be a file.");
    const first = this.taken.get(real2);
    if (first !== void 0) {
      throw pathError(shown, `is the same file as ${joinShown(this.base, first)} (through a symbolic link), so it would load twice; keep one of the two paths.`);
    }
    this.taken.set(real2, entry.rel);
    this.files.push(entry.rel);
  }
};
function listRevisionFiles(dir) {
  requireDirectory(dir);
  const top = realpathSync3(dir);
  const tree = new RevisionTree(dir, top);
  tree.visit("", [top]);
  return tree.files.sort(byCodeUnit);
}
function loadRevisions(dir) {
  const base = shownBase(dir);
  return listRevisionFiles(dir).map((file) => {
    const path = joinShown(base, file);
    return parseRevisionFile(readUtf8(path, (line, message) => new RevisionFileError(path, line, message)), path);
  });
}

// src/load/find-project.ts
var given = (v) => v !== void 0 && v !== null && v.trim() !== "";
function shownPath(path) {
  const rel = relative5(process.cwd(), path);
  return rel === "" ? "." : isWithin(process.cwd(), path) ? slashed(rel) : path;
}
function projectFolder(graph, options) {
  const location = graph.revisions.find((r) => r.alembic)?.alembic?.project.scriptLocation;
  return location === void 0 || options.migrationsGiven !== false ? options.migrations : shownPath(location);
}
function real(path) {
  try {
    return realpathSync4(path);
  } catch {
    return resolve4(path);
  }
}
var samePath = (a, b) => real(a) === real(b);
function hereIni(alembicConfigEnv) {
  if (given(alembicConfigEnv) && basename2(alembicConfigEnv) !== "pyproject.toml") {
    const path2 = resolve4(alembicConfigEnv);
    if (kindOf(path2) !== "file") {
      throw new RetortError(
        "usage",
        `ALEMBIC_CONFIG is '${alembicConfigEnv}', which ${kindOf(path2) === null ? "does not exist" : "is not a file"}. Alembic and retort read it instead of ./alembic.ini: point it at your alembic.ini, or unset it.`
      );
    }
    return { path: path2, shown: `ALEMBIC_CONFIG's '${alembicConfigEnv}'`, points: peekScriptLocation(path2) };
  }
  const path = resolve4("alembic.ini");
  return kindOf(path) === "file" ? { path, shown: "./alembic.ini", points: peekScriptLocation(path) } : null;
}
function givenConfig(dir, alembicConfig) {
  const ini = resolve4(alembicConfig);
  const kind = kindOf(ini);
  if (kind === null) {
    throw new RetortError(
      "usage",
      `Alembic config '${alembicConfig}' does not exist. Pass the path of your alembic.ini to --alembic-config (relative to the current directory), or leave it out to detect alembic.ini in '${dir}'.`
    );
  }
  if (kind !== "file") {
    throw new RetortError("usage", `Alembic config '${alembicConfig}' is not a file. Pass the alembic.ini file itself to --alembic-config.`);
  }
  return ini;
}
function iniAbove(target, skip) {
  for (let dir = dirname5(target); ; dir = dirname5(dir)) {
    const ini = join6(dir, "alembic.ini");
    if (kindOf(ini) === "file" && (skip === null || !samePath(ini, skip))) {
      const points = peekScriptLocation(ini);
      if (points !== null && samePath(points, target)) return ini;
    }
    if (dirname5(dir) === dir) return null;
  }
}
function ownProject(target) {
  if (kindOf(join6(target, "alembic.ini")) === "file") return "an alembic.ini";
  if (kindOf(join6(target, "env.py")) === "file") return "an env.py (an Alembic script directory without an ini)";
  if (kindOf(target) !== "dir") return null;
  try {
    const n = listRevisionFiles(target).length;
    return n > 0 ? `${n} native .sql revision${n === 1 ? "" : "s"}` : null;
  } catch {
    return null;
  }
}
var pointsText = (here) => here.points === null ? "names no usable script_location" : `has script_location '${shownPath(here.points)}'`;
function fromHereIni(here, o, target) {
  const own = join6(target, "alembic.ini");
  if (samePath(here.path, own)) return null;
  if (here.points !== null && samePath(here.points, target)) {
    if (kindOf(own) === "file") {
      throw new RetortError(
        "usage",
        `Both ${here.shown} and '${shownPath(own)}' configure the Alembic scripts in '${o.migrations}'. Pass --alembic-config with the one retort should read.`
      );
    }
    return { project: readAlembicConfig(here.path), directory: o.migrations };
  }
  if (o.migrationsGiven !== false) return null;
  const holds = ownProject(target);
  if (holds !== null) {
    throw new RetortError(
      "usage",
      `${here.shown} ${pointsText(here)}, but the default migrations folder '${o.migrations}' holds ${holds}. Pass --alembic-config ${shownPath(here.path)} to use the ini's project, or --migrations ${o.migrations} to use '${o.migrations}'.`
    );
  }
  const project = readAlembicConfig(here.path);
  return { project, directory: shownPath(project.scriptLocation) };
}
function findAlembicProject(o) {
  const dir = o.migrations;
  if (given(o.alembicConfig)) return { project: readAlembicConfig(givenConfig(dir, o.alembicConfig)), directory: dir };
  const target = resolve4(dir);
  const here = hereIni(o.alembicConfigEnv);
  const fromHere = here ? fromHereIni(here, o, target) : null;
  if (fromHere) return fromHere;
  const own = join6(target, "alembic.ini");
  if (kindOf(own) === "file") return { project: readAlembicConfig(own), directory: dir };
  const above = iniAbove(target, here?.path ?? null);
  if (above) return { project: readAlembicConfig(above), directory: dir };
  const envPy = kindOf(join6(target, "env.py")) === "file";
  if (here && (envPy || kindOf(target) === null)) {
    const useHere = `To use that ini's project, leave --migrations out (or pass --alembic-config ${shownPath(here.path)})`;
    throw new RetortError(
      "usage",
      envPy ? `'${dir}' holds an env.py but no alembic.ini, and ${here.shown} ${pointsText(here)}, not '${dir}'. ${useHere}; for '${dir}', pass --alembic-config with its own alembic.ini.` : `The migrations folder '${dir}' does not exist, and ${here.shown} ${pointsText(here)}. ${useHere}.`
    );
  }
  const locationsGiven = (o.versionLocations ?? []).length > 0;
  if (envPy && (locationsGiven || kindOf(join6(target, "versions")) === "dir")) return { project: defaultProject(target), directory: dir };
  return null;
}

// src/load/empty-source.ts
var DEPTH = 4;
var MAX_ENTRIES = 5e3;
var PY_FILE = /^(?!\.#|__init__)[^\n]*\.py$/;
var DECLARES_REVISION = /^(down_revision|revision)\s*(:[^=\n]*)?=/m;
function isRevisionFile(path) {
  try {
    return DECLARES_REVISION.test(readFileSync2(path, "utf8"));
  } catch {
    return false;
  }
}
function pythonBelow(top, ownFiles) {
  const byFolder = /* @__PURE__ */ new Map();
  let example = null;
  let count = 0;
  let seen = 0;
  const visit = (dir, depth) => {
    let entries;
    try {
      entries = readdirSync4(dir, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    } catch {
      return;
    }
    for (const entry of entries) {
      if (++seen > MAX_ENTRIES) return;
      const name = entry.name;
      const path = join7(dir, name);
      const kind = entry.isDirectory() ? "dir" : entry.isFile() ? "file" : entry.isSymbolicLink() ? kindOf(path) : "other";
      if (kind === "dir" && depth < DEPTH && !name.startsWith(".") && name !== "__pycache__") visit(path, depth + 1);
      else if (kind === "file" && (depth > 0 || ownFiles) && PY_FILE.test(name) && isRevisionFile(path)) {
        const folder = slashed(relative6(top, dir));
        byFolder.set(folder, (byFolder.get(folder) ?? 0) + 1);
        example ??= slashed(relative6(top, path));
        count++;
      }
    }
  };
  visit(top, 0);
  return { byFolder, count, example };
}
var files = (n) => `${n} .py revision file${n === 1 ? "" : "s"}`;
function patternsFor(location, root, py) {
  const base = slashed(relative6(root, location));
  const depths = [...new Set([...py.byFolder.keys()].map((f) => f.split("/").length))].sort();
  return depths.map((d) => [base === "" ? "." : base, ...Array(d).fill("*")].join("/"));
}
function explainEmptyAlembic(project, patternsGiven) {
  const where = project.iniPath ? shownPath(project.iniPath) : "alembic.ini";
  const existing = project.versionLocations.filter((l) => kindOf(l) === "dir");
  if (existing.length === 0) {
    return new RetortError(
      "usage",
      `None of the Alembic version locations exists (${project.versionLocations.map((l) => `'${shownPath(l)}'`).join(", ")}), so there are no revisions. Fix ${patternsGiven ? "--version-locations" : `version_locations in ${where}`}.`
    );
  }
  if (project.recursive) return null;
  for (const location of existing) {
    const py = pythonBelow(location, false);
    if (py.count === 0) continue;
    const folders = [...py.byFolder.keys()];
    const shownFolders = folders.slice(0, 3).map((f) => `${f}/`).join(", ") + (folders.length > 3 ? ", ..." : "");
    const patterns = patternsFor(location, project.root, py);
    return new RetortError(
      "usage",
      `Alembic version location '${shownPath(location)}' holds no revision files, but ${folders.length} sub-folder${folders.length === 1 ? " of it holds" : "s of it hold"} ${files(py.count)} (${shownFolders}), which Alembic does not read without recursive_version_locations. Set 'recursive_version_locations = true' in ${where} (Alembic 1.10+), or pass --version-locations '${patterns.join(" ")}' (patterns are taken from the ${project.iniPath ? "ini's" : "env.py"} folder, '${shownPath(project.root)}').`
    );
  }
  return null;
}
function ignoredSubfolders(project) {
  if (project.recursive) return [];
  const where = project.iniPath ? shownPath(project.iniPath) : "alembic.ini";
  return project.versionLocations.flatMap((location) => {
    if (kindOf(location) !== "dir") return [];
    const py = pythonBelow(location, false);
    const read = new Set(project.versionLocations.map((l) => resolve5(l)));
    const folders = [...py.byFolder.keys()].filter((f) => !read.has(resolve5(location, f)));
    const count = folders.reduce((n, f) => n + py.byFolder.get(f), 0);
    if (count === 0) return [];
    const shownFolders = folders.slice(0, 3).map((f) => `${f}/`).join(", ") + (folders.length > 3 ? ", ..." : "");
    return [
      `sub-folders of the Alembic version location '${shownPath(location)}' hold ${files(count)} (${shownFolders}), which retort, like Alembic, does not read without recursive_version_locations. If they belong to the project, set 'recursive_version_locations = true' in ${where} or pass --version-locations with their folders.`
    ];
  });
}
function explainEmptyNative(dir, here) {
  if (kindOf(dir) !== "dir") return null;
  const envPy = kindOf(join7(dir, "env.py")) === "file";
  const py = pythonBelow(dir, true);
  if (!envPy && py.count === 0) return null;
  const hint = here !== null && here.points !== null ? ` (${here.shown} has script_location '${shownPath(here.points)}': leave --migrations out to use it)` : "";
  if (envPy) {
    return new RetortError(
      "usage",
      `'${dir}' holds an env.py but no versions/ folder and no .sql revisions, so it is neither an Alembic project retort can read nor a native one with revisions. Create '${dir}/versions' (alembic init does), or pass --version-locations with the folders of its revision files (from '${dir}'), or --alembic-config with its alembic.ini${hint}.`
    );
  }
  return new RetortError(
    "usage",
    `'${dir}' holds no .sql revisions but ${files(py.count)} (e.g. '${dir}/${py.example}') and no env.py, so retort reads it as a native project and finds nothing to run. For an Alembic project, pass --migrations the folder that holds env.py and versions/, or --alembic-config its alembic.ini${hint}; Alembic cannot run the revisions without an env.py either.`
  );
}

// src/load/version-globs.ts
import { Buffer as Buffer3 } from "node:buffer";
import { lstatSync as lstatSync2, readdirSync as readdirSync5, realpathSync as realpathSync5 } from "node:fs";
import { delimiter as delimiter2, isAbsolute as isAbsolute3, join as join8, parse, resolve as resolve6 } from "node:path";
var byCodePoint2 = (a, b) => Buffer3.compare(Buffer3.from(a, "utf8"), Buffer3.from(b, "utf8"));
var hasWildcard = (segment) => /[*?]/.test(segment);
function segmentPattern(segment) {
  const body = segment.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]");
  return new RegExp(`^${body}$`, "u");
}
function subfolders(dir) {
  let names;
  try {
    names = readdirSync5(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n !== "__pycache__" && kindOf(join8(dir, n)) === "dir").sort(byCodePoint2);
}
function allBelow(dir, out) {
  out.push(dir);
  for (const name of subfolders(dir)) {
    if (name.startsWith(".")) continue;
    const path = join8(dir, name);
    let real2;
    try {
      real2 = realpathSync5(path);
    } catch {
      continue;
    }
    if (real2 === resolve6(path)) allBelow(path, out);
  }
}
function insideRoot(dir, name, root) {
  const path = join8(dir, name);
  let real2;
  let base;
  try {
    if (!lstatSync2(path).isSymbolicLink()) return path;
    real2 = realpathSync5(path);
    base = realpathSync5(root);
    if (!isWithin(base, realpathSync5(dir))) return path;
  } catch {
    return path;
  }
  if (isWithin(base, real2)) return path;
  throw new RetortError(
    "usage",
    `--version-locations: '${path}' is a symbolic link to '${real2}', outside '${base}', and a wildcard reached it. Name the folder in the pattern without wildcards if it is meant to be read, or remove the link.`
  );
}
function step(dirs, segment, root) {
  if (segment === "**") {
    const out = [];
    for (const dir of dirs) allBelow(dir, out);
    return out;
  }
  if (!hasWildcard(segment)) return dirs.map((d) => join8(d, segment)).filter((p) => kindOf(p) === "dir");
  const re = segmentPattern(segment);
  return dirs.flatMap(
    (dir) => subfolders(dir).filter((name) => re.test(name) && (!name.startsWith(".") || segment.startsWith("."))).map((name) => insideRoot(dir, name, root))
  );
}
function expandPattern(pattern, root) {
  const start = isAbsolute3(pattern) ? parse(resolve6(pattern)).root : root;
  const segments = pattern.split(/[/\\]+/).filter((s) => s !== "");
  let dirs = [start];
  for (const segment of segments) dirs = step(dirs, segment, root);
  return dirs.map((d) => resolve6(d));
}
function expandVersionLocations(patterns, root) {
  const seen = /* @__PURE__ */ new Set();
  const out = [];
  for (const pattern of patterns) {
    const found = expandPattern(pattern, root);
    if (found.length === 0) {
      throw new RetortError(
        "usage",
        `--version-locations: '${pattern}' matches no folder in '${root}' (patterns are taken from the folder of alembic.ini, or of env.py without one; '*' and '?' match within a name, '**' any number of folders). Fix the pattern.`
      );
    }
    for (const dir of found) {
      let real2 = dir;
      try {
        real2 = realpathSync5(dir);
      } catch {
      }
      if (seen.has(real2)) continue;
      seen.add(real2);
      out.push(dir);
    }
  }
  return out;
}
var SEPARATORS2 = { space: " ", os: delimiter2, ":": ":", ";": ";" };
function alembicVersionOptions(locations, pathSeparator) {
  const named = pathSeparator !== void 0 && Object.prototype.hasOwnProperty.call(SEPARATORS2, pathSeparator) ? pathSeparator : null;
  const char = named === null ? delimiter2 : SEPARATORS2[named];
  const bad = locations.find((l) => l.includes(char));
  if (bad !== void 0) {
    throw new RetortError(
      "usage",
      `--version-locations: the folder '${bad}' has '${char}' in its path, which separates Alembic's version_locations here${named === null ? "" : ` (path_separator = ${named})`}. Rename the folder, or list the locations in alembic.ini.`
    );
  }
  const joined = locations.join(char);
  if (named !== null) return { version_locations: joined, version_path_separator: named };
  return { version_locations: joined, version_path_separator: "os", ...pathSeparator !== void 0 ? { path_separator: "os" } : {} };
}

// src/load/directory.ts
function withVersionLocations(project, versionLocations) {
  const mainOptions = { ...project.mainOptions, ...alembicVersionOptions(versionLocations, project.pathSeparator) };
  return { ...project, versionLocations, versionLocationsGiven: true, mainOptions };
}
function sourceOptions(o, alembicConfig) {
  return typeof o === "string" ? { migrations: o, alembicConfig: alembicConfig ?? null } : o;
}
function detectSource(options, alembicConfig) {
  const o = sourceOptions(options, alembicConfig);
  const found = findAlembicProject(o);
  if (found === null) {
    if ((o.versionLocations ?? []).length > 0) {
      throw new RetortError(
        "usage",
        `--version-locations is for an Alembic project, and '${o.migrations}' is none (no alembic.ini found for it, no env.py in it). Pass --migrations the folder that holds env.py, or --alembic-config its alembic.ini.`
      );
    }
    const here = samePlace(o.migrations) ? null : hereIni(o.alembicConfigEnv);
    return { kind: "native", directory: o.migrations, ...here ? { hereIni: here } : {} };
  }
  const patterns = o.versionLocations ?? [];
  const project = patterns.length === 0 ? found.project : withVersionLocations(found.project, expandVersionLocations(patterns, found.project.root));
  return { kind: "alembic", directory: found.directory, ...project };
}
function checkLoaded(source, revisions, warn) {
  if (revisions.length > 0) {
    if (source.kind === "alembic") for (const line of ignoredSubfolders(source)) warn(line);
    return;
  }
  const why = source.kind === "alembic" ? explainEmptyAlembic(source, source.versionLocationsGiven === true) : explainEmptyNative(source.directory, source.hereIni ?? null);
  if (why) throw why;
}
function sourceRevisions(source, warn) {
  const revisions = source.kind === "alembic" ? loadAlembicRevisions(source) : loadRevisions(source.directory);
  checkLoaded(source, revisions, warn);
  return revisions;
}
var samePlace = (dir) => resolve7(dir) === process.cwd();
var quiet = () => void 0;
function sourceGraph(source, warn = quiet) {
  return RevisionGraph.build(sourceRevisions(source, warn));
}

// src/alembic/graph.ts
async function loadGraphWith(options, report) {
  const source = detectSource(options);
  if (source.kind === "native") return sourceGraph(source, report.warn);
  const { revisions, deferred } = readAlembicRevisions(source, true);
  checkLoaded(source, revisions, report.warn);
  if (deferred.length === 0) return RevisionGraph.build(revisions);
  const runner = {
    command: options.alembicCommand,
    iniPath: source.iniPath,
    scriptLocation: source.scriptLocation,
    passEnv: options.alembicEnv,
    ...source.mainOptions ? { mainOptions: source.mainOptions } : {}
  };
  const answers = await askAlembic(runner, deferred[0]);
  const first = deferred[0].script;
  const u = first.unresolved[0];
  const more = deferred.reduce((n, d) => n + d.script.unresolved.length, 0) - 1;
  report.notice(
    `read the revision graph through Alembic: ${first.path}:${u.line}: ${u.variable} = ${u.expression} cannot be read statically (${u.why})` + (more > 0 ? `, and ${more} more value(s)` : "")
  );
  return RevisionGraph.build(merged(source, revisions, deferred, answers));
}
function merged(source, revisions, deferred, answers) {
  const out = [...revisions];
  for (const d of deferred) {
    const answer = answers.get(d.file);
    if (!answer) {
      const u = d.script.unresolved[0];
      throw new RetortError(
        "revision-file",
        `${d.script.path}:${u.line}: Alembic did not load this file (its version locations differ from what retort read), so '${u.variable} = ${u.expression}' cannot be read. To fix, ${UNDECIDABLE_FIX}.`,
        { location: { file: d.script.path, line: u.line } }
      );
    }
    out[d.index] = alembicRevision(source, withAlembicAnswer(d.script, answer), revisions[d.index].alembic.text);
  }
  return out;
}
async function askAlembic(runner, first) {
  const u = first.script.unresolved[0];
  try {
    return await alembicScripts(runner);
  } catch (e) {
    if (!(e instanceof RetortError)) throw e;
    throw new RetortError(
      "revision-file",
      `${first.script.path}:${u.line}: cannot read '${u.variable} = ${u.expression}' statically (${u.why}), and Alembic could not be asked for the graph: ${e.message.replace(/\.?$/, ".")} To fix, ${UNDECIDABLE_FIX}.`,
      { location: { file: first.script.path, line: u.line } }
    );
  }
}
async function alembicScripts(runner, limits = {}) {
  const { runAlembic: runAlembic2 } = await import("./cli-chunks/run-G3ICNE2A.js");
  const { GRAPH_COMMAND } = await import("./cli-chunks/bootstrap-KNU2RUFI.js");
  let scripts = null;
  try {
    await runAlembic2(runner, { mode: "offline", dialect: "postgresql" }, [GRAPH_COMMAND], {
      ...limits,
      onEvent: (event) => {
        if (event.e === "graph") scripts = event.scripts;
      }
    });
  } catch (e) {
    if (!(e instanceof RetortError)) throw e;
    throw new RetortError(e.code, e.message.replace(new RegExp(`^alembic ${GRAPH_COMMAND}(?: failed)?: `), "Alembic failed to load the revisions: "), { cause: e });
  }
  if (scripts === null) throw new RetortError("migration-failed", "Alembic gave no answer.");
  const answers = /* @__PURE__ */ new Map();
  for (const s of scripts) {
    if (typeof s === "object" && s !== null && typeof s.path === "string") answers.set(s.path, s);
  }
  return answers;
}

// src/cli/context.ts
var collect = (value, previous) => [...previous, ...value.split(",").map((s) => s.trim()).filter(Boolean)];
function settingOption(name) {
  const s = SETTINGS[name];
  const option = new Option(s.flag, s.help);
  if (s.choices) option.choices(s.choices);
  if (s.env) option.env(s.env);
  if (s.list) option.argParser(collect).default([]);
  else if (s.default !== void 0) option.default(s.default);
  return option;
}
function makeCli(output, inputs) {
  const made = /* @__PURE__ */ new WeakMap();
  const options = (cmd) => {
    let o = made.get(cmd);
    if (o === void 0) made.set(cmd, o = optionsOf(cmd.optsWithGlobals(), inputs));
    return o;
  };
  const session = {
    log: { info: (line) => output.out(`${line}
`), warn: (line) => output.err(`retort: warning: ${line}
`) },
    notice: (line) => output.err(`retort: ${line}
`)
  };
  return {
    inputs,
    session,
    options,
    graphOf: (cmd) => loadGraphWith(options(cmd), { notice: session.notice, warn: (line) => output.err(`retort: warning: ${line}
`) }),
    print: (text2) => {
      if (text2 !== "") output.out(text2.endsWith("\n") ? text2 : `${text2}
`);
    },
    printJson: (value) => output.machine(`${JSON.stringify(value, null, 2)}
`, "json"),
    printAs: (text2, format) => {
      if (text2 === "") return;
      const whole = text2.endsWith("\n") ? text2 : `${text2}
`;
      if (format === "text") output.out(whole);
      else output.machine(whole, format);
    }
  };
}

// src/run/history.ts
function stepHistoryRow(step2, identity, durationMs, error, failedStatement) {
  return {
    alembicVersion: step2.to.join("##"),
    prevAlembicVersion: step2.from.join("##"),
    operationType: "migration",
    operationDirection: step2.direction === "upgrade" ? "up" : "down",
    userVersion: JSON.stringify({ user: identity.actor, version: identity.retortVersion }),
    changedAt: /* @__PURE__ */ new Date(),
    revision: step2.revision.id,
    checksum: checksum(step2.revision.alembic?.text ?? step2.section.sql),
    durationMs,
    success: error === null,
    errorMessage: error,
    failedStatement,
    ...identity
  };
}

// src/run/context.ts
function historyRow(ctx, step2, durationMs, error, failedStatement) {
  return stepHistoryRow(step2, ctx.settings.identity, durationMs, error, failedStatement);
}
function startedRowSql(ctx, step2) {
  return ctx.store.historyInsertSql({ ...historyRow(ctx, step2, 0, null, 1), success: null });
}
function unrecorded(log2) {
  return (err) => log2.warn(`could not record the failure in the history table: ${err.message}`);
}
async function recordFailure(ctx, row) {
  await ctx.store.appendHistory(row).catch(unrecorded(ctx.log));
}
function stepRan(ctx, step2, durationMs, statements) {
  ctx.log.info(`Running ${runningLine(step2)}, ${step2.revision.message} ... ${durationMs} ms`);
  return { step: step2, durationMs, statements };
}

// src/alembic/apply.ts
function same(a, b) {
  return a.length === b.length && [...a].sort().join(" ") === [...b].sort().join(" ");
}
var escapeColons = (sql) => sql.replace(/:/g, "\\:");
function textStatement(sql, params) {
  let i = 0;
  const named = {};
  const text2 = escapeColons(sql).replace(/\?/g, () => {
    named[`p${i}`] = params[i];
    return `:p${i++}`;
  });
  if (i !== params.length) throw new Error(`${params.length} parameters for ${i} placeholders`);
  return { sql: text2, params: named };
}
function historyInsert(store, sql, row) {
  const values = store.historyValues(row);
  const params = {};
  let now;
  let ms;
  values.forEach(([column2, value], i) => {
    params[`p${i}`] = value;
    if (column2 === "changed_at") now = `p${i}`;
    if (column2 === "duration_ms") ms = `p${i}`;
  });
  const columns = values.map(([c]) => escapeColons(sql.ident(c)));
  return {
    sql: `INSERT INTO ${escapeColons(store.historySql)} (${columns.join(", ")}) VALUES (${values.map((_, i) => `:p${i}`).join(", ")})`,
    params,
    ...now ? { now } : {},
    ...ms ? { ms } : {}
  };
}
function historyFinish(store, revision) {
  return {
    sql: `UPDATE ${escapeColons(store.historySql)} SET success = :ok, duration_ms = :ms, error_message = NULL, failed_statement = NULL WHERE revision = :rev AND success IS NULL AND version_table = :vt`,
    params: { ok: true, ms: 0, rev: revision, vt: store.versionTableKey },
    ms: "ms"
  };
}
var keyOf2 = (direction, revision) => `${direction} ${revision}`;
async function applyWithAlembic(plan2, alembic, database, runner, log2) {
  refuseMultidb(alembic.iniPath, "apply");
  if (plan2.steps.length === 0) return [];
  const { store, driver, settings } = runner;
  await store.refuseLongIds(idsWritten(plan2));
  await store.ensureHistoryTable();
  const tracked = !driver.transactionalDdl;
  const rowOf = (step2, ms2, error2) => stepHistoryRow(step2, settings.identity, ms2, error2, null);
  const steps = plan2.steps.map((step2) => ({
    direction: step2.direction,
    revision: step2.revision.id,
    start: tracked ? historyInsert(store, driver.bookkeeping, { ...rowOf(step2, 0, null), success: null }) : null,
    finish: tracked ? historyFinish(store, step2.revision.id) : null,
    insert: historyInsert(store, driver.bookkeeping, rowOf(step2, 0, null))
  }));
  const run = await runUnderWorkLock(plan2, alembic, database, runner, { log: log2, steps });
  const ended = Date.now();
  const rows = await store.readHeads();
  if (run.failure === null) return succeeded(plan2, run, rows, { store, log: log2, rowOf });
  const error = run.failure;
  const stands = rows.join(", ") || "base";
  const failedIndex = run.last === null ? -1 : plan2.steps.findIndex((s) => keyOf2(s.direction, s.revision.id) === run.last);
  const failed2 = failedIndex >= 0 ? plan2.steps[failedIndex] : null;
  if (failed2 === null) {
    throw new RetortError(error.code, `${error.message}. No revision was started: the database stands at ${stands}.`, { cause: error });
  }
  let done = 0;
  for (let i = plan2.steps.length; i >= 0; i--) {
    if (same(i === 0 ? plan2.headsBefore : plan2.steps[i - 1].headsAfter, rows)) {
      done = i;
      break;
    }
  }
  const ms = Math.max(0, ended - (run.startedAt.get(run.last) ?? ended));
  const finished = tracked && await store.finishHistory(failed2.revision.id, false, ms, error.message, null).catch(() => false);
  if (!finished) {
    await store.appendHistory(rowOf(failed2, ms, error.message)).catch(unrecorded(log2));
  }
  throw new RetortError(
    "migration-failed",
    `${plan2.direction} ${failed2.revision.id} (${failed2.revision.path}) failed: ${error.message}. The database stands at ${stands}${done > 0 ? ` (${done} revision(s) of the plan took effect)` : ""}.`,
    { cause: error, location: { file: failed2.revision.path, line: failed2.section.line } }
  );
}
async function runUnderWorkLock(plan2, alembic, database, runner, job) {
  const run = { startedAt: /* @__PURE__ */ new Map(), applied: /* @__PURE__ */ new Map(), last: null, failure: null };
  await runner.handOverWork(async (workKey) => {
    const lock = runner.driver.lockStatement(workKey);
    try {
      await runAlembic(
        alembic,
        { mode: "online", url: database.url, secrets: database.secrets, bookkeeping: { lock: textStatement(lock.sql, lock.params), steps: job.steps } },
        [plan2.direction, plan2.target],
        {
          onLine: (line) => job.log.info(line),
          onEvent: (event) => {
            if (event.e === "start") {
              run.last = keyOf2(event.direction, event.revision);
              run.startedAt.set(run.last, Date.now());
            } else if (event.e === "applied") {
              run.applied.set(keyOf2(event.direction, event.revision), event.ms);
            }
          }
        }
      );
    } catch (e) {
      if (!(e instanceof RetortError) || e.code === "usage") throw e;
      run.failure = e;
    }
  });
  return run;
}
async function succeeded(plan2, run, rows, ctx) {
  if (!same(rows, plan2.headsAfter)) {
    throw new RetortError(
      "state",
      `Alembic finished, but the version table holds ${rows.join(", ") || "no rows"} where the plan leads to ${plan2.headsAfter.join(", ") || "base"}. Check it with 'retort current'.`
    );
  }
  const outcomes = [];
  for (const step2 of plan2.steps) {
    const ms = run.applied.get(keyOf2(step2.direction, step2.revision.id));
    if (ms === void 0) {
      ctx.log.warn(`${step2.revision.id}: Alembic ran it without retort's hook (does env.py call context.configure?); its history row is written afterwards`);
      await ctx.store.appendHistory(ctx.rowOf(step2, 0, null));
    }
    outcomes.push({ step: step2, durationMs: ms ?? 0, statements: 0 });
  }
  return outcomes;
}

// src/alembic/sql.ts
import { basename as basename3, dirname as dirname6, isAbsolute as isAbsolute4, relative as relative7 } from "node:path";

// src/alembic/python-source.ts
function scan(lines) {
  const out = { depth: [], inString: [], continued: [], code: [] };
  const state = { d: 0, quote: null, continues: false };
  for (const line of lines) {
    out.depth.push(state.d);
    out.inString.push(state.quote !== null);
    out.continued.push(state.continues);
    out.code.push(scanLine(line, state));
  }
  return out;
}
function scanLine(line, state) {
  let code2 = "";
  let i = 0;
  let comment = false;
  while (i < line.length) {
    if (state.quote !== null) {
      if (line[i] === "\\") i += 2;
      else if (line.startsWith(state.quote, i)) {
        i += 3;
        state.quote = null;
      } else i++;
      code2 += " ";
      continue;
    }
    const c = line[i];
    if (c === "#") {
      comment = true;
      break;
    }
    if (c === '"' || c === "'") {
      if (line.startsWith(c.repeat(3), i)) {
        state.quote = c.repeat(3);
        i += 3;
        code2 += " ";
        continue;
      }
      i++;
      while (i < line.length && line[i] !== c) i += line[i] === "\\" ? 2 : 1;
      i++;
      code2 += " ";
      continue;
    }
    if ("([{".includes(c)) state.d++;
    else if (")]}".includes(c)) state.d = Math.max(0, state.d - 1);
    code2 += c;
    i++;
  }
  state.continues = state.quote === null && !comment && line.endsWith("\\");
  return code2;
}
var indentOf2 = (line) => line.length - line.trimStart().length;
var isBlankOrComment = (line) => line.trim() === "" || line.trimStart().startsWith("#");
function functionRange(lines, at, name) {
  const header = new RegExp(`^(async\\s+)?def\\s+${name}\\s*\\(`);
  let start = -1;
  lines.forEach((line, i) => {
    if (at.depth[i] === 0 && !at.inString[i] && !at.continued[i] && header.test(line)) start = i;
  });
  if (start < 0) return null;
  let first = start;
  while (first > 0 && lines[first - 1].startsWith("@") && at.depth[first - 1] === 0) first--;
  let end = start + 1;
  for (; end < lines.length; end++) {
    const line = lines[end];
    if (at.inString[end] || at.depth[end] > 0 || at.continued[end] || isBlankOrComment(line)) continue;
    if (indentOf2(line) === 0) break;
  }
  while (end > start + 1 && isBlankOrComment(lines[end - 1]) && !at.inString[end - 1]) end--;
  return { first, end };
}
var REBINDERS = ["globals", "setattr", "exec", "eval", "__dict__", "sys\\s*\\.\\s*modules", "importlib", "__import__"].join("|");
function revisionSource(text2, name) {
  const lines = text2.replace(/\r\n?/g, "\n").split("\n");
  const at = scan(lines);
  const range = functionRange(lines, at, name);
  const word = new RegExp(`(?<!\\w)${name}(?!\\w)`);
  const binder = new RegExp(`(?<!\\w)(${REBINDERS})(?!\\w)`);
  const outside = (i) => range === null || i < range.first || i >= range.end;
  const decorated = range !== null && lines[range.first].startsWith("@");
  const other = decorated ? range.first : at.code.findIndex((code2, i) => outside(i) && word.test(code2) || binder.test(code2));
  if (range !== null && other < 0) return lines.slice(range.first, range.end).join("\n");
  const why = range === null ? `this file has no module-level 'def ${name}(':` : `line ${other + 1} names ${name} outside its def, decorates it or reaches names indirectly, so the def alone may not be what runs:`;
  return `# retort: ${why} the whole file follows.
${lines.join("\n").trimEnd()}`;
}

// src/alembic/sql.ts
function key(step2) {
  return `${step2.from.join(", ")} -> ${step2.to.join(", ")}`;
}
function bodyOf(chunk, vt, dialect) {
  const table = versionTableName(vt, dialect).toLowerCase();
  const bare = vt.table.toLowerCase();
  const isVersion = (s) => {
    const t = s.trim().toLowerCase();
    return [table, bare].some(
      (n) => t.startsWith(`insert into ${n} `) || t.startsWith(`update ${n} `) || t.startsWith(`delete from ${n} `) || t.startsWith(`create table ${n} `) || t === `drop table ${n}`
    );
  };
  const statements = chunk.replace(/^-- Running .*\n/, "").trimEnd().replace(/;$/, "").split(/;\n\n/).map((s) => s.trim()).filter((s) => s !== "" && !/^(BEGIN|COMMIT)$/i.test(s) && !isVersion(s));
  return statements.length === 0 ? "" : `${statements.join(";\n\n")};

`;
}
function frames(stderr) {
  return [...stderr.matchAll(/^\s*File "([^"\n]+)", line (\d+)(?:, in (\S+))?\s*$/gm)].map((m) => ({ file: m[1], line: Number(m[2]), fn: m[3] ?? "" }));
}
function oneLine(text2, max = 500) {
  const line = text2.replace(/\s*[\r\n\u2028\u2029]+\s*/g, " ").trim();
  return line.length > max ? `${line.slice(0, max)}\u2026` : line;
}
function cannotRun(failure2, runner, args) {
  if (/^ModuleNotFoundError: No module named 'alembic'/.test(failure2.why)) {
    return new RetortError(
      "usage",
      `Cannot run Alembic ('${runner.command.join(" ")}'): its Python has no module named 'alembic'. Install it for that Python (pip install alembic, or Debian's python3-alembic), or pass --alembic-command naming the Python that has it (e.g. '/opt/venv/bin/python -m alembic').`,
      { cause: failure2 }
    );
  }
  const home = runner.iniPath ? dirname6(runner.iniPath) : runner.scriptLocation;
  const inProject = frames(failure2.stderr).filter((f) => isAbsolute4(f.file) && isWithin(home, f.file));
  const at = inProject.at(-1);
  const where = at ? ` (${relative7(home, at.file) || basename3(at.file)}, line ${at.line})` : "";
  const config = runner.iniPath ? `${runner.iniPath}` : `${runner.scriptLocation} (no alembic.ini)`;
  return new RetortError(
    "migration-failed",
    `Alembic cannot run this project, so no revision's SQL can be shown: ${oneLine(failure2.why).replace(/\.+$/, "")}${where}. It failed before running any revision: in env.py, its imports or its configuration (${config}), or importing a revision file. retort ran 'alembic ${runner.iniPath ? `-c ${runner.iniPath} ` : ""}${args.join(" ")}' offline, with a placeholder sqlalchemy.url and only the environment variables of --alembic-env: make that work (the Python of --alembic-command needs the project's packages; pass the variables env.py reads with --alembic-env NAME), then run retort again.`,
    { cause: failure2 }
  );
}
async function offlineRun(runner, dialect, args, refusable = false) {
  try {
    const { stdout } = await runAlembic(runner, { mode: "offline", dialect }, args);
    return { chunks: splitOfflineSql(stdout), failed: null };
  } catch (e) {
    if (!(e instanceof AlembicFailure)) throw e;
    const chunks = splitOfflineSql(e.stdout);
    const key2 = [...chunks.keys()].at(-1);
    if (key2 === void 0 && refusable && e.why.startsWith("FAILED:") && frames(e.stderr).length === 0) return { chunks, failed: null };
    if (key2 === void 0) throw cannotRun(e, runner, args);
    chunks.delete(key2);
    return { chunks, failed: { key: key2, failure: e } };
  }
}
function reasonOf(step2, failure2) {
  const name = basename3(step2.revision.path);
  const at = frames(failure2.stderr).filter((f) => basename3(f.file) === name).at(-1);
  return oneLine(`${failure2.why}${at ? ` (${name}, line ${at.line}${at.fn ? `, in ${at.fn}` : ""})` : ""}`);
}
async function renderWithAlembic(plan2, runner, versionTable, dialect) {
  if (!plan2.steps.some((s) => s.revision.alembic)) return { plan: plan2, notes: /* @__PURE__ */ new Map() };
  refuseMultidb(runner.iniPath, "render the SQL of");
  const chunks = /* @__PURE__ */ new Map();
  const failed2 = /* @__PURE__ */ new Map();
  const take = (run) => {
    for (const [k, v] of run.chunks) chunks.set(k, v);
    const step2 = run.failed ? plan2.steps.find((s) => key(s) === run.failed.key) : void 0;
    if (run.failed && step2) failed2.set(key(step2), reasonOf(step2, run.failed.failure));
    return step2;
  };
  const verb = plan2.direction;
  if (plan2.headsBefore.length <= 1) {
    let range = `${plan2.headsBefore[0] ?? "base"}:${plan2.target}`;
    for (let runs = 0; runs <= plan2.steps.length; runs++) {
      const stopped = take(await offlineRun(runner, dialect, [verb, range, "--sql"], true));
      if (!stopped || plan2.headsAfter.length > 1 || stopped.headsAfter.length !== 1 || stopped === plan2.steps.at(-1)) break;
      range = `${stopped.headsAfter[0]}:${plan2.headsAfter[0] ?? "base"}`;
    }
  }
  const notes = /* @__PURE__ */ new Map();
  for (const step2 of plan2.steps) {
    if (!step2.revision.alembic || chunks.has(key(step2)) || failed2.has(key(step2))) continue;
    const range = verb === "upgrade" ? `${step2.revision.downRevisions[0] ?? "base"}:${step2.revision.id}` : `${step2.revision.id}:${step2.revision.downRevisions[0] ?? "base"}`;
    take(await offlineRun(runner, dialect, [verb, range, "--sql"]));
    if (!chunks.has(key(step2)) && !failed2.has(key(step2))) failed2.set(key(step2), `Alembic's offline output for ${range} has no section for ${key(step2)}`);
  }
  const rendered = plan2.steps.map((step2) => {
    const reason = failed2.get(key(step2));
    if (reason !== void 0 && step2.revision.alembic) notes.set(step2.revision.id, reason);
    return withSql(step2, chunks.get(key(step2)), reason, { versionTable, dialect, verb });
  });
  return { plan: { ...plan2, steps: rendered }, notes };
}
function unrenderedOf(step2, reason, verb) {
  const text2 = step2.revision.alembic?.text ?? "";
  return { reason, source: revisionSource(text2, verb) };
}
function withSql(step2, chunk, reason, at) {
  if (!step2.revision.alembic) return step2;
  const section = chunk !== void 0 ? { ...step2.section, sql: bodyOf(chunk, at.versionTable, at.dialect), verbatim: true } : { ...step2.section, sql: "", verbatim: true, unrendered: unrenderedOf(step2, reason ?? "Alembic rendered no SQL for it", at.verb) };
  const revision = {
    ...step2.revision,
    alembic: { ...step2.revision.alembic, rendered: true },
    ...at.verb === "upgrade" ? { upgrade: section } : { downgrade: section }
  };
  return { ...step2, revision, section };
}
function markUnrendered(plan2, reason) {
  const at = { versionTable: { table: "", schema: null }, dialect: "postgresql", verb: plan2.direction };
  return { ...plan2, steps: plan2.steps.map((s) => s.revision.alembic && !s.revision.alembic.rendered ? withSql(s, void 0, reason, at) : s) };
}

// src/alembic/render.ts
function alembicRunnerFor(options, plan2) {
  const project = plan2.steps.find((s) => s.revision.alembic)?.revision.alembic?.project;
  if (!project) throw new RetortError("usage", `${options.migrations} holds Alembic revisions but no Alembic project was found.`);
  const mainOptions = project.mainOptions ? { mainOptions: project.mainOptions } : {};
  return { command: options.alembicCommand, iniPath: project.iniPath, scriptLocation: project.scriptLocation, passEnv: options.alembicEnv, ...mainOptions };
}
async function withAlembicSql(plan2, options, dialect, warn) {
  if (!plan2.steps.some((s) => s.revision.alembic && !s.revision.alembic.rendered)) return plan2;
  const rendered = await renderWithAlembic(plan2, alembicRunnerFor(options, plan2), options.versionTable, dialect);
  for (const [id, note] of rendered.notes) {
    warn(`${id}: Alembic cannot render its ${plan2.direction} SQL offline (${note}); the plan shows its ${plan2.direction}() source instead.`);
  }
  return rendered.plan;
}
async function alembicUndo(graph, plan2, options, dialect) {
  const down = plan2.headsAfter.length > 1 ? null : undoPlan(graph, plan2);
  if (down === null || down.steps.length === 0 || !down.steps.every((s) => s.revision.alembic)) return null;
  const rendered = await renderWithAlembic(down, alembicRunnerFor(options, down), options.versionTable, dialect);
  return { sql: renderPlanSql(rendered.plan, { dialect, versionTable: options.versionTable }), plan: rendered.plan };
}

// src/db/open.ts
var CONNECT_TIMEOUT_MS = 1e4;
var RETRY_MS = 500;
function noUrlUnderCi(ci) {
  return new RetortError(
    "usage",
    `No database URL, and ${ci} is set (a CI run): set DATABASE_URL or RETORT_DATABASE_URL (or pass --database-url; CI systems withhold protected or masked variables on some branches), or pass --database-url pglite://PATH to use an embedded database on purpose.`
  );
}
async function openDriver(options) {
  let text2 = options.url;
  if (!text2) {
    if (options.ci) throw noUrlUnderCi(options.ci);
    text2 = `pglite://${DEFAULT_PGLITE_DIR}`;
    options.notice(`No database URL given (--database-url, RETORT_DATABASE_URL or DATABASE_URL): using the embedded database at ${DEFAULT_PGLITE_DIR}.`);
  }
  const target = options.target ?? describeTarget(text2, options.env ?? {});
  const base = { applicationName: options.applicationName, connectTimeoutMs: CONNECT_TIMEOUT_MS };
  const open = async () => {
    switch (target.scheme) {
      case "postgresql":
        return (await import("./cli-chunks/postgres-MR3Z27YQ.js")).PostgresDriver.connect({ ...base, target });
      case "mysql":
        return (await import("./cli-chunks/mysql-QVQM6HAJ.js")).MysqlDriver.connect({ ...base, target });
      case "pglite":
        return (await import("./cli-chunks/pglite-GMGMK77G.js")).PgliteDriver.connect({ ...base, target });
    }
  };
  const deadline = Date.now() + options.waitSeconds * 1e3;
  for (; ; ) {
    try {
      return await open();
    } catch (e) {
      const retry = e instanceof RetortError && e.code === "connection" && Date.now() < deadline;
      if (!retry) throw e;
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }
}

// src/report/revision-text.ts
import { resolve as resolve8 } from "node:path";
function labels(graph, node) {
  return [...graph.labelsOf(node)].sort();
}
function downText(graph, node) {
  const down = graph.revisions[node].downRevisions;
  return down.length === 0 ? "<base>" : down.join(", ");
}
function revisionLine(graph, node, flags) {
  const rev = graph.revisions[node];
  let text2 = rev.id;
  if (flags.includeParents) {
    text2 = rev.dependsOn.length ? `${downText(graph, node)} (${rev.dependsOn.join(", ")}) -> ${text2}` : `${downText(graph, node)} -> ${text2}`;
  }
  const l = labels(graph, node);
  if (flags.includeBranches && l.length > 0) text2 += ` (${l.join(", ")})`;
  if (graph.isRealHead(node)) text2 += " (head)";
  else if (graph.isHead(node)) text2 += " (effective head)";
  if (flags.treeIndicators ?? true) {
    if (graph.isBranchPoint(node)) text2 += " (branchpoint)";
    if (graph.isMergePoint(node)) text2 += " (mergepoint)";
  }
  if (flags.includeDoc) text2 += `, ${rev.message}`;
  return text2;
}
function pySplitLines(text2) {
  const lines = text2.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
function revisionEntry(graph, node) {
  const rev = graph.revisions[node];
  const flags = [
    graph.isHead(node) ? " (head)" : "",
    graph.isBranchPoint(node) ? " (branchpoint)" : "",
    graph.isMergePoint(node) ? " (mergepoint)" : ""
  ].join("");
  const lines = [`Rev: ${rev.id}${flags}`];
  lines.push(`${graph.isMergePoint(node) ? "Merges" : "Parent"}: ${downText(graph, node)}`);
  if (rev.dependsOn.length) lines.push(`Also depends on: ${rev.dependsOn.join(", ")}`);
  if (graph.isBranchPoint(node)) lines.push(`Branches into: ${graph.ids(graph.children[node]).join(", ")}`);
  const l = labels(graph, node);
  if (l.length) lines.push(`Branch names: ${l.join(", ")}`);
  lines.push(`Path: ${resolve8(rev.path)}`);
  const doc = pySplitLines(rev.longDoc ?? rev.message).map((line) => `    ${line}`);
  return `${lines.join("\n")}

${doc.join("\n")}
`;
}
function revisionEntries(graph, nodes) {
  return nodes.map((n) => `${revisionEntry(graph, n)}
`).join("");
}
function revisionJson(graph, node) {
  const rev = graph.revisions[node];
  return {
    revision: rev.id,
    down_revisions: [...rev.downRevisions],
    branch_labels: labels(graph, node),
    depends_on: [...rev.dependsOn],
    message: rev.message,
    path: rev.path,
    is_head: graph.isHead(node),
    is_branch_point: graph.isBranchPoint(node),
    is_merge_point: graph.isMergePoint(node)
  };
}

// src/run/admin.ts
async function resolve9(ctx, revision, applied) {
  const { driver, graph, settings, store } = ctx;
  const open = (await store.unfinished()).find((u) => u.revision === revision);
  if (!open) throw new RetortError("usage", `Revision ${revision} has no unfinished run to resolve (see 'retort log').`);
  const heads = await store.readKnownHeads(graph, settings.migrations);
  await store.ensureTables([revision]);
  await driver.begin();
  try {
    if (applied) {
      const plan2 = open.direction === "down" ? planDowngrade(graph, heads, `${revision}-1`) : planUpgrade(graph, heads, revision);
      const step2 = plan2.steps.find((s) => s.revision.id === revision);
      if (!step2 || plan2.steps.length !== 1) {
        throw new RetortError("state", `Cannot mark ${revision} applied from ${heads.join(", ") || "base"}: it is not the next step.`);
      }
      for (const change of step2.versionChanges) await store.applyChange(change);
    }
    const actor = settings.identity.actor ?? "a user";
    await store.finishRun(open.id, applied, `resolved by ${actor}: ${applied ? "applied" : "rolled back"}`);
    await driver.commit();
  } catch (e) {
    await driver.rollback().catch(() => void 0);
    throw e;
  }
  return `${revision}: recorded as ${applied ? "applied" : "rolled back"}; the database is at ${(await store.readHeads()).join(", ") || "base"}.
`;
}
async function stamp(ctx, targets, purge) {
  const { driver, graph, settings, store } = ctx;
  const resolver = new Resolver(graph);
  const nodes = [...new Set(targets.flatMap((t) => resolver.getRevisions(t)))];
  const before = purge ? await store.readHeads() : await store.readKnownHeads(graph, settings.migrations);
  const keep = purge || nodes.length === 0 ? [] : before.filter((h) => {
    const node = graph.nodeOf(h);
    return !nodes.some((t) => graph.sharesLineage(node, [t], true));
  });
  const after = [...keep, ...graph.ids(nodes)];
  const changes = [
    ...before.filter((h) => !after.includes(h)).map((h) => ({ op: "delete", revision: h })),
    ...after.filter((h) => !before.includes(h)).map((h) => ({ op: "insert", revision: h }))
  ];
  await store.ensureTables(after);
  await driver.begin();
  try {
    for (const c of changes) await store.applyChange(c);
    const downward = nodes.length === 0;
    await store.appendHistory({
      alembicVersion: after.join("##"),
      prevAlembicVersion: before.join("##"),
      operationType: "stamp",
      operationDirection: downward ? "down" : "up",
      userVersion: JSON.stringify({ user: settings.identity.actor, version: settings.identity.retortVersion }),
      changedAt: /* @__PURE__ */ new Date(),
      revision: null,
      checksum: null,
      durationMs: 0,
      success: true,
      errorMessage: null,
      failedStatement: null,
      ...settings.identity
    });
    await driver.commit();
  } catch (e) {
    await driver.rollback().catch(() => void 0);
    throw e;
  }
  return { before, after };
}

// src/run/failure.ts
function migrationFailure(failed2, failedAt, e, effect2) {
  if (e instanceof RetortError) return e;
  const { step: step2, statements } = failed2;
  const rev = step2.revision;
  const location = failedAt !== null ? locate(rev.path, statements[failedAt - 1], e) : { file: rev.path, line: step2.section.line };
  const where = `${location.file}:${location.line}${location.column ? `:${location.column}` : ""}`;
  const reason = e instanceof Error ? e.message : String(e);
  const state = failureState(failed2.headsBefore, failedAt, effect2);
  return new RetortError(
    "migration-failed",
    `${step2.direction} ${rev.id} (${rev.message}) failed at ${where}${failedAt !== null ? ` (statement ${failedAt} of ${statements.length})` : ""}: ${reason}.${state ? ` ${state}` : ""}`,
    { cause: e, location }
  );
}
function failureState(headsBefore2, failedAt, effect2) {
  const stands = headsBefore2.join(", ") || "base (empty version table)";
  if (effect2 === "run-rolled-back") return "";
  if (effect2 === "rolled-back") return `The revision was rolled back: the database stays at ${stands}.`;
  if (failedAt !== null && failedAt > 1) {
    return `Statements 1 to ${failedAt - 1} of this revision already took effect (this database commits DDL at once); the version table stays at ${stands}. Undo them by hand or fix the revision so it can run again.`;
  }
  return `Nothing of this revision took effect; the version table stays at ${stands}.`;
}
function ownFailureState(failed2, reached, atomic) {
  const stands = failed2.headsBefore.join(", ") || "base";
  if (atomic) return `The revision was rolled back: the database stays at ${stands}.`;
  if (reached === 0) return `Nothing of this revision ran; the version table stays at ${stands}.`;
  if (reached < failed2.statements.length) return `Statements 1 to ${reached} of this revision took effect; the version table stays at ${stands}.`;
  return `The revision's statements took effect, but the version table stays at ${stands}: once that is fixed, run 'retort resolve ${failed2.step.revision.id} --applied'.`;
}
function bookkeepingFailure(step2, error, cause) {
  return new RetortError("bookkeeping", `${step2.direction} ${step2.revision.id} (${step2.revision.message}): ${error.message}`, { cause });
}
function locate(path, statement, e) {
  if (e instanceof DatabaseError && e.position !== null) {
    const before = statement.sql.slice(0, Math.max(0, e.position - 1));
    const lines = before.split("\n");
    return { file: path, line: statement.line + lines.length - 1, column: lines[lines.length - 1].length + 1 };
  }
  const m = e instanceof Error ? /at line (\d+)/.exec(e.message) : null;
  if (m) return { file: path, line: statement.line + Number(m[1]) - 1 };
  return { file: path, line: statement.line };
}
function apartOwnFailureState(failed2, effect2, ran) {
  const stands = failed2.headsBefore.join(", ") || "base";
  if (effect2 === "run-rolled-back") return "";
  if (effect2 === "rolled-back") return `The revision was rolled back: the database stays at ${stands}.`;
  if (ran) return `The revision's statements took effect, but the version table stays at ${stands}: once that is fixed, run 'retort resolve ${failed2.step.revision.id} --applied'.`;
  return `The version table stays at ${stands}.`;
}

// src/run/round-trip.ts
var ScriptFailure = class extends Error {
  piece;
  earlierRan;
  error;
  constructor(piece, earlierRan, error) {
    super(error instanceof Error ? error.message : String(error));
    this.piece = piece;
    this.earlierRan = earlierRan;
    this.error = error;
  }
};
var RoundTrips = class {
  driver;
  store;
  /** A revision statement that may have created a temporary table has run (see send). */
  hidingArmed = false;
  constructor(driver, store) {
    this.driver = driver;
    this.store = store;
  }
  /** Sends `pieces` in one round trip, with the session-mode switches the driver needs between
   *  retort's statements and the revision's; a failure is a ScriptFailure naming its piece. */
  async send(pieces2) {
    const revisionSql = pieces2.some((p) => p.statement !== null);
    this.hidingArmed ||= pieces2.some((p) => p.statement !== null && this.driver.mayCreateTemporaryTables(p.sql));
    const hiding = this.hidingArmed ? this.store.dropHidingSql : null;
    const sent = this.withSwitches(pieces2, hiding);
    if (revisionSql) this.store.revisionSqlRan();
    try {
      await this.driver.script(sent.map((p) => p.sql));
    } catch (e) {
      if (hiding && revisionSql) await this.driver.script(this.ours(hiding, 0, 0).map((p) => p.sql)).catch(() => void 0);
      const index = e instanceof DatabaseError ? e.statement : null;
      throw new ScriptFailure(index === null ? null : sent[index] ?? null, e instanceof DatabaseError ? e.earlierRan : true, e);
    }
  }
  /** Back in retort's modes, and rid of temporary tables that would hide its own. */
  ours(hiding, unit, reached) {
    const modes = this.driver.sessionModes;
    return [
      ...modes ? [{ sql: modes.enter, unit, statement: null, own: this.store.statements.session, reached }] : [],
      ...hiding ? [{ sql: hiding, unit, statement: null, own: this.store.statements.hiding, reached }] : []
    ];
  }
  /** `pieces` with the switches between the revision's statements and retort's. */
  withSwitches(pieces2, hiding) {
    const modes = this.driver.sessionModes;
    const session = this.store.statements.session;
    const sent = [];
    let theirs = null;
    for (const piece of pieces2) {
      const revision = piece.statement !== null;
      if (!revision && theirs === true) {
        sent.push(...this.ours(hiding, piece.unit, piece.reached));
        theirs = false;
      } else if (modes && revision !== theirs) {
        const switching = revision ? modes.leave : modes.enter;
        const last2 = sent[sent.length - 1];
        if (last2?.own && /^SET /.test(last2.sql) && /^SET /.test(switching)) {
          sent[sent.length - 1] = { ...last2, sql: `${last2.sql}, ${switching.slice(4)}`, own: session };
        } else {
          sent.push({ sql: switching, unit: piece.unit, statement: null, own: session, reached: piece.reached });
        }
        theirs = revision;
      }
      sent.push(piece);
    }
    const last = sent[sent.length - 1];
    if (last && theirs === true) sent.push(...this.ours(hiding, last.unit, last.reached + 1));
    return sent;
  }
};

// src/run/apart.ts
var RunTransaction = class {
  /** The heads as last committed. */
  committed;
  /** The transaction:false revisions whose statements ran outside the transaction since. */
  ranOutside = [];
  /** A failure's history row, written once the whole run is rolled back. */
  pendingFailure = null;
  constructor(headsBefore2) {
    this.committed = headsBefore2;
  }
};
async function runApart(ctx, job) {
  const { store } = ctx;
  const { step: step2, statements } = job;
  const p = { tracked: !job.transactional && statements.length > 0, started: Date.now(), index: 0, open: false, ran: false };
  try {
    if (p.tracked) await store.appendHistory({ ...historyRow(ctx, step2, 0, null, 1), success: null });
    await opening(ctx, job, p);
    for (const s of statements) {
      p.index++;
      if (p.tracked && p.index > 1) await store.markReached(step2.revision.id, p.index);
      await ctx.trips.send([{ sql: s.sql, unit: 0, statement: p.index, own: null, reached: p.index - 1 }]);
    }
    p.ran = true;
    await closing(ctx, job, p);
  } catch (caught) {
    return failed(ctx, job, p, caught);
  }
  return stepRan(ctx, step2, Date.now() - p.started, statements.length);
}
async function opening(ctx, job, p) {
  const { run, step: step2 } = job;
  if (run && !step2.section.transaction) {
    await ctx.driver.commit();
    run.committed = job.headsBefore;
    run.ranOutside = [];
  } else if (!run && job.transactional) {
    p.open = true;
    await ctx.driver.begin();
  }
}
async function closing(ctx, job, p) {
  const { driver, store } = ctx;
  const { run, step: step2, statements } = job;
  const rev = step2.revision;
  if (run && !step2.section.transaction) {
    run.ranOutside = [rev.id];
    await driver.begin();
  } else if (!run && !p.open) {
    await driver.begin();
    p.open = true;
  }
  for (const change of step2.versionChanges) await store.applyChange(change);
  const row = historyRow(ctx, step2, Date.now() - p.started, null, null);
  if (p.tracked) {
    await store.finishHistory(rev.id, true, row.durationMs ?? 0, null, null);
    if (p.open) await driver.commit();
  } else if (p.open) {
    await ctx.trips.send([
      { sql: store.historyInsertSql(row), unit: 0, statement: null, own: store.statements.historyRow, reached: statements.length },
      { sql: "COMMIT", unit: 0, statement: null, own: null, reached: statements.length }
    ]);
  } else {
    await store.appendHistory(row);
  }
  p.open = false;
}
async function failed(ctx, job, p, caught) {
  const { store } = ctx;
  const { run, step: step2, statements } = job;
  if (p.open) await ctx.driver.rollback().catch(() => void 0);
  const own = caught instanceof ScriptFailure ? caught.piece?.own ?? null : null;
  const e = caught instanceof ScriptFailure ? caught.error : caught;
  const bookkeeping = e instanceof RetortError && e.code === "bookkeeping" || own !== null;
  const failedAt = p.index > 0 && p.index <= statements.length && !p.ran && !(e instanceof RetortError) && own === null ? p.index : null;
  const message = e instanceof Error ? e.message : String(e);
  const row = historyRow(ctx, step2, Date.now() - p.started, message, failedAt);
  if (p.tracked && !(bookkeeping && p.ran)) {
    await store.finishHistory(step2.revision.id, false, row.durationMs ?? 0, message, failedAt).catch(unrecorded(ctx.log));
  } else if (run) run.pendingFailure = row;
  else if (!p.tracked) await recordFailure(ctx, row);
  if (bookkeeping) {
    const state = apartOwnFailureState(job, run ? "run-rolled-back" : job.transactional ? "rolled-back" : "took-effect", p.ran);
    const error = own ? store.ownFailure(own, e, state) : new RetortError("bookkeeping", state ? `${message} ${state}` : message, { cause: e });
    throw bookkeepingFailure(step2, error, e);
  }
  throw migrationFailure(job, failedAt, e, effect(job));
}
function effect(job) {
  if (job.run) return job.step.section.transaction ? "run-rolled-back" : "took-effect";
  return job.transactional ? "rolled-back" : "took-effect";
}

// src/run/fused.ts
var BATCH_STEPS = 50;
var BATCH_BYTES = 64 * 1024;
function fusedCheck(ctx, step2) {
  const protocol = ctx.driver.protocol;
  if (!protocol || !protocol.fuses(step2.section)) return null;
  return protocol.checkedChanges(ctx.store.checkedChanges(step2.versionChanges));
}
function batchEnd(driver, units, i) {
  let end = i;
  let bytes = 0;
  while (end < units.length && end - i < BATCH_STEPS) {
    const u = units[end];
    if (u.checked === null || u.statements.length > 1) break;
    bytes += u.step.section.sql.length;
    if (end > i && bytes > BATCH_BYTES) break;
    end++;
    if (driver.parsesWholeScript && u.statements.some((s) => driver.changesParsing(s.sql))) break;
  }
  return Math.max(end, i + 1);
}
function protocolOf(ctx) {
  const protocol = ctx.driver.protocol;
  if (!protocol) throw new Error("fused steps on a driver without a protocol");
  return protocol;
}
async function runFused(ctx, batch) {
  const { units } = batch;
  const started = Date.now();
  const trips = units.length > 1 ? [units.flatMap((_, k) => pieces(ctx, batch, k, 0))] : Array.from({ length: Math.max(1, units[0].statements.length) }, (_, i) => pieces(ctx, batch, 0, i));
  for (const trip of trips) {
    try {
      await ctx.trips.send(trip);
    } catch (e) {
      if (!(e instanceof ScriptFailure)) throw e;
      if (e.piece === null && !e.earlierRan && units.length > 1) {
        return runEach(ctx, batch);
      }
      const piece = e.piece ?? (units.length === 1 ? trip.find((p) => p.statement !== null) ?? null : null);
      return fusedFailure(ctx, batch, started, new ScriptFailure(piece, e.earlierRan, e.error));
    }
  }
  if (units.length === 1) return [stepRan(ctx, units[0].step, Date.now() - started, units[0].statements.length)];
  const durations = await ctx.store.recentDurations(units.length + 1).catch(() => /* @__PURE__ */ new Map());
  return units.map(({ step: step2, statements }) => stepRan(ctx, step2, durations.get(step2.revision.id) ?? 0, statements.length));
}
async function runEach(ctx, batch, k = batch.units.length) {
  const outcomes = [];
  for (let j = 0; j < k; j++) outcomes.push(...await runFused(ctx, single(batch, j)));
  return outcomes;
}
function single(batch, k) {
  return { units: [batch.units[k]], headsBefore: headsBefore(batch, k), startRecorded: k > 0 || batch.startRecorded, next: batch.units[k + 1]?.step ?? batch.next };
}
function headsBefore(batch, k) {
  return k === 0 ? batch.headsBefore : batch.units[k - 1].step.headsAfter;
}
function pieces(ctx, batch, k, i) {
  const u = batch.units[k];
  const own = ctx.store.statements;
  const next = batch.units[k + 1]?.step ?? batch.next;
  const context = { startRecorded: k > 0 || batch.startRecorded, next: next && fusedStep(ctx, next, [], "") };
  return protocolOf(ctx).trip(fusedStep(ctx, u.step, u.statements, u.checked), i, context).map((p) => ({ sql: p.sql, unit: k, statement: p.statement, own: p.role === null ? null : own[p.role], reached: p.reached }));
}
function fusedStep(ctx, step2, statements, checked) {
  const { store } = ctx;
  return {
    statements: statements.map((s) => s.sql),
    checked,
    finishedRow: (durationSql) => store.historyInsertSql(historyRow(ctx, step2, 0, null, null), { durationSql }),
    startedRow: () => startedRowSql(ctx, step2),
    reached: (statement) => store.reachedSql(step2.revision.id, statement),
    finishStarted: (durationSql) => store.finishHistorySql(step2.revision.id, durationSql)
  };
}
async function fusedFailure(ctx, batch, started, failure2) {
  await ctx.driver.rollback().catch(() => void 0);
  const k = await failingUnit(ctx, batch, failure2);
  if (!failure2.earlierRan && k > 0) {
    await runFused(ctx, { ...batch, units: batch.units.slice(0, k), next: batch.units[k].step });
  } else {
    for (const done of batch.units.slice(0, k)) ctx.log.info(`Running ${runningLine(done.step)}, ${done.step.revision.message} ... done`);
  }
  const { step: step2, statements } = batch.units[k];
  const failed2 = { step: step2, statements, headsBefore: headsBefore(batch, k) };
  const e = failure2.error;
  const mismatch = e instanceof DatabaseError ? ctx.store.checkedChangeFailure(e.message, step2.versionChanges) : null;
  const elapsed = Date.now() - started;
  if (!mismatch && failure2.piece?.own) return ownStatementFailed(ctx, failed2, failure2, elapsed);
  const failedAt = mismatch ? null : failure2.piece?.statement ?? null;
  const statement = failedAt ?? (statements.length > 0 && failure2.piece === null ? 1 : null);
  const message = (mismatch ?? e).message ?? String(e);
  await recordFusedFailure(ctx, historyRow(ctx, step2, elapsed, message, statement));
  throw migrationFailure(failed2, statement, mismatch ?? e, protocolOf(ctx).atomic ? "rolled-back" : "took-effect");
}
async function failingUnit(ctx, batch, failure2) {
  if (failure2.piece) return failure2.piece.unit;
  const heads = await ctx.store.readHeads().catch(() => null);
  const same2 = (a, b) => a.length === b.length && a.every((h) => b.includes(h));
  return Math.max(0, heads ? batch.units.findIndex((_, i) => same2(headsBefore(batch, i), heads)) : 0);
}
async function ownStatementFailed(ctx, failed2, failure2, elapsed) {
  const { store } = ctx;
  const own = failure2.piece.own;
  const reached = failure2.piece.reached;
  const atomic = protocolOf(ctx).atomic;
  const error = store.ownFailure(own, failure2.error, ownFailureState(failed2, reached, atomic));
  if ((atomic || reached === 0) && own.table !== store.statements.historyRow.table) {
    await recordFusedFailure(ctx, historyRow(ctx, failed2.step, elapsed, error.message, null));
  }
  throw bookkeepingFailure(failed2.step, error, failure2.error);
}
async function recordFusedFailure(ctx, row) {
  const finished = !protocolOf(ctx).atomic && await ctx.store.finishHistory(row.revision, false, row.durationMs ?? 0, row.errorMessage, row.failedStatement).catch(() => false);
  if (!finished) await recordFailure(ctx, row);
}

// src/run/execute.ts
async function executePlan(ctx, plan2) {
  if (plan2.steps.length === 0) return [];
  requireNativeSql(plan2, "run");
  await ctx.store.ensureTables(plan2.steps.map((s) => s.revision.id));
  if (ctx.settings.transaction !== "all" || !ctx.driver.transactionalDdl) return runSteps(ctx, plan2, null);
  const run = new RunTransaction(plan2.headsBefore);
  await ctx.driver.begin();
  try {
    const outcomes = await runSteps(ctx, plan2, run);
    await ctx.driver.commit();
    return outcomes;
  } catch (e) {
    throw await rolledBack(ctx, plan2, run, e);
  }
}
async function runSteps(ctx, plan2, run) {
  const { driver } = ctx;
  const units = plan2.steps.map((step2) => ({ step: step2, statements: driver.splitStatements(step2.section), checked: run ? null : fusedCheck(ctx, step2) }));
  const outcomes = [];
  let heads = plan2.headsBefore;
  for (let i = 0; i < units.length; ) {
    const end = batchEnd(driver, units, i);
    const unit = units[i];
    if (unit.checked !== null) {
      const startRecorded = i > 0 && units[i - 1].checked !== null && driver.protocol?.recordsNextStart === true;
      const next = units[end]?.checked ? units[end].step : null;
      outcomes.push(...await runFused(ctx, { units: units.slice(i, end), headsBefore: heads, startRecorded, next }));
    } else {
      const transactional = driver.transactionalDdl && unit.step.section.transaction;
      outcomes.push(await runApart(ctx, { step: unit.step, statements: unit.statements, headsBefore: heads, transactional, run }));
    }
    heads = units[end - 1].step.headsAfter;
    i = end;
  }
  return outcomes;
}
async function rolledBack(ctx, plan2, run, e) {
  await ctx.driver.rollback().catch(() => void 0);
  if (run.pendingFailure) await recordFailure(ctx, run.pendingFailure);
  run.pendingFailure = null;
  if (!(e instanceof RetortError && (e.code === "migration-failed" || e.code === "bookkeeping"))) return e;
  const stands = run.committed.join(", ") || "base";
  const outside = run.ranOutside.length ? ` The statements of ${run.ranOutside.join(", ")} (transaction:false) ran outside the transaction and took effect; the version table does not show them: check them, then 'retort stamp' the revision the database is at.` : "";
  const whole = run.committed === plan2.headsBefore ? "The whole run was rolled back" : "The run was rolled back to its last commit, before the transaction:false revision";
  return new RetortError(e.code, `${e.message} ${whole} (--transaction all): the database stays at ${stands}.${outside}`, {
    cause: e.cause,
    ...e.location ? { location: e.location } : {}
  });
}

// src/run/lock.ts
var POLL_MS = 250;
var DeployLock = class {
  ctx;
  /** The work lock's key while withLock runs. */
  workKey = null;
  constructor(ctx) {
    this.ctx = ctx;
  }
  /** Runs `fn` holding the deploy lock of this version table; waits up to the lock timeout. */
  async withLock(fn) {
    const { driver, settings, store } = this.ctx;
    const key2 = `retort:${await store.schema()}.${settings.versionTable.table}`;
    const deadline = Date.now() + settings.lockTimeoutSeconds * 1e3;
    if (driver.sharedLock) await this.acquire(key2, deadline);
    try {
      await this.waitForOrphanedWork(`${key2}:work`, deadline);
      this.workKey = `${key2}:work`;
      try {
        return await fn();
      } finally {
        this.workKey = null;
        await driver.unlock(`${key2}:work`, "main").catch(() => void 0);
      }
    } finally {
      await driver.unlock(key2).catch(() => void 0);
    }
  }
  /** Takes the deploy lock `key`, waiting for another deploy until `deadline`. */
  async acquire(key2, deadline) {
    const { driver, settings, log: log2 } = this.ctx;
    let announced = false;
    while (!await driver.tryLock(key2)) {
      const holder = await driver.lockHolder(key2);
      const who = holder ? `pid ${holder.pid}${holder.application ? `, '${holder.application}'` : ""}${holder.since ? `, since ${holder.since}` : ""}` : "another session";
      if (Date.now() >= deadline) {
        throw new RetortError(
          "lock-timeout",
          `Another deploy holds the migration lock on ${driver.target} (${who}); waited ${settings.lockTimeoutSeconds} s. Let it finish, or raise --lock-timeout.`
        );
      }
      if (!announced) {
        log2.info(`Waiting for the migration lock held by ${who} ...`);
        announced = true;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
  /** Runs `fn` while a client of its own (Alembic's connection) does the work instead of the
   *  main connection: the work lock is released from the main connection, `fn` gets its key to
   *  take on that client's connection, and afterwards the main connection takes it back,
   *  waiting (as the next run would, see waitForOrphanedWork) until nothing that client sent
   *  still runs. Only inside withLock; the deploy lock keeps every other run out meanwhile. */
  async handOverWork(fn) {
    const key2 = this.workKey;
    if (key2 === null) throw new Error("handOverWork outside withLock");
    await this.ctx.driver.unlock(key2, "main");
    let failed2 = false;
    try {
      return await fn(key2);
    } catch (e) {
      failed2 = true;
      throw e;
    } finally {
      const back = this.takeBackWork(key2);
      if (failed2) await back.catch(() => void 0);
      else await back;
    }
  }
  /** The client that had the work lock has just ended; the server lets go of its session a
   *  moment later, which is not worth a message. */
  async takeBackWork(key2) {
    for (const quiet2 = Date.now() + 2e3; Date.now() < quiet2; ) {
      if (await this.ctx.driver.tryLock(key2, "main")) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.waitForOrphanedWork(key2, Date.now() + this.ctx.settings.lockTimeoutSeconds * 1e3);
  }
  /** The connection that does the work holds a lock of its own. A killed run's lock connection
   *  goes away with the process at once, but the server may still be running what its main
   *  connection sent (a revision and its COMMIT travel together): the next run waits here until
   *  that has finished, so it never reads a state that is about to change. */
  async waitForOrphanedWork(key2, deadline) {
    const { driver, settings, log: log2 } = this.ctx;
    let announced = false;
    while (!await driver.tryLock(key2, "main")) {
      const holder = await driver.lockHolder(key2);
      const who = holder ? `server session ${holder.pid}` : "a server session";
      if (Date.now() >= deadline) {
        throw new RetortError(
          "lock-timeout",
          `A run that has ended left statements running on ${driver.target} (${who}); waited ${settings.lockTimeoutSeconds} s for them to finish. Let them finish, raise --lock-timeout, or end that session${holder ? ` (${driver.endSessionStatement(holder.pid)})` : ""}; the next run then explains where the database stands.`
        );
      }
      if (!announced) {
        log2.info(`Waiting for the statements a previous run left running (${who}) to finish ...`);
        announced = true;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
};

// src/run/runner.ts
var Runner = class {
  driver;
  graph;
  settings;
  store;
  ctx;
  lock;
  constructor(driver, graph, settings, log2) {
    this.driver = driver;
    this.graph = graph;
    this.settings = settings;
    this.store = new StateStore(driver, settings.versionTable, settings.historyTable, graph);
    this.ctx = { driver, graph, settings, store: this.store, log: log2, trips: new RoundTrips(driver, this.store) };
    this.lock = new DeployLock(this.ctx);
  }
  /** Runs `fn` holding the deploy lock of this version table; waits up to the lock timeout. */
  withLock(fn) {
    return this.lock.withLock(fn);
  }
  /** Runs `fn` while a client of its own (Alembic's connection) does the work instead of the
   *  main connection, with the key of the work lock to take there (see DeployLock). */
  handOverWork(fn) {
    return this.lock.handOverWork(fn);
  }
  /** The current heads (checked against the graph) and drift. Reads only. */
  readState() {
    return readState(this.ctx);
  }
  /** Reports drift; with `--on-drift fail`, refuses to go on. */
  enforceDrift(drift) {
    enforceDrift(this.ctx, drift);
  }
  /** Runs the steps of `plan`; on failure records it and throws a "migration-failed" error
   *  that says where the database stands. */
  execute(plan2) {
    return executePlan(this.ctx, plan2);
  }
  /** `resolve REV --applied|--rolled-back` (see admin.ts). */
  resolve(revision, applied) {
    return resolve9(this.ctx, revision, applied);
  }
  /** `stamp` (see admin.ts). */
  stamp(targets, purge) {
    return stamp(this.ctx, targets, purge);
  }
};

// src/commands/plan-result.ts
async function withAlembicReport(found, options, warn) {
  if (!found.plan.steps.some((s) => s.revision.alembic)) return found;
  const applied = found.outcomes.length > 0;
  let plan2 = found.plan;
  if (applied) {
    try {
      plan2 = await withAlembicSql(plan2, options, found.dialect, warn);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      warn(`The SQL of the revisions Alembic applied cannot be shown: ${why}`);
      plan2 = markUnrendered(plan2, `applied online by Alembic; its SQL could not be rendered offline for this report`);
    }
  }
  let undo = null;
  try {
    undo = await alembicUndo(found.graph, plan2, options, found.dialect);
  } catch (e) {
    if (!applied) throw e;
  }
  return { ...found, plan: plan2, alembicUndo: undo };
}
function undoOf(found, options) {
  if (found.alembicUndo === void 0) return { undoSql: undoSql(found.graph, found.plan, { dialect: found.dialect, versionTable: options.versionTable }) };
  if (found.alembicUndo === null) return { undoSql: null };
  return { undoSql: found.alembicUndo.sql, undoUnrendered: found.alembicUndo.plan.steps.filter((s) => s.section.unrendered) };
}
function planResultFor(found, options, what = { undo: true }) {
  const { graph, plan: plan2, dialect } = found;
  return planResult({
    database: found.database,
    migrations: projectFolder(graph, options),
    dialect,
    transactionalDdl: found.transactionalDdl,
    versionTable: options.versionTable,
    heads: graph.ids(graph.heads),
    headsVerdict: judgeHeads(graph, options.expectHeads, plan2.target),
    plan: plan2,
    drift: found.drift,
    ...what.undo ? undoOf(found, options) : { undoSql: null },
    outcomes: found.outcomes,
    offlineNote: found.offlineNote,
    versionNum: found.versionNum
  });
}

// src/commands/online.ts
async function withRunner(options, session, fn) {
  const graph = await loadGraphWith(options, { notice: session.notice, warn: session.log.warn });
  const driver = await openDriver({
    url: options.databaseUrl,
    target: connectionTarget(options),
    env: options.databaseEnv,
    ci: options.ci,
    waitSeconds: options.waitSeconds,
    applicationName: applicationName(options),
    notice: session.notice
  });
  try {
    const runner = new Runner(
      driver,
      graph,
      {
        migrations: options.migrations,
        versionTable: options.versionTable,
        historyTable: options.historyTable,
        lockTimeoutSeconds: options.lockTimeoutSeconds,
        onDrift: options.onDrift,
        transaction: options.transaction,
        identity: options.identity
      },
      session.log
    );
    return await fn(runner);
  } finally {
    await driver.close();
  }
}
function applicationName(options) {
  const run = options.identity.runUrl ? ` ${options.identity.runUrl.split("/").slice(-1)[0]}` : "";
  return `retort ${options.identity.retortVersion}${run}`.slice(0, 63);
}
async function current(options, session, json2) {
  return withRunner(options, session, async (runner) => {
    const { heads, drift } = await runner.withLock(() => runner.readState());
    if (json2) {
      return `${JSON.stringify(
        { database: runner.driver.target, current: heads, drift: drift.map((d) => d.revision) },
        null,
        2
      )}
`;
    }
    const g = runner.graph;
    const lines = heads.map((h) => revisionLine(g, g.nodeOf(h), {}));
    for (const d of drift) lines.push(`drift: ${describeDrift(d)}`);
    return lines.length ? `${lines.join("\n")}
` : "";
  });
}
function makePlan(graph, direction, heads, target) {
  return direction === "upgrade" ? planUpgrade(graph, heads, target) : planDowngrade(graph, heads, target);
}
function foundOnline(runner, plan2, drift, outcomes = []) {
  const { driver, graph } = runner;
  return { database: driver.target, offlineNote: null, dialect: driver.dialect, transactionalDdl: driver.transactionalDdl, graph, plan: plan2, drift, outcomes };
}
async function foundPlanned(runner, plan2, drift) {
  return { ...foundOnline(runner, plan2, drift), versionNum: await runner.store.versionNumRoom() };
}
async function runMigration(options, session, m) {
  return withRunner(
    options,
    session,
    (runner) => runner.withLock(async () => {
      const { heads, drift } = await runner.readState();
      let plan2 = makePlan(runner.graph, m.direction, heads, m.target);
      runner.enforceDrift(drift);
      if (m.dryRun) plan2 = await withAlembicSql(plan2, options, runner.driver.dialect, session.log.warn);
      if (m.dryRun) return { text: null, found: await foundPlanned(runner, plan2, drift) };
      if (plan2.steps.length === 0) return { text: `Nothing to do: the database is at ${heads.join(", ") || "base"}.
`, found: foundOnline(runner, plan2, drift) };
      const started = Date.now();
      const outcomes = plan2.steps.some((s) => s.revision.alembic) ? await applyAlembic(options, runner, plan2, session) : await runner.execute(plan2);
      const seconds2 = ((Date.now() - started) / 1e3).toFixed(2);
      const text2 = `${m.direction === "upgrade" ? "Upgraded" : "Downgraded"} ${runner.driver.target} from ${heads.join(", ") || "base"} to ${plan2.headsAfter.join(", ") || "base"}: ${outcomes.length} revision(s) in ${seconds2} s.
`;
      return { text: text2, found: foundOnline(runner, plan2, drift, outcomes) };
    })
  );
}
async function migrateResult(options, session, direction, target, dryRun) {
  const { text: text2, found } = await runMigration(options, session, { direction, target, dryRun });
  const result = planResultFor(await withAlembicReport(found, options, session.log.warn), options);
  return { text: text2 ?? renderPlan(result, "text"), result };
}
async function migrate(options, session, direction, target, dryRun) {
  const { text: text2, found } = await runMigration(options, session, { direction, target, dryRun });
  return text2 ?? renderPlan(planResultFor(found, options, { undo: false }), "text");
}
async function plan(options, session, target, format) {
  return withRunner(
    options,
    session,
    (runner) => runner.withLock(async () => {
      const { heads, drift } = await runner.readState();
      const planned = await withAlembicSql(planUpgrade(runner.graph, heads, target), options, runner.driver.dialect, session.log.warn);
      const result = planResultFor(await foundPlanned(runner, planned, drift), options, { undo: false });
      if (format === "json" || format === "sql") {
        for (const w of result.warnings) if (w.kind === "long-ids") session.log.warn(longIdsText(w.longIds));
      }
      return renderPlan(result, format);
    })
  );
}
async function stamp2(options, session, revisions, purge) {
  return withRunner(
    options,
    session,
    (runner) => runner.withLock(async () => {
      const { before, after } = await runner.stamp(revisions, purge);
      return `Stamped ${runner.driver.target}: ${before.join(", ") || "base"} -> ${after.join(", ") || "base"}
`;
    })
  );
}
async function check(options, session, target = "head") {
  return withRunner(
    options,
    session,
    (runner) => runner.withLock(async () => {
      const g = runner.graph;
      const problems = [];
      const verdict = judgeHeads(g, options.expectHeads, target);
      if (verdict) problems.push(`${projectFolder(g, options)} has ${headsProblem(verdict)}. ${headsAdvice(verdict)}`);
      const { heads, drift } = await runner.readState();
      if (!verdict) {
        const pending = planUpgrade(g, heads, target.trim() === "head" ? "heads" : target).steps;
        if (pending.length > 0) {
          problems.push(`${pending.length} revision(s) pending on ${runner.driver.target}: ${pending.map((s) => s.revision.id).join(", ")}`);
        }
      }
      for (const d of drift) problems.push(`drift: ${describeDrift(d)}`);
      if (problems.length > 0) throw new RetortError("check-failed", `check failed:
  ${problems.join("\n  ")}`);
      const headsText2 = g.heads.length > 1 ? `${g.heads.length} intended heads (${g.ids(g.heads).join(", ")})` : "one head";
      return `OK: ${runner.driver.target} is at ${heads.join(", ") || "base"}, nothing pending, ${headsText2}, no drift.
`;
    })
  );
}
async function log(options, session, limit, json2) {
  return withRunner(options, session, async (runner) => {
    const rows = await runner.store.readHistory(limit);
    const norm = rows.map((r) => ({
      id: Number(r.id),
      changed_at: isoUtc(r.changed_at),
      operation: `${r.operation_type ?? ""} ${r.operation_direction ?? ""}`.trim(),
      from: String(r.prev_alembic_version ?? ""),
      to: String(r.alembic_version ?? ""),
      revision: r.revision ?? null,
      duration_ms: r.duration_ms === null || r.duration_ms === void 0 ? null : Number(r.duration_ms),
      success: r.success === null || r.success === void 0 ? null : r.success === true || Number(r.success) === 1,
      error: r.error_message ?? null,
      actor: r.actor ?? null,
      commit_sha: r.commit_sha ?? null,
      run_url: r.run_url ?? null
    }));
    if (json2) return `${JSON.stringify({ database: runner.driver.target, history: norm }, null, 2)}
`;
    if (norm.length === 0) return `No history yet on ${runner.driver.target}.
`;
    return `${norm.map((h) => {
      const status = h.success === false ? `FAILED: ${h.error ?? ""}` : h.duration_ms === null ? "" : `${h.duration_ms} ms`;
      const who = [h.actor, h.commit_sha?.slice(0, 12)].filter(Boolean).join(" @ ");
      return `${h.changed_at ?? "?"}  ${h.operation.padEnd(14)} ${h.from || "base"} -> ${h.to || "base"}  ${status}${who ? `  (${who})` : ""}`;
    }).join("\n")}
`;
  });
}
async function applyAlembic(options, runner, plan2, session) {
  const target = connectionTarget(options);
  if (!target || target.scheme === "pglite") {
    throw new RetortError("usage", "Alembic cannot connect to the embedded PGlite database: give --database-url a postgresql:// or mysql:// URL.");
  }
  return applyWithAlembic(plan2, alembicRunnerFor(options, plan2), { url: connectionUrl(target), secrets: target.secrets }, runner, session.log);
}
async function planAndComment(options, session, target, format, environment, env) {
  const { result } = await migrateResult(options, session, "upgrade", target, true);
  const text2 = renderPlan(result, format);
  const { commentPlan, commentTargetFromEnv, describeDestination } = await import("./cli-chunks/publish-U3GV3LXY.js");
  const dest = commentTargetFromEnv(env);
  if (!dest) {
    session.log.warn(
      "--comment: no pull or merge request in this environment (GitLab CI needs CI_MERGE_REQUEST_IID, CI_API_V4_URL, CI_PROJECT_ID and RETORT_GITLAB_TOKEN or GITLAB_TOKEN; GitHub Actions a pull_request event and RETORT_GITHUB_TOKEN or GITHUB_TOKEN)."
    );
    return text2;
  }
  const frame = {
    environment,
    commitSha: env.GITHUB_SHA || env.CI_COMMIT_SHA || null,
    retortVersion: options.identity.retortVersion,
    detailsHint: "the job log"
  };
  const secrets = options.secrets;
  try {
    const { upsert, scrubbed } = await commentPlan(dest, { result, frame }, (body) => scrubSecrets(body, secrets));
    if (scrubbed) {
      session.log.warn(
        "the comment held a secret of the database URL, replaced by *** (if that text was not the secret, as a short or common password matches ordinary words, use a stronger password)."
      );
    }
    if (upsert.action === "forbidden") session.log.warn(`could not comment on ${describeDestination(dest)}: ${upsert.message ?? "forbidden"}`);
    else session.notice(`${describeDestination(dest)}: comment ${upsert.action}${upsert.url ? ` (${upsert.url})` : ""}`);
  } catch (e) {
    session.log.warn(`could not comment on ${describeDestination(dest)}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return text2;
}
async function resolve10(options, session, revision, applied) {
  return withRunner(options, session, (runner) => runner.withLock(() => runner.resolve(revision, applied)));
}

// src/commands/offline.ts
var OFFLINE_VERSION_NUM = { chars: VERSION_NUM_CHARS, source: "offline" };
function parseOfflineRange(direction, spec) {
  const colon = spec.indexOf(":");
  if (colon < 0) {
    if (direction === "downgrade") {
      throw new RetortError("usage", `downgrade with --sql requires <fromrev>:<torev> (got '${spec}'), e.g. 'downgrade head:-1 --sql'.`);
    }
    return { from: [], to: spec };
  }
  const from = spec.slice(0, colon).trim();
  const to = spec.slice(colon + 1).trim();
  if (to === "") throw new RetortError("usage", `'${spec}' has no target after ':'; write FROM:TO, e.g. 'base:head'.`);
  return { from: from === "" || from === "base" ? [] : from.split(",").map((s) => s.trim()), to };
}
function offlinePlan(graph, direction, spec) {
  const { from, to } = parseOfflineRange(direction, spec);
  const resolver = new Resolver(graph);
  const current2 = from.map((f) => {
    const node = resolver.getRevision(f);
    if (node === null) throw new RetortError("usage", `'${f}' in '${spec}' names no revision; use 'base' alone for an empty database.`);
    return graph.id(node);
  });
  return direction === "upgrade" ? planUpgrade(graph, current2, to) : planDowngrade(graph, current2, to);
}
async function offlineSqlResult(graph, options, direction, spec, warn = () => void 0) {
  const plan2 = await withAlembicSql(offlinePlan(graph, direction, spec), options, options.dialect, warn);
  requireNativeSql(plan2);
  const longIds = longIdsOf(plan2, OFFLINE_VERSION_NUM, options);
  if (longIds) warn(longIdsText(longIds));
  const sql = renderPlanSql(plan2, {
    dialect: options.dialect,
    versionTable: options.versionTable,
    transactionPerRevision: options.transactionPerRevision
  });
  const missing = plan2.steps.filter((s) => s.section.unrendered);
  const incomplete = missing.length === 0 ? null : new RetortError(
    "migration-failed",
    `the SQL above is incomplete: Alembic could not render ${missing.length} revision(s) offline (${missing.map((s) => `${s.revision.id} (${s.revision.path})`).join(", ")}); their ${direction}() source is printed in their place as '-- ' comments. Apply them online (retort ${direction} without --sql), or make them renderable offline (no results read from op.get_bind()).`
  );
  return { sql, incomplete };
}

// src/cli/database-commands.ts
function withDatabase(cmd) {
  for (const name of DATABASE_OPTIONS) cmd.addOption(settingOption(name));
  return cmd;
}
function registerDatabaseCommands(program2, cli) {
  for (const direction of ["upgrade", "downgrade"]) registerMigrate(program2, cli, direction);
  registerCurrent(program2, cli);
  registerPlan(program2, cli);
  registerBookkeeping(program2, cli);
}
function registerCurrent(program2, cli) {
  withDatabase(program2.command("current").description("show the database's current revisions").option("--json", 'print {"database", "current": [ids], "drift": [ids]}')).action(
    async (o, cmd) => cli.printAs(await current(cli.options(cmd), cli.session, Boolean(o.json)), o.json ? "json" : "text")
  );
}
function registerMigrate(program2, cli, direction) {
  const up = direction === "upgrade";
  withDatabase(
    program2.command(direction).description(
      up ? "upgrade the database to TARGET (default head); --sql prints the SQL instead (TARGET or FROM:TO)" : "downgrade the database to TARGET; --sql prints the SQL instead (FROM:TO)"
    ).argument(up ? "[target]" : "<target>", up ? "head, heads, an id, a label, X@head, +N, ...; with --sql also FROM:TO" : "base, an id, -N, X@-N, X@base, ...; with --sql FROM:TO").option("--dry-run", "read the database, print the plan, change nothing").option("--sql", "print the SQL instead of running it (offline mode: no database)").addOption(settingOption("dialect")).option("--transaction-per-revision", "--sql: BEGIN/COMMIT around each revision instead of the whole run").addOption(settingOption("transaction"))
  ).action(async (target, o, cmd) => {
    const t = targetOf(target, cli.inputs);
    if (o.sql) {
      const { sql, incomplete } = await offlineSqlResult(await cli.graphOf(cmd), cli.options(cmd), direction, t, cli.session.log.warn);
      cli.printAs(sql, "sql");
      if (incomplete) throw incomplete;
      return;
    }
    cli.print(await migrate(cli.options(cmd), cli.session, direction, t, Boolean(o.dryRun)));
  });
}
function registerPlan(program2, cli) {
  withDatabase(
    program2.command("plan").description("what upgrade TARGET would run against the database (default head)").argument("[target]", "upgrade target (default head; also RETORT_TARGET)").addOption(settingOption("format")).option("--comment", "also keep one comment with the plan on the pull/merge request (GitLab CI, or GitHub Actions)").addOption(settingOption("environment")).addOption(settingOption("expectHeads"))
  ).action(async (target, o, cmd) => {
    const t = targetOf(target, cli.inputs);
    const format = o.format;
    if (o.comment) cli.printAs(await planAndComment(cli.options(cmd), cli.session, t, format, o.environment, { ...cli.inputs.env }), format);
    else cli.printAs(await plan(cli.options(cmd), cli.session, t, format), format);
  });
}
function registerBookkeeping(program2, cli) {
  withDatabase(
    program2.command("stamp").description("set the version table to REVS without running any SQL").argument("<revs...>", "revisions (heads, base, ids, labels)").option("--purge", "empty the version table first")
  ).action(async (revs, o, cmd) => cli.print(await stamp2(cli.options(cmd), cli.session, revs, Boolean(o.purge))));
  withDatabase(
    program2.command("log").description("show the audit history: every step, who ran it, when, how long, and failures").addOption(settingOption("limit")).option("--json", 'print {"database", "history": [...]}')
  ).action(async (o, cmd) => {
    const limit = Number(o.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new RetortError("usage", `Invalid --limit '${o.limit}': give a whole number of rows.`);
    cli.printAs(await log(cli.options(cmd), cli.session, limit, Boolean(o.json)), o.json ? "json" : "text");
  });
  withDatabase(
    program2.command("resolve").description("record what happened to a revision whose run never finished (MySQL/MariaDB, transaction:false)").argument("<rev>", "the unfinished revision").option("--applied", "its statements all took effect (finish it by hand first if needed)").option("--rolled-back", "none of its statements remain (undo them by hand first if needed)")
  ).action(async (rev, o, cmd) => {
    if (Boolean(o.applied) === Boolean(o.rolledBack)) throw new RetortError("usage", "resolve needs exactly one of --applied or --rolled-back.");
    cli.print(await resolve10(cli.options(cmd), cli.session, rev, Boolean(o.applied)));
  });
  withDatabase(
    program2.command("check").description("exit 1 when revisions are pending, the directory has a head nobody intended, or applied revisions drifted").argument("[target]", "what the deploy upgrades to (default head; heads: one head per branch label; also RETORT_TARGET)").addOption(settingOption("expectHeads"))
  ).action(async (target, _o, cmd) => cli.print(await check(cli.options(cmd), cli.session, targetOf(target, cli.inputs))));
}

// src/commands/author.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import { existsSync as existsSync2, mkdirSync, writeFileSync } from "node:fs";
import { basename as basename4, isAbsolute as isAbsolute5, join as join9, relative as relative8, resolve as resolve11 } from "node:path";
function fileInside(dir, name) {
  const where = relative8(resolve11(dir), resolve11(dir, name));
  if (name === "" || basename4(name) !== name || where !== name || isAbsolute5(where) || name.startsWith(".") || /[/\\\0]/.test(name)) {
    throw new RetortError("usage", `The revision file name ${quoted(name)} would not be a file directly inside ${dir}; pass another --rev-id or message.`);
  }
  return join9(dir, name).split("\\").join("/");
}
function writeRevision(dir, spec, now = /* @__PURE__ */ new Date()) {
  checkSpec(spec);
  refuseAlembic(dir, spec);
  const revisions = existsSync2(dir) ? loadRevisions(dir) : [];
  const graph = RevisionGraph.build(revisions);
  const resolver = new Resolver(graph);
  const id = spec.revId ?? newRevisionId(randomBytes2(16).toString("hex"));
  const bad = invalidRevisionId(id);
  if (bad) throw new RetortError("usage", `--rev-id: ${bad}. ${REVISION_ID_RULE}.`);
  const heads = baseRevisions(graph, resolver, spec);
  const dependsOn = spec.dependsOn.map((d) => {
    const node = resolver.getRevision(d);
    if (node === null) throw new RetortError("usage", `--depends-on '${d}' names no revision.`);
    return graph.labelsOf(node).has(d) ? d : graph.id(node);
  });
  const text2 = renderRevisionFile({
    id,
    message: spec.message,
    downRevisions: graph.ids(heads),
    createDate: createDateOf(now),
    branchLabels: spec.branchLabels,
    dependsOn
  });
  const slug = slugify(spec.message);
  const name = slug ? `${id}_${slug}.sql` : `${id}_.sql`;
  const path = fileInside(dir, name);
  if (existsSync2(dir) && listRevisionFiles(dir).includes(name)) {
    throw new RetortError("usage", `${path} already exists; pass another --rev-id.`);
  }
  RevisionGraph.build([...revisions, parseRevisionFile(text2, path)]);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path, text2, { flag: "wx" });
  return path;
}
function refuseAlembic(dir, spec) {
  const options = spec.source ?? { migrations: dir };
  const config = options.alembicConfig?.trim() || null;
  const source = detectSource(options);
  if (source.kind !== "alembic") return;
  const alembic = `alembic${config ? ` -c ${config}` : ""}`;
  const command = spec.isMerge ? `${alembic} merge -m MSG ${spec.heads.join(" ")}` : `${alembic} revision -m MSG`;
  const what = config ? `--alembic-config ${config} names an Alembic project` : `${relative8(process.cwd(), source.scriptLocation) || "."} is an Alembic project`;
  throw new RetortError("usage", `${what}: create its revisions with '${command}' (retort writes native .sql revisions, and none into an Alembic project).`);
}
function checkSpec(spec) {
  if (spec.message.trim() === "") throw new RetortError("usage", "The message (-m) is empty; say what the revision does.");
  if (/^\s*migrate:/i.test(spec.message)) {
    throw new RetortError("usage", `The message ${quoted(spec.message)} would read as a section marker; do not start it with 'migrate:'.`);
  }
  if (/[\p{Cc}\p{Cf}]/u.test(spec.message.replace(/[\r\n\t]/g, ""))) {
    throw new RetortError("usage", `The message ${quoted(spec.message)} contains a control or invisible character; write plain text.`);
  }
  for (const label of spec.branchLabels) {
    const bad = invalidBranchLabel(label);
    if (bad) throw new RetortError("usage", `--branch-label: ${bad}.`);
  }
}
function baseRevisions(graph, resolver, spec) {
  let heads;
  try {
    heads = spec.heads.flatMap((h) => resolver.getRevisions(h));
  } catch (e) {
    if (e instanceof MultipleHeadsError && !spec.isMerge) {
      throw new RetortError(
        "multiple-heads",
        `Multiple heads are present; please specify the head revision on which the new revision should be based (--head REV), or perform a merge ('retort merge heads -m MSG'). Heads: ${e.heads.join(", ")}`
      );
    }
    throw e;
  }
  if (new Set(heads).size !== heads.length) throw new RetortError("usage", "Duplicate head revisions specified.");
  if (spec.splice) return heads;
  for (const h of heads) {
    if (!graph.isHead(h)) {
      throw new RetortError(
        "usage",
        spec.isMerge ? `Revision ${graph.id(h)} is not a head revision; merge joins heads only (see 'retort heads').` : `Revision ${graph.id(h)} is not a head revision; please specify --splice to create a new branch from this revision.`
      );
    }
  }
  return heads;
}
function createDateOf(now) {
  const pad = (n, w = 2) => String(n).padStart(w, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${pad(now.getMilliseconds(), 3)}000`;
}

// src/commands/inspect.ts
function headsNodes(graph, resolveDependencies) {
  return resolveDependencies ? graph.realHeads : graph.heads;
}
function headsText(graph, how) {
  const { verbose } = how;
  const nodes = headsNodes(graph, how.resolveDependencies);
  if (verbose) return revisionEntries(graph, nodes);
  return nodes.map((n) => revisionLine(graph, n, { includeBranches: true, treeIndicators: false })).join("\n");
}
function headsJson(graph, resolveDependencies) {
  return { heads: graph.ids(headsNodes(graph, resolveDependencies)) };
}
function parseRange(range) {
  if (range === void 0) return { start: null, end: null };
  const parts = range.trim().split(":");
  if (parts.length !== 2) {
    throw new RetortError("usage", `History range '${range}' is invalid: history range requires [start]:[end], [start]:, or :[end].`);
  }
  return { start: parts[0] || null, end: parts[1] || null };
}
function historyText(graph, range, verbose) {
  const { start, end } = parseRange(range);
  const nodes = historyOrder(graph, start, end);
  if (verbose) return revisionEntries(graph, nodes);
  return nodes.map((n) => revisionLine(graph, n, { includeBranches: true, includeDoc: true, includeParents: true })).join("\n");
}
function historyJson(graph, range) {
  const { start, end } = parseRange(range);
  return { revisions: historyOrder(graph, start, end).map((n) => revisionJson(graph, n)) };
}
function branchesText(graph, verbose) {
  const blocks = [];
  for (const n of historyOrder(graph, null, null)) {
    if (!graph.isBranchPoint(n)) continue;
    const pad = " ".repeat(graph.id(n).length);
    const lines = graph.children[n].map(
      (c) => `${pad} -> ${revisionLine(graph, c, { includeBranches: true, includeDoc: verbose })}`
    );
    blocks.push(`${verbose ? revisionEntry(graph, n) : revisionLine(graph, n, { includeBranches: true })}
${lines.join("\n")}
`);
  }
  return blocks.map((b) => `${b}
`).join("");
}
function showText(graph, rev) {
  const nodes = new Resolver(graph).getRevisions(rev);
  return nodes.length === 0 ? "" : revisionEntries(graph, nodes);
}

// src/cli/file-commands.ts
function registerFileCommands(program2, cli) {
  registerInspection(program2, cli);
  registerAuthoring(program2, cli);
}
function registerInspection(program2, cli) {
  program2.command("heads").description("show the head revisions (no revision revises them)").option("--json", 'print {"heads": [ids]}').option("--resolve-dependencies", "only heads that no revision depends on either").option("-v, --verbose", "full entries").action(async (o, cmd) => {
    const graph = await cli.graphOf(cmd);
    if (o.json) cli.printJson(headsJson(graph, Boolean(o.resolveDependencies)));
    else cli.print(headsText(graph, { resolveDependencies: Boolean(o.resolveDependencies), verbose: Boolean(o.verbose) }));
  });
  program2.command("branches").description("show branch points and the revisions they branch into").option("-v, --verbose", "full entries").action(async (o, cmd) => cli.print(branchesText(await cli.graphOf(cmd), Boolean(o.verbose))));
  program2.command("history").description("list revisions, newest first").option("-r, --rev-range <start:end>", "limit to a range, e.g. base:head, ae10:, :-1").option("-v, --verbose", "full entries").option("--json", 'print {"revisions": [...]}').action(async (o, cmd) => {
    const graph = await cli.graphOf(cmd);
    if (o.json) cli.printJson(historyJson(graph, o.revRange));
    else cli.print(historyText(graph, o.revRange, Boolean(o.verbose)));
  });
  program2.command("show").description("show one revision (an id, a prefix, a label, head, ...)").argument("<rev>", "revision").action(async (rev, _o, cmd) => {
    const text2 = showText(await cli.graphOf(cmd), rev);
    if (text2 === "") cli.session.notice(`${quoted(rev)} names no revision (base is before the first one): nothing to show, as with Alembic.`);
    cli.print(text2);
  });
}
function registerAuthoring(program2, cli) {
  program2.command("revision").description("write a new revision file").requiredOption("-m, --message <msg>", "the revision's message").option("--head <rev>", "build on this revision instead of head (base: a new root)", "head").option("--splice", "allow --head to name a revision that is not a head (starts a branch)").option("--branch-label <label>", "branch label(s) for the new revision (repeatable, comma separated)", collect, []).option("--depends-on <rev>", "revision(s) the new revision depends on (repeatable, comma separated)", collect, []).option("--rev-id <id>", "use this id instead of a random one").action((o, cmd) => {
    const path = writeRevision(cli.options(cmd).migrations, {
      message: o.message,
      heads: [o.head],
      branchLabels: o.branchLabel,
      dependsOn: o.dependsOn,
      revId: o.revId,
      splice: Boolean(o.splice),
      isMerge: false,
      source: cli.options(cmd)
    });
    cli.print(`Generating ${path} ...  done`);
  });
  program2.command("merge").description("write a revision that merges several heads").argument("<revs...>", "revisions to merge, or heads").requiredOption("-m, --message <msg>", "the revision's message").option("--branch-label <label>", "branch label(s) for the merge revision", collect, []).option("--rev-id <id>", "use this id instead of a random one").action((revs, o, cmd) => {
    const path = writeRevision(cli.options(cmd).migrations, {
      message: o.message,
      heads: revs,
      branchLabels: o.branchLabel,
      dependsOn: [],
      revId: o.revId,
      splice: false,
      isMerge: true,
      source: cli.options(cmd)
    });
    cli.print(`Generating ${path} ...  done`);
  });
}

// src/cli/program.ts
function buildProgram(output, inputs, version) {
  const program2 = new Command("retort");
  program2.description("Alembic-compatible database migrations for CI/CD.").version(version, "-V, --version", "print the version");
  for (const name of GLOBAL_OPTIONS) program2.addOption(settingOption(name));
  program2.showHelpAfterError("(run with --help for usage)").configureOutput({
    writeOut: output.out,
    writeErr: output.err,
    // Usage errors look like every other error: one line starting `retort: `.
    outputError: (text2, write) => write(`retort: ${text2.replace(/^error: /, "")}`)
  }).exitOverride();
  const cli = makeCli(output, inputs);
  registerFileCommands(program2, cli);
  registerDatabaseCommands(program2, cli);
  return program2;
}

// src/cli/main.ts
var VERSION = true ? "0.1.0" : "0.0.0-dev";
var EXIT_OK = 0;
var EXIT_FAILED = 1;
var EXIT_USAGE = 2;
async function main(argv, io) {
  const inputs = readCliInputs(argv, process.env, VERSION);
  const output = makeOutput(io, inputs);
  const program2 = buildProgram(output, inputs, VERSION);
  try {
    await program2.parseAsync(argv, { from: "user" });
    return EXIT_OK;
  } catch (e) {
    return failure(e, output, argv.includes("--debug"));
  }
}
function failure(e, output, debug) {
  if (e instanceof CommanderError) {
    return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (e instanceof RetortError) {
    output.err(`retort: ${e.message}
`);
    if (debug && e.stack) output.err(`${e.stack}
`);
    return RUN_FAILURES.has(e.code) ? EXIT_FAILED : EXIT_USAGE;
  }
  const message = e instanceof Error ? e.message : String(e);
  output.err(`retort: unexpected error: ${message}${debug ? "" : " (run with --debug for the stack trace)"}
`);
  if (debug && e instanceof Error && e.stack) output.err(`${e.stack}
`);
  return EXIT_FAILED;
}

// src/cli/index.ts
function stdoutIsLog() {
  try {
    const s = fstatSync(1);
    return !(s.isFile() || s.isCharacterDevice() && !process.stdout.isTTY);
  } catch {
    return true;
  }
}
process.exitCode = await main(process.argv.slice(2), {
  out: (text2) => process.stdout.write(text2),
  err: (text2) => process.stderr.write(text2),
  outIsLog: stdoutIsLog(),
  outIsTerminal: process.stdout.isTTY === true
});
