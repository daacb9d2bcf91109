import type { InferContext } from '../op-def.js';
import type { OpDef } from '../op-def.js';
import { FLOAT_TYPES, NUMERIC_TYPES, broadcast, expectDType, normAxis, req, sameAs, sameDType } from './util.js';

function binary(summary: string): OpDef {
  return {
    summary,
    inputs: [{ name: 'A' }, { name: 'B' }],
    outputs: [{ name: 'C' }],
    attrs: {},
    infer(ctx: InferContext) {
      const a = expectDType(ctx, 0, NUMERIC_TYPES);
      expectDType(ctx, 1, NUMERIC_TYPES);
      sameDType(ctx, [0, 1]);
      return [sameAs(a, broadcast(ctx, [a.shape, req(ctx, 1).shape]))];
    },
  };
}

function unary(summary: string, types = FLOAT_TYPES): OpDef {
  return {
    summary,
    inputs: [{ name: 'X' }],
    outputs: [{ name: 'Y' }],
    attrs: {},
    infer(ctx: InferContext) {
      return [sameAs(expectDType(ctx, 0, types))];
    },
  };
}

export const Add = binary('element-wise sum with numpy broadcasting');
export const Sub = binary('element-wise difference with numpy broadcasting');
export const Mul = binary('element-wise product with numpy broadcasting');
export const Div = binary('element-wise quotient with numpy broadcasting');
export const Relu = unary('max(x, 0)', NUMERIC_TYPES);
export const Sigmoid = unary('1 / (1 + exp(-x))');
export const Tanh = unary('hyperbolic tangent');

export const Identity: OpDef = {
  summary: 'copy of the input',
  inputs: [{ name: 'input' }],
  outputs: [{ name: 'output' }],
  attrs: {},
  infer: (ctx) => [sameAs(req(ctx, 0))],
};

export const Softmax: OpDef = {
  summary: 'softmax along an axis (opset < 13: over the flattened trailing dims)',
  inputs: [{ name: 'input' }],
  outputs: [{ name: 'output' }],
  attrs: { axis: { kind: 'int' } },
  infer(ctx: InferContext) {
    const x = expectDType(ctx, 0, FLOAT_TYPES);
    const axis = (ctx.attrs.axis as number | undefined) ?? (ctx.opset >= 13 ? -1 : 1);
    if (x.shape) normAxis(ctx, axis, x.shape.length);
    return [sameAs(x)];
  },
};
