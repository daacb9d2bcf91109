import { rtFail } from '../errors.js';
import { RT_DTYPES, type RtData } from '../dtype.js';
import type { RtAttr, RtNode, RuntimeModel } from '../model.js';
import { numel, type RtTensor } from '../tensor.js';
import { alignUp, BLOB_ALIGN, HEADER_SIZE, writeHeader } from './header.js';
import type { BlobRef, Manifest, ManifestAttr, ManifestNode, ManifestValue } from './manifest-json.js';
import { assertLittleEndianHost } from './endian.js';

/** Collects constant tensors into the blob, each at a 64-byte aligned offset; the same data array is stored once. */
class BlobBuilder {
  private readonly parts: { offset: number; bytes: Uint8Array }[] = [];
  private readonly seen = new Map<RtData, BlobRef>();
  size = 0;

  add(t: RtTensor, field: string): BlobRef {
    const n = numel(t.shape);
    if (t.shape.some((d) => !Number.isInteger(d) || d < 0)) rtFail('E-RT-WRITE', `constant has a bad shape [${t.shape.join(',')}]`, { field });
    if (!(t.data instanceof RT_DTYPES[t.dtype].ctor) || t.data.length !== n) {
      rtFail('E-RT-WRITE', `constant data is not ${n} ${t.dtype} elements`, { field });
    }
    // Empty tensors take no blob space (offset 0 is always in range and aligned).
    if (n === 0) return { offset: 0, length: 0 };
    const hit = this.seen.get(t.data);
    if (hit) return hit;
    const offset = alignUp(this.size, BLOB_ALIGN);
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    this.parts.push({ offset, bytes });
    this.size = offset + bytes.length;
    const ref = { offset, length: bytes.length };
    this.seen.set(t.data, ref);
    return ref;
  }

  writeInto(out: Uint8Array, at: number): void {
    for (const p of this.parts) out.set(p.bytes, at + p.offset);
  }
}

function finite(v: number, field: string): number {
  if (!Number.isFinite(v)) rtFail('E-RT-WRITE', `non-finite number ${v} cannot be stored`, { field });
  return v;
}

function encodeAttr(a: RtAttr, blob: BlobBuilder, field: string): ManifestAttr {
  switch (a.type) {
    case 'int':
    case 'float':
      return { type: a.type, value: finite(a.value, field) };
    case 'string':
      return { type: 'string', value: a.value };
    case 'ints':
    case 'floats':
      return { type: a.type, value: a.value.map((v) => finite(v, field)) };
    case 'strings':
      return { type: 'strings', value: [...a.value] };
    case 'tensor':
      return { type: 'tensor', dtype: a.value.dtype, shape: [...a.value.shape], data: blob.add(a.value, field) };
  }
}

/** Serializes a RuntimeModel to runtime graph bytes: format 1.0, or 1.1 when a node has branches (so older readers refuse it by version). */
export function writeRuntimeGraph(model: RuntimeModel): Uint8Array {
  assertLittleEndianHost();
  const blob = new BlobBuilder();
  const values: ManifestValue[] = model.values.map((v, i) => {
    const mv: ManifestValue = { name: v.name, dtype: v.dtype, shape: v.shape === null ? null : [...v.shape] };
    if (v.data) {
      if (v.data.dtype !== v.dtype) rtFail('E-RT-WRITE', `constant '${v.name}' holds ${v.data.dtype} data but is declared ${v.dtype}`, { field: `values[${i}]` });
      mv.shape = [...v.data.shape];
      mv.data = blob.add(v.data, `values[${i}]`);
    }
    return mv;
  });
  let branches = false;
  const encodeNodes = (list: readonly RtNode[], path: string): ManifestNode[] =>
    list.map((n, i) => {
      const attrs: Record<string, ManifestAttr> = {};
      for (const [k, a] of Object.entries(n.attrs)) attrs[k] = encodeAttr(a, blob, `${path}[${i}].attrs.${k}`);
      const mn: ManifestNode = { kernel: n.kernel, name: n.name, inputs: [...n.inputs], outputs: [...n.outputs], attrs };
      if (n.mode) mn.mode = { W: n.mode.W, R: n.mode.R };
      if (n.branches) {
        branches = true;
        mn.branches = {};
        for (const b of Object.keys(n.branches).sort()) {
          const sg = n.branches[b]!;
          mn.branches[b] = { nodes: encodeNodes(sg.nodes, `${path}[${i}].branches.${b}.nodes`), outputs: [...sg.outputs] };
        }
      }
      return mn;
    });
  const nodes = encodeNodes(model.nodes, 'nodes');
  const manifest: Manifest = { values, inputs: [...model.inputs], outputs: [...model.outputs], nodes };
  if (model.metadata) manifest.metadata = { ...model.metadata };
  const json = new TextEncoder().encode(JSON.stringify(manifest));
  const blobOffset = alignUp(HEADER_SIZE + json.length, BLOB_ALIGN);
  const fileLength = blobOffset + blob.size;
  if (fileLength > 0xffffffff) rtFail('E-RT-WRITE', `runtime graph of ${fileLength} bytes exceeds the 4 GiB format limit`);
  const out = new Uint8Array(fileLength);
  out.set(json, HEADER_SIZE);
  blob.writeInto(out, blobOffset);
  writeHeader(out, { minor: branches ? 1 : 0, manifestOffset: HEADER_SIZE, manifestLength: json.length, blobOffset, blobLength: blob.size, fileLength });
  return out;
}
