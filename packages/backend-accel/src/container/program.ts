import type { FixedLuts } from '@lstmc/runtime/fixed';
import type { RowAssignmentKind, Target } from '@lstmc/target';
import type { Instr } from '../isa/encode.js';

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

/** A tensor the host exchanges with the accelerator through DRAM. */
export interface IoTensor {
  readonly name: string;
  /** DRAM word address of batch item 0 and the words per batch item. */
  readonly addr: number;
  readonly words: number;
  /** ONNX-facing shape with symbolic dims as names. */
  readonly shape: readonly (number | string)[];
  readonly frac: number;
  /** How the host maps the tensor to/from per-sequence DRAM images; see codegen/host-io.ts. */
  readonly role: string;
}

/** Where each layer's code lies, for per-layer statistics. */
export interface LayerRange {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

export interface IoDesc {
  readonly dramWords: number;
  readonly vmemWords: number;
  readonly accRows: number;
  readonly inputs: readonly IoTensor[];
  readonly outputs: readonly IoTensor[];
  readonly layers: readonly LayerRange[];
  /** Host-side work (ops the accelerator lacks), executed by the runtime; names only here. */
  readonly host: readonly string[];
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
}
