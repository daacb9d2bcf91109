/**
 * The code a worker thread runs. Both functions reference nothing outside themselves: the pool builds
 * the worker's source from their text (`workerSource`), so the same code runs in Node's worker_threads
 * and in browser Web Workers, from the sources, the compiled package and the esbuild bundle alike.
 */

type Fn = (...args: number[]) => void;

/**
 * Unit boundaries of `parts` parts of `units` units: multiples of 4 (the row-group kernels work on
 * quads of units), the last part ending at `units`. A part may be empty.
 */
export function splitPoint(p: number, parts: number, units: number): number {
  return p >= parts ? units : Math.floor((p * units) / parts / 4) * 4;
}

/**
 * Runs part `part` of `parts` of a call list (split-calls.ts: per call an export index, then 12
 * arguments): each call restricted to the part's unit range, as `specs` (SPLIT_TABLE) says; a call
 * that does not split runs whole in part 0 only.
 */
export function replayPart(fns: readonly Fn[], specs: readonly (readonly number[] | null)[], split: typeof splitPoint, list: Float64Array, count: number, part: number, parts: number): void {
  const a = new Float64Array(12);
  // 13 = CALL_STRIDE; a literal because this function's text runs in the worker on its own.
  for (let c = 0, p = 0; c < count; c++, p += 13) {
    const fi = list[p]!;
    const spec = specs[fi]!;
    for (let i = 0; i < 12; i++) a[i] = list[p + 1 + i]!;
    if (spec === null) {
      if (part !== 0) continue;
    } else {
      const units = a[spec[0]!]!;
      const u0 = split(part, parts, units);
      const u1 = split(part + 1, parts, units);
      if (u1 <= u0) continue;
      a[spec[0]!] = u1 - u0;
      for (let s = 1; s < spec.length; s += 3) a[spec[s]!] += u0 * spec[s + 1]! * (spec[s + 2]! < 0 ? 1 : list[p + 1 + spec[s + 2]!]!);
    }
    fns[fi]!(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!);
  }
}

/** What a part runner needs besides the control block: the split, the specs and the section's call list. */
export interface PartCode {
  readonly replay: typeof replayPart;
  readonly split: typeof splitPoint;
  readonly specs: readonly (readonly number[] | null)[];
  readonly list: Float64Array;
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
  /** Calls in the section's list. */
  readonly count: number;
}

/** What a worker receives when it starts (thread-pool.ts). */
export interface WorkerInit {
  readonly module: WebAssembly.Module;
  /** One shared memory per engine; a section names its engine by index here. */
  readonly memories: readonly WebAssembly.Memory[];
  readonly names: readonly string[];
  readonly control: SharedArrayBuffer;
  readonly words: ControlWords;
  /** The sections' call list (Float64) and how each export splits (split-calls.ts SPLIT_TABLE). */
  readonly list: SharedArrayBuffer;
  readonly specs: readonly (readonly number[] | null)[];
  /** Polls of `go` before sleeping in Atomics.wait. */
  readonly spins: number;
}

/**
 * Claims and runs the parts of the section numbered `section` until none is left (on the functions
 * `fnsOf` gives for the section's engine); returns how many it ran. Every part is the same calls whoever runs it, so who runs which part does not change a bit.
 * Ordering: the main thread writes the list, parts, engine and count before it stores `claim`, and
 * reads the results after it saw `finished` reach the parts (Atomics are sequentially consistent).
 */
export function runParts(code: PartCode, fnsOf: (engine: number) => readonly Fn[], c: Int32Array, w: ControlWords, section: number): number {
  let ran = 0;
  for (;;) {
    const cl = Atomics.load(c, w.claim);
    const k = cl & 255;
    if (cl >>> 8 !== section || k >= c[w.parts]!) return ran;
    if (Atomics.compareExchange(c, w.claim, cl, cl + 1) !== cl) continue;
    try {
      code.replay(fnsOf(c[w.engine]!), code.specs, code.split, code.list, c[w.count]!, k, c[w.parts]!);
    } catch {
      Atomics.store(c, w.error, 1);
    }
    ran++;
    Atomics.add(c, w.finished, 1);
    Atomics.notify(c, w.finished);
  }
}

/** The worker's loop: wait for a new section (polling, then sleeping), run parts of it, repeat. */
export function workerLoop(code: Omit<PartCode, 'list' | 'specs'>, parts: typeof runParts, init: WorkerInit, post: (message: string) => void): void {
  const fns = init.memories.map((mem) => {
    const ex = new WebAssembly.Instance(init.module, { env: { mem } }).exports as Record<string, (...args: number[]) => void>;
    return init.names.map((n) => ex[n]!);
  });
  const c = new Int32Array(init.control);
  const part: PartCode = { ...code, specs: init.specs, list: new Float64Array(init.list) };
  const w = init.words;
  let seen = Atomics.load(c, w.go);
  Atomics.add(c, w.ready, 1);
  post('ready');
  for (;;) {
    for (let s = 0; Atomics.load(c, w.go) === seen; s++) if (s >= init.spins) Atomics.wait(c, w.go, seen);
    seen = Atomics.load(c, w.go);
    if (Atomics.load(c, w.stop) !== 0) return;
    Atomics.add(c, w.workerParts, parts(part, (e) => fns[e]!, c, w, seen));
  }
}

/** The worker's whole source: in Node it reads workerData, in a browser its first message. */
export function workerSource(): string {
  return `const code = { replay: ${replayPart.toString()}, split: ${splitPoint.toString()} };
const parts = ${runParts.toString()};
const loop = ${workerLoop.toString()};
if (typeof require === 'function') {
  const wt = require('node:worker_threads');
  loop(code, parts, wt.workerData, (m) => wt.parentPort.postMessage(m));
} else {
  self.onmessage = (e) => loop(code, parts, e.data, (m) => self.postMessage(m));
}
`;
}
