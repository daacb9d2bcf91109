/**
 * `fold`: Constant nodes become initializers; nodes whose inputs are constant
 * (or, for ops that read only shapes such as Shape and Size, whose input
 * shapes are static) are evaluated by their op's reference evaluation, the
 * same one the JS runtime runs, and replaced by initializers; then dead code
 * is removed.
 */
import {
  type Graph,
  type Node,
  type OpTensor,
  type Tensor,
  type TensorType,
  constantValue,
  fromOpTensor,
  isStaticShape,
  numel,
  opAttrValues,
  opDef,
  parseAttrs,
  tensorType,
  toOpTensor,
  updateGraph,
} from '@lstmc/ir';
import { definePass } from '../../pass.js';
import { eliminateDeadCode } from './dce.js';
import { forwardIdentities } from './identity.js';

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
      const folded = foldNode(g, n, consts, types, ctx.options['max-elements']);
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

/** Thrown by a reference evaluation that refuses the constants: the node stays for run time, where the same error surfaces. */
class NotFoldable extends Error {}

function foldNode(g: Graph, n: Node, consts: Map<string, Tensor>, types: Map<string, TensorType>, maxElements: number): Tensor[] | undefined {
  if (n.domain !== '' && n.domain !== 'ai.onnx') return undefined;
  if (n.op === 'Constant') {
    const c = constantValue(n.attrs);
    return c && numel(c.dims) <= maxElements ? [c] : undefined;
  }
  const def = opDef(n.op, n.domain);
  if (!def?.eval) return undefined;
  // Graph outputs keep their producing node so output names stay attached to computed values.
  if (n.outputs.some((o) => o && g.outputs.includes(o))) return undefined;
  const inputs: (OpTensor | undefined)[] = [];
  for (const name of n.inputs) {
    if (!name) {
      inputs.push(undefined);
      continue;
    }
    const c = consts.get(name);
    const t = types.get(name);
    if (c) inputs.push(toOpTensor(c));
    // Shape-only ops see a static shape without data.
    else if (def.readsShapeOnly && t && isStaticShape(t.shape)) inputs.push({ dtype: t.dtype, shape: t.shape, data: new Float32Array(0) });
    else return undefined;
  }
  for (const o of n.outputs) {
    const s = o ? types.get(o)?.shape : undefined;
    if (isStaticShape(s) && numel(s) > maxElements) return undefined;
  }
  let out: (OpTensor | undefined)[];
  try {
    out = def.eval({
      inputs,
      attrs: opAttrValues(parseAttrs(n, def)),
      opset: g.opsets[''] ?? 22,
      wanted: n.outputs.map((o) => o !== ''),
      fail: (message) => {
        throw new NotFoldable(message);
      },
    });
  } catch (e) {
    if (e instanceof NotFoldable) return undefined;
    throw e;
  }
  const res: Tensor[] = [];
  for (let i = 0; i < n.outputs.length; i++) {
    const t = out[i];
    if (!n.outputs[i]) {
      res.push(undefined as never);
      continue;
    }
    if (!t || numel(t.shape) > maxElements) return undefined;
    const fixed = def.relayout ? consts.get(n.inputs[0]!)?.fixed : undefined;
    res.push(fromOpTensor(t, fixed));
  }
  return res;
}
