import { describe, expect, it } from 'vitest';
import { countRelCsc, rowToPe, rowsOfPes, withParams, defaultTarget } from '@lstmc/target';
import { builtinRegistry, lstmParams, nnzPerPe, parsePipeline, pruneBalanced, pruneBalancedMaxGap, readMatrix, runPipeline } from '../src/index.js';
import { lstmGraph, randomTensor } from './helpers/graphs.js';
import { referenceLagrangeKeep } from './helpers/max-gap-reference.js';
import { lagrangeKeep } from '../src/passes/prune/max-gap-lagrange.js';

const zeros = (a: ArrayLike<number>) => Array.from(a).filter((v) => v === 0).length;

/** Longest run of zero rows before a non-zero, over every PE column (PE-local row order). */
function longestGap(a: ArrayLike<number>, rows: number, cols: number, pes: number): number {
  let worst = 0;
  for (const peRows of rowsOfPes(rowToPe(rows, pes)))
    for (let c = 0; c < cols; c++) {
      let gap = 0;
      for (const r of peRows) {
        if (a[r * cols + c] === 0) gap++;
        else {
          worst = Math.max(worst, gap);
          gap = 0;
        }
      }
    }
  return worst;
}

describe('padding-aware balanced pruning (max-gap)', () => {
  it('one column, gap <= 2, two weights kept: the best chain is rows 2 and 5 (worked by hand)', () => {
    // Plain balanced keeps 9 and 8 (rows 6, 7): 6 leading zeros need two more entries (rows <= 2 and
    // <= 5 apart by <= 3), and then only those two can stay: {2, 5} = 0.3 + 0.6 is the best such pair.
    const a = Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 9, 8]);
    const r = pruneBalancedMaxGap(a, 8, 1, 0.75, 1, 2);
    expect(Array.from(r.data)).toEqual([0, 0, Math.fround(0.3), 0, 0, Math.fround(0.6), 0, 0]);
    expect(r.keptPlain).toBe(17);
    expect(r.kept).toBeCloseTo(0.9, 6);
  });

  it('keeps the largest weight inside an over-long gap instead of a smaller one elsewhere on the PE', () => {
    // 6x2, one PE, K = 4, gap <= 1. Plain keeps 5 (col 0 row 2) and 3, 4, 2 (col 1 rows 0, 1, 3).
    // Column 0 has 2 leading zeros: row 1 (0.2, larger than row 0's 0.1) is kept; to stay at 4,
    // the smallest droppable kept weight goes: 2 (col 1 row 3, the column's last).
    const a = Float32Array.from([0.1, 3, 0.2, 4, 5, 0.3, 0.05, 2, 0.06, 0.9, 0.07, 1]);
    const r = pruneBalancedMaxGap(a, 6, 2, 1 - 4 / 12, 1, 1);
    expect(Array.from(r.data)).toEqual([0, 3, Math.fround(0.2), 4, 5, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.moved).toBe(1);
    expect(r.keptPlain - r.kept).toBeCloseTo(1.8, 6);
  });

  it('no padding, same non-zeros per PE (max/mean = 1), same sparsity as plain balanced (several shapes, PE counts, index widths)', () => {
    for (const [rows, cols, pes, s, bits] of [
      [2048, 256, 32, 0.9, 4],
      [2048, 128, 32, 0.95, 4],
      [256, 48, 32, 0.9, 2],
      [128, 40, 8, 0.95, 3],
      [96, 17, 5, 0.7, 1],
      [40, 20, 7, 0.8, 2],
    ] as const) {
      const a = randomTensor([rows, cols], rows + cols * 3 + pes).data as Float32Array;
      const r = pruneBalancedMaxGap(a, rows, cols, s, pes, 2 ** bits - 1);
      const plain = pruneBalanced(a, rows, cols, s, pes);
      const label = `${rows}x${cols} on ${pes} PEs, ${bits}-bit index`;
      const counts = countRelCsc(r.data, rows, cols, rowToPe(rows, pes), bits);
      expect(Array.from(counts.paddingPerPe).every((x) => x === 0), label).toBe(true);
      expect(longestGap(r.data, rows, cols, pes), label).toBeLessThanOrEqual(2 ** bits - 1);
      // Plain balanced pruning has padding here, so the constraint did something.
      expect(countRelCsc(plain, rows, cols, rowToPe(rows, pes), bits).paddingPerPe.some((x) => x > 0), label).toBe(true);
      const per = Array.from(nnzPerPe(r.data, rows, cols, pes).slice(0, Math.min(pes, rows)));
      expect(Math.max(...per) / (per.reduce((x, y) => x + y, 0) / per.length), label).toBe(1);
      expect(per).toEqual(Array.from(nnzPerPe(plain, rows, cols, pes).slice(0, Math.min(pes, rows))));
      expect(zeros(r.data), label).toBe(zeros(plain));
      // Kept weights keep their values; the magnitude given up is what the report shows.
      r.data.forEach((v, i) => v !== 0 && expect(v).toBe(a[i]));
      let kept = 0;
      let keptPlain = 0;
      r.data.forEach((v) => (kept += Math.abs(v)));
      plain.forEach((v) => (keptPlain += Math.abs(v)));
      expect(r.kept).toBeCloseTo(kept, 2);
      expect(r.keptPlain).toBeCloseTo(keptPlain, 2);
      expect(r.kept).toBeLessThanOrEqual(r.keptPlain);
    }
  });

  it('gives up little magnitude at 90% on 2048 rows over 32 PEs (4-bit index)', () => {
    const a = randomTensor([2048, 256], 9).data as Float32Array;
    const r = pruneBalancedMaxGap(a, 2048, 256, 0.9, 32, 15);
    expect((r.keptPlain - r.kept) / r.keptPlain).toBeLessThan(0.03);
    expect(r.moved).toBeGreaterThan(0);
  });

  it('keeps nearly the most |w| any feasible set can: within 0.2% of the Lagrangian dual bound', () => {
    // Upper bound for one PE: for any price lam >= 0, max over feasible sets of size K of sum |w|
    // <= lam K + sum over columns of max(0, best chain of (|w| - lam)); minimized over lam (convex).
    // Written here independently (plain O(L * gap) chain DP, ternary search on lam).
    for (const [rows, cols, pes, s, gap] of [
      [256, 64, 8, 0.95, 3],
      [512, 48, 16, 0.9, 7],
    ] as const) {
      const a = randomTensor([rows, cols], rows + pes).data as Float32Array;
      const K = Math.round(((1 - s) * rows * cols) / pes);
      let bound = 0;
      for (const peRows of rowsOfPes(rowToPe(rows, pes))) {
        const dual = (lam: number) => {
          let v = lam * K;
          for (let c = 0; c < cols; c++) {
            const f: number[] = [];
            let best = 0;
            peRows.forEach((r, j) => {
              let prev = j <= gap ? 0 : -Infinity;
              for (let i = Math.max(0, j - gap - 1); i < j; i++) prev = Math.max(prev, f[i]);
              f[j] = Math.abs(a[r * cols + c]) - lam + prev;
              best = Math.max(best, f[j]);
            });
            v += best;
          }
          return v;
        };
        let lo = 0;
        let hi = 2;
        for (let k = 0; k < 60; k++) {
          const m1 = lo + (hi - lo) / 3;
          const m2 = hi - (hi - lo) / 3;
          if (dual(m1) < dual(m2)) hi = m2;
          else lo = m1;
        }
        bound += dual((lo + hi) / 2);
      }
      const r = pruneBalancedMaxGap(a, rows, cols, s, pes, gap);
      expect(r.kept).toBeLessThanOrEqual(bound + 1e-6);
      expect(r.kept / bound, `${rows}x${cols}`).toBeGreaterThan(0.998);
      expect(longestGap(r.data, rows, cols, pes)).toBeLessThanOrEqual(gap);
    }
  });

  it('the pass: max-gap=auto takes 2^relIndexBits - 1 from the target and reports the magnitude lost', async () => {
    const g = lstmGraph({ input: 24, hidden: 32 });
    const reg = builtinRegistry();
    const target = withParams(defaultTarget, { pes: 4, relIndexBits: 2 });
    const run = await runPipeline(g, parsePipeline('prune{method=balanced,sparsity=0.9,max-gap=auto},encode{format=csc-rel}', reg), { target });
    const p = lstmParams(run.graph, run.graph.nodes[0])!;
    for (const [m, cols] of [['W', 24], ['R', 32]] as const) {
      const a = readMatrix(p, m, 0);
      expect(longestGap(a, 128, cols, 4)).toBeLessThanOrEqual(3);
      expect(zeros(a)).toBe(128 * cols - 4 * Math.round((0.1 * 128 * cols) / 4));
    }
    const gapReport = run.results[0].reports[1];
    expect(gapReport.title).toContain('max-gap=3');
    expect(gapReport.rows.map((r) => r[4])).toEqual([0, 0]);
    for (const row of gapReport.rows) expect(Number(row[7])).toBeGreaterThanOrEqual(0);
    // encode's report: padding entries column is 0 for both matrices.
    const enc = run.results[1].reports[0];
    const pad = enc.columns.indexOf('padding');
    expect(enc.rows.map((r) => r[pad])).toEqual([0, 0]);
  });

  it('rejects max-gap with other methods, with balance=entries, and bad values (E-PRUNE-OPTION)', async () => {
    const g = lstmGraph({ input: 8, hidden: 4 });
    const reg = builtinRegistry();
    for (const text of ['prune{max-gap=auto}', 'prune{method=balanced,balance=entries,max-gap=3}', 'prune{method=balanced,max-gap=x}'])
      await expect(runPipeline(g, parsePipeline(text, reg))).rejects.toMatchObject({ code: 'E-PRUNE-OPTION' });
  });
});

