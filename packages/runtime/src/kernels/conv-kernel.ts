/**
 * The runtime's Conv kernel: the op's kernel (opKernel: attributes, load-time check, reference
 * evaluation) with a product engine for float32 Conv whose weights are a constant. At load, each
 * group's weights go into a WebAssembly SIMD matvec engine in the LSTM kernels' packed layout, four
 * output channels standing for an LSTM unit's four gates (pack.ts packedIndex); a run gathers each
 * output position's inputs (its taps' channels, zero where a tap falls in the padding: convPlan's
 * `src`) into a column of float64 and multiplies the weights with it, on top of the bias, with
 * float64 sums (mvd1, wasm/f64-sum-module.ts) as the reference evaluation has: only the order of the
 * additions differs from it, so results are its float32 value or next to it (float32 sums, mv2, left
 * Silero VAD's LSTM state 6e-4 from onnxruntime's after an utterance, against 5e-5 with these). Other
 * dtypes, weights that are not a constant, groups of fewer than four output channels, `matvec: 'js'`
 * and hosts without WebAssembly SIMD run the reference arithmetic (convCompute). Both run on the plan
 * of the node's last shapes, kept in its prepared state.
 */
import { Conv, convCompute, convPlan, type ConvPlan } from '@lstmc/ops/defs';
import { rtFail } from '../errors.js';
import type { RtTensor } from '../tensor.js';
import { type AnyKernel, defineKernel, outputF32, type KernelCall, type KernelEnv } from './kernel.js';
import { f64Column, f64OutRow, f64Product, f64View, packF64Rows, type F64Rows } from './f64-rows.js';
import { opKernel } from './op-kernel.js';

const reference = opKernel('Conv', Conv);

/** The weights of every group as F64Rows (one row per output channel of the group), and their shape as packed. */
interface PackedWeights {
  readonly rows: F64Rows;
  /** Output channels, input channels per group, and taps. */
  readonly M: number;
  readonly CG: number;
  readonly kSp: number;
}

/** A node's state: its packed weights, if any, and the plan of the last shapes it ran. */
interface ConvPrepared {
  readonly packed: PackedWeights | undefined;
  /** The plan of the last input and weight shapes run (a stream's frames all have one shape): convPlan costs a table of every output position's taps. */
  last?: { readonly shapes: readonly number[]; readonly plan: ConvPlan; readonly runs: Int32Array };
}

/** Taps at least this long that read one contiguous run of a channel are copied as a block. */
const BLOCK_TAPS = 16;

/**
 * Per output position, where its taps' run starts within a channel if they read consecutive
 * in-bounds inputs (a 1-D stride over the signal: an STFT's frames) and there are at least BLOCK_TAPS
 * of them; -1 otherwise (gathered one by one).
 */
function contiguousRuns(plan: ConvPlan): Int32Array {
  const { outSp, kSp, src } = plan;
  const runs = new Int32Array(outSp).fill(-1);
  if (kSp < BLOCK_TAPS) return runs;
  for (let o = 0; o < outSp; o++) {
    const s0 = src[o * kSp]!;
    let t = 0;
    while (t < kSp && s0 >= 0 && src[o * kSp + t] === s0 + t) t++;
    if (t === kSp) runs[o] = s0;
  }
  return runs;
}

/** convPlan for these shapes, the last one's if they are the same (the attributes are the node's own). */
function planFor(p: ConvPrepared, xShape: readonly number[], wShape: readonly number[], attrs: Readonly<Record<string, unknown>>): NonNullable<ConvPrepared['last']> {
  const last = p.last;
  const shapes = [xShape.length, ...xShape, ...wShape];
  if (last && last.shapes.length === shapes.length && last.shapes.every((d, i) => d === shapes[i])) return last;
  const plan = convPlan(xShape, wShape, attrs, (m) => rtFail('E-RT-EXEC', m));
  p.last = { shapes, plan, runs: contiguousRuns(plan) };
  return p.last;
}

/**
 * Float32 constant weights packed into a WebAssembly engine, where a group has at least four output
 * channels (a unit's four lanes; depthwise groups of one channel would leave three idle, and a call
 * per group and position costs more than their few taps: Silero VAD v4's depthwise Conv of 258
 * groups took 0.136 ms so, 0.05 in the reference evaluation).
 */
