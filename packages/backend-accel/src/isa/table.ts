import { activate, biasAdd, cellUpdate, gateMul, oneMinus, peepholeAdd } from '@lstmc/runtime/fixed';
import { dmaCycles, vectorKindCycles, zeroScanCycles, type MatvecMode } from '@lstmc/target';
import type { Machine } from '../sim/machine.js';
import { activationBytes, dmaTransfer, eachBank, inAcc, inVmem, loadWeights, matvec, matvecCost, simCheck, zeroScan } from '../sim/units.js';
import { ACT_SOURCES, CFG_REGS, F, LOOP_LENGTHS, type FieldSpec } from './fields.js';

/** Which unit an instruction occupies (timing model and trace lanes). */
export const UNITS = ['ctrl', 'dma', 'pe', 'vec'] as const;
export type Unit = (typeof UNITS)[number];

/** Decoded operands: every field as a number (enums by index, flags 0/1, labels as code addresses). */
export type Operands = Readonly<Record<string, number>>;

export interface InstrSpec {
  readonly opcode: number;
  readonly summary: string;
  readonly fields: readonly FieldSpec[];
  readonly unit: Unit;
  /**
   * 'issue': the controller is busy for `cycles`; 'dma': the controller spends one
   * cycle and the DMA engine (in order) `cycles`; 'sync': wait for the DMA engine.
   */
  readonly timing: 'issue' | 'dma' | 'sync';
  /** Cycle cost (evaluated before `exec`, on the same state). */
  readonly cycles: (o: Operands, m: Machine) => number;
  /** Simulator semantics. The dispatcher has already set m.pc to the next word. */
  readonly exec: (o: Operands, m: Machine) => void;
  /** The cycle-cost rule for docs/isa.md. */
  readonly costDoc: string;
  /** Matrix-vector instructions: the mode they run in (per-mode statistics). */
  readonly mode?: MatvecMode;
}

const one = () => 1;
/** A vector operation's cost: its unit's cycles for each active bank (the banks take turns). */
const banked = (kind: Parameters<typeof vectorKindCycles>[0]) => (o: Operands, m: Machine) => m.active.length * vectorKindCycles(kind, o.n, m.target);

const mvFields = [
  F.matrix(),
  F.vaddr('v', 'input vector address (matrix.cols words)'),
  F.aaddr('a', 'first accumulator row'),
  F.flag('z', 'clear the accumulator rows first'),
];
const actFields = [
  F.vaddr('d', 'destination (vector memory)'),
  F.enumOf('src', ACT_SOURCES, 'source memory'),
  F.aaddr('s', 'source address'),
  F.count('n', 'elements'),
  F.frac('f', 'fraction length of the source'),
  F.flag('c', 'clip the input to +-cfg.clip first'),
];

const loopFields = [F.enumOf('len', LOOP_LENGTHS, 'step count: full = the batch length, seq = sequence_lens of this sequence'), F.label('end', 'address after the matching tnext')];

const mv = (opcode: number, mode: MatvecMode, summary: string): InstrSpec => ({
  opcode,
  mode,
  summary,
  fields: mvFields,
  unit: 'pe',
  timing: 'issue',
  cycles: (o, m) => matvecCost(o, m, mode),
  exec: (o, m) => matvec(o, m, mode),
  costDoc: `slowest PE of TARGET.md's ${mode} rule (cost-model.ts matvecCycles), at least 1`,
});

const act = (opcode: number, kind: 'sigmoid' | 'tanh'): InstrSpec => ({
  opcode,
  summary: `d[i] = ${kind}(clip?(src[s+i])) by the LUT with linear interpolation`,
  fields: actFields,
  unit: 'vec',
  timing: 'issue',
  cycles: banked(kind),
  exec: (o, m) => {
    const fromAcc = o.src === 0;
    simCheck(m, (fromAcc ? inAcc(m, o.s, o.n) : inVmem(m, o.s, o.n)) && inVmem(m, o.d, o.n), 'activation operands out of memory');
    eachBank(m, (vb, ab) => activate(kind, m.luts, fromAcc ? m.acc : m.vmem, o.s + (fromAcc ? ab : vb), m.vmem, vb + o.d, o.n, o.f, o.c ? m.cfg.clip : null));
  },
  costDoc: 'banks * ceil(n / pes)',
});

