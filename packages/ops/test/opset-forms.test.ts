/**
 * Op forms that the ONNX spec gives only from (or until) some opset are refused at the others with
 * E-IR-OPSET, instead of computing something else. Most are also checked against onnxruntime-node
 * (packages/runtime/test/kernels-ort.test.ts, which both refuse); these are the ones onnxruntime-node
 * accepts outside the spec, and the accepted forms beside them.
 */
import { describe, expect, it } from 'vitest';
import { OPS, fromNumbers, makeOpTensor, type InferContext, type OpKind, type OpTensor } from '../src/index.js';
import { attrsWithDefaults, codeOf, inferContext } from './helpers/infer-context.js';

function infer(op: OpKind, opset: number, inputs: (OpTensor | undefined)[], attrs: InferContext['attrs'] = {}, outputs = ['y']) {
  const def = OPS[op];
  return () => def.infer(inferContext({ op, name: 'n', outputs }, inputs, attrsWithDefaults(def, attrs), opset));
}

const x = makeOpTensor('f32', [2, 3]);
const pads = fromNumbers('i64', [4], [1, 0, 0, 1]);

describe('opset forms', () => {
  it('LayerNormalization exists from opset 17', () => {
    expect(codeOf(infer('LayerNormalization', 16, [x, makeOpTensor('f32', [3])]))).toBe('E-IR-OPSET');
    expect(codeOf(infer('LayerNormalization', 17, [x, makeOpTensor('f32', [3])]))).toBeUndefined();
  });
  it("Pad mode 'wrap' exists from opset 19", () => {
    expect(codeOf(infer('Pad', 18, [x, pads], { mode: 'wrap' }))).toBe('E-IR-OPSET');
    expect(codeOf(infer('Pad', 19, [x, pads], { mode: 'wrap' }))).toBeUndefined();
  });
  it('Max and Min broadcast from opset 8', () => {
    expect(codeOf(infer('Max', 7, [x, makeOpTensor('f32', [1, 3])]))).toBe('E-IR-OPSET');
    expect(codeOf(infer('Min', 7, [x, x]))).toBeUndefined();
    expect(codeOf(infer('Max', 8, [x, makeOpTensor('f32', [3])]))).toBeUndefined();
  });
  it("Dropout's mask has the input's type before opset 10, bool from 10; all ones in inference", () => {
    expect(infer('Dropout', 9, [x], {}, ['y', 'mask'])()[1]?.dtype).toBe('f32');
    expect(infer('Dropout', 10, [x], {}, ['y', 'mask'])()[1]?.dtype).toBe('bool');
    const fail = (m: string): never => {
      throw new Error(m);
    };
    const run = (opset: number) => OPS.Dropout.eval!({ inputs: [x], attrs: attrsWithDefaults(OPS.Dropout), opset, wanted: [true, true], fail })[1]!;
    expect([run(9).dtype, ...run(9).data]).toEqual(['f32', 1, 1, 1, 1, 1, 1]);
    expect([run(13).dtype, ...run(13).data]).toEqual(['bool', 1, 1, 1, 1, 1, 1]);
  });
  it('Gelu exists from opset 20', () => {
    expect(codeOf(infer('Gelu', 19, [x]))).toBe('E-IR-OPSET');
    expect(codeOf(infer('Gelu', 20, [x]))).toBeUndefined();
  });
  it('Split: num_outputs must match the outputs and excludes the split input', () => {
    expect(codeOf(infer('Split', 18, [makeOpTensor('f32', [4])], { num_outputs: 3 }, ['a', 'b']))).toBe('E-IR-ARITY');
    expect(codeOf(infer('Split', 18, [makeOpTensor('f32', [4]), fromNumbers('i64', [2], [1, 3])], { num_outputs: 2 }, ['a', 'b']))).toBe('E-IR-ATTR-VALUE');
    expect(codeOf(infer('Split', 18, [makeOpTensor('f32', [5])], { num_outputs: 2 }, ['a', 'b']))).toBeUndefined();
  });
});
