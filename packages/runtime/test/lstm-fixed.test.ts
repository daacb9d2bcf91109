/**
 * The `lstm.fixed` kernel against the shared layer function it wraps
 * (src/fixed lstmLayerFixed) on random configurations, bit for bit, through a
 * written and re-read runtime graph. This guards the kernel's data movement
 * (weight unpacking, layouts, directions, states, scaling), not the
 * arithmetic, which the fixed/ tests and the simulator check.
 */
import { describe, expect, it } from 'vitest';
import {
  chooseLstmFormats,
  lstmLayerFixed,
  quantizeArray,
  quantizeLstmDirection,
  type FixedBits,
  type FixedLstmLayer,
  type FloatLstmDirection,
} from '../src/fixed/index.js';
import { isRuntimeError, loadModel, readRuntimeGraph, type RtAttr, type RtTensor, type RuntimeModel } from '../src/index.js';
import { writeRuntimeGraph } from '../src/writer.js';
import { Rng } from '@lstmc/testing';
import { sealFile, splitFile } from './helpers/repack.js';

type Direction = 'forward' | 'reverse' | 'bidirectional';

interface Config {
  seed: number;
  direction: Direction;
  layout: 0 | 1;
  H: number;
  I: number;
  T: number;
  B: number;
  bias: boolean;
  peephole: boolean;
  clip: number | null;
  inputForget: boolean;
  seqLens: number[] | null;
  initH: boolean;
  initC: boolean;
  bits: FixedBits;
}

function randomConfig(seed: number): Config {
  const r = new Rng(seed);
  const T = r.int(1, 9);
  const B = r.int(1, 3);
  const actBits = r.pick([8, 16]);
  return {
    seed,
    direction: r.pick(['forward', 'reverse', 'bidirectional'] as const),
    layout: r.pick([0, 1] as const),
    H: r.int(1, 12),
    I: r.int(1, 10),
    T,
    B,
    bias: r.bool(0.8),
    peephole: r.bool(0.3),
    clip: r.bool(0.25) ? r.uniform(0.3, 3) : null,
    inputForget: r.bool(0.2),
    seqLens: r.bool(0.3) ? Array.from({ length: B }, () => r.int(0, T)) : null,
    initH: r.bool(0.4),
    initC: r.bool(0.4),
    bits: { weightBits: r.pick([8, 16]), actBits, accBits: r.pick([2 * actBits, 32, 40]), lutEntries: r.pick([64, 256, 1024]) },
  };
}

function floatDir(r: Rng, c: Config): FloatLstmDirection {
  const m = (n: number, s: number) => Float64Array.from(r.f32(n, -s, s));
  return {
    hidden: c.H,
    input: c.I,
    W: m(4 * c.H * c.I, 0.8),
    R: m(4 * c.H * c.H, 0.5),
    Wb: c.bias ? m(4 * c.H, 0.4) : null,
    Rb: c.bias ? m(4 * c.H, 0.4) : null,
    P: c.peephole ? m(3 * c.H, 0.5) : null,
    clip: c.clip,
    inputForget: c.inputForget,
  };
}

const f32 = (shape: number[], data: Float32Array): RtTensor => ({ dtype: 'f32', shape, data });
const cat = <A extends Int8Array | Int16Array | Float64Array>(ctor: new (n: number) => A, parts: ArrayLike<number>[]): A => {
  const out = new ctor(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) for (let i = 0; i < p.length; i++) out[o++] = p[i]!;
  return out;
};

