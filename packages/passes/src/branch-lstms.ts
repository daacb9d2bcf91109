/**
 * LSTM passes reach the LSTMs inside If branches. A pass's per-graph work runs on the graph, then on
 * every subgraph that holds an LSTM (nested ones too), each as a graph of its own that also holds the
 * outer initializers its LSTMs read (W, R, B, P). A borrowed tensor the work left as it was goes back
 * to being read from outside; one it replaced (pruned weights) stays in the branch under a new name,
 * so no name is defined twice in the model. Calibration samples are graph inputs of the outermost
 * graph; a branch of an If gets samples of its own: for each outer sample whose evaluated condition
 * takes that branch, the outer values the branch reads (its outer references), which the branch's
 * graph then takes as inputs while the work runs. A branch no sample takes (or a Loop/Scan body)
 * is worked on as without calibration.
 */
import { type Attr, type Graph, type Node, type Tensor, type ValueInfo, elemAsNumber, localDefinitions, makeNode, nodeSubgraphs, outerReferences, tensorType, updateGraph, walkNodes } from '@lstmc/ir';
import { lstmNodes } from './lstm-params.js';
import type { AnyPass, CalibrationSample, PassContext, ReportTable } from './pass.js';

/** LSTM inputs that are weights: W, R, B, P. */
const WEIGHT_INPUTS = [1, 2, 3, 7];

/** True when `g` or a graph nested in it holds an LSTM. */
function containsLstm(g: Graph): boolean {
  let found = false;
  walkNodes(g, (n) => {
    found ||= n.op === 'LSTM';
  });
  return found;
}

/**
 * `work` on `g` and on every subgraph of it that holds an LSTM. The report tables of all graphs
 * are merged by title (rows of the branches after those of the graph), so a pass reports one table.
 */
export async function onEveryLstmGraph<C extends Pick<PassContext, 'calibration' | 'evaluate' | 'report' | 'inBranch'>>(
  g: Graph,
  ctx: C,
  work: (g: Graph, ctx: C) => Graph | Promise<Graph>,
): Promise<Graph> {
  const tables: ReportTable[] = [];
  const collect = (t: ReportTable) => {
    const same = tables.findIndex((x) => x.title === t.title && x.columns.join('\0') === t.columns.join('\0'));
    if (same < 0) tables.push(t);
    else tables[same] = { ...tables[same]!, rows: [...tables[same]!.rows, ...t.rows] };
  };
  const top = await work(g, { ...ctx, report: collect });
  const inBranches: C = { ...ctx, report: collect, inBranch: true };
  const out = top.nodes.some((n) => nodeSubgraphs(n).some((s) => containsLstm(s.graph))) ? await inSubgraphs(top, new Map(top.initializers), inBranches, work, new Set(allNames(top))) : top;
  for (const t of tables) ctx.report(t);
  return out;
}

/** The pass with its per-graph `run` applied to the LSTMs inside If branches too (onEveryLstmGraph). */
export function reachingBranches<P extends AnyPass>(p: P): P {
  return Object.freeze({ ...p, run: (g: Graph, ctx: Parameters<P['run']>[1]) => onEveryLstmGraph(g, ctx, (x, c) => p.run(x, c)) });
}

function allNames(g: Graph): string[] {
  const out = [...localDefinitions(g), ...g.inputs];
  for (const n of g.nodes) for (const a of Object.values(n.attrs)) if (a.kind === 'graph') out.push(...allNames(a.value));
  return out;
}

type BranchCtx = Pick<PassContext, 'calibration' | 'evaluate'>;

async function inSubgraphs<C extends BranchCtx>(
  g: Graph,
  outer: ReadonlyMap<string, Tensor>,
  ctx: C,
  work: (g: Graph, ctx: C) => Graph | Promise<Graph>,
  taken: Set<string>,
): Promise<Graph> {
  let changed = false;
  const nodes: Node[] = [];
  for (const n of g.nodes) {
    const attrs: Record<string, Attr> = { ...n.attrs };
    let touched = false;
    for (const [k, a] of Object.entries(n.attrs)) {
      if (a.kind !== 'graph' || !containsLstm(a.value)) continue;
      const scope = new Map([...outer, ...g.initializers]);
      const sg = await branch(a.value, scope, { ...ctx, calibration: await branchSamples(g, n, k, a.value, scope, ctx) }, work, taken);
      if (sg === a.value) continue;
      attrs[k] = { kind: 'graph', value: sg };
      touched = true;
    }
    nodes.push(touched ? makeNode({ ...n, attrs }) : n);
    changed ||= touched;
  }
  return changed ? updateGraph(g, { nodes }) : g;
}

