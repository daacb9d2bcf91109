import type { IsaLayout } from '../isa/derive-isa.js';
import type { Instr } from '../isa/encode.js';

/**
 * Text of one instruction: `mnemonic name=value, ...` in table field order.
 * Enums print their names, labels `@address`, the rest as decimal integers.
 */
export function formatInstr(isa: IsaLayout, ins: Instr): string {
  const lay = isa.byMnemonic[ins.mnemonic];
  const ops = lay.fields.map((f) => {
    const v = ins.operands[f.name];
    if (f.kind === 'enum') return `${f.name}=${f.values![v]}`;
    if (f.kind === 'label') return `${f.name}=@${v}`;
    return `${f.name}=${v}`;
  });
  return ops.length ? `${ins.mnemonic} ${ops.join(', ')}` : ins.mnemonic;
}
