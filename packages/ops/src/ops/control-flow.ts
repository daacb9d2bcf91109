import type { OpDef } from '../def.js';

/**
 * Runs then_branch or else_branch (subgraphs that may read outer values) on a one-element bool.
 * If is structural (a region op, as in MLIR): its outputs are typed from its
 * branch graphs by the IR's `inferTypes` (packages/ir/src/infer-if.ts), which
 * never calls `infer` here, and it has no `eval`: the runtime's executor runs
 * the chosen branch. This entry declares its ports and attributes, for arity
 * and attribute checks.
 */
const If: OpDef = {
  inputs: [{ name: 'cond' }],
  outputs: [{ name: 'outputs', variadic: true }],
  attrs: { then_branch: { kind: 'graph', required: true }, else_branch: { kind: 'graph', required: true } },
  infer() {
    throw new Error('If is typed structurally by inferTypes, not through the op table');
  },
};

export const CONTROL_FLOW_OPS = { If } as const satisfies Record<string, OpDef>;
