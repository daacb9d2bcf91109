/**
 * The `cost=cpu` run of select-mode: per LSTM layer, direction and matrix, the weight kernel of the
 * JS runtime the CPU cost model predicts fastest (cpu-choice.ts). Records the same mode annotations
 * as the accelerator path (dense / sparse-weight, weight thresholds; no input test: the runtime skips
 * zero inputs per vector itself) plus the weight precision (lstmc.mode.W.weights / .R.weights). Where
 * int8 was chosen, its error against f32 is measured on the calibration data and held to error-budget
 * (int8-error.ts), and recorded per layer (lstmc.mode.int8_error).
 */
import type { Graph, Node } from '@lstmc/ir';
import { ANN, type AttrPatch, floatsAttr, patchNodes, stringAttr, stringsAttr } from '../../annotations.js';
import { MATRICES, type MatrixKind, matrixLabel } from '../../lstm-params.js';
import type { PassContext } from '../../pass.js';
import { type Int8Choice, cpuMatrixOf, decideCpu, measuredSpeedup } from './cpu-choice.js';
import { NEVER, sparseLayers } from './layer-sizes.js';
import { type Int8Errors, int8Errors, lstmValues } from './int8-error.js';

type Counter = 'dense' | 'sparse' | 'runtime';
interface CpuOptions {
  readonly 'weight-threshold': number | 'auto';
  readonly combine: string;
  readonly int8: Int8Choice;
  readonly measure: boolean;
  readonly 'error-budget': number;
}

/** One layer's decisions: its annotations but the weight precisions, and those per matrix and direction. */
interface LayerChoice {
  readonly n: Node;
  readonly patch: AttrPatch;
  readonly weights: Readonly<Record<MatrixKind, readonly string[]>>;
}

export async function selectCpu(g: Graph, ctx: PassContext<CpuOptions, Counter>): Promise<Graph> {
  const o = ctx.options;
  const rows: (string | number)[][] = [];
  const layers: LayerChoice[] = [];
  for (const { n, wsW, wsR, dirs, hidden, inputSize } of sparseLayers(g)) {
    const patch: AttrPatch = { [ANN.modeCombine]: stringAttr(o.combine) };
    const weightsOf = { W: [] as string[], R: [] as string[] };
    for (const m of MATRICES) {
      const cols = m === 'W' ? inputSize : hidden;
      const modes: string[] = [];
      const weights = weightsOf[m];
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
      patch[m === 'W' ? ANN.modeWeightThresholdW : ANN.modeWeightThresholdR] = floatsAttr(wts);
      patch[m === 'W' ? ANN.modeInputThresholdW : ANN.modeInputThresholdR] = floatsAttr(wts.map(() => NEVER));
    }
    layers.push({ n, patch, weights: weightsOf });
  }
  ctx.report({
    title: `select-mode: CPU cost model (cost=cpu, int8=${o.int8}), predicted ns of one product with one vector`,
    columns: ['matrix', 'shape', 'weight sp.', 'structure', 'w. threshold', 'mode', 'kernel', 'dense f32 ns', 'chosen ns', 'predicted speedup', 'measured speedup'],
    rows,
  });
  return holdInt8ToBudget(g, layers, ctx);
}

/** The annotated graph with the layers in `f32` on f32 weights, and each int8 layer's measured error when known. */
function annotate(g: Graph, layers: readonly LayerChoice[], f32: ReadonlySet<string>, errors?: Int8Errors): Graph {
  return patchNodes(g, new Map(layers.map((l): [Node, AttrPatch] => {
    const back = f32.has(l.n.name);
    const patch: AttrPatch = {
      ...l.patch,
      [ANN.modeWeightsW]: stringsAttr(back ? l.weights.W.map(() => 'f32') : l.weights.W),
      [ANN.modeWeightsR]: stringsAttr(back ? l.weights.R.map(() => 'f32') : l.weights.R),
    };
    const e = errors?.layers.get(l.n.name);
    if (e && !back && usesInt8(l)) patch[ANN.modeInt8Error] = floatsAttr([e.h.maxAbs, e.cMaxAbs]);
    return [l.n, patch];
  })));
}

const usesInt8 = (l: LayerChoice) => [...l.weights.W, ...l.weights.R].includes('int8');

/**
 * int8 weights against f32 on the calibration data (int8-error.ts): the error of every int8 layer's
 * h and c and of every graph output, reported; with an `error-budget` (> 0), layers over it go back
 * to f32, the first in graph order each time, until the rest are within it (the all-f32 reference
 * runs once). Without calibration data nothing is measured (the report says so) and the choice stands.
 */
async function holdInt8ToBudget(g: Graph, layers: readonly LayerChoice[], ctx: PassContext<CpuOptions, Counter>): Promise<Graph> {
  const budget = ctx.options['error-budget'];
  const int8 = layers.filter(usesInt8);
  if (int8.length === 0) return annotate(g, layers, new Set());
  const title = `select-mode: int8 weights against f32 on the calibration data (error-budget=${budget > 0 ? budget : 'none'})`;
  const columns = ['layer', 'int8 matrices', 'max abs h', 'mean abs h', 'max abs c', 'weights'];
  const which = (l: LayerChoice) => (['W', 'R'] as const).flatMap((m) => l.weights[m].map((w, d) => (w === 'int8' ? (l.weights[m].length > 1 ? `${m}[${d === 0 ? 'fwd' : 'rev'}]` : m) : ''))).filter(Boolean).join(' ');
  if (ctx.calibration.length === 0) {
    ctx.report({ title, columns, rows: int8.map((l) => [l.n.name, which(l), '-', '-', '-', 'int8 (not measured: no calibration data, give --calibration DIR)']) });
    return annotate(g, layers, new Set());
  }
  const reference = await lstmValues(annotate(g, layers, new Set(layers.map((l) => l.n.name))), ctx);
  const reverted = new Map<string, Int8Errors>();
  let errors: Int8Errors;
  for (;;) {
    ctx.progress('int8 error on calibration data', reverted.size, int8.length);
    errors = await int8Errors(reference, annotate(g, layers, new Set(reverted.keys())), ctx);
    const over = budget > 0 ? int8.find((l) => !reverted.has(l.n.name) && !(errors.layers.get(l.n.name)!.h.maxAbs <= budget)) : undefined;
    if (!over) break;
    reverted.set(over.n.name, errors);
  }
  const fmt = (v: number) => Number(v.toPrecision(3));
  ctx.report({
    title,
    columns,
    rows: int8.map((l) => {
      const e = (reverted.get(l.n.name) ?? errors).layers.get(l.n.name)!;
      return [l.n.name, which(l), fmt(e.h.maxAbs), fmt(e.h.meanAbs), fmt(e.cMaxAbs), reverted.has(l.n.name) ? `f32 (int8 over the budget)` : 'int8'];
    }),
  });
  ctx.report({
    title: 'select-mode: graph outputs with the weights chosen, against all f32, on the calibration data',
    columns: ['output', 'max abs error', 'mean abs error'],
    rows: [...errors.outputs].map(([name, d]) => [name, fmt(d.maxAbs), fmt(d.meanAbs)]),
  });
  return annotate(g, layers, new Set(reverted.keys()), errors);
}
