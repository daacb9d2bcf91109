import { describe, expect, it } from 'vitest';
import { createModel, loadModel, RuntimeError, type RtTensor, type RuntimeErrorCode } from '../src/index.js';
import { writeRuntimeGraph } from '../src/writer.js';
import { maxAbsDiff } from './helpers/compare.js';
import { Rng } from '@lstmc/testing';
import { twoLayerLstmModel } from './helpers/sample-models.js';

const DIMS = { I: 5, H: 8, C: 4 };
const X = (T: number, B: number, seed = 1): RtTensor<'f32'> => ({ dtype: 'f32', shape: [T, B, DIMS.I], data: new Rng(seed).f32(T * B * DIMS.I) });

function code(f: () => unknown): { code: RuntimeErrorCode; field?: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof RuntimeError) return { code: e.code, ...(e.field !== undefined ? { field: e.field } : {}) };
    throw e;
  }
  throw new Error('expected a RuntimeError');
}

/** Slices time steps [t0, t1) out of a [T, B, ...] tensor. */
function timeSlice(t: RtTensor<'f32'>, t0: number, t1: number): RtTensor<'f32'> {
  const step = t.data.length / t.shape[0]!;
  return { dtype: 'f32', shape: [t1 - t0, ...t.shape.slice(1)], data: t.data.slice(t0 * step, t1 * step) };
}

