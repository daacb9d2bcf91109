/** Conv over 1, 2 or 3 spatial dims: pads, strides, dilations, groups, auto_pad. */
import type { EvalContext, InferContext, OpDef } from '../def.js';
import type { Dim } from '../types.js';
import { FLOAT_TYPES, expectDType, req, sameAs, sameDType } from '../infer-util.js';
import { alloc, type Allocator, numel, type NumberData, type OpTensor } from '../tensor.js';

interface ConvGeometry {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  /** Begin pads then end pads, one per spatial dim each. */
  readonly pads: readonly number[];
}

/** Pads for auto_pad SAME_*: output = ceil(in / stride). */
function samePads(inSize: readonly number[], g: Omit<ConvGeometry, 'pads'>, upper: boolean): number[] {
  const n = inSize.length;
  const pads = new Array<number>(2 * n).fill(0);
  for (let i = 0; i < n; i++) {
    const out = Math.ceil(inSize[i]! / g.strides[i]!);
    const total = Math.max(0, (out - 1) * g.strides[i]! + (g.kernel[i]! - 1) * g.dilations[i]! + 1 - inSize[i]!);
    const small = Math.floor(total / 2);
    pads[i] = upper ? small : total - small;
    pads[i + n] = upper ? total - small : small;
  }
  return pads;
}

/** Checks the attributes against `n` spatial dims; `fail(message, field)` reports. */
function geometry(attrs: Readonly<Record<string, unknown>>, n: number, kernelFromW: readonly (number | undefined)[], fail: (m: string, f: string) => never): Omit<ConvGeometry, 'pads'> & { pads?: number[] } {
  const list = (name: string, len: number, dflt: number) => {
    const v = attrs[name] as readonly number[] | undefined;
    if (v === undefined) return new Array<number>(len).fill(dflt);
    if (v.length !== len) fail(`Conv ${name} has ${v.length} entries, expected ${len} for ${n} spatial dims`, name);
    if (v.some((x) => !Number.isInteger(x) || x < (name === 'pads' ? 0 : 1))) fail(`Conv ${name} [${v.join(', ')}] must be ${name === 'pads' ? 'non-negative' : 'positive'} integers`, name);
    return [...v];
  };
  const ks = attrs.kernel_shape as readonly number[] | undefined;
  const kernel = ks ? list('kernel_shape', n, 1) : kernelFromW.map((k) => k ?? 1);
  if (ks) kernelFromW.forEach((k, i) => k !== undefined && k !== kernel[i] && fail(`Conv kernel_shape [${ks.join(', ')}] differs from the weights' spatial dims`, 'kernel_shape'));
  const strides = list('strides', n, 1);
  const dilations = list('dilations', n, 1);
  const autoPad = attrs.auto_pad as string;
  if (attrs.pads !== undefined && autoPad !== 'NOTSET') fail(`Conv has both pads and auto_pad=${autoPad}`, 'pads');
  const pads = autoPad === 'NOTSET' ? list('pads', 2 * n, 0) : autoPad === 'VALID' ? new Array<number>(2 * n).fill(0) : undefined;
  return { kernel, strides, dilations, ...(pads ? { pads } : {}) };
}

function outSize(inSize: number, k: number, s: number, d: number, p0: number, p1: number): number {
  return Math.floor((inSize + p0 + p1 - ((k - 1) * d + 1)) / s) + 1;
}

/** What a Conv call computes over, from its input and weight shapes and attributes (convPlan). */
export interface ConvPlan {
  readonly N: number;
  readonly C: number;
  /** Output channels, and input channels per group. */
  readonly M: number;
  readonly CG: number;
  readonly group: number;
  readonly outS: readonly number[];
  /** Elements per channel of the input, of the output, and taps of the kernel. */
  readonly inSp: number;
  readonly outSp: number;
  readonly kSp: number;
  /**
   * The input offset within a channel that output position o reads at tap t (both flat, row-major),
   * at [o * kSp + t], or -1 where that tap falls in the padding.
   */
  readonly src: Int32Array;
  /** Per spatial dim: stride, dilation, and the padding before it (resolved from auto_pad). */
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  readonly padsBegin: readonly number[];
}

/**
 * The geometry of a Conv call (pads, strides, dilations, auto_pad, groups) on concrete shapes; `fail`
 * reports shapes that do not fit. The evaluation below runs its arithmetic on it.
 */
