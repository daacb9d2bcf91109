export { prunePass, PRUNE_METHODS } from './prune-pass.js';
export { pruneMagnitude, pruneRows, pruneBlocks, pruneBalanced, pruneBalancedGroups, nnzPerPe } from './methods.js';
export { smallestMask } from './select.js';
export { pruneBalancedEntries } from './balance-entries.js';
export { pruneBalancedMaxGap } from './max-gap.js';
export type { MaxGapPruneResult } from './max-gap.js';
