import type { Target } from './params.js';
import { denseBytes, expectedPadding, relCscBytes } from './rel-csc.js';

/**
 * The analytical cost model of TARGET.md. The simulator in backend-accel times
 * each instruction with these same functions, so the model and the simulator
 * agree exactly for a known input pattern; the model differs only where it is
 * given a non-zero count instead of the actual non-zero positions.
 *
 * Architectural choices that TARGET.md leaves open (documented in docs/target.md):
 * - the input vector is broadcast one element (column) at a time; in dense mode
 *   a PE multiplies its rows of that column, denseLanes per cycle, and columns
 *   follow each other without overhead;
 * - every mode that skips columns or reads encoded columns (sparse-weight,
 *   sparse-input, both) pays columnOverheadCycles per column it processes;
 * - sparse-input needs the zero-detect scan of the vector, which inspects one
 *   element per PE per cycle (the vector is distributed over the PEs, as in EIE);
 * - the activation and element-wise units process one element per PE per cycle;
 * - a matrix-vector product ends when the slowest PE ends.
 */
export const MATVEC_MODES = ['dense', 'sparse-weight', 'sparse-input', 'sparse-both'] as const;
export type MatvecMode = (typeof MATVEC_MODES)[number];

export function usesSparseWeights(m: MatvecMode): boolean {
  return m === 'sparse-weight' || m === 'sparse-both';
}
export function usesSparseInput(m: MatvecMode): boolean {
  return m === 'sparse-input' || m === 'sparse-both';
}

/** Per-PE shape of one matrix: what the cost of a matrix-vector product depends on. */
export interface MatrixLayout {
  readonly cols: number;
  readonly pes: number;
  readonly rowsPerPe: ArrayLike<number>;
  /** Sparse entries (incl. padding) per PE per column: [p * cols + c]. May be fractional (expected layouts). */
  readonly entriesPerPeColumn: ArrayLike<number>;
  /**
   * Optional: samePeAs[p] = q <= p when PE q holds as many rows as PE p and the same entries in
   * every column (expected layouts: PEs of equal row counts), so a per-PE cost of p is q's.
   */
  readonly samePeAs?: ArrayLike<number>;
}

export function denseColumnCycles(rowsOnPe: number, t: Target): number {
  return Math.ceil(rowsOnPe / t.denseLanes);
}

/**
 * Cycles of one encoded column on one PE. A fractional `entries` is an
 * expectation (expected layouts); E[ceil(X/S)] is then taken as e/S + (S-1)/2S.
 */
export function sparseColumnCycles(entries: number, t: Target): number {
  return t.columnOverheadCycles + sparseColumnBody(entries, t);
}

/** The entry part of sparseColumnCycles (what every bank of a batch pays). */
export function sparseColumnBody(entries: number, t: Target): number {
  const s = t.sparseEntriesPerCycle;
  return Number.isInteger(entries) ? Math.ceil(entries / s) : entries / s + (s - 1) / (2 * s);
}

/** Cycles of the zero-detect scan of an n-element vector. */
export function zeroScanCycles(n: number, t: Target): number {
  return Math.ceil(n / t.pes);
}

/** Cycles of one activation-LUT or element-wise operation over n elements. */
export function vectorOpCycles(n: number, t: Target): number {
  return Math.max(1, Math.ceil(n / t.pes));
}

/** Cycles of a DMA transfer of `bytes`. */
export function dmaCycles(bytes: number, t: Target): number {
  return Math.ceil(bytes / t.dmaBytesPerCycle);
}

/**
 * The non-zero input columns a product processes: `undefined` = all columns,
 * an array = exact positions, a number = a count (expected cost, assuming
 * zeros fall uniformly over columns).
 */
export type InputPattern = undefined | ArrayLike<number> | number;

/**
 * The two parts of column c's cost on PE p in `mode`, for one bank: `overhead`, paid once
 * when the PE starts the column (columnOverheadCycles in the modes that read encoded columns or
 * skip inputs), and `body`, the work on the column's entries or rows, paid for every bank
 * (sequence of a batch) that processes the column. A PE without rows has neither.
 */
