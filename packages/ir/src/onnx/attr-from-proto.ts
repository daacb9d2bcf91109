import type { Attr } from '../attr.js';
import type { Location } from '../diagnostic.js';
import { fail } from '../diagnostic.js';
import type { Graph } from '../graph.js';
import type { AttributeMsg, GraphProtoMsg } from './messages.js';
import { ATTR_TYPE, has, int64ToNumber } from './messages.js';
import type { TensorSource } from './tensor-from-proto.js';
import { tensorFromProto } from './tensor-from-proto.js';

const decoder = new TextDecoder('utf-8');

/** UTF-8 text of a bytes field; an absent proto2 bytes field reads as protobufjs's non-Uint8Array default. */
function text(b: Uint8Array): string {
  return b instanceof Uint8Array ? decoder.decode(b) : '';
}

/** How an attribute's subgraphs are imported (supplied by the graph importer). */
export interface AttrContext {
  readonly tensorSource: (loc: Location) => TensorSource;
  readonly importSubgraph: (g: GraphProtoMsg, loc: Location) => Graph;
}

/**
 * IR_VERSION 1 files have no `type` discriminator: the kind is the one
 * value field that is set.
 */
function guessType(a: AttributeMsg): number {
  if (a.graphs.length) return ATTR_TYPE.GRAPHS;
  if (a.tensors.length) return ATTR_TYPE.TENSORS;
  if (a.strings.length) return ATTR_TYPE.STRINGS;
  if (a.ints.length) return ATTR_TYPE.INTS;
  if (a.floats.length) return ATTR_TYPE.FLOATS;
  if (a.g) return ATTR_TYPE.GRAPH;
  if (a.t) return ATTR_TYPE.TENSOR;
  if (has(a, 's')) return ATTR_TYPE.STRING;
  if (has(a, 'i')) return ATTR_TYPE.INT;
  if (has(a, 'f')) return ATTR_TYPE.FLOAT;
  return ATTR_TYPE.UNDEFINED;
}

function safeInt(v: Parameters<typeof int64ToNumber>[0], loc: Location): number {
  const n = int64ToNumber(v);
  if (!Number.isSafeInteger(n)) fail('E-ONNX-ATTR', `integer ${n} does not fit a JS number exactly`, loc);
  return n;
}

/** One AttributeProto -> IR attribute. `loc` names the node; field is set here. */
export function attrFromProto(a: AttributeMsg, loc: Location, ctx: AttrContext): Attr {
  const at: Location = { ...loc, field: a.name };
  if (a.ref_attr_name) fail('E-ONNX-ATTR', `attribute refers to function attribute '${a.ref_attr_name}' outside a function`, at);
  const type = a.type === ATTR_TYPE.UNDEFINED ? guessType(a) : a.type;
  switch (type) {
    case ATTR_TYPE.FLOAT:
      return { kind: 'float', value: a.f };
    case ATTR_TYPE.INT:
      return { kind: 'int', value: safeInt(a.i, at) };
    case ATTR_TYPE.STRING:
      return { kind: 'string', value: text(a.s) };
    case ATTR_TYPE.FLOATS:
      return { kind: 'floats', value: Object.freeze([...a.floats]) };
    case ATTR_TYPE.INTS:
      return { kind: 'ints', value: Object.freeze(a.ints.map((v) => safeInt(v, at))) };
    case ATTR_TYPE.STRINGS:
      return { kind: 'strings', value: Object.freeze(a.strings.map(text)) };
    case ATTR_TYPE.TENSOR:
      if (!a.t) fail('E-ONNX-ATTR', 'tensor attribute without a tensor', at);
      return { kind: 'tensor', value: tensorFromProto(a.t, ctx.tensorSource(at)) };
    case ATTR_TYPE.GRAPH:
      if (!a.g) fail('E-ONNX-ATTR', 'graph attribute without a graph', at);
      return { kind: 'graph', value: ctx.importSubgraph(a.g, at) };
    case ATTR_TYPE.GRAPHS:
      return { kind: 'graphs', value: Object.freeze(a.graphs.map((g) => ctx.importSubgraph(g, at))) };
    case ATTR_TYPE.UNDEFINED:
      fail('E-ONNX-ATTR', 'attribute has no type and no value', at);
    // falls through: fail() never returns
    default: {
      const name = Object.entries(ATTR_TYPE).find(([, v]) => v === type)?.[0] ?? `#${type}`;
      fail('E-ONNX-ATTR-KIND', `attributes of type ${name} are not supported`, at);
    }
  }
}