/** A one-node runtime graph running `layers` with lstm.fixed; X, sequence_lens and states are graph inputs. */
function fixedModel(c: Config, layers: FixedLstmLayer[]): RuntimeModel {
  const D = layers.length;
  const { H, I } = c;
  const wCtor: new (n: number) => Int8Array | Int16Array = c.bits.weightBits === 8 ? Int8Array : Int16Array;
  const wType = c.bits.weightBits === 8 ? 'i8' : 'i16';
  const values: RuntimeModel['values'][number][] = [];
  const v = (name: string, dtype: RtTensor['dtype'], shape: (number | string)[], data?: RtTensor) => values.push({ name, dtype, shape, ...(data ? { data } : {}) }) - 1;
  const konst = (name: string, t: RtTensor) => v(name, t.dtype, [...t.shape], t);
  const stateShape = c.layout === 1 ? ['batch', D, H] : [D, 'batch', H];
  const x = v('X', 'f32', c.layout === 1 ? ['batch', 'seq', I] : ['seq', 'batch', I]);
  const inputs = [x];
  const W = konst('W', { dtype: wType, shape: [D, 4 * H, I], data: cat(wCtor, layers.map((l) => l.W)) } as RtTensor);
  const R = konst('R', { dtype: wType, shape: [D, 4 * H, H], data: cat(wCtor, layers.map((l) => l.R)) } as RtTensor);
  const B = c.bias ? konst('B', { dtype: 'f64', shape: [D, 4 * H], data: cat(Float64Array, layers.map((l) => l.bias!)) }) : -1;
  const P = c.peephole ? konst('P', { dtype: wType, shape: [D, 3 * H], data: cat(wCtor, layers.map((l) => l.peephole!)) } as RtTensor) : -1;
  const sl = c.seqLens ? v('seq_lens', 'i32', ['batch']) : -1;
  const h0 = c.initH ? v('h0', 'f32', stateShape) : -1;
  const c0 = c.initC ? v('c0', 'f32', stateShape) : -1;
  for (const k of [sl, h0, c0]) if (k >= 0) inputs.push(k);
  const Y = v('Y', 'f32', c.layout === 1 ? ['batch', 'seq', D, H] : ['seq', D, 'batch', H]);
  const Yh = v('Y_h', 'f32', stateShape);
  const Yc = v('Y_c', 'f32', stateShape);
  const ints = (f: (l: FixedLstmLayer) => number): RtAttr => ({ type: 'ints', value: layers.map(f) });
  const attrs: Record<string, RtAttr> = {
    hidden_size: { type: 'int', value: H },
    input_size: { type: 'int', value: I },
    direction: { type: 'string', value: c.direction },
    layout: { type: 'int', value: c.layout },
    input_forget: { type: 'int', value: c.inputForget ? 1 : 0 },
    weight_bits: { type: 'int', value: c.bits.weightBits },
    act_bits: { type: 'int', value: c.bits.actBits },
    acc_bits: { type: 'int', value: c.bits.accBits },
    lut_entries: { type: 'int', value: c.bits.lutEntries },
    x_frac: ints((l) => l.fmt.x),
    c_frac: ints((l) => l.fmt.c),
    acc_frac: ints((l) => l.fmt.acc),
    w_frac: ints((l) => l.fmt.w),
    r_frac: ints((l) => l.fmt.r),
    ...(c.peephole ? { p_frac: ints((l) => l.fmt.p) } : {}),
    ...(c.clip !== null ? { clip: { type: 'float', value: c.clip } as RtAttr } : {}),
  };
  return { values, inputs, outputs: [Y, Yh, Yc], nodes: [{ kernel: 'lstm.fixed', name: 'lstm', inputs: [x, W, R, B, P, sl, h0, c0], outputs: [Y, Yh, Yc], attrs }] };
}

/** [B, T, K] <-> [T, B, K]. */
function swap01(a: ArrayLike<number>, n0: number, n1: number, k: number): Float64Array {
  const out = new Float64Array(n0 * n1 * k);
  for (let i = 0; i < n0; i++) for (let j = 0; j < n1; j++) for (let q = 0; q < k; q++) out[(j * n0 + i) * k + q] = a[(i * n1 + j) * k + q]!;
  return out;
}

