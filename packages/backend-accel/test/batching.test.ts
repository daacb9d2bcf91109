import { describe, expect, it } from 'vitest';
import { defaultTarget, withParams, type Target } from '@lstmc/target';
import { makeTensor, type Graph, type Tensor } from '@lstmc/ir';
import { compileAccel, formatSimReport, readLxb, simReport, simulateProgram, writeLxb, type SimulateResult } from '../src/index.js';
import { optimize } from './pipeline.js';
import { randomModel, withSequenceLens, type ModelSpec } from './random-model.js';
import { referenceFixed } from './reference.js';

/**
 * Batching (target.batch): up to `batch` sequences step together, one vector-memory and
 * accumulator bank each, every instruction serving each active bank and every weight tile
 * loaded once for all of them. The results must stay those of runtime/src/fixed bit for bit,
 * whatever the batch and however the input's sequences fall into groups.
 */
const SMALL = withParams(defaultTarget, { pes: 4, denseLanes: 2, relIndexBits: 2, weightSramBytesPerPe: 4096 });

const CASES: { name: string; spec: Omit<ModelSpec, 'B'>; pipeline: string; target: Target }[] = [
  {
    name: 'two dense layers',
    spec: { input: 6, T: 5, seed: 1, sparsity: 0, layers: [{ hidden: 8, direction: 'forward' }, { hidden: 5, direction: 'forward' }] },
    pipeline: 'fold,sparsity,select-mode{weight-threshold=1,input-test=off}',
    target: SMALL,
  },
  {
    name: 'bidirectional then reverse, sparse weights, balanced rows',
    spec: { input: 5, T: 6, seed: 2, sparsity: 0.8, layers: [{ hidden: 7, direction: 'bidirectional' }, { hidden: 6, direction: 'reverse' }] },
    pipeline: 'fold,sparsity,select-mode{weight-threshold=0.5,input-test=off},encode{rows=balanced}',
    target: SMALL,
  },
  {
    name: 'sparse inputs decided at run time (the batch takes one branch)',
    spec: { input: 12, T: 8, seed: 3, sparsity: 0.5, inputSparsity: 0.6, layers: [{ hidden: 6, direction: 'forward' }, { hidden: 6, direction: 'bidirectional' }] },
    pipeline: 'fold,sparsity,select-mode{weight-threshold=0.9,input-threshold=0.4,input-test=runtime}',
    target: SMALL,
  },
  {
    name: 'peepholes, clip, input_forget; weights streamed',
    spec: { input: 9, T: 4, seed: 4, sparsity: 0.3, layers: [{ hidden: 10, direction: 'forward', peephole: true, clip: 0.8 }, { hidden: 4, direction: 'bidirectional', inputForget: true }] },
    pipeline: 'fold,sparsity,select-mode{weight-threshold=0.9,input-test=off}',
    target: withParams(SMALL, { weightSramBytesPerPe: 64 }),
  },
  {
    name: 'sparse weights in double-buffered tiles, run-time input test, column prefetch',
    spec: { input: 12, T: 6, seed: 6, sparsity: 0.5, inputSparsity: 0.6, layers: [{ hidden: 8, direction: 'forward' }, { hidden: 6, direction: 'bidirectional' }] },
    pipeline: 'fold,sparsity,select-mode{weight-threshold=0.3,input-threshold=0.4,input-test=runtime},encode{rows=balanced}',
    target: withParams(SMALL, { weightSramBytesPerPe: 48, columnPrefetch: 1 }),
  },
  {
    name: '90% balanced-pruned weights on a target with relIndexBits=5 and column prefetch (the PE-utilization target of the accel bench)',
    spec: { input: 24, T: 5, seed: 8, sparsity: 0, layers: [{ hidden: 40, direction: 'forward' }, { hidden: 24, direction: 'forward' }] },
    pipeline: 'fold,prune{method=balanced,sparsity=0.9},sparsity,select-mode{weight-threshold=0.5,input-test=off},encode',
    target: withParams(defaultTarget, { pes: 4, denseLanes: 2, relIndexBits: 5, columnPrefetch: 1, weightSramBytesPerPe: 512 }),
  },
  {
    name: '8-bit target',
    spec: { input: 7, T: 5, seed: 5, sparsity: 0.6, layers: [{ hidden: 9, direction: 'bidirectional' }, { hidden: 8, direction: 'forward' }] },
    pipeline: 'fold,sparsity,select-mode{weight-threshold=0.5,input-test=runtime}',
    target: withParams(defaultTarget, { pes: 8, weightBits: 8, actBits: 8, accBits: 24, lutEntries: 64 }),
  },
];

