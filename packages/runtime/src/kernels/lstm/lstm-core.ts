import { copyRun } from '@lstmc/ops';
import type { RtTensor } from '../../tensor.js';
import { outputF32, type KernelCall, type KernelEnv, type ParsedAttrs, type StaticNodeInfo } from '../kernel.js';
import { isRnnActivation, resolveActivations } from './activations.js';
import { checkLstmAttrs, checkLstmSlots, LSTM_COMMON_ATTRS, lstmRun, numDirections } from './lstm-io.js';
import type { MatvecEngine } from './matvec-engine.js';
import type { RowProduct } from './row-products.js';
import { runRecurrence } from './recurrence.js';

/**
 * What the float32 LSTM kernels (`lstm.dense.f32`, `lstm.sparse.f32`) share: the ONNX attribute set,
 * the static checks of X, sequence_lens, the states and the outputs (lstm-io.ts, with `lstm.fixed`),
 * and the whole run (shape checks, scratch layout, per-direction input projection, recurrence, stream state). A kernel only supplies
 * where its weights live in the matvec engine and the products W x and R h (`LstmDirectionOps`).
 */
export { checkLstmStream, LSTM_DIRECTIONS, numDirections } from './lstm-io.js';

export const LSTM_ATTRS = {
  ...LSTM_COMMON_ATTRS,
  /** 3 per direction (f, g, h); default Sigmoid, Tanh, Tanh for each direction. */
  activations: { type: 'strings' },
  activation_alpha: { type: 'floats', default: [] },
  activation_beta: { type: 'floats', default: [] },
  /** 1: W (int8_w) / R (int8_r) quantized to int8 at load (int8-weights.ts, int8-sparse.ts); the load option lstmWeights: 'int8' sets both, except for compressed rows, which only these attributes quantize. */
  int8_w: { type: 'int', default: 0 },
  int8_r: { type: 'int', default: 0 },
  /**
   * 1 (layout 0 only): Y is written [T, B, D, H], directions interleaved: what ONNX's Y [T, D, B, H]
   * transposed by [0, 2, 1, 3] is (the lowering fuses that transpose of a bidirectional export).
   */
  y_interleaved: { type: 'int', default: 0 },
  /**
   * 1 (layout 1 only): initial_h / initial_c and Y_h / Y_c are [D, B, H], layout 0's order, while X and Y
   * stay batch-major (the lowering fuses the transposes a batch-first model's states pass through).
   */
  states_dbh: { type: 'int', default: 0 },
} as const;

export type LstmAttrs = ParsedAttrs<typeof LSTM_ATTRS>;

function activationNames(a: LstmAttrs): readonly string[] {
  return a.activations ?? (numDirections(a) === 2 ? ['Sigmoid', 'Tanh', 'Tanh', 'Sigmoid', 'Tanh', 'Tanh'] : ['Sigmoid', 'Tanh', 'Tanh']);
}

/** Which of W and R run on int8 weights: the node's int8_w / int8_r, or both under the load option lstmWeights: 'int8'. */
export function int8Matrices(a: Pick<LstmAttrs, 'int8_w' | 'int8_r'>, env: KernelEnv): { readonly W: boolean; readonly R: boolean } {
  const all = env.lstmWeights === 'int8';
  return { W: all || a.int8_w === 1, R: all || a.int8_r === 1 };
}

