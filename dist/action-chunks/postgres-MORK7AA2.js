#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  PostgresDriver,
  PostgresSql,
  advisoryKey,
  connectionError,
  numberPlaceholders,
  scriptError,
  toDatabaseError
} from "./chunk-GPYY2GT2.js";
import "./chunk-QFBBDEGR.js";
import "./chunk-DKZ2M3U5.js";
import "./chunk-MK6CWJHS.js";
import "./chunk-ORFVBTCF.js";
import "./chunk-TNZW6T2I.js";
export {
  PostgresDriver,
  PostgresSql,
  advisoryKey,
  connectionError,
  numberPlaceholders,
  scriptError,
  toDatabaseError
};
