import { describe, expect, it } from 'vitest';
import { defaultTarget, layerCycles, withParams, type MatrixLayout, type MatvecMode, type Target } from '@lstmc/target';
import { compileAccel, simulateProgram } from '../src/index.js';
import { optimize } from './pipeline.js';
import { randomModel } from './random-model.js';

/**
 * The analytical model (@lstmc/target) against the cycle simulator, per layer,
 * on the default target. The model is given only counts (expected non-zero
 * inputs), the simulator sees the actual vectors.
 */
/** A small weight SRAM, so that the layers below stream their weights in double-buffered tiles. */
const SMALL_SRAM = withParams(defaultTarget, { weightSramBytesPerPe: 2048 });
const SHAPES: { I: number; H: number; ws: number; is: number; wt: number; it: number; target?: Target }[] = [
  { I: 64, H: 64, ws: 0, is: 0, wt: 1, it: 1 },
  { I: 128, H: 64, ws: 0.9, is: 0, wt: 0.5, it: 1 },
  { I: 64, H: 128, ws: 0.7, is: 0, wt: 0.5, it: 1 },
  { I: 256, H: 128, ws: 0, is: 0.8, wt: 1, it: 0.5 },
  { I: 256, H: 64, ws: 0.9, is: 0.7, wt: 0.5, it: 0.5 },
  // streamed: dense, sparse weights, sparse weights and inputs
  { I: 64, H: 64, ws: 0, is: 0, wt: 1, it: 1, target: withParams(defaultTarget, { weightSramBytesPerPe: 1024 }) },
  { I: 256, H: 128, ws: 0.9, is: 0, wt: 0.5, it: 1, target: SMALL_SRAM },
  { I: 256, H: 128, ws: 0.7, is: 0.7, wt: 0.5, it: 0.5, target: SMALL_SRAM },
];

/** The layout of a whole matrix from its column tiles (or itself), in column order. */
function joinLayouts(parts: readonly MatrixLayout[]): MatrixLayout {
  const cols = parts.reduce((a, l) => a + l.cols, 0);
  const pes = parts[0].pes;
  const entries = new Float64Array(pes * cols);
  let c0 = 0;
  for (const l of parts) {
    for (let p = 0; p < pes; p++) for (let c = 0; c < l.cols; c++) entries[p * cols + c0 + c] = l.entriesPerPeColumn[p * l.cols + c];
    c0 += l.cols;
  }
  return { cols, pes, rowsPerPe: parts[0].rowsPerPe, entriesPerPeColumn: entries };
}

describe('cost model predicts simulated layer cycles within 5%', () => {
  for (const s of SHAPES) {
    it(`I=${s.I} H=${s.H} weight sparsity ${s.ws} input sparsity ${s.is}${s.target ? ', weights streamed in tiles' : ''}`, async () => {
      const target = s.target ?? defaultTarget;
      const T = 40;
      const { graph, inputs } = randomModel({ input: s.I, T, B: 1, seed: s.I + s.H, sparsity: s.ws, inputSparsity: s.is, layers: [{ hidden: s.H, direction: 'forward' }] });
      const test = s.it < 1 ? 'static' : 'off';
      const g = await optimize(
        graph,
        target,
        [],
        `fold,sparsity,select-mode{weight-threshold=${s.wt},input-threshold=${s.it},input-test=${test === 'static' ? 'runtime' : 'off'}},quantize{x-max=2,c-max=4}`,
      );
      const program = compileAccel(g, target);
      const sim = simulateProgram(program, new Map([['X', { dims: [T, 1, s.I], data: inputs.get('X')!.data as Float32Array }]]));
      const part = (which: string) => sim.matrices.filter((_, i) => new RegExp(`/${which}(\\[|$)`).test(program.matrices[i].name));
      const [W, R] = [part('W'), part('R')].map((ms) => ({ ...ms[0], costLayout: joinLayouts(ms.map((m) => m.costLayout)) }));
      if (s.target) expect(sim.matrices.length, 'tiles').toBeGreaterThan(2);
      const modeOf = (m: typeof W, sparseInput: boolean): MatvecMode =>
        m.layout === 'csc' ? (sparseInput ? 'sparse-both' : 'sparse-weight') : sparseInput ? 'sparse-input' : 'dense';
      const wInput = (sim.stats.cyclesByMode['sparse-input'] ?? 0) + (sim.stats.cyclesByMode['sparse-both'] ?? 0) > 0;
      const plan = {
        features: { hidden: s.H, bias: true, peephole: false, inputForget: false },
        input: s.I,
        w: { layout: W.costLayout, mode: modeOf(W, wInput) },
        r: { layout: R.costLayout, mode: modeOf(R, false) },
      };
      const predicted = layerCycles(plan, T, target, s.I * (1 - s.is));
      const simulated = sim.stats.cyclesByLayer.lstm0;
      expect(Math.abs(predicted - simulated) / simulated, `predicted ${predicted}, simulated ${simulated}`).toBeLessThan(0.05);
    });
  }
});