function packWeights(attrs: Readonly<Record<string, unknown>>, W: RtTensor | null | undefined, env: KernelEnv): PackedWeights | undefined {
  if (!W || W.dtype !== 'f32' || W.shape.length < 3) return undefined;
  const group = attrs.group as number;
  const [M, CG] = [W.shape[0]!, W.shape[1]!];
  if (!(group >= 1) || M % group !== 0 || M / group < 4 || CG === 0) return undefined;
  const kSp = W.data.length / (M * CG);
  const mg = M / group;
  const K = CG * kSp;
  const w = W.data as Float32Array;
  const rows = packF64Rows(group, mg, K, (g, m, k) => w[(g * mg + m) * K + k]!, env);
  return rows && { rows, M, CG, kSp };
}

function runPacked(call: KernelCall<Readonly<Record<string, unknown>>>, p: PackedWeights, { plan, runs }: NonNullable<ConvPrepared['last']>): RtTensor {
  const X = call.inputs[0]!;
  const B = call.inputs[2];
  const W = call.inputs[1]!;
  const { N, C, M, CG, group, inSp, outSp, kSp, src } = plan;
  if (M !== p.M || CG !== p.CG || kSp !== p.kSp) rtFail('E-RT-EXEC', `Conv weights [${W.shape.join(',')}] are not the ones prepared`);
  const mg = M / group;
  const r = p.rows;
  const colLen = f64Column(r);
  const outLen = f64OutRow(r);
  const Kq = r.Kq;
  // Scratch: one column per output position, then the outputs.
  const K = CG * kSp;
  const e = r.engine;
  e.scratch(outSp * (colLen + outLen));
  const m = e.mem;
  const d = f64View(r);
  const colOff = e.scratchOff;
  const outOff = colOff + outSp * colLen;
  const x = X.data as Float32Array;
  const bias = B ? (B.data as Float32Array) : undefined;
  const y = outputF32(call, N * M * outSp);
  for (let b = 0; b < N; b++)
    for (let g = 0; g < group; g++) {
      const xBase = (b * C + g * CG) * inSp;
      for (let o = 0; o < outSp; o++) {
        const col = (colOff + o * colLen) >> 1;
        d.fill(0, col + K, col + 4 * Kq); // the last quad's tail
        const run = runs[o]!;
        for (let c = 0; c < CG; c++) {
          const xc = xBase + c * inSp;
          const at = col + c * kSp;
          if (run >= 0) {
            d.set(x.subarray(xc + run, xc + run + kSp), at);
            continue;
          }
          for (let t = 0, s = o * kSp; t < kSp; t++, s++) {
            const idx = src[s]!;
            d[at + t] = idx < 0 ? 0 : x[xc + idx]!;
          }
        }
      }
      // The outputs start as the bias: written once, copied to the other positions.
      for (let j = 0; j < outLen; j++) m[outOff + j] = bias && j < mg ? bias[g * mg + j]! : 0;
      for (let o = 1; o < outSp; o++) m.copyWithin(outOff + o * outLen, outOff, outOff + outLen);
      for (let o = 0; o < outSp; o++) f64Product(r, g, colOff + o * colLen, outOff + o * outLen);
      const yBase = (b * M + g * mg) * outSp;
      for (let j = 0; j < mg; j++) for (let o = 0, at = outOff + j; o < outSp; o++, at += outLen) y[yBase + j * outSp + o] = m[at]!;
    }
  return { dtype: 'f32', shape: [N, M, ...plan.outS], data: y };
}

/**
 * Conv: the reference kernel's attributes and checks; the engine above where the weights are a
 * float32 constant with groups of four or more output channels, else the reference arithmetic
 * (convCompute), both on the node's kept plan.
 */
export const convKernel: AnyKernel = defineKernel({
  ...reference,
  prepare: (attrs, consts, env): ConvPrepared => ({ packed: packWeights(attrs as Readonly<Record<string, unknown>>, consts[1], env) }),
  run: (call) => {
    const p = call.prepared as ConvPrepared | undefined;
    const [X, W, B] = call.inputs;
    if (!p || !X || !W) return reference.run(call);
    const c = call as KernelCall<Readonly<Record<string, unknown>>>;
    const planned = planFor(p, X.shape, W.shape, c.attrs);
    return [p.packed && X.dtype === 'f32' ? runPacked(c, p.packed, planned) : (convCompute(planned.plan, X, W, B ?? undefined, call.alloc) as RtTensor)];
  },
});
