export { deltaPass } from './delta-pass.js';
export { deltaSequence } from './reconstruct.js';
export type { DeltaResult } from './reconstruct.js';
