/**
 * Test-only hand-built RuntimeModels shaped like a torch.onnx export: a shape subgraph that builds
 * zero initial states from the batch size of X, two stacked LSTM layers, and a Linear + Softmax head.
 */
import { lstmPackedShape, packLstmWeights, type RtNode, type RtTensor, type RtValue, type RuntimeModel } from '../../src/index.js';
import type { Rng } from '@lstmc/testing';

export interface SampleDims {
  I: number;
  H: number;
  C: number;
}

const i64 = (shape: number[], v: number[]): RtTensor => ({ dtype: 'i64', shape, data: BigInt64Array.from(v, (x) => BigInt(x)) });
const f32 = (shape: number[], data: Float32Array): RtTensor => ({ dtype: 'f32', shape, data });

export function twoLayerLstmModel(rng: Rng, { I, H, C }: SampleDims, direction: 'forward' | 'reverse' | 'bidirectional' = 'forward'): RuntimeModel {
  const D = direction === 'bidirectional' ? 2 : 1;
  const values: RtValue[] = [];
  const nodes: RtNode[] = [];
  const v = (name: string, dtype: RtValue['dtype'], shape: RtValue['shape'], data?: RtTensor) => values.push({ name, dtype, shape, ...(data ? { data } : {}) }) - 1;
  const konst = (name: string, t: RtTensor) => v(name, t.dtype, [...t.shape], t);
  const node = (kernel: string, name: string, inputs: number[], outputs: number[], attrs: RtNode['attrs'] = {}, mode?: RtNode['mode']) =>
    nodes.push({ kernel, name, inputs, outputs, attrs, ...(mode ? { mode } : {}) });

  const x = v('input', 'f32', ['seq', 'batch', I]);
  const shape = v('shape', 'i64', [3]);
  node('Shape', 'Shape_0', [x], [shape]);
  const batch = v('batch_size', 'i64', []);
  node('Gather', 'Gather_1', [shape, konst('one', i64([], [1]))], [batch], { axis: { type: 'int', value: 0 } });
  const batch1 = v('batch_1d', 'i64', [1]);
  node('Unsqueeze', 'Unsqueeze_2', [batch, konst('axes0', i64([1], [0]))], [batch1]);
  const stShape = v('state_shape', 'i64', [3]);
  node('Concat', 'Concat_3', [konst('dirs', i64([1], [D])), batch1, konst('hidden', i64([1], [H]))], [stShape], { axis: { type: 'int', value: 0 } });
  const zeros = v('zeros', 'f32', [D, 'batch', H]);
  node('ConstantOfShape', 'ConstantOfShape_4', [stShape], [zeros], { value: { type: 'tensor', value: f32([1], new Float32Array(1)) } });

  let layerIn = x;
  let inSize = I;
  const hOuts: number[] = [];
  for (let l = 0; l < 2; l++) {
    const ws = 1 / Math.sqrt(inSize + H);
    const packed = packLstmWeights({
      W: rng.f32(D * 4 * H * inSize, -ws, ws),
      R: rng.f32(D * 4 * H * H, -ws, ws),
      B: rng.f32(D * 8 * H, -0.3, 0.3),
      P: l === 1 ? rng.f32(D * 3 * H, -0.3, 0.3) : null,
      numDirections: D,
      hiddenSize: H,
      inputSize: inSize,
    });
    const wv = konst(`lstm${l}.packed`, f32(lstmPackedShape(D, H, inSize), packed));
    const y = v(`lstm${l}.Y`, 'f32', ['seq', D, 'batch', H]);
    const yh = v(`lstm${l}.Y_h`, 'f32', [D, 'batch', H]);
    node('lstm.dense.f32', `LSTM_${l}`, [layerIn, wv, -1, zeros, zeros], [y, yh, -1], {
      hidden_size: { type: 'int', value: H },
      input_size: { type: 'int', value: inSize },
      direction: { type: 'string', value: direction },
    }, { W: 'dense', R: 'dense' });
    hOuts.push(yh);
    // [seq, D, batch, H] -> [seq, batch, D*H]
    const yt = v(`lstm${l}.Yt`, 'f32', ['seq', 'batch', D, H]);
    node('Transpose', `Transpose_${l}`, [y], [yt], { perm: { type: 'ints', value: [0, 2, 1, 3] } });
    const ys = v(`lstm${l}.out`, 'f32', ['seq', 'batch', D * H]);
    node('Reshape', `Reshape_${l}`, [yt, konst(`shape${l}`, i64([3], [0, 0, -1]))], [ys]);
    layerIn = ys;
    inSize = D * H;
  }
  const logits = v('logits', 'f32', ['seq', 'batch', C]);
  node('MatMul', 'MatMul_9', [layerIn, konst('head.W', f32([inSize, C], rng.f32(inSize * C)))], [logits]);
  const biased = v('biased', 'f32', ['seq', 'batch', C]);
  node('Add', 'Add_10', [logits, konst('head.b', f32([C], rng.f32(C)))], [biased]);
  const probs = v('probs', 'f32', ['seq', 'batch', C]);
  node('Softmax', 'Softmax_11', [biased], [probs], { axis: { type: 'int', value: -1 } });
  return { values, inputs: [x], outputs: [probs, hOuts[1]!], nodes, metadata: { producer: 'runtime tests' } };
}
