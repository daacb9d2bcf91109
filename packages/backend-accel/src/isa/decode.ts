import { fail } from '@lstmc/ir';
import { OPCODE_BITS, WORD_BITS } from './fields.js';
import { fieldRange, type IsaLayout } from './derive-isa.js';
import type { Instr } from './encode.js';

/**
 * Decode one word. `offset` is the word's byte offset in the file, reported
 * with unknown opcodes, non-zero reserved bits and out-of-range fields.
 */
export function decodeInstr(isa: IsaLayout, word: bigint, offset: number, codeLength: number): Instr {
  const opcode = Number(word >> BigInt(WORD_BITS - OPCODE_BITS));
  const lay = isa.byOpcode.get(opcode);
  if (!lay) fail('E-LXB-OPCODE', `unknown opcode 0x${opcode.toString(16)}`, { offset });
  const operands: Record<string, number> = {};
  for (const f of lay.fields) {
    let v = Number((word >> BigInt(f.lsb)) & ((1n << BigInt(f.width)) - 1n));
    if (f.kind === 'int' && v >= 2 ** (f.width - 1)) v -= 2 ** f.width;
    const { max } = fieldRange(f);
    if (v > max) fail('E-LXB-FIELD', `${lay.mnemonic} field '${f.name}' = ${v} is out of range (max ${max})`, { offset, field: f.name });
    if (f.kind === 'label' && v > codeLength) {
      fail('E-LXB-FIELD', `${lay.mnemonic} field '${f.name}' points at instruction ${v}, past the end (${codeLength})`, { offset, field: f.name });
    }
    operands[f.name] = v;
  }
  if (lay.reservedBits > 0 && (word & ((1n << BigInt(lay.reservedBits)) - 1n)) !== 0n) {
    fail('E-LXB-FIELD', `${lay.mnemonic} has non-zero reserved bits`, { offset });
  }
  return { mnemonic: lay.mnemonic, operands };
}

/** Decode a code section that starts at byte `base` of the file. */
export function decodeProgram(isa: IsaLayout, bytes: Uint8Array, base = 0): Instr[] {
  if (bytes.length % 8 !== 0) fail('E-LXB-TRUNCATED', `code section of ${bytes.length} bytes is not a whole number of 8-byte words`, { offset: base + bytes.length - (bytes.length % 8) });
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length / 8;
  const out: Instr[] = [];
  for (let i = 0; i < n; i++) out.push(decodeInstr(isa, dv.getBigUint64(i * 8, true), base + i * 8, n));
  return out;
}
