/**
 * The patent's mode rule for one matrix, kept free of IR details so it can be
 * tested alone: sparse mode when weight sparsity >= weight threshold and/or
 * input sparsity >= input threshold (combine), dense mode otherwise. The
 * sparse mode uses the sparse features whose test passed: sparse weights
 * (compressed columns) and/or zero-input skipping.
 */
import type { MatvecMode } from '@lstmc/target';

export const COMBINES = ['and', 'or'] as const;
export type Combine = (typeof COMBINES)[number];

export interface StaticDecision {
  readonly kind: 'static';
  readonly mode: MatvecMode;
}

/** Decided per input vector at run time: `high` when its zero count >= zeroCount, else `low`. */
export interface RuntimeDecision {
  readonly kind: 'runtime';
  readonly low: MatvecMode;
  readonly high: MatvecMode;
  readonly zeroCount: number;
}

export type Decision = StaticDecision | RuntimeDecision;

export function modeOf(weightPass: boolean, inputPass: boolean, combine: Combine): MatvecMode {
  const sparse = combine === 'or' ? weightPass || inputPass : weightPass && inputPass;
  if (!sparse) return 'dense';
  if (weightPass && inputPass) return 'sparse-both';
  return weightPass ? 'sparse-weight' : 'sparse-input';
}

/** Static rule: both sparsities known (input undefined = no input test: the weight test decides). */
export function decideStatic(ws: number, wt: number, is: number | undefined, it: number, combine: Combine): StaticDecision {
  if (is === undefined) return { kind: 'static', mode: ws >= wt ? 'sparse-weight' : 'dense' };
  return { kind: 'static', mode: modeOf(ws >= wt, is >= it, combine) };
}

/**
 * Run-time rule: the weight test is made now, the input test per step on the
 * zero count of the input vector (cols elements). Collapses to a static
 * decision when both outcomes give the same mode, or the count can never or
 * always be reached.
 */
export function decideRuntime(ws: number, wt: number, it: number, cols: number, combine: Combine): Decision {
  const wp = ws >= wt;
  const low = modeOf(wp, false, combine);
  const high = modeOf(wp, true, combine);
  if (low === high || !(it <= 1)) return { kind: 'static', mode: low };
  const zeroCount = Math.max(0, Math.ceil(it * cols - 1e-9));
  if (zeroCount === 0) return { kind: 'static', mode: high };
  return { kind: 'runtime', low, high, zeroCount };
}
