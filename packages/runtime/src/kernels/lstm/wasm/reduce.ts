import { op } from './wasm-encoder.js';

/**
 * The 4x4 transpose of the f32x4 (or i32x4) locals a[0..3] in eight shuffles: `transposeHalves` leaves
 * lane pairs in the scratch locals t[0..3], then `transposedLane(t, l)` pushes the vector of lanes l of
 * a[0..3] (one shuffle each).
 */
export const transposeHalves = (a: readonly number[], t: readonly number[]) => [
  ...op.get(a[0]!), ...op.get(a[1]!), ...op.shuffle32([0, 4, 1, 5]), ...op.set(t[0]!),
  ...op.get(a[2]!), ...op.get(a[3]!), ...op.shuffle32([0, 4, 1, 5]), ...op.set(t[1]!),
  ...op.get(a[0]!), ...op.get(a[1]!), ...op.shuffle32([2, 6, 3, 7]), ...op.set(t[2]!),
  ...op.get(a[2]!), ...op.get(a[3]!), ...op.shuffle32([2, 6, 3, 7]), ...op.set(t[3]!),
];

/** Pushes lanes l of the four vectors transposeHalves took into t (see there). */
export const transposedLane = (t: readonly number[], l: number) => {
  const [lo, hi] = l < 2 ? [t[0]!, t[1]!] : [t[2]!, t[3]!];
  return [...op.get(lo), ...op.get(hi), ...op.shuffle32(l % 2 === 0 ? [0, 1, 4, 5] : [2, 3, 6, 7])];
};

/**
 * Pushes (sum of lanes of a0, of a1, of a2, of a3) as one vector (f32x4, or i32x4 with add =
 * i32x4Add); uses t0, t1 as scratch.
 */
export const reduce4 = (a: readonly number[], t0: number, t1: number, add: readonly number[] = op.f32x4Add) => [
  ...op.get(a[0]!), ...op.get(a[1]!), ...op.shuffle32([0, 1, 4, 5]), ...op.get(a[0]!), ...op.get(a[1]!), ...op.shuffle32([2, 3, 6, 7]), ...add, ...op.set(t0),
  ...op.get(a[2]!), ...op.get(a[3]!), ...op.shuffle32([0, 1, 4, 5]), ...op.get(a[2]!), ...op.get(a[3]!), ...op.shuffle32([2, 3, 6, 7]), ...add, ...op.set(t1),
  ...op.get(t0), ...op.get(t1), ...op.shuffle32([0, 2, 4, 6]), ...op.get(t0), ...op.get(t1), ...op.shuffle32([1, 3, 5, 7]), ...add,
];
