import type { Model, RtTensor } from '@lstmc/runtime';

/**
 * `lstmc run --repeat N`: the model run N more times on the inputs of its first run, the times
 * summarized, and every repeat's outputs compared bit for bit with the first run's (the runtime
 * keeps no state between runs, so a difference is a bug worth an exit code).
 */

/** Wall time of a run in milliseconds, and what it returned. */
export function timed<T>(f: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = f();
  return { ms: performance.now() - t0, value };
}

/** The bits of every output, to check that repeated runs give the same results. */
export function sameBits(a: Record<string, RtTensor>, b: Record<string, RtTensor>): boolean {
  return Object.keys(a).every((k) => {
    const x = a[k]!.data;
    const y = b[k]?.data;
    if (!y) return false;
    const u = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
    const v = new Uint8Array(y.buffer, y.byteOffset, y.byteLength);
    return u.length === v.length && u.every((byte, i) => byte === v[i]);
  });
}

export interface Timing {
  readonly firstMs: number;
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly p90Ms: number;
  readonly threads: number;
  readonly sameOutputs: boolean;
}

/** Runs `model` `n` more times on `feed` and summarizes the times (the first run, `firstMs`, is not among them). */
export function timeRepeats(model: Pick<Model, 'run' | 'threadStats'>, feed: Record<string, RtTensor>, first: Record<string, RtTensor>, firstMs: number, n: number): Timing {
  const ms: number[] = [];
  let same = true;
  for (let r = 0; r < n; r++) {
    const t = timed(() => model.run(feed));
    ms.push(t.ms);
    if (same && !sameBits(first, t.value)) same = false;
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(n - 1, Math.ceil(q * n) - 1)]!;
  const median = n % 2 ? ms[(n - 1) / 2]! : (ms[n / 2 - 1]! + ms[n / 2]!) / 2;
  return { firstMs, runs: n, medianMs: median, minMs: ms[0]!, p90Ms: at(0.9), threads: model.threadStats().threads, sameOutputs: same };
}
