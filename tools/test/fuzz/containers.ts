/**
 * Checksums recomputed after a mutation, so that a mutant reaches the structure checks behind the
 * CRCs of .lrg and .lxb files instead of stopping at them; and the JSON parts of both rewritten.
 */
import { crc32, HEADER_FIELDS, HEADER_SIZE, BLOB_ALIGN } from '@lstmc/runtime';
import { LXB, readLxb, writeLxb, type LxbProgram } from '@lstmc/backend-accel';

/** .lrg: the payload CRC over [64, declared length) as far as the file reaches, then the header CRC. */
export function fixLrgCrcs(bytes: Uint8Array): Uint8Array {
  if (bytes.length < HEADER_SIZE) return bytes;
  const out = bytes.slice();
  const v = new DataView(out.buffer);
  const end = Math.min(v.getUint32(HEADER_FIELDS.fileLength, true), out.length);
  if (end >= HEADER_SIZE) v.setUint32(HEADER_FIELDS.payloadCrc, crc32(out, HEADER_SIZE, end), true);
  v.setUint32(HEADER_FIELDS.headerCrc, crc32(out, 0, HEADER_FIELDS.headerCrc), true);
  return out;
}

/** .lrg with its manifest JSON replaced by `edit(manifest)`: header fields, padding and CRCs made consistent. */
export function rewriteLrgManifest(bytes: Uint8Array, edit: (manifest: unknown) => unknown): Uint8Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const F = HEADER_FIELDS;
  const mLen = v.getUint32(F.manifestLength, true);
  const blobOff = v.getUint32(F.blobOffset, true);
  const manifest = JSON.parse(new TextDecoder().decode(bytes.subarray(HEADER_SIZE, HEADER_SIZE + mLen)));
  const text = new TextEncoder().encode(JSON.stringify(edit(manifest)));
  const blob = bytes.subarray(blobOff);
  const newBlobOff = Math.ceil((HEADER_SIZE + text.length) / BLOB_ALIGN) * BLOB_ALIGN;
  const out = new Uint8Array(newBlobOff + blob.length);
  out.set(bytes.subarray(0, HEADER_SIZE), 0);
  out.set(text, HEADER_SIZE);
  out.set(blob, newBlobOff);
  const w = new DataView(out.buffer);
  w.setUint32(F.manifestLength, text.length, true);
  w.setUint32(F.blobOffset, newBlobOff, true);
  w.setUint32(F.fileLength, out.length, true);
  return fixLrgCrcs(out);
}

/** .lxb: each section CRC whose entry lies inside the file, then the header CRC. */
export function fixLxbCrcs(bytes: Uint8Array): Uint8Array {
  if (bytes.length < LXB.headerBytes) return bytes;
  const out = bytes.slice();
  const v = new DataView(out.buffer);
  const count = v.getUint16(6, true);
  const tableEnd = LXB.headerBytes + count * LXB.entryBytes;
  if (out.length < tableEnd) return out;
  for (let i = 0; i < count; i++) {
    const e = LXB.headerBytes + i * LXB.entryBytes;
    const off = v.getUint32(e + 4, true);
    const len = v.getUint32(e + 8, true);
    if (off + len <= out.length) v.setUint32(e + 12, crc32(out.subarray(off, off + len)), true);
  }
  v.setUint32(16, 0, true);
  v.setUint32(16, crc32(out.subarray(0, tableEnd)), true);
  return out;
}

/** The JSON parts of an .lxb program an edit may change (the `io`, `matrices` and `debug` sections). */
export const LXB_JSON_SECTIONS = ['io', 'matrices', 'debug'] as const;
export type LxbJsonSection = (typeof LXB_JSON_SECTIONS)[number];

/** A valid .lxb with one JSON section replaced by `edit(section)`, written with valid checksums. */
export function rewriteLxbJson(bytes: Uint8Array, section: LxbJsonSection, edit: (v: unknown) => unknown): Uint8Array {
  const p = readLxb(bytes).program;
  const changed = { ...p, [section]: edit(p[section]) } as LxbProgram;
  return writeLxb(changed);
}
