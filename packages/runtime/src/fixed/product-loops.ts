import { roundHalfEven } from './round.js';

/**
 * The matrix-vector product loops of the accelerator's arithmetic, shared by the
 * fixed-point reference (`lstmStepFixed`, the `--numerics fixed` mode) and the
 * simulator's fast path. Each computes, for every row r,
 *   acc[r] = sat(... sat(sat(acc[r] + RNE(w[r,k0] x[k0] / 2^s)) + RNE(w[r,k1] x[k1] / 2^s)) ...)
 * over the row's non-zero products in ascending column order k0 < k1 < ...: the
 * same additions `macInto` (vector-ops.ts) makes one at a time, so the results
 * are bit for bit those of the per-PE walk the cycle-exact simulator does. The
 * powers of two and the saturation bounds are computed once per call, not per MAC.
 */

/**
 * shiftRound(p, shift) as RNE(p * scale) (round) or p * scale: multiplying an
 * integer below 2^53 by 2^-shift is exact while 2^-shift is a normal double
 * (shift <= 1022), so it equals the division shiftRound does. Beyond that every
 * product rounds to zero (|p| * 2^-1023 < 2^-970), which a zero scale gives too.
 */
function scaling(shift: number): [round: boolean, scale: number] {
  if (shift <= 0) return [false, 2 ** -shift];
  return [true, shift <= 1022 ? 2 ** -shift : 0];
}

/** A matrix's non-zero weights column by column: column k's are at colStart[k] .. colStart[k+1]. */
export interface ProductColumns {
  readonly rows: number;
  readonly cols: number;
  readonly colStart: Int32Array;
  /** Row of each non-zero (0 .. rows-1); a row appears at most once per column, in any order. */
  readonly row: Int32Array;
  readonly value: Int32Array;
  /** max |value| (chooses the integer rounding path). */
  readonly maxAbs: number;
}

/** The non-zeros of a row-major `rows x cols` integer matrix, by column. */
export function productColumns(W: ArrayLike<number>, rows: number, cols: number): ProductColumns {
  const colStart = new Int32Array(cols + 1);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let k = 0; k < cols; k++) if (W[base + k] !== 0) colStart[k + 1]++;
  }
  for (let k = 0; k < cols; k++) colStart[k + 1] += colStart[k];
  const nnz = colStart[cols];
  const row = new Int32Array(nnz);
  const value = new Int32Array(nnz);
  const fill = colStart.slice(0, cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let k = 0; k < cols; k++) {
      const w = W[base + k];
      if (w !== 0) {
        const q = fill[k]++;
        row[q] = r;
        value[q] = w;
      }
    }
  }
  return { rows, cols, colStart, row, value, maxAbs: maxAbsOf(value) };
}

export function maxAbsOf(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i] < 0 ? -a[i] : a[i];
    if (v > m) m = v;
  }
  return m;
}

/**
 * Whether RNE(p * 2^-shift) may be computed in int32 as
 * (p + 2^(shift-1) - 1 + ((p >> shift) & 1)) >> shift: with |p| <= 2^30 and
 * 1 <= shift <= 30 the sum stays inside int32. Writing p = q * 2^shift + rem
 * (0 <= rem < 2^shift, q = p >> shift), the carry into q happens exactly when
 * rem > 2^(shift-1), or rem = 2^(shift-1) and q is odd: round half to even.
 */
function intRounding(shift: number, wMax: number, xMax: number): boolean {
  return shift >= 1 && shift <= 30 && wMax * xMax <= 2 ** 30;
}

/**
 * acc[accOff + row] += W[row, k] * x[xOff + k] over the columns k of `m` (all,
 * or the ascending positions `nz`), each product rounded by 2^-shift and every
 * sum saturated to accBits. Zero inputs are skipped (adding a zero product is the
 * identity).
 */
