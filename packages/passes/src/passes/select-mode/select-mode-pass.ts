/**
 * `select-mode`: per LSTM layer, direction and matrix (W: input part, R:
 * recurrent part), the patent's dense/sparse decision. Thresholds are given
 * or `auto`: the weight layouts (dense or sparse, per matrix) that make the
 * whole layer step cheapest on the target's cost model, weight streaming
 * included, expressed as per-matrix thresholds; input thresholds are the
 * per-matrix break-even input sparsity. The input test is static (calibration input sparsity), deferred to
 * run time (zero count of each input vector), or off (weight test alone).
 */
import type { Node } from '@lstmc/ir';
import { LAYOUT_COMBOS, type MatvecMode, type Target, expectedMatvecCycles, layoutsLabel } from '@lstmc/target';
import { ANN, type AttrPatch, floatsAttr, getFloats, intsAttr, patchNodes, stringAttr, stringsAttr } from '../../annotations.js';
import { MATRICES, type MatrixKind, matrixLabel } from '../../lstm-params.js';
import { definePass } from '../../pass.js';
import { reachingBranches } from '../../branch-lstms.js';
import { COMBINES, type Decision, decideRuntime, decideStatic, modeOf } from './rule.js';
import { autoInputThreshold, autoWeightThresholds, layerReportRow } from './thresholds.js';
import { NEVER, sparseLayers } from './layer-sizes.js';
import { INT8_CHOICES } from './cpu-choice.js';
import { selectCpu } from './select-cpu.js';

export { NEVER } from './layer-sizes.js';


