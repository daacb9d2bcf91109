/** Test-only: the context an op's `infer` runs in, with every input's value known (as constant folding sees it). */
import { elemNumber, type InferContext, type OpDef, type OpTensor } from '../../src/index.js';

/** A failure of `infer`, with its diagnostic code and field. */
export class InferFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Inputs' types come from the tensors; failures throw an InferFailure (code, message, field). */
export function inferContext(node: InferContext['node'], inputs: readonly (OpTensor | undefined)[], attrs: InferContext['attrs'], opset: number): InferContext {
  let fresh = 0;
  return {
    node,
    inputs: inputs.map((t) => t && { dtype: t.dtype, shape: t.shape }),
    attrs,
    opset,
    constant: (i) => inputs[i],
    fail: (code, message, field) => {
      throw new InferFailure(code, message, field);
    },
    fresh: (hint) => `?${hint}${++fresh}`,
    shapeValue: (i) => {
      const t = inputs[i];
      if (!t || t.shape.length > 1 || (t.dtype !== 'i64' && t.dtype !== 'i32')) return undefined;
      return Array.from({ length: t.data.length }, (_, k) => elemNumber(t, k));
    },
    setShapeValue: () => undefined,
  };
}


/** Declared defaults of an op's attributes with `given` over them (what parsed attributes hold). */
export function attrsWithDefaults(def: OpDef, given: InferContext['attrs'] = {}): InferContext['attrs'] {
  const out: Record<string, InferContext['attrs'][string]> = {};
  for (const [k, spec] of Object.entries(def.attrs)) if (spec.default !== undefined) out[k] = spec.default;
  return { ...out, ...given };
}

/** The diagnostic code `f` fails with, or undefined when it does not fail. */
export function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof InferFailure) return e.code;
    throw e;
  }
  return undefined;
}
