/**
 * `fold`: Constant nodes become initializers; nodes of the folding table
 * whose inputs are constant (or, for Shape, whose input shape is static) are
 * evaluated and replaced by initializers; then dead code is removed.
 */
import { type Graph, type Node, type Tensor, type TensorType, constantValue, inferTypes, isDiagnosticError, isStaticShape, makeGraph, numel, opDef, parseAttrs, tensorType, updateGraph } from '@lstmc/ir';
import type { GraphEvaluator } from '../../calibration/evaluator.js';
import { definePass } from '../../pass.js';
import { eliminateDeadCode } from './dce.js';
import { forwardIdentities } from './identity.js';
import { evaluatorOf } from './evaluators.js';

export const foldPass = definePass({
  name: 'fold',
  summary: 'constant folding, shape-subgraph folding and dead-code elimination',
  options: {
    'max-elements': {
      kind: 'int',
      default: 1 << 20,
      min: 0,
      max: 1 << 30,
      doc: 'largest folded result (elements); bigger results stay computed at run time',
    },
    dce: { kind: 'bool', default: true, doc: 'bypass Identity nodes, remove nodes and initializers nothing uses' },
  },
  requires: [],
  establishes: ['folded'],
  invalidates: [],
  counters: {
    'constants-hoisted': 'Constant nodes turned into initializers',
    'nodes-folded': 'nodes evaluated at compile time',
    'identities-removed': 'Identity nodes bypassed',
    'nodes-removed': 'dead nodes removed',
    'initializers-removed': 'unused initializers removed',
  },
  async run(g, ctx) {
    const consts = new Map<string, Tensor>(g.initializers);
    const types = new Map<string, TensorType>([...g.values].map(([k, v]) => [k, v.type]));
    const added = new Map<string, Tensor>();
    const nodes: Node[] = [];
    for (const n of g.nodes) {
      const folded = foldNode(g, n, consts, types, ctx.options['max-elements']) ?? (await foldWithRuntime(g, n, consts, types, ctx));
      if (!folded) {
        nodes.push(n);
        continue;
      }
      ctx.count(n.op === 'Constant' ? 'constants-hoisted' : 'nodes-folded');
      n.outputs.forEach((o, i) => {
        if (!o) return;
        consts.set(o, folded[i]);
        types.set(o, tensorType(folded[i].dtype, folded[i].dims, folded[i].fixed));
        added.set(o, folded[i]);
      });
    }
    let out = g;
    if (added.size > 0) {
      const inits = new Map([...g.initializers, ...added]);
      const values = new Map(g.values);
      for (const [k, t] of added) values.set(k, { name: k, type: tensorType(t.dtype, t.dims, t.fixed) });
      out = updateGraph(g, { nodes, initializers: inits, values });
    }
    if (ctx.options.dce) {
      const fwd = forwardIdentities(out);
      ctx.count('identities-removed', fwd.removed);
      const r = eliminateDeadCode(fwd.graph);
      ctx.count('nodes-removed', r.nodesRemoved);
      ctx.count('initializers-removed', r.initializersRemoved);
      out = r.graph;
    }
    return out;
  },
});

/**
 * Ops outside the folding table (MatMul, Gemm, activations, ...) with all
 * inputs constant and a small static result are evaluated by the JS runtime's
 * kernels, so folding and execution share one definition of each op.
 */
async function foldWithRuntime(
  g: Graph,
  n: Node,
  consts: Map<string, Tensor>,
  types: Map<string, TensorType>,
  ctx: { evaluate: GraphEvaluator; options: { 'max-elements': number } },
): Promise<Tensor[] | undefined> {
  if ((n.domain !== '' && n.domain !== 'ai.onnx') || !opDef(n.op, n.domain) || RUNTIME_FOLD_EXCLUDED.has(n.op)) return undefined;
  if (n.outputs.some((o) => o && g.outputs.includes(o))) return undefined;
  const inputs = n.inputs.filter((i) => i);
  if (inputs.length === 0 || !inputs.every((i) => consts.has(i))) return undefined;
  const outs = n.outputs.filter((o) => o);
  for (const o of outs) {
    const shape = types.get(o)?.shape;
    if (!isStaticShape(shape) || numel(shape) > ctx.options['max-elements']) return undefined;
  }
  const alone = inferTypes(
    makeGraph({ name: `${n.name}.fold`, opsets: { ...g.opsets }, inputs: [], outputs: outs, initializers: inputs.map((i) => [i, consts.get(i)!]), values: [], nodes: [n] }),
  );
  try {
    const v = await ctx.evaluate(alone, new Map(), outs);
    return n.outputs.map((o) => (o ? v.get(o)! : (undefined as never)));
  } catch (e) {
    // A kernel that refuses these constants leaves the node for run time, where the same error surfaces.
    if (isDiagnosticError(e) || (e instanceof Error && e.name === 'RuntimeError')) return undefined;
    throw e;
  }
}

/** Never folded through the runtime: recurrent layers (large, and what the back ends are for). */
const RUNTIME_FOLD_EXCLUDED = new Set(['LSTM']);

function foldNode(g: Graph, n: Node, consts: Map<string, Tensor>, types: Map<string, TensorType>, maxElements: number): Tensor[] | undefined {
  if (n.domain !== '' && n.domain !== 'ai.onnx') return undefined;
  if (n.op === 'Constant') {
    const c = constantValue(n.attrs);
    return c && numel(c.dims) <= maxElements ? [c] : undefined;
  }
  const ev = evaluatorOf(n.op);
  const def = opDef(n.op, n.domain);
  if (!ev || !def) return undefined;
  // Graph outputs keep their producing node so output names stay attached to computed values.
  if (n.outputs.some((o) => o && g.outputs.includes(o))) return undefined;
  const out = ev({
    consts: n.inputs.map((i) => (i ? consts.get(i) : undefined)),
    types: n.inputs.map((i) => (i ? types.get(i) : undefined)),
    attrs: parseAttrs(n, def),
    opset: g.opsets[''] ?? 22,
  });
  if (!out || out.some((t) => numel(t.dims) > maxElements)) return undefined;
  return out;
}
