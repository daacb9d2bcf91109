import { matvecModule, matvecModuleFor, type EngineChoice } from '../matvec-engine.js';
import { sharedMatvecModule } from './shared-module.js';
import { CALL_NAMES, CALL_STRIDE, SPLIT_TABLE } from './split-calls.js';
import { replayPart, runParts, splitPoint, workerSource, type ControlWords, type PartCode, type WorkerInit } from './worker-main.js';

/**
 * Worker threads for the LSTM products (load option `threads`): the main thread plus threads - 1
 * workers, each with its own instance of the matvec module over the shared memories of the model's
 * engines. A section (MatvecEngine.parallel) is recorded as one call list, run as
 * PARTS_PER_THREAD * threads parts (each call restricted to the part's unit range, split-calls.ts);
 * publishing it wakes the workers, and every thread, the main one included, claims parts (one
 * compare-exchange each) until none is left; the main thread then waits for the parts the workers took. A worker that is slow to wake (asleep, or descheduled on a busy
 * machine) so costs at most the parts it actually took, never a wait for it to start.
 *
 * Where threads are not possible (no SharedArrayBuffer, Atomics, shared WebAssembly memory or
 * workers; a page that is not cross-origin isolated), `createThreadPool` returns null and everything
 * runs on one thread.
 */

/** Int32 words of the control block, 16 apart (one cache line each) where threads write them. */
const WORDS: ControlWords = { go: 0, claim: 16, finished: 32, parts: 48, engine: 49, count: 50, stop: 64, error: 80, workerParts: 96, ready: 112 };
/** Parts per thread of a section: a late worker leaves the main thread only a few units to take over. */
export const PARTS_PER_THREAD = 2;
/** Recorded calls before a section is run early (each call is CALL_STRIDE doubles). */
export const LIST_CALLS = 16384;
/** Polls before sleeping: a few tens of microseconds, about the gap between two steps' products. */
const SPINS = 20000;
/** Pages of the largest shared memory (4 GiB, a 32-bit memory's limit; reserved, not committed). */
export const MAX_PAGES = 65536;
/** Section numbers cycle below 2^23, so that (section << 8) | part stays a positive int32. */
const SECTION_MOD = 1 << 23;

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

/** The calls of one section. */
export interface CallList {
  readonly calls: Float64Array;
  count: number;
}

export class ThreadPool {
  /** The matvec module over an imported shared memory; engines of the pool are its instances. */
  readonly module: WebAssembly.Module;
  /** Parts of every section. */
  readonly parts: number;
  private readonly memories: WebAssembly.Memory[] = [];
  private readonly control: Int32Array;
  private readonly calls: CallList;
  private readonly code: PartCode;
  private readonly workers: HostWorker[] = [];
  private readonly block = canBlock();
  private started = false;
  private closed = false;
  private readyCount = 0;
  private section = 0;
  private readonly waiters: (() => void)[] = [];
  /** Sections published to the workers so far. */
  sections = 0;

  /** `threads` threads in all (threads - 1 workers). */
  constructor(readonly threads: number, private readonly spawn: Spawn, choice: EngineChoice) {
    this.module = new WebAssembly.Module(sharedMatvecModule(matvecModuleFor(choice) ?? matvecModule(), 1, MAX_PAGES));
    this.parts = Math.min(255, PARTS_PER_THREAD * threads);
    this.control = new Int32Array(new SharedArrayBuffer(4 * 128));
    this.calls = { calls: new Float64Array(new SharedArrayBuffer(8 * CALL_STRIDE * LIST_CALLS)), count: 0 };
    this.code = { replay: replayPart, split: splitPoint, specs: SPLIT_TABLE, list: this.calls.calls };
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
    const init: WorkerInit = {
      module: this.module, memories: this.memories, names: CALL_NAMES, control: this.control.buffer as SharedArrayBuffer,
      words: WORDS, list: this.calls.calls.buffer as SharedArrayBuffer, specs: SPLIT_TABLE, spins: SPINS,
    };
    for (let k = 1; k < this.threads; k++) {
      this.workers.push(this.spawn(source, init, () => {
        this.readyCount++;
        if (this.readyCount === this.workers.length) for (const f of this.waiters.splice(0)) f();
      }));
    }
  }

  /** Resolves, with the number of threads that take part, once every worker has started. */
  ready(): Promise<number> {
    if (this.readyCount === this.workers.length || this.closed) return Promise.resolve(this.active());
    return new Promise((resolve) => this.waiters.push(() => resolve(this.active())));
  }

  /** Threads that take part in a section published now: the main thread and the started workers. */
  active(): number {
    return this.closed ? 1 : 1 + Atomics.load(this.control, WORDS.ready);
  }

  /** Parts run by workers so far. */
  workerParts(): number {
    return Atomics.load(this.control, WORDS.workerParts);
  }

  /** The call list of the section being recorded. */
  list(): CallList {
    return this.calls;
  }

  /**
   * Runs the recorded section's parts on `engine`, on the main thread (with its own instance's
   * exports `own`) and the workers, and returns when all are done. Empties the list.
   */
  run(engine: number, own: readonly ((...args: number[]) => void)[]): void {
    const c = this.control;
    const w = WORDS;
    const section = (this.section = (this.section + 1) % SECTION_MOD || 1);
    c[w.parts] = this.parts;
    c[w.engine] = engine;
    c[w.count] = this.calls.count;
    Atomics.store(c, w.finished, 0);
    Atomics.store(c, w.claim, section << 8);
    if (this.workers.length > 0 && !this.closed) {
      Atomics.store(c, w.go, section);
      Atomics.notify(c, w.go);
      this.sections++;
    }
    runParts(this.code, () => own, c, w, section);
    for (let n = 0; ; n++) {
      const done = Atomics.load(c, w.finished);
      if (done === this.parts) break;
      if (this.block && n >= SPINS) Atomics.wait(c, w.finished, done);
    }
    this.calls.count = 0;
    if (Atomics.exchange(c, w.error, 0) !== 0) throw new Error('an LSTM worker thread failed while running its part of a product');
  }

  /** Stops and terminates the workers; the pool then runs everything on the main thread. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.control, WORDS.stop, 1);
    Atomics.add(this.control, WORDS.go, 1);
    Atomics.notify(this.control, WORDS.go);
    for (const w of this.workers) w.terminate();
    for (const f of this.waiters.splice(0)) f();
  }
}

/**
 * A pool of `threads` threads, or null when `threads` is 1 or this host cannot run workers over
 * shared memory (the caller then runs on one thread, as without the option).
 */
export function createThreadPool(threads: number, choice: EngineChoice = 'auto'): ThreadPool | null {
  if (threads <= 1) return null;
  const spawn = hostSpawn();
  if (!spawn) return null;
  try {
    return new ThreadPool(threads, spawn, choice);
  } catch {
    return null;
  }
}
