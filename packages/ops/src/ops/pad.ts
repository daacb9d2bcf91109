/** Pad: constant, reflect, edge and wrap modes; pads as an attribute (opset < 11) or an input, optional axes (18+). */
import type { EvalContext, InferContext, OpDef } from '../def.js';
import type { Dim } from '../types.js';
import { constInts, expectDType, inputsFromOpset, needsOpset, normAxis, req, sameAs } from '../infer-util.js';
import { allocatorOf, copyRun, numel, stridesOf, toNumbers, type OpData, type OpTensor } from '../tensor.js';
import { evalAxis } from './indexing.js';

/** Full begin/end pads per dim (2 * rank), from pads over `axes` (all dims when absent). */
function fullPads(pads: readonly number[], axes: readonly number[] | undefined, rank: number): number[] | undefined {
  const ax = axes ?? [...Array(rank).keys()];
  if (pads.length !== 2 * ax.length) return undefined;
  const full = new Array<number>(2 * rank).fill(0);
  ax.forEach((a, k) => {
    full[a] = pads[k]!;
    full[a + rank] = pads[k + ax.length]!;
  });
  return full;
}

/**
 * A row's pads on float32 data (`edge`: per pad position, its source offset in the row or -1 for the
 * fill): the generic loop's element accesses see every dtype and were 10 ns each (Silero VAD v4's
 * reflect pad of 192 floats took 3 us).
 */
function edgesF32(out: Float32Array, src: Float32Array, o: number, k: number, edge: Int32Array, lo: number, hi: number, fill: number): void {
  for (let e = 0; e < edge.length; e++) {
    const p = edge[e]!;
    out[o + (e < lo ? e : hi + e - lo)] = p < 0 ? fill : src[k + p]!;
  }
}

/** The source index of position p (its index minus the pad before it) along a dim of `size`, or -1 outside it (constant mode). */
function padSource(mode: string, size: number, p: number): number {
  if (p >= 0 && p < size) return p;
  if (mode === 'constant' || size === 0) return -1;
  if (mode === 'edge') return p < 0 ? 0 : size - 1;
  if (mode === 'wrap') return ((p % size) + size) % size;
  // reflect without repeating the edge: period 2 * (size - 1); one reflection without the modulo
  if (p < 0 && p > -size) return -p;
  if (p >= size && p < 2 * size - 1) return 2 * (size - 1) - p;
  const period = Math.max(1, 2 * (size - 1));
  const q = ((p % period) + period) % period;
  return q >= size ? period - q : q;
}

