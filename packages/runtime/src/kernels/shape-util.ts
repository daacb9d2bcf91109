import type { RtDType } from '../dtype.js';
import type { RtValue } from '../model.js';

/** Load-time helpers for kernel checks. */
export function dtypeIs(v: RtValue | null, ...allowed: RtDType[]): boolean {
  return v === null || allowed.includes(v.dtype);
}

export function rankIs(v: RtValue | null, rank: number): boolean {
  return v === null || v.shape === null || v.shape.length === rank;
}
