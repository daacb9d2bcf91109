/**
 * Measured CPU time of one LSTM layer on the JS runtime, against weight
 * sparsity: a layer of the given sizes with seeded random weights,
 * magnitude-pruned to each sparsity (the same weights for both kernels), lowered once with dense weights
 * (`lstm.dense.f32`) and once compressed (`lstm.sparse.f32`), each timed over
 * `steps` time steps (median of `repeats` runs, after two warm-up runs).
 */
import { inferTypes, makeGraph, makeNode, makeTensor, tensorType, type Graph, type ValueInfo } from '@lstmc/ir';
import { ANN, patchNodes, stringsAttr } from '@lstmc/passes';
import { lowerToRuntime } from '@lstmc/backend-js';
import { createModel } from '@lstmc/runtime';
import type { CpuPoint } from './report-data.js';

export interface CpuMeasureOptions {
  readonly steps: number;
  readonly repeats: number;
  readonly sparsities: readonly number[];
}

/** Uniform numbers in [-1, 1) from a 32-bit LCG: the same layer every run. */
function seeded(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/**
 * The layer's W and R pruned to `sparsity` by magnitude: entries at or below
 * the k-th smallest |w| become zero (k = round(sparsity * n); the seeded
 * weights have no ties). `sortedAbs` is |w| sorted ascending, computed once
 * for all sparsities.
 */
function pruned(w: Float32Array, sortedAbs: Float32Array, sparsity: number): Float32Array {
  const k = Math.round(sparsity * w.length);
  if (k === 0) return w;
  const cut = sortedAbs[k - 1];
  return w.map((x) => (Math.abs(x) <= cut ? 0 : x));
}

function layerGraph(input: number, hidden: number, steps: number, W: Float32Array, R: Float32Array, mode: 'dense' | 'sparse-weight'): Graph {
  const B = seeded(8 * hidden, 3);
  const inits = new Map([
    ['W', makeTensor('f32', [1, 4 * hidden, input], W)],
    ['R', makeTensor('f32', [1, 4 * hidden, hidden], R)],
    ['B', makeTensor('f32', [1, 8 * hidden], B)],
  ]);
  const lstm = makeNode({ op: 'LSTM', name: 'layer', inputs: ['X', 'W', 'R', 'B'], outputs: ['Y'], attrs: { hidden_size: { kind: 'int', value: hidden } } });
  const g = inferTypes(
    makeGraph({
      opsets: { '': 14 },
      inputs: ['X'],
      outputs: ['Y'],
      initializers: inits,
      values: new Map([['X', { name: 'X', type: tensorType('f32', [steps, 1, input]) }], ...[...inits].map(([k, t]): [string, ValueInfo] => [k, { name: k, type: tensorType('f32', t.dims) }])]),
      nodes: [lstm],
    }),
  );
  return patchNodes(g, new Map([[g.nodes[0], { [ANN.modeW]: stringsAttr([mode]), [ANN.modeR]: stringsAttr([mode]) }]]));
}

function timeUs(g: Graph, input: number, steps: number, repeats: number): number {
  const model = createModel(lowerToRuntime(g, { verify: false }));
  const x = { X: { dtype: 'f32' as const, shape: [steps, 1, input], data: seeded(steps * input, 4) } };
  // Warm-up: the first runs compile the kernels' WebAssembly and JIT the executor.
  model.run(x);
  model.run(x);
  const times: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    model.run(x);
    times.push(((performance.now() - t0) * 1000) / steps);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export function measureCpu(input: number, hidden: number, o: CpuMeasureOptions): CpuPoint[] {
  const W = seeded(4 * hidden * input, 1);
  const R = seeded(4 * hidden * hidden, 2);
  const absSorted = (a: Float32Array) => a.map(Math.abs).sort();
  const [sw, sr] = [absSorted(W), absSorted(R)];
  return o.sparsities.map((s) => {
    const [w, r] = [pruned(W, sw, s), pruned(R, sr, s)];
    return {
      sparsity: s,
      denseUs: timeUs(layerGraph(input, hidden, o.steps, w, r, 'dense'), input, o.steps, o.repeats),
      sparseUs: timeUs(layerGraph(input, hidden, o.steps, w, r, 'sparse-weight'), input, o.steps, o.repeats),
    };
  });
}
