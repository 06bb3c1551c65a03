#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  __commonJS,
  __toESM
} from "./chunk-KTFMP3DX.js";

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
function renderPlanSql(plan, options) {
  const { dialect } = options;
  const vt = options.versionTable ?? DEFAULT_VERSION_TABLE;
  const transactional = TRAITS[dialect].transactionalDdl;
  const perRevision = options.transactionPerRevision ?? false;
  const chunks = [];
  const emit = (text) => chunks.push(`${text}

`);
  const statement = (sql) => emit(`${sql};`);
  if (transactional && !perRevision) emit("BEGIN;");
  let heads = plan.headsBefore.length;
  for (const step of plan.steps) {
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
    const statements = splitStatements(step.section, dialect);
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

// src/report/markdown.ts
var LINE_ENDING = /\r\n|\r|\n/g;
var INVISIBLE = /(?![\t\n\r])[\p{Cc}\p{Cf}\u2028\u2029]/gu;
function visible(text) {
  return text.replace(INVISIBLE, (c) => `[U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}]`);
}
function code(text) {
  const oneLine = visible(text.replace(LINE_ENDING, " "));
  if (oneLine === "") return "";
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = "`".repeat(longest + 1);
  const pad = oneLine.startsWith("`") || oneLine.endsWith("`") || oneLine.startsWith(" ") && oneLine.endsWith(" ") && oneLine.trim() !== "" ? " " : "";
  return `${ticks}${pad}${oneLine}${pad}${ticks}`;
}
function cellCode(text) {
  return text.replace(LINE_ENDING, " ").split("|").map(code).join("\\|");
}
function html(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
function htmlCode(text) {
  const oneLine = visible(text.replace(LINE_ENDING, " "));
  return oneLine === "" ? "" : `<code>${html(oneLine)}</code>`;
}
function prose(text) {
  return visible(text.replace(LINE_ENDING, " ")).replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}
function fenced(sql, info) {
  const text = visible(sql);
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return `${fence}${info}
${text.trimEnd()}
${fence}`;
}

// src/report/comment.ts
var DEFAULT_COMMENT_LIMIT = 65e3;
function markerValue(value) {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/[\p{Cc}\u2028\u2029]/gu, (c) => `&#${c.charCodeAt(0)};`).replace(/--/g, "-&#45;");
}
function commentMarker(environment, migrations) {
  return `<!-- retort:plan environment="${markerValue(environment)}" migrations="${markerValue(migrations)}" -->`;
}
function carriesMarker(body, marker) {
  const end = body.search(/\r\n|\r|\n/);
  return (end < 0 ? body : body.slice(0, end)) === marker;
}
function headList(heads) {
  return heads.length === 0 ? code("base") : heads.map(code).join(", ");
}
function plural(n, word, many = `${word}s`) {
  return `${n} ${n === 1 ? word : many}`;
}
function stepSql(step, statementsSql, input) {
  const out = [`-- Running ${runningLine(step)}`];
  for (const sql of statementsSql) {
    if (TRAITS[input.dialect].clientDelimiter && sql.includes(";")) {
      out.push("DELIMITER //", `${sql}//`, "DELIMITER ;");
    } else {
      out.push(`${sql};`);
    }
  }
  for (const change of step.versionChanges) out.push(`${versionChangeSql(change, input.versionTable, input.dialect)};`);
  return out.join("\n\n");
}
function pieces(input) {
  const { plan } = input;
  const title = input.environment === "" ? "retort plan" : `retort plan: ${code(input.environment)}`;
  const head = [commentMarker(input.environment, input.migrations), `### \u{1F9EA} ${title}`, ""];
  const meta = [`**Migrations:** ${code(input.migrations)}`];
  if (input.database !== "") meta.push(`**Database:** ${code(input.database)}`);
  meta.push(`**Heads:** ${headList(plan.headsBefore)} \u2192 ${headList(plan.headsAfter)}`);
  head.push(meta.join(" \xB7 "), "");
  if (input.offlineNote !== null && input.offlineNote.trim() !== "") {
    head.push("> [!IMPORTANT]", ...input.offlineNote.trim().split(/\r\n|\r|\n/).map((line) => `> ${prose(line)}`), "");
  }
  const pending = plan.steps.length > 0;
  const warnings = [];
  if (input.heads.length > 1) {
    warnings.push(
      `The migrations directory has ${input.heads.length} heads (${input.heads.map(code).join(", ")}): their revisions run in an order nobody chose. Merge them with ${code('retort merge heads -m "merge heads"')}.`
    );
  }
  for (const d of input.drift) {
    warnings.push(
      `Drift: ${code(d.revision)} (${code(d.path)}) has changed since it was applied on ${code(d.appliedAt)}; the database still has the old version.`
    );
  }
  const rows = [];
  const revisionSql = [];
  for (const [i, step] of plan.steps.entries()) {
    const rev = step.revision;
    const statements = splitStatements(step.section, input.dialect).map((s) => s.sql);
    const irreversible = rev.downgrade === null;
    const outside = !step.section.transaction;
    const flags = [...irreversible ? ["\u26A0\uFE0F irreversible"] : [], ...outside ? ["\u26A0\uFE0F non-transactional"] : []];
    rows.push(
      `| ${i + 1} | ${cellCode(rev.id)} | ${cellCode(rev.message)} | ${step.section.transaction ? "transaction" : "no transaction"} | ${statements.length} | ${flags.join(", ")} |`
    );
    if (irreversible) {
      warnings.push(`Irreversible: ${code(rev.id)} (${code(rev.path)}) has no downgrade section; it cannot be rolled back.`);
    }
    if (outside) {
      warnings.push(
        `Non-transactional: ${code(rev.id)} (${code(rev.path)}) runs outside a transaction; if it fails part-way, the statements before the failure stay applied.`
      );
    }
    const summary = [htmlCode(rev.id), htmlCode(rev.message), `(${plural(statements.length, "statement")})`].filter(Boolean).join(" ");
    revisionSql.push(
      `<details><summary>${summary}</summary>

${fenced(stepSql(step, statements, input), "sql")}

</details>`
    );
  }
  if (pending && !input.transactionalDdl) {
    warnings.push(
      "MySQL/MariaDB commit every DDL statement implicitly: a revision that fails part-way leaves its earlier statements applied and the version table unchanged, and needs fixing by hand."
    );
  }
  const tableHead = [
    `**${plural(plan.steps.length, "pending revision")}** (upgrade to ${code(plan.target)}):`,
    "",
    "| # | revision | message | mode | statements | warnings |",
    "|---:|---|---|---|---:|---|"
  ].join("\n");
  const downgrade = pending && input.downgradeSql !== null && input.downgradeSql.trim() !== "" ? `<details><summary>Downgrade SQL (undoes this plan)</summary>

${fenced(input.downgradeSql, "sql")}

</details>` : null;
  const footerBits = [`retort ${prose(input.retortVersion)}`];
  if (input.commitSha) footerBits.unshift(`commit ${code(input.commitSha.slice(0, 7))}`);
  return {
    head: head.join("\n").trimEnd(),
    pending,
    tableHead,
    rows,
    warnings,
    revisionSql,
    downgrade,
    footer: `---
<sub>${footerBits.join(" \xB7 ")}</sub>`
  };
}
function assemble(p, input, cut) {
  const blocks = [p.head];
  if (!p.pending) {
    blocks.push(`No pending migrations: the database is at ${headList(input.plan.headsBefore)}.`);
  } else {
    const rows = p.rows.slice(0, cut.rows);
    const omittedRows = p.rows.length - rows.length;
    let table = [p.tableHead, ...rows].join("\n");
    if (omittedRows > 0) table += `

_${plural(omittedRows, "more revision")} omitted to fit GitHub's comment limit._`;
    blocks.push(table);
  }
  if (p.warnings.length > 0) {
    const shown = p.warnings.slice(0, cut.warnings);
    const omitted = p.warnings.length - shown.length;
    const lines = ["#### \u26A0\uFE0F Warnings", "", ...shown.map((w) => `- ${w}`)];
    if (omitted > 0) lines.push(`- _${plural(omitted, "more warning")} omitted to fit GitHub's comment limit._`);
    blocks.push(lines.join("\n"));
  }
  if (p.pending) {
    const sections = p.revisionSql.slice(0, cut.revisionSql);
    const cutRevisions = p.revisionSql.length - sections.length;
    const cutDowngrade = p.downgrade !== null && !cut.downgrade;
    if (sections.length > 0 || p.downgrade !== null && cut.downgrade) blocks.push("#### SQL");
    blocks.push(...sections);
    if (p.downgrade !== null && cut.downgrade) blocks.push(p.downgrade);
    if (cutRevisions > 0 || cutDowngrade) {
      const what = [];
      if (cutRevisions > 0) {
        what.push(cutRevisions === p.revisionSql.length ? "the upgrade SQL" : `the upgrade SQL of ${cutRevisions} of ${p.revisionSql.length} revisions`);
      }
      if (cutDowngrade) what.push("the downgrade SQL");
      blocks.push(`> \u2702\uFE0F SQL cut to fit GitHub's comment limit: see ${input.detailsHint} (${what.join(" and ")} left out).`);
    }
  }
  blocks.push(p.footer);
  return `${blocks.join("\n\n")}
`;
}
function largest(max, fits) {
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
function renderComment(input, limit = DEFAULT_COMMENT_LIMIT) {
  const p = pieces(input);
  const all = { revisionSql: p.revisionSql.length, downgrade: true, rows: p.rows.length, warnings: p.warnings.length };
  const text = (cut) => assemble(p, input, cut);
  const fits = (cut) => text(cut).length <= limit;
  if (fits(all)) return text(all);
  const noDowngrade = { ...all, downgrade: false };
  if (fits(noDowngrade)) return text(noDowngrade);
  const noSql = { ...noDowngrade, revisionSql: 0 };
  if (fits(noSql)) {
    const keep = largest(p.revisionSql.length, (n) => fits({ ...noSql, revisionSql: n }));
    return text({ ...noSql, revisionSql: keep });
  }
  const noRows = { ...noSql, rows: 0 };
  if (fits(noRows)) {
    const keep = largest(p.rows.length, (n) => fits({ ...noRows, rows: n }));
    return text({ ...noRows, rows: keep });
  }
  const noWarnings = { ...noRows, warnings: 0 };
  if (fits(noWarnings)) {
    const keep = largest(p.warnings.length, (n) => fits({ ...noWarnings, warnings: n }));
    return text({ ...noWarnings, warnings: keep });
  }
  const note = "\n\n_\u2026 cut to fit GitHub's comment limit._\n";
  const frame = text(noWarnings);
  if (limit <= note.length) return frame.slice(0, Math.max(0, limit));
  const kept = frame.slice(0, limit - note.length);
  const lineEnd = kept.lastIndexOf("\n");
  return (lineEnd > 0 ? kept.slice(0, lineEnd) : kept) + note;
}

export {
  DIALECTS,
  splitStatements,
  DEFAULT_VERSION_TABLE,
  quoteIdent,
  quoteLiteral,
  versionTableName,
  createVersionTableSql,
  versionChangeSql,
  runningLine,
  renderPlanSql,
  code,
  cellCode,
  fenced,
  DEFAULT_COMMENT_LIMIT,
  commentMarker,
  carriesMarker,
  renderComment
};