describe('executor', () => {
  const model = loadModel(writeRuntimeGraph(twoLayerLstmModel(new Rng(7), DIMS)));

  it('describes its inputs and outputs', () => {
    expect(model.inputs).toEqual([{ name: 'input', dtype: 'f32', shape: ['seq', 'batch', 5] }]);
    expect(model.outputs.map((o) => o.name)).toEqual(['probs', 'lstm1.Y_h']);
  });

  it('runs many times with dynamic seq and batch (shape subgraph executed)', () => {
    for (const [T, B] of [[1, 1], [6, 3], [2, 5]] as const) {
      const out = model.run({ input: X(T, B) });
      expect(out['probs']!.shape).toEqual([T, B, DIMS.C]);
      expect(out['lstm1.Y_h']!.shape).toEqual([1, B, DIMS.H]);
      const p = out['probs']!.data as Float32Array;
      for (let r = 0; r < T * B; r++) expect(p.subarray(r * DIMS.C, (r + 1) * DIMS.C).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  it('is deterministic across runs (no state leaks between run calls)', () => {
    const a = model.run({ input: X(4, 2) });
    model.run({ input: X(9, 1, 5) });
    const b = model.run({ input: X(4, 2) });
    expect(maxAbsDiff(a['probs']!, b['probs']!)).toBe(0);
  });

  it('reports input errors naming the input', () => {
    expect(code(() => model.run({}))).toEqual({ code: 'E-RT-INPUT-MISSING', field: 'input' });
    expect(code(() => model.run({ input: X(2, 1), extra: X(2, 1) }))).toEqual({ code: 'E-RT-INPUT-UNKNOWN', field: 'extra' });
    expect(code(() => model.run({ input: { dtype: 'f64', shape: [2, 1, 5], data: new Float64Array(10) } }))).toEqual({ code: 'E-RT-INPUT-DTYPE', field: 'input' });
    expect(code(() => model.run({ input: { dtype: 'f32', shape: [2, 1, 5], data: new Float64Array(10) as unknown as Float32Array } }))).toEqual({ code: 'E-RT-INPUT-DTYPE', field: 'input' });
    expect(code(() => model.run({ input: { dtype: 'f32', shape: [2, 1, 6], data: new Float32Array(12) } }))).toEqual({ code: 'E-RT-INPUT-SHAPE', field: 'input' });
    expect(code(() => model.run({ input: { dtype: 'f32', shape: [2, 5], data: new Float32Array(10) } }))).toEqual({ code: 'E-RT-INPUT-SHAPE', field: 'input' });
    expect(code(() => model.run({ input: { dtype: 'f32', shape: [2, 1, 5], data: new Float32Array(11) } }))).toEqual({ code: 'E-RT-INPUT-SHAPE', field: 'input' });
    expect(code(() => model.run({ input: 3 as unknown as RtTensor }))).toEqual({ code: 'E-RT-INPUT-DTYPE', field: 'input' });
  });

  it('binds symbolic dimensions consistently across inputs', () => {
    const m = createModel({
      values: [
        { name: 'a', dtype: 'f32', shape: ['n', 2] },
        { name: 'b', dtype: 'f32', shape: [2, 'n'] },
        { name: 'c', dtype: 'f32', shape: null },
      ],
      inputs: [0, 1],
      outputs: [2],
      nodes: [{ kernel: 'MatMul', name: 'mm', inputs: [0, 1], outputs: [2], attrs: {} }],
    });
    const t = (shape: number[]): RtTensor => ({ dtype: 'f32', shape, data: new Float32Array(shape[0]! * shape[1]!) });
    expect(m.run({ a: t([3, 2]), b: t([2, 3]) })['c']!.shape).toEqual([3, 3]);
    const e = code(() => m.run({ a: t([3, 2]), b: t([2, 4]) }));
    expect(e).toEqual({ code: 'E-RT-INPUT-SHAPE', field: 'b' });
  });

  it('reports kernel failures with the node name', () => {
    const m = createModel({
      values: [
        { name: 'x', dtype: 'f32', shape: null },
        { name: 's', dtype: 'i64', shape: [2] },
        { name: 'y', dtype: 'f32', shape: null },
      ],
      inputs: [0, 1],
      outputs: [2],
      nodes: [{ kernel: 'Reshape', name: 'the_reshape', inputs: [0, 1], outputs: [2], attrs: {} }],
    });
    const e = code(() => m.run({ x: { dtype: 'f32', shape: [6], data: new Float32Array(6) }, s: { dtype: 'i64', shape: [2], data: BigInt64Array.of(4n, 2n) } }));
    expect(e).toEqual({ code: 'E-RT-EXEC', field: 'the_reshape' });
  });

  it('reports an impossible allocation as E-RT-EXEC naming the node', () => {
    const m = createModel({
      values: [
        { name: 's', dtype: 'i64', shape: [2] },
        { name: 'y', dtype: 'f32', shape: null },
      ],
      inputs: [0],
      outputs: [1],
      nodes: [{ kernel: 'ConstantOfShape', name: 'huge', inputs: [0], outputs: [1], attrs: {} }],
    });
    expect(code(() => m.run({ s: { dtype: 'i64', shape: [2], data: BigInt64Array.of(1n << 30n, 1n << 30n) } }))).toEqual({ code: 'E-RT-EXEC', field: 'huge' });
  });

  it('checks produced values against the manifest', () => {
    const m = createModel({
      values: [
        { name: 'x', dtype: 'f32', shape: null },
        { name: 'y', dtype: 'f32', shape: [3] },
      ],
      inputs: [0],
      outputs: [1],
      nodes: [{ kernel: 'Relu', name: 'relu', inputs: [0], outputs: [1], attrs: {} }],
    });
    expect(code(() => m.run({ x: { dtype: 'f32', shape: [4], data: new Float32Array(4) } }))).toEqual({ code: 'E-RT-EXEC', field: 'relu' });
  });

  it('never lets callers modify constants through outputs', () => {
    const c = { dtype: 'f32' as const, shape: [2], data: Float32Array.of(1, 2) };
    const m = createModel({
      values: [{ name: 'k', dtype: 'f32', shape: [2], data: c }, { name: 'y', dtype: 'f32', shape: [2] }],
      inputs: [],
      outputs: [1],
      nodes: [{ kernel: 'Identity', name: 'id', inputs: [0], outputs: [1], attrs: {} }],
    });
    (m.run({})['y']!.data as Float32Array)[0] = 99;
    expect(Array.from(m.run({})['y']!.data as Float32Array)).toEqual([1, 2]);
  });
});

describe('streaming', () => {
  const rm = twoLayerLstmModel(new Rng(17), DIMS);
  const model = loadModel(writeRuntimeGraph(rm));

  it('equals one whole-sequence run for random chunkings (to 1e-6)', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 10; trial++) {
      const T = rng.int(1, 30);
      const B = rng.int(1, 3);
      const x = X(T, B, 100 + trial);
      const whole = model.run({ input: x });
      const stream = model.createStream();
      const probs: Float32Array[] = [];
      let last: RtTensor | undefined;
      for (let t0 = 0; t0 < T; ) {
        const t1 = Math.min(T, t0 + rng.int(1, 7));
        const out = stream.push({ input: timeSlice(x, t0, t1) });
        expect(out['probs']!.shape).toEqual([t1 - t0, B, DIMS.C]);
        probs.push(out['probs']!.data as Float32Array);
        last = out['lstm1.Y_h'];
        t0 = t1;
      }
      const joined = new Float32Array(probs.reduce((n, p) => n + p.length, 0));
      probs.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
      expect(maxAbsDiff({ dtype: 'f32', shape: [joined.length], data: joined }, { dtype: 'f32', shape: [joined.length], data: whole['probs']!.data })).toBeLessThanOrEqual(1e-6);
      expect(maxAbsDiff(last!, whole['lstm1.Y_h']!)).toBeLessThanOrEqual(1e-6);
    }
  });

  it('reset starts a new sequence; separate streams do not share state', () => {
    const x = X(6, 1, 42);
    const s1 = model.createStream();
    const s2 = model.createStream();
    const first = s1.push({ input: x });
    s2.push({ input: X(3, 1, 43) });
    s1.reset();
    const again = s1.push({ input: x });
    expect(maxAbsDiff(first['probs']!, again['probs']!)).toBe(0);
    // A stream continuing after a different prefix gives different results.
    const cont = s2.push({ input: x });
    expect(maxAbsDiff(cont['probs']!, first['probs']!)).toBeGreaterThan(0);
  });

  it('push takes onNode too: every node of the graph heard once per push, in order, with the same outputs as without it', () => {
    const s = model.createStream();
    const plain = model.createStream();
    const heard: string[] = [];
    const x = X(4, 1, 44);
    const out = s.push({ input: x }, { onNode: (t) => heard.push(`${t.node}:${t.kernel}`) });
    expect(heard).toEqual(model.runtimeModel.nodes.map((n) => `${n.name}:${n.kernel}`));
    expect(out['probs']!.data).toEqual(plain.push({ input: x })['probs']!.data);
  });

  it('rejects a batch change within a stream', () => {
    const s = model.createStream();
    s.push({ input: X(2, 2) });
    expect(code(() => s.push({ input: X(2, 3) })).code).toBe('E-RT-STREAM');
  });

  it('refuses to stream reverse and bidirectional LSTMs', () => {
    for (const d of ['reverse', 'bidirectional'] as const) {
      const m = createModel(twoLayerLstmModel(new Rng(1), DIMS, d));
      expect(code(() => m.createStream())).toEqual({ code: 'E-RT-STREAM', field: 'LSTM_0' });
    }
  });
});

describe('node helpers and stream refusals', () => {
  it('loads a model from a file with @lstmc/runtime/node', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { loadModelFile, writeRuntimeGraphFile } = await import('../src/node.js');
    const path = join(mkdtempSync(join(tmpdir(), 'lstmc-rt-')), 'm.lrg');
    const rm = twoLayerLstmModel(new Rng(8), DIMS);
    writeRuntimeGraphFile(path, rm);
    const a = loadModelFile(path).run({ input: X(3, 2) });
    const b = createModel(rm).run({ input: X(3, 2) });
    expect(maxAbsDiff(a['probs']!, b['probs']!)).toBe(0);
  });

  it('refuses to stream an LSTM with sequence_lens', () => {
    const rm = twoLayerLstmModel(new Rng(1), DIMS);
    const lens = rm.values.length;
    const withLens = {
      ...rm,
      values: [...rm.values, { name: 'lens', dtype: 'i32' as const, shape: ['batch'] }],
      inputs: [...rm.inputs, lens],
      nodes: rm.nodes.map((n) => (n.name === 'LSTM_1' ? { ...n, inputs: n.inputs.map((v, i) => (i === 2 ? lens : v)) } : n)),
    };
    const m = createModel(withLens);
    expect(code(() => m.createStream())).toEqual({ code: 'E-RT-STREAM', field: 'LSTM_1' });
    // The same model runs normally.
    expect(m.run({ input: X(4, 2), lens: { dtype: 'i32', shape: [2], data: Int32Array.of(4, 2) } })['probs']!.shape).toEqual([4, 2, 4]);
  });
});
