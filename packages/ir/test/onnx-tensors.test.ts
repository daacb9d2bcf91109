import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeTensorProto, encodeTensorProto, isDiagnosticError } from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { FIXTURES } from './onnx-paths.js';

const DIR = join(FIXTURES, 'tensors');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, { dtype: string; dims: number[]; values: string[] }>;

function values(t: Tensor): string[] {
  return Array.from(t.data as ArrayLike<number | bigint | string>, (v) => String(v));
}

/** Expected values are written by Python (repr); compare numerically for floats, exactly otherwise. */
function expectValues(t: Tensor, want: string[]): void {
  if (t.dtype === 'string' || t.dtype.startsWith('i') || t.dtype.startsWith('u') || t.dtype === 'bool') expect(values(t)).toEqual(want);
  else expect(Array.from(t.data as Float32Array)).toEqual(want.map((s) => (t.dtype === 'f64' ? Number(s) : Math.fround(Number(s)))));
}

describe('TensorProto files written by onnx.numpy_helper / onnx.helper', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.pb'));
  it('covers raw_data and typed fields for every dtype', () => {
    expect(files.length).toBe(28);
  });
  for (const f of files)
    it(f, () => {
      const key = f.replace(/_(raw|typed)\.pb$/, '');
      const want = expected[key];
      const { name, tensor } = decodeTensorProto(readFileSync(join(DIR, f)), f);
      expect(name).toBe(key === 'string' ? 'str' : key);
      expect(tensor.dtype).toBe(want.dtype);
      expect(tensor.dims).toEqual(want.dims);
      expectValues(tensor, want.values);
      // Re-encoding (always raw_data, or string_data) decodes to the same tensor.
      const back = decodeTensorProto(encodeTensorProto(name, tensor), 're-encoded');
      expect(back.tensor.dtype).toBe(tensor.dtype);
      expect(back.tensor.dims).toEqual(tensor.dims);
      expect(values(back.tensor)).toEqual(values(tensor));
    });

  it('re-encodes f16 and bf16 bit-exactly (raw_data bytes equal the file)', () => {
    for (const f of ['f16_raw.pb', 'bf16_raw.pb']) {
      const bytes = readFileSync(join(DIR, f));
      const { name, tensor } = decodeTensorProto(bytes, f);
      expect(Buffer.from(encodeTensorProto(name, tensor)).equals(bytes), f).toBe(true);
    }
  });

  it('reports garbage as E-ONNX-DECODE', () => {
    try {
      decodeTensorProto(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f]), 'bad.pb');
      expect.unreachable();
    } catch (e) {
      expect(isDiagnosticError(e) && e.code).toBe('E-ONNX-DECODE');
      expect(isDiagnosticError(e) && e.diagnostic.loc.file).toBe('bad.pb');
    }
  });
});
