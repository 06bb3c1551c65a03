#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  AlembicFailure,
  MAX_STDOUT_CHARS,
  OFFLINE_TIMEOUT_MS,
  placeholderUrl,
  runAlembic,
  splitOfflineSql,
  sqlalchemyUrl,
  sweepLegacyCopies,
  usesAsyncEngine
} from "./chunk-BIIVA7NL.js";
import "./chunk-7QJGXDRK.js";
import "./chunk-MK6CWJHS.js";
import "./chunk-ORFVBTCF.js";
import "./chunk-TNZW6T2I.js";
export {
  AlembicFailure,
  MAX_STDOUT_CHARS,
  OFFLINE_TIMEOUT_MS,
  placeholderUrl,
  runAlembic,
  splitOfflineSql,
  sqlalchemyUrl,
  sweepLegacyCopies,
  usesAsyncEngine
};
