/**
 * Error of a fixed-point LSTM layer against its float32 outputs on
 * calibration data, using the fixed-point semantics shared with the
 * accelerator simulator (@lstmc/runtime fixed).
 */
import { elemAsNumber } from '@lstmc/ir';
import {
  type FixedLstmLayer,
  type LayerProducts,
  type SaturationLog,
  inputProjections,
  layerProducts,
  lstmLayerFixed,
  noteRealSaturation,
  quantizeArray,
  saturationLog,
} from '@lstmc/runtime/fixed';
import type { LayerTrace } from '../../calibration/index.js';
import { batchMajorToTimeMajor } from './float-layer.js';
import type { InputProjectionCache } from './input-cache.js';

export interface LayerError {
  /** Of the hidden states: Y (and so Y_h). */
  readonly maxAbs: number;
  readonly meanAbs: number;
  /** Of the last cell state Y_c. */
  readonly cMaxAbs: number;
  /** Where the fixed-point run saturated on the calibration data (x, states, gates, cell, h). */
  readonly saturation: SaturationLog;
}

const num = (t: { data: unknown }) => t.data as ArrayLike<number>;

/** How fixedLayerError may shorten its run; either way the error it returns is the same. */
export interface ErrorSearch {
  /**
   * Give up (return undefined) as soon as the max abs error of h reaches this: the full run's
   * error could not be smaller. The max only grows step by step, so the bound is exact.
   */
  readonly stopAt?: number;
  /** W·x projections shared with the runs of the same layer that differ in c only (the cache is per layer). */
  readonly inputs?: InputProjectionCache;
}

/**
 * The error of the fixed-point layer `dirs` on the calibration trace, or undefined when
 * `search.stopAt` ended the run (the error reached it).
 */
export function fixedLayerError(
  dirs: readonly FixedLstmLayer[],
  direction: 'forward' | 'reverse' | 'bidirectional',
  layout: 0 | 1,
  tr: LayerTrace,
  prods: readonly LayerProducts[] = dirs.map(layerProducts),
  search: ErrorSearch = {},
): LayerError | undefined {
  const l0 = dirs[0];
  const H = l0.hidden;
  const I = l0.input;
  const D = dirs.length;
  const hFrac = l0.actBits - 1;
  let maxAbs = 0;
  let cMaxAbs = 0;
  const log = saturationLog(tr.node.name);
  let sum = 0;
  let count = 0;
  // Across samples: the max abs error of h so far, over every step run (the watch below).
  let running = 0;
  for (const [k, x] of tr.x.entries()) {
    const [T, B] = layout === 0 ? [x.dims[0], x.dims[1]] : [x.dims[1], x.dims[0]];
    const xs = layout === 0 ? num(x) : batchMajorToTimeMajor(num(x), B, T, I);
    noteRealSaturation(log, 'x', xs, 0, xs.length, l0.fmt.x, l0.actBits, (i) => ({ step: Math.floor(i / (B * I)), batch: Math.floor(i / I) % B, dir: 0, index: i % I }));
    const xq = quantizeArray(xs, l0.fmt.x, l0.actBits);
    const state = (t: typeof x | undefined, frac: number, which: 'initial_h' | 'initial_c') => {
      if (!t) return null;
      const v = layout === 0 ? num(t) : batchMajorToTimeMajor(num(t), B, D, H);
      noteRealSaturation(log, which, v, 0, v.length, frac, l0.actBits, (i) => ({ batch: Math.floor(i / H) % B, dir: Math.floor(i / (B * H)), index: i % H }));
      return quantizeArray(v, frac, l0.actBits);
    };
    const seq = tr.seqLens[k];
    const lens = seq ? Array.from({ length: B }, (_, b) => elemAsNumber(seq, b)) : null;
    const y = num(tr.y[k]);
    const scale = 2 ** -hFrac;
    const { stopAt, inputs } = search;
    const yAt = (t: number, d: number, b: number, h: number) => (layout === 0 ? ((t * D + d) * B + b) * H + h : ((b * T + t) * D + d) * H + h);
    const watch =
      stopAt === undefined
        ? undefined
        : (t: number, d: number, b: number, h: Int32Array) => {
            for (let j = 0; j < H; j++) {
              const e = Math.abs(h[j] * scale - y[yAt(t, d, b, j)]);
              if (e > running) running = e;
            }
            return running < stopAt;
          };
    // The projections depend on the direction's W (its format w) and the formats x and acc.
    const projections =
      inputs &&
      ((b: number, d: number, xb: Int32Array, len: number) => {
        const f = dirs[d].fmt;
        return inputs.get(`${f.w}/${f.x}/${f.acc} ${k} ${b} ${d}`, T * 4 * H * 8, () => inputProjections(dirs[d], xb, T, len, prods[d]));
      });
    const r = lstmLayerFixed(dirs, direction, xq, T, B, lens, state(tr.h0[k], hFrac, 'initial_h'), state(tr.c0[k], l0.fmt.c, 'initial_c'), prods, log, {
      inputs: projections,
      watch,
    });
    if (r.stopped) return undefined;
    for (let t = 0; t < T; t++)
      for (let d = 0; d < D; d++)
        for (let b = 0; b < B; b++)
          for (let h = 0; h < H; h++) {
            const e = Math.abs(r.Y[((t * D + d) * B + b) * H + h] * scale - y[yAt(t, d, b, h)]);
            if (e > maxAbs) maxAbs = e;
            sum += e;
            count++;
          }
    const yc = num(tr.yc[k]);
    const cScale = 2 ** -l0.fmt.c;
    for (let d = 0; d < D; d++)
      for (let b = 0; b < B; b++)
        for (let h = 0; h < H; h++) {
          const fi = (d * B + b) * H + h;
          const ci = layout === 0 ? fi : (b * D + d) * H + h;
          cMaxAbs = Math.max(cMaxAbs, Math.abs(r.Yc[fi] * cScale - yc[ci]));
        }
  }
  return { maxAbs, meanAbs: count ? sum / count : 0, cMaxAbs, saturation: log };
}
