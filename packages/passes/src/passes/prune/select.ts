/** Exact selection of the k smallest scores (ties broken by lower index), without sorting indices. */

/** a before b in typed-array sort order (NaN last). */
const before = (a: number, b: number) => a < b || (b !== b && a === a);

/**
 * The k-th smallest value (k >= 1) of `a` in typed-array sort order (NaN last),
 * reordering `a`: Hoare's selection with a median-of-three pivot, O(n) expected.
 */
export function kthSmallest(a: Float64Array, k: number): number {
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

/** Number of elements to zero for a target sparsity (nearest integer). */
export function zerosFor(n: number, sparsity: number): number {
  return Math.round(sparsity * n);
}

/**
 * The k-th smallest (k >= 1) of `a`, reordering `a`: kthSmallest's selection on unsigned integers,
 * which need no NaN care.
 */
function kthSmallestU32(a: Uint32Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  const want = k - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    let x = a[lo];
    let y = a[mid];
    let z = a[hi];
    // median of three as the pivot
    if (y < x) [x, y] = [y, x];
    if (z < x) [x, z] = [z, x];
    if (z < y) [y, z] = [z, y];
    a[lo] = x;
    a[mid] = y;
    a[hi] = z;
    const pivot = y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (pivot < a[j]) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
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

/** Bits of float32 +Infinity: magnitude bit patterns above it are NaNs. */
const INF_BITS = 0x7f800000;

/**
 * Which of n float32 magnitudes `smallestMask` would pick as the k smallest, from their bit
 * patterns `mags` (|x| as float32 bits: for non-negative floats, integer order is value order,
 * and NaN sorts above +Infinity as in typed-array order). The result is `take(i, bits)`: true for
 * the picked indices when asked in increasing index order, exactly once each. `scratch` holds at
 * least n elements and is overwritten.
 */
export function smallestMagnitudes(mags: Uint32Array, k: number, scratch: Uint32Array): (bits: number) => boolean {
  const n = mags.length;
  k = Math.max(0, Math.min(n, k));
  const none = () => false;
  if (k === 0) return none;
  const work = scratch.subarray(0, n);
  work.set(mags);
  const thr = kthSmallestU32(work, k);
  // smallestMask compares scores with the k-th smallest by value: when that is NaN, nothing is below or equal to it.
  if (thr > INF_BITS) return none;
  let below = 0;
  for (let i = 0; i < n; i++) if (mags[i] < thr) below++;
  let ties = k - below;
  return (bits) => bits < thr || (bits === thr && ties-- > 0);
}

/** The float32 bit pattern of |a[i]| for every i (NaN payloads kept: still above +Infinity). */
export function magnitudeBits(a: Float32Array, out: Uint32Array = new Uint32Array(a.length)): Uint32Array {
  const bits = new Uint32Array(a.buffer, a.byteOffset, a.length);
  for (let i = 0; i < a.length; i++) out[i] = bits[i] & 0x7fffffff;
  return out;
}
