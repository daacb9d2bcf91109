import { fail, type Location } from './diagnostic.js';
import type { Graph, Node } from './graph.js';
import { makeNode } from './graph.js';
import { inferInScope, type InferOptions, type InferScope } from './infer.js';
import type { Dim, TensorType } from './types.js';
import { formatType, tensorType } from './types.js';

/** The branch an If takes when its condition is known at compile time, else undefined. */
export function constantBranch(node: Node, constants: ReadonlyMap<string, { readonly data: ArrayLike<unknown>; readonly dims: readonly number[] }>): 'then_branch' | 'else_branch' | undefined {
  const c = node.inputs[0] ? constants.get(node.inputs[0]) : undefined;
  if (!c || c.data.length !== 1) return undefined;
  const v = c.data[0];
  return v === true || (typeof v === 'number' && v !== 0) || (typeof v === 'bigint' && v !== 0n) ? 'then_branch' : 'else_branch';
}

/** Two branch results merged as ONNX does: one dtype; dims that differ become a fresh symbolic dim, ranks that differ an unknown rank. */
function mergeTypes(a: TensorType, b: TensorType, fresh: () => string): TensorType {
  const shape =
    a.shape === undefined || b.shape === undefined || a.shape.length !== b.shape.length
      ? undefined
      : a.shape.map((d, i): Dim => (d === b.shape![i] ? d : fresh()));
  return tensorType(a.dtype, shape);
}

/**
 * Types an If node: both branches are typed with the enclosing values in
 * scope, must have no inputs and as many outputs as the node, and agree on
 * each output's element type. The outputs are typed from the taken branch
 * when the condition is a constant, else from the merge of both branches.
 * Returns the node holding its typed branches.
 */
export function inferIf(node: Node, scope: InferScope, opts: InferOptions): { node: Node; outputs: TensorType[] } {
  const loc: Location = { file: opts.file, node: node.name };
  const cond = node.inputs[0] ? scope.types.get(node.inputs[0]) : undefined;
  if (cond && cond.dtype !== 'bool' && cond.dtype !== 'unknown')
    fail('E-IR-DTYPE', `If condition '${node.inputs[0]}' must be bool, got ${cond.dtype}`, { ...loc, field: node.inputs[0] });
  if (cond?.shape && cond.shape.some((d) => typeof d === 'number' && d !== 1))
    fail('E-IR-SHAPE', `If condition '${node.inputs[0]}' must hold one element, got shape [${cond.shape.join(', ')}]`, { ...loc, field: node.inputs[0] });
  const typed: Record<string, Graph> = {};
  const results: Record<string, TensorType[]> = {};
  for (const attr of ['then_branch', 'else_branch'] as const) {
    const a = node.attrs[attr]!;
    if (a.kind !== 'graph') throw new Error('parseAttrs checked that If branches are graphs');
    const b = a.value;
    if (b.inputs.length)
      fail('E-IR-IF-BRANCH', `If ${attr} must take no inputs, it declares ${b.inputs.length} (${b.inputs.join(', ')})`, { ...loc, field: attr });
    // Errors inside a branch name the branch's node; a problem with the branch graph itself names the If.
    const g = inferInScope(b, opts, scope);
    typed[attr] = g;
    results[attr] = g.outputs.map((o) => g.values.get(o)!.type);
  }
  const t = results.then_branch!;
  const e = results.else_branch!;
  if (t.length !== e.length)
    fail('E-IR-IF-BRANCHES', `If branches disagree in output count: then_branch has ${t.length}, else_branch has ${e.length}`, loc);
  if (node.outputs.length !== t.length)
    fail('E-IR-ARITY', `If has ${node.outputs.length} outputs but its branches produce ${t.length}`, loc);
  t.forEach((tt, i) => {
    const et = e[i]!;
    if (tt.dtype !== et.dtype && tt.dtype !== 'unknown' && et.dtype !== 'unknown')
      fail('E-IR-IF-DTYPE', `If output ${i} ('${node.outputs[i]}') is ${formatType(tt)} in then_branch but ${formatType(et)} in else_branch`, { ...loc, field: node.outputs[i] });
  });
  const taken = constantBranch(node, scope.constants);
  const fresh = () => `?if${++scope.fresh.n}`;
  const outputs = taken
    ? results[taken]!
    : t.map((tt, i) => (tt.dtype === 'unknown' || e[i]!.dtype === 'unknown' ? tensorType('unknown', undefined) : mergeTypes(tt, e[i]!, fresh)));
  const attrs = { ...node.attrs, then_branch: { kind: 'graph' as const, value: typed.then_branch! }, else_branch: { kind: 'graph' as const, value: typed.else_branch! } };
  return { node: makeNode({ ...node, attrs }), outputs };
}

