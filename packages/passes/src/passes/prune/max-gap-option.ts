/** The `max-gap` option of `prune` and its report row. */
import { countRelCsc, rowToPe, type Target } from '@lstmc/target';
import type { MaxGapPruneResult } from './max-gap.js';

/** `off` -> undefined; `auto` -> 2^relIndexBits - 1 (the longest gap a relative index encodes without padding); N -> N. */
export function parseMaxGap(text: string, relIndexBits: number, bad: (message: string) => never): number | undefined {
  if (text === 'off') return undefined;
  if (text === 'auto') return 2 ** relIndexBits - 1;
  if (/^\d+$/.test(text)) return Number(text);
  return bad(`max-gap must be off, auto or a non-negative integer, not '${text}'`);
}

function padding(data: ArrayLike<number>, rows: number, cols: number, t: Target): number {
  return countRelCsc(data, rows, cols, rowToPe(rows, t.pes), t.relIndexBits).paddingPerPe.reduce((s, x) => s + x, 0);
}

/** matrix, shape, weights kept that plain drops, padding entries plain / now, |w| dropped plain / now, kept |w| lost relative to plain. */
export function maxGapReportRow(
  label: string,
  a: Float32Array,
  r: MaxGapPruneResult,
  rows: number,
  cols: number,
  plain: Float32Array,
  t: Target,
): (string | number)[] {
  let total = 0;
  for (const v of a) total += Math.abs(v);
  return [
    label,
    `${rows}x${cols}`,
    r.moved,
    padding(plain, rows, cols, t),
    padding(r.data, rows, cols, t),
    total - r.keptPlain,
    total - r.kept,
    r.keptPlain > 0 ? (r.keptPlain - r.kept) / r.keptPlain : 0,
  ];
}
