import type { Attr } from '../attr.js';
import { type Graph, makeGraph, makeNode, type Node, type ValueInfo } from '../graph.js';
import type { Tensor } from '../tensor.js';
import { tensorType } from '../types.js';
import type { AstAttrValue, AstGraph, AstItem, AstLiteral, AstType, Pos, Spanned } from './ast.js';
import { type BuildContext, buildType, failAt, type LocExtra, TEXT_ERROR_CODES } from './build-context.js';
import { buildTensor } from './build-tensor.js';
import { parseFloatBits } from './number-format.js';

type ItemOf<K extends AstItem['kind']> = Extract<AstItem, { kind: K }>;

/** Names defined by one graph, with where each was defined (for duplicate reports). */
type Scope = ReadonlyMap<string, Pos>;

/**
 * Semantic checks and Graph construction. Every name a node or output uses
 * must be defined in this graph or an enclosing one (ONNX subgraphs see outer
 * values); definition order is not checked here (that is the verifier's job),
 * so a graph printed mid-pass reads back as it was.
 */
export function buildGraph(ctx: BuildContext, ast: AstGraph, outer: readonly Scope[] = []): Graph {
  const items = <K extends AstItem['kind']>(k: K) => ast.items.filter((i): i is ItemOf<K> => i.kind === k);
  const opsets: Record<string, number> = {};
  const opsetPos = new Map<string, Pos>();
  for (const o of items('opset')) {
    dupCheck(ctx, opsetPos, o.domain, 'opset for domain');
    const v = Number(o.version.value);
    if (!Number.isSafeInteger(v)) failAt(ctx, TEXT_ERROR_CODES.literal, `opset version ${o.version.value} is not a valid integer`, o.version.pos);
    opsets[o.domain.value] = v;
  }
  const metadata: Record<string, string> = {};
  const metaPos = new Map<string, Pos>();
  for (const m of items('meta')) {
    dupCheck(ctx, metaPos, m.key, 'metadata key');
    metadata[m.key.value] = m.value;
  }

  // Definitions: inputs, initializers (an initializer may also be an input: a default value), node results.
  const defs = new Map<string, Pos>();
  const inputPos = new Map<string, Pos>();
  for (const i of items('input')) {
    dupCheck(ctx, inputPos, i.name, 'input');
    defs.set(i.name.value, i.name.pos);
  }
  const initPos = new Map<string, Pos>();
  for (const i of items('init')) {
    dupCheck(ctx, initPos, i.name, 'initializer');
    if (!inputPos.has(i.name.value)) defs.set(i.name.value, i.name.pos);
  }
  for (const n of items('node')) for (const r of n.results) if (r.name) dupCheck(ctx, defs, r.name, 'value', n.loc);
  const scopes = [...outer, defs];

  const values = new Map<string, ValueInfo>();
  const typePos = new Map<string, Pos>();
  const setType = (name: Spanned<string>, t: AstType, node?: string) => {
    dupCheck(ctx, typePos, name, 'type of value', node);
    values.set(name.value, { name: name.value, type: buildType(ctx, t, node === undefined ? { field: name.value } : { node }) });
  };
  for (const i of items('input')) if (i.type) setType(i.name, i.type);
  for (const v of items('value')) {
    if (defs.has(v.name.value))
      failAt(ctx, TEXT_ERROR_CODES.duplicate, `'value' line for %${v.name.value}, which this graph defines: give its type where it is defined`, v.name.pos);
    setType(v.name, v.type);
  }

  const initializers = new Map<string, Tensor>();
  for (const i of items('init')) {
    const t = buildTensor(ctx, i.tensor, { field: i.name.value });
    initializers.set(i.name.value, t);
    if (i.type === 'untyped' || inputPos.has(i.name.value)) continue;
    if (i.type) setType(i.name, i.type);
    else {
      typePos.set(i.name.value, i.name.pos);
      values.set(i.name.value, { name: i.name.value, type: tensorType(t.dtype, t.dims, t.fixed) });
    }
  }

  const nodes: Node[] = [];
  for (const n of items('node')) {
    const where = { node: n.loc };
    for (const r of n.results) if (r.name && r.type) setType(r.name, r.type, n.loc);
    const inputs = n.operands.map((o) => {
      if (!o) return '';
      useCheck(ctx, scopes, o, where);
      return o.value;
    });
    const attrs: Record<string, Attr> = {};
    const attrPos = new Map<string, Pos>();
    for (const a of n.attrs) {
      dupCheck(ctx, attrPos, a.name, 'attribute', n.loc);
      attrs[a.name.value] = buildAttr(ctx, a.value, scopes, { node: n.loc, field: a.name.value });
    }
    nodes.push(
      makeNode({ op: n.op.value, domain: n.domain, name: n.loc, inputs, outputs: n.results.map((r) => r.name?.value ?? ''), attrs }),
    );
  }
  const outputs = items('output').map((o) => {
    useCheck(ctx, scopes, o.name, {});
    return o.name.value;
  });

  return makeGraph({
    name: ast.name.value,
    opsets,
    inputs: items('input').map((i) => i.name.value),
    outputs,
    initializers,
    values,
    nodes,
    metadata,
  });
}

function dupCheck(ctx: BuildContext, seen: Map<string, Pos>, name: Spanned<string>, what: string, node?: string): void {
  const prev = seen.get(name.value);
  if (prev)
    failAt(ctx, TEXT_ERROR_CODES.duplicate, `${what} '${name.value}' is defined twice (first at ${prev.line}:${prev.column})`, name.pos, {
      ...(node === undefined ? {} : { node }),
    });
  seen.set(name.value, name.pos);
}

