/**
 * `fold`: Constant nodes become initializers; an If on a known condition is
 * replaced by its taken branch (other Ifs are folded inside); nodes whose inputs are constant
 * (or, for ops that read only shapes such as Shape and Size, whose input
 * shapes are static) are evaluated by their op's reference evaluation, the
 * same one the JS runtime runs, and replaced by initializers; an LSTM's initial
 * states known to be zeros are left out (zero-states.ts); then dead code is removed.
 */
import {
  type Graph,
  type Node,
  type OpTensor,
  type Tensor,
  type TensorType,
  type Dim,
  constantBranch,
  inferTypes,
  constantValue,
  localDefinitions,
  mapSubgraphs,
  fromOpTensor,
  nodeOpset,
  isStaticShape,
  numel,
  opAttrValues,
  opDef,
  parseAttrs,
  tensorType,
  toOpTensor,
  updateGraph,
  walkNodes,
} from '@lstmc/ir';
import { definePass, type PassContext } from '../../pass.js';
import { eliminateDeadCode } from './dce.js';
import { forwardIdentities } from './identity.js';
import { dropZeroStates } from './zero-states.js';
import { inlineBranch } from './inline-if.js';

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
    'if-inlined': 'If nodes replaced by the branch their constant condition takes',
    'zero-states-dropped': 'LSTM initial_h / initial_c inputs known to be zeros left out (a missing one is zeros)',
  },
  async run(g, ctx): Promise<Graph> {
    // Shape facts (ValueInfo.shapeValue) come from inference: a graph built by a pass or parsed from text may lack them.
    const typed = inferTypes(g);
    let out = foldGraph(typed, ctx, undefined);
    if (out === typed) return g;
    // Inlining a branch sharpens types (its outputs' ranks and dims), which can make more shape facts
    // numeric (Silero's decoder: the rank of an inlined Squeeze decides the next If): re-type and fold
    // again while that removes If nodes.
    for (let round = 0, ifs = countIfs(g); round < MAX_ROUNDS; round++) {
      const now = countIfs(out);
      if (now === 0 || now >= ifs) break;
      ifs = now;
      out = foldGraph(inferTypes(out), ctx, undefined);
    }
    return out;
  },
});

/** Re-typing rounds after If inlining: each removes at least one If, and real exports nest them 4 deep. */
const MAX_ROUNDS = 8;

function countIfs(g: Graph): number {
  let n = 0;
  walkNodes(g, (node) => {
    if (node.op === 'If') n++;
  });
  return n;
}

type FoldContext = PassContext<{ readonly 'max-elements': number; readonly dce: boolean }, string>;

/** Constants and types of the enclosing graphs, visible to a subgraph being folded. */
interface FoldScope {
  readonly consts: ReadonlyMap<string, Tensor>;
  readonly types: ReadonlyMap<string, TensorType>;
  /** Values that inference knows element by element although no node computed them (Shape of a partly symbolic shape, then Gather). */
  readonly facts: ReadonlyMap<string, OpTensor>;
  /** Every name defined in the enclosing graphs: inlined names must not shadow them (later readers would see the wrong value). */
  readonly names: ReadonlySet<string>;
}

/**
 * Folds one graph: nodes in order (an If whose condition is constant is
 * replaced by its taken branch, whose nodes are folded in turn); the
 * branches of the other If nodes are folded recursively with the enclosing
 * constants in scope; then dead code is removed.
 */
function foldGraph(g: Graph, ctx: FoldContext, outer: FoldScope | undefined): Graph {
  const consts = new Map<string, Tensor>([...(outer?.consts ?? []), ...g.initializers]);
  const types = new Map<string, TensorType>([...(outer?.types ?? []), ...[...g.values].map(([k, v]) => [k, v.type] as const)]);
  const names = new Set<string>([...(outer?.names ?? []), ...localDefinitions(g)]);
  const facts = new Map<string, OpTensor>(outer?.facts ?? []);
  for (const [k, v] of g.values) {
    const f = shapeFact(v.type, v.shapeValue);
    if (f) facts.set(k, f);
  }
  const added = new Map<string, Tensor>();
  const addedValues = new Map<string, TensorType>();
  const nodes: Node[] = [];
  let changed = false;
  // A stack of the nodes still to fold, next on top: inlined branch nodes are pushed in front.
  const work = [...g.nodes].reverse();
  for (let n = work.pop(); n; n = work.pop()) {
    if (n.op === 'If' && (n.domain === '' || n.domain === 'ai.onnx')) {
      const taken = constantBranch(n, consts);
      const branch = taken && n.attrs[taken];
      if (branch?.kind === 'graph') {
        const inl = inlineBranch(n, branch.value, names);
        ctx.count('if-inlined');
        changed = true;
        for (const [k, t] of inl.initializers) {
          consts.set(k, t);
          added.set(k, t);
        }
        for (const [k, v] of inl.values) {
          types.set(k, v.type);
          addedValues.set(k, v.type);
        }
        for (let i = inl.nodes.length - 1; i >= 0; i--) work.push(inl.nodes[i]!);
        continue;
      }
      const scope: FoldScope = { consts, types, facts, names };
      const inner = mapSubgraphs(n, (sg) => foldGraph(sg, ctx, scope));
      changed ||= inner !== n;
      nodes.push(inner);
      continue;
    }
    const folded = foldNode(g, n, consts, types, facts, ctx.options['max-elements']);
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
  if (added.size > 0 || changed) {
    const inits = new Map([...g.initializers, ...added]);
    const values = new Map(g.values);
    for (const [k, t] of addedValues) values.set(k, { name: k, type: t });
    for (const [k, t] of added) values.set(k, { name: k, type: tensorType(t.dtype, t.dims, t.fixed) });
    out = updateGraph(g, { nodes, initializers: inits, values });
  }
  const zs = dropZeroStates(out);
  ctx.count('zero-states-dropped', zs.dropped);
  out = zs.graph;
  if (ctx.options.dce) {
    const fwd = forwardIdentities(out);
    ctx.count('identities-removed', fwd.removed);
    const r = eliminateDeadCode(fwd.graph);
    ctx.count('nodes-removed', r.nodesRemoved);
    ctx.count('initializers-removed', r.initializersRemoved);
    out = r.graph;
  }
  return out;
}

/** Thrown by a reference evaluation that refuses the constants: the node stays for run time, where the same error surfaces. */
class NotFoldable extends Error {}

/** A 1-D (or scalar) integer value whose every element inference knows as a number, as the tensor it holds. */
function shapeFact(t: TensorType, sv: readonly Dim[] | undefined): OpTensor | undefined {
  if (!sv || !sv.every((d): d is number => typeof d === 'number')) return undefined;
  if ((t.dtype !== 'i64' && t.dtype !== 'i32') || !isStaticShape(t.shape) || t.shape.length > 1 || numel(t.shape) !== sv.length) return undefined;
  const data = t.dtype === 'i64' ? BigInt64Array.from(sv, BigInt) : Int32Array.from(sv);
  return { dtype: t.dtype, shape: t.shape, data };
}

function foldNode(
  g: Graph,
  n: Node,
  consts: Map<string, Tensor>,
  types: Map<string, TensorType>,
  facts: ReadonlyMap<string, OpTensor>,
  maxElements: number,
): Tensor[] | undefined {
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
    const f = facts.get(name);
    if (c) inputs.push(toOpTensor(c));
    else if (f) inputs.push(f);
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
      opset: nodeOpset(g, n),
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
