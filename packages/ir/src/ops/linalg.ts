import type { InferContext } from '../op-def.js';
import type { OpDef } from '../op-def.js';
import type { Dim } from '../types.js';
import { FLOAT_TYPES, NUMERIC_TYPES, broadcast, expectDType, req, sameAs, sameDType } from './util.js';

export const MatMul: OpDef = {
  summary: 'numpy matmul: batched, broadcasting over leading dims',
  inputs: [{ name: 'A' }, { name: 'B' }],
  outputs: [{ name: 'Y' }],
  attrs: {},
  infer(ctx: InferContext) {
    const a = expectDType(ctx, 0, NUMERIC_TYPES);
    const b = expectDType(ctx, 1, NUMERIC_TYPES);
    sameDType(ctx, [0, 1]);
    if (!a.shape || !b.shape) return [sameAs(a, undefined)];
    if (a.shape.length === 0 || b.shape.length === 0) ctx.fail('E-IR-SHAPE', 'MatMul operands must have rank >= 1');
    const as = a.shape.length === 1 ? [1, a.shape[0]] : [...a.shape];
    const bs = b.shape.length === 1 ? [b.shape[0], 1] : [...b.shape];
    const k1 = as[as.length - 1];
    const k2 = bs[bs.length - 2];
    if (typeof k1 === 'number' && typeof k2 === 'number' && k1 !== k2)
      ctx.fail('E-IR-SHAPE', `MatMul inner dims differ: [${a.shape.join(', ')}] x [${b.shape.join(', ')}]`);
    const batch = broadcast(ctx, [as.slice(0, -2), bs.slice(0, -2)])!;
    const out: Dim[] = [...batch];
    if (a.shape.length !== 1) out.push(as[as.length - 2]);
    if (b.shape.length !== 1) out.push(bs[bs.length - 1]);
    return [sameAs(a, out)];
  },
};

export const Gemm: OpDef = {
  summary: 'alpha * op(A) @ op(B) + beta * C, 2-D',
  inputs: [{ name: 'A' }, { name: 'B' }, { name: 'C', optional: true }],
  outputs: [{ name: 'Y' }],
  attrs: {
    alpha: { kind: 'float', default: 1 },
    beta: { kind: 'float', default: 1 },
    transA: { kind: 'int', default: 0, min: 0, max: 1 },
    transB: { kind: 'int', default: 0, min: 0, max: 1 },
  },
  infer(ctx: InferContext) {
    const a = expectDType(ctx, 0, FLOAT_TYPES.concat(['i32', 'i64', 'u32', 'u64']));
    const b = req(ctx, 1);
    sameDType(ctx, [0, 1, 2]);
    if (!a.shape || !b.shape) return [sameAs(a, undefined)];
    if (a.shape.length !== 2 || b.shape.length !== 2) ctx.fail('E-IR-SHAPE', 'Gemm operands A and B must be 2-D');
    const [m, k1] = ctx.attrs.transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
    const [k2, n] = ctx.attrs.transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
    if (typeof k1 === 'number' && typeof k2 === 'number' && k1 !== k2)
      ctx.fail('E-IR-SHAPE', `Gemm inner dims differ (${k1} vs ${k2})`);
    const c = ctx.inputs[2];
    if (c?.shape) broadcast(ctx, [[m, n], c.shape]);
    return [sameAs(a, [m, n])];
  },
};
