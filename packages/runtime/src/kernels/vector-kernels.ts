/**
 * The runtime's kernels of element-wise float32 ops on WebAssembly SIMD: Add, Sub, Mul, Div, Pow
 * with an exponent of 2, Relu, Sqrt, Neg, Abs and Log (logKernel below). Each is the op's kernel (opKernel: attributes,
 * load-time check, reference evaluation) whose float32 tensors of at least VECTOR_MIN elements, with
 * operands of the output's shape, of one element, or broadcast along the last dim or over the
 * leading ones (rows of whole vectors: LayerNorm's x - mean and x * gamma), go through the model's vector engine
 * (vector-engine.ts, wasm/vector-module.ts): the operands into its scratch, four floats per
 * operation, the result out. IEEE float32 arithmetic gives the reference's bits (it computes in
 * float64 and rounds: innocuous for +, -, *, / and sqrt of float32 operands), so only the time
 * changes. A JS loop over typed arrays costs 1.5-3 ns per float on V8 (Silero VAD v4's Adds of 1,032
 * floats took 3.3 us each); other broadcasts (along a middle axis, or rows off a multiple of four), dtypes, small tensors,
 * `matvec: 'js'` and hosts without WebAssembly SIMD run the reference.
 */
import { Abs, Add, Div, Log, Mul, Neg, Pow, Relu, Sqrt, Sub } from '@lstmc/ops/defs';
import { broadcastShapesOrUndefined, numel, type OpDef } from '@lstmc/ops';
import type { RtTensor } from '../tensor.js';
import { VECTOR_BINARY, VECTOR_UNARY } from './lstm/vector-kinds.js';
import { align4 } from './lstm/matvec-engine.js';
import { type AnyKernel, defineKernel, outputF32, type KernelCall } from './kernel.js';
import { opKernel } from './op-kernel.js';
import { vectorEngine, type VectorEngine } from './vector-engine.js';

/** Below this many elements the reference's loop is as fast as copying the operands in and out. */
export const VECTOR_MIN = 64;


/** How vbin reads one operand: inner and row steps in floats (wasm/vector-module.ts). */
type Steps = readonly [number, number];

/**
 * The steps of an operand of `shape` over `rows` output rows of F floats (the output's last dim):
 * its one element (0, 0), the output's shape (4, F), a row repeated (4, 0: only its last dim, F), or
 * one element per row (0, 1: the output's leading dims, a last dim of 1); undefined for any other
 * broadcast.
 */
function operandSteps(shape: readonly number[], out: readonly number[], F: number): Steps | undefined {
  if (numel(shape) === 1) return [0, 0];
  const r = out.length;
  if (shape.length > r) return undefined;
  const dims = [...new Array<number>(r - shape.length).fill(1), ...shape];
  if (dims.every((d, i) => d === out[i])) return [4, F];
  const lead = dims.slice(0, r - 1);
  if (dims[r - 1] === F && lead.every((d) => d === 1)) return [4, 0];
  if (dims[r - 1] === 1 && lead.every((d, i) => d === out[i])) return [0, 1];
  return undefined;
}

/** A binary op's call on the engine: the output shape, rows of nv vectors, and each operand's steps; undefined where vbin cannot read it. */
interface BinaryPlan {
  readonly shape: readonly number[];
  readonly rows: number;
  readonly nv: number;
  readonly a: Steps;
  readonly b: Steps;
}

function binaryPlan(A: RtTensor, B: RtTensor): BinaryPlan | undefined {
  const shape = broadcastShapesOrUndefined([A.shape, B.shape]);
  if (!shape) return undefined;
  const n = numel(shape);
  if (n < VECTOR_MIN) return undefined;
  // The output's shape (as many elements: broadcasting only repeats) or one element: one row of
  // every element, a tail past the last vector.
  const flat = (t: RtTensor): Steps | undefined => (t.data.length === 1 ? [0, 0] : t.data.length === n ? [4, 0] : undefined);
  const [fa, fb] = [flat(A), flat(B)];
  if (fa && fb) return { shape, rows: 1, nv: Math.ceil(n / 4), a: fa, b: fb };
  // Broadcast along the last dim or over the leading ones: rows of whole vectors.
  const F = shape[shape.length - 1]!;
  if (F % 4 !== 0) return undefined;
  const [a, b] = [operandSteps(A.shape, shape, F), operandSteps(B.shape, shape, F)];
  return a && b ? { shape, rows: n / F, nv: F / 4, a, b } : undefined;
}

/** x op y on the engine (binary `kind` of VECTOR_BINARY) by its plan. */
function runBinary(call: KernelCall<unknown>, e: VectorEngine, kind: number, A: RtTensor, B: RtTensor, p: BinaryPlan): RtTensor {
  const n = numel(p.shape);
  const [na, nb] = [align4(A.data.length), align4(B.data.length)];
  e.scratch(na + nb + 4 * p.nv * p.rows);
  const m = e.mem;
  const [xOff, yOff, oOff] = [e.scratchOff, e.scratchOff + na, e.scratchOff + na + nb];
  m.set(A.data as Float32Array, xOff);
  m.set(B.data as Float32Array, yOff);
  e.vbin(kind, xOff, p.a[0], p.a[1], yOff, p.b[0], p.b[1], oOff, p.rows, p.nv);
  const y = outputF32(call, n);
  y.set(m.subarray(oOff, oOff + n));
  return { dtype: 'f32', shape: p.shape, data: y };
}

