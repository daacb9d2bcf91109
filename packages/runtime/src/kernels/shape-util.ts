import { rtFail } from '../errors.js';
import type { RtDType } from '../dtype.js';
import type { RtValue } from '../model.js';

/** Normalizes a possibly negative axis against `rank`; out of range is an E-RT-EXEC error. */
export function normAxis(axis: number, rank: number, what = 'axis'): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) rtFail('E-RT-EXEC', `${what} ${axis} is out of range for rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}

/** Numpy-style broadcast of two shapes. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const r = Math.max(a.length, b.length);
  const out = new Array<number>(r);
  for (let i = 0; i < r; i++) {
    const da = i < r - a.length ? 1 : a[i - (r - a.length)]!;
    const db = i < r - b.length ? 1 : b[i - (r - b.length)]!;
    if (da !== db && da !== 1 && db !== 1) rtFail('E-RT-EXEC', `shapes [${a.join(',')}] and [${b.join(',')}] cannot be broadcast`);
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides of `shape` read as if broadcast to `outShape` (0 along broadcast dimensions). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const r = outShape.length;
  const off = r - shape.length;
  const s = new Array<number>(r).fill(0);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i + off] = shape[i] === 1 ? 0 : acc;
    acc *= shape[i]!;
  }
  return s;
}

/**
 * Walks a broadcast iteration over `outShape`: calls `inner(outOffset, aOffset, bOffset, n, aStep, bStep)`
 * once per run of the innermost dimension.
 */
export function broadcastRuns(
  outShape: readonly number[],
  as: readonly number[],
  bs: readonly number[],
  inner: (o: number, a: number, b: number, n: number, sa: number, sb: number) => void,
): void {
  const r = outShape.length;
  if (r === 0) {
    inner(0, 0, 0, 1, 0, 0);
    return;
  }
  const n = outShape[r - 1]!;
  if (n === 0) return;
  const sa = as[r - 1]!;
  const sb = bs[r - 1]!;
  let outer = 1;
  for (let i = 0; i < r - 1; i++) outer *= outShape[i]!;
  const idx = new Array<number>(r - 1).fill(0);
  let ao = 0;
  let bo = 0;
  for (let o = 0; o < outer; o++) {
    inner(o * n, ao, bo, n, sa, sb);
    for (let d = r - 2; d >= 0; d--) {
      idx[d]!++;
      ao += as[d]!;
      bo += bs[d]!;
      if (idx[d]! < outShape[d]!) break;
      ao -= as[d]! * outShape[d]!;
      bo -= bs[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
}

/** Load-time helpers for kernel checks. */
export function dtypeIs(v: RtValue | null, ...allowed: RtDType[]): boolean {
  return v === null || allowed.includes(v.dtype);
}

export function rankIs(v: RtValue | null, rank: number): boolean {
  return v === null || v.shape === null || v.shape.length === rank;
}

export const FLOAT_DTYPES: readonly RtDType[] = ['f32', 'f64'];
export const NUMERIC_DTYPES: readonly RtDType[] = ['f32', 'f64', 'i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64'];
export const INDEX_DTYPES: readonly RtDType[] = ['i32', 'i64'];

/** Checks that all present inputs share one dtype from `allowed`; returns an error message or undefined. */
export function checkSameDType(inputs: readonly (RtValue | null)[], allowed: readonly RtDType[]): string | undefined {
  const present = inputs.filter((v): v is RtValue => v !== null);
  if (present.length === 0) return undefined;
  const d = present[0]!.dtype;
  if (!allowed.includes(d)) return `dtype ${d} is not supported (allowed: ${allowed.join(', ')})`;
  for (const v of present) if (v.dtype !== d) return `inputs must share one dtype, got ${d} and ${v.dtype} ('${v.name}')`;
  return undefined;
}
