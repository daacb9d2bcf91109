import type { Target } from '@lstmc/target';

/**
 * Operand fields of instruction words. A width is a constant or derived from
 * the target; derive-isa.ts resolves them once per target. No other file holds
 * a bit width.
 */
export const FIELD_KINDS = ['uint', 'int', 'enum', 'label', 'flag'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  readonly width: number | ((t: Target) => number);
  /** Names of an enum field's values (value = index). */
  readonly values?: readonly string[];
  readonly doc: string;
  /** For target-derived widths: the rule, for docs/isa.md. */
  readonly widthDoc?: string;
}

/** Address and size widths shared by several instructions. */
export const WIDTHS = {
  /** Vector memory word address (16 Ki words). */
  vaddr: 14,
  /** Accumulator row address. */
  aaddr: 14,
  /** Element count of a vector operation or DMA transfer. */
  count: 14,
  /** Constant-memory word address. */
  kaddr: 15,
  /** DRAM activation word address. */
  daddr: 26,
  /** Matrix table index. */
  matrix: 8,
  /** Signed fraction length. */
  frac: 7,
  /** Code address (instruction index). */
  label: 16,
} as const satisfies Record<string, number>;

/** Bits of the opcode at the top of every word, and of the whole word. */
export const OPCODE_BITS = 6;
export const WORD_BITS = 64;

export const CFG_REGS = ['clip', 'pshift'] as const;
export type CfgReg = (typeof CFG_REGS)[number];

export const ACT_SOURCES = ['acc', 'vmem'] as const;

/** Step count of a time loop: the whole batch's length, or this sequence's sequence_lens entry. */
export const LOOP_LENGTHS = ['full', 'seq'] as const;

const f = (name: string, kind: FieldKind, width: FieldSpec['width'], doc: string, values?: readonly string[]): FieldSpec =>
  values ? { name, kind, width, doc, values } : { name, kind, width, doc };

/** Field constructors used by the ISA table. */
export const F = {
  vaddr: (name: string, doc: string) => f(name, 'uint', WIDTHS.vaddr, doc),
  aaddr: (name: string, doc: string) => f(name, 'uint', WIDTHS.aaddr, doc),
  kaddr: (name: string, doc: string) => f(name, 'uint', WIDTHS.kaddr, doc),
  daddr: (name: string, doc: string) => f(name, 'uint', WIDTHS.daddr, doc),
  count: (name: string, doc: string) => f(name, 'uint', WIDTHS.count, doc),
  matrix: () => f('m', 'uint', WIDTHS.matrix, 'matrix table index'),
  frac: (name: string, doc: string) => f(name, 'int', WIDTHS.frac, doc),
  label: (name: string, doc: string) => f(name, 'label', WIDTHS.label, doc),
  flag: (name: string, doc: string) => f(name, 'flag', 1, doc),
  enumOf: (name: string, values: readonly string[], doc: string) => f(name, 'enum', Math.max(1, Math.ceil(Math.log2(values.length))), doc, values),
  /** Configuration value: as wide as the accumulator (it holds the clip threshold). */
  cfgValue: (): FieldSpec => ({ ...f('v', 'int', (t: Target) => t.accBits, 'value (accBits wide, signed)'), widthDoc: 'accBits' }),
  /** Per-PE weight SRAM byte offset: log2(weightSramBytesPerPe) bits. */
  sramOffset: (): FieldSpec => ({
    ...f('o', 'uint', (t: Target) => Math.max(1, Math.ceil(Math.log2(t.weightSramBytesPerPe))), 'weight SRAM byte offset on every PE'),
    widthDoc: 'ceil(log2 weightSramBytesPerPe)',
  }),
};
