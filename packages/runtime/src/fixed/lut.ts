import { roundHalfEven, saturate } from './round.js';

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

/** The constants of a table lookup at one input format (see the module comment), computed once per vector. */
export interface LutReader {
  readonly table: Int32Array;
  readonly n: number;
  /** u = a + offset, clamped to [0, span - 1]. */
  readonly offset: number;
  readonly span: number;
  readonly sh: number;
  /** 2^sh (sh > 0) or 2^-sh (sh <= 0). */
  readonly unit: number;
}

export function lutReader(table: Int32Array, kind: LutKind, fIn: number): LutReader {
  const n = table.length;
  const r = LUT_FUNCTIONS[kind].rangeLog2;
  const sh = r + 1 + fIn - Math.log2(n);
  return { table, n, offset: 2 ** (r + fIn), span: 2 ** (r + 1 + fIn), sh, unit: sh <= 0 ? 2 ** -sh : 2 ** sh };
}

/** f(a * 2^-fIn) in Q(actBits, actBits-1) through a reader. */
export function lutRead(l: LutReader, a: number): number {
  const { table, n } = l;
  let u = a + l.offset;
  if (u < 0) u = 0;
  if (u > l.span - 1) u = l.span - 1;
  if (l.sh <= 0) return table[Math.min(n - 1, Math.floor(u * l.unit))];
  const k = Math.floor(u / l.unit);
  const phi = u - k * l.unit;
  const next = k + 1 < n ? table[k + 1] : table[k];
  return table[k] + roundHalfEven(((next - table[k]) * phi) / l.unit); // shiftRound by sh > 0
}

/** f(a * 2^-fIn) in Q(actBits, actBits-1) by the table (see the module comment). */
export function lutLookup(table: Int32Array, kind: LutKind, a: number, fIn: number): number {
  return lutRead(lutReader(table, kind, fIn), a);
}
