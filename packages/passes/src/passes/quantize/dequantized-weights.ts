/**
 * The quantized model as standard ONNX: each quantized LSTM reads its W and
 * R from the quantize pass's integer weights through a dequantization node,
 * so any ONNX runtime computes with exactly the weights the accelerator
 * holds (value * 2^-frac, one power-of-two scale per matrix and direction).
 * Activations, bias and peepholes stay float32, as on the JS runtime.
 *
 * The node is DequantizeLinear (zero point 0) where the opset has it for the
 * weight type (int8: opset 10, per-direction scales opset 13; int16: opset
 * 21); otherwise Cast to float32 followed by Mul with the scale, which is
 * the same arithmetic in every opset. Annotations are left for the caller
 * to strip (stripAllAnnotations) before export.
 */
import { type Graph, type Node, type Tensor, type ValueInfo, fail, makeNode, makeTensor, mapSubgraphs, nodeReads, tensorType, updateGraph, walkNodes } from '@lstmc/ir';
import { ANN, getFloats, getStrings } from '../../annotations.js';

export type DequantizeForm = 'DequantizeLinear' | 'Cast+Mul';

/** The node form a weight type and direction count get in an opset. */
export function dequantizeForm(opset: number, bits: 8 | 16, dirs: number): DequantizeForm {
  const needs = bits === 16 ? 21 : dirs > 1 ? 13 : 10;
  return opset >= needs ? 'DequantizeLinear' : 'Cast+Mul';
}

const MATRICES = [
  { input: 1, names: ANN.qW, fracs: ANN.qWFrac, kind: 'W' },
  { input: 2, names: ANN.qR, fracs: ANN.qRFrac, kind: 'R' },
] as const;

export interface DequantizedWeights {
  readonly graph: Graph;
  /** One entry per rewritten matrix: the LSTM node, W or R, and the node form used. */
  readonly matrices: readonly { readonly node: string; readonly matrix: 'W' | 'R'; readonly form: DequantizeForm; readonly bits: number }[];
}

type Matrices = { node: string; matrix: 'W' | 'R'; form: DequantizeForm; bits: number }[];

/**
 * Rewrites every LSTM the quantize pass annotated, inside If branches (and other subgraphs) too;
 * fails with E-QUANT-EXPORT when there is none.
 */
export function dequantizedWeightsGraph(g: Graph): DequantizedWeights {
  const opset = g.opsets[''] ?? g.opsets['ai.onnx'] ?? 1;
  const matrices: Matrices = [];
  const graph = rewrite(g, opset, matrices);
  if (matrices.length === 0) fail('E-QUANT-EXPORT', 'no LSTM carries quantized weights: run the quantize pass first', {});
  return { graph, matrices };
}

/** `g` with its quantized LSTMs and those of its subgraphs reading dequantized weights; `g` itself when it holds none. */
function rewrite(g: Graph, opset: number, matrices: Matrices): Graph {
  const inits = new Map(g.initializers);
  const values = new Map(g.values);
  const nodes: Node[] = [];
  const put = (name: string, t: Tensor) => {
    inits.set(name, t);
    values.set(name, { name, type: tensorType(t.dtype, t.dims) });
  };
  const before = matrices.length;
  for (const n0 of g.nodes) {
    // Subgraphs first: a branch's LSTMs read their quantized tensors from the branch's initializers.
    const n = mapSubgraphs(n0, (sg) => rewrite(sg, opset, matrices));
    if (!isLstm(n) || getStrings(n, ANN.qW) === undefined) {
      nodes.push(n);
      continue;
    }
    const inputs = [...n.inputs];
    for (const m of MATRICES) {
      const parts = getStrings(n, m.names)!.map((q) => g.initializers.get(q)!);
      const fracs = getFloats(n, m.fracs)!;
      const dtype = parts[0]!.dtype;
      const bits = dtype === 'i8' ? 8 : 16;
      const [rows, cols] = parts[0]!.dims as [number, number];
      const D = parts.length;
      const base = `${n.name}/${m.kind}`;
      const data = dtype === 'i8' ? new Int8Array(D * rows * cols) : new Int16Array(D * rows * cols);
      parts.forEach((p, d) => data.set(p.data as Int8Array | Int16Array, d * rows * cols));
      put(`${base}_quantized`, makeTensor(dtype, [D, rows, cols], data));
      const scales = fracs.map((f) => 2 ** -f);
      const form = dequantizeForm(opset, bits, D);
      const out = `${base}_dequantized`;
      if (form === 'DequantizeLinear') {
        // One direction: scalar scale and zero point; two: per-axis on axis 0.
        const dims = D === 1 ? [] : [D];
        put(`${base}_scale`, makeTensor('f32', dims, scales));
        put(`${base}_zero_point`, makeTensor(dtype, dims, new Array<number>(D).fill(0)));
        nodes.push(
          makeNode({
            op: 'DequantizeLinear',
            name: `${base}_DequantizeLinear`,
            inputs: [`${base}_quantized`, `${base}_scale`, `${base}_zero_point`],
            outputs: [out],
            attrs: D === 1 ? {} : { axis: { kind: 'int', value: 0 } },
          }),
        );
      } else {
        put(`${base}_scale`, makeTensor('f32', [D, 1, 1], scales));
        nodes.push(makeNode({ op: 'Cast', name: `${base}_Cast`, inputs: [`${base}_quantized`], outputs: [`${base}_float`], attrs: { to: { kind: 'int', value: 1 } } }));
        nodes.push(makeNode({ op: 'Mul', name: `${base}_Mul`, inputs: [`${base}_float`, `${base}_scale`], outputs: [out] }));
        values.set(`${base}_float`, { name: `${base}_float`, type: tensorType('f32', [D, rows, cols]) } satisfies ValueInfo);
      }
      values.set(out, { name: out, type: tensorType('f32', [D, rows, cols]) });
      inputs[m.input] = out;
      matrices.push({ node: n.name, matrix: m.kind, form, bits });
    }
    nodes.push(makeNode({ ...n, attrs: n.attrs, inputs }));
  }
  if (matrices.length === before) return g;
  // The float weights the rewritten LSTMs read before, here or in a subgraph, are dead now unless something else
  // reads them (nodeReads counts what subgraphs read from this graph).
  const read = new Set([...nodes.flatMap((n) => nodeReads(n)), ...g.outputs]);
  walkNodes(g, (n) => {
    if (!isLstm(n) || getStrings(n, ANN.qW) === undefined) return;
    for (const m of MATRICES) {
      const w = n.inputs[m.input];
      if (w && inits.has(w) && !read.has(w)) {
        inits.delete(w);
        values.delete(w);
      }
    }
  });
  return updateGraph(g, { nodes, initializers: inits, values });
}

function isLstm(n: Node): boolean {
  return n.op === 'LSTM' && (n.domain === '' || n.domain === 'ai.onnx');
}
