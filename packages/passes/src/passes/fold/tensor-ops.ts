/** Small helpers to compute constant tensors for folding (shape-sized data). */
import { type DType, type Tensor, elemAsNumber, makeTensor, numel } from '@lstmc/ir';

export function strides(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length);
  let acc = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= dims[i];
  }
  return s;
}

/** Build a tensor by computing, for each output multi-index, the flat input index to copy. */
export function remap(t: Tensor, outDims: readonly number[], src: (idx: readonly number[]) => number): Tensor {
  const n = numel(outDims);
  const idx = new Array<number>(outDims.length).fill(0);
  const flat: number[] = new Array(n);
  for (let k = 0; k < n; k++) {
    flat[k] = src(idx);
    for (let d = outDims.length - 1; d >= 0; d--) {
      if (++idx[d] < outDims[d]) break;
      idx[d] = 0;
    }
  }
  return pick(t, outDims, flat);
}

/** A tensor of `t`'s dtype holding `t`'s elements at the given flat indices. */
export function pick(t: Tensor, dims: readonly number[], flat: readonly number[]): Tensor {
  if (t.dtype === 'string') return makeTensor('string', dims, flat.map((i) => (t.data as readonly string[])[i]));
  const data = new (t.data.constructor as { new (n: number): Float32Array })(flat.length);
  const src = t.data as unknown as ArrayLike<number>;
  for (let k = 0; k < flat.length; k++) (data as unknown as number[])[k] = src[flat[k]];
  return makeTensor(t.dtype, dims, data, t.fixed);
}

export function ints(t: Tensor): number[] {
  const out: number[] = [];
  for (let i = 0; i < t.data.length; i++) out.push(elemAsNumber(t, i));
  return out;
}

export function fromNumbers(dtype: DType, dims: readonly number[], values: readonly number[]): Tensor {
  return makeTensor(dtype, dims, values.map((v) => (dtype === 'i64' || dtype === 'u64' ? Math.trunc(v) : v)));
}

export function normAxis(a: number, rank: number): number {
  return a < 0 ? a + rank : a;
}

/** numpy broadcasting of two shapes; undefined when incompatible. */
export function broadcastDims(a: readonly number[], b: readonly number[]): number[] | undefined {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Flat index into `dims` for an output index of a broadcast result of rank `idx.length`. */
export function broadcastIndex(dims: readonly number[], st: readonly number[], idx: readonly number[]): number {
  const off = idx.length - dims.length;
  let k = 0;
  for (let d = 0; d < dims.length; d++) k += (dims[d] === 1 ? 0 : idx[off + d]) * st[d];
  return k;
}
