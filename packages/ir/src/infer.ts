import type { Graph, Node, ValueInfo } from './graph.js';
import { inferIf } from './infer-if.js';
import { localDefinitions, nodeReads, outerReferences } from './subgraph.js';
import { nodeOpset, updateGraph } from './graph.js';
import type { InferContext, OpDef } from './op-def.js';
import { opDef } from './ops/index.js';
import { constantValue } from './ops/index.js';
import { parseAttrs } from './attrs-parse.js';
import { type Diagnostic, DiagnosticError, diag, fail, isDiagnosticError, type Location } from './diagnostic.js';
import { opAttrValues, toOpTensor, type Tensor } from './tensor.js';
import type { Dim, TensorType } from './types.js';
import { tensorType } from './types.js';
import { describeLocalCall } from './local-function-calls.js';

export interface InferOptions {
  /** File name for diagnostics. */
  readonly file?: string;
  /**
   * When given, a node whose inference fails does not stop inference: the diagnostic is passed here
   * and the node's outputs get their recorded (value_info) types or `unknown`.
   */
  readonly onNodeError?: (node: Node, d: Diagnostic) => void;
}

/** Check a node's input/output counts against its op's ports. */
export function checkArity(node: Node, def: OpDef, loc: Location): void {
  const ports = def.inputs;
  const variadic = ports.length > 0 && ports[ports.length - 1].variadic;
  const minIn = variadic ? 0 : ports.filter((p) => !p.optional).length;
  if (!variadic && node.inputs.length > ports.length)
    fail('E-IR-ARITY', `${node.op} takes at most ${ports.length} inputs, got ${node.inputs.length}`, { ...loc, node: node.name });
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i];
    if (!p.optional && !p.variadic && !(node.inputs[i] ?? ''))
      fail('E-IR-MISSING-INPUT', `${node.op} is missing required input '${p.name}' (slot ${i})`, { ...loc, node: node.name, field: p.name });
  }
  if (node.inputs.length < minIn)
    fail('E-IR-ARITY', `${node.op} needs ${minIn} inputs, got ${node.inputs.length}`, { ...loc, node: node.name });
  const variadicOut = def.outputs.length > 0 && def.outputs[def.outputs.length - 1].variadic;
  if (!variadicOut && node.outputs.length > def.outputs.length)
    fail('E-IR-ARITY', `${node.op} has at most ${def.outputs.length} outputs, got ${node.outputs.length}`, { ...loc, node: node.name });
  if (!node.outputs.some((o) => o !== ''))
    fail('E-IR-ARITY', `${node.op} produces no output`, { ...loc, node: node.name });
}

/**
 * Order nodes topologically (stable: keeps the given order where it is
 * already valid). Fails with E-IR-CYCLE naming a node on the cycle, and with
 * E-IR-DANGLING for an input that nothing defines.
 */
export function topoSort(g: Graph, opts: InferOptions = {}, outer: ReadonlySet<string> = new Set()): Graph {
  const defined = new Set<string>([...outer, ...g.inputs, ...g.initializers.keys()]);
  const producer = new Map<string, number>();
  g.nodes.forEach((n, i) => n.outputs.forEach((o) => o && producer.set(o, i)));
  for (const n of g.nodes)
    for (const i of n.inputs)
      if (i && !defined.has(i) && !producer.has(i))
        fail('E-IR-DANGLING', `input '${i}' of ${n.op} is not defined by any node, initializer or graph input${outer.size ? ' (of this subgraph or an enclosing graph)' : ''}`, { file: opts.file, node: n.name, field: i });
  // Implicit inputs (outer values a node's subgraphs read) order the node like its operands.
  const reads = g.nodes.map((n) => nodeReads(n));
  const state = new Uint8Array(g.nodes.length); // 0 new, 1 visiting, 2 done
  const order: Node[] = [];
  const visit = (root: number) => {
    // Iterative DFS: deep graphs must not overflow the JS stack.
    const stack: [number, number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const n = g.nodes[top[0]];
      if (top[1] < reads[top[0]].length) {
        const inp = reads[top[0]][top[1]++];
        const p = inp && !defined.has(inp) ? producer.get(inp) : undefined;
        if (p === undefined || state[p] === 2) continue;
        if (state[p] === 1)
          fail('E-IR-CYCLE', `the graph has a cycle through value '${inp}'`, { file: opts.file, node: g.nodes[p].name, field: inp });
        state[p] = 1;
        stack.push([p, 0]);
      } else {
        state[top[0]] = 2;
        order.push(n);
        stack.pop();
      }
    }
  };
  for (let i = 0; i < g.nodes.length; i++) if (state[i] === 0) visit(i);
  const same = order.every((n, i) => n === g.nodes[i]);
  return same ? g : updateGraph(g, { nodes: order });
}

/**
 * What a graph sees of its enclosing graphs while it is typed: their value
 * types, constants and known shape values (outer-scope values, as in ONNX),
 * and the counter of fresh dim names shared by the whole model.
 */
export interface InferScope {
  readonly types: ReadonlyMap<string, TensorType>;
  readonly constants: ReadonlyMap<string, Tensor>;
  readonly shapeValues: ReadonlyMap<string, readonly Dim[]>;
  readonly fresh: { n: number };
}

/**
 * Infer the type of every node output and return a graph whose `values`
 * holds them. Types recorded for graph inputs are kept; types recorded for
 * node outputs (ONNX value_info) are used only for opaque ops. Fails at the
 * first node whose inputs, attributes or shapes are invalid. Subgraphs (If
 * branches) are typed too, with the enclosing values in scope; the returned
 * graph holds them typed.
 */
export function inferTypes(graph: Graph, opts: InferOptions = {}): Graph {
  return inferInScope(graph, opts, undefined);
}