const feedOf = (inputs: Map<string, Tensor>) => new Map([...inputs].map(([k, v]) => [k, { dims: v.dims, data: v.data as ArrayLike<number> }]));

function expectReference(sim: SimulateResult, ref: Map<string, Int32Array>, keys: Iterable<string> = sim.raw.keys()): void {
  for (const k of keys) expect(Array.from(sim.raw.get(k)!.data), k).toEqual(Array.from(ref.get(k)!));
}

/** (sequences in the input, target.batch): one group, several full groups, a last short group. */
const BATCHES: [number, number][] = [[1, 1], [4, 4], [16, 16], [5, 4], [7, 16], [3, 2]];

describe('batched simulator == runtime/fixed, bit for bit', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const { graph, inputs } = randomModel({ ...c.spec, B: 16 });
      const g = await optimize(graph, c.target, [], `${c.pipeline},quantize{x-max=2,c-max=4}`);
      for (const [B, batch] of BATCHES) {
        const some = firstSequences(inputs, B);
        const ref = referenceFixed(g, c.target, some);
        const program = compileAccel(g, withParams(c.target, { batch }));
        const sim = simulateProgram(readLxb(writeLxb(program)).program, feedOf(some));
        expect(sim.sequences, `B=${B}`).toBe(B);
        expectReference(sim, ref);
      }
    });
  }
});

describe('batched fast path == cycle-exact path: outputs and every statistic', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const { graph, inputs } = randomModel({ ...c.spec, B: 5 });
      const g = await optimize(graph, c.target, [], `${c.pipeline},quantize{x-max=2,c-max=4}`);
      const program = compileAccel(g, withParams(c.target, { batch: 4 }));
      const fast = simulateProgram(program, feedOf(inputs));
      const exact = simulateProgram(program, feedOf(inputs), { exact: true });
      expect(fast.stats.usefulMacs).toBeGreaterThan(0);
      expect(fast.stats).toEqual(exact.stats);
      for (const [k, v] of exact.raw) expect(Array.from(fast.raw.get(k)!.data), k).toEqual(Array.from(v.data));
    });
  }
});

/** The first B sequences of X [T, 16, I] (layout 0). */
function firstSequences(inputs: Map<string, Tensor>, B: number): Map<string, Tensor> {
  const X = inputs.get('X')!;
  const [T, all, I] = X.dims as number[];
  const d = X.data as Float32Array;
  const out = new Float32Array(T * B * I);
  for (let s = 0; s < T; s++) out.set(d.subarray(s * all * I, (s * all + B) * I), s * B * I);
  return new Map([['X', makeTensor('f32', [T, B, I], out)]]);
}

/** A bidirectional layer with sequence_lens, h0 and c0 as graph inputs, then a reverse layer without lengths. */
async function withLengths(lens: number[], t: Target): Promise<{ g: Graph; all: Map<string, Tensor> }> {
  const m = randomModel({ input: 4, T: 6, B: lens.length, seed: 9, sparsity: 0.5, inputSparsity: 0.5, layers: [{ hidden: 5, direction: 'bidirectional' }, { hidden: 3, direction: 'reverse' }] });
  const { graph, inputs } = withSequenceLens(m.graph, m.inputs, lens, true, 3);
  const g = await optimize(graph, t, [], 'fold,sparsity,select-mode{weight-threshold=0.3,input-threshold=0.3,input-test=runtime},quantize{x-max=2,c-max=4}');
  return { g, all: inputs };
}

