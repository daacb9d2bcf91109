import { fail } from '@lstmc/ir';
import { rowsOfPes, rowToPe, assignmentFromArray, type Target } from '@lstmc/target';
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
  return {
    rows: d.rows,
    cols,
    layout: d.layout,
    shift: d.shift,
    peRows,
    dense,
    csc,
    costLayout: { cols, pes: t.pes, rowsPerPe: Int32Array.from(peRows, (r) => r.length), entriesPerPeColumn },
    nnzPerColumn,
    bytesPerPe,
    totalBytes: bytesPerPe.reduce((a, b) => a + b, 0),
    paddingEntries: padding,
    imbalance: imbalanceOf(work),
  };
}

export function loadMatrices(p: LxbProgram, weightsOffset = 0): SimMatrix[] {
  return p.matrices.map((d) => loadMatrix(d, p.weights, p.target, weightsOffset));
}
