import { describe, expect, it } from 'vitest';
import { defaultTarget, withParams } from '@lstmc/target';
import { isDiagnosticError } from '@lstmc/ir';
import { compileAccel, readLxb, simulateProgram, writeLxb } from '../src/index.js';
import { optimize } from './pipeline.js';
import { randomModel, withSequenceLens, type ModelSpec } from './random-model.js';
import { referenceFixed } from './reference.js';

const SMALL = withParams(defaultTarget, { pes: 4, denseLanes: 2, relIndexBits: 2, weightSramBytesPerPe: 4096 });
const INT8 = withParams(defaultTarget, { pes: 8, weightBits: 8, actBits: 8, accBits: 24, lutEntries: 64 });

interface Expect { modes: string[]; branches?: boolean; streaming?: boolean }
const CASES: { name: string; spec: ModelSpec; pipeline: string; target: typeof defaultTarget; expect: Expect }[] = [
  {
    name: '2 layers, dense',
    spec: { input: 6, T: 5, B: 2, seed: 1, sparsity: 0, layers: [{ hidden: 8, direction: 'forward' }, { hidden: 5, direction: 'forward' }] },
    pipeline: 'fold,sparsity,select-mode{weight-threshold=1,input-test=off}',
    target: SMALL,
    expect: { modes: ['dense'] },
  },
  {
    name: 'bidirectional then reverse, sparse weights, balanced rows',
    spec: { input: 5, T: 6, B: 3, seed: 2, sparsity: 0.8, layers: [{ hidden: 7, direction: 'bidirectional' }, { hidden: 6, direction: 'reverse' }] },
    pipeline: 'fold,sparsity,select-mode{weight-threshold=0.5,input-test=off},encode{rows=balanced}',
    target: SMALL,
    expect: { modes: ['sparse-weight'] },
  },
  {
    name: 'sparse inputs decided at run time (zero-count branch)',
    spec: { input: 12, T: 8, B: 2, seed: 3, sparsity: 0.5, inputSparsity: 0.6, layers: [{ hidden: 6, direction: 'forward' }, { hidden: 6, direction: 'bidirectional' }] },
    pipeline: 'fold,sparsity,select-mode{weight-threshold=0.9,input-threshold=0.4,input-test=runtime}',
    target: SMALL,
    expect: { modes: ['dense', 'sparse-input'], branches: true },
  },
  {
    name: 'peepholes, clip, input_forget; weights streamed every step',
    spec: {
      input: 9, T: 4, B: 2, seed: 4, sparsity: 0.3,
      layers: [{ hidden: 10, direction: 'forward', peephole: true, clip: 0.8 }, { hidden: 4, direction: 'bidirectional', inputForget: true }],
    },
    pipeline: 'fold,sparsity,select-mode{weight-threshold=0.9,input-test=off}',
    target: withParams(SMALL, { weightSramBytesPerPe: 64 }),
    expect: { modes: ['dense'], streaming: true },
  },
  {
    name: 'sparse weights streamed in double-buffered tiles, run-time input test',
    spec: { input: 12, T: 6, B: 2, seed: 6, sparsity: 0.5, inputSparsity: 0.6, layers: [{ hidden: 8, direction: 'forward' }, { hidden: 6, direction: 'bidirectional' }] },
    pipeline: 'fold,sparsity,select-mode{weight-threshold=0.3,input-threshold=0.4,input-test=runtime},encode{rows=balanced}',
    target: withParams(SMALL, { weightSramBytesPerPe: 48 }),
    expect: { modes: ['sparse-weight', 'sparse-both'], branches: true, streaming: true },
  },
  {
    name: '8-bit target',
    spec: { input: 7, T: 5, B: 2, seed: 5, sparsity: 0.6, layers: [{ hidden: 9, direction: 'bidirectional' }, { hidden: 8, direction: 'forward' }] },
    pipeline: 'fold,sparsity,select-mode{weight-threshold=0.5,input-test=runtime}',
    target: INT8,
    expect: { modes: ['sparse-weight'] },
  },
];

describe('random multi-layer models: simulator == runtime/fixed, bit for bit', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const { graph, inputs } = randomModel(c.spec);
      const g = await optimize(graph, c.target, [], `${c.pipeline},quantize{x-max=2,c-max=4}`);
      const program = compileAccel(g, c.target);
      const back = readLxb(writeLxb(program)).program;
      const sim = simulateProgram(back, new Map([...inputs].map(([k, v]) => [k, { dims: v.dims, data: v.data as ArrayLike<number> }])));
      const ref = referenceFixed(g, c.target, inputs);
      for (const [k, v] of sim.raw) expect(Array.from(v.data), k).toEqual(Array.from(ref.get(k)!));
      expect(sim.stats.cycles).toBeGreaterThan(0);
      for (const m of c.expect.modes) expect(sim.stats.cyclesByMode[m], m).toBeGreaterThan(0);
      if (c.expect.branches) {
        const b = Object.values(sim.stats.branches);
        expect(b.some((x) => x.taken > 0) && b.some((x) => x.notTaken > 0)).toBe(true);
      }
      const weightBytes = sim.matrices.reduce((a, m) => a + m.totalBytes, 0);
      if (c.expect.streaming) {
        expect(sim.stats.dmaBytesWeights).toBeGreaterThan(weightBytes * c.spec.T);
        expect(program.matrices.filter((m) => m.name.includes('[')).length, 'weight tiles').toBeGreaterThan(program.io.layers.length * 2);
      }
      else expect(sim.stats.dmaBytesWeights).toBe(weightBytes * c.spec.B);
    });
  }
});

