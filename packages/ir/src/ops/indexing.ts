import type { InferContext } from '../op-def.js';
import type { OpDef } from '../op-def.js';
import type { Dim } from '../types.js';
import { tensorType } from '../types.js';
import { INT_INDEX_TYPES, constInts, expectDType, normAxis, req, sameAs, sameDType } from './util.js';

export const Gather: OpDef = {
  summary: 'take entries along an axis by index',
  inputs: [{ name: 'data' }, { name: 'indices' }],
  outputs: [{ name: 'output' }],
  attrs: { axis: { kind: 'int', default: 0 } },
  infer(ctx: InferContext) {
    const x = req(ctx, 0);
    const idx = expectDType(ctx, 1, INT_INDEX_TYPES);
    if (!x.shape || !idx.shape) return [sameAs(x, undefined)];
    const axis = normAxis(ctx, ctx.attrs.axis as number, x.shape.length);
    const out = [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)];
    const iv = constInts(ctx, 1);
    const n = x.shape[axis];
    if (iv && typeof n === 'number')
      for (const i of iv) if (i < -n || i >= n) ctx.fail('E-IR-INDEX', `Gather index ${i} out of range for dim ${n}`, 'indices');
    const sv = ctx.shapeValue(0);
    if (sv && iv && x.shape.length === 1) {
      const picked = iv.map((i) => sv[i < 0 ? i + sv.length : i]);
      ctx.setShapeValue(0, picked);
    }
    return [sameAs(x, out)];
  },
};

/** Axes from the attribute (old opsets) or the second input (opset 13+). */
function axesOf(ctx: Parameters<OpDef['infer']>[0]): number[] | undefined {
  const attr = ctx.attrs.axes as readonly number[] | undefined;
  if (attr) return [...attr];
  if (ctx.inputs[1]) return constInts(ctx, 1);
  return undefined;
}

export const Unsqueeze: OpDef = {
  summary: 'insert size-1 dims at the given axes of the output',
  inputs: [{ name: 'data' }, { name: 'axes', optional: true }],
  outputs: [{ name: 'expanded' }],
  attrs: { axes: { kind: 'ints' } },
  infer(ctx: InferContext) {
    const x = req(ctx, 0);
    const axes = axesOf(ctx);
    if (!axes) {
      if (!ctx.inputs[1]) ctx.fail('E-IR-MISSING-INPUT', 'Unsqueeze needs axes (attribute or input)', 'axes');
      return [sameAs(x, undefined)];
    }
    if (!x.shape) return [sameAs(x, undefined)];
    const r = x.shape.length + axes.length;
    const norm = axes.map((a) => normAxis(ctx, a, r, 'axes'));
    if (new Set(norm).size !== norm.length) ctx.fail('E-IR-ATTR-VALUE', 'Unsqueeze axes repeat', 'axes');
    const out: Dim[] = [];
    let k = 0;
    for (let i = 0; i < r; i++) out.push(norm.includes(i) ? 1 : x.shape[k++]);
    const sv = ctx.shapeValue(0);
    if (sv && x.shape.length === 0) ctx.setShapeValue(0, sv);
    else if (sv) ctx.setShapeValue(0, sv);
    return [sameAs(x, out)];
  },
};

export const Squeeze: OpDef = {
  summary: 'remove size-1 dims (the given axes, or all of them)',
  inputs: [{ name: 'data' }, { name: 'axes', optional: true }],
  outputs: [{ name: 'squeezed' }],
  attrs: { axes: { kind: 'ints' } },
  infer(ctx: InferContext) {
    const x = req(ctx, 0);
    if (!x.shape) return [sameAs(x, undefined)];
    const axes = axesOf(ctx);
    if (!axes && ctx.inputs[1]) return [sameAs(x, undefined)];
    const r = x.shape.length;
    const norm = axes ? axes.map((a) => normAxis(ctx, a, r, 'axes')) : x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
    for (const a of norm)
      if (typeof x.shape[a] === 'number' && x.shape[a] !== 1)
        ctx.fail('E-IR-SHAPE', `Squeeze axis ${a} has size ${x.shape[a]}, not 1`, 'axes');
    const sv = ctx.shapeValue(0);
    if (sv) ctx.setShapeValue(0, sv);
    return [sameAs(x, x.shape.filter((_, i) => !norm.includes(i)))];
  },
};

