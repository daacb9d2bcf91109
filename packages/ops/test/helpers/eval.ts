import { OPS, type EvalContext, type OpAttrs, type OpKind, type OpTensor } from '../../src/index.js';
import type { Allocator } from '../../src/tensor.js';
import { attrsWithDefaults } from './infer-context.js';

/** An op's reference evaluation on `inputs` (opset 18, every output wanted: `outputs` of them for a variadic op), failures thrown. */
export function evalOp(op: OpKind, inputs: OpTensor[], attrs: OpAttrs = {}, allocate?: Allocator, outputs?: number): OpTensor[] {
  const def = OPS[op];
  const wanted = outputs === undefined ? def.outputs.map(() => true) : Array<boolean>(outputs).fill(true);
  const ctx: EvalContext = { inputs, attrs: attrsWithDefaults(def, attrs), opset: 18, wanted, fail: (m) => { throw new Error(m); }, alloc: allocate };
  return def.eval!(ctx).filter((t): t is OpTensor => t !== undefined);
}
