import { fromFixed, layerProducts, lstmLayerFixed, noteRealSaturation, quantizeArray, saturationLog, type FixedLstmLayer, type LayerProducts } from '../../../fixed/index.js';
import type { RtTensor } from '../../../tensor.js';
import { defineKernel, outputF32, type KernelCall } from '../../kernel.js';
import { checkLstmStream, lstmRun } from '../lstm-io.js';
import { fixedLayersOf, lutsOf } from './layers.js';
import { checkLstmFixed, LSTM_FIXED_ATTRS, LSTM_FIXED_INPUTS, type LstmFixedAttrs } from './schema.js';

/** Unpacked at load when W and R are constants (valid when B and P were constants or absent, see run). */
interface LstmFixedPrepared {
  readonly layers: FixedLstmLayer[];
  /** W and R of each direction prepared for the products, once per model. */
  readonly products: LayerProducts[];
  readonly hasB: boolean;
  readonly hasP: boolean;
}

/** Stream state: the integer h (at act_bits-1) and c (at c_frac) of each direction, [D][B*H]. */
interface LstmFixedStreamState {
  readonly h: Int32Array[];
  readonly c: Int32Array[];
  readonly batch: number;
}

/**
 * ONNX LSTM in the accelerator's fixed point (the `--numerics fixed` mode).
 * The arithmetic is not here: each direction is one call of the shared layer
 * function `lstmLayerFixed` (runtime/src/fixed, the semantics the simulator
 * runs). This kernel only moves data across that boundary: X is quantized to
 * x_frac (RNE, saturating: `quantizeArray`), initial_h to act_bits-1 and
 * initial_c to c_frac, and the integer outputs are scaled back to float32
 * exactly (every act_bits <= 16 integer times a power of two is a float32).
 * Inputs: X, W, R, B?, P?, sequence_lens?, initial_h?, initial_c?
 * (see LSTM_FIXED_INPUTS; weights as produced by the quantize pass).
 */
export const lstmFixedKernel = defineKernel({
  name: 'lstm.fixed',
  inputs: [3, LSTM_FIXED_INPUTS.length],
  requiredInputs: 3,
  outputs: [0, 3],
  attrs: LSTM_FIXED_ATTRS,
  stateful: true,
  check: checkLstmFixed,
  checkStream: (a, node) => checkLstmStream(a, node.inputs[5]),
  prepare: (a, consts): LstmFixedPrepared | undefined => {
    const [, W, R, B, P] = consts;
    if (!W || !R) return undefined;
    const layers = fixedLayersOf(a, W, R, B ?? null, P ?? null, lutsOf(a));
    return { layers, products: layers.map(layerProducts), hasB: !!B, hasP: !!P };
  },
  run: (call) => runLstmFixed(call.attrs, call),
});

function runLstmFixed(a: LstmFixedAttrs, call: KernelCall<LstmFixedAttrs>): (RtTensor | null)[] {
  const { inputs, wanted, state } = call;
  const X = inputs[0]!;
  const initH = inputs[6] ?? null;
  const initC = inputs[7] ?? null;
  const { D, H, I, T, B, layout1, stateShape, lens, carried } = lstmRun<LstmFixedStreamState>(a, X, inputs[5] ?? null, initH, initC, state);
  // `prepare` sees constants only: a B or P fed at run time makes its unpacking stale.
  const prep = call.prepared as LstmFixedPrepared | undefined;
  const fresh = !prep || prep.hasB !== !!inputs[3] || prep.hasP !== !!inputs[4];
  const layers = fresh ? fixedLayersOf(a, inputs[1]!, inputs[2]!, inputs[3] ?? null, inputs[4] ?? null, lutsOf(a)) : prep.layers;
  const products = fresh ? layers.map(layerProducts) : prep.products;

  // X as time-major [T, B, I] reals, then integers at each direction's x_frac.
  const xs = layout1 ? batchToTimeMajor(X.data as Float32Array, B, T, I) : (X.data as Float32Array);
  const hFrac = a.act_bits - 1;
  const stateAt = (d: number, b: number) => (layout1 ? (b * D + d) * H : (d * B + b) * H);
  /** Direction d's rows of a [D,B,H] / [B,D,H] state tensor, [B][H], as integers at `frac`. */
  const stateOf = (s: RtTensor | null, d: number, frac: number): Int32Array | null => {
    if (!s) return null;
    const v = new Float64Array(B * H);
    for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) v[b * H + j] = Number(s.data[stateAt(d, b) + j]);
    noteRealSaturation(log, s === initH ? 'initial_h' : 'initial_c', v, 0, v.length, frac, a.act_bits, (i) => ({ batch: Math.floor(i / H), dir: d, index: i % H }));
    return quantizeArray(v, frac, a.act_bits);
  };
  const log = call.env.onSaturation ? saturationLog(call.nodeName) : undefined;

  const Y = wanted[0] ? outputF32(call, T * D * B * H) : null;
  const Yh = outputF32(call, D * B * H);
  const Yc = outputF32(call, D * B * H);
  const next: LstmFixedStreamState = { h: [], c: [], batch: B };
  for (let d = 0; d < D; d++) {
    const l = layers[d]!;
    noteRealSaturation(log, 'x', xs, 0, xs.length, l.fmt.x, a.act_bits, (i) => ({ step: Math.floor(i / (B * I)), batch: Math.floor(i / I) % B, dir: d, index: i % I }));
    const xq = quantizeArray(xs, l.fmt.x, a.act_bits);
    const h0 = carried ? carried.h[d]! : stateOf(initH, d, hFrac);
    const c0 = carried ? carried.c[d]! : stateOf(initC, d, l.fmt.c);
    const reverse = a.direction === 'reverse' || d === 1;
    const r = lstmLayerFixed([l], reverse ? 'reverse' : 'forward', xq, T, B, lens, h0, c0, [products[d]!], log);
    const yScale = fromFixed(1, hFrac);
    const cScale = fromFixed(1, l.fmt.c);
    if (Y) {
      for (let t = 0; t < T; t++)
        for (let b = 0; b < B; b++) {
          const src = (t * B + b) * H;
          const dst = layout1 ? ((b * T + t) * D + d) * H : ((t * D + d) * B + b) * H;
          for (let j = 0; j < H; j++) Y[dst + j] = r.Y[src + j]! * yScale;
        }
    }
    for (let b = 0; b < B; b++)
      for (let j = 0; j < H; j++) {
        Yh[stateAt(d, b) + j] = r.Yh[b * H + j]! * yScale;
        Yc[stateAt(d, b) + j] = r.Yc[b * H + j]! * cScale;
      }
    next.h.push(r.Yh);
    next.c.push(r.Yc);
  }
  if (state) state['lstm'] = next;
  if (log) call.env.onSaturation!(log);
  return [
    Y ? { dtype: 'f32', shape: layout1 ? [B, T, D, H] : [T, D, B, H], data: Y } : null,
    wanted[1] ? { dtype: 'f32', shape: stateShape, data: Yh } : null,
    wanted[2] ? { dtype: 'f32', shape: stateShape, data: Yc } : null,
  ];
}

function batchToTimeMajor(x: Float32Array, B: number, T: number, I: number): Float32Array {
  const out = new Float32Array(B * T * I);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) out.set(x.subarray((b * T + t) * I, (b * T + t + 1) * I), (t * B + b) * I);
  return out;
}