export function columnParts(layout: MatrixLayout, mode: MatvecMode, p: number, c: number, t: Target): { overhead: number; body: number } {
  if (usesSparseWeights(mode)) return { overhead: t.columnOverheadCycles, body: sparseColumnBody(layout.entriesPerPeColumn[p * layout.cols + c], t) };
  const rows = layout.rowsPerPe[p];
  if (rows === 0) return { overhead: 0, body: 0 };
  return { overhead: usesSparseInput(mode) ? t.columnOverheadCycles : 0, body: denseColumnCycles(rows, t) };
}

/**
 * Cycles of a column that `banks` (>= 1) banks process: the PE starts the column once and its
 * entries serve each bank in turn. With columnPrefetch the start overlaps the previous column's
 * work, so a column takes the longer of the two; without, their sum.
 */
export function bankedColumnCycles(overhead: number, body: number, banks: number, t: Target): number {
  return t.columnPrefetch ? Math.max(overhead, banks * body) : overhead + banks * body;
}

/**
 * What a prefetching PE adds to its columns' sum: the start of the first column overlaps
 * nothing, and the last column's work hides no further start, so a product costs
 * overhead + sum over columns but the last of max(overhead, work) + the last column's work
 * = sum of max(overhead, work) + min(overhead, last work). 0 without columnPrefetch.
 */
export function prefetchFill(overhead: number, lastWork: number, t: Target): number {
  return t.columnPrefetch ? Math.min(overhead, lastWork) : 0;
}

/** Cycles PE p spends on column c of a product in `mode` (the per-column term every product cost sums), for one bank. */
export function columnCycles(layout: MatrixLayout, mode: MatvecMode, p: number, c: number, t: Target): number {
  const { overhead, body } = columnParts(layout, mode, p, c, t);
  return bankedColumnCycles(overhead, body, 1, t);
}

/**
 * Cycles PE p spends on a product whose column `cols[k]` is processed by `banks(k)` banks,
 * columns in ascending order, banks(k) >= 1.
 */
function peColumnsCycles(layout: MatrixLayout, mode: MatvecMode, p: number, t: Target, n: number, col: (k: number) => number, banks: (k: number) => number): number {
  // columnParts and bankedColumnCycles inlined (the threshold searches call this often)
  const sparse = usesSparseWeights(mode);
  const rows = layout.rowsPerPe[p];
  if (!sparse && rows === 0) return 0;
  const overhead = sparse || usesSparseInput(mode) ? t.columnOverheadCycles : 0;
  const denseBody = sparse ? 0 : denseColumnCycles(rows, t);
  const base = p * layout.cols;
  let s = 0;
  let last = 0;
  for (let k = 0; k < n; k++) {
    const body = sparse ? sparseColumnBody(layout.entriesPerPeColumn[base + col(k)], t) : denseBody;
    const work = banks(k) * body;
    s += t.columnPrefetch ? Math.max(overhead, work) : overhead + work;
    last = work;
  }
  return n > 0 ? s + prefetchFill(overhead, last, t) : s;
}

/**
 * Cycles each PE spends on one matrix-vector product that `banks` sequences of a batch share
 * (default 1), each processing the input columns `input` describes (a count: expected cost
 * with the non-zeros of each bank independent and uniform over columns).
 */
export function matvecPeCycles(layout: MatrixLayout, mode: MatvecMode, t: Target, input?: InputPattern, banks = 1): Float64Array {
  const out = new Float64Array(layout.pes);
  const skip = usesSparseInput(mode);
  const every = () => banks;
  const same = layout.samePeAs;
  for (let p = 0; p < layout.pes; p++) {
    if (same && same[p] < p) out[p] = out[same[p]];
    else if (!skip || input === undefined) out[p] = peColumnsCycles(layout, mode, p, t, layout.cols, (c) => c, every);
    else if (typeof input !== 'number') out[p] = peColumnsCycles(layout, mode, p, t, input.length, (k) => input[k], every);
    else if (banks === 1) {
      const s = peColumnsCycles(layout, mode, p, t, layout.cols, (c) => c, every);
      out[p] = layout.cols === 0 ? 0 : (s * input) / layout.cols;
    } else out[p] = expectedBankedPeCycles(layout, mode, p, t, input, banks);
  }
  return out;
}

