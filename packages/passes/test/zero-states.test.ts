import { describe, expect, it } from 'vitest';
import { type Graph, inferTypes, makeGraph, makeNode, makeTensor, tensorType } from '@lstmc/ir';
import { builtinRegistry, parsePipeline, runPipeline } from '../src/index.js';
import { lstmGraph } from './helpers/graphs.js';

/**
 * torch's zero initial state with a symbolic batch: Shape -> Gather -> Unsqueeze -> Concat ->
 * ConstantOfShape(value) -> Slice per layer. `value` 0 is zeros; anything else is a real state.
 */
function zeroStateExport(value: number, alsoRead = false): Graph {
  const base = lstmGraph({ input: 3, hidden: 2, seq: 4, batch: 'batch', layers: 2 });
  const i64 = (v: number[]) => makeTensor('i64', [v.length], v);
  const states = [
    makeNode({ op: 'Shape', name: 'shape', inputs: ['X'], outputs: ['xs'] }),
    makeNode({ op: 'Gather', name: 'gather', inputs: ['xs', 'one'], outputs: ['b'], attrs: { axis: { kind: 'int', value: 0 } } }),
    makeNode({ op: 'Unsqueeze', name: 'unsq', inputs: ['b', 'axes0'], outputs: ['b1'] }),
    makeNode({ op: 'Concat', name: 'concat', inputs: ['two', 'b1', 'hid'], outputs: ['hshape'], attrs: { axis: { kind: 'int', value: 0 } } }),
    makeNode({ op: 'ConstantOfShape', name: 'zeros', inputs: ['hshape'], outputs: ['h0'], attrs: { value: { kind: 'tensor', value: makeTensor('f32', [1], [value]) } } }),
    makeNode({ op: 'Slice', name: 'slice0', inputs: ['h0', 'at0', 'at1', 'axes0'], outputs: ['h0_0'] }),
    makeNode({ op: 'Slice', name: 'slice1', inputs: ['h0', 'at1', 'at2', 'axes0'], outputs: ['h0_1'] }),
  ];
  const nodes = [
    ...states,
    ...base.nodes.map((n) => (n.op === 'LSTM' ? makeNode({ ...n, inputs: [...n.inputs, '', `h0_${n.name.slice(-1)}`, `h0_${n.name.slice(-1)}`] }) : n)),
    ...(alsoRead ? [makeNode({ op: 'Relu', name: 'reads_state', inputs: ['h0_1'], outputs: ['r'] })] : []),
  ];
  return inferTypes(
    makeGraph({
      name: 'zero_states',
      inputs: ['X'],
      outputs: alsoRead ? [...base.outputs, 'r'] : base.outputs,
      initializers: [...base.initializers, ['one', makeTensor('i64', [], [1])], ['axes0', i64([0])], ['two', i64([2])], ['hid', i64([2])], ['at0', i64([0])], ['at1', i64([1])], ['at2', i64([2])]],
      values: [['X', { name: 'X', type: tensorType('f32', [4, 'batch', 3]) }]],
      nodes,
    }),
  );
}

const STATE_OPS = new Set(['Shape', 'Gather', 'Unsqueeze', 'Concat', 'ConstantOfShape', 'Slice']);

const fold = async (g: Graph) => {
  const run = await runPipeline(g, parsePipeline('fold', builtinRegistry()));
  return { graph: run.graph, counters: run.results[0]!.counters };
};

describe('fold: LSTM initial states known to be zeros are left out', () => {
  it("a symbolic-batch ConstantOfShape(0), sliced per layer: both layers' h0 and c0 go, and the subgraph with them", async () => {
    const g0 = zeroStateExport(0);
    const { graph, counters } = await fold(g0);
    expect(counters['zero-states-dropped']).toBe(4);
    for (const n of graph.nodes.filter((x) => x.op === 'LSTM')) expect(n.inputs.length).toBe(4);
    // what is left is the layers and the glue between them
    expect(graph.nodes.map((n) => n.op)).toEqual(g0.nodes.filter((n) => !STATE_OPS.has(n.op)).map((n) => n.op));
  });

  it('a non-zero ConstantOfShape stays an initial state', async () => {
    const { graph, counters } = await fold(zeroStateExport(0.5));
    expect(counters['zero-states-dropped']).toBe(0);
    for (const n of graph.nodes.filter((x) => x.op === 'LSTM')) expect(n.inputs.slice(5)).toHaveLength(2);
  });

  it('a zero state something else reads too stays computed for that reader', async () => {
    const { graph, counters } = await fold(zeroStateExport(0, true));
    expect(counters['zero-states-dropped']).toBe(4);
    expect(graph.nodes.some((n) => n.op === 'ConstantOfShape')).toBe(true);
    expect(graph.nodes.find((n) => n.op === 'Relu')!.inputs).toEqual(['h0_1']);
  });
});
