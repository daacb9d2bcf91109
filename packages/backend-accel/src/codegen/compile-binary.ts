import type { Graph } from '@lstmc/ir';
import type { Target } from '@lstmc/target';
import { writeLxb } from '../container/lxb-write.js';
import { compileAccel, type CompileOptions } from './compile.js';
import { partitionGraph, type Partition } from './partition.js';

/** `lstmc compile --target accel`: the .lxb bytes, a one-line note, and what runs where. */
export function compileAccelBinary(g: Graph, target: Target, opts: CompileOptions = {}): { bytes: Uint8Array; note: string; partition: Partition } {
  const partition = partitionGraph(g);
  const p = compileAccel(g, target, opts, partition);
  const bytes = writeLxb(p);
  const sparse = p.matrices.filter((m) => m.layout === 'csc').length;
  return {
    bytes,
    note: `accelerator binary, ${bytes.length} bytes: ${p.code.length} instructions, ${p.matrices.length} matrices (${sparse} sparse), ${p.io.layers.length} layer direction(s), ${p.io.phases.length} accelerator phase(s), ${p.io.hostSegments.length} host segment(s)`,
    partition,
  };
}
