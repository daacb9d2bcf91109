import { describe, expect, it } from 'vitest';
import {
  inferTypes,
  makeGraph,
  makeNode,
  makeTensor,
  tensorType,
  verifyGraph,
  isDiagnosticError,
  type Attrs,
  type Graph,
  type Tensor,
  type Dim,
} from '../src/index.js';

const f32 = (shape: Dim[]) => tensorType('f32', shape);

function lstmGraph(opts: { attrs?: Attrs; x?: Dim[]; W?: Tensor; R?: Tensor; B?: Tensor; extra?: [string, Tensor][]; inputs?: string[]; outputs?: string[] }): Graph {
  const H = 3;
  const I = 2;
  const W = opts.W ?? makeTensor('f32', [1, 4 * H, I]);
  const R = opts.R ?? makeTensor('f32', [1, 4 * H, H]);
  const inits: [string, Tensor][] = [['W', W], ['R', R], ...(opts.B ? ([['B', opts.B]] as [string, Tensor][]) : []), ...(opts.extra ?? [])];
  return makeGraph({
    inputs: ['X'],
    outputs: (opts.outputs ?? ['Y', 'Y_h', 'Y_c']).filter(Boolean),
    initializers: inits,
    values: [['X', { name: 'X', type: f32(opts.x ?? ['seq', 'batch', I]) }]],
    nodes: [makeNode({ op: 'LSTM', name: 'lstm0', inputs: opts.inputs ?? ['X', 'W', 'R', opts.B ? 'B' : ''], outputs: opts.outputs ?? ['Y', 'Y_h', 'Y_c'], attrs: opts.attrs })],
  });
}

function codeOf(f: () => unknown): { code: string; node?: string; field?: string } {
  try {
    f();
  } catch (e) {
    if (isDiagnosticError(e)) return { code: e.code, node: e.diagnostic.loc.node, field: e.diagnostic.loc.field };
    throw e;
  }
  throw new Error('expected a diagnostic');
}

describe('LSTM inference (shapes from the ONNX operator spec)', () => {
  it('layout 0 keeps symbolic seq and batch', () => {
    const g = inferTypes(lstmGraph({}));
    expect(g.values.get('Y')!.type.shape).toEqual(['seq', 1, 'batch', 3]);
    expect(g.values.get('Y_h')!.type.shape).toEqual([1, 'batch', 3]);
    expect(g.values.get('Y_c')!.type.shape).toEqual([1, 'batch', 3]);
    expect(verifyGraph(g)).toEqual([]);
  });
  it('layout 1 puts batch first', () => {
    const g = inferTypes(lstmGraph({ x: ['batch', 'seq', 2], attrs: { layout: { kind: 'int', value: 1 } } }));
    expect(g.values.get('Y')!.type.shape).toEqual(['batch', 'seq', 1, 3]);
    expect(g.values.get('Y_h')!.type.shape).toEqual(['batch', 1, 3]);
  });
  it('bidirectional has two directions', () => {
    const g = inferTypes(
      lstmGraph({
        W: makeTensor('f32', [2, 12, 2]),
        R: makeTensor('f32', [2, 12, 3]),
        attrs: { direction: { kind: 'string', value: 'bidirectional' }, hidden_size: { kind: 'int', value: 3 } },
        x: [5, 4, 2],
      }),
    );
    expect(g.values.get('Y')!.type.shape).toEqual([5, 2, 4, 3]);
  });
  it('omitted outputs are not typed', () => {
    const g = inferTypes(lstmGraph({ outputs: ['', 'Y_h'] }));
    expect(g.values.has('Y')).toBe(false);
    expect(g.values.get('Y_h')!.type.shape).toEqual([1, 'batch', 3]);
  });
});

