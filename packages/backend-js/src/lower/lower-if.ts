import type { Graph, Location, Node } from '@lstmc/ir';
import { fail } from '@lstmc/ir';
import type { RtNode } from '@lstmc/runtime';
import type { ModelBuilder } from './builder.js';

/** What lowering an If needs from the graph lowering around it. */
export interface IfLowering {
  /** Runtime value of the condition. */
  cond(): number;
  /** Lowers a branch graph (nested in the If's scope) into `sink`, or in line when absent; returns its output values. */
  branch(sub: Graph, sink?: RtNode[]): number[];
  /** Runtime value of If output slot i (defined on first use); -1 when omitted. */
  output(i: number): number;
  /** Makes If output i the same runtime value as `v`. */
  alias(i: number, v: number): void;
  /** Is If output i a graph output (which must keep its own name)? */
  isGraphOutput(i: number): boolean;
  readonly b: ModelBuilder;
}

const BRANCHES = ['else_branch', 'then_branch'] as const;

function branchGraph(node: Node, name: (typeof BRANCHES)[number], loc: Location): Graph {
  const a = node.attrs[name];
  if (a?.kind !== 'graph') fail('E-JS-ATTR', `If needs a graph attribute '${name}'`, { ...loc, field: name });
  return a.value;
}

/**
 * Lowers an If. A condition known at compile time (a constant, or folded from shapes while
 * lowering) lowers only the taken branch, in line; otherwise both branches are lowered into the
 * runtime If node's `branches`, their nodes (LSTMs included) through the usual rules.
 */
export function lowerIf(node: Node, loc: Location, x: IfLowering): void {
  const cond = x.cond();
  const known = x.b.constantOf(cond);
  if (known && known.data.length === 1) {
    const outs = x.branch(branchGraph(node, known.data[0] ? 'then_branch' : 'else_branch', loc));
    node.outputs.forEach((o, i) => {
      if (!o) return;
      if (x.isGraphOutput(i)) x.b.emit({ kernel: 'Identity', name: node.name, inputs: [outs[i]!], outputs: [x.output(i)] });
      else x.alias(i, outs[i]!);
    });
    return;
  }
  const branches: Record<string, { nodes: RtNode[]; outputs: number[] }> = {};
  for (const name of BRANCHES) {
    const sink: RtNode[] = [];
    branches[name] = { outputs: x.branch(branchGraph(node, name, loc), sink), nodes: sink };
  }
  x.b.emitRaw({ kernel: 'If', name: node.name, inputs: [cond], outputs: node.outputs.map((_, i) => x.output(i)), attrs: {}, branches });
}
