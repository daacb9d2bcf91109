import { createHash } from 'node:crypto';
import type { Tensor } from '../tensor.js';
import { type BitScratch, formatF32Bits, formatF64Bits } from './number-format.js';
import { quote } from './names.js';

/** Element texts of a tensor, in row-major order. */
export function formatTensorElems(t: Tensor, s: BitScratch): string[] {
  const d = t.data;
  if (Array.isArray(d)) return (d as readonly string[]).map(quote);
  const out: string[] = [];
  if (d instanceof Float32Array) {
    const bits = new Uint32Array(d.buffer, d.byteOffset, d.length);
    for (let i = 0; i < bits.length; i++) out.push(formatF32Bits(bits[i]!, s));
  } else if (d instanceof Float64Array) {
    const bits = new BigUint64Array(d.buffer, d.byteOffset, d.length);
    for (let i = 0; i < bits.length; i++) out.push(formatF64Bits(bits[i]!, s));
  } else {
    const a = d as ArrayLike<number | bigint>;
    for (let i = 0; i < a.length; i++) out.push(String(a[i]));
  }
  return out;
}

/** Bytes a resource hash covers: the element storage (strings as their JSON array text). */
function tensorDataBytes(t: Tensor): Uint8Array {
  const d = t.data;
  if (Array.isArray(d)) return new TextEncoder().encode(JSON.stringify(d));
  const v = d as Exclude<Tensor['data'], readonly string[]>;
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/** First 16 hex digits of the SHA-256 of the tensor's element storage. */
export function tensorHash(t: Tensor): string {
  return createHash('sha256').update(tensorDataBytes(t)).digest('hex').slice(0, 16);
}
