/** Dead-code elimination: nodes none of whose outputs are used, then unused initializers and values. Subgraph reads (implicit inputs) count as uses. */
import { type Graph, type Node, nodeReads, updateGraph } from '@lstmc/ir';
import { annotationReferences } from '../../annotations.js';

export interface DceResult {
  readonly graph: Graph;
  readonly nodesRemoved: number;
  readonly initializersRemoved: number;
}

export function eliminateDeadCode(g: Graph): DceResult {
  const live = new Set<string>(g.outputs);
  const keep: Node[] = [];
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i];
    if (n.outputs.some((o) => o && live.has(o))) {
      keep.push(n);
      for (const inp of nodeReads(n)) live.add(inp);
    }
  }
  keep.reverse();
  for (const r of annotationReferences(g)) live.add(r);
  const deadInits = [...g.initializers.keys()].filter((k) => !live.has(k) && !g.inputs.includes(k));
  const nodesRemoved = g.nodes.length - keep.length;
  if (nodesRemoved === 0 && deadInits.length === 0) return { graph: g, nodesRemoved: 0, initializersRemoved: 0 };
  const defined = new Set<string>([...g.inputs, ...g.initializers.keys(), ...keep.flatMap((n) => n.outputs)]);
  deadInits.forEach((d) => defined.delete(d));
  const inits = new Map([...g.initializers].filter(([k]) => defined.has(k)));
  const values = new Map([...g.values].filter(([k]) => defined.has(k)));
  return { graph: updateGraph(g, { nodes: keep, initializers: inits, values }), nodesRemoved, initializersRemoved: deadInits.length };
}
