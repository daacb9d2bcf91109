/**
 * A bidirectional time-major LSTM's Y [T, D, B, H] goes, in every torch export, through
 * Transpose [0, 2, 1, 3] to [T, B, D, H] (then a Reshape to [T, B, D*H]). The f32 LSTM kernels can
 * write Y in that order themselves (`y_interleaved`), so where that Transpose is the only reader of Y,
 * the LSTM takes its output value and the Transpose goes: one copy of the whole sequence fewer.
 */
import type { RtNode } from '@lstmc/runtime';

/** The f32 kernels that take `y_interleaved` (lstm-core.ts). */
const INTERLEAVING = new Set(['lstm.dense.f32', 'lstm.sparse.f32']);

const isInterleave = (n: RtNode): boolean => {
  const perm = n.attrs.perm;
  return n.kernel === 'Transpose' && perm?.type === 'ints' && perm.value.length === 4 && [0, 2, 1, 3].every((p, i) => perm.value[i] === p);
};

/** Readers of each value in `nodes` and, recursively, in their branches. */
function countReaders(nodes: readonly RtNode[], readers: Map<number, number>): void {
  for (const n of nodes) {
    for (const i of n.inputs) if (i >= 0) readers.set(i, (readers.get(i) ?? 0) + 1);
    for (const b of Object.values(n.branches ?? {})) {
      countReaders(b.nodes, readers);
      for (const o of b.outputs) if (o >= 0) readers.set(o, (readers.get(o) ?? 0) + 1);
    }
  }
}

/** `nodes` (one scope, topological) with each such LSTM/Transpose pair fused; `outputs` are the graph's. */
export function interleaveLstmY(nodes: readonly RtNode[], outputs: readonly number[]): RtNode[] {
  const readers = new Map<number, number>();
  countReaders(nodes, readers);
  for (const o of outputs) readers.set(o, (readers.get(o) ?? 0) + 1);
  const byInput = new Map<number, RtNode>();
  for (const n of nodes) if (isInterleave(n) && n.inputs[0]! >= 0) byInput.set(n.inputs[0]!, n);
  const fused = new Set<RtNode>();
  const out: RtNode[] = [];
  for (const n of nodes) {
    if (fused.has(n)) continue;
    const y = n.outputs[0] ?? -1;
    const t = y >= 0 ? byInput.get(y) : undefined;
    const a = n.attrs;
    if (!t || !INTERLEAVING.has(n.kernel) || readers.get(y) !== 1 || (a.layout?.value ?? 0) !== 0 || (a.y_interleaved?.value ?? 0) !== 0) {
      out.push(n);
      continue;
    }
    fused.add(t);
    out.push({ ...n, outputs: [t.outputs[0]!, ...n.outputs.slice(1)], attrs: { ...a, y_interleaved: { type: 'int', value: 1 } } });
  }
  return out;
}
