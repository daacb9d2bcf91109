import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countRelCsc, rowToPe, rowsOfPes } from '@lstmc/target';
import { nnzPerPe, pruneBalanced, pruneBalancedMaxGap } from '../src/index.js';
import { pruneBalancedGapless } from '../src/passes/prune/max-gap.js';
import { lagrangeKeep } from '../src/passes/prune/max-gap-lagrange.js';
import { smallestMagnitudesCut } from '../src/passes/prune/select.js';
import { randomTensor } from './helpers/graphs.js';

/** Longest run of zero rows before a non-zero, over every PE column (PE-local row order). */
function longestGap(a: ArrayLike<number>, rows: number, cols: number, pes: number): number {
  let worst = 0;
  for (const peRows of rowsOfPes(rowToPe(rows, pes)))
    for (let c = 0; c < cols; c++) {
      let gap = 0;
      for (const r of peRows)
        if (a[r * cols + c] === 0) gap++;
        else {
          worst = Math.max(worst, gap);
          gap = 0;
        }
    }
  return worst;
}

const l1 = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + Math.abs(v), 0);

describe('the default gap repair of balanced pruning (prune{method=balanced}, gap-repair=true)', () => {
  it('keeps the per-PE non-zero counts and balance of plain balanced pruning, the kept values, and no gap beyond the reach (random matrices)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }), // pes
        fc.integer({ min: 4, max: 80 }), // rows per PE (before rounding)
        fc.integer({ min: 1, max: 40 }), // cols
        fc.double({ min: 0.5, max: 0.97, noNaN: true }),
        fc.integer({ min: 1, max: 4 }), // relIndexBits
        fc.integer({ min: 1, max: 1 << 30 }), // seed
        (pes, perPe, cols, s, bits, seed) => {
          const rows = pes * perPe - (seed % Math.min(pes, 3)); // uneven shares too
          const a = randomTensor([rows, cols], seed).data as Float32Array;
          const gap = 2 ** bits - 1;
          const r = pruneBalancedGapless(a, rows, cols, s, pes, gap);
          const plain = pruneBalanced(a, rows, cols, s, pes);
          expect(Array.from(nnzPerPe(r, rows, cols, pes))).toEqual(Array.from(nnzPerPe(plain, rows, cols, pes)));
          expect(longestGap(r, rows, cols, pes)).toBeLessThanOrEqual(gap);
          expect(countRelCsc(r, rows, cols, rowToPe(rows, pes), bits).paddingPerPe.every((x) => x === 0)).toBe(true);
          r.forEach((v, i) => v !== 0 && expect(v).toBe(a[i]));
          // The same matrix as max-gap=auto's, which reports beside it.
          expect(Array.from(pruneBalancedMaxGap(a, rows, cols, s, pes, gap).data)).toEqual(Array.from(r));
        },
      ),
      { numRuns: 60, seed: 13 },
    );
  });

  it('changes nothing where plain balanced pruning leaves no gap beyond the reach (same bits, -0 kept)', () => {
    // 8 rows per PE: no gap can exceed 15 rows. Zeros in the input, some of them -0.
    const a = randomTensor([256, 40], 3, 0.5).data as Float32Array;
    for (let i = 0; i < a.length; i += 7) if (a[i] === 0) a[i] = -0;
    for (const s of [0.3, 0.9]) {
      const got = pruneBalancedGapless(a, 256, 40, s, 32, 15);
      const want = pruneBalanced(a, 256, 40, s, 32);
      expect(Array.from(new Uint32Array(got.buffer))).toEqual(Array.from(new Uint32Array(want.buffer)));
    }
  });

  it('keeps within 0.05% of the |w| of the full price search on every PE (128 rows per PE, 90% and 95%)', () => {
    for (const s of [0.9, 0.95]) {
      const [rows, cols, pes] = [1024, 256, 8];
      const a = randomTensor([rows, cols], 7).data as Float32Array;
      const r = pruneBalancedGapless(a, rows, cols, s, pes, 15);
      // The search run to the end (no slack, every PE its own) on each PE, as max-gap did before.
      const K = Math.round(((1 - s) * rows * cols) / pes);
      let full = 0;
      for (const peRows of rowsOfPes(rowToPe(rows, pes))) {
        const L = peRows.length;
        const mag = new Float64Array(L * cols);
        peRows.forEach((row, l) => {
          for (let c = 0; c < cols; c++) mag[c * L + l] = Math.abs(a[row * cols + c]);
        });
        const k = lagrangeKeep(mag, L, cols, K, 15).keep;
        k.forEach((v, i) => (full += v ? mag[i] : 0));
      }
      expect(l1(r) / full, `s=${s}`).toBeGreaterThan(0.9995);
      // and what the constraint costs against plain balanced pruning (on these normal weights, measured: 2.8% at 90%, 7.8% at 95%)
      expect(l1(r) / l1(pruneBalanced(a, rows, cols, s, pes)), `s=${s}`).toBeGreaterThan(s === 0.9 ? 0.96 : 0.91);
    }
  });
});

describe('smallestMagnitudesCut (the k smallest magnitude bit patterns)', () => {
  it('equals a sort, with many equal values, on the copy and the histogram paths', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40_000 }),
        fc.integer({ min: 1, max: 1 << 20 }),
        fc.integer({ min: 1, max: 1 << 30 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, levels, seed, kf) => {
          const t = randomTensor([n], seed).data as Float32Array;
          const f = Float32Array.from(t, (v) => Math.round(Math.abs(v) * levels) / levels);
          const bits = new Uint32Array(f.buffer);
          const k = Math.max(1, Math.round(kf * n));
          const cut = smallestMagnitudesCut(bits, k, new Uint32Array(n))!;
          const sorted = Uint32Array.from(bits).sort();
          expect(cut.threshold).toBe(sorted[k - 1]);
          expect(cut.ties).toBe(k - sorted.indexOf(sorted[k - 1]));
        },
      ),
      { numRuns: 80, seed: 5 },
    );
  });
});
