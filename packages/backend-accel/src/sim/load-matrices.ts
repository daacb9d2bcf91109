import { fail } from '@lstmc/ir';
import { maxAbsOf, type ProductColumns } from '@lstmc/runtime/fixed';
import { columnCycles, columnParts, matvecPeCycles, rowsOfPes, rowToPe, assignmentFromArray, type MatrixLayout, type Target } from '@lstmc/target';
import type { LxbProgram, MatrixDesc } from '../container/program.js';
import { decodeCscBlob, decodeDenseBlob } from '../container/weights-blob.js';
import { imbalanceOf, type SimMatrix } from './sim-matrix.js';

/** Decode one matrix of the table from the weights section. */
export function loadMatrix(d: MatrixDesc, weights: Uint8Array, t: Target, weightsOffset = 0): SimMatrix {
  if (d.pes.length !== t.pes) fail('E-LXB-FIELD', `matrix '${d.name}' has ${d.pes.length} PE blobs, the target has ${t.pes} PEs`, { field: d.name });
  if (d.peOfRow && d.peOfRow.some((p) => !(Number.isInteger(p) && p >= 0 && p < t.pes))) {
    fail('E-LXB-FIELD', `matrix '${d.name}' assigns a row to a PE outside 0..${t.pes - 1}`, { field: d.name });
  }
  const assignment = d.assignment === 'balanced' && d.peOfRow
    ? assignmentFromArray(d.peOfRow, t.pes, 'balanced')
    : rowToPe(d.rows, t.pes);
  if (assignment.peOfRow.length !== d.rows) fail('E-LXB-FIELD', `matrix '${d.name}' row assignment has ${assignment.peOfRow.length} rows, not ${d.rows}`, { field: d.name });
  const peRows = rowsOfPes(assignment);
  const cols = d.cols;
  const entriesPerPeColumn = new Int32Array(t.pes * cols);
  const nnzPerColumn = new Int32Array(cols);
  const bytesPerPe = Int32Array.from(d.pes, (p) => p.bytes);
  const blob = (p: number) => weights.subarray(d.pes[p].offset, d.pes[p].offset + d.pes[p].bytes);
  let padding = 0;
  let dense: Int32Array[] | null = null;
  let csc: { colLen: Int32Array; values: Int32Array; relIdx: Uint8Array }[] | null = null;
  const work = new Float64Array(t.pes);
  if (d.layout === 'dense') {
    dense = peRows.map((rows, p) => {
      const w = decodeDenseBlob(blob(p), cols * rows.length, t.weightBits, weightsOffset + d.pes[p].offset);
      for (let c = 0; c < cols; c++) for (let l = 0; l < rows.length; l++) if (w[c * rows.length + l] !== 0) nnzPerColumn[c]++;
      work[p] = rows.length;
      return w;
    });
  } else {
    csc = peRows.map((rows, p) => {
      const e = decodeCscBlob(blob(p), cols, t.weightBits, t.relIndexBits, weightsOffset + d.pes[p].offset);
      let q = 0;
      for (let c = 0; c < cols; c++) {
        entriesPerPeColumn[p * cols + c] = e.colLen[c];
        let local = -1;
        for (let k = 0; k < e.colLen[c]; k++, q++) {
          local += e.relIdx[q] + 1;
          if (local >= rows.length) fail('E-LXB-WEIGHTS', `matrix '${d.name}' PE ${p} column ${c} runs past its ${rows.length} rows`, { offset: weightsOffset + d.pes[p].offset });
          if (e.values[q] !== 0) nnzPerColumn[c]++;
          else padding++;
        }
      }
      work[p] = q;
      return e;
    });
  }
  const costLayout: MatrixLayout = { cols, pes: t.pes, rowsPerPe: Int32Array.from(peRows, (r) => r.length), entriesPerPeColumn };
  const [full, skip] = d.layout === 'dense' ? (['dense', 'sparse-input'] as const) : (['sparse-weight', 'sparse-both'] as const);
  const skipColumnCycles = new Float64Array(t.pes * cols);
  const skipOverhead = new Float64Array(t.pes * cols);
  const skipBody = new Float64Array(t.pes * cols);
  for (let p = 0; p < t.pes; p++)
    for (let c = 0; c < cols; c++) {
      const { overhead, body } = columnParts(costLayout, skip, p, c, t);
      skipColumnCycles[p * cols + c] = columnCycles(costLayout, skip, p, c, t);
      skipOverhead[p * cols + c] = overhead;
      skipBody[p * cols + c] = body;
    }
  return {
    rows: d.rows,
    cols,
    layout: d.layout,
    shift: d.shift,
    peRows,
    dense,
    csc,
    costLayout,
    nnzPerColumn,
    bytesPerPe,
    totalBytes: bytesPerPe.reduce((a, b) => a + b, 0),
    paddingEntries: padding,
    imbalance: imbalanceOf(work),
    columns: columnsOf(d.rows, cols, peRows, nnzPerColumn, dense, csc),
    fullPeCycles: Array.from({ length: t.batch }, (_, k) => matvecPeCycles(costLayout, full, t, undefined, k + 1)),
    skipColumnCycles,
    skipOverhead,
    skipBody,
  };
}

/** The non-zero weights of every PE by column (global rows), from the decoded per-PE blobs. */
function columnsOf(
  rows: number,
  cols: number,
  peRows: readonly Int32Array[],
  nnzPerColumn: Int32Array,
  dense: readonly Int32Array[] | null,
  csc: readonly { colLen: Int32Array; values: Int32Array; relIdx: Uint8Array }[] | null,
): ProductColumns {
  const colStart = new Int32Array(cols + 1);
  for (let c = 0; c < cols; c++) colStart[c + 1] = colStart[c] + nnzPerColumn[c];
  const row = new Int32Array(colStart[cols]);
  const value = new Int32Array(colStart[cols]);
  const fill = colStart.slice(0, cols);
  const put = (c: number, r: number, v: number) => {
    const q = fill[c]++;
    row[q] = r;
    value[q] = v;
  };
  for (let p = 0; p < peRows.length; p++) {
    const pr = peRows[p];
    const R = pr.length;
    if (dense) {
      const w = dense[p];
      for (let c = 0; c < cols; c++) for (let l = 0; l < R; l++) if (w[c * R + l] !== 0) put(c, pr[l], w[c * R + l]);
      continue;
    }
    const e = csc![p];
    let q = 0;
    for (let c = 0; c < cols; c++) {
      let local = -1;
      for (let k = 0; k < e.colLen[c]; k++, q++) {
        local += e.relIdx[q] + 1;
        if (e.values[q] !== 0) put(c, pr[local], e.values[q]);
      }
    }
  }
  return { rows, cols, colStart, row, value, maxAbs: maxAbsOf(value) };
}

export function loadMatrices(p: LxbProgram, weightsOffset = 0): SimMatrix[] {
  return p.matrices.map((d) => loadMatrix(d, p.weights, p.target, weightsOffset));
}
