import type { LoadOptions } from '@lstmc/runtime';
import type { ParsedArgs } from './command.js';
import { stringOpt, UsageError } from './command.js';

const MATVEC = ['auto', 'wasm-simd', 'wasm-relaxed', 'js'] as const;

/** `--threads N` and `--matvec ENGINE`: the runtime's load options `threads` and `matvec`. */
export const LOAD_OPTIONS = {
  threads: { type: 'string', value: 'N', help: 'run the LSTM products on N threads (worker threads; results bit-identical to one thread; default 1)' },
  matvec: {
    type: 'string',
    value: MATVEC.join('|'),
    help: "where the LSTM products run: auto (WebAssembly SIMD with fused multiply-adds: relaxed SIMD, which the lstmc bin enables on Node 20), wasm-simd (the plain module: the same bits on every host), wasm-relaxed, js (float64); default auto",
  },
} as const;

/** The load options `--threads` and `--matvec` ask for (none when absent). */
export function loadOptionsOf(args: ParsedArgs): LoadOptions {
  const text = stringOpt(args, 'threads');
  const matvec = stringOpt(args, 'matvec');
  if (matvec !== undefined && !(MATVEC as readonly string[]).includes(matvec)) throw new UsageError(`--matvec wants one of ${MATVEC.join(', ')}, got '${matvec}'`);
  const engine = matvec === undefined ? {} : { matvec: matvec as (typeof MATVEC)[number] };
  if (text === undefined) return engine;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !(n >= 1)) throw new UsageError(`--threads wants a positive integer, got '${text}'`);
  return { ...engine, threads: n };
}
