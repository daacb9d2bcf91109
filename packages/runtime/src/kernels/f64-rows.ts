/**
 * Constant float32 weight rows on the WebAssembly matvec engine with float64 sums (mvd1,
 * lstm/wasm/f64-sum-module.ts), the product the Conv and Gemm/MatMul kernels share: `groups` groups
 * of `rows` rows of K weights, each group's rows four to a unit (an LSTM unit's four gate lanes,
 * lstm/pack.ts packedIndex) and widened to float64. A product of one input vector, widened to
 * float64 into the engine's scratch, adds W x to its output row in float64 and rounds once:
 *   out[r] = f32(f64(out[r]) + sum over k of w[r][k] * x[k])
 * only the order of the additions differs from the op table's reference evaluations (float64 sums
 * rounded once), so results are their float32 value or next to it.
 */
import { packedIndex } from './lstm/pack.js';
import { createMatvecEngine, type MatvecEngine } from './lstm/matvec-engine.js';
import type { KernelEnv } from './kernel.js';

export interface F64Rows {
  readonly engine: MatvecEngine;
  readonly rows: number;
  readonly K: number;
  /** Units per group (ceil(rows / 4)), k-quads per unit (ceil(K / 4)) and floats of engine memory per unit (two per float64). */
  readonly units: number;
  readonly Kq: number;
  readonly ws: number;
}

/**
 * The weights w(g, r, k) in an engine, group g's units at float offset g * units * ws; undefined
 * where the engine would not be WebAssembly SIMD (`matvec: 'js'`, or a host without it), whose
 * reference evaluation is the better JS path.
 */
export function packF64Rows(groups: number, rows: number, K: number, w: (g: number, r: number, k: number) => number, env: KernelEnv): F64Rows | undefined {
  if (env.matvec === 'js' || rows < 1 || K < 1) return undefined;
  const units = Math.ceil(rows / 4);
  const Kq = Math.ceil(K / 4);
  const ws = 32 * Kq;
  const packed = new Float64Array((groups * units * ws) / 2);
  for (let g = 0; g < groups; g++) {
    const base = (g * units * ws) / 2;
    for (let r = 0; r < rows; r++) for (let k = 0; k < K; k++) packed[base + packedIndex(r >> 2, k, r & 3, K)] = w(g, r, k);
  }
  const engine = createMatvecEngine(new Float32Array(packed.buffer), env.matvec);
  return engine.kind === 'wasm-simd' ? { engine, rows, K, units, Kq, ws } : undefined;
}

/** Floats of engine memory of one input vector (4 * Kq float64) and of one output row (4 * units float32). */
export const f64Column = (p: F64Rows): number => 8 * p.Kq;
export const f64OutRow = (p: F64Rows): number => 4 * p.units;

/** The float64 view of the engine memory that input vectors are widened into (at float offset off: index off / 2). */
export const f64View = (p: F64Rows): Float64Array => new Float64Array(p.engine.mem.buffer, p.engine.mem.byteOffset, p.engine.mem.length >> 1);

/** out row at float offset outOff += group g's W times the float64 vector at float offset colOff (both in the engine's scratch). */
export function f64Product(p: F64Rows, g: number, colOff: number, outOff: number): void {
  p.engine.mvd1(g * p.units * p.ws, colOff, outOff, p.units, p.Kq, p.ws);
}
