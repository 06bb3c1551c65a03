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
} from "./chunk-IT23UCDX.js";
import "./chunk-XSTTVSDX.js";
import "./chunk-L5Z724Z2.js";
import "./chunk-KTFMP3DX.js";
export {
  PostgresDriver,
  PostgresSql,
  advisoryKey,
  connectionError,
  numberPlaceholders,
  scriptError,
  toDatabaseError
};
