import type { Allocator } from '@lstmc/ops';
import { isRuntimeError, RuntimeError, rtFail } from '../errors.js';
import type { PreparedBody, PreparedGraph, PreparedNode } from '../graph/prepare.js';
import type { KernelEnv, StreamSlot } from '../kernels/kernel.js';
import type { RtValue } from '../model.js';
import type { RtTensor } from '../tensor.js';
import { checkProduced } from './io-check.js';

type Env = (RtTensor | undefined)[];

/** One kernel node's run: its name, its kernel, and the wall time of its kernel call in milliseconds. */
export interface NodeTime {
  readonly node: string;
  readonly kernel: string;
  readonly ms: number;
}

interface RunState {
  readonly values: readonly RtValue[];
  readonly prepared: readonly unknown[];
  readonly kernelEnv: KernelEnv;
  readonly states: Map<number, StreamSlot> | undefined;
  readonly onNode: ((t: NodeTime) => void) | undefined;
  readonly alloc: Allocator | undefined;
}

/**
 * Runs the prepared nodes in order over an environment of value slots. `inputs` are already checked.
 * `states` (streams only) gives each stateful node its slot, kept across calls by the caller.
 * Intermediate values are dropped after their last reader. A control-flow node runs one of its
 * branches over the same environment (branches read outer values directly). `onNode`, when given,
 * hears the time of every kernel node that runs (those of the branch taken, not the control node).
 * `alloc`, when given, is where kernels take their output data from (KernelCall.alloc).
 */
export function executeGraph(
  g: PreparedGraph,
  prepared: readonly unknown[],
  kernelEnv: KernelEnv,
  inputs: ReadonlyMap<number, RtTensor>,
  states?: Map<number, StreamSlot>,
  onNode?: (t: NodeTime) => void,
  alloc?: Allocator,
): (RtTensor | undefined)[] {
  const env: Env = g.model.values.map((v) => v.data);
  for (const [vi, t] of inputs) env[vi] = t;
  runBody(g.main, env, { values: g.model.values, prepared, kernelEnv, states, onNode, alloc });
  return env;
}

function runBody(b: PreparedBody, env: Env, run: RunState): void {
  const { nodes, dies } = b;
  for (let k = 0; k < nodes.length; k++) {
    runNode(nodes[k]!, env, run);
    for (const vi of dies[k]!) env[vi] = undefined;
  }
}

function runNode(p: PreparedNode, env: Env, run: RunState): void {
  const { node, kernel } = p;
  const ins = node.inputs;
  const args = new Array<RtTensor | null>(ins.length);
  for (let i = 0; i < ins.length; i++) args[i] = ins[i] === -1 ? null : env[ins[i]!]!;
  if (p.control) {
    const cond = args[0];
    if (!cond || cond.data.length !== 1) rtFail('E-RT-EXEC', `node '${node.name}' (${node.kernel}): the condition must hold one element, got shape [${cond?.shape.join(',')}]`, { field: node.name });
    const body = p.branches![p.control.choose(args)]!;
    runBody(body, env, run);
    node.outputs.forEach((vi, k) => {
      if (vi === -1) return;
      const t = env[body.outputs[k]!]!;
      checkProduced(t, run.values[vi]!, node.name, run.states !== undefined);
      env[vi] = t;
    });
    return;
  }
  let state: StreamSlot | undefined;
  if (run.states && kernel.stateful) {
    state = run.states.get(p.index);
    if (!state) run.states.set(p.index, (state = {}));
  }
  let outs: readonly (RtTensor | null)[];
  const t0 = run.onNode ? performance.now() : 0;
  try {
    // One object shape for every call (state and alloc undefined when absent): spreading them in made each call a slow object copy.
    outs = kernel.run({ attrs: p.attrs, inputs: args, wanted: p.wanted, nodeName: node.name, prepared: run.prepared[p.index], env: run.kernelEnv, state, alloc: p.escapes ? undefined : run.alloc });
  } catch (e) {
    if (isRuntimeError(e) && e.field === undefined) {
      throw new RuntimeError(e.code, `node '${node.name}' (${node.kernel}): ${e.message}`, { field: node.name });
    }
    // Typed-array allocation failures: sizes come from the data (a shape tensor, an input), so
    // they are the user's problem to see, not a crash.
    if (e instanceof RangeError) throw new RuntimeError('E-RT-EXEC', `node '${node.name}' (${node.kernel}): ${e.message}`, { field: node.name });
    throw e;
  }
  run.onNode?.({ node: node.name, kernel: node.kernel, ms: performance.now() - t0 });
  const outVs = node.outputs;
  for (let k = 0; k < outVs.length; k++) {
    const vi = outVs[k]!;
    if (vi === -1) continue;
    const t = outs[k];
    if (!t) throw new Error(`kernel ${node.kernel} did not produce requested output ${k} of node '${node.name}'`);
    checkProduced(t, run.values[vi]!, node.name, run.states !== undefined);
    env[vi] = t;
  }
}
