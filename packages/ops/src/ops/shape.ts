import type { EvalContext, InferContext } from '../def.js';
import type { OpDef } from '../def.js';
import type { Dim } from '../types.js';
import { tensorType } from '../types.js';
import { INT_INDEX_TYPES, constInts, expectDType, normAxis, product, req, sameAs } from '../infer-util.js';
import { contiguousView, fromNumbers, numel, reshaped, stridedView, stridesOf, toNumbers } from '../tensor.js';
import { evalAxis } from './indexing.js';

/** The shape of a tensor as a 1-D i64 tensor (optionally a start:end slice of it). */
export const Shape: OpDef = {
  readsShapeOnly: true,
  inputs: [{ name: 'data' }],
  outputs: [{ name: 'shape' }],
  attrs: { start: { kind: 'int', default: 0 }, end: { kind: 'int' } },
  infer(ctx: InferContext) {
    const x = req(ctx, 0);
    if (!x.shape) return [tensorType('i64', [ctx.fresh('rank')])];
    const r = x.shape.length;
    const clampIdx = (v: number) => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
    const start = clampIdx(ctx.attrs.start as number);
    const end = clampIdx((ctx.attrs.end as number | undefined) ?? r);
    const dims = x.shape.slice(start, Math.max(start, end));
    ctx.setShapeValue(0, dims);
    return [tensorType('i64', [dims.length])];
  },
  eval(ctx: EvalContext) {
    const s = ctx.inputs[0]!.shape;
    const r = s.length;
    const clampIdx = (v: number) => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
    const start = clampIdx(ctx.attrs.start as number);
    const end = clampIdx((ctx.attrs.end as number | undefined) ?? r);
    const dims = s.slice(start, Math.max(start, end));
    return [fromNumbers('i64', [dims.length], dims)];
  },
};

/** The number of elements of a tensor, as an i64 scalar. */
export const Size: OpDef = {
  readsShapeOnly: true,
  inputs: [{ name: 'data' }],
  outputs: [{ name: 'size' }],
  attrs: {},
  infer(ctx: InferContext) {
    const x = req(ctx, 0);
    const n = x.shape ? product(x.shape) : undefined;
    if (n !== undefined) ctx.setShapeValue(0, [n]);
    return [tensorType('i64', [])];
  },
  eval: (ctx) => [fromNumbers('i64', [], [numel(ctx.inputs[0]!.shape)])],
};

/** The same elements with a new shape (0 copies a dim unless allowzero, -1 infers one). */
export const Reshape: OpDef = {
  relayout: true,
  inputs: [{ name: 'data' }, { name: 'shape' }],
  outputs: [{ name: 'reshaped' }],
  attrs: { allowzero: { kind: 'int', default: 0, min: 0, max: 1 } },
  infer(ctx: InferContext) {
    const x = req(ctx, 0);
    expectDType(ctx, 1, ['i64']);
    const spec = ctx.shapeValue(1);
    if (!spec) {
      const n = req(ctx, 1).shape?.[0];
      return [sameAs(x, typeof n === 'number' ? Array.from({ length: n }, () => ctx.fresh('d')) : undefined)];
    }
    const out: Dim[] = spec.map((d, i) => (d === 0 && !ctx.attrs.allowzero && x.shape ? x.shape[i] : d));
    const neg = out.findIndex((d) => d === -1);
    if (out.filter((d) => d === -1).length > 1) ctx.fail('E-IR-SHAPE', 'Reshape shape has more than one -1', 'shape');
    if (neg >= 0) {
      const total = x.shape ? product(x.shape) : undefined;
      const rest = product(out.filter((_, i) => i !== neg));
      if (total !== undefined && rest !== undefined) {
        if (rest === 0 || total % rest !== 0) ctx.fail('E-IR-SHAPE', `cannot reshape [${x.shape!.join(', ')}] to [${spec.join(', ')}]`, 'shape');
        out[neg] = total / rest;
      } else out[neg] = symbolicQuotient(x.shape, out, neg) ?? ctx.fresh('d');
    } else if (x.shape) {
      const a = product(x.shape);
      const b = product(out);
      if (a !== undefined && b !== undefined && a !== b)
        ctx.fail('E-IR-SHAPE', `cannot reshape [${x.shape.join(', ')}] (${a} elements) to [${out.join(', ')}] (${b})`, 'shape');
    }
    return [sameAs(x, out)];
  },
  eval(ctx: EvalContext) {
    const x = ctx.inputs[0]!;
    const spec = toNumbers(ctx.inputs[1]!);
    let known = 1;
    let neg = -1;
    const shape = spec.map((d, i) => {
      if (d === 0 && !ctx.attrs.allowzero) {
        if (i >= x.shape.length) ctx.fail(`Reshape: 0 at position ${i} has no input dimension to copy`);
        d = x.shape[i]!;
      }
      if (d === -1) {
        if (neg >= 0) ctx.fail('Reshape: more than one -1');
        neg = i;
        return -1;
      }
      if (!Number.isInteger(d) || d < 0) ctx.fail(`Reshape: bad dimension ${d}`);
      known *= d;
      return d;
    });
    const n = x.data.length;
    if (neg >= 0) {
      if (known === 0 || n % known !== 0) ctx.fail(`Reshape: cannot infer -1 reshaping [${x.shape.join(',')}] to [${spec.join(',')}]`);
      shape[neg] = n / known;
    } else if (known !== n) ctx.fail(`Reshape: [${x.shape.join(',')}] has ${n} elements, [${shape.join(',')}] needs ${known}`);
    return [reshaped(x, shape)];
  },
};

