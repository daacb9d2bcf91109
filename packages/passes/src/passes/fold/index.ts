export { foldPass } from './fold-pass.js';
export { EVALUATORS, evaluatorOf } from './evaluators.js';
export type { Evaluator, FoldInput } from './evaluators.js';
export { eliminateDeadCode } from './dce.js';