const count = (k: Uint8Array) => k.reduce((s, v) => s + v, 0);
const total = (mag: Float64Array, k: Uint8Array) => k.reduce((s, v, i) => (v ? s + mag[i] : s), 0);
/** Longest run of unkept positions before a kept one in any column (column-major keep, columns of L). */
function longestKeptGap(k: Uint8Array, L: number, cols: number): number {
  let worst = 0;
  for (let c = 0; c < cols; c++) {
    let gap = 0;
    for (let l = 0; l < L; l++)
      if (k[c * L + l]) {
        worst = Math.max(worst, gap);
        gap = 0;
      } else gap++;
  }
  return worst;
}

describe('the Lagrangian search of max-gap pruning (fast search vs plain bisection)', () => {
  // Magnitudes of one PE, column-major; `levels` > 0 rounds them to multiples of 1/levels (many ties).
  const magnitudes = (n: number, seed: number, levels: number, zeroFraction: number) => {
    const t = randomTensor([n], seed, zeroFraction, 1).data as Float32Array;
    return Float64Array.from(t, (v) => (levels ? Math.round(Math.abs(v) * levels) / levels : Math.abs(v)));
  };
  const cases = [
    { L: 16, cols: 24, s: 0.8, gap: 3, levels: 0, zeros: 0 },
    { L: 16, cols: 24, s: 0.6, gap: 3, levels: 0, zeros: 0 },
    { L: 32, cols: 40, s: 0.9, gap: 7, levels: 0, zeros: 0.1 },
    { L: 12, cols: 30, s: 0.85, gap: 2, levels: 8, zeros: 0 },
    { L: 64, cols: 16, s: 0.95, gap: 15, levels: 0, zeros: 0 },
    { L: 20, cols: 20, s: 0.7, gap: 1, levels: 4, zeros: 0.3 },
  ];
  for (const c of cases)
    it(`keeps exactly what the plain bisection keeps, and is optimal when it says so (${JSON.stringify(c)})`, () => {
      let optimal = 0;
      for (let seed = 1; seed <= 40; seed++) {
        const mag = magnitudes(c.L * c.cols, seed, c.levels, c.zeros);
        const K = Math.round((1 - c.s) * c.L * c.cols);
        const got = lagrangeKeep(mag, c.L, c.cols, K, c.gap);
        const want = referenceLagrangeKeep(mag, c.L, c.cols, K, c.gap);
        // From another starting price it ends in the same place.
        for (const k of [got.keep, lagrangeKeep(mag, c.L, c.cols, K, c.gap, 0.5).keep]) {
          if (c.levels === 0) expect(Array.from(k)).toEqual(Array.from(want));
          else {
            // Equal magnitudes: another set of the same count and total may be found, as valid.
            expect(count(k)).toBe(count(want));
            expect(total(mag, k)).toBeCloseTo(total(mag, want), 9);
            expect(longestKeptGap(k, c.L, c.cols)).toBeLessThanOrEqual(c.gap);
          }
        }
        if (got.optimal) {
          optimal++;
          expect(count(got.keep)).toBe(K);
        }
      }
      if (c.levels === 0 && c.zeros === 0) expect(optimal).toBeGreaterThan(0);
    });
});