/** -1 resolved symbolically when the remaining dims cancel exactly against the input's. */
function symbolicQuotient(inShape: readonly Dim[] | undefined, out: readonly Dim[], neg: number): Dim | undefined {
  if (!inShape) return undefined;
  const pool = [...inShape];
  for (let i = 0; i < out.length; i++) {
    if (i === neg) continue;
    const k = pool.indexOf(out[i]);
    if (k < 0) return undefined;
    pool.splice(k, 1);
  }
  const rest = pool.filter((d) => d !== 1);
  return rest.length === 1 ? rest[0] : rest.length === 0 ? 1 : undefined;
}

/** Permute dims (default: reverse them). */
export const Transpose: OpDef = {
  relayout: true,
  inputs: [{ name: 'data' }],
  outputs: [{ name: 'transposed' }],
  attrs: { perm: { kind: 'ints' } },
  infer(ctx: InferContext) {
    const x = req(ctx, 0);
    if (!x.shape) return [sameAs(x, undefined)];
    const r = x.shape.length;
    const perm = (ctx.attrs.perm as readonly number[] | undefined) ?? [...Array(r).keys()].reverse();
    const sorted = [...perm].sort((a, b) => a - b);
    if (perm.length !== r || sorted.some((p, i) => p !== i))
      ctx.fail('E-IR-ATTR-VALUE', `perm [${perm.join(', ')}] is not a permutation of rank ${r}`, 'perm');
    return [sameAs(x, perm.map((p) => x.shape![p]))];
  },
  eval(ctx: EvalContext) {
    const x = ctx.inputs[0]!;
    const r = x.shape.length;
    const perm = (ctx.attrs.perm as readonly number[] | undefined) ?? [...Array(r).keys()].reverse();
    if (perm.length !== r || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) ctx.fail(`perm [${perm.join(',')}] is not a permutation of rank ${r}`);
    const shape = perm.map((p) => x.shape[p]!);
    const xs = stridesOf(x.shape);
    const strides = perm.map((p) => xs[p]!);
    return [contiguousView(x, shape, 0, strides) ?? stridedView(x, shape, 0, strides, ctx.alloc)];
  },
};

/** Reshape to 2-D: [prod(dims before axis), prod(dims from axis on)]. */
export const Flatten: OpDef = {
  relayout: true,
  inputs: [{ name: 'input' }],
  outputs: [{ name: 'output' }],
  attrs: { axis: { kind: 'int', default: 1 } },
  infer(ctx: InferContext) {
    const x = req(ctx, 0);
    if (!x.shape) return [sameAs(x, [ctx.fresh('flat'), ctx.fresh('flat')])];
    const r = x.shape.length;
    const a = ctx.attrs.axis as number;
    if (a < -r || a > r) ctx.fail('E-IR-ATTR-VALUE', `axis ${a} out of range for rank ${r}`, 'axis');
    const axis = a < 0 ? a + r : a;
    const part = (ds: readonly Dim[]) => (ds.length === 1 ? ds[0]! : (product(ds) ?? ctx.fresh('flat')));
    return [sameAs(x, [part(x.shape.slice(0, axis)), part(x.shape.slice(axis))])];
  },
  eval(ctx: EvalContext) {
    const x = ctx.inputs[0]!;
    const r = x.shape.length;
    const a = ctx.attrs.axis as number;
    const axis = a === r ? r : evalAxis(ctx, a, Math.max(r, 1));
    return [reshaped(x, [numel(x.shape.slice(0, axis)), numel(x.shape.slice(axis))])];
  },
};

export { INT_INDEX_TYPES, constInts, normAxis };

/** The ops of this file, as the op table takes them: adding an op here is the whole change. */
export const SHAPE_OPS = { Shape, Size, Reshape, Flatten, Transpose } as const satisfies Record<string, OpDef>;
