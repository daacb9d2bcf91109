import { rtFail } from '../errors.js';
import { readRuntimeGraphWith, type ReadOptions } from '../format/reader.js';
import { prepareGraph, staticNodeInfo, type PreparedGraph } from '../graph/prepare.js';
import type { KernelEnv, KernelRegistry, StreamSlot } from '../kernels/kernel.js';
import type { EngineChoice } from '../kernels/lstm/matvec-engine.js';
import type { ThreadPool } from '../kernels/lstm/threads/thread-pool.js';
import type { RtDim, RuntimeModel } from '../model.js';
import type { RtTensor } from '../tensor.js';
import type { RtDType } from '../dtype.js';
import { executeGraph, type NodeTime } from './execute.js';
import { RunArena } from './run-arena.js';
import { checkInput } from './io-check.js';
import { streamTimeAxes } from './stream-axes.js';

export interface LoadOptions {
  /** Kernels available to the graph (default: the runtime's, the built-in registry for the main entry). */
  readonly kernels?: KernelRegistry;
  /**
   * Where the LSTM products run (default 'auto': WebAssembly SIMD when the host has it, with fused
   * multiply-adds where it has relaxed SIMD, as Chrome 114+ and Node 22 do, and Node 20 with
   * --experimental-wasm-relaxed-simd). 'wasm-simd' forces the plain module, whose results are the
   * same bits on every host; 'wasm-relaxed' the relaxed one (an error where the host lacks it); 'js' the float64 engine.
   */
  readonly matvec?: KernelEnv['matvec'];
  /**
   * 'int8': LSTM weights quantized to int8 at load, per-row scales (faster, approximate): dense matrices
   * and row groups; compressed rows (unstructured sparsity) stay f32, whose kernel is faster there (a
   * node's int8_w / int8_r still asks for int8 rows). Default 'f32'.
   */
  readonly lstmWeights?: 'f32' | 'int8';
  /** Accept NaN and infinite constants in the file (default: E-RT-NONFINITE naming the constant). */
  readonly allowNonFinite?: boolean;
  /** Receives the saturation counts of each fixed-point LSTM node's run (`lstm.fixed`). */
  readonly onSaturation?: KernelEnv['onSaturation'];
  /**
   * Threads for the LSTM products (default 1): the rows of each product are split between the calling
   * thread and threads - 1 workers (Node worker_threads, or Web Workers where SharedArrayBuffer is
   * allowed: a cross-origin isolated page), with results bit-identical to one thread. Where workers or
   * shared memory are unavailable, or the runtime was built without threads (`createRuntime` with no
   * `threadPool`), the model runs on one thread, without error. `Model.close()` ends the workers.
   */
  readonly threads?: number;
}

/** Options of one run (Model.run, Stream.push). */
export interface RunOptions {
  /**
   * Called after every kernel node that runs, with its name, kernel and the wall time of its kernel
   * call (performance.now()): a per-node profile. Nodes of an If branch are heard when the branch is
   * taken; the If itself is not (its time is its branch's). Without it, runs take no timestamps.
   */
  readonly onNode?: (t: NodeTime) => void;
}

export type { NodeTime };

export interface IoInfo {
  readonly name: string;
  readonly dtype: RtDType;
  readonly shape: readonly RtDim[] | null;
}

export type TensorMap = Record<string, RtTensor>;

/** Starts the worker threads of the `threads` option; null where threads are unavailable (createThreadPool). */
export type ThreadPoolFactory = (threads: number, matvec: EngineChoice) => ThreadPool | null;

/**
 * What a runtime is built from: the kernels its graphs may use and, optionally, threads. The main
 * entry's runtime has every built-in kernel and threads; `createRuntime` builds smaller ones (as the
 * module `lstmc runtime-entry` writes for one model does), which a bundler reduces to what they name.
 */
export interface RuntimeParts {
  readonly kernels: KernelRegistry;
  readonly threadPool?: ThreadPoolFactory;
}

/** A runtime: reads, loads and prepares graphs against its kernels. */
export interface Runtime {
  readonly kernels: KernelRegistry;
  /** Reads, validates and prepares runtime graph bytes. */
  loadModel(bytes: Uint8Array, options?: LoadOptions): Model;
  /** Prepares an in-memory RuntimeModel (as the JS backend builds it) without serializing it. */
  createModel(model: RuntimeModel, options?: LoadOptions): Model;
  /** Reads and fully validates runtime graph bytes against the runtime's kernels, without preparing them. */
  readRuntimeGraph(bytes: Uint8Array, options?: ReadOptions): RuntimeModel;
}

