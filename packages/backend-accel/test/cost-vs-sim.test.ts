import { describe, expect, it } from 'vitest';
import { defaultTarget, layerCycles, type MatvecMode } from '@lstmc/target';
import { compileAccel, simulateProgram } from '../src/index.js';
import { optimize } from './pipeline.js';
import { randomModel } from './random-model.js';

/**
 * The analytical model (@lstmc/target) against the cycle simulator, per layer,
 * on the default target. The model is given only counts (expected non-zero
 * inputs), the simulator sees the actual vectors.
 */
const SHAPES = [
  { I: 64, H: 64, ws: 0, is: 0, wt: 1, it: 1 },
  { I: 128, H: 64, ws: 0.9, is: 0, wt: 0.5, it: 1 },
  { I: 64, H: 128, ws: 0.7, is: 0, wt: 0.5, it: 1 },
  { I: 256, H: 128, ws: 0, is: 0.8, wt: 1, it: 0.5 },
  { I: 256, H: 64, ws: 0.9, is: 0.7, wt: 0.5, it: 0.5 },
];

describe('cost model predicts simulated layer cycles within 5%', () => {
  for (const s of SHAPES) {
    it(`I=${s.I} H=${s.H} weight sparsity ${s.ws} input sparsity ${s.is}`, async () => {
      const T = 40;
      const { graph, inputs } = randomModel({ input: s.I, T, B: 1, seed: s.I + s.H, sparsity: s.ws, inputSparsity: s.is, layers: [{ hidden: s.H, direction: 'forward' }] });
      const test = s.it < 1 ? 'static' : 'off';
      const g = await optimize(
        graph,
        defaultTarget,
        [],
        `fold,sparsity,select-mode{weight-threshold=${s.wt},input-threshold=${s.it},input-test=${test === 'static' ? 'runtime' : 'off'}},quantize{x-max=2,c-max=4}`,
      );
      const program = compileAccel(g, defaultTarget);
      const sim = simulateProgram(program, new Map([['X', { dims: [T, 1, s.I], data: inputs.get('X')!.data as Float32Array }]]));
      const [W, R] = sim.matrices;
      const modeOf = (m: typeof W, sparseInput: boolean): MatvecMode =>
        m.layout === 'csc' ? (sparseInput ? 'sparse-both' : 'sparse-weight') : sparseInput ? 'sparse-input' : 'dense';
      const wInput = (sim.stats.cyclesByMode['sparse-input'] ?? 0) + (sim.stats.cyclesByMode['sparse-both'] ?? 0) > 0;
      const plan = {
        features: { hidden: s.H, bias: true, peephole: false, inputForget: false },
        input: s.I,
        w: { layout: W.costLayout, mode: modeOf(W, wInput) },
        r: { layout: R.costLayout, mode: modeOf(R, false) },
      };
      const predicted = layerCycles(plan, T, defaultTarget, s.I * (1 - s.is));
      const simulated = sim.stats.cyclesByLayer.lstm0;
      expect(Math.abs(predicted - simulated) / simulated, `predicted ${predicted}, simulated ${simulated}`).toBeLessThan(0.05);
    });
  }
});