/**
 * The instruction set, declared once. Encoder, decoder, assembler,
 * disassembler, simulator dispatch and docs/isa.md are derived from it.
 * Opcodes are stable: a new instruction takes a new opcode.
 */
export const ISA = {
  halt: {
    opcode: 0x00, summary: 'stop the program', fields: [], unit: 'ctrl', timing: 'issue', cycles: one,
    exec: (_o, m) => void (m.halted = true), costDoc: '1',
  },
  sync: {
    opcode: 0x01, summary: 'wait until every DMA transfer issued so far has finished', fields: [], unit: 'ctrl', timing: 'sync',
    cycles: one, exec: () => {}, costDoc: '1, or until the DMA engine is idle',
  },
  cfg: {
    opcode: 0x02, summary: 'set a configuration register (clip threshold at accumulator scale, peephole product shift)',
    fields: [F.enumOf('r', CFG_REGS, 'register'), F.cfgValue()], unit: 'ctrl', timing: 'issue', cycles: one,
    exec: (o, m) => void (m.cfg[CFG_REGS[o.r]] = o.v), costDoc: '1',
  },
  'dma.ld': {
    opcode: 0x08, summary: 'vmem[v..v+n) = dram[d + (t ? tIdx*n : 0) ..]', unit: 'dma', timing: 'dma',
    fields: [F.vaddr('v', 'vector memory address'), F.daddr('d', 'DRAM word address'), F.count('n', 'words'), F.flag('t', 'add tIdx * n to d')],
    cycles: (o, m) => dmaCycles(activationBytes(o.n, m), m.target), exec: (o, m) => dmaTransfer(o, m, 'load'),
    costDoc: 'DMA engine: ceil(banks * ceil(n * actBits / 8) / dmaBytesPerCycle); controller: 1',
  },
  'dma.st': {
    opcode: 0x09, summary: 'dram[d + (t ? tIdx*n : 0) ..] = vmem[v..v+n)', unit: 'dma', timing: 'dma',
    fields: [F.daddr('d', 'DRAM word address'), F.vaddr('v', 'vector memory address'), F.count('n', 'words'), F.flag('t', 'add tIdx * n to d')],
    cycles: (o, m) => dmaCycles(activationBytes(o.n, m), m.target), exec: (o, m) => dmaTransfer(o, m, 'store'),
    costDoc: 'DMA engine: ceil(banks * ceil(n * actBits / 8) / dmaBytesPerCycle); controller: 1',
  },
  'dma.w': {
    opcode: 0x0a, summary: "load matrix m's encoded weights into every PE's weight SRAM at offset o (per-step streaming of weight tiles inside a time loop), once for all banks; the matrix is usable once the transfer is done (sync) and until a transfer overwrites its bytes",
    fields: [F.matrix(), F.sramOffset()], unit: 'dma', timing: 'dma',
    cycles: (o, m) => dmaCycles(m.matrices[o.m]?.totalBytes ?? 0, m.target), exec: (o, m) => loadWeights(o, m),
    costDoc: 'DMA engine: ceil(encoded bytes of the matrix on all PEs / dmaBytesPerCycle); controller: 1',
  },
  zscan: {
    opcode: 0x10, summary: 'zero-detect vmem[v..v+n): zero count and non-zero positions for mv.si/mv.sb and bzc',
    fields: [F.vaddr('v', 'vector address'), F.count('n', 'elements')], unit: 'vec', timing: 'issue',
    cycles: (o, m) => Math.max(1, m.active.length * zeroScanCycles(o.n, m.target)), exec: (o, m) => zeroScan(o, m), costDoc: 'banks * ceil(n / pes), at least 1',
  },
  'mv.d': mv(0x14, 'dense', 'acc[a+r] += sum_k W[r,k] * vmem[v+k], dense weights, every column'),
  'mv.sw': mv(0x15, 'sparse-weight', 'acc[a+r] += W * vmem[v..], relative-indexed CSC weights, every column'),
  'mv.si': mv(0x16, 'sparse-input', 'acc[a+r] += W * vmem[v..], dense weights, only the non-zero inputs the last zscan found in vmem[v..v+cols)'),
  'mv.sb': mv(0x17, 'sparse-both', 'acc[a+r] += W * vmem[v..], CSC weights and only the non-zero inputs the last zscan found in vmem[v..v+cols)'),
  'v.bias': {
    opcode: 0x18, summary: 'acc[a+i] += const[k+i] (saturating)', unit: 'vec', timing: 'issue',
    fields: [F.aaddr('a', 'accumulator row'), F.kaddr('k', 'constant address'), F.count('n', 'elements')],
    cycles: banked('bias'),
    exec: (o, m) => {
      simCheck(m, inAcc(m, o.a, o.n) && o.k + o.n <= m.consts.length, 'v.bias operands out of memory');
      eachBank(m, (_vb, ab) => biasAdd(m.acc, ab + o.a, m.consts, o.k, o.n, m.target.accBits));
    },
    costDoc: 'banks * ceil(n / pes)',
  },
  'v.peep': {
    opcode: 0x19, summary: 'acc[a+i] += RNE(const[k+i] * vmem[c+i] >> cfg.pshift) (peephole)', unit: 'vec', timing: 'issue',
    fields: [F.aaddr('a', 'accumulator row'), F.kaddr('k', 'peephole weights'), F.vaddr('c', 'cell state'), F.count('n', 'elements')],
    cycles: banked('peephole'),
    exec: (o, m) => {
      simCheck(m, inAcc(m, o.a, o.n) && o.k + o.n <= m.consts.length && inVmem(m, o.c, o.n), 'v.peep operands out of memory');
      eachBank(m, (vb, ab) => peepholeAdd(m.acc, ab + o.a, m.consts, o.k, m.vmem, vb + o.c, o.n, m.cfg.pshift, m.target.accBits));
    },
    costDoc: 'banks * ceil(n / pes)',
  },
  'act.sig': act(0x1c, 'sigmoid'),
  'act.tanh': act(0x1d, 'tanh'),
  'v.om': {
    opcode: 0x20, summary: 'vmem[d+i] = 1 - vmem[s+i] (input_forget), saturating', unit: 'vec', timing: 'issue',
    fields: [F.vaddr('d', 'destination'), F.vaddr('s', 'source'), F.count('n', 'elements')],
    cycles: banked('one-minus'),
    exec: (o, m) => {
      simCheck(m, inVmem(m, o.d, o.n) && inVmem(m, o.s, o.n), 'v.om operands out of memory');
      eachBank(m, (vb) => oneMinus(m.vmem, vb + o.d, vb + o.s, o.n, m.target.actBits));
    },
    costDoc: 'banks * ceil(n / pes)',
  },
  'v.cell': {
    opcode: 0x21, summary: 'c = f*c + i*g with i = vmem[g..], f = vmem[g+2n..], g = vmem[g+3n..]; c at fraction length f', unit: 'vec', timing: 'issue',
    fields: [F.vaddr('c', 'cell state'), F.vaddr('g', 'gate block (i, o, f, g)'), F.count('n', 'hidden size'), F.frac('f', 'fraction length of c')],
    cycles: banked('cell'),
    exec: (o, m) => {
      simCheck(m, inVmem(m, o.g, 4 * o.n) && inVmem(m, o.c, o.n), 'v.cell operands out of memory');
      eachBank(m, (vb) => cellUpdate(m.vmem, vb + o.c, m.vmem, vb + o.g, vb + o.g + 2 * o.n, vb + o.g + 3 * o.n, o.n, o.f, m.target.actBits));
    },
    costDoc: 'banks * 2 * ceil(n / pes)',
  },
  'v.mul': {
    opcode: 0x22, summary: 'vmem[d+i] = RNE(vmem[a+i] * vmem[b+i] >> (actBits-1)) (h = o * tanh(c))', unit: 'vec', timing: 'issue',
    fields: [F.vaddr('d', 'destination'), F.vaddr('a', 'first factor'), F.vaddr('b', 'second factor'), F.count('n', 'elements')],
    cycles: banked('mul'),
    exec: (o, m) => {
      simCheck(m, inVmem(m, Math.max(o.d, o.a, o.b), o.n), 'v.mul operands out of memory');
      eachBank(m, (vb) => gateMul(m.vmem, vb + o.d, m.vmem, vb + o.a, m.vmem, vb + o.b, o.n, m.target.actBits));
    },
    costDoc: 'banks * ceil(n / pes)',
  },
  'tloop.f': {
    opcode: 0x28, summary: 'start a time loop, tIdx = 0 .. L-1 (L: the full length, or the longest sequence of the batch, each bank taking part in the steps tIdx < its own length); skip to end when L = 0', unit: 'ctrl', timing: 'issue',
    fields: loopFields, cycles: one,
    exec: (o, m) => startLoop(m, o.end, false, o.len), costDoc: '1',
  },
  'tloop.r': {
    opcode: 0x29, summary: 'start a time loop, tIdx = L-1 .. 0 (reverse direction)', unit: 'ctrl', timing: 'issue',
    fields: loopFields, cycles: one,
    exec: (o, m) => startLoop(m, o.end, true, o.len), costDoc: '1',
  },
  tnext: {
    opcode: 0x2a, summary: 'next time step: back to the loop body, or fall through after the last step', unit: 'ctrl', timing: 'issue',
    fields: [], cycles: one, exec: (_o, m) => nextStep(m), costDoc: '1',
  },
  bzc: {
    opcode: 0x2c, summary: 'branch to target if the zero counts of the last zscan, summed over the active banks, >= th times their number (the run-time input-sparsity test, for the batch as a whole)', unit: 'ctrl', timing: 'issue',
    fields: [F.count('th', 'zero-count threshold'), F.label('target', 'branch target')], cycles: one,
    exec: (o, m) => {
      let zeros = 0;
      for (const b of m.active) {
        const z = m.zscan[b];
        simCheck(m, z !== null, 'bzc without a preceding zscan');
        zeros += z!.zeros;
      }
      const taken = zeros >= o.th * m.active.length;
      const key = String(m.ipc);
      const b = (m.stats.branches[key] ??= { taken: 0, notTaken: 0 });
      if (taken) {
        b.taken++;
        m.pc = o.target;
      } else b.notTaken++;
    },
    costDoc: '1',
  },
  jmp: {
    opcode: 0x2d, summary: 'jump to target', unit: 'ctrl', timing: 'issue', fields: [F.label('target', 'jump target')], cycles: one,
    exec: (o, m) => void (m.pc = o.target), costDoc: '1',
  },
} as const satisfies Record<string, InstrSpec>;

