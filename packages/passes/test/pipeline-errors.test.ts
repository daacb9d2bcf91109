/** `_error_` fixture folders: pipeline.txt (or `-O NAME`) and expected.txt (`CODE [line:column]`). */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isDiagnosticError } from '@lstmc/ir';
import { builtinRegistry, checkRequirements, parsePipeline, presetPipeline } from '../src/index.js';

const dir = fileURLToPath(new URL('./fixtures/pipeline', import.meta.url));

describe('pipeline _error_ fixtures', () => {
  for (const name of readdirSync(dir).filter((d) => d.startsWith('_error_')))
    it(name, () => {
      const text = readFileSync(join(dir, name, 'pipeline.txt'), 'utf8');
      const [code, at] = readFileSync(join(dir, name, 'expected.txt'), 'utf8').trim().split(' ');
      try {
        const pipelineText = text.startsWith('-O ') ? presetPipeline(text.slice(3).trim()) : text;
        checkRequirements(parsePipeline(pipelineText, builtinRegistry()), new Set());
        expect.unreachable('no diagnostic');
      } catch (e) {
        if (!isDiagnosticError(e)) throw e;
        expect(e.code).toBe(code);
        if (at) expect(`${e.diagnostic.loc.line}:${e.diagnostic.loc.column}`).toBe(at);
        expect(e.message).not.toMatch(/\n\s+at /);
      }
    });
});
