import { fail, type Location } from '@lstmc/ir';
import { LAYER_GLUE_OPS } from '@lstmc/passes';
import type { IoDesc, IoRole } from './program.js';

/**
 * Cross-reference checks of the io section, after its field types (checkIo): every name it uses
 * refers to something that exists (outputs to LSTM nodes and their output fields, phases to nodes
 * with DRAM regions, `readsFrom` to earlier phases, graph outputs to a producer), every node's
 * regions are complete and consistent, regions fit DRAM for the longest sequence, and code ranges
 * lie inside the code. `dump` and `sim` both read through this, so what one accepts the other runs.
 */
export function checkIoRefs(io: IoDesc, codeLength: number, code: string, loc: Location): void {
  const at = (field: string): Location => ({ ...loc, field });
  const byNode = new Map<string, Map<IoRole, number[]>>();
  for (const t of io.tensors) {
    if (!(t.dirs === 1 || t.dirs === 2) || t.dir < 0 || t.dir >= t.dirs) fail(code, `io tensor '${t.name}': direction ${t.dir} of ${t.dirs}`, at(t.name));
    if (t.layout !== 0 && t.layout !== 1) fail(code, `io tensor '${t.name}': layout ${t.layout} is not 0 or 1`, at(t.name));
    if (t.frac < 0 || t.frac > 62) fail(code, `io tensor '${t.name}': fraction length ${t.frac} is out of range`, at(t.name));
    const steps = t.role === 'x' || t.role === 'y' ? io.maxSeqLen : 1;
    if (t.addr + steps * t.width > io.dramWords) fail(code, `io tensor '${t.name}' (${steps} step(s) of ${t.width} words at ${t.addr}) lies outside DRAM (${io.dramWords} words)`, at(t.name));
    if (t.value !== undefined) {
      if (t.role !== 'h0' && t.role !== 'c0') fail(code, `io tensor '${t.name}': only initial states (h0, c0) have constant values, not ${t.role}`, at(t.name));
      if (t.value.length === 0 || t.value.length % t.width !== 0) fail(code, `io tensor '${t.name}': a constant value of ${t.value.length} words for a ${t.role} region of ${t.width}`, at(t.name));
    }
    let roles = byNode.get(t.node);
    if (!roles) byNode.set(t.node, (roles = new Map()));
    roles.set(t.role, [...(roles.get(t.role) ?? []), t.dir]);
  }
  for (const [node, roles] of byNode) {
    const all = io.tensors.filter((t) => t.node === node);
    const dirs = all[0]!.dirs;
    if (all.some((t) => t.dirs !== dirs || t.layout !== all[0]!.layout)) fail(code, `io: the regions of LSTM '${node}' disagree on directions or layout`, at(node));
    // A layer that reads an earlier layer's Y in place has no x region; every layer has all three outputs.
    for (const role of ['y', 'yh', 'yc'] as const) {
      const got = [...(roles.get(role) ?? [])].sort().join(',');
      const want = Array.from({ length: dirs }, (_, d) => d).join(',');
      if (got !== want) fail(code, `io: LSTM '${node}' has ${role} regions for directions [${got}], it needs [${want}]`, at(node));
    }
    for (const role of ['y', 'yh', 'yc'] as const) {
      const w = all.filter((t) => t.role === role).map((t) => t.width);
      if (w.some((x) => x !== w[0])) fail(code, `io: the ${role} regions of LSTM '${node}' have different widths`, at(node));
    }
  }
  const seen = new Set<string>();
  io.phases.forEach((ph, k) => {
    if (ph.entry >= codeLength) fail(code, `io phase ${k} starts at ${ph.entry}, past the ${codeLength} instructions`, at('entry'));
    for (const n of ph.nodes) if (!byNode.has(n)) fail(code, `io phase ${k} runs LSTM '${n}', which has no DRAM regions`, at(n));
    for (const n of ph.readsFrom) if (!seen.has(n)) fail(code, `io phase ${k} reads the Y of '${n}', which no earlier phase runs`, at(n));
    for (const n of ph.nodes) seen.add(n);
  });
  for (const n of byNode.keys()) if (!seen.has(n)) fail(code, `io: LSTM '${n}' has DRAM regions but no phase runs it`, at(n));
  const produced = new Set<string>([...io.graphInputs, ...io.hostSegments.flatMap((s) => s.outputs), ...io.tensors.filter((t) => t.role !== 'x' && t.role !== 'h0' && t.role !== 'c0').map((t) => t.name)]);
  const which = { Y: 'y', Y_h: 'yh', Y_c: 'yc' } as const;
  for (const o of io.outputs) {
    if (!Object.prototype.hasOwnProperty.call(which, o.which)) fail(code, `io output '${o.name}' reads field '${o.which}', not one of Y, Y_h, Y_c`, at(o.name));
    if (!byNode.has(o.node)) fail(code, `io output '${o.name}' reads LSTM '${o.node}', which has no DRAM regions`, at(o.name));
    for (const s of o.glue) {
      if (!(LAYER_GLUE_OPS as readonly string[]).includes(s.op)) fail(code, `io output '${o.name}': glue op '${s.op}' is not one of ${LAYER_GLUE_OPS.join(', ')}`, at(o.name));
      if (typeof s.node !== 'string' || !(s.ints === null || (Array.isArray(s.ints) && s.ints.every((x) => Number.isSafeInteger(x)))))
        fail(code, `io output '${o.name}': a glue step needs a node name and integers or null`, at(o.name));
    }
    produced.add(o.name);
  }
  for (const name of io.graphOutputs) if (!produced.has(name)) fail(code, `io: graph output '${name}' is produced by no LSTM, host segment or output`, at(name));
  for (const x of io.tensors.filter((t) => t.role === 'x'))
    if (!produced.has(x.name)) fail(code, `io: LSTM '${x.node}' reads '${x.name}', which is no graph input, host segment result or LSTM output`, at(x.name));
  for (const l of io.layers) if (l.start < 0 || l.start > l.end || l.end > codeLength) fail(code, `io layer '${l.name}' spans [${l.start}, ${l.end}), outside the ${codeLength} instructions`, at(l.name));
}
