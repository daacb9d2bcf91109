import { formatReportTable } from '@lstmc/passes';
import type { Model, RtTensor } from '@lstmc/runtime';

/**
 * `lstmc run --repeat N`: the model run N more times on the inputs of its first run, the times
 * summarized, and every repeat's outputs compared bit for bit with the first run's (the runtime
 * keeps no state between runs, so a difference is a bug worth an exit code).
 */

/** The median of ascending `s` (the mean of the middle two for an even count). */
function medianOfSorted(s: readonly number[]): number {
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

const medianOf = (xs: readonly number[]): number => medianOfSorted([...xs].sort((a, b) => a - b));

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
    // Buffer.equals compares the bytes in one call (memcmp); a closure per byte took 2 ns each, longer than a small model's run
    return Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
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
  return { firstMs, runs: n, medianMs: medianOfSorted(ms), minMs: ms[0]!, p90Ms: at(0.9), threads: model.threadStats().threads, sameOutputs: same };
}

/** One node of `--profile`: the median over the profiled runs of its kernel call's time, and its share of the median run. */
export interface NodeProfile {
  readonly node: string;
  readonly kernel: string;
  readonly medianMs: number;
  readonly share: number;
}

/** One kernel of `--profile`: its nodes' time summed per run, the median over the runs, and its share. */
export interface KernelProfile {
  readonly kernel: string;
  readonly nodes: number;
  readonly medianMs: number;
  readonly share: number;
}

export interface Profile {
  readonly runs: number;
  /** The median wall time of the profiled runs (with their timestamps; the rest is the executor's own work). */
  readonly medianRunMs: number;
  /** Slowest first. */
  readonly nodes: readonly NodeProfile[];
  readonly kernels: readonly KernelProfile[];
}

/**
 * `--profile`: `n` runs of `model` on `feed`, each hearing its kernel nodes' times (Model.run's onNode),
 * summarized per node and per kernel as medians over the runs. These runs are separate from
 * timeRepeats', whose times carry no per-node timestamps.
 */
export function profileRepeats(model: Pick<Model, 'run'>, feed: Record<string, RtTensor>, n: number): Profile {
  const nodes = new Map<string, { node: string; kernel: string; ms: number[] }>();
  const kernels = new Map<string, { names: Set<string>; ms: number[] }>();
  const runMs: number[] = [];
  for (let r = 0; r < n; r++) {
    const perNode = new Map<string, number>();
    const perKernel = new Map<string, number>();
    const t = timed(() =>
      model.run(feed, {
        onNode: ({ node, kernel, ms }) => {
          const key = `${node}\0${kernel}`;
          if (!nodes.has(key)) nodes.set(key, { node, kernel, ms: [] });
          perNode.set(key, (perNode.get(key) ?? 0) + ms);
          if (!kernels.has(kernel)) kernels.set(kernel, { names: new Set(), ms: [] });
          kernels.get(kernel)!.names.add(node);
          perKernel.set(kernel, (perKernel.get(kernel) ?? 0) + ms);
        },
      }),
    );
    runMs.push(t.ms);
    for (const [key, ms] of perNode) nodes.get(key)!.ms.push(ms);
    for (const [k, ms] of perKernel) kernels.get(k)!.ms.push(ms);
  }
  const medianRunMs = medianOf(runMs);
  /** The median of a node's or kernel's times and its share of the median run. */
  const summary = (ms: readonly number[]) => {
    const medianMs = medianOf(ms);
    return { medianMs, share: medianRunMs > 0 ? medianMs / medianRunMs : 0 };
  };
  const byTime = <T extends { medianMs: number }>(xs: T[]) => xs.sort((a, b) => b.medianMs - a.medianMs);
  return {
    runs: n,
    medianRunMs,
    nodes: byTime([...nodes.values()].map(({ node, kernel, ms }) => ({ node, kernel, ...summary(ms) }))),
    kernels: byTime([...kernels].map(([kernel, k]) => ({ kernel, nodes: k.names.size, ...summary(k.ms) }))),
  };
}

/** The text of `--profile`: the kernels, then the `top` slowest nodes. */
export function profileLines(p: Profile, top = 10): string[] {
  const ms = (x: number) => x.toFixed(3);
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const shown = p.nodes.slice(0, top);
  return [
    `profile: ${p.runs} more runs with per-node times, median ${ms(p.medianRunMs)} ms per run`,
    formatReportTable({ title: 'profile: by kernel', columns: ['kernel', 'nodes', 'median ms', 'share'], rows: p.kernels.map((k) => [k.kernel, k.nodes, ms(k.medianMs), pct(k.share)]) }),
    formatReportTable({
      title: `profile: the ${shown.length} slowest nodes${p.nodes.length > top ? ` of ${p.nodes.length} (--json lists all)` : ''}`,
      columns: ['node', 'kernel', 'median ms', 'share'],
      rows: shown.map((x) => [x.node, x.kernel, ms(x.medianMs), pct(x.share)]),
    }),
  ];
}
