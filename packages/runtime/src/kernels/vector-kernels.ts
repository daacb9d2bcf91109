/**
 * The runtime's kernels of element-wise float32 ops on WebAssembly SIMD: Add, Sub, Mul, Div, Pow
 * with an exponent of 2, Relu, Sqrt, Neg and Abs. Each is the op's kernel (opKernel: attributes,
 * load-time check, reference evaluation) whose float32 tensors of at least VECTOR_MIN elements, with
 * operands of one shape or one of a single element, go through the model's vector engine
 * (vector-engine.ts, wasm/vector-module.ts): the operands into its scratch, four floats per
 * operation, the result out. IEEE float32 arithmetic gives the reference's bits (it computes in
 * float64 and rounds: innocuous for +, -, *, / and sqrt of float32 operands), so only the time
 * changes. A JS loop over typed arrays costs 1.5-3 ns per float on V8 (Silero VAD v4's Adds of 1,032
 * floats took 3.3 us each); other shapes (a broadcast along an axis), dtypes, small tensors,
 * `matvec: 'js'` and hosts without WebAssembly SIMD run the reference.
 */
import { Abs, Add, Div, Mul, Neg, Pow, Relu, Sqrt, Sub } from '@lstmc/ops/defs';
import type { OpDef } from '@lstmc/ops';
import type { RtTensor } from '../tensor.js';
import type { MatvecEngine } from './lstm/matvec-engine.js';
import { VECTOR_BINARY, VECTOR_UNARY } from './lstm/vector-kinds.js';
import { type AnyKernel, defineKernel, outputF32, type KernelCall } from './kernel.js';
import { opKernel } from './op-kernel.js';
import { vectorEngine } from './vector-engine.js';

/** Below this many elements the reference's loop is as fast as copying the operands in and out. */
export const VECTOR_MIN = 64;

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * An operand into scratch at float offset `at`: its floats, or a single element four times (the
 * kernel's stride is then 0). Returns the stride in floats per vector.
 */
function place(m: Float32Array, at: number, t: RtTensor, n: number): number {
  const d = t.data as Float32Array;
  if (d.length === 1 && n > 1) {
    m.fill(d[0]!, at, at + 4);
    return 0;
  }
  m.set(d, at);
  return 4;
}

/** The output shape where this kernel's engine path applies: one shape, or a single-element side of no higher rank; else undefined. */
function vectorShape(A: RtTensor, B: RtTensor): readonly number[] | undefined {
  if (sameShape(A.shape, B.shape)) return A.shape;
  if (B.data.length === 1 && B.shape.length <= A.shape.length) return A.shape;
  if (A.data.length === 1 && A.shape.length <= B.shape.length) return B.shape;
  return undefined;
}

/** x op y on the engine (binary `kind` of VECTOR_BINARY): both float32, shapes per vectorShape. */
function runBinary(call: KernelCall<unknown>, e: MatvecEngine, kind: number, A: RtTensor, B: RtTensor, shape: readonly number[]): RtTensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const nv = Math.ceil(n / 4);
  e.scratch(12 * nv);
  const m = e.mem;
  const [xOff, yOff, oOff] = [e.scratchOff, e.scratchOff + 4 * nv, e.scratchOff + 8 * nv];
  const xs = place(m, xOff, A, n);
  const ys = place(m, yOff, B, n);
  e.vbin(kind, xOff, xs, yOff, ys, oOff, nv);
  const y = outputF32(call, n);
  y.set(m.subarray(oOff, oOff + n));
  return { dtype: 'f32', shape, data: y };
}

/** The op's kernel with `path` on the model's vector engine, the reference wherever `path` does not apply (undefined). */
function engineKernel(name: string, def: OpDef, path: (call: KernelCall<unknown>, e: MatvecEngine) => RtTensor | undefined): AnyKernel {
  const reference = opKernel(name, def);
  return defineKernel({
    ...reference,
    prepare: (_attrs, _consts, env) => vectorEngine(env),
    run: (call) => {
      const e = call.prepared as MatvecEngine | undefined;
      const y = e && path(call, e);
      return y ? [y] : reference.run(call);
    },
  });
}

/** A binary op's kernel: the engine for float32 operands per vectorShape of at least VECTOR_MIN elements (with `square`, x times itself). */
function binaryKernel(name: string, def: OpDef, kind: number, applies: (B: RtTensor) => boolean = () => true, square = false): AnyKernel {
  return engineKernel(name, def, (call, e) => {
    const [A, B] = call.inputs;
    if (!A || !B || A.dtype !== 'f32' || B.dtype !== 'f32' || !applies(B)) return undefined;
    const shape = square ? (B.shape.length <= A.shape.length ? A.shape : undefined) : vectorShape(A, B);
    if (!shape || shape.reduce((p, d) => p * d, 1) < VECTOR_MIN) return undefined;
    return runBinary(call, e, kind, A, square ? A : B, shape);
  });
}

/** A unary op's kernel: the engine for float32 tensors of at least VECTOR_MIN elements. */
function unaryKernel(name: string, def: OpDef, kind: number): AnyKernel {
  return engineKernel(name, def, (call, e) => {
    const X = call.inputs[0];
    if (!X || X.dtype !== 'f32' || X.data.length < VECTOR_MIN) return undefined;
    const n = X.data.length;
    const nv = Math.ceil(n / 4);
    e.scratch(8 * nv);
    const m = e.mem;
    const [xOff, oOff] = [e.scratchOff, e.scratchOff + 4 * nv];
    m.set(X.data as Float32Array, xOff);
    e.vun(kind, xOff, oOff, nv);
    const y = outputF32(call, n);
    y.set(m.subarray(oOff, oOff + n));
    return { dtype: 'f32', shape: X.shape, data: y };
  });
}

const bin = (op: (typeof VECTOR_BINARY)[number]): number => VECTOR_BINARY.indexOf(op);
const un = (op: (typeof VECTOR_UNARY)[number]): number => VECTOR_UNARY.indexOf(op);

export const addKernel: AnyKernel = binaryKernel('Add', Add, bin('add'));
export const subKernel: AnyKernel = binaryKernel('Sub', Sub, bin('sub'));
export const mulKernel: AnyKernel = binaryKernel('Mul', Mul, bin('mul'));
export const divKernel: AnyKernel = binaryKernel('Div', Div, bin('div'));
/** Pow with a float32 exponent of the single value 2: x * x, as the reference's square. */
export const powKernel: AnyKernel = binaryKernel('Pow', Pow, bin('mul'), (B) => B.data.length === 1 && B.data[0] === 2, true);
export const reluKernel: AnyKernel = unaryKernel('Relu', Relu, un('relu'));
export const sqrtKernel: AnyKernel = unaryKernel('Sqrt', Sqrt, un('sqrt'));
export const negKernel: AnyKernel = unaryKernel('Neg', Neg, un('neg'));
export const absKernel: AnyKernel = unaryKernel('Abs', Abs, un('abs'));