function check(c: Config): ReturnType<typeof loadModel> {
  const r = new Rng(c.seed * 7919 + 1);
  const D = c.direction === 'bidirectional' ? 2 : 1;
  const floats = Array.from({ length: D }, () => floatDir(r, c));
  const xMax = r.uniform(0.5, 3);
  const cMax = r.pick([1, 2, 4, 8]);
  const layers = floats.map((d) => quantizeLstmDirection(d, chooseLstmFormats(d, c.bits, xMax, cMax), c.bits));
  const { T, B, H, I } = c;
  const x = r.f32(T * B * I, -xMax * 1.2, xMax * 1.2); // a little saturation at the edges
  const h0 = c.initH ? r.f32(D * B * H, -1, 1) : null;
  const c0 = c.initC ? r.f32(D * B * H, -cMax, cMax) : null;
  const model = loadModel(writeRuntimeGraph(fixedModel(c, layers)));
  const feed: Record<string, RtTensor> = { X: f32(c.layout === 1 ? [B, T, I] : [T, B, I], x) };
  const stShape = c.layout === 1 ? [B, D, H] : [D, B, H];
  if (c.seqLens) feed['seq_lens'] = { dtype: 'i32', shape: [B], data: Int32Array.from(c.seqLens) };
  if (h0) feed['h0'] = f32(stShape, h0);
  if (c0) feed['c0'] = f32(stShape, c0);
  const got = model.run(feed);

  // The reference: one call of the shared layer function over all directions, layout 0.
  const A = c.bits.actBits;
  const l0 = layers[0]!;
  const xt = c.layout === 1 ? swap01(x, B, T, I) : x;
  const st = (s: Float32Array | null, frac: number) => (s ? quantizeArray(c.layout === 1 ? swap01(s, B, D, H) : s, frac, A) : null);
  const want = lstmLayerFixed(layers, c.direction, quantizeArray(xt, l0.fmt.x, A), T, B, c.seqLens, st(h0, A - 1), st(c0, l0.fmt.c));
  const real = (q: Int32Array, frac: number) => Float64Array.from(q, (v) => v * 2 ** -frac);
  const stateBack = (q: Int32Array, frac: number) => (c.layout === 1 ? swap01(real(q, frac), D, B, H) : real(q, frac));
  const same = (name: string, a: RtTensor, b: Float64Array) => {
    expect(a.data.length, `${name} size (seed ${c.seed})`).toBe(b.length);
    const bad = Array.from(a.data as Float32Array).findIndex((v, i) => v !== b[i]);
    expect(bad, `${name}: first differing element (seed ${c.seed}, ${JSON.stringify(c)})`).toBe(-1);
  };
  same('Y', got['Y']!, c.layout === 1 ? yToLayout1(real(want.Y, A - 1), T, D, B, H) : real(want.Y, A - 1));
  same('Y_h', got['Y_h']!, stateBack(want.Yh, A - 1));
  same('Y_c', got['Y_c']!, stateBack(want.Yc, l0.fmt.c));
  return model;
}

/** Y [T, D, B, H] -> [B, T, D, H]. */
function yToLayout1(y: Float64Array, T: number, D: number, B: number, H: number): Float64Array {
  const out = new Float64Array(y.length);
  for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) out[((b * T + t) * D + d) * H + j] = y[((t * D + d) * B + b) * H + j]!;
  return out;
}

describe('lstm.fixed = lstmLayerFixed, bit for bit', () => {
  it('on 150 random configurations (directions, layouts, widths, LUT sizes, states, sequence_lens, clip, peepholes, input_forget)', () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 150; seed++) {
      const c = randomConfig(seed);
      check(c);
      seen.add(`${c.direction}/${c.layout}`);
      if (c.seqLens?.includes(0)) seen.add('zero-length');
      if (c.bits.actBits === 8) seen.add('act8');
      if (c.clip !== null && c.peephole) seen.add('clip+peephole');
    }
    // The random draw covers every direction x layout and the edge cases.
    for (const k of ['forward/0', 'forward/1', 'reverse/0', 'reverse/1', 'bidirectional/0', 'bidirectional/1', 'zero-length', 'act8']) expect(seen, k).toContain(k);
  });

  it('a stream of chunks equals one run, bit for bit', () => {
    const c: Config = { ...randomConfig(5), direction: 'forward', seqLens: null, T: 12, layout: 0 };
    const r = new Rng(42);
    const layers = [quantizeLstmDirection(floatDir(r, c), chooseLstmFormats(floatDir(new Rng(1), c), c.bits, 2, 4), c.bits)];
    const model = loadModel(writeRuntimeGraph(fixedModel({ ...c, initH: false, initC: false }, layers)));
    const x = r.f32(c.T * c.B * c.I, -2, 2);
    const whole = model.run({ X: f32([c.T, c.B, c.I], x) });
    const s = model.createStream();
    const ys: number[] = [];
    let last: Record<string, RtTensor> = {};
    for (const [t0, t1] of [[0, 5], [5, 6], [6, 12]] as const) {
      last = s.push({ X: f32([t1 - t0, c.B, c.I], x.slice(t0 * c.B * c.I, t1 * c.B * c.I)) });
      ys.push(...(last['Y']!.data as Float32Array));
    }
    expect(ys).toEqual(Array.from(whole['Y']!.data as Float32Array));
    expect(Array.from(last['Y_c']!.data as Float32Array)).toEqual(Array.from(whole['Y_c']!.data as Float32Array));
  });
});

