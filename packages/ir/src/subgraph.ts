import type { Attr } from './attr.js';
import type { Graph, Node } from './graph.js';
import { makeNode } from './graph.js';

/**
 * Subgraphs (If branches, Loop/Scan bodies): graph-valued attributes whose
 * nodes may read values of every enclosing graph, as in ONNX. These helpers
 * are the one place that knows how a node holds subgraphs and what it reads
 * through them.
 */

/** The node's subgraphs in attribute-name order, with the attribute (and list index) holding each. */
export function nodeSubgraphs(n: Node): { readonly attr: string; readonly index?: number; readonly graph: Graph }[] {
  const out: { attr: string; index?: number; graph: Graph }[] = [];
  for (const k of Object.keys(n.attrs).sort()) {
    const a = n.attrs[k]!;
    if (a.kind === 'graph') out.push({ attr: k, graph: a.value });
    else if (a.kind === 'graphs') a.value.forEach((graph, index) => out.push({ attr: k, index, graph }));
  }
  return out;
}

export function hasSubgraphs(n: Node): boolean {
  return Object.values(n.attrs).some((a) => a.kind === 'graph' || a.kind === 'graphs');
}

/** Names a graph defines itself: inputs, initializers, node outputs. */
export function localDefinitions(g: Graph): Set<string> {
  const s = new Set<string>([...g.inputs, ...g.initializers.keys()]);
  for (const n of g.nodes) for (const o of n.outputs) if (o) s.add(o);
  return s;
}

/**
 * Values a graph reads from enclosing scopes: operands of its nodes (and of
 * nested subgraphs) and its outputs that it does not define itself. Sorted.
 */
export function outerReferences(g: Graph): string[] {
  const local = localDefinitions(g);
  const out = new Set<string>();
  for (const n of g.nodes) for (const r of nodeReads(n)) if (!local.has(r)) out.add(r);
  for (const o of g.outputs) if (o && !local.has(o)) out.add(o);
  return [...out].sort();
}

/** The outer values a node's subgraphs read (its implicit inputs, in ONNX's terms). */
export function implicitInputs(n: Node): string[] {
  if (!hasSubgraphs(n)) return [];
  const s = new Set<string>();
  for (const { graph } of nodeSubgraphs(n)) for (const r of outerReferences(graph)) s.add(r);
  return [...s].sort();
}

/** Every value a node reads: its operands, then its implicit inputs. Omitted slots ('') are skipped. */
export function nodeReads(n: Node): string[] {
  const direct = n.inputs.filter((i) => i);
  return hasSubgraphs(n) ? [...direct, ...implicitInputs(n).filter((i) => !direct.includes(i))] : direct;
}

/** The node with each subgraph replaced by `f(graph)`; the same node when `f` changes none. */
export function mapSubgraphs(n: Node, f: (g: Graph, attr: string) => Graph): Node {
  if (!hasSubgraphs(n)) return n;
  let changed = false;
  const attrs: Record<string, Attr> = {};
  for (const [k, a] of Object.entries(n.attrs)) {
    if (a.kind === 'graph') {
      const g = f(a.value, k);
      changed ||= g !== a.value;
      attrs[k] = g === a.value ? a : { kind: 'graph', value: g };
    } else if (a.kind === 'graphs') {
      const gs = a.value.map((x) => f(x, k));
      const same = gs.every((x, i) => x === a.value[i]);
      changed ||= !same;
      attrs[k] = same ? a : { kind: 'graphs', value: Object.freeze(gs) };
    } else attrs[k] = a;
  }
  return changed ? makeNode({ ...n, attrs }) : n;
}

/** Visits every node of `g` and of its subgraphs, depth first, with the chain of graphs enclosing it. */
export function walkNodes(g: Graph, visit: (n: Node, scopes: readonly Graph[]) => void, scopes: readonly Graph[] = []): void {
  const chain = [...scopes, g];
  for (const n of g.nodes) {
    visit(n, chain);
    for (const { graph } of nodeSubgraphs(n)) walkNodes(graph, visit, chain);
  }
}
