import { rowsOfPes, type RowAssignment } from './pe-map.js';

/**
 * Relative-indexed compressed-column layout (EIE/ESE), one per PE.
 *
 * Each PE stores its rows (PE-local order, see pe-map.ts) column by column as
 * entries (value, z) where z is the number of zero rows skipped since the
 * previous entry of the same column (or since the column start). z must fit in
 * relIndexBits, so a gap of g zeros costs floor(g / 2^relIndexBits) padding
 * entries (value 0, z = 2^relIndexBits - 1), each advancing 2^relIndexBits rows.
 * Trailing zeros of a column cost nothing: the column length is stored.
 */
export interface RelCscPe {
  /** Global row of each PE-local row. */
  readonly rows: Int32Array;
  /** Entries (including padding) of each column. */
  readonly colLen: Int32Array;
  /** Entry values, column-major; padding entries hold 0. */
  readonly values: Float64Array;
  /** Entry relative indices (z). */
  readonly relIdx: Uint8Array;
  readonly nnz: number;
  readonly padding: number;
}

export interface RelCsc {
  readonly rows: number;
  readonly cols: number;
  readonly relIndexBits: number;
  readonly pes: readonly RelCscPe[];
}

/** Counts only (no values): what the cost model and `encode` reports need. */
export interface RelCscCounts {
  readonly pes: number;
  readonly cols: number;
  /** Entries including padding, per PE. */
  readonly entriesPerPe: Int32Array;
  readonly nnzPerPe: Int32Array;
  readonly paddingPerPe: Int32Array;
  /** entriesPerPeColumn[p * cols + c]. */
  readonly entriesPerPeColumn: Int32Array;
  /** Rows held by each PE. */
  readonly rowsPerPe: Int32Array;
}

/** Padding entries for a gap of `gap` zeros. */
export function paddingForGap(gap: number, relIndexBits: number): number {
  return Math.floor(gap / 2 ** relIndexBits);
}

/*
 * Counting and encoding read the matrix row by row (each PE's rows in PE-local order), keeping the
 * zero run of every column: the same entries as walking each column down its PE's rows, in one
 * sequential pass over the row-major data.
 */

export function countRelCsc(
  data: ArrayLike<number>,
  rows: number,
  cols: number,
  assignment: RowAssignment,
  relIndexBits: number,
): RelCscCounts {
  if (data.length !== rows * cols) throw new Error(`matrix has ${data.length} elements, expected ${rows}x${cols}`);
  if (assignment.peOfRow.length !== rows) throw new Error('row assignment does not match the matrix');
  const pes = assignment.pes;
  const peRows = rowsOfPes(assignment);
  const span = 2 ** relIndexBits;
  const entriesPerPe = new Int32Array(pes);
  const nnzPerPe = new Int32Array(pes);
  const paddingPerPe = new Int32Array(pes);
  const entriesPerPeColumn = new Int32Array(pes * cols);
  const gap = new Int32Array(cols);
  for (let p = 0; p < pes; p++) {
    gap.fill(0);
    const base = p * cols;
    let nnz = 0;
    let padding = 0;
    for (const row of peRows[p]) {
      const off = row * cols;
      for (let c = 0; c < cols; c++) {
        if (data[off + c] === 0) {
          gap[c]++;
          continue;
        }
        const pad = Math.floor(gap[c] / span);
        entriesPerPeColumn[base + c] += pad + 1;
        padding += pad;
        nnz++;
        gap[c] = 0;
      }
    }
    nnzPerPe[p] = nnz;
    paddingPerPe[p] = padding;
    entriesPerPe[p] = nnz + padding;
  }
  const rowsPerPe = Int32Array.from(peRows, (r) => r.length);
  return { pes, cols, entriesPerPe, nnzPerPe, paddingPerPe, entriesPerPeColumn, rowsPerPe };
}

export function encodeRelCsc(
  data: ArrayLike<number>,
  rows: number,
  cols: number,
  assignment: RowAssignment,
  relIndexBits: number,
): RelCsc {
  const counts = countRelCsc(data, rows, cols, assignment, relIndexBits);
  const peRows = rowsOfPes(assignment);
  const span = 2 ** relIndexBits;
  const gap = new Int32Array(cols);
  const next = new Int32Array(cols);
  const pes = peRows.map((prow, p): RelCscPe => {
    const total = counts.entriesPerPe[p];
    const values = new Float64Array(total);
    const relIdx = new Uint8Array(total);
    const colLen = counts.entriesPerPeColumn.slice(p * cols, (p + 1) * cols);
    // Where each column's next entry goes (columns are stored one after the other).
    let k = 0;
    for (let c = 0; c < cols; c++) {
      next[c] = k;
      k += colLen[c];
    }
    gap.fill(0);
    for (const row of prow) {
      const off = row * cols;
      for (let c = 0; c < cols; c++) {
        const v = data[off + c];
        if (v === 0) {
          gap[c]++;
          continue;
        }
        let g = gap[c];
        let at = next[c];
        for (; g >= span; g -= span) relIdx[at++] = span - 1; // padding entries hold value 0
        values[at] = v;
        relIdx[at++] = g;
        next[c] = at;
        gap[c] = 0;
      }
    }
    return { rows: prow, colLen, values, relIdx, nnz: counts.nnzPerPe[p], padding: counts.paddingPerPe[p] };
  });
  return { rows, cols, relIndexBits, pes };
}

/** Row-major dense matrix back from the encoding (exact). */
export function decodeRelCsc(enc: RelCsc): Float64Array {
  const out = new Float64Array(enc.rows * enc.cols);
  for (const pe of enc.pes) {
    let k = 0;
    for (let c = 0; c < enc.cols; c++) {
      let local = -1;
      for (let e = 0; e < pe.colLen[c]; e++, k++) {
        local += pe.relIdx[k] + 1;
        if (local >= pe.rows.length) throw new Error(`column ${c} runs past the PE's ${pe.rows.length} rows`);
        if (pe.values[k] !== 0) out[pe.rows[local] * enc.cols + c] = pe.values[k];
      }
    }
  }
  return out;
}

/** Bytes of one PE's encoded weights: packed (weightBits + relIndexBits)-bit entries plus a 16-bit length per column. */
export function relCscBytes(entries: number, cols: number, weightBits: number, relIndexBits: number): number {
  return Math.ceil((entries * (weightBits + relIndexBits)) / 8) + 2 * cols;
}

/** Bytes of one PE's dense weights. */
export function denseBytes(rowsOnPe: number, cols: number, weightBits: number): number {
  return Math.ceil((rowsOnPe * cols * weightBits) / 8);
}

/**
 * Expected padding entries in one PE column of `n` rows whose elements are
 * non-zero independently with probability `density`: a non-zero at local row j
 * is preceded by >= m*2^b zeros with probability (1-d)^(m*2^b) when j >= m*2^b.
 */
export function expectedPadding(n: number, density: number, relIndexBits: number): number {
  const span = 2 ** relIndexBits;
  const q = (1 - density) ** span;
  let total = 0;
  let inner = 0; // sum over m of q^m with m*span <= j
  let qm = 1;
  for (let j = 0; j < n; j++) {
    if (j > 0 && j % span === 0) {
      qm *= q;
      inner += qm;
    }
    total += inner;
  }
  return density * total;
}
