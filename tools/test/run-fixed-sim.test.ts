/**
 * The accelerator simulator and the runtime's `--numerics fixed` mode give the
 * same outputs bit for bit: one pipeline-processed graph goes through
 * codegen -> .lxb -> simulateProgram, and through lowerToRuntime({ fixed })
 * -> .lrg -> lstm.fixed. Both call runtime/src/fixed, but by different routes
 * (microcode over encoded per-PE weights vs the layer function), so this
 * checks the codegen, the container, the host I/O and the lowering together.
 */
import { describe, expect, it } from 'vitest';
import { inferTypes, makeNode, makeTensor, tensorType, updateGraph, type Graph, type Node, type Tensor } from '@lstmc/ir';
import { PRESETS } from '@lstmc/passes';
import { compileAccel, readLxb, simulateProgram, writeLxb } from '@lstmc/backend-accel';
import { defaultTarget, withParams, type Target } from '@lstmc/target';
import type { RtTensor } from '@lstmc/runtime';
import { randomModel, type ModelSpec } from '../../packages/backend-accel/test/random-model.js';
import { Rng } from '@lstmc/testing';
import { accelGraph, conformanceLstmCases, runFixed, runPasses } from './run-fixed-support.js';

function simulate(g: Graph, target: Target, inputs: ReadonlyMap<string, Tensor>) {
  const program = readLxb(writeLxb(compileAccel(g, target))).program;
  return simulateProgram(program, new Map([...inputs].map(([k, v]) => [k, { dims: v.dims, data: Array.from(v.data as ArrayLike<number | bigint>, Number) }])));
}

/** Every output equal element for element (the simulator's doubles hold exactly the runtime's float32 values). */
function expectSame(sim: ReturnType<typeof simulate>, rt: Record<string, RtTensor>, what: string): number {
  let n = 0;
  for (const [name, t] of sim.outputs) {
    const got = rt[name];
    expect(got, `${what}: runtime output ${name}`).toBeDefined();
    expect(got!.shape, `${what}: ${name} shape`).toEqual([...t.dims]);
    const r = Array.from(got!.data as Float32Array);
    const bad = r.findIndex((v, i) => v !== t.data[i]);
    expect(bad, `${what}: ${name} first differing element (runtime ${r[bad]}, simulator ${t.data[bad]})`).toBe(-1);
    n += r.length;
  }
  return n;
}

