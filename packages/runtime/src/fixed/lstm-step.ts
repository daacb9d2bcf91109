import type { FixedLuts } from './lut.js';
import { productAccumulate, productMatrix, type ProductMatrix } from './product-loops.js';
import { noteRail, type SaturationLog } from './saturation.js';
import { activate, biasAdd, cellUpdate, gateMul, oneMinus, peepholeAdd } from './vector-ops.js';

/**
 * Fraction lengths (power-of-two scales) of one LSTM direction. Values are
 * real = integer * 2^-frac. h and the gate activations always use actBits - 1.
 */
export interface FixedLstmFormats {
  /** Input x_t. */
  readonly x: number;
  /** Cell state c_t. */
  readonly c: number;
  /** Gate pre-activations (the accumulator), bias and clip threshold. */
  readonly acc: number;
  /** W, R and peephole weights (one scale per matrix). */
  readonly w: number;
  readonly r: number;
  readonly p: number;
}

/** One direction of an ONNX LSTM in the target's fixed point. Gate rows in ONNX order i, o, f, c. */
export interface FixedLstmLayer {
  readonly hidden: number;
  readonly input: number;
  readonly actBits: number;
  readonly accBits: number;
  readonly fmt: FixedLstmFormats;
  /** [4H x I], row-major, weightBits integers. */
  readonly W: Int32Array;
  /** [4H x H]. */
  readonly R: Int32Array;
  /** [4H] Wb + Rb at fmt.acc, or null. */
  readonly bias: Float64Array | null;
  /** [3H] P_i, P_o, P_f at fmt.p, or null. */
  readonly peephole: Int32Array | null;
  /** Clip threshold at fmt.acc, or null. */
  readonly clip: number | null;
  readonly inputForget: boolean;
  readonly luts: FixedLuts;
}

/** Right shifts that bring each product to the accumulator's fraction length. */
export function productShifts(l: Pick<FixedLstmLayer, 'fmt' | 'actBits'>): { w: number; r: number; p: number } {
  return { w: l.fmt.w + l.fmt.x - l.fmt.acc, r: l.fmt.r + (l.actBits - 1) - l.fmt.acc, p: l.fmt.p + l.fmt.c - l.fmt.acc };
}

/** W and R prepared for the products of every step (product-loops.ts), built once per layer. */
export interface LayerProducts {
  readonly W: ProductMatrix;
  readonly R: ProductMatrix;
}

export function layerProducts(l: FixedLstmLayer): LayerProducts {
  return { W: productMatrix(l.W, 4 * l.hidden, l.input), R: productMatrix(l.R, 4 * l.hidden, l.hidden) };
}

export interface StepScratch {
  readonly acc: Float64Array;
  readonly gates: Int32Array;
  readonly tc: Int32Array;
}

export function stepScratch(H: number): StepScratch {
  return { acc: new Float64Array(4 * H), gates: new Int32Array(4 * H), tc: new Int32Array(H) };
}

/**
 * One time step, updating h and c in place. The order of operations is the
 * accelerator's (stepVectorOps in @lstmc/target): products of W then R, bias,
 * peepholes of i and f, activations (clip on their input), optional
 * input_forget, cell update, peephole and activation of o, tanh(c), h.
 */
export function lstmStepFixed(l: FixedLstmLayer, x: Int32Array, xOff: number, h: Int32Array, c: Int32Array, s: StepScratch, prod: LayerProducts = layerProducts(l)): void {
  s.acc.fill(0);
  productAccumulate(s.acc, 0, prod.W, x, xOff, productShifts(l).w, l.accBits);
  lstmStepRecurrent(l, h, c, s, prod);
}

/**
 * The rest of a step once `s.acc` holds the W product of x_t summed from zero (as lstmStepFixed
 * makes it, or a row of inputProjections): R·h onward, updating h and c in place.
 */