describe('sequence_lens differing within a batch', () => {
  const t = withParams(defaultTarget, { pes: 4, weightSramBytesPerPe: 48 });
  const lens = [6, 2, 4, 0, 5, 1, 6];
  for (const batch of [1, 2, 4, 7, 16]) {
    it(`lengths [${lens}] in batches of ${batch}: simulator == runtime/fixed, fast == exact`, async () => {
      const { g, all } = await withLengths(lens, t);
      const program = compileAccel(g, withParams(t, { batch }));
      expect(program.matrices.some((m) => m.name.includes('[')), 'weights streamed in tiles').toBe(true);
      const sim = simulateProgram(program, feedOf(all));
      // layer 0 honours the lengths; layer 1 has none, so it runs over all T steps, as the reference does
      expectReference(sim, referenceFixed(g, t, all), ['lstm0:Y', 'lstm0:Y_h', 'lstm0:Y_c']);
      expect(sim.seqLens).toEqual(lens);
      expect(simulateProgram(program, feedOf(all), { exact: true }).stats).toEqual(sim.stats);
    });
  }
});

describe('weight reuse', () => {
  it('a streamed layer loads each tile once per step for the whole batch: weight DMA and cycles per sequence fall', async () => {
    // a slow DMA engine: one sequence's products wait for the weights
    const t = withParams(defaultTarget, { pes: 8, weightSramBytesPerPe: 1024, dmaBytesPerCycle: 2 });
    const { graph, inputs } = randomModel({ input: 48, T: 5, B: 16, seed: 12, sparsity: 0.8, layers: [{ hidden: 32, direction: 'forward' }] });
    const g = await optimize(graph, t, [], 'fold,sparsity,select-mode{weight-threshold=0.5,input-test=off},quantize{x-max=2,c-max=4}');
    const run = (batch: number) => simulateProgram(compileAccel(g, withParams(t, { batch })), feedOf(inputs));
    const [one, four, all] = [run(1), run(4), run(16)];
    expect(four.stats.dmaBytesWeights * 4).toBe(one.stats.dmaBytesWeights);
    expect(all.stats.dmaBytesWeights * 16).toBe(one.stats.dmaBytesWeights);
    expect(four.stats.cycles).toBeLessThan(0.75 * one.stats.cycles);
    expect(all.stats.cycles).toBeLessThan(four.stats.cycles);
    for (const [k, v] of one.raw) expect(Array.from(all.raw.get(k)!.data), k).toEqual(Array.from(v.data));
  });
});

describe('what batching changes in a binary, and what sim reports', () => {
  it('codegen does not depend on the batch: the same code, matrices and weights, only the target differs', async () => {
    const { graph } = randomModel({ ...CASES[4].spec, B: 2 });
    const g = await optimize(graph, CASES[4].target, [], `${CASES[4].pipeline},quantize{x-max=2,c-max=4}`);
    const one = compileAccel(g, CASES[4].target);
    const many = compileAccel(g, withParams(CASES[4].target, { batch: 16 }));
    expect(many.code).toEqual(one.code);
    expect(many.matrices).toEqual(one.matrices);
    expect(many.weights).toEqual(one.weights);
    expect(many.target.batch).toBe(16);
  });

  it('sim reports the batch and cycles per sequence', async () => {
    const { graph, inputs } = randomModel({ ...CASES[1].spec, B: 5 });
    const g = await optimize(graph, CASES[1].target, [], `${CASES[1].pipeline},quantize{x-max=2,c-max=4}`);
    const program = compileAccel(g, withParams(CASES[1].target, { batch: 4 }));
    const r = simReport(program, simulateProgram(program, feedOf(inputs)));
    expect(r).toMatchObject({ sequences: 5, batch: 4 });
    expect(r.cyclesPerSequence).toBeCloseTo(r.cycles / 5, 3);
    expect(formatSimReport(r)).toMatch(new RegExp(`^cycles ${r.cycles} .* 5 sequence\\(s\\) in 2 batch\\(es\\) of up to 4: ${r.cyclesPerSequence} cycles per sequence\\n`));
  });
});
