import { op } from './wasm-encoder.js';

/**
 * Pushes (sum of lanes of a0, of a1, of a2, of a3) as one vector (f32x4, or i32x4 with add =
 * i32x4Add); uses t0, t1 as scratch.
 */
export const reduce4 = (a: readonly number[], t0: number, t1: number, add: readonly number[] = op.f32x4Add) => [
  ...op.get(a[0]!), ...op.get(a[1]!), ...op.shuffle32([0, 1, 4, 5]), ...op.get(a[0]!), ...op.get(a[1]!), ...op.shuffle32([2, 3, 6, 7]), ...add, ...op.set(t0),
  ...op.get(a[2]!), ...op.get(a[3]!), ...op.shuffle32([0, 1, 4, 5]), ...op.get(a[2]!), ...op.get(a[3]!), ...op.shuffle32([2, 3, 6, 7]), ...add, ...op.set(t1),
  ...op.get(t0), ...op.get(t1), ...op.shuffle32([0, 2, 4, 6]), ...op.get(t0), ...op.get(t1), ...op.shuffle32([1, 3, 5, 7]), ...add,
];
