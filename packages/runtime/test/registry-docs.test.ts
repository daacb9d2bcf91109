import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_KERNELS, RUNTIME_ERROR_CODES } from '../src/index.js';

const DOC = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'runtime-format.md'), 'utf8');

describe('kernel registry and its documentation', () => {
  it('keys every kernel by its own name', () => {
    for (const [key, k] of Object.entries(BUILTIN_KERNELS)) expect(k.name).toBe(key);
  });

  it('documents every kernel and every error code', () => {
    for (const key of Object.keys(BUILTIN_KERNELS)) expect(DOC, key).toContain(`\`${key}\``);
    for (const code of RUNTIME_ERROR_CODES) {
      const short = code.replace(/^E-RT-INPUT-(UNKNOWN|DTYPE|SHAPE)$/, '-$1');
      expect(DOC, code).toContain(short);
    }
  });
});
