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

export const GOLDEN_INPUTS: Record<string, () => Graph> = {
  'fold-shape-subgraph': shapeSubgraph,
  'lstm-dense': () => lstmGraph({ input: 3, hidden: 2, seq: 4, batch: 1, seed: 3 }),
  'lstm-sparse': () => lstmGraph({ input: 4, hidden: 2, seq: 4, batch: 1, seed: 4, zeros: 0.6 }),
  'lstm-bidir-sparse': () => lstmGraph({ input: 3, hidden: 2, dirs: 2, seq: 3, batch: 1, seed: 5, zeros: 0.5 }),
  'lstm-wide': () => lstmGraph({ input: 8, hidden: 4, seq: 2, batch: 1, seed: 6 }),
};

export { tensorType };
