/**
 * Drives one entry point with fast-check: `runs` seeded cases, each classified (outcome.ts); a
 * finding is shrunk to a smallest case, recorded, and the run goes on with the next seed until
 * `runs` cases were tried, so the counts cover every case. Shrinking calls are not counted.
 */
import fc from 'fast-check';
import type { EntryPoint } from './entry-points.js';
import { classify, FINDINGS, OUTCOMES, type CallResult, type Outcome } from './outcome.js';

export interface Finding {
  readonly entry: string;
  readonly outcome: Outcome;
  readonly detail: string;
  /** The shrunk case, and the seed and path that reproduce the original one. */
  readonly input: unknown;
  readonly seed: number;
  readonly path?: string;
}

export interface FuzzResult {
  readonly entry: string;
  readonly counts: Record<Outcome, number>;
  /** Diagnostic codes seen, with how often. */
  readonly codes: Record<string, number>;
  readonly findings: readonly Finding[];
  readonly ms: number;
}

export interface FuzzOptions {
  readonly runs: number;
  readonly seed: number;
  /** A call longer than this is a hang (default 10 s). */
  readonly budgetMs?: number;
  /** Stop after this many findings (default 10). */
  readonly maxFindings?: number;
  /** Called before each call (a watchdog's heartbeat: `npm run fuzz` ends a worker whose call never returns). */
  readonly onCase?: (input: unknown) => void;
}

export async function fuzzEntry(e: EntryPoint, o: FuzzOptions): Promise<FuzzResult> {
  const t0 = performance.now();
  const budget = o.budgetMs ?? 10_000;
  const counts = Object.fromEntries(OUTCOMES.map((k) => [k, 0])) as Record<Outcome, number>;
  const codes: Record<string, number> = {};
  const findings: Finding[] = [];
  let done = 0;
  let seed = o.seed;
  while (done < o.runs && findings.length < (o.maxFindings ?? 10)) {
    let shrinking = false;
    const details = await fc.check(
      fc.asyncProperty(e.arbitrary, async (c) => {
        if (!shrinking) o.onCase?.(c);
        const r = await classify(() => e.run(c), budget);
        if (!shrinking) {
          counts[r.outcome]++;
          if (r.outcome === 'diagnostic') codes[r.detail] = (codes[r.detail] ?? 0) + 1;
          done++;
        }
        if (FINDINGS.includes(r.outcome)) {
          shrinking = true;
          return false;
        }
        return true;
      }),
      { numRuns: o.runs - done, seed },
    );
    if (!details.failed || !details.counterexample) break;
    const input = details.counterexample[0];
    const again: CallResult = await classify(() => e.run(input), budget);
    findings.push({ entry: e.name, outcome: again.outcome, detail: again.detail, input, seed, path: details.counterexamplePath ?? undefined });
    seed++;
  }
  return { entry: e.name, counts, codes, findings, ms: performance.now() - t0 };
}

/** JSON that keeps NaN, infinities and -0 of a case (fixtures and reports). */
export function caseToJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? { $num: String(x) } : x), 2);
}

export function caseFromJson(s: string): unknown {
  return JSON.parse(s, (_k, x) => (x && typeof x === 'object' && typeof x.$num === 'string' && Object.keys(x).length === 1 ? Number(x.$num) : x));
}

export function formatCounts(results: readonly FuzzResult[]): string {
  const head = ['entry point', ...OUTCOMES, 'seconds'];
  const rows = results.map((r) => [r.entry, ...OUTCOMES.map((k) => String(r.counts[k])), (r.ms / 1000).toFixed(1)]);
  const total = ['total', ...OUTCOMES.map((k) => String(results.reduce((a, r) => a + r.counts[k], 0))), (results.reduce((a, r) => a + r.ms, 0) / 1000).toFixed(1)];
  const all = [head, ...rows, total];
  const w = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ')).join('\n') + '\n';
}
