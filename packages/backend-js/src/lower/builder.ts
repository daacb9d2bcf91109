import { type Location, fail } from '@lstmc/ir';
import {
  BUILTIN_KERNELS,
  isRuntimeError,
  parseAttrs,
  type AnyKernel,
  type KernelRegistry,
  type RtAttr,
  type RtDType,
  type RtDim,
  type RtExecMode,
  type RtNode,
  type RtTensor,
  type RtValue,
} from '@lstmc/runtime';

/** A runtime node before value renumbering: value indices into the builder's table. */
export interface NodeSpec {
  readonly kernel: string;
  /** Source location: the IR (ONNX) node name. */
  readonly name: string;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly attrs?: Readonly<Record<string, RtAttr>>;
  readonly mode?: RtExecMode;
}

export interface BuilderOptions {
  /** Kernels available at run time; defaults to the runtime's built-ins. */
  readonly kernels?: KernelRegistry;
  /** Largest result (elements) folded at compile time; bigger ones are computed at run time. */
  readonly foldLimit?: number;
  readonly file?: string;
}

/**
 * Accumulates the runtime graph while lowering. `emit` folds a node whose inputs are all constants
 * by running its runtime kernel now (the kernels are the one definition of op semantics, so a
 * folded result equals what the runtime would compute), and tracks the known elements of small
 * integer vectors (shape computations) so that Shape -> Gather -> Concat chains fold as far as
 * the static dims allow; what cannot be folded is emitted and runs at run time.
 */
export interface ModelBuilder {
  readonly values: RtValue[];
  readonly nodes: RtNode[];
  /** Index of a named value, if defined. */
  lookup(name: string): number | undefined;
  /** Defines a value without data (a graph input or a node output). */
  define(name: string, dtype: RtDType, shape: readonly RtDim[] | null): number;
  /** Defines a constant value. */
  constant(name: string, t: RtTensor): number;
  /** A fresh value name derived from `base`. */
  fresh(base: string): string;
  isConstant(v: number): boolean;
  constantOf(v: number): RtTensor | undefined;
  emit(n: NodeSpec): void;
  /** Appends a node as it is (control flow: no kernel to check or fold with). */
  emitRaw(n: RtNode): void;
  /** Runs `f` with emitted nodes going to `sink` (a branch being lowered) instead of the current list. */
  withSink<T>(sink: RtNode[], f: () => T): T;
  readonly kernels: KernelRegistry;
}

/** Kernels never evaluated at compile time: they carry stream state. */
function foldable(k: AnyKernel): boolean {
  return !k.stateful;
}

export function createBuilder(opts: BuilderOptions = {}): ModelBuilder {
  const kernels: KernelRegistry = opts.kernels ?? BUILTIN_KERNELS;
  const foldLimit = opts.foldLimit ?? 1 << 22;
  const values: RtValue[] = [];
  const nodes: RtNode[] = [];
  let target = nodes;
  const byName = new Map<string, number>();
  let counter = 0;

  const add = (v: RtValue): number => {
    if (byName.has(v.name)) throw new Error(`lowering: value '${v.name}' defined twice`);
    byName.set(v.name, values.length);
    values.push(v);
    return values.length - 1;
  };
  const constantOf = (v: number) => (v >= 0 ? values[v]!.data : undefined);
  /** Replaces a defined value by a constant with the same name. */
  const makeConstant = (v: number, t: RtTensor) => {
    const old = values[v]!;
    values[v] = { name: old.name, dtype: t.dtype, shape: [...t.shape], data: t };
  };

  const builder: ModelBuilder = {
    values,
    nodes,
    kernels,
    lookup: (name) => byName.get(name),
    define: (name, dtype, shape) => add({ name, dtype, shape: shape === null ? null : [...shape] }),
    constant: (name, t) => add({ name, dtype: t.dtype, shape: [...t.shape], data: t }),
    fresh: (base) => {
      let name: string;
      do name = `${base}.${counter++}`;
      while (byName.has(name));
      return name;
    },
    isConstant: (v) => constantOf(v) !== undefined,
    constantOf,
    emit(n) {
      const loc: Location = { file: opts.file, node: n.name };
      const kernel = kernels[n.kernel];
      if (!kernel) throw new Error(`lowering: no runtime kernel '${n.kernel}' (node ${n.name})`);
      const attrs = n.attrs ?? {};
      // Parsing here also checks every emitted node against its kernel's schema at compile time.
      const parsed = parseAttrs(kernel.attrs, attrs, `${n.name}.attrs`);
      const node: RtNode = { kernel: n.kernel, name: n.name, inputs: [...n.inputs], outputs: [...n.outputs], attrs, ...(n.mode ? { mode: n.mode } : {}) };
      const inputs = n.inputs.map((i) => (i < 0 ? null : (constantOf(i) ?? null)));
      const allConst = n.inputs.every((i, k) => i < 0 || inputs[k] !== null);
      if (allConst && foldable(kernel) && n.outputs.some((o) => o >= 0)) {
        let outs: readonly (RtTensor | null)[];
        try {
          // Plain JS kernels at compile time: folded constants do not depend on the build machine.
          const env = { matvec: 'js' } as const;
          outs = kernel.run({
            attrs: parsed,
            inputs,
            wanted: n.outputs.map((o) => o >= 0),
            nodeName: n.name,
            env,
            ...(kernel.prepare ? { prepared: kernel.prepare(parsed, inputs, env) } : {}),
          });
        } catch (e) {
          if (isRuntimeError(e)) fail('E-JS-FOLD', `evaluating ${n.kernel} on constant inputs failed: ${e.message}`, loc);
          throw e;
        }
        // A result no bigger than its inputs, or a re-layout of them (LSTM weight packing, padded
        // to k-quads), is always folded; a bigger one (ConstantOfShape, broadcasts) only up to the limit.
        const inSize = inputs.reduce((s, t) => s + (t ? t.data.length : 0), 0);
        const outSize = outs.reduce((s, t) => s + (t ? t.data.length : 0), 0);
        if (kernel.relayout || outSize <= Math.max(foldLimit, inSize)) {
          n.outputs.forEach((o, k) => {
            if (o >= 0) makeConstant(o, outs[k]!);
          });
          return;
        }
      }
      target.push(node);
    },
    emitRaw(n) {
      target.push(n);
    },
    withSink(sink, f) {
      const saved = target;
      target = sink;
      try {
        return f();
      } finally {
        target = saved;
      }
    },
  };
  return builder;
}
