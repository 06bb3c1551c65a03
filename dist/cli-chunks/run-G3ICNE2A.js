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
} from "./chunk-RKPUG4IU.js";
import "./chunk-CGVNYEPE.js";
import "./chunk-UV5IUGZN.js";
import "./chunk-L5Z724Z2.js";
import "./chunk-KTFMP3DX.js";
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
