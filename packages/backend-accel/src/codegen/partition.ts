import { fail, hasSubgraphs, isKnownOp, nodeReads, producers, type Graph, type Node } from '@lstmc/ir';
import { lstmDirections, lstmLayout, lstmParams, unsupportedActivation } from '@lstmc/passes';
import type { GlueStep } from '../host/glue.js';
import { glueStepOf, isConcatView, isZeros } from './graph-walk.js';

/**
 * Where a node runs in an accelerator binary:
 * - `accel`: an LSTM layer as microcode, or an op absorbed into the
 *   accelerator's data layout (glue re-viewing one LSTM's Y as the next one's
 *   X, a batch-first Transpose the host's DMA reads through, a zero initial
 *   state the accelerator starts from);
 * - `host`: run by the host, on the JS runtime (a host segment of the binary)
 *   or, for data movement to a graph output, by the host's glue;
 * - `unused`: nothing needs its results;
 * - `refused`: needed, but neither the accelerator nor the JS runtime runs it
 *   (an opaque op).
 */
export const PLACEMENTS = ['accel', 'host', 'unused', 'refused'] as const;
export type Placement = (typeof PLACEMENTS)[number];

export interface NodePlacement {
  readonly node: string;
  readonly op: string;
  readonly where: Placement;
  /** Accelerator phase (LSTM layers) or host segment (runtime ops); null for the rest. */
  readonly stage: number | null;
  readonly reason: string;
}

/** How an accelerator LSTM gets its X. */
export type XFeed =
  /** Another accelerator LSTM's Y, re-viewed by glue (read in place from DRAM). */
  | { readonly kind: 'view'; readonly from: Node; readonly glue: readonly GlueStep[] }
  /** A tensor the host holds (graph input or host result); `perm`: read through that Transpose (absorbed, X = Transpose(name)). */
  | { readonly kind: 'value'; readonly name: string; readonly perm: readonly number[] | null; readonly absorbed: Node | null };

export interface AccelLayer {
  readonly node: Node;
  readonly phase: number;
  readonly x: XFeed;
}

/**
 * A host segment: runtime ops that run before accelerator phase `index`
 * (index = phase count: after the last). Its inputs are graph inputs, LSTM
 * outputs and results of earlier segments; its outputs are what later stages
 * and the graph outputs need.
 */
