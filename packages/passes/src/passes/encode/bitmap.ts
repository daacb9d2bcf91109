/**
 * Bitmap: parts bitmap u8 [ceil(rows*cols/8)] (bit i, LSB first, is element
 * i in row-major order), values [nnz] in row-major order.
 */
import { makeTensor } from '@lstmc/ir';
import type { Encoding } from './format.js';
import { asNumbers, valueTensor } from './values.js';

export const bitmap: Encoding = {
  summary: 'one presence bit per weight, non-zeros in row-major order',
  encode(m, p) {
    const n = m.rows * m.cols;
    const bits = new Uint8Array(Math.ceil(n / 8));
    const vals: number[] = [];
    for (let i = 0; i < n; i++)
      if (m.data[i] !== 0) {
        bits[i >> 3] |= 1 << (i & 7);
        vals.push(m.data[i]);
      }
    const nnz = vals.length;
    return {
      parts: { bitmap: makeTensor('u8', [bits.length], bits), values: valueTensor(m.dtype, vals, m.fixed) },
      stats: {
        nnz,
        entries: nnz,
        padding: 0,
        bytes: bits.length + Math.ceil((nnz * p.valueBits) / 8),
        indexBitsPerNnz: nnz ? n / nnz : 0,
        imbalance: 1,
      },
    };
  },
  decode(parts, rows, cols) {
    const out = new Float64Array(rows * cols);
    const bits = parts.bitmap.data as Uint8Array;
    const v = asNumbers(parts.values);
    let k = 0;
    for (let i = 0; i < rows * cols; i++) if (bits[i >> 3] & (1 << (i & 7))) out[i] = v[k++];
    return out;
  },
};
