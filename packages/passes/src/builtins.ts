/** The built-in passes, listed once. */
import type { AnyPass } from './pass.js';
import { foldPass } from './passes/fold/index.js';
import { prunePass } from './passes/prune/index.js';
import { makeRegistry, type Registry } from './registry.js';

export const BUILTIN_PASSES = {
  fold: foldPass,
  prune: prunePass,
} as const satisfies Record<string, AnyPass>;

export type BuiltinPassName = keyof typeof BUILTIN_PASSES;

export function builtinRegistry(): Registry {
  return makeRegistry(BUILTIN_PASSES);
}
