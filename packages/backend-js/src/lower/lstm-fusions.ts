/**
 * Transposes the f32 LSTM kernels can do themselves, fused into them after lowering:
 *
 * - A bidirectional time-major LSTM's Y [T, D, B, H] goes, in every torch export, through
 *   Transpose [0, 2, 1, 3] to [T, B, D, H] (then a Reshape to [T, B, D*H]). The kernels write Y in
 *   that order themselves (`y_interleaved`), so where that Transpose is the only reader of Y, the
 *   LSTM takes its output value and the Transpose goes: one copy of the whole sequence fewer.
 * - A layout-1 LSTM (batch-major, as the batch-major pass makes a batch-first export's) whose states
 *   come in through Transpose [1, 0, 2] from [D, B, H] and go out through the same transpose back
 *   to [D, B, H] reads and writes them in that order itself (`states_dbh`): every present initial
 *   state must come through such a transpose and every read final state go only to one.
 */
import type { RtNode } from '@lstmc/runtime';

/** The f32 kernels that take `y_interleaved` (lstm-core.ts). */
const INTERLEAVING = new Set(['lstm.dense.f32', 'lstm.sparse.f32']);

const isTranspose = (n: RtNode | undefined, perm: readonly number[]): n is RtNode => {
  const p = n?.attrs.perm;
  return n?.kernel === 'Transpose' && p?.type === 'ints' && p.value.length === perm.length && perm.every((v, i) => p.value[i] === v);
};
const SWAP01 = [1, 0, 2];

/** The kernels' initial_h / initial_c input slots and Y_h / Y_c output slots. */
const STATE_IN = [3, 4];
const STATE_OUT = [1, 2];

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

/** `nodes` (one scope, topological) with each such LSTM and its transposes fused; `outputs` are the graph's. */
export function fuseLstmTransposes(nodes: readonly RtNode[], outputs: readonly number[]): RtNode[] {
  const readers = new Map<number, number>();
  countReaders(nodes, readers);
  for (const o of outputs) readers.set(o, (readers.get(o) ?? 0) + 1);
  const producer = new Map<number, RtNode>();
  const reader = new Map<number, RtNode>();
  for (const n of nodes) {
    for (const o of n.outputs) if (o >= 0) producer.set(o, n);
    for (const i of n.inputs) if (i >= 0) reader.set(i, n); // meaningful where readers is 1
  }
  const soleReader = (v: number, perm: readonly number[]) => (readers.get(v) === 1 && isTranspose(reader.get(v), perm) ? reader.get(v)! : undefined);
  const fused = new Set<RtNode>();
  const out: RtNode[] = [];
  for (const n of nodes) {
    if (fused.has(n)) continue;
    out.push(INTERLEAVING.has(n.kernel) ? interleaved(n) ?? statesDbh(n) ?? n : n);
  }
  return out;

  /** Layout 0 and Y read only by Transpose [0, 2, 1, 3]: the LSTM writes that transpose's value. */
  function interleaved(n: RtNode): RtNode | undefined {
    const a = n.attrs;
    const y = n.outputs[0] ?? -1;
    const t = y >= 0 ? soleReader(y, [0, 2, 1, 3]) : undefined;
    if (!t || (a.layout?.value ?? 0) !== 0 || (a.y_interleaved?.value ?? 0) !== 0) return undefined;
    fused.add(t);
    return { ...n, outputs: [t.outputs[0]!, ...n.outputs.slice(1)], attrs: { ...a, y_interleaved: { type: 'int', value: 1 } } };
  }

  /** Layout 1, every present state in through Transpose [1, 0, 2] and every read one out only to one. */
  function statesDbh(n: RtNode): RtNode | undefined {
    const a = n.attrs;
    if ((a.layout?.value ?? 0) !== 1 || (a.states_dbh?.value ?? 0) !== 0) return undefined;
    const ins = STATE_IN.map((k) => n.inputs[k] ?? -1).map((v) => (v < 0 ? null : producer.get(v)));
    const outs = STATE_OUT.map((k) => n.outputs[k] ?? -1).map((v) => (v < 0 || !readers.get(v) ? null : soleReader(v, SWAP01)));
    if (ins.some((p) => p !== null && !isTranspose(p, SWAP01)) || outs.some((t) => t === undefined)) return undefined;
    if (ins.every((p) => p === null) && outs.every((t) => t === null)) return undefined;
    for (const t of outs) if (t) fused.add(t);
    const inputs = n.inputs.map((v, k) => {
      const at = STATE_IN.indexOf(k);
      return at < 0 || v < 0 ? v : ins[at]!.inputs[0]!;
    });
    const outputsOf = n.outputs.map((v, k) => {
      const at = STATE_OUT.indexOf(k);
      return at < 0 || v < 0 || !outs[at] ? v : outs[at]!.outputs[0]!;
    });
    return { ...n, inputs, outputs: outputsOf, attrs: { ...a, states_dbh: { type: 'int', value: 1 } } };
  }
}