function useCheck(ctx: BuildContext, scopes: readonly Scope[], name: Spanned<string>, extra: LocExtra): void {
  if (!scopes.some((s) => s.has(name.value))) failAt(ctx, TEXT_ERROR_CODES.undefined, `undefined value %${name.value}`, name.pos, extra);
}

const LIST_SUFFIXES = ['ints', 'floats', 'strings', 'graphs', 'f64'] as const;

function buildAttr(ctx: BuildContext, v: AstAttrValue, scopes: readonly Scope[], extra: LocExtra): Attr {
  switch (v.kind) {
    case 'tensor':
      return { kind: 'tensor', value: buildTensor(ctx, v.tensor, extra) };
    case 'graph':
      return { kind: 'graph', value: buildGraph(ctx, v.graph, scopes) };
    case 'scalar': {
      const f64 = suffixIs(ctx, v.suffix, v.lit.kind === 'float' || v.lit.kind === 'int' ? ['f64'] : [], extra);
      if (v.lit.kind === 'string') return { kind: 'string', value: v.lit.text };
      if (v.lit.kind === 'int' && !f64) return { kind: 'int', value: intValue(ctx, v.lit, extra) };
      return { kind: 'float', value: floatValue(ctx, v.lit, f64, extra) };
    }
    case 'list': {
      const suffix = suffixIs(ctx, v.suffix, LIST_SUFFIXES, extra) ? v.suffix!.value : undefined;
      const kinds = new Set(v.elems.map((e) => e.kind));
      if (kinds.has('graph')) {
        if (kinds.size > 1) failAt(ctx, TEXT_ERROR_CODES.attr, 'a list mixes graphs and other values', v.pos, extra);
        if (suffix && suffix !== 'graphs') failAt(ctx, TEXT_ERROR_CODES.attr, `a list of graphs cannot be ': ${suffix}'`, v.suffix!.pos, extra);
        return { kind: 'graphs', value: v.elems.map((e) => buildGraph(ctx, (e as { graph: AstGraph }).graph, scopes)) };
      }
      const lits = v.elems as readonly AstLiteral[];
      if (kinds.has('string')) {
        if (kinds.size > 1) failAt(ctx, TEXT_ERROR_CODES.attr, 'a list mixes strings and numbers', v.pos, extra);
        if (suffix && suffix !== 'strings') failAt(ctx, TEXT_ERROR_CODES.attr, `a list of strings cannot be ': ${suffix}'`, v.suffix!.pos, extra);
        return { kind: 'strings', value: lits.map((l) => l.text) };
      }
      if (lits.length === 0) {
        if (!suffix || suffix === 'f64') failAt(ctx, TEXT_ERROR_CODES.attr, "an empty list needs its kind: '[] : ints', ': floats', ': strings' or ': graphs'", v.pos, extra);
        if (suffix === 'graphs') return { kind: 'graphs', value: [] };
        return suffix === 'ints' ? { kind: 'ints', value: [] } : suffix === 'floats' ? { kind: 'floats', value: [] } : { kind: 'strings', value: [] };
      }
      // Numbers: a list with any float literal (or marked floats/f64) is a float list.
      const isFloat = kinds.has('float') || suffix === 'floats' || suffix === 'f64';
      if (suffix && suffix !== (isFloat ? (suffix === 'f64' ? 'f64' : 'floats') : 'ints'))
        failAt(ctx, TEXT_ERROR_CODES.attr, `a list of ${isFloat ? 'floats' : 'integers'} cannot be ': ${suffix}'`, v.suffix!.pos, extra);
      if (!isFloat) return { kind: 'ints', value: lits.map((l) => intValue(ctx, l, extra)) };
      return { kind: 'floats', value: lits.map((l) => floatValue(ctx, l, suffix === 'f64', extra)) };
    }
  }
}

/** Checks an optional `: suffix` against the allowed words; returns whether one was given. */
function suffixIs(ctx: BuildContext, s: Spanned<string> | undefined, allowed: readonly string[], extra: LocExtra): boolean {
  if (!s) return false;
  if (!allowed.includes(s.value))
    failAt(ctx, TEXT_ERROR_CODES.attr, allowed.length ? `unknown suffix ': ${s.value}' (expected ${allowed.join(', ')})` : `this value takes no ': ${s.value}'`, s.pos, extra);
  return true;
}

function intValue(ctx: BuildContext, l: AstLiteral, extra: LocExtra): number {
  if (l.kind !== 'int') failAt(ctx, TEXT_ERROR_CODES.attr, `expected an integer, got '${l.text}'`, l.pos, extra);
  const b = BigInt(l.text);
  // 2^63 is allowed: it is how INT64_MAX reads as a JS number, and prints back as such.
  if (b < -(2n ** 63n) || b > 2n ** 63n) failAt(ctx, TEXT_ERROR_CODES.literal, `${l.text} does not fit an int64 attribute`, l.pos, extra);
  return Number(l.text);
}

/** Float attributes are float32 (as in ONNX) unless marked `: f64`. */
function floatValue(ctx: BuildContext, l: AstLiteral, f64: boolean, extra: LocExtra): number {
  if (l.kind === 'string') failAt(ctx, TEXT_ERROR_CODES.attr, `expected a number, got a string`, l.pos, extra);
  const r = parseFloatBits(l.text, f64 ? 64 : 32, ctx.scratch);
  if (!r.ok) failAt(ctx, TEXT_ERROR_CODES.literal, r.reason, l.pos, extra);
  if (f64) {
    ctx.scratch.u64[0] = r.bits;
    return ctx.scratch.f64[0]!;
  }
  ctx.scratch.u32[0] = Number(r.bits);
  return ctx.scratch.f32[0]!;
}
