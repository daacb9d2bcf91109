import { rtFail } from '../errors.js';

/**
 * Integer arithmetic of the accelerator, on JS numbers. Every value is an
 * integer of at most 48 bits (accBits <= 48) and every intermediate product or
 * aligned sum stays below 2^53, so doubles hold them exactly.
 *
 * Rounding is round-to-nearest, ties-to-even (RNE) everywhere: it is unbiased,
 * so long recurrences do not drift, and it is what IEEE hardware does.
 * Saturation clamps to the two's-complement range of the destination width.
 */

/** Round a double to the nearest integer, ties to even. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const r = x - f;
  if (r > 0.5) return f + 1;
  if (r < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * v * 2^-s rounded to nearest-even (s > 0), or v * 2^-s exactly (s <= 0).
 * Division by a power of two is exact in doubles, so the rounding sees the true
 * remainder.
 */
export function shiftRound(v: number, s: number): number {
  if (s <= 0) return v * 2 ** -s;
  return roundHalfEven(v / 2 ** s);
}

export function minOf(bits: number): number {
  return -(2 ** (bits - 1));
}
export function maxOf(bits: number): number {
  return 2 ** (bits - 1) - 1;
}

/** Clamp to the signed range of `bits`. */
export function saturate(v: number, bits: number): number {
  const hi = 2 ** (bits - 1) - 1;
  const lo = -hi - 1;
  return v > hi ? hi : v < lo ? lo : v;
}

/** Saturating add of two integers into `bits`. */
export function addSat(a: number, b: number, bits: number): number {
  return saturate(a + b, bits);
}

/**
 * A real number to fixed point Q(bits, frac): RNE then saturate. NaN has no fixed-point value: it
 * is refused (E-RT-NONFINITE), never mapped to a number; callers that know which tensor and step a
 * value belongs to check before and name them.
 */
export function toFixed(x: number, frac: number, bits: number): number {
  if (Number.isNaN(x)) rtFail('E-RT-NONFINITE', `NaN has no fixed-point value (Q${bits - 1 - frac}.${frac})`);
  return saturate(roundHalfEven(x * 2 ** frac), bits);
}

export function fromFixed(q: number, frac: number): number {
  return q * 2 ** -frac;
}

/** toFixed of every element (its scale and bounds computed once), into `out` (int32 by default; narrower when `bits` fits it). */
export function quantizeArray(x: ArrayLike<number>, frac: number, bits: number): Int32Array;
export function quantizeArray<T extends Int8Array | Int16Array | Int32Array>(x: ArrayLike<number>, frac: number, bits: number, out: T): T;
export function quantizeArray(x: ArrayLike<number>, frac: number, bits: number, out: Int8Array | Int16Array | Int32Array = new Int32Array(x.length)): Int8Array | Int16Array | Int32Array {
  const scale = 2 ** frac;
  const hi = maxOf(bits);
  const lo = minOf(bits);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    // Zero (pruned weights: most of them) quantizes to 0; NaN has no value and is left as it was.
    if (v === 0) {
      out[i] = 0;
      continue;
    }
    if (Number.isNaN(v)) continue;
    const q = roundHalfEven(v * scale);
    out[i] = q > hi ? hi : q < lo ? lo : q;
  }
  return out;
}

export function dequantizeArray(q: ArrayLike<number>, frac: number): Float32Array {
  const out = new Float32Array(q.length);
  const s = 2 ** -frac;
  for (let i = 0; i < q.length; i++) out[i] = q[i] * s;
  return out;
}

/**
 * The largest fraction length f such that maxAbs * 2^f still fits in `bits`
 * (signed), i.e. the power-of-two scale of a tensor whose values lie in
 * [-maxAbs, maxAbs]. For maxAbs = 0 the format is all fraction (bits - 1).
 */
export function fracFor(maxAbs: number, bits: number): number {
  if (!(maxAbs > 0)) return bits - 1;
  let f = bits - 1 - Math.ceil(Math.log2(maxAbs));
  while (roundHalfEven(maxAbs * 2 ** f) > maxOf(bits)) f--;
  while (roundHalfEven(maxAbs * 2 ** (f + 1)) <= maxOf(bits)) f++;
  return f;
}
