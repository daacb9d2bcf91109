import { type Node, type Tensor, elemAsNumber, fail } from '@lstmc/ir';
import { ANN, fedByLstm } from '@lstmc/passes';
import type { RtAttr, RtTensor } from '@lstmc/runtime';
import { execModeOf } from './modes.js';
import type { FixedNumerics, RuleContext } from './rule.js';

/** The activations the accelerator's tables implement (the ONNX defaults). */
const LUT_ACTIVATIONS = ['sigmoid', 'tanh', 'tanh'];

/** True when the node carries the quantize pass's results. */
export function isQuantized(n: Node): boolean {
  return n.attrs[ANN.qW] !== undefined;
}

function strings(n: Node, key: string): readonly string[] | undefined {
  const a = n.attrs[key];
  return a?.kind === 'strings' ? a.value : a?.kind === 'string' ? [a.value] : undefined;
}
function ints(n: Node, key: string): readonly number[] | undefined {
  const a = n.attrs[key];
  return a?.kind === 'ints' || a?.kind === 'floats' ? a.value : a?.kind === 'int' ? [a.value] : undefined;
}

/**
 * ONNX LSTM -> `lstm.fixed` for `--numerics fixed`: the quantize pass's
 * integer weights (initializers named by `lstmc.q.*`), concatenated over
 * directions, with the formats as attributes and the target's widths. The
 * float weights are left unused (finalize drops them).
 */
export function lowerLstmFixed(c: RuleContext, fx: FixedNumerics): void {
  const n = c.node;
  const a = c.attrs;
  const loc = c.loc;
  if (c.inputType(0)!.dtype !== 'f32') fail('E-JS-DTYPE', `the fixed-point LSTM takes float32 X, got ${c.inputType(0)!.dtype}`, { ...loc, field: 'X' });
  const acts = a.activations as readonly string[] | undefined;
  const bad = acts?.find((f, i) => f.toLowerCase() !== LUT_ACTIVATIONS[i % 3]);
  if (bad !== undefined)
    fail('E-JS-FIXED-UNSUPPORTED', `activation '${bad}' has no fixed-point form: the accelerator's look-up tables implement Sigmoid and Tanh`, { ...loc, field: 'activations' });
  if (!isQuantized(n))
    fail('E-JS-NOT-QUANTIZED', `LSTM '${n.name}' has no fixed-point weights: run the quantize pass (e.g. -O accel) before lowering with fixed numerics`, loc);
  const D = a.direction === 'bidirectional' ? 2 : 1;
  const names = (key: string, required: boolean): readonly string[] | null => {
    const v = strings(n, key);
    if (!v || v.length === 0) {
      if (required) fail('E-JS-QUANT', `annotation ${key} is missing`, { ...loc, field: key });
      return null;
    }
    if (v.length !== D) fail('E-JS-QUANT', `annotation ${key} names ${v.length} tensors for ${D} direction(s)`, { ...loc, field: key });
    return v;
  };
  const fracs = (key: string, required: boolean): number[] => {
    const v = ints(n, key);
    if (!v) return required ? fail('E-JS-QUANT', `annotation ${key} is missing`, { ...loc, field: key }) : [];
    if (v.length !== D || v.some((f) => !Number.isInteger(f))) fail('E-JS-QUANT', `annotation ${key} must hold ${D} integer(s), got [${v.join(', ')}]`, { ...loc, field: key });
    return [...v];
  };
  const weightBits = ints(n, ANN.qWeightBits)?.[0] ?? fail('E-JS-QUANT', `annotation ${ANN.qWeightBits} is missing`, { ...loc, field: ANN.qWeightBits });
  const wDtype = weightBits <= 8 ? 'i8' : 'i16';
  const wShape = c.inputType(1)!.shape;
  if (!wShape || typeof wShape[1] !== 'number' || typeof wShape[2] !== 'number')
    fail('E-JS-SHAPE', 'LSTM W must have a static shape to be lowered', { ...loc, field: 'W' });
  const H = (a.hidden_size as number | undefined) ?? wShape[1] / 4;
  const I = wShape[2];

  /** The per-direction initializers of one annotation, as one [D, ...dims] runtime constant. */
  const stack = (key: string, dims: readonly number[], dtype: 'i8' | 'i16' | 'f64', required: boolean): number => {
    const list = names(key, required);
    if (!list) return -1;
    const per = dims.reduce((x, y) => x * y, 1);
    const data = dtype === 'i8' ? new Int8Array(D * per) : dtype === 'i16' ? new Int16Array(D * per) : new Float64Array(D * per);
    list.forEach((name, d) => {
      const t: Tensor | undefined = fx.initializer(name);
      if (!t) fail('E-JS-QUANT', `initializer '${name}' named by ${key} does not exist`, { ...loc, field: key });
      if (t.dims.length !== dims.length || t.dims.some((x, i) => x !== dims[i]))
        fail('E-JS-QUANT', `initializer '${name}' has shape [${t.dims.join(',')}], expected [${dims.join(',')}]`, { ...loc, field: key });
      for (let i = 0; i < per; i++) data[d * per + i] = elemAsNumber(t, i);
    });
    return c.constantValue(`${key.slice('lstmc.q.'.length)}`, { dtype, shape: [D, ...dims], data } as RtTensor);
  };
  const W = stack(ANN.qW, [4 * H, I], wDtype, true);
  const R = stack(ANN.qR, [4 * H, H], wDtype, true);
  const B = stack(ANN.qB, [4 * H], 'f64', false);
  const P = stack(ANN.qP, [3 * H], wDtype, false);
  const ia = (v: number): RtAttr => ({ type: 'int', value: v });
  const ls = (v: number[]): RtAttr => ({ type: 'ints', value: v });
  const attrs: Record<string, RtAttr> = {
    hidden_size: ia(H),
    input_size: ia(I),
    direction: { type: 'string', value: a.direction as string },
    layout: ia(a.layout as number),
    input_forget: ia(a.input_forget as number),
    weight_bits: ia(weightBits),
    act_bits: ia(fx.actBits),
    acc_bits: ia(fx.accBits),
    lut_entries: ia(fx.lutEntries),
    // A layer fed by another LSTM's Y gets that layer's h words unchanged on the accelerator, so x is
    // at h's scale whatever the quantize pass chose (codegen compile.ts makes the same override); the
    // kernel's re-quantization of the exact float32 h is then the identity.
    x_frac: ls(fedByLstm(fx.producer, n.inputs[0] ?? '') ? new Array<number>(D).fill(fx.actBits - 1) : fracs(ANN.qXFrac, true)),
    c_frac: ls(fracs(ANN.qCFrac, true)),
    acc_frac: ls(fracs(ANN.qAccFrac, true)),
    w_frac: ls(fracs(ANN.qWFrac, true)),
    r_frac: ls(fracs(ANN.qRFrac, true)),
  };
  if (P >= 0) attrs.p_frac = ls(fracs(ANN.qPFrac, true));
  if (a.clip !== undefined) attrs.clip = { type: 'float', value: a.clip as number };
  c.emit('lstm.fixed', [c.input(0), W, R, B, P, c.input(4), c.input(5), c.input(6)], [c.output(0), c.output(1), c.output(2)], attrs, execModeOf(n));
}
