import type { InferContext } from './def.js';
import type { Dim, TensorType } from './types.js';
import { tensorType } from './types.js';
import type { DType } from './dtype.js';
import { elemNumber } from './tensor.js';

export const FLOAT_TYPES: readonly DType[] = ['f32', 'f64', 'f16', 'bf16'];
export const NUMERIC_TYPES: readonly DType[] = ['f32', 'f64', 'f16', 'bf16', 'i8', 'i16', 'i32', 'i64', 'u8', 'u16', 'u32', 'u64'];
export const INT_INDEX_TYPES: readonly DType[] = ['i32', 'i64'];

/** The input's type, failing when a required input is missing. */
export function req(ctx: InferContext, i: number): TensorType {
  const t = ctx.inputs[i];
  if (!t) ctx.fail('E-IR-MISSING-INPUT', `${ctx.node.op} needs input ${i}`, `input ${i}`);
  return t;
}

export function expectDType(ctx: InferContext, i: number, allowed: readonly DType[]): TensorType {
  const t = req(ctx, i);
  if (!allowed.includes(t.dtype))
    ctx.fail('E-IR-DTYPE', `${ctx.node.op} input ${i} has type ${t.dtype}, expected one of ${allowed.join(', ')}`, `input ${i}`);
  return t;
}

export function sameDType(ctx: InferContext, idx: readonly number[]): void {
  const ts = idx.map((i) => ctx.inputs[i]).filter((t): t is TensorType => t !== undefined);
  for (const t of ts)
    if (t.dtype !== ts[0].dtype)
      ctx.fail('E-IR-DTYPE', `${ctx.node.op} inputs must share one element type, got ${ts.map((x) => x.dtype).join(' and ')}`);
}

/**
 * `what` (as the messages name it) are inputs from opset `since` on and attributes before: E-IR-OPSET
 * for the input form (`asInputs`) before that opset and for the attribute form (`asAttrs`) from it on.
 */
export function inputsFromOpset(ctx: InferContext, since: number, what: string, field: string, asInputs: boolean, asAttrs = false): void {
  if (asInputs && ctx.opset < since) ctx.fail('E-IR-OPSET', `${ctx.node.op} takes ${what} as inputs from opset ${since}; at opset ${ctx.opset} they are attributes`, field);
  if (asAttrs && ctx.opset >= since) ctx.fail('E-IR-OPSET', `${ctx.node.op} takes ${what} as inputs from opset ${since}, not as attributes (the model imports opset ${ctx.opset})`, field);
}

/** E-IR-OPSET when the model's opset is before `since`, the first to have `what` (a form of the op the node uses). */
export function needsOpset(ctx: InferContext, since: number, what: string, field: string): void {
  if (ctx.opset < since) ctx.fail('E-IR-OPSET', `${ctx.node.op} has ${what} from opset ${since} (the model imports opset ${ctx.opset})`, field);
}

export function normAxis(ctx: InferContext, axis: number, rank: number, field = 'axis'): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) ctx.fail('E-IR-ATTR-VALUE', `axis ${axis} out of range for rank ${rank}`, field);
  return a;
}

/** Numpy-style broadcast of shapes; symbolic dims broadcast with 1 and with themselves. */
export function broadcast(ctx: InferContext, shapes: readonly (readonly Dim[] | undefined)[]): Dim[] | undefined {
  if (shapes.some((s) => s === undefined)) return undefined;
  const rank = Math.max(...shapes.map((s) => s!.length));
  const out: Dim[] = [];
  for (let k = 0; k < rank; k++) {
    let d: Dim = 1;
    for (const s of shapes) {
      const j = s!.length - rank + k;
      if (j < 0) continue;
      const e = s![j];
      if (e === 1) continue;
      if (d === 1) d = e;
      else if (d !== e) {
        if (typeof d === 'number' && typeof e === 'number')
          ctx.fail('E-IR-SHAPE', `cannot broadcast shapes ${shapes.map((x) => `[${x!.join(',')}]`).join(' and ')}`);
        d = typeof d === 'number' ? d : typeof e === 'number' ? e : ctx.fresh('bcast');
      }
    }
    out.push(d);
  }
  return out;
}

/** Integer values of a constant input (axes, shape, indices), if known. */
export function constInts(ctx: InferContext, i: number): number[] | undefined {
  const t = ctx.constant(i);
  if (!t) return undefined;
  const out: number[] = [];
  for (let k = 0; k < t.data.length; k++) out.push(elemNumber(t, k));
  return out;
}

/** `t`'s dtype with another shape; an explicit `undefined` means unknown rank (a default parameter would turn it into t.shape). */
export function sameAs(t: TensorType, ...shape: [] | [readonly Dim[] | undefined]): TensorType {
  return tensorType(t.dtype, shape.length ? shape[0] : t.shape, t.fixed);
}

export function unknownDims(ctx: InferContext, n: number, hint: string): Dim[] {
  return Array.from({ length: n }, () => ctx.fresh(hint));
}

export function product(dims: readonly Dim[]): number | undefined {
  let p = 1;
  for (const d of dims) {
    if (typeof d !== 'number') return undefined;
    p *= d;
  }
  return p;
}