/** Pad (or crop, with negative pads) each dim: constant value, reflect, edge or wrap. */
export const Pad: OpDef = {
  inputs: [{ name: 'data' }, { name: 'pads', optional: true }, { name: 'constant_value', optional: true }, { name: 'axes', optional: true }],
  outputs: [{ name: 'output' }],
  attrs: { mode: { kind: 'string', default: 'constant', oneOf: ['constant', 'reflect', 'edge', 'wrap'] }, pads: { kind: 'ints' }, value: { kind: 'float', default: 0 } },
  infer(ctx: InferContext) {
    const x = req(ctx, 0);
    inputsFromOpset(ctx, 11, 'pads and the constant value', 'pads', ctx.inputs.slice(1).some((t) => t), ctx.attrs.pads !== undefined);
    if (ctx.inputs[3]) needsOpset(ctx, 18, 'the axes input', 'axes');
    if (ctx.attrs.mode === 'wrap') needsOpset(ctx, 19, "mode 'wrap'", 'mode');
    if (ctx.attrs.pads === undefined && !ctx.inputs[1]) ctx.fail('E-IR-MISSING-INPUT', 'Pad needs pads (attribute or input)', 'pads');
    if (ctx.inputs[1]) expectDType(ctx, 1, ['i64']);
    if (!x.shape) return [sameAs(x, undefined)];
    const r = x.shape.length;
    const pads = (ctx.attrs.pads as number[] | undefined) ?? constInts(ctx, 1);
    const axesIn = ctx.inputs[3] ? constInts(ctx, 3) : undefined;
    if (!pads || (ctx.inputs[3] && !axesIn)) return [sameAs(x, x.shape.map(() => ctx.fresh('pad')))];
    const axes = axesIn?.map((a) => normAxis(ctx, a, r, 'axes'));
    const full = fullPads(pads, axes, r);
    if (!full) ctx.fail('E-IR-SHAPE', `Pad pads has ${pads.length} entries, expected ${2 * (axes?.length ?? r)} (begin and end per ${axes ? 'axis' : 'dim'})`, 'pads');
    const mode = ctx.attrs.mode as string;
    const out: Dim[] = x.shape.map((d, i) => {
      if (typeof d !== 'number') return full[i] === 0 && full[i + r] === 0 ? d : ctx.fresh('pad');
      const o = d + full[i]! + full[i + r]!;
      if (o < 0) ctx.fail('E-IR-SHAPE', `Pad crops dim ${i} of size ${d} below zero`, 'pads');
      if (mode === 'reflect' && (full[i]! >= d || full[i + r]! >= d) && (full[i]! > 0 || full[i + r]! > 0))
        ctx.fail('E-IR-SHAPE', `reflect pads [${full[i]}, ${full[i + r]}] must be smaller than dim ${i} of size ${d}`, 'pads');
      return o;
    });
    return [sameAs(x, out)];
  },
  eval(ctx: EvalContext) {
    const x = ctx.inputs[0]!;
    const r = x.shape.length;
    const pads = (ctx.attrs.pads as number[] | undefined) ?? toNumbers(ctx.inputs[1] ?? ctx.fail('Pad needs pads'));
    const axes = ctx.inputs[3] ? toNumbers(ctx.inputs[3]).map((a) => evalAxis(ctx, a, r, 'axes')) : undefined;
    const full = fullPads(pads, axes, r) ?? ctx.fail(`Pad pads has ${pads.length} entries for rank ${r}`);
    const shape = x.shape.map((d, i) => d + full[i]! + full[i + r]!);
    if (shape.some((d) => d < 0)) ctx.fail(`Pad crops [${x.shape.join(',')}] below zero`);
    const mode = ctx.attrs.mode as string;
    const cv = ctx.inputs[2];
    const fill: unknown = cv && cv.data.length > 0 ? cv.data[0] : x.data instanceof BigInt64Array ? 0n : (ctx.attrs.value as number);
    const n = numel(shape);
    const out = allocatorOf(ctx)(x.dtype, n) as unknown as { [i: number]: unknown };
    const src = x.data as unknown as ArrayLike<unknown>;
    const xs = stridesOf(x.shape);
    /** The source index along dim d of output index i along it, or -1 outside it (constant mode). */
    const source = (d: number, i: number): number => padSource(mode, x.shape[d]!, i - full[d]!);
    // per outer dim, the source offset of each output index (its source index times the source stride), -1 outside (constant)
    const maps = shape.slice(0, Math.max(0, r - 1)).map((len, d) => {
      const map = new Int32Array(len);
      for (let i = 0; i < len; i++) {
        const p = source(d, i);
        map[i] = p < 0 ? -1 : p * xs[d]!;
      }
      return map;
    });
    // Rows of the last dim, the outer dims walked with an odometer (a row is all fill if an outer index
    // is outside). Along the last dim, outputs lo..hi-1 read the source row in order (one plain copy);
    // the pads around them go through padSource.
    const inner = r === 0 ? 1 : shape[r - 1]!;
    const before = r === 0 ? 0 : full[r - 1]!;
    const lo = Math.min(inner, Math.max(0, before));
    const hi = r === 0 ? 1 : Math.max(lo, Math.min(inner, x.shape[r - 1]! + before));
    const shift = r === 0 ? 0 : before;
    const edge = new Int32Array(lo + inner - hi);
    if (r > 0) {
      const [size, b0] = [x.shape[r - 1]!, full[r - 1]!];
      for (let e = 0; e < edge.length; e++) edge[e] = padSource(mode, size, (e < lo ? e : hi + e - lo) - b0);
    }
    const idx = new Array<number>(r).fill(0);
    for (let o = 0; o < n; o += inner) {
      let k = 0;
      let outside = false;
      for (let d = 0; d < r - 1; d++) {
        const p = maps[d]![idx[d]!]!;
        if (p < 0) outside = true;
        k += p;
      }
      if (outside) for (let i = 0; i < inner; i++) out[o + i] = fill;
      else {
        copyRun(out as unknown as OpData, o + lo, x.data, k + lo - shift, hi - lo);
        if (out instanceof Float32Array && src instanceof Float32Array) edgesF32(out, src, o, k, edge, lo, hi, fill as number);
        else
          for (let e = 0; e < edge.length; e++) {
            const p = edge[e]!;
            out[o + (e < lo ? e : hi + e - lo)] = p < 0 ? fill : src[k + p];
          }
      }
      for (let d = r - 2; d >= 0; d--) {
        if (++idx[d]! < shape[d]!) break;
        idx[d] = 0;
      }
    }
    return [{ dtype: x.dtype, shape, data: out as unknown as OpTensor['data'] }];
  },
};

/** The ops of this file, as the op table takes them: adding an op here is the whole change. */
export const PAD_OPS = { Pad } as const satisfies Record<string, OpDef>;
