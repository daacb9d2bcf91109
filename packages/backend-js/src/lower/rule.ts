import type { Location, Node, ParsedAttrs, Tensor, TensorType } from '@lstmc/ir';
import type { RtAttr, RtDType, RtDim, RtExecMode, RtTensor } from '@lstmc/runtime';

/**
 * Fixed-point numerics (`lstmc run --numerics fixed`): LSTMs lower to the
 * accelerator emulation `lstm.fixed` with these target widths, reading the
 * quantize pass's integer weights from the graph's initializers.
 */
export interface FixedNumerics {
  readonly actBits: number;
  readonly accBits: number;
  readonly lutEntries: number;
  /**
   * Only LSTMs the quantize pass annotated take fixed point; the others stay float32 (the host part
   * of an accelerator binary: LSTMs in run-time branches are quantized and match the accelerator, an
   * LSTM it refuses for other reasons runs as it is).
   */
  readonly quantizedOnly?: boolean;
  /** An initializer of the IR graph by name (the quantized weights the annotations name). */
  readonly initializer: (name: string) => Tensor | undefined;
  /** The IR node that produces a value (undefined for graph inputs and initializers). */
  readonly producer: (name: string) => Node | undefined;
}

/** What a lowering rule sees of one IR node and of the runtime graph being built. */
export interface RuleContext {
  readonly node: Node;
  /** The node's attributes parsed against its op's schema, defaults applied. */
  readonly attrs: ParsedAttrs;
  /** Present when lowering for fixed-point numerics. */
  readonly fixed: FixedNumerics | undefined;
  /** Opset version of the node's domain. */
  readonly opset: number;
  /** Where diagnostics point: file and node name. */
  readonly loc: Location;
  /** Runtime value of input slot i; -1 when the slot is omitted. */
  input(i: number): number;
  /** Runtime value of output slot i (defined from the IR type on first use); -1 when omitted. */
  output(i: number): number;
  inputType(i: number): TensorType | undefined;
  /** The constant value of input slot i, if it is known at compile time. */
  constant(i: number): RtTensor | undefined;
  /** Makes output slot i a compile-time constant. */
  setConstant(i: number, t: Tensor): void;
  /** A new intermediate value private to this node's lowering. */
  temp(base: string, dtype: RtDType, shape: readonly RtDim[]): number;
  /** A new constant value private to this node's lowering. */
  constantValue(base: string, t: RtTensor): number;
  emit(kernel: string, inputs: readonly number[], outputs: readonly number[], attrs?: Readonly<Record<string, RtAttr>>, mode?: RtExecMode): void;
}

/** Lowers one IR node into runtime nodes and values. */
export type LoweringRule = (c: RuleContext) => void;