describe('fast path == cycle-exact path: outputs and every statistic', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const { graph, inputs } = randomModel(c.spec);
      const g = await optimize(graph, c.target, [], `${c.pipeline},quantize{x-max=2,c-max=4}`);
      const program = compileAccel(g, c.target);
      const feed = new Map([...inputs].map(([k, v]) => [k, { dims: v.dims, data: v.data as ArrayLike<number> }]));
      const fast = simulateProgram(program, feed);
      const exact = simulateProgram(program, feed, { exact: true });
      expect(fast.stats.usefulMacs).toBeGreaterThan(0);
      expect(fast.stats).toEqual(exact.stats);
      for (const [k, v] of exact.raw) expect(Array.from(fast.raw.get(k)!.data), k).toEqual(Array.from(v.data));
    });
  }
});

describe('sequence_lens and initial states as graph inputs', () => {
  it('bidirectional layer with per-batch lengths, h0 and c0: simulator == runtime/fixed', async () => {
    const m = randomModel({ input: 4, T: 6, B: 3, seed: 9, sparsity: 0.5, layers: [{ hidden: 5, direction: 'bidirectional' }, { hidden: 3, direction: 'reverse' }] });
    const { graph: g0, inputs: all } = withSequenceLens(m.graph, m.inputs, [6, 2, 4], true, 3);
    const t = withParams(defaultTarget, { pes: 4 });
    const g = await optimize(g0, t, [], 'fold,sparsity,select-mode{weight-threshold=0.3,input-test=runtime},quantize{x-max=2,c-max=4}');
    const sim = simulateProgram(compileAccel(g, t), new Map([...all].map(([k, v]) => [k, { dims: v.dims, data: v.data as ArrayLike<number> }])));
    const ref = referenceFixed(g, t, all);
    // layer 0 honours the lengths; layer 1 has none, so the reference runs it over all T steps as the accelerator does
    for (const k of ['lstm0:Y', 'lstm0:Y_h', 'lstm0:Y_c']) expect(Array.from(sim.raw.get(k)!.data), k).toEqual(Array.from(ref.get(k)!));
    expect(sim.seqLens).toEqual([6, 2, 4]);
  });
});

describe('double-buffered streaming: the simulator checks the schedule', () => {
  const streamed = async () => {
    // a slow DMA engine: a tile's transfer outlasts the product before it
    const t = withParams(SMALL, { weightSramBytesPerPe: 48, dmaBytesPerCycle: 1 });
    const { graph, inputs } = randomModel({ input: 12, T: 3, B: 1, seed: 11, sparsity: 0.5, layers: [{ hidden: 8, direction: 'forward' }] });
    const g = await optimize(graph, t, [], 'fold,sparsity,select-mode{weight-threshold=0.3,input-test=off},quantize{x-max=2,c-max=4}');
    const feed = new Map([...inputs].map(([k, v]) => [k, { dims: v.dims, data: v.data as ArrayLike<number> }]));
    return { p: compileAccel(g, t), feed };
  };
  const faultOf = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      if (isDiagnosticError(e)) return `${e.diagnostic.code}: ${e.diagnostic.message}`;
      throw e;
    }
    return 'no fault';
  };

  it('a product whose tile is still in transfer (sync removed) faults', async () => {
    const { p, feed } = await streamed();
    const loop = p.code.findIndex((i) => i.mnemonic === 'tloop.f');
    const prefetch = p.code.findIndex((i, k) => k > loop && i.mnemonic === 'dma.w');
    const sync = p.code.findIndex((i, k) => k > prefetch && i.mnemonic === 'sync');
    expect(p.code[sync - 1].mnemonic).toBe('mv.sw');
    const code = p.code.filter((_, k) => k !== sync);
    // labels after the removed word move up by one
    const fixed = code.map((i) => (i.mnemonic === 'tloop.f' ? { ...i, operands: { ...i.operands, end: i.operands.end - 1 } } : i));
    expect(faultOf(() => simulateProgram({ ...p, code: fixed }, feed))).toMatch(/^E-SIM-FAULT: .*still in transfer/);
  });

  it('a prefetch into the buffer a later product still needs faults', async () => {
    const { p, feed } = await streamed();
    const loop = p.code.findIndex((i) => i.mnemonic === 'tloop.f');
    const prefetch = p.code.findIndex((i, k) => k > loop && i.mnemonic === 'dma.w');
    const code = p.code.map((i, k) => (k === prefetch ? { ...i, operands: { ...i.operands, o: 0 } } : i));
    expect(faultOf(() => simulateProgram({ ...p, code }, feed))).toMatch(/^E-SIM-FAULT: .*overwrote it/);
    expect(faultOf(() => simulateProgram(p, feed))).toBe('no fault');
  });
});
