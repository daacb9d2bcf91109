/**
 * The `cost=cpu` run of select-mode: per LSTM layer, direction and matrix, the weight kernel of the
 * JS runtime the CPU cost model predicts fastest (cpu-choice.ts). Records the same mode annotations
 * as the accelerator path (dense / sparse-weight, weight thresholds; no input test: the runtime skips
 * zero inputs per vector itself) plus the weight precision (lstmc.mode.W.weights / .R.weights).
 */
import type { Graph, Node } from '@lstmc/ir';
import { ANN, type AttrPatch, floatsAttr, patchNodes, stringAttr, stringsAttr } from '../../annotations.js';
import { MATRICES, matrixLabel } from '../../lstm-params.js';
import type { PassContext } from '../../pass.js';
import { type Int8Choice, cpuMatrixOf, decideCpu, measuredSpeedup } from './cpu-choice.js';
import { NEVER, sparseLayers } from './layer-sizes.js';

type Counter = 'dense' | 'sparse' | 'runtime';
interface CpuOptions {
  readonly 'weight-threshold': number | 'auto';
  readonly combine: string;
  readonly int8: Int8Choice;
  readonly measure: boolean;
}

export function selectCpu(g: Graph, ctx: PassContext<CpuOptions, Counter>): Graph {
  const o = ctx.options;
  const rows: (string | number)[][] = [];
  const patches = new Map<Node, AttrPatch>();
  for (const { n, wsW, wsR, dirs, hidden, inputSize } of sparseLayers(g)) {
    const patch: AttrPatch = { [ANN.modeCombine]: stringAttr(o.combine) };
    for (const m of MATRICES) {
      const cols = m === 'W' ? inputSize : hidden;
      const modes: string[] = [];
      const weights: string[] = [];
      const wts: number[] = [];
      for (let d = 0; d < dirs; d++) {
        const ws = (m === 'W' ? wsW : wsR)[d];
        const x = cpuMatrixOf(g, n, m, d, hidden, cols, ws);
        const dec = decideCpu(x.matrix, ws, o['weight-threshold'], o.int8);
        modes.push(dec.sparse ? 'sparse-weight' : 'dense');
        weights.push(dec.precision);
        wts.push(Number.isFinite(dec.threshold) ? dec.threshold : NEVER);
        ctx.count(dec.sparse ? 'sparse' : 'dense');
        const measured = o.measure ? measuredSpeedup(x, dec.kernel) : undefined;
        const structure = !x.data ? 'csr (estimated)'
          : x.matrix.wideGroups ? `wide row groups (${(x.matrix.wideEntries / x.matrix.nnz).toFixed(3)} entries/nnz)`
          : x.matrix.rowGroups ? `row groups (${(x.matrix.groupEntries / x.matrix.nnz).toFixed(2)} entries/nnz)` : 'csr';
        rows.push([
          matrixLabel(n, m, d, dirs), `${4 * hidden}x${cols}`, ws, structure, Number.isFinite(dec.threshold) ? dec.threshold : 'never',
          dec.sparse ? 'sparse-weight' : 'dense', dec.kernel, Math.round(dec.denseNs), Math.round(dec.chosenNs),
          Number((dec.denseNs / dec.chosenNs).toFixed(2)), measured === undefined ? '-' : Number(measured.toFixed(2)),
        ]);
      }
      patch[m === 'W' ? ANN.modeW : ANN.modeR] = stringsAttr(modes);
      patch[m === 'W' ? ANN.modeWeightsW : ANN.modeWeightsR] = stringsAttr(weights);
      patch[m === 'W' ? ANN.modeWeightThresholdW : ANN.modeWeightThresholdR] = floatsAttr(wts);
      patch[m === 'W' ? ANN.modeInputThresholdW : ANN.modeInputThresholdR] = floatsAttr(wts.map(() => NEVER));
    }
    patches.set(n, patch);
  }
  ctx.report({
    title: `select-mode: CPU cost model (cost=cpu, int8=${o.int8}), predicted ns of one product with one vector`,
    columns: ['matrix', 'shape', 'weight sp.', 'structure', 'w. threshold', 'mode', 'kernel', 'dense f32 ns', 'chosen ns', 'predicted speedup', 'measured speedup'],
    rows,
  });
  return patchNodes(g, patches);
}
