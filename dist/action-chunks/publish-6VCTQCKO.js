#!/usr/bin/env node
import { createRequire as __retortCreateRequire } from 'node:module';
const require = __retortCreateRequire(import.meta.url);
import {
  GITLAB_NOTE_LIMIT,
  commentLimit,
  commentPlan,
  commentTargetFromEnv,
  describeDestination,
  publishComment
} from "./chunk-XOPAQY4B.js";
import "./chunk-DKZ2M3U5.js";
import "./chunk-ORFVBTCF.js";
import "./chunk-TNZW6T2I.js";
export {
  GITLAB_NOTE_LIMIT,
  commentLimit,
  commentPlan,
  commentTargetFromEnv,
  describeDestination,
  publishComment
};
