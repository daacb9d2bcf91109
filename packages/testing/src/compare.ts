/**
 * Element comparison for tests against reference data: exact for integer and
 * bool tensors, scaled error for float ones. Works on any `{ dtype, data }`
 * (the IR's tensors, the ops' and the runtime's alike).
 */
export interface ComparableTensor {
  readonly dtype: string;
  readonly data: ArrayLike<number | bigint | string> | readonly string[];
}

const FLOAT = new Set(['f32', 'f64', 'f16', 'bf16']);

export function isFloatDType(dtype: string): boolean {
  return FLOAT.has(dtype);
}

/**
 * Largest |got - want| / max(1, |want|) over the elements: the absolute error
 * for values up to 1 in magnitude, the relative error above (float32 cannot
 * hold 467.77 to 1e-5 absolute). NaN against NaN and an infinity against the
 * same infinity count as equal; any other NaN or infinity mismatch is Infinity.
 */
export function maxScaledError(got: ComparableTensor, want: ComparableTensor): number {
  if (got.data.length !== want.data.length) return Infinity;
  let m = 0;
  for (let i = 0; i < got.data.length; i++) {
    const g = Number(got.data[i]);
    const w = Number(want.data[i]);
    if (g === w || (Number.isNaN(g) && Number.isNaN(w))) continue;
    const d = Math.abs(g - w) / Math.max(1, Math.abs(w));
    if (!(d <= m)) m = Number.isFinite(d) ? d : Infinity;
  }
  return m;
}

/**
 * Why `got` does not match `want`, or undefined when it does: dtypes must be
 * equal, integer/bool/string elements exactly, float elements within `tol`
 * (maxScaledError). Shapes are the caller's to compare (their field names differ).
 */
export function tensorMismatch(got: ComparableTensor, want: ComparableTensor, tol: number): string | undefined {
  if (got.dtype !== want.dtype) return `dtype ${got.dtype}, expected ${want.dtype}`;
  if (got.data.length !== want.data.length) return `${got.data.length} elements, expected ${want.data.length}`;
  if (isFloatDType(want.dtype)) {
    const e = maxScaledError(got, want);
    return e <= tol ? undefined : `max scaled error ${e} > ${tol}`;
  }
  for (let i = 0; i < want.data.length; i++)
    if (got.data[i] !== want.data[i]) return `element ${i} is ${String(got.data[i])}, expected ${String(want.data[i])}`;
  return undefined;
}
