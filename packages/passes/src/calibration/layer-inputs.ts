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
  /** Y_c (the last cell state) of the layer per sample ([dirs, batch, H], or [batch, dirs, H] for layout 1). */
  readonly yc: readonly Tensor[];
  /** initial_h per sample, when the node has one. */
  readonly h0: readonly (Tensor | undefined)[];
  /** initial_c per sample, when the node has one. */
  readonly c0: readonly (Tensor | undefined)[];
  /** sequence_lens per sample, when the node has one. */
  readonly seqLens: readonly (Tensor | undefined)[];
}

/** The names a traced LSTM's Y and Y_c go by. */
interface TracedOutputs {
  readonly y: string;
  readonly yc: string;
}

/** A graph whose every LSTM produces its Y and Y_c under known names (`lstmc.calib.<node>.Y` / `.Y_c` where it had none). */
export function withLstmOutputs(g: Graph): { graph: Graph; names: Map<Node, TracedOutputs> } {
  const names = new Map<string, TracedOutputs>();
  let changed = false;
  const nodes = g.nodes.map((n) => {
    if (n.op !== 'LSTM') return n;
    const outputs = [n.outputs[0] || `lstmc.calib.${n.name}.Y`, n.outputs[1] ?? '', n.outputs[2] || `lstmc.calib.${n.name}.Y_c`];
    names.set(n.name, { y: outputs[0]!, yc: outputs[2]! });
    if (outputs.every((o, i) => o === (n.outputs[i] ?? ''))) return n;
    changed = true;
    return makeNode({ ...n, outputs });
  });
  const graph = changed ? inferTypes(updateGraph(g, { nodes })) : g;
  return { graph, names: new Map(lstmNodes(g).map((n) => [n, names.get(n.name)!])) };
}

export async function traceLayers(g: Graph, samples: readonly CalibrationSample[], evaluate: GraphEvaluator): Promise<LayerTrace[]> {
  const { graph, names } = withLstmOutputs(g);
  const layers = lstmNodes(g);
  const optional = (n: Node) => [4, 5, 6].map((i) => n.inputs[i]).filter((v): v is string => !!v);
  const wanted = [...new Set(layers.flatMap((n) => [n.inputs[0], names.get(n)!.y, names.get(n)!.yc, ...optional(n)]))];
  const perSample: ReadonlyMap<string, Tensor>[] = [];
  for (const s of samples) perSample.push(await evaluate(graph, s, wanted));
  return layers.map((node) => ({
    node,
    x: perSample.map((v) => v.get(node.inputs[0])!),
    y: perSample.map((v) => v.get(names.get(node)!.y)!),
    yc: perSample.map((v) => v.get(names.get(node)!.yc)!),
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
