import { fieldRange, MNEMONICS, type Instr, type IsaLayout } from '../src/index.js';

/** A random legal instruction of the given mnemonic (labels below codeLength). Extremes are drawn often. */
export function randomInstr(isa: IsaLayout, mnemonic: (typeof MNEMONICS)[number], rand: () => number, codeLength = 1 << 16): Instr {
  const operands: Record<string, number> = {};
  for (const f of isa.byMnemonic[mnemonic].fields) {
    let { min, max } = fieldRange(f);
    if (f.kind === 'label') max = Math.min(max, codeLength);
    const r = rand();
    operands[f.name] = r < 0.15 ? min : r < 0.3 ? max : min + Math.floor(rand() * (max - min + 1));
  }
  return { mnemonic, operands };
}
