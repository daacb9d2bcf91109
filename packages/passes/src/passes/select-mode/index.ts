export { selectModePass, NEVER } from './select-mode-pass.js';
export { decideStatic, decideRuntime, modeOf, COMBINES } from './rule.js';
export type { Decision, Combine } from './rule.js';
export { autoInputThreshold, autoWeightThresholds } from './thresholds.js';
export type { AutoWeightThresholds } from './thresholds.js';
