/**
 * Control-flow nodes: nodes that hold subgraphs (`RtNode.branches`) and are run by the executor
 * itself rather than by a kernel of the registry. One entry per kind, declared once: which branches
 * it has, its arity, and how it picks the branch to run.
 */
import type { RtTensor } from '../tensor.js';

export interface ControlFlowDef {
  /** Branch names the node must have, exactly. */
  readonly branches: readonly string[];
  readonly inputs: readonly [number, number];
  /** Input dtypes by slot. */
  readonly inputDTypes: readonly string[];
  /** The branch to run on these inputs. */
  readonly choose: (inputs: readonly (RtTensor | null)[]) => string;
}

export const CONTROL_FLOW = {
  /** Runs then_branch when the one-element bool condition is true, else else_branch. */
  If: {
    branches: ['else_branch', 'then_branch'],
    inputs: [1, 1],
    inputDTypes: ['bool'],
    choose: (inputs) => (inputs[0]!.data[0] ? 'then_branch' : 'else_branch'),
  },
} as const satisfies Record<string, ControlFlowDef>;

export type ControlFlowKind = keyof typeof CONTROL_FLOW;

export function controlFlowDef(kernel: string): ControlFlowDef | undefined {
  return Object.hasOwn(CONTROL_FLOW, kernel) ? CONTROL_FLOW[kernel as ControlFlowKind] : undefined;
}
