import type { InferContext } from '../op-def.js';
import type { OpDef } from '../op-def.js';
import type { Dim } from '../types.js';
import { tensorType } from '../types.js';
import { INT_INDEX_TYPES, constInts, expectDType, normAxis, product, req, sameAs } from './util.js';

export const Shape: OpDef = {
  summary: 'the shape of a tensor as a 1-D i64 tensor (optionally a start:end slice of it)',
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
};

export const Reshape: OpDef = {
  summary: 'the same elements with a new shape (0 copies a dim unless allowzero, -1 infers one)',
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

export const Transpose: OpDef = {
  summary: 'permute dims (default: reverse them)',
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
};

export { INT_INDEX_TYPES, constInts, normAxis };
