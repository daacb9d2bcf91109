import { readFileSync } from 'node:fs';
import { fail } from '@lstmc/ir';
import { jsonErrorOffset } from './json-error-offset.js';
import type { Target } from './params.js';
import { targetFromObject } from './validate.js';

/** Line and column (1-based) of a character offset in `text`. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** Parse the text of a target description file. */
export function parseTarget(json: string, file = '<target>'): Target {
  let obj: unknown;
  try {
    obj = JSON.parse(json);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    fail('E-TARGET-JSON', `target file is not valid JSON: ${msg}`, { file, ...lineColumn(json, jsonErrorOffset(json)) });
  }
  return targetFromObject(obj, { file });
}

/** Read and validate a target description file (`--target-config FILE`). */
export function loadTargetFile(path: string): Target {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unknown error';
    fail('E-TARGET-READ', `cannot read target file (${code})`, { file: path });
  }
  return parseTarget(text, path);
}

/** Canonical JSON of a target: every key, table order, 2-space indent. */
export function printTarget(t: Target): string {
  return `${JSON.stringify(t, null, 2)}\n`;
}
