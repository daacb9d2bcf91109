import { expect } from 'vitest';
import type { RtTensor } from '../../src/index.js';

export function maxAbsDiff(a: RtTensor, b: RtTensor): number {
  let m = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(Number(a.data[i]) - Number(b.data[i]));
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/**
 * Largest |got - want| / max(1, |want|): the absolute error for values up to 1 in magnitude, the
 * relative error above (float32 cannot hold 467.77 to 1e-5 absolute, in any implementation).
 */
export function maxScaledDiff(got: RtTensor, want: RtTensor): number {
  let m = 0;
  for (let i = 0; i < got.data.length; i++) {
    const w = Number(want.data[i]);
    const d = Math.abs(Number(got.data[i]) - w) / Math.max(1, Math.abs(w));
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

export function allFiniteAndBelow(t: RtTensor, bound: number): boolean {
  for (let i = 0; i < t.data.length; i++) if (!(Math.abs(Number(t.data[i])) <= bound)) return false;
  return true;
}

/** Same dtype, same shape, and every element within `tol` (exact when tol = 0). */
export function expectClose(got: RtTensor, want: RtTensor, tol: number, what = ''): void {
  expect(got.dtype, `${what} dtype`).toBe(want.dtype);
  expect([...got.shape], `${what} shape`).toEqual([...want.shape]);
  expect(maxAbsDiff(got, want), `${what} max abs error`).toBeLessThanOrEqual(tol);
}
