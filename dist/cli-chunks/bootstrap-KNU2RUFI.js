#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  BOOTSTRAP_PY,
  BOOTSTRAP_STUB,
  GRAPH_COMMAND
} from "./chunk-CGVNYEPE.js";
import "./chunk-KTFMP3DX.js";
export {
  BOOTSTRAP_PY,
  BOOTSTRAP_STUB,
  GRAPH_COMMAND
};