export function productColumnsAccumulate(
  acc: Float64Array,
  accOff: number,
  m: ProductColumns,
  x: Int32Array,
  xOff: number,
  shift: number,
  accBits: number,
  nz: Int32Array | null = null,
): void {
  const hi = 2 ** (accBits - 1) - 1;
  const lo = -hi - 1;
  const [round, scale] = scaling(shift);
  const { colStart, row, value } = m;
  const n = nz ? nz.length : m.cols;
  if (intRounding(shift, m.maxAbs, maxAbsOf(x.subarray(xOff, xOff + m.cols)))) {
    const half1 = 2 ** (shift - 1) - 1;
    for (let j = 0; j < n; j++) {
      const k = nz ? nz[j] : j;
      const v = x[xOff + k];
      if (v === 0) continue;
      const end = colStart[k + 1];
      for (let q = colStart[k]; q < end; q++) {
        const p = value[q] * v;
        const i = accOff + row[q];
        const s = acc[i] + ((p + half1 + ((p >> shift) & 1)) >> shift);
        acc[i] = s > hi ? hi : s < lo ? lo : s;
      }
    }
    return;
  }
  for (let j = 0; j < n; j++) {
    const k = nz ? nz[j] : j;
    const v = x[xOff + k];
    if (v === 0) continue;
    const end = colStart[k + 1];
    for (let q = colStart[k]; q < end; q++) {
      const p = value[q] * v;
      const i = accOff + row[q];
      const s = acc[i] + (round ? roundHalfEven(p * scale) : p * scale);
      acc[i] = s > hi ? hi : s < lo ? lo : s;
    }
  }
}

/**
 * acc[accOff + r] += sum_k W[r, k] * x[xOff + k] for r < rows (W row-major), ascending k, skipping zeros.
 * `wMaxAbs` (max |W|, when known) lets it round in int32.
 */
export function denseRowsAccumulate(
  acc: Float64Array,
  accOff: number,
  W: Int32Array,
  rows: number,
  cols: number,
  x: Int32Array,
  xOff: number,
  shift: number,
  accBits: number,
  wMaxAbs = Infinity,
): void {
  const hi = 2 ** (accBits - 1) - 1;
  const lo = -hi - 1;
  const [round, scale] = scaling(shift);
  if (intRounding(shift, wMaxAbs, maxAbsOf(x.subarray(xOff, xOff + cols)))) {
    const half1 = 2 ** (shift - 1) - 1;
    for (let r = 0; r < rows; r++) {
      let a = acc[accOff + r];
      const base = r * cols;
      for (let k = 0; k < cols; k++) {
        const p = W[base + k] * x[xOff + k];
        if (p !== 0) {
          const s = a + ((p + half1 + ((p >> shift) & 1)) >> shift);
          a = s > hi ? hi : s < lo ? lo : s;
        }
      }
      acc[accOff + r] = a;
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    let a = acc[accOff + r];
    const base = r * cols;
    for (let k = 0; k < cols; k++) {
      const w = W[base + k];
      const v = x[xOff + k];
      if (w !== 0 && v !== 0) {
        const p = w * v;
        const s = a + (round ? roundHalfEven(p * scale) : p * scale);
        a = s > hi ? hi : s < lo ? lo : s;
      }
    }
    acc[accOff + r] = a;
  }
}

/** A matrix prepared for repeated products: by column when sparse enough, else row-major as it is. */
export type ProductMatrix =
  | { readonly kind: 'columns'; readonly columns: ProductColumns }
  | { readonly kind: 'dense'; readonly W: Int32Array; readonly rows: number; readonly cols: number; readonly maxAbs: number };

/** Column lists pay two words per non-zero; below this density the row-major loop's full scan costs more. */
const COLUMNS_MAX_DENSITY = 0.5;

export function productMatrix(W: Int32Array, rows: number, cols: number): ProductMatrix {
  let nnz = 0;
  for (let i = 0; i < W.length; i++) if (W[i] !== 0) nnz++;
  if (nnz <= COLUMNS_MAX_DENSITY * rows * cols) return { kind: 'columns', columns: productColumns(W, rows, cols) };
  return { kind: 'dense', W, rows, cols, maxAbs: maxAbsOf(W) };
}

export function productAccumulate(acc: Float64Array, accOff: number, m: ProductMatrix, x: Int32Array, xOff: number, shift: number, accBits: number): void {
  if (m.kind === 'columns') productColumnsAccumulate(acc, accOff, m.columns, x, xOff, shift, accBits);
  else denseRowsAccumulate(acc, accOff, m.W, m.rows, m.cols, x, xOff, shift, accBits, m.maxAbs);
}
