import { rtFail } from '../errors.js';
import { dataMatchesDType, RT_DTYPES } from '../dtype.js';
import type { RtValue } from '../model.js';
import { numel, type RtTensor } from '../tensor.js';

/**
 * Checks one graph input against its manifest value: dtype, typed-array class, element count, rank,
 * numeric dims, and symbolic dims bound consistently across the inputs of one run (`bindings`).
 */
export function checkInput(name: string, t: unknown, v: RtValue, bindings: Map<string, { size: number; input: string }>, freeAxis?: number): RtTensor {
  if (typeof t !== 'object' || t === null || !Array.isArray((t as RtTensor).shape) || !('data' in t)) {
    rtFail('E-RT-INPUT-DTYPE', `input '${name}' must be a tensor {dtype, shape, data}`, { field: name });
  }
  const x = t as RtTensor;
  if (x.dtype !== v.dtype) rtFail('E-RT-INPUT-DTYPE', `input '${name}' must be ${v.dtype}, got ${String(x.dtype)}`, { field: name });
  if (!dataMatchesDType(v.dtype, x.data)) {
    rtFail('E-RT-INPUT-DTYPE', `input '${name}' data must be a ${RT_DTYPES[v.dtype].ctor.name}`, { field: name });
  }
  let badDim = false;
  for (let i = 0; i < x.shape.length; i++) if (!Number.isSafeInteger(x.shape[i]) || x.shape[i]! < 0) badDim = true;
  if (badDim) rtFail('E-RT-INPUT-SHAPE', `input '${name}' has a bad shape [${x.shape.join(',')}]`, { field: name });
  if (x.data.length !== numel(x.shape)) {
    rtFail('E-RT-INPUT-SHAPE', `input '${name}' has ${x.data.length} elements, its shape [${x.shape.join(',')}] needs ${numel(x.shape)}`, { field: name });
  }
  if (v.shape) {
    // The expected shape's text is built only on failure (this runs for every input of every run).
    const want = () => `[${v.shape!.join(',')}]`;
    if (x.shape.length !== v.shape.length) rtFail('E-RT-INPUT-SHAPE', `input '${name}' has rank ${x.shape.length}, expected ${want()}`, { field: name });
    for (let i = 0; i < v.shape.length; i++) {
      const d = v.shape[i]!;
      const got = x.shape[i]!;
      if (i === freeAxis) continue;
      if (typeof d === 'number') {
        if (got !== d) rtFail('E-RT-INPUT-SHAPE', `input '${name}' dimension ${i} is ${got}, expected ${d} (shape ${want()})`, { field: name });
        continue;
      }
      const b = bindings.get(d);
      if (!b) bindings.set(d, { size: got, input: name });
      else if (b.size !== got) {
        rtFail('E-RT-INPUT-SHAPE', `input '${name}' dimension ${i} ('${d}') is ${got}, but '${d}' is ${b.size} in input '${b.input}'`, { field: name });
      }
    }
  }
  return x;
}

/**
 * Checks a kernel's output against the manifest (dtype, element count, rank and numeric dims; in a
 * stream, whose chunks may be shorter than a fixed-length export's sequence, not the numeric dims).
 */
export function checkProduced(t: RtTensor, v: RtValue, nodeName: string, streaming = false): void {
  if (t.dtype !== v.dtype || !dataMatchesDType(v.dtype, t.data)) producedFail(v, nodeName, `as ${t.dtype}, the graph declares ${v.dtype}`);
  if (t.data.length !== numel(t.shape)) producedFail(v, nodeName, `with ${t.data.length} elements for shape [${t.shape.join(',')}]`);
  const want = v.shape;
  if (!want) return;
  let bad = t.shape.length !== want.length;
  // A plain loop (this runs for every output of every node): no closure per call.
  for (let i = 0; !bad && !streaming && i < want.length; i++) if (typeof want[i] === 'number' && want[i] !== t.shape[i]) bad = true;
  if (bad) producedFail(v, nodeName, `with shape [${t.shape.join(',')}], the graph declares [${want.join(',')}]`);
}

function producedFail(v: RtValue, nodeName: string, msg: string): never {
  return rtFail('E-RT-EXEC', `node '${nodeName}' produced '${v.name}' ${msg}`, { field: nodeName });
}
