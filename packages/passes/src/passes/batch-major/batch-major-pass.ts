/**
 * `batch-major`: a batch-first model's transposes folded into its LSTMs' `layout = 1`.
 *
 * `torch.nn.LSTM(batch_first=True)` exports a time-major ONNX LSTM between transposes: X [B, T, I] is
 * transposed to [T, B, I]; Y [T, D, B, H] goes through Transpose [0, 2, 1, 3] (or, with one direction,
 * Squeeze of axis 1) and Reshape [T, B, D*H] (between stacked layers that is the next layer's X),
 * and the last layer's output is transposed back to [B, T, D*H]. An LSTM with `layout = 1` reads X
 * as [B, T, I] and writes Y as [B, T, D, H]: batch-major, directions interleaved, which is the order
 * the model ends up in. The pass gives the chain a batch-major twin of each value, so every
 * transpose of it disappears:
 *
 * - `Transpose(x, p)` of rank 3: its twin is `Transpose(x, [p1, p0, p2])`, x itself for [1, 0, 2]
 *   (a Conv front end's [B, C, T] transposed by [2, 0, 1] has the twin [0, 2, 1]);
 * - an LSTM whose X has a twin becomes one with `layout = 1` on the twin (initial_h / initial_c
 *   transposed to [B, D, H]: at compile time when constant, dropped when all zeros; Y_h / Y_c
 *   transposed back to [D, B, H] where they are read);
 * - `Transpose(Y, [0, 2, 1, 3])` of such an LSTM: its twin is the new Y; `Squeeze(Y, [1])`: the new
 *   Y squeezed at axis 2;
 * - `Reshape(v, s)` keeping v's first two dims and merging the rest: the twin reshaped by [0, 0, -1];
 * - `Transpose(v, p)` of a value with a twin is a transpose of the twin, none for [1, 0, 2].
 *
 * A value some other node reads is rebuilt from its twin by one transpose. The rewrite is kept only
 * when the transposes left are estimated to cost less than those before (transposeCost; or with
 * `always`): state transposes added per layer (h0/c0 fed in, Y_h/Y_c read out) can outweigh the
 * sequence ones removed. Graph inputs, outputs and what is computed stay the
 * same: only the order of the intermediate values changes.
 */
import { type Dim, type Graph, type Node, type Tensor, consumers, implicitInputs, inferTypes, makeNode, makeTensor, updateGraph } from '@lstmc/ir';
import { getFloats } from '../../annotations.js';
import { definePass } from '../../pass.js';
import { eliminateDeadCode } from '../fold/dce.js';
import { knownZeros } from '../fold/zero-states.js';

export const batchMajorPass = definePass({
  name: 'batch-major',
  summary: "batch-first LSTMs: the transposes around them (and between stacked layers) folded into the LSTM's layout = 1",
  options: {
    always: { kind: 'bool', default: false, doc: "keep the rewrite even when its transposes are estimated to cost as much as the ones it removes or more (initial states fed in and final states read out per layer)" },
  },
  requires: [],
  establishes: [],
  invalidates: [],
  counters: {
    layers: 'LSTM nodes given layout = 1',
    'transposes-removed': 'Transpose nodes fewer in the graph',
  },
  run(g, ctx): Graph {
    const typed = inferTypes(g);
    const out = foldBatchMajor(typed);
    if (!out) return g;
    const before = transposeCost(typed, new Set());
    const after = transposeCost(out.graph, out.fusable);
    if (after >= before && !ctx.options.always) return g;
    ctx.count('layers', out.layers.length);
    ctx.count('transposes-removed', Math.max(0, countOp(typed, 'Transpose') - countOp(out.graph, 'Transpose')));
    ctx.report({ title: 'batch-major: LSTMs given layout = 1', columns: ['layer', 'directions', 'initial state', 'Y_h, Y_c'], rows: out.layers.map((l) => [l.name, l.dirs, l.state, l.stateOut]) });
    return out.graph;
  },
});

const countOp = (g: Graph, op: string) => g.nodes.filter((n) => n.op === op && n.domain === '').length;

/**
 * What a node costs the runtime beyond the elements it moves, in elements: about 1 us per node
 * against about 1 ns per element copied, at the sizes of real models (the corpus's streaming exports:
 * adding eight state transposes of [2, B, 16] to remove four sequence ones made a run slower).
 */
