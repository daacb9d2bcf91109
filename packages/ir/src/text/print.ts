import type { Attr } from '../attr.js';
import type { Graph, Node } from '../graph.js';
import type { Tensor } from '../tensor.js';
import { tensorType, typesEqual } from '../types.js';
import { formatTextType, graphRef, ident, quote, valueRef, word } from './names.js';
import { type BitScratch, formatF32Value, formatF64Value, formatInteger, makeBitScratch } from './number-format.js';
import { formatTensorElems, tensorHash } from './tensor-text.js';

/** First line of every printed graph; parseGraph checks the version in it. */
export const TEXT_IR_HEADER = '// lstmc.ir v1';
export const TEXT_IR_VERSION = 1;
export const DEFAULT_ELIDE_ABOVE = 64;

export interface PrintOptions {
  /** Tensors with more elements than this print as `dense_resource<...>` (default 64; Infinity = never). */
  readonly elideAbove?: number;
}

export interface PrintedGraph {
  readonly text: string;
  /** The elided tensors by resource key: what parseGraph needs as `resources`. */
  readonly resources: Map<string, Tensor>;
}

interface PrintContext {
  readonly elideAbove: number;
  readonly scratch: BitScratch;
  readonly resources: Map<string, Tensor>;
}

const INDENT = '  ';

/** Prints a graph and returns the tensors it elided, keyed as the text names them. */
export function printGraphWithResources(g: Graph, opts: PrintOptions = {}): PrintedGraph {
  const ctx: PrintContext = { elideAbove: opts.elideAbove ?? DEFAULT_ELIDE_ABOVE, scratch: makeBitScratch(), resources: new Map() };
  const lines = [TEXT_IR_HEADER, ...graphLines(g, ctx, '')];
  return { text: `${lines.join('\n')}\n`, resources: ctx.resources };
}

/** The textual IR of `g` (format: docs/ir-text.md). Deterministic: equal graphs print equal text. */
export function printGraph(g: Graph, opts: PrintOptions = {}): string {
  return printGraphWithResources(g, opts).text;
}

/** The tensors `printGraph(g, opts)` elides, by the keys its text uses. */
export function graphResources(g: Graph, opts: PrintOptions = {}): Map<string, Tensor> {
  return printGraphWithResources(g, opts).resources;
}

function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Item order is fixed: opsets, metadata, inputs, types of values not defined
 * here, initializers, nodes (in graph order), outputs. A value's type is
 * printed where it is first defined in that order.
 */
function graphLines(g: Graph, ctx: PrintContext, indent: string): string[] {
  const ind = indent + INDENT;
  const out = [`graph ${graphRef(g.name)} {`];
  for (const d of Object.keys(g.opsets).sort(byKey)) out.push(`${ind}opset ${ident(d)} = ${formatInteger(g.opsets[d]!)}`);
  for (const k of Object.keys(g.metadata).sort(byKey)) out.push(`${ind}meta ${quote(k)} = ${quote(g.metadata[k]!)}`);

  const inputSet = new Set(g.inputs);
  const defined = new Set<string>([...g.inputs, ...g.initializers.keys()]);
  for (const n of g.nodes) for (const o of n.outputs) if (o) defined.add(o);

  for (const name of g.inputs) out.push(`${ind}input ${typedRef(g, name)}`);
  for (const [name, vi] of g.values) if (!defined.has(name)) out.push(`${ind}value ${valueRef(name)} : ${formatTextType(vi.type)}`);
  for (const [name, t] of g.initializers) {
    const vi = g.values.get(name);
    let declared = '';
    if (!inputSet.has(name)) {
      if (!vi) declared = ' : untyped';
      else if (!typesEqual(vi.type, tensorType(t.dtype, t.dims, t.fixed))) declared = ` : ${formatTextType(vi.type)}`;
    }
    out.push(`${ind}init ${valueRef(name)}${declared} = ${tensorText(t, name, ctx, ind)}`);
  }
  for (const n of g.nodes) out.push(ind + nodeText(g, n, ctx, ind));
  for (const name of g.outputs) out.push(`${ind}output ${valueRef(name)}`);
  out.push(`${indent}}`);
  return out;
}

