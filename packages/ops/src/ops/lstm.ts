import type { InferContext, OpDef } from '../def.js';
import type { Dim, TensorType } from '../types.js';
import { tensorType } from '../types.js';
import { FLOAT_TYPES, expectDType, req, sameDType } from '../infer-util.js';

/** Activation functions the ONNX RNN family accepts, with how many of alpha/beta each takes. */
export const LSTM_ACTIVATIONS = {
  Relu: 0,
  Tanh: 0,
  Sigmoid: 0,
  Affine: 2,
  LeakyRelu: 1,
  ThresholdedRelu: 1,
  ScaledTanh: 2,
  HardSigmoid: 2,
  Elu: 1,
  Softsign: 0,
  Softplus: 0,
} as const satisfies Record<string, number>;

export type LstmActivation = keyof typeof LSTM_ACTIVATIONS;

export const LSTM_DIRECTIONS = ['forward', 'reverse', 'bidirectional'] as const;
export type LstmDirection = (typeof LSTM_DIRECTIONS)[number];

/** Input slots of LSTM, in ONNX order. */
export const LSTM_INPUTS = ['X', 'W', 'R', 'B', 'sequence_lens', 'initial_h', 'initial_c', 'P'] as const;

function expectShape(ctx: InferContext, i: number, want: readonly Dim[], code: string): TensorType {
  const t = req(ctx, i);
  const name = LSTM_INPUTS[i];
  if (t.shape === undefined) return t;
  const bad = t.shape.length !== want.length || t.shape.some((d, k) => typeof d === 'number' && typeof want[k] === 'number' && d !== want[k]);
  if (bad)
    ctx.fail(code, `LSTM input ${name} has shape [${t.shape.join(', ')}], expected [${want.join(', ')}]`, name);
  return t;
}

