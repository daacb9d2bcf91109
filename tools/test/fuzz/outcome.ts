/**
 * What one call of an entry point came to. The fuzz property: every call ends `ok` or
 * `diagnostic`; `foreign` (an exception that is not lstmc's diagnostic), `hang` (over the time box)
 * and `nonfinite` (a NaN or Inf in a result computed from finite inputs, with nothing reporting
 * it) are findings.
 */
import { isDiagnosticError } from '@lstmc/ir';
import { isRuntimeError } from '@lstmc/runtime';

export const OUTCOMES = ['ok', 'diagnostic', 'foreign', 'hang', 'nonfinite'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const FINDINGS: readonly Outcome[] = ['foreign', 'hang', 'nonfinite'];

export interface CallResult {
  readonly outcome: Outcome;
  /** The diagnostic code, or the foreign exception's name and message, or where the non-finite value is. */
  readonly detail: string;
  readonly ms: number;
}

/** Numbers an entry point produced that must be finite (its outputs), by name. */
export type Produced = ReadonlyMap<string, ArrayLike<number | bigint>> | void;

function firstNonFinite(produced: Produced): string | undefined {
  if (!produced) return undefined;
  for (const [name, data] of produced) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (typeof v === 'number' && !Number.isFinite(v)) return `${name}[${i}] = ${v}`;
    }
  }
  return undefined;
}

/**
 * Run one call, time-boxed: a call that takes longer than `budgetMs` counts as a hang (the code
 * under test is synchronous, so the box is measured, not enforced; `npm run fuzz` runs each entry
 * point in a worker that a watchdog ends when a call never returns).
 */
export async function classify(call: () => Produced | Promise<Produced>, budgetMs: number): Promise<CallResult> {
  const t0 = performance.now();
  let r: CallResult;
  try {
    const produced = await call();
    const bad = firstNonFinite(produced);
    r = bad ? { outcome: 'nonfinite', detail: bad, ms: 0 } : { outcome: 'ok', detail: '', ms: 0 };
  } catch (e) {
    if (isDiagnosticError(e)) r = { outcome: 'diagnostic', detail: e.code, ms: 0 };
    else if (isRuntimeError(e)) r = { outcome: 'diagnostic', detail: e.code, ms: 0 };
    else r = { outcome: 'foreign', detail: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e), ms: 0 };
  }
  const ms = performance.now() - t0;
  if (ms > budgetMs && r.outcome !== 'foreign') return { outcome: 'hang', detail: `${ms.toFixed(0)} ms (${r.outcome} ${r.detail})`, ms };
  return { ...r, ms };
}
