import { describe, expect, it } from 'vitest';
import {
  breakEvenInputSparsity,
  layerBreakEvenSparsity,
  breakEvenSparsity,
  countRelCsc,
  defaultTarget,
  expectedLayout,
  expectedMatvecCycles,
  layerStepCycles,
  MATVEC_MODES,
  weightBytesPerPe,
  matvecCycles,
  matvecPeCycles,
  matvecPeCyclesByColumn,
  rowToPe,
  stepVectorOps,
  withParams,
} from '../src/index.js';

// 6x3 matrix on 2 PEs (PE0: rows 0,2,4; PE1: rows 1,3,5), worked by hand in the comments.
const M = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 2, 0, 4];
const T = withParams(defaultTarget, { pes: 2, denseLanes: 2, columnOverheadCycles: 1, sparseEntriesPerCycle: 1, relIndexBits: 2 });

describe('matrix-vector cycles, worked by hand', () => {
  const layout = countRelCsc(M, 6, 3, rowToPe(6, 2), T.relIndexBits);

  it('dense: cols * ceil(rowsOnPe / lanes) = 3 * 2', () => {
    expect(matvecCycles(layout, 'dense', T)).toBe(6);
  });
  it('sparse-weight: per column 1 overhead + entries; PE0 (1+1)+(1+0)+(1+1) = 5', () => {
    expect(Array.from(matvecPeCycles(layout, 'sparse-weight', T))).toEqual([5, 5]);
    expect(matvecCycles(layout, 'sparse-weight', T)).toBe(5);
  });
  it('sparse-input with non-zero inputs at columns 0 and 2: 2 * (2 + 1) = 6', () => {
    expect(matvecCycles(layout, 'sparse-input', T, [0, 2])).toBe(6);
  });
  it('sparse-both with columns 0 and 2: (1+1) + (1+1) = 4; only column 1: 1', () => {
    expect(matvecCycles(layout, 'sparse-both', T, [0, 2])).toBe(4);
    expect(matvecCycles(layout, 'sparse-both', T, [1])).toBe(1);
  });
  it('padding entries cost cycles: relIndexBits=1 gives PE1 (1+2)+(1+0)+(1+2) = 7', () => {
    const t1 = withParams(T, { relIndexBits: 1 });
    const l1 = countRelCsc(M, 6, 3, rowToPe(6, 2), 1);
    expect(Array.from(matvecPeCycles(l1, 'sparse-weight', t1))).toEqual([6, 7]);
    expect(matvecCycles(l1, 'sparse-weight', t1)).toBe(7);
  });
  it('two entries per cycle halve the entry part (rounded up per column)', () => {
    const t2 = withParams(T, { relIndexBits: 1, sparseEntriesPerCycle: 2 });
    const l1 = countRelCsc(M, 6, 3, rowToPe(6, 2), 1);
    // PE1 columns have 2, 0, 2 entries: (1+1)+(1+0)+(1+1)
    expect(matvecCycles(l1, 'sparse-weight', t2)).toBe(5);
  });
});

describe('batched and prefetching columns, worked by hand on the same matrix', () => {
  const layout = countRelCsc(M, 6, 3, rowToPe(6, 2), T.relIndexBits);
  const P = withParams(T, { columnPrefetch: 1 });

  it('two banks: a column starts once, its entries serve each bank: PE0 (1+2)+(1+0)+(1+2) = 7', () => {
    expect(Array.from(matvecPeCycles(layout, 'sparse-weight', T, undefined, 2))).toEqual([7, 7]);
  });
  it('zero-skipping, per column the banks that have a non-zero there: columns 0, 2 by 2 and 1 banks: (1+2)+(1+1) = 5', () => {
    expect(Array.from(matvecPeCyclesByColumn(layout, 'sparse-both', T, [2, 0, 1]))).toEqual([5, 5]);
    expect(matvecCycles(layout, 'sparse-both', T, [0, 2], 2)).toBe(6);
  });
  it('prefetch: a column costs max(1, entries), plus min(1, last work) for the first start: 1+1+1 + 1 = 4; two banks 2+1+2 + 1 = 6', () => {
    expect(Array.from(matvecPeCycles(layout, 'sparse-weight', P))).toEqual([4, 4]);
    expect(Array.from(matvecPeCycles(layout, 'sparse-weight', P, undefined, 2))).toEqual([6, 6]);
  });
  it('an expected count over banks: each column counts its expected number of banks (binomial)', () => {
    // q = 1.5/3 per bank: P(0 banks) = 1/4, P(1) = 1/2, P(2) = 1/4; PE0 column 0: 1/2 (1+1) + 1/4 (1+2) = 1.75
    const pe0 = 1.75 + 0.75 + 1.75;
    expect(matvecPeCycles(layout, 'sparse-both', T, 1.5, 2)[0]).toBeCloseTo(pe0, 12);
  });
  it('a layer step of a batch: vector work, scans and activation transfers per bank, weights once', () => {
    const plan = { features: { hidden: 8, bias: true, peephole: false, inputForget: false }, input: 8, w: { layout: countRelCsc(new Array(256).fill(1), 32, 8, rowToPe(32, 2), 2), mode: 'dense' as const }, r: { layout: countRelCsc(new Array(256).fill(1), 32, 8, rowToPe(32, 2), 2), mode: 'dense' as const } };
    const one = layerStepCycles(plan, T);
    const four = layerStepCycles({ ...plan, banks: 4 }, T);
    expect(four.vector).toBe(4 * one.vector);
    expect(four.matvecW).toBe(4 * one.matvecW);
    expect(four.dma).toBe(one.dma);
  });
});