export type Mnemonic = keyof typeof ISA;
export const MNEMONICS = Object.keys(ISA) as Mnemonic[];

function startLoop(m: Machine, end: number, reverse: boolean, len: number): void {
  simCheck(m, m.loop === null, 'nested time loops are not supported');
  const perSequence = LOOP_LENGTHS[len] === 'seq';
  const steps = perSequence ? Math.max(0, ...m.seqLens) : m.fullLen;
  if (steps === 0) {
    m.pc = end;
    return;
  }
  m.loop = { start: m.pc, end, reverse, k: 0, steps, perSequence };
  setTimeIndex(m, reverse ? steps - 1 : 0);
}

function nextStep(m: Machine): void {
  const l = m.loop;
  simCheck(m, l !== null, 'tnext outside a time loop');
  l!.k++;
  if (l!.k >= l!.steps) {
    m.loop = null;
    m.active = m.seqLens.map((_, b) => b);
    return;
  }
  setTimeIndex(m, l!.reverse ? l!.steps - 1 - l!.k : l!.k);
  m.pc = l!.start;
}

/** Enter time index t: a per-sequence loop serves the banks whose sequence is longer than t (a reverse one thus starts each at its own last step). */
function setTimeIndex(m: Machine, t: number): void {
  m.tIdx = t;
  const all = m.seqLens.map((_, b) => b);
  m.active = m.loop!.perSequence ? all.filter((b) => t < m.seqLens[b]) : all;
}

