/**
 * Test-only: row-group structured pruning (the structure group-sparse.ts exploits). For every gate of
 * every direction, the rows of units wm..wm+w-1 (w = width, 4 or 16; fewer in the last group) keep or drop
 * each column together; inside a kept block, single weights are also dropped with probability `holes`
 * (so blocks are not always full).
 */
import type { Rng } from '@lstmc/testing';

export function pruneRowGroups(m: Float32Array, D: number, H: number, K: number, sparsity: number, holes: number, rng: Rng, width = 4): void {
  for (let d = 0; d < D; d++)
    for (let g = 0; g < 4; g++)
      for (let u = 0; u < H; u += width)
        for (let k = 0; k < K; k++) {
          const drop = rng.bool(sparsity);
          for (let j = u; j < Math.min(H, u + width); j++) {
            const i = ((d * 4 + g) * H + j) * K + k;
            if (drop || rng.bool(holes)) m[i] = 0;
          }
        }
}

/** CSR arrays (packed row order r = 4j + g, as sparse-layout.ts) of a dense [4H rows in ONNX order][K] matrix. */
export function csrOf(dense: Float32Array, H: number, K: number) {
  const ptr = [0];
  const col: number[] = [];
  const val: number[] = [];
  for (let j = 0; j < H; j++)
    for (let g = 0; g < 4; g++) {
      for (let k = 0; k < K; k++) {
        const v = dense[(g * H + j) * K + k]!;
        if (v !== 0) (col.push(k), val.push(v));
      }
      ptr.push(col.length);
    }
  return { ptr, col, val };
}
