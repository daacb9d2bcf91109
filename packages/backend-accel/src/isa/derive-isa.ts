import type { Target } from '@lstmc/target';
import { OPCODE_BITS, WORD_BITS, type FieldSpec } from './fields.js';
import { ISA, MNEMONICS, type InstrSpec, type Mnemonic } from './table.js';

export interface FieldLayout extends Omit<FieldSpec, 'width'> {
  readonly width: number;
  /** Bit position of the field's least significant bit in the word. */
  readonly lsb: number;
}

export interface InstrLayout {
  readonly mnemonic: Mnemonic;
  readonly spec: InstrSpec;
  readonly fields: readonly FieldLayout[];
  /** Low bits left unused (must be zero). */
  readonly reservedBits: number;
}

/** The ISA with every width resolved for one target. */
export interface IsaLayout {
  readonly target: Target;
  readonly byMnemonic: { readonly [K in Mnemonic]: InstrLayout };
  readonly byOpcode: ReadonlyMap<number, InstrLayout>;
}

/**
 * Resolve field widths for a target and place fields below the opcode, most
 * significant first, in table order. Word layout: [63..58] opcode, then fields,
 * then zero bits.
 */
export function deriveIsa(t: Target): IsaLayout {
  const byOpcode = new Map<number, InstrLayout>();
  const byMnemonic = {} as Record<Mnemonic, InstrLayout>;
  for (const mn of MNEMONICS) {
    const spec: InstrSpec = ISA[mn];
    let top = WORD_BITS - OPCODE_BITS;
    const fields = spec.fields.map((f): FieldLayout => {
      const width = typeof f.width === 'function' ? f.width(t) : f.width;
      top -= width;
      return { ...f, width, lsb: top };
    });
    if (top < 0) throw new Error(`instruction ${mn} needs ${WORD_BITS - OPCODE_BITS - top} operand bits, more than ${WORD_BITS - OPCODE_BITS}`);
    if (spec.opcode >= 2 ** OPCODE_BITS || byOpcode.has(spec.opcode)) throw new Error(`opcode 0x${spec.opcode.toString(16)} of ${mn} is invalid or taken`);
    const layout: InstrLayout = { mnemonic: mn, spec, fields, reservedBits: top };
    byOpcode.set(spec.opcode, layout);
    byMnemonic[mn] = layout;
  }
  return { target: t, byMnemonic, byOpcode };
}

/** Legal range of a field's value. */
export function fieldRange(f: FieldLayout): { min: number; max: number } {
  switch (f.kind) {
    case 'int':
      return { min: -(2 ** (f.width - 1)), max: 2 ** (f.width - 1) - 1 };
    case 'enum':
      return { min: 0, max: f.values!.length - 1 };
    case 'flag':
      return { min: 0, max: 1 };
    default:
      return { min: 0, max: 2 ** f.width - 1 };
  }
}
