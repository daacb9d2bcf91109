import { describe, expect, it } from 'vitest';
import { type Tensor, isDiagnosticError, makeTensor } from '@lstmc/ir';
import { defaultTarget, expectedMatvecCycles, withParams } from '@lstmc/target';
import { ANN, autoInputThreshold, autoWeightThreshold, builtinRegistry, decideRuntime, decideStatic, getFloats, getStrings, parsePipeline, runPipeline } from '../src/index.js';
import { calibrationX, lstmGraph } from './helpers/graphs.js';

describe('the mode rule', () => {
  it('follows the patent: sparse when weight >= wt and/or input >= it', () => {
    const cases: [number, number, 'and' | 'or', string][] = [
      [0.9, 0.9, 'or', 'sparse-both'],
      [0.9, 0.1, 'or', 'sparse-weight'],
      [0.1, 0.9, 'or', 'sparse-input'],
      [0.1, 0.1, 'or', 'dense'],
      [0.9, 0.9, 'and', 'sparse-both'],
      [0.9, 0.1, 'and', 'dense'],
      [0.1, 0.9, 'and', 'dense'],
      [0.5, 0.5, 'and', 'sparse-both'], // >= is inclusive
    ];
    for (const [ws, is, combine, mode] of cases) expect(decideStatic(ws, 0.5, is, 0.5, combine).mode).toBe(mode);
    expect(decideStatic(0.9, 0.5, undefined, 0.5, 'and').mode).toBe('sparse-weight');
  });

  it('defers the input test to run time with a zero-count threshold', () => {
    expect(decideRuntime(0.9, 0.5, 0.25, 100, 'or')).toEqual({ kind: 'runtime', low: 'sparse-weight', high: 'sparse-both', zeroCount: 25 });
    expect(decideRuntime(0.1, 0.5, 0.25, 10, 'or')).toEqual({ kind: 'runtime', low: 'dense', high: 'sparse-input', zeroCount: 3 });
    expect(decideRuntime(0.9, 0.5, 0.25, 10, 'and')).toEqual({ kind: 'runtime', low: 'dense', high: 'sparse-both', zeroCount: 3 });
    expect(decideRuntime(0.1, 0.5, 0.25, 10, 'and')).toEqual({ kind: 'static', mode: 'dense' });
    expect(decideRuntime(0.1, 0.5, Infinity, 10, 'or')).toEqual({ kind: 'static', mode: 'dense' });
  });

  it('auto thresholds are the cost-model break-even points', () => {
    for (const shape of [{ rows: 2048, cols: 256 }, { rows: 1024, cols: 512 }, { rows: 512, cols: 64 }]) {
      const t = defaultTarget;
      const wt = autoWeightThreshold(shape, t);
      expect(wt).toBeGreaterThan(0);
      expect(wt).toBeLessThan(1);
      const dense = expectedMatvecCycles(shape, 'dense', 0, 0, t);
      expect(expectedMatvecCycles(shape, 'sparse-weight', Math.min(1, wt + 0.001), 0, t)).toBeLessThan(dense);
      expect(expectedMatvecCycles(shape, 'sparse-weight', wt - 0.002, 0, t)).toBeGreaterThanOrEqual(dense);
      const it = autoInputThreshold(shape, t, 0, 'dense', 'sparse-input');
      expect(expectedMatvecCycles(shape, 'sparse-input', 0, Math.min(1, it + 0.001), t)).toBeLessThan(dense);
      expect(expectedMatvecCycles(shape, 'sparse-input', 0, it - 0.002, t)).toBeGreaterThanOrEqual(dense);
    }
    // Bisection finds what a linear scan of the grid finds.
    let seed = 5;
    const r = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let k = 0; k < 12; k++) {
      const shape = { rows: 64 + Math.floor(r() * 1000), cols: 8 + Math.floor(r() * 300) };
      const t = withParams(defaultTarget, { pes: 1 + Math.floor(r() * 40), denseLanes: 1 + Math.floor(r() * 8), columnOverheadCycles: Math.floor(r() * 3) });
      const ws = r();
      for (const [low, high] of [['dense', 'sparse-input'], ['sparse-weight', 'sparse-both'], ['dense', 'sparse-both']] as const) {
        let linear = Infinity;
        for (let g = 1000; g >= 0 && expectedMatvecCycles(shape, high, ws, g / 1000, t) < expectedMatvecCycles(shape, low, ws, g / 1000, t); g--) linear = g / 1000;
        expect(autoInputThreshold(shape, t, ws, low, high)).toBe(linear);
      }
    }
    // 2 rows per PE: a dense column takes one cycle, a sparse column never less.
    expect(autoWeightThreshold({ rows: 64, cols: 16 }, defaultTarget)).toBe(Infinity);
  });
});

