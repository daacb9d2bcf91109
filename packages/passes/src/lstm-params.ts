/**
 * Typed access to the parameters of ONNX LSTM nodes: W [dirs, 4H, I],
 * R [dirs, 4H, H], B [dirs, 8H]; gates stacked in ONNX order i, o, f, c.
 * A "matrix" is one direction's W or R: 4H rows by I (or H) columns, row-major.
 */
import { type Graph, type Node, type Tensor, makeTensor, updateGraph } from '@lstmc/ir';

export const MATRICES = ['W', 'R'] as const;
export type MatrixKind = (typeof MATRICES)[number];

/** ONNX gate order within the 4H rows. */
export const GATES = ['i', 'o', 'f', 'c'] as const;
export type Gate = (typeof GATES)[number];

export interface LstmParams {
  readonly node: Node;
  readonly dirs: 1 | 2;
  readonly hidden: number;
  readonly inputSize: number;
  readonly W: Tensor;
  readonly R: Tensor;
  readonly B: Tensor | undefined;
}

const FLOAT_STORAGE = new Set(['f32', 'f64', 'f16', 'bf16']);

/**
 * The parameters of an LSTM node, or undefined when W or R is not a float
 * initializer (then passes that need weights skip the node).
 */
export function lstmParams(g: Graph, node: Node): LstmParams | undefined {
  if (node.op !== 'LSTM' || (node.domain !== '' && node.domain !== 'ai.onnx')) return undefined;
  const W = g.initializers.get(node.inputs[1]);
  const R = g.initializers.get(node.inputs[2]);
  const B = node.inputs[3] ? g.initializers.get(node.inputs[3]) : undefined;
  if (!W || !R || !FLOAT_STORAGE.has(W.dtype) || !FLOAT_STORAGE.has(R.dtype)) return undefined;
  if (node.inputs[3] && !B) return undefined;
  const dirs = W.dims[0] as 1 | 2;
  const hidden = R.dims[2];
  return { node, dirs, hidden, inputSize: W.dims[2], W, R, B };
}

export function lstmNodes(g: Graph): Node[] {
  return g.nodes.filter((n) => n.op === 'LSTM' && (n.domain === '' || n.domain === 'ai.onnx'));
}

export function matrixCols(p: LstmParams, m: MatrixKind): number {
  return m === 'W' ? p.inputSize : p.hidden;
}

/**
 * One direction's matrix as float32 (4H x cols, row-major), read-only: a view of the tensor's
 * storage when that is float32 (immutable IR: tensors share their arrays), else a converted copy.
 */
export function readMatrix(p: LstmParams, m: MatrixKind, dir: number): Float32Array {
  const t = p[m];
  const size = 4 * p.hidden * matrixCols(p, m);
  const src = t.data as ArrayLike<number>;
  if (src instanceof Float32Array) return src.subarray(dir * size, (dir + 1) * size);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = src[dir * size + i];
  return out;
}

/** The tensor with one matrix per direction replaced (same dtype and dims); it may take over the given arrays, which must not change afterwards. */
export function buildMatrixTensor(p: LstmParams, m: MatrixKind, mats: readonly Float32Array[]): Tensor {
  const t = p[m];
  const size = 4 * p.hidden * matrixCols(p, m);
  // One direction's own array becomes the tensor's storage as it is (no copy).
  if (p.dirs === 1 && t.dtype !== 'f64' && mats[0].length === size && mats[0].byteOffset === 0 && mats[0].buffer.byteLength === size * 4) return makeTensor(t.dtype, t.dims, mats[0]);
  const data = new Float32Array(size * p.dirs);
  mats.forEach((a, d) => data.set(a, d * size));
  if (t.dtype === 'f64') return makeTensor('f64', t.dims, Float64Array.from(data));
  return makeTensor(t.dtype, t.dims, data);
}

/** Replace initializers by name; types are unchanged since dims and dtype are kept. */
export function replaceInitializers(g: Graph, repl: ReadonlyMap<string, Tensor>): Graph {
  if (repl.size === 0) return g;
  const inits = new Map(g.initializers);
  for (const [k, t] of repl) inits.set(k, t);
  return updateGraph(g, { initializers: inits });
}

/** Fraction of exact zeros of `a[from, to)`. */
export function zeroFractionOf(a: ArrayLike<number>, from = 0, to = a.length): number {
  if (to <= from) return 0;
  let z = 0;
  for (let i = from; i < to; i++) if (a[i] === 0) z++;
  return z / (to - from);
}

/** Per-gate zero fractions of a 4H x cols matrix, in ONNX gate order. */
export function gateSparsity(a: Float32Array, hidden: number, cols: number): number[] {
  return matrixZeros(a, hidden, cols).gates;
}

/**
 * zeroFractionOf of a whole 4H x cols matrix and of each gate's rows (gateSparsity), from one
 * scan: the gates' zero counts add up to the matrix's, so the fractions are the same numbers.
 */
export function matrixZeros(a: Float32Array, hidden: number, cols: number): { readonly total: number; readonly gates: number[] } {
  const n = hidden * cols;
  const counts = GATES.map((_, k) => zeroCount(a, k * n, (k + 1) * n));
  const zeros = counts.reduce((s, z) => s + z, 0);
  return { total: a.length ? zeros / a.length : 0, gates: counts.map((z) => (n ? z / n : 0)) };
}

function zeroCount(a: Float32Array, from: number, to: number): number {
  let z = 0;
  for (let i = from; i < to; i++) if (a[i] === 0) z++;
  return z;
}

export function matrixLabel(node: Node, m: MatrixKind, dir: number, dirs: number): string {
  return dirs === 1 ? `${node.name}.${m}` : `${node.name}.${m}[${dir === 0 ? 'fwd' : 'rev'}]`;
}

/** The LSTM's layout attribute: 0 = [seq, batch, ...] (ONNX's default), 1 = batch first. */
export function lstmLayout(node: Node): 0 | 1 {
  return node.attrs.layout?.value === 1 ? 1 : 0;
}

/** Directions the LSTM runs: 2 when bidirectional. */
export function lstmDirections(node: Node): 1 | 2 {
  return node.attrs.direction?.value === 'bidirectional' ? 2 : 1;
}
