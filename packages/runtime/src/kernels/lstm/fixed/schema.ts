import type { RtValue } from '../../../model.js';
import type { ParsedAttrs, StaticNodeInfo } from '../../kernel.js';
import { dtypeIs } from '../../shape-util.js';
import { checkLstmAttrs, checkLstmSlots, LSTM_COMMON_ATTRS, numDirections } from '../lstm-io.js';

/**
 * Attributes of `lstm.fixed`. The widths are the target's (weight_bits from
 * the quantize pass); the fraction lengths are per direction (index 0 forward
 * or only, 1 reverse), as the quantize pass records them.
 */
export const LSTM_FIXED_ATTRS = {
  /** clip: the kernel puts the real threshold at acc_frac like the quantize pass does. */
  ...LSTM_COMMON_ATTRS,
  weight_bits: { type: 'int', required: true },
  act_bits: { type: 'int', required: true },
  acc_bits: { type: 'int', required: true },
  lut_entries: { type: 'int', required: true },
  x_frac: { type: 'ints', required: true },
  c_frac: { type: 'ints', required: true },
  acc_frac: { type: 'ints', required: true },
  w_frac: { type: 'ints', required: true },
  r_frac: { type: 'ints', required: true },
  p_frac: { type: 'ints', default: [] },
} as const;

export type LstmFixedAttrs = ParsedAttrs<typeof LSTM_FIXED_ATTRS>;

/** Input slots of `lstm.fixed`. */
export const LSTM_FIXED_INPUTS = ['X', 'W', 'R', 'B', 'P', 'sequence_lens', 'initial_h', 'initial_c'] as const;

/**
 * Fraction lengths keep every scale 2^f and 2^-f a finite, exact double. (The
 * quantize pass gives a matrix of tiny weights a large f, so the bound is
 * wide; any integer f inside it gives well-defined results.)
 */
export const FRAC_LIMIT = 1000;

const isInt = (v: number) => Number.isSafeInteger(v);
const isPow2 = (v: number) => v > 0 && (v & (v - 1)) === 0;

function shapeIs(v: RtValue | null, want: readonly number[]): boolean {
  if (!v || !v.shape) return true;
  return v.shape.length === want.length && v.shape.every((d, i) => typeof d !== 'number' || d === want[i]);
}

/** Every element of a constant is an integer in [lo, hi]; true for non-constants (checked at run time). */
function constIntsWithin(v: RtValue | null, lo: number, hi: number): boolean {
  const d = v?.data?.data;
  if (!d) return true;
  for (let i = 0; i < d.length; i++) {
    const x = Number(d[i]);
    if (!Number.isInteger(x) || x < lo || x > hi) return false;
  }
  return true;
}

/** Load-time check of an `lstm.fixed` node; returns an error message or undefined. */
export function checkLstmFixed(a: LstmFixedAttrs, node: StaticNodeInfo): string | undefined {
  const D = numDirections(a);
  const H = a.hidden_size;
  const I = a.input_size;
  const bad = checkLstmAttrs(a);
  if (bad) return bad;
  if (!(a.weight_bits >= 2 && a.weight_bits <= 16)) return `weight_bits must be in [2, 16], got ${a.weight_bits}`;
  if (!(a.act_bits >= 2 && a.act_bits <= 16)) return `act_bits must be in [2, 16], got ${a.act_bits}`;
  if (!(a.acc_bits >= a.act_bits && a.acc_bits <= 48)) return `acc_bits must be in [act_bits, 48], got ${a.acc_bits}`;
  if (!(isPow2(a.lut_entries) && a.lut_entries >= 2 && a.lut_entries <= 65536)) return `lut_entries must be a power of two in [2, 65536], got ${a.lut_entries}`;
  const P = node.inputs[4] ?? null;
  const fracs: [string, readonly number[], boolean][] = [
    ['x_frac', a.x_frac, true],
    ['c_frac', a.c_frac, true],
    ['acc_frac', a.acc_frac, true],
    ['w_frac', a.w_frac, true],
    ['r_frac', a.r_frac, true],
    ['p_frac', a.p_frac, P !== null],
  ];
  for (const [name, v, needed] of fracs) {
    if (!needed && v.length === 0) continue;
    if (v.length !== D) return `${name} must have ${D} entries (one per direction), got ${v.length}`;
    if (v.some((f) => !isInt(f) || Math.abs(f) > FRAC_LIMIT)) return `${name} entries must be integers in [-${FRAC_LIMIT}, ${FRAC_LIMIT}], got [${v.join(', ')}]`;
  }
  const [X, W, R, B, , SL, H0, C0] = LSTM_FIXED_INPUTS.map((_, i) => node.inputs[i] ?? null);
  const wLim = 2 ** (a.weight_bits - 1);
  const accLim = 2 ** (a.acc_bits - 1);
  const weights: [string, RtValue | null, number[]][] = [
    ['W', W, [D, 4 * H, I]],
    ['R', R, [D, 4 * H, H]],
    ['P', P, [D, 3 * H]],
  ];
  for (const [name, v, shape] of weights) {
    if (!dtypeIs(v, 'i8', 'i16') || !shapeIs(v, shape)) return `${name} must be an i8 or i16 tensor of shape [${shape.join(',')}]`;
    if (!constIntsWithin(v, -wLim, wLim - 1)) return `${name} has values outside the ${a.weight_bits}-bit range`;
  }
  if (!dtypeIs(B, 'f64') || !shapeIs(B, [D, 4 * H])) return `B must be an f64 tensor of shape [${D},${4 * H}] (integers at acc_frac)`;
  if (!constIntsWithin(B, -accLim, accLim - 1)) return `B has values that are not integers of the ${a.acc_bits}-bit accumulator`;
  return checkLstmSlots(a, X, SL, H0, C0, node.outputs);
}
