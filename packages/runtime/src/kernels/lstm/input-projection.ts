import type { MatvecEngine } from './matvec-engine.js';

/**
 * Input projection of all time steps of one direction at once (a [rows x I] by [I x 4H] product):
 *   mem[xpOff + r*4H + j*4 + g] = bias[j*4 + g] + sum_k x_r[k] * W[j][k][g]
 * for every input row r (a (t, b) pair, row = t*B + b), with the packed layout of pack.ts.
 * Rows go two at a time through mv2, so each weight load serves two rows; k-quads go in blocks of
 * Q_BLOCK and units in blocks of about UNIT_BLOCK_BYTES of weights, so a weight block and the x slices
 * stay in cache while every row passes over them (partial sums accumulate in the output rows).
 * `rowOff(r)` is the float offset of row r's inputs in engine memory: 4*ceil(I/4) floats, zero padded.
 */
const UNIT_BLOCK_BYTES = 64 * 1024;
const Q_BLOCK = 64;

export function projectInputs(e: MatvecEngine, rows: number, rowOff: (r: number) => number, wOff: number, biasOff: number, H: number, I: number, xpOff: number): void {
  const m = e.mem;
  const H4 = 4 * H;
  const Iq = Math.ceil(I / 4);
  const ws = 16 * Iq;
  for (let r = 0; r < rows; r++) m.copyWithin(xpOff + r * H4, biasOff, biasOff + H4);
  const qb = Math.min(Iq, Q_BLOCK);
  const block = Math.max(1, Math.floor(UNIT_BLOCK_BYTES / (64 * qb)));
  for (let q0 = 0; q0 < Iq; q0 += qb) {
    const Kq = Math.min(qb, Iq - q0);
    for (let j0 = 0; j0 < H; j0 += block) {
      const n = Math.min(block, H - j0);
      const w = wOff + j0 * ws + q0 * 16;
      const o = xpOff + j0 * 4;
      let r = 0;
      for (; r + 2 <= rows; r += 2) e.mv2(w, rowOff(r) + 4 * q0, rowOff(r + 1) + 4 * q0, o + r * H4, o + (r + 1) * H4, n, Kq, ws);
      if (r < rows) e.mv1(w, rowOff(r) + 4 * q0, o + r * H4, n, Kq, ws);
    }
  }
}
