import type { Attr, AttrKind } from './attr.js';
import type { Node } from './graph.js';
import type { Tensor } from './tensor.js';
import type { Dim, TensorType } from './types.js';

/** Declared attribute: kind, default, and an optional range/enum check. */
export interface AttrSpec {
  readonly kind: AttrKind;
  readonly required?: boolean;
  readonly default?: Attr['value'];
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
  readonly node: Node;
  /** Types of the inputs; undefined for omitted optional inputs. */
  readonly inputs: readonly (TensorType | undefined)[];
  /** Parsed attributes: every declared attribute with its default applied. */
  readonly attrs: Readonly<Record<string, Attr['value'] | undefined>>;
  /** Constant value of input i, when it is an initializer or a Constant output. */
  constant(i: number): Tensor | undefined;
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

/**
 * Everything lstmc knows about one op, described once: its ports, typed
 * attributes, and inference (which also verifies: it fails on bad input
 * types, shapes and attribute values). Output i of the returned array is the
 * type of output slot i (undefined when the slot is not produced).
 */
export interface OpDef {
  readonly summary: string;
  readonly inputs: readonly PortSpec[];
  readonly outputs: readonly PortSpec[];
  readonly attrs: Readonly<Record<string, AttrSpec>>;
  infer(ctx: InferContext): (TensorType | undefined)[];
}
