/**
 * Input projection of all time steps at once: for every input row r (a (t, b) pair) and hidden unit j,
 *   out[(r*H + j)*4 + g] = bias[j*4 + g] + sum_k x_r[k] * Wp[(j*I + k)*4 + g]
 * with the packed per-unit layout of pack.ts. `rowOffset(r)` gives where row r starts in `x`
 * (rows are contiguous runs of I floats in both LSTM layouts).
 *
 * Loop order: rows in blocks of ROW_BLOCK (kept in cache), then units, then pairs of rows, so the
 * 4*I weights of a unit are reused across the block and two rows share each weight load (8 accumulators).
 */
const ROW_BLOCK = 32;

export function projectInputs(
  x: Float32Array,
  rows: number,
  rowOffset: (r: number) => number,
  w: Float32Array,
  wOff: number,
  bias: Float32Array,
  biasOff: number,
  H: number,
  I: number,
  out: Float32Array,
): void {
  const offs = new Int32Array(rows);
  for (let r = 0; r < rows; r++) offs[r] = rowOffset(r);
  for (let r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
    const r1 = Math.min(rows, r0 + ROW_BLOCK);
    for (let j = 0; j < H; j++) {
      const wj = wOff + j * I * 4;
      const bi = bias[biasOff + j * 4]!;
      const bo = bias[biasOff + j * 4 + 1]!;
      const bf = bias[biasOff + j * 4 + 2]!;
      const bc = bias[biasOff + j * 4 + 3]!;
      let r = r0;
      for (; r + 1 < r1; r += 2) {
        const xa = offs[r]!;
        const xb = offs[r + 1]!;
        let a0 = bi, a1 = bo, a2 = bf, a3 = bc;
        let b0 = bi, b1 = bo, b2 = bf, b3 = bc;
        for (let k = 0, p = wj; k < I; k++, p += 4) {
          const u = x[xa + k]!;
          const v = x[xb + k]!;
          const w0 = w[p]!, w1 = w[p + 1]!, w2 = w[p + 2]!, w3 = w[p + 3]!;
          a0 += w0 * u; a1 += w1 * u; a2 += w2 * u; a3 += w3 * u;
          b0 += w0 * v; b1 += w1 * v; b2 += w2 * v; b3 += w3 * v;
        }
        let o = (r * H + j) * 4;
        out[o] = a0; out[o + 1] = a1; out[o + 2] = a2; out[o + 3] = a3;
        o = ((r + 1) * H + j) * 4;
        out[o] = b0; out[o + 1] = b1; out[o + 2] = b2; out[o + 3] = b3;
      }
      if (r < r1) {
        const xa = offs[r]!;
        let a0 = bi, a1 = bo, a2 = bf, a3 = bc;
        for (let k = 0, p = wj; k < I; k++, p += 4) {
          const u = x[xa + k]!;
          a0 += w[p]! * u; a1 += w[p + 1]! * u; a2 += w[p + 2]! * u; a3 += w[p + 3]! * u;
        }
        const o = (r * H + j) * 4;
        out[o] = a0; out[o + 1] = a1; out[o + 2] = a2; out[o + 3] = a3;
      }
    }
  }
}
