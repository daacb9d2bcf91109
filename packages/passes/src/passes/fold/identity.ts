/** Identity nodes whose output is not a graph output are bypassed: consumers read the input directly. */
import { type Graph, implicitInputs, makeNode, updateGraph } from '@lstmc/ir';

export function forwardIdentities(g: Graph): { graph: Graph; removed: number } {
  const alias = new Map<string, string>();
  const resolve = (v: string): string => {
    let x = v;
    while (alias.has(x)) x = alias.get(x)!;
    return x;
  };
  // Subgraphs read outer values by name: an Identity output they read stays.
  const readBySubgraphs = new Set(g.nodes.flatMap((n) => implicitInputs(n)));
  for (const n of g.nodes)
    if (!readBySubgraphs.has(n.outputs[0] ?? '') && n.op === 'Identity' && (n.domain === '' || n.domain === 'ai.onnx') && n.outputs[0] && !g.outputs.includes(n.outputs[0]) && n.inputs[0])
      alias.set(n.outputs[0], n.inputs[0]);
  if (alias.size === 0) return { graph: g, removed: 0 };
  const nodes = g.nodes
    .filter((n) => !(n.op === 'Identity' && alias.has(n.outputs[0])))
    .map((n) => (n.inputs.some((i) => alias.has(i)) ? makeNode({ ...n, inputs: n.inputs.map((i) => (i ? resolve(i) : i)) }) : n));
  const values = new Map([...g.values].filter(([k]) => !alias.has(k)));
  return { graph: updateGraph(g, { nodes, values }), removed: alias.size };
}
