import type { MatvecEngine } from './matvec-engine.js';

/**
 * Input projection of all time steps of one direction at once (a [rows x I] by [I x 4H] product):
 *   mem[xpOff + r*4H + j*4 + g] = bias[j*4 + g] + sum_k x_r[k] * W[(j*I + k)*4 + g]
 * for every input row r (a (t, b) pair, row = t*B + b), with the packed layout of pack.ts.
 * Rows go four at a time through mv4, so each weight load serves four rows; k goes in blocks of K_BLOCK
 * and units in blocks of about UNIT_BLOCK_BYTES of weights, so a weight block and the x slices stay in
 * cache while every row passes over them (partial sums accumulate in the output rows).
 * `rowOff(r)` is the float offset of row r's I inputs in engine memory.
 */
const UNIT_BLOCK_BYTES = 64 * 1024;
const K_BLOCK = 256;

export function projectInputs(e: MatvecEngine, rows: number, rowOff: (r: number) => number, wOff: number, biasOff: number, H: number, I: number, xpOff: number): void {
  const m = e.mem;
  const H4 = 4 * H;
  const ws = 4 * I;
  for (let r = 0; r < rows; r++) m.copyWithin(xpOff + r * H4, biasOff, biasOff + H4);
  const kb = Math.min(I, K_BLOCK);
  const block = Math.max(1, Math.floor(UNIT_BLOCK_BYTES / (16 * kb)));
  for (let k0 = 0; k0 < I; k0 += kb) {
    const K = Math.min(kb, I - k0);
    for (let j0 = 0; j0 < H; j0 += block) {
      const n = Math.min(block, H - j0);
      const w = wOff + j0 * ws + k0 * 4;
      const o = xpOff + j0 * 4;
      let r = 0;
      for (; r + 4 <= rows; r += 4) {
        e.mv4(w, rowOff(r) + k0, rowOff(r + 1) + k0, rowOff(r + 2) + k0, rowOff(r + 3) + k0, o + r * H4, o + (r + 1) * H4, o + (r + 2) * H4, o + (r + 3) * H4, n, K, ws);
      }
      for (; r < rows; r++) e.mv1(w, rowOff(r) + k0, o + r * H4, n, K, ws);
    }
  }
}
