/**
 * `lstm-cell`: a `torch.nn.LSTMCell` step, as torch exports it, raised to a one-step ONNX LSTM.
 *
 * Both of torch's exporters (the dynamo one and the TorchScript one) write a cell call as its
 * arithmetic, no LSTM node:
 *
 *   gates = Gemm(h, W_hh, b_hh, transB=1) + Gemm(x, W_ih, b_ih, transB=1)     [N, 4H]
 *   i, f, g, o = Split(gates, axis 1, four equal parts)
 *   c' = Sigmoid(f) * c + Sigmoid(i) * Tanh(g)
 *   h' = Sigmoid(o) * Tanh(c')
 *
 * so neither the LSTM kernels nor pruning, sparsity, mode selection or the accelerator see it. The
 * pass matches that pattern (operands of Add and Mul in either order; the gate values read by
 * nothing else) and replaces it with Unsqueeze(x) -> LSTM(hidden_size H, initial_h, initial_c: h, c
 * unsqueezed) -> Squeeze(Y_h), Squeeze(Y_c) to h', c' (axis 0, the one step and direction): the weights reordered from torch's gate order i, f, g, o to
 * ONNX's i, o, f, c, the two biases as B. For one step W x + R h is symmetric in x and h, so where
 * both Gemms' weights are [4H, H] the first operand of the Add is taken as the recurrent one (where
 * torch puts it). Weights and biases must be initializers (float32), the split sizes constants (or
 * absent); x, h and c of rank 2. Cells inside If branches are left alone.
 */
import { type Graph, type Node, type Tensor, consumers, implicitInputs, inferTypes, makeNode, makeTensor, updateGraph } from '@lstmc/ir';
import { definePass } from '../../pass.js';
import { eliminateDeadCode } from '../fold/dce.js';

export const lstmCellPass = definePass({
  name: 'lstm-cell',
  summary: 'torch nn.LSTMCell steps (Gemm, Gemm, Add, Split, Sigmoid/Tanh, Mul/Add) raised to one-step LSTM nodes',
  options: {},
  requires: [],
  establishes: [],
  invalidates: [],
  counters: { cells: 'LSTMCell patterns raised to LSTM nodes' },
  run(g, ctx): Graph {
    const out = raiseLstmCells(g);
    if (out.cells.length === 0) return g;
    ctx.count('cells', out.cells.length);
    ctx.report({ title: 'lstm-cell: cells raised to LSTM nodes', columns: ['LSTM', 'input', 'hidden', "h'", "c'"], rows: out.cells.map((c) => [c.name, c.input, c.hidden, c.h, c.c]) });
    return out.graph;
  },
});

export interface RaisedCell {
  readonly name: string;
  readonly input: number;
  readonly hidden: number;
  readonly h: string;
  readonly c: string;
}

interface Match {
  /** The pattern's nodes; the LSTM goes where `cAdd` (c') was, h' is `hMul`'s output. */
  readonly nodes: readonly Node[];
  readonly cAdd: Node;
  readonly hMul: Node;
  readonly x: string;
  readonly h: string;
  readonly c: string;
  readonly wx: Tensor;
  readonly wh: Tensor;
  readonly bx: Tensor | undefined;
  readonly bh: Tensor | undefined;
  readonly hOut: string;
  readonly cOut: string;
  readonly H: number;
  readonly I: number;
}

