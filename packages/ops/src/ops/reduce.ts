/** Reductions over axes (ReduceSum takes axes as an input from opset 13, the others from opset 18). */
import type { EvalContext, InferContext, OpDef } from '../def.js';
import type { Dim } from '../types.js';
import { NUMERIC_TYPES, constInts, expectDType, inputsFromOpset, normAxis, sameAs } from '../infer-util.js';
import { alloc, type Allocator, isBigData, stridesOf, toNumbers, type NumberData, type OpTensor } from '../tensor.js';
import { evalAxis } from './indexing.js';

/** One reduction on one element domain: JS numbers (accumulated in float64) or bigints (64-bit integer tensors, exact). */
interface Fold<T> {
  readonly init: T;
  readonly step: (acc: T, x: T) => T;
  readonly finish?: (acc: T, n: number) => T;
}

interface Reducer extends Fold<number> {
  readonly big: Fold<bigint>;
}

/** The reduced axes (sorted, normalized), [] meaning all or none per noop_with_empty_axes; undefined when not known. */
function inferAxes(ctx: InferContext, rank: number): number[] | undefined {
  const attr = ctx.attrs.axes as readonly number[] | undefined;
  const given = attr ? [...attr] : ctx.inputs[1] ? constInts(ctx, 1) : [];
  return given?.map((a) => normAxis(ctx, a, rank, 'axes'));
}

function evalAxes(ctx: EvalContext, rank: number): number[] {
  const attr = ctx.attrs.axes as readonly number[] | undefined;
  const given = attr ? [...attr] : ctx.inputs[1] ? toNumbers(ctx.inputs[1]) : [];
  return given.map((a) => evalAxis(ctx, a, rank, 'axes'));
}

/**
 * reduceTensor over contiguous axes (one, or a run of adjacent ones): the input is [outer, R, inner], R the
 * reduced axes' size, each output (o, i) folds its R inputs in order, as the general walk does (the
 * same results), in one float64 accumulator, without the general walk's odometer per element.
 */
function contiguousFold(src: ArrayLike<number>, shape: readonly number[], axes: readonly number[], r: Fold<number>, count: number, out: { [i: number]: number }): void {
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < shape.length; d++) {
    if (d < axes[0]!) outer *= shape[d]!;
    else if (d > axes[axes.length - 1]!) inner *= shape[d]!;
  }
  const { init, step, finish } = r;
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      let acc = init;
      for (let k = 0, at = o * count * inner + i; k < count; k++, at += inner) acc = step(acc, src[at]!);
      out[o * inner + i] = finish ? finish(acc, count) : acc;
    }
}

export function reduceTensor<T extends number | bigint>(x: OpTensor, axes: readonly number[], keep: boolean, r: Fold<T>, allocate: Allocator = alloc): OpTensor {
  const rank = x.shape.length;
  const red = new Set(axes);
  const outFull = x.shape.map((d, i) => (red.has(i) ? 1 : d));
  const shape = keep ? outFull : x.shape.filter((_, i) => !red.has(i));
  const os = stridesOf(outFull);
  let n = 1;
  for (const d of outFull) n *= d;
  let count = 1;
  for (const a of red) count *= x.shape[a]!;
  const src = x.data as unknown as ArrayLike<T>;
  const sorted = [...red].sort((a, b) => a - b);
  if (typeof r.init === 'number' && sorted.length > 0 && sorted.every((a, k) => a === sorted[0]! + k)) {
    const out = allocate(x.dtype, n) as unknown as { [i: number]: number };
    contiguousFold(src as unknown as ArrayLike<number>, x.shape, sorted, r as unknown as Fold<number>, count, out);
    return { dtype: x.dtype, shape, data: out as unknown as OpTensor['data'] };
  }
  const acc = new Array<T>(n).fill(r.init);
  // the input in order (so each output folds its inputs in order), the output offset kept by an odometer
  const step = x.shape.map((_, d) => (red.has(d) ? 0 : os[d]!));
  const idx = new Array<number>(rank).fill(0);
  for (let i = 0, o = 0; i < src.length; i++) {
    acc[o] = r.step(acc[o]!, src[i]!);
    for (let d = rank - 1; d >= 0; d--) {
      o += step[d]!;
      if (++idx[d]! < x.shape[d]!) break;
      o -= step[d]! * x.shape[d]!;
      idx[d] = 0;
    }
  }
  const out = allocate(x.dtype, n) as unknown as { [i: number]: T };
  for (let o = 0; o < n; o++) out[o] = r.finish ? r.finish(acc[o]!, count) : acc[o]!;
  return { dtype: x.dtype, shape, data: out as unknown as OpTensor['data'] };
}

