import { LSTM_INPUTS, nodeSubgraphs, opDef, zeroFraction, type Graph, type Node, type Tensor, type Dim } from '@lstmc/ir';
import type { InferProblem } from './load-model.js';
import { PLACEMENT_COLUMNS, partitionGraph, placementRow, placementTable, stageOrder, type NodePlacement } from '@lstmc/backend-accel';
import { formatReportTable, raiseLstmCells, type RaisedCell } from '@lstmc/passes';

export interface LstmReport {
  readonly node: string;
  /** Where the node is: '' in the main graph, else the path of subgraphs (`If 'n' then_branch / ...`). */
  readonly scope: string;
  readonly direction: string;
  readonly inputSize: Dim;
  readonly hiddenSize: Dim;
  readonly layout: number;
  readonly parameters: number;
  readonly weightSparsity: { readonly W: number | null; readonly R: number | null };
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly inputs: Readonly<Record<string, string>>;
}

export interface InspectReport {
  readonly graph: string;
  readonly opsets: Readonly<Record<string, number>>;
  readonly inputs: readonly { name: string; dtype: string; shape: Dim[] | null }[];
  readonly outputs: readonly { name: string; dtype: string; shape: Dim[] | null }[];
  readonly initializers: number;
  readonly opCounts: Readonly<Record<string, number>>;
  readonly lstms: readonly LstmReport[];
  /** torch nn.LSTMCell steps written as arithmetic, which the lstm-cell pass of -O js / -O accel raises to LSTM nodes (the LSTM names they would get). */
  readonly lstmCells: readonly RaisedCell[];
  readonly unsupported: readonly { node: string; op: string; domain: string; scope: string }[];
  /** Nodes whose type inference failed (what `run` and `compile` would refuse), with the diagnostic. */
  readonly inferenceErrors: readonly { node: string; op: string; code: string; message: string }[];
  /** Values whose element type is unknown, with the node that produces them. */
  readonly untyped: readonly { value: string; producer: string | null; op: string | null }[];
  /** What `--target accel` would run where (on this graph, before any pass), and in which order. */
  readonly placement: { readonly summary: string; readonly nodes: readonly NodePlacement[]; readonly stages: readonly string[] };
}

/** A graph seen from inside: its own values first, then those of the graphs enclosing it. */
interface View {
  readonly graphs: readonly Graph[];
  readonly scope: string;
}

function lookup<T>(v: View, f: (g: Graph) => T | undefined): T | undefined {
  for (let i = v.graphs.length - 1; i >= 0; i--) {
    const r = f(v.graphs[i]!);
    if (r !== undefined) return r;
  }
  return undefined;
}

function constantOf(v: View, name: string): Tensor | undefined {
  return name ? lookup(v, (g) => g.initializers.get(name)) : undefined;
}

function shapeOf(v: View, name: string): readonly Dim[] | undefined {
  return lookup(v, (g) => g.values.get(name))?.type.shape;
}

function lstmReport(v: View, n: Node): LstmReport {
  const W = constantOf(v, n.inputs[1]);
  const R = constantOf(v, n.inputs[2]);
  const wType = shapeOf(v, n.inputs[1]);
  const rType = shapeOf(v, n.inputs[2]);
  let params = 0;
  n.inputs.forEach((name, i) => {
    if (!name || i === 0 || i === 4 || i === 5 || i === 6) return;
    const s = shapeOf(v, name);
    if (s && s.every((d) => typeof d === 'number')) params += (s as number[]).reduce((a, b) => a * b, 1);
  });
  const attrs: Record<string, unknown> = {};
  for (const [k, a] of Object.entries(n.attrs)) attrs[k] = a.kind === 'tensor' || a.kind === 'graph' || a.kind === 'graphs' ? `<${a.kind}>` : a.value;
  const inputs: Record<string, string> = {};
  n.inputs.forEach((v, i) => v && (inputs[LSTM_INPUTS[i]] = v));
  return {
    node: n.name,
    scope: v.scope,
    direction: (n.attrs.direction?.value as string | undefined) ?? 'forward',
    inputSize: wType?.[2] ?? '?',
    hiddenSize: rType?.[2] ?? '?',
    layout: (n.attrs.layout?.value as number | undefined) ?? 0,
    parameters: params,
    weightSparsity: { W: W ? zeroFraction(W) : null, R: R ? zeroFraction(R) : null },
    attributes: attrs,
    inputs,
  };
}

/** Visits the nodes of `g` and of its subgraphs (If branches, Loop bodies), each with its view. */
function walk(v: View, visit: (n: Node, v: View) => void): void {
  const g = v.graphs[v.graphs.length - 1]!;
  for (const n of g.nodes) {
    visit(n, v);
    for (const { attr, index, graph } of nodeSubgraphs(n)) {
      const here = `${n.op} '${n.name}' ${attr}${index === undefined ? '' : `[${index}]`}`;
      walk({ graphs: [...v.graphs, graph], scope: v.scope ? `${v.scope} / ${here}` : here }, visit);
    }
  }
}

