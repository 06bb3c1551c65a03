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
} from "./chunk-DFQZKMDT.js";
import "./chunk-L6OUYWPP.js";
import "./chunk-WBMZ674H.js";
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
