/**
 * Exact text forms of numbers. Every float printed here reads back to the
 * identical bits: float32 values print as the shortest decimal that rounds
 * (through Math.fround) to the same float32, float64 values as JS's shortest
 * round-trip form. A printed float always contains `.`, an exponent, `inf` or
 * `nan`, so it never reads as an integer. NaNs print as `nan` when they are
 * the canonical quiet NaN and as `nan(0x<bits>)` otherwise.
 */

export const F32_CANONICAL_NAN = 0x7fc00000;
export const F64_CANONICAL_NAN = 0x7ff8000000000000n;

/** Scratch views for bit casts; one per call site so no state is shared between calls. */
export interface BitScratch {
  readonly f32: Float32Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;
  readonly u64: BigUint64Array;
}

export function makeBitScratch(): BitScratch {
  const buf = new ArrayBuffer(8);
  return { f32: new Float32Array(buf, 0, 1), u32: new Uint32Array(buf, 0, 1), f64: new Float64Array(buf), u64: new BigUint64Array(buf) };
}

function withPoint(s: string): string {
  return /[.eEn]/.test(s) ? s : `${s}.0`;
}

/** Shortest decimal text of a double that is exactly a float32 value (not NaN). */
export function formatF32Value(x: number): string {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // Whether some p-digit decimal reads back as x is monotone in p (append a
  // zero), and 9 digits always suffice for a float32: binary search on p.
  if (Math.fround(x) !== x) throw new Error(`formatF32Value: ${x} is not a float32 value`);
  let lo = 1;
  let hi = 9;
  let found: number | undefined;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = shortestAtPrecision(x, mid);
    if (c === undefined) lo = mid + 1;
    else {
      hi = mid;
      found = c;
    }
  }
  return withPoint(String(found ?? shortestAtPrecision(x, 9)!));
}

/**
 * A p-significant-digit decimal that rounds to float32 x, preferring the
 * nearest. toExponential gives the nearest p-digit decimal d; if it misses
 * (next to a power of two the rounding interval is lopsided), its neighbour
 * on the far side of x may still hit. toExponential breaks exact ties away
 * from zero; numpy and CPython break them to even, and so do we.
 */
function shortestAtPrecision(x: number, p: number): number | undefined {
  const s = x.toExponential(p - 1);
  const ePos = s.indexOf('e');
  const sign = x < 0 ? '-' : '';
  const digits = Number(s.slice(sign.length, ePos).replace('.', ''));
  const k = Number(s.slice(ePos + 1)) - p + 1;
  const value = (d: number) => Number(`${sign}${d}e${k}`);
  const c = value(digits);
  if (Math.fround(c) === x) {
    if (digits % 2 === 1) {
      const below = value(digits - 1);
      if (Math.fround(below) === x && nearestEvenCandidate([BigInt(digits - 1), BigInt(digits)], k, Math.abs(x)) === BigInt(digits - 1)) return below;
    }
    return c;
  }
  for (const d of [digits - 1, digits + 1]) {
    if (d <= 0) continue;
    const v = value(d);
    if (Math.fround(v) === x) return v;
  }
  return undefined;
}

/**
 * The candidate d * 10^k nearest to x, compared exactly in integers; on an
 * exact tie the even d (the choice of numpy's and CPython's shortest repr).
 */
function nearestEvenCandidate(ds: readonly bigint[], k: number, x: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const e = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const m = e === 0 ? frac : frac | (1n << 52n);
  const exp2 = (e === 0 ? 1 : e) - 1075;
  // x = m * 2^exp2; candidate = d * 10^k. Scale both by 2^max(0,-exp2) * 10^max(0,-k).
  const s2 = BigInt(Math.max(0, -exp2));
  const s10 = BigInt(Math.max(0, -k));
  const xs = m * 2n ** (BigInt(exp2) + s2) * 10n ** s10;
  let best = ds[0]!;
  let bestDist = -1n;
  for (const d of ds) {
    const cs = d * 10n ** (BigInt(k) + s10) * 2n ** s2;
    const dist = cs > xs ? cs - xs : xs - cs;
    if (bestDist < 0n || dist < bestDist || (dist === bestDist && d % 2n === 0n)) {
      best = d;
      bestDist = dist;
    }
  }
  return best;
}

/** Shortest round-trip text of a double (not NaN). */
export function formatF64Value(x: number): string {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  return withPoint(String(x));
}

/** A float32 given by its bits. */
export function formatF32Bits(bits: number, s: BitScratch): string {
  s.u32[0] = bits;
  const x = s.f32[0]!;
  if (Number.isNaN(x)) return bits >>> 0 === F32_CANONICAL_NAN ? 'nan' : `nan(0x${(bits >>> 0).toString(16).padStart(8, '0')})`;
  return formatF32Value(x);
}

/** A float64 given by its bits. */
export function formatF64Bits(bits: bigint, s: BitScratch): string {
  s.u64[0] = bits;
  const x = s.f64[0]!;
  if (Number.isNaN(x)) return bits === F64_CANONICAL_NAN ? 'nan' : `nan(0x${bits.toString(16).padStart(16, '0')})`;
  return formatF64Value(x);
}

/** An integer-valued attribute or dim (exact even beyond 2^53, e.g. INT64_MAX read as a double). */
export function formatInteger(x: number): string {
  if (!Number.isInteger(x)) throw new Error(`formatInteger: ${x} is not an integer`);
  return Number.isSafeInteger(x) ? String(x) : BigInt(x).toString();
}

export type ParsedFloat = { readonly ok: true; readonly bits: bigint } | { readonly ok: false; readonly reason: string };

/**
 * Reads a float literal into the bits of a float of `width` bits. Decimal
 * literals must be finite in that width (an overflow to infinity is an error:
 * it cannot have been printed by the printer and is most likely a typo).
 */
export function parseFloatBits(text: string, width: 32 | 64, s: BitScratch): ParsedFloat {
  const neg = text.startsWith('-');
  const body = neg ? text.slice(1) : text;
  if (body.startsWith('nan')) {
    const m = /^nan(?:\(0x([0-9a-fA-F]+)\))?$/.exec(body);
    if (!m) return { ok: false, reason: `bad NaN literal '${text}'` };
    let bits = m[1] === undefined ? (width === 32 ? BigInt(F32_CANONICAL_NAN) : F64_CANONICAL_NAN) : BigInt(`0x${m[1]}`);
    if (neg) bits |= width === 32 ? 0x80000000n : 0x8000000000000000n;
    if (bits >= (width === 32 ? 1n << 32n : 1n << 64n)) return { ok: false, reason: `NaN bits ${text} do not fit f${width}` };
    const isNan = width === 32 ? ((s.u32[0] = Number(bits)), Number.isNaN(s.f32[0])) : ((s.u64[0] = bits), Number.isNaN(s.f64[0]));
    if (!isNan) return { ok: false, reason: `bits of ${text} are not a NaN` };
    return { ok: true, bits };
  }
  let x: number;
  if (body === 'inf') x = neg ? -Infinity : Infinity;
  else {
    x = Number(text);
    if (Number.isNaN(x)) return { ok: false, reason: `bad number '${text}'` };
    if (!Number.isFinite(x) || (width === 32 && !Number.isFinite(Math.fround(x))))
      return { ok: false, reason: `${text} is out of range for f${width}` };
  }
  if (width === 32) {
    s.f32[0] = x;
    return { ok: true, bits: BigInt(s.u32[0]!) };
  }
  s.f64[0] = x;
  return { ok: true, bits: s.u64[0]! };
}
