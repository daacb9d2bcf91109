import { rtFail } from '../../errors.js';
import { checkLstmWeights, lstmPackedSections, packLstmSectionsInto, type LstmWeights } from './pack.js';

/**
 * The weight layout of the sparse float32 LSTM kernel (`lstm.sparse.f32`): W and/or R in compressed
 * sparse rows (CSR), the rest in the packed layout of pack.ts.
 *
 * Rows follow the packed row order of pack.ts: row r = 4j + g is gate g (ONNX order i, o, f, c) of
 * hidden unit j, i.e. ONNX row g*H + j, so a row's product lands at offset r of a step's
 * pre-activation row [j][g]. Four arrays:
 *
 *   dense  f32 [D, stride]   per direction: the dense W section (only when W is not sparse), the dense R
 *                            section (only when R is not sparse), bias 4H, peepholes 4H; each as in pack.ts
 *   ptr    i32 [D*S*(4H+1)]  row pointers of S = (sparse W) + (sparse R) segments, in the order
 *                            (d = 0: W, R), (d = 1: W, R); absolute indices into col/val: segment s's
 *                            first pointer is segment s-1's last (0 for the first), the last one is nnz
 *   col    i32 [nnz]         column (input index k) of each non-zero, increasing within a row
 *   val    f32 [nnz]         the non-zero weights
 *
 * Exact zeros are dropped. `validateLstmSparse` checks everything the kernels index with.
 */
export interface LstmSparseChoice {
  readonly sparseW: boolean;
  readonly sparseR: boolean;
}

export interface LstmSparseSections {
  /** Offsets of the dense sections within one direction's row; -1 for a sparse matrix. */
  readonly w: number;
  readonly r: number;
  readonly bias: number;
  readonly peep: number;
  readonly stride: number;
  /** Sparse segments per direction. */
  readonly segments: number;
}

export function lstmSparseSections(hiddenSize: number, inputSize: number, c: LstmSparseChoice): LstmSparseSections {
  const full = lstmPackedSections(hiddenSize, inputSize);
  const wLen = c.sparseW ? 0 : full.r - full.w;
  const rLen = c.sparseR ? 0 : full.bias - full.r;
  const bias = wLen + rLen;
  return { w: c.sparseW ? -1 : 0, r: c.sparseR ? -1 : wLen, bias, peep: bias + 4 * hiddenSize, stride: bias + 8 * hiddenSize, segments: (c.sparseW ? 1 : 0) + (c.sparseR ? 1 : 0) };
}

export interface LstmSparseArrays {
  readonly dense: Float32Array;
  readonly ptr: Int32Array;
  readonly col: Int32Array;
  readonly val: Float32Array;
}

/** Number of non-zeros the sparse matrices of `w` have (the length of col and val). */
export function lstmSparseNonZeros(w: Pick<LstmWeights, 'W' | 'R'>, c: LstmSparseChoice): number {
  return (c.sparseW ? nonZerosOf(w.W) : 0) + (c.sparseR ? nonZerosOf(w.R) : 0);
}

function nonZerosOf(a: Float32Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) n++;
  return n;
}

/** Packs ONNX LSTM weights into the sparse layout (see the module comment). */
export function packLstmSparse(w: LstmWeights, c: LstmSparseChoice): LstmSparseArrays {
  const { numDirections: D, hiddenSize: H, inputSize: I } = w;
  checkLstmWeights(w);
  const s = lstmSparseSections(H, I, c);
  // The dense sections, packed where this layout keeps them (a sparse matrix's offset is -1: left out).
  const dense = new Float32Array(D * s.stride);
  packLstmSectionsInto(w, dense, s);
  const nnz = lstmSparseNonZeros(w, c);
  const ptr = new Int32Array(D * s.segments * (4 * H + 1));
  const col = new Int32Array(nnz);
  const val = new Float32Array(nnz);
  let p = 0;
  let pi = 0;
  for (let d = 0; d < D; d++) {
    for (const [on, m, K] of [[c.sparseW, w.W, I], [c.sparseR, w.R, H]] as const) {
      if (!on) continue;
      for (let j = 0; j < H; j++) {
        for (let g = 0; g < 4; g++) {
          ptr[pi++] = p;
          const row = (d * 4 * H + g * H + j) * K;
          for (let k = 0; k < K; k++) {
            const v = m[row + k]!;
            if (v !== 0) {
              col[p] = k;
              val[p++] = v;
            }
          }
        }
      }
      ptr[pi++] = p;
    }
  }
  return { dense, ptr, col, val };
}

/**
 * Checks sparse arrays before any kernel indexes with them (E-RT-SPARSE): lengths consistent, every
 * segment's row pointers monotone, contiguous with the previous segment and within [0, nnz], and every
 * column index within its matrix (I for W, H for R).
 */
export function validateLstmSparse(D: number, H: number, I: number, c: LstmSparseChoice, ptr: ArrayLike<number>, col: ArrayLike<number>, valLength: number, field?: string): void {
  const bad = (msg: string): never => rtFail('E-RT-SPARSE', `sparse LSTM weights: ${msg}`, field !== undefined ? { field } : {});
  const S = (c.sparseW ? 1 : 0) + (c.sparseR ? 1 : 0);
  if (S === 0) bad('neither W nor R is sparse');
  const rows = 4 * H;
  if (ptr.length !== D * S * (rows + 1)) bad(`row pointers have ${ptr.length} entries, expected ${D * S * (rows + 1)}`);
  if (col.length !== valLength) bad(`${col.length} column indices but ${valLength} values`);
  const nnz = valLength;
  let prev = 0;
  for (let s = 0; s < D * S; s++) {
    const base = s * (rows + 1);
    if (ptr[base] !== prev) bad(`segment ${s} starts at ${ptr[base]}, expected ${prev}`);
    const K = c.sparseW && s % S === 0 ? I : H;
    for (let r = 0; r < rows; r++) {
      const a = ptr[base + r]!;
      const b = ptr[base + r + 1]!;
      if (!(Number.isInteger(b) && b >= a && b <= nnz)) bad(`row pointer ${base + r + 1} = ${b} is not within [${a}, ${nnz}]`);
      for (let p = a; p < b; p++) {
        const k = col[p]!;
        if (!(Number.isInteger(k) && k >= 0 && k < K)) bad(`column index ${p} = ${k} is outside [0, ${K})`);
      }
    }
    prev = ptr[base + rows]!;
  }
  if (prev !== nnz) bad(`row pointers end at ${prev}, but there are ${nnz} values`);
}
