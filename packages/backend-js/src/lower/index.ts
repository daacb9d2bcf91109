export { lowerToRuntime, type LowerOptions, type FixedWidths } from './lower.js';
export { QUANT_ANNOTATIONS, LAYER_GLUE_OPS, isQuantized, fedByLstm } from './lstm-fixed-rule.js';
export { loweringRule } from './rules.js';
export type { LoweringRule, RuleContext, FixedNumerics } from './rule.js';
export { MODE_ANNOTATIONS, execModeOf } from './modes.js';
export { irToRtTensor, rtToIrTensor, rtDTypeOf } from './tensors.js';
