import { rtFail } from '../../errors.js';
import { WIDE_UNITS, type GroupSparse, type WideGroupSparse } from './group-sparse.js';
import { CHUNK, chunkedInt8Product, xmaxFor } from './int8-weights.js';
import type { MatvecEngine } from './matvec-engine.js';
import { cutsBySectionParts, type RowProduct } from './row-products.js';

/**
 * The int8 weight path of `lstm.sparse.f32` (load option `lstmWeights: 'int8'`, or the kernel's
 * int8_w / int8_r attributes): a compressed matrix, in row groups (group-sparse.ts, four-unit or wide)
 * or in compressed rows, quantized at load like the dense int8 path (int8-weights.ts): symmetric, one
 * scale per row (gate g of unit j), s = max |w| / 127, q = round(w / s); each vector quantized per
 * product to int16 with one scale; sums exact in int32 (wasm/int8-sparse-module.ts). Layouts in kept
 * engine memory (float offsets; the records' byte offsets are relative, so both engines share them):
 *
 *   groups:  gptr i32 [4*ceil(H/4) + 1] pair indices per group (a group's odd last entry is paired with
 *            a zero-weight entry), recs: 16 bytes per pair (columns 2k0, 2k1 as int32, then int8
 *            weights w0[l], w1[l] for l = 0..3), scales f32x4 per group (lane l: unit 4m + l)
 *   wide:    the same for groups of 16 units (WideGroupSparse): gptr i32 [4*blocks + 1], recs: 40
 *            bytes per pair (2k0, 2k1, then w0[u], w1[u] for u = 0..15), 16 scales per group (unit 16b + u);
 *            the units after 16*blocks in a four-unit `tail` (kind 'groups', over the same int16 vectors)
 *   rows:    ptr i32 [4H + 1] byte offsets 4p, recs: int32 (2k << 8) | (w & 0xff) per non-zero,
 *            scales f32 [4H] (row r = 4j + g)
 *
 * then the int16 buffers of CHUNK quantized vectors (K entries each, xqStride floats apart), so a
 * chunk's products can be recorded for the threads before they run.
 */
