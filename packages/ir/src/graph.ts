import type { Attrs } from './attr.js';
import type { Tensor } from './tensor.js';
import type { Dim, TensorType } from './types.js';

/**
 * An operation. `inputs` and `outputs` hold value names; an empty string is
 * an omitted optional slot (as in ONNX). `name` is the source location: the
 * ONNX node name (or a generated one when the model had none).
 */
export interface Node {
  readonly op: string;
  readonly domain: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: Attrs;
}

/** A graph input, output or intermediate value with its (inferred) type. */
export interface ValueInfo {
  readonly name: string;
  readonly type: TensorType;
  /**
   * For integer values that hold dims (Shape -> Gather -> Concat ...): their known elements,
   * numbers or symbolic dims, as type inference derived them. Back ends fold fully numeric ones.
   */
  readonly shapeValue?: readonly Dim[];
}

/**
 * The immutable graph. Nodes are in topological order (the verifier checks
 * it). `values` holds the type of every value: graph inputs, initializers and
 * node outputs. Passes return a new Graph; unchanged nodes keep identity.
 */
export interface Graph {
  readonly name: string;
  /** Opset imports: domain ('' = ai.onnx) -> version. */
  readonly opsets: Readonly<Record<string, number>>;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly initializers: ReadonlyMap<string, Tensor>;
  readonly values: ReadonlyMap<string, ValueInfo>;
  readonly nodes: readonly Node[];
  /** Free-form metadata (producer, source file, pass annotations). */
  readonly metadata: Readonly<Record<string, string>>;
}

export interface GraphInit {
  name?: string;
  opsets?: Record<string, number>;
  inputs: readonly string[];
  outputs: readonly string[];
  initializers?: ReadonlyMap<string, Tensor> | Iterable<[string, Tensor]>;
  values: ReadonlyMap<string, ValueInfo> | Iterable<[string, ValueInfo]>;
  nodes: readonly Node[];
  metadata?: Record<string, string>;
}

export function makeNode(n: {
  op: string;
  domain?: string;
  name: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attrs?: Attrs;
}): Node {
  return Object.freeze({
    op: n.op,
    domain: n.domain ?? '',
    name: n.name,
    inputs: Object.freeze([...n.inputs]),
    outputs: Object.freeze([...n.outputs]),
    attrs: Object.freeze({ ...(n.attrs ?? {}) }),
  });
}

export function makeGraph(g: GraphInit): Graph {
  return Object.freeze({
    name: g.name ?? 'main',
    opsets: Object.freeze({ ...(g.opsets ?? { '': 22 }) }),
    inputs: Object.freeze([...g.inputs]),
    outputs: Object.freeze([...g.outputs]),
    initializers: new Map(g.initializers ?? []),
    values: new Map(g.values),
    nodes: Object.freeze([...g.nodes]),
    metadata: Object.freeze({ ...(g.metadata ?? {}) }),
  });
}

/** A copy of `g` with some fields replaced. */
export function updateGraph(g: Graph, patch: Partial<GraphInit>): Graph {
  return makeGraph({
    name: patch.name ?? g.name,
    opsets: patch.opsets ?? { ...g.opsets },
    inputs: patch.inputs ?? g.inputs,
    outputs: patch.outputs ?? g.outputs,
    initializers: patch.initializers ?? g.initializers,
    values: patch.values ?? g.values,
    nodes: patch.nodes ?? g.nodes,
    metadata: patch.metadata ?? { ...g.metadata },
  });
}

/** Map value name -> producing node. */
export function producers(g: Graph): Map<string, Node> {
  const m = new Map<string, Node>();
  for (const n of g.nodes) for (const o of n.outputs) if (o) m.set(o, n);
  return m;
}

/** Map value name -> consuming nodes. */
export function consumers(g: Graph): Map<string, Node[]> {
  const m = new Map<string, Node[]>();
  for (const n of g.nodes)
    for (const i of n.inputs) {
      if (!i) continue;
      let l = m.get(i);
      if (!l) m.set(i, (l = []));
      l.push(n);
    }
  return m;
}

/** The opset version a node follows: its domain's import in the graph (ai.onnx for the default domain). */
export function nodeOpset(g: Graph, n: Node): number {
  return g.opsets[n.domain === 'ai.onnx' ? '' : n.domain] ?? g.opsets[''] ?? 22;
}
