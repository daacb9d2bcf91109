import type { FixedLuts } from '@lstmc/runtime/fixed';
import type { RowAssignmentKind, Target } from '@lstmc/target';
import type { Instr } from '../isa/encode.js';
import type { GlueStep } from '../host/glue.js';

/** One matrix of the matrix table: how its weights are laid out in the weights section. */
export interface MatrixDesc {
  /** What it is, e.g. `lstm_1/fwd/W`. */
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  readonly layout: 'dense' | 'csc';
  /** Right shift of a product to the accumulator's fraction length. */
  readonly shift: number;
  readonly assignment: RowAssignmentKind;
  /** Only for a balanced assignment: PE of each row. */
  readonly peOfRow?: readonly number[];
  /** Per PE: byte offset (in the weights section) and length of its blob. */
  readonly pes: readonly { readonly offset: number; readonly bytes: number }[];
}

/** How the host moves an ONNX tensor in or out of a sequence's DRAM image. */
export const IO_ROLES = ['x', 'h0', 'c0', 'y', 'yh', 'yc'] as const;
export type IoRole = (typeof IO_ROLES)[number];

/**
 * A tensor the host exchanges with the accelerator through DRAM, one direction
 * of one LSTM node. The program runs once per batch item (sequence): 'x' and
 * 'y' regions hold maxSeqLen steps of `width` words (step t at addr + t*width),
 * the state regions `width` words.
 */
export interface IoTensor {
  /** ONNX value name (for 'x', 'h0', 'c0': a graph input or a host segment's result). */
  readonly name: string;
  readonly role: IoRole;
  /** LSTM node and direction (0 forward/only, 1 reverse of bidirectional). */
  readonly node: string;
  readonly dir: number;
  /** Directions of the node, and its ONNX layout attribute. */
  readonly dirs: number;
  readonly layout: number;
  readonly addr: number;
  readonly width: number;
  readonly frac: number;
  /** For 'x': the X is Transpose(`name`, perm) (a Transpose in front of the LSTM, absorbed: the host reads through it). */
  readonly perm?: readonly number[];
  /** Constant contents (initial states given as initializers), per batch item [B x width] or [width]. */
  readonly value?: readonly number[];
}

/** Where each layer's code lies, for per-layer statistics. */
export interface LayerRange {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** The quantize pass's max abs error of the layer's outputs (h and c) vs float32 on the calibration data; absent without calibration data. */
  readonly qError?: number;
}

/** A graph output read straight from an LSTM output: assembled by the host, then glue ops (Squeeze, Reshape, ...) applied. */
export interface HostOutput {
  readonly name: string;
  readonly node: string;
  readonly which: 'Y' | 'Y_h' | 'Y_c';
  readonly glue: readonly GlueStep[];
}

/**
 * One runtime graph of the host section: ops the accelerator lacks, run on
 * the JS runtime before accelerator phase `index` (index = the phase count:
 * after the last phase). Its bytes lie at `offset` in the host section.
 */
export interface HostSegmentDesc {
  readonly index: number;
  readonly offset: number;
  readonly bytes: number;
  /** Values it reads (graph inputs, LSTM outputs, results of earlier segments) and the results later stages need. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /**
   * The IR nodes it runs, for listings. `qError`: the quantize pass's largest measured error (h and c,
   * max abs vs float32 on the calibration data) of the fixed-point LSTMs the node runs, itself or inside
   * its If branches; absent when it runs none with a measured error.
   */
  readonly nodes: readonly { readonly name: string; readonly op: string; readonly qError?: number }[];
}

/** One run of the accelerator per batch item: the code from `entry` to its halt runs these LSTM nodes. */
export interface PhaseDesc {
  readonly entry: number;
  readonly nodes: readonly string[];
  /** LSTM nodes of earlier phases whose Y this phase's layers read in place (their sequence length is this phase's). */
  readonly readsFrom: readonly string[];
  /** Per-sequence lengths of the phase's layers that take sequence_lens: a host tensor, constant values, or null (the full length). */
  readonly seqLens: { readonly name: string | null; readonly values: readonly number[] | null };
}

export interface IoDesc {
  /** Accelerator phases, in execution order; host segment k runs before phase k. */
  readonly phases: readonly PhaseDesc[];
  /** The runtime graphs of the host section, in execution order (empty: no host section). */
  readonly hostSegments: readonly HostSegmentDesc[];
  /** The model's outputs, in order (`output_N.pb`). */
  readonly graphOutputs: readonly string[];
  /** The model's (non-constant) graph inputs, in order: `input_N.pb` of test data. */
  readonly graphInputs: readonly string[];
  /** Longest sequence the DRAM layout holds. */
  readonly maxSeqLen: number;
  readonly dramWords: number;
  readonly vmemWords: number;
  readonly accRows: number;
  /** DRAM regions the host fills or reads, per LSTM node and direction. */
  readonly tensors: readonly IoTensor[];
  readonly outputs: readonly HostOutput[];
  readonly layers: readonly LayerRange[];
}

/** Everything an .lxb holds, decoded. */
export interface LxbProgram {
  readonly target: Target;
  readonly code: readonly Instr[];
  readonly weights: Uint8Array;
  /** Constant words (integers up to 48 bits). */
  readonly consts: readonly number[];
  readonly luts: FixedLuts;
  readonly matrices: readonly MatrixDesc[];
  readonly io: IoDesc;
  /** IR node of each instruction ('' when none). */
  readonly debug: readonly string[];
  /** The host section: the runtime graphs (.lrg) of io.hostSegments, back to back, or empty. */
  readonly host: Uint8Array;
}