/**
 * Cycles each PE spends on a product whose column c is processed by banksOfColumn[c] banks
 * (0: skipped by every bank). The simulator's cycle-exact path times products with it.
 */
export function matvecPeCyclesByColumn(layout: MatrixLayout, mode: MatvecMode, t: Target, banksOfColumn: ArrayLike<number>): Float64Array {
  const cols: number[] = [];
  for (let c = 0; c < layout.cols; c++) if (banksOfColumn[c] > 0) cols.push(c);
  return Float64Array.from({ length: layout.pes }, (_, p) => peColumnsCycles(layout, mode, p, t, cols.length, (k) => cols[k], (k) => banksOfColumn[cols[k]]));
}

/** The expectation over k ~ Binomial(banks, nonZeros / cols) banks processing each column. */
function expectedBankedPeCycles(layout: MatrixLayout, mode: MatvecMode, p: number, t: Target, nonZeros: number, banks: number): number {
  if (layout.cols === 0) return 0;
  const q = Math.min(1, Math.max(0, nonZeros / layout.cols));
  const pk = Array.from({ length: banks + 1 }, (_, k) => binomial(banks, k) * q ** k * (1 - q) ** (banks - k));
  let s = 0;
  let fill = 0;
  for (let c = 0; c < layout.cols; c++) {
    const { overhead, body } = columnParts(layout, mode, p, c, t);
    for (let k = 1; k <= banks; k++) s += pk[k] * bankedColumnCycles(overhead, body, k, t);
    if (c === layout.cols - 1) fill = (1 - pk[0]) * prefetchFill(overhead, banks * q * body, t);
  }
  return s + fill;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** Cycles of one matrix-vector product: the slowest PE sets the pace. */
export function matvecCycles(layout: MatrixLayout, mode: MatvecMode, t: Target, input?: InputPattern, banks = 1): number {
  let m = 0;
  for (const c of matvecPeCycles(layout, mode, t, input, banks)) m = Math.max(m, c);
  return Math.ceil(m);
}

/** Bytes of the matrix's weights (or of its columns c0 .. c1-1, as a sliced layout would give) on each PE in the given layout. */
export function weightBytesPerPe(layout: MatrixLayout, sparse: boolean, t: Target, c0 = 0, c1 = layout.cols): Float64Array {
  const cols = c1 - c0;
  const out = new Float64Array(layout.pes);
  const same = layout.samePeAs;
  for (let p = 0; p < layout.pes; p++) {
    if (same && same[p] < p) {
      out[p] = out[same[p]];
      continue;
    }
    if (!sparse) {
      out[p] = denseBytes(layout.rowsPerPe[p], cols, t.weightBits);
      continue;
    }
    let e = 0;
    for (let c = c0; c < c1; c++) e += layout.entriesPerPeColumn[p * layout.cols + c];
    out[p] = relCscBytes(Math.ceil(e), cols, t.weightBits, t.relIndexBits);
  }
  return out;
}

export interface MatrixShape {
  readonly rows: number;
  readonly cols: number;
}

/**
 * The layout a `rows x cols` matrix of the given weight sparsity is expected to
 * have on the target: modulo row mapping, non-zeros spread evenly over PEs
 * (load-balanced pruning) and independently within a column.
 */
export function expectedLayout(shape: MatrixShape, sparsity: number, t: Target): MatrixLayout {
  const pes = t.pes;
  const rowsPerPe = Float64Array.from({ length: pes }, (_, p) => Math.floor(shape.rows / pes) + (p < shape.rows % pes ? 1 : 0));
  const d = 1 - sparsity;
  const entriesPerPeColumn = new Float64Array(pes * shape.cols);
  // A PE's entries follow from its row count alone: PEs of equal counts are the same (samePeAs).
  const samePeAs = new Int32Array(pes);
  for (let p = 0; p < pes; p++) {
    const e = rowsPerPe[p] * d + expectedPadding(rowsPerPe[p], d, t.relIndexBits);
    entriesPerPeColumn.fill(e, p * shape.cols, (p + 1) * shape.cols);
    samePeAs[p] = rowsPerPe.indexOf(rowsPerPe[p]);
  }
  return { cols: shape.cols, pes, rowsPerPe, entriesPerPeColumn, samePeAs };
}