/** ONNX LSTM: one recurrent layer, forward, reverse or bidirectional. */
export const LSTM: OpDef = {
  // A pure call to a bundler, so that a bundle without LSTM's definition (the runtime's) drops it.
  inputs: /* @__PURE__ */ LSTM_INPUTS.map((name, i) => ({ name, optional: i >= 3 })),
  outputs: [
    { name: 'Y', optional: true },
    { name: 'Y_h', optional: true },
    { name: 'Y_c', optional: true },
  ],
  attrs: {
    activation_alpha: { kind: 'floats' },
    activation_beta: { kind: 'floats' },
    activations: { kind: 'strings' },
    clip: { kind: 'float', min: 0 },
    direction: { kind: 'string', default: 'forward', oneOf: LSTM_DIRECTIONS },
    hidden_size: { kind: 'int', min: 1, max: 1_048_576 }, // 2^20, as a literal: a bundler keeps an object holding a shift
    input_forget: { kind: 'int', default: 0, min: 0, max: 1 },
    layout: { kind: 'int', default: 0, min: 0, max: 1 },
  },
  infer(ctx: InferContext) {
    const a = ctx.attrs;
    const dirs = a.direction === 'bidirectional' ? 2 : 1;
    const layout = a.layout as number;
    const x = expectDType(ctx, 0, FLOAT_TYPES);
    const w = req(ctx, 1);
    req(ctx, 2);
    sameDType(ctx, [0, 1, 2, 3, 5, 6, 7]);

    if (x.shape !== undefined && x.shape.length !== 3)
      ctx.fail('E-LSTM-X-SHAPE', `LSTM input X must have rank 3, got [${x.shape.join(', ')}]`, 'X');
    const [seq, batch, inSize]: Dim[] = x.shape
      ? layout === 0
        ? [x.shape[0], x.shape[1], x.shape[2]]
        : [x.shape[1], x.shape[0], x.shape[2]]
      : [ctx.fresh('seq'), ctx.fresh('batch'), ctx.fresh('input')];

    if (w.shape === undefined || w.shape.length !== 3)
      ctx.fail('E-LSTM-W-SHAPE', `LSTM input W must have rank 3 [num_directions, 4*hidden, input]`, 'W');
    const gates = w.shape[1];
    let hidden: Dim;
    if (a.hidden_size !== undefined) {
      hidden = a.hidden_size as number;
      if (typeof gates === 'number' && gates !== 4 * hidden)
        ctx.fail('E-LSTM-HIDDEN-SIZE', `hidden_size=${hidden} disagrees with W, whose second dim is ${gates} (expected ${4 * hidden})`, 'hidden_size');
    } else if (typeof gates === 'number') {
      if (gates % 4 !== 0) ctx.fail('E-LSTM-W-SHAPE', `W's second dim ${gates} is not a multiple of 4`, 'W');
      hidden = gates / 4;
    } else hidden = ctx.fresh('hidden');
    const h4: Dim = typeof hidden === 'number' ? 4 * hidden : gates;

    expectShape(ctx, 1, [dirs, h4, inSize], 'E-LSTM-W-SHAPE');
    expectShape(ctx, 2, [dirs, h4, hidden], 'E-LSTM-R-SHAPE');
    if (ctx.inputs[3]) expectShape(ctx, 3, [dirs, typeof hidden === 'number' ? 8 * hidden : ctx.fresh('b'), ], 'E-LSTM-B-SHAPE');
    if (ctx.inputs[4]) {
      const sl = expectDType(ctx, 4, ['i32']);
      if (sl.shape && (sl.shape.length !== 1 || (typeof sl.shape[0] === 'number' && typeof batch === 'number' && sl.shape[0] !== batch)))
        ctx.fail('E-LSTM-SEQLENS-SHAPE', `sequence_lens must have shape [${batch}], got [${sl.shape.join(', ')}]`, 'sequence_lens');
    }
    const stateShape: Dim[] = layout === 0 ? [dirs, batch, hidden] : [batch, dirs, hidden];
    if (ctx.inputs[5]) expectShape(ctx, 5, stateShape, 'E-LSTM-STATE-SHAPE');
    if (ctx.inputs[6]) expectShape(ctx, 6, stateShape, 'E-LSTM-STATE-SHAPE');
    if (ctx.inputs[7]) expectShape(ctx, 7, [dirs, typeof hidden === 'number' ? 3 * hidden : ctx.fresh('p')], 'E-LSTM-P-SHAPE');

    const acts = a.activations as readonly string[] | undefined;
    if (acts !== undefined) {
      if (acts.length !== 3 * dirs)
        ctx.fail('E-LSTM-ACTIVATION', `LSTM needs ${3 * dirs} activations for direction=${a.direction as string}, got ${acts.length}`, 'activations');
      let params = 0;
      for (const f of acts) {
        if (!Object.hasOwn(LSTM_ACTIVATIONS, f))
          ctx.fail('E-LSTM-ACTIVATION', `unknown activation '${f}' (known: ${Object.keys(LSTM_ACTIVATIONS).join(', ')})`, 'activations');
        params += LSTM_ACTIVATIONS[f as LstmActivation] > 0 ? 1 : 0;
      }
      void params;
    }

    const t = (shape: Dim[]) => tensorType(x.dtype, shape);
    const out = ctx.node.outputs;
    return [
      out[0] ? t(layout === 0 ? [seq, dirs, batch, hidden] : [batch, seq, dirs, hidden]) : undefined,
      out[1] ? t(stateShape) : undefined,
      out[2] ? t(stateShape) : undefined,
    ];
  },
};

/** Typed view of an LSTM node's attributes with ONNX defaults applied. */
export interface LstmAttrs {
  readonly direction: LstmDirection;
  readonly numDirections: 1 | 2;
  readonly hiddenSize: number | undefined;
  readonly layout: 0 | 1;
  readonly inputForget: boolean;
  readonly clip: number | undefined;
  readonly activations: readonly LstmActivation[];
  readonly activationAlpha: readonly number[];
  readonly activationBeta: readonly number[];
}

/** The ops of this file, as the op table takes them: adding an op here is the whole change. */
export const RECURRENT_OPS = { LSTM } as const satisfies Record<string, OpDef>;
