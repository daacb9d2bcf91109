/** Reductions over axes (ReduceSum takes axes as an input from opset 13, the others from opset 18). */
import type { EvalContext, InferContext, OpDef } from '../def.js';
import type { Dim } from '../types.js';
import { NUMERIC_TYPES, constInts, expectDType, normAxis, sameAs } from '../infer-util.js';
import { alloc, isBigData, stridesOf, toNumbers, type NumberData, type OpTensor } from '../tensor.js';
import { evalAxis } from './indexing.js';

interface Reducer {
  readonly init: number;
  readonly step: (acc: number, x: number) => number;
  readonly finish?: (acc: number, n: number) => number;
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

export function reduceTensor(x: OpTensor, axes: readonly number[], keep: boolean, r: Reducer): OpTensor {
  const rank = x.shape.length;
  const red = new Set(axes);
  const outFull = x.shape.map((d, i) => (red.has(i) ? 1 : d));
  const shape = keep ? outFull : x.shape.filter((_, i) => !red.has(i));
  const os = stridesOf(outFull);
  let n = 1;
  for (const d of outFull) n *= d;
  let count = 1;
  for (const a of red) count *= x.shape[a]!;
  const acc = new Float64Array(n).fill(r.init);
  const src = x.data as NumberData;
  const xs = stridesOf(x.shape);
  for (let i = 0; i < src.length; i++) {
    let o = 0;
    for (let d = 0; d < rank; d++) if (!red.has(d)) o += (Math.floor(i / xs[d]!) % x.shape[d]!) * os[d]!;
    acc[o] = r.step(acc[o]!, src[i]!);
  }
  const out = alloc(x.dtype, n) as NumberData;
  for (let o = 0; o < n; o++) out[o] = r.finish ? r.finish(acc[o]!, count) : acc[o]!;
  return { dtype: x.dtype, shape, data: out };
}

function reduce(summary: string, inputAxesSince: number, r: Reducer): OpDef {
  return {
    summary,
    inputs: [{ name: 'data' }, { name: 'axes', optional: true }],
    outputs: [{ name: 'reduced' }],
    attrs: { axes: { kind: 'ints' }, keepdims: { kind: 'int', default: 1, min: 0, max: 1 }, noop_with_empty_axes: { kind: 'int', default: 0, min: 0, max: 1 } },
    infer(ctx: InferContext) {
      const x = expectDType(ctx, 0, NUMERIC_TYPES);
      if (ctx.attrs.axes !== undefined && ctx.opset >= inputAxesSince) ctx.fail('E-IR-ATTR-UNKNOWN', `${ctx.node.op} takes axes as an input from opset ${inputAxesSince}`, 'axes');
      if (ctx.inputs[1] && ctx.opset < inputAxesSince)
        ctx.fail('E-IR-OPSET', `${ctx.node.op} takes axes as an input from opset ${inputAxesSince}; at opset ${ctx.opset} they are the axes attribute`, 'axes');
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
      if (isBigData(x.data)) ctx.fail(`${summary.split(' ')[0]} on 64-bit integers is not supported`);
      let axes = evalAxes(ctx, x.shape.length);
      // noop_with_empty_axes reduces over no axis: each element alone (ReduceL2 gives |x|, ReduceSumSquare x^2).
      if (axes.length === 0 && !ctx.attrs.noop_with_empty_axes) axes = x.shape.map((_, i) => i);
      return [reduceTensor(x, axes, ctx.attrs.keepdims === 1, r)];
    },
  };
}

export const ReduceSum = reduce('sum over axes', 13, { init: 0, step: (a, x) => a + x });
export const ReduceMean = reduce('mean over axes', 18, { init: 0, step: (a, x) => a + x, finish: (a, n) => a / n });
export const ReduceMax = reduce('maximum over axes', 18, { init: -Infinity, step: (a, x) => (x > a || Number.isNaN(x) ? x : a) });
export const ReduceMin = reduce('minimum over axes', 18, { init: Infinity, step: (a, x) => (x < a || Number.isNaN(x) ? x : a) });
export const ReduceProd = reduce('product over axes', 18, { init: 1, step: (a, x) => a * x });
export const ReduceL2 = reduce('sqrt of the sum of squares over axes', 18, { init: 0, step: (a, x) => a + x * x, finish: (a) => Math.sqrt(a) });
export const ReduceSumSquare = reduce('sum of squares over axes', 18, { init: 0, step: (a, x) => a + x * x });

/** The ops of this file, as the op table takes them: adding an op here is the whole change. */
export const REDUCE_OPS = { ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd, ReduceL2, ReduceSumSquare } as const satisfies Record<string, OpDef>;