interface Int8Layout {
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

export type Int8Sparse =
  | (Int8Layout & { readonly kind: 'groups' | 'rows'; readonly wide?: undefined })
  /** wide: its 16-unit blocks, their pair indices (gptr, to cut cache blocks) and the four-unit tail. */
  | (Int8Layout & { readonly kind: 'wide'; readonly wide: { readonly blocks: number; readonly gptr: Int32Array; readonly tail: Int8Sparse | null } });

/** Columns the row layout can hold: 2k << 8 must fit in 32 bits. */
const MAX_COLUMNS = 2 ** 23;

const floats = (n: number) => Math.ceil(n / 4) * 4;

/** Per-row quantization: q = round(w / s) with s = max / 127 (no weights: s = 0, q = 0). */
const quantize = (w: number, s: number) => (s === 0 ? 0 : Math.round(w / s));

/** Pair indices of the groups of g (each group's entries in pairs, an odd last one padded). */
function pairStarts(g: GroupSparse): Int32Array {
  const groups = g.gptr.length - 1;
  const pairStart = new Int32Array(groups + 1);
  for (let gi = 0; gi < groups; gi++) pairStart[gi + 1] = pairStart[gi]! + Math.ceil((g.gptr[gi + 1]! - g.gptr[gi]!) / 2);
  return pairStart;
}

/** The pair indices of g's groups (pairStarts) and the floats its int8 copy (`width` units per group) takes: gptr, records, scales. */
function sized(g: GroupSparse, width: number) {
  const pairStart = pairStarts(g);
  const groups = g.gptr.length - 1;
  return { pairStart, size: floats(groups + 1) + (2 + width / 2) * pairStart[groups]! + width * groups };
}

/**
 * Writes the int8 copy of g (`width` = 4 or 16 units per group, weights vals[width*p + l]) at float
 * offset `at` of the engine memory: gptr (pair indices), then the records, then the scales. Returns
 * their offsets and the most terms of one group's sum.
 */
function writeGroups(m: Float32Array, g: GroupSparse, width: number, pairStart: Int32Array, at: number) {
  const groups = g.gptr.length - 1;
  const recFloats = 2 + width / 2;
  const ptrOff = at;
  const recsOff = ptrOff + floats(groups + 1);
  const scalesOff = recsOff + recFloats * pairStart[groups]!;
  const ints = new Int32Array(m.buffer, m.byteOffset, m.length);
  const bytes = new Int8Array(m.buffer, m.byteOffset, 4 * m.length);
  ints.set(pairStart, ptrOff);
  let longest = 0;
  for (let gi = 0; gi < groups; gi++) {
    const [p0, p1] = [g.gptr[gi]!, g.gptr[gi + 1]!];
    longest = Math.max(longest, 2 * (pairStart[gi + 1]! - pairStart[gi]!));
    const s = Array.from({ length: width }, (_v, l) => {
      let max = 0;
      for (let p = p0; p < p1; p++) max = Math.max(max, Math.abs(g.vals[width * p + l]!));
      return max / 127;
    });
    s.forEach((v, l) => (m[scalesOff + width * gi + l] = v));
    for (let p = p0, rec = recsOff + recFloats * pairStart[gi]!; p < p1; p += 2, rec += recFloats) {
      const second = p + 1 < p1;
      ints[rec] = 2 * g.cols[p]!;
      ints[rec + 1] = 2 * g.cols[second ? p + 1 : p]!;
      for (let l = 0; l < width; l++) {
        bytes[4 * (rec + 2) + 2 * l] = quantize(g.vals[width * p + l]!, s[l]!);
        bytes[4 * (rec + 2) + 2 * l + 1] = second ? quantize(g.vals[width * (p + 1) + l]!, s[l]!) : 0;
      }
    }
  }
  return { ptrOff, recsOff, scalesOff, longest };
}

/** The row-group layout g (H units, K columns) quantized into new kept engine memory. */
export function quantizeGroups(e: MatvecEngine, g: GroupSparse, H: number, K: number): Int8Sparse {
  const { pairStart, size } = sized(g, 4);
  const at = e.reserve(size + CHUNK * floats(Math.ceil(K / 2)));
  const w = writeGroups(e.mem, g, 4, pairStart, at);
  return { kind: 'groups', ptrOff: w.ptrOff, recsOff: w.recsOff, scalesOff: w.scalesOff, xqOff: at + size, xqStride: floats(Math.ceil(K / 2)), K, xmax: xmaxFor(w.longest) };
}

/** The wide row-group layout g (its 16-unit blocks and four-unit tail, K columns) quantized into new kept engine memory. */
export function quantizeWideGroups(e: MatvecEngine, g: WideGroupSparse, K: number): Int8Sparse {
  const wide = sized(g, WIDE_UNITS);
  const tail = g.tail ? { g: g.tail, ...sized(g.tail, 4) } : null;
  const tailSize = tail ? tail.size : 0;
  const at = e.reserve(wide.size + tailSize + CHUNK * floats(Math.ceil(K / 2)));
  const w = writeGroups(e.mem, g, WIDE_UNITS, wide.pairStart, at);
  const t = tail ? writeGroups(e.mem, tail.g, 4, tail.pairStart, at + wide.size) : null;
  const base = { xqOff: at + wide.size + tailSize, xqStride: floats(Math.ceil(K / 2)), K, xmax: xmaxFor(Math.max(w.longest, t ? t.longest : 0)) };
  const tailLayout: Int8Sparse | null = t ? { kind: 'groups', ptrOff: t.ptrOff, recsOff: t.recsOff, scalesOff: t.scalesOff, ...base } : null;
  return { kind: 'wide', ptrOff: w.ptrOff, recsOff: w.recsOff, scalesOff: w.scalesOff, ...base, wide: { blocks: g.blocks, gptr: wide.pairStart, tail: tailLayout } };
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
  const ints = e.ints();
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
 * The RowProduct of a quantized sparse matrix of H units (chunkedInt8Product): four-unit groups and
 * rows take one gsq/spq pass over the matrix per vector of the chunk; wide groups take vector pairs
 * per pass (gswq2), over cache blocks of about row-products.ts's UNIT_BLOCK_BYTES of records when there are more than
 * two vectors (as the f32 wide groups do), then the four-unit tail. The chunk's passes run in one
 * section (split over units by the threads).
 */
export function int8SparseProduct(e: MatvecEngine, q: Int8Sparse, H: number): RowProduct {
  if (q.kind === 'wide') return wideInt8Product(e, q, H);
  return chunkedInt8Product(e, q.xqOff, q.xqStride, q.K, q.xmax, (c0, nl, live, sx, xqOf, outs) => {
    for (let l = 0; l < nl; l++) {
      const i = live[l]!;
      if (q.kind === 'groups') e.gsq(q.ptrOff, q.recsOff, q.scalesOff, xqOf(i), outs[i]!, H, sx[i - c0]!);
      else e.spq(q.ptrOff, q.recsOff, xqOf(i), q.scalesOff, outs[i]!, 4 * H, sx[i - c0]!);
    }
  });
}

function wideInt8Product(e: MatvecEngine, q: Extract<Int8Sparse, { kind: 'wide' }>, H: number): RowProduct {
  const w = q.wide;
  const u0 = WIDE_UNITS * w.blocks;
  // Block boundaries in 16-unit blocks: each holds at most about UNIT_BLOCK_BYTES (row-products.ts) of records (40 bytes a pair) per part.
  const cutsNow = cutsBySectionParts(e, w.gptr, w.blocks, 40);
  return chunkedInt8Product(e, q.xqOff, q.xqStride, q.K, q.xmax, (c0, nl, live, sx, xqOf, outs) => {
    const cuts = cutsNow();
    const step = nl <= 2 ? cuts.length - 1 : 1;
    for (let c = 0; c + 1 < cuts.length; c += step) {
      const b0 = cuts[c]!;
      const b1 = cuts[Math.min(c + step, cuts.length - 1)]!;
      const [g, sc, o] = [q.ptrOff + 4 * b0, q.scalesOff + 64 * b0, 64 * b0];
      let l = 0;
      for (; l + 2 <= nl; l += 2) {
        const [i, k] = [live[l]!, live[l + 1]!];
        e.gswq2(g, q.recsOff, sc, xqOf(i), xqOf(k), outs[i]! + o, outs[k]! + o, b1 - b0, sx[i - c0]!, sx[k - c0]!);
      }
      if (l < nl) e.gswq(g, q.recsOff, sc, xqOf(live[l]!), outs[live[l]!]! + o, b1 - b0, sx[live[l]! - c0]!);
    }
    const t = w.tail;
    if (t) for (let l = 0; l < nl; l++) e.gsq(t.ptrOff, t.recsOff, t.scalesOff, xqOf(live[l]!), outs[live[l]!]! + 4 * u0, H - u0, sx[live[l]! - c0]!);
  });
}
