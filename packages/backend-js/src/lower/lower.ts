import {
  DiagnosticError,
  type Dim,
  type Graph,
  type Location,
  type TensorType,
  fail,
  isKnownOp,
  isStaticShape,
  opDef,
  parseAttrs,
  verifyGraph,
} from '@lstmc/ir';
import type { KernelRegistry, RtDim, RtTensor, RuntimeModel } from '@lstmc/runtime';
import { createBuilder, type ModelBuilder } from './builder.js';
import { finalizeModel } from './finalize.js';
import { loweringRule } from './rules.js';
import type { FixedNumerics, RuleContext } from './rule.js';
import { irToRtTensor, requireRtDType } from './tensors.js';

export interface LowerOptions {
  /** Model file name for diagnostics. */
  readonly file?: string;
  /** Run the IR verifier first (default true). */
  readonly verify?: boolean;
  /** Largest tensor (elements) folded at compile time (default 4M). */
  readonly foldLimit?: number;
  /** Kernels the target runtime offers (default: the runtime's built-ins). */
  readonly kernels?: KernelRegistry;
  /** Fixed-point numerics: LSTMs run as the accelerator's arithmetic (`lstm.fixed`) with these target widths. */
  readonly fixed?: FixedWidths;
}

/** The target widths fixed-point numerics take (the rest comes from the quantize pass's annotations). */
export type FixedWidths = Omit<FixedNumerics, 'initializer' | 'producer'>;

/** IR shape -> runtime shape. Unnamed unknown dims ('?') get a name of their own, so they never bind to each other. */
function rtShape(name: string, t: TensorType): RtDim[] | null {
  if (!t.shape) return null;
  return t.shape.map((d: Dim, k) => (d === '?' ? `?${name}#${k}` : d));
}

/**
 * Lowers a typed IR graph into a runtime graph: every node through its lowering rule (rules.ts),
 * constants folded, nodes nothing needs removed. Opaque (unknown) ops are refused by name.
 */
