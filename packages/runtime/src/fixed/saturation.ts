import { maxOf, minOf, roundHalfEven } from './round.js';

/**
 * Saturation bookkeeping of the fixed-point path: how often a value did not fit its format, per
 * tensor of an LSTM, with where it first happened. Inputs (x, initial h and c) are counted exactly,
 * before quantization; inside a step the gate pre-activations (accumulator), the cell state and h
 * are counted at the rail: a value equal to the largest or smallest integer of its width either
 * saturated or landed exactly there, and is counted as saturated. Counting reads results after each
 * step; it never changes one.
 */
export const SATURATION_TENSORS = ['x', 'initial_h', 'initial_c', 'gates', 'cell', 'h'] as const;
export type SaturationTensor = (typeof SATURATION_TENSORS)[number];

export interface SaturationWhere {
  /** Time step (undefined for the initial states), batch entry, direction, element. */
  readonly step?: number;
  readonly batch: number;
  readonly dir: number;
  readonly index: number;
}

export interface SaturationCount {
  count: number;
  /** Values looked at. */
  total: number;
  first: SaturationWhere | null;
}

/** One log per LSTM node and run; `counts` is filled in place by the functions below. */
export interface SaturationLog {
  readonly node: string;
  readonly counts: Record<SaturationTensor, SaturationCount>;
}

export function saturationLog(node: string): SaturationLog {
  const counts = {} as Record<SaturationTensor, SaturationCount>;
  for (const k of SATURATION_TENSORS) counts[k] = { count: 0, total: 0, first: null };
  return { node, counts };
}

/** Count the reals of `x[off, off + n)` that do not fit Q(bits, frac) (before quantizing them). */
export function noteRealSaturation(log: SaturationLog | undefined, tensor: SaturationTensor, x: ArrayLike<number>, off: number, n: number, frac: number, bits: number, where: (i: number) => SaturationWhere): void {
  if (!log) return;
  const c = log.counts[tensor];
  const hi = maxOf(bits);
  const lo = minOf(bits);
  const s = 2 ** frac;
  c.total += n;
  for (let i = 0; i < n; i++) {
    const q = roundHalfEven(x[off + i]! * s);
    if (q > hi || q < lo) {
      c.count++;
      c.first ??= where(i);
    }
  }
}

/** Count the integers of `v[off, off + n)` at the rail of `bits`. */
export function noteRail(log: SaturationLog | undefined, tensor: SaturationTensor, v: ArrayLike<number>, off: number, n: number, bits: number, where: (i: number) => SaturationWhere): void {
  if (!log) return;
  const c = log.counts[tensor];
  const hi = maxOf(bits);
  const lo = minOf(bits);
  c.total += n;
  for (let i = 0; i < n; i++) {
    const q = v[off + i]!;
    if (q >= hi || q <= lo) {
      c.count++;
      c.first ??= where(i);
    }
  }
}

/** The tensors that saturated, one line each: "cell: 12 of 480 values saturated, first at step 3, batch entry 0, element 2". */
export function formatSaturation(log: SaturationLog): string[] {
  return SATURATION_TENSORS.filter((k) => log.counts[k].count > 0).map((k) => {
    const c = log.counts[k];
    const f = c.first!;
    const at = `${f.step !== undefined ? `step ${f.step}, ` : ''}batch entry ${f.batch}${f.dir ? `, direction ${f.dir}` : ''}, element ${f.index}`;
    return `${k}: ${c.count} of ${c.total} values saturated, first at ${at}`;
  });
}
