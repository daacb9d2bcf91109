/** Exact selection of the k smallest scores (ties broken by lower index), without sorting indices. */

/**
 * A mask with exactly min(k, n) ones: the k smallest `scores`; among equal
 * scores the lower indices are taken first. O(n log n) on a typed copy.
 */
export function smallestMask(scores: Float32Array | Float64Array, k: number): Uint8Array {
  const n = scores.length;
  const mask = new Uint8Array(n);
  k = Math.max(0, Math.min(n, k));
  if (k === 0) return mask;
  const sorted = Float64Array.from(scores).sort();
  const thr = sorted[k - 1];
  let taken = 0;
  for (let i = 0; i < n; i++)
    if (scores[i] < thr) {
      mask[i] = 1;
      taken++;
    }
  for (let i = 0; i < n && taken < k; i++)
    if (scores[i] === thr) {
      mask[i] = 1;
      taken++;
    }
  return mask;
}

export function absOf(a: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Math.abs(a[i]);
  return out;
}

/** Number of elements to zero for a target sparsity (nearest integer). */
export function zerosFor(n: number, sparsity: number): number {
  return Math.round(sparsity * n);
}
