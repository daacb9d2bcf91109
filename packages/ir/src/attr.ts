import type { Tensor } from './tensor.js';
import type { Graph } from './graph.js';

/** A node attribute, tagged by kind as in ONNX's AttributeProto. */
export type Attr =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'strings'; readonly value: readonly string[] }
  | { readonly kind: 'tensor'; readonly value: Tensor }
  | { readonly kind: 'graph'; readonly value: Graph }
  | { readonly kind: 'graphs'; readonly value: readonly Graph[] };

export type AttrKind = Attr['kind'];

export type Attrs = Readonly<Record<string, Attr>>;
