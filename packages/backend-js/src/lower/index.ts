export { lowerToRuntime, INT8_ERROR_KEY, type LowerOptions, type FixedWidths } from './lower.js';
export { isQuantized } from './lstm-fixed-rule.js';
export { loweringRule } from './rules.js';
export type { LoweringRule, RuleContext, FixedNumerics } from './rule.js';
export { execModeOf } from './modes.js';
export { irToRtTensor, rtToIrTensor, rtDTypeOf } from './tensors.js';
