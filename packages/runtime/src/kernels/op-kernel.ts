import { type AttrKind, type InferContext, type OpDef, type OpTensor, withOpsetRange } from '@lstmc/ops';
import { rtFail } from '../errors.js';
import type { RtAttrType, RtValue } from '../model.js';
import type { RtTensor } from '../tensor.js';
import { type AnyKernel, type AttrSchema, defineKernel } from './kernel.js';

/** Opset the reference evaluations assume when a node carries none (the newest semantics lstmc knows). */
export const DEFAULT_OPSET = 25;

const RT_ATTR_OF: Partial<Record<AttrKind, RtAttrType>> = {
  int: 'int',
  float: 'float',
  string: 'string',
  ints: 'ints',
  floats: 'floats',
  strings: 'strings',
  tensor: 'tensor',
};

/** The runtime attribute type of each of an op's attributes (subgraph attributes have none), plus `opset`. */
export function opAttrTypes(def: OpDef): Record<string, RtAttrType> {
  const out: Record<string, RtAttrType> = {};
  for (const [name, spec] of Object.entries(def.attrs)) {
    const type = RT_ATTR_OF[spec.kind];
    if (type) out[name] = type;
  }
  out.opset = 'int';
  return out;
}

function attrSchema(def: OpDef): AttrSchema {
  const out: Record<string, AttrSchema[string]> = {};
  for (const [name, type] of Object.entries(opAttrTypes(def))) {
    const spec = def.attrs[name];
    out[name] = { type, ...(spec?.default !== undefined ? { default: spec.default as never } : {}), ...(spec?.oneOf ? { oneOf: spec.oneOf } : {}) };
  }
  out.opset = { type: 'int', default: DEFAULT_OPSET };
  return out;
}

/** Load-time check: the op's own type inference on the manifest's types (constants unknown), its message if it fails. */
function inferCheck(op: string, def: OpDef, attrs: Readonly<Record<string, unknown>>, inputs: readonly (RtValue | null)[], outputs: readonly (RtValue | null)[]): string | undefined {
  let fresh = 0;
  const ctx: InferContext = {
    node: { op, name: '', outputs: outputs.map((o) => o?.name ?? '') },
    inputs: inputs.map((v) => (v ? { dtype: v.dtype, shape: v.shape ?? undefined } : undefined)),
    attrs: attrs as InferContext['attrs'],
    opset: (attrs.opset as number | undefined) ?? DEFAULT_OPSET,
    constant: (i) => inputs[i]?.data as OpTensor | undefined,
    fail: (_code, message) => {
      throw new CheckFailure(message);
    },
    fresh: (hint) => `?${hint}${++fresh}`,
    shapeValue: () => undefined,
    setShapeValue: () => undefined,
  };
  try {
    const types = def.infer(ctx);
    for (let i = 0; i < outputs.length; i++) {
      const o = outputs[i];
      const t = types[i];
      if (o && t && t.dtype !== o.dtype) return `output ${i} ('${o.name}') is ${o.dtype}, the op computes ${t.dtype}`;
    }
    return undefined;
  } catch (e) {
    if (e instanceof CheckFailure) return e.message;
    throw e;
  }
}

class CheckFailure extends Error {}

/**
 * The runtime kernel of an op of the table: its attributes, a load-time check by the op's own
 * inference, and its reference evaluation. Runtime nodes name the op (`Add`, `Conv`, ...) and
 * carry the ONNX attributes plus `opset`. The definition's opset range is enforced (withOpsetRange):
 * a node of an opset outside it fails its load-time check.
 */
export function opKernel(op: string, rawDef: OpDef): AnyKernel {
  const def = withOpsetRange(op, rawDef);
  const evaluate = def.eval ?? rtFail('E-RT-KERNEL', `${op} has no reference evaluation to run (its kernel is not an op kernel)`);
  const required = def.inputs.filter((p) => !p.optional && !p.variadic).length;
  const variadicIn = def.inputs.some((p) => p.variadic);
  const variadicOut = def.outputs.some((p) => p.variadic);
  return defineKernel({
    name: op,
    inputs: [variadicIn ? Math.max(required, 1) : required, variadicIn ? 1 << 16 : def.inputs.length],
    requiredInputs: required,
    outputs: [1, variadicOut ? 1 << 16 : def.outputs.length],
    attrs: attrSchema(def),
    check: (attrs, node) => inferCheck(op, def, attrs as Readonly<Record<string, unknown>>, node.inputs, node.outputs),
    run: (call) => {
      const { attrs, inputs, wanted } = call;
      const a = attrs as Readonly<Record<string, unknown>>;
      // Loops, not map: this runs for every op node of every run.
      const ins = new Array<OpTensor | undefined>(inputs.length);
      for (let i = 0; i < inputs.length; i++) ins[i] = inputs[i] ?? undefined;
      const outs = evaluate({
        inputs: ins as OpTensor[],
        attrs: a as InferContext['attrs'],
        opset: (a.opset as number | undefined) ?? DEFAULT_OPSET,
        wanted,
        fail: (message) => rtFail('E-RT-EXEC', message),
        alloc: call.alloc,
      });
      const res = new Array<RtTensor | null>(wanted.length);
      for (let i = 0; i < wanted.length; i++) res[i] = (outs[i] ?? (wanted[i] ? rtFail('E-RT-EXEC', `${op} produced no output ${i}`) : null)) as RtTensor | null;
      return res;
    },
  });
}
