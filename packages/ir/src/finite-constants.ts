import { fail, type Location } from './diagnostic.js';
import type { Graph } from './graph.js';
import type { Tensor } from './tensor.js';

/** Index of the first NaN or infinite element of a floating-point tensor, or -1 (other dtypes: -1). */
export function firstNonFiniteElement(t: Tensor): number {
  const d = t.data;
  if (!(d instanceof Float32Array || d instanceof Float64Array)) return -1;
  for (let i = 0; i < d.length; i++) if (d[i]! - d[i]! !== 0) return i;
  return -1;
}

/**
 * Loaders' non-finite policy: an initializer or a Constant's value holding NaN or an infinity makes
 * every result it reaches NaN with no error at all, so it is refused (`code`) naming the tensor and
 * the element, unless non-finite constants are allowed (`--allow-nonfinite`).
 */
export function checkFiniteConstants(g: Graph, code: string, loc: Location): void {
  const report = (name: string, t: Tensor, i: number, node?: string) =>
    fail(code, `constant '${name}' holds ${(t.data as Float32Array)[i]} at element ${i} of ${t.dtype}[${t.dims.join(', ')}]; give --allow-nonfinite to accept it`, { ...loc, field: name, ...(node ? { node } : {}) });
  for (const [name, t] of g.initializers) {
    const i = firstNonFiniteElement(t);
    if (i >= 0) report(name, t, i);
  }
  for (const n of g.nodes)
    for (const a of Object.values(n.attrs)) {
      if (a.kind !== 'tensor') continue;
      const i = firstNonFiniteElement(a.value);
      if (i >= 0) report(n.outputs[0] ?? n.name, a.value, i, n.name);
    }
}
