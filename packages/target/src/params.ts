/**
 * The parameter table of the accelerator target (../../shared/spec/TARGET.md),
 * declared once. Everything else — the Target type, defaults, validation of
 * target files, docs/target.md and the ISA field widths in backend-accel — is
 * derived from this table.
 */
export interface ParamSpec {
  /** 'int': a safe integer; 'number': any finite number. */
  readonly type: 'int' | 'number';
  readonly default: number;
  /** Inclusive bounds. */
  readonly min: number;
  readonly max: number;
  /** When present, the only legal values. */
  readonly oneOf?: readonly number[];
  /** When true, the value must be a power of two. */
  readonly powerOfTwo?: boolean;
  /** Strictly greater than `min` instead of >= (for real-valued keys). */
  readonly exclusiveMin?: boolean;
  readonly unit: string;
  readonly doc: string;
}

export const TARGET_PARAMS = {
  pes: { type: 'int', default: 32, min: 1, max: 4096, unit: 'PEs', doc: 'processing elements' },
  denseLanes: {
    type: 'int', default: 4, min: 1, max: 64, unit: 'MACs/cycle',
    doc: 'MACs per PE per cycle in dense mode (contiguous weights)',
  },
  sparseEntriesPerCycle: {
    type: 'int', default: 1, min: 1, max: 64, unit: 'entries/cycle',
    doc: 'encoded sparse entries a PE consumes per cycle',
  },
  columnOverheadCycles: {
    type: 'int', default: 1, min: 0, max: 64, unit: 'cycles',
    doc: 'cycles a PE spends starting a column in sparse mode',
  },
  columnPrefetch: {
    type: 'int', default: 0, min: 0, max: 1, oneOf: [0, 1], unit: 'flag',
    doc: "1: a PE fetches the next column's pointer while it works on the current column, so a column costs max(columnOverheadCycles, its entry cycles) instead of their sum (0: TARGET.md's rule)",
  },
  relIndexBits: {
    type: 'int', default: 4, min: 1, max: 8, unit: 'bits',
    doc: 'bits of the relative row index in a sparse entry; a gap that does not fit costs a padding entry',
  },
  weightBits: {
    type: 'int', default: 16, min: 8, max: 16, oneOf: [8, 16], unit: 'bits',
    doc: 'weights are fixed point with a power-of-two scale per matrix',
  },
  actBits: {
    type: 'int', default: 16, min: 8, max: 16, oneOf: [8, 16], unit: 'bits',
    doc: 'activations and state, fixed point',
  },
  accBits: {
    type: 'int', default: 32, min: 16, max: 48, unit: 'bits',
    doc: 'accumulator width, saturating; at least weightBits + actBits',
  },
  weightSramBytesPerPe: {
    type: 'int', default: 65536, min: 1, max: 2 ** 31, unit: 'bytes',
    doc: 'on-chip weight memory per PE',
  },
  dmaBytesPerCycle: {
    type: 'int', default: 16, min: 1, max: 4096, unit: 'bytes/cycle',
    doc: 'DRAM bandwidth when weights do not fit on chip',
  },
  lutEntries: {
    type: 'int', default: 256, min: 4, max: 65536, powerOfTwo: true, unit: 'entries',
    doc: 'entries of the sigmoid/tanh look-up tables (power of two)',
  },
  batch: {
    type: 'int', default: 1, min: 1, max: 64, unit: 'sequences',
    doc: 'sequences that step together (one vector-memory and accumulator bank each), so each weight tile the PEs hold serves every sequence of the batch (1: TARGET.md, one sequence at a time)',
  },
  clockMHz: {
    type: 'number', default: 200, min: 0, max: 1e6, exclusiveMin: true, unit: 'MHz',
    doc: 'only to turn cycles into time in reports',
  },
} as const satisfies Record<string, ParamSpec>;

export type TargetKey = keyof typeof TARGET_PARAMS;

/** Parameter keys in table order (the canonical order for hashing and printing). */
export const TARGET_KEYS = Object.keys(TARGET_PARAMS) as TargetKey[];

export type Target = { readonly [K in TargetKey]: number };

export function isTargetKey(k: string): k is TargetKey {
  return Object.prototype.hasOwnProperty.call(TARGET_PARAMS, k);
}

export const defaultTarget: Target = Object.freeze(
  Object.fromEntries(TARGET_KEYS.map((k) => [k, TARGET_PARAMS[k].default])) as Target,
);