describe('cost model on the default target', () => {
  const t = defaultTarget;
  const R = { rows: 2048, cols: 512 }; // H = 512

  it('dense R of H=512: 512 columns * ceil(64 rows / 4 lanes) = 8192 cycles, no streaming (64 KiB fits)', () => {
    expect(expectedMatvecCycles(R, 'dense', 0, 0, t)).toBe(8192);
  });

  it('sparse cost falls with weight sparsity, skipping cost falls with input sparsity, dense is flat', () => {
    let prev = Infinity;
    for (let s = 0; s <= 0.95; s += 0.05) {
      const c = expectedMatvecCycles(R, 'sparse-weight', s, 0, t);
      expect(c).toBeLessThanOrEqual(prev);
      prev = c;
      expect(expectedMatvecCycles(R, 'dense', s, 0, t)).toBe(8192);
    }
    prev = Infinity;
    for (let s = 0; s <= 0.9; s += 0.05) {
      const c = expectedMatvecCycles(R, 'sparse-input', 0, s, t);
      expect(c).toBeLessThanOrEqual(prev);
      prev = c;
    }
  });

  it('break-even weight sparsity of R: 1 + 64d + pad(d) <= 16 first holds near d = 0.233', () => {
    // 64 * 0.23 = 14.72 plus ~0.17 padding entries < 15; 64 * 0.235 = 15.04 > 15
    const s = breakEvenSparsity(R, t);
    expect(s).toBeGreaterThanOrEqual(0.765);
    expect(s).toBeLessThanOrEqual(0.771);
  });

  it('more lanes make dense harder to beat; more column overhead too', () => {
    const base = breakEvenSparsity(R, t);
    expect(breakEvenSparsity(R, withParams(t, { denseLanes: 8 }))).toBeGreaterThan(base);
    expect(breakEvenSparsity(R, withParams(t, { columnOverheadCycles: 4 }))).toBeGreaterThan(base);
    expect(breakEvenSparsity(R, withParams(t, { sparseEntriesPerCycle: 4 }))).toBeLessThan(base);
  });

  it('sparse never wins when a column start costs more than a dense column', () => {
    // 1 row per PE: dense column = 1 cycle, sparse column >= 2 cycles
    expect(breakEvenSparsity({ rows: 32, cols: 64 }, t)).toBe(Number.POSITIVE_INFINITY);
  });

  it('streaming makes dense weights of W for I=256/H=512 on a 16 KiB SRAM expensive', () => {
    const small = withParams(t, { weightSramBytesPerPe: 16384 });
    const W = { rows: 2048, cols: 256 };
    // 64 rows * 256 cols * 2 bytes = 32 KiB per PE > 16 KiB: all 1 MiB streams at 16 B/cycle
    expect(expectedMatvecCycles(W, 'dense', 0, 0, small)).toBe(256 * 16 + 65536);
    expect(breakEvenSparsity(W, small)).toBeLessThan(breakEvenSparsity(W, t));
  });

  it('break-even input sparsity for dense weights: scan + nz*(16+1) <= 512*16', () => {
    // scan = 512/32 = 16 cycles; 16 + 17*512*(1-s) < 8192  =>  s > 0.06066
    const s = breakEvenInputSparsity(R, t, false);
    expect(s).toBeGreaterThanOrEqual(0.0606);
    expect(s).toBeLessThanOrEqual(0.0615);
  });
});

