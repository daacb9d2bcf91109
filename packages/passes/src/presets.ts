/**
 * Named presets (`-O NAME`) and the pipeline text they expand to; the CLI's
 * --print-pipeline shows the expansion.
 */
import { fail } from '@lstmc/ir';

export const PRESETS = {
  /** No passes. */
  '0': '',
  /**
   * The JS runtime: fold shape subgraphs, drop dead code, raise torch LSTMCell steps to LSTM nodes, fold batch-first transposes into the LSTMs'
   * layout, measure weight sparsity and give every matrix
   * the f32 weight kernel the CPU cost model predicts fastest (dense, row groups or CSR, from the
   * kernel speeds tools/scripts/measure-cpu-costs.mjs measured; select-mode{cost=cpu,int8=auto} also
   * considers int8 weights).
   */
  js: 'fold,lstm-cell,batch-major,sparsity,select-mode{cost=cpu}',
  /** The accelerator: fold, raise LSTMCell steps, measure, decide modes (input test at run time), fixed point, encode sparse matrices. */
  accel: 'fold,lstm-cell,sparsity,select-mode,quantize,encode{which=sparse-weight}',
} as const satisfies Record<string, string>;

export type PresetName = keyof typeof PRESETS;

export function presetPipeline(name: string): string {
  if (!Object.prototype.hasOwnProperty.call(PRESETS, name))
    fail('E-PRESET-UNKNOWN', `unknown preset '-O ${name}' (known: ${Object.keys(PRESETS).join(', ')})`, { field: name });
  return PRESETS[name as PresetName];
}