export function lowerToRuntime(g: Graph, opts: LowerOptions = {}): RuntimeModel {
  const file = opts.file;
  if (opts.verify !== false) {
    const errs = verifyGraph(g, { file });
    if (errs.length) throw new DiagnosticError(errs[0]!);
  }
  for (const n of g.nodes)
    if (!isKnownOp(n.op, n.domain))
      fail('E-JS-UNSUPPORTED-OP', `the JS backend has no kernel for op '${n.op}' of domain '${n.domain || 'ai.onnx'}'`, { file, node: n.name, field: n.op });

  const b = createBuilder({ file, kernels: opts.kernels, foldLimit: opts.foldLimit });
  const producers = new Map(g.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
  const fixed: FixedNumerics | undefined = opts.fixed && { ...opts.fixed, initializer: (name) => g.initializers.get(name), producer: (name) => producers.get(name) };
  const typeOf = (name: string, loc: Location): TensorType => {
    const v = g.values.get(name);
    if (!v) fail('E-IR-NO-TYPE', `value '${name}' has no type`, { ...loc, field: name });
    return v.type;
  };
  // A graph input with an initializer is a constant with a default value (ONNX IR >= 4); like
  // onnxruntime when it is not fed, the runtime graph keeps it constant.
  const inputs: number[] = [];
  for (const name of g.inputs) {
    if (g.initializers.has(name)) continue;
    const t = typeOf(name, { file });
    inputs.push(b.define(name, requireRtDType(t.dtype, { file, field: name }), rtShape(name, t)));
  }
  const valueOf = (name: string, loc: Location): number => {
    const v = b.lookup(name);
    if (v !== undefined) return v;
    const init = g.initializers.get(name);
    if (!init) throw new Error(`lowering: value '${name}' is not defined before use`);
    return b.constant(name, irToRtTensor(init, { ...loc, field: name }));
  };

  for (const node of g.nodes) {
    const loc: Location = { file, node: node.name };
    if (foldShapeFacts(b, g, node)) continue;
    const def = opDef(node.op, node.domain)!;
    const rule = loweringRule(node.op, node.domain);
    if (!rule) fail('E-JS-UNSUPPORTED-OP', `the JS backend has no kernel for op '${node.op}'`, { ...loc, field: node.op });
    const ctx = ruleContext(b, node, parseAttrs(node, def, loc), g.opsets[node.domain === 'ai.onnx' ? '' : node.domain] ?? g.opsets[''] ?? 22, loc, valueOf, typeOf, fixed);
    rule(ctx);
  }

  const outputs = g.outputs.map((name) => valueOf(name, { file, field: name }));
  const metadata: Record<string, string> = { producer: 'lstmc', graph: g.name };
  for (const [k, v] of Object.entries(g.metadata)) if (k.startsWith('onnx.')) metadata[k] = v;
  return finalizeModel({ values: b.values, nodes: b.nodes, inputs, outputs, metadata });
}

/**
 * A node whose outputs are all integer shape vectors (or scalars) whose elements type inference
 * knows as numbers (Shape of a static shape, Gather/Concat/Cast of those) needs not run: its
 * outputs become constants. Returns whether it did.
 */
function foldShapeFacts(b: ModelBuilder, g: Graph, node: Graph['nodes'][number]): boolean {
  if (node.op === 'Constant' || node.op === 'LSTM') return false;
  const facts: [string, RtTensor][] = [];
  for (const o of node.outputs) {
    if (!o) continue;
    const v = g.values.get(o);
    const sv = v?.shapeValue;
    const shape = v?.type.shape;
    if (!v || !sv || !sv.every((d): d is number => typeof d === 'number') || !isStaticShape(shape) || shape.length > 1) return false;
    if ((shape.length === 0 ? 1 : shape[0]) !== sv.length || (v.type.dtype !== 'i64' && v.type.dtype !== 'i32')) return false;
    const data = v.type.dtype === 'i64' ? BigInt64Array.from(sv, (d) => BigInt(d)) : Int32Array.from(sv);
    facts.push([o, { dtype: v.type.dtype, shape: [...shape], data }]);
  }
  if (facts.length === 0) return false;
  for (const [name, t] of facts) b.constant(name, t);
  return true;
}

function ruleContext(
  b: ModelBuilder,
  node: Graph['nodes'][number],
  attrs: RuleContext['attrs'],
  opset: number,
  loc: Location,
  valueOf: (name: string, loc: Location) => number,
  typeOf: (name: string, loc: Location) => TensorType,
  fixed?: FixedNumerics,
): RuleContext {
  const inName = (i: number) => node.inputs[i] ?? '';
  const outName = (i: number) => node.outputs[i] ?? '';
  return {
    node,
    attrs,
    fixed,
    opset,
    loc,
    input: (i) => (inName(i) ? valueOf(inName(i), loc) : -1),
    output: (i) => {
      const name = outName(i);
      if (!name) return -1;
      const have = b.lookup(name);
      if (have !== undefined) return have;
      const t = typeOf(name, loc);
      return b.define(name, requireRtDType(t.dtype, { ...loc, field: name }), rtShape(name, t));
    },
    inputType: (i) => (inName(i) ? typeOf(inName(i), loc) : undefined),
    constant: (i) => (inName(i) ? b.constantOf(valueOf(inName(i), loc)) : undefined),
    setConstant: (i, t) => {
      b.constant(outName(i), irToRtTensor(t, loc));
    },
    temp: (base, dtype, shape) => b.define(b.fresh(base), dtype, shape),
    constantValue: (base, t) => b.constant(b.fresh(`${node.name}.${base}`), t),
    emit: (kernel, inputs, outputs, kattrs, mode) => b.emit({ kernel, name: node.name, inputs, outputs, attrs: kattrs ?? {}, ...(mode ? { mode } : {}) }),
  };
}
