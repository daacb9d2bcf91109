import { buildLuts, type FixedLuts } from './lut.js';
import type { FixedLstmFormats, FixedLstmLayer } from './lstm-step.js';
import { fracFor, quantizeArray, toFixed } from './round.js';

/** The widths the fixed-point semantics take from the target. */
export interface FixedBits {
  readonly weightBits: number;
  readonly actBits: number;
  readonly accBits: number;
  readonly lutEntries: number;
}

/** One direction of a float LSTM (ONNX layout: gate rows i, o, f, c). */
export interface FloatLstmDirection {
  readonly hidden: number;
  readonly input: number;
  readonly W: ArrayLike<number>; // [4H x I]
  readonly R: ArrayLike<number>; // [4H x H]
  readonly Wb?: ArrayLike<number> | null; // [4H]
  readonly Rb?: ArrayLike<number> | null; // [4H]
  readonly P?: ArrayLike<number> | null; // [3H]
  readonly clip?: number | null;
  readonly inputForget?: boolean;
}

function maxAbs(a: ArrayLike<number> | null | undefined): number {
  let m = 0;
  if (a) for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/**
 * Default formats from value ranges: each matrix gets the finest power-of-two
 * scale its largest magnitude allows; x and c from the given ranges (e.g.
 * calibration maxima); the accumulator keeps W's product scale unless a
 * worst-case bound on the pre-activations (row sums of |W|*xMax + |R| + |bias|)
 * needs a coarser one. `xFrac` fixes x's format when its producer decides it:
 * a layer fed by another LSTM's h receives h's words as they are (actBits - 1).
 */
export function chooseLstmFormats(d: FloatLstmDirection, bits: FixedBits, xMaxAbs: number, cMaxAbs: number, xFrac?: number): FixedLstmFormats {
  return lstmFormatsByCell(d, bits, xMaxAbs, xFrac)(cMaxAbs);
}

/**
 * chooseLstmFormats(d, bits, xMaxAbs, cMaxAbs, xFrac) as a function of cMaxAbs alone, for trying
 * several cell ranges: the parts that do not depend on it (the weight formats, each row's bound up
 * to its peephole term, summed in the same order) are computed once, so the formats are the same.
 */
export function lstmFormatsByCell(d: FloatLstmDirection, bits: FixedBits, xMaxAbs: number, xFrac?: number): (cMaxAbs: number) => FixedLstmFormats {
  const A = bits.actBits;
  const w = fracFor(maxAbs(d.W), bits.weightBits);
  const r = fracFor(maxAbs(d.R), bits.weightBits);
  const p = fracFor(maxAbs(d.P), bits.weightBits);
  const x = xFrac ?? fracFor(xMaxAbs, A);
  const H = d.hidden;
  const rowSums = new Float64Array(4 * H);
  for (let row = 0; row < 4 * H; row++) {
    let s = Math.abs(d.Wb?.[row] ?? 0) + Math.abs(d.Rb?.[row] ?? 0);
    for (let k = 0; k < d.input; k++) s += Math.abs(d.W[row * d.input + k]) * xMaxAbs;
    for (let k = 0; k < H; k++) s += Math.abs(d.R[row * H + k]);
    rowSums[row] = s;
  }
  const P = d.P;
  let bound0 = 0;
  if (!P) for (let row = 0; row < 4 * H; row++) bound0 = Math.max(bound0, rowSums[row]);
  return (cMaxAbs) => {
    let bound = bound0;
    if (P)
      for (let row = 0; row < 4 * H; row++) {
        let s = rowSums[row];
        if (row < 3 * H) s += Math.abs(P[row % H + (row < H ? 0 : row < 2 * H ? H : 2 * H)]) * cMaxAbs;
        bound = Math.max(bound, s);
      }
    const acc = Math.min(w + x, fracFor(bound, bits.accBits));
    return { x, c: fracFor(cMaxAbs, A), acc, w, r, p };
  };
}

/** The parameters of quantizeLstmDirection's layer besides W and R: bias (Wb + Rb at fmt.acc), peepholes, clip. */
export function quantizeLstmExtras(d: FloatLstmDirection, fmt: FixedLstmFormats, bits: FixedBits): Pick<FixedLstmLayer, 'bias' | 'peephole' | 'clip'> {
  const H = d.hidden;
  let bias: Float64Array | null = null;
  if (d.Wb || d.Rb) {
    bias = new Float64Array(4 * H);
    for (let i = 0; i < 4 * H; i++) bias[i] = toFixed((d.Wb?.[i] ?? 0) + (d.Rb?.[i] ?? 0), fmt.acc, bits.accBits);
  }
  return {
    bias,
    peephole: d.P ? quantizeArray(d.P, fmt.p, bits.weightBits) : null,
    clip: d.clip === null || d.clip === undefined ? null : toFixed(d.clip, fmt.acc, bits.accBits),
  };
}

/** Quantize one float LSTM direction to the target's fixed point with the given formats. */
export function quantizeLstmDirection(d: FloatLstmDirection, fmt: FixedLstmFormats, bits: FixedBits, luts: FixedLuts = buildLuts(bits.lutEntries, bits.actBits)): FixedLstmLayer {
  return {
    hidden: d.hidden,
    input: d.input,
    actBits: bits.actBits,
    accBits: bits.accBits,
    fmt,
    W: quantizeArray(d.W, fmt.w, bits.weightBits),
    R: quantizeArray(d.R, fmt.r, bits.weightBits),
    ...quantizeLstmExtras(d, fmt, bits),
    inputForget: d.inputForget ?? false,
    luts,
  };
}
