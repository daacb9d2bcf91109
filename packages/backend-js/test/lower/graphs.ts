import { type Attrs, type Dim, type Graph, type Node, type Tensor, inferTypes, makeGraph, makeNode, makeTensor, tensorType } from '@lstmc/ir';
import { Rng } from '../support/rng.js';

const ints = (v: number[]) => makeTensor('i64', [v.length], v);

/**
 * The subgraph torch.onnx.export writes for zero initial states of an LSTM on X [seq, batch, I]:
 * Shape(X) -> Gather(1) -> Unsqueeze -> Concat([1], batch, [H]) -> ConstantOfShape -> initial_h/c.
 */
export function torchLikeLstm(xShape: readonly Dim[], H: number, opts: { seed?: number; attrs?: Attrs; zeroStates?: boolean } = {}): Graph {
  const I = xShape[2] as number;
  const rng = new Rng(opts.seed ?? 1);
  const nodes: Node[] = [];
  const inits: [string, Tensor][] = [
    ['W', makeTensor('f32', [1, 4 * H, I], rng.f32(4 * H * I, -0.5, 0.5))],
    ['R', makeTensor('f32', [1, 4 * H, H], rng.f32(4 * H * H, -0.5, 0.5))],
    ['B', makeTensor('f32', [1, 8 * H], rng.f32(8 * H, -0.5, 0.5))],
    ['one', ints([1])],
    ['hid', ints([H])],
    ['idx1', makeTensor('i64', [], [1])],
    ['axes0', ints([0])],
  ];
  let lstmIn = ['X', 'W', 'R', 'B'];
  if (opts.zeroStates !== false) {
    nodes.push(
      makeNode({ op: 'Shape', name: 'shape', inputs: ['X'], outputs: ['x_shape'] }),
      makeNode({ op: 'Gather', name: 'gather', inputs: ['x_shape', 'idx1'], outputs: ['batch'], attrs: { axis: { kind: 'int', value: 0 } } }),
      makeNode({ op: 'Unsqueeze', name: 'unsq', inputs: ['batch', 'axes0'], outputs: ['batch1'] }),
      makeNode({ op: 'Concat', name: 'concat', inputs: ['one', 'batch1', 'hid'], outputs: ['state_shape'], attrs: { axis: { kind: 'int', value: 0 } } }),
      makeNode({ op: 'ConstantOfShape', name: 'zeros', inputs: ['state_shape'], outputs: ['h0'], attrs: { value: { kind: 'tensor', value: makeTensor('f32', [1], [0]) } } }),
    );
    lstmIn = [...lstmIn, '', 'h0', 'h0'];
  }
  nodes.push(makeNode({ op: 'LSTM', name: 'lstm', inputs: lstmIn, outputs: ['Y', 'Y_h'], attrs: { hidden_size: { kind: 'int', value: H }, ...(opts.attrs ?? {}) } }));
  const g = makeGraph({
    inputs: ['X'],
    outputs: ['Y_h'],
    initializers: inits,
    values: [['X', { name: 'X', type: tensorType('f32', xShape) }]],
    nodes,
    opsets: { '': 17 },
  });
  return inferTypes(g);
}
