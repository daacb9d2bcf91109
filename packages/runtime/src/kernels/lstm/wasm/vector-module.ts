import { locals, op, type WasmFunc } from './wasm-encoder.js';
import { VECTOR_BINARY, VECTOR_UNARY } from '../vector-kinds.js';

/**
 * Element-wise float32 operations, four floats at a time, for the element-wise kernels
 * (vector-kernels.ts). Byte addresses; n vectors:
 *
 *   vadd, vsub, vmul, vdiv (x, xs, y, ys, o, n):  o[v] = x[v] op y[v], x advancing xs bytes and y ys
 *     bytes per vector (16, or 0 for a scalar the caller wrote four times)
 *   vrelu, vsqrt, vneg, vabs (x, o, n):  o[v] = f(x[v])
 *
 * Each is IEEE float32 arithmetic, so its results are the bits of the op's reference evaluation,
 * which computes in float64 and rounds: for +, -, *, / and sqrt of float32 operands that double
 * rounding is innocuous (53 >= 2 * 24 + 2 bits). Relu is pmax(0, x): 0 for NaN and -0, as the
 * reference's `x > 0 ? x : 0`.
 */
const binary = (name: string, code: number[]): WasmFunc => {
  const [X, XS, Y, YS, O, N] = [0, 1, 2, 3, 4, 5];
  const L = locals(6);
  const end = L.i32();
  return L.func(name, [
    op.block, op.get(N), op.eqz, op.brIf(0),
    op.get(O), op.get(N), op.i32(4), op.shl, op.add, op.set(end),
    op.loop,
    op.get(O), op.get(X), op.v128Load(0), op.get(Y), op.v128Load(0), code, op.v128Store(0),
    op.get(X), op.get(XS), op.add, op.set(X),
    op.get(Y), op.get(YS), op.add, op.set(Y),
    op.get(O), op.i32(16), op.add, op.tee(O), op.get(end), op.ltU, op.brIf(0),
    op.end, op.end,
  ]);
};

const unary = (name: string, f: (x: number[]) => number[][]): WasmFunc => {
  const [X, O, N] = [0, 1, 2];
  const L = locals(3);
  const end = L.i32();
  return L.func(name, [
    op.block, op.get(N), op.eqz, op.brIf(0),
    op.get(O), op.get(N), op.i32(4), op.shl, op.add, op.set(end),
    op.loop,
    op.get(O), ...f([...op.get(X), ...op.v128Load(0)]), op.v128Store(0),
    op.get(X), op.i32(16), op.add, op.set(X),
    op.get(O), op.i32(16), op.add, op.tee(O), op.get(end), op.ltU, op.brIf(0),
    op.end, op.end,
  ]);
};

const BINARY: Record<(typeof VECTOR_BINARY)[number], number[]> = { add: op.f32x4Add, sub: op.f32x4Sub, mul: op.f32x4Mul, div: op.f32x4Div };
const UNARY: Record<(typeof VECTOR_UNARY)[number], (x: number[]) => number[][]> = {
  relu: (x) => [op.v128Zero, x, op.f32x4Pmax],
  sqrt: (x) => [x, op.f32x4Sqrt],
  neg: (x) => [x, op.f32x4Neg],
  abs: (x) => [x, op.f32x4Abs],
};

/** vadd, vsub, ... in the order of vector-kinds.ts (the engine's `kind` index). */
export const VECTOR_FUNCS: WasmFunc[] = [...VECTOR_BINARY.map((k) => binary(`v${k}`, BINARY[k])), ...VECTOR_UNARY.map((k) => unary(`v${k}`, UNARY[k]))];
