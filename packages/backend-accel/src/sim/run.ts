import { fail } from '@lstmc/ir';
import type { LxbProgram } from '../container/program.js';
import { ISA, type InstrSpec } from '../isa/table.js';
import type { Machine, SimStats } from './machine.js';
import type { SimMatrix } from './sim-matrix.js';
import { TRACE_LANES, type TraceSink } from './trace.js';

export interface RunOptions {
  /** Each bank's sequence length the host sets for this run, and the batch's full length (default: the longest). */
  readonly seqLens: readonly number[];
  readonly fullLen?: number;
  /** Stop with E-SIM-LIMIT after this many instructions (runaway programs). */
  readonly maxInstructions?: number;
  readonly trace?: TraceSink;
  /** Cycle at which this run starts (runs of a batch follow each other). */
  readonly startCycle?: number;
  /** Address of the first instruction (the entry of an accelerator phase; default 0). */
  readonly entry?: number;
  /** Run products on the cycle-exact path instead of the fast one (Machine.exact). */
  readonly exact?: boolean;
}

/**
 * Run the program (from `entry` to a halt) once over a batch of sequences that step together,
 * sequence b in bank b with DRAM image `drams[b]` (modified in place); at most target.batch of them.
 * Timing: the controller issues in order; an instruction occupies
 * the controller for its cost, except DMA instructions, which take one issue
 * cycle and queue their transfer on the DMA engine, and sync, which waits for
 * the engine. The run ends when halt has issued and the DMA engine is idle.
 * Returns the cycles the run took; statistics accumulate into `stats`.
 */
export function runBatch(p: LxbProgram, matrices: readonly SimMatrix[], drams: readonly Int32Array[], stats: SimStats, opts: RunOptions): number {
  const t = p.target;
  const banks = drams.length;
  if (banks < 1 || banks > t.batch || opts.seqLens.length !== banks) throw new Error(`runBatch: ${banks} DRAM images and ${opts.seqLens.length} lengths for a target batch of ${t.batch}`);
  const m: Machine = {
    target: t,
    luts: p.luts,
    vmem: new Int32Array(banks * p.io.vmemWords),
    vmemWords: p.io.vmemWords,
    acc: new Float64Array(banks * p.io.accRows),
    accRows: p.io.accRows,
    dram: drams,
    consts: Float64Array.from(p.consts),
    matrices,
    exact: opts.exact ?? false,
    resident: matrices.map(() => false),
    sramOffset: matrices.map(() => 0),
    readyAt: matrices.map(() => 0),
    issuedAt: 0,
    cfg: { clip: 0, pshift: 0 },
    seqLens: opts.seqLens,
    fullLen: opts.fullLen ?? Math.max(...opts.seqLens),
    active: drams.map((_, b) => b),
    pc: opts.entry ?? 0,
    ipc: 0,
    halted: false,
    loop: null,
    tIdx: 0,
    zscan: drams.map(() => null),
    now: 0,
    dmaBusyUntil: 0,
    stats,
  };
  const layerOf = new Array<string>(p.code.length).fill('(none)');
  for (const l of p.io.layers) for (let i = l.start; i < l.end && i < p.code.length; i++) layerOf[i] = l.name;
  const limit = opts.maxInstructions ?? 2e8;
  const base = opts.startCycle ?? 0;
  const us = 1 / t.clockMHz;
  const trace = opts.trace;
  let executed = 0;
  while (!m.halted) {
    if (m.pc >= p.code.length) fail('E-SIM-FAULT', `execution ran past the last instruction (${p.code.length}) without halt`, { field: `pc=${m.pc}` });
    if (++executed > limit) fail('E-SIM-LIMIT', `stopped after ${limit} instructions (runaway loop?)`, { field: `pc=${m.pc}` });
    const ins = p.code[m.pc];
    const spec: InstrSpec = ISA[ins.mnemonic];
    m.ipc = m.pc;
    m.pc++;
    m.issuedAt = m.now;
    const cost = spec.cycles(ins.operands, m);
    const start = m.now;
    let unitStart = start;
    if (spec.timing === 'issue') m.now += cost;
    else if (spec.timing === 'dma') {
      unitStart = Math.max(m.now, m.dmaBusyUntil);
      m.dmaBusyUntil = unitStart + cost;
      m.now += 1;
    } else m.now = Math.max(m.now + 1, m.dmaBusyUntil);
    spec.exec(ins.operands, m);
    stats.instructions++;
    const spent = m.now - start;
    const layer = layerOf[m.ipc];
    stats.cyclesByLayer[layer] = (stats.cyclesByLayer[layer] ?? 0) + spent;
    if (spec.mode) {
      stats.cyclesByMode[spec.mode] = (stats.cyclesByMode[spec.mode] ?? 0) + cost;
      stats.matvecCycles += cost;
    }
    stats.cyclesByUnit[spec.unit] = (stats.cyclesByUnit[spec.unit] ?? 0) + (spec.timing === 'dma' ? cost : spent);
    if (trace) {
      const dur = spec.timing === 'dma' ? cost : spent;
      if (trace.events.length < trace.limit) {
        trace.events.push({
          name: ins.mnemonic,
          cat: spec.unit,
          ph: 'X',
          ts: (base + unitStart) * us,
          dur: dur * us,
          pid: 1,
          tid: TRACE_LANES[spec.unit === 'dma' ? 'dma' : spec.unit],
          args: { pc: m.ipc, node: p.debug[m.ipc], t: m.tIdx },
        });
      } else trace.dropped++;
    }
  }
  const total = Math.max(m.now, m.dmaBusyUntil);
  stats.cycles += total;
  return total;
}
