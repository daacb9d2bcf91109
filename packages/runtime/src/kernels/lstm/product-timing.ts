import { encodeGroups, encodeWideGroups, groupEntries, groupsEnd, placeGroups, placeWideGroups, wideEnd, wideGroupEntries } from './group-sparse.js';
import { int8SparseProduct, quantizeGroups, quantizeRows, quantizeWideGroups } from './int8-sparse.js';
import { int8Product, quantizeSection } from './int8-weights.js';
import { createMatvecEngine, encodeSparsePairs, resolveEngine, type EngineChoice, type MatvecEngine } from './matvec-engine.js';
import { packedIndex } from './pack.js';
import { csrProduct, denseProduct, groupProduct, wideGroupProduct, type RowProduct } from './row-products.js';
import { rowGroupsPay } from './lstm-sparse-f32.js';

/**
 * The weight kernels of one LSTM matrix product on the CPU, and their measured speed: what the CPU
 * cost model (`select-mode{cost=cpu}`, tools/scripts/measure-cpu-costs.mjs) is made from. A matrix is
 * one direction's W or R, [4H rows in ONNX gate order][K].
 */
export const PRODUCT_KERNELS = ['dense-f32', 'dense-int8', 'groups-f32', 'groups-int8', 'csr-f32', 'csr-int8', 'wide-f32', 'wide-int8'] as const;
export type ProductKernel = (typeof PRODUCT_KERNELS)[number];

/**
 * What a product's work is counted in: multiply-adds (dense), row-group entries, non-zeros (CSR), wide
 * row-group entries (a four-unit entry of the tail counting a quarter).
 */
export const PRODUCT_UNITS = { 'dense-f32': 'mac', 'dense-int8': 'mac', 'groups-f32': 'entry', 'groups-int8': 'entry', 'csr-f32': 'nnz', 'csr-int8': 'nnz', 'wide-f32': 'wide-entry', 'wide-int8': 'wide-entry' } as const satisfies Record<ProductKernel, string>;

/** The sparsity structure the kernels see. */
export interface MatrixStructure {
  readonly nnz: number;
  /** Entries of the row-group layout (group-sparse.ts). */
  readonly groupEntries: number;
  /** Whether lstm.sparse.f32 runs this matrix in row groups (else CSR): rowGroupsPay. */
  readonly rowGroups: boolean;
  /** Whether those row groups are wide (16 units of a gate share their columns), and their entries (a tail entry counts 1/4). */
  readonly wideGroups: boolean;
  readonly wideEntries: number;
}

interface Csr {
  readonly ptr: Int32Array;
  readonly col: Int32Array;
  readonly val: Float32Array;
}

/** CSR of the matrix in the packed row order r = 4j + g (one segment of sparse-layout.ts). */
function csrOf(m: ArrayLike<number>, H: number, K: number): Csr {
  let nnz = 0;
  for (let i = 0; i < 4 * H * K; i++) if (m[i] !== 0) nnz++;
  const ptr = new Int32Array(4 * H + 1);
  const col = new Int32Array(nnz);
  const val = new Float32Array(nnz);
  let p = 0;
  for (let j = 0; j < H; j++)
    for (let g = 0; g < 4; g++) {
      for (let k = 0, row = (g * H + j) * K; k < K; k++) {
        const v = m[row + k]!;
        if (v !== 0) (col[p] = k), (val[p++] = v);
      }
      ptr[4 * j + g + 1] = p;
    }
  return { ptr, col, val };
}

export function matrixStructure(m: ArrayLike<number>, H: number, K: number): MatrixStructure {
  const c = csrOf(m, H, K);
  const rowGroups = rowGroupsPay(c.ptr, c.col, 0, H, K);
  const wide = rowGroups ? wideGroupEntries(c.ptr, c.col, 0, H, K) : null;
  return { nnz: c.col.length, groupEntries: groupEntries(c.ptr, c.col, 0, H, K), rowGroups, wideGroups: wide !== null, wideEntries: wide ? wide.wide + wide.tail / 4 : 0 };
}

/** The work one product does on `kernel`, in PRODUCT_UNITS. */
export function productUnits(s: MatrixStructure, H: number, K: number, kernel: ProductKernel): number {
  const unit = PRODUCT_UNITS[kernel];
  return unit === 'mac' ? 4 * H * K : unit === 'entry' ? s.groupEntries : unit === 'wide-entry' ? s.wideEntries : s.nnz;
}

