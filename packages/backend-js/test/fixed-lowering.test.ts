/**
 * Lowering for fixed-point numerics: random ONNX LSTM graphs carrying
 * quantize-pass annotations (written here from the shared quantizer, in the
 * pass's documented `lstmc.q.*` form) -> lowerToRuntime({ fixed }) -> .lrg ->
 * loadModel -> run, compared bit for bit with the shared layer function
 * lstmLayerFixed called directly on the same quantized layers. This guards
 * the lowering's packing (directions, gate order, layouts, states, formats),
 * not the arithmetic.
 */
import { describe, expect, it } from 'vitest';
import { type Attr, type Graph, type Tensor, isDiagnosticError, makeNode, makeTensor, tensorType, updateGraph } from '@lstmc/ir';
import { loadModel, type RtTensor } from '@lstmc/runtime';
import { writeRuntimeGraph } from '@lstmc/runtime/writer';
import { chooseLstmFormats, lstmLayerFixed, quantizeArray, quantizeLstmDirection, type FixedBits, type FixedLstmLayer, type FloatLstmDirection } from '@lstmc/runtime/fixed';
import { ANN } from '@lstmc/passes';
import { lowerToRuntime } from '../src/index.js';
import { buildCase, randomCase, randomData, toLayout1, type CaseData, type LstmCase } from './differential/lstm-config.js';
import { Rng } from './support/rng.js';

const BASE = 7100;
const CASES = 80;

function floatDirs(c: LstmCase, d: CaseData): FloatLstmDirection[] {
  const D = c.direction === 'bidirectional' ? 2 : 1;
  const { H, I } = c;
  const part = (a: Float32Array | null, off: number, n: number) => (a ? Float64Array.from(a.subarray(off, off + n)) : null);
  return Array.from({ length: D }, (_, k) => ({
    hidden: H,
    input: I,
    W: part(d.W, k * 4 * H * I, 4 * H * I)!,
    R: part(d.R, k * 4 * H * H, 4 * H * H)!,
    Wb: part(d.Bias, k * 8 * H, 4 * H),
    Rb: part(d.Bias, k * 8 * H + 4 * H, 4 * H),
    P: part(d.P, k * 3 * H, 3 * H),
    clip: c.clip ?? null,
    inputForget: c.inputForget,
  }));
}

/** The graph with the LSTM annotated the way the quantize pass records its results. */
function annotate(g: Graph, layers: FixedLstmLayer[], bits: FixedBits): Graph {
  const n = g.nodes.find((x) => x.op === 'LSTM')!;
  const wd = bits.weightBits === 8 ? 'i8' : 'i16';
  const inits = new Map(g.initializers);
  const values = new Map(g.values);
  const put = (name: string, t: Tensor) => {
    inits.set(name, t);
    values.set(name, { name, type: tensorType(t.dtype, t.dims) });
    return name;
  };
  const H = layers[0]!.hidden;
  const I = layers[0]!.input;
  const names = (part: string, f: (l: FixedLstmLayer, d: number) => string | null): Attr | undefined => {
    const v = layers.map(f);
    return v.every((x) => x !== null) ? { kind: 'strings', value: v as string[] } : undefined;
  };
  const ints = (f: (l: FixedLstmLayer) => number): Attr => ({ kind: 'ints', value: layers.map(f) });
  const attrs: Record<string, Attr> = { ...n.attrs };
  const set = (k: string, a: Attr | undefined) => a && (attrs[k] = a);
  set(ANN.qW, names('W', (l, d) => put(`q.W.${d}`, makeTensor(wd, [4 * H, I], Array.from(l.W)))));
  set(ANN.qR, names('R', (l, d) => put(`q.R.${d}`, makeTensor(wd, [4 * H, H], Array.from(l.R)))));
  set(ANN.qB, names('B', (l, d) => (l.bias ? put(`q.B.${d}`, makeTensor(bits.accBits > 32 ? 'i64' : 'i32', [4 * H], Array.from(l.bias))) : null)));
  set(ANN.qP, names('P', (l, d) => (l.peephole ? put(`q.P.${d}`, makeTensor(wd, [3 * H], Array.from(l.peephole))) : null)));
  set(ANN.qWFrac, ints((l) => l.fmt.w));
  set(ANN.qRFrac, ints((l) => l.fmt.r));
  if (layers[0]!.peephole) set(ANN.qPFrac, ints((l) => l.fmt.p));
  set(ANN.qXFrac, ints((l) => l.fmt.x));
  set(ANN.qCFrac, ints((l) => l.fmt.c));
  set(ANN.qAccFrac, ints((l) => l.fmt.acc));
  set(ANN.qWeightBits, { kind: 'ints', value: [bits.weightBits] });
  const m = makeNode({ ...n, attrs });
  return updateGraph(g, { nodes: g.nodes.map((x) => (x === n ? m : x)), initializers: inits, values });
}

function fixedCase(seed: number) {
  const rng = new Rng(seed);
  const base = randomCase(rng, seed);
  // The accelerator's tables hold Sigmoid/Tanh only; weights must be constants to be quantized.
  const { activations: _a, alpha: _al, beta: _b, ...rest } = base;
  void _a, _al, _b;
  const c: LstmCase = { ...rest, weights: 'initializer' };
  const actBits = rng.pick([8, 16] as const);
  const bits: FixedBits = { weightBits: rng.pick([8, 16] as const), actBits, accBits: rng.pick([2 * actBits, 32, 40]), lutEntries: rng.pick([64, 256] as const) };
  return { c, bits, data: randomData(c, rng), xMax: rng.uniform(0.5, 2), cMax: rng.pick([1, 2, 4]) };
}

