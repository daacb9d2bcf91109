/**
 * The runtime's Conv kernel: the op's kernel (opKernel: attributes, load-time check, reference
 * evaluation) with a product engine for float32 Conv whose weights are a constant. At load, each
 * group's weights go into a WebAssembly SIMD matvec engine, four output channels to a unit
 * (channel-rows.ts); a run gathers each output position's inputs (its taps' channels, zero where a tap
 * falls in the padding: convPlan's `src`) into a column, channel-major as im2col lays them out, and
 * adds the weights times every column to the bias with float32 sums in the order of the column (mvc,
 * wasm/channel-sum-module.ts): the order onnxruntime's CPU Conv sums in. On Silero VAD's streamed
 * utterance that leaves the speech probabilities within 7e-6 of onnxruntime's and the state within
 * 8e-5 (3e-5 to 4e-5 with fused multiply-adds); float64 sums (the reference evaluation's) gave 5e-5
 * to 6e-5 at 2.2-2.6x the time of the products, float32 sums split over k mod 4 (the LSTM products'
 * order) 6e-4. Depthwise 1-D Convs of stride 1 take conv-depthwise.ts's engine path. Other dtypes,
 * weights that are not a constant, other groups of fewer than four output channels, `matvec: 'js'`
 * and hosts without WebAssembly SIMD run the reference arithmetic (convCompute). All run on the plan
 * of the node's last shapes, kept in its prepared state.
 */
import { Conv, convCompute, convPlan, type ConvPlan } from '@lstmc/ops/defs';
import { rtFail } from '../errors.js';
import type { RtTensor } from '../tensor.js';
import { type AnyKernel, defineKernel, outputF32, type KernelCall, type KernelEnv } from './kernel.js';
import { channelOutRow, channelProduct, packChannelRows, type ChannelRows } from './channel-rows.js';
import { opKernel } from './op-kernel.js';
import { align4 } from './lstm/matvec-engine.js';
import { depthwiseFits, packDepthwise, runDepthwise, type DepthwiseWeights } from './conv-depthwise.js';

const reference = opKernel('Conv', Conv);

/** The weights of every group as ChannelRows (one row per output channel of the group), and their shape as packed. */
interface PackedWeights {
  readonly rows: ChannelRows;
  /** Output channels, input channels per group, and taps. */
  readonly M: number;
  readonly CG: number;
  readonly kSp: number;
}

/** What a run of the engine path gathers by (gatherLists). */
interface GatherLists {
  readonly col: Int32Array;
  readonly out: Int32Array;
}

/** A node's state: its packed weights, if any, and the plan of the last shapes it ran. */
interface ConvPrepared {
  readonly packed: PackedWeights | undefined;
  /** Depthwise weights (conv-depthwise.ts), for groups of one channel. */
  readonly depthwise: DepthwiseWeights | undefined;
  /**
   * The plan of the last input and weight shapes run (a stream's frames all have one shape), and with
   * packed weights its gather lists: convPlan costs a table of every output position's taps.
   */
  last?: { readonly shapes: readonly number[]; readonly plan: ConvPlan; readonly lists: GatherLists | undefined };
}

/**
 * The gather lists of a plan on packed weights. `col`: per output position o, its column's K = CG*kSp
 * entries (channel c and tap t at k = c*kSp + t), each the element index of that input within the
 * group's channels, or of the zero the run places after them (a tap in the padding). `out`: per
 * output channel j of a group and position o, at j*outSp + o, where its value is among the output
 * rows (o * outLen + j): y's order.
 */
function gatherLists(plan: ConvPlan, packed: PackedWeights): GatherLists {
  const { outSp, kSp, src, inSp, CG, M, group } = plan;
  const K = CG * kSp;
  const col = new Int32Array(outSp * K).fill(CG * inSp);
  for (let o = 0; o < outSp; o++)
    for (let c = 0; c < CG; c++)
      for (let t = 0; t < kSp; t++) {
        const i = src[o * kSp + t]!;
        if (i >= 0) col[o * K + c * kSp + t] = c * inSp + i;
      }
  const mg = M / group;
  const outLen = channelOutRow(packed.rows);
  const out = new Int32Array(mg * outSp);
  for (let j = 0; j < mg; j++) for (let o = 0; o < outSp; o++) out[j * outSp + o] = o * outLen + j;
  return { col, out };
}