/**
 * `inferTypes` for a graph nested in `outer`. A subgraph's `values` hold its
 * own definitions and the outer values it reads (printed as `value` lines).
 */
export function inferInScope(graph: Graph, opts: InferOptions, outer: InferScope | undefined): Graph {
  const g = topoSort(graph, opts, outer ? new Set(outer.types.keys()) : undefined);
  const types = new Map<string, TensorType>(outer?.types ?? []);
  for (const name of g.inputs) {
    const v = g.values.get(name);
    if (!v) fail('E-IR-DANGLING', `graph input '${name}' has no type`, { file: opts.file, field: name });
    types.set(name, v.type);
  }
  for (const [name, t] of g.initializers) types.set(name, tensorType(t.dtype, t.dims, t.fixed));
  const constants = new Map<string, Tensor>(outer?.constants ?? []);
  for (const [name, t] of g.initializers) constants.set(name, t);
  const shapeValues = new Map<string, readonly Dim[]>(outer?.shapeValues ?? []);
  for (const name of [...g.inputs, ...g.initializers.keys()]) shapeValues.delete(name);
  const fresh = outer?.fresh ?? { n: 0 };
  const scope: InferScope = { types, constants, shapeValues, fresh };

  const inferNode = (node: Node, def: OpDef, loc: Location): Node => {
    checkArity(node, def, loc);
    const attrs = parseAttrs(node, def, loc);
    if (node.op === 'If') {
      const r = inferIf(node, scope, opts);
      node.outputs.forEach((o, i) => o && types.set(o, r.outputs[i]!));
      return r.node;
    }
    const ctx: InferContext = {
      node,
      inputs: node.inputs.map((i) => (i ? types.get(i) : undefined)),
      attrs: opAttrValues(attrs),
      opset: nodeOpset(g, node),
      constant: (i) => {
        const c = node.inputs[i] ? constants.get(node.inputs[i]) : undefined;
        return c && toOpTensor(c);
      },
      fail: (code, message, field) => fail(code, message, { ...loc, ...(field !== undefined ? { field } : {}) }),
      fresh: (hint) => `?${hint}${++fresh.n}`,
      shapeValue: (i) => {
        const name = node.inputs[i];
        if (!name) return undefined;
        const sv = shapeValues.get(name);
        if (sv) return sv;
        const c = constants.get(name);
        if (c && c.dims.length <= 1 && (c.dtype === 'i64' || c.dtype === 'i32'))
          return Array.from(c.data as ArrayLike<number | bigint>, Number);
        return undefined;
      },
      setShapeValue: (i, dims) => {
        const o = node.outputs[i];
        if (o) shapeValues.set(o, dims);
      },
    };
    const outs = def.infer(ctx);
    node.outputs.forEach((o, i) => {
      if (!o) return;
      const t = outs[i];
      if (!t) throw new Error(`inference of ${node.op} produced no type for output ${i}`);
      types.set(o, t);
    });
    return node;
  };

  /** Outputs of opaque nodes that no value_info types: the cause to name when a consumer cannot use them. */
  const opaqueOrigin = new Map<string, Node>();
  /** Types `node`'s outputs from value_info, else `unknown`; unknown ones are traced to `origin` when given. */
  const leaveUntyped = (node: Node, origin?: Node): Node => {
    for (const o of node.outputs)
      if (o) {
        const t = g.values.get(o)?.type ?? tensorType('unknown', undefined);
        types.set(o, t);
        if (origin && t.dtype === 'unknown') opaqueOrigin.set(o, origin);
      }
    return node;
  };
  const nodes = g.nodes.map((node): Node => {
    const loc: Location = { file: opts.file, node: node.name };
    const def = opDef(node.op, node.domain);
    if (!def) return leaveUntyped(node, node);
    const untypedFromOpaque = nodeReads(node).find((i) => opaqueOrigin.has(i));
    if (untypedFromOpaque !== undefined) {
      const src = opaqueOrigin.get(untypedFromOpaque)!;
      const what = describeLocalCall(g.metadata, src.domain, src.op) ?? 'an op lstmc does not know';
      const d = diag(
        'E-IR-OPAQUE-INPUT',
        `input '${untypedFromOpaque}' comes from '${src.domain ? `${src.domain}.` : ''}${src.op}' (node '${src.name}'), ${what}, so it has no type`,
        { ...loc, field: untypedFromOpaque },
      );
      if (!opts.onNodeError) throw new DiagnosticError(d);
      opts.onNodeError(node, d);
      return leaveUntyped(node, src);
    }
    let typed: Node;
    try {
      typed = inferNode(node, def, loc);
    } catch (e) {
      if (!opts.onNodeError || !isDiagnosticError(e)) throw e;
      opts.onNodeError(node, e.diagnostic);
      return leaveUntyped(node);
    }
    if (node.op === 'Constant') {
      const c = constantValue(node.attrs);
      if (c && node.outputs[0]) constants.set(node.outputs[0], c);
    }
    return typed;
  });

  // A subgraph records its own values and the outer ones it reads; the main graph records all.
  const keep = outer ? new Set([...localDefinitions(g), ...outerReferences(updateGraph(g, { nodes }))]) : undefined;
  const values = new Map<string, ValueInfo>();
  for (const [name, type] of types) {
    if (keep && !keep.has(name)) continue;
    const sv = shapeValues.get(name);
    values.set(name, Object.freeze(sv ? { name, type, shapeValue: Object.freeze([...sv]) } : { name, type }));
  }
  for (const o of g.outputs)
    if (!values.has(o)) fail('E-IR-DANGLING', `graph output '${o}' is not produced by any node`, { file: opts.file, field: o });
  return updateGraph(g, { values, nodes });
}
