/**
 * The Conv kernel's path for depthwise 1-D convolutions of stride 1 (one input and one output
 * channel per group, as Silero VAD v4's front end has: 258 channels, five taps), on the WebAssembly
 * engine's dwc (lstm/wasm/depthwise-module.ts): each channel copied into a row whose padding stays
 * zero, four output positions per vector, each output the float32 sum of its taps in order from
 * zero, the bias added last (the order of each group's own GEMM of K = kT taps). The reference
 * evaluation took 3 ns per multiply-add there, in JS; groups of four or more channels take the
 * packed path of conv-kernel.ts instead.
 */
import type { ConvPlan } from '@lstmc/ops/defs';
import type { RtTensor } from '../tensor.js';
import { align4, simdEngine, type MatvecEngine, type SimdKernels } from './lstm/matvec-engine.js';
import { outputF32, type KernelCall, type KernelEnv } from './kernel.js';

export interface DepthwiseWeights {
  readonly engine: MatvecEngine & SimdKernels;
  /** Channels and taps. */
  readonly C: number;
  readonly kT: number;
}

/** W [C, 1, kT] float32, a constant, with group = C, into an engine; undefined otherwise, or where the engine would not be WebAssembly SIMD. */
export function packDepthwise(group: number, W: RtTensor | null | undefined, env: KernelEnv): DepthwiseWeights | undefined {
  if (!W || W.dtype !== 'f32' || W.shape.length !== 3 || env.matvec === 'js') return undefined;
  const [C, CG, kT] = W.shape as [number, number, number];
  if (CG !== 1 || C !== group || C < 1 || kT < 1) return undefined;
  const engine = simdEngine(Float32Array.from(W.data as Float32Array), env.matvec);
  return engine && { engine, C, kT };
}

/** Whether a plan is one this path runs: its weights' shape, one spatial dim, stride 1. */
export const depthwiseFits = (d: DepthwiseWeights, plan: ConvPlan): boolean =>
  plan.outS.length === 1 && plan.strides[0] === 1 && plan.C === d.C && plan.M === d.C && plan.CG === 1 && plan.kSp === d.kT;

/** The Conv on a plan that depthwiseFits: y [N, C, outSp]. */
export function runDepthwise(call: KernelCall<unknown>, d: DepthwiseWeights, plan: ConvPlan): RtTensor {
  const X = call.inputs[0]!;
  const B = call.inputs[2];
  const { N, C, inSp: L, outSp } = plan;
  const { kT, engine: e } = d;
  const dil = plan.dilations[0]!;
  const padB = plan.padsBegin[0]!;
  const nv = Math.ceil(outSp / 4);
  // The padded row: padB zeros, a channel, zeros to the farthest read of the last vector. The output
  // rows are outSp apart: a row's last vector spills into the next row, which overwrites it after.
  const rowLen = align4(Math.max(padB + L, 4 * nv + (kT - 1) * dil));
  const bOff = e.scratchOff;
  const xOff = bOff + align4(C);
  const rowOff = xOff + align4(C * L);
  const oOff = rowOff + rowLen;
  e.scratch(oOff + align4(C * outSp + 4) - bOff);
  const m = e.mem;
  if (B) m.set(B.data as Float32Array, bOff);
  else m.fill(0, bOff, bOff + C);
  m.fill(0, rowOff, oOff);
  const x = X.data as Float32Array;
  const y = outputF32(call, N * C * outSp);
  for (let b = 0; b < N; b++) {
    m.set(x.subarray(b * C * L, (b + 1) * C * L), xOff);
    e.dwc(0, bOff, xOff, oOff, C, kT, dil, L, rowOff, padB, nv, outSp);
    y.set(m.subarray(oOff, oOff + C * outSp), b * C * outSp);
  }
  return { dtype: 'f32', shape: [N, C, ...plan.outS], data: y };
}