/** A runtime of these parts (see RuntimeParts). */
export function createRuntime(parts: RuntimeParts): Runtime {
  const { kernels } = parts;
  const readRuntimeGraph = (bytes: Uint8Array, options: ReadOptions = {}) => readRuntimeGraphWith(kernels, bytes, options);
  const createModel = (model: RuntimeModel, options: LoadOptions = {}) => new Model(model, options, parts);
  return { kernels, readRuntimeGraph, createModel, loadModel: (bytes, options = {}) => createModel(readRuntimeGraph(bytes, options), options) };
}

/**
 * A loaded runtime graph: validated and prepared once, run many times. Between runs it holds no state
 * of one, only memory the next run reuses (its run arena).
 */
export class Model {
  readonly inputs: readonly IoInfo[];
  readonly outputs: readonly IoInfo[];
  private readonly graph: PreparedGraph;
  /** Buffers of constants; outputs that alias them are copied so callers cannot modify the model. */
  private readonly constBuffers: ReadonlySet<ArrayBufferLike>;
  private readonly env: KernelEnv;
  /** Per-node results of the kernels' `prepare` (e.g. LSTM weights in WebAssembly memory). */
  private readonly prepared: readonly unknown[];
  /** The workers of the `threads` option (null: one thread). */
  private readonly pool: ThreadPool | null;
  /** Where a run's kernels take their output data from (run-arena.ts). */
  private readonly arena = new RunArena();

  /** Use a runtime's loadModel / createModel; `parts` are the runtime's. */
  constructor(readonly runtimeModel: RuntimeModel, options: LoadOptions, parts: RuntimeParts) {
    this.graph = prepareGraph(runtimeModel, options.kernels ?? parts.kernels);
    const io = (vi: number): IoInfo => {
      const v = runtimeModel.values[vi]!;
      return { name: v.name, dtype: v.dtype, shape: v.shape };
    };
    this.inputs = runtimeModel.inputs.map(io);
    this.outputs = runtimeModel.outputs.map(io);
    const bufs = new Set<ArrayBufferLike>();
    for (const v of runtimeModel.values) if (v.data) bufs.add(v.data.data.buffer);
    for (const p of this.graph.all) for (const a of Object.values(p.node.attrs)) if (a.type === 'tensor') bufs.add(a.value.data.buffer);
    this.constBuffers = bufs;
    const threads = options.threads ?? 1;
    if (!Number.isInteger(threads) || threads < 1) rtFail('E-RT-OPTION', `threads must be a positive integer, got ${String(threads)}`, { field: 'threads' });
    this.pool = threads > 1 && parts.threadPool ? parts.threadPool(threads, options.matvec ?? 'auto') : null;
    const matvec = options.matvec ?? 'auto';
    const shared = new Map<string, unknown>();
    this.env = {
      matvec,
      lstmWeights: options.lstmWeights ?? 'f32',
      threads: this.pool,
      shared: <T>(key: string, make: () => T): T => {
        if (!shared.has(key)) shared.set(key, make());
        return shared.get(key) as T;
      },
      ...(options.onSaturation ? { onSaturation: options.onSaturation } : {}),
    };
    try {
      this.prepared = this.graph.all.map((p) =>
        p.kernel.prepare?.(
          p.attrs,
          p.node.inputs.map((vi) => (vi === -1 ? null : (runtimeModel.values[vi]!.data ?? null))),
          this.env,
        ),
      );
    } catch (e) {
      this.pool?.close();
      throw e;
    }
    // Every engine of the model exists now: the workers start with all of them.
    this.pool?.start();
  }

  /**
   * Resolves once the worker threads have started, with the number of threads a product runs on
   * (1 without the `threads` option or where threads are unavailable). Runs before that use the threads
   * started so far; awaiting it only makes the split deterministic.
   */
  threadsReady(): Promise<number> {
    return this.pool ? this.pool.ready() : Promise.resolve(1);
  }

