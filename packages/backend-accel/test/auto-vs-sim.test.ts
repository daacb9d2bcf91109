import { describe, expect, it } from 'vitest';
import type { Graph } from '@lstmc/ir';
import { ANN, getStrings, patchNodes, stringsAttr } from '@lstmc/passes';
import { defaultTarget, type MatvecMode } from '@lstmc/target';
import { compileAccel, simulateProgram } from '../src/index.js';
import { optimize } from './pipeline.js';
import { randomModel } from './random-model.js';

/**
 * select-mode{weight-threshold=auto} against the simulator: for one layer
 * I=256, H=512 on the default target, load-balance pruned to a weight
 * sparsity, the weight layouts auto picks for W and R are the ones with the
 * fewest simulated cycles per step among the four dense/sparse combinations.
 * Steady-state cycles of a step: cycles(T=2) - cycles(T=1) (the prologue's
 * one-time weight load cancels).
 */
const I = 256;
const H = 512;
const t = defaultTarget;

function withModes(g: Graph, w: MatvecMode, r: MatvecMode): Graph {
  const n = g.nodes.find((x) => x.op === 'LSTM')!;
  return patchNodes(g, new Map([[n, { [ANN.modeW]: stringsAttr([w]), [ANN.modeR]: stringsAttr([r]) }]]));
}

function stepCycles(g: Graph, x: Float32Array): number {
  const p = compileAccel(g, t);
  const run = (T: number) => simulateProgram(p, new Map([['X', { dims: [T, 1, I], data: x.slice(0, T * I) }]])).stats.cycles;
  return run(2) - run(1);
}

describe('auto weight layouts are the simulator argmin (I=256, H=512, default target)', () => {
  const { graph, inputs } = randomModel({ input: I, T: 2, B: 1, seed: 3, sparsity: 0, layers: [{ hidden: H, direction: 'forward' }] });
  const x = inputs.get('X')!.data as Float32Array;
  for (const [ws, expected] of [
    [0.1, 'dense/dense'],
    [0.4, 'sparse/sparse'],
    [0.7, 'dense/sparse'],
    [0.9, 'sparse/sparse'],
  ] as const) {
    it(`weight sparsity ${ws}: auto picks ${expected}`, async () => {
      const pruned = await optimize(graph, t, [], `prune{method=balanced,sparsity=${ws}},sparsity,select-mode{input-test=off},quantize{x-max=2,c-max=4}`);
      const n = pruned.nodes.find((m) => m.op === 'LSTM')!;
      const auto = `${getStrings(n, ANN.modeW)![0] === 'sparse-weight' ? 'sparse' : 'dense'}/${getStrings(n, ANN.modeR)![0] === 'sparse-weight' ? 'sparse' : 'dense'}`;
      expect(auto).toBe(expected);
      const sims = new Map<string, number>();
      for (const w of ['dense', 'sparse-weight'] as const)
        for (const r of ['dense', 'sparse-weight'] as const) sims.set(`${w === 'dense' ? 'dense' : 'sparse'}/${r === 'dense' ? 'dense' : 'sparse'}`, stepCycles(withModes(pruned, w, r), x));
      const best = [...sims].reduce((b, e) => (e[1] < b[1] ? e : b));
      expect(best[0], JSON.stringify(Object.fromEntries(sims))).toBe(auto);
    }, 60_000);
  }
});