function typedRef(g: Graph, name: string): string {
  const vi = g.values.get(name);
  return vi ? `${valueRef(name)} : ${formatTextType(vi.type)}` : valueRef(name);
}

function nodeText(g: Graph, n: Node, ctx: PrintContext, indent: string): string {
  const results = n.outputs.length ? `${n.outputs.map((o) => (o ? typedRef(g, o) : 'none')).join(', ')} = ` : '';
  const op = n.domain ? `${ident(n.domain)}::${ident(n.op)}` : ident(n.op);
  const operands = n.inputs.map((i) => (i ? valueRef(i) : 'none')).join(', ');
  const names = Object.keys(n.attrs).sort(byKey);
  const attrs = names.length
    ? ` {${names.map((k) => `${word(k)} = ${attrText(n.attrs[k]!, `${n.name}:${k}`, ctx, indent)}`).join(', ')}}`
    : '';
  return `${results}${op}(${operands})${attrs} loc(${quote(n.name)})`;
}

function isF32(x: number): boolean {
  return Number.isNaN(x) || Object.is(Math.fround(x), x);
}

function formatF32Attr(x: number): string {
  return Number.isNaN(x) ? 'nan' : formatF32Value(x);
}

/** Float attributes are float32 in ONNX; a value that is not a float32 is marked `: f64` and read as a double. */
function attrText(a: Attr, resourceKey: string, ctx: PrintContext, indent: string): string {
  switch (a.kind) {
    case 'int':
      return formatInteger(a.value);
    case 'float':
      return isF32(a.value) ? formatF32Attr(a.value) : `${formatF64Value(a.value)} : f64`;
    case 'string':
      return quote(a.value);
    case 'ints':
      return a.value.length ? `[${a.value.map(formatInteger).join(', ')}]` : '[] : ints';
    case 'floats':
      if (!a.value.length) return '[] : floats';
      return a.value.every(isF32)
        ? `[${a.value.map(formatF32Attr).join(', ')}]`
        : `[${a.value.map((x) => (Number.isNaN(x) ? 'nan' : formatF64Value(x))).join(', ')}] : f64`;
    case 'strings':
      return a.value.length ? `[${a.value.map(quote).join(', ')}]` : '[] : strings';
    case 'tensor':
      return tensorText(a.value, resourceKey, ctx, indent);
    case 'graph':
      return graphLines(a.value, ctx, indent).join('\n');
    case 'graphs':
      return a.value.length ? `[${a.value.map((sg) => graphLines(sg, ctx, indent).join('\n')).join(', ')}]` : '[] : graphs';
  }
}

/** An inline literal longer than this many characters breaks into rows. */
const WRAP_WIDTH = 100;

/**
 * `dense<[...]> : type`, one line when short; otherwise one row per line:
 * rows follow the last dimension when it has 4..16 elements, else 16 per row.
 */
function tensorText(t: Tensor, key: string, ctx: PrintContext, indent: string): string {
  const type = formatTextType(tensorType(t.dtype, t.dims, t.fixed));
  if (t.data.length > ctx.elideAbove) {
    let k = key;
    for (let i = 2; ctx.resources.has(k); i++) k = `${key}#${i}`;
    ctx.resources.set(k, t);
    return `dense_resource<${quote(k)}, sha256 = ${quote(tensorHash(t))}> : ${type}`;
  }
  const elems = formatTensorElems(t, ctx.scratch);
  const flat = elems.join(', ');
  if (flat.length <= WRAP_WIDTH) return `dense<[${flat}]> : ${type}`;
  const last = t.dims[t.dims.length - 1] ?? 0;
  const row = last >= 4 && last <= 16 ? last : 16;
  const rows: string[] = [];
  for (let i = 0; i < elems.length; i += row) rows.push(`${indent}${INDENT}${INDENT}${elems.slice(i, i + row).join(', ')}`);
  return `dense<[\n${rows.join(',\n')}\n${indent}${INDENT}]> : ${type}`;
}
