import { fail, formatType } from '@lstmc/ir';
import { lstmPackedShape, type RtAttr } from '@lstmc/runtime';
import { lowerLstmFixed } from './lstm-fixed-rule.js';
import { execModeOf } from './modes.js';
import type { LoweringRule } from './rule.js';

/**
 * ONNX LSTM -> `lstm.pack.f32` (W, R, B, P into the kernel's gate-interleaved layout) feeding
 * `lstm.dense.f32` (X, packed, sequence_lens, initial_h, initial_c). When the weights are
 * constants, as in every exported model, the builder folds the pack node: the packed tensor is
 * computed at compile time and stored in the blob, and the ONNX-layout weights are dropped.
 * Weights given as graph inputs (ONNX's node tests) are packed at run time.
 */
export const lowerLstm: LoweringRule = (c) => {
  if (c.fixed) return lowerLstmFixed(c, c.fixed);
  const a = c.attrs;
  const x = c.inputType(0)!;
  const w = c.inputType(1)!;
  if (x.dtype !== 'f32') fail('E-JS-DTYPE', `the JS runtime's LSTM is float32; X is ${x.dtype}`, { ...c.loc, field: 'X' });
  const wShape = w.shape;
  if (!wShape || typeof wShape[0] !== 'number' || typeof wShape[1] !== 'number' || typeof wShape[2] !== 'number')
    fail('E-JS-SHAPE', `LSTM W must have a static shape to be lowered, it is ${formatType(w)}`, { ...c.loc, field: 'W' });
  const D = wShape[0];
  const H = (a.hidden_size as number | undefined) ?? wShape[1] / 4;
  const I = wShape[2];

  const packed = c.temp(`${c.node.name}.packed`, 'f32', lstmPackedShape(D, H, I));
  c.emit('lstm.pack.f32', [c.input(1), c.input(2), c.input(3), c.input(7)], [packed], { hidden_size: { type: 'int', value: H } });

  const attrs: Record<string, RtAttr> = {
    hidden_size: { type: 'int', value: H },
    input_size: { type: 'int', value: I },
    direction: { type: 'string', value: a.direction as string },
    layout: { type: 'int', value: a.layout as number },
    input_forget: { type: 'int', value: a.input_forget as number },
  };
  if (a.activations !== undefined) attrs.activations = { type: 'strings', value: [...(a.activations as readonly string[])] };
  if (a.activation_alpha !== undefined) attrs.activation_alpha = { type: 'floats', value: [...(a.activation_alpha as readonly number[])] };
  if (a.activation_beta !== undefined) attrs.activation_beta = { type: 'floats', value: [...(a.activation_beta as readonly number[])] };
  if (a.clip !== undefined) attrs.clip = { type: 'float', value: a.clip as number };
  c.emit(
    'lstm.dense.f32',
    [c.input(0), packed, c.input(4), c.input(5), c.input(6)],
    [c.output(0), c.output(1), c.output(2)],
    attrs,
    execModeOf(c.node),
  );
};
