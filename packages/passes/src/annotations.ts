/**
 * How pass results are recorded in the IR (documented in docs/passes.md):
 * attributes in the `lstmc.` namespace on LSTM nodes, and derived tensors
 * (encodings, quantized weights) as initializers named by those attributes.
 * Per-direction values are arrays indexed by direction (0 forward, 1 reverse).
 */
import { ANNOTATION_PREFIX, type Attr, type Graph, type Node, type Tensor, makeNode, mapSubgraphs, tensorType, updateGraph } from '@lstmc/ir';
import type { BuiltinProperty } from './properties.js';

export const ANN = {
  sparsityW: 'lstmc.sparsity.W',
  sparsityR: 'lstmc.sparsity.R',
  sparsityWGates: 'lstmc.sparsity.W.gates',
  sparsityRGates: 'lstmc.sparsity.R.gates',
  inputSparsityW: 'lstmc.input_sparsity.W',
  inputSparsityR: 'lstmc.input_sparsity.R',
  modeW: 'lstmc.mode.W',
  modeR: 'lstmc.mode.R',
  modeWRuntime: 'lstmc.mode.W.runtime',
  modeRRuntime: 'lstmc.mode.R.runtime',
  modeWZeroCount: 'lstmc.mode.W.zero_count',
  modeRZeroCount: 'lstmc.mode.R.zero_count',
  modeCombine: 'lstmc.mode.combine',
  modeWeightThresholdW: 'lstmc.mode.W.weight_threshold',
  modeWeightThresholdR: 'lstmc.mode.R.weight_threshold',
  modeInputThresholdW: 'lstmc.mode.W.input_threshold',
  modeInputThresholdR: 'lstmc.mode.R.input_threshold',
  /** Per direction, the weight precision on the JS runtime (`f32` or `int8`), from select-mode{cost=cpu}. */
  modeWeightsW: 'lstmc.mode.W.weights',
  modeWeightsR: 'lstmc.mode.R.weights',
  /** [max abs error of h (Y, Y_h), of c (Y_c)] of the layer on int8 weights vs f32 on the calibration data, from select-mode{cost=cpu}. */
  modeInt8Error: 'lstmc.mode.int8_error',
  encFormat: 'lstmc.enc.format',
  encW: 'lstmc.enc.W',
  encR: 'lstmc.enc.R',
  qW: 'lstmc.q.W',
  qR: 'lstmc.q.R',
  qB: 'lstmc.q.B',
  qP: 'lstmc.q.P',
  qWFrac: 'lstmc.q.W.frac',
  qRFrac: 'lstmc.q.R.frac',
  qPFrac: 'lstmc.q.P.frac',
  qXFrac: 'lstmc.q.x_frac',
  qHFrac: 'lstmc.q.h_frac',
  qCFrac: 'lstmc.q.c_frac',
  qAccFrac: 'lstmc.q.acc_frac',
  qWeightBits: 'lstmc.q.weight_bits',
  /** [max abs error of h (Y, Y_h), of c (Y_c)] of the fixed-point layer vs float32 on the calibration data. */
  qError: 'lstmc.q.error',
  deltaThreshold: 'lstmc.delta.threshold',
  deltaSparsity: 'lstmc.delta.sparsity',
  deltaError: 'lstmc.delta.error',
} as const satisfies Record<string, `${typeof ANNOTATION_PREFIX}${string}`>;

/** Attribute prefixes that hold each built-in property. */
export const PROPERTY_ANNOTATIONS = {
  folded: [],
  'weight-sparsity': ['lstmc.sparsity.'],
  'input-sparsity': ['lstmc.input_sparsity.'],
  modes: ['lstmc.mode.'],
  encoded: ['lstmc.enc.'],
  quantized: ['lstmc.q.'],
  delta: ['lstmc.delta.'],
} as const satisfies Record<BuiltinProperty, readonly string[]>;

export const floatsAttr = (v: readonly number[]): Attr => ({ kind: 'floats', value: Object.freeze([...v]) });
export const intsAttr = (v: readonly number[]): Attr => ({ kind: 'ints', value: Object.freeze([...v]) });
export const stringsAttr = (v: readonly string[]): Attr => ({ kind: 'strings', value: Object.freeze([...v]) });
export const stringAttr = (v: string): Attr => ({ kind: 'string', value: v });

export function getFloats(n: Node, key: string): readonly number[] | undefined {
  const a = n.attrs[key];
  return a && (a.kind === 'floats' || a.kind === 'ints') ? a.value : undefined;
}
export function getStrings(n: Node, key: string): readonly string[] | undefined {
  const a = n.attrs[key];
  return a && a.kind === 'strings' ? a.value : undefined;
}
export function getString(n: Node, key: string): string | undefined {
  const a = n.attrs[key];
  return a && a.kind === 'string' ? a.value : undefined;
}

/** Attributes to set on a node (undefined removes one). */
export type AttrPatch = Record<string, Attr | undefined>;

