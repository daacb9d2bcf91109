import { matvecModule } from '../matvec-engine.js';
import { sharedMatvecModule } from './shared-module.js';
import { CALL_NAMES, CALL_STRIDE } from './split-calls.js';
import { workerSource, type WorkerInit } from './worker-main.js';

/**
 * Worker threads for the LSTM products (load option `threads`): the main thread plus threads - 1
 * workers, each with its own instance of the matvec module over the shared memories of the model's
 * engines. A section (MatvecEngine.parallel) is published to every ready worker as a call list, the
 * main thread replays its own list meanwhile, then waits for each worker's `done`. Synchronisation is
 * one pair of Atomics words per worker and section: `go` (main to worker) and `done` (worker to main).
 *
 * Where threads are not possible (no SharedArrayBuffer, Atomics, shared WebAssembly memory or
 * workers; a page that is not cross-origin isolated), `createThreadPool` returns null and everything
 * runs on one thread.
 */

/** Int32 words of a worker's control slot (16 words apart: one cache line each). */
const WORDS = { go: 0, done: 1, ready: 2, count: 3, engine: 4, stop: 5, error: 6 } as const;
const SLOT = 16;
/** Recorded calls per worker list before a section is run early (each call is CALL_STRIDE doubles). */
export const LIST_CALLS = 4096;
/** Polls before sleeping: a few tens of microseconds, about the gap between two steps' products. */
const SPINS = 20000;
/** Pages of the largest shared memory (4 GiB, a 32-bit memory's limit; reserved, not committed). */
export const MAX_PAGES = 65536;

/** The Worker API of the host, reduced to what the pool uses. */
interface HostWorker {
  terminate(): unknown;
}
type Spawn = (source: string, init: WorkerInit, onReady: () => void) => HostWorker;

interface NodeWorker extends HostWorker {
  unref(): void;
  on(event: 'message', f: (m: unknown) => void): void;
}
interface WorkerThreads {
  Worker: new (source: string, options: { eval: true; workerData: unknown }) => NodeWorker;
}
interface BrowserWorker extends HostWorker {
  postMessage(m: unknown): void;
  onmessage: ((e: { data: unknown }) => void) | null;
}
interface Host {
  process?: { getBuiltinModule?: (id: string) => unknown };
  Worker?: new (url: string) => BrowserWorker;
  Blob?: new (parts: string[], options: { type: string }) => unknown;
  URL?: { createObjectURL(b: unknown): string; revokeObjectURL(u: string): void };
  crossOriginIsolated?: boolean;
}

/** How this host starts a worker from source text, or null when it cannot share memory with one. */
function hostSpawn(): Spawn | null {
  const g = globalThis as unknown as Host;
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object' || typeof WebAssembly !== 'object') return null;
  if (g.crossOriginIsolated === false) return null;
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch {
    return null;
  }
  const wt = g.process?.getBuiltinModule?.('node:worker_threads') as WorkerThreads | undefined;
  if (wt) {
    return (source, init, onReady) => {
      const w = new wt.Worker(source, { eval: true, workerData: init });
      // Referenced until it is ready (so awaiting `ready` keeps the process alive); then a pool the
      // caller forgot to close does not keep the process from exiting.
      w.on('message', (m) => {
        if (m !== 'ready') return;
        w.unref();
        onReady();
      });
      return w;
    };
  }
  const { Worker, Blob, URL } = g;
  if (!Worker || !Blob || !URL) return null;
  return (source, init, onReady) => {
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const w = new Worker(url);
    w.onmessage = (e) => {
      if (e.data !== 'ready') return;
      URL.revokeObjectURL(url);
      onReady();
    };
    w.postMessage(init);
    return w;
  };
}

/** True when Atomics.wait may block this thread (not on a browser's main thread). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** The calls one section gives one thread. */
export interface CallList {
  readonly calls: Float64Array;
  count: number;
}

export class ThreadPool {
  /** The matvec module over an imported shared memory; engines of the pool are its instances. */
  readonly module: WebAssembly.Module;
  private readonly memories: WebAssembly.Memory[] = [];
  private readonly control: Int32Array;
  private readonly lists: CallList[];
  private readonly workers: HostWorker[] = [];
  private readonly block = canBlock();
  private started = false;
  private closed = false;
  private readyCount = 0;
  /** Sections run with at least one worker so far (each is one go/done round trip per worker). */
  sections = 0;
  private readonly waiters: (() => void)[] = [];

