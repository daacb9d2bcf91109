/**
 * `select-mode{cost=cpu}`: the weight kernel of each LSTM matrix on the JS runtime, from the CPU cost
 * model of @lstmc/target (measured ns per multiply-add / row-group entry / non-zero of each kernel).
 * A matrix runs dense or sparse (the runtime puts a sparse matrix in row groups when its structure
 * pays, else in CSR: the model costs the layout the runtime will pick) in f32 or, when allowed, int8.
 */
import { type Graph, type Node } from '@lstmc/ir';
import { matrixStructure, timeProduct } from '@lstmc/runtime/timing';
import { CPU_PRECISIONS, type CpuKernel, type CpuMatrix, type CpuPrecision, cpuKernel, cpuProductNs, cpuWeightThreshold } from '@lstmc/target';
import { type MatrixKind, lstmParams, readMatrix } from '../../lstm-params.js';

export const INT8_CHOICES = ['off', 'auto', 'on'] as const;
export type Int8Choice = (typeof INT8_CHOICES)[number];

export interface CpuDecision {
  readonly sparse: boolean;
  readonly precision: CpuPrecision;
  readonly kernel: CpuKernel;
  /** The weight sparsity from which the chosen precision's sparse kernel is predicted faster (Infinity: never). */
  readonly threshold: number;
  /** Predicted ns of one product: dense f32 (the reference) and the chosen kernel. */
  readonly denseNs: number;
  readonly chosenNs: number;
}

/** A matrix of a layer, with its weights when they are an initializer (else only its sparsity is known). */
export interface CpuMatrixInput {
  readonly matrix: CpuMatrix;
  readonly hidden: number;
  readonly data: Float32Array | undefined;
}

/** One direction's W or R as the cost model sees it: structure from the weights, or a CSR estimate from the sparsity. */
export function cpuMatrixOf(g: Graph, n: Node, m: MatrixKind, d: number, hidden: number, cols: number, ws: number): CpuMatrixInput {
  const p = lstmParams(g, n);
  const rows = 4 * hidden;
  if (!p) return { matrix: { rows, cols, nnz: (1 - ws) * rows * cols, groupEntries: (1 - ws) * rows * cols, rowGroups: false, wideGroups: false, wideEntries: 0 }, hidden, data: undefined };
  const data = readMatrix(p, m, d);
  return { matrix: { rows, cols, ...matrixStructure(data, hidden, cols) }, hidden, data };
}

/**
 * The cheapest predicted kernel of the precisions `int8` allows. With a given weight threshold the mode
 * follows the patent's rule (ws >= threshold) and only the precision is costed.
 */
export function decideCpu(m: CpuMatrix, ws: number, given: number | 'auto', int8: Int8Choice): CpuDecision {
  const precisions = int8 === 'off' ? ['f32' as const] : int8 === 'on' ? ['int8' as const] : CPU_PRECISIONS;
  const denseNs = cpuProductNs(m, 'dense-f32');
  let best: CpuDecision | undefined;
  for (const precision of precisions) {
    const threshold = given === 'auto' ? cpuWeightThreshold(m, precision) : given;
    const sparse = ws >= threshold;
    const kernel = cpuKernel(m, precision, sparse);
    const chosenNs = cpuProductNs(m, kernel);
    if (!best || chosenNs < best.chosenNs) best = { sparse, precision, kernel, threshold, denseNs, chosenNs };
  }
  return best!;
}

/** Measured dense-f32 time / chosen kernel time of one product on this machine (runtime kernels, median of rounds). */
export function measuredSpeedup(x: CpuMatrixInput, kernel: CpuKernel): number | undefined {
  if (!x.data) return undefined;
  const K = x.matrix.cols;
  const o = { ms: 60 };
  return timeProduct(x.data, x.hidden, K, 'dense-f32', o) / timeProduct(x.data, x.hidden, K, kernel, o);
}
