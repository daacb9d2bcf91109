/**
 * Constant evaluation of the shape-only ops that exporters put around LSTMs
 * (Shape, Gather, Unsqueeze, Squeeze, Concat, Slice, ConstantOfShape,
 * Reshape, Cast, Identity, Transpose, and arithmetic), one entry per op.
 * An evaluator returns undefined when it cannot fold (unknown shapes,
 * missing constants); folding is an optimization, never an error.
 */
import { type OpKind, type ParsedAttrs, type Tensor, type TensorType, clampSlice, dtypeFromOnnx, isStaticShape, makeTensor, numel } from '@lstmc/ir';
import { broadcastDims, broadcastIndex, fromNumbers, ints, normAxis, remap, strides } from './tensor-ops.js';

export interface FoldInput {
  /** Constant value of each input (undefined when not constant or omitted). */
  readonly consts: readonly (Tensor | undefined)[];
  /** Type of each input (undefined when omitted). */
  readonly types: readonly (TensorType | undefined)[];
  readonly attrs: ParsedAttrs;
  readonly opset: number;
}

export type Evaluator = (x: FoldInput) => Tensor[] | undefined;

function allConst(x: FoldInput, n = x.consts.length): boolean {
  for (let i = 0; i < n; i++) if (!x.consts[i]) return false;
  return true;
}

const shape: Evaluator = (x) => {
  const s = x.types[0]?.shape;
  if (!isStaticShape(s)) return undefined;
  const r = s.length;
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
  const start = clamp((x.attrs.start as number | undefined) ?? 0);
  const end = clamp((x.attrs.end as number | undefined) ?? r);
  const dims = s.slice(start, Math.max(start, end));
  return [fromNumbers('i64', [dims.length], dims)];
};

const gather: Evaluator = (x) => {
  if (!allConst(x)) return undefined;
  const [data, indices] = x.consts as Tensor[];
  const axis = normAxis((x.attrs.axis as number) ?? 0, data.dims.length);
  const n = data.dims[axis];
  const idx = ints(indices).map((i) => (i < 0 ? i + n : i));
  if (idx.some((i) => i < 0 || i >= n)) return undefined;
  const outDims = [...data.dims.slice(0, axis), ...indices.dims, ...data.dims.slice(axis + 1)];
  const st = strides(data.dims);
  const ir = indices.dims.length;
  const ist = strides(indices.dims);
  return [
    remap(data, outDims, (o) => {
      let k = 0;
      for (let d = 0; d < axis; d++) k += o[d] * st[d];
      let flatI = 0;
      for (let d = 0; d < ir; d++) flatI += o[axis + d] * ist[d];
      k += idx[flatI] * st[axis];
      for (let d = axis + 1; d < data.dims.length; d++) k += o[d + ir - 1] * st[d];
      return k;
    }),
  ];
};

function axesArg(x: FoldInput): number[] | undefined | null {
  const a = x.attrs.axes as readonly number[] | undefined;
  if (a) return [...a];
  if (x.types[1]) return x.consts[1] ? ints(x.consts[1]) : null;
  return undefined;
}

const reshapeTo = (t: Tensor, dims: readonly number[]): Tensor => makeTensor(t.dtype, dims, t.data, t.fixed);

const unsqueeze: Evaluator = (x) => {
  const t = x.consts[0];
  const axes = axesArg(x);
  if (!t || !axes) return undefined;
  const r = t.dims.length + axes.length;
  const norm = axes.map((a) => normAxis(a, r));
  const out: number[] = [];
  let k = 0;
  for (let i = 0; i < r; i++) out.push(norm.includes(i) ? 1 : t.dims[k++]);
  return [reshapeTo(t, out)];
};

const squeeze: Evaluator = (x) => {
  const t = x.consts[0];
  const axes = axesArg(x);
  if (!t || axes === null) return undefined;
  const r = t.dims.length;
  const norm = axes?.map((a) => normAxis(a, r));
  const out = t.dims.filter((d, i) => (norm ? !norm.includes(i) : d !== 1));
  return [reshapeTo(t, out)];
};

const concat: Evaluator = (x) => {
  if (x.consts.length === 0 || !allConst(x)) return undefined;
  const ts = x.consts as Tensor[];
  const axis = normAxis(x.attrs.axis as number, ts[0].dims.length);
  const outDims = [...ts[0].dims];
  outDims[axis] = ts.reduce((s, t) => s + t.dims[axis], 0);
  // Concatenate flat element lists block by block along the axis.
  const outer = numel(ts[0].dims.slice(0, axis));
  const parts = ts.map((t) => ({ t, inner: numel(t.dims.slice(axis)) }));
  const values: (number | bigint | string)[] = [];
  for (let o = 0; o < outer; o++)
    for (const { t, inner } of parts)
      for (let i = 0; i < inner; i++) values.push((t.data as ArrayLike<number | bigint | string>)[o * inner + i]);
  const first = ts[0];
  if (first.dtype === 'string') return [makeTensor('string', outDims, values as string[])];
  const data = new (first.data.constructor as { new (n: number): Float32Array })(values.length);
  values.forEach((v, i) => ((data as unknown as unknown[])[i] = v));
  return [makeTensor(first.dtype, outDims, data, first.fixed)];
};

