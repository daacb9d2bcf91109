/**
 * Structure mutations of an IR graph, the ones a byte mutation rarely reaches: an op renamed, an
 * attribute given another value or kind, an input unwired, an initializer reshaped or made
 * non-finite, the ONNX IR version or opset changed, a graph output pointing nowhere.
 */
import fc from 'fast-check';
import { makeNode, makeTensor, updateGraph, type Attr, type Graph } from '@lstmc/ir';

export type StructureEdit =
  | { readonly kind: 'op'; readonly node: number; readonly op: string }
  | { readonly kind: 'attr'; readonly node: number; readonly name: string; readonly attr: Attr | null }
  | { readonly kind: 'input'; readonly node: number; readonly slot: number; readonly to: string }
  | { readonly kind: 'initializer'; readonly which: number; readonly change: 'shape' | 'nan' | 'inf' | 'huge' | 'dtype' }
  | { readonly kind: 'ir-version'; readonly version: number }
  | { readonly kind: 'opset'; readonly version: number }
  | { readonly kind: 'output'; readonly to: string };

const attrValue: fc.Arbitrary<Attr | null> = fc.oneof(
  fc.constant(null),
  fc.integer({ min: -3, max: 70000 }).map((value): Attr => ({ kind: 'int', value })),
  fc.constantFrom(0, -1, 1e30, Number.NaN, Number.POSITIVE_INFINITY, 0.5, -2).map((value): Attr => ({ kind: 'float', value })),
  fc.constantFrom('forward', 'reverse', 'bidirectional', 'sideways', '').map((value): Attr => ({ kind: 'string', value })),
  fc
    .array(fc.constantFrom('Sigmoid', 'Tanh', 'Relu', 'HardSigmoid', 'Affine', 'LeakyRelu', 'ThresholdedRelu', 'ScaledTanh', 'Elu', 'Softsign', 'Softplus', 'Nope'), { maxLength: 6 })
    .map((value): Attr => ({ kind: 'strings', value })),
  fc.array(fc.constantFrom(0, 1, -1, 2, 0.5, 1e9), { maxLength: 6 }).map((value): Attr => ({ kind: 'floats', value })),
  fc.array(fc.integer({ min: -2, max: 4 }), { maxLength: 4 }).map((value): Attr => ({ kind: 'ints', value })),
);

export const structureEdit: fc.Arbitrary<StructureEdit> = fc.oneof(
  fc.record({ kind: fc.constant('op' as const), node: fc.nat(8), op: fc.constantFrom('LSTMv2', 'GRU', 'RNN', 'lstm', 'Foo', 'Identity', 'Relu', 'Loop', 'If', 'Scan') }),
  fc.record({
    kind: fc.constant('attr' as const),
    node: fc.nat(8),
    name: fc.constantFrom('hidden_size', 'direction', 'activations', 'activation_alpha', 'activation_beta', 'clip', 'input_forget', 'layout', 'axes', 'perm', 'bogus'),
    attr: attrValue,
  }),
  fc.record({ kind: fc.constant('input' as const), node: fc.nat(8), slot: fc.nat(8), to: fc.constantFrom('', 'nope', 'X', 'l0.W', 'l0.R', 'l0.B', 'l0.Y', 'l0.out') }),
  fc.record({ kind: fc.constant('initializer' as const), which: fc.nat(12), change: fc.constantFrom('shape' as const, 'nan' as const, 'inf' as const, 'huge' as const, 'dtype' as const) }),
  fc.record({ kind: fc.constant('ir-version' as const), version: fc.constantFrom(-1, 0, 1, 2, 3, 7, 10, 11, 12, 13, 14, 999, 2 ** 40) }),
  fc.record({ kind: fc.constant('opset' as const), version: fc.constantFrom(1, 6, 7, 11, 14, 22, 25, 26, 999) }),
  fc.record({ kind: fc.constant('output' as const), to: fc.constantFrom('nope', 'X', 'l0.W', '') }),
);

export const structureEdits = fc.array(structureEdit, { minLength: 1, maxLength: 3 });

export function applyStructureEdits(g0: Graph, edits: readonly StructureEdit[]): Graph {
  let g = g0;
  for (const e of edits) {
    const nodes = [...g.nodes];
    switch (e.kind) {
      case 'op':
      case 'attr':
      case 'input': {
        const i = e.node % nodes.length;
        const n = nodes[i]!;
        if (e.kind === 'op') nodes[i] = makeNode({ ...n, op: e.op });
        else if (e.kind === 'attr') {
          const attrs = { ...n.attrs };
          if (e.attr === null) delete attrs[e.name];
          else attrs[e.name] = e.attr;
          nodes[i] = makeNode({ ...n, attrs });
        } else {
          const inputs = [...n.inputs];
          inputs[Math.min(e.slot, inputs.length)] = e.to;
          nodes[i] = makeNode({ ...n, inputs });
        }
        g = updateGraph(g, { nodes });
        break;
      }
      case 'initializer': {
        const entries = [...g.initializers];
        if (entries.length === 0) break;
        const [name, t] = entries[e.which % entries.length]!;
        const n = t.data.length;
        const floats = (f: (i: number) => number) => makeTensor('f32', t.dims, Float32Array.from({ length: n }, (_, i) => f(i)));
        const changed =
          e.change === 'shape'
            ? makeTensor(t.dtype, [n + 1], t.dtype === 'i64' ? new BigInt64Array(n + 1) : new Float32Array(n + 1))
            : e.change === 'dtype'
              ? makeTensor('f64', t.dims, new Float64Array(n))
              : t.dtype === 'f32'
                ? floats((i) => (i === n >> 1 ? (e.change === 'nan' ? Number.NaN : e.change === 'inf' ? Number.NEGATIVE_INFINITY : 3e38) : Number((t.data as Float32Array)[i])))
                : t;
        g = updateGraph(g, { initializers: new Map(entries.map(([k, v]) => [k, k === name ? changed : v])) });
        break;
      }
      case 'ir-version':
        g = updateGraph(g, { metadata: { ...g.metadata, 'onnx.ir_version': String(e.version) } });
        break;
      case 'opset':
        g = updateGraph(g, { opsets: { ...g.opsets, '': e.version } });
        break;
      case 'output':
        g = updateGraph(g, { outputs: [...g.outputs.slice(1), e.to] });
        break;
    }
  }
  return g;
}
