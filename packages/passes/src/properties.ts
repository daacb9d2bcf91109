/**
 * Properties of a graph that passes require, establish and invalidate. They
 * are recorded in the graph (metadata key `lstmc.properties`) so a later
 * stage, e.g. the accelerator codegen, can check what was run on it.
 * Plugins may use their own property names; the built-in ones are listed here
 * with the IR annotations that hold them (see docs/passes.md).
 */
import type { Graph } from '@lstmc/ir';

export const BUILTIN_PROPERTIES = {
  folded: 'constants and shape-only subgraphs folded, dead nodes removed',
  'weight-sparsity': 'lstmc.sparsity.* attributes on every LSTM node',
  'input-sparsity': 'lstmc.input_sparsity.* attributes from calibration data',
  modes: 'lstmc.mode.* decisions on every LSTM node',
  encoded: 'sparse encodings of LSTM matrices as lstmc initializers',
  quantized: 'fixed-point LSTM weights and lstmc.q.* formats',
  delta: 'lstmc.delta.* thresholds on LSTM nodes',
} as const satisfies Record<string, string>;

export type BuiltinProperty = keyof typeof BUILTIN_PROPERTIES;

/** The pipeline step that establishes each built-in property (for diagnostics). */
export const PROPERTY_PROVIDERS = {
  folded: 'fold',
  'weight-sparsity': 'sparsity',
  'input-sparsity': 'sparsity{input=calibration}',
  modes: 'select-mode',
  encoded: 'encode',
  quantized: 'quantize',
  delta: 'delta',
} as const satisfies Record<BuiltinProperty, string>;

/** Property names are open to plugins; built-ins are checked at compile time where used. */
export type Property = BuiltinProperty | (string & {});

export const PROPERTIES_KEY = 'lstmc.properties';

export function graphProperties(g: Graph): Set<string> {
  const s = g.metadata[PROPERTIES_KEY];
  return new Set(s ? s.split(',').filter((x) => x) : []);
}

export function formatProperties(props: Iterable<string>): string {
  return [...props].sort().join(',');
}
