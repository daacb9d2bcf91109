import { locals, op, type WasmFunc } from './wasm-encoder.js';

/**
 * gxf(dst, src, idx, n): dst[i] = src[idx[i]] (float32) for i < n, for the Conv kernel's columns and
 * outputs (conv-kernel.ts). dst, src and idx (int32 element indices into src) are byte addresses in
 * the exported memory; an entry for a zero (a tap in the padding) points at a zero the caller placed
 * in src, so the loop has no branch.
 */
export const GATHER_F32: WasmFunc = (() => {
  const [DST, SRC, IDX, N] = [0, 1, 2, 3];
  const L = locals(4);
  const end = L.i32();
  return L.func('gxf', [
    op.get(IDX), op.get(N), op.i32(2), op.shl, op.add, op.set(end),
    op.block, op.get(N), op.eqz, op.brIf(0),
    op.loop,
    op.get(DST),
    op.get(SRC), op.get(IDX), op.i32Load(0), op.i32(2), op.shl, op.add, op.f32Load(0),
    op.f32Store(0),
    op.get(DST), op.i32(4), op.add, op.set(DST),
    op.get(IDX), op.i32(4), op.add, op.tee(IDX), op.get(end), op.ltU, op.brIf(0),
    op.end, op.end,
  ]);
})();
