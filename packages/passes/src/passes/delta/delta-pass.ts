/**
 * `delta` (optional): DeltaRNN-style input sparsification of LSTM W inputs.
 * Records `lstmc.delta.threshold` on each layer; on calibration data it
 * measures the sparsity of the change vectors (what a sparse-input mode
 * would skip, recorded as `lstmc.delta.sparsity`) against the plain input
 * sparsity, and the layer output error caused by the approximation.
 * Backends that do not implement delta updates ignore the annotation and
 * compute the exact network.
 */
import { type Graph, type Node, type Tensor, inferTypes, isDiagnosticError, makeGraph, makeNode, makeTensor } from '@lstmc/ir';
import { ANN, type AttrPatch, floatsAttr, patchNodes } from '../../annotations.js';
import { type LayerTrace, traceForPass } from '../../calibration/index.js';
import { lstmLayout, lstmNodes } from '../../lstm-params.js';
import { definePass } from '../../pass.js';
import { deltaSequence } from './reconstruct.js';

export const deltaPass = definePass({
  name: 'delta',
  summary: 'DeltaRNN input sparsification: input changes below a threshold are sent as zero',
  options: {
    threshold: { kind: 'float', default: 0.05, min: 0, doc: 'smallest |x_t - reference| that is sent' },
    'error-budget': { kind: 'float', default: 0, min: 0, doc: 'fail when a layer output max abs error exceeds this (0 = no limit)' },
  },
  requires: [],
  establishes: ['delta'],
  invalidates: ['modes', 'encoded'],
  counters: {
    layers: 'LSTM layers annotated',
    'calibration-samples': 'samples measured',
  },
  async run(g, ctx) {
    const th = ctx.options.threshold;
    const traces = ctx.calibration.length ? await traceForPass(g, ctx) : [];
    ctx.count('calibration-samples', ctx.calibration.length);
    const patches = new Map<Node, AttrPatch>();
    const rows: (string | number)[][] = [];
    for (const n of lstmNodes(g)) {
      ctx.count('layers');
      const patch: AttrPatch = { [ANN.deltaThreshold]: floatsAttr([th]) };
      const tr = traces.find((t) => t.node === n);
      if (tr) {
        const m = await measure(g, n, tr, th, ctx.evaluate);
        patch[ANN.deltaSparsity] = floatsAttr([m.deltaSparsity]);
        patch[ANN.deltaError] = floatsAttr([m.maxAbsError]);
        rows.push([n.name, th, m.inputSparsity, m.deltaSparsity, m.deltaSparsity - m.inputSparsity, m.maxAbsError]);
        if (ctx.options['error-budget'] > 0 && m.maxAbsError > ctx.options['error-budget'])
          ctx.fail('E-DELTA-BUDGET', `layer '${n.name}': output error ${m.maxAbsError.toExponential(3)} with threshold ${th} exceeds the error budget ${ctx.options['error-budget']}`, n.name);
      } else rows.push([n.name, th, 'n/a', 'n/a', 'n/a', 'n/a']);
      patches.set(n, patch);
    }
    ctx.report({ title: 'delta: input change sparsity', columns: ['layer', 'threshold', 'input sparsity', 'delta sparsity', 'gained', 'max abs output error'], rows });
    return patchNodes(g, patches);
  },
});

interface DeltaMeasure {
  readonly inputSparsity: number;
  readonly deltaSparsity: number;
  readonly maxAbsError: number;
}

/** The layer alone: its computed inputs become graph inputs, its parameters stay initializers. */
function layerGraph(g: Graph, n: Node): { graph: Graph; yName: string; fed: string[] } {
  const fed = n.inputs.filter((i, k) => i && (k === 0 || !g.initializers.has(i)));
  const yName = n.outputs[0] || 'lstmc.delta.Y';
  const node = makeNode({ ...n, outputs: [yName] });
  const inits = n.inputs.filter((i) => i && g.initializers.has(i)).map((i): [string, Tensor] => [i, g.initializers.get(i)!]);
  const graph = inferTypes(
    makeGraph({ name: `${n.name}.alone`, opsets: { ...g.opsets }, inputs: fed, outputs: [yName], initializers: inits, values: fed.map((f) => [f, g.values.get(f)!]), nodes: [node] }),
  );
  return { graph, yName, fed };
}

async function measure(g: Graph, n: Node, tr: LayerTrace, th: number, evaluate: Parameters<typeof deltaPass.run>[1]['evaluate']): Promise<DeltaMeasure> {
  const layout = lstmLayout(n);
  const { graph, yName, fed } = layerGraph(g, n);
  let zerosX = 0;
  let zerosD = 0;
  let total = 0;
  let maxAbsError = 0;
  for (const [k, x] of tr.x.entries()) {
    const [T, B, I] = layout === 0 ? x.dims : [x.dims[1], x.dims[0], x.dims[2]];
    const xs = x.data as ArrayLike<number>;
    for (let i = 0; i < xs.length; i++) if (xs[i] === 0) zerosX++;
    // Delta runs along time; for layout 1 ([B, T, I]) swap to time-major and back.
    const tm = layout === 0 ? xs : swap(xs, B, T, I);
    const d = deltaSequence(tm, T, B, I, th);
    zerosD += d.zeros;
    total += d.total;
    const xHat = makeTensor('f32', x.dims, layout === 0 ? d.reconstructed : swap(d.reconstructed, T, B, I));
    const feed = (xin: Tensor) => new Map(fed.map((f, j) => [f, j === 0 ? xin : valueOf(tr, n, f, k)]));
    const exact = (await evaluate(graph, feed(x), [yName])).get(yName)!;
    const approx = (await evaluate(graph, feed(xHat), [yName])).get(yName)!;
    const a = exact.data as ArrayLike<number>;
    const b = approx.data as ArrayLike<number>;
    for (let i = 0; i < a.length; i++) maxAbsError = Math.max(maxAbsError, Math.abs(a[i] - b[i]));
  }
  return { inputSparsity: total ? zerosX / total : 0, deltaSparsity: total ? zerosD / total : 0, maxAbsError };
}

function valueOf(tr: LayerTrace, n: Node, name: string, k: number): Tensor {
  const slot = n.inputs.indexOf(name);
  const t = slot === 4 ? tr.seqLens[k] : slot === 5 ? tr.h0[k] : slot === 6 ? tr.c0[k] : undefined;
  if (!t) throw new Error(`delta: no calibration value for '${name}' of '${n.name}'`);
  return t;
}

/** [A, B, I] -> [B, A, I]. */
function swap(x: ArrayLike<number>, A: number, B: number, I: number): Float32Array {
  const out = new Float32Array(A * B * I);
  for (let a = 0; a < A; a++) for (let b = 0; b < B; b++) for (let i = 0; i < I; i++) out[(b * A + a) * I + i] = x[(a * B + b) * I + i];
  return out;
}
