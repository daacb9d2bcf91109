/**
 * The batch-major pass against onnxruntime: batch-first LSTM stacks in the forms torch exports (and
 * some it does not), run by onnxruntime as built, and by lstmc's runtime as built and as the pass
 * rewrote them (forced, whether or not it removes transposes). onnxruntime's CPU LSTM refuses
 * layout = 1 ("Batchwise recurrent operations (layout == 1) are not supported"), so it runs the
 * original only; lstmc's layout = 1 is checked against ONNX's test_lstm_batchwise data elsewhere.
 */
import * as ort from 'onnxruntime-node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Graph, type Node, type Tensor, exportOnnx, inferTypes, makeGraph, makeNode, makeTensor, tensorType } from '@lstmc/ir';
import { batchMajorPass, builtinRegistry, foldBatchMajor, parsePipeline, runPipeline } from '@lstmc/passes';
import { createModel } from '@lstmc/runtime';
import { lowerToRuntime } from '@lstmc/backend-js';
import { randn, rng } from '@lstmc/testing';

interface Spec {
  readonly layers: number;
  readonly dirs: 1 | 2;
  readonly I: number;
  readonly H: number;
  readonly B: number;
  readonly T: number;
  /** initial_h / initial_c of every layer: none, zero initializers, random initializers, ConstantOfShape zeros, or graph inputs. */
  readonly state: 'none' | 'zeros' | 'const' | 'constant-of-shape' | 'input';
  /** The front: X [B, T, I] transposed by [1, 0, 2], or X [B, I, T] (a Conv's output) by [2, 0, 1]. */
  readonly front: 'btc' | 'bct';
  /** After the last layer: transposed back to batch-first, read time-major by a Relu, or Y itself an output. */
  readonly tail: 'batch-first' | 'relu' | 'y';
  /** The last layer's Y_h and Y_c are graph outputs too. */
  readonly stateOut: boolean;
  /** Squeeze's axes as an input (opset 13+) or an attribute (opset 11). */
  readonly opset: 11 | 14;
  readonly seed: number;
}

function tensor(dims: number[], r: () => number, scale: number): Tensor {
  const d = new Float32Array(dims.reduce((a, b) => a * b, 1));
  for (let i = 0; i < d.length; i++) d[i] = randn(r) * scale;
  return makeTensor('f32', dims, d);
}

const ints = (v: number[]) => ({ kind: 'ints' as const, value: v });

/** A torch-like batch-first export of `s`. */
function exportLike(s: Spec): Graph {
  const r = rng(s.seed);
  const inits = new Map<string, Tensor>();
  const nodes: Node[] = [];
  const inputs = ['x'];
  const values: [string, { name: string; type: ReturnType<typeof tensorType> }][] = [];
  const typed = (name: string, dims: number[]) => values.push([name, { name, type: tensorType('f32', dims) }]);
  typed('x', s.front === 'btc' ? [s.B, s.T, s.I] : [s.B, s.I, s.T]);
  nodes.push(makeNode({ op: 'Transpose', name: 'front', inputs: ['x'], outputs: ['x_tm'], attrs: { perm: ints(s.front === 'btc' ? [1, 0, 2] : [2, 0, 1]) } }));
  let x = 'x_tm';
  let inSize = s.I;
  const outputs: string[] = [];
  const D = s.dirs;
  for (let l = 0; l < s.layers; l++) {
    inits.set(`W${l}`, tensor([D, 4 * s.H, inSize], r, 0.4));
    inits.set(`R${l}`, tensor([D, 4 * s.H, s.H], r, 0.4));
    inits.set(`B${l}`, tensor([D, 8 * s.H], r, 0.2));
    const st: string[] = [];
    for (const which of ['h', 'c']) {
      const name = `${which}0_${l}`;
      if (s.state === 'zeros') inits.set(name, makeTensor('f32', [D, s.B, s.H]));
      else if (s.state === 'const') inits.set(name, tensor([D, s.B, s.H], r, 0.5));
      else if (s.state === 'input') {
        inputs.push(name);
        typed(name, [D, s.B, s.H]);
      } else if (s.state === 'constant-of-shape') {
        inits.set(`${name}.shape`, makeTensor('i64', [3], [D, s.B, s.H]));
        nodes.push(makeNode({ op: 'ConstantOfShape', name: `${name}.cos`, inputs: [`${name}.shape`], outputs: [name], attrs: { value: { kind: 'tensor', value: makeTensor('f32', [1], [0]) } } }));
      }
      st.push(s.state === 'none' ? '' : name);
    }
    const last = l === s.layers - 1;
    const y = `Y${l}`;
    const yh = last && s.stateOut ? 'Y_h' : '';
    const yc = last && s.stateOut ? 'Y_c' : '';
    nodes.push(
      makeNode({
        op: 'LSTM', name: `lstm${l}`, inputs: [x, `W${l}`, `R${l}`, `B${l}`, '', ...st], outputs: [y, yh, yc],
        attrs: { hidden_size: { kind: 'int', value: s.H }, direction: { kind: 'string', value: D === 2 ? 'bidirectional' : 'forward' } },
      }),
    );
    if (yh) outputs.push(yh, yc);
    if (last && s.tail === 'y') {
      outputs.push(y);
      break;
    }
    // [T, D, B, H] -> [T, B, D*H], as torch writes it
    let tm: string;
    if (D === 1) {
      if (s.opset >= 13) {
        inits.set(`sq${l}.axes`, makeTensor('i64', [1], [1]));
        nodes.push(makeNode({ op: 'Squeeze', name: `sq${l}`, inputs: [y, `sq${l}.axes`], outputs: [`y_tm${l}`] }));
      } else nodes.push(makeNode({ op: 'Squeeze', name: `sq${l}`, inputs: [y], outputs: [`y_tm${l}`], attrs: { axes: ints([1]) } }));
      tm = `y_tm${l}`;
    } else {
      nodes.push(makeNode({ op: 'Transpose', name: `tr${l}`, inputs: [y], outputs: [`y_t${l}`], attrs: { perm: ints([0, 2, 1, 3]) } }));
      inits.set(`rs${l}.shape`, makeTensor('i64', [3], l % 2 ? [s.T, s.B, -1] : [0, 0, -1]));
      nodes.push(makeNode({ op: 'Reshape', name: `rs${l}`, inputs: [`y_t${l}`, `rs${l}.shape`], outputs: [`y_tm${l}`] }));
      tm = `y_tm${l}`;
    }
    x = tm;
    inSize = D * s.H;
    if (last) {
      if (s.tail === 'batch-first') nodes.push(makeNode({ op: 'Transpose', name: 'back', inputs: [tm], outputs: ['y'], attrs: { perm: ints([1, 0, 2]) } }));
      else nodes.push(makeNode({ op: 'Relu', name: 'relu', inputs: [tm], outputs: ['y'] }));
      outputs.push('y');
    }
  }
  return inferTypes(makeGraph({ name: 'bf', opsets: { '': s.opset }, inputs, outputs, initializers: inits, values, nodes }));
}

