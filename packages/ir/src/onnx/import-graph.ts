import type { Attrs } from '../attr.js';
import type { Location } from '../diagnostic.js';
import { fail, isDiagnosticError } from '../diagnostic.js';
import type { Graph, Node, ValueInfo } from '../graph.js';
import { makeGraph, makeNode } from '../graph.js';
import type { Tensor } from '../tensor.js';
import type { TensorType } from '../types.js';
import { tensorType } from '../types.js';
import type { AttrContext } from './attr-from-proto.js';
import { attrFromProto } from './attr-from-proto.js';
import type { GraphProtoMsg, NodeProtoMsg, TypeProtoMsg } from './messages.js';
import { denseFromSparseProto } from './sparse-tensor.js';
import type { TensorSource } from './tensor-from-proto.js';
import { tensorFromProto } from './tensor-from-proto.js';
import { typeFromProto } from './value-type.js';

/** What every graph of one model shares during import. */
export interface GraphImportContext {
  readonly file: string;
  readonly opsets: Readonly<Record<string, number>>;
  readonly readExternal?: TensorSource['readExternal'];
}

/** ONNX allows 'ai.onnx' as a spelling of the default domain. */
export function normalizeDomain(d: string): string {
  return d === 'ai.onnx' ? '' : d;
}

function importInitializers(gp: GraphProtoMsg, ctx: GraphImportContext): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  const add = (name: string, make: (loc: Location) => Tensor) => {
    const loc: Location = { file: ctx.file, field: name };
    if (!name) fail('E-ONNX-NAME', 'initializer without a name', { file: ctx.file });
    if (out.has(name)) fail('E-IR-DUP-VALUE', `initializer '${name}' is defined twice`, loc);
    out.set(name, make(loc));
  };
  const source = (loc: Location): TensorSource => ({ loc, readExternal: ctx.readExternal });
  for (const t of gp.initializer) add(t.name, (loc) => tensorFromProto(t, source(loc)));
  for (const s of gp.sparse_initializer) add(s.values?.name ?? '', (loc) => denseFromSparseProto(s, source(loc)));
  return out;
}

/** value_info entries are hints (used for opaque ops); an unusable one is skipped, not an error. */
function hintType(t: TypeProtoMsg | null | undefined, loc: Location): TensorType | undefined {
  if (!t?.tensor_type) return undefined;
  try {
    return typeFromProto(t, loc);
  } catch (e) {
    if (isDiagnosticError(e)) return undefined;
    throw e;
  }
}

/** Unique, stable node names: the ONNX name, else `<prefix><op>_<index>`. */
function nodeNames(nodes: readonly NodeProtoMsg[], prefix: string): string[] {
  const taken = new Set(nodes.map((n) => n.name).filter((s) => s));
  return nodes.map((n, i) => {
    if (n.name) return n.name;
    const base = `${prefix}${n.op_type || 'node'}_${i}`;
    let name = base;
    for (let k = 1; taken.has(name); k++) name = `${base}_${k}`;
    taken.add(name);
    return name;
  });
}

/**
 * One GraphProto -> IR graph (types of node outputs are left to inference).
 * Initializers also listed as graph inputs (pre-IR-4 exporters) count as
 * initializers only. Subgraphs of If/Loop/Scan become 'graph'/'graphs'
 * attributes, imported the same way; their node names get `<parent>/`.
 */
export function importGraph(gp: GraphProtoMsg, ctx: GraphImportContext, namePrefix = '', isMain = true): Graph {
  const file = ctx.file;
  const initializers = importInitializers(gp, ctx);
  const values = new Map<string, ValueInfo>();
  const setType = (name: string, type: TensorType | undefined) => {
    if (type) values.set(name, Object.freeze({ name, type }));
  };
  for (const [name, t] of initializers) setType(name, tensorType(t.dtype, t.dims, t.fixed));
  for (const vi of gp.value_info) if (vi.name) setType(vi.name, hintType(vi.type, { file, field: vi.name }));

  const inputs: string[] = [];
  for (const vi of gp.input) {
    if (!vi.name) fail('E-ONNX-NAME', 'graph input without a name', { file });
    if (initializers.has(vi.name)) continue;
    if (inputs.includes(vi.name)) fail('E-IR-DUP-VALUE', `graph input '${vi.name}' is listed twice`, { file, field: vi.name });
    inputs.push(vi.name);
    const loc: Location = { file, field: vi.name };
    // Top-level inputs must be typed tensors; subgraph inputs (Loop/Scan bodies) may omit the type.
    setType(vi.name, isMain || vi.type ? typeFromProto(vi.type, loc) : undefined);
  }
  const outputs: string[] = [];
  for (const vi of gp.output) {
    if (!vi.name) fail('E-ONNX-NAME', 'graph output without a name', { file });
    outputs.push(vi.name);
    // A declared output type is a hint for opaque producers; it never overrides an input's or initializer's type.
    if (!inputs.includes(vi.name) && !initializers.has(vi.name)) setType(vi.name, hintType(vi.type, { file, field: vi.name }));
  }

  const names = nodeNames(gp.node, namePrefix);
  const defined = new Set<string>([...inputs, ...initializers.keys()]);
  const nodes: Node[] = gp.node.map((np, idx) => {
    const name = names[idx];
    const loc: Location = { file, node: name };
    if (!np.op_type) fail('E-ONNX-NODE', 'node has no op_type', loc);
    for (const o of np.output) {
      if (!o) continue;
      if (defined.has(o)) fail('E-IR-DUP-VALUE', `value '${o}' is defined more than once`, { ...loc, field: o });
      defined.add(o);
    }
    const attrCtx: AttrContext = {
      tensorSource: (at) => ({ loc: at, readExternal: ctx.readExternal }),
      importSubgraph: (sub) => importGraph(sub, ctx, `${name}/`, false),
    };
    const attrs: Record<string, Attrs[string]> = {};
    for (const a of np.attribute) {
      if (!a.name) fail('E-ONNX-ATTR', 'attribute without a name', loc);
      if (Object.prototype.hasOwnProperty.call(attrs, a.name)) fail('E-ONNX-ATTR', `attribute '${a.name}' is given twice`, { ...loc, field: a.name });
      attrs[a.name] = attrFromProto(a, loc, attrCtx);
    }
    return makeNode({ op: np.op_type, domain: normalizeDomain(np.domain), name, inputs: np.input, outputs: np.output, attrs });
  });

  return makeGraph({ name: gp.name || 'main', opsets: { ...ctx.opsets }, inputs, outputs, initializers, values, nodes });
}
