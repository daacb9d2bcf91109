import { describe, expect, it } from 'vitest';
import { inferTypes, makeGraph, makeNode, makeTensor, tensorType } from '@lstmc/ir';
import { createModel, loadModel } from '@lstmc/runtime';
import { writeRuntimeGraph } from '@lstmc/runtime/writer';
import { lowerToRuntime } from '../../src/index.js';

describe('lowering edge cases', () => {
  it('graph outputs that are a graph input, an initializer or a folded constant', () => {
    const g = inferTypes(
      makeGraph({
        inputs: ['a'],
        outputs: ['a', 'k', 'shape', 'sum'],
        initializers: [['k', makeTensor('f32', [2], [1.5, -2])]],
        values: [['a', { name: 'a', type: tensorType('f32', [2]) }]],
        nodes: [
          makeNode({ op: 'Shape', name: 's', inputs: ['a'], outputs: ['shape'] }),
          makeNode({ op: 'Add', name: 'add', inputs: ['a', 'k'], outputs: ['sum'] }),
        ],
      }),
    );
    const m = lowerToRuntime(g);
    expect(m.nodes.map((n) => n.kernel)).toEqual(['Add']);
    const run = loadModel(writeRuntimeGraph(m));
    const out = run.run({ a: { dtype: 'f32', shape: [2], data: Float32Array.of(1, 2) } });
    expect([...(out.a!.data as Float32Array)]).toEqual([1, 2]);
    expect([...(out.k!.data as Float32Array)]).toEqual([1.5, -2]);
    expect([...(out.shape!.data as BigInt64Array)]).toEqual([2n]);
    expect([...(out.sum!.data as Float32Array)]).toEqual([2.5, 0]);
  });

  it('a graph input that has an initializer is a constant (ONNX default value)', () => {
    const g = inferTypes(
      makeGraph({
        inputs: ['a', 'k'],
        outputs: ['sum'],
        initializers: [['k', makeTensor('f32', [2], [1, 1])]],
        values: [
          ['a', { name: 'a', type: tensorType('f32', [2]) }],
          ['k', { name: 'k', type: tensorType('f32', [2]) }],
        ],
        nodes: [makeNode({ op: 'Add', name: 'add', inputs: ['a', 'k'], outputs: ['sum'] })],
      }),
    );
    const m = createModel(lowerToRuntime(g));
    expect(m.inputs.map((i) => i.name)).toEqual(['a']);
    expect([...(m.run({ a: { dtype: 'f32', shape: [2], data: Float32Array.of(1, 2) } }).sum!.data as Float32Array)]).toEqual([2, 3]);
  });

  it('unnamed unknown dims of different inputs do not bind to each other', () => {
    const g = inferTypes(
      makeGraph({
        inputs: ['a', 'b'],
        outputs: ['ca', 'cb'],
        values: [
          ['a', { name: 'a', type: tensorType('f32', ['?']) }],
          ['b', { name: 'b', type: tensorType('f32', ['?']) }],
        ],
        nodes: [makeNode({ op: 'Relu', name: 'r1', inputs: ['a'], outputs: ['ca'] }), makeNode({ op: 'Relu', name: 'r2', inputs: ['b'], outputs: ['cb'] })],
      }),
    );
    const m = createModel(lowerToRuntime(g));
    const out = m.run({ a: { dtype: 'f32', shape: [3], data: Float32Array.of(-1, 0, 1) }, b: { dtype: 'f32', shape: [1], data: Float32Array.of(-5) } });
    expect([...(out.ca!.data as Float32Array)]).toEqual([0, 0, 1]);
    expect([...(out.cb!.data as Float32Array)]).toEqual([0]);
  });
});
