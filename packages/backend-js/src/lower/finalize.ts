import type { RtNode, RtValue, RuntimeModel } from '@lstmc/runtime';

export interface DraftModel {
  readonly values: readonly RtValue[];
  readonly nodes: readonly RtNode[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Removes what the graph outputs do not need (nodes, constants such as the ONNX-layout weights a
 * folded pack replaced, node outputs nobody reads, which then become -1 so kernels may skip them)
 * and renumbers the values densely: graph inputs first, then in order of first definition.
 */
export function finalizeModel(m: DraftModel): RuntimeModel {
  const live = new Set<number>(m.outputs);
  const keep: boolean[] = new Array<boolean>(m.nodes.length).fill(false);
  for (let k = m.nodes.length - 1; k >= 0; k--) {
    const n = m.nodes[k]!;
    if (!n.outputs.some((o) => o >= 0 && live.has(o))) continue;
    keep[k] = true;
    for (const i of n.inputs) if (i >= 0) live.add(i);
  }
  const index = new Map<number, number>();
  const values: RtValue[] = [];
  const take = (v: number) => {
    if (!index.has(v)) {
      index.set(v, values.length);
      values.push(m.values[v]!);
    }
  };
  for (const v of m.inputs) take(v);
  const nodes: RtNode[] = [];
  m.nodes.forEach((n, k) => {
    if (!keep[k]) return;
    for (const i of n.inputs) if (i >= 0) take(i);
    const outs = n.outputs.map((o) => (o >= 0 && live.has(o) ? (take(o), index.get(o)!) : -1));
    nodes.push({ ...n, inputs: n.inputs.map((i) => (i >= 0 ? index.get(i)! : -1)), outputs: outs });
  });
  for (const v of m.outputs) take(v);
  return {
    values,
    inputs: m.inputs.map((v) => index.get(v)!),
    outputs: m.outputs.map((v) => index.get(v)!),
    nodes,
    metadata: { ...m.metadata },
  };
}