const slice: Evaluator = (x) => {
  const t = x.consts[0];
  if (!t) return undefined;
  const fromAttrs = x.attrs.starts !== undefined;
  const get = (i: number): number[] | undefined | null => (x.types[i] ? (x.consts[i] ? ints(x.consts[i]!) : null) : undefined);
  const starts = fromAttrs ? [...(x.attrs.starts as number[])] : get(1);
  const ends = fromAttrs ? [...(x.attrs.ends as number[])] : get(2);
  const axesIn = fromAttrs ? (x.attrs.axes as number[] | undefined) : get(3);
  const stepsIn = fromAttrs ? undefined : get(4);
  if (!starts || !ends || axesIn === null || stepsIn === null) return undefined;
  const r = t.dims.length;
  const axes = (axesIn ?? starts.map((_, i) => i)).map((a) => normAxis(a, r));
  const begin = new Array<number>(r).fill(0);
  const step = new Array<number>(r).fill(1);
  const outDims = [...t.dims];
  axes.forEach((a, k) => {
    const s = stepsIn?.[k] ?? 1;
    if (s === 0) return;
    const [b, e] = clampSlice(starts[k], ends[k], s, t.dims[a]);
    begin[a] = b;
    step[a] = s;
    outDims[a] = s > 0 ? Math.max(0, Math.ceil((e - b) / s)) : Math.max(0, Math.ceil((b - e) / -s));
  });
  if (stepsIn?.some((s) => s === 0)) return undefined;
  const st = strides(t.dims);
  return [remap(t, outDims, (o) => o.reduce((k, v, d) => k + (begin[d] + v * step[d]) * st[d], 0))];
};

const constantOfShape: Evaluator = (x) => {
  const s = x.consts[0];
  if (!s) return undefined;
  const dims = ints(s);
  const v = x.attrs.value as Tensor | undefined;
  const dtype = v?.dtype ?? 'f32';
  const fill = v ? ints(v)[0] : 0;
  return [fromNumbers(dtype, dims, new Array<number>(numel(dims)).fill(fill))];
};

const reshape: Evaluator = (x) => {
  const [t, s] = x.consts;
  if (!t || !s) return undefined;
  const want = ints(s);
  const allowZero = (x.attrs.allowzero as number | undefined) === 1;
  const dims = want.map((d, i) => (d === 0 && !allowZero ? t.dims[i] : d));
  const known = dims.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const out = dims.map((d) => (d === -1 ? numel(t.dims) / known : d));
  if (out.some((d) => !Number.isInteger(d) || d < 0) || numel(out) !== numel(t.dims)) return undefined;
  return [reshapeTo(t, out)];
};

const cast: Evaluator = (x) => {
  const t = x.consts[0];
  const to = dtypeFromOnnx(x.attrs.to as number);
  if (!t || !to || to === 'string' || t.dtype === 'string') return undefined;
  const isInt = !['f32', 'f64', 'f16', 'bf16'].includes(to);
  return [fromNumbers(to, t.dims, ints(t).map((v) => (isInt ? Math.trunc(v) : v)))];
};

const transpose: Evaluator = (x) => {
  const t = x.consts[0];
  if (!t) return undefined;
  const r = t.dims.length;
  const perm = (x.attrs.perm as readonly number[] | undefined) ?? [...Array(r).keys()].reverse();
  const st = strides(t.dims);
  const outDims = perm.map((p) => t.dims[p]);
  return [remap(t, outDims, (o) => o.reduce((k, v, d) => k + v * st[perm[d]], 0))];
};

function binary(f: (a: number, b: number, isInt: boolean) => number): Evaluator {
  return (x) => {
    const [a, b] = x.consts;
    if (!a || !b || a.dtype === 'string' || a.dtype !== b.dtype) return undefined;
    const dims = broadcastDims(a.dims, b.dims);
    if (!dims) return undefined;
    const isInt = !['f32', 'f64', 'f16', 'bf16'].includes(a.dtype);
    const av = ints(a);
    const bv = ints(b);
    const sa = strides(a.dims);
    const sb = strides(b.dims);
    const out: number[] = [];
    remap(a, dims, (o) => {
      out.push(f(av[broadcastIndex(a.dims, sa, o)], bv[broadcastIndex(b.dims, sb, o)], isInt));
      return 0;
    });
    if (out.some((v) => !Number.isFinite(v)) && isInt) return undefined;
    return [fromNumbers(a.dtype, dims, out)];
  };
}

const identity: Evaluator = (x) => (x.consts[0] ? [x.consts[0]] : undefined);

/** The folding table. Ops absent here (LSTM, MatMul, activations, ...) are never folded. */
export const EVALUATORS = {
  Shape: shape,
  Gather: gather,
  Unsqueeze: unsqueeze,
  Squeeze: squeeze,
  Concat: concat,
  Slice: slice,
  ConstantOfShape: constantOfShape,
  Reshape: reshape,
  Cast: cast,
  Identity: identity,
  Transpose: transpose,
  Add: binary((a, b) => a + b),
  Sub: binary((a, b) => a - b),
  Mul: binary((a, b) => a * b),
  Div: binary((a, b, isInt) => (isInt ? (b === 0 ? Number.NaN : Math.trunc(a / b)) : a / b)),
} as const satisfies Partial<Record<OpKind, Evaluator>>;

export function evaluatorOf(op: string): Evaluator | undefined {
  return Object.prototype.hasOwnProperty.call(EVALUATORS, op) ? EVALUATORS[op as keyof typeof EVALUATORS] : undefined;
}