/**
 * Samples for the branch `attr` of If node `n` of `g`, from `ctx.calibration` (samples of `g`):
 * the branch's outer references (less initializers in `scope`) on each sample that takes it.
 */
async function branchSamples(g: Graph, n: Node, attr: string, sg: Graph, scope: ReadonlyMap<string, Tensor>, ctx: BranchCtx): Promise<CalibrationSample[]> {
  if (n.op !== 'If' || !ctx.calibration.length) return [];
  const refs = outerReferences(sg).filter((r) => !scope.has(r));
  const cond = n.inputs[0]!;
  const out: CalibrationSample[] = [];
  for (const s of ctx.calibration) {
    const v = await ctx.evaluate(g, s, [cond, ...refs]);
    const taken = elemAsNumber(v.get(cond)!, 0) !== 0 ? 'then_branch' : 'else_branch';
    if (taken === attr) out.push(new Map(refs.map((r) => [r, v.get(r)!])));
  }
  return out;
}

async function branch<C extends BranchCtx>(
  sg: Graph,
  scope: ReadonlyMap<string, Tensor>,
  ctx: C,
  work: (g: Graph, ctx: C) => Graph | Promise<Graph>,
  taken: Set<string>,
): Promise<Graph> {
  const borrowed = new Map<string, Tensor>();
  for (const n of lstmNodes(sg))
    for (const i of WEIGHT_INPUTS) {
      const v = n.inputs[i];
      const t = v ? scope.get(v) : undefined;
      if (v && t && !sg.initializers.has(v)) borrowed.set(v, t);
    }
  // With samples, the outer values the branch reads are its inputs while the work runs (taken back after).
  const fed = ctx.calibration.length ? [...ctx.calibration[0]!.keys()] : [];
  const fedValues = new Map(sg.values);
  for (const r of fed) {
    const t = ctx.calibration[0]!.get(r)!;
    fedValues.set(r, { name: r, type: tensorType(t.dtype, t.dims) } satisfies ValueInfo);
  }
  const view =
    borrowed.size || fed.length
      ? updateGraph(sg, { initializers: new Map([...sg.initializers, ...borrowed]), ...(fed.length ? { inputs: [...sg.inputs, ...fed], values: fedValues } : {}) })
      : sg;
  const done = await work(view, ctx);
  const res = await inSubgraphs(done, scope, ctx, work, taken);
  if (res === view) return sg;
  // Borrowed tensors: unchanged ones are read from outside again, replaced ones get a name of their own.
  const inits = new Map(res.initializers);
  const values = new Map(res.values);
  for (const r of fed) {
    const before = sg.values.get(r);
    if (before) values.set(r, before);
    else values.delete(r);
  }
  const rename = new Map<string, string>();
  for (const [name, t] of borrowed) {
    const now = inits.get(name);
    inits.delete(name);
    const before = sg.values.get(name);
    if (before) values.set(name, before);
    else values.delete(name);
    if (now === t || now === undefined) continue;
    let fresh = `${name}.${sg.name}`;
    for (let k = 1; taken.has(fresh); k++) fresh = `${name}.${sg.name}_${k}`;
    taken.add(fresh);
    rename.set(name, fresh);
    inits.set(fresh, now);
    values.set(fresh, { name: fresh, type: tensorType(now.dtype, now.dims, now.fixed) });
  }
  const r = (v: string) => rename.get(v) ?? v;
  const nodes = rename.size ? res.nodes.map((n) => (n.inputs.some((i) => rename.has(i)) ? makeNode({ ...n, inputs: n.inputs.map(r) }) : n)) : res.nodes;
  return updateGraph(res, { initializers: inits, values, nodes, ...(fed.length ? { inputs: sg.inputs } : {}) });
}
