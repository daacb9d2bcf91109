import { op, T, type WasmFunc } from './wasm-encoder.js';

/**
 * cell4(row, peep, c, h, groups, flags, clip): the LSTM cell update with the default activations
 * (f = Sigmoid, g = h = Tanh) for `groups` groups of four hidden units, in f32x4 across units.
 * row: the step's pre-activation quads (i, o, f, c) of each unit; peep: the peephole quads (pi, po, pf, 0);
 * c: cell state (in: c_{t-1}, out: c_t); h: out h_t. flags: bit 0 peepholes, bit 1 input_forget.
 * clip: the clip threshold (Infinity for none), applied to the four gate pre-activations.
 *
 * tanh is x times a rational function of x^2 (tanhOfStack below) and sigmoid(x) = tanh(x/2)/2 + 1/2;
 * absolute error at most 3.0e-7, NaN propagates. The polynomials' steps, the peepholes and c_t = f*c + i*tanh(g)
 * are multiply-add sites (op.mulAdd), fused in the relaxed module (relaxed-simd.ts).
 */

// params: 0 row, 1 peep, 2 c, 3 h, 4 groups, 5 flags (i32), 6 clip (f32)
// v128 locals: 7..10 r0..r3, 11..14 t0..t3, 15 I, 16 O, 17 F, 18 G, 19 Cp, 20 Cn, 21 PI, 22 PO, 23 PF,
//              24 CLIP, 25 NCLIP, 26 x (tanh's clamped input), 27 n (its square), 28 spare
const [R0, R1, R2, R3, T0, T1, T2, T3, I, O, F, G, CP, CN, PI, PO, PF, CLIP, NCLIP, X, N] = Array.from({ length: 21 }, (_v, i) => 7 + i) as number[];
// i32 local 29: 1 when clip is finite (the clamps run), 0 for Infinity (no clip attribute)
const DOCLIP = 29;

/** Loads four quads at ptr and transposes them into four lane-per-unit vectors. */
const transpose = (ptr: number, into: readonly number[]) => [
  ...[R0, R1, R2, R3].flatMap((r, u) => [...op.get(ptr), ...op.v128Load(16 * u), ...op.set(r)]),
  ...op.get(R0!), ...op.get(R1!), ...op.shuffle32([0, 4, 1, 5]), ...op.set(T0!),
  ...op.get(R2!), ...op.get(R3!), ...op.shuffle32([0, 4, 1, 5]), ...op.set(T1!),
  ...op.get(R0!), ...op.get(R1!), ...op.shuffle32([2, 6, 3, 7]), ...op.set(T2!),
  ...op.get(R2!), ...op.get(R3!), ...op.shuffle32([2, 6, 3, 7]), ...op.set(T3!),
  ...op.get(T0!), ...op.get(T1!), ...op.shuffle32([0, 1, 4, 5]), ...op.set(into[0]!),
  ...op.get(T0!), ...op.get(T1!), ...op.shuffle32([2, 3, 6, 7]), ...op.set(into[1]!),
  ...op.get(T2!), ...op.get(T3!), ...op.shuffle32([0, 1, 4, 5]), ...op.set(into[2]!),
  ...(into[3] !== undefined ? [...op.get(T2!), ...op.get(T3!), ...op.shuffle32([2, 3, 6, 7]), ...op.set(into[3])] : []),
];

/** v = clamp(v, -clip, clip), only when clip is finite (local DOCLIP); pmax/pmin keep a NaN. */
const clip = (v: number) => [
  ...op.get(DOCLIP), ...op.if, ...op.get(v), ...op.get(NCLIP!), ...op.f32x4Pmax, ...op.get(CLIP!), ...op.f32x4Pmin, ...op.set(v), ...op.end,
];

/**
 * tanh(x) ~ x P(x^2) / Q(x^2) on x clamped to [-9, 9] (|tanh| > 1 - 3e-8 beyond): P of degree 6 and
 * Q of degree 3 in x^2, P(0) = Q(0) = 1, a near-minimax rational fit made by
 * tools/scripts/fit-tanh.mjs (float64 error 6.5e-9; evaluated in f32 as here, 3.0e-7 absolute for
 * tanh and 1.6e-7 for sigmoid; the exp-based scheme it replaced had 1.8e-7 and 8.9e-8, at a third
 * more instructions). Horner's steps are multiply-add sites (op.mulAdd), fused in the
 * relaxed module. Fourteen operations, no exponent-bit arithmetic: fewer than exp and a division.
 */
const TANH_P = [1, 0.1308353692293167, 0.003103431314229965, 0.000011148987141496036, -2.0204822703817626e-8, 5.2688124696498306e-11, -8.467043662334015e-14];
const TANH_Q = [1, 0.46416863799095154, 0.024493075907230377, 0.00025453901616856456];
const TANH_CLAMP = 9;
/** v128 locals 34..: P's coefficients below the leading one (Horner order), 1 (P(0) = Q(0)), Q's, and 0.5. */
const PK = [34, 35, 36, 37, 38];
const ONE = 39;
const QK = [40, 41];
const HALF = 42;
const CONSTANT_LOCALS: readonly (readonly [number, number])[] = [
  ...PK.map((k, i) => [k, TANH_P[5 - i]!] as const),
  [ONE, 1],
  ...QK.map((k, i) => [k, TANH_Q[2 - i]!] as const),
  [HALF, 0.5],
];

