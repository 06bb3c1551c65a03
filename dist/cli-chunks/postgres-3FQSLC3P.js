#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  PostgresDriver,
  PostgresSql,
  advisoryKey,
  connectionError,
  numberPlaceholders,
  toDatabaseError
} from "./chunk-42HE65NE.js";
import "./chunk-6JUQBKBD.js";
import "./chunk-FRPSWLC2.js";
import "./chunk-KTFMP3DX.js";
export {
  PostgresDriver,
  PostgresSql,
  advisoryKey,
  connectionError,
  numberPlaceholders,
  toDatabaseError
};
