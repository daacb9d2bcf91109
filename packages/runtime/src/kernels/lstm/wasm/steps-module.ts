import { locals, op, T, type WasmFunc } from './wasm-encoder.js';

/** Where the functions that steps calls sit in the module (matvec-module.ts checks it). */
export const STEP_CALLEES = { mv1: 0, mv2: 1, cell4: 2 } as const;

/**
 * steps(w, kq, ws, H, xp, h, c, peep, flags, clip, L, B, rev): L time steps of one direction of a dense
 * float32 LSTM of one or two batch entries, all of length L, in one call: what runRecurrence
 * (recurrence.ts) does per step from JS, the recurrent product (mv2, or mv1 for one entry, over R at
 * w with kq k-quads and units ws bytes apart) into the step's projection rows, the cell update (cell4,
 * per entry with peepholes, flags as cell4's), and each step's h saved over the first 4BH bytes of
 * its row block, whose pre-activations the update has consumed. Step s runs time t = s, or L-1-s with
 * rev; entry b's row of time t is at xp + (tB + b) 16H bytes, its h at h + 4bH, its c at c + 4bH (H a
 * multiple of four). The same calls in the same order as the JS loop, so the same bits; a call per
 * step from JS cost about as much as a small LSTM's arithmetic.
 */
export const steps: WasmFunc = (() => {
  const [W, KQ, WS, H, XP, HB, CB, PEEP, FLAGS, CLIP, LEN, B, REV] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const L = locals([T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.i32, T.f32, T.i32, T.i32, T.i32]);
  const [s, t, row, rowBytes, hBytes, groups, b] = L.many(7, T.i32);
  return L.func('steps', [
    op.block, op.get(LEN), op.eqz, op.brIf(0),
    op.get(H), op.i32(4), op.shl, op.set(rowBytes), // 16H bytes: one entry's row
    op.get(H), op.i32(2), op.shl, op.set(hBytes), // 4H bytes: one entry's h
    op.get(H), op.i32(2), op.shrU, op.set(groups),
    op.i32(0), op.set(s),
    op.loop,
    // t and its row block
    op.get(REV), op.if, op.get(LEN), op.i32(1), op.sub, op.get(s), op.sub, op.set(t), op.else, op.get(s), op.set(t), op.end,
    op.get(XP), op.get(t), op.get(B), op.mul, op.get(rowBytes), op.mul, op.add, op.set(row),
    // row += R h_{t-1}
    op.get(B), op.i32(2), op.eq, op.if,
    op.get(W), op.get(HB), op.get(HB), op.get(hBytes), op.add, op.get(row), op.get(row), op.get(rowBytes), op.add, op.get(H), op.get(KQ), op.get(WS), op.call(STEP_CALLEES.mv2),
    op.else,
    op.get(W), op.get(HB), op.get(row), op.get(H), op.get(KQ), op.get(WS), op.call(STEP_CALLEES.mv1),
    op.end,
    // the cell update: every entry's rows, c and h contiguous in one call, or one call per entry with peepholes (per unit)
    op.get(FLAGS), op.i32(1), op.and, op.if,
    op.i32(0), op.set(b),
    op.loop,
    op.get(row), op.get(b), op.get(rowBytes), op.mul, op.add,
    op.get(PEEP),
    op.get(CB), op.get(b), op.get(hBytes), op.mul, op.add,
    op.get(HB), op.get(b), op.get(hBytes), op.mul, op.add,
    op.get(groups), op.get(FLAGS), op.get(CLIP), op.call(STEP_CALLEES.cell4),
    op.get(b), op.i32(1), op.add, op.tee(b), op.get(B), op.ltU, op.brIf(0),
    op.end,
    op.else,
    op.get(row), op.get(PEEP), op.get(CB), op.get(HB), op.get(groups), op.get(B), op.mul, op.get(FLAGS), op.get(CLIP), op.call(STEP_CALLEES.cell4),
    op.end,
    // h_t over the row block's first 4BH bytes
    op.get(row), op.get(HB), op.get(hBytes), op.get(B), op.mul, op.memoryCopy,
    op.get(s), op.i32(1), op.add, op.tee(s), op.get(LEN), op.ltU, op.brIf(0),
    op.end,
    op.end,
  ]);
})();