const NODE_COST = 1000;
/** The size assumed for a symbolic dim (sequence, batch): a streaming chunk is a few steps. */
const SYMBOLIC_DIM = 4;

/** The transposes' estimated cost: per node NODE_COST plus the elements it writes; none for those the lowering fuses. */
function transposeCost(g: Graph, fused: ReadonlySet<string>): number {
  let cost = 0;
  for (const n of g.nodes) {
    if (n.op !== 'Transpose' || n.domain !== '' || fused.has(n.outputs[0] ?? '')) continue;
    const shape = g.values.get(n.outputs[0] ?? '')?.type.shape ?? [];
    cost += NODE_COST + shape.reduce<number>((p, d) => p * (typeof d === 'number' ? d : SYMBOLIC_DIM), 1);
  }
  return cost;
}

const samePerm = (p: readonly number[] | undefined, q: readonly number[]) => p !== undefined && p.length === q.length && p.every((v, i) => v === q[i]);

/** A constant integer tensor's values (initializer), or undefined. */
function constInts(g: Graph, name: string | undefined): number[] | undefined {
  const t = name ? g.initializers.get(name) : undefined;
  if (!t || !(t.dtype === 'i64' || t.dtype === 'i32')) return undefined;
  return Array.from(t.data as ArrayLike<number | bigint>, Number);
}

/** [A, B, C] -> [B, A, C] of a constant rank-3 float tensor. */
function swap01(t: Tensor): Tensor {
  const [A, B, C] = t.dims as [number, number, number];
  const src = t.data as Float32Array | Float64Array;
  const dst = new (src.constructor as Float32ArrayConstructor)(src.length);
  for (let a = 0; a < A; a++) for (let b = 0; b < B; b++) dst.set(src.subarray((a * B + b) * C, (a * B + b + 1) * C), (b * A + a) * C);
  return makeTensor(t.dtype, [B, A, C], dst);
}

/** An LSTM the rewrite gave layout = 1, as its report row shows it. */
export interface BatchMajorLayer {
  readonly name: string;
  readonly dirs: number;
  /** initial_h / initial_c: none, zeros (dropped), constant (transposed at compile time) or computed (transposed at run time). */
  readonly state: string;
  /** Y_h / Y_c: unread, or read (transposed back to [D, B, H]). */
  readonly stateOut: string;
}

const CONSTANT_STATE = 'constant (transposed at compile time)';

/** How an original value is rebuilt from its batch-major twin where something else reads it. */
interface Back {
  readonly from: string;
  readonly perm: readonly number[];
}

/**
 * The rewrite itself, whether or not it pays (the pass keeps it when its transposes cost less):
 * the new graph and the LSTMs given layout = 1, or undefined when no LSTM's X has a twin.
 * `g` must be typed (inferTypes).
 */