  /**
   * Threads a product runs on now; the sections (synchronised products) published to the workers so
   * far, their parts, and how many of those parts the workers ran (the main thread ran the others).
   */
  threadStats(): { threads: number; sections: number; parts: number; workerParts: number } {
    const p = this.pool;
    return { threads: p ? p.active() : 1, sections: p?.sections ?? 0, parts: p ? p.sections * p.parts : 0, workerParts: p?.workerParts() ?? 0 };
  }

  /** Ends the worker threads (if any); the model keeps working, on one thread. */
  close(): void {
    this.pool?.close();
  }

  /**
   * The time axis of each graph input that recurrent layers read as their sequence (by input name):
   * what a stream splits into chunks, and what diagnostics about an input element call its time step.
   */
  sequenceAxes(): ReadonlyMap<string, number> {
    const m = new Map<string, number>();
    for (const [vi, axis] of streamTimeAxes(this.graph)) m.set(this.runtimeModel.values[vi]!.name, axis);
    return m;
  }

  /** Runs the whole graph on named inputs; returns every graph output by name. */
  run(inputs: TensorMap, options?: RunOptions): TensorMap {
    return this.runWith(inputs, undefined, undefined, options);
  }

  /**
   * A streaming session: each `push` feeds one chunk of time steps and carries the state of every
   * LSTM to the next push, so the concatenated chunk outputs equal one run over the whole sequence.
   * Requires every LSTM to be forward and without sequence_lens (E-RT-STREAM otherwise). The time
   * axis of an input that only LSTMs read as their sequence takes any chunk length, also when the
   * graph declares a fixed length (torch's default export).
   */
  createStream(): Stream {
    for (const p of this.graph.all) {
      const k = p.kernel;
      if (!k.stateful) continue;
      const msg = k.checkStream?.(p.attrs, staticNodeInfo(this.runtimeModel, p.node));
      if (msg !== undefined) rtFail('E-RT-STREAM', `node '${p.node.name}': ${msg}`, { field: p.node.name });
    }
    return new Stream(this, streamTimeAxes(this.graph));
  }

  /** @internal Runs with optional stream state (used by Stream). */
  runWith(inputs: TensorMap, states: Map<number, StreamSlot> | undefined, freeAxes?: ReadonlyMap<number, number>, options?: RunOptions): TensorMap {
    const m = this.runtimeModel;
    if (typeof inputs !== 'object' || inputs === null) rtFail('E-RT-INPUT-MISSING', 'inputs must be an object of named tensors');
    const byName = new Map<string, number>();
    for (const vi of m.inputs) byName.set(m.values[vi]!.name, vi);
    for (const name of Object.keys(inputs)) {
      if (!byName.has(name)) rtFail('E-RT-INPUT-UNKNOWN', `'${name}' is not an input of this model (inputs: ${[...byName.keys()].join(', ')})`, { field: name });
    }
    const bindings = new Map<string, { size: number; input: string }>();
    const given = new Map<number, RtTensor>();
    for (const [name, vi] of byName) {
      if (!Object.hasOwn(inputs, name)) rtFail('E-RT-INPUT-MISSING', `missing input '${name}'`, { field: name });
      given.set(vi, checkInput(name, inputs[name], m.values[vi]!, bindings, freeAxes?.get(vi)));
    }
    const arena = this.arena.begin() ? this.arena : undefined;
    try {
      const env = executeGraph(this.graph, this.prepared, this.env, given, states, options?.onNode, arena?.alloc);
      const out: TensorMap = {};
      for (const vi of m.outputs) {
        const t = env[vi]!;
        const b = t.data.buffer;
        // Constants belong to the model, the arena's memory to the next run: the caller gets copies.
        out[m.values[vi]!.name] = this.constBuffers.has(b) || arena?.owns(b) ? { ...t, data: t.data.slice() as typeof t.data } : t;
      }
      return out;
    } finally {
      arena?.end();
    }
  }
}

/** A streaming session over a Model (see Model.createStream). */
export class Stream {
  private states = new Map<number, StreamSlot>();

  constructor(
    private readonly model: Model,
    private readonly timeAxes: ReadonlyMap<number, number>,
  ) {}

  /** Feeds one chunk (all graph inputs, sequence inputs holding this chunk's time steps); returns its outputs. */
  push(inputs: TensorMap, options?: RunOptions): TensorMap {
    return this.model.runWith(inputs, this.states, this.timeAxes, options);
  }

  /** Forgets the carried state: the next push starts a new sequence. */
  reset(): void {
    this.states = new Map();
  }
}
