import type { DType } from './dtype.js';

/** Storage of a tensor's elements, chosen by dtype (f16/bf16 are held widened in Float32Array, bool in Uint8Array). */
export type OpData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | readonly string[];

/** Element storage of every dtype but the 64-bit integers and strings: JS numbers. */
export type NumberData = Exclude<OpData, BigInt64Array | BigUint64Array | readonly string[]>;

/**
 * What reference evaluations compute on: dtype, concrete shape, row-major data. The runtime's
 * tensors have exactly this shape; the IR's constants convert to it by renaming `dims`.
 */
export interface OpTensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: OpData;
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  // an indexed loop: numel runs for every tensor a run makes, and for-of's iterator cost shows in profiles
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

/**
 * Where an evaluation's output data comes from (EvalContext.alloc): n zeroed elements of `dtype`.
 * `alloc` (new arrays) by default; the runtime passes one that carves the outputs of a run from
 * memory it reuses run after run (a typed array of more than 64 bytes costs about a microsecond to
 * create, more than many small ops take to compute).
 */
export type Allocator = (dtype: DType, n: number) => OpData;

/** The allocator of an evaluation context: its own, or `alloc`. */
export const allocatorOf = (ctx: { readonly alloc?: Allocator | undefined }): Allocator => ctx.alloc ?? alloc;

export function alloc(dtype: DType, n: number): OpData {
  switch (dtype) {
    case 'f32':
    case 'f16':
    case 'bf16':
      return new Float32Array(n);
    case 'f64':
      return new Float64Array(n);
    case 'i8':
      return new Int8Array(n);
    case 'u8':
    case 'bool':
      return new Uint8Array(n);
    case 'i16':
      return new Int16Array(n);
    case 'u16':
      return new Uint16Array(n);
    case 'i32':
      return new Int32Array(n);
    case 'u32':
      return new Uint32Array(n);
    case 'i64':
      return new BigInt64Array(n);
    case 'u64':
      return new BigUint64Array(n);
    case 'string':
      return new Array<string>(n).fill('');
    case 'unknown':
      throw new Error('alloc: a tensor of unknown element type');
  }
}

export function isBigData(d: OpData): d is BigInt64Array | BigUint64Array {
  return d instanceof BigInt64Array || d instanceof BigUint64Array;
}

export function makeOpTensor(dtype: DType, shape: readonly number[], data?: OpData): OpTensor {
  return { dtype, shape: [...shape], data: data ?? alloc(dtype, numel(shape)) };
}

/** A tensor of `dtype` holding JS numbers `values` (converted to bigint for 64-bit integer types). */
export function fromNumbers(dtype: DType, shape: readonly number[], values: ArrayLike<number>): OpTensor {
  const d = alloc(dtype, values.length);
  if (isBigData(d)) for (let i = 0; i < values.length; i++) (d as BigInt64Array)[i] = BigInt(Math.trunc(values[i]!));
  else for (let i = 0; i < values.length; i++) (d as NumberData)[i] = values[i]!;
  return { dtype, shape: [...shape], data: d };
}

/** Element i as a JS number (64-bit integers converted; exact below 2^53). */
export function elemNumber(t: { readonly data: OpData }, i: number): number {
  return Number((t.data as ArrayLike<number | bigint | string>)[i]);
}

/** All elements as JS numbers (shape and index tensors). */
export function toNumbers(t: { readonly data: OpData }): number[] {
  const out = new Array<number>(t.data.length);
  for (let i = 0; i < out.length; i++) out[i] = elemNumber(t, i);
  return out;
}

/**
 * [f(0), ..., f(n-1)]: what `Array.from({ length: n }, (_, i) => f(i))` gives, at a tenth of its cost
 * (V8 walks the array-like generically: 0.25 us for one element, 5 us for 128), for evaluations that
 * run at every model run.
 */