export const Concat: OpDef = {
  summary: 'join tensors along an axis',
  inputs: [{ name: 'inputs', variadic: true }],
  outputs: [{ name: 'concat_result' }],
  attrs: { axis: { kind: 'int', required: true } },
  infer(ctx: InferContext) {
    const ts = ctx.inputs.map((_, i) => req(ctx, i));
    if (ts.length === 0) ctx.fail('E-IR-MISSING-INPUT', 'Concat needs at least one input', 'inputs');
    sameDType(ctx, ts.map((_, i) => i));
    if (ts.some((t) => !t.shape)) return [sameAs(ts[0], undefined)];
    const r = ts[0].shape!.length;
    if (ts.some((t) => t.shape!.length !== r)) ctx.fail('E-IR-SHAPE', 'Concat inputs have different ranks');
    const axis = normAxis(ctx, ctx.attrs.axis as number, r);
    const out: Dim[] = [...ts[0].shape!];
    let sum: Dim = 0;
    for (const t of ts) {
      const d = t.shape![axis];
      sum = typeof sum === 'number' && typeof d === 'number' ? sum + d : ctx.fresh('cat');
      for (let i = 0; i < r; i++)
        if (i !== axis && typeof t.shape![i] === 'number' && typeof out[i] === 'number' && t.shape![i] !== out[i])
          ctx.fail('E-IR-SHAPE', `Concat inputs differ in dim ${i} (${out[i]} vs ${t.shape![i]})`);
    }
    out[axis] = sum;
    if (r === 1) {
      const svs = ts.map((_, i) => ctx.shapeValue(i));
      if (svs.every((s) => s !== undefined)) ctx.setShapeValue(0, svs.flatMap((s) => [...s!]));
    }
    return [sameAs(ts[0], out)];
  },
};

export const Slice: OpDef = {
  summary: 'a strided slice along some axes (opset < 10: attributes; 10+: inputs)',
  inputs: [
    { name: 'data' },
    { name: 'starts', optional: true },
    { name: 'ends', optional: true },
    { name: 'axes', optional: true },
    { name: 'steps', optional: true },
  ],
  outputs: [{ name: 'output' }],
  attrs: { starts: { kind: 'ints' }, ends: { kind: 'ints' }, axes: { kind: 'ints' } },
  infer(ctx: InferContext) {
    const x = req(ctx, 0);
    const fromAttrs = ctx.attrs.starts !== undefined;
    const starts = fromAttrs ? [...(ctx.attrs.starts as number[])] : ctx.inputs[1] ? constInts(ctx, 1) : undefined;
    const ends = fromAttrs ? [...((ctx.attrs.ends as number[] | undefined) ?? [])] : ctx.inputs[2] ? constInts(ctx, 2) : undefined;
    if (!fromAttrs && (!ctx.inputs[1] || !ctx.inputs[2])) ctx.fail('E-IR-MISSING-INPUT', 'Slice needs starts and ends', 'starts');
    if (!x.shape) return [sameAs(x, undefined)];
    const r = x.shape.length;
    const axes = fromAttrs ? (ctx.attrs.axes as number[] | undefined) : ctx.inputs[3] ? constInts(ctx, 3) : undefined;
    const steps = !fromAttrs && ctx.inputs[4] ? constInts(ctx, 4) : undefined;
    if (!starts || !ends || (ctx.inputs[3] && !axes) || (ctx.inputs[4] && !steps)) {
      // Unknown slice bounds: only the sliced axes become unknown.
      const ax = axes ? axes.map((a) => normAxis(ctx, a, r, 'axes')) : undefined;
      return [sameAs(x, x.shape.map((d, i) => (ax && !ax.includes(i) ? d : ctx.fresh('slice'))))];
    }
    if (starts.length !== ends.length) ctx.fail('E-IR-SHAPE', 'Slice starts and ends differ in length', 'ends');
    const ax = (axes ?? starts.map((_, i) => i)).map((a) => normAxis(ctx, a, r, 'axes'));
    const out: Dim[] = [...x.shape];
    const sv = ctx.shapeValue(0);
    let svOut: Dim[] | undefined;
    ax.forEach((a, k) => {
      const step = steps ? steps[k] : 1;
      if (step === 0) ctx.fail('E-IR-ATTR-VALUE', 'Slice step 0', 'steps');
      const n = x.shape![a];
      if (typeof n !== 'number') {
        out[a] = ctx.fresh('slice');
        return;
      }
      const [s, e] = clampSlice(starts[k], ends[k], step, n);
      const len = step > 0 ? Math.max(0, Math.ceil((e - s) / step)) : Math.max(0, Math.ceil((s - e) / -step));
      out[a] = len;
      if (sv && r === 1) svOut = Array.from({ length: len }, (_, j) => sv[s + j * step]);
    });
    if (svOut) ctx.setShapeValue(0, svOut);
    return [tensorType(x.dtype, out, x.fixed)];
  },
};

/** ONNX Slice clamping of start/end for a dim of size n. */
export function clampSlice(start: number, end: number, step: number, n: number): [number, number] {
  let s = start < 0 ? start + n : start;
  let e = end < 0 ? end + n : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), n);
    e = Math.min(Math.max(e, 0), n);
  } else {
    s = Math.min(Math.max(s, 0), n - 1);
    e = Math.min(Math.max(e, -1), n - 1);
  }
  return [s, e];
}
