import type { RtData } from '../dtype.js';

/** `set`/`subarray` on any runtime typed array (number or bigint elements alike). */
interface AnyTyped {
  set(src: AnyTyped, offset: number): void;
  subarray(begin: number, end: number): AnyTyped;
  readonly length: number;
}

/** Copies src[from, from+n) to dst[to, ...); both arrays must be of the same class. */
export function copyRange(dst: RtData, to: number, src: RtData, from: number, n: number): void {
  (dst as unknown as AnyTyped).set((src as unknown as AnyTyped).subarray(from, from + n), to);
}

/** Element accessors that work for number and bigint typed arrays alike (same class on both sides). */
export function copyElem(dst: RtData, to: number, src: RtData, from: number): void {
  (dst as unknown as Record<number, unknown>)[to] = (src as unknown as Record<number, unknown>)[from];
}
