import { describe, expect, it } from 'vitest';
import { type Tensor, isDiagnosticError, makeTensor } from '@lstmc/ir';
import { bestWeightLayouts, defaultTarget, expectedLayoutStepCycles, expectedMatvecCycles, layerWeightThreshold, withParams } from '@lstmc/target';
import { ANN, autoInputThreshold, autoWeightThresholds, builtinRegistry, decideRuntime, decideStatic, getFloats, getStrings, parsePipeline, runPipeline } from '../src/index.js';
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

  it('auto input thresholds are the cost-model break-even points', () => {
    for (const shape of [{ rows: 2048, cols: 256 }, { rows: 1024, cols: 512 }, { rows: 512, cols: 64 }]) {
      const t = defaultTarget;
      const dense = expectedMatvecCycles(shape, 'dense', 0, 0, t);
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
  });
});

describe('auto weight thresholds: the whole layer step (W and R share the weight SRAM)', () => {
  const t = defaultTarget;
  const layer = (ws: number, wsR = ws) => ({ input: 256, hidden: 512, weightSparsityW: ws, weightSparsityR: wsR, inputSparsityW: 0, inputSparsityR: 0 });

  // Worked by hand for I=256, H=512 on the default target (32 PEs, 64 rows each; 4 lanes; 16-bit
  // weights + 4-bit relative index = 2.5 bytes per entry; 64 KiB SRAM; 16 bytes/cycle DMA).
  // Per step besides the products: vector ops 2048/32 + 1536/32 + 4 * 512/32 + 512/32 = 192,
  // x and h transfers 512/16 + 1024/16 = 96, control 4 (+4 when streaming): 292 (296).
  it('dense W and R (96 KiB per PE) stream every step, double-buffered: 196608 + 96 = 196704', () => {
    // 64 rows * (256 + 512) cols * 2 bytes = 98304 B per PE > 65536; 32 PEs * 98304 / 16 = 196608 DMA cycles.
    // The products (256 * ceil(64/4) + 512 * ceil(64/4) = 12288) and the vector ops hide under the tile
    // transfers; the x load and h store (32 + 64) queue on the same DMA engine.
    expect(expectedLayoutStepCycles(layer(0.4), { sparseW: false, sparseR: false }, t).cycles).toBe(196704);
  });

  it('at 0.4 sparse W and R are cheaper although they still stream; at 0.1 dense is', () => {
    // 0.4: 38.4 entries per PE column (padding ~1e-5: a 16-zero gap has probability 0.4^16).
    // W: ceil(9830.4) entries * 2.5 B + 2 * 256 = 25090 B; R: ceil(19660.8) * 2.5 + 2 * 512 = 50177 B;
    // together 75267 B > 65536: streamed in tiles (W in 1, R in 3), 75267 * 32 / 16 = 150534 DMA cycles
    // (+12 from rounding each tile to whole bytes), plus x and h 96: 150642 < 196704; the products
    // (10087 + 20173) hide under the DMA.
    const c = bestWeightLayouts(layer(0.4), t);
    expect(c.costs[3].cycles).toBe(150642);
    expect([c.sparseW, c.sparseR]).toEqual([true, true]);
    // 0.1: 57.6 entries per column make 2.5 B entries cost more bytes than 2 B dense weights.
    const d = bestWeightLayouts(layer(0.1), t);
    expect([d.sparseW, d.sparseR]).toEqual([false, false]);
  });

  it('thresholds where each layout flips given the other: 0.213 while streaming, 0.769 once both fit', () => {
    // Streaming is DMA-bound, so given sparse R at 0.4 sparse W pays once its bytes drop below dense W's:
    // 640 e + 512 < 32768 <=> e < 50.4 = 64 d <=> d < 0.7875: sparsity > 0.2125, grid 0.213. R is symmetric
    // (1280 e + 1024 < 65536).
    expect(autoWeightThresholds(layer(0.4), t).thresholds).toEqual({ W: 0.213, R: 0.213 });
    // At 0.7 both fit (dense W 32768 B + sparse R 25662 B): dense W costs 256 * 16 = 4096, sparse W
    // 256 * (1 + 64 d + pad(d)); ceil(...) < 4096 first holds at d = 0.231 (pad 0.168 entries): 0.769.
    const a = autoWeightThresholds(layer(0.7), t);
    expect([a.choice.sparseW, a.choice.sparseR]).toEqual([false, true]);
    expect(a.thresholds.W).toBe(0.769);
    // Dense W + sparse R at 0.7: 4096 + ceil(512 * 20.248) + 292 = 14755; sparse W adds 1088 cycles.
    expect(a.choice.cycles).toBe(14755);
    expect(a.choice.costs[3].cycles).toBe(15843);
  });

  it('the rule applied with the thresholds reproduces the cheapest combination; bisection = linear scan', () => {
    let seed = 11;
    const r = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let k = 0; k < 10; k++) {
      const tt = withParams(defaultTarget, {
        pes: 2 + Math.floor(r() * 16),
        denseLanes: 1 + Math.floor(r() * 8),
        columnOverheadCycles: Math.floor(r() * 3),
        weightSramBytesPerPe: 1024 + Math.floor(r() * 16384),
      });
      const l = { input: 8 + Math.floor(r() * 120), hidden: 8 + Math.floor(r() * 60), weightSparsityW: Math.round(r() * 1000) / 1000, weightSparsityR: Math.round(r() * 1000) / 1000, inputSparsityW: 0, inputSparsityR: 0 };
      const a = autoWeightThresholds(l, tt);
      expect([l.weightSparsityW >= a.thresholds.W, l.weightSparsityR >= a.thresholds.R]).toEqual([a.choice.sparseW, a.choice.sparseR]);
      const min = Math.min(...a.choice.costs.map((c) => c.cycles));
      expect(a.choice.cycles).toBe(min);
      for (const m of ['W', 'R'] as const) {
        const other = m === 'W' ? a.choice.sparseR : a.choice.sparseW;
        const at = (s: number, sparse: boolean) =>
          expectedLayoutStepCycles(m === 'W' ? { ...l, weightSparsityW: s } : { ...l, weightSparsityR: s }, m === 'W' ? { sparseW: sparse, sparseR: other } : { sparseW: other, sparseR: sparse }, tt).cycles;
        const dense = at(0, false);
        let linear = Infinity;
        for (let g = 1000; g >= 0 && at(g / 1000, true) < dense; g -= 1) linear = g / 1000;
        expect(layerWeightThreshold(l, m, other, tt)).toBe(linear);
      }
    }
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
    // 64 rows per PE, nothing streams (dense W 8 KiB + R 4 KiB per PE): W sparse once
    // ceil(64 (1 + 64 d + pad(d))) < 64 * 16 (d <= 0.231, pad 0.168), R once ceil(32 (1 + ...)) < 32 * 16: both 0.769.
    expect(getFloats(n, ANN.modeWeightThresholdW)).toEqual([0.769]);
    expect(getFloats(n, ANN.modeWeightThresholdR)).toEqual([0.769]);
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
