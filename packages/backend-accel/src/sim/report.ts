import type { LxbProgram } from '../container/program.js';
import type { SimulateResult } from '../host/simulate.js';

/** What `lstmc sim --stats` writes (TARGET.md's list), as plain JSON. */
export interface SimReport {
  readonly sequences: number;
  readonly seqLens: readonly number[];
  /** The target's batch: how many sequences step together (the host runs the input's in groups of it). */
  readonly batch: number;
  readonly cycles: number;
  /** cycles / sequences. */
  readonly cyclesPerSequence: number;
  readonly timeUs: number;
  readonly instructions: number;
  readonly cyclesByLayer: Record<string, number>;
  readonly cyclesByMode: Record<string, number>;
  readonly cyclesByUnit: Record<string, number>;
  /** Useful MACs / (pes x peak lanes of the mode x matvec cycles): how busy the PEs are while they multiply. */
  readonly peUtilization: number;
  /** Useful MACs / (pes x denseLanes x all cycles): TARGET.md's formula over the whole run. */
  readonly peUtilizationOverall: number;
  /** Busy PE-cycles / (pes x matvec cycles): the share of the PE array's time during products that is not spent waiting for the slowest PE. */
  readonly peBalance: number;
  readonly usefulMacs: number;
  readonly loadImbalance: { readonly max: number; readonly matrices: readonly { name: string; layout: string; imbalance: number; padding: number }[] };
  readonly paddingEntries: number;
  readonly dmaBytes: number;
  readonly dmaBytesWeights: number;
  readonly branches: readonly { pc: number; node: string; taken: number; notTaken: number }[];
}

export function simReport(p: LxbProgram, r: SimulateResult): SimReport {
  const s = r.stats;
  const t = p.target;
  const mats = r.matrices.map((m, i) => ({ name: p.matrices[i].name, layout: m.layout, imbalance: round(m.imbalance), padding: m.paddingEntries }));
  return {
    sequences: r.sequences,
    seqLens: r.seqLens,
    batch: t.batch,
    cycles: s.cycles,
    cyclesPerSequence: round(r.sequences ? s.cycles / r.sequences : 0),
    timeUs: round(s.cycles / t.clockMHz),
    instructions: s.instructions,
    cyclesByLayer: s.cyclesByLayer,
    cyclesByMode: s.cyclesByMode,
    cyclesByUnit: s.cyclesByUnit,
    peUtilization: round(s.macCapacity ? s.usefulMacs / s.macCapacity : 0),
    peUtilizationOverall: round(s.cycles ? s.usefulMacs / (t.pes * t.denseLanes * s.cycles) : 0),
    peBalance: round(s.peSlotCycles ? s.peBusyCycles / s.peSlotCycles : 0),
    usefulMacs: s.usefulMacs,
    loadImbalance: { max: Math.max(1, ...mats.map((m) => m.imbalance)), matrices: mats },
    paddingEntries: mats.reduce((a, m) => a + m.padding, 0),
    dmaBytes: s.dmaBytes,
    dmaBytesWeights: s.dmaBytesWeights,
    branches: Object.entries(s.branches)
      .map(([pc, b]) => ({ pc: Number(pc), node: p.debug[Number(pc)] ?? '', taken: b.taken, notTaken: b.notTaken }))
      .sort((a, b) => a.pc - b.pc),
  };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

export function formatSimReport(r: SimReport): string {
  const L: string[] = [];
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const groups = Math.ceil(r.sequences / r.batch);
  L.push(`cycles ${r.cycles} (${r.timeUs} us), ${r.instructions} instructions, ${r.sequences} sequence(s)${r.batch > 1 ? ` in ${groups} batch(es) of up to ${r.batch}` : ''}: ${r.cyclesPerSequence} cycles per sequence`);
  for (const [k, v] of Object.entries(r.cyclesByLayer)) L.push(`  layer ${k.padEnd(24)} ${String(v).padStart(12)} cycles`);
  for (const [k, v] of Object.entries(r.cyclesByMode)) L.push(`  mode  ${k.padEnd(24)} ${String(v).padStart(12)} cycles`);
  L.push(`PE utilization ${pct(r.peUtilization)} while multiplying, ${pct(r.peUtilizationOverall)} over the run; PE balance ${pct(r.peBalance)}`);
  L.push(`load imbalance (max/mean entries per PE) ${r.loadImbalance.max}, padding entries ${r.paddingEntries}`);
  L.push(`DMA ${r.dmaBytes} bytes (${r.dmaBytesWeights} of weights)`);
  for (const b of r.branches) L.push(`branch @${b.pc} (${b.node}): taken ${b.taken}, not taken ${b.notTaken}`);
  return `${L.join('\n')}\n`;
}
