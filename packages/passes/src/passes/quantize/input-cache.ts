/**
 * W·x projections (inputProjections, @lstmc/runtime/fixed) kept across the fixed-point runs of
 * one layer: the quantize pass runs a layer once per cell-scale candidate, and those runs differ
 * in the recurrence only, so each calibration sample's input products are computed once. Within a
 * byte budget; beyond it a run computes them step by step, with the same result.
 */
export interface InputProjectionCache {
  /** The projections under `key`, made by `make` the first time (undefined when over the budget). */
  get(key: string, bytes: number, make: () => Float64Array): Float64Array | undefined;
}

/** 16M doubles: a 1024-unit layer's projections for 4,000 time steps. */
export const INPUT_CACHE_BYTES = 128 * 2 ** 20;

export function inputProjectionCache(budget = INPUT_CACHE_BYTES): InputProjectionCache {
  const kept = new Map<string, Float64Array>();
  let used = 0;
  return {
    get(key, bytes, make) {
      const hit = kept.get(key);
      if (hit) return hit;
      if (used + bytes > budget) return undefined;
      const v = make();
      kept.set(key, v);
      used += v.byteLength;
      return v;
    },
  };
}
