import type { GroupPlacement } from './row-products.js';

/**
 * The row-group layout of the structured-sparse products (wasm/group-spmv-module.ts), built at load
 * from one CSR segment of sparse-layout.ts (rows in packed order r = 4j + g).
 *
 * Group gi = 4m + ga holds the rows of gate ga of units 4m..4m+3 (fewer in the last quad when H is
 * not a multiple of 4). Its entries are the union of those rows' columns, in increasing order; entry p
 * has one column and four weights, vals[4p + l] = the weight of unit 4m + l at that column (0 where
 * that row has none, and for units >= H).
 *
 *   gptr i32 [4*ceil(H/4) + 1]   entry index of each group's first entry, then the entry count
 *   cols i32 [E]                 column k of each entry
 *   vals f32 [4E]                the entries' four weights
 *
 * Models pruned in blocks of 4x1 rows x columns (`prune{method=block,block=4x1}`) have exactly nnz/4
 * entries; unstructured sparsity needs up to 4x the entries CSR has non-zeros, so the kernel measures
 * the fill (`groupEntries`) and keeps CSR when the groups would not pay.
 */
export interface GroupSparse {
  readonly gptr: Int32Array;
  readonly cols: Int32Array;
  readonly vals: Float32Array;
}

/** Calls visit(gi, rowsOfGroup) for every group of a segment of 4H rows; rows are CSR row numbers. */
function forGroups(H: number, visit: (gi: number, rows: readonly number[]) => void): void {
  const rows: number[] = [];
  for (let m = 0; 4 * m < H; m++) {
    for (let ga = 0; ga < 4; ga++) {
      rows.length = 0;
      for (let l = 0; l < 4 && 4 * m + l < H; l++) rows.push(4 * (4 * m + l) + ga);
      visit(4 * m + ga, rows);
    }
  }
}

/** The sorted union of the columns of `rows` (row r's pairs at [ptr[base + r], ptr[base + r + 1])). */
function unionColumns(ptr: ArrayLike<number>, col: ArrayLike<number>, base: number, rows: readonly number[], seen: Int32Array, stamp: number): number[] {
  const out: number[] = [];
  for (const r of rows) {
    for (let p = ptr[base + r]!; p < ptr[base + r + 1]!; p++) {
      const k = col[p]!;
      if (seen[k] !== stamp) {
        seen[k] = stamp;
        out.push(k);
      }
    }
  }
  return out.sort((a, b) => a - b);
}

/** Entries the group layout of a segment needs (its CSR row pointers start at ptr[base]; columns < K). */
export function groupEntries(ptr: ArrayLike<number>, col: ArrayLike<number>, base: number, H: number, K: number): number {
  const seen = new Int32Array(K).fill(-1);
  let n = 0;
  forGroups(H, (gi, rows) => (n += unionColumns(ptr, col, base, rows, seen, gi).length));
  return n;
}

/** The group layout of one segment (see the module comment). */
export function encodeGroups(ptr: ArrayLike<number>, col: ArrayLike<number>, val: ArrayLike<number>, base: number, H: number, K: number): GroupSparse {
  const groups = 4 * Math.ceil(H / 4);
  const seen = new Int32Array(K).fill(-1);
  const lists: number[][] = [];
  forGroups(H, (gi, rows) => (lists[gi] = unionColumns(ptr, col, base, rows, seen, gi)));
  const E = lists.reduce((s, l) => s + l.length, 0);
  const gptr = new Int32Array(groups + 1);
  const cols = new Int32Array(E);
  const vals = new Float32Array(4 * E);
  const at = new Int32Array(K);
  let e = 0;
  forGroups(H, (gi, rows) => {
    gptr[gi] = e;
    const list = lists[gi]!;
    list.forEach((k, i) => ((cols[e + i] = k), (at[k] = e + i)));
    rows.forEach((r, l) => {
      for (let p = ptr[base + r]!; p < ptr[base + r + 1]!; p++) vals[4 * at[col[p]!]! + l] += val[p]!;
    });
    e += list.length;
  });
  gptr[groups] = e;
  return { gptr, cols, vals };
}

/**
 * Writes a row-group layout at element offset `at` of f (ints: an Int32Array over the same memory),
 * columns scaled to the engine's addressing unit; returns where its parts went.
 */
export function placeGroups(f: Float32Array, ints: Int32Array, g: GroupSparse, at: number, unit: number): GroupPlacement {
  const gptrOff = at;
  const colsOff = gptrOff + g.gptr.length;
  const valsOff = Math.ceil((colsOff + g.cols.length) / 4) * 4;
  ints.set(g.gptr, gptrOff);
  for (let e = 0; e < g.cols.length; e++) ints[colsOff + e] = g.cols[e]! * unit;
  f.set(g.vals, valsOff);
  return { gptrOff, colsOff, valsOff, gptr: g.gptr };
}

/** Floats a row-group layout takes when placed at element offset `at` (with placeGroups). */
export const groupsEnd = (g: GroupSparse, at: number): number => Math.ceil((at + g.gptr.length + g.cols.length) / 4) * 4 + g.vals.length;
