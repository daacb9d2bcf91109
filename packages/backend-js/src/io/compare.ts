import type { RtTensor } from '@lstmc/runtime';

export type Comparison = { readonly ok: true; readonly maxAbsError: number } | { readonly ok: false; readonly reason: string };

/** Max |got - want| over two tensors; a dtype or shape mismatch, or NaN in one only, is a mismatch. */
export function compareTensors(got: RtTensor, want: RtTensor): Comparison {
  if (got.dtype !== want.dtype) return { ok: false, reason: `dtype ${got.dtype}, expected ${want.dtype}` };
  if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i]))
    return { ok: false, reason: `shape [${got.shape.join(', ')}], expected [${want.shape.join(', ')}]` };
  let m = 0;
  for (let i = 0; i < got.data.length; i++) {
    const a = Number(got.data[i]);
    const b = Number(want.data[i]);
    if (Number.isNaN(a) || Number.isNaN(b)) {
      if (Number.isNaN(a) !== Number.isNaN(b)) return { ok: false, reason: `element ${i} is ${a}, expected ${b}` };
      continue;
    }
    if (a === b) continue; // also equal infinities
    m = Math.max(m, Math.abs(a - b));
  }
  return { ok: true, maxAbsError: m };
}
