import type { RtNode, RtSubgraph, RtValue, RuntimeModel } from '@lstmc/runtime';

export interface DraftModel {
  readonly values: readonly RtValue[];
  readonly nodes: readonly RtNode[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Keeps the nodes of one scope that `live` values need (outputs nobody reads become -1); adds what
 * they read to `live`. A kept control-flow node keeps every output of its branches (a branch must
 * yield one value per output slot), and what its branches read counts as read by it.
 */
function prune(nodes: readonly RtNode[], live: Set<number>): RtNode[] {
  const keep: RtNode[] = [];
  for (let k = nodes.length - 1; k >= 0; k--) {
    const n = nodes[k]!;
    if (!n.outputs.some((o) => o >= 0 && live.has(o))) continue;
    let branches: Record<string, RtSubgraph> | undefined;
    if (n.branches) {
      branches = {};
      for (const [name, b] of Object.entries(n.branches)) {
        const inner = new Set<number>(b.outputs);
        branches[name] = { nodes: prune(b.nodes, inner), outputs: b.outputs };
        // Values local to the branch are never outputs of this scope's nodes: adding them is harmless.
        for (const v of inner) live.add(v);
      }
    }
    keep.push({ ...n, outputs: n.outputs.map((o) => (o >= 0 && live.has(o) ? o : -1)), ...(branches ? { branches } : {}) });
    for (const i of n.inputs) if (i >= 0) live.add(i);
  }
  return keep.reverse();
}

/**
 * Removes what the graph outputs do not need (nodes, constants such as the ONNX-layout weights a
 * folded pack replaced, node outputs nobody reads, which then become -1 so kernels may skip them)
 * and renumbers the values densely: graph inputs first, then in order of first definition (a
 * control-flow node's inputs, then its branches in name order, then its outputs).
 */
export function finalizeModel(m: DraftModel): RuntimeModel {
  const kept = prune(m.nodes, new Set<number>(m.outputs));
  const index = new Map<number, number>();
  const values: RtValue[] = [];
  const take = (v: number) => {
    if (!index.has(v)) {
      index.set(v, values.length);
      values.push(m.values[v]!);
    }
  };
  const at = (v: number) => (v >= 0 ? index.get(v)! : -1);
  for (const v of m.inputs) take(v);
  const renumber = (nodes: readonly RtNode[]): RtNode[] =>
    nodes.map((n) => {
      for (const i of n.inputs) if (i >= 0) take(i);
      let branches: Record<string, RtSubgraph> | undefined;
      if (n.branches) {
        branches = {};
        for (const name of Object.keys(n.branches).sort()) {
          const b = n.branches[name]!;
          const inner = renumber(b.nodes);
          for (const o of b.outputs) take(o);
          branches[name] = { nodes: inner, outputs: b.outputs.map(at) };
        }
      }
      for (const o of n.outputs) if (o >= 0) take(o);
      return { ...n, inputs: n.inputs.map(at), outputs: n.outputs.map(at), ...(branches ? { branches } : {}) };
    });
  const nodes = renumber(kept);
  for (const v of m.outputs) take(v);
  return {
    values,
    inputs: m.inputs.map((v) => index.get(v)!),
    outputs: m.outputs.map((v) => index.get(v)!),
    nodes,
    metadata: { ...m.metadata },
  };
}