describe('lstm.fixed validation at load', () => {
  const c: Config = { ...randomConfig(3), direction: 'forward', layout: 0, bias: true, peephole: false, bits: { weightBits: 8, actBits: 16, accBits: 32, lutEntries: 256 } };
  const r = new Rng(9);
  const d = floatDir(r, c);
  const good = fixedModel(c, [quantizeLstmDirection(d, chooseLstmFormats(d, c.bits, 2, 4), c.bits)]);
  const mutate = (f: (m: { values: RuntimeModel['values'][number][]; attrs: Record<string, RtAttr> }) => void): RuntimeModel => {
    const m = readRuntimeGraph(writeRuntimeGraph(good));
    const values = m.values.map((v) => ({ ...v }));
    const attrs = { ...m.nodes[0]!.attrs };
    f({ values, attrs });
    return { ...m, values, nodes: [{ ...m.nodes[0]!, attrs }] };
  };
  const codeOf = (m: RuntimeModel) => {
    try {
      loadModel(writeRuntimeGraph(m));
      return 'loaded';
    } catch (e) {
      if (!isRuntimeError(e)) throw e;
      return `${e.code}: ${e.message}`;
    }
  };
  it('loads the well-formed graph', () => expect(codeOf(good)).toBe('loaded'));
  const cases: [string, (m: { values: RuntimeModel['values'][number][]; attrs: Record<string, RtAttr> }) => void, RegExp][] = [
    ['weights outside weight_bits', ({ attrs }) => (attrs['weight_bits'] = { type: 'int', value: 4 }), /E-RT-GRAPH: .*W has values outside the 4-bit range/],
    ['a fraction list of the wrong length', ({ attrs }) => (attrs['x_frac'] = { type: 'ints', value: [3, 3] }), /E-RT-GRAPH: .*x_frac/],
    ['a LUT size that is not a power of two', ({ attrs }) => (attrs['lut_entries'] = { type: 'int', value: 100 }), /E-RT-GRAPH: .*lut_entries/],
    ['an accumulator wider than 48 bits', ({ attrs }) => (attrs['acc_bits'] = { type: 'int', value: 60 }), /E-RT-GRAPH: .*acc_bits/],
    ['a missing width', ({ attrs }) => delete attrs['act_bits'], /E-RT-ATTR/],
    ['a bias that is not an integer', ({ values }) => {
      const b = values.find((v) => v.name === 'B')!;
      const data = Float64Array.from(b.data!.data as Float64Array);
      data[1] = 0.5;
      values.splice(values.indexOf(b), 1, { ...b, data: { ...b.data!, data } });
    }, /E-RT-GRAPH: .*B has values/],
    ['float weights', ({ values }) => {
      const w = values.find((v) => v.name === 'R')!;
      values.splice(values.indexOf(w), 1, { ...w, dtype: 'f32', data: { dtype: 'f32', shape: w.data!.shape, data: Float32Array.from(w.data!.data as Int8Array) } });
    }, /E-RT-GRAPH: .*R must be an i8 or i16/],
  ];
  for (const [what, f, want] of cases) it(`refuses ${what}`, () => expect(codeOf(mutate(f))).toMatch(want));
});

describe('lstm.fixed in a corrupted manifest (re-sealed with valid checksums)', () => {
  it('random number mutations either fail with a RuntimeError or still run', () => {
    const c: Config = { ...randomConfig(21), direction: 'bidirectional', layout: 0, bias: true, peephole: true, clip: 1.5, seqLens: null, initH: true, initC: true };
    const r = new Rng(8);
    const layers = [0, 1].map(() => {
      const d = floatDir(r, c);
      return quantizeLstmDirection(d, chooseLstmFormats(d, c.bits, 2, 4), c.bits);
    });
    const good = writeRuntimeGraph(fixedModel(c, layers));
    const { manifest, blob } = splitFile(good);
    const st = [2, c.B, c.H];
    const feed = { X: f32([c.T, c.B, c.I], r.f32(c.T * c.B * c.I, -2, 2)), h0: f32(st, r.f32(2 * c.B * c.H)), c0: f32(st, r.f32(2 * c.B * c.H)) };
    const nums = [...manifest.matchAll(/-?\d+(\.\d+)?(e-?\d+)?/g)];
    const rng = new Rng(77);
    let rejected = 0;
    for (let k = 0; k < 300; k++) {
      const hit = nums[rng.int(0, nums.length - 1)]!;
      const repl = String(rng.pick([-1, 0, 1, 2, 3, 7, 17, 64, 1e9, -64, 0.5, rng.int(0, 200)]));
      const text = manifest.slice(0, hit.index) + repl + manifest.slice(hit.index! + hit[0].length);
      try {
        const m = loadModel(sealFile(text, blob));
        const out = m.run(feed);
        for (const o of m.outputs) expect(out[o.name]!.dtype).toBe(o.dtype);
      } catch (e) {
        if (!isRuntimeError(e)) throw new Error(`mutation ${k} (${hit[0]} -> ${repl} at ${hit.index}) threw a non-RuntimeError: ${String(e)}`);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(100);
  });
});