  /** `threads` threads in all (threads - 1 workers). */
  constructor(readonly threads: number, private readonly spawn: Spawn) {
    this.module = new WebAssembly.Module(sharedMatvecModule(matvecModule(), 1, MAX_PAGES));
    this.control = new Int32Array(new SharedArrayBuffer(4 * SLOT * threads));
    this.lists = Array.from({ length: threads }, (_v, k) => ({
      calls: new Float64Array(k === 0 ? new ArrayBuffer(8 * CALL_STRIDE * LIST_CALLS) : new SharedArrayBuffer(8 * CALL_STRIDE * LIST_CALLS)),
      count: 0,
    }));
  }

  /** A shared memory of at least `bytes` for a new engine, and the engine's index; before `start` only. */
  attach(bytes: number): { memory: WebAssembly.Memory; engine: number } | null {
    if (this.started) return null;
    let memory: WebAssembly.Memory;
    try {
      memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)), maximum: MAX_PAGES, shared: true });
    } catch {
      return null;
    }
    this.memories.push(memory);
    return { memory, engine: this.memories.length - 1 };
  }

  /** Starts the workers over the engines attached so far (later engines run on one thread). */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    if (this.memories.length === 0) return;
    const source = workerSource();
    for (let k = 1; k < this.threads; k++) {
      const init: WorkerInit = {
        module: this.module, memories: this.memories, names: CALL_NAMES, control: this.control.buffer as SharedArrayBuffer,
        slot: k * SLOT, words: WORDS, list: this.lists[k]!.calls.buffer as SharedArrayBuffer, spins: SPINS,
      };
      this.workers.push(this.spawn(source, init, () => {
        this.readyCount++;
        if (this.readyCount === this.workers.length) for (const f of this.waiters.splice(0)) f();
      }));
    }
  }

  /** Resolves, with the number of threads that take part, once every worker has started. */
  ready(): Promise<number> {
    if (this.readyCount === this.workers.length || this.closed) return Promise.resolve(this.parts());
    return new Promise((resolve) => this.waiters.push(() => resolve(this.parts())));
  }

  /** Threads a section starting now runs on: the main thread and the workers that are ready. */
  parts(): number {
    if (this.closed) return 1;
    let n = 1;
    while (n < this.threads && n <= this.workers.length && Atomics.load(this.control, n * SLOT + WORDS.ready) === 1) n++;
    return n;
  }

  /** The call list of thread k (0: the main thread) for the section being recorded. */
  list(k: number): CallList {
    return this.lists[k]!;
  }

  /**
   * Runs the recorded lists of threads 0..parts-1 on `engine`: the workers' in parallel with the main
   * thread's (replayed by `own`), and returns when all are done. Empties the lists.
   */
  run(engine: number, parts: number, own: (list: CallList) => void): void {
    const c = this.control;
    const launched: number[] = [];
    for (let k = 1; k < parts; k++) {
      const l = this.lists[k]!;
      if (l.count === 0) continue;
      const s = k * SLOT;
      c[s + WORDS.count] = l.count;
      c[s + WORDS.engine] = engine;
      // The list and the words above are written before go changes (Atomics.add is sequentially consistent).
      Atomics.add(c, s + WORDS.go, 1);
      Atomics.notify(c, s + WORDS.go);
      launched.push(k);
    }
    if (launched.length > 0) this.sections++;
    own(this.lists[0]!);
    this.lists[0]!.count = 0;
    let failed = false;
    for (const k of launched) {
      const s = k * SLOT;
      const go = c[s + WORDS.go]!;
      for (let n = 0; ; n++) {
        const done = Atomics.load(c, s + WORDS.done);
        if (done === go) break;
        if (this.block && n >= SPINS) Atomics.wait(c, s + WORDS.done, done);
      }
      this.lists[k]!.count = 0;
      if (Atomics.exchange(c, s + WORDS.error, 0) !== 0) failed = true;
    }
    if (failed) throw new Error('an LSTM worker thread failed while running its part of a product');
  }

  /** Stops and terminates the workers; the pool then runs everything on the main thread. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (let k = 1; k <= this.workers.length; k++) {
      Atomics.store(this.control, k * SLOT + WORDS.stop, 1);
      Atomics.add(this.control, k * SLOT + WORDS.go, 1);
      Atomics.notify(this.control, k * SLOT + WORDS.go);
    }
    for (const w of this.workers) w.terminate();
    for (const f of this.waiters.splice(0)) f();
  }
}

/**
 * A pool of `threads` threads, or null when `threads` is 1 or this host cannot run workers over
 * shared memory (the caller then runs on one thread, as without the option).
 */
export function createThreadPool(threads: number): ThreadPool | null {
  if (threads <= 1) return null;
  const spawn = hostSpawn();
  if (!spawn) return null;
  try {
    return new ThreadPool(threads, spawn);
  } catch {
    return null;
  }
}
