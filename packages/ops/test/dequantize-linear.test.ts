/** DequantizeLinear on the examples of the ONNX operator spec (y = (x - x_zero_point) * x_scale). */
import { describe, expect, it } from 'vitest';
import { OPS, fromNumbers, type OpTensor } from '../src/index.js';
import { attrsWithDefaults, codeOf, inferContext } from './helpers/infer-context.js';

const def = OPS.DequantizeLinear;
const run = (inputs: OpTensor[], attrs = {}) => def.eval!({ inputs, attrs: attrsWithDefaults(def, attrs), opset: 13, wanted: [true], fail: (m) => { throw new Error(m); } })[0]!;
const infer = (inputs: OpTensor[], attrs = {}, opset = 13) => () => def.infer(inferContext({ op: 'DequantizeLinear', name: 'n', outputs: ['y'] }, inputs, attrsWithDefaults(def, attrs), opset));

describe('DequantizeLinear', () => {
  it('per tensor (the spec example: uint8, scale 2, zero point 128)', () => {
    const y = run([fromNumbers('u8', [4], [0, 3, 128, 255]), fromNumbers('f32', [], [2]), fromNumbers('u8', [], [128])]);
    expect(y.dtype).toBe('f32');
    expect(Array.from(y.data as Float32Array)).toEqual([-256, -250, 0, 254]);
  });

  it('per axis 1 (the spec example: [1,3,3,2], scales [2,4,5], zero points [84,24,196])', () => {
    const x = [3, 89, 34, 200, 74, 59, 5, 24, 24, 87, 32, 13, 245, 99, 4, 142, 121, 102];
    const y = run([fromNumbers('u8', [1, 3, 3, 2], x), fromNumbers('f32', [3], [2, 4, 5]), fromNumbers('u8', [3], [84, 24, 196])]);
    expect(Array.from(y.data as Float32Array)).toEqual([-162, 10, -100, 232, -20, -50, -76, 0, 0, 252, 32, -44, 245, -485, -960, -270, -375, -470]);
  });

  it('int16 without zero point; the wrong scale length, type or block size are refused', () => {
    expect(Array.from(run([fromNumbers('i16', [3], [-32768, 1, 32767]), fromNumbers('f32', [], [2 ** -15])]).data as Float32Array)).toEqual([-1, 2 ** -15, 32767 / 32768]);
    expect(codeOf(infer([fromNumbers('i8', [2, 3], [0, 0, 0, 0, 0, 0]), fromNumbers('f32', [2], [1, 1])], { axis: 1 }))).toBe('E-IR-SHAPE');
    expect(codeOf(infer([fromNumbers('f32', [2], [0, 0]), fromNumbers('f32', [], [1])]))).toBe('E-IR-DTYPE');
    expect(codeOf(infer([fromNumbers('i8', [2], [0, 0]), fromNumbers('f32', [], [1])], { block_size: 2 }))).toBe('E-IR-ATTR-VALUE');
    expect(codeOf(infer([fromNumbers('i8', [2], [0, 0]), fromNumbers('f32', [], [1])], {}, 9))).toBe('E-IR-OPSET');
  });
});
