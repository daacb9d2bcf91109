/**
 * mulberry32: a tiny seeded PRNG, so every randomized test reproduces from
 * its printed seed. Uniform in [0, 1).
 */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The same generator (same sequence for a seed) with the draws randomized tests need. */
export class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = rng(seed);
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  f32(n: number, lo = -1, hi = 1): Float32Array {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = this.uniform(lo, hi);
    return a;
  }
}

/** A standard normal draw from uniform draws of `r` (Box-Muller). */
export function randn(r: () => number): number {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}
