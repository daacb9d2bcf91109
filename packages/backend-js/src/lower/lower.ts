import {
  DiagnosticError,
  type Dim,
  type Graph,
  type Location,
  type Tensor,
  type TensorType,
  fail,
  isKnownOp,
  isStaticShape,
  localDefinitions,
  nodeOpset,
  opDef,
  parseAttrs,
  verifyGraph,
  walkNodes,
} from '@lstmc/ir';
import { ANN, getFloats } from '@lstmc/passes';
import type { KernelRegistry, RtDim, RtTensor, RuntimeModel } from '@lstmc/runtime';
import { createBuilder, type ModelBuilder } from './builder.js';
import { finalizeModel } from './finalize.js';
import { fuseLstmTransposes } from './lstm-fusions.js';
import { loweringRule } from './rules.js';
import type { FixedNumerics, RuleContext } from './rule.js';
import { irToRtTensor, requireRtDType } from './tensors.js';
import { lowerIf } from './lower-if.js';

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
 * constants folded, transposes of an LSTM's Y and states fused into it (lstm-fusions.ts), nodes nothing
 * needs removed; If nodes lower their branches recursively
 * (lower-if.ts). Opaque (unknown) ops are refused by name, inside branches too.
 */
export function lowerToRuntime(g: Graph, opts: LowerOptions = {}): RuntimeModel {
  const file = opts.file;
  if (opts.verify !== false) {
    const errs = verifyGraph(g, { file });
    if (errs.length) throw new DiagnosticError(errs[0]!);
  }
  const b = createBuilder({ file, kernels: opts.kernels, foldLimit: opts.foldLimit });
  const main: Scope = { graph: g, names: new Map() };
  const reserved = new Set([...g.inputs, ...localDefinitions(g)]);
  const lw: Lowering = { b, opts, reserved };
  // A graph input with an initializer is a constant with a default value (ONNX IR >= 4); like
  // onnxruntime when it is not fed, the runtime graph keeps it constant.
  const inputs: number[] = [];
  for (const name of g.inputs) {
    if (g.initializers.has(name)) continue;
    const t = typeOf(main, name, { file });
    const vi = b.define(name, requireRtDType(t.dtype, { file, field: name }), rtShape(name, t));
    main.names.set(name, vi);
    inputs.push(vi);
  }
  lowerNodes(lw, main);
  const outputs = g.outputs.map((name) => valueOf(lw, main, name, { file, field: name }));
  const metadata: Record<string, string> = { producer: 'lstmc', graph: g.name };
  for (const [k, v] of Object.entries(g.metadata)) if (k.startsWith('onnx.')) metadata[k] = v;
  const int8 = int8Error(g);
  if (int8 !== undefined) metadata[INT8_ERROR_KEY] = String(int8);
  return finalizeModel({ values: b.values, nodes: fuseLstmTransposes(b.nodes, outputs), inputs, outputs, metadata });
}

/**
 * The metadata key of the largest int8 error select-mode{cost=cpu} measured on the calibration data
 * (max abs of h and c vs f32, over the LSTMs on int8 weights, If branches too), as a decimal string;
 * `lstmc run --check` takes its tolerance from it.
 */
export const INT8_ERROR_KEY = 'lstmc.int8_error';

function int8Error(g: Graph): number | undefined {
  let max: number | undefined;
  walkNodes(g, (n) => {
    const e = n.op === 'LSTM' ? getFloats(n, ANN.modeInt8Error) : undefined;
    if (e) max = Math.max(max ?? 0, ...e);
  });
  return max;
}

/** Ops with subgraphs that lstmc does not run; named in the refusal. */
const CONTROL_FLOW_OPS = new Set(['Loop', 'Scan', 'SequenceMap']);

/** One graph being lowered (the main graph or an If branch) and the graphs enclosing it. */
interface Scope {
  readonly graph: Graph;
  readonly parent?: Scope;
  /** IR value name -> runtime value index, for what this graph defines. */
  readonly names: Map<string, number>;
}

interface Lowering {
  readonly b: ModelBuilder;
  readonly opts: LowerOptions;
  /** Names the main graph defines: branch values never take them (graph outputs keep their names). */
  readonly reserved: ReadonlySet<string>;
}

function findScope(scope: Scope, name: string): Scope | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) if (s.names.has(name) || s.graph.initializers.has(name)) return s;
  return undefined;
}

function typeOf(scope: Scope, name: string, loc: Location): TensorType {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const v = s.graph.values.get(name);
    if (v) return v.type;
  }
  fail('E-IR-NO-TYPE', `value '${name}' has no type`, { ...loc, field: name });
}

/** A runtime name for a value a branch defines: its IR name unless the model already uses it. */
function runtimeName(lw: Lowering, scope: Scope, name: string): string {
  if (!scope.parent) return name;
  return lw.reserved.has(name) || lw.b.lookup(name) !== undefined ? lw.b.fresh(name) : name;
}

function valueOf(lw: Lowering, scope: Scope, name: string, loc: Location): number {
  const s = findScope(scope, name);
  if (!s) throw new Error(`lowering: value '${name}' is not defined before use`);
  const have = s.names.get(name);
  if (have !== undefined) return have;
  const v = lw.b.constant(runtimeName(lw, s, name), irToRtTensor(s.graph.initializers.get(name)!, { ...loc, field: name }));
  s.names.set(name, v);
  return v;
}

