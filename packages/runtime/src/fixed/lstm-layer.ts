import { layerProducts, lstmSequenceFixed, type FixedLstmLayer, type LayerProducts } from './lstm-step.js';
import type { SaturationLog } from './saturation.js';

export interface FixedLstmResult {
  /** [T, D, B, H] (ONNX layout 0). */
  readonly Y: Int32Array;
  /** [D, B, H]. */
  readonly Yh: Int32Array;
  readonly Yc: Int32Array;
  /** Whether `run.watch` ended the run early (Y, Yh and Yc are then incomplete). */
  readonly stopped: boolean;
}

/** Options of a layer run besides its data (SequenceRun per batch entry and direction). */
export interface LayerRun {
  /**
   * inputProjections(dirs[d], xb, T, len, prods[d]) of batch entry b (xb: its x, [T x I]; len: its
   * sequence length), when the caller keeps them across runs; undefined: computed step by step.
   */
  readonly inputs?: (b: number, d: number, xb: Int32Array, len: number) => Float64Array | undefined;
  /** Called after each step of batch entry b, direction d with its h; returning false ends the whole run. */
  readonly watch?: (t: number, d: number, b: number, h: Int32Array) => boolean;
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
  run: LayerRun = {},
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
        { inputs: run.inputs?.(b, d, xb, len), watch: run.watch && ((t, h) => run.watch!(t, d, b, h)) },
      );
      for (let t = 0; t < T; t++) Y.set(r.y.subarray(t * H, (t + 1) * H), ((t * D + d) * B + b) * H);
      Yh.set(r.h, off);
      Yc.set(r.c, off);
      if (r.stopped) return { Y, Yh, Yc, stopped: true };
    }
  }
  return { Y, Yh, Yc, stopped: false };
}
