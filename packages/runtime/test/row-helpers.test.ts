/**
 * The small helpers around the LSTM projections: the zero-skip decision (does some input row have
 * few enough non-zeros for the column path) and the doubling row fill that starts every projection
 * row as the bias. Their results only decide speed or are checked by the LSTM differential tests as
 * a whole; these pin their edges.
 */
import { describe, expect, it } from 'vitest';
import { hasSparseRow, ZERO_SKIP_MAX_DENSITY } from '../src/kernels/lstm/zero-skip.js';
import { fillRows } from '../src/kernels/lstm/row-products.js';

describe('hasSparseRow', () => {
  const I = 20;
  const limit = Math.floor(ZERO_SKIP_MAX_DENSITY * I); // 6 non-zeros of 20 still count as sparse
  const row = (nz: number) => Array.from({ length: I }, (_, k) => (k >= I - nz ? 1 + k : 0));
  it('finds a row with at most the limit of non-zeros, wherever it is, and no other', () => {
    expect(hasSparseRow(row(limit), 1, I)).toBe(true);
    expect(hasSparseRow(row(limit + 1), 1, I)).toBe(false);
    expect(hasSparseRow([...row(I), ...row(limit + 1), ...row(0)], 3, I)).toBe(true);
    expect(hasSparseRow([...row(I), ...row(limit + 1), ...row(0)], 2, I)).toBe(false);
    expect(hasSparseRow([], 0, I)).toBe(false);
  });
});

describe('fillRows', () => {
  it('writes rows copies of the source run and nothing past them, for every count up to 40', () => {
    for (let rows = 0; rows <= 40; rows++) {
      const m = new Float32Array(8 + 3 * 41).fill(-1);
      m.set([5, 6, 7], 0);
      fillRows(m, 8, 0, 3, rows);
      const want = Array.from({ length: 3 * 41 }, (_, i) => (i < 3 * rows ? 5 + (i % 3) : -1));
      expect(Array.from(m.subarray(8)), `rows ${rows}`).toEqual(want);
    }
  });
});