function feedsOf(g: Graph, seed: number): Map<string, Float32Array> {
  const r = rng(seed);
  const feeds = new Map<string, Float32Array>();
  for (const name of g.inputs) {
    const dims = g.values.get(name)!.type.shape as number[];
    feeds.set(name, tensor(dims, r, 1).data as Float32Array);
  }
  return feeds;
}

async function onOrt(g: Graph, feeds: Map<string, Float32Array>): Promise<Record<string, Float32Array>> {
  const session = await ort.InferenceSession.create(exportOnnx(g));
  const f: Record<string, ort.Tensor> = {};
  for (const [name, data] of feeds) f[name] = new ort.Tensor('float32', data, g.values.get(name)!.type.shape as number[]);
  const out = await session.run(f);
  return Object.fromEntries(g.outputs.map((o) => [o, out[o]!.data as Float32Array]));
}

function onLstmc(g: Graph, feeds: Map<string, Float32Array>): Record<string, Float32Array> {
  const f = Object.fromEntries([...feeds].map(([name, data]) => [name, { dtype: 'f32' as const, shape: [...(g.values.get(name)!.type.shape as number[])], data }]));
  const out = createModel(lowerToRuntime(g)).run(f);
  return Object.fromEntries(g.outputs.map((o) => [o, out[o]!.data as Float32Array]));
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

const spec = fc.record({
  layers: fc.integer({ min: 1, max: 3 }),
  dirs: fc.constantFrom(1 as const, 2 as const),
  I: fc.integer({ min: 1, max: 9 }),
  H: fc.integer({ min: 1, max: 7 }),
  B: fc.integer({ min: 1, max: 3 }),
  T: fc.integer({ min: 1, max: 6 }),
  state: fc.constantFrom('none' as const, 'zeros' as const, 'const' as const, 'constant-of-shape' as const, 'input' as const),
  front: fc.constantFrom('btc' as const, 'bct' as const),
  tail: fc.constantFrom('batch-first' as const, 'relu' as const, 'y' as const),
  stateOut: fc.boolean(),
  opset: fc.constantFrom(11 as const, 14 as const),
  seed: fc.integer({ min: 1, max: 1 << 20 }),
});

describe('batch-major: the rewritten graph computes what the export does', () => {
  it('random batch-first stacks: lstmc on the rewrite gives the floats of lstmc on the export, which equals onnxruntime on it', async () => {
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        const g = exportLike(s);
        const rw = foldBatchMajor(g);
        expect(rw, 'every stack has a batch-first front').toBeDefined();
        expect(rw!.layers).toHaveLength(s.layers);
        const lstms = rw!.graph.nodes.filter((n) => n.op === 'LSTM');
        expect(lstms.every((n) => n.attrs.layout?.value === 1)).toBe(true);
        expect(rw!.graph.inputs).toEqual(g.inputs);
        expect(rw!.graph.outputs).toEqual(g.outputs);
        const feeds = feedsOf(g, s.seed + 1);
        const want = await onOrt(g, feeds);
        const before = onLstmc(g, feeds);
        const after = onLstmc(rw!.graph, feeds);
        for (const o of g.outputs) {
          expect(maxDiff(before[o]!, want[o]!), `lstmc on the export, ${o}`).toBeLessThanOrEqual(2e-5);
          // The same products in the same order, only addressed differently: the same floats.
          expect(Array.from(after[o]!), `lstmc on the rewrite, ${o}`).toEqual(Array.from(before[o]!));
        }
      }),
      { numRuns: 40, seed: 2026 },
    );
  });

  it('the torch forms lose every transpose: a 2-layer bidirectional stack keeps none, a 1-layer one-direction stack none', () => {
    for (const [dirs, layers] of [[2, 2], [1, 1], [1, 3]] as const) {
      const g = exportLike({ layers, dirs, I: 4, H: 3, B: 2, T: 5, state: 'constant-of-shape', front: 'btc', tail: 'batch-first', stateOut: false, opset: 14, seed: 7 });
      const out = foldBatchMajor(g)!.graph;
      expect(out.nodes.filter((n) => n.op === 'Transpose'), `${layers} layers, ${dirs} directions`).toHaveLength(0);
      // initial states known to be zeros are dropped (a missing one is zeros)
      expect(out.nodes.filter((n) => n.op === 'LSTM').every((n) => n.inputs.length <= 5)).toBe(true);
      // the last value takes the graph output's name: no Identity
      expect(out.nodes.some((n) => n.op === 'Identity')).toBe(false);
    }
  });

  it('states fed in and read out: the pass keeps the rewrite, and the lowering reads and writes them in [D, B, H] itself (no transpose left)', async () => {
    for (const [dirs, layers] of [[2, 2], [1, 3]] as const) {
      const g = exportLike({ layers, dirs, I: 4, H: 3, B: 2, T: 5, state: 'input', front: 'btc', tail: 'batch-first', stateOut: true, opset: 14, seed: 5 });
      const run = (await runPipeline(g, parsePipeline('batch-major', builtinRegistry()))).results[0]!;
      expect(run.changed, `${layers} layers, ${dirs} directions`).toBe(true);
      const rw = foldBatchMajor(g)!.graph;
      const rt = lowerToRuntime(rw);
      expect(rt.nodes.filter((n) => n.kernel === 'Transpose').map((n) => n.name), `${layers} layers, ${dirs} directions`).toEqual([]);
      expect(rt.nodes.filter((n) => n.kernel === 'lstm.dense.f32').every((n) => n.attrs['states_dbh']?.value === 1)).toBe(true);
      const feeds = feedsOf(g, 11);
      const want = await onOrt(g, feeds);
      const got = onLstmc(rw, feeds);
      for (const o of g.outputs) expect(maxDiff(got[o]!, want[o]!), o).toBeLessThanOrEqual(2e-5);
    }
  });

  it('the pass keeps the rewrite only when its transposes cost less: Y itself read time-major, with constant states, does not, unless always=true', async () => {
    const run = async (g: Graph, pipeline = 'batch-major') => (await runPipeline(g, parsePipeline(pipeline, builtinRegistry()))).results[0]!;
    const fewer = await run(exportLike({ layers: 1, dirs: 2, I: 4, H: 3, B: 2, T: 5, state: 'none', front: 'btc', tail: 'batch-first', stateOut: false, opset: 14, seed: 3 }));
    expect(fewer.changed).toBe(true);
    expect(fewer.counters).toEqual({ layers: 1, 'transposes-removed': 3 });
    // the front transpose goes, but Y, Y_h and Y_c (constant states: transposed at compile time, so
    // the lowering cannot fuse the state transposes) come back through three
    const noGain = exportLike({ layers: 1, dirs: 2, I: 4, H: 3, B: 2, T: 5, state: 'const', front: 'btc', tail: 'y', stateOut: true, opset: 14, seed: 3 });
    expect((await run(noGain)).changed).toBe(false);
    const forced = await run(noGain, 'batch-major{always=true}');
    expect(forced.changed).toBe(true);
    expect(forced.counters.layers).toBe(1);
    expect(batchMajorPass.name).toBe('batch-major');
  });
});
