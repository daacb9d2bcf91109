/** Exact selection of the k smallest scores (ties broken by lower index), without sorting indices. */

/** a before b in typed-array sort order (NaN last). */
const before = (a: number, b: number) => a < b || (b !== b && a === a);

/**
 * The k-th smallest value (k >= 1) of `a` in typed-array sort order (NaN last),
 * reordering `a`: Hoare's selection with a median-of-three pivot, O(n) expected.
 */
function kthSmallest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  const want = k - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    // median of three as the pivot
    if (before(a[mid], a[lo])) [a[mid], a[lo]] = [a[lo], a[mid]];
    if (before(a[hi], a[lo])) [a[hi], a[lo]] = [a[lo], a[hi]];
    if (before(a[hi], a[mid])) [a[hi], a[mid]] = [a[mid], a[hi]];
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (before(a[i], pivot)) i++;
      while (before(pivot, a[j])) j--;
      if (i <= j) {
        const x = a[i];
        a[i] = a[j];
        a[j] = x;
        i++;
        j--;
      }
    }
    if (want <= j) hi = j;
    else if (want >= i) lo = i;
    else return a[want];
  }
  return a[want];
}

/**
 * A mask with exactly min(k, n) ones: the k smallest `scores`; among equal
 * scores the lower indices are taken first. O(n) expected, on a typed copy.
 */
export function smallestMask(scores: Float32Array | Float64Array, k: number): Uint8Array {
  const n = scores.length;
  const mask = new Uint8Array(n);
  k = Math.max(0, Math.min(n, k));
  if (k === 0) return mask;
  const thr = kthSmallest(Float64Array.from(scores), k);
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
