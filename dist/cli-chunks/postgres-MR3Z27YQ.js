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
} from "./chunk-QUO2DOHV.js";
import "./chunk-RT6IAIP2.js";
import "./chunk-R35MOS62.js";
import "./chunk-UV5IUGZN.js";
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