export interface HostSegment {
  readonly index: number;
  readonly nodes: readonly Node[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** A graph output read straight from an accelerator LSTM output, through glue the host applies. */
export interface DirectOutput {
  readonly name: string;
  readonly node: Node;
  readonly which: 'Y' | 'Y_h' | 'Y_c';
  readonly glue: readonly GlueStep[];
}

export interface Partition {
  readonly layers: readonly AccelLayer[];
  readonly phases: number;
  readonly segments: readonly HostSegment[];
  readonly direct: readonly DirectOutput[];
  readonly placements: readonly NodePlacement[];
}

const WHICH = ['Y', 'Y_h', 'Y_c'] as const;

/** What a sequence_lens input holds: constant values or a named tensor. */
function lensKey(g: Graph, v: string): string {
  const t = g.initializers.get(v);
  return t ? `=${Array.from(t.data as ArrayLike<number | bigint>, Number).join(',')}` : `@${v}`;
}

/** Why the accelerator cannot run this LSTM, or null when it can. */
function accelRefusal(g: Graph, n: Node): string | null {
  if (!lstmParams(g, n)) return 'its W, R (and B) are not constant initializers';
  const bad = unsupportedActivation(n);
  if (bad) return bad;
  if (g.initializers.has(n.inputs[0])) return 'its X is a constant';
  return null;
}

/**
 * Assign every node to the accelerator or the host. LSTM layers the target
 * can run (constant weights, Sigmoid/Tanh) become microcode; everything the
 * results need besides them runs on the host's JS runtime, in segments before,
 * between and after the accelerator phases. An accelerator phase runs its
 * layers in node order once per batch item; a layer joins the latest phase
 * unless a host result it reads is computed after that phase, or its sequence
 * comes from another tensor than that phase's.
 */
export function partitionGraph(g: Graph): Partition {
  const prod = producers(g);
  const lstmOf = new Map<Node, string | null>(g.nodes.filter((n) => n.op === 'LSTM' && (n.domain === '' || n.domain === 'ai.onnx')).map((n) => [n, accelRefusal(g, n)]));
  const accel = new Set([...lstmOf].filter(([, why]) => why === null).map(([n]) => n));

  /** Glue steps from an accelerator LSTM output to `v`, or null. */
  const glueBack = (v: string): { root: Node; which: (typeof WHICH)[number]; glue: GlueStep[]; nodes: Node[] } | null => {
    const glue: GlueStep[] = [];
    const nodes: Node[] = [];
    for (let p = prod.get(v); p; p = prod.get(v)) {
      if (accel.has(p)) return { root: p, which: WHICH[p.outputs.indexOf(v)], glue, nodes };
      const s = glueStepOf(g, prod, p);
      if (!s) return null;
      glue.unshift(s);
      nodes.push(p);
      v = p.inputs[0];
    }
    return null;
  };

  // What the accelerator reads, per layer; which values the host must provide.
  const absorbed = new Map<Node, string>();
  const feedsX = new Map<Node, XFeed>();
  const wanted = new Set<string>();
  for (const n of accel) {
    const I = lstmParams(g, n)!.inputSize;
    const back = glueBack(n.inputs[0]);
    const src = back?.root;
    if (back && src && back.which === 'Y') {
      const D = lstmDirections(src);
      const H = lstmParams(g, src)!.hidden;
      if (D * H === I && isConcatView(back.glue, D, H, lstmLayout(src), lstmLayout(n))) {
        feedsX.set(n, { kind: 'view', from: src, glue: back.glue });
        for (const m of back.nodes) absorbed.set(m, `absorbed: re-views the Y of LSTM '${src.name}' as the X of LSTM '${n.name}' (read in place from DRAM)`);
        continue;
      }
    }
    const p = prod.get(n.inputs[0]);
    const perm = p?.op === 'Transpose' ? p.attrs.perm : undefined;
    if (p && perm?.kind === 'ints' && perm.value.length === 3 && !g.initializers.has(p.inputs[0])) {
      const batchFirst = perm.value.join(',') === '1,0,2' && lstmLayout(n) === 0;
      feedsX.set(n, { kind: 'value', name: p.inputs[0], perm: perm.value, absorbed: p });
      absorbed.set(p, `absorbed: the host's DMA reads ${batchFirst ? 'the batch-first tensor' : `tensor`} '${p.inputs[0]}' through perm [${perm.value.join(', ')}] as the X of LSTM '${n.name}'`);
      wanted.add(p.inputs[0]);
      continue;
    }
    feedsX.set(n, { kind: 'value', name: n.inputs[0], perm: null, absorbed: null });
    wanted.add(n.inputs[0]);
  }
  const zeroState = new Map<string, Node>();
  for (const n of accel) {
    const sl = n.inputs[4];
    if (sl && !g.initializers.has(sl)) wanted.add(sl);
    for (const v of [n.inputs[5], n.inputs[6]]) {
      if (!v || g.initializers.has(v)) continue;
      if (isZeros(g, prod, v)) zeroState.set(v, n);
      else wanted.add(v);
    }
  }

  // Graph outputs: straight from an LSTM through glue, or computed on the host.
  const direct: DirectOutput[] = [];
  for (const o of g.outputs) {
    const back = glueBack(o);
    if (back) direct.push({ name: o, node: back.root, which: back.which, glue: back.glue });
    else wanted.add(o);
  }
  const directGlue = new Map<Node, string>();
  for (const d of direct) for (const s of d.glue) directGlue.set(g.nodes.find((n) => n.name === s.node)!, d.name);

  // Host nodes: everything the wanted values need, up to graph inputs and accelerator outputs.
  const host = new Set<Node>();
  const stack = [...wanted];
  while (stack.length) {
    const p = prod.get(stack.pop()!);
    if (!p || accel.has(p) || host.has(p)) continue;
    host.add(p);
    stack.push(...nodeReads(p));
  }

  // Stages, in topological order: a host result is ready for the stages >= its segment, an LSTM output after its phase.
  const ready = new Map<string, number>();
  const readyOf = (v: string) => ready.get(v) ?? 0;
  const stage = new Map<Node, number>();
  // The layers of one phase share a sequence length (they read the same host tensor, or in place layers
  // that do) and, among those with sequence_lens, one sequence_lens.
  const lengthOf = new Map<Node, string>();
  let phase = 0;
  let cur: { length: string; lens: string | undefined } | undefined;
  for (const n of g.nodes) {
    if (accel.has(n)) {
      const x = feedsX.get(n)!;
      const needs = [x.kind === 'value' ? readyOf(x.name) : stage.get(x.from)!, ...[4, 5, 6].map((i) => (n.inputs[i] && !zeroState.has(n.inputs[i]) ? readyOf(n.inputs[i]) : 0))];
      const length = x.kind === 'value' ? `${lstmLayout(n)}:${x.perm ?? ''}:${x.name}` : lengthOf.get(x.from)!;
      const lens = n.inputs[4] ? lensKey(g, n.inputs[4]) : undefined;
      const p = Math.max(phase, ...needs);
      const fits = cur !== undefined && cur.length === length && (lens === undefined || cur.lens === undefined || cur.lens === lens);
      if (p > phase || (cur && !fits)) {
        phase = p > phase ? p : phase + 1;
        cur = undefined;
      }
      cur = { length, lens: lens ?? cur?.lens };
      lengthOf.set(n, length);
      stage.set(n, phase);
      for (const o of n.outputs) if (o) ready.set(o, phase + 1);
    } else if (host.has(n)) {
      const s = Math.max(0, ...nodeReads(n).map(readyOf));
      stage.set(n, s);
      for (const o of n.outputs) if (o) ready.set(o, s);
    }
  }
  const phases = accel.size ? phase + 1 : 0;
  // Host nodes that compute constants (Constant nodes before folding) join the first stage that reads them.
  const constant = new Set<Node>();
  const constOut = new Set<string>();
  for (const n of g.nodes) {
    if (!host.has(n) || !nodeReads(n).every((v) => g.initializers.has(v) || constOut.has(v))) continue;
    constant.add(n);
    for (const o of n.outputs) if (o) constOut.add(o);
  }
  const users = new Map<string, Node[]>();
  for (const n of g.nodes) for (const v of nodeReads(n)) users.set(v, [...(users.get(v) ?? []), n]);
  for (const n of [...constant].reverse()) {
    const first = n.outputs.flatMap((o) => (users.get(o) ?? []).filter((u) => stage.has(u)).map((u) => stage.get(u)!));
    const k = Math.min(g.outputs.some((o) => n.outputs.includes(o)) ? phases : Infinity, ...first);
    if (Number.isFinite(k)) stage.set(n, k);
  }

  // Segments and what crosses their borders.
  const producedIn = new Map<string, number>();
  for (const n of host) for (const o of n.outputs) if (o) producedIn.set(o, stage.get(n)!);
  const crossing = new Set<string>([...wanted]);
  const segments: HostSegment[] = [];
  for (let k = 0; k <= phases; k++) {
    const nodes = g.nodes.filter((n) => host.has(n) && stage.get(n) === k);
    const inputs = new Set<string>();
    for (const n of nodes) for (const v of nodeReads(n)) if (!g.initializers.has(v) && producedIn.get(v) !== k) inputs.add(v);
    for (const v of inputs) crossing.add(v);
    if (nodes.length) segments.push({ index: k, nodes, inputs: [...inputs], outputs: [] });
  }
  const withOutputs = segments.map((s) => ({ ...s, outputs: s.nodes.flatMap((n) => n.outputs.filter((o) => o && crossing.has(o))) }));

  const layers: AccelLayer[] = g.nodes.filter((n) => accel.has(n)).map((n) => ({ node: n, phase: stage.get(n)!, x: feedsX.get(n)! }));
  return { layers, phases, segments: withOutputs, direct, placements: placeAll(g, { accel, host, stage, absorbed, zeroState, directGlue, lstmOf, phases }) };
}

interface Decided {
  readonly accel: ReadonlySet<Node>;
  readonly host: ReadonlySet<Node>;
  readonly stage: ReadonlyMap<Node, number>;
  readonly absorbed: ReadonlyMap<Node, string>;
  readonly zeroState: ReadonlyMap<string, Node>;
  readonly directGlue: ReadonlyMap<Node, string>;
  readonly lstmOf: ReadonlyMap<Node, string | null>;
  readonly phases: number;
}

/** One placement and reason per node; nodes nobody runs are classified by what consumes them (reverse order). */
function placeAll(g: Graph, d: Decided): NodePlacement[] {
  const byNode = new Map<Node, NodePlacement>();
  const consumers = new Map<string, Node[]>();
  for (const n of g.nodes) for (const v of nodeReads(n)) consumers.set(v, [...(consumers.get(v) ?? []), n]);
  const segName = (k: number) => (k === d.phases ? (d.phases ? 'after the last accelerator phase' : 'no accelerator phase') : `before accelerator phase ${k}`);
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i];
    const put = (where: Placement, stage: number | null, reason: string) => byNode.set(n, { node: n.name, op: n.op, where, stage, reason });
    const st = d.stage.get(n) ?? null;
    if (d.accel.has(n)) put('accel', st, 'microcode: an LSTM layer with constant weights and Sigmoid/Tanh activations');
    else if (d.host.has(n)) {
      const lstmWhy = d.lstmOf.get(n);
      const on = `JS runtime, ${segName(st!)}`;
      if (!isKnownOp(n.op, n.domain)) put('refused', st, `op '${n.op}' is opaque: neither the accelerator nor the JS runtime runs it`);
      else if (lstmWhy) put('host', st, `${on}: the accelerator cannot run this LSTM (${lstmWhy})`);
      else if (n.op === 'Constant') put('host', st, `constant operand of host segment ${st}`);
      else if (hasSubgraphs(n)) put('host', st, `${on}: control flow on a run-time condition; the LSTMs inside its branches run on the host too, in the accelerator's fixed point once quantized (the accelerator runs straight-line layers; --bind / --input-shape can make the condition a constant)`);
      else put('host', st, `${on}: the accelerator runs only LSTM layers`);
    } else if (d.absorbed.has(n)) put('accel', null, d.absorbed.get(n)!);
    else if (d.directGlue.has(n)) put('host', null, `data movement of an LSTM output to graph output '${d.directGlue.get(n)}': done by the host's glue as it reads the output back`);
    else {
      const outs = n.outputs.filter((o) => o);
      const zero = outs.map((o) => d.zeroState.get(o)).find((x) => x);
      const users = outs.flatMap((o) => consumers.get(o) ?? []).map((c) => byNode.get(c)).filter((p): p is NodePlacement => !!p && p.where !== 'unused');
      if (zero) put('accel', null, `absorbed: builds a zero initial state of LSTM '${zero.name}'; the accelerator starts from zeros`);
      else if (users.length && users.every((u) => u.where === 'accel')) put('accel', null, `absorbed: only absorbed nodes use it (${users.map((u) => `'${u.node}'`).join(', ')})`);
      else if (users.length) put('host', null, `operand of ${users.map((u) => `'${u.node}'`).join(', ')}`);
      else put('unused', null, 'no output needs its results');
    }
  }
  return g.nodes.map((n) => byNode.get(n)!);
}

/** The first node neither the accelerator nor the JS runtime runs, as the one-line diagnostic. */
export function refuseUnplaceable(p: Partition): void {
  const bad = p.placements.find((x) => x.where === 'refused');
  if (bad) fail('E-ACCEL-UNSUPPORTED', `op '${bad.op}' (node '${bad.node}') runs neither on the accelerator nor on the JS runtime`, { node: bad.node });
}