function defineOutput(lw: Lowering, scope: Scope, name: string, loc: Location): number {
  const have = scope.names.get(name);
  if (have !== undefined) return have;
  const t = typeOf(scope, name, loc);
  const v = lw.b.define(runtimeName(lw, scope, name), requireRtDType(t.dtype, { ...loc, field: name }), rtShape(name, t));
  scope.names.set(name, v);
  return v;
}

function lowerNodes(lw: Lowering, scope: Scope): void {
  const { b, opts } = lw;
  const g = scope.graph;
  const producers = new Map(g.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
  const initializer = (name: string): Tensor | undefined => findScope(scope, name)?.graph.initializers.get(name);
  const fixed: FixedNumerics | undefined = opts.fixed && { ...opts.fixed, initializer, producer: (name) => producers.get(name) };
  for (const node of g.nodes) {
    const loc: Location = { file: opts.file, node: node.name };
    // Checked as nodes are lowered: a branch that a known condition never takes may hold anything.
    if (!isKnownOp(node.op, node.domain))
      fail(
        'E-JS-UNSUPPORTED-OP',
        CONTROL_FLOW_OPS.has(node.op) && !node.domain
          ? `the JS backend does not implement control flow op '${node.op}' (only If)`
          : `the JS backend has no kernel for op '${node.op}' of domain '${node.domain || 'ai.onnx'}'`,
        { ...loc, field: node.op },
      );
    if (node.op === 'If' && !node.domain) {
      lowerIf(node, loc, {
        cond: () => valueOf(lw, scope, node.inputs[0]!, loc),
        branch: (sub, sink) => {
          const inner: Scope = { graph: sub, parent: scope, names: new Map() };
          if (sink) b.withSink(sink, () => lowerNodes(lw, inner));
          else lowerNodes(lw, inner);
          return sub.outputs.map((o) => valueOf(lw, inner, o, { ...loc, field: o }));
        },
        output: (i) => (node.outputs[i] ? defineOutput(lw, scope, node.outputs[i]!, loc) : -1),
        alias: (i, v) => scope.names.set(node.outputs[i]!, v),
        isGraphOutput: (i) => !scope.parent && g.outputs.includes(node.outputs[i] ?? ''),
        b,
      });
      continue;
    }
    if (foldShapeFacts(lw, scope, node)) continue;
    const def = opDef(node.op, node.domain)!;
    const rule = loweringRule(node.op, node.domain);
    if (!rule) fail('E-JS-UNSUPPORTED-OP', `the JS backend has no kernel for op '${node.op}'`, { ...loc, field: node.op });
    const ctx = ruleContext(
      b,
      node,
      parseAttrs(node, def, loc),
      nodeOpset(g, node),
      loc,
      (name, at) => valueOf(lw, scope, name, at),
      (name, at) => typeOf(scope, name, at),
      (name, at) => defineOutput(lw, scope, name, at),
      (name, v) => scope.names.set(name, v),
      fixed,
    );
    rule(ctx);
  }
}

/**
 * A node whose outputs are all integer shape vectors (or scalars) whose elements type inference
 * knows as numbers (Shape of a static shape, Gather/Concat/Cast of those) needs not run: its
 * outputs become constants. Returns whether it did.
 */
function foldShapeFacts(lw: Lowering, scope: Scope, node: Graph['nodes'][number]): boolean {
  if (node.op === 'Constant' || node.op === 'LSTM' || node.op === 'If') return false;
  const facts: [string, RtTensor][] = [];
  for (const o of node.outputs) {
    if (!o) continue;
    const v = scope.graph.values.get(o);
    const sv = v?.shapeValue;
    const shape = v?.type.shape;
    if (!v || !sv || !sv.every((d): d is number => typeof d === 'number') || !isStaticShape(shape) || shape.length > 1) return false;
    if ((shape.length === 0 ? 1 : shape[0]) !== sv.length || (v.type.dtype !== 'i64' && v.type.dtype !== 'i32')) return false;
    const data = v.type.dtype === 'i64' ? BigInt64Array.from(sv, (d) => BigInt(d)) : Int32Array.from(sv);
    facts.push([o, { dtype: v.type.dtype, shape: [...shape], data }]);
  }
  if (facts.length === 0) return false;
  for (const [name, t] of facts) scope.names.set(name, lw.b.constant(runtimeName(lw, scope, name), t));
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
  defineOutput: (name: string, loc: Location) => number,
  bind: (name: string, v: number) => void,
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
    output: (i) => (outName(i) ? defineOutput(outName(i), loc) : -1),
    inputType: (i) => (inName(i) ? typeOf(inName(i), loc) : undefined),
    constant: (i) => (inName(i) ? b.constantOf(valueOf(inName(i), loc)) : undefined),
    setConstant: (i, t) => {
      bind(outName(i), b.constant(b.lookup(outName(i)) === undefined ? outName(i) : b.fresh(outName(i)), irToRtTensor(t, loc)));
    },
    temp: (base, dtype, shape) => b.define(b.fresh(base), dtype, shape),
    constantValue: (base, t) => b.constant(b.fresh(`${node.name}.${base}`), t),
    emit: (kernel, inputs, outputs, kattrs, mode) => b.emit({ kernel, name: node.name, inputs, outputs, attrs: kattrs ?? {}, ...(mode ? { mode } : {}) }),
  };
}
