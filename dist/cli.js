#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __require = /* @__PURE__ */ ((x) => typeof require !== "undefined" ? require : typeof Proxy !== "undefined" ? new Proxy(x, {
  get: (a2, b) => (typeof require !== "undefined" ? require : a2)[b]
}) : x)(function(x) {
  if (typeof require !== "undefined") return require.apply(this, arguments);
  throw Error('Dynamic require of "' + x + '" is not supported');
});
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __commonJS = (cb, mod) => function __require2() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key2 of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key2) && key2 !== except)
        __defProp(to, key2, { get: () => from[key2], enumerable: !(desc = __getOwnPropDesc(from, key2)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

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
      constructor(exitCode, code, message) {
        super(message);
        Error.captureStackTrace(this, this.constructor);
        this.name = this.constructor.name;
        this.code = code;
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
          visibleCommands.sort((a2, b) => {
            return a2.name().localeCompare(b.name());
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
      compareOptions(a2, b) {
        const getSortKey = (option) => {
          return option.short ? option.short.replace(/^-/, "") : option.long.replace(/^--/, "");
        };
        return getSortKey(a2).localeCompare(getSortKey(b));
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
    function editDistance(a2, b) {
      if (Math.abs(a2.length - b.length) > maxDistance)
        return Math.max(a2.length, b.length);
      const d = [];
      for (let i2 = 0; i2 <= a2.length; i2++) {
        d[i2] = [i2];
      }
      for (let j = 0; j <= b.length; j++) {
        d[0][j] = j;
      }
      for (let j = 1; j <= b.length; j++) {
        for (let i2 = 1; i2 <= a2.length; i2++) {
          let cost = 1;
          if (a2[i2 - 1] === b[j - 1]) {
            cost = 0;
          } else {
            cost = 1;
          }
          d[i2][j] = Math.min(
            d[i2 - 1][j] + 1,
            // deletion
            d[i2][j - 1] + 1,
            // insertion
            d[i2 - 1][j - 1] + cost
            // substitution
          );
          if (i2 > 1 && j > 1 && a2[i2 - 1] === b[j - 2] && a2[i2 - 2] === b[j - 1]) {
            d[i2][j] = Math.min(d[i2][j], d[i2 - 2][j - 2] + 1);
          }
        }
      }
      return d[a2.length][b.length];
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
      similar.sort((a2, b) => a2.localeCompare(b));
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
    var EventEmitter2 = __require("node:events").EventEmitter;
    var childProcess = __require("node:child_process");
    var path6 = __require("node:path");
    var fs = __require("node:fs");
    var process10 = __require("node:process");
    var { Argument: Argument2, humanReadableArgName } = require_argument();
    var { CommanderError: CommanderError2 } = require_error();
    var { Help: Help2, stripColor } = require_help();
    var { Option: Option2, DualOptions } = require_option();
    var { suggestSimilar } = require_suggestSimilar();
    var Command2 = class _Command extends EventEmitter2 {
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
          writeOut: (str) => process10.stdout.write(str),
          writeErr: (str) => process10.stderr.write(str),
          outputError: (str, write) => write(str),
          getOutHelpWidth: () => process10.stdout.isTTY ? process10.stdout.columns : void 0,
          getErrHelpWidth: () => process10.stderr.isTTY ? process10.stderr.columns : void 0,
          getOutHasColors: () => useColor() ?? (process10.stdout.isTTY && process10.stdout.hasColors?.()),
          getErrHasColors: () => useColor() ?? (process10.stderr.isTTY && process10.stderr.hasColors?.()),
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
      _exit(exitCode, code, message) {
        if (this._exitCallback) {
          this._exitCallback(new CommanderError2(exitCode, code, message));
        }
        process10.exit(exitCode);
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
          if (process10.versions?.electron) {
            parseOptions.from = "electron";
          }
          const execArgv2 = process10.execArgv ?? [];
          if (execArgv2.includes("-e") || execArgv2.includes("--eval") || execArgv2.includes("-p") || execArgv2.includes("--print")) {
            parseOptions.from = "eval";
          }
        }
        if (argv === void 0) {
          argv = process10.argv;
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
            if (process10.defaultApp) {
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
          const localBin = path6.resolve(baseDir, baseName);
          if (fs.existsSync(localBin)) return localBin;
          if (sourceExt.includes(path6.extname(baseName))) return void 0;
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
          executableDir = path6.resolve(
            path6.dirname(resolvedScriptPath),
            executableDir
          );
        }
        if (executableDir) {
          let localFile = findFile(executableDir, executableFile);
          if (!localFile && !subcommand._executableFile && this._scriptPath) {
            const legacyName = path6.basename(
              this._scriptPath,
              path6.extname(this._scriptPath)
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
        launchWithNode = sourceExt.includes(path6.extname(executableFile));
        let proc;
        if (process10.platform !== "win32") {
          if (launchWithNode) {
            args.unshift(executableFile);
            args = incrementNodeInspectorPort(process10.execArgv).concat(args);
            proc = childProcess.spawn(process10.argv[0], args, { stdio: "inherit" });
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
          args = incrementNodeInspectorPort(process10.execArgv).concat(args);
          proc = childProcess.spawn(process10.execPath, args, { stdio: "inherit" });
        }
        if (!proc.killed) {
          const signals2 = ["SIGUSR1", "SIGUSR2", "SIGTERM", "SIGINT", "SIGHUP"];
          signals2.forEach((signal) => {
            process10.on(signal, () => {
              if (proc.killed === false && proc.exitCode === null) {
                proc.kill(signal);
              }
            });
          });
        }
        const exitCallback = this._exitCallback;
        proc.on("close", (code) => {
          code = code ?? 1;
          if (!exitCallback) {
            process10.exit(code);
          } else {
            exitCallback(
              new CommanderError2(
                code,
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
            process10.exit(1);
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
        this.registeredArguments.forEach((arg, i2) => {
          if (arg.required && this.args[i2] == null) {
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
        let i2 = 0;
        while (i2 < args.length || activeGroup) {
          const arg = activeGroup ?? args[i2++];
          activeGroup = null;
          if (arg === "--") {
            if (dest === unknown) dest.push(arg);
            dest.push(...args.slice(i2));
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
                const value = args[i2++];
                if (value === void 0) this.optionMissingArgument(option);
                this.emit(`option:${option.name()}`, value);
              } else if (option.optional) {
                let value = null;
                if (i2 < args.length && (!maybeOption(args[i2]) || negativeNumberArg(args[i2]))) {
                  value = args[i2++];
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
              unknown.push(...args.slice(i2));
              break;
            } else if (this._getHelpCommand() && arg === this._getHelpCommand().name()) {
              operands.push(arg, ...args.slice(i2));
              break;
            } else if (this._defaultCommandName) {
              unknown.push(arg, ...args.slice(i2));
              break;
            }
          }
          if (this._passThroughOptions) {
            dest.push(arg, ...args.slice(i2));
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
          for (let i2 = 0; i2 < len; i2++) {
            const key2 = this.options[i2].attributeName();
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
        const code = config.code || "commander.error";
        this._exit(exitCode, code, message);
      }
      /**
       * Apply any option related environment variables, if option does
       * not have a value from cli or client code.
       *
       * @private
       */
      _parseOptionsEnv() {
        this.options.forEach((option) => {
          if (option.envVar && option.envVar in process10.env) {
            const optionKey = option.attributeName();
            if (this.getOptionValue(optionKey) === void 0 || ["default", "config", "env"].includes(
              this.getOptionValueSource(optionKey)
            )) {
              if (option.required || option.optional) {
                this.emit(`optionEnv:${option.name()}`, process10.env[option.envVar]);
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
        this._name = path6.basename(filename, path6.extname(filename));
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
      executableDir(path7) {
        if (path7 === void 0) return this._executableDir;
        this._executableDir = path7;
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
        const text = helper.formatHelp(this, helper);
        if (context.hasColors) return text;
        return this._outputConfiguration.stripColor(text);
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
        let hasColors2;
        let helpWidth;
        if (error) {
          baseWrite = (str) => this._outputConfiguration.writeErr(str);
          hasColors2 = this._outputConfiguration.getErrHasColors();
          helpWidth = this._outputConfiguration.getErrHelpWidth();
        } else {
          baseWrite = (str) => this._outputConfiguration.writeOut(str);
          hasColors2 = this._outputConfiguration.getOutHasColors();
          helpWidth = this._outputConfiguration.getOutHelpWidth();
        }
        const write = (str) => {
          if (!hasColors2) str = this._outputConfiguration.stripColor(str);
          return baseWrite(str);
        };
        return { error, write, hasColors: hasColors2, helpWidth };
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
        let exitCode = Number(process10.exitCode ?? 0);
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
      addHelpText(position, text) {
        const allowedValues = ["beforeAll", "before", "after", "afterAll"];
        if (!allowedValues.includes(position)) {
          throw new Error(`Unexpected value for position to addHelpText.
Expecting one of '${allowedValues.join("', '")}'`);
        }
        const helpEvent = `${position}Help`;
        this.on(helpEvent, (context) => {
          let helpStr;
          if (typeof text === "function") {
            helpStr = text({ error: context.error, command: context.command });
          } else {
            helpStr = text;
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
      if (process10.env.NO_COLOR || process10.env.FORCE_COLOR === "0" || process10.env.FORCE_COLOR === "false")
        return false;
      if (process10.env.FORCE_COLOR || process10.env.CLICOLOR_FORCE !== void 0)
        return true;
      return void 0;
    }
    exports.Command = Command2;
    exports.useColor = useColor;
  }
});

// node_modules/commander/index.js
var require_commander = __commonJS({
  "node_modules/commander/index.js"(exports) {
    var { Argument: Argument2 } = require_argument();
    var { Command: Command2 } = require_command();
    var { CommanderError: CommanderError2, InvalidArgumentError: InvalidArgumentError2 } = require_error();
    var { Help: Help2 } = require_help();
    var { Option: Option2 } = require_option();
    exports.program = new Command2();
    exports.createCommand = (name) => new Command2(name);
    exports.createOption = (flags, description) => new Option2(flags, description);
    exports.createArgument = (name, description) => new Argument2(name, description);
    exports.Command = Command2;
    exports.Option = Option2;
    exports.Argument = Argument2;
    exports.Help = Help2;
    exports.CommanderError = CommanderError2;
    exports.InvalidArgumentError = InvalidArgumentError2;
    exports.InvalidOptionArgumentError = InvalidArgumentError2;
  }
});

// src/core/errors.ts
var RUN_FAILURES, RetortError, RevisionFileError;
var init_errors = __esm({
  "src/core/errors.ts"() {
    "use strict";
    RUN_FAILURES = /* @__PURE__ */ new Set(["connection", "state", "lock-timeout", "migration-failed", "check-failed"]);
    RetortError = class extends Error {
      code;
      location;
      constructor(code, message, options) {
        super(message, options);
        this.name = "RetortError";
        this.code = code;
        this.location = options?.location ?? null;
      }
    };
    RevisionFileError = class extends RetortError {
      file;
      line;
      constructor(file, line, message) {
        super("revision-file", `${file}:${line}: ${message}`, { location: { file, line } });
        this.name = "RevisionFileError";
        this.file = file;
        this.line = line;
      }
    };
  }
});

// node_modules/dbgate-query-splitter/lib/options.js
var require_options = __commonJS({
  "node_modules/dbgate-query-splitter/lib/options.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.firebirdSplitterOptions = exports.oracleSplitterOptions = exports.redisSplitterOptions = exports.noSplitSplitterOptions = exports.mongoSplitterOptions = exports.sqliteSplitterOptions = exports.postgreSplitterOptions = exports.mssqlSplitterOptions = exports.mysqlSplitterOptions = exports.defaultSplitterOptions = void 0;
    exports.defaultSplitterOptions = {
      stringsBegins: ["'", '"'],
      stringsEnds: { "'": "'", '"': '"' },
      stringEscapes: { "'": "'", '"': '"' },
      allowSemicolon: true,
      allowCustomDelimiter: false,
      allowCustomSqlTerminator: false,
      allowCustomSetTerm: false,
      allowGoDelimiter: false,
      allowSlashDelimiter: false,
      allowDollarDollarString: false,
      noSplit: false,
      skipSeparatorBeginEnd: false,
      keepSemicolonInCommands: false,
      doubleDashComments: true,
      multilineComments: true,
      javaScriptComments: false,
      returnRichInfo: false,
      splitByLines: false,
      splitByEmptyLine: false,
      preventSingleLineSplit: false,
      adaptiveGoSplit: false,
      ignoreComments: false,
      copyFromStdin: false,
      queryParameterStyle: null
    };
    exports.mysqlSplitterOptions = Object.assign(Object.assign({}, exports.defaultSplitterOptions), { allowCustomDelimiter: true, stringsBegins: ["'", "`", '"'], stringsEnds: { "'": "'", "`": "`", '"': '"' }, stringEscapes: { "'": "\\", "`": "`", '"': "\\" } });
    exports.mssqlSplitterOptions = Object.assign(Object.assign({}, exports.defaultSplitterOptions), { allowSemicolon: false, allowGoDelimiter: true, keepSemicolonInCommands: true, stringsBegins: ["'", "["], stringsEnds: { "'": "'", "[": "]" }, stringEscapes: { "'": "'" } });
    exports.postgreSplitterOptions = Object.assign(Object.assign({}, exports.defaultSplitterOptions), { allowDollarDollarString: true, stringsBegins: ["'", '"'], stringsEnds: { "'": "'", '"': '"' }, stringEscapes: { "'": "'", '"': '"' } });
    exports.sqliteSplitterOptions = Object.assign(Object.assign({}, exports.defaultSplitterOptions), { skipSeparatorBeginEnd: true, stringsBegins: ["'", '"'], stringsEnds: { "'": "'", '"': '"' }, stringEscapes: { "'": "'", '"': '"' } });
    exports.mongoSplitterOptions = Object.assign(Object.assign({}, exports.defaultSplitterOptions), { stringsBegins: ["'", '"'], stringsEnds: { "'": "'", '"': '"' }, stringEscapes: { "'": "\\", '"': "\\" } });
    exports.noSplitSplitterOptions = Object.assign(Object.assign({}, exports.defaultSplitterOptions), { noSplit: true });
    exports.redisSplitterOptions = Object.assign(Object.assign({}, exports.defaultSplitterOptions), { splitByLines: true });
    exports.oracleSplitterOptions = Object.assign(Object.assign({}, exports.defaultSplitterOptions), { allowCustomSqlTerminator: true, allowSlashDelimiter: true, stringsBegins: ["'", '"'], stringsEnds: { "'": "'", '"': '"' }, stringEscapes: { "'": "'", '"': '"' } });
    exports.firebirdSplitterOptions = Object.assign(Object.assign({}, exports.defaultSplitterOptions), { allowCustomSetTerm: true, skipSeparatorBeginEnd: true, queryParameterStyle: ":" });
  }
});

// node_modules/dbgate-query-splitter/lib/splitQuery.js
var require_splitQuery = __commonJS({
  "node_modules/dbgate-query-splitter/lib/splitQuery.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.splitQuery = exports.finishSplitStream = exports.getInitialDelimiter = exports.splitQueryLine = exports.scanToken = void 0;
    var options_1 = require_options();
    var SEMICOLON = ";";
    var BEGIN_EXTRA_KEYWORDS = ["DEFERRED", "IMMEDIATE", "EXCLUSIVE", "TRANSACTION"];
    var BEGIN_EXTRA_KEYWORDS_REGEX = new RegExp(`^(?:${BEGIN_EXTRA_KEYWORDS.join("|")})`, "i");
    var END_EXTRA_KEYWORDS = ["TRANSACTION", "IF"];
    var END_EXTRA_KEYWORDS_REGEX = new RegExp(`^(?:${END_EXTRA_KEYWORDS.join("|")})`, "i");
    function escapeRegExp(str) {
      return str.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }
    function movePosition(context, count2, isWhite) {
      let { source, position, line, column: column2, streamPosition } = context;
      while (count2 > 0) {
        if (source[position] == "\n") {
          line += 1;
          column2 = 0;
        } else {
          column2 += 1;
        }
        position += 1;
        streamPosition += 1;
        count2 -= 1;
      }
      context.position = position;
      context.streamPosition = streamPosition;
      context.line = line;
      context.column = column2;
      if (!context.wasDataInCommand) {
        if (isWhite) {
          context.trimCommandStartPosition = streamPosition;
          context.trimCommandStartLine = line;
          context.trimCommandStartColumn = column2;
        } else {
          context.wasDataInCommand = true;
        }
      }
      if (!isWhite) {
        context.noWhitePosition = streamPosition;
        context.noWhiteLine = line;
        context.noWhiteColumn = column2;
      }
    }
    var WHITESPACE_TOKEN = {
      type: "whitespace",
      length: 1
    };
    var EOLN_TOKEN = {
      type: "eoln",
      length: 1
    };
    var DATA_TOKEN = {
      type: "data",
      length: 1
    };
    function scanDollarQuotedString(context) {
      if (!context.options.allowDollarDollarString)
        return null;
      let pos = context.position;
      const s = context.source;
      const match = /^(\$[a-zA-Z0-9_]*\$)/.exec(s.slice(pos));
      if (!match)
        return null;
      const label = match[1];
      pos += label.length;
      while (pos < context.end) {
        if (s.slice(pos).startsWith(label)) {
          return {
            type: "string",
            length: pos + label.length - context.position
          };
        }
        pos++;
      }
      return null;
    }
    function scanToken(context) {
      var _a;
      let pos = context.position;
      const s = context.source;
      const ch = s[pos];
      if (context.isCopyFromStdin) {
        if (s.slice(pos).startsWith("\\.") && !context.wasDataOnLine) {
          return {
            type: "copy_stdin_end",
            length: 2
          };
        }
        let pos2 = pos;
        while (pos2 < context.end && s[pos2] != "\n")
          pos2++;
        if (pos2 < context.end && s[pos2] == "\n")
          pos2++;
        return {
          type: "copy_stdin_line",
          length: pos2 - pos
        };
      }
      if (context.options.stringsBegins.includes(ch)) {
        pos++;
        const endch = context.options.stringsEnds[ch];
        const escapech = context.options.stringEscapes[ch];
        while (pos < context.end) {
          if (s[pos] == endch) {
            break;
          }
          if (escapech && s[pos] == escapech) {
            pos += 2;
          } else {
            pos++;
          }
        }
        return {
          type: "string",
          length: pos - context.position + 1
        };
      }
      if (context.options.queryParameterStyle && ((_a = context.options.queryParameterStyle) === null || _a === void 0 ? void 0 : _a.length) == 1 && ch == context.options.queryParameterStyle && (context.options.queryParameterStyle == "?" || /[a-zA-Z0-9_]/.test(s[pos + 1]))) {
        pos++;
        if (context.options.queryParameterStyle != "?") {
          while (pos < context.end && /[a-zA-Z0-9_]/.test(s[pos]))
            pos++;
        }
        return {
          type: "parameter",
          value: s.slice(context.position, pos),
          length: pos - context.position
        };
      }
      const isInBeginEnd = context.options.skipSeparatorBeginEnd && context.beginEndIdentLevel > 0;
      if (context.currentDelimiter && s.slice(pos).startsWith(context.currentDelimiter) && !isInBeginEnd) {
        return {
          type: "delimiter",
          length: context.currentDelimiter.length
        };
      }
      if (ch == " " || ch == "	" || ch == "\r") {
        return WHITESPACE_TOKEN;
      }
      if (ch == "\n") {
        return EOLN_TOKEN;
      }
      if (context.options.doubleDashComments && ch == "-" && s[pos + 1] == "-") {
        while (pos < context.end && s[pos] != "\n")
          pos++;
        return {
          type: "comment",
          length: pos - context.position
        };
      }
      if (context.options.multilineComments && ch == "/" && s[pos + 1] == "*") {
        pos += 2;
        while (pos < context.end) {
          if (s[pos] == "*" && s[pos + 1] == "/")
            break;
          pos++;
        }
        return {
          type: "comment",
          length: pos - context.position + 2
        };
      }
      if (context.options.allowCustomDelimiter && !context.wasDataOnLine) {
        const m = s.slice(pos).match(/^DELIMITER[ \t]+([^\n]+)/i);
        if (m) {
          return {
            type: "set_delimiter",
            value: m[1].trim(),
            length: m[0].length
          };
        }
      }
      if (context.options.allowCustomSetTerm) {
        const firebirdPattern = new RegExp(`^SET[ \\t]+TERM[ \\t]+(\\S+)[ \\t]*${escapeRegExp(context.currentDelimiter || SEMICOLON)}`, "i");
        const firebirdMatch = s.slice(pos).match(firebirdPattern);
        if (firebirdMatch) {
          return {
            type: "set_sqlterminator",
            value: firebirdMatch[1],
            length: firebirdMatch[0].length
          };
        }
      }
      if (context.options.allowCustomSqlTerminator) {
        const m = s.slice(pos).match(/^SET[ \t]+SQLT(ERMINATOR)?[ \t]+(ON|OFF|".")/i);
        if (m) {
          if (m[2].toUpperCase() == "OFF") {
            return {
              type: "set_sqlterminator",
              value: null,
              length: m[0].length
            };
          }
          if (m[2].toUpperCase() == "ON") {
            return {
              type: "set_sqlterminator",
              value: SEMICOLON,
              length: m[0].length
            };
          }
          if (m[2].startsWith('"')) {
            return {
              type: "set_sqlterminator",
              value: m[2].slice(1, -1),
              length: m[0].length
            };
          }
        }
      }
      if ((context.options.allowGoDelimiter || context.options.adaptiveGoSplit) && !context.wasDataOnLine) {
        const m = s.slice(pos).match(/^GO[\t\r ]*(\n|$)/i);
        if (m) {
          return {
            type: "go_delimiter",
            length: m[0].endsWith("\n") ? m[0].length - 1 : m[0].length
          };
        }
      }
      if (context.options.allowSlashDelimiter && !context.wasDataOnLine) {
        const m = s.slice(pos).match(/^\/[\t\r ]*(\n|$)/i);
        if (m) {
          return {
            type: "slash_delimiter",
            length: m[0].endsWith("\n") ? m[0].length - 1 : m[0].length
          };
        }
      }
      if (context.options.adaptiveGoSplit) {
        const m = s.slice(pos).match(/^(CREATE|ALTER)\s*(PROCEDURE|FUNCTION|TRIGGER)/i);
        if (m) {
          return {
            type: "create_routine",
            length: m[0].length
          };
        }
      }
      if (context.options.copyFromStdin && !context.wasDataOnLine && s.slice(pos).startsWith("COPY ")) {
        return {
          type: "copy",
          length: 5
        };
      }
      if (context.isCopyFromStdinCandidate && s.slice(pos).startsWith("FROM stdin;")) {
        let pos2 = pos + "FROM stdin;".length;
        const pos0 = pos2 - 1;
        while (pos2 < context.end && s[pos2] != "\n")
          pos2++;
        if (s[pos2] == "\n")
          pos2++;
        return {
          type: "copy_stdin_start",
          length: pos2 - pos,
          lengthWithoutWhitespace: pos0 - pos
        };
      }
      if (context.options.skipSeparatorBeginEnd && s.slice(pos).match(/^begin/i)) {
        let pos2 = pos + "BEGIN".length;
        let pos0 = pos2;
        while (pos0 < context.end && /[^a-zA-Z0-9]/.test(s[pos0]))
          pos0++;
        if (!BEGIN_EXTRA_KEYWORDS_REGEX.test(s.slice(pos0))) {
          return {
            type: "begin",
            length: pos2 - pos,
            lengthWithoutWhitespace: pos0 - pos
          };
        }
      }
      if (context.options.skipSeparatorBeginEnd && s.slice(pos).match(/^end/i)) {
        let pos2 = pos + "END".length;
        let pos0 = pos2;
        while (pos0 < context.end && /[^a-zA-Z0-9]/.test(s[pos0]))
          pos0++;
        if (!END_EXTRA_KEYWORDS_REGEX.test(s.slice(pos0))) {
          return {
            type: "end",
            length: pos2 - pos
          };
        }
      }
      const dollarString = scanDollarQuotedString(context);
      if (dollarString)
        return dollarString;
      return DATA_TOKEN;
    }
    exports.scanToken = scanToken;
    function containsDataAfterDelimiterOnLine(context, delimiter2) {
      var _a;
      const cloned = {
        options: context.options,
        source: context.source,
        position: context.position,
        currentDelimiter: context.currentDelimiter,
        end: context.end,
        wasDataOnLine: context.wasDataOnLine,
        isCopyFromStdinCandidate: context.isCopyFromStdinCandidate,
        isCopyFromStdin: context.isCopyFromStdin,
        beginEndIdentLevel: context.beginEndIdentLevel
      };
      cloned.position += delimiter2.length;
      while (cloned.position < cloned.end) {
        const token = scanToken(cloned);
        if (!token) {
          cloned.position += 1;
          continue;
        }
        switch (token.type) {
          case "whitespace":
            cloned.position += token.length;
            continue;
          case "eoln":
            return false;
          case "comment":
            if ((_a = token.value) === null || _a === void 0 ? void 0 : _a.includes("\n"))
              return true;
            cloned.position += token.length;
            continue;
          default:
            return true;
        }
      }
    }
    function pushQuery(context, specialMarker) {
      context.commandPart += context.source.slice(context.currentCommandStart, context.position);
      pushCurrentQueryPart(context, specialMarker);
    }
    function pushCurrentQueryPart(context, specialMarker) {
      const trimmed = context.commandPart.substring(context.trimCommandStartPosition - context.commandStartPosition, context.noWhitePosition - context.commandStartPosition);
      if (trimmed.trim()) {
        if (context.options.returnRichInfo) {
          context.pushOutput({
            text: trimmed,
            start: {
              position: context.commandStartPosition,
              line: context.commandStartLine,
              column: context.commandStartColumn
            },
            end: {
              position: context.streamPosition,
              line: context.line,
              column: context.column
            },
            trimStart: {
              position: context.trimCommandStartPosition,
              line: context.trimCommandStartLine,
              column: context.trimCommandStartColumn
            },
            trimEnd: {
              position: context.noWhitePosition,
              line: context.noWhiteLine,
              column: context.noWhiteColumn
            },
            specialMarker
          });
        } else {
          context.pushOutput(trimmed);
        }
      }
    }
    function markStartCommand(context) {
      context.commandStartPosition = context.streamPosition;
      context.commandStartLine = context.line;
      context.commandStartColumn = context.column;
      context.trimCommandStartPosition = context.streamPosition;
      context.trimCommandStartLine = context.line;
      context.trimCommandStartColumn = context.column;
      context.wasDataInCommand = false;
    }
    function splitByLines(context) {
      while (context.position < context.end) {
        if (context.source[context.position] == "\n") {
          pushQuery(context);
          context.commandPart = "";
          movePosition(context, 1, true);
          context.currentCommandStart = context.position;
          markStartCommand(context);
        } else {
          movePosition(context, 1, /\s/.test(context.source[context.position]));
        }
      }
      if (context.end > context.currentCommandStart) {
        context.commandPart += context.source.slice(context.currentCommandStart, context.position);
      }
    }
    function splitQueryLine(context) {
      if (context.options.splitByLines) {
        splitByLines(context);
        return;
      }
      while (context.position < context.end) {
        const token = scanToken(context);
        if (!token) {
          movePosition(context, 1, false);
          continue;
        }
        switch (token.type) {
          case "string":
            movePosition(context, token.length, false);
            context.wasDataOnLine = true;
            break;
          case "comment":
            movePosition(context, token.length, !!context.options.ignoreComments);
            context.wasDataOnLine = true;
            break;
          case "eoln":
            if (!context.wasDataOnLine && context.options.splitByEmptyLine) {
              pushQuery(context);
              context.commandPart = "";
              movePosition(context, token.length, false);
              context.currentCommandStart = context.position;
              context.wasDataOnLine = false;
              markStartCommand(context);
              break;
            }
            movePosition(context, token.length, true);
            context.wasDataOnLine = false;
            break;
          case "data":
            movePosition(context, token.length, false);
            context.wasDataOnLine = true;
            break;
          case "parameter":
            movePosition(context, token.length, false);
            context.wasDataOnLine = true;
            break;
          case "whitespace":
            movePosition(context, token.length, true);
            break;
          case "set_delimiter":
          case "set_sqlterminator":
            pushQuery(context);
            context.commandPart = "";
            context.currentDelimiter = token.value;
            movePosition(context, token.length, false);
            context.currentCommandStart = context.position;
            markStartCommand(context);
            break;
          case "go_delimiter":
            pushQuery(context);
            context.commandPart = "";
            movePosition(context, token.length, false);
            context.currentCommandStart = context.position;
            markStartCommand(context);
            if (context.options.adaptiveGoSplit) {
              context.currentDelimiter = SEMICOLON;
            }
            break;
          case "slash_delimiter":
            pushQuery(context);
            context.commandPart = "";
            movePosition(context, token.length, false);
            context.currentCommandStart = context.position;
            markStartCommand(context);
            break;
          case "create_routine":
            movePosition(context, token.length, false);
            if (context.options.adaptiveGoSplit) {
              context.currentDelimiter = null;
            }
            break;
          case "copy":
            movePosition(context, token.length, false);
            context.isCopyFromStdinCandidate = true;
            context.wasDataOnLine = true;
            break;
          case "copy_stdin_start":
            movePosition(context, token.lengthWithoutWhitespace, false);
            movePosition(context, token.length - token.lengthWithoutWhitespace, true);
            context.isCopyFromStdin = true;
            context.isCopyFromStdinCandidate = false;
            context.wasDataOnLine = false;
            pushQuery(context, "copy_stdin_start");
            context.commandPart = "";
            context.currentCommandStart = context.position;
            markStartCommand(context);
            break;
          case "copy_stdin_line":
            movePosition(context, token.length, false);
            context.isCopyFromStdin = true;
            context.isCopyFromStdinCandidate = false;
            pushQuery(context, "copy_stdin_line");
            context.commandPart = "";
            context.currentCommandStart = context.position;
            markStartCommand(context);
            break;
          case "copy_stdin_end":
            movePosition(context, token.length, false);
            context.isCopyFromStdin = false;
            context.wasDataOnLine = true;
            pushQuery(context, "copy_stdin_end");
            context.commandPart = "";
            context.currentCommandStart = context.position;
            markStartCommand(context);
            break;
          case "delimiter":
            if (context.options.preventSingleLineSplit && containsDataAfterDelimiterOnLine(context, token)) {
              movePosition(context, token.length, false);
              context.wasDataOnLine = true;
              break;
            }
            if (context.options.keepSemicolonInCommands && context.currentDelimiter === SEMICOLON) {
              movePosition(context, 1, false);
              pushQuery(context);
            } else {
              pushQuery(context);
              movePosition(context, token.length, false);
            }
            context.commandPart = "";
            context.currentCommandStart = context.position;
            markStartCommand(context);
            context.isCopyFromStdinCandidate = false;
            break;
          case "begin":
            if (context.options.skipSeparatorBeginEnd) {
              context.beginEndIdentLevel++;
            }
            movePosition(context, token.length, false);
            break;
          case "end":
            if (context.options.skipSeparatorBeginEnd && context.beginEndIdentLevel > 0) {
              context.beginEndIdentLevel--;
            }
            movePosition(context, token.length, false);
            break;
        }
      }
      if (context.end > context.currentCommandStart) {
        context.commandPart += context.source.slice(context.currentCommandStart, context.position);
      }
    }
    exports.splitQueryLine = splitQueryLine;
    function getInitialDelimiter(options) {
      if (options === null || options === void 0 ? void 0 : options.adaptiveGoSplit)
        return SEMICOLON;
      return (options === null || options === void 0 ? void 0 : options.allowSemicolon) === false ? null : SEMICOLON;
    }
    exports.getInitialDelimiter = getInitialDelimiter;
    function finishSplitStream(context) {
      pushCurrentQueryPart(context);
    }
    exports.finishSplitStream = finishSplitStream;
    function splitQuery2(sql, options = null) {
      var _a;
      const usedOptions = Object.assign(Object.assign({}, options_1.defaultSplitterOptions), options);
      if (usedOptions.noSplit) {
        if (usedOptions.returnRichInfo) {
          const lines = sql.split("\n");
          return [
            {
              text: sql,
              start: {
                position: 0,
                line: 0,
                column: 0
              },
              end: {
                position: sql.length,
                line: lines.length,
                column: ((_a = lines[lines.length - 1]) === null || _a === void 0 ? void 0 : _a.length) || 0
              }
            }
          ];
        }
        return [sql];
      }
      const output = [];
      const context = {
        source: sql,
        end: sql.length,
        currentDelimiter: getInitialDelimiter(options),
        position: 0,
        column: 0,
        line: 0,
        currentCommandStart: 0,
        commandStartLine: 0,
        commandStartColumn: 0,
        commandStartPosition: 0,
        streamPosition: 0,
        noWhiteLine: 0,
        noWhiteColumn: 0,
        noWhitePosition: 0,
        trimCommandStartPosition: 0,
        trimCommandStartLine: 0,
        trimCommandStartColumn: 0,
        beginEndIdentLevel: 0,
        wasDataInCommand: false,
        isCopyFromStdin: false,
        isCopyFromStdinCandidate: false,
        pushOutput: (cmd) => output.push(cmd),
        wasDataOnLine: false,
        options: usedOptions,
        commandPart: ""
      };
      splitQueryLine(context);
      finishSplitStream(context);
      return output;
    }
    exports.splitQuery = splitQuery2;
  }
});

// node_modules/dbgate-query-splitter/lib/queryParamHandler.js
var require_queryParamHandler = __commonJS({
  "node_modules/dbgate-query-splitter/lib/queryParamHandler.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.replaceQueryParameters = exports.extractQueryParameters = void 0;
    var splitQuery_1 = require_splitQuery();
    function createParameterizerContext(sql, options) {
      return {
        options,
        source: sql,
        position: 0,
        currentDelimiter: (0, splitQuery_1.getInitialDelimiter)(options),
        end: sql.length,
        wasDataOnLine: false,
        isCopyFromStdin: false,
        isCopyFromStdinCandidate: false,
        beginEndIdentLevel: 0
      };
    }
    function extractQueryParameters(sql, options) {
      if (!sql || !options) {
        return [];
      }
      const context = createParameterizerContext(sql, options);
      const res = /* @__PURE__ */ new Set();
      while (context.position < context.end) {
        const token = (0, splitQuery_1.scanToken)(context);
        if (token === null) {
          break;
        }
        if (token.type === "parameter") {
          if (token.value == "?") {
            res.add(`?${res.size + 1}`);
          } else {
            res.add(token.value);
          }
        }
        context.position += token.length;
      }
      return Array.from(res);
    }
    exports.extractQueryParameters = extractQueryParameters;
    function replaceQueryParameters(sql, params, options) {
      if (!sql || !options) {
        return sql;
      }
      const context = createParameterizerContext(sql, options);
      let res = "";
      let questionParamCounter = 0;
      while (context.position < context.end) {
        const token = (0, splitQuery_1.scanToken)(context);
        if (token === null) {
          break;
        }
        if (token.type === "parameter") {
          const paramName = token.value == "?" ? `?${++questionParamCounter}` : token.value;
          if (params[paramName]) {
            res += params[paramName];
          } else {
            res += sql.substring(context.position, context.position + token.length);
          }
        } else {
          res += sql.substring(context.position, context.position + token.length);
        }
        context.position += token.length;
      }
      return res;
    }
    exports.replaceQueryParameters = replaceQueryParameters;
  }
});

// node_modules/dbgate-query-splitter/lib/index.js
var require_lib = __commonJS({
  "node_modules/dbgate-query-splitter/lib/index.js"(exports) {
    "use strict";
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o2, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o2, k2, desc);
    }) : (function(o2, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o2[k2] = m[k];
    }));
    var __exportStar = exports && exports.__exportStar || function(m, exports2) {
      for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports2, p)) __createBinding(exports2, m, p);
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.replaceQueryParameters = exports.extractQueryParameters = exports.splitQuery = void 0;
    var splitQuery_1 = require_splitQuery();
    Object.defineProperty(exports, "splitQuery", { enumerable: true, get: function() {
      return splitQuery_1.splitQuery;
    } });
    var queryParamHandler_1 = require_queryParamHandler();
    Object.defineProperty(exports, "extractQueryParameters", { enumerable: true, get: function() {
      return queryParamHandler_1.extractQueryParameters;
    } });
    Object.defineProperty(exports, "replaceQueryParameters", { enumerable: true, get: function() {
      return queryParamHandler_1.replaceQueryParameters;
    } });
    __exportStar(require_options(), exports);
  }
});

// src/db/driver.ts
var DatabaseError;
var init_driver = __esm({
  "src/db/driver.ts"() {
    "use strict";
    DatabaseError = class extends Error {
      code;
      position;
      constructor(message, code, position) {
        super(message);
        this.name = "DatabaseError";
        this.code = code;
        this.position = position;
      }
    };
  }
});

// node_modules/isexe/windows.js
var require_windows = __commonJS({
  "node_modules/isexe/windows.js"(exports, module) {
    module.exports = isexe;
    isexe.sync = sync;
    var fs = __require("fs");
    function checkPathExt(path6, options) {
      var pathext = options.pathExt !== void 0 ? options.pathExt : process.env.PATHEXT;
      if (!pathext) {
        return true;
      }
      pathext = pathext.split(";");
      if (pathext.indexOf("") !== -1) {
        return true;
      }
      for (var i2 = 0; i2 < pathext.length; i2++) {
        var p = pathext[i2].toLowerCase();
        if (p && path6.substr(-p.length).toLowerCase() === p) {
          return true;
        }
      }
      return false;
    }
    function checkStat(stat2, path6, options) {
      if (!stat2.isSymbolicLink() && !stat2.isFile()) {
        return false;
      }
      return checkPathExt(path6, options);
    }
    function isexe(path6, options, cb) {
      fs.stat(path6, function(er, stat2) {
        cb(er, er ? false : checkStat(stat2, path6, options));
      });
    }
    function sync(path6, options) {
      return checkStat(fs.statSync(path6), path6, options);
    }
  }
});

// node_modules/isexe/mode.js
var require_mode = __commonJS({
  "node_modules/isexe/mode.js"(exports, module) {
    module.exports = isexe;
    isexe.sync = sync;
    var fs = __require("fs");
    function isexe(path6, options, cb) {
      fs.stat(path6, function(er, stat2) {
        cb(er, er ? false : checkStat(stat2, options));
      });
    }
    function sync(path6, options) {
      return checkStat(fs.statSync(path6), options);
    }
    function checkStat(stat2, options) {
      return stat2.isFile() && checkMode(stat2, options);
    }
    function checkMode(stat2, options) {
      var mod = stat2.mode;
      var uid = stat2.uid;
      var gid = stat2.gid;
      var myUid = options.uid !== void 0 ? options.uid : process.getuid && process.getuid();
      var myGid = options.gid !== void 0 ? options.gid : process.getgid && process.getgid();
      var u2 = parseInt("100", 8);
      var g = parseInt("010", 8);
      var o2 = parseInt("001", 8);
      var ug = u2 | g;
      var ret = mod & o2 || mod & g && gid === myGid || mod & u2 && uid === myUid || mod & ug && myUid === 0;
      return ret;
    }
  }
});

// node_modules/isexe/index.js
var require_isexe = __commonJS({
  "node_modules/isexe/index.js"(exports, module) {
    var fs = __require("fs");
    var core;
    if (process.platform === "win32" || global.TESTING_WINDOWS) {
      core = require_windows();
    } else {
      core = require_mode();
    }
    module.exports = isexe;
    isexe.sync = sync;
    function isexe(path6, options, cb) {
      if (typeof options === "function") {
        cb = options;
        options = {};
      }
      if (!cb) {
        if (typeof Promise !== "function") {
          throw new TypeError("callback not provided");
        }
        return new Promise(function(resolve3, reject) {
          isexe(path6, options || {}, function(er, is) {
            if (er) {
              reject(er);
            } else {
              resolve3(is);
            }
          });
        });
      }
      core(path6, options || {}, function(er, is) {
        if (er) {
          if (er.code === "EACCES" || options && options.ignoreErrors) {
            er = null;
            is = false;
          }
        }
        cb(er, is);
      });
    }
    function sync(path6, options) {
      try {
        return core.sync(path6, options || {});
      } catch (er) {
        if (options && options.ignoreErrors || er.code === "EACCES") {
          return false;
        } else {
          throw er;
        }
      }
    }
  }
});

// node_modules/which/which.js
var require_which = __commonJS({
  "node_modules/which/which.js"(exports, module) {
    var isWindows = process.platform === "win32" || process.env.OSTYPE === "cygwin" || process.env.OSTYPE === "msys";
    var path6 = __require("path");
    var COLON = isWindows ? ";" : ":";
    var isexe = require_isexe();
    var getNotFoundError = (cmd) => Object.assign(new Error(`not found: ${cmd}`), { code: "ENOENT" });
    var getPathInfo = (cmd, opt) => {
      const colon = opt.colon || COLON;
      const pathEnv = cmd.match(/\//) || isWindows && cmd.match(/\\/) ? [""] : [
        // windows always checks the cwd first
        ...isWindows ? [process.cwd()] : [],
        ...(opt.path || process.env.PATH || /* istanbul ignore next: very unusual */
        "").split(colon)
      ];
      const pathExtExe = isWindows ? opt.pathExt || process.env.PATHEXT || ".EXE;.CMD;.BAT;.COM" : "";
      const pathExt = isWindows ? pathExtExe.split(colon) : [""];
      if (isWindows) {
        if (cmd.indexOf(".") !== -1 && pathExt[0] !== "")
          pathExt.unshift("");
      }
      return {
        pathEnv,
        pathExt,
        pathExtExe
      };
    };
    var which = (cmd, opt, cb) => {
      if (typeof opt === "function") {
        cb = opt;
        opt = {};
      }
      if (!opt)
        opt = {};
      const { pathEnv, pathExt, pathExtExe } = getPathInfo(cmd, opt);
      const found = [];
      const step = (i2) => new Promise((resolve3, reject) => {
        if (i2 === pathEnv.length)
          return opt.all && found.length ? resolve3(found) : reject(getNotFoundError(cmd));
        const ppRaw = pathEnv[i2];
        const pathPart = /^".*"$/.test(ppRaw) ? ppRaw.slice(1, -1) : ppRaw;
        const pCmd = path6.join(pathPart, cmd);
        const p = !pathPart && /^\.[\\\/]/.test(cmd) ? cmd.slice(0, 2) + pCmd : pCmd;
        resolve3(subStep(p, i2, 0));
      });
      const subStep = (p, i2, ii) => new Promise((resolve3, reject) => {
        if (ii === pathExt.length)
          return resolve3(step(i2 + 1));
        const ext = pathExt[ii];
        isexe(p + ext, { pathExt: pathExtExe }, (er, is) => {
          if (!er && is) {
            if (opt.all)
              found.push(p + ext);
            else
              return resolve3(p + ext);
          }
          return resolve3(subStep(p, i2, ii + 1));
        });
      });
      return cb ? step(0).then((res) => cb(null, res), cb) : step(0);
    };
    var whichSync = (cmd, opt) => {
      opt = opt || {};
      const { pathEnv, pathExt, pathExtExe } = getPathInfo(cmd, opt);
      const found = [];
      for (let i2 = 0; i2 < pathEnv.length; i2++) {
        const ppRaw = pathEnv[i2];
        const pathPart = /^".*"$/.test(ppRaw) ? ppRaw.slice(1, -1) : ppRaw;
        const pCmd = path6.join(pathPart, cmd);
        const p = !pathPart && /^\.[\\\/]/.test(cmd) ? cmd.slice(0, 2) + pCmd : pCmd;
        for (let j = 0; j < pathExt.length; j++) {
          const cur = p + pathExt[j];
          try {
            const is = isexe.sync(cur, { pathExt: pathExtExe });
            if (is) {
              if (opt.all)
                found.push(cur);
              else
                return cur;
            }
          } catch (ex) {
          }
        }
      }
      if (opt.all && found.length)
        return found;
      if (opt.nothrow)
        return null;
      throw getNotFoundError(cmd);
    };
    module.exports = which;
    which.sync = whichSync;
  }
});

// node_modules/path-key/index.js
var require_path_key = __commonJS({
  "node_modules/path-key/index.js"(exports, module) {
    "use strict";
    var pathKey2 = (options = {}) => {
      const environment = options.env || process.env;
      const platform2 = options.platform || process.platform;
      if (platform2 !== "win32") {
        return "PATH";
      }
      return Object.keys(environment).reverse().find((key2) => key2.toUpperCase() === "PATH") || "Path";
    };
    module.exports = pathKey2;
    module.exports.default = pathKey2;
  }
});

// node_modules/cross-spawn/lib/util/resolveCommand.js
var require_resolveCommand = __commonJS({
  "node_modules/cross-spawn/lib/util/resolveCommand.js"(exports, module) {
    "use strict";
    var path6 = __require("path");
    var which = require_which();
    var getPathKey = require_path_key();
    function resolveCommandAttempt(parsed, withoutPathExt) {
      const env = parsed.options.env || process.env;
      const cwd = process.cwd();
      const hasCustomCwd = parsed.options.cwd != null;
      const shouldSwitchCwd = hasCustomCwd && process.chdir !== void 0 && !process.chdir.disabled;
      if (shouldSwitchCwd) {
        try {
          process.chdir(parsed.options.cwd);
        } catch (err) {
        }
      }
      let resolved;
      try {
        resolved = which.sync(parsed.command, {
          path: env[getPathKey({ env })],
          pathExt: withoutPathExt ? path6.delimiter : void 0
        });
      } catch (e) {
      } finally {
        if (shouldSwitchCwd) {
          process.chdir(cwd);
        }
      }
      if (resolved) {
        resolved = path6.resolve(hasCustomCwd ? parsed.options.cwd : "", resolved);
      }
      return resolved;
    }
    function resolveCommand(parsed) {
      return resolveCommandAttempt(parsed) || resolveCommandAttempt(parsed, true);
    }
    module.exports = resolveCommand;
  }
});

// node_modules/cross-spawn/lib/util/escape.js
var require_escape = __commonJS({
  "node_modules/cross-spawn/lib/util/escape.js"(exports, module) {
    "use strict";
    var metaCharsRegExp = /([()\][%!^"`<>&|;, *?])/g;
    function escapeCommand(arg) {
      arg = arg.replace(metaCharsRegExp, "^$1");
      return arg;
    }
    function escapeArgument(arg, doubleEscapeMetaChars) {
      arg = `${arg}`;
      arg = arg.replace(/(?=(\\+?)?)\1"/g, '$1$1\\"');
      arg = arg.replace(/(?=(\\+?)?)\1$/, "$1$1");
      arg = `"${arg}"`;
      arg = arg.replace(metaCharsRegExp, "^$1");
      if (doubleEscapeMetaChars) {
        arg = arg.replace(metaCharsRegExp, "^$1");
      }
      return arg;
    }
    module.exports.command = escapeCommand;
    module.exports.argument = escapeArgument;
  }
});

// node_modules/shebang-regex/index.js
var require_shebang_regex = __commonJS({
  "node_modules/shebang-regex/index.js"(exports, module) {
    "use strict";
    module.exports = /^#!(.*)/;
  }
});

// node_modules/shebang-command/index.js
var require_shebang_command = __commonJS({
  "node_modules/shebang-command/index.js"(exports, module) {
    "use strict";
    var shebangRegex = require_shebang_regex();
    module.exports = (string = "") => {
      const match = string.match(shebangRegex);
      if (!match) {
        return null;
      }
      const [path6, argument] = match[0].replace(/#! ?/, "").split(" ");
      const binary = path6.split("/").pop();
      if (binary === "env") {
        return argument;
      }
      return argument ? `${binary} ${argument}` : binary;
    };
  }
});

// node_modules/cross-spawn/lib/util/readShebang.js
var require_readShebang = __commonJS({
  "node_modules/cross-spawn/lib/util/readShebang.js"(exports, module) {
    "use strict";
    var fs = __require("fs");
    var shebangCommand = require_shebang_command();
    function readShebang(command) {
      const size = 150;
      const buffer = Buffer.alloc(size);
      let fd;
      try {
        fd = fs.openSync(command, "r");
        fs.readSync(fd, buffer, 0, size, 0);
        fs.closeSync(fd);
      } catch (e) {
      }
      return shebangCommand(buffer.toString());
    }
    module.exports = readShebang;
  }
});

// node_modules/cross-spawn/lib/parse.js
var require_parse = __commonJS({
  "node_modules/cross-spawn/lib/parse.js"(exports, module) {
    "use strict";
    var path6 = __require("path");
    var resolveCommand = require_resolveCommand();
    var escape = require_escape();
    var readShebang = require_readShebang();
    var isWin = process.platform === "win32";
    var isExecutableRegExp = /\.(?:com|exe)$/i;
    var isCmdShimRegExp = /node_modules[\\/].bin[\\/][^\\/]+\.cmd$/i;
    function detectShebang(parsed) {
      parsed.file = resolveCommand(parsed);
      const shebang = parsed.file && readShebang(parsed.file);
      if (shebang) {
        parsed.args.unshift(parsed.file);
        parsed.command = shebang;
        return resolveCommand(parsed);
      }
      return parsed.file;
    }
    function parseNonShell(parsed) {
      if (!isWin) {
        return parsed;
      }
      const commandFile = detectShebang(parsed);
      const needsShell = !isExecutableRegExp.test(commandFile);
      if (parsed.options.forceShell || needsShell) {
        const needsDoubleEscapeMetaChars = isCmdShimRegExp.test(commandFile);
        parsed.command = path6.normalize(parsed.command);
        parsed.command = escape.command(parsed.command);
        parsed.args = parsed.args.map((arg) => escape.argument(arg, needsDoubleEscapeMetaChars));
        const shellCommand = [parsed.command].concat(parsed.args).join(" ");
        parsed.args = ["/d", "/s", "/c", `"${shellCommand}"`];
        parsed.command = process.env.comspec || "cmd.exe";
        parsed.options.windowsVerbatimArguments = true;
      }
      return parsed;
    }
    function parse(command, args, options) {
      if (args && !Array.isArray(args)) {
        options = args;
        args = null;
      }
      args = args ? args.slice(0) : [];
      options = Object.assign({}, options);
      const parsed = {
        command,
        args,
        options,
        file: void 0,
        original: {
          command,
          args
        }
      };
      return options.shell ? parsed : parseNonShell(parsed);
    }
    module.exports = parse;
  }
});

// node_modules/cross-spawn/lib/enoent.js
var require_enoent = __commonJS({
  "node_modules/cross-spawn/lib/enoent.js"(exports, module) {
    "use strict";
    var isWin = process.platform === "win32";
    function notFoundError(original, syscall) {
      return Object.assign(new Error(`${syscall} ${original.command} ENOENT`), {
        code: "ENOENT",
        errno: "ENOENT",
        syscall: `${syscall} ${original.command}`,
        path: original.command,
        spawnargs: original.args
      });
    }
    function hookChildProcess(cp, parsed) {
      if (!isWin) {
        return;
      }
      const originalEmit = cp.emit;
      cp.emit = function(name, arg1) {
        if (name === "exit") {
          const err = verifyENOENT(arg1, parsed);
          if (err) {
            return originalEmit.call(cp, "error", err);
          }
        }
        return originalEmit.apply(cp, arguments);
      };
    }
    function verifyENOENT(status, parsed) {
      if (isWin && status === 1 && !parsed.file) {
        return notFoundError(parsed.original, "spawn");
      }
      return null;
    }
    function verifyENOENTSync(status, parsed) {
      if (isWin && status === 1 && !parsed.file) {
        return notFoundError(parsed.original, "spawnSync");
      }
      return null;
    }
    module.exports = {
      hookChildProcess,
      verifyENOENT,
      verifyENOENTSync,
      notFoundError
    };
  }
});

// node_modules/cross-spawn/index.js
var require_cross_spawn = __commonJS({
  "node_modules/cross-spawn/index.js"(exports, module) {
    "use strict";
    var cp = __require("child_process");
    var parse = require_parse();
    var enoent = require_enoent();
    function spawn2(command, args, options) {
      const parsed = parse(command, args, options);
      const spawned = cp.spawn(parsed.command, parsed.args, parsed.options);
      enoent.hookChildProcess(spawned, parsed);
      return spawned;
    }
    function spawnSync2(command, args, options) {
      const parsed = parse(command, args, options);
      const result = cp.spawnSync(parsed.command, parsed.args, parsed.options);
      result.error = result.error || enoent.verifyENOENTSync(result.status, parsed);
      return result;
    }
    module.exports = spawn2;
    module.exports.spawn = spawn2;
    module.exports.sync = spawnSync2;
    module.exports._parse = parse;
    module.exports._enoent = enoent;
  }
});

// src/db/url.ts
function parseDatabaseUrl(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new RetortError(
      "usage",
      `Invalid database URL '${redactText(text)}': expected postgresql://USER:PASSWORD@HOST:PORT/DB, mysql://USER:PASSWORD@HOST:PORT/DB or pglite://PATH (set --database-url, RETORT_DATABASE_URL or DATABASE_URL).`
    );
  }
  const scheme = SCHEMES[url.protocol];
  if (!scheme) {
    throw new RetortError(
      "usage",
      `Unsupported database URL scheme '${url.protocol}' in '${redact(url)}': use postgresql://, mysql:// (or mariadb://) or pglite://.`
    );
  }
  return { url, scheme };
}
function redact(url) {
  if (url.password === "") return url.href;
  const copy = new URL(url.href);
  copy.password = "***";
  return copy.href;
}
function redactText(text) {
  return text.replace(/(\/\/[^:/@]*:)[^@]*@/, "$1***@");
}
function hostPort(url, defaultPort) {
  return `${url.hostname || "localhost"}:${url.port || defaultPort}`;
}
function scrub(message, url) {
  if (!url || url.password === "") return message;
  let out = message;
  const forms = /* @__PURE__ */ new Set([url.password, decodeURIComponent(url.password)]);
  for (const f of forms) if (f.length > 0) out = out.split(f).join("***");
  return out;
}
var SCHEMES, DEFAULT_PGLITE_DIR;
var init_url = __esm({
  "src/db/url.ts"() {
    "use strict";
    init_errors();
    SCHEMES = {
      "postgres:": "postgresql",
      "postgresql:": "postgresql",
      "mysql:": "mysql",
      "mariadb:": "mysql",
      "pglite:": "pglite"
    };
    DEFAULT_PGLITE_DIR = ".retort/pglite";
  }
});

// src/db/postgres.ts
var postgres_exports = {};
__export(postgres_exports, {
  PostgresDriver: () => PostgresDriver,
  PostgresSql: () => PostgresSql,
  advisoryKey: () => advisoryKey,
  connectionError: () => connectionError,
  numberPlaceholders: () => numberPlaceholders,
  toDatabaseError: () => toDatabaseError
});
import { createHash as createHash2 } from "node:crypto";
import pg from "pg";
function numberPlaceholders(sql) {
  let n2 = 0;
  return sql.replace(/\?/g, () => `$${++n2}`);
}
function advisoryKey(key2) {
  const digest = createHash2("sha256").update(key2).digest();
  return [digest.readInt32BE(0), digest.readInt32BE(4)];
}
function toDatabaseError(e, url) {
  if (e instanceof Error && typeof e.code === "string" && e.severity) {
    const err = e;
    return new DatabaseError(scrub(err.message, url), err.code, err.position ? Number(err.position) : null);
  }
  return e instanceof Error ? new Error(scrub(e.message, url)) : new Error(String(e));
}
function connectionError(e, url, defaultPort) {
  const where = hostPort(url, defaultPort);
  const code = e.code;
  const message = scrub(e instanceof Error ? e.message : String(e), url);
  const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || "(default)";
  const user = decodeURIComponent(url.username) || "(default)";
  let text;
  switch (code) {
    case "ECONNREFUSED":
      text = `Cannot connect to ${where}: connection refused. Is the database running? (--wait SECONDS waits for it)`;
      break;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      text = `Cannot connect to ${where}: host '${url.hostname}' not found. Check the database URL.`;
      break;
    case "ETIMEDOUT":
      text = `Cannot connect to ${where}: timed out. Check the host, port and firewall.`;
      break;
    case "28P01":
    case "28000":
    case "ER_ACCESS_DENIED_ERROR":
      text = `Cannot connect to ${where} as user '${user}': authentication failed. Check the user and password in the database URL.`;
      break;
    case "3D000":
    case "ER_BAD_DB_ERROR":
      text = `Cannot connect to ${where}: database '${database}' does not exist. Create it, or fix the database URL.`;
      break;
    default:
      text = `Cannot connect to ${where}: ${message}`;
  }
  return new RetortError("connection", text, { cause: e });
}
function typeParser(oid, format2) {
  if (oid === TIMESTAMP_WITHOUT_TIME_ZONE && format2 !== "binary") return (v) => /* @__PURE__ */ new Date(`${v.replace(" ", "T")}Z`);
  return pg.types.getTypeParser(oid, format2);
}
var TIMESTAMP_WITHOUT_TIME_ZONE, PostgresSql, PostgresDriver;
var init_postgres = __esm({
  "src/db/postgres.ts"() {
    "use strict";
    init_errors();
    init_driver();
    init_url();
    TIMESTAMP_WITHOUT_TIME_ZONE = 1114;
    PostgresSql = class {
      async begin() {
        await this.query("BEGIN");
      }
      async commit() {
        await this.query("COMMIT");
      }
      async rollback() {
        await this.query("ROLLBACK");
      }
      async currentSchema() {
        const { rows } = await this.query("SELECT current_schema() AS s");
        return String(rows[0]?.s ?? "public");
      }
      async tableExists(schema, table) {
        const { rows } = await this.query("SELECT to_regclass(?) IS NOT NULL AS e", [schema ? `"${schema}"."${table}"` : `"${table}"`]);
        return rows[0]?.e === true;
      }
      async columns(schema, table) {
        const { rows } = await this.query(
          "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = coalesce(?, current_schema()) AND table_name = ?",
          [schema, table]
        );
        return rows.map((r) => String(r.c).toLowerCase());
      }
    };
    PostgresDriver = class _PostgresDriver extends PostgresSql {
      dialect = "postgresql";
      transactionalDdl = true;
      sharedLock = true;
      target;
      client;
      lockClient = null;
      options;
      constructor(client, options) {
        super();
        this.client = client;
        this.options = options;
        this.target = redact(options.url);
      }
      static async connect(options) {
        const client = _PostgresDriver.newClient(options);
        try {
          await client.connect();
        } catch (e) {
          await client.end().catch(() => void 0);
          throw connectionError(e, options.url, 5432);
        }
        client.on("error", () => void 0);
        return new _PostgresDriver(client, options);
      }
      static newClient(options) {
        return new pg.Client({
          connectionString: options.url.href,
          application_name: options.applicationName,
          connectionTimeoutMillis: options.connectTimeoutMs,
          types: { getTypeParser: typeParser }
        });
      }
      async query(sql, params = []) {
        try {
          const result = await this.client.query(params.length > 0 ? numberPlaceholders(sql) : sql, params);
          const last = Array.isArray(result) ? result[result.length - 1] : result;
          return { rows: last?.rows ?? [], affectedRows: last?.rowCount ?? 0 };
        } catch (e) {
          throw toDatabaseError(e, this.options.url);
        }
      }
      async lockConnection() {
        if (!this.lockClient) {
          const client = _PostgresDriver.newClient({ ...this.options, applicationName: `${this.options.applicationName} (lock)` });
          try {
            await client.connect();
          } catch (e) {
            throw connectionError(e, this.options.url, 5432);
          }
          client.on("error", () => void 0);
          this.lockClient = client;
        }
        return this.lockClient;
      }
      async tryLock(key2) {
        const client = await this.lockConnection();
        const [a2, b] = advisoryKey(key2);
        const { rows } = await client.query("SELECT pg_try_advisory_lock($1, $2) AS got", [a2, b]);
        return rows[0]?.got === true;
      }
      async lockHolder(key2) {
        const [a2, b] = advisoryKey(key2);
        const { rows } = await this.query(
          "SELECT a.pid, a.application_name, a.backend_start, a.state_change FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND l.classid = (?::int)::oid AND l.objid = (?::int)::oid AND l.objsubid = 2 LIMIT 1",
          [a2, b]
        );
        const row = rows[0];
        if (!row) return null;
        const since = row.backend_start instanceof Date ? row.backend_start.toISOString() : row.backend_start ? String(row.backend_start) : null;
        return { pid: String(row.pid), application: row.application_name ? String(row.application_name) : null, since };
      }
      async unlock(key2) {
        if (!this.lockClient) return;
        const [a2, b] = advisoryKey(key2);
        await this.lockClient.query("SELECT pg_advisory_unlock($1, $2)", [a2, b]);
      }
      async close() {
        const clients = [this.client, this.lockClient].filter((c3) => c3 !== null);
        this.lockClient = null;
        await Promise.all(clients.map((c3) => c3.end().catch(() => void 0)));
      }
    };
  }
});

// src/db/mysql.ts
var mysql_exports = {};
__export(mysql_exports, {
  MysqlDriver: () => MysqlDriver,
  lockName: () => lockName,
  toMysqlDatabaseError: () => toMysqlDatabaseError
});
import { createHash as createHash3 } from "node:crypto";
import mysql from "mysql2/promise";
function lockName(key2) {
  if (key2.length <= MAX_LOCK_NAME) return key2;
  const prefix = "retort:";
  return prefix + createHash3("sha256").update(key2).digest("hex").slice(0, MAX_LOCK_NAME - prefix.length);
}
function isServerError(e) {
  return e instanceof Error && typeof e.errno === "number" && typeof e.sqlState === "string";
}
function toMysqlDatabaseError(e, url) {
  if (isServerError(e)) {
    return new DatabaseError(scrub(e.message, url), e.code ?? String(e.errno), null);
  }
  return e instanceof Error ? new Error(scrub(e.message, url)) : new Error(String(e));
}
function isHeader(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value) && typeof value.affectedRows === "number";
}
function toQueryResult(raw) {
  if (isHeader(raw)) return { rows: [], affectedRows: raw.affectedRows };
  const parts = raw;
  if (parts.length > 0 && parts.every((p) => Array.isArray(p) || isHeader(p))) {
    const sets = parts.filter((p) => Array.isArray(p));
    const header = parts.filter(isHeader).pop();
    return { rows: sets[0] ?? [], affectedRows: header?.affectedRows ?? 0 };
  }
  return { rows: parts, affectedRows: 0 };
}
var DEFAULT_PORT, MAX_LOCK_NAME, LOCK_WAIT_TIMEOUT, MysqlDriver;
var init_mysql = __esm({
  "src/db/mysql.ts"() {
    "use strict";
    init_errors();
    init_driver();
    init_postgres();
    init_url();
    DEFAULT_PORT = 3306;
    MAX_LOCK_NAME = 64;
    LOCK_WAIT_TIMEOUT = 31536e3;
    MysqlDriver = class _MysqlDriver {
      dialect = "mysql";
      transactionalDdl = false;
      sharedLock = true;
      target;
      connection;
      lockConn = null;
      options;
      constructor(connection, options) {
        this.connection = connection;
        this.options = options;
        this.target = redact(options.url);
      }
      static async connect(options) {
        const connection = await _MysqlDriver.open(options, options.applicationName);
        try {
          await connection.query("SET time_zone = '+00:00'");
        } catch (e) {
          connection.destroy();
          throw toMysqlDatabaseError(e, options.url);
        }
        return new _MysqlDriver(connection, options);
      }
      /** One connection, or a RetortError("connection") naming host and port. */
      static async open(options, programName) {
        const { url } = options;
        const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
        let connection;
        try {
          connection = await mysql.createConnection({
            host: url.hostname.replace(/^\[(.*)\]$/, "$1") || "localhost",
            port: url.port ? Number(url.port) : DEFAULT_PORT,
            user: url.username ? decodeURIComponent(url.username) : void 0,
            password: url.password ? decodeURIComponent(url.password) : void 0,
            database: database || void 0,
            connectTimeout: options.connectTimeoutMs,
            multipleStatements: false,
            dateStrings: true,
            timezone: "Z",
            connectAttributes: { program_name: programName }
          });
        } catch (e) {
          throw connectionError(e, url, DEFAULT_PORT);
        }
        connection.on("error", () => void 0);
        return connection;
      }
      main() {
        if (!this.connection) throw new Error(`The connection to ${this.target} is closed.`);
        return this.connection;
      }
      async query(sql, params = []) {
        const connection = this.main();
        try {
          const [raw] = await connection.query(sql, params.length > 0 ? params : void 0);
          return toQueryResult(raw);
        } catch (e) {
          throw toMysqlDatabaseError(e, this.options.url);
        }
      }
      async begin() {
        await this.query("START TRANSACTION");
      }
      async commit() {
        await this.query("COMMIT");
      }
      async rollback() {
        await this.query("ROLLBACK");
      }
      async currentSchema() {
        const { rows } = await this.query("SELECT DATABASE() AS s");
        const name = rows[0]?.s;
        if (name === null || name === void 0) {
          throw new RetortError(
            "usage",
            `The database URL '${this.target}' names no database: add one after the port, e.g. mysql://USER:PASSWORD@HOST:3306/DATABASE.`
          );
        }
        return String(name);
      }
      async tableExists(schema, table) {
        const { rows } = await this.query(
          "SELECT 1 AS e FROM information_schema.tables WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ? LIMIT 1",
          [schema, table]
        );
        return rows.length > 0;
      }
      async columns(schema, table) {
        const { rows } = await this.query(
          "SELECT column_name AS c FROM information_schema.columns WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ? ORDER BY ordinal_position",
          [schema, table]
        );
        return rows.map((r) => String(r.c).toLowerCase());
      }
      async lockConnection() {
        if (!this.lockConn) {
          const connection = await _MysqlDriver.open(this.options, `${this.options.applicationName} (lock)`);
          await connection.query(`SET SESSION wait_timeout = ${LOCK_WAIT_TIMEOUT}`).catch(() => void 0);
          this.lockConn = connection;
        }
        return this.lockConn;
      }
      async lockQuery(sql, params) {
        const connection = await this.lockConnection();
        try {
          const [raw] = await connection.query(sql, params);
          return toQueryResult(raw).rows[0];
        } catch (e) {
          throw toMysqlDatabaseError(e, this.options.url);
        }
      }
      async tryLock(key2) {
        const row = await this.lockQuery("SELECT GET_LOCK(?, 0) AS got", [lockName(key2)]);
        return Number(row?.got) === 1;
      }
      async lockHolder(key2) {
        const { rows } = await this.query("SELECT IS_USED_LOCK(?) AS id", [lockName(key2)]);
        const id = rows[0]?.id;
        if (id === null || id === void 0) return null;
        const pid = String(id);
        const { rows: procs } = await this.query("SELECT user AS u, host AS h, time AS t FROM information_schema.processlist WHERE id = ?", [id]);
        const proc = procs[0];
        if (!proc) return { pid, application: null, since: null };
        const seconds2 = Number(proc.t);
        const since = Number.isFinite(seconds2) ? new Date(Date.now() - seconds2 * 1e3).toISOString() : null;
        const application = await this.programName(id) ?? `${String(proc.u)}@${String(proc.h)}`;
        return { pid, application, since };
      }
      /** The holder's program_name connection attribute, when performance_schema is on and readable. */
      async programName(id) {
        try {
          const { rows } = await this.query(
            "SELECT attr_value AS v FROM performance_schema.session_connect_attrs WHERE processlist_id = ? AND attr_name = 'program_name' LIMIT 1",
            [id]
          );
          const value = rows[0]?.v;
          return value === null || value === void 0 || value === "" ? null : String(value);
        } catch {
          return null;
        }
      }
      async unlock(key2) {
        if (!this.lockConn) return;
        await this.lockQuery("SELECT RELEASE_LOCK(?) AS released", [lockName(key2)]);
      }
      async close() {
        const connections = [this.connection, this.lockConn].filter((c3) => c3 !== null);
        this.connection = null;
        this.lockConn = null;
        await Promise.all(
          connections.map(
            (c3) => c3.end().catch(() => {
              c3.destroy();
            })
          )
        );
      }
    };
  }
});

// src/db/pglite.ts
var pglite_exports = {};
__export(pglite_exports, {
  PgliteDriver: () => PgliteDriver,
  pgliteLocation: () => pgliteLocation
});
import { randomUUID } from "node:crypto";
import { readFileSync as readFileSync6, unlinkSync } from "node:fs";
import { mkdir, readdir, readFile, stat, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname as dirname3, resolve as resolve2 } from "node:path";
function pgliteLocation(url) {
  let rest = url.href.slice(url.protocol.length);
  const tail = url.search.length + url.hash.length;
  if (tail > 0) rest = rest.slice(0, rest.length - tail);
  if (rest.startsWith("//")) rest = rest.slice(2);
  rest = decodeURIComponent(rest);
  if (/^memory\/?$/i.test(rest)) return null;
  return rest === "" ? DEFAULT_PGLITE_DIR : rest;
}
function register(token, path6) {
  open.set(token, path6);
  if (!exitHookInstalled) {
    process.on("exit", releaseAllSync);
    exitHookInstalled = true;
  }
}
function releaseAllSync() {
  for (const [token, path6] of open) {
    try {
      if (parseLockFile(readFileSync6(path6, "utf8"))?.token === token) unlinkSync(path6);
    } catch {
    }
  }
  open.clear();
}
function parseLockFile(text) {
  try {
    const v = JSON.parse(text);
    if (typeof v.pid !== "number" || typeof v.hostname !== "string" || typeof v.token !== "string") return null;
    return {
      pid: v.pid,
      hostname: v.hostname,
      since: typeof v.since === "string" ? v.since : "",
      application: typeof v.application === "string" ? v.application : null,
      token: v.token
    };
  } catch {
    return null;
  }
}
function isErrno(e, code) {
  return e?.code === code;
}
function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return !isErrno(e, "ESRCH");
  }
}
function isStale(lock, ageMs) {
  if (!lock) return ageMs > UNREADABLE_GRACE_MS;
  if (lock.hostname !== hostname()) return false;
  if (lock.pid === process.pid) return !open.has(lock.token);
  return !processAlive(lock.pid);
}
async function observe(path6) {
  try {
    const [text, info] = await Promise.all([readFile(path6, "utf8"), stat(path6)]);
    const lock = parseLockFile(text);
    return { state: "present", text, lock, stale: isStale(lock, Date.now() - info.mtimeMs) };
  } catch (e) {
    if (isErrno(e, "ENOENT")) return { state: "missing" };
    throw e;
  }
}
async function takeLockFile(path6, mine) {
  let holder = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await writeFile(path6, JSON.stringify(mine) + "\n", { flag: "wx" });
      return { ok: true };
    } catch (e) {
      if (!isErrno(e, "EEXIST")) throw e;
    }
    const seen = await observe(path6);
    if (seen.state === "missing") continue;
    if (seen.lock?.token === mine.token) return { ok: true };
    if (!seen.stale) return { ok: false, holder: seen.lock };
    holder = seen.lock;
    const again = await observe(path6);
    if (again.state === "present" && again.text === seen.text) await unlink(path6).catch(() => void 0);
  }
  return { ok: false, holder };
}
async function releaseLockFile(path6, token) {
  open.delete(token);
  const seen = await observe(path6).catch(() => null);
  if (seen?.state === "present" && seen.lock?.token === token) await unlink(path6).catch(() => void 0);
}
function describeHolder(holder) {
  if (!holder) return "another process (the lock file is unreadable)";
  const where = holder.hostname === hostname() ? "" : ` on host ${holder.hostname}`;
  const app = holder.application ? ` (${holder.application})` : "";
  const since = holder.since ? ` since ${holder.since}` : "";
  return `process ${holder.pid}${where}${app}${since}`;
}
function holderOf(lock) {
  const pid = lock.hostname === hostname() ? String(lock.pid) : `${lock.pid}@${lock.hostname}`;
  return { pid, application: lock.application, since: lock.since || null };
}
async function waitForLockFile(path6, mine, timeoutMs, target) {
  const deadline = Date.now() + Math.max(0, timeoutMs);
  for (; ; ) {
    const got = await takeLockFile(path6, mine);
    if (got.ok) return;
    if (Date.now() >= deadline) {
      throw new RetortError(
        "lock-timeout",
        `PGlite database '${target}' is in use by ${describeHolder(got.holder)}; gave up after ${timeoutMs} ms. Wait for it to finish, or delete ${path6} if that process is gone.`
      );
    }
    await sleep(Math.min(100, Math.max(1, deadline - Date.now())));
  }
}
async function checkDataDir(dir, shown) {
  let entries;
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) {
      throw new RetortError("connection", `Cannot open PGlite database '${shown}': ${dir} is not a directory.`);
    }
    entries = await readdir(dir);
  } catch (e) {
    if (isErrno(e, "ENOENT")) return;
    throw e;
  }
  if (entries.length > 0 && !entries.includes("PG_VERSION")) {
    throw new RetortError(
      "connection",
      `Cannot open PGlite database '${shown}': ${dir} is not empty and is not a PostgreSQL data directory (no PG_VERSION). Point pglite:// at a new or empty directory.`
    );
  }
}
var open, exitHookInstalled, UNREADABLE_GRACE_MS, sleep, PgliteDriver;
var init_pglite = __esm({
  "src/db/pglite.ts"() {
    "use strict";
    init_errors();
    init_postgres();
    init_url();
    open = /* @__PURE__ */ new Map();
    exitHookInstalled = false;
    UNREADABLE_GRACE_MS = 5e3;
    sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    PgliteDriver = class _PgliteDriver extends PostgresSql {
      dialect = "postgresql";
      transactionalDdl = true;
      sharedLock;
      target;
      db;
      options;
      /** Absolute lock file path and our token; null in memory. */
      lock;
      closed = false;
      constructor(db, options, target, lock) {
        super();
        this.db = db;
        this.options = options;
        this.target = target;
        this.lock = lock;
        this.sharedLock = lock !== null;
      }
      static async connect(options) {
        const location = pgliteLocation(options.url);
        const target = `pglite://${location ?? "memory"}`;
        let lock = null;
        let dataDir;
        if (location !== null) {
          dataDir = resolve2(location);
          const path6 = `${dataDir}.lock`;
          const mine = {
            pid: process.pid,
            hostname: hostname(),
            since: (/* @__PURE__ */ new Date()).toISOString(),
            application: options.applicationName,
            token: randomUUID()
          };
          register(mine.token, path6);
          try {
            await checkDataDir(dataDir, target);
            await mkdir(dirname3(dataDir), { recursive: true });
            await waitForLockFile(path6, mine, options.connectTimeoutMs, target);
          } catch (e) {
            open.delete(mine.token);
            if (e instanceof RetortError) throw e;
            const message = e instanceof Error ? e.message : String(e);
            throw new RetortError("connection", `Cannot prepare PGlite database '${target}' or its lock file ${path6}: ${message}`, { cause: e });
          }
          lock = { path: path6, mine };
        }
        try {
          const { PGlite } = await import("@electric-sql/pglite");
          const parsers = { 1114: (v) => /* @__PURE__ */ new Date(`${v.replace(" ", "T")}Z`) };
          const db = await PGlite.create(dataDir === void 0 ? { parsers } : { dataDir, parsers });
          return new _PgliteDriver(db, options, target, lock);
        } catch (e) {
          if (lock) await releaseLockFile(lock.path, lock.mine.token);
          const message = e instanceof Error ? e.message : JSON.stringify(e);
          throw new RetortError("connection", `Cannot open PGlite database '${target}': ${message}`, { cause: e });
        }
      }
      async query(sql, params = []) {
        try {
          const results = params.length > 0 ? [await this.db.query(numberPlaceholders(sql), [...params])] : await this.db.exec(sql);
          const last = results[results.length - 1];
          const changed = last && /^(INSERT|UPDATE|DELETE|MERGE)\b/.test(last.command ?? "") ? last.rowCount ?? 0 : 0;
          return { rows: last?.rows ?? [], affectedRows: changed };
        } catch (e) {
          throw toDatabaseError(e, this.options.url);
        }
      }
      /** In memory nobody else can see the database. On a data directory the lock file was taken by
       *  connect(); this confirms it is still ours (or takes it back if it vanished or went stale). */
      async tryLock(_key) {
        if (!this.lock) return true;
        if (this.closed) return false;
        return (await takeLockFile(this.lock.path, this.lock.mine)).ok;
      }
      async lockHolder(_key) {
        if (!this.lock) return null;
        const seen = await observe(this.lock.path);
        if (seen.state === "missing" || seen.stale || !seen.lock) return null;
        return holderOf(seen.lock);
      }
      /** The lock file keeps guarding the open data directory until close(). */
      async unlock(_key) {
      }
      async close() {
        if (this.closed) return;
        this.closed = true;
        try {
          if (!this.db.closed) await this.db.close();
        } finally {
          if (this.lock) await releaseLockFile(this.lock.path, this.lock.mine.token);
        }
      }
    };
  }
});

// src/cli/main.ts
import { userInfo } from "node:os";

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

// src/cli/main.ts
init_errors();

// src/load/directory.ts
init_errors();
import { readdirSync as readdirSync2, readFileSync as readFileSync2, statSync as statSync2 } from "node:fs";
import { basename as basename2, join as join2, relative, sep } from "node:path";

// src/core/graph.ts
init_errors();

// src/core/revision.ts
var FORBIDDEN_ID_CHARS = ["@", "-", "+", ":"];
var MAX_ID_LENGTH = 32;
function invalidRevisionId(id) {
  if (id.length === 0) return "a revision id cannot be empty";
  if (id.length > MAX_ID_LENGTH) {
    return `revision id '${id}' is ${id.length} characters long; the version table holds at most ${MAX_ID_LENGTH}`;
  }
  if (/\s|,/.test(id)) return `revision id '${id}' contains white space or a comma`;
  const bad = FORBIDDEN_ID_CHARS.filter((c3) => id.includes(c3)).sort();
  if (bad.length > 0) {
    return `Character(s) '${bad.join(", ")}' not allowed in revision identifier '${id}'`;
  }
  return null;
}
function slugify(message, truncateAt = 40) {
  const words = message.match(/[\p{L}\p{N}\p{M}_]+/gu) ?? [];
  let slug = words.join("_").toLowerCase();
  if (slug.length > truncateAt) {
    const cut = slug.slice(0, truncateAt);
    const last = cut.lastIndexOf("_");
    slug = (last >= 0 ? cut.slice(0, last) : cut) + "_";
  }
  return slug;
}
function newRevisionId(randomHex) {
  const id = randomHex.toLowerCase().replace(/[^0-9a-f]/g, "").slice(-12);
  if (id.length !== 12) throw new Error("newRevisionId needs at least 12 hex characters");
  return id;
}

// src/core/graph.ts
var GraphError = class extends RetortError {
  constructor(message) {
    super("graph", message);
    this.name = "GraphError";
  }
};
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
    const n2 = revisions.length;
    this.byId = /* @__PURE__ */ new Map();
    this.byLabel = /* @__PURE__ */ new Map();
    for (let i2 = 0; i2 < n2; i2++) {
      const rev = revisions[i2];
      const bad = invalidRevisionId(rev.id);
      if (bad) throw new GraphError(`${rev.path}: ${bad}. Choose another Revision ID.`);
      const other = this.byId.get(rev.id);
      if (other !== void 0) {
        throw new GraphError(
          `Revision ${rev.id} is present more than once: in ${revisions[other].path} and in ${rev.path}. Give one of them a new Revision ID (and update whatever revises it).`
        );
      }
      this.byId.set(rev.id, i2);
    }
    for (let i2 = 0; i2 < n2; i2++) {
      const rev = revisions[i2];
      for (const label of rev.branchLabels) {
        const owner = this.byLabel.get(label) ?? this.byId.get(label);
        if (owner !== void 0) {
          throw new GraphError(
            `Branch name '${label}' in revision ${rev.id} (${rev.path}) already used by revision ${revisions[owner].id} (${revisions[owner].path}). Choose another branch label.`
          );
        }
        this.byLabel.set(label, i2);
      }
    }
    const down = [];
    const deps = [];
    for (let i2 = 0; i2 < n2; i2++) {
      const rev = revisions[i2];
      down.push(unique(rev.downRevisions).map((d) => this.edgeTarget(rev, d, "revises")));
      deps.push(unique(rev.dependsOn).map((d) => this.edgeTarget(rev, d, "depends on")));
    }
    this.down = down;
    this.deps = deps;
    const children = Array.from({ length: n2 }, () => []);
    const allChildren = Array.from({ length: n2 }, () => []);
    for (let i2 = 0; i2 < n2; i2++) {
      for (const d of down[i2]) children[d].push(i2);
      for (const d of down[i2]) allChildren[d].push(i2);
      for (const d of deps[i2]) if (!down[i2].includes(d)) allChildren[d].push(i2);
    }
    this.children = children;
    this.allChildren = allChildren;
    const idx = [...Array(n2).keys()];
    this.heads = idx.filter((i2) => children[i2].length === 0);
    this.realHeads = idx.filter((i2) => allChildren[i2].length === 0);
    this.bases = idx.filter((i2) => down[i2].length === 0);
    const realBases = idx.filter((i2) => down[i2].length === 0 && deps[i2].length === 0);
    this.detectCycles(this.heads, this.bases, down, children, "Cycle");
    const allDown = idx.map((i2) => deps[i2].length === 0 ? down[i2] : [.../* @__PURE__ */ new Set([...down[i2], ...deps[i2]])]);
    this.detectCycles(this.realHeads, realBases, allDown, allChildren, "Dependency cycle");
    this.normDown = idx.map((i2) => {
      if (deps[i2].length === 0) return down[i2];
      const redundant = /* @__PURE__ */ new Set();
      for (const a2 of this.walk([i2], down)) {
        if (a2 !== i2) for (const d of deps[a2]) redundant.add(d);
      }
      return [.../* @__PURE__ */ new Set([...down[i2], ...deps[i2].filter((d) => !redundant.has(d))])];
    });
    this.labels = revisions.map((r) => new Set(r.branchLabels));
    this.spreadLabels();
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
    return Array.from(nodes, (n2) => this.revisions[n2].id);
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
  sharesLineage(a2, others, includeDependencies = false) {
    if (others.length === 0) return true;
    const wanted = new Set(others);
    for (const n2 of this.walk([a2], includeDependencies ? this.normDown : this.down)) if (wanted.has(n2)) return true;
    for (const n2 of this.walk([a2], includeDependencies ? this.allChildren : this.children)) if (wanted.has(n2)) return true;
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
    const n2 = this.size;
    const normChildren = Array.from({ length: n2 }, () => []);
    const pending = new Int32Array(n2);
    for (let i2 = 0; i2 < n2; i2++) {
      pending[i2] = this.normDown[i2].length;
      for (const d of this.normDown[i2]) normChildren[d].push(i2);
    }
    const rank = new Int32Array(n2);
    const queue = [];
    for (let i2 = 0; i2 < n2; i2++) if (pending[i2] === 0) queue.push(i2);
    for (let head = 0; head < queue.length; head++) {
      const x = queue[head];
      rank[x] = head;
      for (const c3 of normChildren[x]) if (--pending[c3] === 0) queue.push(c3);
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
    const n2 = this.size;
    if (n2 === 0) return;
    let stuck;
    if (heads.length === 0 || bases.length === 0) {
      stuck = [...Array(n2).keys()];
    } else {
      const fromHeads = new Uint8Array(n2);
      for (const x of this.walk(heads, downEdges)) fromHeads[x] = 1;
      const fromBases = new Uint8Array(n2);
      for (const x of this.walk(bases, upEdges)) fromBases[x] = 1;
      stuck = [...Array(n2).keys()].filter((i2) => !(fromHeads[i2] && fromBases[i2]));
    }
    if (stuck.length === 0) return;
    const ids = this.ids(stuck).sort();
    const files = stuck.map((i2) => this.revisions[i2].path).sort();
    throw new GraphError(
      `${kind} is detected in revisions (${ids.join(", ")}). Files: ${files.join(", ")}. Break the cycle by correcting a Revises${kind === "Cycle" ? "" : " or Depends On"} line.`
    );
  }
  /** Alembic's `_add_branches`: a label spreads to every versioned descendant of the revision
   *  declaring it; then, starting from the last descendant visited, down through single-parent
   *  revisions until a branch point or merge point. Alembic walks descendants in hash order;
   *  retort walks them in load order, so the result is the same on every run. */
  spreadLabels() {
    for (let i2 = 0; i2 < this.size; i2++) {
      if (this.revisions[i2].branchLabels.length === 0) continue;
      const spread = [...this.labels[i2]];
      const visited = this.walk([i2], this.children);
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

// src/load/alembic-config.ts
init_errors();
import { Buffer as Buffer2 } from "node:buffer";
import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, delimiter, dirname, isAbsolute, join, resolve } from "node:path";
var DEFAULT_FILE_TEMPLATE = "%(rev)s_%(slug)s";
var DEFAULT_TRUNCATE_SLUG_LENGTH = 40;
var ALEMBIC_SECTION = "alembic";
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
  let i2 = 0;
  while (i2 < line.length && PY_SPACE_CHAR.test(line[i2])) i2++;
  return i2;
}
function parseIni(text, file) {
  const defaults = /* @__PURE__ */ new Map();
  const sections = /* @__PURE__ */ new Map();
  const added = /* @__PURE__ */ new Set();
  const bogus = [];
  let current2 = null;
  let sectionName = "";
  let option = null;
  let indentLevel = 0;
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((line, index) => {
    const lineno = index + 1;
    const stripped = pyStrip(line);
    const comment = stripped.startsWith("#") || stripped.startsWith(";");
    const value = comment ? "" : stripped;
    if (value === "") {
      if (!comment && current2 !== null && option !== null) current2.get(option)?.lines.push("");
      return;
    }
    const indent = indentOf(line);
    if (current2 !== null && option !== null && indent > indentLevel) {
      current2.get(option).lines.push(value);
      return;
    }
    indentLevel = indent;
    const header = SECTION_HEADER.exec(value);
    if (header) {
      sectionName = header[1];
      if (added.has(`[${sectionName}]`)) {
        throw new RetortError("usage", `${file}:${lineno}: section [${sectionName}] appears twice; merge the two into one.`);
      }
      if (sectionName === "DEFAULT") {
        current2 = defaults;
      } else {
        added.add(`[${sectionName}]`);
        current2 = /* @__PURE__ */ new Map();
        sections.set(sectionName, current2);
      }
      option = null;
      return;
    }
    if (current2 === null) {
      throw new RetortError(
        "usage",
        `${file}:${lineno}: '${value}' comes before any [section] header; an Alembic config starts with [alembic].`
      );
    }
    const opt = OPTION_LINE.exec(value);
    const name = opt ? pyStrip(opt[1]).toLowerCase() : "";
    if (!opt || name === "") {
      bogus.push(lineno);
      option = null;
      return;
    }
    const key2 = `${sectionName}\0${name}`;
    if (added.has(key2)) {
      throw new RetortError("usage", `${file}:${lineno}: option '${name}' appears twice in [${sectionName}]; keep one.`);
    }
    added.add(key2);
    current2.set(name, { lines: [pyStrip(opt[3])], line: lineno });
    option = name;
  });
  if (bogus.length > 0) {
    throw new RetortError(
      "usage",
      `${file}:${bogus[0]}: not a 'key = value' line (configparser cannot read line${bogus.length > 1 ? "s" : ""} ${bogus.join(", ")}); indent it to continue the value above, or start it with '#' to make it a comment.`
    );
  }
  const finish = (m) => new Map([...m].map(([k, v]) => [k, { raw: v.lines.join("\n").replace(PY_RSTRIP, ""), line: v.line }]));
  return { file, defaults: finish(defaults), sections: new Map([...sections].map(([k, v]) => [k, finish(v)])) };
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
  const expand = (rest, depth) => {
    if (depth > MAX_INTERPOLATION_DEPTH) {
      throw new RetortError("usage", `${where}: '${key2}' nests %(...)s references more than ${MAX_INTERPOLATION_DEPTH} deep (a loop?).`);
    }
    while (rest !== "") {
      const p = rest.indexOf("%");
      if (p < 0) {
        out.push(rest);
        return;
      }
      out.push(rest.slice(0, p));
      rest = rest.slice(p);
      const next = rest.slice(1, 2);
      if (next === "%") {
        out.push("%");
        rest = rest.slice(2);
      } else if (next === "(") {
        const m = INTERPOLATION_REF.exec(rest);
        if (!m) {
          throw new RetortError("usage", `${where}: bad interpolation in '${key2}' at '${rest}'; write %(name)s, or %% for a literal '%'.`);
        }
        const ref = m[1].toLowerCase();
        rest = rest.slice(m[0].length);
        const v = lookup(ref);
        if (v === void 0) {
          throw new RetortError(
            "usage",
            `${where}: '${key2}' refers to %(${m[1]})s, which is not set in [${section}] or [DEFAULT] (only %(here)s is predefined); write %% for a literal '%'.`
          );
        }
        if (v.includes("%")) expand(v, depth + 1);
        else out.push(v);
      } else {
        throw new RetortError("usage", `${where}: '%' in '${key2}' must be followed by '%' or '(' (found '${rest}'); write %% for a literal '%'.`);
      }
    }
  };
  expand(raw, 1);
  return out.join("");
}
function kindOf(path6) {
  try {
    const s = statSync(path6);
    return s.isDirectory() ? "dir" : s.isFile() ? "file" : "other";
  } catch {
    return null;
  }
}
function detectAlembicProject(dir, alembicConfig) {
  if (alembicConfig !== void 0 && alembicConfig !== null && alembicConfig !== "") {
    const ini2 = resolve(alembicConfig);
    const kind = kindOf(ini2);
    if (kind === null) {
      throw new RetortError(
        "usage",
        `Alembic config '${alembicConfig}' does not exist. Pass the path of your alembic.ini to --alembic-config (relative to the current directory), or leave it out to detect alembic.ini in '${dir}'.`
      );
    }
    if (kind !== "file") {
      throw new RetortError("usage", `Alembic config '${alembicConfig}' is not a file. Pass the alembic.ini file itself to --alembic-config.`);
    }
    return projectFromIni(ini2);
  }
  const root = resolve(dir);
  const ini = join(root, "alembic.ini");
  if (kindOf(ini) === "file") return projectFromIni(ini);
  if (kindOf(join(root, "env.py")) === "file" && kindOf(join(root, "versions")) === "dir") {
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
  return null;
}
var isPackageResource = (p) => !isAbsolute(p) && p.includes(":");
function projectFromIni(iniPath) {
  let text;
  try {
    text = readFileSync(iniPath, "utf8");
  } catch (e) {
    throw new RetortError("usage", `Cannot read Alembic config '${iniPath}': ${e.message}.`, { cause: e });
  }
  const ini = parseIni(text, iniPath);
  const root = dirname(iniPath);
  const get = (key2) => iniValue(ini, ALEMBIC_SECTION, key2, { here: root });
  const at = (key2) => `${iniPath}:${ini.sections.get(ALEMBIC_SECTION)?.get(key2)?.line ?? ini.defaults.get(key2)?.line ?? 0}`;
  if (!ini.sections.has(ALEMBIC_SECTION)) {
    throw new RetortError(
      "usage",
      `${iniPath} has no [${ALEMBIC_SECTION}] section, so it is not an Alembic config file. Pass your project's alembic.ini with --alembic-config.`
    );
  }
  let scriptLocation;
  const location = get("script_location");
  if (location === void 0) {
    if (kindOf(join(root, "env.py")) !== "file") {
      throw new RetortError(
        "usage",
        `${iniPath}: [${ALEMBIC_SECTION}] has no script_location. Add one naming the directory that holds env.py and versions/, e.g. 'script_location = %(here)s/alembic'.`
      );
    }
    scriptLocation = root;
  } else {
    if (location === "") {
      throw new RetortError(
        "usage",
        `${at("script_location")}: script_location is empty. Name the directory that holds env.py and versions/, e.g. 'script_location = %(here)s/alembic'.`
      );
    }
    scriptLocation = resolvePath(location, "script_location", at("script_location"), root);
    const kind = kindOf(scriptLocation);
    if (kind !== "dir") {
      throw new RetortError(
        "usage",
        `${at("script_location")}: script_location '${location}' is '${scriptLocation}', which ${kind === null ? "does not exist" : "is not a directory"}. retort takes relative paths from the ini's directory (Alembic from the directory it runs in); fix the path (e.g. %(here)s/alembic) or create the scripts directory with 'alembic init'.`
      );
    }
  }
  const versionLocations = splitVersionLocations(get, at).map(
    (entry) => resolvePath(entry, "version_locations entry", at("version_locations"), root)
  );
  const tsl = get("truncate_slug_length");
  let truncateSlugLength = DEFAULT_TRUNCATE_SLUG_LENGTH;
  if (tsl !== void 0) {
    if (!/^\+?\d+(_\d+)*$/.test(tsl)) {
      throw new RetortError("usage", `${at("truncate_slug_length")}: truncate_slug_length '${tsl}' is not a non-negative integer; the default is 40.`);
    }
    truncateSlugLength = Number(tsl.replace(/_/g, "")) || DEFAULT_TRUNCATE_SLUG_LENGTH;
  }
  return {
    root,
    iniPath,
    scriptLocation,
    versionLocations: versionLocations.length > 0 ? versionLocations : [join(scriptLocation, "versions")],
    // Alembic compares with the string "true": "True" or "yes" mean false.
    recursive: get("recursive_version_locations") === "true",
    fileTemplate: get("file_template") ?? DEFAULT_FILE_TEMPLATE,
    truncateSlugLength
  };
}
function resolvePath(value, what, where, root) {
  if (isPackageResource(value)) {
    throw new RetortError(
      "usage",
      `${where}: ${what} '${value}' is a Python package resource (package:path), which retort cannot import. Write it as a path instead, e.g. '%(here)s/${value.split(":").slice(1).join("/") || "alembic"}'.`
    );
  }
  return resolve(root, value);
}
var SEPARATORS = { space: " ", newline: "\n", os: delimiter, ":": ":", ";": ";" };
var LEGACY_SPLIT = /, *| +/;
function splitVersionLocations(get, at) {
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
var REVISION_FILE = /^(?!\.#|__init__)[^\n]*\.py$/;
function byCodePoint(a2, b) {
  return Buffer2.compare(Buffer2.from(a2, "utf8"), Buffer2.from(b, "utf8"));
}
function isDirEntry(dir, entry) {
  if (entry.isDirectory()) return true;
  return entry.isSymbolicLink() && kindOf(join(dir, entry.name)) === "dir";
}
function walk(top, recursive, out) {
  const entries = readdirSync(top, { withFileTypes: true });
  const files = [];
  const dirs = [];
  for (const e of entries) {
    if (isDirEntry(top, e)) {
      if (e.isDirectory()) dirs.push(e.name);
    } else {
      files.push(e.name);
    }
  }
  if (!top.endsWith("__pycache__")) {
    for (const f of files.sort(byCodePoint)) out.push(join(top, f));
  }
  if (!recursive) return;
  for (const d of dirs.sort(byCodePoint)) walk(join(top, d), true, out);
}
function listAlembicScripts(project) {
  const defaultOnly = project.versionLocations.length === 1 && project.versionLocations[0] === join(project.scriptLocation, "versions");
  const seen = /* @__PURE__ */ new Set();
  const out = [];
  for (const location of project.versionLocations) {
    const kind = kindOf(location);
    if (kind === null) {
      if (defaultOnly) {
        throw new RetortError(
          "usage",
          `Alembic versions directory '${location}' does not exist. Create it ('alembic init' does), or set version_locations in ${project.iniPath ?? "alembic.ini"}.`
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
    const files = [];
    walk(location, project.recursive, files);
    for (const file of files) {
      if (!REVISION_FILE.test(basename(file))) continue;
      let real = file;
      try {
        real = realpathSync(file);
      } catch {
      }
      if (seen.has(real)) continue;
      seen.add(real);
      out.push(file);
    }
  }
  return out;
}

// src/load/alembic-script.ts
init_errors();
var VARIABLES = ["revision", "down_revision", "branch_labels", "depends_on"];
var isVariable = (name) => VARIABLES.includes(name);
var FIX = "write the value as a string literal, a tuple/list of string literals, or None";
var LEGACY_FILE_NAME = /^([a-f0-9]+)\.py$/;
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
var AUGMENTED = /* @__PURE__ */ new Set(["+=", "-=", "*=", "/=", "//=", "%=", "**=", ">>=", "<<=", "&=", "^=", "|=", "@="]);
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
      const c3 = src[this.i];
      if (c3 === " " || c3 === "	" || c3 === "\f") {
        this.i++;
      } else if (c3 === "#") {
        while (this.i < src.length && src[this.i] !== "\n") this.i++;
      } else if (c3 === "\n") {
        this.newline(this.i + 1);
        this.i++;
        if (this.brackets.length === 0) this.endLogicalLine();
      } else if (c3 === "\\" && src[this.i + 1] === "\n") {
        this.newline(this.i + 2);
        this.i += 2;
      } else if (c3 === '"' || c3 === "'") {
        this.string(this.i, "");
      } else if (NAME_START.test(c3)) {
        const start = this.i;
        while (this.i < src.length && NAME_PART.test(src[this.i])) this.i++;
        const text = src.slice(start, this.i);
        if ((src[this.i] === '"' || src[this.i] === "'") && STRING_PREFIX.test(text)) this.string(start, text.toLowerCase());
        else this.push("name", start);
      } else if (/[0-9]/.test(c3) || c3 === "." && /[0-9]/.test(src[this.i + 1] ?? "")) {
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
      const open2 = this.brackets[this.brackets.length - 1];
      this.fail(open2.line, `'${open2.char}' is never closed; Python cannot import this file either`);
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
    const c3 = src[start];
    if (c3 === "(" || c3 === "[" || c3 === "{") {
      this.i++;
      this.push("op", start);
      this.brackets.push({ char: c3, line: this.line });
      return;
    }
    if (c3 in CLOSING) {
      const open2 = this.brackets.pop();
      if (!open2) this.fail(this.line, `unmatched '${c3}'; Python cannot import this file either`);
      if (open2.char !== CLOSING[c3]) {
        this.fail(this.line, `'${c3}' does not close the '${open2.char}' opened on line ${open2.line}; Python cannot import this file either`);
      }
      this.i++;
      this.push("op", start);
      return;
    }
    const op = OPERATORS.find((o2) => src.startsWith(o2, start)) ?? c3;
    this.i += op.length;
    this.push("op", start);
  }
  /** A string literal starting at `start` (its prefix, if any, included). */
  string(start, prefix) {
    const line = this.line;
    const bodyStart = start + prefix.length;
    const quote = this.src[bodyStart];
    const triple = this.src.startsWith(quote.repeat(3), bodyStart);
    const open2 = triple ? 3 : 1;
    this.i = bodyStart + open2;
    const end = this.scanBody(quote, triple, prefix.includes("f") || prefix.includes("t"), line);
    const body = this.src.slice(bodyStart + open2, end);
    this.i = end + open2;
    if (prefix.includes("f") || prefix.includes("t")) {
      this.push("string", start, { prefix }, line);
    } else {
      const { value, namedEscapes } = prefix.includes("r") ? { value: body, namedEscapes: false } : decodeEscapes(body, prefix.includes("b"));
      this.push("string", start, { prefix, value, namedEscapes }, line);
    }
  }
  /** Moves past the body of a string; returns the index of its closing quote(s). */
  scanBody(quote, triple, formatted, startLine) {
    const { src } = this;
    const close = triple ? quote.repeat(3) : quote;
    for (; ; ) {
      if (this.i >= src.length) this.fail(startLine, "unterminated string; Python cannot import this file either");
      const c3 = src[this.i];
      if (src.startsWith(close, this.i)) return this.i;
      if (c3 === "\\") {
        if (src[this.i + 1] === "\n") this.newline(this.i + 2);
        this.i += 2;
      } else if (c3 === "\n") {
        if (!triple) this.fail(startLine, "unterminated string; Python cannot import this file either");
        this.newline(this.i + 1);
        this.i++;
      } else if (formatted && c3 === "{") {
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
      const c3 = src[this.i];
      if (c3 === '"' || c3 === "'") {
        this.nestedString("");
      } else if (NAME_START.test(c3)) {
        const start = this.i;
        while (this.i < src.length && NAME_PART.test(src[this.i])) this.i++;
        const text = src.slice(start, this.i);
        if ((src[this.i] === '"' || src[this.i] === "'") && STRING_PREFIX.test(text)) this.nestedString(text.toLowerCase());
      } else if (c3 === "#") {
        while (this.i < src.length && src[this.i] !== "\n") this.i++;
      } else if (c3 === "\n") {
        this.newline(this.i + 1);
        this.i++;
      } else if (c3 === "(" || c3 === "[" || c3 === "{") {
        depth++;
        this.i++;
      } else if (c3 === ")" || c3 === "]") {
        depth--;
        this.i++;
      } else if (c3 === "}") {
        this.i++;
        if (depth === 0) return;
        depth--;
      } else if (c3 === ":" && depth === 0) {
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
    this.i = this.scanBody(quote, triple, prefix.includes("f") || prefix.includes("t"), line) + (triple ? 3 : 1);
  }
};
function column(prefix) {
  let col = 0;
  for (const c3 of prefix) col = c3 === "	" ? (Math.floor(col / 8) + 1) * 8 : c3 === "\f" ? 0 : col + 1;
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
  let value = "";
  let namedEscapes = false;
  for (let i2 = 0; i2 < body.length; i2++) {
    const c3 = body[i2];
    if (c3 !== "\\" || i2 + 1 >= body.length) {
      value += c3;
      continue;
    }
    const e = body[++i2];
    if (e === "\n") continue;
    if (e in SIMPLE_ESCAPES) {
      value += SIMPLE_ESCAPES[e];
    } else if (/[0-7]/.test(e)) {
      const digits = /^[0-7]{1,3}/.exec(body.slice(i2))[0];
      value += String.fromCodePoint(parseInt(digits, 8));
      i2 += digits.length - 1;
    } else if (e === "x" || !bytes && (e === "u" || e === "U")) {
      const n2 = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = body.slice(i2 + 1, i2 + 1 + n2);
      const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === n2 ? parseInt(hex, 16) : NaN;
      if (Number.isNaN(code) || code > 1114111) value += "\\" + e;
      else {
        value += String.fromCodePoint(code);
        i2 += n2;
      }
    } else if (e === "N" && !bytes && body[i2 + 1] === "{" && body.indexOf("}", i2) > 0) {
      const close = body.indexOf("}", i2);
      value += body.slice(i2 - 1, close + 1);
      namedEscapes = true;
      i2 = close;
    } else {
      value += "\\" + e;
    }
  }
  return { value, namedEscapes };
}
function literal(tokens) {
  let i2 = 0;
  const is = (text) => tokens[i2]?.kind === "op" && tokens[i2].text === text;
  const items = (close) => {
    const values = [];
    let comma = false;
    while (i2 < tokens.length && !(close !== null && is(close))) {
      const v = item();
      if (!v) return null;
      values.push(v);
      if (is(",")) {
        comma = true;
        i2++;
      } else break;
    }
    if (close !== null) {
      if (!is(close)) return null;
      i2++;
    }
    return { values, comma };
  };
  const item = () => {
    const t = tokens[i2];
    if (!t) return null;
    if (t.kind === "string") {
      let value = "";
      for (; tokens[i2]?.kind === "string"; i2++) {
        const s = tokens[i2];
        if (s.value === void 0 || s.namedEscapes || s.prefix.includes("b")) return null;
        value += s.value;
      }
      return { kind: "str", value };
    }
    if (t.kind === "name" && t.text === "None") {
      i2++;
      return { kind: "none" };
    }
    if (is("(")) {
      i2++;
      const r2 = items(")");
      if (!r2) return null;
      return r2.values.length === 1 && !r2.comma ? r2.values[0] : { kind: "seq", items: r2.values };
    }
    if (is("[")) {
      i2++;
      const r2 = items("]");
      return r2 && { kind: "seq", items: r2.values };
    }
    return null;
  };
  const r = items(null);
  if (!r || i2 < tokens.length || r.values.length === 0) return null;
  return r.values.length === 1 && !r.comma ? r.values[0] : { kind: "seq", items: r.values };
}
var COMPOUND = /* @__PURE__ */ new Set(["if", "elif", "else", "for", "while", "try", "except", "finally", "with", "async", "match", "case"]);
function parseAlembicScript(text, path6, fileName) {
  const src = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const fail = (line, message) => {
    throw new RevisionFileError(path6, line, message);
  };
  const snippet = (tokens) => {
    const s = src.slice(tokens[0].start, tokens[tokens.length - 1].end).replace(/\s+/g, " ");
    return s.length > 60 ? s.slice(0, 57) + "..." : s;
  };
  const lines = new Tokenizer(src, fail).run();
  const assignments = /* @__PURE__ */ new Map();
  let docstring = null;
  const blocks = [];
  for (const [index, logical] of lines.entries()) {
    while (blocks.length > 0 && blocks[blocks.length - 1].indent >= logical.indent) blocks.pop();
    const first = logical.tokens[0];
    const last = logical.tokens[logical.tokens.length - 1];
    const keyword = first.kind === "name" ? first.text : first.text === "@" ? "@" : "";
    const isDef = keyword === "def" || keyword === "class" || keyword === "@" || keyword === "async" && logical.tokens[1]?.text === "def";
    const isCompound = !isDef && COMPOUND.has(keyword) && logical.tokens.some((t) => t.depth === 0 && t.kind === "op" && t.text === ":");
    if (!blocks.some((b) => b.def) && !isDef) {
      const statements = splitStatements(logical.tokens);
      if (index === 0) docstring = docstringOf(statements[0]);
      const block = blocks[blocks.length - 1];
      for (const statement of statements) {
        if (block || isCompound) {
          const bound = boundVariable(statement);
          if (bound) {
            const where = block ?? { keyword, line: logical.line };
            fail(
              bound.line,
              `'${bound.text}' is assigned inside the '${where.keyword}' statement of line ${where.line}; retort reads only plain module-level assignments. Assign it at module level, outside any block, and ${FIX}`
            );
          }
        } else {
          moduleStatement(statement, assignments, fail, snippet);
        }
      }
    }
    if (last.kind === "op" && last.text === ":" && (isDef || isCompound)) {
      blocks.push({ indent: logical.indent, keyword: keyword === "@" ? "def" : keyword, line: logical.line, def: isDef });
    }
  }
  const revisionAssignment = assignments.get("revision");
  let id;
  if (revisionAssignment) {
    const v = valueOf("revision", revisionAssignment, fail, snippet);
    if (v.kind !== "str") {
      fail(revisionAssignment.line, `'revision' must be a string literal (the revision id), not ${describe(v)}; write revision = '<id>'`);
    }
    id = v.value;
  } else {
    const m = LEGACY_FILE_NAME.exec(fileName);
    if (!m) {
      fail(
        assignments.get("down_revision")?.line ?? 1,
        `missing module-level 'revision', and the file name '${fileName}' is not '<hex id>.py' (the only legacy form Alembic takes the id from). Add revision = '<id>' next to down_revision`
      );
    }
    id = m[1];
  }
  const badId = invalidRevisionId(id);
  if (badId) {
    fail(revisionAssignment?.line ?? 1, `${badId}. Revision ids are at most 32 characters without white space, ',', '@', '-', '+' or ':'`);
  }
  const down = assignments.get("down_revision");
  if (!down) {
    fail(
      revisionAssignment?.line ?? 1,
      "missing module-level 'down_revision'; Alembic requires it. Add down_revision = None for a base revision, or down_revision = '<parent id>' (a tuple of ids for a merge)"
    );
  }
  const list = (name, check2) => {
    const a2 = assignments.get(name);
    if (!a2) return [];
    const v = valueOf(name, a2, fail, snippet);
    if (v.kind === "none" || v.kind === "str" && v.value === "" && name !== "branch_labels") return [];
    const items = v.kind === "str" ? [v] : v.kind === "seq" ? v.items : [];
    return items.map((item) => {
      if (item.kind !== "str") fail(a2.line, `'${name}' holds ${item.kind === "seq" ? "a nested tuple or list" : "None"} among its items; ${FIX}`);
      const s = item.value;
      if (s === "") fail(a2.line, `'${name}' holds an empty string; write None for none`);
      const bad = check2(s);
      if (bad) fail(a2.line, `in '${name}': ${bad}`);
      return s;
    });
  };
  const downRevisions = list("down_revision", (s) => {
    const bad = invalidRevisionId(s);
    return bad && `${bad}. Revision ids are at most 32 characters without white space, ',', '@', '-', '+' or ':'`;
  });
  const branchLabels = list("branch_labels", invalidLabel);
  const dependsOn = list("depends_on", invalidLabel);
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
    path: path6
  };
}
function splitStatements(tokens) {
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
function moduleStatement(statement, assignments, fail, snippet) {
  const isOp = (t, text) => t?.kind === "op" && t.text === text && t.depth === 0;
  const equals = statement.flatMap((t, i2) => isOp(t, "=") ? [i2] : []);
  const first = statement[0];
  if (equals.length === 0) {
    if (first.kind === "name" && isVariable(first.text) && isOp(statement[1], ":")) return;
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
    const simple = target.length === 1 || equals.length === 1 && isOp(target[1], ":");
    if (name.kind === "name" && isVariable(name.text) && simple) {
      if (value.length === 0) fail(name.line, `'${name.text}' has no value; ${FIX}`);
      assignments.set(name.text, { line: name.line, value });
    } else {
      const unpacked = target.find(
        (t, i2) => t.kind === "name" && isVariable(t.text) && target[i2 - 1]?.text !== "." && ![".", "[", "("].includes(target[i2 + 1]?.text ?? "") && (t.depth === 0 || target[0].text === "(" || target[0].text === "[")
      );
      if (unpacked) fail(unpacked.line, `cannot read '${unpacked.text}' from '${snippet(statement)}'; assign it on its own line and ${FIX}`);
    }
  }
}
function boundVariable(statement) {
  const lastEquals = statement.findLastIndex((t) => t.kind === "op" && t.text === "=" && t.depth === 0);
  const importing = statement[0]?.text === "import" || statement[0]?.text === "from";
  return statement.find((t, i2) => {
    if (t.kind !== "name" || !isVariable(t.text)) return false;
    const prev = statement[i2 - 1];
    const next = statement[i2 + 1];
    if (prev?.text === ".") return false;
    const target = i2 < lastEquals;
    if (next?.kind === "op" && ((next.text === "=" || next.text === ",") && t.depth === 0 && target || next.text === ":=" || AUGMENTED.has(next.text))) return true;
    if (i2 === 0 && next?.text === ":" && target) return true;
    if (prev?.kind === "name" && (prev.text === "as" || prev.text === "for" && prev.depth === 0)) return true;
    if (importing && prev?.text === "import") return true;
    if (importing && prev?.text === "," && statement.some((s) => s.text === "import")) return true;
    return false;
  });
}
function valueOf(name, a2, fail, snippet) {
  const v = literal(a2.value);
  if (!v) {
    const named = a2.value.some((t) => t.namedEscapes);
    fail(
      a2.line,
      `cannot read the value of '${name}' without running Python: ${snippet(a2.value)}. ` + (named ? "Write the characters of \\N{...} escapes themselves, and " : "Retort reads files statically: ") + FIX
    );
  }
  return v;
}
function describe(v) {
  return v.kind === "none" ? "None" : v.kind === "seq" ? "a tuple or list" : "a string";
}
function invalidLabel(label) {
  if (/[\s@:,]/.test(label)) return `branch label '${label}' contains white space, '@', ':' or ','`;
  return null;
}
function pyStrip2(s) {
  const ws = "[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  return s.replace(new RegExp(`^${ws}+|${ws}+$`, "g"), "");
}

// src/load/native.ts
init_errors();
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
function parseRevisionFile(text, path6) {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const lastLine = Math.max(1, lines.length - (lines.length > 1 && lines[lines.length - 1] === "" ? 1 : 0));
  const fail = (line, message2) => {
    throw new RevisionFileError(path6, line, message2);
  };
  let i2 = 0;
  while (i2 < lines.length && lines[i2].trim() === "") i2++;
  if (i2 >= lines.length || !lines[i2].trimStart().startsWith("--") || SECTION.test(lines[i2].trim())) {
    fail(
      Math.min(i2 + 1, lastLine),
      "missing header. Start the file with '-- <message>', a line '--', then '-- Revision ID: <id>' and '-- Revises: <down revision ids, empty for a base>'"
    );
  }
  const paragraphs = [[]];
  for (; i2 < lines.length; i2++) {
    const raw = lines[i2].trim();
    if (!raw.startsWith("--") || SECTION.test(raw)) break;
    const body = raw.slice(2).trim();
    if (body === "") paragraphs.push([]);
    else paragraphs[paragraphs.length - 1].push({ line: i2 + 1, body, raw });
  }
  const keyOf = (body) => {
    const m = HEADER_KEY.exec(body);
    if (!m) return null;
    const name = m[1].trim();
    return { key: KEYS[name.toLowerCase().replace(/\s+/g, " ")], name, value: m[2].trim() };
  };
  const firstKeys = new Set(paragraphs[0].map((l) => keyOf(l.body)?.key));
  const firstIsKeys = !firstKeys.has(void 0) && firstKeys.has("id") && firstKeys.has("revises");
  const message = firstIsKeys ? "" : paragraphs[0].shift()?.body ?? "";
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
  const idField = fields.get("id");
  if (!idField) fail(Math.min(i2, lastLine), "missing '-- Revision ID: <id>' in the header; add it (new ids are 12 lower-case hex characters)");
  const id = idField.value;
  const badId = invalidRevisionId(id);
  if (badId) fail(idField.line, `${badId}. Revision ids are at most 32 characters without white space, ',', '@', '-', '+' or ':'`);
  const revisesField = fields.get("revises");
  if (!revisesField) fail(Math.min(i2, lastLine), "missing '-- Revises: ...' in the header; write '-- Revises:' with nothing after it for a base revision");
  const list = (key2) => {
    const f = fields.get(key2);
    if (!f) return [];
    const items = f.value === "" || f.value === "<base>" ? [] : f.value.split(",").map((s) => s.trim());
    for (const item of items) {
      const bad = item === "" ? "an empty item" : key2 === "revises" ? invalidRevisionId(item) : invalidLabel2(item);
      if (bad) fail(f.line, `${bad}. Write a comma separated list`);
    }
    return items;
  };
  const sections = /* @__PURE__ */ new Map();
  let current2 = null;
  for (; i2 < lines.length; i2++) {
    const raw = lines[i2];
    const m = SECTION.exec(raw.trim());
    if (!m) {
      if (current2) current2.push(raw);
      else if (raw.trim() !== "" && !raw.trim().startsWith("--")) {
        fail(i2 + 1, "SQL before '-- migrate:upgrade'. Put statements inside a '-- migrate:upgrade' or '-- migrate:downgrade' section");
      }
      continue;
    }
    const name = m[1].toLowerCase();
    if (name !== "upgrade" && name !== "downgrade") {
      const hint = name === "up" ? " (write -- migrate:upgrade)" : name === "down" ? " (write -- migrate:downgrade)" : "";
      fail(i2 + 1, `unknown section '-- migrate:${name}'${hint}. The sections are '-- migrate:upgrade' and '-- migrate:downgrade'`);
    }
    const first = sections.get(name);
    if (first) fail(i2 + 1, `duplicate section '-- migrate:${name}' (first on line ${first.line}); merge them into one`);
    let transaction = true;
    for (const option of m[2].trim().split(/\s+/).filter(Boolean)) {
      const opt = /^transaction:(true|false)$/.exec(option);
      if (!opt) fail(i2 + 1, `unknown section option '${option}'. The only option is 'transaction:false' (or 'transaction:true')`);
      transaction = opt[1] === "true";
    }
    current2 = [];
    sections.set(name, { line: i2 + 1, transaction, body: current2 });
  }
  const toSection = (name) => {
    const s = sections.get(name);
    if (!s) return null;
    return { sql: s.body.join("\n"), line: s.line, transaction: s.transaction };
  };
  const upgrade = toSection("upgrade");
  if (!upgrade) fail(lastLine, "missing '-- migrate:upgrade' section. Add a line '-- migrate:upgrade' followed by the upgrade SQL");
  return {
    id,
    downRevisions: list("revises"),
    branchLabels: list("branchLabels"),
    dependsOn: list("dependsOn"),
    message,
    createDate: fields.get("createDate")?.value ?? null,
    path: path6,
    upgrade,
    downgrade: toSection("downgrade")
  };
}
function invalidLabel2(label) {
  if (/[\s@:,]/.test(label)) return `branch label '${label}' contains white space, '@', ':' or ','`;
  return null;
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

// src/load/directory.ts
function listRevisionFiles(dir) {
  let isDir = null;
  try {
    isDir = statSync2(dir).isDirectory();
  } catch {
    isDir = null;
  }
  if (isDir === false) {
    throw new RetortError("usage", `Migrations directory '${dir}' is not a directory. Pass --migrations DIR (or set RETORT_MIGRATIONS).`);
  }
  if (isDir === null) {
    throw new RetortError(
      "usage",
      `Migrations directory '${dir}' does not exist. Pass --migrations DIR (or set RETORT_MIGRATIONS), or create the first revision with 'retort revision -m "message"'.`
    );
  }
  const files = [];
  const visit = (prefix) => {
    for (const entry of readdirSync2(prefix === "" ? dir : join2(dir, prefix), { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) visit(rel);
      else if (entry.isFile() && entry.name.endsWith(".sql")) files.push(rel);
    }
  };
  visit("");
  return files.sort((a2, b) => a2 < b ? -1 : a2 > b ? 1 : 0);
}
function loadRevisions(dir) {
  const base = dir.split(sep).join("/").replace(/\/+$/, "");
  return listRevisionFiles(dir).map((file) => {
    const path6 = base === "" || base === "." ? file : `${base}/${file}`;
    return parseRevisionFile(readFileSync2(path6, "utf8"), path6);
  });
}
function loadGraph(dir, alembicConfig = null) {
  const project = detectAlembicProject(dir, alembicConfig);
  return RevisionGraph.build(project ? loadAlembicRevisions(project) : loadRevisions(dir));
}
function loadAlembicRevisions(project) {
  return listAlembicScripts(project).map((file) => {
    const text = readFileSync2(file, "utf8");
    const path6 = relative(process.cwd(), file).split(sep).join("/") || file;
    const script = parseAlembicScript(text, path6, basename2(file));
    const lineOf = (name) => {
      const index = text.split(/\r?\n/).findIndex((l) => new RegExp(`^def ${name}\\b`).test(l));
      return index >= 0 ? index + 1 : 1;
    };
    return {
      id: script.id,
      downRevisions: script.downRevisions,
      branchLabels: script.branchLabels,
      dependsOn: script.dependsOn,
      message: script.message,
      createDate: script.createDate,
      path: path6,
      // The SQL comes from Alembic; the sections only mark where the functions are.
      upgrade: { sql: "", line: lineOf("upgrade"), transaction: true },
      downgrade: { sql: "", line: lineOf("downgrade"), transaction: true },
      alembic: { text }
    };
  });
}

// src/options.ts
init_errors();

// src/core/sql.ts
var import_dbgate_query_splitter = __toESM(require_lib(), 1);
var DIALECTS = ["postgresql", "mysql"];
var TRAITS = {
  postgresql: { transactionalDdl: true, returning: true, quote: '"', backslashEscapes: false, clientDelimiter: false },
  mysql: { transactionalDdl: false, returning: false, quote: "`", backslashEscapes: true, clientDelimiter: true }
};
var MYSQL_OPTIONS = {
  ...import_dbgate_query_splitter.mysqlSplitterOptions,
  stringsBegins: [...import_dbgate_query_splitter.mysqlSplitterOptions.stringsBegins, "#"],
  stringsEnds: { ...import_dbgate_query_splitter.mysqlSplitterOptions.stringsEnds, "#": "\n" },
  stringEscapes: { ...import_dbgate_query_splitter.mysqlSplitterOptions.stringEscapes, "#": "\n" }
};
function splitStatements2(section, dialect) {
  const options = dialect === "postgresql" ? import_dbgate_query_splitter.postgreSplitterOptions : MYSQL_OPTIONS;
  const items = (0, import_dbgate_query_splitter.splitQuery)(section.sql, { ...options, returnRichInfo: true });
  const out = [];
  for (const item of items) {
    if (isCommentOnly(item.text)) continue;
    out.push({ sql: item.text.trim(), line: section.line + 1 + item.trimStart.line });
  }
  return out;
}
function isCommentOnly(text) {
  let rest = text.trimStart();
  while (rest !== "") {
    if (rest.startsWith("--") || rest.startsWith("#")) {
      const nl = rest.indexOf("\n");
      rest = nl < 0 ? "" : rest.slice(nl + 1).trimStart();
    } else if (rest.startsWith("/*")) {
      const end = rest.indexOf("*/");
      if (end < 0) return false;
      rest = rest.slice(end + 2).trimStart();
    } else {
      return false;
    }
  }
  return true;
}
var DEFAULT_VERSION_TABLE = { table: "alembic_version", schema: null };
var RESERVED = new Set(
  "accessible add all alter analyse analyze and any array as asc asensitive asymmetric before between bigint binary blob both by call cascade case cast change char character check collate column condition constraint continue convert create cross current_catalog current_date current_role current_schema current_time current_timestamp current_user cursor database databases day_hour day_microsecond day_minute day_second dec decimal declare default deferrable delayed delete desc describe deterministic distinct distinctrow div do double drop dual each else elseif enclosed end escaped except exists exit explain false fetch float float4 float8 for force foreign freeze from full fulltext generated get grant group having high_priority hour_microsecond hour_minute hour_second if ignore ilike in index infile initially inner inout insensitive insert int int1 int2 int3 int4 int8 integer intersect interval into io_after_gtids io_before_gtids is isnull iterate join key keys kill lateral leading leave left like limit linear lines load localtime localtimestamp lock long longblob longtext loop low_priority master_bind master_ssl_verify_server_cert match maxvalue mediumblob mediumint mediumtext middleint minute_microsecond minute_second mod modifies natural not notnull no_write_to_binlog null numeric of offset on only optimize optimizer_costs option optionally or order out outer outfile overlaps partition placing precision primary procedure purge range read reads read_write real references regexp release rename repeat replace require resignal restrict return returning revoke right rlike schema schemas second_microsecond select sensitive separator session_user set show signal similar smallint some spatial specific sql sqlexception sqlstate sqlwarning sql_big_result sql_calc_found_rows sql_small_result ssl starting stored straight_join symmetric table terminated then tinyblob tinyint tinytext to trailing trigger true undo union unique unlock unsigned update usage use user using utc_date utc_time utc_timestamp values varbinary varchar varcharacter variadic varying verbose virtual when where while window with write xor year_month zerofill".split(" ")
);
function quoteIdent(name, dialect) {
  if (/^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name)) return name;
  const q = TRAITS[dialect].quote;
  return q + name.split(q).join(q + q) + q;
}
function quoteLiteral(value, dialect) {
  let v = value.split("'").join("''");
  if (TRAITS[dialect].backslashEscapes) v = v.split("\\").join("\\\\");
  return `'${v}'`;
}
function versionTableName(vt, dialect) {
  const table = quoteIdent(vt.table, dialect);
  return vt.schema ? `${quoteIdent(vt.schema, dialect)}.${table}` : table;
}
function createVersionTableSql(vt, dialect) {
  return `CREATE TABLE ${versionTableName(vt, dialect)} (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT ${quoteIdent(`${vt.table}_pkc`, dialect)} PRIMARY KEY (version_num)
)`;
}
function insertVersionSql(vt, dialect, revision) {
  const name = versionTableName(vt, dialect);
  const returning = TRAITS[dialect].returning ? ` RETURNING ${name}.version_num` : "";
  return `INSERT INTO ${name} (version_num) VALUES (${quoteLiteral(revision, dialect)})${returning}`;
}
function updateVersionSql(vt, dialect, from, to) {
  const name = versionTableName(vt, dialect);
  return `UPDATE ${name} SET version_num=${quoteLiteral(to, dialect)} WHERE ${name}.version_num = ${quoteLiteral(from, dialect)}`;
}
function deleteVersionSql(vt, dialect, revision) {
  const name = versionTableName(vt, dialect);
  return `DELETE FROM ${name} WHERE ${name}.version_num = ${quoteLiteral(revision, dialect)}`;
}

// src/run/state.ts
init_errors();

// src/core/render-sql.ts
function versionChangeSql(change, vt, dialect) {
  switch (change.op) {
    case "insert":
      return insertVersionSql(vt, dialect, change.revision);
    case "delete":
      return deleteVersionSql(vt, dialect, change.revision);
    case "update":
      return updateVersionSql(vt, dialect, change.from, change.to);
  }
}
function runningLine(step) {
  return `${step.direction} ${step.from.join(", ")} -> ${step.to.join(", ")}`;
}
function renderPlanSql(plan2, options) {
  const { dialect } = options;
  const vt = options.versionTable ?? DEFAULT_VERSION_TABLE;
  const transactional = TRAITS[dialect].transactionalDdl;
  const perRevision = options.transactionPerRevision ?? false;
  const chunks = [];
  const emit = (text) => chunks.push(`${text}

`);
  const statement = (sql) => emit(`${sql};`);
  if (transactional && !perRevision) emit("BEGIN;");
  let heads = plan2.headsBefore.length;
  for (const step of plan2.steps) {
    if (transactional && perRevision) emit("BEGIN;");
    if (step.direction === "upgrade" && heads === 0) statement(createVersionTableSql(vt, dialect));
    emit(`-- Running ${runningLine(step)}`);
    if (step.section.verbatim) {
      if (step.section.sql.trim() !== "") chunks.push(step.section.sql.replace(/\s*$/, "\n\n"));
      for (const change of step.versionChanges) statement(versionChangeSql(change, vt, dialect));
      if (transactional && perRevision) emit("COMMIT;");
      heads = step.headsAfter.length;
      continue;
    }
    const statements = splitStatements2(step.section, dialect);
    const outside = transactional && !step.section.transaction && statements.length > 0;
    if (outside) emit("COMMIT;");
    for (const s of statements) {
      if (TRAITS[dialect].clientDelimiter && s.sql.includes(";")) {
        emit("DELIMITER //");
        emit(`${s.sql}//`);
        emit("DELIMITER ;");
      } else {
        statement(s.sql);
      }
    }
    if (outside) emit("BEGIN;");
    for (const change of step.versionChanges) statement(versionChangeSql(change, vt, dialect));
    if (transactional && perRevision) emit("COMMIT;");
    heads = step.headsAfter.length;
  }
  if (transactional && !perRevision) emit("COMMIT;");
  return chunks.join("");
}

// src/run/state.ts
var DEFAULT_HISTORY_TABLE = "alembic_version_history";
var RETORT_COLUMNS = [
  ["revision", { postgresql: "VARCHAR(32)", mysql: "VARCHAR(32)" }],
  ["checksum", { postgresql: "VARCHAR(80)", mysql: "VARCHAR(80)" }],
  ["duration_ms", { postgresql: "INTEGER", mysql: "INTEGER" }],
  ["success", { postgresql: "BOOLEAN", mysql: "BOOLEAN" }],
  ["error_message", { postgresql: "TEXT", mysql: "TEXT" }],
  ["failed_statement", { postgresql: "INTEGER", mysql: "INTEGER" }],
  ["actor", { postgresql: "VARCHAR(255)", mysql: "VARCHAR(255)" }],
  ["commit_sha", { postgresql: "VARCHAR(64)", mysql: "VARCHAR(64)" }],
  ["run_url", { postgresql: "VARCHAR(1024)", mysql: "VARCHAR(1024)" }],
  ["retort_version", { postgresql: "VARCHAR(32)", mysql: "VARCHAR(32)" }]
];
var StateStore = class {
  driver;
  vt;
  historyTable;
  constructor(driver, versionTable, historyTable = DEFAULT_HISTORY_TABLE) {
    this.driver = driver;
    this.vt = versionTable;
    this.historyTable = historyTable;
  }
  get dialect() {
    return this.driver.dialect;
  }
  get versionTableName() {
    return versionTableName(this.vt, this.dialect);
  }
  get historyTableName() {
    return versionTableName({ table: this.historyTable, schema: this.vt.schema }, this.dialect);
  }
  /** The version table's rows (empty when the table does not exist yet). */
  async readHeads() {
    if (!await this.driver.tableExists(this.vt.schema, this.vt.table)) return [];
    const { rows } = await this.driver.query(`SELECT version_num FROM ${this.versionTableName}`);
    return rows.map((r) => String(r.version_num));
  }
  /** The rows, checked against the graph: a row that names no revision means the database is
   *  ahead of (or diverged from) the migrations directory. */
  async readKnownHeads(graph, migrations) {
    const heads = await this.readHeads();
    const unknown = heads.filter((h2) => graph.nodeOf(h2) === void 0);
    if (unknown.length > 0) {
      throw new RetortError(
        "state",
        `The database is ahead of or diverged from ${migrations}: its version table ${this.versionTableName} holds ${unknown.map((u2) => `'${u2}'`).join(", ")}, which no revision file defines. Deploy the migrations that wrote it, or, if the schema was changed by hand, set the rows with 'retort stamp'.`
      );
    }
    return heads;
  }
  async ensureVersionTable() {
    if (await this.driver.tableExists(this.vt.schema, this.vt.table)) return;
    await this.driver.query(createVersionTableSql(this.vt, this.dialect));
  }
  /** Applies one version-table change; like Alembic online, an UPDATE or DELETE must touch
   *  exactly one row. */
  async applyChange(change) {
    const { affectedRows } = await this.driver.query(versionChangeSql(change, this.vt, this.dialect));
    if (change.op !== "insert" && affectedRows !== 1) {
      const what = change.op === "update" ? `updating '${change.from}' to '${change.to}'` : `deleting '${change.revision}'`;
      throw new RetortError(
        "state",
        `Online migration expected to match one row when ${what} in '${this.vt.table}'; ${affectedRows} found. Another process changed the version table: check it with 'retort current'.`
      );
    }
  }
  /** Creates the history table, or adds retort's columns to an existing audit-alembic table. */
  async ensureHistoryTable() {
    const name = this.historyTableName;
    if (!await this.driver.tableExists(this.vt.schema, this.historyTable)) {
      const mysql2 = this.dialect === "mysql";
      const columns = [
        mysql2 ? "id BIGINT NOT NULL AUTO_INCREMENT" : "id BIGSERIAL NOT NULL",
        "alembic_version VARCHAR(255)",
        "prev_alembic_version VARCHAR(255)",
        "operation_type VARCHAR(32) NOT NULL",
        "operation_direction VARCHAR(32) NOT NULL",
        "user_version VARCHAR(255)",
        mysql2 ? "changed_at DATETIME(6)" : "changed_at TIMESTAMP WITHOUT TIME ZONE",
        ...RETORT_COLUMNS.map(([c3, types]) => `${c3} ${types[this.dialect]}`),
        "PRIMARY KEY (id)",
        "CONSTRAINT alembic_versions_nonnull CHECK (coalesce(alembic_version, prev_alembic_version) IS NOT NULL)"
      ];
      await this.driver.query(`CREATE TABLE ${name} (
    ${columns.join(",\n    ")}
)`);
      return;
    }
    const existing = new Set(await this.driver.columns(this.vt.schema, this.historyTable));
    for (const [column2, types] of RETORT_COLUMNS) {
      if (!existing.has(column2)) await this.driver.query(`ALTER TABLE ${name} ADD COLUMN ${column2} ${types[this.dialect]}`);
    }
  }
  async appendHistory(row) {
    const values = [
      ["alembic_version", row.alembicVersion],
      ["prev_alembic_version", row.prevAlembicVersion],
      ["operation_type", row.operationType],
      ["operation_direction", row.operationDirection],
      ["user_version", row.userVersion],
      ["changed_at", utcTimestamp(row.changedAt)],
      ["revision", row.revision],
      ["checksum", row.checksum],
      ["duration_ms", row.durationMs],
      ["success", row.success],
      ["error_message", row.errorMessage],
      ["failed_statement", row.failedStatement],
      ["actor", row.actor],
      ["commit_sha", row.commitSha],
      ["run_url", row.runUrl],
      ["retort_version", row.retortVersion]
    ];
    await this.driver.query(
      `INSERT INTO ${this.historyTableName} (${values.map(([c3]) => quoteIdent(c3, this.dialect)).join(", ")}) VALUES (${values.map(() => "?").join(", ")})`,
      values.map(([, v]) => v)
    );
  }
  /** The newest `limit` history rows, oldest first (empty without a history table). */
  async readHistory(limit) {
    if (!await this.driver.tableExists(this.vt.schema, this.historyTable)) return [];
    const columns = new Set(await this.driver.columns(this.vt.schema, this.historyTable));
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
      "user_version"
    ];
    const present = wanted.filter((c3) => columns.has(c3));
    const { rows } = await this.driver.query(
      `SELECT ${present.map((c3) => quoteIdent(c3, this.dialect)).join(", ")} FROM ${this.historyTableName} ORDER BY id DESC LIMIT ${Math.max(1, Math.floor(limit))}`
    );
    return [...rows].reverse();
  }
  /** For every revision, the checksum of its upgrade SQL when it was last applied. */
  async appliedChecksums() {
    const out = /* @__PURE__ */ new Map();
    if (!await this.driver.tableExists(this.vt.schema, this.historyTable)) return out;
    const columns = new Set(await this.driver.columns(this.vt.schema, this.historyTable));
    if (!columns.has("checksum") || !columns.has("revision")) return out;
    const { rows } = await this.driver.query(
      `SELECT revision, checksum, changed_at FROM ${this.historyTableName} WHERE success = ? AND operation_type = 'migration' AND operation_direction = 'up' AND checksum IS NOT NULL ORDER BY id`,
      [true]
    );
    for (const r of rows) {
      out.set(String(r.revision), { checksum: String(r.checksum), changedAt: isoUtc(r.changed_at) ?? "?" });
    }
    return out;
  }
};
function utcTimestamp(d) {
  return `${d.toISOString().replace("T", " ").replace("Z", "")}000`;
}
function isoUtc(value) {
  if (value === null || value === void 0) return null;
  if (value instanceof Date) return value.toISOString();
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d{1,3})?\d*$/.exec(String(value));
  return m ? `${m[1]}T${m[2]}${(m[3] ?? ".000").padEnd(4, "0")}Z` : String(value);
}

// src/options.ts
var DEFAULT_MIGRATIONS = "migrations";
var DEFAULT_LOCK_TIMEOUT = 60;
function makeOptions(raw) {
  const dialect = (raw.dialect ?? "postgresql").toLowerCase();
  if (!DIALECTS.includes(dialect)) {
    throw new RetortError("usage", `Unknown dialect '${raw.dialect}'. Use one of: ${DIALECTS.join(", ")}.`);
  }
  const table = raw.versionTable?.trim() || DEFAULT_VERSION_TABLE.table;
  const schema = raw.versionSchema?.trim() || null;
  const historyTable = raw.historyTable?.trim() || DEFAULT_HISTORY_TABLE;
  for (const [what, value] of [["version table", table], ["version schema", schema], ["history table", historyTable]]) {
    if (value !== null && (value.length > 63 || /[\s."`;]/.test(value))) {
      throw new RetortError("usage", `Invalid ${what} '${value}': use a plain identifier (no dots, quotes, spaces).`);
    }
  }
  const onDrift = raw.onDrift ?? "warn";
  if (onDrift !== "warn" && onDrift !== "fail") {
    throw new RetortError("usage", `Invalid --on-drift '${onDrift}': use warn or fail.`);
  }
  const transaction = raw.transaction ?? "per-revision";
  if (transaction !== "per-revision" && transaction !== "all") {
    throw new RetortError("usage", `Invalid --transaction '${transaction}': use per-revision or all.`);
  }
  return {
    migrations: raw.migrations?.trim() || DEFAULT_MIGRATIONS,
    alembicConfig: raw.alembicConfig?.trim() || null,
    alembicCommand: (raw.alembicCommand?.trim() || "alembic").split(/\s+/),
    dialect,
    versionTable: { table, schema },
    transactionPerRevision: raw.transactionPerRevision ?? false,
    databaseUrl: raw.databaseUrl?.trim() || null,
    waitSeconds: raw.wait === void 0 || raw.wait === false ? 0 : raw.wait === true ? 30 : seconds("--wait", raw.wait),
    lockTimeoutSeconds: raw.lockTimeout === void 0 ? DEFAULT_LOCK_TIMEOUT : seconds("--lock-timeout", raw.lockTimeout),
    onDrift,
    transaction,
    historyTable,
    identity: raw.identity ?? { actor: null, commitSha: null, runUrl: null, retortVersion: "0.0.0-dev" }
  };
}
function seconds(flag, value) {
  const n2 = Number(value);
  if (!Number.isFinite(n2) || n2 < 0) throw new RetortError("usage", `Invalid ${flag} '${value}': give a number of seconds.`);
  return n2;
}
function identityFromEnv(env, osUser2, retortVersion) {
  const github = env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY;
  return {
    actor: env.GITHUB_ACTOR || env.GITLAB_USER_LOGIN || env.BUILD_USER_ID || osUser2,
    commitSha: env.GITHUB_SHA || env.CI_COMMIT_SHA || env.GIT_COMMIT || null,
    runUrl: github ? `${env.GITHUB_SERVER_URL || "https://github.com"}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : env.CI_JOB_URL || env.BUILD_URL || null,
    retortVersion
  };
}

// src/commands/online.ts
init_errors();

// src/core/plan.ts
init_errors();

// src/core/target.ts
init_errors();
var ResolutionError = class extends RetortError {
  /** The text that could not be resolved. */
  argument;
  constructor(message, argument) {
    super("resolution", message);
    this.name = "ResolutionError";
    this.argument = argument;
  }
};
var MultipleHeadsError = class extends RetortError {
  heads;
  argument;
  constructor(heads, argument) {
    super(
      "multiple-heads",
      `Multiple head revisions are present for given argument '${argument}'; please specify a specific target revision, '<branchname>@${argument}' to narrow to a specific head, or 'heads' for all heads (heads: ${heads.join(", ")})`
    );
    this.name = "MultipleHeadsError";
    this.heads = heads;
    this.argument = argument;
  }
};
var TargetRangeError = class extends RetortError {
  constructor(message) {
    super("range", message);
    this.name = "TargetRangeError";
  }
};
var RELATIVE = /^(?:(.+?)@)?([\p{L}\p{N}_]+)?([+-]\d+)/u;
function parseRelative(target) {
  const m = RELATIVE.exec(target);
  if (!m) return null;
  return { branch: m[1] ?? null, symbol: m[2] ?? null, relative: m[3], steps: Number.parseInt(m[3], 10) };
}
var Resolver = class {
  graph;
  constructor(graph) {
    this.graph = graph;
  }
  /** Alembic's `_resolve_revision_number`: split `branch@id` and expand the symbols. */
  resolveNumber(text) {
    let branch = null;
    let id = text;
    const at = text.indexOf("@");
    if (at >= 0) {
      branch = text.slice(0, at);
      id = text.slice(at + 1);
    }
    const g = this.graph;
    if (id === "heads") {
      return { ids: branch ? g.ids(this.filterForLineage(g.heads, branch)) : g.ids(g.realHeads), branch };
    }
    if (id === "head") {
      const head = this.currentHead(branch);
      return { ids: head === null ? [] : [g.id(head)], branch };
    }
    if (id === "base" || id === "") return { ids: [], branch };
    return { ids: [id], branch };
  }
  /** The single head (of a branch): Alembic's `get_current_head`. */
  currentHead(branch) {
    let heads = this.graph.heads;
    if (branch) heads = this.filterForLineage(heads, branch);
    if (heads.length > 1) throw new MultipleHeadsError(this.graph.ids(heads), branch ? `${branch}@head` : "head");
    return heads[0] ?? null;
  }
  /** The targets that share a line of descent with `checkAgainst` (a label, id or `x@y`). */
  filterForLineage(targets, checkAgainst, includeDependencies = false) {
    const { ids, branch } = this.resolveNumber(checkAgainst);
    const shares = [...branch ? [branch] : [], ...ids].map((s) => this.forIdent(s));
    const nodes = shares.filter((n2) => n2 !== null);
    return targets.filter((t) => this.graph.sharesLineage(t, nodes, includeDependencies));
  }
  /** Alembic's `_resolve_branch`: a label, else any revision reference. */
  resolveBranch(branch) {
    const exact = this.graph.nodeOf(branch) ?? this.graph.labelNode(branch);
    if (exact !== void 0) return exact;
    try {
      const node = this.forIdent(branch);
      if (node === null) throw new ResolutionError(`No such branch: '${branch}'`, branch);
      return node;
    } catch (e) {
      if (e instanceof ResolutionError) throw new ResolutionError(`No such branch: '${branch}'`, branch);
      throw e;
    }
  }
  /** Alembic's `_revision_for_ident`: an exact id or label, else a unique prefix (of keys over
   *  3 characters), optionally required to lie on `checkBranch`'s line. */
  forIdent(ident, checkBranch = null) {
    const g = this.graph;
    const branchNode = checkBranch ? this.resolveBranch(checkBranch) : null;
    let node;
    if (ident === "" || ident === "base") {
      node = null;
    } else {
      const exact = g.nodeOf(ident) ?? g.labelNode(ident);
      if (exact !== void 0) {
        node = exact;
      } else {
        let keys = [];
        for (const [key2] of g.keys()) if (key2.length > 3 && key2.startsWith(ident)) keys.push(key2);
        if (checkBranch && branchNode !== null) {
          keys = keys.filter((k) => g.sharesLineage(this.forIdent(k), [branchNode]));
        }
        if (keys.length === 0) {
          const hint = ident.length < 4 ? "; please ensure at least four characters are present for partial revision identifier matches" : "";
          throw new ResolutionError(`No such revision or branch '${ident}'${hint}`, ident);
        }
        if (keys.length > 1) {
          throw new ResolutionError(
            `Multiple revisions start with '${ident}': ${keys.slice(0, 3).map((k) => `'${k}'`).join(", ")}${keys.length > 3 ? ", ..." : "..."}`,
            ident
          );
        }
        node = g.nodeOf(keys[0]) ?? g.labelNode(keys[0]);
      }
    }
    if (checkBranch && node !== null && branchNode !== null && !g.sharesLineage(node, [branchNode])) {
      throw new ResolutionError(`Revision ${g.id(node)} is not a member of branch '${checkBranch}'`, ident);
    }
    return node;
  }
  /** Alembic's `get_revisions` for one text: every revision it names. */
  getRevisions(text) {
    const { ids, branch } = this.resolveNumber(text);
    if (ids.length === 1 && /^\s*[+-]?\d+\s*$/.test(ids[0])) {
      const n2 = Number.parseInt(ids[0], 10);
      if (n2 < 0) {
        let heads = this.graph.realHeads;
        if (branch !== null) heads = heads.filter((h2) => this.graph.labelsOf(h2).has(branch));
        return heads.map((h2) => {
          const r = this.walk(h2, n2);
          if (typeof r !== "number") throw new TargetRangeError(`Relative revision ${ids[0]} didn't produce ${-n2} migrations`);
          return r;
        });
      }
    }
    return ids.map((id) => this.forIdent(id, branch)).filter((n2) => n2 !== null);
  }
  /** Alembic's `get_revision`: at most one revision (null for base). */
  getRevision(text) {
    const { ids, branch } = this.resolveNumber(text);
    if (ids.length > 1) throw new MultipleHeadsError(ids, text);
    return this.forIdent(ids[0] ?? "", branch);
  }
  /** Alembic's `_walk`: `steps` edges up (positive) or down (negative) from `start` (null =
   *  below the bases). Returns "base" when walking down past a base, null when the walk left
   *  the graph. Several candidates at one step: "Ambiguous walk". */
  walk(start, steps, branch = null) {
    const g = this.graph;
    let current2 = start;
    for (let s = 0; s < Math.abs(steps); s++) {
      let next;
      if (steps > 0) {
        if (current2 === "base") return null;
        const up = current2 === null ? g.bases : g.children[current2];
        next = branch ? this.filterForLineage(up, branch) : [...up];
      } else if (current2 === "base") {
        next = [];
      } else {
        next = [...current2 === null ? g.heads : g.down[current2]];
        if (next.length === 0) next = ["base"];
      }
      if (next.length === 0) return null;
      if (next.length > 1) {
        throw new TargetRangeError(
          `Ambiguous walk: ${steps > 0 ? "+" : ""}${steps} from ${typeof current2 === "number" ? g.id(current2) : "base"} can go to ${next.map((x) => typeof x === "number" ? g.id(x) : "base").join(", ")}; name the branch (e.g. <branch>@${steps > 0 ? "+" : ""}${steps}) or a revision`
        );
      }
      current2 = next[0];
    }
    return current2;
  }
  /** Alembic's `_parse_upgrade_target`: the revisions an upgrade to `target` must reach, from
   *  the current heads `current`. */
  upgradeTargets(current2, target) {
    const rel = parseRelative(target);
    if (!rel) return this.getRevisions(target);
    const g = this.graph;
    if (rel.steps > 0) {
      if (rel.symbol === null) {
        let starts = current2.length > 0 ? current2.map((c3) => this.forIdent(c3)) : [null];
        if (rel.branch) {
          const currentNodes = starts.filter((n2) => n2 !== null);
          starts = this.filterForLineage(currentNodes, rel.branch);
          if (starts.length === 0) {
            const active = this.filterForLineage([...g.ancestors(currentNodes)], rel.branch);
            const below = new Set(active.flatMap((r4) => g.normDown[r4]));
            starts = active.filter((r4) => !below.has(r4));
            if (starts.length === 0) starts = [null];
          }
        }
        if (starts.length > 1) throw new TargetRangeError("Ambiguous upgrade from multiple current revisions");
        const r3 = this.walk(starts[0], rel.steps, rel.branch);
        if (typeof r3 !== "number") {
          throw new TargetRangeError(`Relative revision ${rel.relative} didn't produce ${rel.steps} migrations`);
        }
        return [r3];
      }
      const r2 = this.walk(this.getRevision(rel.symbol), rel.steps, rel.branch);
      if (typeof r2 !== "number") throw new TargetRangeError(`Walked too far from ${rel.symbol} by ${rel.relative}`);
      return [r2];
    }
    if (rel.symbol === null) {
      throw new TargetRangeError(`Relative revision ${rel.steps} didn't produce ${Math.abs(rel.steps)} migrations`);
    }
    const start = this.getRevision(rel.branch === null ? rel.symbol : `${rel.branch}@${rel.symbol}`);
    const r = this.walk(start, rel.steps);
    if (r === null) throw new TargetRangeError(`Walked too far from ${rel.symbol} by ${rel.relative}`);
    return r === "base" ? [] : [r];
  }
  /** Alembic's `_parse_downgrade_target`: the branch the downgrade is limited to and the
   *  revision to downgrade to (null = base). */
  downgradeTarget(current2, target) {
    const rel = parseRelative(target);
    if (rel) {
      if (rel.steps >= 0) {
        if (rel.symbol === null) {
          throw new TargetRangeError(`Relative revision ${rel.relative} didn't produce ${Math.abs(rel.steps)} migrations`);
        }
        const r2 = this.walk(this.getRevision(rel.symbol), rel.steps, rel.branch);
        if (r2 === null) throw new TargetRangeError(`Walked too far from ${rel.symbol} by ${rel.relative}`);
        return { branch: rel.branch, node: r2 === "base" ? null : r2 };
      }
      let branch2 = rel.branch;
      let symbol = rel.symbol;
      const relativeToCurrent = symbol === null;
      if (relativeToCurrent) {
        if (branch2) {
          const currentNodes = current2.map((c3) => this.forIdent(c3)).filter((n2) => n2 !== null);
          let onBranch = this.filterForLineage(currentNodes, branch2);
          if (onBranch.length === 0) {
            const applied = this.graph.ancestors(currentNodes);
            const tips = [...applied].filter((r2) => !this.graph.children[r2].some((c3) => applied.has(c3)));
            onBranch = this.filterForLineage(tips, branch2);
          }
          if (onBranch.length !== 1) {
            throw new TargetRangeError(
              `${branch2}@${rel.relative} is ambiguous: the branch '${branch2}' has ${onBranch.length} current revisions`
            );
          }
          symbol = this.graph.id(onBranch[0]);
        } else {
          if (current2.length === 0) {
            throw new TargetRangeError(`Relative revision ${rel.relative} didn't produce ${Math.abs(rel.steps)} migrations`);
          }
          const distinct = [...new Set(current2)];
          if (distinct.length > 1) {
            throw new TargetRangeError(
              `downgrade ${rel.relative} from multiple heads (${distinct.join(", ")}) is ambiguous; use <branch>@${rel.relative} or a revision id`
            );
          }
          symbol = distinct[0];
          branch2 = symbol;
        }
      }
      const start = this.getRevision(branch2 === null ? symbol : `${branch2}@${symbol}`);
      const r = this.walk(start, rel.steps);
      if (r === null) {
        throw new TargetRangeError(
          relativeToCurrent ? `Relative revision ${rel.relative} didn't produce ${Math.abs(rel.steps)} migrations` : `Walked too far from ${symbol} by ${rel.relative}`
        );
      }
      return { branch: branch2, node: r === "base" ? null : r };
    }
    const at = target.lastIndexOf("@");
    const branch = at > 0 ? target.slice(0, at) : null;
    return { branch, node: this.getRevision(at >= 0 ? target.slice(at + 1) : target) };
  }
};

// src/core/plan.ts
function planUpgrade(graph, current2, target) {
  const resolver = new Resolver(graph);
  const currentNodes = resolveCurrent(resolver, current2);
  const targets = resolver.upgradeTargets(graph.ids(currentNodes), target);
  checkOverlap(graph, targets);
  checkOverlap(graph, currentNodes);
  const applied = graph.ancestors(currentNodes);
  const needs = new Set([...graph.ancestors(targets)].filter((n2) => !applied.has(n2)));
  const order = topologicalSort(graph, needs, targets).reverse();
  return buildPlan(graph, "upgrade", target, currentNodes, order);
}
function planDowngrade(graph, current2, target) {
  const resolver = new Resolver(graph);
  const currentNodes = resolveCurrent(resolver, current2);
  const { branch, node } = resolver.downgradeTarget(graph.ids(currentNodes), target);
  let roots = node === null ? [...graph.bases] : [...graph.children[node]];
  if (branch && roots.length > 1) {
    const onBranch = graph.ancestors([resolver.resolveBranch(branch)], false);
    roots = roots.filter((r) => onBranch.has(r));
    if (roots.length === 0) throw new TargetRangeError(`Not a valid downgrade target from current heads: ${target}`);
  }
  const active = graph.ancestors(currentNodes);
  const drop = new Set([...graph.descendants(roots)].filter((n2) => active.has(n2)));
  if (node !== null && drop.size === 0 && !currentNodes.includes(node)) {
    throw new TargetRangeError(
      `Destination ${target} is not a valid downgrade target from current head(s) (${graph.ids(currentNodes).join(", ") || "base"}): it is not below them.`
    );
  }
  const order = topologicalSort(graph, drop, currentNodes);
  const irreversible = order.find((n2) => graph.revisions[n2].downgrade === null);
  if (irreversible !== void 0) {
    const rev = graph.revisions[irreversible];
    throw new RetortError(
      "irreversible",
      `Revision ${rev.id} (${rev.path}) is irreversible: it has no "-- migrate:downgrade" section, so downgrade ${target} cannot pass it. Pick a target above ${rev.id}, or add a downgrade section (an empty one is a no-op).`
    );
  }
  return buildPlan(graph, "downgrade", target, currentNodes, order);
}
function historyOrder(graph, start, end) {
  const resolver = new Resolver(graph);
  const lower = start || "base";
  const upper = end || "heads";
  let targets = resolver.upgradeTargets(lower === "base" ? [] : [lower], upper);
  if (lower.includes("@")) {
    let branch = lower.slice(0, lower.indexOf("@"));
    const branchNode = resolver.getRevision(branch);
    if (branchNode !== null && graph.id(branchNode) === branch) {
      const labels2 = [...graph.labelsOf(branchNode)];
      if (labels2.length !== 1) {
        throw new RetortError("usage", `Revision ${branch} has ${labels2.length} branch labels; name one of them instead of '${branch}@'.`);
      }
      branch = labels2[0];
    }
    targets = targets.filter((t) => graph.labelsOf(t).has(branch));
  }
  checkOverlap(graph, targets);
  const required = graph.ancestors(targets);
  const lowerNodes = resolver.getRevisions(lower);
  if (lowerNodes.some((n2) => !required.has(n2))) {
    throw new TargetRangeError(
      `Requested range ${lower}:${upper} does not refer to ancestor/descendant revisions along the same branch`
    );
  }
  const below = graph.ancestors(lowerNodes);
  const needs = new Set([...required].filter((n2) => !below.has(n2)));
  for (const n2 of lowerNodes) needs.add(n2);
  if (lowerNodes.length > 0) {
    const above = graph.descendants(lowerNodes, false);
    for (const n2 of needs) if (!above.has(n2)) needs.delete(n2);
  }
  return topologicalSort(graph, needs, targets);
}
function resolveCurrent(resolver, current2) {
  const nodes = /* @__PURE__ */ new Set();
  for (const c3 of current2) for (const n2 of resolver.getRevisions(c3)) nodes.add(n2);
  return [...nodes];
}
function checkOverlap(graph, nodes) {
  if (nodes.length < 2) return;
  for (const n2 of nodes) {
    const others = nodes.filter((o2) => o2 !== n2);
    const overlaps = [...graph.ancestorsAmong([n2], others)];
    if (overlaps.length > 0) {
      throw new TargetRangeError(
        `Requested revision ${graph.id(n2)} overlaps with other requested revision ${graph.ids(overlaps).join(", ")}`
      );
    }
  }
}
function topologicalSort(graph, todoSet, startHeads) {
  const n2 = graph.size;
  const todo = new Uint8Array(n2);
  for (const t of todoSet) todo[t] = 1;
  const emitted = new Uint8Array(n2);
  const inFront = new Uint8Array(n2);
  const fronts = [...new Set(startHeads)].filter((h2) => todo[h2]).sort((a2, b) => a2 - b);
  for (const f of fronts) inFront[f] = 1;
  const { normChildren, rank } = graph.sortIndex();
  const seenAt = new Int32Array(n2);
  let epoch = 0;
  const reaches = (from, target) => {
    if (from === target) return true;
    epoch++;
    const floor = rank[target];
    const stack = [from];
    while (stack.length > 0) {
      const x = stack.pop();
      for (const d of graph.normDown[x]) {
        if (d === target) return true;
        if (seenAt[d] === epoch || rank[d] < floor) continue;
        seenAt[d] = epoch;
        stack.push(d);
      }
    }
    return false;
  };
  const mayBeBelowAnotherTip = (c3) => normChildren[c3].some((x) => !emitted[x]);
  const out = [];
  let i2 = 0;
  while (fronts.length > 0) {
    const c3 = fronts[i2];
    let redirect = -1;
    if (fronts.length > 1 && mayBeBelowAnotherTip(c3)) {
      for (let k = 0; k < fronts.length; k++) {
        if (k !== i2 && reaches(fronts[k], c3)) {
          redirect = k;
          break;
        }
      }
    }
    if (redirect >= 0) {
      i2 = redirect;
      continue;
    }
    if (todo[c3]) {
      out.push(c3);
      todo[c3] = 0;
      emitted[c3] = 1;
    }
    const downs = graph.normDown[c3].filter((d) => todo[d] && !inFront[d]);
    inFront[c3] = 0;
    if (downs.length === 0) {
      fronts.splice(i2, 1);
      i2 = Math.max(i2 - 1, 0);
    } else {
      fronts[i2] = downs[0];
      for (const d of downs.slice(1)) fronts.push(d);
      for (const d of downs) inFront[d] = 1;
    }
  }
  return out;
}
function buildPlan(graph, direction, target, current2, order) {
  const heads = new Set(graph.ids(current2));
  const headsBefore = sortByLoad(graph, heads);
  const steps = [];
  for (const node of order) {
    const revision = graph.revisions[node];
    const versionChanges = versionChangesFor(graph, node, direction, heads);
    const versioned = graph.ids(graph.down[node]);
    steps.push({
      revision,
      direction,
      section: direction === "upgrade" ? revision.upgrade : revision.downgrade,
      from: direction === "upgrade" ? versioned : [revision.id],
      to: direction === "upgrade" ? [revision.id] : versioned,
      versionChanges,
      headsAfter: sortByLoad(graph, heads)
    });
  }
  return { direction, target, headsBefore, steps, headsAfter: sortByLoad(graph, heads) };
}
function sortByLoad(graph, ids) {
  return [...ids].sort((a2, b) => (graph.nodeOf(a2) ?? 0) - (graph.nodeOf(b) ?? 0));
}
function versionChangesFor(graph, node, direction, heads) {
  const id = graph.id(node);
  const downs = graph.ids(graph.normDown[node]);
  const versioned = new Set(graph.ids(graph.down[node]));
  const changes = [];
  const broken = (what) => {
    throw new TargetRangeError(
      `Can't ${direction} ${id}: it would ${what}, but the version table holds ${[...heads].join(", ") || "no rows"}. Check the version table against 'retort heads'.`
    );
  };
  const insert = (r) => {
    if (heads.has(r)) broken(`insert ${r} again`);
    heads.add(r);
    changes.push({ op: "insert", revision: r });
  };
  const remove = (r) => {
    if (!heads.delete(r)) broken(`delete ${r}`);
    changes.push({ op: "delete", revision: r });
  };
  const update = (from, to) => {
    if (!heads.delete(from)) broken(`update ${from} to ${to}`);
    if (heads.has(to)) broken(`update ${from} to ${to}, which is already there`);
    heads.add(to);
    changes.push({ op: "update", from, to });
  };
  const notBelowOtherHeads = (candidates, exclude) => {
    const others = [...heads].filter((h2) => !exclude.has(h2));
    if (others.length === 0) return candidates;
    const below = graph.ancestorsAmong(
      others.map((h2) => graph.nodeOf(h2)),
      candidates.map((c3) => graph.nodeOf(c3))
    );
    return candidates.filter((c3) => !below.has(graph.nodeOf(c3)));
  };
  const pickKept = (revs) => {
    let kept = revs[revs.length - 1];
    for (const r of revs) if (versioned.has(r)) kept = r;
    return [revs.filter((r) => r !== kept), kept];
  };
  if (direction === "downgrade") {
    if (heads.has(id)) {
      const unmergeTo = downs.length === 0 ? [] : notBelowOtherHeads(downs, /* @__PURE__ */ new Set([id]));
      if (unmergeTo.length === 0) {
        remove(id);
        return changes;
      }
      if (downs.length > 1) {
        const [inserts, kept] = pickKept(unmergeTo);
        for (const r of inserts) insert(r);
        update(id, kept);
        return changes;
      }
    }
    if (!heads.has(id)) {
      throw new TargetRangeError(
        `Can't downgrade ${id}: the version table (${[...heads].join(", ") || "empty"}) does not hold it`
      );
    }
    update(id, scalarDown(graph, node, downs, heads, direction));
    return changes;
  }
  const present = downs.filter((d) => heads.has(d));
  if (downs.length === 0 || present.length === 0) {
    insert(id);
  } else if (downs.length > 1 && present.length > 1) {
    const [deletes, kept] = pickKept(notBelowOtherHeads(present, new Set(downs)));
    for (const r of deletes) remove(r);
    update(kept, id);
  } else {
    update(scalarDown(graph, node, downs, heads, direction), id);
  }
  return changes;
}
function scalarDown(graph, node, downs, heads, direction) {
  if (downs.length === 1) return downs[0];
  const present = downs.filter((d) => heads.has(d));
  if (present.length !== 1) {
    throw new TargetRangeError(
      `Can't ${direction} ${graph.id(node)}: the version table (${[...heads].join(", ") || "empty"}) does not hold exactly one of its down revisions (${downs.join(", ")})`
    );
  }
  return present[0];
}
function requireNativeSql(plan2, purpose = "render") {
  const python = plan2.steps.filter((s) => s.revision.alembic && (purpose === "run" || !s.revision.alembic.rendered));
  if (python.length > 0) {
    throw new RetortError(
      "usage",
      `${python.length} revision(s) of this plan are Alembic (Python) revisions (${python[0].revision.path}${python.length > 1 ? ", ..." : ""}): ` + (purpose === "run" ? `retort reads their graph and renders their SQL through Alembic, but applying them through Alembic is not available in this version. ` : `their SQL must first be rendered through Alembic. `) + `Run alembic for that step; heads, history, branches, show, current, plan and check work.`
    );
  }
}

// src/alembic/apply.ts
init_errors();

// src/run/runner.ts
init_errors();
init_driver();

// src/run/checksum.ts
import { createHash } from "node:crypto";

// src/core/checksum.ts
var CHECKSUM_VERSION = "v1";
function checksumInput(sql) {
  return sql.replace(/\r\n?/g, "\n");
}
function formatChecksum(hexDigest) {
  return `${CHECKSUM_VERSION}:${hexDigest}`;
}

// src/run/checksum.ts
function checksum(sql) {
  return formatChecksum(createHash("sha256").update(checksumInput(sql), "utf8").digest("hex"));
}

// src/run/runner.ts
var POLL_MS = 250;
var Runner = class {
  driver;
  graph;
  settings;
  store;
  log;
  constructor(driver, graph, settings, log2) {
    this.driver = driver;
    this.graph = graph;
    this.settings = settings;
    this.store = new StateStore(driver, settings.versionTable, settings.historyTable);
    this.log = log2;
  }
  /** Runs `fn` holding the deploy lock of this version table; waits up to the lock timeout. */
  async withLock(fn) {
    const schema = this.settings.versionTable.schema ?? await this.driver.currentSchema();
    const key2 = `retort:${schema}.${this.settings.versionTable.table}`;
    const deadline = Date.now() + this.settings.lockTimeoutSeconds * 1e3;
    let announced = false;
    while (!await this.driver.tryLock(key2)) {
      const holder = await this.driver.lockHolder(key2);
      const who = holder ? `pid ${holder.pid}${holder.application ? `, '${holder.application}'` : ""}${holder.since ? `, since ${holder.since}` : ""}` : "another session";
      if (Date.now() >= deadline) {
        throw new RetortError(
          "lock-timeout",
          `Another deploy holds the migration lock on ${this.driver.target} (${who}); waited ${this.settings.lockTimeoutSeconds} s. Let it finish, or raise --lock-timeout.`
        );
      }
      if (!announced) {
        this.log.info(`Waiting for the migration lock held by ${who} ...`);
        announced = true;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    try {
      return await fn();
    } finally {
      await this.driver.unlock(key2).catch(() => void 0);
    }
  }
  /** The current heads (checked against the graph) and drift. Reads only. */
  async readState() {
    const heads = await this.store.readKnownHeads(this.graph, this.settings.migrations);
    const applied = this.graph.ancestors(heads.map((h2) => this.graph.nodeOf(h2)));
    const recorded = await this.store.appliedChecksums();
    const drift = [];
    for (const node of applied) {
      const rev = this.graph.revisions[node];
      const seen = recorded.get(rev.id);
      if (!seen) continue;
      const now = checksum(rev.alembic?.text ?? rev.upgrade.sql);
      if (now !== seen.checksum) {
        drift.push({ revision: rev.id, path: rev.path, appliedAt: seen.changedAt, appliedChecksum: seen.checksum, currentChecksum: now });
      }
    }
    return { heads, drift };
  }
  /** Reports drift; with `--on-drift fail`, refuses to go on. */
  enforceDrift(drift) {
    for (const d of drift) {
      this.log.warn(`drift: ${d.revision} (${d.path}) changed since it was applied on ${d.appliedAt}`);
    }
    if (drift.length > 0 && this.settings.onDrift === "fail") {
      throw new RetortError(
        "check-failed",
        `${drift.length} applied revision(s) changed since they were applied (${drift.map((d) => d.revision).join(", ")}). Restore their SQL, or run with --on-drift warn.`
      );
    }
  }
  /** Runs the steps of `plan`; on failure records it and throws a "migration-failed" error
   *  that says where the database stands. */
  async execute(plan2) {
    if (plan2.steps.length === 0) return [];
    requireNativeSql(plan2, "run");
    await this.store.ensureVersionTable();
    await this.store.ensureHistoryTable();
    const all = this.settings.transaction === "all" && this.driver.transactionalDdl;
    const outcomes = [];
    let heads = plan2.headsBefore;
    if (all) await this.driver.begin();
    try {
      for (const step of plan2.steps) {
        outcomes.push(await this.runStep(step, all, heads));
        heads = step.headsAfter;
      }
      if (all) await this.driver.commit();
    } catch (e) {
      if (all) {
        await this.driver.rollback().catch(() => void 0);
        if (this.pendingFailure) await this.recordFailure(this.pendingFailure);
        this.pendingFailure = null;
        if (e instanceof RetortError && e.code === "migration-failed") {
          throw new RetortError("migration-failed", `${e.message} The whole run was rolled back (--transaction all): the database stays at ${plan2.headsBefore.join(", ") || "base"}.`);
        }
      }
      throw e;
    }
    return outcomes;
  }
  pendingFailure = null;
  async recordFailure(row) {
    await this.store.appendHistory(row).catch((err) => this.log.warn(`could not record the failure in the history table: ${err.message}`));
  }
  async runStep(step, all, headsBefore) {
    const { driver } = this;
    const rev = step.revision;
    const statements = splitStatements2(step.section, driver.dialect);
    const transactional = driver.transactionalDdl && step.section.transaction;
    const started = Date.now();
    let index = 0;
    let open2 = false;
    try {
      if (all && !step.section.transaction) {
        await driver.commit();
      } else if (!all && transactional) {
        await driver.begin();
        open2 = true;
      }
      for (const s of statements) {
        index++;
        await driver.query(s.sql);
      }
      if (all && !step.section.transaction) {
        await driver.begin();
      } else if (!all && !open2) {
        await driver.begin();
        open2 = true;
      }
      for (const change of step.versionChanges) await this.store.applyChange(change);
      await this.store.appendHistory(this.historyRow(step, Date.now() - started, null, null));
      if (open2) await driver.commit();
      open2 = false;
    } catch (e) {
      if (open2) await driver.rollback().catch(() => void 0);
      const failedAt = index > 0 && index <= statements.length && !(e instanceof RetortError) ? index : null;
      const message = e instanceof Error ? e.message : String(e);
      const row = this.historyRow(step, Date.now() - started, message, failedAt);
      if (all) this.pendingFailure = row;
      else await this.recordFailure(row);
      throw this.failure(step, statements, failedAt, e, transactional && !all, headsBefore);
    }
    const durationMs = Date.now() - started;
    this.log.info(`Running ${step.direction} ${step.from.join(", ")} -> ${step.to.join(", ")}, ${rev.message} ... ${durationMs} ms`);
    return { step, durationMs, statements: statements.length };
  }
  failure(step, statements, failedAt, e, rolledBack, headsBefore) {
    if (e instanceof RetortError) return e;
    const rev = step.revision;
    const location = failedAt !== null ? locate(rev.path, statements[failedAt - 1], e) : { file: rev.path, line: step.section.line };
    const where = `${location.file}:${location.line}${location.column ? `:${location.column}` : ""}`;
    const reason = e instanceof Error ? e.message : String(e);
    const stands = headsBefore.join(", ") || "base (empty version table)";
    let state;
    if (rolledBack) {
      state = `The revision was rolled back: the database stays at ${stands}.`;
    } else if (failedAt !== null && failedAt > 1) {
      state = `Statements 1 to ${failedAt - 1} of this revision already took effect (this database commits DDL at once); the version table stays at ${stands}. Undo them by hand or fix the revision so it can run again.`;
    } else {
      state = `Nothing of this revision took effect; the version table stays at ${stands}.`;
    }
    return new RetortError(
      "migration-failed",
      `${step.direction} ${rev.id} (${rev.message}) failed at ${where}${failedAt !== null ? ` (statement ${failedAt} of ${statements.length})` : ""}: ${reason}. ${state}`,
      { cause: e, location }
    );
  }
  historyRow(step, durationMs, error, failedStatement) {
    return stepHistoryRow(step, this.settings.identity, durationMs, error, failedStatement);
  }
  /**
   * `stamp`: sets the version table to `targets` without running any SQL. A current row on the
   * same line as a target (its ancestor or descendant) is replaced; other rows stay. `purge`
   * (or `base`) empties the table first.
   */
  async stamp(targets, purge) {
    const resolver = new Resolver(this.graph);
    const nodes = [...new Set(targets.flatMap((t) => resolver.getRevisions(t)))];
    const before = purge ? await this.store.readHeads() : await this.store.readKnownHeads(this.graph, this.settings.migrations);
    const keep = purge || nodes.length === 0 ? [] : before.filter((h2) => {
      const node = this.graph.nodeOf(h2);
      return !nodes.some((t) => this.graph.sharesLineage(node, [t], true));
    });
    const after = [...keep, ...this.graph.ids(nodes)];
    const changes = [
      ...before.filter((h2) => !after.includes(h2)).map((h2) => ({ op: "delete", revision: h2 })),
      ...after.filter((h2) => !before.includes(h2)).map((h2) => ({ op: "insert", revision: h2 }))
    ];
    await this.store.ensureVersionTable();
    await this.store.ensureHistoryTable();
    await this.driver.begin();
    try {
      for (const c3 of changes) await this.store.applyChange(c3);
      const downward = nodes.length === 0;
      await this.store.appendHistory({
        alembicVersion: after.join("##"),
        prevAlembicVersion: before.join("##"),
        operationType: "stamp",
        operationDirection: downward ? "down" : "up",
        userVersion: JSON.stringify({ user: this.settings.identity.actor, version: this.settings.identity.retortVersion }),
        changedAt: /* @__PURE__ */ new Date(),
        revision: null,
        checksum: null,
        durationMs: 0,
        success: true,
        errorMessage: null,
        failedStatement: null,
        ...this.settings.identity
      });
      await this.driver.commit();
    } catch (e) {
      await this.driver.rollback().catch(() => void 0);
      throw e;
    }
    return { before, after };
  }
};
function stepHistoryRow(step, identity3, durationMs, error, failedStatement) {
  return {
    alembicVersion: step.to.join("##"),
    prevAlembicVersion: step.from.join("##"),
    operationType: "migration",
    operationDirection: step.direction === "upgrade" ? "up" : "down",
    userVersion: JSON.stringify({ user: identity3.actor, version: identity3.retortVersion }),
    changedAt: /* @__PURE__ */ new Date(),
    revision: step.revision.id,
    checksum: checksum(step.revision.alembic?.text ?? step.section.sql),
    durationMs,
    success: error === null,
    errorMessage: error,
    failedStatement,
    ...identity3
  };
}
function locate(path6, statement, e) {
  if (e instanceof DatabaseError && e.position !== null) {
    const before = statement.sql.slice(0, Math.max(0, e.position - 1));
    const lines = before.split("\n");
    return { file: path6, line: statement.line + lines.length - 1, column: lines[lines.length - 1].length + 1 };
  }
  const m = e instanceof Error ? /at line (\d+)/.exec(e.message) : null;
  if (m) return { file: path6, line: statement.line + Number(m[1]) - 1 };
  return { file: path6, line: statement.line };
}

// src/alembic/run.ts
import { chmodSync, mkdtempSync, readFileSync as readFileSync5, rmSync, writeFileSync as writeFileSync2 } from "node:fs";
import { tmpdir } from "node:os";
import { dirname as dirname2, join as join3 } from "node:path";

// node_modules/is-plain-obj/index.js
function isPlainObject(value) {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const prototype = Object.getPrototypeOf(value);
  return (prototype === null || prototype === Object.prototype || Object.getPrototypeOf(prototype) === null) && !(Symbol.toStringTag in value) && !(Symbol.iterator in value);
}

// node_modules/execa/lib/arguments/file-url.js
import { fileURLToPath } from "node:url";
var safeNormalizeFileUrl = (file, name) => {
  const fileString = normalizeFileUrl(normalizeDenoExecPath(file));
  if (typeof fileString !== "string") {
    throw new TypeError(`${name} must be a string or a file URL: ${fileString}.`);
  }
  return fileString;
};
var normalizeDenoExecPath = (file) => isDenoExecPath(file) ? file.toString() : file;
var isDenoExecPath = (file) => typeof file !== "string" && file && Object.getPrototypeOf(file) === String.prototype;
var normalizeFileUrl = (file) => file instanceof URL ? fileURLToPath(file) : file;

// node_modules/execa/lib/methods/parameters.js
var normalizeParameters = (rawFile, rawArguments = [], rawOptions = {}) => {
  const filePath = safeNormalizeFileUrl(rawFile, "First argument");
  const [commandArguments, options] = isPlainObject(rawArguments) ? [[], rawArguments] : [rawArguments, rawOptions];
  if (!Array.isArray(commandArguments)) {
    throw new TypeError(`Second argument must be either an array of arguments or an options object: ${commandArguments}`);
  }
  if (commandArguments.some((commandArgument) => typeof commandArgument === "object" && commandArgument !== null)) {
    throw new TypeError(`Second argument must be an array of strings: ${commandArguments}`);
  }
  const normalizedArguments = commandArguments.map(String);
  const nullByteArgument = normalizedArguments.find((normalizedArgument) => normalizedArgument.includes("\0"));
  if (nullByteArgument !== void 0) {
    throw new TypeError(`Arguments cannot contain null bytes ("\\0"): ${nullByteArgument}`);
  }
  if (!isPlainObject(options)) {
    throw new TypeError(`Last argument must be an options object: ${options}`);
  }
  return [filePath, normalizedArguments, options];
};

// node_modules/execa/lib/methods/template.js
import { ChildProcess } from "node:child_process";

// node_modules/execa/lib/utils/uint-array.js
import { StringDecoder } from "node:string_decoder";
var { toString: objectToString } = Object.prototype;
var isArrayBuffer = (value) => objectToString.call(value) === "[object ArrayBuffer]";
var isUint8Array = (value) => objectToString.call(value) === "[object Uint8Array]";
var bufferToUint8Array = (buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
var textEncoder = new TextEncoder();
var stringToUint8Array = (string) => textEncoder.encode(string);
var textDecoder = new TextDecoder();
var uint8ArrayToString = (uint8Array) => textDecoder.decode(uint8Array);
var joinToString = (uint8ArraysOrStrings, encoding) => {
  const strings = uint8ArraysToStrings(uint8ArraysOrStrings, encoding);
  return strings.join("");
};
var uint8ArraysToStrings = (uint8ArraysOrStrings, encoding) => {
  if (encoding === "utf8" && uint8ArraysOrStrings.every((uint8ArrayOrString) => typeof uint8ArrayOrString === "string")) {
    return uint8ArraysOrStrings;
  }
  const decoder = new StringDecoder(encoding);
  const strings = uint8ArraysOrStrings.map((uint8ArrayOrString) => typeof uint8ArrayOrString === "string" ? stringToUint8Array(uint8ArrayOrString) : uint8ArrayOrString).map((uint8Array) => decoder.write(uint8Array));
  const finalString = decoder.end();
  return finalString === "" ? strings : [...strings, finalString];
};
var joinToUint8Array = (uint8ArraysOrStrings) => {
  if (uint8ArraysOrStrings.length === 1 && isUint8Array(uint8ArraysOrStrings[0])) {
    return uint8ArraysOrStrings[0];
  }
  return concatUint8Arrays(stringsToUint8Arrays(uint8ArraysOrStrings));
};
var stringsToUint8Arrays = (uint8ArraysOrStrings) => uint8ArraysOrStrings.map((uint8ArrayOrString) => typeof uint8ArrayOrString === "string" ? stringToUint8Array(uint8ArrayOrString) : uint8ArrayOrString);
var concatUint8Arrays = (uint8Arrays) => {
  const result = new Uint8Array(getJoinLength(uint8Arrays));
  let index = 0;
  for (const uint8Array of uint8Arrays) {
    result.set(uint8Array, index);
    index += uint8Array.length;
  }
  return result;
};
var getJoinLength = (uint8Arrays) => {
  let joinLength = 0;
  for (const uint8Array of uint8Arrays) {
    joinLength += uint8Array.length;
  }
  return joinLength;
};

// node_modules/execa/lib/methods/template.js
var isTemplateString = (templates) => Array.isArray(templates) && Array.isArray(templates.raw);
var parseTemplates = (templates, expressions) => {
  let tokens = [];
  for (const [index, template] of templates.entries()) {
    tokens = parseTemplate({
      templates,
      expressions,
      tokens,
      index,
      template
    });
  }
  if (tokens.length === 0) {
    throw new TypeError("Template script must not be empty");
  }
  const [file, ...commandArguments] = tokens;
  return [file, commandArguments, {}];
};
var parseTemplate = ({ templates, expressions, tokens, index, template }) => {
  if (template === void 0) {
    throw new TypeError(`Invalid backslash sequence: ${templates.raw[index]}`);
  }
  const { nextTokens, leadingWhitespaces, trailingWhitespaces } = splitByWhitespaces(template, templates.raw[index]);
  const newTokens = concatTokens(tokens, nextTokens, leadingWhitespaces);
  if (index === expressions.length) {
    return newTokens;
  }
  const expression = expressions[index];
  const expressionTokens = Array.isArray(expression) ? expression.map((expression2) => parseExpression(expression2)) : [parseExpression(expression)];
  return concatTokens(newTokens, expressionTokens, trailingWhitespaces);
};
var splitByWhitespaces = (template, rawTemplate) => {
  if (rawTemplate.length === 0) {
    return { nextTokens: [], leadingWhitespaces: false, trailingWhitespaces: false };
  }
  const nextTokens = [];
  let templateStart = 0;
  const leadingWhitespaces = DELIMITERS.has(rawTemplate[0]);
  for (let templateIndex = 0, rawIndex = 0; templateIndex < template.length; templateIndex += 1, rawIndex += 1) {
    const rawCharacter = rawTemplate[rawIndex];
    if (DELIMITERS.has(rawCharacter)) {
      if (templateStart !== templateIndex) {
        nextTokens.push(template.slice(templateStart, templateIndex));
      }
      templateStart = templateIndex + 1;
    } else if (rawCharacter === "\\") {
      const nextRawCharacter = rawTemplate[rawIndex + 1];
      if (nextRawCharacter === "\n") {
        templateIndex -= 1;
        rawIndex += 1;
      } else if (nextRawCharacter === "u" && rawTemplate[rawIndex + 2] === "{") {
        rawIndex = rawTemplate.indexOf("}", rawIndex + 3);
      } else {
        rawIndex += ESCAPE_LENGTH[nextRawCharacter] ?? 1;
      }
    }
  }
  const trailingWhitespaces = templateStart === template.length;
  if (!trailingWhitespaces) {
    nextTokens.push(template.slice(templateStart));
  }
  return { nextTokens, leadingWhitespaces, trailingWhitespaces };
};
var DELIMITERS = /* @__PURE__ */ new Set([" ", "	", "\r", "\n"]);
var ESCAPE_LENGTH = { x: 3, u: 5 };
var concatTokens = (tokens, nextTokens, isSeparated) => isSeparated || tokens.length === 0 || nextTokens.length === 0 ? [...tokens, ...nextTokens] : [
  ...tokens.slice(0, -1),
  `${tokens.at(-1)}${nextTokens[0]}`,
  ...nextTokens.slice(1)
];
var parseExpression = (expression) => {
  const typeOfExpression = typeof expression;
  if (typeOfExpression === "string") {
    return expression;
  }
  if (typeOfExpression === "number") {
    return String(expression);
  }
  if (isPlainObject(expression) && ("stdout" in expression || "isMaxBuffer" in expression)) {
    return getSubprocessResult(expression);
  }
  if (expression instanceof ChildProcess || Object.prototype.toString.call(expression) === "[object Promise]") {
    throw new TypeError("Unexpected subprocess in template expression. Please use ${await subprocess} instead of ${subprocess}.");
  }
  throw new TypeError(`Unexpected "${typeOfExpression}" in template expression`);
};
var getSubprocessResult = ({ stdout }) => {
  if (typeof stdout === "string") {
    return stdout;
  }
  if (isUint8Array(stdout)) {
    return uint8ArrayToString(stdout);
  }
  if (stdout === void 0) {
    throw new TypeError(`Missing result.stdout in template expression. This is probably due to the previous subprocess' "stdout" option.`);
  }
  throw new TypeError(`Unexpected "${typeof stdout}" stdout in template expression`);
};

// node_modules/execa/lib/methods/main-sync.js
import { spawnSync } from "node:child_process";

// node_modules/execa/lib/arguments/specific.js
import { debuglog } from "node:util";

// node_modules/execa/lib/utils/standard-stream.js
import process2 from "node:process";
var isStandardStream = (stream) => STANDARD_STREAMS.includes(stream);
var STANDARD_STREAMS = [process2.stdin, process2.stdout, process2.stderr];
var STANDARD_STREAMS_ALIASES = ["stdin", "stdout", "stderr"];
var getStreamName = (fdNumber) => STANDARD_STREAMS_ALIASES[fdNumber] ?? `stdio[${fdNumber}]`;

// node_modules/execa/lib/arguments/specific.js
var normalizeFdSpecificOptions = (options) => {
  const optionsCopy = { ...options };
  for (const optionName of FD_SPECIFIC_OPTIONS) {
    optionsCopy[optionName] = normalizeFdSpecificOption(options, optionName);
  }
  return optionsCopy;
};
var normalizeFdSpecificOption = (options, optionName) => {
  const optionBaseArray = Array.from({ length: getStdioLength(options) + 1 });
  const optionArray = normalizeFdSpecificValue(options[optionName], optionBaseArray, optionName);
  return addDefaultValue(optionArray, optionName);
};
var getStdioLength = ({ stdio }) => Array.isArray(stdio) ? Math.max(stdio.length, STANDARD_STREAMS_ALIASES.length) : STANDARD_STREAMS_ALIASES.length;
var normalizeFdSpecificValue = (optionValue, optionArray, optionName) => isPlainObject(optionValue) ? normalizeOptionObject(optionValue, optionArray, optionName) : optionArray.fill(optionValue);
var normalizeOptionObject = (optionValue, optionArray, optionName) => {
  for (const fdName of Object.keys(optionValue).sort(compareFdName)) {
    for (const fdNumber of parseFdName(fdName, optionName, optionArray)) {
      optionArray[fdNumber] = optionValue[fdName];
    }
  }
  return optionArray;
};
var compareFdName = (fdNameA, fdNameB) => getFdNameOrder(fdNameA) < getFdNameOrder(fdNameB) ? 1 : -1;
var getFdNameOrder = (fdName) => {
  if (fdName === "stdout" || fdName === "stderr") {
    return 0;
  }
  return fdName === "all" ? 2 : 1;
};
var parseFdName = (fdName, optionName, optionArray) => {
  if (fdName === "ipc") {
    return [optionArray.length - 1];
  }
  const fdNumber = parseFd(fdName);
  if (fdNumber === void 0 || fdNumber === 0) {
    throw new TypeError(`"${optionName}.${fdName}" is invalid.
It must be "${optionName}.stdout", "${optionName}.stderr", "${optionName}.all", "${optionName}.ipc", or "${optionName}.fd3", "${optionName}.fd4" (and so on).`);
  }
  if (fdNumber >= optionArray.length) {
    throw new TypeError(`"${optionName}.${fdName}" is invalid: that file descriptor does not exist.
Please set the "stdio" option to ensure that file descriptor exists.`);
  }
  return fdNumber === "all" ? [1, 2] : [fdNumber];
};
var parseFd = (fdName) => {
  if (fdName === "all") {
    return fdName;
  }
  if (STANDARD_STREAMS_ALIASES.includes(fdName)) {
    return STANDARD_STREAMS_ALIASES.indexOf(fdName);
  }
  const regexpResult = FD_REGEXP.exec(fdName);
  if (regexpResult !== null) {
    return Number(regexpResult[1]);
  }
};
var FD_REGEXP = /^fd(\d+)$/;
var addDefaultValue = (optionArray, optionName) => optionArray.map((optionValue) => optionValue === void 0 ? DEFAULT_OPTIONS[optionName] : optionValue);
var verboseDefault = debuglog("execa").enabled ? "full" : "none";
var DEFAULT_OPTIONS = {
  lines: false,
  buffer: true,
  maxBuffer: 1e3 * 1e3 * 100,
  verbose: verboseDefault,
  stripFinalNewline: true
};
var FD_SPECIFIC_OPTIONS = ["lines", "buffer", "maxBuffer", "verbose", "stripFinalNewline"];
var getFdSpecificValue = (optionArray, fdNumber) => fdNumber === "ipc" ? optionArray.at(-1) : optionArray[fdNumber];

// node_modules/execa/lib/verbose/values.js
var isVerbose = ({ verbose }, fdNumber) => getFdVerbose(verbose, fdNumber) !== "none";
var isFullVerbose = ({ verbose }, fdNumber) => !["none", "short"].includes(getFdVerbose(verbose, fdNumber));
var getVerboseFunction = ({ verbose }, fdNumber) => {
  const fdVerbose = getFdVerbose(verbose, fdNumber);
  return isVerboseFunction(fdVerbose) ? fdVerbose : void 0;
};
var getFdVerbose = (verbose, fdNumber) => fdNumber === void 0 ? getFdGenericVerbose(verbose) : getFdSpecificValue(verbose, fdNumber);
var getFdGenericVerbose = (verbose) => verbose.find((fdVerbose) => isVerboseFunction(fdVerbose)) ?? VERBOSE_VALUES.findLast((fdVerbose) => verbose.includes(fdVerbose));
var isVerboseFunction = (fdVerbose) => typeof fdVerbose === "function";
var VERBOSE_VALUES = ["none", "short", "full"];

// node_modules/execa/lib/verbose/log.js
import { inspect } from "node:util";

// node_modules/execa/lib/arguments/escape.js
import { platform } from "node:process";
import { stripVTControlCharacters } from "node:util";
var joinCommand = (filePath, rawArguments) => {
  const fileAndArguments = [filePath, ...rawArguments];
  const command = fileAndArguments.join(" ");
  const escapedCommand = fileAndArguments.map((fileAndArgument) => quoteString(escapeControlCharacters(fileAndArgument))).join(" ");
  return { command, escapedCommand };
};
var escapeLines = (lines) => stripVTControlCharacters(lines).split("\n").map((line) => escapeControlCharacters(line)).join("\n");
var escapeControlCharacters = (line) => line.replaceAll(SPECIAL_CHAR_REGEXP, (character) => escapeControlCharacter(character));
var escapeControlCharacter = (character) => {
  const commonEscape = COMMON_ESCAPES[character];
  if (commonEscape !== void 0) {
    return commonEscape;
  }
  const codepoint = character.codePointAt(0);
  const codepointHex = codepoint.toString(16);
  return codepoint <= ASTRAL_START ? `\\u${codepointHex.padStart(4, "0")}` : `\\U${codepointHex}`;
};
var getSpecialCharRegExp = () => {
  try {
    return new RegExp("\\p{Separator}|\\p{Other}", "gu");
  } catch {
    return /[\s\u0000-\u001F\u007F-\u009F\u00AD]/g;
  }
};
var SPECIAL_CHAR_REGEXP = getSpecialCharRegExp();
var COMMON_ESCAPES = {
  " ": " ",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "	": "\\t"
};
var ASTRAL_START = 65535;
var quoteString = (escapedArgument) => {
  if (NO_ESCAPE_REGEXP.test(escapedArgument)) {
    return escapedArgument;
  }
  return platform === "win32" ? `"${escapedArgument.replaceAll('"', '""')}"` : `'${escapedArgument.replaceAll("'", "'\\''")}'`;
};
var NO_ESCAPE_REGEXP = /^[\w./-]+$/;

// node_modules/is-unicode-supported/index.js
import process3 from "node:process";
function isUnicodeSupported() {
  const { env } = process3;
  const { TERM, TERM_PROGRAM } = env;
  if (process3.platform !== "win32") {
    return TERM !== "linux";
  }
  return Boolean(env.WT_SESSION) || Boolean(env.TERMINUS_SUBLIME) || env.ConEmuTask === "{cmd::Cmder}" || TERM_PROGRAM === "Terminus-Sublime" || TERM_PROGRAM === "vscode" || TERM === "xterm-256color" || TERM === "alacritty" || TERM === "rxvt-unicode" || TERM === "rxvt-unicode-256color" || env.TERMINAL_EMULATOR === "JetBrains-JediTerm";
}

// node_modules/figures/index.js
var common = {
  circleQuestionMark: "(?)",
  questionMarkPrefix: "(?)",
  square: "\u2588",
  squareDarkShade: "\u2593",
  squareMediumShade: "\u2592",
  squareLightShade: "\u2591",
  squareTop: "\u2580",
  squareBottom: "\u2584",
  squareLeft: "\u258C",
  squareRight: "\u2590",
  squareCenter: "\u25A0",
  bullet: "\u25CF",
  dot: "\u2024",
  ellipsis: "\u2026",
  pointerSmall: "\u203A",
  triangleUp: "\u25B2",
  triangleUpSmall: "\u25B4",
  triangleDown: "\u25BC",
  triangleDownSmall: "\u25BE",
  triangleLeftSmall: "\u25C2",
  triangleRightSmall: "\u25B8",
  home: "\u2302",
  heart: "\u2665",
  musicNote: "\u266A",
  musicNoteBeamed: "\u266B",
  arrowUp: "\u2191",
  arrowDown: "\u2193",
  arrowLeft: "\u2190",
  arrowRight: "\u2192",
  arrowLeftRight: "\u2194",
  arrowUpDown: "\u2195",
  almostEqual: "\u2248",
  notEqual: "\u2260",
  lessOrEqual: "\u2264",
  greaterOrEqual: "\u2265",
  identical: "\u2261",
  infinity: "\u221E",
  subscriptZero: "\u2080",
  subscriptOne: "\u2081",
  subscriptTwo: "\u2082",
  subscriptThree: "\u2083",
  subscriptFour: "\u2084",
  subscriptFive: "\u2085",
  subscriptSix: "\u2086",
  subscriptSeven: "\u2087",
  subscriptEight: "\u2088",
  subscriptNine: "\u2089",
  oneHalf: "\xBD",
  oneThird: "\u2153",
  oneQuarter: "\xBC",
  oneFifth: "\u2155",
  oneSixth: "\u2159",
  oneEighth: "\u215B",
  twoThirds: "\u2154",
  twoFifths: "\u2156",
  threeQuarters: "\xBE",
  threeFifths: "\u2157",
  threeEighths: "\u215C",
  fourFifths: "\u2158",
  fiveSixths: "\u215A",
  fiveEighths: "\u215D",
  sevenEighths: "\u215E",
  line: "\u2500",
  lineBold: "\u2501",
  lineDouble: "\u2550",
  lineDashed0: "\u2504",
  lineDashed1: "\u2505",
  lineDashed2: "\u2508",
  lineDashed3: "\u2509",
  lineDashed4: "\u254C",
  lineDashed5: "\u254D",
  lineDashed6: "\u2574",
  lineDashed7: "\u2576",
  lineDashed8: "\u2578",
  lineDashed9: "\u257A",
  lineDashed10: "\u257C",
  lineDashed11: "\u257E",
  lineDashed12: "\u2212",
  lineDashed13: "\u2013",
  lineDashed14: "\u2010",
  lineDashed15: "\u2043",
  lineVertical: "\u2502",
  lineVerticalBold: "\u2503",
  lineVerticalDouble: "\u2551",
  lineVerticalDashed0: "\u2506",
  lineVerticalDashed1: "\u2507",
  lineVerticalDashed2: "\u250A",
  lineVerticalDashed3: "\u250B",
  lineVerticalDashed4: "\u254E",
  lineVerticalDashed5: "\u254F",
  lineVerticalDashed6: "\u2575",
  lineVerticalDashed7: "\u2577",
  lineVerticalDashed8: "\u2579",
  lineVerticalDashed9: "\u257B",
  lineVerticalDashed10: "\u257D",
  lineVerticalDashed11: "\u257F",
  lineDownLeft: "\u2510",
  lineDownLeftArc: "\u256E",
  lineDownBoldLeftBold: "\u2513",
  lineDownBoldLeft: "\u2512",
  lineDownLeftBold: "\u2511",
  lineDownDoubleLeftDouble: "\u2557",
  lineDownDoubleLeft: "\u2556",
  lineDownLeftDouble: "\u2555",
  lineDownRight: "\u250C",
  lineDownRightArc: "\u256D",
  lineDownBoldRightBold: "\u250F",
  lineDownBoldRight: "\u250E",
  lineDownRightBold: "\u250D",
  lineDownDoubleRightDouble: "\u2554",
  lineDownDoubleRight: "\u2553",
  lineDownRightDouble: "\u2552",
  lineUpLeft: "\u2518",
  lineUpLeftArc: "\u256F",
  lineUpBoldLeftBold: "\u251B",
  lineUpBoldLeft: "\u251A",
  lineUpLeftBold: "\u2519",
  lineUpDoubleLeftDouble: "\u255D",
  lineUpDoubleLeft: "\u255C",
  lineUpLeftDouble: "\u255B",
  lineUpRight: "\u2514",
  lineUpRightArc: "\u2570",
  lineUpBoldRightBold: "\u2517",
  lineUpBoldRight: "\u2516",
  lineUpRightBold: "\u2515",
  lineUpDoubleRightDouble: "\u255A",
  lineUpDoubleRight: "\u2559",
  lineUpRightDouble: "\u2558",
  lineUpDownLeft: "\u2524",
  lineUpBoldDownBoldLeftBold: "\u252B",
  lineUpBoldDownBoldLeft: "\u2528",
  lineUpDownLeftBold: "\u2525",
  lineUpBoldDownLeftBold: "\u2529",
  lineUpDownBoldLeftBold: "\u252A",
  lineUpDownBoldLeft: "\u2527",
  lineUpBoldDownLeft: "\u2526",
  lineUpDoubleDownDoubleLeftDouble: "\u2563",
  lineUpDoubleDownDoubleLeft: "\u2562",
  lineUpDownLeftDouble: "\u2561",
  lineUpDownRight: "\u251C",
  lineUpBoldDownBoldRightBold: "\u2523",
  lineUpBoldDownBoldRight: "\u2520",
  lineUpDownRightBold: "\u251D",
  lineUpBoldDownRightBold: "\u2521",
  lineUpDownBoldRightBold: "\u2522",
  lineUpDownBoldRight: "\u251F",
  lineUpBoldDownRight: "\u251E",
  lineUpDoubleDownDoubleRightDouble: "\u2560",
  lineUpDoubleDownDoubleRight: "\u255F",
  lineUpDownRightDouble: "\u255E",
  lineDownLeftRight: "\u252C",
  lineDownBoldLeftBoldRightBold: "\u2533",
  lineDownLeftBoldRightBold: "\u252F",
  lineDownBoldLeftRight: "\u2530",
  lineDownBoldLeftBoldRight: "\u2531",
  lineDownBoldLeftRightBold: "\u2532",
  lineDownLeftRightBold: "\u252E",
  lineDownLeftBoldRight: "\u252D",
  lineDownDoubleLeftDoubleRightDouble: "\u2566",
  lineDownDoubleLeftRight: "\u2565",
  lineDownLeftDoubleRightDouble: "\u2564",
  lineUpLeftRight: "\u2534",
  lineUpBoldLeftBoldRightBold: "\u253B",
  lineUpLeftBoldRightBold: "\u2537",
  lineUpBoldLeftRight: "\u2538",
  lineUpBoldLeftBoldRight: "\u2539",
  lineUpBoldLeftRightBold: "\u253A",
  lineUpLeftRightBold: "\u2536",
  lineUpLeftBoldRight: "\u2535",
  lineUpDoubleLeftDoubleRightDouble: "\u2569",
  lineUpDoubleLeftRight: "\u2568",
  lineUpLeftDoubleRightDouble: "\u2567",
  lineUpDownLeftRight: "\u253C",
  lineUpBoldDownBoldLeftBoldRightBold: "\u254B",
  lineUpDownBoldLeftBoldRightBold: "\u2548",
  lineUpBoldDownLeftBoldRightBold: "\u2547",
  lineUpBoldDownBoldLeftRightBold: "\u254A",
  lineUpBoldDownBoldLeftBoldRight: "\u2549",
  lineUpBoldDownLeftRight: "\u2540",
  lineUpDownBoldLeftRight: "\u2541",
  lineUpDownLeftBoldRight: "\u253D",
  lineUpDownLeftRightBold: "\u253E",
  lineUpBoldDownBoldLeftRight: "\u2542",
  lineUpDownLeftBoldRightBold: "\u253F",
  lineUpBoldDownLeftBoldRight: "\u2543",
  lineUpBoldDownLeftRightBold: "\u2544",
  lineUpDownBoldLeftBoldRight: "\u2545",
  lineUpDownBoldLeftRightBold: "\u2546",
  lineUpDoubleDownDoubleLeftDoubleRightDouble: "\u256C",
  lineUpDoubleDownDoubleLeftRight: "\u256B",
  lineUpDownLeftDoubleRightDouble: "\u256A",
  lineCross: "\u2573",
  lineBackslash: "\u2572",
  lineSlash: "\u2571"
};
var specialMainSymbols = {
  tick: "\u2714",
  info: "\u2139",
  warning: "\u26A0",
  cross: "\u2718",
  squareSmall: "\u25FB",
  squareSmallFilled: "\u25FC",
  circle: "\u25EF",
  circleFilled: "\u25C9",
  circleDotted: "\u25CC",
  circleDouble: "\u25CE",
  circleCircle: "\u24DE",
  circleCross: "\u24E7",
  circlePipe: "\u24BE",
  radioOn: "\u25C9",
  radioOff: "\u25EF",
  checkboxOn: "\u2612",
  checkboxOff: "\u2610",
  checkboxCircleOn: "\u24E7",
  checkboxCircleOff: "\u24BE",
  pointer: "\u276F",
  triangleUpOutline: "\u25B3",
  triangleLeft: "\u25C0",
  triangleRight: "\u25B6",
  lozenge: "\u25C6",
  lozengeOutline: "\u25C7",
  hamburger: "\u2630",
  smiley: "\u32E1",
  mustache: "\u0DF4",
  star: "\u2605",
  play: "\u25B6",
  nodejs: "\u2B22",
  oneSeventh: "\u2150",
  oneNinth: "\u2151",
  oneTenth: "\u2152"
};
var specialFallbackSymbols = {
  tick: "\u221A",
  info: "i",
  warning: "\u203C",
  cross: "\xD7",
  squareSmall: "\u25A1",
  squareSmallFilled: "\u25A0",
  circle: "( )",
  circleFilled: "(*)",
  circleDotted: "( )",
  circleDouble: "( )",
  circleCircle: "(\u25CB)",
  circleCross: "(\xD7)",
  circlePipe: "(\u2502)",
  radioOn: "(*)",
  radioOff: "( )",
  checkboxOn: "[\xD7]",
  checkboxOff: "[ ]",
  checkboxCircleOn: "(\xD7)",
  checkboxCircleOff: "( )",
  pointer: ">",
  triangleUpOutline: "\u2206",
  triangleLeft: "\u25C4",
  triangleRight: "\u25BA",
  lozenge: "\u2666",
  lozengeOutline: "\u25CA",
  hamburger: "\u2261",
  smiley: "\u263A",
  mustache: "\u250C\u2500\u2510",
  star: "\u2736",
  play: "\u25BA",
  nodejs: "\u2666",
  oneSeventh: "1/7",
  oneNinth: "1/9",
  oneTenth: "1/10"
};
var mainSymbols = { ...common, ...specialMainSymbols };
var fallbackSymbols = { ...common, ...specialFallbackSymbols };
var shouldUseMain = isUnicodeSupported();
var figures = shouldUseMain ? mainSymbols : fallbackSymbols;
var figures_default = figures;
var replacements = Object.entries(specialMainSymbols);

// node_modules/yoctocolors/base.js
import tty from "node:tty";
var hasColors = tty?.WriteStream?.prototype?.hasColors?.() ?? false;
var format = (open2, close) => {
  if (!hasColors) {
    return (input) => input;
  }
  const openCode = `\x1B[${open2}m`;
  const closeCode = `\x1B[${close}m`;
  return (input) => {
    const string = input + "";
    let index = string.indexOf(closeCode);
    if (index === -1) {
      return openCode + string + closeCode;
    }
    let result = openCode;
    let lastIndex = 0;
    const reopenOnNestedClose = close === 22;
    const replaceCode = (reopenOnNestedClose ? closeCode : "") + openCode;
    while (index !== -1) {
      result += string.slice(lastIndex, index) + replaceCode;
      lastIndex = index + closeCode.length;
      index = string.indexOf(closeCode, lastIndex);
    }
    result += string.slice(lastIndex) + closeCode;
    return result;
  };
};
var reset = format(0, 0);
var bold = format(1, 22);
var dim = format(2, 22);
var italic = format(3, 23);
var underline = format(4, 24);
var underlineDouble = format("4:2", 24);
var underlineCurly = format("4:3", 24);
var underlineDotted = format("4:4", 24);
var underlineDashed = format("4:5", 24);
var overline = format(53, 55);
var inverse = format(7, 27);
var hidden = format(8, 28);
var strikethrough = format(9, 29);
var black = format(30, 39);
var red = format(31, 39);
var green = format(32, 39);
var yellow = format(33, 39);
var blue = format(34, 39);
var magenta = format(35, 39);
var cyan = format(36, 39);
var white = format(37, 39);
var gray = format(90, 39);
var bgBlack = format(40, 49);
var bgRed = format(41, 49);
var bgGreen = format(42, 49);
var bgYellow = format(43, 49);
var bgBlue = format(44, 49);
var bgMagenta = format(45, 49);
var bgCyan = format(46, 49);
var bgWhite = format(47, 49);
var bgGray = format(100, 49);
var redBright = format(91, 39);
var greenBright = format(92, 39);
var yellowBright = format(93, 39);
var blueBright = format(94, 39);
var magentaBright = format(95, 39);
var cyanBright = format(96, 39);
var whiteBright = format(97, 39);
var bgRedBright = format(101, 49);
var bgGreenBright = format(102, 49);
var bgYellowBright = format(103, 49);
var bgBlueBright = format(104, 49);
var bgMagentaBright = format(105, 49);
var bgCyanBright = format(106, 49);
var bgWhiteBright = format(107, 49);
var underlineBlack = format("58;5;0", 59);
var underlineRed = format("58;5;1", 59);
var underlineGreen = format("58;5;2", 59);
var underlineYellow = format("58;5;3", 59);
var underlineBlue = format("58;5;4", 59);
var underlineMagenta = format("58;5;5", 59);
var underlineCyan = format("58;5;6", 59);
var underlineWhite = format("58;5;7", 59);
var underlineGray = format("58;5;8", 59);
var underlineRedBright = format("58;5;9", 59);
var underlineGreenBright = format("58;5;10", 59);
var underlineYellowBright = format("58;5;11", 59);
var underlineBlueBright = format("58;5;12", 59);
var underlineMagentaBright = format("58;5;13", 59);
var underlineCyanBright = format("58;5;14", 59);
var underlineWhiteBright = format("58;5;15", 59);

// node_modules/execa/lib/verbose/default.js
var defaultVerboseFunction = ({
  type,
  message,
  timestamp,
  piped,
  commandId,
  result: { failed = false } = {},
  options: { reject = true }
}) => {
  const timestampString = serializeTimestamp(timestamp);
  const icon = ICONS[type]({ failed, reject, piped });
  const color = COLORS[type]({ reject });
  return `${gray(`[${timestampString}]`)} ${gray(`[${commandId}]`)} ${color(icon)} ${color(message)}`;
};
var serializeTimestamp = (timestamp) => `${padField(timestamp.getHours(), 2)}:${padField(timestamp.getMinutes(), 2)}:${padField(timestamp.getSeconds(), 2)}.${padField(timestamp.getMilliseconds(), 3)}`;
var padField = (field, padding) => String(field).padStart(padding, "0");
var getFinalIcon = ({ failed, reject }) => {
  if (!failed) {
    return figures_default.tick;
  }
  return reject ? figures_default.cross : figures_default.warning;
};
var ICONS = {
  command: ({ piped }) => piped ? "|" : "$",
  output: () => " ",
  ipc: () => "*",
  error: getFinalIcon,
  duration: getFinalIcon
};
var identity = (string) => string;
var COLORS = {
  command: () => bold,
  output: () => identity,
  ipc: () => identity,
  error: ({ reject }) => reject ? redBright : yellowBright,
  duration: () => gray
};

// node_modules/execa/lib/verbose/custom.js
var applyVerboseOnLines = (printedLines, verboseInfo, fdNumber) => {
  const verboseFunction = getVerboseFunction(verboseInfo, fdNumber);
  return printedLines.map(({ verboseLine, verboseObject }) => applyVerboseFunction(verboseLine, verboseObject, verboseFunction)).filter((printedLine) => printedLine !== void 0).map((printedLine) => appendNewline(printedLine)).join("");
};
var applyVerboseFunction = (verboseLine, verboseObject, verboseFunction) => {
  if (verboseFunction === void 0) {
    return verboseLine;
  }
  const printedLine = verboseFunction(verboseLine, verboseObject);
  if (typeof printedLine === "string") {
    return printedLine;
  }
};
var appendNewline = (printedLine) => printedLine.endsWith("\n") ? printedLine : `${printedLine}
`;

// node_modules/execa/lib/verbose/log.js
var verboseLog = ({ type, verboseMessage, fdNumber, verboseInfo, result }) => {
  const verboseObject = getVerboseObject({ type, result, verboseInfo });
  const printedLines = getPrintedLines(verboseMessage, verboseObject);
  const finalLines = applyVerboseOnLines(printedLines, verboseInfo, fdNumber);
  if (finalLines !== "") {
    console.warn(finalLines.slice(0, -1));
  }
};
var getVerboseObject = ({
  type,
  result,
  verboseInfo: { escapedCommand, commandId, rawOptions: { piped = false, ...options } }
}) => ({
  type,
  escapedCommand,
  commandId: `${commandId}`,
  timestamp: /* @__PURE__ */ new Date(),
  piped,
  result,
  options
});
var getPrintedLines = (verboseMessage, verboseObject) => verboseMessage.split("\n").map((message) => getPrintedLine({ ...verboseObject, message }));
var getPrintedLine = (verboseObject) => {
  const verboseLine = defaultVerboseFunction(verboseObject);
  return { verboseLine, verboseObject };
};
var serializeVerboseMessage = (message) => {
  const messageString = typeof message === "string" ? message : inspect(message);
  const escapedMessage = escapeLines(messageString);
  return escapedMessage.replaceAll("	", " ".repeat(TAB_SIZE));
};
var TAB_SIZE = 2;

// node_modules/execa/lib/verbose/start.js
var logCommand = (escapedCommand, verboseInfo) => {
  if (!isVerbose(verboseInfo)) {
    return;
  }
  verboseLog({
    type: "command",
    verboseMessage: escapedCommand,
    verboseInfo
  });
};

// node_modules/execa/lib/verbose/info.js
var getVerboseInfo = (verbose, escapedCommand, rawOptions) => {
  validateVerbose(verbose);
  const commandId = getCommandId(verbose);
  return {
    verbose,
    escapedCommand,
    commandId,
    rawOptions
  };
};
var getCommandId = (verbose) => isVerbose({ verbose }) ? COMMAND_ID++ : void 0;
var COMMAND_ID = 0n;
var validateVerbose = (verbose) => {
  for (const fdVerbose of verbose) {
    if (fdVerbose === false) {
      throw new TypeError(`The "verbose: false" option was renamed to "verbose: 'none'".`);
    }
    if (fdVerbose === true) {
      throw new TypeError(`The "verbose: true" option was renamed to "verbose: 'short'".`);
    }
    if (!VERBOSE_VALUES.includes(fdVerbose) && !isVerboseFunction(fdVerbose)) {
      const allowedValues = VERBOSE_VALUES.map((allowedValue) => `'${allowedValue}'`).join(", ");
      throw new TypeError(`The "verbose" option must not be ${fdVerbose}. Allowed values are: ${allowedValues} or a function.`);
    }
  }
};

// node_modules/execa/lib/return/duration.js
import { hrtime } from "node:process";
var getStartTime = () => hrtime.bigint();
var getDurationMs = (startTime) => Number(hrtime.bigint() - startTime) / 1e6;

// node_modules/execa/lib/arguments/command.js
var handleCommand = (filePath, rawArguments, rawOptions) => {
  const startTime = getStartTime();
  const { command, escapedCommand } = joinCommand(filePath, rawArguments);
  const verbose = normalizeFdSpecificOption(rawOptions, "verbose");
  const verboseInfo = getVerboseInfo(verbose, escapedCommand, { ...rawOptions });
  logCommand(escapedCommand, verboseInfo);
  return {
    command,
    escapedCommand,
    startTime,
    verboseInfo
  };
};

// node_modules/execa/lib/arguments/options.js
var import_cross_spawn = __toESM(require_cross_spawn(), 1);
import path5 from "node:path";
import process6 from "node:process";

// node_modules/npm-run-path/index.js
import process4 from "node:process";
import path2 from "node:path";

// node_modules/npm-run-path/node_modules/path-key/index.js
function pathKey(options = {}) {
  const {
    env = process.env,
    platform: platform2 = process.platform
  } = options;
  if (platform2 !== "win32") {
    return "PATH";
  }
  return Object.keys(env).reverse().find((key2) => key2.toUpperCase() === "PATH") || "Path";
}

// node_modules/unicorn-magic/node.js
import { promisify } from "node:util";
import { execFile as execFileCallback, execFileSync as execFileSyncOriginal } from "node:child_process";
import path from "node:path";
import { fileURLToPath as fileURLToPath2 } from "node:url";
var execFileOriginal = promisify(execFileCallback);
function toPath(urlOrPath) {
  return urlOrPath instanceof URL ? fileURLToPath2(urlOrPath) : urlOrPath;
}
function traversePathUp(startPath) {
  return {
    *[Symbol.iterator]() {
      let currentPath = path.resolve(toPath(startPath));
      let previousPath;
      while (previousPath !== currentPath) {
        yield currentPath;
        previousPath = currentPath;
        currentPath = path.resolve(currentPath, "..");
      }
    }
  };
}
var TEN_MEGABYTES_IN_BYTES = 10 * 1024 * 1024;

// node_modules/npm-run-path/index.js
var npmRunPath = ({
  cwd = process4.cwd(),
  path: pathOption = process4.env[pathKey()],
  preferLocal = true,
  execPath: execPath2 = process4.execPath,
  addExecPath = true
} = {}) => {
  const cwdPath = path2.resolve(toPath(cwd));
  const result = [];
  const pathParts = pathOption.split(path2.delimiter);
  if (preferLocal) {
    applyPreferLocal(result, pathParts, cwdPath);
  }
  if (addExecPath) {
    applyExecPath(result, pathParts, execPath2, cwdPath);
  }
  return pathOption === "" || pathOption === path2.delimiter ? `${result.join(path2.delimiter)}${pathOption}` : [...result, pathOption].join(path2.delimiter);
};
var applyPreferLocal = (result, pathParts, cwdPath) => {
  for (const directory of traversePathUp(cwdPath)) {
    const pathPart = path2.join(directory, "node_modules/.bin");
    if (!pathParts.includes(pathPart)) {
      result.push(pathPart);
    }
  }
};
var applyExecPath = (result, pathParts, execPath2, cwdPath) => {
  const pathPart = path2.resolve(cwdPath, toPath(execPath2), "..");
  if (!pathParts.includes(pathPart)) {
    result.push(pathPart);
  }
};
var npmRunPathEnv = ({ env = process4.env, ...options } = {}) => {
  env = { ...env };
  const pathName = pathKey({ env });
  options.path = env[pathName];
  env[pathName] = npmRunPath(options);
  return env;
};

// node_modules/execa/lib/terminate/kill.js
import { setTimeout as setTimeout2 } from "node:timers/promises";

// node_modules/execa/lib/return/final-error.js
var getFinalError = (originalError, message, isSync) => {
  const ErrorClass = isSync ? ExecaSyncError : ExecaError;
  const options = originalError instanceof DiscardedError ? {} : { cause: originalError };
  return new ErrorClass(message, options);
};
var DiscardedError = class extends Error {
};
var setErrorName = (ErrorClass, value) => {
  Object.defineProperty(ErrorClass.prototype, "name", {
    value,
    writable: true,
    enumerable: false,
    configurable: true
  });
  Object.defineProperty(ErrorClass.prototype, execaErrorSymbol, {
    value: true,
    writable: false,
    enumerable: false,
    configurable: false
  });
};
var isExecaError = (error) => isErrorInstance(error) && execaErrorSymbol in error;
var execaErrorSymbol = /* @__PURE__ */ Symbol("isExecaError");
var isErrorInstance = (value) => Object.prototype.toString.call(value) === "[object Error]";
var ExecaError = class extends Error {
};
setErrorName(ExecaError, ExecaError.name);
var ExecaSyncError = class extends Error {
};
setErrorName(ExecaSyncError, ExecaSyncError.name);

// node_modules/execa/lib/terminate/signal.js
import { constants as constants3 } from "node:os";

// node_modules/human-signals/build/src/main.js
import { constants as constants2 } from "node:os";

// node_modules/human-signals/build/src/realtime.js
var getRealtimeSignals = () => {
  const length = SIGRTMAX - SIGRTMIN + 1;
  return Array.from({ length }, getRealtimeSignal);
};
var getRealtimeSignal = (value, index) => ({
  name: `SIGRT${index + 1}`,
  number: SIGRTMIN + index,
  action: "terminate",
  description: "Application-specific signal (realtime)",
  standard: "posix"
});
var SIGRTMIN = 34;
var SIGRTMAX = 64;

// node_modules/human-signals/build/src/signals.js
import { constants } from "node:os";

// node_modules/human-signals/build/src/core.js
var SIGNALS = [
  {
    name: "SIGHUP",
    number: 1,
    action: "terminate",
    description: "Terminal closed",
    standard: "posix"
  },
  {
    name: "SIGINT",
    number: 2,
    action: "terminate",
    description: "User interruption with CTRL-C",
    standard: "ansi"
  },
  {
    name: "SIGQUIT",
    number: 3,
    action: "core",
    description: "User interruption with CTRL-\\",
    standard: "posix"
  },
  {
    name: "SIGILL",
    number: 4,
    action: "core",
    description: "Invalid machine instruction",
    standard: "ansi"
  },
  {
    name: "SIGTRAP",
    number: 5,
    action: "core",
    description: "Debugger breakpoint",
    standard: "posix"
  },
  {
    name: "SIGABRT",
    number: 6,
    action: "core",
    description: "Aborted",
    standard: "ansi"
  },
  {
    name: "SIGIOT",
    number: 6,
    action: "core",
    description: "Aborted",
    standard: "bsd"
  },
  {
    name: "SIGBUS",
    number: 7,
    action: "core",
    description: "Bus error due to misaligned, non-existing address or paging error",
    standard: "bsd"
  },
  {
    name: "SIGEMT",
    number: 7,
    action: "terminate",
    description: "Command should be emulated but is not implemented",
    standard: "other"
  },
  {
    name: "SIGFPE",
    number: 8,
    action: "core",
    description: "Floating point arithmetic error",
    standard: "ansi"
  },
  {
    name: "SIGKILL",
    number: 9,
    action: "terminate",
    description: "Forced termination",
    standard: "posix",
    forced: true
  },
  {
    name: "SIGUSR1",
    number: 10,
    action: "terminate",
    description: "Application-specific signal",
    standard: "posix"
  },
  {
    name: "SIGSEGV",
    number: 11,
    action: "core",
    description: "Segmentation fault",
    standard: "ansi"
  },
  {
    name: "SIGUSR2",
    number: 12,
    action: "terminate",
    description: "Application-specific signal",
    standard: "posix"
  },
  {
    name: "SIGPIPE",
    number: 13,
    action: "terminate",
    description: "Broken pipe or socket",
    standard: "posix"
  },
  {
    name: "SIGALRM",
    number: 14,
    action: "terminate",
    description: "Timeout or timer",
    standard: "posix"
  },
  {
    name: "SIGTERM",
    number: 15,
    action: "terminate",
    description: "Termination",
    standard: "ansi"
  },
  {
    name: "SIGSTKFLT",
    number: 16,
    action: "terminate",
    description: "Stack is empty or overflowed",
    standard: "other"
  },
  {
    name: "SIGCHLD",
    number: 17,
    action: "ignore",
    description: "Child process terminated, paused or unpaused",
    standard: "posix"
  },
  {
    name: "SIGCLD",
    number: 17,
    action: "ignore",
    description: "Child process terminated, paused or unpaused",
    standard: "other"
  },
  {
    name: "SIGCONT",
    number: 18,
    action: "unpause",
    description: "Unpaused",
    standard: "posix",
    forced: true
  },
  {
    name: "SIGSTOP",
    number: 19,
    action: "pause",
    description: "Paused",
    standard: "posix",
    forced: true
  },
  {
    name: "SIGTSTP",
    number: 20,
    action: "pause",
    description: 'Paused using CTRL-Z or "suspend"',
    standard: "posix"
  },
  {
    name: "SIGTTIN",
    number: 21,
    action: "pause",
    description: "Background process cannot read terminal input",
    standard: "posix"
  },
  {
    name: "SIGBREAK",
    number: 21,
    action: "terminate",
    description: "User interruption with CTRL-BREAK",
    standard: "other"
  },
  {
    name: "SIGTTOU",
    number: 22,
    action: "pause",
    description: "Background process cannot write to terminal output",
    standard: "posix"
  },
  {
    name: "SIGURG",
    number: 23,
    action: "ignore",
    description: "Socket received out-of-band data",
    standard: "bsd"
  },
  {
    name: "SIGXCPU",
    number: 24,
    action: "core",
    description: "Process timed out",
    standard: "bsd"
  },
  {
    name: "SIGXFSZ",
    number: 25,
    action: "core",
    description: "File too big",
    standard: "bsd"
  },
  {
    name: "SIGVTALRM",
    number: 26,
    action: "terminate",
    description: "Timeout or timer",
    standard: "bsd"
  },
  {
    name: "SIGPROF",
    number: 27,
    action: "terminate",
    description: "Timeout or timer",
    standard: "bsd"
  },
  {
    name: "SIGWINCH",
    number: 28,
    action: "ignore",
    description: "Terminal window size changed",
    standard: "bsd"
  },
  {
    name: "SIGIO",
    number: 29,
    action: "terminate",
    description: "I/O is available",
    standard: "other"
  },
  {
    name: "SIGPOLL",
    number: 29,
    action: "terminate",
    description: "Watched event",
    standard: "other"
  },
  {
    name: "SIGINFO",
    number: 29,
    action: "ignore",
    description: "Request for process information",
    standard: "other"
  },
  {
    name: "SIGPWR",
    number: 30,
    action: "terminate",
    description: "Device running out of power",
    standard: "systemv"
  },
  {
    name: "SIGSYS",
    number: 31,
    action: "core",
    description: "Invalid system call",
    standard: "other"
  },
  {
    name: "SIGUNUSED",
    number: 31,
    action: "terminate",
    description: "Invalid system call",
    standard: "other"
  }
];

// node_modules/human-signals/build/src/signals.js
var getSignals = () => {
  const realtimeSignals = getRealtimeSignals();
  const signals2 = [...SIGNALS, ...realtimeSignals].map(normalizeSignal);
  return signals2;
};
var normalizeSignal = ({
  name,
  number: defaultNumber,
  description,
  action,
  forced = false,
  standard
}) => {
  const {
    signals: { [name]: constantSignal }
  } = constants;
  const supported = constantSignal !== void 0;
  const number = supported ? constantSignal : defaultNumber;
  return { name, number, description, supported, action, forced, standard };
};

// node_modules/human-signals/build/src/main.js
var getSignalsByName = () => {
  const signals2 = getSignals();
  return Object.fromEntries(signals2.map(getSignalByName));
};
var getSignalByName = ({
  name,
  number,
  description,
  supported,
  action,
  forced,
  standard
}) => [name, { name, number, description, supported, action, forced, standard }];
var signalsByName = getSignalsByName();
var getSignalsByNumber = () => {
  const signals2 = getSignals();
  const length = SIGRTMAX + 1;
  const signalsA = Array.from(
    { length },
    (value, number) => getSignalByNumber(number, signals2)
  );
  return Object.assign({}, ...signalsA);
};
var getSignalByNumber = (number, signals2) => {
  const signal = findSignalByNumber(number, signals2);
  if (signal === void 0) {
    return {};
  }
  const { name, description, supported, action, forced, standard } = signal;
  return {
    [number]: {
      name,
      number,
      description,
      supported,
      action,
      forced,
      standard
    }
  };
};
var findSignalByNumber = (number, signals2) => {
  const signal = signals2.find(({ name }) => constants2.signals[name] === number);
  if (signal !== void 0) {
    return signal;
  }
  return signals2.find((signalA) => signalA.number === number);
};
var signalsByNumber = getSignalsByNumber();

// node_modules/execa/lib/terminate/signal.js
var normalizeKillSignal = (killSignal) => {
  const optionName = "option `killSignal`";
  if (killSignal === 0) {
    throw new TypeError(`Invalid ${optionName}: 0 cannot be used.`);
  }
  return normalizeSignal2(killSignal, optionName);
};
var normalizeSignalArgument = (signal) => signal === 0 ? signal : normalizeSignal2(signal, "`subprocess.kill()`'s argument");
var normalizeSignal2 = (signalNameOrInteger, optionName) => {
  if (Number.isInteger(signalNameOrInteger)) {
    return normalizeSignalInteger(signalNameOrInteger, optionName);
  }
  if (typeof signalNameOrInteger === "string") {
    return normalizeSignalName(signalNameOrInteger, optionName);
  }
  throw new TypeError(`Invalid ${optionName} ${String(signalNameOrInteger)}: it must be a string or an integer.
${getAvailableSignals()}`);
};
var normalizeSignalInteger = (signalInteger, optionName) => {
  if (signalsIntegerToName.has(signalInteger)) {
    return signalsIntegerToName.get(signalInteger);
  }
  throw new TypeError(`Invalid ${optionName} ${signalInteger}: this signal integer does not exist.
${getAvailableSignals()}`);
};
var getSignalsIntegerToName = () => new Map(Object.entries(constants3.signals).reverse().map(([signalName, signalInteger]) => [signalInteger, signalName]));
var signalsIntegerToName = getSignalsIntegerToName();
var normalizeSignalName = (signalName, optionName) => {
  if (signalName in constants3.signals) {
    return signalName;
  }
  if (signalName.toUpperCase() in constants3.signals) {
    throw new TypeError(`Invalid ${optionName} '${signalName}': please rename it to '${signalName.toUpperCase()}'.`);
  }
  throw new TypeError(`Invalid ${optionName} '${signalName}': this signal name does not exist.
${getAvailableSignals()}`);
};
var getAvailableSignals = () => `Available signal names: ${getAvailableSignalNames()}.
Available signal numbers: ${getAvailableSignalIntegers()}.`;
var getAvailableSignalNames = () => Object.keys(constants3.signals).sort().map((signalName) => `'${signalName}'`).join(", ");
var getAvailableSignalIntegers = () => [...new Set(Object.values(constants3.signals).sort((signalInteger, signalIntegerTwo) => signalInteger - signalIntegerTwo))].join(", ");
var getSignalDescription = (signal) => signalsByName[signal].description;

// node_modules/execa/lib/terminate/kill.js
var normalizeForceKillAfterDelay = (forceKillAfterDelay) => {
  if (forceKillAfterDelay === false) {
    return forceKillAfterDelay;
  }
  if (forceKillAfterDelay === true) {
    return DEFAULT_FORCE_KILL_TIMEOUT;
  }
  if (!Number.isFinite(forceKillAfterDelay) || forceKillAfterDelay < 0) {
    throw new TypeError(`Expected the \`forceKillAfterDelay\` option to be a non-negative integer, got \`${forceKillAfterDelay}\` (${typeof forceKillAfterDelay})`);
  }
  return forceKillAfterDelay;
};
var DEFAULT_FORCE_KILL_TIMEOUT = 1e3 * 5;
var subprocessKill = ({ kill, options: { forceKillAfterDelay, killSignal }, onInternalError, context, controller }, signalOrError, errorArgument) => {
  const { signal, error } = parseKillArguments(signalOrError, errorArgument, killSignal);
  emitKillError(error, onInternalError);
  const killResult = kill(signal);
  setKillTimeout({
    kill,
    signal,
    forceKillAfterDelay,
    killSignal,
    killResult,
    context,
    controller
  });
  return killResult;
};
var parseKillArguments = (signalOrError, errorArgument, killSignal) => {
  const [signal = killSignal, error] = isErrorInstance(signalOrError) ? [void 0, signalOrError] : [signalOrError, errorArgument];
  if (typeof signal !== "string" && !Number.isInteger(signal)) {
    throw new TypeError(`The first argument must be an error instance or a signal name string/integer: ${String(signal)}`);
  }
  if (error !== void 0 && !isErrorInstance(error)) {
    throw new TypeError(`The second argument is optional. If specified, it must be an error instance: ${error}`);
  }
  return { signal: normalizeSignalArgument(signal), error };
};
var emitKillError = (error, onInternalError) => {
  if (error !== void 0) {
    onInternalError.reject(error);
  }
};
var setKillTimeout = async ({ kill, signal, forceKillAfterDelay, killSignal, killResult, context, controller }) => {
  if (signal === killSignal && killResult) {
    killOnTimeout({
      kill,
      forceKillAfterDelay,
      context,
      controllerSignal: controller.signal
    });
  }
};
var killOnTimeout = async ({ kill, forceKillAfterDelay, context, controllerSignal }) => {
  if (forceKillAfterDelay === false) {
    return;
  }
  try {
    await setTimeout2(forceKillAfterDelay, void 0, { signal: controllerSignal });
    if (kill("SIGKILL")) {
      context.isForcefullyTerminated ??= true;
    }
  } catch {
  }
};

// node_modules/execa/lib/utils/abort-signal.js
import { once } from "node:events";
var onAbortedSignal = async (mainSignal, stopSignal) => {
  if (!mainSignal.aborted) {
    await once(mainSignal, "abort", { signal: stopSignal });
  }
};

// node_modules/execa/lib/terminate/cancel.js
var validateCancelSignal = ({ cancelSignal }) => {
  if (cancelSignal !== void 0 && Object.prototype.toString.call(cancelSignal) !== "[object AbortSignal]") {
    throw new Error(`The \`cancelSignal\` option must be an AbortSignal: ${String(cancelSignal)}`);
  }
};
var throwOnCancel = ({ subprocess, cancelSignal, gracefulCancel, context, controller }) => cancelSignal === void 0 || gracefulCancel ? [] : [terminateOnCancel(subprocess, cancelSignal, context, controller)];
var terminateOnCancel = async (subprocess, cancelSignal, context, { signal }) => {
  await onAbortedSignal(cancelSignal, signal);
  context.terminationReason ??= "cancel";
  subprocess.kill();
  throw cancelSignal.reason;
};

// node_modules/execa/lib/ipc/graceful.js
import { scheduler as scheduler2 } from "node:timers/promises";

// node_modules/execa/lib/ipc/send.js
import { promisify as promisify2 } from "node:util";

// node_modules/execa/lib/ipc/validation.js
var validateIpcMethod = ({ methodName, isSubprocess, ipc, isConnected: isConnected2 }) => {
  validateIpcOption(methodName, isSubprocess, ipc);
  validateConnection(methodName, isSubprocess, isConnected2);
};
var validateIpcOption = (methodName, isSubprocess, ipc) => {
  if (!ipc) {
    throw new Error(`${getMethodName(methodName, isSubprocess)} can only be used if the \`ipc\` option is \`true\`.`);
  }
};
var validateConnection = (methodName, isSubprocess, isConnected2) => {
  if (!isConnected2) {
    throw new Error(`${getMethodName(methodName, isSubprocess)} cannot be used: the ${getOtherProcessName(isSubprocess)} has already exited or disconnected.`);
  }
};
var throwOnEarlyDisconnect = (isSubprocess) => {
  throw new Error(`${getMethodName("getOneMessage", isSubprocess)} could not complete: the ${getOtherProcessName(isSubprocess)} exited or disconnected.`);
};
var throwOnStrictDeadlockError = (isSubprocess) => {
  throw new Error(`${getMethodName("sendMessage", isSubprocess)} failed: the ${getOtherProcessName(isSubprocess)} is sending a message too, instead of listening to incoming messages.
This can be fixed by both sending a message and listening to incoming messages at the same time:

const [receivedMessage] = await Promise.all([
	${getMethodName("getOneMessage", isSubprocess)},
	${getMethodName("sendMessage", isSubprocess, "message, {strict: true}")},
]);`);
};
var getStrictResponseError = (error, isSubprocess) => new Error(`${getMethodName("sendMessage", isSubprocess)} failed when sending an acknowledgment response to the ${getOtherProcessName(isSubprocess)}.`, { cause: error });
var throwOnMissingStrict = (isSubprocess) => {
  throw new Error(`${getMethodName("sendMessage", isSubprocess)} failed: the ${getOtherProcessName(isSubprocess)} is not listening to incoming messages.`);
};
var throwOnStrictDisconnect = (isSubprocess) => {
  throw new Error(`${getMethodName("sendMessage", isSubprocess)} failed: the ${getOtherProcessName(isSubprocess)} exited without listening to incoming messages.`);
};
var getAbortDisconnectError = () => new Error(`\`cancelSignal\` aborted: the ${getOtherProcessName(true)} disconnected.`);
var throwOnMissingParent = () => {
  throw new Error("`getCancelSignal()` cannot be used without setting the `cancelSignal` subprocess option.");
};
var handleEpipeError = ({ error, methodName, isSubprocess }) => {
  if (error.code === "EPIPE") {
    throw new Error(`${getMethodName(methodName, isSubprocess)} cannot be used: the ${getOtherProcessName(isSubprocess)} is disconnecting.`, { cause: error });
  }
};
var handleSerializationError = ({ error, methodName, isSubprocess, message }) => {
  if (isSerializationError(error)) {
    throw new Error(`${getMethodName(methodName, isSubprocess)}'s argument type is invalid: the message cannot be serialized: ${String(message)}.`, { cause: error });
  }
};
var isSerializationError = ({ code, message }) => SERIALIZATION_ERROR_CODES.has(code) || SERIALIZATION_ERROR_MESSAGES.some((serializationErrorMessage) => message.includes(serializationErrorMessage));
var SERIALIZATION_ERROR_CODES = /* @__PURE__ */ new Set([
  // Message is `undefined`
  "ERR_MISSING_ARGS",
  // Message is a function, a bigint, a symbol
  "ERR_INVALID_ARG_TYPE"
]);
var SERIALIZATION_ERROR_MESSAGES = [
  // Message is a promise or a proxy, with `serialization: 'advanced'`
  "could not be cloned",
  // Message has cycles, with `serialization: 'json'`
  "circular structure",
  // Message has cycles inside toJSON(), with `serialization: 'json'`
  "call stack size exceeded"
];
var getMethodName = (methodName, isSubprocess, parameters = "") => methodName === "cancelSignal" ? "`cancelSignal`'s `controller.abort()`" : `${getNamespaceName(isSubprocess)}${methodName}(${parameters})`;
var getNamespaceName = (isSubprocess) => isSubprocess ? "" : "subprocess.";
var getOtherProcessName = (isSubprocess) => isSubprocess ? "parent process" : "subprocess";
var disconnect = (anyProcess) => {
  if (anyProcess.connected) {
    anyProcess.disconnect();
  }
};

// node_modules/execa/lib/utils/deferred.js
var createDeferred = () => {
  const methods = {};
  const promise = new Promise((resolve3, reject) => {
    Object.assign(methods, { resolve: resolve3, reject });
  });
  return Object.assign(promise, methods);
};

// node_modules/execa/lib/arguments/fd-options.js
var getToStream = (destination, to = "stdin") => {
  const isWritable = true;
  const { options, fileDescriptors } = SUBPROCESS_OPTIONS.get(destination);
  const fdNumber = getFdNumber(fileDescriptors, to, isWritable);
  const destinationStream = destination.stdio[fdNumber];
  if (destinationStream === null) {
    throw new TypeError(getInvalidStdioOptionMessage(fdNumber, to, options, isWritable));
  }
  return destinationStream;
};
var getFromStream = (source, from = "stdout") => {
  const isWritable = false;
  const { options, fileDescriptors } = SUBPROCESS_OPTIONS.get(source);
  const fdNumber = getFdNumber(fileDescriptors, from, isWritable);
  const sourceStream = fdNumber === "all" ? source.all : source.stdio[fdNumber];
  if (sourceStream === null || sourceStream === void 0) {
    throw new TypeError(getInvalidStdioOptionMessage(fdNumber, from, options, isWritable));
  }
  return sourceStream;
};
var SUBPROCESS_OPTIONS = /* @__PURE__ */ new WeakMap();
var getFdNumber = (fileDescriptors, fdName, isWritable) => {
  const fdNumber = parseFdNumber(fdName, isWritable);
  validateFdNumber(fdNumber, fdName, isWritable, fileDescriptors);
  return fdNumber;
};
var parseFdNumber = (fdName, isWritable) => {
  const fdNumber = parseFd(fdName);
  if (fdNumber !== void 0) {
    return fdNumber;
  }
  const { validOptions, defaultValue } = isWritable ? { validOptions: '"stdin"', defaultValue: "stdin" } : { validOptions: '"stdout", "stderr", "all"', defaultValue: "stdout" };
  throw new TypeError(`"${getOptionName(isWritable)}" must not be "${fdName}".
It must be ${validOptions} or "fd3", "fd4" (and so on).
It is optional and defaults to "${defaultValue}".`);
};
var validateFdNumber = (fdNumber, fdName, isWritable, fileDescriptors) => {
  const fileDescriptor = fileDescriptors[getUsedDescriptor(fdNumber)];
  if (fileDescriptor === void 0) {
    throw new TypeError(`"${getOptionName(isWritable)}" must not be ${fdName}. That file descriptor does not exist.
Please set the "stdio" option to ensure that file descriptor exists.`);
  }
  if (fileDescriptor.direction === "input" && !isWritable) {
    throw new TypeError(`"${getOptionName(isWritable)}" must not be ${fdName}. It must be a readable stream, not writable.`);
  }
  if (fileDescriptor.direction !== "input" && isWritable) {
    throw new TypeError(`"${getOptionName(isWritable)}" must not be ${fdName}. It must be a writable stream, not readable.`);
  }
};
var getInvalidStdioOptionMessage = (fdNumber, fdName, options, isWritable) => {
  if (fdNumber === "all" && !options.all) {
    return `The "all" option must be true to use "from: 'all'".`;
  }
  const { optionName, optionValue } = getInvalidStdioOption(fdNumber, options);
  return `The "${optionName}: ${serializeOptionValue(optionValue)}" option is incompatible with using "${getOptionName(isWritable)}: ${serializeOptionValue(fdName)}".
Please set this option with "pipe" instead.`;
};
var getInvalidStdioOption = (fdNumber, { stdin, stdout, stderr, stdio }) => {
  const usedDescriptor = getUsedDescriptor(fdNumber);
  if (usedDescriptor === 0 && stdin !== void 0) {
    return { optionName: "stdin", optionValue: stdin };
  }
  if (usedDescriptor === 1 && stdout !== void 0) {
    return { optionName: "stdout", optionValue: stdout };
  }
  if (usedDescriptor === 2 && stderr !== void 0) {
    return { optionName: "stderr", optionValue: stderr };
  }
  return { optionName: `stdio[${usedDescriptor}]`, optionValue: stdio[usedDescriptor] };
};
var getUsedDescriptor = (fdNumber) => fdNumber === "all" ? 1 : fdNumber;
var getOptionName = (isWritable) => isWritable ? "to" : "from";
var serializeOptionValue = (value) => {
  if (typeof value === "string") {
    return `'${value}'`;
  }
  return typeof value === "number" ? `${value}` : "Stream";
};

// node_modules/execa/lib/ipc/strict.js
import { once as once3 } from "node:events";

// node_modules/execa/lib/utils/max-listeners.js
import { addAbortListener } from "node:events";
var incrementMaxListeners = (eventEmitter, maxListenersIncrement, signal) => {
  const maxListeners = eventEmitter.getMaxListeners();
  if (maxListeners === 0 || maxListeners === Number.POSITIVE_INFINITY) {
    return;
  }
  eventEmitter.setMaxListeners(maxListeners + maxListenersIncrement);
  addAbortListener(signal, () => {
    eventEmitter.setMaxListeners(eventEmitter.getMaxListeners() - maxListenersIncrement);
  });
};

// node_modules/execa/lib/ipc/forward.js
import { EventEmitter } from "node:events";

// node_modules/execa/lib/ipc/incoming.js
import { once as once2 } from "node:events";
import { scheduler } from "node:timers/promises";

// node_modules/execa/lib/ipc/reference.js
var addReference = (channel, reference) => {
  if (reference) {
    addReferenceCount(channel);
  }
};
var addReferenceCount = (channel) => {
  channel.refCounted();
};
var removeReference = (channel, reference) => {
  if (reference) {
    removeReferenceCount(channel);
  }
};
var removeReferenceCount = (channel) => {
  channel.unrefCounted();
};
var undoAddedReferences = (channel, isSubprocess) => {
  if (isSubprocess) {
    removeReferenceCount(channel);
    removeReferenceCount(channel);
  }
};
var redoAddedReferences = (channel, isSubprocess) => {
  if (isSubprocess) {
    addReferenceCount(channel);
    addReferenceCount(channel);
  }
};

// node_modules/execa/lib/ipc/incoming.js
var onMessage = async ({ anyProcess, channel, isSubprocess, ipcEmitter }, wrappedMessage) => {
  if (handleStrictResponse(wrappedMessage) || handleAbort(wrappedMessage)) {
    return;
  }
  if (!INCOMING_MESSAGES.has(anyProcess)) {
    INCOMING_MESSAGES.set(anyProcess, []);
  }
  const incomingMessages = INCOMING_MESSAGES.get(anyProcess);
  incomingMessages.push(wrappedMessage);
  if (incomingMessages.length > 1) {
    return;
  }
  while (incomingMessages.length > 0) {
    await waitForOutgoingMessages(anyProcess, ipcEmitter, wrappedMessage);
    await scheduler.yield();
    const message = await handleStrictRequest({
      wrappedMessage: incomingMessages[0],
      anyProcess,
      channel,
      isSubprocess,
      ipcEmitter
    });
    incomingMessages.shift();
    ipcEmitter.emit("message", message);
    ipcEmitter.emit("message:done");
  }
};
var onDisconnect = async ({ anyProcess, channel, isSubprocess, ipcEmitter, boundOnMessage }) => {
  abortOnDisconnect();
  const incomingMessages = INCOMING_MESSAGES.get(anyProcess);
  while (incomingMessages?.length > 0) {
    await once2(ipcEmitter, "message:done");
  }
  anyProcess.removeListener("message", boundOnMessage);
  redoAddedReferences(channel, isSubprocess);
  ipcEmitter.connected = false;
  ipcEmitter.emit("disconnect");
};
var INCOMING_MESSAGES = /* @__PURE__ */ new WeakMap();

// node_modules/execa/lib/ipc/forward.js
var getIpcEmitter = (anyProcess, channel, isSubprocess) => {
  if (IPC_EMITTERS.has(anyProcess)) {
    return IPC_EMITTERS.get(anyProcess);
  }
  const ipcEmitter = new EventEmitter();
  ipcEmitter.connected = true;
  IPC_EMITTERS.set(anyProcess, ipcEmitter);
  forwardEvents({
    ipcEmitter,
    anyProcess,
    channel,
    isSubprocess
  });
  return ipcEmitter;
};
var IPC_EMITTERS = /* @__PURE__ */ new WeakMap();
var forwardEvents = ({ ipcEmitter, anyProcess, channel, isSubprocess }) => {
  const boundOnMessage = onMessage.bind(void 0, {
    anyProcess,
    channel,
    isSubprocess,
    ipcEmitter
  });
  anyProcess.on("message", boundOnMessage);
  anyProcess.once("disconnect", onDisconnect.bind(void 0, {
    anyProcess,
    channel,
    isSubprocess,
    ipcEmitter,
    boundOnMessage
  }));
  undoAddedReferences(channel, isSubprocess);
};
var isConnected = (anyProcess) => {
  const ipcEmitter = IPC_EMITTERS.get(anyProcess);
  return ipcEmitter === void 0 ? anyProcess.channel !== null : ipcEmitter.connected;
};

// node_modules/execa/lib/ipc/strict.js
var handleSendStrict = ({ anyProcess, channel, isSubprocess, message, strict }) => {
  if (!strict) {
    return message;
  }
  const ipcEmitter = getIpcEmitter(anyProcess, channel, isSubprocess);
  const hasListeners = hasMessageListeners(anyProcess, ipcEmitter);
  return {
    id: count++,
    type: REQUEST_TYPE,
    message,
    hasListeners
  };
};
var count = 0n;
var validateStrictDeadlock = (outgoingMessages, wrappedMessage) => {
  if (wrappedMessage?.type !== REQUEST_TYPE || wrappedMessage.hasListeners) {
    return;
  }
  for (const { id } of outgoingMessages) {
    if (id !== void 0) {
      STRICT_RESPONSES[id].resolve({ isDeadlock: true, hasListeners: false });
    }
  }
};
var handleStrictRequest = async ({ wrappedMessage, anyProcess, channel, isSubprocess, ipcEmitter }) => {
  if (wrappedMessage?.type !== REQUEST_TYPE || !anyProcess.connected) {
    return wrappedMessage;
  }
  const { id, message } = wrappedMessage;
  const response = { id, type: RESPONSE_TYPE, message: hasMessageListeners(anyProcess, ipcEmitter) };
  try {
    await sendMessage({
      anyProcess,
      channel,
      isSubprocess,
      ipc: true
    }, response);
  } catch (error) {
    ipcEmitter.emit("strict:error", error);
  }
  return message;
};
var handleStrictResponse = (wrappedMessage) => {
  if (wrappedMessage?.type !== RESPONSE_TYPE) {
    return false;
  }
  const { id, message: hasListeners } = wrappedMessage;
  STRICT_RESPONSES[id]?.resolve({ isDeadlock: false, hasListeners });
  return true;
};
var waitForStrictResponse = async (wrappedMessage, anyProcess, isSubprocess) => {
  if (wrappedMessage?.type !== REQUEST_TYPE) {
    return;
  }
  const deferred = createDeferred();
  STRICT_RESPONSES[wrappedMessage.id] = deferred;
  const controller = new AbortController();
  try {
    const { isDeadlock, hasListeners } = await Promise.race([
      deferred,
      throwOnDisconnect(anyProcess, isSubprocess, controller)
    ]);
    if (isDeadlock) {
      throwOnStrictDeadlockError(isSubprocess);
    }
    if (!hasListeners) {
      throwOnMissingStrict(isSubprocess);
    }
  } finally {
    controller.abort();
    delete STRICT_RESPONSES[wrappedMessage.id];
  }
};
var STRICT_RESPONSES = {};
var throwOnDisconnect = async (anyProcess, isSubprocess, { signal }) => {
  incrementMaxListeners(anyProcess, 1, signal);
  await once3(anyProcess, "disconnect", { signal });
  throwOnStrictDisconnect(isSubprocess);
};
var REQUEST_TYPE = "execa:ipc:request";
var RESPONSE_TYPE = "execa:ipc:response";

// node_modules/execa/lib/ipc/outgoing.js
var startSendMessage = (anyProcess, wrappedMessage, strict) => {
  if (!OUTGOING_MESSAGES.has(anyProcess)) {
    OUTGOING_MESSAGES.set(anyProcess, /* @__PURE__ */ new Set());
  }
  const outgoingMessages = OUTGOING_MESSAGES.get(anyProcess);
  const onMessageSent = createDeferred();
  const id = strict ? wrappedMessage.id : void 0;
  const outgoingMessage = { onMessageSent, id };
  outgoingMessages.add(outgoingMessage);
  return { outgoingMessages, outgoingMessage };
};
var endSendMessage = ({ outgoingMessages, outgoingMessage }) => {
  outgoingMessages.delete(outgoingMessage);
  outgoingMessage.onMessageSent.resolve();
};
var waitForOutgoingMessages = async (anyProcess, ipcEmitter, wrappedMessage) => {
  while (!hasMessageListeners(anyProcess, ipcEmitter) && OUTGOING_MESSAGES.get(anyProcess)?.size > 0) {
    const outgoingMessages = [...OUTGOING_MESSAGES.get(anyProcess)];
    validateStrictDeadlock(outgoingMessages, wrappedMessage);
    await Promise.all(outgoingMessages.map(({ onMessageSent }) => onMessageSent));
  }
};
var OUTGOING_MESSAGES = /* @__PURE__ */ new WeakMap();
var hasMessageListeners = (anyProcess, ipcEmitter) => ipcEmitter.listenerCount("message") > getMinListenerCount(anyProcess);
var getMinListenerCount = (anyProcess) => SUBPROCESS_OPTIONS.has(anyProcess) && !getFdSpecificValue(SUBPROCESS_OPTIONS.get(anyProcess).options.buffer, "ipc") ? 1 : 0;

// node_modules/execa/lib/ipc/send.js
var sendMessage = ({ anyProcess, channel, isSubprocess, ipc }, message, { strict = false } = {}) => {
  const methodName = "sendMessage";
  validateIpcMethod({
    methodName,
    isSubprocess,
    ipc,
    isConnected: anyProcess.connected
  });
  return sendMessageAsync({
    anyProcess,
    channel,
    methodName,
    isSubprocess,
    message,
    strict
  });
};
var sendMessageAsync = async ({ anyProcess, channel, methodName, isSubprocess, message, strict }) => {
  const wrappedMessage = handleSendStrict({
    anyProcess,
    channel,
    isSubprocess,
    message,
    strict
  });
  const outgoingMessagesState = startSendMessage(anyProcess, wrappedMessage, strict);
  try {
    await sendOneMessage({
      anyProcess,
      methodName,
      isSubprocess,
      wrappedMessage,
      message
    });
  } catch (error) {
    disconnect(anyProcess);
    throw error;
  } finally {
    endSendMessage(outgoingMessagesState);
  }
};
var sendOneMessage = async ({ anyProcess, methodName, isSubprocess, wrappedMessage, message }) => {
  const sendMethod = getSendMethod(anyProcess);
  try {
    await Promise.all([
      waitForStrictResponse(wrappedMessage, anyProcess, isSubprocess),
      sendMethod(wrappedMessage)
    ]);
  } catch (error) {
    handleEpipeError({ error, methodName, isSubprocess });
    handleSerializationError({
      error,
      methodName,
      isSubprocess,
      message
    });
    throw error;
  }
};
var getSendMethod = (anyProcess) => {
  if (PROCESS_SEND_METHODS.has(anyProcess)) {
    return PROCESS_SEND_METHODS.get(anyProcess);
  }
  const sendMethod = promisify2(anyProcess.send.bind(anyProcess));
  PROCESS_SEND_METHODS.set(anyProcess, sendMethod);
  return sendMethod;
};
var PROCESS_SEND_METHODS = /* @__PURE__ */ new WeakMap();

// node_modules/execa/lib/ipc/graceful.js
var sendAbort = (subprocess, message) => {
  const methodName = "cancelSignal";
  validateConnection(methodName, false, subprocess.connected);
  return sendOneMessage({
    anyProcess: subprocess,
    methodName,
    isSubprocess: false,
    wrappedMessage: { type: GRACEFUL_CANCEL_TYPE, message },
    message
  });
};
var getCancelSignal = async ({ anyProcess, channel, isSubprocess, ipc }) => {
  await startIpc({
    anyProcess,
    channel,
    isSubprocess,
    ipc
  });
  return cancelController.signal;
};
var startIpc = async ({ anyProcess, channel, isSubprocess, ipc }) => {
  if (cancelListening) {
    return;
  }
  cancelListening = true;
  if (!ipc) {
    throwOnMissingParent();
    return;
  }
  if (channel === null) {
    abortOnDisconnect();
    return;
  }
  getIpcEmitter(anyProcess, channel, isSubprocess);
  await scheduler2.yield();
};
var cancelListening = false;
var handleAbort = (wrappedMessage) => {
  if (wrappedMessage?.type !== GRACEFUL_CANCEL_TYPE) {
    return false;
  }
  cancelController.abort(wrappedMessage.message);
  return true;
};
var GRACEFUL_CANCEL_TYPE = "execa:ipc:cancel";
var abortOnDisconnect = () => {
  cancelController.abort(getAbortDisconnectError());
};
var cancelController = new AbortController();

// node_modules/execa/lib/terminate/graceful.js
var validateGracefulCancel = ({ gracefulCancel, cancelSignal, ipc, serialization }) => {
  if (!gracefulCancel) {
    return;
  }
  if (cancelSignal === void 0) {
    throw new Error("The `cancelSignal` option must be defined when setting the `gracefulCancel` option.");
  }
  if (!ipc) {
    throw new Error("The `ipc` option cannot be false when setting the `gracefulCancel` option.");
  }
  if (serialization === "json") {
    throw new Error("The `serialization` option cannot be 'json' when setting the `gracefulCancel` option.");
  }
};
var throwOnGracefulCancel = ({
  subprocess,
  cancelSignal,
  gracefulCancel,
  forceKillAfterDelay,
  context,
  controller
}) => gracefulCancel ? [sendOnAbort({
  subprocess,
  cancelSignal,
  forceKillAfterDelay,
  context,
  controller
})] : [];
var sendOnAbort = async ({ subprocess, cancelSignal, forceKillAfterDelay, context, controller: { signal } }) => {
  await onAbortedSignal(cancelSignal, signal);
  const reason = getReason(cancelSignal);
  await sendAbort(subprocess, reason);
  killOnTimeout({
    kill: subprocess.kill,
    forceKillAfterDelay,
    context,
    controllerSignal: signal
  });
  context.terminationReason ??= "gracefulCancel";
  throw cancelSignal.reason;
};
var getReason = ({ reason }) => {
  if (!(reason instanceof DOMException)) {
    return reason;
  }
  const error = new Error(reason.message);
  Object.defineProperty(error, "stack", {
    value: reason.stack,
    enumerable: false,
    configurable: true,
    writable: true
  });
  return error;
};

// node_modules/execa/lib/terminate/timeout.js
import { setTimeout as setTimeout3 } from "node:timers/promises";
var validateTimeout = ({ timeout }) => {
  if (timeout !== void 0 && (!Number.isFinite(timeout) || timeout < 0)) {
    throw new TypeError(`Expected the \`timeout\` option to be a non-negative integer, got \`${timeout}\` (${typeof timeout})`);
  }
};
var throwOnTimeout = (subprocess, timeout, context, controller) => timeout === 0 || timeout === void 0 ? [] : [killAfterTimeout(subprocess, timeout, context, controller)];
var killAfterTimeout = async (subprocess, timeout, context, { signal }) => {
  await setTimeout3(timeout, void 0, { signal });
  context.terminationReason ??= "timeout";
  subprocess.kill();
  throw new DiscardedError();
};

// node_modules/execa/lib/methods/node.js
import { execPath, execArgv } from "node:process";
import path3 from "node:path";
var mapNode = ({ options }) => {
  if (options.node === false) {
    throw new TypeError('The "node" option cannot be false with `execaNode()`.');
  }
  return { options: { ...options, node: true } };
};
var handleNodeOption = (file, commandArguments, {
  node: shouldHandleNode = false,
  nodePath = execPath,
  nodeOptions = execArgv.filter((nodeOption) => !nodeOption.startsWith("--inspect")),
  cwd,
  execPath: formerNodePath,
  ...options
}) => {
  if (formerNodePath !== void 0) {
    throw new TypeError('The "execPath" option has been removed. Please use the "nodePath" option instead.');
  }
  const normalizedNodePath = safeNormalizeFileUrl(nodePath, 'The "nodePath" option');
  const resolvedNodePath = path3.resolve(cwd, normalizedNodePath);
  const newOptions = {
    ...options,
    nodePath: resolvedNodePath,
    node: shouldHandleNode,
    cwd
  };
  if (!shouldHandleNode) {
    return [file, commandArguments, newOptions];
  }
  if (path3.basename(file, ".exe") === "node") {
    throw new TypeError('When the "node" option is true, the first argument does not need to be "node".');
  }
  return [
    resolvedNodePath,
    [...nodeOptions, file, ...commandArguments],
    { ipc: true, ...newOptions, shell: false }
  ];
};

// node_modules/execa/lib/ipc/ipc-input.js
import { serialize } from "node:v8";
var validateIpcInputOption = ({ ipcInput, ipc, serialization }) => {
  if (ipcInput === void 0) {
    return;
  }
  if (!ipc) {
    throw new Error("The `ipcInput` option cannot be set unless the `ipc` option is `true`.");
  }
  validateIpcInput[serialization](ipcInput);
};
var validateAdvancedInput = (ipcInput) => {
  try {
    serialize(ipcInput);
  } catch (error) {
    throw new Error("The `ipcInput` option is not serializable with a structured clone.", { cause: error });
  }
};
var validateJsonInput = (ipcInput) => {
  try {
    JSON.stringify(ipcInput);
  } catch (error) {
    throw new Error("The `ipcInput` option is not serializable with JSON.", { cause: error });
  }
};
var validateIpcInput = {
  advanced: validateAdvancedInput,
  json: validateJsonInput
};
var sendIpcInput = async (subprocess, ipcInput) => {
  if (ipcInput === void 0) {
    return;
  }
  await subprocess.sendMessage(ipcInput);
};

// node_modules/execa/lib/arguments/encoding-option.js
var validateEncoding = ({ encoding }) => {
  if (ENCODINGS.has(encoding)) {
    return;
  }
  const correctEncoding = getCorrectEncoding(encoding);
  if (correctEncoding !== void 0) {
    throw new TypeError(`Invalid option \`encoding: ${serializeEncoding(encoding)}\`.
Please rename it to ${serializeEncoding(correctEncoding)}.`);
  }
  const correctEncodings = [...ENCODINGS].map((correctEncoding2) => serializeEncoding(correctEncoding2)).join(", ");
  throw new TypeError(`Invalid option \`encoding: ${serializeEncoding(encoding)}\`.
Please rename it to one of: ${correctEncodings}.`);
};
var TEXT_ENCODINGS = /* @__PURE__ */ new Set(["utf8", "utf16le"]);
var BINARY_ENCODINGS = /* @__PURE__ */ new Set(["buffer", "hex", "base64", "base64url", "latin1", "ascii"]);
var ENCODINGS = /* @__PURE__ */ new Set([...TEXT_ENCODINGS, ...BINARY_ENCODINGS]);
var getCorrectEncoding = (encoding) => {
  if (encoding === null) {
    return "buffer";
  }
  if (typeof encoding !== "string") {
    return;
  }
  const lowerEncoding = encoding.toLowerCase();
  if (lowerEncoding in ENCODING_ALIASES) {
    return ENCODING_ALIASES[lowerEncoding];
  }
  if (ENCODINGS.has(lowerEncoding)) {
    return lowerEncoding;
  }
};
var ENCODING_ALIASES = {
  // eslint-disable-next-line unicorn/text-encoding-identifier-case
  "utf-8": "utf8",
  "utf-16le": "utf16le",
  "ucs-2": "utf16le",
  ucs2: "utf16le",
  binary: "latin1"
};
var serializeEncoding = (encoding) => typeof encoding === "string" ? `"${encoding}"` : String(encoding);

// node_modules/execa/lib/arguments/cwd.js
import { statSync as statSync3 } from "node:fs";
import path4 from "node:path";
import process5 from "node:process";
var normalizeCwd = (cwd = getDefaultCwd()) => {
  const cwdString = safeNormalizeFileUrl(cwd, 'The "cwd" option');
  return path4.resolve(cwdString);
};
var getDefaultCwd = () => {
  try {
    return process5.cwd();
  } catch (error) {
    error.message = `The current directory does not exist.
${error.message}`;
    throw error;
  }
};
var fixCwdError = (originalMessage, cwd) => {
  if (cwd === getDefaultCwd()) {
    return originalMessage;
  }
  let cwdStat;
  try {
    cwdStat = statSync3(cwd);
  } catch (error) {
    return `The "cwd" option is invalid: ${cwd}.
${error.message}
${originalMessage}`;
  }
  if (!cwdStat.isDirectory()) {
    return `The "cwd" option is not a directory: ${cwd}.
${originalMessage}`;
  }
  return originalMessage;
};

// node_modules/execa/lib/arguments/options.js
var normalizeOptions = (filePath, rawArguments, rawOptions) => {
  rawOptions.cwd = normalizeCwd(rawOptions.cwd);
  const [processedFile, processedArguments, processedOptions] = handleNodeOption(filePath, rawArguments, rawOptions);
  const { command: file, args: commandArguments, options: initialOptions } = import_cross_spawn.default._parse(processedFile, processedArguments, processedOptions);
  const fdOptions = normalizeFdSpecificOptions(initialOptions);
  const options = addDefaultOptions(fdOptions);
  validateTimeout(options);
  validateEncoding(options);
  validateIpcInputOption(options);
  validateCancelSignal(options);
  validateGracefulCancel(options);
  options.shell = normalizeFileUrl(options.shell);
  options.env = getEnv(options);
  options.killSignal = normalizeKillSignal(options.killSignal);
  options.forceKillAfterDelay = normalizeForceKillAfterDelay(options.forceKillAfterDelay);
  options.lines = options.lines.map((lines, fdNumber) => lines && !BINARY_ENCODINGS.has(options.encoding) && options.buffer[fdNumber]);
  if (process6.platform === "win32" && path5.basename(file, ".exe") === "cmd") {
    commandArguments.unshift("/q");
  }
  return { file, commandArguments, options };
};
var addDefaultOptions = ({
  extendEnv = true,
  preferLocal = false,
  cwd,
  localDir: localDirectory = cwd,
  encoding = "utf8",
  reject = true,
  cleanup = true,
  all = false,
  windowsHide = true,
  killSignal = "SIGTERM",
  forceKillAfterDelay = true,
  gracefulCancel = false,
  ipcInput,
  ipc = ipcInput !== void 0 || gracefulCancel,
  serialization = "advanced",
  ...options
}) => ({
  ...options,
  extendEnv,
  preferLocal,
  cwd,
  localDirectory,
  encoding,
  reject,
  cleanup,
  all,
  windowsHide,
  killSignal,
  forceKillAfterDelay,
  gracefulCancel,
  ipcInput,
  ipc,
  serialization
});
var getEnv = ({ env: envOption, extendEnv, preferLocal, node, localDirectory, nodePath }) => {
  const env = extendEnv ? { ...process6.env, ...envOption } : envOption;
  if (preferLocal || node) {
    return npmRunPathEnv({
      env,
      cwd: localDirectory,
      execPath: nodePath,
      preferLocal,
      addExecPath: node
    });
  }
  return env;
};

// node_modules/execa/lib/arguments/shell.js
var concatenateShell = (file, commandArguments, options) => options.shell && commandArguments.length > 0 ? [[file, ...commandArguments].join(" "), [], options] : [file, commandArguments, options];

// node_modules/execa/lib/return/message.js
import { inspect as inspect2 } from "node:util";

// node_modules/strip-final-newline/index.js
function stripFinalNewline(input) {
  if (typeof input === "string") {
    return stripFinalNewlineString(input);
  }
  if (!(ArrayBuffer.isView(input) && input.BYTES_PER_ELEMENT === 1)) {
    throw new Error("Input must be a string or a Uint8Array");
  }
  return stripFinalNewlineBinary(input);
}
var stripFinalNewlineString = (input) => input.at(-1) === LF ? input.slice(0, input.at(-2) === CR ? -2 : -1) : input;
var stripFinalNewlineBinary = (input) => input.at(-1) === LF_BINARY ? input.subarray(0, input.at(-2) === CR_BINARY ? -2 : -1) : input;
var LF = "\n";
var LF_BINARY = LF.codePointAt(0);
var CR = "\r";
var CR_BINARY = CR.codePointAt(0);

// node_modules/get-stream/source/index.js
import { on } from "node:events";
import { finished } from "node:stream/promises";

// node_modules/is-stream/index.js
function isStream(stream, { checkOpen = true } = {}) {
  return stream !== null && typeof stream === "object" && (stream.writable || stream.readable || !checkOpen || stream.writable === void 0 && stream.readable === void 0) && typeof stream.pipe === "function";
}
function isWritableStream(stream, { checkOpen = true } = {}) {
  return isStream(stream, { checkOpen }) && (stream.writable || !checkOpen) && typeof stream.write === "function" && typeof stream.end === "function" && typeof stream.writable === "boolean" && typeof stream.writableObjectMode === "boolean" && typeof stream.destroy === "function" && typeof stream.destroyed === "boolean";
}
function isReadableStream(stream, { checkOpen = true } = {}) {
  return isStream(stream, { checkOpen }) && (stream.readable || !checkOpen) && typeof stream.read === "function" && typeof stream.readable === "boolean" && typeof stream.readableObjectMode === "boolean" && typeof stream.destroy === "function" && typeof stream.destroyed === "boolean";
}
function isDuplexStream(stream, options) {
  return isWritableStream(stream, options) && isReadableStream(stream, options);
}

// node_modules/@sec-ant/readable-stream/dist/ponyfill/asyncIterator.js
var a = Object.getPrototypeOf(
  Object.getPrototypeOf(
    /* istanbul ignore next */
    async function* () {
    }
  ).prototype
);
var c = class {
  #t;
  #n;
  #r = false;
  #e = void 0;
  constructor(e, t) {
    this.#t = e, this.#n = t;
  }
  next() {
    const e = () => this.#s();
    return this.#e = this.#e ? this.#e.then(e, e) : e(), this.#e;
  }
  return(e) {
    const t = () => this.#i(e);
    return this.#e ? this.#e.then(t, t) : t();
  }
  async #s() {
    if (this.#r)
      return {
        done: true,
        value: void 0
      };
    let e;
    try {
      e = await this.#t.read();
    } catch (t) {
      throw this.#e = void 0, this.#r = true, this.#t.releaseLock(), t;
    }
    return e.done && (this.#e = void 0, this.#r = true, this.#t.releaseLock()), e;
  }
  async #i(e) {
    if (this.#r)
      return {
        done: true,
        value: e
      };
    if (this.#r = true, !this.#n) {
      const t = this.#t.cancel(e);
      return this.#t.releaseLock(), await t, {
        done: true,
        value: e
      };
    }
    return this.#t.releaseLock(), {
      done: true,
      value: e
    };
  }
};
var n = /* @__PURE__ */ Symbol();
function i() {
  return this[n].next();
}
Object.defineProperty(i, "name", { value: "next" });
function o(r) {
  return this[n].return(r);
}
Object.defineProperty(o, "name", { value: "return" });
var u = Object.create(a, {
  next: {
    enumerable: true,
    configurable: true,
    writable: true,
    value: i
  },
  return: {
    enumerable: true,
    configurable: true,
    writable: true,
    value: o
  }
});
function h({ preventCancel: r = false } = {}) {
  const e = this.getReader(), t = new c(
    e,
    r
  ), s = Object.create(u);
  return s[n] = t, s;
}

// node_modules/get-stream/source/stream.js
var getAsyncIterable = (stream) => {
  if (isReadableStream(stream, { checkOpen: false }) && nodeImports.on !== void 0) {
    return getStreamIterable(stream);
  }
  if (typeof stream?.[Symbol.asyncIterator] === "function") {
    return stream;
  }
  if (toString.call(stream) === "[object ReadableStream]") {
    return h.call(stream);
  }
  throw new TypeError("The first argument must be a Readable, a ReadableStream, or an async iterable.");
};
var { toString } = Object.prototype;
var getStreamIterable = async function* (stream) {
  const controller = new AbortController();
  const state = {};
  handleStreamEnd(stream, controller, state);
  try {
    for await (const [chunk] of nodeImports.on(stream, "data", { signal: controller.signal })) {
      yield chunk;
    }
  } catch (error) {
    if (state.error !== void 0) {
      throw state.error;
    } else if (!controller.signal.aborted) {
      throw error;
    }
  } finally {
    stream.destroy();
  }
};
var handleStreamEnd = async (stream, controller, state) => {
  try {
    await nodeImports.finished(stream, {
      cleanup: true,
      readable: true,
      writable: false,
      error: false
    });
  } catch (error) {
    state.error = error;
  } finally {
    controller.abort();
  }
};
var nodeImports = {};

// node_modules/get-stream/source/contents.js
var getStreamContents = async (stream, { init, convertChunk, getSize, truncateChunk, addChunk, getFinalChunk, finalize }, { maxBuffer = Number.POSITIVE_INFINITY } = {}) => {
  const asyncIterable = getAsyncIterable(stream);
  const state = init();
  state.length = 0;
  try {
    for await (const chunk of asyncIterable) {
      const chunkType = getChunkType(chunk);
      const convertedChunk = convertChunk[chunkType](chunk, state);
      appendChunk({
        convertedChunk,
        state,
        getSize,
        truncateChunk,
        addChunk,
        maxBuffer
      });
    }
    appendFinalChunk({
      state,
      convertChunk,
      getSize,
      truncateChunk,
      addChunk,
      getFinalChunk,
      maxBuffer
    });
    return finalize(state);
  } catch (error) {
    const normalizedError = typeof error === "object" && error !== null ? error : new Error(error);
    normalizedError.bufferedData = finalize(state);
    throw normalizedError;
  }
};
var appendFinalChunk = ({ state, getSize, truncateChunk, addChunk, getFinalChunk, maxBuffer }) => {
  const convertedChunk = getFinalChunk(state);
  if (convertedChunk !== void 0) {
    appendChunk({
      convertedChunk,
      state,
      getSize,
      truncateChunk,
      addChunk,
      maxBuffer
    });
  }
};
var appendChunk = ({ convertedChunk, state, getSize, truncateChunk, addChunk, maxBuffer }) => {
  const chunkSize = getSize(convertedChunk);
  const newLength = state.length + chunkSize;
  if (newLength <= maxBuffer) {
    addNewChunk(convertedChunk, state, addChunk, newLength);
    return;
  }
  const truncatedChunk = truncateChunk(convertedChunk, maxBuffer - state.length);
  if (truncatedChunk !== void 0) {
    addNewChunk(truncatedChunk, state, addChunk, maxBuffer);
  }
  throw new MaxBufferError();
};
var addNewChunk = (convertedChunk, state, addChunk, newLength) => {
  state.contents = addChunk(convertedChunk, state, newLength);
  state.length = newLength;
};
var getChunkType = (chunk) => {
  const typeOfChunk = typeof chunk;
  if (typeOfChunk === "string") {
    return "string";
  }
  if (typeOfChunk !== "object" || chunk === null) {
    return "others";
  }
  if (globalThis.Buffer?.isBuffer(chunk)) {
    return "buffer";
  }
  const prototypeName = objectToString2.call(chunk);
  if (prototypeName === "[object ArrayBuffer]") {
    return "arrayBuffer";
  }
  if (prototypeName === "[object DataView]") {
    return "dataView";
  }
  if (Number.isInteger(chunk.byteLength) && Number.isInteger(chunk.byteOffset) && objectToString2.call(chunk.buffer) === "[object ArrayBuffer]") {
    return "typedArray";
  }
  return "others";
};
var { toString: objectToString2 } = Object.prototype;
var MaxBufferError = class extends Error {
  name = "MaxBufferError";
  constructor() {
    super("maxBuffer exceeded");
  }
};

// node_modules/get-stream/source/utils.js
var identity2 = (value) => value;
var noop = () => void 0;
var getContentsProperty = ({ contents }) => contents;
var throwObjectStream = (chunk) => {
  throw new Error(`Streams in object mode are not supported: ${String(chunk)}`);
};
var getLengthProperty = (convertedChunk) => convertedChunk.length;

// node_modules/get-stream/source/array.js
async function getStreamAsArray(stream, options) {
  return getStreamContents(stream, arrayMethods, options);
}
var initArray = () => ({ contents: [] });
var increment = () => 1;
var addArrayChunk = (convertedChunk, { contents }) => {
  contents.push(convertedChunk);
  return contents;
};
var arrayMethods = {
  init: initArray,
  convertChunk: {
    string: identity2,
    buffer: identity2,
    arrayBuffer: identity2,
    dataView: identity2,
    typedArray: identity2,
    others: identity2
  },
  getSize: increment,
  truncateChunk: noop,
  addChunk: addArrayChunk,
  getFinalChunk: noop,
  finalize: getContentsProperty
};

// node_modules/get-stream/source/array-buffer.js
async function getStreamAsArrayBuffer(stream, options) {
  return getStreamContents(stream, arrayBufferMethods, options);
}
var initArrayBuffer = () => ({ contents: new ArrayBuffer(0) });
var useTextEncoder = (chunk) => textEncoder2.encode(chunk);
var textEncoder2 = new TextEncoder();
var useUint8Array = (chunk) => new Uint8Array(chunk);
var useUint8ArrayWithOffset = (chunk) => new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
var truncateArrayBufferChunk = (convertedChunk, chunkSize) => convertedChunk.slice(0, chunkSize);
var addArrayBufferChunk = (convertedChunk, { contents, length: previousLength }, length) => {
  const newContents = hasArrayBufferResize() ? resizeArrayBuffer(contents, length) : resizeArrayBufferSlow(contents, length);
  new Uint8Array(newContents).set(convertedChunk, previousLength);
  return newContents;
};
var resizeArrayBufferSlow = (contents, length) => {
  if (length <= contents.byteLength) {
    return contents;
  }
  const arrayBuffer = new ArrayBuffer(getNewContentsLength(length));
  new Uint8Array(arrayBuffer).set(new Uint8Array(contents), 0);
  return arrayBuffer;
};
var resizeArrayBuffer = (contents, length) => {
  if (length <= contents.maxByteLength) {
    contents.resize(length);
    return contents;
  }
  const arrayBuffer = new ArrayBuffer(length, { maxByteLength: getNewContentsLength(length) });
  new Uint8Array(arrayBuffer).set(new Uint8Array(contents), 0);
  return arrayBuffer;
};
var getNewContentsLength = (length) => SCALE_FACTOR ** Math.ceil(Math.log(length) / Math.log(SCALE_FACTOR));
var SCALE_FACTOR = 2;
var finalizeArrayBuffer = ({ contents, length }) => hasArrayBufferResize() ? contents : contents.slice(0, length);
var hasArrayBufferResize = () => "resize" in ArrayBuffer.prototype;
var arrayBufferMethods = {
  init: initArrayBuffer,
  convertChunk: {
    string: useTextEncoder,
    buffer: useUint8Array,
    arrayBuffer: useUint8Array,
    dataView: useUint8ArrayWithOffset,
    typedArray: useUint8ArrayWithOffset,
    others: throwObjectStream
  },
  getSize: getLengthProperty,
  truncateChunk: truncateArrayBufferChunk,
  addChunk: addArrayBufferChunk,
  getFinalChunk: noop,
  finalize: finalizeArrayBuffer
};

// node_modules/get-stream/source/string.js
async function getStreamAsString(stream, options) {
  return getStreamContents(stream, stringMethods, options);
}
var initString = () => ({ contents: "", textDecoder: new TextDecoder() });
var useTextDecoder = (chunk, { textDecoder: textDecoder2 }) => textDecoder2.decode(chunk, { stream: true });
var addStringChunk = (convertedChunk, { contents }) => contents + convertedChunk;
var truncateStringChunk = (convertedChunk, chunkSize) => convertedChunk.slice(0, chunkSize);
var getFinalStringChunk = ({ textDecoder: textDecoder2 }) => {
  const finalChunk = textDecoder2.decode();
  return finalChunk === "" ? void 0 : finalChunk;
};
var stringMethods = {
  init: initString,
  convertChunk: {
    string: identity2,
    buffer: useTextDecoder,
    arrayBuffer: useTextDecoder,
    dataView: useTextDecoder,
    typedArray: useTextDecoder,
    others: throwObjectStream
  },
  getSize: getLengthProperty,
  truncateChunk: truncateStringChunk,
  addChunk: addStringChunk,
  getFinalChunk: getFinalStringChunk,
  finalize: getContentsProperty
};

// node_modules/get-stream/source/index.js
Object.assign(nodeImports, { on, finished });

// node_modules/execa/lib/io/max-buffer.js
var handleMaxBuffer = ({ error, stream, readableObjectMode, lines, encoding, fdNumber }) => {
  if (!(error instanceof MaxBufferError)) {
    throw error;
  }
  if (fdNumber === "all") {
    return error;
  }
  const unit = getMaxBufferUnit(readableObjectMode, lines, encoding);
  error.maxBufferInfo = { fdNumber, unit };
  stream.destroy();
  throw error;
};
var getMaxBufferUnit = (readableObjectMode, lines, encoding) => {
  if (readableObjectMode) {
    return "objects";
  }
  if (lines) {
    return "lines";
  }
  if (encoding === "buffer") {
    return "bytes";
  }
  return "characters";
};
var checkIpcMaxBuffer = (subprocess, ipcOutput, maxBuffer) => {
  if (ipcOutput.length !== maxBuffer) {
    return;
  }
  const error = new MaxBufferError();
  error.maxBufferInfo = { fdNumber: "ipc" };
  throw error;
};
var getMaxBufferMessage = (error, maxBuffer) => {
  const { streamName, threshold, unit } = getMaxBufferInfo(error, maxBuffer);
  return `Command's ${streamName} was larger than ${threshold} ${unit}`;
};
var getMaxBufferInfo = (error, maxBuffer) => {
  if (error?.maxBufferInfo === void 0) {
    return { streamName: "output", threshold: maxBuffer[1], unit: "bytes" };
  }
  const { maxBufferInfo: { fdNumber, unit } } = error;
  delete error.maxBufferInfo;
  const threshold = getFdSpecificValue(maxBuffer, fdNumber);
  if (fdNumber === "ipc") {
    return { streamName: "IPC output", threshold, unit: "messages" };
  }
  return { streamName: getStreamName(fdNumber), threshold, unit };
};
var isMaxBufferSync = (resultError, output, maxBuffer) => resultError?.code === "ENOBUFS" && output !== null && output.some((result) => result !== null && result.length > getMaxBufferSync(maxBuffer));
var truncateMaxBufferSync = (result, isMaxBuffer, maxBuffer) => {
  if (!isMaxBuffer) {
    return result;
  }
  const maxBufferValue = getMaxBufferSync(maxBuffer);
  return result.length > maxBufferValue ? result.slice(0, maxBufferValue) : result;
};
var getMaxBufferSync = ([, stdoutMaxBuffer]) => stdoutMaxBuffer;

// node_modules/execa/lib/return/message.js
var createMessages = ({
  stdio,
  all,
  ipcOutput,
  originalError,
  signal,
  signalDescription,
  exitCode,
  escapedCommand,
  timedOut,
  isCanceled,
  isGracefullyCanceled,
  isMaxBuffer,
  isForcefullyTerminated,
  forceKillAfterDelay,
  killSignal,
  maxBuffer,
  timeout,
  cwd
}) => {
  const errorCode = originalError?.code;
  const prefix = getErrorPrefix({
    originalError,
    timedOut,
    timeout,
    isMaxBuffer,
    maxBuffer,
    errorCode,
    signal,
    signalDescription,
    exitCode,
    isCanceled,
    isGracefullyCanceled,
    isForcefullyTerminated,
    forceKillAfterDelay,
    killSignal
  });
  const originalMessage = getOriginalMessage(originalError, cwd);
  const suffix = originalMessage === void 0 ? "" : `
${originalMessage}`;
  const shortMessage = `${prefix}: ${escapedCommand}${suffix}`;
  const messageStdio = all === void 0 ? [stdio[2], stdio[1]] : [all];
  const message = [
    shortMessage,
    ...messageStdio,
    ...stdio.slice(3),
    ipcOutput.map((ipcMessage) => serializeIpcMessage(ipcMessage)).join("\n")
  ].map((messagePart) => escapeLines(stripFinalNewline(serializeMessagePart(messagePart)))).filter(Boolean).join("\n\n");
  return { originalMessage, shortMessage, message };
};
var getErrorPrefix = ({
  originalError,
  timedOut,
  timeout,
  isMaxBuffer,
  maxBuffer,
  errorCode,
  signal,
  signalDescription,
  exitCode,
  isCanceled,
  isGracefullyCanceled,
  isForcefullyTerminated,
  forceKillAfterDelay,
  killSignal
}) => {
  const forcefulSuffix = getForcefulSuffix(isForcefullyTerminated, forceKillAfterDelay);
  if (timedOut) {
    return `Command timed out after ${timeout} milliseconds${forcefulSuffix}`;
  }
  if (isGracefullyCanceled) {
    if (signal === void 0) {
      return `Command was gracefully canceled with exit code ${exitCode}`;
    }
    return isForcefullyTerminated ? `Command was gracefully canceled${forcefulSuffix}` : `Command was gracefully canceled with ${signal} (${signalDescription})`;
  }
  if (isCanceled) {
    return `Command was canceled${forcefulSuffix}`;
  }
  if (isMaxBuffer) {
    return `${getMaxBufferMessage(originalError, maxBuffer)}${forcefulSuffix}`;
  }
  if (errorCode !== void 0) {
    return `Command failed with ${errorCode}${forcefulSuffix}`;
  }
  if (isForcefullyTerminated) {
    return `Command was killed with ${killSignal} (${getSignalDescription(killSignal)})${forcefulSuffix}`;
  }
  if (signal !== void 0) {
    return `Command was killed with ${signal} (${signalDescription})`;
  }
  if (exitCode !== void 0) {
    return `Command failed with exit code ${exitCode}`;
  }
  return "Command failed";
};
var getForcefulSuffix = (isForcefullyTerminated, forceKillAfterDelay) => isForcefullyTerminated ? ` and was forcefully terminated after ${forceKillAfterDelay} milliseconds` : "";
var getOriginalMessage = (originalError, cwd) => {
  if (originalError instanceof DiscardedError) {
    return;
  }
  const originalMessage = isExecaError(originalError) ? originalError.originalMessage : String(originalError?.message ?? originalError);
  const escapedOriginalMessage = escapeLines(fixCwdError(originalMessage, cwd));
  return escapedOriginalMessage === "" ? void 0 : escapedOriginalMessage;
};
var serializeIpcMessage = (ipcMessage) => typeof ipcMessage === "string" ? ipcMessage : inspect2(ipcMessage);
var serializeMessagePart = (messagePart) => Array.isArray(messagePart) ? messagePart.map((messageItem) => stripFinalNewline(serializeMessageItem(messageItem))).filter(Boolean).join("\n") : serializeMessageItem(messagePart);
var serializeMessageItem = (messageItem) => {
  if (typeof messageItem === "string") {
    return messageItem;
  }
  if (isUint8Array(messageItem)) {
    return uint8ArrayToString(messageItem);
  }
  return "";
};

// node_modules/execa/lib/return/result.js
var makeSuccessResult = ({
  command,
  escapedCommand,
  stdio,
  all,
  ipcOutput,
  options: { cwd },
  startTime
}) => omitUndefinedProperties({
  command,
  escapedCommand,
  cwd,
  durationMs: getDurationMs(startTime),
  failed: false,
  timedOut: false,
  isCanceled: false,
  isGracefullyCanceled: false,
  isTerminated: false,
  isMaxBuffer: false,
  isForcefullyTerminated: false,
  exitCode: 0,
  stdout: stdio[1],
  stderr: stdio[2],
  all,
  stdio,
  ipcOutput,
  pipedFrom: []
});
var makeEarlyError = ({
  error,
  command,
  escapedCommand,
  fileDescriptors,
  options,
  startTime,
  isSync
}) => makeError({
  error,
  command,
  escapedCommand,
  startTime,
  timedOut: false,
  isCanceled: false,
  isGracefullyCanceled: false,
  isMaxBuffer: false,
  isForcefullyTerminated: false,
  stdio: Array.from({ length: fileDescriptors.length }),
  ipcOutput: [],
  options,
  isSync
});
var makeError = ({
  error: originalError,
  command,
  escapedCommand,
  startTime,
  timedOut,
  isCanceled,
  isGracefullyCanceled,
  isMaxBuffer,
  isForcefullyTerminated,
  exitCode: rawExitCode,
  signal: rawSignal,
  stdio,
  all,
  ipcOutput,
  options: {
    timeoutDuration,
    timeout = timeoutDuration,
    forceKillAfterDelay,
    killSignal,
    cwd,
    maxBuffer
  },
  isSync
}) => {
  const { exitCode, signal, signalDescription } = normalizeExitPayload(rawExitCode, rawSignal);
  const { originalMessage, shortMessage, message } = createMessages({
    stdio,
    all,
    ipcOutput,
    originalError,
    signal,
    signalDescription,
    exitCode,
    escapedCommand,
    timedOut,
    isCanceled,
    isGracefullyCanceled,
    isMaxBuffer,
    isForcefullyTerminated,
    forceKillAfterDelay,
    killSignal,
    maxBuffer,
    timeout,
    cwd
  });
  const error = getFinalError(originalError, message, isSync);
  Object.assign(error, getErrorProperties({
    error,
    command,
    escapedCommand,
    startTime,
    timedOut,
    isCanceled,
    isGracefullyCanceled,
    isMaxBuffer,
    isForcefullyTerminated,
    exitCode,
    signal,
    signalDescription,
    stdio,
    all,
    ipcOutput,
    cwd,
    originalMessage,
    shortMessage
  }));
  return error;
};
var getErrorProperties = ({
  error,
  command,
  escapedCommand,
  startTime,
  timedOut,
  isCanceled,
  isGracefullyCanceled,
  isMaxBuffer,
  isForcefullyTerminated,
  exitCode,
  signal,
  signalDescription,
  stdio,
  all,
  ipcOutput,
  cwd,
  originalMessage,
  shortMessage
}) => omitUndefinedProperties({
  shortMessage,
  originalMessage,
  command,
  escapedCommand,
  cwd,
  durationMs: getDurationMs(startTime),
  failed: true,
  timedOut,
  isCanceled,
  isGracefullyCanceled,
  isTerminated: signal !== void 0,
  isMaxBuffer,
  isForcefullyTerminated,
  exitCode,
  signal,
  signalDescription,
  code: error.cause?.code,
  stdout: stdio[1],
  stderr: stdio[2],
  all,
  stdio,
  ipcOutput,
  pipedFrom: []
});
var omitUndefinedProperties = (result) => Object.fromEntries(Object.entries(result).filter(([, value]) => value !== void 0));
var normalizeExitPayload = (rawExitCode, rawSignal) => {
  const exitCode = rawExitCode === null ? void 0 : rawExitCode;
  const signal = rawSignal === null ? void 0 : rawSignal;
  const signalDescription = signal === void 0 ? void 0 : getSignalDescription(rawSignal);
  return { exitCode, signal, signalDescription };
};

// node_modules/parse-ms/index.js
var toZeroIfInfinity = (value) => Number.isFinite(value) ? value : 0;
function parseNumber(milliseconds) {
  return {
    days: Math.trunc(milliseconds / 864e5),
    hours: Math.trunc(milliseconds / 36e5 % 24),
    minutes: Math.trunc(milliseconds / 6e4 % 60),
    seconds: Math.trunc(milliseconds / 1e3 % 60),
    milliseconds: Math.trunc(milliseconds % 1e3),
    microseconds: Math.trunc(toZeroIfInfinity(milliseconds * 1e3) % 1e3),
    nanoseconds: Math.trunc(toZeroIfInfinity(milliseconds * 1e6) % 1e3)
  };
}
function parseBigint(milliseconds) {
  return {
    days: milliseconds / 86400000n,
    hours: milliseconds / 3600000n % 24n,
    minutes: milliseconds / 60000n % 60n,
    seconds: milliseconds / 1000n % 60n,
    milliseconds: milliseconds % 1000n,
    microseconds: 0n,
    nanoseconds: 0n
  };
}
function parseMilliseconds(milliseconds) {
  switch (typeof milliseconds) {
    case "number": {
      if (Number.isFinite(milliseconds)) {
        return parseNumber(milliseconds);
      }
      break;
    }
    case "bigint": {
      return parseBigint(milliseconds);
    }
  }
  throw new TypeError("Expected a finite number or bigint");
}

// node_modules/pretty-ms/index.js
var isZero = (value) => value === 0 || value === 0n;
var pluralize = (word, count2) => count2 === 1 || count2 === 1n ? word : `${word}s`;
var SECOND_ROUNDING_EPSILON = 1e-7;
var ONE_DAY_IN_MILLISECONDS = 24n * 60n * 60n * 1000n;
function prettyMilliseconds(milliseconds, options) {
  const isBigInt = typeof milliseconds === "bigint";
  if (!isBigInt && !Number.isFinite(milliseconds)) {
    throw new TypeError("Expected a finite number or bigint");
  }
  options = { ...options };
  const sign = milliseconds < 0 ? "-" : "";
  milliseconds = milliseconds < 0 ? -milliseconds : milliseconds;
  if (options.colonNotation) {
    options.compact = false;
    options.formatSubMilliseconds = false;
    options.separateMilliseconds = false;
    options.verbose = false;
  }
  if (options.compact) {
    options.unitCount = 1;
    options.secondsDecimalDigits = 0;
    options.millisecondsDecimalDigits = 0;
  }
  let result = [];
  const floorDecimals = (value, decimalDigits) => {
    const flooredInterimValue = Math.floor(value * 10 ** decimalDigits + SECOND_ROUNDING_EPSILON);
    const flooredValue = Math.round(flooredInterimValue) / 10 ** decimalDigits;
    return flooredValue.toFixed(decimalDigits);
  };
  const add = (value, long, short, valueString) => {
    if ((result.length === 0 || !options.colonNotation) && isZero(value) && !(options.colonNotation && short === "m")) {
      return;
    }
    valueString ??= String(value);
    if (options.colonNotation) {
      const wholeDigits = valueString.includes(".") ? valueString.split(".")[0].length : valueString.length;
      const minLength = result.length > 0 ? 2 : 1;
      valueString = "0".repeat(Math.max(0, minLength - wholeDigits)) + valueString;
    } else {
      valueString += options.verbose ? " " + pluralize(long, value) : short;
    }
    result.push(valueString);
  };
  const parsed = parseMilliseconds(milliseconds);
  const days = BigInt(parsed.days);
  if (options.hideYearAndDays) {
    add(BigInt(days) * 24n + BigInt(parsed.hours), "hour", "h");
  } else {
    if (options.hideYear) {
      add(days, "day", "d");
    } else {
      add(days / 365n, "year", "y");
      add(days % 365n, "day", "d");
    }
    add(Number(parsed.hours), "hour", "h");
  }
  add(Number(parsed.minutes), "minute", "m");
  if (!options.hideSeconds) {
    if (options.separateMilliseconds || options.formatSubMilliseconds || !options.colonNotation && milliseconds < 1e3 && !options.subSecondsAsDecimals) {
      const seconds2 = Number(parsed.seconds);
      const milliseconds2 = Number(parsed.milliseconds);
      const microseconds = Number(parsed.microseconds);
      const nanoseconds = Number(parsed.nanoseconds);
      add(seconds2, "second", "s");
      if (options.formatSubMilliseconds) {
        add(milliseconds2, "millisecond", "ms");
        add(microseconds, "microsecond", "\xB5s");
        add(nanoseconds, "nanosecond", "ns");
      } else {
        const millisecondsAndBelow = milliseconds2 + microseconds / 1e3 + nanoseconds / 1e6;
        const millisecondsDecimalDigits = typeof options.millisecondsDecimalDigits === "number" ? options.millisecondsDecimalDigits : 0;
        const roundedMilliseconds = millisecondsAndBelow >= 1 ? Math.round(millisecondsAndBelow) : Math.ceil(millisecondsAndBelow);
        const maximumMilliseconds = 1e3 - 10 ** -millisecondsDecimalDigits;
        const millisecondsString = millisecondsDecimalDigits ? Math.min(millisecondsAndBelow, maximumMilliseconds).toFixed(millisecondsDecimalDigits) : Math.min(roundedMilliseconds, maximumMilliseconds);
        add(
          Number.parseFloat(millisecondsString),
          "millisecond",
          "ms",
          millisecondsString
        );
      }
    } else {
      const seconds2 = (isBigInt ? Number(milliseconds % ONE_DAY_IN_MILLISECONDS) : milliseconds) / 1e3 % 60;
      const secondsDecimalDigits = typeof options.secondsDecimalDigits === "number" ? options.secondsDecimalDigits : 1;
      const secondsFixed = floorDecimals(seconds2, secondsDecimalDigits);
      const secondsString = options.keepDecimalsOnWholeSeconds ? secondsFixed : secondsFixed.replace(/\.0+$/, "");
      add(Number.parseFloat(secondsString), "second", "s", secondsString);
    }
  }
  if (result.length === 0) {
    return sign + "0" + (options.verbose ? " milliseconds" : "ms");
  }
  const separator = options.colonNotation ? ":" : " ";
  if (typeof options.unitCount === "number") {
    result = result.slice(0, Math.max(options.unitCount, 1));
  }
  return sign + result.join(separator);
}

// node_modules/execa/lib/verbose/error.js
var logError = (result, verboseInfo) => {
  if (result.failed) {
    verboseLog({
      type: "error",
      verboseMessage: result.shortMessage,
      verboseInfo,
      result
    });
  }
};

// node_modules/execa/lib/verbose/complete.js
var logResult = (result, verboseInfo) => {
  if (!isVerbose(verboseInfo)) {
    return;
  }
  logError(result, verboseInfo);
  logDuration(result, verboseInfo);
};
var logDuration = (result, verboseInfo) => {
  const verboseMessage = `(done in ${prettyMilliseconds(result.durationMs)})`;
  verboseLog({
    type: "duration",
    verboseMessage,
    verboseInfo,
    result
  });
};

// node_modules/execa/lib/return/reject.js
var handleResult = (result, verboseInfo, { reject }) => {
  logResult(result, verboseInfo);
  if (result.failed && reject) {
    throw result;
  }
  return result;
};

// node_modules/execa/lib/stdio/handle-sync.js
import { readFileSync as readFileSync4 } from "node:fs";

// node_modules/execa/lib/stdio/type.js
var getStdioItemType = (value, optionName) => {
  if (isAsyncGenerator(value)) {
    return "asyncGenerator";
  }
  if (isSyncGenerator(value)) {
    return "generator";
  }
  if (isUrl(value)) {
    return "fileUrl";
  }
  if (isFilePathObject(value)) {
    return "filePath";
  }
  if (isWebStream(value)) {
    return "webStream";
  }
  if (isStream(value, { checkOpen: false })) {
    return "native";
  }
  if (isUint8Array(value)) {
    return "uint8Array";
  }
  if (isAsyncIterableObject(value)) {
    return "asyncIterable";
  }
  if (isIterableObject(value)) {
    return "iterable";
  }
  if (isTransformStream(value)) {
    return getTransformStreamType({ transform: value }, optionName);
  }
  if (isTransformOptions(value)) {
    return getTransformObjectType(value, optionName);
  }
  return "native";
};
var getTransformObjectType = (value, optionName) => {
  if (isDuplexStream(value.transform, { checkOpen: false })) {
    return getDuplexType(value, optionName);
  }
  if (isTransformStream(value.transform)) {
    return getTransformStreamType(value, optionName);
  }
  return getGeneratorObjectType(value, optionName);
};
var getDuplexType = (value, optionName) => {
  validateNonGeneratorType(value, optionName, "Duplex stream");
  return "duplex";
};
var getTransformStreamType = (value, optionName) => {
  validateNonGeneratorType(value, optionName, "web TransformStream");
  return "webTransform";
};
var validateNonGeneratorType = ({ final, binary, objectMode }, optionName, typeName) => {
  checkUndefinedOption(final, `${optionName}.final`, typeName);
  checkUndefinedOption(binary, `${optionName}.binary`, typeName);
  checkBooleanOption(objectMode, `${optionName}.objectMode`);
};
var checkUndefinedOption = (value, optionName, typeName) => {
  if (value !== void 0) {
    throw new TypeError(`The \`${optionName}\` option can only be defined when using a generator, not a ${typeName}.`);
  }
};
var getGeneratorObjectType = ({ transform, final, binary, objectMode }, optionName) => {
  if (transform !== void 0 && !isGenerator(transform)) {
    throw new TypeError(`The \`${optionName}.transform\` option must be a generator, a Duplex stream or a web TransformStream.`);
  }
  if (isDuplexStream(final, { checkOpen: false })) {
    throw new TypeError(`The \`${optionName}.final\` option must not be a Duplex stream.`);
  }
  if (isTransformStream(final)) {
    throw new TypeError(`The \`${optionName}.final\` option must not be a web TransformStream.`);
  }
  if (final !== void 0 && !isGenerator(final)) {
    throw new TypeError(`The \`${optionName}.final\` option must be a generator.`);
  }
  checkBooleanOption(binary, `${optionName}.binary`);
  checkBooleanOption(objectMode, `${optionName}.objectMode`);
  return isAsyncGenerator(transform) || isAsyncGenerator(final) ? "asyncGenerator" : "generator";
};
var checkBooleanOption = (value, optionName) => {
  if (value !== void 0 && typeof value !== "boolean") {
    throw new TypeError(`The \`${optionName}\` option must use a boolean.`);
  }
};
var isGenerator = (value) => isAsyncGenerator(value) || isSyncGenerator(value);
var isAsyncGenerator = (value) => Object.prototype.toString.call(value) === "[object AsyncGeneratorFunction]";
var isSyncGenerator = (value) => Object.prototype.toString.call(value) === "[object GeneratorFunction]";
var isTransformOptions = (value) => isPlainObject(value) && (value.transform !== void 0 || value.final !== void 0);
var isUrl = (value) => Object.prototype.toString.call(value) === "[object URL]";
var isRegularUrl = (value) => isUrl(value) && value.protocol !== "file:";
var isFilePathObject = (value) => isPlainObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((key2) => FILE_PATH_KEYS.has(key2)) && isFilePathString(value.file);
var FILE_PATH_KEYS = /* @__PURE__ */ new Set(["file", "append"]);
var isFilePathString = (file) => typeof file === "string";
var isUnknownStdioString = (type, value) => type === "native" && typeof value === "string" && !KNOWN_STDIO_STRINGS.has(value);
var KNOWN_STDIO_STRINGS = /* @__PURE__ */ new Set(["ipc", "ignore", "inherit", "overlapped", "pipe"]);
var isReadableStream2 = (value) => Object.prototype.toString.call(value) === "[object ReadableStream]";
var isWritableStream2 = (value) => Object.prototype.toString.call(value) === "[object WritableStream]";
var isWebStream = (value) => isReadableStream2(value) || isWritableStream2(value);
var isTransformStream = (value) => isReadableStream2(value?.readable) && isWritableStream2(value?.writable);
var isAsyncIterableObject = (value) => isObject(value) && typeof value[Symbol.asyncIterator] === "function";
var isIterableObject = (value) => isObject(value) && typeof value[Symbol.iterator] === "function";
var isObject = (value) => typeof value === "object" && value !== null;
var TRANSFORM_TYPES = /* @__PURE__ */ new Set(["generator", "asyncGenerator", "duplex", "webTransform"]);
var FILE_TYPES = /* @__PURE__ */ new Set(["fileUrl", "filePath", "fileNumber"]);
var SPECIAL_DUPLICATE_TYPES_SYNC = /* @__PURE__ */ new Set(["fileUrl", "filePath"]);
var SPECIAL_DUPLICATE_TYPES = /* @__PURE__ */ new Set([...SPECIAL_DUPLICATE_TYPES_SYNC, "webStream", "nodeStream"]);
var FORBID_DUPLICATE_TYPES = /* @__PURE__ */ new Set(["webTransform", "duplex"]);
var TYPE_TO_MESSAGE = {
  generator: "a generator",
  asyncGenerator: "an async generator",
  fileUrl: "a file URL",
  filePath: "a file path string",
  fileNumber: "a file descriptor number",
  webStream: "a web stream",
  nodeStream: "a Node.js stream",
  webTransform: "a web TransformStream",
  duplex: "a Duplex stream",
  native: "any value",
  iterable: "an iterable",
  asyncIterable: "an async iterable",
  string: "a string",
  uint8Array: "a Uint8Array"
};

// node_modules/execa/lib/transform/object-mode.js
var getTransformObjectModes = (objectMode, index, newTransforms, direction) => direction === "output" ? getOutputObjectModes(objectMode, index, newTransforms) : getInputObjectModes(objectMode, index, newTransforms);
var getOutputObjectModes = (objectMode, index, newTransforms) => {
  const writableObjectMode = index !== 0 && newTransforms[index - 1].value.readableObjectMode;
  const readableObjectMode = objectMode ?? writableObjectMode;
  return { writableObjectMode, readableObjectMode };
};
var getInputObjectModes = (objectMode, index, newTransforms) => {
  const writableObjectMode = index === 0 ? objectMode === true : newTransforms[index - 1].value.readableObjectMode;
  const readableObjectMode = index !== newTransforms.length - 1 && (objectMode ?? writableObjectMode);
  return { writableObjectMode, readableObjectMode };
};
var getFdObjectMode = (stdioItems, direction) => {
  const lastTransform = stdioItems.findLast(({ type }) => TRANSFORM_TYPES.has(type));
  if (lastTransform === void 0) {
    return false;
  }
  return direction === "input" ? lastTransform.value.writableObjectMode : lastTransform.value.readableObjectMode;
};

// node_modules/execa/lib/transform/normalize.js
var normalizeTransforms = (stdioItems, optionName, direction, options) => [
  ...stdioItems.filter(({ type }) => !TRANSFORM_TYPES.has(type)),
  ...getTransforms(stdioItems, optionName, direction, options)
];
var getTransforms = (stdioItems, optionName, direction, { encoding }) => {
  const transforms = stdioItems.filter(({ type }) => TRANSFORM_TYPES.has(type));
  const newTransforms = Array.from({ length: transforms.length });
  for (const [index, stdioItem] of Object.entries(transforms)) {
    newTransforms[index] = normalizeTransform({
      stdioItem,
      index: Number(index),
      newTransforms,
      optionName,
      direction,
      encoding
    });
  }
  return sortTransforms(newTransforms, direction);
};
var normalizeTransform = ({ stdioItem, stdioItem: { type }, index, newTransforms, optionName, direction, encoding }) => {
  if (type === "duplex") {
    return normalizeDuplex({ stdioItem, optionName });
  }
  if (type === "webTransform") {
    return normalizeTransformStream({
      stdioItem,
      index,
      newTransforms,
      direction
    });
  }
  return normalizeGenerator({
    stdioItem,
    index,
    newTransforms,
    direction,
    encoding
  });
};
var normalizeDuplex = ({
  stdioItem,
  stdioItem: {
    value: {
      transform,
      transform: { writableObjectMode, readableObjectMode },
      objectMode = readableObjectMode
    }
  },
  optionName
}) => {
  if (objectMode && !readableObjectMode) {
    throw new TypeError(`The \`${optionName}.objectMode\` option can only be \`true\` if \`new Duplex({objectMode: true})\` is used.`);
  }
  if (!objectMode && readableObjectMode) {
    throw new TypeError(`The \`${optionName}.objectMode\` option cannot be \`false\` if \`new Duplex({objectMode: true})\` is used.`);
  }
  return {
    ...stdioItem,
    value: { transform, writableObjectMode, readableObjectMode }
  };
};
var normalizeTransformStream = ({ stdioItem, stdioItem: { value }, index, newTransforms, direction }) => {
  const { transform, objectMode } = isPlainObject(value) ? value : { transform: value };
  const { writableObjectMode, readableObjectMode } = getTransformObjectModes(objectMode, index, newTransforms, direction);
  return {
    ...stdioItem,
    value: { transform, writableObjectMode, readableObjectMode }
  };
};
var normalizeGenerator = ({ stdioItem, stdioItem: { value }, index, newTransforms, direction, encoding }) => {
  const {
    transform,
    final,
    binary: binaryOption = false,
    preserveNewlines = false,
    objectMode
  } = isPlainObject(value) ? value : { transform: value };
  const binary = binaryOption || BINARY_ENCODINGS.has(encoding);
  const { writableObjectMode, readableObjectMode } = getTransformObjectModes(objectMode, index, newTransforms, direction);
  return {
    ...stdioItem,
    value: {
      transform,
      final,
      binary,
      preserveNewlines,
      writableObjectMode,
      readableObjectMode
    }
  };
};
var sortTransforms = (newTransforms, direction) => direction === "input" ? newTransforms.reverse() : newTransforms;

// node_modules/execa/lib/stdio/direction.js
import process7 from "node:process";
var getStreamDirection = (stdioItems, fdNumber, optionName) => {
  const directions = stdioItems.map((stdioItem) => getStdioItemDirection(stdioItem, fdNumber));
  if (directions.includes("input") && directions.includes("output")) {
    throw new TypeError(`The \`${optionName}\` option must not be an array of both readable and writable values.`);
  }
  return directions.find(Boolean) ?? DEFAULT_DIRECTION;
};
var getStdioItemDirection = ({ type, value }, fdNumber) => KNOWN_DIRECTIONS[fdNumber] ?? guessStreamDirection[type](value);
var KNOWN_DIRECTIONS = ["input", "output", "output"];
var anyDirection = () => void 0;
var alwaysInput = () => "input";
var guessStreamDirection = {
  generator: anyDirection,
  asyncGenerator: anyDirection,
  fileUrl: anyDirection,
  filePath: anyDirection,
  iterable: alwaysInput,
  asyncIterable: alwaysInput,
  uint8Array: alwaysInput,
  webStream: (value) => isWritableStream2(value) ? "output" : "input",
  nodeStream(value) {
    if (!isReadableStream(value, { checkOpen: false })) {
      return "output";
    }
    return isWritableStream(value, { checkOpen: false }) ? void 0 : "input";
  },
  webTransform: anyDirection,
  duplex: anyDirection,
  native(value) {
    const standardStreamDirection = getStandardStreamDirection(value);
    if (standardStreamDirection !== void 0) {
      return standardStreamDirection;
    }
    if (isStream(value, { checkOpen: false })) {
      return guessStreamDirection.nodeStream(value);
    }
  }
};
var getStandardStreamDirection = (value) => {
  if ([0, process7.stdin].includes(value)) {
    return "input";
  }
  if ([1, 2, process7.stdout, process7.stderr].includes(value)) {
    return "output";
  }
};
var DEFAULT_DIRECTION = "output";

// node_modules/execa/lib/ipc/array.js
var normalizeIpcStdioArray = (stdioArray, ipc) => ipc && !stdioArray.includes("ipc") ? [...stdioArray, "ipc"] : stdioArray;

// node_modules/execa/lib/stdio/stdio-option.js
var normalizeStdioOption = ({ stdio, ipc, buffer, ...options }, verboseInfo, isSync) => {
  const stdioArray = getStdioArray(stdio, options).map((stdioOption, fdNumber) => addDefaultValue2(stdioOption, fdNumber));
  return isSync ? normalizeStdioSync(stdioArray, buffer, verboseInfo) : normalizeIpcStdioArray(stdioArray, ipc);
};
var getStdioArray = (stdio, options) => {
  if (stdio === void 0) {
    return STANDARD_STREAMS_ALIASES.map((alias) => options[alias]);
  }
  if (hasAlias(options)) {
    throw new Error(`It's not possible to provide \`stdio\` in combination with one of ${STANDARD_STREAMS_ALIASES.map((alias) => `\`${alias}\``).join(", ")}`);
  }
  if (typeof stdio === "string") {
    return [stdio, stdio, stdio];
  }
  if (!Array.isArray(stdio)) {
    throw new TypeError(`Expected \`stdio\` to be of type \`string\` or \`Array\`, got \`${typeof stdio}\``);
  }
  const length = Math.max(stdio.length, STANDARD_STREAMS_ALIASES.length);
  return Array.from({ length }, (_, fdNumber) => stdio[fdNumber]);
};
var hasAlias = (options) => STANDARD_STREAMS_ALIASES.some((alias) => options[alias] !== void 0);
var addDefaultValue2 = (stdioOption, fdNumber) => {
  if (Array.isArray(stdioOption)) {
    return stdioOption.map((item) => addDefaultValue2(item, fdNumber));
  }
  if (stdioOption === null || stdioOption === void 0) {
    return fdNumber >= STANDARD_STREAMS_ALIASES.length ? "ignore" : "pipe";
  }
  return stdioOption;
};
var normalizeStdioSync = (stdioArray, buffer, verboseInfo) => stdioArray.map((stdioOption, fdNumber) => !buffer[fdNumber] && fdNumber !== 0 && !isFullVerbose(verboseInfo, fdNumber) && isOutputPipeOnly(stdioOption) ? "ignore" : stdioOption);
var isOutputPipeOnly = (stdioOption) => stdioOption === "pipe" || Array.isArray(stdioOption) && stdioOption.every((item) => item === "pipe");

// node_modules/execa/lib/stdio/native.js
import { readFileSync as readFileSync3 } from "node:fs";
import tty2 from "node:tty";
var handleNativeStream = ({ stdioItem, stdioItem: { type }, isStdioArray, fdNumber, direction, isSync }) => {
  if (!isStdioArray || type !== "native") {
    return stdioItem;
  }
  return isSync ? handleNativeStreamSync({ stdioItem, fdNumber, direction }) : handleNativeStreamAsync({ stdioItem, fdNumber });
};
var handleNativeStreamSync = ({ stdioItem, stdioItem: { value, optionName }, fdNumber, direction }) => {
  const targetFd = getTargetFd({
    value,
    optionName,
    fdNumber,
    direction
  });
  if (targetFd !== void 0) {
    return targetFd;
  }
  if (isStream(value, { checkOpen: false })) {
    throw new TypeError(`The \`${optionName}: Stream\` option cannot both be an array and include a stream with synchronous methods.`);
  }
  return stdioItem;
};
var getTargetFd = ({ value, optionName, fdNumber, direction }) => {
  const targetFdNumber = getTargetFdNumber(value, fdNumber);
  if (targetFdNumber === void 0) {
    return;
  }
  if (direction === "output") {
    return { type: "fileNumber", value: targetFdNumber, optionName };
  }
  if (tty2.isatty(targetFdNumber)) {
    throw new TypeError(`The \`${optionName}: ${serializeOptionValue(value)}\` option is invalid: it cannot be a TTY with synchronous methods.`);
  }
  return { type: "uint8Array", value: bufferToUint8Array(readFileSync3(targetFdNumber)), optionName };
};
var getTargetFdNumber = (value, fdNumber) => {
  if (value === "inherit") {
    return fdNumber;
  }
  if (typeof value === "number") {
    return value;
  }
  const standardStreamIndex = STANDARD_STREAMS.indexOf(value);
  if (standardStreamIndex !== -1) {
    return standardStreamIndex;
  }
};
var handleNativeStreamAsync = ({ stdioItem, stdioItem: { value, optionName }, fdNumber }) => {
  if (value === "inherit") {
    return { type: "nodeStream", value: getStandardStream(fdNumber, value, optionName), optionName };
  }
  if (typeof value === "number") {
    return { type: "nodeStream", value: getStandardStream(value, value, optionName), optionName };
  }
  if (isStream(value, { checkOpen: false })) {
    return { type: "nodeStream", value, optionName };
  }
  return stdioItem;
};
var getStandardStream = (fdNumber, value, optionName) => {
  const standardStream = STANDARD_STREAMS[fdNumber];
  if (standardStream === void 0) {
    throw new TypeError(`The \`${optionName}: ${value}\` option is invalid: no such standard stream.`);
  }
  return standardStream;
};

// node_modules/execa/lib/stdio/input-option.js
var handleInputOptions = ({ input, inputFile }, fdNumber) => fdNumber === 0 ? [
  ...handleInputOption(input),
  ...handleInputFileOption(inputFile)
] : [];
var handleInputOption = (input) => input === void 0 ? [] : [{
  type: getInputType(input),
  value: input,
  optionName: "input"
}];
var getInputType = (input) => {
  if (isReadableStream(input, { checkOpen: false })) {
    return "nodeStream";
  }
  if (typeof input === "string") {
    return "string";
  }
  if (isUint8Array(input)) {
    return "uint8Array";
  }
  throw new Error("The `input` option must be a string, a Uint8Array or a Node.js Readable stream.");
};
var handleInputFileOption = (inputFile) => inputFile === void 0 ? [] : [{
  ...getInputFileType(inputFile),
  optionName: "inputFile"
}];
var getInputFileType = (inputFile) => {
  if (isUrl(inputFile)) {
    return { type: "fileUrl", value: inputFile };
  }
  if (isFilePathString(inputFile)) {
    return { type: "filePath", value: { file: inputFile } };
  }
  throw new Error("The `inputFile` option must be a file path string or a file URL.");
};

// node_modules/execa/lib/stdio/duplicate.js
var filterDuplicates = (stdioItems) => stdioItems.filter((stdioItemOne, indexOne) => stdioItems.every((stdioItemTwo, indexTwo) => stdioItemOne.value !== stdioItemTwo.value || indexOne >= indexTwo || stdioItemOne.type === "generator" || stdioItemOne.type === "asyncGenerator"));
var getDuplicateStream = ({ stdioItem: { type, value, optionName }, direction, fileDescriptors, isSync }) => {
  const otherStdioItems = getOtherStdioItems(fileDescriptors, type);
  if (otherStdioItems.length === 0) {
    return;
  }
  if (isSync) {
    validateDuplicateStreamSync({
      otherStdioItems,
      type,
      value,
      optionName,
      direction
    });
    return;
  }
  if (SPECIAL_DUPLICATE_TYPES.has(type)) {
    return getDuplicateStreamInstance({
      otherStdioItems,
      type,
      value,
      optionName,
      direction
    });
  }
  if (FORBID_DUPLICATE_TYPES.has(type)) {
    validateDuplicateTransform({
      otherStdioItems,
      type,
      value,
      optionName
    });
  }
};
var getOtherStdioItems = (fileDescriptors, type) => fileDescriptors.flatMap(({ direction, stdioItems }) => stdioItems.filter((stdioItem) => stdioItem.type === type).map(((stdioItem) => ({ ...stdioItem, direction }))));
var validateDuplicateStreamSync = ({ otherStdioItems, type, value, optionName, direction }) => {
  if (SPECIAL_DUPLICATE_TYPES_SYNC.has(type)) {
    getDuplicateStreamInstance({
      otherStdioItems,
      type,
      value,
      optionName,
      direction
    });
  }
};
var getDuplicateStreamInstance = ({ otherStdioItems, type, value, optionName, direction }) => {
  const duplicateStdioItems = otherStdioItems.filter((stdioItem) => hasSameValue(stdioItem, value));
  if (duplicateStdioItems.length === 0) {
    return;
  }
  const differentStdioItem = duplicateStdioItems.find((stdioItem) => stdioItem.direction !== direction);
  throwOnDuplicateStream(differentStdioItem, optionName, type);
  return direction === "output" ? duplicateStdioItems[0].stream : void 0;
};
var hasSameValue = ({ type, value }, secondValue) => {
  if (type === "filePath") {
    return value.file === secondValue.file;
  }
  if (type === "fileUrl") {
    return value.href === secondValue.href;
  }
  return value === secondValue;
};
var validateDuplicateTransform = ({ otherStdioItems, type, value, optionName }) => {
  const duplicateStdioItem = otherStdioItems.find(({ value: { transform } }) => transform === value.transform);
  throwOnDuplicateStream(duplicateStdioItem, optionName, type);
};
var throwOnDuplicateStream = (stdioItem, optionName, type) => {
  if (stdioItem !== void 0) {
    throw new TypeError(`The \`${stdioItem.optionName}\` and \`${optionName}\` options must not target ${TYPE_TO_MESSAGE[type]} that is the same.`);
  }
};

// node_modules/execa/lib/stdio/handle.js
var handleStdio = (addProperties3, options, verboseInfo, isSync) => {
  const stdio = normalizeStdioOption(options, verboseInfo, isSync);
  const initialFileDescriptors = stdio.map((stdioOption, fdNumber) => getFileDescriptor({
    stdioOption,
    fdNumber,
    options,
    isSync
  }));
  const fileDescriptors = getFinalFileDescriptors({
    initialFileDescriptors,
    addProperties: addProperties3,
    options,
    isSync
  });
  options.stdio = fileDescriptors.map(({ stdioItems }) => forwardStdio(stdioItems));
  return fileDescriptors;
};
var getFileDescriptor = ({ stdioOption, fdNumber, options, isSync }) => {
  const optionName = getStreamName(fdNumber);
  const { stdioItems: initialStdioItems, isStdioArray } = initializeStdioItems({
    stdioOption,
    fdNumber,
    options,
    optionName
  });
  const direction = getStreamDirection(initialStdioItems, fdNumber, optionName);
  const stdioItems = initialStdioItems.map((stdioItem) => handleNativeStream({
    stdioItem,
    isStdioArray,
    fdNumber,
    direction,
    isSync
  }));
  const normalizedStdioItems = normalizeTransforms(stdioItems, optionName, direction, options);
  const objectMode = getFdObjectMode(normalizedStdioItems, direction);
  validateFileObjectMode(normalizedStdioItems, objectMode);
  return { direction, objectMode, stdioItems: normalizedStdioItems };
};
var initializeStdioItems = ({ stdioOption, fdNumber, options, optionName }) => {
  const values = Array.isArray(stdioOption) ? stdioOption : [stdioOption];
  const initialStdioItems = [
    ...values.map((value) => initializeStdioItem(value, optionName)),
    ...handleInputOptions(options, fdNumber)
  ];
  const stdioItems = filterDuplicates(initialStdioItems);
  const isStdioArray = stdioItems.length > 1;
  validateStdioArray(stdioItems, isStdioArray, optionName);
  validateStreams(stdioItems);
  return { stdioItems, isStdioArray };
};
var initializeStdioItem = (value, optionName) => ({
  type: getStdioItemType(value, optionName),
  value,
  optionName
});
var validateStdioArray = (stdioItems, isStdioArray, optionName) => {
  if (stdioItems.length === 0) {
    throw new TypeError(`The \`${optionName}\` option must not be an empty array.`);
  }
  if (!isStdioArray) {
    return;
  }
  for (const { value, optionName: optionName2 } of stdioItems) {
    if (INVALID_STDIO_ARRAY_OPTIONS.has(value)) {
      throw new Error(`The \`${optionName2}\` option must not include \`${value}\`.`);
    }
  }
};
var INVALID_STDIO_ARRAY_OPTIONS = /* @__PURE__ */ new Set(["ignore", "ipc"]);
var validateStreams = (stdioItems) => {
  for (const stdioItem of stdioItems) {
    validateFileStdio(stdioItem);
  }
};
var validateFileStdio = ({ type, value, optionName }) => {
  if (isRegularUrl(value)) {
    throw new TypeError(`The \`${optionName}: URL\` option must use the \`file:\` scheme.
For example, you can use the \`pathToFileURL()\` method of the \`url\` core module.`);
  }
  if (isUnknownStdioString(type, value)) {
    throw new TypeError(`The \`${optionName}: { file: '...' }\` option must be used instead of \`${optionName}: '...'\`.`);
  }
};
var validateFileObjectMode = (stdioItems, objectMode) => {
  if (!objectMode) {
    return;
  }
  const fileStdioItem = stdioItems.find(({ type }) => FILE_TYPES.has(type));
  if (fileStdioItem !== void 0) {
    throw new TypeError(`The \`${fileStdioItem.optionName}\` option cannot use both files and transforms in objectMode.`);
  }
};
var getFinalFileDescriptors = ({ initialFileDescriptors, addProperties: addProperties3, options, isSync }) => {
  const fileDescriptors = [];
  try {
    for (const fileDescriptor of initialFileDescriptors) {
      fileDescriptors.push(getFinalFileDescriptor({
        fileDescriptor,
        fileDescriptors,
        addProperties: addProperties3,
        options,
        isSync
      }));
    }
    return fileDescriptors;
  } catch (error) {
    cleanupCustomStreams(fileDescriptors);
    throw error;
  }
};
var getFinalFileDescriptor = ({
  fileDescriptor: { direction, objectMode, stdioItems },
  fileDescriptors,
  addProperties: addProperties3,
  options,
  isSync
}) => {
  const finalStdioItems = stdioItems.map((stdioItem) => addStreamProperties({
    stdioItem,
    addProperties: addProperties3,
    direction,
    options,
    fileDescriptors,
    isSync
  }));
  return { direction, objectMode, stdioItems: finalStdioItems };
};
var addStreamProperties = ({ stdioItem, addProperties: addProperties3, direction, options, fileDescriptors, isSync }) => {
  const duplicateStream = getDuplicateStream({
    stdioItem,
    direction,
    fileDescriptors,
    isSync
  });
  if (duplicateStream !== void 0) {
    return { ...stdioItem, stream: duplicateStream };
  }
  return {
    ...stdioItem,
    ...addProperties3[direction][stdioItem.type](stdioItem, options)
  };
};
var cleanupCustomStreams = (fileDescriptors) => {
  for (const { stdioItems } of fileDescriptors) {
    for (const { stream } of stdioItems) {
      if (stream !== void 0 && !isStandardStream(stream)) {
        stream.destroy();
      }
    }
  }
};
var forwardStdio = (stdioItems) => {
  if (stdioItems.length > 1) {
    return stdioItems.some(({ value: value2 }) => value2 === "overlapped") ? "overlapped" : "pipe";
  }
  const [{ type, value }] = stdioItems;
  return type === "native" ? value : "pipe";
};

// node_modules/execa/lib/stdio/handle-sync.js
var handleStdioSync = (options, verboseInfo) => handleStdio(addPropertiesSync, options, verboseInfo, true);
var forbiddenIfSync = ({ type, optionName }) => {
  throwInvalidSyncValue(optionName, TYPE_TO_MESSAGE[type]);
};
var forbiddenNativeIfSync = ({ optionName, value }) => {
  if (value === "ipc" || value === "overlapped") {
    throwInvalidSyncValue(optionName, `"${value}"`);
  }
  return {};
};
var throwInvalidSyncValue = (optionName, value) => {
  throw new TypeError(`The \`${optionName}\` option cannot be ${value} with synchronous methods.`);
};
var addProperties = {
  generator() {
  },
  asyncGenerator: forbiddenIfSync,
  webStream: forbiddenIfSync,
  nodeStream: forbiddenIfSync,
  webTransform: forbiddenIfSync,
  duplex: forbiddenIfSync,
  asyncIterable: forbiddenIfSync,
  native: forbiddenNativeIfSync
};
var addPropertiesSync = {
  input: {
    ...addProperties,
    fileUrl: ({ value }) => ({ contents: [bufferToUint8Array(readFileSync4(value))] }),
    filePath: ({ value: { file } }) => ({ contents: [bufferToUint8Array(readFileSync4(file))] }),
    fileNumber: forbiddenIfSync,
    iterable: ({ value }) => ({ contents: [...value] }),
    string: ({ value }) => ({ contents: [value] }),
    uint8Array: ({ value }) => ({ contents: [value] })
  },
  output: {
    ...addProperties,
    fileUrl: ({ value }) => ({ path: value }),
    filePath: ({ value: { file, append } }) => ({ path: file, append }),
    fileNumber: ({ value }) => ({ path: value }),
    iterable: forbiddenIfSync,
    string: forbiddenIfSync,
    uint8Array: forbiddenIfSync
  }
};

// node_modules/execa/lib/io/strip-newline.js
var stripNewline = (value, { stripFinalNewline: stripFinalNewline2 }, fdNumber) => getStripFinalNewline(stripFinalNewline2, fdNumber) && value !== void 0 && !Array.isArray(value) ? stripFinalNewline(value) : value;
var getStripFinalNewline = (stripFinalNewline2, fdNumber) => fdNumber === "all" ? stripFinalNewline2[1] || stripFinalNewline2[2] : stripFinalNewline2[fdNumber];

// node_modules/execa/lib/transform/generator.js
import { Transform, getDefaultHighWaterMark } from "node:stream";

// node_modules/execa/lib/transform/split.js
var getSplitLinesGenerator = (binary, preserveNewlines, skipped, state) => binary || skipped ? void 0 : initializeSplitLines(preserveNewlines, state);
var splitLinesSync = (chunk, preserveNewlines, objectMode) => objectMode ? chunk.flatMap((item) => splitLinesItemSync(item, preserveNewlines)) : splitLinesItemSync(chunk, preserveNewlines);
var splitLinesItemSync = (chunk, preserveNewlines) => {
  const { transform, final } = initializeSplitLines(preserveNewlines, {});
  return [...transform(chunk), ...final()];
};
var initializeSplitLines = (preserveNewlines, state) => {
  state.previousChunks = "";
  return {
    transform: splitGenerator.bind(void 0, state, preserveNewlines),
    final: linesFinal.bind(void 0, state)
  };
};
var splitGenerator = function* (state, preserveNewlines, chunk) {
  if (typeof chunk !== "string") {
    yield chunk;
    return;
  }
  let { previousChunks } = state;
  let start = -1;
  for (let end = 0; end < chunk.length; end += 1) {
    if (chunk[end] === "\n") {
      const newlineLength = getNewlineLength(chunk, end, preserveNewlines, state);
      let line = chunk.slice(start + 1, end + 1 - newlineLength);
      if (previousChunks.length > 0) {
        line = concatString(previousChunks, line);
        previousChunks = "";
      }
      yield line;
      start = end;
    }
  }
  if (start !== chunk.length - 1) {
    previousChunks = concatString(previousChunks, chunk.slice(start + 1));
  }
  state.previousChunks = previousChunks;
};
var getNewlineLength = (chunk, end, preserveNewlines, state) => {
  if (preserveNewlines) {
    return 0;
  }
  state.isWindowsNewline = end !== 0 && chunk[end - 1] === "\r";
  return state.isWindowsNewline ? 2 : 1;
};
var linesFinal = function* ({ previousChunks }) {
  if (previousChunks.length > 0) {
    yield previousChunks;
  }
};
var getAppendNewlineGenerator = ({ binary, preserveNewlines, readableObjectMode, state }) => binary || preserveNewlines || readableObjectMode ? void 0 : { transform: appendNewlineGenerator.bind(void 0, state) };
var appendNewlineGenerator = function* ({ isWindowsNewline = false }, chunk) {
  const { unixNewline, windowsNewline, LF: LF2, concatBytes } = typeof chunk === "string" ? linesStringInfo : linesUint8ArrayInfo;
  if (chunk.at(-1) === LF2) {
    yield chunk;
    return;
  }
  const newline = isWindowsNewline ? windowsNewline : unixNewline;
  yield concatBytes(chunk, newline);
};
var concatString = (firstChunk, secondChunk) => `${firstChunk}${secondChunk}`;
var linesStringInfo = {
  windowsNewline: "\r\n",
  unixNewline: "\n",
  LF: "\n",
  concatBytes: concatString
};
var concatUint8Array = (firstChunk, secondChunk) => {
  const chunk = new Uint8Array(firstChunk.length + secondChunk.length);
  chunk.set(firstChunk, 0);
  chunk.set(secondChunk, firstChunk.length);
  return chunk;
};
var linesUint8ArrayInfo = {
  windowsNewline: new Uint8Array([13, 10]),
  unixNewline: new Uint8Array([10]),
  LF: 10,
  concatBytes: concatUint8Array
};

// node_modules/execa/lib/transform/validate.js
import { Buffer as Buffer3 } from "node:buffer";
var getValidateTransformInput = (writableObjectMode, optionName) => writableObjectMode ? void 0 : validateStringTransformInput.bind(void 0, optionName);
var validateStringTransformInput = function* (optionName, chunk) {
  if (typeof chunk !== "string" && !isUint8Array(chunk) && !Buffer3.isBuffer(chunk)) {
    throw new TypeError(`The \`${optionName}\` option's transform must use "objectMode: true" to receive as input: ${typeof chunk}.`);
  }
  yield chunk;
};
var getValidateTransformReturn = (readableObjectMode, optionName) => readableObjectMode ? validateObjectTransformReturn.bind(void 0, optionName) : validateStringTransformReturn.bind(void 0, optionName);
var validateObjectTransformReturn = function* (optionName, chunk) {
  validateEmptyReturn(optionName, chunk);
  yield chunk;
};
var validateStringTransformReturn = function* (optionName, chunk) {
  validateEmptyReturn(optionName, chunk);
  if (typeof chunk !== "string" && !isUint8Array(chunk)) {
    throw new TypeError(`The \`${optionName}\` option's function must yield a string or an Uint8Array, not ${typeof chunk}.`);
  }
  yield chunk;
};
var validateEmptyReturn = (optionName, chunk) => {
  if (chunk === null || chunk === void 0) {
    throw new TypeError(`The \`${optionName}\` option's function must not call \`yield ${chunk}\`.
Instead, \`yield\` should either be called with a value, or not be called at all. For example:
  if (condition) { yield value; }`);
  }
};

// node_modules/execa/lib/transform/encoding-transform.js
import { Buffer as Buffer4 } from "node:buffer";
import { StringDecoder as StringDecoder2 } from "node:string_decoder";
var getEncodingTransformGenerator = (binary, encoding, skipped) => {
  if (skipped) {
    return;
  }
  if (binary) {
    return { transform: encodingUint8ArrayGenerator.bind(void 0, new TextEncoder()) };
  }
  const stringDecoder = new StringDecoder2(encoding);
  return {
    transform: encodingStringGenerator.bind(void 0, stringDecoder),
    final: encodingStringFinal.bind(void 0, stringDecoder)
  };
};
var encodingUint8ArrayGenerator = function* (textEncoder3, chunk) {
  if (Buffer4.isBuffer(chunk)) {
    yield bufferToUint8Array(chunk);
  } else if (typeof chunk === "string") {
    yield textEncoder3.encode(chunk);
  } else {
    yield chunk;
  }
};
var encodingStringGenerator = function* (stringDecoder, chunk) {
  yield isUint8Array(chunk) ? stringDecoder.write(chunk) : chunk;
};
var encodingStringFinal = function* (stringDecoder) {
  const lastChunk = stringDecoder.end();
  if (lastChunk !== "") {
    yield lastChunk;
  }
};

// node_modules/execa/lib/transform/run-async.js
import { callbackify } from "node:util";
var pushChunks = callbackify(async (getChunks, state, getChunksArguments, transformStream) => {
  state.currentIterable = getChunks(...getChunksArguments);
  try {
    for await (const chunk of state.currentIterable) {
      transformStream.push(chunk);
    }
  } finally {
    delete state.currentIterable;
  }
});
var transformChunk = async function* (chunk, generators, index) {
  if (index === generators.length) {
    yield chunk;
    return;
  }
  const { transform = identityGenerator } = generators[index];
  for await (const transformedChunk of transform(chunk)) {
    yield* transformChunk(transformedChunk, generators, index + 1);
  }
};
var finalChunks = async function* (generators) {
  for (const [index, { final }] of Object.entries(generators)) {
    yield* generatorFinalChunks(final, Number(index), generators);
  }
};
var generatorFinalChunks = async function* (final, index, generators) {
  if (final === void 0) {
    return;
  }
  for await (const finalChunk of final()) {
    yield* transformChunk(finalChunk, generators, index + 1);
  }
};
var destroyTransform = callbackify(async ({ currentIterable }, error) => {
  if (currentIterable !== void 0) {
    await (error ? currentIterable.throw(error) : currentIterable.return());
    return;
  }
  if (error) {
    throw error;
  }
});
var identityGenerator = function* (chunk) {
  yield chunk;
};

// node_modules/execa/lib/transform/run-sync.js
var pushChunksSync = (getChunksSync, getChunksArguments, transformStream, done) => {
  try {
    for (const chunk of getChunksSync(...getChunksArguments)) {
      transformStream.push(chunk);
    }
    done();
  } catch (error) {
    done(error);
  }
};
var runTransformSync = (generators, chunks) => [
  ...chunks.flatMap((chunk) => [...transformChunkSync(chunk, generators, 0)]),
  ...finalChunksSync(generators)
];
var transformChunkSync = function* (chunk, generators, index) {
  if (index === generators.length) {
    yield chunk;
    return;
  }
  const { transform = identityGenerator2 } = generators[index];
  for (const transformedChunk of transform(chunk)) {
    yield* transformChunkSync(transformedChunk, generators, index + 1);
  }
};
var finalChunksSync = function* (generators) {
  for (const [index, { final }] of Object.entries(generators)) {
    yield* generatorFinalChunksSync(final, Number(index), generators);
  }
};
var generatorFinalChunksSync = function* (final, index, generators) {
  if (final === void 0) {
    return;
  }
  for (const finalChunk of final()) {
    yield* transformChunkSync(finalChunk, generators, index + 1);
  }
};
var identityGenerator2 = function* (chunk) {
  yield chunk;
};

// node_modules/execa/lib/transform/generator.js
var generatorToStream = ({
  value,
  value: { transform, final, writableObjectMode, readableObjectMode },
  optionName
}, { encoding }) => {
  const state = {};
  const generators = addInternalGenerators(value, encoding, optionName);
  const transformAsync = isAsyncGenerator(transform);
  const finalAsync = isAsyncGenerator(final);
  const transformMethod = transformAsync ? pushChunks.bind(void 0, transformChunk, state) : pushChunksSync.bind(void 0, transformChunkSync);
  const finalMethod = transformAsync || finalAsync ? pushChunks.bind(void 0, finalChunks, state) : pushChunksSync.bind(void 0, finalChunksSync);
  const destroyMethod = transformAsync || finalAsync ? destroyTransform.bind(void 0, state) : void 0;
  const stream = new Transform({
    writableObjectMode,
    writableHighWaterMark: getDefaultHighWaterMark(writableObjectMode),
    readableObjectMode,
    readableHighWaterMark: getDefaultHighWaterMark(readableObjectMode),
    transform(chunk, encoding2, done) {
      transformMethod([chunk, generators, 0], this, done);
    },
    flush(done) {
      finalMethod([generators], this, done);
    },
    destroy: destroyMethod
  });
  return { stream };
};
var runGeneratorsSync = (chunks, stdioItems, encoding, isInput) => {
  const generators = stdioItems.filter(({ type }) => type === "generator");
  const reversedGenerators = isInput ? generators.reverse() : generators;
  for (const { value, optionName } of reversedGenerators) {
    const generators2 = addInternalGenerators(value, encoding, optionName);
    chunks = runTransformSync(generators2, chunks);
  }
  return chunks;
};
var addInternalGenerators = ({ transform, final, binary, writableObjectMode, readableObjectMode, preserveNewlines }, encoding, optionName) => {
  const state = {};
  return [
    { transform: getValidateTransformInput(writableObjectMode, optionName) },
    getEncodingTransformGenerator(binary, encoding, writableObjectMode),
    getSplitLinesGenerator(binary, preserveNewlines, writableObjectMode, state),
    { transform, final },
    { transform: getValidateTransformReturn(readableObjectMode, optionName) },
    getAppendNewlineGenerator({
      binary,
      preserveNewlines,
      readableObjectMode,
      state
    })
  ].filter(Boolean);
};

// node_modules/execa/lib/io/input-sync.js
var addInputOptionsSync = (fileDescriptors, options) => {
  for (const fdNumber of getInputFdNumbers(fileDescriptors)) {
    addInputOptionSync(fileDescriptors, fdNumber, options);
  }
};
var getInputFdNumbers = (fileDescriptors) => new Set(Object.entries(fileDescriptors).filter(([, { direction }]) => direction === "input").map(([fdNumber]) => Number(fdNumber)));
var addInputOptionSync = (fileDescriptors, fdNumber, options) => {
  const { stdioItems } = fileDescriptors[fdNumber];
  const allStdioItems = stdioItems.filter(({ contents }) => contents !== void 0);
  if (allStdioItems.length === 0) {
    return;
  }
  if (fdNumber !== 0) {
    const [{ type, optionName }] = allStdioItems;
    throw new TypeError(`Only the \`stdin\` option, not \`${optionName}\`, can be ${TYPE_TO_MESSAGE[type]} with synchronous methods.`);
  }
  const allContents = allStdioItems.map(({ contents }) => contents);
  const transformedContents = allContents.map((contents) => applySingleInputGeneratorsSync(contents, stdioItems));
  options.input = joinToUint8Array(transformedContents);
};
var applySingleInputGeneratorsSync = (contents, stdioItems) => {
  const newContents = runGeneratorsSync(contents, stdioItems, "utf8", true);
  validateSerializable(newContents);
  return joinToUint8Array(newContents);
};
var validateSerializable = (newContents) => {
  const invalidItem = newContents.find((item) => typeof item !== "string" && !isUint8Array(item));
  if (invalidItem !== void 0) {
    throw new TypeError(`The \`stdin\` option is invalid: when passing objects as input, a transform must be used to serialize them to strings or Uint8Arrays: ${invalidItem}.`);
  }
};

// node_modules/execa/lib/io/output-sync.js
import { writeFileSync, appendFileSync } from "node:fs";

// node_modules/execa/lib/verbose/output.js
var shouldLogOutput = ({ stdioItems, encoding, verboseInfo, fdNumber }) => fdNumber !== "all" && isFullVerbose(verboseInfo, fdNumber) && !BINARY_ENCODINGS.has(encoding) && fdUsesVerbose(fdNumber) && (stdioItems.some(({ type, value }) => type === "native" && PIPED_STDIO_VALUES.has(value)) || stdioItems.every(({ type }) => TRANSFORM_TYPES.has(type)));
var fdUsesVerbose = (fdNumber) => fdNumber === 1 || fdNumber === 2;
var PIPED_STDIO_VALUES = /* @__PURE__ */ new Set(["pipe", "overlapped"]);
var logLines = async (linesIterable, stream, fdNumber, verboseInfo) => {
  for await (const line of linesIterable) {
    if (!isPipingStream(stream)) {
      logLine(line, fdNumber, verboseInfo);
    }
  }
};
var logLinesSync = (linesArray, fdNumber, verboseInfo) => {
  for (const line of linesArray) {
    logLine(line, fdNumber, verboseInfo);
  }
};
var isPipingStream = (stream) => stream._readableState.pipes.length > 0;
var logLine = (line, fdNumber, verboseInfo) => {
  const verboseMessage = serializeVerboseMessage(line);
  verboseLog({
    type: "output",
    verboseMessage,
    fdNumber,
    verboseInfo
  });
};

// node_modules/execa/lib/io/output-sync.js
var transformOutputSync = ({ fileDescriptors, syncResult: { output }, options, isMaxBuffer, verboseInfo }) => {
  if (output === null) {
    return { output: Array.from({ length: 3 }) };
  }
  const state = {};
  const outputFiles = /* @__PURE__ */ new Set([]);
  const transformedOutput = output.map((result, fdNumber) => transformOutputResultSync({
    result,
    fileDescriptors,
    fdNumber,
    state,
    outputFiles,
    isMaxBuffer,
    verboseInfo
  }, options));
  return { output: transformedOutput, ...state };
};
var transformOutputResultSync = ({ result, fileDescriptors, fdNumber, state, outputFiles, isMaxBuffer, verboseInfo }, { buffer, encoding, lines, stripFinalNewline: stripFinalNewline2, maxBuffer }) => {
  if (result === null) {
    return;
  }
  const truncatedResult = truncateMaxBufferSync(result, isMaxBuffer, maxBuffer);
  const uint8ArrayResult = bufferToUint8Array(truncatedResult);
  const { stdioItems, objectMode } = fileDescriptors[fdNumber];
  const chunks = runOutputGeneratorsSync([uint8ArrayResult], stdioItems, encoding, state);
  const { serializedResult, finalResult = serializedResult } = serializeChunks({
    chunks,
    objectMode,
    encoding,
    lines,
    stripFinalNewline: stripFinalNewline2,
    fdNumber
  });
  logOutputSync({
    serializedResult,
    fdNumber,
    state,
    verboseInfo,
    encoding,
    stdioItems,
    objectMode
  });
  const returnedResult = buffer[fdNumber] ? finalResult : void 0;
  try {
    if (state.error === void 0) {
      writeToFiles(serializedResult, stdioItems, outputFiles);
    }
    return returnedResult;
  } catch (error) {
    state.error = error;
    return returnedResult;
  }
};
var runOutputGeneratorsSync = (chunks, stdioItems, encoding, state) => {
  try {
    return runGeneratorsSync(chunks, stdioItems, encoding, false);
  } catch (error) {
    state.error = error;
    return chunks;
  }
};
var serializeChunks = ({ chunks, objectMode, encoding, lines, stripFinalNewline: stripFinalNewline2, fdNumber }) => {
  if (objectMode) {
    return { serializedResult: chunks };
  }
  if (encoding === "buffer") {
    return { serializedResult: joinToUint8Array(chunks) };
  }
  const serializedResult = joinToString(chunks, encoding);
  if (lines[fdNumber]) {
    return { serializedResult, finalResult: splitLinesSync(serializedResult, !stripFinalNewline2[fdNumber], objectMode) };
  }
  return { serializedResult };
};
var logOutputSync = ({ serializedResult, fdNumber, state, verboseInfo, encoding, stdioItems, objectMode }) => {
  if (!shouldLogOutput({
    stdioItems,
    encoding,
    verboseInfo,
    fdNumber
  })) {
    return;
  }
  const linesArray = splitLinesSync(serializedResult, false, objectMode);
  try {
    logLinesSync(linesArray, fdNumber, verboseInfo);
  } catch (error) {
    state.error ??= error;
  }
};
var writeToFiles = (serializedResult, stdioItems, outputFiles) => {
  for (const { path: path6, append } of stdioItems.filter(({ type }) => FILE_TYPES.has(type))) {
    const pathString = typeof path6 === "string" ? path6 : path6.toString();
    if (append || outputFiles.has(pathString)) {
      appendFileSync(path6, serializedResult);
    } else {
      outputFiles.add(pathString);
      writeFileSync(path6, serializedResult);
    }
  }
};

// node_modules/execa/lib/resolve/all-sync.js
var getAllSync = ([, stdout, stderr], options) => {
  if (!options.all) {
    return;
  }
  if (stdout === void 0) {
    return stderr;
  }
  if (stderr === void 0) {
    return stdout;
  }
  if (Array.isArray(stdout)) {
    return Array.isArray(stderr) ? [...stdout, ...stderr] : [...stdout, stripNewline(stderr, options, "all")];
  }
  if (Array.isArray(stderr)) {
    return [stripNewline(stdout, options, "all"), ...stderr];
  }
  if (isUint8Array(stdout) && isUint8Array(stderr)) {
    return concatUint8Arrays([stdout, stderr]);
  }
  return `${stdout}${stderr}`;
};

// node_modules/execa/lib/resolve/exit-async.js
import { once as once4 } from "node:events";
var waitForExit = async (subprocess, context) => {
  const [exitCode, signal] = await waitForExitOrError(subprocess);
  context.isForcefullyTerminated ??= false;
  return [exitCode, signal];
};
var waitForExitOrError = async (subprocess) => {
  const [spawnPayload, exitPayload] = await Promise.allSettled([
    once4(subprocess, "spawn"),
    once4(subprocess, "exit")
  ]);
  if (spawnPayload.status === "rejected") {
    return [];
  }
  return exitPayload.status === "rejected" ? waitForSubprocessExit(subprocess) : exitPayload.value;
};
var waitForSubprocessExit = async (subprocess) => {
  try {
    return await once4(subprocess, "exit");
  } catch {
    return waitForSubprocessExit(subprocess);
  }
};
var waitForSuccessfulExit = async (exitPromise) => {
  const [exitCode, signal] = await exitPromise;
  if (!isSubprocessErrorExit(exitCode, signal) && isFailedExit(exitCode, signal)) {
    throw new DiscardedError();
  }
  return [exitCode, signal];
};
var isSubprocessErrorExit = (exitCode, signal) => exitCode === void 0 && signal === void 0;
var isFailedExit = (exitCode, signal) => exitCode !== 0 || signal !== null;

// node_modules/execa/lib/resolve/exit-sync.js
var getExitResultSync = ({ error, status: exitCode, signal, output }, { maxBuffer }) => {
  const resultError = getResultError(error, exitCode, signal);
  const timedOut = resultError?.code === "ETIMEDOUT";
  const isMaxBuffer = isMaxBufferSync(resultError, output, maxBuffer);
  return {
    resultError,
    exitCode,
    signal,
    timedOut,
    isMaxBuffer
  };
};
var getResultError = (error, exitCode, signal) => {
  if (error !== void 0) {
    return error;
  }
  return isFailedExit(exitCode, signal) ? new DiscardedError() : void 0;
};

// node_modules/execa/lib/methods/main-sync.js
var execaCoreSync = (rawFile, rawArguments, rawOptions) => {
  const { file, commandArguments, command, escapedCommand, startTime, verboseInfo, options, fileDescriptors } = handleSyncArguments(rawFile, rawArguments, rawOptions);
  const result = spawnSubprocessSync({
    file,
    commandArguments,
    options,
    command,
    escapedCommand,
    verboseInfo,
    fileDescriptors,
    startTime
  });
  return handleResult(result, verboseInfo, options);
};
var handleSyncArguments = (rawFile, rawArguments, rawOptions) => {
  const { command, escapedCommand, startTime, verboseInfo } = handleCommand(rawFile, rawArguments, rawOptions);
  const syncOptions = normalizeSyncOptions(rawOptions);
  const { file, commandArguments, options } = normalizeOptions(rawFile, rawArguments, syncOptions);
  validateSyncOptions(options);
  const fileDescriptors = handleStdioSync(options, verboseInfo);
  return {
    file,
    commandArguments,
    command,
    escapedCommand,
    startTime,
    verboseInfo,
    options,
    fileDescriptors
  };
};
var normalizeSyncOptions = (options) => options.node && !options.ipc ? { ...options, ipc: false } : options;
var validateSyncOptions = ({ ipc, ipcInput, detached, cancelSignal }) => {
  if (ipcInput) {
    throwInvalidSyncOption("ipcInput");
  }
  if (ipc) {
    throwInvalidSyncOption("ipc: true");
  }
  if (detached) {
    throwInvalidSyncOption("detached: true");
  }
  if (cancelSignal) {
    throwInvalidSyncOption("cancelSignal");
  }
};
var throwInvalidSyncOption = (value) => {
  throw new TypeError(`The "${value}" option cannot be used with synchronous methods.`);
};
var spawnSubprocessSync = ({ file, commandArguments, options, command, escapedCommand, verboseInfo, fileDescriptors, startTime }) => {
  const syncResult = runSubprocessSync({
    file,
    commandArguments,
    options,
    command,
    escapedCommand,
    fileDescriptors,
    startTime
  });
  if (syncResult.failed) {
    return syncResult;
  }
  const { resultError, exitCode, signal, timedOut, isMaxBuffer } = getExitResultSync(syncResult, options);
  const { output, error = resultError } = transformOutputSync({
    fileDescriptors,
    syncResult,
    options,
    isMaxBuffer,
    verboseInfo
  });
  const stdio = output.map((stdioOutput, fdNumber) => stripNewline(stdioOutput, options, fdNumber));
  const all = stripNewline(getAllSync(output, options), options, "all");
  return getSyncResult({
    error,
    exitCode,
    signal,
    timedOut,
    isMaxBuffer,
    stdio,
    all,
    options,
    command,
    escapedCommand,
    startTime
  });
};
var runSubprocessSync = ({ file, commandArguments, options, command, escapedCommand, fileDescriptors, startTime }) => {
  try {
    addInputOptionsSync(fileDescriptors, options);
    const normalizedOptions = normalizeSpawnSyncOptions(options);
    return spawnSync(...concatenateShell(file, commandArguments, normalizedOptions));
  } catch (error) {
    return makeEarlyError({
      error,
      command,
      escapedCommand,
      fileDescriptors,
      options,
      startTime,
      isSync: true
    });
  }
};
var normalizeSpawnSyncOptions = ({ encoding, maxBuffer, ...options }) => ({ ...options, encoding: "buffer", maxBuffer: getMaxBufferSync(maxBuffer) });
var getSyncResult = ({ error, exitCode, signal, timedOut, isMaxBuffer, stdio, all, options, command, escapedCommand, startTime }) => error === void 0 ? makeSuccessResult({
  command,
  escapedCommand,
  stdio,
  all,
  ipcOutput: [],
  options,
  startTime
}) : makeError({
  error,
  command,
  escapedCommand,
  timedOut,
  isCanceled: false,
  isGracefullyCanceled: false,
  isMaxBuffer,
  isForcefullyTerminated: false,
  exitCode,
  signal,
  stdio,
  all,
  ipcOutput: [],
  options,
  startTime,
  isSync: true
});

// node_modules/execa/lib/methods/main-async.js
import { setMaxListeners } from "node:events";
import { spawn } from "node:child_process";

// node_modules/execa/lib/ipc/methods.js
import process8 from "node:process";

// node_modules/execa/lib/ipc/get-one.js
import { once as once5, on as on2 } from "node:events";
var getOneMessage = ({ anyProcess, channel, isSubprocess, ipc }, { reference = true, filter } = {}) => {
  validateIpcMethod({
    methodName: "getOneMessage",
    isSubprocess,
    ipc,
    isConnected: isConnected(anyProcess)
  });
  return getOneMessageAsync({
    anyProcess,
    channel,
    isSubprocess,
    filter,
    reference
  });
};
var getOneMessageAsync = async ({ anyProcess, channel, isSubprocess, filter, reference }) => {
  addReference(channel, reference);
  const ipcEmitter = getIpcEmitter(anyProcess, channel, isSubprocess);
  const controller = new AbortController();
  try {
    return await Promise.race([
      getMessage(ipcEmitter, filter, controller),
      throwOnDisconnect2(ipcEmitter, isSubprocess, controller),
      throwOnStrictError(ipcEmitter, isSubprocess, controller)
    ]);
  } catch (error) {
    disconnect(anyProcess);
    throw error;
  } finally {
    controller.abort();
    removeReference(channel, reference);
  }
};
var getMessage = async (ipcEmitter, filter, { signal }) => {
  if (filter === void 0) {
    const [message] = await once5(ipcEmitter, "message", { signal });
    return message;
  }
  for await (const [message] of on2(ipcEmitter, "message", { signal })) {
    if (filter(message)) {
      return message;
    }
  }
};
var throwOnDisconnect2 = async (ipcEmitter, isSubprocess, { signal }) => {
  await once5(ipcEmitter, "disconnect", { signal });
  throwOnEarlyDisconnect(isSubprocess);
};
var throwOnStrictError = async (ipcEmitter, isSubprocess, { signal }) => {
  const [error] = await once5(ipcEmitter, "strict:error", { signal });
  throw getStrictResponseError(error, isSubprocess);
};

// node_modules/execa/lib/ipc/get-each.js
import { once as once6, on as on3 } from "node:events";
var getEachMessage = ({ anyProcess, channel, isSubprocess, ipc }, { reference = true } = {}) => loopOnMessages({
  anyProcess,
  channel,
  isSubprocess,
  ipc,
  shouldAwait: !isSubprocess,
  reference
});
var loopOnMessages = ({ anyProcess, channel, isSubprocess, ipc, shouldAwait, reference }) => {
  validateIpcMethod({
    methodName: "getEachMessage",
    isSubprocess,
    ipc,
    isConnected: isConnected(anyProcess)
  });
  addReference(channel, reference);
  const ipcEmitter = getIpcEmitter(anyProcess, channel, isSubprocess);
  const controller = new AbortController();
  const state = {};
  stopOnDisconnect(anyProcess, ipcEmitter, controller);
  abortOnStrictError({
    ipcEmitter,
    isSubprocess,
    controller,
    state
  });
  return iterateOnMessages({
    anyProcess,
    channel,
    ipcEmitter,
    isSubprocess,
    shouldAwait,
    controller,
    state,
    reference
  });
};
var stopOnDisconnect = async (anyProcess, ipcEmitter, controller) => {
  try {
    await once6(ipcEmitter, "disconnect", { signal: controller.signal });
    controller.abort();
  } catch {
  }
};
var abortOnStrictError = async ({ ipcEmitter, isSubprocess, controller, state }) => {
  try {
    const [error] = await once6(ipcEmitter, "strict:error", { signal: controller.signal });
    state.error = getStrictResponseError(error, isSubprocess);
    controller.abort();
  } catch {
  }
};
var iterateOnMessages = async function* ({ anyProcess, channel, ipcEmitter, isSubprocess, shouldAwait, controller, state, reference }) {
  try {
    for await (const [message] of on3(ipcEmitter, "message", { signal: controller.signal })) {
      throwIfStrictError(state);
      yield message;
    }
  } catch {
    throwIfStrictError(state);
  } finally {
    controller.abort();
    removeReference(channel, reference);
    if (!isSubprocess) {
      disconnect(anyProcess);
    }
    if (shouldAwait) {
      await anyProcess;
    }
  }
};
var throwIfStrictError = ({ error }) => {
  if (error) {
    throw error;
  }
};

// node_modules/execa/lib/ipc/methods.js
var addIpcMethods = (subprocess, { ipc }) => {
  Object.assign(subprocess, getIpcMethods(subprocess, false, ipc));
};
var getIpcExport = () => {
  const anyProcess = process8;
  const isSubprocess = true;
  const ipc = process8.channel !== void 0;
  return {
    ...getIpcMethods(anyProcess, isSubprocess, ipc),
    getCancelSignal: getCancelSignal.bind(void 0, {
      anyProcess,
      channel: anyProcess.channel,
      isSubprocess,
      ipc
    })
  };
};
var getIpcMethods = (anyProcess, isSubprocess, ipc) => ({
  sendMessage: sendMessage.bind(void 0, {
    anyProcess,
    channel: anyProcess.channel,
    isSubprocess,
    ipc
  }),
  getOneMessage: getOneMessage.bind(void 0, {
    anyProcess,
    channel: anyProcess.channel,
    isSubprocess,
    ipc
  }),
  getEachMessage: getEachMessage.bind(void 0, {
    anyProcess,
    channel: anyProcess.channel,
    isSubprocess,
    ipc
  })
});

// node_modules/execa/lib/return/early-error.js
import { ChildProcess as ChildProcess2 } from "node:child_process";
import {
  PassThrough,
  Readable,
  Writable,
  Duplex
} from "node:stream";
var handleEarlyError = ({ error, command, escapedCommand, fileDescriptors, options, startTime, verboseInfo }) => {
  cleanupCustomStreams(fileDescriptors);
  const subprocess = new ChildProcess2();
  createDummyStreams(subprocess, fileDescriptors);
  Object.assign(subprocess, { readable, writable, duplex });
  const earlyError = makeEarlyError({
    error,
    command,
    escapedCommand,
    fileDescriptors,
    options,
    startTime,
    isSync: false
  });
  const promise = handleDummyPromise(earlyError, verboseInfo, options);
  return { subprocess, promise };
};
var createDummyStreams = (subprocess, fileDescriptors) => {
  const stdin = createDummyStream();
  const stdout = createDummyStream();
  const stderr = createDummyStream();
  const extraStdio = Array.from({ length: fileDescriptors.length - 3 }, createDummyStream);
  const all = createDummyStream();
  const stdio = [stdin, stdout, stderr, ...extraStdio];
  Object.assign(subprocess, {
    stdin,
    stdout,
    stderr,
    all,
    stdio
  });
};
var createDummyStream = () => {
  const stream = new PassThrough();
  stream.end();
  return stream;
};
var readable = () => new Readable({ read() {
} });
var writable = () => new Writable({ write() {
} });
var duplex = () => new Duplex({ read() {
}, write() {
} });
var handleDummyPromise = async (error, verboseInfo, options) => handleResult(error, verboseInfo, options);

// node_modules/execa/lib/stdio/handle-async.js
import { createReadStream, createWriteStream } from "node:fs";
import { Buffer as Buffer5 } from "node:buffer";
import { Readable as Readable2, Writable as Writable2, Duplex as Duplex2 } from "node:stream";
var handleStdioAsync = (options, verboseInfo) => handleStdio(addPropertiesAsync, options, verboseInfo, false);
var forbiddenIfAsync = ({ type, optionName }) => {
  throw new TypeError(`The \`${optionName}\` option cannot be ${TYPE_TO_MESSAGE[type]}.`);
};
var addProperties2 = {
  fileNumber: forbiddenIfAsync,
  generator: generatorToStream,
  asyncGenerator: generatorToStream,
  nodeStream: ({ value }) => ({ stream: value }),
  webTransform({ value: { transform, writableObjectMode, readableObjectMode } }) {
    const objectMode = writableObjectMode || readableObjectMode;
    const stream = Duplex2.fromWeb(transform, { objectMode });
    return { stream };
  },
  duplex: ({ value: { transform } }) => ({ stream: transform }),
  native() {
  }
};
var addPropertiesAsync = {
  input: {
    ...addProperties2,
    fileUrl: ({ value }) => ({ stream: createReadStream(value) }),
    filePath: ({ value: { file } }) => ({ stream: createReadStream(file) }),
    webStream: ({ value }) => ({ stream: Readable2.fromWeb(value) }),
    iterable: ({ value }) => ({ stream: Readable2.from(value) }),
    asyncIterable: ({ value }) => ({ stream: Readable2.from(value) }),
    string: ({ value }) => ({ stream: Readable2.from(value) }),
    uint8Array: ({ value }) => ({ stream: Readable2.from(Buffer5.from(value)) })
  },
  output: {
    ...addProperties2,
    fileUrl: ({ value }) => ({ stream: createWriteStream(value) }),
    filePath: ({ value: { file, append } }) => ({ stream: createWriteStream(file, append ? { flags: "a" } : {}) }),
    webStream: ({ value }) => ({ stream: Writable2.fromWeb(value) }),
    iterable: forbiddenIfAsync,
    asyncIterable: forbiddenIfAsync,
    string: forbiddenIfAsync,
    uint8Array: forbiddenIfAsync
  }
};

// node_modules/@sindresorhus/merge-streams/index.js
import { on as on4, once as once7 } from "node:events";
import { PassThrough as PassThroughStream, getDefaultHighWaterMark as getDefaultHighWaterMark2 } from "node:stream";
import { finished as finished2 } from "node:stream/promises";
function mergeStreams(streams) {
  if (!Array.isArray(streams)) {
    throw new TypeError(`Expected an array, got \`${typeof streams}\`.`);
  }
  for (const stream of streams) {
    validateStream(stream);
  }
  const objectMode = streams.some(({ readableObjectMode }) => readableObjectMode);
  const highWaterMark = getHighWaterMark(streams, objectMode);
  const passThroughStream = new MergedStream({
    objectMode,
    writableHighWaterMark: highWaterMark,
    readableHighWaterMark: highWaterMark
  });
  for (const stream of streams) {
    passThroughStream.add(stream);
  }
  return passThroughStream;
}
var getHighWaterMark = (streams, objectMode) => {
  if (streams.length === 0) {
    return getDefaultHighWaterMark2(objectMode);
  }
  const highWaterMarks = streams.filter(({ readableObjectMode }) => readableObjectMode === objectMode).map(({ readableHighWaterMark }) => readableHighWaterMark);
  return Math.max(...highWaterMarks);
};
var MergedStream = class extends PassThroughStream {
  #streams = /* @__PURE__ */ new Set([]);
  #ended = /* @__PURE__ */ new Set([]);
  #aborted = /* @__PURE__ */ new Set([]);
  #onFinished;
  #unpipeEvent = /* @__PURE__ */ Symbol("unpipe");
  #streamPromises = /* @__PURE__ */ new WeakMap();
  add(stream) {
    validateStream(stream);
    if (this.#streams.has(stream)) {
      return;
    }
    this.#streams.add(stream);
    this.#onFinished ??= onMergedStreamFinished(this, this.#streams, this.#unpipeEvent);
    const streamPromise = endWhenStreamsDone({
      passThroughStream: this,
      stream,
      streams: this.#streams,
      ended: this.#ended,
      aborted: this.#aborted,
      onFinished: this.#onFinished,
      unpipeEvent: this.#unpipeEvent
    });
    this.#streamPromises.set(stream, streamPromise);
    stream.pipe(this, { end: false });
  }
  async remove(stream) {
    validateStream(stream);
    if (!this.#streams.has(stream)) {
      return false;
    }
    const streamPromise = this.#streamPromises.get(stream);
    if (streamPromise === void 0) {
      return false;
    }
    this.#streamPromises.delete(stream);
    stream.unpipe(this);
    await streamPromise;
    return true;
  }
};
var onMergedStreamFinished = async (passThroughStream, streams, unpipeEvent) => {
  updateMaxListeners(passThroughStream, PASSTHROUGH_LISTENERS_COUNT);
  const controller = new AbortController();
  try {
    await Promise.race([
      onMergedStreamEnd(passThroughStream, controller),
      onInputStreamsUnpipe(passThroughStream, streams, unpipeEvent, controller)
    ]);
  } finally {
    controller.abort();
    updateMaxListeners(passThroughStream, -PASSTHROUGH_LISTENERS_COUNT);
  }
};
var onMergedStreamEnd = async (passThroughStream, { signal }) => {
  try {
    await finished2(passThroughStream, { signal, cleanup: true });
  } catch (error) {
    errorOrAbortStream(passThroughStream, error);
    throw error;
  }
};
var onInputStreamsUnpipe = async (passThroughStream, streams, unpipeEvent, { signal }) => {
  for await (const [unpipedStream] of on4(passThroughStream, "unpipe", { signal })) {
    if (streams.has(unpipedStream)) {
      unpipedStream.emit(unpipeEvent);
    }
  }
};
var validateStream = (stream) => {
  if (typeof stream?.pipe !== "function") {
    throw new TypeError(`Expected a readable stream, got: \`${typeof stream}\`.`);
  }
};
var endWhenStreamsDone = async ({ passThroughStream, stream, streams, ended, aborted: aborted2, onFinished, unpipeEvent }) => {
  updateMaxListeners(passThroughStream, PASSTHROUGH_LISTENERS_PER_STREAM);
  const controller = new AbortController();
  try {
    await Promise.race([
      afterMergedStreamFinished(onFinished, stream, controller),
      onInputStreamEnd({
        passThroughStream,
        stream,
        streams,
        ended,
        aborted: aborted2,
        controller
      }),
      onInputStreamUnpipe({
        stream,
        streams,
        ended,
        aborted: aborted2,
        unpipeEvent,
        controller
      })
    ]);
  } finally {
    controller.abort();
    updateMaxListeners(passThroughStream, -PASSTHROUGH_LISTENERS_PER_STREAM);
  }
  if (streams.size > 0 && streams.size === ended.size + aborted2.size) {
    if (ended.size === 0 && aborted2.size > 0) {
      abortStream(passThroughStream);
    } else {
      endStream(passThroughStream);
    }
  }
};
var afterMergedStreamFinished = async (onFinished, stream, { signal }) => {
  try {
    await onFinished;
    if (!signal.aborted) {
      abortStream(stream);
    }
  } catch (error) {
    if (!signal.aborted) {
      errorOrAbortStream(stream, error);
    }
  }
};
var onInputStreamEnd = async ({ passThroughStream, stream, streams, ended, aborted: aborted2, controller: { signal } }) => {
  try {
    await finished2(stream, {
      signal,
      cleanup: true,
      readable: true,
      writable: false
    });
    if (streams.has(stream)) {
      ended.add(stream);
    }
  } catch (error) {
    if (signal.aborted || !streams.has(stream)) {
      return;
    }
    if (isAbortError(error)) {
      aborted2.add(stream);
    } else {
      errorStream(passThroughStream, error);
    }
  }
};
var onInputStreamUnpipe = async ({ stream, streams, ended, aborted: aborted2, unpipeEvent, controller: { signal } }) => {
  await once7(stream, unpipeEvent, { signal });
  if (!stream.readable) {
    return once7(signal, "abort", { signal });
  }
  streams.delete(stream);
  ended.delete(stream);
  aborted2.delete(stream);
};
var endStream = (stream) => {
  if (stream.writable) {
    stream.end();
  }
};
var errorOrAbortStream = (stream, error) => {
  if (isAbortError(error)) {
    abortStream(stream);
  } else {
    errorStream(stream, error);
  }
};
var isAbortError = (error) => error?.code === "ERR_STREAM_PREMATURE_CLOSE";
var abortStream = (stream) => {
  if (stream.readable || stream.writable) {
    stream.destroy();
  }
};
var errorStream = (stream, error) => {
  if (!stream.destroyed) {
    stream.once("error", noop2);
    stream.destroy(error);
  }
};
var noop2 = () => {
};
var updateMaxListeners = (passThroughStream, increment2) => {
  const maxListeners = passThroughStream.getMaxListeners();
  if (maxListeners !== 0 && maxListeners !== Number.POSITIVE_INFINITY) {
    passThroughStream.setMaxListeners(maxListeners + increment2);
  }
};
var PASSTHROUGH_LISTENERS_COUNT = 2;
var PASSTHROUGH_LISTENERS_PER_STREAM = 1;

// node_modules/execa/lib/io/pipeline.js
import { finished as finished3 } from "node:stream/promises";
var pipeStreams = (source, destination) => {
  source.pipe(destination);
  onSourceFinish(source, destination);
  onDestinationFinish(source, destination);
};
var onSourceFinish = async (source, destination) => {
  if (isStandardStream(source) || isStandardStream(destination)) {
    return;
  }
  try {
    await finished3(source, { cleanup: true, readable: true, writable: false });
  } catch {
  }
  endDestinationStream(destination);
};
var endDestinationStream = (destination) => {
  if (destination.writable) {
    destination.end();
  }
};
var onDestinationFinish = async (source, destination) => {
  if (isStandardStream(source) || isStandardStream(destination)) {
    return;
  }
  try {
    await finished3(destination, { cleanup: true, readable: false, writable: true });
  } catch {
  }
  abortSourceStream(source);
};
var abortSourceStream = (source) => {
  if (source.readable) {
    source.destroy();
  }
};

// node_modules/execa/lib/io/output-async.js
var pipeOutputAsync = (subprocess, fileDescriptors, controller) => {
  const pipeGroups = /* @__PURE__ */ new Map();
  for (const [fdNumber, { stdioItems, direction }] of Object.entries(fileDescriptors)) {
    for (const { stream } of stdioItems.filter(({ type }) => TRANSFORM_TYPES.has(type))) {
      pipeTransform(subprocess, stream, direction, fdNumber);
    }
    for (const { stream } of stdioItems.filter(({ type }) => !TRANSFORM_TYPES.has(type))) {
      pipeStdioItem({
        subprocess,
        stream,
        direction,
        fdNumber,
        pipeGroups,
        controller
      });
    }
  }
  for (const [outputStream, inputStreams] of pipeGroups.entries()) {
    const inputStream = inputStreams.length === 1 ? inputStreams[0] : mergeStreams(inputStreams);
    pipeStreams(inputStream, outputStream);
  }
};
var pipeTransform = (subprocess, stream, direction, fdNumber) => {
  if (direction === "output") {
    pipeStreams(subprocess.stdio[fdNumber], stream);
  } else {
    pipeStreams(stream, subprocess.stdio[fdNumber]);
  }
  const streamProperty = SUBPROCESS_STREAM_PROPERTIES[fdNumber];
  if (streamProperty !== void 0) {
    subprocess[streamProperty] = stream;
  }
  subprocess.stdio[fdNumber] = stream;
};
var SUBPROCESS_STREAM_PROPERTIES = ["stdin", "stdout", "stderr"];
var pipeStdioItem = ({ subprocess, stream, direction, fdNumber, pipeGroups, controller }) => {
  if (stream === void 0) {
    return;
  }
  setStandardStreamMaxListeners(stream, controller);
  const [inputStream, outputStream] = direction === "output" ? [stream, subprocess.stdio[fdNumber]] : [subprocess.stdio[fdNumber], stream];
  const outputStreams = pipeGroups.get(inputStream) ?? [];
  pipeGroups.set(inputStream, [...outputStreams, outputStream]);
};
var setStandardStreamMaxListeners = (stream, { signal }) => {
  if (isStandardStream(stream)) {
    incrementMaxListeners(stream, MAX_LISTENERS_INCREMENT, signal);
  }
};
var MAX_LISTENERS_INCREMENT = 2;

// node_modules/execa/lib/terminate/cleanup.js
import { addAbortListener as addAbortListener2 } from "node:events";

// node_modules/signal-exit/dist/mjs/signals.js
var signals = [];
signals.push("SIGHUP", "SIGINT", "SIGTERM");
if (process.platform !== "win32") {
  signals.push(
    "SIGALRM",
    "SIGABRT",
    "SIGVTALRM",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGUSR2",
    "SIGTRAP",
    "SIGSYS",
    "SIGQUIT",
    "SIGIOT"
    // should detect profiler and enable/disable accordingly.
    // see #21
    // 'SIGPROF'
  );
}
if (process.platform === "linux") {
  signals.push("SIGIO", "SIGPOLL", "SIGPWR", "SIGSTKFLT");
}

// node_modules/signal-exit/dist/mjs/index.js
var processOk = (process10) => !!process10 && typeof process10 === "object" && typeof process10.removeListener === "function" && typeof process10.emit === "function" && typeof process10.reallyExit === "function" && typeof process10.listeners === "function" && typeof process10.kill === "function" && typeof process10.pid === "number" && typeof process10.on === "function";
var kExitEmitter = /* @__PURE__ */ Symbol.for("signal-exit emitter");
var global2 = globalThis;
var ObjectDefineProperty = Object.defineProperty.bind(Object);
var Emitter = class {
  emitted = {
    afterExit: false,
    exit: false
  };
  listeners = {
    afterExit: [],
    exit: []
  };
  count = 0;
  id = Math.random();
  constructor() {
    if (global2[kExitEmitter]) {
      return global2[kExitEmitter];
    }
    ObjectDefineProperty(global2, kExitEmitter, {
      value: this,
      writable: false,
      enumerable: false,
      configurable: false
    });
  }
  on(ev, fn) {
    this.listeners[ev].push(fn);
  }
  removeListener(ev, fn) {
    const list = this.listeners[ev];
    const i2 = list.indexOf(fn);
    if (i2 === -1) {
      return;
    }
    if (i2 === 0 && list.length === 1) {
      list.length = 0;
    } else {
      list.splice(i2, 1);
    }
  }
  emit(ev, code, signal) {
    if (this.emitted[ev]) {
      return false;
    }
    this.emitted[ev] = true;
    let ret = false;
    for (const fn of this.listeners[ev]) {
      ret = fn(code, signal) === true || ret;
    }
    if (ev === "exit") {
      ret = this.emit("afterExit", code, signal) || ret;
    }
    return ret;
  }
};
var SignalExitBase = class {
};
var signalExitWrap = (handler) => {
  return {
    onExit(cb, opts) {
      return handler.onExit(cb, opts);
    },
    load() {
      return handler.load();
    },
    unload() {
      return handler.unload();
    }
  };
};
var SignalExitFallback = class extends SignalExitBase {
  onExit() {
    return () => {
    };
  }
  load() {
  }
  unload() {
  }
};
var SignalExit = class extends SignalExitBase {
  // "SIGHUP" throws an `ENOSYS` error on Windows,
  // so use a supported signal instead
  /* c8 ignore start */
  #hupSig = process9.platform === "win32" ? "SIGINT" : "SIGHUP";
  /* c8 ignore stop */
  #emitter = new Emitter();
  #process;
  #originalProcessEmit;
  #originalProcessReallyExit;
  #sigListeners = {};
  #loaded = false;
  constructor(process10) {
    super();
    this.#process = process10;
    this.#sigListeners = {};
    for (const sig of signals) {
      this.#sigListeners[sig] = () => {
        const listeners = this.#process.listeners(sig);
        let { count: count2 } = this.#emitter;
        const p = process10;
        if (typeof p.__signal_exit_emitter__ === "object" && typeof p.__signal_exit_emitter__.count === "number") {
          count2 += p.__signal_exit_emitter__.count;
        }
        if (listeners.length === count2) {
          this.unload();
          const ret = this.#emitter.emit("exit", null, sig);
          const s = sig === "SIGHUP" ? this.#hupSig : sig;
          if (!ret)
            process10.kill(process10.pid, s);
        }
      };
    }
    this.#originalProcessReallyExit = process10.reallyExit;
    this.#originalProcessEmit = process10.emit;
  }
  onExit(cb, opts) {
    if (!processOk(this.#process)) {
      return () => {
      };
    }
    if (this.#loaded === false) {
      this.load();
    }
    const ev = opts?.alwaysLast ? "afterExit" : "exit";
    this.#emitter.on(ev, cb);
    return () => {
      this.#emitter.removeListener(ev, cb);
      if (this.#emitter.listeners["exit"].length === 0 && this.#emitter.listeners["afterExit"].length === 0) {
        this.unload();
      }
    };
  }
  load() {
    if (this.#loaded) {
      return;
    }
    this.#loaded = true;
    this.#emitter.count += 1;
    for (const sig of signals) {
      try {
        const fn = this.#sigListeners[sig];
        if (fn)
          this.#process.on(sig, fn);
      } catch (_) {
      }
    }
    this.#process.emit = (ev, ...a2) => {
      return this.#processEmit(ev, ...a2);
    };
    this.#process.reallyExit = (code) => {
      return this.#processReallyExit(code);
    };
  }
  unload() {
    if (!this.#loaded) {
      return;
    }
    this.#loaded = false;
    signals.forEach((sig) => {
      const listener = this.#sigListeners[sig];
      if (!listener) {
        throw new Error("Listener not defined for signal: " + sig);
      }
      try {
        this.#process.removeListener(sig, listener);
      } catch (_) {
      }
    });
    this.#process.emit = this.#originalProcessEmit;
    this.#process.reallyExit = this.#originalProcessReallyExit;
    this.#emitter.count -= 1;
  }
  #processReallyExit(code) {
    if (!processOk(this.#process)) {
      return 0;
    }
    this.#process.exitCode = code || 0;
    this.#emitter.emit("exit", this.#process.exitCode, null);
    return this.#originalProcessReallyExit.call(this.#process, this.#process.exitCode);
  }
  #processEmit(ev, ...args) {
    const og = this.#originalProcessEmit;
    if (ev === "exit" && processOk(this.#process)) {
      if (typeof args[0] === "number") {
        this.#process.exitCode = args[0];
      }
      const ret = og.call(this.#process, ev, ...args);
      this.#emitter.emit("exit", this.#process.exitCode, null);
      return ret;
    } else {
      return og.call(this.#process, ev, ...args);
    }
  }
};
var process9 = globalThis.process;
var {
  /**
   * Called when the process is exiting, whether via signal, explicit
   * exit, or running out of stuff to do.
   *
   * If the global process object is not suitable for instrumentation,
   * then this will be a no-op.
   *
   * Returns a function that may be used to unload signal-exit.
   */
  onExit,
  /**
   * Load the listeners.  Likely you never need to call this, unless
   * doing a rather deep integration with signal-exit functionality.
   * Mostly exposed for the benefit of testing.
   *
   * @internal
   */
  load,
  /**
   * Unload the listeners.  Likely you never need to call this, unless
   * doing a rather deep integration with signal-exit functionality.
   * Mostly exposed for the benefit of testing.
   *
   * @internal
   */
  unload
} = signalExitWrap(processOk(process9) ? new SignalExit(process9) : new SignalExitFallback());

// node_modules/execa/lib/terminate/cleanup.js
var cleanupOnExit = (subprocess, { cleanup, detached }, { signal }) => {
  if (!cleanup || detached) {
    return;
  }
  const removeExitHandler = onExit(() => {
    subprocess.kill();
  });
  addAbortListener2(signal, () => {
    removeExitHandler();
  });
};

// node_modules/execa/lib/pipe/pipe-arguments.js
var normalizePipeArguments = ({ source, sourcePromise, boundOptions, createNested }, ...pipeArguments) => {
  const startTime = getStartTime();
  const {
    destination,
    destinationStream,
    destinationError,
    from,
    unpipeSignal
  } = getDestinationStream(boundOptions, createNested, pipeArguments);
  const { sourceStream, sourceError } = getSourceStream(source, from);
  const { options: sourceOptions, fileDescriptors } = SUBPROCESS_OPTIONS.get(source);
  return {
    sourcePromise,
    sourceStream,
    sourceOptions,
    sourceError,
    destination,
    destinationStream,
    destinationError,
    unpipeSignal,
    fileDescriptors,
    startTime
  };
};
var getDestinationStream = (boundOptions, createNested, pipeArguments) => {
  try {
    const {
      destination,
      pipeOptions: { from, to, unpipeSignal } = {}
    } = getDestination(boundOptions, createNested, ...pipeArguments);
    const destinationStream = getToStream(destination, to);
    return {
      destination,
      destinationStream,
      from,
      unpipeSignal
    };
  } catch (error) {
    return { destinationError: error };
  }
};
var getDestination = (boundOptions, createNested, firstArgument, ...pipeArguments) => {
  if (Array.isArray(firstArgument)) {
    const destination = createNested(mapDestinationArguments, boundOptions)(firstArgument, ...pipeArguments);
    return { destination, pipeOptions: boundOptions };
  }
  if (typeof firstArgument === "string" || firstArgument instanceof URL || isDenoExecPath(firstArgument)) {
    if (Object.keys(boundOptions).length > 0) {
      throw new TypeError('Please use .pipe("file", ..., options) or .pipe(execa("file", ..., options)) instead of .pipe(options)("file", ...).');
    }
    const [rawFile, rawArguments, rawOptions] = normalizeParameters(firstArgument, ...pipeArguments);
    const destination = createNested(mapDestinationArguments)(rawFile, rawArguments, rawOptions);
    return { destination, pipeOptions: rawOptions };
  }
  if (SUBPROCESS_OPTIONS.has(firstArgument)) {
    if (Object.keys(boundOptions).length > 0) {
      throw new TypeError("Please use .pipe(options)`command` or .pipe($(options)`command`) instead of .pipe(options)($`command`).");
    }
    return { destination: firstArgument, pipeOptions: pipeArguments[0] };
  }
  throw new TypeError(`The first argument must be a template string, an options object, or an Execa subprocess: ${firstArgument}`);
};
var mapDestinationArguments = ({ options }) => ({ options: { ...options, stdin: "pipe", piped: true } });
var getSourceStream = (source, from) => {
  try {
    const sourceStream = getFromStream(source, from);
    return { sourceStream };
  } catch (error) {
    return { sourceError: error };
  }
};

// node_modules/execa/lib/pipe/throw.js
var handlePipeArgumentsError = ({
  sourceStream,
  sourceError,
  destinationStream,
  destinationError,
  fileDescriptors,
  sourceOptions,
  startTime
}) => {
  const error = getPipeArgumentsError({
    sourceStream,
    sourceError,
    destinationStream,
    destinationError
  });
  if (error !== void 0) {
    throw createNonCommandError({
      error,
      fileDescriptors,
      sourceOptions,
      startTime
    });
  }
};
var getPipeArgumentsError = ({ sourceStream, sourceError, destinationStream, destinationError }) => {
  if (sourceError !== void 0 && destinationError !== void 0) {
    return destinationError;
  }
  if (destinationError !== void 0) {
    abortSourceStream(sourceStream);
    return destinationError;
  }
  if (sourceError !== void 0) {
    endDestinationStream(destinationStream);
    return sourceError;
  }
};
var createNonCommandError = ({ error, fileDescriptors, sourceOptions, startTime }) => makeEarlyError({
  error,
  command: PIPE_COMMAND_MESSAGE,
  escapedCommand: PIPE_COMMAND_MESSAGE,
  fileDescriptors,
  options: sourceOptions,
  startTime,
  isSync: false
});
var PIPE_COMMAND_MESSAGE = "source.pipe(destination)";

// node_modules/execa/lib/pipe/sequence.js
var waitForBothSubprocesses = async (subprocessPromises) => {
  const [
    { status: sourceStatus, reason: sourceReason, value: sourceResult = sourceReason },
    { status: destinationStatus, reason: destinationReason, value: destinationResult = destinationReason }
  ] = await subprocessPromises;
  if (!destinationResult.pipedFrom.includes(sourceResult)) {
    destinationResult.pipedFrom.push(sourceResult);
  }
  if (destinationStatus === "rejected") {
    throw destinationResult;
  }
  if (sourceStatus === "rejected") {
    throw sourceResult;
  }
  return destinationResult;
};

// node_modules/execa/lib/pipe/streaming.js
import { finished as finished4 } from "node:stream/promises";
var pipeSubprocessStream = (sourceStream, destinationStream, maxListenersController) => {
  const mergedStream = MERGED_STREAMS.has(destinationStream) ? pipeMoreSubprocessStream(sourceStream, destinationStream) : pipeFirstSubprocessStream(sourceStream, destinationStream);
  incrementMaxListeners(sourceStream, SOURCE_LISTENERS_PER_PIPE, maxListenersController.signal);
  incrementMaxListeners(destinationStream, DESTINATION_LISTENERS_PER_PIPE, maxListenersController.signal);
  cleanupMergedStreamsMap(destinationStream);
  return mergedStream;
};
var pipeFirstSubprocessStream = (sourceStream, destinationStream) => {
  const mergedStream = mergeStreams([sourceStream]);
  pipeStreams(mergedStream, destinationStream);
  MERGED_STREAMS.set(destinationStream, mergedStream);
  return mergedStream;
};
var pipeMoreSubprocessStream = (sourceStream, destinationStream) => {
  const mergedStream = MERGED_STREAMS.get(destinationStream);
  mergedStream.add(sourceStream);
  return mergedStream;
};
var cleanupMergedStreamsMap = async (destinationStream) => {
  try {
    await finished4(destinationStream, { cleanup: true, readable: false, writable: true });
  } catch {
  }
  MERGED_STREAMS.delete(destinationStream);
};
var MERGED_STREAMS = /* @__PURE__ */ new WeakMap();
var SOURCE_LISTENERS_PER_PIPE = 2;
var DESTINATION_LISTENERS_PER_PIPE = 1;

// node_modules/execa/lib/pipe/abort.js
import { aborted } from "node:util";
var unpipeOnAbort = (unpipeSignal, unpipeContext) => unpipeSignal === void 0 ? [] : [unpipeOnSignalAbort(unpipeSignal, unpipeContext)];
var unpipeOnSignalAbort = async (unpipeSignal, { sourceStream, mergedStream, fileDescriptors, sourceOptions, startTime }) => {
  await aborted(unpipeSignal, sourceStream);
  await mergedStream.remove(sourceStream);
  const error = new Error("Pipe canceled by `unpipeSignal` option.");
  throw createNonCommandError({
    error,
    fileDescriptors,
    sourceOptions,
    startTime
  });
};

// node_modules/execa/lib/pipe/setup.js
var pipeToSubprocess = (sourceInfo, ...pipeArguments) => {
  if (isPlainObject(pipeArguments[0])) {
    return pipeToSubprocess.bind(void 0, {
      ...sourceInfo,
      boundOptions: { ...sourceInfo.boundOptions, ...pipeArguments[0] }
    });
  }
  const { destination, ...normalizedInfo } = normalizePipeArguments(sourceInfo, ...pipeArguments);
  const promise = handlePipePromise({ ...normalizedInfo, destination });
  promise.pipe = pipeToSubprocess.bind(void 0, {
    ...sourceInfo,
    source: destination,
    sourcePromise: promise,
    boundOptions: {}
  });
  return promise;
};
var handlePipePromise = async ({
  sourcePromise,
  sourceStream,
  sourceOptions,
  sourceError,
  destination,
  destinationStream,
  destinationError,
  unpipeSignal,
  fileDescriptors,
  startTime
}) => {
  const subprocessPromises = getSubprocessPromises(sourcePromise, destination);
  handlePipeArgumentsError({
    sourceStream,
    sourceError,
    destinationStream,
    destinationError,
    fileDescriptors,
    sourceOptions,
    startTime
  });
  const maxListenersController = new AbortController();
  try {
    const mergedStream = pipeSubprocessStream(sourceStream, destinationStream, maxListenersController);
    return await Promise.race([
      waitForBothSubprocesses(subprocessPromises),
      ...unpipeOnAbort(unpipeSignal, {
        sourceStream,
        mergedStream,
        sourceOptions,
        fileDescriptors,
        startTime
      })
    ]);
  } finally {
    maxListenersController.abort();
  }
};
var getSubprocessPromises = (sourcePromise, destination) => Promise.allSettled([sourcePromise, destination]);

// node_modules/execa/lib/io/contents.js
import { setImmediate } from "node:timers/promises";

// node_modules/execa/lib/io/iterate.js
import { on as on5 } from "node:events";
import { getDefaultHighWaterMark as getDefaultHighWaterMark3 } from "node:stream";
var iterateOnSubprocessStream = ({ subprocessStdout, subprocess, binary, shouldEncode, encoding, preserveNewlines }) => {
  const controller = new AbortController();
  stopReadingOnExit(subprocess, controller);
  return iterateOnStream({
    stream: subprocessStdout,
    controller,
    binary,
    shouldEncode: !subprocessStdout.readableObjectMode && shouldEncode,
    encoding,
    shouldSplit: !subprocessStdout.readableObjectMode,
    preserveNewlines
  });
};
var stopReadingOnExit = async (subprocess, controller) => {
  try {
    await subprocess;
  } catch {
  } finally {
    controller.abort();
  }
};
var iterateForResult = ({ stream, onStreamEnd, lines, encoding, stripFinalNewline: stripFinalNewline2, allMixed }) => {
  const controller = new AbortController();
  stopReadingOnStreamEnd(onStreamEnd, controller, stream);
  const objectMode = stream.readableObjectMode && !allMixed;
  return iterateOnStream({
    stream,
    controller,
    binary: encoding === "buffer",
    shouldEncode: !objectMode,
    encoding,
    shouldSplit: !objectMode && lines,
    preserveNewlines: !stripFinalNewline2
  });
};
var stopReadingOnStreamEnd = async (onStreamEnd, controller, stream) => {
  try {
    await onStreamEnd;
  } catch {
    stream.destroy();
  } finally {
    controller.abort();
  }
};
var iterateOnStream = ({ stream, controller, binary, shouldEncode, encoding, shouldSplit, preserveNewlines }) => {
  const onStdoutChunk = on5(stream, "data", {
    signal: controller.signal,
    highWaterMark: HIGH_WATER_MARK,
    // Backward compatibility with older name for this option
    // See https://github.com/nodejs/node/pull/52080#discussion_r1525227861
    // @todo Remove after removing support for Node 21
    highWatermark: HIGH_WATER_MARK
  });
  return iterateOnData({
    onStdoutChunk,
    controller,
    binary,
    shouldEncode,
    encoding,
    shouldSplit,
    preserveNewlines
  });
};
var DEFAULT_OBJECT_HIGH_WATER_MARK = getDefaultHighWaterMark3(true);
var HIGH_WATER_MARK = DEFAULT_OBJECT_HIGH_WATER_MARK;
var iterateOnData = async function* ({ onStdoutChunk, controller, binary, shouldEncode, encoding, shouldSplit, preserveNewlines }) {
  const generators = getGenerators({
    binary,
    shouldEncode,
    encoding,
    shouldSplit,
    preserveNewlines
  });
  try {
    for await (const [chunk] of onStdoutChunk) {
      yield* transformChunkSync(chunk, generators, 0);
    }
  } catch (error) {
    if (!controller.signal.aborted) {
      throw error;
    }
  } finally {
    yield* finalChunksSync(generators);
  }
};
var getGenerators = ({ binary, shouldEncode, encoding, shouldSplit, preserveNewlines }) => [
  getEncodingTransformGenerator(binary, encoding, !shouldEncode),
  getSplitLinesGenerator(binary, preserveNewlines, !shouldSplit, {})
].filter(Boolean);

// node_modules/execa/lib/io/contents.js
var getStreamOutput = async ({ stream, onStreamEnd, fdNumber, encoding, buffer, maxBuffer, lines, allMixed, stripFinalNewline: stripFinalNewline2, verboseInfo, streamInfo }) => {
  const logPromise = logOutputAsync({
    stream,
    onStreamEnd,
    fdNumber,
    encoding,
    allMixed,
    verboseInfo,
    streamInfo
  });
  if (!buffer) {
    await Promise.all([resumeStream(stream), logPromise]);
    return;
  }
  const stripFinalNewlineValue = getStripFinalNewline(stripFinalNewline2, fdNumber);
  const iterable = iterateForResult({
    stream,
    onStreamEnd,
    lines,
    encoding,
    stripFinalNewline: stripFinalNewlineValue,
    allMixed
  });
  const [output] = await Promise.all([
    getStreamContents2({
      stream,
      iterable,
      fdNumber,
      encoding,
      maxBuffer,
      lines
    }),
    logPromise
  ]);
  return output;
};
var logOutputAsync = async ({ stream, onStreamEnd, fdNumber, encoding, allMixed, verboseInfo, streamInfo: { fileDescriptors } }) => {
  if (!shouldLogOutput({
    stdioItems: fileDescriptors[fdNumber]?.stdioItems,
    encoding,
    verboseInfo,
    fdNumber
  })) {
    return;
  }
  const linesIterable = iterateForResult({
    stream,
    onStreamEnd,
    lines: true,
    encoding,
    stripFinalNewline: true,
    allMixed
  });
  await logLines(linesIterable, stream, fdNumber, verboseInfo);
};
var resumeStream = async (stream) => {
  await setImmediate();
  if (stream.readableFlowing === null) {
    stream.resume();
  }
};
var getStreamContents2 = async ({ stream, stream: { readableObjectMode }, iterable, fdNumber, encoding, maxBuffer, lines }) => {
  try {
    if (readableObjectMode || lines) {
      return await getStreamAsArray(iterable, { maxBuffer });
    }
    if (encoding === "buffer") {
      return new Uint8Array(await getStreamAsArrayBuffer(iterable, { maxBuffer }));
    }
    return await getStreamAsString(iterable, { maxBuffer });
  } catch (error) {
    return handleBufferedData(handleMaxBuffer({
      error,
      stream,
      readableObjectMode,
      lines,
      encoding,
      fdNumber
    }));
  }
};
var getBufferedData = async (streamPromise) => {
  try {
    return await streamPromise;
  } catch (error) {
    return handleBufferedData(error);
  }
};
var handleBufferedData = ({ bufferedData }) => isArrayBuffer(bufferedData) ? new Uint8Array(bufferedData) : bufferedData;

// node_modules/execa/lib/resolve/wait-stream.js
import { finished as finished5 } from "node:stream/promises";
var waitForStream = async (stream, fdNumber, streamInfo, { isSameDirection, stopOnExit = false } = {}) => {
  const state = handleStdinDestroy(stream, streamInfo);
  const abortController = new AbortController();
  try {
    await Promise.race([
      ...stopOnExit ? [streamInfo.exitPromise] : [],
      finished5(stream, { cleanup: true, signal: abortController.signal })
    ]);
  } catch (error) {
    if (!state.stdinCleanedUp) {
      handleStreamError(error, fdNumber, streamInfo, isSameDirection);
    }
  } finally {
    abortController.abort();
  }
};
var handleStdinDestroy = (stream, { originalStreams: [originalStdin], subprocess }) => {
  const state = { stdinCleanedUp: false };
  if (stream === originalStdin) {
    spyOnStdinDestroy(stream, subprocess, state);
  }
  return state;
};
var spyOnStdinDestroy = (subprocessStdin, subprocess, state) => {
  const { _destroy } = subprocessStdin;
  subprocessStdin._destroy = (...destroyArguments) => {
    setStdinCleanedUp(subprocess, state);
    _destroy.call(subprocessStdin, ...destroyArguments);
  };
};
var setStdinCleanedUp = ({ exitCode, signalCode }, state) => {
  if (exitCode !== null || signalCode !== null) {
    state.stdinCleanedUp = true;
  }
};
var handleStreamError = (error, fdNumber, streamInfo, isSameDirection) => {
  if (!shouldIgnoreStreamError(error, fdNumber, streamInfo, isSameDirection)) {
    throw error;
  }
};
var shouldIgnoreStreamError = (error, fdNumber, streamInfo, isSameDirection = true) => {
  if (streamInfo.propagating) {
    return isStreamEpipe(error) || isStreamAbort(error);
  }
  streamInfo.propagating = true;
  return isInputFileDescriptor(streamInfo, fdNumber) === isSameDirection ? isStreamEpipe(error) : isStreamAbort(error);
};
var isInputFileDescriptor = ({ fileDescriptors }, fdNumber) => fdNumber !== "all" && fileDescriptors[fdNumber].direction === "input";
var isStreamAbort = (error) => error?.code === "ERR_STREAM_PREMATURE_CLOSE";
var isStreamEpipe = (error) => error?.code === "EPIPE";

// node_modules/execa/lib/resolve/stdio.js
var waitForStdioStreams = ({ subprocess, encoding, buffer, maxBuffer, lines, stripFinalNewline: stripFinalNewline2, verboseInfo, streamInfo }) => subprocess.stdio.map((stream, fdNumber) => waitForSubprocessStream({
  stream,
  fdNumber,
  encoding,
  buffer: buffer[fdNumber],
  maxBuffer: maxBuffer[fdNumber],
  lines: lines[fdNumber],
  allMixed: false,
  stripFinalNewline: stripFinalNewline2,
  verboseInfo,
  streamInfo
}));
var waitForSubprocessStream = async ({ stream, fdNumber, encoding, buffer, maxBuffer, lines, allMixed, stripFinalNewline: stripFinalNewline2, verboseInfo, streamInfo }) => {
  if (!stream) {
    return;
  }
  const onStreamEnd = waitForStream(stream, fdNumber, streamInfo);
  if (isInputFileDescriptor(streamInfo, fdNumber)) {
    await onStreamEnd;
    return;
  }
  const [output] = await Promise.all([
    getStreamOutput({
      stream,
      onStreamEnd,
      fdNumber,
      encoding,
      buffer,
      maxBuffer,
      lines,
      allMixed,
      stripFinalNewline: stripFinalNewline2,
      verboseInfo,
      streamInfo
    }),
    onStreamEnd
  ]);
  return output;
};

// node_modules/execa/lib/resolve/all-async.js
var makeAllStream = ({ stdout, stderr }, { all }) => all && (stdout || stderr) ? mergeStreams([stdout, stderr].filter(Boolean)) : void 0;
var waitForAllStream = ({ subprocess, encoding, buffer, maxBuffer, lines, stripFinalNewline: stripFinalNewline2, verboseInfo, streamInfo }) => waitForSubprocessStream({
  ...getAllStream(subprocess, buffer),
  fdNumber: "all",
  encoding,
  maxBuffer: maxBuffer[1] + maxBuffer[2],
  lines: lines[1] || lines[2],
  allMixed: getAllMixed(subprocess),
  stripFinalNewline: stripFinalNewline2,
  verboseInfo,
  streamInfo
});
var getAllStream = ({ stdout, stderr, all }, [, bufferStdout, bufferStderr]) => {
  const buffer = bufferStdout || bufferStderr;
  if (!buffer) {
    return { stream: all, buffer };
  }
  if (!bufferStdout) {
    return { stream: stderr, buffer };
  }
  if (!bufferStderr) {
    return { stream: stdout, buffer };
  }
  return { stream: all, buffer };
};
var getAllMixed = ({ all, stdout, stderr }) => all && stdout && stderr && stdout.readableObjectMode !== stderr.readableObjectMode;

// node_modules/execa/lib/resolve/wait-subprocess.js
import { once as once8 } from "node:events";

// node_modules/execa/lib/verbose/ipc.js
var shouldLogIpc = (verboseInfo) => isFullVerbose(verboseInfo, "ipc");
var logIpcOutput = (message, verboseInfo) => {
  const verboseMessage = serializeVerboseMessage(message);
  verboseLog({
    type: "ipc",
    verboseMessage,
    fdNumber: "ipc",
    verboseInfo
  });
};

// node_modules/execa/lib/ipc/buffer-messages.js
var waitForIpcOutput = async ({
  subprocess,
  buffer: bufferArray,
  maxBuffer: maxBufferArray,
  ipc,
  ipcOutput,
  verboseInfo
}) => {
  if (!ipc) {
    return ipcOutput;
  }
  const isVerbose2 = shouldLogIpc(verboseInfo);
  const buffer = getFdSpecificValue(bufferArray, "ipc");
  const maxBuffer = getFdSpecificValue(maxBufferArray, "ipc");
  for await (const message of loopOnMessages({
    anyProcess: subprocess,
    channel: subprocess.channel,
    isSubprocess: false,
    ipc,
    shouldAwait: false,
    reference: true
  })) {
    if (buffer) {
      checkIpcMaxBuffer(subprocess, ipcOutput, maxBuffer);
      ipcOutput.push(message);
    }
    if (isVerbose2) {
      logIpcOutput(message, verboseInfo);
    }
  }
  return ipcOutput;
};
var getBufferedIpcOutput = async (ipcOutputPromise, ipcOutput) => {
  await Promise.allSettled([ipcOutputPromise]);
  return ipcOutput;
};

// node_modules/execa/lib/resolve/wait-subprocess.js
var waitForSubprocessResult = async ({
  subprocess,
  options: {
    encoding,
    buffer,
    maxBuffer,
    lines,
    timeoutDuration: timeout,
    cancelSignal,
    gracefulCancel,
    forceKillAfterDelay,
    stripFinalNewline: stripFinalNewline2,
    ipc,
    ipcInput
  },
  context,
  verboseInfo,
  fileDescriptors,
  originalStreams,
  onInternalError,
  controller
}) => {
  const exitPromise = waitForExit(subprocess, context);
  const streamInfo = {
    originalStreams,
    fileDescriptors,
    subprocess,
    exitPromise,
    propagating: false
  };
  const stdioPromises = waitForStdioStreams({
    subprocess,
    encoding,
    buffer,
    maxBuffer,
    lines,
    stripFinalNewline: stripFinalNewline2,
    verboseInfo,
    streamInfo
  });
  const allPromise = waitForAllStream({
    subprocess,
    encoding,
    buffer,
    maxBuffer,
    lines,
    stripFinalNewline: stripFinalNewline2,
    verboseInfo,
    streamInfo
  });
  const ipcOutput = [];
  const ipcOutputPromise = waitForIpcOutput({
    subprocess,
    buffer,
    maxBuffer,
    ipc,
    ipcOutput,
    verboseInfo
  });
  const originalPromises = waitForOriginalStreams(originalStreams, subprocess, streamInfo);
  const customStreamsEndPromises = waitForCustomStreamsEnd(fileDescriptors, streamInfo);
  try {
    return await Promise.race([
      Promise.all([
        {},
        waitForSuccessfulExit(exitPromise),
        Promise.all(stdioPromises),
        allPromise,
        ipcOutputPromise,
        sendIpcInput(subprocess, ipcInput),
        ...originalPromises,
        ...customStreamsEndPromises
      ]),
      onInternalError,
      throwOnSubprocessError(subprocess, controller),
      ...throwOnTimeout(subprocess, timeout, context, controller),
      ...throwOnCancel({
        subprocess,
        cancelSignal,
        gracefulCancel,
        context,
        controller
      }),
      ...throwOnGracefulCancel({
        subprocess,
        cancelSignal,
        gracefulCancel,
        forceKillAfterDelay,
        context,
        controller
      })
    ]);
  } catch (error) {
    context.terminationReason ??= "other";
    return Promise.all([
      { error },
      exitPromise,
      Promise.all(stdioPromises.map((stdioPromise) => getBufferedData(stdioPromise))),
      getBufferedData(allPromise),
      getBufferedIpcOutput(ipcOutputPromise, ipcOutput),
      Promise.allSettled(originalPromises),
      Promise.allSettled(customStreamsEndPromises)
    ]);
  }
};
var waitForOriginalStreams = (originalStreams, subprocess, streamInfo) => originalStreams.map((stream, fdNumber) => stream === subprocess.stdio[fdNumber] ? void 0 : waitForStream(stream, fdNumber, streamInfo));
var waitForCustomStreamsEnd = (fileDescriptors, streamInfo) => fileDescriptors.flatMap(({ stdioItems }, fdNumber) => stdioItems.filter(({ value, stream = value }) => isStream(stream, { checkOpen: false }) && !isStandardStream(stream)).map(({ type, value, stream = value }) => waitForStream(stream, fdNumber, streamInfo, {
  isSameDirection: TRANSFORM_TYPES.has(type),
  stopOnExit: type === "native"
})));
var throwOnSubprocessError = async (subprocess, { signal }) => {
  const [error] = await once8(subprocess, "error", { signal });
  throw error;
};

// node_modules/execa/lib/convert/concurrent.js
var initializeConcurrentStreams = () => ({
  readableDestroy: /* @__PURE__ */ new WeakMap(),
  writableFinal: /* @__PURE__ */ new WeakMap(),
  writableDestroy: /* @__PURE__ */ new WeakMap()
});
var addConcurrentStream = (concurrentStreams, stream, waitName) => {
  const weakMap = concurrentStreams[waitName];
  if (!weakMap.has(stream)) {
    weakMap.set(stream, []);
  }
  const promises = weakMap.get(stream);
  const promise = createDeferred();
  promises.push(promise);
  const resolve3 = promise.resolve.bind(promise);
  return { resolve: resolve3, promises };
};
var waitForConcurrentStreams = async ({ resolve: resolve3, promises }, subprocess) => {
  resolve3();
  const [isSubprocessExit] = await Promise.race([
    Promise.allSettled([true, subprocess]),
    Promise.all([false, ...promises])
  ]);
  return !isSubprocessExit;
};

// node_modules/execa/lib/convert/readable.js
import { Readable as Readable3 } from "node:stream";
import { callbackify as callbackify2 } from "node:util";

// node_modules/execa/lib/convert/shared.js
import { finished as finished6 } from "node:stream/promises";
var safeWaitForSubprocessStdin = async (subprocessStdin) => {
  if (subprocessStdin === void 0) {
    return;
  }
  try {
    await waitForSubprocessStdin(subprocessStdin);
  } catch {
  }
};
var safeWaitForSubprocessStdout = async (subprocessStdout) => {
  if (subprocessStdout === void 0) {
    return;
  }
  try {
    await waitForSubprocessStdout(subprocessStdout);
  } catch {
  }
};
var waitForSubprocessStdin = async (subprocessStdin) => {
  await finished6(subprocessStdin, { cleanup: true, readable: false, writable: true });
};
var waitForSubprocessStdout = async (subprocessStdout) => {
  await finished6(subprocessStdout, { cleanup: true, readable: true, writable: false });
};
var waitForSubprocess = async (subprocess, error) => {
  await subprocess;
  if (error) {
    throw error;
  }
};
var destroyOtherStream = (stream, isOpen, error) => {
  if (error && !isStreamAbort(error)) {
    stream.destroy(error);
  } else if (isOpen) {
    stream.destroy();
  }
};

// node_modules/execa/lib/convert/readable.js
var createReadable = ({ subprocess, concurrentStreams, encoding }, { from, binary: binaryOption = true, preserveNewlines = true } = {}) => {
  const binary = binaryOption || BINARY_ENCODINGS.has(encoding);
  const { subprocessStdout, waitReadableDestroy } = getSubprocessStdout(subprocess, from, concurrentStreams);
  const { readableEncoding, readableObjectMode, readableHighWaterMark } = getReadableOptions(subprocessStdout, binary);
  const { read, onStdoutDataDone } = getReadableMethods({
    subprocessStdout,
    subprocess,
    binary,
    encoding,
    preserveNewlines
  });
  const readable2 = new Readable3({
    read,
    destroy: callbackify2(onReadableDestroy.bind(void 0, { subprocessStdout, subprocess, waitReadableDestroy })),
    highWaterMark: readableHighWaterMark,
    objectMode: readableObjectMode,
    encoding: readableEncoding
  });
  onStdoutFinished({
    subprocessStdout,
    onStdoutDataDone,
    readable: readable2,
    subprocess
  });
  return readable2;
};
var getSubprocessStdout = (subprocess, from, concurrentStreams) => {
  const subprocessStdout = getFromStream(subprocess, from);
  const waitReadableDestroy = addConcurrentStream(concurrentStreams, subprocessStdout, "readableDestroy");
  return { subprocessStdout, waitReadableDestroy };
};
var getReadableOptions = ({ readableEncoding, readableObjectMode, readableHighWaterMark }, binary) => binary ? { readableEncoding, readableObjectMode, readableHighWaterMark } : { readableEncoding, readableObjectMode: true, readableHighWaterMark: DEFAULT_OBJECT_HIGH_WATER_MARK };
var getReadableMethods = ({ subprocessStdout, subprocess, binary, encoding, preserveNewlines }) => {
  const onStdoutDataDone = createDeferred();
  const onStdoutData = iterateOnSubprocessStream({
    subprocessStdout,
    subprocess,
    binary,
    shouldEncode: !binary,
    encoding,
    preserveNewlines
  });
  return {
    read() {
      onRead(this, onStdoutData, onStdoutDataDone);
    },
    onStdoutDataDone
  };
};
var onRead = async (readable2, onStdoutData, onStdoutDataDone) => {
  try {
    const { value, done } = await onStdoutData.next();
    if (done) {
      onStdoutDataDone.resolve();
    } else {
      readable2.push(value);
    }
  } catch {
  }
};
var onStdoutFinished = async ({ subprocessStdout, onStdoutDataDone, readable: readable2, subprocess, subprocessStdin }) => {
  try {
    await waitForSubprocessStdout(subprocessStdout);
    await subprocess;
    await safeWaitForSubprocessStdin(subprocessStdin);
    await onStdoutDataDone;
    if (readable2.readable) {
      readable2.push(null);
    }
  } catch (error) {
    await safeWaitForSubprocessStdin(subprocessStdin);
    destroyOtherReadable(readable2, error);
  }
};
var onReadableDestroy = async ({ subprocessStdout, subprocess, waitReadableDestroy }, error) => {
  if (await waitForConcurrentStreams(waitReadableDestroy, subprocess)) {
    destroyOtherReadable(subprocessStdout, error);
    await waitForSubprocess(subprocess, error);
  }
};
var destroyOtherReadable = (stream, error) => {
  destroyOtherStream(stream, stream.readable, error);
};

// node_modules/execa/lib/convert/writable.js
import { Writable as Writable3 } from "node:stream";
import { callbackify as callbackify3 } from "node:util";
var createWritable = ({ subprocess, concurrentStreams }, { to } = {}) => {
  const { subprocessStdin, waitWritableFinal, waitWritableDestroy } = getSubprocessStdin(subprocess, to, concurrentStreams);
  const writable2 = new Writable3({
    ...getWritableMethods(subprocessStdin, subprocess, waitWritableFinal),
    destroy: callbackify3(onWritableDestroy.bind(void 0, {
      subprocessStdin,
      subprocess,
      waitWritableFinal,
      waitWritableDestroy
    })),
    highWaterMark: subprocessStdin.writableHighWaterMark,
    objectMode: subprocessStdin.writableObjectMode
  });
  onStdinFinished(subprocessStdin, writable2);
  return writable2;
};
var getSubprocessStdin = (subprocess, to, concurrentStreams) => {
  const subprocessStdin = getToStream(subprocess, to);
  const waitWritableFinal = addConcurrentStream(concurrentStreams, subprocessStdin, "writableFinal");
  const waitWritableDestroy = addConcurrentStream(concurrentStreams, subprocessStdin, "writableDestroy");
  return { subprocessStdin, waitWritableFinal, waitWritableDestroy };
};
var getWritableMethods = (subprocessStdin, subprocess, waitWritableFinal) => ({
  write: onWrite.bind(void 0, subprocessStdin),
  final: callbackify3(onWritableFinal.bind(void 0, subprocessStdin, subprocess, waitWritableFinal))
});
var onWrite = (subprocessStdin, chunk, encoding, done) => {
  if (subprocessStdin.write(chunk, encoding)) {
    done();
  } else {
    subprocessStdin.once("drain", done);
  }
};
var onWritableFinal = async (subprocessStdin, subprocess, waitWritableFinal) => {
  if (await waitForConcurrentStreams(waitWritableFinal, subprocess)) {
    if (subprocessStdin.writable) {
      subprocessStdin.end();
    }
    await subprocess;
  }
};
var onStdinFinished = async (subprocessStdin, writable2, subprocessStdout) => {
  try {
    await waitForSubprocessStdin(subprocessStdin);
    if (writable2.writable) {
      writable2.end();
    }
  } catch (error) {
    await safeWaitForSubprocessStdout(subprocessStdout);
    destroyOtherWritable(writable2, error);
  }
};
var onWritableDestroy = async ({ subprocessStdin, subprocess, waitWritableFinal, waitWritableDestroy }, error) => {
  await waitForConcurrentStreams(waitWritableFinal, subprocess);
  if (await waitForConcurrentStreams(waitWritableDestroy, subprocess)) {
    destroyOtherWritable(subprocessStdin, error);
    await waitForSubprocess(subprocess, error);
  }
};
var destroyOtherWritable = (stream, error) => {
  destroyOtherStream(stream, stream.writable, error);
};

// node_modules/execa/lib/convert/duplex.js
import { Duplex as Duplex3 } from "node:stream";
import { callbackify as callbackify4 } from "node:util";
var createDuplex = ({ subprocess, concurrentStreams, encoding }, { from, to, binary: binaryOption = true, preserveNewlines = true } = {}) => {
  const binary = binaryOption || BINARY_ENCODINGS.has(encoding);
  const { subprocessStdout, waitReadableDestroy } = getSubprocessStdout(subprocess, from, concurrentStreams);
  const { subprocessStdin, waitWritableFinal, waitWritableDestroy } = getSubprocessStdin(subprocess, to, concurrentStreams);
  const { readableEncoding, readableObjectMode, readableHighWaterMark } = getReadableOptions(subprocessStdout, binary);
  const { read, onStdoutDataDone } = getReadableMethods({
    subprocessStdout,
    subprocess,
    binary,
    encoding,
    preserveNewlines
  });
  const duplex2 = new Duplex3({
    read,
    ...getWritableMethods(subprocessStdin, subprocess, waitWritableFinal),
    destroy: callbackify4(onDuplexDestroy.bind(void 0, {
      subprocessStdout,
      subprocessStdin,
      subprocess,
      waitReadableDestroy,
      waitWritableFinal,
      waitWritableDestroy
    })),
    readableHighWaterMark,
    writableHighWaterMark: subprocessStdin.writableHighWaterMark,
    readableObjectMode,
    writableObjectMode: subprocessStdin.writableObjectMode,
    encoding: readableEncoding
  });
  onStdoutFinished({
    subprocessStdout,
    onStdoutDataDone,
    readable: duplex2,
    subprocess,
    subprocessStdin
  });
  onStdinFinished(subprocessStdin, duplex2, subprocessStdout);
  return duplex2;
};
var onDuplexDestroy = async ({ subprocessStdout, subprocessStdin, subprocess, waitReadableDestroy, waitWritableFinal, waitWritableDestroy }, error) => {
  await Promise.all([
    onReadableDestroy({ subprocessStdout, subprocess, waitReadableDestroy }, error),
    onWritableDestroy({
      subprocessStdin,
      subprocess,
      waitWritableFinal,
      waitWritableDestroy
    }, error)
  ]);
};

// node_modules/execa/lib/convert/iterable.js
var createIterable = (subprocess, encoding, {
  from,
  binary: binaryOption = false,
  preserveNewlines = false
} = {}) => {
  const binary = binaryOption || BINARY_ENCODINGS.has(encoding);
  const subprocessStdout = getFromStream(subprocess, from);
  const onStdoutData = iterateOnSubprocessStream({
    subprocessStdout,
    subprocess,
    binary,
    shouldEncode: true,
    encoding,
    preserveNewlines
  });
  return iterateOnStdoutData(onStdoutData, subprocessStdout, subprocess);
};
var iterateOnStdoutData = async function* (onStdoutData, subprocessStdout, subprocess) {
  try {
    yield* onStdoutData;
  } finally {
    if (subprocessStdout.readable) {
      subprocessStdout.destroy();
    }
    await subprocess;
  }
};

// node_modules/execa/lib/convert/add.js
var addConvertedStreams = (subprocess, { encoding }) => {
  const concurrentStreams = initializeConcurrentStreams();
  subprocess.readable = createReadable.bind(void 0, { subprocess, concurrentStreams, encoding });
  subprocess.writable = createWritable.bind(void 0, { subprocess, concurrentStreams });
  subprocess.duplex = createDuplex.bind(void 0, { subprocess, concurrentStreams, encoding });
  subprocess.iterable = createIterable.bind(void 0, subprocess, encoding);
  subprocess[Symbol.asyncIterator] = createIterable.bind(void 0, subprocess, encoding, {});
};

// node_modules/execa/lib/methods/promise.js
var mergePromise = (subprocess, promise) => {
  for (const [property, descriptor] of descriptors) {
    const value = descriptor.value.bind(promise);
    Reflect.defineProperty(subprocess, property, { ...descriptor, value });
  }
};
var nativePromisePrototype = (async () => {
})().constructor.prototype;
var descriptors = ["then", "catch", "finally"].map((property) => [
  property,
  Reflect.getOwnPropertyDescriptor(nativePromisePrototype, property)
]);

// node_modules/execa/lib/methods/main-async.js
var execaCoreAsync = (rawFile, rawArguments, rawOptions, createNested) => {
  const { file, commandArguments, command, escapedCommand, startTime, verboseInfo, options, fileDescriptors } = handleAsyncArguments(rawFile, rawArguments, rawOptions);
  const { subprocess, promise } = spawnSubprocessAsync({
    file,
    commandArguments,
    options,
    startTime,
    verboseInfo,
    command,
    escapedCommand,
    fileDescriptors
  });
  subprocess.pipe = pipeToSubprocess.bind(void 0, {
    source: subprocess,
    sourcePromise: promise,
    boundOptions: {},
    createNested
  });
  mergePromise(subprocess, promise);
  SUBPROCESS_OPTIONS.set(subprocess, { options, fileDescriptors });
  return subprocess;
};
var handleAsyncArguments = (rawFile, rawArguments, rawOptions) => {
  const { command, escapedCommand, startTime, verboseInfo } = handleCommand(rawFile, rawArguments, rawOptions);
  const { file, commandArguments, options: normalizedOptions } = normalizeOptions(rawFile, rawArguments, rawOptions);
  const options = handleAsyncOptions(normalizedOptions);
  const fileDescriptors = handleStdioAsync(options, verboseInfo);
  return {
    file,
    commandArguments,
    command,
    escapedCommand,
    startTime,
    verboseInfo,
    options,
    fileDescriptors
  };
};
var handleAsyncOptions = ({ timeout, signal, ...options }) => {
  if (signal !== void 0) {
    throw new TypeError('The "signal" option has been renamed to "cancelSignal" instead.');
  }
  return { ...options, timeoutDuration: timeout };
};
var spawnSubprocessAsync = ({ file, commandArguments, options, startTime, verboseInfo, command, escapedCommand, fileDescriptors }) => {
  let subprocess;
  try {
    subprocess = spawn(...concatenateShell(file, commandArguments, options));
  } catch (error) {
    return handleEarlyError({
      error,
      command,
      escapedCommand,
      fileDescriptors,
      options,
      startTime,
      verboseInfo
    });
  }
  const controller = new AbortController();
  setMaxListeners(Number.POSITIVE_INFINITY, controller.signal);
  const originalStreams = [...subprocess.stdio];
  pipeOutputAsync(subprocess, fileDescriptors, controller);
  cleanupOnExit(subprocess, options, controller);
  const context = {};
  const onInternalError = createDeferred();
  subprocess.kill = subprocessKill.bind(void 0, {
    kill: subprocess.kill.bind(subprocess),
    options,
    onInternalError,
    context,
    controller
  });
  subprocess.all = makeAllStream(subprocess, options);
  addConvertedStreams(subprocess, options);
  addIpcMethods(subprocess, options);
  const promise = handlePromise({
    subprocess,
    options,
    startTime,
    verboseInfo,
    fileDescriptors,
    originalStreams,
    command,
    escapedCommand,
    context,
    onInternalError,
    controller
  });
  return { subprocess, promise };
};
var handlePromise = async ({ subprocess, options, startTime, verboseInfo, fileDescriptors, originalStreams, command, escapedCommand, context, onInternalError, controller }) => {
  const [
    errorInfo,
    [exitCode, signal],
    stdioResults,
    allResult,
    ipcOutput
  ] = await waitForSubprocessResult({
    subprocess,
    options,
    context,
    verboseInfo,
    fileDescriptors,
    originalStreams,
    onInternalError,
    controller
  });
  controller.abort();
  onInternalError.resolve();
  const stdio = stdioResults.map((stdioResult, fdNumber) => stripNewline(stdioResult, options, fdNumber));
  const all = stripNewline(allResult, options, "all");
  const result = getAsyncResult({
    errorInfo,
    exitCode,
    signal,
    stdio,
    all,
    ipcOutput,
    context,
    options,
    command,
    escapedCommand,
    startTime
  });
  return handleResult(result, verboseInfo, options);
};
var getAsyncResult = ({ errorInfo, exitCode, signal, stdio, all, ipcOutput, context, options, command, escapedCommand, startTime }) => "error" in errorInfo ? makeError({
  error: errorInfo.error,
  command,
  escapedCommand,
  timedOut: context.terminationReason === "timeout",
  isCanceled: context.terminationReason === "cancel" || context.terminationReason === "gracefulCancel",
  isGracefullyCanceled: context.terminationReason === "gracefulCancel",
  isMaxBuffer: errorInfo.error instanceof MaxBufferError,
  isForcefullyTerminated: context.isForcefullyTerminated,
  exitCode,
  signal,
  stdio,
  all,
  ipcOutput,
  options,
  startTime,
  isSync: false
}) : makeSuccessResult({
  command,
  escapedCommand,
  stdio,
  all,
  ipcOutput,
  options,
  startTime
});

// node_modules/execa/lib/methods/bind.js
var mergeOptions = (boundOptions, options) => {
  const newOptions = Object.fromEntries(
    Object.entries(options).map(([optionName, optionValue]) => [
      optionName,
      mergeOption(optionName, boundOptions[optionName], optionValue)
    ])
  );
  return { ...boundOptions, ...newOptions };
};
var mergeOption = (optionName, boundOptionValue, optionValue) => {
  if (DEEP_OPTIONS.has(optionName) && isPlainObject(boundOptionValue) && isPlainObject(optionValue)) {
    return { ...boundOptionValue, ...optionValue };
  }
  return optionValue;
};
var DEEP_OPTIONS = /* @__PURE__ */ new Set(["env", ...FD_SPECIFIC_OPTIONS]);

// node_modules/execa/lib/methods/create.js
var createExeca = (mapArguments, boundOptions, deepOptions, setBoundExeca) => {
  const createNested = (mapArguments2, boundOptions2, setBoundExeca2) => createExeca(mapArguments2, boundOptions2, deepOptions, setBoundExeca2);
  const boundExeca = (...execaArguments) => callBoundExeca({
    mapArguments,
    deepOptions,
    boundOptions,
    setBoundExeca,
    createNested
  }, ...execaArguments);
  if (setBoundExeca !== void 0) {
    setBoundExeca(boundExeca, createNested, boundOptions);
  }
  return boundExeca;
};
var callBoundExeca = ({ mapArguments, deepOptions = {}, boundOptions = {}, setBoundExeca, createNested }, firstArgument, ...nextArguments) => {
  if (isPlainObject(firstArgument)) {
    return createNested(mapArguments, mergeOptions(boundOptions, firstArgument), setBoundExeca);
  }
  const { file, commandArguments, options, isSync } = parseArguments({
    mapArguments,
    firstArgument,
    nextArguments,
    deepOptions,
    boundOptions
  });
  return isSync ? execaCoreSync(file, commandArguments, options) : execaCoreAsync(file, commandArguments, options, createNested);
};
var parseArguments = ({ mapArguments, firstArgument, nextArguments, deepOptions, boundOptions }) => {
  const callArguments = isTemplateString(firstArgument) ? parseTemplates(firstArgument, nextArguments) : [firstArgument, ...nextArguments];
  const [initialFile, initialArguments, initialOptions] = normalizeParameters(...callArguments);
  const mergedOptions = mergeOptions(mergeOptions(deepOptions, boundOptions), initialOptions);
  const {
    file = initialFile,
    commandArguments = initialArguments,
    options = mergedOptions,
    isSync = false
  } = mapArguments({ file: initialFile, commandArguments: initialArguments, options: mergedOptions });
  return {
    file,
    commandArguments,
    options,
    isSync
  };
};

// node_modules/execa/lib/methods/command.js
var mapCommandAsync = ({ file, commandArguments }) => parseCommand(file, commandArguments);
var mapCommandSync = ({ file, commandArguments }) => ({ ...parseCommand(file, commandArguments), isSync: true });
var parseCommand = (command, unusedArguments) => {
  if (unusedArguments.length > 0) {
    throw new TypeError(`The command and its arguments must be passed as a single string: ${command} ${unusedArguments}.`);
  }
  const [file, ...commandArguments] = parseCommandString(command);
  return { file, commandArguments };
};
var parseCommandString = (command) => {
  if (typeof command !== "string") {
    throw new TypeError(`The command must be a string: ${String(command)}.`);
  }
  const trimmedCommand = command.trim();
  if (trimmedCommand === "") {
    return [];
  }
  const tokens = [];
  for (const token of trimmedCommand.split(SPACES_REGEXP)) {
    const previousToken = tokens.at(-1);
    if (previousToken && previousToken.endsWith("\\")) {
      tokens[tokens.length - 1] = `${previousToken.slice(0, -1)} ${token}`;
    } else {
      tokens.push(token);
    }
  }
  return tokens;
};
var SPACES_REGEXP = / +/g;

// node_modules/execa/lib/methods/script.js
var setScriptSync = (boundExeca, createNested, boundOptions) => {
  boundExeca.sync = createNested(mapScriptSync, boundOptions);
  boundExeca.s = boundExeca.sync;
};
var mapScriptAsync = ({ options }) => getScriptOptions(options);
var mapScriptSync = ({ options }) => ({ ...getScriptOptions(options), isSync: true });
var getScriptOptions = (options) => ({ options: { ...getScriptStdinOption(options), ...options } });
var getScriptStdinOption = ({ input, inputFile, stdio }) => input === void 0 && inputFile === void 0 && stdio === void 0 ? { stdin: "inherit" } : {};
var deepScriptOptions = { preferLocal: true };

// node_modules/execa/index.js
var execa = createExeca(() => ({}));
var execaSync = createExeca(() => ({ isSync: true }));
var execaCommand = createExeca(mapCommandAsync);
var execaCommandSync = createExeca(mapCommandSync);
var execaNode = createExeca(mapNode);
var $ = createExeca(mapScriptAsync, {}, deepScriptOptions, setScriptSync);
var {
  sendMessage: sendMessage2,
  getOneMessage: getOneMessage2,
  getEachMessage: getEachMessage2,
  getCancelSignal: getCancelSignal2
} = getIpcExport();

// src/alembic/run.ts
init_errors();
init_url();
function sqlalchemyUrl(url) {
  return url.replace(/^postgres(ql)?:\/\//, "postgresql+psycopg2://").replace(/^(mysql|mariadb):\/\//, "mysql+pymysql://");
}
function privateIni(text, iniDir, url) {
  const value = url.replace(/%/g, "%%");
  const lines = text.replace(/%\(here\)s/g, iniDir.replace(/%/g, "%%")).split(/\r?\n/);
  let section = "";
  let done = false;
  const out = [];
  for (const line of lines) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      if (section === "alembic" && !done) {
        out.push(`sqlalchemy.url = ${value}`);
        done = true;
      }
      section = header[1].trim();
    } else if (section === "alembic" && /^\s*sqlalchemy\.url\s*[=:]/.test(line)) {
      if (!done) out.push(`sqlalchemy.url = ${value}`);
      done = true;
      continue;
    }
    out.push(line);
  }
  if (!done) {
    if (section !== "alembic") out.push("[alembic]");
    out.push(`sqlalchemy.url = ${value}`);
  }
  return out.join("\n");
}
async function runAlembic(runner, url, args, onLine) {
  const iniDir = runner.iniPath ? dirname2(runner.iniPath) : dirname2(runner.scriptLocation);
  const iniText = runner.iniPath ? readFileSync5(runner.iniPath, "utf8") : `[alembic]
script_location = ${runner.scriptLocation}
`;
  const temp = mkdtempSync(join3(tmpdir(), "retort-alembic-"));
  const ini = join3(temp, "alembic.ini");
  const sa = sqlalchemyUrl(url);
  let parsed = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  try {
    writeFileSync2(ini, privateIni(iniText, iniDir, sa), { mode: 384 });
    chmodSync(ini, 384);
    const [file, ...pre] = runner.command;
    const child = execa(file, [...pre, "-c", ini, ...args], {
      cwd: iniDir,
      env: { DATABASE_URL: sa, RETORT_DATABASE_URL: url, SQLALCHEMY_URL: sa },
      reject: false
    });
    if (onLine) {
      for (const stream of [child.stdout, child.stderr]) {
        let pending = "";
        stream?.on("data", (chunk) => {
          const lines = (pending + chunk.toString()).split("\n");
          pending = lines.pop() ?? "";
          for (const line of lines) if (line.trim() !== "") onLine(scrub(line, parsed));
        });
        stream?.on("end", () => {
          if (pending.trim() !== "") onLine(scrub(pending, parsed));
        });
      }
    }
    const result = await child;
    if (result.failed) {
      const started = result.code === "ENOENT";
      if (started) {
        throw new RetortError(
          "usage",
          `Cannot run Alembic ('${runner.command.join(" ")}'): not found. Install it (pip install alembic, or Debian's python3-alembic), pass --alembic-command (e.g. 'python3 -m alembic'), or use the retort image's alembic variant.`
        );
      }
      const text = scrub(`${String(result.stderr ?? "")}
${String(result.stdout ?? "")}`.trim(), parsed);
      const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
      const errorLine = [...lines].reverse().find((l) => /^[\w.]+(Error|Exception|Failure)\b.*:/.test(l) || l.startsWith("FAILED:"));
      const sqlLine = [...lines].reverse().find((l) => l.startsWith("[SQL:"));
      const last = [errorLine, sqlLine].filter(Boolean).join(" ") || lines.slice(-3).join(" | ");
      throw new RetortError("migration-failed", `alembic ${args.join(" ")} failed: ${last || `exit code ${result.exitCode}`}`);
    }
    return { stdout: String(result.stdout ?? ""), stderr: String(result.stderr ?? "") };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
function splitOfflineSql(sql) {
  const out = /* @__PURE__ */ new Map();
  const re = /^-- Running (?:upgrade|downgrade) (.*?) -> (.*)$/gm;
  const marks = [...sql.matchAll(re)];
  marks.forEach((m, i2) => {
    const end = i2 + 1 < marks.length ? marks[i2 + 1].index : sql.length;
    let chunk = sql.slice(m.index, end);
    chunk = chunk.replace(/\n*COMMIT;\s*$/, "\n");
    out.set(`${m[1].trim()} -> ${m[2].trim()}`, chunk.trimEnd() + "\n");
  });
  return out;
}

// src/alembic/apply.ts
var RUNNING = /Running (upgrade|downgrade) (.*?) -> ([^,\n]*)/;
function same(a2, b) {
  return a2.length === b.length && [...a2].sort().join(" ") === [...b].sort().join(" ");
}
async function applyWithAlembic(plan2, runner, url, store, settings, log2) {
  if (plan2.steps.length === 0) return [];
  await store.ensureHistoryTable();
  const starts = [];
  const started = Date.now();
  let failure = null;
  try {
    await runAlembic(runner, url, [plan2.direction, plan2.target], (line) => {
      log2.info(line);
      if (RUNNING.test(line)) starts.push(Date.now());
    });
  } catch (e) {
    if (!(e instanceof RetortError)) throw e;
    failure = e;
  }
  const ended = Date.now();
  const rows = await store.readHeads();
  let done = 0;
  if (failure === null) done = plan2.steps.length;
  else {
    for (let i2 = plan2.steps.length; i2 >= 0; i2--) {
      const expected = i2 === 0 ? plan2.headsBefore : plan2.steps[i2 - 1].headsAfter;
      if (same(expected, rows)) {
        done = i2;
        break;
      }
    }
  }
  if (failure === null && !same(rows, plan2.headsAfter)) {
    throw new RetortError(
      "state",
      `Alembic finished, but the version table holds ${rows.join(", ") || "no rows"} where the plan leads to ${plan2.headsAfter.join(", ") || "base"}. Check it with 'retort current'.`
    );
  }
  const duration = (i2) => {
    const from = starts[i2] ?? started;
    const to = starts[i2 + 1] ?? ended;
    return Math.max(0, to - from);
  };
  const outcomes = [];
  for (let i2 = 0; i2 < done; i2++) {
    const step = plan2.steps[i2];
    await store.appendHistory(stepHistoryRow(step, settings.identity, duration(i2), null, null));
    outcomes.push({ step, durationMs: duration(i2), statements: 0 });
  }
  if (failure !== null) {
    const failedIndex = Math.max(done, starts.length - 1);
    const failed = plan2.steps[failedIndex];
    if (failed) await store.appendHistory(stepHistoryRow(failed, settings.identity, duration(failedIndex), failure.message, null));
    const stands = rows.join(", ") || "base";
    throw new RetortError(
      "migration-failed",
      `${failed ? `${plan2.direction} ${failed.revision.id} (${failed.revision.path}) failed` : "Alembic failed"}: ${failure.message}. The database stands at ${stands}${done > 0 ? ` (${done} revision(s) of the plan took effect)` : ""}.`,
      failed ? { cause: failure, location: { file: failed.revision.path, line: failed.section.line } } : { cause: failure }
    );
  }
  return outcomes;
}

// src/alembic/render.ts
init_errors();

// src/alembic/sql.ts
function placeholderUrl(dialect) {
  return dialect === "mysql" ? "mysql://retort@localhost/offline" : "postgresql://retort@localhost/offline";
}
function key(step) {
  return `${step.from.join(", ")} -> ${step.to.join(", ")}`;
}
function bodyOf(chunk, vt, dialect) {
  const table = versionTableName(vt, dialect).toLowerCase();
  const bare = vt.table.toLowerCase();
  const isVersion = (s) => {
    const t = s.trim().toLowerCase();
    return [table, bare].some(
      (n2) => t.startsWith(`insert into ${n2} `) || t.startsWith(`update ${n2} `) || t.startsWith(`delete from ${n2} `) || t.startsWith(`create table ${n2} `)
    );
  };
  const statements = chunk.replace(/^-- Running .*\n/, "").split(/;\n\n/).map((s) => s.trim()).filter((s) => s !== "" && !/^(BEGIN|COMMIT)$/i.test(s) && !isVersion(s));
  return statements.length === 0 ? "" : `${statements.join(";\n\n")};

`;
}
async function renderWithAlembic(plan2, runner, url, versionTable, dialect) {
  const steps = plan2.steps.filter((s) => s.revision.alembic);
  if (steps.length === 0) return { plan: plan2, notes: /* @__PURE__ */ new Map() };
  const chunks = /* @__PURE__ */ new Map();
  const notes = /* @__PURE__ */ new Map();
  const verb = plan2.direction;
  if (plan2.headsBefore.length <= 1) {
    const from = plan2.headsBefore[0] ?? "base";
    try {
      const { stdout } = await runAlembic(runner, url, [verb, `${from}:${plan2.target}`, "--sql"]);
      for (const [k, v] of splitOfflineSql(stdout)) chunks.set(k, v);
    } catch {
    }
  }
  for (const step of steps) {
    if (chunks.has(key(step))) continue;
    const range = verb === "upgrade" ? `${step.revision.downRevisions[0] ?? "base"}:${step.revision.id}` : `${step.revision.id}:${step.revision.downRevisions[0] ?? "base"}`;
    try {
      const { stdout } = await runAlembic(runner, url, [verb, range, "--sql"]);
      const chunk = splitOfflineSql(stdout).get(key(step));
      if (chunk) chunks.set(key(step), chunk);
      else notes.set(step.revision.id, `Alembic's offline output for ${range} has no section for ${key(step)}`);
    } catch (e) {
      notes.set(step.revision.id, `its SQL cannot be rendered offline (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  const rendered = plan2.steps.map((step) => {
    if (!step.revision.alembic) return step;
    const chunk = chunks.get(key(step));
    const note = notes.get(step.revision.id);
    const sql = chunk !== void 0 ? bodyOf(chunk, versionTable, dialect) : `-- retort: ${(note ?? "no SQL").replace(/\s*\n\s*/g, " ")}

`;
    const section = { ...step.section, sql, verbatim: true };
    const revision = {
      ...step.revision,
      alembic: { ...step.revision.alembic, rendered: true },
      ...verb === "upgrade" ? { upgrade: section } : { downgrade: section }
    };
    return { ...step, revision, section };
  });
  return { plan: { ...plan2, steps: rendered }, notes };
}

// src/alembic/render.ts
async function withAlembicSql(plan2, options, url, dialect, warn) {
  if (!plan2.steps.some((s) => s.revision.alembic && !s.revision.alembic.rendered)) return plan2;
  const project = detectAlembicProject(options.migrations, options.alembicConfig);
  if (!project) throw new RetortError("usage", `${options.migrations} holds Alembic revisions but no Alembic project was found.`);
  const rendered = await renderWithAlembic(
    plan2,
    { command: options.alembicCommand, iniPath: project.iniPath, scriptLocation: project.scriptLocation },
    url ?? placeholderUrl(dialect),
    options.versionTable,
    dialect
  );
  for (const [id, note] of rendered.notes) warn(`${id}: ${note}`);
  return rendered.plan;
}

// src/db/open.ts
init_errors();
init_url();
var CONNECT_TIMEOUT_MS = 1e4;
var RETRY_MS = 500;
async function openDriver(options) {
  let text = options.url;
  if (!text) {
    text = `pglite://${DEFAULT_PGLITE_DIR}`;
    options.notice(`No database URL given (--database-url, RETORT_DATABASE_URL or DATABASE_URL): using the embedded database at ${DEFAULT_PGLITE_DIR}.`);
  }
  const { url, scheme } = parseDatabaseUrl(text);
  const connect = { url, applicationName: options.applicationName, connectTimeoutMs: CONNECT_TIMEOUT_MS };
  const open2 = async () => {
    switch (scheme) {
      case "postgresql":
        return (await Promise.resolve().then(() => (init_postgres(), postgres_exports))).PostgresDriver.connect(connect);
      case "mysql":
        return (await Promise.resolve().then(() => (init_mysql(), mysql_exports))).MysqlDriver.connect(connect);
      case "pglite":
        return (await Promise.resolve().then(() => (init_pglite(), pglite_exports))).PgliteDriver.connect(connect);
    }
  };
  const deadline = Date.now() + options.waitSeconds * 1e3;
  for (; ; ) {
    try {
      return await open2();
    } catch (e) {
      const retry = e instanceof RetortError && e.code === "connection" && Date.now() < deadline;
      if (!retry) throw e;
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }
}

// src/report/plan.ts
var PLAN_FORMATS = ["text", "markdown", "json", "sql"];
function pendingRows(r) {
  return r.plan.steps.map((s) => ({
    revision: s.revision.id,
    message: s.revision.message,
    path: s.revision.path,
    direction: s.direction,
    transaction: s.section.transaction,
    statements: splitStatements2(s.section, r.dialect).length,
    checksum: r.checksumOf(s.section.sql),
    version_changes: s.versionChanges.map((c3) => versionChangeSql(c3, r.versionTable, r.dialect))
  }));
}
function renderPlan(r, format2) {
  requireNativeSql(r.plan);
  const sql = renderPlanSql(r.plan, { dialect: r.dialect, versionTable: r.versionTable });
  const current2 = r.plan.headsBefore.join(", ") || "base (empty)";
  const after = r.plan.headsAfter.join(", ") || "base (empty)";
  const rows = pendingRows(r);
  switch (format2) {
    case "sql":
      return sql;
    case "json":
      return `${JSON.stringify(
        {
          database: r.database,
          direction: r.plan.direction,
          current: r.plan.headsBefore,
          target: r.plan.target,
          heads_after: r.plan.headsAfter,
          pending: rows,
          drift: r.drift.map((d) => ({ revision: d.revision, path: d.path, applied_at: d.appliedAt })),
          sql
        },
        null,
        2
      )}
`;
    case "markdown": {
      const lines = [
        `### retort plan: ${current2} \u2192 ${after}`,
        "",
        `Database \`${r.database}\`, target \`${r.plan.target}\`: ${rows.length === 0 ? "nothing to do." : `${rows.length} pending revision(s).`}`,
        ""
      ];
      if (rows.length > 0) {
        lines.push("| revision | message | transaction | statements |", "|---|---|---|---:|");
        for (const p of rows) lines.push(`| \`${p.revision}\` | ${p.message.replace(/\|/g, "\\|")} | ${p.transaction ? "yes" : "no"} | ${p.statements} |`);
        lines.push("", "<details><summary>SQL</summary>", "", "```sql", sql.trimEnd(), "```", "", "</details>", "");
      }
      for (const d of r.drift) lines.push(`> **Drift:** \`${d.revision}\` (${d.path}) changed since it was applied on ${d.appliedAt}.`);
      return `${lines.join("\n")}
`;
    }
    case "text": {
      const lines = [`Database: ${r.database}`, `Current:  ${current2}`, `Target:   ${r.plan.target} (${after})`];
      if (rows.length === 0) lines.push("Nothing to do.");
      else {
        lines.push(`Pending:  ${rows.length} revision(s)`);
        for (const [i2, p] of rows.entries()) {
          const mode = p.transaction ? "" : ", outside a transaction";
          lines.push(`  -- Running ${runningLine(r.plan.steps[i2])}, ${p.message} (${p.statements} statement(s)${mode})`);
        }
      }
      for (const d of r.drift) lines.push(`Drift:    ${d.revision} (${d.path}) changed since it was applied on ${d.appliedAt}`);
      return `${lines.join("\n")}
`;
    }
  }
}

// src/report/revision-text.ts
function labels(graph, node) {
  return [...graph.labelsOf(node)].sort();
}
function downText(graph, node) {
  const down = graph.revisions[node].downRevisions;
  return down.length === 0 ? "<base>" : down.join(", ");
}
function revisionLine(graph, node, flags) {
  const rev = graph.revisions[node];
  let text = rev.id;
  if (flags.includeParents) {
    text = rev.dependsOn.length ? `${downText(graph, node)} (${rev.dependsOn.join(", ")}) -> ${text}` : `${downText(graph, node)} -> ${text}`;
  }
  const l = labels(graph, node);
  if (flags.includeBranches && l.length > 0) text += ` (${l.join(", ")})`;
  if (graph.isRealHead(node)) text += " (head)";
  else if (graph.isHead(node)) text += " (effective head)";
  if (flags.treeIndicators ?? true) {
    if (graph.isBranchPoint(node)) text += " (branchpoint)";
    if (graph.isMergePoint(node)) text += " (mergepoint)";
  }
  if (flags.includeDoc) text += `, ${rev.message}`;
  return text;
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
  lines.push(`Path: ${rev.path}`);
  if (rev.createDate) lines.push(`Create Date: ${rev.createDate}`);
  lines.push("", `    ${rev.message}`, "");
  return lines.join("\n");
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

// src/commands/online.ts
async function withRunner(options, session, fn) {
  const graph = loadGraph(options.migrations, options.alembicConfig);
  const driver = await openDriver({
    url: options.databaseUrl,
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
async function current(options, session, json) {
  return withRunner(options, session, async (runner) => {
    const { heads, drift } = await runner.withLock(() => runner.readState());
    if (json) {
      return `${JSON.stringify(
        { database: runner.driver.target, current: heads, drift: drift.map((d) => d.revision) },
        null,
        2
      )}
`;
    }
    const g = runner.graph;
    const lines = heads.map((h2) => revisionLine(g, g.nodeOf(h2), {}));
    for (const d of drift) lines.push(`drift: ${d.revision} (${d.path}) changed since it was applied on ${d.appliedAt}`);
    return lines.length ? `${lines.join("\n")}
` : "";
  });
}
function makePlan(graph, direction, heads, target) {
  return direction === "upgrade" ? planUpgrade(graph, heads, target) : planDowngrade(graph, heads, target);
}
async function migrateResult(options, session, direction, target, dryRun) {
  return withRunner(
    options,
    session,
    (runner) => runner.withLock(async () => {
      const { heads, drift } = await runner.readState();
      let plan2 = makePlan(runner.graph, direction, heads, target);
      runner.enforceDrift(drift);
      if (dryRun) plan2 = await withAlembicSql(plan2, options, options.databaseUrl, runner.driver.dialect, session.log.warn);
      const base = {
        database: runner.driver.target,
        dialect: runner.driver.dialect,
        transactionalDdl: runner.driver.transactionalDdl,
        graph: runner.graph,
        plan: plan2,
        drift
      };
      if (dryRun) return { ...base, text: report(runner, plan2, drift, "text"), outcomes: [] };
      if (plan2.steps.length === 0) return { ...base, text: `Nothing to do: the database is at ${heads.join(", ") || "base"}.
`, outcomes: [] };
      const started = Date.now();
      const outcomes = plan2.steps.some((s) => s.revision.alembic) ? await applyAlembic(options, runner, plan2, session) : await runner.execute(plan2);
      const seconds2 = ((Date.now() - started) / 1e3).toFixed(2);
      const text = `${direction === "upgrade" ? "Upgraded" : "Downgraded"} ${runner.driver.target} from ${heads.join(", ") || "base"} to ${plan2.headsAfter.join(", ") || "base"}: ${outcomes.length} revision(s) in ${seconds2} s.
`;
      return { ...base, text, outcomes };
    })
  );
}
async function migrate(options, session, direction, target, dryRun) {
  return (await migrateResult(options, session, direction, target, dryRun)).text;
}
function report(runner, plan2, drift, format2) {
  return renderPlan(
    { database: runner.driver.target, plan: plan2, drift, dialect: runner.driver.dialect, versionTable: runner.settings.versionTable, checksumOf: checksum },
    format2
  );
}
async function plan(options, session, target, format2) {
  return withRunner(
    options,
    session,
    (runner) => runner.withLock(async () => {
      const { heads, drift } = await runner.readState();
      const planned = await withAlembicSql(planUpgrade(runner.graph, heads, target), options, options.databaseUrl, runner.driver.dialect, session.log.warn);
      return report(runner, planned, drift, format2);
    })
  );
}
async function stamp(options, session, revisions, purge) {
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
async function check(options, session) {
  return withRunner(
    options,
    session,
    (runner) => runner.withLock(async () => {
      const g = runner.graph;
      const problems = [];
      if (g.heads.length > 1) {
        problems.push(`${options.migrations} has ${g.heads.length} heads (${g.ids(g.heads).join(", ")}): merge them with 'retort merge heads -m MSG'`);
      }
      const { heads, drift } = await runner.readState();
      if (g.heads.length <= 1) {
        const pending = planUpgrade(g, heads, "heads").steps;
        if (pending.length > 0) {
          problems.push(`${pending.length} revision(s) pending on ${runner.driver.target}: ${pending.map((s) => s.revision.id).join(", ")}`);
        }
      }
      for (const d of drift) problems.push(`drift: ${d.revision} (${d.path}) changed since it was applied on ${d.appliedAt}`);
      if (problems.length > 0) throw new RetortError("check-failed", `check failed:
  ${problems.join("\n  ")}`);
      return `OK: ${runner.driver.target} is at ${heads.join(", ") || "base"}, nothing pending, one head, no drift.
`;
    })
  );
}
async function log(options, session, limit, json) {
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
    if (json) return `${JSON.stringify({ database: runner.driver.target, history: norm }, null, 2)}
`;
    if (norm.length === 0) return `No history yet on ${runner.driver.target}.
`;
    return `${norm.map((h2) => {
      const status = h2.success === false ? `FAILED: ${h2.error ?? ""}` : h2.duration_ms === null ? "" : `${h2.duration_ms} ms`;
      const who = [h2.actor, h2.commit_sha?.slice(0, 12)].filter(Boolean).join(" @ ");
      return `${h2.changed_at ?? "?"}  ${h2.operation.padEnd(14)} ${h2.from || "base"} -> ${h2.to || "base"}  ${status}${who ? `  (${who})` : ""}`;
    }).join("\n")}
`;
  });
}
async function applyAlembic(options, runner, plan2, session) {
  if (!options.databaseUrl || options.databaseUrl.startsWith("pglite:")) {
    throw new RetortError("usage", "Alembic cannot connect to the embedded PGlite database: give --database-url a postgresql:// or mysql:// URL.");
  }
  const project = detectAlembicProject(options.migrations, options.alembicConfig);
  if (!project) throw new RetortError("usage", `${options.migrations} holds Alembic revisions but no Alembic project was found.`);
  return applyWithAlembic(
    plan2,
    { command: options.alembicCommand, iniPath: project.iniPath, scriptLocation: project.scriptLocation },
    options.databaseUrl,
    runner.store,
    runner.settings,
    session.log
  );
}

// src/cli/main.ts
init_url();

// src/commands/author.ts
init_errors();
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync as writeFileSync3 } from "node:fs";
import { join as join4 } from "node:path";
function writeRevision(dir, spec, now = /* @__PURE__ */ new Date()) {
  if (spec.message.trim() === "") throw new RetortError("usage", "The message (-m) is empty; say what the revision does.");
  if (/^\s*migrate:/i.test(spec.message)) {
    throw new RetortError("usage", `The message '${spec.message}' would read as a section marker; do not start it with 'migrate:'.`);
  }
  if (existsSync(dir) && detectAlembicProject(dir)) {
    throw new RetortError("usage", `${dir} is an Alembic project: create its revisions with 'alembic revision -m MSG' (retort writes native .sql revisions).`);
  }
  const revisions = existsSync(dir) ? loadRevisions(dir) : [];
  const graph = RevisionGraph.build(revisions);
  const resolver = new Resolver(graph);
  const id = spec.revId ?? newRevisionId(randomBytes(16).toString("hex"));
  const bad = invalidRevisionId(id);
  if (bad) throw new RetortError("usage", `${bad}.`);
  let heads;
  try {
    heads = spec.heads.flatMap((h2) => resolver.getRevisions(h2));
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
  if (!spec.splice) {
    for (const h2 of heads) {
      if (!graph.isHead(h2)) {
        throw new RetortError(
          "usage",
          spec.isMerge ? `Revision ${graph.id(h2)} is not a head revision; merge joins heads only (see 'retort heads').` : `Revision ${graph.id(h2)} is not a head revision; please specify --splice to create a new branch from this revision.`
        );
      }
    }
  }
  const dependsOn = spec.dependsOn.map((d) => {
    const node = resolver.getRevision(d);
    if (node === null) throw new RetortError("usage", `--depends-on '${d}' names no revision.`);
    return graph.labelsOf(node).has(d) ? d : graph.id(node);
  });
  const pad = (n2, w = 2) => String(n2).padStart(w, "0");
  const createDate = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${pad(now.getMilliseconds(), 3)}000`;
  const text = renderRevisionFile({
    id,
    message: spec.message,
    downRevisions: graph.ids(heads),
    createDate,
    branchLabels: spec.branchLabels,
    dependsOn
  });
  const slug = slugify(spec.message);
  const name = slug ? `${id}_${slug}.sql` : `${id}_.sql`;
  const path6 = join4(dir, name).split("\\").join("/");
  if (existsSync(dir) && listRevisionFiles(dir).includes(name)) {
    throw new RetortError("usage", `${path6} already exists; pass another --rev-id.`);
  }
  RevisionGraph.build([...revisions, parseRevisionFile(text, path6)]);
  mkdirSync(dir, { recursive: true });
  writeFileSync3(path6, text, { flag: "wx" });
  return path6;
}

// src/commands/inspect.ts
init_errors();
function headsNodes(graph, resolveDependencies) {
  return resolveDependencies ? graph.realHeads : graph.heads;
}
function headsText(graph, resolveDependencies, verbose) {
  const nodes = headsNodes(graph, resolveDependencies);
  return nodes.map((n2) => verbose ? revisionEntry(graph, n2) : revisionLine(graph, n2, { includeBranches: true, treeIndicators: false })).join("\n");
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
  return historyOrder(graph, start, end).map(
    (n2) => verbose ? revisionEntry(graph, n2) : revisionLine(graph, n2, { includeBranches: true, includeDoc: true, includeParents: true })
  ).join("\n");
}
function historyJson(graph, range) {
  const { start, end } = parseRange(range);
  return { revisions: historyOrder(graph, start, end).map((n2) => revisionJson(graph, n2)) };
}
function branchesText(graph, verbose) {
  const blocks = [];
  for (const n2 of historyOrder(graph, null, null)) {
    if (!graph.isBranchPoint(n2)) continue;
    const pad = " ".repeat(graph.id(n2).length);
    const lines = graph.children[n2].map(
      (c3) => `${pad} -> ${revisionLine(graph, c3, { includeBranches: true, includeDoc: verbose })}`
    );
    blocks.push(`${verbose ? revisionEntry(graph, n2) : revisionLine(graph, n2, { includeBranches: true })}
${lines.join("\n")}
`);
  }
  return blocks.map((b) => `${b}
`).join("");
}
function showText(graph, rev) {
  const nodes = new Resolver(graph).getRevisions(rev);
  if (nodes.length === 0) throw new RetortError("usage", `'${rev}' names no revision (base has nothing to show).`);
  return nodes.map((n2) => revisionEntry(graph, n2)).join("\n");
}

// src/commands/offline.ts
init_errors();
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
async function offlineSql(graph, options, direction, spec, warn = () => void 0) {
  const plan2 = await withAlembicSql(offlinePlan(graph, direction, spec), options, null, options.dialect, warn);
  requireNativeSql(plan2);
  return renderPlanSql(plan2, {
    dialect: options.dialect,
    versionTable: options.versionTable,
    transactionPerRevision: options.transactionPerRevision
  });
}

// src/cli/main.ts
var VERSION = true ? "0.1.0" : "0.0.0-dev";
var EXIT_OK = 0;
var EXIT_FAILED = 1;
var EXIT_USAGE = 2;
var collect = (value, previous) => [...previous, ...value.split(",").map((s) => s.trim()).filter(Boolean)];
function buildProgram(io) {
  const program2 = new Command("retort");
  program2.description("Alembic-compatible database migrations for CI/CD.").version(VERSION, "-V, --version", "print the version").addOption(
    new Option("--migrations <dir>", "directory of revision files").env("RETORT_MIGRATIONS").default(DEFAULT_MIGRATIONS)
  ).addOption(new Option("--alembic-config <path>", "an Alembic project's alembic.ini (default: found in --migrations)").env("RETORT_ALEMBIC_CONFIG")).addOption(new Option("--alembic-command <command>", "how to run Alembic for Python revisions, e.g. 'python3 -m alembic'").env("RETORT_ALEMBIC_COMMAND").default("alembic")).option("--debug", "print stack traces of errors").showHelpAfterError("(run with --help for usage)").configureOutput({
    writeOut: io.out,
    writeErr: io.err,
    // Usage errors look like every other error: one line starting `retort: `.
    outputError: (text, write) => write(`retort: ${text.replace(/^error: /, "")}`)
  }).exitOverride();
  const options = (cmd) => {
    const o2 = cmd.optsWithGlobals();
    return makeOptions({
      migrations: o2.migrations,
      alembicConfig: o2.alembicConfig,
      alembicCommand: o2.alembicCommand,
      dialect: o2.dialect,
      versionTable: o2.versionTable,
      versionSchema: o2.versionSchema,
      transactionPerRevision: o2.transactionPerRevision,
      databaseUrl: databaseUrlOf(o2.databaseUrl),
      wait: o2.wait,
      lockTimeout: o2.lockTimeout,
      onDrift: o2.onDrift,
      transaction: o2.transaction,
      historyTable: o2.historyTable,
      identity: identityFromEnv(process.env, osUser(), VERSION)
    });
  };
  const session = {
    log: { info: (line) => io.out(`${line}
`), warn: (line) => io.err(`retort: warning: ${line}
`) },
    notice: (line) => io.err(`retort: ${line}
`)
  };
  const withDatabase = (cmd) => cmd.addOption(
    new Option("--database-url <url>", "postgresql://, mysql:// or pglite://PATH (default: embedded .retort/pglite); also DATABASE_URL").env(
      "RETORT_DATABASE_URL"
    )
  ).addOption(new Option("--wait [seconds]", "wait for the database to accept connections (default 30 s when given)").env("RETORT_WAIT")).addOption(new Option("--lock-timeout <seconds>", "how long to wait for another deploy's lock").env("RETORT_LOCK_TIMEOUT").default(String(DEFAULT_LOCK_TIMEOUT))).addOption(new Option("--version-table <name>", "version table name").env("RETORT_VERSION_TABLE").default("alembic_version")).addOption(new Option("--version-schema <name>", "schema of the version table (default: the connection's)").env("RETORT_VERSION_SCHEMA")).addOption(new Option("--history-table <name>", "audit history table").env("RETORT_HISTORY_TABLE").default("alembic_version_history")).addOption(new Option("--on-drift <policy>", "when applied revisions changed since").choices(["warn", "fail"]).env("RETORT_ON_DRIFT").default("warn"));
  const graphOf = (cmd) => {
    const o2 = options(cmd);
    return loadGraph(o2.migrations, o2.alembicConfig);
  };
  const print = (text) => {
    if (text !== "") io.out(text.endsWith("\n") ? text : `${text}
`);
  };
  const printJson = (value) => io.out(`${JSON.stringify(value, null, 2)}
`);
  program2.command("heads").description("show the head revisions (no revision revises them)").option("--json", 'print {"heads": [ids]}').option("--resolve-dependencies", "only heads that no revision depends on either").option("-v, --verbose", "full entries").action((o2, cmd) => {
    const graph = graphOf(cmd);
    if (o2.json) printJson(headsJson(graph, Boolean(o2.resolveDependencies)));
    else print(headsText(graph, Boolean(o2.resolveDependencies), Boolean(o2.verbose)));
  });
  program2.command("branches").description("show branch points and the revisions they branch into").option("-v, --verbose", "full entries").action((o2, cmd) => print(branchesText(graphOf(cmd), Boolean(o2.verbose))));
  program2.command("history").description("list revisions, newest first").option("-r, --rev-range <start:end>", "limit to a range, e.g. base:head, ae10:, :-1").option("-v, --verbose", "full entries").option("--json", 'print {"revisions": [...]}').action((o2, cmd) => {
    const graph = graphOf(cmd);
    if (o2.json) printJson(historyJson(graph, o2.revRange));
    else print(historyText(graph, o2.revRange, Boolean(o2.verbose)));
  });
  program2.command("show").description("show one revision (an id, a prefix, a label, head, ...)").argument("<rev>", "revision").action((rev, _o, cmd) => print(showText(graphOf(cmd), rev)));
  program2.command("revision").description("write a new revision file").requiredOption("-m, --message <msg>", "the revision's message").option("--head <rev>", "build on this revision instead of head (base: a new root)", "head").option("--splice", "allow --head to name a revision that is not a head (starts a branch)").option("--branch-label <label>", "branch label(s) for the new revision (repeatable, comma separated)", collect, []).option("--depends-on <rev>", "revision(s) the new revision depends on (repeatable, comma separated)", collect, []).option("--rev-id <id>", "use this id instead of a random one").action((o2, cmd) => {
    const path6 = writeRevision(options(cmd).migrations, {
      message: o2.message,
      heads: [o2.head],
      branchLabels: o2.branchLabel,
      dependsOn: o2.dependsOn,
      revId: o2.revId,
      splice: Boolean(o2.splice),
      isMerge: false
    });
    print(`Generating ${path6} ...  done`);
  });
  program2.command("merge").description("write a revision that merges several heads").argument("<revs...>", "revisions to merge, or heads").requiredOption("-m, --message <msg>", "the revision's message").option("--branch-label <label>", "branch label(s) for the merge revision", collect, []).option("--rev-id <id>", "use this id instead of a random one").action((revs, o2, cmd) => {
    const path6 = writeRevision(options(cmd).migrations, {
      message: o2.message,
      heads: revs,
      branchLabels: o2.branchLabel,
      dependsOn: [],
      revId: o2.revId,
      splice: false,
      isMerge: true
    });
    print(`Generating ${path6} ...  done`);
  });
  for (const direction of ["upgrade", "downgrade"]) {
    withDatabase(
      program2.command(direction).description(
        direction === "upgrade" ? "upgrade the database to TARGET (default head); --sql prints the SQL instead (TARGET or FROM:TO)" : "downgrade the database to TARGET; --sql prints the SQL instead (FROM:TO)"
      ).argument(
        direction === "upgrade" ? "[target]" : "<target>",
        direction === "upgrade" ? "head, heads, an id, a label, X@head, +N, ...; with --sql also FROM:TO" : "base, an id, -N, X@-N, X@base, ...; with --sql FROM:TO"
      ).option("--dry-run", "read the database, print the plan, change nothing").option("--sql", "print the SQL instead of running it (offline mode: no database)").addOption(new Option("--dialect <name>", "SQL flavour of --sql").choices(DIALECTS).env("RETORT_DIALECT").default("postgresql")).option("--transaction-per-revision", "--sql: BEGIN/COMMIT around each revision instead of the whole run").addOption(
        new Option("--transaction <mode>", "PostgreSQL: a transaction per revision, or one around the run").choices(["per-revision", "all"]).env("RETORT_TRANSACTION").default("per-revision")
      )
    ).action(async (target, o2, cmd) => {
      const t = target ?? process.env.RETORT_TARGET ?? "head";
      if (o2.sql) return print(await offlineSql(graphOf(cmd), options(cmd), direction, t, session.log.warn));
      print(await migrate(options(cmd), session, direction, t, Boolean(o2.dryRun)));
    });
  }
  withDatabase(program2.command("current").description("show the database's current revisions").option("--json", 'print {"database", "current": [ids], "drift": [ids]}')).action(
    async (o2, cmd) => print(await current(options(cmd), session, Boolean(o2.json)))
  );
  withDatabase(
    program2.command("plan").description("what upgrade TARGET would run against the database (default head)").argument("[target]", "upgrade target (default head; also RETORT_TARGET)").addOption(new Option("--format <format>", "output").choices(PLAN_FORMATS).default("text"))
  ).action(
    async (target, o2, cmd) => print(await plan(options(cmd), session, target ?? process.env.RETORT_TARGET ?? "head", o2.format))
  );
  withDatabase(
    program2.command("stamp").description("set the version table to REVS without running any SQL").argument("<revs...>", "revisions (heads, base, ids, labels)").option("--purge", "empty the version table first")
  ).action(async (revs, o2, cmd) => print(await stamp(options(cmd), session, revs, Boolean(o2.purge))));
  withDatabase(
    program2.command("log").description("show the audit history: every step, who ran it, when, how long, and failures").option("-n, --limit <n>", "how many rows (newest)", "50").option("--json", 'print {"database", "history": [...]}')
  ).action(async (o2, cmd) => {
    const limit = Number(o2.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new RetortError("usage", `Invalid --limit '${o2.limit}': give a whole number of rows.`);
    print(await log(options(cmd), session, limit, Boolean(o2.json)));
  });
  withDatabase(
    program2.command("check").description("exit 1 when revisions are pending, the directory has several heads, or applied revisions drifted")
  ).action(async (_o, cmd) => print(await check(options(cmd), session)));
  return program2;
}
async function main(argv, io) {
  const program2 = buildProgram(io);
  try {
    await program2.parseAsync(argv, { from: "user" });
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    const debug = argv.includes("--debug");
    const clean = (text) => scrubAll(text, argv);
    if (e instanceof RetortError) {
      io.err(`retort: ${clean(e.message)}
`);
      if (debug && e.stack) io.err(`${clean(e.stack)}
`);
      return RUN_FAILURES.has(e.code) ? EXIT_FAILED : EXIT_USAGE;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.err(`retort: unexpected error: ${clean(message)}${debug ? "" : " (run with --debug for the stack trace)"}
`);
    if (debug && e instanceof Error && e.stack) io.err(`${clean(e.stack)}
`);
    return EXIT_FAILED;
  }
}
function databaseUrlOf(flag) {
  return flag || process.env.DATABASE_URL || void 0;
}
function osUser() {
  try {
    return userInfo().username;
  } catch {
    return null;
  }
}
function scrubAll(text, argv) {
  const candidates = [process.env.RETORT_DATABASE_URL, process.env.DATABASE_URL];
  argv.forEach((a2, i2) => {
    if (a2 === "--database-url") candidates.push(argv[i2 + 1]);
    else if (a2.startsWith("--database-url=")) candidates.push(a2.slice("--database-url=".length));
  });
  let out = text;
  for (const c3 of candidates) {
    if (!c3) continue;
    try {
      out = scrub(out, new URL(c3));
    } catch {
    }
  }
  return out;
}

// src/cli/index.ts
process.exitCode = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text)
});