export function foldBatchMajor(g: Graph): { graph: Graph; layers: BatchMajorLayer[]; fusable: ReadonlySet<string> } | undefined {
  if (!g.nodes.some((n) => n.op === 'LSTM' && n.domain === '')) return undefined;
  const readBySubgraphs = new Set(g.nodes.flatMap((n) => implicitInputs(n)));
  const uses = consumers(g);
  const shape = (v: string): readonly Dim[] | undefined => g.values.get(v)?.type.shape;
  const taken = new Set<string>([...g.inputs, ...g.initializers.keys(), ...g.values.keys(), ...g.nodes.flatMap((n) => n.outputs)]);
  /** Values the pass made (fresh names). */
  const made = new Set<string>();
  /** Outputs of the state transposes the JS lowering fuses into the LSTM (lstm-fusions.ts, states_dbh). */
  const fusable = new Set<string>();
  const fresh = (base: string): string => {
    let name = `${base}.bm`;
    for (let k = 1; taken.has(name); k++) name = `${base}.bm${k}`;
    taken.add(name);
    made.add(name);
    return name;
  };

  /** time-major value -> its batch-major twin (a value that exists in the new graph). */
  const twin = new Map<string, string>();
  /** Values no node of the new graph computes, and how to rebuild them. */
  const back = new Map<string, Back>();
  /** Original LSTM Y -> the new LSTM's Y and its number of directions. */
  const lstmY = new Map<string, { y: string; dirs: number }>();
  /** A terminal transpose's output: the twin it equals. */
  const alias = new Map<string, string>();
  const inits = new Map(g.initializers);
  const nodes: Node[] = [];
  const zeros = knownZeros(g);
  const rebuilt = new Set<string>();
  /** The shape [0, 0, -1] (keep two dims, merge the rest), one initializer for every twin Reshape. */
  let mergeRest: string | undefined;
  const layers: BatchMajorLayer[] = [];

  const emit = (op: string, name: string, inputs: string[], outputs: string[], attrs: Node['attrs'] = {}) => nodes.push(makeNode({ op, name, inputs, outputs, attrs }));
  /** A value a node of the new graph reads: aliases resolved, rebuilt ones emitted before first use. */
  const read = (v: string): string => {
    if (!v) return v;
    const a = alias.get(v);
    if (a !== undefined) return a;
    const b = back.get(v);
    if (b && !rebuilt.has(v)) {
      rebuilt.add(v);
      emit('Transpose', `${v}.rebuild`, [read(b.from)], [v], { perm: { kind: 'ints', value: b.perm } });
    }
    return v;
  };
  /** A twin may only stand for a value nothing outside the chain reads by name (subgraphs read by name). */
  const local = (v: string) => !readBySubgraphs.has(v);

  for (const n of g.nodes) {
    const plain = n.domain === '' || n.domain === 'ai.onnx';
    const x = n.inputs[0] ?? '';
    const o = n.outputs[0] ?? '';
    const perm = plain && n.op === 'Transpose' ? getFloats(n, 'perm') : undefined;
    if (perm && perm.length === 3 && o) {
      const t = twin.get(x);
      if (t !== undefined && local(o)) {
        // A transpose of a time-major value with a twin is a transpose of the twin (x = twin^[1, 0, 2]),
        // none when that is the identity.
        const q = perm.map((i) => [1, 0, 2][i]!);
        if (samePerm(q, [0, 1, 2])) alias.set(o, t);
        else emit('Transpose', n.name, [t], [o], { perm: { kind: 'ints', value: q } });
        continue;
      }
      nodes.push(makeNode({ ...n, inputs: n.inputs.map(read) }));
      // o = x^perm is time-major; its batch-major twin is x^[perm1, perm0, perm2] (x itself for [1, 0, 2]).
      const q = [perm[1]!, perm[0]!, perm[2]!];
      if (samePerm(q, [0, 1, 2])) twin.set(o, read(x));
      else {
        const tw = fresh(o);
        emit('Transpose', `${n.name}.bm`, [read(x)], [tw], { perm: { kind: 'ints', value: q } });
        twin.set(o, tw);
      }
      continue;
    }
    if (plain && n.op === 'LSTM' && twin.has(x) && (n.attrs.layout?.value ?? 0) === 0 && shape(x)?.length === 3 && n.outputs.every((v) => !v || local(v))) {
      const dirs = n.attrs.direction?.value === 'bidirectional' ? 2 : 1;
      const forms = new Set<string>();
      const state = (k: number): string => {
        const v = n.inputs[k] ?? '';
        if (!v) return '';
        if (zeros.has(v)) {
          forms.add('zeros (dropped)'); // a missing initial state is zeros
          return '';
        }
        const c = inits.get(v);
        if (c && c.dims.length === 3 && (c.dtype === 'f32' || c.dtype === 'f64')) {
          forms.add(CONSTANT_STATE);
          const name = fresh(v);
          inits.set(name, swap01(c));
          return name;
        }
        forms.add('computed (transposed at run time)');
        const name = fresh(v);
        emit('Transpose', `${n.name}.state${k}.bm`, [read(v)], [name], { perm: { kind: 'ints', value: [1, 0, 2] } });
        return name;
      };
      const inputs = n.inputs.map((v, k) => (k === 0 ? twin.get(x)! : k === 5 || k === 6 ? state(k) : read(v)));
      while (inputs.length > 0 && inputs[inputs.length - 1] === '') inputs.pop();
      const outputs = n.outputs.map((v) => (v ? fresh(v) : ''));
      nodes.push(makeNode({ ...n, inputs, outputs, attrs: { ...n.attrs, layout: { kind: 'int', value: 1 } } }));
      const [Y, Yh, Yc] = n.outputs;
      if (Y) {
        lstmY.set(Y, { y: outputs[0]!, dirs });
        back.set(Y, { from: outputs[0]!, perm: [1, 2, 0, 3] });
      }
      if (Yh) back.set(Yh, { from: outputs[1]!, perm: [1, 0, 2] });
      if (Yc) back.set(Yc, { from: outputs[2]!, perm: [1, 0, 2] });
      // The JS lowering reads and writes the states in [D, B, H] itself (states_dbh) when every
      // present initial state comes through a transpose: then those transposes cost nothing.
      if (!forms.has(CONSTANT_STATE)) for (const v of [...inputs.slice(5, 7), Yh, Yc]) if (v) fusable.add(v);
      layers.push({ name: n.name, dirs, state: forms.size ? [...forms].join(', ') : 'none', stateOut: [Yh, Yc].some((v) => v && (g.outputs.includes(v) || uses.has(v))) ? 'read (transposed back)' : 'unread' });
      continue;
    }
    const ly = lstmY.get(x);
    if (plain && ly && n.op === 'Transpose' && samePerm(getFloats(n, 'perm'), [0, 2, 1, 3]) && o && local(o)) {
      twin.set(o, ly.y); // [T, B, D, H]: the new Y [B, T, D, H] is its twin
      back.set(o, { from: ly.y, perm: [1, 0, 2, 3] });
      continue;
    }
    if (plain && ly && ly.dirs === 1 && n.op === 'Squeeze' && o && local(o)) {
      const axes = n.inputs.length > 1 ? constInts(g, n.inputs[1]) : getFloats(n, 'axes');
      if (axes && axes.length === 1 && (axes[0] === 1 || axes[0] === -3)) {
        const s = fresh(o);
        const axis = fresh(`${o}.axes`);
        inits.set(axis, makeTensor('i64', [1], [2]));
        // Squeeze's axes are an input from opset 13, an attribute before: keep the node's form.
        if (n.inputs.length > 1) emit('Squeeze', `${n.name}.bm`, [ly.y, axis], [s]);
        else emit('Squeeze', `${n.name}.bm`, [ly.y], [s], { axes: { kind: 'ints', value: [2] } });
        twin.set(o, s);
        back.set(o, { from: s, perm: [1, 0, 2] });
        continue;
      }
    }
    const tx = twin.get(x);
    if (plain && tx !== undefined && n.op === 'Reshape' && o && local(o) && (n.attrs.allowzero?.value ?? 0) === 0) {
      const si = shape(x);
      const so = shape(o);
      // The shape input may be computed (an unfolded export): inference's output dims say what it keeps.
      if (si && so && so.length === 3 && si.length >= 3 && so[0] === si[0] && so[1] === si[1]) {
        const r = fresh(o);
        if (!mergeRest) inits.set((mergeRest = fresh('batch_major.merge')), makeTensor('i64', [3], [0, 0, -1]));
        emit('Reshape', `${n.name}.bm`, [tx, mergeRest], [r]);
        twin.set(o, r);
        back.set(o, { from: r, perm: [1, 0, 2] });
        continue;
      }
    }
    nodes.push(n.inputs.some((v) => alias.has(v) || back.has(v)) ? makeNode({ ...n, inputs: n.inputs.map(read) }) : n);
  }
  if (layers.length === 0) return undefined;
  // Graph outputs keep their names: a value only its twin has is rebuilt; an alias names the twin's
  // value by the output's name when the pass made it (else it becomes an Identity).
  const rename = new Map<string, string>();
  for (const v of g.outputs) {
    const a = alias.get(v);
    if (a === undefined) read(v);
    else if (made.has(a) && !rename.has(a)) rename.set(a, v);
    else emit('Identity', `${v}.bm.out`, [rename.get(a) ?? a], [v]);
  }
  if (rename.size) {
    const to = (v: string) => rename.get(v) ?? v;
    for (let i = 0; i < nodes.length; i++) {
      const m = nodes[i]!;
      if (m.inputs.some((v) => rename.has(v)) || m.outputs.some((v) => rename.has(v))) nodes[i] = makeNode({ ...m, inputs: m.inputs.map(to), outputs: m.outputs.map(to) });
    }
  }
  const defined = new Set<string>([...g.inputs, ...inits.keys(), ...nodes.flatMap((m) => m.outputs)]);
  const values = new Map([...g.values].filter(([k]) => defined.has(k)));
  const graph = eliminateDeadCode(inferTypes(updateGraph(g, { nodes, initializers: inits, values }))).graph;
  return { graph, layers, fusable };
}
