/** The built-in passes, listed once. */
import type { AnyPass } from './pass.js';
import { foldPass } from './passes/fold/index.js';
import { batchMajorPass } from './passes/batch-major/index.js';
import { lstmCellPass } from './passes/lstm-cell/index.js';
import { prunePass } from './passes/prune/index.js';
import { sparsityPass } from './passes/sparsity/index.js';
import { encodePass } from './passes/encode/index.js';
import { selectModePass } from './passes/select-mode/index.js';
import { quantizePass } from './passes/quantize/index.js';
import { deltaPass } from './passes/delta/index.js';
import { makeRegistry, type Registry } from './registry.js';

export const BUILTIN_PASSES = {
  fold: foldPass,
  'lstm-cell': lstmCellPass,
  'batch-major': batchMajorPass,
  prune: prunePass,
  sparsity: sparsityPass,
  'select-mode': selectModePass,
  quantize: quantizePass,
  encode: encodePass,
  delta: deltaPass,
} as const satisfies Record<string, AnyPass>;

export type BuiltinPassName = keyof typeof BUILTIN_PASSES;

export function builtinRegistry(): Registry {
  return makeRegistry(BUILTIN_PASSES);
}
