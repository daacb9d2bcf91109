import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDiagnosticError, loadOnnxFile, ONNX_CODES } from '../src/index.js';
import type { Location } from '../src/index.js';
import { FIXTURES } from './onnx-paths.js';

/** `key: value` lines of expected.txt: code, and the location fields that must match. */
function readExpected(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(join(dir, 'expected.txt'), 'utf8').split('\n')) {
    const m = /^(\w+): (.*)$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

const folders = readdirSync(FIXTURES)
  .filter((d) => d.startsWith('_error_'))
  .sort();

describe('malformed ONNX models give located diagnostics (fixtures/onnx/_error_*)', () => {
  it('has a fixture per malformed-input kind', () => {
    expect(folders.length).toBeGreaterThanOrEqual(25);
  });

  for (const name of folders)
    it(name.slice('_error_'.length), () => {
      const dir = join(FIXTURES, name);
      const model = join(dir, 'model.onnx');
      const want = readExpected(dir);
      let caught: unknown;
      try {
        loadOnnxFile(model);
      } catch (e) {
        caught = e;
      }
      expect(isDiagnosticError(caught), `expected a DiagnosticError, got ${String(caught)}`).toBe(true);
      if (!isDiagnosticError(caught)) return;
      const d = caught.diagnostic;
      expect(d.code).toBe(want.code);
      expect(d.loc.file).toBe(model);
      for (const key of ['node', 'field'] as const) expect(d.loc[key as keyof Location]?.toString(), key).toBe(want[key]);
      // Byte offsets are checked where the fixture states one; decode errors always carry one.
      if (want.offset !== undefined) expect(String(d.loc.offset)).toBe(want.offset);
      if (d.code === 'E-ONNX-DECODE' && name !== '_error_no_graph') expect(d.loc.offset).toBeLessThanOrEqual(readFileSync(model).length);
    });

  function codeOf(f: () => unknown): string | undefined {
    try {
      f();
    } catch (e) {
      if (isDiagnosticError(e)) return e.code;
      throw e;
    }
    return undefined;
  }

  it('a missing model file is E-IO-NOT-FOUND, a directory E-IO-READ', () => {
    expect(codeOf(() => loadOnnxFile(join(FIXTURES, 'no-such-model.onnx')))).toBe('E-IO-NOT-FOUND');
    expect(codeOf(() => loadOnnxFile(FIXTURES))).toBe('E-IO-READ');
  });

  it('every code of the frontend has a fixture', () => {
    const covered = new Set(['E-IO-NOT-FOUND', 'E-IO-READ', ...folders.map((f) => readExpected(join(FIXTURES, f)).code)]);
    expect(Object.keys(ONNX_CODES).filter((c) => !covered.has(c))).toEqual([]);
  });
});
