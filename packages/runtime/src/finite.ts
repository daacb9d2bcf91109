import type { RtTensor } from './tensor.js';

/** Where the first NaN or infinity of a float tensor lies, or undefined when it has none (integer tensors: never). */
export interface NonFinite {
  readonly value: number;
  /** Flat element index and the same as one index per axis. */
  readonly flat: number;
  readonly index: readonly number[];
  /** Non-finite elements in the whole tensor. */
  readonly count: number;
}

export function findNonFinite(t: RtTensor): NonFinite | undefined {
  if (t.dtype !== 'f32' && t.dtype !== 'f64') return undefined;
  const d = t.data as Float32Array | Float64Array;
  let first = -1;
  let count = 0;
  for (let i = 0; i < d.length; i++) {
    // v - v is 0 for every finite v and NaN for NaN and both infinities
    const v = d[i]!;
    if (v - v !== 0) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (first < 0) return undefined;
  const index = new Array<number>(t.shape.length);
  let r = first;
  for (let a = t.shape.length - 1; a >= 0; a--) {
    index[a] = r % t.shape[a]!;
    r = Math.floor(r / t.shape[a]!);
  }
  return { value: d[first]!, flat: first, index, count };
}

/**
 * "NaN at time step 3, batch entry 0 (element [3, 0, 5]), 2 non-finite values in all": with the
 * sequence's time axis (see Model.sequenceAxes) the batch axis is the other of axes 0 and 1, as in
 * both ONNX LSTM layouts.
 */
export function describeNonFinite(f: NonFinite, timeAxis?: number, firstStep = 0): string {
  const where = timeAxis !== undefined && f.index.length >= 3 ? `time step ${f.index[timeAxis]! + firstStep}, batch entry ${f.index[timeAxis === 0 ? 1 : 0]} (element [${f.index.join(', ')}])` : `element [${f.index.join(', ')}]`;
  return `${f.value} at ${where}${f.count > 1 ? `, ${f.count} non-finite values in all` : ''}`;
}
