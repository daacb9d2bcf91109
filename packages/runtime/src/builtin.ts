/**
 * The main entry's runtime: every built-in kernel (BUILTIN_KERNELS) and threads. `loadModel`,
 * `createModel` and `readRuntimeGraph` of `@lstmc/runtime` are its functions; a runtime with fewer
 * kernels is one `createRuntime` builds.
 */
import { createRuntime } from './executor/model.js';
import { createThreadPool } from './kernels/lstm/threads/thread-pool.js';
import { BUILTIN_KERNELS } from './kernels/registry.js';

export const BUILTIN_RUNTIME = /* @__PURE__ */ createRuntime({ kernels: BUILTIN_KERNELS, threadPool: createThreadPool });

/** Reads, validates and prepares runtime graph bytes (see LoadOptions). */
export const loadModel = BUILTIN_RUNTIME.loadModel;
/** Prepares an in-memory RuntimeModel (as the JS backend builds it) without serializing it. */
export const createModel = BUILTIN_RUNTIME.createModel;
/**
 * Reads and fully validates runtime graph bytes: header, checksums, manifest JSON structure, every
 * index, dtype, shape and blob range, kernel names, attributes and graph order. Throws RuntimeError.
 */
export const readRuntimeGraph = BUILTIN_RUNTIME.readRuntimeGraph;