/** The report of a typed graph, subgraphs included (op counts, LSTMs and opaque ops inside If branches). */
export function inspectGraph(g: Graph, problems: readonly InferProblem[] = []): InspectReport {
  const io = (names: readonly string[]) =>
    names.map((name) => {
      const t = g.values.get(name)?.type;
      return { name, dtype: t?.dtype ?? 'unknown', shape: t?.shape ? [...t.shape] : null };
    });
  const opCounts: Record<string, number> = {};
  const lstms: LstmReport[] = [];
  const unsupported: { node: string; op: string; domain: string; scope: string }[] = [];
  walk({ graphs: [g], scope: '' }, (n, v) => {
    const k = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.op}` : n.op;
    opCounts[k] = (opCounts[k] ?? 0) + 1;
    const known = opDef(n.op, n.domain);
    if (n.op === 'LSTM' && known) lstms.push(lstmReport(v, n));
    if (!known) unsupported.push({ node: n.name, op: n.op, domain: n.domain, scope: v.scope });
  });
  return {
    graph: g.name,
    opsets: { ...g.opsets },
    inputs: io(g.inputs.filter((i) => !g.initializers.has(i))),
    outputs: io(g.outputs),
    initializers: g.initializers.size,
    opCounts: Object.fromEntries(Object.entries(opCounts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    lstms,
    lstmCells: problems.length ? [] : raiseLstmCells(g).cells,
    unsupported,
    inferenceErrors: problems.map((p) => ({ node: p.node.name, op: p.node.op, code: p.diagnostic.code, message: p.diagnostic.message })),
    untyped: untypedValues(g),
    placement: placementOf(g),
  };
}

function untypedValues(g: Graph): InspectReport['untyped'] {
  const producer = new Map<string, Node>();
  for (const n of g.nodes) for (const o of n.outputs) if (o) producer.set(o, n);
  const out: { value: string; producer: string | null; op: string | null }[] = [];
  for (const [name, v] of g.values)
    if (v.type.dtype === 'unknown') {
      const p = producer.get(name);
      out.push({ value: name, producer: p?.name ?? null, op: p?.op ?? null });
    }
  return out;
}

function placementOf(g: Graph): InspectReport['placement'] {
  const p = partitionGraph(g);
  return { summary: placementTable(p).title, nodes: p.placements, stages: stageOrder(p) };
}

const pct = (x: number | null) => (x === null ? 'n/a (not a constant: a graph input)' : `${(100 * x).toFixed(2)}%`);
const shape = (s: Dim[] | null) => (s ? `[${s.join(', ')}]` : '[?]');

export function formatInspect(r: InspectReport, file: string): string {
  const L: string[] = [];
  L.push(`model: ${file}`);
  L.push(`graph: ${r.graph}`);
  L.push(`opsets: ${Object.entries(r.opsets).map(([d, v]) => `${d || 'ai.onnx'} ${v}`).join(', ')}`);
  L.push('inputs:');
  for (const v of r.inputs) L.push(`  ${v.name}: ${v.dtype}${shape(v.shape)}`);
  L.push('outputs:');
  for (const v of r.outputs) L.push(`  ${v.name}: ${v.dtype}${shape(v.shape)}`);
  L.push(`initializers: ${r.initializers}`);
  L.push('ops:');
  for (const [op, c] of Object.entries(r.opCounts)) L.push(`  ${op.padEnd(18)} ${c}`);
  for (const l of r.lstms) {
    L.push(`LSTM ${l.node}:${l.scope ? ` (in ${l.scope})` : ''}`);
    L.push(`  direction: ${l.direction}   input size I: ${l.inputSize}   hidden size H: ${l.hiddenSize}   layout: ${l.layout}`);
    L.push(`  parameters: ${l.parameters}`);
    L.push(`  weight sparsity: W ${pct(l.weightSparsity.W)}   R ${pct(l.weightSparsity.R)}`);
    const attrs = Object.entries(l.attributes);
    L.push(`  attributes: ${attrs.length ? attrs.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ') : '(defaults)'}`);
  }
  if (r.lstmCells.length) {
    L.push(`LSTMCell steps (Gemm, Split, Sigmoid, Tanh arithmetic): ${r.lstmCells.length}; the lstm-cell pass of -O js and -O accel raises each to an LSTM`);
    for (const c of r.lstmCells) L.push(`  h' ${c.h}, c' ${c.c}   input size I: ${c.input}   hidden size H: ${c.hidden}`);
  }
  if (r.unsupported.length) {
    L.push('unsupported (opaque) ops:');
    for (const u of r.unsupported) L.push(`  ${u.domain ? `${u.domain}.` : ''}${u.op}  node '${u.node}'${u.scope ? ` (in ${u.scope})` : ''}`);
  }
  if (r.inferenceErrors.length) {
    L.push('nodes that fail type inference (run and compile stop at the first):');
    for (const e of r.inferenceErrors) L.push(`  ${e.op}  node '${e.node}': error[${e.code}]: ${e.message}`);
  }
  if (r.untyped.length) {
    L.push('values of unknown type:');
    for (const u of r.untyped) L.push(`  ${u.value}${u.producer ? `  (from ${u.op} node '${u.producer}')` : ''}`);
  }
  L.push(formatReportTable({ title: `${r.placement.summary} (--target accel, before the pass pipeline)`, columns: PLACEMENT_COLUMNS, rows: r.placement.nodes.map(placementRow) }));
  L.push('stages:');
  for (const s of r.placement.stages) L.push(`  ${s}`);
  return L.join('\n') + '\n';
}
