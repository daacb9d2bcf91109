import { transposedLane, transposeHalves } from './reduce.js';
import { locals, op, T, type WasmFunc } from './wasm-encoder.js';

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

/** The rational tanh's coefficients in x^2 (tanhOfStack below), as tools/scripts/fit-tanh.mjs prints them, and its clamp. */
const TANH_P = [1, 0.1308353692293167, 0.003103431314229965, 0.000011148987141496036, -2.0204822703817626e-8, 5.2688124696498306e-11, -8.467043662334015e-14];
const TANH_Q = [1, 0.46416863799095154, 0.024493075907230377, 0.00025453901616856456];
const TANH_CLAMP = 9;

export const cell4: WasmFunc = (() => {
  const [ROW, PEEP, C, H, GROUPS, FLAGS, CLIPV] = [0, 1, 2, 3, 4, 5, 6];
  const L = locals([T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.f32]);
  const R = L.many(4, T.v128); // a group's four quads as loaded
  const Tr = L.many(4, T.v128); // transpose scratch; T0 also c_t's i*tanh(g)
  const [I, O, F, G, CP, CN, PI, PO, PF] = L.many(9, T.v128);
  // The clip merged with the clamp of the activation that follows it (clipFor below): for the sigmoid
  // gates min(clip, 2 * TANH_CLAMP), for g min(clip, TANH_CLAMP), and their negatives.
  const [CLIPS, NCLIPS, CLIPT, NCLIPT] = L.many(4, T.v128);
  const X = L.v128(); // tanh's clamped input
  const N = L.v128(); // its square
  // the row, c and h pointers and the group count at entry (for the second pass)
  const [ROW0, C0, H0, N0] = L.many(4, T.i32);
  // P's coefficients below the leading one (Horner order), 1 (P(0) = Q(0)), Q's, and 0.5
  const PK = L.many(TANH_P.length - 2, T.v128);
  const ONE = L.v128();
  const QK = L.many(TANH_Q.length - 2, T.v128);
  const HALF = L.v128();
  const CONSTANT_LOCALS: readonly (readonly [number, number])[] = [
    ...PK.map((k, i) => [k, TANH_P[PK.length - i]!] as const),
    [ONE, 1],
    ...QK.map((k, i) => [k, TANH_Q[QK.length - i]!] as const),
    [HALF, 0.5],
  ];

  /** Loads four quads at local `ptr` and transposes them into four lane-per-unit vectors. */
  const transpose = (ptr: number, into: readonly number[]) => [
    ...R.flatMap((r, u) => [...op.get(ptr), ...op.v128Load(16 * u), ...op.set(r)]),
    ...transposeHalves(R, Tr),
    ...into.flatMap((v, l) => [...transposedLane(Tr, l), ...op.set(v)]),
  ];

  /**
   * v = clamp(v, -bound, bound) with the bound of the activation that follows (pmax/pmin keep a NaN):
   * the clip and the activation's own clamp of its tanh input in one. For tanh(g), clamping g to
   * min(clip, 9) and then not again is clamping to clip and then to 9; for a sigmoid, tanh(v / 2) with
   * v clamped to min(clip, 18) is the same (halving is exact), so the two tanh inputs need no clamp
   * (tanhOfStack's `clamped`): the same bits (bench-cell.mjs's checksums, and every output over inputs
   * up to 400 and clips around 9 and 18 compared with the two-clamp module), two operations fewer per gate.
   */
  const clipFor = (v: number, sig: boolean) => [
    ...op.get(v), ...op.get(sig ? NCLIPS : NCLIPT), ...op.f32x4Pmax, ...op.get(sig ? CLIPS : CLIPT), ...op.f32x4Pmin, ...op.set(v),
  ];

  /**
   * tanh(x) ~ x P(x^2) / Q(x^2) on x clamped to [-9, 9] (|tanh| > 1 - 3e-8 beyond): P of degree 6 and
   * Q of degree 3 in x^2, P(0) = Q(0) = 1, a near-minimax rational fit made by
   * tools/scripts/fit-tanh.mjs (float64 error 6.5e-9; evaluated in f32 as here, 3.0e-7 absolute for
   * tanh and 1.6e-7 for sigmoid; the exp-based scheme it replaced had 1.8e-7 and 8.9e-8, at a third
   * more instructions). Horner's steps are multiply-add sites (op.mulAdd), fused in the
   * relaxed module. Fourteen operations, no exponent-bit arithmetic: fewer than exp and a division.
   */
  const tanhOfStack = (clamped: boolean) => [
    // clamp (unless the input is already, clipFor); pmax/pmin (one instruction each) keep a NaN as min/max would
    ...(clamped ? [] : [...op.f32x4Const(-TANH_CLAMP), ...op.f32x4Pmax, ...op.f32x4Const(TANH_CLAMP), ...op.f32x4Pmin]), ...op.set(X),
    ...op.get(X), ...op.get(X), ...op.f32x4Mul, ...op.set(N),
    ...op.f32x4Const(TANH_P.at(-1)!), ...[...PK, ONE].flatMap((k) => [...op.get(N), ...op.mulAdd(k)]),
    ...op.get(X), ...op.f32x4Mul,
    ...op.f32x4Const(TANH_Q.at(-1)!), ...[...QK, ONE].flatMap((k) => [...op.get(N), ...op.mulAdd(k)]),
    ...op.f32x4Div,
  ];

  /** v = sigmoid(v) = tanh(v / 2) / 2 + 1/2, v clamped by clipFor */
  const sigmoid = (v: number) => [
    ...op.get(v), ...op.get(HALF), ...op.f32x4Mul, ...tanhOfStack(true), ...op.get(HALF), ...op.mulAdd(HALF), ...op.set(v),
  ];

  /** tanh of local v, left on the stack (`clamped`: v went through clipFor) */
  const tanh = (v: number, clamped = false) => [...op.get(v), ...tanhOfStack(clamped)];

  /** The loop over groups: body, then row/peep/c/h advance and the group count down to 0. */
  const groupLoop = (body: number[][], peep = true) => [
    op.block, op.get(GROUPS), op.eqz, op.brIf(0),
    op.loop,
    ...body,
    op.get(ROW), op.i32(64), op.add, op.set(ROW),
    ...(peep ? [op.get(PEEP), op.i32(64), op.add, op.set(PEEP)] : []),
    op.get(C), op.i32(16), op.add, op.set(C),
    op.get(H), op.i32(16), op.add, op.set(H),
    op.get(GROUPS), op.i32(1), op.sub, op.tee(GROUPS), op.brIf(0),
    op.end, op.end,
  ];

  /** The four gates' activations of a group, from I, O, F, G (clipped; F from I under input_forget). */
  const gates = (inputForget: boolean) => [
    clipFor(I, true), clipFor(G, false),
    sigmoid(I),
    ...(inputForget ? [op.f32x4Const(1), op.get(I), op.f32x4Sub, op.set(F)] : [clipFor(F, true), sigmoid(F)]),
  ];

  /**
   * A loop for each value of input_forget, chosen once: a loop body without branches is one basic
   * block, which V8 compiles with fewer spills and moves than the same code cut by a branch at every
   * gate (measured in one process, old and new interleaved: 5.8 -> 4.9 ns per unit plain, 3.8 -> 3.5
   * fused, 8.3 -> 7.3 plain with peepholes). The clip is branch-free for the same reason: clamping to
   * +-Infinity changes no value (pmax/pmin keep a NaN), so it runs whether or not clip is finite.
   */
  const byInputForget = (loop: (inputForget: boolean) => number[][]) => [
    op.get(FLAGS), op.i32(2), op.and, op.if, ...loop(true), op.else, ...loop(false), op.end,
  ];

  // peepholes: i and f read c_{t-1}, o reads c_t, so each group is done in one go
  const peepholeLoop = (inputForget: boolean) => groupLoop([
    transpose(ROW, [I, O, F, G]),
    op.get(C), op.v128Load(0), op.set(CP),
    transpose(PEEP, [PI, PO, PF]),
    op.get(PI), op.get(CP), op.mulAdd(I), op.set(I),
    op.get(PF), op.get(CP), op.mulAdd(F), op.set(F),
    ...gates(inputForget),
    // c_t = f * c_{t-1} + i * tanh(g)
    op.get(I), tanh(G, true), op.f32x4Mul, op.set(Tr[0]!),
    op.get(F), op.get(CP), op.mulAdd(Tr[0]!), op.set(CN),
    op.get(C), op.get(CN), op.v128Store(0),
    op.get(PO), op.get(CN), op.mulAdd(O), op.set(O),
    clipFor(O, true), sigmoid(O),
    // h_t = o * tanh(c_t)
    op.get(H), op.get(O), tanh(CN), op.f32x4Mul, op.v128Store(0),
  ]);

  // no peepholes, two passes with short independent iterations (the out-of-order core overlaps
  // groups instead of waiting on one group's chain of activations): first every group's f, i*tanh(g)
  // and o into its row (lanes per unit), then c_t = f*c + i*tanh(g) and h_t = o*tanh(c_t). The same
  // operations on the same values as one pass, so the same bits.
  const gatesLoop = (inputForget: boolean) => groupLoop([
    transpose(ROW, [I, O, F, G]),
    ...gates(inputForget),
    clipFor(O, true), sigmoid(O),
    op.get(ROW), op.get(F), op.v128Store(0),
    op.get(ROW), op.get(I), tanh(G, true), op.f32x4Mul, op.v128Store(16),
    op.get(ROW), op.get(O), op.v128Store(32),
  ], false);

  return L.func('cell4', [
    ...CONSTANT_LOCALS.map(([k, v]) => [...op.f32x4Const(v), ...op.set(k)]),
    // the bounds of clipFor: min(clip, 18) and min(clip, 9), splat, and their negatives (clip is positive, or Infinity: checkLstmAttrs)
    op.get(CLIPV), op.f32Const(2 * TANH_CLAMP), op.f32Min, op.f32x4Splat, op.set(CLIPS),
    op.get(CLIPS), op.f32x4Neg, op.set(NCLIPS),
    op.get(CLIPV), op.f32Const(TANH_CLAMP), op.f32Min, op.f32x4Splat, op.set(CLIPT),
    op.get(CLIPT), op.f32x4Neg, op.set(NCLIPT),
    op.get(FLAGS), op.i32(1), op.and, op.if,
    ...byInputForget(peepholeLoop),
    op.else,
    op.get(ROW), op.set(ROW0), op.get(C), op.set(C0), op.get(H), op.set(H0), op.get(GROUPS), op.set(N0),
    ...byInputForget(gatesLoop),
    op.get(ROW0), op.set(ROW), op.get(C0), op.set(C), op.get(H0), op.set(H), op.get(N0), op.set(GROUPS),
    ...groupLoop([
      op.get(ROW), op.v128Load(16), op.set(Tr[0]!),
      op.get(ROW), op.v128Load(0), op.get(C), op.v128Load(0), op.mulAdd(Tr[0]!), op.set(CN),
      op.get(C), op.get(CN), op.v128Store(0),
      op.get(H), op.get(ROW), op.v128Load(32), tanh(CN), op.f32x4Mul, op.v128Store(0),
    ], false),
    op.end,
  ]);
})();