/** The op's kernel with `path` on the model's vector engine, the reference wherever `path` does not apply (undefined). */
function engineKernel(name: string, def: OpDef, path: (call: KernelCall<unknown>, e: VectorEngine) => RtTensor | undefined): AnyKernel {
  const reference = opKernel(name, def);
  return defineKernel({
    ...reference,
    prepare: (_attrs, _consts, env) => vectorEngine(env),
    run: (call) => {
      const e = call.prepared as VectorEngine | undefined;
      const y = e && path(call, e);
      return y ? [y] : reference.run(call);
    },
  });
}

/** A binary op's kernel: the engine for float32 operands of at least VECTOR_MIN elements by binaryPlan (with `square`, x times itself). */
function binaryKernel(name: string, def: OpDef, kind: number, applies: (B: RtTensor) => boolean = () => true, square = false): AnyKernel {
  return engineKernel(name, def, (call, e) => {
    const [A, B] = call.inputs;
    if (!A || !B || A.dtype !== 'f32' || B.dtype !== 'f32' || !applies(B)) return undefined;
    // x^2: x times x, where the exponent does not raise the rank
    const plan = square ? (B.shape.length <= A.shape.length ? binaryPlan(A, A) : undefined) : binaryPlan(A, B);
    return plan && runBinary(call, e, kind, A, square ? A : B, plan);
  });
}

/** A unary op's kernel: `apply` (o = f(x) over nv vectors) on the engine for float32 tensors of at least `min` elements. */
function unaryKernel(name: string, def: OpDef, apply: (e: VectorEngine, x: number, o: number, nv: number) => void, min = VECTOR_MIN): AnyKernel {
  return engineKernel(name, def, (call, e) => {
    const X = call.inputs[0];
    if (!X || X.dtype !== 'f32' || X.data.length < min) return undefined;
    const n = X.data.length;
    const nv = Math.ceil(n / 4);
    e.scratch(8 * nv);
    const m = e.mem;
    const [xOff, oOff] = [e.scratchOff, e.scratchOff + 4 * nv];
    m.set(X.data as Float32Array, xOff);
    apply(e, xOff, oOff, nv);
    const y = outputF32(call, n);
    y.set(m.subarray(oOff, oOff + n));
    return { dtype: 'f32', shape: X.shape, data: y };
  });
}

const bin = (op: (typeof VECTOR_BINARY)[number]): number => VECTOR_BINARY.indexOf(op);
const un = (op: (typeof VECTOR_UNARY)[number]) => {
  const kind = VECTOR_UNARY.indexOf(op);
  return (e: VectorEngine, x: number, o: number, nv: number): void => e.vun(kind, x, o, nv);
};

export const addKernel: AnyKernel = /* @__PURE__ */ binaryKernel('Add', Add, bin('add'));
export const subKernel: AnyKernel = /* @__PURE__ */ binaryKernel('Sub', Sub, bin('sub'));
export const mulKernel: AnyKernel = /* @__PURE__ */ binaryKernel('Mul', Mul, bin('mul'));
export const divKernel: AnyKernel = /* @__PURE__ */ binaryKernel('Div', Div, bin('div'));
/** Pow with a float32 exponent of the single value 2: x * x, as the reference's square. */
export const powKernel: AnyKernel = /* @__PURE__ */ binaryKernel('Pow', Pow, bin('mul'), (B) => B.data.length === 1 && B.data[0] === 2, true);
export const reluKernel: AnyKernel = /* @__PURE__ */ unaryKernel('Relu', Relu, un('relu'));
export const sqrtKernel: AnyKernel = /* @__PURE__ */ unaryKernel('Sqrt', Sqrt, un('sqrt'));
export const negKernel: AnyKernel = /* @__PURE__ */ unaryKernel('Neg', Neg, un('neg'));
export const absKernel: AnyKernel = /* @__PURE__ */ unaryKernel('Abs', Abs, un('abs'));
/**
 * Log on logv (lstm/wasm/log-module.ts: Cephes' logf, within 1 ulp of the correctly rounded
 * logarithm; onnxruntime's CPU Log is Eigen's vectorized form of the same approximation) at any
 * length: Math.log, which the reference rounds, costs 8-9 ns per float on V8 (Silero VAD v4's
 * log-spectrum of 1,032 floats took 0.010 ms of a 0.2 ms frame).
 */
export const logKernel: AnyKernel = /* @__PURE__ */ unaryKernel('Log', Log, (e, x, o, nv) => e.logv(x, o, nv), 0);