export function arrayOf<T>(n: number, f: (i: number) => T): T[] {
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[i] = f(i);
  return out;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** Same data, new shape (a view: data is shared, never written after construction). */
export function reshaped(t: OpTensor, shape: readonly number[]): OpTensor {
  return { dtype: t.dtype, shape: [...shape], data: t.data };
}

/**
 * Runs of at least this many elements are copied with one set() of a subarray, shorter ones by a
 * loop: the subarray and set() cost about 50 ns a run whatever its length, the loop about 0.85 ns an
 * element (Node 20: the loop wins below 64 floats; batch-first LSTM exports transpose runs of 16-64).
 */
export const SET_MIN = 64;

/**
 * out[o + i] = src[k + i*step] for i < len, float32 to float32: the element loop of the ops that copy
 * (stridedView, Concat) for the dtype nearly all of a model's data has. A loop of its own: the
 * generic loops also see the int64 shape tensors, and a loop that sees two element types is slower
 * for both (6% of a small bidirectional LSTM export's run was stridedView's generic loop).
 */
export function copyRunF32(out: Float32Array, o: number, src: Float32Array, k: number, len: number, step: number): void {
  for (let i = 0, s = k; i < len; i++, s += step) out[o + i] = src[s]!;
}

/**
 * out[o .. o+len) = src[k .. k+len), two arrays of one element type: one set() of a subarray from
 * SET_MIN elements on (typed arrays), else a loop (float32 data in copyRunF32's). The contiguous copy
 * of Pad's rows, Concat's parts and Slice's and Gather's blocks.
 */
export function copyRun(out: OpData, o: number, src: OpData, k: number, len: number): void {
  if (len >= SET_MIN && ArrayBuffer.isView(out) && ArrayBuffer.isView(src)) (out as Float32Array).set((src as Float32Array).subarray(k, k + len), o);
  else if (out instanceof Float32Array && src instanceof Float32Array) copyRunF32(out, o, src, k, len, 1);
  else for (let i = 0; i < len; i++) (out as unknown[])[o + i] = (src as unknown[])[k + i];
}

/**
 * The strided view of `t` (as stridedView takes it) as a subarray of t's data, without a copy, when it
 * is one contiguous run of a typed array: a Slice of leading rows, a Transpose that only moves axes of
 * size 1, a Split part along the first axis that is not 1. Undefined otherwise. For ops whose output
 * is a read-only rearrangement of their input (kernels never write into their inputs; Reshape shares
 * its input's data the same way, and graph outputs of arena or constant memory are copied out).
 */
export function contiguousView(t: OpTensor, shape: readonly number[], offset: number, strides: readonly number[]): OpTensor | undefined {
  if (!ArrayBuffer.isView(t.data)) return undefined;
  let run = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!;
    if (size === 1) continue;
    if (size === 0) break;
    if (strides[d] !== run) return undefined;
    run *= size;
  }
  const n = numel(shape);
  return { dtype: t.dtype, shape: [...shape], data: (t.data as unknown as Float32Array).subarray(offset, offset + n) as unknown as OpData };
}

/**
 * A strided view of `t` copied out: the element of `shape` at multi-index i is source element
 * `offset + sum_d i[d] * strides[d]` (a stride may be 0, to repeat, or negative). Slice, Split,
 * Transpose, Expand and Tile are this view with their own offset and strides. Dims that step through
 * the source as one (stride[d] = stride[d+1] * shape[d+1]) are merged first, so a view that keeps rows
 * whole (a Slice along an outer axis, a Split) copies long runs; the outer dims are walked with an
 * odometer: no division per element.
 */
export function stridedView(t: OpTensor, shape: readonly number[], offset: number, strides: readonly number[], allocate: Allocator = alloc): OpTensor {
  const n = numel(shape);
  const out = allocate(t.dtype, n) as unknown as { [i: number]: unknown };
  const src = t.data as unknown as ArrayLike<unknown>;
  // merge dims from the innermost out, dropping dims of size 1
  const dims: number[] = [];
  const steps: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!;
    if (size === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && strides[d] === steps[last]! * dims[last]!) dims[last] = dims[last]! * size;
    else {
      dims.push(size);
      steps.push(strides[d]!);
    }
  }
  const len = dims[0] ?? 1;
  const step = steps[0] ?? 1;
  const runs = n / (len || 1);
  const copy = step === 1 && len >= SET_MIN && ArrayBuffer.isView(src) && ArrayBuffer.isView(out);
  const f32 = src instanceof Float32Array && out instanceof Float32Array;
  const idx = new Array<number>(dims.length).fill(0);
  let k = offset;
  for (let run = 0, o = 0; run < runs; run++, o += len) {
    if (copy) (out as unknown as Float32Array).set((src as unknown as Float32Array).subarray(k, k + len), o);
    else if (f32) copyRunF32(out as unknown as Float32Array, o, src as unknown as Float32Array, k, len, step);
    else for (let i = 0, s = k; i < len; i++, s += step) out[o + i] = src[s];
    for (let d = 1; d < dims.length; d++) {
      k += steps[d]!;
      if (++idx[d]! < dims[d]!) break;
      k -= steps[d]! * dims[d]!;
      idx[d] = 0;
    }
  }
  return { dtype: t.dtype, shape: [...shape], data: out as unknown as OpData };
}
