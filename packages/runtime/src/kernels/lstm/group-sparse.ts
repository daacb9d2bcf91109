import type { GroupPlacement, WidePlacement } from './row-products.js';

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

/**
 * Wide row groups (WIDE_UNITS = 16 consecutive units of one gate share one column list, as
 * `prune{method=balanced,group=16}` leaves them): the same arrays with 16 weights per entry, over
 * units [0, 16*blocks); group gi = 4b + ga holds gate ga of units 16b..16b+15, vals[16p + l] the
 * weight of unit 16b + l. One column index and one input load then serve sixteen rows
 * (wasm/group-spmv-module.ts gswN). The units after 16*blocks, if any, go in `tail`, a four-unit
 * layout of units [16*blocks, H) (its group 0 is that range's first quad).
 */
export interface WideGroupSparse extends GroupSparse {
  readonly blocks: number;
  readonly tail: GroupSparse | null;
}

export const WIDE_UNITS = 16;

/** Units [from, to) of a segment in groups of `width` units of one gate. */
interface UnitRange {
  readonly from: number;
  readonly to: number;
  readonly width: number;
}

const quads = (H: number): UnitRange => ({ from: 0, to: H, width: 4 });

/** Calls visit(gi, rowsOfGroup) for every group of a unit range of a segment of 4H rows; rows are CSR row numbers. */
function forGroups(u: UnitRange, visit: (gi: number, rows: readonly number[]) => void): void {
  const rows: number[] = [];
  for (let m = 0; u.from + u.width * m < u.to; m++) {
    for (let ga = 0; ga < 4; ga++) {
      rows.length = 0;
      for (let l = 0, j = u.from + u.width * m; l < u.width && j < u.to; l++, j++) rows.push(4 * j + ga);
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

function entriesOf(ptr: ArrayLike<number>, col: ArrayLike<number>, base: number, K: number, u: UnitRange): number {
  const seen = new Int32Array(K).fill(-1);
  let n = 0;
  forGroups(u, (gi, rows) => (n += unionColumns(ptr, col, base, rows, seen, gi).length));
  return n;
}

/** Entries the group layout of a segment needs (its CSR row pointers start at ptr[base]; columns < K). */
export const groupEntries = (ptr: ArrayLike<number>, col: ArrayLike<number>, base: number, H: number, K: number): number => entriesOf(ptr, col, base, K, quads(H));

function encodeRange(ptr: ArrayLike<number>, col: ArrayLike<number>, val: ArrayLike<number>, base: number, K: number, u: UnitRange): GroupSparse {
  const groups = 4 * Math.ceil((u.to - u.from) / u.width);
  const seen = new Int32Array(K).fill(-1);
  const lists: number[][] = [];
  forGroups(u, (gi, rows) => (lists[gi] = unionColumns(ptr, col, base, rows, seen, gi)));
  const E = lists.reduce((s, l) => s + l.length, 0);
  const W = u.width;
  const gptr = new Int32Array(groups + 1);
  const cols = new Int32Array(E);
  const vals = new Float32Array(W * E);
  const at = new Int32Array(K);
  let e = 0;
  forGroups(u, (gi, rows) => {
    gptr[gi] = e;
    const list = lists[gi]!;
    list.forEach((k, i) => ((cols[e + i] = k), (at[k] = e + i)));
    rows.forEach((r, l) => {
      for (let p = ptr[base + r]!; p < ptr[base + r + 1]!; p++) vals[W * at[col[p]!]! + l] += val[p]!;
    });
    e += list.length;
  });
  gptr[groups] = e;
  return { gptr, cols, vals };
}

/** The group layout of one segment (see the module comment). */
export const encodeGroups = (ptr: ArrayLike<number>, col: ArrayLike<number>, val: ArrayLike<number>, base: number, H: number, K: number): GroupSparse =>
  encodeRange(ptr, col, val, base, K, quads(H));

/**
 * A wide entry costs about 1.6 four-unit entries (one index and input load, four weight vectors,
 * against four of each): the wide layout is taken while its entries, times four, are at most this
 * many times the four-unit entries of the same units (1: every 16 units of a gate share their columns).
 */
export const WIDE_MAX_FILL = 1.25;

/**
 * The entries of a segment's wide layout (its first `blocks` 16-unit blocks) and of its four-unit
 * tail, or null when H < 16 or the 16-unit groups would not pay (more than WIDE_MAX_FILL times the
 * four-unit entries of the same units).
 */
export function wideGroupEntries(ptr: ArrayLike<number>, col: ArrayLike<number>, base: number, H: number, K: number): { readonly blocks: number; readonly wide: number; readonly tail: number } | null {
  const blocks = Math.floor(H / WIDE_UNITS);
  if (blocks === 0) return null;
  const range: UnitRange = { from: 0, to: WIDE_UNITS * blocks, width: WIDE_UNITS };
  const narrow = entriesOf(ptr, col, base, K, { ...range, width: 4 });
  const wide = entriesOf(ptr, col, base, K, range);
  if (narrow === 0 || 4 * wide > WIDE_MAX_FILL * narrow) return null;
  return { blocks, wide, tail: range.to < H ? entriesOf(ptr, col, base, K, { from: range.to, to: H, width: 4 }) : 0 };
}

/** The wide layout of a segment (WideGroupSparse), or null when wideGroupEntries says it does not pay. */
export function encodeWideGroups(ptr: ArrayLike<number>, col: ArrayLike<number>, val: ArrayLike<number>, base: number, H: number, K: number): WideGroupSparse | null {
  const fit = wideGroupEntries(ptr, col, base, H, K);
  if (!fit) return null;
  const to = WIDE_UNITS * fit.blocks;
  const g = encodeRange(ptr, col, val, base, K, { from: 0, to, width: WIDE_UNITS });
  const tail = to < H ? encodeRange(ptr, col, val, base, K, { from: to, to: H, width: 4 }) : null;
  return { ...g, blocks: fit.blocks, tail };
}

/**
 * Writes a row-group layout (four-unit or wide) at element offset `at` of f (ints: an Int32Array over
 * the same memory), columns scaled to the engine's addressing unit; returns where its parts went.
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

/** Places a wide layout and its tail after it (placeGroups); wideEnd gives the floats they take. */
export function placeWideGroups(f: Float32Array, ints: Int32Array, g: WideGroupSparse, at: number, unit: number): WidePlacement {
  const wide = placeGroups(f, ints, g, at, unit);
  const tail = g.tail ? placeGroups(f, ints, g.tail, groupsEnd(g, at), unit) : null;
  return { ...wide, blocks: g.blocks, tail };
}

export const wideEnd = (g: WideGroupSparse, at: number): number => (g.tail ? groupsEnd(g.tail, groupsEnd(g, at)) : groupsEnd(g, at));
