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

/** What a worker receives when it starts (thread-pool.ts). */
export interface WorkerInit {
  readonly module: WebAssembly.Module;
  /** One shared memory per engine; a call list names its engine by index here. */
  readonly memories: readonly WebAssembly.Memory[];
  readonly names: readonly string[];
  /** Int32 control words, this worker's at `slot` (the word offsets in `words`). */
  readonly control: SharedArrayBuffer;
  readonly slot: number;
  readonly words: { readonly go: number; readonly done: number; readonly ready: number; readonly count: number; readonly engine: number; readonly stop: number; readonly error: number };
  /** This worker's call list (Float64). */
  readonly list: SharedArrayBuffer;
  /** Polls of `go` before sleeping in Atomics.wait. */
  readonly spins: number;
}

/**
 * The worker's loop. Ordering: the worker reads `go` before it announces `ready`, so it runs exactly
 * the sections published after the main thread saw it ready. Per section: wait until `go` changes,
 * replay the list on the named engine, then store `go`'s value into `done` and notify (the list's
 * writes to shared memory happen before that store, and the main thread reads them after seeing it).
 */
export function workerLoop(replay: typeof replayCalls, init: WorkerInit, post: (message: string) => void): void {
  const fns = init.memories.map((mem) => {
    const ex = new WebAssembly.Instance(init.module, { env: { mem } }).exports as Record<string, (...args: number[]) => void>;
    return init.names.map((n) => ex[n]!);
  });
  const c = new Int32Array(init.control);
  const list = new Float64Array(init.list);
  const w = init.words;
  const at = (word: number) => init.slot + word;
  let seen = Atomics.load(c, at(w.go));
  Atomics.store(c, at(w.ready), 1);
  post('ready');
  for (;;) {
    for (let s = 0; Atomics.load(c, at(w.go)) === seen; s++) if (s >= init.spins) Atomics.wait(c, at(w.go), seen);
    seen = Atomics.load(c, at(w.go));
    if (Atomics.load(c, at(w.stop)) !== 0) return;
    try {
      replay(fns[c[at(w.engine)]!]!, list, c[at(w.count)]!);
    } catch {
      Atomics.store(c, at(w.error), 1);
    }
    Atomics.store(c, at(w.done), seen);
    Atomics.notify(c, at(w.done));
  }
}

/** The worker's whole source: in Node it reads workerData, in a browser its first message. */
export function workerSource(): string {
  return `const replay = ${replayCalls.toString()};
const loop = ${workerLoop.toString()};
if (typeof require === 'function') {
  const wt = require('node:worker_threads');
  loop(replay, wt.workerData, (m) => wt.parentPort.postMessage(m));
} else {
  self.onmessage = (e) => loop(replay, e.data, (m) => self.postMessage(m));
}
`;
}
