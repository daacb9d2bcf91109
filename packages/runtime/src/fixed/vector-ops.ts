import { lutRead, lutReader, type FixedLuts, type LutKind } from './lut.js';
import { denseRowsAccumulate } from './product-loops.js';
import { roundHalfEven, saturate, shiftRound } from './round.js';

/**
 * The primitive operations of the accelerator's datapath. The fixed-point
 * reference (lstm-step.ts) and the simulator's instruction semantics both call
 * these, so the arithmetic exists once. Accumulators are Float64Array holding
 * integers of accBits; activations are Int32Array of actBits with fraction
 * length actBits - 1 for gates and h.
 *
 * Ordering invariant: accumulation saturates after every addition, so the
 * result depends on order. Every user adds a row's products in ascending column
 * order, W before R, then bias, then peepholes. Adding a zero product is the
 * identity, so skipping zero weights or zero inputs never changes a result.
 */

/** acc[i] += RNE(w * x / 2^shift), saturating to accBits. */
export function macInto(acc: Float64Array, i: number, w: number, x: number, shift: number, accBits: number): void {
  acc[i] = saturate(acc[i] + shiftRound(w * x, shift), accBits);
}

/** acc[accOff + r] += sum_k W[r, k] * x[xOff + k] for r < rows, in ascending k (the row loop of product-loops.ts). */
export const matvecAccumulate = denseRowsAccumulate;

/** The clamp bounds of `bits` (saturate, computed once per vector). */
function bounds(bits: number): { hi: number; lo: number } {
  const hi = 2 ** (bits - 1) - 1;
  return { hi, lo: -hi - 1 };
}

/** RNE(v * 2^-s) for one s: shiftRound with its power of two computed once per vector. */
function shifter(s: number): (v: number) => number {
  if (s <= 0) {
    const mul = 2 ** -s;
    return (v) => v * mul;
  }
  const div = 2 ** s;
  return (v) => roundHalfEven(v / div);
}

/** acc[off + i] += b[bOff + i] (bias already at the accumulator's fraction length). */
export function biasAdd(acc: Float64Array, off: number, b: ArrayLike<number>, bOff: number, n: number, accBits: number): void {
  const { hi, lo } = bounds(accBits);
  for (let i = 0; i < n; i++) {
    const v = acc[off + i] + b[bOff + i];
    acc[off + i] = v > hi ? hi : v < lo ? lo : v;
  }
}

/** acc[off + i] += RNE(P[pOff + i] * c[cOff + i] / 2^shift) (peephole). */
export function peepholeAdd(
  acc: Float64Array,
  off: number,
  P: ArrayLike<number>,
  pOff: number,
  c: Int32Array,
  cOff: number,
  n: number,
  shift: number,
  accBits: number,
): void {
  const { hi, lo } = bounds(accBits);
  const sr = shifter(shift);
  for (let i = 0; i < n; i++) {
    const v = acc[off + i] + sr(P[pOff + i] * c[cOff + i]);
    acc[off + i] = v > hi ? hi : v < lo ? lo : v;
  }
}

/**
 * dst[dOff + i] = f(clamp(src[sOff + i], -clip, clip)) by the LUT, with the
 * input at fraction length fIn. `clip` is in the input's units; null = none.
 */
export function activate(
  kind: LutKind,
  luts: FixedLuts,
  src: ArrayLike<number>,
  sOff: number,
  dst: Int32Array,
  dOff: number,
  n: number,
  fIn: number,
  clip: number | null,
): void {
  const l = lutReader(luts[kind], kind, fIn);
  for (let i = 0; i < n; i++) {
    let a = src[sOff + i];
    if (clip !== null) a = a > clip ? clip : a < -clip ? -clip : a;
    dst[dOff + i] = lutRead(l, a);
  }
}

/** g[dOff + i] = 1 - g[sOff + i] in Q(actBits, actBits-1), saturated (1.0 is not representable). */
export function oneMinus(g: Int32Array, dOff: number, sOff: number, n: number, actBits: number): void {
  const one = 2 ** (actBits - 1);
  const { hi, lo } = bounds(actBits);
  for (let i = 0; i < n; i++) {
    const v = one - g[sOff + i];
    g[dOff + i] = v > hi ? hi : v < lo ? lo : v;
  }
}

/**
 * c = f*c + i*g with one rounding: gates have fraction length A-1 (A = actBits),
 * c has fC. Both products are aligned exactly at F = A-1 + max(fC, A-1), added,
 * then rounded to fC and saturated to A bits.
 */
export function cellUpdate(
  c: Int32Array,
  cOff: number,
  g: Int32Array,
  iOff: number,
  fOff: number,
  gOff: number,
  n: number,
  fC: number,
  actBits: number,
): void {
  const fG = actBits - 1;
  const F = fG + Math.max(fC, fG);
  const s1 = 2 ** (F - fG - fC);
  const s2 = 2 ** (F - 2 * fG);
  const { hi, lo } = bounds(actBits);
  const sr = shifter(F - fC);
  for (let k = 0; k < n; k++) {
    const v = sr(g[fOff + k] * c[cOff + k] * s1 + g[iOff + k] * g[gOff + k] * s2);
    c[cOff + k] = v > hi ? hi : v < lo ? lo : v;
  }
}

/** d[dOff + i] = a[aOff + i] * b[bOff + i], all at fraction length A-1 (h = o * tanh(c)). */
export function gateMul(d: Int32Array, dOff: number, a: Int32Array, aOff: number, b: Int32Array, bOff: number, n: number, actBits: number): void {
  const { hi, lo } = bounds(actBits);
  const sr = shifter(actBits - 1);
  for (let i = 0; i < n; i++) {
    const v = sr(a[aOff + i] * b[bOff + i]);
    d[dOff + i] = v > hi ? hi : v < lo ? lo : v;
  }
}
