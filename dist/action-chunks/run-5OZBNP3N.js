#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  AlembicFailure,
  placeholderUrl,
  runAlembic,
  splitOfflineSql,
  sqlalchemyUrl,
  sweepLegacyCopies
} from "./chunk-BAVU7CB7.js";
import "./chunk-WWDOS3T6.js";
import "./chunk-MK6CWJHS.js";
import "./chunk-ORFVBTCF.js";
import "./chunk-TNZW6T2I.js";
export {
  AlembicFailure,
  placeholderUrl,
  runAlembic,
  splitOfflineSql,
  sqlalchemyUrl,
  sweepLegacyCopies
};
