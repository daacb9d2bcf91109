import { describe, expect, it } from 'vitest';
import { defaultTarget, layerCycles, withParams, type Target } from '@lstmc/target';
import { compileAccel, layerPlanOf, simulateProgram } from '../src/index.js';
import { optimize } from './pipeline.js';
import { randomModel, withSequenceLens } from './random-model.js';

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

/** Simulate one layer of the given shape over B sequences in one batch (lengths `lens`, or all T); the cost model's prediction beside. */
async function layerRun(s: (typeof SHAPES)[number], target: Target, lens: readonly number[] | null, B: number): Promise<{ predicted: number; simulated: number; tiles: number }> {
  const T = 40;
  const m = randomModel({ input: s.I, T, B, seed: s.I + s.H, sparsity: s.ws, inputSparsity: s.is, layers: [{ hidden: s.H, direction: 'forward' }] });
  const { graph, inputs } = lens ? withSequenceLens(m.graph, m.inputs, lens, false, 1) : m;
  const test = s.it < 1 ? 'runtime' : 'off';
  const g = await optimize(graph, target, [], `fold,sparsity,select-mode{weight-threshold=${s.wt},input-threshold=${s.it},input-test=${test}},quantize{x-max=2,c-max=4}`);
  const program = compileAccel(g, withParams(target, { batch: B }));
  const sim = simulateProgram(program, new Map([...inputs].map(([k, v]) => [k, { dims: v.dims, data: v.data as ArrayLike<number> }])));
  const plan = layerPlanOf(program, sim.matrices, 'lstm0', sim.stats, B);
  const predicted = layerCycles(plan, T, withParams(target, { batch: B }), s.I * (1 - s.is), undefined, lens ?? undefined);
  return { predicted, simulated: sim.stats.cyclesByLayer.lstm0, tiles: sim.matrices.length };
}

describe('cost model predicts simulated layer cycles within 5%', () => {
  for (const s of SHAPES) {
    for (const B of [1, 4, 16]) {
      it(`I=${s.I} H=${s.H} weight sparsity ${s.ws} input sparsity ${s.is}${s.target ? ', weights streamed in tiles' : ''}, batch ${B}`, async () => {
        const { predicted, simulated, tiles } = await layerRun(s, s.target ?? defaultTarget, null, B);
        if (s.target) expect(tiles, 'tiles').toBeGreaterThan(2);
        expect(Math.abs(predicted - simulated) / simulated, `predicted ${predicted}, simulated ${simulated}`).toBeLessThan(0.05);
      });
    }
  }
  const lens = [40, 7, 33, 0, 21, 40, 12, 3];
  for (const s of [SHAPES[1], SHAPES[6], SHAPES[7]]) {
    it(`I=${s.I} H=${s.H} weight sparsity ${s.ws}: a batch whose sequence lengths differ (${lens})`, async () => {
      const { predicted, simulated } = await layerRun(s, s.target ?? defaultTarget, lens, lens.length);
      expect(Math.abs(predicted - simulated) / simulated, `predicted ${predicted}, simulated ${simulated}`).toBeLessThan(0.05);
    });
  }
  for (const s of [SHAPES[1], SHAPES[4], SHAPES[7]]) {
    for (const B of [1, 4]) {
      it(`with column-pointer prefetch: I=${s.I} H=${s.H} weight sparsity ${s.ws} input sparsity ${s.is}, batch ${B}`, async () => {
        const { predicted, simulated } = await layerRun(s, withParams(s.target ?? defaultTarget, { columnPrefetch: 1 }), null, B);
        expect(Math.abs(predicted - simulated) / simulated, `predicted ${predicted}, simulated ${simulated}`).toBeLessThan(0.05);
      });
    }
  }
});