export const selectModePass = reachingBranches(definePass({
  name: 'select-mode',
  summary: "the patent's rule: dense or sparse mode per layer and matrix from weight and input sparsity",
  options: {
    'weight-threshold': { kind: 'float-or-auto', default: 'auto', min: 0, max: 1, doc: 'weight sparsity from which the sparse mode is used; auto = per matrix, the layouts that make the whole layer step cheapest on the cost model (weight streaming included)' },
    'input-threshold': { kind: 'float-or-auto', default: 'auto', min: 0, max: 1, doc: 'input sparsity from which the sparse mode is used; auto = cost-model break-even' },
    combine: { kind: 'enum', values: COMBINES, default: 'or', doc: 'how the weight and input tests combine' },
    cost: { kind: 'enum', values: ['accel', 'cpu'], default: 'accel', doc: "whose cost model decides (auto thresholds): the accelerator target's, or the JS runtime's measured CPU kernel speeds (weights only: the runtime skips zero inputs per vector itself, input options are ignored)" },
    int8: { kind: 'enum', values: INT8_CHOICES, default: 'off', doc: 'cost=cpu: int8 weights never, where the CPU cost model predicts them faster (auto), or always (on)' },
    measure: { kind: 'bool', default: false, doc: 'cost=cpu: also time dense f32 and the chosen kernel on each matrix on this machine and report the measured speedup' },
    'error-budget': { kind: 'float', default: 0, min: 0, doc: "cost=cpu with int8: largest max abs error of a layer's h against f32 on the calibration data, a layer above it keeps f32 weights (0 = no limit; the error is measured and reported either way)" },
    'input-test': {
      kind: 'enum',
      values: ['runtime', 'static', 'off'],
      default: 'runtime',
      doc: 'input test: per step at run time, from calibration (static), or none',
    },
  },
  requires: ['weight-sparsity'],
  requiresWhen: (o) => (o['input-test'] === 'static' ? ['input-sparsity'] : []),
  establishes: ['modes'],
  invalidates: [],
  counters: {
    dense: 'matrices in dense mode',
    sparse: 'matrices in a sparse mode',
    runtime: 'matrices whose mode is chosen per step at run time',
  },
  run(g, ctx) {
    const o = ctx.options;
    if (o.cost === 'cpu') return selectCpu(g, ctx);
    if (o.int8 !== 'off' || o.measure) ctx.fail('E-MODE-CPU-OPTION', 'int8 and measure are options of the CPU cost model: add cost=cpu');
    const t = ctx.target;
    const rows: (string | number)[][] = [];
    const layerRows: (string | number)[][] = [];
    const patches = new Map<Node, AttrPatch>();
    const layers = sparseLayers(g);
    for (const [k, { n, wsW, wsR, dirs, hidden, inputSize }] of layers.entries()) {
      ctx.progress(n.name, k, layers.length);
      const patch: AttrPatch = { [ANN.modeCombine]: stringAttr(o.combine) };
      const inputSparsity = (m: MatrixKind, d: number) =>
        m === 'W' ? (getFloats(n, ANN.deltaSparsity)?.[0] ?? getFloats(n, ANN.inputSparsityW)?.[d]) : getFloats(n, ANN.inputSparsityR)?.[d];
      // Weight thresholds per direction: given, or from the whole layer step (W and R share the weight SRAM).
      const thresholds = Array.from({ length: dirs }, (_, d): Record<MatrixKind, number> => {
        const given = o['weight-threshold'];
        if (given !== 'auto') return { W: given, R: given };
        // Expected input sparsity: measured on calibration data when recorded (also for the run-time test,
        // whose branch will skip zeros), none when the input test is off (zeros are never skipped).
        const known = (m: MatrixKind) => (o['input-test'] === 'off' ? 0 : (inputSparsity(m, d) ?? 0));
        const layer = { input: inputSize, hidden, weightSparsityW: wsW[d], weightSparsityR: wsR[d], inputSparsityW: known('W'), inputSparsityR: known('R') };
        const auto = autoWeightThresholds(layer, t);
        layerRows.push(layerReportRow(dirs === 1 ? n.name : `${n.name}[${d === 0 ? 'fwd' : 'rev'}]`, layer, auto));
        return auto.thresholds;
      });
      for (const m of MATRICES) {
        const cols = m === 'W' ? inputSize : hidden;
        const shape = { rows: 4 * hidden, cols };
        const modes: string[] = [];
        const highs: string[] = [];
        const counts: number[] = [];
        const wts: number[] = [];
        const its: number[] = [];
        for (let d = 0; d < dirs; d++) {
          const wt = thresholds[d][m];
          const ws = (m === 'W' ? wsW : wsR)[d];
          const wp = ws >= wt;
          // With delta updates the W product sees the change vectors, whose sparsity delta measured.
          const measured = inputSparsity(m, d);
          const is = o['input-test'] === 'static' ? measured : undefined;
          if (o['input-test'] === 'static' && is === undefined) ctx.fail('E-MODE-NO-INPUT-SPARSITY', `layer '${n.name}' has no recorded input sparsity`);
          // The input test only matters when its outcome changes the mode.
          const low = modeOf(wp, false, o.combine);
          const high = modeOf(wp, true, o.combine);
          const it =
            o['input-test'] === 'off'
              ? Number.POSITIVE_INFINITY
              : o['input-threshold'] !== 'auto'
                ? o['input-threshold']
                : low === high
                  ? Number.POSITIVE_INFINITY
                  : autoInputThreshold(shape, t, ws, low, high);
          const dec: Decision =
            o['input-test'] === 'runtime' ? decideRuntime(ws, wt, it, cols, o.combine) : decideStatic(ws, wt, is, it, o.combine);
          modes.push(dec.kind === 'static' ? dec.mode : dec.low);
          highs.push(dec.kind === 'runtime' ? dec.high : '');
          counts.push(dec.kind === 'runtime' ? dec.zeroCount : 0);
          wts.push(Number.isFinite(wt) ? wt : NEVER);
          its.push(Number.isFinite(it) ? it : NEVER);
          ctx.count(dec.kind === 'runtime' ? 'runtime' : dec.mode === 'dense' ? 'dense' : 'sparse');
          rows.push(reportRow(n, m, d, dirs, shape, ws, wt, is, it, dec, t));
        }
        patch[m === 'W' ? ANN.modeW : ANN.modeR] = stringsAttr(modes);
        patch[m === 'W' ? ANN.modeWeightThresholdW : ANN.modeWeightThresholdR] = floatsAttr(wts);
        patch[m === 'W' ? ANN.modeInputThresholdW : ANN.modeInputThresholdR] = floatsAttr(its);
        if (o['input-test'] === 'runtime') {
          patch[m === 'W' ? ANN.modeWRuntime : ANN.modeRRuntime] = stringsAttr(highs);
          patch[m === 'W' ? ANN.modeWZeroCount : ANN.modeRZeroCount] = intsAttr(counts);
        }
      }
      patches.set(n, patch);
    }
    ctx.report({
      title: `select-mode: combine=${o.combine}, input test ${o['input-test']}`,
      columns: ['matrix', 'shape', 'weight sp.', 'w. threshold', 'input sp.', 'i. threshold', 'mode', 'run-time mode', 'zero count', 'dense cycles', 'chosen cycles'],
      rows,
    });
    if (o['weight-threshold'] === 'auto')
      ctx.report({
        title: 'select-mode: weight layouts from the layer step cost (weight-threshold=auto), expected cycles per step',
        columns: ['layer', 'W sp.', 'R sp.', ...LAYOUT_COMBOS.map((c) => layoutsLabel(c)), 'cheapest W/R', 'W threshold', 'R threshold'],
        rows: layerRows,
      });
    return patchNodes(g, patches);
  },
}));

function fmt(v: number | undefined): string | number {
  return v === undefined ? '-' : Number.isFinite(v) ? v : 'never';
}

function reportRow(
  n: Node,
  m: MatrixKind,
  d: number,
  dirs: number,
  shape: { rows: number; cols: number },
  ws: number,
  wt: number,
  is: number | undefined,
  it: number,
  dec: Decision,
  t: Target,
): (string | number)[] {
  const cyc = (mode: MatvecMode) => expectedMatvecCycles(shape, mode, ws, is ?? 0, t);
  return [
    matrixLabel(n, m, d, dirs),
    `${shape.rows}x${shape.cols}`,
    ws,
    fmt(wt),
    is === undefined ? 'run time' : is,
    fmt(it),
    dec.kind === 'static' ? dec.mode : dec.low,
    dec.kind === 'runtime' ? dec.high : '-',
    dec.kind === 'runtime' ? dec.zeroCount : '-',
    cyc('dense'),
    cyc(dec.kind === 'static' ? dec.mode : dec.low),
  ];
}
