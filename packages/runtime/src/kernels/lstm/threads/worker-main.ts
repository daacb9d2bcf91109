/**
 * The code a worker thread runs. Both functions reference nothing outside themselves: the pool builds
 * the worker's source from their text (`workerSource`), so the same code runs in Node's worker_threads
 * and in browser Web Workers, from the sources, the compiled package and the esbuild bundle alike.
 */

/** Calls `count` recorded calls of a call list (split-calls.ts: an export index, then 12 arguments). */
export function replayCalls(fns: readonly ((...args: number[]) => void)[], list: Float64Array, count: number): void {
  // 13 = CALL_STRIDE; a literal because this function's text runs in the worker on its own.
  for (let c = 0, p = 0; c < count; c++, p += 13) {
    fns[list[p]!]!(list[p + 1]!, list[p + 2]!, list[p + 3]!, list[p + 4]!, list[p + 5]!, list[p + 6]!, list[p + 7]!, list[p + 8]!, list[p + 9]!, list[p + 10]!, list[p + 11]!, list[p + 12]!);
  }
}

/** Int32 word indices of the pool's control block (thread-pool.ts), each on its own cache line. */
export interface ControlWords {
  /** The last published section's number (main thread stores it, then notifies). */
  readonly go: number;
  /** (section number << 8) | next unclaimed part: a thread claims part k by compare-exchange to k + 1. */
  readonly claim: number;
  /** Parts of the current section completed (incremented by whoever ran one, then notified). */
  readonly finished: number;
  readonly parts: number;
  readonly engine: number;
  readonly stop: number;
  readonly error: number;
  /** Parts run by workers since the pool started (statistics). */
  readonly workerParts: number;
  readonly ready: number;
  /** counts + k: calls in part k's list. */
  readonly counts: number;
}

/** What a worker receives when it starts (thread-pool.ts). */
export interface WorkerInit {
  readonly module: WebAssembly.Module;
  /** One shared memory per engine; a section names its engine by index here. */
  readonly memories: readonly WebAssembly.Memory[];
  readonly names: readonly string[];
  readonly control: SharedArrayBuffer;
  readonly words: ControlWords;
  /** The call list of each part (Float64). */
  readonly lists: readonly SharedArrayBuffer[];
  /** Polls of `go` before sleeping in Atomics.wait. */
  readonly spins: number;
}

/**
 * Claims and runs the parts of the section numbered `section` until none is left (on the functions
 * `fnsOf` gives for the section's engine); returns how many it ran. Every part is the same calls whoever runs it, so who runs which part does not change a bit.
 * Ordering: the main thread writes the lists, parts, engine and counts before it stores `claim`, and
 * reads the results after it saw `finished` reach the parts (Atomics are sequentially consistent).
 */
export function runParts(replay: typeof replayCalls, fnsOf: (engine: number) => readonly ((...args: number[]) => void)[], c: Int32Array, lists: readonly Float64Array[], w: ControlWords, section: number): number {
  let ran = 0;
  for (;;) {
    const cl = Atomics.load(c, w.claim);
    const k = cl & 255;
    if (cl >>> 8 !== section || k >= c[w.parts]!) return ran;
    if (Atomics.compareExchange(c, w.claim, cl, cl + 1) !== cl) continue;
    try {
      replay(fnsOf(c[w.engine]!), lists[k]!, c[w.counts + k]!);
    } catch {
      Atomics.store(c, w.error, 1);
    }
    ran++;
    Atomics.add(c, w.finished, 1);
    Atomics.notify(c, w.finished);
  }
}

/** The worker's loop: wait for a new section (polling, then sleeping), run parts of it, repeat. */
export function workerLoop(replay: typeof replayCalls, parts: typeof runParts, init: WorkerInit, post: (message: string) => void): void {
  const fns = init.memories.map((mem) => {
    const ex = new WebAssembly.Instance(init.module, { env: { mem } }).exports as Record<string, (...args: number[]) => void>;
    return init.names.map((n) => ex[n]!);
  });
  const c = new Int32Array(init.control);
  const lists = init.lists.map((l) => new Float64Array(l));
  const w = init.words;
  let seen = Atomics.load(c, w.go);
  Atomics.add(c, w.ready, 1);
  post('ready');
  for (;;) {
    for (let s = 0; Atomics.load(c, w.go) === seen; s++) if (s >= init.spins) Atomics.wait(c, w.go, seen);
    seen = Atomics.load(c, w.go);
    if (Atomics.load(c, w.stop) !== 0) return;
    Atomics.add(c, w.workerParts, parts(replay, (e) => fns[e]!, c, lists, w, seen));
  }
}

/** The worker's whole source: in Node it reads workerData, in a browser its first message. */
export function workerSource(): string {
  return `const replay = ${replayCalls.toString()};
const parts = ${runParts.toString()};
const loop = ${workerLoop.toString()};
if (typeof require === 'function') {
  const wt = require('node:worker_threads');
  loop(replay, parts, wt.workerData, (m) => wt.parentPort.postMessage(m));
} else {
  self.onmessage = (e) => loop(replay, parts, e.data, (m) => self.postMessage(m));
}
`;
}
