import { rtFail } from '../../errors.js';
import type { GroupSparse } from './group-sparse.js';
import { CHUNK, chunkedInt8Product, xmaxFor } from './int8-weights.js';
import type { MatvecEngine } from './matvec-engine.js';
import type { RowProduct } from './row-products.js';

/**
 * The int8 weight path of `lstm.sparse.f32` (load option `lstmWeights: 'int8'`, or the kernel's
 * int8_w / int8_r attributes): a compressed matrix, in row groups (group-sparse.ts) or in compressed
 * rows, quantized at load like the dense int8 path (int8-weights.ts): symmetric, one scale per row
 * (gate g of unit j), s = max |w| / 127, q = round(w / s); each vector quantized per product to int16
 * with one scale; sums exact in int32 (wasm/int8-sparse-module.ts). Layouts in kept engine memory
 * (float offsets; the records' byte offsets are relative, so both engines share them):
 *
 *   groups:  gptr i32 [4*ceil(H/4) + 1] pair indices per group (a group's odd last entry is paired with
 *            a zero-weight entry), recs: 16 bytes per pair (columns 2k0, 2k1 as int32, then int8
 *            weights w0[l], w1[l] for l = 0..3), scales f32x4 per group (lane l: unit 4m + l)
 *   rows:    ptr i32 [4H + 1] byte offsets 4p, recs: int32 (2k << 8) | (w & 0xff) per non-zero,
 *            scales f32 [4H] (row r = 4j + g)
 *
 * then the int16 buffers of CHUNK quantized vectors (K entries each, xqStride floats apart), so a
 * chunk's products can be recorded for the threads before they run.
 */
export interface Int8Sparse {
  readonly kind: 'groups' | 'rows';
  readonly ptrOff: number;
  readonly recsOff: number;
  readonly scalesOff: number;
  readonly xqOff: number;
  /** Floats between two vectors' int16 buffers. */
  readonly xqStride: number;
  readonly K: number;
  /** Largest |xq|: 127 * xmax * (terms of the longest sum) stays below 2^31. */
  readonly xmax: number;
}

/** Columns the row layout can hold: 2k << 8 must fit in 32 bits. */
const MAX_COLUMNS = 2 ** 23;

const floats = (n: number) => Math.ceil(n / 4) * 4;

/** Per-row quantization: q = round(w / s) with s = max / 127 (no weights: s = 0, q = 0). */
const quantize = (w: number, s: number) => (s === 0 ? 0 : Math.round(w / s));

/** The row-group layout g (H units, K columns) quantized into new kept engine memory. */
export function quantizeGroups(e: MatvecEngine, g: GroupSparse, H: number, K: number): Int8Sparse {
  const groups = g.gptr.length - 1;
  const pairStart = new Int32Array(groups + 1);
  for (let gi = 0; gi < groups; gi++) pairStart[gi + 1] = pairStart[gi]! + Math.ceil((g.gptr[gi + 1]! - g.gptr[gi]!) / 2);
  const pairs = pairStart[groups]!;
  const ptrOff = e.reserve(floats(groups + 1) + 4 * pairs + 4 * groups + CHUNK * floats(Math.ceil(K / 2)));
  const recsOff = ptrOff + floats(groups + 1);
  const scalesOff = recsOff + 4 * pairs;
  const m = e.mem;
  const ints = new Int32Array(m.buffer, m.byteOffset, m.length);
  const bytes = new Int8Array(m.buffer, m.byteOffset, 4 * m.length);
  ints.set(pairStart, ptrOff);
  let longest = 0;
  for (let gi = 0; gi < groups; gi++) {
    const [p0, p1] = [g.gptr[gi]!, g.gptr[gi + 1]!];
    longest = Math.max(longest, 2 * (pairStart[gi + 1]! - pairStart[gi]!));
    const s = [0, 1, 2, 3].map((l) => {
      let max = 0;
      for (let p = p0; p < p1; p++) max = Math.max(max, Math.abs(g.vals[4 * p + l]!));
      return max / 127;
    });
    s.forEach((v, l) => (m[scalesOff + 4 * gi + l] = v));
    for (let p = p0, rec = recsOff + 4 * pairStart[gi]!; p < p1; p += 2, rec += 4) {
      const second = p + 1 < p1;
      ints[rec] = 2 * g.cols[p]!;
      ints[rec + 1] = 2 * g.cols[second ? p + 1 : p]!;
      for (let l = 0; l < 4; l++) {
        bytes[4 * (rec + 2) + 2 * l] = quantize(g.vals[4 * p + l]!, s[l]!);
        bytes[4 * (rec + 2) + 2 * l + 1] = second ? quantize(g.vals[4 * (p + 1) + l]!, s[l]!) : 0;
      }
    }
  }
  return { kind: 'groups', ptrOff, recsOff, scalesOff, xqOff: scalesOff + 4 * groups, xqStride: floats(Math.ceil(K / 2)), K, xmax: xmaxFor(longest) };
}

