import { printTarget, targetHashBytes } from '@lstmc/target';
import { deriveIsa } from '../isa/derive-isa.js';
import { encodeProgram } from '../isa/encode.js';
import { crc32 } from '@lstmc/runtime';
import type { LxbProgram } from './program.js';
import { LXB, SECTION_KINDS, SECTION_ORDER, type SectionKind } from './sections.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Section payloads of a program, in SECTION_ORDER. JSON sections use fixed key order (object literal order). */
export function sectionPayloads(p: LxbProgram): Record<SectionKind, Uint8Array> {
  const consts = new Uint8Array(p.consts.length * 8);
  const cdv = new DataView(consts.buffer);
  p.consts.forEach((v, i) => cdv.setBigInt64(i * 8, BigInt(v), true));
  const n = p.luts.entries;
  const luts = new Uint8Array(2 * n * 4);
  const ldv = new DataView(luts.buffer);
  for (let i = 0; i < n; i++) {
    ldv.setInt32(i * 4, p.luts.sigmoid[i], true);
    ldv.setInt32((n + i) * 4, p.luts.tanh[i], true);
  }
  return {
    target: utf8(printTarget(p.target)),
    code: encodeProgram(deriveIsa(p.target), p.code),
    weights: p.weights,
    consts,
    luts,
    matrices: utf8(JSON.stringify(p.matrices)),
    io: utf8(JSON.stringify(p.io)),
    debug: utf8(JSON.stringify(p.debug)),
    host: p.host,
  };
}

const alignUp = (n: number) => Math.ceil(n / LXB.align) * LXB.align;

/**
 * Serialize. Layout: 24-byte header (magic, u16 version, u16 section count,
 * 8-byte target hash, u32 CRC-32 of header+table with this field zero, u32 file
 * length), a 16-byte entry per section (u32 kind, u32 offset, u32 length,
 * u32 CRC-32 of the payload), then the payloads, each 8-byte aligned with zero
 * padding. Nothing depends on time or environment, so equal programs give
 * equal bytes.
 */
export function writeLxb(p: LxbProgram): Uint8Array {
  const payloads = sectionPayloads(p);
  const tableEnd = LXB.headerBytes + SECTION_ORDER.length * LXB.entryBytes;
  let off = alignUp(tableEnd);
  const placed = SECTION_ORDER.map((k) => {
    const at = off;
    off = alignUp(off + payloads[k].length);
    return { k, at };
  });
  const out = new Uint8Array(off);
  const dv = new DataView(out.buffer);
  out.set(LXB.magic, 0);
  dv.setUint16(4, LXB.version, true);
  dv.setUint16(6, SECTION_ORDER.length, true);
  out.set(targetHashBytes(p.target), 8);
  dv.setUint32(20, out.length, true);
  placed.forEach(({ k, at }, i) => {
    const e = LXB.headerBytes + i * LXB.entryBytes;
    dv.setUint32(e, SECTION_KINDS[k].id, true);
    dv.setUint32(e + 4, at, true);
    dv.setUint32(e + 8, payloads[k].length, true);
    dv.setUint32(e + 12, crc32(payloads[k]), true);
    out.set(payloads[k], at);
  });
  dv.setUint32(16, crc32(out.subarray(0, tableEnd)), true);
  return out;
}