function reference(c: LstmCase, data: CaseData, layers: FixedLstmLayer[], A: number): Record<string, RtTensor> {
  const { T, B, H } = c;
  const D = layers.length;
  const l0 = layers[0]!;
  const r = lstmLayerFixed(layers, c.direction, quantizeArray(data.X, l0.fmt.x, A), T, B, c.seqLens ?? null,
    data.h0 && (c.states === 'input' || c.states === 'initializer') ? quantizeArray(data.h0, A - 1, A) : null,
    data.c0 && (c.states === 'input' || c.states === 'initializer') ? quantizeArray(data.c0, l0.fmt.c, A) : null);
  const real = (q: Int32Array, frac: number) => Float32Array.from(q, (v) => v * 2 ** -frac);
  const out: Record<string, RtTensor> = {
    Y: { dtype: 'f32', shape: [T, D, B, H], data: real(r.Y, A - 1) },
    Y_h: { dtype: 'f32', shape: [D, B, H], data: real(r.Yh, A - 1) },
    Y_c: { dtype: 'f32', shape: [D, B, H], data: real(r.Yc, l0.fmt.c) },
  };
  if (c.layout === 1) for (const k of Object.keys(out)) out[k] = toLayout1(k, out[k]!, c);
  return out;
}

describe('lowering to lstm.fixed', () => {
  it(`runs ${CASES} random annotated LSTMs bit-identically to lstmLayerFixed`, () => {
    const seen = new Set<string>();
    for (let k = 0; k < CASES; k++) {
      const seed = BASE + k;
      const { c, bits, data, xMax, cMax } = fixedCase(seed);
      const layers = floatDirs(c, data).map((d) => quantizeLstmDirection(d, chooseLstmFormats(d, bits, xMax, cMax), bits));
      const { graph, feeds } = buildCase(c, data, c.layout);
      const rt = lowerToRuntime(annotate(graph, layers, bits), { fixed: { actBits: bits.actBits, accBits: bits.accBits, lutEntries: bits.lutEntries } });
      expect(rt.nodes.map((n) => n.kernel), `seed ${seed}`).toContain('lstm.fixed');
      expect(rt.nodes.map((n) => n.kernel), `seed ${seed}`).not.toContain('lstm.dense.f32');
      const got = loadModel(writeRuntimeGraph(rt)).run(feeds);
      const want = reference(c, data, layers, bits.actBits);
      for (const name of Object.keys(got)) {
        const g = Array.from(got[name]!.data as Float32Array);
        const w = Array.from(want[name]!.data as Float32Array);
        expect(got[name]!.shape, `${name} shape, seed ${seed}`).toEqual(want[name]!.shape);
        const bad = g.findIndex((v, i) => v !== w[i]);
        expect(bad, `${name}: first differing element, seed ${seed} ${JSON.stringify(c)}`).toBe(-1);
      }
      seen.add(c.direction).add(`layout${c.layout}`).add(`states-${c.states}`);
      if (c.peepholes) seen.add('peepholes');
      if (c.seqLens) seen.add('seq-lens');
    }
    for (const f of ['forward', 'reverse', 'bidirectional', 'layout0', 'layout1', 'peepholes', 'seq-lens', 'states-input', 'states-initializer', 'states-zeros-subgraph'])
      expect(seen, f).toContain(f);
  });
});

describe('lowering to lstm.fixed: refusals', () => {
  const { c, bits, data } = fixedCase(BASE);
  const fixed = { actBits: bits.actBits, accBits: bits.accBits, lutEntries: bits.lutEntries };
  const codeOf = (g: Graph) => {
    try {
      lowerToRuntime(g, { fixed });
      return 'lowered';
    } catch (e) {
      if (isDiagnosticError(e)) return `${e.code} ${e.diagnostic.loc.node ?? ""}`;
      throw e;
    }
  };
  const plain = buildCase(c, data, 0).graph;
  it('an LSTM without quantize annotations, naming the node', () => expect(codeOf(plain)).toBe('E-JS-NOT-QUANTIZED lstm'));
  it('a non-LUT activation', () => {
    const n = plain.nodes.find((x) => x.op === 'LSTM')!;
    const D = c.direction === 'bidirectional' ? 2 : 1;
    const acts: Attr = { kind: 'strings', value: Array.from({ length: D }, () => ['Sigmoid', 'Relu', 'Tanh']).flat() };
    const g = updateGraph(plain, { nodes: plain.nodes.map((x) => (x === n ? makeNode({ ...n, attrs: { ...n.attrs, activations: acts } }) : x)) });
    expect(codeOf(g)).toBe('E-JS-FIXED-UNSUPPORTED lstm');
  });
  it('an annotation naming a missing initializer', () => {
    const layers = floatDirs(c, data).map((d) => quantizeLstmDirection(d, chooseLstmFormats(d, bits, 1, 1), bits));
    const g = annotate(plain, layers, bits);
    const inits = new Map(g.initializers);
    inits.delete('q.R.0');
    expect(codeOf(updateGraph(g, { initializers: inits }))).toBe('E-JS-QUANT lstm');
  });
  it('float numerics ignore the annotations', () => {
    const layers = floatDirs(c, data).map((d) => quantizeLstmDirection(d, chooseLstmFormats(d, bits, 1, 1), bits));
    expect(lowerToRuntime(annotate(plain, layers, bits)).nodes.map((n) => n.kernel)).toContain('lstm.dense.f32');
  });
});