/** The CSR segment whose row pointers start at ptr[base] (4H rows, K columns) quantized into new kept engine memory. */
export function quantizeRows(e: MatvecEngine, ptr: ArrayLike<number>, col: ArrayLike<number>, val: ArrayLike<number>, base: number, H: number, K: number): Int8Sparse {
  if (K > MAX_COLUMNS) rtFail('E-RT-EXEC', `an int8 sparse matrix has ${K} columns, at most ${MAX_COLUMNS} are supported`);
  const rows = 4 * H;
  const first = ptr[base]!;
  const nnz = ptr[base + rows]! - first;
  const ptrOff = e.reserve(floats(rows + 1) + floats(nnz) + floats(rows) + CHUNK * floats(Math.ceil(K / 2)));
  const recsOff = ptrOff + floats(rows + 1);
  const scalesOff = recsOff + floats(nnz);
  const m = e.mem;
  const ints = new Int32Array(m.buffer, m.byteOffset, m.length);
  let longest = 0;
  for (let r = 0; r <= rows; r++) ints[ptrOff + r] = 4 * (ptr[base + r]! - first);
  for (let r = 0; r < rows; r++) {
    const [p0, p1] = [ptr[base + r]!, ptr[base + r + 1]!];
    longest = Math.max(longest, p1 - p0);
    let max = 0;
    for (let p = p0; p < p1; p++) max = Math.max(max, Math.abs(val[p]!));
    const s = max / 127;
    m[scalesOff + r] = s;
    for (let p = p0; p < p1; p++) ints[recsOff + p - first] = ((2 * col[p]!) << 8) | (quantize(val[p]!, s) & 0xff);
  }
  return { kind: 'rows', ptrOff, recsOff, scalesOff, xqOff: scalesOff + floats(rows), xqStride: floats(Math.ceil(K / 2)), K, xmax: xmaxFor(longest) };
}

/**
 * The RowProduct of a quantized sparse matrix of H units (chunkedInt8Product): one gsq/spq pass over
 * the matrix per vector of the chunk, the chunk's passes in one section (split over units by the threads).
 */
export function int8SparseProduct(e: MatvecEngine, q: Int8Sparse, H: number): RowProduct {
  return chunkedInt8Product(e, q.xqOff, q.xqStride, q.K, q.xmax, (c0, nl, live, sx, xqOf, outs) => {
    for (let l = 0; l < nl; l++) {
      const i = live[l]!;
      if (q.kind === 'groups') e.gsq(q.ptrOff, q.recsOff, q.scalesOff, xqOf(i), outs[i]!, H, sx[i - c0]!);
      else e.spq(q.ptrOff, q.recsOff, xqOf(i), q.scalesOff, outs[i]!, 4 * H, sx[i - c0]!);
    }
  });
}
