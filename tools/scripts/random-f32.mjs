// Deterministic test data for the benchmark scripts.

/** n uniform floats in [-s, s) from a xorshift32 stream seeded with `seed`. */
export function randomF32(n, s, seed) {
  const a = new Float32Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    a[i] = (x / 4294967296 - 0.5) * 2 * s;
  }
  return a;
}
