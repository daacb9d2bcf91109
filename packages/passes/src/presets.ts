/**
 * Named presets (`-O NAME`) and the pipeline text they expand to; the CLI's
 * --print-pipeline shows the expansion.
 */
import { fail } from '@lstmc/ir';

export const PRESETS = {
  /** No passes. */
  '0': '',
  /**
   * The JS runtime: fold shape subgraphs, drop dead code, measure weight sparsity and mark matrices at
   * least 80% sparse `sparse-weight`, which the JS back end runs on the compressed `lstm.sparse.f32`
   * (80%: the measured break-even against the dense kernel, packages/runtime/scripts/bench-sparse.mjs).
   */
  js: 'fold,sparsity,select-mode{weight-threshold=0.8,input-test=off}',
  /** The accelerator: fold, measure, decide modes (input test at run time), fixed point, encode sparse matrices. */
  accel: 'fold,sparsity,select-mode,quantize,encode{which=sparse-weight}',
} as const satisfies Record<string, string>;

export type PresetName = keyof typeof PRESETS;

export function presetPipeline(name: string): string {
  if (!Object.prototype.hasOwnProperty.call(PRESETS, name))
    fail('E-PRESET-UNKNOWN', `unknown preset '-O ${name}' (known: ${Object.keys(PRESETS).join(', ')})`, { field: name });
  return PRESETS[name as PresetName];
}
