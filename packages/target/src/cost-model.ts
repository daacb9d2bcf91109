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
}

export function denseColumnCycles(rowsOnPe: number, t: Target): number {
  return Math.ceil(rowsOnPe / t.denseLanes);
}

/**
 * Cycles of one encoded column on one PE. A fractional `entries` is an
 * expectation (expected layouts); E[ceil(X/S)] is then taken as e/S + (S-1)/2S.
 */
export function sparseColumnCycles(entries: number, t: Target): number {
  const s = t.sparseEntriesPerCycle;
  const body = Number.isInteger(entries) ? Math.ceil(entries / s) : entries / s + (s - 1) / (2 * s);
  return t.columnOverheadCycles + body;
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

/** Cycles PE p spends on column c of a product in `mode` (the per-column term every product cost sums). */
export function columnCycles(layout: MatrixLayout, mode: MatvecMode, p: number, c: number, t: Target): number {
  if (usesSparseWeights(mode)) return sparseColumnCycles(layout.entriesPerPeColumn[p * layout.cols + c], t);
  const rows = layout.rowsPerPe[p];
  if (rows === 0) return 0;
  return denseColumnCycles(rows, t) + (usesSparseInput(mode) ? t.columnOverheadCycles : 0);
}

/**
 * Cycles each PE spends on one matrix-vector product: the sum of `columnCycles` over the columns
 * processed, in column order (the loops below are columnCycles inlined; the sums are the same
 * floating-point additions in the same order).
 */
export function matvecPeCycles(layout: MatrixLayout, mode: MatvecMode, t: Target, input?: InputPattern): Float64Array {
  const out = new Float64Array(layout.pes);
  const skip = usesSparseInput(mode);
  const sparse = usesSparseWeights(mode);
  const cols = layout.cols;
  const entries = layout.entriesPerPeColumn;
  const overhead = t.columnOverheadCycles;
  const per = t.sparseEntriesPerCycle;
  const half = (per - 1) / (2 * per);
  // one column of PE p: sparseColumnCycles of its entries, or the dense column cost of its rows
  const denseCost = (p: number): number => {
    const rows = layout.rowsPerPe[p];
    return rows === 0 ? 0 : denseColumnCycles(rows, t) + (skip ? overhead : 0);
  };
  for (let p = 0; p < layout.pes; p++) {
    let s = 0;
    const base = p * cols;
    const dense = sparse ? 0 : denseCost(p);
    if (!skip || input === undefined || typeof input === 'number') {
      if (sparse)
        for (let c = 0; c < cols; c++) {
          const e = entries[base + c];
          s += overhead + (Number.isInteger(e) ? Math.ceil(e / per) : e / per + half);
        }
      else for (let c = 0; c < cols; c++) s += dense;
      if (skip && typeof input === 'number') s = cols === 0 ? 0 : (s * input) / cols;
    } else if (sparse) {
      for (let k = 0; k < input.length; k++) {
        const e = entries[base + input[k]];
        s += overhead + (Number.isInteger(e) ? Math.ceil(e / per) : e / per + half);
      }
    } else for (let k = 0; k < input.length; k++) s += dense;
    out[p] = s;
  }
  return out;
}

/** Cycles of one matrix-vector product: the slowest PE sets the pace. */
export function matvecCycles(layout: MatrixLayout, mode: MatvecMode, t: Target, input?: InputPattern): number {
  let m = 0;
  for (const c of matvecPeCycles(layout, mode, t, input)) m = Math.max(m, c);
  return Math.ceil(m);
}

/** Bytes of the matrix's weights (or of its columns c0 .. c1-1, as a sliced layout would give) on each PE in the given layout. */
export function weightBytesPerPe(layout: MatrixLayout, sparse: boolean, t: Target, c0 = 0, c1 = layout.cols): Float64Array {
  const out = new Float64Array(layout.pes);
  const cols = c1 - c0;
  for (let p = 0; p < layout.pes; p++) {
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
  for (let p = 0; p < pes; p++) {
    const e = rowsPerPe[p] * d + expectedPadding(rowsPerPe[p], d, t.relIndexBits);
    entriesPerPeColumn.fill(e, p * shape.cols, (p + 1) * shape.cols);
  }
  return { cols: shape.cols, pes, rowsPerPe, entriesPerPeColumn };
}
