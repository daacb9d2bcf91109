export { selectModePass, NEVER } from './select-mode-pass.js';
export { decideStatic, decideRuntime, modeOf, COMBINES } from './rule.js';
export type { Decision, Combine } from './rule.js';
export { autoInputThreshold, autoWeightThreshold } from './thresholds.js';
