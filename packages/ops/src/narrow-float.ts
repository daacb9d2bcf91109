/**
 * Rounding of JS numbers to the narrow float formats lstmc holds widened in
 * Float32Array (f16, bf16): the value the format would store, round to
 * nearest, ties to even, overflow to infinity, subnormals kept.
 */
interface FloatFormat {
  /** Stored mantissa bits (without the implicit 1). */
  readonly mantissa: number;
  /** Exponent of the smallest normal number. */
  readonly minExp: number;
  /** Exponent of the largest finite number. */
  readonly maxExp: number;
}

const FORMATS = {
  f16: { mantissa: 10, minExp: -14, maxExp: 15 },
  bf16: { mantissa: 7, minExp: -126, maxExp: 127 },
} as const satisfies Record<string, FloatFormat>;

export type NarrowFloat = keyof typeof FORMATS;

export function isNarrowFloat(dtype: string): dtype is NarrowFloat {
  return dtype === 'f16' || dtype === 'bf16';
}

/** x / q rounded to an integer, ties to even (x / q exact: q is a power of 2). */
function roundTiesEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  return d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
}

export function roundToNarrowFloat(x: number, format: NarrowFloat): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const { mantissa, minExp, maxExp } = FORMATS[format];
  const a = Math.abs(x);
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  // The spacing of representable values around a: 2^(e - mantissa), fixed below the normal range.
  const q = 2 ** (Math.max(e, minExp) - mantissa);
  const r = roundTiesEven(a / q) * q;
  const max = (2 - 2 ** -mantissa) * 2 ** maxExp;
  const v = r > max ? Infinity : r;
  return x < 0 ? -v : v;
}
