/**
 * Generator of the golden fixtures' input.lir files (run once; the files are
 * committed and then edited by hand if needed):
 *   LSTMC_GOLDEN_INPUTS=1 npx vitest run test/golden.test.ts
 */
import { type Graph, inferTypes, makeGraph, makeNode, makeTensor, tensorType } from '@lstmc/ir';
import { lstmGraph } from './helpers/graphs.js';

/** A torch-export-like zero initial state built from Shape/Gather/Unsqueeze/Concat/ConstantOfShape, plus dead code. */
function shapeSubgraph(): Graph {
  const base = lstmGraph({ input: 3, hidden: 2, seq: 4, batch: 2 });
  const lstm = base.nodes[0];
  const i64 = (v: number[]) => makeTensor('i64', [v.length], v);
  const nodes = [
    makeNode({ op: 'Shape', name: 'shape', inputs: ['X'], outputs: ['xs'] }),
    makeNode({ op: 'Constant', name: 'c1', inputs: [], outputs: ['one'], attrs: { value: { kind: 'tensor', value: makeTensor('i64', [], [1]) } } }),
    makeNode({ op: 'Gather', name: 'gather', inputs: ['xs', 'one'], outputs: ['batch'], attrs: { axis: { kind: 'int', value: 0 } } }),
    makeNode({ op: 'Unsqueeze', name: 'unsq', inputs: ['batch', 'axes0'], outputs: ['batch1'] }),
    makeNode({ op: 'Concat', name: 'concat', inputs: ['dirs', 'batch1', 'hid'], outputs: ['hshape'], attrs: { axis: { kind: 'int', value: 0 } } }),
    makeNode({
      op: 'ConstantOfShape',
      name: 'zeros',
      inputs: ['hshape'],
      outputs: ['h0'],
      attrs: { value: { kind: 'tensor', value: makeTensor('f32', [1], [0]) } },
    }),
    makeNode({ op: 'Relu', name: 'dead_relu', inputs: ['X'], outputs: ['unused'] }),
    makeNode({ ...lstm, inputs: [...lstm.inputs, '', 'h0'] }),
  ];
  return inferTypes(
    makeGraph({
      name: 'fold_case',
      inputs: ['X'],
      outputs: base.outputs,
      initializers: [...base.initializers, ['axes0', i64([0])], ['dirs', i64([1])], ['hid', i64([2])], ['never_used', i64([7, 7])]],
      values: [['X', base.values.get('X')!]],
      nodes,
    }),
  );
}

/**
 * What torch.onnx.export writes for a 2-layer bidirectional LSTM(batch_first=True): X [B, T, I]
 * transposed to time-major, each Y through Transpose [0, 2, 1, 3] and Reshape [T, B, 2H], the last
 * transposed back; zero initial states from ConstantOfShape (sliced per layer); Y_h read too.
 */
function batchFirstStack(): Graph {
  const a = lstmGraph({ input: 3, hidden: 2, dirs: 2, seq: 3, batch: 2, seed: 8 });
  const b = lstmGraph({ input: 4, hidden: 2, dirs: 2, seq: 3, batch: 2, seed: 9 });
  const i64 = (v: number[]) => makeTensor('i64', [v.length], v);
  const ints = (v: number[]) => ({ kind: 'ints' as const, value: v });
  const lstm = (l: number, x: string, y: string, yh: string) =>
    makeNode({ ...a.nodes[0]!, name: `lstm${l}`, inputs: [x, `W${l}`, `R${l}`, `B${l}`, '', `h0_${l}`, `h0_${l}`], outputs: [y, yh] });
  const nodes = [
    makeNode({ op: 'ConstantOfShape', name: 'zeros', inputs: ['hshape'], outputs: ['h0'], attrs: { value: { kind: 'tensor', value: makeTensor('f32', [1], [0]) } } }),
    makeNode({ op: 'Slice', name: 'h0_slice0', inputs: ['h0', 'at0', 'at2', 'axis0'], outputs: ['h0_0'] }),
    makeNode({ op: 'Slice', name: 'h0_slice1', inputs: ['h0', 'at2', 'at4', 'axis0'], outputs: ['h0_1'] }),
    makeNode({ op: 'Transpose', name: 'front', inputs: ['x'], outputs: ['x_tm'], attrs: { perm: ints([1, 0, 2]) } }),
    lstm(0, 'x_tm', 'y0', ''),
    makeNode({ op: 'Transpose', name: 'interleave0', inputs: ['y0'], outputs: ['y0_t'], attrs: { perm: ints([0, 2, 1, 3]) } }),
    makeNode({ op: 'Reshape', name: 'merge0', inputs: ['y0_t', 'merge'], outputs: ['y0_tm'] }),
    lstm(1, 'y0_tm', 'y1', 'h_n'),
    makeNode({ op: 'Transpose', name: 'interleave1', inputs: ['y1'], outputs: ['y1_t'], attrs: { perm: ints([0, 2, 1, 3]) } }),
    makeNode({ op: 'Reshape', name: 'merge1', inputs: ['y1_t', 'merge'], outputs: ['y1_tm'] }),
    makeNode({ op: 'Transpose', name: 'back', inputs: ['y1_tm'], outputs: ['y'], attrs: { perm: ints([1, 0, 2]) } }),
  ];
  return inferTypes(
    makeGraph({
      name: 'batch_first',
      opsets: { '': 14 },
      inputs: ['x'],
      outputs: ['y', 'h_n'],
      initializers: [
        ['W0', a.initializers.get('W0')!], ['R0', a.initializers.get('R0')!], ['B0', a.initializers.get('B0')!],
        ['W1', b.initializers.get('W0')!], ['R1', b.initializers.get('R0')!], ['B1', b.initializers.get('B0')!],
        ['hshape', i64([4, 2, 2])], ['at0', i64([0])], ['at2', i64([2])], ['at4', i64([4])], ['axis0', i64([0])], ['merge', i64([0, 0, -1])],
      ],
      values: [['x', { name: 'x', type: tensorType('f32', [2, 3, 3]) }]],
      nodes,
    }),
  );
}

export const GOLDEN_INPUTS: Record<string, () => Graph> = {
  'batch-first-stack': batchFirstStack,
  'fold-shape-subgraph': shapeSubgraph,
  'lstm-dense': () => lstmGraph({ input: 3, hidden: 2, seq: 4, batch: 1, seed: 3 }),
  'lstm-sparse': () => lstmGraph({ input: 4, hidden: 2, seq: 4, batch: 1, seed: 4, zeros: 0.6 }),
  'lstm-bidir-sparse': () => lstmGraph({ input: 3, hidden: 2, dirs: 2, seq: 3, batch: 1, seed: 5, zeros: 0.5 }),
  'lstm-wide': () => lstmGraph({ input: 8, hidden: 4, seq: 2, batch: 1, seed: 6 }),
};

export { tensorType };
