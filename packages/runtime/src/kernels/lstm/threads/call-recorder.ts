import { CALL_NAMES, CALL_STRIDE, SPLIT_CALLS, splitPoint, type CallName, type SplitSpec } from './split-calls.js';
import { LIST_CALLS, type CallList, type ThreadPool } from './thread-pool.js';

type Fn = (...args: number[]) => void;

/**
 * Stands in for an engine's module exports during a section (MatvecEngine.parallel): each call is
 * split over the unit ranges of the section's threads (split-calls.ts) and appended to their call
 * lists (the pool's parts); `finish` runs the lists (pool.run) and returns when every part is done. A list that fills up
 * runs the section so far early, so a section may hold any number of calls. Calls of a section must
 * be independent of each other: their order across threads is not kept.
 */
export class CallRecorder {
  /** The recording stand-ins of the exports, by name. */
  readonly fns: Readonly<Record<CallName, Fn>>;

  constructor(private readonly pool: ThreadPool, private readonly engine: number, private readonly direct: readonly Fn[]) {
    this.fns = Object.fromEntries(CALL_NAMES.map((name, i) => {
      const spec: SplitSpec | undefined = (SPLIT_CALLS as Partial<Record<CallName, SplitSpec>>)[name];
      return [name, (...args: number[]) => this.record(i, spec, args)];
    })) as Record<CallName, Fn>;
  }

  /** Threads a section starting now would run on. */
  threads(): number {
    return this.pool.active();
  }

  /** Starts a section; false (run the calls directly) while no worker has started, or after close. */
  begin(): boolean {
    return this.pool.active() > 1;
  }

  finish(): void {
    this.pool.run(this.engine, this.direct);
  }

  /** Drops what a failed section recorded. */
  discard(): void {
    for (let k = 0; k < this.pool.parts; k++) this.pool.list(k).count = 0;
  }

  private record(fi: number, spec: SplitSpec | undefined, args: readonly number[]): void {
    if (!spec) return this.append(this.pool.list(0), fi, args, 0, undefined);
    const units = args[spec.units]!;
    const parts = this.pool.parts;
    for (let k = 0; k < parts; k++) {
      const u0 = splitPoint(k, parts, units);
      const u1 = splitPoint(k + 1, parts, units);
      if (u1 > u0) this.append(this.pool.list(k), fi, args, u0, spec, u1 - u0);
    }
  }

  private append(l: CallList, fi: number, args: readonly number[], u0: number, spec: SplitSpec | undefined, units = 0): void {
    if (l.count === LIST_CALLS) this.finish();
    const p = l.count++ * CALL_STRIDE;
    const c = l.calls;
    c[p] = fi;
    for (let a = 0; a < CALL_STRIDE - 1; a++) c[p + 1 + a] = args[a] ?? 0;
    if (!spec) return;
    c[p + 1 + spec.units] = units;
    for (const [arg, perUnit, times] of spec.shifts) c[p + 1 + arg] = args[arg]! + u0 * perUnit * (times === undefined ? 1 : args[times]!);
  }
}
