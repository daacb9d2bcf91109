import type { EvalContext, InferContext, OpDef } from '../def.js';
import { req } from '../infer-util.js';
import type { OpTensor } from '../tensor.js';
import { tensorType } from '../types.js';

const INTEGER_INPUTS = /* @__PURE__ */ new Set(['i8', 'u8', 'i16', 'u16', 'i32']);

/**
 * Integer to float32: (x - x_zero_point) * x_scale, per tensor or per axis.
 * ONNX DequantizeLinear: y = (x - x_zero_point) * x_scale as float32, with a
 * scalar scale (per tensor) or a 1-D one along `axis` (per axis, opset 13);
 * the zero point, when given, has x's type and the scale's shape. Block
 * quantization (opset 21's `block_size`) is refused.
 */
export const DequantizeLinear: OpDef = {
  inputs: [{ name: 'x' }, { name: 'x_scale' }, { name: 'x_zero_point', optional: true }],
  outputs: [{ name: 'y' }],
  attrs: { axis: { kind: 'int', default: 1 }, block_size: { kind: 'int', default: 0 } },
  since: 10,
  infer(ctx: InferContext) {
    const x = req(ctx, 0);
    const s = req(ctx, 1);
    if (!INTEGER_INPUTS.has(x.dtype)) ctx.fail('E-IR-DTYPE', `DequantizeLinear input must be an 8-, 16- or 32-bit integer, got ${x.dtype}`, 'input 0');
    if (s.dtype !== 'f32') ctx.fail('E-IR-DTYPE', `DequantizeLinear scale must be f32 (lstmc dequantizes to float32), got ${s.dtype}`, 'input 1');
    if ((ctx.attrs.block_size as number) !== 0) ctx.fail('E-IR-ATTR-VALUE', 'DequantizeLinear block quantization (block_size) is not supported', 'block_size');
    if (s.shape && s.shape.length > 1) ctx.fail('E-IR-SHAPE', `DequantizeLinear scale must be a scalar or 1-D, got rank ${s.shape.length}`, 'input 1');
    const zp = ctx.inputs[2];
    if (zp && zp.dtype !== x.dtype) ctx.fail('E-IR-DTYPE', `DequantizeLinear zero point must have the input's type ${x.dtype}, got ${zp.dtype}`, 'input 2');
    if (s.shape?.length === 1 && x.shape) {
      const axis = perAxis(ctx.attrs.axis as number, x.shape.length);
      if (axis === undefined) ctx.fail('E-IR-ATTR-VALUE', `DequantizeLinear axis ${ctx.attrs.axis as number} is out of range for rank ${x.shape.length}`, 'axis');
      const n = x.shape[axis];
      if (typeof n === 'number' && typeof s.shape[0] === 'number' && s.shape[0] !== n)
        ctx.fail('E-IR-SHAPE', `DequantizeLinear scale has ${s.shape[0]} elements, axis ${axis} of the input has ${n}`, 'input 1');
    }
    return [tensorType('f32', x.shape)];
  },
  eval(ctx: EvalContext) {
    const x = ctx.inputs[0]!;
    const scale = ctx.inputs[1]!.data as Float32Array;
    const zp = ctx.inputs[2]?.data as ArrayLike<number> | undefined;
    const xs = x.data as ArrayLike<number>;
    const out = new Float32Array(xs.length);
    if (scale.length === 1) {
      const z = zp ? zp[0]! : 0;
      for (let i = 0; i < xs.length; i++) out[i] = (xs[i]! - z) * scale[0]!;
    } else {
      const axis = perAxis(ctx.attrs.axis as number, x.shape.length);
      if (axis === undefined || x.shape[axis] !== scale.length) ctx.fail(`DequantizeLinear scale of ${scale.length} elements does not fit axis ${ctx.attrs.axis as number} of [${x.shape.join(', ')}]`);
      let inner = 1;
      for (let d = axis + 1; d < x.shape.length; d++) inner *= x.shape[d]!;
      for (let i = 0; i < xs.length; i++) {
        const k = Math.floor(i / inner) % scale.length;
        out[i] = (xs[i]! - (zp ? zp[k]! : 0)) * scale[k]!;
      }
    }
    return [{ dtype: 'f32', shape: x.shape, data: out } satisfies OpTensor];
  },
};

function perAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}

/** The ops of this file, as the op table takes them: adding an op here is the whole change. */
export const QUANTIZE_OPS = { DequantizeLinear } as const satisfies Record<string, OpDef>;