function reduce(inputAxesSince: number, r: Reducer): OpDef {
  return {
    inputs: [{ name: 'data' }, { name: 'axes', optional: true }],
    outputs: [{ name: 'reduced' }],
    attrs: { axes: { kind: 'ints' }, keepdims: { kind: 'int', default: 1, min: 0, max: 1 }, noop_with_empty_axes: { kind: 'int', default: 0, min: 0, max: 1 } },
    infer(ctx: InferContext) {
      const x = expectDType(ctx, 0, NUMERIC_TYPES);
      if (ctx.attrs.axes !== undefined && ctx.opset >= inputAxesSince) ctx.fail('E-IR-ATTR-UNKNOWN', `${ctx.node.op} takes axes as an input from opset ${inputAxesSince}`, 'axes');
      inputsFromOpset(ctx, inputAxesSince, 'axes', 'axes', !!ctx.inputs[1]);
      if (!x.shape) return [sameAs(x, undefined)];
      const axes = inferAxes(ctx, x.shape.length);
      const keep = ctx.attrs.keepdims === 1;
      if (!axes) return [sameAs(x, keep ? x.shape.map(() => ctx.fresh('red')) : undefined)];
      const all = axes.length === 0 && !ctx.attrs.noop_with_empty_axes;
      if (axes.length === 0 && !all) return [sameAs(x)];
      const red = (i: number) => all || axes.includes(i);
      const out: Dim[] = keep ? x.shape.map((d, i) => (red(i) ? 1 : d)) : x.shape.filter((_, i) => !red(i));
      return [sameAs(x, out)];
    },
    eval(ctx: EvalContext) {
      const x = ctx.inputs[0]!;
      let axes = evalAxes(ctx, x.shape.length);
      // noop_with_empty_axes reduces over no axis: each element alone (ReduceL2 gives |x|, ReduceSumSquare x^2).
      if (axes.length === 0 && !ctx.attrs.noop_with_empty_axes) axes = x.shape.map((_, i) => i);
      const keep = ctx.attrs.keepdims === 1;
      return [isBigData(x.data) ? reduceTensor(x, axes, keep, r.big, ctx.alloc) : reduceTensor(x, axes, keep, r, ctx.alloc)];
    },
  };
}

const sum = { init: 0n, step: (a: bigint, x: bigint) => a + x };
const sumSquares = { init: 0n, step: (a: bigint, x: bigint) => a + x * x };
/** 64-bit integer results wrap as int64 arithmetic does. */
const wrap64 = (a: bigint) => BigInt.asIntN(64, a);

/** Sum over axes. */
export const ReduceSum = /* @__PURE__ */ reduce(13, { init: 0, step: (a, x) => a + x, big: { ...sum, finish: wrap64 } });
/** Mean over axes (integers: the sum divided, truncating). */
export const ReduceMean = /* @__PURE__ */ reduce(18, {
  init: 0,
  step: (a, x) => a + x,
  finish: (a, n) => a / n,
  big: { ...sum, finish: (a, n) => wrap64(a / BigInt(Math.max(n, 1))) },
});
/** Maximum over axes. */
export const ReduceMax = /* @__PURE__ */ reduce(18, {
  init: -Infinity,
  step: (a, x) => (x > a || Number.isNaN(x) ? x : a),
  big: { init: -(1n << 63n), step: (a, x) => (x > a ? x : a) },
});
/** Minimum over axes. */
export const ReduceMin = /* @__PURE__ */ reduce(18, {
  init: Infinity,
  step: (a, x) => (x < a || Number.isNaN(x) ? x : a),
  big: { init: (1n << 63n) - 1n, step: (a, x) => (x < a ? x : a) },
});
/** Product over axes. */
export const ReduceProd = /* @__PURE__ */ reduce(18, { init: 1, step: (a, x) => a * x, big: { init: 1n, step: (a, x) => a * x, finish: wrap64 } });
/** Sqrt of the sum of squares over axes (integers: truncated). */
export const ReduceL2 = /* @__PURE__ */ reduce(18, {
  init: 0,
  step: (a, x) => a + x * x,
  finish: (a) => Math.sqrt(a),
  big: { ...sumSquares, finish: (a) => BigInt(Math.trunc(Math.sqrt(Number(a)))) },
});
/** Sum of squares over axes. */
export const ReduceSumSquare = /* @__PURE__ */ reduce(18, { init: 0, step: (a, x) => a + x * x, big: { ...sumSquares, finish: wrap64 } });

/** The ops of this file, as the op table takes them: adding an op here is the whole change. */
export const REDUCE_OPS = { ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd, ReduceL2, ReduceSumSquare } as const satisfies Record<string, OpDef>;
