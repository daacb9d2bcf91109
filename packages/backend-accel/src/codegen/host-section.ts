import type { Graph, Node } from '@lstmc/ir';
import { updateGraph } from '@lstmc/ir';
import { compileToRuntimeGraph } from '@lstmc/backend-js';
import type { HostFeed } from '../container/program.js';
import type { Source } from './graph-walk.js';

/**
 * The host section: the ops the accelerator lacks (a classifier head, say),
 * as a runtime graph (.lrg) for the lstmc JS runtime. Its inputs are the
 * LSTM outputs it uses (fed from the simulator) and the graph inputs it
 * reads; its outputs are the model's outputs. Only nodes the outputs need are
 * kept (the accelerator's own inputs, such as zero initial states built from
 * Shape ops, are not the host's business).
 */
export function hostSection(g: Graph, sources: Map<string, Source>): { bytes: Uint8Array; feeds: HostFeed[] } {
  const needed = new Set<Node>();
  const feeds = new Map<string, HostFeed>();
  const graphInputs = new Set<string>();
  const producer = new Map<string, Node>();
  for (const n of g.nodes) for (const o of n.outputs) if (o) producer.set(o, n);
  const stack = [...g.outputs];
  const seen = new Set<string>();
  while (stack.length) {
    const v = stack.pop()!;
    if (!v || seen.has(v)) continue;
    seen.add(v);
    const s = sources.get(v);
    if (s?.kind === 'lstm') {
      feeds.set(v, { name: v, node: s.node.name, which: s.which });
      continue;
    }
    if (s?.kind === 'input') {
      graphInputs.add(v);
      continue;
    }
    const p = producer.get(v);
    if (!p || needed.has(p)) continue;
    needed.add(p);
    stack.push(...p.inputs);
  }
  const nodes = g.nodes.filter((n) => needed.has(n));
  const used = new Set(nodes.flatMap((n) => n.inputs));
  const inputs = [...g.inputs.filter((i) => graphInputs.has(i)), ...feeds.keys()];
  const hg = updateGraph(g, {
    name: `${g.name}.host`,
    inputs,
    nodes,
    initializers: new Map([...g.initializers].filter(([k]) => used.has(k))),
  });
  return { bytes: compileToRuntimeGraph(hg, { verify: false }), feeds: [...feeds.values()] };
}
