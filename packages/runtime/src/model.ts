import type { RtDType } from './dtype.js';
import type { RtTensor } from './tensor.js';

/**
 * The in-memory form of a runtime graph (.lrg). A plain object: the JS backend builds it,
 * `writeRuntimeGraph` serializes it, `readRuntimeGraph` returns it after validation.
 */
export interface RuntimeModel {
  /** Every tensor of the graph; nodes, inputs and outputs refer to them by index. */
  readonly values: readonly RtValue[];
  /** Graph inputs, as value indices, in graph-input order. */
  readonly inputs: readonly number[];
  /** Graph outputs, as value indices, in graph-output order. */
  readonly outputs: readonly number[];
  /** Nodes in a topological order (every input is a constant, a graph input or an earlier output). */
  readonly nodes: readonly RtNode[];
  /** Free-form string metadata (producer, source model name, ...). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** A dimension: a number, or a symbolic name bound consistently across the graph inputs of one run. */
export type RtDim = number | string;

export interface RtValue {
  readonly name: string;
  readonly dtype: RtDType;
  /** null when even the rank is unknown at compile time. */
  readonly shape: readonly RtDim[] | null;
  /** Present for constants: the tensor stored in the blob (its shape must be fully numeric). */
  readonly data?: RtTensor;
}

export interface RtNode {
  /** Kernel name, a key of the kernel registry (e.g. `lstm.dense.f32`, `MatMul`). */
  readonly kernel: string;
  /** Source node name (the ONNX node name), used in error messages. */
  readonly name: string;
  /** Value indices; -1 for an omitted optional input. */
  readonly inputs: readonly number[];
  /** Value indices; -1 for an output that is not requested. */
  readonly outputs: readonly number[];
  readonly attrs: Readonly<Record<string, RtAttr>>;
  /** Per-layer execution mode, for reporting only (LSTM layers). */
  readonly mode?: RtExecMode;
  /**
   * Control-flow nodes only (kernel `If`): the subgraphs by name (`then_branch`, `else_branch`).
   * Their nodes use the model's one value table and may read any value available where this node runs.
   */
  readonly branches?: Readonly<Record<string, RtSubgraph>>;
}

/** The body of a control-flow node: nodes in a topological order, and the values it yields, in output order. */
export interface RtSubgraph {
  readonly nodes: readonly RtNode[];
  readonly outputs: readonly number[];
}

export const RT_EXEC_MODES = ['dense', 'sparse'] as const;
export type RtExecModeKind = (typeof RT_EXEC_MODES)[number];

/** Execution mode of an LSTM layer's input (W) and recurrent (R) matrix products. */
export interface RtExecMode {
  readonly W: RtExecModeKind;
  readonly R: RtExecModeKind;
}

export const RT_ATTR_TYPES = ['int', 'float', 'string', 'ints', 'floats', 'strings', 'tensor'] as const;
export type RtAttrType = (typeof RT_ATTR_TYPES)[number];

export type RtAttr =
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'ints'; readonly value: readonly number[] }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'strings'; readonly value: readonly string[] }
  | { readonly type: 'tensor'; readonly value: RtTensor };
