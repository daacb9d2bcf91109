/**
 * The cycle timeline of a simulated run, from the events `lstmc sim --trace`
 * writes (one per executed instruction, on the ctrl / dma / pe / vec lanes),
 * stored columnar; and each run-time branch (bzc): whether it was taken (the
 * next instruction is not the one after it) and the mode of the product it
 * chose (the next instruction on the PE lane, with its mode).
 */
import { ISA, type InstrSpec, type LxbProgram, type SimInput, TRACE_LANES, formatSimReport, simReport, simulateProgram, traceSink } from '@lstmc/backend-accel';
import { withLocation } from '@lstmc/ir';
import type { SimData } from './report-data.js';

/** The ISA table seen as plain specs (a trace event names its instruction by mnemonic). */
const INSTRUCTIONS: Readonly<Record<string, InstrSpec>> = ISA;

/** Instruction events kept for the page; a run past this many keeps the first ones and counts the rest as dropped. */
export const SIM_EVENT_LIMIT = 200_000;

export function collectSim(p: LxbProgram, inputs: ReadonlyMap<string, SimInput>, file: string): SimData {
  const sink = traceSink(SIM_EVENT_LIMIT);
  const r = withLocation({ file }, () => simulateProgram(p, inputs, { trace: sink }));
  const report = simReport(p, r);
  const lanes = Object.keys(TRACE_LANES);
  const laneOf = new Map(Object.entries(TRACE_LANES).map(([name, tid]) => [tid as number, lanes.indexOf(name)]));
  const mnemonics: string[] = [];
  const layers: string[] = [];
  const index = (list: string[], s: string) => {
    let i = list.indexOf(s);
    if (i < 0) i = list.push(s) - 1;
    return i;
  };
  const cyc = (us: number) => Math.round(us * p.target.clockMHz);
  const ev = sink.events;
  const events = { start: [] as number[], dur: [] as number[], lane: [] as number[], op: [] as number[], layer: [] as number[], t: [] as number[] };
  const branches: SimData['branches'][number][] = [];
  ev.forEach((e, i) => {
    const args = (e.args ?? {}) as { pc?: number; node?: string; t?: number };
    events.start.push(cyc(e.ts));
    events.dur.push(cyc(e.dur));
    events.lane.push(laneOf.get(e.tid) ?? 0);
    events.op.push(index(mnemonics, e.name));
    events.layer.push(index(layers, args.node ?? ''));
    events.t.push(args.t ?? 0);
    if (e.name === 'bzc' && i + 1 < ev.length) {
      const nextPc = (ev[i + 1].args as { pc?: number } | undefined)?.pc;
      const product = ev.slice(i + 1, i + 64).find((x) => x.cat === 'pe');
      const spec = product && Object.prototype.hasOwnProperty.call(ISA, product.name) ? INSTRUCTIONS[product.name] : undefined;
      branches.push({ cycle: cyc(e.ts), pc: args.pc ?? -1, layer: args.node ?? '', t: args.t ?? 0, taken: nextPc !== (args.pc ?? -2) + 1, next: product ? `${product.name}${spec?.mode ? ` (${spec.mode})` : ''}` : '' });
    }
  });
  return {
    clockMHz: p.target.clockMHz,
    cycles: report.cycles,
    lanes,
    mnemonics,
    layers,
    events,
    dropped: sink.dropped,
    branches,
    cyclesByLayer: report.cyclesByLayer,
    cyclesByUnit: report.cyclesByUnit,
    cyclesByMode: report.cyclesByMode,
    summary: formatSimReport(report),
  };
}
