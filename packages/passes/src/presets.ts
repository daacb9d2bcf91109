/**
 * Named presets (`-O NAME`) and the pipeline text they expand to; the CLI's
 * --print-pipeline shows the expansion.
 */
import { fail } from '@lstmc/ir';

export const PRESETS = {
  /** No passes. */
  '0': '',
  /**
   * The JS runtime: raise torch LSTMCell steps to LSTM nodes (before fold, so that a loop's first step,
   * from zero states, still has its Gemm on h), fold shape subgraphs, drop dead code, fold batch-first transposes into the LSTMs'
   * layout, measure weight sparsity and give every matrix
   * the f32 weight kernel the CPU cost model predicts fastest (dense, row groups or CSR, from the
   * kernel speeds tools/scripts/measure-cpu-costs.mjs measured; select-mode{cost=cpu,int8=auto} also
   * considers int8 weights).
   */
  js: 'lstm-cell,fold,batch-major,sparsity,select-mode{cost=cpu}',
  /** The accelerator: raise LSTMCell steps, fold, measure, decide modes (input test at run time), fixed point, encode sparse matrices. */
  accel: 'lstm-cell,fold,sparsity,select-mode,quantize,encode{which=sparse-weight}',
} as const satisfies Record<string, string>;

export type PresetName = keyof typeof PRESETS;

export function presetPipeline(name: string): string {
  if (!Object.prototype.hasOwnProperty.call(PRESETS, name))
    fail('E-PRESET-UNKNOWN', `unknown preset '-O ${name}' (known: ${Object.keys(PRESETS).join(', ')})`, { field: name });
  return PRESETS[name as PresetName];
}
