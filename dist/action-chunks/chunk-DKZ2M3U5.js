#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  __commonJS,
  __toESM
} from "./chunk-TNZW6T2I.js";

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
    function movePosition(context, count, isWhite) {
      let { source, position, line, column, streamPosition } = context;
      while (count > 0) {
        if (source[position] == "\n") {
          line += 1;
          column = 0;
        } else {
          column += 1;
        }
        position += 1;
        streamPosition += 1;
        count -= 1;
      }
      context.position = position;
      context.streamPosition = streamPosition;
      context.line = line;
      context.column = column;
      if (!context.wasDataInCommand) {
        if (isWhite) {
          context.trimCommandStartPosition = streamPosition;
          context.trimCommandStartLine = line;
          context.trimCommandStartColumn = column;
        } else {
          context.wasDataInCommand = true;
        }
      }
      if (!isWhite) {
        context.noWhitePosition = streamPosition;
        context.noWhiteLine = line;
        context.noWhiteColumn = column;
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
    function containsDataAfterDelimiterOnLine(context, delimiter) {
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
      cloned.position += delimiter.length;
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
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
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
var SPLIT_HAZARDS = /['"`$\\#]|--|\/\*|delimiter/i;
function splitStatements(section, dialect) {
  return simpleSplit(section) ?? splitWithParser(section, dialect);
}
function simpleSplit(section) {
  const text = section.sql;
  if (SPLIT_HAZARDS.test(text)) return null;
  const out = [];
  let line = section.line + 1;
  let start = 0;
  for (; ; ) {
    const end = text.indexOf(";", start);
    const piece = text.slice(start, end < 0 ? text.length : end);
    const sql = piece.trim();
    if (sql !== "") {
      const lead = piece.length - piece.trimStart().length;
      let newlines = 0;
      for (let i = start; i < start + lead; i++) if (text.charCodeAt(i) === 10) newlines++;
      out.push({ sql, line: line + newlines });
    }
    if (end < 0) break;
    for (let i = start; i <= end; i++) if (text.charCodeAt(i) === 10) line++;
    start = end + 1;
  }
  return out;
}
function splitWithParser(section, dialect) {
  const pg = dialect === "postgresql";
  const text = pg ? asPostgresLexes(section.sql) : section.sql;
  const items = (0, import_dbgate_query_splitter.splitQuery)(text, { ...pg ? import_dbgate_query_splitter.postgreSplitterOptions : MYSQL_OPTIONS, returnRichInfo: true });
  const out = [];
  for (const item of items) {
    const sql = pg ? section.sql.slice(item.trimStart.position, item.trimEnd.position) : item.text;
    if (isCommentOnly(sql)) continue;
    out.push({ sql: sql.trim(), line: section.line + 1 + item.trimStart.line });
  }
  return out;
}
var IDENT_START = /[A-Za-z_\u0080-\uffff]/;
var IDENT_CONT = /[A-Za-z0-9_$\u0080-\uffff]/;
var DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;
function asPostgresLexes(sql) {
  const out = sql.split("");
  const n = sql.length;
  const quoted = (at, backslashes) => {
    for (let i2 = at + 1; i2 < n; i2++) {
      if (backslashes && sql[i2] === "\\") {
        if (sql[i2 + 1] === "'") out[i2 + 1] = "_";
        i2++;
      } else if (sql[i2] === "'") {
        if (sql[i2 + 1] !== "'") return i2 + 1;
        i2++;
      }
    }
    return n;
  };
  let i = 0;
  while (i < n) {
    const c = sql[i];
    if (c === "-" && sql[i + 1] === "-") {
      const nl = sql.indexOf("\n", i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === "/" && sql[i + 1] === "*") {
      let depth = 1;
      for (i += 2; i < n && depth > 0; ) {
        const pair = sql.slice(i, i + 2);
        if (pair === "/*" || pair === "*/") {
          depth += pair === "/*" ? 1 : -1;
          if (depth > 0) out[i] = out[i + 1] = " ";
          i += 2;
        } else i++;
      }
    } else if (c === "'") {
      i = quoted(i, false);
    } else if (c === '"') {
      const end = sql.indexOf('"', i + 1);
      i = end < 0 ? n : end + 1;
    } else if (c === "$") {
      DOLLAR_TAG.lastIndex = i;
      const tag = DOLLAR_TAG.exec(sql)?.[0];
      const end = tag ? sql.indexOf(tag, i + tag.length) : -1;
      i = !tag ? i + 1 : end < 0 ? n : end + tag.length;
    } else if ((c === "E" || c === "e") && sql[i + 1] === "'") {
      i = quoted(i + 1, true);
    } else if (IDENT_START.test(c)) {
      for (i++; i < n && IDENT_CONT.test(sql[i]); i++) if (sql[i] === "$") out[i] = "_";
    } else i++;
  }
  return out.join("");
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
var PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
var UTF8 = new TextEncoder();
function sessionProofLiteral(value, dialect) {
  if (PRINTABLE_ASCII.test(value)) {
    const quoted = value.split("'").join("''");
    if (!value.includes("\\")) return `'${quoted}'`;
    if (dialect === "postgresql") return `E'${quoted.split("\\").join("\\\\")}'`;
  }
  let hex = "";
  for (const byte of UTF8.encode(value)) hex += byte.toString(16).padStart(2, "0");
  return dialect === "postgresql" ? `pg_catalog.convert_from(pg_catalog.decode('${hex}', 'hex'), 'UTF8')` : `_utf8mb4 X'${hex}'`;
}
function versionTableName(vt, dialect) {
  const table = quoteIdent(vt.table, dialect);
  return vt.schema ? `${quoteIdent(vt.schema, dialect)}.${table}` : table;
}
var VERSION_NUM_CHARS = 32;
function createVersionTableSql(vt, dialect) {
  return `CREATE TABLE ${versionTableName(vt, dialect)} (
    version_num VARCHAR(${VERSION_NUM_CHARS}) NOT NULL, 
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

export {
  DIALECTS,
  TRAITS,
  splitStatements,
  DEFAULT_VERSION_TABLE,
  quoteIdent,
  sessionProofLiteral,
  versionTableName,
  VERSION_NUM_CHARS,
  createVersionTableSql,
  insertVersionSql,
  updateVersionSql,
  deleteVersionSql
};
