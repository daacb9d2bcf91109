import type { Attr } from '../attr.js';
import { ANNOTATION_PREFIX } from '../attrs-parse.js';
import { DTYPES } from '../dtype.js';
import type { Graph, Node } from '../graph.js';
import { isKnownOp } from '../ops/index.js';
import type { TensorType } from '../types.js';
import { ATTR_TYPE } from './messages.js';
import { encodeMessage, MODEL_PROTO } from './schema.js';
import { tensorToProtoObject } from './tensor-to-proto.js';

type Obj = Record<string, unknown>;

const encoder = new TextEncoder();

/**
 * The IR version ONNX pairs with each default-domain opset (docs/Versioning.md);
 * used when the graph does not carry the one it was imported with.
 */
function irVersionFor(opset: number): number {
  if (opset <= 8) return 3;
  if (opset <= 11) return opset - 5;
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  if (opset <= 22) return 10;
  return 11;
}

/** Symbolic dims keep their name; unknown ones (`?`, `?hint3` from inference) are left empty. */
function typeToProto(t: TensorType | undefined): Obj | undefined {
  if (!t || t.dtype === 'unknown') return undefined;
  const tensor: Obj = { elem_type: DTYPES[t.dtype].onnx };
  if (t.shape)
    tensor.shape = {
      dim: t.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : d.startsWith('?') ? {} : { dim_param: d })),
    };
  return { tensor_type: tensor };
}

function valueInfo(g: Graph, name: string): Obj {
  const type = typeToProto(g.values.get(name)?.type);
  return type ? { name, type } : { name };
}

function attrToProto(name: string, a: Attr): Obj {
  switch (a.kind) {
    case 'int':
      return { name, type: ATTR_TYPE.INT, i: a.value };
    case 'float':
      return { name, type: ATTR_TYPE.FLOAT, f: a.value };
    case 'string':
      return { name, type: ATTR_TYPE.STRING, s: encoder.encode(a.value) };
    case 'ints':
      return { name, type: ATTR_TYPE.INTS, ints: [...a.value] };
    case 'floats':
      return { name, type: ATTR_TYPE.FLOATS, floats: [...a.value] };
    case 'strings':
      return { name, type: ATTR_TYPE.STRINGS, strings: a.value.map((s) => encoder.encode(s)) };
    case 'tensor':
      return { name, type: ATTR_TYPE.TENSOR, t: tensorToProtoObject('', a.value) };
    case 'graph':
      return { name, type: ATTR_TYPE.GRAPH, g: graphToProto(a.value) };
    case 'graphs':
      return { name, type: ATTR_TYPE.GRAPHS, graphs: a.value.map(graphToProto) };
  }
}

function nodeToProto(n: Node): Obj {
  return {
    input: [...n.inputs],
    output: [...n.outputs],
    name: n.name,
    op_type: n.op,
    domain: n.domain,
    // lstmc.* attributes are pass annotations, not ONNX attributes.
    attribute: Object.entries(n.attrs)
      .filter(([k]) => !k.startsWith(ANNOTATION_PREFIX))
      .map(([k, a]) => attrToProto(k, a)),
  };
}

/**
 * Graph -> GraphProto object. Graph inputs/outputs carry types; of the
 * intermediate values only outputs of opaque ops do (as value_info), since
 * nothing can re-infer them; ONNX re-infers the rest.
 */
function graphToProto(g: Graph): Obj {
  const outputs = new Set(g.outputs);
  const opaque = g.nodes
    .filter((n) => !isKnownOp(n.op, n.domain))
    .flatMap((n) => n.outputs.filter((o) => o && !outputs.has(o) && typeToProto(g.values.get(o)?.type)));
  return {
    name: g.name,
    node: g.nodes.map(nodeToProto),
    initializer: [...g.initializers].map(([name, t]) => tensorToProtoObject(name, t)),
    input: g.inputs.map((i) => valueInfo(g, i)),
    output: g.outputs.map((o) => valueInfo(g, o)),
    value_info: opaque.map((o) => valueInfo(g, o)),
  };
}

/**
 * Serialize an IR graph as an ONNX model (initializers as raw_data, all data
 * inline). Fixed-point annotations have no ONNX form: such tensors are written
 * as their plain integers. Opaque nodes are written back as they were read.
 */
export function exportOnnx(g: Graph): Uint8Array {
  const opset = g.opsets[''] ?? 22;
  const imported = Number(g.metadata['onnx.ir_version']);
  const metadataProps = Object.entries(g.metadata)
    .filter(([k]) => k.startsWith('onnx.meta.'))
    .map(([k, v]) => ({ key: k.slice('onnx.meta.'.length), value: v }));
  return encodeMessage(MODEL_PROTO, {
    // Never below what the opset needs, nor below 4: from IR 4 on initializers need not be graph inputs.
    ir_version: Math.max(Number.isInteger(imported) ? imported : 0, irVersionFor(opset), 4),
    producer_name: 'lstmc',
    opset_import: Object.entries(g.opsets).map(([domain, version]) => ({ domain, version })),
    graph: graphToProto(g),
    metadata_props: metadataProps,
  });
}
