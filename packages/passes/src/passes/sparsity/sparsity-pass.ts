/**
 * `sparsity`: records the weight sparsity of every LSTM matrix and gate, and
 * (input=calibration) the input sparsity each layer actually sees on the
 * calibration data: zeros of x_t for W, of h_(t-1) for R.
 */
import { type Graph, type Node, isDiagnosticError } from '@lstmc/ir';
import { ANN, type AttrPatch, floatsAttr, patchNodes } from '../../annotations.js';
import { hSparsity, traceForPass, xSparsity } from '../../calibration/index.js';
import { GATES, MATRICES, lstmDirections, lstmLayout, lstmNodes, lstmParams, matrixCols, matrixLabel, matrixZeros, readMatrix } from '../../lstm-params.js';
import { definePass } from '../../pass.js';
import { reachingBranches } from '../../branch-lstms.js';

export const sparsityPass = reachingBranches(definePass({
  name: 'sparsity',
  summary: 'weight sparsity per LSTM matrix and gate; input sparsity per layer from calibration data',
  options: {
    input: {
      kind: 'enum',
      values: ['off', 'calibration'],
      default: 'off',
      doc: 'calibration: also measure the input sparsity each layer sees on --calibration data',
    },
  },
  requires: [],
  establishes: ['weight-sparsity'],
  establishesWhen: (o) => (o.input === 'calibration' ? ['input-sparsity'] : []),
  invalidates: [],
  counters: {
    matrices: 'matrices analysed',
    'zero-weights': 'zero weights over all matrices',
    'calibration-samples': 'calibration samples evaluated',
  },
  async run(g, ctx) {
    const rows: (string | number)[][] = [];
    const patches = new Map<Node, AttrPatch>();
    const nodes = lstmNodes(g);
    for (const [k, n] of nodes.entries()) {
      const p = lstmParams(g, n);
      if (!p) continue;
      ctx.progress(n.name, k, nodes.length);
      const patch: AttrPatch = {};
      for (const m of MATRICES) {
        const total: number[] = [];
        const gates: number[] = [];
        for (let d = 0; d < p.dirs; d++) {
          const a = readMatrix(p, m, d);
          const cols = matrixCols(p, m);
          const { total: s, gates: gs } = matrixZeros(a, p.hidden, cols);
          total.push(s);
          gates.push(...gs);
          ctx.count('matrices');
          ctx.count('zero-weights', Math.round(s * a.length));
          rows.push([matrixLabel(n, m, d, p.dirs), `${4 * p.hidden}x${cols}`, s, ...gs]);
        }
        patch[m === 'W' ? ANN.sparsityW : ANN.sparsityR] = floatsAttr(total);
        patch[m === 'W' ? ANN.sparsityWGates : ANN.sparsityRGates] = floatsAttr(gates);
      }
      patches.set(n, patch);
    }
    ctx.report({ title: 'sparsity: weights (fraction of zeros)', columns: ['matrix', 'shape', 'total', ...GATES.map((x) => `gate ${x}`)], rows });

    // In an If branch the samples are the outer samples that take it (branch-lstms.ts), counted once at
    // the top level; in a branch no sample takes, input sparsity stays unmeasured.
    if (ctx.options.input === 'calibration' && (!ctx.inBranch || ctx.calibration.length > 0)) {
      if (ctx.calibration.length === 0) ctx.fail('E-SPARSITY-NO-CALIBRATION', 'input=calibration needs calibration data (--calibration DIR)');
      ctx.progress('calibration run', nodes.length, nodes.length);
      const traces = await traceForPass(g, ctx);
      if (!ctx.inBranch) ctx.count('calibration-samples', ctx.calibration.length);
      const inRows: (string | number)[][] = [];
      for (const tr of traces) {
        const p = lstmParams(g, tr.node);
        const dirs = p?.dirs ?? lstmDirections(tr.node);
        const layout = lstmLayout(tr.node);
        const xs = xSparsity(tr);
        const hs = Array.from({ length: dirs }, (_, d) => hSparsity(tr, d, layout));
        const patch = patches.get(tr.node) ?? {};
        patch[ANN.inputSparsityW] = floatsAttr(new Array(dirs).fill(xs));
        patch[ANN.inputSparsityR] = floatsAttr(hs);
        patches.set(tr.node, patch);
        inRows.push([tr.node.name, xs, ...hs]);
      }
      ctx.report({ title: 'sparsity: layer inputs on calibration data (fraction of zeros)', columns: ['layer', 'x (W input)', 'h fwd (R input)', 'h rev'], rows: inRows });
    }
    return patchNodes(g, patches);
  },
}));