export function lstmStepRecurrent(l: FixedLstmLayer, h: Int32Array, c: Int32Array, s: StepScratch, prod: LayerProducts): void {
  const H = l.hidden;
  const A = l.actBits;
  const sh = productShifts(l);
  const { acc, gates, tc } = s;
  productAccumulate(acc, 0, prod.R, h, 0, sh.r, l.accBits);
  if (l.bias) biasAdd(acc, 0, l.bias, 0, 4 * H, l.accBits);
  const P = l.peephole;
  if (P) {
    peepholeAdd(acc, 0, P, 0, c, 0, H, sh.p, l.accBits); // i
    peepholeAdd(acc, 2 * H, P, 2 * H, c, 0, H, sh.p, l.accBits); // f
    activate('sigmoid', l.luts, acc, 0, gates, 0, H, l.fmt.acc, l.clip);
    activate('sigmoid', l.luts, acc, 2 * H, gates, 2 * H, H, l.fmt.acc, l.clip);
  } else {
    activate('sigmoid', l.luts, acc, 0, gates, 0, 3 * H, l.fmt.acc, l.clip);
  }
  activate('tanh', l.luts, acc, 3 * H, gates, 3 * H, H, l.fmt.acc, l.clip);
  if (l.inputForget) oneMinus(gates, 2 * H, 0, H, A);
  cellUpdate(c, 0, gates, 0, 2 * H, 3 * H, H, l.fmt.c, A);
  if (P) {
    peepholeAdd(acc, H, P, H, c, 0, H, sh.p, l.accBits); // o uses c_t
    activate('sigmoid', l.luts, acc, H, gates, H, H, l.fmt.acc, l.clip);
  }
  activate('tanh', l.luts, c, 0, tc, 0, H, l.fmt.c, null);
  gateMul(h, 0, gates, H, tc, 0, H, A);
}

/**
 * W·x_t of the steps t < len of one direction, [T x 4H] (rows t >= len left zero): row t is what
 * lstmStepFixed's accumulator holds after the W product, bit for bit. It depends on W, x and the
 * formats w, x and acc only, not on c or on the recurrence, so runs of a layer that differ in c
 * alone (the quantize pass's cell-scale candidates) can share it.
 */
export function inputProjections(l: FixedLstmLayer, x: Int32Array, T: number, len: number, prod: LayerProducts): Float64Array {
  const G = 4 * l.hidden;
  const out = new Float64Array(T * G);
  const shift = productShifts(l).w;
  for (let t = 0; t < len; t++) productAccumulate(out, t * G, prod.W, x, t * l.input, shift, l.accBits);
  return out;
}

/** Options of a sequence run besides its data. */
export interface SequenceRun {
  /** inputProjections of this x (and of l's formats w, x, acc): the W products are read, not computed. */
  readonly inputs?: Float64Array;
  /** Called after each step with its h; returning false ends the run there (`stopped`). */
  readonly watch?: (t: number, h: Int32Array) => boolean;
}

/**
 * A whole sequence of one direction for one batch item. x is [T x I]
 * (time-major, contiguous). Steps t >= seqLen are skipped: their outputs are 0
 * and the state is left as it was (ONNX sequence_lens). reverse runs
 * t = seqLen-1 .. 0. Returns y [T x H] and the final h and c (when `run.watch`
 * stopped it, those of the step it stopped after).
 */
export function lstmSequenceFixed(
  l: FixedLstmLayer,
  x: Int32Array,
  T: number,
  h0: Int32Array | null,
  c0: Int32Array | null,
  reverse = false,
  seqLen = T,
  prod: LayerProducts = layerProducts(l),
  sat?: { readonly log: SaturationLog; readonly batch: number; readonly dir: number },
  run: SequenceRun = {},
): { y: Int32Array; h: Int32Array; c: Int32Array; stopped: boolean } {
  const H = l.hidden;
  const h = h0 ? Int32Array.from(h0) : new Int32Array(H);
  const c = c0 ? Int32Array.from(c0) : new Int32Array(H);
  const y = new Int32Array(T * H);
  const s = stepScratch(H);
  for (let k = 0; k < seqLen; k++) {
    const t = reverse ? seqLen - 1 - k : k;
    if (run.inputs) {
      s.acc.set(run.inputs.subarray(t * 4 * H, (t + 1) * 4 * H));
      lstmStepRecurrent(l, h, c, s, prod);
    } else lstmStepFixed(l, x, t * l.input, h, c, s, prod);
    y.set(h, t * H);
    if (sat) {
      const where = (index: number) => ({ step: t, batch: sat.batch, dir: sat.dir, index });
      noteRail(sat.log, 'gates', s.acc, 0, 4 * H, l.accBits, where);
      noteRail(sat.log, 'cell', c, 0, H, l.actBits, where);
      noteRail(sat.log, 'h', h, 0, H, l.actBits, where);
    }
    if (run.watch && !run.watch(t, h)) return { y, h, c, stopped: true };
  }
  return { y, h, c, stopped: false };
}
