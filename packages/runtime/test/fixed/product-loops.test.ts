import { describe, expect, it } from 'vitest';
import { rng } from '@lstmc/testing';
import { denseRowsAccumulate, macInto, productAccumulate, productColumns, productColumnsAccumulate, productMatrix } from '../../src/fixed/index.js';

/** The reference: one macInto per non-zero product, row by row, ascending columns. */
function reference(acc0: Float64Array, W: Int32Array, rows: number, cols: number, x: Int32Array, shift: number, accBits: number): Float64Array {
  const acc = Float64Array.from(acc0);
  for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) if (W[r * cols + k] !== 0 && x[k] !== 0) macInto(acc, r, W[r * cols + k], x[k], shift, accBits);
  return acc;
}

function randomInts(rand: () => number, n: number, bits: number, zeros: number): Int32Array {
  const lim = 2 ** (bits - 1);
  return Int32Array.from({ length: n }, () => (rand() < zeros ? 0 : Math.floor(rand() * 2 * lim) - lim));
}

describe('shared product loops == macInto one product at a time', () => {
  // accBits 20 with 16-bit operands saturates often; shift <= 0 takes the exact-scaling branch.
  const cases = [
    { rows: 37, cols: 23, wBits: 16, xBits: 16, accBits: 32, shift: 13, wz: 0.9, xz: 0.3 },
    { rows: 16, cols: 40, wBits: 16, xBits: 16, accBits: 20, shift: 3, wz: 0.2, xz: 0 },
    { rows: 9, cols: 11, wBits: 8, xBits: 8, accBits: 24, shift: 0, wz: 0.5, xz: 0.5 },
    { rows: 12, cols: 7, wBits: 8, xBits: 8, accBits: 24, shift: -2, wz: 0.6, xz: 0.1 },
    { rows: 64, cols: 64, wBits: 16, xBits: 16, accBits: 48, shift: 17, wz: 0.95, xz: 0.7 },
    // past the int32 rounding path: |w x| > 2^30, shift > 30
    { rows: 20, cols: 30, wBits: 16, xBits: 18, accBits: 48, shift: 9, wz: 0.3, xz: 0.1 },
    { rows: 20, cols: 30, wBits: 16, xBits: 16, accBits: 48, shift: 33, wz: 0.3, xz: 0.1 },
    { rows: 8, cols: 8, wBits: 16, xBits: 16, accBits: 32, shift: 30, wz: 0, xz: 0, extreme: true },
  ];
  for (const [i, c] of cases.entries()) {
    it(`${c.rows}x${c.cols}, ${c.wBits}x${c.xBits} bits, accBits ${c.accBits}, shift ${c.shift}`, () => {
      const rand = rng(100 + i);
      const W = randomInts(rand, c.rows * c.cols, c.wBits, c.wz);
      const x = randomInts(rand, c.cols, c.xBits, c.xz);
      if ('extreme' in c) {
        // products of exactly +-2^30 and ties at every shift
        W.forEach((_, i) => (W[i] = i % 3 === 0 ? -32768 : i % 3 === 1 ? 32767 : 3 << 12));
        x.forEach((_, k) => (x[k] = k % 2 ? -32768 : 1 << 17 >> 2));
      }
      const acc0 = Float64Array.from(randomInts(rand, c.rows, c.accBits - 2, 0));
      const want = Array.from(reference(acc0, W, c.rows, c.cols, x, c.shift, c.accBits));
      const dense = Float64Array.from(acc0);
      denseRowsAccumulate(dense, 0, W, c.rows, c.cols, x, 0, c.shift, c.accBits);
      expect(Array.from(dense)).toEqual(want);
      const cols = Float64Array.from(acc0);
      productColumnsAccumulate(cols, 0, productColumns(W, c.rows, c.cols), x, 0, c.shift, c.accBits);
      expect(Array.from(cols)).toEqual(want);
      const prepared = Float64Array.from(acc0);
      productAccumulate(prepared, 0, productMatrix(W, c.rows, c.cols), x, 0, c.shift, c.accBits);
      expect(Array.from(prepared)).toEqual(want);
      // only the listed (non-zero) input positions: the same result, since zero inputs add nothing
      const nz = Int32Array.from([...x.keys()].filter((k) => x[k] !== 0));
      const some = Float64Array.from(acc0);
      productColumnsAccumulate(some, 0, productColumns(W, c.rows, c.cols), x, 0, c.shift, c.accBits, nz);
      expect(Array.from(some)).toEqual(want);
    });
  }
});
