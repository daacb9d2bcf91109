import type { Graph } from '@lstmc/ir';
import { writeRuntimeGraph } from '@lstmc/runtime/writer';
import { lowerToRuntime, type LowerOptions } from './lower/index.js';

/** Lowers a typed IR graph and serializes it as a runtime graph file (.lrg). */
export function compileToRuntimeGraph(g: Graph, opts: LowerOptions = {}): Uint8Array {
  return writeRuntimeGraph(lowerToRuntime(g, opts));
}