/** Load-time checks of the attributes and of the X, sequence_lens, initial_h/c slots (2..4) and the outputs. */
export function checkLstmNode(a: LstmAttrs, node: StaticNodeInfo): string | undefined {
  const D = numDirections(a);
  const bad = checkLstmAttrs(a);
  if (bad) return bad;
  if ((a.int8_w !== 0 && a.int8_w !== 1) || (a.int8_r !== 0 && a.int8_r !== 1)) return 'int8_w and int8_r must be 0 or 1';
  if (a.y_interleaved !== 0 && a.y_interleaved !== 1) return 'y_interleaved must be 0 or 1';
  if (a.y_interleaved === 1 && a.layout !== 0) return 'y_interleaved needs layout 0 (layout 1 writes Y [B, T, D, H], already interleaved)';
  if (a.states_dbh !== 0 && a.states_dbh !== 1) return 'states_dbh must be 0 or 1';
  if (a.states_dbh === 1 && a.layout !== 1) return 'states_dbh needs layout 1 (layout 0 states are [D, B, H] already)';
  const acts = activationNames(a);
  if (acts.length !== 3 * D) return `expected ${3 * D} activations for direction ${a.direction}, got ${acts.length}`;
  for (const n of acts) if (!isRnnActivation(n)) return `unknown activation '${n}'`;
  const at = (i: number) => node.inputs[i] ?? null;
  return checkLstmSlots(a, at(0), at(2), at(3), at(4), node.outputs);
}

/** Stream state of one LSTM node: final h and c of every (direction, batch) after the last push. */
interface LstmStreamState {
  h: Float32Array;
  c: Float32Array;
  batch: number;
}

/** Does mem hold a non-zero in [off, off + n)? (Whether a direction's peepholes are used.) */
export function anyNonZero(mem: Float32Array, off: number, n: number): boolean {
  for (let i = off, end = off + n; i < end; i++) if (mem[i] !== 0) return true;
  return false;
}

/** How one direction's weights are applied; offsets are float offsets in the engine's memory. */
export interface LstmDirectionOps {
  /** The 4H bias floats ([j][g]) and the 4H peephole floats ([j][(i, o, f, 0)]) of the direction. */
  readonly biasOff: number;
  readonly peepOff: number;
  /** Whether the peepholes hold a non-zero, where the kernel decided it at prepare (constant weights); absent: looked at each run. */
  readonly peepholes?: boolean;
  /**
   * xp row r (4H floats at xpOff + r*4H) = bias + W x_r for r < rows; x_r at rowOff(r), 4*ceil(I/4)
   * zero-padded floats. tmpOff: `scratch(rows, B)` floats of scratch the projection may use.
   */
  project(rows: number, rowOff: (r: number) => number, xpOff: number, tmpOff: number): void;
  /**
   * The recurrent product R h of a step's active batch entries (row-products.ts); it may use the same
   * scratch at tmpOff (the projection is done by then).
   */
  readonly recur: RowProduct;
}

/**
 * Runs an LSTM node: `ops(d, tmpOff)` gives direction d's weight operations on the engine `e`, with
 * `scratch(rows, B)` floats of scratch at tmpOff for its projection of `rows` rows and its recurrence
 * over B batch entries.
 */
