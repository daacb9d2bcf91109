import type { LoadOptions } from '@lstmc/runtime';
import type { ParsedArgs } from './command.js';
import { stringOpt, UsageError } from './command.js';

/** `--threads N`: the runtime's load option `threads` (the LSTM products split over N threads). */
export const THREADS_OPTION = {
  threads: { type: 'string', value: 'N', help: 'run the LSTM products on N threads (worker threads; results bit-identical to one thread; default 1)' },
} as const;

/** The load options `--threads` asks for (none when absent). */
export function threadsOf(args: ParsedArgs): LoadOptions {
  const text = stringOpt(args, 'threads');
  if (text === undefined) return {};
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !(n >= 1)) throw new UsageError(`--threads wants a positive integer, got '${text}'`);
  return { threads: n };
}
