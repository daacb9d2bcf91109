/**
 * How each export of the matvec module (wasm/matvec-module.ts) splits over unit ranges, for running
 * one call as several calls on several threads. A call's `units` argument counts independent output
 * units (hidden units, or compressed rows); the part [u0, u1) of the call is the same function with
 * units = u1 - u0 and every `shifts` argument advanced by u0 * bytes (bytes = perUnit, times the
 * argument `times` when given). Each unit's result is computed by the same instructions whatever range
 * it falls in, so a split call writes exactly the bits of the whole one. An export without an entry
 * (cell4) is not split: it runs whole, in part 0.
 */
export interface SplitSpec {
  readonly units: number;
  readonly shifts: readonly (readonly [arg: number, perUnit: number, times?: number])[];
}

export const SPLIT_CALLS = {
  // mv1(w, x, out, H, Kq, ws): unit j's weights at w + j*ws, its four outputs at out + 16j.
  mv1: { units: 3, shifts: [[0, 1, 5], [2, 16]] },
  mv2: { units: 5, shifts: [[0, 1, 7], [3, 16], [4, 16]] },
  // spmv1(ptr, pairs, x, out, rows): one int32 row pointer and one f32 output per row.
  spmv1: { units: 4, shifts: [[0, 4], [3, 4]] },
  spmv2: { units: 6, shifts: [[0, 4], [4, 4], [5, 4]] },
  // spmmT(ptr, pairs, xT, outT, rows, blocks): an output row is 16*blocks floats.
  spmmT: { units: 4, shifts: [[0, 4], [3, 64, 5]] },
  // gspN(gptr, cols, vals, x.., out.., H): one gptr entry per unit (group 4m + ga), four outputs per unit.
  gsp1: { units: 5, shifts: [[0, 4], [4, 16]] },
  gsp2: { units: 7, shifts: [[0, 4], [5, 16], [6, 16]] },
  gsp4: { units: 11, shifts: [[0, 4], [7, 16], [8, 16], [9, 16], [10, 16]] },
  // gswN(gptr, cols, vals, x.., out.., blocks): a block of 16 units has 4 gptr entries and 64 outputs.
  gsw1: { units: 5, shifts: [[0, 16], [4, 256]] },
  gsw2: { units: 7, shifts: [[0, 16], [5, 256], [6, 256]] },
  // zcols(wc, ks, xv, n, out, H): unit j's four floats at wc + 16j of every column, its outputs at out + 16j.
  zcols: { units: 5, shifts: [[0, 16], [4, 16]] },
  // mvq1(w, ws, scales, xq, Ko, out, H, sx): unit j's int8 weights at w + j*ws.
  mvq1: { units: 6, shifts: [[0, 1, 1], [2, 16], [5, 16]] },
  mvq2: { units: 8, shifts: [[0, 1, 1], [2, 16], [6, 16], [7, 16]] },
  // gsq1(gptr, recs, scales, xq, out, H, sx): one gptr entry per unit, an f32x4 of scales per group (16 bytes per unit).
  gsq1: { units: 5, shifts: [[0, 4], [2, 16], [4, 16]] },
  // spq1(ptr, recs, xq, scales, out, rows, sx): one row pointer, one scale and one output per row.
  spq1: { units: 5, shifts: [[0, 4], [3, 4], [4, 4]] },
  // gswqN(gptr, recs, scales, xq.., out.., blocks, sx..): a block of 16 units has 4 gptr entries, 64 scales and 64 outputs.
  gswq1: { units: 5, shifts: [[0, 16], [2, 256], [4, 256]] },
  gswq2: { units: 7, shifts: [[0, 16], [2, 256], [5, 256], [6, 256]] },
} as const satisfies Record<string, SplitSpec>;

/** The exports a recorded call may name, in the order of their index in a call list. */
export const CALL_NAMES = ['mv1', 'mv2', 'cell4', 'spmv1', 'spmv2', 'spmmT', 'gsp1', 'gsp2', 'gsp4', 'zcols', 'mvq1', 'gsw1', 'gsw2', 'mvq2', 'gsq1', 'spq1', 'gswq1', 'gswq2'] as const;
export type CallName = (typeof CALL_NAMES)[number];

/** Doubles per call in a call list: the export's index, then up to 12 arguments (i32 and f32 are exact in f64). */
export const CALL_STRIDE = 13;

/**
 * SPLIT_CALLS flattened for the part runners (worker-main.ts replayPart), by CALL_NAMES index:
 * [units, then (arg, perUnit, times or -1) per shift], or null for an export that does not split.
 */
export const SPLIT_TABLE: readonly (readonly number[] | null)[] = CALL_NAMES.map((name) => {
  const spec: SplitSpec | undefined = (SPLIT_CALLS as Partial<Record<CallName, SplitSpec>>)[name];
  return spec ? [spec.units, ...spec.shifts.flatMap(([arg, perUnit, times]) => [arg, perUnit, times ?? -1])] : null;
});

export { splitPoint } from './worker-main.js';
