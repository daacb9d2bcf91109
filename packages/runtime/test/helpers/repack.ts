/** Test-only: rewrites the manifest of a runtime graph file and re-seals it with valid checksums. */
import { crc32, HEADER_FIELDS, HEADER_SIZE } from '../../src/index.js';
import { alignUp, BLOB_ALIGN, writeHeader } from '../../src/format/header.js';

export function splitFile(bytes: Uint8Array): { manifest: string; blob: Uint8Array } {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const mLen = v.getUint32(HEADER_FIELDS.manifestLength, true);
  const bOff = v.getUint32(HEADER_FIELDS.blobOffset, true);
  const bLen = v.getUint32(HEADER_FIELDS.blobLength, true);
  return { manifest: new TextDecoder().decode(bytes.subarray(HEADER_SIZE, HEADER_SIZE + mLen)), blob: bytes.slice(bOff, bOff + bLen) };
}

export function sealFile(manifest: Uint8Array | string, blob: Uint8Array, minor = 0): Uint8Array {
  const json = typeof manifest === 'string' ? new TextEncoder().encode(manifest) : manifest;
  const blobOffset = alignUp(HEADER_SIZE + json.length, BLOB_ALIGN);
  const out = new Uint8Array(blobOffset + blob.length);
  out.set(json, HEADER_SIZE);
  out.set(blob, blobOffset);
  writeHeader(out, { minor, manifestOffset: HEADER_SIZE, manifestLength: json.length, blobOffset, blobLength: blob.length, fileLength: out.length });
  return out;
}

/** Applies `edit` to the parsed manifest JSON and returns a correctly sealed file. */
export function editManifest(bytes: Uint8Array, edit: (m: any) => void): Uint8Array {
  const { manifest, blob } = splitFile(bytes);
  const m = JSON.parse(manifest);
  edit(m);
  return sealFile(JSON.stringify(m), blob);
}

/** Recomputes the header CRC after patching raw header bytes, so only the intended check can fail. */
export function resealHeader(bytes: Uint8Array): Uint8Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  v.setUint32(HEADER_FIELDS.headerCrc, crc32(bytes, 0, HEADER_FIELDS.headerCrc), true);
  return bytes;
}
