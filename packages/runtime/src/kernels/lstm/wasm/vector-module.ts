import { locals, op, T, type WasmFunc } from './wasm-encoder.js';
import { VECTOR_BINARY, VECTOR_UNARY } from '../vector-kinds.js';

/**
 * Element-wise float32 operations, four floats at a time, for the element-wise kernels
 * (vector-kernels.ts). Byte addresses:
 *
 *   vadd, vsub, vmul, vdiv (x, xi, xr, y, yi, yr, o, rows, nv): for each of `rows` rows of nv
 *     vectors, o = x op y, o running on through the rows; an operand starts row r at its base plus
 *     r times its row step (xr, yr) and advances its inner step (xi, yi: 16, or 0 for one element
 *     splat over the row) per vector. So one call covers one shape (xi 16, xr 16 nv), a scalar
 *     (0, 0), a row repeated (16, 0) and one element per row (0, 4).
 *   vrelu, vsqrt, vneg, vabs (x, o, n):  o[v] = f(x[v]) over n vectors
 *
 * Each is IEEE float32 arithmetic, so its results are the bits of the op's reference evaluation,
 * which computes in float64 and rounds: for +, -, *, / and sqrt of float32 operands that double
 * rounding is innocuous (53 >= 2 * 24 + 2 bits). Relu is pmax(0, x): 0 for NaN and -0, as the
 * reference's `x > 0 ? x : 0`.
 */
const binary = (name: string, code: number[]): WasmFunc => {
  const [X, XI, XR, Y, YI, YR, O, ROWS, NV] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const L = locals(9);
  const [r, xp, yp, oEnd] = L.many(4, T.i32);
  const [xv, yv] = L.many(2, T.v128);
  /** The row's vectors with x (and y) loaded, or splat once before the loop where its inner step is 0. */
  const row = (xConst: boolean, yConst: boolean): number[][] => [
    op.loop,
    op.get(O), ...(xConst ? [op.get(xv)] : [op.get(xp), op.v128Load(0)]), ...(yConst ? [op.get(yv)] : [op.get(yp), op.v128Load(0)]), code, op.v128Store(0),
    ...(xConst ? [] : [op.get(xp), op.i32(16), op.add, op.set(xp)]),
    ...(yConst ? [] : [op.get(yp), op.i32(16), op.add, op.set(yp)]),
    op.get(O), op.i32(16), op.add, op.tee(O), op.get(oEnd), op.ltU, op.brIf(0),
    op.end,
  ];
  return L.func(name, [
    op.block, op.get(ROWS), op.eqz, op.brIf(0), op.get(NV), op.eqz, op.brIf(0),
    op.i32(0), op.set(r),
    op.loop,
    op.get(X), op.set(xp), op.get(Y), op.set(yp),
    op.get(X), op.load32Splat(0), op.set(xv),
    op.get(Y), op.load32Splat(0), op.set(yv),
    op.get(O), op.get(NV), op.i32(4), op.shl, op.add, op.set(oEnd),
    op.get(XI), op.if,
    op.get(YI), op.if, ...row(false, false), op.else, ...row(false, true), op.end,
    op.else,
    op.get(YI), op.if, ...row(true, false), op.else, ...row(true, true), op.end,
    op.end,
    op.get(X), op.get(XR), op.add, op.set(X),
    op.get(Y), op.get(YR), op.add, op.set(Y),
    op.get(r), op.i32(1), op.add, op.tee(r), op.get(ROWS), op.ltU, op.brIf(0),
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
