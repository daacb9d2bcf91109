import { fail } from '@lstmc/ir';
import { OPCODE_BITS, WORD_BITS } from './fields.js';
import { fieldRange, type IsaLayout } from './derive-isa.js';
import type { Mnemonic, Operands } from './table.js';

export interface Instr {
  readonly mnemonic: Mnemonic;
  readonly operands: Operands;
}

/** One instruction word. Operands out of range are a user error naming the field. */
export function encodeInstr(isa: IsaLayout, ins: Instr): bigint {
  const lay = isa.byMnemonic[ins.mnemonic];
  let w = BigInt(lay.spec.opcode) << BigInt(WORD_BITS - OPCODE_BITS);
  for (const f of lay.fields) {
    const v = ins.operands[f.name];
    if (v === undefined) fail('E-ISA-OPERAND', `${ins.mnemonic} needs operand '${f.name}'`, { field: f.name });
    const { min, max } = fieldRange(f);
    if (!Number.isInteger(v) || v < min || v > max) {
      fail('E-ISA-RANGE', `${ins.mnemonic} operand '${f.name}' = ${v} is outside ${min}..${max} (${f.width} bits)`, { field: f.name });
    }
    const u = BigInt(v < 0 ? v + 2 ** f.width : v);
    w |= u << BigInt(f.lsb);
  }
  for (const k of Object.keys(ins.operands)) {
    if (!lay.fields.some((f) => f.name === k)) fail('E-ISA-OPERAND', `${ins.mnemonic} has no operand '${k}'`, { field: k });
  }
  return w;
}

/** Code bytes: each word little-endian. */
export function encodeProgram(isa: IsaLayout, code: readonly Instr[]): Uint8Array {
  const out = new Uint8Array(code.length * 8);
  const dv = new DataView(out.buffer);
  code.forEach((ins, i) => dv.setBigUint64(i * 8, encodeInstr(isa, ins), true));
  return out;
}
