import type { Allocator, OpTensor } from './tensor.js';
import type { Dim, TensorType } from './types.js';

/** Attribute kinds, as in ONNX's AttributeProto. */
export type AttrKind = 'int' | 'float' | 'string' | 'ints' | 'floats' | 'strings' | 'tensor' | 'graph' | 'graphs';

/** A parsed attribute value: numbers, strings, their lists, a tensor (as OpTensor), or a subgraph (opaque here). */
export type AttrValue = number | string | readonly number[] | readonly string[] | OpTensor | object;

export type OpAttrs = Readonly<Record<string, AttrValue | undefined>>;

/** Declared attribute: kind, default, and an optional range/enum check. */
export interface AttrSpec {
  readonly kind: AttrKind;
  readonly required?: boolean;
  readonly default?: AttrValue;
  /** For int/float: inclusive range. */
  readonly min?: number;
  readonly max?: number;
  /** For string/strings: allowed values (strings compared as given). */
  readonly oneOf?: readonly string[];
}

export interface PortSpec {
  readonly name: string;
  readonly optional?: boolean;
  /** Last port only: may repeat (Concat inputs). */
  readonly variadic?: boolean;
}

/** What an op's shape/type inference sees. */
export interface InferContext {
  /** The node's op, name and output names (for messages and for ops whose result depends on which outputs exist). */
  readonly node: { readonly op: string; readonly name: string; readonly outputs: readonly string[] };
  /** Types of the inputs; undefined for omitted optional inputs. */
  readonly inputs: readonly (TensorType | undefined)[];
  /** Parsed attributes: every declared attribute with its default applied. */
  readonly attrs: OpAttrs;
  /** Constant value of input i, when it is known at compile time. */
  constant(i: number): OpTensor | undefined;
  /** Report a user error at this node; `field` names the input/attribute. */
  fail(code: string, message: string, field?: string): never;
  /** A fresh symbolic dim name for a dimension that cannot be inferred. */
  fresh(hint: string): string;
  /**
   * Known element values of a 1-D integer input that holds dims (a shape
   * computation such as Shape -> Gather -> Concat): numbers or symbolic dims.
   */
  shapeValue(i: number): readonly Dim[] | undefined;
  /** Record the dims held by output `i` (a 1-D integer tensor). */
  setShapeValue(i: number, dims: readonly Dim[]): void;
  /** Opset version of the node's domain. */
  readonly opset: number;
}

/** What an op's reference evaluation sees: concrete tensors. */
export interface EvalContext {
  /** One entry per input slot; undefined for omitted optional inputs. */
  readonly inputs: readonly (OpTensor | undefined)[];
  /** Parsed attributes, defaults applied. */
  readonly attrs: OpAttrs;
  readonly opset: number;
  /** Output slots the caller wants (an op may skip the others and return undefined for them). */
  readonly wanted: readonly boolean[];
  /** A run-time error in the data (index out of range, shapes that do not broadcast): the caller's diagnostic. */
  fail(message: string): never;
  /** Where output data comes from (tensor.ts Allocator; default `alloc`, new arrays). */
  readonly alloc?: Allocator | undefined;
}

/**
 * Everything lstmc knows about one op, described once: its ports, typed
 * attributes, inference (which also verifies: it fails on bad input types,
 * shapes and attribute values), and a reference evaluation on tensors that
 * constant folding and the runtime both use. Output i of `infer`'s result is
 * the type of output slot i (undefined when the slot is not produced).
 * Ops without `eval` (LSTM, If) are executed by dedicated kernels. Its one-line
 * description is the doc comment on its definition, not a field: no code reads
 * prose, and the runtime's browser bundle need not carry it.
 */
export interface OpDef {
  readonly inputs: readonly PortSpec[];
  readonly outputs: readonly PortSpec[];
  readonly attrs: Readonly<Record<string, AttrSpec>>;
  /** Opsets in which the op exists (inclusive); defaults to all (1..). */
  readonly since?: number;
  readonly until?: number;
  /** `eval` reads only its inputs' dtype and shape, never their data (Shape, Size): folding runs it on static shapes. */
  readonly readsShapeOnly?: boolean;
  /** The outputs hold input 0's elements rearranged (Reshape, Transpose, Gather, ...): a fixed-point format carries over. */
  readonly relayout?: boolean;
  infer(ctx: InferContext): (TensorType | undefined)[];
  eval?(ctx: EvalContext): (OpTensor | undefined)[];
}

/** Identity helper for op definitions (keeps literal types, checks the shape). */
export function defineOp<const D extends OpDef>(def: D): D {
  return def;
}