describe('LSTM diagnostics', () => {
  it('hidden_size disagreeing with W', () => {
    expect(codeOf(() => inferTypes(lstmGraph({ attrs: { hidden_size: { kind: 'int', value: 5 } } })))).toEqual({ code: 'E-LSTM-HIDDEN-SIZE', node: 'lstm0', field: 'hidden_size' });
  });
  it('wrong R shape', () => {
    expect(codeOf(() => inferTypes(lstmGraph({ R: makeTensor('f32', [1, 12, 4]) }))).code).toBe('E-LSTM-R-SHAPE');
  });
  it('wrong B shape', () => {
    expect(codeOf(() => inferTypes(lstmGraph({ B: makeTensor('f32', [1, 12]) })))).toMatchObject({ code: 'E-LSTM-B-SHAPE', field: 'B' });
  });
  it('W input size disagreeing with X', () => {
    expect(codeOf(() => inferTypes(lstmGraph({ x: [4, 1, 7] }))).code).toBe('E-LSTM-W-SHAPE');
  });
  it('unknown direction', () => {
    expect(codeOf(() => inferTypes(lstmGraph({ attrs: { direction: { kind: 'string', value: 'sideways' } } })))).toMatchObject({ code: 'E-IR-ATTR-VALUE', field: 'direction' });
  });
  it('unknown activation', () => {
    const attrs: Attrs = { activations: { kind: 'strings', value: ['Sigmoid', 'Tanh', 'Swish'] } };
    expect(codeOf(() => inferTypes(lstmGraph({ attrs })))).toMatchObject({ code: 'E-LSTM-ACTIVATION', field: 'activations' });
  });
  it('missing required input R', () => {
    expect(codeOf(() => inferTypes(lstmGraph({ inputs: ['X', 'W', ''] })))).toMatchObject({ code: 'E-IR-MISSING-INPUT', field: 'R' });
  });
  it('unknown attribute', () => {
    expect(codeOf(() => inferTypes(lstmGraph({ attrs: { hiden_size: { kind: 'int', value: 3 } } }))).code).toBe('E-IR-ATTR-UNKNOWN');
  });
});

describe('shape subgraphs as torch.onnx.export writes them', () => {
  it('Shape -> Gather -> Unsqueeze -> Concat -> ConstantOfShape keeps the symbolic batch', () => {
    const i64 = (v: number[]) => makeTensor('i64', [v.length], v);
    const g = inferTypes(
      makeGraph({
        inputs: ['x'],
        outputs: ['h0', 'r'],
        values: [['x', { name: 'x', type: f32(['seq', 'batch', 40]) }]],
        initializers: [
          ['one', i64([1])],
          ['hid', i64([64])],
          ['idx', makeTensor('i64', [], [1])],
          ['axes', i64([0])],
          ['shp', i64([-1, 40])],
        ],
        nodes: [
          makeNode({ op: 'Shape', name: 's', inputs: ['x'], outputs: ['shape'] }),
          makeNode({ op: 'Gather', name: 'g', inputs: ['shape', 'idx'], outputs: ['b'], attrs: { axis: { kind: 'int', value: 0 } } }),
          makeNode({ op: 'Unsqueeze', name: 'u', inputs: ['b', 'axes'], outputs: ['b1'] }),
          makeNode({ op: 'Concat', name: 'c', inputs: ['one', 'b1', 'hid'], outputs: ['dims'], attrs: { axis: { kind: 'int', value: 0 } } }),
          makeNode({ op: 'ConstantOfShape', name: 'z', inputs: ['dims'], outputs: ['h0'] }),
          makeNode({ op: 'Reshape', name: 'r', inputs: ['x', 'shp'], outputs: ['r'] }),
        ],
      }),
    );
    expect(g.values.get('b')!.type.shape).toEqual([]);
    expect(g.values.get('h0')!.type).toEqual(f32([1, 'batch', 64]));
    expect(g.values.get('r')!.type.shape!.length).toBe(2);
    expect(g.values.get('r')!.type.shape![1]).toBe(40);
    expect(verifyGraph(g)).toEqual([]);
  });
});

