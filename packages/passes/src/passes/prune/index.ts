export { prunePass, PRUNE_METHODS } from './prune-pass.js';
export { pruneMagnitude, pruneRows, pruneBlocks, pruneBalanced, nnzPerPe } from './methods.js';
export { smallestMask } from './select.js';
export { pruneBalancedEntries } from './balance-entries.js';