export function convPlan(xShape: readonly number[], wShape: readonly number[], attrs: Readonly<Record<string, unknown>>, fail: (message: string) => never): ConvPlan {
  const n = xShape.length - 2;
  if (n < 1 || wShape.length !== xShape.length) fail(`Conv shapes [${xShape.join(',')}] and [${wShape.join(',')}] do not fit`);
  const group = attrs.group as number;
  const [N, C] = [xShape[0]!, xShape[1]!];
  const [M, CG] = [wShape[0]!, wShape[1]!];
  if (C !== CG * group || M % group !== 0) fail(`Conv channels do not fit: input ${C}, weights ${M}x${CG}, group ${group}`);
  const g0 = geometry(attrs, n, wShape.slice(2), (msg) => fail(msg));
  const inS = xShape.slice(2);
  const pads = g0.pads ?? samePads(inS, g0, attrs.auto_pad === 'SAME_UPPER');
  const outS = inS.map((s, i) => outSize(s, g0.kernel[i]!, g0.strides[i]!, g0.dilations[i]!, pads[i]!, pads[i + n]!));
  if (outS.some((o) => o < 1)) fail(`Conv output would be empty: [${outS.join(',')}]`);
  const inSp = numel(inS);
  const outSp = numel(outS);
  const kSp = numel(g0.kernel);
  // Per spatial dim i, the input position that output position o reads at kernel offset k,
  // at [o * kernel_i + k], or -1 where that falls in the padding.
  const coord = outS.map((os, i) => {
    const K = g0.kernel[i]!;
    const tab = new Int32Array(os * K);
    for (let o = 0; o < os; o++)
      for (let k = 0; k < K; k++) {
        const p = o * g0.strides[i]! - pads[i]! + k * g0.dilations[i]!;
        tab[o * K + k] = p >= 0 && p < inS[i]! ? p : -1;
      }
    return tab;
  });
  // Per flat output position and flat tap, their coordinates along each spatial dim (row-major).
  const split = (sizes: readonly number[]) =>
    sizes.map((_, i) => {
      const inner = numel(sizes.slice(i + 1));
      return Int32Array.from({ length: numel(sizes) }, (_, f) => Math.floor(f / inner) % sizes[i]!);
    });
  const oAt = split(outS);
  const kAt = split(g0.kernel);
  const src = new Int32Array(outSp * kSp);
  for (let o = 0; o < outSp; o++)
    for (let t = 0; t < kSp; t++) {
      let idx = 0;
      for (let i = 0; i < n && idx >= 0; i++) {
        const p = coord[i]![oAt[i]![o]! * g0.kernel[i]! + kAt[i]![t]!]!;
        idx = p < 0 ? -1 : idx * inS[i]! + p;
      }
      src[o * kSp + t] = idx;
    }
  return { N, C, M, CG, group, outS, inSp, outSp, kSp, src, strides: g0.strides, dilations: g0.dilations, padsBegin: pads.slice(0, n) };
}

/** N-D convolution (cross-correlation) with pads, strides, dilations, groups and bias. */
export const Conv: OpDef = {
  inputs: [{ name: 'X' }, { name: 'W' }, { name: 'B', optional: true }],
  outputs: [{ name: 'Y' }],
  attrs: {
    auto_pad: { kind: 'string', default: 'NOTSET', oneOf: ['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'] },
    dilations: { kind: 'ints' },
    group: { kind: 'int', default: 1, min: 1 },
    kernel_shape: { kind: 'ints' },
    pads: { kind: 'ints' },
    strides: { kind: 'ints' },
  },
  infer(ctx: InferContext) {
    const x = expectDType(ctx, 0, FLOAT_TYPES);
    const w = req(ctx, 1);
    sameDType(ctx, [0, 1, 2]);
    if (!x.shape || !w.shape) return [sameAs(x, undefined)];
    if (x.shape.length < 3 || x.shape.length > 5) ctx.fail('E-IR-SHAPE', `Conv input must be [N, C, spatial...] with 1-3 spatial dims, got rank ${x.shape.length}`, 'X');
    if (w.shape.length !== x.shape.length) ctx.fail('E-IR-SHAPE', `Conv weights have rank ${w.shape.length}, input rank ${x.shape.length}`, 'W');
    const n = x.shape.length - 2;
    const group = ctx.attrs.group as number;
    const [m, cg] = [w.shape[0]!, w.shape[1]!];
    const c = x.shape[1]!;
    if (typeof c === 'number' && typeof cg === 'number' && c !== cg * group)
      ctx.fail('E-IR-SHAPE', `Conv input has ${c} channels, weights expect ${cg} x group ${group}`, 'W');
    if (typeof m === 'number' && m % group !== 0) ctx.fail('E-IR-SHAPE', `Conv output channels ${m} are not divisible by group ${group}`, 'W');
    const b = ctx.inputs[2];
    if (b?.shape && (b.shape.length !== 1 || (typeof b.shape[0] === 'number' && typeof m === 'number' && b.shape[0] !== m)))
      ctx.fail('E-IR-SHAPE', `Conv bias must be [${m}], got [${b.shape.join(', ')}]`, 'B');
    const wk = w.shape.slice(2).map((d) => (typeof d === 'number' ? d : undefined));
    const g = geometry(ctx.attrs, n, wk, (msg, field) => ctx.fail('E-IR-ATTR-VALUE', msg, field));
    const spatial = x.shape.slice(2);
    const out: Dim[] = [x.shape[0]!, m];
    for (let i = 0; i < n; i++) {
      const s = spatial[i]!;
      if (typeof s !== 'number') {
        out.push(ctx.fresh('conv'));
        continue;
      }
      const pads = g.pads ?? samePads(spatial as number[], g, ctx.attrs.auto_pad === 'SAME_UPPER');
      const o = outSize(s, g.kernel[i]!, g.strides[i]!, g.dilations[i]!, pads[i]!, pads[i + n]!);
      if (o < 1) ctx.fail('E-IR-SHAPE', `Conv output dim ${i} would be ${o} (input ${s}, kernel ${g.kernel[i]}, pads ${pads[i]}+${pads[i + n]})`, 'pads');
      out.push(o);
    }
    return [sameAs(x, out)];
  },
  eval(ctx: EvalContext) {
    const [X, W, B] = [ctx.inputs[0]!, ctx.inputs[1]!, ctx.inputs[2]];
    return [convCompute(convPlan(X.shape, W.shape, ctx.attrs, (m) => ctx.fail(m)), X, W, B ?? undefined, ctx.alloc)];
  },
};

