import { roundHalfEven, saturate, shiftRound } from './round.js';

/**
 * Sigmoid and tanh by look-up table with linear interpolation.
 *
 * A table of N = lutEntries points samples f on [-2^r, 2^r) with step
 * 2^(r+1)/N (a power of two, so the index is a shift of the input):
 *   L[k] = RNE(f(-2^r + k*step) * 2^(actBits-1)), saturated to actBits.
 * For an input a with fraction length fIn: u = a + 2^(r+fIn), clamped to
 * [0, 2^(r+1+fIn) - 1]; with sh = r + 1 + fIn - log2 N,
 *   k = floor(u / 2^sh), phi = u mod 2^sh,
 *   out = L[k] + RNE((L[k+1] - L[k]) * phi / 2^sh)   (L[N] := L[N-1]).
 * When sh < 0 the input grid is coarser than the table: k = u * 2^-sh, phi = 0.
 * Inputs below -2^r give L[0], at or above 2^r give L[N-1] (saturation).
 * Outputs have fraction length actBits - 1.
 */
export const LUT_FUNCTIONS = {
  sigmoid: { rangeLog2: 3, fn: (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))) },
  tanh: { rangeLog2: 2, fn: Math.tanh },
} as const satisfies Record<string, { rangeLog2: number; fn: (x: number) => number }>;

export type LutKind = keyof typeof LUT_FUNCTIONS;
export const LUT_KINDS = Object.keys(LUT_FUNCTIONS) as LutKind[];

export interface FixedLuts {
  readonly entries: number;
  readonly actBits: number;
  readonly sigmoid: Int32Array;
  readonly tanh: Int32Array;
}

export function buildLut(kind: LutKind, entries: number, actBits: number): Int32Array {
  const { rangeLog2, fn } = LUT_FUNCTIONS[kind];
  const lo = -(2 ** rangeLog2);
  const step = 2 ** (rangeLog2 + 1) / entries;
  const out = new Int32Array(entries);
  for (let k = 0; k < entries; k++) out[k] = saturate(roundHalfEven(fn(lo + k * step) * 2 ** (actBits - 1)), actBits);
  return out;
}

export function buildLuts(entries: number, actBits: number): FixedLuts {
  return { entries, actBits, sigmoid: buildLut('sigmoid', entries, actBits), tanh: buildLut('tanh', entries, actBits) };
}

/** f(a * 2^-fIn) in Q(actBits, actBits-1) by the table (see the module comment). */
export function lutLookup(table: Int32Array, kind: LutKind, a: number, fIn: number): number {
  const n = table.length;
  const r = LUT_FUNCTIONS[kind].rangeLog2;
  const logN = Math.log2(n);
  const span = 2 ** (r + 1 + fIn);
  let u = a + 2 ** (r + fIn);
  if (u < 0) u = 0;
  if (u > span - 1) u = span - 1;
  const sh = r + 1 + fIn - logN;
  if (sh <= 0) return table[Math.min(n - 1, Math.floor(u * 2 ** -sh))];
  const unit = 2 ** sh;
  const k = Math.floor(u / unit);
  const phi = u - k * unit;
  const next = k + 1 < n ? table[k + 1] : table[k];
  return table[k] + shiftRound((next - table[k]) * phi, sh);
}
