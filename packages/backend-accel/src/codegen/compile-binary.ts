import type { Graph } from '@lstmc/ir';
import type { Target } from '@lstmc/target';
import { writeLxb } from '../container/lxb-write.js';
import { compileAccel, type CompileOptions } from './compile.js';

/** `lstmc compile --target accel`: the .lxb bytes and a one-line note. */
export function compileAccelBinary(g: Graph, target: Target, opts: CompileOptions = {}): { bytes: Uint8Array; note: string } {
  const p = compileAccel(g, target, opts);
  const bytes = writeLxb(p);
  const sparse = p.matrices.filter((m) => m.layout === 'csc').length;
  return {
    bytes,
    note: `accelerator binary, ${bytes.length} bytes: ${p.code.length} instructions, ${p.matrices.length} matrices (${sparse} sparse), ${p.io.layers.length} layer direction(s)`,
  };
}
