export { selectModePass, NEVER } from './select-mode-pass.js';
export { decideStatic, decideRuntime, modeOf, COMBINES } from './rule.js';
export type { Decision, Combine } from './rule.js';
export { autoInputThreshold, autoWeightThresholds } from './thresholds.js';
export type { AutoWeightThresholds } from './thresholds.js';
export { decideCpu, cpuMatrixOf, measuredSpeedup, INT8_CHOICES } from './cpu-choice.js';
export type { CpuDecision, CpuMatrixInput, Int8Choice } from './cpu-choice.js';
