/**
 * Inlining of an If whose condition is known: the taken branch's nodes and
 * initializers move into the enclosing graph (renamed where a name is taken
 * there), and Identity nodes carry the branch outputs to the If's outputs
 * (forwardIdentities then removes those that are not graph outputs).
 */
import { type Graph, type Node, type Tensor, type ValueInfo, localDefinitions, makeNode, mapSubgraphs, updateGraph } from '@lstmc/ir';

export interface Inlined {
  readonly nodes: readonly Node[];
  readonly initializers: readonly (readonly [string, Tensor])[];
  readonly values: readonly (readonly [string, ValueInfo])[];
}

function fresh(base: string, taken: Set<string>): string {
  let name = base;
  for (let k = 1; taken.has(name); k++) name = `${base}_${k}`;
  taken.add(name);
  return name;
}

/** `g` reading outer values through `rename`; names `g` defines itself shadow the outer ones. */
function renameReads(g: Graph, rename: ReadonlyMap<string, string>): Graph {
  const local = localDefinitions(g);
  const visible = new Map([...rename].filter(([k]) => !local.has(k)));
  if (visible.size === 0) return g;
  const r = (v: string) => visible.get(v) ?? v;
  return updateGraph(g, {
    nodes: g.nodes.map((n) => renameNode(n, visible, r)),
    outputs: g.outputs.map(r),
    values: new Map([...g.values].map(([k, v]) => [r(k), r(k) === k ? v : { name: r(k), type: v.type }])),
  });
}

function renameNode(n: Node, rename: ReadonlyMap<string, string>, r: (v: string) => string): Node {
  const renamed = n.inputs.some((i) => rename.has(i)) || n.outputs.some((o) => rename.has(o)) ? makeNode({ ...n, inputs: n.inputs.map(r), outputs: n.outputs.map(r) }) : n;
  return mapSubgraphs(renamed, (sg) => renameReads(sg, rename));
}

/**
 * The nodes, initializers and value types that replace `ifNode` when it takes `branch`.
 * `taken` holds every name visible where the If is (it is extended with the new names).
 */
export function inlineBranch(ifNode: Node, branch: Graph, taken: Set<string>): Inlined {
  const rename = new Map<string, string>();
  // A branch output computed by a branch node (and output once) takes the If output's name: no Identity needed.
  const produced = new Set(branch.nodes.flatMap((n) => n.outputs.filter((o) => o)));
  const direct = new Set<number>();
  branch.outputs.forEach((o, k) => {
    const target = ifNode.outputs[k];
    if (target && produced.has(o) && branch.outputs.indexOf(o) === k && branch.outputs.lastIndexOf(o) === k) {
      rename.set(o, target);
      direct.add(k);
    }
  });
  for (const name of localDefinitions(branch)) {
    if (rename.has(name)) continue;
    if (taken.has(name)) rename.set(name, fresh(name, taken));
    else taken.add(name);
  }
  const r = (v: string) => rename.get(v) ?? v;
  const nodes = branch.nodes.map((n) => renameNode(n, rename, r));
  ifNode.outputs.forEach((o, k) => {
    if (o && !direct.has(k)) nodes.push(makeNode({ op: 'Identity', name: `${ifNode.name}/output_${k}`, inputs: [r(branch.outputs[k]!)], outputs: [o] }));
  });
  const local = localDefinitions(branch);
  const values = [...branch.values].filter(([k]) => local.has(k)).map(([k, v]) => [r(k), { name: r(k), type: v.type }] as const);
  return { nodes, initializers: [...branch.initializers].map(([k, t]) => [r(k), t] as const), values };
}
