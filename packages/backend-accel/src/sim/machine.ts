import type { FixedLuts } from '@lstmc/runtime/fixed';
import type { Target } from '@lstmc/target';
import type { SimMatrix } from './sim-matrix.js';

/** Per-run statistics the simulator reports (see TARGET.md). */
export interface SimStats {
  cycles: number;
  instructions: number;
  cyclesByLayer: Record<string, number>;
  cyclesByMode: Record<string, number>;
  cyclesByUnit: Record<string, number>;
  usefulMacs: number;
  /** sum over matvecs of pes * peak lanes * cycles. */
  macCapacity: number;
  matvecCycles: number;
  /** Sum over matvecs of each PE's busy cycles, and of pes x the matvec's cycles. */
  peBusyCycles: number;
  peSlotCycles: number;
  dmaBytes: number;
  dmaBytesWeights: number;
  branches: Record<string, { taken: number; notTaken: number }>;
  zeroScans: number;
}

export function emptyStats(): SimStats {
  return {
    cycles: 0,
    instructions: 0,
    cyclesByLayer: {},
    cyclesByMode: {},
    cyclesByUnit: {},
    usefulMacs: 0,
    macCapacity: 0,
    matvecCycles: 0,
    peBusyCycles: 0,
    peSlotCycles: 0,
    dmaBytes: 0,
    dmaBytesWeights: 0,
    branches: {},
    zeroScans: 0,
  };
}

export interface LoopState {
  readonly start: number;
  readonly end: number;
  readonly reverse: boolean;
  readonly steps: number;
  /** Steps over each sequence's own length (banks past theirs sit the step out), or the full length. */
  readonly perSequence: boolean;
  /** Steps done so far. */
  k: number;
}

/** What the zero-detect unit found in one bank: the scanned range, its zero count and non-zero positions. */
export interface ZeroScan {
  readonly addr: number;
  readonly n: number;
  readonly zeros: number;
  readonly nz: Int32Array;
}

/**
 * The architectural state of the accelerator. One Machine per simulated
 * batch (the sequences that step together, at most target.batch); nothing
 * outlives a run. Every sequence has its own bank of vector memory and
 * accumulators and its own DRAM image; instruction addresses are bank-relative
 * and an instruction serves every active bank.
 */
export interface Machine {
  readonly target: Target;
  readonly luts: FixedLuts;
  /** On-chip vector memory (actBits words): bank b is words [b * vmemWords, (b + 1) * vmemWords). */
  readonly vmem: Int32Array;
  readonly vmemWords: number;
  /** Accumulator rows (accBits integers): bank b is rows [b * accRows, (b + 1) * accRows). */
  readonly acc: Float64Array;
  readonly accRows: number;
  /** DRAM activation space (actBits words) of each bank's sequence: inputs, outputs, states. */
  readonly dram: readonly Int32Array[];
  /** Constants (bias at accumulator scale, peephole weights). */
  readonly consts: Float64Array;
  readonly matrices: readonly SimMatrix[];
  /**
   * Products on the fast path (precomputed per-matrix cycle costs, the shared
   * column loop of runtime/src/fixed) or the cycle-exact one (each PE walks its
   * own encoded entries; costs from the cost model per instruction). Both give
   * the same results and cycles; tests check it.
   */
  readonly exact: boolean;
  /** Matrices whose weights are in the PEs' weight SRAM (loaded, not overwritten since). */
  readonly resident: boolean[];
  /** Per matrix: the SRAM byte offset it was loaded at, and the cycle its transfer completes. */
  readonly sramOffset: number[];
  readonly readyAt: number[];
  /** Cycle at which the executing instruction issued. */
  issuedAt: number;
  readonly cfg: { clip: number; pshift: number };
  /** Each bank's sequence length (sequence_lens) and the batch's full length (the host sets both). */
  readonly seqLens: readonly number[];
  readonly fullLen: number;
  /**
   * The banks the executing instruction serves, ascending: every bank outside a time loop; inside a
   * per-sequence loop, those whose sequence covers the current time index.
   */
  active: number[];
  /** Address of the next instruction, and of the one executing. */
  pc: number;
  ipc: number;
  halted: boolean;
  loop: LoopState | null;
  /** Current time index inside a time loop. */
  tIdx: number;
  /** Zero-detect unit: each bank's last scan. */
  readonly zscan: (ZeroScan | null)[];
  /** Cycle at which the controller issues the next instruction, and the DMA engine is free. */
  now: number;
  dmaBusyUntil: number;
  readonly stats: SimStats;
}
