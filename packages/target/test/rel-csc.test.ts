import { describe, expect, it } from 'vitest';
import {
  balancedRowAssignment,
  countRelCsc,
  decodeRelCsc,
  encodeRelCsc,
  expectedPadding,
  paddingForGap,
  rowToPe,
  rowsOfPes,
} from '../src/index.js';
import { rng } from '@lstmc/testing';

describe('row -> PE assignment', () => {
  it('modulo puts row r on PE r mod pes', () => {
    expect(Array.from(rowToPe(7, 3).peOfRow)).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(rowsOfPes(rowToPe(7, 3)).map((r) => Array.from(r))).toEqual([[0, 3, 6], [1, 4], [2, 5]]);
  });

  it('balanced assignment evens out row costs and caps rows per PE', () => {
    // costs 8,1,1,1,7,1,1,1 on 2 PEs: modulo gives loads 16 and 4
    const a = balancedRowAssignment([8, 1, 1, 1, 7, 1, 1, 1], 2);
    const load = [0, 0];
    const rows = [0, 0];
    [8, 1, 1, 1, 7, 1, 1, 1].forEach((c, r) => {
      load[a.peOfRow[r]] += c;
      rows[a.peOfRow[r]]++;
    });
    expect(load.sort()).toEqual([10, 11]);
    expect(rows).toEqual([4, 4]);
  });
});

describe('relative-indexed CSC', () => {
  it('gap padding: floor(gap / 2^bits)', () => {
    expect([0, 15, 16, 31, 32, 47].map((g) => paddingForGap(g, 4))).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('encodes a column with a long gap as worked by hand', () => {
    // one PE, one column of 12 rows, non-zeros at rows 1 and 11, relIndexBits=2 (z <= 3, span 4)
    const col = [0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7];
    const enc = encodeRelCsc(col, 12, 1, rowToPe(12, 1), 2);
    // row1: z=1; gap of 9 zeros before row 11 -> pads at +4, +4, then z=1
    expect(Array.from(enc.pes[0].values)).toEqual([5, 0, 0, 7]);
    expect(Array.from(enc.pes[0].relIdx)).toEqual([1, 3, 3, 1]);
    expect(enc.pes[0].padding).toBe(2);
    expect(enc.pes[0].nnz).toBe(2);
    expect(Array.from(decodeRelCsc(enc))).toEqual(col);
  });

  it('splits rows over PEs before measuring gaps', () => {
    // 6x3 on 2 PEs, relIndexBits=1: PE0 rows 0,2,4 ; PE1 rows 1,3,5
    const m = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 2, 0, 4];
    const c = countRelCsc(m, 6, 3, rowToPe(6, 2), 1);
    expect(Array.from(c.entriesPerPeColumn)).toEqual([1, 0, 2, 2, 0, 2]);
    expect(Array.from(c.paddingPerPe)).toEqual([1, 2]);
    expect(Array.from(c.nnzPerPe)).toEqual([2, 2]);
  });

  it('decode(encode(m)) == m for random sparse matrices, PE counts and index widths', () => {
    const rand = rng(7);
    for (let trial = 0; trial < 40; trial++) {
      const rows = 1 + Math.floor(rand() * 70);
      const cols = 1 + Math.floor(rand() * 20);
      const pes = 1 + Math.floor(rand() * 9);
      const bits = 1 + Math.floor(rand() * 8);
      const density = rand();
      const m = Array.from({ length: rows * cols }, () => (rand() < density ? Math.round((rand() - 0.5) * 200) || 1 : 0));
      const assign = trial % 2 ? rowToPe(rows, pes) : balancedRowAssignment(Array.from({ length: rows }, () => rand()), pes);
      const enc = encodeRelCsc(m, rows, cols, assign, bits);
      expect(Array.from(decodeRelCsc(enc))).toEqual(m);
      const nnz = m.filter((v) => v !== 0).length;
      expect(enc.pes.reduce((s, p) => s + p.nnz, 0)).toBe(nnz);
      for (const p of enc.pes) for (const z of p.relIdx) expect(z).toBeLessThan(2 ** bits);
    }
  });

  it('expectedPadding equals the exact expectation over all patterns of a short column', () => {
    for (const [n, bits, d] of [[6, 1, 0.3], [9, 2, 0.25], [10, 1, 0.6]] as const) {
      let exact = 0;
      for (let mask = 0; mask < 2 ** n; mask++) {
        const col = Array.from({ length: n }, (_, j) => ((mask >> j) & 1 ? 1 : 0));
        const k = col.reduce((s: number, v) => s + v, 0);
        const prob = d ** k * (1 - d) ** (n - k);
        exact += prob * countRelCsc(col, n, 1, rowToPe(n, 1), bits).paddingPerPe[0];
      }
      expect(expectedPadding(n, d, bits)).toBeCloseTo(exact, 12);
    }
  });
});
