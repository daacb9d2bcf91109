/**
 * What each LSTM layer actually sees on calibration data: its input sequence
 * X (the W product's input vectors) and its recurrent inputs h_(t-1) (the R
 * product's input vectors), per direction.
 */
import { type Graph, type Node, type Tensor, elemAsNumber, inferTypes, isDiagnosticError, makeNode, updateGraph } from '@lstmc/ir';
import { lstmNodes } from '../lstm-params.js';
import type { CalibrationSample } from '../pass.js';
import type { GraphEvaluator } from './evaluator.js';

export interface LayerTrace {
  readonly node: Node;
  /** X of the layer per sample. */
  readonly x: readonly Tensor[];
  /** Y of the layer per sample ([seq, dirs, batch, H], or [batch, seq, dirs, H] for layout 1). */
  readonly y: readonly Tensor[];
  /** initial_h per sample, when the node has one. */
  readonly h0: readonly (Tensor | undefined)[];
  /** initial_c per sample, when the node has one. */
  readonly c0: readonly (Tensor | undefined)[];
  /** sequence_lens per sample, when the node has one. */
  readonly seqLens: readonly (Tensor | undefined)[];
}

/** A graph whose every LSTM produces its Y under a known name (`lstmc.calib.<node>.Y` when it had none). */
export function withLstmOutputs(g: Graph): { graph: Graph; yName: Map<Node, string> } {
  const yName = new Map<Node, string>();
  let changed = false;
  const nodes = g.nodes.map((n) => {
    if (n.op !== 'LSTM' || n.outputs[0]) {
      if (n.op === 'LSTM') yName.set(n, n.outputs[0]);
      return n;
    }
    changed = true;
    const y = `lstmc.calib.${n.name}.Y`;
    const outputs = [y, n.outputs[1] ?? '', n.outputs[2] ?? ''];
    while (outputs.length > 1 && !outputs[outputs.length - 1]) outputs.pop();
    const m = makeNode({ ...n, outputs });
    yName.set(m, y);
    return m;
  });
  if (!changed) return { graph: g, yName };
  const graph = inferTypes(updateGraph(g, { nodes }));
  // Map the original nodes to the Y names of their copies.
  const byName = new Map<string, string>();
  for (const [n, y] of yName) byName.set(n.name, y);
  const orig = new Map<Node, string>();
  for (const n of lstmNodes(g)) orig.set(n, byName.get(n.name)!);
  return { graph, yName: orig };
}

export async function traceLayers(g: Graph, samples: readonly CalibrationSample[], evaluate: GraphEvaluator): Promise<LayerTrace[]> {
  const { graph, yName } = withLstmOutputs(g);
  const layers = lstmNodes(g);
  const optional = (n: Node) => [4, 5, 6].map((i) => n.inputs[i]).filter((v): v is string => !!v);
  const wanted = [...new Set(layers.flatMap((n) => [n.inputs[0], yName.get(n)!, ...optional(n)]))];
  const perSample: ReadonlyMap<string, Tensor>[] = [];
  for (const s of samples) perSample.push(await evaluate(graph, s, wanted));
  return layers.map((node) => ({
    node,
    x: perSample.map((v) => v.get(node.inputs[0])!),
    y: perSample.map((v) => v.get(yName.get(node)!)!),
    h0: perSample.map((v) => (node.inputs[5] ? v.get(node.inputs[5]) : undefined)),
    c0: perSample.map((v) => (node.inputs[6] ? v.get(node.inputs[6]) : undefined)),
    seqLens: perSample.map((v) => (node.inputs[4] ? v.get(node.inputs[4]) : undefined)),
  }));
}

function countZeros(t: Tensor): number {
  let z = 0;
  for (let i = 0; i < t.data.length; i++) if (elemAsNumber(t, i) === 0) z++;
  return z;
}

/** Zero fraction of the layer's input vectors x_t over all samples. */
export function xSparsity(tr: LayerTrace): number {
  let z = 0;
  let n = 0;
  for (const x of tr.x) {
    z += countZeros(x);
    n += x.data.length;
  }
  return n ? z / n : 0;
}

/**
 * Zero fraction of the recurrent inputs h_(t-1) of direction d: the initial
 * state at the first step, then the outputs of every step but the last one
 * processed (the last step for forward, the first for reverse).
 */
export function hSparsity(tr: LayerTrace, d: number, layout: 0 | 1): number {
  let z = 0;
  let n = 0;
  tr.y.forEach((y, k) => {
    const [seq, dirs, batch, hidden] = layout === 0 ? y.dims : [y.dims[1], y.dims[2], y.dims[0], y.dims[3]];
    const skipT = d === 0 ? seq - 1 : 0;
    for (let t = 0; t < seq; t++) {
      if (t === skipT) continue;
      for (let b = 0; b < batch; b++)
        for (let h = 0; h < hidden; h++) {
          const i = layout === 0 ? ((t * dirs + d) * batch + b) * hidden + h : ((b * seq + t) * dirs + d) * hidden + h;
          if (elemAsNumber(y, i) === 0) z++;
          n++;
        }
    }
    const h0 = tr.h0[k];
    for (let b = 0; b < batch; b++)
      for (let h = 0; h < hidden; h++) {
        const i = layout === 0 ? (d * batch + b) * hidden + h : (b * dirs + d) * hidden + h;
        if (!h0 || elemAsNumber(h0, i) === 0) z++;
        n++;
      }
  });
  return n ? z / n : 0;
}

/** traceLayers for a pass: evaluation failures that are not diagnostics become E-CALIB-EVAL. */
export async function traceForPass(g: Graph, ctx: { calibration: readonly CalibrationSample[]; evaluate: GraphEvaluator; fail(code: string, message: string): never }): Promise<LayerTrace[]> {
  try {
    return await traceLayers(g, ctx.calibration, ctx.evaluate);
  } catch (e) {
    if (isDiagnosticError(e)) throw e;
    return ctx.fail('E-CALIB-EVAL', `evaluating the graph on calibration data failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
