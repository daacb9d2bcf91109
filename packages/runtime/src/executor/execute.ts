import { isRuntimeError, RuntimeError } from '../errors.js';
import type { PreparedGraph } from '../graph/prepare.js';
import type { KernelEnv, StreamSlot } from '../kernels/kernel.js';
import type { RtTensor } from '../tensor.js';
import { checkProduced } from './io-check.js';

/**
 * Runs the prepared nodes in order over an environment of value slots. `inputs` are already checked.
 * `states` (streams only) gives each stateful node its slot, kept across calls by the caller.
 * Intermediate values are dropped after their last reader.
 */
export function executeGraph(
  g: PreparedGraph,
  prepared: readonly unknown[],
  kernelEnv: KernelEnv,
  inputs: ReadonlyMap<number, RtTensor>,
  states?: Map<number, StreamSlot>,
): (RtTensor | undefined)[] {
  const { model, lastUse } = g;
  const env: (RtTensor | undefined)[] = model.values.map((v) => v.data);
  for (const [vi, t] of inputs) env[vi] = t;
  for (const p of g.nodes) {
    const { node, kernel } = p;
    const args = node.inputs.map((vi) => (vi === -1 ? null : env[vi]!));
    let state: StreamSlot | undefined;
    if (states && kernel.stateful) {
      state = states.get(p.index);
      if (!state) states.set(p.index, (state = {}));
    }
    let outs: readonly (RtTensor | null)[];
    try {
      outs = kernel.run({ attrs: p.attrs, inputs: args, wanted: p.wanted, nodeName: node.name, prepared: prepared[p.index], env: kernelEnv, ...(state ? { state } : {}) });
    } catch (e) {
      if (isRuntimeError(e) && e.field === undefined) {
        throw new RuntimeError(e.code, `node '${node.name}' (${node.kernel}): ${e.message}`, { field: node.name });
      }
      // Typed-array allocation failures: sizes come from the data (a shape tensor, an input), so
      // they are the user's problem to see, not a crash.
      if (e instanceof RangeError) throw new RuntimeError('E-RT-EXEC', `node '${node.name}' (${node.kernel}): ${e.message}`, { field: node.name });
      throw e;
    }
    node.outputs.forEach((vi, k) => {
      if (vi === -1) return;
      const t = outs[k];
      if (!t) throw new Error(`kernel ${node.kernel} did not produce requested output ${k} of node '${node.name}'`);
      checkProduced(t, model.values[vi]!, node.name, states !== undefined);
      env[vi] = t;
    });
    for (const vi of node.inputs) if (vi !== -1 && lastUse[vi] === p.index && !model.values[vi]!.data) env[vi] = undefined;
  }
  return env;
}
