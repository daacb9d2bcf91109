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
  /** Steps done so far. */
  k: number;
}

/**
 * The architectural state of the accelerator. One Machine per simulated
 * sequence; nothing outlives a run.
 */
export interface Machine {
  readonly target: Target;
  readonly luts: FixedLuts;
  /** On-chip vector memory (actBits words). */
  readonly vmem: Int32Array;
  /** Accumulator rows (accBits integers). */
  readonly acc: Float64Array;
  /** DRAM activation space (actBits words): inputs, outputs, states. */
  readonly dram: Int32Array;
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
  /** This sequence's length (sequence_lens) and the batch's full length (the host sets both). */
  readonly seqLen: number;
  readonly fullLen: number;
  /** Address of the next instruction, and of the one executing. */
  pc: number;
  ipc: number;
  halted: boolean;
  loop: LoopState | null;
  /** Current time index inside a time loop. */
  tIdx: number;
  /** Zero-detect unit: last scanned range, its zero count and non-zero positions. */
  zscan: { addr: number; n: number; zeros: number; nz: Int32Array } | null;
  /** Cycle at which the controller issues the next instruction, and the DMA engine is free. */
  now: number;
  dmaBusyUntil: number;
  readonly stats: SimStats;
}
