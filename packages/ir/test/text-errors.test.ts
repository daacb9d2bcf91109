import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDiagnosticError } from '../src/diagnostic.js';
import type { DType } from '../src/dtype.js';
import { makeTensor, type Tensor } from '../src/tensor.js';
import { parseGraph, TEXT_ERROR_CODES } from '../src/text/index.js';

/**
 * `fixtures/text/_error_<what>/`: `input.lir`, optional `resources.json`
 * ({key: {dtype, dims, data}}), and `expected.txt` = `CODE line:column`.
 */
const DIR = join(import.meta.dirname, 'fixtures', 'text');
const CASES = readdirSync(DIR).filter((d) => d.startsWith('_error_')).sort();

function loadResources(file: string): Map<string, Tensor> | undefined {
  if (!existsSync(file)) return undefined;
  const j = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { dtype: DType; dims: number[]; data: number[] }>;
  return new Map(Object.entries(j).map(([k, t]) => [k, makeTensor(t.dtype, t.dims, t.data)]));
}

function diagnose(dir: string): string {
  const file = join(dir, 'input.lir');
  try {
    parseGraph(readFileSync(file, 'utf8'), { file, resources: loadResources(join(dir, 'resources.json')) });
  } catch (e) {
    if (!isDiagnosticError(e)) throw e;
    const { code, loc } = e.diagnostic;
    expect(loc.file).toBe(file);
    expect(e.message).not.toMatch(/\n\s+at /); // one line, no stack
    return `${code} ${loc.line}:${loc.column}`;
  }
  return 'parsed without error';
}

describe('textual IR error fixtures', () => {
  it('has an error fixture for every error code', () => {
    const expected = CASES.map((c) => readFileSync(join(DIR, c, 'expected.txt'), 'utf8').split(' ')[0]);
    for (const code of Object.values(TEXT_ERROR_CODES)) expect(expected).toContain(code);
  });

  for (const c of CASES) {
    it(c, () => {
      const expected = readFileSync(join(DIR, c, 'expected.txt'), 'utf8').trim();
      expect(diagnose(join(DIR, c))).toBe(expected);
    });
  }
});
