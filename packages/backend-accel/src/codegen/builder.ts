import { countRelCsc, encodeRelCsc, rowsOfPes, type MatrixLayout, type RowAssignment, type Target } from '@lstmc/target';
import type { MatrixDesc } from '../container/program.js';
import { encodeCscBlob, encodeDenseBlob } from '../container/weights-blob.js';
import type { Instr } from '../isa/encode.js';
import type { Mnemonic } from '../isa/table.js';
import type { IntMatrix } from './lstm-plan.js';

/** Mutable state of one compilation (lives for one compileAccel call). */
export interface Builder {
  readonly target: Target;
  readonly code: { mnemonic: Mnemonic; operands: Record<string, number> }[];
  readonly debug: string[];
  readonly consts: number[];
  readonly matrices: MatrixDesc[];
  readonly weights: Uint8Array[];
  weightBytes: number;
  /** Debug text attached to instructions emitted from now on. */
  where: string;
}

export function newBuilder(target: Target): Builder {
  return { target, code: [], debug: [], consts: [], matrices: [], weights: [], weightBytes: 0, where: '' };
}

/** Append an instruction; returns its address (operands may be patched until finish). */
export function emit(b: Builder, mnemonic: Mnemonic, operands: Record<string, number> = {}): number {
  b.code.push({ mnemonic, operands: { ...operands } });
  b.debug.push(b.where);
  return b.code.length - 1;
}

export function here(b: Builder): number {
  return b.code.length;
}

export function addConsts(b: Builder, values: ArrayLike<number>): number {
  const at = b.consts.length;
  for (let i = 0; i < values.length; i++) b.consts.push(values[i]);
  return at;
}

export interface AddedMatrix {
  readonly index: number;
  readonly layout: MatrixLayout;
  readonly bytesPerPe: number[];
}

/** The per-PE layout a matrix (integers, row-major rows x cols) gets in the dense or the relative-indexed CSC layout. */
export function matrixLayout(t: Target, data: IntMatrix, rows: number, cols: number, sparse: boolean, a: RowAssignment): MatrixLayout {
  if (sparse) return countRelCsc(data, rows, cols, a, t.relIndexBits);
  return { cols, pes: t.pes, rowsPerPe: Int32Array.from(rowsOfPes(a), (r) => r.length), entriesPerPeColumn: new Int32Array(t.pes * cols) };
}

/** Columns c0 .. c1-1 of a row-major rows x cols matrix. */
function columnSlice(data: IntMatrix, rows: number, cols: number, c0: number, c1: number): IntMatrix {
  if (c0 === 0 && c1 === cols) return data;
  const w = c1 - c0;
  // the tile keeps the matrix's integer width (an i8 matrix's tiles are i8, not widened)
  const out = data instanceof Int8Array ? new Int8Array(rows * w) : data instanceof Int16Array ? new Int16Array(rows * w) : new Int32Array(rows * w);
  for (let r = 0; r < rows; r++) out.set(data.subarray(r * cols + c0, r * cols + c1), r * w);
  return out;
}

/**
 * Encode one matrix (integers, row-major rows x cols), or its columns c0 .. c1-1
 * (a weight tile), into per-PE blobs in the dense or the relative-indexed CSC
 * layout and add it to the matrix table.
 */
export function addMatrix(
  b: Builder,
  name: string,
  full: IntMatrix,
  rows: number,
  fullCols: number,
  sparse: boolean,
  shift: number,
  a: RowAssignment,
  c0 = 0,
  c1 = fullCols,
): AddedMatrix {
  const t = b.target;
  const cols = c1 - c0;
  const data = columnSlice(full, rows, fullCols, c0, c1);
  const blobs: Uint8Array[] = [];
  if (sparse) {
    const enc = encodeRelCsc(data, rows, cols, a, t.relIndexBits);
    for (const pe of enc.pes) blobs.push(encodeCscBlob(pe.colLen, pe.values, pe.relIdx, t.weightBits, t.relIndexBits));
  } else {
    for (const pr of rowsOfPes(a)) {
      const cm = new Int32Array(cols * pr.length);
      for (let c = 0; c < cols; c++) for (let l = 0; l < pr.length; l++) cm[c * pr.length + l] = data[pr[l] * cols + c];
      blobs.push(encodeDenseBlob(cm, t.weightBits));
    }
  }
  const layout = matrixLayout(t, data, rows, cols, sparse, a);
  const pes = blobs.map((blob) => {
    const e = { offset: b.weightBytes, bytes: blob.length };
    b.weights.push(blob);
    b.weightBytes += blob.length;
    return e;
  });
  const desc: MatrixDesc = {
    name,
    rows,
    cols,
    layout: sparse ? 'csc' : 'dense',
    shift,
    assignment: a.kind,
    ...(a.kind === 'balanced' ? { peOfRow: Array.from(a.peOfRow) } : {}),
    pes,
  };
  b.matrices.push(desc);
  return { index: b.matrices.length - 1, layout, bytesPerPe: blobs.map((x) => x.length) };
}

export function finishCode(b: Builder): Instr[] {
  return b.code.map((c) => ({ mnemonic: c.mnemonic, operands: c.operands }));
}

export function concatWeights(b: Builder): Uint8Array {
  const out = new Uint8Array(b.weightBytes);
  let o = 0;
  for (const w of b.weights) {
    out.set(w, o);
    o += w.length;
  }
  return out;
}
