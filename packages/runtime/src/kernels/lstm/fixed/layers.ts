import { rtFail } from '../../../errors.js';
import { buildLuts, toFixed, type FixedLstmLayer, type FixedLuts } from '../../../fixed/index.js';
import type { RtTensor } from '../../../tensor.js';
import { numDirections } from '../lstm-io.js';
import type { LstmFixedAttrs } from './schema.js';

function intsOf<A extends Int32Array | Float64Array>(out: A, t: RtTensor, start: number, lo: number, hi: number, what: string): A {
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const v = Number(t.data[start + i]);
    if (!Number.isInteger(v) || v < lo || v > hi) rtFail('E-RT-EXEC', `${what}[${start + i}] = ${v} is not an integer in [${lo}, ${hi}]`);
    out[i] = v;
  }
  return out;
}

export function lutsOf(a: LstmFixedAttrs): FixedLuts {
  return buildLuts(a.lut_entries, a.act_bits);
}

/**
 * The directions of an `lstm.fixed` node in the form the shared fixed-point
 * semantics take (runtime/src/fixed, FixedLstmLayer). Pure unpacking: the
 * weights are already integers; only the clip threshold is converted, with
 * the same rule the quantize pass uses (toFixed at acc_frac).
 */
export function fixedLayersOf(a: LstmFixedAttrs, W: RtTensor, R: RtTensor, B: RtTensor | null, P: RtTensor | null, luts: FixedLuts): FixedLstmLayer[] {
  const D = numDirections(a);
  const H = a.hidden_size;
  const I = a.input_size;
  const want = (name: string, t: RtTensor, n: number) => {
    if (t.data.length !== n) rtFail('E-RT-EXEC', `${name} has ${t.data.length} elements, expected ${n}`);
  };
  want('W', W, D * 4 * H * I);
  want('R', R, D * 4 * H * H);
  if (B) want('B', B, D * 4 * H);
  if (P) want('P', P, D * 3 * H);
  const wLo = -(2 ** (a.weight_bits - 1));
  const aLo = -(2 ** (a.acc_bits - 1));
  return Array.from({ length: D }, (_, d): FixedLstmLayer => {
    const fmt = { x: a.x_frac[d]!, c: a.c_frac[d]!, acc: a.acc_frac[d]!, w: a.w_frac[d]!, r: a.r_frac[d]!, p: a.p_frac[d] ?? 0 };
    return {
      hidden: H,
      input: I,
      actBits: a.act_bits,
      accBits: a.acc_bits,
      fmt,
      W: intsOf(new Int32Array(4 * H * I), W, d * 4 * H * I, wLo, -wLo - 1, 'W'),
      R: intsOf(new Int32Array(4 * H * H), R, d * 4 * H * H, wLo, -wLo - 1, 'R'),
      bias: B ? intsOf(new Float64Array(4 * H), B, d * 4 * H, aLo, -aLo - 1, 'B') : null,
      peephole: P ? intsOf(new Int32Array(3 * H), P, d * 3 * H, wLo, -wLo - 1, 'P') : null,
      clip: a.clip === undefined ? null : toFixed(a.clip, fmt.acc, a.acc_bits),
      inputForget: a.input_forget === 1,
      luts,
    };
  });
}
