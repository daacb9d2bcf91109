/**
 * Test-only: the single-op cases that kernels-ort.test.ts runs on onnxruntime-node and on the
 * runtime, and seeded random inputs for them.
 */
import { Rng } from '@lstmc/testing';
import type { RtDType, RtTensor } from '../../src/index.js';
import type { OnnxAttr } from './onnx-builder.js';

export interface OpCase {
  name: string;
  op: string;
  /** null: an omitted optional input (an empty name in the ONNX node). */
  inputs: (RtTensor | null)[];
  attrs?: Record<string, OnnxAttr>;
  /** Element types of the outputs, one per output (default: one output of input 0's type). */
  outputs?: RtDType[];
  opset?: number;
  /** Inputs the runtime model holds as constants (onnxruntime still gets them as inputs): kernels that prepare constants at load. */
  constInputs?: number[];
}

/** Random inputs from one seeded generator (cases are built in a fixed order, so they reproduce). */
export class Inputs {
  readonly rng: Rng;
  constructor(seed: number) {
    this.rng = new Rng(seed);
  }
  /** f32 uniform in [lo, hi). */
  f(shape: number[], lo = -3, hi = 3): RtTensor {
    return { dtype: 'f32', shape, data: this.rng.f32(shape.reduce((a, b) => a * b, 1), lo, hi) };
  }
  /** f32 of small integers in [lo, hi]: ties for comparisons, exact powers. */
  fInts(shape: number[], lo: number, hi: number): RtTensor {
    return { dtype: 'f32', shape, data: Float32Array.from(this.ints(count(shape), lo, hi)) };
  }
  ints(n: number, lo: number, hi: number): number[] {
    return Array.from({ length: n }, () => this.rng.int(lo, hi));
  }
  nonZero(n: number): number[] {
    return this.ints(n, 1, 9).map((v) => (this.rng.bool() ? -v : v));
  }
  i64r(shape: number[], lo = -9, hi = 9): RtTensor {
    return i64(shape, this.ints(count(shape), lo, hi));
  }
  i32r(shape: number[], lo = -9, hi = 9): RtTensor {
    return i32(shape, this.ints(count(shape), lo, hi));
  }
  boolr(shape: number[]): RtTensor {
    return b8(shape, this.ints(count(shape), 0, 1));
  }
}

function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export const i64 = (shape: number[], v: number[]): RtTensor => ({ dtype: 'i64', shape, data: BigInt64Array.from(v, (x) => BigInt(x)) });
export const i32 = (shape: number[], v: number[]): RtTensor => ({ dtype: 'i32', shape, data: Int32Array.from(v) });
export const b8 = (shape: number[], v: number[]): RtTensor => ({ dtype: 'bool', shape, data: Uint8Array.from(v) });
export const f32 = (shape: number[], v: number[]): RtTensor => ({ dtype: 'f32', shape, data: Float32Array.from(v) });
/** A scalar or 1-element f32 (Clip bounds, Pad constant values, Range operands). */
export const scalar = (v: number, dtype: RtDType = 'f32'): RtTensor =>
  dtype === 'i64' ? i64([], [v]) : dtype === 'i32' ? i32([], [v]) : f32([], [v]);