describe('layer step cost', () => {
  it('counts the vector ops of a plain LSTM step: 3H sigmoid, 2 tanh, cell update, 1 mul, bias', () => {
    const ops = stepVectorOps({ hidden: 8, bias: true, peephole: false, inputForget: false });
    expect(ops.map((o) => `${o.op}:${o.n}`)).toEqual(['bias:32', 'sigmoid:24', 'tanh:8', 'cell:8', 'tanh:8', 'mul:8']);
  });

  it('adds up scan, both products, vector ops and streaming', () => {
    const t = withParams(defaultTarget, { pes: 2, denseLanes: 2 });
    const H = 1;
    const layout = countRelCsc([1, 1, 1, 1], 4, 1, rowToPe(4, 2), 4); // 4H x 1
    const plan = {
      features: { hidden: H, bias: true, peephole: false, inputForget: false },
      input: 1,
      w: { layout, mode: 'sparse-input' as const },
      r: { layout, mode: 'dense' as const },
    };
    const c = layerStepCycles(plan, t, [0]);
    // scan ceil(1/2)=1; W: 1 column * (ceil(2/2) + 1); R: 1 * 1; vector ops: bias 4/2 + sigmoid ceil(3/2) + tanh, cell (2 passes), tanh, mul on 1 element
    // io: x (1 word) and h (1 word) at 16 bits, 2 bytes each at 16 B/cycle: 1 + 1; control: 4
    expect(c).toEqual({ scan: 1, matvecW: 2, matvecR: 1, vector: 9, dma: 0, io: 2, control: 4, total: 19 });
  });
});

describe('layer break-even (W and R share the weight SRAM)', () => {
  it('I=256/H=512 on the default target: dense streams 96 KiB per PE every step, so sparse wins from ~0.21-0.25', () => {
    // dense: 64 rows x 768 cols x 2 B = 96 KiB > 64 KiB per PE -> 3 MiB streamed per step (196,608 DMA
    // cycles); double-buffered, the 768 * 16 compute cycles hide under it. Sparse at density d streams
    // 32 * (64*768*d*2.5 + 1536) B = 245,760 d + 3,072 cycles, also DMA-bound (compute 768 * (1 + 64 d)):
    // equal to dense at d = 0.787 (s = 0.213); from there on the sparse layer is cheaper except
    // where its tile count steps up, so the sparsity from which it stays cheaper is a little higher.
    const s = layerBreakEvenSparsity(256, 512, defaultTarget);
    expect(s).toBeGreaterThan(0.21);
    expect(s).toBeLessThan(0.27);
    expect(breakEvenSparsity({ rows: 2048, cols: 512 }, defaultTarget)).toBeGreaterThan(0.76);
  });
  it('equals the per-matrix answer when everything fits on chip', () => {
    const big = withParams(defaultTarget, { weightSramBytesPerPe: 2 ** 24 });
    expect(Math.abs(layerBreakEvenSparsity(512, 512, big) - breakEvenSparsity({ rows: 2048, cols: 512 }, big))).toBeLessThan(0.02);
  });
});

describe('samePeAs (expected layouts): costs computed once per class of equal PEs', () => {
  // Rows that do not divide evenly over the PEs give two classes; prefetch, banks and streaming too.
  const targets = [defaultTarget, withParams(defaultTarget, { pes: 12, columnPrefetch: 1 }), withParams(defaultTarget, { pes: 7, weightSramBytesPerPe: 2048 })];
  for (const [k, t] of targets.entries())
    it(`gives the same cycles and bytes as the PE-by-PE sums (target ${k})`, () => {
      for (const [rows, cols, s] of [[100, 37, 0.9], [4 * 52, 90, 0.6], [64, 64, 0]] as const) {
        const l = expectedLayout({ rows, cols }, s, t);
        expect(l.samePeAs).toBeDefined();
        const { samePeAs: _, ...plain } = l;
        for (const mode of MATVEC_MODES) {
          for (const input of [undefined, cols / 3, [0, 3, 5]] as const)
            for (const banks of [1, 4]) expect(Array.from(matvecPeCycles(l, mode, t, input, banks))).toEqual(Array.from(matvecPeCycles(plain, mode, t, input, banks)));
          for (const sparse of [false, true]) expect(Array.from(weightBytesPerPe(l, sparse, t, 2, cols - 1))).toEqual(Array.from(weightBytesPerPe(plain, sparse, t, 2, cols - 1)));
        }
        const plan = (layout: typeof l) => ({
          features: { hidden: rows / 4, bias: true, peephole: false, inputForget: false },
          input: cols,
          w: { layout, mode: 'sparse-weight' as const },
          r: { layout, mode: 'sparse-both' as const },
        });
        if (rows % 4 === 0) expect(layerStepCycles(plan(l), t, cols / 2, cols / 4)).toEqual(layerStepCycles(plan(plain), t, cols / 2, cols / 4));
      }
    });
});
