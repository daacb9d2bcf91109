import type { MatvecEngine } from './matvec-engine.js';
import { packedIndex } from './pack.js';
import type { RowProduct } from './row-products.js';

/**
 * The int8 weight path (load option `lstmWeights: 'int8'`): W and R of lstm.dense.f32 quantized at
 * load, symmetric, one scale per row (gate g of unit j): s = max_k |w| / 127, q = round(w / s). Each
 * vector is quantized per product call to int16 with one scale, sx = max|x| / XMAX, and the products
 * are summed exactly in int32 (wasm/int8-module.ts), then scaled: (sum q*xq) * s * sx. The error
 * against float32 comes only from the two roundings (about max|w|/254 per weight and max|x|/(2*XMAX)
 * per input), not from the accumulation.
 *
 * Layout in kept engine memory (float offsets): H units of Ko = ceil(K/8) blocks of 32 bytes (block o
 * holds, per gate g, the int8 weights of k = 8o..8o+7 at bytes 8g..8g+7), then the 4H scales [j][g],
 * then the int16 buffers of CHUNK quantized vectors (8*Ko entries each).
 */
export const CHUNK = 32;
/** Weight bytes of one cache block of units (per part of a threaded section): every vector of a chunk passes over a block while it is in cache. */
const UNIT_BLOCK_BYTES = 64 * 1024;

export interface Int8Matrix {
  readonly wOff: number;
  readonly scalesOff: number;
  readonly xqOff: number;
  readonly Ko: number;
  readonly K: number;
  /** Largest |xq|: 127 * XMAX * 8*Ko stays below 2^31, so the int32 sums cannot overflow. */
  readonly xmax: number;
}

/** Quantizes the packed f32 section at off (H units, K columns, pack.ts) into new kept engine memory. */
export function quantizeSection(e: MatvecEngine, off: number, H: number, K: number): Int8Matrix {
  const Ko = Math.ceil(K / 8);
  const wOff = e.reserve(H * 8 * Ko + 4 * H + CHUNK * 4 * Ko);
  const scalesOff = wOff + H * 8 * Ko;
  const xqOff = scalesOff + 4 * H;
  const m = e.mem;
  const bytes = new Int8Array(m.buffer, m.byteOffset + 4 * wOff, 32 * Ko * H);
  for (let j = 0; j < H; j++)
    for (let g = 0; g < 4; g++) {
      let max = 0;
      for (let k = 0; k < K; k++) max = Math.max(max, Math.abs(m[off + packedIndex(j, k, g, K)]!));
      const s = max / 127;
      m[scalesOff + 4 * j + g] = s;
      if (s === 0) continue;
      for (let k = 0; k < K; k++) bytes[j * 32 * Ko + (k >> 3) * 32 + g * 8 + (k & 7)] = Math.round(m[off + packedIndex(j, k, g, K)]! / s);
    }
  return { wOff, scalesOff, xqOff, Ko, K, xmax: xmaxFor(8 * Ko) };
}

/** Largest |xq| for which `terms` products of int8 weights (|q| <= 127) sum below 2^31. */
export const xmaxFor = (terms: number): number => Math.min(32767, Math.floor((2 ** 31 - 1) / (127 * Math.max(1, terms))));

/**
 * The chunk loop both int8 products share: vectors go in chunks of CHUNK, each quantized into its own
 * int16 buffer (floats `stride` apart from xqOff; K entries, |xq| <= xmax), then `products` runs as one
 * section (the next chunk overwrites the quantized vectors this one's calls read) with the chunk's
 * non-zero vectors: live[0..nl) their indices, sx[i - c0] their scales, xqOf(i) their buffers.
 * An all-zero vector adds nothing and is skipped.
 */
export function chunkedInt8Product(
  e: MatvecEngine, xqOff: number, stride: number, K: number, xmax: number,
  products: (c0: number, nl: number, live: Int32Array, sx: Float64Array, xqOf: (i: number) => number, outs: Int32Array) => void,
): RowProduct {
  const sx = new Float64Array(CHUNK);
  const live = new Int32Array(CHUNK);
  return (n, xs, outs) => {
    for (let c0 = 0; c0 < n; c0 += CHUNK) {
      let nl = 0;
      for (let i = c0; i < Math.min(n, c0 + CHUNK); i++) {
        const s = e.quantize(xs[i]!, K, xqOff + (i - c0) * stride, xmax);
        if (s === 0) continue;
        sx[i - c0] = s;
        live[nl++] = i;
      }
      const xqOf = (i: number) => xqOff + (i - c0) * stride;
      e.parallel(() => products(c0, nl, live, sx, xqOf, outs));
    }
  };
}

/**
 * The RowProduct of a quantized matrix (chunkedInt8Product): the units in blocks of about
 * UNIT_BLOCK_BYTES of weights, every vector of the chunk passing over a block (mvq2 for vector pairs,
 * mvq for the last odd one) while it is in cache.
 */
export function int8Product(e: MatvecEngine, q: Int8Matrix, H: number): RowProduct {
  const ws = 8 * q.Ko;
  const unitsPerBlock = Math.max(1, Math.floor(UNIT_BLOCK_BYTES / (4 * ws)));
  return chunkedInt8Product(e, q.xqOff, 4 * q.Ko, q.K, q.xmax, (c0, nl, live, sx, xqOf, outs) => {
    const block = unitsPerBlock * e.sectionParts();
    for (let j0 = 0; j0 < H; j0 += block) {
      const units = Math.min(block, H - j0);
      const [w, sc] = [q.wOff + j0 * ws, q.scalesOff + 4 * j0];
      let l = 0;
      for (; l + 2 <= nl; l += 2) {
        const [i, k] = [live[l]!, live[l + 1]!];
        e.mvq2(w, ws, sc, xqOf(i), xqOf(k), q.Ko, outs[i]! + 4 * j0, outs[k]! + 4 * j0, units, sx[i - c0]!, sx[k - c0]!);
      }
      if (l < nl) e.mvq(w, ws, sc, xqOf(live[l]!), q.Ko, outs[live[l]!]! + 4 * j0, units, sx[live[l]! - c0]!);
    }
  });
}
