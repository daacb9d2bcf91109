import { fail } from '@lstmc/ir';

/**
 * Per-PE weight blobs of the weights section.
 * dense: the PE's rows column by column ([cols x rowsOnPe]), weightBits
 *   two's-complement integers, little-endian.
 * csc: cols 16-bit little-endian column lengths, then the entries packed
 *   LSB-first as (value: weightBits | z: relIndexBits) bit fields, the last byte
 *   zero-padded. Sizes agree with relCscBytes / denseBytes of @lstmc/target.
 */
export function encodeDenseBlob(colMajor: ArrayLike<number>, weightBits: number): Uint8Array {
  const bpw = weightBits / 8;
  const out = new Uint8Array(colMajor.length * bpw);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < colMajor.length; i++) {
    if (bpw === 1) dv.setInt8(i, colMajor[i]);
    else dv.setInt16(i * 2, colMajor[i], true);
  }
  return out;
}

export function decodeDenseBlob(b: Uint8Array, count: number, weightBits: number, offset: number): Int32Array {
  const bpw = weightBits / 8;
  if (b.length !== count * bpw) fail('E-LXB-WEIGHTS', `dense blob has ${b.length} bytes, expected ${count * bpw}`, { offset });
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = bpw === 1 ? dv.getInt8(i) : dv.getInt16(i * 2, true);
  return out;
}

export function encodeCscBlob(colLen: ArrayLike<number>, values: ArrayLike<number>, relIdx: ArrayLike<number>, weightBits: number, relIndexBits: number): Uint8Array {
  const cols = colLen.length;
  const eBits = weightBits + relIndexBits;
  const out = new Uint8Array(2 * cols + Math.ceil((values.length * eBits) / 8));
  const dv = new DataView(out.buffer);
  for (let c = 0; c < cols; c++) dv.setUint16(2 * c, colLen[c], true);
  // Entries are at most 24 bits (weightBits <= 16, relIndexBits <= 8): a 32-bit bit buffer, flushed a byte at a time.
  const vmask = (1 << weightBits) - 1;
  let pos = 2 * cols;
  let buf = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    buf |= ((values[i] & vmask) | (relIdx[i] << weightBits)) << n;
    n += eBits;
    while (n >= 8) {
      out[pos++] = buf & 255;
      buf >>>= 8;
      n -= 8;
    }
  }
  if (n > 0) out[pos] = buf & 255;
  return out;
}

export function decodeCscBlob(
  b: Uint8Array,
  cols: number,
  weightBits: number,
  relIndexBits: number,
  offset: number,
): { colLen: Int32Array; values: Int32Array; relIdx: Uint8Array } {
  if (b.length < 2 * cols) fail('E-LXB-WEIGHTS', `sparse blob of ${b.length} bytes is shorter than its ${cols} column lengths`, { offset });
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const colLen = new Int32Array(cols);
  let total = 0;
  for (let c = 0; c < cols; c++) total += colLen[c] = dv.getUint16(2 * c, true);
  const eBits = weightBits + relIndexBits;
  const need = 2 * cols + Math.ceil((total * eBits) / 8);
  if (b.length !== need) fail('E-LXB-WEIGHTS', `sparse blob has ${b.length} bytes, its column lengths need ${need}`, { offset });
  const values = new Int32Array(total);
  const relIdx = new Uint8Array(total);
  const half = 2 ** (weightBits - 1);
  const vmask = (1 << weightBits) - 1;
  const emask = (1 << eBits) - 1;
  let pos = 2 * cols;
  let buf = 0;
  let n = 0;
  for (let i = 0; i < total; i++) {
    while (n < eBits) {
      buf |= b[pos++] << n;
      n += 8;
    }
    const field = buf & emask;
    buf >>>= eBits;
    n -= eBits;
    const v = field & vmask;
    values[i] = v >= half ? v - 2 * half : v;
    relIdx[i] = field >>> weightBits;
  }
  return { colLen, values, relIdx };
}
