/**
 * The graph and the subgraphs of its nodes (If branches, Loop bodies), depth
 * first, each seen with the initializers of the graphs enclosing it (a
 * branch's LSTM may read its weights from the outer graph), so lstmParams and
 * the annotations read the same way at every level.
 */
import { type Graph, type Tensor, nodeSubgraphs, updateGraph } from '@lstmc/ir';

export function graphScopes(g: Graph, outer: ReadonlyMap<string, Tensor> = new Map()): Graph[] {
  const visible = outer.size ? new Map([...outer, ...g.initializers]) : g.initializers;
  const here = visible === g.initializers ? g : updateGraph(g, { initializers: visible });
  return [here, ...g.nodes.flatMap((n) => nodeSubgraphs(n).flatMap((s) => graphScopes(s.graph, visible)))];
}
