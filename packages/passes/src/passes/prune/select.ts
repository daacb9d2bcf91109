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
    if (hi === lo + 1) {
      // Two left: mid would be lo, and writing the sorted three back would lose one of them.
      if (a[hi] < a[lo]) {
        const t = a[lo];
        a[lo] = a[hi];
        a[hi] = t;
      }
      return a[want];
    }
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

/** Below this many elements selectBits selects on a copy directly. */
const HISTOGRAM_MIN = 1 << 14;

/**
 * The k-th smallest (1 <= k <= n) of `a` and how many elements are below it, leaving `a` as it is
 * (`scratch`, at least n long, is overwritten): a histogram of the top 16 bits finds the bucket that
 * holds it, and the selection runs on that bucket's elements only (for float magnitudes a bucket
 * spans under 1% of a binade).
 */
function selectBits(a: Uint32Array, k: number, scratch: Uint32Array): { value: number; below: number } {
  const n = a.length;
  if (n < HISTOGRAM_MIN) {
    const work = scratch.subarray(0, n);
    work.set(a);
    const value = kthSmallestU32(work, k);
    let below = 0;
    for (let i = 0; i < n; i++) if (a[i] < value) below++;
    return { value, below };
  }
  const hist = new Int32Array(1 << 16);
  for (let i = 0; i < n; i++) hist[a[i] >>> 16]++;
  let bucket = 0;
  let before = 0;
  while (before + hist[bucket] < k) before += hist[bucket++];
  let m = 0;
  for (let i = 0; i < n; i++) if (a[i] >>> 16 === bucket) scratch[m++] = a[i];
  const value = kthSmallestU32(scratch.subarray(0, m), k - before);
  let below = before;
  for (let i = 0; i < m; i++) if (scratch[i] < value) below++;
  return { value, below };
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
  const cut = smallestMagnitudesCut(mags, k, scratch);
  if (!cut) return () => false;
  const { threshold: thr } = cut;
  let ties = cut.ties;
  return (bits) => bits < thr || (bits === thr && ties-- > 0);
}

/**
 * What `smallestMagnitudes` picks, as numbers: every magnitude below `threshold` and the first `ties`
 * equal to it (in index order); undefined when nothing is picked.
 */
export function smallestMagnitudesCut(mags: Uint32Array, k: number, scratch: Uint32Array): { threshold: number; ties: number } | undefined {
  const n = mags.length;
  k = Math.max(0, Math.min(n, k));
  if (k === 0) return undefined;
  const { value: thr, below } = selectBits(mags, k, scratch);
  // smallestMask compares scores with the k-th smallest by value: when that is NaN, nothing is below or equal to it.
  if (thr > INF_BITS) return undefined;
  return { threshold: thr, ties: k - below };
}

/** The float32 bit pattern of |a[i]| for every i (NaN payloads kept: still above +Infinity). */
export function magnitudeBits(a: Float32Array, out: Uint32Array = new Uint32Array(a.length)): Uint32Array {
  const bits = new Uint32Array(a.buffer, a.byteOffset, a.length);
  for (let i = 0; i < a.length; i++) out[i] = bits[i] & 0x7fffffff;
  return out;
}