/** convPlan for these shapes, the last one's if they are the same (the attributes are the node's own). */
function planFor(p: ConvPrepared, xShape: readonly number[], wShape: readonly number[], attrs: Readonly<Record<string, unknown>>): NonNullable<ConvPrepared['last']> {
  const last = p.last;
  const shapes = [xShape.length, ...xShape, ...wShape];
  if (last && last.shapes.length === shapes.length && last.shapes.every((d, i) => d === shapes[i])) return last;
  const plan = convPlan(xShape, wShape, attrs, (m) => rtFail('E-RT-EXEC', m));
  const fits = p.packed && plan.M === p.packed.M && plan.CG === p.packed.CG && plan.kSp === p.packed.kSp;
  p.last = { shapes, plan, lists: fits ? gatherLists(plan, p.packed!) : undefined };
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
  const rows = packChannelRows(group, mg, K, (g, m, k) => w[(g * mg + m) * K + k]!, env);
  return rows && { rows, M, CG, kSp };
}

/**
 * The engine path: per batch entry and group, the group's input channels and a zero go into scratch,
 * gxf gathers every position's column by `lists.col`, the output rows start as the bias, mvc adds
 * the products of every column, and gxf gathers the rows into y's order by `lists.out`.
 */
function runPacked(call: KernelCall<Readonly<Record<string, unknown>>>, p: PackedWeights, plan: ConvPlan, lists: GatherLists): RtTensor {
  const X = call.inputs[0]!;
  const B = call.inputs[2];
  const { N, C, M, CG, group, inSp, outSp } = plan;
  const mg = M / group;
  const r = p.rows;
  const outLen = channelOutRow(r);
  const inLen = CG * inSp;
  const { col, out } = lists;
  // Scratch (each part a multiple of four floats, so every part stays 16-byte aligned): the group's
  // input and its zero, the two lists, the columns, the output rows, the outputs in y's order.
  const e = r.engine;
  const xOff = e.scratchOff;
  const colIdxOff = xOff + align4(inLen + 1);
  const outIdxOff = colIdxOff + align4(col.length);
  const colOff = outIdxOff + align4(out.length);
  const outOff = colOff + align4(col.length);
  const yOff = outOff + outSp * outLen;
  e.scratch(yOff + align4(out.length) - xOff);
  const m = e.mem;
  const ints = e.ints();
  ints.set(col, colIdxOff);
  ints.set(out, outIdxOff);
  const x = X.data as Float32Array;
  const bias = B ? (B.data as Float32Array) : undefined;
  const y = outputF32(call, N * M * outSp);
  for (let b = 0; b < N; b++)
    for (let g = 0; g < group; g++) {
      const xBase = (b * C + g * CG) * inSp;
      m.set(x.subarray(xBase, xBase + inLen), xOff);
      m[xOff + inLen] = 0;
      e.gatherF32(colOff, xOff, colIdxOff, col.length);
      // The outputs start as the bias: written once, copied to the other positions.
      for (let j = 0; j < outLen; j++) m[outOff + j] = bias && j < mg ? bias[g * mg + j]! : 0;
      for (let o = 1; o < outSp; o++) m.copyWithin(outOff + o * outLen, outOff, outOff + outLen);
      channelProduct(r, g, colOff, outOff, outSp);
      e.gatherF32(yOff, outOff, outIdxOff, out.length);
      y.set(m.subarray(yOff, yOff + out.length), (b * M + g * mg) * outSp);
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
  prepare: (attrs, consts, env): ConvPrepared => ({
    packed: packWeights(attrs as Readonly<Record<string, unknown>>, consts[1], env),
    depthwise: packDepthwise(attrs.group as number, consts[1], env),
  }),
  run: (call) => {
    const p = call.prepared as ConvPrepared | undefined;
    const [X, W, B] = call.inputs;
    if (!p || !X || !W) return reference.run(call);
    const c = call as KernelCall<Readonly<Record<string, unknown>>>;
    const planned = planFor(p, X.shape, W.shape, c.attrs);
    if (X.dtype === 'f32' && p.packed && planned.lists) return [runPacked(c, p.packed, planned.plan, planned.lists)];
    if (X.dtype === 'f32' && p.depthwise && depthwiseFits(p.depthwise, planned.plan) && (!B || B.dtype === 'f32')) return [runDepthwise(c, p.depthwise, planned.plan)];
    return [convCompute(planned.plan, X, W, B ?? undefined, call.alloc) as RtTensor];
  },
});
