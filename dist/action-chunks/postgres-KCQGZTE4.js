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
} from "./chunk-NQZFBQ2W.js";
import "./chunk-ZT3W24CL.js";
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
