import type { EvalContext, InferContext } from '../def.js';
import type { OpDef } from '../def.js';
import type { Dim } from '../types.js';
import { tensorType } from '../types.js';
import { INT_INDEX_TYPES, broadcast, constInts, expectDType, inputsFromOpset, needsOpset, normAxis, req, sameAs, sameDType } from '../infer-util.js';
import { broadcastShapesOrUndefined } from '../broadcast.js';
import { alloc, allocatorOf, type Allocator, arrayOf, contiguousView, copyRun, fromNumbers, numel, reshaped, stridesOf, stridedView, toNumbers, type OpTensor } from '../tensor.js';

/** Axis normalized against a rank at evaluation time (a data error when out of range). */
export function evalAxis(ctx: EvalContext, axis: number, rank: number, what = 'axis'): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) ctx.fail(`${what} ${axis} is out of range for rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}

/** Copies `count` blocks: block b of `inner` elements from src offset srcOff(b) to dst offset b * inner. */
function copyBlocks(src: OpTensor['data'], dst: OpTensor['data'], count: number, inner: number, srcOff: (b: number) => number): void {
  for (let b = 0; b < count; b++) copyRun(dst, b * inner, src, srcOff(b), inner);
}

/** Take entries along an axis by index. */
export const Gather: OpDef = {
  relayout: true,
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
  eval(ctx: EvalContext) {
    const data = ctx.inputs[0]!;
    const idx = toNumbers(ctx.inputs[1]!);
    const axis = evalAxis(ctx, ctx.attrs.axis as number, data.shape.length);
    const dim = data.shape[axis]!;
    let outer = 1;
    for (let i = 0; i < axis; i++) outer *= data.shape[i]!;
    let inner = 1;
    for (let i = axis + 1; i < data.shape.length; i++) inner *= data.shape[i]!;
    const n = idx.length;
    const shape = [...data.shape.slice(0, axis), ...ctx.inputs[1]!.shape, ...data.shape.slice(axis + 1)];
    for (const k of idx) if (k < -dim || k >= dim) ctx.fail(`Gather index ${k} is out of range for axis of size ${dim}`);
    const out = allocatorOf(ctx)(data.dtype, outer * n * inner);
    copyBlocks(data.data, out, outer * n, inner, (b) => {
      const o = Math.floor(b / n);
      const k = idx[b % n]!;
      return (o * dim + (k < 0 ? k + dim : k)) * inner;
    });
    return [{ dtype: data.dtype, shape, data: out }];
  },
};

/** Axes from the attribute (old opsets) or the second input (opset 13+). */
function axesOf(ctx: Parameters<OpDef['infer']>[0]): number[] | undefined {
  const attr = ctx.attrs.axes as readonly number[] | undefined;
  if (attr) return [...attr];
  if (ctx.inputs[1]) return constInts(ctx, 1);
  return undefined;
}

function evalAxes(ctx: EvalContext): number[] | undefined {
  const attr = ctx.attrs.axes as readonly number[] | undefined;
  if (attr) return [...attr];
  return ctx.inputs[1] ? toNumbers(ctx.inputs[1]) : undefined;
}

/** Insert size-1 dims at the given axes of the output. */
export const Unsqueeze: OpDef = {
  relayout: true,
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
    if (sv) ctx.setShapeValue(0, sv);
    return [sameAs(x, out)];
  },
  eval(ctx: EvalContext) {
    const x = ctx.inputs[0]!;
    const axes = evalAxes(ctx) ?? ctx.fail('Unsqueeze needs axes');
    const r = x.shape.length + axes.length;
    const norm = axes.map((a) => evalAxis(ctx, a, r, 'axes'));
    if (new Set(norm).size !== norm.length) ctx.fail('Unsqueeze axes repeat');
    const out: number[] = [];
    let k = 0;
    for (let i = 0; i < r; i++) out.push(norm.includes(i) ? 1 : x.shape[k++]!);
    return [reshaped(x, out)];
  },
};

/** Remove size-1 dims (the given axes, or all of them). */
export const Squeeze: OpDef = {
  relayout: true,
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
  eval(ctx: EvalContext) {
    const x = ctx.inputs[0]!;
    const axes = evalAxes(ctx);
    const r = x.shape.length;
    const norm = axes ? axes.map((a) => evalAxis(ctx, a, r, 'axes')) : x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
    for (const a of norm) if (x.shape[a] !== 1) ctx.fail(`Squeeze axis ${a} has size ${x.shape[a]}, not 1`);
    return [reshaped(x, x.shape.filter((_, i) => !norm.includes(i)))];
  },
};

/** Join tensors along an axis. */
export const Concat: OpDef = {
  relayout: true,
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
  eval(ctx: EvalContext) {
    const ts = ctx.inputs as OpTensor[];
    const r = ts[0]!.shape.length;
    const axis = evalAxis(ctx, ctx.attrs.axis as number, r);
    for (const t of ts)
      if (t.shape.length !== r || t.shape.some((d, i) => i !== axis && d !== ts[0]!.shape[i]))
        ctx.fail(`Concat inputs [${ts.map((x) => x.shape.join(',')).join('] and [')}] differ outside axis ${axis}`);
    let outer = 1;
    for (let i = 0; i < axis; i++) outer *= ts[0]!.shape[i]!;
    const rows = ts.map((t) => numel(t.shape.slice(axis)));
    const row = rows.reduce((a, b) => a + b, 0);
    const shape = [...ts[0]!.shape];
    shape[axis] = ts.reduce((a, t) => a + t.shape[axis]!, 0);
    const out = allocatorOf(ctx)(ts[0]!.dtype, outer * row);
    let off = 0;
    ts.forEach((t, k) => {
      const len = rows[k]!;
      for (let o = 0; o < outer; o++) copyRun(out, o * row + off, t.data, o * len, len);
      off += len;
    });
    return [{ dtype: ts[0]!.dtype, shape, data: out }];
  },
};

/** A strided slice along some axes (opset < 10: attributes; 10+: inputs). */
export const Slice: OpDef = {
  relayout: true,
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
      if (sv && r === 1) svOut = arrayOf(len, (j) => sv[s + j * step]!);
    });
    if (svOut) ctx.setShapeValue(0, svOut);
    return [tensorType(x.dtype, out, x.fixed)];
  },
  eval(ctx: EvalContext) {
    const x = ctx.inputs[0]!;
    const fromAttrs = ctx.attrs.starts !== undefined;
    const list = (attr: string, i: number) => (fromAttrs ? (ctx.attrs[attr] as number[] | undefined) : ctx.inputs[i] ? toNumbers(ctx.inputs[i]!) : undefined);
    const starts = list('starts', 1) ?? ctx.fail('Slice needs starts');
    const ends = list('ends', 2) ?? ctx.fail('Slice needs ends');
    if (starts.length !== ends.length) ctx.fail('Slice starts and ends differ in length');
    const r = x.shape.length;
    const axes = (list('axes', 3) ?? starts.map((_, i) => i)).map((a) => evalAxis(ctx, a, r, 'axes'));
    const steps = (!fromAttrs && ctx.inputs[4] ? toNumbers(ctx.inputs[4]) : undefined) ?? starts.map(() => 1);
    const begin = x.shape.map(() => 0);
    const step = x.shape.map(() => 1);
    const shape = [...x.shape];
    axes.forEach((a, k) => {
      const st = steps[k]!;
      if (st === 0) ctx.fail('Slice step 0');
      const [s0, e0] = clampSlice(starts[k]!, ends[k]!, st, x.shape[a]!);
      begin[a] = s0;
      step[a] = st;
      shape[a] = st > 0 ? Math.max(0, Math.ceil((e0 - s0) / st)) : Math.max(0, Math.ceil((s0 - e0) / -st));
    });
    const xs = stridesOf(x.shape);
    const offset = begin.reduce((acc, b, d) => acc + b * xs[d]!, 0);
    const strides = xs.map((s, d) => s * step[d]!);
    return [contiguousView(x, shape, offset, strides) ?? stridedView(x, shape, offset, strides, ctx.alloc)];
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

/** Broadcasts `x` to `shape` (the shape already broadcast-compatible). */
export function broadcastTo(x: OpTensor, shape: readonly number[], allocate: Allocator = alloc): OpTensor {
  const r = shape.length;
  const xs = stridesOf(x.shape);
  const bs = shape.map((d, i) => {
    const j = i - (r - x.shape.length);
    return j < 0 || x.shape[j] === 1 ? 0 : xs[j]!;
  });
  return stridedView(x, shape, 0, bs, allocate);
}

/** Broadcast the input to a shape (numpy rules: the result is the broadcast of both). */
export const Expand: OpDef = {
  relayout: true,
  since: 8,
  inputs: [{ name: 'input' }, { name: 'shape' }],
  outputs: [{ name: 'output' }],
  attrs: {},
  infer(ctx: InferContext) {
    const x = req(ctx, 0);
    expectDType(ctx, 1, ['i64']);
    const sv = ctx.shapeValue(1);
    if (!sv) {
      const n = req(ctx, 1).shape?.[0];
      if (typeof n !== 'number' || !x.shape) return [sameAs(x, undefined)];
      return [sameAs(x, Array.from({ length: Math.max(n, x.shape.length) }, () => ctx.fresh('expand')))];
    }
    // A 1 in the shape keeps the input's dim; otherwise the dims must broadcast.
    const spec: Dim[] = sv.map((d) => (d === 1 ? 1 : d));
    return [sameAs(x, broadcast(ctx, [x.shape, spec]))];
  },
  eval(ctx: EvalContext) {
    const x = ctx.inputs[0]!;
    const spec = toNumbers(ctx.inputs[1]!);
    const shape = broadcastShapesOrUndefined([x.shape, spec]) ?? ctx.fail(`cannot expand [${x.shape.join(',')}] to [${spec.join(',')}]`);
    return [broadcastTo(x, shape, ctx.alloc)];
  },
};

/** Repeat the input along each axis (repeats[i] copies of axis i). */
export const Tile: OpDef = {
  relayout: true,
  inputs: [{ name: 'input' }, { name: 'repeats' }],
  outputs: [{ name: 'output' }],
  attrs: {},
  infer(ctx: InferContext) {
    const x = req(ctx, 0);
    expectDType(ctx, 1, ['i64']);
    const reps = ctx.shapeValue(1);
    if (!x.shape) return [sameAs(x, undefined)];
    if (!reps) return [sameAs(x, x.shape.map(() => ctx.fresh('tile')))];
    if (reps.length !== x.shape.length) ctx.fail('E-IR-SHAPE', `Tile repeats has ${reps.length} entries for rank ${x.shape.length}`, 'repeats');
    return [sameAs(x, x.shape.map((d, i) => (typeof d === 'number' && typeof reps[i] === 'number' ? d * (reps[i] as number) : ctx.fresh('tile'))))];
  },
  eval(ctx: EvalContext) {
    const x = ctx.inputs[0]!;
    const reps = toNumbers(ctx.inputs[1]!);
    if (reps.length !== x.shape.length || reps.some((v) => v < 0)) ctx.fail(`Tile repeats [${reps.join(',')}] do not fit rank ${x.shape.length}`);
    const shape = x.shape.map((d, i) => d * reps[i]!);
    const xs = stridesOf(x.shape);
    // Output dim d of size reps[d] * x.shape[d] is row-major over (repeat, element): a view of
    // interleaved dims [reps[0], x0, reps[1], x1, ...] with stride 0 across the repeats.
    const view = stridedView(x, x.shape.flatMap((d, i) => [reps[i]!, d]), 0, xs.flatMap((st) => [0, st]), ctx.alloc);
    return [reshaped(view, shape)];
  },
};

/** Split along an axis into parts of given sizes (attribute before opset 13, input after) or equal parts. */
export const Split: OpDef = {
  relayout: true,
  inputs: [{ name: 'input' }, { name: 'split', optional: true }],
  outputs: [{ name: 'outputs', variadic: true }],
  attrs: { axis: { kind: 'int', default: 0 }, split: { kind: 'ints' }, num_outputs: { kind: 'int', min: 1 } },
  infer(ctx: InferContext) {
    const x = req(ctx, 0);
    const n = ctx.node.outputs.length;
    splitForm(ctx, n);
    if (!x.shape) return ctx.node.outputs.map(() => sameAs(x, undefined));
    const axis = normAxis(ctx, ctx.attrs.axis as number, x.shape.length);
    const sizes = (ctx.attrs.split as number[] | undefined) ?? (ctx.inputs[1] ? constInts(ctx, 1) : undefined);
    const dim = x.shape[axis]!;
    const at = (d: Dim) => sameAs(x, x.shape!.map((v, i) => (i === axis ? d : v)));
    if (sizes) {
      if (sizes.length !== n) ctx.fail('E-IR-SHAPE', `Split has ${sizes.length} sizes for ${n} outputs`, 'split');
      if (typeof dim === 'number' && sizes.reduce((a, b) => a + b, 0) !== dim)
        ctx.fail('E-IR-SHAPE', `Split sizes [${sizes.join(', ')}] do not sum to dim ${dim}`, 'split');
      return sizes.map((s) => at(s));
    }
    if (ctx.inputs[1]) return ctx.node.outputs.map(() => at(ctx.fresh('split')));
    if (typeof dim !== 'number') return ctx.node.outputs.map(() => at(ctx.fresh('split')));
    if (ctx.opset < 18 && dim % n !== 0) ctx.fail('E-IR-SHAPE', `Split of dim ${dim} into ${n} equal parts (before opset 18 the parts must be equal)`, 'split');
    return splitSizes(dim, n).map((s) => at(s));
  },
  eval(ctx: EvalContext) {
    const x = ctx.inputs[0]!;
    const n = ctx.wanted.length;
    const axis = evalAxis(ctx, ctx.attrs.axis as number, x.shape.length);
    const dim = x.shape[axis]!;
    const sizes = (ctx.attrs.split as number[] | undefined) ?? (ctx.inputs[1] ? toNumbers(ctx.inputs[1]) : splitSizes(dim, n));
    if (sizes.length !== n || sizes.reduce((a, b) => a + b, 0) !== dim) ctx.fail(`Split sizes [${sizes.join(',')}] do not fit dim ${dim} and ${n} outputs`);
    let start = 0;
    return sizes.map((len) => {
      const shape = x.shape.map((d, i) => (i === axis ? len : d));
      const xs = stridesOf(x.shape);
      const view = contiguousView(x, shape, start * xs[axis]!, xs) ?? stridedView(x, shape, start * xs[axis]!, xs, ctx.alloc);
      start += len;
      return view;
    });
  },
};

/** Where the part sizes come from at this opset: the split attribute (< 13), the split input (13+), or num_outputs (18+). */
function splitForm(ctx: InferContext, outputs: number): void {
  const { split, num_outputs: parts } = ctx.attrs as { split?: readonly number[]; num_outputs?: number };
  inputsFromOpset(ctx, 13, 'its sizes (split)', 'split', !!ctx.inputs[1], split !== undefined);
  if (parts !== undefined) {
    needsOpset(ctx, 18, 'num_outputs', 'num_outputs');
    if (ctx.inputs[1]) ctx.fail('E-IR-ATTR-VALUE', 'Split takes either the split input or num_outputs, not both', 'num_outputs');
    if (parts !== outputs) ctx.fail('E-IR-ARITY', `Split has num_outputs ${parts} but ${outputs} outputs`, 'num_outputs');
  } else if (ctx.opset >= 18 && !ctx.inputs[1]) ctx.fail('E-IR-MISSING-INPUT', 'Split needs the split input or num_outputs from opset 18', 'num_outputs');
}

/** ONNX's equal split: ceil(dim / n) per part, the last part smaller. */
function splitSizes(dim: number, n: number): number[] {
  const part = Math.ceil(dim / n);
  return arrayOf(n, (i) => Math.max(0, Math.min(part, dim - i * part)));
}

/** Start, start + delta, ... up to (not including) limit. */
export const Range: OpDef = {
  since: 11,
  inputs: [{ name: 'start' }, { name: 'limit' }, { name: 'delta' }],
  outputs: [{ name: 'output' }],
  attrs: {},
  infer(ctx: InferContext) {
    const t = expectDType(ctx, 0, ['f32', 'f64', 'i16', 'i32', 'i64']);
    sameDType(ctx, [0, 1, 2]);
    const [a, b, c] = [0, 1, 2].map((i) => constInts(ctx, i)?.[0]);
    if (a !== undefined && b !== undefined && c !== undefined) {
      if (c === 0) ctx.fail('E-IR-ATTR-VALUE', 'Range delta is 0', 'delta');
      return [tensorType(t.dtype, [Math.max(0, Math.ceil((b - a) / c))])];
    }
    return [tensorType(t.dtype, [ctx.fresh('range')])];
  },
  eval(ctx: EvalContext) {
    const [a, b, c] = ctx.inputs.map((t) => Number(t!.data[0]));
    if (c === 0) ctx.fail('Range delta is 0');
    const n = Math.max(0, Math.ceil((b! - a!) / c!));
    return [fromNumbers(ctx.inputs[0]!.dtype, [n], arrayOf(n, (i) => a! + i * c!))];
  },
};

/** The ops of this file, as the op table takes them: adding an op here is the whole change. */
export const INDEXING_OPS = { Gather, Unsqueeze, Squeeze, Concat, Slice, Split, Expand, Tile, Range } as const satisfies Record<string, OpDef>;
