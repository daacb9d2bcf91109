/**
 * Constant float32 weight rows on the WebAssembly matvec engine with float32 sums in the order of k
 * (mvc, lstm/wasm/channel-sum-module.ts): `groups` groups of `rows` rows of K weights, each group's
 * rows four to a unit (one output channel per lane), units in quads. A product of n input columns (K
 * floats each, in the engine's scratch) adds W x to n output rows of 4 * units floats:
 *   out[p][r] = f32(out[p][r] + s),  s the float32 sum from zero of w[r][k] * x[p][k], k = 0, 1, ..., K-1
 * the order of an im2col convolution over a GEMM whose inner loop is k (onnxruntime's CPU Conv), with
 * the products fused into the sums where the engine is the relaxed one.
 */
import { simdEngine, type MatvecEngine, type SimdKernels } from './lstm/matvec-engine.js';
import type { KernelEnv } from './kernel.js';

export interface ChannelRows {
  readonly engine: MatvecEngine & SimdKernels;
  readonly rows: number;
  readonly K: number;
  /** Units per group: ceil(rows / 4). */
  readonly units: number;
}

/** Float offset of group g's weights. */
const groupOff = (p: ChannelRows, g: number): number => 4 * p.K * p.units * g;

/**
 * The weights w(g, r, k) in an engine; undefined where the engine would not be WebAssembly SIMD
 * (`matvec: 'js'`, or a host without it), whose reference evaluation is the better JS path.
 */
export function packChannelRows(groups: number, rows: number, K: number, w: (g: number, r: number, k: number) => number, env: KernelEnv): ChannelRows | undefined {
  if (env.matvec === 'js' || rows < 1 || K < 1) return undefined;
  const units = Math.ceil(rows / 4);
  const quads = units & ~3;
  const packed = new Float32Array(groups * units * 4 * K);
  for (let g = 0; g < groups; g++) {
    const base = 4 * K * units * g;
    for (let r = 0; r < rows; r++) {
      const u = r >> 2;
      const [at, step] = u < quads ? [base + 4 * K * (u & ~3) + 4 * (u & 3) + (r & 3), 16] : [base + 4 * K * u + (r & 3), 4];
      for (let k = 0; k < K; k++) packed[at + step * k] = w(g, r, k);
    }
  }
  const engine = simdEngine(packed, env.matvec);
  return engine && { engine, rows, K, units };
}

/** Floats of engine memory of one output row (4 * units). */
export const channelOutRow = (p: ChannelRows): number => 4 * p.units;

/** The n output rows at float offset outOff += group g's W times the n columns of K floats at colOff (both in the engine's scratch). */
export function channelProduct(p: ChannelRows, g: number, colOff: number, outOff: number, n: number): void {
  p.engine.mvc(groupOff(p, g), colOff, outOff, p.units, p.K, n);
}
