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
} from "./chunk-SJNGJX7S.js";
import "./chunk-TCBVBOCI.js";
import "./chunk-JXQG5S6Z.js";
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