describe('simulator == lstmc run --numerics fixed, bit for bit', () => {
  describe('ONNX conformance LSTMs, -O accel with the case data as calibration', () => {
    for (const c of conformanceLstmCases()) {
      it(c.name, async () => {
        const g = await accelGraph(c);
        if (!g) return;
        const n = expectSame(simulate(g, defaultTarget, c.inputs), runFixed(g, defaultTarget, c.inputs), c.name);
        expect(n).toBeGreaterThan(0);
      });
    }
  });

  const SMALL = withParams(defaultTarget, { pes: 4, denseLanes: 2, relIndexBits: 2, weightSramBytesPerPe: 4096 });
  const INT8 = withParams(defaultTarget, { pes: 8, weightBits: 8, actBits: 8, accBits: 24, lutEntries: 64 });
  const cases: { name: string; spec: ModelSpec; pipeline: string; target: Target; calibrate: boolean }[] = [
    {
      name: '3 forward layers, -O accel without calibration (deeper layers quantize x for |x| <= 8, the accelerator feeds h)',
      spec: { input: 6, T: 7, B: 2, seed: 11, sparsity: 0.5, layers: [{ hidden: 8, direction: 'forward' }, { hidden: 5, direction: 'forward' }, { hidden: 6, direction: 'forward' }] },
      pipeline: PRESETS.accel,
      target: SMALL,
      calibrate: false,
    },
    {
      name: 'bidirectional -> reverse, -O accel with calibration',
      spec: { input: 5, T: 6, B: 3, seed: 12, sparsity: 0.8, layers: [{ hidden: 7, direction: 'bidirectional' }, { hidden: 6, direction: 'reverse' }] },
      pipeline: PRESETS.accel,
      target: SMALL,
      calibrate: true,
    },
    {
      name: 'peepholes, clip, input_forget, balanced rows, run-time input test',
      spec: {
        input: 9, T: 5, B: 2, seed: 13, sparsity: 0.6, inputSparsity: 0.5,
        layers: [{ hidden: 10, direction: 'forward', peephole: true, clip: 0.8 }, { hidden: 4, direction: 'bidirectional', inputForget: true }],
      },
      pipeline: 'fold,sparsity,select-mode{weight-threshold=0.5,input-threshold=0.3,input-test=runtime},quantize,encode{rows=balanced}',
      target: SMALL,
      calibrate: true,
    },
    {
      name: '8-bit target, weights streamed every step',
      spec: { input: 7, T: 5, B: 2, seed: 14, sparsity: 0.6, layers: [{ hidden: 9, direction: 'bidirectional' }, { hidden: 8, direction: 'forward' }] },
      pipeline: PRESETS.accel,
      target: withParams(INT8, { weightSramBytesPerPe: 64 }),
      calibrate: false,
    },
    {
      name: '40-bit accumulator (bias stored as i64), 1024-entry tables',
      spec: { input: 6, T: 6, B: 2, seed: 16, sparsity: 0.4, layers: [{ hidden: 6, direction: 'forward', peephole: true }, { hidden: 5, direction: 'bidirectional' }] },
      pipeline: PRESETS.accel,
      target: withParams(SMALL, { accBits: 40, lutEntries: 1024 }),
      calibrate: true,
    },
    {
      name: 'default target, wide layers',
      spec: { input: 24, T: 9, B: 1, seed: 15, sparsity: 0.9, layers: [{ hidden: 40, direction: 'forward' }, { hidden: 33, direction: 'forward' }] },
      pipeline: PRESETS.accel,
      target: defaultTarget,
      calibrate: true,
    },
  ];
  /** Seeded random stacks: 1-3 layers, every direction, peepholes/clip/input_forget, four targets, with and without calibration. */
  function randomSpec(seed: number): (typeof cases)[number] {
    const r = new Rng(seed);
    const layers = Array.from({ length: r.int(1, 3) }, () => ({
      hidden: r.int(1, 12),
      direction: r.pick(['forward', 'reverse', 'bidirectional'] as const),
      ...(r.bool(0.3) ? { peephole: true } : {}),
      ...(r.bool(0.2) ? { clip: r.uniform(0.3, 2) } : {}),
      ...(r.bool(0.2) ? { inputForget: true } : {}),
    }));
    const spec: ModelSpec = { input: r.int(1, 10), T: r.int(1, 8), B: r.int(1, 3), seed, sparsity: r.pick([0, 0.5, 0.9]), inputSparsity: r.pick([0, 0.5]), layers };
    const target = r.pick([SMALL, INT8, defaultTarget, withParams(SMALL, { accBits: 40, weightSramBytesPerPe: 128 })]);
    const pipeline = r.pick([PRESETS.accel, 'fold,sparsity,select-mode{weight-threshold=0.4,input-threshold=0.3,input-test=runtime},quantize,encode{rows=balanced}']);
    return { name: `seed ${seed}`, spec, pipeline, target, calibrate: r.bool() };
  }
  for (let seed = 100; seed < 120; seed++) cases.push(randomSpec(seed));

  describe('random multi-layer models', () => {
    for (const c of cases) {
      it(c.name, async () => {
        const { graph, inputs } = randomModel(c.spec);
        const g = (await runPasses(graph, c.pipeline, c.target, c.calibrate ? [inputs] : [])).graph;
        expectSame(simulate(g, c.target, inputs), runFixed(g, c.target, inputs), `${c.name} ${JSON.stringify(c.spec)}`);
      });
    }
  });

  /**
   * Ops around the layers (host segments before, between and after accelerator phases), on
   * 2-layer random stacks: the layers' data goes host -> DRAM -> host between the phases.
   */
  describe('ops before, between and after the LSTM layers', () => {
    const stack = (seed: number, B: number) =>
      randomModel({ input: 5, T: 4, B, seed, sparsity: 0.5, layers: [{ hidden: 6, direction: 'bidirectional' }, { hidden: 4, direction: 'forward' }] });
    const insertBefore = (nodes: readonly Node[], name: string, extra: Node[]) => {
      const at = nodes.findIndex((n) => n.name === name);
      return [...nodes.slice(0, at), ...extra, ...nodes.slice(at)];
    };
    const withInput = (n: Node, slot: number, v: string) => makeNode({ ...n, inputs: Object.assign([...n.inputs, '', '', '', '', '', '', ''].slice(0, Math.max(n.inputs.length, slot + 1)), { [slot]: v }) });
    const rewire = (nodes: readonly Node[], name: string, slot: number, v: string) => nodes.map((n) => (n.name === name ? withInput(n, slot, v) : n));
    const variants: { name: string; stages: number; build(g: Graph, x: Tensor): { graph: Graph; inputs: Map<string, Tensor> } }[] = [
      {
        name: 'Relu in front, Tanh between the layers (two phases), MatMul head',
        stages: 5,
        build(g, x) {
          const inits = new Map(g.initializers);
          inits.set('head.W', makeTensor('f32', [4, 3], Float32Array.from({ length: 12 }, (_, i) => ((i * 7) % 5) / 5 - 0.4)));
          let nodes = rewire(g.nodes, 'lstm0', 0, 'X.relu');
          nodes = rewire(nodes, 'lstm1', 0, 'mid');
          nodes = insertBefore(nodes, 'lstm1', [makeNode({ op: 'Tanh', name: 'tanh', inputs: ['l0.out'], outputs: ['mid'] })]);
          nodes = [makeNode({ op: 'Relu', name: 'relu', inputs: ['X'], outputs: ['X.relu'] }), ...nodes, makeNode({ op: 'MatMul', name: 'head', inputs: ['l1.out', 'head.W'], outputs: ['logits'] })];
          return { graph: inferTypes(updateGraph(g, { nodes, initializers: inits, outputs: ['logits', 'l1.Yh'] })), inputs: new Map([['X', x]]) };
        },
      },
      {
        name: 'h0 of the second layer computed from the first layer (the second reads the first Y in place, one phase later)',
        stages: 3,
        build(g, x) {
          const nodes = insertBefore(rewire(g.nodes, 'lstm1', 5, 'h0'), 'lstm1', [
            makeNode({ op: 'Slice', name: 'pick', inputs: ['l0.Yh', 'starts', 'ends', 'axes'], outputs: ['h0.s'] }),
            makeNode({ op: 'Tanh', name: 'h0', inputs: ['h0.s'], outputs: ['h0'] }),
          ]);
          const inits = new Map(g.initializers);
          inits.set('starts', makeTensor('i64', [2], [0, 0]));
          inits.set('ends', makeTensor('i64', [2], [1, 4]));
          inits.set('axes', makeTensor('i64', [2], [0, 2]));
          return { graph: inferTypes(updateGraph(g, { nodes, initializers: inits })), inputs: new Map([['X', x]]) };
        },
      },
      {
        name: 'glue between the layers that is not a concatenation of directions (Reshape of [T, 2, B, H]) runs on the host',
        stages: 3,
        build(g, x) {
          // drop the Transpose: the Reshape then interleaves batch items and directions, so the host must run it
          const nodes = g.nodes.filter((n) => n.name !== 'tr0').map((n) => (n.name === 'rs0' ? makeNode({ ...n, inputs: ['l0.Y', 'rs.shape'] }) : n));
          const inits = new Map(g.initializers);
          inits.set('rs.shape', makeTensor('i64', [3], [0, -1, 12]));
          return { graph: inferTypes(updateGraph(g, { nodes, initializers: inits })), inputs: new Map([['X', x]]) };
        },
      },
      {
        name: 'batch-first input through an absorbed Transpose',
        stages: 1,
        build(g, x) {
          const [T, B, I] = x.dims;
          const bf = new Float32Array(x.data.length);
          for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let i = 0; i < I; i++) bf[(b * T + t) * I + i] = (x.data as Float32Array)[(t * B + b) * I + i];
          const nodes = [makeNode({ op: 'Transpose', name: 'tf', inputs: ['Xb'], outputs: ['X'], attrs: { perm: { kind: 'ints', value: [1, 0, 2] } } }), ...g.nodes];
          const values = new Map(g.values);
          values.set('Xb', { name: 'Xb', type: tensorType('f32', ['batch', 'seq', I]) });
          return { graph: inferTypes(updateGraph(g, { inputs: ['Xb'], nodes, values })), inputs: new Map([['Xb', makeTensor('f32', [B, T, I], bf)]]) };
        },
      },
    ];
    it('layers of one accelerator phase share a sequence length: a layer reading a shorter host tensor gets a phase of its own', async () => {
      const { graph, inputs } = randomModel({ input: 5, T: 4, B: 2, seed: 77, sparsity: 0.5, layers: [{ hidden: 4, direction: 'forward' }, { hidden: 4, direction: 'forward' }, { hidden: 4, direction: 'forward' }] });
      // lstm1 reads the first two steps of lstm0's output (a host Slice); lstm2 reads all four in place
      let nodes = rewire(rewire(graph.nodes, 'lstm1', 0, 'cut'), 'lstm2', 0, 'l0.out');
      nodes = insertBefore(nodes, 'lstm1', [makeNode({ op: 'Slice', name: 'cut', inputs: ['l0.out', 'starts', 'ends', 'axes'], outputs: ['cut'] })]);
      const inits = new Map(graph.initializers);
      inits.set('starts', makeTensor('i64', [1], [0]));
      inits.set('ends', makeTensor('i64', [1], [2]));
      inits.set('axes', makeTensor('i64', [1], [0]));
      const g0 = inferTypes(updateGraph(graph, { nodes, initializers: inits, outputs: ['l1.out', 'l2.out'] }));
      const g = (await runPasses(g0, PRESETS.accel, SMALL, [inputs])).graph;
      const program = readLxb(writeLxb(compileAccel(g, SMALL))).program;
      expect(program.io.phases.map((p) => [p.nodes, p.readsFrom])).toEqual([[['lstm0'], []], [['lstm1'], []], [['lstm2'], ['lstm0']]]);
      expectSame(simulate(g, SMALL, inputs), runFixed(g, SMALL, inputs), 'three layers, two lengths');
    });

    it('layers with different sequence_lens run in phases of their own', async () => {
      const { graph, inputs } = randomModel({ input: 5, T: 4, B: 2, seed: 78, sparsity: 0.5, layers: [{ hidden: 4, direction: 'forward' }, { hidden: 3, direction: 'bidirectional' }] });
      const inits = new Map(graph.initializers);
      inits.set('sl0', makeTensor('i32', [2], [3, 2]));
      inits.set('sl1', makeTensor('i32', [2], [4, 1]));
      const nodes = rewire(rewire(graph.nodes, 'lstm0', 4, 'sl0'), 'lstm1', 4, 'sl1');
      const g0 = inferTypes(updateGraph(graph, { nodes, initializers: inits }));
      const g = (await runPasses(g0, PRESETS.accel, SMALL, [inputs])).graph;
      const program = readLxb(writeLxb(compileAccel(g, SMALL))).program;
      expect(program.io.phases.map((p) => [p.nodes, p.readsFrom, p.seqLens.values])).toEqual([[['lstm0'], [], [3, 2]], [['lstm1'], ['lstm0'], [4, 1]]]);
      expectSame(simulate(g, SMALL, inputs), runFixed(g, SMALL, inputs), 'two sequence_lens');
    });

    for (const v of variants) {
      for (const [target, pipeline, B] of [[SMALL, PRESETS.accel, 3], [INT8, 'fold,sparsity,select-mode{weight-threshold=0.4,input-threshold=0.3,input-test=runtime},quantize,encode{rows=balanced}', 2]] as const) {
        it(`${v.name} (B=${B}, ${target === SMALL ? 'small target' : 'int8'})`, async () => {
          const { graph, inputs: x } = stack(40 + B, B);
          const { graph: g0, inputs } = v.build(graph, x.get('X')!);
          const g = (await runPasses(g0, pipeline, target, [inputs])).graph;
          const program = readLxb(writeLxb(compileAccel(g, target))).program;
          expect(program.io.phases.length + program.io.hostSegments.length).toBe(v.stages);
          expectSame(simulate(g, target, inputs), runFixed(g, target, inputs), v.name);
        });
      }
    }
  });
});