/** Every LSTMCell pattern of the top-level graph raised to an LSTM node (see the file comment). */
export function raiseLstmCells(g0: Graph): { graph: Graph; cells: RaisedCell[] } {
  const g = inferTypes(g0);
  const cons = consumers(g);
  const readElsewhere = new Set([...g.outputs, ...g.nodes.flatMap((n) => implicitInputs(n))]);
  const producer = new Map<string, Node>();
  for (const n of g.nodes) for (const o of n.outputs) if (o) producer.set(o, n);
  /** The one node that reads v, when v is read by one node and is no graph output or subgraph read. */
  const reader = (v: string) => {
    const rs = cons.get(v) ?? [];
    return rs.length === 1 && !readElsewhere.has(v) ? rs[0] : undefined;
  };
  /** The node producing v when it is `op` of the default domain and v is read only by `by`. */
  const only = (v: string, op: string, by: Node): Node | undefined => {
    const p = producer.get(v);
    return p && p.op === op && p.domain === '' && reader(v) === by ? p : undefined;
  };
  /** The node reading v when it is `op` of the default domain and v's only reader. */
  const act = (v: string, op: string) => {
    const n = reader(v);
    return n && n.op === op && n.domain === '' ? n : undefined;
  };
  /** An int or float attribute, or its default. */
  const num = (n: Node, a: string, d: number) => {
    const at = n.attrs[a];
    return at && (at.kind === 'int' || at.kind === 'float') ? at.value : d;
  };
  const rank2 = (v: string) => g.values.get(v)?.type.shape?.length === 2 && g.values.get(v)?.type.dtype === 'f32';
  /** A constant value: an initializer, or the output of a Constant node (an unfolded TorchScript export's split sizes). */
  const constant = (v: string): Tensor | undefined => {
    const c = producer.get(v);
    const a = c?.op === 'Constant' ? c.attrs.value : undefined;
    return g.initializers.get(v) ?? (a?.kind === 'tensor' ? a.value : undefined);
  };
  const constF32 = (v: string | undefined) => {
    const t = v ? g.initializers.get(v) : undefined;
    return t && t.dtype === 'f32' ? t : undefined;
  };
  /** A Gemm computing a [N, 4H] product of a rank-2 value by a constant [4H, K] weight (transposed) plus an optional constant bias. */
  const linear = (n: Node | undefined) => {
    if (!n || num(n, 'transA', 0) !== 0 || num(n, 'transB', 0) !== 1 || num(n, 'alpha', 1) !== 1 || num(n, 'beta', 1) !== 1) return undefined;
    const w = constF32(n.inputs[1]);
    const b = n.inputs[2] ? constF32(n.inputs[2]) : undefined;
    if (!w || w.dims.length !== 2 || (n.inputs[2] && !b) || !rank2(n.inputs[0]!)) return undefined;
    if (b && !(b.dims.length === 1 && b.dims[0] === w.dims[0])) return undefined;
    return { a: n.inputs[0]!, w, b };
  };

  const matches: Match[] = [];
  const used = new Set<Node>();
  for (const split of g.nodes) {
    if (split.op !== 'Split' || split.domain !== '' || split.outputs.length !== 4 || split.outputs.some((o) => !o)) continue;
    const add = only(split.inputs[0]!, 'Add', split);
    if (!add) continue;
    const [g1, g2] = [only(add.inputs[0]!, 'Gemm', add), only(add.inputs[1]!, 'Gemm', add)];
    const [l1, l2] = [linear(g1), linear(g2)];
    if (!l1 || !l2) continue;
    const H4 = l1.w.dims[0]!;
    const H = H4 / 4;
    if (!Number.isInteger(H) || l2.w.dims[0] !== H4) continue;
    // the recurrent product: the one whose weight is [4H, H]; the Add's first operand when both are
    const [rec, inp] = l1.w.dims[1] === H ? [l1, l2] : [l2, l1];
    if (rec.w.dims[1] !== H) continue;
    const axis = num(split, 'axis', 0);
    if (axis !== 1 && axis !== -1) continue;
    const sizes = split.inputs[1] ? constant(split.inputs[1]) : undefined;
    if (split.inputs[1] && !(sizes && Array.from(sizes.data as ArrayLike<number | bigint>, Number).every((s) => s === H))) continue;
    // before opset 13 the sizes are an attribute
    const attrSizes = split.attrs.split;
    if (attrSizes && !(attrSizes.kind === 'ints' && attrSizes.value.length === 4 && attrSizes.value.every((s) => s === H))) continue;
    const [si, sf, sg, so] = split.outputs;
    const [ni, nf, ng, no] = [act(si!, 'Sigmoid'), act(sf!, 'Sigmoid'), act(sg!, 'Tanh'), act(so!, 'Sigmoid')];
    if (!ni || !nf || !ng || !no) continue;
    // c' = Sigmoid(f) * c + Sigmoid(i) * Tanh(g)
    const mf = reader(nf.outputs[0]!);
    const mig = reader(ni.outputs[0]!);
    if (!mf || mf.op !== 'Mul' || !mig || mig.op !== 'Mul' || reader(ng.outputs[0]!) !== mig) continue;
    const c = mf.inputs[0] === nf.outputs[0] ? mf.inputs[1]! : mf.inputs[0]!;
    if (!mig.inputs.includes(ni.outputs[0]!) || !mig.inputs.includes(ng.outputs[0]!)) continue;
    const cAdd = reader(mf.outputs[0]!);
    if (!cAdd || cAdd.op !== 'Add' || reader(mig.outputs[0]!) !== cAdd) continue;
    const cOut = cAdd.outputs[0]!;
    // h' = Sigmoid(o) * Tanh(c'): c' may have other readers (the next step, a graph output)
    const tanhC = (cons.get(cOut) ?? []).find((n) => n.op === 'Tanh' && n.domain === '');
    const hMul = tanhC && reader(tanhC.outputs[0]!);
    if (!tanhC || !hMul || hMul.op !== 'Mul' || reader(no.outputs[0]!) !== hMul || readElsewhere.has(tanhC.outputs[0]!)) continue;
    const nodes = [split, add, g1!, g2!, ni, nf, ng, no, mf, mig, cAdd, tanhC, hMul];
    // c must come from outside the cell (not, say, f * f)
    if (nodes.some((n) => n.outputs.includes(c)) || !rank2(c) || !rank2(rec.a) || !rank2(inp.a)) continue;
    // (every node is reached from its Split through values with one reader, so no two matches share one)
    for (const n of nodes) used.add(n);
    matches.push({ nodes, cAdd, hMul, x: inp.a, h: rec.a, c, wx: inp.w, wh: rec.w, bx: inp.b, bh: rec.b, hOut: hMul.outputs[0]!, cOut, H, I: inp.w.dims[1]! });
  }
  if (matches.length === 0) return { graph: g0, cells: [] };

  const taken = new Set([...g.values.keys(), ...g.initializers.keys(), ...g.nodes.map((n) => n.name)]);
  const fresh = (base: string) => {
    let s = base;
    for (let k = 1; taken.has(s); k++) s = `${base}_${k}`;
    taken.add(s);
    return s;
  };
  const initializers = new Map(g.initializers);
  // axis 0, the LSTM's one step and one direction: an input of Unsqueeze and Squeeze from opset 13, an attribute before
  const axisInput = (g.opsets[''] ?? 1) >= 13;
  const axes = fresh('lstm-cell.axes');
  if (axisInput) initializers.set(axes, makeTensor('i64', [1], BigInt64Array.of(0n)));
  const replaced = new Map<Node, Node[]>();
  const cells: RaisedCell[] = [];
  for (const m of matches) {
    const name = fresh(`${m.hMul.name || 'cell'}/lstm`);
    const [W, R, B] = [fresh(`${name}.W`), fresh(`${name}.R`), fresh(`${name}.B`)];
    initializers.set(W, makeTensor('f32', [1, 4 * m.H, m.I], gatesToOnnx(m.wx.data as Float32Array, m.H, m.I)));
    initializers.set(R, makeTensor('f32', [1, 4 * m.H, m.H], gatesToOnnx(m.wh.data as Float32Array, m.H, m.H)));
    const bias = new Float32Array(8 * m.H);
    if (m.bx) bias.set(gatesToOnnx(m.bx.data as Float32Array, m.H, 1), 0);
    if (m.bh) bias.set(gatesToOnnx(m.bh.data as Float32Array, m.H, 1), 4 * m.H);
    initializers.set(B, makeTensor('f32', [1, 8 * m.H], bias));
    const [X, H0, C0, YH, YC] = ['X', 'initial_h', 'initial_c', 'Y_h', 'Y_c'].map((s) => fresh(`${name}.${s}`)) as [string, string, string, string, string];
    const re = (op: 'Unsqueeze' | 'Squeeze', suffix: string, a: string, o: string) =>
      makeNode({ op, name: fresh(`${name}/${suffix}`), inputs: axisInput ? [a, axes] : [a], outputs: [o], attrs: axisInput ? {} : { axes: { kind: 'ints', value: [0] } } });
    replaced.set(m.cAdd, [
      re('Unsqueeze', 'x', m.x, X),
      re('Unsqueeze', 'h', m.h, H0),
      re('Unsqueeze', 'c', m.c, C0),
      makeNode({ op: 'LSTM', name, inputs: [X, W, R, B, '', H0, C0], outputs: ['', YH, YC], attrs: { hidden_size: { kind: 'int', value: m.H } } }),
      re('Squeeze', 'h_out', YH, m.hOut),
      re('Squeeze', 'c_out', YC, m.cOut),
    ]);
    cells.push({ name, input: m.I, hidden: m.H, h: m.hOut, c: m.cOut });
  }
  // The replacement goes where c' was computed: x, h and c are defined before the Gemms, and whatever reads c' or h' comes after.
  const nodes = g.nodes.flatMap((n) => replaced.get(n) ?? (used.has(n) ? [] : [n]));
  // dead-code elimination drops the pattern's values and torch's weights, biases and split sizes, read by nothing now
  return { graph: eliminateDeadCode(inferTypes(updateGraph(g, { nodes, initializers }))).graph, cells };
}

/** Rows of a [4H, K] torch gate stack (i, f, g, o) in ONNX's order (i, o, f, c). */
function gatesToOnnx(w: Float32Array, H: number, K: number): Float32Array {
  const out = new Float32Array(4 * H * K);
  const block = H * K;
  [0, 3, 1, 2].forEach((from, to) => out.set(w.subarray(from * block, (from + 1) * block), to * block));
  return out;
}