describe('select-mode pass', () => {
  const reg = builtinRegistry();

  it('needs weight sparsity first (E-PIPE-REQUIREMENT at the pass position)', async () => {
    const g = lstmGraph({ input: 8, hidden: 4 });
    try {
      await runPipeline(g, parsePipeline('fold,\n  select-mode', reg));
      expect.unreachable();
    } catch (e) {
      expect(isDiagnosticError(e) && e.diagnostic).toMatchObject({ code: 'E-PIPE-REQUIREMENT', loc: { line: 2, column: 3 } });
      expect((e as Error).message).toContain("requires 'weight-sparsity' (established by sparsity)");
    }
    await expect(runPipeline(g, parsePipeline('sparsity,select-mode{input-test=static}', reg))).rejects.toMatchObject({ code: 'E-PIPE-REQUIREMENT' });
    await expect(runPipeline(g, parsePipeline('sparsity,prune,select-mode', reg))).rejects.toMatchObject({ code: 'E-PIPE-REQUIREMENT' });
  });

  it('chooses sparse weights for a heavily pruned W and dense for an unpruned R (auto)', async () => {
    const g = lstmGraph({ input: 64, hidden: 32 });
    const target = withParams(defaultTarget, { pes: 2 });
    const run = await runPipeline(g, parsePipeline('prune{w-sparsity=0.95,r-sparsity=0},sparsity,select-mode{input-test=off}', reg), { target });
    const n = run.graph.nodes[0];
    expect(getStrings(n, ANN.modeW)).toEqual(['sparse-weight']);
    expect(getStrings(n, ANN.modeR)).toEqual(['dense']);
    const wt = getFloats(n, ANN.modeWeightThresholdW)![0];
    expect(wt).toBe(autoWeightThreshold({ rows: 128, cols: 64 }, target));
    expect(wt).toBeLessThan(0.95);
    expect(run.results[2].counters).toEqual({ dense: 1, sparse: 1, runtime: 0 });
    expect(run.results[2].reports[0].rows).toHaveLength(2);
  });

  it('uses given thresholds and the static input test from calibration', async () => {
    const g = lstmGraph({ input: 16, hidden: 8, seq: 6, batch: 2 });
    const calibration = [calibrationX(6, 2, 16, 11, 0.7), calibrationX(6, 2, 16, 12, 0.7)];
    const run = await runPipeline(
      g,
      parsePipeline('sparsity{input=calibration},select-mode{weight-threshold=0.5,input-threshold=0.5,input-test=static,combine=or}', reg),
      { calibration, evaluate: async (_g, s, wanted) => traceStub(s, wanted) },
    );
    const n = run.graph.nodes[0];
    const xs = getFloats(n, ANN.inputSparsityW)![0];
    expect(xs).toBeGreaterThan(0.6);
    expect(xs).toBeLessThan(0.8);
    expect(getStrings(n, ANN.modeW)).toEqual(['sparse-input']);
    // h_(t-1): the zero initial state is 1 of 6 steps, outputs are never exactly 0.
    expect(getFloats(n, ANN.inputSparsityR)![0]).toBeCloseTo(1 / 6, 5);
    expect(getStrings(n, ANN.modeR)).toEqual(['dense']);
  });

  it('records run-time branches with zero counts', async () => {
    const g = lstmGraph({ input: 64, hidden: 32 });
    const t = withParams(defaultTarget, { pes: 8 });
    const run = await runPipeline(g, parsePipeline('prune{sparsity=0.9},sparsity,select-mode{input-threshold=0.4}', reg), { target: t });
    const n = run.graph.nodes[0];
    expect(getStrings(n, ANN.modeW)).toEqual(['sparse-weight']);
    expect(getStrings(n, ANN.modeWRuntime)).toEqual(['sparse-both']);
    expect(n.attrs[ANN.modeWZeroCount]).toEqual({ kind: 'ints', value: [Math.ceil(0.4 * 64)] });
    expect(run.results[2].counters.runtime).toBe(2);
  });
});

/** Graph inputs from the sample; the LSTM's Y as non-zero values of the right shape (never exactly zero, as real outputs). */
function traceStub(s: ReadonlyMap<string, Tensor>, wanted: readonly string[]): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const w of wanted) {
    const v = s.get(w);
    if (v) out.set(w, v);
    else out.set(w, makeTensor('f32', [6, 1, 2, 8], new Float32Array(96).fill(0.25)));
  }
  return out;
}