/** A node with some attributes set (undefined removes); the same node when nothing differs. */
export function withAttrs(n: Node, patch: Readonly<AttrPatch>): Node {
  const attrs: Record<string, Attr> = { ...n.attrs };
  let changed = false;
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) {
      if (k in attrs) {
        delete attrs[k];
        changed = true;
      }
    } else if (!attrEquals(attrs[k], v)) {
      attrs[k] = v;
      changed = true;
    }
  }
  return changed ? makeNode({ ...n, attrs }) : n;
}

function attrEquals(a: Attr | undefined, b: Attr): boolean {
  if (!a || a.kind !== b.kind) return false;
  if (Array.isArray(a.value) && Array.isArray(b.value))
    return a.value.length === b.value.length && a.value.every((x, i) => Object.is(x, (b.value as unknown[])[i]));
  return Object.is(a.value, b.value);
}

/**
 * Names of initializers referenced by `lstmc.*` string attributes (kept alive
 * by DCE): a value names an initializer, or is the base name `b` of a group of
 * initializers `b.<part>` (encodings).
 */
export function annotationReferences(g: Graph, prefixes: readonly string[] = [ANNOTATION_PREFIX]): Set<string> {
  const out = new Set<string>();
  const lstmcInits = [...g.initializers.keys()].filter((k) => k.startsWith(ANNOTATION_PREFIX));
  const byPrefix = (v: string) => (v.startsWith(ANNOTATION_PREFIX) ? lstmcInits.filter((k) => k.startsWith(`${v}.`)) : []);
  for (const n of g.nodes)
    for (const [k, a] of Object.entries(n.attrs)) {
      if (!prefixes.some((p) => k.startsWith(p))) continue;
      const vals = a.kind === 'string' ? [a.value] : a.kind === 'strings' ? a.value : [];
      for (const v of vals) {
        if (!v) continue;
        if (g.initializers.has(v)) out.add(v);
        for (const name of byPrefix(v)) out.add(name);
      }
    }
  return out;
}

/**
 * Remove the annotations with the given prefixes, and the initializers only
 * they referenced. Nodes without such annotations keep their identity.
 */
export function dropAnnotations(g: Graph, prefixes: readonly string[]): Graph {
  if (prefixes.length === 0) return g;
  const refsBefore = annotationReferences(g, prefixes);
  let changed = false;
  const nodes = g.nodes.map((n) => {
    const patch: Record<string, undefined> = {};
    for (const k of Object.keys(n.attrs)) if (prefixes.some((p) => k.startsWith(p))) patch[k] = undefined;
    // LSTM passes annotate the LSTMs inside If branches too (branch-lstms.ts).
    const m = mapSubgraphs(withAttrs(n, patch), (sg) => dropAnnotations(sg, prefixes));
    if (m !== n) changed = true;
    return m;
  });
  if (!changed) return g;
  const g2 = updateGraph(g, { nodes });
  const stillUsed = new Set<string>([...annotationReferences(g2), ...g2.nodes.flatMap((n) => n.inputs), ...g2.outputs]);
  const dead = [...refsBefore].filter((r) => !stillUsed.has(r));
  return dead.length ? removeInitializers(g2, dead) : g2;
}

/** Every `lstmc.*` annotation removed (what an exported ONNX model must not carry). */
export function stripAllAnnotations(g: Graph): Graph {
  return dropAnnotations(g, [ANNOTATION_PREFIX]);
}

export function removeInitializers(g: Graph, names: readonly string[]): Graph {
  const inits = new Map(g.initializers);
  const values = new Map(g.values);
  for (const n of names) {
    inits.delete(n);
    values.delete(n);
  }
  return updateGraph(g, { initializers: inits, values });
}

/** Add (or replace) initializers with their value types. */
export function addInitializers(g: Graph, add: ReadonlyMap<string, Tensor>): Graph {
  if (add.size === 0) return g;
  const inits = new Map(g.initializers);
  const values = new Map(g.values);
  for (const [name, t] of add) {
    inits.set(name, t);
    values.set(name, { name, type: tensorType(t.dtype, t.dims, t.fixed) });
  }
  return updateGraph(g, { initializers: inits, values });
}

/** Deterministic name of a derived initializer: `lstmc.<node>.<matrix>.d<dir>.<part>`. */
export function derivedName(node: Node, matrix: string, dir: number, part: string): string {
  return `lstmc.${node.name}.${matrix}.d${dir}.${part}`;
}

/** Apply attribute patches to nodes; untouched nodes (and an untouched graph) keep identity. */
export function patchNodes(g: Graph, patches: ReadonlyMap<Node, Readonly<AttrPatch>>): Graph {
  let changed = false;
  const nodes = g.nodes.map((n) => {
    const patch = patches.get(n);
    if (!patch) return n;
    const m = withAttrs(n, patch);
    if (m !== n) changed = true;
    return m;
  });
  return changed ? updateGraph(g, { nodes }) : g;
}