export function runLstmWith(
  a: LstmAttrs,
  call: KernelCall<LstmAttrs>,
  e: MatvecEngine,
  ops: (d: number, tmpOff: number) => LstmDirectionOps,
  scratch: (rows: number, B: number) => number = () => 0,
): (RtTensor | null)[] {
  const { inputs, wanted, state } = call;
  const X = inputs[0]!;
  const initH = inputs[3] ?? null;
  const initC = inputs[4] ?? null;
  // States [B, D, H] with layout 1, unless states_dbh keeps them [D, B, H].
  const statesBatchMajor = a.layout === 1 && a.states_dbh === 0;
  const run = lstmRun<LstmStreamState>(a, X, inputs[2] ?? null, initH, initC, state, statesBatchMajor);
  const { D, H, I, T, B, layout1, stateShape, carried } = run;
  const interleaved = a.y_interleaved === 1;
  const lens = run.lens ?? new Int32Array(B).fill(T);

  // Scratch after the weights: projections [T*B rows][4H], h and c [B][4*ceil(H/4)], X rows padded to
  // 4*ceil(I/4) floats (in X's own row order), then what the projection asks for. The kernels read x and h four floats at a time, so the
  // padding is zeroed (scratch is reused across calls and may hold anything).
  const H4 = 4 * H;
  const hStride = Math.ceil(H / 4) * 4;
  const xStride = Math.ceil(I / 4) * 4;
  const xpOff = e.scratchOff;
  const hOff = xpOff + T * B * H4;
  const cOff = hOff + B * hStride;
  const xOff = cOff + B * hStride;
  const tmpOff = xOff + T * B * xStride;
  e.scratch(tmpOff + scratch(T * B, B) - e.scratchOff);
  const mem = e.mem;
  const xs = X.data as Float32Array;
  if (xStride === I) mem.set(xs, xOff);
  else {
    for (let r = 0; r < T * B; r++) {
      mem.set(xs.subarray(r * I, (r + 1) * I), xOff + r * xStride);
      mem.fill(0, xOff + r * xStride + I, xOff + (r + 1) * xStride);
    }
  }

  const Y = wanted[0] ? outputF32(call, T * D * B * H) : null;
  const Yh = outputF32(call, D * B * H);
  const Yc = outputF32(call, D * B * H);
  const active = new Int32Array(B);
  const stepXs = new Int32Array(B);
  const stepOuts = new Int32Array(B);
  const acts = resolveActivations(activationNames(a), a.activation_alpha, a.activation_beta);
  const clip = a.clip ?? Infinity;
  // X rows are (t, b) pairs; row r = t*B + b in both layouts, only its address differs.
  const rowOff = layout1 ? (r: number) => xOff + ((r % B) * T + Math.floor(r / B)) * xStride : (r: number) => xOff + r * xStride;
  // Where (d, b) lives in initial_h/initial_c/Y_h/Y_c.
  const stateAt = (d: number, b: number) => (statesBatchMajor ? (b * D + d) * H : (d * B + b) * H);
  for (let d = 0; d < D; d++) {
    const w = ops(d, tmpOff);
    const usePeepholes = w.peepholes ?? anyNonZero(mem, w.peepOff, H4);
    w.project(T * B, rowOff, xpOff, tmpOff);
    const h0 = carried ? carried.h : (initH?.data as Float32Array | undefined);
    const c0 = carried ? carried.c : (initC?.data as Float32Array | undefined);
    for (let b = 0; b < B; b++) {
      const so = stateAt(d, b);
      if (h0) copyRun(mem, hOff + b * hStride, h0, so, H);
      else mem.fill(0, hOff + b * hStride, hOff + b * hStride + H);
      mem.fill(0, hOff + b * hStride + H, hOff + (b + 1) * hStride);
      if (c0) copyRun(mem, cOff + b * hStride, c0, so, H);
      else mem.fill(0, cOff + b * hStride, cOff + b * hStride + H);
    }
    runRecurrence({
      e, recur: w.recur, peepOff: w.peepOff, hOff, hStride, usePeepholes, H, B, xpOff,
      f: acts[d * 3]!, g: acts[d * 3 + 1]!, h: acts[d * 3 + 2]!,
      clip, inputForget: a.input_forget === 1, cOff,
      // Y: [T, D, B, H] (layout 0), [B, T, D, H] (layout 1) or [T, B, D, H] (y_interleaved)
      y: Y, yStepT: layout1 ? D * H : D * B * H, yStepB: layout1 ? T * D * H : interleaved ? D * H : H, yBase: d * (layout1 || interleaved ? H : B * H),
      lens, reverse: a.direction === 'reverse' || d === 1, active, xs: stepXs, outs: stepOuts,
    });
    for (let b = 0; b < B; b++) {
      // A batch entry with sequence length 0 has zero Y_h and Y_c (onnxruntime's behaviour).
      if (lens[b]! === 0) continue;
      const so = stateAt(d, b);
      copyRun(Yh, so, mem, hOff + b * hStride, H);
      copyRun(Yc, so, mem, cOff + b * hStride, H);
    }
  }
  if (state) state['lstm'] = { h: Yh.slice(), c: Yc.slice(), batch: B } satisfies LstmStreamState;
  return [
    Y ? { dtype: 'f32', shape: layout1 ? [B, T, D, H] : interleaved ? [T, B, D, H] : [T, D, B, H], data: Y } : null,
    wanted[1] ? { dtype: 'f32', shape: stateShape, data: Yh } : null,
    wanted[2] ? { dtype: 'f32', shape: stateShape, data: Yc } : null,
  ];
}
