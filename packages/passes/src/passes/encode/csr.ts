/**
 * Compressed sparse rows: parts values [nnz], col_idx i32 [nnz], row_ptr i32 [rows + 1].
 * Reported bytes pack col_idx and row_ptr at their minimal widths.
 */
import { makeTensor } from '@lstmc/ir';
import { type Encoding, bitsFor } from './format.js';
import { asNumbers, valueTensor } from './values.js';

export const csr: Encoding = {
  summary: 'compressed sparse rows (column index per non-zero, row pointers)',
  encode(m, p) {
    const vals: number[] = [];
    const colIdx: number[] = [];
    const rowPtr = new Int32Array(m.rows + 1);
    for (let r = 0; r < m.rows; r++) {
      for (let c = 0; c < m.cols; c++) {
        const v = m.data[r * m.cols + c];
        if (v !== 0) {
          vals.push(v);
          colIdx.push(c);
        }
      }
      rowPtr[r + 1] = vals.length;
    }
    const nnz = vals.length;
    const indexBits = nnz * bitsFor(m.cols - 1) + (m.rows + 1) * bitsFor(nnz);
    return {
      parts: {
        values: valueTensor(m.dtype, vals, m.fixed),
        col_idx: makeTensor('i32', [nnz], colIdx),
        row_ptr: makeTensor('i32', [m.rows + 1], rowPtr),
      },
      stats: {
        nnz,
        entries: nnz,
        padding: 0,
        bytes: Math.ceil((nnz * p.valueBits + indexBits) / 8),
        indexBitsPerNnz: nnz ? indexBits / nnz : 0,
        imbalance: 1,
      },
    };
  },
  decode(parts, rows, cols) {
    const out = new Float64Array(rows * cols);
    const v = asNumbers(parts.values);
    const ci = parts.col_idx.data as Int32Array;
    const rp = parts.row_ptr.data as Int32Array;
    for (let r = 0; r < rows; r++) for (let k = rp[r]; k < rp[r + 1]; k++) out[r * cols + ci[k]] = v[k];
    return out;
  },
};