/** An engine holding the matrix for `kernel`, and its product. */
function productOf(m: ArrayLike<number>, H: number, K: number, kernel: ProductKernel, choice: EngineChoice): { e: MatvecEngine; product: RowProduct } {
  const unit = resolveEngine(choice).kind === 'wasm-simd' ? 4 : 1;
  if (kernel === 'dense-f32' || kernel === 'dense-int8') {
    const w = new Float32Array(16 * H * Math.ceil(K / 4));
    for (let j = 0; j < H; j++) for (let g = 0; g < 4; g++) for (let k = 0; k < K; k++) w[packedIndex(j, k, g, K)] = m[(g * H + j) * K + k]!;
    const e = createMatvecEngine(w, choice);
    return { e, product: kernel === 'dense-f32' ? denseProduct(e, 0, H, K) : int8Product(e, quantizeSection(e, 0, H, K), H) };
  }
  const c = csrOf(m, H, K);
  if (kernel === 'groups-int8' || kernel === 'csr-int8') {
    const e = createMatvecEngine(new Float32Array(4), choice);
    const q = kernel === 'groups-int8' ? quantizeGroups(e, encodeGroups(c.ptr, c.col, c.val, 0, H, K), H, K) : quantizeRows(e, c.ptr, c.col, c.val, 0, H, K);
    return { e, product: int8SparseProduct(e, q, H) };
  }
  if (kernel === 'wide-f32' || kernel === 'wide-int8') {
    const g = encodeWideGroups(c.ptr, c.col, c.val, 0, H, K);
    if (!g) throw new Error(`${kernel}: the matrix has no 16-unit row-group structure`);
    if (kernel === 'wide-int8') {
      const e = createMatvecEngine(new Float32Array(4), choice);
      return { e, product: int8SparseProduct(e, quantizeWideGroups(e, g, K), H) };
    }
    const f = new Float32Array(wideEnd(g, 0));
    const at = placeWideGroups(f, new Int32Array(f.buffer), g, 0, unit);
    const e = createMatvecEngine(f, choice);
    return { e, product: wideGroupProduct(e, at, H) };
  }
  if (kernel === 'groups-f32') {
    const g = encodeGroups(c.ptr, c.col, c.val, 0, H, K);
    const f = new Float32Array(groupsEnd(g, 0));
    const at = placeGroups(f, new Int32Array(f.buffer), g, 0, unit);
    const e = createMatvecEngine(f, choice);
    return { e, product: groupProduct(e, at, H) };
  }
  const buf = new ArrayBuffer(4 * (2 * c.col.length + c.ptr.length));
  encodeSparsePairs(buf, unit, c.ptr, c.col, c.val, 0, 2 * c.col.length);
  const e = createMatvecEngine(new Float32Array(buf), choice);
  return { e, product: csrProduct(e, 2 * c.col.length, 0, 4 * H) };
}

export interface TimingOptions {
  /** Total time spent timing, in ms (default 100). */
  readonly ms?: number;
  /** Which quantile of the batch times is returned (default 0.1). */
  readonly quantile?: number;
  readonly matvec?: EngineChoice;
}

/** Each timed batch runs this long (about): shorter than a scheduler time slice. */
const BATCH_MS = 0.25;

/**
 * Time in ns of one product of the matrix m ([4H][K], ONNX gate order) with one vector (the recurrent
 * step at batch 1) on `kernel`: a low quantile of many short batches after a warm-up, because other
 * jobs on a shared machine only ever slow a batch down, and short batches often run between their
 * time slices. The vector is dense, in [-1, 1).
 */
export function timeProduct(m: ArrayLike<number>, H: number, K: number, kernel: ProductKernel, o: TimingOptions = {}): number {
  const { e, product } = productOf(m, H, K, kernel, o.matvec ?? 'auto');
  const Kp = Math.ceil(K / 4) * 4;
  e.scratch(Kp + 4 * H);
  const xs = Int32Array.of(e.scratchOff);
  const outs = Int32Array.of(e.scratchOff + Kp);
  for (let k = 0, s = 12345; k < K; k++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    e.mem[xs[0]! + k] = s / 2 ** 31 - 1;
  }
  // Warm-up (compiles and JITs), which also sizes the batches.
  let n = 0;
  const t0 = performance.now();
  while (n < 3 || performance.now() - t0 < 5) (product(1, xs, outs), n++);
  const batch = Math.max(1, Math.round((BATCH_MS * n) / (performance.now() - t0)));
  const times: number[] = [];
  const end = performance.now() + (o.ms ?? 100);
  while (times.length < 5 || performance.now() < end) {
    e.mem.fill(0, outs[0]!, outs[0]! + 4 * H);
    const t = performance.now();
    for (let i = 0; i < batch; i++) product(1, xs, outs);
    times.push(((performance.now() - t) * 1e6) / batch);
  }
  return times.sort((a, b) => a - b)[Math.floor((o.quantile ?? 0.1) * times.length)]!;
}
