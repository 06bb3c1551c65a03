#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  context,
  getOctokit
} from "./chunk-MGVLTDFJ.js";
import "./chunk-TNZW6T2I.js";
export {
  context,
  getOctokit
};
