/**
 * Relative-indexed compressed-column layout per PE (EIE/ESE), as defined by
 * @lstmc/target (encodeRelCsc): parts
 *   values  [entries]       all PEs' entries, PE 0 first, column-major within a PE
 *   rel     u8 [entries]    zeros skipped before each entry (padding entries: 2^bits-1, value 0)
 *   col_len i32 [pes, cols] entries of each column on each PE
 *   rows    i32 [rows]      global rows of PE 0, then PE 1, ... (PE-local order)
 *   row_ptr i32 [pes + 1]   where each PE's rows start in `rows`
 */
import { makeTensor } from '@lstmc/ir';
import { type RelCsc, decodeRelCsc, encodeRelCsc, relCscBytes } from '@lstmc/target';
import type { Encoding } from './format.js';
import { asNumbers, valueTensor } from './values.js';

export const cscRel: Encoding = {
  summary: 'relative-indexed compressed columns per PE (padding entries for long gaps)',
  encode(m, p) {
    const enc = encodeRelCsc(m.data, m.rows, m.cols, p.assignment, p.relIndexBits);
    const entries = enc.pes.reduce((s, pe) => s + pe.values.length, 0);
    const values = new Float64Array(entries);
    const rel = new Uint8Array(entries);
    const colLen = new Int32Array(enc.pes.length * m.cols);
    const rows = new Int32Array(m.rows);
    const rowPtr = new Int32Array(enc.pes.length + 1);
    let k = 0;
    let r = 0;
    enc.pes.forEach((pe, pi) => {
      values.set(pe.values, k);
      rel.set(pe.relIdx, k);
      k += pe.values.length;
      colLen.set(pe.colLen, pi * m.cols);
      rows.set(pe.rows, r);
      r += pe.rows.length;
      rowPtr[pi + 1] = r;
    });
    const nnz = enc.pes.reduce((s, pe) => s + pe.nnz, 0);
    const padding = enc.pes.reduce((s, pe) => s + pe.padding, 0);
    const bytes = enc.pes.reduce((s, pe) => s + relCscBytes(pe.values.length, m.cols, p.valueBits, p.relIndexBits), 0);
    const perPe = enc.pes.map((pe) => pe.values.length);
    const mean = perPe.reduce((s, x) => s + x, 0) / perPe.length;
    const indexBits = entries * p.relIndexBits + 16 * m.cols * enc.pes.length;
    return {
      parts: {
        values: valueTensor(m.dtype, values, m.fixed),
        rel: makeTensor('u8', [entries], rel),
        col_len: makeTensor('i32', [enc.pes.length, m.cols], colLen),
        rows: makeTensor('i32', [m.rows], rows),
        row_ptr: makeTensor('i32', [enc.pes.length + 1], rowPtr),
      },
      stats: {
        nnz,
        entries,
        padding,
        bytes,
        indexBitsPerNnz: nnz ? (indexBits + padding * p.valueBits) / nnz : 0,
        imbalance: mean > 0 ? Math.max(...perPe) / mean : 1,
      },
    };
  },
  decode(parts, rows, cols) {
    const values = asNumbers(parts.values);
    const rel = parts.rel.data as Uint8Array;
    const colLen = parts.col_len.data as Int32Array;
    const rowList = parts.rows.data as Int32Array;
    const rowPtr = parts.row_ptr.data as Int32Array;
    const pes = rowPtr.length - 1;
    let k = 0;
    const enc: RelCsc = {
      rows,
      cols,
      relIndexBits: 8,
      pes: Array.from({ length: pes }, (_, pi) => {
        const lens = colLen.slice(pi * cols, (pi + 1) * cols);
        const n = lens.reduce((s, x) => s + x, 0);
        const pe = {
          rows: rowList.slice(rowPtr[pi], rowPtr[pi + 1]),
          colLen: lens,
          values: Float64Array.from({ length: n }, (_, i) => values[k + i]),
          relIdx: rel.slice(k, k + n),
          nnz: 0,
          padding: 0,
        };
        k += n;
        return pe;
      }),
    };
    return decodeRelCsc(enc);
  },
};
