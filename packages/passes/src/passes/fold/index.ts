export { foldPass } from './fold-pass.js';
export { eliminateDeadCode } from './dce.js';
