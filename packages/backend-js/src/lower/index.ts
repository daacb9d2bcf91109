export { lowerToRuntime, type LowerOptions } from './lower.js';
export { LOWERING_RULES } from './rules.js';
export type { LoweringRule, RuleContext } from './rule.js';
export { MODE_ANNOTATIONS, execModeOf } from './modes.js';
export { irToRtTensor, rtToIrTensor, rtDTypeOf } from './tensors.js';
