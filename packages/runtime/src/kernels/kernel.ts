import type { Allocator } from '@lstmc/ops';
import type { RtAttrType, RtValue } from '../model.js';
import type { RtTensor } from '../tensor.js';
import type { SaturationLog } from '../fixed/saturation.js';
import type { ThreadPool } from './lstm/threads/thread-pool.js';

/** The JS type an attribute of each kind parses to. */
export interface AttrKindValue {
  int: number;
  float: number;
  string: string;
  ints: readonly number[];
  floats: readonly number[];
  strings: readonly string[];
  tensor: RtTensor;
}

export interface AttrSpec<K extends RtAttrType = RtAttrType> {
  readonly type: K;
  readonly required?: boolean;
  readonly default?: AttrKindValue[K];
  /** For string attributes: the allowed values. */
  readonly oneOf?: readonly string[];
}

export type AttrSchema = Readonly<Record<string, AttrSpec>>;

/** Attributes after parsing: present ones typed; optional ones without default may be undefined. */
export type ParsedAttrs<S extends AttrSchema> = {
  readonly [K in keyof S]: S[K] extends { required: true } | { default: unknown }
    ? AttrKindValue[S[K]['type']]
    : AttrKindValue[S[K]['type']] | undefined;
};

/** What a kernel sees at load time to check a node statically. */
export interface StaticNodeInfo {
  readonly name: string;
  /** The manifest value of each input slot, null for omitted optional inputs. */
  readonly inputs: readonly (RtValue | null)[];
  readonly outputs: readonly (RtValue | null)[];
}

/** Per-node state a stateful kernel keeps across `push` calls of a stream (h/c of an LSTM). */
export type StreamSlot = Record<string, unknown>;

export interface KernelCall<A> {
  readonly attrs: A;
  /** One entry per input slot; null for omitted optional inputs. */
  readonly inputs: readonly (RtTensor | null)[];
  /** One flag per output slot: is the output requested. A kernel may skip computing unrequested outputs. */
  readonly wanted: readonly boolean[];
  readonly nodeName: string;
  /** Present only inside a stream, for kernels with `stateful: true`. */
  readonly state?: StreamSlot;
  /** What the kernel's `prepare` returned for this node when the model was loaded (undefined without it). */
  readonly prepared?: unknown;
  readonly env: KernelEnv;
  /**
   * Where output data may come from (a run's arena, executor/run-arena.ts): zeroed arrays that the
   * next run of the model overwrites, so a kernel keeps nothing of them past its run (stream state is
   * copied). Absent: create arrays as usual (outputF32 does either).
   */
  readonly alloc?: Allocator;
}

/** Load options that kernels see. */
export interface KernelEnv {
  /** Where the LSTM products run (matvec-engine.ts EngineChoice): WebAssembly SIMD when available ('auto', relaxed SIMD where the host has it), or forced. */
  readonly matvec: 'auto' | 'wasm-simd' | 'wasm-relaxed' | 'js';
  /** How the f32 LSTM kernels store W and R: as given (f32, the default, or int8 where a node's int8_w / int8_r say), or all quantized to int8 at load (int8-weights.ts, int8-sparse.ts). */
  readonly lstmWeights?: 'f32' | 'int8';
  /** Fixed-point kernels report each run's saturation counts here (per LSTM node), when given. */
  readonly onSaturation?: (log: SaturationLog) => void;
  /**
   * Worker threads for the LSTM products (load option `threads`), or null/absent for one thread.
   * Engines created in `prepare` join the pool; the model starts it once every node is prepared.
   */
  readonly threads?: ThreadPool | null;
  /**
   * What the kernels of one model share, by key: `make()`'s value the first time a key is asked for,
   * that value after (the model keeps them; vector-engine.ts keeps the element-wise kernels' engine
   * here). Absent where a kernel is prepared outside a model.
   */
  readonly shared?: <T>(key: string, make: () => T) => T;
}

export interface KernelDef<S extends AttrSchema = AttrSchema> {
  readonly name: string;
  /** One line for people reading a registry; the runtime never reads it (the built-in kernels say it in their doc comments). */
  readonly summary?: string;
  /** Allowed number of input slots [min, max]; slots below `requiredInputs` may not be omitted. */
  readonly inputs: readonly [number, number];
  readonly requiredInputs: number;
  readonly outputs: readonly [number, number];
  readonly attrs: S;
  /** Carries state between the pushes of a stream (see StreamSlot). */
  readonly stateful?: boolean;
  /**
   * The output only re-lays out the inputs (same information, possibly padded): a compiler folds it
   * on constant inputs whatever its size, e.g. LSTM weight packing.
   */
  readonly relayout?: boolean;
  /**
   * Load-time check of a node against the manifest (input dtypes, ranks, attribute ranges).
   * Returns an error message, or undefined when the node is acceptable.
   */
  readonly check?: (attrs: ParsedAttrs<S>, node: StaticNodeInfo) => string | undefined;
  /**
   * For stateful kernels: can this node run inside a stream (equal to one whole-sequence run)?
   * Returns an error message, or undefined.
   */
  readonly checkStream?: (attrs: ParsedAttrs<S>, node: StaticNodeInfo) => string | undefined;
  /**
   * Once per node when a model is loaded: derive data from the node's constant inputs (null for inputs
   * that are not constants), e.g. copy weights into WebAssembly memory. Passed to `run` as `prepared`.
   */
  readonly prepare?: (attrs: ParsedAttrs<S>, constInputs: readonly (RtTensor | null)[], env: KernelEnv) => unknown;
  /** Computes the outputs; an entry may be null only for an output slot that is not wanted. */
  readonly run: (call: KernelCall<ParsedAttrs<S>>) => readonly (RtTensor | null)[];
}

/** n zeroed float32s for an output of this call: from the run's arena when it has one (KernelCall.alloc). */
export function outputF32(call: { readonly alloc?: Allocator | undefined }, n: number): Float32Array {
  return call.alloc ? (call.alloc('f32', n) as Float32Array) : new Float32Array(n);
}

/** Identity helper that keeps the attribute schema's literal type for ParsedAttrs inference. */
export function defineKernel<const S extends AttrSchema>(def: KernelDef<S>): KernelDef<S> {
  return def;
}

// Kernels differ in their schema type; the registry holds them behind this erased type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKernel = KernelDef<any>;

export type KernelRegistry = Readonly<Record<string, AnyKernel>>;
