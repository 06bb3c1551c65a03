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
} from "./chunk-Y2D4VSM2.js";
import "./chunk-HFKJ5ATO.js";
import "./chunk-UV5IUGZN.js";
import "./chunk-L5Z724Z2.js";
import "./chunk-KTFMP3DX.js";
export {
  AlembicFailure,
  placeholderUrl,
  runAlembic,
  splitOfflineSql,
  sqlalchemyUrl,
  sweepLegacyCopies
};
