import { describe, expect, it } from 'vitest';
import { defaultTarget, withParams } from '@lstmc/target';
import { isDiagnosticError } from '@lstmc/ir';
import { assembleProgram, decodeInstr, deriveIsa, encodeInstr, formatInstr, ISA, MNEMONICS, OPCODE_BITS } from '../src/index.js';
import { rng } from '@lstmc/testing';
import { randomInstr } from './random-instr.js';

const TARGETS = {
  default: defaultTarget,
  small: withParams(defaultTarget, { pes: 4, weightBits: 8, actBits: 8, accBits: 16, weightSramBytesPerPe: 1024, lutEntries: 16 }),
  wide: withParams(defaultTarget, { accBits: 48, weightSramBytesPerPe: 2 ** 31 }),
};

describe('ISA table', () => {
  it('opcodes are unique and fit the opcode field', () => {
    const ops = MNEMONICS.map((m) => ISA[m].opcode);
    expect(new Set(ops).size).toBe(ops.length);
    for (const o of ops) expect(o).toBeLessThan(2 ** OPCODE_BITS);
  });

  it('widths follow the target: cfg value is accBits wide, dma.w offset log2(SRAM) bits', () => {
    for (const t of Object.values(TARGETS)) {
      const isa = deriveIsa(t);
      expect(isa.byMnemonic.cfg.fields.find((f) => f.name === 'v')!.width).toBe(t.accBits);
      expect(isa.byMnemonic['dma.w'].fields.find((f) => f.name === 'o')!.width).toBe(Math.ceil(Math.log2(t.weightSramBytesPerPe)));
    }
  });
});

describe('round trips over random legal operands, every instruction', () => {
  for (const [name, t] of Object.entries(TARGETS)) {
    const isa = deriveIsa(t);
    for (const mn of MNEMONICS) {
      it(`${name}: ${mn}`, () => {
        const rand = rng(mn.length * 977 + name.length);
        const all = Array.from({ length: 300 }, () => randomInstr(isa, mn, rand));
        for (const ins of all) {
          const w = encodeInstr(isa, ins);
          expect(w >> 58n).toBe(BigInt(ISA[mn].opcode));
          expect(decodeInstr(isa, w, 0, 1 << 16)).toEqual(ins);
        }
        const text = all.map((ins) => formatInstr(isa, ins)).join('\n');
        expect(assembleProgram(`.target ${JSON.stringify(t)}\n${text}\n`).code).toEqual(all);
      });
    }
  }
});

describe('encoder range checks', () => {
  const isa = deriveIsa(defaultTarget);
  it('rejects a value one past a field maximum, naming the field', () => {
    try {
      encodeInstr(isa, { mnemonic: 'mv.d', operands: { m: 256, v: 0, a: 0, z: 0 } });
      expect.unreachable();
    } catch (e) {
      expect(isDiagnosticError(e) && e.diagnostic.code).toBe('E-ISA-RANGE');
      expect(isDiagnosticError(e) && e.diagnostic.loc.field).toBe('m');
    }
  });
  it('rejects an 8-bit-signed fraction of 64 (7-bit signed field)', () => {
    expect(() => encodeInstr(isa, { mnemonic: 'v.cell', operands: { c: 0, g: 0, n: 1, f: 64 } })).toThrowError(/E-ISA-RANGE/);
  });
});