/** tanh of the value on the stack, left on the stack (uses X, N). */
const tanhOfStack = [
  // clamp; pmax/pmin (one instruction each) keep a NaN as min/max would
  ...op.f32x4Const(-TANH_CLAMP), ...op.f32x4Pmax, ...op.f32x4Const(TANH_CLAMP), ...op.f32x4Pmin, ...op.set(X!),
  ...op.get(X!), ...op.get(X!), ...op.f32x4Mul, ...op.set(N!),
  ...op.f32x4Const(TANH_P[6]!), ...[...PK, ONE].flatMap((k) => [...op.get(N!), ...op.mulAdd(k)]),
  ...op.get(X!), ...op.f32x4Mul,
  ...op.f32x4Const(TANH_Q[3]!), ...[...QK, ONE].flatMap((k) => [...op.get(N!), ...op.mulAdd(k)]),
  ...op.f32x4Div,
];

/** v = sigmoid(v) = tanh(v / 2) / 2 + 1/2 */
const sigmoid = (v: number) => [
  ...op.get(v), ...op.get(HALF), ...op.f32x4Mul, ...tanhOfStack, ...op.get(HALF), ...op.mulAdd(HALF), ...op.set(v),
];

/** tanh of local v, left on the stack */
const tanh = (v: number) => [...op.get(v), ...tanhOfStack];

// i32 locals 30..32: the row, c and h pointers at entry (for the second pass); 33: groups at entry
const [ROW0, C0, H0, N0] = [30, 31, 32, 33];

/** The loop over groups: body, then row/peep/c/h advance and the group count down to 0 (params 0..4). */
const groupLoop = (body: number[][], peep = true) => [
  op.block, op.get(4), op.eqz, op.brIf(0),
  op.loop,
  ...body,
  op.get(0), op.i32(64), op.add, op.set(0),
  ...(peep ? [op.get(1), op.i32(64), op.add, op.set(1)] : []),
  op.get(2), op.i32(16), op.add, op.set(2),
  op.get(3), op.i32(16), op.add, op.set(3),
  op.get(4), op.i32(1), op.sub, op.tee(4), op.brIf(0),
  op.end, op.end,
];

/** The four gates' activations of a group, from I, O, F, G (clipped; F from I under input_forget). */
const gates = [
  clip(I!), clip(G!),
  sigmoid(I!),
  op.get(5), op.i32(2), op.and, op.if,
  op.f32x4Const(1), op.get(I!), op.f32x4Sub, op.set(F!),
  op.else,
  clip(F!), sigmoid(F!),
  op.end,
];

export const cell4: WasmFunc = {
  name: 'cell4',
  params: [T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.f32],
  locals: [[22, T.v128], [5, T.i32], [CONSTANT_LOCALS.length, T.v128]],
  body: [
    ...CONSTANT_LOCALS.map(([k, v]) => [...op.f32x4Const(v), ...op.set(k)]),
    op.get(6), op.f32Const(Infinity), op.f32Ne, op.set(DOCLIP),
    op.get(6), op.f32x4Splat, op.set(CLIP!),
    op.get(CLIP!), op.f32x4Neg, op.set(NCLIP!),
    op.get(5), op.i32(1), op.and, op.if,
    // peepholes: i and f read c_{t-1}, o reads c_t, so each group is done in one go
    ...groupLoop([
      transpose(0, [I!, O!, F!, G!]),
      op.get(2), op.v128Load(0), op.set(CP!),
      transpose(1, [PI!, PO!, PF!]),
      op.get(PI!), op.get(CP!), op.mulAdd(I!), op.set(I!),
      op.get(PF!), op.get(CP!), op.mulAdd(F!), op.set(F!),
      ...gates,
      // c_t = f * c_{t-1} + i * tanh(g)
      op.get(I!), tanh(G!), op.f32x4Mul, op.set(T0!),
      op.get(F!), op.get(CP!), op.mulAdd(T0!), op.set(CN!),
      op.get(2), op.get(CN!), op.v128Store(0),
      op.get(PO!), op.get(CN!), op.mulAdd(O!), op.set(O!),
      clip(O!), sigmoid(O!),
      // h_t = o * tanh(c_t)
      op.get(3), op.get(O!), tanh(CN!), op.f32x4Mul, op.v128Store(0),
    ]),
    op.else,
    // no peepholes, two passes with short independent iterations (the out-of-order core overlaps
    // groups instead of waiting on one group's chain of activations): first every group's f, i*tanh(g)
    // and o into its row (lanes per unit), then c_t = f*c + i*tanh(g) and h_t = o*tanh(c_t). The same
    // operations on the same values as one pass, so the same bits.
    op.get(0), op.set(ROW0), op.get(2), op.set(C0), op.get(3), op.set(H0), op.get(4), op.set(N0),
    ...groupLoop([
      transpose(0, [I!, O!, F!, G!]),
      ...gates,
      clip(O!), sigmoid(O!),
      op.get(0), op.get(F!), op.v128Store(0),
      op.get(0), op.get(I!), tanh(G!), op.f32x4Mul, op.v128Store(16),
      op.get(0), op.get(O!), op.v128Store(32),
    ], false),
    op.get(ROW0), op.set(0), op.get(C0), op.set(2), op.get(H0), op.set(3), op.get(N0), op.set(4),
    ...groupLoop([
      op.get(0), op.v128Load(16), op.set(T0!),
      op.get(0), op.v128Load(0), op.get(2), op.v128Load(0), op.mulAdd(T0!), op.set(CN!),
      op.get(2), op.get(CN!), op.v128Store(0),
      op.get(3), op.get(0), op.v128Load(32), tanh(CN!), op.f32x4Mul, op.v128Store(0),
    ], false),
    op.end,
  ],
};
