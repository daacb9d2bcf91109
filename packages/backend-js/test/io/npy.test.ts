import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNpy, writeNpy } from '../../src/io/npy.js';

const DIR = join(import.meta.dirname, '../fixtures/npy');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, { shape: number[]; values: number[] }>;
const load = (name: string) => readNpy(readFileSync(join(DIR, `${name}.npy`)), `${name}.npy`);
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
};

describe('.npy reader (files written by numpy, see fixtures/npy/gen.py)', () => {
  for (const [name, want] of Object.entries(expected)) {
    it(name, () => {
      const t = load(name);
      expect(t.shape).toEqual(want.shape);
      expect(Array.from(t.data as ArrayLike<number | bigint>, Number)).toEqual(want.values);
    });
  }
  it('maps dtypes', () => {
    expect(load('f32_2x3').dtype).toBe('f32');
    expect(load('f64_vec').dtype).toBe('f64');
    expect(load('i32_3d').dtype).toBe('i32');
    expect(load('i64_big').dtype).toBe('i64');
    expect((load('i64_big').data as BigInt64Array)[0]).toBe(2n ** 40n + 3n);
    expect(load('bool_2x2').dtype).toBe('bool');
  });
  it('refuses other element types, big-endian data and non-npy bytes', () => {
    expect(codeOf(() => load('reject_f16'))).toBe('E-NPY-DTYPE');
    expect(codeOf(() => load('reject_be_f32'))).toBe('E-NPY-DTYPE');
    expect(codeOf(() => load('reject_u8'))).toBe('E-NPY-DTYPE');
    expect(codeOf(() => readNpy(new TextEncoder().encode('hello world, not npy'), 'x.npy'))).toBe('E-NPY-MAGIC');
    const good = readFileSync(join(DIR, 'f32_2x3.npy'));
    expect(codeOf(() => readNpy(good.subarray(0, good.length - 4), 'cut.npy'))).toBe('E-NPY-TRUNCATED');
    expect(codeOf(() => readNpy(good.subarray(0, 30), 'cut.npy'))).toBe('E-NPY-TRUNCATED');
  });
});

describe('.npy writer', () => {
  for (const name of ['f32_2x3', 'f64_vec', 'i32_3d', 'i64_big', 'bool_2x2', 'f32_scalar', 'f32_empty']) {
    it(`${name}: same data bytes and header as numpy writes, readable back`, () => {
      const file = readFileSync(join(DIR, `${name}.npy`));
      const t = load(name);
      const out = writeNpy(t);
      // numpy's header dict (it pads differently, so compare the dict and the data, not the padding).
      const dictOf = (b: Uint8Array) => new TextDecoder().decode(b.subarray(10, 10 + (b[8]! | (b[9]! << 8)))).trim();
      expect(dictOf(out)).toBe(dictOf(file));
      expect(out.length % 64).toBe((file.length - (10 + (file[8]! | (file[9]! << 8)))) % 64);
      const dataStart = 10 + (out[8]! | (out[9]! << 8));
      expect(dataStart % 64).toBe(0);
      expect(Buffer.from(out.subarray(dataStart))).toEqual(Buffer.from(file.subarray(file.length - (out.length - dataStart))));
      const back = readNpy(out, 'back.npy');
      expect(back.shape).toEqual(t.shape);
      expect(back.data).toEqual(t.data);
    });
  }
});