/** Conv's arithmetic on a plan (convPlan of X's and W's shapes): the output tensor, of X's dtype. */
export function convCompute(plan: ConvPlan, X: OpTensor, W: OpTensor, B: OpTensor | undefined, allocate: Allocator = alloc): OpTensor {
  const { N, C, M, CG, group, inSp, outSp, kSp, outS, src } = plan;
  const x = X.data as NumberData;
  const w = W.data as NumberData;
  const bias = B ? (B.data as NumberData) : undefined;
  const out = allocate(X.dtype, N * M * outSp) as NumberData;
  const mg = M / group;
  // Each output is the bias plus its taps in order (inside ones only: src), each tap's channels in
  // order, accumulated in float64; four output channels of one group at a time (four independent
  // sums sharing each x load: the add latency of one would bound the loop), then the rest one by one.
  const wStep = CG * kSp;
  // One input channel per group (depthwise Convs): the same sums, without the channel loop of one
  // iteration per tap (Silero VAD v4's five depthwise Convs took 3-4 ns per multiply-add in it).
  if (CG === 1) {
    for (let b = 0; b < N; b++)
      for (let m = 0; m < M; m++) {
        const xBase = (b * C + Math.floor(m / mg)) * inSp;
        const wBase = m * kSp;
        for (let o = 0, at = 0; o < outSp; o++) {
          let acc = bias ? bias[m]! : 0;
          for (let t = 0; t < kSp; t++, at++) {
            const idx = src[at]!;
            if (idx >= 0) acc += x[xBase + idx]! * w[wBase + t]!;
          }
          out[(b * M + m) * outSp + o] = acc;
        }
      }
    return { dtype: X.dtype, shape: [N, M, ...outS], data: out };
  }
  for (let b = 0; b < N; b++)
    for (let g = 0; g < group; g++) {
      const xBase = (b * C + g * CG) * inSp;
      const mEnd = (g + 1) * mg;
      let m = g * mg;
      for (; m + 4 <= mEnd; m += 4) {
        const wBase = m * wStep;
        for (let o = 0; o < outSp; o++) {
          let a0 = bias ? bias[m]! : 0;
          let a1 = bias ? bias[m + 1]! : 0;
          let a2 = bias ? bias[m + 2]! : 0;
          let a3 = bias ? bias[m + 3]! : 0;
          for (let t = 0, at = o * kSp; t < kSp; t++, at++) {
            const idx = src[at]!;
            if (idx < 0) continue;
            for (let c = 0, xi = xBase + idx, wi = wBase + t; c < CG; c++, xi += inSp, wi += kSp) {
              const xv = x[xi]!;
              a0 += xv * w[wi]!;
              a1 += xv * w[wi + wStep]!;
              a2 += xv * w[wi + 2 * wStep]!;
              a3 += xv * w[wi + 3 * wStep]!;
            }
          }
          const oi = (b * M + m) * outSp + o;
          out[oi] = a0;
          out[oi + outSp] = a1;
          out[oi + 2 * outSp] = a2;
          out[oi + 3 * outSp] = a3;
        }
      }
      for (; m < mEnd; m++) {
        const wBase = m * wStep;
        for (let o = 0; o < outSp; o++) {
          let acc = bias ? bias[m]! : 0;
          for (let t = 0, at = o * kSp; t < kSp; t++, at++) {
            const idx = src[at]!;
            if (idx < 0) continue;
            for (let c = 0, xi = xBase + idx, wi = wBase + t; c < CG; c++, xi += inSp, wi += kSp) acc += x[xi]! * w[wi]!;
          }
          out[(b * M + m) * outSp + o] = acc;
        }
      }
    }
  return { dtype: X.dtype, shape: [N, M, ...outS], data: out };
}

/** The ops of this file, as the op table takes them: adding an op here is the whole change. */
export const CONV_OPS = { Conv } as const satisfies Record<string, OpDef>;