describe('graph structure', () => {
  const relu = (name: string, i: string, o: string) => makeNode({ op: 'Relu', name, inputs: [i], outputs: [o] });
  it('reorders nodes topologically', () => {
    const g = inferTypes(makeGraph({ inputs: ['x'], outputs: ['z'], values: [['x', { name: 'x', type: f32([2]) }]], nodes: [relu('b', 'y', 'z'), relu('a', 'x', 'y')] }));
    expect(g.nodes.map((n) => n.name)).toEqual(['a', 'b']);
  });
  it('reports a cycle', () => {
    const g = makeGraph({ inputs: ['x'], outputs: ['z'], values: [['x', { name: 'x', type: f32([2]) }]], nodes: [relu('a', 'z', 'y'), relu('b', 'y', 'z')] });
    expect(codeOf(() => inferTypes(g)).code).toBe('E-IR-CYCLE');
  });
  it('reports a dangling input', () => {
    const g = makeGraph({ inputs: ['x'], outputs: ['y'], values: [['x', { name: 'x', type: f32([2]) }]], nodes: [relu('a', 'nope', 'y')] });
    expect(codeOf(() => inferTypes(g))).toMatchObject({ code: 'E-IR-DANGLING', node: 'a', field: 'nope' });
  });
  it('verifier catches a recorded type that disagrees with inference', () => {
    const g = inferTypes(makeGraph({ inputs: ['x'], outputs: ['y'], values: [['x', { name: 'x', type: f32([2]) }]], nodes: [relu('a', 'x', 'y')] }));
    const bad = makeGraph({ ...g, values: new Map([...g.values, ['y', { name: 'y', type: f32([3]) }]]) });
    expect(verifyGraph(bad).map((d) => d.code)).toEqual(['E-IR-TYPE-MISMATCH']);
  });
  it('verifier catches duplicate definitions and wrong order', () => {
    const g = makeGraph({
      inputs: ['x'],
      outputs: ['y'],
      values: [['x', { name: 'x', type: f32([2]) }], ['y', { name: 'y', type: f32([2]) }]],
      nodes: [relu('a', 'x', 'y'), relu('b', 'x', 'y')],
    });
    expect(verifyGraph(g).map((d) => d.code)).toEqual(['E-IR-DUP-VALUE']);
    const h = makeGraph({
      inputs: ['x'],
      outputs: ['z'],
      values: [['x', { name: 'x', type: f32([2]) }], ['y', { name: 'y', type: f32([2]) }], ['z', { name: 'z', type: f32([2]) }]],
      nodes: [relu('b', 'y', 'z'), relu('a', 'x', 'y')],
    });
    expect(verifyGraph(h).map((d) => d.code)).toEqual(['E-IR-ORDER']);
  });
  it('broadcast errors name the node', () => {
    const g = makeGraph({
      inputs: ['a', 'b'],
      outputs: ['c'],
      values: [['a', { name: 'a', type: f32([2, 3]) }], ['b', { name: 'b', type: f32([4]) }]],
      nodes: [makeNode({ op: 'Add', name: 'add', inputs: ['a', 'b'], outputs: ['c'] })],
    });
    expect(codeOf(() => inferTypes(g))).toMatchObject({ code: 'E-IR-SHAPE', node: 'add' });
  });
  it('MatMul and Gemm shapes', () => {
    const g = inferTypes(
      makeGraph({
        inputs: ['a', 'b', 'c'],
        outputs: ['m', 'y'],
        values: [['a', { name: 'a', type: f32(['n', 3, 4]) }], ['b', { name: 'b', type: f32([4, 5]) }], ['c', { name: 'c', type: f32([5, 4]) }]],
        nodes: [
          makeNode({ op: 'MatMul', name: 'mm', inputs: ['a', 'b'], outputs: ['m'] }),
          makeNode({ op: 'Gemm', name: 'gm', inputs: ['b', 'c'], outputs: ['y'], attrs: { transA: { kind: 'int', value: 1 }, transB: { kind: 'int', value: 1 } } }),
        ],
      }),
    );
    expect(g.values.get('m')!.type.shape).toEqual(['n', 3, 5]);
    expect(g.values.get('y')!.type.shape).toEqual([5, 5]);
  });
});
