import { layerProducts, lstmSequenceFixed, type FixedLstmLayer, type LayerProducts } from './lstm-step.js';
import type { SaturationLog } from './saturation.js';

export interface FixedLstmResult {
  /** [T, D, B, H] (ONNX layout 0). */
  readonly Y: Int32Array;
  /** [D, B, H]. */
  readonly Yh: Int32Array;
  readonly Yc: Int32Array;
}

/**
 * An ONNX LSTM node (layout 0) in fixed point. `dirs` holds one layer for
 * forward or reverse, two (forward, reverse) for bidirectional. x is
 * [T, B, I] at dirs[*].fmt.x; h0 is [D, B, H] at actBits-1; c0 at fmt.c;
 * seqLens [B] or null. Outputs use the same formats. `prods`: W and R prepared
 * for the products (layerProducts), when the caller keeps them across calls.
 */
export function lstmLayerFixed(
  dirs: readonly FixedLstmLayer[],
  direction: 'forward' | 'reverse' | 'bidirectional',
  x: Int32Array,
  T: number,
  B: number,
  seqLens: ArrayLike<number> | null,
  h0: Int32Array | null,
  c0: Int32Array | null,
  prods: readonly LayerProducts[] = dirs.map(layerProducts),
  /** Saturation counts of the steps (gates, cell, h) go here; inputs are counted by the caller, before quantizing. */
  log?: SaturationLog,
): FixedLstmResult {
  const D = direction === 'bidirectional' ? 2 : 1;
  if (dirs.length !== D) throw new Error(`lstmLayerFixed: ${direction} needs ${D} direction(s), got ${dirs.length}`);
  const H = dirs[0].hidden;
  const I = dirs[0].input;
  const Y = new Int32Array(T * D * B * H);
  const Yh = new Int32Array(D * B * H);
  const Yc = new Int32Array(D * B * H);
  const xb = new Int32Array(T * I);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) xb.set(x.subarray((t * B + b) * I, (t * B + b + 1) * I), t * I);
    const len = seqLens ? Math.max(0, Math.min(T, seqLens[b])) : T;
    for (let d = 0; d < D; d++) {
      const reverse = direction === 'reverse' || d === 1;
      const off = (d * B + b) * H;
      const r = lstmSequenceFixed(
        dirs[d],
        xb,
        T,
        h0 ? h0.subarray(off, off + H) : null,
        c0 ? c0.subarray(off, off + H) : null,
        reverse,
        len,
        prods[d],
        log ? { log, batch: b, dir: d } : undefined,
      );
      for (let t = 0; t < T; t++) Y.set(r.y.subarray(t * H, (t + 1) * H), ((t * D + d) * B + b) * H);
      Yh.set(r.h, off);
      Yc.set(r.c, off);
    }
  }
  return { Y, Yh, Yc };
}
