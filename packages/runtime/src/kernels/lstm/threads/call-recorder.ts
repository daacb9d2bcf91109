import { CALL_NAMES, CALL_STRIDE, type CallName } from './split-calls.js';
import { LIST_CALLS, type ThreadPool } from './thread-pool.js';

type Fn = (...args: number[]) => void;

/**
 * Stands in for an engine's module exports during a section (MatvecEngine.parallel): each call is
 * appended to the pool's call list, and `finish` runs the section (pool.run: every part replays the
 * list restricted to its unit range) and returns when every part is done. A full list runs the
 * section so far early, so a section may hold any number of calls. Calls of a section must be
 * independent of each other: their order across parts is not kept.
 */
export class CallRecorder {
  /** The recording stand-ins of the exports, by name. */
  readonly fns: Readonly<Record<CallName, Fn>>;

  constructor(private readonly pool: ThreadPool, private readonly engine: number, private readonly direct: readonly Fn[]) {
    this.fns = Object.fromEntries(CALL_NAMES.map((name, i) => [name, (...args: number[]) => this.record(i, args)])) as Record<CallName, Fn>;
  }

  /** Starts a section; false (run the calls directly) while no worker has started, or after close. */
  begin(): boolean {
    return this.pool.active() > 1;
  }

  /** The unit ranges a section begun now splits each call into (1 while it would run directly). */
  parts(): number {
    return this.begin() ? this.pool.parts : 1;
  }

  finish(): void {
    this.pool.run(this.engine, this.direct);
  }

  /** Drops what a failed section recorded. */
  discard(): void {
    this.pool.list().count = 0;
  }

  private record(fi: number, args: readonly number[]): void {
    const l = this.pool.list();
    if (l.count === LIST_CALLS) this.finish();
    const p = l.count++ * CALL_STRIDE;
    const c = l.calls;
    c[p] = fi;
    for (let a = 0; a < CALL_STRIDE - 1; a++) c[p + 1 + a] = args[a] ?? 0;
  }
}
