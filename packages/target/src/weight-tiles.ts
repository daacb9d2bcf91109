import type { Target } from './params.js';
import { usesSparseWeights, weightBytesPerPe, type MatrixLayout, type MatvecMode } from './cost-model.js';

/**
 * Double-buffered weight streaming. When a layer's W and R do not fit the
 * weight SRAM together, each matrix is cut into column tiles small enough that
 * two tiles fit at once: the DMA loads tile k+1 into one half of the SRAM while
 * the PEs multiply tile k from the other half. Column tiles keep every row's
 * products in ascending column order (W's tiles, then R's), so results are
 * bit for bit those of the whole matrices. Codegen (backend-accel) cuts the
 * matrices with `streamTiles` and emits `streamedProductOrder`; the cost model
 * times that same order (layer-cost.ts).
 */
export interface WeightTile {
  readonly matrix: 'w' | 'r';
  /** Columns c0 .. c1-1 of the matrix. */
  readonly c0: number;
  readonly c1: number;
  readonly layout: MatrixLayout;
  /** Encoded bytes on each PE, and on all PEs together (what the DMA moves). */
  readonly bytesPerPe: Float64Array;
  readonly totalBytes: number;
}

/** Columns c0 .. c1-1 of a layout. */
export function sliceLayout(l: MatrixLayout, c0: number, c1: number): MatrixLayout {
  const cols = c1 - c0;
  const entries = new Float64Array(l.pes * cols);
  const src = l.entriesPerPeColumn;
  if (ArrayBuffer.isView(src)) for (let p = 0; p < l.pes; p++) entries.set((src as Float64Array).subarray(p * l.cols + c0, p * l.cols + c1), p * cols);
  else for (let p = 0; p < l.pes; p++) for (let c = 0; c < cols; c++) entries[p * cols + c] = src[p * l.cols + c0 + c];
  return { cols, pes: l.pes, rowsPerPe: l.rowsPerPe, entriesPerPeColumn: entries, ...(l.samePeAs ? { samePeAs: l.samePeAs } : {}) };
}

/** SRAM byte offset of double buffer k (0 or 1). */
export function tileBufferOffset(k: number, t: Target): number {
  return (k % 2) * Math.floor(t.weightSramBytesPerPe / 2);
}

function maxOf(a: Float64Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, v);
  return m;
}

/**
 * Column tiles of one matrix: the fewest equal-width column ranges whose
 * encoded bytes on every PE fit half the SRAM; null when one column alone
 * does not.
 */
function matrixTiles(which: 'w' | 'r', layout: MatrixLayout, mode: MatvecMode, t: Target, atLeast = 1): WeightTile[] | null {
  const half = Math.floor(t.weightSramBytesPerPe / 2);
  const sparse = usesSparseWeights(mode);
  const all = maxOf(weightBytesPerPe(layout, sparse, t));
  for (let n = Math.max(atLeast, Math.ceil(all / half)); n <= layout.cols; n++) {
    // the bytes of each column range are those of its sliced layout; only the ranges that fit are sliced
    const ranges: { c0: number; c1: number; bytesPerPe: Float64Array }[] = [];
    let fits = true;
    for (let k = 0; k < n && fits; k++) {
      const c0 = Math.floor((k * layout.cols) / n);
      const c1 = Math.floor(((k + 1) * layout.cols) / n);
      const bytesPerPe = weightBytesPerPe(layout, sparse, t, c0, c1);
      fits = maxOf(bytesPerPe) <= half;
      ranges.push({ c0, c1, bytesPerPe });
    }
    if (fits) return ranges.map(({ c0, c1, bytesPerPe }) => ({ matrix: which, c0, c1, layout: sliceLayout(layout, c0, c1), bytesPerPe, totalBytes: bytesPerPe.reduce((a, b) => a + b, 0) }));
  }
  return null;
}

/**
 * The tiles of a streamed layer, W's then R's, an even number of them where the
 * columns allow (tile k lives in buffer k mod 2, so the last tile and the next
 * step's tile 0 use different halves); null when a single column exceeds half
 * the SRAM.
 */
export function streamTiles(w: { layout: MatrixLayout; mode: MatvecMode }, r: { layout: MatrixLayout; mode: MatvecMode }, t: Target): WeightTile[] | null {
  let tw = matrixTiles('w', w.layout, w.mode, t);
  let tr = matrixTiles('r', r.layout, r.mode, t);
  if (!tw || !tr) return null;
  if ((tw.length + tr.length) % 2 === 1) {
    const moreR = matrixTiles('r', r.layout, r.mode, t, tr.length + 1);
    const moreW = matrixTiles('w', w.layout, w.mode, t, tw.length + 1);
    if (moreR && (moreR.length + tw.length) % 2 === 0) tr = moreR;
    else if (moreW && (moreW.length + tr.length) % 2 === 0) tw = moreW;
    // else single columns already: an odd count, whose last product cannot overlap the next tile 0

  }
  return [...tw, ...tr];
}

/**
 * The order of a streamed step's products, with n = tiles.length and tile 0
 * already loaded (by the prologue, or prefetched by the previous step):
 *   for k < n: [scan of h before R's first tile], prefetch (k+1) mod n, product k, [sync if k < n-1]
 * The last product overlaps the next step's tile 0, which then loads on during
 * the vector operations; the next step's first sync waits for it. With n odd
 * the last tile and tile 0 share buffer 0, so tile 0 is prefetched after the
 * last product instead.
 * `scan-x` (before W's first tile) and `scan-h` appear only when the matrix's
 * product reads the zero-detect result (sparse input, or a run-time test).
 */
export type StreamStep =
  | { readonly op: 'prefetch'; readonly tile: number }
  | { readonly op: 'product'; readonly tile: number }
  | { readonly op: 'sync' }
  | { readonly op: 'scan-x' }
  | { readonly op: 'scan-h' };

export function streamedProductOrder(tiles: readonly WeightTile[], scanX: boolean, scanH: boolean): StreamStep[] {
  const out: StreamStep[] = [];
  const n = tiles.length;
  if (scanX) out.push({ op: 'scan-x' });
  for (let k = 0; k < n; k++) {
    if (scanH && tiles[k].matrix === 'r' && (k === 0 || tiles[k - 1].matrix === 'w')) out.push({ op: 'scan-h' });
    const after = k + 1 === n && n % 2 === 1;
    if (!after) out.push({ op: 'prefetch', tile: (k + 1) % n });
    out.push({ op: 'product', tile: k });
    if (after) out.push({ op: 'prefetch', tile: 0 });
    if (k + 1 < n) out.push({ op: 'sync' });
  }
  return out;
}

/**
 * The controller and DMA engine timing rule of the simulator (sim/run.ts):
 * an issue op occupies the controller; a DMA op takes one controller cycle and
 * queues its transfer on the in-order engine; sync waits for the engine.
 */
export type TimedOp = { readonly kind: 'issue' | 'dma'; readonly cycles: number } | { readonly kind: 'sync' };

export interface Timeline {
  now: number;
  dmaBusyUntil: number;
}

export function advanceTimeline(tl: Timeline, ops: readonly TimedOp[]): void {
  for (const o of ops) {
    if (o.kind === 'issue') tl.now += o.cycles;
    else if (o.kind === 'dma') {
      tl.dmaBusyUntil = Math.max(tl.now, tl.dmaBusyUntil) + o.cycles;
      tl.now += 1;
    } else tl.now = Math.max(tl.now + 1, tl.dmaBusyUntil);
  }
}
