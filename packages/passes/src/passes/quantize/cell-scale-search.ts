/**
 * The choice of the cell state's range (c-max=auto): among the candidate ranges, the one whose
 * fixed-point run has the least max abs error of h on the calibration data, the first of equal
 * ones. `bounded` tells each run the best error so far, and a run gives up once its own error
 * reaches it: the max only grows step by step, so such a run could not have been chosen, and the
 * choice (and the chosen run's error, computed in full) is the one `exhaustive` makes by running
 * every candidate to the end.
 */
import type { LayerError } from './measure.js';

export const CELL_SEARCHES = ['bounded', 'exhaustive'] as const;
export type CellSearch = (typeof CELL_SEARCHES)[number];

/**
 * `run(cMax, stopAt)`: the candidate's error and what it made, or undefined when it gave up
 * because its error reached `stopAt` (never when stopAt is undefined).
 */
export function searchCellScale<V>(
  candidates: readonly number[],
  run: (cMax: number, stopAt: number | undefined) => { readonly err: LayerError; readonly made: V } | undefined,
  search: CellSearch,
): { readonly cMax: number; readonly err: LayerError; readonly made: V; readonly stopped: number } {
  let best: { cMax: number; err: LayerError; made: V } | undefined;
  let stopped = 0;
  for (const cMax of candidates) {
    const r = run(cMax, search === 'bounded' ? best?.err.maxAbs : undefined);
    if (!r) {
      stopped++;
      continue;
    }
    if (!best || r.err.maxAbs < best.err.maxAbs) best = { cMax, ...r };
  }
  if (!best) throw new Error('searchCellScale: no candidate');
  return { ...best, stopped };
}
