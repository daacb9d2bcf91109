import type { ProductColumns } from '@lstmc/runtime/fixed';
import type { MatrixLayout, Target } from '@lstmc/target';

/** A weight matrix as the PEs hold it, decoded from the container's weights section. */
export interface SimMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly layout: 'dense' | 'csc';
  /** Right shift bringing a product to the accumulator's fraction length. */
  readonly shift: number;
  /** Global rows of each PE (PE-local order). */
  readonly peRows: readonly Int32Array[];
  /** dense: per PE, column-major [cols x rowsOnPe] weights. */
  readonly dense: readonly Int32Array[] | null;
  /** csc: per PE column lengths, entry values and relative indices. */
  readonly csc: readonly { colLen: Int32Array; values: Int32Array; relIdx: Uint8Array }[] | null;
  /** Cost-model view of the matrix. */
  readonly costLayout: MatrixLayout;
  /** Non-zero weights per column (all PEs), for useful-MAC counting. */
  readonly nnzPerColumn: Int32Array;
  /** Encoded bytes per PE and in total. */
  readonly bytesPerPe: Int32Array;
  readonly totalBytes: number;
  readonly paddingEntries: number;
  /** max/mean of the per-PE work (entries for csc, rows for dense). */
  readonly imbalance: number;
  /** Fast path: the non-zero weights by column over all PEs (rows are the matrix's), for the shared product loop. */
  readonly columns: ProductColumns;
  /** Fast path: precomputed per-PE cycles of a product over every column, in the layout's all-columns mode, that k + 1 banks share ([k], k < target.batch). */
  readonly fullPeCycles: readonly Float64Array[];
  /** Fast path: cycles of column c on PE p, [p * cols + c], in the layout's zero-skipping mode, for one bank. */
  readonly skipColumnCycles: Float64Array;
  /** Fast path: the two parts of those costs (columnParts of the cost model), for several banks. */
  readonly skipOverhead: Float64Array;
  readonly skipBody: Float64Array;
}

export function imbalanceOf(perPe: ArrayLike<number>): number {
  let max = 0;
  let sum = 0;
  for (let i = 0; i < perPe.length; i++) {
    max = Math.max(max, perPe[i]);
    sum += perPe[i];
  }
  return sum === 0 ? 1 : max / (sum / perPe.length);
}

/** Peak work per PE per cycle of a matvec in the given weight layout. */
export function peakLanes(layout: 'dense' | 'csc', t: Target): number {
  return layout === 'dense' ? t.denseLanes : t.sparseEntriesPerCycle;
}
